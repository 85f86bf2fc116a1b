//! Modal questions: save changes first, type a path, recover unsaved work, and errors.

use crate::app::{Command, ThroughlineApp};
use crate::ui::theme;

/// The answer to "save changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveAnswer {
    Save,
    DontSave,
    Cancel,
}

/// Draw whichever modal is due; returns the answer to the unsaved-changes question, if given.
pub fn modals_ui(
    ctx: &egui::Context,
    app: &mut ThroughlineApp,
    commands: &mut Vec<Command>,
) -> Option<SaveAnswer> {
    if !app.ws.messages.errors.is_empty() {
        error_ui(ctx, app, commands);
        return None;
    }
    if app.recovery_offer.is_some() {
        recovery_ui(ctx, app, commands);
        return None;
    }
    if app.is_asking_to_save() {
        return unsaved_ui(ctx, app);
    }
    if app.ws.messages.project_offer.is_some() {
        project_offer_ui(ctx, app, commands);
        return None;
    }
    if app.dialogs.prompt.is_some() {
        path_prompt_ui(ctx, app, commands);
    }
    None
}

fn error_ui(ctx: &egui::Context, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    let Some(message) = app.ws.messages.errors.first().cloned() else {
        return;
    };
    let mut close = false;
    let response = egui::Modal::new(egui::Id::unique("error_modal")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Something went wrong");
        ui.add_space(theme::SPACE_S);
        ui.label(&message);
        ui.add_space(theme::SPACE_L);
        ui.horizontal(|ui| {
            if ui.button("OK").clicked() {
                close = true;
            }
            if ui.button("Copy message").clicked() {
                ui.ctx().copy_text(message.clone());
            }
        });
    });
    if close || response.should_close() {
        commands.push(Command::DismissError);
    }
}

fn recovery_ui(ctx: &egui::Context, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    let Some(copy) = &app.recovery_offer else {
        return;
    };
    egui::Modal::new(egui::Id::unique("recovery_modal")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Recover unsaved work?");
        ui.add_space(theme::SPACE_S);
        ui.label(format!(
            "Throughline did not close normally last time. A recovery copy of \"{}\" holds \
             changes that were not saved.",
            copy.project.display_name()
        ));
        ui.add_space(theme::SPACE_S);
        let place = match &copy.original_path {
            Some(path) => format!("Saved before as \"{}\".", path.display()),
            None => "Never saved to a file.".to_string(),
        };
        ui.label(place);
        ui.label(format!(
            "The copy was written {}.",
            crate::io::written_when(copy.written_unix_secs)
        ));
        ui.add_space(theme::SPACE_L);
        ui.horizontal(|ui| {
            if ui
                .button(Command::RecoverAccept.label())
                .on_hover_text(Command::RecoverAccept.tooltip())
                .clicked()
            {
                commands.push(Command::RecoverAccept);
            }
            if ui
                .button(Command::RecoverDiscard.label())
                .on_hover_text(Command::RecoverDiscard.tooltip())
                .clicked()
            {
                commands.push(Command::RecoverDiscard);
            }
        });
    });
}

/// A `.ron` added on the Data page: it is a project file, not data; open it?
fn project_offer_ui(ctx: &egui::Context, app: &mut ThroughlineApp, commands: &mut Vec<Command>) {
    let Some(path) = app.ws.messages.project_offer.clone() else {
        return;
    };
    let mut close = false;
    let response = egui::Modal::new(egui::Id::unique("project_offer_modal")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("This is a project file");
        ui.add_space(theme::SPACE_S);
        ui.label(format!(
            "\"{}\" is a Throughline project (a .ron file), not a data file: it holds a whole \
             framing, its data links and its scenarios. Open it as the project instead?",
            crate::app::file_label(&path)
        ));
        ui.add_space(theme::SPACE_L);
        ui.horizontal(|ui| {
            if ui.button("Open the project").clicked() {
                commands.push(Command::OpenProject(path.clone()));
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close || response.should_close() {
        app.ws.messages.project_offer = None;
    }
}

fn unsaved_ui(ctx: &egui::Context, app: &ThroughlineApp) -> Option<SaveAnswer> {
    let name = app
        .project()
        .map(|p| p.display_name().to_string())
        .unwrap_or_default();
    let mut answer = None;
    let response = egui::Modal::new(egui::Id::unique("unsaved_modal")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading("Save changes?");
        ui.add_space(theme::SPACE_S);
        ui.label(format!(
            "\"{name}\" has changes that are not saved. Save them before continuing?"
        ));
        ui.add_space(theme::SPACE_L);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                answer = Some(SaveAnswer::Save);
            }
            if ui.button("Don't save").clicked() {
                answer = Some(SaveAnswer::DontSave);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(SaveAnswer::Cancel);
            }
        });
    });
    if answer.is_none() && response.should_close() {
        answer = Some(SaveAnswer::Cancel);
    }
    answer
}

fn path_prompt_ui(ctx: &egui::Context, app: &mut ThroughlineApp, commands: &mut Vec<Command>) {
    let Some(prompt) = &mut app.dialogs.prompt else {
        return;
    };
    let mut done: Option<bool> = None;
    let response = egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading(prompt.kind.title());
        if let Some(reason) = &prompt.reason {
            ui.add_space(theme::SPACE_XS);
            ui.label(egui::RichText::new(reason).weak());
        }
        ui.add_space(theme::SPACE_M);
        let label = ui.label("Path");
        let edit = ui.add(
            egui::TextEdit::singleline(&mut prompt.text)
                .desired_width(f32::INFINITY)
                .hint_text("/home/me/projects/churn.ron"),
        );
        let edit = edit.labelled_by(label.id);
        if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            done = Some(true);
        }
        ui.add_space(theme::SPACE_L);
        ui.horizontal(|ui| {
            if ui.button("OK").clicked() {
                done = Some(true);
            }
            if ui.button("Cancel").clicked() {
                done = Some(false);
            }
        });
    });
    if done.is_none() && response.should_close() {
        done = Some(false);
    }
    match done {
        Some(true) => {
            let paths: Vec<std::path::PathBuf> = prompt
                .text
                .split('\n')
                .map(|s| s.trim().trim_matches('"'))
                .filter(|s| !s.is_empty())
                .map(std::path::PathBuf::from)
                .collect();
            if let Some(command) = prompt.kind.command(paths) {
                // Closed first: the chosen command may open the next prompt.
                commands.push(Command::ClosePathPrompt { cancelled: false });
                commands.push(command);
            }
        }
        Some(false) => commands.push(Command::ClosePathPrompt { cancelled: true }),
        None => {}
    }
}
