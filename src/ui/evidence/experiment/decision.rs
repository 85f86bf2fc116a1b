//! What a stakeholder reads first: a decision badge per treatment (Ship / Don't ship /
//! Inconclusive / Sample-ratio problem) with its reasons in sentences, then the CUPED note with
//! the toggle to the unadjusted results.

use super::*;
use crate::io::report::experiment_text::{cuped_note, has_cuped};

/// A badge: the decision in white on its colour.
pub(crate) fn badge_ui(ui: &mut egui::Ui, key: &str, label: &str) -> egui::Response {
    egui::Frame::new()
        .fill(theme::decision_fill(key))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 4))
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(label)
                    .strong()
                    .size(15.0)
                    .color(egui::Color32::WHITE),
            )
        })
        .inner
}

const DECISION_TIP: &str = "The ship / don't-ship rule over the success and guardrail metrics: \
    Ship when at least one success metric is shown better and no guardrail is shown worse than its \
    margin; Don't ship when a success or guardrail metric is clearly worse; Inconclusive \
    otherwise. A sample-ratio problem overrides everything: the assignment may be broken.";

pub(super) fn decisions_ui(ui: &mut egui::Ui, result: &ExperimentResult) {
    if result.decisions.is_empty() {
        ui.label(
            egui::RichText::new(
                "Mark a metric as a success metric or a guardrail in the settings to get a ship / \
                 don't-ship decision per treatment.",
            )
            .weak(),
        );
        return;
    }
    theme::section_title(ui, "Decision");
    for d in &result.decisions {
        ui.add_space(theme::SPACE_XS);
        crate::ui::widgets::card(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH * 1.3);
            ui.horizontal(|ui| {
                badge_ui(ui, d.decision.key(), d.decision.label()).on_hover_text(DECISION_TIP);
                ui.add_space(theme::SPACE_S);
                ui.label(
                    egui::RichText::new(format!("{} vs {}", d.treatment, result.control))
                        .strong()
                        .size(15.0),
                );
            });
            ui.add_space(theme::SPACE_XS);
            let columns = crate::ui::labels::experiment_columns(result);
            for reason in &d.reasons {
                let reason = crate::ui::labels::relabel_all(reason, columns.iter().copied());
                ui.horizontal_wrapped(|ui| {
                    ui.label("•");
                    ui.add(egui::Label::new(reason).wrap());
                });
            }
        });
    }
}

/// The CUPED notes (one per adjusted metric) and the toggle to the unadjusted results.
pub(super) fn cuped_ui(
    ui: &mut egui::Ui,
    spec: &mut crate::model::ExperimentSpec,
    result: &ExperimentResult,
) {
    if !has_cuped(result) {
        return;
    }
    ui.add_space(theme::SPACE_S);
    let adjusted = !spec.show_unadjusted;
    for metric in &result.metrics {
        if let Some(note) = cuped_note(metric) {
            let note = crate::ui::labels::relabel_all(
                &note,
                std::iter::once(metric.metric.as_str()).chain(metric.covariate.as_deref()),
            );
            ui.horizontal(|ui| {
                ui.set_max_width(ui.available_width().min(theme::READABLE_WIDTH * 1.3));
                ui.add(egui::Label::new(note).wrap());
            });
        }
    }
    let mut unadjusted = spec.show_unadjusted;
    if ui
        .checkbox(
            &mut unadjusted,
            "Show the results without the pre-experiment adjustment",
        )
        .on_hover_text(
            "The adjusted results (CUPED) subtract what each unit's pre-experiment value \
             predicts, which removes noise but not the effect. Tick to see the plain comparison \
             instead: the estimates are close, the intervals wider.",
        )
        .changed()
    {
        spec.show_unadjusted = unadjusted;
    }
    ui.label(
        egui::RichText::new(if adjusted {
            "Shown below: adjusted for the pre-experiment values (CUPED)."
        } else {
            "Shown below: without the pre-experiment adjustment."
        })
        .weak(),
    );
}

/// A decision badge of the summary document (Summary page): the badge, the comparison and the
/// reasons.
pub(crate) fn decision_block_ui(ui: &mut egui::Ui, d: &crate::io::report::DecisionBadge) {
    ui.add_space(theme::SPACE_XS);
    ui.horizontal(|ui| {
        badge_ui(ui, d.key, &d.label).on_hover_text(DECISION_TIP);
        ui.add_space(theme::SPACE_S);
        ui.label(egui::RichText::new(&d.title).strong());
    });
    for reason in &d.reasons {
        ui.horizontal_top(|ui| {
            ui.label("•");
            ui.add(egui::Label::new(reason.as_str()).wrap());
        });
    }
}
