//! `throughline meta`: random-effects pooling of past experiments' effects (CONTRACT.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::analyze::{ReadArgs, parse_alpha, run_error_message, table, wrap};
use crate::analysis::meta::MetaResult;
use crate::data::aggregate::run_meta;
use crate::format::{UNDEFINED, confidence_label, p_value, sig};
use crate::model::MetaSpec;

#[derive(Debug, Clone, Args)]
pub struct MetaArgs {
    /// The data file: one row per past experiment.
    pub file: PathBuf,
    /// The column with each experiment's measured effect (e.g. the change in revenue per user).
    #[arg(long, value_name = "COL")]
    pub effect: String,
    /// The column with the standard error of each effect.
    #[arg(long, value_name = "COL")]
    pub se: String,
    /// The column naming each experiment (rows are numbered when not given).
    #[arg(long, value_name = "COL")]
    pub label: Option<String>,
    /// Significance level for the interval and the heterogeneity test.
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
struct MetaOutput<'a> {
    file: String,
    effect: &'a str,
    se: &'a str,
    method: &'static str,
    #[serde(flatten)]
    result: &'a MetaResult,
}

pub fn run(args: &MetaArgs) -> ExitCode {
    let spec = MetaSpec {
        effect_column: args.effect.clone(),
        se_column: args.se.clone(),
        label_column: args.label.clone(),
        alpha: args.alpha,
        ..MetaSpec::default()
    };
    let result = match run_meta(
        &args.file,
        &args.read.import_options(),
        &spec,
        &args.read.control(),
    ) {
        Ok(result) => result,
        Err(e) => {
            super::print_error(&run_error_message(&e));
            return ExitCode::from(1);
        }
    };
    let output = MetaOutput {
        file: args.file.display().to_string(),
        effect: &args.effect,
        se: &args.se,
        method: "dersimonian-laird",
        result: &result,
    };
    if args.json {
        super::print_json(&output)
    } else {
        super::print_text(&render(&output))
    }
}

fn render(o: &MetaOutput<'_>) -> String {
    let r = o.result;
    let ci = confidence_label(r.alpha);
    let num = |x: Option<f64>| x.map_or(UNDEFINED.to_owned(), |v| sig(v, 4));
    let interval = match (r.ci_low, r.ci_high) {
        (Some(lo), Some(hi)) => format!("{} to {}", sig(lo, 4), sig(hi, 4)),
        _ => UNDEFINED.to_owned(),
    };
    let mut rows = vec![
        vec!["Figure".to_owned(), "Value".to_owned(), ci.clone()],
        vec!["Experiments (k)".to_owned(), r.k.to_string(), String::new()],
        vec!["Pooled effect".to_owned(), num(r.pooled), interval],
        vec![
            "Pooled std error".to_owned(),
            num(r.pooled_se),
            String::new(),
        ],
        vec![
            "Between-experiment variance (tau2)".to_owned(),
            num(r.tau2),
            String::new(),
        ],
        vec![
            "Cochran's Q".to_owned(),
            num(r.q),
            r.q_p_value.map_or(UNDEFINED.to_owned(), p_value),
        ],
        vec!["I2".to_owned(), num(r.i_squared), String::new()],
    ];
    rows.push(vec![String::new(), String::new(), String::new()]);
    rows.push(vec![
        "Experiment".to_owned(),
        "Measured".to_owned(),
        "Likely worth (shrunken)".to_owned(),
    ]);
    for e in &r.experiments {
        rows.push(vec![
            e.label.clone(),
            format!("{} (se {})", sig(e.effect, 4), sig(e.se, 3)),
            num(e.shrunken),
        ]);
    }
    let mut out = format!(
        "Meta-analysis (random effects, DerSimonian-Laird): {} with standard errors {} in {}\n\n",
        o.effect, o.se, o.file
    );
    out.push_str(&table(&rows, 2));
    out.push('\n');
    out.push_str(&wrap(
        "A past experiment's measured effect is partly noise; the largest measured wins are \
         usually worth less (the winner's curse). The shrunken effect is what each is likely \
         really worth.",
        96,
        "  ",
    ));
    if !r.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &r.warnings {
            out.push_str(&wrap(w, 96, "  - "));
        }
    }
    out
}
