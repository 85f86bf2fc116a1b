//! The Evidence page on a project whose data files are missing: the saved results are shown,
//! marked as such. Drives each view by label and checks the figures and verdicts shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Document;

/// Open `project` as a new, unsaved document (no file path, so the snapshots are the same on
/// every machine).
fn open(
    project: throughline::model::Project,
) -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, throughline::app::ThroughlineApp>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    h.state_mut().ws.doc = Some(Document::new(project, None));
    evidence_fixture::settle(&mut h);
    (tmp, h)
}

#[test]
fn snapshot_views_with_saved_results() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(true));
    h.get_by_label_contains("cannot be found");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_cached_experiments");
    for (tab, name) in [
        ("ML vs business", "evidence_cached_link"),
        ("Over time", "evidence_cached_timeline"),
        ("Distributions", "evidence_cached_distribution"),
    ] {
        common::click(&mut h, tab);
        evidence_fixture::settle(&mut h);
        h.remove_cursor();
        h.run_ok();
        h.snapshot(name);
    }
}

#[test]
fn snapshot_link_in_dark_presentation_mode() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(false));
    h.state_mut().settings.dark_mode = true;
    h.state_mut().settings.presentation = true;
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .view
        .evidence
        .tab = throughline::model::EvidenceTab::Link;
    evidence_fixture::settle(&mut h);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_cached_link_dark_presentation");
}

#[test]
fn experiment_view_shows_verdicts_tables_and_the_srm_banner() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(true));
    h.get_by_label("Do not trust these results yet");
    h.get_by_label_contains("Sample ratio mismatch: the variants received control 6000");
    h.get_by_label_contains(
        "bigger_model raised the average revenue from 1.2 to 1.29 (+7.42%, 95% CI +2.09% to \
         +12.7%)",
    );
    h.get_by_label("Business metrics");
    h.get_by_label("ML metrics");
    // Tables: units, shares and differences in percentage points.
    h.get_by_label("Revenue · business metric · mean");
    h.get_by_label("Retained in 30 days · business metric · proportion");
    assert_eq!(
        h.query_all_by_label("41.2%").count(),
        1,
        "control's retention"
    );
    h.get_by_label("+1.89 pp");
    h.get_by_label("+0.155 pp to +3.63 pp");
    h.get_by_label("+7.42%");
    // Plain p-values, then Holm-adjusted ones after the toggle.
    assert!(h.query_by_label("p-value (Holm)").is_none());
    assert!(h.query_by_label("0.0048").is_some());
    common::click(&mut h, "Holm-adjusted p-values");
    assert!(
        h.state().project().unwrap().evidence.experiments[0]
            .spec
            .holm
    );
    assert_eq!(h.query_all_by_label("p-value (Holm)").count(), 3);
    assert!(h.query_by_label("0.0096").is_some(), "0.0048 adjusted");
    assert!(h.query_by_label("0.0048").is_none());
}

#[test]
fn without_a_sample_ratio_problem_there_is_no_banner() {
    let (_tmp, h) = open(evidence_fixture::cached_project(false));
    assert!(h.query_by_label_contains("Sample ratio mismatch").is_none());
}

#[test]
fn link_view_says_how_much_the_business_moved_per_step_of_the_ml_metric() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(false));
    common::click(&mut h, "ML vs business");
    h.get_by_label(
        "Each +1 pp of accuracy came with +0.17 revenue per user (95% CI 0.15 to 0.19) \
         across 24 experiments.",
    );
    h.get_by_label_contains("0.96 (95% interval 0.91 to 0.98), p < 0.001");
    h.get_by_label("24 experiments");
    // Selecting an experiment in one plot highlights it everywhere and names it.
    h.state_mut().ws.pages.link_selected = Some(("link".into(), 4));
    h.run_ok();
    h.get_by_label_contains("Highlighted: exp-05: Accuracy");
}

#[test]
fn over_time_view_marks_the_deployments() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(false));
    common::click(&mut h, "Over time");
    h.get_by_label("Deployments (dashed lines): model_b on 2026-02-15, model_c on 2026-04-01.");
    h.get_by_label("Business metric: Revenue per user");
    h.get_by_label("ML metric: Accuracy");
    // A deployment typed by hand joins the ones from the data.
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .timelines[0]
        .spec
        .deployments
        .push(("2026-03-10".into(), "hotfix".into()));
    h.run_ok();
    h.get_by_label_contains("hotfix on 2026-03-10");
}

#[test]
fn distribution_view_switches_between_histogram_and_box_plot() {
    let (_tmp, mut h) = open(evidence_fixture::cached_project(false));
    common::click(&mut h, "Distributions");
    h.get_by_label("Revenue per variant");
    h.get_by_label("12 units had no value for revenue and are left out.");
    h.get_by_label_contains("Share of each variant's units");
    common::click(&mut h, "Chart");
    common::click(&mut h, "Box plot");
    assert_eq!(
        h.state().project().unwrap().evidence.distributions[0]
            .spec
            .chart,
        throughline::model::DistributionChart::BoxPlot
    );
    h.get_by_label_contains("Box: middle half of the units");
}

/// Write the fixture project for a look at the real app:
/// `EVIDENCE_FIXTURE_OUT=/tmp/e.ron cargo test --test evidence_cached -- --ignored`, then
/// `scripts/screenshot.sh out.png 4 -- /tmp/e.ron`.
#[test]
#[ignore = "writes a file for manual inspection"]
fn write_fixture_project() {
    if let Ok(path) = std::env::var("EVIDENCE_FIXTURE_OUT") {
        throughline::io::save_project(&evidence_fixture::cached_project(true), path.as_ref())
            .unwrap();
    }
}
