//! The charts of the What-if page, built from precomputed outputs: cumulative value against cost
//! with the band, the ROI sensitivity (tornado), and all scenarios' net value over time.

use std::sync::Arc;

use egui::Color32;
use egui_plot::{
    Bar, BarChart, ColorConflictHandling, Corner, FilledArea, GridInput, GridMark, HLine, Legend,
    Line, LineStyle, PlotPoints, VLine,
};

use crate::analysis::whatif::{MonthPoint, SensitivityBar};
use crate::app::Command;
use crate::format;
use crate::model::ScenarioOutputs;
use crate::ui::plots::{AxisSpec, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

/// Colour of value series.
pub const VALUE_COLOR: Color32 = theme::SERIES[0];
/// Colour of cost series.
pub const COST_COLOR: Color32 = theme::SERIES[5];

/// A band fill that stays visible in both themes.
pub fn band_fill(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.35 } else { 0.22 })
}

/// Grid marks at "nice" steps (1, 2 or 5 × 10ⁿ), about eight across the visible range, with
/// fainter marks in between: money axes stay labelled at any zoom.
pub fn nice_grid(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let range = hi - lo;
    if !range.is_finite() || range <= 0.0 {
        return Vec::new();
    }
    let raw = range / 8.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let fine = step / 5.0;
    let mut marks = Vec::new();
    let first = (lo / fine).ceil() as i64;
    let last = (hi / fine).floor() as i64;
    if last - first > 1000 {
        return Vec::new();
    }
    for k in first..=last {
        let value = k as f64 * fine;
        let major = k % 5 == 0;
        marks.push(GridMark {
            value,
            step_size: if major { step } else { fine },
        });
    }
    marks
}

/// Cumulative value (low, likely, high) against cumulative cost, month by month.
pub fn cumulative_chart_ui(ui: &mut egui::Ui, o: &ScenarioOutputs, commands: &mut Vec<Command>) {
    let dark = ui.visuals().dark_mode;
    let months: Vec<f64> = o.timeline.iter().map(|p| f64::from(p.month)).collect();
    let low: Vec<f64> = o.timeline.iter().map(|p| p.cumulative_value.low).collect();
    let high: Vec<f64> = o.timeline.iter().map(|p| p.cumulative_value.high).collect();
    let likely: Vec<[f64; 2]> = o
        .timeline
        .iter()
        .map(|p| [f64::from(p.month), p.cumulative_value.likely])
        .collect();
    let cost: Vec<[f64; 2]> = o
        .timeline
        .iter()
        .map(|p| [f64::from(p.month), p.cumulative_cost])
        .collect();
    let currency = o.currency.clone();
    let timeline = o.timeline.clone();
    let payback = o.payback_month.likely;
    let title = format!("{}: cumulative value and cost", o.scenario);
    let export_timeline = o.timeline.clone();
    let money_axis = ValueFormat::Money(currency.as_str().into());
    let label = move |hover: &egui_plot::HoverPosition<'_>| {
        let x = match hover {
            egui_plot::HoverPosition::NearDataPoint { position, .. }
            | egui_plot::HoverPosition::Elsewhere { position } => position.x,
        };
        let month = x.round().max(0.0) as usize;
        let p = timeline.get(month)?;
        let money = |v: f64| format::money(v, &currency);
        Some(format!(
            "Month {}\nCumulative value: {} likely ({} to {})\nCumulative cost: {}\nNet so \
                 far: {} likely",
            p.month,
            money(p.cumulative_value.likely),
            money(p.cumulative_value.low),
            money(p.cumulative_value.high),
            money(p.cumulative_cost),
            money(p.cumulative_value.likely - p.cumulative_cost),
        ))
    };
    PlotPanel::new("whatif_cumulative", title)
        .without_title()
        .height(270.0)
        .axes(
            AxisSpec::new("Month", ValueFormat::Number),
            AxisSpec::new("Cumulative", money_axis),
        )
        .include_x([0.0])
        .include_y([0.0])
        .data_lazy(move || cumulative_table(&export_timeline))
        .customize(move |plot| {
            plot.legend(
                Legend::default()
                    .position(Corner::LeftTop)
                    .follow_insertion_order(true),
            )
            .y_axis_min_width(64.0)
            .y_grid_spacer(nice_grid)
            .allow_scroll(false)
            .label_formatter(move |hover| label(hover))
        })
        .show(ui, commands, |plot_ui| {
            plot_ui.add(
                FilledArea::new("Value, low to high", &months, &low, &high)
                    .fill_color(band_fill(VALUE_COLOR, dark)),
            );
            plot_ui.line(
                Line::new("Cumulative value (likely)", PlotPoints::from(likely))
                    .color(VALUE_COLOR)
                    .width(2.5),
            );
            plot_ui.line(
                Line::new("Cumulative cost", PlotPoints::from(cost))
                    .color(COST_COLOR)
                    .width(2.5)
                    .style(LineStyle::dashed_loose()),
            );
            if let Some(m) = payback {
                plot_ui.vline(
                    VLine::new("Payback (likely)", f64::from(m))
                        .color(theme::SERIES[2])
                        .style(LineStyle::dotted_loose())
                        .width(2.0),
                );
            }
        });
}

/// The figures of the cumulative chart, for "Save data (CSV)".
fn cumulative_table(timeline: &[MonthPoint]) -> PlotTable {
    let mut table = PlotTable::new(&[
        "Month",
        "Cumulative value (low)",
        "Cumulative value (likely)",
        "Cumulative value (high)",
        "Cumulative cost",
    ]);
    for p in timeline {
        table.push(vec![
            p.month.to_string(),
            PlotTable::num(p.cumulative_value.low),
            PlotTable::num(p.cumulative_value.likely),
            PlotTable::num(p.cumulative_value.high),
            PlotTable::num(p.cumulative_cost),
        ]);
    }
    table
}

/// The ROI when each assumption is 20% lower or higher, largest swing on top.
pub fn tornado_ui(
    ui: &mut egui::Ui,
    bars: &[SensitivityBar],
    base_roi: f64,
    title: &str,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    let n = bars.len();
    // Top row = largest swing.
    let position = |i: usize| (n - 1 - i) as f64;
    let names: Vec<String> = bars.iter().map(|b| b.assumption.clone()).collect();
    let minus: Vec<Bar> = bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let roi = b.roi_at_minus_20_pct?;
            Some(
                Bar::new(position(i), roi - base_roi)
                    .base_offset(base_roi)
                    .name(&b.assumption)
                    .fill(bar_fill(theme::SERIES[0], dark))
                    .stroke(egui::Stroke::new(1.0, theme::SERIES[0]))
                    .width(0.6),
            )
        })
        .collect();
    let plus: Vec<Bar> = bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let roi = b.roi_at_plus_20_pct?;
            Some(
                Bar::new(position(i), roi - base_roi)
                    .base_offset(base_roi)
                    .name(&b.assumption)
                    .fill(bar_fill(theme::SERIES[1], dark))
                    .stroke(egui::Stroke::new(1.0, theme::SERIES[1]))
                    .width(0.6),
            )
        })
        .collect();
    let formatter = |label: &'static str| {
        move |bar: &Bar, _chart: &BarChart| {
            let roi = bar.base_offset.unwrap_or(0.0) + bar.value;
            format!("{} {label}: ROI {}", bar.name, format::percent(roi))
        }
    };
    let height = 60.0 + 30.0 * n as f32;
    // Category k of the axis is the bar drawn at position k: the last assumption at the bottom.
    let axis_names: Arc<[String]> = names.iter().rev().cloned().collect();
    let export_bars = bars.to_vec();
    PlotPanel::new("whatif_tornado", title)
        .without_title()
        .height(height)
        .axes(
            AxisSpec::new("ROI", ValueFormat::Percent),
            AxisSpec::new("", ValueFormat::Category(axis_names)),
        )
        .include_y([-0.6, n as f64 - 0.4])
        .data_lazy(move || tornado_table(&export_bars))
        .customize(|plot| {
            plot.legend(
                Legend::default()
                    .position(Corner::RightBottom)
                    .follow_insertion_order(true),
            )
            .y_axis_min_width(190.0)
            .show_grid([true, false])
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_boxed_zoom(false)
            .label_formatter(|_| None)
        })
        .show(ui, commands, |plot_ui| {
            plot_ui.bar_chart(
                BarChart::new("Assumption 20% lower", minus)
                    .horizontal()
                    .color(theme::SERIES[0])
                    .element_formatter(Box::new(formatter("20% lower"))),
            );
            plot_ui.bar_chart(
                BarChart::new("Assumption 20% higher", plus)
                    .horizontal()
                    .color(theme::SERIES[1])
                    .element_formatter(Box::new(formatter("20% higher"))),
            );
            plot_ui.vline(
                VLine::new("Likely ROI", base_roi)
                    .color(theme::ink_color(dark))
                    .width(1.5),
            );
        });
}

/// The figures of the sensitivity chart, for "Save data (CSV)".
fn tornado_table(bars: &[SensitivityBar]) -> PlotTable {
    let mut table = PlotTable::new(&["Assumption", "ROI when 20% lower", "ROI when 20% higher"]);
    for b in bars {
        table.push(vec![
            b.assumption.clone(),
            PlotTable::opt(b.roi_at_minus_20_pct),
            PlotTable::opt(b.roi_at_plus_20_pct),
        ]);
    }
    table
}

/// A bar fill strong enough to read on a projector.
fn bar_fill(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.75 } else { 0.65 })
}

/// Net value over time (likely, with the band) of every scenario, in one chart.
pub fn compare_chart_ui(
    ui: &mut egui::Ui,
    all: &[(usize, ScenarioOutputs)],
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    let currency = all
        .first()
        .map(|(_, o)| o.currency.clone())
        .unwrap_or_default();
    let series: Vec<(String, Vec<ScenarioPoint>)> = all
        .iter()
        .map(|(_, o)| {
            (
                o.scenario.clone(),
                o.timeline
                    .iter()
                    .map(|p| ScenarioPoint {
                        month: f64::from(p.month),
                        low: p.cumulative_value.low - p.cumulative_cost,
                        likely: p.cumulative_value.likely - p.cumulative_cost,
                        high: p.cumulative_value.high - p.cumulative_cost,
                    })
                    .collect(),
            )
        })
        .collect();
    let hover_series = series.clone();
    let hover_currency = currency.clone();
    let money_axis = ValueFormat::Money(currency.as_str().into());
    let label = move |hover: &egui_plot::HoverPosition<'_>| {
        let x = match hover {
            egui_plot::HoverPosition::NearDataPoint { position, .. }
            | egui_plot::HoverPosition::Elsewhere { position } => position.x,
        };
        let month = x.round().max(0.0) as usize;
        let mut lines = vec![format!("Month {month}: net value so far (likely)")];
        for (name, points) in &hover_series {
            if let Some(p) = points.get(month) {
                lines.push(format!(
                    "{name}: {}",
                    format::money(p.likely, &hover_currency)
                ));
            }
        }
        Some(lines.join("\n"))
    };
    let export_series = series.clone();
    PlotPanel::new("whatif_compare", "Net value over time")
        .without_title()
        .height(300.0)
        .axes(
            AxisSpec::new("Month", ValueFormat::Number),
            AxisSpec::new("Net value so far", money_axis),
        )
        .include_x([0.0])
        .include_y([0.0])
        .data_lazy(move || compare_table(&export_series))
        .customize(move |plot| {
            plot.legend(
                Legend::default()
                    .position(Corner::LeftTop)
                    .follow_insertion_order(true)
                    .color_conflict_handling(ColorConflictHandling::PickLast),
            )
            .y_axis_min_width(64.0)
            .y_grid_spacer(nice_grid)
            .allow_scroll(false)
            .label_formatter(move |hover| label(hover))
        })
        .show(ui, commands, |plot_ui| {
            for (k, (name, points)) in series.iter().enumerate() {
                let color = theme::series_color(all.get(k).map(|(i, _)| *i).unwrap_or(k));
                let xs: Vec<f64> = points.iter().map(|p| p.month).collect();
                let lo: Vec<f64> = points.iter().map(|p| p.low).collect();
                let hi: Vec<f64> = points.iter().map(|p| p.high).collect();
                plot_ui.add(
                    FilledArea::new(name.clone(), &xs, &lo, &hi)
                        .fill_color(band_fill(color, dark).gamma_multiply(0.6)),
                );
                let line: Vec<[f64; 2]> = points.iter().map(|p| [p.month, p.likely]).collect();
                plot_ui.line(
                    Line::new(name.clone(), PlotPoints::from(line))
                        .color(color)
                        .style(crate::ui::plots::dash_for(color))
                        .width(2.5),
                );
            }
            plot_ui.hline(
                HLine::new("Break-even", 0.0)
                    .color(theme::ink_color(dark))
                    .style(LineStyle::dashed_loose())
                    .width(1.0),
            );
        });
}

/// The figures of the comparison chart, for "Save data (CSV)".
fn compare_table(series: &[(String, Vec<ScenarioPoint>)]) -> PlotTable {
    let mut table = PlotTable::new(&[
        "Scenario",
        "Month",
        "Net value so far (low)",
        "Net value so far (likely)",
        "Net value so far (high)",
    ]);
    for (name, points) in series {
        for p in points {
            table.push(vec![
                name.clone(),
                PlotTable::num(p.month),
                PlotTable::num(p.low),
                PlotTable::num(p.likely),
                PlotTable::num(p.high),
            ]);
        }
    }
    table
}

#[derive(Clone, Copy)]
struct ScenarioPoint {
    month: f64,
    low: f64,
    likely: f64,
    high: f64,
}
