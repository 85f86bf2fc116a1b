//! Per-experiment effects from one unit-level file holding many experiments (an experiment
//! column, a variant column and metric columns), read in one streaming pass: for every
//! experiment, each treatment's difference from the control in every metric, with its
//! standard error (CONTRACT.md's experiment formulas: Welch's standard error
//! √(s_T²/n_T + s_C²/n_C) for a mean metric, the unpooled √(p_T(1−p_T)/n_T + p_C(1−p_C)/n_C)
//! for a proportion; a metric is a proportion when every present value in the file is 0/1).
//!
//! Memory holds one set of sufficient statistics per (experiment, variant) pair, whatever the
//! number of rows (docs/PERFORMANCE.md: 20 million rows, 200 experiments).
//!
//! These effects feed the noise-aware link ([`super::run_link`] with an experiment column: the
//! York fit across experiments) and the meta-analysis ([`run_meta`]).

use std::collections::HashMap;
use std::path::Path;

use super::cells::{Cell, Num, cell_key, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::pairs::{PairColumns, read_labelled_pairs};
use super::{
    AggregateError, MAX_VARIANTS, NeededColumns, ReadControl, RunError, plural,
    skipped_rows_warning, was,
};
use crate::analysis::SufficientStats;
use crate::analysis::meta::{MetaResult, meta_analysis};
use crate::model::{ImportOptions, MetaSpec};

/// The columns of a unit-level file holding many experiments.
#[derive(Clone, Copy, Debug)]
pub struct EffectColumns<'a> {
    /// Names each row's experiment.
    pub experiment: &'a str,
    /// Names each row's variant.
    pub variant: &'a str,
    /// The control variant's value (the same in every experiment).
    pub control: &'a str,
    /// The metric columns whose differences are wanted.
    pub metrics: &'a [String],
}

/// One metric's treatment-minus-control difference in one experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    pub diff: f64,
    pub se: f64,
}

/// One treatment of one experiment against that experiment's control.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentEffect {
    pub experiment: String,
    pub treatment: String,
    pub n_control: u64,
    pub n_treatment: u64,
    /// Per metric (in the order asked): the difference, or `None` when it cannot be computed
    /// (an arm with fewer than 2 values; a warning says so).
    pub effects: Vec<Option<Effect>>,
}

impl ExperimentEffect {
    /// "exp-07", or "exp-07: bigger_model" when the experiment has several treatments.
    pub fn label(&self, several_treatments: bool) -> String {
        if several_treatments {
            format!("{}: {}", self.experiment, self.treatment)
        } else {
            self.experiment.clone()
        }
    }
}

/// The effects of every experiment in a file, in order of first appearance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EffectsData {
    pub file: String,
    /// Data rows read.
    pub rows: u64,
    pub experiments: Vec<ExperimentEffect>,
    /// Whether each metric was read as a proportion (every value 0/1).
    pub proportion: Vec<bool>,
    pub warnings: Vec<String>,
}

impl EffectsData {
    /// The points' labels, aligned with `experiments`.
    pub fn labels(&self) -> Vec<String> {
        let mut treatments: HashMap<&str, usize> = HashMap::new();
        for e in &self.experiments {
            *treatments.entry(e.experiment.as_str()).or_default() += 1;
        }
        self.experiments
            .iter()
            .map(|e| e.label(treatments.get(e.experiment.as_str()).copied().unwrap_or(0) > 1))
            .collect()
    }

    /// Metric `m`'s differences and standard errors (NaN where undefined), aligned with
    /// `experiments`.
    pub fn metric(&self, m: usize) -> (Vec<f64>, Vec<f64>) {
        self.experiments
            .iter()
            .map(|e| match e.effects.get(m).copied().flatten() {
                Some(effect) => (effect.diff, effect.se),
                None => (f64::NAN, f64::NAN),
            })
            .unzip()
    }
}

/// Reads a unit-level file holding many experiments, once, into per-experiment effects.
pub fn read_effects(
    path: &Path,
    options: &ImportOptions,
    wanted: EffectColumns<'_>,
    control: &ReadControl<'_>,
) -> Result<EffectsData, AggregateError> {
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let file = source.label.clone();
    let mut needed = NeededColumns::new(&file, &columns);
    let experiment_slot = needed.slot(wanted.experiment)?;
    let variant_slot = needed.slot(wanted.variant)?;
    if experiment_slot == variant_slot {
        return Err(AggregateError::SameColumn {
            file,
            column: wanted.variant.to_owned(),
            message: "it cannot name both the experiment and the variant".to_owned(),
        });
    }
    let mut metric_slots = Vec::with_capacity(wanted.metrics.len());
    for m in wanted.metrics {
        let slot = needed.slot(m)?;
        if slot == experiment_slot || slot == variant_slot {
            return Err(AggregateError::SameColumn {
                file,
                column: m.clone(),
                message: "it cannot be both a metric and the experiment or variant column"
                    .to_owned(),
            });
        }
        metric_slots.push(slot);
    }
    let sink = EffectSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        experiment: experiment_slot,
        variant: variant_slot,
        metrics: metric_slots,
    };
    let mut totals = GroupTotals::default();
    let rows = source.scan(&needed.indices, &sink, control, |block: EffectBlock| {
        totals.add_block(block, wanted.metrics.len())
    })?;
    Ok(totals.finish(file, rows, wanted))
}

/// Reads a project's meta-analysis input and pools it (the Evidence view's and `throughline
/// meta`'s one call).
pub fn run_meta(
    path: &Path,
    options: &ImportOptions,
    spec: &MetaSpec,
    control: &ReadControl<'_>,
) -> Result<MetaResult, RunError> {
    let (effects, ses, labels, mut warnings, file) = match &spec.experiment_column {
        Some(experiment) => {
            let metrics = [spec.effect_column.clone()];
            let columns = EffectColumns {
                experiment,
                variant: &spec.variant_column,
                control: &spec.control,
                metrics: &metrics,
            };
            let data = read_effects(path, options, columns, control)?;
            let (effects, ses) = data.metric(0);
            (effects, ses, data.labels(), data.warnings, data.file)
        }
        None => {
            let columns = PairColumns {
                x: &spec.effect_column,
                y: &spec.se_column,
                label: spec.label_column.as_deref(),
            };
            let data = read_labelled_pairs(path, options, columns, control)?;
            let labels = (0..data.x.len())
                .map(|i| {
                    data.labels
                        .get(i)
                        .cloned()
                        .flatten()
                        .unwrap_or_else(|| format!("row {}", i + 1))
                })
                .collect();
            (data.x, data.y, labels, data.warnings, data.file)
        }
    };
    let mut result =
        meta_analysis(&effects, &ses, &labels, spec.alpha).map_err(|error| RunError::Analysis {
            file: file.clone(),
            error,
        })?;
    warnings.append(&mut result.warnings);
    result.warnings = warnings;
    Ok(result)
}

// ----- the streaming pass -----

struct EffectSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    experiment: usize,
    variant: usize,
    metrics: Vec<usize>,
}

/// One (experiment, variant) pair's rows in a block.
struct Group {
    experiment: Vec<u8>,
    variant: Vec<u8>,
    rows: u64,
    stats: Vec<SufficientStats>,
}

#[derive(Default)]
struct EffectBlock {
    groups: Vec<Group>,
    lookup: HashMap<(Vec<u8>, Vec<u8>), usize>,
    last: usize,
    rows_without_group: u64,
    skipped: u64,
}

impl EffectBlock {
    #[inline]
    fn group_index(
        &mut self,
        experiment: &[u8],
        variant: &[u8],
        metrics: usize,
    ) -> Result<usize, CellProblem> {
        if let Some(g) = self.groups.get(self.last)
            && g.experiment == experiment
            && g.variant == variant
        {
            return Ok(self.last);
        }
        if let Some(&i) = self.lookup.get(&(experiment.to_vec(), variant.to_vec())) {
            self.last = i;
            return Ok(i);
        }
        if std::str::from_utf8(experiment).is_err() || std::str::from_utf8(variant).is_err() {
            return Err(CellProblem::NotUtf8);
        }
        if self.groups.len() >= MAX_VARIANTS {
            return Err(CellProblem::TooManyVariants);
        }
        let i = self.groups.len();
        self.groups.push(Group {
            experiment: experiment.to_vec(),
            variant: variant.to_vec(),
            rows: 0,
            stats: vec![SufficientStats::new(); metrics],
        });
        self.lookup
            .insert((experiment.to_vec(), variant.to_vec()), i);
        self.last = i;
        Ok(i)
    }
}

impl Sink for EffectSink {
    type Block = EffectBlock;

    fn new_block(&self) -> EffectBlock {
        EffectBlock::default()
    }

    #[inline]
    fn record(&self, block: &mut EffectBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let (mut e_owned, mut v_owned) = (String::new(), String::new());
        let experiment = cell_key(
            cells.get(self.experiment).unwrap_or(&Cell::Null),
            &mut e_owned,
        );
        let variant = cell_key(cells.get(self.variant).unwrap_or(&Cell::Null), &mut v_owned);
        if experiment.is_empty() || variant.is_empty() {
            block.rows_without_group += 1;
            return Ok(());
        }
        let index = block
            .group_index(experiment, variant, self.metrics.len())
            .map_err(|problem| CellError {
                position: self.experiment,
                value: String::from_utf8_lossy(experiment).into_owned(),
                problem,
            })?;
        let Some(group) = block.groups.get_mut(index) else {
            return Ok(());
        };
        group.rows += 1;
        for (&slot, stats) in self.metrics.iter().zip(group.stats.iter_mut()) {
            let cell = cells.get(slot).unwrap_or(&Cell::Null);
            match cell_number(cell, self.decimal_comma) {
                Num::Value(x) => stats.push(x),
                Num::Missing => stats.push_missing(),
                Num::Bad if self.skip_bad_rows => stats.push_unreadable(),
                Num::Bad => {
                    return Err(CellError {
                        position: slot,
                        value: cell_text(cell),
                        problem: CellProblem::NotANumber,
                    });
                }
            }
        }
        Ok(())
    }

    fn short_record(&self, block: &mut EffectBlock) -> Result<(), ()> {
        if self.skip_bad_rows {
            block.skipped += 1;
            Ok(())
        } else {
            Err(())
        }
    }
}

/// One variant of one experiment: its name, rows and per-metric statistics.
type VariantTotal = (String, u64, Vec<SufficientStats>);

/// Combines blocks, in file order, into per-(experiment, variant) totals.
#[derive(Default)]
struct GroupTotals {
    /// Experiments in order of first appearance, each with its variants (name, rows, stats)
    /// in order of first appearance.
    experiments: Vec<(String, Vec<VariantTotal>)>,
    index: HashMap<String, usize>,
    rows_without_group: u64,
    skipped: u64,
}

impl GroupTotals {
    fn add_block(&mut self, block: EffectBlock, metrics: usize) -> Result<(), AggregateError> {
        self.rows_without_group += block.rows_without_group;
        self.skipped += block.skipped;
        for g in block.groups {
            let experiment = String::from_utf8_lossy(&g.experiment).into_owned();
            let variant = String::from_utf8_lossy(&g.variant).into_owned();
            let e = match self.index.get(&experiment) {
                Some(&e) => e,
                None => {
                    self.experiments.push((experiment.clone(), Vec::new()));
                    self.index.insert(experiment, self.experiments.len() - 1);
                    self.experiments.len() - 1
                }
            };
            let Some((_, variants)) = self.experiments.get_mut(e) else {
                continue;
            };
            match variants.iter_mut().find(|(name, _, _)| *name == variant) {
                Some((_, rows, stats)) => {
                    *rows += g.rows;
                    for (t, s) in stats.iter_mut().zip(&g.stats) {
                        t.merge(s);
                    }
                }
                None => {
                    let mut stats = vec![SufficientStats::new(); metrics];
                    for (t, s) in stats.iter_mut().zip(&g.stats) {
                        t.merge(s);
                    }
                    variants.push((variant, g.rows, stats));
                }
            }
        }
        Ok(())
    }

    fn finish(self, file: String, rows: u64, wanted: EffectColumns<'_>) -> EffectsData {
        let metrics = wanted.metrics.len();
        // A metric is a proportion when every present value, in every group, is 0/1.
        let proportion: Vec<bool> = (0..metrics)
            .map(|m| {
                let mut any = false;
                let all = self.experiments.iter().all(|(_, variants)| {
                    variants.iter().all(|(_, _, stats)| {
                        stats.get(m).is_none_or(|s| {
                            any |= s.n() > 0;
                            s.all_binary()
                        })
                    })
                });
                all && any
            })
            .collect();
        let mut warnings = Vec::new();
        let mut out = Vec::new();
        let mut no_control = Vec::new();
        let mut no_treatment = Vec::new();
        let mut too_few = 0u64;
        for (experiment, variants) in &self.experiments {
            let Some((_, n_control, control_stats)) =
                variants.iter().find(|(name, _, _)| name == wanted.control)
            else {
                no_control.push(experiment.clone());
                continue;
            };
            let mut any_treatment = false;
            for (treatment, n_treatment, stats) in variants {
                if treatment == wanted.control {
                    continue;
                }
                any_treatment = true;
                let effects: Vec<Option<Effect>> = (0..metrics)
                    .map(|m| {
                        let (t, c) = (stats.get(m)?, control_stats.get(m)?);
                        let effect = difference(t, c, proportion.get(m).copied().unwrap_or(false));
                        if effect.is_none() {
                            too_few += 1;
                        }
                        effect
                    })
                    .collect();
                out.push(ExperimentEffect {
                    experiment: experiment.clone(),
                    treatment: treatment.clone(),
                    n_control: *n_control,
                    n_treatment: *n_treatment,
                    effects,
                });
            }
            if !any_treatment {
                no_treatment.push(experiment.clone());
            }
        }
        for e in &no_control {
            warnings.push(format!(
                "Experiment \"{e}\" has no rows of the control \"{}\" in the column \"{}\", so \
                 it was left out.",
                wanted.control, wanted.variant
            ));
        }
        for e in &no_treatment {
            warnings.push(format!(
                "Experiment \"{e}\" has only control rows, so it was left out."
            ));
        }
        if too_few > 0 {
            warnings.push(format!(
                "{too_few} difference{} could not be computed (an arm with fewer than 2 values, \
                 or no spread at all) and {} left out.",
                plural(too_few),
                was(too_few)
            ));
        }
        if self.rows_without_group > 0 {
            warnings.push(format!(
                "{} row{} without an experiment (\"{}\") or a variant (\"{}\") {} left out.",
                self.rows_without_group,
                plural(self.rows_without_group),
                wanted.experiment,
                wanted.variant,
                was(self.rows_without_group)
            ));
        }
        if self.skipped > 0 {
            warnings.push(skipped_rows_warning(self.skipped));
        }
        EffectsData {
            file,
            rows,
            experiments: out,
            proportion,
            warnings,
        }
    }
}

/// Treatment minus control, with the standard error of CONTRACT.md's experiment formulas;
/// `None` with fewer than 2 values in an arm or a zero standard error.
fn difference(t: &SufficientStats, c: &SufficientStats, proportion: bool) -> Option<Effect> {
    if t.n() < 2 || c.n() < 2 {
        return None;
    }
    let diff = t.mean_diff(c)?;
    let (nt, nc) = (t.n() as f64, c.n() as f64);
    let se = if proportion {
        let (pt, pc) = (t.ones() as f64 / nt, c.ones() as f64 / nc);
        (pt * (1.0 - pt) / nt + pc * (1.0 - pc) / nc).sqrt()
    } else {
        (t.variance()? / nt + c.variance()? / nc).sqrt()
    };
    (diff.is_finite() && se.is_finite() && se > 0.0).then_some(Effect { diff, se })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[f64]) -> SufficientStats {
        SufficientStats::from_values(values)
    }

    #[test]
    fn welch_and_unpooled_standard_errors() {
        let t = stats(&[1.0, 2.0, 4.0, 5.0]);
        let c = stats(&[1.0, 1.5, 2.5]);
        let e = difference(&t, &c, false).unwrap();
        assert!((e.diff - (3.0 - 5.0 / 3.0)).abs() < 1e-12);
        let want = (t.variance().unwrap() / 4.0 + c.variance().unwrap() / 3.0).sqrt();
        assert!((e.se - want).abs() < 1e-15);

        let t = stats(&[1.0, 0.0, 1.0, 1.0]);
        let c = stats(&[0.0, 1.0, 0.0, 0.0]);
        let e = difference(&t, &c, true).unwrap();
        assert!((e.diff - 0.5).abs() < 1e-15);
        let want = (0.75f64 * 0.25 / 4.0 + 0.25 * 0.75 / 4.0).sqrt();
        assert!((e.se - want).abs() < 1e-15);
    }

    #[test]
    fn too_few_values_or_no_spread_give_none() {
        assert!(difference(&stats(&[1.0]), &stats(&[1.0, 2.0]), false).is_none());
        assert!(difference(&stats(&[1.0, 1.0]), &stats(&[2.0, 2.0]), false).is_none());
    }
}
