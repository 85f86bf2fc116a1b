//! The reading path of the analysis: from a data file to the plain inputs `analysis` takes,
//! reading only the columns an analysis needs.
//!
//! - Experiments: [`read_experiment`] turns a unit-level file (one row per user) into
//!   per-variant [`SufficientStats`], or reads a summary-statistics file (one row per variant,
//!   or per variant and day, with n, mean and standard deviation, or n, sum and sum of squares),
//!   so both shapes give the same analysis.
//! - Links: [`read_pairs`] reads two numeric columns.
//! - Thresholds: [`read_scores`] reads a score column and a yes/no label column.
//!
//! UTF-8 CSV and TSV files are recognised exactly as the importer does (format detection and
//! dialect sniffing from `data::detect`), then read by a streaming parallel reader of our own
//! (`csv_scan`): it looks at the needed fields only, never holds more than a few blocks of
//! 512 KiB, and reports the row, line and value of any bad cell; polars is not involved.
//! Every other file (Parquet, Arrow IPC, JSON, NDJSON, Excel, UTF-16 text) is opened with
//! [`Source::open`] and read batch by batch through [`Source::for_each_batch`], with only the
//! needed columns. [`ReadEngine::Polars`] forces the second path for CSV too, to compare them
//! (docs/PERFORMANCE.md). Errors are the importer's [`DataError`] where one fits.
//!
//! Row numbers in messages count data rows from 1 (the header is not a row, blank lines are
//! skipped); CSV messages also give the line of the file (the header is line 1).

mod cells;
mod csv_scan;
mod polars_path;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use thiserror::Error;

use super::{DataError, Source, TextEncoding, detect};
use crate::analysis::{
    AnalysisError, ExperimentInput, ExperimentResult, LinkResult, MetricInput, SufficientStats,
    ThresholdResult, ValueMatrix, analyze_experiment, analyze_link, threshold_curve,
};
use crate::model::{
    DataShape, ExperimentAnalysis, FileFormat, ImportOptions, LinkAnalysis, MetricKind,
    ThresholdAnalysis,
};
use cells::{Cell, Label, Num, cell_label, cell_number, cell_text};
use csv_scan::{CellError, CellProblem, Dialect, Sink};

/// The most distinct values a variant column may hold.
pub const MAX_VARIANTS: usize = 10_000;

/// Why a file could not be read for an analysis. Every message names the file and, where it
/// applies, the column, the row and the value.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum AggregateError {
    /// A problem the data importer names (missing file, bad number, ragged row, ...).
    #[error(transparent)]
    Data(#[from] DataError),

    #[error(
        "The column \"{column}\" of \"{file}\" should hold yes/no labels (1/0, true/false or \
         yes/no), but {} holds \"{value}\".",
        where_(*row, *line)
    )]
    NotALabel {
        file: String,
        column: String,
        row: u64,
        line: Option<u64>,
        value: String,
    },

    #[error(
        "The column \"{column}\" of \"{file}\" has more than {MAX_VARIANTS} different values; \
         is it really the column that names the variant?"
    )]
    TooManyVariants { file: String, column: String },

    #[error("The file \"{file}\" could not be read: {message}.")]
    Malformed { file: String, message: String },

    #[error("The column \"{column}\" of \"{file}\" is used twice: {message}.")]
    SameColumn {
        file: String,
        column: String,
        message: String,
    },

    #[error(
        "The file \"{file}\" has no column \"{metric}\", and no summary-statistics columns for \
         it either ({metric}_mean with {metric}_std, or {metric}_sum with {metric}_sum_sq, plus \
         a count such as n or {metric}_n). Its columns are: {}.",
        quoted(available)
    )]
    UnknownMetric {
        file: String,
        metric: String,
        available: Vec<String>,
    },
}

impl AggregateError {
    /// Whether the user cancelled the reading (not a failure to report as an error).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, AggregateError::Data(e) if e.is_cancelled())
    }

    /// Whether the error is a value that `skip_bad_rows` would have let through.
    pub fn is_skippable(&self) -> bool {
        matches!(
            self,
            AggregateError::Data(DataError::NotNumeric { .. } | DataError::Ragged { .. })
                | AggregateError::NotALabel { .. }
        )
    }
}

fn quoted(values: &[String]) -> String {
    if values.is_empty() {
        return "(none)".to_owned();
    }
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn where_(row: u64, line: Option<u64>) -> String {
    match line {
        Some(line) if line != row => format!("row {row} (line {line})"),
        _ => format!("row {row}"),
    }
}

/// The error for a bad cell at data row `row` (from 1) and, for text files, `line`.
pub(crate) fn cell_error(
    file: &str,
    column: &str,
    row: u64,
    line: Option<u64>,
    e: CellError,
) -> AggregateError {
    let file = file.to_owned();
    let column = column.to_owned();
    match e.problem {
        CellProblem::NotANumber => AggregateError::Data(DataError::NotNumeric {
            file,
            column,
            row,
            line,
            value: e.value,
        }),
        CellProblem::NotALabel => AggregateError::NotALabel {
            file,
            column,
            row,
            line,
            value: e.value,
        },
        CellProblem::NotUtf8 => AggregateError::Data(DataError::NotUtf8 {
            file,
            line: line.unwrap_or(row),
        }),
        CellProblem::TooManyVariants => AggregateError::TooManyVariants { file, column },
    }
}

/// Cancellation, progress and the choice of reader for long reads (the window runs them on a
/// worker thread).
#[derive(Clone, Copy, Default)]
pub struct ReadControl<'a> {
    /// Set to true to stop reading; the read then fails with `DataError::Cancelled`
    /// ([`AggregateError::is_cancelled`]).
    pub cancel: Option<&'a AtomicBool>,
    /// Called with (work done, work to do) as reading proceeds: bytes for the CSV reader,
    /// rows (estimated when unknown) for the others.
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
    /// Which reader to use (the default picks the fastest).
    pub engine: ReadEngine,
}

impl std::fmt::Debug for ReadControl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadControl")
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .field("engine", &self.engine)
            .finish()
    }
}

/// The per-variant statistics of an experiment file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExperimentData {
    /// The file as given, for the report.
    pub file: String,
    pub variant_column: String,
    /// Unit level or summary statistics.
    pub shape: DataShape,
    /// Data rows read (summary statistics: units counted).
    pub rows: u64,
    /// Rows per variant, sorted by variant name.
    pub variant_rows: Vec<(String, u64)>,
    /// Per metric (in the order asked), statistics aligned with `variant_rows`.
    pub metrics: Vec<(String, Vec<SufficientStats>)>,
    /// Warnings about the data (rows without a variant, skipped rows, ...).
    pub warnings: Vec<String>,
}

impl ExperimentData {
    /// The input of [`crate::analysis::analyze_experiment`]. `kinds` gives each metric's kind
    /// (missing entries mean auto).
    pub fn to_input(
        &self,
        control: &str,
        alpha: f64,
        kinds: &[MetricKind],
        expected_split: &[(String, f64)],
    ) -> ExperimentInput {
        ExperimentInput {
            file: self.file.clone(),
            variant_column: self.variant_column.clone(),
            rows: self.rows,
            variant_rows: self.variant_rows.clone(),
            metrics: self
                .metrics
                .iter()
                .enumerate()
                .map(|(i, (name, stats))| MetricInput {
                    name: name.clone(),
                    kind: kinds.get(i).copied().unwrap_or_default(),
                    stats: stats.clone(),
                })
                .collect(),
            control: control.to_owned(),
            alpha,
            expected_split: expected_split.to_vec(),
            warnings: self.warnings.clone(),
        }
    }
}

/// Why an analysis of a file could not run: the file could not be read, or its data cannot be
/// analysed (one variant only, an unknown control, ...).
#[derive(Clone, Debug, PartialEq, Error)]
pub enum RunError {
    #[error(transparent)]
    Read(#[from] AggregateError),
    #[error("{file}: {error}")]
    Analysis { file: String, error: AnalysisError },
}

impl RunError {
    /// Whether the user cancelled the reading.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, RunError::Read(e) if e.is_cancelled())
    }
}

/// Reads `path` and runs a project's experiment analysis (the Evidence view's one call).
pub fn run_experiment(
    path: &Path,
    options: &ImportOptions,
    spec: &ExperimentAnalysis,
    control: &ReadControl<'_>,
) -> Result<ExperimentResult, RunError> {
    let metrics: Vec<String> = spec.metrics.iter().map(|m| m.column.clone()).collect();
    let data = read_experiment(path, options, &spec.variant_column, &metrics, control)?;
    // `read_experiment` drops repeated metrics: look the kinds up by name.
    let kinds: Vec<MetricKind> = data
        .metrics
        .iter()
        .map(|(name, _)| {
            spec.metrics
                .iter()
                .find(|m| m.column == *name)
                .map(|m| m.kind)
                .unwrap_or_default()
        })
        .collect();
    let input = data.to_input(&spec.control, spec.alpha, &kinds, &spec.expected_split);
    analyze_experiment(&input).map_err(|error| RunError::Analysis {
        file: data.file.clone(),
        error,
    })
}

/// Reads `path` and runs a project's link analysis.
pub fn run_link(
    path: &Path,
    options: &ImportOptions,
    spec: &LinkAnalysis,
    control: &ReadControl<'_>,
) -> Result<LinkResult, RunError> {
    let data = read_pairs(path, options, &spec.x, &spec.y, control)?;
    let mut result =
        analyze_link(&data.x, &data.y, spec.alpha, &spec.x, &spec.y).map_err(|error| {
            RunError::Analysis {
                file: data.file.clone(),
                error,
            }
        })?;
    let mut warnings = data.warnings;
    warnings.append(&mut result.warnings);
    result.warnings = warnings;
    Ok(result)
}

/// Reads `path` and computes a project's threshold value curve.
pub fn run_threshold(
    path: &Path,
    options: &ImportOptions,
    spec: &ThresholdAnalysis,
    control: &ReadControl<'_>,
) -> Result<ThresholdResult, RunError> {
    let data = read_scores(
        path,
        options,
        &spec.score_column,
        &spec.label_column,
        control,
    )?;
    let values = ValueMatrix {
        true_positive: spec.value_tp,
        false_positive: spec.value_fp,
        false_negative: spec.value_fn,
        true_negative: spec.value_tn,
    };
    let mut result = threshold_curve(&data.scores, &data.labels, values).map_err(|error| {
        RunError::Analysis {
            file: data.file.clone(),
            error,
        }
    })?;
    let mut warnings = data.warnings;
    warnings.append(&mut result.warnings);
    result.warnings = warnings;
    Ok(result)
}

/// The columns of a summary-statistics file that describe one metric.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SummaryColumns {
    /// n, mean and sample standard deviation (n − 1).
    MeanStdDev {
        count: String,
        mean: String,
        std_dev: String,
    },
    /// n, sum and sum of squares.
    Sums {
        count: String,
        sum: String,
        sum_sq: String,
    },
}

/// Reads an experiment: `variant_column` names each row's variant; `metrics` are metric
/// columns (unit level) or metric names whose summary-statistics columns are found by name
/// (`revenue_mean`, `revenue_std`, `n`, ...; see [`find_summary_columns`]).
pub fn read_experiment(
    path: &Path,
    options: &ImportOptions,
    variant_column: &str,
    metrics: &[String],
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let file = source.label.clone();
    let variant_index = find_column(&file, &columns, variant_column)?;
    let metrics = dedup(metrics);
    if metrics.iter().all(|m| columns.contains(m)) {
        for m in &metrics {
            if m == variant_column {
                return Err(AggregateError::SameColumn {
                    file,
                    column: m.clone(),
                    message: "it cannot be both the variant column and a metric".to_owned(),
                });
            }
        }
        return read_unit_level(&source, variant_index, &metrics, control);
    }
    let mut summary = Vec::with_capacity(metrics.len());
    for m in metrics.iter().filter(|m| !columns.contains(m)) {
        match find_summary_columns(&columns, m) {
            Some(s) => summary.push((m.clone(), s)),
            None => {
                return Err(AggregateError::UnknownMetric {
                    file,
                    metric: m.clone(),
                    available: columns,
                });
            }
        }
    }
    if let Some(m) = metrics.iter().find(|m| columns.contains(m)) {
        return Err(AggregateError::Malformed {
            file,
            message: format!(
                "\"{m}\" is a column of values, but the other metrics are summary statistics; \
                 analyse unit-level and summary-statistics files separately"
            ),
        });
    }
    read_summary(&source, variant_index, &summary, control)
}

/// Reads a summary-statistics file with explicitly named columns (the Data page's roles).
pub fn read_experiment_summary(
    path: &Path,
    options: &ImportOptions,
    variant_column: &str,
    metrics: &[(String, SummaryColumns)],
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let variant_index = find_column(&source.label, &columns, variant_column)?;
    read_summary(&source, variant_index, metrics, control)
}

/// Finds the summary-statistics columns of `metric` by their usual names: a count (`M_n`,
/// `M_count`, `n`, `count`, `users`, `units`), then `M_mean` with `M_std` (or `M_sd`,
/// `M_std_dev`, `M_stddev`), or `M_sum` with `M_sum_sq` (or `M_sumsq`, `M_sum_squares`).
pub fn find_summary_columns(columns: &[String], metric: &str) -> Option<SummaryColumns> {
    let find = |candidates: &[String]| -> Option<String> {
        candidates.iter().find_map(|c| {
            columns
                .iter()
                .find(|col| col.eq_ignore_ascii_case(c))
                .cloned()
        })
    };
    let m = metric;
    let mut counts = vec![format!("{m}_n"), format!("{m}_count")];
    counts.extend(UNITS_COLUMNS.iter().map(|c| (*c).to_owned()));
    let count = find(&counts)?;
    let mean = find(&[format!("{m}_mean"), format!("mean_{m}"), format!("{m}_avg")]);
    let std_dev = find(&[
        format!("{m}_std"),
        format!("{m}_sd"),
        format!("{m}_std_dev"),
        format!("{m}_stddev"),
        format!("{m}_stdev"),
        format!("std_{m}"),
        format!("sd_{m}"),
    ]);
    if let (Some(mean), Some(std_dev)) = (mean, std_dev) {
        return Some(SummaryColumns::MeanStdDev {
            count,
            mean,
            std_dev,
        });
    }
    let sum = find(&[format!("{m}_sum"), format!("sum_{m}")]);
    let sum_sq = find(&[
        format!("{m}_sum_sq"),
        format!("{m}_sumsq"),
        format!("{m}_sum_squares"),
        format!("{m}_sum_of_squares"),
        format!("sum_sq_{m}"),
        format!("sumsq_{m}"),
    ]);
    if let (Some(sum), Some(sum_sq)) = (sum, sum_sq) {
        return Some(SummaryColumns::Sums { count, sum, sum_sq });
    }
    None
}

/// The column counting the units (rows) of each summary row, if the file has one.
fn find_units_column(columns: &[String]) -> Option<String> {
    UNITS_COLUMNS.iter().find_map(|c| {
        columns
            .iter()
            .find(|col| col.eq_ignore_ascii_case(c))
            .cloned()
    })
}

/// Names of a summary file's count of units per row, in order of preference.
const UNITS_COLUMNS: [&str; 6] = ["n", "count", "users", "units", "n_units", "rows"];

/// Two numeric columns, pair by pair (missing values are NaN, left out by the link analysis).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairData {
    pub file: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub warnings: Vec<String>,
}

/// Reads two numeric columns for [`crate::analysis::analyze_link`].
pub fn read_pairs(
    path: &Path,
    options: &ImportOptions,
    x: &str,
    y: &str,
    control: &ReadControl<'_>,
) -> Result<PairData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let xi = find_column(&source.label, &columns, x)?;
    let yi = find_column(&source.label, &columns, y)?;
    let (needed, slots) = if xi == yi {
        (vec![xi], [0, 0])
    } else {
        (vec![xi, yi], [0, 1])
    };
    let sink = PairSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        slots,
    };
    let mut out = PairData {
        file: source.label.clone(),
        ..PairData::default()
    };
    let mut skipped = 0;
    source.scan(&needed, &sink, control, |block: PairBlock| {
        out.x.extend(block.x);
        out.y.extend(block.y);
        skipped += block.skipped;
        Ok(())
    })?;
    if skipped > 0 {
        out.warnings.push(skipped_rows_warning(skipped));
    }
    Ok(out)
}

/// Scores and yes/no labels of a classifier, row by row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoreData {
    pub file: String,
    pub scores: Vec<f64>,
    pub labels: Vec<bool>,
    pub warnings: Vec<String>,
}

/// Reads a score column and a label column for [`crate::analysis::threshold_curve`]. Rows
/// missing either are left out with a warning.
pub fn read_scores(
    path: &Path,
    options: &ImportOptions,
    score: &str,
    label: &str,
    control: &ReadControl<'_>,
) -> Result<ScoreData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let si = find_column(&source.label, &columns, score)?;
    let li = find_column(&source.label, &columns, label)?;
    if si == li {
        return Err(AggregateError::SameColumn {
            file: source.label.clone(),
            column: score.to_owned(),
            message: "it cannot be both the score and the label".to_owned(),
        });
    }
    let sink = ScoreSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
    };
    let mut out = ScoreData {
        file: source.label.clone(),
        ..ScoreData::default()
    };
    let (mut missing, mut skipped) = (0_u64, 0_u64);
    source.scan(&[si, li], &sink, control, |block: ScoreBlock| {
        out.scores.extend(block.scores);
        out.labels.extend(block.labels);
        missing += block.missing;
        skipped += block.skipped;
        Ok(())
    })?;
    if missing > 0 {
        out.warnings.push(format!(
            "{missing} row{} without a score or a label {} left out.",
            plural(missing),
            was(missing)
        ));
    }
    if skipped > 0 {
        out.warnings.push(skipped_rows_warning(skipped));
    }
    Ok(out)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn was(n: u64) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

fn skipped_rows_warning(n: u64) -> String {
    format!(
        "{n} row{} with too few fields or an unreadable value {} skipped (--skip-bad-rows).",
        plural(n),
        was(n)
    )
}

fn dedup(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

fn find_column(file: &str, columns: &[String], name: &str) -> Result<usize, AggregateError> {
    columns.iter().position(|c| c == name).ok_or_else(|| {
        AggregateError::Data(DataError::UnknownColumn {
            file: file.to_owned(),
            column: name.to_owned(),
            available: columns.to_vec(),
        })
    })
}

// ----- experiment (unit level) -----

struct ExperimentSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    metrics: usize,
}

struct VariantBlock {
    name: Vec<u8>,
    rows: u64,
    stats: Vec<SufficientStats>,
}

#[derive(Default)]
struct ExperimentBlock {
    variants: Vec<VariantBlock>,
    lookup: HashMap<Vec<u8>, usize>,
    last: usize,
    rows_without_variant: u64,
    skipped: u64,
}

impl ExperimentBlock {
    #[inline]
    fn variant_index(&mut self, name: &[u8], metrics: usize) -> Result<usize, CellProblem> {
        if let Some(v) = self.variants.get(self.last)
            && v.name == name
        {
            return Ok(self.last);
        }
        let found = if self.variants.len() <= 16 {
            self.variants.iter().position(|v| v.name == name)
        } else {
            self.lookup.get(name).copied()
        };
        if let Some(i) = found {
            self.last = i;
            return Ok(i);
        }
        if std::str::from_utf8(name).is_err() {
            return Err(CellProblem::NotUtf8);
        }
        if self.variants.len() >= MAX_VARIANTS {
            return Err(CellProblem::TooManyVariants);
        }
        let i = self.variants.len();
        self.variants.push(VariantBlock {
            name: name.to_vec(),
            rows: 0,
            stats: vec![SufficientStats::new(); metrics],
        });
        self.lookup.insert(name.to_vec(), i);
        self.last = i;
        Ok(i)
    }
}

impl Sink for ExperimentSink {
    type Block = ExperimentBlock;

    fn new_block(&self) -> ExperimentBlock {
        ExperimentBlock::default()
    }

    #[inline]
    fn record(&self, block: &mut ExperimentBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let Some((variant_cell, metric_cells)) = cells.split_first() else {
            return Ok(());
        };
        let owned;
        let name: &[u8] = match variant_cell {
            Cell::Text(b) => b.trim_ascii(),
            Cell::Owned(b) => b.trim_ascii(),
            Cell::Null => &[],
            other => {
                owned = cell_text(other);
                owned.as_bytes()
            }
        };
        if name.is_empty() {
            block.rows_without_variant += 1;
            return Ok(());
        }
        let index = block
            .variant_index(name, self.metrics)
            .map_err(|problem| CellError {
                position: 0,
                value: String::from_utf8_lossy(name).into_owned(),
                problem,
            })?;
        let Some(variant) = block.variants.get_mut(index) else {
            return Ok(());
        };
        variant.rows += 1;
        for (k, (cell, stats)) in metric_cells
            .iter()
            .zip(variant.stats.iter_mut())
            .enumerate()
        {
            match cell_number(cell, self.decimal_comma) {
                Num::Value(x) => stats.push(x),
                Num::Missing => stats.push_missing(),
                Num::Bad if self.skip_bad_rows => stats.push_unreadable(),
                Num::Bad => {
                    return Err(CellError {
                        position: k + 1,
                        value: cell_text(cell),
                        problem: CellProblem::NotANumber,
                    });
                }
            }
        }
        Ok(())
    }

    fn short_record(&self, block: &mut ExperimentBlock) -> Result<(), ()> {
        if self.skip_bad_rows {
            block.skipped += 1;
            Ok(())
        } else {
            Err(())
        }
    }
}

/// Combines blocks, in file order, into per-variant totals.
#[derive(Default)]
struct VariantTotals {
    names: Vec<String>,
    rows: Vec<u64>,
    stats: Vec<Vec<SufficientStats>>,
    index: HashMap<String, usize>,
    rows_without_variant: u64,
    skipped: u64,
}

impl VariantTotals {
    fn add(&mut self, name: &str, rows: u64, stats: &[SufficientStats], metrics: usize) {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.names.len();
                self.names.push(name.to_owned());
                self.rows.push(0);
                self.stats.push(vec![SufficientStats::new(); metrics]);
                self.index.insert(name.to_owned(), i);
                i
            }
        };
        if let Some(r) = self.rows.get_mut(i) {
            *r += rows;
        }
        if let Some(total) = self.stats.get_mut(i) {
            for (t, s) in total.iter_mut().zip(stats) {
                t.merge(s);
            }
        }
    }

    fn finish(
        self,
        file: String,
        variant_column: String,
        shape: DataShape,
        rows: u64,
        metric_names: Vec<String>,
    ) -> ExperimentData {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names.get(a).cmp(&self.names.get(b)));
        let variant_rows = order
            .iter()
            .filter_map(|&i| Some((self.names.get(i)?.clone(), *self.rows.get(i)?)))
            .collect();
        let metrics = metric_names
            .into_iter()
            .enumerate()
            .map(|(m, name)| {
                let stats = order
                    .iter()
                    .map(|&i| {
                        self.stats
                            .get(i)
                            .and_then(|s| s.get(m))
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect();
                (name, stats)
            })
            .collect();
        let mut warnings = Vec::new();
        if self.rows_without_variant > 0 {
            warnings.push(format!(
                "{} row{} without a value in the variant column \"{variant_column}\" {} left out.",
                self.rows_without_variant,
                plural(self.rows_without_variant),
                was(self.rows_without_variant)
            ));
        }
        if self.skipped > 0 {
            warnings.push(skipped_rows_warning(self.skipped));
        }
        ExperimentData {
            file,
            variant_column,
            shape,
            rows,
            variant_rows,
            metrics,
            warnings,
        }
    }
}

fn read_unit_level(
    source: &Opened,
    variant_index: usize,
    metrics: &[String],
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let columns = source.columns();
    let mut needed = vec![variant_index];
    for m in metrics {
        needed.push(find_column(&source.label, columns, m)?);
    }
    let sink = ExperimentSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        metrics: metrics.len(),
    };
    let mut totals = VariantTotals::default();
    let rows = source.scan(&needed, &sink, control, |block: ExperimentBlock| {
        totals.rows_without_variant += block.rows_without_variant;
        totals.skipped += block.skipped;
        for v in &block.variants {
            let name = String::from_utf8_lossy(&v.name);
            totals.add(&name, v.rows, &v.stats, metrics.len());
        }
        Ok(())
    })?;
    let variant_column = columns.get(variant_index).cloned().unwrap_or_default();
    Ok(totals.finish(
        source.label.clone(),
        variant_column,
        DataShape::UnitLevel,
        rows,
        metrics.to_vec(),
    ))
}

// ----- experiment (summary statistics) -----

struct SummarySink {
    decimal_comma: bool,
    /// Per metric: slots of (count, mean or sum, std dev or sum of squares) and the form.
    metrics: Vec<(usize, usize, usize, bool)>,
    /// The slot of the number of units (rows) per variant, when the file has one apart from the
    /// metrics' counts: the sample-ratio check uses it, and a metric counting fewer units had
    /// missing values.
    units_slot: Option<usize>,
}

#[derive(Default)]
struct SummaryBlock {
    rows: Vec<(Vec<u8>, u64, Vec<SufficientStats>)>,
    rows_without_variant: u64,
}

impl Sink for SummarySink {
    type Block = SummaryBlock;

    fn new_block(&self) -> SummaryBlock {
        SummaryBlock::default()
    }

    fn record(&self, block: &mut SummaryBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let Some(variant_cell) = cells.first() else {
            return Ok(());
        };
        let name = cell_text(variant_cell);
        if name.is_empty() {
            block.rows_without_variant += 1;
            return Ok(());
        }
        let number = |slot: usize| -> Result<Option<f64>, CellError> {
            let cell = cells.get(slot).unwrap_or(&Cell::Null);
            match cell_number(cell, self.decimal_comma) {
                Num::Value(x) if x.is_finite() => Ok(Some(x)),
                Num::Missing => Ok(None),
                _ => Err(CellError {
                    position: slot,
                    value: cell_text(cell),
                    problem: CellProblem::NotANumber,
                }),
            }
        };
        let count = |slot: usize| -> Result<u64, CellError> {
            match number(slot)? {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 9e15 => Ok(n as u64),
                Some(_) => Err(CellError {
                    position: slot,
                    value: cell_text(cells.get(slot).unwrap_or(&Cell::Null)),
                    problem: CellProblem::NotANumber,
                }),
                None => Ok(0),
            }
        };
        let units_column = self.units_slot.map(count).transpose()?;
        let mut units = units_column.unwrap_or(0);
        let mut stats = Vec::with_capacity(self.metrics.len());
        for &(count_slot, a_slot, b_slot, mean_form) in &self.metrics {
            let bad = |slot: usize| CellError {
                position: slot,
                value: cell_text(cells.get(slot).unwrap_or(&Cell::Null)),
                problem: CellProblem::NotANumber,
            };
            let n = count(count_slot)?;
            let missing = units_column.map_or(0, |u| u.saturating_sub(n));
            units = units.max(n);
            let (a, b) = (number(a_slot)?, number(b_slot)?);
            let s = match (a, b) {
                _ if n == 0 => SufficientStats::from_mean_sd(0, 0.0, 0.0, missing),
                (Some(a), Some(b)) if mean_form => SufficientStats::from_mean_sd(n, a, b, missing),
                (Some(a), None) if mean_form && n == 1 => {
                    SufficientStats::from_mean_sd(n, a, 0.0, missing)
                }
                (Some(a), Some(b)) => SufficientStats::from_sums(n, a, b, missing),
                (None, _) => return Err(bad(a_slot)),
                (Some(_), None) => return Err(bad(b_slot)),
            };
            match s {
                Some(s) => stats.push(s),
                None => return Err(bad(b_slot)),
            }
        }
        block.rows.push((name.into_bytes(), units, stats));
        Ok(())
    }

    fn short_record(&self, _block: &mut SummaryBlock) -> Result<(), ()> {
        Err(())
    }
}

fn read_summary(
    source: &Opened,
    variant_index: usize,
    metrics: &[(String, SummaryColumns)],
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let columns = source.columns();
    let mut needed = vec![variant_index];
    let slot_of = |name: &str, needed: &mut Vec<usize>| -> Result<usize, AggregateError> {
        let index = find_column(&source.label, columns, name)?;
        Ok(match needed.iter().position(|&i| i == index) {
            Some(slot) => slot,
            None => {
                needed.push(index);
                needed.len() - 1
            }
        })
    };
    let mut plan = Vec::with_capacity(metrics.len());
    for (_, spec) in metrics {
        let entry = match spec {
            SummaryColumns::MeanStdDev {
                count,
                mean,
                std_dev,
            } => (
                slot_of(count, &mut needed)?,
                slot_of(mean, &mut needed)?,
                slot_of(std_dev, &mut needed)?,
                true,
            ),
            SummaryColumns::Sums { count, sum, sum_sq } => (
                slot_of(count, &mut needed)?,
                slot_of(sum, &mut needed)?,
                slot_of(sum_sq, &mut needed)?,
                false,
            ),
        };
        plan.push(entry);
    }
    // A count of units for the whole row (n, count, users, ...), apart from the metrics'.
    let units_slot = match find_units_column(columns) {
        Some(name)
            if metrics.iter().any(|(_, spec)| match spec {
                SummaryColumns::MeanStdDev { count, .. } | SummaryColumns::Sums { count, .. } => {
                    *count != name
                }
            }) =>
        {
            Some(slot_of(&name, &mut needed)?)
        }
        _ => None,
    };
    let sink = SummarySink {
        decimal_comma: source.decimal_comma(),
        metrics: plan,
        units_slot,
    };
    let mut totals = VariantTotals::default();
    let rows = source.scan(&needed, &sink, control, |block: SummaryBlock| {
        totals.rows_without_variant += block.rows_without_variant;
        for (name, units, stats) in &block.rows {
            let name = String::from_utf8_lossy(name);
            totals.add(&name, *units, stats, metrics.len());
        }
        Ok(())
    })?;
    let units: u64 = totals.rows.iter().sum();
    let variant_column = columns.get(variant_index).cloned().unwrap_or_default();
    let names = metrics.iter().map(|(m, _)| m.clone()).collect();
    let mut data = totals.finish(
        source.label.clone(),
        variant_column,
        DataShape::SummaryStatistics,
        units,
        names,
    );
    data.warnings.push(format!(
        "{} holds summary statistics ({rows} row{}); the analysis uses the counts, means and \
         spreads it lists.",
        // The file's name only: the note is saved with the result, which may travel.
        source.path.file_name().map_or_else(
            || source.label.clone(),
            |n| n.to_string_lossy().into_owned()
        ),
        plural(rows)
    ));
    Ok(data)
}

// ----- pairs and scores -----

struct PairSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    slots: [usize; 2],
}

#[derive(Default)]
struct PairBlock {
    x: Vec<f64>,
    y: Vec<f64>,
    skipped: u64,
}

impl Sink for PairSink {
    type Block = PairBlock;

    fn new_block(&self) -> PairBlock {
        PairBlock::default()
    }

    fn record(&self, block: &mut PairBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let mut values = [f64::NAN; 2];
        for (value, &slot) in values.iter_mut().zip(&self.slots) {
            let cell = cells.get(slot).unwrap_or(&Cell::Null);
            *value = match cell_number(cell, self.decimal_comma) {
                Num::Value(x) => x,
                Num::Missing => f64::NAN,
                Num::Bad if self.skip_bad_rows => {
                    block.skipped += 1;
                    return Ok(());
                }
                Num::Bad => {
                    return Err(CellError {
                        position: slot,
                        value: cell_text(cell),
                        problem: CellProblem::NotANumber,
                    });
                }
            };
        }
        block.x.push(values[0]);
        block.y.push(values[1]);
        Ok(())
    }

    fn short_record(&self, block: &mut PairBlock) -> Result<(), ()> {
        if self.skip_bad_rows {
            block.skipped += 1;
            Ok(())
        } else {
            Err(())
        }
    }
}

struct ScoreSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
}

#[derive(Default)]
struct ScoreBlock {
    scores: Vec<f64>,
    labels: Vec<bool>,
    missing: u64,
    skipped: u64,
}

impl Sink for ScoreSink {
    type Block = ScoreBlock;

    fn new_block(&self) -> ScoreBlock {
        ScoreBlock::default()
    }

    fn record(&self, block: &mut ScoreBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let (Some(score_cell), Some(label_cell)) = (cells.first(), cells.get(1)) else {
            return Ok(());
        };
        let score = match cell_number(score_cell, self.decimal_comma) {
            Num::Value(x) if !x.is_nan() => Some(x),
            Num::Value(_) | Num::Missing => None,
            Num::Bad if self.skip_bad_rows => {
                block.skipped += 1;
                return Ok(());
            }
            Num::Bad => {
                return Err(CellError {
                    position: 0,
                    value: cell_text(score_cell),
                    problem: CellProblem::NotANumber,
                });
            }
        };
        let label = match cell_label(label_cell) {
            Label::Yes => Some(true),
            Label::No => Some(false),
            Label::Missing => None,
            Label::Bad if self.skip_bad_rows => {
                block.skipped += 1;
                return Ok(());
            }
            Label::Bad => {
                return Err(CellError {
                    position: 1,
                    value: cell_text(label_cell),
                    problem: CellProblem::NotALabel,
                });
            }
        };
        match (score, label) {
            (Some(s), Some(l)) => {
                block.scores.push(s);
                block.labels.push(l);
            }
            _ => block.missing += 1,
        }
        Ok(())
    }

    fn short_record(&self, block: &mut ScoreBlock) -> Result<(), ()> {
        if self.skip_bad_rows {
            block.skipped += 1;
            Ok(())
        } else {
            Err(())
        }
    }
}

// ----- sources -----

/// Which reader turns a CSV or TSV file into statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadEngine {
    /// The streaming parallel reader for UTF-8 CSV/TSV, polars batches for everything else.
    #[default]
    Auto,
    /// polars batches for every format (slower on CSV; kept to compare the two).
    Polars,
}

/// An opened data file and how its rows will be read.
struct Opened {
    path: std::path::PathBuf,
    label: String,
    columns: Vec<String>,
    decimal_comma: bool,
    skip_bad_rows: bool,
    reader: Reader,
}

enum Reader {
    /// The streaming reader (UTF-8 CSV/TSV): polars is not involved at all.
    Fast {
        dialect: Dialect,
        header: csv_scan::Header,
    },
    /// The importer's batches (every other file).
    Batches(Box<Source>),
}

impl Opened {
    fn open(
        path: &Path,
        options: &ImportOptions,
        engine: ReadEngine,
    ) -> Result<Self, AggregateError> {
        if engine == ReadEngine::Auto
            && let Some(fast) = Self::open_fast(path, options)?
        {
            return Ok(fast);
        }
        let source = Source::open(path, options)?;
        Ok(Self {
            path: path.to_owned(),
            label: source.file_name(),
            columns: source.column_names(),
            decimal_comma: source.decimal_comma(),
            skip_bad_rows: options.skip_bad_rows,
            reader: Reader::Batches(Box::new(source)),
        })
    }

    /// A UTF-8 CSV/TSV file, recognised exactly as the importer does (same format detection
    /// and dialect sniffing), with the header read here. `None` for other files, and for
    /// headers whose column names the importer would rewrite (empty or repeated names).
    fn open_fast(path: &Path, options: &ImportOptions) -> Result<Option<Self>, AggregateError> {
        let head = detect::read_head(path)?;
        let format = detect::detect_format(path, &head)?;
        if !matches!(format, FileFormat::Csv | FileFormat::Tsv) {
            return Ok(None);
        }
        let sniffed = detect::sniff_csv(path, &head, format, options)?;
        if !matches!(sniffed.encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom) {
            return Ok(None);
        }
        let label = crate::data::error::file_name(path);
        let dialect = Dialect {
            delimiter: sniffed.delimiter,
            decimal_comma: sniffed.decimal_comma,
            has_header: sniffed.has_header,
        };
        let Ok(header) = csv_scan::read_header(&label, &head.bytes, &dialect) else {
            return Ok(None);
        };
        let mut seen = std::collections::HashSet::new();
        if header
            .names
            .iter()
            .any(|n| n.is_empty() || !seen.insert(n.as_str()))
        {
            return Ok(None);
        }
        Ok(Some(Self {
            path: path.to_owned(),
            label,
            columns: header.names.clone(),
            decimal_comma: dialect.decimal_comma,
            skip_bad_rows: options.skip_bad_rows,
            reader: Reader::Fast { dialect, header },
        }))
    }

    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }

    fn skip_bad_rows(&self) -> bool {
        self.skip_bad_rows
    }

    /// Reads the rows, handing the `needed` columns (distinct indices) to `sink`; returns the
    /// number of data rows.
    fn scan<S: Sink>(
        &self,
        needed: &[usize],
        sink: &S,
        control: &ReadControl<'_>,
        combine: impl FnMut(S::Block) -> Result<(), AggregateError>,
    ) -> Result<u64, AggregateError> {
        let rows = match &self.reader {
            Reader::Fast { dialect, header } => csv_scan::scan(
                &self.path,
                &self.label,
                &self.columns,
                header,
                dialect,
                needed,
                sink,
                control,
                combine,
            )?,
            Reader::Batches(source) => {
                polars_path::scan(source, &self.columns, needed, sink, control, combine)?
            }
        };
        if rows == 0 {
            return Err(AggregateError::Data(DataError::NoRows {
                file: self.label.clone(),
            }));
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_columns_by_name() {
        let cols: Vec<String> = [
            "variant",
            "n",
            "revenue_mean",
            "revenue_std",
            "conv_sum",
            "conv_sum_sq",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            find_summary_columns(&cols, "revenue"),
            Some(SummaryColumns::MeanStdDev {
                count: "n".into(),
                mean: "revenue_mean".into(),
                std_dev: "revenue_std".into()
            })
        );
        assert!(matches!(
            find_summary_columns(&cols, "conv"),
            Some(SummaryColumns::Sums { .. })
        ));
        assert_eq!(find_summary_columns(&cols, "other"), None);
    }
}
