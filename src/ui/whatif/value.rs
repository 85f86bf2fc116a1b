//! The honest-value parts of a scenario's outputs: the realism check against past measured
//! effects, and the same scenario at every maturity stage with the project's maturity table.

use egui::RichText;

use crate::app::Command;
use crate::format;
use crate::model::{Maturity, MaturityTable, ScenarioOutputs, maturity_short_label};

use super::{maturity_plot, widgets};

/// The assumed business change against the project's past measured ones, and extrapolation.
pub fn realism_ui(ui: &mut egui::Ui, o: &ScenarioOutputs) {
    let r = &o.realism;
    widgets::card(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(&r.sentence).size(15.0)).wrap());
        if !r.sources.is_empty() {
            widgets::explain(
                ui,
                &format!(
                    "Past changes from: {}. A change counts when it went the same way and was at \
                     least as large.",
                    r.sources.join("; ")
                ),
            );
        }
        if let Some(w) = &r.extrapolation {
            widgets::warning(ui, w);
        }
    });
}

/// ROI, NPV and payback at every maturity stage, and the table behind them.
pub fn by_maturity_ui(
    ui: &mut egui::Ui,
    o: &ScenarioOutputs,
    table: &mut MaturityTable,
    commands: &mut Vec<Command>,
) {
    widgets::explain(
        ui,
        "The same model at every ML maturity stage: less mature organisations take longer to \
         deploy and ramp up and need more engineering months and cloud spend, so a first ML \
         project returns less than the same model at a mature company. The orange bar is this \
         scenario's stage.",
    );
    maturity_plot::by_maturity_chart_ui(ui, o, commands);
    by_maturity_grid_ui(ui, o);
    egui::CollapsingHeader::new("Maturity table (this project)")
        .id_salt("whatif_maturity_table")
        .show(ui, |ui| maturity_table_ui(ui, table));
}

fn by_maturity_grid_ui(ui: &mut egui::Ui, o: &ScenarioOutputs) {
    let money = |x: f64| format::money(x, &o.currency);
    let month = |m: Option<u32>| match m {
        Some(m) => format!("month {m}"),
        None => "not within horizon".to_string(),
    };
    egui::Grid::new("whatif_by_maturity_grid")
        .num_columns(5)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Stage",
                "ROI",
                &format!("NPV at {}", format::percent(o.discount_rate)),
                "Payback",
                "Discounted payback",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for r in &o.by_maturity {
                let stage = RichText::new(&r.stage);
                ui.label(if r.current { stage.strong() } else { stage });
                ui.label(
                    r.roi
                        .map(format::percent)
                        .unwrap_or_else(|| format::UNDEFINED.to_string()),
                );
                ui.label(
                    r.npv
                        .map(money)
                        .unwrap_or_else(|| format::UNDEFINED.to_string()),
                );
                ui.label(month(r.payback_month));
                ui.label(month(r.discounted_payback_month));
                ui.end_row();
            }
        });
}

/// The editable maturity table of the project.
fn maturity_table_ui(ui: &mut egui::Ui, table: &mut MaturityTable) {
    widgets::explain(
        ui,
        "Each stage's deployment and ramp-up months, and its engineering months and cloud cost \
         relative to an established team (1.0). A scenario's own costs stay as entered; the \
         other stages scale them by the ratio of the multipliers. The defaults and their \
         reasoning are in docs/MATURITY.md: typical figures, not measurements.",
    );
    egui::Grid::new("whatif_maturity_table_grid")
        .num_columns(5)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for h in [
                "Stage",
                "Deploy (months)",
                "Ramp-up (months)",
                "Engineering ×",
                "Cloud ×",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for m in Maturity::ALL {
                let stage = maturity_short_label(m);
                ui.label(stage).on_hover_text(m.label());
                let row = table.stage_mut(m);
                let cells: [(&mut f64, &str, std::ops::RangeInclusive<f64>, f64); 4] = [
                    (
                        &mut row.deployment_months,
                        "Deployment months",
                        0.0..=120.0,
                        0.1,
                    ),
                    (&mut row.ramp_up_months, "Ramp-up months", 0.0..=120.0, 0.1),
                    (
                        &mut row.engineering_multiplier,
                        "Engineering multiplier",
                        0.05..=20.0,
                        0.01,
                    ),
                    (
                        &mut row.cloud_multiplier,
                        "Cloud multiplier",
                        0.05..=20.0,
                        0.01,
                    ),
                ];
                for (value, what, range, speed) in cells {
                    let name = format!("{what}, {stage}");
                    let response = ui
                        .add(egui::DragValue::new(value).range(range).speed(speed))
                        .on_hover_text(&name);
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::accesskit::Role::SpinButton, true, &name)
                    });
                }
                ui.end_row();
            }
        });
    let changed: Vec<&str> = table
        .overridden()
        .into_iter()
        .map(maturity_short_label)
        .collect();
    ui.horizontal_wrapped(|ui| {
        if changed.is_empty() {
            ui.label(RichText::new("The documented defaults.").weak());
        } else {
            ui.label(
                RichText::new(format!(
                    "Changed from the defaults: {}.",
                    changed.join(", ")
                ))
                .weak(),
            );
            if ui
                .small_button("Reset to the defaults")
                .on_hover_text(
                    "Use the documented default of every stage (Undo brings yours back).",
                )
                .clicked()
            {
                *table = MaturityTable::default();
            }
        }
    });
}
