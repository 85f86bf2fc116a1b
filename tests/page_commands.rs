//! Pages draw from state and emit commands: drawing a page starts no job and changes no list of
//! analyses or scenarios by itself; the app applies what the page emitted, with undo.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{AnalysisKind, Command, Jobs, PageState, Runtime, Wanted};
use throughline::model::{EvidenceTab, Page, Project};
use throughline::ui::PageContext;

/// One page drawn on its own, with what it emitted.
struct PageUnderTest {
    project: Project,
    runtime: Runtime,
    jobs: Jobs,
    pages: PageState,
    commands: Vec<Command>,
    wanted: Wanted,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A harness drawing the page `project.view.page` of `project` (and nothing else).
fn page_harness(project: Project) -> Harness<'static, PageUnderTest> {
    let state = PageUnderTest {
        project,
        runtime: Runtime::default(),
        jobs: Jobs::default(),
        pages: PageState::default(),
        commands: Vec::new(),
        wanted: Wanted::default(),
    };
    let mut harness = Harness::builder()
        .with_size(common::SIZE)
        .with_theme(egui::Theme::Light)
        .build_ui_state(
            |ui, s: &mut PageUnderTest| {
                s.wanted = Wanted::default();
                let mut cx = PageContext {
                    project: &mut s.project,
                    base_dir: None,
                    runtime: &s.runtime,
                    jobs: &s.jobs,
                    state: &mut s.pages,
                    commands: &mut s.commands,
                    wanted: &mut s.wanted,
                };
                throughline::ui::page_ui(ui, &mut cx);
            },
            state,
        );
    harness.run_ok();
    harness
}

fn open_in_app(path: &Path, tmp: &Path) -> Harness<'static, throughline::app::ThroughlineApp> {
    let mut h = common::harness(common::options(tmp));
    h.state_mut().send(Command::OpenProject(path.to_path_buf()));
    h.run_ok();
    assert!(h.state().project().is_some(), "the fixture opened");
    h
}

#[test]
fn removing_an_experiment_analysis_is_a_command_the_app_applies_and_undo_reverts() {
    let path = fixture("checkout-recommender.ron");
    let mut project = throughline::io::load_project(&path).unwrap();
    project.view.page = Page::Evidence;
    project.view.evidence.tab = EvidenceTab::Experiments;
    let mut page = page_harness(project.clone());

    // Drawing the page asks the app to keep the analysis on screen up to date and to read the
    // variants for the control picker, but starts nothing itself.
    let wanted = page.state().wanted.clone();
    assert_eq!(
        wanted.analyses,
        vec![(AnalysisKind::Experiment, "checkout-test".to_string())]
    );
    assert!(
        wanted
            .column_values
            .iter()
            .any(|(dataset, _)| dataset == "ab-test"),
        "the variants are wanted: {wanted:?}"
    );
    assert!(!page.state().jobs.is_busy(), "no job was started");
    assert!(page.state().commands.is_empty(), "nothing clicked yet");

    // "Remove" emits the command; the page does not remove the analysis itself.
    page.get_by_label("Remove").click();
    page.run_ok();
    let emitted = page.state().commands.clone();
    let remove = Command::RemoveAnalysis {
        kind: AnalysisKind::Experiment,
        id: "checkout-test".to_string(),
    };
    assert_eq!(emitted, vec![remove.clone()]);
    assert_eq!(page.state().project.evidence.experiments.len(), 1);

    // The app applies it; undo brings the analysis back.
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_in_app(&path, tmp.path());
    common::wait_secs(&mut h, 1.0);
    h.state_mut().send(remove);
    h.run_ok();
    assert!(h.state().project().unwrap().evidence.experiments.is_empty());
    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    let experiments = &h.state().project().unwrap().evidence.experiments;
    assert_eq!(experiments.len(), 1, "undo brings the analysis back");
    assert_eq!(experiments[0].id, "checkout-test");
}

#[test]
fn deleting_and_duplicating_a_scenario_are_commands_the_app_applies() {
    let path = fixture("whatif.ron");
    let mut project = throughline::io::load_project(&path).unwrap();
    project.view.page = Page::WhatIf;
    let id = project.scenarios[0].id.clone();
    let scenarios = project.scenarios.len();
    let mut page = page_harness(project);
    assert!(!page.state().jobs.is_busy(), "no job was started");

    page.get_by_label("Delete").click();
    page.run_ok();
    assert_eq!(
        page.state().commands,
        vec![Command::DeleteScenario(id.clone())]
    );
    assert_eq!(
        page.state().project.scenarios.len(),
        scenarios,
        "still there"
    );
    page.state_mut().commands.clear();
    page.get_by_label("Duplicate").click();
    page.run_ok();
    assert_eq!(
        page.state().commands,
        vec![Command::DuplicateScenario(id.clone())]
    );

    let tmp = tempfile::tempdir().unwrap();
    let mut h = open_in_app(&path, tmp.path());
    let count = |h: &Harness<'_, throughline::app::ThroughlineApp>| {
        h.state().project().unwrap().scenarios.len()
    };
    let before = count(&h);
    common::wait_secs(&mut h, 1.0);
    h.state_mut().send(Command::DuplicateScenario(id.clone()));
    h.run_ok();
    assert_eq!(count(&h), before + 1);
    h.get_by_label_contains("Duplicated as");
    common::wait_secs(&mut h, 1.0);
    h.state_mut().send(Command::DeleteScenario(id.clone()));
    h.run_ok();
    assert_eq!(count(&h), before);
    assert!(
        h.state()
            .project()
            .unwrap()
            .scenarios
            .iter()
            .all(|s| s.id != id),
        "the scenario is deleted"
    );
    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    assert!(
        h.state()
            .project()
            .unwrap()
            .scenarios
            .iter()
            .any(|s| s.id == id),
        "undo brings it back"
    );
}
