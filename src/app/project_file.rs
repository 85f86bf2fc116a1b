//! Opening, saving and closing the project file, and starting from an example.

use std::path::{Path, PathBuf};

use super::{Command, DialogKind, Document, ThroughlineApp, file_label, file_name_for};
use crate::io;
use crate::model::{Page, Project};

/// What the status bar says on a new project, until the project has a name.
pub(super) const NEW_PROJECT_MESSAGE: &str = "New project. Give it a name on the Frame page.";

impl ThroughlineApp {
    /// Run a command about the project file.
    pub(super) fn apply_file_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::NewProject => {
                self.ws
                    .set_document(Document::new(Project::default(), None));
                self.clear_recovery();
                self.ws.messages.info(NEW_PROJECT_MESSAGE);
            }
            Command::OpenProjectDialog => {
                self.dialogs
                    .show(ctx, DialogKind::OpenProject, self.start_dir());
            }
            Command::OpenProject(path) => self.open_project(&path),
            Command::NewFromExample(path) => self.new_from_example(&path),
            Command::Save => match self.ws.doc.as_ref().and_then(|d| d.path.clone()) {
                Some(path) => self.save_to(&path),
                None => self.apply(ctx, Command::SaveAsDialog),
            },
            Command::SaveAsDialog => {
                if let Some(doc) = &self.ws.doc {
                    let suggested_name = file_name_for(doc.project.display_name());
                    self.dialogs.show(
                        ctx,
                        DialogKind::SaveProjectAs { suggested_name },
                        self.start_dir(),
                    );
                }
            }
            Command::SaveAs(path) => {
                let path = with_ron_extension(path);
                self.save_to(&path);
            }
            Command::CloseProject => {
                self.ws.doc = None;
                self.ws.reset_runtime();
                self.clear_recovery();
            }
            Command::Quit => {
                self.clear_recovery();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::RecoverAccept => self.accept_recovery(),
            Command::RecoverDiscard => {
                self.recovery_offer = None;
                self.clear_recovery();
            }
            _ => {}
        }
    }

    fn open_project(&mut self, path: &Path) {
        match io::load_project(path) {
            Ok(project) => {
                self.settings.add_recent(path);
                let outside = path
                    .parent()
                    .map(|dir| io::datasets_outside(&project, dir))
                    .unwrap_or_default();
                self.ws
                    .set_document(Document::new(project, Some(path.to_path_buf())));
                self.clear_recovery();
                self.ws.messages.info(
                    format!(
                        "Opened \"{}\". {}",
                        file_label(path),
                        io::outside_sentence(&outside)
                    )
                    .trim_end()
                    .to_string(),
                );
            }
            Err(e) => {
                if matches!(e, io::ProjectFileError::Read { .. }) {
                    self.settings.forget_recent(path);
                }
                self.ws.messages.error(e.to_string());
            }
        }
    }

    fn new_from_example(&mut self, path: &Path) {
        match io::load_project(path) {
            Ok(mut project) => {
                // The copy is unsaved: make its data paths absolute so they still resolve, and
                // relative again when it is saved.
                if let Some(dir) = path.parent() {
                    io::rebase_dataset_paths(&mut project, Some(dir), None);
                }
                project.view.page = Page::Frame;
                self.ws
                    .set_document(Document::unsaved(project, None, Project::default()));
                self.clear_recovery();
                self.ws.messages.info(
                    "New project from an example. Save it to keep your changes; the example \
                     itself stays as it was.",
                );
            }
            Err(e) => self.ws.messages.error(e.to_string()),
        }
    }

    fn save_to(&mut self, path: &Path) {
        let Some(doc) = &mut self.ws.doc else { return };
        let new_dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let mut to_save = doc.project.clone();
        if doc.base_dir() != new_dir {
            io::rebase_dataset_paths(&mut to_save, doc.base_dir(), new_dir);
        }
        // Data paths are saved as they are (re-expressed only when the project moves to another
        // folder, still naming the same files); those outside the project folder are said so,
        // never followed or changed silently.
        let outside = new_dir
            .map(|dir| io::datasets_outside(&to_save, dir))
            .unwrap_or_default();
        match io::save_project(&to_save, path) {
            Ok(()) => {
                if to_save != doc.project {
                    doc.checkpoint();
                    doc.project = to_save;
                }
                doc.mark_saved(path.to_path_buf());
                self.settings.add_recent(path);
                self.clear_recovery();
                self.ws.messages.info(
                    format!(
                        "Saved \"{}\". {}",
                        file_label(path),
                        io::outside_sentence(&outside)
                    )
                    .trim_end()
                    .to_string(),
                );
                if let Some(next) = self.after_save.take() {
                    self.queue.push(next);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.ws.messages.error(e.to_string());
            }
        }
    }
}

fn with_ron_extension(path: PathBuf) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        path
    } else {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".ron");
        path.with_file_name(name)
    }
}
