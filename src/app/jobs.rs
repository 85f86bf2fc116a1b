//! Background work: loading and computing run on worker threads with progress and cancel; the
//! UI thread polls finished jobs each frame and applies their results.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use super::Workspace;

/// Shared between a worker and the UI: how far along the work is, and whether to stop.
#[derive(Default)]
pub struct Progress {
    /// Fraction done in 0..=1, as f32 bits; `u32::MAX` while unknown.
    fraction_bits: AtomicU32,
    message: Mutex<String>,
    cancel: AtomicBool,
}

impl Progress {
    pub(crate) fn new() -> Self {
        Self {
            fraction_bits: AtomicU32::new(u32::MAX),
            message: Mutex::new(String::new()),
            cancel: AtomicBool::new(false),
        }
    }

    /// Report progress (0..=1) from the worker.
    pub fn set_fraction(&self, fraction: f32) {
        self.fraction_bits
            .store(fraction.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    /// Report what the worker is doing now.
    pub fn set_message(&self, message: impl Into<String>) {
        if let Ok(mut m) = self.message.lock() {
            *m = message.into();
        }
    }

    pub fn fraction(&self) -> Option<f32> {
        match self.fraction_bits.load(Ordering::Relaxed) {
            u32::MAX => None,
            bits => Some(f32::from_bits(bits)),
        }
    }

    pub fn message(&self) -> String {
        self.message.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Ask the worker to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The flag a worker checks (or hands to `data` functions) to stop early.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// What a finished job does to the workspace, on the UI thread.
pub type ApplyResult = Box<dyn FnOnce(&mut Workspace) + Send>;

struct RunningJob {
    id: u64,
    label: String,
    progress: Arc<Progress>,
    result: Receiver<ApplyResult>,
}

/// The jobs running now.
#[derive(Default)]
pub struct Jobs {
    next_id: u64,
    running: Vec<RunningJob>,
}

/// A read-only view of one running job, for the status bar.
pub struct JobStatus {
    pub id: u64,
    pub label: String,
    pub fraction: Option<f32>,
    pub message: String,
}

impl Jobs {
    /// Run `work` on a new thread. It reports through `Progress`, should return early when
    /// `progress.is_cancelled()`, and returns what to apply on the UI thread. The UI is
    /// repainted when the job ends.
    pub fn spawn<F>(&mut self, ctx: &egui::Context, label: impl Into<String>, work: F) -> u64
    where
        F: FnOnce(&Progress) -> ApplyResult + Send + 'static,
    {
        let id = self.next_id;
        self.next_id += 1;
        let progress = Arc::new(Progress::new());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let ctx = ctx.clone();
        let label = label.into();
        let thread_name = format!("job-{id}");
        let spawned = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || {
                let apply = work(&worker_progress);
                let _ = tx.send(apply);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.running.push(RunningJob {
                id,
                label,
                progress,
                result: rx,
            });
        }
        id
    }

    /// Collect the results of finished jobs (and forget jobs whose worker died).
    pub fn take_finished(&mut self) -> Vec<ApplyResult> {
        let mut finished = Vec::new();
        self.running.retain(|job| match job.result.try_recv() {
            Ok(apply) => {
                finished.push(apply);
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => false,
        });
        finished
    }

    pub fn cancel(&self, id: u64) {
        if let Some(job) = self.running.iter().find(|j| j.id == id) {
            job.progress.cancel();
        }
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    pub fn status(&self) -> Vec<JobStatus> {
        self.running
            .iter()
            .map(|j| JobStatus {
                id: j.id,
                label: j.label.clone(),
                fraction: j.progress.fraction(),
                message: j.progress.message(),
            })
            .collect()
    }
}
