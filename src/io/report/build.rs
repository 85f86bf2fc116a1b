//! From a project to the summary document: one builder per section.

use super::format::{fmt_num, fmt_p, fmt_signed_pct};
use super::{
    Block, Chart, LiftChart, LiftRow, LinkChart, Report, Section, Table, TargetBar, ThresholdChart,
};
use crate::analysis::{ExperimentResult, LinkResult, ThresholdResult};
use crate::model::{
    Answer, BusinessObjective, DataShape, Direction, ExperimentAnalysis, FrameStep, Framing,
    LinkAnalysis, LinkSource, MlFitCriterion, Project, RequirementKind, Scenario, StepStatus,
    ThresholdAnalysis, advise, weight_shares,
};

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

/// Label/value pairs, leaving out empty values.
fn fields(pairs: &[(&str, &str)]) -> Option<Block> {
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(_, v)| filled(v))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect();
    (!kept.is_empty()).then_some(Block::Fields(kept))
}

/// The whole summary of a project.
pub fn build_report(project: &Project) -> Report {
    let f = &project.framing;
    // The canvas order: the two readiness questions (is ML right, where the organisation
    // stands) side by side, then the task and its objectives.
    let canvas_order = [
        FrameStep::Problem,
        FrameStep::Objectives,
        FrameStep::MlFit,
        FrameStep::Process,
        FrameStep::Task,
        FrameStep::MlObjective,
        FrameStep::Decoupled,
        FrameStep::Requirements,
    ];
    let mut sections: Vec<Section> = canvas_order
        .iter()
        .map(|step| framing_step_section(project, *step))
        .collect();
    sections.push(data_section(project));
    sections.push(evidence_section(project));
    sections.push(scenarios_section(project));
    if let Some(open) = open_points_section(f) {
        sections.push(open);
    }
    // A section that only says "not yet" needs no full row.
    for section in &mut sections {
        if let [Block::Note(_)] = section.blocks.as_slice() {
            section.wide = false;
        }
    }
    Report {
        title: project.display_name().to_string(),
        description: project.description.trim().to_string(),
        overview: overview(project),
        sections,
    }
}

fn overview(project: &Project) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let e = &project.evidence;
    let analyses = e.experiments.len() + e.links.len() + e.thresholds.len();
    [
        format!(
            "{} of {} framing steps answered",
            project.framing.answered_steps(),
            FrameStep::ALL.len()
        ),
        plural(project.datasets.len(), "data file", "data files"),
        plural(analyses, "analysis", "analyses"),
        plural(
            project.scenarios.len(),
            "what-if scenario",
            "what-if scenarios",
        ),
    ]
    .join(" · ")
}

/// The section of one framing step (also used as the example hint in the wizard).
pub fn framing_step_section(project: &Project, step: FrameStep) -> Section {
    let f = &project.framing;
    let (title, wide) = match step {
        // Side by side only where two short sections meet; the rest take the full width.
        FrameStep::Problem => ("Business problem", true),
        FrameStep::Objectives => ("Business objectives", true),
        FrameStep::MlFit => ("Is ML the right tool?", false),
        FrameStep::Task => ("ML task", true),
        FrameStep::MlObjective => ("ML objective and the hypothesised link", false),
        FrameStep::Decoupled => ("Decoupled objectives", false),
        FrameStep::Requirements => ("Requirements", true),
        FrameStep::Process => ("Process and maturity", false),
    };
    let blocks = match f.status(step) {
        StepStatus::NotYet => vec![Block::Note("Not answered yet.".into())],
        StepStatus::Skipped => vec![Block::Note("Skipped for now.".into())],
        StepStatus::Complete => match step {
            FrameStep::Problem => problem_blocks(f),
            FrameStep::Objectives => objective_blocks(&f.objectives),
            FrameStep::MlFit => ml_fit_blocks(f),
            FrameStep::Task => task_blocks(f),
            FrameStep::MlObjective => ml_objective_blocks(f),
            FrameStep::Decoupled => decoupled_blocks(f),
            FrameStep::Requirements => requirement_blocks(f),
            FrameStep::Process => process_blocks(f),
        },
    };
    Section {
        key: step_key(step),
        title: title.to_string(),
        wide,
        blocks,
    }
}

/// A short version of a step's answer, for the example hint in the wizard: the gist in a few
/// lines rather than every detail.
pub fn framing_step_brief(project: &Project, step: FrameStep) -> Vec<Block> {
    let f = &project.framing;
    match f.status(step) {
        StepStatus::NotYet => return vec![Block::Note("Not answered in this example.".into())],
        StepStatus::Skipped => return vec![Block::Note("Skipped in this example.".into())],
        StepStatus::Complete => {}
    }
    let mut blocks = Vec::new();
    match step {
        FrameStep::Problem => {
            blocks.push(Block::Text(f.problem.statement.trim().to_string()));
            blocks.extend(fields(&[("Decision", &f.problem.decision)]));
        }
        FrameStep::Objectives => {
            let named: Vec<&BusinessObjective> =
                f.objectives.iter().filter(|o| filled(&o.metric)).collect();
            let lines = named
                .iter()
                .take(2)
                .map(|o| {
                    let mut line = format!(
                        "{}: from {} to {}",
                        o.metric.trim(),
                        with_unit(o.baseline, &o.unit),
                        with_unit(o.target, &o.unit)
                    );
                    if filled(&o.horizon) {
                        line.push_str(&format!(", {}", o.horizon.trim()));
                    }
                    if filled(&o.failure_condition) {
                        line.push_str(&format!(". Failure: {}", o.failure_condition.trim()));
                    }
                    line
                })
                .collect();
            blocks.push(Block::List(lines));
            if named.len() > 2 {
                blocks.push(Block::Note(format!("and {} more", named.len() - 2)));
            }
        }
        FrameStep::MlFit => {
            blocks.push(Block::Text(f.ml_fit.reading()));
            blocks.extend(fields(&[("Conclusion", &f.ml_fit.conclusion)]));
        }
        FrameStep::Task => {
            let chosen = f
                .task
                .alternatives
                .iter()
                .find(|a| a.chosen)
                .map(|a| a.description.trim().to_string())
                .unwrap_or_default();
            let compared = match f.task.alternatives.len() {
                0 | 1 => String::new(),
                n => format!("{n} framings compared"),
            };
            blocks.extend(fields(&[
                ("Predicts", &f.task.predicted),
                ("For each", &f.task.entity),
                ("Task type", f.task.task_type.label()),
                ("Alternatives", &compared),
                ("Chosen framing", &chosen),
            ]));
        }
        FrameStep::MlObjective => {
            let o = &f.ml_objective;
            let metrics = o.offline_metrics.join(", ");
            let link = o
                .links
                .first()
                .map(|l| {
                    format!(
                        "{} → {}: {}",
                        l.ml_metric.trim(),
                        l.business_metric.trim(),
                        l.expected_effect.trim()
                    )
                })
                .unwrap_or_default();
            blocks.extend(fields(&[
                ("Loss", &o.loss),
                ("Offline metrics", &metrics),
                ("Link", &link),
            ]));
        }
        FrameStep::Decoupled => {
            let d = &f.decoupled;
            let weights = d
                .objectives
                .iter()
                .zip(weight_shares(&d.objectives))
                .map(|(o, s)| format!("{} {:.0}%", o.name.trim(), s * 100.0))
                .collect::<Vec<_>>()
                .join(" · ");
            blocks.extend(fields(&[("Weights", &weights), ("Why", &d.rationale)]));
        }
        FrameStep::Requirements => {
            let pairs: Vec<(String, String)> = RequirementKind::ALL
                .iter()
                .map(|k| (k.label().to_string(), f.requirements.get(*k).target.clone()))
                .filter(|(_, t)| filled(t))
                .collect();
            if !pairs.is_empty() {
                blocks.push(Block::Fields(pairs));
            }
        }
        FrameStep::Process => blocks.extend(process_blocks(f)),
    }
    blocks
}

fn step_key(step: FrameStep) -> &'static str {
    match step {
        FrameStep::Problem => "problem",
        FrameStep::Objectives => "objectives",
        FrameStep::MlFit => "ml-fit",
        FrameStep::Task => "task",
        FrameStep::MlObjective => "ml-objective",
        FrameStep::Decoupled => "decoupled",
        FrameStep::Requirements => "requirements",
        FrameStep::Process => "process",
    }
}

fn problem_blocks(f: &Framing) -> Vec<Block> {
    let p = &f.problem;
    let mut blocks = vec![Block::Text(p.statement.trim().to_string())];
    blocks.extend(fields(&[
        ("Decision", &p.decision),
        ("Today, without ML", &p.current_baseline),
        ("Owner", &p.owner),
        ("Stakeholders", &p.stakeholders),
    ]));
    blocks
}

/// "4.2 %", "€1,200", "12 minutes".
fn with_unit(value: Option<f64>, unit: &str) -> String {
    let Some(v) = value else {
        return "–".to_string();
    };
    let unit = unit.trim();
    let n = fmt_num(v);
    let currency = ['$', '€', '£'];
    match unit {
        "" => n,
        "%" | "pp" => format!("{n}{unit}"),
        _ if unit.starts_with(currency) => {
            // "€ a month" -> "€180,000 a month"
            let mut chars = unit.chars();
            let symbol = chars.next().unwrap_or_default();
            let rest = chars.as_str().trim();
            if rest.is_empty() {
                format!("{symbol}{n}")
            } else {
                format!("{symbol}{n} {rest}")
            }
        }
        _ => format!("{n} {unit}"),
    }
}

fn objective_blocks(objectives: &[BusinessObjective]) -> Vec<Block> {
    let rows = objectives
        .iter()
        .filter(|o| filled(&o.metric))
        .map(|o| {
            let arrow = match o.direction {
                Direction::HigherIsBetter => "higher is better",
                Direction::LowerIsBetter => "lower is better",
            };
            vec![
                format!("{} ({arrow})", o.metric.trim()),
                with_unit(o.baseline, &o.unit),
                with_unit(o.target, &o.unit),
                o.horizon.trim().to_string(),
                o.failure_condition.trim().to_string(),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        header: ["Metric", "Today", "Target", "By", "Counts as failure if"]
            .map(String::from)
            .to_vec(),
        rows,
    })];
    let bars: Vec<TargetBar> = objectives
        .iter()
        .filter_map(|o| {
            let (b, t) = (o.baseline?, o.target?);
            (filled(&o.metric) && b != 0.0 && b.is_finite() && t.is_finite()).then(|| TargetBar {
                label: o.metric.trim().to_string(),
                relative_change: (t - b) / b.abs(),
                direction: o.direction,
            })
        })
        .collect();
    if !bars.is_empty() {
        blocks.push(Block::Chart(Chart::TargetChange(bars)));
    }
    blocks
}

fn ml_fit_blocks(f: &Framing) -> Vec<Block> {
    let fit = &f.ml_fit;
    let mut blocks = vec![Block::Text(fit.reading())];
    let rows: Vec<Vec<String>> = MlFitCriterion::ALL
        .iter()
        .filter_map(|c| {
            let answer = fit.answer(*c);
            let note = fit
                .answers
                .iter()
                .find(|a| a.criterion == *c)
                .map(|a| a.note.trim().to_string())
                .unwrap_or_default();
            (answer != Answer::Unsure || !note.is_empty()).then(|| {
                vec![
                    c.short_label().to_string(),
                    answer.label().to_string(),
                    note,
                ]
            })
        })
        .collect();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            header: ["Criterion", "Answer", "Why"].map(String::from).to_vec(),
            rows,
        }));
    }
    blocks.extend(fields(&[("Conclusion", &fit.conclusion)]));
    blocks
}

fn task_blocks(f: &Framing) -> Vec<Block> {
    let t = &f.task;
    let mut kind = t.task_type.label().to_string();
    if t.task_type.is_classification()
        && let Some(n) = t.classes
    {
        kind = format!("{kind} ({n} classes)");
    }
    let advice = advise(t);
    let suggested = match advice.recommended {
        Some(r) if t.guide.is_started() => r.label().to_string(),
        _ => String::new(),
    };
    let mut blocks = Vec::new();
    blocks.extend(fields(&[
        ("Predicts", &t.predicted),
        ("For each", &t.entity),
        ("Task type", &kind),
        ("Decision guide suggests", &suggested),
    ]));
    if !t.alternatives.is_empty() {
        blocks.push(Block::Heading("Framings compared".into()));
        blocks.push(Block::Table(Table {
            header: ["Framing", "Task type", "For", "Against"]
                .map(String::from)
                .to_vec(),
            rows: t
                .alternatives
                .iter()
                .map(|a| {
                    let mut description = a.description.trim().to_string();
                    if a.chosen {
                        description = format!("{description} (chosen)");
                    }
                    vec![
                        description,
                        a.task_type.label().to_string(),
                        a.pros.trim().to_string(),
                        a.cons.trim().to_string(),
                    ]
                })
                .collect(),
        }));
    }
    blocks
}

fn ml_objective_blocks(f: &Framing) -> Vec<Block> {
    let o = &f.ml_objective;
    let metrics: Vec<&str> = o
        .offline_metrics
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect();
    let metrics = metrics.join(", ");
    let mut blocks = Vec::new();
    blocks.extend(fields(&[("Loss", &o.loss), ("Offline metrics", &metrics)]));
    let links: Vec<String> = o
        .links
        .iter()
        .filter(|l| filled(&l.ml_metric) || filled(&l.business_metric))
        .map(|l| {
            let head = format!("{} → {}", l.ml_metric.trim(), l.business_metric.trim());
            if filled(&l.expected_effect) {
                format!("{head}: {}", l.expected_effect.trim())
            } else {
                head
            }
        })
        .collect();
    if !links.is_empty() {
        blocks.push(Block::Heading("Hypothesised link".into()));
        blocks.push(Block::List(links));
    }
    blocks
}

fn decoupled_blocks(f: &Framing) -> Vec<Block> {
    let d = &f.decoupled;
    let shares = weight_shares(&d.objectives);
    let weights = d
        .objectives
        .iter()
        .zip(&shares)
        .map(|(o, s)| format!("{} {:.0}%", o.name.trim(), s * 100.0))
        .collect::<Vec<_>>()
        .join(" · ");
    let mut blocks = Vec::new();
    blocks.extend(fields(&[("Weights", &weights), ("Why", &d.rationale)]));
    let ranking = d.ranking();
    if !ranking.is_empty() {
        let reference = d
            .objectives
            .first()
            .map(|o| o.name.trim().to_string())
            .unwrap_or_default();
        blocks.push(Block::Table(Table {
            header: vec![
                "Rank".into(),
                "Item".into(),
                "Score".into(),
                format!("vs. {reference} alone"),
            ],
            rows: ranking
                .iter()
                .filter_map(|r| {
                    let item = d.preview_items.get(r.item)?;
                    let moved = match r.places_up() {
                        0 => "same".to_string(),
                        n if n > 0 => format!("up {n}"),
                        n => format!("down {}", -n),
                    };
                    Some(vec![
                        r.rank.to_string(),
                        item.name.trim().to_string(),
                        format!("{:.2}", r.score),
                        moved,
                    ])
                })
                .collect(),
        }));
    }
    blocks.push(Block::Note(
        "Each objective has its own model; changing the weights needs no retraining.".into(),
    ));
    blocks
}

fn requirement_blocks(f: &Framing) -> Vec<Block> {
    let rows = RequirementKind::ALL
        .iter()
        .map(|k| {
            let r = f.requirements.get(*k);
            vec![
                k.label().to_string(),
                r.description.trim().to_string(),
                r.target.trim().to_string(),
            ]
        })
        .filter(|row| filled(&row[1]) || filled(&row[2]))
        .collect();
    vec![Block::Table(Table {
        header: ["Requirement", "What it means here", "Target"]
            .map(String::from)
            .to_vec(),
        rows,
    })]
}

fn process_blocks(f: &Framing) -> Vec<Block> {
    let p = &f.process;
    let stage = p.stage.map(|s| s.label()).unwrap_or_default();
    let maturity = p.maturity.map(|m| m.label()).unwrap_or_default();
    fields(&[
        ("Stage", stage),
        ("ML maturity", maturity),
        ("ROI expectation", &p.roi_expectation),
    ])
    .into_iter()
    .collect()
}

fn data_section(project: &Project) -> Section {
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
                        .filter(|c| c.role != crate::model::ColumnRole::Ignore)
                        .map(|c| format!("{} ({})", c.name, c.role.label().to_lowercase()))
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

fn evidence_section(project: &Project) -> Section {
    let e = &project.evidence;
    let mut blocks = Vec::new();
    for analysis in &e.experiments {
        blocks.extend(experiment_blocks(analysis));
    }
    for link in &e.links {
        blocks.extend(link_blocks(link));
    }
    for threshold in &e.thresholds {
        blocks.extend(threshold_blocks(threshold));
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
    let ci_level = ((1.0 - result.alpha) * 100.0).round();
    let is_business = |metric: &str| {
        analysis
            .spec
            .metrics
            .iter()
            .any(|m| m.column == metric && m.business)
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
        for c in &metric.comparisons {
            let lift = c.rel_lift.map(fmt_signed_pct).unwrap_or_else(|| "–".into());
            let ci = match (c.rel_ci_low, c.rel_ci_high) {
                (Some(lo), Some(hi)) => format!("{} to {}", fmt_signed_pct(lo), fmt_signed_pct(hi)),
                _ => "–".into(),
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
                p.map(fmt_p).unwrap_or_else(|| "–".into()),
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
    if !lift_rows.is_empty() {
        blocks.push(Block::Chart(Chart::Lift(LiftChart {
            title: format!("{name}: relative lift with {ci_level}% intervals"),
            ci_level_pct: ci_level,
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
    x.map(fmt_num).unwrap_or_else(|| "–".into())
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
    if filled(&r.result.verdict) {
        blocks.push(Block::Text(r.result.verdict.trim().to_string()));
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
                .intercept
                .zip(r.result.slope)
                .filter(|(a, b)| a.is_finite() && b.is_finite()),
        })));
    }
    blocks
}

/// "Correlation r = -0.83 over 14 points (95% interval …); slope … per unit of …; R² = 0.69."
fn link_sentence(link: &LinkAnalysis, r: &LinkResult) -> String {
    let level = ((1.0 - link.spec.alpha) * 100.0).round();
    let interval = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(" ({level}% interval {} to {})", fmt_num(lo), fmt_num(hi)),
        _ => String::new(),
    };
    format!(
        "Correlation r = {} over {} points{}; slope {} {} per unit of {}{}; R² = {}.",
        opt(r.pearson_r),
        r.n,
        interval(r.pearson_ci_low, r.pearson_ci_high),
        opt(r.slope),
        link.spec.y,
        link.spec.x,
        interval(r.slope_ci_low, r.slope_ci_high),
        opt(r.r_squared)
    )
}

fn threshold_blocks(analysis: &ThresholdAnalysis) -> Vec<Block> {
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
                fmt_num(t),
                fmt_num(v)
            );
            if let (Some(tf), Some(vf)) = (r.best_f1_threshold, r.value_at_best_f1) {
                s.push_str(&format!(
                    " The threshold with the best F1 ({}) would give {}.",
                    fmt_num(tf),
                    fmt_num(vf)
                ));
            }
            s
        }
        _ => "The value of the threshold could not be computed.".to_string(),
    }
}

fn scenarios_section(project: &Project) -> Section {
    let blocks = if project.scenarios.is_empty() {
        vec![Block::Note("No what-if scenarios yet.".into())]
    } else {
        scenario_blocks(project)
    };
    Section {
        key: "scenarios",
        title: "What-if scenarios".into(),
        wide: true,
        blocks,
    }
}

/// The scenarios' inputs. Projected value, ROI and payback join this table once the What-if
/// maths computes them.
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
            fmt_num(*slope),
            fmt_num(*low),
            fmt_num(*high)
        ),
    };
    let rows = project
        .scenarios
        .iter()
        .map(|s| {
            let change = if s.ml_change > 0.0 {
                format!("+{} {}", fmt_num(s.ml_change), s.ml_metric)
            } else {
                format!("{} {}", fmt_num(s.ml_change), s.ml_metric)
            };
            let mut costs = Vec::new();
            if s.engineering_months > 0.0 {
                costs.push(format!(
                    "{} engineer-months at {}",
                    fmt_num(s.engineering_months),
                    fmt_num(s.engineering_rate_per_month)
                ));
            }
            if s.cloud_cost_per_month > 0.0 {
                costs.push(format!("cloud {} a month", fmt_num(s.cloud_cost_per_month)));
            }
            if s.one_off_costs > 0.0 {
                costs.push(format!("one-off {}", fmt_num(s.one_off_costs)));
            }
            let costs = if costs.is_empty() {
                "–".to_string()
            } else {
                costs.join("; ")
            };
            let mut volume = format!("{} a month", fmt_num(s.volume_per_month));
            if s.value_per_unit != 0.0 {
                volume.push_str(&format!(" at {} each", fmt_num(s.value_per_unit)));
            }
            vec![
                name_or(&s.name, &s.id),
                change.trim().to_string(),
                s.business_metric.clone(),
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

fn open_points_section(f: &Framing) -> Option<Section> {
    let mut points: Vec<String> = FrameStep::ALL
        .iter()
        .filter(|s| f.status(**s) == StepStatus::Skipped)
        .map(|s| format!("{}: skipped for now.", s.title()))
        .collect();
    points.extend(
        f.all_warnings()
            .into_iter()
            .map(|(step, w)| format!("{}: {w}", step.title())),
    );
    (!points.is_empty()).then(|| Section {
        key: "open-points",
        title: "Open points".into(),
        wide: true,
        blocks: vec![Block::List(points)],
    })
}
