//! Project links to data files: fingerprints (size, modified time, content hash), importing a
//! file as a [`Dataset`], noticing a missing or changed file, and relinking a moved one.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::io::{relative_to, resolve};
use crate::model::{ColumnSpec, DataShape, Dataset, Fingerprint, ImportOptions};

use super::error::DataError;
use super::preview::{PREVIEW_ROWS, Preview, preview_from_head};
use super::roles::{detect_roles, detect_shape, merge_roles};
use super::source::Source;

/// Size, modification time and xxh3 content hash of a file (reads the whole file).
pub fn fingerprint(path: &Path) -> Result<Fingerprint, DataError> {
    let meta = std::fs::metadata(path).map_err(|e| DataError::io(path, &e))?;
    let mut file = File::open(path).map_err(|e| DataError::io(path, &e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| DataError::io(path, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(Fingerprint {
        size_bytes: meta.len(),
        modified_unix_secs: modified_secs(&meta),
        content_hash: format!("{:016x}", hasher.digest()),
    })
}

fn modified_secs(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Where a dataset's file stands compared with when it was last read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    /// Same size and content as before.
    Unchanged,
    /// Same content, but touched (modified time differs): the fingerprint can be refreshed.
    Touched(Fingerprint),
    /// The content differs.
    Changed(Fingerprint),
    /// The file is not where the project says.
    Missing { path: PathBuf },
    /// No fingerprint was stored (e.g. a hand-written project): the current one.
    NotFingerprinted(Fingerprint),
}

impl LinkStatus {
    /// A sentence for the banner on the Data page; `None` when all is well.
    pub fn message(&self, dataset: &Dataset) -> Option<String> {
        match self {
            LinkStatus::Unchanged | LinkStatus::Touched(_) | LinkStatus::NotFingerprinted(_) => {
                None
            }
            LinkStatus::Changed(_) => Some(format!(
                "The file of \"{}\" has changed since it was added. Results computed from the \
                 old file are still shown; run the analyses again to update them.",
                dataset.name
            )),
            LinkStatus::Missing { path } => Some(format!(
                "The file of \"{}\" was not found at \"{}\". It may have been moved or renamed. \
                 Use \"Locate file…\" to point to it; the results computed before stay visible.",
                dataset.name,
                path.display()
            )),
        }
    }

    pub fn is_problem(&self) -> bool {
        matches!(self, LinkStatus::Changed(_) | LinkStatus::Missing { .. })
    }
}

/// The file a dataset points at, resolved against the project's folder.
pub fn dataset_path(dataset: &Dataset, base_dir: Option<&Path>) -> PathBuf {
    match base_dir {
        Some(dir) => resolve(&dataset.path, dir),
        None => dataset.path.clone(),
    }
}

/// Check a dataset's file against its fingerprint. Cheap when size and modified time match
/// (no hashing); otherwise the file is hashed.
pub fn check_link(dataset: &Dataset, base_dir: Option<&Path>) -> LinkStatus {
    let path = dataset_path(dataset, base_dir);
    let Ok(meta) = std::fs::metadata(&path) else {
        return LinkStatus::Missing { path };
    };
    if meta.is_dir() {
        return LinkStatus::Missing { path };
    }
    let Some(old) = &dataset.fingerprint else {
        return match fingerprint(&path) {
            Ok(fp) => LinkStatus::NotFingerprinted(fp),
            Err(_) => LinkStatus::Missing { path },
        };
    };
    if meta.len() == old.size_bytes && modified_secs(&meta) == old.modified_unix_secs {
        return LinkStatus::Unchanged;
    }
    if meta.len() != old.size_bytes {
        return match fingerprint(&path) {
            Ok(fp) => LinkStatus::Changed(fp),
            Err(_) => LinkStatus::Missing { path },
        };
    }
    match fingerprint(&path) {
        Ok(fp) if fp.content_hash == old.content_hash => LinkStatus::Touched(fp),
        Ok(fp) => LinkStatus::Changed(fp),
        Err(_) => LinkStatus::Missing { path },
    }
}

/// A dataset read from a file, with the preview shown while the rest is computed.
#[derive(Clone, Debug)]
pub struct Imported {
    pub dataset: Dataset,
    pub preview: Preview,
}

/// Read the start of a file and describe it as a dataset: format, columns with detected roles,
/// shape and fingerprint. `base_dir` is the project's folder (paths are stored relative to it
/// where possible); `taken_ids` are the ids already in the project.
pub fn import_file(
    path: &Path,
    base_dir: Option<&Path>,
    options: &ImportOptions,
    taken_ids: &[String],
) -> Result<Imported, DataError> {
    let mut imported = import_preview(path, base_dir, options, taken_ids)?;
    imported.dataset.fingerprint = Some(fingerprint(path)?);
    Ok(imported)
}

/// Like [`import_file`] without the fingerprint, which reads the whole file: what the Data
/// page shows first. Compute the fingerprint afterwards with [`fingerprint`].
pub fn import_preview(
    path: &Path,
    base_dir: Option<&Path>,
    options: &ImportOptions,
    taken_ids: &[String],
) -> Result<Imported, DataError> {
    let source = Source::open(path, options)?;
    let head = source.head(PREVIEW_ROWS)?;
    let preview = preview_from_head(&source, &head);
    let columns = detect_roles(&head);
    let shape = detect_shape(&columns, preview.total_rows.value());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let dataset = Dataset {
        id: unique_id(path, taken_ids),
        name,
        path: stored_path(path, base_dir),
        format: Some(source.format()),
        fingerprint: None,
        shape,
        columns,
        options: options.clone(),
        ratio_metrics: Vec::new(),
    };
    Ok(Imported { dataset, preview })
}

/// The path to store: relative to the project's folder where possible, else absolute.
pub fn stored_path(path: &Path, base_dir: Option<&Path>) -> PathBuf {
    match base_dir {
        Some(dir) => relative_to(path, dir),
        None => crate::io::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// An id from the file name ("ab_test.csv" → "ab_test"), made unique.
pub fn unique_id(path: &Path, taken: &[String]) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut base = super::roles::normalise_name(&stem);
    if base.is_empty() {
        base = "data".into();
    }
    let mut id = base.clone();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}_{k}");
        k += 1;
    }
    id
}

/// What relinking found.
#[derive(Clone, Debug, PartialEq)]
pub struct Relinked {
    /// Whether the new file has the same content as the one the project knew.
    pub same_content: bool,
    /// Columns with a role that the new file does not have (their roles are dropped).
    pub missing_columns: Vec<String>,
    pub preview: Preview,
}

impl Relinked {
    /// A sentence for the status bar.
    pub fn message(&self, dataset: &Dataset) -> String {
        let mut text = if self.same_content {
            format!("\"{}\" now points to the moved file.", dataset.name)
        } else {
            format!(
                "\"{}\" now points to the new file, whose content differs from the old one: \
                 run the analyses again to update their results.",
                dataset.name
            )
        };
        if !self.missing_columns.is_empty() {
            text.push_str(&format!(
                " These columns are not in the new file: {}.",
                self.missing_columns
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        text
    }
}

/// Point a dataset at a new file ("Locate file..."): the file must be readable; roles are kept
/// for the columns it still has, and the fingerprint, format and shape are refreshed.
pub fn relink(
    dataset: &mut Dataset,
    new_path: &Path,
    base_dir: Option<&Path>,
) -> Result<Relinked, DataError> {
    let source = Source::open(new_path, &dataset.options)?;
    let head = source.head(PREVIEW_ROWS)?;
    let preview = preview_from_head(&source, &head);
    let fp = fingerprint(new_path)?;
    let same_content = dataset
        .fingerprint
        .as_ref()
        .is_some_and(|old| old.content_hash == fp.content_hash);
    let (columns, gone) = merge_roles(&dataset.columns, detect_roles(&head));
    let missing_columns = gone
        .into_iter()
        .filter(|name| {
            dataset
                .columns
                .iter()
                .any(|c| &c.name == name && c.role != crate::model::ColumnRole::Ignore)
        })
        .collect();
    dataset.path = stored_path(new_path, base_dir);
    dataset.fingerprint = Some(fp);
    dataset.format = Some(source.format());
    dataset.columns = columns;
    if dataset.shape == DataShape::Unknown {
        dataset.shape = detect_shape(&dataset.columns, preview.total_rows.value());
    }
    Ok(Relinked {
        same_content,
        missing_columns,
        preview,
    })
}

/// Places to look for a moved file: beside the project, in its `assets/` or `data/` folders
/// and their parents, by the same file name. The UI offers the first hit in "Locate file...".
pub fn find_moved(dataset: &Dataset, base_dir: Option<&Path>) -> Option<PathBuf> {
    let name = dataset.path.file_name()?;
    let dir = base_dir?;
    let mut candidates = Vec::new();
    for root in [Some(dir), dir.parent()].into_iter().flatten() {
        candidates.push(root.join(name));
        for sub in ["assets", "data"] {
            candidates.push(root.join(sub).join(name));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// Column specs by role, for callers that need e.g. "the variant column".
pub fn columns_with_role(dataset: &Dataset, role: crate::model::ColumnRole) -> Vec<&ColumnSpec> {
    dataset.columns.iter().filter(|c| c.role == role).collect()
}
