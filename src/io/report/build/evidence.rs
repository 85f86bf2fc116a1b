//! The sections on data, evidence and scenarios of the summary.

use super::super::sentences;
use super::super::{Block, Chart, LiftChart, LiftRow, LinkChart, Section, Table, ThresholdChart};
use super::filled;
use crate::analysis::{ExperimentResult, LinkResult, ThresholdResult};
use crate::format;
use crate::model::{
    ColumnRole, DataShape, DistributionView, ExperimentAnalysis, LinkAnalysis, LinkSource,
    MetaView, Project, Scenario, ThresholdAnalysis, TimelineView,
};

pub(super) fn data_section(project: &Project) -> Section {
    let blocks = if project.datasets.is_empty() {
        vec![Block::Note("No data attached yet.".into())]
    } else {
        vec![Block::Table(Table {
            header: ["Data", "File", "Shape", "Columns used"]
                .map(String::from)
                .to_vec(),
            rows: project
                .datasets
                .iter()
                .map(|d| {
                    let used: Vec<String> = d
                        .columns
                        .iter()
                        .filter(|c| c.role != ColumnRole::Ignore)
                        .map(|c| {
                            let name = match c.role {
                                ColumnRole::MlMetric | ColumnRole::BusinessMetric => {
                                    project.metric_info(&c.name).picker()
                                }
                                _ => c.name.clone(),
                            };
                            format!("{name} ({})", c.role.label().to_lowercase())
                        })
                        .collect();
                    let shape = match d.shape {
                        DataShape::Unknown => String::new(),
                        other => other.label().to_string(),
                    };
                    vec![
                        d.name.clone(),
                        d.path.display().to_string(),
                        shape,
                        used.join(", "),
                    ]
                })
                .collect(),
        })]
    };
    Section {
        key: "data",
        title: "Data".into(),
        wide: true,
        blocks,
    }
}

/// One experiment analysis's blocks with its metrics' display names (the summary's Evidence
/// section and the deck's slide).
pub(crate) fn named_experiment_blocks(
    project: &Project,
    analysis: &ExperimentAnalysis,
) -> Vec<Block> {
    let result = analysis.result.as_ref().map(|(_, r)| r);
    let columns: Vec<&str> = result
        .into_iter()
        .flat_map(|r| &r.metrics)
        .flat_map(|m| std::iter::once(m.metric.as_str()).chain(m.covariate.as_deref()))
        .chain(analysis.spec.metrics.iter().map(|m| m.column.as_str()))
        .collect();
    super::names::relabel_blocks(project, &columns, experiment_blocks(analysis))
}

/// One link's blocks with its metrics' display names.
pub(crate) fn named_link_blocks(project: &Project, link: &LinkAnalysis) -> Vec<Block> {
    let columns = [link.spec.x.as_str(), link.spec.y.as_str()];
    super::names::relabel_blocks(project, &columns, link_blocks(link))
}

/// One meta-analysis's blocks with its metric's display name.
pub(crate) fn named_meta_blocks(project: &Project, meta: &MetaView) -> Vec<Block> {
    let columns = [meta.spec.effect_column.as_str()];
    super::names::relabel_blocks(project, &columns, meta_blocks(meta))
}

pub(super) fn evidence_section(project: &Project) -> Section {
    let e = &project.evidence;
    let mut blocks = Vec::new();
    for analysis in &e.experiments {
        let removed = data_removed(
            project,
            &analysis.spec.dataset_id,
            analysis.result.is_some(),
        );
        blocks.extend(mark_removed(
            removed,
            named_experiment_blocks(project, analysis),
        ));
    }
    for link in &e.links {
        let removed = data_removed(project, &link.spec.dataset_id, link.result.is_some());
        blocks.extend(mark_removed(removed, named_link_blocks(project, link)));
    }
    for threshold in &e.thresholds {
        let removed = data_removed(
            project,
            &threshold.spec.dataset_id,
            threshold.result.is_some(),
        );
        blocks.extend(mark_removed(removed, threshold_blocks(threshold)));
    }
    for (k, view) in e.timelines.iter().enumerate() {
        let removed = data_removed(project, &view.spec.dataset_id, view.result.is_some());
        blocks.extend(mark_removed(
            removed,
            named_timeline_blocks(project, view, k),
        ));
    }
    for (k, view) in e.distributions.iter().enumerate() {
        let removed = data_removed(project, &view.spec.dataset_id, view.result.is_some());
        blocks.extend(mark_removed(
            removed,
            named_distribution_blocks(project, view, k),
        ));
    }
    for meta in &e.metas {
        blocks.extend(named_meta_blocks(project, meta));
    }
    if blocks.is_empty() {
        blocks.push(Block::Note("No evidence yet.".into()));
    }
    Section {
        key: "evidence",
        title: "Evidence".into(),
        wide: true,
        blocks,
    }
}

fn name_or(name: &str, fallback: &str) -> String {
    if filled(name) {
        name.trim().to_string()
    } else {
        fallback.to_string()
    }
}

fn not_computed(name: &str) -> Block {
    Block::Note(format!(
        "{name}: not computed yet. Open the Evidence page with its data to compute it."
    ))
}

fn experiment_blocks(analysis: &ExperimentAnalysis) -> Vec<Block> {
    let name = name_or(&analysis.name, "Experiment");
    let Some((_, result)) = &analysis.result else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![Block::Heading(name.clone())];
    blocks.extend(experiment_result_blocks(analysis, result, &name));
    blocks
}

fn experiment_result_blocks(
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    name: &str,
) -> Vec<Block> {
    let ci_level = format::confidence_level(result.alpha);
    let is_business = |metric: &str| {
        super::super::experiment_text::metric_spec(&analysis.spec, metric)
            .is_some_and(|m| m.business)
    };
    // Business metrics first: they are what the project is judged by.
    let mut metrics: Vec<_> = result.metrics.iter().collect();
    metrics.sort_by_key(|m| !is_business(&m.metric));
    let mut rows = Vec::new();
    let mut lift_rows = Vec::new();
    for metric in metrics {
        let label = if is_business(&metric.metric) {
            format!("{} (business)", metric.metric)
        } else {
            metric.metric.clone()
        };
        for c in super::super::experiment_text::shown_comparisons(&analysis.spec, metric) {
            let lift = c
                .rel_lift
                .map(format::percent_change)
                .unwrap_or_else(|| format::UNDEFINED.into());
            let ci = match (c.rel_ci_low, c.rel_ci_high) {
                (Some(lo), Some(hi)) => format!(
                    "{} to {}",
                    format::percent_change(lo),
                    format::percent_change(hi)
                ),
                _ => format::UNDEFINED.into(),
            };
            let p = if analysis.spec.holm {
                c.p_value_holm
            } else {
                c.p_value
            };
            rows.push(vec![
                label.clone(),
                format!("{} vs {}", c.treatment, result.control),
                lift,
                ci,
                p.map(format::p_bare)
                    .unwrap_or_else(|| format::UNDEFINED.into()),
                c.verdict.trim().to_string(),
            ]);
            if let (Some(est), Some(lo), Some(hi)) = (c.rel_lift, c.rel_ci_low, c.rel_ci_high)
                && est.is_finite()
                && lo.is_finite()
                && hi.is_finite()
            {
                lift_rows.push(LiftRow {
                    label: format!("{}: {}", metric.metric, c.treatment),
                    estimate: est,
                    low: lo,
                    high: hi,
                });
            }
        }
    }
    let mut blocks = Vec::new();
    if let Some(warning) = &result.srm.warning {
        blocks.push(Block::Warning(warning.clone()));
    }
    blocks.extend(super::super::experiment_blocks::decision_blocks(result));
    if !rows.is_empty() {
        let p_header = if analysis.spec.holm { "p (Holm)" } else { "p" };
        blocks.push(Block::Table(Table {
            header: vec![
                "Metric".into(),
                "Comparison".into(),
                "Lift".into(),
                format!("{ci_level}% interval"),
                p_header.into(),
                "Verdict".into(),
            ],
            rows,
        }));
    }
    blocks.extend(super::super::experiment_blocks::cuped_and_segment_blocks(
        result,
        analysis.spec.show_unadjusted,
    ));
    if !lift_rows.is_empty() {
        blocks.push(Block::Chart(Chart::Lift(LiftChart {
            title: format!("{name}: relative lift with {ci_level}% intervals"),
            ci_level_pct: (1.0 - result.alpha) * 100.0,
            rows: lift_rows,
        })));
    }
    if !result.warnings.is_empty() {
        blocks.push(Block::List(
            result
                .warnings
                .iter()
                .map(|w| format!("Note: {w}"))
                .collect(),
        ));
    }
    blocks
}

fn opt(x: Option<f64>) -> String {
    x.map(format::number)
        .unwrap_or_else(|| format::UNDEFINED.into())
}

fn link_blocks(link: &LinkAnalysis) -> Vec<Block> {
    let name = name_or(&link.name, &format!("{} → {}", link.spec.x, link.spec.y));
    let Some((_, r)) = &link.result else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![
        Block::Heading(name.clone()),
        Block::Text(link_sentence(link, &r.result)),
    ];
    // With standard errors, the verdict told with the noise-aware slope.
    let verdict = r
        .result
        .york
        .as_ref()
        .map(|y| &y.verdict)
        .filter(|v| filled(v))
        .unwrap_or(&r.result.verdict);
    if filled(verdict) {
        blocks.push(Block::Text(verdict.trim().to_string()));
    }
    let points: Vec<(f64, f64)> = link
        .points()
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .map(|p| (p.x, p.y))
        .collect();
    if points.len() >= 2 {
        blocks.push(Block::Chart(Chart::Link(LinkChart {
            title: format!("{name}: {} against {}", link.spec.y, link.spec.x),
            x_label: link.spec.x.clone(),
            y_label: link.spec.y.clone(),
            points,
            fit: r
                .result
                .line()
                .intercept
                .zip(r.result.line().slope)
                .filter(|(a, b)| a.is_finite() && b.is_finite()),
        })));
    }
    blocks
}

/// "Correlation r = -0.83 over 14 points (95% interval …); slope … per unit of …; R² = 0.69."
/// A meta-analysis of past experiments: the pooled effect, the winner's curse, and each
/// experiment's measured and shrunken effect.
fn meta_blocks(meta: &MetaView) -> Vec<Block> {
    let name = name_or(
        &meta.name,
        &format!("Past experiments: {}", meta.spec.effect_column),
    );
    let Some(r) = meta.output() else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![Block::Heading(name)];
    if let Some(sentence) = crate::analysis::meta::headline(r, &meta.spec.effect_column) {
        blocks.push(Block::Text(format!(
            "{sentence} Between-experiment variance τ² = {}, I² = {}% (random effects, \
             DerSimonian–Laird).",
            opt(r.tau2),
            r.i_squared.map_or_else(
                || format::UNDEFINED.to_string(),
                |i| format::number(100.0 * i)
            )
        )));
    }
    if let Some(sentence) = crate::analysis::meta::winners_curse(r) {
        blocks.push(Block::Text(sentence));
    }
    for warning in &r.warnings {
        blocks.push(Block::Warning(warning.clone()));
    }
    let rows: Vec<Vec<String>> = r
        .experiments
        .iter()
        .map(|e| {
            vec![
                e.label.clone(),
                format::signed(e.effect),
                format::number(e.se),
                e.shrunken
                    .map_or_else(|| format::UNDEFINED.to_string(), format::signed),
            ]
        })
        .collect();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            header: vec![
                "Experiment".into(),
                "Measured effect".into(),
                "Std error".into(),
                "Likely worth (shrunken)".into(),
            ],
            rows,
        }));
    }
    blocks
}

fn link_sentence(link: &LinkAnalysis, r: &LinkResult) -> String {
    let level = format::confidence_level(link.spec.alpha);
    let interval = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(
            " ({level}% interval {} to {})",
            format::number(lo),
            format::number(hi)
        ),
        _ => String::new(),
    };
    let line = r.line();
    format!(
        "Correlation r = {} over {} points{}; {}slope {} {} per unit of {}{}; R² = {}.",
        opt(r.pearson_r),
        r.n,
        interval(r.pearson_ci_low, r.pearson_ci_high),
        if line.noise_aware {
            "noise-aware (York) "
        } else {
            ""
        },
        opt(line.slope),
        link.spec.y,
        link.spec.x,
        interval(line.slope_ci_low, line.slope_ci_high),
        opt(r.r_squared)
    )
}

pub(crate) fn threshold_blocks(analysis: &ThresholdAnalysis) -> Vec<Block> {
    let name = name_or(&analysis.name, "Decision threshold");
    let Some((_, r)) = &analysis.result else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![Block::Heading(name.clone())];
    blocks.push(Block::Text(threshold_sentence(r)));
    let points: Vec<(f64, f64)> = r
        .curve
        .iter()
        .filter(|p| p.threshold.is_finite() && p.value.is_finite())
        .map(|p| (p.threshold, p.value))
        .collect();
    if points.len() >= 2 {
        blocks.push(Block::Chart(Chart::ThresholdValue(ThresholdChart {
            title: format!("{name}: business value by threshold"),
            points,
            best_value: r.best_value_threshold.zip(r.best_value),
            best_f1: r.best_f1_threshold.zip(r.value_at_best_f1),
        })));
    }
    blocks
}

fn threshold_sentence(r: &ThresholdResult) -> String {
    match (r.best_value_threshold, r.best_value) {
        (Some(t), Some(v)) => {
            let mut s = format!(
                "The threshold worth most is {}, with a value of {}.",
                format::number(t),
                format::number(v)
            );
            if let (Some(tf), Some(vf)) = (r.best_f1_threshold, r.value_at_best_f1) {
                s.push_str(&format!(
                    " The threshold with the best F1 ({}) would give {}.",
                    format::number(tf),
                    format::number(vf)
                ));
            }
            s
        }
        _ => "The value of the threshold could not be computed.".to_string(),
    }
}

pub(super) fn scenarios_section(project: &Project) -> Section {
    let blocks = if project.scenarios.is_empty() {
        vec![Block::Note("No what-if scenarios yet.".into())]
    } else {
        let mut blocks = super::value::scenario_value_blocks(project);
        blocks.push(Block::Heading("Inputs".into()));
        blocks.extend(scenario_blocks(project));
        blocks
    };
    Section {
        key: "scenarios",
        title: "What-if scenarios".into(),
        wide: true,
        blocks,
    }
}

/// The scenarios' inputs (what they are worth comes before them, from `value`).
fn scenario_blocks(project: &Project) -> Vec<Block> {
    let link_text = |s: &Scenario| match &s.link {
        LinkSource::Measured { link_id } => {
            let name = project
                .evidence
                .links
                .iter()
                .find(|l| &l.id == link_id)
                .map(|l| name_or(&l.name, link_id))
                .unwrap_or_else(|| link_id.clone());
            format!("measured ({name})")
        }
        LinkSource::Manual { slope, low, high } => format!(
            "assumed slope {} ({} to {})",
            format::number(*slope),
            format::number(*low),
            format::number(*high)
        ),
        LinkSource::Experiment {
            experiment_id,
            metric,
            treatment,
        } => {
            let name = project
                .evidence
                .experiments
                .iter()
                .find(|e| &e.id == experiment_id)
                .map(|e| name_or(&e.name, experiment_id))
                .unwrap_or_else(|| experiment_id.clone());
            format!(
                "measured directly ({name}: {treatment} in {})",
                project.metric_info(metric).in_sentence()
            )
        }
    };
    let rows = project
        .scenarios
        .iter()
        .map(|s| {
            let change = if s.ml_change > 0.0 {
                format!(
                    "+{} {}",
                    format::number(s.ml_change),
                    project.metric_text(&s.ml_metric)
                )
            } else {
                format!(
                    "{} {}",
                    format::number(s.ml_change),
                    project.metric_text(&s.ml_metric)
                )
            };
            let mut costs = Vec::new();
            if s.engineering_months > 0.0 {
                costs.push(format!(
                    "{} engineer-months at {}",
                    format::number(s.engineering_months),
                    format::number(s.engineering_rate_per_month)
                ));
            }
            if s.cloud_cost_per_month > 0.0 {
                costs.push(format!(
                    "cloud {} a month",
                    format::number(s.cloud_cost_per_month)
                ));
            }
            if s.one_off_costs > 0.0 {
                costs.push(format!("one-off {}", format::number(s.one_off_costs)));
            }
            let costs = if costs.is_empty() {
                format::UNDEFINED.to_string()
            } else {
                costs.join("; ")
            };
            let mut volume = format!("{} a month", format::number(s.volume_per_month));
            if s.value_per_unit != 0.0 {
                volume.push_str(&format!(" at {} each", format::number(s.value_per_unit)));
            }
            vec![
                name_or(&s.name, &s.id),
                change.trim().to_string(),
                project.metric_text(&s.business_metric),
                link_text(s),
                volume,
                costs,
                format!("{} months", s.horizon_months),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        header: [
            "Scenario",
            "ML change",
            "Business metric",
            "Link",
            "Volume",
            "Costs",
            "Horizon",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    })];
    let notes: Vec<String> = project
        .scenarios
        .iter()
        .filter(|s| filled(&s.notes))
        .map(|s| format!("{}: {}", name_or(&s.name, &s.id), s.notes.trim()))
        .collect();
    if !notes.is_empty() {
        blocks.push(Block::List(notes));
    }
    blocks
}

/// The `k`-th over-time view's blocks with display names (the Summary, the report and the
/// deck).
pub(crate) fn named_timeline_blocks(
    project: &Project,
    view: &TimelineView,
    k: usize,
) -> Vec<Block> {
    let columns: Vec<&str> = view.spec.metrics.iter().map(String::as_str).collect();
    super::names::relabel_blocks(project, &columns, timeline_blocks(project, view, k))
}

/// The `k`-th distribution view's blocks with display names (the Summary, the report and the
/// deck).
pub(crate) fn named_distribution_blocks(
    project: &Project,
    view: &DistributionView,
    k: usize,
) -> Vec<Block> {
    let columns = [view.spec.metric.as_str()];
    super::names::relabel_blocks(project, &columns, distribution_blocks(project, view, k))
}

/// An over-time view: its deployments and the before-and-after sentence of each.
fn timeline_blocks(project: &Project, view: &TimelineView, k: usize) -> Vec<Block> {
    let name = name_or(&view.name, &format!("Over time {}", k + 1));
    let Some((_, data)) = &view.result else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![Block::Heading(name)];
    let metrics: Vec<String> = view
        .spec
        .metrics
        .iter()
        .map(|m| project.metric_info(m).in_sentence())
        .collect();
    if !metrics.is_empty() {
        blocks.push(Block::Text(format!("Day by day: {}.", metrics.join(", "))));
    }
    let deployments = sentences::timeline_deployments(view, data);
    if deployments.is_empty() {
        blocks.push(Block::Note(
            "No deployment dates, so no before-and-after comparison.".into(),
        ));
        return blocks;
    }
    let verdicts = sentences::timeline_verdicts(project, view);
    let compared = !verdicts.is_empty();
    blocks.extend(verdicts.into_iter().map(Block::Text));
    if compared {
        blocks.push(Block::Note(sentences::TIMELINE_VERDICT_NOTE.into()));
    }
    blocks
}

/// A distribution view: how the metric is spread in each variant, in one sentence.
fn distribution_blocks(project: &Project, view: &DistributionView, k: usize) -> Vec<Block> {
    let name = name_or(&view.name, &format!("Distribution {}", k + 1));
    let Some((_, data)) = &view.result else {
        return vec![not_computed(&name)];
    };
    let mut blocks = vec![Block::Heading(name)];
    match sentences::distribution_sentence(project, view, data) {
        Some(sentence) => blocks.push(Block::Text(sentence)),
        None => blocks.push(Block::Note("No values to describe.".into())),
    }
    if data.missing > 0 {
        blocks.push(Block::Note(format!(
            "{} units had no value for {} and are left out.",
            format::precise(data.missing as f64),
            project.metric_info(&view.spec.metric).in_sentence()
        )));
    }
    blocks
}

/// What the Evidence page, the Summary and the report say about results whose data file was
/// taken out of the project.
pub const REMOVED_DATA_NOTE: &str = "the data file these results came from was removed from the project, so they may no longer \
     hold.";

/// Whether an analysis has results but its data file is no longer in the project.
pub(super) fn data_removed(project: &Project, dataset_id: &str, has_result: bool) -> bool {
    has_result && !dataset_id.is_empty() && project.dataset(dataset_id).is_none()
}

/// An analysis's blocks with "Out of date: …" after its heading when its data file was removed.
fn mark_removed(removed: bool, mut blocks: Vec<Block>) -> Vec<Block> {
    if removed {
        let at = usize::from(matches!(blocks.first(), Some(Block::Heading(_))));
        blocks.insert(at, Block::Note(format!("Out of date: {REMOVED_DATA_NOTE}")));
    }
    blocks
}
