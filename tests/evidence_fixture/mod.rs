//! A project whose evidence is only in its cache (the data files are missing), for the
//! Evidence page tests: what a colleague without the data sees.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use throughline::analysis::series::{DistributionOptions, group_distributions};
use throughline::analysis::{
    ExperimentInput, ExperimentResult, LinkResult, MetricInput, SufficientStats,
    analyze_experiment, analyze_link,
};
use throughline::model::*;

fn column(name: &str, role: ColumnRole, dtype: &str) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        role,
        dtype: dtype.into(),
        metric: None,
    }
}

fn stamp() -> CacheStamp {
    CacheStamp {
        // 2026-03-01 09:30 UTC
        computed_unix_secs: 1_772_357_400,
        data_fingerprint: None,
        settings_hash: String::new(),
    }
}

/// Deterministic pseudo-random numbers in 0..1.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.next().max(1e-12), self.next());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// The three-arm test, analysed by the engine from generated units: revenue (a mean), 30-day
/// retention and click-through (proportions). With `srm_fails`, bigger_model got too many
/// units.
pub fn experiment_result(srm_fails: bool) -> ExperimentResult {
    experiment_result_seeded(srm_fails, 7)
}

pub fn experiment_result_seeded(srm_fails: bool, seed: u64) -> ExperimentResult {
    let arms = [
        ("control", 6000u64, 1.20, 0.412, 0.081),
        (
            "bigger_model",
            if srm_fails { 6400 } else { 6030 },
            1.26,
            0.431,
            0.094,
        ),
        ("new_features", 5970, 1.21, 0.409, 0.090),
    ];
    let mut rng = Rng::new(seed);
    let mut revenue = Vec::new();
    let mut retained = Vec::new();
    let mut clicks = Vec::new();
    for (_, n, mean, p_retained, p_click) in arms {
        let mut r = SufficientStats::new();
        for _ in 0..n {
            // Many zeros and a long tail, with the arm's mean.
            let value = if rng.next() < 0.35 {
                0.0
            } else {
                mean / 0.65 * (rng.normal() * 0.8 - 0.32).exp()
            };
            r.push(value);
        }
        revenue.push(r);
        let bools = |p: f64| {
            let mut s = SufficientStats::new();
            let ones = (p * n as f64).round() as u64;
            for i in 0..n {
                s.push_bool(i < ones);
            }
            s
        };
        retained.push(bools(p_retained));
        clicks.push(bools(p_click));
    }
    let input = ExperimentInput {
        file: "ab_test.csv".into(),
        variant_column: "variant".into(),
        rows: arms.iter().map(|a| a.1).sum(),
        variant_rows: arms.iter().map(|a| (a.0.to_string(), a.1)).collect(),
        metrics: vec![
            MetricInput {
                name: "revenue_usd".into(),
                kind: MetricKind::Auto,
                stats: revenue,
            },
            MetricInput {
                name: "retained_30d".into(),
                kind: MetricKind::Auto,
                stats: retained,
            },
            MetricInput {
                name: "click_through".into(),
                kind: MetricKind::Auto,
                stats: clicks,
            },
        ],
        control: "control".into(),
        alpha: 0.05,
        expected_split: vec![],
        warnings: vec![],
    };
    analyze_experiment(&input).unwrap()
}

pub fn link_points() -> Vec<LinkPoint> {
    let mut rng = Rng::new(7);
    (1..=24)
        .map(|i| {
            let accuracy = 0.86 + 0.004 * i as f64 + 0.006 * rng.normal();
            let revenue = 1.5 + 16.0 * (accuracy - 0.86) + 0.2 * rng.normal();
            LinkPoint {
                label: format!("exp-{i:02}"),
                x: accuracy,
                y: revenue,
            }
        })
        .collect()
}

pub fn link_result() -> LinkResult {
    let points = link_points();
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    analyze_link(&xs, &ys, 0.05, "accuracy", "revenue_per_user").unwrap()
}

pub fn timeline_data() -> TimelineData {
    let start = 20_454.0; // 2026-01-01
    let mut rng = Rng::new(11);
    let mut series = Vec::new();
    for (m, (model, from, to, level)) in [
        ("model_a", 0, 60, 0.0),
        ("model_b", 45, 105, 0.04),
        ("model_c", 90, 120, 0.07),
    ]
    .into_iter()
    .enumerate()
    {
        let mut acc = Vec::new();
        let mut rev = Vec::new();
        for d in from..to {
            let day = start + d as f64;
            acc.push([day, 0.88 + level * 0.5 + 0.004 * rng.normal()]);
            rev.push([
                day,
                1.5 + level * 8.0
                    + 0.12 * (d as f64 * 0.9).sin()
                    + 0.05 * rng.normal()
                    + m as f64 * 0.0,
            ]);
        }
        series.push(TimeSeries {
            series: model.into(),
            metric: "accuracy".into(),
            points: acc,
        });
        series.push(TimeSeries {
            series: model.into(),
            metric: "revenue_per_user".into(),
            points: rev,
        });
    }
    TimelineData {
        series,
        deployments: vec![
            (start + 45.0, "model_b".into()),
            (start + 90.0, "model_c".into()),
        ],
    }
}

pub fn distribution_data() -> DistributionData {
    let mut rng = Rng::new(3);
    let mut per = Vec::new();
    for (name, scale) in [
        ("control", 1.0),
        ("bigger_model", 1.06),
        ("new_features", 1.01),
    ] {
        let values: Vec<f64> = (0..3000)
            .map(|_| {
                if rng.next() < 0.35 {
                    0.0
                } else {
                    (rng.normal() * 0.6 + 0.4).exp() * scale
                }
            })
            .collect();
        per.push((name, values));
    }
    let groups: Vec<String> = per
        .iter()
        .flat_map(|(name, values)| std::iter::repeat_n(name.to_string(), values.len()))
        .collect();
    let values: Vec<f64> = per.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let found = group_distributions(
        &groups,
        &values,
        DistributionOptions {
            bins: 30,
            exclude_zeros: false,
        },
    );
    DistributionData {
        variants: found
            .groups
            .into_iter()
            .map(|g| VariantDistribution {
                variant: g.group,
                histogram: g.histogram,
                stats: g.stats,
                zeros: g.zeros,
            })
            .collect(),
        missing: 12,
        tail_from: found.tail_from,
    }
}

/// The project: every view has a cached result, and every data file is missing.
pub fn cached_project(srm_fails: bool) -> Project {
    let missing = |name: &str| PathBuf::from(format!("/nonexistent/throughline-test/{name}"));
    let mut project = Project::named("Recommendations");
    project.view.page = Page::Evidence;
    project.datasets = vec![
        Dataset {
            id: "ab".into(),
            name: "ab_test.csv".into(),
            path: missing("ab_test.csv"),
            format: Some(FileFormat::Csv),
            shape: DataShape::UnitLevel,
            columns: vec![
                column("user_id", ColumnRole::UnitId, "text"),
                column("variant", ColumnRole::Variant, "text"),
                column("revenue_usd", ColumnRole::BusinessMetric, "number"),
                column("retained_30d", ColumnRole::BusinessMetric, "number"),
                column("click_through", ColumnRole::MlMetric, "number"),
            ],
            ..Default::default()
        },
        Dataset {
            id: "experiments".into(),
            name: "experiments.csv".into(),
            path: missing("experiments.csv"),
            format: Some(FileFormat::Csv),
            shape: DataShape::Aggregated,
            columns: vec![
                column("experiment", ColumnRole::UnitId, "text"),
                column("accuracy", ColumnRole::MlMetric, "number"),
                column("revenue_per_user", ColumnRole::BusinessMetric, "number"),
            ],
            ..Default::default()
        },
        Dataset {
            id: "daily".into(),
            name: "daily_metrics.csv".into(),
            path: missing("daily_metrics.csv"),
            format: Some(FileFormat::Csv),
            shape: DataShape::Aggregated,
            columns: vec![
                column("date", ColumnRole::Time, "date"),
                column("model", ColumnRole::Segment, "text"),
                column("accuracy", ColumnRole::MlMetric, "number"),
                column("revenue_per_user", ColumnRole::BusinessMetric, "number"),
            ],
            ..Default::default()
        },
    ];
    let metric = |name: &str, business| MetricSpec {
        column: name.into(),
        kind: MetricKind::Auto,
        business,
        ..Default::default()
    };
    project.evidence = Evidence {
        experiments: vec![ExperimentAnalysis {
            id: "exp".into(),
            name: "Bigger model test".into(),
            spec: ExperimentSpec {
                dataset_id: "ab".into(),
                variant_column: "variant".into(),
                control: "control".into(),
                metrics: vec![
                    metric("revenue_usd", true),
                    metric("retained_30d", true),
                    metric("click_through", false),
                ],
                ..ExperimentSpec::default()
            },
            result: Some((stamp(), experiment_result(srm_fails))),
        }],
        links: vec![LinkAnalysis {
            id: "link".into(),
            name: "Accuracy to revenue".into(),
            spec: LinkSpec {
                dataset_id: "experiments".into(),
                label_column: Some("experiment".into()),
                x: "accuracy".into(),
                y: "revenue_per_user".into(),
                alpha: 0.05,
                ..LinkSpec::default()
            },
            result: (Some((stamp(), link_result()))).map(|(s, r)| {
                (
                    s,
                    LinkData {
                        result: r,
                        points: link_points(),
                    },
                )
            }),
        }],
        thresholds: vec![],
        timelines: vec![TimelineView {
            id: "daily".into(),
            name: "Daily metrics per model".into(),
            spec: TimelineSpec {
                dataset_id: "daily".into(),
                time_column: "date".into(),
                series_column: Some("model".into()),
                metrics: vec!["revenue_per_user".into(), "accuracy".into()],
                deployments: vec![],
                deployment_column: None,
                deployment_dataset: None,
            },
            result: Some((stamp(), timeline_data())),
        }],
        distributions: vec![DistributionView {
            id: "dist".into(),
            name: "Revenue per variant".into(),
            spec: DistributionSpec {
                dataset_id: "ab".into(),
                variant_column: "variant".into(),
                metric: "revenue_usd".into(),
                chart: DistributionChart::Histogram,
                bins: 30,
                exclude_zeros: false,
            },
            result: Some((stamp(), distribution_data())),
        }],
        ..Evidence::default()
    };
    project
}

/// A harness like `common::harness`, but tall enough to show a whole Evidence view in one
/// snapshot.
pub fn tall_harness(
    options: throughline::app::AppOptions,
    height: f32,
) -> egui_kittest::Harness<'static, throughline::app::ThroughlineApp> {
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, height))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| {
            throughline::app::ThroughlineApp::with_settings(
                &cc.egui_ctx,
                options,
                throughline::app::Settings::default(),
            )
        });
    harness.run_ok();
    harness
}

/// Run frames until no job is running (workers finish in the background), then settle.
pub fn settle(harness: &mut egui_kittest::Harness<'static, throughline::app::ThroughlineApp>) {
    for _ in 0..500 {
        harness.run_ok();
        if !harness.state().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_ok();
    harness.run_ok();
}

/// The app under test, as the Evidence tests drive it.
pub type H = egui_kittest::Harness<'static, throughline::app::ThroughlineApp>;

/// The project over the sample data in `assets/`.
pub fn sample_project_path() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checkout-recommender.ron")
}

/// A new project from the sample project (an unsaved copy, so nothing is written to the
/// fixture), open on the Evidence page with every analysis computed from the sample data, in a
/// window `height` px tall. The folder holds the recovery copies.
pub fn open_sample(height: f32) -> (tempfile::TempDir, H) {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = tall_harness(crate::common::options(tmp.path()), height);
    h.state_mut()
        .send(throughline::app::Command::NewFromExample(
            sample_project_path(),
        ));
    h.run_ok();
    crate::common::click(&mut h, "3   Evidence");
    settle(&mut h);
    (tmp, h)
}

/// The open project.
pub fn project(h: &H) -> &Project {
    h.state().project().unwrap()
}

/// Click an Evidence tab and let its analyses finish.
pub fn show_tab(h: &mut H, tab: &str) {
    crate::common::click(h, tab);
    settle(h);
    settle(h);
}
