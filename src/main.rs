//! The `throughline` binary: parse the command line, then open the window or run a subcommand.

use std::process::ExitCode;

use clap::Parser as _;
use throughline::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => ExitCode::SUCCESS,
    }
}
