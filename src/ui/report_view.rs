//! Draws the summary document (`io::report`) in the window: the Summary page's cards and the
//! example hints of the Frame wizard use the same content as the exported report.

use egui::{Color32, RichText};
use egui_plot::{Bar, BarChart, GridMark, Line, Plot, PlotPoint, PlotPoints, Points, VLine};

use crate::format;
use crate::io::report::{
    Block, Chart, LiftChart, LinkChart, Section, Table, TargetBar, ThresholdChart,
};

use super::theme;

/// One section as a card with its title.
pub fn section_card_ui(ui: &mut egui::Ui, section: &Section) {
    super::widgets::card(ui, |ui| {
        ui.label(
            RichText::new(&section.title)
                .strong()
                .size(16.5)
                .color(heading_color(ui)),
        );
        ui.add_space(theme::SPACE_XS);
        blocks_ui(ui, &section.blocks, section.key);
    });
}

fn heading_color(ui: &egui::Ui) -> Color32 {
    theme::heading_color(ui.visuals().dark_mode)
}

/// Text for the screen: egui's built-in fonts have no arrows, so "→" shows as "›".
fn screen(text: &str) -> String {
    text.replace('→', "›")
}

/// The blocks of a section, top to bottom.
pub fn blocks_ui(ui: &mut egui::Ui, blocks: &[Block], id_salt: &str) {
    for (i, block) in blocks.iter().enumerate() {
        let id = ui.scope_id().with((id_salt, i));
        match block {
            Block::Heading(text) => {
                ui.add_space(theme::SPACE_XS);
                ui.label(RichText::new(text).strong());
            }
            Block::Text(text) => {
                ui.add(egui::Label::new(screen(text)).wrap());
            }
            Block::Fields(pairs) => fields_ui(ui, pairs, id),
            Block::List(items) => {
                for item in items {
                    ui.horizontal_top(|ui| {
                        ui.label("•");
                        ui.add(egui::Label::new(screen(item)).wrap());
                    });
                }
            }
            Block::Table(table) => table_ui(ui, table),
            Block::Chart(chart) => chart_ui(ui, chart, id),
            Block::Note(text) => {
                ui.label(RichText::new(text).weak().italics());
            }
            Block::Warning(text) => {
                let colour = theme::warning_color(ui.visuals().dark_mode);
                ui.add(
                    egui::Label::new(RichText::new(format!("Warning: {text}")).color(colour))
                        .wrap(),
                );
            }
            Block::Decision(d) => super::evidence::decision_block_ui(ui, d),
        }
    }
}

fn fields_ui(ui: &mut egui::Ui, pairs: &[(String, String)], id: egui::Id) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([14.0, 5.0])
        .show(ui, |ui| {
            for (label, value) in pairs {
                ui.label(RichText::new(label).weak());
                ui.add(egui::Label::new(screen(value)).wrap());
                ui.end_row();
            }
        });
}

/// A simple table whose columns share the width by the length of their text, and whose cells
/// wrap.
fn table_ui(ui: &mut egui::Ui, table: &Table) {
    if table.rows.is_empty() {
        return;
    }
    let columns = table.header.len().max(1);
    let gap = 10.0;
    let width = ui.available_width() - gap * (columns as f32 - 1.0);
    let widths = column_widths(
        table,
        columns,
        width,
        ui.text_style_height(&egui::TextStyle::Body),
    );
    let row_ui = |ui: &mut egui::Ui, cells: &[String], header: bool| {
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            for (c, w) in widths.iter().enumerate() {
                let text = cells.get(c).map(String::as_str).unwrap_or_default();
                ui.allocate_ui(egui::vec2(*w, 0.0), |ui| {
                    ui.set_width(*w);
                    let rich = if header {
                        RichText::new(screen(text)).weak().strong()
                    } else {
                        RichText::new(screen(text))
                    };
                    ui.add(egui::Label::new(rich).wrap());
                });
            }
        });
    };
    row_ui(ui, &table.header, true);
    for row in &table.rows {
        ui.separator();
        row_ui(ui, row, false);
    }
    ui.add_space(theme::SPACE_XS);
}

/// Each column gets at least its longest word; the rest of the width goes by how much text the
/// column holds.
fn column_widths(table: &Table, columns: usize, width: f32, font_height: f32) -> Vec<f32> {
    let char_width = font_height * 0.5;
    let cells = |c: usize| {
        std::iter::once(&table.header)
            .chain(&table.rows)
            .filter_map(move |row| row.get(c))
    };
    let min: Vec<f32> = (0..columns)
        .map(|c| {
            let longest_word = cells(c)
                .flat_map(|s| s.split_whitespace())
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(3);
            (longest_word as f32 + 1.0) * char_width
        })
        .collect();
    let weights: Vec<f32> = (0..columns)
        .map(|c| {
            let longest = cells(c).map(|s| s.chars().count()).max().unwrap_or(4);
            (longest as f32).clamp(4.0, 80.0)
        })
        .collect();
    let spare = (width - min.iter().sum::<f32>()).max(0.0);
    let total: f32 = weights.iter().sum::<f32>().max(1.0);
    min.iter()
        .zip(&weights)
        .map(|(m, w)| m + spare * w / total)
        .collect()
}

fn chart_ui(ui: &mut egui::Ui, chart: &Chart, id: egui::Id) {
    match chart {
        Chart::TargetChange(bars) => target_chart_ui(ui, bars, id),
        Chart::Lift(lift) => lift_chart_ui(ui, lift, id),
        Chart::ThresholdValue(t) => threshold_chart_ui(ui, t, id),
        Chart::Link(link) => link_chart_ui(ui, link, id),
    }
    super::plots::chart_table_ui(ui, chart, id);
}

fn static_plot(id: egui::Id, height: f32) -> Plot<'static> {
    Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([true, false])
}

/// Labels for a categorical axis: the label of each whole index, nothing between.
fn category_formatter(
    labels: Vec<String>,
) -> impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let i = mark.value.round();
        if (mark.value - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        labels.get(i as usize).cloned().unwrap_or_default()
    }
}

fn target_chart_ui(ui: &mut egui::Ui, bars: &[TargetBar], id: egui::Id) {
    let dark = ui.visuals().dark_mode;
    let n = bars.len();
    // Top to bottom in the order of the objectives.
    let labels: Vec<String> = bars.iter().rev().map(|b| b.label.clone()).collect();
    let chart_bars: Vec<Bar> = bars
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let colour = if b.is_better() {
                theme::series_color(0)
            } else {
                theme::error_color(dark)
            };
            Bar::new(i as f64, b.relative_change * 100.0)
                .width(0.55)
                .fill(colour)
                .name(format!("{}: {}", b.label, b.reading()))
        })
        .collect();
    let values = bars.iter().map(|b| b.relative_change * 100.0);
    let hi = values.clone().fold(0.0_f64, f64::max);
    let lo = values.fold(0.0_f64, f64::min);
    ui.label(
        RichText::new("Target versus today (%): blue moves the metric the right way")
            .weak()
            .small(),
    );
    let shown = static_plot(id, 36.0 + 34.0 * n as f32)
        .include_x(hi + (hi - lo) * 0.7)
        .show_grid([true, false])
        .y_axis_formatter(category_formatter(labels))
        .x_axis_formatter(|mark, _| format!("{}%", format::number(mark.value)))
        .include_x(0.0)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("Target versus today", chart_bars).horizontal());
            for (i, b) in bars.iter().rev().enumerate() {
                // The value beside each bar, right of zero for bars that point left.
                let x = (b.relative_change * 100.0).max(0.0);
                plot.text(
                    egui_plot::Text::new(
                        "value",
                        PlotPoint::new(x, i as f64),
                        format!("  {}", b.reading()),
                    )
                    .anchor(egui::Align2::LEFT_CENTER),
                );
            }
        });
    crate::ui::access::name_control(ui, &shown.response, "Chart: Target versus today");
}

fn lift_chart_ui(ui: &mut egui::Ui, lift: &LiftChart, id: egui::Id) {
    let labels: Vec<String> = lift.rows.iter().rev().map(|r| r.label.clone()).collect();
    ui.label(RichText::new(&lift.title).weak().small());
    let shown = static_plot(id, 36.0 + 32.0 * lift.rows.len() as f32)
        .y_axis_formatter(category_formatter(labels))
        .x_axis_formatter(|mark, _| format!("{}%", format::number(mark.value)))
        .include_x(0.0)
        .include_y(-0.5)
        .include_y(lift.rows.len() as f64 - 0.5)
        .show(ui, |plot| {
            plot.add(VLine::new("no change", 0.0).color(Color32::GRAY));
            for (i, row) in lift.rows.iter().rev().enumerate() {
                // Blue where the interval excludes no change; grey where the data cannot tell.
                let colour = if row.low > 0.0 || row.high < 0.0 {
                    theme::series_color(0)
                } else {
                    Color32::GRAY
                };
                let y = i as f64;
                plot.line(
                    Line::new(
                        row.label.clone(),
                        PlotPoints::from(vec![[row.low * 100.0, y], [row.high * 100.0, y]]),
                    )
                    .color(colour)
                    .width(3.0),
                );
                plot.add(
                    Points::new(row.label.clone(), vec![[row.estimate * 100.0, y]])
                        .radius(5.0)
                        .color(colour),
                );
            }
        });
    crate::ui::access::name_control(ui, &shown.response, "Chart: Lift");
}

fn threshold_chart_ui(ui: &mut egui::Ui, t: &ThresholdChart, id: egui::Id) {
    let dark = ui.visuals().dark_mode;
    ui.label(RichText::new(&t.title).weak().small());
    let points: Vec<[f64; 2]> = t.points.iter().map(|(x, y)| [*x, *y]).collect();
    let shown = static_plot(id, 200.0)
        .show_grid(true)
        .x_axis_label("Decision threshold")
        .y_axis_label("Business value")
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            plot.line(
                Line::new("Value", PlotPoints::from(points))
                    .color(theme::series_color(0))
                    .width(2.0),
            );
            if let Some((x, y)) = t.best_f1 {
                plot.add(
                    Points::new(format!("Best F1 ({})", format::number(x)), vec![[x, y]])
                        .radius(6.0)
                        .color(theme::series_color(1)),
                );
            }
            if let Some((x, y)) = t.best_value {
                plot.add(
                    Points::new(format!("Most value ({})", format::number(x)), vec![[x, y]])
                        .radius(6.0)
                        .color(theme::error_color(dark)),
                );
            }
        });
    crate::ui::access::name_control(ui, &shown.response, "Chart: Value by threshold");
}

fn link_chart_ui(ui: &mut egui::Ui, link: &LinkChart, id: egui::Id) {
    ui.label(RichText::new(&link.title).weak().small());
    let points: Vec<[f64; 2]> = link.points.iter().map(|(x, y)| [*x, *y]).collect();
    let (x_lo, x_hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        });
    let shown = static_plot(id, 220.0)
        .show_grid(true)
        .x_axis_label(format!("{} (ML metric)", link.x_label))
        .y_axis_label(link.y_label.clone())
        .x_axis_formatter(|mark, _| format::number(mark.value))
        .y_axis_formatter(|mark, _| format::number(mark.value))
        .y_grid_spacer(super::whatif::plots::nice_grid)
        // The legend in the corner the points leave empty.
        .legend(egui_plot::Legend::default().position(
            if link.fit.is_some_and(|(_, slope)| slope < 0.0) {
                egui_plot::Corner::RightTop
            } else {
                egui_plot::Corner::LeftTop
            },
        ))
        .show(ui, |plot| {
            if let Some((intercept, slope)) = link.fit
                && x_lo < x_hi
            {
                plot.line(
                    Line::new(
                        "Fitted line",
                        PlotPoints::from(vec![
                            [x_lo, intercept + slope * x_lo],
                            [x_hi, intercept + slope * x_hi],
                        ]),
                    )
                    .color(theme::series_color(1))
                    .width(2.0),
                );
            }
            plot.add(
                Points::new(format!("{} points", points.len()), points)
                    .radius(4.0)
                    .color(theme::series_color(0)),
            );
        });
    crate::ui::access::name_control(ui, &shown.response, "Chart: ML versus business");
}
