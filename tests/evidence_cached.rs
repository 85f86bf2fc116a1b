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
        .evidence
        .view
        .tab = throughline::model::EvidenceTab::Link;
    evidence_fixture::settle(&mut h);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_cached_link_dark_presentation");
}
