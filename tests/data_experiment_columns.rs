//! The Data page's columns for experiments beyond plain metrics: a pre-experiment value is
//! recognised with the metric it belongs to (CUPED), and a ratio metric is defined, named and
//! removed; a new experiment analysis then uses both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Command, ThroughlineApp};
use throughline::model::{ColumnRole, Project};

fn write_test(path: &Path) {
    let mut text = String::from("user_id,variant,revenue,pre_revenue,sessions,country\n");
    for i in 0..300 {
        text.push_str(&format!(
            "u{i},{},{}.5,{}.25,{},{}\n",
            ["control", "treatment"][i % 2],
            i % 17,
            i % 13,
            1 + i % 9,
            ["DE", "FR", "US"][i % 3]
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn project<'a>(h: &'a Harness<'_, ThroughlineApp>) -> &'a Project {
    h.state().project().unwrap()
}

#[test]
fn pre_experiment_value_and_ratio_metric_on_the_data_page() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("test.csv");
    write_test(&csv);
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1400.0);
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv]));
    common::settle_jobs(&mut h);
    let pre = project(&h).datasets[0]
        .columns
        .iter()
        .find(|c| c.name == "pre_revenue")
        .unwrap()
        .clone();
    assert_eq!(pre.role, ColumnRole::PreExperiment);
    assert_eq!(pre.metric.as_deref(), Some("revenue"));
    // The Metric column appears for the pre-experiment value.
    h.get_by_label("Metric");
    h.get_by_label("Ratio metrics");

    common::click(&mut h, "Add a ratio metric");
    h.run_ok();
    let ratios = &project(&h).datasets[0].ratio_metrics;
    assert_eq!(ratios.len(), 1);
    assert_eq!(
        ratios[0].denominator, "sessions",
        "a session-like column divides"
    );
    assert_eq!(ratios[0].numerator, "revenue");
    assert_eq!(ratios[0].name(), "revenue per sessions");
    common::type_into(&mut h, "Ratio name", "revenue per session");
    h.run_ok();

    // A new experiment analysis takes both: CUPED on revenue, and the ratio.
    common::click(&mut h, "3   Evidence");
    h.run_ok();
    common::click(&mut h, "New experiment analysis");
    common::settle_jobs(&mut h);
    let spec = &project(&h).evidence.experiments[0].spec;
    let revenue = spec
        .metrics
        .iter()
        .find(|m| m.column == "revenue" && m.denominator.is_none());
    assert_eq!(
        revenue.unwrap().covariate.as_deref(),
        Some("pre_revenue"),
        "{spec:?}"
    );
    assert!(
        spec.metrics
            .iter()
            .any(|m| m.denominator.as_deref() == Some("sessions")),
        "{spec:?}"
    );
    assert!(!spec.metrics.iter().any(|m| m.column == "pre_revenue"));

    // Removing the ratio on the Data page.
    common::click(&mut h, "2   Data");
    h.run_ok();
    common::click(&mut h, "Remove");
    h.run_ok();
    assert!(project(&h).datasets[0].ratio_metrics.is_empty());
}
