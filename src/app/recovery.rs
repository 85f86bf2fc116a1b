//! The recovery copy: while there are unsaved changes, the project is written now and then to a
//! private folder (on a worker thread), so a crash loses little. When a copy cannot be written,
//! the user is told once (and again only after a copy was written since).

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::{Document, ThroughlineApp, unix_now};
use crate::io::{self, RecoveryCopy};
use crate::model::Project;

/// Seconds between two recovery copies.
const INTERVAL_SECS: f64 = 15.0;

/// Where the writing of recovery copies stands.
#[derive(Default)]
pub(super) struct RecoveryWriter {
    last_write_secs: f64,
    /// The project of the last copy started (not written again while it is unchanged).
    written_for: Option<Project>,
    /// The result of the copy being written, while the worker runs.
    writing: Option<Receiver<Result<(), String>>>,
    /// A failure was reported and no copy has been written since.
    failure_reported: bool,
}

impl RecoveryWriter {
    /// Whether a copy is being written.
    pub(super) fn is_writing(&self) -> bool {
        self.writing.is_some()
    }
}

impl ThroughlineApp {
    pub(super) fn accept_recovery(&mut self) {
        let Some(copy) = self.recovery_offer.take() else {
            return;
        };
        // What is on disk at the original path, so unsaved changes show as such.
        let saved = copy
            .original_path
            .as_deref()
            .and_then(|p| io::load_project(p).ok())
            .unwrap_or_default();
        self.ws
            .set_document(Document::unsaved(copy.project, copy.original_path, saved));
        self.ws
            .messages
            .info("Recovered your unsaved work. Save it to keep it.");
    }

    pub(super) fn clear_recovery(&mut self) {
        if let Some(dir) = &self.options.recovery_dir {
            io::clear_recovery(dir);
        }
        self.recovery.written_for = None;
    }

    /// Write a recovery copy now and then while there are unsaved changes (on a worker thread),
    /// and tell the user once when it could not be written.
    pub(super) fn write_recovery_periodically(&mut self, ctx: &egui::Context, now: f64) {
        self.report_recovery_result();
        let Some(dir) = self.options.recovery_dir.clone() else {
            return;
        };
        let recovery = &mut self.recovery;
        if self.recovery_offer.is_some()
            || recovery.writing.is_some()
            || now - recovery.last_write_secs < INTERVAL_SECS
        {
            return;
        }
        let Some(doc) = &self.ws.doc else { return };
        if !doc.is_dirty() || recovery.written_for.as_ref() == Some(&doc.project) {
            return;
        }
        recovery.last_write_secs = now;
        recovery.written_for = Some(doc.project.clone());
        let copy = RecoveryCopy {
            original_path: doc.path.clone(),
            written_unix_secs: unix_now(),
            project: doc.project.clone(),
            ..RecoveryCopy::default()
        };
        let (tx, rx) = channel();
        let repaint = ctx.clone();
        let started = std::thread::Builder::new()
            .name("recovery-copy".into())
            .spawn(move || {
                let result = io::write_recovery(&dir, &copy).map_err(|e| e.to_string());
                let _ = tx.send(result);
                repaint.request_repaint();
            });
        match started {
            Ok(_) => recovery.writing = Some(rx),
            Err(e) => self.recovery_failed(e.to_string()),
        }
    }

    /// Look whether the copy being written is done; a failure is reported once.
    fn report_recovery_result(&mut self) {
        let Some(rx) = &self.recovery.writing else {
            return;
        };
        let result = match rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => Err("the writing stopped unexpectedly".to_string()),
        };
        self.recovery.writing = None;
        match result {
            Ok(()) => self.recovery.failure_reported = false,
            Err(e) => self.recovery_failed(e),
        }
    }

    fn recovery_failed(&mut self, error: String) {
        if self.recovery.failure_reported {
            return;
        }
        self.recovery.failure_reported = true;
        self.ws.messages.error(format!(
            "Throughline could not write the recovery copy of your unsaved work, so a crash \
             would lose it: {error}. Save the project to keep your changes."
        ));
    }
}
