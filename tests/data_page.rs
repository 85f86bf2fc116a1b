//! The Data page driven through its UI: add a file through a command, see its preview and
//! roles, change a role, save, and find the role in the project file; relink a moved file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use throughline::app::{Command, ThroughlineApp};
use throughline::model::{ColumnRole, DataShape, Page};

fn write_ab(path: &Path) {
    let mut text = String::from("user_id,variant,converted,revenue_usd,country\n");
    for i in 0..300 {
        text.push_str(&format!(
            "u{i},{},{},{}.5,{}\n",
            ["control", "bigger_model", "reranker"][i % 3],
            i % 2,
            i % 17,
            ["DE", "FR", "US"][i % 3]
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn save_as(h: &mut Harness<'_, ThroughlineApp>, path: &Path) {
    h.state_mut().send(Command::SaveAs(path.to_path_buf()));
    h.run_steps(2);
}

#[test]
fn add_a_file_change_a_role_and_save() {
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("assets");
    std::fs::create_dir(&data_dir).unwrap();
    let csv = data_dir.join("ab_test.csv");
    write_ab(&csv);

    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv.clone()]));
    common::settle_jobs(&mut h);

    let project = h.state().project().unwrap();
    assert_eq!(project.view.page, Page::Data);
    assert_eq!(project.datasets.len(), 1);
    let dataset = &project.datasets[0];
    assert_eq!(dataset.shape, DataShape::UnitLevel);
    assert_eq!(dataset.columns[4].name, "country");
    assert_eq!(dataset.columns[4].role, ColumnRole::Segment);

    // The page shows the preview, the shape and the figures over the whole file.
    h.get_by_label("Preview");
    h.get_by_label("u0");
    h.get_by_label("300 rows");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Shape");

    // Change the role of "country" from Segment to Not used.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "country")
        .click();
    h.run_steps(2);
    h.get_by_label("Not used").click();
    h.run_steps(2);
    assert_eq!(
        h.state().project().unwrap().datasets[0].columns[4].role,
        ColumnRole::Ignore
    );
    assert!(h.state().is_dirty());
    // The edit is its own undo step.
    common::wait_secs(&mut h, 1.0);
    h.state_mut().send(Command::Undo);
    h.run_steps(2);
    assert_eq!(
        h.state().project().unwrap().datasets[0].columns[4].role,
        ColumnRole::Segment
    );
    h.state_mut().send(Command::Redo);
    h.run_steps(2);
    assert_eq!(
        h.state().project().unwrap().datasets[0].columns[4].role,
        ColumnRole::Ignore
    );

    // Saved in the project, with the data path relative to the project file.
    let file = tmp.path().join("roles.ron");
    save_as(&mut h, &file);
    let saved = throughline::io::load_project(&file).unwrap();
    assert_eq!(saved.datasets[0].columns[4].role, ColumnRole::Ignore);
    assert_eq!(
        saved.datasets[0].path,
        std::path::PathBuf::from("assets/ab_test.csv")
    );
    assert!(saved.datasets[0].fingerprint.is_some());
}

#[test]
fn a_moved_file_is_reported_and_relinked() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("ab_test.csv");
    write_ab(&csv);

    // A project pointing at the file, saved, then the file moves away.
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv.clone()]));
    common::settle_jobs(&mut h);
    let file = tmp.path().join("moved.ron");
    save_as(&mut h, &file);
    let elsewhere = tmp.path().join("archive");
    std::fs::create_dir(&elsewhere).unwrap();
    let moved = elsewhere.join("ab_test_2024.csv");
    std::fs::rename(&csv, &moved).unwrap();

    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(file.clone()));
    h.run_steps(2);
    h.state_mut().send(Command::ShowPage(Page::Data));
    common::settle_jobs(&mut h);
    h.get_by_label_contains("was not found");
    h.get_by_label("Locate file…");

    // "Locate file..." opens the in-app path prompt (no native dialog in tests).
    common::click(&mut h, "Locate file…");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path");
    h.state_mut().dialogs.prompt = None;

    let id = h.state().project().unwrap().datasets[0].id.clone();
    h.state_mut()
        .send(Command::RelinkDataFile(id, moved.clone()));
    common::settle_jobs(&mut h);
    let project = h.state().project().unwrap();
    assert_eq!(
        project.datasets[0].path,
        std::path::PathBuf::from("archive/ab_test_2024.csv")
    );
    assert!(h.query_by_label_contains("was not found").is_none());
    assert!(h.state().is_dirty());
}

#[test]
fn a_bad_file_is_refused_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("latin1.csv");
    std::fs::write(&bad, b"name,city\nJos\xe9,M\xe1laga\n").unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![bad]));
    common::settle_jobs(&mut h);
    assert!(h.state().project().unwrap().datasets.is_empty());
    let errors = &h.state().ws.messages.errors;
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("not UTF-8"), "{errors:?}");
    assert!(errors[0].contains("latin1.csv"), "{errors:?}");
}

#[test]
fn a_changed_file_is_reported_and_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("ab_test.csv");
    write_ab(&csv);
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv.clone()]));
    common::settle_jobs(&mut h);
    let file = tmp.path().join("changed.ron");
    save_as(&mut h, &file);
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("u999,control,1,3.5,DE\n");
    std::fs::write(&csv, text).unwrap();

    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(file.clone()));
    h.run_steps(2);
    h.state_mut().send(Command::ShowPage(Page::Data));
    common::settle_jobs(&mut h);
    h.get_by_label_contains("has changed since it was added");
    common::click(&mut h, "Use the changed file");
    common::settle_jobs(&mut h);
    assert!(h.query_by_label_contains("has changed").is_none());
    let fp = h.state().project().unwrap().datasets[0]
        .fingerprint
        .clone()
        .unwrap();
    assert_eq!(fp, throughline::data::fingerprint(&csv).unwrap());
    h.get_by_label("301 rows");
}

#[test]
fn a_hand_written_project_gets_its_columns() {
    let tmp = tempfile::tempdir().unwrap();
    write_ab(&tmp.path().join("ab_test.csv"));
    let file = tmp.path().join("hand.ron");
    std::fs::write(
        &file,
        "(version: 1, name: \"Hand written\", datasets: [(id: \"ab\", name: \"A/B test\", \
         path: \"ab_test.csv\")], view: (page: Data))",
    )
    .unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(file));
    h.run_steps(2);
    common::settle_jobs(&mut h);
    let dataset = &h.state().project().unwrap().datasets[0];
    assert_eq!(dataset.columns.len(), 5);
    assert_eq!(dataset.columns[1].role, ColumnRole::Variant);
    assert_eq!(dataset.shape, DataShape::UnitLevel);
    assert!(dataset.fingerprint.is_some());
    h.get_by_label("u0");
}

#[test]
fn warehouse_sql_from_the_dataset_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("ab_test.csv");
    write_ab(&csv);
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv]));
    common::settle_jobs(&mut h);
    h.get_by_label("Get summary statistics from my warehouse")
        .click_accesskit();
    h.run_steps(4);
    // No SQL until a table is named.
    assert!(h.query_by_label("Copy SQL").is_none());
    common::type_into(&mut h, "Table", "shop.experiments.checkout_units");
    h.get_by_label("Use the columns of \"ab_test.csv\"")
        .click_accesskit();
    h.run_steps(2);
    let form = &h.state().ws.pages.warehouse;
    assert_eq!(form.query.variant_column, "variant");
    assert_eq!(form.metrics_text, "converted, revenue_usd");
    h.get_by_label("Copy SQL");
}

#[test]
fn snapshot_data_page() {
    let tmp = tempfile::tempdir().unwrap();
    write_ab(&tmp.path().join("ab_test.csv"));
    let file = tmp.path().join("snapshot.ron");
    std::fs::write(
        &file,
        "(version: 1, name: \"Checkout test\", datasets: [(id: \"ab\", name: \"ab_test.csv\", \
         path: \"ab_test.csv\")], view: (page: Data))",
    )
    .unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(file));
    h.run_steps(2);
    common::settle_jobs(&mut h);
    h.remove_cursor();
    h.run_steps(2);
    h.snapshot("data_page");
}

#[test]
fn reading_options_read_the_file_again() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("ab_test.csv");
    write_ab(&csv);
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv]));
    common::settle_jobs(&mut h);
    h.get_by_label("Reading options").click_accesskit();
    h.run_steps(4);
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Delimiter")
        .click_accesskit();
    h.run_steps(2);
    h.get_by_label("Semicolon ;").click_accesskit();
    h.run_steps(2);
    common::settle_jobs(&mut h);
    let dataset = &h.state().project().unwrap().datasets[0];
    assert_eq!(dataset.options.delimiter, Some(';'));
    assert_eq!(
        dataset.columns.len(),
        1,
        "one column when split at semicolons"
    );

    // Back to detection (set directly; the command is what the drop-down sends).
    let id = h.state().project().unwrap().datasets[0].id.clone();
    h.state_mut().ws.doc.as_mut().unwrap().project.datasets[0]
        .options
        .delimiter = None;
    h.state_mut().send(Command::LoadDataset(id));
    common::settle_jobs(&mut h);
    let dataset = &h.state().project().unwrap().datasets[0];
    assert_eq!(dataset.options.delimiter, None);
    assert_eq!(dataset.columns.len(), 5);
    assert_eq!(dataset.columns[1].role, ColumnRole::Variant);
}

#[test]
fn scrolling_the_preview_reads_more_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("long.csv");
    let mut text = String::from("user_id,variant,revenue_usd\n");
    for i in 0..1200 {
        text.push_str(&format!("u{i},{},{i}.5\n", ["a", "b"][i % 2]));
    }
    std::fs::write(&csv, text).unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv]));
    common::settle_jobs(&mut h);
    h.get_by_label("1,200 rows");
    assert!(h.query_by_label("u700").is_none());
    // The preview holds the first 500 rows; scrolling past them reads the next page.
    let mut first_visible = 0usize;
    for _ in 0..400 {
        let Some(i) = (first_visible..1200).find(|i| h.query_by_label(&format!("u{i}")).is_some())
        else {
            // Between pages: wait for the rows to be read.
            common::settle_jobs(&mut h);
            continue;
        };
        first_visible = i;
        if i > 520 {
            break;
        }
        h.get_by_label(&format!("u{i}")).scroll_down();
        h.run_steps(1);
    }
    common::settle_jobs(&mut h);
    let view = h.state().ws.runtime.data.view("long").unwrap();
    assert!(!view.pages.is_empty(), "a page of rows was read");
}

#[test]
fn a_file_moved_into_assets_is_offered() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("ab_test.csv");
    write_ab(&csv);
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![csv.clone()]));
    common::settle_jobs(&mut h);
    let file = tmp.path().join("tidy.ron");
    save_as(&mut h, &file);
    // The user tidies the folder: data files go to assets/.
    std::fs::create_dir(tmp.path().join("assets")).unwrap();
    let moved = tmp.path().join("assets").join("ab_test.csv");
    std::fs::rename(&csv, &moved).unwrap();

    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut().send(Command::OpenProject(file));
    h.run_steps(2);
    h.state_mut().send(Command::ShowPage(Page::Data));
    common::settle_jobs(&mut h);
    let label = format!("Use {}", moved.display());
    h.get_by_label(&label).click();
    common::settle_jobs(&mut h);
    assert_eq!(
        h.state().project().unwrap().datasets[0].path,
        std::path::PathBuf::from("assets/ab_test.csv")
    );
    assert!(h.query_by_label_contains("was not found").is_none());
}

#[test]
fn an_excel_sheet_can_be_chosen_and_reset() {
    let tmp = tempfile::tempdir().unwrap();
    let xlsx = tmp.path().join("ab_small.xlsx");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/ab_small.xlsx"),
        &xlsx,
    )
    .unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    common::click(&mut h, "New project");
    h.state_mut().send(Command::AddDataFiles(vec![xlsx]));
    common::settle_jobs(&mut h);
    let dataset = h.state().project().unwrap().datasets[0].clone();
    assert_eq!(dataset.format, Some(throughline::model::FileFormat::Excel));
    assert_eq!(dataset.columns.len(), 4);
    h.get_by_label("Reading options").click_accesskit();
    h.run_steps(4);
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Sheet");

    // The "notes" sheet has no rows: the page says so and offers the way back.
    let id = dataset.id.clone();
    h.state_mut().ws.doc.as_mut().unwrap().project.datasets[0]
        .options
        .sheet = Some("notes".into());
    h.state_mut().send(Command::LoadDataset(id));
    common::settle_jobs(&mut h);
    h.get_by_label_contains("has column names but no rows");
    h.get_by_label("\"notes\": use the first sheet instead")
        .click_accesskit();
    h.run_steps(2);
    common::settle_jobs(&mut h);
    assert!(h.query_by_label_contains("no rows").is_none());
    assert_eq!(h.state().project().unwrap().datasets[0].options.sheet, None);
    h.get_by_label("treatment");
}
