//! A/B(/n) experiment analysis on sufficient statistics (CONTRACT.md, `throughline analyze`).

use super::dist;
use super::verdict::{self, ComparisonFacts};
use super::{
    AnalysisError, Comparison, ExperimentResult, MetricResult, ResolvedKind, SrmResult,
    SufficientStats, VariantStats,
};
use crate::model::MetricKind;

/// Everything an experiment analysis needs, whatever file or query it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExperimentInput {
    /// The file (or source) the data came from, for the report.
    pub file: String,
    /// The variant column's name, for messages.
    pub variant_column: String,
    /// Data rows read (all variants).
    pub rows: u64,
    /// Rows per variant (for the sample-ratio check). After the control, variants are reported
    /// in this order.
    pub variant_rows: Vec<(String, u64)>,
    /// The metrics, each with one entry of statistics per entry of `variant_rows`.
    pub metrics: Vec<MetricInput>,
    pub control: String,
    pub alpha: f64,
    /// Expected share of rows per variant; empty means an equal split. Need not sum to 1.
    pub expected_split: Vec<(String, f64)>,
    /// Warnings from reading the data, passed through to the result.
    pub warnings: Vec<String>,
}

/// One metric of an experiment: statistics aligned with `ExperimentInput::variant_rows`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricInput {
    pub name: String,
    pub kind: MetricKind,
    pub stats: Vec<SufficientStats>,
}

/// Analyses an experiment: per-variant summaries, every treatment against the control, the
/// Holm adjustment per metric, and the sample-ratio check.
pub fn analyze_experiment(input: &ExperimentInput) -> Result<ExperimentResult, AnalysisError> {
    check_alpha(input.alpha)?;
    let names: Vec<String> = input.variant_rows.iter().map(|(v, _)| v.clone()).collect();
    if names.len() < 2 {
        return Err(AnalysisError::TooFewVariants {
            column: input.variant_column.clone(),
            found: names,
        });
    }
    let Some(control_index) = names.iter().position(|v| *v == input.control) else {
        return Err(AnalysisError::UnknownControl {
            control: input.control.clone(),
            column: input.variant_column.clone(),
            found: names,
        });
    };
    // Control first, then the others in the order given.
    let mut order = vec![control_index];
    order.extend((0..names.len()).filter(|&i| i != control_index));

    let mut warnings = input.warnings.clone();
    let srm = sample_ratio_check(&input.variant_rows, &input.expected_split)?;
    if let Some(w) = &srm.warning {
        warnings.push(w.clone());
    }

    let mut metrics = Vec::with_capacity(input.metrics.len());
    for metric in &input.metrics {
        if metric.stats.len() != names.len() {
            return Err(AnalysisError::BadInput(format!(
                "the metric \"{}\" has statistics for {} variants, but there are {}",
                metric.name,
                metric.stats.len(),
                names.len()
            )));
        }
        metrics.push(analyze_metric(
            metric,
            &names,
            &order,
            input.alpha,
            &mut warnings,
        )?);
    }
    dedup_keep_order(&mut warnings);
    Ok(ExperimentResult {
        file: input.file.clone(),
        rows: input.rows,
        alpha: input.alpha,
        control: input.control.clone(),
        srm,
        metrics,
        warnings,
        ..ExperimentResult::default()
    })
}

pub(crate) fn check_alpha(alpha: f64) -> Result<(), AnalysisError> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(AnalysisError::BadAlpha(alpha))
    }
}

fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|w| seen.insert(w.clone()));
}

/// Decides mean or proportion for a metric.
pub fn resolve_kind(
    metric: &str,
    kind: MetricKind,
    stats: &[SufficientStats],
) -> Result<ResolvedKind, AnalysisError> {
    let binary = stats.iter().all(SufficientStats::all_binary);
    let any_value = stats.iter().any(|s| s.n() > 0);
    match kind {
        MetricKind::Mean => Ok(ResolvedKind::Mean),
        MetricKind::Proportion if binary => Ok(ResolvedKind::Proportion),
        MetricKind::Proportion => {
            let example = stats
                .iter()
                .find(|s| !s.all_binary())
                .and_then(|s| s.mean())
                .map(|m| format!("values averaging {}", crate::format::number(m)))
                .unwrap_or_else(|| "non-0/1 values".to_owned());
            Err(AnalysisError::NotBinary {
                metric: metric.to_owned(),
                example,
            })
        }
        MetricKind::Auto if binary && any_value => Ok(ResolvedKind::Proportion),
        MetricKind::Auto => Ok(ResolvedKind::Mean),
    }
}

fn analyze_metric(
    metric: &MetricInput,
    names: &[String],
    order: &[usize],
    alpha: f64,
    warnings: &mut Vec<String>,
) -> Result<MetricResult, AnalysisError> {
    let kind = resolve_kind(&metric.name, metric.kind, &metric.stats)?;
    let name = metric.name.as_str();
    if metric.stats.iter().all(|s| s.n() == 0) {
        warnings.push(format!(
            "{name}: no variant has a usable value, so nothing could be computed for this metric."
        ));
    }
    for (i, s) in metric.stats.iter().enumerate() {
        let variant = names.get(i).map(String::as_str).unwrap_or("?");
        if s.non_finite() > 0 {
            warnings.push(format!(
                "{name}: {} value{} in variant {variant} {} NaN or infinite and {} left out as missing.",
                s.non_finite(),
                plural(s.non_finite()),
                if s.non_finite() == 1 { "was" } else { "were" },
                if s.non_finite() == 1 { "was" } else { "were" },
            ));
        }
        if s.unreadable() > 0 {
            warnings.push(format!(
                "{name}: {} value{} in variant {variant} could not be read as a number and {} \
                 skipped (--skip-bad-rows).",
                s.unreadable(),
                plural(s.unreadable()),
                if s.unreadable() == 1 { "was" } else { "were" },
            ));
        }
    }

    let variants: Vec<VariantStats> = order
        .iter()
        .filter_map(|&i| {
            let s = metric.stats.get(i)?;
            let variant = names.get(i)?;
            Some(variant_stats(name, variant, kind, s, alpha, warnings))
        })
        .collect();

    let control_index = order.first().copied().unwrap_or(0);
    let control_name = names.get(control_index).map(String::as_str).unwrap_or("");
    let control = metric.stats.get(control_index).copied().unwrap_or_default();
    let mut comparisons: Vec<Comparison> = order
        .iter()
        .skip(1)
        .filter_map(|&i| {
            let s = metric.stats.get(i)?;
            let variant = names.get(i)?;
            Some(compare(
                name,
                kind,
                Arm(variant, s),
                Arm(control_name, &control),
                alpha,
                warnings,
            ))
        })
        .collect();

    let p_values: Vec<Option<f64>> = comparisons.iter().map(|c| c.p_value).collect();
    let adjusted = holm(&p_values);
    let count = comparisons.len();
    for (c, p_holm) in comparisons.iter_mut().zip(adjusted) {
        c.p_value_holm = p_holm;
        let i = names.iter().position(|v| *v == c.treatment).unwrap_or(0);
        let treatment_stats = metric.stats.get(i).copied().unwrap_or_default();
        let extras = super::decision::comparison_extras(
            kind,
            &treatment_stats,
            &control,
            c.rel_lift,
            alpha,
            super::decision::Direction::HigherIsBetter,
        );
        set_extras(c, &extras);
        c.verdict = verdict::comparison_verdict(&ComparisonFacts {
            metric: name,
            kind,
            treatment: &c.treatment,
            control: control_name,
            mean_treatment: treatment_stats.mean(),
            mean_control: control.mean(),
            diff: c.diff,
            diff_ci: pair(c.diff_ci_low, c.diff_ci_high),
            rel: c.rel_lift,
            rel_ci: pair(c.rel_ci_low, c.rel_ci_high),
            p_value: c.p_value,
            p_value_holm: c.p_value_holm,
            comparisons: count,
            alpha,
            reason: comparison_reason(kind, &treatment_stats, &control, &c.treatment, control_name),
        });
    }
    Ok(MetricResult {
        metric: metric.name.clone(),
        kind,
        variants,
        comparisons,
        ..MetricResult::default()
    })
}

/// Copies the decision-grade figures into a comparison's JSON keys.
pub(crate) fn set_extras(c: &mut Comparison, extras: &super::decision::ComparisonExtras) {
    c.rel_p_value = extras.rel_p_value;
    c.mde = extras.mde;
    c.mde_rel = extras.mde_rel;
    c.chance_to_win = extras.chance_to_win;
    c.expected_loss = extras.expected_loss;
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn pair(a: Option<f64>, b: Option<f64>) -> Option<(f64, f64)> {
    Some((a?, b?))
}

/// Keeps a figure only when it is a finite number.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn variant_stats(
    metric: &str,
    variant: &str,
    kind: ResolvedKind,
    s: &SufficientStats,
    alpha: f64,
    warnings: &mut Vec<String>,
) -> VariantStats {
    let mut out = VariantStats {
        variant: variant.to_owned(),
        n: s.n(),
        missing: s.missing(),
        mean: s.mean().and_then(finite),
        std_dev: s.std_dev().and_then(finite),
        ci_low: None,
        ci_high: None,
    };
    let n = s.n();
    if n == 0 {
        warnings.push(format!(
            "{metric}: variant {variant} has no values, so its mean and interval are undefined."
        ));
        return out;
    }
    match kind {
        ResolvedKind::Proportion => {
            if let (Some(p), Some(z)) = (out.mean, dist::z_two_sided(alpha)) {
                let (lo, hi) = wilson(p, n as f64, z);
                out.ci_low = finite(lo);
                out.ci_high = finite(hi);
            }
        }
        ResolvedKind::Mean | ResolvedKind::Ratio => {
            if n < 2 {
                warnings.push(format!(
                    "{metric}: variant {variant} has only one value, so its spread and interval \
                     are undefined."
                ));
                return out;
            }
            let (Some(mean), Some(sd)) = (out.mean, out.std_dev) else {
                return out;
            };
            if sd == 0.0 {
                warnings.push(format!(
                    "{metric}: every value in variant {variant} is the same ({}), so its interval \
                     is undefined.",
                    crate::format::number(mean)
                ));
                return out;
            }
            if let Some(t) = dist::t_two_sided(alpha, (n - 1) as f64) {
                let half = t * sd / (n as f64).sqrt();
                out.ci_low = finite(mean - half);
                out.ci_high = finite(mean + half);
            }
        }
    }
    out
}

/// The Wilson score interval for a proportion p out of n, with normal quantile z.
pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = p + z2 / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (
        ((centre - half) / denominator).max(0.0),
        ((centre + half) / denominator).min(1.0),
    )
}

/// Sampling variance of a variant's mean: s²/n for a mean, p(1 − p)/n for a proportion.
fn variance_of_mean(kind: ResolvedKind, s: &SufficientStats) -> Option<f64> {
    let n = s.n() as f64;
    match kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => Some(s.variance()? / n),
        ResolvedKind::Proportion => {
            let p = s.mean()?;
            Some(p * (1.0 - p) / n)
        }
    }
}

/// Why a comparison has no test, in words (None when it has one).
fn comparison_reason(
    kind: ResolvedKind,
    t: &SufficientStats,
    c: &SufficientStats,
    treatment: &str,
    control: &str,
) -> Option<String> {
    for (s, name) in [(c, control), (t, treatment)] {
        if s.n() == 0 {
            return Some(format!("{name} has no values"));
        }
    }
    if kind == ResolvedKind::Mean {
        for (s, name) in [(c, control), (t, treatment)] {
            if s.n() < 2 {
                return Some(format!(
                    "{name} has only one value, and at least two per variant are needed"
                ));
            }
        }
        if t.variance() == Some(0.0) && c.variance() == Some(0.0) {
            return Some(
                "every value inside each variant is the same, so there is no spread to measure \
                 chance against"
                    .to_owned(),
            );
        }
    } else if t.ones() + c.ones() == 0 {
        return Some("no unit in either variant has a 1 (yes)".to_owned());
    } else if t.ones() + c.ones() == t.n() + c.n() {
        return Some("every unit in both variants has a 1 (yes)".to_owned());
    }
    None
}

/// One side of a comparison: the variant's name and its statistics.
#[derive(Clone, Copy)]
struct Arm<'a>(&'a str, &'a SufficientStats);

fn compare(
    metric: &str,
    kind: ResolvedKind,
    Arm(treatment, t): Arm<'_>,
    Arm(control, c): Arm<'_>,
    alpha: f64,
    warnings: &mut Vec<String>,
) -> Comparison {
    let mut out = Comparison {
        treatment: treatment.to_owned(),
        ..Comparison::default()
    };
    let (Some(mean_t), Some(mean_c)) = (t.mean(), c.mean()) else {
        return out;
    };
    let diff = t.mean_diff(c).unwrap_or(mean_t - mean_c);
    out.diff = finite(diff);
    let z_crit = dist::z_two_sided(alpha);

    // Relative lift and its delta-method interval: meaningful only for a control level that
    // is positive and whose own interval excludes zero.
    let control_ci_low = match kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => {
            match (c.variance(), dist::t_two_sided(alpha, c.n() as f64 - 1.0)) {
                (Some(v), Some(q)) if c.n() >= 2 => Some(mean_c - q * (v / c.n() as f64).sqrt()),
                _ => None,
            }
        }
        ResolvedKind::Proportion => None,
    };
    if mean_c == 0.0 {
        warnings.push(format!(
            "{metric}: the control's mean is zero, so the relative change of {treatment} is \
             undefined."
        ));
    } else if mean_c < 0.0 {
        warnings.push(format!(
            "{metric}: the control's mean is negative ({}), so a relative change of {treatment} \
             is not meaningful and is left out; read the difference instead.",
            crate::format::number(mean_c)
        ));
    } else if control_ci_low.is_some_and(|lo| lo <= 0.0) {
        warnings.push(format!(
            "{metric}: the control's interval includes zero, so a relative change of \
             {treatment} is not meaningful and is left out; read the difference instead."
        ));
    } else {
        out.rel_lift = finite(diff / mean_c);
        if let (Some(vt), Some(vc), Some(z)) =
            (variance_of_mean(kind, t), variance_of_mean(kind, c), z_crit)
        {
            let se = (vt / (mean_c * mean_c) + mean_t * mean_t * vc / mean_c.powi(4)).sqrt();
            if se > 0.0
                && se.is_finite()
                && let Some(rel) = out.rel_lift
            {
                out.rel_ci_low = finite(rel - z * se);
                out.rel_ci_high = finite(rel + z * se);
            }
        }
    }

    match kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => {
            if t.n() < 2 || c.n() < 2 {
                let short = if c.n() < 2 { control } else { treatment };
                warnings.push(format!(
                    "{metric}: {short} has fewer than two values, so the test of {treatment} \
                     against {control} and its interval are undefined."
                ));
                return out;
            }
            let (Some(vt), Some(vc)) = (variance_of_mean(kind, t), variance_of_mean(kind, c))
            else {
                return out;
            };
            let se2 = vt + vc;
            if se2.is_nan() || se2 <= 0.0 {
                warnings.push(format!(
                    "{metric}: every value in {treatment} and in {control} is the same, so the \
                     test and interval for {treatment} are undefined."
                ));
                return out;
            }
            let se = se2.sqrt();
            let nt = t.n() as f64;
            let nc = c.n() as f64;
            let df = se2 * se2 / (vt * vt / (nt - 1.0) + vc * vc / (nc - 1.0));
            let stat = diff / se;
            out.statistic = finite(stat);
            out.df = finite(df);
            out.p_value = dist::t_two_sided_p(stat, df);
            if let Some(q) = dist::t_two_sided(alpha, df) {
                out.diff_ci_low = finite(diff - q * se);
                out.diff_ci_high = finite(diff + q * se);
            }
        }
        ResolvedKind::Proportion => {
            let nt = t.n() as f64;
            let nc = c.n() as f64;
            let pooled = (t.ones() + c.ones()) as f64 / (nt + nc);
            let se_pooled = (pooled * (1.0 - pooled) * (1.0 / nt + 1.0 / nc)).sqrt();
            if se_pooled > 0.0 {
                let z = diff / se_pooled;
                out.statistic = finite(z);
                out.p_value = dist::normal_two_sided_p(z);
            } else {
                warnings.push(format!(
                    "{metric}: every unit in {treatment} and in {control} has the same value, so \
                     the test for {treatment} is undefined."
                ));
            }
            let se = (mean_t * (1.0 - mean_t) / nt + mean_c * (1.0 - mean_c) / nc).sqrt();
            if let Some(z) = z_crit
                && se > 0.0
            {
                out.diff_ci_low = finite(diff - z * se);
                out.diff_ci_high = finite(diff + z * se);
            } else if se == 0.0 && se_pooled > 0.0 {
                warnings.push(format!(
                    "{metric}: {control} is at {} and {treatment} at {}, with no variation \
                     inside either, so the usual interval for the difference (which needs some \
                     spread in at least one variant) cannot be given.",
                    crate::format::percent(mean_c),
                    crate::format::percent(mean_t)
                ));
            }
        }
    }
    out
}

/// Holm's step-down adjustment. `None` entries (no p-value) are skipped and stay `None`; the
/// others are adjusted among themselves.
pub fn holm(p_values: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut indexed: Vec<(usize, f64)> = p_values
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    indexed.sort_by(|a, b| a.1.total_cmp(&b.1));
    let m = indexed.len();
    let mut out = vec![None; p_values.len()];
    let mut running_max = 0.0_f64;
    for (rank, (i, p)) in indexed.into_iter().enumerate() {
        let adjusted = ((m - rank) as f64 * p).min(1.0);
        running_max = running_max.max(adjusted);
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(running_max);
        }
    }
    out
}

/// Pearson's χ² test of the rows per variant against the expected split (equal when empty).
pub fn sample_ratio_check(
    counts: &[(String, u64)],
    expected_split: &[(String, f64)],
) -> Result<SrmResult, AnalysisError> {
    let found: Vec<String> = counts.iter().map(|(v, _)| v.clone()).collect();
    let weights: Vec<f64> = if expected_split.is_empty() {
        vec![1.0; counts.len()]
    } else {
        for (name, w) in expected_split {
            if !found.contains(name) {
                return Err(AnalysisError::BadWeights(format!(
                    "the variant \"{name}\" does not occur in the data; the variants found are: {}",
                    quoted(&found)
                )));
            }
            if !(w.is_finite() && *w > 0.0) {
                return Err(AnalysisError::BadWeights(format!(
                    "the weight of \"{name}\" must be a positive number, not {w}"
                )));
            }
        }
        let mut weights = Vec::with_capacity(counts.len());
        for (name, _) in counts {
            match expected_split.iter().find(|(v, _)| v == name) {
                Some((_, w)) => weights.push(*w),
                None => {
                    return Err(AnalysisError::BadWeights(format!(
                        "no weight for the variant \"{name}\"; give one for each of: {}",
                        quoted(&found)
                    )));
                }
            }
        }
        weights
    };
    let total_weight: f64 = weights.iter().sum();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let mut result = SrmResult {
        counts: counts.iter().cloned().collect(),
        ..SrmResult::default()
    };
    if total == 0 || counts.len() < 2 {
        return Ok(result);
    }
    let total_f = total as f64;
    let mut chi2 = 0.0;
    for ((_, observed), w) in counts.iter().zip(&weights) {
        let expected = total_f * w / total_weight;
        let d = *observed as f64 - expected;
        chi2 += d * d / expected;
    }
    let df = (counts.len() - 1) as f64;
    result.chi2 = finite(chi2);
    result.p_value = dist::chi2_sf(chi2, df);
    if let Some(p) = result.p_value
        && p < 0.001
    {
        let observed = counts
            .iter()
            .map(|(v, n)| format!("{v} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let plan = if expected_split.is_empty() {
            "the plan was an equal split".to_owned()
        } else {
            let shares = counts
                .iter()
                .zip(&weights)
                .map(|((v, _), w)| {
                    format!("{v} {}%", crate::format::sig(100.0 * w / total_weight, 3))
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("the plan was {shares}")
        };
        result.warning = Some(format!(
            "Sample ratio mismatch: the variants received {observed} rows, but {plan}. A gap this large happens by chance less than once in a thousand \
             experiments ({}), so the assignment or the logging is probably broken and the \
             comparisons may be biased.",
            crate::format::p_value(p)
        ));
    }
    Ok(result)
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[f64]) -> SufficientStats {
        SufficientStats::from_values(values)
    }

    fn input(a: &[f64], b: &[f64]) -> ExperimentInput {
        ExperimentInput {
            file: "test".into(),
            variant_column: "variant".into(),
            rows: (a.len() + b.len()) as u64,
            variant_rows: vec![
                ("control".into(), a.len() as u64),
                ("t".into(), b.len() as u64),
            ],
            metrics: vec![MetricInput {
                name: "m".into(),
                kind: MetricKind::Auto,
                stats: vec![stats(a), stats(b)],
            }],
            control: "control".into(),
            alpha: 0.05,
            expected_split: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn holm_matches_hand_computation() {
        let adj = holm(&[Some(0.01), Some(0.04), None, Some(0.03)]);
        assert_eq!(adj[0], Some(0.03));
        assert_eq!(adj[2], None);
        assert!((adj[3].unwrap() - 0.06).abs() < 1e-15);
        assert!((adj[1].unwrap() - 0.06).abs() < 1e-15);
    }

    #[test]
    fn zero_variance_gives_nulls_and_warnings() {
        let r = analyze_experiment(&input(&[2.0, 2.0, 2.0], &[2.0, 2.0])).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(c.diff, Some(0.0));
        assert_eq!(c.p_value, None);
        assert_eq!(c.statistic, None);
        assert!(r.warnings.iter().any(|w| w.contains("same")));
        assert!(c.verdict.contains("cannot be judged"));
    }

    #[test]
    fn zero_control_mean_gives_null_lift() {
        let r = analyze_experiment(&input(&[-1.0, 1.0, 0.0], &[2.0, 3.0])).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(c.rel_lift, None);
        assert!(c.p_value.is_some());
    }

    #[test]
    fn a_negative_control_mean_or_one_whose_interval_holds_zero_gives_no_relative_lift() {
        // Control mean −2.02: no "(−11%)" relative change.
        let r = analyze_experiment(&input(&[-2.0, -2.04, -2.02], &[-1.8, -1.78, -1.79])).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(
            (c.rel_lift, c.rel_ci_low, c.rel_p_value),
            (None, None, None)
        );
        assert!(
            r.warnings.iter().any(|w| w.contains("negative")),
            "{:?}",
            r.warnings
        );
        assert!(!c.verdict.contains("−11"), "{}", c.verdict);
        assert!(c.verdict.contains("(+0.23, 95% CI"), "{}", c.verdict);
        // Control mean 0.5 with an interval through zero.
        let r = analyze_experiment(&input(&[-3.0, 4.0, 0.5], &[2.0, 3.0, 2.5])).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(c.rel_lift, None);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("interval includes zero"))
        );
    }

    #[test]
    fn zero_variance_in_both_arms_says_no_test_is_possible() {
        let r = analyze_experiment(&input(&[2.0, 2.0, 2.0], &[3.0, 3.0])).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert!(
            c.verdict.starts_with("No test is possible"),
            "{}",
            c.verdict
        );
        assert!(!c.verdict.contains("raised"), "{}", c.verdict);
    }

    #[test]
    fn rates_of_zero_and_one_hundred_percent_say_why_the_interval_is_missing() {
        let mut i = input(&[0.0, 0.0, 0.0], &[1.0, 1.0, 1.0]);
        i.metrics[0].kind = MetricKind::Proportion;
        let r = analyze_experiment(&i).unwrap();
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(c.diff_ci_low, None);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("at 0%") && w.contains("at 100%") && w.contains("interval")),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn the_srm_sentence_reads_naturally() {
        let counts = vec![("a".to_owned(), 1000), ("b".to_owned(), 1300)];
        let w = sample_ratio_check(&counts, &[]).unwrap().warning.unwrap();
        assert!(w.contains("rows, but the plan was an equal split."), "{w}");
        let split = vec![("a".to_owned(), 0.5), ("b".to_owned(), 0.5)];
        let w = sample_ratio_check(&counts, &split)
            .unwrap()
            .warning
            .unwrap();
        assert!(w.contains("but the plan was a 50%, b 50%."), "{w}");
        assert!(!w.contains("was planned"), "{w}");
    }

    #[test]
    fn single_value_variant() {
        let r = analyze_experiment(&input(&[1.5], &[2.0, 3.0])).unwrap();
        assert_eq!(r.metrics[0].variants[0].std_dev, None);
        assert_eq!(r.metrics[0].comparisons[0].p_value, None);
        let r = analyze_experiment(&input(&[], &[2.0, 3.0])).unwrap();
        assert_eq!(r.metrics[0].variants[0].mean, None);
        assert_eq!(r.metrics[0].comparisons[0].diff, None);
    }

    #[test]
    fn unknown_control_lists_variants() {
        let mut i = input(&[1.0, 2.0], &[2.0, 3.0]);
        i.control = "ctrl".into();
        let e = analyze_experiment(&i).unwrap_err().to_string();
        assert!(e.contains("\"control\", \"t\""), "{e}");
        i.variant_rows.truncate(1);
        let e = analyze_experiment(&i).unwrap_err().to_string();
        assert!(e.contains("only one"), "{e}");
    }

    #[test]
    fn proportion_all_zero() {
        let r = analyze_experiment(&input(&[0.0, 0.0, 0.0], &[0.0, 0.0])).unwrap();
        assert_eq!(r.metrics[0].kind, ResolvedKind::Proportion);
        let c = &r.metrics[0].comparisons[0];
        assert_eq!(c.p_value, None);
        assert_eq!(c.rel_lift, None);
        let v = &r.metrics[0].variants[0];
        assert_eq!(v.ci_low, Some(0.0));
        assert!(v.ci_high.unwrap() > 0.0);
    }

    #[test]
    fn bad_weights_are_errors() {
        let counts = vec![("a".to_owned(), 10), ("b".to_owned(), 12)];
        assert!(sample_ratio_check(&counts, &[("a".into(), 1.0)]).is_err());
        assert!(sample_ratio_check(&counts, &[("a".into(), 1.0), ("c".into(), 1.0)]).is_err());
        assert!(sample_ratio_check(&counts, &[("a".into(), 0.0), ("b".into(), 1.0)]).is_err());
        let ok = sample_ratio_check(&counts, &[("a".into(), 1.0), ("b".into(), 1.0)]).unwrap();
        assert!(ok.p_value.unwrap() > 0.5);
    }

    #[test]
    fn srm_warns_on_a_big_gap() {
        let counts = vec![("a".to_owned(), 1000), ("b".to_owned(), 1300)];
        let r = sample_ratio_check(&counts, &[]).unwrap();
        assert!(r.warning.unwrap().contains("Sample ratio mismatch"));
    }
}
