//! The eframe application: state, commands, background jobs, undo/redo, dialogs, recovery.

mod command;
mod data;
mod dialogs;
mod document;
pub mod evidence_jobs;
mod examples;
mod jobs;
mod plot_export;
mod settings;

pub use command::Command;
pub use data::{DataRuntime, DatasetView, ROWS_PAGE, WarehouseForm};
pub use dialogs::{DialogKind, DialogResult, Dialogs, NO_NATIVE_DIALOG, PathPrompt};
pub use document::Document;
pub use examples::{ExampleProject, find_examples_dir, list_examples};
pub use jobs::{ApplyResult, JobStatus, Jobs, Progress};
pub use settings::Settings;

use std::path::{Path, PathBuf};

use crate::io::{self, RecoveryCopy};
use crate::model::{Page, Project};
use crate::ui;

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Open this project at start.
    pub open: Option<PathBuf>,
    /// Use the system's file dialogs (off in tests: the in-app path prompt is used instead).
    pub native_dialogs: bool,
    /// Where the recovery copy is written; `None` disables recovery copies.
    pub recovery_dir: Option<PathBuf>,
    /// Where the example projects are; `None` looks beside the executable and in the current
    /// folder.
    pub examples_dir: Option<PathBuf>,
}

impl AppOptions {
    /// The options of the real desktop app.
    pub fn desktop(open: Option<PathBuf>) -> Self {
        Self {
            open,
            native_dialogs: true,
            recovery_dir: eframe::storage_dir(APP_ID).map(|d| d.join("recovery")),
            examples_dir: None,
        }
    }
}

/// The name under which eframe stores settings.
pub const APP_ID: &str = "Throughline";

/// Messages for the user: errors are shown once in a dialog, the rest in the status bar.
#[derive(Default)]
pub struct Messages {
    pub errors: Vec<String>,
    pub status: Option<String>,
}

impl Messages {
    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        if !self.errors.contains(&message) {
            self.errors.push(message);
        }
    }

    pub fn info(&mut self, message: impl Into<String>) {
        self.status = Some(message.into());
    }
}

/// Runtime state of the open project that is not saved in it (previews, prepared plot data).
/// Pages add their own fields; it is reset whenever another project is opened.
#[derive(Default)]
pub struct Runtime {
    /// The Evidence page: analysis runs, prepared series, highlighted points.
    pub evidence: evidence_jobs::EvidenceRuntime,
    /// The Data page: previews, figures and link checks of the datasets.
    pub data: DataRuntime,
}

/// What pages and finished jobs work on.
#[derive(Default)]
pub struct Workspace {
    pub doc: Option<Document>,
    pub runtime: Runtime,
    pub messages: Messages,
}

impl Workspace {
    fn set_document(&mut self, doc: Document) {
        self.doc = Some(doc);
        self.runtime = Runtime::default();
    }
}

pub struct ThroughlineApp {
    pub settings: Settings,
    pub ws: Workspace,
    pub jobs: Jobs,
    pub dialogs: Dialogs,
    pub examples: Vec<ExampleProject>,
    options: AppOptions,
    queue: Vec<Command>,
    /// A command waiting for the user's answer to "save changes first?".
    pending: Option<Command>,
    /// Set while running a command the user allowed to discard unsaved changes.
    discard_confirmed: bool,
    /// Run after the next successful save (used when "Save" needs a Save-as dialog first).
    after_save: Option<Command>,
    /// A recovery copy found at start, waiting for the user's decision.
    pub recovery_offer: Option<RecoveryCopy>,
    last_recovery_write: f64,
    recovery_written_for: Option<Project>,
    allow_close: bool,
    title: String,
    applied_zoom: Option<f32>,
    /// Plot pictures waiting for the window to settle: (frames still to wait, file, plot).
    /// The picture is taken once the dialog that asked for the file has gone from the screen.
    pictures_waiting: Vec<(u32, PathBuf, crate::ui::plots::PlotExport)>,
}

impl ThroughlineApp {
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
            .unwrap_or_default();
        Self::with_settings(&cc.egui_ctx, options, settings)
    }

    /// Build the app with given settings (tests use this to start from known settings).
    pub fn with_settings(ctx: &egui::Context, options: AppOptions, settings: Settings) -> Self {
        ui::theme::install(ctx);
        let examples_dir = options.examples_dir.clone().or_else(find_examples_dir);
        let examples = examples_dir
            .as_deref()
            .map(list_examples)
            .unwrap_or_default();
        let recovery_offer = options.recovery_dir.as_deref().and_then(io::read_recovery);
        let mut app = Self {
            settings,
            ws: Workspace::default(),
            jobs: Jobs::default(),
            dialogs: Dialogs::new(options.native_dialogs),
            examples,
            queue: Vec::new(),
            pending: None,
            discard_confirmed: false,
            after_save: None,
            recovery_offer,
            last_recovery_write: 0.0,
            recovery_written_for: None,
            allow_close: false,
            title: String::new(),
            applied_zoom: None,
            pictures_waiting: Vec::new(),
            options,
        };
        if let Some(path) = app.options.open.clone() {
            app.queue.push(Command::OpenProject(path));
        }
        app
    }

    /// Queue a command to run at the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.queue.push(command);
    }

    pub fn project(&self) -> Option<&Project> {
        self.ws.doc.as_ref().map(|d| &d.project)
    }

    pub fn is_dirty(&self) -> bool {
        self.ws.doc.as_ref().is_some_and(Document::is_dirty)
    }

    /// Whether the "save changes first?" question is on screen.
    pub fn is_asking_to_save(&self) -> bool {
        self.pending.is_some()
    }

    pub fn window_title(&self) -> String {
        match &self.ws.doc {
            None => "Throughline".to_string(),
            Some(doc) => {
                let mark = if doc.is_dirty() { "*" } else { "" };
                format!("{mark}{} — Throughline", doc.project.display_name())
            }
        }
    }

    fn start_dir(&self) -> Option<PathBuf> {
        self.ws
            .doc
            .as_ref()
            .and_then(|d| d.base_dir().map(Path::to_path_buf))
            .or_else(|| {
                self.settings
                    .recent_files
                    .first()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
            })
    }

    /// Apply every queued command, in order.
    fn apply_queue(&mut self, ctx: &egui::Context) {
        if !self.queue.is_empty() {
            // What a command changed is drawn in the next frame.
            ctx.request_repaint();
        }
        // Commands may queue more commands; bound the loop in case of a cycle.
        for _ in 0..16 {
            if self.queue.is_empty() {
                break;
            }
            let queue = std::mem::take(&mut self.queue);
            for command in queue {
                self.apply(ctx, command);
            }
        }
    }

    /// Run one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        if command.replaces_project() && self.is_dirty() && !self.discard_confirmed {
            self.pending = Some(command);
            return;
        }
        match command {
            Command::NewProject => {
                self.ws
                    .set_document(Document::new(Project::default(), None));
                self.clear_recovery();
                self.ws
                    .messages
                    .info("New project. Give it a name on the Frame page.");
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
                self.ws.runtime = Runtime::default();
                self.clear_recovery();
            }
            Command::Quit => {
                self.clear_recovery();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo => {
                if let Some(doc) = &mut self.ws.doc
                    && !doc.undo()
                {
                    self.ws.messages.info("Nothing to undo.");
                }
            }
            Command::Redo => {
                if let Some(doc) = &mut self.ws.doc
                    && !doc.redo()
                {
                    self.ws.messages.info("Nothing to redo.");
                }
            }
            Command::ToggleDarkMode => self.settings.dark_mode = !self.settings.dark_mode,
            Command::TogglePresentation => {
                self.settings.presentation = !self.settings.presentation;
            }
            Command::ShowPage(page) => {
                if let Some(doc) = &mut self.ws.doc {
                    doc.project.view.page = page;
                }
            }
            Command::ClearRecentFiles => self.settings.recent_files.clear(),
            Command::AddDataFilesDialog => {
                if self.ws.doc.is_some() {
                    self.dialogs
                        .show(ctx, DialogKind::AddDataFiles, self.start_dir());
                }
            }
            Command::AddDataFiles(paths) => self.add_data_files(ctx, paths),
            command @ (Command::LoadDataset(_)
            | Command::ComputeDataStats(_)
            | Command::AcceptChangedData(_)
            | Command::LoadDataRows(..)
            | Command::LocateDataFileDialog(_)
            | Command::RelinkDataFile(..)
            | Command::RemoveDataset(_)) => self.apply_data_command(ctx, command),
            Command::ExportReportDialog(format) => {
                if let Some(doc) = &self.ws.doc {
                    let suggested_name =
                        format!("{}-summary", file_name_for(doc.project.display_name()));
                    self.dialogs.show(
                        ctx,
                        DialogKind::ExportReport {
                            format,
                            suggested_name,
                        },
                        self.start_dir(),
                    );
                }
            }
            Command::ExportReport(path) => self.export_report(&path),
            Command::RecoverAccept => self.accept_recovery(),
            Command::RecoverDiscard => {
                self.recovery_offer = None;
                self.clear_recovery();
            }
            Command::ExportPlotDialog(export) => {
                self.dialogs
                    .show(ctx, DialogKind::ExportPlot(export), self.start_dir());
            }
            Command::ExportPlot { path, export } => {
                if export.format == crate::ui::plots::ExportFormat::Png {
                    // Two more frames: the path prompt (or the dialog's backdrop) is gone.
                    self.pictures_waiting.push((2, path, export));
                    ctx.request_repaint();
                } else {
                    plot_export::export_plot(
                        ctx,
                        &mut self.jobs,
                        &mut self.ws.messages,
                        path,
                        export,
                    );
                }
            }
        }
    }

    /// Take the plot pictures whose wait is over; keep the frames coming for the others.
    fn take_waiting_pictures(&mut self, ctx: &egui::Context) {
        if self.pictures_waiting.is_empty() {
            return;
        }
        for (frames, _, _) in &mut self.pictures_waiting {
            *frames = frames.saturating_sub(1);
        }
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pictures_waiting)
            .into_iter()
            .partition(|(frames, _, _)| *frames == 0);
        self.pictures_waiting = waiting;
        for (_, path, export) in ready {
            plot_export::export_plot(ctx, &mut self.jobs, &mut self.ws.messages, path, export);
        }
        if !self.pictures_waiting.is_empty() {
            ctx.request_repaint();
        }
    }

    /// Whether anything is still to be done in the background (jobs, or plot pictures
    /// waiting to be taken).
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy() || !self.pictures_waiting.is_empty()
    }

    fn open_project(&mut self, path: &Path) {
        match io::load_project(path) {
            Ok(project) => {
                self.settings.add_recent(path);
                self.ws
                    .set_document(Document::new(project, Some(path.to_path_buf())));
                self.clear_recovery();
                self.ws
                    .messages
                    .info(format!("Opened \"{}\".", file_label(path)));
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
        match io::save_project(&to_save, path) {
            Ok(()) => {
                if to_save != doc.project {
                    doc.checkpoint();
                    doc.project = to_save;
                }
                doc.mark_saved(path.to_path_buf());
                self.settings.add_recent(path);
                self.clear_recovery();
                self.ws
                    .messages
                    .info(format!("Saved \"{}\".", file_label(path)));
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

    fn export_report(&mut self, path: &Path) {
        let Some(doc) = &self.ws.doc else { return };
        match io::report::write_report(&doc.project, path) {
            Ok(format) => self.ws.messages.info(format!(
                "Exported the summary as {} to \"{}\".",
                format.label(),
                file_label(path)
            )),
            Err(e) => self.ws.messages.error(e.to_string()),
        }
    }

    fn accept_recovery(&mut self) {
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

    fn clear_recovery(&mut self) {
        if let Some(dir) = &self.options.recovery_dir {
            io::clear_recovery(dir);
        }
        self.recovery_written_for = None;
    }

    /// Write a recovery copy now and then while there are unsaved changes (on a worker thread).
    fn write_recovery_periodically(&mut self, now: f64) {
        const INTERVAL_SECS: f64 = 15.0;
        let Some(dir) = self.options.recovery_dir.clone() else {
            return;
        };
        if self.recovery_offer.is_some() || now - self.last_recovery_write < INTERVAL_SECS {
            return;
        }
        let Some(doc) = &self.ws.doc else { return };
        if !doc.is_dirty() || self.recovery_written_for.as_ref() == Some(&doc.project) {
            return;
        }
        self.last_recovery_write = now;
        self.recovery_written_for = Some(doc.project.clone());
        let copy = RecoveryCopy {
            original_path: doc.path.clone(),
            written_unix_secs: unix_now(),
            project: doc.project.clone(),
            ..RecoveryCopy::default()
        };
        let _ = std::thread::Builder::new()
            .name("recovery-copy".into())
            .spawn(move || io::write_recovery(&dir, &copy));
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        // Shortcuts wait while a modal question is open.
        if self.pending.is_some() || self.dialogs.prompt.is_some() || self.recovery_offer.is_some()
        {
            return;
        }
        let redo_extra = Command::extra_redo_shortcut();
        if ctx.input_mut(|i| i.consume_shortcut(&redo_extra)) {
            self.send(Command::Redo);
        }
        for command in Command::WITH_SHORTCUTS {
            if let Some(shortcut) = command.shortcut()
                && ctx.input_mut(|i| i.consume_shortcut(&shortcut))
            {
                self.send(command);
            }
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, data): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")));
        if let Some(project) = projects.into_iter().next_back() {
            self.send(Command::OpenProject(project));
        } else if !data.is_empty() {
            self.send(Command::AddDataFiles(data));
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) {
            if self.allow_close || !self.is_dirty() {
                self.clear_recovery();
            } else {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Command::Quit);
            }
        }
    }

    fn sync_viewport(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        ctx.set_theme(if self.settings.dark_mode {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        let zoom = if self.settings.presentation {
            ui::theme::PRESENTATION_ZOOM
        } else {
            1.0
        };
        if self.applied_zoom != Some(zoom) {
            ctx.set_zoom_factor(zoom);
            self.applied_zoom = Some(zoom);
        }
    }

    /// The answer to "save changes first?".
    fn resolve_pending(&mut self, ctx: &egui::Context, answer: ui::modals::SaveAnswer) {
        let Some(command) = self.pending.take() else {
            return;
        };
        match answer {
            ui::modals::SaveAnswer::Save => {
                // The command runs once the save succeeded (after a Save-as dialog if the
                // project has no file yet); if the save fails or is cancelled, it does not run.
                self.after_save = Some(command);
                self.apply(ctx, Command::Save);
            }
            ui::modals::SaveAnswer::DontSave => {
                self.discard_confirmed = true;
                self.apply(ctx, command);
                self.discard_confirmed = false;
            }
            ui::modals::SaveAnswer::Cancel => {}
        }
    }

    /// The user closed a dialog or prompt without choosing anything.
    pub fn dialog_cancelled(&mut self) {
        self.after_save = None;
    }
}

/// `churn prediction` -> `churn-prediction`, safe as a file name.
pub fn file_name_for(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if cleaned.is_empty() {
        "project".to_string()
    } else {
        cleaned
    }
}

/// The file name of `path`, for short messages (the full path is shown on hover).
pub fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
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

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl eframe::App for ThroughlineApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        for apply in self.jobs.take_finished() {
            apply(&mut self.ws);
        }
        match self.dialogs.poll() {
            Some(DialogResult::Chosen(command)) => self.send(command),
            Some(DialogResult::Cancelled) => self.dialog_cancelled(),
            None => {}
        }
        self.handle_shortcuts(ctx);
        self.handle_dropped_files(ctx);
        self.handle_close_request(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        ui::app_ui(ui, self, &mut commands);
        if let Some(answer) = ui::modals::modals_ui(&ctx, self, &mut commands) {
            self.resolve_pending(&ctx, answer);
        }
        self.queue.extend(commands);
        self.apply_queue(&ctx);
        self.take_waiting_pictures(&ctx);
        let now = ctx.input(|i| i.time);
        if let Some(doc) = &mut self.ws.doc {
            doc.feed_undo(now);
        }
        self.write_recovery_periodically(now);
        self.sync_viewport(&ctx);
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }
}
