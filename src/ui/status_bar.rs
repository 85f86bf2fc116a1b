//! The status bar: the last message, running jobs with progress and cancel, and the file.

use crate::app::{Command, ThroughlineApp};

pub fn status_bar_ui(ui: &mut egui::Ui, app: &ThroughlineApp, commands: &mut Vec<Command>) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(doc) = &app.ws.doc {
                let (text, tip) = if doc.is_dirty() {
                    ("Unsaved changes", "Save with Ctrl+S.")
                } else if doc.path.is_none() {
                    ("Not saved yet", "Save with Ctrl+S to keep this project.")
                } else {
                    ("Saved", "Everything is saved.")
                };
                ui.label(egui::RichText::new(text).strong())
                    .on_hover_text(tip);
                ui.separator();
            }
            for job in app.jobs.status() {
                ui.label(&job.label);
                match job.fraction {
                    Some(f) => {
                        ui.add(
                            egui::ProgressBar::new(f)
                                .desired_width(120.0)
                                .show_percentage(),
                        );
                    }
                    None => {
                        ui.spinner();
                    }
                }
                if !job.message.is_empty() {
                    ui.label(egui::RichText::new(&job.message).weak());
                }
                if ui.small_button("Cancel").clicked() {
                    commands.push(Command::CancelJob(job.id));
                }
                ui.separator();
            }
            if let Some(status) = &app.ws.messages.status {
                ui.add(egui::Label::new(status).truncate());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(path) = app.ws.doc.as_ref().and_then(|d| d.path.as_ref()) {
                    ui.add(
                        egui::Label::new(egui::RichText::new(crate::app::file_label(path)).weak())
                            .truncate(),
                    )
                    .on_hover_text(path.display().to_string());
                }
            });
        });
    });
}
