//! The eframe application: state, commands, background jobs, undo/redo, dialogs, recovery.

mod auto_names;
mod command;
mod data;
pub mod data_use;
pub mod defaults;
mod dialogs;
mod document;
pub mod evidence_jobs;
mod examples;
pub mod icon;
mod jobs;
mod notes;
mod page_commands;
pub mod plot_export;
mod project_file;
mod recovery;
mod settings;

pub use command::{Command, ZoomStep};
pub use data::{DataRuntime, DatasetView, ROWS_PAGE, WarehouseForm};
pub use dialogs::{DialogKind, DialogResult, Dialogs, NO_NATIVE_DIALOG, PathPrompt};
pub use document::Document;
pub use examples::{ExampleProject, find_examples_dir, list_examples};
pub use jobs::{ApplyResult, JobStatus, Jobs, Progress};
pub use page_commands::{AnalysisKind, NewAnalysis, Wanted};
pub use plot_export::{ExportFormat, PlotExport, PlotTable};
pub use settings::Settings;

use std::path::{Path, PathBuf};

use crate::io::{self, RecoveryCopy};
use crate::model::Project;
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
    /// A project file (`.ron`) that was added as data: the app offers to open it instead.
    pub project_offer: Option<PathBuf>,
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
    /// The names given to analyses automatically (they follow their metrics until renamed).
    pub auto_names: auto_names::AutoNames,
}

/// What pages remember between frames that is neither saved in the project nor computed: the
/// point under the pointer, a clicked point, a half-filled form. Pages change it while drawing
/// (it is theirs, like egui's own widget state); it is reset whenever another project is opened.
#[derive(Default)]
pub struct PageState {
    /// The point of a link analysis under the pointer in any of its plots: (analysis id,
    /// point index). Set while drawing, read in the next frame by the other plots.
    pub link_hover: Option<(String, usize)>,
    /// The point of a link analysis the user clicked, highlighted until clicked again.
    pub link_selected: Option<(String, usize)>,
    /// The fields of the Data page's "summary statistics from my warehouse" helper.
    pub warehouse: WarehouseForm,
    /// A note just added: its field takes the keyboard focus when next drawn.
    pub focus_note: Option<String>,
}

/// What pages and finished jobs work on.
#[derive(Default)]
pub struct Workspace {
    pub doc: Option<Document>,
    pub runtime: Runtime,
    pub pages: PageState,
    pub messages: Messages,
}

impl Workspace {
    fn set_document(&mut self, doc: Document) {
        self.doc = Some(doc);
        self.reset_runtime();
    }

    /// Forget what was read, computed and remembered for the previous project.
    fn reset_runtime(&mut self) {
        self.runtime = Runtime::default();
        self.pages = PageState::default();
    }
}

pub struct ThroughlineApp {
    pub settings: Settings,
    pub ws: Workspace,
    pub jobs: Jobs,
    pub dialogs: Dialogs,
    pub examples: Vec<ExampleProject>,
    /// The workshop deck, while it is shown (F5): which slide, which details are open.
    pub deck: Option<ui::deck::DeckView>,
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
    recovery: recovery::RecoveryWriter,
    allow_close: bool,
    title: String,
    applied_zoom: Option<f32>,
    /// Whether the theme was set from the system's at start (done once, when the system first
    /// says which theme it uses).
    theme_followed: bool,
    /// Plot pictures waiting for the window to settle: (frames still to wait, file, plot).
    /// The picture is taken once the dialog that asked for the file has gone from the screen.
    pictures_waiting: Vec<(u32, PathBuf, PlotExport)>,
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
        // Ctrl+= / Ctrl+- / Ctrl+0 are the app's own commands (the zoom is remembered).
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
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
            deck: None,
            queue: Vec::new(),
            pending: None,
            discard_confirmed: false,
            after_save: None,
            recovery_offer,
            recovery: recovery::RecoveryWriter::default(),
            allow_close: false,
            title: String::new(),
            applied_zoom: None,
            theme_followed: false,
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
            command @ (Command::NewProject
            | Command::OpenProjectDialog
            | Command::OpenProject(_)
            | Command::NewFromExample(_)
            | Command::Save
            | Command::SaveAsDialog
            | Command::SaveAs(_)
            | Command::CloseProject
            | Command::Quit
            | Command::RecoverAccept
            | Command::RecoverDiscard) => self.apply_file_command(ctx, command),
            Command::Undo => {
                if let Some(doc) = &mut self.ws.doc {
                    // The status bar says what happened now, never an older message that the
                    // undo made untrue ("Undo with Ctrl+Z to bring it back").
                    let done = doc.undo();
                    let redo = ctx.format_shortcut(&egui::KeyboardShortcut::new(
                        egui::Modifiers::COMMAND,
                        egui::Key::Y,
                    ));
                    let message = match (done, self.ws.messages.status.as_deref()) {
                        (true, _) => format!("Undone. Redo with {redo}."),
                        (false, Some(m)) if m.starts_with("Undone") => {
                            "Nothing more to undo.".to_string()
                        }
                        (false, _) => "Nothing to undo.".to_string(),
                    };
                    self.ws.messages.info(message);
                }
            }
            Command::Redo => {
                if let Some(doc) = &mut self.ws.doc {
                    let done = doc.redo();
                    let message = match (done, self.ws.messages.status.as_deref()) {
                        (true, _) => "Redone.",
                        (false, Some(m)) if m.starts_with("Redone") => "Nothing more to redo.",
                        (false, _) => "Nothing to redo.",
                    };
                    self.ws.messages.info(message);
                }
            }
            Command::ToggleDarkMode => self.settings.toggle_dark_mode(),
            Command::TogglePresentation => {
                self.settings.presentation = !self.settings.presentation;
            }
            Command::Present => {
                self.deck = match self.deck {
                    Some(_) => None,
                    None if self.ws.doc.is_some() => {
                        Some(ui::deck::DeckView::opened(self.ws.messages.status.clone()))
                    }
                    None => {
                        self.ws
                            .messages
                            .info("Open or start a project first: the deck shows a project.");
                        None
                    }
                };
            }
            Command::LeaveDeck => self.deck = None,
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
            command @ (Command::ExportReportDialog(_)
            | Command::ExportReport(_)
            | Command::ExportDeckDialog
            | Command::ExportDeck(_)
            | Command::ExportPlotDialog(_)
            | Command::ExportPlot { .. }) => self.apply_export_command(ctx, command),
            Command::DismissError => {
                if !self.ws.messages.errors.is_empty() {
                    self.ws.messages.errors.remove(0);
                }
            }
            Command::ClosePathPrompt { cancelled } => {
                self.dialogs.prompt = None;
                if cancelled {
                    self.dialog_cancelled();
                }
            }
            command @ (Command::CancelJob(_)
            | Command::CancelAnalysis(_)
            | Command::RecomputeAnalysis(_)
            | Command::AddAnalysis(_)
            | Command::RemoveAnalysis { .. }
            | Command::NewScenario
            | Command::DuplicateScenario(_)
            | Command::DeleteScenario(_)) => self.apply_page_command(ctx, command),
            command @ (Command::AddNote(_) | Command::DeleteNote(_)) => {
                self.apply_note_command(command);
            }
            Command::Zoom(step) => self.settings.zoom_step(step),
        }
    }

    /// Whether anything is still to be done in the background (jobs, plot pictures waiting to
    /// be taken, a recovery copy being written).
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy() || !self.pictures_waiting.is_empty() || self.recovery.is_writing()
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
        if let Some(step) = command::zoom_shortcut(ctx) {
            self.send(Command::Zoom(step));
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
        } * self.settings.zoom();
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
        // Once, as soon as the system says which theme it uses.
        if !self.theme_followed
            && let Some(system) = ctx.system_theme()
        {
            self.theme_followed = true;
            self.settings
                .follow_system_theme(Some(system == egui::Theme::Dark));
        }
        self.handle_shortcuts(ctx);
        self.handle_dropped_files(ctx);
        self.handle_close_request(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        let mut wanted = Wanted::default();
        ui::app_ui(ui, self, &mut commands, &mut wanted);
        if let Some(answer) = ui::modals::modals_ui(&ctx, self, &mut commands) {
            self.resolve_pending(&ctx, answer);
        }
        ui::access::focus_ring_ui(&ctx);
        self.queue.extend(commands);
        self.apply_queue(&ctx);
        // After the commands: an analysis removed in this frame is not started again, and one
        // whose settings were just edited starts for the new settings.
        self.serve_wanted(&ctx, &wanted);
        self.take_waiting_pictures(&ctx);
        let now = ctx.input(|i| i.time);
        if let Some(doc) = &mut self.ws.doc {
            auto_names::follow(&mut doc.project, &mut self.ws.runtime.auto_names);
            doc.feed_undo(now);
            // "Give it a name" goes once the project has one.
            if self.ws.messages.status.as_deref() == Some(project_file::NEW_PROJECT_MESSAGE)
                && !doc.project.name.trim().is_empty()
            {
                self.ws.messages.status = None;
            }
        }
        self.write_recovery_periodically(&ctx, now);
        self.sync_viewport(&ctx);
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }
}
