//! Over time: daily metrics per model, one plot per metric with a shared, linked date axis,
//! and the deployment dates marked. Long series are reduced to what each frame can show.

use crate::ui::widgets::{settings_open, settings_salt};
use std::sync::Arc;

use egui_plot::{Line, Text};

use super::{ViewKind, column_combo, columns_by_role, dataset_combo, new_id, open_view};
use crate::analysis::series::{
    DeploymentChange, daily_average, deployment_changes, format_date, parse_iso_date, split_at_gaps,
};
use crate::app::evidence_jobs::{PreparedSeries, PreparedTimeline};
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::model::{ColumnRole, Project, TimelineView};
use crate::ui::PageContext;
use crate::ui::plots::{
    self, AxisSpec, PlotLink, PlotPanel, PlotTable, TableSeries, ValueFormat, last_view,
    reduced_points,
};
use crate::ui::theme;

pub fn timeline_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "View",
        new_label: "New over-time view",
        unnamed: "Over time",
        empty: "No over-time view yet. It shows daily metrics per model, one plot per metric, \
                with the days each model was deployed marked, so you can see whether the \
                business metric moved when a new model went live. Start one with \"New \
                over-time view\" once a data file with one row per day (and model) is on the \
                Data page.",
        selected: |v| &mut v.timeline,
        new: new_timeline,
        kind: AnalysisKind::OverTime,
        wrap: NewAnalysis::OverTime,
    };
    let Some(i) = open_view(ui, cx, &kind, settings_ui) else {
        return;
    };
    let project: &Project = cx.project;
    let Some(view) = project.evidence.timelines.get(i) else {
        return;
    };
    // The drawable series: prepared by the app from this session's computation or from the
    // saved result (the frame the view first appears, they are built here once).
    let prepared = match (&view.result, cx.runtime.evidence.timelines.get(&view.id)) {
        (Some((stamp, _)), Some(p)) if &p.stamp == stamp => Some(Arc::clone(p)),
        (Some((stamp, data)), _) => Some(Arc::new(PreparedTimeline::new(stamp.clone(), data))),
        (None, Some(p)) => Some(Arc::clone(p)),
        (None, None) => None,
    };
    let Some(prepared) = prepared else {
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    plots_ui(ui, project, view, &prepared, cx.commands);
}

/// One series to draw: its name, colour, and its points split at gaps in the data.
type Runs = (String, egui::Color32, Vec<Vec<[f64; 2]>>);

fn new_timeline(project: &Project) -> TimelineView {
    let id = new_id(
        "timeline",
        project.evidence.timelines.iter().map(|a| a.id.as_str()),
    );
    let mut view = TimelineView {
        id,
        name: format!("Over time {}", project.evidence.timelines.len() + 1),
        ..Default::default()
    };
    // A file with one row per day (and model): a Time column and metrics, and no variant or
    // unit column (an A/B test's assignment date is not a daily series).
    let score = |d: &crate::model::Dataset| {
        let has = |roles: &[ColumnRole]| d.columns.iter().any(|c| roles.contains(&c.role));
        if !has(&[ColumnRole::Time]) {
            return 0;
        }
        let mut score = 1;
        if has(&[ColumnRole::MlMetric, ColumnRole::BusinessMetric]) {
            score += 4;
        }
        if !has(&[ColumnRole::Variant, ColumnRole::UnitId]) {
            score += 2;
        }
        if d.name.to_lowercase().contains("deploy") {
            score -= 3;
        }
        score
    };
    let dataset = project
        .datasets
        .iter()
        .filter(|d| score(d) > 0)
        .max_by_key(|d| (score(d), std::cmp::Reverse(d.id.clone())))
        .or_else(|| project.datasets.first());
    if let Some(d) = dataset {
        fill_from_dataset(&mut view, d, &project.datasets);
        view.name = d.name.clone();
    }
    view
}

/// Point an over-time view at a data file: its Time column, one line per model (the variant
/// or segment column), every metric, the deployment column or a deployments file.
fn fill_from_dataset(
    view: &mut TimelineView,
    d: &crate::model::Dataset,
    datasets: &[crate::model::Dataset],
) {
    view.spec.dataset_id = d.id.clone();
    view.spec.time_column = d
        .columns
        .iter()
        .find(|c| c.role == ColumnRole::Time)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    view.spec.series_column = d
        .columns
        .iter()
        .find(|c| matches!(c.role, ColumnRole::Variant | ColumnRole::Segment))
        .map(|c| c.name.clone());
    view.spec.metrics = d
        .columns
        .iter()
        .filter(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
        .map(|c| c.name.clone())
        .collect();
    view.spec.deployment_column = d
        .columns
        .iter()
        .find(|c| c.name.to_lowercase().contains("deploy"))
        .map(|c| c.name.clone());
    let main = d.id.clone();
    view.spec.deployment_dataset = datasets
        .iter()
        .find(|other| {
            other.id != main
                && other.name.to_lowercase().contains("deploy")
                && other.columns.iter().any(|c| c.role == ColumnRole::Time)
        })
        .map(|other| other.id.clone());
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize) {
    let datasets = project.datasets.clone();
    let Some(view) = project.evidence.timelines.get_mut(i) else {
        return;
    };
    let incomplete = view.spec.dataset_id.is_empty()
        || view.spec.time_column.is_empty()
        || view.spec.metrics.is_empty();
    egui::CollapsingHeader::new("Settings")
        .id_salt(settings_salt(ui, ("timeline-settings", &view.id)))
        .default_open(settings_open(ui, incomplete && view.result.is_none()))
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut view.name,
                "e.g. Daily revenue per model",
            );
            if dataset_combo(ui, "Data file", &mut view.spec.dataset_id, &datasets)
                && let Some(d) = datasets.iter().find(|d| d.id == view.spec.dataset_id)
            {
                // The new file's own Time column and metrics, not an empty form.
                fill_from_dataset(view, d, &datasets);
            }
            let dataset = datasets.iter().find(|d| d.id == view.spec.dataset_id);
            let time = columns_by_role(dataset, &[ColumnRole::Time]);
            column_combo(ui, "Date column", &mut view.spec.time_column, &time, None);
            let all = columns_by_role(dataset, &[ColumnRole::Variant, ColumnRole::Segment]);
            let mut series = view.spec.series_column.clone().unwrap_or_default();
            if column_combo(
                ui,
                "One line per",
                &mut series,
                &all,
                Some("One line in total"),
            ) {
                view.spec.series_column = (!series.is_empty()).then_some(series);
            }
            let mut deploy = view.spec.deployment_column.clone().unwrap_or_default();
            if column_combo(ui, "Deployment column", &mut deploy, &all, Some("None")) {
                view.spec.deployment_column = (!deploy.is_empty()).then_some(deploy);
            }
            ui.label("Metrics");
            let metric_columns =
                columns_by_role(dataset, &[ColumnRole::BusinessMetric, ColumnRole::MlMetric]);
            ui.horizontal_wrapped(|ui| {
                for c in metric_columns {
                    if matches!(
                        c.role,
                        ColumnRole::Time
                            | ColumnRole::Variant
                            | ColumnRole::Segment
                            | ColumnRole::UnitId
                    ) || c.name == view.spec.time_column
                    {
                        continue;
                    }
                    let mut on = view.spec.metrics.contains(&c.name);
                    if ui
                        .checkbox(&mut on, crate::ui::labels::picker(&c.name))
                        .changed()
                    {
                        if on {
                            view.spec.metrics.push(c.name.clone());
                        } else {
                            view.spec.metrics.retain(|m| m != &c.name);
                        }
                    }
                }
            });
            deployment_file_ui(ui, view, &datasets);
            deployments_ui(ui, view);
        });
}

/// A second file with one row per deployment (a date and the model).
fn deployment_file_ui(
    ui: &mut egui::Ui,
    view: &mut TimelineView,
    datasets: &[crate::model::Dataset],
) {
    ui.horizontal(|ui| {
        let label = ui.label("Deployments file").on_hover_text(
            "A data file with one row per deployment: its date and the model (optional).",
        );
        let shown = view
            .spec
            .deployment_dataset
            .as_deref()
            .and_then(|id| datasets.iter().find(|d| d.id == id))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| "None".to_string());
        egui::ComboBox::from_id_salt(("deployment-file", &view.id))
            .selected_text(shown)
            .width(280.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(view.spec.deployment_dataset.is_none(), "None")
                    .clicked()
                {
                    view.spec.deployment_dataset = None;
                }
                for d in datasets.iter().filter(|d| d.id != view.spec.dataset_id) {
                    let on = view.spec.deployment_dataset.as_deref() == Some(d.id.as_str());
                    if ui.selectable_label(on, &d.name).clicked() {
                        view.spec.deployment_dataset = Some(d.id.clone());
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

fn deployments_ui(ui: &mut egui::Ui, view: &mut TimelineView) {
    ui.label("Deployment dates you add by hand").on_hover_text(
        "Dates (YYYY-MM-DD) to mark on every plot, with a label such as the model's name.",
    );
    let mut remove = None;
    for (k, (date, label)) in view.spec.deployments.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(date)
                    .hint_text("2026-03-01")
                    .desired_width(110.0),
            );
            ui.add(
                egui::TextEdit::singleline(label)
                    .hint_text("model v2")
                    .desired_width(180.0),
            );
            if parse_iso_date(date).is_none() && !date.is_empty() {
                ui.label(
                    egui::RichText::new("Not a date (YYYY-MM-DD)")
                        .color(theme::warning_color(ui.visuals().dark_mode)),
                );
            }
            if ui.small_button("Remove").clicked() {
                remove = Some(k);
            }
        });
    }
    if let Some(k) = remove {
        view.spec.deployments.remove(k);
    }
    if ui.button("Add a deployment date").clicked() {
        view.spec.deployments.push((String::new(), String::new()));
    }
}

fn plots_ui(
    ui: &mut egui::Ui,
    project: &Project,
    view: &TimelineView,
    prepared: &PreparedTimeline,
    commands: &mut Vec<crate::app::Command>,
) {
    let dataset = project.dataset(&view.spec.dataset_id);
    let role_of = |metric: &str| {
        dataset
            .and_then(|d| d.columns.iter().find(|c| c.name == metric))
            .map(|c| c.role)
    };
    // Deployments: from the data, then the ones typed in.
    let mut deployments: Vec<(f64, String)> = prepared.deployments.clone();
    for (date, label) in &view.spec.deployments {
        if let Some(day) = parse_iso_date(date) {
            deployments.push((day, label.clone()));
        }
    }
    deployments.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Every series' name in a stable order, for stable colours across the plots.
    let mut series_names: Vec<&str> = Vec::new();
    for s in &prepared.series {
        if !series_names.contains(&s.series.as_str()) {
            series_names.push(&s.series);
        }
    }
    let link = PlotLink {
        group: egui::Id::unique(("timeline-group", &view.id)),
        x: true,
        y: false,
    };
    let (x_min, x_max) = prepared
        .series
        .iter()
        .filter_map(|s| s.points.x_range())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
            (lo.min(a), hi.max(b))
        });
    if !deployments.is_empty() {
        let list: Vec<String> = deployments
            .iter()
            .map(|(d, l)| {
                if l.is_empty() {
                    format_date(*d)
                } else {
                    format!("{l} on {}", format_date(*d))
                }
            })
            .collect();
        ui.label(format!("Deployments (dashed lines): {}.", list.join(", ")));
    }
    verdict_ui(ui, view, prepared, &deployments, role_of);
    let shared = Shared {
        view,
        deployments,
        series_names,
        link,
        x_range: [x_min, x_max],
    };
    for metric in &view.spec.metrics {
        let series: Vec<&PreparedSeries> = prepared
            .series
            .iter()
            .filter(|s| &s.metric == metric)
            .collect();
        if series.is_empty() {
            continue;
        }
        let kind = match role_of(metric) {
            Some(ColumnRole::BusinessMetric) => "Business metric",
            Some(ColumnRole::MlMetric) => "ML metric",
            _ => "Metric",
        };
        metric_plot_ui(ui, &shared, metric, kind, &series, commands);
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
}

/// The view's answer in words: for the first business metric (else the first metric), its
/// daily average before and after each deployment, with a 95% interval.
fn verdict_ui(
    ui: &mut egui::Ui,
    view: &TimelineView,
    prepared: &PreparedTimeline,
    deployments: &[(f64, String)],
    role_of: impl Fn(&str) -> Option<ColumnRole>,
) {
    let metric = view
        .spec
        .metrics
        .iter()
        .find(|m| role_of(m) == Some(ColumnRole::BusinessMetric))
        .or_else(|| view.spec.metrics.first());
    let Some(metric) = metric else {
        return;
    };
    let series = prepared
        .series
        .iter()
        .filter(|s| &s.metric == metric)
        .map(|s| (s.points.xs(), s.points.ys()));
    let daily = daily_average(series);
    let changes = deployment_changes(&daily, deployments);
    if changes.is_empty() {
        if !deployments.is_empty() {
            ui.label(
                egui::RichText::new(format!(
                    "No day of {} on both sides of a deployment, so no before-and-after \
                     comparison.",
                    crate::ui::labels::sentence(metric)
                ))
                .weak(),
            );
        }
        return;
    }
    for change in &changes {
        ui.label(egui::RichText::new(deployment_sentence(metric, change)).strong());
    }
    ui.label(
        egui::RichText::new(
            "Daily averages over every line, up to 28 days each side of a deployment (never \
             across the next one); the interval treats days as independent, and a season or \
             another launch in the same weeks moves the numbers too.",
        )
        .weak(),
    );
}

/// "After ranker_v2 went live on 2024-02-15, revenue per user (USD) averaged 4.12 a day over
/// 28 days against 3.95 over the 28 days before: +0.17 (95% CI +0.09 to +0.25), a clear
/// rise." (The sentence is built in the core, shared with the Summary and the report.)
pub fn deployment_sentence(metric: &str, c: &DeploymentChange) -> String {
    crate::io::report::sentences::deployment_sentence(&crate::ui::labels::sentence(metric), c)
}

/// What the plots of an over-time view share: the deployments, the series' colours, the
/// linked x axis and its range.
struct Shared<'a> {
    view: &'a TimelineView,
    deployments: Vec<(f64, String)>,
    /// Every series' name in a stable order, for stable colours across the plots.
    series_names: Vec<&'a str>,
    link: PlotLink,
    x_range: [f64; 2],
}

/// The plot of one metric over time: one line per series, with the deployments marked.
fn metric_plot_ui(
    ui: &mut egui::Ui,
    shared: &Shared<'_>,
    metric: &str,
    kind: &str,
    series: &[&PreparedSeries],
    commands: &mut Vec<crate::app::Command>,
) {
    let dark = ui.visuals().dark_mode;
    let view = shared.view;
    let series_names = &shared.series_names;
    let deploy_color = plots::reference_color(dark);
    let panel_id = ("timeline", &view.id, metric);
    let series_header = view
        .spec
        .series_column
        .as_deref()
        .map(crate::ui::labels::name)
        .unwrap_or_else(|| "Series".to_string());
    let mut table = PlotTable::new(&[
        &series_header,
        &crate::ui::labels::name(&view.spec.time_column),
        &crate::ui::labels::axis(metric),
    ]);
    table.series = series
        .iter()
        .map(|s| TableSeries {
            name: if s.series.is_empty() {
                metric.to_string()
            } else {
                s.series.clone()
            },
            points: Arc::clone(&s.points),
            x_is_date: true,
        })
        .collect();
    let y_max = series
        .iter()
        .filter_map(|s| s.points.y_range())
        .map(|r| r.1)
        .fold(f64::NEG_INFINITY, f64::max);
    let total: usize = series.iter().map(|s| s.points.len()).sum();
    let caption = if total > 5_000 {
        format!(
            "{} points, drawn at screen resolution (every spike is kept); zoom in for detail.",
            format::precise(total as f64)
        )
    } else {
        format!("{} points.", format::precise(total as f64))
    };
    let entries: Vec<(String, egui::Color32)> = series
        .iter()
        .map(|s| {
            let k = series_names
                .iter()
                .position(|n| *n == s.series)
                .unwrap_or(0);
            let name = if s.series.is_empty() {
                crate::ui::labels::name(metric)
            } else {
                s.series.clone()
            };
            (name, plots::series_color(k, dark))
        })
        .collect();
    let panel = PlotPanel::new(
        panel_id,
        format!("{kind}: {}", crate::ui::labels::name(metric)),
    )
    .caption(caption)
    .axes(
        AxisSpec::new(
            crate::ui::labels::name(&view.spec.time_column),
            ValueFormat::Date,
        ),
        AxisSpec::number(crate::ui::labels::axis(metric)),
    )
    .data(Arc::new(table))
    .height(240.0)
    .legend_row(entries.clone())
    .link(shared.link)
    .include_x(shared.x_range)
    .hover_anywhere(false)
    // The same room for the y axis in every plot keeps the dates aligned.
    .customize(|plot| plot.y_axis_min_width(64.0));
    // Reduce each series to the last frame's view before drawing, and break its line
    // where the data has a gap (a model that stopped serving and came back).
    let pixel = last_view(ui.ctx(), panel.id())
        .map(|(lo, hi, columns)| (hi - lo) / columns.max(1) as f64)
        .unwrap_or(0.0);
    let lines: Vec<Runs> = series
        .iter()
        .zip(&entries)
        .map(|(s, (name, color))| {
            let points = reduced_points(ui.ctx(), panel.id(), &s.points);
            let max_gap = (4.0 * s.typical_step).max(3.0 * pixel);
            let runs = if max_gap > 0.0 {
                split_at_gaps(&points, max_gap)
                    .into_iter()
                    .map(<[[f64; 2]]>::to_vec)
                    .collect()
            } else {
                vec![points]
            };
            (name.clone(), *color, runs)
        })
        .collect();
    let marks = &shared.deployments;
    panel.show(ui, commands, |plot_ui| {
        for (name, color, runs) in lines {
            for run in runs {
                plot_ui.line(
                    Line::new(name.clone(), run)
                        .color(color)
                        .style(plots::dash_for(color))
                        .width(1.8),
                );
            }
        }
        for (day, label) in marks {
            plot_ui.vline(plots::marker_line("Deployment", *day, deploy_color).allow_hover(false));
            if y_max.is_finite() && !label.is_empty() {
                plot_ui.text(
                    Text::new(
                        "",
                        egui_plot::PlotPoint::new(*day, y_max),
                        format!(" {label}"),
                    )
                    .anchor(egui::Align2::LEFT_TOP)
                    .color(deploy_color),
                );
            }
        }
    });
}
