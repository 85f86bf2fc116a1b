//! The command line: `throughline [PROJECT.ron]` opens the window; subcommands run the same core
//! headless (CONTRACT.md).
#![allow(clippy::print_stdout)]

mod experiment_options;
mod report;
mod whatif;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod analyze;
pub mod link;
pub mod meta;
pub mod power;
pub mod sql;
pub mod threshold;
pub mod upgrade;

/// Throughline: trace the line from a business objective to an ML objective and back, with
/// evidence.
#[derive(Debug, Parser)]
#[command(name = "throughline", version, about, long_about = None)]
pub struct Cli {
    /// A project file to open in the window.
    pub project: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate a project file without opening a window, and describe what it holds.
    Check {
        /// The project file (.ron).
        project: PathBuf,
    },
    /// Analyse an A/B(/n) experiment: each variant against the control, with intervals,
    /// p-values, plain-language verdicts and a sample-ratio check.
    Analyze(analyze::AnalyzeArgs),
    /// Relate an ML metric to a business metric: correlation and a fitted line with intervals.
    Link(link::LinkArgs),
    /// Pool many past experiments' effects (random effects, DerSimonian-Laird): the typical
    /// effect, how much experiments differ, and what each past "winner" is likely worth.
    Meta(meta::MetaArgs),
    /// The sample size per variant an experiment needs to detect a given effect.
    Power(power::PowerArgs),
    /// The business value of each decision threshold of a classifier, from a value matrix.
    Threshold(threshold::ThresholdArgs),
    /// Print the warehouse query (DuckDB, PostgreSQL, BigQuery, Snowflake, Spark) whose result,
    /// saved as CSV, is a summary-statistics file for `analyze`.
    Sql(sql::SqlArgs),
    /// Print the outputs of a project's what-if scenarios (value, ROI, payback, goal seek,
    /// sensitivity) without opening a window.
    Whatif {
        /// The project file (.ron).
        project: PathBuf,
        /// Only this scenario (by name).
        #[arg(long)]
        scenario: Option<String>,
        /// Machine-readable output; keys are named as the What-if page labels them.
        #[arg(long)]
        json: bool,
    },
    /// Rewrite project files in the current format version, atomically (the previous file is
    /// kept as NAME.ron.bak); a file already current is rewritten unchanged.
    Upgrade {
        /// The project files (.ron).
        #[arg(required = true)]
        projects: Vec<PathBuf>,
    },
    /// Write the one-page summary of a project as Markdown (.md) or a self-contained web page
    /// (.html), without opening a window.
    Report {
        /// The project file (.ron).
        project: PathBuf,
        /// Where to write the summary; the extension (.md or .html) chooses the format.
        #[arg(long, short)]
        out: PathBuf,
    },
}

/// Print an error the way CONTRACT.md asks: lines starting with `error:` on stderr.
pub fn print_error(message: &str) {
    for line in message.lines() {
        eprintln!("error: {line}");
    }
}

/// Run a subcommand; returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { project } => check(&project),
        Command::Analyze(args) => analyze::run(&args),
        Command::Link(args) => link::run(&args),
        Command::Meta(args) => meta::run(&args),
        Command::Power(args) => power::run(&args),
        Command::Threshold(args) => threshold::run(&args),
        Command::Sql(args) => sql::run(&args),
        Command::Whatif {
            project,
            scenario,
            json,
        } => whatif::whatif(&project, scenario.as_deref(), json),
        Command::Upgrade { projects } => upgrade::run(&projects),
        Command::Report { project, out } => report::report(&project, &out),
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print_text(&text),
        Err(e) => {
            print_error(&format!("could not write JSON: {e}"));
            ExitCode::from(1)
        }
    }
}

/// Prints text on stdout (a closed pipe is not an error worth a panic).
pub fn print_text(text: &str) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = out.write_all(b"\n");
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn check(path: &std::path::Path) -> ExitCode {
    match crate::io::load_project(path) {
        Ok(project) => print_text(&format!(
            "{}\nOK: \"{}\" is a valid Throughline project.",
            project.describe(),
            path.display()
        )),
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}
