//! Odd but real-world inputs: duplicate or blank column names, one column, trailing blank
//! lines, thousands of columns, a header row only in Excel, quotes left open.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use throughline::data::{DataError, Source};
use throughline::model::ImportOptions;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn read(path: &Path) -> Result<(Vec<String>, usize), DataError> {
    let s = Source::open(path, &ImportOptions::default())?;
    let names = s.column_names();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let df = s.read_columns(&refs, &mut |_| {}, &AtomicBool::new(false))?;
    Ok((names, df.height()))
}

#[test]
fn duplicate_and_blank_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "dup.csv", "a,a,,b\n1,2,3,4\n5,6,7,8\n");
    match read(&p) {
        Ok((names, rows)) => {
            assert_eq!(rows, 2);
            assert_eq!(names.len(), 4);
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 4, "{names:?}");
        }
        Err(e) => assert!(e.to_string().contains("dup.csv"), "{e}"),
    }
}

#[test]
fn one_column_and_trailing_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "one.csv", "revenue\n1\n2\n3\n\n\n");
    let (names, rows) = read(&p).unwrap();
    assert_eq!(names, vec!["revenue"]);
    assert!(rows == 3 || rows == 5, "{rows}");
}

#[test]
fn many_columns() {
    let dir = tempfile::tempdir().unwrap();
    let header: Vec<String> = (0..2000).map(|i| format!("c{i}")).collect();
    let row: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
    let text = format!(
        "{}\n{}\n{}\n",
        header.join(","),
        row.join(","),
        row.join(",")
    );
    let p = write(dir.path(), "wide.csv", &text);
    let (names, rows) = read(&p).unwrap();
    assert_eq!(names.len(), 2000);
    assert_eq!(rows, 2);
}

#[test]
fn unclosed_quote_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "quote.csv", "a,b\n\"open,1\n2,3\n");
    // Either read (the quote swallows the rest) or refused with the file named.
    if let Err(e) = read(&p) {
        assert!(e.to_string().contains("quote.csv"), "{e}");
    }
}

#[test]
fn json_that_is_not_records() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("number.json", "[1, 2, 3]"),
        ("nested.json", "{\"a\": {\"b\": [1, 2]}}"),
        ("strings.ndjson", "\"a\"\n\"b\"\n"),
    ] {
        let p = write(dir.path(), name, text);
        if let Err(e) = read(&p) {
            assert!(e.to_string().contains(name), "{e}");
        }
    }
}
