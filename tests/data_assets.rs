//! The sample data in `assets/` reads cleanly, with the shapes and roles the examples expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use throughline::data::{self, Cell, Source};
use throughline::model::{ColumnRole, DataShape, ImportOptions};

fn import(name: &str) -> throughline::model::Dataset {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name);
    data::import_file(&path, None, &ImportOptions::default(), &[])
        .unwrap()
        .dataset
}

fn role(d: &throughline::model::Dataset, column: &str) -> ColumnRole {
    d.columns.iter().find(|c| c.name == column).unwrap().role
}

#[test]
fn every_asset_is_small_and_readable() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let size = std::fs::metadata(&path).unwrap().len();
            assert!(size < 2 * 1024 * 1024, "{} is {size} bytes", path.display());
            let source = Source::open(&path, &ImportOptions::default()).unwrap();
            let stats = data::file_stats(&source, &mut |_| {}, &AtomicBool::new(false)).unwrap();
            assert!(stats.rows > 0, "{}", path.display());
        }
    }
}

#[test]
fn ab_test_roles() {
    let d = import("ab_test_checkout.csv");
    assert_eq!(d.shape, DataShape::UnitLevel);
    assert_eq!(role(&d, "user_id"), ColumnRole::UnitId);
    assert_eq!(role(&d, "variant"), ColumnRole::Variant);
    assert_eq!(role(&d, "converted"), ColumnRole::BusinessMetric);
    assert_eq!(role(&d, "revenue_usd"), ColumnRole::BusinessMetric);
    assert_eq!(role(&d, "country"), ColumnRole::Segment);
    assert_eq!(role(&d, "assigned_on"), ColumnRole::Time);
}

#[test]
fn summary_export_roles() {
    let d = import("ab_test_checkout_summary.csv");
    assert_eq!(d.shape, DataShape::SummaryStatistics);
    assert_eq!(role(&d, "variant"), ColumnRole::Variant);
    assert_eq!(role(&d, "revenue_usd_std_dev"), ColumnRole::StdDev);
}

#[test]
fn experiments_roles() {
    let d = import("experiments_ml_vs_business.csv");
    assert_eq!(d.shape, DataShape::Aggregated);
    assert_eq!(role(&d, "offline_accuracy"), ColumnRole::MlMetric);
    assert_eq!(role(&d, "offline_auc"), ColumnRole::MlMetric);
    assert_eq!(role(&d, "revenue_per_user_usd"), ColumnRole::BusinessMetric);
    assert_eq!(role(&d, "retention_d30"), ColumnRole::BusinessMetric);
    assert_eq!(role(&d, "launched_on"), ColumnRole::Time);
}

#[test]
fn daily_and_fraud_roles() {
    let d = import("daily_model_metrics.csv");
    assert_eq!(d.shape, DataShape::Aggregated);
    assert_eq!(role(&d, "date"), ColumnRole::Time);
    assert_eq!(role(&d, "model"), ColumnRole::Segment);
    assert_eq!(role(&d, "online_auc"), ColumnRole::MlMetric);
    assert_eq!(role(&d, "click_through_rate"), ColumnRole::BusinessMetric);

    let d = import("fraud_scores.csv");
    assert_eq!(d.shape, DataShape::UnitLevel);
    assert_eq!(role(&d, "fraud_score"), ColumnRole::Score);
    assert_eq!(role(&d, "is_fraud"), ColumnRole::Label);
}

/// The summary export holds the same per-variant statistics as the unit-level file.
#[test]
fn summary_export_matches_the_unit_level_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let unit = Source::open(&dir.join("ab_test_checkout.csv"), &ImportOptions::default()).unwrap();
    let df = unit
        .read_columns(
            &["variant", "revenue_usd"],
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    let mut variants = Vec::new();
    unit.for_each_text(df.column("variant").unwrap(), |_, v| {
        variants.push(v.unwrap_or_default().to_string())
    })
    .unwrap();
    let mut sums: std::collections::BTreeMap<String, (u64, f64, f64)> = Default::default();
    unit.for_each_number(df.column("revenue_usd").unwrap(), 0, false, |i, c| {
        if let Cell::Value(x) = c {
            let e = sums.entry(variants[i].clone()).or_default();
            e.0 += 1;
            e.1 += x;
            e.2 += x * x;
        }
    })
    .unwrap();

    let summary = Source::open(
        &dir.join("ab_test_checkout_summary.csv"),
        &ImportOptions::default(),
    )
    .unwrap();
    let s = summary
        .read_columns(
            &[
                "variant",
                "revenue_usd_n",
                "revenue_usd_mean",
                "revenue_usd_std_dev",
            ],
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    let mut names = Vec::new();
    summary
        .for_each_text(s.column("variant").unwrap(), |_, v| {
            names.push(v.unwrap().to_string())
        })
        .unwrap();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for c in ["revenue_usd_n", "revenue_usd_mean", "revenue_usd_std_dev"] {
        let mut v = Vec::new();
        summary
            .for_each_number(s.column(c).unwrap(), 0, false, |_, cell| {
                if let Cell::Value(x) = cell {
                    v.push(x)
                }
            })
            .unwrap();
        cols.push(v);
    }
    assert_eq!(names.len(), 3);
    for (i, name) in names.iter().enumerate() {
        let (n, sum, sum_sq) = sums[name];
        let mean = sum / n as f64;
        let sd = ((sum_sq - n as f64 * mean * mean) / (n as f64 - 1.0)).sqrt();
        assert_eq!(cols[0][i], n as f64);
        assert!((cols[1][i] - mean).abs() < 1e-8, "{name} mean");
        assert!((cols[2][i] - sd).abs() < 1e-6, "{name} sd");
    }
}
