//! One enum for every action: menus, buttons and keyboard shortcuts all send a `Command`, and
//! the app applies them once per frame (`ThroughlineApp::apply`).

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::page_commands::{AnalysisKind, NewAnalysis};
use super::plot_export::PlotExport;
use crate::io::report::ReportFormat;
use crate::model::{NoteOn, Page};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start a new, empty project.
    NewProject,
    /// Choose a project file in a dialog, then open it.
    OpenProjectDialog,
    /// Open this project file.
    OpenProject(PathBuf),
    /// Start a new, unsaved project from an example project file.
    NewFromExample(PathBuf),
    /// Save to the project's file (asks for a path the first time).
    Save,
    /// Choose where to save, then save there.
    SaveAsDialog,
    /// Save to this path and keep working on it.
    SaveAs(PathBuf),
    /// Close the project and go back to the welcome screen.
    CloseProject,
    /// Quit Throughline.
    Quit,
    Undo,
    Redo,
    ToggleDarkMode,
    TogglePresentation,
    ShowPage(Page),
    ClearRecentFiles,
    /// Choose data files in a dialog, then add them to the project.
    AddDataFilesDialog,
    /// Add these data files to the project.
    AddDataFiles(Vec<PathBuf>),
    /// Check the file of this dataset and read its first rows for the preview.
    LoadDataset(String),
    /// Count missing values, minimum and maximum over the whole file of this dataset.
    ComputeDataStats(String),
    /// Accept that this dataset's file changed: remember its new fingerprint and read it again.
    AcceptChangedData(String),
    /// Read a page of rows (from this row on) of this dataset for the preview table.
    LoadDataRows(String, u64),
    /// Choose the new place of this dataset's file in a dialog ("Locate file...").
    LocateDataFileDialog(String),
    /// Point this dataset at this file.
    RelinkDataFile(String, PathBuf),
    /// Take this dataset out of the project (the file is untouched).
    RemoveDataset(String),
    /// Choose where to export the one-page summary, then write it.
    ExportReportDialog(ReportFormat),
    /// Write the one-page summary to this file; `.md` or `.html` chooses the format.
    ExportReport(PathBuf),
    /// Restore the recovery copy offered after a crash.
    RecoverAccept,
    /// Throw the recovery copy away.
    RecoverDiscard,
    /// Choose where to save a plot's picture or data, then save it.
    ExportPlotDialog(PlotExport),
    /// Save a plot's picture (PNG) or data (CSV) to this path.
    ExportPlot {
        path: PathBuf,
        export: PlotExport,
    },
    /// Stop this background job (its id in `Jobs`); what it had not finished is dropped.
    CancelJob(u64),
    /// Add this Evidence analysis to the project and show it.
    AddAnalysis(Box<NewAnalysis>),
    /// Take this Evidence analysis out of the project (Undo brings it back).
    RemoveAnalysis {
        kind: AnalysisKind,
        id: String,
    },
    /// Stop computing this analysis (by id); its previous results stay.
    CancelAnalysis(String),
    /// Check this analysis (by id) again and compute it when needed.
    RecomputeAnalysis(String),
    /// Add a scenario filled in from the project's link and objectives, and show it.
    NewScenario,
    /// Copy this scenario (by id) to try other assumptions.
    DuplicateScenario(String),
    /// Delete this scenario (by id); Undo brings it back.
    DeleteScenario(String),
    /// Close the error message shown (the next one, if any, shows next).
    DismissError,
    /// Close the in-app path prompt; `cancelled` when the user chose nothing.
    ClosePathPrompt {
        cancelled: bool,
    },
    /// Pin a new, empty note to a framing step, analysis or scenario.
    AddNote(NoteOn),
    /// Delete this note (by id); Undo brings it back.
    DeleteNote(String),
    /// Make everything larger (Ctrl+=), smaller (Ctrl+-) or the normal size again (Ctrl+0).
    Zoom(ZoomStep),
}

/// A step of the interface zoom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomStep {
    In,
    Out,
    Reset,
}

impl Command {
    /// The commands that have a keyboard shortcut, most specific first (Ctrl+Shift+S before
    /// Ctrl+S), since a shortcut without Shift also matches when Shift is held.
    pub const WITH_SHORTCUTS: [Command; 8] = [
        Command::SaveAsDialog,
        Command::Redo,
        Command::NewProject,
        Command::OpenProjectDialog,
        Command::Save,
        Command::Undo,
        Command::TogglePresentation,
        Command::ToggleDarkMode,
    ];

    /// Label for menus and buttons.
    pub fn label(&self) -> &'static str {
        match self {
            Command::NewProject => "New project",
            Command::OpenProjectDialog => "Open project…",
            Command::OpenProject(_) => "Open project",
            Command::NewFromExample(_) => "New from example",
            Command::Save => "Save",
            Command::SaveAsDialog => "Save as…",
            Command::SaveAs(_) => "Save as",
            Command::CloseProject => "Close project",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::ToggleDarkMode => "Dark mode",
            Command::TogglePresentation => "Presentation mode",
            Command::ShowPage(page) => page.label(),
            Command::ClearRecentFiles => "Clear recent files",
            Command::AddDataFilesDialog => "Add data files…",
            Command::AddDataFiles(_) => "Add data files",
            Command::LoadDataset(_) => "Read the file again",
            Command::ComputeDataStats(_) => "Count missing values",
            Command::LoadDataRows(..) => "Read more rows",
            Command::AcceptChangedData(_) => "Use the changed file",
            Command::LocateDataFileDialog(_) => "Locate file…",
            Command::RelinkDataFile(..) => "Use this file",
            Command::RemoveDataset(_) => "Remove from project",
            Command::ExportReportDialog(ReportFormat::Html) => "Export summary as HTML…",
            Command::ExportReportDialog(ReportFormat::Markdown) => "Export summary as Markdown…",
            Command::ExportReport(_) => "Export summary",
            Command::RecoverAccept => "Recover",
            Command::RecoverDiscard => "Discard",
            Command::ExportPlotDialog(_) => "Export plot…",
            Command::ExportPlot { .. } => "Export plot",
            Command::CancelJob(_) | Command::CancelAnalysis(_) => "Cancel",
            Command::AddAnalysis(_) => "New analysis",
            Command::RemoveAnalysis { .. } => "Remove",
            Command::RecomputeAnalysis(_) => "Compute again",
            Command::NewScenario => "New scenario",
            Command::DuplicateScenario(_) => "Duplicate",
            Command::DeleteScenario(_) => "Delete",
            Command::DismissError => "OK",
            Command::ClosePathPrompt { cancelled: true } => "Cancel",
            Command::ClosePathPrompt { cancelled: false } => "OK",
            Command::AddNote(_) => "Add note",
            Command::DeleteNote(_) => "Delete note",
            Command::Zoom(ZoomStep::In) => "Zoom in",
            Command::Zoom(ZoomStep::Out) => "Zoom out",
            Command::Zoom(ZoomStep::Reset) => "Normal size",
        }
    }

    /// One sentence for the tooltip.
    pub fn tooltip(&self) -> &'static str {
        match self {
            Command::NewProject => "Start a new, empty project.",
            Command::OpenProjectDialog | Command::OpenProject(_) => {
                "Open a Throughline project file (.ron)."
            }
            Command::NewFromExample(_) => {
                "Start a new project from a complete example; the example itself is not changed."
            }
            Command::Save => "Save the project to its file.",
            Command::SaveAsDialog | Command::SaveAs(_) => "Save the project to a new file.",
            Command::CloseProject => "Close the project and return to the welcome screen.",
            Command::Quit => "Quit Throughline.",
            Command::Undo => "Undo the last change to the project.",
            Command::Redo => "Redo the change you just undid.",
            Command::ToggleDarkMode => "Switch between the light and the dark theme.",
            Command::TogglePresentation => "Enlarge everything for a projector or a shared screen.",
            Command::ShowPage(page) => page.explanation(),
            Command::ClearRecentFiles => "Forget the list of recently opened projects.",
            Command::AddDataFilesDialog | Command::AddDataFiles(_) => {
                "Attach CSV, TSV, Parquet, JSON, Arrow or Excel files to the project."
            }
            Command::LoadDataset(_) => {
                "Read the start of the file again and check it is unchanged."
            }
            Command::ComputeDataStats(_) => {
                "Read the whole file to count missing values and find each column's minimum and \
                 maximum."
            }
            Command::LoadDataRows(..) => "Read more rows of the file for the preview.",
            Command::AcceptChangedData(_) => {
                "Accept the file as it is now. Results computed from the old file stay until the \
                 analyses run again."
            }
            Command::LocateDataFileDialog(_) | Command::RelinkDataFile(..) => {
                "Point this dataset at the file's new place; its column roles are kept."
            }
            Command::RemoveDataset(_) => {
                "Take this dataset out of the project. The file itself is not touched."
            }
            Command::ExportReportDialog(ReportFormat::Html) => {
                "Save the one-page summary as a web page that opens in any browser and prints on \
                 one or two pages."
            }
            Command::ExportReportDialog(ReportFormat::Markdown) | Command::ExportReport(_) => {
                "Save the one-page summary as a Markdown text file, for wikis and documents."
            }
            Command::RecoverAccept => "Restore the unsaved work from the recovery copy.",
            Command::RecoverDiscard => "Throw the recovery copy away.",
            Command::ExportPlotDialog(_) | Command::ExportPlot { .. } => {
                "Save the plot as a picture, or the data it shows as a table."
            }
            Command::CancelJob(_) => "Stop this work; what it has not finished is dropped.",
            Command::CancelAnalysis(_) => "Stop computing; the previous results stay.",
            Command::AddAnalysis(_) => "Add an analysis to the project.",
            Command::RemoveAnalysis { .. } => {
                "Remove this analysis from the project (Ctrl+Z brings it back)."
            }
            Command::RecomputeAnalysis(_) => "Check the data again and compute the results.",
            Command::NewScenario => {
                "Add a scenario, filled in from the project's link and objectives."
            }
            Command::DuplicateScenario(_) => "Copy this scenario to try other assumptions.",
            Command::DeleteScenario(_) => "Delete this scenario (Undo brings it back).",
            Command::DismissError => "Close this message.",
            Command::ClosePathPrompt { cancelled: true } => "Close without choosing a file.",
            Command::ClosePathPrompt { cancelled: false } => "Use this path.",
            Command::AddNote(_) => {
                "Pin a note here: what the room said, a question to follow up. Notes are saved \
                 in the project and listed on the Summary."
            }
            Command::DeleteNote(_) => "Delete this note (Undo brings it back).",
            Command::Zoom(ZoomStep::In) => "Make everything larger.",
            Command::Zoom(ZoomStep::Out) => "Make everything smaller.",
            Command::Zoom(ZoomStep::Reset) => "Show everything at its normal size.",
        }
    }

    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let cmd = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        let cmd_shift = |key| {
            Some(KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                key,
            ))
        };
        match self {
            Command::NewProject => cmd(Key::N),
            Command::OpenProjectDialog => cmd(Key::O),
            Command::Save => cmd(Key::S),
            Command::SaveAsDialog => cmd_shift(Key::S),
            Command::Undo => cmd(Key::Z),
            // Ctrl+Y; Ctrl+Shift+Z is handled as well (see `extra_redo_shortcut`).
            Command::Redo => cmd(Key::Y),
            Command::TogglePresentation => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F5)),
            Command::ToggleDarkMode => cmd_shift(Key::D),
            Command::Zoom(ZoomStep::In) => cmd(Key::Equals),
            Command::Zoom(ZoomStep::Out) => cmd(Key::Minus),
            Command::Zoom(ZoomStep::Reset) => cmd(Key::Num0),
            _ => None,
        }
    }

    /// Ctrl+= (or Ctrl+Plus), Ctrl+- and Ctrl+0 change the interface zoom; consumed when pressed.
    pub fn zoom_shortcuts() -> [(KeyboardShortcut, ZoomStep); 4] {
        let cmd = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        [
            (cmd(Key::Num0), ZoomStep::Reset),
            (cmd(Key::Equals), ZoomStep::In),
            (cmd(Key::Plus), ZoomStep::In),
            (cmd(Key::Minus), ZoomStep::Out),
        ]
    }

    /// Ctrl+Shift+Z also redoes.
    pub fn extra_redo_shortcut() -> KeyboardShortcut {
        KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)
    }

    /// Whether running this command replaces the open project (so unsaved changes must be
    /// confirmed first).
    pub fn replaces_project(&self) -> bool {
        matches!(
            self,
            Command::NewProject
                | Command::OpenProject(_)
                | Command::NewFromExample(_)
                | Command::CloseProject
                | Command::Quit
                | Command::RecoverAccept
        )
    }
}

/// The zoom step asked for by a shortcut pressed in this frame, if any (the shortcut is
/// consumed).
pub(super) fn zoom_shortcut(ctx: &egui::Context) -> Option<ZoomStep> {
    Command::zoom_shortcuts()
        .into_iter()
        .find(|(shortcut, _)| ctx.input_mut(|i| i.consume_shortcut(shortcut)))
        .map(|(_, step)| step)
}
