//! The sentences an experiment analysis adds beside its numbers: the CUPED note, the smallest
//! change the test could detect, the chance to win with the expected loss, and the decision of
//! each treatment. Said once here, shown by the Evidence page, the Summary page and the report.

use crate::analysis::{Comparison, ExperimentResult, MetricResult, ResolvedKind};
use crate::format;
use crate::model::{ExperimentSpec, MetricSpec};

/// The settings of the metric a result belongs to: by its reported name (a ratio's label), else
/// by its column.
pub fn metric_spec<'a>(spec: &'a ExperimentSpec, metric: &str) -> Option<&'a MetricSpec> {
    spec.metrics
        .iter()
        .find(|m| m.display_name() == metric)
        .or_else(|| spec.metrics.iter().find(|m| m.column == metric))
}

/// The comparisons shown: the CUPED-adjusted ones unless the unadjusted ones were asked for
/// (metrics without a covariate have only one set).
pub fn shown_comparisons<'a>(spec: &ExperimentSpec, metric: &'a MetricResult) -> &'a [Comparison] {
    if spec.show_unadjusted && !metric.comparisons_unadjusted.is_empty() {
        &metric.comparisons_unadjusted
    } else {
        &metric.comparisons
    }
}

/// Whether any metric of the result was adjusted with a pre-experiment value.
pub fn has_cuped(result: &ExperimentResult) -> bool {
    result.metrics.iter().any(|m| m.covariate.is_some())
}

/// "The pre-experiment revenue_prev_month_eur removed 52% of the noise in
/// revenue_next_month_eur, so its intervals are narrower than without it."
pub fn cuped_note(metric: &MetricResult) -> Option<String> {
    let covariate = metric.covariate.as_deref()?;
    let mut text = match metric.variance_reduction {
        Some(r) if r >= 0.005 => format!(
            "The pre-experiment {covariate} removed {} of the noise in {}, so its intervals \
             are narrower than without it.",
            format::percent(r),
            metric.metric
        ),
        Some(_) => format!(
            "The pre-experiment {covariate} removed next to none of the noise in {}: the \
             adjusted and unadjusted results are nearly the same.",
            metric.metric
        ),
        None => format!(
            "The pre-experiment {covariate} could not be used to remove noise from {} (see the \
             notes on the data).",
            metric.metric
        ),
    };
    if metric.covariate_missing > 0 {
        text.push_str(&format!(
            " {} units had no pre-experiment value and were left unadjusted.",
            format::precise(metric.covariate_missing as f64)
        ));
    }
    Some(text)
}

/// The smallest change a comparison could detect with 80% power, relative when it can be:
/// "±2.1%", else in the metric's units ("±0.52 pp", "±1.3").
pub fn mde_text(kind: ResolvedKind, c: &Comparison) -> Option<String> {
    if let Some(rel) = c.mde_rel.filter(|r| r.is_finite()) {
        return Some(format!("±{}", format::percent(rel.abs())));
    }
    let mde = c.mde.filter(|m| m.is_finite())?;
    Some(match kind {
        ResolvedKind::Proportion => format!("±{} pp", format::number(mde.abs() * 100.0)),
        ResolvedKind::Mean | ResolvedKind::Ratio => format!("±{}", format::number(mde.abs())),
    })
}

/// "This test could only have detected changes of ±2.1% or more (with 80% power)."
pub fn mde_sentence(kind: ResolvedKind, c: &Comparison) -> Option<String> {
    mde_text(kind, c).map(|t| {
        format!("This test could only have detected changes of {t} or more (with 80% power).")
    })
}

/// The expected loss of shipping, in the metric's units ("0.12 pp" for a proportion).
/// Below 0.001 (in the units shown) it reads "< 0.001", not in scientific notation.
pub fn loss_text(kind: ResolvedKind, loss: f64) -> String {
    let (shown, unit) = match kind {
        ResolvedKind::Proportion => (loss * 100.0, " pp"),
        ResolvedKind::Mean | ResolvedKind::Ratio => (loss, ""),
    };
    if shown.is_finite() && shown.abs() < 0.001 {
        if shown == 0.0 {
            return format!("0{unit}");
        }
        return format!("< 0.001{unit}");
    }
    format!("{}{unit}", format::number(shown))
}

/// The chance to win as a share, never rounded onto certainty: "98.3%", "> 99.9%", "< 0.1%".
pub fn chance_text(chance: f64) -> String {
    if chance > 0.999 {
        "> 99.9%".to_string()
    } else if chance < 0.001 {
        "< 0.1%".to_string()
    } else {
        format::percent(chance)
    }
}

/// The tooltip of the chance to win and the expected loss: what they are and how they were
/// computed.
pub const CHANCE_TIP: &str = "Chance to win: how likely the treatment is better than the \
    control on this metric, given the data. Expected loss: how much of the metric you would \
    lose on average by shipping the treatment if it is in fact worse (in the metric's units). \
    Both assume a flat prior (no belief before the test) and a normal approximation of the \
    difference; 'better' follows the metric's direction (lower is better where so marked).";

/// The tooltip of the minimum detectable effect.
pub const MDE_TIP: &str = "The smallest change this test could have detected with 80% power at \
    its significance level, given its size and the noise in the metric. A real change smaller than \
    this would usually go unnoticed: 'no significant change' does not mean 'no change'.";

/// "98.1% chance model_targeting is better; expected loss if shipped 0.0012."
pub fn chance_sentence(kind: ResolvedKind, c: &Comparison) -> Option<String> {
    let chance = c.chance_to_win?;
    let mut text = format!(
        "{} chance that {} is better",
        chance_text(chance),
        c.treatment
    );
    if let Some(loss) = c.expected_loss {
        text.push_str(&format!(
            "; expected loss if shipped {}",
            loss_text(kind, loss)
        ));
    }
    text.push('.');
    Some(text)
}

/// The heterogeneity sentence of each metric and treatment of the segment breakdown.
pub fn segment_sentences(result: &ExperimentResult) -> Vec<String> {
    let Some(seg) = &result.segments else {
        return Vec::new();
    };
    seg.metrics
        .iter()
        .map(|m| crate::analysis::segments::heterogeneity_sentence(&seg.column, m, result.alpha))
        .collect()
}
