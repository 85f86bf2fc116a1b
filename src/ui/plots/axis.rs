//! How values on a plot's axes and in its hover labels are written: number, share, change, date,
//! category and money formats, calendar grid marks, and an axis' name.

use std::ops::RangeInclusive;
use std::sync::Arc;

use egui_plot::GridMark;

use crate::format::{self, date as format_date};

/// How values on an axis and in hover labels are written.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueFormat {
    /// 0.9123, 12.5, 1 234
    Number,
    /// A share: 0.052 → "5.2 %"
    Percent,
    /// A change: 0.052 → "+5.2 %"
    SignedPercent,
    /// A change in the metric's own unit: "+0.013"
    SignedNumber,
    /// Days since 1970-01-01 → "2026-03-01"
    Date,
    /// 0, 1, 2, … → these names; other values are not labelled.
    Category(Arc<[String]>),
    /// Money in this currency: "$1.2M", "€12,300".
    Money(Arc<str>),
}

impl ValueFormat {
    /// The value as a label (exact enough to read off: up to 6 significant digits).
    pub fn format(&self, value: f64) -> String {
        if !value.is_finite() {
            return "–".to_string();
        }
        match self {
            ValueFormat::Number => format::precise(value),
            ValueFormat::Percent => format!("{}%", format::precise(value * 100.0)),
            ValueFormat::SignedPercent => {
                format!("{}%", format::with_sign(&format::precise(value * 100.0)))
            }
            ValueFormat::SignedNumber => format::with_sign(&format::precise(value)),
            ValueFormat::Date => format_date(value),
            ValueFormat::Category(names) => category_at(names, value).unwrap_or_default(),
            ValueFormat::Money(currency) => format::money(value, currency),
        }
    }

    /// A tick label: shorter than [`Self::format`], and categories only at whole numbers.
    pub(crate) fn tick(&self, mark: GridMark, range: &RangeInclusive<f64>) -> String {
        let v = mark.value;
        let span = range.end() - range.start();
        let decimals = tick_decimals(mark.step_size);
        match self {
            ValueFormat::Number => format::fixed(v, decimals),
            ValueFormat::Percent => format!("{}%", format::fixed(v * 100.0, decimals_pct(mark))),
            ValueFormat::SignedPercent => {
                format!(
                    "{}%",
                    format::with_sign(&format::fixed(v * 100.0, decimals_pct(mark)))
                )
            }
            ValueFormat::SignedNumber => format::with_sign(&format::fixed(v, decimals)),
            ValueFormat::Date => date_tick(v, mark.step_size, span),
            ValueFormat::Money(currency) => format::money(v, currency),
            ValueFormat::Category(names) => {
                if (v - v.round()).abs() < 1e-9 && mark.step_size >= 1.0 - 1e-9 {
                    category_at(names, v).unwrap_or_default()
                } else {
                    String::new()
                }
            }
        }
    }

    /// Grid spacing for this format: calendar dates, whole categories. `label_px` is how far
    /// apart labels must be on screen to be readable along this axis.
    pub(crate) fn grid_spacer(
        &self,
        label_px: f64,
    ) -> Option<Box<dyn Fn(egui_plot::GridInput) -> Vec<GridMark>>> {
        // egui_plot's base step is the value span of 8 points on screen.
        let px_per_unit =
            |input: &egui_plot::GridInput| 8.0 / input.base_step_size.max(f64::MIN_POSITIVE);
        match self {
            ValueFormat::Category(_) => Some(Box::new(move |input: egui_plot::GridInput| {
                let (lo, hi) = input.bounds;
                // One mark per category, or every k-th when they would crowd.
                let step = (label_px / px_per_unit(&input)).ceil().max(1.0);
                let first = (lo / step).ceil() as i64;
                let last = (hi / step).floor() as i64;
                if last - first > 10_000 {
                    return Vec::new();
                }
                (first..=last)
                    .map(|k| GridMark {
                        value: k as f64 * step,
                        step_size: step,
                    })
                    .collect()
            })),
            ValueFormat::Date => Some(Box::new(move |input: egui_plot::GridInput| {
                let (lo, hi) = input.bounds;
                let width_px = (hi - lo) * px_per_unit(&input);
                let max_marks = (width_px / (label_px * 1.3)).clamp(2.0, 8.0) as usize;
                date_marks(lo, hi, max_marks)
            })),
            _ => None,
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Grid marks on calendar boundaries between two days: every k days, Mondays, first days of
/// months (every 1, 2, 3 or 6 months) or of years, at most `max_marks`. The step size of a
/// mark is its spacing in days (k, 7, 30·k or 365·k), which also tells its kind.
pub(super) fn date_marks(lo: f64, hi: f64, max_marks: usize) -> Vec<GridMark> {
    use crate::analysis::series::{date_from_days, days_from_date};
    let span = (hi - lo).max(1.0);
    let (first, last) = (lo.ceil() as i64, hi.floor() as i64);
    let max_marks = max_marks.max(1) as f64;
    if first > last + 1 || span > 365.0 * 400.0 {
        return Vec::new();
    }
    let mark = |value: i64, step_size: f64| GridMark {
        value: value as f64,
        step_size,
    };
    if span / 3.0 <= max_marks || span <= 6.0 {
        let every = [1, 2, 3]
            .into_iter()
            .find(|k| span / f64::from(*k) <= max_marks)
            .unwrap_or(3);
        return (first..=last)
            .filter(|d| d.rem_euclid(i64::from(every)) == 0)
            .map(|d| mark(d, f64::from(every)))
            .collect();
    }
    if span / 7.0 <= max_marks {
        // 1970-01-05 was a Monday.
        let start = first + (4 - first).rem_euclid(7);
        return (start..=last).step_by(7).map(|d| mark(d, 7.0)).collect();
    }
    let (y0, _, _) = date_from_days(first);
    let (y1, _, _) = date_from_days(last);
    let months = span / 30.4;
    if months / 6.0 <= max_marks {
        let every = [1, 2, 3, 6]
            .into_iter()
            .find(|k| months / f64::from(*k) <= max_marks)
            .unwrap_or(6);
        let mut marks = Vec::new();
        for year in y0..=y1 {
            for month in (1..=12u32).filter(|m| (m - 1) % every == 0) {
                let day = days_from_date(year, month, 1);
                if (first..=last).contains(&day) {
                    marks.push(mark(day, 30.0 * f64::from(every)));
                }
            }
        }
        return marks;
    }
    let years = span / 365.25;
    let every = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|k| years / f64::from(*k) <= max_marks)
        .unwrap_or(100);
    (y0..=y1 + 1)
        .filter(|y| y.rem_euclid(i64::from(every)) == 0)
        .map(|y| days_from_date(y, 1, 1))
        .filter(|d| (first..=last).contains(d))
        .map(|d| mark(d, 365.0 * f64::from(every)))
        .collect()
}

/// The label of a date mark: "2026-03-04" for days and weeks, "Mar 2026" for months, "2026"
/// for years.
pub(super) fn date_tick(days: f64, step_size: f64, _span: f64) -> String {
    use crate::analysis::series::date_from_days;
    let (y, m, _) = date_from_days(days.floor() as i64);
    if step_size >= 365.0 {
        format!("{y}")
    } else if step_size >= 28.0 {
        let name = MONTHS.get(m as usize - 1).copied().unwrap_or("");
        format!("{name} {y}")
    } else {
        format_date(days)
    }
}

fn category_at(names: &[String], value: f64) -> Option<String> {
    let rounded = value.round();
    if rounded < 0.0 || (value - rounded).abs() > 0.25 {
        return None;
    }
    names.get(rounded as usize).cloned()
}

fn tick_decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 8.0) as usize
    }
}

fn decimals_pct(mark: GridMark) -> usize {
    tick_decimals(mark.step_size * 100.0)
}

/// An axis: its name (with the unit) and how its values are written.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisSpec {
    pub name: String,
    pub format: ValueFormat,
}

impl AxisSpec {
    pub fn new(name: impl Into<String>, format: ValueFormat) -> Self {
        Self {
            name: name.into(),
            format,
        }
    }

    pub fn number(name: impl Into<String>) -> Self {
        Self::new(name, ValueFormat::Number)
    }
}
