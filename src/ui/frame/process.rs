//! Step 8: where the project stands in the iterative loop, the organisation's ML maturity, and
//! the return to expect.

use egui::RichText;

use crate::model::{Maturity, Process, ProcessStage};

use super::widgets::{accent_card, explain, subheading, text_area};

pub fn process_ui(ui: &mut egui::Ui, process: &mut Process) {
    subheading(ui, "Where the project stands in the loop");
    loop_ui(ui, process);
    // The stage's explanation keeps its room (two lines) before a stage is chosen, so the
    // maturity choices below do not move when it appears.
    crate::ui::widgets::reserved_explain(ui, process.stage.map(|s| s.explanation()), 2);

    subheading(ui, "The organisation's ML maturity");
    for maturity in Maturity::ALL {
        if ui
            .radio(process.maturity == Some(maturity), maturity.label())
            .clicked()
        {
            process.maturity = Some(maturity);
        }
    }

    subheading(ui, "What return to expect, and when");
    if let Some(maturity) = process.maturity {
        let suggestion = maturity.roi_suggestion();
        accent_card(ui, |ui| {
            ui.label(RichText::new("At this maturity").strong());
            ui.add(egui::Label::new(suggestion).wrap());
            // Greyed out, not taken away, once the field holds the text: the field below
            // stays where it was.
            let copied = process.roi_expectation.trim() == suggestion;
            if ui
                .add_enabled(!copied, egui::Button::new("Use this text"))
                .on_hover_text("Copy it into the field below, to adapt.")
                .on_disabled_hover_text("The field below holds this text.")
                .clicked()
            {
                process.roi_expectation = suggestion.to_string();
            }
        });
    } else {
        explain(
            ui,
            "Choose the maturity above to see what return is realistic.",
        );
    }
    text_area(
        ui,
        "ROI expectation",
        &mut process.roi_expectation,
        "When the first effect should show, and when the project should pay back.",
        3,
    );
}

/// The six stages as a loop: scoping, data, model, deployment, monitoring, business analysis,
/// and round again. Clicking a stage chooses it.
fn loop_ui(ui: &mut egui::Ui, process: &mut Process) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 6.0;
        for (i, stage) in ProcessStage::ALL.into_iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("›").weak());
            }
            let selected = process.stage == Some(stage);
            let mut text = RichText::new(stage.short_label());
            if selected {
                text = text.strong();
            }
            let button = egui::Button::selectable(selected, text)
                .corner_radius(14.0)
                .min_size(egui::vec2(0.0, 30.0));
            if ui
                .add(button)
                .on_hover_text(format!("{}: {}", stage.label(), stage.explanation()))
                .clicked()
            {
                process.stage = Some(stage);
            }
        }
        ui.label(RichText::new("› and round again").weak());
    });
}
