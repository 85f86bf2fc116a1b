//! Evidence analyses: their settings and a small cache of their results, so that a colleague
//! without the data still sees the evidence.

use serde::{Deserialize, Serialize};

use super::Fingerprint;
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
}
