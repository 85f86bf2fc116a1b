//! Small widgets of the What-if page: labelled number fields that accept what people type
//! ("2.1M", "15,000", "$500"), cards and notes.

use egui::RichText;

use crate::ui::theme;

/// Width of a field in the scenario form.
pub const FIELD_WIDTH: f32 = 170.0;
/// Width of the label column of the scenario form.
pub const LABEL_WIDTH: f32 = 190.0;

/// How a number field shows and limits its value.
#[derive(Clone, Copy, Debug)]
pub enum NumberKind<'a> {
    /// Money, never negative (costs), with the currency shown.
    Cost(&'a str),
    /// Money that may be negative (the value of one unit of a metric).
    Money(&'a str),
    /// A count, never negative (users or decisions).
    Count,
    /// Months, never negative.
    Months,
    /// Any number, shown with its sign (a change).
    Signed,
    /// Any number.
    Plain,
}

/// Parse what people type: thousands separators, currency signs, a typographic minus, and the
/// suffixes k, M and B.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .replace('−', "-")
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '$' | '€' | '£' | '¥' | '\u{a0}' | '+'))
        .collect();
    let (number, factor) = match cleaned.char_indices().last() {
        Some((i, 'k' | 'K')) => (&cleaned[..i], 1e3),
        Some((i, 'm' | 'M')) => (&cleaned[..i], 1e6),
        Some((i, 'b' | 'B')) => (&cleaned[..i], 1e9),
        _ => (cleaned.as_str(), 1.0),
    };
    let value = number.parse::<f64>().ok()? * factor;
    value.is_finite().then_some(value)
}

/// A number with the fewest decimals (up to 8) that show it exactly, with thousands separators,
/// so that editing it never silently rounds it.
pub fn format_exact(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let decimals = (0..=8)
        .find(|d| {
            let text = format!("{value:.d$}");
            text.parse::<f64>()
                .is_ok_and(|v| (v - value).abs() <= 1e-12 * value.abs().max(1.0))
        })
        .unwrap_or(8);
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && !text.trim_matches(['0', '.']).is_empty() {
        "−"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A label in the first column of a form grid, with a tooltip that explains the field.
pub fn form_label(ui: &mut egui::Ui, label: &str, tooltip: &str) -> egui::Response {
    let response = ui.label(label);
    if tooltip.is_empty() {
        response
    } else {
        response.on_hover_text(tooltip)
    }
}

/// A labelled number field in a form grid (label, then the field; ends the row).
pub fn number_row(
    ui: &mut egui::Ui,
    label: &str,
    tooltip: &str,
    value: &mut f64,
    kind: NumberKind<'_>,
) -> egui::Response {
    let label_response = form_label(ui, label, tooltip);
    let response = number_field(ui, value, kind)
        .labelled_by(label_response.id)
        .on_hover_text(tooltip);
    ui.end_row();
    response
}

/// A number field (a drag value that also takes typed text).
pub fn number_field(ui: &mut egui::Ui, value: &mut f64, kind: NumberKind<'_>) -> egui::Response {
    if !value.is_finite() {
        *value = 0.0;
    }
    let magnitude = value.abs();
    let speed = match kind {
        NumberKind::Months => 0.1,
        _ => (magnitude * 0.005).max(match kind {
            NumberKind::Signed | NumberKind::Plain => 0.0001,
            _ => 1.0,
        }),
    };
    let currency = match kind {
        NumberKind::Cost(c) | NumberKind::Money(c) => c.trim().to_string(),
        _ => String::new(),
    };
    let parse_currency = currency.clone();
    let signed = matches!(kind, NumberKind::Signed);
    let drag = egui::DragValue::new(value)
        .speed(speed)
        .custom_formatter(move |v, _| {
            let text = with_currency(&format_exact(v), &currency);
            if signed && v > 0.0 {
                format!("+{text}")
            } else {
                text
            }
        })
        .custom_parser(move |text| {
            let text = if parse_currency.is_empty() {
                text.to_string()
            } else {
                text.replace(parse_currency.as_str(), "")
            };
            parse_number(&text)
        })
        .update_while_editing(false);
    let drag = match kind {
        NumberKind::Cost(_) | NumberKind::Count => drag.range(0.0..=f64::MAX),
        NumberKind::Months => drag.range(0.0..=600.0).suffix(" months"),
        NumberKind::Money(_) | NumberKind::Signed | NumberKind::Plain => drag,
    };
    ui.add_sized([FIELD_WIDTH, 24.0], drag)
}

/// "−$1.5", "$12,000", "1,200 CHF".
fn with_currency(number: &str, currency: &str) -> String {
    let currency = currency.trim();
    if currency.is_empty() {
        return number.to_string();
    }
    let (sign, digits) = match number.strip_prefix('−') {
        Some(rest) => ("−", rest),
        None => ("", number),
    };
    if currency.chars().count() == 1 {
        format!("{sign}{currency}{digits}")
    } else {
        format!("{sign}{digits} {currency}")
    }
}

/// A labelled single-line text field in a form grid.
pub fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    tooltip: &str,
    value: &mut String,
    hint: &str,
) -> egui::Response {
    let label_response = form_label(ui, label, tooltip);
    let response = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(FIELD_WIDTH),
        )
        .labelled_by(label_response.id);
    ui.end_row();
    response
}

/// A heading of a group of fields.
pub fn group_heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(theme::SECTION_GAP / 2.0);
    ui.label(RichText::new(text).strong().size(16.0));
}

/// Secondary text that wraps.
pub fn note(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
}

/// A warning that wraps, in the theme's warning colour.
pub fn warning(ui: &mut egui::Ui, text: &str) {
    let color = theme::warning_color(ui.visuals().dark_mode);
    ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
}

/// A framed card.
pub fn card<R>(ui: &mut egui::Ui, add_contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add_contents(ui)
        })
        .inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_number("2.1M"), Some(2_100_000.0));
        assert_eq!(parse_number("15,000"), Some(15_000.0));
        assert_eq!(parse_number("$500"), Some(500.0));
        assert_eq!(parse_number("−0.5"), Some(-0.5));
        assert_eq!(parse_number("+0.02"), Some(0.02));
        assert_eq!(parse_number("12k"), Some(12_000.0));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(format_exact(210_000.0), "210,000");
        assert_eq!(format_exact(-1.5), "−1.5");
        assert_eq!(format_exact(0.02), "0.02");
        assert_eq!(format_exact(1234.5678), "1,234.5678");
        assert_eq!(format_exact(0.0), "0");
        assert_eq!(parse_number(&format_exact(-12_345.25)), Some(-12_345.25));
        assert_eq!(with_currency("−1.5", "$"), "−$1.5");
        assert_eq!(with_currency("1,200", "CHF"), "1,200 CHF");
    }
}
