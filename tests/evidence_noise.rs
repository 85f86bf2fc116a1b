//! The noise-aware pieces of the Evidence page, computed from real files by the app's jobs:
//! the ML-vs-business link built from per-experiment effects of one unit-level file (York fit,
//! error bars in both directions, the plain fit and the reliability of x beside it), and the
//! Past experiments tab (meta-analysis, forest plot, the winner's curse). Snapshots of both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use std::path::PathBuf;

use egui_kittest::kittest::Queryable as _;
use throughline::app::Document;
use throughline::model::*;

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn column(name: &str, role: ColumnRole, dtype: &str) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        role,
        dtype: dtype.into(),
        metric: None,
    }
}

/// 24 past newsfeed tests in one unit-level file, and a file of 18 measured effects with
/// their standard errors.
fn project() -> Project {
    let mut project = Project::named("Newsfeed tests");
    project.view.page = Page::Evidence;
    project.datasets = vec![
        Dataset {
            id: "units".into(),
            name: "newsfeed_experiment_units.csv".into(),
            path: file("assets/newsfeed_experiment_units.csv"),
            format: Some(FileFormat::Csv),
            shape: DataShape::UnitLevel,
            columns: vec![
                column("experiment_id", ColumnRole::Segment, "text"),
                column("variant", ColumnRole::Variant, "text"),
                column("quality_ndcg_10", ColumnRole::MlMetric, "number"),
                column("minutes_per_day", ColumnRole::BusinessMetric, "number"),
            ],
            ..Default::default()
        },
        Dataset {
            id: "effects".into(),
            name: "wave2_meta.csv".into(),
            path: file("tests/reference/wave2_meta.csv"),
            format: Some(FileFormat::Csv),
            shape: DataShape::Aggregated,
            columns: vec![
                column("experiment", ColumnRole::UnitId, "text"),
                column("effect", ColumnRole::BusinessMetric, "number"),
                ColumnSpec {
                    metric: Some("effect".into()),
                    ..column("se", ColumnRole::StandardError, "number")
                },
            ],
            ..Default::default()
        },
    ];
    project.evidence.links.push(LinkAnalysis {
        id: "link".into(),
        name: "NDCG to minutes, per test".into(),
        spec: LinkSpec {
            dataset_id: "units".into(),
            x: "quality_ndcg_10".into(),
            y: "minutes_per_day".into(),
            experiment_column: Some("experiment_id".into()),
            variant_column: "variant".into(),
            control: "control".into(),
            ..LinkSpec::default()
        },
        result: None,
    });
    project.evidence.metas.push(MetaView {
        id: "minutes".into(),
        name: "Minutes per day in 24 tests".into(),
        spec: MetaSpec {
            dataset_id: "units".into(),
            effect_column: "minutes_per_day".into(),
            experiment_column: Some("experiment_id".into()),
            variant_column: "variant".into(),
            control: "control".into(),
            ..MetaSpec::default()
        },
        result: None,
    });
    project.evidence.metas.push(MetaView {
        id: "effects".into(),
        name: "18 measured effects".into(),
        spec: MetaSpec {
            dataset_id: "effects".into(),
            effect_column: "effect".into(),
            se_column: "se".into(),
            label_column: Some("experiment".into()),
            ..MetaSpec::default()
        },
        result: None,
    });
    project
}

fn open(tab: EvidenceTab) -> (tempfile::TempDir, H) {
    let tmp = tempfile::tempdir().unwrap();
    let height = if tab == EvidenceTab::PastExperiments {
        1750.0
    } else {
        1650.0
    };
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), height);
    let mut project = project();
    project.view.evidence.tab = tab;
    h.state_mut().ws.doc = Some(Document::new(project, None));
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    (tmp, h)
}

fn project_of(h: &H) -> &Project {
    h.state().project().unwrap()
}

#[test]
fn link_from_per_experiment_effects_uses_the_york_fit() {
    let (_tmp, mut h) = open(EvidenceTab::Link);
    let link = &project_of(&h).evidence.links[0];
    let data = link.output().expect("computed from the unit-level file");
    // 24 tests, one without control rows: 23 points, each with its standard errors.
    assert_eq!(data.points.len(), 23);
    assert_eq!(data.result.point_se.len(), 23);
    let york = data.result.york.as_ref().expect("the York fit");
    assert!(york.slope.unwrap() > data.result.slope.unwrap());
    assert!(
        data.result
            .warnings
            .iter()
            .any(|w| w.contains("\"feed-exp-17\" has no rows of the control")),
        "{:?}",
        data.result.warnings
    );
    // A what-if scenario on this link uses the noise-aware slope and its interval.
    let mut scenario = starter_scenario(project_of(&h));
    scenario.link = LinkSource::Measured {
        link_id: "link".into(),
    };
    let outputs = scenario_outputs(project_of(&h), &scenario).unwrap();
    assert_eq!(outputs.link_slope.likely, york.slope.unwrap());
    assert_eq!(outputs.link_slope.low, york.slope_ci_low.unwrap());
    h.get_by_label("Slope (noise-aware)");
    h.get_by_label("Plain least-squares slope");
    h.get_by_label("Reliability of the ML metric");
    h.get_by_label_contains("The line is the York fit");
    h.get_by_label_contains("allowing for the measurement noise of each point");
    h.get_by_label_contains("understates the real slope");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_link_york");
}

#[test]
fn meta_analysis_shows_the_forest_plot_and_the_winners_curse() {
    let (_tmp, mut h) = open(EvidenceTab::PastExperiments);
    let meta = &project_of(&h).evidence.metas[0];
    let result = meta.output().expect("computed from the unit-level file");
    assert_eq!(result.k, 23);
    h.get_by_label_contains("Pooled over 23 past experiments, a typical change in minutes per day");
    h.get_by_label_contains("winner's curse");
    h.get_by_label("Share of spread that is real (I²)");
    h.get_by_label_contains("\"feed-exp-17\" has no rows of the control");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("evidence_meta_forest");
}

#[test]
fn meta_analysis_from_a_file_of_effects() {
    let (_tmp, mut h) = open(EvidenceTab::PastExperiments);
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .view
        .evidence
        .meta = Some("effects".into());
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let meta = &project_of(&h).evidence.metas[1];
    let result = meta.output().expect("computed from the file of effects");
    assert_eq!(result.k, 18);
    assert!(result.tau2.unwrap() > 0.0);
    // The biggest measured winner is likely worth less than it measured.
    let best = result
        .experiments
        .iter()
        .max_by(|a, b| a.effect.total_cmp(&b.effect))
        .unwrap();
    assert!(best.shrunken.unwrap() < best.effect);
    h.get_by_label_contains("Pooled over 18 past experiments");
    h.get_by_label_contains(&format!("The best measured experiment, \"{}\"", best.label));
}

#[test]
fn a_link_without_standard_errors_says_the_fit_ignores_noise() {
    let (_tmp, mut h) = open(EvidenceTab::Link);
    {
        let project = &mut h.state_mut().ws.doc.as_mut().unwrap().project;
        let spec = &mut project.evidence.links[0].spec;
        spec.dataset_id = "effects".into();
        spec.experiment_column = None;
        spec.x = "effect".into();
        spec.y = "se".into();
    }
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let link = &project_of(&h).evidence.links[0];
    assert!(link.output().unwrap().result.york.is_none());
    h.get_by_label_contains("This fit ignores measurement noise");
    assert!(h.query_by_label("Plain least-squares slope").is_none());
}

#[test]
fn the_link_settings_switch_between_unit_level_and_standard_error_columns() {
    let (_tmp, mut h) = open(EvidenceTab::Link);
    common::click(&mut h, "Settings");
    h.run_ok();
    h.get_by_label("Experiment column");
    h.get_by_label("Control variant");
    common::click(&mut h, "One row per unit, many experiments in the file");
    h.run_ok();
    let spec = &project_of(&h).evidence.links[0].spec;
    assert_eq!(spec.experiment_column, None);
    h.get_by_label("Standard error of the ML metric");
    h.get_by_label("Standard error of the business metric");
    common::click(&mut h, "One row per unit, many experiments in the file");
    h.run_ok();
    let spec = &project_of(&h).evidence.links[0].spec;
    assert_eq!(spec.experiment_column.as_deref(), Some("experiment_id"));
    assert_eq!(spec.variant_column, "variant");
}
