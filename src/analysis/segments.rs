//! Segment breakdowns (CONTRACT.md, `throughline analyze --segment COL [--max-segments K]`).
//!
//! Computes: which values of the segment column get their own row ([`plan_segments`]: the K most
//! frequent, ties by name, the rest pooled as "other"); per segment, the full comparison of a
//! treatment with the control ([`compare_segments`], through [`super::analyze_experiment`] so the
//! tests are exactly the unsegmented ones; or [`segment_table`] for figures computed elsewhere,
//! e.g. ratio metrics); `p_value_holm` over the segments; and Cochran's Q on the absolute
//! differences, wᵢ = 1/SEᵢ² (SEᵢ the unpooled standard error of the difference, the one behind
//! its interval), Q = Σwᵢ(dᵢ − d̄_w)², `q_p_value` from χ²(k−1), `i_squared` = max(0, (Q −
//! (k−1))/Q), over the k segments whose difference and SE are defined.
//!
//! JSON keys served: `segments: { column, metrics: [ { metric, treatment, q, q_p_value,
//! i_squared, rows: [ { segment, n_control, n_treatment, diff, diff_ci_low, diff_ci_high,
//! rel_lift, p_value, p_value_holm } ] } ] }` ([`SegmentMetric`], [`SegmentRow`]).
//! [`heterogeneity_sentence`] gives the plain sentence ("the effect differs between country
//! values (p = 0.003): it comes mostly from BR").
//! Wiring: count the rows per segment value, [`plan_segments`], then accumulate one
//! [`super::SufficientStats`] per (segment index, variant, metric) with [`SegmentPlan::index_of`]
//! and call [`compare_segments`] per metric and treatment.
//!
//! Undefined figures: a segment with fewer than 2 units in an arm gets `None`s and a warning;
//! fewer than 2 usable segments leave Q, its p-value and I² `None` with a warning.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::dist;
use super::{AnalysisError, ExperimentInput, MetricInput, ResolvedKind, SufficientStats};
use super::{analyze_experiment, holm};
use crate::format::{p_value, signed};
use crate::model::MetricKind;

/// Default number of segments shown (`--max-segments`).
pub const DEFAULT_MAX_SEGMENTS: usize = 10;

/// The label of the pooled remaining values.
pub const OTHER: &str = "other";

/// Which segment each value of the column belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentPlan {
    /// Segment labels, most frequent first; the pooled rest last, when there is one.
    pub labels: Vec<String>,
    index: HashMap<String, usize>,
    other: Option<usize>,
    pub warnings: Vec<String>,
}

impl SegmentPlan {
    /// The segment of a value: its own, or the pooled "other".
    pub fn index_of(&self, value: &str) -> usize {
        self.index.get(value).copied().or(self.other).unwrap_or(0)
    }

    /// Whether the rest of the values were pooled.
    pub fn has_other(&self) -> bool {
        self.other.is_some()
    }
}

/// The K most frequent values of the column (ties: by name), the rest pooled as "other".
/// `counts` holds each distinct value with its number of rows.
pub fn plan_segments(
    column: &str,
    counts: &[(String, u64)],
    max_segments: usize,
) -> Result<SegmentPlan, AnalysisError> {
    if max_segments == 0 {
        return Err(AnalysisError::BadInput(
            "--max-segments must be at least 1".to_owned(),
        ));
    }
    if counts.is_empty() {
        return Err(AnalysisError::BadInput(format!(
            "the segment column \"{column}\" has no values"
        )));
    }
    let mut sorted: Vec<&(String, u64)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let kept = sorted.len().min(max_segments);
    let mut plan = SegmentPlan::default();
    for (i, (value, _)) in sorted.iter().take(kept).enumerate() {
        plan.labels.push(value.clone());
        plan.index.insert(value.clone(), i);
    }
    let rest = sorted.len() - kept;
    if rest > 0 {
        let mut label = OTHER.to_owned();
        while plan.index.contains_key(&label) {
            label.push_str(" (pooled)");
        }
        plan.other = Some(plan.labels.len());
        let rows: u64 = sorted.iter().skip(kept).map(|(_, n)| *n).sum();
        plan.warnings.push(format!(
            "The segment column \"{column}\" has {} distinct values: the {kept} most frequent are \
             shown one by one and the other {rest} ({rows} rows) together as \"{label}\".",
            sorted.len()
        ));
        plan.labels.push(label);
    }
    Ok(plan)
}

/// One segment's comparison, as the JSON row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentRow {
    pub segment: String,
    pub n_control: u64,
    pub n_treatment: u64,
    pub diff: Option<f64>,
    pub diff_ci_low: Option<f64>,
    pub diff_ci_high: Option<f64>,
    pub rel_lift: Option<f64>,
    pub p_value: Option<f64>,
    pub p_value_holm: Option<f64>,
    /// Unpooled standard error of `diff` (the weight of Cochran's Q). Not a CONTRACT key.
    #[serde(skip)]
    pub se_diff: Option<f64>,
}

/// One metric and treatment across the segments.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentMetric {
    pub metric: String,
    pub treatment: String,
    pub q: Option<f64>,
    pub q_p_value: Option<f64>,
    pub i_squared: Option<f64>,
    pub rows: Vec<SegmentRow>,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One segment's statistics of one metric in the control and the treatment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentStats {
    pub segment: String,
    pub control: SufficientStats,
    pub treatment: SufficientStats,
}

/// Compares `treatment` with `control` on `metric` (analysed as `kind`) in every segment, with
/// the Holm adjustment over segments and Cochran's Q.
pub fn compare_segments(
    metric: &str,
    kind: ResolvedKind,
    control: &str,
    treatment: &str,
    segments: &[SegmentStats],
    alpha: f64,
) -> Result<SegmentMetric, AnalysisError> {
    let mut warnings = Vec::new();
    let mut rows = Vec::with_capacity(segments.len());
    for seg in segments {
        let (c, t) = (&seg.control, &seg.treatment);
        let mut row = SegmentRow {
            segment: seg.segment.clone(),
            n_control: c.n(),
            n_treatment: t.n(),
            ..SegmentRow::default()
        };
        if c.n() < 2 || t.n() < 2 {
            warnings.push(format!(
                "{metric}, segment {}: {} has fewer than 2 units with a value, so this segment \
                 is not compared.",
                seg.segment,
                if c.n() < 2 { control } else { treatment }
            ));
            rows.push(row);
            continue;
        }
        let input = ExperimentInput {
            file: String::new(),
            variant_column: String::new(),
            rows: c.n() + t.n(),
            variant_rows: vec![(control.to_owned(), c.n()), (treatment.to_owned(), t.n())],
            metrics: vec![MetricInput {
                name: metric.to_owned(),
                kind: match kind {
                    ResolvedKind::Mean | ResolvedKind::Ratio => MetricKind::Mean,
                    ResolvedKind::Proportion => MetricKind::Proportion,
                },
                stats: vec![*c, *t],
            }],
            control: control.to_owned(),
            alpha,
            expected_split: Vec::new(),
            warnings: Vec::new(),
        };
        let result = analyze_experiment(&input)?;
        // Why a figure of this segment is undefined (e.g. a zero control mean), said per segment.
        warnings.extend(
            result
                .warnings
                .iter()
                .map(|w| format!("Segment {}: {w}", seg.segment)),
        );
        if let Some(cmp) = result.metrics.first().and_then(|m| m.comparisons.first()) {
            row.diff = cmp.diff;
            row.diff_ci_low = cmp.diff_ci_low;
            row.diff_ci_high = cmp.diff_ci_high;
            row.rel_lift = cmp.rel_lift;
            row.p_value = cmp.p_value;
        }
        row.se_diff = se_diff(kind, c, t);
        rows.push(row);
    }
    let mut out = segment_table(metric, treatment, rows);
    warnings.append(&mut out.warnings);
    out.warnings = warnings;
    Ok(out)
}

/// Unpooled standard error of a difference of means (s²/n) or proportions (p(1−p)/n).
fn se_diff(kind: ResolvedKind, c: &SufficientStats, t: &SufficientStats) -> Option<f64> {
    let v = |s: &SufficientStats| -> Option<f64> {
        let n = s.n() as f64;
        match kind {
            ResolvedKind::Mean | ResolvedKind::Ratio => Some(s.variance()? / n),
            ResolvedKind::Proportion => {
                let p = s.mean()?;
                Some(p * (1.0 - p) / n)
            }
        }
    };
    let se = (v(c)? + v(t)?).sqrt();
    (se > 0.0 && se.is_finite()).then_some(se)
}

/// Holm over the segments and Cochran's Q, for rows whose figures were computed elsewhere (each
/// row with `se_diff` set where the difference has a standard error).
pub fn segment_table(metric: &str, treatment: &str, mut rows: Vec<SegmentRow>) -> SegmentMetric {
    let mut warnings = Vec::new();
    let adjusted = holm(&rows.iter().map(|r| r.p_value).collect::<Vec<_>>());
    for (r, p) in rows.iter_mut().zip(adjusted) {
        r.p_value_holm = p;
    }
    let effects: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|r| Some((r.diff?, r.se_diff?)))
        .collect();
    let h = cochran_q(&effects);
    if h.is_none() {
        warnings.push(format!(
            "{metric}, {treatment}: fewer than 2 segments have a difference with a standard \
             error, so whether the effect differs between segments cannot be tested."
        ));
    }
    SegmentMetric {
        metric: metric.to_owned(),
        treatment: treatment.to_owned(),
        q: h.map(|h| h.q),
        q_p_value: h.and_then(|h| h.p_value),
        i_squared: h.map(|h| h.i_squared),
        rows,
        warnings,
    }
}

/// Cochran's Q of several effects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Heterogeneity {
    pub q: f64,
    pub p_value: Option<f64>,
    pub i_squared: f64,
    /// k − 1.
    pub df: f64,
}

/// Cochran's Q of (effect, standard error) pairs: wᵢ = 1/SEᵢ², Q = Σwᵢ(dᵢ − d̄_w)², p from
/// χ²(k−1), I² = max(0, (Q − (k−1))/Q) (0 when Q = 0). `None` below 2 usable pairs (finite
/// effect, positive finite SE).
pub fn cochran_q(effects: &[(f64, f64)]) -> Option<Heterogeneity> {
    let usable: Vec<(f64, f64)> = effects
        .iter()
        .filter(|(d, se)| d.is_finite() && se.is_finite() && *se > 0.0)
        .map(|(d, se)| (*d, 1.0 / (se * se)))
        .collect();
    if usable.len() < 2 {
        return None;
    }
    let sum_w: f64 = usable.iter().map(|(_, w)| w).sum();
    let mean = usable.iter().map(|(d, w)| w * d).sum::<f64>() / sum_w;
    let q: f64 = usable.iter().map(|(d, w)| w * (d - mean).powi(2)).sum();
    if !q.is_finite() {
        return None;
    }
    let df = (usable.len() - 1) as f64;
    let i_squared = if q > 0.0 {
        ((q - df) / q).max(0.0)
    } else {
        0.0
    };
    Some(Heterogeneity {
        q,
        p_value: dist::chi2_sf(q, df),
        i_squared,
        df,
    })
}

/// The plain sentence on heterogeneity: whether the effect differs between segments and, if it
/// does, which segment contributes most to Q.
pub fn heterogeneity_sentence(column: &str, m: &SegmentMetric, alpha: f64) -> String {
    let (Some(q), Some(p)) = (m.q, m.q_p_value) else {
        return format!(
            "Whether the effect of {} on {} differs between {column} values cannot be tested \
             (too few segments with enough units).",
            m.treatment, m.metric
        );
    };
    if p >= alpha {
        return format!(
            "The data cannot tell the effect of {} on {} apart between {column} values ({}).",
            m.treatment,
            m.metric,
            p_value(p)
        );
    }
    // The segment with the largest share of Q.
    let usable: Vec<(&SegmentRow, f64, f64)> = m
        .rows
        .iter()
        .filter_map(|r| {
            let se = r.se_diff?;
            Some((r, r.diff?, 1.0 / (se * se)))
        })
        .collect();
    let sum_w: f64 = usable.iter().map(|(_, _, w)| w).sum();
    let mean = usable.iter().map(|(_, d, w)| w * d).sum::<f64>() / sum_w;
    let top = usable
        .iter()
        .map(|(r, d, w)| (r, d, w * (d - mean).powi(2)))
        .max_by(|a, b| a.2.total_cmp(&b.2));
    let share = top.map(|t| t.2 / q).unwrap_or(0.0);
    match top {
        Some((r, d, _)) if share >= 0.5 => format!(
            "The effect of {} on {} differs between {column} values ({}): it comes mostly from \
             {} (a difference of {}).",
            m.treatment,
            m.metric,
            p_value(p),
            r.segment,
            signed(*d)
        ),
        _ => format!(
            "The effect of {} on {} differs between {column} values ({}).",
            m.treatment,
            m.metric,
            p_value(p)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(items: &[(&str, u64)]) -> Vec<(String, u64)> {
        items.iter().map(|(v, n)| (v.to_string(), *n)).collect()
    }

    #[test]
    fn keeps_the_most_frequent_and_pools_the_rest() {
        let plan = plan_segments(
            "country",
            &counts(&[("DE", 5), ("BR", 9), ("US", 9), ("FR", 1)]),
            2,
        )
        .unwrap();
        assert_eq!(plan.labels, vec!["BR", "US", "other"]);
        assert_eq!(plan.index_of("US"), 1);
        assert_eq!(plan.index_of("FR"), 2);
        assert_eq!(plan.index_of("never seen"), 2);
        assert!(plan.warnings[0].contains("4 distinct values"));
        let all = plan_segments("c", &counts(&[("a", 1), ("b", 2)]), 10).unwrap();
        assert!(!all.has_other());
        assert!(all.warnings.is_empty());
        let clash = plan_segments("c", &counts(&[("other", 5), ("b", 2)]), 1).unwrap();
        assert_eq!(clash.labels, vec!["other", "other (pooled)"]);
        assert!(plan_segments("c", &[], 3).is_err());
        assert!(plan_segments("c", &counts(&[("a", 1)]), 0).is_err());
    }

    #[test]
    fn many_distinct_values_do_not_blow_up() {
        let many: Vec<(String, u64)> = (0..10_000).map(|i| (format!("v{i}"), 1 + i % 7)).collect();
        let plan = plan_segments("user_id", &many, DEFAULT_MAX_SEGMENTS).unwrap();
        assert_eq!(plan.labels.len(), 11);
    }

    #[test]
    fn cochran_q_by_hand() {
        let h = cochran_q(&[(1.0, 1.0), (3.0, 1.0)]).unwrap();
        // d̄ = 2, Q = 1 + 1 = 2, df = 1, I² = 0.5.
        assert_eq!(h.q, 2.0);
        assert_eq!(h.i_squared, 0.5);
        assert!(cochran_q(&[(1.0, 1.0), (3.0, 0.0)]).is_none());
        assert_eq!(cochran_q(&[(1.0, 1.0), (1.0, 2.0)]).unwrap().i_squared, 0.0);
    }

    fn stats(values: &[f64]) -> SufficientStats {
        SufficientStats::from_values(values)
    }

    #[test]
    fn compares_each_segment_and_tests_heterogeneity() {
        let segments = vec![
            SegmentStats {
                segment: "BR".into(),
                control: stats(&[1.0, 2.0, 3.0, 2.0, 1.5]),
                treatment: stats(&[5.0, 6.0, 7.0, 6.5, 5.5]),
            },
            SegmentStats {
                segment: "DE".into(),
                control: stats(&[1.0, 2.0, 3.0, 2.5]),
                treatment: stats(&[1.2, 2.1, 3.1, 2.4]),
            },
            SegmentStats {
                segment: "US".into(),
                control: stats(&[1.0, 2.0, 3.0, 2.5, 1.5]),
                treatment: stats(&[1.1, 2.2, 2.9, 2.6, 1.4]),
            },
            SegmentStats {
                segment: "FR".into(),
                control: stats(&[1.0]),
                treatment: stats(&[1.2, 2.0]),
            },
        ];
        let m = compare_segments(
            "revenue",
            ResolvedKind::Mean,
            "control",
            "t",
            &segments,
            0.05,
        )
        .unwrap();
        assert_eq!(m.rows.len(), 4);
        assert_eq!(m.rows[3].diff, None);
        assert!(m.warnings.iter().any(|w| w.contains("segment FR")));
        let zero = vec![
            SegmentStats {
                segment: "A".into(),
                control: stats(&[0.0, 0.0, 0.0]),
                treatment: stats(&[1.0, 2.0, 1.5]),
            },
            SegmentStats {
                segment: "B".into(),
                control: stats(&[1.0, 2.0, 1.5]),
                treatment: stats(&[1.0, 2.5, 1.5]),
            },
        ];
        let z = compare_segments("m", ResolvedKind::Mean, "control", "t", &zero, 0.05).unwrap();
        assert_eq!(z.rows[0].rel_lift, None);
        assert!(
            z.warnings.iter().any(|w| w.starts_with("Segment A: ")),
            "{:?}",
            z.warnings
        );
        assert!(m.q.unwrap() > 10.0);
        let br = &m.rows[0];
        assert!(br.p_value_holm.unwrap() >= br.p_value.unwrap());
        let sentence = heterogeneity_sentence("country", &m, 0.05);
        assert!(sentence.contains("comes mostly from BR"), "{sentence}");
    }

    #[test]
    fn too_few_segments_leave_q_undefined() {
        let m = segment_table("m", "t", vec![SegmentRow::default()]);
        assert_eq!(m.q, None);
        assert!(!m.warnings.is_empty());
        assert!(heterogeneity_sentence("c", &m, 0.05).contains("cannot be tested"));
    }
}
