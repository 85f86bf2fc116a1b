//! One name per metric (issue 16 item 1): verdicts, headlines and the report speak the names
//! people use (the framing's objectives, else the column made readable), a name typed on the
//! Data page changes every verdict (and is undone like any edit), a score moves "by 0.01" while
//! only rates move by percentage points, and the names round-trip through the project file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::model::{EvidenceTab, MetricInfo, Page};

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

/// The churn example, opened on the Evidence page with its saved results.
fn churn(tmp: &std::path::Path, tab: EvidenceTab) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), 3400.0);
    h.state_mut()
        .send(throughline::app::Command::NewFromExample(
            common::examples_dir().join("churn-prediction.ron"),
        ));
    h.run_ok();
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .view
        .evidence
        .tab = tab;
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    h
}

#[test]
fn the_verdict_says_the_framings_name_and_follows_a_rename_on_the_data_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path(), EvidenceTab::Experiments);
    // `churned_30d` is the framing's "Monthly churn".
    h.get_by_label_contains("model_targeting lowered monthly churn from 3.93% to 3.37%");
    assert!(
        h.query_by_label_contains("lowered churned_30d").is_none(),
        "no verdict speaks in column names"
    );
    h.get_by_label_contains("Monthly churn · business metric");
    // Renamed on the Data page…
    common::click(&mut h, "2   Data");
    common::settle_jobs(&mut h);
    common::click(&mut h, "churn_offer_test.csv");
    common::type_into(&mut h, "churned_30d", "Subscribers lost in 30 days");
    common::wait_secs(&mut h, 1.5);
    assert_eq!(
        h.state().project().unwrap().metric_names["churned_30d"].name,
        "Subscribers lost in 30 days"
    );
    // …every verdict follows, without recomputing.
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    h.get_by_label_contains(
        "model_targeting lowered subscribers lost in 30 days from 3.93% to 3.37%",
    );
    h.get_by_label_contains("Subscribers lost in 30 days · business metric");
    // The rename is an edit like any other: undo brings the framing's name back.
    common::press_command(&mut h, egui::Key::Z);
    evidence_fixture::settle(&mut h);
    assert!(h.state().project().unwrap().metric_names.is_empty());
    h.get_by_label_contains("model_targeting lowered monthly churn from 3.93% to 3.37%");
}

#[test]
fn a_score_moves_by_hundredths_not_percentage_points() {
    let tmp = tempfile::tempdir().unwrap();
    let h = churn(tmp.path(), EvidenceTab::Link);
    // AUC is a score between 0 and 1: its steps are "+0.01", never "+1 pp"; the business
    // metric is the framing's "Monthly churn".
    h.get_by_label_contains("Each +0.01 of AUC came with");
    assert!(h.query_all_by_label_contains("monthly churn").count() >= 1);
    assert!(h.query_by_label_contains("+1 pp of").is_none());
    assert!(
        h.query_by_label_contains("per percentage point of AUC")
            .is_none()
    );
    h.get_by_label_contains("per 0.01 of AUC");
}

#[test]
fn the_report_speaks_display_names_and_lists_columns_beside_them() {
    let project =
        throughline::io::load_project(&common::examples_dir().join("churn-prediction.ron"))
            .unwrap();
    let md =
        throughline::io::report::render(&project, throughline::io::report::ReportFormat::Markdown);
    assert!(
        md.contains("model\\_targeting lowered monthly churn from 3.93% to 3.37%"),
        "{md}"
    );
    assert!(!md.contains("lowered churned_30d"), "{md}");
    assert!(!md.contains("in auc"), "{md}");
    // Where columns are listed, the name comes first and the column beside it.
    assert!(md.contains("Monthly churn (churned\\_30d)"), "{md}");
}

#[test]
fn names_typed_on_the_data_page_round_trip_and_an_unnamed_project_is_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let example = common::examples_dir().join("churn-prediction.ron");
    let mut project = throughline::io::load_project(&example).unwrap();
    // Without names, the file is written exactly as before (no new key).
    let unnamed = tmp.path().join("unnamed.ron");
    throughline::io::save_project(&project, &unnamed).unwrap();
    let text = std::fs::read_to_string(&unnamed).unwrap();
    assert!(!text.contains("metric_names"));
    project.set_metric_info(
        "churned_30d",
        MetricInfo {
            name: "Subscribers lost".into(),
            unit: "% a month".into(),
            direction: Some(throughline::model::Direction::LowerIsBetter),
        },
    );
    project.view.page = Page::Data;
    let named = tmp.path().join("named.ron");
    throughline::io::save_project(&project, &named).unwrap();
    let back = throughline::io::load_project(&named).unwrap();
    assert_eq!(back.metric_names, project.metric_names);
    assert_eq!(back.metric_info("churned_30d").name, "Subscribers lost");
    assert_eq!(back.metric_info("churned_30d").unit, "% a month");
    // Saved again, byte for byte the same.
    let again = tmp.path().join("again.ron");
    throughline::io::save_project(&back, &again).unwrap();
    assert_eq!(
        std::fs::read(&named).unwrap(),
        std::fs::read(&again).unwrap()
    );
}
