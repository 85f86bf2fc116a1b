//! Exporting the What-if plots: each chart has an Export menu that saves its data as CSV (the
//! exact figures of the scenario outputs or the threshold curve) and its picture as PNG. The
//! in-app path prompt stands in for the system's save dialog.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use std::path::Path;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;
use throughline::model::scenario_outputs;

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn open(tmp: &Path, file: &Path) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), 2600.0);
    h.state_mut().send(Command::OpenProject(file.to_path_buf()));
    h.run_ok();
    common::click(&mut h, "4   What-if");
    evidence_fixture::settle(&mut h);
    h
}

/// Choose `entry` in the `nth` Export menu on the page and save to `path` through the prompt.
fn export(h: &mut H, nth: usize, entry: &str, path: &Path) {
    h.query_all_by_label("Export")
        .nth(nth)
        .expect("an Export menu under the plot")
        .scroll_to_me();
    h.run_ok();
    h.query_all_by_label("Export")
        .nth(nth)
        .expect("an Export menu under the plot")
        .click();
    h.run_ok();
    common::click(h, entry);
    common::answer_path_prompt(h, path);
    evidence_fixture::settle(h);
}

#[test]
fn scenario_charts_export_their_figures_and_pictures() {
    let tmp = tempfile::tempdir().unwrap();
    let example = common::examples_dir().join("churn-prediction.ron");
    let mut h = open(tmp.path(), &example);
    let project = h.state().project().unwrap().clone();
    let outputs = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    assert_eq!(
        h.query_all_by_label("Export").count(),
        3,
        "the cumulative chart, the by-maturity chart and the sensitivity chart"
    );

    // Cumulative value and cost: one row per month, every digit.
    let csv_path = tmp.path().join("cumulative.csv");
    export(&mut h, 0, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).expect("the CSV was written");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "Month,Cumulative value (low),Cumulative value (likely),Cumulative value (high),\
             Cumulative cost"
        )
    );
    assert_eq!(lines.count(), outputs.timeline.len());
    let last = outputs.timeline.last().unwrap();
    let expected_end = format!(
        "{},{},{},{},{}",
        last.month,
        last.cumulative_value.low,
        last.cumulative_value.likely,
        last.cumulative_value.high,
        last.cumulative_cost
    );
    assert_eq!(csv.lines().last(), Some(expected_end.as_str()));

    // By maturity: one row per stage, every digit, the scenario's own stage marked.
    let csv_path = tmp.path().join("by-maturity.csv");
    export(&mut h, 1, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.starts_with(
            "Maturity stage,This scenario's stage,Deployment months,Ramp-up months,Total cost,\
             Net value,ROI,NPV at 8%,Payback month,Discounted payback month"
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + outputs.by_maturity.len());
    let own = outputs.by_maturity.iter().find(|r| r.current).unwrap();
    assert!(
        csv.contains(&format!(
            "{},yes,{},{},{},{},{},{},",
            own.stage,
            own.deployment_months,
            own.ramp_up_months,
            own.total_cost,
            own.net_value,
            own.roi.unwrap(),
            own.npv.unwrap()
        )),
        "{csv}"
    );

    // Sensitivity of ROI: one row per assumption that moves it.
    let csv_path = tmp.path().join("sensitivity.csv");
    export(&mut h, 2, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("Assumption,ROI when 20% lower,ROI when 20% higher"));
    assert!(csv.contains("Volume per month,"));

    // The picture of the cumulative chart.
    let png_path = tmp.path().join("cumulative.png");
    export(&mut h, 0, "Save picture (PNG)…", &png_path);
    let bytes = std::fs::read(&png_path).expect("the PNG was written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Taken once the path prompt has gone: the plot's light background is not dimmed by the
    // prompt's backdrop.
    let picture = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert!(picture.width() > 300 && picture.height() > 200);
    let brightest = picture
        .pixels()
        .map(|p| p.0[0].min(p.0[1]).min(p.0[2]))
        .max();
    assert!(brightest.unwrap() > 240, "dimmed picture: {brightest:?}");

    // The comparison of all scenarios: one row per scenario and month.
    common::click(&mut h, "Compare scenarios");
    evidence_fixture::settle(&mut h);
    let csv_path = tmp.path().join("compare.csv");
    export(&mut h, 0, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let months: usize = project
        .scenarios
        .iter()
        .map(|s| scenario_outputs(&project, s).unwrap().timeline.len())
        .sum();
    assert_eq!(csv.lines().count(), 1 + months);
    // The first scenario's name holds a comma, so it is quoted.
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("\"{}\",0,", project.scenarios[0].name))
    );
}

#[test]
fn threshold_curves_export_the_whole_curve() {
    let tmp = tempfile::tempdir().unwrap();
    let example = common::examples_dir().join("card-fraud-detection.ron");
    let mut h = open(tmp.path(), &example);
    common::click(&mut h, "Classifier threshold");
    evidence_fixture::settle(&mut h);
    let project = h.state().project().unwrap().clone();
    let (_, result) = project.evidence.thresholds[0].result.clone().unwrap();
    assert_eq!(h.query_all_by_label("Export").count(), 2);
    let csv_path = tmp.path().join("threshold.csv");
    export(&mut h, 1, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("Threshold,Business value,Precision,Recall,F1\r\n"));
    assert_eq!(csv.lines().count(), 1 + result.curve.len());
    let best = result.best_value_threshold.unwrap();
    let best_value = result.best_value.unwrap();
    assert!(
        csv.contains(&format!("\r\n{best},{best_value},")),
        "the best-value point with every digit"
    );
}
