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
mod effects;
mod experiment;
mod opened;
mod pairs;
mod polars_path;
mod scores;
mod series;
mod summary;

use std::sync::atomic::AtomicBool;

use thiserror::Error;

use super::DataError;
use crate::analysis::AnalysisError;
use csv_scan::{CellError, CellProblem};

pub use effects::{Effect, EffectColumns, EffectsData, ExperimentEffect, read_effects, run_meta};
pub use experiment::{
    ExperimentData, ExperimentRequest, ExtraColumns, MAX_SEGMENT_VALUES, SegmentCell, SegmentData,
    full_input, read_experiment, read_experiment_request, request_of, run_experiment,
};
pub use opened::ReadEngine;
pub use pairs::{
    MAX_LINK_POINTS, PairColumns, PairData, read_labelled_pairs, read_pairs, read_pairs_with_se,
    run_link,
};
pub use scores::{ScoreData, read_scores, run_threshold};
pub use series::{ColumnData, distinct_values, read_columns, run_distribution, run_timeline};
pub use summary::{
    PairKind, SummaryColumns, find_summary_columns, pair_columns, read_experiment_summary,
};

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

    #[error(
        "The column \"{column}\" holds no dates (such as 2026-03-01), so nothing can be drawn \
         over time. Choose the date column."
    )]
    NoDates { column: String },

    #[error(
        "\"{file}\" has no date column to read deployment dates from (give one the Time role \
         on the Data page)."
    )]
    NoDateColumn { file: String },
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

/// The columns a read needs, each read once however many roles it plays: `slot` gives a
/// column's place among them (adding it the first time).
struct NeededColumns<'a> {
    file: &'a str,
    columns: &'a [String],
    indices: Vec<usize>,
}

impl<'a> NeededColumns<'a> {
    fn new(file: &'a str, columns: &'a [String]) -> Self {
        Self {
            file,
            columns,
            indices: Vec::new(),
        }
    }

    fn slot(&mut self, name: &str) -> Result<usize, AggregateError> {
        let index = find_column(self.file, self.columns, name)?;
        Ok(match self.indices.iter().position(|&i| i == index) {
            Some(slot) => slot,
            None => {
                self.indices.push(index);
                self.indices.len() - 1
            }
        })
    }
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
