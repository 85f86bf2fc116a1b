//! The open project: its content, its file, what was last saved, and its undo history.

use std::path::{Path, PathBuf};

use egui::util::undoer::{Settings as UndoSettings, Undoer};

use crate::model::Project;

pub struct Document {
    pub project: Project,
    /// The file the project was opened from or last saved to; `None` until first saved.
    pub path: Option<PathBuf>,
    /// The project as it was last saved (or opened), to tell whether there are unsaved changes.
    saved: Project,
    undoer: Undoer<Project>,
}

impl Document {
    /// A document whose content matches `path` on disk (or a new, unsaved one when `path` is
    /// `None` and `saved` is `true`).
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        Self {
            saved: project.clone(),
            project,
            path,
            undoer: new_undoer(),
        }
    }

    /// A document with unsaved content (e.g. restored from a recovery copy, or made from an
    /// example): `saved` is what is on disk at `path`, if anything.
    pub fn unsaved(project: Project, path: Option<PathBuf>, saved: Project) -> Self {
        Self {
            project,
            path,
            saved,
            undoer: new_undoer(),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.project != self.saved
    }

    /// Record that the current content is what is now on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.project.clone();
        self.path = Some(path);
    }

    /// The folder data paths are relative to.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The project to edit, with the folder its data paths are relative to.
    pub fn parts_mut(&mut self) -> (&mut Project, Option<&Path>) {
        let base_dir = self.path.as_deref().and_then(Path::parent);
        (&mut self.project, base_dir)
    }

    /// Feed the undo history; call once per frame. Rapid edits (typing, dragging a slider)
    /// merge into one undo step.
    pub fn feed_undo(&mut self, time_secs: f64) {
        self.undoer.feed_state(time_secs, &self.project);
    }

    pub fn can_undo(&self) -> bool {
        self.undoer.has_undo(&self.project)
    }

    pub fn can_redo(&self) -> bool {
        self.undoer.has_redo(&self.project)
    }

    pub fn undo(&mut self) -> bool {
        match self.undoer.undo(&self.project) {
            Some(previous) => {
                self.project = previous.clone();
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.undoer.redo(&self.project) {
            Some(next) => {
                self.project = next.clone();
                true
            }
            None => false,
        }
    }

    /// Make the current state an undo point now, before a change made by a command (so a
    /// command's change is always its own step).
    pub fn checkpoint(&mut self) {
        self.undoer.add_undo(&self.project);
    }
}

fn new_undoer() -> Undoer<Project> {
    Undoer::with_settings(UndoSettings {
        max_undos: 200,
        stable_time: 0.6,
        auto_save_interval: 10.0,
    })
}
