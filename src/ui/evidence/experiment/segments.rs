//! The segment breakdown of an experiment analysis: per metric and treatment, a forest plot of
//! the difference in each segment with its interval and Holm-adjusted p-value, under the plain
//! sentence on whether the effect differs between segments (Cochran's Q and I²).

use super::*;
use crate::analysis::{SegmentMetric, SegmentRow};
use crate::io::report::experiment_text::metric_spec;

/// The columns of a forest plot's data (CSV).
const TABLE_COLUMNS: [&str; 12] = [
    "segment_column",
    "segment",
    "metric",
    "treatment",
    "n_control",
    "n_treatment",
    "diff",
    "diff_ci_low",
    "diff_ci_high",
    "rel_lift",
    "p_value",
    "p_value_holm",
];

pub(super) fn segments_ui(
    ui: &mut egui::Ui,
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    commands: &mut Vec<crate::app::Command>,
) {
    let Some(seg) = &result.segments else {
        return;
    };
    theme::section_title(ui, &format!("By {}", seg.column));
    ui.label(
        egui::RichText::new(format!(
            "The difference between each treatment and {} within each value of {}, with {} \
             intervals. p-values are Holm-adjusted over the segments: looking at many segments \
             finds a 'significant' one by chance.",
            result.control,
            seg.column,
            confidence_label(result.alpha)
        ))
        .weak(),
    );
    if seg.metrics.is_empty() {
        ui.label("No segment could be compared (see the notes on the data).");
    }
    for m in &seg.metrics {
        ui.add_space(theme::SPACE_M);
        let sentence =
            crate::analysis::segments::heterogeneity_sentence(&seg.column, m, result.alpha);
        let sentence = crate::ui::labels::relabel(&sentence, &m.metric);
        ui.horizontal(|ui| {
            ui.set_max_width(ui.available_width().min(theme::READABLE_WIDTH * 1.3));
            ui.add(egui::Label::new(egui::RichText::new(sentence).strong()).wrap());
        });
        if let (Some(q), Some(i2)) = (m.q, m.i_squared) {
            ui.label(
                egui::RichText::new(format!(
                    "Cochran's Q = {} ({}), I² = {}: the share of the spread between segments \
                     that is more than chance.",
                    format::number(q),
                    m.q_p_value
                        .map(format::p_value)
                        .unwrap_or_else(|| "p –".into()),
                    format::percent(i2)
                ))
                .weak(),
            )
            .on_hover_text(
                "Cochran's Q tests whether the segments' differences vary more than their \
                 uncertainty explains; I² is the share of their spread that is real rather than \
                 noise (0% = all noise).",
            );
        }
        forest_plot_ui(ui, analysis, result, &seg.column, m, commands);
    }
}

fn kind_of(result: &ExperimentResult, metric: &str) -> ResolvedKind {
    result
        .metrics
        .iter()
        .find(|m| m.metric == metric)
        .map_or(ResolvedKind::Mean, |m| m.kind)
}

fn forest_plot_ui(
    ui: &mut egui::Ui,
    analysis: &ExperimentAnalysis,
    result: &ExperimentResult,
    column: &str,
    m: &SegmentMetric,
    commands: &mut Vec<crate::app::Command>,
) {
    let kind = kind_of(result, &m.metric);
    // Proportions are plotted in percentage points, other metrics in their own unit.
    let scale = if kind == ResolvedKind::Proportion {
        100.0
    } else {
        1.0
    };
    let unit = if kind == ResolvedKind::Proportion {
        " (percentage points)"
    } else {
        ""
    };
    let rows: Vec<&SegmentRow> = m.rows.iter().collect();
    let n = rows.len();
    // Row 0 at the top.
    let names: Arc<[String]> = (0..n)
        .map(|y| {
            rows.get(n - 1 - y)
                .map(|r| {
                    format!(
                        "{} ({})",
                        r.segment,
                        format::precise((r.n_control + r.n_treatment) as f64)
                    )
                })
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .into();
    let mut table = PlotTable::new(&TABLE_COLUMNS);
    let mut points = Vec::new();
    let mut intervals = Vec::new();
    let mut labels = Vec::new();
    let mut x_extent = vec![0.0];
    let ci = confidence_label(result.alpha);
    for (i, r) in rows.iter().enumerate() {
        table.push(vec![
            column.to_string(),
            r.segment.clone(),
            m.metric.clone(),
            m.treatment.clone(),
            r.n_control.to_string(),
            r.n_treatment.to_string(),
            PlotTable::opt(r.diff),
            PlotTable::opt(r.diff_ci_low),
            PlotTable::opt(r.diff_ci_high),
            PlotTable::opt(r.rel_lift),
            PlotTable::opt(r.p_value),
            PlotTable::opt(r.p_value_holm),
        ]);
        let y = (n - 1 - i) as f64;
        let Some(d) = r.diff else {
            continue;
        };
        points.push([d * scale, y]);
        x_extent.push(d * scale);
        if let (Some(lo), Some(hi)) = (r.diff_ci_low, r.diff_ci_high) {
            intervals.push((y, (lo * scale, hi * scale)));
            x_extent.extend([lo * scale, hi * scale]);
        }
        labels.push(format!(
            "{column} = {}\n{} vs {}: {}\nDifference {} ({ci} interval {})\np (Holm) = {}\n{} units in {}, {} in {}",
            r.segment,
            m.treatment,
            result.control,
            crate::ui::labels::name(&m.metric),
            diff_text(kind, d),
            interval_text(r.diff_ci_low, r.diff_ci_high, |x| diff_text(kind, x)),
            opt_text(r.p_value_holm, format::p_bare),
            format::precise(r.n_control as f64),
            result.control,
            format::precise(r.n_treatment as f64),
            m.treatment,
        ));
    }
    let series = format!("{} vs {}", m.treatment, result.control);
    let mut hover: HoverLabels = HashMap::new();
    hover.insert(series.clone(), labels);
    let dark = ui.visuals().dark_mode;
    let t_index = result
        .metrics
        .iter()
        .find(|x| x.metric == m.metric)
        .and_then(|x| {
            x.comparisons
                .iter()
                .position(|c| c.treatment == m.treatment)
        })
        .unwrap_or(0);
    let color = plots::series_color(t_index, dark);
    let business = metric_spec(&analysis.spec, &m.metric).is_none_or(|s| s.business);
    let height = (34.0 * n as f32 + 110.0).clamp(200.0, 520.0);
    let panel = PlotPanel::new(
        ("segments", &analysis.id, &m.metric, &m.treatment),
        format!(
            "{}: {} vs {} by {}",
            crate::ui::labels::name(&m.metric),
            m.treatment,
            result.control,
            crate::ui::labels::sentence(column)
        ),
    )
    .caption(format!(
        "Difference in {}{unit} in each {} value, with {ci} intervals; the number of units \
         in brackets. The vertical line is no difference.",
        crate::ui::labels::sentence(&m.metric),
        crate::ui::labels::sentence(column)
    ))
    .axes(
        AxisSpec::new(
            format!("Difference vs {}{unit}", result.control),
            ValueFormat::SignedNumber,
        ),
        AxisSpec::new("", ValueFormat::Category(names)),
    )
    .tip(
        "Each dot is the treatment's difference from the control within one segment, with its \
         interval. Segments whose intervals overlap a lot may well have the same effect; the \
         sentence above says whether they really differ.",
    )
    .data(Arc::new(table))
    .hover_labels(Arc::new(hover))
    .height(height)
    .legend(None)
    .include_y([-0.6, n as f64 - 0.4])
    .include_x(x_extent);
    let reference = plots::reference_color(dark);
    panel.show(ui, commands, |plot_ui| {
        plot_ui.vline(
            egui_plot::VLine::new("", 0.0)
                .color(reference)
                .width(1.5)
                .allow_hover(false),
        );
        for (y, interval) in &intervals {
            interval_h(plot_ui, &series, *y, *interval, 0.12, color);
        }
        plot_ui.points(
            Points::new(series.clone(), points.clone())
                .shape(plots::metric_marker(business))
                .radius(6.0)
                .filled(true)
                .color(color),
        );
    });
}
