//! Sample size per variant for a two-sided test (CONTRACT.md, `throughline power`).

use super::dist;
use super::{AnalysisError, PowerResult, ResolvedKind};
use crate::analysis::experiment::check_alpha;
use crate::format::{number, percent, sig};

/// What the planned experiment measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PowerMetric {
    /// A rate (conversion, churn): the baseline proportion p1.
    Proportion { baseline: f64 },
    /// A mean with this standard deviation; the baseline mean is needed for a relative effect.
    Mean { std_dev: f64, baseline: Option<f64> },
}

/// Settings of a sample-size calculation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PowerInput {
    pub metric: PowerMetric,
    /// The minimum detectable effect: an absolute difference, or relative to the baseline.
    pub mde: f64,
    pub relative: bool,
    pub alpha: f64,
    pub power: f64,
    /// Number of variants including the control (at least 2).
    pub variants: u32,
}

/// Units per variant (normal approximation, rounded up) and in total.
pub fn sample_size(input: &PowerInput) -> Result<PowerResult, AnalysisError> {
    check_alpha(input.alpha)?;
    if !(input.power > 0.0 && input.power < 1.0) {
        return Err(AnalysisError::BadInput(format!(
            "power must be between 0 and 1 (exclusive), not {}",
            input.power
        )));
    }
    if input.variants < 2 {
        return Err(AnalysisError::BadInput(format!(
            "an experiment needs at least 2 variants, not {}",
            input.variants
        )));
    }
    if !(input.mde.is_finite() && input.mde != 0.0) {
        return Err(AnalysisError::BadInput(format!(
            "the minimum detectable effect (--mde) must be a non-zero number, not {}",
            input.mde
        )));
    }
    let (Some(z_alpha), Some(z_power)) = (
        dist::z_two_sided(input.alpha),
        dist::normal_quantile(input.power),
    ) else {
        return Err(AnalysisError::BadInput(
            "alpha or power is outside (0, 1)".to_owned(),
        ));
    };
    let z_sum = z_alpha + z_power;
    let mut result = PowerResult {
        variants: input.variants,
        alpha: input.alpha,
        power: input.power,
        ..PowerResult::default()
    };
    let n = match input.metric {
        PowerMetric::Proportion { baseline: p1 } => {
            if !(p1 > 0.0 && p1 < 1.0) {
                return Err(AnalysisError::BadInput(format!(
                    "the baseline rate (--baseline) must be between 0 and 1 (exclusive), not {p1}"
                )));
            }
            let p2 = if input.relative {
                p1 * (1.0 + input.mde)
            } else {
                p1 + input.mde
            };
            if !(p2 > 0.0 && p2 < 1.0) {
                return Err(AnalysisError::BadInput(format!(
                    "the rate to detect, {}, is outside 0 to 1; choose a smaller --mde",
                    sig(p2, 4)
                )));
            }
            result.kind = ResolvedKind::Proportion;
            result.baseline = Some(p1);
            result.target = Some(p2);
            result.mde_absolute = p2 - p1;
            z_sum * z_sum * (p1 * (1.0 - p1) + p2 * (1.0 - p2)) / ((p2 - p1) * (p2 - p1))
        }
        PowerMetric::Mean { std_dev, baseline } => {
            if !(std_dev.is_finite() && std_dev > 0.0) {
                return Err(AnalysisError::BadInput(format!(
                    "the standard deviation (--std-dev) must be a positive number, not {std_dev}"
                )));
            }
            let d = if input.relative {
                let Some(b) = baseline.filter(|b| b.is_finite() && *b != 0.0) else {
                    return Err(AnalysisError::BadInput(
                        "a relative effect on a mean needs the baseline mean (--baseline)"
                            .to_owned(),
                    ));
                };
                b * input.mde
            } else {
                input.mde
            };
            result.kind = ResolvedKind::Mean;
            result.baseline = baseline;
            result.std_dev = Some(std_dev);
            result.mde_absolute = d;
            2.0 * z_sum * z_sum * std_dev * std_dev / (d * d)
        }
    };
    if !(n.is_finite() && n < 1e18) {
        return Err(AnalysisError::BadInput(
            "the sample size is too large to compute; choose a larger --mde".to_owned(),
        ));
    }
    let per_variant = (n.ceil() as u64).max(1);
    result.n_per_variant = per_variant;
    result.total = per_variant.saturating_mul(u64::from(input.variants));
    let change = match (result.kind, result.baseline, result.target) {
        (ResolvedKind::Proportion, Some(p1), Some(p2)) => format!(
            "a change in the rate from {} to {}",
            percent(p1),
            percent(p2)
        ),
        _ => format!(
            "a change of {} in the mean (standard deviation {})",
            number(result.mde_absolute.abs()),
            number(result.std_dev.unwrap_or(0.0))
        ),
    };
    result.summary = format!(
        "To detect {change} with {}% power at alpha = {}, each of the {} variants needs {} units \
         ({} in total).",
        sig(input.power * 100.0, 3),
        sig(input.alpha, 3),
        input.variants,
        per_variant,
        result.total
    );
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_example() {
        // 10% → 12%, α = 0.05, power 0.8: about 3,839 per variant.
        let r = sample_size(&PowerInput {
            metric: PowerMetric::Proportion { baseline: 0.1 },
            mde: 0.02,
            relative: false,
            alpha: 0.05,
            power: 0.8,
            variants: 2,
        })
        .unwrap();
        assert_eq!(r.n_per_variant, 3839);
        assert_eq!(r.total, 7678);
    }

    #[test]
    fn bad_inputs() {
        let base = PowerInput {
            metric: PowerMetric::Proportion { baseline: 0.1 },
            mde: 0.02,
            relative: false,
            alpha: 0.05,
            power: 0.8,
            variants: 2,
        };
        for bad in [
            PowerInput { mde: 0.0, ..base },
            PowerInput { mde: 0.95, ..base },
            PowerInput { power: 1.0, ..base },
            PowerInput {
                variants: 1,
                ..base
            },
            PowerInput {
                metric: PowerMetric::Mean {
                    std_dev: 1.0,
                    baseline: None,
                },
                relative: true,
                ..base
            },
        ] {
            assert!(sample_size(&bad).is_err(), "{bad:?}");
        }
    }
}
