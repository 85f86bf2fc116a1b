//! The numbers of the Summary's charts (`io::report::Chart`) as a [`PlotTable`], for "Show as
//! table" under each of them.

use super::PlotTable;
use crate::format;
use crate::io::report::Chart;

/// The table of one Summary chart: one row per bar, lift, point or threshold.
pub fn chart_table(chart: &Chart) -> PlotTable {
    match chart {
        Chart::TargetChange(bars) => {
            let mut t = PlotTable::new(&["Objective", "Target versus today"]);
            for b in bars {
                t.push(vec![b.label.clone(), b.reading()]);
            }
            t
        }
        Chart::Lift(lift) => {
            let level = format!("{}% interval", format::number(lift.ci_level_pct));
            let mut t = PlotTable::new(&["Metric", "Relative lift", &level]);
            for r in &lift.rows {
                t.push(vec![
                    r.label.clone(),
                    format::percent_change(r.estimate),
                    format!(
                        "{} to {}",
                        format::percent_change(r.low),
                        format::percent_change(r.high)
                    ),
                ]);
            }
            t
        }
        Chart::ThresholdValue(c) => {
            let mut t = PlotTable::new(&["Decision threshold", "Business value"]);
            for (x, y) in &c.points {
                t.push(vec![format::precise(*x), format::precise(*y)]);
            }
            t
        }
        Chart::Link(c) => {
            let mut t = PlotTable::new(&[&c.x_label, &c.y_label]);
            for (x, y) in &c.points {
                t.push(vec![format::precise(*x), format::precise(*y)]);
            }
            t
        }
    }
}

/// The title of a Summary chart's table.
pub fn chart_title(chart: &Chart) -> String {
    match chart {
        Chart::TargetChange(_) => "Target versus today".to_string(),
        Chart::Lift(c) => c.title.clone(),
        Chart::ThresholdValue(c) => c.title.clone(),
        Chart::Link(c) => c.title.clone(),
    }
}

/// The "Show as table" checkbox under a Summary chart, and the table when it is on.
pub fn chart_table_ui(ui: &mut egui::Ui, chart: &Chart, id: egui::Id) {
    super::table_toggle_ui(ui, id);
    if super::table_view::shows_table(ui.ctx(), id) {
        super::plot_table_ui(ui, &chart_table(chart), id, &chart_title(chart));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::report::{LiftChart, LiftRow};

    #[test]
    fn a_lift_chart_reads_as_rows_with_intervals() {
        let chart = Chart::Lift(LiftChart {
            title: "Lift".into(),
            ci_level_pct: 95.0,
            rows: vec![LiftRow {
                label: "revenue".into(),
                estimate: 0.05,
                low: 0.01,
                high: 0.09,
            }],
        });
        let t = chart_table(&chart);
        assert_eq!(t.headers, ["Metric", "Relative lift", "95% interval"]);
        assert_eq!(t.rows[0][0], "revenue");
        assert!(t.rows[0][2].contains(" to "));
    }
}
