//! The workshop deck: one point per slide, built from the project (the deck is a view of the
//! project, not a second document). The window draws it (`ui::deck`) and `html` writes it as
//! one self-contained page, from the same `Deck`, so the room and the file never disagree.
//!
//! The slides reuse the summary's builders (`io::report`): the same sections, sentences,
//! decision badges, tables and charts, split into what a slide says in large type (the
//! headline), what it shows (body, chart, big figures) and the numbers behind it (details).

pub mod html;

use crate::format;
use crate::io::report::headline;
use crate::io::report::sentences::link_headline;
use crate::io::report::{
    Block, Chart, framing_step_brief, framing_step_section, money_band, month_text,
    named_distribution_blocks, named_experiment_blocks, named_link_blocks, named_meta_blocks,
    named_timeline_blocks, open_points_section, optional_band, overview, scenario_detail_blocks,
    threshold_blocks,
};
use crate::model::{
    FrameStep, ProcessStage, Project, Scenario, ScenarioOutputs, StepStatus, ValueEvidence,
    scenario_display_name, scenario_outputs,
};

/// The slides of a project, in the order they are shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deck {
    pub title: String,
    pub slides: Vec<Slide>,
}

/// What kind of slide it is (for layout and styling).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SlideKind {
    /// The project's name and description.
    #[default]
    Title,
    /// The answer in one slide: the decisions, what the ML change did to the business, what
    /// it is worth (the Summary's headline).
    Answer,
    /// A framing answer: the problem, the objectives, whether ML fits, the task.
    Framing,
    /// One analysis: its headline, decision badges and chart.
    Evidence,
    /// One what-if scenario: what it is worth.
    Scenario,
    /// The scenario whose ML change the presenter drags.
    Live,
    /// Where the project stands and what comes next.
    NextStep,
}

/// One slide. All text is plain text; every renderer escapes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Slide {
    /// A stable key ("title", "problem", "evidence-exp", "scenario-scenario-1", "live", …).
    pub key: String,
    pub kind: SlideKind,
    /// The small label above the title ("Evidence", "What-if scenario").
    pub eyebrow: String,
    pub title: String,
    /// The point of the slide, in large type: one or two sentences.
    pub headline: Vec<String>,
    /// Big numbers (value, ROI, payback).
    pub figures: Vec<Figure>,
    /// A line above the big numbers ("What “Gradient boosting” is worth").
    pub figures_caption: String,
    /// What the slide shows under the headline: decision badges, a short list, a table.
    pub body: Vec<Block>,
    /// The chart, beside the headline.
    pub chart: Option<Chart>,
    /// The numbers behind the headline, shown on request ("details").
    pub details: Vec<Block>,
    /// The live slide's scenario and slider.
    pub live: Option<LiveSlide>,
}

/// A big number with its label and a small note ("€1.2M", "Net value", "€0.4M to €2.1M").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub note: String,
}

/// The slider of the live slide and what the scenario is worth along it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveSlide {
    pub scenario_id: String,
    pub scenario: String,
    /// The ML metric the slider moves.
    pub ml_metric: String,
    /// The scenario's own ML change (where the slider starts).
    pub start: f64,
    pub min: f64,
    pub max: f64,
    /// What the scenario is worth at evenly spaced ML changes from `min` to `max` (and at
    /// `start`), for the exported page, which cannot compute.
    pub steps: Vec<LiveStep>,
}

/// What a scenario is worth at one ML change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveStep {
    pub ml_change: f64,
    /// "+0.02 AUC".
    pub change_label: String,
    pub figures: Vec<Figure>,
    pub summary: String,
}

/// How many positions the exported page's slider has (the window's slider is continuous).
const LIVE_STEPS: usize = 40;

/// The deck of a project: title; problem and decision; business objectives; is ML the right
/// tool; the ML task and objective with its links; one slide per analysis; one per what-if
/// scenario, then the live slide; the next step. Unanswered framing steps have no slide.
pub fn build_deck(project: &Project) -> Deck {
    deck_with(project, true)
}

/// The deck as the window shows it: the same slides, without the live slide's precomputed
/// values (the window computes them as the slider moves).
pub fn build_screen_deck(project: &Project) -> Deck {
    deck_with(project, false)
}

fn deck_with(project: &Project, live_steps: bool) -> Deck {
    let mut slides = vec![title_slide(project)];
    slides.extend(answer_slide(project));
    slides.extend(problem_slide(project));
    slides.extend(objectives_slide(project));
    slides.extend(ml_fit_slide(project));
    slides.extend(task_slide(project));
    slides.extend(evidence_slides(project));
    slides.extend(scenario_slides(project));
    slides.extend(live_slide(project, live_steps));
    slides.push(next_step_slide(project));
    for slide in &mut slides {
        merge_fields(&mut slide.body);
        merge_fields(&mut slide.details);
    }
    Deck {
        title: project.display_name().to_string(),
        slides,
    }
}

/// Join label/value lists that follow each other, so their labels line up in one column.
fn merge_fields(blocks: &mut Vec<Block>) {
    let mut merged: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in std::mem::take(blocks) {
        match (merged.last_mut(), block) {
            (Some(Block::Fields(before)), Block::Fields(more)) => before.extend(more),
            (_, block) => merged.push(block),
        }
    }
    *blocks = merged;
}

fn filled(s: &str) -> bool {
    !s.trim().is_empty()
}

fn name_or(name: &str, fallback: &str) -> String {
    if filled(name) {
        name.trim().to_string()
    } else {
        fallback.to_string()
    }
}

fn complete(project: &Project, step: FrameStep) -> bool {
    project.framing.status(step) == StepStatus::Complete
}

fn title_slide(project: &Project) -> Slide {
    let mut headline = Vec::new();
    if filled(&project.description) {
        headline.push(project.description.trim().to_string());
    }
    Slide {
        key: "title".into(),
        kind: SlideKind::Title,
        eyebrow: "Throughline workshop".into(),
        title: project.display_name().to_string(),
        headline,
        details: vec![Block::Text(overview(project))],
        ..Slide::default()
    }
}

/// The Summary's headline block as one slide: the decision badges, what the ML change did to
/// the business metric, and what the selected (else the first) scenario is worth. None while
/// there is nothing to say yet.
fn answer_slide(project: &Project) -> Option<Slide> {
    let h = headline(project);
    if h.is_empty() {
        return None;
    }
    let mut body = Vec::new();
    for d in &h.decisions {
        let mut badge = d.badge.clone();
        badge.title = format!("{}: {}", d.analysis, badge.title);
        badge.reasons.truncate(1);
        body.push(Block::Decision(badge));
    }
    let mut figures = Vec::new();
    if let Some(v) = &h.value {
        let split = |text: &str| match text.split_once(" (") {
            Some((head, band)) => (head.to_string(), band.trim_end_matches(')').to_string()),
            None => (text.to_string(), String::new()),
        };
        let mut pairs = vec![
            ("Net value", v.net_value.as_str()),
            ("ROI", v.roi.as_str()),
            ("Payback", v.payback.as_str()),
        ];
        if let Some(npv) = &v.npv {
            pairs.push(("NPV", npv.as_str()));
        }
        figures = pairs
            .into_iter()
            .map(|(label, text)| {
                let (value, note) = split(text);
                Figure {
                    label: label.to_string(),
                    value,
                    note,
                }
            })
            .collect();
    }
    let figures_caption = h
        .value
        .as_ref()
        .map(|v| format!("What \u{201c}{}\u{201d} is worth", v.scenario))
        .unwrap_or_default();
    let out_of_date = h.decisions.iter().any(|d| d.out_of_date)
        || h.effects.iter().any(|e| e.out_of_date)
        || h.value.as_ref().is_some_and(|v| v.out_of_date);
    if out_of_date {
        body.push(Block::Warning(
            "Some of these results came from a data file that was removed from the project; \
             the details say which."
                .into(),
        ));
    }
    Some(Slide {
        key: "answer".into(),
        kind: SlideKind::Answer,
        eyebrow: "The answer".into(),
        title: "The decision, the effect, and what it is worth".into(),
        headline: h.effects.iter().map(|e| e.sentence.clone()).collect(),
        figures,
        figures_caption,
        body,
        details: h.blocks(),
        ..Slide::default()
    })
}

/// Split the fields of a block list into those named in `main` and the others.
fn split_fields(blocks: Vec<Block>, main: &[&str]) -> (Vec<Block>, Vec<Block>) {
    let mut body = Vec::new();
    let mut rest = Vec::new();
    for block in blocks {
        match block {
            Block::Fields(pairs) => {
                let (a, b): (Vec<_>, Vec<_>) = pairs
                    .into_iter()
                    .partition(|(k, _)| main.contains(&k.as_str()));
                if !a.is_empty() {
                    body.push(Block::Fields(a));
                }
                if !b.is_empty() {
                    rest.push(Block::Fields(b));
                }
            }
            other => rest.push(other),
        }
    }
    (body, rest)
}

fn problem_slide(project: &Project) -> Option<Slide> {
    if !complete(project, FrameStep::Problem) {
        return None;
    }
    let p = &project.framing.problem;
    let section = framing_step_section(project, FrameStep::Problem);
    // The statement is the headline; the decision stays on the slide, the rest is detail.
    let blocks: Vec<Block> = section
        .blocks
        .into_iter()
        .filter(|b| !matches!(b, Block::Text(_)))
        .collect();
    let (body, details) = split_fields(blocks, &["Decision"]);
    Some(Slide {
        key: "problem".into(),
        kind: SlideKind::Framing,
        eyebrow: "The problem".into(),
        title: section.title,
        headline: vec![p.statement.trim().to_string()],
        body,
        details,
        ..Slide::default()
    })
}

fn objectives_slide(project: &Project) -> Option<Slide> {
    if !complete(project, FrameStep::Objectives) {
        return None;
    }
    let section = framing_step_section(project, FrameStep::Objectives);
    let mut chart = None;
    let mut details = Vec::new();
    for block in section.blocks {
        match block {
            Block::Chart(c) => chart = Some(c),
            other => details.push(other),
        }
    }
    // Every objective as a sentence ("Monthly churn: from 4.2% to 3.6%, 6 months after
    // launch."), from the summary's table; the failure conditions stay in the details.
    let names = project
        .framing
        .objectives
        .iter()
        .filter(|o| filled(&o.metric))
        .map(|o| o.metric.trim().to_string());
    let mut headline = Vec::new();
    if let Some(Block::Table(table)) = details.iter().find(|b| matches!(b, Block::Table(_))) {
        for (name, row) in names.zip(&table.rows) {
            if let [_, today, target, by, ..] = row.as_slice() {
                let by = if filled(by) {
                    format!(", {}", by.trim())
                } else {
                    String::new()
                };
                headline.push(format!("{name}: from {today} to {target}{by}."));
            }
        }
    }
    Some(Slide {
        key: "objectives".into(),
        kind: SlideKind::Framing,
        eyebrow: "What the business wants".into(),
        title: section.title,
        headline,
        chart,
        details,
        ..Slide::default()
    })
}

fn ml_fit_slide(project: &Project) -> Option<Slide> {
    if !complete(project, FrameStep::MlFit) {
        return None;
    }
    let section = framing_step_section(project, FrameStep::MlFit);
    let fit = &project.framing.ml_fit;
    let mut details = Vec::new();
    let mut body = Vec::new();
    for block in section.blocks {
        match block {
            // The reading is the headline.
            Block::Text(_) => {}
            Block::Fields(pairs) => body.push(Block::Fields(pairs)),
            other => details.push(other),
        }
    }
    Some(Slide {
        key: "ml-fit".into(),
        kind: SlideKind::Framing,
        eyebrow: "Before any model".into(),
        title: section.title,
        headline: vec![fit.reading()],
        body,
        details,
        ..Slide::default()
    })
}

/// The ML task and its objective, with the business-to-ML links: the links lead (they say why
/// a better model should move the business), the task and its metrics follow.
fn task_slide(project: &Project) -> Option<Slide> {
    let task_done = complete(project, FrameStep::Task);
    let objective_done = complete(project, FrameStep::MlObjective);
    if !task_done && !objective_done {
        return None;
    }
    let mut headline = Vec::new();
    let mut body = Vec::new();
    let mut details = Vec::new();
    if task_done {
        // "Predicts", "For each", "Task type", "Chosen framing" from the wizard's brief.
        for block in framing_step_brief(project, FrameStep::Task) {
            match block {
                Block::Fields(pairs) => body.push(Block::Fields(
                    pairs
                        .into_iter()
                        .filter(|(k, _)| k != "Alternatives")
                        .collect(),
                )),
                other => body.push(other),
            }
        }
        let section = framing_step_section(project, FrameStep::Task);
        details.extend(
            section
                .blocks
                .into_iter()
                .filter(|b| !matches!(b, Block::Fields(_))),
        );
    }
    if objective_done {
        let section = framing_step_section(project, FrameStep::MlObjective);
        for block in section.blocks {
            match block {
                Block::List(links) => headline.extend(links),
                Block::Heading(_) => {}
                other => body.push(other),
            }
        }
    }
    Some(Slide {
        key: "task".into(),
        kind: SlideKind::Framing,
        eyebrow: "The ML task and objective".into(),
        title: "What the model predicts, and why it should move the business".into(),
        headline,
        body,
        details,
        ..Slide::default()
    })
}

/// The first `n` sentences of `text`, and the rest.
fn first_sentences(text: &str, n: usize) -> (String, String) {
    let mut count = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for w in bytes.windows(3) {
        let [(_, a), (_, b), (k, c)] = [w[0], w[1], w[2]];
        if matches!(a, '.' | '?' | '!') && b == ' ' && c.is_uppercase() {
            count += 1;
            if count == n {
                return (text[..k].trim().to_string(), text[k..].trim().to_string());
            }
        }
    }
    (text.trim().to_string(), String::new())
}

/// How an analysis's summary blocks go on a slide.
struct Parts {
    title: Option<String>,
    texts: Vec<String>,
    body: Vec<Block>,
    chart: Option<Chart>,
    details: Vec<Block>,
}

fn parts(blocks: Vec<Block>) -> Parts {
    let mut p = Parts {
        title: None,
        texts: Vec::new(),
        body: Vec::new(),
        chart: None,
        details: Vec::new(),
    };
    for block in blocks {
        match block {
            Block::Heading(h) if p.title.is_none() => p.title = Some(h),
            Block::Text(t) => p.texts.push(t),
            Block::Chart(c) if p.chart.is_none() => p.chart = Some(c),
            b @ (Block::Decision(_) | Block::Warning(_) | Block::Note(_)) => p.body.push(b),
            other => p.details.push(other),
        }
    }
    p
}

fn evidence_slide(key: String, title: String, headline: Vec<String>, p: Parts) -> Slide {
    Slide {
        key,
        kind: SlideKind::Evidence,
        eyebrow: "Evidence".into(),
        title,
        headline,
        body: p.body,
        chart: p.chart,
        details: p.details,
        ..Slide::default()
    }
}

fn evidence_slides(project: &Project) -> Vec<Slide> {
    let e = &project.evidence;
    let mut slides = Vec::new();
    for analysis in &e.experiments {
        let p = parts(named_experiment_blocks(project, analysis));
        let title = p
            .title
            .clone()
            .unwrap_or_else(|| name_or(&analysis.name, "Experiment"));
        let mut headline = p.texts.clone();
        headline.extend(experiment_headline(&p.details));
        slides.push(evidence_slide(
            format!("evidence-{}", analysis.id),
            title,
            headline,
            p,
        ));
    }
    for link in &e.links {
        let mut p = parts(named_link_blocks(project, link));
        let title = p
            .title
            .clone()
            .unwrap_or_else(|| name_or(&link.name, "Link"));
        // "Each +1 pp of AUC came with …" (the Evidence page's and the Summary's headline)
        // leads, with the verdict's first sentence (how strong the link is); the rest of the
        // verdict and the correlation figures are the detail.
        let lead = link
            .result
            .as_ref()
            .and_then(|(_, data)| link_headline(project, link, &data.result));
        if p.texts.len() >= 2 {
            let figures = p.texts.remove(0);
            p.details.insert(0, Block::Text(figures));
        }
        let mut headline: Vec<String> = lead.into_iter().collect();
        let sentences = if headline.is_empty() { 2 } else { 1 };
        let mut rest_of_verdict = Vec::new();
        for text in std::mem::take(&mut p.texts) {
            let (first, rest) = first_sentences(&text, sentences);
            headline.push(first);
            if !rest.is_empty() {
                rest_of_verdict.push(Block::Text(rest));
            }
        }
        p.details.splice(0..0, rest_of_verdict);
        slides.push(evidence_slide(
            format!("evidence-{}", link.id),
            title,
            headline,
            p,
        ));
    }
    for threshold in &e.thresholds {
        let mut p = parts(threshold_blocks(threshold));
        let title = p
            .title
            .clone()
            .unwrap_or_else(|| name_or(&threshold.name, "Decision threshold"));
        let headline = std::mem::take(&mut p.texts);
        slides.push(evidence_slide(
            format!("evidence-{}", threshold.id),
            title,
            headline,
            p,
        ));
    }
    // Over-time and distribution views: their verdict sentences lead (no chart of their own in
    // the report's blocks); notes and warnings follow.
    let sentence_views = e
        .timelines
        .iter()
        .enumerate()
        .map(|(k, v)| (v.id.clone(), named_timeline_blocks(project, v, k)))
        .chain(
            e.distributions
                .iter()
                .enumerate()
                .map(|(k, v)| (v.id.clone(), named_distribution_blocks(project, v, k))),
        );
    for (id, blocks) in sentence_views {
        let mut p = parts(blocks);
        let title = p.title.clone().unwrap_or_else(|| "Evidence".to_string());
        let headline = std::mem::take(&mut p.texts);
        slides.push(evidence_slide(format!("evidence-{id}"), title, headline, p));
    }
    for meta in &e.metas {
        let mut p = parts(named_meta_blocks(project, meta));
        let title = p
            .title
            .clone()
            .unwrap_or_else(|| name_or(&meta.name, "Past experiments"));
        let headline = std::mem::take(&mut p.texts);
        slides.push(evidence_slide(
            format!("evidence-{}", meta.id),
            title,
            headline,
            p,
        ));
    }
    slides
}

/// The experiment's lifts in words, business metrics first, from its table: "bigger_model vs
/// control: revenue_usd (business) +5.0% (95% interval +1.2% to +8.9%)".
fn experiment_headline(details: &[Block]) -> Vec<String> {
    let Some(Block::Table(table)) = details.iter().find(|b| matches!(b, Block::Table(_))) else {
        return Vec::new();
    };
    let interval = table.header.get(3).cloned().unwrap_or_default();
    table
        .rows
        .iter()
        .take(2)
        .filter_map(|row| match row.as_slice() {
            [metric, comparison, lift, ci, ..] => {
                Some(format!("{comparison}: {metric} {lift} ({interval} {ci})."))
            }
            _ => None,
        })
        .collect()
}

/// The big numbers of a scenario: net value, ROI, payback and NPV, likely case first.
pub fn scenario_figures(o: &ScenarioOutputs) -> Vec<Figure> {
    let money = |x: f64| format::money(x, &o.currency);
    let band_note = |text: String| match text.split_once(" (") {
        Some((_, band)) => band.trim_end_matches(')').to_string(),
        None => String::new(),
    };
    let net = money_band(o, o.net_value);
    let roi = optional_band(o.roi, &|x| format::percent(x));
    let npv = optional_band(o.npv, &money);
    let head = |text: &str| text.split(" (").next().unwrap_or_default().to_string();
    vec![
        Figure {
            label: "Net value".into(),
            value: head(&net),
            note: band_note(net.clone()),
        },
        Figure {
            label: "ROI".into(),
            value: head(&roi),
            note: band_note(roi.clone()),
        },
        Figure {
            label: "Payback".into(),
            value: month_text(o.payback_month.likely, o.horizon_months),
            note: format!(
                "discounted: {}",
                month_text(o.discounted_payback_month.likely, o.horizon_months)
            ),
        },
        Figure {
            label: format!("NPV at {}", format::percent(o.discount_rate)),
            value: head(&npv),
            note: band_note(npv.clone()),
        },
    ]
}

fn scenario_slides(project: &Project) -> Vec<Slide> {
    project
        .scenarios
        .iter()
        .map(|s| {
            let name = scenario_display_name(s).to_string();
            let key = format!("scenario-{}", s.id);
            match scenario_outputs(project, s) {
                Ok(o) => scenario_slide(key, &o),
                Err(e) => Slide {
                    key,
                    kind: SlideKind::Scenario,
                    eyebrow: "What-if scenario".into(),
                    title: name,
                    headline: vec![format!("This scenario cannot be projected yet: {e}.")],
                    ..Slide::default()
                },
            }
        })
        .collect()
}

fn scenario_slide(key: String, o: &ScenarioOutputs) -> Slide {
    let mut body = Vec::new();
    let mut details = Vec::new();
    for block in scenario_detail_blocks(o) {
        match block {
            // The name is the title, the summary the headline.
            Block::Heading(_) | Block::Text(_) => {}
            // ROI by maturity stays on the slide.
            b @ Block::Table(_) => body.push(b),
            other => details.push(other),
        }
    }
    let mut facts = vec![
        (
            "ML change".to_string(),
            change_label(o.ml_change, &o.ml_metric),
        ),
        ("Business metric".to_string(), o.business_metric.clone()),
        ("Link".to_string(), o.link.clone()),
        ("Evidence".to_string(), o.evidence.short().to_string()),
        ("Maturity".to_string(), o.maturity.clone()),
        (
            "Deployment + ramp-up".to_string(),
            format!(
                "{} + {}",
                format::months(o.deployment_months),
                format::months(o.ramp_up_months)
            ),
        ),
        (
            "Total cost".to_string(),
            format::money(o.total_cost, &o.currency),
        ),
        (
            "Horizon".to_string(),
            format::months(o.horizon_months as f64),
        ),
    ];
    facts.retain(|(_, v)| filled(v));
    details.insert(0, Block::Fields(facts));
    for w in &o.warnings {
        details.push(Block::Warning(w.clone()));
    }
    Slide {
        key,
        kind: SlideKind::Scenario,
        eyebrow: "What-if scenario".into(),
        title: o.scenario.clone(),
        headline: vec![o.summary.clone()],
        figures: scenario_figures(o),
        body,
        details,
        ..Slide::default()
    }
}

/// "+0.02 AUC", "−1.5 log loss".
pub fn change_label(change: f64, ml_metric: &str) -> String {
    let number = if change > 0.0 {
        format!("+{}", format::number(change))
    } else {
        format::number(change)
    };
    format!("{number} {}", ml_metric.trim()).trim().to_string()
}

/// What `scenario_id` is worth with its ML change set to `ml_change` (the what-if computation
/// of the What-if page; the project is not changed). `None` when the scenario is gone or
/// cannot be projected.
pub fn live_step(project: &Project, scenario_id: &str, ml_change: f64) -> Option<LiveStep> {
    let scenario = project.scenarios.iter().find(|s| s.id == scenario_id)?;
    let moved = Scenario {
        ml_change,
        ..scenario.clone()
    };
    let o = scenario_outputs(project, &moved).ok()?;
    Some(LiveStep {
        ml_change,
        change_label: change_label(ml_change, &o.ml_metric),
        figures: scenario_figures(&o),
        summary: o.summary.clone(),
    })
}

/// The live slide: the first scenario whose value follows its ML change (one measured
/// directly in an experiment does not) and that can be projected.
fn live_slide(project: &Project, with_steps: bool) -> Option<Slide> {
    let (scenario, outputs) = project.scenarios.iter().find_map(|s| {
        let o = scenario_outputs(project, s).ok()?;
        (o.evidence != ValueEvidence::ControlledExperiment).then_some((s, o))
    })?;
    let (min, max) = live_range(
        scenario.ml_change,
        outputs.ml_change_to_break_even.ml_change,
    );
    let own = if scenario.ml_change.is_finite() {
        scenario.ml_change.clamp(min, max)
    } else {
        0.0
    };
    let steps = if with_steps {
        live_steps(project, &scenario.id, own, min, max)
    } else {
        Vec::new()
    };
    let start = live_step(project, &scenario.id, own)?;
    let name = scenario_display_name(scenario).to_string();
    Some(Slide {
        key: "live".into(),
        kind: SlideKind::Live,
        eyebrow: "Try it".into(),
        title: format!(
            "What if the model moved {} more, or less?",
            outputs.ml_metric.trim()
        ),
        headline: vec![start.summary.clone()],
        figures: start.figures.clone(),
        details: vec![Block::Fields(vec![
            ("Scenario".into(), name.clone()),
            (
                "Its own ML change".into(),
                change_label(scenario.ml_change, &outputs.ml_metric),
            ),
            ("Link".into(), outputs.link.clone()),
            ("Evidence".into(), outputs.evidence.short().to_string()),
        ])],
        live: Some(LiveSlide {
            scenario_id: scenario.id.clone(),
            scenario: name,
            ml_metric: outputs.ml_metric.clone(),
            start: own,
            min,
            max,
            steps,
        }),
        ..Slide::default()
    })
}

/// What the scenario is worth at evenly spaced ML changes from `min` to `max`, and at its own.
fn live_steps(project: &Project, id: &str, own: f64, min: f64, max: f64) -> Vec<LiveStep> {
    let mut changes: Vec<f64> = (0..=LIVE_STEPS)
        .map(|i| min + (max - min) * i as f64 / LIVE_STEPS as f64)
        .collect();
    changes.push(own);
    changes.sort_by(f64::total_cmp);
    changes.dedup();
    changes
        .iter()
        .filter_map(|c| live_step(project, id, *c))
        .collect()
}

/// The slider's range: from no change to twice the scenario's change (on its side of zero),
/// wide enough to show the change that breaks even.
fn live_range(change: f64, break_even: Option<f64>) -> (f64, f64) {
    let finite = |x: f64| if x.is_finite() { x } else { 0.0 };
    let change = finite(change);
    let mut far = 2.0 * change;
    if let Some(b) = break_even.map(finite)
        && b != 0.0
        && (change == 0.0 || b.signum() == change.signum())
        && b.abs() * 1.25 > far.abs()
    {
        far = b * 1.25;
    }
    if far == 0.0 {
        far = 1.0;
    }
    (far.min(0.0), far.max(0.0))
}

fn next_step_slide(project: &Project) -> Slide {
    let process = &project.framing.process;
    let mut headline = Vec::new();
    let mut body = Vec::new();
    match process.stage {
        Some(stage) => {
            let at = ProcessStage::ALL
                .iter()
                .position(|s| *s == stage)
                .unwrap_or(0);
            // The loop goes on: after business analysis comes scoping again.
            let next = ProcessStage::ALL
                .get((at + 1) % ProcessStage::ALL.len())
                .copied()
                .unwrap_or(ProcessStage::Scoping);
            headline.push(format!("Next: {}. {}", next.label(), next.explanation()));
            body.push(Block::Fields(vec![(
                "Where we are".into(),
                format!("{}: {}", stage.label(), stage.explanation()),
            )]));
        }
        None => headline.push(
            "Next: agree where the project stands (the Process step of the framing), then \
             plan the stage after it."
                .into(),
        ),
    }
    if filled(&process.roi_expectation) {
        body.push(Block::Fields(vec![(
            "ROI expectation".into(),
            process.roi_expectation.trim().to_string(),
        )]));
    }
    let mut details = Vec::new();
    if let Some(m) = process.maturity {
        details.push(Block::Fields(vec![
            ("ML maturity".into(), m.label().to_string()),
            ("What to expect".into(), m.roi_suggestion().to_string()),
        ]));
    }
    if let Some(open) = open_points_section(&project.framing) {
        details.push(Block::Heading(open.title));
        details.extend(open.blocks);
    }
    Slide {
        key: "next-step".into(),
        kind: SlideKind::NextStep,
        eyebrow: "Next step".into(),
        title: "What happens next".into(),
        headline,
        body,
        details,
        ..Slide::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_range_starts_at_no_change_and_reaches_past_the_scenario() {
        assert_eq!(live_range(0.02, None), (0.0, 0.04));
        assert_eq!(live_range(-0.5, None), (-1.0, 0.0));
        assert_eq!(live_range(0.0, None), (0.0, 1.0));
        let (lo, hi) = live_range(0.01, Some(0.04));
        assert_eq!(lo, 0.0);
        assert!((hi - 0.05).abs() < 1e-12);
    }

    #[test]
    fn sentences_split_at_a_full_stop_before_a_capital() {
        let (a, b) = first_sentences("r = 0.98 (CI 0.9 to 0.99). Each +1 came. A link. Rest.", 2);
        assert_eq!(a, "r = 0.98 (CI 0.9 to 0.99). Each +1 came.");
        assert_eq!(b, "A link. Rest.");
        assert_eq!(first_sentences("One.", 2), ("One.".into(), String::new()));
    }

    #[test]
    fn odd_scenario_values_give_slides_not_panics() {
        let mut project = Project::named("Odd");
        for change in [f64::NAN, f64::INFINITY, -3.0, 0.0, 1e300] {
            let mut s = crate::model::starter_scenario(&project);
            s.ml_change = change;
            s.volume_per_month = f64::NAN;
            project.scenarios.push(s);
        }
        let deck = build_deck(&project);
        assert!(deck.slides.len() >= 2);
        if let Some(live) = deck.slides.iter().find_map(|s| s.live.as_ref()) {
            assert!(live.min <= live.start && live.start <= live.max);
        }
        let html = html::to_html(&deck);
        assert!(html.contains("What happens next"));
    }

    #[test]
    fn an_empty_project_has_a_title_and_a_next_step() {
        let deck = build_deck(&Project::named("Empty"));
        let keys: Vec<&str> = deck.slides.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["title", "next-step"]);
    }
}
