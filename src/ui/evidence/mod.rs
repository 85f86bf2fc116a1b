//! The Evidence page: did the ML improvement move the business? Four views, each on one kind
//! of analysis saved in the project: experiment results, ML vs business, over time and
//! distributions. Results come from the project's cache, kept up to date by workers
//! (`app::evidence_jobs`); this module only draws them and edits the settings.

mod distribution;
mod experiment;
mod link;
mod meta;
mod timeline;
pub mod tips;

pub(crate) use experiment::decision_block_ui;

use crate::analysis::series::format_date;
use crate::app::evidence_jobs::{
    EvidenceAnalysis, EvidenceRuntime, RunState, RunStatus, settings_hash,
};
use crate::app::{AnalysisKind, Command, NewAnalysis};
use crate::model::{
    CacheStamp, ColumnRole, ColumnSpec, Dataset, EvidenceTab, EvidenceViewSettings, Page, Project,
};

use super::{PageContext, theme};

pub fn evidence_page_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    theme::page_title(ui, "Evidence", Page::Evidence.explanation());
    tabs_ui(ui, &mut cx.project.view.evidence.tab);
    ui.add_space(theme::SECTION_GAP / 2.0);
    match cx.project.view.evidence.tab {
        EvidenceTab::Experiments => experiment::experiment_view_ui(ui, cx),
        EvidenceTab::Link => link::link_view_ui(ui, cx),
        EvidenceTab::OverTime => timeline::timeline_view_ui(ui, cx),
        EvidenceTab::Distributions => distribution::distribution_view_ui(ui, cx),
        EvidenceTab::PastExperiments => meta::meta_view_ui(ui, cx),
    }
}

fn tabs_ui(ui: &mut egui::Ui, tab: &mut EvidenceTab) {
    ui.horizontal(|ui| {
        for candidate in EvidenceTab::ALL {
            let text = egui::RichText::new(candidate.label()).size(15.5);
            let response = ui
                .add(
                    egui::Button::selectable(*tab == candidate, text)
                        .min_size(egui::vec2(0.0, 30.0)),
                )
                .on_hover_text(candidate.explanation());
            if response.clicked() {
                *tab = candidate;
            }
        }
    });
    ui.label(egui::RichText::new(tab.explanation()).weak());
}

/// A column name for people (in the core, so the report and the Summary say it the same way).
pub use crate::format::readable;

/// A new id, unique among `existing`: `prefix-1`, `prefix-2`, …
fn new_id<'a>(prefix: &str, existing: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| !existing.clone().any(|e| e == id))
        .unwrap_or_else(|| prefix.to_string())
}

/// What the start of a view on one kind of analysis needs: the picker's words, what the page
/// says while there is none, which analysis the project shows, and how a new one starts.
struct ViewKind<A> {
    /// The picker's label ("Link").
    label: &'static str,
    /// The button that adds one ("New link").
    new_label: &'static str,
    /// The name of an analysis without one, before its position ("Link" gives "Link 2").
    unnamed: &'static str,
    /// What the page says while the project has no analysis of this kind.
    empty: &'static str,
    selected: fn(&mut EvidenceViewSettings) -> &mut Option<String>,
    new: fn(&Project) -> A,
    /// Which kind it is, for the commands that add and remove one.
    kind: AnalysisKind,
    wrap: fn(A) -> NewAnalysis,
}

/// The start of every view: the picker row (choose, add, remove), the message while there is
/// no analysis, and asking the app to keep the chosen analysis up to date. Returns the index of
/// the analysis to draw, or `None` when there is nothing (more) to draw this frame.
fn pick_and_refresh<A: EvidenceAnalysis>(
    ui: &mut egui::Ui,
    cx: &mut PageContext<'_>,
    kind: &ViewKind<A>,
) -> Option<usize> {
    let names = A::all(cx.project)
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.id().to_string(),
                name_or(a.name(), || format!("{} {}", kind.unnamed, i + 1)),
            )
        })
        .collect();
    let picker = Picker {
        label: kind.label,
        new_label: kind.new_label,
        names,
    };
    let (index, action) = picker.ui(ui, (kind.selected)(&mut cx.project.view.evidence));
    match action {
        PickerAction::New => {
            let analysis = (kind.new)(cx.project);
            cx.commands
                .push(Command::AddAnalysis(Box::new((kind.wrap)(analysis))));
            return None;
        }
        PickerAction::Remove(i) => {
            if let Some(removed) = A::all(cx.project).get(i) {
                cx.commands.push(Command::RemoveAnalysis {
                    kind: kind.kind,
                    id: removed.id().to_string(),
                });
            }
            return None;
        }
        PickerAction::AddNote(i) => {
            if let Some(shown) = A::all(cx.project).get(i) {
                let on = crate::model::NoteOn::Analysis(shown.id().to_string());
                cx.commands.push(Command::AddNote(on));
            }
        }
        PickerAction::None => {}
    }
    let Some(i) = index else {
        empty_ui(ui, kind.empty);
        return None;
    };
    if let Some(analysis) = A::all(cx.project).get(i) {
        let on = crate::model::NoteOn::Analysis(analysis.id().to_string());
        cx.wanted.analysis(kind.kind, analysis.id());
        super::notes::pinned_notes_ui(ui, cx, &on);
    }
    Some(i)
}

/// The start of most views: the picker (see `pick_and_refresh`), the analysis's settings, and
/// its status (computing, failed, out of date). Returns the index of the analysis to draw.
fn open_view<A: EvidenceAnalysis>(
    ui: &mut egui::Ui,
    cx: &mut PageContext<'_>,
    kind: &ViewKind<A>,
    settings: impl FnOnce(&mut egui::Ui, &mut Project, usize),
) -> Option<usize> {
    let i = pick_and_refresh(ui, cx, kind)?;
    settings(ui, cx.project, i);
    let analysis = A::all(cx.project).get(i)?;
    status_ui(
        ui,
        analysis,
        cx.project,
        &cx.runtime.evidence,
        cx.jobs,
        cx.commands,
    );
    Some(i)
}

/// The row above each view: which analysis is shown, and buttons to add or remove one.
/// Returns the index of the analysis shown, if any.
struct Picker<'a> {
    label: &'a str,
    new_label: &'a str,
    names: Vec<(String, String)>,
}

enum PickerAction {
    None,
    New,
    Remove(usize),
    /// Pin a note to the analysis shown.
    AddNote(usize),
}

impl Picker<'_> {
    fn ui(
        &self,
        ui: &mut egui::Ui,
        selected: &mut Option<String>,
    ) -> (Option<usize>, PickerAction) {
        // Without a (valid) selection the first analysis is shown; the project only changes
        // when the user picks one.
        let index = selected
            .as_ref()
            .and_then(|id| self.names.iter().position(|(i, _)| i == id))
            .or_else(|| (!self.names.is_empty()).then_some(0));
        let mut action = PickerAction::None;
        ui.horizontal(|ui| {
            if let Some(current) = index {
                let label = ui.label(self.label);
                let shown = self
                    .names
                    .get(current)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default();
                egui::ComboBox::from_id_salt(("picker", self.label))
                    .selected_text(shown)
                    .width(280.0)
                    .show_ui(ui, |ui| {
                        for (k, (id, name)) in self.names.iter().enumerate() {
                            if ui.selectable_label(k == current, name).clicked() {
                                *selected = Some(id.clone());
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            }
            if ui.button(self.new_label).clicked() {
                action = PickerAction::New;
            }
            if let Some(current) = index
                && ui
                    .button("Remove")
                    .on_hover_text("Remove this analysis from the project (Ctrl+Z brings it back).")
                    .clicked()
            {
                action = PickerAction::Remove(current);
            }
            if let Some(current) = index
                && super::notes::add_note_button(ui)
            {
                action = PickerAction::AddNote(current);
            }
        });
        let index = selected
            .as_ref()
            .and_then(|id| self.names.iter().position(|(i, _)| i == id))
            .or(index);
        (index, action)
    }
}

/// A display name: the analysis' name, or its position when it has none.
fn name_or(name: &str, fallback: impl FnOnce() -> String) -> String {
    if name.trim().is_empty() {
        fallback()
    } else {
        name.trim().to_string()
    }
}

/// A combo box for a dataset of the project.
fn dataset_combo(
    ui: &mut egui::Ui,
    label: &str,
    dataset_id: &mut String,
    datasets: &[Dataset],
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let shown = datasets
            .iter()
            .find(|d| &d.id == dataset_id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "Choose…".to_string());
        egui::ComboBox::from_id_salt(("dataset", label.id))
            .selected_text(shown)
            .width(280.0)
            .show_ui(ui, |ui| {
                for d in datasets {
                    if ui.selectable_label(&d.id == dataset_id, &d.name).clicked()
                        && &d.id != dataset_id
                    {
                        *dataset_id = d.id.clone();
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if datasets.is_empty() {
            ui.label(egui::RichText::new("Add data files on the Data page first.").weak());
        }
    });
    changed
}

/// The columns of a dataset with one of `roles` first, then the others.
fn columns_by_role<'a>(dataset: Option<&'a Dataset>, roles: &[ColumnRole]) -> Vec<&'a ColumnSpec> {
    let Some(dataset) = dataset else {
        return Vec::new();
    };
    let mut columns: Vec<&ColumnSpec> = dataset.columns.iter().collect();
    columns.sort_by_key(|c| !roles.contains(&c.role));
    columns
}

/// A combo box for a column; `allow_none` adds a "None" entry.
fn column_combo(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    columns: &[&ColumnSpec],
    allow_none: Option<&str>,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        let label_response = ui.label(label);
        let shown = if value.is_empty() {
            allow_none.unwrap_or("Choose…").to_string()
        } else {
            crate::ui::labels::picker(value)
        };
        egui::ComboBox::from_id_salt(("column", label))
            .selected_text(shown)
            .width(220.0)
            .show_ui(ui, |ui| {
                if let Some(none) = allow_none
                    && ui.selectable_label(value.is_empty(), none).clicked()
                    && !value.is_empty()
                {
                    value.clear();
                    changed = true;
                }
                for c in columns {
                    let text = if c.role == ColumnRole::Ignore {
                        crate::ui::labels::picker(&c.name)
                    } else {
                        format!(
                            "{}  ({})",
                            crate::ui::labels::picker(&c.name),
                            c.role.label()
                        )
                    };
                    if ui.selectable_label(*value == c.name, text).clicked() && *value != c.name {
                        *value = c.name.clone();
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label_response.id);
    });
    changed
}

/// A combo box over fixed choices.
fn choice_combo<T: PartialEq + Copy>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    choices: &[(T, &str)],
    tip: &str,
) {
    ui.horizontal(|ui| {
        let label_response = ui.label(label).on_hover_text(tip);
        let shown = choices
            .iter()
            .find(|(c, _)| c == value)
            .map(|(_, t)| *t)
            .unwrap_or("");
        egui::ComboBox::from_id_salt(("choice", label))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (choice, text) in choices {
                    ui.selectable_value(value, *choice, *text);
                }
            })
            .response
            .labelled_by(label_response.id)
            .on_hover_text(tip);
    });
}

/// The significance levels offered.
const ALPHAS: [(f64, &str); 3] = [
    (0.01, "0.01 (99% intervals)"),
    (0.05, "0.05 (95% intervals)"),
    (0.10, "0.10 (90% intervals)"),
];

fn alpha_combo(ui: &mut egui::Ui, alpha: &mut f64) {
    ui.horizontal(|ui| {
        let label = ui
            .label("Significance level")
            .on_hover_text(tips::stat(tips::Statistic::Alpha));
        let shown = ALPHAS
            .iter()
            .find(|(a, _)| (a - *alpha).abs() < 1e-9)
            .map(|(_, t)| (*t).to_string())
            .unwrap_or_else(|| format!("{alpha}"));
        egui::ComboBox::from_id_salt(("alpha", label.id))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (a, text) in ALPHAS {
                    if ui
                        .selectable_label((a - *alpha).abs() < 1e-9, text)
                        .clicked()
                    {
                        *alpha = a;
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(tips::stat(tips::Statistic::Alpha));
    });
}

/// "95 %" for alpha 0.05.
fn confidence_label(alpha: f64) -> String {
    format!("{}%", crate::format::confidence_level(alpha))
}

/// When a result was computed, in words: "2026-03-01 14:05 UTC".
fn computed_at(stamp: &CacheStamp) -> String {
    let secs = stamp.computed_unix_secs;
    if secs <= 0 {
        return "an earlier session".to_string();
    }
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(days as f64),
        rest / 3600,
        (rest % 3600) / 60
    )
}

/// The line under the settings that says where the shown result comes from: computing (with
/// progress and Cancel), up to date, saved results with the data missing, or what is missing.
pub(crate) fn status_ui<A: EvidenceAnalysis>(
    ui: &mut egui::Ui,
    analysis: &A,
    project: &Project,
    runtime: &EvidenceRuntime,
    jobs: &crate::app::Jobs,
    commands: &mut Vec<Command>,
) {
    let id = analysis.id();
    let stamp = analysis.stamp();
    let settings = analysis.settings();
    let stale = stamp.is_some_and(|s| {
        !s.settings_hash.is_empty() && s.settings_hash != settings_hash(&settings)
    });
    let file = project
        .dataset(analysis.dataset_id())
        .map(|d| d.name.clone())
        .unwrap_or_default();
    if crate::app::data_use::data_file_removed(project, analysis.dataset_id(), stamp.is_some()) {
        removed_data_ui(ui);
        return;
    }
    let Some(status) = runtime.status(id, jobs) else {
        if let Some(stamp) = stamp {
            weak_ui(ui, format!("Results saved on {}.", computed_at(stamp)));
        }
        return;
    };
    let again = |ui: &mut egui::Ui, text: &str, commands: &mut Vec<Command>| {
        if ui.small_button(text).clicked() {
            commands.push(Command::RecomputeAnalysis(id.to_string()));
        }
    };
    ui.horizontal_wrapped(|ui| match status.state {
        RunState::Running { .. } => {
            running_ui(ui, &status, stamp, stale);
            let cancel = Command::CancelAnalysis(id.to_string());
            if ui
                .small_button(cancel.label())
                .on_hover_text(cancel.tooltip())
                .clicked()
            {
                commands.push(cancel);
            }
        }
        RunState::UpToDate => {
            if stamp.is_some() {
                weak_ui(ui, format!("Up to date with the data in \"{file}\"."));
            }
        }
        RunState::DataMissing { ref path } => {
            data_missing_ui(ui, path, stamp, stale);
            again(ui, "Look again", commands);
        }
        RunState::Failed(ref message) => {
            let color = theme::error_color(ui.visuals().dark_mode);
            ui.label(egui::RichText::new(message).color(color));
            again(ui, "Try again", commands);
        }
        RunState::Cancelled => {
            ui.label("Computing was cancelled.");
            again(ui, "Compute again", commands);
        }
        RunState::Incomplete(ref missing) => {
            ui.label(egui::RichText::new(format!("To see results: {missing}")).strong());
        }
    });
}

/// Results whose data file was taken out of the project: shown, but marked out of date.
fn removed_data_ui(ui: &mut egui::Ui) {
    let color = theme::warning_color(ui.visuals().dark_mode);
    ui.add(
        egui::Label::new(
            egui::RichText::new(format!(
                "Out of date: {} Choose a data file in Settings, or undo the removal.",
                crate::app::data_use::REMOVED_NOTE
            ))
            .color(color)
            .strong(),
        )
        .wrap(),
    );
}

fn weak_ui(ui: &mut egui::Ui, text: String) {
    ui.label(egui::RichText::new(text).weak());
}

fn running_ui(ui: &mut egui::Ui, status: &RunStatus, stamp: Option<&CacheStamp>, stale: bool) {
    ui.spinner();
    ui.label(if status.message.is_empty() {
        "Computing…".to_string()
    } else {
        format!("{}…", status.message)
    });
    if let Some(f) = status.fraction {
        ui.add(
            egui::ProgressBar::new(f)
                .desired_width(160.0)
                .show_percentage(),
        );
    }
    if let Some(stamp) = stamp {
        weak_ui(
            ui,
            if stale {
                "Until then, the results shown are those of the previous settings.".to_string()
            } else {
                format!("Showing the results from {}.", computed_at(stamp))
            },
        );
    }
}

fn data_missing_ui(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    stamp: Option<&CacheStamp>,
    stale: bool,
) {
    let color = theme::warning_color(ui.visuals().dark_mode);
    let text = match stamp {
        Some(stamp) => format!(
            "The data file \"{}\" cannot be found. Showing the results saved on {}{}; they \
             update once the file is back (re-link it on the Data page).",
            crate::app::file_label(path),
            computed_at(stamp),
            if stale {
                ", computed with earlier settings"
            } else {
                ""
            }
        ),
        None => format!(
            "The data file \"{}\" cannot be found, and no saved results exist. Re-link it \
             on the Data page.",
            crate::app::file_label(path)
        ),
    };
    ui.label(egui::RichText::new("Saved results:").strong().color(color));
    ui.label(egui::RichText::new(text).color(color))
        .on_hover_text(format!("Looked for {}", path.display()));
}

/// A framed message in the warning colour (e.g. the sample-ratio check failed).
fn banner_ui(ui: &mut egui::Ui, title: &str, text: &str, tip: &str) {
    let dark = ui.visuals().dark_mode;
    let color = theme::warning_color(dark);
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.5, color))
        .fill(color.gamma_multiply(0.08))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(theme::READABLE_WIDTH * 1.3));
            ui.label(egui::RichText::new(title).strong().color(color))
                .on_hover_text(tip);
            ui.label(text).on_hover_text(tip);
        });
}

/// An empty state: what the view shows and how to start.
fn empty_ui(ui: &mut egui::Ui, text: &str) {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_max_width(theme::READABLE_WIDTH);
            ui.label(text);
        });
}

/// The text label that heads a table column, with its tooltip.
fn header_ui(ui: &mut egui::Ui, text: &str, tip: &str) {
    let response = ui.label(egui::RichText::new(text).strong());
    if !tip.is_empty() {
        response.on_hover_text(tip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_read_as_words_with_units() {
        assert_eq!(readable("revenue_per_user_usd"), "revenue per user (USD)");
        assert_eq!(readable("latency_ms"), "latency (ms)");
        assert_eq!(readable("offline_accuracy"), "offline accuracy");
        assert_eq!(readable("usd"), "usd");
    }
}
