//! Small helpers shared by the pages. (Frame lives in `frame/`, Data in `data_page.rs`,
//! Evidence in `evidence/`, What-if in `whatif/`, Summary in `summary_page.rs`.)

use super::theme;

/// A labelled single-line text field that tests can find by its label.
#[allow(dead_code)] // for the pages still to come
pub fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(theme::READABLE_WIDTH),
    )
    .labelled_by(label.id);
}

/// A labelled multi-line text field.
#[allow(dead_code)] // for the pages still to come
pub fn text_area(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(value)
            .hint_text(hint)
            .desired_rows(3)
            .desired_width(theme::READABLE_WIDTH),
    )
    .labelled_by(label.id);
}
