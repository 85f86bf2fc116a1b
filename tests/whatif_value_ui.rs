//! The honest-value parts of the What-if page, driven by label: NPV and discounted payback in
//! the results, the realism check, the By maturity chart and the project's maturity table;
//! image snapshots of the by-maturity chart and of the scenario panel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Command, ThroughlineApp};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join(name)
}

/// The app with an example open on the What-if page, showing one scenario.
fn open_on_whatif(
    tmp: &Path,
    file: &str,
    scenario: Option<&str>,
) -> Harness<'static, ThroughlineApp> {
    let mut h = common::harness(common::options(tmp));
    h.state_mut().send(Command::OpenProject(example(file)));
    h.run_ok();
    h.state_mut()
        .send(Command::ShowPage(throughline::model::Page::WhatIf));
    h.run_ok();
    if let Some(id) = scenario {
        h.state_mut()
            .ws
            .doc
            .as_mut()
            .unwrap()
            .project
            .view
            .selected_scenario = Some(id.into());
        h.run_ok();
    }
    h
}

#[test]
fn results_show_npv_realism_and_every_maturity_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let h = open_on_whatif(tmp.path(), "churn-prediction.ron", Some("scenario-3"));
    for label in ["NPV at 8%", "Discounted payback"] {
        assert!(
            h.query_all_by_label(label).count() >= 2,
            "{label}: results and by maturity"
        );
    }
    h.get_by_label_contains("from a correlation across experiments, not a controlled test");
    h.get_by_label_contains("5 of the 17 past measured changes did that well");
    h.get_by_label("By maturity");
    for stage in ["First ML project", "Emerging", "Established", "Advanced"] {
        assert!(
            h.query_all_by_label(stage).next().is_some(),
            "{stage} missing"
        );
    }
    assert!(
        !h.state().is_dirty(),
        "looking at a scenario changed the project"
    );
}

#[test]
fn editing_the_maturity_table_changes_the_comparison_and_can_be_reset() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "card-fraud-detection.ron", None);
    let project = h.state().project().unwrap().clone();
    let before = throughline::model::scenario_outputs(&project, &project.scenarios[0]).unwrap();
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .maturity_table
        .stage_mut(throughline::model::Maturity::FirstProject)
        .engineering_multiplier = 3.0;
    h.run_ok();
    let project = h.state().project().unwrap().clone();
    let after = throughline::model::scenario_outputs(&project, &project.scenarios[0]).unwrap();
    assert!(after.by_maturity[0].roi < before.by_maturity[0].roi);
    // The scenario's own stage (Established) keeps its figures.
    assert_eq!(after.roi, before.roi);
    h.set_size(egui::vec2(1280.0, 900.0));
    h.run_ok();
    h.get_by_label("Maturity table (this project)")
        .scroll_to_me();
    h.run_ok();
    common::click(&mut h, "Maturity table (this project)");
    h.run_steps(10);
    h.get_by_label_contains("Changed from the defaults: First ML project");
    common::click(&mut h, "Reset to the defaults");
    assert!(h.state().project().unwrap().maturity_table.is_default());
}

#[test]
fn a_new_scenario_is_discounted_at_8_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "card-fraud-detection.ron", None);
    common::click(&mut h, "New scenario");
    let p = h.state().project().unwrap();
    assert_eq!(p.scenarios.last().unwrap().discount_rate, 0.08);
    h.get_by_label("Discount rate");
}

#[test]
fn snapshot_whatif_by_maturity() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "churn-prediction.ron", Some("scenario-3"));
    h.set_size(egui::vec2(1280.0, 900.0));
    h.run_ok();
    h.get_by_label("By maturity").scroll_to_me();
    h.run_ok();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_by_maturity");
}

#[test]
fn snapshot_whatif_direct_evidence_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "churn-prediction.ron", Some("scenario-4"));
    h.set_size(egui::vec2(1280.0, 1300.0));
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_direct_evidence");
}

#[test]
fn snapshot_summary_scenario_values() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "churn-prediction.ron", None);
    h.state_mut()
        .send(Command::ShowPage(throughline::model::Page::Summary));
    h.set_size(egui::vec2(1280.0, 1100.0));
    h.run_ok();
    h.get_by_label("What-if scenarios").scroll_to_me();
    h.run_ok();
    // What each scenario is worth, before its inputs.
    assert!(h.query_all_by_label_contains("€1.24M").count() >= 1);
    assert!(h.query_all_by_label("ROI by maturity").count() >= 1);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("summary_scenario_values");
}

#[test]
fn a_scenario_can_take_its_business_change_from_an_experiment() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "churn-prediction.ron", Some("scenario-1"));
    common::click(&mut h, "Experiment result");
    let p = h.state().project().unwrap();
    let s = p.scenarios.iter().find(|s| s.id == "scenario-1").unwrap();
    // Business metrics first: the offer test's churn.
    assert_eq!(
        s.link,
        throughline::model::LinkSource::Experiment {
            experiment_id: "offer-test".into(),
            metric: "churned_30d".into(),
            treatment: "model_targeting".into(),
        }
    );
    h.get_by_label("Measured difference");
    h.get_by_label_contains("The value rests on a controlled test.");
    assert!(h.state().is_dirty());
}

#[test]
fn the_discount_rate_is_typed_in_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_on_whatif(tmp.path(), "card-fraud-detection.ron", None);
    let field = h.get_by_label("Discount rate");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(egui::accesskit::Role::SpinButton, "Discount rate")
        .type_text("12");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();
    let rate = h.state().project().unwrap().scenarios[0].discount_rate;
    assert!((rate - 0.12).abs() < 1e-12, "{rate}");
    assert!(h.query_all_by_label("NPV at 12%").count() >= 1);
}

#[test]
fn a_rate_of_minus_100_percent_from_a_file_is_shown_with_a_warning_not_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let mut project = throughline::io::load_project(&example("card-fraud-detection.ron")).unwrap();
    project.scenarios[0].discount_rate = -1.5;
    let path = tmp.path().join("bad-rate.ron");
    throughline::io::save_project(&project, &path).unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(path));
    h.run_ok();
    h.state_mut()
        .send(Command::ShowPage(throughline::model::Page::WhatIf));
    h.run_ok();
    h.run_ok();
    h.get_by_label_contains("the discount rate must be above -100% a year, not -150%");
    assert_eq!(
        h.state().project().unwrap().scenarios[0].discount_rate,
        -1.5
    );
    assert!(!h.state().is_dirty());
}
