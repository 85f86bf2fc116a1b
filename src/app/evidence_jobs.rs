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
    CacheStamp, Dataset, DistributionData, DistributionView, ExperimentAnalysis, Fingerprint,
    LinkAnalysis, LinkPoint, Project, ThresholdAnalysis, TimelineData, TimelineView,
};

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
            let values = compute::distinct_text(&path, &options, &column, progress);
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

/// The parts of an analysis the evidence jobs need, for each kind of analysis.
pub trait EvidenceAnalysis: Clone + Serialize + Send + 'static {
    /// What is computed and cached.
    type Output: Clone + Send + 'static;
    /// A label for the status bar ("Experiment results", …).
    const KIND: &'static str;

    fn id(&self) -> &str;
    fn name(&self) -> &str;
    fn dataset_id(&self) -> &str;
    fn stamp(&self) -> Option<&CacheStamp>;
    /// The analysis without its cached result: what a result depends on.
    fn settings(&self) -> Self;
    /// What is still missing before the analysis can run, in words for the user.
    fn missing_setting(&self) -> Option<String>;
    /// Whether the project must keep a result even when the stamp says it is up to date (e.g.
    /// a large over-time series that is not kept in the file must be read again).
    fn needs_data_when_fresh(&self) -> bool {
        false
    }
    /// Other datasets the analysis reads besides its own (e.g. a file of deployment dates).
    fn extra_dataset_ids(&self) -> Vec<String> {
        Vec::new()
    }
    /// Whether a result is small enough to keep in memory for undo and redo.
    fn worth_remembering(_output: &Self::Output) -> bool {
        true
    }
    /// Compute on a worker.
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String>;
    /// Store a result: in the project (`self` is the analysis in the project) and in the
    /// runtime.
    fn store(&mut self, stamp: CacheStamp, output: Self::Output, runtime: &mut EvidenceRuntime);
    /// The analyses of this kind in a project.
    fn all(project: &Project) -> &[Self];
    fn all_mut(project: &mut Project) -> &mut Vec<Self>;
}

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
    let path = crate::data::dataset_path(&dataset, base_dir);
    let hash = settings_hash(&settings);
    let stamp = analysis.stamp().cloned();
    let needs_data = analysis.needs_data_when_fresh();
    let job_requested = requested.clone();
    let job_id = id.clone();
    let label = format!("{}: {}", A::KIND, display_name(analysis.name()));
    // Settings seen earlier this session (undo, redo): their result is remembered.
    let remembered = (stamp.as_ref().is_none_or(|s| s.settings_hash != hash))
        .then(|| runtime.memo.get(&(id.clone(), hash.clone())))
        .flatten()
        .and_then(|m| m.downcast_ref::<(CacheStamp, A::Output)>())
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
    let job = jobs.spawn(ctx, label, move |progress| {
        run_job(
            &settings,
            &dataset,
            &path,
            &extra,
            stamp.as_ref(),
            &hash,
            needs_data,
            progress,
        )
        .into_apply(job_id, job_requested)
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
    Computed(A, CacheStamp, A::Output),
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
                    if A::worth_remembering(&output) {
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

#[allow(clippy::too_many_arguments)]
fn run_job<A: EvidenceAnalysis>(
    settings: &A,
    dataset: &Dataset,
    path: &Path,
    extra: &[(PathBuf, Dataset)],
    stamp: Option<&CacheStamp>,
    hash: &str,
    needs_data: bool,
    progress: &Progress,
) -> Outcome<A> {
    progress.set_message("Checking the data file");
    let Ok(metadata) = std::fs::metadata(path) else {
        return Outcome::DataMissing(path.to_path_buf());
    };
    let quick = quick_fingerprint(&metadata);
    // The saved result's file, if the settings are the same and the size still matches.
    let saved = stamp
        .filter(|s| s.settings_hash == hash)
        .and_then(|s| s.data_fingerprint.as_ref())
        .filter(|f| f.size_bytes == quick.size_bytes);
    let fresh = saved.is_some_and(|f| f.modified_unix_secs == quick.modified_unix_secs);
    if fresh && !needs_data {
        return Outcome::AlreadyUpToDate;
    }
    if progress.is_cancelled() {
        return Outcome::Cancelled;
    }
    progress.set_message(format!("Reading {}", display_name(&dataset.name)));
    let fingerprint = match crate::data::fingerprint(path) {
        Ok(f) => f,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    // Only the modification time changed (a fresh checkout, a copy): the same content, so the
    // saved result still holds.
    if !needs_data && saved.is_some_and(|f| f.content_hash == fingerprint.content_hash) {
        return Outcome::AlreadyUpToDate;
    }
    match settings.compute(path, dataset, extra, progress) {
        _ if progress.is_cancelled() => Outcome::Cancelled,
        Ok(output) => Outcome::Computed(
            settings.clone(),
            CacheStamp {
                computed_unix_secs: super::unix_now(),
                data_fingerprint: Some(fingerprint),
                settings_hash: hash.to_string(),
            },
            output,
        ),
        Err(message) => Outcome::Failed(message),
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
        let extra = extra_datasets(&settings, project, base_dir);
        let path = crate::data::dataset_path(&dataset, base_dir);
        let hash = settings_hash(&settings);
        let progress = Progress::new();
        match run_job(
            &settings, &dataset, &path, &extra, None, &hash, true, &progress,
        ) {
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

// ---------------------------------------------------------------------------------------------
// The four kinds of analysis.

impl EvidenceAnalysis for ExperimentAnalysis {
    type Output = crate::analysis::ExperimentResult;
    const KIND: &'static str = "Experiment results";

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        self.cache.as_ref().map(|(s, _)| s)
    }
    fn settings(&self) -> Self {
        Self {
            cache: None,
            // Holm only changes which p-value is shown, not what is computed.
            holm: false,
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file of the experiment.".into())
        } else if self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if self.control.is_empty() {
            Some("Choose the control variant.".into())
        } else if self.metrics.is_empty() {
            Some("Choose at least one metric.".into())
        } else {
            None
        }
    }
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String> {
        let _ = extra;
        compute::experiment(self, path, dataset, progress)
    }
    fn store(&mut self, stamp: CacheStamp, output: Self::Output, _: &mut EvidenceRuntime) {
        self.cache = Some((stamp, output));
    }
    fn all(project: &Project) -> &[Self] {
        &project.evidence.experiments
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        &mut project.evidence.experiments
    }
}

/// The output of a link analysis: the result and the points it was computed from.
pub type LinkOutput = (crate::analysis::LinkResult, Vec<LinkPoint>);

impl EvidenceAnalysis for LinkAnalysis {
    type Output = LinkOutput;
    const KIND: &'static str = "ML vs business";

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        self.cache.as_ref().map(|(s, _)| s)
    }
    fn settings(&self) -> Self {
        Self {
            cache: None,
            points: Vec::new(),
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with one row per experiment, model or day.".into())
        } else if self.x.is_empty() {
            Some("Choose the ML metric.".into())
        } else if self.y.is_empty() {
            Some("Choose the business metric.".into())
        } else {
            None
        }
    }
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String> {
        let _ = extra;
        compute::link(self, path, dataset, progress)
    }
    fn store(
        &mut self,
        stamp: CacheStamp,
        (result, points): Self::Output,
        _: &mut EvidenceRuntime,
    ) {
        self.cache = Some((stamp, result));
        self.points = points;
    }
    fn all(project: &Project) -> &[Self] {
        &project.evidence.links
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        &mut project.evidence.links
    }
}

/// The output of an over-time view: the series (kept in the project when small) and the same
/// series prepared for drawing (built on the worker).
pub type TimelineOutput = (TimelineData, PreparedTimeline);

impl EvidenceAnalysis for TimelineView {
    type Output = TimelineOutput;
    const KIND: &'static str = "Over time";

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        self.cache.as_ref().map(|(s, _)| s)
    }
    fn settings(&self) -> Self {
        Self {
            cache: None,
            // Typed deployment dates are drawn as they are; no need to read the data again.
            deployments: Vec::new(),
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with one row per day (and model).".into())
        } else if self.time_column.is_empty() {
            Some("Choose the date column.".into())
        } else if self.metrics.is_empty() {
            Some("Choose at least one metric.".into())
        } else {
            None
        }
    }
    fn needs_data_when_fresh(&self) -> bool {
        // A series too large for the project file was not cached: read it again.
        self.cache.is_none()
    }
    fn extra_dataset_ids(&self) -> Vec<String> {
        self.deployment_dataset.iter().cloned().collect()
    }
    fn worth_remembering((data, _): &Self::Output) -> bool {
        data.series.iter().map(|s| s.points.len()).sum::<usize>() <= MAX_CACHED_TIMELINE_POINTS
    }
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String> {
        let data = compute::timeline(self, path, dataset, extra, progress)?;
        progress.set_message("Preparing the series for drawing");
        let prepared = PreparedTimeline::new(CacheStamp::default(), &data);
        Ok((data, prepared))
    }
    fn store(
        &mut self,
        stamp: CacheStamp,
        (data, mut prepared): Self::Output,
        runtime: &mut EvidenceRuntime,
    ) {
        let points: usize = data.series.iter().map(|s| s.points.len()).sum();
        prepared.stamp = stamp.clone();
        runtime
            .timelines
            .insert(self.id.clone(), Arc::new(prepared));
        self.cache = (points <= MAX_CACHED_TIMELINE_POINTS).then_some((stamp, data));
    }
    fn all(project: &Project) -> &[Self] {
        &project.evidence.timelines
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        &mut project.evidence.timelines
    }
}

impl EvidenceAnalysis for DistributionView {
    type Output = DistributionData;
    const KIND: &'static str = "Distributions";

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        self.cache.as_ref().map(|(s, _)| s)
    }
    fn settings(&self) -> Self {
        Self {
            cache: None,
            // Histogram or box plot: both are computed, the chart only picks one.
            chart: crate::model::DistributionChart::Histogram,
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file of the experiment.".into())
        } else if self.variant_column.is_empty() {
            Some("Choose the column that names each unit's variant.".into())
        } else if self.metric.is_empty() {
            Some("Choose the metric.".into())
        } else {
            None
        }
    }
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String> {
        let _ = extra;
        compute::distribution(self, path, dataset, progress)
    }
    fn store(&mut self, stamp: CacheStamp, output: Self::Output, _: &mut EvidenceRuntime) {
        self.cache = Some((stamp, output));
    }
    fn all(project: &Project) -> &[Self] {
        &project.evidence.distributions
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        &mut project.evidence.distributions
    }
}

impl EvidenceAnalysis for ThresholdAnalysis {
    type Output = crate::analysis::ThresholdResult;
    const KIND: &'static str = "Classifier threshold";

    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn dataset_id(&self) -> &str {
        &self.dataset_id
    }
    fn stamp(&self) -> Option<&CacheStamp> {
        self.cache.as_ref().map(|(s, _)| s)
    }
    fn settings(&self) -> Self {
        Self {
            cache: None,
            ..self.clone()
        }
    }
    fn missing_setting(&self) -> Option<String> {
        if self.dataset_id.is_empty() {
            Some("Choose the data file with the classifier's scores and labels.".into())
        } else if self.score_column.is_empty() {
            Some("Choose the column with the classifier's score.".into())
        } else if self.label_column.is_empty() {
            Some("Choose the column with what really happened (the label).".into())
        } else {
            None
        }
    }
    fn compute(
        &self,
        path: &Path,
        dataset: &Dataset,
        _extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<Self::Output, String> {
        compute::threshold(self, path, dataset, progress)
    }
    fn store(&mut self, stamp: CacheStamp, output: Self::Output, _: &mut EvidenceRuntime) {
        self.cache = Some((stamp, output));
    }
    fn all(project: &Project) -> &[Self] {
        &project.evidence.thresholds
    }
    fn all_mut(project: &mut Project) -> &mut Vec<Self> {
        &mut project.evidence.thresholds
    }
}

/// The computations: read the columns an analysis needs (in batches, with progress and
/// cancel), then hand plain slices to `analysis`.
mod compute {
    use std::path::Path;

    use super::Progress;
    use crate::analysis::series::{
        DistributionOptions, deployments_from_column, group_distributions, group_series, parse_time,
    };
    use crate::analysis::{ExperimentResult, analyze_link};
    use crate::data::aggregate::{ReadControl, run_experiment, run_threshold};
    use crate::data::{BatchSink, Cell, DataError, LoadProgress, Source};
    use crate::model::{
        Dataset, DistributionData, DistributionView, ExperimentAnalysis, LinkAnalysis, LinkPoint,
        ThresholdAnalysis, TimeSeries, TimelineData, TimelineView, VariantDistribution,
    };

    /// Most points a link keeps for its plots (one per experiment is the usual case; a
    /// unit-level file is thinned evenly for drawing, not for the statistics).
    const MAX_LINK_POINTS: usize = 5_000;

    /// Columns read from a file: numbers as cells, text as optional strings.
    #[derive(Default)]
    struct Columns {
        numbers: Vec<(String, Vec<Cell>)>,
        texts: Vec<(String, Vec<Option<String>>)>,
    }

    impl Columns {
        fn number(&self, name: &str) -> &[Cell] {
            self.numbers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_slice())
                .unwrap_or_default()
        }

        fn text(&self, name: &str) -> &[Option<String>] {
            self.texts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_slice())
                .unwrap_or_default()
        }
    }

    struct Sink<'a> {
        source: &'a Source,
        skip_bad_rows: bool,
        columns: Columns,
    }

    impl BatchSink for Sink<'_> {
        fn batch(
            &mut self,
            batch: &polars::prelude::DataFrame,
            first_row: u64,
        ) -> Result<(), DataError> {
            for (name, cells) in &mut self.columns.numbers {
                let column = batch
                    .column(name)
                    .map_err(|_| DataError::unknown_column(self.source.path(), name, Vec::new()))?;
                self.source
                    .for_each_number(column, first_row, self.skip_bad_rows, |_, cell| {
                        cells.push(cell);
                    })?;
            }
            for (name, values) in &mut self.columns.texts {
                let column = batch
                    .column(name)
                    .map_err(|_| DataError::unknown_column(self.source.path(), name, Vec::new()))?;
                self.source
                    .for_each_text(column, |_, v| values.push(v.map(str::to_string)))?;
            }
            Ok(())
        }

        fn restart(&mut self) {
            for (_, cells) in &mut self.columns.numbers {
                cells.clear();
            }
            for (_, values) in &mut self.columns.texts {
                values.clear();
            }
        }
    }

    /// Read `numbers` as numbers and `texts` as text (a column may be in both).
    fn read(
        path: &Path,
        dataset: &Dataset,
        numbers: &[&str],
        texts: &[&str],
        progress: &Progress,
    ) -> Result<Columns, String> {
        let source = Source::open(path, &dataset.options).map_err(|e| e.to_string())?;
        let mut names: Vec<&str> = numbers.iter().chain(texts).copied().collect();
        names.sort_unstable();
        names.dedup();
        let mut sink = Sink {
            source: &source,
            skip_bad_rows: dataset.options.skip_bad_rows,
            columns: Columns {
                numbers: numbers
                    .iter()
                    .map(|n| (n.to_string(), Vec::new()))
                    .collect(),
                texts: texts.iter().map(|n| (n.to_string(), Vec::new())).collect(),
            },
        };
        let mut report = |p: LoadProgress| {
            if let Some(f) = p.fraction {
                progress.set_fraction(f);
            }
        };
        source
            .for_each_batch(&names, &mut report, progress.cancel_flag(), &mut sink)
            .map_err(|e| e.to_string())?;
        Ok(sink.columns)
    }

    /// The distinct values of a column as text, in order of first appearance.
    pub fn distinct_text(
        path: &Path,
        options: &crate::model::ImportOptions,
        column: &str,
        progress: &Progress,
    ) -> Result<Vec<String>, String> {
        let dataset = Dataset {
            options: options.clone(),
            ..Dataset::default()
        };
        let columns = read(path, &dataset, &[], &[column], progress)?;
        let mut seen = std::collections::HashSet::new();
        let mut values = Vec::new();
        for v in columns.text(column).iter().flatten() {
            if values.len() >= super::MAX_PICKER_VALUES {
                break;
            }
            if seen.insert(v.as_str()) {
                values.push(v.clone());
            }
        }
        Ok(values)
    }

    fn value(cell: Cell) -> f64 {
        match cell {
            Cell::Value(v) => v,
            Cell::Missing | Cell::Unreadable => f64::NAN,
        }
    }

    /// The engine's one call for an experiment: unit-level and summary-statistics files
    /// alike, read by its fastest reader.
    pub fn experiment(
        analysis: &ExperimentAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<ExperimentResult, String> {
        let report = |done: u64, total: u64| {
            if total > 0 {
                progress.set_fraction(done as f32 / total as f32);
            }
        };
        let control = ReadControl {
            cancel: Some(progress.cancel_flag()),
            progress: Some(&report),
            ..ReadControl::default()
        };
        let mut result = run_experiment(path, &dataset.options, analysis, &control)
            .map_err(|e| e.to_string())?;
        // The project keeps the file's name, not a path on this machine.
        result.file = dataset.name.clone();
        Ok(result)
    }

    /// The engine's value-versus-threshold curve of a classifier.
    pub fn threshold(
        analysis: &ThresholdAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<crate::analysis::ThresholdResult, String> {
        let report = |done: u64, total: u64| {
            if total > 0 {
                progress.set_fraction(done as f32 / total as f32);
            }
        };
        let control = ReadControl {
            cancel: Some(progress.cancel_flag()),
            progress: Some(&report),
            ..ReadControl::default()
        };
        run_threshold(path, &dataset.options, analysis, &control).map_err(|e| e.to_string())
    }

    pub fn link(
        analysis: &LinkAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<super::LinkOutput, String> {
        let label = analysis.label_column.as_deref();
        let texts: Vec<&str> = label.into_iter().collect();
        let columns = read(path, dataset, &[&analysis.x, &analysis.y], &texts, progress)?;
        progress.set_message("Relating the two metrics");
        let xs: Vec<f64> = columns
            .number(&analysis.x)
            .iter()
            .map(|c| value(*c))
            .collect();
        let ys: Vec<f64> = columns
            .number(&analysis.y)
            .iter()
            .map(|c| value(*c))
            .collect();
        let labels = label.map(|l| columns.text(l));
        let result = analyze_link(&xs, &ys, analysis.alpha, &analysis.x, &analysis.y)
            .map_err(|e| e.to_string())?;
        let mut points: Vec<LinkPoint> = xs
            .iter()
            .zip(&ys)
            .enumerate()
            .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
            .map(|(i, (&x, &y))| LinkPoint {
                label: labels
                    .and_then(|l| l.get(i).cloned().flatten())
                    .unwrap_or_else(|| format!("row {}", i + 1)),
                x,
                y,
            })
            .collect();
        if points.len() > MAX_LINK_POINTS {
            let step = points.len().div_ceil(MAX_LINK_POINTS);
            points = points.into_iter().step_by(step).collect();
        }
        Ok((result, points))
    }

    pub fn timeline(
        view: &TimelineView,
        path: &Path,
        dataset: &Dataset,
        extra: &[(std::path::PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<TimelineData, String> {
        let metrics: Vec<&str> = view.metrics.iter().map(String::as_str).collect();
        let mut texts = vec![view.time_column.as_str()];
        texts.extend(view.series_column.as_deref());
        texts.extend(view.deployment_column.as_deref());
        let columns = read(path, dataset, &metrics, &texts, progress)?;
        progress.set_message("Building the series");
        let times: Vec<f64> = columns
            .text(&view.time_column)
            .iter()
            .map(|t| t.as_deref().and_then(parse_time).unwrap_or(f64::NAN))
            .collect();
        if !times.iter().any(|t| t.is_finite()) {
            return Err(format!(
                "The column \"{}\" holds no dates (such as 2026-03-01), so nothing can be drawn \
                 over time. Choose the date column.",
                view.time_column
            ));
        }
        let groups: Option<Vec<String>> = view.series_column.as_deref().map(|c| {
            columns
                .text(c)
                .iter()
                .map(|v| v.clone().unwrap_or_default())
                .collect()
        });
        let mut series = Vec::new();
        for metric in &view.metrics {
            let ys: Vec<f64> = columns.number(metric).iter().map(|c| value(*c)).collect();
            for g in group_series(&times, groups.as_deref(), &ys) {
                series.push(TimeSeries {
                    series: g.group,
                    metric: metric.clone(),
                    points: g.points,
                });
            }
        }
        let mut deployments = view
            .deployment_column
            .as_deref()
            .map(|c| deployments_from_column(&times, groups.as_deref(), columns.text(c)))
            .unwrap_or_default();
        for (path, file) in extra {
            progress.set_message(format!("Reading the deployments in {}", file.name));
            deployments.extend(deployments_from_file(view, path, file, progress)?);
        }
        deployments.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        deployments.dedup();
        Ok(TimelineData {
            series,
            deployments,
        })
    }

    /// Deployment dates from a file of their own: its date column (the first with the Time
    /// role, else one named like "date"), labelled by the column named like the view's series
    /// column (e.g. "model"), else by the first text column.
    fn deployments_from_file(
        view: &TimelineView,
        path: &Path,
        file: &Dataset,
        progress: &Progress,
    ) -> Result<Vec<(f64, String)>, String> {
        use crate::model::ColumnRole;
        let names: Vec<&str> = file.columns.iter().map(|c| c.name.as_str()).collect();
        let date = file
            .columns
            .iter()
            .find(|c| c.role == ColumnRole::Time)
            .map(|c| c.name.as_str())
            .or_else(|| {
                names
                    .iter()
                    .copied()
                    .find(|n| n.to_lowercase().contains("date"))
            })
            .ok_or_else(|| {
                format!(
                    "\"{}\" has no date column to read deployment dates from (give one the \
                     Time role on the Data page).",
                    file.name
                )
            })?;
        let label = view
            .series_column
            .as_deref()
            .filter(|s| names.contains(s))
            .or_else(|| {
                file.columns
                    .iter()
                    .find(|c| {
                        c.name != date
                            && matches!(
                                c.role,
                                ColumnRole::Variant | ColumnRole::Segment | ColumnRole::UnitId
                            )
                    })
                    .map(|c| c.name.as_str())
            });
        let mut texts = vec![date];
        texts.extend(label);
        let columns = read(path, file, &[], &texts, progress)?;
        let labels = label.map(|l| columns.text(l));
        Ok(columns
            .text(date)
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let day = d.as_deref().and_then(parse_time)?.floor();
                let label = labels
                    .and_then(|l| l.get(i).cloned().flatten())
                    .unwrap_or_default();
                Some((day, label))
            })
            .collect())
    }

    pub fn distribution(
        view: &DistributionView,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<DistributionData, String> {
        let columns = read(
            path,
            dataset,
            &[&view.metric],
            &[&view.variant_column],
            progress,
        )?;
        progress.set_message("Counting the values");
        let groups: Vec<String> = columns
            .text(&view.variant_column)
            .iter()
            .map(|v| v.clone().unwrap_or_else(|| "(no variant)".to_string()))
            .collect();
        let values: Vec<f64> = columns
            .number(&view.metric)
            .iter()
            .map(|c| value(*c))
            .collect();
        let options = DistributionOptions {
            bins: view.bins.max(1) as usize,
            exclude_zeros: view.exclude_zeros,
        };
        let found = group_distributions(&groups, &values, options);
        Ok(DistributionData {
            variants: found
                .groups
                .into_iter()
                .map(|g| VariantDistribution {
                    variant: g.group,
                    histogram: g.histogram,
                    stats: g.stats,
                    zeros: g.zeros,
                })
                .collect(),
            missing: found.missing,
            tail_from: found.tail_from,
        })
    }
}
