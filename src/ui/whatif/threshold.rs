//! The business value of a classifier's decision threshold under a value matrix: the value curve
//! beside precision, recall and F1, the best-value and best-F1 thresholds marked, and what
//! choosing by value instead of F1 earns.

use egui::RichText;
use egui_plot::{Line, LineStyle, PlotPoints, VLine};

use crate::analysis::{ThresholdPoint, ThresholdResult};
use crate::app::Command;
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::model::{ColumnRole, Project, ThresholdAnalysis, ThresholdSpec};
use crate::ui::evidence::status_ui;
use crate::ui::plots::{AxisSpec, PlotLink, PlotPanel, PlotTable, ValueFormat};
use crate::ui::{PageContext, theme};

use super::widgets::{self, NumberKind};

const VALUE_COLOR: egui::Color32 = theme::SERIES[0];
const BEST_VALUE_COLOR: egui::Color32 = theme::SERIES[2];
const BEST_F1_COLOR: egui::Color32 = theme::SERIES[3];
const PRECISION_COLOR: egui::Color32 = theme::SERIES[4];
const RECALL_COLOR: egui::Color32 = theme::SERIES[1];

fn selected_id() -> egui::Id {
    egui::Id::unique("whatif_threshold_selected")
}

/// A dataset that can feed a threshold analysis: it has a score and a label column.
struct ScoredDataset {
    id: String,
    name: String,
    scores: Vec<String>,
    labels: Vec<String>,
}

fn scored_datasets(project: &Project) -> Vec<ScoredDataset> {
    project
        .datasets
        .iter()
        .filter_map(|d| {
            let of_role = |role: ColumnRole| -> Vec<String> {
                d.columns
                    .iter()
                    .filter(|c| c.role == role)
                    .map(|c| c.name.clone())
                    .collect()
            };
            let scores = of_role(ColumnRole::Score);
            let labels = of_role(ColumnRole::Label);
            (!scores.is_empty() && !labels.is_empty()).then(|| ScoredDataset {
                id: d.id.clone(),
                name: if d.name.trim().is_empty() {
                    d.id.clone()
                } else {
                    d.name.clone()
                },
                scores,
                labels,
            })
        })
        .collect()
}

/// A fresh threshold analysis on a scored dataset, with a value matrix to start from.
fn new_analysis(project: &Project, d: &ScoredDataset) -> ThresholdAnalysis {
    let id = (1..)
        .map(|i| format!("threshold-{i}"))
        .find(|id| project.evidence.thresholds.iter().all(|t| &t.id != id))
        .unwrap_or_else(|| "threshold".to_string());
    ThresholdAnalysis {
        id,
        name: format!("Threshold on {}", d.name),
        spec: ThresholdSpec {
            dataset_id: d.id.clone(),
            score_column: d.scores.first().cloned().unwrap_or_default(),
            label_column: d.labels.first().cloned().unwrap_or_default(),
            value_tp: 10.0,
            value_fp: -1.0,
            value_fn: -10.0,
            value_tn: 0.0,
        },
        result: None,
    }
}

pub fn threshold_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    widgets::explain(
        ui,
        "A classifier flags a row when its score is at or above the threshold. Each outcome has \
         a value: a caught fraud saves money, a false alarm costs a little, a missed one costs a \
         lot. The threshold that earns the most is rarely the one with the best F1.",
    );
    ui.add_space(theme::SPACE_S);
    let scored = scored_datasets(cx.project);
    let analyses = &cx.project.evidence.thresholds;
    let mut selected: Option<String> = ui.data(|d| d.get_temp(selected_id()));
    if !analyses.iter().any(|t| Some(&t.id) == selected.as_ref()) {
        selected = analyses.first().map(|t| t.id.clone());
    }
    let mut create: Option<usize> = None;
    ui.horizontal_wrapped(|ui| {
        for t in analyses {
            let name = if t.name.trim().is_empty() {
                t.id.as_str()
            } else {
                t.name.as_str()
            };
            let is_selected = Some(&t.id) == selected.as_ref();
            if ui
                .add(egui::Button::selectable(is_selected, name))
                .clicked()
            {
                selected = Some(t.id.clone());
            }
        }
        if !analyses.is_empty() {
            ui.separator();
        }
        for (i, d) in scored.iter().enumerate() {
            if ui
                .button(format!("New threshold analysis on {}", d.name))
                .on_hover_text("Add a threshold analysis with a value matrix to start from.")
                .clicked()
            {
                create = Some(i);
            }
        }
    });
    if let Some(d) = create.and_then(|i| scored.get(i)) {
        let t = new_analysis(cx.project, d);
        selected = Some(t.id.clone());
        cx.commands
            .push(Command::AddAnalysis(Box::new(NewAnalysis::Threshold(t))));
        // Shown from the next frame on, once the app added it.
        ui.data_mut(|d| d.insert_temp(selected_id(), selected));
        return;
    }
    ui.data_mut(|d| d.insert_temp(selected_id(), selected.clone()));
    let Some(index) = cx
        .project
        .evidence
        .thresholds
        .iter()
        .position(|t| Some(&t.id) == selected.as_ref())
    else {
        widgets::card(ui, |ui| {
            ui.label(
                RichText::new("No threshold analysis yet")
                    .strong()
                    .size(16.5),
            );
            widgets::explain(
                ui,
                "It needs a dataset with a score column (the classifier's output) and a label \
                 column (what really happened). Add one on the Data page and mark those two \
                 columns.",
            );
        });
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    let Some(analysis) = cx.project.evidence.thresholds.get_mut(index) else {
        return;
    };
    settings_ui(ui, analysis, &scored);
    ui.add_space(theme::SECTION_GAP / 2.0);
    // The curve is computed from the data on a worker whenever the data or the settings
    // (columns, value matrix) change; the saved result shows meanwhile.
    let project: &Project = cx.project;
    let Some(analysis) = project.evidence.thresholds.get(index) else {
        return;
    };
    cx.wanted.analysis(AnalysisKind::Threshold, &analysis.id);
    status_ui(
        ui,
        analysis,
        project,
        &cx.runtime.evidence,
        cx.jobs,
        cx.commands,
    );
    result_ui(ui, analysis, cx.commands);
}

fn settings_ui(ui: &mut egui::Ui, t: &mut ThresholdAnalysis, scored: &[ScoredDataset]) {
    if ui.available_width() >= 900.0 {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(360.0);
                data_ui(ui, t, scored);
            });
            ui.add_space(theme::SPACE_COLUMN);
            ui.vertical(|ui| matrix_ui(ui, t));
        });
    } else {
        data_ui(ui, t, scored);
        matrix_ui(ui, t);
    }
}

fn data_ui(ui: &mut egui::Ui, t: &mut ThresholdAnalysis, scored: &[ScoredDataset]) {
    widgets::group_heading(ui, "Data");
    egui::Grid::new("whatif_threshold_data")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = widgets::form_label(ui, "Name", "A short name for this analysis.");
            ui.add(egui::TextEdit::singleline(&mut t.name).desired_width(widgets::FIELD_WIDTH))
                .labelled_by(label.id);
            ui.end_row();
            let dataset = scored.iter().find(|d| d.id == t.spec.dataset_id);
            let label = widgets::form_label(ui, "Dataset", "The scored and labelled data.");
            ui.label(dataset.map_or(t.spec.dataset_id.as_str(), |d| d.name.as_str()))
                .labelled_by(label.id);
            ui.end_row();
            let scores = dataset.map(|d| d.scores.clone()).unwrap_or_default();
            let labels = dataset.map(|d| d.labels.clone()).unwrap_or_default();
            column_combo(
                ui,
                "Score column",
                "The classifier's score: higher means more likely positive.",
                &mut t.spec.score_column,
                &scores,
            );
            column_combo(
                ui,
                "Label column",
                "What really happened: 1 (or true) for a positive, 0 (or false) for a negative.",
                &mut t.spec.label_column,
                &labels,
            );
        });
}

fn matrix_ui(ui: &mut egui::Ui, t: &mut ThresholdAnalysis) {
    widgets::group_heading(ui, "Value matrix");
    widgets::explain(
        ui,
        "What each outcome is worth, per row. Negative values are costs.",
    );
    egui::Grid::new("whatif_threshold_matrix")
        .num_columns(3)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("Flagged").strong())
                .on_hover_text("Score at or above the threshold.");
            ui.label(RichText::new("Not flagged").strong())
                .on_hover_text("Score below the threshold.");
            ui.end_row();
            ui.label(RichText::new("Actually positive").strong());
            matrix_cell(
                ui,
                "True positive",
                "A positive that is flagged, e.g. a fraud that is caught.",
                &mut t.spec.value_tp,
            );
            matrix_cell(
                ui,
                "False negative",
                "A positive that is missed, e.g. a fraud that goes through.",
                &mut t.spec.value_fn,
            );
            ui.end_row();
            ui.label(RichText::new("Actually negative").strong());
            matrix_cell(
                ui,
                "False positive",
                "A negative that is flagged, e.g. a good payment declined.",
                &mut t.spec.value_fp,
            );
            matrix_cell(
                ui,
                "True negative",
                "A negative that is not flagged, e.g. a good payment that goes through.",
                &mut t.spec.value_tn,
            );
            ui.end_row();
        });
}

fn column_combo(
    ui: &mut egui::Ui,
    label: &str,
    tooltip: &str,
    value: &mut String,
    options: &[String],
) {
    let label = widgets::form_label(ui, label, tooltip);
    egui::ComboBox::from_id_salt(("whatif_threshold_column", label.id))
        .selected_text(value.as_str())
        .width(widgets::FIELD_WIDTH)
        .show_ui(ui, |ui| {
            for o in options {
                ui.selectable_value(value, o.clone(), o);
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
}

fn matrix_cell(ui: &mut egui::Ui, label: &str, tooltip: &str, value: &mut f64) {
    ui.vertical(|ui| {
        let label = ui
            .label(RichText::new(label).small())
            .on_hover_text(tooltip);
        widgets::number_field(ui, value, NumberKind::Plain)
            .labelled_by(label.id)
            .on_hover_text(tooltip);
    });
}

/// The sentence that compares the best-value threshold with the best-F1 one.
pub fn comparison_sentence(r: &ThresholdResult) -> Option<String> {
    let (tv, v) = (r.best_value_threshold?, r.best_value?);
    let money = |x: f64| format::money(x, "");
    let Some((tf, vf)) = r.best_f1_threshold.zip(r.value_at_best_f1) else {
        return Some(format!(
            "The best-value threshold is {}: it earns {}.",
            format::number(tv),
            money(v)
        ));
    };
    if (tv - tf).abs() < 1e-12 || (v - vf).abs() < 1e-9 * v.abs().max(1.0) {
        return Some(format!(
            "The best-F1 threshold ({}) also earns the most: {}.",
            format::number(tf),
            money(vf)
        ));
    }
    Some(format!(
        "Flagging scores of {} or more earns {}; the best-F1 threshold ({}) earns {}. Choosing \
         the threshold by value earns {} more.",
        format::number(tv),
        money(v),
        format::number(tf),
        money(vf),
        money(v - vf)
    ))
}

fn result_ui(ui: &mut egui::Ui, t: &ThresholdAnalysis, commands: &mut Vec<Command>) {
    let Some((_, r)) = &t.result else {
        widgets::explain(
            ui,
            "The value curve appears here once it has been computed from the data.",
        );
        return;
    };
    if let Some(sentence) = comparison_sentence(r) {
        let dark = ui.visuals().dark_mode;
        egui::Frame::new()
            .fill(theme::accent_fill(dark))
            .stroke(egui::Stroke::new(1.0, theme::ACCENT))
            .inner_margin(12.0)
            .corner_radius(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.add(egui::Label::new(RichText::new(sentence).size(16.5).strong()).wrap());
            });
    }
    for w in &r.warnings {
        widgets::warning(ui, w);
    }
    if r.curve.is_empty() {
        widgets::explain(ui, "The curve has no points.");
        return;
    }
    curves_ui(ui, r, commands);
}

fn curves_ui(ui: &mut egui::Ui, r: &ThresholdResult, commands: &mut Vec<Command>) {
    let link = egui::Id::unique("whatif_threshold_plots");
    let width = ui.available_width();
    let side_by_side = width >= 640.0;
    let plot_width = if side_by_side {
        (width - 24.0) / 2.0
    } else {
        width
    };
    if side_by_side {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| value_plot_ui(ui, commands, r, plot_width, link));
            ui.add_space(theme::SPACE_XL);
            ui.vertical(|ui| metric_plot_ui(ui, commands, r, plot_width, link));
        });
    } else {
        value_plot_ui(ui, commands, r, plot_width, link);
        metric_plot_ui(ui, commands, r, plot_width, link);
    }
}

/// The threshold curve's figures, for "Save data (CSV)".
fn curve_table(curve: &[ThresholdPoint]) -> PlotTable {
    let mut table = PlotTable::new(&["Threshold", "Business value", "Precision", "Recall", "F1"]);
    for p in curve {
        table.push(vec![
            PlotTable::num(p.threshold),
            PlotTable::num(p.value),
            PlotTable::opt(p.precision),
            PlotTable::opt(p.recall),
            PlotTable::opt(p.f1),
        ]);
    }
    table
}

/// The point of the curve nearest to the pointer's threshold, for hover labels.
fn nearest_point(
    curve: Vec<ThresholdPoint>,
) -> impl Fn(&egui_plot::HoverPosition<'_>) -> Option<ThresholdPoint> {
    move |hover| {
        let x = match hover {
            egui_plot::HoverPosition::NearDataPoint { position, .. }
            | egui_plot::HoverPosition::Elsewhere { position } => position.x,
        };
        curve
            .iter()
            .min_by(|a, b| (a.threshold - x).abs().total_cmp(&(b.threshold - x).abs()))
            .cloned()
    }
}

/// The best-value and best-F1 thresholds as vertical lines.
fn best_marks(plot_ui: &mut egui_plot::PlotUi<'_>, r: &ThresholdResult) {
    if let Some(x) = r.best_value_threshold {
        plot_ui.vline(
            VLine::new(best_label("Best value", Some(x)), x)
                .color(BEST_VALUE_COLOR)
                .style(LineStyle::dashed_loose())
                .width(2.0),
        );
    }
    if let Some(x) = r.best_f1_threshold {
        plot_ui.vline(
            VLine::new(best_label("Best F1", Some(x)), x)
                .color(BEST_F1_COLOR)
                .style(LineStyle::dotted_loose())
                .width(2.0),
        );
    }
}

/// "Best value (0.42)", or nothing when there is no best threshold.
fn best_label(what: &str, threshold: Option<f64>) -> String {
    threshold.map_or_else(String::new, |x| format!("{what} ({})", format::number(x)))
}

/// A plot of the curve at `width`, its x axis linked to the other curve's.
fn curve_panel(salt: &str, title: &str, width: f32, link: egui::Id, y: AxisSpec) -> PlotPanel {
    PlotPanel::new(salt, title)
        .without_title()
        .width(width)
        .height(280.0)
        .legend(None)
        .link(PlotLink {
            group: link,
            x: true,
            y: false,
        })
        .axes(AxisSpec::new("Threshold", ValueFormat::Number), y)
}

/// Business value by threshold, with the best thresholds marked.
fn value_plot_ui(
    ui: &mut egui::Ui,
    commands: &mut Vec<Command>,
    r: &ThresholdResult,
    width: f32,
    link: egui::Id,
) {
    const TITLE: &str = "Business value by threshold";
    theme::section_title(ui, TITLE);
    key_ui(
        ui,
        &[
            (VALUE_COLOR, "Business value", Stroke::Solid),
            (
                BEST_VALUE_COLOR,
                &best_label("Best value", r.best_value_threshold),
                Stroke::Dashed,
            ),
            (
                BEST_F1_COLOR,
                &best_label("Best F1", r.best_f1_threshold),
                Stroke::Dotted,
            ),
        ],
    );
    let value: Vec<[f64; 2]> = r.curve.iter().map(|p| [p.threshold, p.value]).collect();
    let export_curve = r.curve.clone();
    let nearest = nearest_point(r.curve.clone());
    let label = move |hover: &egui_plot::HoverPosition<'_>| {
        let p = nearest(hover)?;
        Some(format!(
            "Threshold {}\nValue {}",
            format::number(p.threshold),
            format::money(p.value, "")
        ))
    };
    let y = AxisSpec::new("Value", ValueFormat::Money("".into()));
    curve_panel("whatif_threshold_value", TITLE, width, link, y)
        .data_lazy(move || curve_table(&export_curve))
        .customize(move |plot| {
            plot.y_axis_min_width(64.0)
                .y_grid_spacer(super::plots::nice_grid)
                .allow_scroll(false)
                .label_formatter(move |hover| label(hover))
        })
        .show(ui, commands, |plot_ui| {
            plot_ui.line(
                Line::new("Business value", PlotPoints::from(value))
                    .color(VALUE_COLOR)
                    .width(2.5),
            );
            best_marks(plot_ui, r);
        });
}

/// Precision, recall and F1 by threshold, with the best thresholds marked.
fn metric_plot_ui(
    ui: &mut egui::Ui,
    commands: &mut Vec<Command>,
    r: &ThresholdResult,
    width: f32,
    link: egui::Id,
) {
    const TITLE: &str = "Precision, recall and F1 by threshold";
    theme::section_title(ui, TITLE);
    key_ui(
        ui,
        &[
            (PRECISION_COLOR, "Precision", Stroke::Solid),
            (RECALL_COLOR, "Recall", Stroke::Solid),
            (BEST_F1_COLOR, "F1", Stroke::Solid),
        ],
    );
    let metric = |f: fn(&ThresholdPoint) -> Option<f64>| -> Vec<[f64; 2]> {
        r.curve
            .iter()
            .filter_map(|p| f(p).map(|v| [p.threshold, v]))
            .collect()
    };
    let precision = metric(|p| p.precision);
    let recall = metric(|p| p.recall);
    let f1 = metric(|p| p.f1);
    let export_curve = r.curve.clone();
    let nearest = nearest_point(r.curve.clone());
    let label = move |hover: &egui_plot::HoverPosition<'_>| {
        let p = nearest(hover)?;
        let f =
            |v: Option<f64>| v.map_or_else(|| format::UNDEFINED.to_string(), |v| format!("{v:.3}"));
        Some(format!(
            "Threshold {}\nPrecision {}\nRecall {}\nF1 {}",
            format::number(p.threshold),
            f(p.precision),
            f(p.recall),
            f(p.f1)
        ))
    };
    let y = AxisSpec::new("Share", ValueFormat::Number);
    curve_panel("whatif_threshold_metrics", TITLE, width, link, y)
        .include_y([0.0, 1.0])
        .data_lazy(move || curve_table(&export_curve))
        .customize(move |plot| {
            plot.y_axis_min_width(64.0)
                .allow_scroll(false)
                .label_formatter(move |hover| label(hover))
        })
        .show(ui, commands, |plot_ui| {
            plot_ui.line(
                Line::new("Precision", PlotPoints::from(precision))
                    .color(PRECISION_COLOR)
                    .width(2.0),
            );
            plot_ui.line(
                Line::new("Recall", PlotPoints::from(recall))
                    .color(RECALL_COLOR)
                    .width(2.0),
            );
            plot_ui.line(
                Line::new("F1", PlotPoints::from(f1))
                    .color(BEST_F1_COLOR)
                    .width(2.5),
            );
            best_marks(plot_ui, r);
        });
}

/// How a key entry's line is drawn.
#[derive(Clone, Copy)]
enum Stroke {
    Solid,
    Dashed,
    Dotted,
}

/// A legend above a plot, so that it never covers the curves.
fn key_ui(ui: &mut egui::Ui, entries: &[(egui::Color32, &str, Stroke)]) {
    ui.horizontal_wrapped(|ui| {
        for (color, label, stroke) in entries {
            if label.is_empty() {
                continue;
            }
            let (rect, _) = ui.allocate_exact_size(egui::vec2(26.0, 12.0), egui::Sense::hover());
            let y = rect.center().y;
            let painter = ui.painter();
            let line = egui::Stroke::new(2.5, *color);
            match stroke {
                Stroke::Solid => {
                    painter.line_segment(
                        [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                        line,
                    );
                }
                Stroke::Dashed => {
                    painter.add(egui::Shape::dashed_line(
                        &[egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                        line,
                        6.0,
                        4.0,
                    ));
                }
                Stroke::Dotted => {
                    painter.add(egui::Shape::dotted_line(
                        &[egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                        *color,
                        5.0,
                        1.5,
                    ));
                }
            }
            ui.label(*label);
            ui.add_space(theme::SPACE_M);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ThresholdPoint;

    #[test]
    fn sentence_says_how_much_more_value_earns() {
        let r = ThresholdResult {
            best_value_threshold: Some(0.3),
            best_value: Some(1200.0),
            best_f1_threshold: Some(0.6),
            best_f1: Some(0.7),
            value_at_best_f1: Some(900.0),
            curve: vec![ThresholdPoint::default()],
            warnings: Vec::new(),
        };
        let s = comparison_sentence(&r).unwrap();
        assert!(s.contains("0.3 or more earns 1,200"), "{s}");
        assert!(s.contains("earns 300 more"), "{s}");
        let same = ThresholdResult {
            best_f1_threshold: Some(0.3),
            value_at_best_f1: Some(1200.0),
            ..r
        };
        assert!(
            comparison_sentence(&same)
                .unwrap()
                .contains("also earns the most")
        );
    }
}
