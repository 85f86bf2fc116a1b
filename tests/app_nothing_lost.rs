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
