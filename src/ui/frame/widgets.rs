//! Small widgets of the wizard: labelled fields (found by their label in tests), number fields
//! that accept what people type, choice buttons, and the warning list.

use egui::{Color32, RichText};

use crate::ui::theme;

/// The width of a full-width field.
pub fn field_width(ui: &egui::Ui) -> f32 {
    ui.available_width().min(theme::READABLE_WIDTH)
}

/// A label above a single-line text field.
pub fn text_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
) -> egui::Response {
    let width = field_width(ui);
    text_field_sized(ui, label, value, hint, width)
}

pub fn text_field_sized(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    let label = field_label(ui, label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(width),
    )
    .labelled_by(label.id)
}

/// A label above a multi-line text field.
pub fn text_area(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    rows: usize,
) -> egui::Response {
    let width = field_width(ui);
    let label = field_label(ui, label);
    ui.add(
        egui::TextEdit::multiline(value)
            .hint_text(hint)
            .desired_rows(rows)
            .desired_width(width),
    )
    .labelled_by(label.id)
}

/// The label of a field: calm, a little smaller than body text.
pub fn field_label(ui: &mut egui::Ui, text: &str) -> egui::Response {
    ui.add_space(4.0);
    ui.label(RichText::new(text).strong())
}

/// A sub-heading inside a step.
pub fn subheading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(theme::SECTION_GAP * 0.8);
    ui.label(RichText::new(text).strong().size(17.0));
    ui.add_space(2.0);
}

/// Secondary explanatory text that wraps.
pub fn explain(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
}

/// A framed card for one item of a list (an objective, a framing, a link).
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

/// A card with an accent border, for a recommendation or an important note.
pub fn accent_card<R>(ui: &mut egui::Ui, add_contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let fill = if ui.visuals().dark_mode {
        Color32::from_rgb(16, 40, 60)
    } else {
        Color32::from_rgb(236, 245, 252)
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, theme::ACCENT))
        .inner_margin(12.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(theme::READABLE_WIDTH));
            add_contents(ui)
        })
        .inner
}

/// A row of buttons of which one may be selected; clicking the selected one again clears it.
pub fn choice_buttons<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    value: &mut Option<T>,
    options: &[(T, &str)],
) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        for (option, text) in options {
            let selected = *value == Some(*option);
            if ui.selectable_label(selected, *text).clicked() {
                *value = if selected { None } else { Some(*option) };
                changed = true;
            }
        }
    });
    changed
}

/// "Yes" / "No" buttons for an optional answer.
pub fn yes_no(ui: &mut egui::Ui, value: &mut Option<bool>) -> bool {
    choice_buttons(ui, value, &[(true, "Yes"), (false, "No")])
}

/// The warnings of a step, gently: they never block anything.
pub fn warnings_ui(ui: &mut egui::Ui, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    let colour = theme::warning_color(ui.visuals().dark_mode);
    let fill = if ui.visuals().dark_mode {
        Color32::from_rgb(48, 38, 16)
    } else {
        Color32::from_rgb(255, 247, 230)
    };
    ui.add_space(theme::SECTION_GAP);
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, colour.gamma_multiply(0.6)))
        .inner_margin(12.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(theme::READABLE_WIDTH));
            ui.label(RichText::new("Worth a second look").strong().color(colour));
            for warning in warnings {
                ui.horizontal_top(|ui| {
                    ui.label(RichText::new("•").color(colour));
                    ui.add(egui::Label::new(warning.as_str()).wrap());
                });
            }
        });
}

/// A field for an optional number. Accepts "4.2", "4,2", "180,000", "12%" and "€1,200"; empty
/// means "not known". While the text is not a number, the value keeps its last good number and
/// the field says so.
pub fn number_field(
    ui: &mut egui::Ui,
    label: &str,
    id_salt: impl egui::AsIdSalt,
    value: &mut Option<f64>,
    hint: &str,
    width: f32,
) -> egui::Response {
    let label = field_label(ui, label);
    let id = ui.make_persistent_id(("number_field", id_salt));
    let shown = || value.map(plain_number).unwrap_or_default();
    let mut text: String = ui.data(|d| d.get_temp::<String>(id)).unwrap_or_else(shown);
    let bad = parse_number(&text).is_err();
    let mut edit = egui::TextEdit::singleline(&mut text)
        .hint_text(hint)
        .desired_width(width);
    if bad {
        edit = edit.text_color(theme::error_color(ui.visuals().dark_mode));
    }
    let response = ui.add(edit).labelled_by(label.id);
    if response.changed()
        && let Ok(parsed) = parse_number(&text)
    {
        *value = parsed;
    }
    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text.clone()));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
    }
    if bad {
        response.on_hover_text("Type a number, like 4.2 or 180,000.")
    } else {
        response
    }
}

/// A number as typed back into a field: no thousands separators, no trailing zeros.
pub fn plain_number(x: f64) -> String {
    let text = format!("{x}");
    if text.contains('e') {
        format!("{x:.6}")
    } else {
        text
    }
}

/// Parse what people type as a number; `Ok(None)` for an empty field.
pub fn parse_number(text: &str) -> Result<Option<f64>, ()> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '%' | '€' | '$' | '£' | '_' | '\''))
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let commas = cleaned.matches(',').count();
    let normalised = if cleaned.contains('.') {
        cleaned.replace(',', "")
    } else if commas == 1 {
        // "4,2" is a decimal comma; "180,000" a thousands separator.
        let after = cleaned.rsplit(',').next().map_or(0, str::len);
        if after == 3 {
            cleaned.replace(',', "")
        } else {
            cleaned.replace(',', ".")
        }
    } else {
        cleaned.replace(',', "")
    };
    match normalised.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number(" 4.2 "), Ok(Some(4.2)));
        assert_eq!(parse_number("4,2"), Ok(Some(4.2)));
        assert_eq!(parse_number("180,000"), Ok(Some(180_000.0)));
        assert_eq!(parse_number("1,234,567.5"), Ok(Some(1_234_567.5)));
        assert_eq!(parse_number("12%"), Ok(Some(12.0)));
        assert_eq!(parse_number("€ 1 200"), Ok(Some(1200.0)));
        assert_eq!(parse_number("−3"), Ok(Some(-3.0)));
        assert_eq!(parse_number("abc"), Err(()));
        assert_eq!(parse_number("inf"), Err(()));
        assert_eq!(plain_number(180_000.0), "180000");
        assert_eq!(plain_number(4.2), "4.2");
    }
}
