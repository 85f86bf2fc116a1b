//! The workshop deck: built from the project (slide titles in order), opened with F5 and the
//! Present button, moved with the keys, details, the live slide, Esc, the HTML export, and
//! image snapshots at 1920×1080 and 1280×800.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Command, ThroughlineApp};
use throughline::io::deck::{SlideKind, build_deck};

type H = Harness<'static, ThroughlineApp>;

fn example(name: &str) -> PathBuf {
    common::examples_dir().join(name)
}

/// The churn example open in the app (its results are cached in the file).
fn churn(tmp: &Path) -> H {
    let mut h = common::harness(common::options(tmp));
    h.state_mut()
        .send(Command::OpenProject(example("churn-prediction.ron")));
    h.run_ok();
    h
}

fn slide(h: &H) -> usize {
    h.state().deck.as_ref().expect("the deck is open").slide
}

fn press(h: &mut H, key: egui::Key) {
    h.key_press(key);
    h.run_ok();
}

/// The churn example's slides, in order.
const CHURN_TITLES: [&str; 15] = [
    "Churn prediction",
    "The decision, the effect, and what it is worth",
    "Business problem",
    "Business objectives",
    "Is ML the right tool?",
    "What the model predicts, and why it should move the business",
    "Retention offers: rule list against the model's list",
    "AUC to monthly churn in 18 regional pilots",
    "Recall in the top 20,000 to revenue kept",
    "Gradient boosting, AUC +0.02",
    "Better top 20,000, recall +5 pp",
    "Gradient boosting, AUC +0.02 (measured link)",
    "Model-targeted offers, as measured in the offer test",
    "What if the model moved AUC more, or less?",
    "What happens next",
];

#[test]
fn the_deck_of_an_example_has_its_slides_in_order() {
    let project = throughline::io::load_project(&example("churn-prediction.ron")).unwrap();
    let deck = build_deck(&project);
    let titles: Vec<&str> = deck.slides.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, CHURN_TITLES);
    let kinds: Vec<SlideKind> = deck.slides.iter().map(|s| s.kind).collect();
    assert_eq!(kinds[0], SlideKind::Title);
    assert_eq!(kinds[1], SlideKind::Answer);
    assert_eq!(kinds[6], SlideKind::Evidence);
    assert_eq!(kinds[13], SlideKind::Live);
    assert_eq!(kinds[14], SlideKind::NextStep);
    // The answer first: the Summary's headline (decision, effect, value) on one slide.
    let answer = &deck.slides[1];
    assert!(format!("{:?}", answer.body).contains("Ship"));
    assert!(answer.headline[0].starts_with("Each +"));
    assert_eq!(answer.figures[0].label, "Net value");
    // Every objective with its target; the failure conditions are in the details.
    assert_eq!(
        deck.slides[3].headline,
        [
            "Monthly churn: from 4.2% to 3.6%, 6 months after launch.",
            "Revenue kept by retention offers: from €180,000 a month to €320,000 a month, 2 \
             quarters."
        ]
    );
    assert!(deck.slides[3].chart.is_some());
    // The experiment's slide has its decision badge or lift, and its chart beside it.
    let evidence = &deck.slides[6];
    assert!(evidence.chart.is_some());
    assert!(evidence.headline[0].contains("model_targeting vs control"));
    // Every scenario says what it is worth, with ROI and payback, and ROI by maturity.
    let scenario = &deck.slides[9];
    let labels: Vec<&str> = scenario.figures.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels[..3], ["Net value", "ROI", "Payback"]);
    assert!(format!("{:?}", scenario.body).contains("ROI by maturity"));
    // The next step follows the process stage (model development, then deployment).
    assert!(deck.slides[14].headline[0].starts_with("Next: Deployment"));
    // The live slide moves the first scenario that follows its ML change.
    let live = deck.slides[13].live.as_ref().unwrap();
    assert_eq!(live.scenario_id, "scenario-1");
    assert!(live.min <= live.start && live.start <= live.max);
    assert!(live.steps.len() > 10);
}

#[test]
fn every_example_gives_a_deck_and_a_self_contained_page() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(common::examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 5);
    for path in examples {
        let project = throughline::io::load_project(&path).unwrap();
        let deck = build_deck(&project);
        let name = path.display();
        assert_eq!(deck.slides[0].kind, SlideKind::Title, "{name}");
        assert_eq!(
            deck.slides.last().unwrap().kind,
            SlideKind::NextStep,
            "{name}"
        );
        // One slide per analysis and per scenario.
        let e = &project.evidence;
        let analyses = e.experiments.len()
            + e.links.len()
            + e.thresholds.len()
            + e.metas.len()
            + e.timelines.len()
            + e.distributions.len();
        let count = |kind| deck.slides.iter().filter(|s| s.kind == kind).count();
        assert_eq!(count(SlideKind::Evidence), analyses, "{name}");
        assert_eq!(
            count(SlideKind::Scenario),
            project.scenarios.len(),
            "{name}"
        );
        // Every slide says something.
        for slide in &deck.slides[1..] {
            assert!(
                !slide.headline.is_empty() || !slide.body.is_empty() || !slide.figures.is_empty(),
                "{name}: {} is empty",
                slide.title
            );
        }
        let html = throughline::io::deck::html::to_html(&deck);
        let total = deck.slides.len();
        assert!(html.contains(&format!("{total} / {total}")), "{name}");
        assert!(
            !html.contains("src=\"http") && !html.contains("<link"),
            "{name}"
        );
    }
}

#[test]
fn f5_opens_the_deck_the_keys_move_and_esc_leaves() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    assert!(h.state().deck.is_none());
    press(&mut h, egui::Key::F5);
    assert_eq!(slide(&h), 0);
    h.get_by_label("1 / 15");
    h.get_by_label("Churn prediction");
    // No menus or side panels in the deck.
    assert!(h.query_by_label("File").is_none());
    assert!(h.query_by_label("Summary").is_none());
    press(&mut h, egui::Key::ArrowRight);
    assert_eq!(slide(&h), 1);
    h.get_by_label("2 / 15");
    press(&mut h, egui::Key::Space);
    assert_eq!(slide(&h), 2);
    press(&mut h, egui::Key::PageDown);
    assert_eq!(slide(&h), 3);
    press(&mut h, egui::Key::ArrowDown);
    assert_eq!(slide(&h), 4);
    press(&mut h, egui::Key::ArrowLeft);
    assert_eq!(slide(&h), 3);
    press(&mut h, egui::Key::PageUp);
    assert_eq!(slide(&h), 2);
    press(&mut h, egui::Key::ArrowUp);
    assert_eq!(slide(&h), 1);
    h.get_by_label("The decision, the effect, and what it is worth");
    // The buttons do the same.
    common::click(&mut h, "Next");
    assert_eq!(slide(&h), 2);
    common::click(&mut h, "Previous");
    assert_eq!(slide(&h), 1);
    // Past the last slide it stays there.
    press(&mut h, egui::Key::End);
    assert_eq!(slide(&h), 14);
    press(&mut h, egui::Key::Space);
    assert_eq!(slide(&h), 14);
    h.get_by_label("15 / 15");
    press(&mut h, egui::Key::Escape);
    assert!(h.state().deck.is_none());
    // Back on the project, with its menus; nothing was changed.
    h.get_by_label("File");
    assert!(!h.state().is_dirty());
}

#[test]
fn the_present_button_opens_the_deck_and_leave_closes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    common::click(&mut h, "Present");
    assert_eq!(slide(&h), 0);
    h.get_by_label("1 / 15");
    common::click(&mut h, "Leave");
    assert!(h.state().deck.is_none());
    // F5 opens it again, and F5 leaves it too.
    press(&mut h, egui::Key::F5);
    assert!(h.state().deck.is_some());
    press(&mut h, egui::Key::F5);
    assert!(h.state().deck.is_none());
}

#[test]
fn details_show_the_numbers_behind_the_slide() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    press(&mut h, egui::Key::F5);
    // The AUC-to-churn link: the correlation figures are in the details.
    for _ in 0..7 {
        press(&mut h, egui::Key::ArrowRight);
    }
    h.get_by_label("AUC to monthly churn in 18 regional pilots");
    let figures = "Correlation r =";
    assert!(h.query_all_by_label_contains(figures).next().is_none());
    common::click(&mut h, "Details");
    assert!(h.query_all_by_label_contains(figures).next().is_some());
    // Per slide: the next slide's details are closed.
    press(&mut h, egui::Key::ArrowRight);
    assert!(h.query_all_by_label_contains(figures).next().is_none());
    press(&mut h, egui::Key::ArrowLeft);
    assert!(h.query_all_by_label_contains(figures).next().is_some());
    // D toggles them from the keyboard.
    press(&mut h, egui::Key::D);
    assert!(h.query_all_by_label_contains(figures).next().is_none());
}

/// Space moves to the next slide, unless the presenter reached a button with Tab: then Space
/// presses that button, as it does everywhere else.
#[test]
fn space_presses_a_button_reached_with_tab() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    press(&mut h, egui::Key::F5);
    for _ in 0..7 {
        press(&mut h, egui::Key::ArrowRight);
    }
    assert_eq!(slide(&h), 7);
    let figures = "Correlation r =";
    h.get_by_label("Details").focus();
    h.run_ok();
    assert!(h.get_by_label("Details").is_focused());
    press(&mut h, egui::Key::Space);
    assert_eq!(slide(&h), 7, "Space pressed the button");
    assert!(h.query_all_by_label_contains(figures).next().is_some());
    // The arrows still move on.
    press(&mut h, egui::Key::ArrowRight);
    assert_eq!(slide(&h), 8);
}

#[test]
fn dragging_the_live_slider_changes_value_roi_and_payback() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    press(&mut h, egui::Key::F5);
    press(&mut h, egui::Key::End);
    press(&mut h, egui::Key::ArrowLeft);
    h.get_by_label("What if the model moved AUC more, or less?");
    // The scenario's own change: €1.24M net, ROI 543%, payback in month 7.
    h.get_by_label("€1.24M");
    h.get_by_label("543%");
    h.get_by_label("month 7");
    // Half the change: less value, a lower ROI, a later payback.
    h.get_by_role(Role::Slider).set_value_accesskit(0.01);
    h.run_ok();
    assert_eq!(h.state().deck.as_ref().unwrap().live_change, Some(0.01));
    assert!(h.query_by_label("€1.24M").is_none());
    assert!(h.query_by_label("543%").is_none());
    assert!(h.query_by_label("month 7").is_none());
    // The scenario itself is not changed.
    let project = h.state().project().unwrap();
    let scenario = project
        .scenarios
        .iter()
        .find(|s| s.id == "scenario-1")
        .unwrap();
    assert_eq!(scenario.ml_change, 0.02);
    assert!(!h.state().is_dirty());
    common::click(&mut h, "Reset");
    h.get_by_label("€1.24M");
}

#[test]
fn the_deck_exports_as_one_self_contained_html_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    press(&mut h, egui::Key::F5);
    common::click(&mut h, "Export deck as HTML…");
    let out = tmp.path().join("churn-deck");
    common::answer_path_prompt(&mut h, &out);
    common::settle_jobs(&mut h);
    // The deck stays open and says where the page went; the file gets its .html.
    assert!(h.state().deck.is_some());
    h.get_by_label_contains("Exported the deck to");
    let html = std::fs::read_to_string(tmp.path().join("churn-deck.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for title in CHURN_TITLES {
        let escaped = title.replace('\'', "&#39;");
        assert!(html.contains(&escaped), "{title} is in the page");
    }
    assert!(html.contains("1 / 15") && html.contains("15 / 15"));
    // Nothing from elsewhere: no external scripts, styles, pictures or fonts.
    for external in [
        "src=\"http",
        "<link href=",
        "<link ",
        "url(http",
        "@import",
        "src=\"//",
    ] {
        assert!(!html.contains(external), "no {external}");
    }
    // Charts are inline SVG; the keys and the live slider work in the page.
    assert!(html.contains("<svg"));
    for key in ["ArrowRight", "ArrowLeft", "PageDown", "PageUp", "' '"] {
        assert!(html.contains(key), "the page handles {key}");
    }
    assert!(html.contains("id=\"live-slider\"") && html.contains("id=\"live-data\""));
    assert!(html.contains("<details>"));
}

/// The File menu's "Export deck as HTML…" sends the same command, without opening the deck.
#[test]
fn the_deck_exports_without_being_open() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = churn(tmp.path());
    h.state_mut().send(Command::ExportDeckDialog);
    h.run_ok();
    let out = tmp.path().join("from-menu.html");
    common::answer_path_prompt(&mut h, &out);
    common::settle_jobs(&mut h);
    assert!(h.state().deck.is_none());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("What happens next"));
}

/// The deck on a window of `size`, at slide `index` (the cursor out of the picture).
fn deck_at(tmp: &Path, size: egui::Vec2, index: usize) -> H {
    let mut h = churn(tmp);
    h.set_size(size);
    h.run_ok();
    press(&mut h, egui::Key::F5);
    for _ in 0..index {
        press(&mut h, egui::Key::ArrowRight);
    }
    h.remove_cursor();
    h.run_ok();
    h
}

const FULL_HD: egui::Vec2 = egui::vec2(1920.0, 1080.0);
const LAPTOP: egui::Vec2 = egui::vec2(1280.0, 800.0);

#[test]
fn snapshot_deck_title_1920() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), FULL_HD, 0);
    h.snapshot("deck_title_1920");
}

#[test]
fn snapshot_deck_evidence_1920() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), FULL_HD, 6);
    h.snapshot("deck_evidence_1920");
}

#[test]
fn snapshot_deck_live_1920() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), FULL_HD, 13);
    h.snapshot("deck_live_1920");
}

#[test]
fn snapshot_deck_title_1280() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), LAPTOP, 0);
    h.snapshot("deck_title_1280");
}

#[test]
fn snapshot_deck_evidence_1280() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), LAPTOP, 6);
    h.snapshot("deck_evidence_1280");
}

#[test]
fn snapshot_deck_live_1280() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = deck_at(tmp.path(), LAPTOP, 13);
    h.snapshot("deck_live_1280");
}

#[test]
fn over_time_and_distribution_views_get_slides_with_their_sentences() {
    // Newsfeed: an over-time view whose slide leads with each deployment's before and after.
    let project = throughline::io::load_project(&example("newsfeed-ranking.ron")).unwrap();
    let deck = build_deck(&project);
    let view = &project.evidence.timelines[0];
    let slide = deck
        .slides
        .iter()
        .find(|s| s.key == format!("evidence-{}", view.id))
        .expect("a slide for the over-time view");
    assert_eq!(slide.kind, SlideKind::Evidence);
    assert!(
        slide
            .headline
            .iter()
            .any(|h| h.contains("went live on 2024-03-11")),
        "{:?}",
        slide.headline
    );
    // Next-app: a distribution view whose slide describes each variant's spread.
    let project = throughline::io::load_project(&example("next-app-recommendation.ron")).unwrap();
    let deck = build_deck(&project);
    let view = &project.evidence.distributions[0];
    let slide = deck
        .slides
        .iter()
        .find(|s| s.key == format!("evidence-{}", view.id))
        .expect("a slide for the distribution view");
    assert!(
        slide.headline.iter().any(|h| h.contains("median")),
        "{:?}",
        slide.headline
    );
}
