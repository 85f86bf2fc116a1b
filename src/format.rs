//! One way to say a number: every figure a person reads (in the window, the report and the
//! command line) is written by these functions, so that the same value reads the same
//! everywhere.
//!
//! The house style:
//! - three significant digits, whole numbers keep all their digits: `0.0123`, `12.3`, `19,085`;
//! - thousands separated by a comma: `1,234,567`;
//! - a real minus sign (U+2212) for negative values: `−3.5%`; a plus sign on changes: `+0.4 pp`;
//! - "–" (an en dash) for a value that is missing or undefined;
//! - p-values with two significant digits, and more where two would put a p-value below 0.05
//!   (or another usual threshold) on the same text as one at or above it.
//!
//! This module is a leaf: it imports nothing from the crate and never egui, so `model`,
//! `analysis`, `io`, `cli` and `ui` can all use it. Machine-readable output (CSV cells, JSON)
//! does not go through it: it keeps every digit and an ASCII minus.

/// The minus sign of figures people read.
pub const MINUS: char = '−';

/// What a missing or undefined value reads as.
pub const UNDEFINED: &str = "–";

/// A number with three significant digits: `1,234,567`, `12.3`, `0.0123`, `−4.5`; "–" when
/// undefined. Tables, sentences and the report all use this.
pub fn number(x: f64) -> String {
    sig(x, 3)
}

/// A number with six significant digits, exact enough to read a value off a chart: hover labels.
pub fn precise(x: f64) -> String {
    sig(x, 6)
}

/// A number with `digits` significant digits (whole numbers keep all their digits), without
/// trailing zeros, with thousands separators; very small or very large values in scientific
/// notation (`1.2e-7`); "–" when undefined.
pub fn sig(x: f64, digits: i32) -> String {
    if !x.is_finite() {
        return UNDEFINED.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..=12).contains(&magnitude) {
        let text = format!("{:.*e}", (digits - 1).max(0) as usize, x.abs());
        // "1.20e-7" → "1.2e-7"
        let text = match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa)),
            None => text,
        };
        return if x < 0.0 {
            format!("{MINUS}{text}")
        } else {
            text
        };
    }
    let decimals = (digits - 1 - magnitude).clamp(0, 12) as usize;
    grouped(&format!("{x:.decimals$}"))
}

/// A number with a fixed number of decimals (axis ticks): `0.25`, `1,500`, `−2`.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return UNDEFINED.to_string();
    }
    let text = format!("{x:.decimals$}");
    if decimals == 0 {
        grouped(&text)
    } else {
        // Keep the decimals (ticks line up), group the whole part.
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let int = grouped(int);
        if frac.is_empty() {
            int
        } else if int == "0" && text.starts_with('-') {
            // "-0.00" reads oddly; "-0.01" keeps its sign.
            if frac.chars().all(|c| c == '0') {
                format!("0.{frac}")
            } else {
                format!("{MINUS}0.{frac}")
            }
        } else {
            format!("{int}.{frac}")
        }
    }
}

/// A change with its sign: `+0.25`, `−3`, `0`, `+19,085`.
pub fn signed(x: f64) -> String {
    with_sign(&number(x))
}

/// A change with its sign and `digits` significant digits: `+0.16`, `−1.2`.
pub fn signed_sig(x: f64, digits: i32) -> String {
    with_sign(&sig(x, digits))
}

/// A figure already written (by [`sig`], [`fixed`] or similar) with a plus sign in front when
/// it is positive; a leading ASCII minus becomes a real minus.
pub fn with_sign(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('-') {
        return format!("{MINUS}{rest}");
    }
    let zero = text.chars().all(|c| matches!(c, '0' | '.' | ','));
    if text.starts_with(MINUS) || text == UNDEFINED || text.is_empty() || zero {
        text.to_string()
    } else {
        format!("+{text}")
    }
}

/// A share as a percentage: 0.1023 → "10.2%", 1.5 → "150%".
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return UNDEFINED.to_string();
    }
    format!("{}%", number(fraction * 100.0))
}

/// A relative change as a signed percentage: 0.0312 → "+3.12%", −0.035 → "−3.5%".
pub fn percent_change(fraction: f64) -> String {
    if !fraction.is_finite() {
        return UNDEFINED.to_string();
    }
    format!("{}%", signed(fraction * 100.0))
}

/// A change of a share in percentage points: 0.004 → "+0.4 pp".
pub fn points(fraction: f64) -> String {
    if !fraction.is_finite() {
        return UNDEFINED.to_string();
    }
    format!("{} pp", signed(fraction * 100.0))
}

/// Thresholds a p-value is usually compared with: the text of a p-value never crosses them.
const P_THRESHOLDS: [f64; 5] = [0.1, 0.05, 0.01, 0.005, 0.001];

/// A p-value as a table cell: "0.031", "0.0496", "< 0.001", "–".
///
/// Two significant digits, more when two would round a p-value below a usual threshold (0.05,
/// 0.01, …) up onto it: 0.0496 reads "0.0496", not "0.05", so it never reads like 0.0502.
pub fn p_bare(p: f64) -> String {
    if !p.is_finite() {
        return UNDEFINED.to_string();
    }
    if p < 0.001 {
        return "< 0.001".to_string();
    }
    for digits in 2..=4 {
        let text = sig(p, digits);
        let shown: f64 = text.parse().unwrap_or(p);
        if P_THRESHOLDS.iter().all(|&t| (shown < t) == (p < t)) {
            return text;
        }
    }
    // Within a hair of a threshold: say which side it is on.
    P_THRESHOLDS
        .iter()
        .rev()
        .find(|&&t| p < t)
        .map(|t| format!("< {t}"))
        .unwrap_or_else(|| sig(p, 2))
}

/// A p-value as a table cell that also never crosses the significance level `alpha` in use
/// (see [`p_bare`]; `alpha` may be any level, e.g. 0.02).
pub fn p_bare_at(p: f64, alpha: f64) -> String {
    let text = p_bare(p);
    if !(p.is_finite() && alpha.is_finite()) || text.starts_with('<') {
        return text;
    }
    let same_side = |text: &str| {
        text.parse::<f64>()
            .map_or(true, |shown| (shown < alpha) == (p < alpha))
    };
    if same_side(&text) {
        return text;
    }
    for digits in 3..=6 {
        let text = sig(p, digits);
        if same_side(&text) {
            return text;
        }
    }
    if p < alpha {
        format!("< {}", sig(alpha, 3))
    } else {
        sig(p, 6)
    }
}

/// A p-value in a sentence that never crosses `alpha` (see [`p_bare_at`]).
pub fn p_value_at(p: f64, alpha: f64) -> String {
    let text = p_bare_at(p, alpha);
    if text.starts_with('<') {
        format!("p {text}")
    } else {
        format!("p = {text}")
    }
}

/// A p-value in a sentence: "p = 0.031", "p = 0.0496", "p < 0.001".
pub fn p_value(p: f64) -> String {
    let text = p_bare(p);
    if text.starts_with('<') {
        format!("p {text}")
    } else {
        format!("p = {text}")
    }
}

/// An interval: "1.2 to 3.4", "−3.5% to +1.2%", each end written by `each`.
pub fn interval(low: f64, high: f64, each: impl Fn(f64) -> String) -> String {
    format!("{} to {}", each(low), each(high))
}

/// "95% CI" for α = 0.05, "99.5% CI" for α = 0.005.
pub fn confidence_label(alpha: f64) -> String {
    format!("{}% CI", confidence_level(alpha))
}

/// The confidence level of α in percent: "95" for 0.05, "99.5" for 0.005.
pub fn confidence_level(alpha: f64) -> String {
    let level = (1.0 - alpha) * 100.0;
    let rounded = (level * 1000.0).round() / 1000.0;
    trim_zeros(&format!("{rounded:.3}")).to_string()
}

/// Money: `$1.25M`, `€12,300`, `−$450`, `1,200 CHF`, `$0.0123`; "–" when undefined.
pub fn money(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return UNDEFINED.to_string();
    }
    let abs = x.abs();
    let amount = if abs >= 1e9 {
        format!("{}B", decimals_trimmed(abs / 1e9, 2))
    } else if abs >= 1e6 {
        format!("{}M", decimals_trimmed(abs / 1e6, 2))
    } else if abs >= 100.0 {
        grouped(&format!("{abs:.0}"))
    } else if abs >= 1.0 || abs == 0.0 {
        decimals_trimmed(abs, 2)
    } else {
        // Small amounts keep three significant digits (a fraction of a cent per decision).
        number(abs)
    };
    let sign = if x < 0.0 && amount != "0" { "−" } else { "" };
    with_currency(&format!("{sign}{amount}"), currency)
}

/// A figure with its currency: "−$1.5", "$12,000", "1,200 CHF" (a one-character currency
/// goes in front, a code after).
pub fn with_currency(number: &str, currency: &str) -> String {
    let currency = currency.trim();
    if currency.is_empty() {
        return number.to_string();
    }
    let (sign, digits) = match number.strip_prefix(MINUS) {
        Some(rest) => ("−", rest),
        None => ("", number),
    };
    if currency.chars().count() == 1 {
        format!("{sign}{currency}{digits}")
    } else {
        format!("{sign}{digits} {currency}")
    }
}

/// "1 month", "2.5 months".
pub fn months(m: f64) -> String {
    let text = number(m);
    if text == "1" {
        "1 month".to_string()
    } else {
        format!("{text} months")
    }
}

/// A payback month in words: "month 7", "not within the horizon".
pub fn payback(month: Option<u32>) -> String {
    match month {
        Some(m) => format!("month {m}"),
        None => "not within the horizon".to_string(),
    }
}

/// A number with the fewest decimals (up to 8) that show it exactly, with thousands separators,
/// so that editing it never silently rounds it: `210,000`, `1,234.5678`, `−1.5`.
pub fn exact(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let decimals = (0..=8)
        .find(|d| {
            let text = format!("{x:.d$}");
            text.parse::<f64>()
                .is_ok_and(|v| (v - x).abs() <= 1e-12 * x.abs().max(1.0))
        })
        .unwrap_or(8);
    let text = format!("{x:.decimals$}");
    if text
        .trim_start_matches('-')
        .trim_matches(['0', '.'])
        .is_empty()
    {
        return grouped(text.trim_start_matches('-'));
    }
    grouped(&text)
}

/// Parse what people type: thousands separators, a decimal comma ("4,2"), currency and percent
/// signs, spaces, a typographic minus, a plus sign and the suffixes k, M and B: "2.1M",
/// "15,000", "$500", "−0.5", "12%", "€ 1 200". `None` when it is not a (finite) number.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | '¥' | '%' | '_' | '\'' | '+')
        })
        .map(|c| if c == MINUS { '-' } else { c })
        .collect();
    let (number, factor) = match cleaned.char_indices().last() {
        Some((i, 'k' | 'K')) => (&cleaned[..i], 1e3),
        Some((i, 'm' | 'M')) => (&cleaned[..i], 1e6),
        Some((i, 'b' | 'B')) => (&cleaned[..i], 1e9),
        _ => (cleaned.as_str(), 1.0),
    };
    let commas = number.matches(',').count();
    let after_comma = number.rsplit(',').next().map_or(0, str::len);
    // "4,2" is a decimal comma; "180,000" and "1,234.5" have thousands separators.
    let normalised = if commas == 1 && !number.contains('.') && after_comma != 3 {
        number.replace(',', ".")
    } else {
        number.replace(',', "")
    };
    let value = normalised.parse::<f64>().ok()? * factor;
    value.is_finite().then_some(value)
}

/// Days since 1970-01-01 as year, month (1–12) and day (Howard Hinnant's algorithm).
pub fn date_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 as "YYYY-MM-DD"; empty when undefined.
pub fn date(days: f64) -> String {
    if !days.is_finite() {
        return String::new();
    }
    let (y, m, d) = date_from_days(days.floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub fn today_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    date(secs.div_euclid(86_400) as f64)
}

/// Thousands separators on a number written by `format!` ("-1234567.5" → "−1,234,567.5"),
/// a real minus, and "0" instead of "-0".
fn grouped(text: &str) -> String {
    let text = trim_zeros(text);
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let len = int.chars().count();
    let mut out = String::new();
    let is_zero = rest.chars().all(|c| c == '0' || c == '.');
    if negative && !is_zero {
        out.push(MINUS);
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

fn decimals_trimmed(x: f64, decimals: usize) -> String {
    trim_zeros(&format!("{x:.decimals$}")).to_string()
}

/// A column name for people: "revenue_per_user_usd" → "revenue per user (USD)".
pub fn readable(column: &str) -> String {
    const UNITS: [(&str, &str); 9] = [
        ("_usd", "USD"),
        ("_eur", "EUR"),
        ("_gbp", "GBP"),
        ("_ms", "ms"),
        ("_secs", "s"),
        ("_sec", "s"),
        ("_pct", "%"),
        ("_percent", "%"),
        ("_minutes", "minutes"),
    ];
    let trimmed = column.trim();
    let lower = trimmed.to_lowercase();
    for (suffix, unit) in UNITS {
        if lower.ends_with(suffix)
            && let Some(base) = trimmed.get(..trimmed.len().saturating_sub(suffix.len()))
            && !base.is_empty()
        {
            return format!("{} ({unit})", base.replace('_', " ").trim());
        }
    }
    trimmed.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_three_significant_digits_and_separators() {
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(19_085.4), "19,085");
        assert_eq!(number(1234.6), "1,235");
        assert_eq!(number(123.4), "123");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(4.2), "4.2");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(number(0.012_345), "0.0123");
        assert_eq!(number(-0.25), "−0.25");
        assert_eq!(number(-1_234_567.0), "−1,234,567");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(1.2e-7), "1.2e-7");
        assert_eq!(number(f64::NAN), "–");
        assert_eq!(number(f64::INFINITY), "–");
        assert_eq!(precise(0.912_345_67), "0.912346");
        assert_eq!(precise(12_345.0), "12,345");
        assert_eq!(precise(-1_234_567.891), "−1,234,568");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed(19_085.0), "+19,085");
        assert_eq!(signed(-3.0), "−3");
        assert_eq!(signed(0.0), "0");
        assert_eq!(signed(0.25), "+0.25");
        assert_eq!(percent_change(-0.035), "−3.5%");
        assert_eq!(percent_change(0.0312), "+3.12%");
        assert_eq!(percent_change(0.0), "0%");
        assert_eq!(points(0.004), "+0.4 pp");
        assert_eq!(points(-0.0123), "−1.23 pp");
        assert_eq!(percent(0.1023), "10.2%");
        assert_eq!(percent(1.5), "150%");
        assert_eq!(percent(-0.25), "−25%");
        assert_eq!(with_sign("0.10"), "+0.10");
        assert_eq!(with_sign("-0.10"), "−0.10");
        assert_eq!(with_sign("0.00"), "0.00");
        assert_eq!(interval(-0.035, 0.012, percent_change), "−3.5% to +1.2%");
    }

    #[test]
    fn p_values_never_hide_which_side_of_alpha_they_are() {
        assert_ne!(p_bare_at(0.0496, 0.05), p_bare_at(0.0502, 0.05));
        assert_eq!(p_bare_at(0.0496, 0.05), "0.0496");
        for alpha in [0.02, 0.03, 0.07, 0.15] {
            for p in [alpha * 0.999, alpha * 0.99, alpha * 1.001, alpha * 1.01] {
                let text = p_bare_at(p, alpha);
                let shown: f64 = text.trim_start_matches("< ").parse().unwrap();
                assert_eq!(
                    shown < alpha || text.starts_with('<'),
                    p < alpha,
                    "{p} at {alpha}: {text}"
                );
            }
        }
    }

    #[test]
    fn p_values_never_hide_which_side_of_a_threshold_they_are() {
        assert_eq!(p_value(0.0496), "p = 0.0496");
        assert_eq!(p_value(0.0502), "p = 0.05");
        assert_ne!(p_value(0.0496), p_value(0.0502));
        assert_ne!(p_value(0.049_999_99), p_value(0.05));
        assert_eq!(p_value(0.049_999_99), "p < 0.05");
        assert_eq!(p_value(0.0094), "p = 0.0094");
        assert_eq!(p_value(0.0099), "p = 0.0099");
        assert_eq!(p_value(0.00996), "p = 0.00996");
        assert_eq!(p_value(0.031), "p = 0.031");
        assert_eq!(p_value(0.61), "p = 0.61");
        assert_eq!(p_value(0.0004), "p < 0.001");
        assert_eq!(p_bare(0.0004), "< 0.001");
        assert_eq!(p_bare(0.002), "0.002");
        assert_eq!(p_bare(f64::NAN), "–");
        // Exhaustively around 0.05: text below the threshold iff the value is.
        for i in 0..2000 {
            let p = 0.048 + f64::from(i) * 2e-6;
            let text = p_bare(p);
            let below = text.starts_with('<') || text.parse::<f64>().is_ok_and(|v| v < 0.05);
            assert_eq!(below, p < 0.05, "{p} printed as {text}");
        }
    }

    #[test]
    fn money_months_and_confidence() {
        assert_eq!(money(1_250_000.0, "$"), "$1.25M");
        assert_eq!(money(12_300.0, "€"), "€12,300");
        assert_eq!(money(-450.0, "$"), "−$450");
        assert_eq!(money(1_200.0, "CHF"), "1,200 CHF");
        assert_eq!(money(0.0123, "$"), "$0.0123");
        assert_eq!(money(2.5e9, ""), "2.5B");
        assert_eq!(money(1_234_567.0, "$"), "$1.23M");
        assert_eq!(money(-12_345.0, "€"), "−€12,345");
        assert_eq!(money(0.5, ""), "0.5");
        assert_eq!(money(-0.006, "€"), "−€0.006");
        assert_eq!(money(12.345, "$"), "$12.35");
        assert_eq!(money(f64::NAN, "$"), "–");
        assert_eq!(months(1.0), "1 month");
        assert_eq!(months(2.5), "2.5 months");
        assert_eq!(payback(Some(7)), "month 7");
        assert_eq!(payback(None), "not within the horizon");
        assert_eq!(confidence_label(0.05), "95% CI");
        assert_eq!(confidence_label(0.005), "99.5% CI");
    }

    #[test]
    fn ticks_keep_their_decimals() {
        assert_eq!(fixed(0.25, 2), "0.25");
        assert_eq!(fixed(0.5, 2), "0.50");
        assert_eq!(fixed(1500.0, 0), "1,500");
        assert_eq!(fixed(-2.0, 0), "−2");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.01, 2), "−0.01");
        assert_eq!(fixed(-12_000.5, 1), "−12,000.5");
    }

    #[test]
    fn typed_numbers_and_exact_round_trip() {
        assert_eq!(parse_number("2.1M"), Some(2_100_000.0));
        assert_eq!(parse_number("15,000"), Some(15_000.0));
        assert_eq!(parse_number("$500"), Some(500.0));
        assert_eq!(parse_number("−0.5"), Some(-0.5));
        assert_eq!(parse_number("+0.02"), Some(0.02));
        assert_eq!(parse_number("12k"), Some(12_000.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("4,2"), Some(4.2));
        assert_eq!(parse_number("1,234,567.5"), Some(1_234_567.5));
        assert_eq!(parse_number("12%"), Some(12.0));
        assert_eq!(parse_number("€ 1 200"), Some(1200.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(exact(210_000.0), "210,000");
        assert_eq!(exact(-1.5), "−1.5");
        assert_eq!(exact(0.02), "0.02");
        assert_eq!(exact(1234.5678), "1,234.5678");
        assert_eq!(exact(0.0), "0");
        assert_eq!(parse_number(&exact(-12_345.25)), Some(-12_345.25));
        assert_eq!(with_currency("−1.5", "$"), "−$1.5");
        assert_eq!(with_currency("1,200", "CHF"), "1,200 CHF");
    }

    #[test]
    fn dates() {
        assert_eq!(date(0.0), "1970-01-01");
        assert_eq!(date(20_454.0), "2026-01-01");
        assert_eq!(date(11_016.0), "2000-02-29");
        assert_eq!(date(f64::NAN), "");
    }
}
