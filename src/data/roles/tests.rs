use super::*;

fn roles(df: &DataFrame) -> Vec<(String, ColumnRole)> {
    detect_roles(df)
        .into_iter()
        .map(|s| (s.name, s.role))
        .collect()
}

#[test]
fn names_normalise() {
    assert_eq!(normalise_name("Revenue USD"), "revenue_usd");
    assert_eq!(normalise_name("userId"), "user_id");
    assert_eq!(normalise_name(" offline-AUC "), "offline_auc");
}

#[test]
fn unit_level_ab_test() {
    let n = 300;
    let df = df!(
        "user_id" => (0..n).map(|i| format!("u{i}")).collect::<Vec<_>>(),
        "variant" => (0..n).map(|i| ["control", "a", "b"][i % 3]).collect::<Vec<_>>(),
        "converted" => (0..n).map(|i| (i % 2) as i64).collect::<Vec<_>>(),
        "revenue_usd" => (0..n).map(|i| i as f64 * 0.5).collect::<Vec<_>>(),
        "country" => (0..n).map(|i| ["DE", "FR"][i % 2]).collect::<Vec<_>>(),
    )
    .unwrap();
    let specs = detect_roles(&df);
    assert_eq!(
        specs.iter().map(|s| s.role).collect::<Vec<_>>(),
        vec![
            ColumnRole::UnitId,
            ColumnRole::Variant,
            ColumnRole::BusinessMetric,
            ColumnRole::BusinessMetric,
            ColumnRole::Segment
        ]
    );
    assert_eq!(detect_shape(&specs, Some(300)), DataShape::UnitLevel);
}

#[test]
fn variant_without_a_telling_name() {
    let n = 60;
    let df = df!(
        "arm_name_x" => (0..n).map(|i| ["x", "y"][i % 2]).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(roles(&df)[0].1, ColumnRole::Variant);
    let df = df!(
        "bucket_label_z" => (0..n).map(|i| ["x", "y"][i % 2]).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(roles(&df)[0].1, ColumnRole::Variant);
    let df = df!(
        "cohort" => (0..n).map(|i| ["x", "y"][i % 2]).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(roles(&df)[0].1, ColumnRole::Variant);
}

#[test]
fn per_experiment_metrics() {
    let df = df!(
        "experiment" => ["e1", "e2", "e3"],
        "offline_accuracy" => [0.9, 0.91, 0.92],
        "offline_auc" => [0.8, 0.81, 0.83],
        "revenue_per_user_usd" => [1.0, 1.1, 1.2],
        "retention_d30" => [0.4, 0.41, 0.43],
    )
    .unwrap();
    let specs = detect_roles(&df);
    assert_eq!(
        specs.iter().map(|s| s.role).collect::<Vec<_>>(),
        vec![
            ColumnRole::Segment,
            ColumnRole::MlMetric,
            ColumnRole::MlMetric,
            ColumnRole::BusinessMetric,
            ColumnRole::BusinessMetric
        ]
    );
    assert_eq!(detect_shape(&specs, Some(3)), DataShape::Aggregated);
}

#[test]
fn summary_statistics() {
    let df = df!(
        "variant" => ["control", "treatment"],
        "n" => [1000i64, 1010],
        "revenue_usd_n" => [990i64, 1001],
        "revenue_usd_mean" => [1.2, 1.3],
        "revenue_usd_std_dev" => [2.0, 2.1],
    )
    .unwrap();
    let specs = detect_roles(&df);
    assert_eq!(specs[0].role, ColumnRole::Variant);
    assert_eq!(specs[1].role, ColumnRole::Count);
    assert_eq!(specs[1].metric, None);
    assert_eq!(specs[2].role, ColumnRole::Count);
    assert_eq!(specs[2].metric.as_deref(), Some("revenue_usd"));
    assert_eq!(specs[3].role, ColumnRole::Mean);
    assert_eq!(specs[4].role, ColumnRole::StdDev);
    assert_eq!(specs[4].metric.as_deref(), Some("revenue_usd"));
    assert_eq!(detect_shape(&specs, Some(2)), DataShape::SummaryStatistics);
}

#[test]
fn fraud_scores() {
    let n = 100;
    let df = df!(
        "transaction_id" => (0..n).map(|i| i as i64).collect::<Vec<_>>(),
        "fraud_score" => (0..n).map(|i| i as f64 / 100.0).collect::<Vec<_>>(),
        "is_fraud" => (0..n).map(|i| (i % 7 == 0) as i64).collect::<Vec<_>>(),
        "amount_usd" => (0..n).map(|i| i as f64 * 3.5).collect::<Vec<_>>(),
    )
    .unwrap();
    let specs = detect_roles(&df);
    assert_eq!(
        specs.iter().map(|s| s.role).collect::<Vec<_>>(),
        vec![
            ColumnRole::UnitId,
            ColumnRole::Score,
            ColumnRole::Label,
            ColumnRole::BusinessMetric
        ]
    );
    assert_eq!(detect_shape(&specs, Some(100)), DataShape::UnitLevel);
}

#[test]
fn merge_keeps_user_roles() {
    let old = vec![
        ColumnSpec {
            name: "a".into(),
            role: ColumnRole::Segment,
            ..ColumnSpec::default()
        },
        ColumnSpec {
            name: "gone".into(),
            role: ColumnRole::Score,
            ..ColumnSpec::default()
        },
    ];
    let detected = vec![
        ColumnSpec {
            name: "a".into(),
            role: ColumnRole::Variant,
            ..ColumnSpec::default()
        },
        ColumnSpec {
            name: "new".into(),
            role: ColumnRole::Time,
            ..ColumnSpec::default()
        },
    ];
    let (merged, gone) = merge_roles(&old, detected);
    assert_eq!(merged[0].role, ColumnRole::Segment);
    assert_eq!(merged[1].role, ColumnRole::Time);
    assert_eq!(gone, vec!["gone".to_string()]);
}

#[test]
fn counts_traffic_shares_and_row_numbers_are_not_business_metrics() {
    let df = df!(
        "experiment_id" => ["e1", "e2", "e3"],
        "offline_accuracy" => [0.9, 0.91, 0.92],
        "users" => [12_000i64, 9_500, 11_200],
        "traffic_share" => [0.5, 0.25, 0.25],
        "rank" => [1i64, 2, 3],
        "revenue_per_user_usd" => [1.0, 1.1, 1.2],
        "row_open_share" => [0.3, 0.31, 0.33],
    )
    .unwrap();
    assert_eq!(
        roles(&df).into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        vec![
            ColumnRole::Segment,
            ColumnRole::MlMetric,
            ColumnRole::Count,
            ColumnRole::Ignore,
            ColumnRole::Ignore,
            ColumnRole::BusinessMetric,
            ColumnRole::BusinessMetric,
        ]
    );
    // A count of units beside plain metrics does not make it a summary-statistics file.
    assert_eq!(
        detect_shape(&detect_roles(&df), Some(3)),
        DataShape::Aggregated
    );
    // Row numbers under a name that says nothing.
    let ids: Vec<i64> = (1000..1030).collect();
    let revenue: Vec<f64> = (0..30).map(|i| f64::from(i) * 1.5).collect();
    let df = df!("ticket" => ids, "revenue" => revenue).unwrap();
    assert_eq!(roles(&df)[0].1, ColumnRole::Ignore);
}

#[test]
fn standard_error_columns_are_found_by_name() {
    let n = 30;
    let df = df!(
        "experiment" => (0..n).map(|i| format!("e{i}")).collect::<Vec<_>>(),
        "ml_change" => (0..n).map(|i| i as f64 * 0.001).collect::<Vec<_>>(),
        "ml_change_se" => (0..n).map(|i| 0.01 + i as f64 * 1e-4).collect::<Vec<_>>(),
        "se_revenue" => (0..n).map(|i| 0.2 + i as f64 * 1e-3).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        "seconds" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
    )
    .unwrap();
    let specs = detect_roles(&df);
    let role = |name: &str| specs.iter().find(|s| s.name == name).map(|s| s.role);
    let metric = |name: &str| {
        specs
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.metric.clone())
    };
    assert_eq!(role("ml_change_se"), Some(ColumnRole::StandardError));
    assert_eq!(metric("ml_change_se").as_deref(), Some("ml_change"));
    assert_eq!(role("se_revenue"), Some(ColumnRole::StandardError));
    assert_eq!(metric("se_revenue").as_deref(), Some("revenue"));
    assert_ne!(role("seconds"), Some(ColumnRole::StandardError));
    assert_eq!(
        standard_error_of("revenue_std_err").as_deref(),
        Some("revenue")
    );
    assert_eq!(standard_error_of("house"), None);
}

#[test]
fn pre_experiment_values_find_their_metric() {
    let n = 50;
    let df = df!(
        "user_id" => (0..n).map(|i| format!("u{i}")).collect::<Vec<_>>(),
        "variant" => (0..n).map(|i| ["control", "a"][i % 2]).collect::<Vec<_>>(),
        "revenue" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        "pre_revenue" => (0..n).map(|i| i as f64 * 0.9).collect::<Vec<_>>(),
        "sessions_pre" => (0..n).map(|i| (i % 7) as f64).collect::<Vec<_>>(),
        "sessions" => (0..n).map(|i| (i % 5) as f64).collect::<Vec<_>>(),
        "revenue_next_month_eur" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        "revenue_prev_month_eur" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        "pre_period_orphan" => (0..n).map(|i| i as f64).collect::<Vec<_>>(),
        "prediction" => (0..n).map(|i| i as f64 / 100.0).collect::<Vec<_>>(),
    )
    .unwrap();
    let specs = detect_roles(&df);
    let find = |name: &str| specs.iter().find(|s| s.name == name).unwrap();
    assert_eq!(find("pre_revenue").role, ColumnRole::PreExperiment);
    assert_eq!(find("pre_revenue").metric.as_deref(), Some("revenue"));
    assert_eq!(find("sessions_pre").metric.as_deref(), Some("sessions"));
    assert_eq!(
        find("revenue_prev_month_eur").metric.as_deref(),
        Some("revenue_next_month_eur")
    );
    // No metric shares a word: a plain metric, not a covariate of nothing.
    assert_eq!(find("pre_period_orphan").role, ColumnRole::BusinessMetric);
    assert_ne!(find("prediction").role, ColumnRole::PreExperiment);
    assert_eq!(
        pre_experiment_column(&specs, "revenue"),
        Some("pre_revenue")
    );
    assert!(role_fits(ColumnRole::PreExperiment, "number"));
    assert!(!role_fits(ColumnRole::PreExperiment, "text"));
}
