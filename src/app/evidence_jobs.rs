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
    /// The point of a link analysis under the pointer in any of its plots: (analysis id,
    /// point index). Set while drawing, read in the next frame by the other plots.
    pub link_hover: Option<(String, usize)>,
    /// The point of a link analysis the user clicked, highlighted until clicked again.
    pub link_selected: Option<(String, usize)>,
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

    /// The distinct values of `column` in `dataset` (in order of first appearance, at most
    /// 200), read on a worker the first time they are asked for; `None` until read (or when
    /// the file cannot be read).
    pub fn column_values(
        &mut self,
        ctx: &egui::Context,
        jobs: &mut Jobs,
        dataset: &Dataset,
        base_dir: Option<&Path>,
        column: &str,
    ) -> Option<&[String]> {
        let key = (dataset.id.clone(), column.to_string());
        if !self.values.contains_key(&key) {
            self.values.insert(key.clone(), None);
            let path = crate::data::dataset_path(dataset, base_dir);
            let options = dataset.options.clone();
            let column = column.to_string();
            let label = format!("Reading the values of {column}");
            let job_key = key.clone();
            jobs.spawn(ctx, label, move |progress| {
                let values = compute::distinct_text(&path, &options, &column, progress);
                Box::new(move |ws: &mut Workspace| {
                    if let Ok(values) = values {
                        ws.runtime.evidence.values.insert(job_key, Some(values));
                    }
                })
            });
        }
        self.values.get(&key).and_then(|v| v.as_deref())
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

/// The computations: each analysis is one call of the core (`data::aggregate::run_*`), the
/// same call the command line makes, so the window and the command line read a file the same
/// way and report the same warnings and errors. This module only connects the worker's
/// progress and cancel to the reader.
mod compute {
    use std::path::{Path, PathBuf};

    use super::Progress;
    use crate::data::aggregate::{
        ReadControl, RunError, distinct_values, run_distribution, run_experiment, run_link,
        run_threshold, run_timeline,
    };
    use crate::model::{
        Dataset, DistributionData, DistributionView, ExperimentAnalysis, LinkAnalysis,
        ThresholdAnalysis, TimelineData, TimelineView,
    };

    /// Runs `read` with the worker's progress and cancel; errors become the user's message.
    fn with_progress<T>(
        progress: &Progress,
        read: impl FnOnce(&ReadControl<'_>) -> Result<T, RunError>,
    ) -> Result<T, String> {
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
        read(&control).map_err(|e| e.to_string())
    }

    /// The distinct values of a column as text, in order of first appearance.
    pub fn distinct_text(
        path: &Path,
        options: &crate::model::ImportOptions,
        column: &str,
        progress: &Progress,
    ) -> Result<Vec<String>, String> {
        with_progress(progress, |control| {
            Ok(distinct_values(
                path,
                options,
                column,
                super::MAX_PICKER_VALUES,
                control,
            )?)
        })
    }

    /// An experiment: unit-level and summary-statistics files alike.
    pub fn experiment(
        analysis: &ExperimentAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<crate::analysis::ExperimentResult, String> {
        let mut result = with_progress(progress, |control| {
            run_experiment(path, &dataset.options, analysis, control)
        })?;
        // The project keeps the file's name, not a path on this machine.
        result.file = dataset.name.clone();
        Ok(result)
    }

    /// The value-versus-threshold curve of a classifier.
    pub fn threshold(
        analysis: &ThresholdAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<crate::analysis::ThresholdResult, String> {
        with_progress(progress, |control| {
            run_threshold(path, &dataset.options, analysis, control)
        })
    }

    pub fn link(
        analysis: &LinkAnalysis,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<super::LinkOutput, String> {
        let run = with_progress(progress, |control| {
            run_link(path, &dataset.options, analysis, control)
        })?;
        Ok((run.result, run.points))
    }

    pub fn timeline(
        view: &TimelineView,
        path: &Path,
        dataset: &Dataset,
        extra: &[(PathBuf, Dataset)],
        progress: &Progress,
    ) -> Result<TimelineData, String> {
        with_progress(progress, |control| {
            run_timeline(path, &dataset.options, view, extra, control)
        })
    }

    pub fn distribution(
        view: &DistributionView,
        path: &Path,
        dataset: &Dataset,
        progress: &Progress,
    ) -> Result<DistributionData, String> {
        with_progress(progress, |control| {
            run_distribution(path, &dataset.options, view, control)
        })
    }
}
