//! Reading and writing `.ron` project files: pretty, stable, atomic, versioned.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{CURRENT_VERSION, Project};

/// Why a project file could not be read or written. Each message is a plain sentence that names
/// the file and, for a syntax problem, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum ProjectFileError {
    #[error("Could not open \"{path}\": {source}.")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("\"{path}\" is empty, so it holds no project.")]
    Empty { path: PathBuf },
    #[error(
        "\"{path}\" is not a Throughline project file: it is not text (it may be a binary or \
         data file)."
    )]
    NotText { path: PathBuf },
    #[error(
        "\"{path}\" could not be read at line {line}, column {column}: {problem}. The file may \
         be incomplete or have been edited by hand; the last saved version may be in \"{backup}\"."
    )]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        problem: String,
        backup: String,
    },
    #[error(
        "\"{path}\" was written by a newer Throughline (project format version {found}; this \
         version reads up to {supported}). Please update Throughline to open it; the file has not \
         been changed."
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "\"{path}\" could not be opened: {what} is {value}, not a number. The file may have \
         been edited by hand; write a number there in a text editor (the file has not been \
         changed)."
    )]
    NotANumber {
        path: PathBuf,
        what: String,
        value: String,
    },
    #[error("Could not save \"{path}\": {source}. The previous file, if any, is unchanged.")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Could not turn the project into text: {0}.")]
    Serialize(String),
}

impl ProjectFileError {
    /// Line and column of a syntax problem, when known.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ProjectFileError::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// The pretty-printing used for every project file: stable field order, one field per line.
fn pretty_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
}

/// The project as RON text, exactly as it is saved.
pub fn project_to_string(project: &Project) -> Result<String, ProjectFileError> {
    let mut project = project.clone();
    project.version = CURRENT_VERSION;
    let mut text = ron::ser::to_string_pretty(&project, pretty_config())
        .map_err(|e| ProjectFileError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Only the version of a project file, read before the rest so that a newer file is refused
/// with a clear message instead of a confusing syntax error.
#[derive(Deserialize)]
#[serde(rename = "Project")]
struct VersionProbe {
    /// A file without a version predates versioning: it is version 0.
    #[serde(default)]
    version: u32,
}

/// The format version of project text (0 for a file written before files carried one).
/// `path` is used only in messages.
pub fn project_version(text: &str, path: &Path) -> Result<u32, ProjectFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ProjectFileError::Empty {
            path: path.to_path_buf(),
        });
    }
    let probe: VersionProbe = ron::from_str(text).map_err(|e| syntax_error(path, &e))?;
    Ok(probe.version)
}

/// Parse project text. `path` is used only in messages.
pub fn parse_project(text: &str, path: &Path) -> Result<Project, ProjectFileError> {
    let version = project_version(text, path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if version > CURRENT_VERSION {
        return Err(ProjectFileError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    let project = if version < CURRENT_VERSION {
        super::migrate(text, version).map_err(|e| syntax_error(path, &e))?
    } else {
        let mut project: Project = ron::from_str(text).map_err(|e| syntax_error(path, &e))?;
        project.version = CURRENT_VERSION;
        project
    };
    if let Some((what, value)) = super::project_numbers::first_non_finite(&project) {
        return Err(ProjectFileError::NotANumber {
            path: path.to_path_buf(),
            what,
            value: if value.is_nan() {
                "NaN".to_string()
            } else {
                "infinite".to_string()
            },
        });
    }
    Ok(project)
}

fn syntax_error(path: &Path, e: &ron::error::SpannedError) -> ProjectFileError {
    ProjectFileError::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        problem: plain_ron_problem(&e.code),
        backup: backup_path(path).display().to_string(),
    }
}

/// RON's own message, made a little friendlier where it helps.
fn plain_ron_problem(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends too early (it may have been cut off)".to_string(),
        E::UnexpectedChar(c) => format!("unexpected character '{}'", c.escape_debug()),
        E::Utf8Error(_) => "the file is not valid UTF-8 text".to_string(),
        other => {
            let msg = other.to_string();
            msg.trim_end_matches('.').to_string()
        }
    }
}

/// Read and parse a project file.
pub fn load_project(path: &Path) -> Result<Project, ProjectFileError> {
    let text = read_project_text(path)?;
    parse_project(&text, path)
}

/// The text of a project file, refused with a clear message when the file is empty or not text.
pub fn read_project_text(path: &Path) -> Result<String, ProjectFileError> {
    let bytes = fs::read(path).map_err(|source| ProjectFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.is_empty() {
        return Err(ProjectFileError::Empty {
            path: path.to_path_buf(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(text),
        _ => Err(ProjectFileError::NotText {
            path: path.to_path_buf(),
        }),
    }
}

/// `NAME.ron` -> `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Save a project atomically: write a temporary file beside the target, flush it to disk, copy
/// the previous file to `NAME.ron.bak`, then rename the temporary file over the target. If any
/// step fails the previous file is left as it was.
pub fn save_project(project: &Project, path: &Path) -> Result<(), ProjectFileError> {
    let text = project_to_string(project)?;
    write_atomically(path, text.as_bytes())
}

/// Write bytes to `path` atomically, keeping the previous file as `NAME.bak`.
///
/// Killing the process at any moment leaves `path` either as it was or fully written, and
/// `NAME.bak` either as it was or a full copy of the previous file: each is first written
/// completely to a temporary file beside it, flushed, then renamed into place (a rename within
/// one folder is atomic).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ProjectFileError> {
    write_replacing(path, bytes, true)
}

/// Write bytes to `path` atomically without keeping a backup (recovery copies).
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> Result<(), ProjectFileError> {
    write_replacing(path, bytes, false)
}

fn write_replacing(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), ProjectFileError> {
    let write_err = |source| ProjectFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // A file whose permissions say read-only is not replaced: the rename below would replace
    // it anyway (a rename needs only the folder's permission, and the root user passes every
    // check), but someone marked it so that it would not change.
    if fs::metadata(path).is_ok_and(|m| m.permissions().readonly()) {
        return Err(write_err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only (its permissions do not allow writing); save under another \
             name, or make the file writable first",
        )));
    }
    let tmp = temporary_beside(path);
    let result = (|| {
        write_synced(&tmp, bytes)?;
        if keep_backup && path.exists() {
            let backup = backup_path(path);
            let backup_tmp = temporary_beside(&backup);
            let copied = fs::read(path).and_then(|old| write_synced(&backup_tmp, &old));
            if let Err(e) = copied.and_then(|()| fs::rename(&backup_tmp, &backup)) {
                let _ = fs::remove_file(&backup_tmp);
                return Err(e);
            }
        }
        fs::rename(&tmp, path)?;
        // Make the renames themselves durable where the platform allows it.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(write_err)
}

/// `.NAME.PID.tmp` in the folder of `path`.
fn temporary_beside(path: &Path) -> PathBuf {
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()))
}

/// Create `path`, write `bytes` and flush them to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A project together with the file it came from, as the recovery copy stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecoveryCopy {
    pub version: u32,
    /// Where the project was saved, if it ever was.
    pub original_path: Option<PathBuf>,
    /// When the copy was written.
    pub written_unix_secs: i64,
    pub project: Project,
}

impl Default for RecoveryCopy {
    fn default() -> Self {
        Self {
            version: CURRENT_VERSION,
            original_path: None,
            written_unix_secs: 0,
            project: Project::default(),
        }
    }
}

/// The RON text of a recovery copy.
pub fn recovery_to_string(copy: &RecoveryCopy) -> Result<String, ProjectFileError> {
    ron::ser::to_string_pretty(copy, pretty_config())
        .map_err(|e| ProjectFileError::Serialize(e.to_string()))
}
