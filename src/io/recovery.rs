//! Recovery copies: written periodically while a project has unsaved changes, offered back after
//! a crash, removed when the project is saved or closed on purpose.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ProjectFileError, RecoveryCopy, recovery_to_string, replace_atomically};

const RECOVERY_FILE: &str = "recovery.ron";

/// Where the recovery copy lives inside `dir`.
pub fn recovery_file(dir: &Path) -> PathBuf {
    dir.join(RECOVERY_FILE)
}

/// Write the recovery copy into `dir` (created if needed).
pub fn write_recovery(dir: &Path, copy: &RecoveryCopy) -> Result<(), ProjectFileError> {
    let text = recovery_to_string(copy)?;
    fs::create_dir_all(dir).map_err(|source| ProjectFileError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = recovery_file(dir);
    replace_atomically(&path, text.as_bytes())
}

/// The recovery copy left in `dir` by a session that did not end cleanly, if any. A copy that
/// cannot be read is removed, since there is nothing to offer.
pub fn read_recovery(dir: &Path) -> Option<RecoveryCopy> {
    let path = recovery_file(dir);
    let text = fs::read_to_string(&path).ok()?;
    match ron::from_str::<RecoveryCopy>(&text) {
        Ok(copy) => Some(copy),
        Err(_) => {
            let _ = fs::remove_file(&path);
            None
        }
    }
}

/// Remove the recovery copy (after a save, or when the user discards it).
pub fn clear_recovery(dir: &Path) {
    let _ = fs::remove_file(recovery_file(dir));
}

/// When a recovery copy was written, in words: "on 2026-11-28 at 22:41 UTC".
pub fn written_when(written_unix_secs: i64) -> String {
    if written_unix_secs <= 0 {
        return "at an unknown time".to_string();
    }
    let days = written_unix_secs.div_euclid(86_400);
    let secs = written_unix_secs.rem_euclid(86_400);
    format!(
        "on {} at {:02}:{:02} UTC",
        crate::format::date(days as f64),
        secs / 3600,
        (secs % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::written_when;

    #[test]
    fn the_time_of_a_copy_in_words() {
        assert_eq!(written_when(1_795_905_660), "on 2026-11-28 at 22:41 UTC");
        assert_eq!(written_when(0), "at an unknown time");
    }
}
