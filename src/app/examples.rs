//! The example projects shipped in `projects/`, found relative to the executable (or the current
//! folder), never through a path baked in at build time.

use std::path::{Path, PathBuf};

/// An example project offered on the welcome screen.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleProject {
    pub path: PathBuf,
    pub name: String,
    pub description: String,
}

/// The `projects/` folder: beside the executable or up to four folders above it (which covers
/// `target/release/` in a source checkout), or where the Debian package installs it
/// (`/usr/share/throughline/projects` for `/usr/bin/throughline`), else in the current folder.
pub fn find_examples_dir() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        candidates.extend(examples_dir_candidates(&exe));
    }
    if let Ok(cwd) = std::env::current_dir() {
        candidates.push(cwd.join("projects"));
    }
    candidates.into_iter().find(|d| d.is_dir())
}

/// Where the examples may be for an executable at `exe`, nearest first: `projects/` in the
/// executable's folder and up to four folders above it, and the installed layout
/// `PREFIX/share/throughline/projects` for an executable in `PREFIX/bin`.
fn examples_dir_candidates(exe: &Path) -> Vec<PathBuf> {
    let mut candidates: Vec<PathBuf> = exe
        .ancestors()
        .skip(1)
        .take(5)
        .map(|d| d.join("projects"))
        .collect();
    if let Some(prefix) = exe.parent().and_then(Path::parent) {
        candidates.push(prefix.join("share").join("throughline").join("projects"));
    }
    candidates
}

/// Every readable project in `dir`, sorted by name.
pub fn list_examples(dir: &Path) -> Vec<ExampleProject> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut examples: Vec<ExampleProject> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .filter_map(|path| {
            let project = crate::io::load_project(&path).ok()?;
            Some(ExampleProject {
                name: project.display_name().to_string(),
                description: project.description.clone(),
                path,
            })
        })
        .collect();
    examples.sort_by(|a, b| a.name.cmp(&b.name));
    examples
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installed_binary_finds_the_examples_under_share() {
        let exe = Path::new("/opt/root/usr/bin/throughline");
        let candidates = examples_dir_candidates(exe);
        assert_eq!(candidates[0], Path::new("/opt/root/usr/bin/projects"));
        assert!(
            candidates.contains(&PathBuf::from("/opt/root/usr/share/throughline/projects")),
            "{candidates:?}"
        );
    }
}
