//! Shared helpers for UI tests: every harness is built the same way, with the same size and
//! theme, no native dialogs (the in-app path prompt is used), and a private recovery folder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{AppOptions, Settings, ThroughlineApp};

pub const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The repository's `projects/` folder (tests may use build paths; the app never does).
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects")
}

/// Options for a test app whose recovery copies go to `tmp`.
pub fn options(tmp: &Path) -> AppOptions {
    AppOptions {
        open: None,
        native_dialogs: false,
        recovery_dir: Some(tmp.join("recovery")),
        examples_dir: Some(examples_dir()),
    }
}

/// A harness running the whole app.
pub fn harness(options: AppOptions) -> Harness<'static, ThroughlineApp> {
    harness_with_settings(options, Settings::default())
}

pub fn harness_with_settings(
    options: AppOptions,
    settings: Settings,
) -> Harness<'static, ThroughlineApp> {
    let mut harness = Harness::builder()
        .with_size(SIZE)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| ThroughlineApp::with_settings(&cc.egui_ctx, options, settings));
    harness.run_ok();
    harness
}

/// Type `text` into the text field labelled `label`.
pub fn type_into(harness: &mut Harness<'_, ThroughlineApp>, label: &str, text: &str) {
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, label);
    field.focus();
    field.type_text(text);
    harness.run_ok();
}

/// Press a key with the platform's command modifier (Ctrl on Linux).
pub fn press_command(harness: &mut Harness<'_, ThroughlineApp>, key: egui::Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run_ok();
}

/// Click the widget labelled `label` and let the app settle.
pub fn click(harness: &mut Harness<'_, ThroughlineApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_ok();
}

/// Let time pass in the app (e.g. so an edit becomes its own undo step).
pub fn wait_secs(harness: &mut Harness<'_, ThroughlineApp>, secs: f32) {
    let steps = (secs / 0.25).ceil() as usize;
    harness.run_steps(steps);
}

/// Answer the in-app path prompt (what tests see instead of a native file dialog): replace the
/// suggested path with `path` and press OK.
pub fn answer_path_prompt(harness: &mut Harness<'_, ThroughlineApp>, path: &Path) {
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path");
    field.focus();
    harness.run_ok();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_ok();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .type_text(&path.display().to_string());
    harness.run_ok();
    click(harness, "OK");
}

/// Let frames run until no job is left (reading happens on worker threads, slower on a busy
/// machine).
pub fn settle_jobs(h: &mut Harness<'_, ThroughlineApp>) {
    for _ in 0..400 {
        h.run_steps(1);
        if !h.state().jobs.is_busy() {
            h.run_steps(2);
            if !h.state().jobs.is_busy() {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("jobs did not finish");
}
