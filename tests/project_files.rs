//! Project files: round trips, bad files, migration, atomic saves and the `check` subcommand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use throughline::analysis::{
    Comparison, ExperimentResult, LinkResult, MetricResult, ResolvedKind, SrmResult,
    ThresholdPoint, ThresholdResult, VariantStats,
};
use throughline::io::{self, ProjectFileError};
use throughline::model::*;

/// A project with every part filled in, so a round trip exercises every field.
fn populated_project() -> Project {
    let mut framing = Framing {
        problem: BusinessProblem {
            statement: "Too many subscribers cancel in their second month.".into(),
            owner: "VP Customer".into(),
            stakeholders: "Retention team, finance, data science".into(),
            decision: "Whom to offer a retention discount each week".into(),
            current_baseline: "Everyone with a failed payment gets a call".into(),
        },
        objectives: vec![BusinessObjective {
            metric: "Monthly churn".into(),
            unit: "%".into(),
            direction: Direction::LowerIsBetter,
            baseline: Some(4.2),
            target: Some(3.5),
            horizon: "6 months".into(),
            failure_condition: "Churn above 4.0% after 6 months".into(),
        }],
        ml_fit: MlFit::default(),
        task: MlTask {
            predicted: "Will this subscriber cancel in the next 30 days?".into(),
            entity: "Subscriber".into(),
            task_type: TaskType::BinaryClassification,
            classes: Some(2),
            alternatives: vec![AlternativeFraming {
                task_type: TaskType::Regression,
                description: "Predict days until cancellation".into(),
                pros: "Ranks by urgency".into(),
                cons: "Censored labels".into(),
                chosen: false,
            }],
            guide: TaskGuide {
                output: Some(PredictionOutput::Category),
                several_per_item: Some(false),
                classes_change: Some(false),
                labels: Some(LabelAvailability::Yes),
            },
        },
        ml_objective: MlObjective {
            loss: "Log loss".into(),
            offline_metrics: vec!["AUC".into(), "Recall at 10%".into()],
            links: vec![HypothesisedLink {
                ml_metric: "AUC".into(),
                business_metric: "Monthly churn".into(),
                expected_effect: "+0.01 AUC -> -0.1 pp churn".into(),
            }],
        },
        decoupled: DecoupledObjectives {
            objectives: vec![
                WeightedObjective {
                    name: "Quality".into(),
                    weight: 0.7,
                },
                WeightedObjective {
                    name: "Engagement".into(),
                    weight: 0.3,
                },
            ],
            preview_items: vec![PreviewItem {
                name: "Post A".into(),
                scores: vec![0.9, 0.2],
            }],
            rationale: "Quality from ratings, engagement from clicks".into(),
        },
        requirements: Requirements {
            reliability: Requirement {
                description: "Alert when the score distribution shifts".into(),
                target: "PSI < 0.2 weekly".into(),
            },
            scalability: Requirement {
                description: "Score every subscriber weekly".into(),
                target: "2 million predictions a week".into(),
            },
            maintainability: Requirement {
                description: "Versioned models".into(),
                target: "Any prediction reproducible".into(),
            },
            adaptability: Requirement {
                description: "Retrain monthly".into(),
                target: "Under 1 day to retrain".into(),
            },
        },
        process: Process {
            stage: Some(ProcessStage::ModelDevelopment),
            maturity: Some(Maturity::Emerging),
            roi_expectation: "Pays back within a year".into(),
        },
        skipped: vec![FrameStep::Decoupled],
    };
    framing.ml_fit.answers[0].answer = Answer::Yes;
    framing.ml_fit.answers[0].note = "Usage patterns are subtle".into();
    framing.ml_fit.conclusion = "ML fits".into();

    let fingerprint = Fingerprint {
        size_bytes: 123_456,
        modified_unix_secs: 1_790_000_000,
        content_hash: "0123456789abcdef".into(),
    };
    let experiment_result = ExperimentResult {
        file: "ab.csv".into(),
        rows: 18_000,
        alpha: 0.05,
        control: "control".into(),
        srm: SrmResult {
            chi2: Some(3.3),
            p_value: Some(0.19),
            counts: [("control".to_string(), 6000), ("b".to_string(), 6100)]
                .into_iter()
                .collect(),
            warning: None,
        },
        metrics: vec![MetricResult {
            metric: "revenue_usd".into(),
            kind: ResolvedKind::Mean,
            variants: vec![VariantStats {
                variant: "control".into(),
                n: 6000,
                missing: 3,
                mean: Some(1.2),
                std_dev: Some(0.5),
                ci_low: Some(1.1),
                ci_high: Some(1.3),
            }],
            comparisons: vec![Comparison {
                treatment: "b".into(),
                diff: Some(0.1),
                p_value: Some(0.03),
                df: None,
                verdict: "b raised revenue".into(),
                ..Default::default()
            }],
            ..Default::default()
        }],
        warnings: vec!["one warning".into()],
        ..Default::default()
    };
    Project {
        version: CURRENT_VERSION,
        name: "Churn \"prediction\" — 2026".into(),
        description: "Multi-line\ndescription with unicode: é, 漢字".into(),
        framing,
        datasets: vec![Dataset {
            id: "ab".into(),
            name: "A/B test".into(),
            path: PathBuf::from("../assets/ab_test.csv"),
            format: Some(FileFormat::Csv),
            fingerprint: Some(fingerprint.clone()),
            shape: DataShape::UnitLevel,
            columns: vec![ColumnSpec {
                name: "variant".into(),
                role: ColumnRole::Variant,
                dtype: "text".into(),
                metric: None,
            }],
            options: ImportOptions {
                delimiter: Some(';'),
                decimal_comma: Some(true),
                has_header: Some(true),
                sheet: None,
                skip_bad_rows: true,
            },
            ratio_metrics: vec![throughline::model::RatioMetric {
                label: "revenue per session".into(),
                numerator: "revenue".into(),
                denominator: "sessions".into(),
            }],
        }],
        evidence: Evidence {
            experiments: vec![ExperimentAnalysis {
                id: "exp1".into(),
                name: "Bigger model".into(),
                spec: ExperimentSpec {
                    dataset_id: "ab".into(),
                    variant_column: "variant".into(),
                    control: "control".into(),
                    metrics: vec![MetricSpec {
                        column: "revenue_usd".into(),
                        kind: MetricKind::Mean,
                        business: true,
                        ..Default::default()
                    }],
                    alpha: 0.1,
                    expected_split: vec![("control".into(), 0.5), ("b".into(), 0.5)],
                    holm: true,
                    ..Default::default()
                },
                result: Some((
                    CacheStamp {
                        computed_unix_secs: 1_790_000_100,
                        data_fingerprint: Some(fingerprint),
                        settings_hash: "0123456789abcdef".into(),
                    },
                    experiment_result,
                )),
            }],
            links: vec![LinkAnalysis {
                id: "link1".into(),
                name: "Accuracy to revenue".into(),
                spec: LinkSpec {
                    dataset_id: "exps".into(),
                    label_column: Some("experiment".into()),
                    x: "accuracy".into(),
                    y: "revenue_per_user".into(),
                    alpha: 0.05,
                    ..LinkSpec::default()
                },
                result: (Some((
                    CacheStamp::default(),
                    LinkResult {
                        n: 24,
                        slope: Some(0.16),
                        slope_ci_low: Some(0.13),
                        slope_ci_high: Some(0.19),
                        verdict: "each +1 pp ...".into(),
                        ..Default::default()
                    },
                )))
                .map(|(s, r)| {
                    (
                        s,
                        LinkData {
                            result: r,
                            points: vec![LinkPoint {
                                label: "exp-01".into(),
                                x: 0.91,
                                y: 3.2,
                            }],
                        },
                    )
                }),
            }],
            thresholds: vec![ThresholdAnalysis {
                id: "thr".into(),
                name: "Fraud threshold".into(),
                spec: ThresholdSpec {
                    dataset_id: "fraud".into(),
                    score_column: "score".into(),
                    label_column: "is_fraud".into(),
                    value_tp: 120.0,
                    value_fp: -5.0,
                    value_fn: -120.0,
                    value_tn: 0.0,
                },
                result: Some((
                    CacheStamp::default(),
                    ThresholdResult {
                        best_value_threshold: Some(0.42),
                        curve: vec![ThresholdPoint {
                            threshold: 0.42,
                            value: 1000.0,
                            precision: Some(0.8),
                            recall: Some(0.6),
                            f1: None,
                        }],
                        ..Default::default()
                    },
                )),
            }],
            timelines: vec![TimelineView {
                id: "daily".into(),
                name: "Daily revenue".into(),
                spec: TimelineSpec {
                    dataset_id: "daily".into(),
                    time_column: "date".into(),
                    series_column: Some("model".into()),
                    metrics: vec!["revenue".into()],
                    deployments: vec![("2026-03-01".into(), "v2".into())],
                    deployment_column: Some("deployed".into()),
                    deployment_dataset: Some("deployments".into()),
                },
                result: Some((
                    CacheStamp::default(),
                    TimelineData {
                        series: vec![TimeSeries {
                            series: "v2".into(),
                            metric: "revenue".into(),
                            points: vec![[20_513.0, 1.5], [20_514.0, 1.6]],
                        }],
                        deployments: vec![(20_513.0, "v2".into())],
                    },
                )),
            }],
            distributions: vec![DistributionView {
                id: "dist".into(),
                name: "Revenue per variant".into(),
                spec: DistributionSpec {
                    dataset_id: "ab".into(),
                    variant_column: "variant".into(),
                    metric: "revenue_usd".into(),
                    chart: DistributionChart::BoxPlot,
                    bins: 12,
                    exclude_zeros: true,
                },
                result: Some((
                    CacheStamp::default(),
                    DistributionData {
                        variants: vec![VariantDistribution {
                            variant: "control".into(),
                            histogram: throughline::analysis::series::Histogram {
                                edges: vec![0.0, 1.0, 2.0],
                                counts: vec![3, 4],
                            },
                            stats: throughline::analysis::series::BoxStats {
                                n: 7,
                                mean: 1.1,
                                median: 1.0,
                                ..Default::default()
                            },
                            zeros: 5,
                        }],
                        missing: 2,
                        tail_from: Some(1.9),
                    },
                )),
            }],
            metas: vec![MetaView {
                id: "meta".into(),
                name: "Past experiments".into(),
                spec: MetaSpec {
                    dataset_id: "exps".into(),
                    effect_column: "revenue_change".into(),
                    se_column: "revenue_change_se".into(),
                    label_column: Some("experiment".into()),
                    ..MetaSpec::default()
                },
                result: Some((
                    CacheStamp::default(),
                    throughline::analysis::meta::MetaResult {
                        k: 3,
                        pooled: Some(0.05),
                        tau2: Some(0.001),
                        experiments: vec![throughline::analysis::meta::MetaExperiment {
                            label: "e1".into(),
                            effect: 0.1,
                            se: 0.04,
                            shrunken: Some(0.07),
                        }],
                        ..Default::default()
                    },
                )),
            }],
        },
        scenarios: vec![Scenario {
            id: "s1".into(),
            name: "Half a point of accuracy".into(),
            ml_metric: "accuracy".into(),
            ml_change: 0.5,
            link: LinkSource::Measured {
                link_id: "link1".into(),
            },
            business_metric: "revenue_per_user".into(),
            volume_per_month: 1.0e6,
            value_per_unit: 1.0,
            engineering_months: 3.0,
            engineering_rate_per_month: 15_000.0,
            cloud_cost_per_month: 2_000.0,
            one_off_costs: 10_000.0,
            horizon_months: 24,
            maturity: Some(Maturity::Established),
            notes: "Assumes ramp-up of 2 months".into(),
            deployment_months: Some(2.5),
            ramp_up_months: None,
            currency: "€".into(),
            objective: "Revenue per user".into(),
            break_even_months: 18,
            discount_rate: 0.08,
        }],
        maturity_table: {
            let mut table = throughline::model::MaturityTable::default();
            table
                .stage_mut(Maturity::FirstProject)
                .engineering_multiplier = 2.0;
            table
        },
        metric_names: [(
            "revenue_usd".to_string(),
            throughline::model::MetricInfo {
                name: "Revenue per user".into(),
                unit: "$ a month".into(),
                direction: Some(throughline::model::Direction::HigherIsBetter),
            },
        )]
        .into_iter()
        .collect(),
        notes: vec![
            throughline::model::Note {
                id: "note-1".into(),
                on: throughline::model::NoteOn::Step(FrameStep::Problem),
                text: "The room: \"churn\" means 30 days, not 60.\nSecond line, é".into(),
            },
            throughline::model::Note {
                id: "note-2".into(),
                on: throughline::model::NoteOn::Scenario("s1".into()),
                text: "Ask finance for the cost per save.".into(),
            },
            throughline::model::Note {
                id: "note-3".into(),
                on: throughline::model::NoteOn::Analysis("link1".into()),
                text: String::new(),
            },
        ],
        view: ViewSettings {
            page: Page::Evidence,
            frame_step: FrameStep::Task,
            selected_dataset: Some("ab".into()),
            selected_scenario: Some("s1".into()),
            evidence: EvidenceViewSettings {
                tab: EvidenceTab::Link,
                experiment: Some("exp1".into()),
                link: Some("link1".into()),
                timeline: Some("daily".into()),
                distribution: Some("dist".into()),
                ..EvidenceViewSettings::default()
            },
        },
    }
}

#[test]
fn a_fully_populated_project_survives_a_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("full.ron");
    let project = populated_project();
    io::save_project(&project, &path).unwrap();
    let loaded = io::load_project(&path).unwrap();
    assert_eq!(loaded, project);
    // Stable: saving the loaded project gives the same bytes.
    let first = std::fs::read_to_string(&path).unwrap();
    io::save_project(&loaded, &path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    // Readable: `version` comes first, one field per line.
    let first_field = first.lines().nth(1).unwrap().trim();
    assert_eq!(first_field, "version: 1,");
    assert!(first.contains("name: \"Churn \\\"prediction\\\" — 2026\","));
}

#[test]
fn saving_keeps_the_previous_file_as_bak() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p.ron");
    io::save_project(&Project::named("first"), &path).unwrap();
    io::save_project(&Project::named("second"), &path).unwrap();
    assert_eq!(io::load_project(&path).unwrap().name, "second");
    let bak = io::backup_path(&path);
    assert_eq!(bak, tmp.path().join("p.ron.bak"));
    assert_eq!(io::load_project(&bak).unwrap().name, "first");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_failed_save_leaves_the_old_file_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p.ron");
    io::save_project(&Project::named("original"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();

    // Block the temporary file's name with a folder: the write fails even for root.
    let tmp_name = format!(".p.ron.{}.tmp", std::process::id());
    std::fs::create_dir(tmp.path().join(&tmp_name)).unwrap();
    let err = io::save_project(&Project::named("changed"), &path).unwrap_err();
    assert!(matches!(err, ProjectFileError::Write { .. }));
    assert!(err.to_string().contains("unchanged"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    std::fs::remove_dir(tmp.path().join(&tmp_name)).unwrap();

    // A read-only folder (where permissions apply: not when the tests run as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tmp.path().join("locked");
        std::fs::create_dir(&dir).unwrap();
        let locked = dir.join("p.ron");
        io::save_project(&Project::named("original"), &locked).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let enforced = std::fs::File::create(dir.join("probe")).is_err();
        if enforced {
            assert!(io::save_project(&Project::named("changed"), &locked).is_err());
            assert_eq!(io::load_project(&locked).unwrap().name, "original");
        }
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn parse(text: &str) -> Result<Project, ProjectFileError> {
    io::parse_project(text, Path::new("test.ron"))
}

#[test]
fn every_truncation_gives_an_error_with_line_and_column_never_a_panic() {
    let text = io::project_to_string(&populated_project()).unwrap();
    let mut cut_points: Vec<usize> = (1..text.len()).step_by(13).collect();
    cut_points.push(text.len() - 2);
    for cut in cut_points {
        let Some(truncated) = text.get(..cut) else {
            continue; // not a char boundary
        };
        // Nothing cut but the final newline: the file is whole.
        if truncated.trim().is_empty() || truncated.trim_end() == text.trim_end() {
            continue;
        }
        match parse(truncated) {
            Err(e) => assert!(
                e.position().is_some(),
                "cut at {cut}: the error names no line/column: {e}"
            ),
            Ok(_) => panic!(
                "cut at {cut} of {} was accepted; the text ends {:?}, the cut one {:?}",
                text.len(),
                &text[text.len().saturating_sub(60)..],
                &truncated[truncated.len().saturating_sub(60)..]
            ),
        }
    }
}

#[test]
fn corrupted_files_give_errors_never_panics() {
    let text = io::project_to_string(&populated_project()).unwrap();
    let bytes = text.as_bytes();
    let lines = text.lines().count();
    // Flip bytes at many positions. Each result is a project (the flip was harmless, e.g. a
    // letter in a name) or one of the errors a damaged file can give, naming the file and, for
    // a syntax error, a line and column inside it.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut loaded, mut not_text, mut syntax) = (0, 0, 0);
    for _ in 0..400 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut corrupted = bytes.to_vec();
        let at = (seed as usize) % corrupted.len();
        corrupted[at] = (seed >> 32) as u8;
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), &corrupted).unwrap();
        let name = tmp.path().display().to_string();
        match io::load_project(tmp.path()) {
            Ok(_) => loaded += 1,
            Err(e @ ProjectFileError::NotText { .. }) => {
                not_text += 1;
                assert!(e.to_string().contains(&name), "{e}");
                assert!(e.to_string().contains("is not text"), "{e}");
            }
            Err(e @ ProjectFileError::Syntax { .. }) => {
                syntax += 1;
                let (line, column) = e.position().unwrap();
                assert!((1..=lines + 1).contains(&line) && column >= 1, "{e}");
                let message = e.to_string();
                assert!(message.contains(&name), "{message}");
                assert!(
                    message.contains(&format!(
                        "could not be read at line {line}, column {column}"
                    )),
                    "{message}"
                );
                assert!(message.contains(".bak"), "{message}");
            }
            Err(e @ ProjectFileError::TooNew { .. }) => {
                assert!(e.to_string().contains("newer Throughline"), "{e}");
            }
            Err(e) => panic!("byte {at} flipped: unexpected kind of error: {e}"),
        }
    }
    // The seed is fixed: the flips hit names (harmless), the structure (syntax errors) and
    // make bytes that are not UTF-8.
    assert!(
        loaded > 0 && not_text > 0 && syntax > 0,
        "{loaded} {not_text} {syntax}"
    );
    let e = parse("(version: 1, name: 5)").unwrap_err();
    let (line, column) = e.position().unwrap();
    assert_eq!(line, 1, "{e}");
    assert!((19..=20).contains(&column), "{e}");
    assert!(e.to_string().contains("line 1, column"), "{e}");
}

#[test]
fn binary_and_empty_files_are_refused_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let binary = tmp.path().join("image.ron");
    std::fs::write(
        &binary,
        [0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe, 0x00, 0x01],
    )
    .unwrap();
    let e = io::load_project(&binary).unwrap_err();
    assert!(matches!(e, ProjectFileError::NotText { .. }), "{e}");
    assert!(e.to_string().contains("not text"), "{e}");

    let empty = tmp.path().join("empty.ron");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(
        io::load_project(&empty).unwrap_err(),
        ProjectFileError::Empty { .. }
    ));
    assert!(matches!(
        parse("  \n ").unwrap_err(),
        ProjectFileError::Empty { .. }
    ));

    let missing = tmp.path().join("missing.ron");
    let e = io::load_project(&missing).unwrap_err();
    assert!(e.to_string().contains("missing.ron"), "{e}");
}

#[test]
fn a_newer_version_is_refused_with_a_clear_message() {
    let e = parse("(version: 99, name: \"From the future\", hologram: true)").unwrap_err();
    match &e {
        ProjectFileError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, 99);
            assert_eq!(*supported, CURRENT_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(e.to_string().contains("newer Throughline"), "{e}");
}

#[test]
fn an_unversioned_draft_is_migrated() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project_v0.ron");
    let project = io::load_project(&path).unwrap();
    assert_eq!(project.version, CURRENT_VERSION);
    assert_eq!(project.name, "Checkout conversion");
    assert_eq!(project.description, "Does the new ranking model sell more?");
    assert_eq!(project.framing.objectives[0].baseline, Some(3.1));
    assert_eq!(project.datasets[0].path, PathBuf::from("data/ab.csv"));
    // Saved again, it is a current file.
    let text = io::project_to_string(&project).unwrap();
    assert!(text.contains("version: 1,"));
    assert_eq!(parse(&text).unwrap(), project);
}

#[test]
fn a_bom_is_accepted() {
    let text = format!(
        "\u{feff}{}",
        io::project_to_string(&Project::named("x")).unwrap()
    );
    assert_eq!(parse(&text).unwrap().name, "x");
}

fn throughline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_throughline"))
}

#[test]
fn check_accepts_every_example_project() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let out = throughline().arg("check").arg(&path).output().unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(String::from_utf8_lossy(&out.stdout).contains("Project:"));
            checked += 1;
        }
    }
    assert!(checked >= 1, "no example projects in {}", dir.display());
}

#[test]
fn check_rejects_a_truncated_copy_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let text = io::project_to_string(&populated_project()).unwrap();
    let path = tmp.path().join("cut.ron");
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let out = throughline().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(
        stderr.contains("line ") && stderr.contains("column "),
        "{stderr}"
    );
    assert!(stderr.contains("cut.ron"), "{stderr}");
}

#[test]
fn bad_usage_exits_with_2() {
    let out = throughline().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A number the user enters that is NaN or infinite (RON reads both) is refused with the place
/// and the value, instead of counting as nothing in the what-if; the same NaN in a computed
/// result does not stop the project from opening.
#[test]
fn entered_numbers_that_are_not_numbers_are_refused_with_their_place() {
    let text = throughline::io::project_to_string(&populated_project()).unwrap();
    let project = populated_project();
    let scenario = &project.scenarios[0];
    let volume = format!("volume_per_month: {:?},", scenario.volume_per_month);
    assert!(text.contains(&volume), "{volume}");
    let bad = text.replacen(&volume, "volume_per_month: NaN,", 1);
    let message = parse(&bad).unwrap_err().to_string();
    assert!(
        message.contains("the volume per month of the scenario")
            && message.contains(&format!("\"{}\"", scenario.name))
            && message.contains("is NaN, not a number")
            && message.contains("the file has not been changed"),
        "{message}"
    );
    let objective = &project.framing.objectives[0];
    let target = format!("target: Some({:?}),", objective.target.unwrap());
    assert!(text.contains(&target), "{target}");
    let bad = text.replacen(&target, "target: Some(-inf),", 1);
    let message = parse(&bad).unwrap_err().to_string();
    assert!(
        message.contains(&format!(
            "the target of the objective \"{}\"",
            objective.metric
        )) && message.contains("is infinite"),
        "{message}"
    );
    // A computed figure may be NaN (and is recomputed when stale): the project opens.
    let mut computed = populated_project();
    let with_result = computed
        .evidence
        .thresholds
        .iter_mut()
        .find_map(|a| a.result.as_mut())
        .expect("the populated project has a threshold result");
    with_result.1.best_value = Some(f64::NAN);
    let text = throughline::io::project_to_string(&computed).unwrap();
    assert!(text.contains("NaN"));
    assert!(parse(&text).is_ok());
}
