//! Result types of the analysis core, shaped exactly as CONTRACT.md's JSON output.
//!
//! `Option<f64>` is a figure that may be undefined: `null` in JSON, with a warning saying why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::decision::{Decision, DecisionResult};
pub use super::segments::{SegmentMetric, SegmentRow};

/// Whether a metric was analysed as a mean or a proportion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResolvedKind {
    #[default]
    Mean,
    Proportion,
    /// A ratio metric (`--ratio NAME=NUM/DEN`): ΣNUM/ΣDEN per variant, delta method.
    Ratio,
}

/// The sample-ratio-mismatch check.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SrmResult {
    pub chi2: Option<f64>,
    pub p_value: Option<f64>,
    pub counts: BTreeMap<String, u64>,
    pub warning: Option<String>,
}

/// One variant of one metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantStats {
    pub variant: String,
    pub n: u64,
    pub missing: u64,
    pub mean: Option<f64>,
    pub std_dev: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// One treatment compared with the control, for one metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Comparison {
    pub treatment: String,
    pub diff: Option<f64>,
    pub diff_ci_low: Option<f64>,
    pub diff_ci_high: Option<f64>,
    pub rel_lift: Option<f64>,
    pub rel_ci_low: Option<f64>,
    pub rel_ci_high: Option<f64>,
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
    pub p_value_holm: Option<f64>,
    pub verdict: String,
    /// Two-sided p of the relative lift (delta method, normal): below α exactly when the
    /// relative CI excludes zero.
    pub rel_p_value: Option<f64>,
    /// The smallest absolute difference detectable with 80% power.
    pub mde: Option<f64>,
    /// `mde` / |control mean|.
    pub mde_rel: Option<f64>,
    /// Φ(d/SE): the chance the treatment is better (flat prior, normal approximation).
    pub chance_to_win: Option<f64>,
    /// The expected loss of shipping the treatment, in the metric's units.
    pub expected_loss: Option<f64>,
}

/// All variants and comparisons of one metric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricResult {
    pub metric: String,
    pub kind: ResolvedKind,
    pub variants: Vec<VariantStats>,
    pub comparisons: Vec<Comparison>,
    /// CUPED: the pre-experiment column this metric was adjusted with (`--covariate`).
    pub covariate: Option<String>,
    /// CUPED: θ = cov(Y, X)/var(X).
    pub theta: Option<f64>,
    /// CUPED: the share of the within-variant variance the covariate removed.
    pub variance_reduction: Option<f64>,
    /// CUPED: units with the metric but not the covariate (not adjusted).
    pub covariate_missing: u64,
    /// CUPED: the comparisons without the adjustment (`comparisons` are adjusted).
    pub comparisons_unadjusted: Vec<Comparison>,
}

/// The result of an experiment analysis (`throughline analyze`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExperimentResult {
    pub file: String,
    pub rows: u64,
    pub alpha: f64,
    pub control: String,
    pub srm: SrmResult,
    pub metrics: Vec<MetricResult>,
    pub warnings: Vec<String>,
    /// The effect per segment (`--segment COL`); `None` when no segment column was chosen.
    pub segments: Option<SegmentsResult>,
    /// Ship / don't ship per treatment (`--success`, `--guardrail`); empty when no metric has
    /// a decision role.
    pub decisions: Vec<DecisionResult>,
}

/// The effect of each treatment per value of a segment column (`--segment COL`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentsResult {
    pub column: String,
    /// One entry per metric and treatment.
    pub metrics: Vec<SegmentMetric>,
}

/// The result of relating an ML metric to a business metric (`throughline link`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkResult {
    pub n: u64,
    pub pearson_r: Option<f64>,
    pub pearson_p: Option<f64>,
    pub pearson_ci_low: Option<f64>,
    pub pearson_ci_high: Option<f64>,
    pub spearman_rho: Option<f64>,
    pub spearman_p: Option<f64>,
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub slope_se: Option<f64>,
    pub slope_ci_low: Option<f64>,
    pub slope_ci_high: Option<f64>,
    pub r_squared: Option<f64>,
    pub verdict: String,
    pub warnings: Vec<String>,
    /// The noise-aware (York) fit, when the points have standard errors; the plain figures
    /// above stay the ordinary least-squares ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub york: Option<Box<crate::analysis::york::YorkFit>>,
    /// Each point's standard errors (x, y), aligned with the link's points, when it has them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub point_se: Vec<[f64; 2]>,
}

/// The line a link stands for: the noise-aware (York) fit when its points have standard
/// errors, else the plain least-squares one. What-if scenarios, the summary and the report use
/// this, so every place quotes the same slope as the Evidence page's headline.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LinkLine {
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub slope_ci_low: Option<f64>,
    pub slope_ci_high: Option<f64>,
    /// Whether this is the York fit.
    pub noise_aware: bool,
}

impl LinkResult {
    /// The line the link stands for (see [`LinkLine`]).
    pub fn line(&self) -> LinkLine {
        match &self.york {
            Some(y) => LinkLine {
                slope: y.slope,
                intercept: y.intercept,
                slope_ci_low: y.slope_ci_low,
                slope_ci_high: y.slope_ci_high,
                noise_aware: true,
            },
            None => LinkLine {
                slope: self.slope,
                intercept: self.intercept,
                slope_ci_low: self.slope_ci_low,
                slope_ci_high: self.slope_ci_high,
                noise_aware: false,
            },
        }
    }
}

/// One point of the value-versus-threshold curve.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThresholdPoint {
    pub threshold: f64,
    pub value: f64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

/// The business value of a classifier's threshold (`throughline threshold`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThresholdResult {
    pub best_value_threshold: Option<f64>,
    pub best_value: Option<f64>,
    pub best_f1_threshold: Option<f64>,
    pub best_f1: Option<f64>,
    pub value_at_best_f1: Option<f64>,
    pub curve: Vec<ThresholdPoint>,
    pub warnings: Vec<String>,
}

/// The sample size of a planned experiment (`throughline power`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PowerResult {
    /// "proportion" or "mean".
    pub kind: ResolvedKind,
    pub n_per_variant: u64,
    pub total: u64,
    pub variants: u32,
    pub alpha: f64,
    pub power: f64,
    /// Proportion: the baseline rate p1. Mean: the baseline mean, when given.
    pub baseline: Option<f64>,
    /// Proportion: the rate to detect, p2.
    pub target: Option<f64>,
    /// Mean: the standard deviation of the metric.
    pub std_dev: Option<f64>,
    /// The absolute difference to detect.
    pub mde_absolute: f64,
    /// A plain-language summary of the plan.
    pub summary: String,
    pub warnings: Vec<String>,
}
