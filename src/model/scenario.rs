//! What-if scenarios: an ML change translated into business value, costs, ROI and payback.
//!
//! `scenario_outputs` resolves a scenario against its project (the measured link's slope and
//! interval, the maturity's deployment and ramp-up times, the objective's target) and runs the
//! what-if maths of `analysis::whatif`. The What-if page, `throughline whatif` and the Summary
//! export all call it, so they show the same figures.

use serde::{Deserialize, Serialize};

use super::{Direction, Maturity, Project};
use crate::analysis::whatif::{
    self, Band, GoalSeekProblem, MonthPoint, SensitivityBar, WhatIfInputs, WhatIfOutputs,
};

/// Where the ML-to-business link of a scenario comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkSource {
    /// The slope measured on the Evidence page (by link analysis id), with its interval.
    Measured { link_id: String },
    /// A slope the user enters, with a low and high bound.
    Manual { slope: f64, low: f64, high: f64 },
}

impl Default for LinkSource {
    fn default() -> Self {
        LinkSource::Manual {
            slope: 0.0,
            low: 0.0,
            high: 0.0,
        }
    }
}

/// One what-if scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    /// The ML metric that changes.
    pub ml_metric: String,
    /// The change of the ML metric, in the unit of the link's ML metric (e.g. 0.02 of AUC).
    pub ml_change: f64,
    /// How the ML change translates into a business change.
    pub link: LinkSource,
    /// The business metric that moves.
    pub business_metric: String,
    /// Users or decisions per month.
    pub volume_per_month: f64,
    /// Money that one unit of the business metric is worth, per user or decision (negative when
    /// more of the metric is worse, e.g. churn).
    pub value_per_unit: f64,
    pub engineering_months: f64,
    pub engineering_rate_per_month: f64,
    pub cloud_cost_per_month: f64,
    pub one_off_costs: f64,
    pub horizon_months: u32,
    /// The organisation's maturity, which sets deployment and ramp-up time; `None` uses the
    /// project's (Frame, Process and maturity).
    pub maturity: Option<Maturity>,
    pub notes: String,
    /// Months until the model is live, when the user overrides the maturity's assumption.
    pub deployment_months: Option<f64>,
    /// Months from going live to the full effect, when the user overrides the maturity's
    /// assumption.
    pub ramp_up_months: Option<f64>,
    /// Currency shown with money ("$", "€", "CHF"); empty shows plain numbers.
    pub currency: String,
    /// The business objective (Frame, by metric name) whose target the goal seek aims for;
    /// empty picks the one named like `business_metric`, else the first with a target.
    pub objective: String,
    /// Goal seek: the ML change that breaks even within this many months.
    pub break_even_months: u32,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            ml_metric: String::new(),
            ml_change: 0.0,
            link: LinkSource::default(),
            business_metric: String::new(),
            volume_per_month: 0.0,
            value_per_unit: 0.0,
            engineering_months: 0.0,
            engineering_rate_per_month: 0.0,
            cloud_cost_per_month: 0.0,
            one_off_costs: 0.0,
            horizon_months: 24,
            maturity: None,
            notes: String::new(),
            deployment_months: None,
            ramp_up_months: None,
            currency: String::new(),
            objective: String::new(),
            break_even_months: 12,
        }
    }
}

/// Typical months to deploy and to ramp up, by ML maturity. Assumptions the user can override:
/// organisations new to ML often need a quarter or more to put a first model into production
/// and a while before people trust and use it, while teams with an ML platform deploy in weeks.
pub fn maturity_times(maturity: Maturity) -> (f64, f64) {
    match maturity {
        Maturity::FirstProject => (4.0, 3.0),
        Maturity::Emerging => (3.0, 2.0),
        Maturity::Established => (2.0, 1.0),
        Maturity::Advanced => (1.0, 1.0),
    }
}

/// A short name for a maturity stage.
pub fn maturity_short_label(maturity: Maturity) -> &'static str {
    match maturity {
        Maturity::FirstProject => "First ML project",
        Maturity::Emerging => "Emerging",
        Maturity::Established => "Established",
        Maturity::Advanced => "Advanced",
    }
}

/// "1 month", "2.5 months".
pub fn fmt_months(months: f64) -> String {
    let text = fmt_number(months);
    if text == "1" {
        "1 month".to_string()
    } else {
        format!("{text} months")
    }
}

/// The maturity assumed when neither the scenario nor the project names one.
pub const DEFAULT_MATURITY: Maturity = Maturity::FirstProject;

/// The maturity a scenario uses, and whether it comes from the project.
pub fn effective_maturity(project: &Project, scenario: &Scenario) -> (Maturity, MaturitySource) {
    match (scenario.maturity, project.framing.process.maturity) {
        (Some(m), _) => (m, MaturitySource::Scenario),
        (None, Some(m)) => (m, MaturitySource::Project),
        (None, None) => (DEFAULT_MATURITY, MaturitySource::Default),
    }
}

/// Where a scenario's maturity comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaturitySource {
    Scenario,
    Project,
    Default,
}

/// Why a scenario cannot be projected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error(
        "it uses the measured link \"{0}\", which is no longer in the project; choose another \
         link or enter one by hand"
    )]
    LinkMissing(String),
    #[error(
        "the measured link \"{0}\" has not been computed yet; compute it on the Evidence page, \
         or enter a link by hand"
    )]
    LinkNotComputed(String),
    #[error(
        "the measured link \"{0}\" has no slope (too few points, or no variation); enter a link \
         by hand instead"
    )]
    LinkWithoutSlope(String),
}

/// A link as a scenario uses it: its slope band and how to describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLink {
    pub slope: Band<f64>,
    pub description: String,
    pub warnings: Vec<String>,
}

/// The slope band of a scenario's link.
pub fn resolve_link(project: &Project, link: &LinkSource) -> Result<ResolvedLink, ScenarioError> {
    match link {
        LinkSource::Manual { slope, low, high } => Ok(ResolvedLink {
            slope: Band::new(*low, *slope, *high),
            description: "entered by hand".to_string(),
            warnings: Vec::new(),
        }),
        LinkSource::Measured { link_id } => {
            let analysis = project
                .evidence
                .links
                .iter()
                .find(|l| &l.id == link_id)
                .ok_or_else(|| ScenarioError::LinkMissing(link_id.clone()))?;
            let name = link_display_name(analysis);
            let (_, result) = analysis
                .result
                .as_ref()
                .ok_or_else(|| ScenarioError::LinkNotComputed(name.clone()))?;
            let slope = result
                .result
                .slope
                .filter(|s| s.is_finite())
                .ok_or_else(|| ScenarioError::LinkWithoutSlope(name.clone()))?;
            let mut warnings = Vec::new();
            let (low, high) = match (result.result.slope_ci_low, result.result.slope_ci_high) {
                (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => (lo, hi),
                _ => {
                    warnings.push(format!(
                        "The measured link \"{name}\" has no interval for its slope, so low and \
                         high equal the likely case."
                    ));
                    (slope, slope)
                }
            };
            let level = ((1.0 - analysis.spec.alpha) * 100.0).round();
            Ok(ResolvedLink {
                slope: Band::new(low, slope, high),
                description: format!(
                    "measured: {name} (n = {}, {level}% interval)",
                    result.result.n
                ),
                warnings,
            })
        }
    }
}

/// The name to show for a measured link.
pub fn link_display_name(link: &super::LinkAnalysis) -> String {
    if !link.name.trim().is_empty() {
        link.name.trim().to_string()
    } else if !link.spec.x.is_empty() || !link.spec.y.is_empty() {
        format!("{} and {}", link.spec.x, link.spec.y)
    } else {
        link.id.clone()
    }
}

/// The business objective a scenario's goal seek aims for, if it has a baseline and a target.
pub fn target_objective<'a>(
    project: &'a Project,
    scenario: &Scenario,
) -> Option<&'a super::BusinessObjective> {
    let objectives = &project.framing.objectives;
    let has_target = |o: &&super::BusinessObjective| o.baseline.is_some() && o.target.is_some();
    let named = |name: &str| {
        let name = name.trim();
        (!name.is_empty())
            .then(|| {
                objectives
                    .iter()
                    .filter(has_target)
                    .find(|o| o.metric.trim().eq_ignore_ascii_case(name))
            })
            .flatten()
    };
    named(&scenario.objective)
        .or_else(|| named(&scenario.business_metric))
        .or_else(|| objectives.iter().find(has_target))
}

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
    let (deploy, ramp) = maturity_times(maturity);
    let inputs = WhatIfInputs {
        ml_change: scenario.ml_change,
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

    let break_even = {
        let within_months = scenario.break_even_months.max(1);
        match whatif::ml_change_to_break_even(&inputs, within_months) {
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
        summary: String::new(),
        ml_change_to_break_even: break_even,
        ml_change_to_reach_target: target,
        sensitivity_of_roi: whatif::roi_sensitivity(&inputs),
        timeline: out.timeline,
        warnings,
        inputs,
    };
    result.summary = summary_sentence(&result);
    Ok(result)
}

/// The value drivers a scenario still lacks (zero), by their UI labels: without them it projects
/// nothing. Costs, horizon and times may be zero.
pub fn missing_inputs(scenario: &Scenario) -> Vec<&'static str> {
    use crate::analysis::whatif::Assumption;
    let mut missing = Vec::new();
    if scenario.ml_change == 0.0 {
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
                    let money = |x: f64| fmt_money(x, &o.currency);
                    let band = |b: Band<f64>, f: &dyn Fn(f64) -> String| {
                        if b.low == b.high {
                            f(b.likely)
                        } else {
                            format!("{} ({} to {})", f(b.likely), f(b.low), f(b.high))
                        }
                    };
                    let roi = match (o.roi.low, o.roi.likely, o.roi.high) {
                        (Some(lo), Some(li), Some(hi)) => {
                            band(Band::new(lo, li, hi), &|x| fmt_percent(x))
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
    let money = |x: f64| fmt_money(x, &o.currency);
    let mut s = format!(
        "Likely {} net over {} months",
        money(o.net_value.likely),
        o.horizon_months
    );
    if let Some(roi) = o.roi.likely {
        s.push_str(&format!(" (ROI {})", fmt_percent(roi)));
    }
    match o.payback_month.likely {
        Some(m) => s.push_str(&format!(", paying back in month {m}")),
        None => s.push_str(", not paying back within the horizon"),
    }
    if o.net_value.low != o.net_value.high {
        s.push_str(&format!(
            "; between {} and {} given the link's interval",
            money(o.net_value.low),
            money(o.net_value.high)
        ));
    }
    s.push('.');
    s
}

/// A number as people read it: `1,234,567`, `12.3`, `0.0123`; "–" when undefined.
pub fn fmt_number(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let abs = x.abs();
    let decimals = if abs >= 1000.0 || abs == 0.0 {
        0
    } else if abs >= 100.0 {
        1
    } else if abs >= 1.0 {
        2
    } else {
        // Three significant digits for small numbers.
        let digits = (-abs.log10()).floor() as i32 + 3;
        digits.clamp(3, 10) as usize
    };
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let text = if text == "-0" { "0".to_string() } else { text };
    group_thousands(&text)
}

/// A signed number: `+0.5`, `−0.2`.
pub fn fmt_signed(x: f64) -> String {
    let text = fmt_number(x);
    if x > 0.0 && text != "0" {
        format!("+{text}")
    } else {
        text.replacen('-', "−", 1)
    }
}

fn group_thousands(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("−", rest),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut grouped = String::new();
    let len = int.chars().count();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money: `$1.25M`, `€12,300`, `−$450`, `1,200 CHF`; "–" when undefined.
pub fn fmt_money(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let abs = x.abs();
    let amount = if abs >= 1e9 {
        format!("{}B", trim_decimals(abs / 1e9, 2))
    } else if abs >= 1e6 {
        format!("{}M", trim_decimals(abs / 1e6, 2))
    } else if abs >= 100.0 {
        group_thousands(&format!("{abs:.0}"))
    } else if abs >= 1.0 || abs == 0.0 {
        trim_decimals(abs, 2)
    } else {
        // Small amounts keep three significant digits (a fraction of a cent per decision).
        fmt_number(abs)
    };
    let sign = if x < 0.0 && amount != "0" { "−" } else { "" };
    let currency = currency.trim();
    if currency.is_empty() {
        format!("{sign}{amount}")
    } else if currency.chars().count() == 1 {
        format!("{sign}{currency}{amount}")
    } else {
        format!("{sign}{amount} {currency}")
    }
}

fn trim_decimals(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// A fraction as a percent: 1.5 -> "150%", −0.25 -> "−25%".
pub fn fmt_percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "–".to_string();
    }
    let pct = fraction * 100.0;
    let text = if pct.abs() >= 10.0 {
        group_thousands(&format!("{pct:.0}"))
    } else {
        trim_decimals(pct, 1)
    };
    let text = if text == "-0" || text == "−0" {
        "0".to_string()
    } else {
        text
    };
    format!("{}%", text.replacen('-', "−", 1))
}

/// A payback month in words.
pub fn fmt_payback(month: Option<u32>) -> String {
    match month {
        Some(m) => format!("month {m}"),
        None => "not within the horizon".to_string(),
    }
}

/// A fresh id for a new scenario, unique in the project.
pub fn new_scenario_id(project: &Project) -> String {
    (1..)
        .map(|i| format!("scenario-{i}"))
        .find(|id| project.scenarios.iter().all(|s| &s.id != id))
        .unwrap_or_else(|| "scenario".to_string())
}

/// A name not yet used by another scenario: `base`, `base 2`, `base 3`, ...
pub fn unique_scenario_name(project: &Project, base: &str) -> String {
    let taken = |name: &str| {
        project
            .scenarios
            .iter()
            .any(|s| s.name.trim().eq_ignore_ascii_case(name))
    };
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

/// A new scenario, pre-filled from the project: the first measured link (or the hypothesised
/// one from Frame), the first business objective, and the project's maturity.
pub fn starter_scenario(project: &Project) -> Scenario {
    let mut s = Scenario {
        id: new_scenario_id(project),
        name: unique_scenario_name(
            project,
            &format!("Scenario {}", project.scenarios.len() + 1),
        ),
        ..Scenario::default()
    };
    if let Some(link) = project.evidence.links.first() {
        s.link = LinkSource::Measured {
            link_id: link.id.clone(),
        };
        s.ml_metric = link.spec.x.clone();
        s.business_metric = link.spec.y.clone();
    } else if let Some(h) = project.framing.ml_objective.links.first() {
        s.ml_metric = h.ml_metric.clone();
        s.business_metric = h.business_metric.clone();
    }
    if let Some(o) = target_objective(project, &s) {
        s.objective = o.metric.clone();
        if s.business_metric.trim().is_empty() {
            s.business_metric = o.metric.clone();
        }
    }
    if let Some(other) = project.scenarios.first() {
        s.currency = other.currency.clone();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::LinkResult;
    use crate::model::{BusinessObjective, CacheStamp, LinkAnalysis, LinkData, LinkSpec};

    fn project_with_link(cache: Option<LinkResult>) -> Project {
        let mut p = Project::named("test");
        p.evidence.links.push(LinkAnalysis {
            id: "l1".into(),
            name: "AUC and churn".into(),
            spec: LinkSpec {
                x: "auc".into(),
                y: "churn_pp".into(),
                ..LinkSpec::default()
            },
            result: cache.map(|result| {
                let data = LinkData {
                    result,
                    points: Vec::new(),
                };
                (CacheStamp::default(), data)
            }),
        });
        p.framing.objectives.push(BusinessObjective {
            metric: "Monthly churn".into(),
            unit: "%".into(),
            direction: Direction::LowerIsBetter,
            baseline: Some(4.2),
            target: Some(3.6),
            ..BusinessObjective::default()
        });
        p
    }

    fn churn_scenario() -> Scenario {
        Scenario {
            id: "s1".into(),
            name: "AUC +0.02".into(),
            ml_change: 0.02,
            link: LinkSource::Measured {
                link_id: "l1".into(),
            },
            volume_per_month: 100_000.0,
            value_per_unit: -3.0,
            engineering_months: 3.0,
            engineering_rate_per_month: 12_000.0,
            horizon_months: 24,
            maturity: Some(Maturity::Advanced),
            currency: "$".into(),
            ..Scenario::default()
        }
    }

    #[test]
    fn measured_link_needs_a_computed_slope() {
        let s = churn_scenario();
        let p = project_with_link(None);
        assert!(matches!(
            scenario_outputs(&p, &s),
            Err(ScenarioError::LinkNotComputed(_))
        ));
        let p = project_with_link(Some(LinkResult::default()));
        assert!(matches!(
            scenario_outputs(&p, &s),
            Err(ScenarioError::LinkWithoutSlope(_))
        ));
        let mut other = s.clone();
        other.link = LinkSource::Measured {
            link_id: "gone".into(),
        };
        let err = scenario_outputs(&p, &other).unwrap_err();
        assert!(err.to_string().contains("no longer in the project"));
    }

    #[test]
    fn measured_link_carries_its_interval() {
        let p = project_with_link(Some(LinkResult {
            n: 12,
            slope: Some(-5.0),
            slope_ci_low: Some(-8.0),
            slope_ci_high: Some(-2.0),
            ..LinkResult::default()
        }));
        let o = scenario_outputs(&p, &churn_scenario()).unwrap();
        // −0.1 pp churn likely; each pp costs 3 per subscriber: +300 a month per 1000... here
        // 0.1 × 3 × 100 000 = 30 000 a month.
        assert!((o.monthly_value.likely - 30_000.0).abs() < 1e-6);
        assert!((o.monthly_value.low - 12_000.0).abs() < 1e-6);
        assert!((o.monthly_value.high - 48_000.0).abs() < 1e-6);
        assert_eq!((o.deployment_months, o.ramp_up_months), (1.0, 1.0));
        assert!(o.link.contains("AUC and churn"));
        // Goal seek to the churn target: −0.6 pp at −5 pp per unit of AUC.
        let goal = o.ml_change_to_reach_target.unwrap();
        assert_eq!(goal.objective, "Monthly churn");
        assert!((goal.ml_change.unwrap() - 0.12).abs() < 1e-12);
        assert!(goal.note.is_none());
        assert!(o.summary.starts_with("Likely $"), "{}", o.summary);
    }

    #[test]
    fn maturity_comes_from_scenario_then_project_then_default() {
        let mut p = project_with_link(None);
        let mut s = churn_scenario();
        s.link = LinkSource::Manual {
            slope: 1.0,
            low: 1.0,
            high: 1.0,
        };
        s.maturity = None;
        let o = scenario_outputs(&p, &s).unwrap();
        assert_eq!((o.deployment_months, o.ramp_up_months), (4.0, 3.0));
        assert!(o.maturity.contains("assumed"));
        p.framing.process.maturity = Some(Maturity::Established);
        let o = scenario_outputs(&p, &s).unwrap();
        assert_eq!((o.deployment_months, o.ramp_up_months), (2.0, 1.0));
        s.deployment_months = Some(6.0);
        let o = scenario_outputs(&p, &s).unwrap();
        assert_eq!((o.deployment_months, o.ramp_up_months), (6.0, 1.0));
    }

    #[test]
    fn outputs_table_has_a_row_per_scenario() {
        let mut p = project_with_link(Some(LinkResult {
            n: 12,
            slope: Some(-5.0),
            slope_ci_low: Some(-8.0),
            slope_ci_high: Some(-2.0),
            ..LinkResult::default()
        }));
        p.scenarios.push(churn_scenario());
        let mut broken = churn_scenario();
        broken.link = LinkSource::Measured {
            link_id: "gone".into(),
        };
        p.scenarios.push(broken);
        let (header, rows) = scenario_outputs_table(&p);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.len() == header.len()));
        assert!(rows[0][3].contains(" to "), "{:?}", rows[0]);
        assert!(rows[1][1].starts_with("cannot be projected"));
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_money(1_234_567.0, "$"), "$1.23M");
        assert_eq!(fmt_money(-12_345.0, "€"), "−€12,345");
        assert_eq!(fmt_money(1200.0, "CHF"), "1,200 CHF");
        assert_eq!(fmt_money(0.5, ""), "0.5");
        assert_eq!(fmt_money(-0.006, "€"), "−€0.006");
        assert_eq!(fmt_money(12.345, "$"), "$12.35");
        assert_eq!(fmt_percent(1.5), "150%");
        assert_eq!(fmt_percent(-0.253), "−25%");
        assert_eq!(fmt_percent(0.0123), "1.2%");
        assert_eq!(fmt_percent(-0.0557), "−5.6%");
        assert_eq!(fmt_percent(0.0), "0%");
        assert_eq!(fmt_number(0.0123), "0.0123");
        assert_eq!(fmt_number(1_234_567.0), "1,234,567");
        assert_eq!(fmt_signed(0.5), "+0.5");
        assert_eq!(fmt_signed(-0.25), "−0.25");
        assert_eq!(fmt_number(f64::NAN), "–");
    }

    #[test]
    fn names_and_ids_are_unique() {
        let mut p = Project::named("x");
        let a = starter_scenario(&p);
        p.scenarios.push(a.clone());
        let b = starter_scenario(&p);
        assert_ne!(a.id, b.id);
        assert_eq!(a.name, "Scenario 1");
        assert_eq!(b.name, "Scenario 2");
        assert_eq!(
            missing_inputs(&a),
            vec![
                "ML change",
                "Link slope",
                "Volume per month",
                "Value per unit"
            ]
        );
    }
}
