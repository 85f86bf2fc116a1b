//! The whole experiment analysis of CONTRACT.md's second wave, from per-variant statistics:
//! plain metrics (means and proportions), CUPED-adjusted metrics (`--covariate`), ratio metrics
//! (`--ratio`), the breakdown by segment (`--segment`) and the ship / don't-ship rule
//! (`--success`, `--guardrail`, `--lower-is-better`). The reading path
//! (`data::aggregate::run_experiment`) gathers every statistic in one pass and calls
//! [`analyze_full`]; the command line and the window both go through it.

use super::cuped::{CupedStats, cuped};
use super::decision::{
    self, DecisionInput, Direction, MetricOutcome, MetricRole, comparison_extras,
};
use super::experiment::set_extras;
use super::ratio::{RatioResult, RatioStats, analyze_ratio};
use super::segments::{SegmentStats, compare_segments, segment_table};
use super::verdict::{self, ComparisonFacts};
use super::{
    AnalysisError, Comparison, ExperimentInput, ExperimentResult, MetricInput, MetricResult,
    ResolvedKind, SegmentRow, SegmentsResult, SufficientStats, VariantStats, analyze_experiment,
};
use crate::model::MetricKind;

/// Where one metric's statistics come from; each vector is aligned with the variants of
/// [`FullInput::base`].
#[derive(Clone, Debug, PartialEq)]
pub enum MetricSource {
    /// A column of values (mean or proportion).
    Plain(Vec<SufficientStats>),
    /// A column adjusted by CUPED with the pre-experiment column `covariate`.
    Cuped {
        covariate: String,
        stats: Vec<CupedStats>,
    },
    /// A ratio metric ΣNUM/ΣDEN.
    Ratio(Vec<RatioStats>),
}

/// One metric of the analysis, in the order reported.
#[derive(Clone, Debug, PartialEq)]
pub struct FullMetric {
    /// The name reported (the column, or the ratio metric's name).
    pub name: String,
    pub kind: MetricKind,
    pub source: MetricSource,
    /// Success or guardrail in the decision rule; `None` = informative.
    pub role: Option<MetricRole>,
    pub direction: Direction,
}

/// One segment's statistics: per metric (aligned with [`FullInput::metrics`]) and variant
/// (aligned with the variants of [`FullInput::base`]). CUPED metrics are broken down unadjusted
/// (their `Plain` statistics), ratio metrics by their own statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentInput {
    pub label: String,
    pub metrics: Vec<SegmentMetricStats>,
}

/// One metric's statistics in one segment.
#[derive(Clone, Debug, PartialEq)]
pub enum SegmentMetricStats {
    Plain(Vec<SufficientStats>),
    Ratio(Vec<RatioStats>),
}

/// The breakdown by segment: the column and its segments (the K most frequent values, then
/// "other").
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentsInput {
    pub column: String,
    pub segments: Vec<SegmentInput>,
    /// Why some values were pooled, said once.
    pub warnings: Vec<String>,
}

/// Everything [`analyze_full`] needs. `base` gives the file, the variants with their rows, the
/// control, α, the expected split and the reading warnings; its `metrics` are ignored
/// (they come from `metrics`).
#[derive(Clone, Debug, PartialEq)]
pub struct FullInput {
    pub base: ExperimentInput,
    pub metrics: Vec<FullMetric>,
    pub segments: Option<SegmentsInput>,
}

/// Analyses the experiment (see the module documentation).
pub fn analyze_full(input: &FullInput) -> Result<ExperimentResult, AnalysisError> {
    let alpha = input.base.alpha;
    let names: Vec<String> = input
        .base
        .variant_rows
        .iter()
        .map(|(v, _)| v.clone())
        .collect();
    // Means and proportions, unadjusted: one run gives the SRM check, the variant checks and
    // every plain comparison.
    let plain: Vec<MetricInput> = input
        .metrics
        .iter()
        .filter_map(|m| {
            let stats = match &m.source {
                MetricSource::Plain(s) => s.clone(),
                MetricSource::Cuped { stats, .. } => {
                    stats.iter().map(CupedStats::unadjusted).collect()
                }
                MetricSource::Ratio(_) => return None,
            };
            Some(MetricInput {
                name: m.name.clone(),
                kind: m.kind,
                stats,
            })
        })
        .collect();
    let mut base = input.base.clone();
    base.metrics = plain;
    let mut result = analyze_experiment(&base)?;
    let mut plain_results = std::mem::take(&mut result.metrics).into_iter();
    let mut warnings = std::mem::take(&mut result.warnings);

    let control_index = names
        .iter()
        .position(|v| *v == input.base.control)
        .unwrap_or(0);
    for m in &input.metrics {
        let metric = match &m.source {
            MetricSource::Plain(stats) => {
                let mut r = plain_results.next().unwrap_or_default();
                redirect(&mut r, stats, control_index, &names, alpha, m.direction);
                r
            }
            MetricSource::Cuped { covariate, stats } => {
                let unadjusted = plain_results.next().unwrap_or_default();
                cuped_metric(&input.base, m, covariate, stats, unadjusted, &mut warnings)?
            }
            MetricSource::Ratio(stats) => {
                ratio_metric(&input.base, m, stats, control_index, &names, &mut warnings)?
            }
        };
        result.metrics.push(metric);
    }

    if let Some(seg) = &input.segments {
        result.segments = Some(segments(input, seg, &result, &mut warnings)?);
    }
    if input.metrics.iter().any(|m| m.role.is_some()) {
        for (i, treatment) in names.iter().enumerate() {
            if i == control_index {
                continue;
            }
            let outcomes = input
                .metrics
                .iter()
                .zip(&result.metrics)
                .filter_map(|(m, r)| {
                    let role = m.role?;
                    let cmp = r.comparisons.iter().find(|x| x.treatment == *treatment);
                    let se_rel = cmp.and_then(|x| se_rel_of(x, alpha));
                    Some(MetricOutcome {
                        metric: m.name.clone(),
                        role,
                        direction: m.direction,
                        rel_lift: cmp.and_then(|x| x.rel_lift),
                        se_rel,
                    })
                })
                .collect();
            let decision = decision::decide(&DecisionInput {
                treatment: treatment.clone(),
                control: input.base.control.clone(),
                alpha,
                srm_p_value: result.srm.p_value,
                treatments: names.len().saturating_sub(1),
                metrics: outcomes,
            })?;
            result.decisions.push(decision);
        }
    }
    dedup_keep_order(&mut warnings);
    result.warnings = warnings;
    Ok(result)
}

/// The delta-method standard error behind a comparison's relative interval (recovered from the
/// interval, which is rel ± z(1−α/2)·se_rel).
fn se_rel_of(c: &Comparison, alpha: f64) -> Option<f64> {
    let z = super::dist::z_two_sided(alpha)?;
    let (lo, hi) = (c.rel_ci_low?, c.rel_ci_high?);
    let se = (hi - lo) / (2.0 * z);
    (se > 0.0 && se.is_finite()).then_some(se)
}

/// Recomputes the chance to win and the expected loss of a lower-is-better metric.
fn redirect(
    r: &mut MetricResult,
    stats: &[SufficientStats],
    control_index: usize,
    names: &[String],
    alpha: f64,
    direction: Direction,
) {
    if direction == Direction::HigherIsBetter {
        return;
    }
    let control = stats.get(control_index).copied().unwrap_or_default();
    for c in &mut r.comparisons {
        let Some(t) = names
            .iter()
            .position(|v| *v == c.treatment)
            .and_then(|i| stats.get(i))
        else {
            continue;
        };
        let extras = comparison_extras(r.kind, t, &control, c.rel_lift, alpha, direction);
        set_extras(c, &extras);
    }
}

fn cuped_metric(
    base: &ExperimentInput,
    m: &FullMetric,
    covariate: &str,
    stats: &[CupedStats],
    mut unadjusted: MetricResult,
    warnings: &mut Vec<String>,
) -> Result<MetricResult, AnalysisError> {
    let names: Vec<String> = base.variant_rows.iter().map(|(v, _)| v.clone()).collect();
    let control_index = names.iter().position(|v| *v == base.control).unwrap_or(0);
    let pairs: Vec<(String, CupedStats)> = names.iter().cloned().zip(stats.to_vec()).collect();
    let c = cuped(&m.name, covariate, &pairs);
    warnings.extend(c.warnings.iter().cloned());
    let raw: Vec<SufficientStats> = stats.iter().map(CupedStats::unadjusted).collect();
    redirect(
        &mut unadjusted,
        &raw,
        control_index,
        &names,
        base.alpha,
        m.direction,
    );
    let adjusted: Vec<SufficientStats> = c.variants.iter().map(|v| v.adjusted).collect();
    let mut input = base.clone();
    input.warnings = Vec::new();
    input.expected_split = Vec::new();
    input.metrics = vec![MetricInput {
        name: m.name.clone(),
        kind: MetricKind::Mean,
        stats: adjusted.clone(),
    }];
    let adjusted_result = analyze_experiment(&input)?;
    // Warnings about the adjusted metric (not the SRM, said once already).
    warnings.extend(
        adjusted_result
            .warnings
            .iter()
            .filter(|w| adjusted_result.srm.warning.as_ref() != Some(*w))
            .cloned(),
    );
    let mut out = adjusted_result
        .metrics
        .into_iter()
        .next()
        .unwrap_or_default();
    redirect(
        &mut out,
        &adjusted,
        control_index,
        &names,
        base.alpha,
        m.direction,
    );
    if c.theta.is_some() {
        for cmp in &mut out.comparisons {
            if let Some(reduction) = c.variance_reduction {
                cmp.verdict = format!(
                    "{} (Adjusted for {covariate}, which removed {} of the noise.)",
                    cmp.verdict,
                    crate::format::percent(reduction.max(0.0))
                );
            }
        }
    }
    out.covariate = Some(covariate.to_owned());
    out.theta = c.theta;
    out.variance_reduction = c.variance_reduction;
    out.covariate_missing = c.covariate_missing;
    out.comparisons_unadjusted = std::mem::take(&mut unadjusted.comparisons);
    Ok(out)
}

fn ratio_metric(
    base: &ExperimentInput,
    m: &FullMetric,
    stats: &[RatioStats],
    control_index: usize,
    names: &[String],
    warnings: &mut Vec<String>,
) -> Result<MetricResult, AnalysisError> {
    let pairs: Vec<(String, RatioStats)> = names.iter().cloned().zip(stats.to_vec()).collect();
    let r = analyze_ratio(&m.name, &pairs, &base.control, base.alpha)?;
    warnings.extend(r.warnings.iter().cloned());
    Ok(ratio_result(&r, m, stats.get(control_index), base.alpha))
}

/// A ratio metric's result in the shape of every other metric.
fn ratio_result(
    r: &RatioResult,
    m: &FullMetric,
    control: Option<&RatioStats>,
    alpha: f64,
) -> MetricResult {
    let control_ratio = control.and_then(RatioStats::ratio);
    let variants = r
        .variants
        .iter()
        .map(|v| VariantStats {
            variant: v.variant.clone(),
            n: v.n,
            missing: v.missing,
            mean: v.mean,
            std_dev: v.std_dev,
            ci_low: v.ci_low,
            ci_high: v.ci_high,
        })
        .collect();
    let count = r.comparisons.len();
    let control_name = r
        .variants
        .first()
        .map(|v| v.variant.clone())
        .unwrap_or_default();
    let comparisons = r
        .comparisons
        .iter()
        .map(|c| {
            let mut out = Comparison {
                treatment: c.treatment.clone(),
                diff: c.diff,
                diff_ci_low: c.diff_ci_low,
                diff_ci_high: c.diff_ci_high,
                rel_lift: c.rel_lift,
                rel_ci_low: c.rel_ci_low,
                rel_ci_high: c.rel_ci_high,
                statistic: c.statistic,
                df: None,
                p_value: c.p_value,
                p_value_holm: c.p_value_holm,
                rel_p_value: c.rel_p_value,
                ..Comparison::default()
            };
            if let (Some(d), Some(se)) = (c.diff, c.se_diff) {
                let mde = decision::mde(alpha, se, control_ratio.unwrap_or(0.0));
                out.mde = mde.mde;
                out.mde_rel = mde.mde_rel;
                out.chance_to_win = decision::chance_to_win(d, se, m.direction);
                out.expected_loss = decision::expected_loss(d, se, m.direction);
            }
            let mean_t = r
                .variants
                .iter()
                .find(|v| v.variant == c.treatment)
                .and_then(|v| v.mean);
            out.verdict = verdict::comparison_verdict(&ComparisonFacts {
                metric: &m.name,
                kind: ResolvedKind::Ratio,
                treatment: &c.treatment,
                control: &control_name,
                mean_treatment: mean_t,
                mean_control: control_ratio,
                diff: c.diff,
                diff_ci: c.diff_ci_low.zip(c.diff_ci_high),
                rel: c.rel_lift,
                rel_ci: c.rel_ci_low.zip(c.rel_ci_high),
                p_value: c.p_value,
                p_value_holm: c.p_value_holm,
                comparisons: count,
                alpha,
                reason: None,
            });
            out
        })
        .collect();
    MetricResult {
        metric: m.name.clone(),
        kind: ResolvedKind::Ratio,
        variants,
        comparisons,
        ..MetricResult::default()
    }
}

fn segments(
    input: &FullInput,
    seg: &SegmentsInput,
    result: &ExperimentResult,
    warnings: &mut Vec<String>,
) -> Result<SegmentsResult, AnalysisError> {
    let alpha = input.base.alpha;
    let names: Vec<String> = input
        .base
        .variant_rows
        .iter()
        .map(|(v, _)| v.clone())
        .collect();
    let control = input.base.control.as_str();
    let control_index = names.iter().position(|v| v == control).unwrap_or(0);
    warnings.extend(seg.warnings.iter().cloned());
    let mut out = SegmentsResult {
        column: seg.column.clone(),
        metrics: Vec::new(),
    };
    for (k, (m, r)) in input.metrics.iter().zip(&result.metrics).enumerate() {
        for (t, treatment) in names.iter().enumerate() {
            if t == control_index {
                continue;
            }
            let table = match &m.source {
                MetricSource::Ratio(_) => {
                    let mut rows = Vec::with_capacity(seg.segments.len());
                    for s in &seg.segments {
                        let Some(SegmentMetricStats::Ratio(stats)) = s.metrics.get(k) else {
                            continue;
                        };
                        let (Some(c), Some(ts)) = (stats.get(control_index), stats.get(t)) else {
                            continue;
                        };
                        let mut row = SegmentRow {
                            segment: s.label.clone(),
                            n_control: c.n(),
                            n_treatment: ts.n(),
                            ..SegmentRow::default()
                        };
                        if c.n() >= 2 && ts.n() >= 2 {
                            let pair = vec![(control.to_owned(), *c), (treatment.clone(), *ts)];
                            let rr = analyze_ratio(&m.name, &pair, control, alpha)?;
                            if let Some(cmp) = rr.comparisons.first() {
                                row.diff = cmp.diff;
                                row.diff_ci_low = cmp.diff_ci_low;
                                row.diff_ci_high = cmp.diff_ci_high;
                                row.rel_lift = cmp.rel_lift;
                                row.p_value = cmp.p_value;
                                row.se_diff = cmp.se_diff;
                            }
                        } else {
                            warnings.push(format!(
                                "{}, segment {}: {} has fewer than 2 units with both values, so \
                                 this segment is not compared.",
                                m.name,
                                s.label,
                                if c.n() < 2 {
                                    control
                                } else {
                                    treatment.as_str()
                                }
                            ));
                        }
                        rows.push(row);
                    }
                    segment_table(&m.name, treatment, rows)
                }
                _ => {
                    let stats: Vec<SegmentStats> = seg
                        .segments
                        .iter()
                        .filter_map(|s| match s.metrics.get(k) {
                            Some(SegmentMetricStats::Plain(st)) => Some(SegmentStats {
                                segment: s.label.clone(),
                                control: st.get(control_index).copied().unwrap_or_default(),
                                treatment: st.get(t).copied().unwrap_or_default(),
                            }),
                            _ => None,
                        })
                        .collect();
                    // A CUPED metric is broken down unadjusted, as a mean.
                    let kind = match (&m.source, r.kind) {
                        (MetricSource::Cuped { .. }, _) => ResolvedKind::Mean,
                        (_, kind) => kind,
                    };
                    let kind = match (&m.source, m.kind) {
                        (MetricSource::Cuped { .. }, MetricKind::Proportion | MetricKind::Auto)
                            if stats
                                .iter()
                                .all(|s| s.control.all_binary() && s.treatment.all_binary()) =>
                        {
                            ResolvedKind::Proportion
                        }
                        _ => kind,
                    };
                    compare_segments(&m.name, kind, control, treatment, &stats, alpha)?
                }
            };
            warnings.extend(table.warnings.iter().cloned());
            out.metrics.push(table);
        }
    }
    Ok(out)
}

fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|w| seen.insert(w.clone()));
}
