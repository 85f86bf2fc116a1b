//! Evidence analyses: their settings and a small cache of their results, so that a colleague
//! without the data still sees the evidence.

use serde::{Deserialize, Serialize};

use super::Fingerprint;
use crate::analysis::meta::MetaResult;
use crate::analysis::series::{BoxStats, Histogram};
use crate::analysis::{ExperimentResult, LinkResult, ThresholdResult};

/// All analyses of a project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    pub experiments: Vec<ExperimentAnalysis>,
    pub links: Vec<LinkAnalysis>,
    pub thresholds: Vec<ThresholdAnalysis>,
    /// Over-time views: daily metrics per model.
    pub timelines: Vec<TimelineView>,
    /// Distributions of a metric per variant.
    pub distributions: Vec<DistributionView>,
    /// Random-effects pooling of past experiments' effects (left out of the file when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metas: Vec<MetaView>,
}

/// The computed results of every analysis, set aside by analysis id (see
/// [`Evidence::take_results`]).
#[derive(Debug, Default)]
pub struct EvidenceResults {
    experiments: Vec<(String, Option<(CacheStamp, ExperimentResult)>)>,
    links: Vec<(String, Option<(CacheStamp, LinkData)>)>,
    thresholds: Vec<(String, Option<(CacheStamp, ThresholdResult)>)>,
    timelines: Vec<(String, Option<(CacheStamp, TimelineData)>)>,
    distributions: Vec<(String, Option<(CacheStamp, DistributionData)>)>,
    metas: Vec<(String, Option<(CacheStamp, MetaResult)>)>,
}

impl Evidence {
    /// Take every computed result out (leaving the settings): results follow from the settings
    /// and the data, so the undo history keeps settings only. No copy is made.
    pub fn take_results(&mut self) -> EvidenceResults {
        fn take<S, R>(items: &mut [Analysis<S, R>]) -> Vec<(String, Option<(CacheStamp, R)>)> {
            items
                .iter_mut()
                .map(|a| (a.id.clone(), a.result.take()))
                .collect()
        }
        EvidenceResults {
            experiments: take(&mut self.experiments),
            links: take(&mut self.links),
            thresholds: take(&mut self.thresholds),
            timelines: take(&mut self.timelines),
            distributions: take(&mut self.distributions),
            metas: take(&mut self.metas),
        }
    }

    /// Put results taken by [`Self::take_results`] back, by analysis id, into the analyses
    /// that (still) exist. A result whose settings no longer match is recomputed by the
    /// Evidence page; an analysis that has none keeps the one it has.
    pub fn restore_results(&mut self, results: EvidenceResults) {
        fn put<S, R>(items: &mut [Analysis<S, R>], saved: Vec<(String, Option<(CacheStamp, R)>)>) {
            for (saved_id, result) in saved {
                if let Some(item) = items.iter_mut().find(|a| a.id == saved_id)
                    && (result.is_some() || item.result.is_none())
                {
                    item.result = result;
                }
            }
        }
        put(&mut self.experiments, results.experiments);
        put(&mut self.links, results.links);
        put(&mut self.thresholds, results.thresholds);
        put(&mut self.timelines, results.timelines);
        put(&mut self.distributions, results.distributions);
        put(&mut self.metas, results.metas);
    }
}

/// The views of the Evidence page, in the order of its tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvidenceTab {
    #[default]
    Experiments,
    Link,
    OverTime,
    Distributions,
    /// Meta-analysis of past experiments.
    PastExperiments,
}

impl EvidenceTab {
    pub const ALL: [EvidenceTab; 5] = [
        EvidenceTab::Experiments,
        EvidenceTab::Link,
        EvidenceTab::PastExperiments,
        EvidenceTab::OverTime,
        EvidenceTab::Distributions,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceTab::Experiments => "Experiment results",
            EvidenceTab::Link => "ML vs business",
            EvidenceTab::OverTime => "Over time",
            EvidenceTab::Distributions => "Distributions",
            EvidenceTab::PastExperiments => "Past experiments",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            EvidenceTab::Experiments => {
                "An A/B test per variant: did the treatment move each metric, and by how much?"
            }
            EvidenceTab::Link => {
                "Across experiments or models: when the ML metric went up, did the business \
                 metric follow?"
            }
            EvidenceTab::OverTime => "Daily metrics per model, with the deployment dates marked.",
            EvidenceTab::Distributions => {
                "How a metric is spread in each variant, not only its average."
            }
            EvidenceTab::PastExperiments => {
                "Many past experiments pooled: what a typical change is worth, and what a past \
                 \"winner\" is really likely to be worth."
            }
        }
    }
}

/// What the Evidence page shows (kept in `ViewSettings`: looking around is not an edit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceViewSettings {
    pub tab: EvidenceTab,
    /// Id of the experiment analysis shown.
    pub experiment: Option<String>,
    /// Id of the link analysis shown.
    pub link: Option<String>,
    /// Id of the over-time view shown.
    pub timeline: Option<String>,
    /// Id of the distribution view shown.
    pub distribution: Option<String>,
    /// Id of the meta-analysis shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<String>,
}

/// How a metric is analysed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricKind {
    /// Proportion when every present value is 0/1 or boolean, else mean.
    #[default]
    Auto,
    Mean,
    Proportion,
}

/// One metric of an experiment analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricSpec {
    pub column: String,
    pub kind: MetricKind,
    /// A business metric (true) or an ML metric (false); shown apart in the views.
    pub business: bool,
    /// CUPED: the column holding this metric's pre-experiment value (`--covariate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covariate: Option<String>,
    /// A ratio metric: `column` is the numerator and this the denominator (`--ratio`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// The name of a ratio metric, e.g. "revenue per session"; empty = derived from the
    /// columns.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Success, guardrail or informative in the ship / don't-ship rule.
    #[serde(skip_serializing_if = "DecisionRole::is_informative")]
    pub role: DecisionRole,
    /// Lower values are better (cost, latency, churn).
    #[serde(skip_serializing_if = "is_false")]
    pub lower_is_better: bool,
}

impl MetricSpec {
    /// A metric read from one column, with every second-wave option at its default.
    pub fn new(column: impl Into<String>, kind: MetricKind, business: bool) -> Self {
        Self {
            column: column.into(),
            kind,
            business,
            ..Self::default()
        }
    }

    /// The name the metric is reported under: the label of a ratio metric (or
    /// "NUM/DEN" when it has none), else the column.
    pub fn display_name(&self) -> String {
        match &self.denominator {
            Some(_) if !self.label.is_empty() => self.label.clone(),
            Some(den) => format!("{}/{den}", self.column),
            None => self.column.clone(),
        }
    }
}

/// The role a metric plays in the ship / don't-ship rule (CONTRACT.md `--success`,
/// `--guardrail M:MARGIN`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum DecisionRole {
    /// Reported, not part of the decision.
    #[default]
    Informative,
    /// Should improve: shipping needs at least one success metric shown better.
    Success,
    /// Must not get worse by more than `margin` (relative: 0.01 = 1% worse at most).
    Guardrail { margin: f64 },
}

impl DecisionRole {
    pub fn is_informative(&self) -> bool {
        matches!(self, DecisionRole::Informative)
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The default number of segment values shown before the rest is pooled as "other".
pub const DEFAULT_MAX_SEGMENTS: usize = crate::analysis::segments::DEFAULT_MAX_SEGMENTS;

fn is_default_max_segments(k: &usize) -> bool {
    *k == DEFAULT_MAX_SEGMENTS
}

/// When and from which file version a cached result was computed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheStamp {
    pub computed_unix_secs: i64,
    pub data_fingerprint: Option<Fingerprint>,
    /// A hash of the analysis settings the result was computed with (16 hex digits), to
    /// notice that the settings changed since.
    pub settings_hash: String,
}

/// One analysis of the Evidence page: what the user chose (`spec`) and what was computed from
/// it (`result`, with the stamp saying when and from which file version), so that a colleague
/// without the data still sees the evidence.
///
/// Saved in the project file in the layout of format version 1 (the spec's fields beside `id`,
/// `name` and `cache`), so the file format did not change when the two were split.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis<S, R> {
    pub id: String,
    pub name: String,
    pub spec: S,
    pub result: Option<(CacheStamp, R)>,
}

impl<S: Default, R> Default for Analysis<S, R> {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            spec: S::default(),
            result: None,
        }
    }
}

impl<S, R> Analysis<S, R> {
    /// The computed result, if any.
    pub fn output(&self) -> Option<&R> {
        self.result.as_ref().map(|(_, r)| r)
    }

    /// When and from what the result was computed, if there is one.
    pub fn stamp(&self) -> Option<&CacheStamp> {
        self.result.as_ref().map(|(s, _)| s)
    }
}

/// Defines a spec struct and the saved layout of its analysis (the spec's fields flat beside
/// `id`, `name` and `cache`), so the field list is written once. ron does not support
/// `#[serde(flatten)]` well, hence the generated mirror struct.
macro_rules! analysis_spec {
    (
        $(#[$meta:meta])*
        $spec:ident => $analysis:ident ($result:ty), saved as $file:ident {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty = $default:expr,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $spec {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl Default for $spec {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        pub type $analysis = Analysis<$spec, $result>;

        /// The saved layout of the analysis (see [`Analysis`]).
        #[derive(Serialize, Deserialize)]
        #[serde(default)]
        struct $file {
            id: String,
            name: String,
            $($(#[$fmeta])* $field: $ty,)*
            cache: Option<(CacheStamp, $result)>,
        }

        impl Default for $file {
            fn default() -> Self {
                $analysis::default().into()
            }
        }

        impl From<$analysis> for $file {
            fn from(a: $analysis) -> Self {
                Self {
                    id: a.id,
                    name: a.name,
                    $($field: a.spec.$field,)*
                    cache: a.result,
                }
            }
        }

        impl From<$file> for $analysis {
            fn from(f: $file) -> Self {
                Self {
                    id: f.id,
                    name: f.name,
                    spec: $spec { $($field: f.$field,)* },
                    result: f.cache,
                }
            }
        }

        impl Serialize for $analysis {
            fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
                $file::from(self.clone()).serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $analysis {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $file::deserialize(deserializer).map(Into::into)
            }
        }
    };
}

analysis_spec! {
    /// What the user chose for an A/B experiment analysis.
    ExperimentSpec => ExperimentAnalysis(ExperimentResult), saved as ExperimentFile {
        dataset_id: String = String::new(),
        variant_column: String = String::new(),
        control: String = String::new(),
        metrics: Vec<MetricSpec> = Vec::new(),
        alpha: f64 = 0.05,
        /// Expected traffic split per variant for the sample-ratio check; empty means equal.
        expected_split: Vec<(String, f64)> = Vec::new(),
        /// Show Holm-adjusted p-values.
        holm: bool = false,
        /// Break each comparison down by the values of this column (`--segment`).
        #[serde(skip_serializing_if = "Option::is_none")]
        segment: Option<String> = None,
        /// The most frequent segment values shown; the rest are pooled as "other".
        #[serde(skip_serializing_if = "is_default_max_segments")]
        max_segments: usize = DEFAULT_MAX_SEGMENTS,
        /// Show the results without the CUPED adjustment (the adjusted ones are the default).
        #[serde(skip_serializing_if = "is_false")]
        show_unadjusted: bool = false,
    }
}

analysis_spec! {
    /// What the user chose for the value of a classifier's decision threshold under a value
    /// matrix.
    ThresholdSpec => ThresholdAnalysis(ThresholdResult), saved as ThresholdFile {
        dataset_id: String = String::new(),
        score_column: String = String::new(),
        label_column: String = String::new(),
        value_tp: f64 = 0.0,
        value_fp: f64 = 0.0,
        value_fn: f64 = 0.0,
        value_tn: f64 = 0.0,
    }
}

analysis_spec! {
    /// What the user chose for daily metrics per model over time, with deployment dates
    /// marked. The computed series are kept in the project only when small enough (large
    /// series are read again from the data).
    TimelineSpec => TimelineView(TimelineData), saved as TimelineFile {
        dataset_id: String = String::new(),
        time_column: String = String::new(),
        series_column: Option<String> = None,
        metrics: Vec<String> = Vec::new(),
        /// Deployment dates (ISO 8601) with a label.
        deployments: Vec<(String, String)> = Vec::new(),
        /// Read the deployment dates from this column of the data (a date, or a yes/1 flag on
        /// the day a model went live) in addition to `deployments`.
        deployment_column: Option<String> = None,
        /// Read deployment dates from this dataset too (one row per deployment: a date and the
        /// model).
        deployment_dataset: Option<String> = None,
    }
}

analysis_spec! {
    /// What the user chose for a metric's distribution per variant.
    DistributionSpec => DistributionView(DistributionData), saved as DistributionFile {
        dataset_id: String = String::new(),
        variant_column: String = String::new(),
        metric: String = String::new(),
        chart: DistributionChart = DistributionChart::Histogram,
        bins: u32 = 30,
        /// Leave zeros out (e.g. the revenue of buyers only).
        exclude_zeros: bool = false,
    }
}

analysis_spec! {
    /// What the user chose for a random-effects meta-analysis of past experiments
    /// (DerSimonian–Laird, CONTRACT.md `throughline meta`). The effects come from a file with
    /// one row per experiment (`effect_column` and `se_column`), or, when `experiment_column`
    /// is set, from a unit-level file holding many experiments: each experiment's treatment
    /// minus control difference of `effect_column` with its standard error.
    MetaSpec => MetaView(MetaResult), saved as MetaFile {
        dataset_id: String = String::new(),
        /// The effect column (one row per experiment), or the metric (unit level).
        effect_column: String = String::new(),
        /// The standard error of each effect (one row per experiment).
        se_column: String = String::new(),
        /// Column naming each experiment (one row per experiment).
        label_column: Option<String> = None,
        /// Unit level: the column naming each row's experiment.
        experiment_column: Option<String> = None,
        /// Unit level: the column naming each row's variant.
        variant_column: String = String::new(),
        /// Unit level: the control variant's value.
        control: String = String::new(),
        alpha: f64 = 0.05,
    }
}

/// What the user chose for an ML-metric-to-business-metric link across experiments, models or
/// days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkSpec {
    pub dataset_id: String,
    /// Column naming each point (experiment, model or date).
    pub label_column: Option<String>,
    /// The ML metric.
    pub x: String,
    /// The business metric.
    pub y: String,
    pub alpha: f64,
    /// The standard error of each point's ML metric (e.g. of a measured effect): with either
    /// SE column the line is the noise-aware York fit (CONTRACT.md `link --x-se`).
    pub x_se: Option<String>,
    /// The standard error of each point's business metric.
    pub y_se: Option<String>,
    /// Per-experiment effects from a unit-level file holding many experiments: the column
    /// naming each row's experiment. Each point is then one experiment's treatment-vs-control
    /// difference of `x` and of `y`, with their standard errors, and the line is the York fit.
    pub experiment_column: Option<String>,
    /// With `experiment_column`: the column naming each row's variant.
    pub variant_column: String,
    /// With `experiment_column`: the control variant's value.
    pub control: String,
}

impl Default for LinkSpec {
    fn default() -> Self {
        Self {
            dataset_id: String::new(),
            label_column: None,
            x: String::new(),
            y: String::new(),
            alpha: 0.05,
            x_se: None,
            y_se: None,
            experiment_column: None,
            variant_column: String::new(),
            control: String::new(),
        }
    }
}

impl LinkSpec {
    /// Whether the points are measured with noise the fit should account for (SE columns, or
    /// per-experiment effects).
    pub fn noise_aware(&self) -> bool {
        self.x_se.is_some() || self.y_se.is_some() || self.experiment_column.is_some()
    }
}

/// A link analysis.
pub type LinkAnalysis = Analysis<LinkSpec, LinkData>;

impl LinkAnalysis {
    /// The points the result was computed from (none before it is computed).
    pub fn points(&self) -> &[LinkPoint] {
        self.output().map_or(&[], |d| d.points.as_slice())
    }
}

/// What a link analysis computes: the result and the points it was computed from (one per
/// experiment, model or day), so the plots show without the data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkData {
    pub result: LinkResult,
    pub points: Vec<LinkPoint>,
}

/// The saved layout of a link analysis: its spec's fields beside `id` and `name`, the result
/// in `cache` and its points in `points`.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct LinkFile {
    id: String,
    name: String,
    dataset_id: String,
    label_column: Option<String>,
    x: String,
    y: String,
    alpha: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    x_se: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    y_se: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experiment_column: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    variant_column: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    control: String,
    cache: Option<(CacheStamp, LinkResult)>,
    points: Vec<LinkPoint>,
}

impl Default for LinkFile {
    fn default() -> Self {
        LinkAnalysis::default().into()
    }
}

impl From<LinkAnalysis> for LinkFile {
    fn from(a: LinkAnalysis) -> Self {
        let (cache, points) = match a.result {
            Some((stamp, data)) => (Some((stamp, data.result)), data.points),
            None => (None, Vec::new()),
        };
        let LinkSpec {
            dataset_id,
            label_column,
            x,
            y,
            alpha,
            x_se,
            y_se,
            experiment_column,
            variant_column,
            control,
        } = a.spec;
        Self {
            id: a.id,
            name: a.name,
            dataset_id,
            label_column,
            x,
            y,
            alpha,
            x_se,
            y_se,
            experiment_column,
            variant_column,
            control,
            cache,
            points,
        }
    }
}

impl From<LinkFile> for LinkAnalysis {
    fn from(f: LinkFile) -> Self {
        Self {
            id: f.id,
            name: f.name,
            spec: LinkSpec {
                dataset_id: f.dataset_id,
                label_column: f.label_column,
                x: f.x,
                y: f.y,
                alpha: f.alpha,
                x_se: f.x_se,
                y_se: f.y_se,
                experiment_column: f.experiment_column,
                variant_column: f.variant_column,
                control: f.control,
            },
            result: f.cache.map(|(stamp, result)| {
                (
                    stamp,
                    LinkData {
                        result,
                        points: f.points,
                    },
                )
            }),
        }
    }
}

impl Serialize for LinkAnalysis {
    fn serialize<Z: serde::Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        LinkFile::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LinkAnalysis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        LinkFile::deserialize(deserializer).map(Into::into)
    }
}

/// One experiment, model or day of a link analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkPoint {
    pub label: String,
    /// The ML metric.
    pub x: f64,
    /// The business metric.
    pub y: f64,
}

/// The series of an over-time view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineData {
    pub series: Vec<TimeSeries>,
    /// Deployments found in the data: (date as days since 1970-01-01, label).
    pub deployments: Vec<(f64, String)>,
}

/// One metric of one model (or of the whole file) over time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimeSeries {
    /// The model (value of the series column), empty when there is none.
    pub series: String,
    pub metric: String,
    /// (days since 1970-01-01, value), ascending in time.
    pub points: Vec<[f64; 2]>,
}

/// How a distribution is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DistributionChart {
    #[default]
    Histogram,
    BoxPlot,
}

/// Histograms (on common bins) and box-plot statistics per variant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistributionData {
    pub variants: Vec<VariantDistribution>,
    /// Values left out because they were missing or not numbers.
    pub missing: u64,
    /// Values above this were counted in the last bin (a long tail), if any.
    pub tail_from: Option<f64>,
}

/// One variant's distribution.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantDistribution {
    pub variant: String,
    pub histogram: Histogram,
    pub stats: BoxStats,
    /// Units whose value is exactly zero.
    pub zeros: u64,
}
