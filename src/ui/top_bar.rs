//! The menu bar: File, Edit, View, with the presentation switch on the right.

use crate::app::{Command, ThroughlineApp, ZoomStep};
use crate::io::report::ReportFormat;
use crate::model::Page;

pub fn top_bar_ui(ui: &mut egui::Ui, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            file_menu_ui(ui, app, commands);
            edit_menu_ui(ui, app, commands);
            view_menu_ui(ui, app, commands);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let presenting = app.settings.presentation;
                let label = if presenting {
                    "Leave presentation"
                } else {
                    "Present"
                };
                let tip = format!(
                    "{} ({})",
                    Command::TogglePresentation.tooltip(),
                    shortcut_text(ui, &Command::TogglePresentation)
                );
                if ui
                    .selectable_label(presenting, label)
                    .on_hover_text(tip)
                    .clicked()
                {
                    commands.push(Command::TogglePresentation);
                }
            });
        });
    });
}

fn shortcut_text(ui: &egui::Ui, command: &Command) -> String {
    command
        .shortcut()
        .map(|s| ui.ctx().format_shortcut(&s))
        .unwrap_or_default()
}

/// A menu entry for `command`, showing its shortcut.
fn menu_item(ui: &mut egui::Ui, command: Command, enabled: bool, commands: &mut Vec<Command>) {
    let shortcut = shortcut_text(ui, &command);
    let button = egui::Button::new(command.label()).shortcut_text(shortcut);
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(command.tooltip())
        .clicked()
    {
        commands.push(command);
    }
}

fn file_menu_ui(ui: &mut egui::Ui, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    let has_project = app.ws.doc.is_some();
    ui.menu_button("File", |ui| {
        menu_item(ui, Command::NewProject, true, commands);
        menu_item(ui, Command::OpenProjectDialog, true, commands);
        ui.menu_button("Open recent", |ui| {
            if app.settings.recent_files.is_empty() {
                ui.label(egui::RichText::new("No recent projects").weak());
            }
            for path in &app.settings.recent_files {
                if ui.button(path.display().to_string()).clicked() {
                    commands.push(Command::OpenProject(path.clone()));
                }
            }
            if !app.settings.recent_files.is_empty() {
                ui.separator();
                menu_item(ui, Command::ClearRecentFiles, true, commands);
            }
        });
        ui.menu_button("New from example", |ui| {
            if app.examples.is_empty() {
                ui.label(egui::RichText::new("No example projects found").weak());
            }
            for example in &app.examples {
                if ui
                    .button(&example.name)
                    .on_hover_text(&example.description)
                    .clicked()
                {
                    commands.push(Command::NewFromExample(example.path.clone()));
                }
            }
        });
        ui.separator();
        menu_item(ui, Command::Save, has_project, commands);
        menu_item(ui, Command::SaveAsDialog, has_project, commands);
        ui.separator();
        for format in [ReportFormat::Html, ReportFormat::Markdown] {
            menu_item(
                ui,
                Command::ExportReportDialog(format),
                has_project,
                commands,
            );
        }
        ui.separator();
        menu_item(ui, Command::AddDataFilesDialog, has_project, commands);
        ui.separator();
        menu_item(ui, Command::CloseProject, has_project, commands);
        menu_item(ui, Command::Quit, true, commands);
    });
}

fn edit_menu_ui(ui: &mut egui::Ui, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    let (can_undo, can_redo) = app
        .ws
        .doc
        .as_ref()
        .map_or((false, false), |d| (d.can_undo(), d.can_redo()));
    ui.menu_button("Edit", |ui| {
        menu_item(ui, Command::Undo, can_undo, commands);
        menu_item(ui, Command::Redo, can_redo, commands);
    });
}

fn view_menu_ui(ui: &mut egui::Ui, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    ui.menu_button("View", |ui| {
        let mut dark = app.settings.dark_mode;
        if ui
            .checkbox(&mut dark, Command::ToggleDarkMode.label())
            .on_hover_text(Command::ToggleDarkMode.tooltip())
            .changed()
        {
            commands.push(Command::ToggleDarkMode);
        }
        let mut presenting = app.settings.presentation;
        if ui
            .checkbox(&mut presenting, Command::TogglePresentation.label())
            .on_hover_text(Command::TogglePresentation.tooltip())
            .changed()
        {
            commands.push(Command::TogglePresentation);
        }
        if app.ws.doc.is_some() {
            ui.separator();
            for page in Page::ALL {
                menu_item(ui, Command::ShowPage(page), true, commands);
            }
        }
        zoom_menu_items(ui, commands);
    });
}

/// Zoom in, out and back to the normal size (also Ctrl+= / Ctrl+- / Ctrl+0).
fn zoom_menu_items(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    ui.separator();
    for step in [ZoomStep::In, ZoomStep::Out, ZoomStep::Reset] {
        menu_item(ui, Command::Zoom(step), true, commands);
    }
}
