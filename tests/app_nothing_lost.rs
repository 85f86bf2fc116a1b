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

/// Saving over a file whose permissions say read-only is refused, also for the root user (whom
/// permissions do not stop, and the tests often run as root): the error names the path, the
/// file keeps its content, and the project stays open with its changes and the unsaved mark.
#[test]
fn saving_over_a_read_only_file_is_refused_and_keeps_the_changes() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked.ron");
    std::fs::copy(common::examples_dir().join("churn-prediction.ron"), &locked).unwrap();
    let before = std::fs::read(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();

    let mut options = common::options(tmp.path());
    options.open = Some(locked.clone());
    let mut h = common::harness(options);
    common::type_into(&mut h, "Project name", " (edited)");
    assert!(h.state().is_dirty());
    // Saving in place, then choosing the same file again.
    common::press_command(&mut h, egui::Key::S);
    if h.query_by_label("Something went wrong").is_none() {
        common::answer_path_prompt(&mut h, &locked);
    }
    h.get_by_label("Something went wrong");
    h.get_by_label_contains(&format!("Could not save \"{}\"", locked.display()));
    h.get_by_label_contains("read-only");
    common::click(&mut h, "OK");
    let app = h.state();
    assert_eq!(
        app.project().unwrap().name,
        "Churn prediction (edited)",
        "nothing lost"
    );
    assert!(app.is_dirty(), "still unsaved");
    assert!(
        app.window_title().starts_with('*'),
        "the unsaved mark stays"
    );
    assert_eq!(
        std::fs::read(&locked).unwrap(),
        before,
        "the file is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".bak"))
        .collect();
    assert!(leftovers.is_empty(), "nothing left behind: {leftovers:?}");

    // Once the file is writable again, the same save works.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    common::press_command(&mut h, egui::Key::S);
    if h.state().is_dirty() {
        common::answer_path_prompt(&mut h, &locked);
    }
    assert!(!h.state().is_dirty());
    assert_eq!(
        throughline::io::load_project(&locked).unwrap().name,
        "Churn prediction (edited)"
    );
}

/// A project whose data paths point outside its folder (a project sent by someone else may
/// point anywhere): opening says so with the full path, the Data page shows the full path
/// "outside the project folder", and saving keeps the path as written and says so.
#[test]
fn data_paths_outside_the_project_folder_are_shown_and_kept_as_written_on_save() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("shared").join("pricing");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let mut text = String::from("variant,revenue\n");
    for i in 0..50 {
        text.push_str(&format!("{},{i}.5\n", ["control", "treatment"][i % 2]));
    }
    std::fs::write(elsewhere.join("secret.csv"), &text).unwrap();
    std::fs::write(folder.join("inside.csv"), &text).unwrap();
    let project = folder.join("pricing.ron");
    std::fs::write(
        &project,
        "(version: 1, name: \"Pricing\", datasets: [(id: \"far\", name: \"secret.csv\", \
         path: \"../../elsewhere/secret.csv\"), (id: \"near\", name: \"inside.csv\", \
         path: \"inside.csv\")], view: (page: Data, selected_dataset: Some(\"far\")))",
    )
    .unwrap();
    let full = elsewhere.join("secret.csv");

    let mut options = common::options(tmp.path());
    options.open = Some(project.clone());
    let mut h = common::harness(options);
    h.run_steps(4);
    let status = h.state().ws.messages.status.clone().unwrap_or_default();
    // Reading the data files runs on workers; let them finish so that what they learn about the
    // files (types, fingerprints) is in the project before it is edited and saved.
    common::settle_jobs(&mut h);
    assert!(
        status.contains("outside the project folder") && status.contains("\"secret.csv\""),
        "opening says so: {status}"
    );
    assert!(!status.contains("inside.csv"), "{status}");
    h.get_by_label(&format!("{}, outside the project folder", full.display()));

    // The file inside the folder is shown as before.
    h.state_mut()
        .ws
        .doc
        .as_mut()
        .unwrap()
        .project
        .view
        .selected_dataset = Some("near".into());
    h.run_steps(4);
    common::settle_jobs(&mut h);
    assert!(
        h.query_by_label(&format!("{}, outside the project folder", full.display()))
            .is_none()
    );
    assert!(
        h.query_all_by_label("inside.csv").count() >= 2,
        "its tab and its path"
    );

    // Saving keeps the path as written and says so.
    common::type_into(&mut h, "Name", " 2");
    common::press_command(&mut h, egui::Key::S);
    assert!(
        !h.state().is_dirty(),
        "saved: {:?}",
        h.state().ws.messages.status
    );
    let status = h.state().ws.messages.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("Saved")
            && status.contains("kept as written")
            && status.contains("\"secret.csv\""),
        "{status}"
    );
    let saved = std::fs::read_to_string(&project).unwrap();
    assert!(saved.contains("\"../../elsewhere/secret.csv\""), "{saved}");
    assert!(saved.contains("\"inside.csv\""), "{saved}");
}

/// Opening a project and looking at its data is not an edit: what the app learns about a data
/// file on its own (its fingerprint, read the first time the file is seen) neither marks the
/// project unsaved nor becomes an undo step, yet it is saved with the next real save.
#[test]
fn reading_a_data_file_is_not_an_unsaved_change() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("variant,revenue\n");
    for i in 0..50 {
        text.push_str(&format!("{},{i}.5\n", ["control", "treatment"][i % 2]));
    }
    std::fs::write(tmp.path().join("orders.csv"), &text).unwrap();
    let project = tmp.path().join("pricing.ron");
    std::fs::write(
        &project,
        "(version: 1, name: \"Pricing\", datasets: [(id: \"orders\", name: \"orders.csv\", \
         path: \"orders.csv\")], view: (page: Data, selected_dataset: Some(\"orders\")))",
    )
    .unwrap();
    let mut options = common::options(tmp.path());
    options.open = Some(project.clone());
    let mut h = common::harness(options);
    h.run_steps(4);
    common::settle_jobs(&mut h);
    common::wait_secs(&mut h, 1.5);
    let doc = h.state().ws.doc.as_ref().unwrap();
    assert!(
        doc.project.datasets[0].fingerprint.is_some(),
        "the file was read through"
    );
    assert!(
        !h.state().is_dirty(),
        "nothing was edited: {}",
        throughline::io::project_to_string(&doc.project).unwrap()
    );
    assert!(!doc.can_undo(), "nothing to undo");
    assert!(!h.state().window_title().starts_with('*'));

    // The next real save keeps what was learned.
    common::type_into(&mut h, "Name", " 2");
    common::press_command(&mut h, egui::Key::S);
    assert!(!h.state().is_dirty());
    let saved = throughline::io::load_project(&project).unwrap();
    assert!(saved.datasets[0].fingerprint.is_some());
}
