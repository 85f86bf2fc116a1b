//! The commands pages send about their content (adding and removing Evidence analyses and
//! What-if scenarios, cancelling and recomputing), and what pages want from the app after each
//! frame (keeping the analyses on screen up to date, reading the values of a column). Pages only
//! draw and emit; everything that changes the project's list of analyses or starts, stops or
//! restarts a job happens here, once the frame is drawn.

use std::sync::Arc;

use super::evidence_jobs::{EvidenceAnalysis, PreparedTimeline, keep_up_to_date};
use super::{Command, ThroughlineApp};
use crate::model::{
    DistributionView, ExperimentAnalysis, LinkAnalysis, MetaView, Project, ThresholdAnalysis,
    TimelineView, new_scenario_id, scenario_display_name, starter_scenario, unique_scenario_name,
};

/// The kinds of Evidence analysis a project holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnalysisKind {
    Experiment,
    Link,
    Threshold,
    OverTime,
    Distribution,
    Meta,
}

/// A new analysis to add to the project (built by the page from what it shows, e.g. the columns
/// of the chosen dataset).
#[derive(Clone, Debug, PartialEq)]
pub enum NewAnalysis {
    Experiment(ExperimentAnalysis),
    Link(LinkAnalysis),
    Threshold(ThresholdAnalysis),
    OverTime(TimelineView),
    Distribution(DistributionView),
    Meta(MetaView),
}

impl NewAnalysis {
    pub fn kind(&self) -> AnalysisKind {
        match self {
            NewAnalysis::Experiment(_) => AnalysisKind::Experiment,
            NewAnalysis::Link(_) => AnalysisKind::Link,
            NewAnalysis::Threshold(_) => AnalysisKind::Threshold,
            NewAnalysis::OverTime(_) => AnalysisKind::OverTime,
            NewAnalysis::Distribution(_) => AnalysisKind::Distribution,
            NewAnalysis::Meta(_) => AnalysisKind::Meta,
        }
    }
}

/// What the pages drawn in a frame need from the app. Unlike commands, wanting something does
/// not by itself ask for another frame: the app looks at it after every frame and does only
/// what is not done yet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wanted {
    /// The analyses on screen, by kind and id: the app keeps them up to date (recomputing them
    /// on a worker when their settings or their data changed).
    pub analyses: Vec<(AnalysisKind, String)>,
    /// Columns whose distinct values a page needs (e.g. the variants, for the control picker),
    /// as (dataset id, column): read once on a worker.
    pub column_values: Vec<(String, String)>,
}

impl Wanted {
    /// Keep the analysis `id` of `kind` up to date while it is on screen.
    pub fn analysis(&mut self, kind: AnalysisKind, id: &str) {
        let entry = (kind, id.to_string());
        if !self.analyses.contains(&entry) {
            self.analyses.push(entry);
        }
    }

    /// Read the distinct values of `column` in dataset `dataset_id`.
    pub fn column_values(&mut self, dataset_id: &str, column: &str) {
        let entry = (dataset_id.to_string(), column.to_string());
        if !self.column_values.contains(&entry) {
            self.column_values.push(entry);
        }
    }
}

impl ThroughlineApp {
    /// Run one of the commands of this module.
    pub(super) fn apply_page_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::CancelJob(job) => self.jobs.cancel(job),
            Command::CancelAnalysis(id) => self.ws.runtime.evidence.cancel(&id, &self.jobs),
            Command::RecomputeAnalysis(id) => self.ws.runtime.evidence.refresh(&id),
            Command::AddAnalysis(analysis) => self.add_analysis(*analysis),
            Command::RemoveAnalysis { kind, id } => self.remove_analysis(kind, &id),
            Command::NewScenario => self.new_scenario(),
            Command::DuplicateScenario(id) => self.duplicate_scenario(&id),
            Command::DeleteScenario(id) => self.delete_scenario(ctx, &id),
            _ => {}
        }
    }

    fn add_analysis(&mut self, analysis: NewAnalysis) {
        let Some(doc) = &mut self.ws.doc else { return };
        let project = &mut doc.project;
        let shown = &mut project.view.evidence;
        match analysis {
            NewAnalysis::Experiment(a) => {
                shown.experiment = Some(a.id.clone());
                project.evidence.experiments.push(a);
            }
            NewAnalysis::Link(a) => {
                shown.link = Some(a.id.clone());
                project.evidence.links.push(a);
            }
            NewAnalysis::OverTime(a) => {
                shown.timeline = Some(a.id.clone());
                project.evidence.timelines.push(a);
            }
            NewAnalysis::Distribution(a) => {
                shown.distribution = Some(a.id.clone());
                project.evidence.distributions.push(a);
            }
            NewAnalysis::Meta(a) => {
                shown.meta = Some(a.id.clone());
                project.evidence.metas.push(a);
            }
            NewAnalysis::Threshold(a) => {
                // The What-if page keeps its own choice of threshold analysis (it shows the new
                // one, having asked for it).
                self.ws.messages.info(format!("Added \"{}\".", a.name));
                project.evidence.thresholds.push(a);
            }
        }
    }

    fn remove_analysis(&mut self, kind: AnalysisKind, id: &str) {
        let Some(doc) = &mut self.ws.doc else { return };
        let project = &mut doc.project;
        let shown = &mut project.view.evidence;
        let evidence = &mut project.evidence;
        let removed = match kind {
            AnalysisKind::Experiment => {
                shown.experiment = None;
                remove_by_id(&mut evidence.experiments, id)
            }
            AnalysisKind::Link => {
                shown.link = None;
                remove_by_id(&mut evidence.links, id)
            }
            AnalysisKind::OverTime => {
                shown.timeline = None;
                remove_by_id(&mut evidence.timelines, id)
            }
            AnalysisKind::Distribution => {
                shown.distribution = None;
                remove_by_id(&mut evidence.distributions, id)
            }
            AnalysisKind::Meta => {
                shown.meta = None;
                remove_by_id(&mut evidence.metas, id)
            }
            AnalysisKind::Threshold => remove_by_id(&mut evidence.thresholds, id),
        };
        if removed {
            self.ws.runtime.evidence.forget(id);
        }
    }

    fn new_scenario(&mut self) {
        let Some(doc) = &mut self.ws.doc else { return };
        let project = &mut doc.project;
        let s = starter_scenario(project);
        project.view.selected_scenario = Some(s.id.clone());
        self.ws
            .messages
            .info(format!("Added \"{}\".", scenario_display_name(&s)));
        project.scenarios.push(s);
    }

    fn duplicate_scenario(&mut self, id: &str) {
        let Some(doc) = &mut self.ws.doc else { return };
        let project = &mut doc.project;
        let Some(i) = project.scenarios.iter().position(|s| s.id == id) else {
            return;
        };
        let Some(original) = project.scenarios.get(i) else {
            return;
        };
        let mut copy = original.clone();
        copy.id = new_scenario_id(project);
        copy.name = unique_scenario_name(
            project,
            &format!("{} (copy)", scenario_display_name(original)),
        );
        project.view.selected_scenario = Some(copy.id.clone());
        self.ws
            .messages
            .info(format!("Duplicated as \"{}\".", copy.name));
        project.scenarios.insert(i + 1, copy);
    }

    fn delete_scenario(&mut self, ctx: &egui::Context, id: &str) {
        let Some(doc) = &mut self.ws.doc else { return };
        let project = &mut doc.project;
        let Some(i) = project.scenarios.iter().position(|s| s.id == id) else {
            return;
        };
        let removed = project.scenarios.remove(i);
        let next = project
            .scenarios
            .get(i)
            .or_else(|| project.scenarios.last())
            .map(|s| s.id.clone());
        project.view.selected_scenario = next;
        let undo = ctx.format_shortcut(&egui::KeyboardShortcut::new(
            egui::Modifiers::COMMAND,
            egui::Key::Z,
        ));
        self.ws.messages.info(format!(
            "Deleted \"{}\". Undo with {undo} to bring it back.",
            scenario_display_name(&removed)
        ));
    }

    /// Do what the pages of the frame just drawn want: keep the analyses on screen up to date,
    /// prepare their drawable series, read the values of columns. Cheap when nothing changed.
    pub(super) fn serve_wanted(&mut self, ctx: &egui::Context, wanted: &Wanted) {
        let Some(doc) = &self.ws.doc else { return };
        let project = &doc.project;
        let base_dir = doc.base_dir();
        let mut keep = Keep {
            ctx,
            project,
            base_dir,
            runtime: &mut self.ws.runtime.evidence,
            jobs: &mut self.jobs,
        };
        for (kind, id) in &wanted.analyses {
            match kind {
                AnalysisKind::Experiment => keep.by_id::<ExperimentAnalysis>(id),
                AnalysisKind::Link => keep.by_id::<LinkAnalysis>(id),
                AnalysisKind::Threshold => keep.by_id::<ThresholdAnalysis>(id),
                AnalysisKind::Distribution => keep.by_id::<DistributionView>(id),
                AnalysisKind::Meta => keep.by_id::<MetaView>(id),
                AnalysisKind::OverTime => {
                    keep.by_id::<TimelineView>(id);
                    if prepare_timeline(project, keep.runtime, id) {
                        ctx.request_repaint();
                    }
                }
            }
        }
        for (dataset_id, column) in &wanted.column_values {
            if let Some(dataset) = project.dataset(dataset_id) {
                keep.runtime
                    .read_column_values(ctx, keep.jobs, dataset, base_dir, column);
            }
        }
    }
}

/// What keeping one analysis up to date needs.
struct Keep<'a> {
    ctx: &'a egui::Context,
    project: &'a Project,
    base_dir: Option<&'a std::path::Path>,
    runtime: &'a mut super::evidence_jobs::EvidenceRuntime,
    jobs: &'a mut super::Jobs,
}

impl Keep<'_> {
    fn by_id<A: EvidenceAnalysis>(&mut self, id: &str) {
        if let Some(analysis) = A::all(self.project).iter().find(|a| a.id() == id) {
            keep_up_to_date(
                self.ctx,
                analysis,
                self.project,
                self.base_dir,
                self.runtime,
                self.jobs,
            );
        }
    }
}

/// Build the drawable series of over-time view `id` from its saved result when the runtime has
/// none for that result yet. Returns whether it did.
fn prepare_timeline(
    project: &Project,
    runtime: &mut super::evidence_jobs::EvidenceRuntime,
    id: &str,
) -> bool {
    let Some(view) = project.evidence.timelines.iter().find(|v| v.id == id) else {
        return false;
    };
    let Some((stamp, data)) = &view.result else {
        return false;
    };
    if runtime.timelines.get(id).is_some_and(|p| &p.stamp == stamp) {
        return false;
    }
    runtime.timelines.insert(
        id.to_string(),
        Arc::new(PreparedTimeline::new(stamp.clone(), data)),
    );
    true
}

fn remove_by_id<A: EvidenceAnalysis>(all: &mut Vec<A>, id: &str) -> bool {
    let before = all.len();
    all.retain(|a| a.id() != id);
    all.len() != before
}
