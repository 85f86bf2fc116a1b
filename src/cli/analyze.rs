//! `throughline analyze`: an A/B(/n) experiment from a data file (CONTRACT.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::analysis::{ExperimentResult, MetricResult, ResolvedKind};
use crate::data::aggregate::{AggregateError, ReadControl, ReadEngine, RunError, run_experiment};
use crate::format::{
    UNDEFINED, confidence_label, number, p_bare, p_value, percent, percent_change, points, sig,
    signed,
};
use crate::model::{ExperimentSpec, ImportOptions, MetricKind, MetricSpec};

/// How to read the data file (shared by the subcommands that read one).
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Count text in a numeric column (and rows with too few fields) as missing instead of
    /// stopping with an error.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// CSV: the field delimiter (detected when not given), e.g. ';' or 'tab'.
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<char>,
    /// CSV: numbers use a decimal comma ("1,5"); detected when not given.
    #[arg(long)]
    pub decimal_comma: bool,
    /// CSV: the first line is data, not column names (columns are then column_1, column_2, ...).
    #[arg(long)]
    pub no_header: bool,
    /// Excel: the sheet to read (the first when not given).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Which reader to use for CSV (for benchmarks): auto (the fast streaming reader) or polars.
    #[arg(long, value_enum, default_value_t = EngineArg::Auto, hide = true)]
    pub reader: EngineArg,
}

/// `--reader`: which reader turns a CSV file into statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Auto,
    Polars,
}

impl ReadArgs {
    pub fn import_options(&self) -> ImportOptions {
        ImportOptions {
            delimiter: self.delimiter,
            decimal_comma: self.decimal_comma.then_some(true),
            has_header: self.no_header.then_some(false),
            sheet: self.sheet.clone(),
            skip_bad_rows: self.skip_bad_rows,
        }
    }

    /// How to read: the chosen reader, no cancel, no progress.
    pub fn control(&self) -> ReadControl<'static> {
        ReadControl {
            engine: match self.reader {
                EngineArg::Auto => ReadEngine::Auto,
                EngineArg::Polars => ReadEngine::Polars,
            },
            ..ReadControl::default()
        }
    }
}

/// The message of a reading error, with a hint at --skip-bad-rows where it would help.
pub(crate) fn read_error_message(e: &AggregateError) -> String {
    if e.is_skippable() {
        format!(
            "{e}\n(pass --skip-bad-rows to leave such values or rows out, counted as missing, and go on)"
        )
    } else {
        e.to_string()
    }
}

fn parse_delimiter(text: &str) -> Result<char, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok('\t'),
        "comma" => Ok(','),
        "semicolon" => Ok(';'),
        "pipe" => Ok('|'),
        _ => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii() && c != '"' && c != '\n' => Ok(c),
                _ => Err(format!(
                    "the delimiter must be a single character such as ',' ';' '|' or 'tab', not \
                     \"{text}\""
                )),
            }
        }
    }
}

/// A significance level strictly between 0 and 1.
pub(crate) fn parse_alpha(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(a) if a > 0.0 && a < 1.0 => Ok(a),
        _ => Err(format!(
            "alpha must be a number between 0 and 1 (exclusive), such as 0.05, not \"{text}\""
        )),
    }
}

/// How to analyse the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Proportion when every present value is 0/1 or true/false, else mean.
    Auto,
    Mean,
    Proportion,
}

impl From<KindArg> for MetricKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Auto => MetricKind::Auto,
            KindArg::Mean => MetricKind::Mean,
            KindArg::Proportion => MetricKind::Proportion,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    /// The data file: unit level (one row per user) or summary statistics (one row per
    /// variant with n, mean and std dev, or n, sum and sum of squares). CSV/TSV, Parquet,
    /// NDJSON/JSON, Arrow IPC or Excel.
    pub file: PathBuf,
    /// The column that names each row's variant.
    #[arg(long = "variant-col", value_name = "COL")]
    pub variant_col: String,
    /// The variant to compare the others with.
    #[arg(long, value_name = "VALUE")]
    pub control: String,
    /// A metric column (repeat for several). For a summary-statistics file, the metric's name:
    /// its columns are found as NAME_mean and NAME_std_dev (or NAME_std, NAME_sd), or NAME_sum
    /// and NAME_sum_sq, with a count NAME_n or n (count, users, units).
    #[arg(
        long = "metric",
        value_name = "COL",
        required_unless_present = "ratios"
    )]
    pub metrics: Vec<String>,
    /// Significance level: how often you accept being fooled by chance.
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    pub alpha: f64,
    /// Analyse metrics as means, proportions, or decide per metric (auto).
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Expected split of rows for the sample-ratio check, e.g. control=0.5,treatment=0.5
    /// (shares need not add up to 1; default: equal).
    #[arg(long, value_parser = parse_weights)]
    pub weights: Option<Weights>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    #[command(flatten)]
    pub wave2: super::experiment_options::WaveTwoArgs,
}

/// `--weights control=0.5,treatment=0.5`.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights(pub Vec<(String, f64)>);

fn parse_weights(text: &str) -> Result<Weights, String> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = part.rsplit_once('=') else {
            return Err(format!(
                "\"{part}\" should be VARIANT=SHARE, e.g. control=0.5,treatment=0.5"
            ));
        };
        let share: f64 = value.trim().parse().map_err(|_| {
            format!(
                "the share of \"{}\" is not a number: \"{value}\"",
                name.trim()
            )
        })?;
        if !(share.is_finite() && share > 0.0) {
            return Err(format!(
                "the share of \"{}\" must be a positive number, not {value}",
                name.trim()
            ));
        }
        out.push((name.trim().to_owned(), share));
    }
    if out.len() < 2 {
        return Err("give a share for every variant, e.g. control=0.5,treatment=0.5".to_owned());
    }
    Ok(Weights(out))
}

pub fn run(args: &AnalyzeArgs) -> ExitCode {
    match analyze(args) {
        Ok(result) => {
            if args.json {
                super::print_json(&result)
            } else {
                super::print_text(&render(&result))
            }
        }
        Err(message) => {
            super::print_error(&message);
            ExitCode::from(1)
        }
    }
}

fn analyze(args: &AnalyzeArgs) -> Result<ExperimentResult, String> {
    let mut spec = ExperimentSpec {
        variant_column: args.variant_col.clone(),
        control: args.control.clone(),
        metrics: args
            .metrics
            .iter()
            .map(|m| MetricSpec {
                column: m.clone(),
                kind: MetricKind::from(args.kind),
                business: false,
                ..MetricSpec::default()
            })
            .collect(),
        alpha: args.alpha,
        expected_split: args
            .weights
            .as_ref()
            .map(|w| w.0.clone())
            .unwrap_or_default(),
        ..ExperimentSpec::default()
    };
    args.wave2.apply(&mut spec, MetricKind::from(args.kind))?;
    run_experiment(
        &args.file,
        &args.read.import_options(),
        &spec,
        &args.read.control(),
    )
    .map_err(|e| run_error_message(&e))
}

/// The message of a failed run, with a hint at --skip-bad-rows where it would help.
pub(crate) fn run_error_message(e: &RunError) -> String {
    match e {
        RunError::Read(e) => read_error_message(e),
        other => other.to_string(),
    }
}

/// The readable report: per metric a table of variants, a table of comparisons and the
/// verdicts, then the sample-ratio check and any warnings.
pub fn render(r: &ExperimentResult) -> String {
    let mut out = String::new();
    let ci = confidence_label(r.alpha);
    out.push_str(&format!(
        "Experiment: {} ({} rows), control: {}, alpha = {}\n",
        r.file,
        number(r.rows as f64),
        r.control,
        sig(r.alpha, 3)
    ));
    for m in &r.metrics {
        let kind = match m.kind {
            ResolvedKind::Mean => "mean per row",
            ResolvedKind::Ratio => "ratio",
            ResolvedKind::Proportion => "proportion",
        };
        out.push_str(&format!("\n{} ({kind})\n", m.metric));
        out.push_str(&table(&variant_rows(m, &ci), 2));
        if !m.comparisons.is_empty() {
            out.push('\n');
            out.push_str(&table(&comparison_rows(r, m, &ci), 2));
            out.push('\n');
            for c in &m.comparisons {
                out.push_str(&wrap(&c.verdict, 96, "  "));
            }
        }
        out.push_str(&super::experiment_options::metric_extras(m));
    }
    if let Some(s) = &r.segments {
        out.push_str(&super::experiment_options::segments_text(s, r.alpha));
    }
    out.push_str(&super::experiment_options::decisions_text(r));
    out.push_str(&srm_text(r));
    if !r.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &r.warnings {
            out.push_str(&wrap(w, 96, "  - "));
        }
    }
    out
}

/// The table of one metric's variants: n, missing, level, spread and interval.
fn variant_rows(m: &MetricResult, ci: &str) -> Vec<Vec<String>> {
    let level = |x: Option<f64>| match (x, m.kind) {
        (Some(v), ResolvedKind::Proportion) => percent(v),
        (Some(v), ResolvedKind::Mean | ResolvedKind::Ratio) => number(v),
        (None, _) => UNDEFINED.to_owned(),
    };
    let mut rows = vec![vec![
        "Variant".to_owned(),
        "n".to_owned(),
        "Missing".to_owned(),
        match m.kind {
            ResolvedKind::Mean => "Mean".to_owned(),
            ResolvedKind::Ratio => "Ratio".to_owned(),
            ResolvedKind::Proportion => "Rate".to_owned(),
        },
        "Std dev".to_owned(),
        ci.to_owned(),
    ]];
    for v in &m.variants {
        rows.push(vec![
            v.variant.clone(),
            number(v.n as f64),
            number(v.missing as f64),
            level(v.mean),
            v.std_dev.map_or(UNDEFINED.to_owned(), number),
            match (v.ci_low, v.ci_high) {
                (Some(lo), Some(hi)) => format!("{} to {}", level(Some(lo)), level(Some(hi))),
                _ => UNDEFINED.to_owned(),
            },
        ]);
    }
    rows
}

/// The table of one metric's comparisons with the control: difference, lift and p-values.
fn comparison_rows(r: &ExperimentResult, m: &MetricResult, ci: &str) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        format!("vs {}", r.control),
        format!("Difference ({ci})"),
        format!("Lift ({ci})"),
        "p".to_owned(),
        "Adjusted p".to_owned(),
        "p of lift".to_owned(),
    ]];
    for c in &m.comparisons {
        // A difference of rates reads best in percentage points.
        let signed = |x: f64| match m.kind {
            ResolvedKind::Mean | ResolvedKind::Ratio => signed(x),
            ResolvedKind::Proportion => points(x),
        };
        let diff = match (c.diff, c.diff_ci_low, c.diff_ci_high) {
            (Some(d), Some(lo), Some(hi)) => {
                format!("{} ({} to {})", signed(d), signed(lo), signed(hi))
            }
            (Some(d), _, _) => signed(d),
            _ => UNDEFINED.to_owned(),
        };
        let lift = match (c.rel_lift, c.rel_ci_low, c.rel_ci_high) {
            (Some(d), Some(lo), Some(hi)) => format!(
                "{} ({} to {})",
                percent_change(d),
                percent_change(lo),
                percent_change(hi)
            ),
            (Some(d), _, _) => percent_change(d),
            _ => UNDEFINED.to_owned(),
        };
        let p = |p: Option<f64>| p.map_or(UNDEFINED.to_owned(), p_bare);
        rows.push(vec![
            c.treatment.clone(),
            diff,
            lift,
            p(c.p_value),
            p(c.p_value_holm),
            p(c.rel_p_value),
        ]);
    }
    rows
}

/// The sample ratio check in one line.
fn srm_text(r: &ExperimentResult) -> String {
    let mut out = String::new();
    out.push_str("\nSample ratio check: ");
    let counts = r
        .srm
        .counts
        .iter()
        .map(|(v, n)| format!("{v} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    match (r.srm.chi2, r.srm.p_value) {
        (Some(chi2), Some(p)) => {
            let verdict = if r.srm.warning.is_some() {
                "MISMATCH: see the warning below."
            } else {
                "the split matches the plan."
            };
            out.push_str(&format!(
                "{counts} rows; chi-square = {}, {}: {verdict}\n",
                sig(chi2, 3),
                p_value(p)
            ));
        }
        _ => out.push_str(&format!("{counts} rows; not computable.\n")),
    }
    out
}

/// Columns padded to their widest cell; the first column left-aligned, the others right.
pub(crate) fn table(rows: &[Vec<String>], indent: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        out.push_str(&" ".repeat(indent));
        for (c, cell) in row.iter().enumerate() {
            let width = widths.get(c).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.chars().count());
            if c == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("   ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.push('\n');
    }
    out
}

/// Wraps text at `width` columns; the first line starts with `first`, the others are indented
/// to match.
pub(crate) fn wrap(text: &str, width: usize, first: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse() {
        assert_eq!(
            parse_weights("a=1, b=2").unwrap(),
            Weights(vec![("a".into(), 1.0), ("b".into(), 2.0)])
        );
        assert!(parse_weights("a=1").is_err());
        assert!(parse_weights("a=x,b=1").is_err());
        assert!(parse_weights("a=-1,b=1").is_err());
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("aa bb cc", 6, "- "), "- aa\n  bb\n  cc\n");
    }
}
