//! The app shell driven through its UI by label: welcome, new project, save, reopen, undo.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;
use throughline::model::Page;

#[test]
fn welcome_new_project_save_reopen_and_undo() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));

    // Welcome screen.
    h.get_by_label("Throughline");
    common::click(&mut h, "New project");
    assert!(h.state().project().is_some(), "a new project is open");

    // Type a name on the Frame page.
    common::type_into(&mut h, "Project name", "Churn study");
    assert_eq!(h.state().project().unwrap().name, "Churn study");
    assert!(h.state().window_title().starts_with('*'), "unsaved mark");

    // Ctrl+S on a new project asks for a path (in-app prompt: no native dialog in tests).
    common::press_command(&mut h, egui::Key::S);
    let path = tmp.path().join("churn-study.ron");
    common::answer_path_prompt(&mut h, &path);
    assert!(path.exists(), "the project was saved");
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().window_title(), "Churn study — Throughline");

    // Close, then reopen it from the recent projects on the welcome screen.
    h.state_mut().send(Command::CloseProject);
    h.run_ok();
    assert!(h.state().project().is_none());
    common::click(&mut h, "churn-study");
    assert_eq!(h.state().project().unwrap().name, "Churn study");
    h.get_by_label("Churn study");

    // An edit, then undo reverts it.
    common::type_into(&mut h, "Project name", " 2026");
    assert_eq!(h.state().project().unwrap().name, "Churn study 2026");
    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    assert_eq!(h.state().project().unwrap().name, "Churn study");
    // And redo brings it back.
    common::press_command(&mut h, egui::Key::Y);
    assert_eq!(h.state().project().unwrap().name, "Churn study 2026");
}

#[test]
fn unsaved_changes_are_not_lost_on_new_project() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Important");
    common::press_command(&mut h, egui::Key::N);
    // The app asks first; Cancel keeps the work.
    h.get_by_label("Save changes?");
    common::click(&mut h, "Cancel");
    assert_eq!(h.state().project().unwrap().name, "Important");
    // Don't save replaces it.
    common::press_command(&mut h, egui::Key::N);
    common::click(&mut h, "Don't save");
    assert_eq!(h.state().project().unwrap().name, "");
}

#[test]
fn navigation_and_large_text() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::click(&mut h, "2   Data");
    assert_eq!(h.state().project().unwrap().view.page, Page::Data);
    // Large text for a projector is in the View menu (F5 opens the deck, see tests/deck.rs).
    h.state_mut().send(Command::TogglePresentation);
    h.run_ok();
    assert!(h.state().settings.presentation);
    assert!(h.ctx.zoom_factor() >= 1.5);
    h.state_mut().send(Command::TogglePresentation);
    h.run_ok();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-6);
    assert!(h.state().deck.is_none(), "large text is not the deck");
}

#[test]
fn a_bad_project_file_shows_one_plain_error_and_keeps_the_open_work() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("broken.ron");
    std::fs::write(&bad, "(version: 1, name: \"x\", framing: (problem: (").unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Keep me");
    h.state_mut().send(Command::OpenProject(bad.clone()));
    h.run_ok();
    // Unsaved work: asked first; choosing not to save then fails to open the broken file.
    common::click(&mut h, "Don't save");
    h.get_by_label("Something went wrong");
    h.get_by_label_contains("line 1");
    common::click(&mut h, "OK");
    assert!(
        h.query_by_label("Something went wrong").is_none(),
        "shown once"
    );
    assert_eq!(h.state().project().unwrap().name, "Keep me", "nothing lost");
}

#[test]
fn recovery_copy_is_offered_after_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let options = common::options(tmp.path());
    let copy = throughline::io::RecoveryCopy {
        original_path: None,
        written_unix_secs: 0,
        project: throughline::model::Project::named("Unsaved analysis"),
        ..Default::default()
    };
    throughline::io::write_recovery(options.recovery_dir.as_deref().unwrap(), &copy).unwrap();
    let mut h = common::harness(options);
    h.get_by_label("Recover unsaved work?");
    common::click(&mut h, "Recover");
    assert_eq!(h.state().project().unwrap().name, "Unsaved analysis");
    assert!(
        h.state().is_dirty(),
        "recovered work is unsaved until saved"
    );
}

#[test]
fn snapshot_welcome_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.remove_cursor();
    h.run_ok();
    h.snapshot("welcome");
}

#[test]
fn snapshot_open_project() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Churn prediction");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("open_project");
}

/// A file dropped on the window, as the windowing backend reports it.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_project_file_opens_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("dropped.ron");
    throughline::io::save_project(&throughline::model::Project::named("Dropped in"), &path)
        .unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    h.run_ok();
    assert_eq!(h.state().project().unwrap().name, "Dropped in");
    assert_eq!(
        h.state().ws.doc.as_ref().unwrap().path.as_deref(),
        Some(path.as_path())
    );
}

#[test]
fn without_a_native_dialog_open_asks_for_a_path_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("typed.ron");
    throughline::io::save_project(&throughline::model::Project::named("Typed path"), &path)
        .unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::press_command(&mut h, egui::Key::O);
    h.get_by_label_contains("No system file dialog is available");
    common::type_into(&mut h, "Path", &path.display().to_string());
    common::click(&mut h, "OK");
    assert_eq!(h.state().project().unwrap().name, "Typed path");
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Unsaved");
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_ok();
    h.get_by_label("Save changes?");
    common::click(&mut h, "Cancel");
    assert_eq!(h.state().project().unwrap().name, "Unsaved", "still open");
    assert!(h.query_by_label("Save changes?").is_none());
}

#[test]
fn moving_between_pages_is_not_an_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p.ron");
    throughline::io::save_project(&throughline::model::Project::named("Views"), &path).unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(path));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    assert_eq!(h.state().project().unwrap().view.page, Page::Evidence);
    assert!(
        !h.state().is_dirty(),
        "navigation does not make the project unsaved"
    );
    // An edit, then undo: the edit goes, the page stays.
    common::click(&mut h, "1   Frame");
    common::type_into(&mut h, "Project name", "!");
    common::wait_secs(&mut h, 1.0);
    common::click(&mut h, "5   Summary");
    common::press_command(&mut h, egui::Key::Z);
    assert_eq!(h.state().project().unwrap().name, "Views");
    assert_eq!(h.state().project().unwrap().view.page, Page::Summary);
}

/// Run frames until nothing runs in the background (the recovery copy is written on a worker).
fn settle(h: &mut egui_kittest::Harness<'_, throughline::app::ThroughlineApp>) {
    for _ in 0..500 {
        h.run_ok();
        if !h.state().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_ok();
}

#[test]
fn a_recovery_copy_that_cannot_be_written_is_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    // The recovery folder would have to be inside a file: it cannot be created.
    let blocker = tmp.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let mut options = common::options(tmp.path());
    options.recovery_dir = Some(blocker.join("recovery"));
    let mut h = common::harness(options);
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Unsaved work");
    // Recovery copies are written every 15 seconds while there are unsaved changes.
    common::wait_secs(&mut h, 16.0);
    settle(&mut h);
    h.get_by_label("Something went wrong");
    h.get_by_label_contains("could not write the recovery copy");
    h.get_by_label_contains("not-a-folder");
    common::click(&mut h, "OK");
    assert!(h.query_by_label("Something went wrong").is_none());

    // Later copies fail as well, but the user was told: no dialog every few seconds.
    common::type_into(&mut h, "Project name", " still");
    common::wait_secs(&mut h, 16.0);
    settle(&mut h);
    common::type_into(&mut h, "Project name", " unsaved");
    common::wait_secs(&mut h, 16.0);
    settle(&mut h);
    assert!(
        h.query_by_label("Something went wrong").is_none(),
        "a failing recovery copy is reported once, not every time"
    );
    assert!(
        h.state().ws.messages.errors.is_empty(),
        "no error is waiting to be shown"
    );
}
