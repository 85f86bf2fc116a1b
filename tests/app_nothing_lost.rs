//! Nothing the user made is lost when saving fails: the error names the path, the project stays
//! open with its changes and the unsaved mark, and a later save elsewhere works.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use egui_kittest::kittest::Queryable as _;

#[test]
fn a_save_that_fails_names_the_path_and_keeps_the_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    common::type_into(&mut h, "Project name", "Pricing workshop");

    // A missing folder, a "folder" that is a plain file, and a folder where the file should be.
    let plain = tmp.path().join("notes.txt");
    std::fs::write(&plain, "a file, not a folder").unwrap();
    let taken = tmp.path().join("taken.ron");
    std::fs::create_dir(&taken).unwrap();
    for target in [
        tmp.path().join("no such folder").join("pricing.ron"),
        plain.join("pricing.ron"),
        taken.clone(),
    ] {
        common::press_command(&mut h, egui::Key::S);
        common::answer_path_prompt(&mut h, &target);
        h.get_by_label("Something went wrong");
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        h.get_by_label_contains(&format!("Could not save \"{}", tmp.path().display()));
        h.get_by_label_contains(&name);
        common::click(&mut h, "OK");
        assert!(
            h.query_by_label("Something went wrong").is_none(),
            "shown once"
        );
        let app = h.state();
        assert_eq!(
            app.project().unwrap().name,
            "Pricing workshop",
            "nothing lost"
        );
        assert!(app.is_dirty(), "still unsaved");
        assert!(
            app.window_title().starts_with('*'),
            "the unsaved mark stays"
        );
    }
    assert!(taken.is_dir(), "the folder in the way is untouched");

    // Saving somewhere that works still does.
    let good = tmp.path().join("pricing.ron");
    common::press_command(&mut h, egui::Key::S);
    common::answer_path_prompt(&mut h, &good);
    assert!(!h.state().is_dirty());
    let saved = throughline::io::load_project(&good).unwrap();
    assert_eq!(saved.name, "Pricing workshop");
}

/// After the app is killed with unsaved changes, the next start offers the recovery copy with
/// its time and the file it came from; "Discard" really discards it.
#[test]
fn after_a_crash_the_next_start_offers_the_unsaved_work_and_discard_discards_it() {
    let tmp = tempfile::tempdir().unwrap();
    let project_path = tmp.path().join("churn.ron");
    std::fs::copy(
        common::examples_dir().join("churn-prediction.ron"),
        &project_path,
    )
    .unwrap();
    let recovery_file = throughline::io::recovery_file(&tmp.path().join("recovery"));

    // A session that edits the project and then dies without closing.
    {
        let mut options = common::options(tmp.path());
        options.open = Some(project_path.clone());
        let mut h = common::harness(options);
        common::type_into(&mut h, "Project name", " (workshop draft)");
        assert!(h.state().is_dirty());
        // The copy is written every 15 seconds while there are unsaved changes.
        common::wait_secs(&mut h, 16.0);
        let started = std::time::Instant::now();
        while !recovery_file.exists() && started.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.run_ok();
        }
        assert!(recovery_file.exists(), "a recovery copy was written");
        // Dropped here without closing: nothing clears the copy, as after a kill.
    }
    assert!(
        recovery_file.exists(),
        "the copy outlives the crashed session"
    );

    // The next start offers it, with the file it came from and when it was written.
    let mut h = common::harness(common::options(tmp.path()));
    h.get_by_label("Recover unsaved work?");
    h.get_by_label_contains("Churn prediction (workshop draft)");
    h.get_by_label_contains(&format!("Saved before as \"{}\"", project_path.display()));
    h.get_by_label_contains("The copy was written on 20");
    common::click(&mut h, "Discard");
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    assert!(!recovery_file.exists(), "Discard removes the copy");
    drop(h);

    // And the start after that offers nothing; the project file itself was never touched.
    let h = common::harness(common::options(tmp.path()));
    assert!(h.query_by_label("Recover unsaved work?").is_none());
    let on_disk = throughline::io::load_project(&project_path).unwrap();
    assert_eq!(on_disk.name, "Churn prediction");
}

#[test]
fn snapshot_of_the_recovery_offer() {
    let tmp = tempfile::tempdir().unwrap();
    let options = common::options(tmp.path());
    let copy = throughline::io::RecoveryCopy {
        original_path: Some("/home/ana/workshops/pricing.ron".into()),
        written_unix_secs: 1_795_905_660,
        project: throughline::model::Project::named("Pricing workshop"),
        ..Default::default()
    };
    throughline::io::write_recovery(options.recovery_dir.as_deref().unwrap(), &copy).unwrap();
    let mut h = common::harness(options);
    h.get_by_label_contains("on 2026-11-28 at 22:41 UTC");
    h.remove_cursor();
    h.run_ok();
    h.snapshot("recovery_offer");
}
