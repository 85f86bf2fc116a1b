//! ML vs business: the ML metric and the business metric per experiment side by side (linked x
//! axis and cursor), the scatter of one against the other with the fitted line and its band,
//! and the sentence that says how much the business moved per step of the ML metric. Hovering
//! or clicking a point highlights the same experiment in every plot.

use std::collections::HashMap;
use std::sync::Arc;

use egui_plot::{Corner, Line, Points};

use super::{
    ViewKind, alpha_combo, column_combo, columns_by_role, confidence_label, dataset_combo, new_id,
    pick_and_refresh, status_ui, tips,
};
use crate::analysis::LinkResult;
use crate::analysis::series::parse_iso_date;
use crate::analysis::{BandPoint, LineFit};
use crate::app::evidence_jobs::EvidenceRuntime;
use crate::format;
use crate::model::{ColumnRole, LinkAnalysis, LinkPoint, Project};
use crate::ui::PageContext;
use crate::ui::plots::{self, AxisSpec, HoverLabels, PlotLink, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

pub fn link_view_ui(ui: &mut egui::Ui, cx: &mut PageContext<'_>) {
    let kind = ViewKind {
        label: "Link",
        new_label: "New link",
        unnamed: "Link",
        empty: "No ML-to-business link yet. A link relates an ML metric (offline accuracy, AUC) \
                to a business metric (revenue per user, retention) across many experiments, \
                models or days: when the model got better, did the business follow, and by how \
                much? Start one with \"New link\" once a data file with one row per experiment \
                is on the Data page.",
        selected: |v| &mut v.link,
        new: new_link,
    };
    let Some(i) = pick_and_refresh(ui, cx, &kind) else {
        return;
    };
    settings_ui(ui, cx.project, i);
    let project: &Project = cx.project;
    let Some(analysis) = project.evidence.links.get(i) else {
        return;
    };
    status_ui(ui, analysis, project, &mut cx.runtime.evidence, cx.jobs);
    let Some((_, result)) = &analysis.cache else {
        return;
    };
    ui.add_space(theme::SECTION_GAP / 2.0);
    results_ui(ui, analysis, result, &mut cx.runtime.evidence, cx.commands);
}

fn new_link(project: &Project) -> LinkAnalysis {
    let id = new_id("link", project.evidence.links.iter().map(|a| a.id.as_str()));
    let mut analysis = LinkAnalysis {
        id,
        name: format!("Link {}", project.evidence.links.len() + 1),
        ..Default::default()
    };
    let has = |d: &crate::model::Dataset, role| d.columns.iter().any(|c| c.role == role);
    let dataset = project
        .datasets
        .iter()
        .find(|d| {
            has(d, ColumnRole::MlMetric)
                && has(d, ColumnRole::BusinessMetric)
                && !has(d, ColumnRole::Variant)
        })
        .or_else(|| project.datasets.first());
    if let Some(d) = dataset {
        analysis.dataset_id = d.id.clone();
        let first = |role| {
            d.columns
                .iter()
                .find(|c| c.role == role)
                .map(|c| c.name.clone())
        };
        analysis.x = first(ColumnRole::MlMetric).unwrap_or_default();
        analysis.y = first(ColumnRole::BusinessMetric).unwrap_or_default();
        analysis.label_column = d
            .columns
            .iter()
            .find(|c| {
                matches!(
                    c.role,
                    ColumnRole::UnitId | ColumnRole::Segment | ColumnRole::Time
                )
            })
            .or_else(|| d.columns.iter().find(|c| c.dtype == "text"))
            .map(|c| c.name.clone());
        if !analysis.x.is_empty() && !analysis.y.is_empty() {
            analysis.name = format!("{} to {}", analysis.x, analysis.y);
        }
    }
    analysis
}

fn settings_ui(ui: &mut egui::Ui, project: &mut Project, i: usize) {
    let datasets = project.datasets.clone();
    let Some(analysis) = project.evidence.links.get_mut(i) else {
        return;
    };
    let incomplete =
        analysis.dataset_id.is_empty() || analysis.x.is_empty() || analysis.y.is_empty();
    egui::CollapsingHeader::new("Settings")
        .id_salt(("link-settings", &analysis.id))
        .default_open(incomplete)
        .show(ui, |ui| {
            crate::ui::widgets::compact_text_field(
                ui,
                "Name",
                &mut analysis.name,
                "e.g. Accuracy to revenue",
            );
            if dataset_combo(ui, "Data file", &mut analysis.dataset_id, &datasets) {
                analysis.x.clear();
                analysis.y.clear();
                analysis.label_column = None;
            }
            let dataset = datasets.iter().find(|d| d.id == analysis.dataset_id);
            let mut label = analysis.label_column.clone().unwrap_or_default();
            let all = columns_by_role(
                dataset,
                &[ColumnRole::UnitId, ColumnRole::Segment, ColumnRole::Time],
            );
            if column_combo(ui, "Each row is", &mut label, &all, Some("Row number")) {
                analysis.label_column = (!label.is_empty()).then_some(label);
            }
            let ml = columns_by_role(dataset, &[ColumnRole::MlMetric]);
            column_combo(ui, "ML metric", &mut analysis.x, &ml, None);
            let business = columns_by_role(dataset, &[ColumnRole::BusinessMetric]);
            column_combo(ui, "Business metric", &mut analysis.y, &business, None);
            alpha_combo(ui, &mut analysis.alpha);
        });
}

pub use super::readable;

/// What one row is, in the plural: "experiments" for a label column "experiment_id".
fn row_noun(analysis: &LinkAnalysis) -> String {
    let Some(column) = &analysis.label_column else {
        return "rows".to_string();
    };
    let base = column.to_lowercase();
    let base = base
        .trim_end_matches("_id")
        .trim_end_matches("_name")
        .trim_end_matches(" id")
        .trim_end_matches(" name")
        .replace('_', " ");
    match base.as_str() {
        "" => "rows".to_string(),
        "date" | "day" | "time" => "days".to_string(),
        b if b.ends_with('s') => b.to_string(),
        b => format!("{b}s"),
    }
}

/// Whether the ML metric is a share between 0 and 1 (accuracy, AUC), so steps are told in
/// percentage points.
fn is_share(points: &[LinkPoint]) -> bool {
    !points.is_empty() && points.iter().all(|p| (0.0..=1.0).contains(&p.x))
}

/// "Each +1 pp of accuracy came with +0.16 revenue per user (95 % CI 0.13 to 0.19) across 24
/// experiments."
pub fn headline(analysis: &LinkAnalysis, result: &LinkResult) -> Option<String> {
    let slope = result.slope?;
    let (step, step_text) = if is_share(&analysis.points) {
        (0.01, "+1 pp".to_string())
    } else {
        (1.0, "+1".to_string())
    };
    let interval = match (result.slope_ci_low, result.slope_ci_high) {
        (Some(lo), Some(hi)) => format!(
            " ({} CI {} to {})",
            confidence_label(analysis.alpha),
            format::sig(lo * step, 2),
            format::sig(hi * step, 2)
        ),
        _ => String::new(),
    };
    Some(format!(
        "Each {step_text} of {} came with {} {}{interval} across {} {}.",
        readable(&analysis.x),
        format::signed_sig(slope * step, 2),
        readable(&analysis.y),
        result.n,
        row_noun(analysis)
    ))
}

/// The engine's verdict on the link without its own slope sentence (the headline above says
/// it per +1 pp or +1 unit): how strong the link is, and whether chance explains it.
fn supporting_verdict(analysis: &LinkAnalysis, result: &LinkResult) -> String {
    if result.slope.is_none() {
        return result.verdict.clone();
    }
    let x = readable(&analysis.x);
    let y = readable(&analysis.y);
    crate::analysis::verdict::link_verdict(&crate::analysis::verdict::LinkFacts {
        x: &x,
        y: &y,
        n: result.n,
        r: result.pearson_r,
        r_ci: result.pearson_ci_low.zip(result.pearson_ci_high),
        p: result.pearson_p,
        slope: result.slope,
        slope_ci: result.slope_ci_low.zip(result.slope_ci_high),
        x_step: None,
        alpha: analysis.alpha,
    })
}

/// The plot data of a link, prepared before drawing.
struct LinkPlots {
    /// x of each point in the side-by-side plots: its date, or its position.
    positions: Vec<f64>,
    x_format: ValueFormat,
    ml: Vec<[f64; 2]>,
    business: Vec<[f64; 2]>,
    scatter: Vec<[f64; 2]>,
    fit: Option<Vec<BandPoint>>,
    hover: Arc<HoverLabels>,
    table: Arc<PlotTable>,
    fit_table: Arc<PlotTable>,
}

const ML_SERIES: &str = "ML metric";
const BUSINESS_SERIES: &str = "Business metric";
const SCATTER_SERIES: &str = "Experiments";

fn link_plots(analysis: &LinkAnalysis) -> LinkPlots {
    let points = &analysis.points;
    let dates: Option<Vec<f64>> = points.iter().map(|p| parse_iso_date(&p.label)).collect();
    let (positions, x_format) = match dates {
        Some(dates) if !dates.is_empty() => (dates, ValueFormat::Date),
        _ => {
            let names: Arc<[String]> = points
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()
                .into();
            (
                (0..points.len()).map(|i| i as f64).collect(),
                ValueFormat::Category(names),
            )
        }
    };
    let ml: Vec<[f64; 2]> = positions
        .iter()
        .zip(points)
        .map(|(&x, p)| [x, p.x])
        .collect();
    let business: Vec<[f64; 2]> = positions
        .iter()
        .zip(points)
        .map(|(&x, p)| [x, p.y])
        .collect();
    let scatter: Vec<[f64; 2]> = points.iter().map(|p| [p.x, p.y]).collect();
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let fit = LineFit::new(&xs, &ys, analysis.alpha).map(|fit| {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = (hi - lo) * 0.05;
        fit.band(lo - pad, hi + pad, 61)
    });
    let x_name = readable(&analysis.x);
    let y_name = readable(&analysis.y);
    let texts: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{}\n{x_name}: {}\n{y_name}: {}",
                p.label,
                format::precise(p.x),
                format::precise(p.y)
            )
        })
        .collect();
    let mut hover: HoverLabels = HashMap::new();
    for name in [ML_SERIES, BUSINESS_SERIES, SCATTER_SERIES] {
        hover.insert(name.to_string(), texts.clone());
    }
    let label_header = analysis
        .label_column
        .clone()
        .unwrap_or_else(|| "row".to_string());
    let mut table = PlotTable::new(&[&label_header, &analysis.x, &analysis.y]);
    for p in points {
        table.push(vec![
            p.label.clone(),
            PlotTable::num(p.x),
            PlotTable::num(p.y),
        ]);
    }
    let mut fit_table = table.clone();
    if let Some(band) = &fit {
        fit_table = PlotTable::new(&[
            &label_header,
            &analysis.x,
            &analysis.y,
            "fitted",
            "band_low",
            "band_high",
        ]);
        for p in points {
            fit_table.push(vec![
                p.label.clone(),
                PlotTable::num(p.x),
                PlotTable::num(p.y),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for b in band {
            fit_table.push(vec![
                "(fitted line)".to_string(),
                PlotTable::num(b.x),
                String::new(),
                PlotTable::num(b.fit),
                PlotTable::num(b.mean_low),
                PlotTable::num(b.mean_high),
            ]);
        }
    }
    LinkPlots {
        positions,
        x_format,
        ml,
        business,
        scatter,
        fit,
        hover: Arc::new(hover),
        table: Arc::new(table),
        fit_table: Arc::new(fit_table),
    }
}

fn results_ui(
    ui: &mut egui::Ui,
    analysis: &LinkAnalysis,
    result: &LinkResult,
    runtime: &mut EvidenceRuntime,
    commands: &mut Vec<crate::app::Command>,
) {
    if let Some(sentence) = headline(analysis, result) {
        ui.add(egui::Label::new(egui::RichText::new(sentence).size(19.0).strong()).wrap())
            .on_hover_text(tips::stat(tips::Statistic::Slope));
    }
    let verdict = supporting_verdict(analysis, result);
    if !verdict.is_empty() {
        ui.add(egui::Label::new(verdict).wrap());
    }
    stats_ui(ui, analysis, result);
    for w in &result.warnings {
        ui.label(egui::RichText::new(format!("•  {w}")).weak());
    }
    if analysis.points.is_empty() {
        return;
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let plots_data = link_plots(analysis);
    let dark = ui.visuals().dark_mode;
    let highlight = highlighted(analysis, runtime);
    let mut hovered: Option<usize> = None;
    let x_name = readable(&analysis.x);
    let y_name = readable(&analysis.y);
    let noun = row_noun(analysis);
    let link = PlotLink {
        group: egui::Id::unique(("link-group", &analysis.id)),
        x: true,
        y: false,
    };
    let ml_color = plots::series_color(0, dark);
    let business_color = plots::series_color(1, dark);
    let ring = theme::error_color(dark);
    let x_axis_name = analysis
        .label_column
        .as_deref()
        .map(readable)
        .unwrap_or_else(|| "Row".to_string());
    let share = is_share(&analysis.points);
    let ml_format = if share {
        ValueFormat::Percent
    } else {
        ValueFormat::Number
    };
    let ml_side = SidePlot {
        key: "link-ml",
        title: format!("ML metric: {x_name}"),
        caption: format!("Per {}", noun.trim_end_matches('s')),
        x_axis: AxisSpec::new(x_axis_name.clone(), plots_data.x_format.clone()),
        y_axis: AxisSpec::new(x_name.clone(), ml_format.clone()),
        series: ML_SERIES,
        points: &plots_data.ml,
        business: false,
        color: ml_color,
    };
    let business_side = SidePlot {
        key: "link-business",
        title: format!("Business metric: {y_name}"),
        caption: format!("Per {}, same x axis", noun.trim_end_matches('s')),
        x_axis: AxisSpec::new(x_axis_name.clone(), plots_data.x_format.clone()),
        y_axis: AxisSpec::new(y_name.clone(), ValueFormat::Number),
        series: BUSINESS_SERIES,
        points: &plots_data.business,
        business: true,
        color: business_color,
    };
    let shared = SideShared {
        analysis,
        data: &plots_data,
        link,
        highlight,
        ring,
    };
    // Side by side when there is room, else one under the other.
    let mut outcomes = Vec::new();
    if ui.available_width() >= 620.0 {
        ui.columns(2, |columns| {
            if let [left, right] = columns {
                outcomes.push(side_plot_ui(left, &ml_side, &shared, commands));
                outcomes.push(side_plot_ui(right, &business_side, &shared, commands));
            }
        });
    } else {
        outcomes.push(side_plot_ui(ui, &ml_side, &shared, commands));
        outcomes.push(side_plot_ui(ui, &business_side, &shared, commands));
    }
    for (side_hover, clicked) in outcomes {
        hovered = hovered.or(side_hover);
        if clicked.is_some() {
            toggle_selection(runtime, &analysis.id, clicked);
        }
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let ci = confidence_label(analysis.alpha);
    let panel = PlotPanel::new(
        ("link-scatter", &analysis.id),
        format!("{y_name} against {x_name}"),
    )
    .caption(format!(
        "One point per {}. The line is the least-squares fit; the band is its {ci} \
             confidence band.",
        noun.trim_end_matches('s')
    ))
    .axes(
        AxisSpec::new(x_name.clone(), ml_format),
        AxisSpec::new(y_name.clone(), ValueFormat::Number),
    )
    .tip(tips::BAND)
    .data(plots_data.fit_table.clone())
    .hover_labels(plots_data.hover.clone())
    .height(340.0)
    .legend(Some(Corner::LeftTop));
    let scatter = plots_data.scatter.clone();
    let ring_at = highlight.and_then(|i| plots_data.scatter.get(i).copied());
    let fit = plots_data.fit.clone();
    let fit_color = plots::series_color(2, dark);
    let response = panel.show(ui, commands, |plot_ui| {
        if let Some(band) = &fit {
            let xs: Vec<f64> = band.iter().map(|b| b.x).collect();
            let lows: Vec<f64> = band.iter().map(|b| b.mean_low).collect();
            let highs: Vec<f64> = band.iter().map(|b| b.mean_high).collect();
            plot_ui.add(plots::band(
                &format!("{ci} band"),
                &xs,
                &lows,
                &highs,
                fit_color,
                dark,
            ));
            let line: Vec<[f64; 2]> = band.iter().map(|b| [b.x, b.fit]).collect();
            plot_ui.line(
                Line::new("Fitted line", line)
                    .color(fit_color)
                    .width(2.0)
                    .allow_hover(false),
            );
        }
        plot_ui.points(
            Points::new(SCATTER_SERIES, scatter)
                .shape(plots::metric_marker(true))
                .radius(5.0)
                .filled(true)
                .color(business_color),
        );
        if let Some(p) = ring_at {
            plot_ui.points(plots::highlight_ring(p, ring));
        }
    });
    hovered = hovered.or_else(|| plots::hovered_index(&response, &plots_data.scatter, 14.0));
    if response.response.clicked() {
        toggle_selection(
            runtime,
            &analysis.id,
            plots::hovered_index(&response, &plots_data.scatter, 14.0),
        );
    }
    let _ = &plots_data.positions;
    // Remember what is under the pointer for the next frame's highlight.
    let new_hover = hovered.map(|i| (analysis.id.clone(), i));
    if runtime.link_hover != new_hover {
        runtime.link_hover = new_hover;
        ui.ctx().request_repaint();
    }
    if let Some(i) = highlight
        && let Some(p) = analysis.points.get(i)
    {
        ui.label(format!(
            "Highlighted: {}: {x_name} {}, {y_name} {}{}",
            p.label,
            format::precise(p.x),
            format::precise(p.y),
            if runtime
                .link_selected
                .as_ref()
                .is_some_and(|(id, j)| id == &analysis.id && *j == i)
            {
                " (click it again to clear)"
            } else {
                ""
            }
        ));
    }
}

/// One of the two plots side by side: a metric per experiment, model or day.
struct SidePlot<'a> {
    key: &'static str,
    title: String,
    caption: String,
    x_axis: AxisSpec,
    y_axis: AxisSpec,
    series: &'static str,
    points: &'a [[f64; 2]],
    business: bool,
    color: egui::Color32,
}

/// What both side plots share.
struct SideShared<'a> {
    analysis: &'a LinkAnalysis,
    data: &'a LinkPlots,
    link: PlotLink,
    highlight: Option<usize>,
    ring: egui::Color32,
}

/// Draw one side plot; returns the point under the pointer and the point clicked, if any.
fn side_plot_ui(
    ui: &mut egui::Ui,
    side: &SidePlot<'_>,
    shared: &SideShared<'_>,
    commands: &mut Vec<crate::app::Command>,
) -> (Option<usize>, Option<usize>) {
    let panel = PlotPanel::new((side.key, &shared.analysis.id), side.title.clone())
        .caption(side.caption.clone())
        .axes(side.x_axis.clone(), side.y_axis.clone())
        .data(shared.data.table.clone())
        .hover_labels(shared.data.hover.clone())
        .height(250.0)
        .width(ui.available_width())
        .legend(None)
        .link(shared.link);
    let points = side.points.to_vec();
    let ring_at = shared.highlight.and_then(|i| side.points.get(i).copied());
    let (color, ring, business, series) = (side.color, shared.ring, side.business, side.series);
    let response = panel.show(ui, commands, |plot_ui| {
        plot_ui.line(
            Line::new("", points.clone())
                .color(color.gamma_multiply(0.5))
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new(series, points)
                .shape(plots::metric_marker(business))
                .radius(if business { 5.5 } else { 4.5 })
                .filled(true)
                .color(color),
        );
        if let Some(p) = ring_at {
            plot_ui.points(plots::highlight_ring(p, ring));
        }
    });
    let hovered = plots::hovered_index(&response, side.points, 14.0);
    let clicked = if response.response.clicked() {
        hovered
    } else {
        None
    };
    (hovered, clicked)
}

/// The point to highlight: the one under the pointer, else the one clicked.
fn highlighted(analysis: &LinkAnalysis, runtime: &EvidenceRuntime) -> Option<usize> {
    let pick = |sel: &Option<(String, usize)>| {
        sel.as_ref()
            .filter(|(id, _)| id == &analysis.id)
            .map(|(_, i)| *i)
    };
    pick(&runtime.link_hover).or_else(|| pick(&runtime.link_selected))
}

fn toggle_selection(runtime: &mut EvidenceRuntime, id: &str, index: Option<usize>) {
    let Some(index) = index else {
        return;
    };
    let new = (id.to_string(), index);
    if runtime.link_selected.as_ref() == Some(&new) {
        runtime.link_selected = None;
    } else {
        runtime.link_selected = Some(new);
    }
}

fn stats_ui(ui: &mut egui::Ui, analysis: &LinkAnalysis, result: &LinkResult) {
    let ci = confidence_label(analysis.alpha);
    let opt = |v: Option<f64>| v.map(format::number).unwrap_or_else(|| "–".to_string());
    let interval = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(
            " ({ci} interval {} to {})",
            format::number(lo),
            format::number(hi)
        ),
        _ => String::new(),
    };
    ui.add_space(theme::SPACE_XS);
    // Correlations read best with two significant digits.
    let two = |v: Option<f64>| {
        v.map(|v| format::sig(v, 2))
            .unwrap_or_else(|| "–".to_string())
    };
    let interval2 = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!(
            " ({ci} interval {} to {})",
            format::sig(lo, 2),
            format::sig(hi, 2)
        ),
        _ => String::new(),
    };
    let value_width = (ui.available_width() - 220.0).max(200.0);
    egui::Grid::new(("link-stats", &analysis.id))
        .num_columns(2)
        .spacing([18.0, 3.0])
        .max_col_width(value_width)
        .show(ui, |ui| {
            ui.label("Slope")
                .on_hover_text(tips::stat(tips::Statistic::Slope));
            let (step, per) = if is_share(&analysis.points) {
                (
                    0.01,
                    format!("per percentage point of {}", readable(&analysis.x)),
                )
            } else {
                (1.0, format!("per unit of {}", readable(&analysis.x)))
            };
            let scaled = |v: Option<f64>| v.map(|v| v * step);
            ui.label(format!(
                "{} {} {per}{}",
                opt(scaled(result.slope)),
                readable(&analysis.y),
                interval(scaled(result.slope_ci_low), scaled(result.slope_ci_high)),
            ));
            ui.end_row();
            ui.label("Correlation (Pearson r)")
                .on_hover_text(tips::stat(tips::Statistic::PearsonR));
            ui.label(format!(
                "{}{}{}",
                two(result.pearson_r),
                interval2(result.pearson_ci_low, result.pearson_ci_high),
                result
                    .pearson_p
                    .map(|p| format!(", {}", format::p_value(p)))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Rank correlation (Spearman ρ)")
                .on_hover_text(tips::stat(tips::Statistic::SpearmanRho));
            ui.label(format!(
                "{}{}",
                two(result.spearman_rho),
                result
                    .spearman_p
                    .map(|p| format!(", {}", format::p_value(p)))
                    .unwrap_or_default()
            ));
            ui.end_row();
            ui.label("Explained share (R²)")
                .on_hover_text(tips::stat(tips::Statistic::RSquared));
            ui.label(two(result.r_squared));
            ui.end_row();
            ui.label("Points")
                .on_hover_text("How many experiments, models or days the link is measured on.");
            ui.label(format!("{} {}", result.n, row_noun(analysis)));
            ui.end_row();
        });
}
