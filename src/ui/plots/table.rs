//! The data behind a plot, as the table "Save data (CSV)" writes.

use std::sync::Arc;

use crate::analysis::series::ReducibleSeries;
use crate::format::date as format_date;

/// The data behind a plot, as a table: what "Save data (CSV)" writes. Long series are kept as
/// they are and written row by row only when exported (on a worker).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlotTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Series appended after `rows`, one row per point: name, x, y.
    pub series: Vec<TableSeries>,
}

/// A long series in a [`PlotTable`].
#[derive(Clone, Debug, PartialEq)]
pub struct TableSeries {
    pub name: String,
    pub points: Arc<ReducibleSeries>,
    /// Write x as a date (days since 1970-01-01).
    pub x_is_date: bool,
}

impl PlotTable {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
            series: Vec::new(),
        }
    }

    /// Whether there is anything to export.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.series.iter().all(|s| s.points.is_empty())
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// A number as a CSV cell: every digit needed to read it back exactly; empty when missing.
    pub fn num(value: f64) -> String {
        if value.is_finite() {
            format!("{value}")
        } else {
            String::new()
        }
    }

    /// An optional number as a CSV cell.
    pub fn opt(value: Option<f64>) -> String {
        value.map(Self::num).unwrap_or_default()
    }

    /// RFC 4180 CSV: comma-separated, fields with commas, quotes or line breaks quoted.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        write_csv_row(&mut out, &self.headers);
        for row in &self.rows {
            write_csv_row(&mut out, row);
        }
        for s in &self.series {
            for (&x, &y) in s.points.xs().iter().zip(s.points.ys()) {
                let x = if s.x_is_date {
                    format_date(x)
                } else {
                    Self::num(x)
                };
                write_csv_row(&mut out, &[s.name.clone(), x, Self::num(y)]);
            }
        }
        out
    }
}

fn write_csv_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}
