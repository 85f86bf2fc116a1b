//! Evidence analyses: their settings and a small cache of their results, so that a colleague
//! without the data still sees the evidence.

use serde::{Deserialize, Serialize};

use super::Fingerprint;
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
}

/// A link's computed result and the points it was computed from.
type LinkResults = (Option<(CacheStamp, LinkResult)>, Vec<LinkPoint>);

/// The computed results of every analysis, set aside by analysis id (see
/// [`Evidence::take_results`]).
#[derive(Debug, Default)]
pub struct EvidenceResults {
    experiments: Vec<(String, Option<(CacheStamp, ExperimentResult)>)>,
    links: Vec<(String, LinkResults)>,
    thresholds: Vec<(String, Option<(CacheStamp, ThresholdResult)>)>,
    timelines: Vec<(String, Option<(CacheStamp, TimelineData)>)>,
    distributions: Vec<(String, Option<(CacheStamp, DistributionData)>)>,
}

impl Evidence {
    /// Take every computed result out (leaving the settings): results follow from the settings
    /// and the data, so the undo history keeps settings only. No copy is made.
    pub fn take_results(&mut self) -> EvidenceResults {
        use std::mem::take;
        EvidenceResults {
            experiments: self
                .experiments
                .iter_mut()
                .map(|a| (a.id.clone(), take(&mut a.cache)))
                .collect(),
            links: self
                .links
                .iter_mut()
                .map(|a| (a.id.clone(), (take(&mut a.cache), take(&mut a.points))))
                .collect(),
            thresholds: self
                .thresholds
                .iter_mut()
                .map(|a| (a.id.clone(), take(&mut a.cache)))
                .collect(),
            timelines: self
                .timelines
                .iter_mut()
                .map(|a| (a.id.clone(), take(&mut a.cache)))
                .collect(),
            distributions: self
                .distributions
                .iter_mut()
                .map(|a| (a.id.clone(), take(&mut a.cache)))
                .collect(),
        }
    }

    /// Put results taken by [`Self::take_results`] back, by analysis id, into the analyses
    /// that (still) exist. A result whose settings no longer match is recomputed by the
    /// Evidence page; an analysis that has none keeps the one it has.
    pub fn restore_results(&mut self, results: EvidenceResults) {
        fn put<A, C>(
            items: &mut [A],
            saved: Vec<(String, Option<C>)>,
            id: impl Fn(&A) -> &str,
            slot: impl Fn(&mut A) -> &mut Option<C>,
        ) {
            for (saved_id, cache) in saved {
                if let Some(item) = items.iter_mut().find(|a| id(a) == saved_id) {
                    let slot = slot(item);
                    if cache.is_some() || slot.is_none() {
                        *slot = cache;
                    }
                }
            }
        }
        put(
            &mut self.experiments,
            results.experiments,
            |a| &a.id,
            |a| &mut a.cache,
        );
        put(
            &mut self.thresholds,
            results.thresholds,
            |a| &a.id,
            |a| &mut a.cache,
        );
        put(
            &mut self.timelines,
            results.timelines,
            |a| &a.id,
            |a| &mut a.cache,
        );
        put(
            &mut self.distributions,
            results.distributions,
            |a| &a.id,
            |a| &mut a.cache,
        );
        for (saved_id, (cache, points)) in results.links {
            if let Some(link) = self.links.iter_mut().find(|a| a.id == saved_id)
                && (cache.is_some() || link.cache.is_none())
            {
                link.cache = cache;
                link.points = points;
            }
        }
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
}

impl EvidenceTab {
    pub const ALL: [EvidenceTab; 4] = [
        EvidenceTab::Experiments,
        EvidenceTab::Link,
        EvidenceTab::OverTime,
        EvidenceTab::Distributions,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceTab::Experiments => "Experiment results",
            EvidenceTab::Link => "ML vs business",
            EvidenceTab::OverTime => "Over time",
            EvidenceTab::Distributions => "Distributions",
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

/// An A/B experiment analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExperimentAnalysis {
    pub id: String,
    pub name: String,
    pub dataset_id: String,
    pub variant_column: String,
    pub control: String,
    pub metrics: Vec<MetricSpec>,
    pub alpha: f64,
    /// Expected traffic split per variant for the sample-ratio check; empty means equal.
    pub expected_split: Vec<(String, f64)>,
    /// Show Holm-adjusted p-values.
    pub holm: bool,
    pub cache: Option<(CacheStamp, ExperimentResult)>,
}

impl Default for ExperimentAnalysis {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            dataset_id: String::new(),
            variant_column: String::new(),
            control: String::new(),
            metrics: Vec::new(),
            alpha: 0.05,
            expected_split: Vec::new(),
            holm: false,
            cache: None,
        }
    }
}

/// An ML-metric-to-business-metric link across experiments, models or days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkAnalysis {
    pub id: String,
    pub name: String,
    pub dataset_id: String,
    /// Column naming each point (experiment, model or date).
    pub label_column: Option<String>,
    /// The ML metric.
    pub x: String,
    /// The business metric.
    pub y: String,
    pub alpha: f64,
    pub cache: Option<(CacheStamp, LinkResult)>,
    /// The points the cached result was computed from (one per experiment, model or day), so
    /// the plots show without the data.
    pub points: Vec<LinkPoint>,
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

impl Default for LinkAnalysis {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            dataset_id: String::new(),
            label_column: None,
            x: String::new(),
            y: String::new(),
            alpha: 0.05,
            cache: None,
            points: Vec::new(),
        }
    }
}

/// The value of a classifier's decision threshold under a value matrix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThresholdAnalysis {
    pub id: String,
    pub name: String,
    pub dataset_id: String,
    pub score_column: String,
    pub label_column: String,
    pub value_tp: f64,
    pub value_fp: f64,
    pub value_fn: f64,
    pub value_tn: f64,
    pub cache: Option<(CacheStamp, ThresholdResult)>,
}

/// Daily metrics per model over time, with deployment dates marked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineView {
    pub id: String,
    pub name: String,
    pub dataset_id: String,
    pub time_column: String,
    pub series_column: Option<String>,
    pub metrics: Vec<String>,
    /// Deployment dates (ISO 8601) with a label.
    pub deployments: Vec<(String, String)>,
    /// Read the deployment dates from this column of the data (a date, or a yes/1 flag on the
    /// day a model went live) in addition to `deployments`.
    pub deployment_column: Option<String>,
    /// Read deployment dates from this dataset too (one row per deployment: a date and the
    /// model).
    pub deployment_dataset: Option<String>,
    /// The series, when small enough to keep in the project (large series are read again
    /// from the data).
    pub cache: Option<(CacheStamp, TimelineData)>,
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

/// A metric's distribution per variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistributionView {
    pub id: String,
    pub name: String,
    pub dataset_id: String,
    pub variant_column: String,
    pub metric: String,
    pub chart: DistributionChart,
    pub bins: u32,
    /// Leave zeros out (e.g. the revenue of buyers only).
    pub exclude_zeros: bool,
    pub cache: Option<(CacheStamp, DistributionData)>,
}

impl Default for DistributionView {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            dataset_id: String::new(),
            variant_column: String::new(),
            metric: String::new(),
            chart: DistributionChart::Histogram,
            bins: 30,
            exclude_zeros: false,
            cache: None,
        }
    }
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
