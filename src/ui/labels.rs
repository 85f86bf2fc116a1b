//! The open project's metric names for drawing code: every heading, axis, legend, tooltip and
//! sentence on screen names a metric through here (DESIGN.md "One name per metric").
//!
//! `page_ui` hands the project's names over at the start of each frame, so drawing helpers deep
//! inside a page (a plot's axis, a table heading) read them without every function passing
//! the project along. Without a project (the welcome screen, a test that draws one helper) the
//! column names are made readable.

use std::cell::RefCell;

use crate::model::{MetricLabel, Project};

thread_local! {
    /// What `Project::metric_info` reads: the framing, the names typed on the Data page and the
    /// data files' columns.
    static NAMES: RefCell<Project> = RefCell::new(Project::default());
}

/// Remember the project's metric names for this frame.
pub fn set_project(project: &Project) {
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if n.framing != project.framing {
            n.framing = project.framing.clone();
        }
        if n.metric_names != project.metric_names {
            n.metric_names = project.metric_names.clone();
        }
        if n.datasets != project.datasets {
            n.datasets = project.datasets.clone();
        }
    });
}

/// Run `f` with what this frame knows of the project's names (its framing, the names typed on
/// the Data page and the data files' columns), for the core's sentence builders.
pub fn with_project<R>(f: impl FnOnce(&Project) -> R) -> R {
    NAMES.with(|n| f(&n.borrow()))
}

/// The resolved label of a metric column.
pub fn label(column: &str) -> MetricLabel {
    NAMES.with(|n| n.borrow().metric_info(column))
}

/// The display name, for titles, legends and table cells: "Click-through rate".
pub fn name(column: &str) -> String {
    label(column).name
}

/// The display name with its unit, for axes and table headings: "Click-through rate (%)".
pub fn axis(column: &str) -> String {
    label(column).with_unit()
}

/// The display name inside a sentence: "click-through rate", "NDCG@10".
pub fn sentence(column: &str) -> String {
    label(column).in_sentence()
}

/// A metric named in free text (a scenario's "ML metric"): the display name when the text is
/// a column of the project's data, else the text as typed.
pub fn text(text: &str) -> String {
    NAMES.with(|n| n.borrow().metric_text(text))
}

/// Where the user picks a column: "Click-through rate (ctr_pct)".
pub fn picker(column: &str) -> String {
    label(column).picker()
}

/// A sentence naming several metric columns, with their display names instead.
pub fn relabel_all<'a>(text: &str, columns: impl IntoIterator<Item = &'a str>) -> String {
    NAMES.with(|n| n.borrow().relabel_all(text, columns))
}

/// The metric columns an experiment result speaks of (its metrics and their pre-experiment
/// covariates), for [`relabel_all`].
pub fn experiment_columns(result: &crate::analysis::ExperimentResult) -> Vec<&str> {
    result
        .metrics
        .iter()
        .flat_map(|m| std::iter::once(m.metric.as_str()).chain(m.covariate.as_deref()))
        .collect()
}

/// A sentence the engine wrote with the column name, with the display name instead.
pub fn relabel(text: &str, column: &str) -> String {
    crate::model::relabel_with(text, column, &label(column))
}
