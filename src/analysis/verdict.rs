//! Plain-language sentences for readers who do not know what a p-value is. Their figures are
//! written by [`crate::format`], like every other figure the reader sees.

use super::ResolvedKind;
use crate::format::{confidence_label, number, p_value, percent, percent_change, sig, signed};

/// What one comparison found, the input of [`comparison_verdict`].
#[derive(Clone, Debug)]
pub struct ComparisonFacts<'a> {
    pub metric: &'a str,
    pub kind: ResolvedKind,
    pub treatment: &'a str,
    pub control: &'a str,
    pub mean_treatment: Option<f64>,
    pub mean_control: Option<f64>,
    pub diff: Option<f64>,
    pub diff_ci: Option<(f64, f64)>,
    pub rel: Option<f64>,
    pub rel_ci: Option<(f64, f64)>,
    pub p_value: Option<f64>,
    pub p_value_holm: Option<f64>,
    /// Number of treatments compared with the control on this metric.
    pub comparisons: usize,
    pub alpha: f64,
    /// Why the test could not be run, when it could not.
    pub reason: Option<String>,
}

/// One sentence (or two) saying what a comparison found, e.g. "bigger_model raised the average
/// revenue_usd from 1.2 to 1.24 (+3.1%, 95% CI +1.2% to +5%) compared with control; a
/// difference this large would rarely happen by chance (p = 0.002)."
pub fn comparison_verdict(f: &ComparisonFacts<'_>) -> String {
    let ci = confidence_label(f.alpha);
    let Some(diff) = f.diff else {
        return format!(
            "{} could not be compared with {} on {}: {}.",
            f.treatment,
            f.control,
            f.metric,
            f.reason.as_deref().unwrap_or("one of them has no values")
        );
    };
    let verb = if diff > 0.0 {
        "raised"
    } else if diff < 0.0 {
        "lowered"
    } else {
        "did not change"
    };
    let what = match f.kind {
        ResolvedKind::Mean => format!("the average {}", f.metric),
        ResolvedKind::Ratio => f.metric.to_owned(),
        ResolvedKind::Proportion => f.metric.to_owned(),
    };
    let level = |m: f64| match f.kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => number(m),
        ResolvedKind::Proportion => percent(m),
    };
    let levels = match (f.mean_control, f.mean_treatment) {
        // Rounded alike (a tiny change): say so instead of "from 24.5 to 24.5".
        (Some(c), Some(t)) if diff != 0.0 && level(c) == level(t) => {
            format!(" slightly, staying at about {}", level(c))
        }
        (Some(c), Some(t)) if diff != 0.0 => format!(" from {} to {}", level(c), level(t)),
        (Some(c), Some(_)) => format!(" (it stayed at {})", level(c)),
        _ => String::new(),
    };
    let change = match (f.rel, f.rel_ci, f.diff_ci) {
        (Some(rel), Some((lo, hi)), _) => format!(
            " ({}{}, {ci} {} to {})",
            percent_change(rel),
            relative_word(f.kind),
            percent_change(lo),
            percent_change(hi)
        ),
        (Some(rel), None, _) => {
            format!(" ({}{})", percent_change(rel), relative_word(f.kind))
        }
        (None, _, Some((lo, hi))) => format!(
            " (a difference of {}, {ci} {} to {})",
            signed(diff),
            signed(lo),
            signed(hi)
        ),
        (None, _, None) => String::new(),
    };
    let head = if diff == 0.0 {
        format!(
            "{} did not change {what}{levels} compared with {}",
            f.treatment, f.control
        )
    } else {
        format!(
            "{} {verb} {what}{levels}{change} compared with {}",
            f.treatment, f.control
        )
    };
    let Some(p) = f.p_value else {
        let reason = f
            .reason
            .as_deref()
            .unwrap_or("the test statistic is undefined");
        return format!("{head}; whether this is more than chance cannot be judged: {reason}.");
    };
    let adjusted = f.p_value_holm.unwrap_or(p);
    if adjusted < f.alpha {
        format!(
            "{head}; a difference this large would rarely happen by chance ({}).",
            p_value(p)
        )
    } else if p < f.alpha {
        format!(
            "{head}. On its own a difference this large would rarely happen by chance ({}), but \
             with {} variants compared with {} one of them could look this good by luck \
             (adjusted {}): treat it as a lead to confirm, not a result.",
            p_value(p),
            f.comparisons,
            f.control,
            p_value(adjusted)
        )
    } else {
        format!(
            "{head}; the data cannot tell this apart from no change ({}).",
            p_value(p)
        )
    }
}

fn relative_word(kind: ResolvedKind) -> &'static str {
    match kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => "",
        ResolvedKind::Proportion => " relative",
    }
}

/// What a link analysis found, the input of [`link_verdict`].
#[derive(Clone, Debug)]
pub struct LinkFacts<'a> {
    pub x: &'a str,
    pub y: &'a str,
    pub n: u64,
    pub r: Option<f64>,
    pub r_ci: Option<(f64, f64)>,
    pub p: Option<f64>,
    pub slope: Option<f64>,
    pub slope_ci: Option<(f64, f64)>,
    /// A round step of x to express the slope in (about one standard deviation of x).
    pub x_step: Option<f64>,
    pub alpha: f64,
}

/// A few sentences on whether an ML metric and a business metric move together.
pub fn link_verdict(f: &LinkFacts<'_>) -> String {
    let ci = confidence_label(f.alpha);
    if f.n < 3 {
        return format!(
            "Only {} point{} with both {} and {}: too few to judge whether they move together \
             (at least 3 are needed, and 10 or more to say much).",
            f.n,
            if f.n == 1 { "" } else { "s" },
            f.x,
            f.y
        );
    }
    let Some(r) = f.r else {
        return format!(
            "{} or {} does not vary across the {} points, so whether they move together cannot be \
             measured.",
            f.x, f.y, f.n
        );
    };
    let strength = match r.abs() {
        a if a < 0.1 => "hardly any",
        a if a < 0.3 => "a weak",
        a if a < 0.5 => "a moderate",
        a if a < 0.7 => "a fairly strong",
        _ => "a strong",
    };
    let direction = if r >= 0.0 { "higher" } else { "lower" };
    let mut text = format!(
        "Across {} points, higher {} went with {direction} {} ({strength} link: r = {}",
        f.n,
        f.x,
        f.y,
        sig(r, 2)
    );
    if let Some((lo, hi)) = f.r_ci {
        text.push_str(&format!(", {ci} {} to {}", sig(lo, 2), sig(hi, 2)));
    }
    text.push_str(").");
    if let (Some(slope), Some(step)) = (f.slope, f.x_step) {
        text.push_str(&format!(
            " Each {} in {} came with {} in {}",
            signed(step),
            f.x,
            signed(slope * step),
            f.y
        ));
        if let Some((lo, hi)) = f.slope_ci {
            text.push_str(&format!(
                " ({ci} {} to {})",
                signed(lo * step),
                signed(hi * step)
            ));
        }
        text.push('.');
    }
    match f.p {
        Some(p) if p < f.alpha => text.push_str(&format!(
            " A link this strong would rarely appear by chance ({}); it shows that the two move \
             together, not that one causes the other.",
            p_value(p)
        )),
        Some(p) => text.push_str(&format!(
            " The data cannot tell this apart from no link ({}).",
            p_value(p)
        )),
        None => {}
    }
    text
}

/// A round step near `spread`: 1, 2 or 5 times a power of ten (0.012 → 0.01).
pub fn round_step(spread: f64) -> Option<f64> {
    if !(spread.is_finite() && spread > 0.0) {
        return None;
    }
    let power = 10f64.powf(spread.log10().floor());
    let mantissa = spread / power;
    let nice = if mantissa < 2.0 {
        1.0
    } else if mantissa < 5.0 {
        2.0
    } else {
        5.0
    };
    Some(nice * power)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_change_that_rounds_away_is_called_slight() {
        let facts = ComparisonFacts {
            diff: Some(-0.016),
            mean_control: Some(24.51),
            mean_treatment: Some(24.494),
            metric: "minutes",
            ..facts()
        };
        let v = comparison_verdict(&facts);
        assert!(
            v.contains("lowered the average minutes slightly, staying at about 24.5"),
            "{v}"
        );
        assert!(!v.contains("from 24.5 to 24.5"), "{v}");
    }

    use super::*;

    #[test]
    fn round_steps() {
        assert_eq!(round_step(0.012), Some(0.01));
        assert_eq!(round_step(3.0), Some(2.0));
    }

    fn facts() -> ComparisonFacts<'static> {
        ComparisonFacts {
            metric: "revenue_usd",
            kind: ResolvedKind::Mean,
            treatment: "bigger_model",
            control: "control",
            mean_treatment: Some(1.2372),
            mean_control: Some(1.2),
            diff: Some(0.0372),
            diff_ci: Some((0.0144, 0.06)),
            rel: Some(0.031),
            rel_ci: Some((0.012, 0.05)),
            p_value: Some(0.002),
            p_value_holm: Some(0.002),
            comparisons: 1,
            alpha: 0.05,
            reason: None,
        }
    }

    #[test]
    fn verdicts_read_well() {
        let v = comparison_verdict(&facts());
        assert_eq!(
            v,
            "bigger_model raised the average revenue_usd from 1.2 to 1.24 (+3.1%, 95% CI +1.2% \
             to +5%) compared with control; a difference this large would rarely happen by \
             chance (p = 0.002)."
        );
        let mut f = facts();
        f.p_value = Some(0.4);
        f.p_value_holm = Some(0.4);
        assert!(
            comparison_verdict(&f).ends_with("cannot tell this apart from no change (p = 0.4).")
        );
        f.p_value = Some(0.03);
        f.p_value_holm = Some(0.06);
        f.comparisons = 2;
        assert!(comparison_verdict(&f).contains("treat it as a lead to confirm"));
        f.diff = None;
        f.reason = Some("control has no values".to_owned());
        assert!(comparison_verdict(&f).contains("could not be compared"));
    }
}
