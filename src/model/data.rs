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
}

impl ColumnRole {
    pub const ALL: [ColumnRole; 15] = [
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
    /// For summary-statistics columns: the metric the column describes.
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
