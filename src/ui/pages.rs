//! The pages of the journey. Each later capability replaces its page here with its own file;
//! until then a page says plainly what it will hold. (Frame lives in `frame/`, Data in
//! `data_page.rs`, Summary in `summary_page.rs`.)

use crate::model::Page;

use super::{PageContext, theme};

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

fn coming_ui(ui: &mut egui::Ui, lines: &[&str]) {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH);
            ui.label(egui::RichText::new("Not built yet. This page will hold:").strong());
            for line in lines {
                ui.label(format!("•  {line}"));
            }
        });
}

pub fn evidence_page_ui(ui: &mut egui::Ui, _cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Evidence", Page::Evidence.explanation());
    coming_ui(
        ui,
        &[
            "Experiment results per variant, lift with intervals and a plain-language verdict.",
            "The ML metric and the business metric side by side, with the measured link.",
            "Metrics over time, and distributions per variant.",
        ],
    );
}
