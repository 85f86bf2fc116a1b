//! A fuzzer for stable Rust (no nightly toolchain, no libFuzzer): seed files from `assets/`,
//! `projects/` and `tests/` are mutated (bit flips, interesting values and tokens, inserted,
//! deleted, repeated and spliced ranges, truncation) and fed to Throughline's readers of
//! untrusted input, one target per reader. Used by `examples/fuzz.rs` (millions of runs, see
//! docs/RELIABILITY.md) and by `tests/fuzz_smoke.rs` (a few thousand per target in the README's
//! test command).
//!
//! A run passes when the reader returns, with a result or an error; a panic is a crash, a run
//! longer than [`HANG_SECS`] a hang. The driver saves any such input for a regression test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use throughline::data::aggregate::{
    EffectColumns, ReadControl, SummaryColumns, find_summary_columns, read_effects,
    read_experiment, read_experiment_summary, read_pairs,
};
use throughline::data::{import_preview, sheet_names};
use throughline::model::ImportOptions;

/// A run that takes longer than this is a hang.
pub const HANG_SECS: u64 = 5;
/// Mutated inputs are capped at this size (the readers' limits are tested apart).
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// The readers of untrusted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The RON project loader.
    Project,
    /// CSV through the preview and the streaming scanner (experiment and pairs readers).
    Csv,
    /// Tab-separated text, the same way.
    Tsv,
    Parquet,
    Json,
    Ndjson,
    /// Arrow IPC / Feather.
    Arrow,
    /// Excel (.xlsx) through calamine.
    Excel,
    /// A summary-statistics file (one row per variant: n, mean, standard deviation, sums).
    Summary,
}

impl Target {
    pub const ALL: [Target; 9] = [
        Target::Project,
        Target::Csv,
        Target::Tsv,
        Target::Parquet,
        Target::Json,
        Target::Ndjson,
        Target::Arrow,
        Target::Excel,
        Target::Summary,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Project => "project",
            Target::Csv => "csv",
            Target::Tsv => "tsv",
            Target::Parquet => "parquet",
            Target::Json => "json",
            Target::Ndjson => "ndjson",
            Target::Arrow => "arrow",
            Target::Excel => "excel",
            Target::Summary => "summary",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The extension of the file an input is written to (it chooses the reader).
    fn extension(self) -> &'static str {
        match self {
            Target::Project => "ron",
            Target::Csv | Target::Summary => "csv",
            Target::Tsv => "tsv",
            Target::Parquet => "parquet",
            Target::Json => "json",
            Target::Ndjson => "ndjson",
            Target::Arrow => "arrow",
            Target::Excel => "xlsx",
        }
    }
}

/// Numbers the input files, so that no file a reader may still have mapped is ever rewritten.
static INPUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The repository's root (the fuzz driver and the tests run from a checkout).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Seed inputs of a target: real files of the repository. Data files are cut to their first
/// 16 KB (a reader meets the same structure there); project files are kept whole, since a project
/// cut short never loads and its mutations would never get past the parser. The column formats
/// are written by polars from a small CSV.
pub fn seeds(target: Target, scratch: &Path) -> Vec<Vec<u8>> {
    let root = repo_root();
    let cut = if target == Target::Project {
        MAX_INPUT_BYTES
    } else {
        16 * 1024
    };
    let files = |dirs: &[&str], ext: &[&str]| -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            for path in paths {
                let matches = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ext.contains(&e));
                if matches && let Ok(mut bytes) = std::fs::read(&path) {
                    bytes.truncate(cut);
                    out.push(bytes);
                }
            }
        }
        out
    };
    match target {
        Target::Project => files(&["projects", "tests/fixtures"], &["ron"]),
        Target::Csv => files(&["assets", "tests/reference"], &["csv"]),
        Target::Tsv => files(&["assets", "tests/reference"], &["csv"])
            .into_iter()
            .map(|b| {
                b.into_iter()
                    .map(|c| if c == b',' { b'\t' } else { c })
                    .collect()
            })
            .collect(),
        Target::Summary => {
            let mut out = files(&["assets", "tests/reference"], &["csv"]);
            out.retain(|b| {
                let head = String::from_utf8_lossy(&b[..b.len().min(400)]).to_lowercase();
                head.contains("std") || head.contains("sum")
            });
            out
        }
        Target::Excel => files(&["tests/fixtures/data"], &["xlsx"]),
        Target::Parquet | Target::Json | Target::Ndjson | Target::Arrow => {
            polars_seeds(target, scratch)
        }
    }
}

/// Column-format seeds written by polars from the small A/B reference file.
fn polars_seeds(target: Target, scratch: &Path) -> Vec<Vec<u8>> {
    use polars::prelude::*;
    let csv = repo_root().join("tests/reference/ab_two_arms.csv");
    let Ok(reader) = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(csv))
    else {
        return Vec::new();
    };
    let Ok(frame) = reader.finish() else {
        return Vec::new();
    };
    let mut frame = frame.head(Some(300));
    let path = scratch.join(format!("seed.{}", target.name()));
    let Ok(file) = std::fs::File::create(&path) else {
        return Vec::new();
    };
    let written = match target {
        Target::Parquet => ParquetWriter::new(file).finish(&mut frame).map(|_| ()),
        Target::Arrow => IpcWriter::new(file).finish(&mut frame),
        Target::Json => JsonWriter::new(file)
            .with_json_format(JsonFormat::Json)
            .finish(&mut frame),
        Target::Ndjson => JsonWriter::new(file)
            .with_json_format(JsonFormat::JsonLines)
            .finish(&mut frame),
        _ => return Vec::new(),
    };
    match written {
        Ok(()) => std::fs::read(&path).into_iter().collect(),
        Err(_) => Vec::new(),
    }
}

/// A small deterministic random number generator (xorshift64*): a run is replayed from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that readers of text treat specially.
const TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"|",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"NaN",
    b"nan",
    b"inf",
    b"-inf",
    b"Infinity",
    b"1e308",
    b"-1e309",
    b"0",
    b"-0",
    b"1,5",
    b"9999999999999999999999",
    b"-9223372036854775809",
    b"4.9e-324",
    b"true",
    b"NA",
    b"null",
    b"#N/A",
    b"2026-02-30",
    b"control",
    b"treatment",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b"version: 99",
    b"Some(",
    b"None",
    b"r#\"",
    b"\\u{0}",
    b"\xc3\x28",
    b"\xf0\x9f",
];
const INTERESTING_BYTES: &[u8] = &[0, 1, 0x7f, 0x80, 0xff, b'0', b'9', b'-', b'.', b'e', b' '];

/// Words and numbers that replace a whole word or number of a text input: the text around
/// stays well-formed, so more inputs get past a parser (a project file's syntax) to what
/// follows it (types, ranges, references between parts).
const WORDS: &[&[u8]] = &[
    b"0",
    b"-1",
    b"1",
    b"0.5",
    b"-0.0",
    b"99",
    b"1e308",
    b"-1e309",
    b"4294967296",
    b"18446744073709551616",
    b"NaN",
    b"inf",
    b"-inf",
    b"true",
    b"false",
    b"None",
    b"Unknown",
    b"x",
    b"control",
    b"revenue",
];

/// One mutation of `input` for `target`. A project file is structured text, where most byte
/// changes end in the parser: half of its mutations only swap whole words or numbers (one to
/// three), which keeps the syntax and reaches the types and values behind it.
pub fn mutate_for(target: Target, rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    if target == Target::Project && rng.below(2) == 0 {
        let mut out = input.to_vec();
        for _ in 0..1 + rng.below(3) {
            swap_word(rng, &mut out);
        }
        out
    } else {
        mutate(rng, input, other)
    }
}

/// Replace a whole word or number of `out` with another (see `WORDS`), found from a few random
/// positions (nothing changes in an input without one).
fn swap_word(rng: &mut Rng, out: &mut Vec<u8>) {
    let len = out.len();
    if len == 0 {
        return;
    }
    let found = (0..64)
        .map(|_| rng.below(len))
        .find(|&i| is_word_byte(out[i]));
    if let Some(i) = found {
        let start = out[..i]
            .iter()
            .rposition(|&b| !is_word_byte(b))
            .map_or(0, |p| p + 1);
        let end = out[i..]
            .iter()
            .position(|&b| !is_word_byte(b))
            .map_or(len, |p| i + p);
        let word = WORDS[rng.below(WORDS.len())];
        out.splice(start..end, word.iter().copied());
    }
}

/// One mutation of `input` (several stacked now and then); `other` is another seed to splice.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let stacked = 1 + rng.below(4);
    for _ in 0..stacked {
        let len = out.len();
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                out[i] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
            }
            2 => {
                let i = rng.below(len + 1);
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(i..i, token.iter().copied());
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                out.drain(start..end);
            }
            4 if len > 0 => {
                // Repeat a range (long lines, many rows, deep nesting).
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                let piece = out[start..end].to_vec();
                let times = 1 + rng.below(64);
                let at = rng.below(len + 1);
                let repeated: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                out.splice(at..at, repeated);
            }
            5 if !other.is_empty() => {
                // Splice a range of another seed in.
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(512)).min(other.len());
                let at = rng.below(len + 1);
                out.splice(at..at, other[start..end].iter().copied());
            }
            6 if len > 0 => out.truncate(rng.below(len)),
            7 if len > 1 => {
                // Overwrite with random bytes.
                let start = rng.below(len);
                let end = (start + 1 + rng.below(16)).min(len);
                for b in &mut out[start..end] {
                    *b = (rng.next() & 0xff) as u8;
                }
            }
            8 if len > 8 => {
                // Swap two ranges' bytes (moves structure around in binary formats).
                let a = rng.below(len - 4);
                let b = rng.below(len - 4);
                for k in 0..4 {
                    out.swap(a + k, b + k);
                }
            }
            9 => swap_word(rng, &mut out),
            _ => {
                let i = rng.below(len + 1);
                out.insert(i, (rng.next() & 0xff) as u8);
            }
        }
    }
    out.truncate(MAX_INPUT_BYTES);
    out
}

/// A byte of a word or a number (letters, digits, `.`, `-`, `+`, `_`).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'_')
}

/// The column names in the first line of a text input (for choosing columns to read).
fn header_names(bytes: &[u8], delimiter: u8) -> Vec<String> {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split(delimiter as char)
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Run one input through a target's reader. Errors are fine (they are what a bad file gets);
/// returns a short description of the outcome.
pub fn run_one(target: Target, input: &[u8], scratch: &Path) -> String {
    // Each input gets a file of its own, removed (unlinked, never truncated) after the run:
    // polars maps files into memory, and a mapped file cut short under a reader that is
    // still running would crash the process with SIGBUS.
    let n = INPUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = scratch.join(format!("input-{n}.{}", target.extension()));
    if std::fs::write(&path, input).is_err() {
        return "could not write the input".into();
    }
    let outcome = run_file(target, input, &path);
    let _ = std::fs::remove_file(&path);
    outcome
}

fn run_file(target: Target, input: &[u8], path: &Path) -> String {
    let path = path.to_path_buf();
    let options = ImportOptions::default();
    let control = ReadControl::default();
    match target {
        Target::Project => match throughline::io::load_project(&path) {
            Ok(project) => {
                // A project that loads must also save, load again and save the same text
                // (compared as text: a NaN in a cached result is never equal to itself).
                let text = throughline::io::project_to_string(&project).expect("serialises");
                let again = throughline::io::parse_project(&text, &path).expect("reloads");
                let text_again = throughline::io::project_to_string(&again).expect("serialises");
                assert_eq!(text_again, text, "a loaded project survives a save");
                "loaded".into()
            }
            Err(e) => format!("error: {e}"),
        },
        Target::Summary => {
            let names = header_names(input, b',');
            let Some(variant) = names.first().cloned() else {
                return preview_outcome(&path, &options);
            };
            let metrics: Vec<(String, SummaryColumns)> =
                ["revenue", "converted", "metric", "value"]
                    .iter()
                    .filter_map(|m| Some((m.to_string(), find_summary_columns(&names, m)?)))
                    .collect();
            match read_experiment_summary(&path, &options, &variant, &metrics, &control) {
                Ok(data) => format!("{} variants", data.variant_rows.len()),
                Err(e) => format!("error: {e}"),
            }
        }
        _ => {
            let mut outcome = preview_outcome(&path, &options);
            if target == Target::Excel {
                let _ = sheet_names(&path);
            }
            let delimiter = if target == Target::Tsv { b'\t' } else { b',' };
            let mut names = header_names(input, delimiter);
            if names.len() < 2 {
                names = vec!["variant".into(), "revenue".into(), "converted".into()];
            }
            let metrics: Vec<String> = names[1..].iter().take(3).cloned().collect();
            match read_experiment(&path, &options, &names[0], &metrics, &control) {
                Ok(data) => outcome.push_str(&format!("; {} variants", data.variant_rows.len())),
                Err(e) => outcome.push_str(&format!("; error: {e}")),
            }
            if let [x, y, ..] = &metrics[..] {
                let _ = read_pairs(&path, &options, x, y, &control);
            }
            // Per-experiment effects: the first column as the experiment, the second as the
            // variant, the rest as metrics.
            if let [experiment, variant, rest @ ..] = &names[..] {
                let columns = EffectColumns {
                    experiment,
                    variant,
                    control: "control",
                    metrics: &rest[..rest.len().min(2)],
                };
                let _ = read_effects(&path, &options, columns, &control);
            }
            outcome
        }
    }
}

fn preview_outcome(path: &Path, options: &ImportOptions) -> String {
    match import_preview(path, None, options, &[]) {
        Ok(imported) => format!("{} columns", imported.dataset.columns.len()),
        Err(e) => format!("error: {e}"),
    }
}
