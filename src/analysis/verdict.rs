//! Plain-language sentences for readers who do not know what a p-value is, and the number
//! formatting they (and the command-line tables) share.

use super::ResolvedKind;

/// A number with three significant digits, without trailing zeros: 1234.5 → "1235",
/// 0.012345 → "0.0123", 1.2e-7 → "1.2e-7".
pub fn format_number(x: f64) -> String {
    format_sig(x, 3)
}

/// A number with `digits` significant digits, trailing zeros removed.
pub fn format_sig(x: f64, digits: i32) -> String {
    if !x.is_finite() {
        return "undefined".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..=9).contains(&magnitude) {
        let text = format!("{:.*e}", (digits - 1).max(0) as usize, x);
        // "1.20e-7" → "1.2e-7"
        return match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa)),
            None => text,
        };
    }
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    trim_zeros(&text).to_owned()
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A signed relative change as a percentage: 0.0312 → "+3.1%", -0.5 → "−50%".
pub fn format_percent_change(rel: f64) -> String {
    let body = format_sig((rel * 100.0).abs(), 2);
    if rel > 0.0 {
        format!("+{body}%")
    } else if rel < 0.0 {
        format!("-{body}%")
    } else {
        "0%".to_owned()
    }
}

/// A signed number: 0.25 → "+0.25".
pub fn format_signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", format_number(x))
    } else {
        format_number(x)
    }
}

/// A proportion as a percentage level: 0.1023 → "10.2%".
pub fn format_percent_level(p: f64) -> String {
    format!("{}%", format_sig(p * 100.0, 3))
}

/// "p = 0.002", "p = 0.61" or "p < 0.001".
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_owned()
    } else {
        format!("p = {}", format_sig(p, 2))
    }
}

/// "95% CI" for α = 0.05, "99.5% CI" for α = 0.005.
pub fn confidence_label(alpha: f64) -> String {
    let level = (1.0 - alpha) * 100.0;
    let rounded = (level * 1000.0).round() / 1000.0;
    format!("{}% CI", trim_zeros(&format!("{rounded:.3}")))
}

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
        ResolvedKind::Proportion => f.metric.to_owned(),
    };
    let level = |m: f64| match f.kind {
        ResolvedKind::Mean => format_number(m),
        ResolvedKind::Proportion => format_percent_level(m),
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
            format_percent_change(rel),
            relative_word(f.kind),
            format_percent_change(lo),
            format_percent_change(hi)
        ),
        (Some(rel), None, _) => {
            format!(" ({}{})", format_percent_change(rel), relative_word(f.kind))
        }
        (None, _, Some((lo, hi))) => format!(
            " (a difference of {}, {ci} {} to {})",
            format_signed(diff),
            format_signed(lo),
            format_signed(hi)
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
            format_p(p)
        )
    } else if p < f.alpha {
        format!(
            "{head}. On its own a difference this large would rarely happen by chance ({}), but \
             with {} variants compared with {} one of them could look this good by luck \
             (adjusted p = {}): treat it as a lead to confirm, not a result.",
            format_p(p),
            f.comparisons,
            f.control,
            format_sig(adjusted, 2)
        )
    } else {
        format!(
            "{head}; the data cannot tell this apart from no change ({}).",
            format_p(p)
        )
    }
}

fn relative_word(kind: ResolvedKind) -> &'static str {
    match kind {
        ResolvedKind::Mean => "",
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
        format_sig(r, 2)
    );
    if let Some((lo, hi)) = f.r_ci {
        text.push_str(&format!(
            ", {ci} {} to {}",
            format_sig(lo, 2),
            format_sig(hi, 2)
        ));
    }
    text.push_str(").");
    if let (Some(slope), Some(step)) = (f.slope, f.x_step) {
        text.push_str(&format!(
            " Each {} in {} came with {} in {}",
            format_signed(step),
            f.x,
            format_signed(slope * step),
            f.y
        ));
        if let Some((lo, hi)) = f.slope_ci {
            text.push_str(&format!(
                " ({ci} {} to {})",
                format_signed(lo * step),
                format_signed(hi * step)
            ));
        }
        text.push('.');
    }
    match f.p {
        Some(p) if p < f.alpha => text.push_str(&format!(
            " A link this strong would rarely appear by chance ({}); it shows that the two move \
             together, not that one causes the other.",
            format_p(p)
        )),
        Some(p) => text.push_str(&format!(
            " The data cannot tell this apart from no link ({}).",
            format_p(p)
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
    fn numbers() {
        assert_eq!(format_number(1234.6), "1235");
        assert_eq!(format_number(0.012345), "0.0123");
        assert_eq!(format_number(1.2), "1.2");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(1.2e-7), "1.2e-7");
        assert_eq!(format_percent_change(0.0312), "+3.1%");
        assert_eq!(format_percent_change(-0.5), "-50%");
        assert_eq!(format_p(0.0021), "p = 0.0021");
        assert_eq!(format_p(0.61234), "p = 0.61");
        assert_eq!(format_p(0.00002), "p < 0.001");
        assert_eq!(confidence_label(0.05), "95% CI");
        assert_eq!(confidence_label(0.005), "99.5% CI");
        assert_eq!(format_percent_level(0.1023), "10.2%");
        assert_eq!(round_step(0.012), Some(0.01));
        assert_eq!(round_step(3.0), Some(2.0));
        assert_eq!(format_number(f64::NAN), "undefined");
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
