//! The honest value of a what-if scenario (issue 15, CONTRACT.md `whatif` second-wave
//! additions): discount rate, NPV and discounted payback (0% reproduces the undiscounted
//! figures exactly), ROI by maturity, the realism check, value straight from an experiment
//! result, exact interval levels, bad discount rates, saving, and the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use throughline::analysis::whatif::Case;
use throughline::analysis::{Comparison, ExperimentResult, MetricResult};
use throughline::model::{
    CacheStamp, ExperimentAnalysis, LinkSource, Maturity, Project, Scenario, ValueEvidence,
    scenario_outputs, starter_scenario,
};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whatif.ron")
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_throughline"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json_of(path: &Path) -> serde_json::Value {
    let out = run(&["whatif", path.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn zero_rate_reproduces_todays_numbers_exactly() {
    // The fixture was written before discounting existed: it loads at 0%.
    let project = throughline::io::load_project(&fixture()).unwrap();
    for s in &project.scenarios {
        assert_eq!(s.discount_rate, 0.0);
        let o = scenario_outputs(&project, s).unwrap();
        for case in Case::ALL {
            assert_eq!(*o.npv.get(case), Some(*o.net_value.get(case)), "{}", s.name);
            assert_eq!(
                o.discounted_payback_month.get(case),
                o.payback_month.get(case),
                "{}",
                s.name
            );
        }
        // The scenario's own maturity row is its headline.
        let own = o.by_maturity.iter().find(|r| r.current).unwrap();
        assert_eq!(own.roi, o.roi.likely);
        assert_eq!(own.npv, Some(o.net_value.likely));
        assert_eq!(own.payback_month, o.payback_month.likely);
        assert_eq!(own.total_cost, o.total_cost);
    }
    // Today's figures of the first scenario (as the What-if page and whatif_cli pin them).
    let o = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    assert_eq!(throughline::format::percent(o.roi.likely.unwrap()), "238%");
    assert_eq!(o.payback_month.likely, Some(8));
    assert_eq!(o.payback_month.low, Some(15));
    // The headline does not mention discounting at 0%.
    assert!(!o.summary.contains("Discounted"), "{}", o.summary);
}

#[test]
fn npv_follows_the_contract_formula() {
    let mut project = throughline::io::load_project(&fixture()).unwrap();
    project.scenarios[0].discount_rate = 0.08;
    let o = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    // r_m = 1.08^(1/12) − 1; NPV = Σ (value − cost)/(1 + r_m)^t over months 1..horizon.
    let r_m = 1.08_f64.powf(1.0 / 12.0) - 1.0;
    let mut npv = 0.0;
    let mut cumulative = 0.0;
    let mut payback = None;
    for p in o.timeline.iter().filter(|p| p.month >= 1) {
        let net = (p.value.likely - p.cost) / (1.0 + r_m).powi(p.month as i32);
        npv += net;
        cumulative += net;
        if payback.is_none() && cumulative >= 0.0 && p.month > 0 {
            payback = Some(p.month);
        }
    }
    let got = o.npv.likely.unwrap();
    assert!((got - npv).abs() <= 1e-9 * npv.abs(), "{got} vs {npv}");
    assert!(got < o.net_value.likely);
    assert_eq!(o.discounted_payback_month.likely, payback);
    assert!(o.discounted_payback_month.likely >= o.payback_month.likely);
    assert!(
        o.summary.contains("Discounted at 8% a year: NPV"),
        "{}",
        o.summary
    );
}

#[test]
fn json_gains_npv_discounted_payback_and_by_maturity() {
    let json = json_of(&example("card-fraud-detection.ron"));
    let s = &json["scenarios"][0];
    assert_eq!(s["discount_rate"].as_f64(), Some(0.08));
    assert!(s["npv"]["likely"].as_f64().unwrap() > 0.0);
    assert!(s["discounted_payback_month"]["likely"].as_u64().is_some());
    assert_eq!(s["evidence"], "entered_by_hand");
    let rows = s["by_maturity"].as_array().unwrap();
    let stages: Vec<&str> = rows.iter().map(|r| r["stage"].as_str().unwrap()).collect();
    assert_eq!(
        stages,
        ["First ML project", "Emerging", "Established", "Advanced"]
    );
    for r in rows {
        for key in ["stage", "roi", "npv", "payback_month"] {
            assert!(r.get(key).is_some(), "by_maturity lacks {key}");
        }
    }
    // The same model returns more at a more mature organisation.
    let roi: Vec<f64> = rows.iter().map(|r| r["roi"].as_f64().unwrap()).collect();
    assert!(roi.windows(2).all(|w| w[0] < w[1]), "{roi:?}");
    // The card-fraud example's own stage carries the 932% that `whatif` prints.
    let own = rows.iter().find(|r| r["current"] == true).unwrap();
    assert_eq!(
        throughline::format::percent(own["roi"].as_f64().unwrap()),
        "932%"
    );
    assert!(
        s["realism"]["sentence"]
            .as_str()
            .unwrap()
            .contains("assumes")
    );
}

#[test]
fn text_output_shows_npv_realism_and_maturity() {
    let out = run(&["whatif", example("churn-prediction.ron").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "NPV at 8%",
        "Disc. payback",
        "By maturity (likely case):",
        "First ML project",
        "Realism: This scenario assumes",
        "5 of the 17 past measured changes did that well",
        "from a correlation across experiments, not a controlled test",
        "outside the range the link",
        "Business change measured directly",
        "The value rests on a controlled test.",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from\n{text}");
    }
}

fn save(project: &Project, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    throughline::io::save_project(project, &path).unwrap();
    path
}

#[test]
fn a_rate_of_minus_100_percent_or_less_gives_null_and_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let mut project = throughline::io::load_project(&fixture()).unwrap();
    for (rate, name) in [(-1.0, "minus100.ron"), (-1.5, "minus150.ron")] {
        project.scenarios[0].discount_rate = rate;
        let path = save(&project, tmp.path(), name);
        let json = json_of(&path);
        let s = &json["scenarios"][0];
        assert!(s["npv"]["likely"].is_null(), "{}", s["npv"]);
        assert!(s["discounted_payback_month"]["likely"].is_null());
        assert!(s["by_maturity"][0]["npv"].is_null());
        let warnings = s["warnings"].to_string();
        assert!(
            warnings.contains("discount rate must be above -100%"),
            "{warnings}"
        );
        // The undiscounted figures are still there.
        assert!(s["roi"]["likely"].as_f64().is_some());
        let out = run(&["whatif", path.to_str().unwrap()]);
        assert!(stdout(&out).contains("Warning: NPV and discounted payback are not computed"));
        assert!(!stdout(&out).contains("NaN"));
    }
}

#[test]
fn discount_rate_is_saved_only_when_set_and_old_files_stay_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    // A current file without discount rates is rewritten byte for byte by `upgrade`.
    let copy = tmp.path().join("whatif.ron");
    std::fs::copy(fixture(), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = run(&["upgrade", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // Saving it (as the app does) writes no discount rate and no maturity table, and a file
    // saved so is rewritten byte for byte.
    let project = throughline::io::load_project(&copy).unwrap();
    let resaved = throughline::io::project_to_string(&project).unwrap();
    assert!(!resaved.contains("discount_rate"));
    assert!(!resaved.contains("maturity_table"));
    let saved = save(&project, tmp.path(), "saved.ron");
    let text = std::fs::read_to_string(&saved).unwrap();
    let again = throughline::io::project_to_string(&throughline::io::load_project(&saved).unwrap())
        .unwrap();
    assert!(again == text, "a re-saved file differs");
    // A new scenario starts at 8%, which is saved and read back.
    let mut project = project;
    let s = starter_scenario(&project);
    assert_eq!(s.discount_rate, 0.08);
    project.scenarios.push(s);
    project
        .maturity_table
        .stage_mut(Maturity::FirstProject)
        .engineering_multiplier = 2.0;
    let path = save(&project, tmp.path(), "new.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("discount_rate: 0.08"));
    assert!(text.contains("maturity_table"));
    let back = throughline::io::load_project(&path).unwrap();
    assert_eq!(back, project);
}

#[test]
fn the_maturity_table_of_the_project_sets_every_stage() {
    let mut project = throughline::io::load_project(&fixture()).unwrap();
    let before = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    let first = before.by_maturity[0].clone();
    project
        .maturity_table
        .stage_mut(Maturity::FirstProject)
        .engineering_multiplier *= 2.0;
    project
        .maturity_table
        .stage_mut(Maturity::FirstProject)
        .deployment_months = 9.0;
    let after = scenario_outputs(&project, &project.scenarios[0]).unwrap();
    let changed = &after.by_maturity[0];
    assert!(changed.total_cost > first.total_cost);
    assert_eq!(changed.deployment_months, 9.0);
    assert!(changed.roi.unwrap() < first.roi.unwrap());
    // The scenario's own figures do not move unless its own stage is the one edited.
    let own_stage = before.by_maturity.iter().position(|r| r.current).unwrap();
    if own_stage != 0 {
        assert_eq!(after.roi, before.roi);
        assert_eq!(after.net_value, before.net_value);
    }
}

fn with_experiment(alpha: f64) -> Project {
    let mut p = Project::named("Direct");
    p.evidence.experiments.push(ExperimentAnalysis {
        id: "checkout".into(),
        name: "New ranking".into(),
        result: Some((
            CacheStamp::default(),
            ExperimentResult {
                control: "control".into(),
                alpha,
                metrics: vec![MetricResult {
                    metric: "revenue_per_user".into(),
                    comparisons: vec![
                        Comparison {
                            treatment: "ranker_b".into(),
                            diff: Some(0.948),
                            diff_ci_low: Some(0.45),
                            diff_ci_high: Some(1.44),
                            ..Comparison::default()
                        },
                        Comparison {
                            treatment: "ranker_c".into(),
                            diff: Some(1.2),
                            ..Comparison::default()
                        },
                    ],
                    ..MetricResult::default()
                }],
                ..ExperimentResult::default()
            },
        )),
        ..ExperimentAnalysis::default()
    });
    p.scenarios.push(Scenario {
        id: "s".into(),
        name: "Ship ranker B".into(),
        business_metric: "Revenue per user".into(),
        link: LinkSource::Experiment {
            experiment_id: "checkout".into(),
            metric: "revenue_per_user".into(),
            treatment: "ranker_b".into(),
        },
        volume_per_month: 10_000.0,
        value_per_unit: 1.0,
        engineering_months: 1.0,
        engineering_rate_per_month: 10_000.0,
        horizon_months: 12,
        maturity: Some(Maturity::Advanced),
        discount_rate: 0.08,
        ..Scenario::default()
    });
    p
}

#[test]
fn value_straight_from_an_experiment_result() {
    let p = with_experiment(0.005);
    let o = scenario_outputs(&p, &p.scenarios[0]).unwrap();
    assert_eq!(o.evidence, ValueEvidence::ControlledExperiment);
    // The business change is the measured difference and its interval, not slope × ML change.
    assert_eq!(o.business_change.likely, 0.948);
    assert_eq!(o.business_change.low, 0.45);
    assert_eq!(o.business_change.high, 1.44);
    assert!((o.monthly_value.likely - 9_480.0).abs() < 1e-9);
    // The exact level, never a rounded 100%.
    assert!(o.link.contains("99.5% CI"), "{}", o.link);
    assert!(!o.link.contains("100%"), "{}", o.link);
    assert!(o.summary.contains("controlled test"), "{}", o.summary);
    assert!(!o.summary.contains("correlation"), "{}", o.summary);
    // The scenario's own result is not a "past" effect; the other treatment is.
    assert_eq!(o.realism.past_effects, 1);
    assert_eq!(o.realism.as_large, 1);
    // No ML change to seek, and none to vary: the measured change is the sensitivity row.
    assert!(o.ml_change_to_break_even.ml_change.is_none());
    let rows: Vec<&str> = o
        .sensitivity_of_roi
        .iter()
        .map(|b| b.assumption.as_str())
        .collect();
    assert!(rows.contains(&"Measured business change"), "{rows:?}");
    assert!(
        !rows.contains(&"ML change") && !rows.contains(&"Link slope"),
        "{rows:?}"
    );
    assert!(throughline::model::missing_inputs(&p.scenarios[0]).is_empty());

    // A treatment that is gone is a plain error.
    let mut gone = p.clone();
    gone.scenarios[0].link = LinkSource::Experiment {
        experiment_id: "checkout".into(),
        metric: "revenue_per_user".into(),
        treatment: "ranker_z".into(),
    };
    let err = scenario_outputs(&gone, &gone.scenarios[0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ranker_z") && err.contains("New ranking"),
        "{err}"
    );
}

#[test]
fn past_experiments_in_a_meta_analysis_feed_the_realism_check_once() {
    use throughline::analysis::meta::{MetaExperiment, MetaResult};
    use throughline::model::{MetaSpec, MetaView};
    let mut p = with_experiment(0.05);
    let past = |label: &str, effect: f64| MetaExperiment {
        label: label.into(),
        effect,
        se: 0.3,
        shrunken: None,
    };
    p.evidence.metas.push(MetaView {
        id: "past".into(),
        name: "Earlier ranking tests".into(),
        spec: MetaSpec {
            effect_column: "revenue_per_user".into(),
            se_column: "revenue_per_user_se".into(),
            ..MetaSpec::default()
        },
        result: Some((
            CacheStamp::default(),
            MetaResult {
                k: 3,
                experiments: vec![past("exp-1", 0.2), past("exp-2", 1.1), past("exp-3", -0.4)],
                ..MetaResult::default()
            },
        )),
    });
    let o = scenario_outputs(&p, &p.scenarios[0]).unwrap();
    // ranker_c (1.2) from the experiment analysis, and the three past experiments.
    assert_eq!(o.realism.past_effects, 4, "{:?}", o.realism);
    // 0.948 assumed: ranker_c (1.2) and exp-2 (1.1) did as well.
    assert_eq!(o.realism.as_large, 2, "{:?}", o.realism);
    assert!(
        o.realism
            .sources
            .contains(&"Earlier ranking tests".to_string()),
        "{:?}",
        o.realism.sources
    );
    assert!(
        o.realism
            .sentence
            .contains("2 of the 4 past measured changes"),
        "{}",
        o.realism.sentence
    );

    // A meta-analysis of another metric is not counted.
    let mut other = p.clone();
    other.evidence.metas[0].spec.effect_column = "sessions".into();
    let o = scenario_outputs(&other, &other.scenarios[0]).unwrap();
    assert_eq!(o.realism.past_effects, 1);
}

#[test]
fn a_measured_link_says_it_is_a_correlation_and_shows_its_exact_level() {
    let mut project = throughline::io::load_project(&fixture()).unwrap();
    let index = project
        .scenarios
        .iter()
        .position(|s| matches!(s.link, LinkSource::Measured { .. }))
        .unwrap();
    project.evidence.links[0].spec.alpha = 0.005;
    let o = scenario_outputs(&project, &project.scenarios[index]).unwrap();
    assert_eq!(o.evidence, ValueEvidence::CrossExperimentLink);
    assert!(
        o.summary
            .contains("from a correlation across experiments, not a controlled test"),
        "{}",
        o.summary
    );
    assert!(o.link.contains("99.5% interval"), "{}", o.link);
}

#[test]
fn report_shows_what_each_scenario_is_worth() {
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("fraud.html");
    let out = run(&[
        "report",
        example("card-fraud-detection.ron").to_str().unwrap(),
        "--out",
        html.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    for needle in [
        "932%",
        "NPV",
        "Discounted payback",
        "ROI by maturity",
        "First ML project",
        "This scenario assumes",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} missing from the HTML report"
        );
    }
    assert!(!text.contains("join this table"));

    let md = tmp.path().join("churn.md");
    let out = run(&[
        "report",
        example("churn-prediction.ron").to_str().unwrap(),
        "--out",
        md.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("correlation across experiments"), "{text}");
    assert!(text.contains("controlled test"));
    assert!(text.contains("extrapolates the link"));
}
