//! Paths stored in a project: relative to the project file where possible.

use std::path::{Component, Path, PathBuf};

/// Express `path` relative to `base_dir` when it lies below it (or a few levels beside it), so
/// that a project folder can be moved or shared as a whole. Otherwise the path is kept as given.
pub fn relative_to(path: &Path, base_dir: &Path) -> PathBuf {
    let (Ok(path_abs), Ok(base_abs)) = (absolute(path), absolute(base_dir)) else {
        return path.to_path_buf();
    };
    let path_parts: Vec<Component> = path_abs.components().collect();
    let base_parts: Vec<Component> = base_abs.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Nothing in common but the root (or a different drive): keep the absolute path.
    if common <= 1 {
        return path_abs;
    }
    let ups = base_parts.len() - common;
    if ups > 3 {
        return path_abs;
    }
    let mut rel = PathBuf::new();
    for _ in 0..ups {
        rel.push("..");
    }
    for part in &path_parts[common..] {
        rel.push(part.as_os_str());
    }
    rel
}

/// Resolve a stored path against the project's folder.
pub fn resolve(stored: &Path, base_dir: &Path) -> PathBuf {
    if stored.is_absolute() {
        stored.to_path_buf()
    } else {
        normalize(&base_dir.join(stored))
    }
}

/// An absolute, lexically normalised path (no `.` or `..`), without touching the file system
/// beyond reading the current directory.
pub fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    Ok(normalize(&std::path::absolute(path)?))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Re-express the dataset paths of `project`, stored relative to `old_dir` (or absolute when
/// `None`), relative to `new_dir` (or absolute when `None`). Used when a project is saved
/// somewhere else, or opened from an example as an unsaved copy.
pub fn rebase_dataset_paths(
    project: &mut crate::model::Project,
    old_dir: Option<&Path>,
    new_dir: Option<&Path>,
) {
    for dataset in &mut project.datasets {
        if dataset.path.as_os_str().is_empty() {
            continue;
        }
        let full = match old_dir {
            Some(dir) => resolve(&dataset.path, dir),
            None => absolute(&dataset.path).unwrap_or_else(|_| dataset.path.clone()),
        };
        dataset.path = match new_dir {
            Some(dir) => relative_to(&full, dir),
            None => full,
        };
    }
}

/// The full path of a stored data path that lies outside the project's folder `base_dir`
/// (`None` when it lies inside). A project sent by someone else may point anywhere; such paths
/// are shown as such, and never changed silently.
pub fn outside_folder(stored: &Path, base_dir: &Path) -> Option<PathBuf> {
    if stored.as_os_str().is_empty() {
        return None;
    }
    let full = resolve(stored, base_dir);
    let base = absolute(base_dir).unwrap_or_else(|_| base_dir.to_path_buf());
    let full_abs = absolute(&full).unwrap_or(full);
    (!full_abs.starts_with(&base)).then_some(full_abs)
}

/// The data files of `project` outside its folder `base_dir`, as full paths, in project order.
pub fn datasets_outside(project: &crate::model::Project, base_dir: &Path) -> Vec<PathBuf> {
    project
        .datasets
        .iter()
        .filter_map(|d| outside_folder(&d.path, base_dir))
        .collect()
}

/// A sentence about data files outside the project folder, for the status bar ("" for none).
/// It names the files; the Data page shows each one's full path (a status line with full paths
/// would run off the window).
pub fn outside_sentence(outside: &[PathBuf]) -> String {
    let name = |p: &PathBuf| {
        format!(
            "\"{}\"",
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    };
    match outside {
        [] => String::new(),
        [one] => format!(
            "It reads a data file outside the project folder, {}, kept as written (the Data \
             page shows where).",
            name(one)
        ),
        many => format!(
            "It reads {} data files outside the project folder, {}, kept as written (the Data \
             page shows where).",
            many.len(),
            many.iter().map(name).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_the_project_folder_is_relative() {
        let rel = relative_to(Path::new("/a/b/assets/x.csv"), Path::new("/a/b"));
        assert_eq!(rel, PathBuf::from("assets/x.csv"));
        assert_eq!(
            resolve(&rel, Path::new("/a/b")),
            PathBuf::from("/a/b/assets/x.csv")
        );
    }

    #[test]
    fn beside_the_project_folder_goes_up() {
        let rel = relative_to(Path::new("/a/assets/x.csv"), Path::new("/a/projects"));
        assert_eq!(rel, PathBuf::from("../assets/x.csv"));
        assert_eq!(
            resolve(&rel, Path::new("/a/projects")),
            PathBuf::from("/a/assets/x.csv")
        );
    }

    #[test]
    fn rebasing_keeps_pointing_at_the_same_file() {
        let mut project = crate::model::Project::default();
        project.datasets.push(crate::model::Dataset {
            path: PathBuf::from("../assets/x.csv"),
            ..Default::default()
        });
        rebase_dataset_paths(&mut project, Some(Path::new("/a/projects")), None);
        assert_eq!(project.datasets[0].path, PathBuf::from("/a/assets/x.csv"));
        rebase_dataset_paths(&mut project, None, Some(Path::new("/a/work")));
        assert_eq!(project.datasets[0].path, PathBuf::from("../assets/x.csv"));
    }

    #[test]
    fn far_away_stays_absolute() {
        let rel = relative_to(Path::new("/data/x.csv"), Path::new("/home/u/projects"));
        assert_eq!(rel, PathBuf::from("/data/x.csv"));
    }

    #[test]
    fn paths_outside_the_project_folder_are_found() {
        let base = Path::new("/home/u/projects/pricing");
        assert_eq!(outside_folder(Path::new("data/x.csv"), base), None);
        assert_eq!(outside_folder(Path::new("./x.csv"), base), None);
        assert_eq!(
            outside_folder(Path::new("../../../../etc/passwd"), base),
            Some(PathBuf::from("/etc/passwd"))
        );
        assert_eq!(
            outside_folder(Path::new("data/../../x.csv"), base),
            Some(PathBuf::from("/home/u/projects/x.csv"))
        );
        assert_eq!(
            outside_folder(Path::new("/data/x.csv"), base),
            Some(PathBuf::from("/data/x.csv"))
        );
        assert_eq!(
            outside_folder(Path::new("/home/u/projects/pricing/x.csv"), base),
            None
        );
        // A folder whose name merely starts the same is outside.
        assert_eq!(
            outside_folder(Path::new("../pricing-old/x.csv"), base),
            Some(PathBuf::from("/home/u/projects/pricing-old/x.csv"))
        );
    }
}
