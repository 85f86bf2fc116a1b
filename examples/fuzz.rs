//! The fuzz driver (stable Rust): mutates seed files and feeds them to one reader of untrusted
//! input, catching panics, hangs and memory blow-ups.
//!
//! ```sh
//! cargo run --release --example fuzz -- TARGET RUNS [--seed N] [--out DIR]
//! cargo run --release --example fuzz -- all 1000000
//! ```
//! TARGET is one of project, csv, tsv, parquet, json, ndjson, arrow, excel, summary, or `all`.
//! Inputs that crash (panic), hang (over 5 s of CPU time, or 60 s of wall-clock time) or push the peak memory past 1 GB are saved in
//! DIR (default `fuzz-crashes/`, git-ignored) to become regression tests
//! (`tests/fuzz_regressions/`). Results are recorded in docs/RELIABILITY.md.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/fuzzing/mod.rs"]
mod fuzzing;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fuzzing::{HANG_SECS, Rng, Target, mutate_for, run_one, seeds};

const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: fuzz TARGET|all RUNS [--seed N] [--out DIR]";
    let (Some(target), Some(runs)) = (
        args.first(),
        args.get(1).and_then(|r| r.parse::<u64>().ok()),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(flag("--out").unwrap_or_else(|| "fuzz-crashes".into()));
    let targets: Vec<Target> = if target == "all" {
        Target::ALL.to_vec()
    } else if let Some(t) = Target::from_name(target) {
        vec![t]
    } else {
        eprintln!("unknown target {target:?}; {usage}");
        std::process::exit(2);
    };
    // Panics are counted and their inputs saved; their messages go to the report, not stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = false;
    for target in targets {
        failed |= fuzz(target, runs, seed, &out);
    }
    std::process::exit(i32::from(failed));
}

/// A run that takes longer than this in wall-clock time counts as a hang even if it uses no CPU
/// (a deadlock); [`HANG_SECS`] applies to the CPU time the process spends on one input, so that
/// a campaign sharing a busy machine with other work does not report slow turns as hangs.
const HANG_WALL_SECS: u64 = 60;

/// CPU time (user + system) this process has used so far, in ms (`/proc/self/stat`, clock
/// ticks of 10 ms); 0 where that file cannot be read.
fn cpu_ms() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces): utime and
    // stime are the 12th and 13th of them (fields 14 and 15 of the whole line).
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks * 10
}

/// Peak resident memory of this process so far, in KB (`VmHWM`).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn save(out: &Path, target: Target, run: u64, input: &[u8], why: &str) {
    let _ = std::fs::create_dir_all(out);
    let base = out.join(format!("{}-{run}", target.name()));
    let _ = std::fs::write(base.with_extension("bin"), input);
    let _ = std::fs::write(base.with_extension("txt"), why);
    println!("  saved {} ({why})", base.with_extension("bin").display());
}

/// Fuzz one target; returns whether anything was found.
fn fuzz(target: Target, runs: u64, seed: u64, out: &Path) -> bool {
    let scratch = tempfile::tempdir().expect("scratch folder");
    let mut corpus = seeds(target, scratch.path());
    if corpus.is_empty() {
        println!("{}: no seed files found", target.name());
        return true;
    }
    let seed_count = corpus.len();
    // The watchdog: the start of the run under way (ms since `epoch`, 0 between runs).
    let epoch = Instant::now();
    let started_ms = Arc::new(AtomicU64::new(0));
    let run_no = Arc::new(AtomicU64::new(0));
    // The process's CPU time at the start of the run under way.
    let started_cpu_ms = Arc::new(AtomicU64::new(0));
    {
        let started_ms = Arc::clone(&started_ms);
        let started_cpu_ms = Arc::clone(&started_cpu_ms);
        let run_no = Arc::clone(&run_no);
        let input_path = scratch.path().to_path_buf();
        let out = out.to_path_buf();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let start = started_ms.load(Ordering::Relaxed);
                let now = epoch.elapsed().as_millis() as u64;
                let cpu = cpu_ms().saturating_sub(started_cpu_ms.load(Ordering::Relaxed));
                let wall = now.saturating_sub(start);
                if start > 0 && (cpu > HANG_SECS * 1000 || wall > HANG_WALL_SECS * 1000) {
                    let run = run_no.load(Ordering::Relaxed);
                    println!("HANG in {} at run {run}", target.name());
                    if let Some(input) = std::fs::read_dir(&input_path)
                        .ok()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| e.ok())
                        .find(|e| e.file_name().to_string_lossy().starts_with("input-"))
                        .and_then(|e| std::fs::read(e.path()).ok())
                    {
                        save(
                            &out,
                            target,
                            run,
                            &input,
                            "hang: over 5 s of CPU time or 60 s in all",
                        );
                    }
                    std::process::exit(3);
                }
            }
        });
    }
    let mut rng = Rng::new(seed ^ (target as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut outcomes = std::collections::HashSet::new();
    let (mut crashes, mut slowest, mut errors) = (0u64, Duration::ZERO, 0u64);
    let mut memory_flagged = false;
    let start = Instant::now();
    for run in 0..runs {
        let a = rng.below(corpus.len());
        let b = rng.below(corpus.len());
        let input = mutate_for(target, &mut rng, &corpus[a], &corpus[b]);
        run_no.store(run, Ordering::Relaxed);
        started_cpu_ms.store(cpu_ms(), Ordering::Relaxed);
        started_ms.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let t = Instant::now();
        let result = std::panic::catch_unwind(|| run_one(target, &input, scratch.path()));
        let took = t.elapsed();
        started_ms.store(0, Ordering::Relaxed);
        slowest = slowest.max(took);
        match result {
            Ok(outcome) => {
                if outcome.starts_with("error") {
                    errors += 1;
                }
                // A new kind of outcome: keep the input to mutate further (a cheap stand-in
                // for coverage feedback). The kind is the outcome without its numbers.
                let kind: String = outcome
                    .chars()
                    .filter(|c| !c.is_ascii_digit())
                    .take(90)
                    .collect();
                if outcomes.insert(kind) && corpus.len() < 4000 {
                    corpus.push(input.clone());
                }
            }
            Err(panic) => {
                crashes += 1;
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into());
                println!("CRASH in {} at run {run}: {message}", target.name());
                save(out, target, run, &input, &format!("panic: {message}"));
            }
        }
        if !memory_flagged && peak_kb() > MEMORY_LIMIT_KB {
            memory_flagged = true;
            println!("MEMORY over 1 GB in {} at run {run}", target.name());
            save(out, target, run, &input, "peak memory over 1 GB");
        }
        if (run + 1) % 50_000 == 0 {
            println!(
                "  {}: {} runs, {:.0}/s, {crashes} crashes, slowest {:.0} ms, peak {} MB",
                target.name(),
                run + 1,
                (run + 1) as f64 / start.elapsed().as_secs_f64(),
                slowest.as_secs_f64() * 1e3,
                peak_kb() / 1024
            );
        }
    }
    println!(
        "{}: {runs} runs from {seed_count} seeds in {:.0} s ({:.0}/s); {errors} refused with an \
         error, {} outcome kinds, corpus {}; crashes {crashes}, hangs 0, slowest run {:.0} ms, \
         peak memory {} MB",
        target.name(),
        start.elapsed().as_secs_f64(),
        runs as f64 / start.elapsed().as_secs_f64(),
        outcomes.len(),
        corpus.len(),
        slowest.as_secs_f64() * 1e3,
        peak_kb() / 1024
    );
    crashes > 0 || memory_flagged
}
