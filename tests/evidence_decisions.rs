//! The decision-grade experiment view (issue 12), on a saved result whose data file is missing
//! (nothing is recomputed): the decision badge leads with its reasons, the CUPED note and its
//! toggle switch the tables and verdicts to the unadjusted results without recomputing, the
//! detectable change, chance to win and expected loss sit beside each result, and the breakdown
//! by country is a forest plot under its heterogeneity sentence. Snapshots of each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod decision_fixture;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Document;

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn open(height: f32) -> (tempfile::TempDir, H) {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), height);
    h.state_mut().ws.doc = Some(Document::new(decision_fixture::project(), None));
    evidence_fixture::settle(&mut h);
    (tmp, h)
}

fn spec(h: &H) -> &throughline::model::ExperimentSpec {
    &h.state().project().unwrap().evidence.experiments[0].spec
}

#[test]
fn decision_badge_leads_with_its_reasons() {
    let (_tmp, mut h) = open(2300.0);
    h.get_by_label("Decision");
    h.get_by_label("Ship");
    h.get_by_label("treatment raised revenue <by 5%> (success metric).");
    h.get_by_label("Converted did not get worse than its 1% margin (guardrail).");
    // Each metric says its part in the decision.
    h.get_by_label("Revenue · business metric · mean · success metric");
    h.get_by_label("Converted · business metric · proportion · guardrail (may worsen by 1%)");
    // Beside each result: the smallest detectable change, the chance to win, the expected loss.
    assert_eq!(
        h.query_all_by_label("Detectable change").count(),
        2,
        "one per metric"
    );
    h.get_by_label("±2.1%");
    h.get_by_label("98.7%");
    h.get_by_label("0.0012");
    h.get_by_label("±4.8%");
    // A proportion's expected loss is in percentage points.
    h.get_by_label("0.03 pp");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_decisions");
}

#[test]
fn every_decision_reads_as_its_badge() {
    for (decision, label) in [
        (throughline::analysis::Decision::DoNotShip, "Don't ship"),
        (
            throughline::analysis::Decision::Inconclusive,
            "Inconclusive",
        ),
        (
            throughline::analysis::Decision::SrmFailure,
            "Sample-ratio problem",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1200.0);
        let mut p = decision_fixture::project();
        if let Some((_, r)) = &mut p.evidence.experiments[0].result {
            r.decisions[0].decision = decision;
        }
        h.state_mut().ws.doc = Some(Document::new(p, None));
        evidence_fixture::settle(&mut h);
        h.get_by_label(label);
        assert!(h.query_by_label("Ship").is_none(), "{label}");
    }
}

#[test]
fn cuped_toggle_shows_the_unadjusted_results_without_recomputing() {
    let (_tmp, mut h) = open(2300.0);
    h.get_by_label(
        "The pre-experiment baseline removed 65% of the noise in revenue, so its intervals are \
         narrower than without it.",
    );
    h.get_by_label("Shown below: adjusted for the pre-experiment values (CUPED).");
    h.get_by_label_contains("(adjusted).");
    assert!(h.query_by_label_contains("(unadjusted).").is_none());
    h.get_by_label("+3% to +7%");
    common::click(
        &mut h,
        "Show the results without the pre-experiment adjustment",
    );
    evidence_fixture::settle(&mut h);
    assert!(spec(&h).show_unadjusted);
    h.get_by_label("Shown below: without the pre-experiment adjustment.");
    h.get_by_label_contains("(unadjusted).");
    assert!(h.query_by_label_contains("(adjusted).").is_none());
    h.get_by_label("+1.3% to +8.3%");
    // Nothing was recomputed: the saved result is still there, and no job ran.
    assert!(!h.state().is_busy());
    assert!(
        h.state().project().unwrap().evidence.experiments[0]
            .result
            .is_some()
    );
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_decisions_unadjusted");
    // And back.
    common::click(
        &mut h,
        "Show the results without the pre-experiment adjustment",
    );
    evidence_fixture::settle(&mut h);
    assert!(!spec(&h).show_unadjusted);
    h.get_by_label_contains("(adjusted).");
}

#[test]
fn segment_breakdown_is_a_forest_plot_under_its_sentence() {
    let (_tmp, mut h) = open(2300.0);
    h.get_by_label("By country");
    h.get_by_label(
        "The effect of treatment on revenue differs between country values (p < 0.001): it \
         comes mostly from BR (a difference of +3).",
    );
    h.get_by_label_contains("Cochran's Q = ");
    h.get_by_label("Revenue: treatment vs control by country");
    h.get_by_label_contains("Difference in revenue in each country value");
    // In the dark theme: the badge, the sentence and the plot must read there too.
    h.state_mut().settings.dark_mode = true;
    evidence_fixture::settle(&mut h);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_decisions_dark");
}

#[test]
fn settings_offer_roles_covariates_and_the_segment_picker() {
    let (_tmp, mut h) = open(2300.0);
    common::click(&mut h, "Settings");
    evidence_fixture::settle(&mut h);
    h.get_by_label("In the decision");
    h.get_by_label("Pre-experiment value");
    assert_eq!(h.query_all_by_label("Lower is better").count(), 2);
    h.get_by_label("Break results down by");
    h.get_by_label("most frequent values shown");
    assert_eq!(spec(&h).max_segments, 10);
    // The pre-experiment column is not offered as a metric of its own.
    assert!(h.query_by_label("baseline").is_none());
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_decisions_settings");
}

/// The churn example computed from its sample data: the decision, CUPED on next month's
/// revenue, revenue per session and the breakdown by plan, as a stakeholder sees them.
#[test]
fn snapshot_of_the_churn_example() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 3400.0);
    h.state_mut()
        .send(throughline::app::Command::NewFromExample(
            common::examples_dir().join("churn-prediction.ron"),
        ));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    h.get_by_label("Ship");
    assert!(h.query_all_by_label("model_targeting vs control").count() >= 1);
    h.get_by_label("Revenue per session · business metric · ratio");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_decisions_churn");
}
