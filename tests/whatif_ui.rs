//! The What-if page driven through its UI by label: edit a scenario and see the ROI change; add,
//! duplicate, delete and undo scenarios; compare them; image snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Command, ThroughlineApp};
use throughline::format;
use throughline::model::{Project, scenario_outputs};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif.ron")
}

/// The app with the what-if fixture open on the What-if page.
fn open_fixture(tmp: &Path) -> Harness<'static, ThroughlineApp> {
    let mut h = common::harness(common::options(tmp));
    h.state_mut().send(Command::OpenProject(fixture()));
    h.run_ok();
    assert_eq!(
        h.state().project().unwrap().view.page,
        throughline::model::Page::WhatIf
    );
    h
}

fn likely_roi(project: &Project, index: usize) -> String {
    let o = scenario_outputs(project, &project.scenarios[index]).unwrap();
    format::percent(o.roi.likely.unwrap())
}

#[test]
fn editing_a_scenario_by_label_changes_the_roi() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    let before = likely_roi(h.state().project().unwrap(), 0);
    assert_eq!(before, "238%");
    h.get_by_label_contains(&format!("(ROI {before})"));

    // Type a new volume into the field labelled "Volume per month".
    let field = h.get_by_label("Volume per month");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    // A focused number field is edited as text.
    h.get_by_role_and_label(Role::SpinButton, "Volume per month")
        .type_text("300,000");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    h.run_ok();

    let project = h.state().project().unwrap();
    assert_eq!(project.scenarios[0].volume_per_month, 300_000.0);
    let after = likely_roi(project, 0);
    assert_ne!(after, before);
    // The headline and the table show the new ROI.
    h.get_by_label_contains(&format!("(ROI {after})"));
    assert!(
        h.query_by_label_contains(&format!("(ROI {before})"))
            .is_none()
    );
    assert!(h.state().is_dirty());

    // Undo brings the old volume and ROI back.
    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    assert_eq!(
        h.state().project().unwrap().scenarios[0].volume_per_month,
        210_000.0
    );
    h.get_by_label_contains(&format!("(ROI {before})"));
}

#[test]
fn new_duplicate_delete_and_undo() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    let count = |h: &Harness<'_, ThroughlineApp>| h.state().project().unwrap().scenarios.len();
    assert_eq!(count(&h), 3);

    common::click(&mut h, "Duplicate");
    assert_eq!(count(&h), 4);
    let p = h.state().project().unwrap();
    assert_eq!(p.scenarios[1].name, "Gradient boosting, AUC +0.02 (copy)");
    assert_ne!(p.scenarios[1].id, p.scenarios[0].id);
    assert_eq!(
        p.view.selected_scenario.as_deref(),
        Some(p.scenarios[1].id.as_str())
    );

    common::wait_secs(&mut h, 1.0);
    common::click(&mut h, "Delete");
    assert_eq!(count(&h), 3);
    h.get_by_label_contains("Deleted \"Gradient boosting, AUC +0.02 (copy)\"");

    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    assert_eq!(count(&h), 4, "undo brings the deleted scenario back");

    common::wait_secs(&mut h, 1.0);
    common::click(&mut h, "New scenario");
    assert_eq!(count(&h), 5);
    let p = h.state().project().unwrap();
    let new = p.scenarios.last().unwrap();
    assert_eq!(new.name, "Scenario 5");
    // Pre-filled from the project: the measured link and the objective.
    assert!(matches!(
        new.link,
        throughline::model::LinkSource::Measured { .. }
    ));
    assert_eq!(new.objective, "Monthly churn");
    assert_eq!(new.currency, "$");
    // Its name can be edited by label.
    common::type_into(&mut h, "Scenario name", " for churn");
    assert_eq!(
        h.state().project().unwrap().scenarios.last().unwrap().name,
        "Scenario 5 for churn"
    );
}

#[test]
fn a_new_project_offers_a_first_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::click(&mut h, "4   What-if");
    h.get_by_label("No scenarios yet");
    common::click(&mut h, "New scenario");
    let p = h.state().project().unwrap();
    assert_eq!(p.scenarios.len(), 1);
    // Without a measured link, the link is entered by hand.
    assert!(matches!(
        p.scenarios[0].link,
        throughline::model::LinkSource::Manual { .. }
    ));
    h.get_by_label("Link slope");
    // Until the value drivers are filled in, the page says what is missing.
    h.get_by_label("Fill in to see what this scenario is worth");
    h.get_by_label("•  Volume per month");
}

#[test]
fn comparison_lists_every_scenario_and_opens_one() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    common::click(&mut h, "Compare scenarios");
    h.get_by_label("Net value over time");
    let project = h.state().project().unwrap().clone();
    for (i, s) in project.scenarios.iter().enumerate() {
        h.get_by_role_and_label(Role::Link, &s.name);
        h.get_by_label(&likely_roi(&project, i));
    }
    h.get_by_role_and_label(Role::Link, "Deep model, AUC +0.03")
        .click();
    h.run_ok();
    assert_eq!(
        h.state()
            .project()
            .unwrap()
            .view
            .selected_scenario
            .as_deref(),
        Some("scenario-3")
    );
    // Back on the scenario view, with its inputs.
    h.get_by_label("Volume per month");
}

#[test]
fn snapshot_whatif_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    h.set_size(egui::vec2(1280.0, 1500.0));
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_scenario");
}

#[test]
fn snapshot_whatif_compare_dark() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    common::click(&mut h, "Compare scenarios");
    h.state_mut().send(Command::ToggleDarkMode);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_compare_dark");
}

#[test]
fn threshold_tab_shows_the_value_curve_and_the_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    common::click(&mut h, "Classifier threshold");
    h.get_by_label("Business value by threshold");
    h.get_by_label("Precision, recall and F1 by threshold");
    h.get_by_label_contains("Flagging scores of 0.494 or more earns 15,384");
    h.get_by_label_contains("earns 11,432 more");
    for label in [
        "True positive",
        "False positive",
        "False negative",
        "True negative",
    ] {
        h.get_by_role_and_label(Role::SpinButton, label);
    }
}

#[test]
fn snapshot_whatif_threshold() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    common::click(&mut h, "Classifier threshold");
    h.set_size(egui::vec2(1280.0, 1000.0));
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_threshold");
}

#[test]
fn snapshot_whatif_presentation() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_fixture(tmp.path());
    // Large text (View menu); F5 opens the deck.
    h.state_mut()
        .send(throughline::app::Command::TogglePresentation);
    h.run_ok();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("whatif_presentation");
}

#[test]
fn threshold_curve_is_computed_from_the_data_on_a_worker() {
    let tmp = tempfile::tempdir().unwrap();
    // The fixture's analysis, pointing at the sample fraud scores, without its saved result.
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fraud_scores.csv");
    std::fs::copy(&assets, tmp.path().join("scored-payments.csv")).unwrap();
    let mut project = throughline::io::load_project(&fixture()).unwrap();
    for t in &mut project.evidence.thresholds {
        t.result = None;
    }
    let path = tmp.path().join("fresh.ron");
    throughline::io::save_project(&project, &path).unwrap();

    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(path));
    h.run_ok();
    common::click(&mut h, "Classifier threshold");
    let mut waited = 0;
    while h.state().project().unwrap().evidence.thresholds[0]
        .result
        .is_none()
        && waited < 200
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_ok();
        waited += 1;
    }
    let project = h.state().project().unwrap();
    let (_, result) = project.evidence.thresholds[0].result.as_ref().unwrap();
    // The engine's figures on the same file, computed directly.
    let expected = throughline::data::aggregate::run_threshold(
        &tmp.path().join("scored-payments.csv"),
        &Default::default(),
        &project.evidence.thresholds[0].spec,
        &Default::default(),
    )
    .unwrap();
    assert_eq!(result.best_value_threshold, expected.best_value_threshold);
    assert_eq!(result.best_value, expected.best_value);
    let before = result.best_value;
    h.run_ok();
    h.get_by_label_contains("Choosing the threshold by value earns");
    // Changing the value matrix recomputes the curve.
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .thresholds[0]
        .spec
        .value_fp = -40.0;
    let mut waited = 0;
    while h.state().project().unwrap().evidence.thresholds[0]
        .result
        .as_ref()
        .map(|(_, r)| r.best_value)
        == Some(before)
        && waited < 200
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_ok();
        waited += 1;
    }
    let after = h.state().project().unwrap().evidence.thresholds[0]
        .result
        .as_ref()
        .and_then(|(_, r)| r.best_value);
    assert!(after < before, "a dearer false alarm lowers the best value");
}
