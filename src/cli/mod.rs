//! The command line: `throughline [PROJECT.ron]` opens the window; subcommands run the same core
//! headless (CONTRACT.md).
#![allow(clippy::print_stdout)]

mod report;
mod whatif;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        Command::Whatif {
            project,
            scenario,
            json,
        } => whatif::whatif(&project, scenario.as_deref(), json),
        Command::Report { project, out } => report::report(&project, &out),
    }
}

fn check(path: &std::path::Path) -> ExitCode {
    match crate::io::load_project(path) {
        Ok(project) => {
            println!("{}", project.describe());
            println!("OK: \"{}\" is a valid Throughline project.", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}
