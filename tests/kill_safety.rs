#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Kill-safety (issue: nothing lost): a process killed with SIGKILL at any moment while it
//! rewrites a project file, or while it writes the recovery copy, leaves every file either as it
//! was or fully written, never broken. The test kills real processes at random moments, at least
//! 200 times for each writer, and reads every file back after each kill.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use throughline::io::{
    RecoveryCopy, backup_path, load_project, parse_project, recovery_file, write_recovery,
};
use throughline::model::Project;

const KILLS: usize = 200;
/// The loops stop after this long even if fewer kills were made (the test then fails).
const TIME_LIMIT: Duration = Duration::from_secs(240);

/// A small deterministic random number generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A duration between zero and `max`.
    fn below(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % nanos)
    }
}

fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("projects")
}

/// The largest example project.
fn largest_example() -> PathBuf {
    let mut best: Option<(u64, PathBuf)> = None;
    for entry in std::fs::read_dir(project_dir()).expect("projects folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ron") {
            let size = std::fs::metadata(&path).expect("metadata").len();
            if best.as_ref().is_none_or(|(s, _)| size > *s) {
                best = Some((size, path));
            }
        }
    }
    best.expect("an example project").1
}

/// The same project written in the oldest format (version 0: no `version` field, `title` and
/// `notes` for the name and description), which `upgrade` converts.
fn as_version_zero(current: &str) -> String {
    let mut out = String::with_capacity(current.len());
    for line in current.lines() {
        if line.starts_with("    version: ") {
            continue;
        }
        if let Some(rest) = line.strip_prefix("    name: ") {
            out.push_str("    title: ");
            out.push_str(rest);
        } else if let Some(rest) = line.strip_prefix("    description: ") {
            out.push_str("    notes: ");
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// Kill `child` with SIGKILL (no chance to clean up) and reap it.
fn kill(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn upgrade_command(path: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_throughline"));
    command
        .arg("upgrade")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

#[test]
fn killing_upgrade_at_any_moment_leaves_the_old_or_the_new_file() {
    let example = largest_example();
    let current = std::fs::read_to_string(&example).expect("example text");
    let old = as_version_zero(&current);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("project.ron");
    let bak = backup_path(&path);
    let expected = load_project(&example).expect("example loads");
    // The old text really is another version of the same project.
    assert_eq!(
        parse_project(&old, &path).expect("version 0 text loads"),
        expected
    );

    // One run without a kill gives the new text and how long a run takes.
    std::fs::write(&path, &old).expect("write old");
    let started = Instant::now();
    let status = upgrade_command(&path).status().expect("run upgrade");
    let run_time = started.elapsed();
    assert!(status.success());
    let new = std::fs::read_to_string(&path).expect("new text");
    assert_ne!(new, old, "the upgrade changes the file");
    assert_eq!(std::fs::read_to_string(&bak).expect("bak"), old);
    // A file already current is rewritten byte for byte.
    assert!(upgrade_command(&path).status().expect("run").success());
    assert_eq!(std::fs::read_to_string(&path).expect("text"), new);

    let mut rng = Rng(0x5EED_F00D);
    let mut kills = 0;
    let mut saw = [0usize; 2];
    let deadline = Instant::now() + TIME_LIMIT;
    while kills < KILLS && Instant::now() < deadline {
        // Start from the old file and an old backup.
        std::fs::write(&path, &old).expect("reset file");
        std::fs::write(&bak, "old backup").expect("reset bak");
        let child = upgrade_command(&path).spawn().expect("spawn upgrade");
        // Half the kills anywhere in the run, half in its last part, where the files are
        // written (the start is spent starting the process and reading the project).
        let delay = if kills % 2 == 0 {
            rng.below(run_time.mul_f64(1.2))
        } else {
            run_time.mul_f64(0.6) + rng.below(run_time.mul_f64(0.5))
        };
        std::thread::sleep(delay);
        kill(child);
        kills += 1;

        let text = std::fs::read_to_string(&path).expect("the file is still there");
        assert!(
            text == old || text == new,
            "after kill {kills} the project file is neither the old nor the new version \
             ({} bytes)",
            text.len()
        );
        saw[usize::from(text == new)] += 1;
        assert_eq!(load_project(&path).expect("loads after the kill"), expected);
        let backup = std::fs::read_to_string(&bak).expect("the backup is still there");
        assert!(
            backup == "old backup" || backup == old,
            "after kill {kills} the backup is neither the previous backup nor the old file \
             ({} bytes)",
            backup.len()
        );
    }
    assert!(kills >= KILLS, "only {kills} kills in the time limit");
    eprintln!(
        "{kills} kills: {} left the old file, {} the new one",
        saw[0], saw[1]
    );
}

/// Set in the child process that writes recovery copies until it is killed.
const RECOVERY_CHILD: &str = "THROUGHLINE_TEST_RECOVERY_WRITER";

fn recovery_copy(project: Project, n: i64) -> RecoveryCopy {
    RecoveryCopy {
        original_path: Some(PathBuf::from("/somewhere/project.ron")),
        written_unix_secs: n,
        project,
        ..RecoveryCopy::default()
    }
}

fn two_projects() -> (Project, Project) {
    let big = load_project(&largest_example()).expect("example loads");
    let mut other = big.clone();
    other.name = "Changed while unsaved".to_string();
    other
        .description
        .push_str(" And a note added before the crash.");
    (big, other)
}

/// Not a test of its own: the child process of the recovery test (it does nothing unless the
/// environment variable says so). It writes the two recovery copies in turn, forever.
#[test]
fn recovery_writer_child() {
    let Ok(dir) = std::env::var(RECOVERY_CHILD) else {
        return;
    };
    let (a, b) = two_projects();
    let copies = [recovery_copy(a, 1), recovery_copy(b, 2)];
    for i in 0.. {
        write_recovery(Path::new(&dir), &copies[i % 2]).expect("write recovery copy");
    }
}

#[test]
fn killing_the_recovery_writer_at_any_moment_leaves_a_whole_copy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = two_projects();
    let copies = [recovery_copy(a, 1), recovery_copy(b, 2)];
    write_recovery(dir.path(), &copies[0]).expect("first copy");
    let file = recovery_file(dir.path());

    let mut rng = Rng(0x00DD_BA11);
    let mut kills = 0;
    let deadline = Instant::now() + TIME_LIMIT;
    while kills < KILLS && Instant::now() < deadline {
        let child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["recovery_writer_child", "--exact", "--nocapture"])
            .env(RECOVERY_CHILD, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        // Starting the process and loading the project take a while; kill anywhere from
        // before the first write to well into the loop.
        std::thread::sleep(rng.below(Duration::from_millis(400)));
        kill(child);
        kills += 1;
        let text = std::fs::read_to_string(&file).expect("the recovery copy is still there");
        let copy: RecoveryCopy = ron::from_str(&text).unwrap_or_else(|e| {
            panic!("after kill {kills} the recovery copy is broken: {e}");
        });
        assert!(
            copy == copies[0] || copy == copies[1],
            "after kill {kills} the recovery copy is neither of the two written"
        );
    }
    assert!(kills >= KILLS, "only {kills} kills in the time limit");
}

#[test]
fn upgrade_goes_on_past_a_file_it_cannot_read_and_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.ron");
    let current = std::fs::read_to_string(largest_example()).expect("example");
    std::fs::write(&good, as_version_zero(&current)).expect("write");
    let missing = dir.path().join("missing.ron");
    let output = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .arg("upgrade")
        .arg(&missing)
        .arg(&good)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error:") && stderr.contains("missing.ron"),
        "{stderr}"
    );
    assert!(
        stdout.contains("good.ron") && stdout.contains("upgraded"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&good).expect("upgraded"), current);
    // No file at all is a usage error.
    let usage = Command::new(env!("CARGO_BIN_EXE_throughline"))
        .arg("upgrade")
        .output()
        .expect("run");
    assert_eq!(usage.status.code(), Some(2));
}
