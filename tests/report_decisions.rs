//! The decision-grade parts of an experiment analysis in the one-page summary: a badge per
//! treatment with its reasons, the CUPED note and the segment sentence, in Markdown, in HTML
//! (escaped, styled) and on the Summary page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod decision_fixture;
mod evidence_fixture;

use decision_fixture::project;

use egui_kittest::kittest::Queryable as _;
use throughline::analysis::Decision;
use throughline::app::Document;
use throughline::io::report::{ReportFormat, render};
use throughline::model::Page;

#[test]
fn markdown_has_the_badge_the_cuped_note_and_the_segment_sentence() {
    let md = render(&project(), ReportFormat::Markdown);
    assert!(md.contains("**Ship** — treatment vs control"), "{md}");
    assert!(md.contains("- treatment raised revenue"), "{md}");
    assert!(
        md.contains("The pre-experiment baseline removed 65% of the noise in revenue"),
        "{md}"
    );
    assert!(
        md.contains("differs between country values") && md.contains("comes mostly from BR"),
        "{md}"
    );
    // The table shows the adjusted comparison (the default).
    assert!(
        md.contains("(adjusted)") && !md.contains("(unadjusted)"),
        "{md}"
    );
    // The badge comes before the table.
    let badge = md.find("**Ship**").unwrap();
    let table = md.find("| Metric |").unwrap();
    assert!(badge < table);
}

#[test]
fn html_styles_the_badge_and_escapes_the_reasons() {
    let html = render(&project(), ReportFormat::Html);
    assert!(
        html.contains(
            "<span class=\"badge ship\">Ship</span> <strong>treatment vs control</strong>"
        ),
        "{html}"
    );
    assert!(html.contains(".badge.ship { background: #007850; }"));
    assert!(html.contains("revenue &lt;by 5%&gt;"));
    assert!(!html.contains("<by 5%>"));
    assert!(html.contains("removed 65% of the noise"));
}

#[test]
fn the_table_follows_the_cuped_toggle() {
    let mut p = project();
    p.evidence.experiments[0].spec.show_unadjusted = true;
    let md = render(&p, ReportFormat::Markdown);
    assert!(
        md.contains("(unadjusted)") && !md.contains("(adjusted)."),
        "{md}"
    );
    assert!(md.contains("without the pre-experiment adjustment"), "{md}");
}

#[test]
fn every_decision_has_its_badge() {
    for (decision, label, class) in [
        (Decision::Ship, "Ship", "ship"),
        (Decision::DoNotShip, "Don't ship", "do_not_ship"),
        (Decision::Inconclusive, "Inconclusive", "inconclusive"),
        (Decision::SrmFailure, "Sample-ratio problem", "srm_failure"),
    ] {
        let mut p = project();
        if let Some((_, r)) = &mut p.evidence.experiments[0].result {
            r.decisions[0].decision = decision;
        }
        let md = render(&p, ReportFormat::Markdown);
        assert!(md.contains(&format!("**{label}** — treatment")), "{md}");
        let html = render(&p, ReportFormat::Html);
        assert!(
            html.contains(&format!(
                "class=\"badge {class}\">{}",
                label.replace('\'', "&#39;")
            )),
            "{label}"
        );
    }
}

#[test]
fn summary_page_shows_the_badge_and_the_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1300.0);
    let mut p = project();
    p.view.page = Page::Summary;
    h.state_mut().ws.doc = Some(Document::new(p, None));
    h.run_ok();
    h.run_ok();
    // In the headline block (titled with the analysis) and in the Evidence section.
    assert_eq!(h.query_all_by_label("Ship").count(), 2);
    // The badge's title and the table's comparison.
    assert!(h.query_all_by_label("treatment vs control").count() >= 2);
    assert_eq!(
        h.query_all_by_label("treatment raised revenue <by 5%> (success metric).")
            .count(),
        2
    );
    h.get_by_label_contains("removed 65% of the noise in revenue");
    h.get_by_label_contains("comes mostly from BR");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("summary_decisions");
}
