//! The Summary page: the one-page canvas of the whole project (the same content as the exported
//! report), with export to Markdown and HTML.

use egui::RichText;

use crate::app::Command;
use crate::io::report::{ReportFormat, Section, build_report};
use crate::model::Page;

use super::{PageContext, command_button, report_view, theme};

/// Below this width the canvas has one column.
const TWO_COLUMN_MIN_WIDTH: f32 = 820.0;

pub fn summary_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let report = build_report(cx.project);
    ui.add_space(theme::SPACE_S);
    egui::Sides::new().show(
        ui,
        |ui| {
            ui.label(RichText::new("Summary").weak());
        },
        |ui| {
            command_button(
                ui,
                Command::ExportReportDialog(ReportFormat::Markdown),
                cx.commands,
            );
            command_button(
                ui,
                Command::ExportReportDialog(ReportFormat::Html),
                cx.commands,
            );
        },
    );
    ui.label(RichText::new(&report.title).size(28.0).strong());
    if !report.description.is_empty() {
        ui.add(egui::Label::new(RichText::new(&report.description).size(16.0)).wrap());
    }
    ui.label(RichText::new(&report.overview).weak());
    if cx.project.framing.answered_steps() == 0 {
        ui.add_space(theme::SPACE_S);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Nothing is framed yet.").italics().weak());
            if ui.link("Start on the Frame page").clicked() {
                cx.commands.push(Command::ShowPage(Page::Frame));
            }
        });
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    // The answer first, in a card that stands out; then the framing, data and evidence.
    let (lead, rest): (Vec<&Section>, Vec<&Section>) =
        report.sections.iter().partition(|s| s.key == HEADLINE_KEY);
    for section in lead {
        headline_ui(ui, section);
        ui.add_space(theme::SPACE_M);
    }
    canvas_ui(ui, &rest);
}

/// The key of the headline section (`io::report::Headline::section`).
const HEADLINE_KEY: &str = "headline";

/// The headline block: decision badges, what the ML change did, what it is worth.
fn headline_ui(ui: &mut egui::Ui, section: &Section) {
    let fill = theme::accent_fill(ui.visuals().dark_mode);
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, theme::ACCENT))
        .inner_margin(14.0)
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(&section.title)
                    .strong()
                    .size(19.0)
                    .color(theme::heading_color(ui.visuals().dark_mode)),
            );
            ui.add_space(theme::SPACE_XS);
            report_view::blocks_ui(ui, &section.blocks, section.key);
        });
}

/// Wide sections take the whole width; the others pair up in two columns when there is room.
fn canvas_ui(ui: &mut egui::Ui, sections: &[&Section]) {
    let two_columns = ui.available_width() >= TWO_COLUMN_MIN_WIDTH;
    let mut pending: Option<&Section> = None;
    let flush = |ui: &mut egui::Ui, first: &Section, second: Option<&Section>| {
        match second {
            Some(second) if two_columns => {
                ui.columns(2, |columns| {
                    if let [left, right] = columns {
                        report_view::section_card_ui(left, first);
                        report_view::section_card_ui(right, second);
                    }
                });
            }
            _ => {
                report_view::section_card_ui(ui, first);
                if let Some(second) = second {
                    ui.add_space(theme::SPACE_M);
                    report_view::section_card_ui(ui, second);
                }
            }
        }
        ui.add_space(theme::SPACE_M);
    };
    for &section in sections {
        if section.wide {
            if let Some(first) = pending.take() {
                flush(ui, first, None);
            }
            flush(ui, section, None);
        } else if let Some(first) = pending.take() {
            flush(ui, first, Some(section));
        } else {
            pending = Some(section);
        }
    }
    if let Some(first) = pending {
        flush(ui, first, None);
    }
}
