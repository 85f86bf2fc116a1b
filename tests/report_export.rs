//! The one-page summary: every example exported by `throughline report` with its key content,
//! user text escaped, evidence and scenarios rendered, and the export from the window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::kittest::Queryable as _;
use throughline::analysis::{
    Comparison, ExperimentResult, LinkResult, MetricResult, ResolvedKind, SrmResult,
    ThresholdPoint, ThresholdResult, VariantStats,
};
use throughline::io::report::{ReportFormat, render};
use throughline::model::*;

fn throughline() -> Command {
    Command::new(env!("CARGO_BIN_EXE_throughline"))
}

fn example(name: &str) -> PathBuf {
    common::examples_dir().join(name)
}

/// Run `throughline report` and return what it wrote.
fn report_via_cli(project: &Path, out: &Path) -> String {
    let output = throughline()
        .arg("report")
        .arg(project)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Wrote the"));
    std::fs::read_to_string(out).unwrap()
}

/// An HTML page that stands alone: no scripts, nothing fetched from elsewhere.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains("<style>"));
    assert!(!lower.contains("<script"), "no scripts");
    assert!(!lower.contains("<link"), "no external style sheets");
    for tag in tags(&lower) {
        // Attribute names only: quoted values are escaped text.
        let names: String = tag.split('"').step_by(2).collect();
        assert!(
            !names.contains(" src=") && !names.contains("href=") && !names.contains(" on"),
            "nothing loaded from elsewhere, no handlers: {tag}"
        );
    }
    assert!(lower.contains("@media print"), "print styles");
    // A Content-Security-Policy that forbids scripts and loading anything, before any user text.
    let csp = lower
        .find("<meta http-equiv=\"content-security-policy\"")
        .expect("a Content-Security-Policy meta tag");
    assert!(csp < lower.find("<title>").expect("title"));
    let policy = &lower[csp..csp + lower[csp..].find('>').expect("end of tag")];
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    for tag in tags(&lower) {
        // Every attribute value is closed: user text cannot break out of one.
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
    }
    assert!(lower.contains("</html>"));
}

/// The opening tags of a page (`<name ...>`).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else { break };
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push(&after[..end]);
        }
        rest = &after[end..];
    }
    out
}

#[test]
fn every_example_exports_with_its_key_content() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "churn-prediction.ron",
            &[
                "Churn prediction",
                "Monthly churn (lower is better)",
                "4.2%",
                "3.6%",
                "Will this subscriber cancel within the next 30 days?",
                "Binary classification (2 classes)",
                "uplift model",
                "Churn risk 60%",
                "Emerging (a few models, built by hand)",
                "Retention offers: rule list against the model",
                "AUC to monthly churn in 18 regional pilots",
                "Gradient boosting, AUC +0.02 (measured link)",
            ],
        ),
        (
            "card-fraud-detection.ron",
            &[
                "Card fraud detection",
                "Fraud losses (lower is better)",
                "9.5 bp of volume",
                "Anomaly detection",
                "Recall at a 0.5% decline rate",
                "Deployment",
                "Decline threshold: value per payment",
                "The threshold worth most is 0.387",
            ],
        ),
        (
            "next-app-recommendation.ron",
            &[
                "Next-app recommendation",
                "Multiclass classification",
                "retrain whenever an app is installed or removed",
                "no retraining",
                "Decision guide suggests",
                "Hit rate at 4",
                "Suggestion row: most used apps against the two framings",
                "app_scoring_model lowered the average seconds to open",
                "App scoring, hit rate at 4 +3 pp (measured link)",
            ],
        ),
        (
            "newsfeed-ranking.ron",
            &[
                "Newsfeed ranking",
                "Quality 50%",
                "Engagement 40%",
                "Friend’s wedding photos",
                "changing the weights needs no retraining",
                "Quality-weighted NDCG@10",
                "Quality NDCG@10 to sessions with a negative action (16 experiments)",
                "More weight on quality, NDCG@10 +0.03 (measured link)",
            ],
        ),
        (
            "ad-click-through-rate.ron",
            &[
                "Ad click-through rate",
                "Revenue per thousand impressions (RPM) (higher is better)",
                "€2.35",
                "€2.5",
                "Log loss",
                "Business analysis",
                "Click models: two weeks, 6 million impressions",
                "gbdt_calibrated raised clicked from 1.1% to 1.14%",
                "Deep CTR model, log loss −0.0005 (measured link)",
            ],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (file, key_content) in cases {
        let project = example(file);
        let stem = file.trim_end_matches(".ron");
        let html = report_via_cli(&project, &tmp.path().join(format!("{stem}.html")));
        let md = report_via_cli(&project, &tmp.path().join(format!("{stem}.md")));
        assert_self_contained(&html);
        assert!(html.contains("<svg"), "{file}: the objectives chart");
        for text in key_content {
            let escaped = text.replace('&', "&amp;").replace('\'', "&#39;");
            assert!(html.contains(&escaped), "{file}: HTML lacks {text:?}");
            let md_text = text.replace('_', "\\_");
            assert!(md.contains(&md_text), "{file}: Markdown lacks {text:?}");
        }
        for section in [
            "Business problem",
            "Business objectives",
            "Is ML the right tool?",
            "ML task",
            "ML objective and the hypothesised link",
            "Decoupled objectives",
            "Requirements",
            "Process and maturity",
            "Data",
            "Evidence",
            "What-if scenarios",
        ] {
            assert!(
                html.contains(&format!(">{section}</h2>")),
                "{file}: {section}"
            );
            assert!(md.contains(&format!("## {section}\n")), "{file}: {section}");
        }
        assert!(
            md.contains("8 of 8 framing steps answered"),
            "{file} is complete"
        );
        assert!(!md.contains("Not answered yet"), "{file} is complete");
    }
}

fn hostile() -> &'static str {
    r#"<script>alert("pwned")</script> & 'quotes' "double" <img src=x onerror=alert(1)>"#
}

/// A project whose every text field holds markup and quotes.
fn hostile_project() -> Project {
    let h = hostile().to_string();
    let mut p = Project::named(format!("Name {h}"));
    p.description = h.clone();
    p.framing.problem = BusinessProblem {
        statement: h.clone(),
        owner: h.clone(),
        stakeholders: h.clone(),
        decision: h.clone(),
        current_baseline: h.clone(),
    };
    p.framing.objectives = vec![BusinessObjective {
        metric: h.clone(),
        unit: h.clone(),
        direction: Direction::LowerIsBetter,
        baseline: Some(4.0),
        target: Some(3.0),
        horizon: h.clone(),
        failure_condition: h.clone(),
    }];
    p.framing.ml_fit.entry_mut(MlFitCriterion::AtScale).note = h.clone();
    p.framing.ml_fit.conclusion = h.clone();
    p.framing.task.predicted = h.clone();
    p.framing.task.entity = h.clone();
    p.framing.task.alternatives = vec![AlternativeFraming {
        task_type: TaskType::Ranking,
        description: h.clone(),
        pros: h.clone(),
        cons: h.clone(),
        chosen: true,
    }];
    p.framing.ml_objective = MlObjective {
        loss: h.clone(),
        offline_metrics: vec![h.clone()],
        links: vec![HypothesisedLink {
            ml_metric: h.clone(),
            business_metric: h.clone(),
            expected_effect: h.clone(),
        }],
    };
    p.framing.decoupled = DecoupledObjectives {
        objectives: vec![WeightedObjective {
            name: h.clone(),
            weight: 1.0,
        }],
        preview_items: vec![PreviewItem {
            name: h.clone(),
            scores: vec![0.5],
        }],
        rationale: h.clone(),
    };
    p.framing.requirements.reliability = Requirement {
        description: h.clone(),
        target: h.clone(),
    };
    p.framing.process.roi_expectation = h.clone();
    p.datasets = vec![Dataset {
        id: "d".into(),
        name: h.clone(),
        path: PathBuf::from(&h),
        ..Dataset::default()
    }];
    p.evidence.experiments = vec![ExperimentAnalysis {
        name: h.clone(),
        spec: ExperimentSpec {
            control: h.clone(),
            ..ExperimentSpec::default()
        },
        result: Some((CacheStamp::default(), experiment_result(&h))),
        ..ExperimentAnalysis::default()
    }];
    p.scenarios = vec![Scenario {
        name: h.clone(),
        ml_metric: h.clone(),
        business_metric: h.clone(),
        notes: h.clone(),
        ..Scenario::default()
    }];
    p
}

fn experiment_result(text: &str) -> ExperimentResult {
    ExperimentResult {
        file: "ab.csv".into(),
        rows: 12_000,
        alpha: 0.05,
        control: "control".into(),
        srm: SrmResult {
            chi2: Some(15.0),
            p_value: Some(0.0001),
            counts: Default::default(),
            warning: Some(format!("Sample ratio mismatch {text}")),
        },
        metrics: vec![MetricResult {
            metric: text.to_string(),
            kind: ResolvedKind::Mean,
            variants: vec![VariantStats {
                variant: "control".into(),
                n: 6000,
                mean: Some(10.0),
                ..VariantStats::default()
            }],
            comparisons: vec![Comparison {
                treatment: text.to_string(),
                diff: Some(0.3),
                rel_lift: Some(0.03),
                rel_ci_low: Some(0.01),
                rel_ci_high: Some(0.05),
                p_value: Some(0.004),
                verdict: text.to_string(),
                ..Comparison::default()
            }],
            ..Default::default()
        }],
        warnings: vec![text.to_string()],
        ..Default::default()
    }
}

#[test]
fn user_text_with_script_and_quotes_exports_escaped() {
    let project = hostile_project();
    let html = render(&project, ReportFormat::Html);
    assert_self_contained(&html);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element anywhere");
    assert!(!lower.contains("<img"), "no injected element");
    assert!(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"));
    assert!(html.contains("&#39;quotes&#39;"));
    assert!(html.contains("<title>Name &lt;script&gt;"));
    // The text inside the SVG charts is escaped too.
    assert!(html.contains("<svg"));
    let svg_start = html.find("<svg").unwrap();
    assert!(!html[svg_start..].to_lowercase().contains("<script"));

    let md = render(&project, ReportFormat::Markdown);
    assert!(!md.to_lowercase().contains("<script"));
    assert!(!md.to_lowercase().contains("<img"));
    assert!(md.contains("&lt;script&gt;"));
    for line in md.lines().filter(|l| l.starts_with('|')) {
        // User text never adds table columns.
        assert_eq!(
            line.matches(" | ").count() + 2,
            line.matches('|').count() - line.matches("\\|").count(),
            "{line}"
        );
    }
}

#[test]
fn evidence_and_scenarios_are_summarised() {
    let mut project = throughline::io::load_project(&example("card-fraud-detection.ron")).unwrap();
    project.datasets = vec![Dataset {
        id: "payments".into(),
        name: "Scored payments".into(),
        path: PathBuf::from("../assets/payments.csv"),
        format: Some(FileFormat::Csv),
        shape: DataShape::UnitLevel,
        columns: vec![
            ColumnSpec {
                name: "fraud_score".into(),
                role: ColumnRole::Score,
                ..ColumnSpec::default()
            },
            ColumnSpec {
                name: "is_fraud".into(),
                role: ColumnRole::Label,
                ..ColumnSpec::default()
            },
        ],
        ..Dataset::default()
    }];
    project.evidence.experiments = vec![ExperimentAnalysis {
        id: "ab".into(),
        name: "New model A/B test".into(),
        spec: ExperimentSpec {
            dataset_id: "payments".into(),
            control: "control".into(),
            metrics: vec![MetricSpec {
                column: "loss_bp".into(),
                kind: MetricKind::Mean,
                business: true,
                ..Default::default()
            }],
            holm: true,
            ..ExperimentSpec::default()
        },
        result: Some((
            CacheStamp::default(),
            ExperimentResult {
                alpha: 0.05,
                control: "control".into(),
                metrics: vec![MetricResult {
                    metric: "loss_bp".into(),
                    kind: ResolvedKind::Mean,
                    variants: Vec::new(),
                    comparisons: vec![Comparison {
                        treatment: "gbm".into(),
                        rel_lift: Some(-0.12),
                        rel_ci_low: Some(-0.2),
                        rel_ci_high: Some(-0.04),
                        p_value: Some(0.002),
                        p_value_holm: Some(0.004),
                        verdict: "The new model lowered fraud losses.".into(),
                        ..Comparison::default()
                    }],
                    ..Default::default()
                }],
                ..ExperimentResult::default()
            },
        )),
    }];
    project.evidence.links = vec![LinkAnalysis {
        id: "l".into(),
        name: "Recall to losses".into(),
        spec: LinkSpec {
            x: "recall".into(),
            y: "loss_bp".into(),
            ..LinkSpec::default()
        },
        result: (Some((
            CacheStamp::default(),
            LinkResult {
                n: 14,
                pearson_r: Some(-0.83),
                slope: Some(-0.12),
                slope_ci_low: Some(-0.18),
                slope_ci_high: Some(-0.06),
                r_squared: Some(0.69),
                verdict: "Higher recall went with lower losses.".into(),
                ..LinkResult::default()
            },
        )))
        .map(|(s, r)| {
            (
                s,
                LinkData {
                    result: r,
                    points: Vec::new(),
                },
            )
        }),
    }];
    project.evidence.thresholds = vec![ThresholdAnalysis {
        id: "t".into(),
        name: "Decline threshold".into(),
        result: Some((
            CacheStamp::default(),
            ThresholdResult {
                best_value_threshold: Some(0.5),
                best_value: Some(25_000.0),
                best_f1_threshold: Some(0.3),
                best_f1: Some(0.41),
                value_at_best_f1: Some(21_000.0),
                curve: (1..10)
                    .map(|i| ThresholdPoint {
                        threshold: f64::from(i) / 10.0,
                        value: 1000.0 * f64::from(i * (10 - i)),
                        ..ThresholdPoint::default()
                    })
                    .collect(),
                warnings: Vec::new(),
            },
        )),
        ..ThresholdAnalysis::default()
    }];
    project.scenarios = vec![Scenario {
        id: "s".into(),
        name: "Recall +5 pp".into(),
        ml_metric: "recall".into(),
        ml_change: 5.0,
        link: LinkSource::Measured {
            link_id: "l".into(),
        },
        business_metric: "loss_bp".into(),
        volume_per_month: 40_000_000.0,
        horizon_months: 12,
        ..Scenario::default()
    }];
    let html = render(&project, ReportFormat::Html);
    for text in [
        "Scored payments",
        "fraud_score (score)",
        "New model A/B test",
        "Loss (business)",
        "gbm vs control",
        "−12%",
        "−20% to −4%",
        "p (Holm)",
        "0.004",
        "The new model lowered fraud losses.",
        "Recall to losses",
        "Correlation r = −0.83 over 14 points; slope −0.12 loss per unit of recall (95% interval −0.18 to −0.06); R² = 0.69.",
        "Higher recall went with lower losses.",
        "The threshold worth most is 0.5, with a value of 25,000.",
        "would give 21,000",
        "most value (0.5)",
        "Recall +5 pp",
        "+5 recall",
        "measured (Recall to losses)",
        "40,000,000 a month",
        "12 months",
    ] {
        assert!(html.contains(text), "HTML lacks {text:?}");
    }
    assert!(
        html.matches("<svg").count() >= 3,
        "objectives, lift and threshold charts"
    );
    let md = render(&project, ReportFormat::Markdown);
    assert!(md.contains("| Loss (business) | gbm vs control | −12% |"));
    if let Ok(dir) = std::env::var("REPORT_DUMP_DIR") {
        std::fs::write(Path::new(&dir).join("evidence.html"), &html).unwrap();
        let saved = throughline::io::project_to_string(&project).unwrap();
        std::fs::write(Path::new(&dir).join("evidence.ron"), saved).unwrap();
    }
}

#[test]
fn report_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let bad_ext = throughline()
        .args(["report"])
        .arg(example("churn-prediction.ron"))
        .arg("--out")
        .arg(tmp.path().join("summary.pdf"))
        .output()
        .unwrap();
    assert_eq!(bad_ext.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_ext.stderr).starts_with("error: "));

    let missing = throughline()
        .args(["report", "no-such-project.ron", "--out"])
        .arg(tmp.path().join("summary.html"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("no-such-project.ron"),
        "{stderr}"
    );
    assert!(!tmp.path().join("summary.html").exists());

    let no_out = throughline()
        .args(["report"])
        .arg(example("churn-prediction.ron"))
        .output()
        .unwrap();
    assert_eq!(no_out.status.code(), Some(2));
}

#[test]
fn export_from_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = common::harness(common::options(tmp.path()));
    h.state_mut()
        .send(throughline::app::Command::OpenProject(example(
            "newsfeed-ranking.ron",
        )));
    h.run_ok();
    common::click(&mut h, "5   Summary");
    common::click(&mut h, "Export summary as HTML…");
    // No native dialog in tests: the in-app path prompt.
    let out = tmp.path().join("feed-summary");
    common::answer_path_prompt(&mut h, &out);
    // The extension is added when missing.
    let written = tmp.path().join("feed-summary.html");
    let html = std::fs::read_to_string(&written).unwrap();
    assert!(html.contains("Newsfeed ranking"));
    h.get_by_label_contains("Exported the summary as HTML");

    common::click(&mut h, "Export summary as Markdown…");
    let suggested = h
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .value()
        .unwrap_or_default();
    assert!(
        suggested.ends_with("newsfeed-ranking-summary.md"),
        "{suggested}"
    );
}
