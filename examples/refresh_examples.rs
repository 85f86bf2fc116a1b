//! Brings the example projects in `projects/` up to date with the sample data in `assets/`:
//! each dataset is read again (format, column types, fingerprint; the roles written in the
//! project are kept) and every analysis on the Evidence page is computed and saved in the
//! project, so an example opens with its evidence ready and nothing to recompute.
//!
//! Run it after changing the examples' analyses or the sample data:
//!
//!     cargo run --release --example make_assets
//!     cargo run --release --example refresh_examples
//!
//! It prints what it did per project and exits with 1 if any analysis could not be computed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use throughline::app::evidence_jobs::compute_all_now;
use throughline::data;
use throughline::io::{load_project, project_to_string, write_atomically};
use throughline::model::{DataShape, Dataset};

fn main() -> ExitCode {
    // A development tool run from the checkout, so the checkout's folders are the right ones.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect(),
        Err(e) => {
            eprintln!("Cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    let mut failed = false;
    for path in &files {
        match refresh(path, &dir) {
            Ok(summary) => println!("{}: {summary}", file_name(path)),
            Err(problems) => {
                failed = true;
                eprintln!("{}:", file_name(path));
                for problem in problems {
                    eprintln!("  {problem}");
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn refresh(path: &Path, dir: &Path) -> Result<String, Vec<String>> {
    let mut project = load_project(path).map_err(|e| vec![e.to_string()])?;
    for dataset in &mut project.datasets {
        refresh_dataset(dataset, dir).map_err(|e| vec![e])?;
    }
    let problems = compute_all_now(&mut project, Some(dir));
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = project_to_string(&project).map_err(|e| vec![e.to_string()])?;
    write_atomically(path, text.as_bytes()).map_err(|e| vec![e.to_string()])?;
    let evidence = &project.evidence;
    Ok(format!(
        "{} datasets; {} experiments, {} links, {} thresholds, {} timelines, {} distributions, \
         {} meta-analyses computed; {} scenarios",
        project.datasets.len(),
        evidence.experiments.len(),
        evidence.links.len(),
        evidence.thresholds.len(),
        evidence.timelines.len(),
        evidence.distributions.len(),
        evidence.metas.len(),
        project.scenarios.len()
    ))
}

/// Read the dataset's file again as the Data page would, keeping the id, name, path and the
/// roles written in the project.
fn refresh_dataset(dataset: &mut Dataset, dir: &Path) -> Result<(), String> {
    let file = data::dataset_path(dataset, Some(dir));
    let imported = data::import_file(&file, Some(dir), &dataset.options, &[])
        .map_err(|e| format!("{}: {e}", dataset.name))?;
    let (columns, gone) = data::merge_roles(&dataset.columns, imported.dataset.columns);
    if !gone.is_empty() {
        return Err(format!(
            "{}: the project names columns the file does not have: {}",
            dataset.name,
            gone.join(", ")
        ));
    }
    dataset.columns = columns;
    dataset.format = imported.dataset.format;
    dataset.fingerprint = imported.dataset.fingerprint;
    if dataset.shape == DataShape::Unknown {
        dataset.shape = imported.dataset.shape;
    }
    Ok(())
}
