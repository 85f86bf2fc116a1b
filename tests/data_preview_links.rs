//! Preview, whole-file figures, roles and shapes, fingerprints, and relinking a moved file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use throughline::data::{self, LinkStatus, RowCount, Source};
use throughline::model::{ColumnRole, DataShape, ImportOptions, Project};

fn ab_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("user_id,variant,converted,revenue_usd,country\n");
    for i in 0..rows {
        let revenue = if i % 50 == 7 {
            String::new()
        } else {
            format!("{}.{}", i % 40, i % 10)
        };
        text.push_str(&format!(
            "u{i},{},{},{revenue},{}\n",
            ["control", "bigger_model", "reranker"][i % 3],
            i % 2,
            ["DE", "FR", "US"][i % 3]
        ));
    }
    let path = dir.join("ab_test.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn preview_shows_first_rows_types_and_an_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let path = ab_csv(dir.path(), 20_000);
    let source = Source::open(&path, &ImportOptions::default()).unwrap();
    let preview = data::preview(&source).unwrap();
    assert_eq!(preview.rows.len(), data::PREVIEW_ROWS);
    assert_eq!(preview.columns[3].dtype, "number");
    assert!(preview.columns[3].numeric);
    assert_eq!(preview.columns[1].dtype, "text");
    assert_eq!(preview.rows[0][1].as_deref(), Some("control"));
    assert_eq!(preview.columns[1].distinct_in_preview, 3);
    assert_eq!(
        preview.columns[1].examples,
        vec!["control", "bigger_model", "reranker"]
    );
    assert!(
        preview.columns[3].examples.is_empty(),
        "numbers have no examples"
    );
    assert_eq!(preview.rows[7][3], None);
    let RowCount::About(n) = preview.total_rows else {
        panic!("{:?}", preview.total_rows)
    };
    assert!((15_000..25_000).contains(&n), "{n}");
    assert_eq!(preview.dialect.as_deref(), Some("comma-separated, UTF-8"));

    // A later page of rows for the scrolling table.
    let page = data::rows_page(&source, 19_990, 50).unwrap();
    assert_eq!(page.len(), 10);
    assert_eq!(page[9][0].as_deref(), Some("u19999"));
}

#[test]
fn file_stats_count_missing_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = ab_csv(dir.path(), 1_000);
    let source = Source::open(&path, &ImportOptions::default()).unwrap();
    let stats = data::file_stats(&source, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(stats.rows, 1_000);
    let revenue = &stats.columns[3];
    assert_eq!(revenue.name, "revenue_usd");
    assert_eq!(revenue.missing, 20);
    assert_eq!(revenue.min.as_deref(), Some("0"));
    assert_eq!(revenue.max.as_deref(), Some("39.9"));
    assert_eq!(stats.columns[2].max_value, Some(1.0));
    assert_eq!(stats.columns[1].min, None);
}

#[test]
fn import_detects_roles_shape_and_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("assets");
    std::fs::create_dir(&data_dir).unwrap();
    let path = ab_csv(&data_dir, 600);
    let imported = data::import_file(
        &path,
        Some(dir.path()),
        &ImportOptions::default(),
        &["ab_test".to_string()],
    )
    .unwrap();
    let d = &imported.dataset;
    assert_eq!(d.id, "ab_test_2");
    assert_eq!(d.name, "ab_test.csv");
    assert_eq!(d.path, PathBuf::from("assets/ab_test.csv"));
    assert_eq!(d.shape, DataShape::UnitLevel);
    let roles: Vec<ColumnRole> = d.columns.iter().map(|c| c.role).collect();
    assert_eq!(
        roles,
        vec![
            ColumnRole::UnitId,
            ColumnRole::Variant,
            ColumnRole::BusinessMetric,
            ColumnRole::BusinessMetric,
            ColumnRole::Segment
        ]
    );
    let fp = d.fingerprint.as_ref().unwrap();
    assert_eq!(fp.size_bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(fp.content_hash.len(), 16);
    assert_eq!(imported.preview.total_rows, RowCount::Exact(600));
}

#[test]
fn roles_survive_saving_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = ab_csv(dir.path(), 300);
    let mut imported =
        data::import_file(&path, Some(dir.path()), &ImportOptions::default(), &[]).unwrap();
    imported.dataset.columns[4].role = ColumnRole::Ignore;
    let mut project = Project::named("roles");
    project.datasets.push(imported.dataset.clone());
    let file = dir.path().join("p.ron");
    throughline::io::save_project(&project, &file).unwrap();
    let loaded = throughline::io::load_project(&file).unwrap();
    assert_eq!(loaded.datasets[0], imported.dataset);
    assert_eq!(loaded.datasets[0].columns[4].role, ColumnRole::Ignore);
}

#[test]
fn link_status_notices_changes_and_moves() {
    let dir = tempfile::tempdir().unwrap();
    let path = ab_csv(dir.path(), 300);
    let imported =
        data::import_file(&path, Some(dir.path()), &ImportOptions::default(), &[]).unwrap();
    let mut dataset = imported.dataset;
    assert_eq!(
        data::check_link(&dataset, Some(dir.path())),
        LinkStatus::Unchanged
    );

    // Same content, newer modification time.
    let fp = dataset.fingerprint.clone().unwrap();
    dataset.fingerprint.as_mut().unwrap().modified_unix_secs -= 100;
    assert_eq!(
        data::check_link(&dataset, Some(dir.path())),
        LinkStatus::Touched(fp.clone())
    );
    dataset.fingerprint = Some(fp);

    // Changed content.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("u999,control,1,5.0,DE\n");
    std::fs::write(&path, &text).unwrap();
    let status = data::check_link(&dataset, Some(dir.path()));
    assert!(matches!(status, LinkStatus::Changed(_)), "{status:?}");
    assert!(status.message(&dataset).unwrap().contains("has changed"));

    // Moved away: missing, and found again in assets/.
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    let moved = assets.join("ab_test.csv");
    std::fs::rename(&path, &moved).unwrap();
    let status = data::check_link(&dataset, Some(dir.path()));
    assert!(matches!(status, LinkStatus::Missing { .. }), "{status:?}");
    let message = status.message(&dataset).unwrap();
    assert!(message.contains("Locate file…"), "{message}");
    assert_eq!(
        data::find_moved(&dataset, Some(dir.path())),
        Some(moved.clone())
    );
}

#[test]
fn relinking_a_moved_file_keeps_roles() {
    let dir = tempfile::tempdir().unwrap();
    let path = ab_csv(dir.path(), 300);
    let mut dataset = data::import_file(&path, Some(dir.path()), &ImportOptions::default(), &[])
        .unwrap()
        .dataset;
    dataset.columns[4].role = ColumnRole::Ignore; // the user's choice
    let elsewhere = tempfile::tempdir().unwrap();
    let moved = elsewhere.path().join("renamed.csv");
    std::fs::copy(&path, &moved).unwrap();
    std::fs::remove_file(&path).unwrap();

    let relinked = data::relink(&mut dataset, &moved, Some(dir.path())).unwrap();
    assert!(relinked.same_content);
    assert!(relinked.missing_columns.is_empty());
    assert_eq!(data::dataset_path(&dataset, Some(dir.path())), moved);
    assert_eq!(dataset.columns[4].role, ColumnRole::Ignore);
    assert_eq!(
        data::check_link(&dataset, Some(dir.path())),
        LinkStatus::Unchanged
    );

    // A different file without one of the columns.
    let other = elsewhere.path().join("other.csv");
    std::fs::write(&other, "user_id,variant,converted\nu1,control,1\nu2,b,0\n").unwrap();
    let relinked = data::relink(&mut dataset, &other, Some(dir.path())).unwrap();
    assert!(!relinked.same_content);
    assert_eq!(relinked.missing_columns, vec!["revenue_usd".to_string()]);
    assert!(relinked.message(&dataset).contains("\"revenue_usd\""));
    assert_eq!(dataset.columns.len(), 3);

    // A file that cannot be read leaves the dataset as it was.
    let before = dataset.clone();
    let bad = elsewhere.path().join("bad.csv");
    std::fs::write(&bad, "").unwrap();
    assert!(data::relink(&mut dataset, &bad, Some(dir.path())).is_err());
    assert_eq!(dataset, before);
}

#[test]
fn warehouse_summary_columns_are_recognised() {
    // The aliases of the generated SQL are read back as summary statistics.
    let sql = data::summary_sql(
        data::SqlDialect::DuckDb,
        &data::SummaryQuery {
            table: "units".into(),
            variant_column: "variant".into(),
            metric_columns: vec!["revenue_usd".into()],
            filter: String::new(),
            ..Default::default()
        },
    )
    .unwrap();
    for alias in [
        "AS n,",
        "AS revenue_usd_n,",
        "AS revenue_usd_mean,",
        "AS revenue_usd_std_dev",
    ] {
        assert!(sql.contains(alias), "{alias} in {sql}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.csv");
    std::fs::write(
        &path,
        "variant,n,revenue_usd_n,revenue_usd_mean,revenue_usd_std_dev\ncontrol,1000,990,1.25,2.5\ntreatment,1010,1001,1.31,2.6\n",
    )
    .unwrap();
    let d = data::import_file(&path, None, &ImportOptions::default(), &[])
        .unwrap()
        .dataset;
    assert_eq!(d.shape, DataShape::SummaryStatistics);
    let roles: Vec<(ColumnRole, Option<&str>)> = d
        .columns
        .iter()
        .map(|c| (c.role, c.metric.as_deref()))
        .collect();
    assert_eq!(
        roles,
        vec![
            (ColumnRole::Variant, None),
            (ColumnRole::Count, None),
            (ColumnRole::Count, Some("revenue_usd")),
            (ColumnRole::Mean, Some("revenue_usd")),
            (ColumnRole::StdDev, Some("revenue_usd")),
        ]
    );
}
