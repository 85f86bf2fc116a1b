//! Issue 16 items 2 and 6: the ML vs business view shows its headline and both side-by-side
//! plots in a 1280×800 window without scrolling, and the What-if scenario panel keeps "Use it"
//! and "Export" inside a 1400 px wide window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn example_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checkout-recommender.ron")
}

fn whatif_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif.ron")
}

fn inside(rect: egui::Rect, window: egui::Rect, what: &str) {
    assert!(
        window.contains_rect(rect),
        "{what} at {rect:?} is outside the window {window:?}"
    );
}

#[test]
fn the_link_view_fits_headline_and_both_plots_in_1280_by_800() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 800.0);
    h.state_mut().send(Command::NewFromExample(example_path()));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    common::click(&mut h, "ML vs business");
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("ux_link_1280x800");
    // Above the status bar, which the page does not scroll under.
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 770.0));
    let headline = h.get_by_label_contains("came with");
    inside(headline.rect(), window, "the headline");
    // Both side plots, down to the row under each (its "Reset view" button).
    // The plot's title, and the plot itself, whose screen-reader name repeats the title: the
    // topmost of each is the title.
    let topmost = |label: &'static str| {
        h.query_all_by_label_contains(label)
            .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
            .unwrap_or_else(|| panic!("no {label:?}"))
    };
    let ml = topmost("ML metric: ");
    let business = topmost("Business metric: ");
    inside(ml.rect(), window, "the ML plot's title");
    inside(business.rect(), window, "the business plot's title");
    let resets: Vec<egui::Rect> = h
        .query_all_by_label("Reset view")
        .map(|n| n.rect())
        .collect();
    assert!(resets.len() >= 2, "{} plots", resets.len());
    let mut by_top = resets.clone();
    by_top.sort_by(|a, b| a.top().total_cmp(&b.top()));
    for r in &by_top[..2] {
        inside(*r, window, "a side plot's footer");
    }
    // Side by side: the two plots' titles share a row.
    assert!((ml.rect().top() - business.rect().top()).abs() < 4.0);
}

/// The What-if fixture on the What-if page in a window of `size`.
fn whatif(tmp: &std::path::Path, size: egui::Vec2) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), size.y);
    h.set_size(size);
    h.state_mut().send(Command::OpenProject(whatif_fixture()));
    h.run_ok();
    common::click(&mut h, "4   What-if");
    h.run_ok();
    h.run_ok();
    h
}

/// "Use it" and "Export" lie within the window's width (a tall window, so the whole panel is
/// laid out on screen). The width is the window's in points (presentation mode zooms).
fn buttons_within_width(h: &H) {
    let width = h.ctx.content_rect().width();
    for label in ["Use it", "Export"] {
        let rects: Vec<egui::Rect> = h.query_all_by_label(label).map(|n| n.rect()).collect();
        assert!(!rects.is_empty(), "{label} is shown");
        for r in rects {
            assert!(
                r.left() >= 0.0 && r.right() <= width - 2.0,
                "{label} at {r:?} is cut off by the {width} points wide window"
            );
        }
    }
}

#[test]
fn the_scenario_panel_keeps_use_it_and_export_at_1400() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = whatif(tmp.path(), egui::vec2(1400.0, 2600.0));
    h.remove_cursor();
    h.run_ok();
    buttons_within_width(&h);
    // In presentation mode (everything larger) too.
    h.key_press(egui::Key::F5);
    h.run_ok();
    h.run_ok();
    buttons_within_width(&h);
    drop(h);
    let mut h = whatif(tmp.path(), egui::vec2(1400.0, 900.0));
    h.key_press(egui::Key::F5);
    h.run_ok();
    h.remove_cursor();
    h.run_ok();
    h.snapshot("ux_whatif_1400_presentation");
}

/// A new project open on the Frame wizard's `step`.
fn frame_step(tmp: &std::path::Path, step: throughline::model::FrameStep) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), 1600.0);
    let mut project = throughline::model::Project {
        name: "Jumps".into(),
        ..Default::default()
    };
    project.view.page = throughline::model::Page::Frame;
    project.view.frame_step = step;
    h.state_mut().ws.doc = Some(throughline::app::Document::new(project, None));
    h.run_ok();
    h.run_ok();
    h
}

fn top_of(h: &H, label: &str) -> f32 {
    h.get_by_label(label).rect().top()
}

/// The same place, give or take a fraction of a pixel.
fn same(a: f32, b: f32, what: &str) {
    assert!((a - b).abs() < 1.0, "{what} moved from {b} to {a}");
}

#[test]
fn helper_lines_keep_their_room_so_the_next_click_lands_where_aimed() {
    use throughline::model::FrameStep;
    let tmp = tempfile::tempdir().unwrap();
    // Process: choosing a stage shows its explanation without moving the maturity choices.
    let mut h = frame_step(tmp.path(), FrameStep::Process);
    let before = top_of(&h, "First ML project");
    common::click(&mut h, "Scoping");
    same(
        top_of(&h, "First ML project"),
        before,
        "the maturity choices",
    );
    // "Use this text" greys out instead of going away: the field below stays put.
    common::click(&mut h, "First ML project");
    let field = h
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "ROI expectation")
        .rect()
        .top();
    common::click(&mut h, "Use this text");
    let after = h
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "ROI expectation")
        .rect()
        .top();
    same(after, field, "the ROI expectation field");
    drop(h);
    // Task: the example under "What does the prediction give back?" has its room already.
    let mut h = frame_step(tmp.path(), FrameStep::Task);
    let question = "Do you learn the right answer for past cases (a label)?";
    let before = top_of(&h, question);
    common::click(&mut h, "A number");
    same(top_of(&h, question), before, "the next question");
    drop(h);
    // ML objective: a picked suggestion stays in place, greyed out, and the next one does not
    // slide under the pointer.
    let mut h = frame_step(tmp.path(), FrameStep::MlObjective);
    // A new project's task is a binary classification: AUC, Precision, … are offered.
    let (first, second) = ("AUC", "Precision");
    let second_at = h.get_by_label(second).rect();
    common::click(&mut h, first);
    same(
        h.get_by_label(second).rect().left(),
        second_at.left(),
        "the next suggestion",
    );
    same(
        h.get_by_label(second).rect().top(),
        second_at.top(),
        "the next suggestion",
    );
    // Greyed out: a second click adds nothing.
    common::click(&mut h, first);
    let metrics = &h
        .state()
        .project()
        .unwrap()
        .framing
        .ml_objective
        .offline_metrics;
    assert_eq!(metrics, &vec![first.to_string()]);
    h.set_size(egui::vec2(1280.0, 800.0));
    h.remove_cursor();
    h.run_ok();
    h.snapshot("ux_frame_suggestions_kept");
}
