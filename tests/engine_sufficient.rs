#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sufficient statistics: precision over a long stream of large values, and the same results
//! from unit-level values and from summary-statistics rows.

use throughline::analysis::{
    ExperimentInput, ExperimentResult, MetricInput, SufficientStats, analyze_experiment,
};
use throughline::model::MetricKind;

/// 100,000,768 values 10⁹ + k/1024 (k = 0..1023 in a scrambled order): every value is exact in
/// f64, and so are the true mean (10⁹ + 511.5/1024) and variance.
#[test]
fn one_hundred_million_values_near_a_billion_keep_their_digits() {
    const BLOCK: u64 = 1024;
    let n: u64 = BLOCK * 97_657;
    let mut stream = SufficientStats::new();
    let mut chunked = SufficientStats::new();
    let mut chunk = SufficientStats::new();
    for i in 0..n {
        let k = (i * 7919) % BLOCK;
        let x = 1e9 + k as f64 / 1024.0;
        stream.push(x);
        chunk.push(x);
        if (i + 1) % 1_000_000 == 0 {
            chunked.merge(&chunk);
            chunk = SufficientStats::new();
        }
    }
    chunked.merge(&chunk);

    let exact_mean = 1e9 + 511.5 / 1024.0;
    let nf = n as f64;
    let exact_variance = (1024.0 * 1024.0 - 1.0) / 12.0 / (1024.0 * 1024.0) * nf / (nf - 1.0);
    for (name, s) in [("stream", stream), ("chunked", chunked)] {
        assert_eq!(s.n(), n);
        let mean = s.mean().unwrap();
        // One unit in the last place of 1e9 is 1.2e-7.
        assert!(
            (mean - exact_mean).abs() <= 1.2e-7,
            "{name}: mean {mean} vs {exact_mean}"
        );
        let variance = s.variance().unwrap();
        let rel = (variance - exact_variance).abs() / exact_variance;
        assert!(
            rel < 1e-9,
            "{name}: variance {variance} vs {exact_variance} ({rel:e})"
        );
    }
    // A difference of two such means keeps its digits.
    let mut other = SufficientStats::new();
    for k in 0..BLOCK {
        other.push(1e9 + k as f64 / 1024.0 + 1.0 / 4096.0);
    }
    let diff = other.mean_diff(&stream).unwrap();
    assert!((diff - 1.0 / 4096.0).abs() < 1e-12, "diff {diff}");
}

fn values(seed: u64, n: usize, scale: f64, binary: bool) -> Vec<f64> {
    // A small linear congruential generator: deterministic and dependency-free.
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            if binary {
                f64::from(u < 0.3)
            } else {
                (u * scale * 100.0).round() / 100.0
            }
        })
        .collect()
}

fn experiment(stats: Vec<Vec<SufficientStats>>) -> ExperimentResult {
    let names = ["control", "a", "b"];
    let rows: Vec<(String, u64)> = names
        .iter()
        .enumerate()
        .map(|(i, v)| (v.to_string(), stats[0][i].n()))
        .collect();
    let input = ExperimentInput {
        file: "test".into(),
        variant_column: "variant".into(),
        rows: rows.iter().map(|r| r.1).sum(),
        variant_rows: rows,
        metrics: stats
            .into_iter()
            .enumerate()
            .map(|(m, s)| MetricInput {
                name: format!("m{m}"),
                kind: MetricKind::Auto,
                stats: s,
            })
            .collect(),
        control: "control".into(),
        alpha: 0.05,
        expected_split: vec![],
        warnings: vec![],
    };
    analyze_experiment(&input).unwrap()
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => {
            let rel = (a - b).abs() / b.abs().max(1e-300);
            assert!(rel < 1e-10, "{what}: {a} vs {b} ({rel:e})");
        }
        (None, None) => {}
        _ => panic!("{what}: {a:?} vs {b:?}"),
    }
}

#[test]
fn unit_level_and_summary_rows_give_the_same_analysis() {
    let sizes = [1200, 950, 1010];
    let unit: Vec<Vec<f64>> = (0..3)
        .map(|i| values(i as u64 + 1, sizes[i], 40.0, false))
        .collect();
    let flags: Vec<Vec<f64>> = (0..3)
        .map(|i| values(i as u64 + 7, sizes[i], 1.0, true))
        .collect();
    let from_units = |data: &[Vec<f64>]| -> Vec<SufficientStats> {
        data.iter()
            .map(|v| SufficientStats::from_values(v))
            .collect()
    };
    let by_mean_sd = |data: &[Vec<f64>]| -> Vec<SufficientStats> {
        data.iter()
            .map(|v| {
                let s = SufficientStats::from_values(v);
                SufficientStats::from_mean_sd(s.n(), s.mean().unwrap(), s.std_dev().unwrap(), 0)
                    .unwrap()
            })
            .collect()
    };
    let by_sums = |data: &[Vec<f64>]| -> Vec<SufficientStats> {
        data.iter()
            .map(|v| {
                let sum: f64 = v.iter().sum();
                let sum_sq: f64 = v.iter().map(|x| x * x).sum();
                SufficientStats::from_sums(v.len() as u64, sum, sum_sq, 0).unwrap()
            })
            .collect()
    };
    let reference = experiment(vec![from_units(&unit), from_units(&flags)]);
    for other in [
        experiment(vec![by_mean_sd(&unit), by_mean_sd(&flags)]),
        experiment(vec![by_sums(&unit), by_sums(&flags)]),
    ] {
        assert_eq!(other.srm, reference.srm);
        for (m, r) in other.metrics.iter().zip(&reference.metrics) {
            assert_eq!(m.kind, r.kind, "{}", m.metric);
            for (v, w) in m.variants.iter().zip(&r.variants) {
                assert_eq!(v.n, w.n);
                close(v.mean, w.mean, "mean");
                close(v.std_dev, w.std_dev, "std_dev");
                close(v.ci_low, w.ci_low, "ci_low");
                close(v.ci_high, w.ci_high, "ci_high");
            }
            for (c, d) in m.comparisons.iter().zip(&r.comparisons) {
                for (what, a, b) in [
                    ("diff", c.diff, d.diff),
                    ("diff_ci_low", c.diff_ci_low, d.diff_ci_low),
                    ("diff_ci_high", c.diff_ci_high, d.diff_ci_high),
                    ("rel_lift", c.rel_lift, d.rel_lift),
                    ("rel_ci_low", c.rel_ci_low, d.rel_ci_low),
                    ("rel_ci_high", c.rel_ci_high, d.rel_ci_high),
                    ("statistic", c.statistic, d.statistic),
                    ("df", c.df, d.df),
                    ("p_value", c.p_value, d.p_value),
                    ("p_value_holm", c.p_value_holm, d.p_value_holm),
                ] {
                    close(a, b, what);
                }
            }
        }
    }
}
