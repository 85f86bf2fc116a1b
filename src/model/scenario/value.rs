//! The honest value of a scenario, beyond its undiscounted figures: NPV and discounted payback,
//! the same scenario at every ML maturity stage, and a realism check against the effects the
//! project has measured before (CONTRACT.md, `whatif` second-wave additions).

use serde::{Deserialize, Serialize};

use super::*;
use crate::analysis::npv;
use crate::analysis::whatif::{self, Band, Case, MonthPoint, WhatIfInputs};
use crate::format;
use crate::model::{Maturity, Project};

/// The same scenario at one maturity stage (likely case).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MaturityRow {
    /// The stage's short name ("First ML project", "Emerging", ...).
    pub stage: String,
    pub roi: Option<f64>,
    /// `null` when the discount rate is unusable (see the warnings).
    pub npv: Option<f64>,
    pub payback_month: Option<u32>,
    pub discounted_payback_month: Option<u32>,
    pub deployment_months: f64,
    pub ramp_up_months: f64,
    pub total_cost: f64,
    pub net_value: f64,
    /// Whether this is the scenario's own stage (its headline figures).
    pub current: bool,
}

/// NPV and discounted payback of each case of a timeline; `Err` holds the warning when the
/// discount rate cannot be used.
pub fn discounted_band(
    timeline: &[MonthPoint],
    annual_rate: f64,
) -> Result<(Band<f64>, Band<Option<u32>>), String> {
    let one = |case: Case| npv::discount_timeline(timeline, case, annual_rate);
    match (one(Case::Low), one(Case::Likely), one(Case::High)) {
        (Ok(lo), Ok(li), Ok(hi)) => Ok((
            Band::new(lo.npv, li.npv, hi.npv),
            Band::new(
                lo.discounted_payback_month,
                li.discounted_payback_month,
                hi.discounted_payback_month,
            ),
        )),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            Err(format!("NPV and discounted payback are not computed: {e}."))
        }
    }
}

/// The inputs of a scenario moved to another maturity stage: that stage's deployment and
/// ramp-up times (the scenario's own overrides apply only to its own stage), and its
/// engineering months and cloud cost scaled by the ratio of the stages' multipliers.
pub fn inputs_at_stage(
    inputs: &WhatIfInputs,
    table: &MaturityTable,
    own: Maturity,
    stage: Maturity,
) -> WhatIfInputs {
    if stage == own {
        return inputs.clone();
    }
    let (from, to) = (table.stage(own), table.stage(stage));
    WhatIfInputs {
        engineering_months: inputs.engineering_months * to.engineering_multiplier
            / from.engineering_multiplier,
        cloud_cost_per_month: inputs.cloud_cost_per_month * to.cloud_multiplier
            / from.cloud_multiplier,
        deployment_months: to.deployment_months,
        ramp_up_months: to.ramp_up_months,
        ..inputs.clone()
    }
}

/// The scenario's ROI, NPV and payback at every maturity stage (likely case).
pub fn by_maturity(
    inputs: &WhatIfInputs,
    table: &MaturityTable,
    own: Maturity,
    annual_rate: f64,
) -> Vec<MaturityRow> {
    Maturity::ALL
        .iter()
        .map(|&stage| {
            let at = inputs_at_stage(inputs, table, own, stage);
            let out = whatif::evaluate(&at);
            let d = npv::discount_timeline(&out.timeline, Case::Likely, annual_rate).ok();
            MaturityRow {
                stage: maturity_short_label(stage).to_string(),
                roi: out.roi.likely,
                npv: d.as_ref().map(|d| d.npv),
                payback_month: out.payback_month.likely,
                discounted_payback_month: d.and_then(|d| d.discounted_payback_month),
                deployment_months: at.deployment_months,
                ramp_up_months: at.ramp_up_months,
                total_cost: out.total_cost,
                net_value: out.net_value.likely,
                current: stage == own,
            }
        })
        .collect()
}

/// One past measured change of a business metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastEffect {
    /// The analysis it comes from (its name, and its id).
    pub source: String,
    pub analysis_id: String,
    /// The experiment metric or link column it measures.
    pub metric: String,
    /// The treatment, for an experiment comparison (empty for a link's points).
    pub treatment: String,
    /// The experiment, treatment or pair of points.
    pub label: String,
    pub effect: f64,
}

/// Which metric to gather past effects for: any of these names (a Frame name such as "Monthly
/// churn", a column such as `monthly_churn_pct`), compared ignoring case, spaces and
/// punctuation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricQuery {
    pub names: Vec<String>,
}

impl MetricQuery {
    fn matches(&self, name: &str) -> bool {
        let n = normalized(name);
        !n.is_empty()
            && self.names.iter().map(|q| normalized(q)).any(|q| {
                let (short, long) = if q.len() <= n.len() {
                    (&q, &n)
                } else {
                    (&n, &q)
                };
                !short.is_empty() && (short == long || (short.len() >= 5 && long.contains(short)))
            })
    }
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a link's points are measured effects (changes, around zero) rather than levels:
/// its ML values include zero or both signs.
fn points_are_effects(points: &[crate::model::LinkPoint]) -> bool {
    let (lo, hi) = x_range(points);
    lo <= 0.0 && hi >= 0.0
}

fn x_range(points: &[crate::model::LinkPoint]) -> (f64, f64) {
    points
        .iter()
        .map(|p| p.x)
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        })
}

/// The past measured changes of a business metric that the project holds: each experiment
/// analysis' treatment-vs-control differences in a metric of that name, and each link
/// analysis' points whose business metric has that name (the points themselves when they are
/// effects, else the changes between consecutive points, e.g. one pilot to the next), and each
/// meta-analysis of past experiments of that metric (each experiment's measured effect). An
/// experiment that two analyses hold (a link across experiments and a meta-analysis of the same
/// file) is counted once.
pub fn past_measured_effects(project: &Project, metric: &MetricQuery) -> Vec<PastEffect> {
    let mut effects = Vec::new();
    for e in &project.evidence.experiments {
        let Some(result) = e.output() else { continue };
        let source = experiment_display_name(e);
        for m in result.metrics.iter().filter(|m| metric.matches(&m.metric)) {
            for c in &m.comparisons {
                if let Some(d) = c.diff.filter(|d| d.is_finite()) {
                    effects.push(PastEffect {
                        source: source.clone(),
                        analysis_id: e.id.clone(),
                        metric: m.metric.clone(),
                        treatment: c.treatment.clone(),
                        label: format!("{} against {}", c.treatment, result.control),
                        effect: d,
                    });
                }
            }
        }
    }
    for l in &project.evidence.links {
        let Some(data) = l.output() else { continue };
        if !metric.matches(&l.spec.y) {
            continue;
        }
        let source = link_display_name(l);
        let points: Vec<_> = data
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .collect();
        if l.spec.experiment_column.is_some() || points_are_effects(&data.points) {
            effects.extend(points.iter().map(|p| PastEffect {
                source: source.clone(),
                analysis_id: l.id.clone(),
                metric: l.spec.y.clone(),
                treatment: String::new(),
                label: p.label.clone(),
                effect: p.y,
            }));
        } else {
            effects.extend(points.windows(2).map(|w| PastEffect {
                source: source.clone(),
                analysis_id: l.id.clone(),
                metric: l.spec.y.clone(),
                treatment: String::new(),
                label: format!("{} to {}", w[0].label, w[1].label),
                effect: w[1].y - w[0].y,
            }));
        }
    }
    for m in &project.evidence.metas {
        let Some(result) = m.output() else { continue };
        if !metric.matches(&m.spec.effect_column) {
            continue;
        }
        let source = if m.name.trim().is_empty() {
            "Past experiments".to_string()
        } else {
            m.name.trim().to_string()
        };
        for x in result.experiments.iter().filter(|x| x.effect.is_finite()) {
            let counted = effects.iter().any(|e| {
                e.treatment.is_empty()
                    && normalized(&e.metric) == normalized(&m.spec.effect_column)
                    && e.label == x.label
            });
            if !counted {
                effects.push(PastEffect {
                    source: source.clone(),
                    analysis_id: m.id.clone(),
                    metric: m.spec.effect_column.clone(),
                    treatment: String::new(),
                    label: x.label.clone(),
                    effect: x.effect,
                });
            }
        }
    }
    effects
}

/// How the business change a scenario assumes compares with the past.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RealismCheck {
    /// The business change the scenario assumes (likely case), per user or decision.
    pub assumed_change: f64,
    /// How many past measured changes of the business metric the project holds.
    pub past_effects: usize,
    /// How many of them were at least as large in the same direction.
    pub as_large: usize,
    /// The largest past change in the assumed direction, if any.
    pub largest: Option<f64>,
    /// Where the past effects come from (analysis names).
    pub sources: Vec<String>,
    /// "This scenario assumes −0.1 Monthly churn; 2 of the 18 past measured changes did that
    /// well", or that there is nothing to compare with.
    pub sentence: String,
    /// Set when the ML change takes the ML metric outside the range the link was measured on.
    pub extrapolation: Option<String>,
}

/// Compare a scenario's assumed business change with the project's past measured effects, and
/// check that its ML change stays within the range its link was measured on.
pub fn realism_check(
    project: &Project,
    scenario: &Scenario,
    assumed_change: f64,
    ml_change: f64,
) -> RealismCheck {
    let mut names = vec![scenario.business_metric.clone()];
    let link = scenario_link_analysis(project, scenario);
    if let Some(l) = link {
        names.push(l.spec.y.clone());
    }
    if let LinkSource::Experiment { metric, .. } = &scenario.link {
        names.push(metric.clone());
    }
    names.retain(|n| !n.trim().is_empty());
    let mut effects = past_measured_effects(project, &MetricQuery { names });
    // The result a scenario takes its business change from is not a past effect to compare with.
    if let LinkSource::Experiment {
        experiment_id,
        metric,
        treatment,
    } = &scenario.link
    {
        effects.retain(|e| {
            !(&e.analysis_id == experiment_id && &e.metric == metric && &e.treatment == treatment)
        });
    }
    let mut sources: Vec<String> = Vec::new();
    for e in &effects {
        if !sources.contains(&e.source) {
            sources.push(e.source.clone());
        }
    }
    let same_way = |e: f64| assumed_change != 0.0 && e.signum() == assumed_change.signum();
    let as_large = effects
        .iter()
        .filter(|e| same_way(e.effect) && e.effect.abs() >= assumed_change.abs())
        .count();
    let largest = effects
        .iter()
        .map(|e| e.effect)
        .filter(|e| same_way(*e))
        .max_by(|a, b| a.abs().total_cmp(&b.abs()));
    let metric = if scenario.business_metric.trim().is_empty() {
        "the business metric".to_string()
    } else {
        scenario.business_metric.trim().to_string()
    };
    let assumed = format!(
        "This scenario assumes {} in {metric} per user or decision",
        format::signed(assumed_change)
    );
    let sentence = if effects.is_empty() {
        format!(
            "{assumed}; the project holds no past measured changes of it to compare with (add \
             an experiment or a link on the Evidence page)."
        )
    } else if assumed_change == 0.0 {
        format!("{assumed}: no change to compare with the past.")
    } else {
        let n = effects.len();
        let mut s = format!(
            "{assumed}; {as_large} of the {n} past measured {} did that well",
            if n == 1 { "change" } else { "changes" }
        );
        if let Some(l) = largest {
            s.push_str(&format!(" (the largest: {})", format::signed(l)));
        }
        s.push('.');
        if as_large == 0 {
            s.push_str(" Nothing measured so far was this large: treat the value as optimistic.");
        }
        s
    };
    RealismCheck {
        assumed_change,
        past_effects: effects.len(),
        as_large,
        largest,
        sources,
        sentence,
        extrapolation: extrapolation_warning(project, scenario, ml_change),
    }
}

/// The link analysis a scenario rests on: its measured link, or for a link entered by hand a
/// project link relating the same ML and business metrics (by name).
fn scenario_link_analysis<'a>(
    project: &'a Project,
    scenario: &Scenario,
) -> Option<&'a crate::model::LinkAnalysis> {
    match &scenario.link {
        LinkSource::Measured { link_id } => {
            project.evidence.links.iter().find(|l| &l.id == link_id)
        }
        LinkSource::Manual { .. } => {
            let ml = MetricQuery {
                names: vec![scenario.ml_metric.clone()],
            };
            let business = MetricQuery {
                names: vec![scenario.business_metric.clone()],
            };
            project.evidence.links.iter().find(|l| {
                (ml.matches(&l.spec.x) || ml.matches(&project.metric_name(&l.spec.x)))
                    && (business.matches(&l.spec.y)
                        || business.matches(&project.metric_name(&l.spec.y)))
            })
        }
        LinkSource::Experiment { .. } => None,
    }
}

/// A warning when the ML change takes the ML metric outside the range the link was measured
/// on. When the link's points are effects, the ML change itself is compared with their range;
/// when they are levels, the change is applied to the last point (the newest model).
pub fn extrapolation_warning(
    project: &Project,
    scenario: &Scenario,
    ml_change: f64,
) -> Option<String> {
    let link = scenario_link_analysis(project, scenario)?;
    let data = link.output()?;
    let points: Vec<_> = data.points.iter().filter(|p| p.x.is_finite()).collect();
    if points.len() < 2 || !ml_change.is_finite() {
        return None;
    }
    let (lo, hi) = x_range(&data.points);
    let ml = if scenario.ml_metric.trim().is_empty() {
        link.spec.x.clone()
    } else {
        scenario.ml_metric.trim().to_string()
    };
    let name = link_display_name(link);
    let range = format!("{} to {}", format::number(lo), format::number(hi));
    if points_are_effects(&data.points) {
        (ml_change < lo || ml_change > hi).then(|| {
            format!(
                "The ML change ({} {ml}) lies outside the changes the link \"{name}\" was \
                 measured on ({range}): the value extrapolates the link.",
                format::signed(ml_change)
            )
        })
    } else {
        let last = points.last()?;
        let after = last.x + ml_change;
        let outside = after < lo - 1e-12 * lo.abs() || after > hi + 1e-12 * hi.abs();
        outside.then(|| {
            format!(
                "The ML change ({} {ml}) takes {ml} from {} (the last point, {}) to {}, outside \
                 the range the link \"{name}\" was measured on ({range}): the value \
                 extrapolates the link.",
                format::signed(ml_change),
                format::number(last.x),
                last.label,
                format::number(after)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Comparison, ExperimentResult, LinkResult, MetricResult};
    use crate::model::{CacheStamp, ExperimentAnalysis, LinkAnalysis, LinkData, LinkPoint};

    fn base_inputs() -> WhatIfInputs {
        WhatIfInputs {
            ml_change: 0.02,
            slope: Band::new(-8.0, -5.0, -2.0),
            volume_per_month: 100_000.0,
            value_per_unit: -3.0,
            engineering_months: 3.0,
            engineering_rate_per_month: 12_000.0,
            cloud_cost_per_month: 1_000.0,
            horizon_months: 24,
            deployment_months: 1.0,
            ramp_up_months: 1.0,
            ..WhatIfInputs::default()
        }
    }

    #[test]
    fn own_stage_reproduces_the_headline_and_maturity_pays() {
        let inputs = base_inputs();
        let table = MaturityTable::default();
        let rows = by_maturity(&inputs, &table, Maturity::Emerging, 0.0);
        assert_eq!(rows.len(), 4);
        let own = whatif::evaluate(&inputs);
        let current = rows.iter().find(|r| r.current).unwrap();
        assert_eq!(current.stage, "Emerging");
        assert_eq!(current.roi, own.roi.likely);
        assert_eq!(current.payback_month, own.payback_month.likely);
        // At 0% the NPV is the net value and the discounted payback the payback.
        assert_eq!(current.npv, Some(own.net_value.likely));
        assert_eq!(current.discounted_payback_month, own.payback_month.likely);
        // Cheaper and faster with maturity.
        let roi: Vec<f64> = rows.iter().map(|r| r.roi.unwrap()).collect();
        assert!(roi.windows(2).all(|w| w[0] < w[1]), "{roi:?}");
        let first = &rows[0];
        assert!((first.deployment_months, first.ramp_up_months) == (4.0, 3.0));
    }

    #[test]
    fn unusable_rate_gives_no_npv_and_says_why() {
        let out = whatif::evaluate(&base_inputs());
        let err = discounted_band(&out.timeline, -1.0).unwrap_err();
        assert!(err.contains("-100%"), "{err}");
        let rows = by_maturity(
            &base_inputs(),
            &MaturityTable::default(),
            Maturity::Advanced,
            -2.0,
        );
        assert!(rows.iter().all(|r| r.npv.is_none()));
    }

    fn project_with_history() -> Project {
        let mut p = Project::named("p");
        let comparison = |treatment: &str, diff: f64| Comparison {
            treatment: treatment.into(),
            diff: Some(diff),
            ..Comparison::default()
        };
        p.evidence.experiments.push(ExperimentAnalysis {
            id: "e1".into(),
            name: "Offer test".into(),
            result: Some((
                CacheStamp::default(),
                ExperimentResult {
                    control: "control".into(),
                    metrics: vec![MetricResult {
                        metric: "monthly_churn_pct".into(),
                        comparisons: vec![comparison("a", -0.15), comparison("b", 0.02)],
                        ..MetricResult::default()
                    }],
                    ..ExperimentResult::default()
                },
            )),
            ..ExperimentAnalysis::default()
        });
        let points = [(0.70, 4.5), (0.72, 4.45), (0.74, 4.2), (0.75, 4.25)]
            .iter()
            .enumerate()
            .map(|(i, (x, y))| LinkPoint {
                label: format!("v{i}"),
                x: *x,
                y: *y,
            })
            .collect();
        p.evidence.links.push(LinkAnalysis {
            id: "l1".into(),
            name: "AUC and churn".into(),
            spec: crate::model::LinkSpec {
                x: "auc".into(),
                y: "monthly_churn_pct".into(),
                ..Default::default()
            },
            result: Some((
                CacheStamp::default(),
                LinkData {
                    result: LinkResult::default(),
                    points,
                },
            )),
        });
        p
    }

    #[test]
    fn realism_counts_past_changes_as_large_in_the_same_direction() {
        let p = project_with_history();
        let s = Scenario {
            ml_metric: "AUC".into(),
            business_metric: "Monthly churn".into(),
            ..Scenario::default()
        };
        let past = past_measured_effects(
            &p,
            &MetricQuery {
                names: vec!["Monthly churn".into()],
            },
        );
        // Two comparisons and three changes between consecutive points.
        assert_eq!(past.len(), 5);
        let check = realism_check(&p, &s, -0.1, 0.02);
        // −0.15 (experiment) and −0.25 (v1 to v2) did that well.
        assert_eq!(check.as_large, 2);
        assert_eq!(check.past_effects, 5);
        assert!(check.sentence.contains("2 of the 5"), "{}", check.sentence);
        assert_eq!(check.sources.len(), 2);
        // From the last point (0.75), +0.02 leaves the measured range 0.70 to 0.75.
        let warning = check.extrapolation.unwrap();
        assert!(warning.contains("outside"), "{warning}");
        assert!(realism_check(&p, &s, -0.1, -0.03).extrapolation.is_none());
    }

    #[test]
    fn nothing_to_compare_says_so() {
        let p = Project::named("p");
        let s = Scenario {
            business_metric: "Revenue".into(),
            ..Scenario::default()
        };
        let check = realism_check(&p, &s, 1.0, 1.0);
        assert_eq!(check.past_effects, 0);
        assert!(check.sentence.contains("no past measured changes"));
        assert!(check.extrapolation.is_none());
    }
}
