#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `throughline link --x-se/--y-se`, `link --experiment-col` and `throughline meta` agree with
//! the independent references (numpy/scipy/statsmodels: tests/reference/expected_wave2.json from
//! make_reference_wave2.py, expected_effects.json from make_reference_effects.py) to 1e-9
//! relative, through the command line; and their bad inputs give a clear `error:` (exit 1) or a
//! warning, never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn json_file(name: &str) -> Value {
    let text = std::fs::read_to_string(reference_dir().join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn throughline(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_throughline"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Runs a subcommand with `--json` in `dir` and parses its output (it must succeed).
fn run_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let output = throughline(dir, &all);
    assert!(
        output.status.success(),
        "throughline {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Runs a subcommand that must fail with exit code 1 and `error:` lines; returns stderr.
fn run_error(dir: &Path, args: &[&str]) -> String {
    let output = throughline(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Every number of `want` matches `got[key]` to 1e-9 relative.
fn compare(label: &str, got: &Value, want: &Value, errors: &mut Vec<String>) {
    let Value::Object(want) = want else {
        panic!("{label}: expected an object");
    };
    for (key, w) in want {
        let g = &got[key.as_str()];
        match (g.as_f64(), w.as_f64()) {
            (Some(g), Some(w)) => {
                let scale = w.abs().max(f64::MIN_POSITIVE);
                if (g - w).abs() > TOLERANCE * scale {
                    errors.push(format!("{label}.{key}: got {g:e}, want {w:e}"));
                }
            }
            _ if g == w => {}
            _ => errors.push(format!("{label}.{key}: got {g}, want {w}")),
        }
    }
}

fn finish(errors: Vec<String>) {
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Writes `text` to a fresh file in a temporary folder.
fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

fn york_case(name: &str) -> Value {
    let wave2 = json_file("expected_wave2.json");
    wave2["york"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
        .clone()
}

#[test]
fn link_with_both_standard_errors_matches_the_york_reference() {
    let case = york_case("noisy_experiments");
    let got = run_json(
        &reference_dir(),
        &[
            "link",
            "wave2_link_se.csv",
            "--x",
            "ml_change",
            "--y",
            "business_change",
            "--x-se",
            "ml_change_se",
            "--y-se",
            "business_change_se",
        ],
    );
    assert_eq!(got["method"], "york");
    let mut errors = Vec::new();
    compare("noisy_experiments", &got, &case["expected"], &mut errors);
    finish(errors);
    // Reliability 0.54: the plain fit would understate the slope, and the output says so.
    let warnings = got["warnings"].to_string();
    assert!(warnings.contains("understates"), "{warnings}");
    // The verdict quotes the York slope, not the plain one.
    assert!(got["verdict"].as_str().unwrap().contains("noise-aware"));
}

#[test]
fn link_with_y_standard_errors_only_matches_the_reference() {
    let case = york_case("y_se_only");
    let (x, y, sy) = (&case["x"], &case["y"], &case["y_se"]);
    let mut csv = String::from("point,x,y,y_se\n");
    for i in 0..x.as_array().unwrap().len() {
        csv.push_str(&format!(
            "p{i},{:?},{:?},{:?}\n",
            x[i].as_f64().unwrap(),
            y[i].as_f64().unwrap(),
            sy[i].as_f64().unwrap()
        ));
    }
    let (dir, _) = temp_file("y_se.csv", &csv);
    let got = run_json(
        dir.path(),
        &["link", "y_se.csv", "--x", "x", "--y", "y", "--y-se", "y_se"],
    );
    assert_eq!(got["method"], "york");
    let mut errors = Vec::new();
    compare("y_se_only", &got, &case["expected"], &mut errors);
    finish(errors);
}

#[test]
fn link_without_standard_errors_says_ols() {
    let got = run_json(
        &reference_dir(),
        &[
            "link",
            "wave2_link_se.csv",
            "--x",
            "ml_change",
            "--y",
            "business_change",
        ],
    );
    assert_eq!(got["method"], "ols");
    assert!(got.get("mswd").is_none());
    let case = york_case("noisy_experiments");
    let mut errors = Vec::new();
    let want = serde_json::json!({ "slope": case["expected"]["ols_slope"] });
    compare("ols", &got, &want, &mut errors);
    finish(errors);
}

#[test]
fn per_experiment_effects_match_the_reference() {
    let expected = json_file("expected_effects.json");
    let got = run_json(
        &reference_dir(),
        &[
            "link",
            "wave2_experiment_units.csv",
            "--experiment-col",
            "experiment",
            "--variant-col",
            "arm",
            "--control",
            "control",
            "--x",
            "ml_score",
            "--y",
            "clicked",
        ],
    );
    assert_eq!(got["method"], "york");
    let mut errors = Vec::new();
    compare("york", &got, &expected["york"], &mut errors);
    let points = got["experiments"].as_array().unwrap();
    let want = expected["experiments"].as_array().unwrap();
    assert_eq!(points.len(), want.len());
    for (g, w) in points.iter().zip(want) {
        assert_eq!(g["label"], w["label"]);
        compare(w["label"].as_str().unwrap(), g, w, &mut errors);
    }
    finish(errors);
    // The experiment without control rows is named in a warning.
    let warnings = got["warnings"].to_string();
    assert!(
        warnings.contains("\\\"e3\\\" has no rows of the control"),
        "{warnings}"
    );
}

#[test]
fn meta_matches_statsmodels() {
    let wave2 = json_file("expected_wave2.json");
    let cases = wave2["meta"].as_array().unwrap();
    let past = &cases[0];
    let got = run_json(
        &reference_dir(),
        &[
            "meta",
            "wave2_meta.csv",
            "--effect",
            "effect",
            "--se",
            "se",
            "--label",
            "experiment",
        ],
    );
    let mut errors = Vec::new();
    check_meta("past_experiments", &got, past, &mut errors);

    // The homogeneous case (τ² = 0) at α = 0.1, through a file written from the reference.
    let homogeneous = &cases[1];
    let mut csv = String::from("effect,se\n");
    let (effects, ses) = (&homogeneous["effects"], &homogeneous["ses"]);
    for i in 0..effects.as_array().unwrap().len() {
        csv.push_str(&format!(
            "{:?},{:?}\n",
            effects[i].as_f64().unwrap(),
            ses[i].as_f64().unwrap()
        ));
    }
    let (dir, _) = temp_file("homogeneous.csv", &csv);
    let got = run_json(
        dir.path(),
        &[
            "meta",
            "homogeneous.csv",
            "--effect",
            "effect",
            "--se",
            "se",
            "--alpha",
            "0.1",
        ],
    );
    check_meta("homogeneous", &got, homogeneous, &mut errors);
    finish(errors);
    assert_eq!(got["experiments"][0]["label"], "row 1");
}

fn check_meta(label: &str, got: &Value, case: &Value, errors: &mut Vec<String>) {
    let mut want = case["expected"].clone();
    let shrunken = want.as_object_mut().unwrap().remove("shrunken").unwrap();
    compare(label, got, &want, errors);
    let experiments = got["experiments"].as_array().unwrap();
    let shrunken = shrunken.as_array().unwrap();
    assert_eq!(experiments.len(), shrunken.len(), "{label}");
    for (i, (e, s)) in experiments.iter().zip(shrunken).enumerate() {
        compare(
            &format!("{label}.experiments[{i}]"),
            e,
            &serde_json::json!({ "shrunken": s }),
            errors,
        );
    }
}

#[test]
fn bad_standard_errors_are_clear_errors() {
    let (dir, _) = temp_file(
        "link.csv",
        "e,x,y,x_se,y_se\na,0.1,1.0,0.01,0.1\nb,0.2,1.3,0.0,0.0\nc,0.3,1.5,0.01,0.1\n\
         d,0.4,1.9,0.01,0.1\n",
    );
    let link = |extra: &[&str]| {
        let mut args = vec!["link", "link.csv", "--x", "x", "--y", "y"];
        args.extend_from_slice(extra);
        run_error(dir.path(), &args)
    };
    // A point with both standard errors zero: named by its row and the SE columns.
    let both = link(&["--x-se", "x_se", "--y-se", "y_se"]);
    assert!(
        both.contains("row 2") && both.contains("both standard errors are zero"),
        "{both}"
    );
    assert!(both.contains("\"x_se\""), "{both}");

    let (dir2, _) = temp_file(
        "neg.csv",
        "x,y,se\n0.1,1.0,0.1\n0.2,1.3,-0.2\n0.3,1.5,0.1\n0.4,1.9,0.1\n",
    );
    let negative = run_error(
        dir2.path(),
        &["link", "neg.csv", "--x", "x", "--y", "y", "--y-se", "se"],
    );
    assert!(
        negative.contains("negative") && negative.contains("row 2"),
        "{negative}"
    );

    // Text in an SE column: the column, the row and the value.
    let (dir3, _) = temp_file(
        "text.csv",
        "x,y,se\n0.1,1.0,0.1\n0.2,1.3,n/a-ish\n0.3,1.5,0.1\n",
    );
    let text = run_error(
        dir3.path(),
        &["link", "text.csv", "--x", "x", "--y", "y", "--y-se", "se"],
    );
    assert!(
        text.contains("\"se\"") && text.contains("n/a-ish"),
        "{text}"
    );
    assert!(text.contains("row 2"), "{text}");

    // Meta: a zero standard error names the experiment.
    let (dir4, _) = temp_file(
        "meta.csv",
        "name,effect,se\nalpha,0.1,0.05\nbeta,0.2,0\ngamma,0.15,0.04\n",
    );
    let zero = run_error(
        dir4.path(),
        &[
            "meta", "meta.csv", "--effect", "effect", "--se", "se", "--label", "name",
        ],
    );
    assert!(
        zero.contains("\"beta\"") && zero.contains("above zero"),
        "{zero}"
    );
    let missing = run_error(
        dir4.path(),
        &["meta", "meta.csv", "--effect", "effect", "--se", "stderr"],
    );
    assert!(missing.contains("\"stderr\""), "{missing}");
}

#[test]
fn too_few_experiments_are_clear_errors() {
    let (dir, _) = temp_file("two.csv", "effect,se\n0.1,0.05\n0.2,0.04\n");
    let meta = run_error(
        dir.path(),
        &["meta", "two.csv", "--effect", "effect", "--se", "se"],
    );
    assert!(meta.contains("at least 3"), "{meta}");

    // Two experiments at unit level, one without a control: too few for the York fit.
    let mut csv = String::from("exp,arm,m,b\n");
    for (e, arms) in [
        ("a", &["control", "t"][..]),
        ("b", &["control", "t"]),
        ("c", &["t"]),
    ] {
        for arm in arms {
            for k in 0..5 {
                csv.push_str(&format!("{e},{arm},{}.{k},{k}\n", k % 3));
            }
        }
    }
    let (dir2, _) = temp_file("units.csv", &csv);
    let link = run_error(
        dir2.path(),
        &[
            "link",
            "units.csv",
            "--experiment-col",
            "exp",
            "--variant-col",
            "arm",
            "--control",
            "control",
            "--x",
            "m",
            "--y",
            "b",
        ],
    );
    assert!(link.contains("at least 3"), "{link}");
}

#[test]
fn text_output_names_the_method() {
    let output = throughline(
        &reference_dir(),
        &[
            "link",
            "wave2_link_se.csv",
            "--x",
            "ml_change",
            "--y",
            "business_change",
        ],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("ignores measurement noise"), "{text}");
    let output = throughline(
        &reference_dir(),
        &[
            "meta",
            "wave2_meta.csv",
            "--effect",
            "effect",
            "--se",
            "se",
            "--label",
            "experiment",
        ],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        text.contains("winner's curse") && text.contains("exp00"),
        "{text}"
    );
}

#[test]
fn hostile_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    write("empty.csv", b"");
    write(
        "binary.csv",
        &[0u8, 159, 146, 150, 255, 0, 1, 2, 3, 10, 13, 0],
    );
    write("ragged.csv", b"exp,arm,m,b\na,control,1\na,t,1,2,3\n");
    write(
        "nan.csv",
        b"exp,arm,m,b\na,control,NaN,1\na,control,inf,2\na,t,1,1\na,t,2,2\nb,control,1,1\n",
    );
    let per_experiment = |file: &str, experiment: &str| {
        let args = [
            "link",
            file,
            "--experiment-col",
            experiment,
            "--variant-col",
            "arm",
            "--control",
            "control",
            "--x",
            "m",
            "--y",
            "b",
        ];
        let output = throughline(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.starts_with("error: "), "{file}: {stderr}");
        stderr
    };
    for file in ["empty.csv", "binary.csv", "ragged.csv", "nan.csv"] {
        per_experiment(file, "exp");
    }
    // The experiment column cannot also be the variant column.
    let same = per_experiment("nan.csv", "arm");
    assert!(same.contains("\"arm\""), "{same}");
    for file in ["empty.csv", "binary.csv", "ragged.csv"] {
        let output = throughline(
            dir.path(),
            &["meta", file, "--effect", "m", "--se", "b", "--json"],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    }
}

#[test]
fn the_report_shows_the_noise_aware_link_and_the_meta_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("newsfeed.md");
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("projects/newsfeed-ranking.ron");
    let output = throughline(
        dir.path(),
        &[
            "report",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("noise-aware (York) slope"), "{text}");
    assert!(text.contains("the plain least-squares slope is"), "{text}");
    assert!(text.contains("Pooled over 23 past experiments"), "{text}");
    assert!(text.contains("winner's curse"), "{text}");
    assert!(
        text.contains("| Experiment | Measured effect | Std error | Likely worth (shrunken) |")
    );
}
