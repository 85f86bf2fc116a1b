//! "Show as table": every plot's numbers as text, for screen readers, for people who read a
//! table better than a chart, and for copying. The table is the one "Export → Data (CSV)"
//! writes ([`PlotTable`]), with long series cut to their first rows.

use egui::{Id, RichText};

use super::PlotTable;
use crate::app::plot_export::TableSeries;
use crate::format::date as format_date;

/// The most rows the window shows; the CSV export has them all.
pub const MAX_TABLE_ROWS: usize = 60;

/// The label of the toggle under every plot.
pub const SHOW_AS_TABLE: &str = "Show as table";

/// Whether the plot `plot_id` shows its numbers as a table (remembered while the app runs).
pub fn shows_table(ctx: &egui::Context, plot_id: Id) -> bool {
    ctx.data(|d| d.get_temp::<bool>(plot_id.with("as_table")))
        .unwrap_or(false)
}

/// The "Show as table" toggle.
pub fn table_toggle_ui(ui: &mut egui::Ui, plot_id: Id) {
    let mut on = shows_table(ui.ctx(), plot_id);
    let response = ui
        .checkbox(&mut on, SHOW_AS_TABLE)
        .on_hover_text("Show the numbers of this plot as a table below it.");
    if response.changed() {
        ui.ctx()
            .data_mut(|d| d.insert_temp(plot_id.with("as_table"), on));
    }
}

/// The cells of every row of `table`: its rows, then the points of its series (at most
/// `limit` in all), and how many rows there are in all.
pub fn table_rows(table: &PlotTable, limit: usize) -> (Vec<Vec<String>>, usize) {
    let series_rows: usize = table.series.iter().map(|s| s.points.len()).sum();
    let total = table.rows.len() + series_rows;
    let mut rows: Vec<Vec<String>> = table.rows.iter().take(limit).cloned().collect();
    for s in &table.series {
        if rows.len() >= limit {
            break;
        }
        rows.extend(series_cells(s).take(limit - rows.len()));
    }
    (rows, total)
}

fn series_cells(s: &TableSeries) -> impl Iterator<Item = Vec<String>> + '_ {
    s.points
        .xs()
        .iter()
        .zip(s.points.ys())
        .map(move |(&x, &y)| {
            let x = if s.x_is_date {
                format_date(x)
            } else {
                readable_number(x)
            };
            vec![s.name.clone(), x, readable_number(y)]
        })
}

/// A number as a person reads it (the CSV keeps every digit).
fn readable_number(value: f64) -> String {
    if value.is_finite() {
        crate::format::precise(value)
    } else {
        String::new()
    }
}

/// The table itself, below the plot: a header row, then one row per point (the first
/// [`MAX_TABLE_ROWS`]), scrolling sideways when it is wide.
pub fn plot_table_ui(ui: &mut egui::Ui, table: &PlotTable, plot_id: Id, title: &str) {
    let (rows, total) = table_rows(table, MAX_TABLE_ROWS);
    if rows.is_empty() {
        ui.label(RichText::new("This plot has no numbers to show yet.").weak());
        return;
    }
    let headers: Vec<String> = if table.headers.is_empty() {
        vec!["Series".into(), "x".into(), "y".into()]
    } else {
        table.headers.clone()
    };
    ui.label(RichText::new(format!("{title}: the numbers")).strong());
    egui::ScrollArea::horizontal()
        .id_salt(plot_id.with("table_scroll"))
        .show(ui, |ui| {
            egui::Grid::new(plot_id.with("table"))
                .striped(true)
                .spacing(egui::vec2(18.0, 4.0))
                .show(ui, |ui| {
                    for header in &headers {
                        ui.label(RichText::new(header).strong());
                    }
                    ui.end_row();
                    for row in &rows {
                        for cell in row {
                            ui.label(cell);
                        }
                        ui.end_row();
                    }
                });
        });
    if total > rows.len() {
        ui.label(
            RichText::new(format!(
                "The first {} of {} rows; Export → Data (CSV) saves them all.",
                rows.len(),
                total
            ))
            .small()
            .weak(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::series::ReducibleSeries;

    #[test]
    fn rows_then_series_points_up_to_the_limit() {
        let mut table = PlotTable::new(&["Series", "x", "y"]);
        table.push(vec!["a".into(), "1".into(), "2".into()]);
        table.series.push(TableSeries {
            name: "daily".into(),
            points: Arc::new(ReducibleSeries::new(&[
                [20_513.0, 1.5],
                [20_514.0, 2.5],
                [20_515.0, 1234.5],
            ])),
            x_is_date: true,
        });
        let (rows, total) = table_rows(&table, 3);
        assert_eq!(total, 4);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1], vec!["daily", "2026-03-01", "1.5"]);
        let (all, _) = table_rows(&table, 100);
        assert_eq!(all[3][2], "1,234.5");
    }
}
