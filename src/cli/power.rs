//! `throughline power`: the sample size an experiment needs (CONTRACT.md).

use std::process::ExitCode;

use clap::{ArgGroup, Args};

use super::analyze::{parse_alpha, table, wrap};
use crate::analysis::{PowerInput, PowerMetric, PowerResult, ResolvedKind, sample_size};
use crate::format::sig;

#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("metric").required(true).args(["baseline", "std_dev"]).multiple(true)))]
pub struct PowerArgs {
    /// A rate metric: the baseline rate (e.g. 0.10 for 10% conversion). With --std-dev: the
    /// baseline mean, needed for a --relative effect.
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub baseline: Option<f64>,
    /// A mean metric: its standard deviation per unit.
    #[arg(long = "std-dev", value_name = "S", allow_negative_numbers = true)]
    pub std_dev: Option<f64>,
    /// The smallest effect worth detecting: a difference (0.01 = one percentage point for a
    /// rate), or a share of the baseline with --relative (0.05 = 5%).
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub mde: f64,
    /// Read --mde as relative to the baseline.
    #[arg(long)]
    pub relative: bool,
    /// Significance level (two-sided).
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    pub alpha: f64,
    /// The chance of detecting an effect of size --mde.
    #[arg(long, default_value = "0.8", value_parser = parse_power)]
    pub power: f64,
    /// Number of variants, including the control.
    #[arg(long, default_value = "2", value_parser = clap::value_parser!(u32).range(2..))]
    pub variants: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_power(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!(
            "power must be a number between 0 and 1 (exclusive), such as 0.8, not \"{text}\""
        )),
    }
}

pub fn run(args: &PowerArgs) -> ExitCode {
    let metric = match (args.std_dev, args.baseline) {
        (Some(std_dev), baseline) => PowerMetric::Mean { std_dev, baseline },
        (None, Some(baseline)) => PowerMetric::Proportion { baseline },
        (None, None) => {
            super::print_error("give --baseline (a rate metric) or --std-dev (a mean metric)");
            return ExitCode::from(2);
        }
    };
    let input = PowerInput {
        metric,
        mde: args.mde,
        relative: args.relative,
        alpha: args.alpha,
        power: args.power,
        variants: args.variants,
    };
    match sample_size(&input) {
        Ok(result) if args.json => super::print_json(&result),
        Ok(result) => super::print_text(&render(&result)),
        Err(e) => {
            super::print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}

fn render(r: &PowerResult) -> String {
    let mut rows = vec![vec!["Setting".to_owned(), "Value".to_owned()]];
    match r.kind {
        ResolvedKind::Proportion => {
            rows.push(vec!["Metric".into(), "rate (proportion)".into()]);
            if let Some(b) = r.baseline {
                rows.push(vec!["Baseline rate".into(), sig(b, 6)]);
            }
            if let Some(t) = r.target {
                rows.push(vec!["Rate to detect".into(), sig(t, 6)]);
            }
        }
        ResolvedKind::Mean | ResolvedKind::Ratio => {
            rows.push(vec!["Metric".into(), "mean".into()]);
            if let Some(s) = r.std_dev {
                rows.push(vec!["Standard deviation".into(), sig(s, 6)]);
            }
            if let Some(b) = r.baseline {
                rows.push(vec!["Baseline mean".into(), sig(b, 6)]);
            }
        }
    }
    rows.push(vec!["Difference to detect".into(), sig(r.mde_absolute, 6)]);
    rows.push(vec!["Alpha (two-sided)".into(), sig(r.alpha, 6)]);
    rows.push(vec!["Power".into(), sig(r.power, 6)]);
    rows.push(vec!["Variants".into(), r.variants.to_string()]);
    rows.push(vec![
        "Units per variant".into(),
        r.n_per_variant.to_string(),
    ]);
    rows.push(vec!["Units in total".into(), r.total.to_string()]);
    let mut out = String::from("Sample size\n\n");
    out.push_str(&table(&rows, 2));
    out.push('\n');
    out.push_str(&wrap(&r.summary, 96, "  "));
    out
}
