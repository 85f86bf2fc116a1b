//! Keeping the Evidence page's analyses up to date: when an analysis' settings or its data
//! change, it is recomputed on a worker thread with progress and cancel, and the result is
//! written into the project's cache. A project whose data is missing keeps its cached results
//! (the page marks them as such).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::{ApplyResult, JobStatus, Jobs, Progress, Workspace};
use crate::analysis::series::ReducibleSeries;
use crate::model::{
    Analysis, CacheStamp, Dataset, DistributionView, ExperimentAnalysis, Fingerprint, LinkAnalysis,
    Project, ThresholdAnalysis, TimelineData, TimelineView,
};

mod kinds;

/// Most points an over-time view keeps in the project file; larger series are read again from
/// the data (the project stays small and quick to save).
pub const MAX_CACHED_TIMELINE_POINTS: usize = 20_000;

/// What the Evidence page knows about its analyses while the project is open (not saved).
#[derive(Default)]
pub struct EvidenceRuntime {
    runs: HashMap<String, Run>,
    /// Results computed this session, by (analysis id, settings hash): undo and redo bring an
    /// analysis' earlier settings back, and their results come back from here at once.
    memo: HashMap<(String, String), Box<dyn std::any::Any + Send>>,
    /// Over-time series prepared for drawing at any zoom, per view id.
    pub timelines: HashMap<String, Arc<PreparedTimeline>>,
    /// Distinct values of a column (e.g. the variants, for the control picker), by (dataset
    /// id, column): `None` while being read.
    values: HashMap<(String, String), Option<Vec<String>>>,
}

/// Most distinct values read for a picker.
const MAX_PICKER_VALUES: usize = 200;

/// The series of an over-time view, ready to be reduced for any zoom.
#[derive(Clone, Debug, Default)]
pub struct PreparedTimeline {
    /// The stamp of the result the series were built from (to notice a newer result).
    pub stamp: CacheStamp,
    pub series: Vec<PreparedSeries>,
    /// Deployments found in the data: (days since 1970-01-01, label).
    pub deployments: Vec<(f64, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct PreparedSeries {
    pub series: String,
    pub metric: String,
    pub points: Arc<ReducibleSeries>,
    /// The usual distance between two points in x (the median step): a much larger step is
    /// a gap in the data, drawn as a break in the line.
    pub typical_step: f64,
}

impl PreparedTimeline {
    /// Build the drawable series (sorting and the reduction pyramid: O(n), run it on a worker
    /// for large series).
    pub fn new(stamp: CacheStamp, data: &TimelineData) -> Self {
        Self {
            stamp,
            series: data
                .series
                .iter()
                .map(|s| {
                    let points = ReducibleSeries::new(&s.points);
                    PreparedSeries {
                        series: s.series.clone(),
                        metric: s.metric.clone(),
                        typical_step: crate::analysis::series::typical_step(points.xs()),
                        points: Arc::new(points),
                    }
                })
                .collect(),
            deployments: data.deployments.clone(),
        }
    }
}

/// Where an analysis stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// A worker is checking the data or computing.
    Running { job: u64 },
    /// The shown result matches the settings and the data.
    UpToDate,
    /// The settings are not complete yet: this is what is missing.
    Incomplete(String),
    /// The data file cannot be found; the cached result (if any) is shown.
    DataMissing { path: PathBuf },
    /// The computation failed; the message is for the user.
    Failed(String),
    /// The computation was cancelled; the previous result (if any) is shown.
    Cancelled,
}

struct Run {
    /// The settings and dataset the current (or last) job was started for, as RON text.
    requested: String,
    state: RunState,
}

/// What the page shows about a run, with its progress when running.
#[derive(Clone, Debug, PartialEq)]
pub struct RunStatus {
    pub state: RunState,
    pub fraction: Option<f32>,
    pub message: String,
}

impl EvidenceRuntime {
    /// The status of analysis `id` (`None` before it was first checked).
    pub fn status(&self, id: &str, jobs: &Jobs) -> Option<RunStatus> {
        let run = self.runs.get(id)?;
        let mut status = RunStatus {
            state: run.state.clone(),
            fraction: None,
            message: String::new(),
        };
        if let RunState::Running { job } = run.state
            && let Some(JobStatus {
                fraction, message, ..
            }) = jobs.status().into_iter().find(|s| s.id == job)
        {
            status.fraction = fraction;
            status.message = message;
        }
        Some(status)
    }

    /// Stop the computation of analysis `id`.
    pub fn cancel(&mut self, id: &str, jobs: &Jobs) {
        if let Some(run) = self.runs.get(id)
            && let RunState::Running { job } = run.state
        {
            jobs.cancel(job);
        }
    }

    /// Forget analysis `id` (after it was removed), so a new one with the same id starts fresh.
    pub fn forget(&mut self, id: &str) {
        self.runs.remove(id);
        self.timelines.remove(id);
    }

    /// The distinct values of `column` in dataset `dataset_id` (in order of first appearance,
    /// at most 200); `None` until read (pages ask for them in `Wanted::column_values`) or when
    /// the file cannot be read.
    pub fn column_values(&self, dataset_id: &str, column: &str) -> Option<&[String]> {
        self.values
            .get(&(dataset_id.to_string(), column.to_string()))
            .and_then(|v| v.as_deref())
    }

    /// Read the distinct values of `column` in `dataset` on a worker, the first time they are
    /// asked for (see `column_values`).
    pub fn read_column_values(
        &mut self,
        ctx: &egui::Context,
        jobs: &mut Jobs,
        dataset: &Dataset,
        base_dir: Option<&Path>,
        column: &str,
    ) {
        let key = (dataset.id.clone(), column.to_string());
        if self.values.contains_key(&key) {
            return;
        }
        self.values.insert(key.clone(), None);
        let path = crate::data::dataset_path(dataset, base_dir);
        let options = dataset.options.clone();
        let column = column.to_string();
        let label = format!("Reading the values of {column}");
        jobs.spawn(ctx, label, move |progress| {
            let values = kinds::distinct_text(&path, &options, &column, progress);
            Box::new(move |ws: &mut Workspace| {
                if let Ok(values) = values {
                    ws.runtime.evidence.values.insert(key, Some(values));
                }
            })
        });
    }

    /// Check the analysis again (and recompute it if needed), e.g. after the user asked to.
    pub fn refresh(&mut self, id: &str) {
        self.runs.remove(id);
    }

    fn set_state(&mut self, id: &str, requested: &str, state: RunState) {
        if let Some(run) = self.runs.get_mut(id)
            && run.requested == requested
        {
            run.state = state;
        }
    }
}

/// What the evidence jobs need to know about each kind of analysis, asked of its spec (what
/// the user chose). Implemented once per kind in `kinds.rs`; everything shared by all kinds
/// (id, name, stamp, the settings a result depends on) is [`EvidenceAnalysis`], implemented
/// once for every [`Analysis`].
pub trait EvidenceSpec: Clone + PartialEq + Send + Sync + 'static {
    /// What the project keeps of a computation.
    type Result: Clone + Send + 'static;
    /// What a worker computes (the result, or more, e.g. series prepared for drawing).
    type Output: Clone + Send + 'static;
    /// A label for the status bar ("Experiment results", …).
    const KIND: &'static str;

    fn dataset_id(&self) -> &str;
    /// The spec as far as the result depends on it: choices that only change what is shown
    /// (which p-value, which chart) are reset, so changing them does not recompute.
    fn computed_part(&self) -> Self {
        self.clone()
    }
    /// What is still missing before the analysis can run, in words for the user.
    fn missing_setting(&self) -> Option<String>;
    /// Other datasets the analysis reads besides its own (e.g. a file of deployment dates).
    fn extra_dataset_ids(&self) -> Vec<String> {
        Vec::new()
    }
    /// Whether the data must be read even when the stamp says the result is up to date (e.g.
    /// a large over-time series that is not kept in the file).
    fn needs_data_when_fresh(_result: Option<&Self::Result>) -> bool {
        false
    }
    /// Whether an output is small enough to keep in memory for undo and redo.
    fn worth_remembering(_output: &Self::Output) -> bool {
        true
    }
    /// Compute on a worker: one call of the core (`data::aggregate::run_*`).
    fn compute(&self, files: &JobFiles<'_>, progress: &Progress) -> Result<Self::Output, String>;
    /// What the project keeps of an output (the runtime may keep more, for drawing).
    fn keep(
        id: &str,
        stamp: &CacheStamp,
        output: Self::Output,
        runtime: &mut EvidenceRuntime,
    ) -> Option<Self::Result>;
    /// The analyses of this kind in a project.
    fn all(project: &Project) -> &[Analysis<Self, Self::Result>];
    fn all_mut(project: &mut Project) -> &mut Vec<Analysis<Self, Self::Result>>;
}

/// The files a job reads: the analysis' own and any others it names.
pub struct JobFiles<'a> {
    pub path: &'a Path,
    pub dataset: &'a Dataset,
    /// Other datasets with their files (e.g. deployment dates).
    pub extra: &'a [(PathBuf, Dataset)],
}

/// The parts of an analysis the evidence jobs and the Evidence page use, the same for every
/// kind (implemented once, for every [`Analysis`] whose spec is an [`EvidenceSpec`]).
pub trait EvidenceAnalysis: Clone + Serialize + Send + 'static {
    type Spec: EvidenceSpec;
    /// A label for the status bar ("Experiment results", …).
    const KIND: &'static str;

    fn id(&self) -> &str;
    fn name(&self) -> &str;
    fn spec(&self) -> &Self::Spec;
    fn dataset_id(&self) -> &str;
    fn stamp(&self) -> Option<&CacheStamp>;
    /// The computed result the project keeps, if any.
    fn output(&self) -> Option<&<Self::Spec as EvidenceSpec>::Result>;
    /// The analysis without its result, and its spec as far as a result depends on it: what
    /// a result depends on (hashed into the cache stamp).
    fn settings(&self) -> Self;
    /// What is still missing before the analysis can run, in words for the user.
    fn missing_setting(&self) -> Option<String>;
    /// Store a computed output in the project (`self` is the analysis in the project) and in
    /// the runtime.
    fn store(
        &mut self,
        stamp: CacheStamp,
        output: <Self::Spec as EvidenceSpec>::Output,
        runtime: &mut EvidenceRuntime,
    );
    /// The analyses of this kind in a project.
    fn all(project: &Project) -> &[Self];
    fn all_mut(project: &mut Project) -> &mut Vec<Self>;
}

impl<S: EvidenceSpec> EvidenceAnalysis for Analysis<S, S::Result>
where
    Analysis<S, S::Result>: Serialize,
{
    type Spec = S;
    const KIND: &'static str = S::KIND;

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn spec(&self) -> &S {
        &self.spec
    }
    fn dataset_id(&self) -> &str {
        self.spec.dataset_id()
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        Analysis::stamp(self)
    }
    fn output(&self) -> Option<&S::Result> {
        Analysis::output(self)
    }
    fn settings(&self) -> Self {
        Self {
            id: self.id.clone(),
            name: self.name.clone(),
            spec: self.spec.computed_part(),
            result: None,
        }
    }
    fn missing_setting(&self) -> Option<String> {
        self.spec.missing_setting()
    }
    fn store(&mut self, stamp: CacheStamp, output: S::Output, runtime: &mut EvidenceRuntime) {
        self.result = S::keep(&self.id, &stamp, output, runtime).map(|r| (stamp, r));
    }
    fn all(project: &Project) -> &[Self] {
        S::all(project)
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        S::all_mut(project)
    }
}

/// What a worker computes for analyses of kind `A`.
type Output<A> = <<A as EvidenceAnalysis>::Spec as EvidenceSpec>::Output;

/// A stable hash of the settings (16 hex digits), stored in the cache stamp.
pub fn settings_hash<A: Serialize>(settings: &A) -> String {
    let text = ron::to_string(settings).unwrap_or_default();
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// Make sure the analysis shown is up to date: the first time it is seen, and whenever its
/// settings or its dataset change, a worker checks the data and recomputes when needed.
/// Cheap when nothing changed; call it every frame for the analysis on screen.
pub fn keep_up_to_date<A: EvidenceAnalysis>(
    ctx: &egui::Context,
    analysis: &A,
    project: &Project,
    base_dir: Option<&Path>,
    runtime: &mut EvidenceRuntime,
    jobs: &mut Jobs,
) {
    let id = analysis.id().to_string();
    let settings = analysis.settings();
    let dataset = project.dataset(analysis.dataset_id()).cloned();
    let extra = extra_datasets(&settings, project, base_dir);
    let requested = ron::to_string(&(&settings, &dataset, &extra)).unwrap_or_default();
    if runtime
        .runs
        .get(&id)
        .is_some_and(|run| run.requested == requested)
    {
        return;
    }
    // Settings changed (or first look): stop what was running for the old settings.
    runtime.cancel(&id, jobs);
    if let Some(missing) = settings.missing_setting() {
        runtime.runs.insert(
            id,
            Run {
                requested,
                state: RunState::Incomplete(missing),
            },
        );
        return;
    }
    let Some(dataset) = dataset else {
        runtime.runs.insert(
            id,
            Run {
                requested,
                state: RunState::Incomplete("Choose the data file to analyse.".to_string()),
            },
        );
        return;
    };
    let hash = settings_hash(&settings);
    let stamp = analysis.stamp().cloned();
    let needs_data = A::Spec::needs_data_when_fresh(analysis.output());
    let job_requested = requested.clone();
    let job_id = id.clone();
    let label = format!("{}: {}", A::KIND, display_name(analysis.name()));
    // Settings seen earlier this session (undo, redo): their result is remembered.
    let remembered = (stamp.as_ref().is_none_or(|s| s.settings_hash != hash))
        .then(|| runtime.memo.get(&(id.clone(), hash.clone())))
        .flatten()
        .and_then(|m| m.downcast_ref::<(CacheStamp, Output<A>)>())
        .cloned();
    if let Some((stamp, output)) = remembered {
        let job = jobs.spawn(ctx, label, move |_| {
            Outcome::Computed(settings, stamp, output).into_apply(job_id, job_requested)
        });
        runtime.runs.insert(
            id,
            Run {
                requested,
                state: RunState::Running { job },
            },
        );
        return;
    }
    let job = Job {
        path: crate::data::dataset_path(&dataset, base_dir),
        settings,
        dataset,
        extra,
        stamp,
        hash,
        needs_data,
    };
    let job = jobs.spawn(ctx, label, move |progress| {
        job.run(progress).into_apply(job_id, job_requested)
    });
    runtime.runs.insert(
        id,
        Run {
            requested,
            state: RunState::Running { job },
        },
    );
}

/// The other datasets an analysis reads (e.g. deployment dates), with their files.
fn extra_datasets<A: EvidenceAnalysis>(
    settings: &A,
    project: &Project,
    base_dir: Option<&Path>,
) -> Vec<(PathBuf, Dataset)> {
    settings
        .spec()
        .extra_dataset_ids()
        .iter()
        .filter_map(|id| project.dataset(id))
        .map(|d| (crate::data::dataset_path(d, base_dir), d.clone()))
        .collect()
}

fn display_name(name: &str) -> &str {
    if name.trim().is_empty() {
        "untitled"
    } else {
        name.trim()
    }
}

/// What a job found.
enum Outcome<A: EvidenceAnalysis> {
    Computed(A, CacheStamp, Output<A>),
    AlreadyUpToDate,
    DataMissing(PathBuf),
    Failed(String),
    Cancelled,
}

impl<A: EvidenceAnalysis> Outcome<A> {
    fn into_apply(self, id: String, requested: String) -> ApplyResult {
        Box::new(move |ws: &mut Workspace| {
            let runtime = &mut ws.runtime.evidence;
            // A result for settings that have changed since is dropped (a newer job runs).
            if runtime
                .runs
                .get(&id)
                .is_none_or(|r| r.requested != requested)
            {
                return;
            }
            let state = match self {
                Outcome::Computed(settings, stamp, output) => {
                    if A::Spec::worth_remembering(&output) {
                        runtime.memo.insert(
                            (id.clone(), stamp.settings_hash.clone()),
                            Box::new((stamp.clone(), output.clone())),
                        );
                    }
                    let Some(project) = ws.doc.as_mut().map(|d| &mut d.project) else {
                        return;
                    };
                    if let Some(analysis) = A::all_mut(project)
                        .iter_mut()
                        .find(|a| a.id() == id && ron_eq(&a.settings(), &settings))
                    {
                        analysis.store(stamp, output, runtime);
                    }
                    RunState::UpToDate
                }
                Outcome::AlreadyUpToDate => RunState::UpToDate,
                Outcome::DataMissing(path) => RunState::DataMissing { path },
                Outcome::Failed(message) => RunState::Failed(message),
                Outcome::Cancelled => RunState::Cancelled,
            };
            runtime.set_state(&id, &requested, state);
        })
    }
}

fn ron_eq<T: Serialize>(a: &T, b: &T) -> bool {
    ron::to_string(a).ok() == ron::to_string(b).ok()
}

/// What a worker needs to bring an analysis up to date.
struct Job<A: EvidenceAnalysis> {
    /// The analysis without its result (see [`EvidenceAnalysis::settings`]).
    settings: A,
    dataset: Dataset,
    path: PathBuf,
    extra: Vec<(PathBuf, Dataset)>,
    /// The stamp of the result the project has, if any.
    stamp: Option<CacheStamp>,
    /// The hash of `settings`.
    hash: String,
    /// Read the data even when the saved result is up to date.
    needs_data: bool,
}

impl<A: EvidenceAnalysis> Job<A> {
    fn run(&self, progress: &Progress) -> Outcome<A> {
        progress.set_message("Checking the data file");
        let Ok(metadata) = std::fs::metadata(&self.path) else {
            return Outcome::DataMissing(self.path.clone());
        };
        let quick = quick_fingerprint(&metadata);
        // The saved result's file, if the settings are the same and the size still matches.
        let saved = self
            .stamp
            .as_ref()
            .filter(|s| s.settings_hash == self.hash)
            .and_then(|s| s.data_fingerprint.as_ref())
            .filter(|f| f.size_bytes == quick.size_bytes);
        let fresh = saved.is_some_and(|f| f.modified_unix_secs == quick.modified_unix_secs);
        if fresh && !self.needs_data {
            return Outcome::AlreadyUpToDate;
        }
        if progress.is_cancelled() {
            return Outcome::Cancelled;
        }
        progress.set_message(format!("Reading {}", display_name(&self.dataset.name)));
        let fingerprint = match crate::data::fingerprint(&self.path) {
            Ok(f) => f,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        // Only the modification time changed (a fresh checkout, a copy): the same content, so
        // the saved result still holds.
        if !self.needs_data && saved.is_some_and(|f| f.content_hash == fingerprint.content_hash) {
            return Outcome::AlreadyUpToDate;
        }
        let files = JobFiles {
            path: &self.path,
            dataset: &self.dataset,
            extra: &self.extra,
        };
        match self.settings.spec().compute(&files, progress) {
            _ if progress.is_cancelled() => Outcome::Cancelled,
            Ok(output) => Outcome::Computed(
                self.settings.clone(),
                CacheStamp {
                    computed_unix_secs: super::unix_now(),
                    data_fingerprint: Some(fingerprint),
                    settings_hash: self.hash.clone(),
                },
                output,
            ),
            Err(message) => Outcome::Failed(message),
        }
    }
}

/// Compute every analysis of `project` now, on this thread, and store the results in it: what
/// the Evidence page does on workers, for tools that prepare project files (the example
/// projects are refreshed this way). Every analysis is computed afresh. Returns one sentence
/// per analysis that could not be computed (incomplete settings, missing data, a failure).
pub fn compute_all_now(project: &mut Project, base_dir: Option<&Path>) -> Vec<String> {
    let mut problems = Vec::new();
    compute_kind_now::<ExperimentAnalysis>(project, base_dir, &mut problems);
    compute_kind_now::<LinkAnalysis>(project, base_dir, &mut problems);
    compute_kind_now::<ThresholdAnalysis>(project, base_dir, &mut problems);
    compute_kind_now::<TimelineView>(project, base_dir, &mut problems);
    compute_kind_now::<DistributionView>(project, base_dir, &mut problems);
    compute_kind_now::<crate::model::MetaView>(project, base_dir, &mut problems);
    problems
}

fn compute_kind_now<A: EvidenceAnalysis>(
    project: &mut Project,
    base_dir: Option<&Path>,
    problems: &mut Vec<String>,
) {
    let mut runtime = EvidenceRuntime::default();
    for analysis in A::all(project).to_vec() {
        let settings = analysis.settings();
        let name = display_name(analysis.name()).to_string();
        if let Some(missing) = settings.missing_setting() {
            problems.push(format!("{}: {name}: {missing}", A::KIND));
            continue;
        }
        let Some(dataset) = project.dataset(analysis.dataset_id()).cloned() else {
            problems.push(format!("{}: {name}: no data file is chosen.", A::KIND));
            continue;
        };
        let job = Job {
            extra: extra_datasets(&settings, project, base_dir),
            path: crate::data::dataset_path(&dataset, base_dir),
            hash: settings_hash(&settings),
            settings,
            dataset,
            stamp: None,
            needs_data: true,
        };
        match job.run(&Progress::new()) {
            Outcome::Computed(_, stamp, output) => {
                if let Some(stored) = A::all_mut(project)
                    .iter_mut()
                    .find(|a| a.id() == analysis.id())
                {
                    stored.store(stamp, output, &mut runtime);
                }
            }
            Outcome::AlreadyUpToDate | Outcome::Cancelled => {}
            Outcome::DataMissing(path) => problems.push(format!(
                "{}: {name}: the data file \"{}\" was not found.",
                A::KIND,
                path.display()
            )),
            Outcome::Failed(message) => problems.push(format!("{}: {name}: {message}", A::KIND)),
        }
    }
}

fn quick_fingerprint(metadata: &std::fs::Metadata) -> Fingerprint {
    let modified_unix_secs = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Fingerprint {
        size_bytes: metadata.len(),
        modified_unix_secs,
        content_hash: String::new(),
    }
}
