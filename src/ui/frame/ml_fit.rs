//! Step 3: is ML the right tool? Seven honest questions, a note for each, and a conclusion.

use egui::RichText;

use crate::model::{Answer, MlFit, MlFitCriterion};
use crate::ui::theme;

use super::widgets::{accent_card, text_area};

pub fn ml_fit_ui(ui: &mut egui::Ui, fit: &mut MlFit) {
    for (i, criterion) in MlFitCriterion::ALL.into_iter().enumerate() {
        if i > 0 {
            ui.separator();
        }
        ui.add_space(theme::SPACE_HAIR);
        ui.label(RichText::new(criterion.question()).strong().size(15.5));
        ui.add(egui::Label::new(RichText::new(criterion.explanation()).weak()).wrap());
        // Edit copies, and write back only on a change: drawing never alters the project.
        let mut answer = fit.answer(criterion);
        let mut note = fit
            .answers
            .iter()
            .find(|a| a.criterion == criterion)
            .map(|a| a.note.clone())
            .unwrap_or_default();
        let mut changed = false;
        ui.horizontal(|ui| {
            for option in Answer::ALL {
                if ui
                    .selectable_label(answer == option, option.label())
                    .clicked()
                {
                    answer = option;
                    changed = true;
                }
            }
            ui.add_space(theme::SPACE_M);
            let field = ui.add(
                egui::TextEdit::singleline(&mut note)
                    .id_salt(("ml_fit_note", i))
                    .hint_text("Why? (optional)")
                    .desired_width(ui.available_width().min(420.0)),
            );
            crate::ui::access::name_control(
                ui,
                &field,
                &format!("Why? ({})", criterion.question()),
            );
            changed |= field.changed();
        });
        if changed {
            let entry = fit.entry_mut(criterion);
            entry.answer = answer;
            entry.note = note;
        }
        ui.add_space(theme::SPACE_HAIR);
    }
    ui.add_space(theme::SPACE_S);
    let answered = fit.answered_questions();
    let total = MlFitCriterion::ALL.len();
    ui.label(
        RichText::new(if answered == total {
            format!("All {total} questions answered.")
        } else {
            format!(
                "{answered} of {total} questions answered: the step counts as done once each \
                 has yes, partly or no (or \"Unsure\" with a note saying why)."
            )
        })
        .weak(),
    );
    ui.add_space(theme::SPACE_XL);
    accent_card(ui, |ui| {
        ui.label(RichText::new("Reading the answers together").strong());
        ui.add(egui::Label::new(fit.reading()).wrap());
    });
    text_area(
        ui,
        "Conclusion",
        &mut fit.conclusion,
        "Go, go with conditions, or stop, and why.",
        2,
    );
}
