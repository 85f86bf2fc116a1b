//! Data import benchmark (issue 3, docs/PERFORMANCE.md "Data import").
//!
//! Each measurement runs in its own process so that its peak memory is its own:
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench data_import -- generate
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench data_import -- preview bench-data/rows_2m.csv
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench data_import -- stats bench-data/rows_2m.csv
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench data_import -- columns bench-data/rows_20m.csv
//! CARGO_TARGET_DIR=/work/target-release cargo bench --bench data_import -- stream bench-data/rows_20m.csv
//! ```
//!
//! `generate` writes `bench-data/rows_2m.csv` (2 million rows, 6 columns, about 70 MB) and
//! `bench-data/rows_20m.csv` (20 million rows, about 750 MB); `bench-data/` is git-ignored.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use polars::prelude::DataFrame;
use throughline::data::{self, BatchSink, Cell, DataError, Source};
use throughline::model::ImportOptions;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let file = args.get(1).map(PathBuf::from);
    start_sampler();
    match (command, file) {
        ("generate", _) => generate(),
        ("preview", Some(f)) => preview(&f),
        ("stats", Some(f)) => stats(&f),
        ("columns", Some(f)) => columns(&f),
        ("stream", Some(f)) => stream(&f),
        _ => println!(
            "usage: cargo bench --bench data_import -- generate | preview FILE | stats FILE | \
             columns FILE | stream FILE"
        ),
    }
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A line of /proc/self/status in MiB.
fn status_mib(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Highest private (anonymous) memory seen by the sampler thread, in MiB.
static PEAK_ANON_KIB: AtomicU64 = AtomicU64::new(0);

/// Sample the private memory every 5 ms: the kernel keeps a peak only for the total, which
/// also counts the pages of the file that the CSV reader maps (clean, reclaimable).
fn start_sampler() {
    std::thread::spawn(|| {
        loop {
            let kib = (status_mib("RssAnon:") * 1024.0) as u64;
            PEAK_ANON_KIB.fetch_max(kib, Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    });
}

fn report(what: &str, started: Instant) {
    println!(
        "{what}: {:.3} s, peak memory {:.0} MiB (of which private at most {:.0} MiB; \
         now {:.0} MiB private + {:.0} MiB of the file mapped)",
        started.elapsed().as_secs_f64(),
        peak_mib(),
        PEAK_ANON_KIB.load(Ordering::Relaxed) as f64 / 1024.0,
        status_mib("RssAnon:"),
        status_mib("RssFile:")
    );
}

fn generate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, rows) in [("rows_2m.csv", 2_000_000u64), ("rows_20m.csv", 20_000_000)] {
        let path = dir.join(name);
        let started = Instant::now();
        let file = std::fs::File::create(&path).unwrap();
        let mut out = BufWriter::with_capacity(1 << 20, file);
        writeln!(
            out,
            "user_id,variant,converted,revenue_usd,country,session_secs"
        )
        .unwrap();
        let mut state = 0x1234_5678_9abc_def0u64;
        let variants = ["control", "bigger_model", "reranker"];
        let countries = ["US", "DE", "GB", "FR", "ES", "BR"];
        for i in 0..rows {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let variant = variants[(state % 3) as usize];
            let converted = (state >> 8).is_multiple_of(10);
            let revenue = if converted {
                ((state >> 16) % 10_000) as f64 / 100.0
            } else {
                0.0
            };
            let country = countries[((state >> 24) % 6) as usize];
            let secs = ((state >> 32) % 60_000) as f64 / 10.0;
            writeln!(
                out,
                "u{i:09},{variant},{},{revenue:.2},{country},{secs:.1}",
                u8::from(converted)
            )
            .unwrap();
        }
        out.flush().unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "wrote {} ({} rows, {:.0} MB) in {:.1} s",
            path.display(),
            rows,
            size as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
}

/// What the Data page does before it shows the preview: open, sniff, first rows, roles and
/// shape (`data::import_preview`); then the fingerprint, which reads the whole file.
fn preview(file: &Path) {
    let started = Instant::now();
    let source = Source::open(file, &ImportOptions::default()).unwrap();
    let p = data::preview(&source).unwrap();
    report(
        &format!(
            "open + first {} rows ({} columns, {})",
            p.rows.len(),
            p.columns.len(),
            p.total_rows.describe()
        ),
        started,
    );
    let started = Instant::now();
    let imported = data::import_preview(file, None, &ImportOptions::default(), &[]).unwrap();
    report(
        &format!(
            "import_preview (what the Data page shows first: preview, roles, shape {:?})",
            imported.dataset.shape
        ),
        started,
    );
    let started = Instant::now();
    data::fingerprint(file).unwrap();
    report("fingerprint (size, time, xxh3 of the whole file)", started);
}

/// Missing counts, minimum and maximum of every column over the whole file.
fn stats(file: &Path) {
    let started = Instant::now();
    let source = Source::open(file, &ImportOptions::default()).unwrap();
    let stats = data::file_stats(&source, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    report(
        &format!("file_stats over {} rows, all columns", stats.rows),
        started,
    );
}

/// The columns one analysis needs (variant and a metric), read into memory.
fn columns(file: &Path) {
    let started = Instant::now();
    let source = Source::open(file, &ImportOptions::default()).unwrap();
    let df = source
        .read_columns(
            &["variant", "revenue_usd"],
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    report(
        &format!("read_columns(variant, revenue_usd) of {} rows", df.height()),
        started,
    );
    // Per-variant sums, the way an analysis aggregates: a small code per row, no copies.
    let mut names: Vec<String> = Vec::new();
    let mut codes: Vec<u32> = Vec::with_capacity(df.height());
    source
        .for_each_text(df.column("variant").unwrap(), |_, v| {
            let v = v.unwrap_or_default();
            let code = match names.iter().position(|n| n == v) {
                Some(c) => c,
                None => {
                    names.push(v.to_string());
                    names.len() - 1
                }
            };
            codes.push(code as u32);
        })
        .unwrap();
    let mut sums = vec![(0u64, 0.0f64); names.len()];
    source
        .for_each_number(df.column("revenue_usd").unwrap(), 0, false, |i, c| {
            if let (Cell::Value(x), Some(&code)) = (c, codes.get(i)) {
                let e = &mut sums[code as usize];
                e.0 += 1;
                e.1 += x;
            }
        })
        .unwrap();
    report(
        &format!("... + per-variant sums ({} variants)", sums.len()),
        started,
    );
}

/// The same two columns aggregated batch by batch (memory stays bounded).
fn stream(file: &Path) {
    struct Sums(HashMap<usize, (u64, f64)>, Source, Vec<String>);
    impl BatchSink for Sums {
        fn batch(&mut self, batch: &DataFrame, _first_row: u64) -> Result<(), DataError> {
            let mut codes: Vec<usize> = Vec::with_capacity(batch.height());
            let names = &mut self.2;
            self.1
                .for_each_text(batch.column("variant").unwrap(), |_, v| {
                    let v = v.unwrap_or_default();
                    let code = names.iter().position(|n| n == v).unwrap_or_else(|| {
                        names.push(v.to_string());
                        names.len() - 1
                    });
                    codes.push(code);
                })?;
            let sums = &mut self.0;
            self.1
                .for_each_number(batch.column("revenue_usd").unwrap(), 0, false, |i, c| {
                    if let (Cell::Value(x), Some(&code)) = (c, codes.get(i)) {
                        let e = sums.entry(code).or_default();
                        e.0 += 1;
                        e.1 += x;
                    }
                })
        }
        fn restart(&mut self) {
            self.0.clear();
            self.2.clear();
        }
    }
    let started = Instant::now();
    let source = Source::open(file, &ImportOptions::default()).unwrap();
    let mut sink = Sums(HashMap::new(), source.clone(), Vec::new());
    let mut last = 0.0f32;
    let rows = source
        .for_each_batch(
            &["variant", "revenue_usd"],
            &mut |p| last = p.fraction.unwrap_or(last),
            &AtomicBool::new(false),
            &mut sink,
        )
        .unwrap();
    report(
        &format!(
            "for_each_batch(variant, revenue_usd) of {rows} rows + per-variant sums ({} variants, last progress {last})",
            sink.0.len()
        ),
        started,
    );
}
