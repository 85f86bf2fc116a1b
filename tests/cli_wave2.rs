#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `throughline analyze` with the options of issue 12 (CUPED, ratio metrics, segments, the
//! decision rule and the decision figures of every comparison), checked against
//! tests/reference/expected_cli12.json (made by tests/reference/make_reference_cli12.py with
//! numpy, scipy and statsmodels) and expected_wave2.json to 1e-9 relative, and the bad inputs
//! the issue lists: each a clear `error:` or a `null` with a warning, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn read_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(reference_dir().join(name)).unwrap()).unwrap()
}

fn throughline(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    out
}

/// `analyze FILE --variant-col variant --control control [args] [--json]`.
fn analyze(file: &Path, args: &[&str], json: bool) -> Output {
    let file = file.to_str().unwrap();
    let mut all = vec![
        "analyze",
        file,
        "--variant-col",
        "variant",
        "--control",
        "control",
    ];
    all.extend_from_slice(args);
    if json {
        all.push("--json");
    }
    throughline(&all)
}

fn analyze_json(file: &Path, args: &[&str]) -> Value {
    let out = analyze(file, args, true);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Collects mismatches so one run shows them all.
#[derive(Default)]
struct Checker {
    errors: Vec<String>,
    compared: usize,
}

impl Checker {
    fn value(&mut self, path: &str, got: &Value, want: &Value) {
        match (got, want) {
            (_, Value::Number(w)) => {
                let w = w.as_f64().unwrap();
                match got.as_f64() {
                    Some(g) => {
                        let scale = w.abs().max(f64::MIN_POSITIVE);
                        if (g - w).abs() > TOLERANCE * scale {
                            self.errors.push(format!(
                                "{path}: got {g:e}, want {w:e} (relative {:e})",
                                (g - w).abs() / scale
                            ));
                        }
                        self.compared += 1;
                    }
                    None => self.errors.push(format!("{path}: got {got}, want {w}")),
                }
            }
            (_, Value::Null) if !got.is_null() => {
                self.errors.push(format!("{path}: got {got}, want null"))
            }
            (_, Value::String(w)) if got.as_str() != Some(w.as_str()) => {
                self.errors.push(format!("{path}: got {got}, want {w}"))
            }
            _ => {}
        }
    }

    /// Every key of `want` (an object) against `got`.
    fn object(&mut self, path: &str, got: &Value, want: &Value) {
        for (k, w) in want.as_object().unwrap() {
            self.value(&format!("{path}.{k}"), &got[k], w);
        }
    }

    fn comparisons(&mut self, path: &str, got: &Value, want: &Value) {
        for w in want.as_array().unwrap() {
            let t = w["treatment"].as_str().unwrap();
            let g = got
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["treatment"] == t)
                .unwrap_or_else(|| panic!("{path}: no comparison for {t}"));
            self.object(&format!("{path}[{t}]"), g, w);
        }
    }

    fn finish(self, at_least: usize) {
        assert!(
            self.errors.is_empty(),
            "{} mismatches:\n{}",
            self.errors.len(),
            self.errors.join("\n")
        );
        assert!(
            self.compared >= at_least,
            "only {} figures compared",
            self.compared
        );
    }
}

/// Runs one reference run of expected_cli12.json and checks every figure it lists.
fn check_run(name: &str, at_least: usize) -> Value {
    let all = read_json("expected_cli12.json");
    let run = &all["runs"][name];
    let args: Vec<&str> = run["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let file = reference_dir().join(run["file"].as_str().unwrap());
    let json = analyze_json(&file, &args);
    let mut check = Checker::default();
    for want in run["metrics"].as_array().unwrap() {
        let metric = want["metric"].as_str().unwrap();
        let got = json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == metric)
            .unwrap_or_else(|| panic!("{name}: no metric {metric} in {json}"));
        for (k, w) in want.as_object().unwrap() {
            match k.as_str() {
                "comparisons" | "comparisons_unadjusted" => {
                    check.comparisons(&format!("{name}.{metric}.{k}"), &got[k], w)
                }
                _ => check.value(&format!("{name}.{metric}.{k}"), &got[k], w),
            }
        }
    }
    if let Some(decisions) = run.get("decisions") {
        for w in decisions.as_array().unwrap() {
            let t = w["treatment"].as_str().unwrap();
            let g = json["decisions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["treatment"] == t)
                .unwrap_or_else(|| panic!("no decision for {t}: {json}"));
            check.value(&format!("decision {t}"), &g["decision"], &w["decision"]);
            assert!(!g["reasons"].as_array().unwrap().is_empty(), "{g}");
        }
    }
    check.finish(at_least);
    json
}

#[test]
fn cuped_figures_and_decisions_agree_with_numpy_and_scipy() {
    let json = check_run("cuped", 110);
    // Every comparison carries the five new keys.
    for m in json["metrics"].as_array().unwrap() {
        for c in m["comparisons"].as_array().unwrap() {
            for key in [
                "rel_p_value",
                "mde",
                "mde_rel",
                "chance_to_win",
                "expected_loss",
            ] {
                assert!(c.get(key).is_some(), "{key} missing in {c}");
            }
        }
        assert!(m["variance_reduction"].as_f64().unwrap() > 0.0, "{m}");
    }
    // Empty cells are missing values, not NaN: no NaN warning, and the same missing counts as
    // the plain run.
    assert!(
        !warnings(&json).iter().any(|w| w.contains("NaN")),
        "{:?}",
        warnings(&json)
    );
    let plain = analyze_json(
        &reference_dir().join("wave2_cuped.csv"),
        &["--metric", "revenue"],
    );
    let missing = |j: &Value| -> Vec<Value> {
        j["metrics"][0]["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["missing"].clone())
            .collect()
    };
    assert_eq!(missing(&json), missing(&plain));
    // The variance reduction and covariate counts of expected_wave2.json.
    let wave2 = read_json("expected_wave2.json");
    let mut check = Checker::default();
    for case in wave2["cuped"]["cases"].as_array().unwrap() {
        let metric = case["metric"].as_str().unwrap();
        let got = json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == metric)
            .unwrap();
        for key in ["theta", "variance_reduction", "covariate_missing"] {
            check.value(&format!("{metric}.{key}"), &got[key], &case[key]);
        }
        for v in case["variants"].as_array().unwrap() {
            let name = v["variant"].as_str().unwrap();
            let g = got["variants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["variant"] == name)
                .unwrap();
            for key in ["n", "mean", "std_dev"] {
                check.value(&format!("{metric}.{name}.{key}"), &g[key], &v[key]);
            }
        }
    }
    check.finish(20);
}

#[test]
fn ratio_figures_agree_with_the_delta_method_lower_is_better() {
    let json = check_run("ratio", 14);
    assert_eq!(json["metrics"][0]["kind"], "ratio");
    let wave2 = read_json("expected_wave2.json");
    let want = &wave2["ratio"]["expected"];
    let mut check = Checker::default();
    let got = &json["metrics"][0];
    for v in want["variants"].as_array().unwrap() {
        let name = v["variant"].as_str().unwrap();
        let g = got["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["variant"] == name)
            .unwrap();
        for key in ["n", "missing", "mean", "std_dev", "ci_low", "ci_high"] {
            check.value(&format!("{name}.{key}"), &g[key], &v[key]);
        }
    }
    let comparisons: Vec<Value> = want["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            let o = c.as_object_mut().unwrap();
            o.remove("se_diff");
            o.remove("se_rel");
            c
        })
        .collect();
    check.comparisons("ratio", &got["comparisons"], &Value::Array(comparisons));
    check.finish(30);
}

#[test]
fn segment_figures_agree_with_scipy_and_statsmodels() {
    let json = check_run("segments", 20);
    let wave2 = read_json("expected_wave2.json");
    let want = &wave2["segments"];
    let segments = &json["segments"];
    assert_eq!(segments["column"], "country");
    let mut check = Checker::default();
    for m in want["metrics"].as_array().unwrap() {
        let metric = m["metric"].as_str().unwrap();
        let g = segments["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["metric"] == metric)
            .unwrap();
        for key in ["q", "q_p_value", "i_squared"] {
            check.value(&format!("{metric}.{key}"), &g[key], &m[key]);
        }
        let rows = g["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 11, "10 segments and other");
        for r in m["rows"].as_array().unwrap() {
            let seg = r["segment"].as_str().unwrap();
            let gr = rows.iter().find(|x| x["segment"] == seg).unwrap();
            check.object(&format!("{metric}.{seg}"), gr, r);
        }
    }
    check.finish(150);
}

#[test]
fn growthbook_case_verdict_matches_its_numbers() {
    let json = check_run("growthbook", 14);
    let c = &json["metrics"][0]["comparisons"][0];
    let (p, rel_p) = (
        c["p_value"].as_f64().unwrap(),
        c["rel_p_value"].as_f64().unwrap(),
    );
    // The absolute test is clear, the relative one is not: the relative CI holds zero.
    assert!(p < 0.05 && rel_p >= 0.05, "{c}");
    assert!(c["rel_ci_low"].as_f64().unwrap() < 0.0, "{c}");
    let verdict = c["verdict"].as_str().unwrap();
    // The sentence that calls the change real quotes the difference's interval, which
    // excludes zero, and says the relative one still includes no change.
    assert!(verdict.contains("raised"), "{verdict}");
    assert!(verdict.contains("95% CI +0.0"), "{verdict}");
    assert!(verdict.contains("still includes no change"), "{verdict}");
}

#[test]
fn the_readable_report_shows_every_new_figure() {
    let dir = reference_dir();
    let out = analyze(
        &dir.join("wave2_cuped.csv"),
        &[
            "--metric",
            "revenue",
            "--covariate",
            "revenue=pre_revenue",
            "--success",
            "revenue",
            "--segment",
            "arm_label",
        ],
        false,
    );
    // arm_label does not exist: an error that lists the columns.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error:") && stderr.contains("arm_label"),
        "{stderr}"
    );
    assert!(stderr.contains("pre_revenue"), "{stderr}");

    let out = analyze(
        &dir.join("wave2_segments.csv"),
        &[
            "--metric",
            "revenue",
            "--segment",
            "country",
            "--max-segments",
            "3",
            "--success",
            "revenue",
        ],
        false,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for fragment in [
        "By country",
        "could only have detected changes of ±",
        "chance that treatment is better",
        "Decision",
        "treatment: ",
        "other",
    ] {
        assert!(text.contains(fragment), "{fragment}: {text}");
    }
    let out = analyze(
        &dir.join("wave2_cuped.csv"),
        &["--metric", "revenue", "--covariate", "revenue=pre_revenue"],
        false,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CUPED: adjusted with the pre-experiment pre_revenue"),
        "{text}"
    );
    assert!(text.contains("of the noise"), "{text}");
    assert!(text.contains("Unadjusted"), "{text}");
}

// ----- bad inputs (issue 12) -----

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn expect_error(file: &Path, args: &[&str], code: i32, fragments: &[&str]) {
    let out = analyze(file, args, true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.starts_with("error:"), "{args:?}: {stderr}");
    for f in fragments {
        assert!(stderr.contains(f), "{args:?}: {f} not in {stderr}");
    }
}

fn warnings(json: &Value) -> Vec<String> {
    json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn text_in_a_covariate_or_ratio_column_is_an_error_naming_column_row_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "text.csv",
        "variant,revenue,pre,sessions\ncontrol,1,2,1\ncontrol,2,3,2\ntreatment,3,oops,1\n\
         treatment,4,5,many\n",
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--covariate", "revenue=pre"],
        1,
        &["\"pre\"", "row 3", "oops"],
    );
    expect_error(
        &file,
        &["--ratio", "rps=revenue/sessions"],
        1,
        &["\"sessions\"", "row 4", "many"],
    );
    // With --skip-bad-rows they count as missing.
    let json = analyze_json(
        &file,
        &[
            "--metric",
            "revenue",
            "--covariate",
            "revenue=pre",
            "--skip-bad-rows",
        ],
    );
    assert_eq!(json["metrics"][0]["covariate_missing"], 1, "{json}");
}

#[test]
fn an_all_missing_covariate_gives_nulls_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "missing.csv",
        "variant,revenue,pre\ncontrol,1,\ncontrol,2,\ntreatment,3,\ntreatment,5,\n",
    );
    let json = analyze_json(
        &file,
        &["--metric", "revenue", "--covariate", "revenue=pre"],
    );
    let m = &json["metrics"][0];
    assert!(
        m["theta"].is_null() && m["variance_reduction"].is_null(),
        "{m}"
    );
    assert!(
        warnings(&json)
            .iter()
            .any(|w| w.contains("could not adjust")),
        "{json}"
    );
    // The comparison is the unadjusted one.
    assert_eq!(m["comparisons"][0]["diff"], 2.5);
}

#[test]
fn a_zero_denominator_sum_gives_nulls_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "zero.csv",
        "variant,revenue,sessions\ncontrol,1,0\ncontrol,2,0\ntreatment,3,1\ntreatment,5,2\n",
    );
    let json = analyze_json(&file, &["--ratio", "rps=revenue/sessions"]);
    let m = &json["metrics"][0];
    assert_eq!(m["kind"], "ratio");
    assert!(m["variants"][0]["mean"].is_null(), "{m}");
    assert!(m["comparisons"][0]["diff"].is_null(), "{m}");
    assert!(
        warnings(&json).iter().any(|w| w.contains("sum to zero")),
        "{json}"
    );
}

#[test]
fn a_segment_column_with_ten_thousand_values_keeps_the_top_k_and_pools_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("variant,revenue,user\n");
    for i in 0..20_000 {
        let variant = if i % 2 == 0 { "control" } else { "treatment" };
        // 10,000 distinct values, two rows each; a few frequent ones.
        let user = if i % 10 == 0 {
            format!("big{}", i % 30)
        } else {
            format!("u{}", i / 2)
        };
        text.push_str(&format!("{variant},{},{user}\n", (i % 17) as f64 * 0.5));
    }
    let file = write(dir.path(), "many.csv", &text);
    let json = analyze_json(
        &file,
        &[
            "--metric",
            "revenue",
            "--segment",
            "user",
            "--max-segments",
            "5",
        ],
    );
    let rows = json["segments"]["metrics"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "5 values and other");
    assert_eq!(rows[5]["segment"], "other");
    assert!(
        warnings(&json)
            .iter()
            .any(|w| w.contains("distinct values")),
        "{json}"
    );
}

#[test]
fn malformed_options_are_usage_errors() {
    let file = reference_dir().join("wave2_cuped.csv");
    expect_error(
        &file,
        &["--metric", "revenue", "--guardrail", "revenue:lots"],
        2,
        &["\"lots\" is not a number"],
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--guardrail", "revenue"],
        2,
        &["METRIC:MARGIN"],
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--guardrail", "revenue:-0.1"],
        2,
        &["not a margin"],
    );
    expect_error(
        &file,
        &["--ratio", "rps=revenue"],
        2,
        &["NAME=NUMERATOR/DENOMINATOR"],
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--covariate", "pre"],
        2,
        &["METRIC=COLUMN"],
    );
    expect_error(
        &file,
        &[
            "--metric",
            "revenue",
            "--segment",
            "variant",
            "--max-segments",
            "0",
        ],
        2,
        &["--max-segments"],
    );
    // Segments need units: a summary file says so.
    expect_error(
        &reference_dir().join("wave2_growthbook.csv"),
        &["--metric", "metric", "--segment", "country"],
        1,
        &["summary statistics", "\"country\""],
    );
    // Options that name a metric not analysed: input errors naming it and the metrics.
    expect_error(
        &file,
        &["--metric", "revenue", "--covariate", "sales=pre_revenue"],
        1,
        &["\"sales\"", "\"revenue\""],
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--success", "sales"],
        1,
        &["--success sales", "\"revenue\""],
    );
    expect_error(
        &file,
        &["--metric", "revenue", "--covariate", "revenue=pre_sales"],
        1,
        &["pre_sales", "pre_revenue"],
    );
}
