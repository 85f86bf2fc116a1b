//! `throughline whatif`: outputs without a window, JSON keys as the UI labels them, exit codes and
//! `error:` lines as CONTRACT.md asks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use throughline::model::{LinkSource, Project, Scenario, scenario_outputs};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif.ron")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn json_output_names_each_output_as_the_ui_does() {
    let path = fixture();
    let out = run(&["whatif", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["project"], "Churn what-if");
    let scenarios = json["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 3);
    let first = &scenarios[0];
    for key in [
        "scenario",
        "business_change",
        "monthly_value",
        "total_value",
        "total_cost",
        "net_value",
        "roi",
        "payback_month",
        "ml_change_to_break_even",
        "ml_change_to_reach_target",
        "sensitivity_of_roi",
        "timeline",
        "warnings",
        "discount_rate",
        "npv",
        "discounted_payback_month",
        "by_maturity",
        "realism",
        "evidence",
    ] {
        assert!(first.get(key).is_some(), "missing key {key}");
    }
    // The same figures as the library (and so the What-if page).
    let project = throughline::io::load_project(&path).unwrap();
    let o = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    assert_eq!(
        first["roi"]["likely"].as_f64().unwrap(),
        o.roi.likely.unwrap()
    );
    assert_eq!(first["payback_month"]["likely"], 8);
    assert_eq!(first["payback_month"]["low"], 15);
    let low = first["net_value"]["low"].as_f64().unwrap();
    let likely = first["net_value"]["likely"].as_f64().unwrap();
    let high = first["net_value"]["high"].as_f64().unwrap();
    assert!(low <= likely && likely <= high);
    assert_eq!(first["ml_change_to_break_even"]["within_months"], 12);
    assert_eq!(
        first["ml_change_to_reach_target"]["objective"],
        "Monthly churn"
    );
    // A scenario that never pays back has null payback.
    assert!(scenarios[2]["payback_month"]["low"].is_null());
    assert_eq!(
        first["sensitivity_of_roi"][0]["assumption"]
            .as_str()
            .map(|s| !s.is_empty()),
        Some(true)
    );
}

#[test]
fn one_scenario_by_name_as_text() {
    let path = fixture();
    let out = run(&[
        "whatif",
        path.to_str().unwrap(),
        "--scenario",
        "Quick win, AUC +0.01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Scenario: Quick win, AUC +0.01"), "{text}");
    assert!(!text.contains("Deep model"), "{text}");
    for label in ["Monthly value", "Net value", "ROI", "Payback month"] {
        assert!(text.contains(label), "{label} missing from {text}");
    }
    assert!(text.contains("ML change to break even in 12 months"));
}

#[test]
fn unknown_scenario_lists_those_that_exist() {
    let path = fixture();
    let out = run(&["whatif", path.to_str().unwrap(), "--scenario", "Nope"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.lines().all(|l| l.starts_with("error:")), "{err}");
    assert!(err.contains("\"Nope\""), "{err}");
    assert!(err.contains("\"Gradient boosting, AUC +0.02\""), "{err}");
    assert!(err.contains("\"Deep model, AUC +0.03\""), "{err}");
}

#[test]
fn missing_file_and_bad_usage() {
    let out = run(&["whatif", "/no/such/project.ron"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error:"));
    assert!(stderr(&out).contains("/no/such/project.ron"));
    let out = run(&["whatif"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_scenario_that_cannot_be_projected_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p.ron");
    let mut project = Project::named("Broken link");
    project.scenarios.push(Scenario {
        id: "a".into(),
        name: "Uses a missing link".into(),
        link: LinkSource::Measured {
            link_id: "gone".into(),
        },
        ..Scenario::default()
    });
    project.scenarios.push(Scenario {
        id: "b".into(),
        name: "Fine".into(),
        ml_change: 1.0,
        link: LinkSource::Manual {
            slope: 1.0,
            low: 0.5,
            high: 2.0,
        },
        volume_per_month: 10.0,
        value_per_unit: 10.0,
        one_off_costs: 100.0,
        ..Scenario::default()
    });
    throughline::io::save_project(&project, &path).unwrap();
    let out = run(&["whatif", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: scenario \"Uses a missing link\""));
    // The other scenario is still reported.
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["scenarios"][0]["scenario"], "Fine");
    // No NaN: zero costs give a null ROI.
    let text = stdout(&out);
    assert!(!text.contains("NaN"));
}

#[test]
fn a_project_without_scenarios_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("empty.ron");
    throughline::io::save_project(&Project::named("Empty"), &path).unwrap();
    let out = run(&["whatif", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("no what-if scenarios"));
    let out = run(&["whatif", path.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["scenarios"].as_array().unwrap().len(), 0);
}
