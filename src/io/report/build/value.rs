//! What each what-if scenario is worth, for the Summary page and the report: value band, NPV,
//! ROI, payback (discounted and not), the evidence it rests on, the realism check and the same
//! scenario at every maturity stage.

use super::{Block, Table};
use crate::analysis::whatif::Band;
use crate::format;
use crate::model::{Project, ScenarioOutputs, scenario_display_name, scenario_outputs};

/// The blocks that open the scenarios section: one table of what every scenario is worth, then
/// per scenario its realism check and its ROI by maturity.
pub(super) fn scenario_value_blocks(project: &Project) -> Vec<Block> {
    let mut rows = Vec::new();
    let mut details = Vec::new();
    let mut problems = Vec::new();
    for s in &project.scenarios {
        let name = scenario_display_name(s).to_string();
        match scenario_outputs(project, s) {
            Ok(o) => {
                rows.push(worth_row(&o));
                details.push(o);
            }
            Err(e) => problems.push(format!("\"{name}\" cannot be projected: {e}.")),
        }
    }
    let mut blocks = Vec::new();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            header: WORTH_HEADER.map(String::from).to_vec(),
            rows,
        }));
        blocks.push(Block::Note(
            "Likely figures, with the low to high band that the link's (or the experiment's) \
             interval gives. NPV and discounted payback use each scenario's annual discount \
             rate."
                .into(),
        ));
    }
    for p in problems {
        blocks.push(Block::Warning(p));
    }
    for o in &details {
        blocks.extend(scenario_detail_blocks(o));
    }
    blocks
}

const WORTH_HEADER: [&str; 8] = [
    "Scenario",
    "Net value",
    "NPV",
    "ROI",
    "Payback",
    "Discounted payback",
    "Discount rate",
    "Evidence",
];

pub(super) fn money_band(o: &ScenarioOutputs, b: Band<f64>) -> String {
    let money = |x: f64| format::money(x, &o.currency);
    if b.low == b.high {
        money(b.likely)
    } else {
        format!(
            "{} ({} to {})",
            money(b.likely),
            money(b.low),
            money(b.high)
        )
    }
}

pub(super) fn optional_band(b: Band<Option<f64>>, f: &dyn Fn(f64) -> String) -> String {
    match (b.low, b.likely, b.high) {
        (Some(lo), Some(li), Some(hi)) if lo == hi => f(li),
        (Some(lo), Some(li), Some(hi)) => format!("{} ({} to {})", f(li), f(lo), f(hi)),
        _ => format::UNDEFINED.to_string(),
    }
}

pub(super) fn month_text(m: Option<u32>, horizon: u32) -> String {
    match m {
        Some(m) => format!("month {m}"),
        None => format!("not within {horizon} months"),
    }
}

fn worth_row(o: &ScenarioOutputs) -> Vec<String> {
    let money = |x: f64| format::money(x, &o.currency);
    vec![
        o.scenario.clone(),
        money_band(o, o.net_value),
        optional_band(o.npv, &money),
        optional_band(o.roi, &|x| format::percent(x)),
        month_text(o.payback_month.likely, o.horizon_months),
        month_text(o.discounted_payback_month.likely, o.horizon_months),
        format::percent(o.discount_rate),
        o.evidence.short().to_string(),
    ]
}

/// One scenario's headline, evidence caveat, realism check and ROI by maturity.
fn scenario_detail_blocks(o: &ScenarioOutputs) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading(o.scenario.clone()),
        Block::Text(o.summary.clone()),
    ];
    let mut realism = vec![o.realism.sentence.clone()];
    if !o.realism.sources.is_empty() {
        realism.push(format!(
            "Past changes from: {}.",
            o.realism.sources.join("; ")
        ));
    }
    blocks.push(Block::List(realism));
    if let Some(w) = &o.realism.extrapolation {
        blocks.push(Block::Warning(w.clone()));
    }
    if !o.by_maturity.is_empty() {
        let money = |x: f64| format::money(x, &o.currency);
        let rows = o
            .by_maturity
            .iter()
            .map(|r| {
                let stage = if r.current {
                    format!("{} (this scenario)", r.stage)
                } else {
                    r.stage.clone()
                };
                vec![
                    stage,
                    format!(
                        "{} + {}",
                        format::months(r.deployment_months),
                        format::months(r.ramp_up_months)
                    ),
                    money(r.total_cost),
                    r.roi
                        .map(format::percent)
                        .unwrap_or_else(|| format::UNDEFINED.to_string()),
                    r.npv
                        .map(money)
                        .unwrap_or_else(|| format::UNDEFINED.to_string()),
                    month_text(r.payback_month, o.horizon_months),
                    month_text(r.discounted_payback_month, o.horizon_months),
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            header: [
                "ROI by maturity",
                "Deploy + ramp-up",
                "Total cost",
                "ROI",
                "NPV",
                "Payback",
                "Discounted payback",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        }));
    }
    blocks
}
