#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The reading path on files large enough to be read in parallel blocks: the statistics equal
//! those of the values themselves, and a bad cell deep in the file is reported at its row.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use throughline::analysis::SufficientStats;
use throughline::data::DataError;
use throughline::data::aggregate::{
    AggregateError, ReadControl, read_experiment, read_pairs, read_scores,
};
use throughline::model::{DataShape, ImportOptions};

const ROWS: usize = 250_000;

/// A file of about 7 MB: variant, a quoted free-text column (with commas, doubled quotes and
/// line breaks), revenue and a 0/1 flag.
fn big_csv(bad_row: Option<usize>) -> (String, Vec<(String, f64, f64)>) {
    let mut text = String::from("variant,note,revenue,flag\n");
    let mut values = Vec::with_capacity(ROWS);
    for i in 0..ROWS {
        let variant = ["control", "b", "c"][i % 3];
        let revenue = ((i * 7919) % 10_000) as f64 / 100.0 + 1e6;
        let flag = ((i * 31) % 7 < 2) as u8 as f64;
        let note = match i % 5 {
            0 => "plain".to_owned(),
            1 => "\"with, comma\"".to_owned(),
            2 => "\"say \"\"hi\"\"\"".to_owned(),
            3 => "\"two\nlines\"".to_owned(),
            _ => String::new(),
        };
        if Some(i) == bad_row {
            writeln!(text, "{variant},{note},oops,{flag}").unwrap();
        } else {
            writeln!(text, "{variant},{note},{revenue},{flag}").unwrap();
        }
        values.push((variant.to_owned(), revenue, flag));
    }
    (text, values)
}

#[test]
fn parallel_blocks_give_the_statistics_of_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let (text, values) = big_csv(None);
    let path = dir.path().join("big.csv");
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() > 3 << 20, "the file must span several blocks");

    let progress_calls = AtomicU64::new(0);
    let progress = |_done: u64, _total: u64| {
        progress_calls.fetch_add(1, Ordering::Relaxed);
    };
    let control = ReadControl {
        progress: Some(&progress),
        ..ReadControl::default()
    };
    let data = read_experiment(
        &path,
        &ImportOptions::default(),
        "variant",
        &["revenue".to_owned(), "flag".to_owned()],
        &control,
    )
    .unwrap();
    assert!(progress_calls.load(Ordering::Relaxed) > 0);
    assert_eq!(data.shape, DataShape::UnitLevel);
    assert_eq!(data.rows, ROWS as u64);
    let names: Vec<&str> = data.variant_rows.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(names, ["b", "c", "control"]);
    for (m, (metric, stats)) in data.metrics.iter().enumerate() {
        for ((variant, rows), s) in data.variant_rows.iter().zip(stats) {
            let own: Vec<f64> = values
                .iter()
                .filter(|v| v.0 == *variant)
                .map(|v| if m == 0 { v.1 } else { v.2 })
                .collect();
            let want = SufficientStats::from_values(&own);
            assert_eq!(*rows, own.len() as u64);
            assert_eq!(s.n(), want.n(), "{metric} {variant}");
            let (a, b) = (s.mean().unwrap(), want.mean().unwrap());
            assert!(
                (a - b).abs() <= 1e-15 * b.abs(),
                "{metric} {variant}: {a} vs {b}"
            );
            let (a, b) = (s.variance().unwrap(), want.variance().unwrap());
            assert!(
                (a - b).abs() <= 1e-11 * b.abs(),
                "{metric} {variant}: {a} vs {b}"
            );
            assert_eq!(s.all_binary(), m == 1);
        }
    }

    // The same file read again gives bit-identical statistics (no dependence on threads).
    let again = read_experiment(
        &path,
        &ImportOptions::default(),
        "variant",
        &["revenue".to_owned(), "flag".to_owned()],
        &ReadControl::default(),
    )
    .unwrap();
    assert_eq!(again, data);
}

#[test]
fn a_bad_cell_deep_in_the_file_is_reported_at_its_row_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = 200_003; // i % 5 == 3 rows hold a line break, so lines run ahead of rows
    let (text, _) = big_csv(Some(bad));
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, &text).unwrap();
    let err = read_experiment(
        &path,
        &ImportOptions::default(),
        "variant",
        &["revenue".to_owned()],
        &ReadControl::default(),
    )
    .unwrap_err();
    // Its line: the header, one line per earlier row, one more for each earlier row with
    // i % 5 == 3 (their note holds a line break), then its own.
    let extra = (0..bad).filter(|i| i % 5 == 3).count();
    let line = 1 + bad + extra + 1;
    match &err {
        AggregateError::Data(DataError::NotNumeric {
            column,
            row,
            line: Some(l),
            value,
            ..
        }) => {
            assert_eq!(column, "revenue");
            assert_eq!(*row, bad as u64 + 1);
            assert_eq!(*l, line as u64);
            assert_eq!(value, "oops");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("bad.csv") && message.contains("row 200004"),
        "{message}"
    );

    // With skip_bad_rows the value counts as missing.
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let data = read_experiment(
        &path,
        &options,
        "variant",
        &["revenue".to_owned()],
        &ReadControl::default(),
    )
    .unwrap();
    let missing: u64 = data.metrics[0].1.iter().map(SufficientStats::missing).sum();
    assert_eq!(missing, 1);
}

#[test]
fn reading_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = big_csv(None);
    let path = dir.path().join("big.csv");
    std::fs::write(&path, &text).unwrap();
    let cancel = AtomicBool::new(true);
    let control = ReadControl {
        cancel: Some(&cancel),
        ..ReadControl::default()
    };
    let err = read_experiment(
        &path,
        &ImportOptions::default(),
        "variant",
        &["revenue".to_owned()],
        &control,
    )
    .unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
}

#[test]
fn pairs_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("points.csv");
    std::fs::write(&path, "x,y,label\n1,2,yes\n2,,no\n3,7,1\n").unwrap();
    let pairs = read_pairs(
        &path,
        &ImportOptions::default(),
        "x",
        "y",
        &ReadControl::default(),
    )
    .unwrap();
    assert_eq!(pairs.x, vec![1.0, 2.0, 3.0]);
    assert!(pairs.y[1].is_nan());
    let scores = read_scores(
        &path,
        &ImportOptions::default(),
        "y",
        "label",
        &ReadControl::default(),
    )
    .unwrap();
    assert_eq!(scores.scores, vec![2.0, 7.0]);
    assert_eq!(scores.labels, vec![true, true]);
    assert_eq!(scores.warnings.len(), 1);
}

#[test]
fn project_analyses_run_from_their_settings() {
    use throughline::data::aggregate::{RunError, run_experiment, run_link, run_threshold};
    use throughline::model::{ExperimentSpec, LinkSpec, MetricKind, MetricSpec, ThresholdSpec};
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let options = ImportOptions::default();
    let control = ReadControl::default();
    let spec = ExperimentSpec {
        variant_column: "variant".into(),
        control: "control".into(),
        metrics: vec![
            MetricSpec {
                column: "converted".into(),
                kind: MetricKind::Mean,
                business: true,
                ..Default::default()
            },
            MetricSpec {
                column: "minutes".into(),
                kind: MetricKind::Auto,
                business: true,
                ..Default::default()
            },
        ],
        alpha: 0.05,
        expected_split: vec![
            ("control".into(), 2.0),
            ("arm_a".into(), 1.0),
            ("arm_b".into(), 1.0),
            ("arm_c".into(), 1.0),
        ],
        ..ExperimentSpec::default()
    };
    let r = run_experiment(
        &reference.join("ab_four_arms.csv"),
        &options,
        &spec,
        &control,
    )
    .unwrap();
    assert_eq!(r.metrics.len(), 2);
    assert_eq!(r.metrics[0].kind, throughline::analysis::ResolvedKind::Mean);
    assert_eq!(r.metrics[0].comparisons.len(), 3);
    assert!(r.srm.p_value.unwrap() > 0.001);

    let bad = ExperimentSpec {
        control: "nobody".into(),
        ..spec
    };
    let err = run_experiment(
        &reference.join("ab_four_arms.csv"),
        &options,
        &bad,
        &control,
    )
    .unwrap_err();
    assert!(matches!(err, RunError::Analysis { .. }));
    assert!(err.to_string().contains("\"arm_a\""), "{err}");

    let link = LinkSpec {
        x: "offline_accuracy".into(),
        y: "revenue_per_user".into(),
        ..LinkSpec::default()
    };
    let l = run_link(
        &reference.join("link_points.csv"),
        &options,
        &link,
        &control,
    )
    .unwrap();
    assert_eq!(l.result.n, 25);
    assert!(!l.result.verdict.is_empty());

    let threshold = ThresholdSpec {
        score_column: "score".into(),
        label_column: "is_fraud".into(),
        value_tp: 40.0,
        value_fp: -5.0,
        value_fn: -20.0,
        value_tn: 0.0,
        ..ThresholdSpec::default()
    };
    let t = run_threshold(
        &reference.join("threshold_ties.csv"),
        &options,
        &threshold,
        &control,
    )
    .unwrap();
    assert!(t.best_value.is_some());
}
