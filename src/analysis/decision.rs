//! Decision-grade figures of one comparison, and the ship / don't-ship rule (CONTRACT.md,
//! `throughline analyze`: `rel_p_value`, `mde`, `mde_rel`, `chance_to_win`, `expected_loss`, and
//! `--success M ... --guardrail M:MARGIN ... --lower-is-better M`).
//!
//! Per comparison (any metric kind; inputs are figures the comparison already has):
//! - [`relative_se`]: se_rel = √(v_T/mean_C² + mean_T²·v_C/mean_C⁴), the delta-method standard
//!   error behind `rel_ci_low`/`rel_ci_high` (v = s²/n for a mean, p(1−p)/n for a proportion,
//!   Var(R) for a ratio);
//! - [`rel_p_value`]: two-sided normal p of z = rel_lift/se_rel, so `rel_p_value < α` exactly
//!   when the relative CI excludes zero;
//! - [`mde`]: (z(1−α/2) + z(0.8))·SE_diff with SE_diff unpooled, and `mde_rel` = mde/|mean_C|;
//! - [`chance_to_win`] Φ(d/SE_diff) and [`expected_loss`] SE_diff·φ(d/SE_diff) − d·Φ(−d/SE_diff),
//!   with d the difference signed so that positive is better (flat prior, normal approximation,
//!   absolute units).
//!
//! The rule, per treatment, on the relative scale ([`decide`]): a success metric is superior when
//! rel − z(1−α')·se_rel > 0 (direction applied), α' = α/(#success × #treatments); a guardrail is
//! non-inferior when rel − z(1−α)·se_rel > −MARGIN; a metric deteriorates when its two-sided
//! (1−α) relative CI lies wholly on the bad side. `srm_failure` when the SRM p < 0.001, else
//! `do_not_ship` when a success or guardrail metric deteriorates, else `ship` when at least one
//! success metric is superior and every guardrail is non-inferior, else `inconclusive`. Each
//! decision carries its reasons as sentences a stakeholder reads. JSON: `decisions: [ {
//! treatment, decision, reasons } ]`. Wiring: one [`DecisionInput`] per treatment with one
//! [`MetricOutcome`] per success/guardrail metric (rel_lift and se_rel of that comparison).
//! [`comparison_extras`] gives every per-comparison key at once from the variants' statistics.

use serde::{Deserialize, Serialize};

use super::dist;
use super::{AnalysisError, ResolvedKind, SufficientStats};
use crate::analysis::experiment::check_alpha;
use crate::format::{percent_change, sig};

/// The SRM p-value below which a treatment is not judged at all.
pub const SRM_THRESHOLD: f64 = 0.001;

/// Power at which the minimum detectable effect is stated.
pub const MDE_POWER: f64 = 0.8;

/// Which way is better for a metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// +1 or −1: multiplies a change so that positive is better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }
}

/// The delta-method standard error of the relative lift (mean_T − mean_C)/mean_C, given each
/// variant's mean and the sampling variance of that mean. `None` when undefined (zero control
/// mean, negative variances, non-finite figures).
pub fn relative_se(mean_t: f64, mean_c: f64, v_t: f64, v_c: f64) -> Option<f64> {
    if mean_c == 0.0 || v_t < 0.0 || v_c < 0.0 {
        return None;
    }
    let se = (v_t / (mean_c * mean_c) + mean_t * mean_t * v_c / mean_c.powi(4)).sqrt();
    se.is_finite().then_some(se)
}

/// Two-sided p-value of the relative lift: z = rel/se_rel, normal. `None` when se_rel is not a
/// positive finite number.
pub fn rel_p_value(rel_lift: f64, se_rel: f64) -> Option<f64> {
    if !(se_rel > 0.0 && se_rel.is_finite() && rel_lift.is_finite()) {
        return None;
    }
    dist::normal_two_sided_p(rel_lift / se_rel)
}

/// The minimum detectable effect at 80% power, absolute (`mde`) and relative to the control mean
/// (`mde_rel`, `None` when the control mean is zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mde {
    pub mde: Option<f64>,
    pub mde_rel: Option<f64>,
}

/// (z(1−α/2) + z(0.8))·SE_diff, and that over |mean_C|.
pub fn mde(alpha: f64, se_diff: f64, mean_c: f64) -> Mde {
    let (Some(za), Some(zb)) = (dist::z_two_sided(alpha), dist::normal_quantile(MDE_POWER)) else {
        return Mde::default();
    };
    if !(se_diff > 0.0 && se_diff.is_finite()) {
        return Mde::default();
    }
    let m = (za + zb) * se_diff;
    let rel = (mean_c != 0.0 && mean_c.is_finite()).then(|| m / mean_c.abs());
    Mde {
        mde: m.is_finite().then_some(m),
        mde_rel: rel.filter(|r| r.is_finite()),
    }
}

/// Φ(d/SE_diff), with d = diff signed by `direction`: the chance the treatment is better (flat
/// prior, normal approximation).
pub fn chance_to_win(diff: f64, se_diff: f64, direction: Direction) -> Option<f64> {
    if !(se_diff > 0.0 && se_diff.is_finite() && diff.is_finite()) {
        return None;
    }
    let d = diff * direction.sign();
    Some(dist::normal_sf(-d / se_diff))
}

/// SE_diff·φ(d/SE_diff) − d·Φ(−d/SE_diff): the expected shortfall, in the metric's own units, of
/// shipping the treatment if it is in fact worse (flat prior, normal approximation).
pub fn expected_loss(diff: f64, se_diff: f64, direction: Direction) -> Option<f64> {
    if !(se_diff > 0.0 && se_diff.is_finite() && diff.is_finite()) {
        return None;
    }
    let d = diff * direction.sign();
    let z = d / se_diff;
    let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let loss = se_diff * density - d * dist::normal_sf(z);
    // Never below zero (it is an expectation of a non-negative loss); rounding aside.
    loss.is_finite().then_some(loss.max(0.0))
}

/// The decision-grade figures of one comparison, for its JSON keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComparisonExtras {
    /// Unpooled standard error of the difference (not a CONTRACT key; feeds the others).
    #[serde(skip)]
    pub se_diff: Option<f64>,
    /// Delta-method standard error of the relative lift (feeds the decision rule).
    #[serde(skip)]
    pub se_rel: Option<f64>,
    pub rel_p_value: Option<f64>,
    pub mde: Option<f64>,
    pub mde_rel: Option<f64>,
    pub chance_to_win: Option<f64>,
    pub expected_loss: Option<f64>,
}

/// All decision-grade figures of a mean or proportion comparison from the two variants'
/// statistics: v = s²/n (mean) or p(1−p)/n (proportion), SE_diff = √(v_T + v_C). `rel_lift` is
/// the comparison's relative lift (`None` when it was left out, e.g. a negative control mean:
/// then `rel_p_value` is `None` too). For CUPED pass the adjusted statistics with
/// [`ResolvedKind::Mean`]; ratio metrics have their own `se_diff`/`se_rel` and call the single
/// functions.
pub fn comparison_extras(
    kind: ResolvedKind,
    treatment: &SufficientStats,
    control: &SufficientStats,
    rel_lift: Option<f64>,
    alpha: f64,
    direction: Direction,
) -> ComparisonExtras {
    let v = |s: &SufficientStats| -> Option<f64> {
        let n = s.n() as f64;
        if s.n() == 0 {
            return None;
        }
        match kind {
            ResolvedKind::Mean | ResolvedKind::Ratio => Some(s.variance()? / n),
            ResolvedKind::Proportion => {
                let p = s.mean()?;
                Some(p * (1.0 - p) / n)
            }
        }
    };
    let (Some(mean_t), Some(mean_c), Some(v_t), Some(v_c)) =
        (treatment.mean(), control.mean(), v(treatment), v(control))
    else {
        return ComparisonExtras::default();
    };
    let se_diff = Some((v_t + v_c).sqrt()).filter(|s| *s > 0.0 && s.is_finite());
    let se_rel = relative_se(mean_t, mean_c, v_t, v_c).filter(|s| *s > 0.0);
    let diff = mean_t - mean_c;
    let Some(se) = se_diff else {
        return ComparisonExtras::default();
    };
    let m = mde(alpha, se, mean_c);
    ComparisonExtras {
        se_diff,
        se_rel,
        rel_p_value: rel_lift.zip(se_rel).and_then(|(r, s)| rel_p_value(r, s)),
        mde: m.mde,
        mde_rel: m.mde_rel,
        chance_to_win: chance_to_win(diff, se, direction),
        expected_loss: expected_loss(diff, se, direction),
    }
}

/// The role a metric plays in the decision.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricRole {
    /// Should improve: shipping needs at least one to be shown better.
    Success,
    /// Must not get worse than `margin` (relative: 0.01 = may not get more than 1% worse).
    Guardrail { margin: f64 },
}

/// One success or guardrail metric of one treatment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricOutcome {
    pub metric: String,
    pub role: MetricRole,
    pub direction: Direction,
    /// Relative lift (treatment vs control); `None` when undefined.
    pub rel_lift: Option<f64>,
    /// Its delta-method standard error; `None` when undefined.
    pub se_rel: Option<f64>,
}

/// Everything the rule needs for one treatment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionInput {
    pub treatment: String,
    pub control: String,
    pub alpha: f64,
    /// The experiment's sample-ratio p-value; `None` when it could not be computed.
    pub srm_p_value: Option<f64>,
    /// Number of treatments in the experiment (for α').
    pub treatments: usize,
    pub metrics: Vec<MetricOutcome>,
}

/// The four decisions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    SrmFailure,
    DoNotShip,
    Ship,
    #[default]
    Inconclusive,
}

impl Decision {
    /// The JSON value: "srm_failure", "do_not_ship", "ship", "inconclusive".
    pub fn key(self) -> &'static str {
        match self {
            Decision::SrmFailure => "srm_failure",
            Decision::DoNotShip => "do_not_ship",
            Decision::Ship => "ship",
            Decision::Inconclusive => "inconclusive",
        }
    }

    /// The badge: "Sample-ratio problem", "Don't ship", "Ship", "Inconclusive".
    pub fn label(self) -> &'static str {
        match self {
            Decision::SrmFailure => "Sample-ratio problem",
            Decision::DoNotShip => "Don't ship",
            Decision::Ship => "Ship",
            Decision::Inconclusive => "Inconclusive",
        }
    }
}

/// How one metric fared under the rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricJudgement {
    /// Success metrics: the one-sided lower bound (direction applied) is above zero.
    pub superior: bool,
    /// Guardrails: the one-sided lower bound (direction applied) is above −margin.
    pub non_inferior: bool,
    /// The two-sided relative CI lies wholly on the bad side.
    pub deteriorates: bool,
    /// The one-sided lower bound used (direction applied); `None` when undefined.
    pub lower_bound: Option<f64>,
}

/// The decision for one treatment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionResult {
    pub treatment: String,
    pub decision: Decision,
    pub reasons: Vec<String>,
    /// One judgement per entry of [`DecisionInput::metrics`].
    #[serde(skip)]
    pub judgements: Vec<MetricJudgement>,
}

/// Applies the decision rule to one treatment.
pub fn decide(input: &DecisionInput) -> Result<DecisionResult, AnalysisError> {
    check_alpha(input.alpha)?;
    check_margins(input)?;
    let th = Thresholds::new(input);
    let mut reasons = Reasons::default();
    let judgements = input
        .metrics
        .iter()
        .map(|m| judge_metric(input, m, &th, &mut reasons))
        .collect();
    Ok(verdict(input, &th, judgements, reasons))
}

/// Errors when a guardrail margin is not a finite fraction of zero or more.
fn check_margins(input: &DecisionInput) -> Result<(), AnalysisError> {
    for m in &input.metrics {
        if let MetricRole::Guardrail { margin } = m.role
            && !(margin.is_finite() && margin >= 0.0)
        {
            return Err(AnalysisError::BadInput(format!(
                "the guardrail margin of \"{}\" must be a fraction of zero or more (0.01 = may \
                 not get more than 1% worse), not {margin}",
                m.metric
            )));
        }
    }
    Ok(())
}

/// The levels and critical values the rule compares against.
struct Thresholds {
    alpha: f64,
    /// α shared out over the success metrics and the treatments (Bonferroni).
    alpha_success: f64,
    /// Number of success metrics.
    successes: usize,
    z_success: Option<f64>,
    z_guard: Option<f64>,
    z_two: Option<f64>,
}

impl Thresholds {
    fn new(input: &DecisionInput) -> Self {
        let alpha = input.alpha;
        let successes = input
            .metrics
            .iter()
            .filter(|m| m.role == MetricRole::Success)
            .count();
        let alpha_success = alpha / (successes.max(1) * input.treatments.max(1)) as f64;
        Self {
            alpha,
            alpha_success,
            successes,
            z_success: dist::normal_quantile(1.0 - alpha_success),
            z_guard: dist::normal_quantile(1.0 - alpha),
            z_two: dist::z_two_sided(alpha),
        }
    }
}

/// The sentences gathered while judging the metrics, by which way they point.
#[derive(Default)]
struct Reasons {
    bad: Vec<String>,
    good: Vec<String>,
    open: Vec<String>,
}

/// Judges one metric and adds the sentence that explains the judgement to `reasons`.
fn judge_metric(
    input: &DecisionInput,
    m: &MetricOutcome,
    th: &Thresholds,
    reasons: &mut Reasons,
) -> MetricJudgement {
    let level = |a: f64| format!("{}%", sig((1.0 - a) * 100.0, 4));
    let t = &input.treatment;
    let c = &input.control;
    let mut j = MetricJudgement::default();
    let sign = m.direction.sign();
    let better = match m.direction {
        Direction::HigherIsBetter => "higher",
        Direction::LowerIsBetter => "lower",
    };
    let (Some(rel), Some(se)) = (m.rel_lift, m.se_rel.filter(|s| *s > 0.0 && s.is_finite())) else {
        reasons.open.push(format!(
            "{}: the relative change of {t} against {c} could not be computed, so it cannot \
             count for or against shipping.",
            m.metric
        ));
        return j;
    };
    let good = rel * sign;
    let change = percent_change(rel);
    if let Some(z) = th.z_two
        && good + z * se < 0.0
    {
        j.deteriorates = true;
    }
    match m.role {
        MetricRole::Success => {
            if let Some(z) = th.z_success {
                let bound = good - z * se;
                j.lower_bound = Some(bound);
                j.superior = bound > 0.0;
            }
            if j.deteriorates {
                reasons.bad.push(format!(
                    "{} (success metric, {better} is better) got worse: {change}, and the \
                     {} interval lies wholly on the bad side.",
                    m.metric,
                    level(th.alpha)
                ));
            } else if j.superior {
                reasons.good.push(format!(
                    "{} (success metric, {better} is better) improved: {change}, clearly \
                     more than chance at {} confidence after allowing for {} success \
                     metric{} and {} treatment{}.",
                    m.metric,
                    level(th.alpha_success),
                    th.successes,
                    if th.successes == 1 { "" } else { "s" },
                    input.treatments,
                    if input.treatments == 1 { "" } else { "s" },
                ));
            } else {
                reasons.open.push(format!(
                    "{} (success metric, {better} is better) changed by {change}, which the \
                     data cannot tell apart from no change.",
                    m.metric
                ));
            }
        }
        MetricRole::Guardrail { margin } => {
            if let Some(z) = th.z_guard {
                let bound = good - z * se;
                j.lower_bound = Some(bound);
                j.non_inferior = bound > -margin;
            }
            let allowed = percent_change(-margin * sign);
            if j.deteriorates {
                reasons.bad.push(format!(
                    "{} (guardrail, {better} is better) got worse: {change}, and the {} \
                     interval lies wholly on the bad side.",
                    m.metric,
                    level(th.alpha)
                ));
            } else if j.non_inferior {
                reasons.good.push(format!(
                    "{} (guardrail) held: {change}, and with {} confidence it did not move \
                     past the allowed {allowed}.",
                    m.metric,
                    level(th.alpha)
                ));
            } else {
                reasons.open.push(format!(
                    "{} (guardrail) changed by {change}; the data cannot rule out a change \
                     past the allowed {allowed}.",
                    m.metric
                ));
            }
        }
    }
    j
}

/// The decision and its reasons, from the judgements of every metric.
fn verdict(
    input: &DecisionInput,
    th: &Thresholds,
    judgements: Vec<MetricJudgement>,
    reasons: Reasons,
) -> DecisionResult {
    let t = &input.treatment;
    let srm_failed = input.srm_p_value.is_some_and(|p| p < SRM_THRESHOLD);
    let any_bad = judgements.iter().any(|j| j.deteriorates);
    let any_superior = input
        .metrics
        .iter()
        .zip(&judgements)
        .any(|(m, j)| m.role == MetricRole::Success && j.superior);
    let guardrails_hold = input
        .metrics
        .iter()
        .zip(&judgements)
        .filter(|(m, _)| matches!(m.role, MetricRole::Guardrail { .. }))
        .all(|(_, j)| j.non_inferior);

    let (decision, mut said) = if srm_failed {
        let p = input.srm_p_value.unwrap_or(0.0);
        (
            Decision::SrmFailure,
            vec![format!(
                "The split of units between the variants is not what was planned (sample-ratio \
                 test p = {}), so the assignment may be broken and no result of {t} can be \
                 trusted until the cause is found.",
                sig(p, 2)
            )],
        )
    } else if any_bad {
        (Decision::DoNotShip, reasons.bad)
    } else if any_superior && guardrails_hold {
        (Decision::Ship, reasons.good)
    } else {
        let mut r = Vec::new();
        if th.successes == 0 {
            r.push(
                "No success metric was named, so nothing can show that shipping helps.".to_owned(),
            );
        } else if !any_superior {
            r.push(format!(
                "No success metric improved clearly enough to ship {t}."
            ));
        }
        r.extend(reasons.open);
        r.extend(reasons.good);
        (Decision::Inconclusive, r)
    };
    if said.is_empty() {
        said.push(match decision {
            Decision::Ship => format!("{t} met every condition for shipping."),
            _ => format!("{t} could not be judged."),
        });
    }
    DecisionResult {
        treatment: t.clone(),
        decision,
        reasons: said,
        judgements,
    }
}

#[cfg(test)]
mod tests;
