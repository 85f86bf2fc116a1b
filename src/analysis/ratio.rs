//! Ratio metrics by the delta method (CONTRACT.md, `throughline analyze --ratio NAME=NUM/DEN`),
//! e.g. revenue per session when the unit is the user.
//!
//! Computes, per variant over the units with both NUM and DEN present: R = ΣNUM/ΣDEN and
//! Var(R) = (s_N² − 2R·s_ND + R²·s_D²)/(n·D̄²) with sample (n−1) variances and covariance;
//! `mean` = R, `std_dev` = √(n·Var(R)), and a normal interval R ± z(1−α/2)·√Var(R). Per
//! treatment: diff = R_T − R_C, SE = √(Var_T + Var_C), z = diff/SE with a two-sided normal
//! p-value, CI diff ± z(1−α/2)·SE; rel_lift = diff/R_C with the delta-method interval using
//! Var(R) in place of v, its `rel_p_value`, and `p_value_holm` over the treatments.
//!
//! JSON keys served: a metric with `kind` = "ratio" whose `variants[*]` (variant, n, missing,
//! mean, std_dev, ci_low, ci_high) and `comparisons[*]` (treatment, diff, diff_ci_low,
//! diff_ci_high, rel_lift, rel_ci_low, rel_ci_high, statistic, df = null, p_value, p_value_holm,
//! rel_p_value) come from [`RatioResult`]; `se_diff` and `se_rel` feed `mde`, `chance_to_win`,
//! `expected_loss` and the decision rule (see [`super::decision`]).
//! Wiring: one [`RatioStats`] per variant (push each unit's numerator and denominator, or build
//! it from a summary row with [`RatioStats::from_summary`]), then [`analyze_ratio`].
//!
//! Undefined figures: ΣDEN = 0 in a variant, fewer than 2 units with both values, a control
//! ratio that is zero, negative or whose interval contains zero (no relative change) give `None`
//! and a warning, never an error.

use serde::{Deserialize, Serialize};

use super::comoments::{CoMoments, PairSummary};
use super::dist;
use super::{AnalysisError, decision, holm};
use crate::analysis::experiment::check_alpha;
use crate::format::number;

/// Numerator and denominator of one ratio metric in one variant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatioStats {
    pairs: CoMoments,
    missing: u64,
}

impl RatioStats {
    pub const fn new() -> Self {
        Self {
            pairs: CoMoments::new(),
            missing: 0,
        }
    }

    /// Adds one unit; a NaN or infinite numerator or denominator counts it as missing.
    #[inline]
    pub fn push(&mut self, numerator: f64, denominator: f64) {
        if numerator.is_finite() && denominator.is_finite() {
            self.pairs.push(numerator, denominator);
        } else {
            self.missing += 1;
        }
    }

    /// Counts a unit whose numerator or denominator is missing.
    #[inline]
    pub fn push_missing(&mut self) {
        self.missing += 1;
    }

    /// From a summary row: the units with both values (`pairs`: a = numerator, b = denominator)
    /// and the `missing` units. `None` when a figure is not finite or a variance is negative.
    pub fn from_summary(pairs: PairSummary, missing: u64) -> Option<Self> {
        Some(Self {
            pairs: pairs.co_moments()?,
            missing,
        })
    }

    pub fn merge(&mut self, other: &Self) {
        self.pairs.merge(&other.pairs);
        self.missing += other.missing;
    }

    /// Units with both values.
    pub fn n(&self) -> u64 {
        self.pairs.n()
    }

    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// R = ΣNUM/ΣDEN; `None` without units or when ΣDEN = 0.
    pub fn ratio(&self) -> Option<f64> {
        let den = self.pairs.mean_b()?;
        if den == 0.0 {
            return None;
        }
        let r = self.pairs.mean_a()? / den;
        r.is_finite().then_some(r)
    }

    /// Var(R) = (s_N² − 2R·s_ND + R²·s_D²)/(n·D̄²); `None` below 2 units or when ΣDEN = 0.
    pub fn var_ratio(&self) -> Option<f64> {
        let r = self.ratio()?;
        let n = self.pairs.n();
        if n < 2 {
            return None;
        }
        let d = self.pairs.mean_b()?;
        let nf = n as f64;
        let m2 = self.pairs.m2_a() - 2.0 * r * self.pairs.c_ab() + r * r * self.pairs.m2_b();
        let v = m2.max(0.0) / ((nf - 1.0) * nf * d * d);
        v.is_finite().then_some(v)
    }
}

/// One variant of a ratio metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatioVariant {
    pub variant: String,
    pub n: u64,
    pub missing: u64,
    /// R.
    pub mean: Option<f64>,
    /// √(n·Var(R)).
    pub std_dev: Option<f64>,
    /// Var(R), the sampling variance of R.
    pub var_ratio: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// One treatment against the control on a ratio metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatioComparison {
    pub treatment: String,
    pub diff: Option<f64>,
    /// √(Var_T + Var_C).
    pub se_diff: Option<f64>,
    pub diff_ci_low: Option<f64>,
    pub diff_ci_high: Option<f64>,
    /// z.
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub p_value_holm: Option<f64>,
    pub rel_lift: Option<f64>,
    /// Delta-method standard error of `rel_lift`.
    pub se_rel: Option<f64>,
    pub rel_ci_low: Option<f64>,
    pub rel_ci_high: Option<f64>,
    pub rel_p_value: Option<f64>,
}

/// A ratio metric analysed in every variant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatioResult {
    pub metric: String,
    /// Control first, then the others in the order given.
    pub variants: Vec<RatioVariant>,
    pub comparisons: Vec<RatioComparison>,
    pub warnings: Vec<String>,
}

/// Analyses ratio metric `metric` given each variant's statistics.
pub fn analyze_ratio(
    metric: &str,
    variants: &[(String, RatioStats)],
    control: &str,
    alpha: f64,
) -> Result<RatioResult, AnalysisError> {
    check_alpha(alpha)?;
    let Some(control_index) = variants.iter().position(|(v, _)| v == control) else {
        return Err(AnalysisError::BadInput(format!(
            "the control \"{control}\" is not among the variants of the ratio metric \"{metric}\""
        )));
    };
    let z = dist::z_two_sided(alpha);
    let mut warnings = Vec::new();
    let mut order = vec![control_index];
    order.extend((0..variants.len()).filter(|&i| i != control_index));

    let mut out_variants = Vec::with_capacity(variants.len());
    for &i in &order {
        let Some((name, s)) = variants.get(i) else {
            continue;
        };
        out_variants.push(variant_figures(metric, name, s, z, &mut warnings));
    }

    let Some((_, c)) = variants.get(control_index) else {
        return Err(AnalysisError::BadInput("no control".to_owned()));
    };
    let control_ratio = c.ratio();
    let control_var = c.var_ratio();
    // A relative change is meaningful only for a positive control ratio whose interval
    // excludes zero.
    let relative_ok = match (control_ratio, control_var, z) {
        (Some(r), _, _) if r <= 0.0 => {
            warnings.push(format!(
                "{metric}: the control's ratio is {}, not above zero, so relative changes are not \
                 meaningful and are left out.",
                number(r)
            ));
            false
        }
        (Some(r), Some(v), Some(z)) if r - z * v.sqrt() <= 0.0 => {
            warnings.push(format!(
                "{metric}: the control's interval includes zero, so relative changes are not \
                 meaningful and are left out."
            ));
            false
        }
        (Some(_), _, _) => true,
        (None, _, _) => false,
    };

    let mut comparisons = Vec::new();
    for &i in order.iter().skip(1) {
        let Some((name, t)) = variants.get(i) else {
            continue;
        };
        let mut cmp = RatioComparison {
            treatment: name.clone(),
            ..RatioComparison::default()
        };
        let (Some(rt), Some(rc)) = (t.ratio(), control_ratio) else {
            comparisons.push(cmp);
            continue;
        };
        let diff = rt - rc;
        cmp.diff = finite(diff);
        let variances = (t.var_ratio(), control_var);
        if let (Some(vt), Some(vc)) = variances {
            let se = (vt + vc).sqrt();
            if se > 0.0 && se.is_finite() {
                cmp.se_diff = Some(se);
                let stat = diff / se;
                cmp.statistic = finite(stat);
                cmp.p_value = dist::normal_two_sided_p(stat);
                if let Some(z) = z {
                    cmp.diff_ci_low = finite(diff - z * se);
                    cmp.diff_ci_high = finite(diff + z * se);
                }
            } else {
                warnings.push(format!(
                    "{metric}: the ratio does not vary from unit to unit in {name} or in \
                     {control}, so the test of {name} is undefined."
                ));
            }
        }
        if relative_ok {
            let rel = diff / rc;
            cmp.rel_lift = finite(rel);
            if let (Some(vt), Some(vc)) = variances
                && let Some(se) = decision::relative_se(rt, rc, vt, vc).filter(|s| *s > 0.0)
            {
                cmp.se_rel = Some(se);
                cmp.rel_p_value = decision::rel_p_value(rel, se);
                if let Some(z) = z {
                    cmp.rel_ci_low = finite(rel - z * se);
                    cmp.rel_ci_high = finite(rel + z * se);
                }
            }
        }
        comparisons.push(cmp);
    }
    let adjusted = holm(&comparisons.iter().map(|c| c.p_value).collect::<Vec<_>>());
    for (c, p) in comparisons.iter_mut().zip(adjusted) {
        c.p_value_holm = p;
    }
    Ok(RatioResult {
        metric: metric.to_owned(),
        variants: out_variants,
        comparisons,
        warnings,
    })
}

fn variant_figures(
    metric: &str,
    name: &str,
    s: &RatioStats,
    z: Option<f64>,
    warnings: &mut Vec<String>,
) -> RatioVariant {
    let mut v = RatioVariant {
        variant: name.to_owned(),
        n: s.n(),
        missing: s.missing(),
        ..RatioVariant::default()
    };
    if s.n() == 0 {
        warnings.push(format!(
            "{metric}: no unit in variant {name} has both a numerator and a denominator, so its \
             ratio is undefined."
        ));
        return v;
    }
    let Some(r) = s.ratio() else {
        warnings.push(format!(
            "{metric}: the denominators in variant {name} sum to zero, so its ratio and every \
             comparison with it are undefined."
        ));
        return v;
    };
    v.mean = Some(r);
    let Some(var) = s.var_ratio() else {
        warnings.push(format!(
            "{metric}: variant {name} has only one unit, so the spread of its ratio is undefined."
        ));
        return v;
    };
    v.var_ratio = Some(var);
    v.std_dev = finite((s.n() as f64 * var).sqrt());
    if let Some(z) = z {
        let half = z * var.sqrt();
        v.ci_low = finite(r - half);
        v.ci_high = finite(r + half);
    }
    v
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(pairs: &[(f64, f64)]) -> RatioStats {
        let mut s = RatioStats::new();
        for (a, b) in pairs {
            s.push(*a, *b);
        }
        s
    }

    #[test]
    fn ratio_and_delta_variance() {
        let s = stats(&[(2.0, 1.0), (3.0, 2.0), (10.0, 4.0), (0.0, 1.0)]);
        let r = 15.0 / 8.0;
        assert!((s.ratio().unwrap() - r).abs() < 1e-15);
        // Direct: s_N², s_D², s_ND over 4 units.
        let (mn, md): (f64, f64) = (3.75, 2.0);
        let sn2 = ((2.0 - mn).powi(2) + (3.0 - mn).powi(2) + (10.0 - mn).powi(2) + mn * mn) / 3.0;
        let sd2 = (1.0 + 0.0 + 4.0 + 1.0) / 3.0;
        let snd = (-(2.0 - mn) + 2.0 * (10.0 - mn) + mn) / 3.0;
        let want = (sn2 - 2.0 * r * snd + r * r * sd2) / (4.0 * md * md);
        assert!((s.var_ratio().unwrap() - want).abs() < 1e-14 * want);
    }

    #[test]
    fn zero_denominator_sum_gives_nulls_and_a_warning() {
        let c = stats(&[(1.0, 1.0), (2.0, 2.0), (1.0, 1.5)]);
        let t = stats(&[(1.0, 0.0), (2.0, 0.0), (0.5, 0.0)]);
        let out = analyze_ratio(
            "rps",
            &[("control".into(), c), ("t".into(), t)],
            "control",
            0.05,
        )
        .unwrap();
        assert_eq!(out.variants[1].mean, None);
        assert_eq!(out.comparisons[0].diff, None);
        assert!(out.warnings.iter().any(|w| w.contains("sum to zero")));
    }

    #[test]
    fn comparison_figures_are_consistent() {
        let c = stats(&[(1.0, 2.0), (2.0, 3.0), (3.0, 3.0), (0.0, 1.0), (4.0, 5.0)]);
        let t = stats(&[(2.0, 2.0), (3.0, 3.0), (3.0, 2.0), (1.0, 1.0), (5.0, 4.0)]);
        let out = analyze_ratio(
            "rps",
            &[("control".into(), c), ("t".into(), t)],
            "control",
            0.05,
        )
        .unwrap();
        let cmp = &out.comparisons[0];
        let z = dist::z_two_sided(0.05).unwrap();
        let rel = cmp.rel_lift.unwrap();
        let se_rel = cmp.se_rel.unwrap();
        assert!((cmp.rel_ci_low.unwrap() - (rel - z * se_rel)).abs() < 1e-15);
        assert_eq!(cmp.p_value, cmp.p_value_holm);
        assert_eq!(
            cmp.rel_p_value.unwrap() < 0.05,
            cmp.rel_ci_low.unwrap() > 0.0 || cmp.rel_ci_high.unwrap() < 0.0
        );
    }

    #[test]
    fn one_unit_missing_values_and_a_negative_control() {
        let mut c = stats(&[(-1.0, 1.0), (-2.0, 1.0), (-1.5, 2.0)]);
        c.push(f64::NAN, 1.0);
        c.push_missing();
        let t = stats(&[(1.0, 1.0)]);
        let out = analyze_ratio(
            "x",
            &[("t".into(), t), ("control".into(), c)],
            "control",
            0.05,
        )
        .unwrap();
        assert_eq!(out.variants[0].variant, "control");
        assert_eq!(out.variants[0].missing, 2);
        assert_eq!(out.variants[1].std_dev, None);
        assert_eq!(out.comparisons[0].rel_lift, None);
        assert!(out.comparisons[0].diff.is_some());
        assert_eq!(out.comparisons[0].p_value, None);
        assert!(out.warnings.iter().any(|w| w.contains("not above zero")));
        assert!(out.warnings.iter().any(|w| w.contains("only one unit")));
        assert!(analyze_ratio("x", &[], "control", 0.05).is_err());
    }

    #[test]
    fn summary_rows_give_the_same_figures() {
        let pairs = [(1.0, 2.0), (2.0, 3.0), (3.0, 3.0), (0.0, 1.0), (4.0, 5.0)];
        let s = stats(&pairs);
        let n = pairs.len() as f64;
        let mn = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let md = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let vn = pairs.iter().map(|p| (p.0 - mn).powi(2)).sum::<f64>() / (n - 1.0);
        let vd = pairs.iter().map(|p| (p.1 - md).powi(2)).sum::<f64>() / (n - 1.0);
        let cv = pairs.iter().map(|p| (p.0 - mn) * (p.1 - md)).sum::<f64>() / (n - 1.0);
        let summary = |mean_a, mean_b, var_a, var_b, cov| PairSummary {
            n: 5,
            mean_a,
            mean_b,
            var_a,
            var_b,
            cov,
        };
        let from = RatioStats::from_summary(summary(mn, md, vn, vd, cv), 0).unwrap();
        assert!((from.var_ratio().unwrap() - s.var_ratio().unwrap()).abs() < 1e-14);
        assert!(RatioStats::from_summary(summary(mn, md, -1.0, vd, cv), 0).is_none());
    }
}
