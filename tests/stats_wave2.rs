#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every second-wave figure (CUPED, ratio metrics, segments, decision figures, York fit,
//! meta-analysis, discounting) agrees with scipy/statsmodels/numpy (tests/reference/
//! expected_wave2.json, made by tests/reference/make_reference_wave2.py) to 1e-9 relative,
//! through the public functions of `throughline::analysis` (the largest difference seen is about
//! 6e-13, in p-values below 1e-6).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use throughline::analysis::PairSummary;
use throughline::analysis::cuped::{CupedStats, cuped};
use throughline::analysis::decision::{self, Direction};
use throughline::analysis::meta::meta_analysis;
use throughline::analysis::npv::discount;
use throughline::analysis::ratio::{RatioStats, analyze_ratio};
use throughline::analysis::segments::{SegmentStats, compare_segments, plan_segments};
use throughline::analysis::york::york_fit;
use throughline::analysis::{
    ExperimentInput, MetricInput, ResolvedKind, SufficientStats, analyze_experiment,
};
use throughline::model::MetricKind;

const TOLERANCE: f64 = 1e-9;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(reference_dir().join("expected_wave2.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Collects mismatches so one run shows them all.
#[derive(Default)]
struct Checker {
    errors: Vec<String>,
}

impl Checker {
    fn num(&mut self, path: &str, got: Option<f64>, want: &Value) {
        match (got, want) {
            (None, Value::Null) => {}
            (Some(g), Value::Number(w)) => {
                let w = w.as_f64().unwrap();
                let scale = w.abs().max(f64::MIN_POSITIVE);
                if (g - w).abs() > TOLERANCE * scale {
                    self.errors.push(format!(
                        "{path}: got {g:e}, want {w:e} (relative error {:e})",
                        (g - w).abs() / scale
                    ));
                }
            }
            (g, w) => self.errors.push(format!("{path}: got {g:?}, want {w}")),
        }
    }

    fn count(&mut self, path: &str, got: u64, want: &Value) {
        if want.as_u64() != Some(got) {
            self.errors.push(format!("{path}: got {got}, want {want}"));
        }
    }

    fn finish(self) {
        assert!(
            self.errors.is_empty(),
            "{} mismatches:\n{}",
            self.errors.len(),
            self.errors.join("\n")
        );
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// A small CSV reader for the reference files (no quoting; empty = missing).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(name: &str) -> Self {
        let text = std::fs::read_to_string(reference_dir().join(name)).unwrap();
        let mut lines = text.lines();
        let header = lines
            .next()
            .unwrap()
            .split(',')
            .map(str::to_owned)
            .collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        Self { header, rows }
    }

    fn index(&self, column: &str) -> usize {
        self.header.iter().position(|h| h == column).unwrap()
    }

    fn text(&self, column: &str) -> Vec<String> {
        let i = self.index(column);
        self.rows.iter().map(|r| r[i].clone()).collect()
    }

    fn numbers(&self, column: &str) -> Vec<f64> {
        let i = self.index(column);
        self.rows
            .iter()
            .map(|r| {
                if r[i].is_empty() {
                    f64::NAN
                } else {
                    r[i].parse().unwrap()
                }
            })
            .collect()
    }
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Runs the existing experiment analysis on per-variant statistics (control first).
fn analyze_mean(
    metric: &str,
    variants: &[String],
    stats: Vec<SufficientStats>,
    alpha: f64,
) -> throughline::analysis::MetricResult {
    let input = ExperimentInput {
        variant_rows: variants
            .iter()
            .zip(&stats)
            .map(|(v, s)| (v.clone(), s.n() + s.missing()))
            .collect(),
        metrics: vec![MetricInput {
            name: metric.to_owned(),
            kind: MetricKind::Mean,
            stats,
        }],
        control: variants[0].clone(),
        alpha,
        ..ExperimentInput::default()
    };
    analyze_experiment(&input).unwrap().metrics.remove(0)
}

#[test]
fn growthbook_case_relative_p_value_agrees_with_the_relative_interval() {
    let all = expected();
    let case = &all["growthbook"];
    let want = &case["expected"];
    let alpha = f(&case["alpha"]);
    let arm = |k: &str| {
        let a = &case[k];
        SufficientStats::from_mean_sd(a["n"].as_u64().unwrap(), f(&a["mean"]), f(&a["std_dev"]), 0)
            .unwrap()
    };
    let (c, t) = (arm("control"), arm("treatment"));
    let variants = vec!["control".to_owned(), "treatment".to_owned()];
    let result = analyze_mean("metric", &variants, vec![c, t], alpha);
    let cmp = &result.comparisons[0];
    let mut check = Checker::default();
    for (key, got) in [
        ("diff", cmp.diff),
        ("diff_ci_low", cmp.diff_ci_low),
        ("diff_ci_high", cmp.diff_ci_high),
        ("statistic", cmp.statistic),
        ("df", cmp.df),
        ("p_value", cmp.p_value),
        ("rel_lift", cmp.rel_lift),
        ("rel_ci_low", cmp.rel_ci_low),
        ("rel_ci_high", cmp.rel_ci_high),
    ] {
        check.num(key, got, &want[key]);
    }
    let (mc, mt) = (c.mean().unwrap(), t.mean().unwrap());
    let vc = c.variance().unwrap() / c.n() as f64;
    let vt = t.variance().unwrap() / t.n() as f64;
    let se_diff = (vt + vc).sqrt();
    let se_rel = decision::relative_se(mt, mc, vt, vc).unwrap();
    let rel = cmp.rel_lift.unwrap();
    let rel_p = decision::rel_p_value(rel, se_rel);
    let mde = decision::mde(alpha, se_diff, mc);
    let diff = cmp.diff.unwrap();
    check.num("se_diff", Some(se_diff), &want["se_diff"]);
    check.num("se_rel", Some(se_rel), &want["se_rel"]);
    check.num("rel_p_value", rel_p, &want["rel_p_value"]);
    check.num("mde", mde.mde, &want["mde"]);
    check.num("mde_rel", mde.mde_rel, &want["mde_rel"]);
    check.num(
        "chance_to_win",
        decision::chance_to_win(diff, se_diff, Direction::HigherIsBetter),
        &want["chance_to_win"],
    );
    check.num(
        "expected_loss",
        decision::expected_loss(diff, se_diff, Direction::HigherIsBetter),
        &want["expected_loss"],
    );
    let extras = decision::comparison_extras(
        ResolvedKind::Mean,
        &t,
        &c,
        cmp.rel_lift,
        alpha,
        Direction::HigherIsBetter,
    );
    for (key, got) in [
        ("se_diff", extras.se_diff),
        ("se_rel", extras.se_rel),
        ("rel_p_value", extras.rel_p_value),
        ("mde", extras.mde),
        ("mde_rel", extras.mde_rel),
        ("chance_to_win", extras.chance_to_win),
        ("expected_loss", extras.expected_loss),
    ] {
        check.num(&format!("extras.{key}"), got, &want[key]);
    }
    check.finish();
    // The point of issue 12: the relative CI contains zero, and so rel_p_value ≥ α, although
    // the absolute test is below α.
    let (lo, hi) = (cmp.rel_ci_low.unwrap(), cmp.rel_ci_high.unwrap());
    assert!(lo < 0.0 && hi > 0.0);
    assert!(rel_p.unwrap() >= alpha);
    assert!(cmp.p_value.unwrap() < alpha);
}

#[test]
fn decision_figures_match_scipy() {
    let all = expected();
    let mut check = Checker::default();
    for (i, case) in all["decision_figures"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let (diff, se, mean_c, alpha) = (
            f(&case["diff"]),
            f(&case["se_diff"]),
            f(&case["mean_c"]),
            f(&case["alpha"]),
        );
        let direction = if case["lower_is_better"].as_bool().unwrap() {
            Direction::LowerIsBetter
        } else {
            Direction::HigherIsBetter
        };
        let p = format!("decision_figures[{i}]");
        let m = decision::mde(alpha, se, mean_c);
        check.num(&format!("{p}.mde"), m.mde, &case["mde"]);
        check.num(&format!("{p}.mde_rel"), m.mde_rel, &case["mde_rel"]);
        check.num(
            &format!("{p}.chance_to_win"),
            decision::chance_to_win(diff, se, direction),
            &case["chance_to_win"],
        );
        check.num(
            &format!("{p}.expected_loss"),
            decision::expected_loss(diff, se, direction),
            &case["expected_loss"],
        );
        check.num(
            &format!("{p}.rel_p_value"),
            decision::rel_p_value(f(&case["rel_lift"]), f(&case["se_rel"])),
            &case["rel_p_value"],
        );
    }
    check.finish();
}

#[test]
fn cuped_matches_numpy_and_scipy() {
    let all = expected();
    let spec = &all["cuped"];
    let csv = Csv::read(spec["file"].as_str().unwrap());
    let variants = names(&spec["variants"]);
    let alpha = f(&spec["alpha"]);
    let variant_of = csv.text("variant");
    let mut check = Checker::default();
    for case in spec["cases"].as_array().unwrap() {
        let metric = case["metric"].as_str().unwrap();
        let covariate = case["covariate"].as_str().unwrap();
        let y = csv.numbers(metric);
        let x = csv.numbers(covariate);
        let stats: Vec<(String, CupedStats)> = variants
            .iter()
            .map(|v| {
                let mut s = CupedStats::new();
                for i in 0..y.len() {
                    if variant_of[i] == *v {
                        s.push(y[i], x[i]);
                    }
                }
                (v.clone(), s)
            })
            .collect();
        let out = cuped(metric, covariate, &stats);
        let p = format!("cuped.{metric}");
        check.num(&format!("{p}.theta"), out.theta, &case["theta"]);
        check.num(
            &format!("{p}.covariate_mean"),
            out.covariate_mean,
            &case["covariate_mean"],
        );
        check.num(
            &format!("{p}.variance_reduction"),
            out.variance_reduction,
            &case["variance_reduction"],
        );
        check.count(
            &format!("{p}.covariate_missing"),
            out.covariate_missing,
            &case["covariate_missing"],
        );
        for (v, want) in out
            .variants
            .iter()
            .zip(case["variants"].as_array().unwrap())
        {
            let q = format!("{p}.{}", v.variant);
            check.count(&format!("{q}.n"), v.adjusted.n(), &want["n"]);
            check.num(&format!("{q}.mean"), v.adjusted.mean(), &want["mean"]);
            check.num(
                &format!("{q}.std_dev"),
                v.adjusted.std_dev(),
                &want["std_dev"],
            );
            check.num(
                &format!("{q}.unadjusted_mean"),
                v.unadjusted.mean(),
                &want["unadjusted_mean"],
            );
            check.num(
                &format!("{q}.unadjusted_std_dev"),
                v.unadjusted.std_dev(),
                &want["unadjusted_std_dev"],
            );
            check.count(
                &format!("{q}.covariate_missing"),
                v.covariate_missing,
                &want["covariate_missing"],
            );
        }
        // The adjusted metric goes through the ordinary mean comparison.
        let adjusted: Vec<SufficientStats> = out.variants.iter().map(|v| v.adjusted).collect();
        let result = analyze_mean(metric, &variants, adjusted, alpha);
        for (c, want) in result
            .comparisons
            .iter()
            .zip(case["comparisons"].as_array().unwrap())
        {
            let q = format!("{p}.{}", c.treatment);
            for (key, got) in [
                ("diff", c.diff),
                ("diff_ci_low", c.diff_ci_low),
                ("diff_ci_high", c.diff_ci_high),
                ("statistic", c.statistic),
                ("df", c.df),
                ("p_value", c.p_value),
                ("rel_lift", c.rel_lift),
                ("rel_ci_low", c.rel_ci_low),
                ("rel_ci_high", c.rel_ci_high),
            ] {
                check.num(&format!("{q}.{key}"), got, &want[key]);
            }
        }
    }
    check.finish();
}

fn ratio_stats(csv: &Csv, num: &str, den: &str, variant: &str) -> RatioStats {
    let v = csv.text("variant");
    let n = csv.numbers(num);
    let d = csv.numbers(den);
    let mut s = RatioStats::new();
    for i in 0..v.len() {
        if v[i] == variant {
            s.push(n[i], d[i]);
        }
    }
    s
}

#[test]
fn ratio_metrics_match_the_delta_method() {
    let all = expected();
    let spec = &all["ratio"];
    let csv = Csv::read(spec["file"].as_str().unwrap());
    let order = names(&spec["variants_order"]);
    let (num, den) = (
        spec["numerator"].as_str().unwrap(),
        spec["denominator"].as_str().unwrap(),
    );
    let alpha = f(&spec["alpha"]);
    let units: Vec<(String, RatioStats)> = order
        .iter()
        .map(|v| (v.clone(), ratio_stats(&csv, num, den, v)))
        .collect();
    let summary: Vec<(String, RatioStats)> = spec["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let pairs = PairSummary {
                n: s["n"].as_u64().unwrap(),
                mean_a: f(&s["mean_num"]),
                mean_b: f(&s["mean_den"]),
                var_a: f(&s["var_num"]),
                var_b: f(&s["var_den"]),
                cov: f(&s["cov"]),
            };
            let stats = RatioStats::from_summary(pairs, s["missing"].as_u64().unwrap()).unwrap();
            (s["variant"].as_str().unwrap().to_owned(), stats)
        })
        .collect();
    let mut check = Checker::default();
    for (source, variants) in [("units", units), ("summary", summary)] {
        let out = analyze_ratio(
            spec["metric"].as_str().unwrap(),
            &variants,
            "control",
            alpha,
        )
        .unwrap();
        let want = &spec["expected"];
        for (v, w) in out
            .variants
            .iter()
            .zip(want["variants"].as_array().unwrap())
        {
            let p = format!("ratio.{source}.{}", v.variant);
            check.count(&format!("{p}.n"), v.n, &w["n"]);
            check.count(&format!("{p}.missing"), v.missing, &w["missing"]);
            for (key, got) in [
                ("mean", v.mean),
                ("std_dev", v.std_dev),
                ("var_ratio", v.var_ratio),
                ("ci_low", v.ci_low),
                ("ci_high", v.ci_high),
            ] {
                check.num(&format!("{p}.{key}"), got, &w[key]);
            }
        }
        for (c, w) in out
            .comparisons
            .iter()
            .zip(want["comparisons"].as_array().unwrap())
        {
            let p = format!("ratio.{source}.{}", c.treatment);
            for (key, got) in [
                ("diff", c.diff),
                ("se_diff", c.se_diff),
                ("statistic", c.statistic),
                ("p_value", c.p_value),
                ("p_value_holm", c.p_value_holm),
                ("diff_ci_low", c.diff_ci_low),
                ("diff_ci_high", c.diff_ci_high),
                ("rel_lift", c.rel_lift),
                ("se_rel", c.se_rel),
                ("rel_ci_low", c.rel_ci_low),
                ("rel_ci_high", c.rel_ci_high),
                ("rel_p_value", c.rel_p_value),
            ] {
                check.num(&format!("{p}.{key}"), got, &w[key]);
            }
        }
    }
    check.finish();
}

#[test]
fn segments_match_scipy_and_statsmodels() {
    let all = expected();
    let spec = &all["segments"];
    let csv = Csv::read(spec["file"].as_str().unwrap());
    let column = spec["column"].as_str().unwrap();
    let alpha = f(&spec["alpha"]);
    let values = csv.text(column);
    let variant = csv.text("variant");
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for v in &values {
        *counts.entry(v.clone()).or_default() += 1;
    }
    let counts: Vec<(String, u64)> = counts.into_iter().collect();
    let plan = plan_segments(
        column,
        &counts,
        spec["max_segments"].as_u64().unwrap() as usize,
    )
    .unwrap();
    assert_eq!(plan.labels, names(&spec["labels"]));
    let mut check = Checker::default();
    for want in spec["metrics"].as_array().unwrap() {
        let metric = want["metric"].as_str().unwrap();
        let kind = match want["kind"].as_str().unwrap() {
            "mean" => ResolvedKind::Mean,
            _ => ResolvedKind::Proportion,
        };
        let y = csv.numbers(metric);
        let mut segments: Vec<SegmentStats> = plan
            .labels
            .iter()
            .map(|l| SegmentStats {
                segment: l.clone(),
                ..SegmentStats::default()
            })
            .collect();
        for i in 0..y.len() {
            let seg = &mut segments[plan.index_of(&values[i])];
            if variant[i] == "control" {
                seg.control.push(y[i]);
            } else {
                seg.treatment.push(y[i]);
            }
        }
        let out = compare_segments(metric, kind, "control", "treatment", &segments, alpha).unwrap();
        let p = format!("segments.{metric}");
        check.num(&format!("{p}.q"), out.q, &want["q"]);
        check.num(&format!("{p}.q_p_value"), out.q_p_value, &want["q_p_value"]);
        check.num(&format!("{p}.i_squared"), out.i_squared, &want["i_squared"]);
        check.num(
            &format!("{p}.i_squared (statsmodels)"),
            out.i_squared,
            &want["i_squared_statsmodels"],
        );
        for (r, w) in out.rows.iter().zip(want["rows"].as_array().unwrap()) {
            let q = format!("{p}.{}", r.segment);
            assert_eq!(r.segment, w["segment"].as_str().unwrap());
            check.count(&format!("{q}.n_control"), r.n_control, &w["n_control"]);
            check.count(
                &format!("{q}.n_treatment"),
                r.n_treatment,
                &w["n_treatment"],
            );
            for (key, got) in [
                ("diff", r.diff),
                ("diff_ci_low", r.diff_ci_low),
                ("diff_ci_high", r.diff_ci_high),
                ("rel_lift", r.rel_lift),
                ("p_value", r.p_value),
                ("p_value_holm", r.p_value_holm),
            ] {
                check.num(&format!("{q}.{key}"), got, &w[key]);
            }
        }
    }
    check.finish();
}

fn numbers(v: &Value) -> Option<Vec<f64>> {
    v.as_array().map(|a| a.iter().map(f).collect())
}

#[test]
fn york_fit_matches_an_independent_implementation() {
    let all = expected();
    let spec = &all["york"];
    let alpha = f(&spec["alpha"]);
    let mut check = Checker::default();
    for case in spec["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = numbers(&case["x"]).unwrap();
        let y = numbers(&case["y"]).unwrap();
        let x_se = numbers(&case["x_se"]);
        let y_se = numbers(&case["y_se"]);
        let fit = york_fit(&x, &y, x_se.as_deref(), y_se.as_deref(), alpha).unwrap();
        let want = &case["expected"];
        check.count(&format!("york.{name}.n"), fit.n, &want["n"]);
        for (key, got) in [
            ("slope", fit.slope),
            ("intercept", fit.intercept),
            ("slope_se", fit.slope_se),
            ("slope_ci_low", fit.slope_ci_low),
            ("slope_ci_high", fit.slope_ci_high),
            ("mswd", fit.mswd),
            ("ols_slope", fit.ols_slope),
            ("reliability_x", fit.reliability_x),
        ] {
            check.num(&format!("york.{name}.{key}"), got, &want[key]);
        }
        assert!(fit.converged, "{name}: {:?}", fit.warnings);
        if name == "noisy_experiments" {
            assert!(fit.warnings.iter().any(|w| w.contains("understates")));
        }
    }
    check.finish();
}

#[test]
fn meta_analysis_matches_statsmodels() {
    let all = expected();
    let mut check = Checker::default();
    for case in all["meta"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let effects = numbers(&case["effects"]).unwrap();
        let ses = numbers(&case["ses"]).unwrap();
        let labels = names(&case["labels"]);
        let out = meta_analysis(&effects, &ses, &labels, f(&case["alpha"])).unwrap();
        let want = &case["expected"];
        check.count(&format!("meta.{name}.k"), out.k, &want["k"]);
        for (key, got) in [
            ("fixed", out.fixed),
            ("pooled", out.pooled),
            ("pooled_se", out.pooled_se),
            ("ci_low", out.ci_low),
            ("ci_high", out.ci_high),
            ("tau2", out.tau2),
            ("q", out.q),
            ("q_p_value", out.q_p_value),
            ("i_squared", out.i_squared),
        ] {
            check.num(&format!("meta.{name}.{key}"), got, &want[key]);
        }
        for (i, (e, w)) in out
            .experiments
            .iter()
            .zip(want["shrunken"].as_array().unwrap())
            .enumerate()
        {
            assert_eq!(e.label, labels[i]);
            check.num(&format!("meta.{name}.shrunken[{i}]"), e.shrunken, w);
        }
    }
    check.finish();
}

#[test]
fn discounting_matches_numpy() {
    let all = expected();
    let spec = &all["npv"];
    let values = numbers(&spec["values"]).unwrap();
    let costs = numbers(&spec["costs"]).unwrap();
    let mut check = Checker::default();
    for case in spec["cases"].as_array().unwrap() {
        let rate = f(&case["annual_rate"]);
        let out = discount(&values, &costs, rate).unwrap();
        let p = format!("npv[{rate}]");
        check.num(
            &format!("{p}.monthly_rate"),
            Some(out.monthly_rate),
            &case["monthly_rate"],
        );
        check.num(&format!("{p}.npv"), Some(out.npv), &case["npv"]);
        check.num(
            &format!("{p}.final_cumulative_net"),
            out.cumulative_net.last().copied(),
            &case["final_cumulative_net"],
        );
        let want_month = case["discounted_payback_month"].as_u64();
        assert_eq!(
            out.discounted_payback_month.map(u64::from),
            want_month,
            "{p}"
        );
        if rate == 0.0 {
            let undiscounted: f64 = values.iter().zip(&costs).map(|(v, c)| v - c).sum();
            assert_eq!(out.npv, undiscounted);
        }
    }
    check.finish();
}

#[test]
fn bad_inputs_give_errors_or_nulls_never_panics() {
    // York: zero/negative SE, both SEs zero, fewer than 3 points.
    let x = [0.1, 0.2, 0.3, 0.4];
    let y = [1.0, 1.9, 3.2, 3.9];
    assert!(york_fit(&x, &y, Some(&[0.1, 0.1, -0.1, 0.1]), None, 0.05).is_err());
    assert!(york_fit(&x, &y, Some(&[0.0; 4]), Some(&[0.1, 0.0, 0.1, 0.1]), 0.05).is_err());
    assert!(york_fit(&x[..2], &y[..2], None, Some(&[0.1; 2]), 0.05).is_err());
    // Meta: zero SE, fewer than 3 experiments.
    assert!(meta_analysis(&[0.1, 0.2, 0.3], &[0.1, 0.0, 0.2], &[], 0.05).is_err());
    assert!(meta_analysis(&[0.1, 0.2], &[0.1, 0.2], &[], 0.05).is_err());
    // Discounting at −100% or less.
    assert!(discount(&[1.0], &[0.5], -1.0).is_err());
    assert!(discount(&[1.0], &[0.5], -2.0).is_err());
    // Ratio: zero denominator sum in a variant.
    let mut zero = RatioStats::new();
    zero.push(1.0, 0.0);
    zero.push(2.0, 0.0);
    let mut fine = RatioStats::new();
    fine.push(1.0, 1.0);
    fine.push(2.0, 3.0);
    let out = analyze_ratio(
        "rps",
        &[("control".into(), fine), ("t".into(), zero)],
        "control",
        0.05,
    )
    .unwrap();
    assert_eq!(out.comparisons[0].diff, None);
    assert!(!out.warnings.is_empty());
    // CUPED: an all-missing covariate.
    let s = CupedStats::from_values(&[1.0, 2.0, 3.0], &[f64::NAN; 3]);
    let out = cuped("m", "pre", &[("control".into(), s), ("t".into(), s)]);
    assert_eq!(out.theta, None);
    assert!(!out.warnings.is_empty());
    // Segments: 10,000 distinct values.
    let many: Vec<(String, u64)> = (0..10_000).map(|i| (format!("u{i}"), 1)).collect();
    let plan = plan_segments("user", &many, 10).unwrap();
    assert_eq!(plan.labels.len(), 11);
    // Decision: a malformed (negative) margin.
    let input = decision::DecisionInput {
        treatment: "t".into(),
        control: "c".into(),
        alpha: 0.05,
        srm_p_value: None,
        treatments: 1,
        metrics: vec![decision::MetricOutcome {
            metric: "m".into(),
            role: decision::MetricRole::Guardrail { margin: f64::NAN },
            direction: Direction::HigherIsBetter,
            rel_lift: Some(0.0),
            se_rel: Some(0.1),
        }],
    };
    assert!(decision::decide(&input).is_err());
}
