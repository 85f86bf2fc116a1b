//! `throughline upgrade PROJECT.ron ...`: rewrite project files in the current format version
//! (CONTRACT.md). Each file is written atomically with its previous version kept as `.bak`, so
//! killing the process at any moment leaves every file either as it was or fully upgraded.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::io::{
    ProjectFileError, backup_path, parse_project, project_to_string, project_version,
    read_project_text, write_atomically,
};
use crate::model::CURRENT_VERSION;

/// What became of one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Upgraded {
    /// The file was already in the current version: rewritten byte for byte as it was.
    AlreadyCurrent,
    /// The file was converted from this older version.
    From(u32),
}

/// Upgrade every file; a file that fails is reported and the others still go ahead.
pub fn run(paths: &[PathBuf]) -> ExitCode {
    let mut lines = Vec::new();
    let mut failed = false;
    for path in paths {
        match upgrade_file(path) {
            Ok(Upgraded::AlreadyCurrent) => lines.push(format!(
                "\"{}\" is already in the current format (version {CURRENT_VERSION}): rewritten \
                 unchanged.",
                path.display()
            )),
            Ok(Upgraded::From(old)) => lines.push(format!(
                "\"{}\" upgraded from format version {old} to {CURRENT_VERSION}; the previous \
                 file is kept as \"{}\".",
                path.display(),
                backup_path(path).display()
            )),
            Err(e) => {
                super::print_error(&e.to_string());
                failed = true;
            }
        }
    }
    if !lines.is_empty() {
        super::print_text(&lines.join("\n"));
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Rewrite one project file in the current format version, atomically, keeping `.bak`.
pub fn upgrade_file(path: &Path) -> Result<Upgraded, ProjectFileError> {
    let text = read_project_text(path)?;
    let version = project_version(&text, path)?;
    // Parsing checks the file whole (and refuses a newer version) before anything is written.
    let project = parse_project(&text, path)?;
    if version == CURRENT_VERSION {
        write_atomically(path, text.as_bytes())?;
        return Ok(Upgraded::AlreadyCurrent);
    }
    let upgraded = project_to_string(&project)?;
    write_atomically(path, upgraded.as_bytes())?;
    Ok(Upgraded::From(version))
}
