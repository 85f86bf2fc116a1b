#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Bad and degenerate inputs (CONTRACT.md "Exit codes and errors"), through the real binary:
//! exit code 1 with `error:` lines naming the file, column, row and value, or success with
//! `null` figures and a warning; never a panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn throughline(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "throughline {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// Expects exit code 1 and `error:` lines on stderr containing every fragment.
fn expect_error(run: &Run, fragments: &[&str]) {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.trim().is_empty());
    for line in run.stderr.lines() {
        assert!(
            line.starts_with("error:"),
            "stderr line without error: {line:?}"
        );
    }
    for f in fragments {
        assert!(
            run.stderr.contains(f),
            "stderr lacks {f:?}:\n{}",
            run.stderr
        );
    }
}

fn analyze(dir: &Path, file: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "analyze",
        file,
        "--variant-col",
        "variant",
        "--control",
        "control",
        "--metric",
        "revenue",
    ];
    args.extend_from_slice(extra);
    throughline(dir, &args)
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

const GOOD: &str = "variant,revenue\ncontrol,1.5\ncontrol,2.5\ncontrol,3\ntreatment,2\ntreatment,4\ntreatment,3.5\n";

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = analyze(dir.path(), "nope.csv", &[]);
    expect_error(&run, &["nope.csv"]);
}

#[test]
fn empty_and_header_only_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.csv", b"");
    expect_error(
        &analyze(dir.path(), "empty.csv", &[]),
        &["empty.csv", "empty"],
    );
    write(dir.path(), "blank.csv", b"\n\n  \n");
    expect_error(
        &analyze(dir.path(), "blank.csv", &[]),
        &["blank.csv", "empty"],
    );
    write(dir.path(), "header.csv", b"variant,revenue\n");
    expect_error(
        &analyze(dir.path(), "header.csv", &[]),
        &["header.csv", "no rows"],
    );
}

#[test]
fn binary_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut binary = vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13];
    binary.extend((0..2000).map(|i| (i * 37 % 256) as u8));
    write(dir.path(), "image.csv", &binary);
    expect_error(
        &analyze(dir.path(), "image.csv", &[]),
        &["image.csv", "binary"],
    );
    write(
        dir.path(),
        "latin1.csv",
        b"variant,revenue\xe9\ncontrol,1\n",
    );
    expect_error(
        &analyze(dir.path(), "latin1.csv", &[]),
        &["latin1.csv", "UTF-8"],
    );
    write(
        dir.path(),
        "latin1_value.csv",
        b"variant,revenue\ncontrol,1\ncontr\xf4le,2\ntreatment,3\n",
    );
    expect_error(
        &analyze(dir.path(), "latin1_value.csv", &[]),
        &["latin1_value.csv", "line 3", "UTF-8"],
    );
}

#[test]
fn unknown_columns_list_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ab.csv", GOOD.as_bytes());
    let run = throughline(
        dir.path(),
        &[
            "analyze",
            "ab.csv",
            "--variant-col",
            "arm",
            "--control",
            "control",
            "--metric",
            "revenue",
        ],
    );
    expect_error(&run, &["ab.csv", "\"arm\"", "\"variant\", \"revenue\""]);
    let run = analyze(dir.path(), "ab.csv", &["--metric", "profit"]);
    expect_error(&run, &["ab.csv", "\"profit\"", "\"variant\", \"revenue\""]);
}

#[test]
fn text_in_a_numeric_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "text.csv",
        b"variant,revenue\ncontrol,1\ncontrol,2\ntreatment,abc\ntreatment,4\n",
    );
    let run = analyze(dir.path(), "text.csv", &[]);
    expect_error(
        &run,
        &[
            "text.csv",
            "\"revenue\"",
            "row 3",
            "line 4",
            "\"abc\"",
            "--skip-bad-rows",
        ],
    );
    let run = analyze(dir.path(), "text.csv", &["--skip-bad-rows", "--json"]);
    let v = json(&run);
    let treatment = &v["metrics"][0]["variants"][1];
    assert_eq!(treatment["n"], 1);
    assert_eq!(treatment["missing"], 1);
    assert!(v["warnings"].to_string().contains("skipped"));
}

#[test]
fn ragged_rows() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ragged.csv",
        b"variant,revenue\ncontrol,1\ncontrol,2\ntreatment\ntreatment,4\ntreatment,5\n",
    );
    expect_error(
        &analyze(dir.path(), "ragged.csv", &[]),
        &["ragged.csv", "Line 4", "1 fields", "--skip-bad-rows"],
    );
    let v = json(&analyze(
        dir.path(),
        "ragged.csv",
        &["--skip-bad-rows", "--json"],
    ));
    assert_eq!(v["rows"], 5);
    assert!(
        v["warnings"]
            .to_string()
            .contains("1 row with too few fields")
    );
}

#[test]
fn unclosed_quote() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "quote.csv",
        b"variant,revenue\ncontrol,1\n\"control,2\ntreatment,3\n",
    );
    expect_error(
        &analyze(dir.path(), "quote.csv", &[]),
        &["quote.csv", "quote"],
    );
}

#[test]
fn nan_and_infinity_count_as_missing_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "nan.csv",
        b"variant,revenue\ncontrol,1\ncontrol,NaN\ncontrol,3\ntreatment,inf\ntreatment,4\ntreatment,5\ntreatment,\n",
    );
    let v = json(&analyze(dir.path(), "nan.csv", &["--json"]));
    let variants = &v["metrics"][0]["variants"];
    assert_eq!(variants[0]["missing"], 1);
    assert_eq!(variants[1]["missing"], 2);
    assert_eq!(variants[1]["n"], 2);
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("NaN or infinite"), "{warnings}");
}

#[test]
fn one_variant_and_unknown_control_list_the_variants() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "one.csv",
        b"variant,revenue\ncontrol,1\ncontrol,2\n",
    );
    expect_error(
        &analyze(dir.path(), "one.csv", &[]),
        &["one.csv", "at least two variants", "only one: \"control\""],
    );
    write(dir.path(), "ab.csv", GOOD.as_bytes());
    let run = throughline(
        dir.path(),
        &[
            "analyze",
            "ab.csv",
            "--variant-col",
            "variant",
            "--control",
            "ctrl",
            "--metric",
            "revenue",
        ],
    );
    expect_error(&run, &["ab.csv", "\"ctrl\"", "\"control\", \"treatment\""]);
}

#[test]
fn degenerate_metrics_give_nulls_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    // Zero variance in both arms; a variant with one row; a metric with no values; a zero
    // control mean.
    write(
        dir.path(),
        "degenerate.csv",
        b"variant,revenue,flat,empty,centred\n\
          control,1,5,,-1\ncontrol,2,5,,1\ncontrol,3,5,,0\n\
          treatment,2,5,,2\ntreatment,4,5,,3\n\
          single,7,5,,1\n",
    );
    let run = throughline(
        dir.path(),
        &[
            "analyze",
            "degenerate.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
            "--metric",
            "flat",
            "--metric",
            "empty",
            "--metric",
            "centred",
            "--json",
        ],
    );
    let v = json(&run);
    let metric = |name: &str| {
        v["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == name)
            .unwrap()
            .clone()
    };
    let comparison = |m: &Value, t: &str| {
        m["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["treatment"] == t)
            .unwrap()
            .clone()
    };
    // One row in "single": its test is undefined, its mean is not.
    let revenue = metric("revenue");
    let single = comparison(&revenue, "single");
    assert!(single["p_value"].is_null() && single["diff"].as_f64() == Some(5.0));
    assert!(comparison(&revenue, "treatment")["p_value"].is_number());
    // Zero variance everywhere.
    let flat = comparison(&metric("flat"), "treatment");
    assert_eq!(flat["diff"].as_f64(), Some(0.0));
    assert!(flat["statistic"].is_null() && flat["p_value"].is_null());
    // No values at all.
    let empty = metric("empty");
    assert!(empty["variants"][0]["mean"].is_null());
    assert!(comparison(&empty, "treatment")["diff"].is_null());
    // Zero control mean.
    let centred = comparison(&metric("centred"), "treatment");
    assert!(centred["rel_lift"].is_null() && centred["p_value"].is_number());
    let warnings = v["warnings"].to_string();
    for fragment in [
        "only one value",
        "same",
        "no variant has a usable value",
        "mean is zero",
    ] {
        assert!(
            warnings.contains(fragment),
            "warnings lack {fragment:?}: {warnings}"
        );
    }
    // The table prints too.
    let table = throughline(
        dir.path(),
        &[
            "analyze",
            "degenerate.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
            "--metric",
            "flat",
            "--metric",
            "empty",
        ],
    );
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("Warnings:"));
}

#[test]
fn proportion_forced_on_non_binary_values_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ab.csv", GOOD.as_bytes());
    expect_error(
        &analyze(dir.path(), "ab.csv", &["--kind", "proportion"]),
        &["\"revenue\"", "0 and 1"],
    );
}

#[test]
fn bad_weights() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ab.csv", GOOD.as_bytes());
    expect_error(
        &analyze(
            dir.path(),
            "ab.csv",
            &["--weights", "control=0.5,other=0.5"],
        ),
        &["\"other\"", "\"control\", \"treatment\""],
    );
    expect_error(
        &analyze(
            dir.path(),
            "ab.csv",
            &["--weights", "control=0.5,a=0.2,treatment=0.3"],
        ),
        &["\"a\""],
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ab.csv", GOOD.as_bytes());
    for args in [
        vec![
            "analyze",
            "ab.csv",
            "--variant-col",
            "variant",
            "--metric",
            "revenue",
        ],
        vec![
            "analyze",
            "ab.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
        ],
        vec![
            "analyze",
            "ab.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
            "--alpha",
            "1.5",
        ],
        vec![
            "analyze",
            "ab.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
            "--weights",
            "control",
        ],
        vec!["power", "--mde", "0.1"],
        vec![
            "power",
            "--baseline",
            "0.1",
            "--mde",
            "0.01",
            "--power",
            "2",
        ],
        vec![
            "power",
            "--baseline",
            "0.1",
            "--mde",
            "0.01",
            "--variants",
            "1",
        ],
        vec!["link", "ab.csv", "--x", "revenue"],
        vec![
            "threshold",
            "ab.csv",
            "--score",
            "revenue",
            "--label",
            "variant",
        ],
    ] {
        let run = throughline(dir.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn power_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (args, fragment) in [
        (
            vec!["power", "--baseline", "1.5", "--mde", "0.1"],
            "between 0 and 1",
        ),
        (
            vec!["power", "--baseline", "0.9", "--mde", "0.2"],
            "outside 0 to 1",
        ),
        (vec!["power", "--baseline", "0.1", "--mde", "0"], "non-zero"),
        (
            vec!["power", "--std-dev", "2", "--mde", "0.1", "--relative"],
            "baseline mean",
        ),
        (vec!["power", "--std-dev", "-2", "--mde", "0.1"], "positive"),
    ] {
        expect_error(&throughline(dir.path(), &args), &[fragment]);
    }
    let ok = throughline(dir.path(), &["power", "--baseline", "0.1", "--mde", "0.02"]);
    assert_eq!(ok.code, 0);
    assert!(ok.stdout.contains("3839"), "{}", ok.stdout);
}

#[test]
fn link_degenerate_inputs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "two.csv", b"x,y\n1,2\n2,3\n");
    let v = json(&throughline(
        dir.path(),
        &["link", "two.csv", "--x", "x", "--y", "y", "--json"],
    ));
    assert_eq!(v["n"], 2);
    assert!(v["pearson_p"].is_null() && v["slope_se"].is_null());
    assert!(v["verdict"].as_str().unwrap().contains("too few"));
    write(dir.path(), "flat.csv", b"x,y\n1,2\n1,3\n1,4\n1,5\n");
    let v = json(&throughline(
        dir.path(),
        &["link", "flat.csv", "--x", "x", "--y", "y", "--json"],
    ));
    assert!(v["pearson_r"].is_null() && v["slope"].is_null());
    write(dir.path(), "text.csv", b"x,y\n1,2\n2,three\n");
    expect_error(
        &throughline(dir.path(), &["link", "text.csv", "--x", "x", "--y", "y"]),
        &["text.csv", "\"y\"", "row 2", "\"three\""],
    );
    expect_error(
        &throughline(dir.path(), &["link", "text.csv", "--x", "x", "--y", "z"]),
        &["\"z\"", "\"x\", \"y\""],
    );
}

#[test]
fn threshold_bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scores.csv", b"score,label\n0.9,1\n0.4,maybe\n");
    let args = [
        "threshold",
        "scores.csv",
        "--score",
        "score",
        "--label",
        "label",
        "--value-tp",
        "10",
        "--value-fp",
        "-2",
        "--value-fn",
        "-5",
        "--value-tn",
        "0",
    ];
    expect_error(
        &throughline(dir.path(), &args),
        &["\"label\"", "row 2", "\"maybe\""],
    );
    write(dir.path(), "scores.csv", b"score,label\n,1\nx,0\n");
    expect_error(
        &throughline(dir.path(), &args),
        &["\"score\"", "row 2", "\"x\""],
    );
    write(dir.path(), "scores.csv", b"score,label\n,1\n0.5,\n");
    expect_error(
        &throughline(dir.path(), &args),
        &["no rows with both a score and a label"],
    );
    write(
        dir.path(),
        "scores.csv",
        b"score,label\n0.9,1\n0.5,0\n0.5,1\n0.1,0\n",
    );
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let v = json(&throughline(dir.path(), &with_json));
    assert_eq!(v["best_value_threshold"].as_f64(), Some(0.5));
    let table = throughline(dir.path(), &args);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("Best threshold for value"));
}

/// Random bytes and mangled CSV never make the binary panic or hang.
#[test]
fn garbage_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: [&[u8]; 12] = [
        b"variant",
        b"revenue",
        b"control",
        b"treatment",
        b",",
        b"\n",
        b"\r\n",
        b"\"",
        b"1.5",
        b"NaN",
        b";",
        b"\xff",
    ];
    for case in 0..60 {
        let mut content = Vec::new();
        if case % 3 == 0 {
            content.extend((0..(next() % 300)).map(|_| (next() % 256) as u8));
        } else {
            content.extend_from_slice(b"variant,revenue\n");
            for _ in 0..(next() % 80) {
                content.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
        }
        let name = format!("garbage{case}.csv");
        write(dir.path(), &name, &content);
        let run = analyze(dir.path(), &name, &["--json"]);
        assert!(
            run.code == 0 || run.code == 1,
            "case {case}: exit {}",
            run.code
        );
        for sub in [
            vec!["link", name.as_str(), "--x", "variant", "--y", "revenue"],
            vec![
                "threshold",
                name.as_str(),
                "--score",
                "revenue",
                "--label",
                "variant",
                "--value-tp",
                "1",
                "--value-fp",
                "-1",
                "--value-fn",
                "-1",
                "--value-tn",
                "0",
            ],
        ] {
            let run = throughline(dir.path(), &sub);
            assert!(
                run.code == 0 || run.code == 1,
                "case {case} {sub:?}: exit {}",
                run.code
            );
        }
    }
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    // `throughline check … | head -1`: the reader goes away before the output is written.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    for args in [
        vec!["check", "churn-prediction.ron"],
        vec!["whatif", "churn-prediction.ron"],
        vec!["whatif", "churn-prediction.ron", "--json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_throughline"))
            .current_dir(&examples)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
