//! Data files attached to a project, and the role of each column.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A data file linked from the project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dataset {
    /// Stable identifier used by analyses to refer to this dataset.
    pub id: String,
    /// Name shown to the user (defaults to the file name).
    pub name: String,
    /// Path to the file, relative to the project file where possible.
    pub path: PathBuf,
    /// The file format, detected from the extension or content.
    pub format: Option<FileFormat>,
    /// Size, modification time and content hash when the file was last read.
    pub fingerprint: Option<Fingerprint>,
    /// The shape Throughline recognised (or the user chose).
    pub shape: DataShape,
    /// Columns with their detected or chosen roles.
    pub columns: Vec<ColumnSpec>,
    /// How to read the file.
    pub options: ImportOptions,
    /// Ratio metrics defined on this file (e.g. revenue per session), offered to experiment
    /// analyses beside the metric columns. Left out of the saved file when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ratio_metrics: Vec<RatioMetric>,
}

/// A metric that is the ratio of two columns' totals per variant, e.g. revenue per session when
/// each row is a user (analysed with the delta method).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatioMetric {
    /// Its name, e.g. "revenue per session"; empty: "numerator per denominator".
    pub label: String,
    pub numerator: String,
    pub denominator: String,
}

impl RatioMetric {
    /// The name shown: the label, or "revenue per sessions" from the columns.
    pub fn name(&self) -> String {
        if self.label.trim().is_empty() {
            format!("{} per {}", self.numerator, self.denominator)
        } else {
            self.label.trim().to_string()
        }
    }
}

/// The file formats the importer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileFormat {
    Csv,
    Tsv,
    Parquet,
    Json,
    NdJson,
    ArrowIpc,
    Excel,
}

impl FileFormat {
    pub fn label(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Tsv => "TSV",
            FileFormat::Parquet => "Parquet",
            FileFormat::Json => "JSON",
            FileFormat::NdJson => "NDJSON",
            FileFormat::ArrowIpc => "Arrow IPC",
            FileFormat::Excel => "Excel",
        }
    }
}

/// What a data file is: DESIGN.md "Data shapes the importer understands".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataShape {
    /// Not yet recognised.
    #[default]
    Unknown,
    /// One row per user, session or request in an experiment.
    UnitLevel,
    /// One row per model, experiment or day with metric values.
    Aggregated,
    /// One row per variant with n, mean and standard deviation (or sum and sum of squares).
    SummaryStatistics,
}

impl DataShape {
    pub fn label(self) -> &'static str {
        match self {
            DataShape::Unknown => "Not recognised",
            DataShape::UnitLevel => "Unit level (one row per user or session)",
            DataShape::Aggregated => "Aggregated (one row per model, experiment or day)",
            DataShape::SummaryStatistics => "Summary statistics (one row per variant)",
        }
    }
}

/// Size, modification time and content hash of a data file, to notice when it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fingerprint {
    pub size_bytes: u64,
    pub modified_unix_secs: i64,
    /// xxh3-64 of the file's bytes, as 16 hex digits.
    pub content_hash: String,
}

/// What a column means to the analysis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnRole {
    #[default]
    Ignore,
    Variant,
    UnitId,
    Time,
    MlMetric,
    BusinessMetric,
    Segment,
    Score,
    Label,
    /// Summary statistics: the number of units in the row.
    Count,
    /// Summary statistics: the mean of a metric.
    Mean,
    /// Summary statistics: the standard deviation of a metric.
    StdDev,
    /// Summary statistics: the sum of a metric.
    Sum,
    /// Summary statistics: the sum of squares of a metric.
    SumOfSquares,
    /// The standard error of a metric measured with noise (e.g. an experiment's effect), for
    /// the noise-aware link and the meta-analysis; `ColumnSpec::metric` names the metric.
    StandardError,
    /// The value of a metric before the experiment started (e.g. last month's revenue of each
    /// user), used to remove noise from that metric's comparison (CUPED). `ColumnSpec::metric`
    /// names the metric it belongs to.
    PreExperiment,
}

impl ColumnRole {
    pub const ALL: [ColumnRole; 16] = [
        ColumnRole::Ignore,
        ColumnRole::Variant,
        ColumnRole::UnitId,
        ColumnRole::Time,
        ColumnRole::MlMetric,
        ColumnRole::BusinessMetric,
        ColumnRole::Segment,
        ColumnRole::Score,
        ColumnRole::Label,
        ColumnRole::Count,
        ColumnRole::Mean,
        ColumnRole::StdDev,
        ColumnRole::Sum,
        ColumnRole::SumOfSquares,
        ColumnRole::StandardError,
        ColumnRole::PreExperiment,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ColumnRole::Ignore => "Not used",
            ColumnRole::Variant => "Variant",
            ColumnRole::UnitId => "Unit id",
            ColumnRole::Time => "Time",
            ColumnRole::MlMetric => "ML metric",
            ColumnRole::BusinessMetric => "Business metric",
            ColumnRole::Segment => "Segment",
            ColumnRole::Score => "Score",
            ColumnRole::Label => "Label",
            ColumnRole::Count => "Count (n)",
            ColumnRole::Mean => "Mean",
            ColumnRole::StdDev => "Standard deviation",
            ColumnRole::Sum => "Sum",
            ColumnRole::SumOfSquares => "Sum of squares",
            ColumnRole::StandardError => "Standard error of a metric",
            ColumnRole::PreExperiment => "Pre-experiment value of a metric",
        }
    }
}

/// One column of a dataset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnSpec {
    pub name: String,
    pub role: ColumnRole,
    /// The column's type as read ("number", "text", "date", ...).
    pub dtype: String,
    /// For summary-statistics columns: the metric the column describes. For a pre-experiment
    /// value: the metric column it is the earlier value of.
    pub metric: Option<String>,
}

/// How to read a file; `None` means "detect".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    pub delimiter: Option<char>,
    pub decimal_comma: Option<bool>,
    pub has_header: Option<bool>,
    /// Excel: the sheet to read (the first when `None`).
    pub sheet: Option<String>,
    /// Count text in numeric columns as missing instead of refusing the file.
    pub skip_bad_rows: bool,
}
