//! Issue 16 item 5: the Summary and the report lead with the answer (decision badges, what the
//! ML change did to the business metric, what it is worth), over-time views and distributions
//! appear in them too, and results whose data file was removed are marked there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Document;
use throughline::io::load_project;
use throughline::io::report::{EffectSource, ReportFormat, headline, render};
use throughline::model::{Page, Project};

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn example(name: &str) -> Project {
    load_project(&common::examples_dir().join(format!("{name}.ron"))).unwrap()
}

/// The app showing `project`'s Summary page in a window of the given height.
fn summary(tmp: &std::path::Path, mut project: Project, height: f32) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(tmp), height);
    project.view.page = Page::Summary;
    h.state_mut().ws.doc = Some(Document::new(project, None));
    h.run_ok();
    h.run_ok();
    h
}

fn top(h: &H, label: &str) -> f32 {
    h.get_by_label(label).rect().top()
}

#[test]
fn the_headline_function_gives_decision_effect_and_value() {
    let p = example("churn-prediction");
    let head = headline(&p);
    assert!(!head.is_empty());
    let ship = head.decisions.first().expect("a decision badge");
    assert_eq!(ship.badge.label, "Ship");
    assert!(!ship.out_of_date);
    let link = head
        .effects
        .iter()
        .find(|e| e.source == EffectSource::Link)
        .expect("a link headline");
    assert!(
        // AUC is a score: it moves by 0.01, not by percentage points.
        link.sentence.starts_with("Each +0.01 of AUC came with"),
        "{}",
        link.sentence
    );
    assert!(link.sentence.contains("came with"), "{}", link.sentence);
    let value = head.value.as_ref().expect("a scenario's value");
    assert!(value.net_value.starts_with('€'), "{}", value.net_value);
    assert!(
        value.roi.ends_with('%') || value.roi.contains("% ("),
        "{}",
        value.roi
    );
    assert!(value.payback.starts_with("month"), "{}", value.payback);
    // The churn scenarios are discounted at 8% a year: the NPV is given.
    assert!(value.npv.is_some());
    // The selected scenario is the one told.
    let mut p2 = p.clone();
    let second = p2.scenarios[1].id.clone();
    p2.view.selected_scenario = Some(second);
    let other = headline(&p2).value.unwrap();
    assert_ne!(other.scenario, value.scenario);
}

#[test]
fn the_summary_page_leads_with_the_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let h = summary(tmp.path(), example("churn-prediction"), 800.0);
    // The headline block comes before the framing sections.
    let answer = top(&h, "The answer");
    assert!(answer < top(&h, "Business problem"));
    // The decision badge (also in the Evidence section further down), the link sentence, and
    // what it is worth.
    assert!(h.query_all_by_label("Ship").count() >= 1);
    let badge = h
        .query_all_by_label("Ship")
        .map(|n| n.rect().top())
        .fold(f32::INFINITY, f32::min);
    assert!(badge > answer && badge < top(&h, "Business problem"));
    // Two links: two sentences, both in the headline.
    let sentences: Vec<f32> = h
        .query_all_by_label_contains("Each +")
        .map(|n| n.rect().top())
        .collect();
    assert!(!sentences.is_empty());
    assert!(
        sentences
            .iter()
            .any(|&y| y > answer && y < top(&h, "Business problem"))
    );
    for label in ["What it is worth", "Net value", "ROI", "Payback", "NPV"] {
        let y = h
            .query_all_by_label(label)
            .map(|n| n.rect().top())
            .fold(f32::INFINITY, f32::min);
        assert!(
            y > answer && y < top(&h, "Business problem"),
            "{label} at {y}"
        );
    }
    // Everything in the headline is within the first screen (its snapshot is `summary`).
    assert!(top(&h, "Business problem") < 800.0);
}

#[test]
fn over_time_and_distribution_views_are_in_the_summary_and_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    // Over time (newsfeed): the before-and-after sentence of each deployment.
    let newsfeed = example("newsfeed-ranking");
    let md = render(&newsfeed, ReportFormat::Markdown);
    let html = render(&newsfeed, ReportFormat::Html);
    assert!(md.contains("went live on 2024-03-11"), "{md}");
    assert!(html.contains("went live on 2024-03-11"));
    assert!(md.contains("Daily averages over every line"));
    let h = summary(tmp.path(), newsfeed.clone(), 4000.0);
    // In the headline (a business metric) and in the Evidence section.
    assert!(
        h.query_all_by_label_contains("went live on 2024-03-11")
            .count()
            >= 2
    );
    drop(h);
    // The newsfeed's headline: three links and two deployments, no experiment decision.
    let mut h = summary(tmp.path(), newsfeed, 800.0);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("summary_headline_newsfeed");
    drop(h);
    // Distributions (next-app recommendation): each variant's median and middle half.
    let next_app = example("next-app-recommendation");
    let md = render(&next_app, ReportFormat::Markdown);
    assert!(md.contains(": median "), "{md}");
    assert!(md.contains("middle half"), "{md}");
    let h = summary(tmp.path(), next_app, 4000.0);
    h.get_by_label_contains(": median ");
}

#[test]
fn removed_data_marks_the_headline_and_the_report_out_of_date() {
    let mut p = example("churn-prediction");
    let experiment_data = p.evidence.experiments[0].spec.dataset_id.clone();
    p.datasets.retain(|d| d.id != experiment_data);
    let head = headline(&p);
    assert!(head.decisions.iter().all(|d| d.out_of_date));
    let md = render(&p, ReportFormat::Markdown);
    let answer = md.find("## The answer").unwrap();
    let problem = md.find("## Business problem").unwrap();
    let stale = md.find("Out of date").unwrap();
    assert!(answer < stale && stale < problem, "{md}");
    let tmp = tempfile::tempdir().unwrap();
    let h = summary(tmp.path(), p, 800.0);
    let mark = h.get_by_label_contains("Out of date: \u{201c}");
    assert!((mark.rect().top()) < top(&h, "Business problem"));
}
