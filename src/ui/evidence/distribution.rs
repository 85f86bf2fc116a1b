//! Distributions: how a metric is spread in each variant, as histograms (shares of each
//! variant's units, on common bins) or box plots.

use crate::ui::widgets::{settings_open, settings_salt};
use std::collections::HashMap;
use std::sync::Arc;

use egui_plot::{BoxElem, BoxPlot, BoxSpread, Corner, Line, Points};

use super::{
    ViewKind, choice_combo, column_combo, columns_by_role, dataset_combo, new_id, open_view, tips,
};
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::model::{ColumnRole, DistributionChart, DistributionData, DistributionView, Project};
use crate::ui::PageContext;
use crate::ui::plots::{self, AxisSpec, HoverLabels, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

pub fn distribution_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "Distribution",
        new_label: "New distribution",
        unnamed: "Distribution",
        empty: "No distribution yet. An average can hide a lot: a distribution shows how a \
                metric is spread in each variant (a few big spenders, many at zero, …). Start \
                one with \"New distribution\" once the experiment's data file is on the Data \
                page.",
        selected: |v| &mut v.distribution,
        new: new_distribution,
        kind: AnalysisKind::Distribution,
        wrap: NewAnalysis::Distribution,
    };
    let Some(i) = open_view(ui, cx, &kind, settings_ui) else {
        return;
    };
    let project: &Project = cx.project;
    let Some(view) = project.evidence.distributions.get(i) else {
        return;
    };
    let Some((_, data)) = &view.result else {
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    // The view's answer in words (the same sentence as the Summary and the report).
    if let Some(sentence) = crate::ui::labels::with_project(|p| {
        crate::io::report::sentences::distribution_sentence(p, view, data)
    }) {
        ui.add(egui::Label::new(egui::RichText::new(sentence).strong()).wrap());
        ui.add_space(theme::SPACE_XS);
    }
    summary_ui(ui, view, data);
    ui.add_space(theme::SECTION_GAP / 2.0);
    match view.spec.chart {
        DistributionChart::Histogram => histogram_ui(ui, view, data, cx.commands),
        DistributionChart::BoxPlot => box_plot_ui(ui, view, data, cx.commands),
    }
}

fn new_distribution(project: &Project) -> DistributionView {
    let id = new_id(
        "distribution",
        project.evidence.distributions.iter().map(|a| a.id.as_str()),
    );
    let mut view = DistributionView {
        id,
        name: format!("Distribution {}", project.evidence.distributions.len() + 1),
        ..Default::default()
    };
    let dataset = project
        .datasets
        .iter()
        .find(|d| d.columns.iter().any(|c| c.role == ColumnRole::Variant))
        .or_else(|| project.datasets.first());
    if let Some(d) = dataset {
        fill_from_dataset(&mut view, d);
    }
    view
}

/// Point a distribution view at a data file: its variant column and its first continuous
/// metric (a 0/1 metric has no shape worth a histogram: "median 0, middle half 0 to 0"),
/// named after the metric. Revenue-like metrics start with zeros left out.
fn fill_from_dataset(view: &mut DistributionView, d: &crate::model::Dataset) {
    view.spec.dataset_id = d.id.clone();
    view.spec.variant_column = d
        .columns
        .iter()
        .find(|c| c.role == ColumnRole::Variant)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let metrics = || {
        d.columns
            .iter()
            .filter(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
    };
    let metric = metrics()
        .filter(|c| continuous(c))
        .min_by_key(|c| c.role != ColumnRole::BusinessMetric)
        .or_else(|| metrics().min_by_key(|c| c.role != ColumnRole::BusinessMetric));
    view.spec.metric = metric.map(|c| c.name.clone()).unwrap_or_default();
    if !view.spec.metric.is_empty() {
        view.name = format!("{} per variant", super::readable(&view.spec.metric));
    }
}

/// Whether a metric column takes many values (not a 0/1 flag): a number with decimals, or a
/// whole number whose name is not a yes/no ("converted", "churned_30d", "is_active").
fn continuous(column: &crate::model::ColumnSpec) -> bool {
    match column.dtype.as_str() {
        "number" => true,
        "whole number" => !crate::analysis::series::flag_like_name(&column.name),
        _ => false,
    }
}

/// Metrics where many units have nothing (revenue of people who did not buy): the view
/// offers to look at the units with a value only.
fn revenue_like(metric: &str) -> bool {
    crate::analysis::series::money_like_name(metric)
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize) {
    let datasets = project.datasets.clone();
    let Some(view) = project.evidence.distributions.get_mut(i) else {
        return;
    };
    let incomplete = view.spec.dataset_id.is_empty()
        || view.spec.variant_column.is_empty()
        || view.spec.metric.is_empty();
    egui::CollapsingHeader::new("Settings")
        .id_salt(settings_salt(ui, ("distribution-settings", &view.id)))
        .default_open(settings_open(ui, incomplete && view.result.is_none()))
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut view.name,
                "e.g. Revenue per variant",
            );
            if dataset_combo(ui, "Data file", &mut view.spec.dataset_id, &datasets)
                && let Some(d) = datasets.iter().find(|d| d.id == view.spec.dataset_id)
            {
                let name = view.name.clone();
                fill_from_dataset(view, d);
                view.name = name;
            }
            let dataset = datasets.iter().find(|d| d.id == view.spec.dataset_id);
            let variants = columns_by_role(dataset, &[ColumnRole::Variant]);
            column_combo(
                ui,
                "Variant column",
                &mut view.spec.variant_column,
                &variants,
                None,
            );
            let metrics =
                columns_by_role(dataset, &[ColumnRole::BusinessMetric, ColumnRole::MlMetric]);
            column_combo(ui, "Metric", &mut view.spec.metric, &metrics, None);
            ui.horizontal(|ui| {
                let label = ui
                    .label("Bins")
                    .on_hover_text("How many ranges the histogram splits the metric into.");
                ui.add(egui::Slider::new(&mut view.spec.bins, 5..=100))
                    .labelled_by(label.id);
            });
        });
    choice_combo(
        ui,
        "Chart",
        &mut view.spec.chart,
        &[
            (DistributionChart::Histogram, "Histogram"),
            (DistributionChart::BoxPlot, "Box plot"),
        ],
        "A histogram shows the whole shape; a box plot compares medians and spread at a glance.",
    );
    if revenue_like(&view.spec.metric) || view.spec.exclude_zeros {
        ui.checkbox(
            &mut view.spec.exclude_zeros,
            "Only units with a non-zero value",
        )
        .on_hover_text(
            "Most units of a revenue-like metric have nothing (they did not buy); leave them out \
             to compare the spending of those who did.",
        );
    }
}

fn summary_ui(ui: &mut egui::Ui, view: &DistributionView, data: &DistributionData) {
    egui::Grid::new(("distribution-summary", &view.id))
        .striped(true)
        .num_columns(8)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            super::header_ui(ui, "Variant", "");
            super::header_ui(ui, "Units", tips::stat(tips::Statistic::N));
            super::header_ui(ui, "Mean", tips::stat(tips::Statistic::Mean));
            super::header_ui(
                ui,
                "Median",
                "The middle value: half of the units are below it.",
            );
            super::header_ui(ui, "Middle half", tips::BOX_PLOT);
            super::header_ui(ui, "Outliers", "Units beyond the box plot's whiskers.");
            super::header_ui(
                ui,
                "At zero",
                "The share of the variant's units whose value is zero.",
            );
            super::header_ui(ui, "Range", "The smallest and largest value.");
            ui.end_row();
            for v in &data.variants {
                let s = &v.stats;
                ui.label(&v.variant);
                ui.label(format::precise(s.n as f64));
                ui.label(format::number(s.mean));
                ui.label(format::number(s.median));
                ui.label(format!(
                    "{} to {}",
                    format::number(s.q1),
                    format::number(s.q3)
                ));
                ui.label(format::precise(s.outliers as f64));
                let units = if view.spec.exclude_zeros {
                    s.n + v.zeros
                } else {
                    s.n
                };
                ui.label(format!(
                    "{}%",
                    format::number(100.0 * v.zeros as f64 / units.max(1) as f64)
                ));
                ui.label(format!(
                    "{} to {}",
                    format::number(s.min),
                    format::number(s.max)
                ));
                ui.end_row();
            }
        });
    if view.spec.exclude_zeros {
        ui.label(egui::RichText::new("Zeros are left out of the figures and the chart.").weak());
    }
    if data.missing > 0 {
        ui.label(
            egui::RichText::new(format!(
                "{} units had no value for {} and are left out.",
                format::precise(data.missing as f64),
                crate::ui::labels::sentence(&view.spec.metric)
            ))
            .weak(),
        );
    }
}

fn histogram_ui(
    ui: &mut egui::Ui,
    view: &DistributionView,
    data: &DistributionData,
    commands: &mut Vec<crate::app::Command>,
) {
    let dark = ui.visuals().dark_mode;
    let mut table = PlotTable::new(&["variant", "bin_low", "bin_high", "count", "share"]);
    let mut hover: HoverLabels = HashMap::new();
    // One outline per variant: the tops of its bars as a step line, from zero to zero.
    let mut outlines: Vec<(String, Vec<[f64; 2]>)> = Vec::new();
    for v in &data.variants {
        let total = v.histogram.total().max(1) as f64;
        let mut points = Vec::new();
        let mut texts = Vec::new();
        for (k, &count) in v.histogram.counts.iter().enumerate() {
            let (Some(&lo), Some(&hi)) = (v.histogram.edges.get(k), v.histogram.edges.get(k + 1))
            else {
                continue;
            };
            let share = count as f64 / total;
            let last = k + 1 == v.histogram.counts.len();
            let range = if last && data.tail_from.is_some() {
                format!("{} and above", format::precise(lo))
            } else {
                format!("from {} to {}", format::precise(lo), format::precise(hi))
            };
            let text = format!(
                "{}\n{} {range}\n{} of units ({})",
                v.variant,
                crate::ui::labels::name(&view.spec.metric),
                ValueFormat::Percent.format(share),
                format::precise(count as f64)
            );
            if points.is_empty() {
                points.push([lo, 0.0]);
                texts.push(text.clone());
            }
            points.push([lo, share]);
            points.push([hi, share]);
            texts.push(text.clone());
            texts.push(text.clone());
            if k + 1 == v.histogram.counts.len() {
                points.push([hi, 0.0]);
                texts.push(text);
            }
            table.push(vec![
                v.variant.clone(),
                PlotTable::num(lo),
                PlotTable::num(hi),
                count.to_string(),
                PlotTable::num(share),
            ]);
        }
        hover.insert(v.variant.clone(), texts);
        outlines.push((v.variant.clone(), points));
    }
    let panel = PlotPanel::new(
        ("histogram", &view.id),
        format!("{} per variant", crate::ui::labels::name(&view.spec.metric)),
    )
    .caption(format!(
        "Share of each variant's units in each range, so variants of different sizes compare \
         fairly.{}",
        data.tail_from
            .map(|t| format!(
                " The last range also counts the few values above {} (the longest 0.5%).",
                format::number(t)
            ))
            .unwrap_or_default()
    ))
    .axes(
        AxisSpec::number(crate::ui::labels::axis(&view.spec.metric)),
        AxisSpec::new("Share of units", ValueFormat::Percent),
    )
    .data(Arc::new(table))
    .hover_labels(Arc::new(hover))
    .height(340.0)
    .legend(Some(Corner::RightTop))
    .include_y([0.0]);
    panel.tip(tips::HISTOGRAM).show(ui, commands, |plot_ui| {
        for (k, (name, points)) in outlines.into_iter().enumerate() {
            plot_ui.line(
                Line::new(name, points)
                    .color(plots::series_color(k, dark))
                    .style(plots::series_dash(k))
                    .width(2.0)
                    // Vertical steps must stay lines, not egui_plot's per-pixel bands.
                    .allow_band(false),
            );
        }
    });
}

fn box_plot_ui(
    ui: &mut egui::Ui,
    view: &DistributionView,
    data: &DistributionData,
    commands: &mut Vec<crate::app::Command>,
) {
    let dark = ui.visuals().dark_mode;
    let names: Arc<[String]> = data
        .variants
        .iter()
        .map(|v| v.variant.clone())
        .collect::<Vec<_>>()
        .into();
    let mut table = PlotTable::new(&[
        "variant",
        "n",
        "mean",
        "min",
        "q1",
        "median",
        "q3",
        "max",
        "lower_whisker",
        "upper_whisker",
        "outliers",
    ]);
    let mut boxes = Vec::new();
    let mut means = Vec::new();
    let mut mean_texts = Vec::new();
    for (k, v) in data.variants.iter().enumerate() {
        let s = &v.stats;
        table.push(vec![
            v.variant.clone(),
            s.n.to_string(),
            PlotTable::num(s.mean),
            PlotTable::num(s.min),
            PlotTable::num(s.q1),
            PlotTable::num(s.median),
            PlotTable::num(s.q3),
            PlotTable::num(s.max),
            PlotTable::num(s.lower_whisker),
            PlotTable::num(s.upper_whisker),
            s.outliers.to_string(),
        ]);
        let color = plots::series_color(k, dark);
        let x = k as f64;
        boxes.push((
            v.variant.clone(),
            BoxElem::new(
                x,
                BoxSpread::new(s.lower_whisker, s.q1, s.median, s.q3, s.upper_whisker),
            )
            .name(&v.variant)
            .box_width(0.5)
            .whisker_width(0.25)
            .fill(plots::fill_color(color, dark))
            .stroke(egui::Stroke::new(2.0, color)),
            color,
        ));
        means.push([x, s.mean]);
        mean_texts.push(format!("{}\nmean {}", v.variant, format::precise(s.mean)));
    }
    let mut hover: HoverLabels = HashMap::new();
    hover.insert("Mean".to_string(), mean_texts);
    let metric = crate::ui::labels::name(&view.spec.metric);
    let panel = PlotPanel::new(
        ("boxplot", &view.id),
        format!("{} per variant", crate::ui::labels::name(&view.spec.metric)),
    )
    .caption(
        "Box: middle half of the units; line: median; whiskers: up to 1.5 box lengths; \
         cross: mean.",
    )
    .axes(
        AxisSpec::new("Variant", ValueFormat::Category(names)),
        AxisSpec::number(crate::ui::labels::axis(&view.spec.metric)),
    )
    .data(Arc::new(table))
    .hover_labels(Arc::new(hover))
    .height(340.0)
    .legend(None)
    .include_x([-0.6, data.variants.len() as f64 - 0.4]);
    panel.tip(tips::BOX_PLOT).show(ui, commands, |plot_ui| {
        for (name, elem, color) in boxes {
            let metric = metric.clone();
            plot_ui.box_plot(
                BoxPlot::new(name, vec![elem])
                    .color(color)
                    .element_formatter(Box::new(move |e: &BoxElem, _| {
                        format!(
                            "{}\n{metric}\nupper whisker {}\nthird quartile {}\nmedian {}\n\
                             first quartile {}\nlower whisker {}",
                            e.name,
                            format::precise(e.spread.upper_whisker),
                            format::precise(e.spread.quartile3),
                            format::precise(e.spread.median),
                            format::precise(e.spread.quartile1),
                            format::precise(e.spread.lower_whisker),
                        )
                    })),
            );
        }
        plot_ui.points(
            Points::new("Mean", means)
                .shape(egui_plot::MarkerShape::Cross)
                .radius(6.0)
                .color(plots::reference_color(dark)),
        );
    });
}
