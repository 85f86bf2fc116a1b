//! Pairs of numeric columns for the link analysis.

use std::path::Path;

use super::cells::{Cell, Num, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::effects::{EffectColumns, read_effects};
use super::opened::Opened;
use super::{AggregateError, NeededColumns, ReadControl, RunError, skipped_rows_warning};
use crate::analysis::verdict;
use crate::analysis::york::{YorkFit, york_fit, york_verdict};
use crate::analysis::{AnalysisError, LinkResult, analyze_link};
use crate::model::{ImportOptions, LinkData, LinkPoint, LinkSpec};

/// Most points a link keeps for its plots (one per experiment is the usual case; a unit-level
/// file is thinned evenly for drawing, not for the statistics).
pub const MAX_LINK_POINTS: usize = 5_000;

/// Reads `path` and runs a project's link analysis (the Evidence view's and `throughline
/// link`'s one call). With standard-error columns, or per-experiment effects from a unit-level
/// file (`spec.experiment_column`), the result also holds the noise-aware York fit.
pub fn run_link(
    path: &Path,
    options: &ImportOptions,
    spec: &LinkSpec,
    control: &ReadControl<'_>,
) -> Result<LinkData, RunError> {
    let data = match &spec.experiment_column {
        Some(experiment) => effect_pairs(path, options, spec, experiment, control)?,
        None => {
            let columns = PairColumns {
                x: &spec.x,
                y: &spec.y,
                label: spec.label_column.as_deref(),
            };
            let ses = [spec.x_se.as_deref(), spec.y_se.as_deref()];
            read_pairs_with_se(path, options, columns, ses, control)?
        }
    };
    let analysis_error = |error| RunError::Analysis {
        file: data.file.clone(),
        error,
    };
    let mut result =
        analyze_link(&data.x, &data.y, spec.alpha, &spec.x, &spec.y).map_err(analysis_error)?;
    if data.x_se.is_some() || data.y_se.is_some() {
        let york = york_fit(
            &data.x,
            &data.y,
            data.x_se.as_deref(),
            data.y_se.as_deref(),
            spec.alpha,
        )
        .map_err(|e| analysis_error(name_se_columns(e, spec)))?;
        result.york = Some(Box::new(with_verdict(york, &result, &data, spec)));
    }
    let mut warnings = std::mem::take(&mut result.warnings);
    result.warnings = data.warnings.clone();
    result.warnings.append(&mut warnings);
    let (points, point_se) = link_points(&data);
    result.point_se = point_se;
    Ok(LinkData { result, points })
}

/// The link's verdict told with the York slope, so that no sentence quotes the plain slope
/// beside the noise-aware one.
fn with_verdict(
    mut york: YorkFit,
    plain: &LinkResult,
    data: &PairData,
    spec: &LinkSpec,
) -> YorkFit {
    let xs: Vec<f64> = data
        .x
        .iter()
        .zip(&data.y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, _)| *a)
        .collect();
    let n = xs.len() as f64;
    let x_sd = (n >= 2.0).then(|| {
        let mean = xs.iter().sum::<f64>() / n;
        (xs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    });
    york.verdict = york_verdict(
        plain,
        &york,
        &spec.x,
        &spec.y,
        x_sd.and_then(verdict::round_step),
        spec.alpha,
    );
    york
}

/// A York error names "point N"; say which columns hold the standard errors.
fn name_se_columns(error: AnalysisError, spec: &LinkSpec) -> AnalysisError {
    match error {
        AnalysisError::BadInput(message) => {
            let columns: Vec<String> = [&spec.x_se, &spec.y_se]
                .into_iter()
                .flatten()
                .map(|c| format!("\"{c}\""))
                .collect();
            let prefix = if spec.experiment_column.is_some() {
                "per-experiment effects".to_owned()
            } else if columns.is_empty() {
                "standard errors".to_owned()
            } else {
                format!(
                    "standard-error column{} {}",
                    if columns.len() == 1 { "" } else { "s" },
                    columns.join(" and ")
                )
            };
            AnalysisError::BadInput(format!("{prefix}: {}", message.replace("point ", "row ")))
        }
        other => other,
    }
}

/// Per-experiment effects of `spec.x` and `spec.y` as link pairs with standard errors.
fn effect_pairs(
    path: &Path,
    options: &ImportOptions,
    spec: &LinkSpec,
    experiment: &str,
    control: &ReadControl<'_>,
) -> Result<PairData, RunError> {
    let metrics = [spec.x.clone(), spec.y.clone()];
    let columns = EffectColumns {
        experiment,
        variant: &spec.variant_column,
        control: &spec.control,
        metrics: &metrics,
    };
    let effects = read_effects(path, options, columns, control)?;
    let (x, x_se) = effects.metric(0);
    let (y, y_se) = effects.metric(1);
    let mut warnings = effects.warnings.clone();
    let points = effects.experiments.len();
    let mut names: Vec<&str> = effects
        .experiments
        .iter()
        .map(|e| e.experiment.as_str())
        .collect();
    names.dedup();
    let experiments = names.len();
    warnings.push(if points == experiments {
        format!(
            "Each point is one experiment's treatment-minus-control difference, with its \
             standard error ({points} experiment{} from {} rows).",
            if points == 1 { "" } else { "s" },
            crate::format::precise(effects.rows as f64)
        )
    } else {
        format!(
            "Each point is one treatment-minus-control difference, with its standard error \
             ({points} comparisons in {experiments} experiments, from {} rows).",
            crate::format::precise(effects.rows as f64)
        )
    });
    Ok(PairData {
        file: effects.file.clone(),
        labels: effects.labels().into_iter().map(Some).collect(),
        x,
        y,
        x_se: Some(x_se),
        y_se: Some(y_se),
        warnings,
    })
}

/// The finite pairs of `data` as plot points, thinned evenly to at most [`MAX_LINK_POINTS`],
/// with their standard errors (empty without SE columns; a missing SE is 0).
fn link_points(data: &PairData) -> (Vec<LinkPoint>, Vec<[f64; 2]>) {
    let has_se = data.x_se.is_some() || data.y_se.is_some();
    let se_at = |se: &Option<Vec<f64>>, i: usize| {
        se.as_ref()
            .and_then(|s| s.get(i).copied())
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let mut points: Vec<(LinkPoint, [f64; 2])> = data
        .x
        .iter()
        .zip(&data.y)
        .enumerate()
        .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
        .map(|(i, (&x, &y))| {
            (
                LinkPoint {
                    label: data
                        .labels
                        .get(i)
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| format!("row {}", i + 1)),
                    x,
                    y,
                },
                [se_at(&data.x_se, i), se_at(&data.y_se, i)],
            )
        })
        .collect();
    if points.len() > MAX_LINK_POINTS {
        let step = points.len().div_ceil(MAX_LINK_POINTS);
        points = points.into_iter().step_by(step).collect();
    }
    let (points, se): (Vec<LinkPoint>, Vec<[f64; 2]>) = points.into_iter().unzip();
    (points, if has_se { se } else { Vec::new() })
}

/// Two numeric columns, pair by pair (missing values are NaN, left out by the link analysis).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairData {
    pub file: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// The label of each pair, when a label column was read (else empty).
    pub labels: Vec<Option<String>>,
    /// The standard errors of x and y, pair by pair, when SE columns were read.
    pub x_se: Option<Vec<f64>>,
    pub y_se: Option<Vec<f64>>,
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
    read_pairs_with_se(path, options, wanted, [None, None], control)
}

/// Reads two numeric columns, optionally a label column and the standard-error columns of x
/// and y (`ses`).
pub fn read_pairs_with_se(
    path: &Path,
    options: &ImportOptions,
    wanted: PairColumns<'_>,
    ses: [Option<&str>; 2],
    control: &ReadControl<'_>,
) -> Result<PairData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let mut needed = NeededColumns::new(&source.label, &columns);
    let mut slots = vec![needed.slot(wanted.x)?, needed.slot(wanted.y)?];
    for se in ses.iter().flatten() {
        slots.push(needed.slot(se)?);
    }
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
    let mut extra: Vec<Vec<f64>> = vec![Vec::new(); ses.iter().flatten().count()];
    let mut skipped = 0;
    source.scan(&needed, &sink, control, |block: PairBlock| {
        out.x.extend(block.x);
        out.y.extend(block.y);
        for (e, b) in extra.iter_mut().zip(block.extra) {
            e.extend(b);
        }
        out.labels.extend(block.labels);
        skipped += block.skipped;
        Ok(())
    })?;
    let mut extra = extra.into_iter();
    if ses[0].is_some() {
        out.x_se = extra.next();
    }
    if ses[1].is_some() {
        out.y_se = extra.next();
    }
    if skipped > 0 {
        out.warnings.push(skipped_rows_warning(skipped));
    }
    Ok(out)
}

struct PairSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    /// x, y, then the standard-error columns asked for.
    slots: Vec<usize>,
    /// The slot of the label column, if one is read.
    label: Option<usize>,
}

#[derive(Default)]
struct PairBlock {
    x: Vec<f64>,
    y: Vec<f64>,
    /// The standard-error columns, in the order of `PairSink::slots` after x and y.
    extra: Vec<Vec<f64>>,
    labels: Vec<Option<String>>,
    skipped: u64,
}

impl Sink for PairSink {
    type Block = PairBlock;

    fn new_block(&self) -> PairBlock {
        PairBlock {
            extra: vec![Vec::new(); self.slots.len().saturating_sub(2)],
            ..PairBlock::default()
        }
    }

    fn record(&self, block: &mut PairBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let mut values = [f64::NAN; 4];
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
        for (column, value) in block.extra.iter_mut().zip(&values[2..]) {
            column.push(*value);
        }
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
