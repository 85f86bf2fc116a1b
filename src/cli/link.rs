//! `throughline link`: how an ML metric relates to a business metric (CONTRACT.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::analyze::{ReadArgs, parse_alpha, run_error_message, table, wrap};
use crate::analysis::LinkResult;
use crate::data::aggregate::run_link;
use crate::format::{UNDEFINED, confidence_label, p_value, sig};
use crate::model::{LinkData, LinkSpec};

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
    /// The column with each point's standard error of the ML metric (e.g. of a measured
    /// effect): the line then accounts for noise in both metrics (York fit).
    #[arg(long, value_name = "COL", conflicts_with = "experiment_col")]
    pub x_se: Option<String>,
    /// The column with each point's standard error of the business metric.
    #[arg(long, value_name = "COL", conflicts_with = "experiment_col")]
    pub y_se: Option<String>,
    /// A unit-level file holding many experiments: the column naming each row's experiment.
    /// Each point is then one experiment's treatment-minus-control difference of --x and --y,
    /// with its standard error, and the line is the York fit across experiments.
    #[arg(long, value_name = "COL", requires_all = ["variant_col", "control"])]
    pub experiment_col: Option<String>,
    /// With --experiment-col: the column naming each row's variant.
    #[arg(long, value_name = "COL", requires = "experiment_col")]
    pub variant_col: Option<String>,
    /// With --experiment-col: the control variant's value.
    #[arg(long, value_name = "VALUE", requires = "experiment_col")]
    pub control: Option<String>,
    /// Significance level for the tests and intervals.
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    pub alpha: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// The JSON output: the file and columns, then the figures of CONTRACT.md. With standard
/// errors, `slope`, `intercept`, `slope_se` and the slope's interval are the York fit's, beside
/// `mswd`, `ols_slope` and `reliability_x`; the correlations stay the plain ones.
#[derive(Debug, Serialize)]
struct LinkOutput<'a> {
    file: String,
    x: &'a str,
    y: &'a str,
    alpha: f64,
    /// "york" or "ols".
    method: &'static str,
    #[serde(flatten)]
    result: LinkResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    mswd: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ols_slope: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reliability_x: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    converged: Option<bool>,
    /// Per-experiment effects: each experiment's differences and standard errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    experiments: Vec<ExperimentPoint>,
}

/// One per-experiment point (with --experiment-col).
#[derive(Debug, Serialize)]
struct ExperimentPoint {
    label: String,
    x: f64,
    x_se: f64,
    y: f64,
    y_se: f64,
}

impl<'a> LinkOutput<'a> {
    fn new(args: &'a LinkArgs, data: LinkData) -> Self {
        let LinkData { mut result, points } = data;
        let point_se = std::mem::take(&mut result.point_se);
        let experiments = if args.experiment_col.is_some() {
            points
                .iter()
                .zip(&point_se)
                .map(|(p, [x_se, y_se])| ExperimentPoint {
                    label: p.label.clone(),
                    x: p.x,
                    x_se: *x_se,
                    y: p.y,
                    y_se: *y_se,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut out = Self {
            file: args.file.display().to_string(),
            x: &args.x,
            y: &args.y,
            alpha: args.alpha,
            method: "ols",
            result,
            mswd: None,
            ols_slope: None,
            reliability_x: None,
            converged: None,
            experiments,
        };
        if let Some(york) = out.result.york.take().map(|y| *y) {
            out.method = "york";
            let r = &mut out.result;
            r.slope = york.slope;
            r.intercept = york.intercept;
            r.slope_se = york.slope_se;
            r.slope_ci_low = york.slope_ci_low;
            r.slope_ci_high = york.slope_ci_high;
            if !york.verdict.is_empty() {
                r.verdict = york.verdict;
            }
            r.warnings.extend(york.warnings);
            out.mswd = Some(york.mswd);
            out.ols_slope = Some(york.ols_slope);
            out.reliability_x = Some(york.reliability_x);
            out.converged = Some(york.converged);
        }
        out
    }
}

pub fn run(args: &LinkArgs) -> ExitCode {
    let spec = LinkSpec {
        x: args.x.clone(),
        y: args.y.clone(),
        alpha: args.alpha,
        x_se: args.x_se.clone(),
        y_se: args.y_se.clone(),
        experiment_column: args.experiment_col.clone(),
        variant_column: args.variant_col.clone().unwrap_or_default(),
        control: args.control.clone().unwrap_or_default(),
        ..LinkSpec::default()
    };
    let data = match run_link(
        &args.file,
        &args.read.import_options(),
        &spec,
        &args.read.control(),
    ) {
        Ok(data) => data,
        Err(e) => {
            super::print_error(&run_error_message(&e));
            return ExitCode::from(1);
        }
    };
    let output = LinkOutput::new(args, data);
    if args.json {
        super::print_json(&output)
    } else {
        super::print_text(&render(&output))
    }
}

fn render(o: &LinkOutput<'_>) -> String {
    let r = &o.result;
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
            if o.method == "york" {
                format!("Slope, noise-aware ({} per unit of {})", o.y, o.x)
            } else {
                format!("Slope ({} per unit of {})", o.y, o.x)
            },
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
    let mut rows = rows;
    if o.method == "york" {
        let flat = |x: Option<Option<f64>>| x.flatten();
        rows.push(vec![
            "Plain least-squares slope".to_owned(),
            num(flat(o.ols_slope)),
            String::new(),
            String::new(),
        ]);
        rows.push(vec![
            "Reliability of x".to_owned(),
            num(flat(o.reliability_x)),
            String::new(),
            String::new(),
        ]);
        rows.push(vec![
            "MSWD".to_owned(),
            num(flat(o.mswd)),
            String::new(),
            String::new(),
        ]);
    }
    let mut out = format!("Link: {} (x) and {} (y) in {}\n", o.x, o.y, o.file);
    out.push_str(if o.method == "york" {
        "Method: York fit, accounting for the measurement noise of each point in both metrics.\n\n"
    } else {
        "Method: ordinary least squares (the fit ignores measurement noise in the ML metric).\n\n"
    });
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
