//! The numbers a user enters (targets, scenario figures, value matrices, maturity, weights)
//! must be numbers: RON reads `NaN` and `inf` as floats, and a hand-edited project holding one
//! would give silent nonsense (a volume of NaN counts as nothing). Computed results are left
//! alone: they follow from the data and are recomputed when stale.

use crate::model::{DecisionRole, LinkSource, Project};

/// The first entered number that is not finite: where it is, in words, and its value.
pub(crate) fn first_non_finite(project: &Project) -> Option<(String, f64)> {
    let mut found: Option<(String, f64)> = None;
    let mut check = |what: &dyn Fn() -> String, value: f64| {
        if found.is_none() && !value.is_finite() {
            found = Some((what(), value));
        }
    };
    let framing = &project.framing;
    for o in &framing.objectives {
        for (field, value) in [("baseline", o.baseline), ("target", o.target)] {
            if let Some(v) = value {
                check(
                    &|| format!("the {field} of the objective \"{}\"", o.metric),
                    v,
                );
            }
        }
    }
    for o in &framing.decoupled.objectives {
        check(&|| format!("the weight of \"{}\"", o.name), o.weight);
    }
    for item in &framing.decoupled.preview_items {
        for &score in &item.scores {
            check(
                &|| format!("a score of the preview item \"{}\"", item.name),
                score,
            );
        }
    }
    for s in &project.scenarios {
        let named = |field: &str| format!("the {field} of the scenario \"{}\"", s.name);
        let fields = [
            ("ML change", s.ml_change),
            ("volume per month", s.volume_per_month),
            ("value per unit", s.value_per_unit),
            ("engineering months", s.engineering_months),
            ("engineering rate per month", s.engineering_rate_per_month),
            ("cloud cost per month", s.cloud_cost_per_month),
            ("one-off costs", s.one_off_costs),
            ("discount rate", s.discount_rate),
        ];
        for (field, value) in fields {
            check(&|| named(field), value);
        }
        for (field, value) in [
            ("months to deploy", s.deployment_months),
            ("months to ramp up", s.ramp_up_months),
        ] {
            if let Some(v) = value {
                check(&|| named(field), v);
            }
        }
        if let LinkSource::Manual { slope, low, high } = s.link {
            for (field, value) in [
                ("link slope", slope),
                ("link's low bound", low),
                ("link's high bound", high),
            ] {
                check(&|| named(field), value);
            }
        }
    }
    for stage in &project.maturity_table.stages {
        let named = |field: &str| format!("the {field} of the maturity stage {:?}", stage.stage);
        for (field, value) in [
            ("months to deploy", stage.deployment_months),
            ("months to ramp up", stage.ramp_up_months),
            ("engineering multiplier", stage.engineering_multiplier),
            ("cloud multiplier", stage.cloud_multiplier),
        ] {
            check(&|| named(field), value);
        }
    }
    let evidence = &project.evidence;
    for a in &evidence.experiments {
        check(
            &|| format!("the significance level of \"{}\"", a.name),
            a.spec.alpha,
        );
        for m in &a.spec.metrics {
            if let DecisionRole::Guardrail { margin } = m.role {
                check(
                    &|| format!("the guardrail margin of \"{}\"", m.column),
                    margin,
                );
            }
        }
        for (variant, share) in &a.spec.expected_split {
            check(&|| format!("the expected share of \"{variant}\""), *share);
        }
    }
    for a in &evidence.thresholds {
        let s = &a.spec;
        for value in [s.value_tp, s.value_fp, s.value_fn, s.value_tn] {
            check(&|| format!("the value matrix of \"{}\"", a.name), value);
        }
    }
    for a in &evidence.links {
        check(
            &|| format!("the significance level of \"{}\"", a.name),
            a.spec.alpha,
        );
    }
    for a in &evidence.metas {
        check(
            &|| format!("the significance level of \"{}\"", a.name),
            a.spec.alpha,
        );
    }
    found
}
