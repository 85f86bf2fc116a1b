//! `throughline report PROJECT.ron --out FILE.{md,html}`: the one-page summary, without a window.

use std::path::Path;
use std::process::ExitCode;

use super::print_error;
use crate::io::report::{ReportFormat, write_report};

pub fn report(project_path: &Path, out: &Path) -> ExitCode {
    if ReportFormat::from_path(out).is_none() {
        print_error(&format!(
            "\"{}\" must end in .md (Markdown) or .html (a web page that also prints well).",
            out.display()
        ));
        return ExitCode::from(2);
    }
    let project = match crate::io::load_project(project_path) {
        Ok(project) => project,
        Err(e) => {
            print_error(&e.to_string());
            return ExitCode::from(1);
        }
    };
    match write_report(&project, out) {
        Ok(format) => super::print_text(&format!(
            "Wrote the {} summary of \"{}\" to \"{}\".",
            format.label(),
            project.display_name(),
            out.display()
        )),
        Err(e) => {
            print_error(&e.to_string());
            ExitCode::from(1)
        }
    }
}
