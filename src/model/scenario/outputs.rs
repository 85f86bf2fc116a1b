//! What a scenario projects: the goals it answers, its outputs (value, cost, ROI, payback with
//! their bands), the table of all scenarios and the one-sentence summary.

use serde::{Deserialize, Serialize};

use super::*;
use crate::analysis::whatif::{
    self, Band, GoalSeekProblem, MonthPoint, SensitivityBar, WhatIfInputs, WhatIfOutputs,
};
use crate::format;
use crate::model::{Direction, Project};

/// "What ML change breaks even within N months?"
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BreakEvenGoal {
    pub within_months: u32,
    /// `null` when no ML change can (see `note`).
    pub ml_change: Option<f64>,
    pub note: Option<String>,
}

/// "What ML change reaches the business target?"
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetGoal {
    pub objective: String,
    pub unit: String,
    pub baseline: f64,
    pub target: f64,
    pub business_change_needed: f64,
    /// With the link's likely slope.
    pub ml_change: Option<f64>,
    /// The smallest and largest ML change over the link's interval (`null` when the interval
    /// includes zero: then no ML change is sure to reach the target).
    pub ml_change_low: Option<f64>,
    pub ml_change_high: Option<f64>,
    pub note: Option<String>,
}

/// Everything a scenario projects, as the What-if page shows it. JSON keys are the UI's labels in
/// snake_case (`throughline whatif --json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScenarioOutputs {
    pub scenario: String,
    pub ml_metric: String,
    pub ml_change: f64,
    pub business_metric: String,
    pub link: String,
    pub link_slope: Band<f64>,
    pub maturity: String,
    pub deployment_months: f64,
    pub ramp_up_months: f64,
    pub horizon_months: u32,
    pub currency: String,
    pub business_change: Band<f64>,
    pub monthly_value: Band<f64>,
    pub total_value: Band<f64>,
    pub total_cost: f64,
    pub net_value: Band<f64>,
    pub roi: Band<Option<f64>>,
    pub payback_month: Band<Option<u32>>,
    /// The annual discount rate (0.08 is 8%).
    pub discount_rate: f64,
    /// Net present value over the horizon at the discount rate (`null` when the rate cannot be
    /// used; see the warnings).
    pub npv: Band<Option<f64>>,
    /// The first month whose cumulative discounted net is at least 0.
    pub discounted_payback_month: Band<Option<u32>>,
    /// What the value rests on: a controlled test, a correlation across experiments, or a link
    /// entered by hand.
    pub evidence: ValueEvidence,
    /// The same scenario at every maturity stage (likely case).
    pub by_maturity: Vec<MaturityRow>,
    /// The assumed business change against the past measured ones, and extrapolation.
    pub realism: RealismCheck,
    /// One sentence with the answer.
    pub summary: String,
    pub ml_change_to_break_even: BreakEvenGoal,
    pub ml_change_to_reach_target: Option<TargetGoal>,
    pub sensitivity_of_roi: Vec<SensitivityBar>,
    pub timeline: Vec<MonthPoint>,
    pub warnings: Vec<String>,
    /// The resolved inputs, for charts and further what-ifs.
    #[serde(skip)]
    pub inputs: WhatIfInputs,
}

/// The resolved, plain inputs of a scenario, with the link's description and any warnings.
pub fn scenario_inputs(
    project: &Project,
    scenario: &Scenario,
) -> Result<(WhatIfInputs, ResolvedLink), ScenarioError> {
    let link = resolve_link(project, &scenario.link)?;
    let (maturity, _) = effective_maturity(project, scenario);
    let (deploy, ramp) = project.maturity_table.times(maturity);
    // A business change measured directly is the change itself: the ML change does not scale
    // it.
    let ml_change = if link.evidence == ValueEvidence::ControlledExperiment {
        1.0
    } else {
        scenario.ml_change
    };
    let inputs = WhatIfInputs {
        ml_change,
        slope: link.slope,
        volume_per_month: scenario.volume_per_month,
        value_per_unit: scenario.value_per_unit,
        engineering_months: scenario.engineering_months,
        engineering_rate_per_month: scenario.engineering_rate_per_month,
        cloud_cost_per_month: scenario.cloud_cost_per_month,
        one_off_costs: scenario.one_off_costs,
        horizon_months: scenario.horizon_months,
        deployment_months: scenario.deployment_months.unwrap_or(deploy),
        ramp_up_months: scenario.ramp_up_months.unwrap_or(ramp),
    };
    Ok((inputs, link))
}

/// Project one scenario of a project: what the What-if page, `throughline whatif` and the
/// Summary export show.
pub fn scenario_outputs(
    project: &Project,
    scenario: &Scenario,
) -> Result<ScenarioOutputs, ScenarioError> {
    let (inputs, link) = scenario_inputs(project, scenario)?;
    let (maturity, source) = effective_maturity(project, scenario);
    let out: WhatIfOutputs = whatif::evaluate(&inputs);
    let mut warnings = link.warnings.clone();
    let missing = missing_inputs(scenario);
    if !missing.is_empty() {
        warnings.push(format!(
            "Not filled in yet: {}; until then the scenario earns nothing.",
            missing.join(", ")
        ));
    }
    warnings.extend(out.warnings.iter().cloned());

    let direct = link.evidence == ValueEvidence::ControlledExperiment;
    let break_even = {
        let within_months = scenario.break_even_months.max(1);
        match whatif::ml_change_to_break_even(&inputs, within_months) {
            _ if direct => BreakEvenGoal {
                within_months,
                ml_change: None,
                note: Some(DIRECT_GOAL_NOTE.to_string()),
            },
            Ok(x) => BreakEvenGoal {
                within_months,
                ml_change: Some(x),
                note: None,
            },
            Err(e) => BreakEvenGoal {
                within_months,
                ml_change: None,
                note: Some(e.sentence().to_string()),
            },
        }
    };
    let target = target_objective(project, scenario).and_then(|o| {
        let (baseline, target) = (o.baseline?, o.target?);
        let needed = target - baseline;
        let mut goal = TargetGoal {
            objective: o.metric.trim().to_string(),
            unit: o.unit.trim().to_string(),
            baseline,
            target,
            business_change_needed: needed,
            ..TargetGoal::default()
        };
        let wrong_way = match o.direction {
            Direction::HigherIsBetter => needed < 0.0,
            Direction::LowerIsBetter => needed > 0.0,
        };
        match whatif::ml_change_to_reach(inputs.slope, needed) {
            Ok(seek) => {
                goal.ml_change = seek.likely;
                goal.ml_change_low = seek.range.map(|r| r.0);
                goal.ml_change_high = seek.range.map(|r| r.1);
                if seek.range.is_none() {
                    goal.note = Some(
                        "The link's interval includes zero, so no ML change is sure to reach \
                         the target."
                            .to_string(),
                    );
                }
            }
            Err(GoalSeekProblem::FlatLink) | Err(_) => {
                goal.note = Some(GoalSeekProblem::FlatLink.sentence().to_string());
            }
        }
        if direct {
            goal.ml_change = None;
            goal.ml_change_low = None;
            goal.ml_change_high = None;
            goal.note = Some(DIRECT_GOAL_NOTE.to_string());
        }
        if wrong_way {
            goal.note = Some(
                "The target lies on the worse side of the baseline for this objective's \
                 direction; check them on the Frame page."
                    .to_string(),
            );
        }
        Some(goal)
    });
    let maturity_label = match source {
        MaturitySource::Scenario => maturity_short_label(maturity).to_string(),
        MaturitySource::Project => format!("{} (from the project)", maturity_short_label(maturity)),
        MaturitySource::Default => format!("{} (assumed)", maturity_short_label(maturity)),
    };
    let discount_rate = scenario.discount_rate;
    let (npv, discounted_payback_month) = match discounted_band(&out.timeline, discount_rate) {
        Ok((npv, payback)) => (npv.map(Some), payback),
        Err(warning) => {
            warnings.push(warning);
            (Band::flat(None), Band::flat(None))
        }
    };
    let by_maturity = by_maturity(&inputs, &project.maturity_table, maturity, discount_rate);
    let realism = realism_check(
        project,
        scenario,
        out.business_change.likely,
        scenario.ml_change,
    );
    if let Some(w) = &realism.extrapolation {
        warnings.push(w.clone());
    }
    let mut result = ScenarioOutputs {
        scenario: scenario_display_name(scenario).to_string(),
        ml_metric: scenario.ml_metric.trim().to_string(),
        ml_change: scenario.ml_change,
        business_metric: scenario.business_metric.trim().to_string(),
        link: link.description,
        link_slope: link.slope,
        maturity: maturity_label,
        deployment_months: inputs.deployment_months,
        ramp_up_months: inputs.ramp_up_months,
        horizon_months: inputs.horizon_months.min(whatif::MAX_HORIZON_MONTHS),
        currency: scenario.currency.trim().to_string(),
        business_change: out.business_change,
        monthly_value: out.monthly_value,
        total_value: out.total_value,
        total_cost: out.total_cost,
        net_value: out.net_value,
        roi: out.roi,
        payback_month: out.payback_month,
        discount_rate,
        npv,
        discounted_payback_month,
        evidence: link.evidence,
        by_maturity,
        realism,
        summary: String::new(),
        ml_change_to_break_even: break_even,
        ml_change_to_reach_target: target,
        sensitivity_of_roi: sensitivity(&inputs, direct),
        timeline: out.timeline,
        warnings,
        inputs,
    };
    result.summary = summary_sentence(&result);
    Ok(result)
}

/// Why a scenario whose business change comes straight from an experiment has no ML change to
/// seek.
pub const DIRECT_GOAL_NOTE: &str = "The business change comes straight from an experiment's \
     measured difference, not from a slope, so there is no ML change to solve for.";

/// The value drivers a scenario still lacks (zero), by their UI labels: without them it projects
/// nothing. Costs, horizon and times may be zero.
pub fn missing_inputs(scenario: &Scenario) -> Vec<&'static str> {
    use crate::analysis::whatif::Assumption;
    let mut missing = Vec::new();
    let direct = matches!(scenario.link, LinkSource::Experiment { .. });
    if scenario.ml_change == 0.0 && !direct {
        missing.push(Assumption::MlChange.label());
    }
    if let LinkSource::Manual { slope, low, high } = scenario.link
        && slope == 0.0
        && low == 0.0
        && high == 0.0
    {
        missing.push(Assumption::LinkSlope.label());
    }
    if scenario.volume_per_month == 0.0 {
        missing.push(Assumption::VolumePerMonth.label());
    }
    if scenario.value_per_unit == 0.0 {
        missing.push(Assumption::ValuePerUnit.label());
    }
    missing
}

/// The outputs of every scenario as a table of plain text, for the Summary export: the header
/// and one row per scenario (likely figures, with the link's band where it differs). A scenario
/// that cannot be projected says why in its row.
pub fn scenario_outputs_table(project: &Project) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "Scenario",
        "Monthly value",
        "Total cost",
        "Net value",
        "ROI",
        "Payback month",
    ]
    .map(String::from)
    .to_vec();
    let rows = project
        .scenarios
        .iter()
        .map(|s| {
            let name = scenario_display_name(s).to_string();
            match scenario_outputs(project, s) {
                Err(e) => vec![
                    name,
                    format!("cannot be projected: {e}"),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ],
                Ok(o) => {
                    let money = |x: f64| format::money(x, &o.currency);
                    let band = |b: Band<f64>, f: &dyn Fn(f64) -> String| {
                        if b.low == b.high {
                            f(b.likely)
                        } else {
                            format!("{} ({} to {})", f(b.likely), f(b.low), f(b.high))
                        }
                    };
                    let roi = match (o.roi.low, o.roi.likely, o.roi.high) {
                        (Some(lo), Some(li), Some(hi)) => {
                            band(Band::new(lo, li, hi), &|x| format::percent(x))
                        }
                        _ => "no cost".to_string(),
                    };
                    let payback = match o.payback_month.likely {
                        Some(m) => format!("month {m}"),
                        None => format!("not within {} months", o.horizon_months),
                    };
                    vec![
                        name,
                        money(o.monthly_value.likely),
                        money(o.total_cost),
                        band(o.net_value, &money),
                        roi,
                        payback,
                    ]
                }
            }
        })
        .collect();
    (header, rows)
}

/// How the ROI moves when each assumption is 20% lower or higher. A business change measured
/// directly by an experiment has no ML change to vary (it is fixed at 1 in the inputs, and
/// varying it would repeat the measured change's row), so there the ML change is left out and
/// the slope's row is the measured business change itself.
fn sensitivity(inputs: &WhatIfInputs, direct: bool) -> Vec<SensitivityBar> {
    let mut bars = whatif::roi_sensitivity(inputs);
    if direct {
        bars.retain(|b| b.assumption != whatif::Assumption::MlChange.label());
        for b in &mut bars {
            if b.assumption == whatif::Assumption::LinkSlope.label() {
                b.assumption = "Measured business change".to_string();
            }
        }
    }
    bars
}

/// The name to show for a scenario, never empty.
pub fn scenario_display_name(scenario: &Scenario) -> &str {
    let name = scenario.name.trim();
    if name.is_empty() {
        "Untitled scenario"
    } else {
        name
    }
}

/// The answer in one sentence: net value, ROI and payback in the likely case, and the band.
pub fn summary_sentence(o: &ScenarioOutputs) -> String {
    let money = |x: f64| format::money(x, &o.currency);
    let mut s = format!(
        "Likely {} net over {} months",
        money(o.net_value.likely),
        o.horizon_months
    );
    if let Some(roi) = o.roi.likely {
        s.push_str(&format!(" (ROI {})", format::percent(roi)));
    }
    match o.payback_month.likely {
        Some(m) => s.push_str(&format!(", paying back in month {m}")),
        None => s.push_str(", not paying back within the horizon"),
    }
    if o.net_value.low != o.net_value.high {
        let of = match o.evidence {
            ValueEvidence::ControlledExperiment => "the experiment's interval",
            _ => "the link's interval",
        };
        s.push_str(&format!(
            "; between {} and {} given {of}",
            money(o.net_value.low),
            money(o.net_value.high)
        ));
    }
    s.push('.');
    if o.discount_rate != 0.0
        && let Some(npv) = o.npv.likely
    {
        s.push_str(&format!(
            " Discounted at {} a year: NPV {}, {}.",
            format::percent(o.discount_rate),
            money(npv),
            match o.discounted_payback_month.likely {
                Some(m) => format!("paying back in month {m}"),
                None => "not paying back within the horizon".to_string(),
            }
        ));
    }
    match o.evidence.caveat() {
        Some(caveat) => s.push_str(&format!(" The value is {caveat}.")),
        None => s.push_str(" The value rests on a controlled test."),
    }
    s
}
