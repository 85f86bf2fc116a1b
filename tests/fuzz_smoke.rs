//! Fuzzing in the README's test command: a few thousand mutated inputs per reader of untrusted
//! input (the million-run campaigns use `examples/fuzz.rs`, see docs/RELIABILITY.md), and every
//! input a campaign ever found to crash, kept in `tests/fuzz_regressions/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fuzzing;

use fuzzing::{Rng, Target, mutate_for, run_one, seeds};

/// Runs per target here: enough to catch a reader that breaks on common damage, quick in a
/// debug build.
const RUNS: u64 = 2000;

fn smoke(target: Target) {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = seeds(target, scratch.path());
    assert!(!corpus.is_empty(), "{} has seed files", target.name());
    // Each seed as it is must be read without a panic.
    for seed in &corpus {
        run_one(target, seed, scratch.path());
    }
    let mut rng = Rng::new(0xF0_2026 + target as u64);
    for run in 0..RUNS {
        let a = rng.below(corpus.len());
        let b = rng.below(corpus.len());
        let input = mutate_for(target, &mut rng, &corpus[a], &corpus[b]);
        let result = std::panic::catch_unwind(|| run_one(target, &input, scratch.path()));
        if result.is_err() {
            let saved = std::env::temp_dir().join(format!("fuzz-{}-{run}.bin", target.name()));
            std::fs::write(&saved, &input).unwrap();
            panic!(
                "{} crashed on mutated input {run} (saved as {})",
                target.name(),
                saved.display()
            );
        }
    }
}

#[test]
fn project_loader() {
    smoke(Target::Project);
}
#[test]
fn csv_reader() {
    smoke(Target::Csv);
}
#[test]
fn tsv_reader() {
    smoke(Target::Tsv);
}
#[test]
fn parquet_reader() {
    smoke(Target::Parquet);
}
#[test]
fn json_reader() {
    smoke(Target::Json);
}
#[test]
fn ndjson_reader() {
    smoke(Target::Ndjson);
}
#[test]
fn arrow_reader() {
    smoke(Target::Arrow);
}
#[test]
fn excel_reader() {
    smoke(Target::Excel);
}
#[test]
fn summary_statistics_reader() {
    smoke(Target::Summary);
}

/// Inputs a campaign saved (a crash, or a run that once looked like a hang), kept in
/// `tests/fuzz_regressions/TARGET-*.bin`: each must be read again without a panic.
#[test]
fn regressions_found_by_fuzzing() {
    let dir = fuzzing::repo_root().join("tests/fuzz_regressions");
    let scratch = tempfile::tempdir().unwrap();
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz_regressions") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "bin") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((target, _)) = name.split_once('-') else {
            continue;
        };
        let target = Target::from_name(target).expect("a target name");
        let input = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run_one(target, &input, scratch.path()));
        assert!(
            outcome.is_ok(),
            "{name} crashes the {target:?} reader again"
        );
        replayed += 1;
    }
    assert!(replayed >= 3, "the saved inputs were found");
}
