//! The pages of the journey. Each later capability replaces its page here with its own file;
//! until then a page says plainly what it will hold.

use crate::app::Command;
use crate::model::Page;

use super::{PageContext, command_button, theme};

/// A labelled single-line text field that tests can find by its label.
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

pub fn frame_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Frame", Page::Frame.explanation());
    text_field(
        ui,
        "Project name",
        &mut cx.project.name,
        "e.g. Churn prediction",
    );
    text_area(
        ui,
        "Description",
        &mut cx.project.description,
        "One or two sentences: what is this project about?",
    );
    ui.add_space(theme::SECTION_GAP);
    coming_ui(
        ui,
        &[
            "The business problem, its owner and the decision the prediction drives.",
            "Business objectives with baseline, target, horizon and failure condition.",
            "Whether ML is the right tool, and the ML task with alternative framings.",
            "The ML objective and the hypothesised link to the business metric.",
            "Decoupled objectives, requirements, and the project's stage and maturity.",
        ],
    );
}

pub fn data_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Data", Page::Data.explanation());
    coming_ui(
        ui,
        &[
            "Data files added with a button, by dropping them on the window, or from the project.",
            "A preview of each file with column types, missing values, minimum and maximum.",
            "The role of every column (variant, metric, segment, score, label, …), editable.",
        ],
    );
    ui.add_space(theme::SECTION_GAP);
    ui.add_enabled_ui(false, |ui| {
        command_button(ui, Command::AddDataFilesDialog, cx.commands);
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

pub fn summary_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Summary", Page::Summary.explanation());
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH);
            for line in cx.project.describe().lines() {
                ui.label(line);
            }
        });
    ui.add_space(theme::SECTION_GAP);
    coming_ui(
        ui,
        &["The one-page canvas of the project, exported as Markdown and as an HTML page."],
    );
}
