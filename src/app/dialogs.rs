//! Native file dialogs (through rfd) on a worker thread, and the in-app path prompt used when
//! no native dialog can be shown.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::Command;
use super::plot_export::PlotExport;
use crate::io::report::ReportFormat;

/// What a dialog is for.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogKind {
    OpenProject,
    SaveProjectAs {
        suggested_name: String,
    },
    AddDataFiles,
    /// Where to save a plot's picture or data.
    ExportPlot(PlotExport),
    /// The new place of a dataset's file.
    LocateDataFile {
        dataset_id: String,
    },
    ExportReport {
        format: ReportFormat,
        suggested_name: String,
    },
    ExportDeck {
        suggested_name: String,
    },
}

impl DialogKind {
    pub fn title(&self) -> &'static str {
        match self {
            DialogKind::OpenProject => "Open project",
            DialogKind::SaveProjectAs { .. } => "Save project as",
            DialogKind::AddDataFiles => "Add data files",
            DialogKind::ExportPlot(export) => export.format.dialog_title(),
            DialogKind::LocateDataFile { .. } => "Locate data file",
            DialogKind::ExportReport { .. } => "Export summary",
            DialogKind::ExportDeck { .. } => "Export deck",
        }
    }

    /// For a dialog that saves a file: the file type's name, its extension and the suggested
    /// file name (the native dialog's filter and name, and the in-app prompt's path).
    fn save_target(&self) -> Option<(&'static str, &'static str, String)> {
        match self {
            DialogKind::SaveProjectAs { suggested_name } => Some((
                "Throughline project",
                "ron",
                format!("{suggested_name}.ron"),
            )),
            DialogKind::ExportPlot(export) => {
                let (label, extension) = match export.format {
                    super::plot_export::ExportFormat::Png => ("PNG picture", "png"),
                    super::plot_export::ExportFormat::Csv => ("CSV table", "csv"),
                };
                Some((label, extension, export.suggested_file_name()))
            }
            DialogKind::ExportReport {
                format,
                suggested_name,
            } => Some((
                format.label(),
                format.extension(),
                format!("{suggested_name}.{}", format.extension()),
            )),
            DialogKind::ExportDeck { suggested_name } => {
                Some(("Web page", "html", format!("{suggested_name}.html")))
            }
            DialogKind::OpenProject
            | DialogKind::AddDataFiles
            | DialogKind::LocateDataFile { .. } => None,
        }
    }

    /// Turn the chosen path(s) into the command to run.
    pub fn command(&self, mut paths: Vec<PathBuf>) -> Option<Command> {
        match self {
            DialogKind::OpenProject => paths.pop().map(Command::OpenProject),
            DialogKind::SaveProjectAs { .. } => paths.pop().map(Command::SaveAs),
            DialogKind::AddDataFiles => (!paths.is_empty()).then_some(Command::AddDataFiles(paths)),
            DialogKind::ExportPlot(export) => paths.pop().map(|path| Command::ExportPlot {
                path,
                export: export.clone(),
            }),
            DialogKind::LocateDataFile { dataset_id } => paths
                .pop()
                .map(|p| Command::RelinkDataFile(dataset_id.clone(), p)),
            DialogKind::ExportReport { format, .. } => paths
                .pop()
                .map(|p| Command::ExportReport(format.with_extension(p))),
            DialogKind::ExportDeck { .. } => paths
                .pop()
                .map(|p| Command::ExportDeck(crate::io::deck::html::with_html_extension(p))),
        }
    }
}

/// The in-app prompt where the user types or pastes a path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPrompt {
    pub kind: DialogKind,
    pub text: String,
    /// Why the native dialog is not used, shown above the field.
    pub reason: Option<String>,
}

/// How a dialog ended.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogResult {
    Chosen(Command),
    Cancelled,
}

enum Outcome {
    Picked(Command),
    Cancelled,
    /// The dialog returned at once without the user doing anything: it could not be shown.
    Unavailable(DialogKind),
}

pub struct Dialogs {
    native: bool,
    open: bool,
    tx: Sender<Outcome>,
    rx: Receiver<Outcome>,
    /// The in-app path prompt, when shown.
    pub prompt: Option<PathPrompt>,
}

/// The extensions offered in the data file dialogs.
const DATA_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "tab", "parquet", "json", "ndjson", "jsonl", "arrow", "feather", "ipc",
    "xlsx", "xlsm", "xls", "ods",
];

/// Shown when no native dialog is available.
pub const NO_NATIVE_DIALOG: &str = "No system file dialog is available on this computer \
     (Throughline uses the desktop portal or zenity on Linux). Type or paste the path instead.";

impl Dialogs {
    /// `native`: try the system's dialogs (false in tests and where none exists).
    pub fn new(native: bool) -> Self {
        let (tx, rx) = channel();
        Self {
            native: native && native_dialogs_available(),
            open: false,
            tx,
            rx,
            prompt: None,
        }
    }

    pub fn is_open(&self) -> bool {
        self.open || self.prompt.is_some()
    }

    /// Show a dialog of this kind: the native one on a worker thread, or the in-app prompt.
    pub fn show(&mut self, ctx: &egui::Context, kind: DialogKind, start_dir: Option<PathBuf>) {
        if self.is_open() {
            return;
        }
        if !self.native {
            self.prompt = Some(PathPrompt {
                text: suggested_path(&kind, start_dir.as_ref()),
                kind,
                reason: Some(NO_NATIVE_DIALOG.to_string()),
            });
            return;
        }
        self.open = true;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let started = Instant::now();
                let paths = pollster::block_on(run_native(&kind, start_dir));
                let outcome = match kind.command(paths) {
                    Some(command) => Outcome::Picked(command),
                    // A dialog that "returns" in a blink was never shown to the user.
                    None if started.elapsed() < Duration::from_millis(250) => {
                        Outcome::Unavailable(kind)
                    }
                    None => Outcome::Cancelled,
                };
                let _ = tx.send(outcome);
                ctx.request_repaint();
            });
        if spawned.is_err() {
            self.open = false;
        }
    }

    /// The outcome of a native dialog that just closed, if any.
    pub fn poll(&mut self) -> Option<DialogResult> {
        let outcome = self.rx.try_recv().ok()?;
        self.open = false;
        match outcome {
            Outcome::Picked(command) => Some(DialogResult::Chosen(command)),
            Outcome::Cancelled => Some(DialogResult::Cancelled),
            Outcome::Unavailable(kind) => {
                // Do not try the native dialog again this session.
                self.native = false;
                self.prompt = Some(PathPrompt {
                    text: String::new(),
                    kind,
                    reason: Some(NO_NATIVE_DIALOG.to_string()),
                });
                None
            }
        }
    }
}

fn suggested_path(kind: &DialogKind, start_dir: Option<&PathBuf>) -> String {
    let dir = start_dir.cloned().unwrap_or_default();
    match kind.save_target() {
        Some((_, _, file_name)) => dir.join(file_name).display().to_string(),
        None if dir.as_os_str().is_empty() => String::new(),
        None => format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR),
    }
}

async fn run_native(kind: &DialogKind, start_dir: Option<PathBuf>) -> Vec<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new().set_title(kind.title());
    if let Some(dir) = start_dir {
        dialog = dialog.set_directory(dir);
    }
    if let Some((label, extension, file_name)) = kind.save_target() {
        return dialog
            .add_filter(label, &[extension])
            .set_file_name(file_name)
            .save_file()
            .await
            .map(|f| vec![f.path().to_path_buf()])
            .unwrap_or_default();
    }
    match kind {
        DialogKind::AddDataFiles => dialog
            .add_filter("Data files", DATA_EXTENSIONS)
            .add_filter("All files", &["*"])
            .pick_files()
            .await
            .map(|files| files.iter().map(|f| f.path().to_path_buf()).collect())
            .unwrap_or_default(),
        DialogKind::LocateDataFile { .. } => dialog
            .add_filter("Data files", DATA_EXTENSIONS)
            .add_filter("All files", &["*"])
            .pick_file()
            .await
            .map(|f| vec![f.path().to_path_buf()])
            .unwrap_or_default(),
        DialogKind::OpenProject => dialog
            .add_filter("Throughline project", &["ron"])
            .pick_file()
            .await
            .map(|f| vec![f.path().to_path_buf()])
            .unwrap_or_default(),
        // Saving: handled above (`save_target`).
        DialogKind::SaveProjectAs { .. }
        | DialogKind::ExportPlot(_)
        | DialogKind::ExportReport { .. }
        | DialogKind::ExportDeck { .. } => Vec::new(),
    }
}

/// Whether a native dialog can be shown at all. On Linux rfd talks to the desktop portal over
/// D-Bus and falls back to zenity; with neither, it cannot show anything.
fn native_dialogs_available() -> bool {
    if cfg!(target_os = "linux") {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || on_path("zenity")
    } else {
        true
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}
