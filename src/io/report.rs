//! The one-page summary of a project: built once as a small document (sections of blocks), then
//! drawn by the Summary page and written as Markdown or as a self-contained HTML page.
//!
//! The document holds plain text only; every renderer escapes it, so nothing a user types can
//! become markup. To show a new kind of result, add a builder in `build` (and, for a chart, a
//! `Chart` variant drawn in `charts` for HTML and in the Summary page for the window).

mod build;
mod charts;
mod experiment_blocks;
pub mod experiment_text;
pub(crate) mod html;
mod markdown;
pub mod sentences;

use std::path::{Path, PathBuf};

pub use build::{
    EffectSource, Headline, HeadlineDecision, HeadlineEffect, HeadlineValue, REMOVED_DATA_NOTE,
    build_report, framing_step_brief, framing_step_section, headline,
};
pub(crate) use build::{
    money_band, month_text, named_distribution_blocks, named_experiment_blocks, named_link_blocks,
    named_meta_blocks, named_timeline_blocks, open_points_section, optional_band, overview,
    scenario_detail_blocks, threshold_blocks,
};
pub(crate) use experiment_blocks::BADGE_CSS;

use crate::model::{Direction, Project};

/// The summary of a project, ready to draw or export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub title: String,
    pub description: String,
    /// One line on what the project holds ("6 of 8 framing steps answered · …").
    pub overview: String,
    pub sections: Vec<Section>,
}

/// One card of the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// A stable key ("problem", "objectives", "evidence", …) for styling and tests.
    pub key: &'static str,
    pub title: String,
    /// Spans the whole width of the canvas (tables and charts); otherwise half of it.
    pub wide: bool,
    pub blocks: Vec<Block>,
}

/// A piece of a section. All text is plain text.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A small heading inside a section.
    Heading(String),
    Text(String),
    /// Label and value pairs.
    Fields(Vec<(String, String)>),
    List(Vec<String>),
    Table(Table),
    Chart(Chart),
    /// Secondary text (e.g. "Not answered yet.").
    Note(String),
    Warning(String),
    /// The ship / don't-ship decision of one treatment: a badge with its reasons.
    Decision(DecisionBadge),
}

/// A decision badge: "Ship", "Don't ship", "Inconclusive" or "Sample-ratio problem".
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionBadge {
    /// The decision's JSON value ("ship", "do_not_ship", "inconclusive", "srm_failure"), for
    /// styling.
    pub key: &'static str,
    /// The badge text.
    pub label: String,
    /// "model_targeting vs control".
    pub title: String,
    /// The reasons, as sentences.
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A chart, as data: the HTML export draws it as SVG, the window with egui_plot.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// How far each business objective's target is from its baseline.
    TargetChange(Vec<TargetBar>),
    /// Relative lift of each treatment with its confidence interval.
    Lift(LiftChart),
    /// Business value against the classifier's threshold.
    ThresholdValue(ThresholdChart),
    /// The business metric against the ML metric, one point per experiment, with the fitted
    /// line.
    Link(LinkChart),
}

#[derive(Clone, Debug, PartialEq)]
pub struct TargetBar {
    pub label: String,
    /// (target − baseline) / |baseline|, as a fraction.
    pub relative_change: f64,
    pub direction: Direction,
}

impl TargetBar {
    /// Whether the target moves the metric the right way (a fall where lower is better).
    pub fn is_better(&self) -> bool {
        match self.direction {
            Direction::HigherIsBetter => self.relative_change >= 0.0,
            Direction::LowerIsBetter => self.relative_change <= 0.0,
        }
    }

    /// The value beside the bar, with which way is good: "−14% (lower is better)", so a fall
    /// that is wanted does not read as a loss.
    pub fn reading(&self) -> String {
        let way = match self.direction {
            Direction::HigherIsBetter => "higher is better",
            Direction::LowerIsBetter => "lower is better",
        };
        format!(
            "{} ({way})",
            crate::format::percent_change(self.relative_change)
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiftChart {
    pub title: String,
    /// The confidence level in percent (e.g. 95).
    pub ci_level_pct: f64,
    pub rows: Vec<LiftRow>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiftRow {
    pub label: String,
    /// Relative lifts as fractions.
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThresholdChart {
    pub title: String,
    /// (threshold, value)
    pub points: Vec<(f64, f64)>,
    pub best_value: Option<(f64, f64)>,
    pub best_f1: Option<(f64, f64)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkChart {
    pub title: String,
    /// The ML metric (x) and the business metric (y).
    pub x_label: String,
    pub y_label: String,
    /// (ML metric, business metric) of each experiment, model or day.
    pub points: Vec<(f64, f64)>,
    /// The least-squares line, as (intercept, slope).
    pub fit: Option<(f64, f64)>,
}

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
}

impl ReportFormat {
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "Markdown",
            ReportFormat::Html => "HTML",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
        }
    }

    /// The format a file name asks for (`.md`, `.markdown`, `.html`, `.htm`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(ReportFormat::Markdown),
            "html" | "htm" => Some(ReportFormat::Html),
            _ => None,
        }
    }

    /// `path` with this format's extension added when it has none of this format's.
    pub fn with_extension(self, path: PathBuf) -> PathBuf {
        if ReportFormat::from_path(&path) == Some(self) {
            path
        } else {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(".");
            name.push(self.extension());
            path.with_file_name(name)
        }
    }
}

/// The report of a project as text in the given format.
pub fn render(project: &Project, format: ReportFormat) -> String {
    let report = build_report(project);
    match format {
        ReportFormat::Markdown => markdown::to_markdown(&report),
        ReportFormat::Html => html::to_html(&report),
    }
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "\"{path}\" does not end in .md or .html, so Throughline does not know which kind of \
         report to write."
    )]
    UnknownFormat { path: PathBuf },
    #[error("Could not write the report to \"{path}\": {source}.")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Write the report of `project` to `path` (temporary file, then rename, so a half-written
/// report never replaces a good one). The format follows the extension.
pub fn write_report(project: &Project, path: &Path) -> Result<ReportFormat, ReportError> {
    let format = ReportFormat::from_path(path).ok_or_else(|| ReportError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let text = render(project, format);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, text.as_bytes()).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(source) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(ReportError::Write {
            path: path.to_path_buf(),
            source,
        });
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(
            ReportFormat::from_path(Path::new("a/b.HTML")),
            Some(ReportFormat::Html)
        );
        assert_eq!(
            ReportFormat::from_path(Path::new("b.md")),
            Some(ReportFormat::Markdown)
        );
        assert_eq!(ReportFormat::from_path(Path::new("b.pdf")), None);
        assert_eq!(
            ReportFormat::Html.with_extension(PathBuf::from("x/summary")),
            PathBuf::from("x/summary.html")
        );
        assert_eq!(
            ReportFormat::Markdown.with_extension(PathBuf::from("summary.md")),
            PathBuf::from("summary.md")
        );
    }
}
