//! Series and distributions: the over-time view (metrics per day and model, with deployment
//! dates) and the distribution view (a metric's spread per variant), plus the distinct values
//! of a column for the pickers. They read through the same readers, and report bad cells in
//! the same words, as the experiment, link and threshold analyses.

use std::path::{Path, PathBuf};

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::{AggregateError, NeededColumns, ReadControl, RunError};
use crate::analysis::series::{
    DistributionOptions, deployments_from_column, group_distributions, group_series, parse_time,
};
use crate::model::{
    ColumnRole, Dataset, DistributionData, DistributionSpec, ImportOptions, TimeSeries,
    TimelineData, TimelineSpec, VariantDistribution,
};

/// Columns read from a file: numbers (missing values are NaN) and text (missing is `None`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnData {
    pub file: String,
    pub numbers: Vec<(String, Vec<f64>)>,
    pub texts: Vec<(String, Vec<Option<String>>)>,
    /// Rows left out because a number could not be read (with `skip_bad_rows`) or the row
    /// had too few fields.
    pub skipped: u64,
}

impl ColumnData {
    /// The numbers of column `name` (empty when it was not read).
    pub fn number(&self, name: &str) -> &[f64] {
        self.numbers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }

    /// The text of column `name` (empty when it was not read).
    pub fn text(&self, name: &str) -> &[Option<String>] {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .unwrap_or_default()
    }
}

/// Reads `numbers` as numbers and `texts` as text (a column may be in both). A cell that is
/// not a number fails the read with its row and value, or, with `skip_bad_rows`, leaves its
/// row out.
pub fn read_columns(
    path: &Path,
    options: &ImportOptions,
    numbers: &[&str],
    texts: &[&str],
    control: &ReadControl<'_>,
) -> Result<ColumnData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let mut needed = NeededColumns::new(&source.label, &columns);
    let number_slots = numbers
        .iter()
        .map(|n| needed.slot(n))
        .collect::<Result<Vec<_>, _>>()?;
    let text_slots = texts
        .iter()
        .map(|n| needed.slot(n))
        .collect::<Result<Vec<_>, _>>()?;
    let needed = needed.indices;
    let sink = ColumnSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        numbers: number_slots,
        texts: text_slots,
    };
    let mut out = ColumnData {
        file: source.label.clone(),
        numbers: numbers
            .iter()
            .map(|n| (n.to_string(), Vec::new()))
            .collect(),
        texts: texts.iter().map(|n| (n.to_string(), Vec::new())).collect(),
        skipped: 0,
    };
    source.scan(&needed, &sink, control, |block: ColumnBlock| {
        for ((_, all), part) in out.numbers.iter_mut().zip(block.numbers) {
            all.extend(part);
        }
        for ((_, all), part) in out.texts.iter_mut().zip(block.texts) {
            all.extend(part);
        }
        out.skipped += block.skipped;
        Ok(())
    })?;
    Ok(out)
}

/// The distinct values of `column` as text, in order of first appearance, at most `max`.
pub fn distinct_values(
    path: &Path,
    options: &ImportOptions,
    column: &str,
    max: usize,
    control: &ReadControl<'_>,
) -> Result<Vec<String>, AggregateError> {
    let data = read_columns(path, options, &[], &[column], control)?;
    let mut seen = std::collections::HashSet::new();
    let mut values = Vec::new();
    for v in data.text(column).iter().flatten() {
        if values.len() >= max {
            break;
        }
        if seen.insert(v.as_str()) {
            values.push(v.clone());
        }
    }
    Ok(values)
}

/// Reads `path` and builds an over-time view's series; `extra` are the view's other files
/// (deployment dates), with their datasets.
pub fn run_timeline(
    path: &Path,
    options: &ImportOptions,
    view: &TimelineSpec,
    extra: &[(PathBuf, Dataset)],
    control: &ReadControl<'_>,
) -> Result<TimelineData, RunError> {
    let metrics: Vec<&str> = view.metrics.iter().map(String::as_str).collect();
    let mut texts = vec![view.time_column.as_str()];
    texts.extend(view.series_column.as_deref());
    texts.extend(view.deployment_column.as_deref());
    let columns = read_columns(path, options, &metrics, &texts, control)?;
    let times: Vec<f64> = columns
        .text(&view.time_column)
        .iter()
        .map(|t| t.as_deref().and_then(parse_time).unwrap_or(f64::NAN))
        .collect();
    if !times.iter().any(|t| t.is_finite()) {
        return Err(RunError::Read(AggregateError::NoDates {
            column: view.time_column.clone(),
        }));
    }
    let groups: Option<Vec<String>> = view.series_column.as_deref().map(|c| {
        columns
            .text(c)
            .iter()
            .map(|v| v.clone().unwrap_or_default())
            .collect()
    });
    let mut series = Vec::new();
    for metric in &view.metrics {
        for g in group_series(&times, groups.as_deref(), columns.number(metric)) {
            series.push(TimeSeries {
                series: g.group,
                metric: metric.clone(),
                points: g.points,
            });
        }
    }
    let mut deployments = view
        .deployment_column
        .as_deref()
        .map(|c| deployments_from_column(&times, groups.as_deref(), columns.text(c)))
        .unwrap_or_default();
    for (path, file) in extra {
        deployments.extend(deployments_from_file(view, path, file, control)?);
    }
    deployments.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    deployments.dedup();
    Ok(TimelineData {
        series,
        deployments,
    })
}

/// Deployment dates from a file of their own: its date column (the first with the Time role,
/// else one named like "date"), labelled by the column named like the view's series column
/// (e.g. "model"), else by the first variant, segment or unit column.
fn deployments_from_file(
    view: &TimelineSpec,
    path: &Path,
    file: &Dataset,
    control: &ReadControl<'_>,
) -> Result<Vec<(f64, String)>, AggregateError> {
    let names: Vec<&str> = file.columns.iter().map(|c| c.name.as_str()).collect();
    let date = file
        .columns
        .iter()
        .find(|c| c.role == ColumnRole::Time)
        .map(|c| c.name.as_str())
        .or_else(|| {
            names
                .iter()
                .copied()
                .find(|n| n.to_lowercase().contains("date"))
        })
        .ok_or_else(|| AggregateError::NoDateColumn {
            file: file.name.clone(),
        })?;
    let label = view
        .series_column
        .as_deref()
        .filter(|s| names.contains(s))
        .or_else(|| {
            file.columns
                .iter()
                .find(|c| {
                    c.name != date
                        && matches!(
                            c.role,
                            ColumnRole::Variant | ColumnRole::Segment | ColumnRole::UnitId
                        )
                })
                .map(|c| c.name.as_str())
        });
    let mut texts = vec![date];
    texts.extend(label);
    let columns = read_columns(path, &file.options, &[], &texts, control)?;
    let labels = label.map(|l| columns.text(l));
    Ok(columns
        .text(date)
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let day = d.as_deref().and_then(parse_time)?.floor();
            let label = labels
                .and_then(|l| l.get(i).cloned().flatten())
                .unwrap_or_default();
            Some((day, label))
        })
        .collect())
}

/// Reads `path` and builds a distribution view's histograms and box plots per variant. Rows
/// left out as unreadable (`skip_bad_rows`) count as missing values.
pub fn run_distribution(
    path: &Path,
    options: &ImportOptions,
    view: &DistributionSpec,
    control: &ReadControl<'_>,
) -> Result<DistributionData, RunError> {
    let columns = read_columns(
        path,
        options,
        &[&view.metric],
        &[&view.variant_column],
        control,
    )?;
    let groups: Vec<String> = columns
        .text(&view.variant_column)
        .iter()
        .map(|v| v.clone().unwrap_or_else(|| "(no variant)".to_string()))
        .collect();
    let options = DistributionOptions {
        bins: view.bins.max(1) as usize,
        exclude_zeros: view.exclude_zeros,
    };
    let found = group_distributions(&groups, columns.number(&view.metric), options);
    Ok(DistributionData {
        variants: found
            .groups
            .into_iter()
            .map(|g| VariantDistribution {
                variant: g.group,
                histogram: g.histogram,
                stats: g.stats,
                zeros: g.zeros,
            })
            .collect(),
        missing: found.missing + columns.skipped,
        tail_from: found.tail_from,
    })
}

struct ColumnSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    numbers: Vec<usize>,
    texts: Vec<usize>,
}

#[derive(Default)]
struct ColumnBlock {
    numbers: Vec<Vec<f64>>,
    texts: Vec<Vec<Option<String>>>,
    skipped: u64,
}

impl Sink for ColumnSink {
    type Block = ColumnBlock;

    fn new_block(&self) -> ColumnBlock {
        ColumnBlock {
            numbers: vec![Vec::new(); self.numbers.len()],
            texts: vec![Vec::new(); self.texts.len()],
            skipped: 0,
        }
    }

    fn record(&self, block: &mut ColumnBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let mut numbers = Vec::with_capacity(self.numbers.len());
        for &slot in &self.numbers {
            let cell = cells.get(slot).unwrap_or(&Cell::Null);
            numbers.push(match cell_number(cell, self.decimal_comma) {
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
            });
        }
        for (all, x) in block.numbers.iter_mut().zip(numbers) {
            all.push(x);
        }
        for (all, &slot) in block.texts.iter_mut().zip(&self.texts) {
            let text = cell_text(cells.get(slot).unwrap_or(&Cell::Null));
            all.push((!text.is_empty()).then_some(text));
        }
        Ok(())
    }

    fn short_record(&self, block: &mut ColumnBlock) -> Result<(), ()> {
        if self.skip_bad_rows {
            block.skipped += 1;
            Ok(())
        } else {
            Err(())
        }
    }
}
