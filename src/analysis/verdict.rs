//! Plain-language sentences for readers who do not know what a p-value is. Their figures are
//! written by [`crate::format`], like every other figure the reader sees.

use super::ResolvedKind;
use crate::format::{
    confidence_label, number, p_value, p_value_at, percent, percent_change, points, sig, signed,
};

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
///
/// The sentence never contradicts its numbers (CONTRACT.md): a change is called real only when
/// the test says so *and* the interval quoted excludes zero on the scale it is quoted (the
/// relative interval when the relative lift is quoted, else the difference's). When the test is
/// clear but the relative interval still includes zero (a noisy control mean), the difference
/// and its interval are quoted instead. Rates are quoted in percentage points. A change the
/// data cannot tell apart from none is "changed by", never "raised" or "lowered". Without a
/// test (no spread, too few values) the sentence says plainly that no test is possible.
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
    let what = match f.kind {
        ResolvedKind::Mean => format!("the average {}", f.metric),
        ResolvedKind::Ratio | ResolvedKind::Proportion => f.metric.to_owned(),
    };
    let level = |m: f64| match f.kind {
        ResolvedKind::Mean | ResolvedKind::Ratio => number(m),
        ResolvedKind::Proportion => percent(m),
    };
    let Some(p) = f.p_value else {
        let reason = f
            .reason
            .as_deref()
            .unwrap_or("the test statistic is undefined");
        let levels = match (f.mean_control, f.mean_treatment) {
            (Some(c), Some(t)) => format!(
                " ({} is {} in {} and {} in {})",
                what,
                level(c),
                f.control,
                level(t),
                f.treatment
            ),
            _ => String::new(),
        };
        return format!(
            "No test is possible for {} against {} on {}{levels}: {reason}, so whether the \
             difference is more than chance cannot be judged.",
            f.treatment, f.control, f.metric
        );
    };
    let adjusted = f.p_value_holm.unwrap_or(p);
    let excludes_zero = |(lo, hi): (f64, f64)| lo > 0.0 || hi < 0.0;
    // The scale quoted: points for rates; for means the relative lift, unless the test is clear
    // while the relative interval is not (then the difference, whose interval matches the test).
    let quote_relative = f.kind != ResolvedKind::Proportion
        && f.rel.is_some()
        && !(p < f.alpha && f.rel_ci.is_some_and(|c| !excludes_zero(c)) && f.diff_ci.is_some());
    let diff_text = |x: f64| match f.kind {
        ResolvedKind::Proportion => points(x),
        _ => signed(x),
    };
    let (change, quoted_ci) = if quote_relative {
        let rel = f.rel.unwrap_or(0.0);
        match f.rel_ci {
            Some((lo, hi)) => (
                format!(
                    "{}, {ci} {} to {}",
                    percent_change(rel),
                    percent_change(lo),
                    percent_change(hi)
                ),
                Some((lo, hi)),
            ),
            None => (percent_change(rel), None),
        }
    } else {
        match f.diff_ci {
            Some((lo, hi)) => (
                format!(
                    "{}, {ci} {} to {}",
                    diff_text(diff),
                    diff_text(lo),
                    diff_text(hi)
                ),
                Some((lo, hi)),
            ),
            None => (diff_text(diff), None),
        }
    };
    let levels = match (f.mean_control, f.mean_treatment) {
        // Rounded alike (a tiny change): say so instead of "from 24.5 to 24.5".
        (Some(c), Some(t)) if diff != 0.0 && level(c) == level(t) => {
            format!(" slightly, staying at about {}", level(c))
        }
        (Some(c), Some(t)) => format!(" from {} to {}", level(c), level(t)),
        _ => String::new(),
    };
    if diff == 0.0 {
        return format!(
            "{} did not change {what}{} compared with {} ({p_text}).",
            f.treatment,
            f.mean_control
                .map(|c| format!(" (it stayed at {})", level(c)))
                .unwrap_or_default(),
            f.control,
            p_text = p_value_at(p, f.alpha)
        );
    }
    let real = adjusted < f.alpha && quoted_ci.is_none_or(excludes_zero) && diff != 0.0;
    let p_text = p_value_at(p, f.alpha);
    if real {
        let verb = if diff > 0.0 { "raised" } else { "lowered" };
        let mut text = format!(
            "{} {verb} {what}{levels} ({change}) compared with {}; a difference this large \
             would rarely happen by chance ({p_text}).",
            f.treatment, f.control
        );
        if !quote_relative
            && f.kind != ResolvedKind::Proportion
            && let (Some(rel), Some((lo, hi))) = (f.rel, f.rel_ci)
        {
            text.push_str(&format!(
                " In relative terms ({}) it is less certain: that interval, {} to {}, still \
                 includes no change, because the control's own level is uncertain.",
                percent_change(rel),
                percent_change(lo),
                percent_change(hi)
            ));
        }
        return text;
    }
    // "by +0.9% (95% CI −4% to +5.8%)": the same figures as `change`, worded for a change
    // that is not called real.
    let by = match change.split_once(", ") {
        Some((value, interval)) => format!("{value} ({interval})"),
        None => change.clone(),
    };
    let head = format!(
        "{} changed {what}{levels} by {by} compared with {}",
        f.treatment, f.control
    );
    if adjusted < f.alpha {
        // The test is below α but the quoted interval touches zero (a pooled test and an
        // unpooled interval can disagree at the edge).
        format!(
            "{head}: a borderline result ({p_text}, but the {ci} interval includes no change), \
             which the data cannot firmly tell apart from no change."
        )
    } else if p < f.alpha {
        format!(
            "{head}. On its own a difference this large would rarely happen by chance \
             ({p_text}), but with {} variants compared with {} one of them could look this good \
             by luck (adjusted {}): treat it as a lead to confirm, not a result.",
            f.comparisons,
            f.control,
            p_value_at(adjusted, f.alpha)
        )
    } else {
        format!("{head}, which the data cannot tell apart from no change ({p_text}).")
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

    // Issue 12: verdicts that never contradict their numbers.

    #[test]
    fn p_values_either_side_of_alpha_print_differently_with_opposite_verdicts() {
        let at = |p: f64| {
            comparison_verdict(&ComparisonFacts {
                p_value: Some(p),
                p_value_holm: Some(p),
                ..facts()
            })
        };
        let below = at(0.0496);
        let above = at(0.0502);
        assert!(
            below.contains("p = 0.0496") && below.contains("raised"),
            "{below}"
        );
        assert!(
            !above.contains("0.0496") && !above.contains("raised"),
            "{above}"
        );
        assert!(above.contains("cannot tell apart"), "{above}");
        // Any alpha, not only the usual thresholds.
        let f = ComparisonFacts {
            alpha: 0.02,
            p_value: Some(0.0199),
            p_value_holm: Some(0.0199),
            ..facts()
        };
        assert!(comparison_verdict(&f).contains("p = 0.0199"));
    }

    #[test]
    fn a_significant_test_with_a_relative_interval_through_zero_quotes_the_difference() {
        // GrowthBook's case: the absolute test is clear, the relative interval is not.
        let f = ComparisonFacts {
            mean_control: Some(0.41),
            mean_treatment: Some(0.70),
            diff: Some(0.29),
            diff_ci: Some((0.044, 0.536)),
            rel: Some(0.707),
            rel_ci: Some((-0.035, 1.45)),
            p_value: Some(0.021),
            p_value_holm: Some(0.021),
            ..facts()
        };
        let v = comparison_verdict(&f);
        assert!(v.contains("raised"), "{v}");
        assert!(v.contains("+0.29, 95% CI +0.044 to +0.536"), "{v}");
        // The relative interval is not quoted as the evidence of a real change.
        assert!(v.contains("still includes no change"), "{v}");
    }

    #[test]
    fn a_change_the_data_cannot_tell_apart_is_never_raised_or_lowered() {
        for diff in [0.0372, -0.0372] {
            let f = ComparisonFacts {
                diff: Some(diff),
                mean_treatment: Some(1.2 + diff),
                rel: Some(diff / 1.2),
                rel_ci: Some((-0.05, 0.1)),
                p_value: Some(0.3),
                p_value_holm: Some(0.3),
                ..facts()
            };
            let v = comparison_verdict(&f);
            assert!(!v.contains("raised") && !v.contains("lowered"), "{v}");
            assert!(v.contains("changed the average revenue_usd from"), "{v}");
            assert!(
                v.contains("which the data cannot tell apart from no change"),
                "{v}"
            );
        }
    }

    #[test]
    fn rates_are_quoted_in_percentage_points() {
        let f = ComparisonFacts {
            metric: "clicked",
            kind: ResolvedKind::Proportion,
            mean_control: Some(0.011),
            mean_treatment: Some(0.0114),
            diff: Some(0.0004),
            diff_ci: Some((0.0001, 0.0007)),
            rel: Some(0.036),
            rel_ci: Some((0.01, 0.06)),
            ..facts()
        };
        let v = comparison_verdict(&f);
        assert!(v.contains("raised clicked from 1.1% to 1.14%"), "{v}");
        assert!(v.contains("+0.04 pp, 95% CI +0.01 pp to +0.07 pp"), "{v}");
        assert!(!v.contains("relative"), "{v}");
    }

    #[test]
    fn no_spread_says_no_test_is_possible() {
        let f = ComparisonFacts {
            mean_control: Some(2.0),
            mean_treatment: Some(3.0),
            diff: Some(1.0),
            diff_ci: None,
            rel: Some(0.5),
            rel_ci: None,
            p_value: None,
            p_value_holm: None,
            reason: Some("every value inside each variant is the same".into()),
            ..facts()
        };
        let v = comparison_verdict(&f);
        assert!(v.starts_with("No test is possible"), "{v}");
        assert!(!v.contains("raised"), "{v}");
    }

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
            comparison_verdict(&f).ends_with("cannot tell apart from no change (p = 0.4)."),
            "{}",
            comparison_verdict(&f)
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
