//! The Evidence page's analyses computed on workers from real files: first look, a settings
//! change, a changed file, a missing file, and a bad column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod evidence_fixture;

use std::io::Write as _;
use std::path::Path;

use egui_kittest::kittest::Queryable as _;
use evidence_fixture::Rng;
use throughline::app::Document;
use throughline::model::*;

/// A unit-level A/B test: variant, revenue (mean), converted (0/1).
fn write_ab(path: &Path, units: usize) {
    let mut rng = Rng::new(5);
    let mut f = std::fs::File::create(path).unwrap();
    writeln!(f, "user_id,variant,revenue_usd,converted").unwrap();
    for i in 0..units {
        let (variant, lift, p) = match i % 3 {
            0 => ("control", 1.0, 0.10),
            1 => ("bigger_model", 1.3, 0.13),
            _ => ("new_features", 1.0, 0.10),
        };
        let revenue = (2.0 * lift + rng.normal()).max(0.0);
        let converted = u8::from(rng.next() < p);
        writeln!(f, "u{i},{variant},{revenue:.3},{converted}").unwrap();
    }
}

/// One row per experiment: accuracy and revenue per user.
fn write_experiments(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    writeln!(f, "experiment,accuracy,revenue_per_user").unwrap();
    for (i, p) in evidence_fixture::link_points().iter().enumerate() {
        writeln!(f, "exp-{:02},{},{}", i + 1, p.x, p.y).unwrap();
    }
}

/// Daily metrics per model with a deployment flag.
fn write_daily(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    writeln!(f, "date,model,accuracy,revenue_per_user,deployed").unwrap();
    for d in 0..60 {
        let day = throughline::analysis::series::format_date(20_454.0 + d as f64);
        let model = if d < 30 { "v1" } else { "v2" };
        let deployed = if d == 0 || d == 30 { "yes" } else { "" };
        let acc = if d < 30 { 0.88 } else { 0.91 };
        writeln!(f, "{day},{model},{acc},{},{deployed}", 1.5 + acc).unwrap();
    }
}

fn dataset(id: &str, path: &Path, columns: &[(&str, ColumnRole)]) -> Dataset {
    Dataset {
        id: id.into(),
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        format: Some(FileFormat::Csv),
        columns: columns
            .iter()
            .map(|(n, r)| ColumnSpec {
                name: n.to_string(),
                role: *r,
                dtype: String::new(),
                metric: None,
            })
            .collect(),
        ..Default::default()
    }
}

fn project(dir: &Path) -> Project {
    let ab = dir.join("ab.csv");
    let experiments = dir.join("experiments.csv");
    let daily = dir.join("daily.csv");
    write_ab(&ab, 3000);
    write_experiments(&experiments);
    write_daily(&daily);
    let deploys = dir.join("model_deployments.csv");
    std::fs::write(
        &deploys,
        "date,model,note\n2026-01-31,v2,same day as the flag\n2026-02-20,v3,beside v2\n",
    )
    .unwrap();
    let mut p = Project::named("Jobs");
    p.view.page = Page::Evidence;
    p.datasets = vec![
        dataset(
            "ab",
            &ab,
            &[
                ("user_id", ColumnRole::UnitId),
                ("variant", ColumnRole::Variant),
                ("revenue_usd", ColumnRole::BusinessMetric),
                ("converted", ColumnRole::BusinessMetric),
            ],
        ),
        dataset(
            "exps",
            &experiments,
            &[
                ("experiment", ColumnRole::UnitId),
                ("accuracy", ColumnRole::MlMetric),
                ("revenue_per_user", ColumnRole::BusinessMetric),
            ],
        ),
        dataset(
            "daily",
            &daily,
            &[
                ("date", ColumnRole::Time),
                ("model", ColumnRole::Segment),
                ("accuracy", ColumnRole::MlMetric),
                ("revenue_per_user", ColumnRole::BusinessMetric),
                ("deployed", ColumnRole::Ignore),
            ],
        ),
        dataset(
            "deploys",
            &deploys,
            &[
                ("date", ColumnRole::Time),
                ("model", ColumnRole::Segment),
                ("note", ColumnRole::Ignore),
            ],
        ),
    ];
    p.evidence.experiments = vec![ExperimentAnalysis {
        id: "exp".into(),
        name: "Test".into(),
        spec: ExperimentSpec {
            dataset_id: "ab".into(),
            variant_column: "variant".into(),
            control: "control".into(),
            metrics: vec![
                MetricSpec {
                    column: "revenue_usd".into(),
                    kind: MetricKind::Auto,
                    business: true,
                    ..Default::default()
                },
                MetricSpec {
                    column: "converted".into(),
                    kind: MetricKind::Auto,
                    business: true,
                    ..Default::default()
                },
            ],
            ..ExperimentSpec::default()
        },
        ..Default::default()
    }];
    p.evidence.links = vec![LinkAnalysis {
        id: "link".into(),
        name: "Accuracy to revenue".into(),
        spec: LinkSpec {
            dataset_id: "exps".into(),
            label_column: Some("experiment".into()),
            x: "accuracy".into(),
            y: "revenue_per_user".into(),
            ..LinkSpec::default()
        },
        ..Default::default()
    }];
    p.evidence.timelines = vec![TimelineView {
        id: "daily".into(),
        name: "Daily".into(),
        spec: TimelineSpec {
            dataset_id: "daily".into(),
            time_column: "date".into(),
            series_column: Some("model".into()),
            metrics: vec!["revenue_per_user".into()],
            deployment_column: Some("deployed".into()),
            deployment_dataset: Some("deploys".into()),
            ..TimelineSpec::default()
        },
        ..Default::default()
    }];
    p.evidence.distributions = vec![DistributionView {
        id: "dist".into(),
        name: "Revenue".into(),
        spec: DistributionSpec {
            dataset_id: "ab".into(),
            variant_column: "variant".into(),
            metric: "revenue_usd".into(),
            bins: 20,
            ..DistributionSpec::default()
        },
        ..Default::default()
    }];
    p
}

type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

fn open(dir: &Path) -> H {
    let mut h = evidence_fixture::tall_harness(common::options(dir), 1700.0);
    h.state_mut().ws.doc = Some(Document::new(project(dir), None));
    evidence_fixture::settle(&mut h);
    h
}

fn project_of(h: &H) -> &Project {
    h.state().project().unwrap()
}

#[test]
fn every_view_is_computed_from_its_file_on_first_look() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());

    // Experiment results: computed, stamped with the file's fingerprint and the settings.
    let (stamp, result) = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    assert_eq!(result.rows, 3000);
    assert_eq!(result.control, "control");
    assert_eq!(result.srm.counts.get("bigger_model"), Some(&1000));
    assert!(stamp.data_fingerprint.is_some());
    assert_eq!(stamp.settings_hash.len(), 16);
    let revenue = &result.metrics[0];
    let bigger = revenue
        .comparisons
        .iter()
        .find(|c| c.treatment == "bigger_model")
        .unwrap();
    assert!(bigger.rel_lift.unwrap() > 0.2, "a 30% lift was planted");
    assert_eq!(
        result.metrics[1].kind,
        throughline::analysis::ResolvedKind::Proportion
    );
    h.get_by_label("Up to date with the data in \"ab.csv\".");
    h.get_by_label_contains(&project_of(&h).relabel(&bigger.verdict, &revenue.metric));

    // ML vs business: the points and the sentence.
    common::click(&mut h, "ML vs business");
    evidence_fixture::settle(&mut h);
    let link = &project_of(&h).evidence.links[0];
    assert_eq!(link.points().len(), 24);
    assert_eq!(link.points()[0].label, "exp-01");
    assert_eq!(link.result.as_ref().unwrap().1.result.n, 24);
    h.get_by_label_contains("Each +1 pp of accuracy came with +0.17 revenue per user");

    // Over time: two models, deployments from the flag column and from the deployments file.
    common::click(&mut h, "Over time");
    evidence_fixture::settle(&mut h);
    let (_, data) = project_of(&h).evidence.timelines[0].result.clone().unwrap();
    assert_eq!(data.series.len(), 2);
    assert_eq!(data.series[0].series, "v1");
    assert_eq!(data.series[0].points.len(), 30);
    assert_eq!(
        data.deployments,
        vec![
            (20_454.0, "v1".to_string()),
            (20_484.0, "v2".to_string()),
            (20_504.0, "v3".to_string())
        ]
    );
    h.get_by_label(
        "Deployments (dashed lines): v1 on 2026-01-01, v2 on 2026-01-31, v3 on 2026-02-20.",
    );

    // Distributions: one histogram per variant on shared bins.
    common::click(&mut h, "Distributions");
    evidence_fixture::settle(&mut h);
    let (_, dist) = project_of(&h).evidence.distributions[0]
        .result
        .clone()
        .unwrap();
    assert_eq!(dist.variants.len(), 3);
    assert_eq!(dist.variants[0].histogram.counts.len(), 20);
    assert_eq!(
        dist.variants[0].histogram.edges,
        dist.variants[1].histogram.edges
    );
    assert_eq!(dist.variants[0].stats.n, 1000);
}

#[test]
fn changing_a_setting_recomputes_and_changing_it_back_is_one_undo() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    let before = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    common::wait_secs(&mut h, 1.0);
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .experiments[0]
        .spec
        .control = "new_features".into();
    evidence_fixture::settle(&mut h);
    let (stamp, result) = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    assert_eq!(result.control, "new_features");
    assert_ne!(stamp.settings_hash, before.0.settings_hash);
    // One undo brings back the old settings with their old results, remembered from before
    // (a result arriving from a worker is never an undo step of its own).
    common::wait_secs(&mut h, 1.0);
    common::press_command(&mut h, egui::Key::Z);
    evidence_fixture::settle(&mut h);
    let undone = &project_of(&h).evidence.experiments[0];
    assert_eq!(undone.spec.control, "control");
    assert_eq!(undone.result.as_ref(), Some(&before));
    // And redo the new ones.
    common::press_command(&mut h, egui::Key::Y);
    evidence_fixture::settle(&mut h);
    let redone = &project_of(&h).evidence.experiments[0];
    assert_eq!(redone.spec.control, "new_features");
    assert_eq!(redone.result.as_ref().map(|c| &c.0), Some(&stamp));
    // Holm only changes what is shown: no recomputation.
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .experiments[0]
        .spec
        .holm = true;
    evidence_fixture::settle(&mut h);
    assert_eq!(
        project_of(&h).evidence.experiments[0]
            .result
            .as_ref()
            .unwrap()
            .0,
        stamp
    );
}

#[test]
fn a_changed_file_is_noticed_and_recomputed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    let before = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    write_ab(&tmp.path().join("ab.csv"), 1500);
    // Looking again (e.g. reopening the project) checks the file.
    h.state_mut().ws.runtime.evidence.refresh("exp");
    evidence_fixture::settle(&mut h);
    let (stamp, result) = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    assert_eq!(result.rows, 1500);
    assert_ne!(stamp.data_fingerprint, before.0.data_fingerprint);
}

#[test]
fn an_unchanged_file_is_not_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let h = open(tmp.path());
    let project = project_of(&h).clone();
    // A colleague opens the saved project: the results are up to date, nothing is recomputed.
    let mut h2 = evidence_fixture::tall_harness(common::options(tmp.path()), 1200.0);
    h2.state_mut().ws.doc = Some(Document::new(project.clone(), None));
    evidence_fixture::settle(&mut h2);
    assert_eq!(
        project_of(&h2).evidence.experiments[0].result,
        project.evidence.experiments[0].result
    );
    assert!(!h2.state().is_dirty(), "nothing changed");
    h2.get_by_label("Up to date with the data in \"ab.csv\".");
    drop(h);
}

#[test]
fn a_file_with_only_a_new_modification_time_is_not_recomputed() {
    // A fresh checkout or a copy gives every data file a new modification time; the content
    // is the same, so the saved results stay as they are and the project stays saved.
    let tmp = tempfile::tempdir().unwrap();
    let h = open(tmp.path());
    let project = project_of(&h).clone();
    drop(h);
    let file = std::fs::File::options()
        .write(true)
        .open(tmp.path().join("ab.csv"))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600))
        .unwrap();
    drop(file);
    let mut h2 = evidence_fixture::tall_harness(common::options(tmp.path()), 1200.0);
    h2.state_mut().ws.doc = Some(Document::new(project.clone(), None));
    evidence_fixture::settle(&mut h2);
    assert_eq!(
        project_of(&h2).evidence.experiments[0].result,
        project.evidence.experiments[0].result
    );
    assert!(!h2.state().is_dirty(), "nothing changed");
}

#[test]
fn a_missing_file_keeps_the_saved_results_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let h = open(tmp.path());
    let project = project_of(&h).clone();
    drop(h);
    std::fs::remove_file(tmp.path().join("ab.csv")).unwrap();
    let mut h2 = evidence_fixture::tall_harness(common::options(tmp.path()), 1200.0);
    h2.state_mut().ws.doc = Some(Document::new(project.clone(), None));
    evidence_fixture::settle(&mut h2);
    h2.get_by_label_contains("cannot be found. Showing the results saved on");
    assert_eq!(
        project_of(&h2).evidence.experiments[0].result,
        project.evidence.experiments[0].result
    );
    // The verdicts are still there.
    let metric = &project.evidence.experiments[0]
        .result
        .as_ref()
        .unwrap()
        .1
        .metrics[0];
    // Told with the project's name for the metric (the engine wrote the column name).
    h2.get_by_label_contains(&project.relabel(&metric.comparisons[0].verdict, &metric.metric));
}

#[test]
fn a_control_that_does_not_occur_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .experiments[0]
        .spec
        .control = "Control".into();
    evidence_fixture::settle(&mut h);
    let state = h
        .state()
        .ws
        .runtime
        .evidence
        .status("exp", &h.state().jobs)
        .unwrap()
        .state;
    let throughline::app::evidence_jobs::RunState::Failed(message) = state else {
        panic!("expected a failure, got {state:?}");
    };
    assert!(
        message.contains("bigger_model") && message.contains("new_features"),
        "the message lists the variants found: {message}"
    );
    h.get_by_label(&message);
    h.get_by_label("Try again");
}

#[test]
fn a_new_experiment_analysis_starts_from_the_column_roles_and_guesses_the_control() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .evidence
        .experiments
        .clear();
    h.run_ok();
    h.get_by_label_contains("No experiment analysis yet");
    common::click(&mut h, "New experiment analysis");
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let analysis = &project_of(&h).evidence.experiments[0];
    assert_eq!(analysis.spec.dataset_id, "ab");
    assert_eq!(analysis.spec.variant_column, "variant");
    assert_eq!(
        analysis.spec.control, "control",
        "read from the data and guessed"
    );
    let metrics: Vec<&str> = analysis
        .spec
        .metrics
        .iter()
        .map(|m| m.column.as_str())
        .collect();
    assert_eq!(metrics, ["revenue_usd", "converted"]);
    let (_, result) = analysis.result.as_ref().expect("computed");
    assert_eq!(result.metrics.len(), 2);
}

#[test]
fn a_long_series_is_kept_out_of_the_project_and_drawn_reduced() {
    let tmp = tempfile::tempdir().unwrap();
    // 100 000 minutes of one metric: far more points than a plot has pixels.
    let path = tmp.path().join("minutes.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "time,latency_ms").unwrap();
    let mut rng = Rng::new(9);
    for i in 0..100_000u64 {
        let secs = 1_767_225_600 + i * 60;
        writeln!(f, "{secs},{:.2}", 80.0 + 10.0 * rng.normal()).unwrap();
    }
    drop(f);
    let mut project = Project::named("Long");
    project.view.page = Page::Evidence;
    project.view.evidence.tab = EvidenceTab::OverTime;
    project.datasets = vec![dataset(
        "m",
        &path,
        &[
            ("time", ColumnRole::Time),
            ("latency_ms", ColumnRole::MlMetric),
        ],
    )];
    project.evidence.timelines = vec![TimelineView {
        id: "t".into(),
        name: "Latency".into(),
        spec: TimelineSpec {
            dataset_id: "m".into(),
            time_column: "time".into(),
            metrics: vec!["latency_ms".into()],
            ..TimelineSpec::default()
        },
        ..Default::default()
    }];
    let mut h = evidence_fixture::tall_harness(common::options(tmp.path()), 1200.0);
    h.state_mut().ws.doc = Some(Document::new(project, None));
    evidence_fixture::settle(&mut h);
    evidence_fixture::settle(&mut h);
    let view = &project_of(&h).evidence.timelines[0];
    assert!(view.result.is_none(), "too large for the project file");
    let prepared = h
        .state()
        .ws
        .runtime
        .evidence
        .timelines
        .get("t")
        .cloned()
        .unwrap();
    assert_eq!(prepared.series[0].points.len(), 100_000);
    h.get_by_label_contains("100,000 points, drawn at screen resolution");
    h.get_by_label("ML metric: Latency");
}

#[test]
fn an_unequal_planned_split_feeds_the_sample_ratio_check() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    common::click(&mut h, "Settings");
    common::wait_secs(&mut h, 0.5);
    common::click(&mut h, "The variants were planned to get unequal shares");
    evidence_fixture::settle(&mut h);
    let split = project_of(&h).evidence.experiments[0]
        .spec
        .expected_split
        .clone();
    assert_eq!(split.len(), 3);
    assert!(split.iter().all(|(_, s)| (s - 1.0 / 3.0).abs() < 1e-12));
    // Planning half of the traffic for the control makes the equal thirds a mismatch.
    {
        let doc = h.state_mut().ws.doc.as_mut().unwrap();
        let split = &mut doc.project.evidence.experiments[0].spec.expected_split;
        for (variant, share) in split.iter_mut() {
            *share = if variant == "control" { 0.5 } else { 0.25 };
        }
    }
    evidence_fixture::settle(&mut h);
    let (_, result) = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    assert!(result.srm.warning.is_some(), "{:?}", result.srm);
    h.get_by_label("Do not trust these results yet");
}

#[test]
fn a_summary_statistics_file_gives_the_same_results_as_the_units() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = open(tmp.path());
    let unit = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap()
        .1;
    // The warehouse's answer: one row per variant with n, mean and standard deviation.
    let mut text = String::from(
        "variant,n,revenue_usd_n,revenue_usd_mean,revenue_usd_std_dev,converted_n,\
         converted_mean,converted_std_dev\n",
    );
    for name in ["control", "bigger_model", "new_features"] {
        let v = |m: usize| {
            unit.metrics[m]
                .variants
                .iter()
                .find(|v| v.variant == name)
                .cloned()
                .unwrap()
        };
        let (r, c) = (v(0), v(1));
        text.push_str(&format!(
            "{name},{},{},{},{},{},{},{}\n",
            r.n,
            r.n,
            r.mean.unwrap(),
            r.std_dev.unwrap(),
            c.n,
            c.mean.unwrap(),
            c.std_dev.unwrap()
        ));
    }
    let path = tmp.path().join("summary.csv");
    std::fs::write(&path, text).unwrap();
    {
        let project = &mut h.state_mut().ws.doc.as_mut().unwrap().project;
        let mut summary = dataset("summary", &path, &[("variant", ColumnRole::Variant)]);
        summary.shape = DataShape::SummaryStatistics;
        project.datasets.push(summary);
        project.evidence.experiments[0].spec.dataset_id = "summary".into();
    }
    evidence_fixture::settle(&mut h);
    let (_, summary) = project_of(&h).evidence.experiments[0]
        .result
        .clone()
        .unwrap();
    assert_eq!(
        summary.file, "summary.csv",
        "the name, not a path on this machine"
    );
    for (a, b) in unit.metrics.iter().zip(&summary.metrics) {
        for (ca, cb) in a.comparisons.iter().zip(&b.comparisons) {
            let (pa, pb) = (ca.p_value.unwrap(), cb.p_value.unwrap());
            assert!((pa - pb).abs() < 1e-9, "{}: {pa} vs {pb}", a.metric);
        }
    }
}
