//! The Data page's metric names: beside each metric column's role, the display name and unit
//! that every sentence, chart, table and report uses (DESIGN.md "One name per metric"). Empty
//! fields show (greyed) what is used without them: the framing's matching objective or link,
//! else the column name made readable.

use std::collections::BTreeMap;

use egui::Ui;

use crate::model::{
    ColumnRole, ColumnSpec, Dataset, LabelSource, MetricInfo, MetricLabel, Project,
};

/// The metric columns of a file whose names can be set, with their labels as resolved now and
/// without the user's name (the hint): metric columns, and the metrics of a summary file.
pub(super) fn metric_labels(
    project: &Project,
    dataset: &Dataset,
) -> Vec<(MetricLabel, MetricLabel)> {
    let mut columns: Vec<&str> = Vec::new();
    for c in &dataset.columns {
        if let Some(column) = row_metric(c)
            && !columns.contains(&column)
        {
            columns.push(column);
        }
    }
    columns
        .into_iter()
        .map(|c| (project.metric_info(c), project.metric_info_default(c)))
        .collect()
}

pub(super) const NAMES_TIP: &str = "Name each metric as people call it: every sentence, chart, \
    table and report uses this name and unit. Left empty, the name of the matching business \
    objective or link on the Frame page is used, else the column name made readable (shown in \
    grey).";

/// The metric a row of the columns table names, if any: a metric column itself, or the
/// metric a summary file's mean or sum belongs to.
pub(super) fn row_metric(spec: &ColumnSpec) -> Option<&str> {
    match spec.role {
        ColumnRole::MlMetric | ColumnRole::BusinessMetric => Some(spec.name.as_str()),
        ColumnRole::Mean | ColumnRole::Sum => spec.metric.as_deref(),
        _ => None,
    }
    .map(str::trim)
    .filter(|m| !m.is_empty())
}

/// The "Name" and "Unit" cells of one row of the columns table (two empty cells for a column
/// that is not a metric). Empty fields show (greyed) what is used without them.
pub(super) fn name_cells_ui(
    ui: &mut Ui,
    row_label: egui::Id,
    metric: Option<&str>,
    labels: &[(MetricLabel, MetricLabel)],
    names: &mut BTreeMap<String, MetricInfo>,
) {
    let Some((label, default)) = metric.and_then(|m| labels.iter().find(|(l, _)| l.column == m))
    else {
        ui.label("");
        ui.label("");
        return;
    };
    let column = label.column.as_str();
    let entry = names.get(column).cloned().unwrap_or_default();
    let mut name = entry.name.clone();
    let from = match label.source {
        LabelSource::User => "typed here".to_string(),
        LabelSource::Framing => "from the Frame page's objectives and links".to_string(),
        LabelSource::Column => "made from the column name".to_string(),
    };
    let height = ui.spacing().interact_size.y;
    let name_changed = ui
        .add_sized(
            [200.0, height],
            egui::TextEdit::singleline(&mut name).hint_text(&default.name),
        )
        .labelled_by(row_label)
        .on_hover_text(format!("{NAMES_TIP}\n\nNow: \"{}\", {from}.", label.name))
        .changed();
    let mut unit = entry.unit.clone();
    let unit_hint = if default.unit.is_empty() {
        "none"
    } else {
        default.unit.as_str()
    };
    let unit_changed = ui
        .add_sized(
            [80.0, height],
            egui::TextEdit::singleline(&mut unit).hint_text(unit_hint),
        )
        .on_hover_text(UNIT_TIP)
        .changed();
    if name_changed || unit_changed {
        let info = MetricInfo {
            name: name.trim().to_string(),
            unit: unit.trim().to_string(),
            ..entry
        };
        if info.is_empty() {
            names.remove(column);
        } else {
            names.insert(column.to_string(), info);
        }
    }
}

pub(super) const UNIT_TIP: &str = "The unit shown on axes and table headings: %, €, € a month, seconds. A \
    percentage changes by percentage points; money shows its currency.";
