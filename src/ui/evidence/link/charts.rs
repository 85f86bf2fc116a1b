//! The link's plots: the ML metric and the business metric per row side by side, and the
//! business metric against the ML metric with the fitted line; all three highlight the point
//! under the pointer or the one clicked.

use super::*;

/// The plot data of a link, prepared before drawing.
struct LinkPlots {
    x_format: ValueFormat,
    ml: Vec<[f64; 2]>,
    business: Vec<[f64; 2]>,
    scatter: Vec<[f64; 2]>,
    fit: Option<Vec<BandPoint>>,
    /// The noise-aware (York) line over the same x range, when the points have standard errors.
    york_line: Option<Vec<[f64; 2]>>,
    /// Each point's standard errors (x, y), when it has them.
    errors: Vec<[f64; 2]>,
    hover: Arc<HoverLabels>,
    table: Arc<PlotTable>,
    fit_table: Arc<PlotTable>,
}

const ML_SERIES: &str = "ML metric";
const BUSINESS_SERIES: &str = "Business metric";
const SCATTER_SERIES: &str = "Experiments";
/// Most points drawn with error bars (more would hide the points).
const MAX_ERROR_BARS: usize = 2_000;

fn link_plots(analysis: &LinkAnalysis) -> LinkPlots {
    let points = analysis.points();
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
    let fit = LineFit::new(&xs, &ys, analysis.spec.alpha).map(|fit| {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = (hi - lo) * 0.05;
        fit.band(lo - pad, hi + pad, 61)
    });
    let errors: Vec<[f64; 2]> = analysis
        .output()
        .map(|d| d.result.point_se.clone())
        .filter(|e| e.len() == points.len())
        .unwrap_or_default();
    let york_line = analysis
        .output()
        .and_then(|d| d.result.york.as_ref())
        .and_then(|y| Some((y.slope?, y.intercept?)))
        .map(|(b, a)| {
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let pad = (hi - lo) * 0.05;
            vec![
                [lo - pad, a + b * (lo - pad)],
                [hi + pad, a + b * (hi + pad)],
            ]
        });
    let x_name = crate::ui::labels::name(&analysis.spec.x);
    let y_name = crate::ui::labels::name(&analysis.spec.y);
    let texts: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| match errors.get(i) {
            Some([sx, sy]) => format!(
                "{}\n{x_name}: {} ± {}\n{y_name}: {} ± {}",
                p.label,
                format::precise(p.x),
                format::precise(*sx),
                format::precise(p.y),
                format::precise(*sy)
            ),
            None => format!(
                "{}\n{x_name}: {}\n{y_name}: {}",
                p.label,
                format::precise(p.x),
                format::precise(p.y)
            ),
        })
        .collect();
    let mut hover: HoverLabels = HashMap::new();
    for name in [ML_SERIES, BUSINESS_SERIES, SCATTER_SERIES] {
        hover.insert(name.to_string(), texts.clone());
    }
    // Headings as people name the metrics (the table is shown under the plot and exported).
    let label_header = analysis
        .spec
        .label_column
        .as_deref()
        .map(crate::ui::labels::name)
        .unwrap_or_else(|| "Row".to_string());
    let x_header = crate::ui::labels::axis(&analysis.spec.x);
    let y_header = crate::ui::labels::axis(&analysis.spec.y);
    let mut table = PlotTable::new(&[&label_header, &x_header, &y_header]);
    for p in points {
        table.push(vec![
            p.label.clone(),
            PlotTable::num(p.x),
            PlotTable::num(p.y),
        ]);
    }
    if !errors.is_empty() {
        let x_se = format!(
            "{}: standard error",
            crate::ui::labels::name(&analysis.spec.x)
        );
        let y_se = format!(
            "{}: standard error",
            crate::ui::labels::name(&analysis.spec.y)
        );
        table = PlotTable::new(&[&label_header, &x_header, &x_se, &y_header, &y_se]);
        for (p, [sx, sy]) in points.iter().zip(&errors) {
            table.push(vec![
                p.label.clone(),
                PlotTable::num(p.x),
                PlotTable::num(*sx),
                PlotTable::num(p.y),
                PlotTable::num(*sy),
            ]);
        }
    }
    let mut fit_table = table.clone();
    if let Some(line) = york_line.as_ref().filter(|_| !errors.is_empty()) {
        for [x, y] in line {
            fit_table.push(vec![
                "(noise-aware line)".to_string(),
                PlotTable::num(*x),
                String::new(),
                PlotTable::num(*y),
                String::new(),
            ]);
        }
    } else if let Some(band) = &fit {
        fit_table = PlotTable::new(&[
            &label_header,
            &x_header,
            &y_header,
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
        x_format,
        ml,
        business,
        scatter,
        fit,
        york_line,
        errors,
        hover: Arc::new(hover),
        table: Arc::new(table),
        fit_table: Arc::new(fit_table),
    }
}

/// The two plots side by side, then `between` (the statistics), then the scatter plot; all
/// three plots highlight the same point.
pub(super) fn plots_ui(
    ui: &mut egui::Ui,
    analysis: &LinkAnalysis,
    state: &mut PageState,
    commands: &mut Vec<crate::app::Command>,
    between: impl FnOnce(&mut egui::Ui),
) {
    let plots_data = link_plots(analysis);
    let view = LinkView {
        analysis,
        data: &plots_data,
        highlight: highlighted(analysis, state),
        x_name: crate::ui::labels::name(&analysis.spec.x),
        y_name: crate::ui::labels::name(&analysis.spec.y),
        noun: row_noun(analysis),
    };
    let side_hover = side_plots_ui(ui, &view, state, commands);
    ui.add_space(theme::SECTION_GAP / 2.0);
    between(ui);
    ui.add_space(theme::SECTION_GAP / 2.0);
    let scatter_hover = scatter_ui(ui, &view, state, commands);
    let (highlight, x_name, y_name) = (view.highlight, &view.x_name, &view.y_name);
    let hovered = side_hover.or(scatter_hover);
    // Remember what is under the pointer for the next frame's highlight.
    let new_hover = hovered.map(|i| (analysis.id.clone(), i));
    if state.link_hover != new_hover {
        state.link_hover = new_hover;
        ui.ctx().request_repaint();
    }
    if let Some(i) = highlight
        && let Some(p) = analysis.points().get(i)
    {
        ui.label(format!(
            "Highlighted: {}: {x_name} {}, {y_name} {}{}",
            p.label,
            format::precise(p.x),
            format::precise(p.y),
            if state
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

/// How the ML metric is written: as a percentage when it is a rate (every value a share); a
/// score between 0 and 1 (AUC, NDCG) as a number.
fn ml_format(analysis: &LinkAnalysis) -> ValueFormat {
    let kind = crate::ui::labels::label(&analysis.spec.x).kind;
    if is_share(analysis.points()) && kind == crate::model::ValueKind::Rate {
        ValueFormat::Percent
    } else {
        ValueFormat::Number
    }
}

/// The ML metric and the business metric per row, side by side (one under the other when
/// narrow). Returns the point under the pointer; a click selects a point.
fn side_plots_ui(
    ui: &mut egui::Ui,
    view: &LinkView<'_>,
    state: &mut PageState,
    commands: &mut Vec<crate::app::Command>,
) -> Option<usize> {
    let (analysis, plots_data) = (view.analysis, view.data);
    let (x_name, y_name, noun) = (&view.x_name, &view.y_name, &view.noun);
    let dark = ui.visuals().dark_mode;
    let link = PlotLink {
        group: egui::Id::unique(("link-group", &analysis.id)),
        x: true,
        y: false,
    };
    let x_axis_name = analysis
        .spec
        .label_column
        .as_deref()
        .map(crate::ui::labels::name)
        .unwrap_or_else(|| "Row".to_string());
    let ml_side = SidePlot {
        key: "link-ml",
        title: format!("ML metric: {x_name}"),
        caption: format!("Per {}", noun.trim_end_matches('s')),
        x_axis: AxisSpec::new(x_axis_name.clone(), plots_data.x_format.clone()),
        y_axis: AxisSpec::new(
            crate::ui::labels::axis(&analysis.spec.x),
            ml_format(analysis),
        ),
        series: ML_SERIES,
        points: &plots_data.ml,
        business: false,
        color: plots::series_color(0, dark),
    };
    let business_side = SidePlot {
        key: "link-business",
        title: format!("Business metric: {y_name}"),
        caption: format!("Per {}, same x axis", noun.trim_end_matches('s')),
        x_axis: AxisSpec::new(x_axis_name.clone(), plots_data.x_format.clone()),
        y_axis: AxisSpec::new(
            crate::ui::labels::axis(&analysis.spec.y),
            ValueFormat::Number,
        ),
        series: BUSINESS_SERIES,
        points: &plots_data.business,
        business: true,
        color: plots::series_color(1, dark),
    };
    let shared = SideShared {
        analysis,
        data: plots_data,
        link,
        highlight: view.highlight,
        ring: theme::error_color(dark),
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
    let mut hovered = None;
    for (side_hover, clicked) in outcomes {
        hovered = hovered.or(side_hover);
        if clicked.is_some() {
            toggle_selection(state, &analysis.id, clicked);
        }
    }
    hovered
}

/// The business metric against the ML metric, with the fitted line and its band. Returns the
/// point under the pointer; a click selects a point.
fn scatter_ui(
    ui: &mut egui::Ui,
    view: &LinkView<'_>,
    state: &mut PageState,
    commands: &mut Vec<crate::app::Command>,
) -> Option<usize> {
    let LinkView {
        analysis,
        data: plots_data,
        highlight,
        ..
    } = *view;
    let dark = ui.visuals().dark_mode;
    let (x_name, y_name) = (&view.x_name, &view.y_name);
    let business_color = plots::series_color(1, dark);
    let ring = theme::error_color(dark);
    let ci = confidence_label(analysis.spec.alpha);
    let panel = PlotPanel::new(
        ("link-scatter", &analysis.id),
        format!("{y_name} against {x_name}"),
    )
    .caption(if plots_data.york_line.is_some() {
        format!(
            "One point per {}, with ± 1 standard error in both directions. The solid line is the \
             noise-aware (York) fit; the dashed line is the plain least-squares fit, which \
             ignores the noise.",
            view.noun.trim_end_matches('s')
        )
    } else {
        format!(
            "One point per {}. The line is the least-squares fit; the band is its {ci} \
             confidence band.",
            view.noun.trim_end_matches('s')
        )
    })
    .axes(
        AxisSpec::new(
            crate::ui::labels::axis(&analysis.spec.x),
            ml_format(analysis),
        ),
        AxisSpec::new(
            crate::ui::labels::axis(&analysis.spec.y),
            ValueFormat::Number,
        ),
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
    let york_line = plots_data.york_line.clone();
    let error_bars: Vec<([f64; 2], [f64; 2])> = plots_data
        .scatter
        .iter()
        .zip(&plots_data.errors)
        .take(MAX_ERROR_BARS)
        .map(|(&p, &e)| (p, e))
        .collect();
    let response = panel.show(ui, commands, |plot_ui| {
        let bar_color = business_color.gamma_multiply(0.55);
        for ([x, y], [sx, sy]) in error_bars {
            for segment in [[[x - sx, y], [x + sx, y]], [[x, y - sy], [x, y + sy]]] {
                plot_ui.line(
                    Line::new("± 1 standard error", segment.to_vec())
                        .color(bar_color)
                        .width(1.2)
                        .allow_hover(false),
                );
            }
        }
        if let Some(line) = york_line {
            if let Some(band) = &fit {
                let plain: Vec<[f64; 2]> = band.iter().map(|b| [b.x, b.fit]).collect();
                plot_ui.line(
                    Line::new("Plain least-squares line", plain)
                        .color(plots::reference_color(dark))
                        .width(1.5)
                        .style(egui_plot::LineStyle::dashed_loose())
                        .allow_hover(false),
                );
            }
            plot_ui.line(
                Line::new("Noise-aware line (York)", line)
                    .color(fit_color)
                    .width(2.5)
                    .allow_hover(false),
            );
        } else if let Some(band) = &fit {
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
    let hovered = plots::hovered_index(&response, &plots_data.scatter, 14.0);
    if response.response.clicked() {
        toggle_selection(state, &analysis.id, hovered);
    }
    hovered
}

/// What the link's plots share: the analysis, its prepared plot data, the highlighted point
/// and the names the titles use.
struct LinkView<'a> {
    analysis: &'a LinkAnalysis,
    data: &'a LinkPlots,
    highlight: Option<usize>,
    /// The ML metric, readable.
    x_name: String,
    /// The business metric, readable.
    y_name: String,
    /// What one row is, in the plural ("experiments", "days", "rows", …).
    noun: String,
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
fn highlighted(analysis: &LinkAnalysis, state: &PageState) -> Option<usize> {
    let pick = |sel: &Option<(String, usize)>| {
        sel.as_ref()
            .filter(|(id, _)| id == &analysis.id)
            .map(|(_, i)| *i)
    };
    pick(&state.link_hover).or_else(|| pick(&state.link_selected))
}

fn toggle_selection(state: &mut PageState, id: &str, index: Option<usize>) {
    let Some(index) = index else {
        return;
    };
    let new = (id.to_string(), index);
    if state.link_selected.as_ref() == Some(&new) {
        state.link_selected = None;
    } else {
        state.link_selected = Some(new);
    }
}
