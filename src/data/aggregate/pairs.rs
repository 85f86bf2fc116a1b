//! Pairs of numeric columns for the link analysis.

use std::path::Path;

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::{AggregateError, NeededColumns, ReadControl, RunError, skipped_rows_warning};
use crate::analysis::analyze_link;
use crate::model::{ImportOptions, LinkData, LinkPoint, LinkSpec};

/// Most points a link keeps for its plots (one per experiment is the usual case; a unit-level
/// file is thinned evenly for drawing, not for the statistics).
pub const MAX_LINK_POINTS: usize = 5_000;

/// Reads `path` and runs a project's link analysis (the Evidence view's and `throughline
/// link`'s one call).
pub fn run_link(
    path: &Path,
    options: &ImportOptions,
    spec: &LinkSpec,
    control: &ReadControl<'_>,
) -> Result<LinkData, RunError> {
    let columns = PairColumns {
        x: &spec.x,
        y: &spec.y,
        label: spec.label_column.as_deref(),
    };
    let data = read_labelled_pairs(path, options, columns, control)?;
    let mut result =
        analyze_link(&data.x, &data.y, spec.alpha, &spec.x, &spec.y).map_err(|error| {
            RunError::Analysis {
                file: data.file.clone(),
                error,
            }
        })?;
    let mut warnings = std::mem::take(&mut result.warnings);
    result.warnings = data.warnings.clone();
    result.warnings.append(&mut warnings);
    Ok(LinkData {
        result,
        points: link_points(&data),
    })
}

/// The finite pairs of `data` as plot points, thinned evenly to at most [`MAX_LINK_POINTS`].
fn link_points(data: &PairData) -> Vec<LinkPoint> {
    let mut points: Vec<LinkPoint> = data
        .x
        .iter()
        .zip(&data.y)
        .enumerate()
        .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
        .map(|(i, (&x, &y))| LinkPoint {
            label: data
                .labels
                .get(i)
                .cloned()
                .flatten()
                .unwrap_or_else(|| format!("row {}", i + 1)),
            x,
            y,
        })
        .collect();
    if points.len() > MAX_LINK_POINTS {
        let step = points.len().div_ceil(MAX_LINK_POINTS);
        points = points.into_iter().step_by(step).collect();
    }
    points
}

/// Two numeric columns, pair by pair (missing values are NaN, left out by the link analysis).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairData {
    pub file: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// The label of each pair, when a label column was read (else empty).
    pub labels: Vec<Option<String>>,
    pub warnings: Vec<String>,
}

/// The columns of a link: two numeric columns and, optionally, one naming each row.
#[derive(Clone, Copy, Debug)]
pub struct PairColumns<'a> {
    pub x: &'a str,
    pub y: &'a str,
    pub label: Option<&'a str>,
}

/// Reads two numeric columns for [`crate::analysis::analyze_link`].
pub fn read_pairs(
    path: &Path,
    options: &ImportOptions,
    x: &str,
    y: &str,
    control: &ReadControl<'_>,
) -> Result<PairData, AggregateError> {
    let columns = PairColumns { x, y, label: None };
    read_labelled_pairs(path, options, columns, control)
}

/// Reads two numeric columns and, when given, a column of labels naming each pair.
pub fn read_labelled_pairs(
    path: &Path,
    options: &ImportOptions,
    wanted: PairColumns<'_>,
    control: &ReadControl<'_>,
) -> Result<PairData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let mut needed = NeededColumns::new(&source.label, &columns);
    let slots = [needed.slot(wanted.x)?, needed.slot(wanted.y)?];
    let label = wanted.label.map(|l| needed.slot(l)).transpose()?;
    let needed = needed.indices;
    let sink = PairSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        slots,
        label,
    };
    let mut out = PairData {
        file: source.label.clone(),
        ..PairData::default()
    };
    let mut skipped = 0;
    source.scan(&needed, &sink, control, |block: PairBlock| {
        out.x.extend(block.x);
        out.y.extend(block.y);
        out.labels.extend(block.labels);
        skipped += block.skipped;
        Ok(())
    })?;
    if skipped > 0 {
        out.warnings.push(skipped_rows_warning(skipped));
    }
    Ok(out)
}

struct PairSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    slots: [usize; 2],
    /// The slot of the label column, if one is read.
    label: Option<usize>,
}

#[derive(Default)]
struct PairBlock {
    x: Vec<f64>,
    y: Vec<f64>,
    labels: Vec<Option<String>>,
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
        if let Some(slot) = self.label {
            let text = cell_text(cells.get(slot).unwrap_or(&Cell::Null));
            block.labels.push((!text.is_empty()).then_some(text));
        }
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
