//! What-if scenarios: an ML change translated into business value, costs, ROI and payback.
//!
//! `scenario_outputs` resolves a scenario against its project (the measured link's slope and
//! interval, the maturity's deployment and ramp-up times, the objective's target) and runs the
//! what-if maths of `analysis::whatif`. The What-if page, `throughline whatif` and the Summary
//! export all call it, so they show the same figures.

mod maturity;
mod outputs;
mod value;

pub use maturity::*;
pub use outputs::*;
use serde::{Deserialize, Serialize};
pub use value::*;

use super::{Maturity, Project};
use crate::analysis::whatif::Band;

/// Where the ML-to-business link of a scenario comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LinkSource {
    /// The slope measured on the Evidence page (by link analysis id), with its interval.
    Measured { link_id: String },
    /// A slope the user enters, with a low and high bound.
    Manual { slope: f64, low: f64, high: f64 },
    /// The business change measured directly in an A/B experiment (Evidence page): a
    /// treatment's difference from control in one metric, with its interval. The value then
    /// rests on a controlled test, not on a slope across experiments.
    Experiment {
        experiment_id: String,
        metric: String,
        treatment: String,
    },
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
    /// Annual discount rate (0.08 is 8% a year) for the NPV and the discounted payback. New
    /// scenarios start at [`DEFAULT_DISCOUNT_RATE`]; a scenario saved before discounting existed
    /// has none and loads as 0, so its figures do not change. Not written when 0, so such files
    /// are rewritten byte for byte.
    #[serde(skip_serializing_if = "is_zero")]
    pub discount_rate: f64,
}

/// The annual discount rate of a new scenario.
pub const DEFAULT_DISCOUNT_RATE: f64 = 0.08;

fn is_zero(x: &f64) -> bool {
    *x == 0.0 && x.is_sign_positive()
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
            discount_rate: 0.0,
        }
    }
}

/// Typical months to deploy and to ramp up, by ML maturity, from the default maturity table
/// (docs/MATURITY.md): organisations new to ML often need a quarter or more to put a first
/// model into production and a while before people trust and use it, while teams with an ML
/// platform deploy in weeks. A project may override them ([`Project::maturity_table`]).
pub fn maturity_times(maturity: Maturity) -> (f64, f64) {
    MaturityTable::default().times(maturity)
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
    #[error(
        "it uses the experiment analysis \"{0}\", which is no longer in the project; choose \
         another source for the business change"
    )]
    ExperimentMissing(String),
    #[error(
        "the experiment analysis \"{0}\" has not been computed yet; compute it on the Evidence \
         page, or choose another source for the business change"
    )]
    ExperimentNotComputed(String),
    #[error(
        "the experiment analysis \"{experiment}\" has no measured difference for {what}; \
         choose another metric or treatment"
    )]
    ExperimentWithoutEffect { experiment: String, what: String },
}

/// What a scenario's value rests on, from the most to the least direct evidence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueEvidence {
    /// A treatment's measured difference in an A/B experiment: a controlled test.
    ControlledExperiment,
    /// A slope measured across experiments (or pilots): a correlation, not a controlled test.
    CrossExperimentLink,
    /// A slope entered by hand (a hypothesis or a guess).
    #[default]
    EnteredByHand,
}

impl ValueEvidence {
    /// What the headline says about the evidence, or nothing for a controlled test.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            ValueEvidence::ControlledExperiment => None,
            ValueEvidence::CrossExperimentLink => {
                Some("from a correlation across experiments, not a controlled test")
            }
            ValueEvidence::EnteredByHand => Some("from a link entered by hand, not yet measured"),
        }
    }

    /// A short phrase for tables: "controlled test", "correlation across experiments", ...
    pub fn short(self) -> &'static str {
        match self {
            ValueEvidence::ControlledExperiment => "controlled test",
            ValueEvidence::CrossExperimentLink => "correlation across experiments",
            ValueEvidence::EnteredByHand => "entered by hand",
        }
    }
}

/// A link as a scenario uses it: its slope band and how to describe it. For a business change
/// measured directly in an experiment (`evidence` = `ControlledExperiment`), `slope` is that
/// change itself (per user or decision), and the scenario's ML change does not scale it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLink {
    pub slope: Band<f64>,
    pub description: String,
    pub warnings: Vec<String>,
    pub evidence: ValueEvidence,
}

/// The slope band of a scenario's link.
pub fn resolve_link(project: &Project, link: &LinkSource) -> Result<ResolvedLink, ScenarioError> {
    match link {
        LinkSource::Manual { slope, low, high } => Ok(ResolvedLink {
            slope: Band::new(*low, *slope, *high),
            description: "entered by hand".to_string(),
            warnings: Vec::new(),
            evidence: ValueEvidence::EnteredByHand,
        }),
        LinkSource::Experiment {
            experiment_id,
            metric,
            treatment,
        } => resolve_experiment(project, experiment_id, metric, treatment),
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
            // The noise-aware (York) slope when the link's points have standard errors.
            let line = result.result.line();
            let slope = line
                .slope
                .filter(|s| s.is_finite())
                .ok_or_else(|| ScenarioError::LinkWithoutSlope(name.clone()))?;
            let mut warnings = Vec::new();
            let (low, high) = match (line.slope_ci_low, line.slope_ci_high) {
                (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => (lo, hi),
                _ => {
                    warnings.push(format!(
                        "The measured link \"{name}\" has no interval for its slope, so low and \
                         high equal the likely case."
                    ));
                    (slope, slope)
                }
            };
            let level = crate::format::confidence_level(analysis.spec.alpha);
            Ok(ResolvedLink {
                slope: Band::new(low, slope, high),
                description: format!(
                    "measured: {name} (n = {}, {level}% interval)",
                    result.result.n
                ),
                warnings,
                evidence: ValueEvidence::CrossExperimentLink,
            })
        }
    }
}

/// The name to show for an experiment analysis.
pub fn experiment_display_name(e: &super::ExperimentAnalysis) -> String {
    if e.name.trim().is_empty() {
        e.id.clone()
    } else {
        e.name.trim().to_string()
    }
}

/// A treatment's measured difference in one metric of an experiment analysis, as a band.
fn resolve_experiment(
    project: &Project,
    experiment_id: &str,
    metric: &str,
    treatment: &str,
) -> Result<ResolvedLink, ScenarioError> {
    let analysis = project
        .evidence
        .experiments
        .iter()
        .find(|e| e.id == experiment_id)
        .ok_or_else(|| ScenarioError::ExperimentMissing(experiment_id.to_string()))?;
    let name = experiment_display_name(analysis);
    let result = analysis
        .output()
        .ok_or_else(|| ScenarioError::ExperimentNotComputed(name.clone()))?;
    let what = format!("\"{metric}\" in \"{treatment}\"");
    let without = || ScenarioError::ExperimentWithoutEffect {
        experiment: name.clone(),
        what: what.clone(),
    };
    let m = result
        .metrics
        .iter()
        .find(|m| m.metric == metric)
        .ok_or_else(without)?;
    let c = m
        .comparisons
        .iter()
        .find(|c| c.treatment == treatment)
        .ok_or_else(without)?;
    let diff = c.diff.filter(|d| d.is_finite()).ok_or_else(without)?;
    let mut warnings = Vec::new();
    let (low, high) = match (c.diff_ci_low, c.diff_ci_high) {
        (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => (lo, hi),
        _ => {
            warnings.push(format!(
                "The experiment \"{name}\" has no interval for {what}, so low and high equal \
                 the likely case."
            ));
            (diff, diff)
        }
    };
    let level = crate::format::confidence_level(result.alpha);
    Ok(ResolvedLink {
        slope: Band::new(low, diff, high),
        description: format!(
            "measured directly: {name}, {treatment} against {} in {}: {} ({level}% CI {} to {})",
            result.control,
            project.metric_info(metric).in_sentence(),
            crate::format::signed(diff),
            crate::format::signed(low),
            crate::format::signed(high)
        ),
        warnings,
        evidence: ValueEvidence::ControlledExperiment,
    })
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
        s.ml_metric = project.metric_name(&link.spec.x);
        s.business_metric = project.metric_name(&link.spec.y);
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
    s.discount_rate = DEFAULT_DISCOUNT_RATE;
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::LinkResult;
    use crate::model::Direction;
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
