//! `throughline link`: how an ML metric relates to a business metric (CONTRACT.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::analyze::{ReadArgs, parse_alpha, run_error_message, table, wrap};
use crate::analysis::LinkResult;
use crate::data::aggregate::run_link;
use crate::format::{UNDEFINED, confidence_label, p_value, sig};
use crate::model::LinkSpec;

#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// The data file: one row per experiment, model or day.
    pub file: PathBuf,
    /// The ML metric column (e.g. offline accuracy).
    #[arg(long, value_name = "COL")]
    pub x: String,
    /// The business metric column (e.g. revenue per user).
    #[arg(long, value_name = "COL")]
    pub y: String,
    /// Significance level for the tests and intervals.
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    pub alpha: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// The JSON output: the file and columns, then the figures of CONTRACT.md.
#[derive(Debug, Serialize)]
struct LinkOutput<'a> {
    file: String,
    x: &'a str,
    y: &'a str,
    alpha: f64,
    #[serde(flatten)]
    result: &'a LinkResult,
}

pub fn run(args: &LinkArgs) -> ExitCode {
    let spec = LinkSpec {
        x: args.x.clone(),
        y: args.y.clone(),
        alpha: args.alpha,
        ..LinkSpec::default()
    };
    let result = match run_link(
        &args.file,
        &args.read.import_options(),
        &spec,
        &args.read.control(),
    ) {
        Ok(run) => run.result,
        Err(e) => {
            super::print_error(&run_error_message(&e));
            return ExitCode::from(1);
        }
    };
    let output = LinkOutput {
        file: args.file.display().to_string(),
        x: &args.x,
        y: &args.y,
        alpha: args.alpha,
        result: &result,
    };
    if args.json {
        super::print_json(&output)
    } else {
        super::print_text(&render(&output))
    }
}

fn render(o: &LinkOutput<'_>) -> String {
    let r = o.result;
    let ci = confidence_label(o.alpha);
    let num = |x: Option<f64>| x.map_or(UNDEFINED.to_owned(), |v| sig(v, 4));
    let interval = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", sig(lo, 4), sig(hi, 4)),
        _ => UNDEFINED.to_owned(),
    };
    let p = |p: Option<f64>| p.map_or(UNDEFINED.to_owned(), p_value);
    let rows = vec![
        vec![
            "Figure".to_owned(),
            "Value".to_owned(),
            ci.clone(),
            "p".to_owned(),
        ],
        vec![
            "Points (n)".to_owned(),
            r.n.to_string(),
            String::new(),
            String::new(),
        ],
        vec![
            "Pearson r".to_owned(),
            num(r.pearson_r),
            interval(r.pearson_ci_low, r.pearson_ci_high),
            p(r.pearson_p),
        ],
        vec![
            "Spearman rho".to_owned(),
            num(r.spearman_rho),
            String::new(),
            p(r.spearman_p),
        ],
        vec![
            format!("Slope ({} per unit of {})", o.y, o.x),
            num(r.slope),
            interval(r.slope_ci_low, r.slope_ci_high),
            String::new(),
        ],
        vec![
            "Slope std error".to_owned(),
            num(r.slope_se),
            String::new(),
            String::new(),
        ],
        vec![
            "Intercept".to_owned(),
            num(r.intercept),
            String::new(),
            String::new(),
        ],
        vec![
            "R squared".to_owned(),
            num(r.r_squared),
            String::new(),
            String::new(),
        ],
    ];
    let mut out = format!("Link: {} (x) and {} (y) in {}\n\n", o.x, o.y, o.file);
    out.push_str(&table(&rows, 2));
    out.push('\n');
    out.push_str(&wrap(&r.verdict, 96, "  "));
    if !r.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &r.warnings {
            out.push_str(&wrap(w, 96, "  - "));
        }
    }
    out
}
