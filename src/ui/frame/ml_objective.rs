//! Step 5: the ML objective (loss and offline metrics) and the hypothesised link from an ML
//! metric to a business metric.

use egui::RichText;

use crate::model::{Framing, HypothesisedLink};
use crate::ui::theme;

use super::widgets::{card, explain, subheading, text_field, text_field_sized};

pub fn ml_objective_ui(ui: &mut egui::Ui, framing: &mut Framing) {
    let task_type = framing.task.task_type;
    let o = &mut framing.ml_objective;
    text_field(
        ui,
        "Loss",
        &mut o.loss,
        "What the model is trained to make small, e.g. log loss",
    );
    let current_loss = o.loss.trim().to_lowercase();
    suggestions_ui(
        ui,
        &format!("Common for {}:", task_type.label().to_lowercase()),
        task_type.suggested_losses(),
        |s| current_loss == s.to_lowercase(),
        |s| o.loss = s.to_string(),
    );

    subheading(ui, "Offline metrics");
    explain(
        ui,
        "How models are compared before they reach anyone: on held-out data, without users.",
    );
    // The common ones above the list: picking one adds a row below without moving them.
    let metrics = &mut o.offline_metrics;
    let present: Vec<String> = metrics.iter().map(|m| m.trim().to_lowercase()).collect();
    suggestions_ui(
        ui,
        "Add a common one:",
        task_type.suggested_metrics(),
        |s| present.contains(&s.to_lowercase()),
        |s| metrics.push(s.to_string()),
    );
    let mut remove = None;
    for (i, metric) in o.offline_metrics.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let width = (ui.available_width() - 90.0).clamp(120.0, 420.0);
            let field = ui.add(
                egui::TextEdit::singleline(metric)
                    .id_salt(("offline_metric", i))
                    .hint_text("e.g. AUC")
                    .desired_width(width),
            );
            crate::ui::access::name_control(ui, &field, &format!("Offline metric {}", i + 1));
            if ui.small_button("Remove").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        o.offline_metrics.remove(i);
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button("Add a metric").clicked() {
            o.offline_metrics.push(String::new());
        }
    });

    subheading(ui, "Hypothesised link");
    explain(
        ui,
        "The line this project tests: if this ML metric improves, that business metric should \
         move, by about this much. The Evidence page later checks it against data.",
    );
    ui.add_space(theme::SPACE_S);
    let business: Vec<String> = framing
        .objectives
        .iter()
        .map(|b| b.metric.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let ml: Vec<String> = framing
        .ml_objective
        .offline_metrics
        .iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let links = &mut framing.ml_objective.links;
    let mut remove = None;
    for (i, link) in links.iter_mut().enumerate() {
        card(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Link {}", i + 1)).weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("Remove").clicked() {
                        remove = Some(i);
                    }
                });
            });
            link_ui(ui, link, &ml, &business);
        });
        ui.add_space(theme::SPACE_M);
    }
    if let Some(i) = remove {
        links.remove(i);
    }
    let label = if links.is_empty() {
        "Add a link"
    } else {
        "Add another link"
    };
    if ui.button(label).clicked() {
        links.push(HypothesisedLink {
            ml_metric: ml.first().cloned().unwrap_or_default(),
            business_metric: business.first().cloned().unwrap_or_default(),
            expected_effect: String::new(),
        });
    }
}

fn link_ui(ui: &mut egui::Ui, link: &mut HypothesisedLink, ml: &[String], business: &[String]) {
    let gap = ui.spacing().item_spacing.x * 2.0;
    let column = ((ui.available_width() - gap) / 2.0).max(140.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(column);
            text_field_sized(
                ui,
                "If this ML metric improves",
                &mut link.ml_metric,
                "e.g. AUC",
                column - 40.0,
            );
            pick_menu(ui, ml, &mut link.ml_metric);
        });
        ui.vertical(|ui| {
            ui.set_width(column);
            text_field_sized(
                ui,
                "this business metric should move",
                &mut link.business_metric,
                "e.g. Monthly churn",
                column - 40.0,
            );
            pick_menu(ui, business, &mut link.business_metric);
        });
    });
    text_field(
        ui,
        "By about how much",
        &mut link.expected_effect,
        "e.g. +0.02 AUC should lower churn by about 0.1 pp",
    );
}

/// A small menu to fill a field from names already given elsewhere in the framing.
fn pick_menu(ui: &mut egui::Ui, names: &[String], value: &mut String) {
    if names.is_empty() {
        return;
    }
    ui.menu_button(RichText::new("Pick from the framing").weak(), |ui| {
        for name in names {
            if ui.selectable_label(value.trim() == name, name).clicked() {
                *value = name.clone();
                ui.close();
            }
        }
    });
}

/// Clickable suggestions. Those already present stay in place, greyed out, so the others do
/// not slide under the pointer when one is picked.
fn suggestions_ui(
    ui: &mut egui::Ui,
    intro: &str,
    options: &[&str],
    present: impl Fn(&str) -> bool,
    mut pick: impl FnMut(&str),
) {
    if options.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(intro).weak());
        for &option in options {
            let added = present(option);
            if ui
                .add_enabled(!added, egui::Button::new(option).small())
                .on_disabled_hover_text("Already in the project.")
                .clicked()
            {
                pick(option);
            }
        }
    });
}
