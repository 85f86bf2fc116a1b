//! Step 4: the ML task. What is predicted for which entity, a decision guide that recommends a
//! task type, and alternative framings side by side with their trade-offs.

use egui::RichText;

use crate::model::{
    AlternativeFraming, LabelAvailability, MlTask, PredictionOutput, TaskType, advise,
};
use crate::ui::theme;

use super::widgets::{
    accent_card, choice_buttons, explain, optional_number_field, subheading, text_area, text_field,
    yes_no,
};

pub fn task_ui(ui: &mut egui::Ui, task: &mut MlTask) {
    text_field(
        ui,
        "What is predicted",
        &mut task.predicted,
        "e.g. will this subscriber cancel within the next 30 days?",
    );
    text_field(
        ui,
        "For which entity",
        &mut task.entity,
        "e.g. subscriber, payment, user in a context",
    );
    guide_ui(ui, task);
    task_type_ui(ui, task);
    alternatives_ui(ui, task);
}

fn question(ui: &mut egui::Ui, text: &str) {
    ui.add_space(theme::SPACE_S);
    ui.label(RichText::new(text).strong());
}

fn guide_ui(ui: &mut egui::Ui, task: &mut MlTask) {
    subheading(ui, "Decision guide");
    explain(
        ui,
        "A few questions about the prediction point to a task type. The recommendation is a \
         starting point for the discussion, not a rule.",
    );
    question(ui, "What does the prediction give back?");
    ui.horizontal_wrapped(|ui| {
        for output in PredictionOutput::ALL {
            let selected = task.guide.output == Some(output);
            if ui
                .selectable_label(selected, output.label())
                .on_hover_text(format!("For example: {}", output.example()))
                .clicked()
            {
                task.guide.output = if selected { None } else { Some(output) };
            }
        }
    });
    // The example keeps its room before a choice, so the questions below do not move.
    let example = task
        .guide
        .output
        .map(|output| format!("For example: {}.", output.example()));
    crate::ui::widgets::reserved_explain(ui, example.as_deref(), 1);
    if task.guide.output == Some(PredictionOutput::Category) {
        question(ui, "Can one item belong to several categories at once?");
        yes_no(ui, &mut task.guide.several_per_item);
        if task.guide.several_per_item != Some(true) {
            ui.add_space(theme::SPACE_HAIR);
            let mut classes = task.classes.map(f64::from);
            let response = optional_number_field(
                ui,
                "How many categories are there?",
                "classes",
                &mut classes,
                "e.g. 2",
                120.0,
            );
            if response.changed() {
                task.classes = classes
                    .filter(|c| *c >= 1.0 && *c <= f64::from(u32::MAX))
                    .map(|c| c.round() as u32);
            }
        }
        question(
            ui,
            "Does the set of categories change over time (new apps, new products)?",
        );
        yes_no(ui, &mut task.guide.classes_change);
    }
    question(
        ui,
        "Do you learn the right answer for past cases (a label)?",
    );
    choice_buttons(
        ui,
        &mut task.guide.labels,
        &LabelAvailability::ALL.map(|l| (l, l.label())),
    );
    ui.add_space(theme::SPACE_L);
    let advice = advise(task);
    accent_card(ui, |ui| {
        match advice.recommended {
            Some(recommended) => {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Recommended:").strong());
                    ui.label(RichText::new(recommended.label()).strong().size(17.0));
                });
            }
            None => {
                ui.label(RichText::new("No recommendation yet").strong());
            }
        }
        ui.add(egui::Label::new(advice.reason.as_str()).wrap());
        if advice.recommended.is_some() || !advice.framings.is_empty() {
            ui.add_space(theme::SPACE_XS);
        }
        ui.horizontal_wrapped(|ui| {
            if let Some(recommended) = advice.recommended
                && recommended != task.task_type
                && ui
                    .button(format!("Use {}", recommended.label().to_lowercase()))
                    .clicked()
            {
                task.task_type = recommended;
            }
            let missing: Vec<&AlternativeFraming> = advice
                .framings
                .iter()
                .filter(|f| {
                    !task
                        .alternatives
                        .iter()
                        .any(|a| a.description.trim() == f.description.trim())
                })
                .collect();
            // Greyed out, not taken away, once they are added: the card keeps its size.
            if ui
                .add_enabled(
                    !missing.is_empty(),
                    egui::Button::new("Compare the suggested framings"),
                )
                .on_hover_text("Add the suggested framings below, side by side, to edit.")
                .on_disabled_hover_text("The suggested framings are below.")
                .clicked()
                && !missing.is_empty()
            {
                let to_add: Vec<AlternativeFraming> = missing.into_iter().cloned().collect();
                task.alternatives.extend(to_add);
            }
        });
    });
}

fn task_type_ui(ui: &mut egui::Ui, task: &mut MlTask) {
    subheading(ui, "Task type");
    ui.horizontal(|ui| {
        let label = ui.label("Task type");
        egui::ComboBox::from_id_salt("task_type")
            .selected_text(task.task_type.label())
            .width(260.0)
            .show_ui(ui, |ui| {
                for t in TaskType::ALL {
                    ui.selectable_value(&mut task.task_type, t, t.label());
                }
            })
            .response
            .labelled_by(label.id);
        if task.task_type.is_classification()
            && let Some(n) = task.classes
        {
            ui.label(RichText::new(format!("{n} classes")).weak());
        }
    });
}

fn alternatives_ui(ui: &mut egui::Ui, task: &mut MlTask) {
    subheading(ui, "Alternative framings");
    explain(
        ui,
        "The same problem can usually be framed more than one way. Put the candidates side by \
         side with what speaks for and against each, and choose one.",
    );
    ui.add_space(theme::SPACE_S);
    let n = task.alternatives.len();
    let per_row = if ui.available_width() >= 720.0 {
        3
    } else if ui.available_width() >= 480.0 {
        2
    } else {
        1
    };
    let mut choose = None;
    let mut remove = None;
    let mut index = 0;
    for chunk in task.alternatives.chunks_mut(per_row) {
        ui.columns(per_row, |columns| {
            for (slot, framing) in chunk.iter_mut().enumerate() {
                let i = index + slot;
                if let Some(column) = columns.get_mut(slot) {
                    framing_card_ui(column, framing, i, &mut choose, &mut remove);
                }
            }
        });
        index += chunk.len();
        ui.add_space(theme::SPACE_M);
    }
    if let Some(i) = choose {
        for (j, a) in task.alternatives.iter_mut().enumerate() {
            a.chosen = j == i;
        }
        if let Some(a) = task.alternatives.get(i) {
            task.task_type = a.task_type;
        }
    }
    if let Some(i) = remove {
        task.alternatives.remove(i);
    }
    let label = if n == 0 {
        "Add a framing"
    } else {
        "Add another framing"
    };
    if ui.button(label).clicked() {
        task.alternatives.push(AlternativeFraming {
            task_type: task.task_type,
            ..AlternativeFraming::default()
        });
    }
}

fn framing_card_ui(
    ui: &mut egui::Ui,
    framing: &mut AlternativeFraming,
    i: usize,
    choose: &mut Option<usize>,
    remove: &mut Option<usize>,
) {
    let chosen = framing.chosen;
    let frame = if chosen {
        egui::Frame::group(ui.style()).stroke(egui::Stroke::new(2.0, theme::ACCENT))
    } else {
        egui::Frame::group(ui.style())
    };
    frame.inner_margin(10.0).corner_radius(8.0).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Framing {}", i + 1)).weak());
            if chosen {
                ui.label(
                    RichText::new("Chosen")
                        .strong()
                        .color(theme::good_color(ui.visuals().dark_mode)),
                );
            }
        });
        egui::ComboBox::from_id_salt(("framing_type", i))
            .selected_text(framing.task_type.label())
            .width(ui.available_width())
            .show_ui(ui, |ui| {
                for t in TaskType::ALL {
                    ui.selectable_value(&mut framing.task_type, t, t.label());
                }
            })
            .response
            .accessible_name(format!("Task type of framing {}", i + 1));
        text_area(
            ui,
            "Framing",
            &mut framing.description,
            "How the problem is framed",
            2,
        );
        text_area(
            ui,
            "Speaks for it",
            &mut framing.pros,
            "e.g. no retraining when an app is added",
            2,
        );
        text_area(
            ui,
            "Speaks against it",
            &mut framing.cons,
            "e.g. one prediction per candidate",
            2,
        );
        ui.horizontal(|ui| {
            if !chosen
                && ui
                    .button("Choose this")
                    .on_hover_text("Use this framing; its task type becomes the task type.")
                    .clicked()
            {
                *choose = Some(i);
            }
            if ui.small_button("Remove").clicked() {
                *remove = Some(i);
            }
        });
    });
}
