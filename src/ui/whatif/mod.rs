//! The What-if page: scenarios that project what an ML change is worth (inputs beside outputs),
//! all scenarios compared side by side, and the business value of a classifier's threshold.

mod compare;
mod editor;
mod maturity_plot;
mod outputs;
pub(crate) mod plots;
mod threshold;
mod value;
use crate::ui::widgets;

use egui::RichText;

use crate::app::Command;
use crate::model::{Page, Project, Scenario, scenario_display_name, scenario_outputs};
use crate::ui::{PageContext, theme};

/// The parts of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Scenarios,
    Compare,
    Threshold,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Scenarios, Tab::Compare, Tab::Threshold];

    fn label(self) -> &'static str {
        match self {
            Tab::Scenarios => "Scenarios",
            Tab::Compare => "Compare scenarios",
            Tab::Threshold => "Classifier threshold",
        }
    }

    fn tooltip(self) -> &'static str {
        match self {
            Tab::Scenarios => "What one ML change is worth: value, ROI and payback, with the band.",
            Tab::Compare => "All scenarios side by side.",
            Tab::Threshold => {
                "The business value of a classifier's decision threshold under a value matrix."
            }
        }
    }
}

/// Something the user asked for while the page was drawn, applied once at its end.
enum Action {
    Select(String),
    New,
    Duplicate(usize),
    Delete(usize),
    /// Pin a note to this scenario.
    AddNote(usize),
    ShowTab(Tab),
}

fn tab_id() -> egui::Id {
    egui::Id::unique("whatif_tab")
}

/// The What-if page.
pub fn whatif_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "What-if", Page::WhatIf.explanation());
    let mut tab: Tab = ui.data(|d| d.get_temp(tab_id())).unwrap_or_default();
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        for t in Tab::ALL {
            let text = RichText::new(t.label()).size(15.5);
            if ui
                .add(egui::Button::selectable(tab == t, text))
                .on_hover_text(t.tooltip())
                .clicked()
            {
                actions.push(Action::ShowTab(t));
            }
        }
    });
    ui.separator();
    match tab {
        Tab::Scenarios => scenarios_ui(ui, cx, &mut actions),
        Tab::Compare => {
            if let Some(id) = compare::compare_ui(ui, cx.project, cx.commands) {
                actions.push(Action::Select(id));
                actions.push(Action::ShowTab(Tab::Scenarios));
            }
        }
        Tab::Threshold => threshold::threshold_ui(ui, cx),
    }
    for action in actions {
        apply(cx, action, &mut tab);
    }
    ui.data_mut(|d| d.insert_temp(tab_id(), tab));
}

fn apply(cx: &mut PageContext<'_>, action: Action, tab: &mut Tab) {
    let project = &mut *cx.project;
    let id_at = |i: usize| project.scenarios.get(i).map(|s| s.id.clone());
    let command = match action {
        Action::ShowTab(t) => {
            *tab = t;
            return;
        }
        Action::Select(id) => {
            project.view.selected_scenario = Some(id);
            return;
        }
        Action::New => Command::NewScenario,
        Action::Duplicate(i) => match id_at(i) {
            Some(id) => Command::DuplicateScenario(id),
            None => return,
        },
        Action::Delete(i) => match id_at(i) {
            Some(id) => Command::DeleteScenario(id),
            None => return,
        },
        Action::AddNote(i) => match id_at(i) {
            Some(id) => Command::AddNote(crate::model::NoteOn::Scenario(id)),
            None => return,
        },
    };
    cx.commands.push(command);
}

/// The index of the selected scenario (the first when none is selected).
fn selected_index(project: &Project) -> Option<usize> {
    if project.scenarios.is_empty() {
        return None;
    }
    let selected = project.view.selected_scenario.as_deref();
    Some(
        project
            .scenarios
            .iter()
            .position(|s| Some(s.id.as_str()) == selected)
            .unwrap_or(0),
    )
}

/// A small coloured square: the scenario's colour in the comparison chart.
fn swatch(ui: &mut egui::Ui, color: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

fn scenario_bar_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selected: Option<usize>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        for (i, s) in project.scenarios.iter().enumerate() {
            swatch(ui, theme::series_color(i));
            let is_selected = Some(i) == selected;
            if ui
                .add(egui::Button::selectable(
                    is_selected,
                    scenario_display_name(s),
                ))
                .on_hover_text("Show this scenario.")
                .clicked()
                && !is_selected
            {
                actions.push(Action::Select(s.id.clone()));
            }
        }
        if !project.scenarios.is_empty() {
            ui.separator();
        }
        if let Some(i) = selected {
            if ui
                .button("New scenario")
                .on_hover_text("Add a scenario, filled in from the project's link and objectives.")
                .clicked()
            {
                actions.push(Action::New);
            }
            if ui
                .button("Duplicate")
                .on_hover_text("Copy this scenario to try other assumptions.")
                .clicked()
            {
                actions.push(Action::Duplicate(i));
            }
            if ui
                .button("Delete")
                .on_hover_text("Delete this scenario (Undo brings it back).")
                .clicked()
            {
                actions.push(Action::Delete(i));
            }
            if super::notes::add_note_button(ui) {
                actions.push(Action::AddNote(i));
            }
        }
    });
}

fn empty_state_ui(ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    ui.scope(|ui| {
        ui.set_max_width(theme::READABLE_WIDTH);
        widgets::card(ui, |ui| {
            ui.label(RichText::new("No scenarios yet").strong().size(16.5));
            widgets::explain(
                ui,
                "A scenario asks what one ML change is worth: \"+0.02 AUC, through the link we \
             measured, for 200,000 subscribers a month: what does it earn, what does it cost, \
             and when does it pay back?\" It carries the link's uncertainty through to a low, \
             likely and high answer.",
            );
            ui.add_space(theme::SPACE_S);
            if ui
                .button("New scenario")
                .on_hover_text("Add a scenario, filled in from the project's link and objectives.")
                .clicked()
            {
                actions.push(Action::New);
            }
        });
    });
}

/// Inputs beside outputs when the window is wide enough, else one below the other.
const TWO_COLUMN_MIN_WIDTH: f32 = 940.0;
const INPUT_COLUMN_WIDTH: f32 = 380.0;

fn scenarios_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>, actions: &mut Vec<Action>) {
    let selected = selected_index(cx.project);
    let Some(index) = selected else {
        empty_state_ui(ui, actions);
        return;
    };
    scenario_bar_ui(ui, cx.project, selected, actions);
    if let Some(s) = cx.project.scenarios.get(index) {
        let on = crate::model::NoteOn::Scenario(s.id.clone());
        super::notes::pinned_notes_ui(ui, cx, &on);
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let context = editor::EditorContext::new(cx.project);
    let commands = &mut *cx.commands;
    let project_snapshot: &Project = cx.project;
    let result = project_snapshot
        .scenarios
        .get(index)
        .map(|s| scenario_outputs(project_snapshot, s));
    let Some(result) = result else { return };
    // The outputs read the project (objectives) while the form edits the scenario: edit a copy
    // and write it back when it changed.
    let Some(mut scenario) = cx.project.scenarios.get(index).cloned() else {
        return;
    };
    let original: Scenario = scenario.clone();
    let mut table = cx.project.maturity_table.clone();
    let wide = ui.available_width() >= TWO_COLUMN_MIN_WIDTH;
    if wide {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(INPUT_COLUMN_WIDTH);
                editor::scenario_editor_ui(ui, &mut scenario, &context);
            });
            ui.add_space(theme::SPACE_M);
            ui.separator();
            ui.add_space(theme::SPACE_M);
            ui.vertical(|ui| {
                outputs::outputs_ui(
                    ui,
                    project_snapshot,
                    &mut scenario,
                    &result,
                    true,
                    &mut table,
                    commands,
                );
            });
        });
    } else {
        // Narrow (presentation mode, small window): the answer first, then the inputs.
        outputs::headline_or_error_ui(ui, &result, &crate::model::missing_inputs(&scenario));
        editor::scenario_editor_ui(ui, &mut scenario, &context);
        ui.add_space(theme::SECTION_GAP);
        outputs::outputs_ui(
            ui,
            project_snapshot,
            &mut scenario,
            &result,
            false,
            &mut table,
            commands,
        );
    }
    if table != cx.project.maturity_table {
        cx.project.maturity_table = table;
    }
    if scenario != original
        && let Some(slot) = cx.project.scenarios.get_mut(index)
    {
        *slot = scenario;
    }
}
