//! Experiments, unit level: per-variant statistics of every metric, row by row, in one pass:
//! plain metrics, CUPED pairs (metric and pre-experiment covariate), ratio numerators and
//! denominators, and all of them per segment value.

use std::collections::HashMap;
use std::path::Path;

use super::cells::{Cell, Num, cell_key, cell_number, cell_text};
use super::csv_scan::{CellError, CellProblem, Sink};
use super::opened::Opened;
use super::summary::{find_summary_columns, read_summary};
use super::{
    AggregateError, MAX_VARIANTS, NeededColumns, ReadControl, RunError, dedup, find_column, plural,
    skipped_rows_warning, was,
};
use crate::analysis::cuped::CupedStats;
use crate::analysis::decision::{Direction, MetricRole};
use crate::analysis::ratio::RatioStats;
use crate::analysis::segments::plan_segments;
use crate::analysis::{
    ExperimentInput, ExperimentResult, FullInput, FullMetric, MetricInput, MetricSource,
    SegmentInput, SegmentMetricStats, SegmentsInput, SufficientStats, analyze_full,
};
use crate::model::{DataShape, DecisionRole, ExperimentSpec, ImportOptions, MetricKind};

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
    /// CUPED: (metric, covariate, statistics aligned with `variant_rows`), as asked.
    pub cuped: Vec<(String, String, Vec<CupedStats>)>,
    /// Ratio metrics: (numerator, denominator, statistics aligned with `variant_rows`).
    pub ratios: Vec<(String, String, Vec<RatioStats>)>,
    /// The breakdown by segment, when asked.
    pub segments: Option<SegmentData>,
}

/// The statistics per segment of a segment column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentData {
    pub column: String,
    /// The K most frequent values, then "other".
    pub segments: Vec<SegmentCell>,
    pub warnings: Vec<String>,
}

/// One segment: per metric and per ratio metric, statistics aligned with `variant_rows`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SegmentCell {
    pub label: String,
    pub rows: u64,
    pub metrics: Vec<Vec<SufficientStats>>,
    pub ratios: Vec<Vec<RatioStats>>,
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

/// What a spec asks the reader for: plain metric columns (CUPED metrics included), CUPED
/// pairs, ratio pairs and the segment column.
pub fn request_of(spec: &ExperimentSpec) -> ExperimentRequest {
    let mut request = ExperimentRequest {
        variant_column: spec.variant_column.clone(),
        ..ExperimentRequest::default()
    };
    for m in &spec.metrics {
        match &m.denominator {
            Some(den) => {
                let pair = (m.column.clone(), den.clone());
                if !request.extra.ratios.contains(&pair) {
                    request.extra.ratios.push(pair);
                }
            }
            None => {
                if !request.metrics.contains(&m.column) {
                    request.metrics.push(m.column.clone());
                }
                if let Some(x) = &m.covariate {
                    let pair = (m.column.clone(), x.clone());
                    if !request.extra.cuped.contains(&pair) {
                        request.extra.cuped.push(pair);
                    }
                }
            }
        }
    }
    request.extra.segment = spec
        .segment
        .as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| (s.clone(), spec.max_segments));
    request
}

/// Reads `path` and runs a project's experiment analysis (the Evidence view's and the command
/// line's one call): one pass over the data gathers every statistic the spec needs.
pub fn run_experiment(
    path: &Path,
    options: &ImportOptions,
    spec: &ExperimentSpec,
    control: &ReadControl<'_>,
) -> Result<ExperimentResult, RunError> {
    let request = request_of(spec);
    let data = read_experiment_request(path, options, &request, control)?;
    let input = full_input(&data, spec);
    analyze_full(&input).map_err(|error| RunError::Analysis {
        file: data.file.clone(),
        error,
    })
}

/// The analysis input of a spec from the statistics read for it.
pub fn full_input(data: &ExperimentData, spec: &ExperimentSpec) -> FullInput {
    let base = data.to_input(&spec.control, spec.alpha, &[], &spec.expected_split);
    let mut metrics = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    // Per full metric: where its segment statistics are (plain index or ratio index).
    let mut segment_sources = Vec::new();
    for m in &spec.metrics {
        let name = m.display_name();
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let role = match m.role {
            DecisionRole::Informative => None,
            DecisionRole::Success => Some(MetricRole::Success),
            DecisionRole::Guardrail { margin } => Some(MetricRole::Guardrail { margin }),
        };
        let direction = if m.lower_is_better {
            Direction::LowerIsBetter
        } else {
            Direction::HigherIsBetter
        };
        let source = match &m.denominator {
            Some(den) => {
                let Some(k) = data
                    .ratios
                    .iter()
                    .position(|(n, d, _)| *n == m.column && d == den)
                else {
                    continue;
                };
                segment_sources.push((true, k));
                MetricSource::Ratio(data.ratios.get(k).map(|r| r.2.clone()).unwrap_or_default())
            }
            None => {
                let Some(k) = data.metrics.iter().position(|(n, _)| *n == m.column) else {
                    continue;
                };
                segment_sources.push((false, k));
                let cuped = m.covariate.as_ref().and_then(|x| {
                    data.cuped
                        .iter()
                        .find(|(y, c, _)| *y == m.column && c == x)
                        .map(|(_, c, s)| (c.clone(), s.clone()))
                });
                match cuped {
                    Some((covariate, stats)) => MetricSource::Cuped { covariate, stats },
                    None => MetricSource::Plain(
                        data.metrics.get(k).map(|r| r.1.clone()).unwrap_or_default(),
                    ),
                }
            }
        };
        metrics.push(FullMetric {
            name,
            kind: m.kind,
            source,
            role,
            direction,
        });
    }
    let segments = data.segments.as_ref().map(|seg| SegmentsInput {
        column: seg.column.clone(),
        warnings: seg.warnings.clone(),
        segments: seg
            .segments
            .iter()
            .map(|cell| SegmentInput {
                label: cell.label.clone(),
                metrics: segment_sources
                    .iter()
                    .map(|&(ratio, k)| {
                        if ratio {
                            SegmentMetricStats::Ratio(
                                cell.ratios.get(k).cloned().unwrap_or_default(),
                            )
                        } else {
                            SegmentMetricStats::Plain(
                                cell.metrics.get(k).cloned().unwrap_or_default(),
                            )
                        }
                    })
                    .collect(),
            })
            .collect(),
    });
    FullInput {
        base,
        metrics,
        segments,
    }
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
    let request = ExperimentRequest {
        variant_column: variant_column.to_owned(),
        metrics: metrics.to_vec(),
        extra: ExtraColumns::default(),
    };
    read_experiment_request(path, options, &request, control)
}

/// Reads everything `request` asks for in one pass (see [`read_experiment`]).
pub fn read_experiment_request(
    path: &Path,
    options: &ImportOptions,
    request: &ExperimentRequest,
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let variant_column = request.variant_column.as_str();
    let extra = &request.extra;
    let source = Opened::open(path, options, control.engine)?;
    let columns = source.columns().to_vec();
    let file = source.label.clone();
    let variant_index = find_column(&file, &columns, variant_column)?;
    let metrics = dedup(&request.metrics);
    let all_columns: Vec<&String> = metrics
        .iter()
        .chain(extra.ratios.iter().flat_map(|(n, d)| [n, d]))
        .chain(extra.cuped.iter().map(|(_, x)| x))
        .collect();
    let unit_level = if metrics.is_empty() {
        extra.ratios.iter().any(|(n, _)| columns.contains(n))
    } else {
        metrics.iter().all(|m| columns.contains(m))
    };
    if unit_level {
        for m in &all_columns {
            if *m == variant_column {
                return Err(AggregateError::SameColumn {
                    file,
                    column: (*m).clone(),
                    message: "it cannot be both the variant column and a metric".to_owned(),
                });
            }
        }
        return read_unit_level(&source, variant_index, &metrics, extra, control);
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
    read_summary(&source, variant_index, &summary, extra, control)
}

// ----- experiment (unit level) -----

/// The most distinct values of a segment column kept apart; values first seen after that are
/// pooled (with a warning), so a column of ids cannot exhaust memory.
pub const MAX_SEGMENT_VALUES: usize = 20_000;

/// The label of the values pooled beyond [`MAX_SEGMENT_VALUES`].
const OVERFLOW_LABEL: &str = "(values beyond the first 20000)";

/// The label of rows without a segment value.
const MISSING_SEGMENT: &str = "(missing)";

/// Where each role's column sits among the needed cells (0 is the variant).
struct SlotPlan {
    /// Plain metric columns (CUPED metrics' Y included).
    metrics: Vec<usize>,
    /// CUPED: (Y slot, X slot).
    cuped: Vec<(usize, usize)>,
    /// Ratio metrics: (numerator slot, denominator slot).
    ratios: Vec<(usize, usize)>,
    segment: Option<usize>,
    /// Every slot read as a number.
    numeric: Vec<usize>,
    slots: usize,
}

struct ExperimentSink {
    decimal_comma: bool,
    skip_bad_rows: bool,
    plan: SlotPlan,
}

/// The statistics of one variant (or one variant within one segment value).
#[derive(Clone, Debug, Default)]
pub(super) struct Acc {
    pub(super) rows: u64,
    pub(super) stats: Vec<SufficientStats>,
    pub(super) cuped: Vec<CupedStats>,
    pub(super) ratios: Vec<RatioStats>,
}

impl Acc {
    fn new(metrics: usize, cuped: usize, ratios: usize) -> Self {
        Self {
            rows: 0,
            stats: vec![SufficientStats::new(); metrics],
            cuped: vec![CupedStats::new(); cuped],
            ratios: vec![RatioStats::new(); ratios],
        }
    }

    pub(super) fn merge(&mut self, other: &Acc) {
        self.rows += other.rows;
        merge_all(&mut self.stats, &other.stats, SufficientStats::merge);
        merge_all(&mut self.cuped, &other.cuped, CupedStats::merge);
        merge_all(&mut self.ratios, &other.ratios, RatioStats::merge);
    }
}

fn merge_all<T: Clone>(into: &mut Vec<T>, from: &[T], merge: fn(&mut T, &T)) {
    if into.len() < from.len() {
        into.extend(from.iter().skip(into.len()).cloned());
        return;
    }
    for (a, b) in into.iter_mut().zip(from) {
        merge(a, b);
    }
}

struct VariantBlock {
    name: Vec<u8>,
    acc: Acc,
    /// Per segment value of the block (indexed like `ExperimentBlock::segments`); grown as
    /// values appear.
    segments: Vec<Acc>,
}

#[derive(Default)]
struct ExperimentBlock {
    variants: Vec<VariantBlock>,
    lookup: HashMap<Vec<u8>, usize>,
    last: usize,
    rows_without_variant: u64,
    skipped: u64,
    /// The segment values seen in this block (the last is the overflow, when used).
    segments: Vec<Vec<u8>>,
    segment_lookup: HashMap<Vec<u8>, usize>,
    segment_last: usize,
    /// Each needed cell as a number (scratch, reused row after row).
    nums: Vec<Num>,
}

impl ExperimentBlock {
    #[inline]
    fn variant_index(&mut self, name: &[u8], plan: &SlotPlan) -> Result<usize, CellProblem> {
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
            acc: Acc::new(plan.metrics.len(), plan.cuped.len(), plan.ratios.len()),
            segments: Vec::new(),
        });
        self.lookup.insert(name.to_vec(), i);
        self.last = i;
        Ok(i)
    }

    #[inline]
    fn segment_index(&mut self, value: &[u8]) -> usize {
        if let Some(s) = self.segments.get(self.segment_last)
            && s.as_slice() == value
        {
            return self.segment_last;
        }
        if let Some(&i) = self.segment_lookup.get(value) {
            self.segment_last = i;
            return i;
        }
        let key: &[u8] = if self.segments.len() >= MAX_SEGMENT_VALUES {
            OVERFLOW_LABEL.as_bytes()
        } else {
            value
        };
        if let Some(&i) = self.segment_lookup.get(key) {
            self.segment_last = i;
            return i;
        }
        let i = self.segments.len();
        self.segments.push(key.to_vec());
        self.segment_lookup.insert(key.to_vec(), i);
        self.segment_last = i;
        i
    }
}

impl Sink for ExperimentSink {
    type Block = ExperimentBlock;

    fn new_block(&self) -> ExperimentBlock {
        ExperimentBlock {
            nums: vec![Num::Missing; self.plan.slots],
            ..ExperimentBlock::default()
        }
    }

    #[inline]
    fn record(&self, block: &mut ExperimentBlock, cells: &[Cell<'_>]) -> Result<(), CellError> {
        let Some(variant_cell) = cells.first() else {
            return Ok(());
        };
        let mut owned = String::new();
        let name = cell_key(variant_cell, &mut owned);
        if name.is_empty() {
            block.rows_without_variant += 1;
            return Ok(());
        }
        let plan = &self.plan;
        let index = block
            .variant_index(name, plan)
            .map_err(|problem| CellError {
                position: 0,
                value: String::from_utf8_lossy(name).into_owned(),
                problem,
            })?;
        // Every numeric cell once, whatever roles it plays.
        for &slot in &plan.numeric {
            let Some(cell) = cells.get(slot) else {
                continue;
            };
            let num = match cell_number(cell, self.decimal_comma) {
                Num::Bad if !self.skip_bad_rows => {
                    return Err(CellError {
                        position: slot,
                        value: cell_text(cell),
                        problem: CellProblem::NotANumber,
                    });
                }
                num => num,
            };
            if let Some(n) = block.nums.get_mut(slot) {
                *n = num;
            }
        }
        let segment = match plan.segment.and_then(|s| cells.get(s)) {
            Some(cell) => {
                let mut owned = String::new();
                let value = cell_key(cell, &mut owned);
                let value = if value.is_empty() {
                    MISSING_SEGMENT.as_bytes()
                } else {
                    value
                };
                Some(block.segment_index(value))
            }
            None => None,
        };
        let nums = &block.nums;
        let Some(variant) = block.variants.get_mut(index) else {
            return Ok(());
        };
        record_into(&mut variant.acc, plan, nums);
        if let Some(s) = segment {
            if variant.segments.len() <= s {
                variant
                    .segments
                    .resize_with(s + 1, || Acc::new(plan.metrics.len(), 0, plan.ratios.len()));
            }
            if let Some(acc) = variant.segments.get_mut(s) {
                record_into(acc, plan, nums);
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

/// A number for the paired statistics: NaN for anything missing or unreadable.
#[inline]
fn value_of(nums: &[Num], slot: usize) -> f64 {
    match nums.get(slot) {
        Some(Num::Value(x)) => *x,
        _ => f64::NAN,
    }
}

#[inline]
fn record_into(acc: &mut Acc, plan: &SlotPlan, nums: &[Num]) {
    acc.rows += 1;
    for (stats, &slot) in acc.stats.iter_mut().zip(&plan.metrics) {
        match nums.get(slot) {
            Some(Num::Value(x)) => stats.push(*x),
            Some(Num::Bad) => stats.push_unreadable(),
            _ => stats.push_missing(),
        }
    }
    for (stats, &(y, x)) in acc.cuped.iter_mut().zip(&plan.cuped) {
        match nums.get(y) {
            Some(Num::Value(v)) => stats.push(*v, value_of(nums, x)),
            Some(Num::Bad) => stats.push_unreadable(),
            _ => stats.push_missing(),
        }
    }
    for (stats, &(n, d)) in acc.ratios.iter_mut().zip(&plan.ratios) {
        stats.push(value_of(nums, n), value_of(nums, d));
    }
}

/// Combines blocks, in file order, into per-variant totals.
#[derive(Default)]
pub(super) struct VariantTotals {
    names: Vec<String>,
    pub(super) rows: Vec<u64>,
    stats: Vec<Vec<SufficientStats>>,
    /// CUPED and ratio statistics per variant (their `stats` unused).
    pub(super) pairs: Vec<Acc>,
    /// Per variant, per segment value (indexed like `segment_names`).
    segments: Vec<Vec<Acc>>,
    segment_names: Vec<String>,
    segment_index: HashMap<String, usize>,
    index: HashMap<String, usize>,
    pub(super) rows_without_variant: u64,
    skipped: u64,
}

/// What, beyond plain metrics, a read gathers (names for the result).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraColumns {
    /// CUPED: (metric column, covariate column).
    pub cuped: Vec<(String, String)>,
    /// Ratio metrics: (numerator column, denominator column).
    pub ratios: Vec<(String, String)>,
    /// The segment column and the number of its values shown apart.
    pub segment: Option<(String, usize)>,
}

impl VariantTotals {
    /// Adds a variant's rows and plain statistics; returns its index.
    pub(super) fn add(
        &mut self,
        name: &str,
        rows: u64,
        stats: &[SufficientStats],
        metrics: usize,
    ) -> usize {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.names.len();
                self.names.push(name.to_owned());
                self.rows.push(0);
                self.stats.push(vec![SufficientStats::new(); metrics]);
                self.pairs.push(Acc::default());
                self.segments.push(Vec::new());
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
        i
    }

    /// Adds CUPED and ratio statistics of variant `i`.
    pub(super) fn add_pairs(&mut self, i: usize, cuped: &[CupedStats], ratios: &[RatioStats]) {
        if let Some(p) = self.pairs.get_mut(i) {
            merge_all(&mut p.cuped, cuped, CupedStats::merge);
            merge_all(&mut p.ratios, ratios, RatioStats::merge);
        }
    }

    /// Adds the statistics of variant `i` within one segment value.
    fn add_segment(&mut self, i: usize, value: &str, acc: &Acc) {
        let s = match self.segment_index.get(value) {
            Some(&s) => s,
            None => {
                let key = if self.segment_names.len() >= MAX_SEGMENT_VALUES {
                    OVERFLOW_LABEL
                } else {
                    value
                };
                match self.segment_index.get(key) {
                    Some(&s) => s,
                    None => {
                        let s = self.segment_names.len();
                        self.segment_names.push(key.to_owned());
                        self.segment_index.insert(key.to_owned(), s);
                        s
                    }
                }
            }
        };
        if let Some(per_variant) = self.segments.get_mut(i) {
            if per_variant.len() <= s {
                per_variant.resize_with(s + 1, Acc::default);
            }
            if let Some(a) = per_variant.get_mut(s) {
                a.merge(acc);
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
        extra: &ExtraColumns,
    ) -> Result<ExperimentData, AggregateError> {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| self.names.get(a).cmp(&self.names.get(b)));
        let variant_rows = order
            .iter()
            .filter_map(|&i| Some((self.names.get(i)?.clone(), *self.rows.get(i)?)))
            .collect();
        let per_variant = |get: &dyn Fn(usize) -> Option<SufficientStats>| -> Vec<SufficientStats> {
            order.iter().map(|&i| get(i).unwrap_or_default()).collect()
        };
        let metrics = metric_names
            .iter()
            .enumerate()
            .map(|(m, name)| {
                let stats = per_variant(&|i| self.stats.get(i).and_then(|s| s.get(m)).copied());
                (name.clone(), stats)
            })
            .collect();
        let cuped = extra
            .cuped
            .iter()
            .enumerate()
            .map(|(k, (metric, covariate))| {
                let stats = order
                    .iter()
                    .map(|&i| {
                        self.pairs
                            .get(i)
                            .and_then(|p| p.cuped.get(k))
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect();
                (metric.clone(), covariate.clone(), stats)
            })
            .collect();
        let ratios = extra
            .ratios
            .iter()
            .enumerate()
            .map(|(k, (num, den))| {
                let stats = order
                    .iter()
                    .map(|&i| {
                        self.pairs
                            .get(i)
                            .and_then(|p| p.ratios.get(k))
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect();
                (num.clone(), den.clone(), stats)
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
        let segments = match &extra.segment {
            Some((column, max)) => Some(self.segment_data(
                &file,
                column,
                *max,
                &order,
                metric_names.len(),
                extra.ratios.len(),
            )?),
            None => None,
        };
        Ok(ExperimentData {
            file,
            variant_column,
            shape,
            rows,
            variant_rows,
            metrics,
            warnings,
            cuped,
            ratios,
            segments,
        })
    }

    /// The K most frequent segment values (the rest pooled as "other"), with the statistics of
    /// each per variant (in `order`).
    fn segment_data(
        &self,
        file: &str,
        column: &str,
        max: usize,
        order: &[usize],
        metrics: usize,
        ratios: usize,
    ) -> Result<SegmentData, AggregateError> {
        let counts: Vec<(String, u64)> = self
            .segment_names
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let rows = self
                    .segments
                    .iter()
                    .filter_map(|v| v.get(s))
                    .map(|a| a.rows)
                    .sum();
                (name.clone(), rows)
            })
            .collect();
        let plan = plan_segments(column, &counts, max).map_err(|e| AggregateError::Malformed {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        let k = plan.labels.len();
        // [segment][variant]
        let mut cells: Vec<Vec<Acc>> = (0..k)
            .map(|_| order.iter().map(|_| Acc::new(metrics, 0, ratios)).collect())
            .collect();
        for (s, name) in self.segment_names.iter().enumerate() {
            let target = plan.index_of(name);
            for (v, &i) in order.iter().enumerate() {
                let Some(acc) = self.segments.get(i).and_then(|per| per.get(s)) else {
                    continue;
                };
                if let Some(cell) = cells.get_mut(target).and_then(|c| c.get_mut(v)) {
                    cell.merge(acc);
                }
            }
        }
        let mut warnings = plan.warnings.clone();
        if self.segment_index.contains_key(OVERFLOW_LABEL) {
            warnings.push(format!(
                "The segment column \"{column}\" has more than {MAX_SEGMENT_VALUES} distinct \
                 values; the values first seen after that were pooled together. Is it really a \
                 segment (such as a country or a platform) and not an id?"
            ));
        }
        let segments = plan
            .labels
            .iter()
            .zip(cells)
            .map(|(label, per_variant)| SegmentCell {
                label: label.clone(),
                rows: per_variant.iter().map(|a| a.rows).sum(),
                metrics: (0..metrics)
                    .map(|m| {
                        per_variant
                            .iter()
                            .map(|a| a.stats.get(m).copied().unwrap_or_default())
                            .collect()
                    })
                    .collect(),
                ratios: (0..ratios)
                    .map(|r| {
                        per_variant
                            .iter()
                            .map(|a| a.ratios.get(r).copied().unwrap_or_default())
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Ok(SegmentData {
            column: column.to_owned(),
            segments,
            warnings,
        })
    }
}

/// What an experiment read asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExperimentRequest {
    pub variant_column: String,
    /// Metric columns (unit level) or metric names (summary statistics).
    pub metrics: Vec<String>,
    pub extra: ExtraColumns,
}

fn read_unit_level(
    source: &Opened,
    variant_index: usize,
    metrics: &[String],
    extra: &ExtraColumns,
    control: &ReadControl<'_>,
) -> Result<ExperimentData, AggregateError> {
    let columns = source.columns();
    let mut needed = NeededColumns::new(&source.label, columns);
    let variant_column = columns.get(variant_index).cloned().unwrap_or_default();
    needed.slot(&variant_column)?;
    let mut numeric = Vec::new();
    let mut number_slot = |needed: &mut NeededColumns<'_>, name: &str| {
        let slot = needed.slot(name)?;
        if slot == 0 {
            return Err(AggregateError::SameColumn {
                file: source.label.clone(),
                column: name.to_owned(),
                message: "it cannot be both the variant column and a value".to_owned(),
            });
        }
        if !numeric.contains(&slot) {
            numeric.push(slot);
        }
        Ok(slot)
    };
    let mut plan_metrics = Vec::with_capacity(metrics.len());
    for m in metrics {
        plan_metrics.push(number_slot(&mut needed, m)?);
    }
    let mut cuped = Vec::with_capacity(extra.cuped.len());
    for (y, x) in &extra.cuped {
        cuped.push((number_slot(&mut needed, y)?, number_slot(&mut needed, x)?));
    }
    let mut ratios = Vec::with_capacity(extra.ratios.len());
    for (n, d) in &extra.ratios {
        ratios.push((number_slot(&mut needed, n)?, number_slot(&mut needed, d)?));
    }
    let segment = match &extra.segment {
        Some((column, _)) => {
            let slot = needed.slot(column)?;
            if slot == 0 {
                return Err(AggregateError::SameColumn {
                    file: source.label.clone(),
                    column: column.clone(),
                    message: "it cannot be both the variant column and the segment column"
                        .to_owned(),
                });
            }
            Some(slot)
        }
        None => None,
    };
    let indices = needed.indices.clone();
    let sink = ExperimentSink {
        decimal_comma: source.decimal_comma(),
        skip_bad_rows: source.skip_bad_rows(),
        plan: SlotPlan {
            metrics: plan_metrics,
            cuped,
            ratios,
            segment,
            numeric,
            slots: indices.len(),
        },
    };
    let mut totals = VariantTotals::default();
    let rows = source.scan(&indices, &sink, control, |block: ExperimentBlock| {
        totals.rows_without_variant += block.rows_without_variant;
        totals.skipped += block.skipped;
        for v in &block.variants {
            let name = String::from_utf8_lossy(&v.name);
            let i = totals.add(&name, v.acc.rows, &v.acc.stats, metrics.len());
            totals.add_pairs(i, &v.acc.cuped, &v.acc.ratios);
            for (s, acc) in v.segments.iter().enumerate() {
                if acc.rows == 0 {
                    continue;
                }
                let value = block
                    .segments
                    .get(s)
                    .map(|b| String::from_utf8_lossy(b))
                    .unwrap_or_default();
                totals.add_segment(i, &value, acc);
            }
        }
        Ok(())
    })?;
    totals.finish(
        source.label.clone(),
        variant_column,
        DataShape::UnitLevel,
        rows,
        metrics.to_vec(),
        extra,
    )
}
