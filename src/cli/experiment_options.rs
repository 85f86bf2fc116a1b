//! The second-wave options of `throughline analyze` (CONTRACT.md "Options added in the second
//! wave"): `--covariate`, `--ratio`, `--segment`, `--max-segments`, `--success`,
//! `--guardrail`, `--lower-is-better`; their parsing and how they shape the analysis spec, and
//! the readable report of what they add.

use clap::Args;

use crate::analysis::segments::heterogeneity_sentence;
use crate::analysis::{Decision, ExperimentResult, MetricResult, SegmentsResult};
use crate::format::{UNDEFINED, number, p_bare, percent, percent_change, points, signed};
use crate::model::{DecisionRole, ExperimentSpec, MetricKind, MetricSpec};

use super::analyze::{table, wrap};

/// The second-wave options, flattened into `analyze`'s arguments.
#[derive(Debug, Clone, Default, Args)]
pub struct WaveTwoArgs {
    /// CUPED: adjust METRIC with its pre-experiment value in column COL (repeatable), e.g.
    /// revenue=pre_revenue.
    #[arg(long = "covariate", value_name = "METRIC=COL", value_parser = parse_covariate)]
    pub covariates: Vec<Covariate>,
    /// A ratio metric NAME = ΣNUM/ΣDEN per variant, by the delta method (repeatable), e.g.
    /// revenue_per_session=revenue/sessions.
    #[arg(long = "ratio", value_name = "NAME=NUM/DEN", value_parser = parse_ratio)]
    pub ratios: Vec<Ratio>,
    /// Break every comparison down by the values of this column.
    #[arg(long, value_name = "COL")]
    pub segment: Option<String>,
    /// With --segment: the most frequent values shown one by one; the rest are pooled as
    /// "other".
    #[arg(long, value_name = "K", default_value_t = crate::model::DEFAULT_MAX_SEGMENTS,
          value_parser = parse_max_segments)]
    pub max_segments: usize,
    /// A success metric of the ship / don't-ship rule (repeatable).
    #[arg(long = "success", value_name = "M")]
    pub success: Vec<String>,
    /// A guardrail metric with the relative margin it may worsen by, e.g. latency:0.01
    /// (repeatable).
    #[arg(long = "guardrail", value_name = "M:MARGIN", value_parser = parse_guardrail)]
    pub guardrails: Vec<Guardrail>,
    /// A metric for which lower is better (cost, latency, churn; repeatable).
    #[arg(long = "lower-is-better", value_name = "M")]
    pub lower_is_better: Vec<String>,
}

/// `--covariate METRIC=COL`.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    pub metric: String,
    pub column: String,
}

/// `--ratio NAME=NUM/DEN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    pub name: String,
    pub numerator: String,
    pub denominator: String,
}

/// `--guardrail M:MARGIN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Guardrail {
    pub metric: String,
    pub margin: f64,
}

fn parse_covariate(text: &str) -> Result<Covariate, String> {
    match text.split_once('=') {
        Some((m, c)) if !m.trim().is_empty() && !c.trim().is_empty() => Ok(Covariate {
            metric: m.trim().to_owned(),
            column: c.trim().to_owned(),
        }),
        _ => Err(format!(
            "\"{text}\" should be METRIC=COLUMN, e.g. revenue=pre_revenue (the metric and the \
             column holding its pre-experiment value)"
        )),
    }
}

fn parse_ratio(text: &str) -> Result<Ratio, String> {
    let bad = || {
        format!(
            "\"{text}\" should be NAME=NUMERATOR/DENOMINATOR, e.g. \
             revenue_per_session=revenue/sessions"
        )
    };
    let (name, rest) = text.split_once('=').ok_or_else(bad)?;
    let (num, den) = rest.rsplit_once('/').ok_or_else(bad)?;
    let (name, num, den) = (name.trim(), num.trim(), den.trim());
    if name.is_empty() || num.is_empty() || den.is_empty() {
        return Err(bad());
    }
    if num == den {
        return Err(format!(
            "the numerator and the denominator of \"{name}\" are the same column \"{num}\""
        ));
    }
    Ok(Ratio {
        name: name.to_owned(),
        numerator: num.to_owned(),
        denominator: den.to_owned(),
    })
}

fn parse_guardrail(text: &str) -> Result<Guardrail, String> {
    let bad = |why: &str| {
        format!(
            "\"{text}\" should be METRIC:MARGIN with MARGIN a fraction of zero or more, e.g. \
             latency:0.01 (may not get more than 1% worse){why}"
        )
    };
    let (metric, margin) = text.rsplit_once(':').ok_or_else(|| bad(""))?;
    let metric = metric.trim();
    if metric.is_empty() {
        return Err(bad(""));
    }
    let margin_text = margin.trim();
    let margin: f64 = match margin_text.strip_suffix('%') {
        Some(p) => p
            .trim()
            .parse::<f64>()
            .map(|p| p / 100.0)
            .map_err(|_| bad(&format!("; \"{margin_text}\" is not a number")))?,
        None => margin_text
            .parse()
            .map_err(|_| bad(&format!("; \"{margin_text}\" is not a number")))?,
    };
    if !(margin.is_finite() && margin >= 0.0) {
        return Err(bad(&format!("; {margin_text} is not a margin")));
    }
    Ok(Guardrail {
        metric: metric.to_owned(),
        margin,
    })
}

fn parse_max_segments(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(k) if (1..=1000).contains(&k) => Ok(k),
        _ => Err(format!(
            "--max-segments must be a whole number from 1 to 1000, not \"{text}\""
        )),
    }
}

impl WaveTwoArgs {
    /// Adds the options to a spec whose plain metrics are already set; an error names an option
    /// that refers to a metric that is not analysed.
    pub fn apply(&self, spec: &mut ExperimentSpec, kind: MetricKind) -> Result<(), String> {
        for c in &self.covariates {
            let Some(m) = spec
                .metrics
                .iter_mut()
                .find(|m| m.column == c.metric && m.denominator.is_none())
            else {
                return Err(format!(
                    "--covariate {}={}: \"{}\" is not one of the metrics given with --metric ({})",
                    c.metric,
                    c.column,
                    c.metric,
                    names(spec)
                ));
            };
            if m.covariate.is_some() {
                return Err(format!(
                    "--covariate is given twice for the metric \"{}\"",
                    c.metric
                ));
            }
            if c.column == c.metric {
                return Err(format!(
                    "--covariate {}={}: a metric cannot be its own pre-experiment value",
                    c.metric, c.column
                ));
            }
            m.covariate = Some(c.column.clone());
        }
        for r in &self.ratios {
            if spec.metrics.iter().any(|m| m.display_name() == r.name) {
                return Err(format!(
                    "--ratio {}: the name \"{}\" is already a metric; choose another",
                    r.name, r.name
                ));
            }
            spec.metrics.push(MetricSpec {
                column: r.numerator.clone(),
                kind,
                denominator: Some(r.denominator.clone()),
                label: r.name.clone(),
                ..MetricSpec::default()
            });
        }
        let find = |spec: &mut ExperimentSpec, name: &str, option: &str| -> Result<usize, String> {
            spec.metrics
                .iter()
                .position(|m| m.display_name() == name)
                .ok_or_else(|| {
                    format!(
                        "{option} {name}: \"{name}\" is not one of the metrics analysed ({})",
                        names(spec)
                    )
                })
        };
        for s in &self.success {
            let i = find(spec, s, "--success")?;
            if let Some(m) = spec.metrics.get_mut(i) {
                m.role = DecisionRole::Success;
            }
        }
        for g in &self.guardrails {
            let i = find(spec, &g.metric, "--guardrail")?;
            if let Some(m) = spec.metrics.get_mut(i) {
                if m.role == DecisionRole::Success {
                    return Err(format!(
                        "\"{}\" is given both as --success and as --guardrail; a metric plays one \
                         role",
                        g.metric
                    ));
                }
                m.role = DecisionRole::Guardrail { margin: g.margin };
            }
        }
        for l in &self.lower_is_better {
            let i = find(spec, l, "--lower-is-better")?;
            if let Some(m) = spec.metrics.get_mut(i) {
                m.lower_is_better = true;
            }
        }
        if let Some(col) = &self.segment {
            if *col == spec.variant_column {
                return Err(format!(
                    "--segment {col}: the variant column cannot also be the segment column"
                ));
            }
            spec.segment = Some(col.clone());
        }
        spec.max_segments = self.max_segments;
        Ok(())
    }
}

fn names(spec: &ExperimentSpec) -> String {
    let all: Vec<String> = spec
        .metrics
        .iter()
        .map(|m| format!("\"{}\"", m.display_name()))
        .collect();
    if all.is_empty() {
        "none".to_owned()
    } else {
        all.join(", ")
    }
}

/// The lines the second wave adds under a metric's comparisons: the CUPED note, the minimum
/// detectable effect and the chance to win per treatment.
pub fn metric_extras(m: &MetricResult) -> String {
    let mut out = String::new();
    if let Some(covariate) = &m.covariate {
        let text = match (m.theta, m.variance_reduction) {
            (Some(theta), Some(reduction)) => format!(
                "CUPED: adjusted with the pre-experiment {covariate} (theta = {}); it removed {} \
                 of the noise.{}",
                crate::format::sig(theta, 4),
                percent(reduction.max(0.0)),
                if m.covariate_missing > 0 {
                    format!(
                        " {} unit{} without {covariate} {} not adjusted.",
                        number(m.covariate_missing as f64),
                        if m.covariate_missing == 1 { "" } else { "s" },
                        if m.covariate_missing == 1 {
                            "was"
                        } else {
                            "were"
                        }
                    )
                } else {
                    String::new()
                }
            ),
            _ => format!(
                "CUPED: {covariate} could not adjust this metric (see the warnings); the results \
                 are unadjusted."
            ),
        };
        out.push_str(&wrap(&text, 96, "  "));
        if !m.comparisons_unadjusted.is_empty() {
            let mut rows = vec![vec![
                "Unadjusted".to_owned(),
                "Difference".to_owned(),
                "Lift".to_owned(),
                "p".to_owned(),
            ]];
            for c in &m.comparisons_unadjusted {
                rows.push(vec![
                    c.treatment.clone(),
                    c.diff.map_or(UNDEFINED.to_owned(), |d| diff_text(m, d)),
                    c.rel_lift.map_or(UNDEFINED.to_owned(), percent_change),
                    c.p_value.map_or(UNDEFINED.to_owned(), p_bare),
                ]);
            }
            out.push_str(&table(&rows, 2));
        }
    }
    for c in &m.comparisons {
        let mut parts = Vec::new();
        if let Some(mde) = c.mde {
            let rel = c
                .mde_rel
                .map(|r| format!(" ({} of the control)", percent(r)))
                .unwrap_or_default();
            parts.push(format!(
                "this test could only have detected changes of ±{}{rel} or more (80% power)",
                diff_text(m, mde).trim_start_matches('+')
            ));
        }
        if let (Some(win), Some(loss)) = (c.chance_to_win, c.expected_loss) {
            parts.push(format!(
                "chance that {} is better: {}, expected loss if shipped: {} (flat prior, normal \
                 approximation)",
                c.treatment,
                percent(win),
                diff_text(m, loss).trim_start_matches('+')
            ));
        }
        if !parts.is_empty() {
            out.push_str(&wrap(
                &format!("{}: {}.", c.treatment, parts.join("; ")),
                96,
                "  ",
            ));
        }
    }
    out
}

fn diff_text(m: &MetricResult, x: f64) -> String {
    match m.kind {
        crate::analysis::ResolvedKind::Proportion => points(x),
        _ => signed(x),
    }
}

/// The segment breakdown: per metric and treatment, a table of segments and the sentence on
/// heterogeneity.
pub fn segments_text(s: &SegmentsResult, alpha: f64) -> String {
    let mut out = format!("\nBy {}\n", s.column);
    for m in &s.metrics {
        out.push_str(&format!("\n  {} — {}\n", m.metric, m.treatment));
        let mut rows = vec![vec![
            "Segment".to_owned(),
            "n control".to_owned(),
            "n treatment".to_owned(),
            "Difference (CI)".to_owned(),
            "Lift".to_owned(),
            "p".to_owned(),
            "Adjusted p".to_owned(),
        ]];
        for r in &m.rows {
            rows.push(vec![
                r.segment.clone(),
                number(r.n_control as f64),
                number(r.n_treatment as f64),
                match (r.diff, r.diff_ci_low, r.diff_ci_high) {
                    (Some(d), Some(lo), Some(hi)) => {
                        format!("{} ({} to {})", signed(d), signed(lo), signed(hi))
                    }
                    (Some(d), _, _) => signed(d),
                    _ => UNDEFINED.to_owned(),
                },
                r.rel_lift.map_or(UNDEFINED.to_owned(), percent_change),
                r.p_value.map_or(UNDEFINED.to_owned(), p_bare),
                r.p_value_holm.map_or(UNDEFINED.to_owned(), p_bare),
            ]);
        }
        out.push_str(&table(&rows, 4));
        out.push_str(&wrap(
            &heterogeneity_sentence(&s.column, m, alpha),
            96,
            "    ",
        ));
    }
    out
}

/// The decision per treatment, with its reasons.
pub fn decisions_text(r: &ExperimentResult) -> String {
    if r.decisions.is_empty() {
        return String::new();
    }
    let mut out = "\nDecision\n".to_owned();
    for d in &r.decisions {
        let badge = match d.decision {
            Decision::Ship => "SHIP",
            Decision::DoNotShip => "DON'T SHIP",
            Decision::Inconclusive => "INCONCLUSIVE",
            Decision::SrmFailure => "SAMPLE-RATIO PROBLEM",
        };
        out.push_str(&format!("  {}: {badge}\n", d.treatment));
        for reason in &d.reasons {
            out.push_str(&wrap(reason, 96, "    - "));
        }
    }
    out
}
