//! `throughline threshold`: the business value of a classifier's threshold (CONTRACT.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::analyze::{ReadArgs, run_error_message, table, wrap};
use crate::analysis::ThresholdResult;
use crate::data::aggregate::run_threshold;
use crate::format::{UNDEFINED, sig};
use crate::model::ThresholdSpec;

#[derive(Debug, Clone, Args)]
pub struct ThresholdArgs {
    /// The data file: one row per scored case.
    pub file: PathBuf,
    /// The model's score column; a row is flagged when its score is at or above the threshold.
    #[arg(long, value_name = "COL")]
    pub score: String,
    /// The true outcome column (1/0, true/false or yes/no).
    #[arg(long, value_name = "COL")]
    pub label: String,
    /// Value of a true positive (a flagged case that is positive).
    #[arg(long = "value-tp", value_name = "X", allow_negative_numbers = true)]
    pub value_tp: f64,
    /// Value of a false positive (a flagged case that is negative); a cost is negative.
    #[arg(long = "value-fp", value_name = "X", allow_negative_numbers = true)]
    pub value_fp: f64,
    /// Value of a false negative (a positive case not flagged).
    #[arg(long = "value-fn", value_name = "X", allow_negative_numbers = true)]
    pub value_fn: f64,
    /// Value of a true negative (a negative case not flagged).
    #[arg(long = "value-tn", value_name = "X", allow_negative_numbers = true)]
    pub value_tn: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Serialize)]
struct ThresholdOutput<'a> {
    file: String,
    #[serde(flatten)]
    result: &'a ThresholdResult,
}

pub fn run(args: &ThresholdArgs) -> ExitCode {
    let spec = ThresholdSpec {
        score_column: args.score.clone(),
        label_column: args.label.clone(),
        value_tp: args.value_tp,
        value_fp: args.value_fp,
        value_fn: args.value_fn,
        value_tn: args.value_tn,
        ..ThresholdSpec::default()
    };
    let result = match run_threshold(
        &args.file,
        &args.read.import_options(),
        &spec,
        &args.read.control(),
    ) {
        Ok(r) => r,
        Err(e) => {
            super::print_error(&run_error_message(&e));
            return ExitCode::from(1);
        }
    };
    let output = ThresholdOutput {
        file: args.file.display().to_string(),
        result: &result,
    };
    if args.json {
        super::print_json(&output)
    } else {
        super::print_text(&render(&output))
    }
}

fn render(o: &ThresholdOutput<'_>) -> String {
    let r = o.result;
    let num = |x: Option<f64>| x.map_or(UNDEFINED.to_owned(), |v| sig(v, 6));
    let mut out = format!("Threshold value: {}\n\n", o.file);
    let rows = vec![
        vec!["Figure".to_owned(), "Value".to_owned()],
        vec![
            "Best threshold for value".into(),
            num(r.best_value_threshold),
        ],
        vec!["Value at that threshold".into(), num(r.best_value)],
        vec!["Best threshold for F1".into(), num(r.best_f1_threshold)],
        vec![
            "F1 at that threshold".into(),
            r.best_f1.map_or(UNDEFINED.to_owned(), |v| sig(v, 3)),
        ],
        vec![
            "Value at the best-F1 threshold".into(),
            num(r.value_at_best_f1),
        ],
    ];
    out.push_str(&table(&rows, 2));
    if let (Some(t), Some(v), Some(v_f1)) =
        (r.best_value_threshold, r.best_value, r.value_at_best_f1)
    {
        let gap = v - v_f1;
        let sentence = if gap > 0.0 {
            format!(
                "Flagging cases with a score of at least {} gives the most value ({}); the \
                 threshold that maximises F1 would give {} less.",
                sig(t, 6),
                sig(v, 6),
                sig(gap, 6)
            )
        } else {
            format!(
                "Flagging cases with a score of at least {} gives the most value ({}), the \
                 same as the threshold that maximises F1.",
                sig(t, 6),
                sig(v, 6)
            )
        };
        out.push('\n');
        out.push_str(&wrap(&sentence, 96, "  "));
    }
    // A preview of the curve: about a dozen evenly spread points.
    if !r.curve.is_empty() {
        out.push_str("\n  Curve (use --json for every point):\n");
        let mut rows = vec![vec![
            "Threshold".to_owned(),
            "Value".to_owned(),
            "Precision".to_owned(),
            "Recall".to_owned(),
            "F1".to_owned(),
        ]];
        let step = (r.curve.len() / 12).max(1);
        for (i, p) in r.curve.iter().enumerate() {
            let best = Some(p.threshold) == r.best_value_threshold;
            if i % step != 0 && !best && i + 1 != r.curve.len() {
                continue;
            }
            let mark = if best { " *" } else { "" };
            let short = |x: Option<f64>| x.map_or(UNDEFINED.to_owned(), |v| sig(v, 3));
            rows.push(vec![
                format!("{}{mark}", sig(p.threshold, 4)),
                sig(p.value, 6),
                short(p.precision),
                short(p.recall),
                short(p.f1),
            ]);
        }
        out.push_str(&table(&rows, 4));
        out.push_str("    (* the best value)\n");
    }
    if !r.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &r.warnings {
            out.push_str(&wrap(w, 96, "  - "));
        }
    }
    out
}
