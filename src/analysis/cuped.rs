//! CUPED: variance reduction with a pre-experiment covariate (CONTRACT.md, `throughline analyze
//! --covariate METRIC=COL`).
//!
//! Computes θ = cov(Y, X)/var(X), sample (n − 1) covariance and variance over every unit of every
//! variant where both Y and X are present; X̄ is the mean of X over those same units. A unit with
//! Y present and X missing gets X = X̄ (so it is not adjusted) and is counted in
//! `covariate_missing`. Y'ᵢ = Yᵢ − θ(Xᵢ − X̄). Per variant, the adjusted statistics (n, mean and
//! sample standard deviation of Y') come out as a [`SufficientStats`], so the comparison is
//! exactly the mean-metric one of [`super::analyze_experiment`] (Welch, delta-method relative
//! lift on the adjusted means and variances): pass them as a metric with `MetricKind::Mean`,
//! even when Y is 0/1. `variance_reduction` = 1 − Σ(nₐ−1)s'ₐ²/Σ(nₐ−1)sₐ² (pooled within-variant
//! variances of Y' and Y).
//!
//! JSON keys served, per metric: `covariate`, `theta`, `variance_reduction`,
//! `covariate_missing`; `comparisons` come from the adjusted statistics and
//! `comparisons_unadjusted` from [`CupedVariant::unadjusted`].
//! Wiring: one [`CupedStats`] per variant (push each unit's Y and X, NaN for missing; or build it
//! from a summary row with [`CupedStats::from_summary`]), then [`cuped`].
//!
//! Undefined figures: no unit with both values, fewer than two, or X constant leave θ and
//! `variance_reduction` `None` with a warning, and the "adjusted" statistics equal the
//! unadjusted ones (nothing is adjusted). Never an error.

use serde::{Deserialize, Serialize};

use super::SufficientStats;
use super::comoments::{CoMoments, PairSummary};

/// Metric Y and covariate X of one variant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CupedStats {
    /// Units with both Y and X: (Y, X).
    pairs: CoMoments,
    /// Y of the units with Y present and X missing.
    y_only: SufficientStats,
    /// Y of every unit (present values; missing ones counted), the unadjusted metric.
    y_all: SufficientStats,
}

impl CupedStats {
    pub const fn new() -> Self {
        Self {
            pairs: CoMoments::new(),
            y_only: SufficientStats::new(),
            y_all: SufficientStats::new(),
        }
    }

    /// Adds one unit; NaN or ±inf mean missing.
    #[inline]
    pub fn push(&mut self, y: f64, x: f64) {
        self.y_all.push(y);
        if !y.is_finite() {
            return;
        }
        if x.is_finite() {
            self.pairs.push(y, x);
        } else {
            self.y_only.push(y);
        }
    }

    /// Adds a unit whose metric is missing (an empty cell): counted as missing, not as NaN.
    #[inline]
    pub fn push_missing(&mut self) {
        self.y_all.push_missing();
    }

    /// Adds a unit whose metric could not be read (`--skip-bad-rows`).
    #[inline]
    pub fn push_unreadable(&mut self) {
        self.y_all.push_unreadable();
    }

    /// Builds a variant's statistics from unit-level slices of equal length.
    pub fn from_values(y: &[f64], x: &[f64]) -> Self {
        let mut s = Self::new();
        for (a, b) in y.iter().zip(x) {
            s.push(*a, *b);
        }
        s
    }

    /// From a summary row: the `pairs` units with both values (their means, sample variances and
    /// covariance; a = Y, b = X), the Y statistics of the units without a covariate, and `missing` units
    /// without Y. `None` when a figure is not usable.
    pub fn from_summary(pairs: PairSummary, y_only: SufficientStats, missing: u64) -> Option<Self> {
        let pairs = pairs.co_moments()?;
        let mut y_all = match pairs.n() {
            0 => SufficientStats::new(),
            n => SufficientStats::from_mean_sd(
                n,
                pairs.mean_a()?,
                pairs.var_a().unwrap_or(0.0).sqrt(),
                0,
            )?,
        };
        y_all.merge(&y_only);
        let mut missing_only = SufficientStats::new();
        for _ in 0..missing {
            missing_only.push_missing();
        }
        y_all.merge(&missing_only);
        Some(Self {
            pairs,
            y_only,
            y_all,
        })
    }

    pub fn merge(&mut self, other: &Self) {
        self.pairs.merge(&other.pairs);
        self.y_only.merge(&other.y_only);
        self.y_all.merge(&other.y_all);
    }

    /// Units with Y present and X missing.
    pub fn covariate_missing(&self) -> u64 {
        self.y_only.n()
    }

    /// The unadjusted metric.
    pub fn unadjusted(&self) -> SufficientStats {
        self.y_all
    }
}

/// One variant after CUPED.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CupedVariant {
    pub variant: String,
    /// Y' (n, mean, standard deviation; `missing` = units without Y).
    pub adjusted: SufficientStats,
    /// Y.
    pub unadjusted: SufficientStats,
    pub covariate_missing: u64,
}

/// CUPED for one metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CupedResult {
    pub metric: String,
    pub covariate: String,
    pub theta: Option<f64>,
    /// X̄ over the units with both values (the value imputed for a missing X).
    pub covariate_mean: Option<f64>,
    pub variance_reduction: Option<f64>,
    pub covariate_missing: u64,
    /// In the order given.
    pub variants: Vec<CupedVariant>,
    pub warnings: Vec<String>,
}

/// Applies CUPED to `metric` with `covariate`, given each variant's statistics.
pub fn cuped(metric: &str, covariate: &str, variants: &[(String, CupedStats)]) -> CupedResult {
    let mut warnings = Vec::new();
    let mut all = CoMoments::new();
    for (_, s) in variants {
        all.merge(&s.pairs);
    }
    let covariate_missing: u64 = variants.iter().map(|(_, s)| s.covariate_missing()).sum();
    let theta = match (all.cov_ab(), all.var_b()) {
        _ if all.n() == 0 => {
            warnings.push(format!(
                "{metric}: the covariate {covariate} has no value on any unit that has a \
                 {metric} value, so CUPED could not adjust it; the results shown are unadjusted."
            ));
            None
        }
        (Some(cov), Some(var)) if var > 0.0 => Some(cov / var).filter(|t| t.is_finite()),
        (Some(_), Some(_)) => {
            warnings.push(format!(
                "{metric}: the covariate {covariate} has the same value on every unit, so it \
                 carries no information and CUPED could not adjust; the results shown are \
                 unadjusted."
            ));
            None
        }
        _ => {
            warnings.push(format!(
                "{metric}: only one unit has both {metric} and {covariate}, so CUPED could not \
                 adjust; the results shown are unadjusted."
            ));
            None
        }
    };
    let x_mean = all.mean_b();
    if theta.is_some() && covariate_missing > 0 {
        warnings.push(format!(
            "{metric}: {covariate_missing} unit{} had no value of {covariate}; {} given the \
             average of the others and so {} not adjusted.",
            if covariate_missing == 1 { "" } else { "s" },
            if covariate_missing == 1 {
                "it was"
            } else {
                "they were"
            },
            if covariate_missing == 1 {
                "was"
            } else {
                "were"
            },
        ));
    }

    let mut out_variants = Vec::with_capacity(variants.len());
    let mut m2_adjusted = 0.0;
    let mut m2_raw = 0.0;
    for (name, s) in variants {
        let unadjusted = s.unadjusted();
        let adjusted = match (theta, x_mean) {
            (Some(theta), Some(x_mean)) => adjust(s, theta, x_mean).unwrap_or(unadjusted),
            _ => unadjusted,
        };
        m2_adjusted += adjusted.sum_sq_dev();
        m2_raw += unadjusted.sum_sq_dev();
        out_variants.push(CupedVariant {
            variant: name.clone(),
            adjusted,
            unadjusted,
            covariate_missing: s.covariate_missing(),
        });
    }
    let variance_reduction = if theta.is_some() && m2_raw > 0.0 {
        Some(1.0 - m2_adjusted / m2_raw).filter(|v| v.is_finite())
    } else {
        None
    };
    CupedResult {
        metric: metric.to_owned(),
        covariate: covariate.to_owned(),
        theta,
        covariate_mean: x_mean,
        variance_reduction,
        covariate_missing,
        variants: out_variants,
        warnings,
    }
}

/// The adjusted statistics of one variant: the paired units shifted by θ(X − X̄), the others
/// unchanged, combined by Chan's formula.
fn adjust(s: &CupedStats, theta: f64, x_mean: f64) -> Option<SufficientStats> {
    let missing = s.y_all.missing();
    let np = s.pairs.n();
    let nm = s.y_only.n();
    let n = np + nm;
    if n == 0 {
        return SufficientStats::from_mean_sd(0, 0.0, 0.0, missing);
    }
    let (mean_p, m2_p) = if np > 0 {
        let mean = s.pairs.mean_a()? - theta * (s.pairs.mean_b()? - x_mean);
        let m2 = s.pairs.m2_a() - 2.0 * theta * s.pairs.c_ab() + theta * theta * s.pairs.m2_b();
        (mean, m2.max(0.0))
    } else {
        (0.0, 0.0)
    };
    let (mean_m, m2_m) = if nm > 0 {
        (s.y_only.mean()?, s.y_only.sum_sq_dev())
    } else {
        (0.0, 0.0)
    };
    let (npf, nmf, nf) = (np as f64, nm as f64, n as f64);
    let mean = (npf * mean_p + nmf * mean_m) / nf;
    let m2 = m2_p + m2_m + (mean_p - mean_m).powi(2) * npf * nmf / nf;
    let sd = if n >= 2 {
        (m2 / (nf - 1.0)).sqrt()
    } else {
        0.0
    };
    SufficientStats::from_mean_sd(n, mean, sd, missing)
}

/// Y' for each unit: Yᵢ − θ(Xᵢ − X̄), with a missing X taken as X̄ (Y' = Y) and a missing Y
/// staying NaN. For exports and plots; the analysis itself needs only [`cuped`].
pub fn adjusted_values(y: &[f64], x: &[f64], theta: f64, x_mean: f64) -> Vec<f64> {
    y.iter()
        .zip(x)
        .map(|(&yi, &xi)| {
            if !yi.is_finite() {
                f64::NAN
            } else if xi.is_finite() {
                yi - theta * (xi - x_mean)
            } else {
                yi
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    fn data() -> Vec<(String, Vec<f64>, Vec<f64>)> {
        let c_x: Vec<f64> = (0..40)
            .map(|i| 10.0 + (i as f64 * 0.7).sin() * 3.0)
            .collect();
        let c_y: Vec<f64> = c_x
            .iter()
            .enumerate()
            .map(|(i, x)| 0.8 * x + (i as f64 * 1.3).cos())
            .collect();
        let t_x: Vec<f64> = (0..35)
            .map(|i| 10.0 + (i as f64 * 0.5).cos() * 3.0)
            .collect();
        let mut t_y: Vec<f64> = t_x
            .iter()
            .enumerate()
            .map(|(i, x)| 0.8 * x + 0.5 + (i as f64 * 2.1).sin())
            .collect();
        let mut t_x = t_x;
        t_x[3] = f64::NAN; // covariate missing
        t_y[5] = f64::NAN; // metric missing
        vec![
            ("control".to_owned(), c_y, c_x),
            ("treatment".to_owned(), t_y, t_x),
        ]
    }

    #[test]
    fn matches_adjusting_each_unit() {
        let d = data();
        let variants: Vec<(String, CupedStats)> = d
            .iter()
            .map(|(n, y, x)| (n.clone(), CupedStats::from_values(y, x)))
            .collect();
        let out = cuped("revenue", "pre_revenue", &variants);
        // Direct computation.
        let pairs: Vec<(f64, f64)> = d
            .iter()
            .flat_map(|(_, y, x)| y.iter().zip(x).map(|(a, b)| (*a, *b)))
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .collect();
        let n = pairs.len() as f64;
        let my = pairs.iter().map(|p| p.0).sum::<f64>() / n;
        let mx = pairs.iter().map(|p| p.1).sum::<f64>() / n;
        let cov = pairs.iter().map(|p| (p.0 - my) * (p.1 - mx)).sum::<f64>() / (n - 1.0);
        let var = pairs.iter().map(|p| (p.1 - mx).powi(2)).sum::<f64>() / (n - 1.0);
        let theta = cov / var;
        assert!(close(out.theta.unwrap(), theta, 1e-12));
        assert_eq!(out.covariate_missing, 1);
        let mut m2a = 0.0;
        let mut m2 = 0.0;
        for ((_, y, x), v) in d.iter().zip(&out.variants) {
            let adj: Vec<f64> = adjusted_values(y, x, theta, mx)
                .into_iter()
                .filter(|v| v.is_finite())
                .collect();
            let direct = SufficientStats::from_values(&adj);
            assert!(close(
                v.adjusted.mean().unwrap(),
                direct.mean().unwrap(),
                1e-12
            ));
            assert!(close(
                v.adjusted.std_dev().unwrap(),
                direct.std_dev().unwrap(),
                1e-10
            ));
            assert_eq!(v.adjusted.n(), direct.n());
            m2a += direct.sum_sq_dev();
            m2 += v.unadjusted.sum_sq_dev();
        }
        assert_eq!(out.variants[1].adjusted.missing(), 1);
        assert!(close(
            out.variance_reduction.unwrap(),
            1.0 - m2a / m2,
            1e-10
        ));
        assert!(out.variance_reduction.unwrap() > 0.5);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("1 unit had no value"))
        );
    }

    #[test]
    fn all_missing_or_constant_covariates_leave_the_metric_unadjusted() {
        let y = [1.0, 2.0, 3.0, 4.0];
        let cases = [
            ([f64::NAN; 4], "has no value"),
            ([5.0; 4], "same value on every unit"),
            ([f64::NAN, f64::NAN, f64::NAN, 1.0], "only one unit"),
        ];
        for (x, message) in cases {
            let s = CupedStats::from_values(&y, &x);
            let none = CupedStats::from_values(&y, &[f64::NAN; 4]);
            let out = cuped("m", "pre", &[("a".into(), s), ("b".into(), none)]);
            assert_eq!(out.theta, None);
            assert_eq!(out.variance_reduction, None);
            assert_eq!(out.variants[0].adjusted, out.variants[0].unadjusted);
            assert!(
                out.warnings.iter().any(|w| w.contains(message)),
                "{:?}",
                out.warnings
            );
        }
        let empty = cuped("m", "pre", &[]);
        assert_eq!(empty.theta, None);
    }

    #[test]
    fn summary_rows_give_the_same_figures() {
        let d = data();
        let (_, y, x) = &d[0];
        let units = CupedStats::from_values(y, x);
        let n = y.len() as f64;
        let my = y.iter().sum::<f64>() / n;
        let mx = x.iter().sum::<f64>() / n;
        let vy = y.iter().map(|v| (v - my).powi(2)).sum::<f64>() / (n - 1.0);
        let vx = x.iter().map(|v| (v - mx).powi(2)).sum::<f64>() / (n - 1.0);
        let cv = y
            .iter()
            .zip(x)
            .map(|(a, b)| (a - my) * (b - mx))
            .sum::<f64>()
            / (n - 1.0);
        let pairs = PairSummary {
            n: 40,
            mean_a: my,
            mean_b: mx,
            var_a: vy,
            var_b: vx,
            cov: cv,
        };
        let summary = CupedStats::from_summary(pairs, SufficientStats::new(), 0).unwrap();
        let a = cuped("m", "pre", &[("c".into(), units), ("t".into(), units)]);
        let b = cuped("m", "pre", &[("c".into(), summary), ("t".into(), summary)]);
        assert!(close(a.theta.unwrap(), b.theta.unwrap(), 1e-12));
        let (sa, sb) = (a.variants[0].adjusted, b.variants[0].adjusted);
        assert!(close(sa.std_dev().unwrap(), sb.std_dev().unwrap(), 1e-10));
        assert!(close(
            b.variants[0].unadjusted.std_dev().unwrap(),
            vy.sqrt(),
            1e-12
        ));
    }
}
