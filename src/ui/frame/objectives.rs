//! Step 2: business objectives with metric, unit, direction, baseline, target, horizon and the
//! condition under which the project counts as a failure.

use egui::RichText;

use crate::format;
use crate::model::{BusinessObjective, Direction, Framing};

use super::theme;
use super::widgets::{card, optional_number_field, text_field, text_field_sized};

pub fn objectives_ui(ui: &mut egui::Ui, framing: &mut Framing) {
    let mut remove = None;
    for (i, objective) in framing.objectives.iter_mut().enumerate() {
        card(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Objective {}", i + 1)).weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button("Remove")
                        .on_hover_text("Remove this objective (Ctrl+Z brings it back).")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
            });
            objective_ui(ui, objective, i);
        });
        ui.add_space(theme::SPACE_M);
    }
    if let Some(i) = remove {
        framing.objectives.remove(i);
    }
    let label = if framing.objectives.is_empty() {
        "Add a business objective"
    } else {
        "Add another objective"
    };
    if ui
        .button(label)
        .on_hover_text("A number the business already tracks, such as churn or revenue.")
        .clicked()
    {
        framing.objectives.push(BusinessObjective::default());
    }
}

fn objective_ui(ui: &mut egui::Ui, o: &mut BusinessObjective, i: usize) {
    let gap = ui.spacing().item_spacing.x * 2.0;
    let width = ui.available_width();
    ui.horizontal_top(|ui| {
        let unit_width = 110.0_f32.min(width * 0.25);
        ui.vertical(|ui| {
            ui.set_width(width - unit_width - gap);
            text_field(ui, "Metric", &mut o.metric, "e.g. Monthly churn");
        });
        ui.vertical(|ui| {
            ui.set_width(unit_width);
            text_field_sized(ui, "Unit", &mut o.unit, "e.g. %", unit_width);
        });
    });
    ui.horizontal(|ui| {
        for direction in Direction::ALL {
            if ui
                .selectable_label(o.direction == direction, direction.label())
                .clicked()
            {
                o.direction = direction;
            }
        }
    });
    let column = ((width - 2.0 * gap) / 3.0).max(100.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(column);
            optional_number_field(
                ui,
                "Baseline (today)",
                ("baseline", i),
                &mut o.baseline,
                "e.g. 4.2",
                column,
            );
        });
        ui.vertical(|ui| {
            ui.set_width(column);
            optional_number_field(
                ui,
                "Target",
                ("target", i),
                &mut o.target,
                "e.g. 3.6",
                column,
            );
        });
        ui.vertical(|ui| {
            ui.set_width(column);
            text_field_sized(ui, "Horizon", &mut o.horizon, "e.g. 6 months", column);
        });
    });
    // The line keeps its room while it is empty, so the fields below do not move when it
    // appears as the baseline and target are typed.
    let sentence = change_sentence(o).unwrap_or_default();
    ui.label(RichText::new(if sentence.is_empty() { " " } else { &sentence }).weak());
    text_field(
        ui,
        "Counts as a failure if",
        &mut o.failure_condition,
        "e.g. churn is not below 4.0% after 6 months",
    );
}

/// "From 4.2 to 3.6 %: -14%, lower is better."
fn change_sentence(o: &BusinessObjective) -> Option<String> {
    let (baseline, target) = (o.baseline?, o.target?);
    let unit = o.unit.trim();
    let change = if baseline != 0.0 {
        format!(
            " ({})",
            format::percent_change((target - baseline) / baseline.abs())
        )
    } else {
        String::new()
    };
    Some(format!(
        "From {} to {} {unit}{change}; {}.",
        format::number(baseline),
        format::number(target),
        o.direction.label().to_lowercase()
    ))
}
