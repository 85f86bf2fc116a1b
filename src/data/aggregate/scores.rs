//! Scores and yes/no labels for the classifier threshold.

use std::path::Path;

use super::cells::{Cell, Label, Num, cell_label, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::{
    AggregateError, ReadControl, RunError, find_column, plural, skipped_rows_warning, was,
};
use crate::analysis::{ThresholdResult, ValueMatrix, threshold_curve};
use crate::model::{ImportOptions, ThresholdSpec};

/// Reads `path` and computes a project's threshold value curve.
pub fn run_threshold(
    path: &Path,
    options: &ImportOptions,
    spec: &ThresholdSpec,
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
