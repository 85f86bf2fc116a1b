//! The open project: its content, its file, what was last saved, and its undo history.

use std::path::{Path, PathBuf};

use egui::util::undoer::{Settings as UndoSettings, Undoer};

use crate::model::{Fingerprint, Project};

pub struct Document {
    pub project: Project,
    /// The file the project was opened from or last saved to; `None` until first saved.
    pub path: Option<PathBuf>,
    /// The project as it was last saved (or opened), to tell whether there are unsaved changes.
    saved: Project,
    undoer: Undoer<Project>,
    /// (undo, redo) availability, updated every frame by `feed_undo`.
    undo_redo_available: (bool, bool),
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
            undo_redo_available: (false, false),
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
            undo_redo_available: (false, false),
        }
    }

    /// Unsaved edits. Moving between pages and steps is not an edit.
    pub fn is_dirty(&self) -> bool {
        !self.project.same_content(&self.saved)
    }

    /// Record that the current content is what is now on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.saved = self.project.clone();
        self.path = Some(path);
    }

    /// Record what the app learned by itself about the project's data files (the columns of a
    /// file the project does not describe yet, a fingerprint read the first time a file is
    /// seen), as opposed to an edit: it goes into the project and into the copy last saved
    /// alike, so merely opening a project and looking at its data never marks it unsaved, and
    /// it is written with the next save. Nor is it an undo step: fingerprints are kept out of
    /// the undo history (`without_view`), and when nothing has been edited yet the history
    /// starts again from the project as learned.
    pub fn learn(&mut self, f: impl Fn(&mut Project)) {
        let untouched = self
            .without_view(|undoer, project| !undoer.has_undo(project) && !undoer.has_redo(project));
        f(&mut self.project);
        f(&mut self.saved);
        if untouched {
            self.undoer = new_undoer();
            self.undo_redo_available = (false, false);
        }
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
    ///
    /// The history holds content only: the open page and step (`view`) are left out, so undo
    /// never just moves the user around, and it keeps them where they are. Computed evidence
    /// results are left out too: they follow from the settings (the Evidence page recomputes
    /// or recalls them), so a result arriving from a worker is never an undo step of its own.
    pub fn feed_undo(&mut self, time_secs: f64) {
        self.undo_redo_available = self.without_view(|undoer, project| {
            undoer.feed_state(time_secs, project);
            (undoer.has_undo(project), undoer.has_redo(project))
        });
    }

    /// Whether Undo can do something (as of the last frame).
    pub fn can_undo(&self) -> bool {
        self.undo_redo_available.0
    }

    /// Whether Redo can do something (as of the last frame).
    pub fn can_redo(&self) -> bool {
        self.undo_redo_available.1
    }

    pub fn undo(&mut self) -> bool {
        self.without_view(|undoer, project| match undoer.undo(project) {
            Some(previous) => {
                *project = previous.clone();
                true
            }
            None => false,
        })
    }

    pub fn redo(&mut self) -> bool {
        self.without_view(|undoer, project| match undoer.redo(project) {
            Some(next) => {
                *project = next.clone();
                true
            }
            None => false,
        })
    }

    /// Make the current state an undo point now, before a change made by a command (so a
    /// command's change is always its own step).
    pub fn checkpoint(&mut self) {
        self.without_view(|undoer, project| undoer.add_undo(project));
    }

    /// Run `f` on the undo history and the project with its view and computed evidence results
    /// set aside (no copy made).
    fn without_view<R>(&mut self, f: impl FnOnce(&mut Undoer<Project>, &mut Project) -> R) -> R {
        let view = std::mem::take(&mut self.project.view);
        let results = self.project.evidence.take_results();
        // Data file fingerprints are learned by the app, not edited (see `learn`).
        let fingerprints: Vec<(String, PathBuf, Fingerprint)> = self
            .project
            .datasets
            .iter_mut()
            .filter_map(|d| Some((d.id.clone(), d.path.clone(), d.fingerprint.take()?)))
            .collect();
        let result = f(&mut self.undoer, &mut self.project);
        for (id, path, fingerprint) in fingerprints {
            if let Some(d) = self
                .project
                .datasets
                .iter_mut()
                .find(|d| d.id == id && d.path == path)
            {
                d.fingerprint = Some(fingerprint);
            }
        }
        self.project.evidence.restore_results(results);
        self.project.view = view;
        result
    }
}

fn new_undoer() -> Undoer<Project> {
    Undoer::with_settings(UndoSettings {
        max_undos: 200,
        stable_time: 0.6,
        auto_save_interval: 10.0,
    })
}
