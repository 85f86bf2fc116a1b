//! The window and the command line read a file the same way: the same bad file (text in a
//! metric column, NaN, inf) gives the same error, or the same figures and warnings, on the
//! Evidence page's job (`compute_all_now`, what the page's workers run) and from
//! `throughline link` / `throughline analyze`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use throughline::app::evidence_jobs::compute_all_now;
use throughline::model::*;

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// Runs the binary; returns (exit code, stdout, stderr without the `error: ` prefixes).
fn cli(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

fn project_with(path: &Path, skip_bad_rows: bool, evidence: Evidence) -> Project {
    let mut p = Project::named("Agree");
    p.datasets = vec![Dataset {
        id: "d".into(),
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        format: Some(FileFormat::Csv),
        options: ImportOptions {
            skip_bad_rows,
            ..ImportOptions::default()
        },
        ..Default::default()
    }];
    p.evidence = evidence;
    p
}

fn link_project(path: &Path, skip_bad_rows: bool) -> Project {
    let link = LinkAnalysis {
        id: "l".into(),
        name: "Link".into(),
        spec: LinkSpec {
            dataset_id: "d".into(),
            label_column: Some("experiment".into()),
            x: "accuracy".into(),
            y: "revenue".into(),
            ..LinkSpec::default()
        },
        ..LinkAnalysis::default()
    };
    project_with(
        path,
        skip_bad_rows,
        Evidence {
            links: vec![link],
            ..Evidence::default()
        },
    )
}

const LINK_ROWS: &str = "experiment,accuracy,revenue\n\
    e1,0.80,1.10\ne2,0.82,1.18\ne3,0.85,1.22\ne4,0.86,1.31\ne5,0.88,1.33\ne6,0.90,1.41\n";

#[test]
fn text_in_a_metric_column_is_the_same_error_in_the_window_and_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "links.csv",
        &format!("{LINK_ROWS}e7,0.91,oops\n"),
    );
    let mut project = link_project(&path, false);
    let problems = compute_all_now(&mut project, None);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let window = problems[0]
        .strip_prefix("ML vs business: Link: ")
        .expect("the problem names the view and the analysis");
    assert!(
        window.contains("\"revenue\"") && window.contains("row 7") && window.contains("\"oops\""),
        "{window}"
    );
    let (code, _, stderr) = cli(&[
        "link",
        path.to_str().unwrap(),
        "--x",
        "accuracy",
        "--y",
        "revenue",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(window),
        "the CLI says\n{stderr}\nthe window says\n{window}"
    );
    assert!(project.evidence.links[0].result.is_none());
}

/// The warnings and the number of points the window keeps, and those the CLI prints.
fn link_in_both(path: &Path, skip_bad_rows: bool) -> ((usize, Vec<String>), (usize, Vec<String>)) {
    let mut project = link_project(path, skip_bad_rows);
    let problems = compute_all_now(&mut project, None);
    assert!(problems.is_empty(), "{problems:?}");
    let computed = &project.evidence.links[0].result.as_ref().unwrap().1;
    let window = (computed.result.n as usize, computed.result.warnings.clone());
    let mut args = vec![
        "link",
        path.to_str().unwrap(),
        "--x",
        "accuracy",
        "--y",
        "revenue",
        "--json",
    ];
    if skip_bad_rows {
        args.push("--skip-bad-rows");
    }
    let (code, stdout, stderr) = cli(&args);
    assert_eq!(code, 0, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let warnings = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    let cli = (json["n"].as_u64().unwrap() as usize, warnings);
    (window, cli)
}

#[test]
fn nan_and_infinite_values_give_the_same_figures_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "links.csv",
        &format!("{LINK_ROWS}e7,NaN,1.5\ne8,0.93,inf\ne9,0.95,1.52\n"),
    );
    let (window, cli) = link_in_both(&path, false);
    assert_eq!(window, cli);
    assert_eq!(window.0, 7, "NaN and inf pairs are left out");
    assert!(!window.1.is_empty(), "the left-out pairs are reported");
}

#[test]
fn skipped_rows_are_reported_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "links.csv",
        &format!("{LINK_ROWS}e7,0.91,oops\ne8,inf,1.5\ne9,0.95,1.52\n"),
    );
    let (window, cli) = link_in_both(&path, true);
    assert_eq!(window, cli);
    assert_eq!(window.0, 7);
    assert!(
        window
            .1
            .iter()
            .any(|w| w.contains("1 row") && w.contains("skipped")),
        "{:?}",
        window.1
    );
}

#[test]
fn an_experiment_with_text_in_a_metric_is_the_same_error_in_the_window_and_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("variant,revenue\n");
    for i in 0..20 {
        let variant = if i % 2 == 0 { "control" } else { "treatment" };
        csv.push_str(&format!("{variant},{}.5\n", i % 7));
    }
    csv.push_str("treatment,n/a?\n");
    let path = write(dir.path(), "ab.csv", &csv);
    let experiment = ExperimentAnalysis {
        id: "e".into(),
        name: "AB".into(),
        spec: ExperimentSpec {
            dataset_id: "d".into(),
            variant_column: "variant".into(),
            control: "control".into(),
            metrics: vec![MetricSpec {
                column: "revenue".into(),
                ..MetricSpec::default()
            }],
            ..ExperimentSpec::default()
        },
        ..ExperimentAnalysis::default()
    };
    let mut project = project_with(
        &path,
        false,
        Evidence {
            experiments: vec![experiment],
            ..Evidence::default()
        },
    );
    let problems = compute_all_now(&mut project, None);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let window = problems[0]
        .strip_prefix("Experiment results: AB: ")
        .unwrap();
    assert!(
        window.contains("row 21") && window.contains("\"n/a?\""),
        "{window}"
    );
    let (code, _, stderr) = cli(&[
        "analyze",
        path.to_str().unwrap(),
        "--variant-col",
        "variant",
        "--control",
        "control",
        "--metric",
        "revenue",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(window),
        "the CLI says\n{stderr}\nthe window says\n{window}"
    );
}
