//! Issue 16 (stakeholder-ready): the page scrolls under the wheel also over plots, sensible
//! defaults for a new user's first clicks, and nothing done behind the user's back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;

use evidence_fixture::{H, open_sample, project, sample_project_path, show_tab};

fn wheel(h: &mut H, pos: egui::Pos2, dy: f32, modifiers: egui::Modifiers) {
    h.hover_at(pos);
    h.run_ok();
    h.event_modifiers(
        egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, dy),
            modifiers,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        },
        modifiers,
    );
    for _ in 0..20 {
        h.run_ok();
    }
}

#[test]
fn the_wheel_over_a_plot_scrolls_the_page() {
    let (_tmp, mut h) = open_sample(800.0);
    show_tab(&mut h, "Over time");
    let hint = "Wheel scrolls the page · Ctrl+wheel to zoom · drag to move · right-drag to zoom \
                to a box · double-click to reset";
    let first_hint = h
        .query_all_by_label(hint)
        .next()
        .expect("a plot on the page")
        .rect();
    // The first plot's view (the business metric's), which the wheel must leave alone.
    let view = project(&h).evidence.timelines[0].clone();
    let metric = view.spec.metrics[0].clone();
    let plot_id = egui::Id::unique(("plot", ("timeline", view.id.as_str(), metric.as_str())));
    let bounds = || {
        egui_plot::PlotMemory::load(&h.ctx, plot_id)
            .map(|m| *m.bounds())
            .expect("the plot's memory")
    };
    let before = bounds();
    // The pointer in the plot, just above its hint row.
    let over_plot = egui::pos2(first_hint.center().x + 200.0, first_hint.top() - 60.0);
    wheel(&mut h, over_plot, -120.0, egui::Modifiers::NONE);
    let after_bounds = egui_plot::PlotMemory::load(&h.ctx, plot_id)
        .map(|m| *m.bounds())
        .unwrap();
    assert_eq!(
        before, after_bounds,
        "the plain wheel does not move the plot"
    );
    let after = h.query_all_by_label(hint).next().unwrap().rect();
    assert!(
        after.top() < first_hint.top() - 50.0,
        "the page scrolled: the plot's hint moved from {} to {}",
        first_hint.top(),
        after.top()
    );
    // Ctrl+wheel zooms the plot and leaves the page where it is.
    let before_zoom = after;
    let over_plot = egui::pos2(before_zoom.center().x + 200.0, before_zoom.top() - 60.0);
    wheel(&mut h, over_plot, -120.0, egui::Modifiers::COMMAND);
    let after_zoom = h.query_all_by_label(hint).next().unwrap().rect();
    assert!(
        (after_zoom.top() - before_zoom.top()).abs() < 1.0,
        "Ctrl+wheel does not scroll the page"
    );
}

/// The example with its data paths made absolute (so a changed copy can live in `tmp`), after
/// `edit` changed its text.
fn example_copy(tmp: &std::path::Path, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    let text = std::fs::read_to_string(sample_project_path()).unwrap();
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let text = text.replace("\"../../assets/", &format!("\"{}/", assets.display()));
    let path = tmp.join("changed-example.ron");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

#[test]
fn a_new_link_starts_from_the_frame_pages_hypothesis() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = example_copy(tmp.path(), |text| {
        text.replace(
            "ml_metric: \"Offline accuracy\"",
            "ml_metric: \"Offline AUC\"",
        )
        .replace(
            "business_metric: \"Add-on revenue per shopper\"",
            "business_metric: \"Retention after 30 days (d30)\"",
        )
    });
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1000.0);
    h.state_mut().send(Command::NewFromExample(copy));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    show_tab(&mut h, "ML vs business");
    let before = project(&h).evidence.links.len();
    common::click(&mut h, "New link");
    evidence_fixture::settle(&mut h);
    let links = &project(&h).evidence.links;
    assert_eq!(links.len(), before + 1);
    let new = links.last().unwrap();
    assert_eq!(new.spec.dataset_id, "experiments");
    assert_eq!(
        (new.spec.x.as_str(), new.spec.y.as_str()),
        ("offline_auc", "retention_d30"),
        "the Frame page's hypothesised link, not the file's first columns"
    );
}

#[test]
fn a_number_field_keeps_unreadable_text_and_says_why() {
    use egui::accesskit::Role;
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::click(&mut h, "Next  ›");
    common::click(&mut h, "Add a business objective");
    common::type_into(&mut h, "Baseline (today)", "4.2");
    assert_eq!(
        project(&h).framing.objectives[0].baseline,
        Some(4.2),
        "a number is taken as typed"
    );
    // Replace it with words.
    let field = h.get_by_role_and_label(Role::TextInput, "Baseline (today)");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(Role::TextInput, "Baseline (today)")
        .type_text("about 3.2%");
    h.run_ok();
    // Leave the field: the text stays, the value keeps its last number, and the page says why.
    common::type_into(&mut h, "Horizon", "6 months");
    for _ in 0..3 {
        h.run_ok();
    }
    assert_eq!(project(&h).framing.objectives[0].baseline, Some(4.2));
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Baseline (today)")
            .value()
            .as_deref(),
        Some("about 3.2%")
    );
    h.get_by_label_contains("Can't read \u{201c}about 3.2%\u{201d} as a number");
    h.get_by_label_contains("still using 4.2");

    // A What-if number field (a drag value) keeps "two million" the same way.
    common::click(&mut h, "4   What-if");
    common::click(&mut h, "New scenario");
    let field = h.get_by_label("Volume per month");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(Role::SpinButton, "Volume per month")
        .type_text("two million");
    h.run_ok();
    h.key_press(egui::Key::Enter);
    for _ in 0..3 {
        h.run_ok();
    }
    h.get_by_label_contains("Can't read \u{201c}two million\u{201d} as a number");
    assert_eq!(project(&h).scenarios[0].volume_per_month, 0.0);
    // Corrected, the number is taken and the message goes.
    let field = h.get_by_role_and_label(Role::TextInput, "Volume per month");
    field.focus();
    h.run_ok();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_ok();
    h.get_by_role_and_label(Role::TextInput, "Volume per month")
        .type_text("2M");
    for _ in 0..3 {
        h.run_ok();
    }
    assert_eq!(project(&h).scenarios[0].volume_per_month, 2_000_000.0);
    assert!(h.query_by_label_contains("Can't read").is_none());
}

#[test]
fn removing_a_used_data_file_asks_first_and_marks_results_out_of_date() {
    let (_tmp, mut h) = open_sample(1400.0);
    show_tab(&mut h, "ML vs business");
    let link_name = project(&h).evidence.links[0].name.clone();
    assert!(project(&h).evidence.links[0].result.is_some());
    h.state_mut()
        .send(Command::ShowPage(throughline::model::Page::Data));
    h.run_ok();
    common::click(&mut h, "experiments_ml_vs_business.csv");
    common::click(&mut h, "Remove from project");
    // Asked first, naming the analysis; nothing removed yet.
    h.get_by_label_contains(&format!(
        "Remove \u{201c}experiments_ml_vs_business.csv\u{201d} from the project? 1 analysis uses \
         it: \u{201c}{link_name}\u{201d} (ML vs business)."
    ));
    assert!(project(&h).dataset("experiments").is_some());
    common::click(&mut h, "Keep it");
    assert!(project(&h).dataset("experiments").is_some());
    assert!(h.query_by_label_contains("1 analysis uses it").is_none());
    common::click(&mut h, "Remove from project");
    common::click(&mut h, "Remove anyway");
    assert!(project(&h).dataset("experiments").is_none());
    h.get_by_label_contains("are out of date");
    // Marked out of date on the Evidence page and the Summary (the report's content).
    common::click(&mut h, "3   Evidence");
    show_tab(&mut h, "ML vs business");
    h.get_by_label_contains("Out of date: the data file these results came from was removed");
    h.state_mut()
        .send(Command::ShowPage(throughline::model::Page::Summary));
    h.run_ok();
    h.get_by_label_contains("Out of date: the data file these results came from was removed");
    let report = throughline::io::report::build_report(project(&h));
    let markdown = format!("{report:?}");
    assert!(markdown.contains("Out of date"));
}

fn whatif_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif.ron")
}

/// The What-if fixture with large text (presentation mode) on a window of `size`.
fn whatif_presentation(tmp: &std::path::Path, size: egui::Vec2) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), size.y);
    h.set_size(size);
    h.state_mut().send(Command::OpenProject(whatif_fixture()));
    h.run_ok();
    // Large text (View menu); F5 opens the deck.
    h.state_mut()
        .send(throughline::app::Command::TogglePresentation);
    h.run_ok();
    h
}

#[test]
fn snapshot_compare_scenarios_presentation_1920() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = whatif_presentation(tmp.path(), egui::vec2(1920.0, 1080.0));
    common::click(&mut h, "Compare scenarios");
    h.remove_cursor();
    h.run_ok();
    // The key columns are all there.
    for column in ["Net value", "ROI", "Payback"] {
        assert!(
            h.query_all_by_label_contains(column).next().is_some(),
            "{column} is shown"
        );
    }
    h.snapshot("ux_compare_presentation_1920");
}
