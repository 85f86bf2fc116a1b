#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Hostile inputs (issue: nothing lost, nothing crashes): files built to crash, hang or exhaust
//! a reader get a clear message naming the file, and nothing else happens.

use std::path::Path;
use std::process::Command;

use throughline::io::{ProjectFileError, load_project, parse_project, save_project};
use throughline::model::Project;

/// A RON value nested `depth` levels deep: `[[[...]]]`.
fn nested(depth: usize) -> String {
    let mut text = String::with_capacity(depth * 2);
    text.extend(std::iter::repeat_n('[', depth));
    text.extend(std::iter::repeat_n(']', depth));
    text
}

#[test]
fn a_project_nested_a_hundred_thousand_levels_deep_is_refused_without_a_crash() {
    let path = Path::new("deep.ron");
    let deep = nested(100_000);
    // In a field the project has, in one it does not know, and as the whole file.
    for text in [
        format!("(version: 1, name: \"x\", description: {deep})"),
        format!("(version: 1, name: \"x\", not_a_field: {deep})"),
        format!("(version: 1, name: {deep})"),
        deep.clone(),
    ] {
        let err = parse_project(&text, path).expect_err("refused");
        assert!(
            matches!(err, ProjectFileError::Syntax { .. }),
            "a syntax error, not {err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("deep.ron"), "{message}");
        assert!(message.contains("line 1"), "{message}");
    }
}

#[test]
fn a_project_path_that_is_a_folder_is_refused_with_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("looks-like-a-project.ron");
    std::fs::create_dir(&folder).expect("folder");
    let err = load_project(&folder).expect_err("refused");
    assert!(matches!(err, ProjectFileError::Read { .. }), "{err:?}");
    assert!(
        err.to_string().contains("looks-like-a-project.ron"),
        "{err}"
    );
}

#[test]
fn saving_where_no_file_can_be_written_names_the_path_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A missing folder, and a "folder" that is a file (refused even for the root user, whom
    // permission bits do not stop).
    let plain_file = dir.path().join("plain.txt");
    std::fs::write(&plain_file, "not a folder").expect("file");
    for target in [
        dir.path().join("missing").join("project.ron"),
        plain_file.join("project.ron"),
    ] {
        let err = save_project(&Project::default(), &target).expect_err("refused");
        assert!(matches!(err, ProjectFileError::Write { .. }), "{err:?}");
        assert!(err.to_string().contains("project.ron"), "{err}");
        assert!(!target.exists());
    }
    assert_eq!(
        std::fs::read_to_string(&plain_file).expect("file"),
        "not a folder"
    );
    // Nothing was left behind in the folder but the file that was there.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("plain.txt")]);
}

#[test]
fn analysing_a_data_file_that_is_a_folder_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("results.csv")).expect("folder");
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .current_dir(dir.path())
        .args([
            "analyze",
            "results.csv",
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(stderr.contains("results.csv"), "{stderr}");
}
