//! The Data page's columns for experiments beyond plain metrics: which metric a pre-experiment
//! value belongs to (CUPED), and ratio metrics defined from two columns (e.g. revenue per
//! session), which experiment analyses offer beside the metric columns.

use egui::{RichText, Ui};

use crate::model::{ColumnRole, ColumnSpec, DataShape, Dataset, RatioMetric};
use crate::ui::theme;

/// The metric a pre-experiment column is the earlier value of (a picker of the metric columns).
pub(super) fn pre_experiment_metric_ui(
    ui: &mut Ui,
    spec: &mut ColumnSpec,
    metric_names: &[String],
    label: egui::Id,
) {
    let shown = spec
        .metric
        .clone()
        .unwrap_or_else(|| "Choose the metric…".to_string());
    egui::ComboBox::from_id_salt(("pre-experiment-metric", &spec.name))
        .selected_text(shown)
        .width(160.0)
        .show_ui(ui, |ui| {
            for m in metric_names {
                ui.selectable_value(&mut spec.metric, Some(m.clone()), m);
            }
        })
        .response
        .labelled_by(label)
        .on_hover_text(
            "The metric this column is the earlier value of: experiment analyses of that metric \
             use it to remove noise (CUPED).",
        );
}

/// The columns a ratio can be made of: numeric metric columns (and pre-experiment values).
fn ratio_columns(dataset: &Dataset) -> Vec<String> {
    dataset
        .columns
        .iter()
        .filter(|c| {
            matches!(
                c.role,
                ColumnRole::BusinessMetric | ColumnRole::MlMetric | ColumnRole::Ignore
            ) && crate::data::role_fits(ColumnRole::BusinessMetric, &c.dtype)
        })
        .map(|c| c.name.clone())
        .collect()
}

/// "Ratio metrics": metrics that are the ratio of two columns' totals per variant, e.g. revenue
/// per session when each row is a user. Each can be named, changed and removed here.
pub(super) fn ratio_metrics_ui(ui: &mut Ui, dataset: &mut Dataset) {
    if dataset.shape != DataShape::UnitLevel && dataset.ratio_metrics.is_empty() {
        return;
    }
    let columns = ratio_columns(dataset);
    if columns.len() < 2 && dataset.ratio_metrics.is_empty() {
        return;
    }
    ui.add_space(theme::SPACE_M);
    theme::section_title(ui, "Ratio metrics");
    ui.add(
        egui::Label::new(
            RichText::new(
                "A ratio metric divides one column's total by another's in each variant, e.g. \
                 revenue per session or clicks per impression when each row is a user. \
                 Experiment analyses offer it beside the other metrics and compare it with the \
                 delta method, which accounts for both columns varying from user to user.",
            )
            .weak(),
        )
        .wrap(),
    );
    ui.add_space(theme::SPACE_XS);
    let mut remove = None;
    egui::Grid::new(("ratio-metrics", &dataset.id))
        .num_columns(5)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (i, ratio) in dataset.ratio_metrics.iter_mut().enumerate() {
                let label = ui.label("Ratio name");
                ui.add(
                    egui::TextEdit::singleline(&mut ratio.label)
                        .hint_text(format!("{} per {}", ratio.numerator, ratio.denominator))
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
                column_picker(
                    ui,
                    ("ratio-num", i),
                    "Numerator",
                    &mut ratio.numerator,
                    &columns,
                );
                column_picker(
                    ui,
                    ("ratio-den", i),
                    "per (denominator)",
                    &mut ratio.denominator,
                    &columns,
                );
                if ui
                    .button("Remove")
                    .on_hover_text("Remove this ratio metric from the file's metrics.")
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove
        && i < dataset.ratio_metrics.len()
    {
        dataset.ratio_metrics.remove(i);
    }
    if columns.len() >= 2
        && ui
            .button("Add a ratio metric")
            .on_hover_text(
                "Define a metric as one column's total divided by another's, e.g. revenue per \
                 session.",
            )
            .clicked()
    {
        dataset.ratio_metrics.push(default_ratio(&columns));
    }
}

/// A first guess for a new ratio: revenue-like over session/count-like, else the first two.
fn default_ratio(columns: &[String]) -> RatioMetric {
    let lower: Vec<String> = columns.iter().map(|c| c.to_lowercase()).collect();
    let den = lower
        .iter()
        .position(|c| {
            ["session", "impression", "view", "visit", "order", "click"]
                .iter()
                .any(|w| c.contains(w))
        })
        .unwrap_or(1.min(columns.len().saturating_sub(1)));
    let num = (0..columns.len()).find(|&i| i != den).unwrap_or(0);
    RatioMetric {
        label: String::new(),
        numerator: columns.get(num).cloned().unwrap_or_default(),
        denominator: columns.get(den).cloned().unwrap_or_default(),
    }
}

fn column_picker(
    ui: &mut Ui,
    id: (&str, usize),
    title: &str,
    value: &mut String,
    columns: &[String],
) {
    let label = ui.label(title);
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.as_str())
        .width(150.0)
        .show_ui(ui, |ui| {
            for c in columns {
                ui.selectable_value(value, c.clone(), c);
            }
        })
        .response
        .labelled_by(label.id);
}
