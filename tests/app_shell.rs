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
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .type_text(&path.display().to_string());
    h.run_ok();
    common::click(&mut h, "OK");
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
fn navigation_and_presentation_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::click(&mut h, "2   Data");
    assert_eq!(h.state().project().unwrap().view.page, Page::Data);
    h.key_press(egui::Key::F5);
    h.run_ok();
    assert!(h.state().settings.presentation);
    assert!(h.ctx.zoom_factor() >= 1.5);
    h.key_press(egui::Key::F5);
    h.run_ok();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-6);
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
