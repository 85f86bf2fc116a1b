//! Past experiments: a random-effects meta-analysis (DerSimonian–Laird) of many experiments'
//! effects: the pooled effect with its interval, how much experiments really differ (τ², I²),
//! and a forest plot with each experiment's measured effect beside its shrunken one, so a
//! stakeholder sees that past "winners" are usually worth less than they measured.

use std::collections::HashMap;
use std::sync::Arc;

use egui_plot::{Corner, Points, VLine};

use super::{
    ViewKind, alpha_combo, column_combo, columns_by_role, confidence_label, dataset_combo, new_id,
    open_view, tips,
};
use crate::analysis::dist;
use crate::analysis::meta::{MetaResult, headline, winners_curse};
use crate::app::{AnalysisKind, NewAnalysis};
use crate::format;
use crate::model::{ColumnRole, Dataset, MetaView, Project};
use crate::ui::PageContext;
use crate::ui::plots::{self, AxisSpec, HoverLabels, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

const MEASURED: &str = "Measured effect";
const SHRUNKEN: &str = "Likely worth (shrunken)";

pub fn meta_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "Meta-analysis",
        new_label: "New meta-analysis",
        unnamed: "Meta-analysis",
        empty: "No meta-analysis yet. Pooling many past experiments shows what a typical change \
                is worth, how much experiments really differ, and what each past \"winner\" is \
                likely worth once its luck is taken out. Start one with \"New meta-analysis\" \
                once a file with one row per experiment (an effect and its standard error), or \
                a unit-level file holding many experiments, is on the Data page.",
        selected: |v| &mut v.meta,
        new: new_meta,
        kind: AnalysisKind::Meta,
        wrap: NewAnalysis::Meta,
    };
    let Some(i) = open_view(ui, cx, &kind, settings_ui) else {
        return;
    };
    let project: &Project = cx.project;
    let Some(view) = project.evidence.metas.get(i) else {
        return;
    };
    let Some(result) = view.output() else {
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    results_ui(ui, view, result);
    ui.add_space(theme::SECTION_GAP / 2.0);
    forest_ui(ui, view, result, cx.commands);
}

/// A dataset that looks like past experiments: an effect with a standard-error column.
fn new_meta(project: &Project) -> MetaView {
    let id = new_id("meta", project.evidence.metas.iter().map(|a| a.id.as_str()));
    let mut view = MetaView {
        id,
        name: format!("Meta-analysis {}", project.evidence.metas.len() + 1),
        ..Default::default()
    };
    let has_se = |d: &&Dataset| {
        d.columns
            .iter()
            .any(|c| c.role == ColumnRole::StandardError)
    };
    let Some(d) = project
        .datasets
        .iter()
        .find(has_se)
        .or_else(|| project.datasets.first())
    else {
        return view;
    };
    view.spec.dataset_id = d.id.clone();
    if let Some(se) = d
        .columns
        .iter()
        .find(|c| c.role == ColumnRole::StandardError)
    {
        view.spec.se_column = se.name.clone();
        let metric = se.metric.clone().unwrap_or_default();
        view.spec.effect_column = d
            .columns
            .iter()
            .find(|c| c.name == metric)
            .or_else(|| {
                d.columns
                    .iter()
                    .find(|c| matches!(c.role, ColumnRole::BusinessMetric | ColumnRole::MlMetric))
            })
            .map(|c| c.name.clone())
            .unwrap_or_default();
    }
    view.spec.label_column = d
        .columns
        .iter()
        .find(|c| matches!(c.role, ColumnRole::UnitId | ColumnRole::Segment))
        .or_else(|| d.columns.iter().find(|c| c.dtype == "text"))
        .map(|c| c.name.clone());
    if !view.spec.effect_column.is_empty() {
        view.name = format!("Past experiments: {}", view.spec.effect_column);
    }
    view
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize) {
    let datasets = project.datasets.clone();
    let Some(view) = project.evidence.metas.get_mut(i) else {
        return;
    };
    let spec = &view.spec;
    let incomplete = spec.dataset_id.is_empty()
        || spec.effect_column.is_empty()
        || (spec.experiment_column.is_none() && spec.se_column.is_empty());
    egui::CollapsingHeader::new("Settings")
        .id_salt(("meta-settings", &view.id))
        .default_open(incomplete)
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut view.name,
                "e.g. Past checkout experiments",
            );
            let spec = &mut view.spec;
            if dataset_combo(ui, "Data file", &mut spec.dataset_id, &datasets) {
                spec.effect_column.clear();
                spec.se_column.clear();
                spec.label_column = None;
                spec.experiment_column = None;
            }
            let dataset = datasets.iter().find(|d| d.id == spec.dataset_id);
            let mut unit_level = spec.experiment_column.is_some();
            if ui
                .checkbox(
                    &mut unit_level,
                    "One row per unit, many experiments in the file",
                )
                .on_hover_text(
                    "Each experiment's effect is then its treatment-minus-control difference, \
                     with its standard error, computed from the units.",
                )
                .changed()
            {
                spec.experiment_column =
                    unit_level.then(|| first_of(dataset, ColumnRole::Segment).unwrap_or_default());
                if unit_level && spec.variant_column.is_empty() {
                    spec.variant_column =
                        first_of(dataset, ColumnRole::Variant).unwrap_or_default();
                }
            }
            let metrics =
                columns_by_role(dataset, &[ColumnRole::BusinessMetric, ColumnRole::MlMetric]);
            if let Some(experiment) = spec.experiment_column.as_mut() {
                let groups = columns_by_role(dataset, &[ColumnRole::Segment]);
                column_combo(ui, "Experiment column", experiment, &groups, None);
                let variants = columns_by_role(dataset, &[ColumnRole::Variant]);
                column_combo(
                    ui,
                    "Variant column",
                    &mut spec.variant_column,
                    &variants,
                    None,
                );
                crate::ui::widgets::compact_text_field(
                    ui,
                    "Control variant",
                    &mut spec.control,
                    "e.g. control",
                );
                column_combo(ui, "Metric", &mut spec.effect_column, &metrics, None);
            } else {
                let mut label = spec.label_column.clone().unwrap_or_default();
                let names = columns_by_role(dataset, &[ColumnRole::UnitId, ColumnRole::Segment]);
                if column_combo(ui, "Each row is", &mut label, &names, Some("Row number")) {
                    spec.label_column = (!label.is_empty()).then_some(label);
                }
                column_combo(
                    ui,
                    "Measured effect",
                    &mut spec.effect_column,
                    &metrics,
                    None,
                );
                let ses = columns_by_role(dataset, &[ColumnRole::StandardError]);
                column_combo(ui, "Its standard error", &mut spec.se_column, &ses, None);
            }
            alpha_combo(ui, &mut spec.alpha);
        });
}

fn first_of(dataset: Option<&Dataset>, role: ColumnRole) -> Option<String> {
    dataset?
        .columns
        .iter()
        .find(|c| c.role == role)
        .map(|c| c.name.clone())
}

fn results_ui(ui: &mut egui::Ui, view: &MetaView, result: &MetaResult) {
    let metric = crate::ui::labels::sentence(&view.spec.effect_column);
    if let Some(sentence) = headline(result, &metric) {
        ui.add(egui::Label::new(egui::RichText::new(sentence).size(19.0).strong()).wrap());
    }
    if let Some(sentence) = winners_curse(result) {
        ui.add(egui::Label::new(sentence).wrap());
    }
    ui.add_space(theme::SPACE_XS);
    let opt = |v: Option<f64>| v.map(|v| format::sig(v, 3)).unwrap_or_else(|| "–".into());
    egui::Grid::new(("meta-stats", &view.id))
        .num_columns(2)
        .spacing([18.0, 3.0])
        .show(ui, |ui| {
            ui.label("Pooled effect (random effects)").on_hover_text(
                "The average effect across experiments, weighing each by its precision and by \
                 how much experiments really differ (DerSimonian–Laird).",
            );
            ui.label(format!(
                "{} ± {} (standard error)",
                opt(result.pooled),
                opt(result.pooled_se)
            ));
            ui.end_row();
            ui.label("Real spread between experiments (τ²)").on_hover_text(
                "The variance of the experiments' true effects, beyond their measurement noise.",
            );
            ui.label(format!(
                "{}{}",
                opt(result.tau2),
                result
                    .tau2
                    .map(|t| format!(
                        " (a typical experiment is ± {} from the pool)",
                        format::sig(t.sqrt(), 2)
                    ))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Share of spread that is real (I²)").on_hover_text(
                "How much of the variation between measured effects is real rather than noise.",
            );
            ui.label(
                result
                    .i_squared
                    .map(|i| format!("{}%", format::sig(100.0 * i, 2)))
                    .unwrap_or_else(|| "–".into()),
            );
            ui.end_row();
            ui.label("Heterogeneity test (Cochran's Q)")
                .on_hover_text("Whether the experiments differ more than noise alone explains.");
            ui.label(format!(
                "Q = {}{}",
                opt(result.q),
                result
                    .q_p_value
                    .map(|p| format!(", {}", format::p_value(p)))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Experiments");
            ui.label(result.k.to_string());
            ui.end_row();
        });
    for w in &result.warnings {
        ui.label(egui::RichText::new(format!("•  {w}")).weak());
    }
}

/// The forest plot: one row per experiment, measured effect with its interval and shrunken
/// effect; the pooled effect and its interval as a band.
fn forest_ui(
    ui: &mut egui::Ui,
    view: &MetaView,
    result: &MetaResult,
    commands: &mut Vec<crate::app::Command>,
) {
    let k = result.experiments.len();
    if k == 0 {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let z = dist::z_two_sided(result.alpha).unwrap_or(1.96);
    let ci = confidence_label(result.alpha);
    // The first experiment at the top.
    let y_of = |i: usize| (k - 1 - i) as f64;
    let names: Arc<[String]> = (0..k)
        .rev()
        .filter_map(|i| result.experiments.get(i).map(|e| e.label.clone()))
        .collect::<Vec<_>>()
        .into();
    let mut table = PlotTable::new(&[
        "experiment",
        "effect",
        "se",
        "ci_low",
        "ci_high",
        "shrunken",
    ]);
    let mut measured = Vec::with_capacity(k);
    let mut shrunken = Vec::with_capacity(k);
    let mut intervals = Vec::with_capacity(k);
    let mut measured_texts = Vec::with_capacity(k);
    let mut shrunken_texts = Vec::with_capacity(k);
    for (i, e) in result.experiments.iter().enumerate() {
        let (lo, hi) = (e.effect - z * e.se, e.effect + z * e.se);
        let y = y_of(i);
        measured.push([e.effect, y]);
        intervals.push((y, (lo, hi)));
        let worth = e
            .shrunken
            .map(format::precise)
            .unwrap_or_else(|| "–".into());
        measured_texts.push(format!(
            "{}\nmeasured {} ({ci} CI {} to {})\nlikely worth {worth}",
            e.label,
            format::precise(e.effect),
            format::precise(lo),
            format::precise(hi)
        ));
        if let Some(s) = e.shrunken {
            shrunken.push([s, y]);
            shrunken_texts.push(format!(
                "{}\nlikely worth {worth}\nmeasured {}",
                e.label,
                format::precise(e.effect)
            ));
        }
        table.push(vec![
            e.label.clone(),
            PlotTable::num(e.effect),
            PlotTable::num(e.se),
            PlotTable::num(lo),
            PlotTable::num(hi),
            e.shrunken.map(PlotTable::num).unwrap_or_default(),
        ]);
    }
    let mut hover: HoverLabels = HashMap::new();
    hover.insert(MEASURED.to_string(), measured_texts);
    hover.insert(SHRUNKEN.to_string(), shrunken_texts);
    let metric = crate::ui::labels::sentence(&view.spec.effect_column);
    // Room for every experiment's name, and below the last row for the legend.
    let height = (30.0 * k as f32 + 190.0).clamp(300.0, 1000.0);
    let panel = PlotPanel::new(
        ("meta-forest", &view.id),
        format!("Past experiments: {metric}"),
    )
    .caption(format!(
        "Each row is one experiment: its measured effect with the {ci} interval, and what \
             it is likely worth once shrunk toward the pooled effect. The shaded band is the \
             pooled effect's {ci} interval."
    ))
    .axes(
        AxisSpec::new(format!("Effect on {metric}"), ValueFormat::SignedNumber),
        AxisSpec::new("Experiment", ValueFormat::Category(names)),
    )
    .tip(tips::FOREST)
    .data(Arc::new(table))
    .hover_labels(Arc::new(hover))
    .height(height)
    .legend(Some(Corner::RightBottom))
    .include_y([-0.8, k as f64 - 0.2]);
    let measured_color = plots::series_color(0, dark);
    let shrunken_color = plots::series_color(1, dark);
    let pooled_color = plots::series_color(2, dark);
    let pooled = result.pooled;
    let pooled_ci = result.ci_low.zip(result.ci_high);
    panel.show(ui, commands, |plot_ui| {
        if let Some((lo, hi)) = pooled_ci {
            let ys = [-0.8, k as f64 - 0.2];
            plot_ui.add(plots::band(
                &format!("Pooled effect, {ci} interval"),
                &[lo, hi],
                &[ys[0], ys[0]],
                &[ys[1], ys[1]],
                pooled_color,
                dark,
            ));
        }
        plot_ui.vline(
            VLine::new("No change", 0.0)
                .color(plots::reference_color(dark))
                .width(1.0),
        );
        if let Some(p) = pooled {
            plot_ui.vline(
                VLine::new("Pooled effect", p)
                    .color(pooled_color)
                    .width(2.0),
            );
        }
        for (y, interval) in intervals {
            plots::interval_h(plot_ui, MEASURED, y, interval, 0.15, measured_color);
        }
        plot_ui.points(
            Points::new(MEASURED, measured)
                .shape(egui_plot::MarkerShape::Circle)
                .radius(4.5)
                .filled(true)
                .color(measured_color),
        );
        plot_ui.points(
            Points::new(SHRUNKEN, shrunken)
                .shape(egui_plot::MarkerShape::Diamond)
                .radius(6.0)
                .filled(true)
                .color(shrunken_color),
        );
    });
}
