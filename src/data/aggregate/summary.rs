//! Experiments as summary statistics: one row per variant (or per variant and day) with n,
//! mean and standard deviation, or n, sum and sum of squares.

use std::path::Path;

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::experiment::{ExperimentData, ExtraColumns, VariantTotals};
use super::opened::Opened;
use super::{AggregateError, ReadControl, find_column, plural};
use crate::analysis::cuped::CupedStats;
use crate::analysis::ratio::RatioStats;
use crate::analysis::{PairSummary, SufficientStats};
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

/// The metric's statistics over the units without a covariate: every unit with the metric
/// (`all`) less those with both values (`pairs`, a = the metric), by Chan's formula run
/// backwards. `None` when the figures do not fit together (more pairs than values).
fn y_only(all: &SufficientStats, pairs: &PairSummary) -> Option<SufficientStats> {
    let (n, np) = (all.n(), pairs.n);
    if np > n {
        return None;
    }
    let no = n - np;
    if no == 0 {
        return Some(SufficientStats::new());
    }
    let mean_all = all.mean()?;
    let (nf, npf, nof) = (n as f64, np as f64, no as f64);
    let mean_o = (nf * mean_all - npf * pairs.mean_a) / nof;
    let m2_p = pairs.var_a * np.saturating_sub(1) as f64;
    let m2_o =
        (all.sum_sq_dev() - m2_p - (pairs.mean_a - mean_o).powi(2) * npf * nof / nf).max(0.0);
    let sd = if no >= 2 {
        (m2_o / (nof - 1.0)).sqrt()
    } else {
        0.0
    };
    SufficientStats::from_mean_sd(no, mean_o, sd, 0)
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

/// The columns of a pair of values in a summary file (CUPED: metric and covariate; ratio:
/// numerator and denominator), over the units with both values: `PREFIX_n`, `PREFIX_a_mean`,
/// `PREFIX_a_std_dev`, `PREFIX_b_mean`, `PREFIX_b_std_dev`, `PREFIX_cov`, where a/b are `y`/`x`
/// for CUPED (prefix `cuped_<metric>_<covariate>`) and `num`/`den` for a ratio (prefix
/// `ratio_<numerator>_<denominator>`). Names are the warehouse query's result names
/// ([`crate::data::result_name`]).
pub fn pair_columns(kind: PairKind, a: &str, b: &str) -> [String; 6] {
    let (prefix, sa, sb) = match kind {
        PairKind::Cuped => ("cuped", "y", "x"),
        PairKind::Ratio => ("ratio", "num", "den"),
    };
    let p = format!(
        "{prefix}_{}_{}",
        crate::data::warehouse::result_name(a),
        crate::data::warehouse::result_name(b)
    );
    [
        format!("{p}_n"),
        format!("{p}_{sa}_mean"),
        format!("{p}_{sa}_std_dev"),
        format!("{p}_{sb}_mean"),
        format!("{p}_{sb}_std_dev"),
        format!("{p}_cov"),
    ]
}

/// Which pair of values [`pair_columns`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairKind {
    Cuped,
    Ratio,
}

/// Raw sums lose every digit of the variance when the mean is large against the spread (mean
/// 1e9, standard deviation 0.29): Σx² − (Σx)²/n then sits below the rounding error of Σx².
fn sums_lose_precision(n: u64, sum: f64, sum_sq: f64) -> bool {
    if n < 2 || sum_sq <= 0.0 {
        return false;
    }
    let m2 = sum_sq - sum * sum / n as f64;
    // The rounding error of Σx² is about ε·Σx² (times a few); below 1e4 of those, fewer than
    // about four digits of the variance are right.
    m2 < 1e4 * f64::EPSILON * sum_sq && sum != 0.0
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
    /// CUPED: the metric's index in `metrics` and the slots of [`pair_columns`].
    cuped: Vec<(usize, [usize; 6])>,
    /// Ratio metrics: the slots of [`pair_columns`].
    ratios: Vec<[usize; 6]>,
}

/// One summary row: variant, units, plain statistics, CUPED and ratio statistics.
type SummaryRow = (
    Vec<u8>,
    u64,
    Vec<SufficientStats>,
    Vec<CupedStats>,
    Vec<RatioStats>,
);

#[derive(Default)]
struct SummaryBlock {
    rows: Vec<SummaryRow>,
    rows_without_variant: u64,
    /// Metrics (by index) given as raw sums whose variance lost its precision.
    imprecise: Vec<usize>,
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
        for (k, &(count_slot, a_slot, b_slot, mean_form)) in self.metrics.iter().enumerate() {
            let bad = |slot: usize| CellError {
                position: slot,
                value: cell_text(cells.get(slot).unwrap_or(&Cell::Null)),
                problem: CellProblem::NotANumber,
            };
            let n = count(count_slot)?;
            let missing = units_column.map_or(0, |u| u.saturating_sub(n));
            units = units.max(n);
            let (a, b) = (number(a_slot)?, number(b_slot)?);
            if let (false, Some(sum), Some(sum_sq)) = (mean_form, a, b)
                && sums_lose_precision(n, sum, sum_sq)
                && !block.imprecise.contains(&k)
            {
                block.imprecise.push(k);
            }
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
        let pair = |slots: &[usize; 6]| -> Result<(u64, PairSummary), CellError> {
            let [n_slot, ma, sa, mb, sb, cov] = *slots;
            let n = count(n_slot)?;
            let get = |slot: usize, default: f64| -> Result<f64, CellError> {
                Ok(number(slot)?.unwrap_or(default))
            };
            // One unit has no standard deviation or covariance (the engine gives NULL).
            let var = |slot: usize| -> Result<f64, CellError> {
                let sd = get(slot, 0.0)?;
                Ok(sd * sd)
            };
            let summary = PairSummary {
                n,
                mean_a: get(ma, 0.0)?,
                mean_b: get(mb, 0.0)?,
                var_a: var(sa)?,
                var_b: var(sb)?,
                cov: get(cov, 0.0)?,
            };
            Ok((n, summary))
        };
        let bad_pair = |slots: &[usize; 6]| CellError {
            position: slots[5],
            value: cell_text(cells.get(slots[5]).unwrap_or(&Cell::Null)),
            problem: CellProblem::NotANumber,
        };
        let mut cuped = Vec::with_capacity(self.cuped.len());
        for (metric, slots) in &self.cuped {
            let (n_pairs, summary) = pair(slots)?;
            let y_all = stats.get(*metric).copied().unwrap_or_default();
            let y_only = y_only(&y_all, &summary).ok_or_else(|| bad_pair(slots))?;
            let _ = n_pairs;
            let s = CupedStats::from_summary(summary, y_only, y_all.missing())
                .ok_or_else(|| bad_pair(slots))?;
            cuped.push(s);
        }
        let mut ratios = Vec::with_capacity(self.ratios.len());
        for slots in &self.ratios {
            let (n_pairs, summary) = pair(slots)?;
            let missing = units.saturating_sub(n_pairs);
            ratios.push(RatioStats::from_summary(summary, missing).ok_or_else(|| bad_pair(slots))?);
        }
        block
            .rows
            .push((name.into_bytes(), units, stats, cuped, ratios));
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
    if let Some((column, _)) = &extra.segment {
        return Err(AggregateError::Malformed {
            file: source.label.clone(),
            message: format!(
                "it holds summary statistics (one row per variant), which cannot be broken down \
                 by \"{column}\"; give the unit-level file to analyse segments"
            ),
        });
    }
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
            if metrics.is_empty()
                || metrics.iter().any(|(_, spec)| match spec {
                    SummaryColumns::MeanStdDev { count, .. }
                    | SummaryColumns::Sums { count, .. } => *count != name,
                }) =>
        {
            Some(slot_of(&name, &mut needed)?)
        }
        _ => None,
    };
    let pair_slots = |kind: PairKind,
                      a: &str,
                      b: &str,
                      needed: &mut Vec<usize>|
     -> Result<[usize; 6], AggregateError> {
        let names = pair_columns(kind, a, b);
        let mut slots = [0; 6];
        for (slot, name) in slots.iter_mut().zip(&names) {
            let found = columns
                .iter()
                .find(|c| c.eq_ignore_ascii_case(name))
                .cloned()
                .ok_or_else(|| AggregateError::Malformed {
                    file: source.label.clone(),
                    message: format!(
                        "it is a summary-statistics file, and {} needs the columns {} \
                         (`throughline sql` with {} writes them); \"{name}\" is missing",
                        match kind {
                            PairKind::Cuped => format!("the covariate {b} of {a}"),
                            PairKind::Ratio => format!("the ratio {a}/{b}"),
                        },
                        names
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", "),
                        match kind {
                            PairKind::Cuped => format!("--covariate {a}={b}"),
                            PairKind::Ratio => format!("--ratio NAME={a}/{b}"),
                        }
                    ),
                })?;
            *slot = slot_of(&found, needed)?;
        }
        Ok(slots)
    };
    let mut cuped = Vec::with_capacity(extra.cuped.len());
    for (metric, covariate) in &extra.cuped {
        let Some(index) = metrics.iter().position(|(m, _)| m == metric) else {
            continue;
        };
        if matches!(metrics.get(index), Some((_, SummaryColumns::Sums { .. }))) {
            return Err(AggregateError::Malformed {
                file: source.label.clone(),
                message: format!(
                    "the metric \"{metric}\" is given as raw sums; CUPED needs its mean and \
                     standard deviation columns ({metric}_mean, {metric}_std_dev)"
                ),
            });
        }
        cuped.push((
            index,
            pair_slots(PairKind::Cuped, metric, covariate, &mut needed)?,
        ));
    }
    let mut ratios = Vec::with_capacity(extra.ratios.len());
    for (num, den) in &extra.ratios {
        ratios.push(pair_slots(PairKind::Ratio, num, den, &mut needed)?);
    }
    let sink = SummarySink {
        decimal_comma: source.decimal_comma(),
        metrics: plan,
        units_slot,
        cuped,
        ratios,
    };
    let mut totals = VariantTotals::default();
    let mut imprecise: Vec<usize> = Vec::new();
    let rows = source.scan(&needed, &sink, control, |block: SummaryBlock| {
        totals.rows_without_variant += block.rows_without_variant;
        for k in block.imprecise {
            if !imprecise.contains(&k) {
                imprecise.push(k);
            }
        }
        for (name, units, stats, cuped, ratios) in &block.rows {
            let name = String::from_utf8_lossy(name);
            let i = totals.add(&name, *units, stats, metrics.len());
            totals.add_pairs(i, cuped, ratios);
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
    imprecise.sort_unstable();
    for k in imprecise {
        if let Some((m, SummaryColumns::Sums { sum, sum_sq, .. })) = metrics.get(k) {
            data.warnings.push(format!(
                "{m}: the raw sums {sum} and {sum_sq} cannot give its spread: the mean is so large \
                 against the spread that Σx² − (Σx)²/n is lost in rounding, so its standard \
                 deviation (and every test of it) may be far off. Give {m}_mean and {m}_std_dev \
                 columns instead (`throughline sql` writes them)."
            ));
        }
    }
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

    #[test]
    fn raw_sums_of_a_large_mean_lose_the_variance() {
        let n = 1000_u64;
        let (mean, sd) = (1e9_f64, 0.29_f64);
        let sum = n as f64 * mean;
        let sum_sq = n as f64 * (mean * mean + sd * sd);
        assert!(sums_lose_precision(n, sum, sum_sq));
        // An ordinary metric keeps it.
        let (mean, sd) = (12.0_f64, 3.0_f64);
        assert!(!sums_lose_precision(
            n,
            n as f64 * mean,
            n as f64 * (mean * mean + sd * sd)
        ));
    }

    #[test]
    fn pair_columns_use_result_names() {
        assert_eq!(
            pair_columns(PairKind::Ratio, "Revenue USD", "days`active")[0],
            "ratio_revenue_usd_days_active_n"
        );
        assert_eq!(
            pair_columns(PairKind::Cuped, "revenue", "pre_revenue")[5],
            "cuped_revenue_pre_revenue_cov"
        );
    }
}
