//! "Get summary statistics from my warehouse": analysing the summary-statistics file gives the
//! same results as analysing the unit-level data it summarises (issue 3, item 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use throughline::analysis::{
    ExperimentInput, ExperimentResult, MetricInput, SufficientStats, analyze_experiment,
};
use throughline::data::{Cell, Source};
use throughline::model::{ImportOptions, MetricKind};

const METRICS: [&str; 2] = ["converted", "revenue_usd"];

fn assets() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

fn input(
    file: &str,
    stats: BTreeMap<String, Vec<SufficientStats>>,
    rows: BTreeMap<String, u64>,
) -> ExperimentInput {
    let variants: Vec<String> = stats.keys().cloned().collect();
    ExperimentInput {
        file: file.into(),
        variant_column: "variant".into(),
        rows: rows.values().sum(),
        variant_rows: variants.iter().map(|v| (v.clone(), rows[v])).collect(),
        metrics: METRICS
            .iter()
            .enumerate()
            .map(|(m, name)| MetricInput {
                name: (*name).into(),
                kind: MetricKind::Auto,
                stats: variants.iter().map(|v| stats[v][m]).collect(),
            })
            .collect(),
        control: "control".into(),
        alpha: 0.05,
        expected_split: Vec::new(),
        warnings: Vec::new(),
    }
}

fn from_unit_level() -> ExperimentResult {
    let source = Source::open(
        &assets().join("ab_test_checkout.csv"),
        &ImportOptions::default(),
    )
    .unwrap();
    let df = source
        .read_columns(
            &["variant", "converted", "revenue_usd"],
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    let mut variants = Vec::new();
    source
        .for_each_text(df.column("variant").unwrap(), |_, v| {
            variants.push(v.unwrap().to_string())
        })
        .unwrap();
    let mut stats: BTreeMap<String, Vec<SufficientStats>> = BTreeMap::new();
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    for v in &variants {
        *rows.entry(v.clone()).or_default() += 1;
        stats
            .entry(v.clone())
            .or_insert_with(|| vec![SufficientStats::new(); METRICS.len()]);
    }
    for (m, name) in METRICS.iter().enumerate() {
        source
            .for_each_number(df.column(name).unwrap(), 0, false, |i, cell| {
                let s = &mut stats.get_mut(&variants[i]).unwrap()[m];
                match cell {
                    Cell::Value(x) => s.push(x),
                    Cell::Missing => s.push_missing(),
                    Cell::Unreadable => s.push_unreadable(),
                }
            })
            .unwrap();
    }
    analyze_experiment(&input("unit", stats, rows)).unwrap()
}

fn from_summary() -> ExperimentResult {
    let source = Source::open(
        &assets().join("ab_test_checkout_summary.csv"),
        &ImportOptions::default(),
    )
    .unwrap();
    let names = source.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let df = source
        .read_columns(&names, &mut |_| {}, &AtomicBool::new(false))
        .unwrap();
    let number = |column: &str| -> Vec<f64> {
        let mut out = Vec::new();
        source
            .for_each_number(df.column(column).unwrap(), 0, false, |_, c| {
                if let Cell::Value(x) = c {
                    out.push(x)
                }
            })
            .unwrap();
        out
    };
    let mut variants = Vec::new();
    source
        .for_each_text(df.column("variant").unwrap(), |_, v| {
            variants.push(v.unwrap().to_string())
        })
        .unwrap();
    let n = number("n");
    let mut stats: BTreeMap<String, Vec<SufficientStats>> = BTreeMap::new();
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    for (i, v) in variants.iter().enumerate() {
        rows.insert(v.clone(), n[i] as u64);
        let per_metric = METRICS
            .iter()
            .map(|m| {
                let count = number(&format!("{m}_n"))[i] as u64;
                let mean = number(&format!("{m}_mean"))[i];
                let sd = number(&format!("{m}_std_dev"))[i];
                SufficientStats::from_mean_sd(count, mean, sd, n[i] as u64 - count).unwrap()
            })
            .collect();
        stats.insert(v.clone(), per_metric);
    }
    analyze_experiment(&input("summary", stats, rows)).unwrap()
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => assert!(
            (a - b).abs() <= 1e-7 * a.abs().max(b.abs()).max(1e-3),
            "{what}: {a} vs {b}"
        ),
        (None, None) => {}
        _ => panic!("{what}: {a:?} vs {b:?}"),
    }
}

#[test]
fn summary_file_gives_the_unit_level_results() {
    let unit = from_unit_level();
    let summary = from_summary();
    assert_eq!(unit.rows, 18_000);
    assert_eq!(summary.rows, unit.rows);
    assert_eq!(summary.srm.counts, unit.srm.counts);
    close(summary.srm.p_value, unit.srm.p_value, "srm p");
    assert_eq!(summary.metrics.len(), unit.metrics.len());
    for (s, u) in summary.metrics.iter().zip(&unit.metrics) {
        assert_eq!(s.metric, u.metric);
        assert_eq!(s.kind, u.kind, "{}: kind", s.metric);
        for (sv, uv) in s.variants.iter().zip(&u.variants) {
            assert_eq!(sv.variant, uv.variant);
            assert_eq!(sv.n, uv.n);
            assert_eq!(sv.missing, uv.missing);
            close(sv.mean, uv.mean, "mean");
            close(sv.std_dev, uv.std_dev, "std dev");
            close(sv.ci_low, uv.ci_low, "ci low");
            close(sv.ci_high, uv.ci_high, "ci high");
        }
        for (sc, uc) in s.comparisons.iter().zip(&u.comparisons) {
            assert_eq!(sc.treatment, uc.treatment);
            close(sc.diff, uc.diff, "diff");
            close(sc.diff_ci_low, uc.diff_ci_low, "diff ci low");
            close(sc.rel_lift, uc.rel_lift, "lift");
            close(sc.statistic, uc.statistic, "statistic");
            close(sc.p_value, uc.p_value, "p");
            close(sc.p_value_holm, uc.p_value_holm, "p holm");
            assert_eq!(sc.verdict, uc.verdict);
        }
    }
}
