//! Step 7: the four requirements, each with a concrete target.

use egui::RichText;

use crate::model::{RequirementKind, Requirements};
use crate::ui::theme;

use super::widgets::card;

pub fn requirements_ui(ui: &mut egui::Ui, requirements: &mut Requirements) {
    let two_columns = ui.available_width() >= 700.0;
    if two_columns {
        for pair in RequirementKind::ALL.chunks(2) {
            ui.columns(2, |columns| {
                for (column, kind) in columns.iter_mut().zip(pair) {
                    requirement_ui(column, requirements, *kind);
                }
            });
            ui.add_space(theme::SPACE_M);
        }
    } else {
        for kind in RequirementKind::ALL {
            requirement_ui(ui, requirements, kind);
            ui.add_space(theme::SPACE_M);
        }
    }
}

fn requirement_ui(ui: &mut egui::Ui, requirements: &mut Requirements, kind: RequirementKind) {
    let r = requirements.get_mut(kind);
    card(ui, |ui| {
        // Left-aligned, not justified, even inside columns.
        ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
            requirement_fields_ui(ui, r, kind);
        });
    });
}

fn requirement_fields_ui(
    ui: &mut egui::Ui,
    r: &mut crate::model::Requirement,
    kind: RequirementKind,
) {
    {
        // The heading labels the description field, so each field has its own name.
        let heading = ui.label(RichText::new(kind.label()).strong().size(16.0));
        ui.add(egui::Label::new(RichText::new(kind.explanation()).weak()).wrap());
        ui.add(
            egui::TextEdit::multiline(&mut r.description)
                .id_salt(("requirement", kind.label()))
                .hint_text("What it means for this project")
                .desired_rows(3)
                .desired_width(ui.available_width()),
        )
        .labelled_by(heading.id);
        let target_label = ui.label(RichText::new(format!("{} target", kind.label())).strong());
        ui.add(
            egui::TextEdit::multiline(&mut r.target)
                .id_salt(("requirement_target", kind.label()))
                .hint_text(kind.target_hint())
                .desired_rows(2)
                .desired_width(ui.available_width()),
        )
        .labelled_by(target_label.id);
    }
}
