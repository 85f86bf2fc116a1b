//! The one-sentence answers of the Evidence views, in the core so that the Evidence page, the
//! Summary page, the report and the presentation deck say the same thing in the same words:
//! the link's headline ("Each +1 pp of accuracy came with …"), an over-time view's before and
//! after each deployment, and a distribution view's comparison of the variants.

use crate::analysis::LinkResult;
use crate::analysis::series::{
    DeploymentChange, daily_average, deployment_changes, format_date, parse_iso_date,
};
use crate::format;
use crate::model::{
    ColumnRole, DistributionData, DistributionView, LinkAnalysis, LinkPoint, Project, TimelineData,
    TimelineView,
};

/// What one row of a link is, in the plural: "experiments" for a label column
/// "experiment_id".
pub fn row_noun(analysis: &LinkAnalysis) -> String {
    if analysis.spec.experiment_column.is_some() {
        return "experiments".to_string();
    }
    let Some(column) = &analysis.spec.label_column else {
        return "rows".to_string();
    };
    let base = column.to_lowercase();
    let base = base
        .trim_end_matches("_id")
        .trim_end_matches("_name")
        .trim_end_matches(" id")
        .trim_end_matches(" name")
        .replace('_', " ");
    match base.as_str() {
        "" => "rows".to_string(),
        "date" | "day" | "time" => "days".to_string(),
        b if b.ends_with('s') => b.to_string(),
        b => format!("{b}s"),
    }
}

/// Whether the ML metric is a share between 0 and 1 (accuracy, AUC), so steps are told in
/// percentage points.
pub fn is_share(points: &[LinkPoint]) -> bool {
    !points.is_empty() && points.iter().all(|p| (0.0..=1.0).contains(&p.x))
}

/// The slope a link leads with: the noise-aware (York) fit when the points have standard
/// errors, else the plain least-squares one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkSlope {
    pub slope: Option<f64>,
    pub ci: Option<(f64, f64)>,
    pub n: u64,
    pub noise_aware: bool,
}

impl LinkSlope {
    pub fn of(result: &LinkResult) -> Self {
        match &result.york {
            Some(y) => Self {
                slope: y.slope,
                ci: y.slope_ci_low.zip(y.slope_ci_high),
                n: y.n,
                noise_aware: true,
            },
            None => Self {
                slope: result.slope,
                ci: result.slope_ci_low.zip(result.slope_ci_high),
                n: result.n,
                noise_aware: false,
            },
        }
    }
}

/// "Each +1 pp of accuracy came with +0.16 revenue per user (95% CI 0.13 to 0.19) across 24
/// experiments." What the ML change did to the business metric: the headline of the ML vs
/// business view, of the Summary and of the report. `None` when there is no slope. The
/// metrics are named as the project names them (`Project::metric_info`).
pub fn link_headline(
    project: &Project,
    analysis: &LinkAnalysis,
    result: &LinkResult,
) -> Option<String> {
    let fit = LinkSlope::of(result);
    let slope = fit.slope?;
    let (step, step_text) = link_headline_step(project, analysis, fit.noise_aware);
    let interval = match fit.ci {
        Some((lo, hi)) => format!(
            " ({} {} to {})",
            format::confidence_label(analysis.spec.alpha),
            format::sig(lo * step, 2),
            format::sig(hi * step, 2)
        ),
        _ => String::new(),
    };
    Some(format!(
        "Each {step_text} of {} came with {} {}{interval} across {} {}{}.",
        project.metric_info(&analysis.spec.x).in_sentence(),
        format::signed_sig(slope * step, 2),
        project.metric_info(&analysis.spec.y).in_sentence(),
        fit.n,
        row_noun(analysis),
        if fit.noise_aware {
            ", allowing for the measurement noise of each point"
        } else {
            ""
        }
    ))
}

/// The step of the ML metric the headline speaks of: for values between 0 and 1, +1 pp for a
/// rate and +0.01 for a score (AUC, NDCG); for measured effects (small changes around zero) a
/// round step near their spread, such as +0.01; else +1.
pub fn link_headline_step(
    project: &Project,
    analysis: &LinkAnalysis,
    noise_aware: bool,
) -> (f64, String) {
    let points = analysis.points();
    if is_share(points) {
        return (0.01, project.metric_info(&analysis.spec.x).step_text(0.01));
    }
    if noise_aware && points.len() >= 2 {
        let n = points.len() as f64;
        let mean = points.iter().map(|p| p.x).sum::<f64>() / n;
        let sd = (points.iter().map(|p| (p.x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        if let Some(step) = crate::analysis::verdict::round_step(sd) {
            return (step, format!("+{}", format::sig(step, 2)));
        }
    }
    (1.0, "+1".to_string())
}

/// "After ranker_v2 went live on 2024-02-15, revenue per user (USD) averaged 4.12 a day over
/// 28 days against 3.95 over the 28 days before: +0.17 (95% CI +0.09 to +0.25), a clear
/// rise." `metric` is the metric's name as people read it.
pub fn deployment_sentence(metric: &str, c: &DeploymentChange) -> String {
    let who = if c.label.trim().is_empty() {
        "the deployment".to_string()
    } else {
        c.label.trim().to_string()
    };
    let days = |n: usize| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    // One precision for every figure of the sentence: two significant digits of the change.
    let scale = c
        .change
        .abs()
        .max(c.interval.map_or(0.0, |(lo, hi)| (hi - lo) / 4.0));
    let decimals = if scale > 0.0 && scale.is_finite() {
        (1 - scale.log10().floor() as i32).clamp(0, 6) as usize
    } else {
        2
    };
    let value = |x: f64| format::fixed(x, decimals);
    let change = |x: f64| format::with_sign(&format::fixed(x, decimals));
    let (interval, word) = match c.interval {
        Some((lo, hi)) => {
            let word = if lo > 0.0 {
                "a clear rise"
            } else if hi < 0.0 {
                "a clear fall"
            } else {
                "no clear change"
            };
            (
                format!(" (95% CI {})", format::interval(lo, hi, change)),
                word,
            )
        }
        None => (String::new(), "too few days to tell"),
    };
    format!(
        "After {who} went live on {}, {metric} averaged {} a day over {} against {} over the {} \
         before: {}{interval}, {word}.",
        format_date(c.day),
        value(c.mean_after),
        days(c.days_after),
        value(c.mean_before),
        days(c.days_before),
        change(c.change),
    )
}

/// The metric an over-time view's verdict speaks of: its first business metric, else its first
/// metric.
pub fn timeline_verdict_metric<'a>(project: &Project, view: &'a TimelineView) -> Option<&'a str> {
    let dataset = project.dataset(&view.spec.dataset_id);
    let role_of = |metric: &str| {
        dataset
            .and_then(|d| d.columns.iter().find(|c| c.name == metric))
            .map(|c| c.role)
    };
    view.spec
        .metrics
        .iter()
        .find(|m| role_of(m) == Some(ColumnRole::BusinessMetric))
        .or_else(|| view.spec.metrics.first())
        .map(String::as_str)
}

/// An over-time view's deployments: those found in the data, then the ones typed in, by date.
pub fn timeline_deployments(view: &TimelineView, data: &TimelineData) -> Vec<(f64, String)> {
    let mut deployments: Vec<(f64, String)> = data.deployments.clone();
    for (date, label) in &view.spec.deployments {
        if let Some(day) = parse_iso_date(date) {
            deployments.push((day, label.clone()));
        }
    }
    deployments.sort_by(|a, b| a.0.total_cmp(&b.0));
    deployments
}

/// An over-time view's verdict: for its first business metric (else its first metric), one
/// [`deployment_sentence`] per deployment with days of data on both sides; when there are
/// deployments but none has, a sentence saying so. Empty without deployments or results.
pub fn timeline_verdicts(project: &Project, view: &TimelineView) -> Vec<String> {
    let Some((_, data)) = &view.result else {
        return Vec::new();
    };
    let Some(metric) = timeline_verdict_metric(project, view) else {
        return Vec::new();
    };
    let deployments = timeline_deployments(view, data);
    if deployments.is_empty() {
        return Vec::new();
    }
    let columns: Vec<(Vec<f64>, Vec<f64>)> = data
        .series
        .iter()
        .filter(|s| s.metric == metric)
        .map(|s| s.points.iter().map(|p| (p[0], p[1])).unzip())
        .collect();
    let daily = daily_average(columns.iter().map(|(x, y)| (x.as_slice(), y.as_slice())));
    let changes = deployment_changes(&daily, &deployments);
    if changes.is_empty() {
        return vec![format!(
            "No day of {} on both sides of a deployment, so no before-and-after comparison.",
            project.metric_info(metric).in_sentence()
        )];
    }
    let name = project.metric_info(metric).in_sentence();
    changes
        .iter()
        .map(|c| deployment_sentence(&name, c))
        .collect()
}

/// What the before-and-after sentences of an over-time view rest on.
pub const TIMELINE_VERDICT_NOTE: &str = "Daily averages over every line, up to 28 days each side \
     of a deployment (never across the next one); the interval treats days as independent, and \
     a season or another launch in the same weeks moves the numbers too.";

/// A distribution view in one sentence: each variant's median and middle half (and mean, and
/// share at zero where it says something), e.g. "Basket value (USD): median 41.2 in treatment
/// (middle half 22 to 70.5, mean 52.3) and 38.9 in control (middle half 20.4 to 66.1, mean
/// 49)." Descriptive only: the experiment view tests the difference. `None`
/// without variants. The metric is named as the project names it, with its unit.
pub fn distribution_sentence(
    project: &Project,
    view: &DistributionView,
    data: &DistributionData,
) -> Option<String> {
    let variants: Vec<_> = data.variants.iter().filter(|v| v.stats.n > 0).collect();
    if variants.is_empty() {
        return None;
    }
    let metric = project.metric_info(&view.spec.metric).with_unit();
    let zero_share = |v: &crate::model::VariantDistribution| {
        let units = if view.spec.exclude_zeros {
            v.stats.n + v.zeros
        } else {
            v.stats.n
        };
        v.zeros as f64 / units.max(1) as f64
    };
    let any_zeros = variants.iter().any(|v| v.zeros > 0);
    let describe = |v: &crate::model::VariantDistribution| {
        let s = &v.stats;
        let mut detail = format!(
            "middle half {} to {}, mean {}",
            format::number(s.q1),
            format::number(s.q3),
            format::number(s.mean)
        );
        if any_zeros {
            detail.push_str(&format!(", {} at zero", format::percent(zero_share(v))));
        }
        let name = if v.variant.trim().is_empty() {
            "all units".to_string()
        } else {
            v.variant.trim().to_string()
        };
        format!("{} in {name} ({detail})", format::number(s.median))
    };
    let who = if view.spec.exclude_zeros {
        ", units with a non-zero value only"
    } else {
        ""
    };
    let parts: Vec<String> = variants.iter().map(|v| describe(v)).collect();
    let listed = match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    };
    Some(format!("{}{who}: median {listed}.", capitalised(&metric)))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::series::BoxStats;
    use crate::model::VariantDistribution;

    fn variant(name: &str, median: f64, zeros: u64) -> VariantDistribution {
        VariantDistribution {
            variant: name.into(),
            stats: BoxStats {
                n: 100,
                mean: median + 1.0,
                q1: median - 2.0,
                median,
                q3: median + 2.0,
                ..Default::default()
            },
            zeros,
            ..Default::default()
        }
    }

    #[test]
    fn a_distribution_in_one_sentence() {
        let mut view = DistributionView::default();
        view.spec.metric = "basket_value_usd".into();
        let data = DistributionData {
            variants: vec![
                variant("control", 40.0, 0),
                variant("a", 42.0, 0),
                variant("b", 43.0, 0),
            ],
            ..Default::default()
        };
        let s = distribution_sentence(&Project::default(), &view, &data).unwrap();
        assert_eq!(
            s,
            "Basket value ($): median 40 in control (middle half 38 to 42, mean 41), 42 in a \
             (middle half 40 to 44, mean 43) and 43 in b (middle half 41 to 45, mean 44)."
        );
        // Zeros left out: said, with each variant's share at zero.
        view.spec.exclude_zeros = true;
        let data = DistributionData {
            variants: vec![variant("control", 40.0, 900), variant("model", 42.0, 880)],
            ..Default::default()
        };
        let s = distribution_sentence(&Project::default(), &view, &data).unwrap();
        assert!(
            s.starts_with("Basket value ($), units with a non-zero value only:"),
            "{s}"
        );
        assert!(
            s.contains("90% at zero") && s.contains(" and 42 in model"),
            "{s}"
        );
        assert_eq!(
            distribution_sentence(&Project::default(), &view, &DistributionData::default()),
            None
        );
    }

    #[test]
    fn a_deployment_in_one_sentence() {
        let c = DeploymentChange {
            day: 19_768.0,
            label: "ranker_v2".into(),
            days_before: 28,
            days_after: 1,
            mean_before: 3.95,
            mean_after: 4.12,
            change: 0.17,
            interval: Some((0.09, 0.25)),
        };
        let s = deployment_sentence("revenue per user (USD)", &c);
        assert!(
            s.starts_with("After ranker_v2 went live on 2024-02-15,"),
            "{s}"
        );
        assert!(
            s.contains("over 1 day against 3.95 over the 28 days before"),
            "{s}"
        );
        assert!(
            s.ends_with("+0.17 (95% CI +0.09 to +0.25), a clear rise."),
            "{s}"
        );
    }
}
