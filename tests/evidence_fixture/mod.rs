//! A project whose evidence is only in its cache (the data files are missing), for the
//! Evidence page tests: what a colleague without the data sees.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use throughline::analysis::series::{box_stats, histogram};
use throughline::analysis::{
    Comparison, ExperimentResult, LinkResult, MetricResult, ResolvedKind, SrmResult, VariantStats,
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

fn comparison(
    treatment: &str,
    diff: f64,
    half: f64,
    control_mean: f64,
    p: f64,
    holm: f64,
    verdict: &str,
) -> Comparison {
    Comparison {
        treatment: treatment.into(),
        diff: Some(diff),
        diff_ci_low: Some(diff - half),
        diff_ci_high: Some(diff + half),
        rel_lift: Some(diff / control_mean),
        rel_ci_low: Some((diff - half) / control_mean),
        rel_ci_high: Some((diff + half) / control_mean),
        statistic: Some(2.0),
        df: Some(11_000.0),
        p_value: Some(p),
        p_value_holm: Some(holm),
        verdict: verdict.into(),
    }
}

fn variant(name: &str, n: u64, mean: f64, sd: f64, half: f64) -> VariantStats {
    VariantStats {
        variant: name.into(),
        n,
        missing: 0,
        mean: Some(mean),
        std_dev: Some(sd),
        ci_low: Some(mean - half),
        ci_high: Some(mean + half),
    }
}

pub fn experiment_result(srm_fails: bool) -> ExperimentResult {
    let counts: BTreeMap<String, u64> = [
        ("control".to_string(), 6000),
        (
            "bigger_model".to_string(),
            if srm_fails { 6400 } else { 6030 },
        ),
        ("new_features".to_string(), 5970),
    ]
    .into();
    ExperimentResult {
        file: "ab_test.csv".into(),
        rows: counts.values().sum(),
        alpha: 0.05,
        control: "control".into(),
        srm: SrmResult {
            chi2: Some(if srm_fails { 17.2 } else { 0.15 }),
            p_value: Some(if srm_fails { 0.00018 } else { 0.93 }),
            counts,
            warning: srm_fails.then(|| {
                "The variants got 6000, 6400 and 5970 units where an equal split was planned \
                 (p = 0.0002)."
                    .to_string()
            }),
        },
        metrics: vec![
            MetricResult {
                metric: "revenue_usd".into(),
                kind: ResolvedKind::Mean,
                variants: vec![
                    variant("control", 6000, 1.20, 2.1, 0.053),
                    variant("bigger_model", 6030, 1.26, 2.2, 0.056),
                    variant("new_features", 5970, 1.21, 2.1, 0.053),
                ],
                comparisons: vec![
                    comparison(
                        "bigger_model",
                        0.06,
                        0.0768,
                        1.2,
                        0.0061,
                        0.0122,
                        "bigger_model raised revenue_usd by 5.0 % (from 1.20 to 1.26; 95 % CI +1.4 % to +8.6 %): unlikely to be chance (p = 0.006).",
                    ),
                    comparison(
                        "new_features",
                        0.01,
                        0.0754,
                        1.2,
                        0.79,
                        0.79,
                        "new_features changed revenue_usd by +0.8 % (95 % CI -5.4 % to +7.1 %): no clear effect (p = 0.79).",
                    ),
                ],
            },
            MetricResult {
                metric: "retained_30d".into(),
                kind: ResolvedKind::Proportion,
                variants: vec![
                    variant("control", 6000, 0.412, 0.492, 0.0125),
                    variant("bigger_model", 6030, 0.431, 0.495, 0.0125),
                    variant("new_features", 5970, 0.409, 0.492, 0.0125),
                ],
                comparisons: vec![
                    comparison(
                        "bigger_model",
                        0.019,
                        0.0176,
                        0.412,
                        0.034,
                        0.068,
                        "bigger_model raised retained_30d by 1.9 percentage points (95 % CI +0.1 to +3.7): probably not chance (p = 0.034).",
                    ),
                    comparison(
                        "new_features",
                        -0.003,
                        0.0176,
                        0.412,
                        0.74,
                        0.74,
                        "new_features changed retained_30d by -0.3 percentage points (95 % CI -2.1 to +1.5): no clear effect (p = 0.74).",
                    ),
                ],
            },
            MetricResult {
                metric: "click_through".into(),
                kind: ResolvedKind::Proportion,
                variants: vec![
                    variant("control", 6000, 0.081, 0.273, 0.0069),
                    variant("bigger_model", 6030, 0.094, 0.292, 0.0074),
                    variant("new_features", 5970, 0.090, 0.286, 0.0073),
                ],
                comparisons: vec![
                    comparison(
                        "bigger_model",
                        0.013,
                        0.0101,
                        0.081,
                        0.011,
                        0.022,
                        "bigger_model raised click_through by 1.3 percentage points (95 % CI +0.3 to +2.3): probably not chance (p = 0.011).",
                    ),
                    comparison(
                        "new_features",
                        0.009,
                        0.01,
                        0.081,
                        0.078,
                        0.078,
                        "new_features changed click_through by +0.9 percentage points (95 % CI -0.1 to +1.9): no clear effect (p = 0.078).",
                    ),
                ],
            },
        ],
        warnings: vec![],
    }
}

pub fn link_points() -> Vec<LinkPoint> {
    let mut rng = Rng::new(7);
    (1..=24)
        .map(|i| {
            let accuracy = 0.86 + 0.004 * i as f64 + 0.006 * rng.normal();
            let revenue = 1.5 + 16.0 * (accuracy - 0.86) + 0.05 * rng.normal();
            LinkPoint {
                label: format!("exp-{i:02}"),
                x: accuracy,
                y: revenue,
            }
        })
        .collect()
}

pub fn link_result() -> LinkResult {
    LinkResult {
        n: 24,
        pearson_r: Some(0.93),
        pearson_p: Some(0.000_000_04),
        pearson_ci_low: Some(0.84),
        pearson_ci_high: Some(0.97),
        spearman_rho: Some(0.91),
        spearman_p: Some(0.000_000_9),
        slope: Some(16.0),
        intercept: Some(-12.26),
        slope_se: Some(1.45),
        slope_ci_low: Some(13.0),
        slope_ci_high: Some(19.0),
        r_squared: Some(0.86),
        verdict: "A strong, clear link: experiments with higher accuracy had higher revenue_per_user (r = 0.93, 95 % CI 0.84 to 0.97).".into(),
        warnings: vec![],
    }
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
    let mut all = Vec::new();
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
        all.extend(values.iter().copied());
        per.push((name, values));
    }
    let hi = all.iter().copied().fold(0.0, f64::max).min(12.0);
    DistributionData {
        variants: per
            .into_iter()
            .map(|(name, values)| VariantDistribution {
                variant: name.into(),
                histogram: histogram(&values, 30, Some((0.0, hi))),
                stats: box_stats(&values).unwrap(),
            })
            .collect(),
        missing: 12,
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
    };
    project.evidence = Evidence {
        experiments: vec![ExperimentAnalysis {
            id: "exp".into(),
            name: "Bigger model test".into(),
            dataset_id: "ab".into(),
            variant_column: "variant".into(),
            control: "control".into(),
            metrics: vec![
                metric("revenue_usd", true),
                metric("retained_30d", true),
                metric("click_through", false),
            ],
            cache: Some((stamp(), experiment_result(srm_fails))),
            ..Default::default()
        }],
        links: vec![LinkAnalysis {
            id: "link".into(),
            name: "Accuracy to revenue".into(),
            dataset_id: "experiments".into(),
            label_column: Some("experiment".into()),
            x: "accuracy".into(),
            y: "revenue_per_user".into(),
            alpha: 0.05,
            cache: Some((stamp(), link_result())),
            points: link_points(),
        }],
        thresholds: vec![],
        timelines: vec![TimelineView {
            id: "daily".into(),
            name: "Daily metrics per model".into(),
            dataset_id: "daily".into(),
            time_column: "date".into(),
            series_column: Some("model".into()),
            metrics: vec!["revenue_per_user".into(), "accuracy".into()],
            deployments: vec![],
            deployment_column: None,
            cache: Some((stamp(), timeline_data())),
        }],
        distributions: vec![DistributionView {
            id: "dist".into(),
            name: "Revenue per variant".into(),
            dataset_id: "ab".into(),
            variant_column: "variant".into(),
            metric: "revenue_usd".into(),
            chart: DistributionChart::Histogram,
            bins: 30,
            cache: Some((stamp(), distribution_data())),
        }],
        view: EvidenceViewSettings::default(),
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
        if !harness.state().jobs.is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_ok();
    harness.run_ok();
}
