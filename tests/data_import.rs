//! Reading every format and refusing every bad input with a clear message (issue 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use polars::prelude::*;
use throughline::data::{self, BatchSink, Cell, DataError, LoadProgress, Source};
use throughline::model::{FileFormat, ImportOptions};

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn open(path: &Path) -> Result<Source, DataError> {
    Source::open(path, &ImportOptions::default())
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/data")
        .join(name)
}

fn read_all(source: &Source) -> DataFrame {
    let names = source.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    source
        .read_columns(&names, &mut |_| {}, &AtomicBool::new(false))
        .unwrap()
}

fn numbers(source: &Source, df: &DataFrame, column: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    source
        .for_each_number(df.column(column).unwrap(), 0, false, |_, c| out.push(c))
        .unwrap();
    out
}

fn texts(source: &Source, df: &DataFrame, column: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    source
        .for_each_text(df.column(column).unwrap(), |_, t| {
            out.push(t.map(str::to_string))
        })
        .unwrap();
    out
}

fn sample_frame() -> DataFrame {
    df!(
        "variant" => ["control", "control", "treatment", "treatment"],
        "converted" => [0i64, 1, 1, 0],
        "revenue_usd" => [Some(0.0), Some(12.5), Some(20.25), None],
    )
    .unwrap()
}

fn check_sample(source: &Source) {
    assert_eq!(
        source.column_names(),
        vec!["variant", "converted", "revenue_usd"]
    );
    let df = read_all(source);
    assert_eq!(df.height(), 4);
    assert_eq!(
        numbers(source, &df, "revenue_usd"),
        vec![
            Cell::Value(0.0),
            Cell::Value(12.5),
            Cell::Value(20.25),
            Cell::Missing
        ]
    );
    assert_eq!(
        texts(source, &df, "variant"),
        vec![
            Some("control".to_string()),
            Some("control".into()),
            Some("treatment".into()),
            Some("treatment".into())
        ]
    );
}

// ---- Formats ----------------------------------------------------------------------------

#[test]
fn csv_comma() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ab.csv",
        "variant,converted,revenue_usd\ncontrol,0,0\ncontrol,1,12.5\ntreatment,1,20.25\ntreatment,0,\n",
    );
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Csv);
    assert_eq!(s.dialect().unwrap().delimiter, b',');
    check_sample(&s);
}

#[test]
fn tsv_with_crlf_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ab.txt",
        "\u{feff}variant\tconverted\trevenue_usd\r\ncontrol\t0\t0\r\ncontrol\t1\t12.5\r\ntreatment\t1\t20.25\r\ntreatment\t0\t\r\n",
    );
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Tsv);
    check_sample(&s);
}

#[test]
fn semicolons_and_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ab.csv",
        "variant;converted;revenue_usd\ncontrol;0;0\ncontrol;1;12,5\ntreatment;1;20,25\ntreatment;0;NA\n",
    );
    let s = open(&p).unwrap();
    let d = s.dialect().unwrap();
    assert_eq!(d.delimiter, b';');
    assert!(d.decimal_comma);
    check_sample(&s);
}

#[test]
fn quoted_fields_with_delimiters_and_newlines() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "q.csv",
        "variant,note,revenue_usd\n\"control\",\"a, b\",1.5\n\"treat\"\"ment\",\"two\nlines\",2\n",
    );
    let s = open(&p).unwrap();
    let df = read_all(&s);
    assert_eq!(df.height(), 2);
    assert_eq!(
        texts(&s, &df, "note"),
        vec![Some("a, b".to_string()), Some("two\nlines".into())]
    );
    assert_eq!(texts(&s, &df, "variant")[1].as_deref(), Some("treat\"ment"));
}

#[test]
fn utf16_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "variant\tconverted\trevenue_usd\r\ncontrol\t0\t0\r\ncontrol\t1\t12.5\r\ntreatment\t1\t20.25\r\ntreatment\t0\t\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let p = write(dir.path(), "unicode.txt", bytes);
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Tsv);
    check_sample(&s);
}

#[test]
fn no_header_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "n.csv", "1,2\n3,4\n");
    let s = open(&p).unwrap();
    assert!(!s.dialect().unwrap().has_header);
    assert_eq!(read_all(&s).height(), 2);
}

#[test]
fn parquet_ipc_json_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let mut df = sample_frame();

    let p = dir.path().join("ab.parquet");
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Parquet);
    assert_eq!(s.known_rows(), Some(4));
    check_sample(&s);

    let p = dir.path().join("ab.feather");
    IpcWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::ArrowIpc);
    check_sample(&s);

    let p = dir.path().join("ab.json");
    JsonWriter::new(std::fs::File::create(&p).unwrap())
        .with_json_format(JsonFormat::Json)
        .finish(&mut df)
        .unwrap();
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Json);
    check_sample(&s);

    let p = dir.path().join("ab.ndjson");
    JsonWriter::new(std::fs::File::create(&p).unwrap())
        .with_json_format(JsonFormat::JsonLines)
        .finish(&mut df)
        .unwrap();
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::NdJson);
    check_sample(&s);

    // JSON lines saved as .json are recognised by their content.
    let p2 = dir.path().join("lines.json");
    std::fs::copy(&p, &p2).unwrap();
    assert_eq!(open(&p2).unwrap().format(), FileFormat::NdJson);
}

#[test]
fn format_is_recognised_by_content_not_extension() {
    let dir = tempfile::tempdir().unwrap();
    let mut df = sample_frame();
    let p = dir.path().join("really_parquet.csv");
    ParquetWriter::new(std::fs::File::create(&p).unwrap())
        .finish(&mut df)
        .unwrap();
    assert_eq!(open(&p).unwrap().format(), FileFormat::Parquet);
}

#[test]
fn excel_workbook() {
    let p = fixture("ab_small.xlsx");
    let s = open(&p).unwrap();
    assert_eq!(s.format(), FileFormat::Excel);
    assert_eq!(
        s.column_names(),
        vec!["variant", "converted", "revenue_usd", "day"]
    );
    let df = read_all(&s);
    assert_eq!(df.height(), 5);
    assert_eq!(df.column("converted").unwrap().dtype(), &DataType::Int64);
    assert!(matches!(
        df.column("day").unwrap().dtype(),
        DataType::Datetime(_, _)
    ));
    // An empty cell and #N/A are both missing.
    assert_eq!(
        numbers(&s, &df, "revenue_usd"),
        vec![
            Cell::Value(0.0),
            Cell::Value(12.5),
            Cell::Value(20.25),
            Cell::Missing,
            Cell::Missing
        ]
    );
    assert_eq!(data::sheet_names(&p).unwrap(), vec!["units", "notes"]);

    let other = Source::open(
        &p,
        &ImportOptions {
            sheet: Some("nope".into()),
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    let text = other.to_string();
    assert!(text.contains("no sheet \"nope\""), "{text}");
    assert!(text.contains("\"units\", \"notes\""), "{text}");

    let notes = Source::open(
        &p,
        &ImportOptions {
            sheet: Some("notes".into()),
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(notes, DataError::NoRows { .. }), "{notes}");
}

#[test]
fn scan_gives_a_lazy_frame_with_projection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ab.csv", "a,b,c\n1,2,3\n4,5,6\n");
    let lf = data::scan(&p, &ImportOptions::default()).unwrap();
    let df = lf.select([col("b")]).collect().unwrap();
    assert_eq!(df.width(), 1);
    assert_eq!(df.height(), 2);
}

#[test]
fn options_override_detection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.csv", "a;b\n1;2\n");
    let s = Source::open(
        &p,
        &ImportOptions {
            delimiter: Some(','),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(s.column_names(), vec!["a;b"]);
}

// ---- Bad input ----------------------------------------------------------------------------

fn error_for(name: &str, bytes: impl AsRef<[u8]>) -> DataError {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), name, bytes);
    match open(&p) {
        Err(e) => e,
        Ok(s) => {
            let names = s.column_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            s.read_columns(&names, &mut |_| {}, &AtomicBool::new(false))
                .expect_err("the file should have been refused")
        }
    }
}

#[test]
fn empty_file() {
    let e = error_for("empty.csv", "");
    assert!(matches!(e, DataError::Empty { .. }), "{e}");
    assert!(e.to_string().contains("empty.csv"));
    let e = error_for("blank.csv", "\n\n  \n");
    assert!(matches!(e, DataError::Empty { .. }), "{e}");
}

#[test]
fn header_only() {
    let e = error_for("header.csv", "variant,revenue\n");
    assert!(matches!(e, DataError::NoRows { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "The file \"".to_string() + e.file() + "\" has column names but no rows of data."
    );
}

#[test]
fn binary_file() {
    let e = error_for("image.csv", [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2]);
    assert!(matches!(e, DataError::Binary { .. }), "{e}");
    let e = error_for("bad.parquet", [1u8, 2, 0, 0, 9, 9]);
    assert!(e.to_string().contains("Parquet"), "{e}");
    let e = error_for("data.csv.gz", [0x1Fu8, 0x8B, 8, 0, 0, 0]);
    assert!(e.to_string().contains("compressed"), "{e}");
}

#[test]
fn not_utf8_names_the_line() {
    let e = error_for("latin1.csv", b"name,city\nAnna,Bonn\nJos\xe9,M\xe1laga\n");
    assert_eq!(
        e,
        DataError::NotUtf8 {
            file: e.file().to_string(),
            line: 3
        }
    );
    assert!(e.to_string().contains("UTF-8"));
}

#[test]
fn not_utf8_beyond_the_sample() {
    let mut text = String::from("name,value\n");
    for i in 0..30_000 {
        text.push_str(&format!("row{i},{i}\n"));
    }
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"Jos\xe9,1\n");
    let e = error_for("late_latin1.csv", bytes);
    assert!(
        matches!(e, DataError::NotUtf8 { line: 30_002, .. }),
        "{e:?}"
    );
}

#[test]
fn ragged_rows_name_the_line() {
    let e = error_for("ragged.csv", "a,b\n1,2\n3,4,5\n6,7\n");
    assert!(
        matches!(
            e,
            DataError::Ragged {
                line: 3,
                expected: 2,
                found: 3,
                ..
            }
        ),
        "{e:?}"
    );
    // Beyond the sniffed sample too.
    let mut text = String::from("a,b\n");
    for i in 0..40_000 {
        text.push_str(&format!("{i},{i}\n"));
    }
    text.push_str("1,2,3\n");
    let e = error_for("late_ragged.csv", text);
    assert!(
        matches!(
            e,
            DataError::Ragged {
                line: 40_002,
                expected: 2,
                found: 3,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn short_rows_are_missing_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "short.csv", "a,b\n1,2\n3\n");
    let s = open(&p).unwrap();
    let df = read_all(&s);
    assert_eq!(numbers(&s, &df, "b"), vec![Cell::Value(2.0), Cell::Missing]);
}

#[test]
fn text_in_a_numeric_column_names_column_row_and_value() {
    let dir = tempfile::tempdir().unwrap();
    // Early: the column is read as text.
    let p = write(
        dir.path(),
        "early.csv",
        "variant,revenue\nA,1\nB,abc\nA,2\n",
    );
    let s = open(&p).unwrap();
    let df = read_all(&s);
    let e = s
        .for_each_number(df.column("revenue").unwrap(), 0, false, |_, _| {})
        .unwrap_err();
    assert_eq!(
        e,
        DataError::NotNumeric {
            file: p.display().to_string(),
            column: "revenue".into(),
            row: 2,
            line: Some(3),
            value: "abc".into()
        }
    );
    let mut cells = Vec::new();
    s.for_each_number(df.column("revenue").unwrap(), 0, true, |_, c| cells.push(c))
        .unwrap();
    assert_eq!(
        cells,
        vec![Cell::Value(1.0), Cell::Unreadable, Cell::Value(2.0)]
    );

    // Late: far beyond the rows the types are guessed from.
    let mut text = String::from("variant,revenue\n");
    for i in 0..20_000 {
        text.push_str(&format!("{},{}\n", if i % 2 == 0 { "A" } else { "B" }, i));
    }
    text.push_str("B,oops\nA,2.5\n");
    let p = write(dir.path(), "late.csv", text);
    let s = open(&p).unwrap();
    assert_eq!(s.schema().get("revenue"), Some(&DataType::Int64));
    let df = read_all(&s);
    assert_eq!(df.height(), 20_002);
    let e = s
        .for_each_number(df.column("revenue").unwrap(), 0, false, |_, _| {})
        .unwrap_err();
    assert!(
        matches!(&e, DataError::NotNumeric { row: 20_001, value, .. } if value == "oops"),
        "{e:?}"
    );
}

#[test]
fn a_late_decimal_in_an_integer_column_is_read() {
    let mut text = String::from("id,revenue\n");
    for i in 0..20_000 {
        text.push_str(&format!("{i},{i}\n"));
    }
    text.push_str("x,2.5\n");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "late_float.csv", text);
    let s = open(&p).unwrap();
    let df = read_all(&s);
    assert_eq!(df.column("revenue").unwrap().dtype(), &DataType::Float64);
    assert_eq!(numbers(&s, &df, "revenue").last(), Some(&Cell::Value(2.5)));
}

#[test]
fn nan_and_inf_are_passed_as_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "nan.csv", "v,x\nA,1\nA,NaN\nB,inf\nB,-inf\n");
    let s = open(&p).unwrap();
    let df = read_all(&s);
    let cells = numbers(&s, &df, "x");
    assert!(matches!(cells[1], Cell::Value(x) if x.is_nan()));
    assert_eq!(cells[2], Cell::Value(f64::INFINITY));
    assert_eq!(cells[3], Cell::Value(f64::NEG_INFINITY));
}

#[test]
fn unknown_column_lists_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ab.csv", "variant,revenue\nA,1\n");
    let s = open(&p).unwrap();
    let e = s
        .read_columns(&["revnue"], &mut |_| {}, &AtomicBool::new(false))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "The file \"{}\" has no column \"revnue\". Its columns are: \"variant\", \"revenue\".",
            p.display()
        )
    );
}

#[test]
fn missing_file_and_folder() {
    let dir = tempfile::tempdir().unwrap();
    let e = open(&dir.path().join("gone.csv")).unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert!(e.to_string().contains("gone.csv"));
    let e = open(dir.path()).unwrap_err();
    assert!(matches!(e, DataError::IsFolder { .. }), "{e}");
}

#[test]
fn malformed_json() {
    let e = error_for("bad.json", "[{\"a\": 1}, {\"a\": ");
    assert!(e.to_string().contains("bad.json"), "{e}");
    let e = error_for("bad.ndjson", "{\"a\": 1}\n{\"a\": \n");
    assert!(e.to_string().contains("bad.ndjson"), "{e}");
    let e = error_for("empty.json", "[]");
    assert!(
        matches!(e, DataError::NoRows { .. } | DataError::Empty { .. }),
        "{e}"
    );
}

/// An error about a garbage file is a plain sentence naming the file, and says what is wrong
/// with its content: never that the file is missing, a folder or unreadable from disk, and
/// never a cancel nobody asked for.
fn assert_garbage_error(e: &DataError, file: &str) {
    let message = e.to_string();
    assert!(
        !matches!(
            e,
            DataError::NotFound { .. }
                | DataError::IsFolder { .. }
                | DataError::Io { .. }
                | DataError::Cancelled { .. }
        ),
        "{file}: {e:?}"
    );
    assert!(
        message.contains(file),
        "{file}: the message does not name it: {message}"
    );
    assert!(
        message.starts_with(|c: char| c.is_uppercase() || c == '"')
            && message.trim_end().ends_with('.'),
        "{file}: not a sentence: {message}"
    );
}

#[test]
fn garbage_never_panics() {
    // A few hundred pseudo-random byte strings under every extension.
    let dir = tempfile::tempdir().unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"ab,;\t\"\n\r01.5-eE{}[]:NaN \xff\x00PAR1";
    for round in 0..200 {
        let len = (next() % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        for ext in [
            "csv", "tsv", "json", "ndjson", "parquet", "arrow", "xlsx", "dat",
        ] {
            let file = format!("g{round}.{ext}");
            let p = write(dir.path(), &file, &bytes);
            let s = match open(&p) {
                Ok(s) => s,
                Err(e) => {
                    assert_garbage_error(&e, &file);
                    continue;
                }
            };
            let names = s.column_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let df = match s.read_columns(&names, &mut |_| {}, &AtomicBool::new(false)) {
                Ok(df) => df,
                Err(e) => {
                    assert_garbage_error(&e, &file);
                    continue;
                }
            };
            for c in df.columns() {
                if let Err(e) = s.for_each_number(c, 0, false, |_, _| {}) {
                    // Reading a column as numbers fails only on a value that is not one.
                    assert!(
                        matches!(&e, DataError::NotNumeric { column, .. } if column == c.name().as_str()),
                        "{file}: column {}: {e:?}",
                        c.name()
                    );
                    assert_garbage_error(&e, &file);
                }
            }
        }
    }
}

// ---- Progress and cancel ------------------------------------------------------------------

fn big_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("variant,revenue,converted\n");
    for i in 0..rows {
        text.push_str(&format!(
            "{},{}.{},{}\n",
            ["control", "a", "b"][i % 3],
            i % 97,
            i % 10,
            i % 2
        ));
    }
    write(dir, "big.csv", text)
}

#[test]
fn batches_report_progress_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let p = big_csv(dir.path(), 300_000);
    let s = open(&p).unwrap();
    let estimate = s.estimated_rows().unwrap();
    assert!((250_000..350_000).contains(&estimate), "{estimate}");

    struct Count {
        rows: u64,
        next_first_row: u64,
    }
    impl BatchSink for Count {
        fn batch(&mut self, batch: &DataFrame, first_row: u64) -> Result<(), DataError> {
            assert_eq!(first_row, self.next_first_row);
            self.next_first_row += batch.height() as u64;
            self.rows += batch.height() as u64;
            Ok(())
        }
        fn restart(&mut self) {
            self.rows = 0;
            self.next_first_row = 0;
        }
    }
    let mut sink = Count {
        rows: 0,
        next_first_row: 0,
    };
    let mut reports: Vec<LoadProgress> = Vec::new();
    let rows = s
        .for_each_batch(
            &["revenue"],
            &mut |p| reports.push(p),
            &AtomicBool::new(false),
            &mut sink,
        )
        .unwrap();
    assert_eq!(rows, 300_000);
    assert_eq!(sink.rows, 300_000);
    assert_eq!(reports.last().unwrap().fraction, Some(1.0));
    assert!(reports.windows(2).all(|w| w[0].rows_read <= w[1].rows_read));
}

#[test]
fn cancel_stops_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = big_csv(dir.path(), 300_000);
    let s = open(&p).unwrap();
    let cancel = AtomicBool::new(true);
    let e = s
        .read_columns(&["variant", "revenue"], &mut |_| {}, &cancel)
        .unwrap_err();
    assert!(e.is_cancelled(), "{e}");
}
