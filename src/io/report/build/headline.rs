//! The answer first: the block that opens the Summary page, the report and the presentation
//! deck — the decision badges, what the ML change did to the business metric, and what it is
//! worth.

use super::super::sentences::{link_headline, timeline_verdict_metric, timeline_verdicts};
use super::super::{Block, DecisionBadge, Section};
use super::evidence::{REMOVED_DATA_NOTE, data_removed};
use super::value::{money_band, month_text, optional_band};
use crate::format;
use crate::model::{
    ColumnRole, LinkSource, Project, Scenario, scenario_display_name, scenario_outputs,
};

/// The answer a stakeholder reads first, built once from the project (no egui) and drawn by the
/// Summary page, written at the top of the Markdown/HTML report, and reused by the deck.
///
/// Everything is plain text, already formatted. Items whose data file was removed from the
/// project carry `out_of_date` (the same test as the Evidence page's "Out of date"), so every
/// place that shows them can mark them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headline {
    /// The ship / don't-ship decision of every treatment of every experiment analysis with
    /// results, in the Evidence page's order.
    pub decisions: Vec<HeadlineDecision>,
    /// What the ML change did to the business metric: each ML vs business link's headline
    /// ("Each +1 pp of accuracy came with …"), then the before-and-after verdict of each
    /// over-time view whose metric is a business metric.
    pub effects: Vec<HeadlineEffect>,
    /// What it is worth: the scenario selected on the What-if page, else the first one that
    /// can be projected. `None` without scenarios.
    pub value: Option<HeadlineValue>,
}

/// One decision badge with the analysis it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineDecision {
    /// The experiment analysis's name.
    pub analysis: String,
    /// The badge; its `title` is "treatment vs control" and its reasons are all the reasons.
    pub badge: DecisionBadge,
    pub out_of_date: bool,
}

/// Where an effect sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectSource {
    /// An ML vs business link (a slope across experiments, models or days).
    Link,
    /// An over-time view (before and after a deployment).
    OverTime,
}

/// One sentence on what the ML change did to the business metric.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineEffect {
    pub source: EffectSource,
    /// The analysis's name.
    pub analysis: String,
    pub sentence: String,
    pub out_of_date: bool,
}

/// What one scenario is worth, likely figures with their band.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineValue {
    /// The scenario's name.
    pub scenario: String,
    /// "$1.2M ($0.4M to $2.0M)".
    pub net_value: String,
    /// "240% (80% to 400%)", or "–".
    pub roi: String,
    /// "month 7", or "not within 24 months".
    pub payback: String,
    /// Net present value, only when the scenario has a discount rate.
    pub npv: Option<String>,
    /// The scenario's one-sentence answer (net value, ROI, payback, band, NPV, what the value
    /// rests on).
    pub sentence: String,
    /// Whether the evidence the value rests on came from a data file that was removed.
    pub out_of_date: bool,
}

impl Headline {
    /// Whether there is nothing to say yet (no decision, no effect, no value).
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty() && self.effects.is_empty() && self.value.is_none()
    }

    /// The headline as report blocks (the Summary page and the report draw these).
    pub fn blocks(&self) -> Vec<Block> {
        if self.is_empty() {
            return vec![Block::Note(
                "No answer yet: the decision, what the ML change did to the business and what \
                 it is worth appear here once the Evidence and What-if pages have results."
                    .into(),
            )];
        }
        let mut blocks = Vec::new();
        if !self.decisions.is_empty() {
            blocks.push(Block::Heading("The decision".into()));
        }
        for d in &self.decisions {
            let mut badge = d.badge.clone();
            badge.title = format!("{}: {}", d.analysis, badge.title);
            badge.reasons.truncate(1);
            blocks.push(Block::Decision(badge));
            if d.out_of_date {
                blocks.push(out_of_date(&d.analysis));
            }
        }
        if !self.effects.is_empty() {
            blocks.push(Block::Heading(
                "What the ML change did to the business".into(),
            ));
        }
        for e in &self.effects {
            blocks.push(Block::Text(e.sentence.clone()));
            if e.out_of_date {
                blocks.push(out_of_date(&e.analysis));
            }
        }
        if let Some(v) = &self.value {
            blocks.push(Block::Heading("What it is worth".into()));
            let mut fields = vec![
                ("Scenario".to_string(), v.scenario.clone()),
                ("Net value".to_string(), v.net_value.clone()),
                ("ROI".to_string(), v.roi.clone()),
                ("Payback".to_string(), v.payback.clone()),
            ];
            if let Some(npv) = &v.npv {
                fields.push(("NPV".to_string(), npv.clone()));
            }
            blocks.push(Block::Fields(fields));
            blocks.push(Block::Text(v.sentence.clone()));
            if v.out_of_date {
                blocks.push(Block::Warning(format!(
                    "Out of date: the evidence of \u{201c}{}\u{201d} came from a data file that \
                     was removed from the project, so this value may no longer hold.",
                    v.scenario
                )));
            }
        }
        blocks
    }

    /// The headline as the first section of the Summary and the report (key "headline").
    pub fn section(&self) -> Section {
        Section {
            key: "headline",
            title: "The answer".into(),
            wide: true,
            blocks: self.blocks(),
        }
    }
}

fn out_of_date(analysis: &str) -> Block {
    Block::Warning(format!(
        "Out of date: \u{201c}{analysis}\u{201d}: {REMOVED_DATA_NOTE}"
    ))
}

fn name_or(name: &str, fallback: String) -> String {
    if name.trim().is_empty() {
        fallback
    } else {
        name.trim().to_string()
    }
}

/// The headline of a project: the decision badges of its experiment analyses, what the ML
/// change did to the business metric (the links' headlines and the over-time verdicts on a
/// business metric), and what the selected (else the first) what-if scenario is worth: net
/// value, ROI, payback, and NPV when a discount rate is set. Results whose data file was
/// removed are marked out of date. The Summary page, the report and the deck all use this.
pub fn headline(project: &Project) -> Headline {
    let e = &project.evidence;
    let mut decisions = Vec::new();
    for (k, a) in e.experiments.iter().enumerate() {
        let Some((_, result)) = &a.result else {
            continue;
        };
        let analysis = name_or(&a.name, format!("Experiment analysis {}", k + 1));
        let stale = data_removed(project, &a.spec.dataset_id, true);
        // The reasons name metrics by their columns: told with the project's names.
        let columns: Vec<&str> = result
            .metrics
            .iter()
            .flat_map(|m| std::iter::once(m.metric.as_str()).chain(m.covariate.as_deref()))
            .collect();
        for d in &result.decisions {
            decisions.push(HeadlineDecision {
                analysis: analysis.clone(),
                badge: DecisionBadge {
                    key: d.decision.key(),
                    label: d.decision.label().to_string(),
                    title: format!("{} vs {}", d.treatment, result.control),
                    reasons: d
                        .reasons
                        .iter()
                        .map(|r| project.relabel_all(r.trim(), columns.iter().copied()))
                        .collect(),
                },
                out_of_date: stale,
            });
        }
    }
    let mut effects = Vec::new();
    for (k, link) in e.links.iter().enumerate() {
        let Some((_, data)) = &link.result else {
            continue;
        };
        if let Some(sentence) = link_headline(project, link, &data.result) {
            effects.push(HeadlineEffect {
                source: EffectSource::Link,
                analysis: name_or(&link.name, format!("Link {}", k + 1)),
                sentence,
                out_of_date: data_removed(project, &link.spec.dataset_id, true),
            });
        }
    }
    for (k, view) in e.timelines.iter().enumerate() {
        if view.result.is_none() {
            continue;
        }
        let business = timeline_verdict_metric(project, view).is_some_and(|m| {
            project
                .dataset(&view.spec.dataset_id)
                .and_then(|d| d.columns.iter().find(|c| c.name == m))
                .is_some_and(|c| c.role == ColumnRole::BusinessMetric)
        });
        if !business {
            continue;
        }
        let analysis = name_or(&view.name, format!("Over time {}", k + 1));
        let stale = data_removed(project, &view.spec.dataset_id, true);
        for sentence in timeline_verdicts(project, view) {
            effects.push(HeadlineEffect {
                source: EffectSource::OverTime,
                analysis: analysis.clone(),
                sentence,
                out_of_date: stale,
            });
        }
    }
    Headline {
        decisions,
        effects,
        value: headline_value(project),
    }
}

/// What the selected (else the first projectable) scenario is worth.
fn headline_value(project: &Project) -> Option<HeadlineValue> {
    let selected = project.view.selected_scenario.as_deref();
    let mut order: Vec<&Scenario> = project
        .scenarios
        .iter()
        .filter(|s| Some(s.id.as_str()) == selected)
        .collect();
    order.extend(
        project
            .scenarios
            .iter()
            .filter(|s| Some(s.id.as_str()) != selected),
    );
    order.into_iter().find_map(|s| {
        let o = scenario_outputs(project, s).ok()?;
        let money = |x: f64| format::money(x, &o.currency);
        Some(HeadlineValue {
            scenario: scenario_display_name(s).to_string(),
            net_value: money_band(&o, o.net_value),
            roi: optional_band(o.roi, &|x| format::percent(x)),
            payback: month_text(o.payback_month.likely, o.horizon_months),
            npv: (o.discount_rate != 0.0).then(|| optional_band(o.npv, &money)),
            sentence: o.summary.clone(),
            out_of_date: scenario_evidence_removed(project, s),
        })
    })
}

/// Whether the link or experiment a scenario's value rests on has results from a data file
/// that was removed.
fn scenario_evidence_removed(project: &Project, s: &Scenario) -> bool {
    let e = &project.evidence;
    match &s.link {
        LinkSource::Measured { link_id } => e.links.iter().any(|l| {
            &l.id == link_id && data_removed(project, &l.spec.dataset_id, l.result.is_some())
        }),
        LinkSource::Experiment { experiment_id, .. } => e.experiments.iter().any(|x| {
            &x.id == experiment_id && data_removed(project, &x.spec.dataset_id, x.result.is_some())
        }),
        LinkSource::Manual { .. } => false,
    }
}
