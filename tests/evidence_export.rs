//! Exporting an Evidence plot: its data as CSV and its picture as PNG, through the Export menu
//! under the plot (the in-app path prompt stands in for the system's save dialog).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Document;

fn save_through_prompt(
    h: &mut egui_kittest::Harness<'static, throughline::app::ThroughlineApp>,
    menu_entry: &str,
    path: &std::path::Path,
) {
    common::click(h, "Export");
    common::click(h, menu_entry);
    common::answer_path_prompt(h, path);
    evidence_fixture::settle(h);
}

#[test]
fn the_lift_chart_exports_its_data_and_its_picture() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    h.state_mut().ws.doc = Some(Document::new(evidence_fixture::cached_project(false), None));
    evidence_fixture::settle(&mut h);

    // The data, as CSV: one row per treatment and metric with the exact figures.
    let csv_path = tmp.path().join("lift.csv");
    save_through_prompt(&mut h, "Save data (CSV)…", &csv_path);
    let csv = std::fs::read_to_string(&csv_path).expect("the CSV was written");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "metric,metric_name,metric_type,kind,treatment,control,rel_lift,rel_ci_low,rel_ci_high,diff,\
             diff_ci_low,diff_ci_high,p_value,p_value_holm,verdict"
        )
    );
    let revenue = csv
        .lines()
        .find(|l| l.starts_with("revenue_usd,Revenue,business,mean,bigger_model,control,"))
        .expect("a row for bigger_model on revenue");
    // Every digit, so the file can be checked against the engine's result.
    let expected = evidence_fixture::experiment_result(false);
    let c = &expected.metrics[0].comparisons[0];
    assert_eq!(c.treatment, "bigger_model");
    let rel_lift = format!(",{},", c.rel_lift.unwrap());
    let p_value = format!(",{},", c.p_value.unwrap());
    assert!(
        revenue.contains(&rel_lift),
        "relative lift {rel_lift}: {revenue}"
    );
    assert!(revenue.contains(&p_value), "p-value {p_value}: {revenue}");
    assert_eq!(csv.lines().count(), 1 + 6, "3 metrics × 2 treatments");
    assert!(
        h.state()
            .ws
            .messages
            .status
            .as_deref()
            .is_some_and(|s| s.contains("Saved the data of \"Lift per metric\"")),
        "the status bar says where it went"
    );

    // The picture, as PNG: a crop of the window around the plot.
    let png_path = tmp.path().join("lift");
    save_through_prompt(&mut h, "Save picture (PNG)…", &png_path);
    let png_path = png_path.with_extension("png");
    let bytes = std::fs::read(&png_path).expect("the PNG was written (with its extension added)");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk: the plot is nearly as wide as the page.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert!(width > 700 && width < 1280, "width {width}");
    assert!(height > 200 && height < 800, "height {height}");
}

#[test]
fn exporting_a_plot_that_is_not_on_screen_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().ws.doc = Some(Document::new(evidence_fixture::cached_project(false), None));
    evidence_fixture::settle(&mut h);
    let export = throughline::app::PlotExport {
        title: "Nowhere".into(),
        plot_id: egui::Id::unique("no such plot"),
        format: throughline::app::ExportFormat::Png,
        table: Default::default(),
    };
    h.state_mut().send(throughline::app::Command::ExportPlot {
        path: tmp.path().join("x.png"),
        export,
    });
    h.run_ok();
    h.get_by_label_contains("is not on screen");
    assert!(!tmp.path().join("x.png").exists());
}
