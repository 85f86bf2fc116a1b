//! The Evidence page on the sample data (assets/, through the project
//! tests/fixtures/checkout-recommender.ron): each view driven by label, its verdicts and
//! figures checked, and a snapshot of each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;

use evidence_fixture::{open_sample, project, show_tab};

#[test]
fn experiment_results_on_the_sample_test() {
    let (_tmp, h) = open_sample(1700.0);
    let analysis = &project(&h).evidence.experiments[0];
    let (_, result) = analysis
        .result
        .clone()
        .expect("computed from the sample data");
    assert_eq!(result.rows, 18_000);
    assert!(result.srm.warning.is_none(), "the sample test is balanced");
    h.get_by_label("Up to date with the data in \"ab_test_checkout.csv\".");
    h.get_by_label_contains("18,000 units in \"ab_test_checkout.csv\"");
    // Every verdict sentence of the engine is on the page.
    for metric in &result.metrics {
        for c in &metric.comparisons {
            // With the project's display names for the engine's column names.
            h.get_by_label(&project(&h).relabel(&c.verdict, &metric.metric));
        }
    }
    h.get_by_label_contains("bigger_model raised the average revenue from 3.89 to 4.84");
    h.get_by_label("Revenue · business metric · mean");
    h.get_by_label("Converted · business metric · proportion");
    assert_eq!(
        h.query_all_by_label("control (control)").count(),
        2,
        "one per metric table"
    );
    // Holm is on in the example: adjusted p-values in the tables.
    assert_eq!(h.query_all_by_label("p-value (Holm)").count(), 2);
    assert!(h.query_by_label("Do not trust these results yet").is_none());
}

#[test]
fn ml_vs_business_on_the_24_experiments() {
    let (_tmp, mut h) = open_sample(1700.0);
    show_tab(&mut h, "ML vs business");
    let link = &project(&h).evidence.links[0];
    assert_eq!(link.points().len(), 24);
    let (_, result) = link.result.clone().unwrap();
    assert_eq!(result.result.n, 24);
    let slope_pp = result.result.slope.unwrap() * 0.01;
    assert!(slope_pp > 0.0);
    h.get_by_label_contains("Each +1 pp of offline accuracy came with +");
    h.get_by_label_contains("revenue per user (95% CI");
    h.get_by_label_contains("across 24 experiments.");
    h.get_by_label("ML metric: Offline accuracy");
    h.get_by_label("Business metric: Revenue per user");
    h.get_by_label("24 experiments");
}

#[test]
fn over_time_marks_the_three_deployments() {
    let (_tmp, mut h) = open_sample(1700.0);
    show_tab(&mut h, "Over time");
    let (_, data) = project(&h).evidence.timelines[0].result.clone().unwrap();
    let models: Vec<&str> = data
        .series
        .iter()
        .filter(|s| s.metric == "revenue_per_user_usd")
        .map(|s| s.series.as_str())
        .collect();
    assert_eq!(models, ["ranker_v1", "ranker_v2", "ranker_v3"]);
    h.get_by_label(
        "Deployments (dashed lines): ranker_v1 on 2024-01-01, ranker_v2 on 2024-02-15, \
         ranker_v3 on 2024-04-20.",
    );
    h.get_by_label("Business metric: Revenue per user");
    h.get_by_label("ML metric: Online AUC");
}

#[test]
fn distributions_of_revenue_per_variant() {
    let (_tmp, mut h) = open_sample(1700.0);
    show_tab(&mut h, "Distributions");
    let (_, data) = project(&h).evidence.distributions[0]
        .result
        .clone()
        .unwrap();
    let variants: Vec<&str> = data.variants.iter().map(|v| v.variant.as_str()).collect();
    assert_eq!(variants.len(), 3);
    assert!(variants.contains(&"control") && variants.contains(&"reranker"));
    assert!(
        data.missing > 0,
        "a few revenue values are missing in the sample"
    );
    h.get_by_label_contains("units had no value for revenue and are left out.");
    // The example leaves the zeros out: the spend of buyers only.
    h.get_by_label("Zeros are left out of the figures and the chart.");
    assert!(
        data.variants
            .iter()
            .all(|v| v.zeros > 0 && v.stats.min > 0.0)
    );
    h.get_by_label("Revenue per variant");
}

#[test]
fn snapshots_of_the_four_views_on_sample_data() {
    let (_tmp, mut h) = open_sample(1700.0);
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_sample_experiments");
    for (tab, name) in [
        ("ML vs business", "evidence_sample_link"),
        ("Over time", "evidence_sample_timeline"),
        ("Distributions", "evidence_sample_distribution"),
    ] {
        show_tab(&mut h, tab);
        h.remove_cursor();
        h.run_ok();
        h.snapshot(name);
    }
}

/// The whole journey: add the sample files on the Data page (roles detected there), then start
/// each kind of evidence from the Evidence page with its defaults.
#[test]
fn from_the_data_page_to_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    common::click(&mut h, "New project");
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    h.state_mut().send(Command::AddDataFiles(vec![
        assets.join("ab_test_checkout.csv"),
        assets.join("experiments_ml_vs_business.csv"),
    ]));
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    assert_eq!(project(&h).datasets.len(), 2);
    common::click(&mut h, "3   Evidence");
    common::click(&mut h, "New experiment analysis");
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let analysis = &project(&h).evidence.experiments[0];
    assert_eq!(
        analysis.spec.variant_column, "variant",
        "the detected variant column"
    );
    assert_eq!(analysis.spec.control, "control", "read from the data");
    assert!(!analysis.spec.metrics.is_empty(), "the detected metrics");
    let (_, result) = analysis.result.as_ref().expect("computed");
    assert_eq!(result.rows, 18_000);

    common::click(&mut h, "ML vs business");
    common::click(&mut h, "New link");
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let link = &project(&h).evidence.links[0];
    let experiments = project(&h)
        .datasets
        .iter()
        .find(|d| d.name.starts_with("experiments_ml_vs_business"))
        .unwrap();
    assert_eq!(
        link.spec.dataset_id, experiments.id,
        "the file with ML and business metrics"
    );
    assert!(
        !link.spec.x.is_empty() && !link.spec.y.is_empty(),
        "{link:?}"
    );
    assert_eq!(link.result.as_ref().expect("computed").1.result.n, 24);
}
