//! The five example projects are complete: data from `assets/` attached, evidence computed from
//! exactly those files with the saved settings, and what-if scenarios whose measured links
//! resolve. Opening an example shows its evidence up to date without recomputing or marking the
//! project changed. (After changing the sample data or an example's analyses, run
//! `cargo run --release --example refresh_examples`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use std::path::PathBuf;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Command;
use throughline::app::evidence_jobs::{EvidenceAnalysis, settings_hash};
use throughline::model::{CacheStamp, LinkSource, Project};

const EXAMPLES: [&str; 5] = [
    "churn-prediction.ron",
    "card-fraud-detection.ron",
    "next-app-recommendation.ron",
    "newsfeed-ranking.ron",
    "ad-click-through-rate.ron",
];

fn path(file: &str) -> PathBuf {
    common::examples_dir().join(file)
}

fn load(file: &str) -> Project {
    throughline::io::load_project(&path(file)).unwrap()
}

/// The analysis' saved result was computed with its current settings from the current file.
fn assert_fresh<A: EvidenceAnalysis>(project: &Project, file: &str, analysis: &A) {
    let what = format!("{file}: {} \"{}\"", A::KIND, analysis.name());
    let stamp: &CacheStamp = analysis
        .stamp()
        .unwrap_or_else(|| panic!("{what} has no saved result: run refresh_examples"));
    assert_eq!(
        stamp.settings_hash,
        settings_hash(&analysis.settings()),
        "{what} was computed with other settings: run refresh_examples"
    );
    let dataset = project.dataset(analysis.dataset_id()).unwrap();
    let data = throughline::data::dataset_path(dataset, Some(&common::examples_dir()));
    let now = throughline::data::fingerprint(&data).unwrap();
    assert_eq!(
        stamp.data_fingerprint.as_ref().map(|f| &f.content_hash),
        Some(&now.content_hash),
        "{what} was computed from another version of {}: run refresh_examples",
        data.display()
    );
}

#[test]
fn every_example_has_data_evidence_and_scenarios() {
    for file in EXAMPLES {
        let project = load(file);
        assert!(!project.datasets.is_empty(), "{file}: no data attached");
        for dataset in &project.datasets {
            assert!(
                dataset.path.starts_with("../assets"),
                "{file}: {} is not one of the sample files",
                dataset.path.display()
            );
            assert!(
                dataset.fingerprint.is_some(),
                "{file}: {} has no fingerprint",
                dataset.name
            );
        }
        let evidence = &project.evidence;
        let analyses = evidence.experiments.len()
            + evidence.links.len()
            + evidence.thresholds.len()
            + evidence.timelines.len()
            + evidence.distributions.len()
            + evidence.metas.len();
        assert!(analyses >= 2, "{file}: only {analyses} analyses");
        evidence
            .experiments
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));
        evidence
            .links
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));
        evidence
            .thresholds
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));
        evidence
            .timelines
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));
        evidence
            .distributions
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));
        evidence
            .metas
            .iter()
            .for_each(|a| assert_fresh(&project, file, a));

        assert!(!project.scenarios.is_empty(), "{file}: no what-if scenario");
        for scenario in &project.scenarios {
            let outputs = throughline::model::scenario_outputs(&project, scenario)
                .unwrap_or_else(|e| panic!("{file}: {}: {e}", scenario.name));
            assert!(
                outputs.net_value.likely.is_finite(),
                "{file}: {}",
                scenario.name
            );
        }
    }
}

#[test]
fn the_examples_measure_what_their_framing_hypothesises() {
    // Each example's measured link agrees in sign with the hypothesis on its Frame page, and
    // the experiments give clear answers (the examples teach the happy path and its limits).
    let slope = |file: &str, id: &str| {
        let project = load(file);
        let link = project.evidence.links.iter().find(|l| l.id == id).unwrap();
        link.output().unwrap().result.slope.unwrap()
    };
    // −0.1 pp churn for +0.02 AUC.
    let churn = slope("churn-prediction.ron", "auc-churn") * 0.02;
    assert!((-0.15..-0.05).contains(&churn), "{churn}");
    // About +0.8 pp of row opens per +1 pp hit rate hoped; measured a little less.
    let opens = slope("next-app-recommendation.ron", "hit-rate-opens") * 0.01;
    assert!((0.4..0.8).contains(&opens), "{opens}");
    // +0.03 quality NDCG: about −1 pp negative sessions.
    let negative = slope("newsfeed-ranking.ron", "quality-negative") * 0.03;
    assert!((-1.2..-0.6).contains(&negative), "{negative}");
    // −0.0005 log loss: about +€0.02 RPM.
    let rpm = slope("ad-click-through-rate.ron", "logloss-rpm") * -0.0005;
    assert!((0.01..0.03).contains(&rpm), "{rpm}");

    let churn = load("churn-prediction.ron");
    let (_, result) = churn.evidence.experiments[0].result.clone().unwrap();
    let churned = result
        .metrics
        .iter()
        .find(|m| m.metric == "churned_30d")
        .unwrap();
    let comparison = &churned.comparisons[0];
    assert!(comparison.p_value.unwrap() < 0.05 && comparison.diff.unwrap() < 0.0);

    // The threshold worth most declines more than the threshold with the best F1.
    let fraud = load("card-fraud-detection.ron");
    let (_, threshold) = fraud.evidence.thresholds[0].result.clone().unwrap();
    assert!(threshold.best_value_threshold.unwrap() < threshold.best_f1_threshold.unwrap());

    // Every measured scenario points to a link of its own project.
    for file in EXAMPLES {
        let project = load(file);
        for scenario in &project.scenarios {
            if let LinkSource::Measured { link_id } = &scenario.link {
                assert!(
                    project.evidence.links.iter().any(|l| &l.id == link_id),
                    "{file}: {} points to a missing link",
                    scenario.name
                );
            }
        }
    }
}

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn is_dirty(h: &H) -> bool {
    h.state().ws.doc.as_ref().unwrap().is_dirty()
}

fn settle_tab(h: &mut H, label: &str) {
    common::click(h, label);
    evidence_fixture::settle(h);
    evidence_fixture::settle(h);
}

#[test]
fn opening_an_example_shows_its_evidence_up_to_date_and_unchanged() {
    for file in EXAMPLES {
        let tmp = tempfile::tempdir().unwrap();
        let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
        h.state_mut().send(Command::OpenProject(path(file)));
        h.run_ok();
        let project = h.state().project().unwrap().clone();
        assert_eq!(project, load(file));
        settle_tab(&mut h, "2   Data");
        assert!(h.query_by_label_contains("has changed since").is_none());
        assert!(h.query_by_label_contains("was not found").is_none());
        assert!(!is_dirty(&h), "{file}: looking at the data changed it");
        common::click(&mut h, "3   Evidence");
        evidence_fixture::settle(&mut h);
        let evidence = &project.evidence;
        let tabs = [
            ("Experiment results", !evidence.experiments.is_empty()),
            ("ML vs business", !evidence.links.is_empty()),
            ("Over time", !evidence.timelines.is_empty()),
            ("Distributions", !evidence.distributions.is_empty()),
            ("Past experiments", !evidence.metas.is_empty()),
        ];
        for (tab, used) in tabs.into_iter().filter(|(_, used)| *used) {
            settle_tab(&mut h, tab);
            assert!(
                h.query_all_by_label_contains("Up to date with the data in")
                    .next()
                    .is_some(),
                "{file}: {tab} is not up to date (used: {used})"
            );
        }
        assert!(!is_dirty(&h), "{file}: looking at the evidence changed it");

        settle_tab(&mut h, "4   What-if");
        for scenario in &project.scenarios {
            assert!(
                h.query_all_by_label(&scenario.name).next().is_some(),
                "{file}: scenario {} is not listed",
                scenario.name
            );
        }
        if !evidence.thresholds.is_empty() {
            settle_tab(&mut h, "Classifier threshold");
            h.get_by_label("Business value by threshold");
            assert!(
                h.query_all_by_label_contains("Up to date with the data in")
                    .next()
                    .is_some(),
                "{file}: the threshold curve is not up to date"
            );
        }
        assert!(!is_dirty(&h), "{file}: looking at the scenarios changed it");
    }
}

#[test]
fn a_new_project_from_an_example_finds_the_sample_data() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    h.state_mut()
        .send(Command::NewFromExample(path("newsfeed-ranking.ron")));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    settle_tab(&mut h, "Over time");
    h.get_by_label("Up to date with the data in \"newsfeed_daily.csv\".");
    assert!(h.query_by_label_contains("cannot be found").is_none());
}

#[test]
fn the_summary_page_plots_each_measured_link() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    h.state_mut()
        .send(Command::OpenProject(path("churn-prediction.ron")));
    h.run_ok();
    settle_tab(&mut h, "5   Summary");
    h.get_by_label("AUC to monthly churn in 18 regional pilots: Monthly churn against AUC");
    h.get_by_label(
        "Recall in the top 20,000 to revenue kept: Revenue kept by retention offers against \
         recall in the top 20,000",
    );
}

/// The examples show the noise-aware pieces: a link whose points carry standard errors (the
/// York fit) and a meta-analysis of past experiments.
#[test]
fn the_examples_use_the_noise_aware_link_and_a_meta_analysis() {
    let projects: Vec<Project> = EXAMPLES.iter().map(|f| load(f)).collect();
    let york = projects
        .iter()
        .flat_map(|p| &p.evidence.links)
        .find_map(|l| l.output().and_then(|d| d.result.york.clone()))
        .expect("an example link with standard errors");
    assert!(york.n >= 20, "{york:?}");
    let meta = projects
        .iter()
        .flat_map(|p| &p.evidence.metas)
        .find_map(|m| m.output().cloned())
        .expect("an example meta-analysis");
    assert!(meta.k >= 20, "{meta:?}");
    assert!(meta.experiments.iter().all(|e| e.shrunken.is_some()));
}

/// The churn example shows the decision-grade experiment results: a decision over a success
/// metric and a guardrail, last month's revenue removing noise from next month's (CUPED), revenue
/// per session (a ratio metric) and the breakdown by plan, on the Evidence page and the Summary.
#[test]
fn the_churn_example_decides_with_cuped_a_ratio_and_segments() {
    let churn = load("churn-prediction.ron");
    let (_, result) = churn.evidence.experiments[0].result.clone().unwrap();
    assert_eq!(result.decisions.len(), 1);
    assert_eq!(
        result.decisions[0].decision,
        throughline::analysis::Decision::Ship
    );
    let revenue = result
        .metrics
        .iter()
        .find(|m| m.metric == "revenue_next_month_eur")
        .unwrap();
    assert_eq!(revenue.covariate.as_deref(), Some("revenue_prev_month_eur"));
    assert!(revenue.variance_reduction.unwrap() > 0.3);
    assert!(!revenue.comparisons_unadjusted.is_empty());
    let ratio = result
        .metrics
        .iter()
        .find(|m| m.metric == "revenue per session")
        .unwrap();
    assert_eq!(ratio.kind, throughline::analysis::ResolvedKind::Ratio);
    let segments = result.segments.as_ref().unwrap();
    assert_eq!(segments.column, "plan");
    assert!(!segments.metrics.is_empty());

    let tmp = tempfile::tempdir().unwrap();
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1700.0);
    h.state_mut()
        .send(Command::OpenProject(path("churn-prediction.ron")));
    h.run_ok();
    common::click(&mut h, "3   Evidence");
    evidence_fixture::settle(&mut h);
    h.get_by_label("Ship");
    h.get_by_label_contains("The pre-experiment revenue previous month removed 52");
    h.get_by_label("By plan");
    settle_tab(&mut h, "5   Summary");
    // In the headline block and in the Evidence section.
    assert_eq!(h.query_all_by_label("Ship").count(), 2);
    assert!(!is_dirty(&h));
}

#[test]
fn every_example_scenario_is_discounted_and_compared_by_maturity() {
    let mut direct = 0;
    for file in EXAMPLES {
        let project = load(file);
        for scenario in &project.scenarios {
            let what = format!("{file}: {}", scenario.name);
            assert!(scenario.discount_rate > 0.0, "{what}: no discount rate");
            let o = throughline::model::scenario_outputs(&project, scenario)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(o.npv.likely.is_some(), "{what}: no NPV");
            assert_eq!(o.by_maturity.len(), 4, "{what}: no by-maturity comparison");
            assert!(
                o.by_maturity
                    .iter()
                    .all(|r| r.roi.is_some() && r.npv.is_some()),
                "{what}: a maturity stage without ROI or NPV"
            );
            assert_eq!(o.by_maturity.iter().filter(|r| r.current).count(), 1);
            assert!(!o.realism.sentence.is_empty(), "{what}: no realism check");
            if matches!(scenario.link, LinkSource::Experiment { .. }) {
                direct += 1;
            }
        }
    }
    assert!(
        direct >= 1,
        "no example takes its value straight from an experiment"
    );
}
