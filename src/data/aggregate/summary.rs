//! Experiments as summary statistics: one row per variant (or per variant and day) with n,
//! mean and standard deviation, or n, sum and sum of squares.

use std::path::Path;

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::experiment::{ExperimentData, ExtraColumns, VariantTotals};
use super::opened::Opened;
use super::{AggregateError, ReadControl, find_column, plural};
use crate::analysis::SufficientStats;
use crate::model::{DataShape, ImportOptions};

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
    read_summary(
        &source,
        variant_index,
        metrics,
        &ExtraColumns::default(),
        control,
    )
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

pub(super) fn read_summary(
    source: &Opened,
    variant_index: usize,
    metrics: &[(String, SummaryColumns)],
    extra: &ExtraColumns,
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
            let _ = totals.add(&name, *units, stats, metrics.len());
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
        extra,
    )?;
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
