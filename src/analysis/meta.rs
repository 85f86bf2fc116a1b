//! Random-effects pooling of past experiments' effects, DerSimonian–Laird (CONTRACT.md,
//! `throughline meta FILE --effect COL --se COL [--label COL] [--alpha A]`).
//!
//! Computes, from effects Yᵢ with standard errors seᵢ: wᵢ = 1/seᵢ², fixed = ΣwY/Σw,
//! Q = Σw(Y − fixed)², C = Σw − Σw²/Σw, τ² = max(0, (Q − (k−1))/C), wᵢ* = 1/(seᵢ² + τ²),
//! pooled = Σw*Y/Σw*, pooled_se = 1/√Σw*, CI = pooled ± z(1−α/2)·pooled_se, q_p_value from
//! χ²(k−1), I² = max(0, (Q − (k−1))/Q) (0 when Q = 0), and each experiment's shrunken effect
//! pooled + Bᵢ(Yᵢ − pooled), Bᵢ = τ²/(τ² + seᵢ²): what a past "winner" is likely worth.
//!
//! JSON keys served: `k`, `pooled`, `pooled_se`, `ci_low`, `ci_high`, `tau2`, `q`, `q_p_value`,
//! `i_squared`, `fixed`, `experiments: [ { label, effect, se, shrunken } ]`, `warnings`.
//! Wiring: [`meta_analysis`] with the effect and SE columns and the labels (row numbers when no
//! label column is given).
//!
//! Bad input: fewer than 3 usable experiments, a zero or negative standard error, or labels not
//! matching the effects are errors naming the experiment; rows whose effect or SE is missing
//! (NaN/inf) are left out with a warning.

use serde::{Deserialize, Serialize};

use super::AnalysisError;
use super::dist;
use crate::analysis::experiment::check_alpha;

/// One experiment in the pooling.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetaExperiment {
    pub label: String,
    pub effect: f64,
    pub se: f64,
    /// pooled + Bᵢ(effect − pooled).
    pub shrunken: Option<f64>,
}

/// The random-effects pooling.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetaResult {
    /// Experiments pooled.
    pub k: u64,
    pub alpha: f64,
    /// The fixed-effect (inverse-variance) mean.
    pub fixed: Option<f64>,
    pub pooled: Option<f64>,
    pub pooled_se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub tau2: Option<f64>,
    pub q: Option<f64>,
    pub q_p_value: Option<f64>,
    pub i_squared: Option<f64>,
    pub experiments: Vec<MetaExperiment>,
    pub warnings: Vec<String>,
}

/// DerSimonian–Laird random-effects pooling of `effects` with standard errors `ses`. `labels`
/// names the experiments (empty: "1", "2", … by row).
pub fn meta_analysis(
    effects: &[f64],
    ses: &[f64],
    labels: &[String],
    alpha: f64,
) -> Result<MetaResult, AnalysisError> {
    check_alpha(alpha)?;
    let (experiments, mut warnings) = usable_experiments(effects, ses, labels)?;
    let mut out = pool(experiments, alpha);
    if out.pooled.is_none() {
        warnings.push(
            "The pooled effect could not be computed (the standard errors are too extreme)."
                .to_owned(),
        );
    }
    if out.tau2 == Some(0.0) {
        warnings.push(
            "The experiments vary no more than their noise explains (τ² = 0): the pooled \
             effect equals the fixed-effect mean and every shrunken effect equals it."
                .to_owned(),
        );
    }
    out.warnings = warnings;
    Ok(out)
}

/// Checks the inputs and keeps the experiments whose effect and SE are finite, with a warning
/// for those left out; errors when an SE is not above zero or fewer than 3 remain.
fn usable_experiments(
    effects: &[f64],
    ses: &[f64],
    labels: &[String],
) -> Result<(Vec<MetaExperiment>, Vec<String>), AnalysisError> {
    if ses.len() != effects.len() {
        return Err(AnalysisError::BadInput(format!(
            "there are {} effects but {} standard errors",
            effects.len(),
            ses.len()
        )));
    }
    if !labels.is_empty() && labels.len() != effects.len() {
        return Err(AnalysisError::BadInput(format!(
            "there are {} effects but {} labels",
            effects.len(),
            labels.len()
        )));
    }
    let label_of = |i: usize| {
        labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let mut warnings = Vec::new();
    let mut experiments = Vec::with_capacity(effects.len());
    let mut dropped = 0usize;
    for (i, (&y, &se)) in effects.iter().zip(ses).enumerate() {
        if !y.is_finite() || !se.is_finite() {
            dropped += 1;
            continue;
        }
        if se <= 0.0 {
            return Err(AnalysisError::BadInput(format!(
                "experiment \"{}\" (row {}): the standard error is {se}; it must be above zero \
                 (an effect measured without any noise cannot be weighed against the others)",
                label_of(i),
                i + 1
            )));
        }
        experiments.push(MetaExperiment {
            label: label_of(i),
            effect: y,
            se,
            shrunken: None,
        });
    }
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} experiment{} with a missing, NaN or infinite effect or standard error {} \
             left out.",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    let k = experiments.len();
    if k < 3 {
        return Err(AnalysisError::BadInput(format!(
            "a random-effects meta-analysis needs at least 3 experiments, but {k} {} usable",
            if k == 1 { "is" } else { "are" }
        )));
    }
    Ok((experiments, warnings))
}

/// The DerSimonian–Laird figures for at least 3 usable experiments (no warnings yet).
fn pool(mut experiments: Vec<MetaExperiment>, alpha: f64) -> MetaResult {
    let k = experiments.len();
    let kf = k as f64;
    let w: Vec<f64> = experiments.iter().map(|e| 1.0 / (e.se * e.se)).collect();
    let sum_w: f64 = w.iter().sum();
    let sum_w2: f64 = w.iter().map(|v| v * v).sum();
    let fixed = w
        .iter()
        .zip(&experiments)
        .map(|(w, e)| w * e.effect)
        .sum::<f64>()
        / sum_w;
    let q: f64 = w
        .iter()
        .zip(&experiments)
        .map(|(w, e)| w * (e.effect - fixed).powi(2))
        .sum();
    let c = sum_w - sum_w2 / sum_w;
    let tau2 = if c > 0.0 {
        ((q - (kf - 1.0)) / c).max(0.0)
    } else {
        0.0
    };
    let w_star: Vec<f64> = experiments
        .iter()
        .map(|e| 1.0 / (e.se * e.se + tau2))
        .collect();
    let sum_w_star: f64 = w_star.iter().sum();
    let pooled = w_star
        .iter()
        .zip(&experiments)
        .map(|(w, e)| w * e.effect)
        .sum::<f64>()
        / sum_w_star;
    let pooled_se = 1.0 / sum_w_star.sqrt();
    let i_squared = if q > 0.0 {
        ((q - (kf - 1.0)) / q).max(0.0)
    } else {
        0.0
    };
    for e in &mut experiments {
        let shrink = tau2 / (tau2 + e.se * e.se);
        e.shrunken = finite(pooled + shrink * (e.effect - pooled));
    }
    let mut out = MetaResult {
        k: k as u64,
        alpha,
        fixed: finite(fixed),
        pooled: finite(pooled),
        pooled_se: finite(pooled_se),
        tau2: finite(tau2),
        q: finite(q),
        q_p_value: dist::chi2_sf(q, kf - 1.0),
        i_squared: finite(i_squared),
        experiments,
        ..MetaResult::default()
    };
    if let (Some(z), Some(p), Some(se)) = (dist::z_two_sided(alpha), out.pooled, out.pooled_se) {
        out.ci_low = finite(p - z * se);
        out.ci_high = finite(p + z * se);
    }
    out
}

/// "Pooled over 18 past experiments, a typical change in revenue per user was +0.048 (95% CI
/// +0.011 to +0.085)."
pub fn headline(result: &MetaResult, metric: &str) -> Option<String> {
    let pooled = result.pooled?;
    let interval = match (result.ci_low, result.ci_high) {
        (Some(lo), Some(hi)) => format!(
            " ({} CI {} to {})",
            crate::format::confidence_level(result.alpha) + "%",
            crate::format::signed_sig(lo, 2),
            crate::format::signed_sig(hi, 2)
        ),
        _ => String::new(),
    };
    Some(format!(
        "Pooled over {} past experiments, a typical change in {} was {}{interval}.",
        result.k,
        metric,
        crate::format::signed_sig(pooled, 2)
    ))
}

/// The winner's curse in one sentence: the largest measured effect and what it is likely
/// worth.
pub fn winners_curse(result: &MetaResult) -> Option<String> {
    let best = result
        .experiments
        .iter()
        .filter(|e| e.shrunken.is_some())
        .max_by(|a, b| a.effect.total_cmp(&b.effect))?;
    let shrunken = best.shrunken?;
    if result.tau2 == Some(0.0) {
        return Some(format!(
            "The experiments differ no more than their noise explains, so the best measured \
             one, \"{}\" at {}, is most likely worth the pooled {} like the others: past \
             winners are usually worth less than they measured (the winner's curse).",
            best.label,
            crate::format::signed_sig(best.effect, 2),
            crate::format::signed_sig(shrunken, 2)
        ));
    }
    Some(format!(
        "The best measured experiment, \"{}\" at {}, is likely worth {}: part of every large \
         measured win is luck, so past winners are usually worth less than they measured (the \
         winner's curse).",
        best.label,
        crate::format::signed_sig(best.effect, 2),
        crate::format::signed_sig(shrunken, 2)
    ))
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_winners_toward_the_pooled_effect() {
        let effects = [0.8, 0.1, 0.3, -0.2, 0.5, 0.05];
        let ses = [0.2, 0.1, 0.15, 0.2, 0.25, 0.1];
        let out = meta_analysis(&effects, &ses, &[], 0.05).unwrap();
        let pooled = out.pooled.unwrap();
        assert!(out.tau2.unwrap() > 0.0);
        for e in &out.experiments {
            let s = e.shrunken.unwrap();
            assert!((s - pooled).abs() <= (e.effect - pooled).abs() + 1e-15);
        }
        assert_eq!(out.experiments[0].label, "1");
        assert!(out.ci_low.unwrap() < pooled && pooled < out.ci_high.unwrap());
        let i2 = out.i_squared.unwrap();
        assert!((0.0..=1.0).contains(&i2));
    }

    #[test]
    fn identical_effects_have_no_heterogeneity() {
        let out = meta_analysis(&[0.2; 4], &[0.1, 0.2, 0.1, 0.3], &[], 0.05).unwrap();
        assert_eq!(out.q, Some(0.0));
        assert_eq!(out.tau2, Some(0.0));
        assert_eq!(out.i_squared, Some(0.0));
        assert_eq!(out.q_p_value, Some(1.0));
        assert!((out.pooled.unwrap() - 0.2).abs() < 1e-15);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let zero = meta_analysis(&[0.1, 0.2, 0.3], &[0.1, 0.0, 0.1], &labels, 0.05);
        assert!(zero.unwrap_err().to_string().contains("\"b\" (row 2)"));
        let neg = meta_analysis(&[0.1, 0.2, 0.3], &[0.1, 0.1, -0.1], &labels, 0.05);
        assert!(neg.is_err());
        let two = meta_analysis(&[0.1, 0.2], &[0.1, 0.1], &[], 0.05);
        assert!(two.unwrap_err().to_string().contains("at least 3"));
        let dropped = meta_analysis(&[0.1, f64::NAN, 0.3], &[0.1, 0.1, 0.1], &[], 0.05);
        assert!(dropped.is_err());
        assert!(meta_analysis(&[0.1, 0.2, 0.3], &[0.1, 0.1], &[], 0.05).is_err());
        assert!(meta_analysis(&[0.1, 0.2, 0.3], &[0.1; 3], &labels[..2], 0.05).is_err());
        assert!(meta_analysis(&[], &[], &[], 0.05).is_err());
        assert!(meta_analysis(&[0.1, 0.2, 0.3], &[0.1; 3], &[], 0.0).is_err());
    }

    #[test]
    fn missing_rows_are_left_out_with_a_warning() {
        let out = meta_analysis(&[0.1, 0.4, f64::NAN, 0.3], &[0.1; 4], &[], 0.05).unwrap();
        assert_eq!(out.k, 3);
        assert_eq!(out.experiments[2].label, "4");
        assert!(out.warnings.iter().any(|w| w.contains("left out")));
    }
}
