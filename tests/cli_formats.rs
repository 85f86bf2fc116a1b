#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `throughline analyze` gives the same figures whatever the file format: the reference CSV
//! rewritten as TSV, semicolon-and-decimal-comma CSV, quoted CRLF CSV, NDJSON, JSON, Parquet
//! and Arrow IPC.

use std::path::{Path, PathBuf};
use std::process::Command;

use polars::prelude::*;
use serde_json::Value;

fn reference_csv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/ab_two_arms.csv")
}

fn analyze(path: &Path, extra: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .arg("analyze")
        .arg(path)
        .args([
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue_usd",
            "--metric",
            "converted",
            "--json",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The figures of an analysis, without the file name.
fn figures(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("file");
    v.as_object_mut().unwrap().remove("warnings");
    v
}

fn same(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-12 * y.abs().max(1e-300),
                "{path}: {x} vs {y}"
            );
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (k, v) in x {
                same(v, &y[k], &format!("{path}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, &format!("{path}[{i}]"));
            }
        }
        (x, y) => assert_eq!(x, y, "{path}"),
    }
}

struct Rows {
    user: Vec<i64>,
    variant: Vec<String>,
    revenue: Vec<f64>,
    converted: Vec<i64>,
}

fn rows() -> Rows {
    let text = std::fs::read_to_string(reference_csv()).unwrap();
    let mut r = Rows {
        user: vec![],
        variant: vec![],
        revenue: vec![],
        converted: vec![],
    };
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        r.user.push(f[0].parse().unwrap());
        r.variant.push(f[1].to_owned());
        r.revenue.push(f[2].parse().unwrap());
        r.converted.push(f[3].parse().unwrap());
    }
    r
}

fn frame(r: &Rows) -> DataFrame {
    df!(
        "user" => &r.user,
        "variant" => &r.variant,
        "revenue_usd" => &r.revenue,
        "converted" => &r.converted,
    )
    .unwrap()
}

#[test]
fn every_format_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let reference = figures(analyze(&reference_csv(), &[]));
    // The importer's batches (polars) agree with the streaming reader.
    same(
        &figures(analyze(&reference_csv(), &["--reader", "polars"])),
        &reference,
        "--reader polars",
    );
    let r = rows();

    // Delimited variants written by hand.
    let mut tsv = String::from("user\tvariant\trevenue_usd\tconverted\n");
    let mut semicolon = String::from("user;variant;revenue_usd;converted\n");
    let mut quoted = String::from("\u{feff}\"user\",\"variant\",\"revenue_usd\",\"converted\"\r\n");
    for i in 0..r.user.len() {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            r.user[i], r.variant[i], r.revenue[i], r.converted[i]
        ));
        semicolon.push_str(&format!(
            "{};{};{};{}\n",
            r.user[i],
            r.variant[i],
            format!("{}", r.revenue[i]).replace('.', ","),
            r.converted[i]
        ));
        quoted.push_str(&format!(
            "{},\"{}\",\"{}\",{}\r\n",
            r.user[i], r.variant[i], r.revenue[i], r.converted[i]
        ));
        if i % 100 == 0 {
            tsv.push('\n'); // blank lines are skipped
        }
    }
    let files = [
        ("ab.tsv", tsv),
        ("ab_semicolon.csv", semicolon),
        ("ab_quoted.csv", quoted),
    ];
    for (name, content) in &files {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        same(&figures(analyze(&path, &[])), &reference, name);
    }

    // Column formats written by polars.
    let mut df = frame(&r);
    let parquet = dir.path().join("ab.parquet");
    ParquetWriter::new(std::fs::File::create(&parquet).unwrap())
        .finish(&mut df)
        .unwrap();
    let ipc = dir.path().join("ab.arrow");
    IpcWriter::new(std::fs::File::create(&ipc).unwrap())
        .finish(&mut df)
        .unwrap();
    let ndjson = dir.path().join("ab.ndjson");
    JsonWriter::new(std::fs::File::create(&ndjson).unwrap())
        .with_json_format(JsonFormat::JsonLines)
        .finish(&mut df)
        .unwrap();
    let json = dir.path().join("ab.json");
    JsonWriter::new(std::fs::File::create(&json).unwrap())
        .with_json_format(JsonFormat::Json)
        .finish(&mut df)
        .unwrap();
    for path in [parquet, ipc, ndjson, json] {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        same(&figures(analyze(&path, &[])), &reference, &name);
    }
}

#[test]
fn options_override_detection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipes.txt");
    std::fs::write(
        &path,
        "control|1,5|1\ncontrol|2,5|0\ncontrol|2|1\ntreatment|3,5|1\ntreatment|4|0\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .arg("analyze")
        .arg(&path)
        .args([
            "--variant-col",
            "column_1",
            "--control",
            "control",
            "--metric",
            "column_2",
            "--delimiter",
            "|",
            "--decimal-comma",
            "--no-header",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["rows"], 5);
    assert_eq!(v["metrics"][0]["variants"][0]["mean"].as_f64(), Some(2.0));
}

#[test]
fn both_readers_name_the_same_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    let mut text = String::from("variant,revenue_usd,converted\n");
    for i in 0..3000 {
        let value = if i == 2500 {
            "n/a?".to_owned()
        } else {
            format!("{}.5", i % 7)
        };
        text.push_str(&format!("{},{value},{}\n", ["control", "b"][i % 2], i % 2));
    }
    std::fs::write(&path, text).unwrap();
    for reader in ["auto", "polars"] {
        let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
            .arg("analyze")
            .arg(&path)
            .args([
                "--variant-col",
                "variant",
                "--control",
                "control",
                "--metric",
                "revenue_usd",
                "--reader",
                reader,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{reader}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for fragment in ["bad.csv", "\"revenue_usd\"", "row 2501", "\"n/a?\""] {
            assert!(stderr.contains(fragment), "{reader}: {stderr}");
        }
    }
}
