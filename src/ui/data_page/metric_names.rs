//! The Data page's "Metric names": the display name and unit of each metric column of a file,
//! which every sentence, chart, table and report uses (DESIGN.md "One name per metric").
//! Empty fields show (greyed) what is used without them: the framing's matching objective or
//! link, else the column name made readable.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use crate::model::{ColumnRole, Dataset, LabelSource, MetricInfo, MetricLabel, Project};
use crate::ui::theme;

/// The metric columns of a file whose names can be set, with their labels as resolved now and
/// without the user's name (the hint): metric columns, and the metrics of a summary file.
pub(super) fn metric_labels(
    project: &Project,
    dataset: &Dataset,
) -> Vec<(MetricLabel, MetricLabel)> {
    let mut columns: Vec<&str> = Vec::new();
    for c in &dataset.columns {
        let column = match c.role {
            ColumnRole::MlMetric | ColumnRole::BusinessMetric => Some(c.name.as_str()),
            ColumnRole::Mean | ColumnRole::Sum => c.metric.as_deref(),
            _ => None,
        };
        if let Some(column) = column.map(str::trim).filter(|c| !c.is_empty())
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

const NAMES_TIP: &str = "The name and unit every sentence, chart, table and report uses for \
    this metric. Left empty, the name of the matching business objective or link on the Frame \
    page is used, else the column name made readable (shown in grey).";

pub(super) fn metric_names_ui(
    ui: &mut Ui,
    dataset_id: &str,
    labels: &[(MetricLabel, MetricLabel)],
    names: &mut BTreeMap<String, MetricInfo>,
) {
    if labels.is_empty() {
        return;
    }
    theme::section_title(ui, "Metric names");
    ui.label(
        RichText::new(
            "How each metric is named in sentences, charts, tables and the report. Names of \
             the Frame page's objectives fill in where they match a column; type to change one.",
        )
        .weak(),
    );
    ui.add_space(theme::SPACE_XS);
    egui::Grid::new(("metric-names", dataset_id))
        .striped(true)
        .num_columns(4)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for title in ["Column", "Name", "Unit", "From"] {
                ui.label(RichText::new(title).strong());
            }
            ui.end_row();
            for (label, default) in labels {
                let column = label.column.as_str();
                let column_label = ui.label(column).on_hover_text(NAMES_TIP);
                let entry = names.get(column).cloned().unwrap_or_default();
                let mut name = entry.name.clone();
                let name_changed = ui
                    .add(
                        egui::TextEdit::singleline(&mut name)
                            .hint_text(&default.name)
                            .desired_width(260.0),
                    )
                    .labelled_by(column_label.id)
                    .on_hover_text(NAMES_TIP)
                    .changed();
                let mut unit = entry.unit.clone();
                let unit_hint = if default.unit.is_empty() {
                    "none"
                } else {
                    default.unit.as_str()
                };
                let unit_changed = ui
                    .add(
                        egui::TextEdit::singleline(&mut unit)
                            .hint_text(unit_hint)
                            .desired_width(110.0),
                    )
                    .on_hover_text(
                        "The unit shown on axes and table headings: %, €, € a month, seconds. \
                         A percentage changes by percentage points; money shows its currency.",
                    )
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
                ui.label(
                    RichText::new(match label.source {
                        LabelSource::User => "typed here",
                        LabelSource::Framing => "the Frame page",
                        LabelSource::Column => "the column name",
                    })
                    .weak(),
                );
                ui.end_row();
            }
        });
}
