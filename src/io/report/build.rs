//! From a project to the summary document: one builder per section.

mod evidence;
mod headline;
mod names;
mod notes;
mod value;

use super::{Block, Chart, Report, Section, Table, TargetBar};
use crate::format;
use crate::model::{
    Answer, BusinessObjective, Direction, FrameStep, Framing, MlFitCriterion, Project,
    RequirementKind, StepStatus, advise, weight_shares,
};
pub use evidence::REMOVED_DATA_NOTE;
use evidence::{data_section, evidence_section, scenarios_section};
// The pieces the workshop deck (`io::deck`) builds its slides from.
pub(crate) use evidence::{
    named_distribution_blocks, named_experiment_blocks, named_link_blocks, named_meta_blocks,
    named_timeline_blocks, threshold_blocks,
};
pub use headline::{
    EffectSource, Headline, HeadlineDecision, HeadlineEffect, HeadlineValue, headline,
};
pub(crate) use value::{money_band, month_text, optional_band, scenario_detail_blocks};

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
    // The answer first: decisions, what the ML change did, what it is worth.
    let mut sections = vec![headline(project).section()];
    sections.extend(
        canvas_order
            .iter()
            .map(|step| framing_step_section(project, *step)),
    );
    sections.push(data_section(project));
    sections.push(evidence_section(project));
    sections.push(scenarios_section(project));
    if let Some(open) = open_points_section(f) {
        sections.push(open);
    }
    sections.extend(notes::notes_section(project));
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

/// One line on what the project holds (also the deck's title slide).
pub(crate) fn overview(project: &Project) -> String {
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
        return format::UNDEFINED.to_string();
    };
    let unit = unit.trim();
    let n = format::number(v);
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

pub(crate) fn open_points_section(f: &Framing) -> Option<Section> {
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
