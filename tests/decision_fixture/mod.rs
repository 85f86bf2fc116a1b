//! A project whose experiment analysis has a saved result with decisions, a CUPED-adjusted
//! metric and a breakdown by country (its data file is missing, so nothing is recomputed).
#![allow(dead_code)]

use throughline::analysis::segments::{SegmentRow, segment_table};
use throughline::analysis::{
    Comparison, Decision, DecisionResult, ExperimentResult, MetricResult, ResolvedKind,
    SegmentsResult, VariantStats,
};
use throughline::model::*;

fn comparison(treatment: &str, rel: f64, half: f64, verdict: &str) -> Comparison {
    Comparison {
        treatment: treatment.into(),
        diff: Some(rel * 10.0),
        diff_ci_low: Some((rel - half) * 10.0),
        diff_ci_high: Some((rel + half) * 10.0),
        rel_lift: Some(rel),
        rel_ci_low: Some(rel - half),
        rel_ci_high: Some(rel + half),
        p_value: Some(0.01),
        p_value_holm: Some(0.02),
        verdict: verdict.into(),
        mde: Some(0.21),
        mde_rel: Some(0.021),
        chance_to_win: Some(0.987),
        expected_loss: Some(0.0012),
        ..Comparison::default()
    }
}

fn segment_row(segment: &str, diff: f64, se: f64) -> SegmentRow {
    SegmentRow {
        segment: segment.into(),
        n_control: 1000,
        n_treatment: 1010,
        diff: Some(diff),
        diff_ci_low: Some(diff - 1.96 * se),
        diff_ci_high: Some(diff + 1.96 * se),
        rel_lift: Some(diff / 10.0),
        p_value: Some(0.2),
        se_diff: Some(se),
        ..SegmentRow::default()
    }
}

fn variant(name: &str, n: u64, mean: f64, sd: f64) -> VariantStats {
    let half = 1.96 * sd / (n as f64).sqrt();
    VariantStats {
        variant: name.into(),
        n,
        missing: 0,
        mean: Some(mean),
        std_dev: Some(sd),
        ci_low: Some(mean - half),
        ci_high: Some(mean + half),
    }
}

fn column(name: &str, role: ColumnRole, dtype: &str, metric: Option<&str>) -> ColumnSpec {
    ColumnSpec {
        name: name.into(),
        role,
        dtype: dtype.into(),
        metric: metric.map(str::to_string),
    }
}

/// A project with one experiment analysis whose saved result has decisions, a CUPED-adjusted
/// metric (revenue, a success metric), a guardrail (converted) and a breakdown by country.
pub fn project() -> Project {
    let mut project = Project::named("Checkout <test>");
    project.datasets.push(Dataset {
        id: "ab".into(),
        name: "checkout.csv".into(),
        path: "/nonexistent/throughline-test/checkout.csv".into(),
        format: Some(FileFormat::Csv),
        shape: DataShape::UnitLevel,
        columns: vec![
            column("user_id", ColumnRole::UnitId, "text", None),
            column("variant", ColumnRole::Variant, "text", None),
            column("revenue", ColumnRole::BusinessMetric, "number", None),
            column(
                "baseline",
                ColumnRole::PreExperiment,
                "number",
                Some("revenue"),
            ),
            column(
                "converted",
                ColumnRole::BusinessMetric,
                "whole number",
                None,
            ),
            column("country", ColumnRole::Segment, "text", None),
        ],
        ..Dataset::default()
    });
    let revenue = MetricResult {
        metric: "revenue".into(),
        kind: ResolvedKind::Mean,
        variants: vec![
            variant("control", 3000, 10.0, 8.0),
            variant("treatment", 3010, 10.5, 8.1),
        ],
        comparisons: vec![comparison(
            "treatment",
            0.05,
            0.02,
            "treatment raised the average revenue from 10 to 10.5 (+5%, 95% CI +3% to +7%) \
             compared with control, adjusted for the pre-experiment baseline (adjusted).",
        )],
        comparisons_unadjusted: vec![comparison(
            "treatment",
            0.048,
            0.035,
            "treatment raised the average revenue from 10 to 10.5 (+4.8%, 95% CI +1.3% to \
             +8.3%) compared with control (unadjusted).",
        )],
        covariate: Some("baseline".into()),
        theta: Some(0.8),
        variance_reduction: Some(0.65),
        ..MetricResult::default()
    };
    let mut converted_cmp = comparison(
        "treatment",
        0.004,
        0.03,
        "treatment changed converted by +0.02 pp, which the data cannot tell apart from no \
         change (p = 0.81).",
    );
    converted_cmp.diff = Some(0.0002);
    converted_cmp.diff_ci_low = Some(-0.0015);
    converted_cmp.diff_ci_high = Some(0.0019);
    converted_cmp.p_value = Some(0.81);
    converted_cmp.p_value_holm = Some(0.81);
    converted_cmp.mde = Some(0.0024);
    converted_cmp.mde_rel = Some(0.048);
    converted_cmp.chance_to_win = Some(0.59);
    converted_cmp.expected_loss = Some(0.0003);
    let converted = MetricResult {
        metric: "converted".into(),
        kind: ResolvedKind::Proportion,
        variants: vec![
            variant("control", 3000, 0.05, 0.218),
            variant("treatment", 3010, 0.0502, 0.2184),
        ],
        comparisons: vec![converted_cmp],
        ..MetricResult::default()
    };
    let segments = segment_table(
        "revenue",
        "treatment",
        vec![
            segment_row("BR", 3.0, 0.4),
            segment_row("DE", 0.1, 0.4),
            segment_row("US", 0.2, 0.35),
            segment_row("FR", -0.1, 0.5),
        ],
    );
    let result = ExperimentResult {
        file: "checkout.csv".into(),
        rows: 6010,
        alpha: 0.05,
        control: "control".into(),
        metrics: vec![revenue, converted],
        segments: Some(SegmentsResult {
            column: "country".into(),
            metrics: vec![segments],
        }),
        decisions: vec![DecisionResult {
            treatment: "treatment".into(),
            decision: Decision::Ship,
            reasons: vec![
                "treatment raised revenue <by 5%> (success metric).".into(),
                "converted did not get worse than its 1% margin (guardrail).".into(),
            ],
            ..DecisionResult::default()
        }],
        ..ExperimentResult::default()
    };
    let mut spec = ExperimentSpec {
        dataset_id: "ab".into(),
        variant_column: "variant".into(),
        control: "control".into(),
        segment: Some("country".into()),
        ..ExperimentSpec::default()
    };
    spec.metrics.push(MetricSpec {
        column: "revenue".into(),
        business: true,
        covariate: Some("baseline".into()),
        role: DecisionRole::Success,
        ..MetricSpec::default()
    });
    spec.metrics.push(MetricSpec {
        column: "converted".into(),
        business: true,
        role: DecisionRole::Guardrail { margin: 0.01 },
        ..MetricSpec::default()
    });
    project.view.page = Page::Evidence;
    project.evidence.experiments.push(ExperimentAnalysis {
        id: "exp".into(),
        name: "Checkout test".into(),
        spec,
        result: Some((CacheStamp::default(), result)),
    });
    project
}
