//! Experiments, unit level: per-variant statistics of every metric, row by row.

use std::collections::HashMap;
use std::path::Path;

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::summary::{find_summary_columns, read_summary};
use super::{
    AggregateError, MAX_VARIANTS, ReadControl, RunError, dedup, find_column, plural,
    skipped_rows_warning, was,
};
use crate::analysis::{
    ExperimentInput, ExperimentResult, MetricInput, SufficientStats, analyze_experiment,
};
use crate::model::{DataShape, ExperimentSpec, ImportOptions, MetricKind};

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

/// Reads `path` and runs a project's experiment analysis (the Evidence view's one call).
pub fn run_experiment(
    path: &Path,
    options: &ImportOptions,
    spec: &ExperimentSpec,
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
pub(super) struct VariantTotals {
    names: Vec<String>,
    pub(super) rows: Vec<u64>,
    stats: Vec<Vec<SufficientStats>>,
    index: HashMap<String, usize>,
    pub(super) rows_without_variant: u64,
    skipped: u64,
}

impl VariantTotals {
    pub(super) fn add(&mut self, name: &str, rows: u64, stats: &[SufficientStats], metrics: usize) {
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

    pub(super) fn finish(
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
