//! "By maturity": the same scenario's ROI at every ML maturity stage (bars), each labelled with
//! its NPV and payback, the scenario's own stage outlined. Export writes every figure as CSV.

use std::sync::Arc;

use egui::Color32;
use egui_plot::{Bar, BarChart, HLine, PlotPoint, Text};

use crate::app::Command;
use crate::format;
use crate::model::{MaturityRow, ScenarioOutputs};
use crate::ui::plots::{AxisSpec, PlotPanel, PlotTable, ValueFormat};
use crate::ui::theme;

/// Colour of the bars; the scenario's own stage is drawn in orange.
const BAR_COLOR: Color32 = theme::SERIES[0];
const CURRENT_COLOR: Color32 = theme::SERIES[1];

/// "NPV €2.3M" and "pays back in month 7" under a stage's ROI.
fn bar_note(o: &ScenarioOutputs, r: &MaturityRow) -> String {
    let npv = r
        .npv
        .map(|n| format!("NPV {}", format::money(n, &o.currency)))
        .unwrap_or_else(|| "NPV —".to_string());
    let payback = match r.payback_month {
        Some(m) => format!("payback month {m}"),
        None => "no payback".to_string(),
    };
    format!("{npv}\n{payback}")
}

/// The by-maturity chart of one scenario.
pub fn by_maturity_chart_ui(ui: &mut egui::Ui, o: &ScenarioOutputs, commands: &mut Vec<Command>) {
    if o.by_maturity.iter().all(|r| r.roi.is_none()) {
        crate::ui::widgets::explain(
            ui,
            "The ROI needs costs: enter what the change costs to compare the maturity stages.",
        );
        return;
    }
    let dark = ui.visuals().dark_mode;
    let names: Arc<[String]> = o.by_maturity.iter().map(|r| r.stage.clone()).collect();
    let rois: Vec<f64> = o.by_maturity.iter().filter_map(|r| r.roi).collect();
    let top = rois.iter().copied().fold(0.0_f64, f64::max);
    let bottom = rois.iter().copied().fold(0.0_f64, f64::min);
    let span = (top - bottom).max(1e-9);
    let bars: Vec<Bar> = o
        .by_maturity
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let roi = r.roi?;
            let color = if r.current { CURRENT_COLOR } else { BAR_COLOR };
            let stroke_width = if r.current { 2.0 } else { 1.0 };
            Some(
                Bar::new(i as f64, roi)
                    .name(&r.stage)
                    .fill(color.gamma_multiply(if dark { 0.75 } else { 0.6 }))
                    .stroke(egui::Stroke::new(stroke_width, color))
                    .width(0.6),
            )
        })
        .collect();
    let notes: Vec<(f64, f64, String, bool)> = o
        .by_maturity
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let roi = r.roi?;
            // Above a positive bar, below a negative one.
            let y = if roi >= 0.0 {
                roi + 0.12 * span
            } else {
                roi - 0.12 * span
            };
            let note = if r.current {
                format!("This scenario\n{}", bar_note(o, r))
            } else {
                bar_note(o, r)
            };
            Some((i as f64, y, note, r.current))
        })
        .collect();
    let rows = o.by_maturity.clone();
    let rate = o.discount_rate;
    // Room for the labels above (or below) the bars; no empty band under a zero baseline.
    let y_low = if bottom < 0.0 {
        bottom - 0.3 * span
    } else {
        -0.04 * span
    };
    let y_high = if top > 0.0 {
        top + 0.3 * span
    } else {
        0.04 * span
    };
    let ink = theme::ink_color(dark);
    let formatter = move |bar: &Bar, _chart: &BarChart| {
        format!("{}: ROI {}", bar.name, format::percent(bar.value))
    };
    PlotPanel::new(
        ("whatif_by_maturity", &o.scenario),
        format!("{}: by maturity", o.scenario),
    )
    .without_title()
    .height(300.0)
    .axes(
        AxisSpec::new("", ValueFormat::Category(names)),
        AxisSpec::new("ROI (likely)", ValueFormat::Percent),
    )
    .include_x([-0.6, o.by_maturity.len() as f64 - 0.4])
    .include_y([y_low, y_high])
    .legend(None)
    .data_lazy(move || by_maturity_table(&rows, rate))
    .customize(|plot| {
        plot.show_grid([false, true])
            .y_axis_min_width(64.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_boxed_zoom(false)
            .label_formatter(|_| None)
    })
    .show(ui, commands, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new("ROI", bars)
                .color(BAR_COLOR)
                .element_formatter(Box::new(formatter)),
        );
        plot_ui.hline(HLine::new("Break-even", 0.0).color(ink).width(1.0));
        for (x, y, text, current) in notes {
            let rich = egui::RichText::new(text).size(12.5).color(ink);
            let rich = if current { rich.strong() } else { rich };
            plot_ui.text(Text::new("", PlotPoint::new(x, y), rich));
        }
    });
}

/// The figures of the by-maturity chart, for "Save data (CSV)".
fn by_maturity_table(rows: &[MaturityRow], rate: f64) -> PlotTable {
    let npv_header = format!("NPV at {}", format::percent(rate));
    let mut table = PlotTable::new(&[
        "Maturity stage",
        "This scenario's stage",
        "Deployment months",
        "Ramp-up months",
        "Total cost",
        "Net value",
        "ROI",
        npv_header.as_str(),
        "Payback month",
        "Discounted payback month",
    ]);
    let month = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
    for r in rows {
        table.push(vec![
            r.stage.clone(),
            if r.current { "yes" } else { "no" }.to_string(),
            PlotTable::num(r.deployment_months),
            PlotTable::num(r.ramp_up_months),
            PlotTable::num(r.total_cost),
            PlotTable::num(r.net_value),
            PlotTable::opt(r.roi),
            PlotTable::opt(r.npv),
            month(r.payback_month),
            month(r.discounted_payback_month),
        ]);
    }
    table
}
