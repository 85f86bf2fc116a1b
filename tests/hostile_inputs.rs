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

/// Bits of a raw deflate stream, written least significant first (RFC 1951).
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, bits: u64, count: u32) {
        self.acc |= bits << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push((self.acc & 0xff) as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which deflate stores most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let reversed = code.reverse_bits() >> (32 - len);
        self.put(u64::from(reversed), len);
    }

    /// A literal byte with the fixed Huffman code.
    fn literal(&mut self, byte: u8) {
        match byte {
            0..=143 => self.code(0x30 + u32::from(byte), 8),
            _ => self.code(0x190 + u32::from(byte) - 144, 9),
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push((self.acc & 0xff) as u8);
        }
        self.out
    }
}

/// `prefix`, then `repeats` × 258 spaces, then `suffix`, as one fixed-Huffman deflate block:
/// each run of 258 spaces costs 13 bits (a bomb about 160 times smaller than what it unpacks
/// to). Returns the compressed bytes, the unpacked size and the CRC-32 of the unpacked bytes.
fn deflate_bomb(prefix: &[u8], repeats: usize, suffix: &[u8]) -> (Vec<u8>, u64, u32) {
    let mut bits = Bits::default();
    bits.put(0b1, 1); // the final block
    bits.put(0b01, 2); // fixed Huffman codes
    for &b in prefix {
        bits.literal(b);
    }
    bits.literal(b' ');
    for _ in 0..repeats {
        bits.code(0xC0 + 5, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
    }
    for &b in suffix {
        bits.literal(b);
    }
    bits.code(0, 7); // end of block
    let unpacked = prefix.len() + 1 + repeats * 258 + suffix.len();
    let mut crc = crc32fast::Hasher::new();
    crc.update(prefix);
    let spaces = vec![b' '; 258 * 4096];
    let mut left = 1 + repeats * 258;
    while left > 0 {
        let n = left.min(spaces.len());
        crc.update(&spaces[..n]);
        left -= n;
    }
    crc.update(suffix);
    (bits.finish(), unpacked as u64, crc.finalize())
}

/// A zip archive of (name, method, crc, unpacked size, stored bytes) entries.
fn zip_archive(entries: &[(&str, u16, u32, u64, Vec<u8>)]) -> Vec<u8> {
    fn u16le(v: &mut Vec<u8>, x: u16) {
        v.extend_from_slice(&x.to_le_bytes());
    }
    fn u32le(v: &mut Vec<u8>, x: u32) {
        v.extend_from_slice(&x.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, crc, size, data) in entries {
        let offset = out.len() as u32;
        let size = u32::try_from(*size).expect("under 4 GB");
        let packed = data.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        for x in [20, 0, *method, 0, 0x21] {
            u16le(&mut out, x);
        }
        for x in [*crc, packed, size] {
            u32le(&mut out, x);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        u32le(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, *method, 0, 0x21] {
            u16le(&mut central, x);
        }
        for x in [*crc, packed, size] {
            u32le(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u32;
    let central_len = central.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0, 0, entries.len() as u16, entries.len() as u16] {
        u16le(&mut out, x);
    }
    u32le(&mut out, central_len);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    out
}

#[test]
fn an_excel_zip_bomb_is_refused_before_it_is_unpacked() {
    let prefix = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
    let suffix = b"</sheetData></worksheet>";
    // About 1.5 GB of sheet from under 10 MB of file.
    let (sheet, unpacked, crc) = deflate_bomb(prefix, 5_800_000, suffix);
    assert!(unpacked > 1_400_000_000);
    assert!(sheet.len() < 10_000_000);
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec();
    let types_crc = crc32fast::hash(&types);
    let archive = zip_archive(&[
        (
            "[Content_Types].xml",
            0,
            types_crc,
            types.len() as u64,
            types,
        ),
        ("xl/worksheets/sheet1.xml", 8, crc, unpacked, sheet),
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("quarterly results.xlsx");
    std::fs::write(&path, &archive).expect("write");

    // The zip reader itself finds the archive sound: it is a real bomb, not a broken file.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("open")).expect("zip");
    assert_eq!(zip.by_index(1).expect("sheet entry").size(), unpacked);

    for args in [
        vec![
            "analyze",
            "quarterly results.xlsx",
            "--variant-col",
            "variant",
        ],
        vec![
            "link",
            "quarterly results.xlsx",
            "--x",
            "auc",
            "--y",
            "revenue",
        ],
    ] {
        let mut args = args;
        if args[0] == "analyze" {
            args.extend(["--control", "control", "--metric", "revenue"]);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
            .current_dir(dir.path())
            .args(&args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("quarterly results.xlsx"), "{stderr}");
        assert!(stderr.contains("would unpack to 1.5 GB"), "{stderr}");
    }
}

/// A small frame written by polars in a column format.
fn column_file(dir: &Path, name: &str) -> Vec<u8> {
    use polars::prelude::*;
    let n = 2000;
    let mut frame = df!(
        "variant" => (0..n).map(|i| if i % 2 == 0 { "control" } else { "treatment" }).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| f64::from(i) * 0.37).collect::<Vec<_>>(),
    )
    .expect("frame");
    let path = dir.join(name);
    let file = std::fs::File::create(&path).expect("create");
    if name.ends_with(".parquet") {
        ParquetWriter::new(file)
            .finish(&mut frame)
            .expect("parquet");
    } else {
        IpcWriter::new(file).finish(&mut frame).expect("ipc");
    }
    std::fs::read(&path).expect("read back")
}

fn analyze_file(dir: &Path, name: &str) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .current_dir(dir)
        .args([
            "analyze",
            name,
            "--variant-col",
            "variant",
            "--control",
            "control",
            "--metric",
            "revenue",
        ])
        .output()
        .expect("run");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Found by fuzzing: polars' streaming readers trust the byte ranges in a file's footer, so a
/// damaged Arrow IPC or Parquet file whose ranges point past its end aborted the whole process
/// (an out-of-bounds read in a release build). Such files are now refused with a message.
#[test]
fn column_files_whose_footer_points_outside_the_file_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");

    // Arrow IPC: make the first record batch's body longer than the file.
    let mut ipc = column_file(dir.path(), "good.arrow");
    let footer_len = i32::from_le_bytes(ipc[ipc.len() - 10..ipc.len() - 6].try_into().unwrap());
    let footer_start = ipc.len() - 10 - footer_len as usize;
    // The footer's blocks are 24-byte structs (offset, metadata length, body length): find the
    // first one that describes a message inside the file and lengthen its body.
    let mut patched = false;
    let mut k = footer_start;
    while k + 24 <= ipc.len() - 10 {
        let offset = i64::from_le_bytes(ipc[k..k + 8].try_into().unwrap());
        let meta = i32::from_le_bytes(ipc[k + 8..k + 12].try_into().unwrap());
        let body = i64::from_le_bytes(ipc[k + 16..k + 24].try_into().unwrap());
        let plausible = offset > 0
            && (offset as usize) < footer_start
            && meta > 0
            && body > 0
            && (offset + i64::from(meta) + body) as usize <= footer_start;
        if plausible {
            ipc[k + 16..k + 24].copy_from_slice(&(body + 1_000_000).to_le_bytes());
            patched = true;
            break;
        }
        k += 8;
    }
    assert!(patched, "found a record batch block to damage");
    std::fs::write(dir.path().join("damaged.arrow"), &ipc).unwrap();
    let (code, stderr) = analyze_file(dir.path(), "damaged.arrow");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("damaged.arrow") && stderr.contains("damaged ("),
        "{stderr}"
    );

    // Parquet: cut most of the data out and keep the footer, so the column chunks it lists
    // now lie beyond the end of the file.
    let parquet = column_file(dir.path(), "good.parquet");
    let footer_len = u32::from_le_bytes(
        parquet[parquet.len() - 8..parquet.len() - 4]
            .try_into()
            .unwrap(),
    );
    let footer_start = parquet.len() - 8 - footer_len as usize;
    let mut cut = parquet[..4 + (footer_start - 4) / 10].to_vec();
    cut.extend_from_slice(&parquet[footer_start..]);
    std::fs::write(dir.path().join("cut.parquet"), &cut).unwrap();
    let (code, stderr) = analyze_file(dir.path(), "cut.parquet");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cut.parquet") && stderr.contains("outside the file"),
        "{stderr}"
    );

    // The undamaged files still read.
    for good in ["good.arrow", "good.parquet"] {
        let (code, stderr) = analyze_file(dir.path(), good);
        assert_eq!(code, Some(0), "{good}: {stderr}");
    }
}

/// A data file of `rows` rows written by polars in a column or line format.
fn large_data_file(path: &Path, rows: usize) {
    use polars::prelude::*;
    let mut frame = df!(
        "variant" => (0..rows).map(|i| if i % 2 == 0 { "control" } else { "treatment" }).collect::<Vec<_>>(),
        "revenue" => (0..rows).map(|i| (i % 1000) as f64 * 0.37).collect::<Vec<_>>(),
        "converted" => (0..rows).map(|i| (i % 7 == 0) as i64).collect::<Vec<_>>(),
    )
    .expect("frame");
    let file = std::fs::File::create(path).expect("create");
    let name = path.to_string_lossy();
    if name.ends_with(".parquet") {
        // Small row groups: many separate reads, as in a large file.
        ParquetWriter::new(file)
            .with_row_group_size(Some(4_000))
            .finish(&mut frame)
            .expect("parquet");
    } else if name.ends_with(".arrow") {
        IpcWriter::new(file).finish(&mut frame).expect("ipc");
    } else {
        JsonWriter::new(file)
            .with_json_format(if name.ends_with(".json") {
                JsonFormat::Json
            } else {
                JsonFormat::JsonLines
            })
            .finish(&mut frame)
            .expect("json");
    }
}

/// A data file cut short or rewritten in place while a background job reads it (another
/// program rewriting it). Polars maps the files it is given by path into memory, and a mapped
/// file cut short crashed the whole process with SIGBUS; files are now read into memory first,
/// so the reader sees the old bytes, a short file or a damaged one, and says so. Each format
/// is cut (or rewritten) at many moments, from before the read starts to after it ends: every
/// read returns a result or an error, and the process lives on.
#[test]
fn a_data_file_cut_short_or_rewritten_while_it_is_read_does_not_crash() {
    use std::time::{Duration, Instant};
    use throughline::data::aggregate::{ReadControl, read_experiment};
    use throughline::model::ImportOptions;

    let dir = tempfile::tempdir().expect("temp dir");
    let options = ImportOptions::default();
    let metrics = vec!["revenue".to_string(), "converted".to_string()];
    let read = |path: &Path| -> Result<u64, String> {
        // The analyses' reader, then the Data page's (whole columns, as its counting job).
        let data = read_experiment(path, &options, "variant", &metrics, &ReadControl::default())
            .map_err(|e| e.to_string())?;
        let source = throughline::data::Source::open(path, &options).map_err(|e| e.to_string())?;
        let never = std::sync::atomic::AtomicBool::new(false);
        source
            .read_columns(&["variant", "revenue"], &mut |_| {}, &never)
            .map_err(|e| e.to_string())?;
        Ok(data.variant_rows.len() as u64)
    };
    let (mut cut_during, mut errors) = (0, 0);
    for ext in ["parquet", "arrow", "ndjson", "json"] {
        let original = dir.path().join(format!("original.{ext}"));
        large_data_file(&original, 40_000);
        let bytes = std::fs::read(&original).expect("read");
        // How long one untouched read takes (not asserted: it spreads the cuts over it).
        let t = Instant::now();
        read(&original).expect("the untouched file reads");
        let span = t.elapsed().as_micros().max(1000) as u64;
        for round in 0..8u64 {
            let path = dir.path().join(format!("cut-{round}.{ext}"));
            std::fs::write(&path, &bytes).expect("copy");
            let delay = Duration::from_micros(span * round / 10);
            let target = path.clone();
            let replacement = bytes.clone();
            let cutter = std::thread::spawn(move || {
                std::thread::sleep(delay);
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .expect("open to cut");
                if round % 3 == 2 {
                    // Rewritten in place: emptied, then other bytes written.
                    file.set_len(0).expect("empty");
                    let mut other = replacement;
                    other.reverse();
                    std::fs::write(&target, &other[..other.len() / 2]).expect("rewrite");
                } else {
                    file.set_len(replacement.len() as u64 / 3).expect("cut");
                }
                Instant::now()
            });
            let started = Instant::now();
            let outcome = read(&path);
            let ended = Instant::now();
            let cut_at = cutter.join().expect("cutter");
            if cut_at > started && cut_at < ended {
                cut_during += 1;
            }
            if let Err(message) = outcome {
                errors += 1;
                assert!(message.contains(&format!("cut-{round}.{ext}")), "{message}");
            }
        }
    }
    // Reported, not asserted (timing on a busy machine): how many cuts fell inside a read.
    println!("{cut_during} of 32 cuts fell during a read; {errors} reads ended with an error");
}

/// A CSV file with a line longer than the scanner holds (64 MB; the 1 GB case is measured by
/// `tests/fuzzing/long_line.sh`, see docs/RELIABILITY.md): refused with a short message naming
/// the file, instead of holding the whole line in memory (a 1 GB line took over 2 GB).
#[test]
fn a_csv_line_longer_than_64_mb_is_refused_with_a_short_message() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long line.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(file, "variant,revenue").unwrap();
    for i in 0..100 {
        writeln!(file, "{},{i}.5", ["control", "treatment"][i % 2]).unwrap();
    }
    file.write_all(b"treatment,").unwrap();
    let chunk = vec![b'7'; 1 << 20];
    for _ in 0..70 {
        file.write_all(&chunk).unwrap();
    }
    writeln!(file).unwrap();
    writeln!(file, "control,1.5").unwrap();
    drop(file);
    let (code, stderr) = analyze_file(dir.path(), "long line.csv");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("long line.csv") && stderr.contains("longer than 64 MB"),
        "{stderr}"
    );
    assert!(
        stderr.len() < 1000,
        "a short message: {} bytes",
        stderr.len()
    );
}
