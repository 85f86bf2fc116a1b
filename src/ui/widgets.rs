//! The widget kit of every page: cards, labelled fields (found by their label in tests), number
//! fields that accept what people type ("2.1M", "15,000", "$500", "4,2", "12%"), choice
//! buttons, notes and warnings. Numbers are written and parsed by [`crate::format`].

use egui::RichText;

use crate::format;
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
    ui.add_space(theme::SPACE_XS);
    ui.label(RichText::new(text).strong())
}

/// A sub-heading inside a step.
pub fn subheading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(theme::SECTION_GAP * 0.8);
    ui.label(RichText::new(text).strong().size(17.0));
    ui.add_space(theme::SPACE_HAIR);
}

/// Secondary explanatory text that wraps.
pub fn explain(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
}

/// A weak helper line that keeps its room while it is empty (at least `lines` lines of text),
/// so what is below does not move when it appears after a choice or while typing, and the next
/// click lands where the user aimed.
pub fn reserved_explain(ui: &mut egui::Ui, text: Option<&str>, lines: usize) {
    let row = ui.text_style_height(&egui::TextStyle::Body);
    let spacing = ui.spacing().item_spacing.y;
    let min_height = row * lines as f32 + spacing * lines.saturating_sub(1) as f32;
    ui.vertical(|ui| {
        ui.set_min_height(min_height);
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            explain(ui, text);
        }
    });
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
    let fill = theme::accent_fill(ui.visuals().dark_mode);
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
    let fill = theme::warning_fill(ui.visuals().dark_mode);
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
/// means "not known". Text that is not a number stays in the field (also after the field loses
/// focus), in the error colour, with a line beside it saying why and which value still counts;
/// the value keeps its last good number until the text reads as one.
pub fn optional_number_field(
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
    // The text being typed, or unreadable text kept for the value it was typed over.
    let kept: Option<(String, Option<f64>)> = ui.data(|d| d.get_temp(id));
    let mut text = match kept {
        Some((text, over)) if over == *value => text,
        _ => shown(),
    };
    let mut bad = parse_optional_number(&text).is_err();
    let mut edit = egui::TextEdit::singleline(&mut text)
        .hint_text(hint)
        .desired_width(width);
    if bad {
        edit = edit.text_color(theme::error_color(ui.visuals().dark_mode));
    }
    let response = ui.add(edit).labelled_by(label.id);
    if response.changed()
        && let Ok(parsed) = parse_optional_number(&text)
    {
        *value = parsed;
    }
    bad = parse_optional_number(&text).is_err();
    if response.has_focus() || bad {
        ui.data_mut(|d| d.insert_temp(id, (text.clone(), *value)));
    } else {
        ui.data_mut(|d| d.remove::<(String, Option<f64>)>(id));
    }
    if bad {
        let still = value.map_or_else(|| "no number".to_string(), format::number);
        unreadable_note(ui, &text, &still);
        response.on_hover_text("Type a number, like 4.2 or 180,000.")
    } else {
        response
    }
}

/// Why a number field's text is not taken: "Can't read “about 3.2%” as a number (type it like
/// 3.2, 2.1M or 180,000); still using 2.9." Wraps in the field's column.
fn unreadable_note(ui: &mut egui::Ui, text: &str, still: &str) {
    let color = theme::error_color(ui.visuals().dark_mode);
    ui.add(
        egui::Label::new(
            RichText::new(unreadable_message(text, still))
                .small()
                .color(color),
        )
        .wrap(),
    );
}

/// The words of [`unreadable_note`].
pub fn unreadable_message(text: &str, still: &str) -> String {
    format!(
        "Can't read \u{201c}{}\u{201d} as a number (type it like 3.2, 2.1M or 180,000); still \
         using {still}.",
        text.trim()
    )
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

/// Parse what people type in an optional number field; `Ok(None)` for an empty field.
pub fn parse_optional_number(text: &str) -> Result<Option<f64>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    format::parse_number(text).map(Some).ok_or(())
}

/// A label and a single-line text field side by side in the body style (the Evidence views'
/// "Name" field).
pub fn compact_text_field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(theme::READABLE_WIDTH),
    )
    .labelled_by(label.id);
}

/// Whether presentation mode is on (the window is zoomed for it).
pub fn presenting(ui: &egui::Ui) -> bool {
    ui.ctx().zoom_factor() >= theme::PRESENTATION_ZOOM - 0.01
}

/// The id of an Evidence view's "Settings" header: its open state in presentation mode is kept
/// apart from the normal mode's, so presenting starts with the settings collapsed.
pub fn settings_salt<T: std::hash::Hash + std::fmt::Debug>(ui: &egui::Ui, salt: T) -> (T, bool) {
    (salt, presenting(ui))
}

/// Whether an Evidence view's "Settings" start open: only while the analysis is incomplete
/// and has no result (once results exist they lead), never in presentation mode.
pub fn settings_open(ui: &egui::Ui, incomplete_without_result: bool) -> bool {
    incomplete_without_result && !presenting(ui)
}

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

/// A number field (a drag value that also takes typed text). Typed text that is not a number
/// is kept, in the error colour, with a line under it saying why and which value still counts,
/// until it is corrected (or Escape puts the number back).
pub fn number_field(ui: &mut egui::Ui, value: &mut f64, kind: NumberKind<'_>) -> egui::Response {
    if !value.is_finite() {
        *value = 0.0;
    }
    let key = ui.next_auto_id().with("unreadable");
    let currency = match kind {
        NumberKind::Cost(c) | NumberKind::Money(c) => c.trim().to_string(),
        _ => String::new(),
    };
    let parse = {
        let currency = currency.clone();
        move |text: &str| -> Option<f64> {
            let text = if currency.is_empty() {
                text.to_string()
            } else {
                text.replace(currency.as_str(), "")
            };
            format::parse_number(&text)
        }
    };
    let kept: Option<(String, f64)> = ui.data(|d| d.get_temp(key));
    if let Some((mut text, over)) = kept.filter(|(_, over)| *over == *value) {
        return unreadable_number_ui(ui, key, &mut text, over, value, kind, parse);
    }
    let magnitude = value.abs();
    let speed = match kind {
        NumberKind::Months => 0.1,
        _ => (magnitude * 0.005).max(match kind {
            NumberKind::Signed | NumberKind::Plain => 0.0001,
            _ => 1.0,
        }),
    };
    let signed = matches!(kind, NumberKind::Signed);
    // The text the drag value could not read, caught when it gives it up.
    let rejected = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
    let caught = std::rc::Rc::clone(&rejected);
    let parse_typed = parse.clone();
    let shown_currency = currency.clone();
    let drag = egui::DragValue::new(value)
        .speed(speed)
        .custom_formatter(move |v, _| {
            let text = format::with_currency(&format::exact(v), &shown_currency);
            if signed && v > 0.0 {
                format!("+{text}")
            } else {
                text
            }
        })
        .custom_parser(move |text| {
            let parsed = parse_typed(text);
            if parsed.is_none() && !text.trim().is_empty() {
                *caught.borrow_mut() = Some(text.to_string());
            }
            parsed
        })
        .update_while_editing(false);
    let drag = match kind {
        NumberKind::Cost(_) | NumberKind::Count => drag.range(0.0..=f64::MAX),
        NumberKind::Months => drag.range(0.0..=600.0).suffix(" months"),
        NumberKind::Money(_) | NumberKind::Signed | NumberKind::Plain => drag,
    };
    let response = ui.add_sized([FIELD_WIDTH, 24.0], drag);
    if let Some(text) = rejected.borrow_mut().take() {
        ui.data_mut(|d| d.insert_temp(key, (text, *value)));
        ui.ctx().request_repaint();
    }
    response
}

/// The field while it holds text that is not a number: the text, kept, and why it is not taken.
fn unreadable_number_ui(
    ui: &mut egui::Ui,
    key: egui::Id,
    text: &mut String,
    over: f64,
    value: &mut f64,
    kind: NumberKind<'_>,
    parse: impl Fn(&str) -> Option<f64>,
) -> egui::Response {
    let color = theme::error_color(ui.visuals().dark_mode);
    // Beside the field, not under it: the rows below stay where the pointer aims.
    let inner = ui.horizontal(|ui| {
        let response = ui.add_sized(
            [FIELD_WIDTH, 24.0],
            egui::TextEdit::singleline(text).text_color(color),
        );
        let still = match kind {
            NumberKind::Cost(c) | NumberKind::Money(c) => {
                format::with_currency(&format::exact(over), c.trim())
            }
            _ => format::exact(over),
        };
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "Can't read \u{201c}{}\u{201d} as a number; still using {still}.",
                    text.trim()
                ))
                .small()
                .color(color),
            )
            .wrap_mode(egui::TextWrapMode::Extend),
        )
        .on_hover_text(
            "Type it like 3.2, 2.1M or 180,000. Press Escape in the field to put the number \
             back.",
        );
        response
    });
    let response = inner.inner;
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let parsed = parse(text);
    if escape && response.has_focus() || text.trim().is_empty() && response.lost_focus() {
        ui.data_mut(|d| d.remove::<(String, f64)>(key));
    } else if let Some(mut parsed) = parsed {
        if matches!(kind, NumberKind::Cost(_) | NumberKind::Count) {
            parsed = parsed.max(0.0);
        }
        if matches!(kind, NumberKind::Months) {
            parsed = parsed.clamp(0.0, 600.0);
        }
        *value = parsed;
        ui.data_mut(|d| d.remove::<(String, f64)>(key));
    } else {
        ui.data_mut(|d| d.insert_temp(key, (text.clone(), over)));
    }
    response
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

/// A warning that wraps, in the theme's warning colour.
pub fn warning(ui: &mut egui::Ui, text: &str) {
    let color = theme::warning_color(ui.visuals().dark_mode);
    ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_numbers_as_people_type_them() {
        assert_eq!(parse_optional_number(""), Ok(None));
        assert_eq!(parse_optional_number(" 4.2 "), Ok(Some(4.2)));
        assert_eq!(parse_optional_number("4,2"), Ok(Some(4.2)));
        assert_eq!(parse_optional_number("180,000"), Ok(Some(180_000.0)));
        assert_eq!(parse_optional_number("1,234,567.5"), Ok(Some(1_234_567.5)));
        assert_eq!(parse_optional_number("12%"), Ok(Some(12.0)));
        assert_eq!(parse_optional_number("€ 1 200"), Ok(Some(1200.0)));
        assert_eq!(parse_optional_number("−3"), Ok(Some(-3.0)));
        assert_eq!(parse_optional_number("abc"), Err(()));
        assert_eq!(parse_optional_number("inf"), Err(()));
        assert_eq!(plain_number(180_000.0), "180000");
        assert_eq!(plain_number(4.2), "4.2");
    }
}
