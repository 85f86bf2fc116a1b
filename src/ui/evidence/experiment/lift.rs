//! The lift chart of an experiment analysis: relative lift with intervals per treatment and
//! metric, business metrics above ML metrics.

use super::*;

/// The data behind the lift chart, prepared before drawing.
struct LiftChart {
    rows: Vec<String>,
    /// Per treatment: its points (x = relative lift, y = row), intervals, hover texts.
    treatments: Vec<TreatmentSeries>,
    /// The y between the business rows and the ML rows, if both exist.
    separator: Option<f64>,
    table: Arc<PlotTable>,
    hover: Arc<HoverLabels>,
    x_extent: Vec<f64>,
}

struct TreatmentSeries {
    name: String,
    points: Vec<[f64; 2]>,
    business: Vec<bool>,
    intervals: Vec<(f64, (f64, f64))>,
}

fn lift_chart(analysis: &ExperimentAnalysis, result: &ExperimentResult) -> LiftChart {
    let metrics = ordered_metrics(analysis, result);
    let mut treatment_names: Vec<String> = Vec::new();
    for (m, _) in &metrics {
        for c in shown_comparisons(&analysis.spec, m) {
            if !treatment_names.contains(&c.treatment) {
                treatment_names.push(c.treatment.clone());
            }
        }
    }
    let n_rows = metrics.len();
    // Row 0 at the top: y = n_rows - 1 - row.
    let mut rows = vec![String::new(); n_rows];
    let k = treatment_names.len().max(1) as f64;
    let spread = if k > 1.0 { 0.5 } else { 0.0 };
    let mut treatments: Vec<TreatmentSeries> = treatment_names
        .iter()
        .map(|name| TreatmentSeries {
            name: format!("{name} vs {}", result.control),
            points: Vec::new(),
            business: Vec::new(),
            intervals: Vec::new(),
        })
        .collect();
    let mut hover: HoverLabels = HashMap::new();
    let mut table = PlotTable::new(&TABLE_COLUMNS);
    let mut x_extent = vec![0.0];
    let ci = confidence_label(result.alpha);
    for (row, (metric, business)) in metrics.iter().enumerate() {
        let y_row = (n_rows - 1 - row) as f64;
        if let Some(slot) = rows.get_mut(n_rows - 1 - row) {
            *slot = format!(
                "{} ({})",
                crate::ui::labels::name(&metric.metric),
                if *business { "business" } else { "ML" }
            );
        }
        for c in shown_comparisons(&analysis.spec, metric) {
            table.push(table_row(metric, *business, c, &result.control));
            let Some(t) = treatment_names.iter().position(|n| n == &c.treatment) else {
                continue;
            };
            let Some(lift) = c.rel_lift else {
                continue;
            };
            let offset = if k > 1.0 {
                spread / 2.0 - spread * t as f64 / (k - 1.0)
            } else {
                0.0
            };
            let y = y_row + offset;
            let Some(series) = treatments.get_mut(t) else {
                continue;
            };
            series.points.push([lift, y]);
            series.business.push(*business);
            x_extent.push(lift);
            if let (Some(lo), Some(hi)) = (c.rel_ci_low, c.rel_ci_high) {
                series.intervals.push((y, (lo, hi)));
                x_extent.extend([lo, hi]);
            }
            hover
                .entry(series.name.clone())
                .or_default()
                .push(hover_text(
                    analysis,
                    metric,
                    *business,
                    c,
                    &result.control,
                    &ci,
                    lift,
                ));
        }
    }
    let n_business = metrics.iter().filter(|(_, b)| *b).count();
    let separator =
        (n_business > 0 && n_business < n_rows).then(|| (n_rows - n_business) as f64 - 0.5);
    LiftChart {
        rows,
        treatments,
        separator,
        table: Arc::new(table),
        hover: Arc::new(hover),
        x_extent,
    }
}

pub(super) fn lift_chart_ui(
    ui: &mut egui::Ui,
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    commands: &mut Vec<crate::app::Command>,
) {
    let chart = lift_chart(analysis, result);
    if chart.rows.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    let n_rows = chart.rows.len() as f64;
    let names: Arc<[String]> = chart.rows.clone().into();
    let height = (70.0 * n_rows as f32 + 90.0).clamp(220.0, 560.0);
    let entries: Vec<(String, egui::Color32)> = chart
        .treatments
        .iter()
        .enumerate()
        .map(|(t, s)| (s.name.clone(), plots::series_color(t, dark)))
        .collect();
    let ci = confidence_label(result.alpha);
    let panel = PlotPanel::new(("lift", &analysis.id), "Lift per metric")
        .caption(format!(
            "Change of each treatment relative to {}, with {ci} intervals.{} The vertical line is \
             no change.",
            result.control,
            if chart.separator.is_some() {
                " Diamonds are business metrics, circles ML metrics."
            } else {
                ""
            }
        ))
        .axes(
            AxisSpec::new("Relative lift vs control", ValueFormat::SignedPercent),
            AxisSpec::new("", ValueFormat::Category(names)),
        )
        .tip(tips::LIFT_CHART)
        .data(chart.table.clone())
        .hover_labels(chart.hover.clone())
        .height(height)
        .legend_row(entries)
        .include_y([-0.6, n_rows - 0.4])
        .include_x(chart.x_extent.iter().copied());
    let reference = plots::reference_color(dark);
    let separator_color = plots::reference_color(dark).gamma_multiply(0.5);
    panel.show(ui, commands, |plot_ui| {
        plot_ui.vline(
            egui_plot::VLine::new("", 0.0)
                .color(reference)
                .width(1.5)
                .allow_hover(false),
        );
        if let Some(y) = chart.separator {
            plot_ui.hline(
                HLine::new("", y)
                    .color(separator_color)
                    .style(LineStyle::dashed_dense())
                    .allow_hover(false),
            );
        }
        for (t, series) in chart.treatments.iter().enumerate() {
            let color = plots::series_color(t, dark);
            for (y, interval) in &series.intervals {
                interval_h(plot_ui, &series.name, *y, *interval, 0.08, color);
            }
            // Business and ML estimates use different markers; the same name keeps one legend
            // entry per treatment, and hover texts follow the order of `points`.
            plot_ui.points(
                Points::new(series.name.clone(), series.points.clone())
                    .shape(egui_plot::MarkerShape::Circle)
                    .radius(5.5)
                    .filled(true)
                    .color(color),
            );
            let business: Vec<[f64; 2]> = series
                .points
                .iter()
                .zip(&series.business)
                .filter(|(_, b)| **b)
                .map(|(p, _)| *p)
                .collect();
            if !business.is_empty() {
                plot_ui.points(
                    Points::new(series.name.clone(), business)
                        .shape(plots::metric_marker(true))
                        .radius(8.0)
                        .filled(true)
                        .color(color)
                        .allow_hover(false),
                );
            }
        }
    });
}

/// The columns of the lift chart's data (CSV).
const TABLE_COLUMNS: [&str; 15] = [
    "metric",
    "metric_name",
    "metric_type",
    "kind",
    "treatment",
    "control",
    "rel_lift",
    "rel_ci_low",
    "rel_ci_high",
    "diff",
    "diff_ci_low",
    "diff_ci_high",
    "p_value",
    "p_value_holm",
    "verdict",
];

/// One comparison as a row of the lift chart's data.
fn table_row(metric: &MetricResult, business: bool, c: &Comparison, control: &str) -> Vec<String> {
    vec![
        metric.metric.clone(),
        crate::ui::labels::name(&metric.metric),
        if business { "business" } else { "ml" }.to_string(),
        match metric.kind {
            ResolvedKind::Mean => "mean",
            ResolvedKind::Ratio => "ratio",
            ResolvedKind::Proportion => "proportion",
        }
        .to_string(),
        c.treatment.clone(),
        control.to_string(),
        PlotTable::opt(c.rel_lift),
        PlotTable::opt(c.rel_ci_low),
        PlotTable::opt(c.rel_ci_high),
        PlotTable::opt(c.diff),
        PlotTable::opt(c.diff_ci_low),
        PlotTable::opt(c.diff_ci_high),
        PlotTable::opt(c.p_value),
        PlotTable::opt(c.p_value_holm),
        crate::ui::labels::relabel(&c.verdict, &metric.metric),
    ]
}

/// What hovering a point of the lift chart says.
fn hover_text(
    analysis: &ExperimentAnalysis,
    metric: &MetricResult,
    business: bool,
    c: &Comparison,
    control: &str,
    ci: &str,
    lift: f64,
) -> String {
    let p = shown_p(analysis, c)
        .map(|p| {
            format!(
                "\n{} {}",
                if analysis.spec.holm {
                    "p (Holm) ="
                } else {
                    "p ="
                },
                format::p_bare(p)
            )
        })
        .unwrap_or_default();
    let chance = crate::io::report::experiment_text::chance_sentence(metric.kind, c)
        .map(|t| format!("\n{t}"))
        .unwrap_or_default();
    format!(
        "{} vs {}\n{} ({} metric)\nRelative lift {} ({ci} interval {})\nDifference {}{p}{chance}",
        c.treatment,
        control,
        crate::ui::labels::name(&metric.metric),
        if business { "business" } else { "ML" },
        ValueFormat::SignedPercent.format(lift),
        interval_text(c.rel_ci_low, c.rel_ci_high, |x| ValueFormat::SignedPercent
            .format(x)),
        opt_text(c.diff, |x| diff_text(metric.kind, x)),
    )
}
