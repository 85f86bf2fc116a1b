//! The welcome screen: new project, open project, examples, recent files.

use crate::app::{Command, ExampleProject, Settings};

use super::{command_button, theme};

pub fn welcome_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    examples: &[ExampleProject],
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink(false)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.set_max_width(theme::READABLE_WIDTH);
                ui.add_space(theme::SPACE_PAGE_TOP);
                ui.label(egui::RichText::new("Throughline").size(40.0).strong());
                ui.add_space(theme::SPACE_XS);
                ui.label(
                    egui::RichText::new(
                        "Trace the line from a business objective to an ML objective, and back \
                     again with evidence.",
                    )
                    .size(17.0),
                );
                ui.add_space(theme::SPACE_XXL);
                ui.horizontal(|ui| {
                    // Centre the two buttons.
                    let width = 300.0;
                    ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
                    command_button(ui, Command::NewProject, commands);
                    command_button(ui, Command::OpenProjectDialog, commands);
                });
            });
            ui.add_space(theme::SECTION_GAP);
            ui.vertical_centered(|ui| {
                ui.set_max_width(theme::READABLE_WIDTH);
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    examples_ui(ui, examples, commands);
                    recent_ui(ui, settings, commands);
                });
            });
        });
}

fn examples_ui(ui: &mut egui::Ui, examples: &[ExampleProject], commands: &mut Vec<Command>) {
    theme::section_title(ui, "Start from an example");
    if examples.is_empty() {
        ui.label(
            egui::RichText::new(
                "No example projects were found (they live in the projects folder beside \
                 Throughline).",
            )
            .weak(),
        );
        return;
    }
    for example in examples {
        egui::Frame::group(ui.style())
            .inner_margin(10.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        ui.set_max_width(ui.available_width() - 150.0);
                        ui.label(egui::RichText::new(&example.name).strong());
                        if !example.description.is_empty() {
                            ui.label(egui::RichText::new(&example.description).weak());
                        }
                    });
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .button("Use this example")
                            .on_hover_text(Command::NewFromExample(example.path.clone()).tooltip())
                            .clicked()
                        {
                            commands.push(Command::NewFromExample(example.path.clone()));
                        }
                    });
                });
            });
    }
}

fn recent_ui(ui: &mut egui::Ui, settings: &Settings, commands: &mut Vec<Command>) {
    theme::section_title(ui, "Recent projects");
    if settings.recent_files.is_empty() {
        ui.label(egui::RichText::new("Projects you open or save will appear here.").weak());
        return;
    }
    for path in &settings.recent_files {
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let exists = path.exists();
        ui.horizontal(|ui| {
            let link = ui.add_enabled(exists, egui::Link::new(name));
            let tip = if exists {
                path.display().to_string()
            } else {
                format!("{} (the file is no longer there)", path.display())
            };
            if link.on_hover_text(tip).clicked() {
                commands.push(Command::OpenProject(path.clone()));
            }
            ui.label(
                egui::RichText::new(
                    path.parent()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                )
                .weak()
                .small(),
            );
        });
    }
}
