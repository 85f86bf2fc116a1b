//! Shared plot helpers for the Evidence and What-if pages.
//!
//! One look for every plot: the colour-blind-safe palette of `theme`, a legend that can hide
//! series, axis names with units, hover labels with exact values, zoom, pan and double-click
//! reset; under each plot a row with "Export" (picture as PNG, data as CSV) and "Reset view".
//!
//! Typical use, with everything computed before the closure:
//! ```ignore
//! let panel = PlotPanel::new(("lift", &analysis.id), "Lift per metric")
//!     .caption("Change of each treatment relative to control, with 95% intervals.")
//!     .tip("Plain-word explanation shown on the title.")
//!     .axes(AxisSpec::new("Relative lift", ValueFormat::SignedPercent),
//!           AxisSpec::new("", ValueFormat::Category(names)))
//!     .data(Arc::clone(&table))          // what "Save data (CSV)" writes
//!     .hover_labels(Arc::clone(&labels)) // exact values per series name and point index
//!     .legend_row(entries)               // or .legend(Some(Corner::LeftTop)) inside the plot
//!     .link(PlotLink { group, x: true, y: false })
//!     .customize(|plot| plot.data_aspect(1.0));
//! let response = panel.show(ui, commands, |plot_ui| { plot_ui.points(points); });
//! ```
//! Items: [`interval_h`]/[`interval_v`] (estimate whiskers), [`band`], [`marker_line`],
//! [`highlight_ring`]; colours: [`series_color`], [`fill_color`], [`reference_color`],
//! [`metric_marker`]; large series: [`reduced_points`] (a `ReducibleSeries` reduced to the
//! last frame's view); linked highlighting: [`hovered_index`], [`hovered_x_index`]. Export
//! goes through `Command::ExportPlotDialog` (PNG: a crop of the window's screenshot; CSV: the
//! panel's [`PlotTable`]), both written on a worker.

use std::collections::HashMap;
use std::hash::Hash;
use std::ops::RangeInclusive;
use std::sync::Arc;

use egui::{Color32, Id, Stroke};
use egui_plot::{
    AxisHints, Corner, FilledArea, GridMark, HoverPosition, Legend, Line, LineStyle, MarkerShape,
    Plot, PlotMemory, PlotPoints, PlotResponse, PlotUi, Points, VLine,
};

use crate::analysis::series::ReducibleSeries;
use crate::app::Command;
use crate::format::{self, date as format_date};

use super::theme;

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

/// What a plot is exported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// A picture of the plot as it is on screen.
    Png,
    /// The plotted data.
    Csv,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Png => "png",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn menu_label(self) -> &'static str {
        match self {
            ExportFormat::Png => "Save picture (PNG)…",
            ExportFormat::Csv => "Save data (CSV)…",
        }
    }

    pub fn dialog_title(self) -> &'static str {
        match self {
            ExportFormat::Png => "Save plot as a picture",
            ExportFormat::Csv => "Save plot data",
        }
    }
}

/// One plot to export: which one (its id finds it on screen) and the data it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotExport {
    pub title: String,
    pub plot_id: Id,
    pub format: ExportFormat,
    pub table: Arc<PlotTable>,
}

impl PlotExport {
    /// `lift-per-metric.png` for a plot titled "Lift per metric".
    pub fn suggested_file_name(&self) -> String {
        format!(
            "{}.{}",
            crate::app::file_name_for(&self.title),
            self.format.extension()
        )
    }
}

/// Where a plot (with its title and axes) was on screen in the last frame, in points: the part
/// a PNG export crops from the window.
pub fn export_rect(ctx: &egui::Context, plot_id: Id) -> Option<egui::Rect> {
    ctx.data(|d| d.get_temp::<egui::Rect>(plot_id.with("export_rect")))
}

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
    fn tick(&self, mark: GridMark, range: &RangeInclusive<f64>) -> String {
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
    fn grid_spacer(
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
fn date_marks(lo: f64, hi: f64, max_marks: usize) -> Vec<GridMark> {
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
fn date_tick(days: f64, step_size: f64, _span: f64) -> String {
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

/// Hover texts per series name and point index, prepared with the plot data (e.g.
/// "Experiment 07\nAccuracy 0.912\nRevenue per user 3.41").
pub type HoverLabels = HashMap<String, Vec<String>>;

/// How several plots move together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotLink {
    pub group: Id,
    /// Share the x axis (zoom and pan together) and show the cursor's x in every plot.
    pub x: bool,
    pub y: bool,
}

/// A plot with a title above it and an export row below it.
pub struct PlotPanel {
    id: Id,
    title: String,
    caption: Option<String>,
    tip: Option<String>,
    x: AxisSpec,
    y: AxisSpec,
    table: TableSource,
    show_title: bool,
    hover: Option<Arc<HoverLabels>>,
    height: f32,
    width: Option<f32>,
    link: Option<PlotLink>,
    legend: Option<Corner>,
    include_x: Vec<f64>,
    include_y: Vec<f64>,
    hover_elsewhere: bool,
    customize: Option<PlotCustomizer>,
    legend_row: Vec<(String, Color32)>,
}

/// Where the CSV of a [`PlotPanel`] comes from.
enum TableSource {
    Ready(Arc<PlotTable>),
    Lazy(Box<dyn FnOnce() -> PlotTable>),
}

/// A last change to the `egui_plot::Plot` a [`PlotPanel`] builds (aspect ratio, extra options).
pub type PlotCustomizer = Box<dyn FnOnce(Plot<'static>) -> Plot<'static>>;

impl PlotPanel {
    /// `id_salt` must be unique on the page; `title` is shown above the plot and names the
    /// exported files.
    pub fn new(id_salt: impl Hash + std::fmt::Debug, title: impl Into<String>) -> Self {
        Self {
            id: Id::unique(("plot", id_salt)),
            title: title.into(),
            caption: None,
            tip: None,
            x: AxisSpec::number(""),
            y: AxisSpec::number(""),
            table: TableSource::Ready(Arc::new(PlotTable::default())),
            show_title: true,
            hover: None,
            height: 300.0,
            width: None,
            link: None,
            legend: Some(Corner::LeftTop),
            include_x: Vec::new(),
            include_y: Vec::new(),
            hover_elsewhere: false,
            customize: None,
            legend_row: Vec::new(),
        }
    }

    /// A legend drawn as a row between the caption and the plot, instead of inside the plot
    /// (where it may hide data). Turns the in-plot legend off.
    pub fn legend_row(mut self, entries: Vec<(String, Color32)>) -> Self {
        self.legend_row = entries;
        self.legend = None;
        self
    }

    /// Change the `egui_plot::Plot` after the panel configured it, for what the panel does not
    /// offer (e.g. `|p| p.data_aspect(1.0)`).
    pub fn customize(mut self, f: impl FnOnce(Plot<'static>) -> Plot<'static> + 'static) -> Self {
        self.customize = Some(Box::new(f));
        self
    }

    /// The plot's id (for [`last_view`] and linking).
    pub fn id(&self) -> Id {
        self.id
    }

    /// One line under the title saying what the plot shows.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// A plain-word explanation shown when the pointer rests on the title.
    pub fn tip(mut self, tip: impl Into<String>) -> Self {
        self.tip = Some(tip.into());
        self
    }

    pub fn axes(mut self, x: AxisSpec, y: AxisSpec) -> Self {
        self.x = x;
        self.y = y;
        self
    }

    /// The data "Save data (CSV)" writes.
    pub fn data(mut self, table: Arc<PlotTable>) -> Self {
        self.table = TableSource::Ready(table);
        self
    }

    /// The data "Save data (CSV)" writes, made only when it is saved (a long curve is not
    /// copied every frame).
    pub fn data_lazy(mut self, table: impl FnOnce() -> PlotTable + 'static) -> Self {
        self.table = TableSource::Lazy(Box::new(table));
        self
    }

    /// Leave the title to the page (which shows it as a section heading); exports are still
    /// named after it.
    pub fn without_title(mut self) -> Self {
        self.show_title = false;
        self
    }

    /// Hover texts per series name and point index.
    pub fn hover_labels(mut self, labels: Arc<HoverLabels>) -> Self {
        self.hover = Some(labels);
        self
    }

    pub fn height(mut self, height: f32) -> Self {
        self.height = height;
        self
    }

    pub fn width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    pub fn link(mut self, link: PlotLink) -> Self {
        self.link = Some(link);
        self
    }

    /// Where the legend goes; `None` hides it.
    pub fn legend(mut self, corner: Option<Corner>) -> Self {
        self.legend = corner;
        self
    }

    /// Keep these x values in view when the view is reset (e.g. the whole series' range, so
    /// a reduced series still resets to its full extent).
    pub fn include_x(mut self, values: impl IntoIterator<Item = f64>) -> Self {
        self.include_x
            .extend(values.into_iter().filter(|v| v.is_finite()));
        self
    }

    pub fn include_y(mut self, values: impl IntoIterator<Item = f64>) -> Self {
        self.include_y
            .extend(values.into_iter().filter(|v| v.is_finite()));
        self
    }

    /// Show the pointer's coordinates when it is not near a point (useful on time axes).
    pub fn hover_anywhere(mut self, on: bool) -> Self {
        self.hover_elsewhere = on;
        self
    }

    /// Draw the title, the plot (built by `build`, which only adds prepared items), and the
    /// export row. Export and reset actions are sent as commands.
    pub fn show<R>(
        mut self,
        ui: &mut egui::Ui,
        commands: &mut Vec<Command>,
        build: impl FnOnce(&mut PlotUi<'_>) -> R,
    ) -> PlotResponse<R> {
        let id = self.id;
        let reset_key = id.with("reset");
        let reset = ui
            .ctx()
            .data_mut(|d| d.remove_temp::<bool>(reset_key))
            .unwrap_or(false);
        let clip = ui.clip_rect();
        let inner = ui.scope(|ui| {
            if let Some(width) = self.width {
                ui.set_max_width(width);
            }
            if self.show_title {
                let title = ui.label(egui::RichText::new(&self.title).strong().size(15.5));
                if let Some(tip) = &self.tip {
                    title.on_hover_text(tip);
                }
            }
            if let Some(caption) = &self.caption {
                ui.label(egui::RichText::new(caption).weak());
            }
            if !self.legend_row.is_empty() {
                legend_row_ui(ui, &self.legend_row);
            }
            // Hover labels appear within 12 points of a data point, not only right on it.
            ui.style_mut().interaction.interact_radius = 12.0;
            let mut plot = self.plot(ui, reset);
            if let Some(customize) = self.customize.take() {
                plot = customize(plot);
            }
            plot.show(ui, build)
        });
        let export_rect = inner.response.rect.intersect(clip);
        ui.ctx()
            .data_mut(|d| d.insert_temp(id.with("export_rect"), export_rect));
        self.footer_ui(ui, commands, reset_key);
        inner.inner
    }

    fn plot(&self, ui: &egui::Ui, reset: bool) -> Plot<'static> {
        let dark = ui.visuals().dark_mode;
        let mut plot = Plot::new(self.id)
            .id(self.id)
            .height(self.height)
            .allow_boxed_zoom(true)
            .allow_double_click_reset(true)
            .grid_color(theme::grid_color(dark))
            .y_axis_min_width(40.0);
        if let Some(width) = self.width {
            plot = plot.width(width);
        }
        if let Some(corner) = self.legend {
            plot = plot.legend(legend(corner));
        }
        if let Some(link) = self.link {
            plot = plot
                .link_axis(link.group, [link.x, link.y])
                .link_cursor(link.group, [link.x, link.y]);
        }
        for &x in &self.include_x {
            plot = plot.include_x(x);
        }
        for &y in &self.include_y {
            plot = plot.include_y(y);
        }
        if reset {
            plot = plot.reset();
        }
        // Axis labels are short, so they may sit closer than egui_plot's defaults.
        const X_LABEL_PX: f64 = 70.0;
        const Y_LABEL_PX: f64 = 26.0;
        let x_format = self.x.format.clone();
        let x_axis = AxisHints::new_x()
            .label(self.x.name.clone())
            .formatter(move |mark, range| x_format.tick(mark, range))
            .label_spacing(40.0..=60.0);
        let y_format = self.y.format.clone();
        let y_axis = AxisHints::new_y()
            .label(self.y.name.clone())
            .formatter(move |mark, range| y_format.tick(mark, range))
            .label_spacing(16.0..=24.0);
        plot = plot.custom_x_axes(vec![x_axis]).custom_y_axes(vec![y_axis]);
        if let Some(spacer) = self.x.format.grid_spacer(X_LABEL_PX) {
            plot = plot.x_grid_spacer(spacer);
        }
        if let Some(spacer) = self.y.format.grid_spacer(Y_LABEL_PX) {
            plot = plot.y_grid_spacer(spacer);
        }
        let x = self.x.clone();
        let y = self.y.clone();
        let hover = self.hover.clone();
        let elsewhere = self.hover_elsewhere;
        plot.label_formatter(move |position| {
            hover_text(position, &x, &y, hover.as_deref(), elsewhere)
        })
    }

    fn footer_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>, reset_key: Id) {
        let has_data = match &self.table {
            TableSource::Ready(table) => !table.is_empty(),
            TableSource::Lazy(_) => true,
        };
        let source = std::mem::replace(&mut self.table, TableSource::Ready(Arc::default()));
        let width = self.width.unwrap_or_else(|| ui.available_width());
        ui.allocate_ui_with_layout(
            egui::vec2(width, ui.spacing().interact_size.y),
            egui::Layout::right_to_left(egui::Align::Center),
            |ui| {
                export_menu(
                    ui,
                    commands,
                    &self.title,
                    self.id,
                    has_data,
                    || match source {
                        TableSource::Ready(table) => table,
                        TableSource::Lazy(make) => Arc::new(make()),
                    },
                );
                if ui
                    .button("Reset view")
                    .on_hover_text("Show all the data again after zooming or moving.")
                    .clicked()
                {
                    ui.ctx().data_mut(|d| d.insert_temp(reset_key, true));
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(
                                "Drag to move · Ctrl+scroll to zoom · right-drag to zoom to a \
                                 box · double-click to reset",
                            )
                            .small()
                            .weak(),
                        )
                        .truncate(),
                    );
                });
            },
        );
    }
}

/// The "Export" menu of a plot: its picture as PNG, the data it shows as CSV. `table` is
/// only called when the data is saved (a long curve is written out then, not every frame).
fn export_menu(
    ui: &mut egui::Ui,
    commands: &mut Vec<Command>,
    title: &str,
    plot_id: Id,
    has_data: bool,
    table: impl FnOnce() -> Arc<PlotTable>,
) {
    let mut table = Some(table);
    ui.menu_button("Export", |ui| {
        for format in [ExportFormat::Png, ExportFormat::Csv] {
            let enabled = format == ExportFormat::Png || has_data;
            let button = ui.add_enabled(enabled, egui::Button::new(format.menu_label()));
            if button.clicked()
                && let Some(table) = table.take()
            {
                commands.push(Command::ExportPlotDialog(PlotExport {
                    title: title.to_string(),
                    plot_id,
                    format,
                    table: table(),
                }));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("Save this plot as a picture, or the data it shows as a table.");
}

/// Under a plot drawn with its own `egui_plot::Plot` rather than a [`PlotPanel`], in the
/// vertical `ui` the plot was just added to: remember where the plot is on screen, with its
/// axes (what a PNG export crops), and offer the "Export" menu at its right edge. `plot_id` is
/// the id given to the plot with `Plot::id`, `plot_frame` the rect of its response; `table`
/// makes the data the CSV holds, when it is saved.
pub fn export_row(
    ui: &mut egui::Ui,
    commands: &mut Vec<Command>,
    title: &str,
    plot_id: Id,
    plot_frame: egui::Rect,
    table: impl FnOnce() -> PlotTable,
) {
    // The frame without the axes' labels: widen it to the left edge of the column and down to
    // the x axis' labels.
    let whole = egui::Rect::from_min_max(
        egui::pos2(
            ui.min_rect().left().min(plot_frame.left()),
            plot_frame.top(),
        ),
        egui::pos2(
            plot_frame.right(),
            ui.min_rect().bottom().max(plot_frame.bottom()),
        ),
    );
    let rect = whole.intersect(ui.clip_rect());
    ui.ctx()
        .data_mut(|d| d.insert_temp(plot_id.with("export_rect"), rect));
    ui.allocate_ui_with_layout(
        egui::vec2(whole.width(), ui.spacing().interact_size.y),
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            export_menu(ui, commands, title, plot_id, true, || Arc::new(table()));
            // Fill the row, so the menu sits at the plot's right edge.
            ui.add_space(ui.available_width());
        },
    );
}

fn hover_text(
    position: &HoverPosition<'_>,
    x: &AxisSpec,
    y: &AxisSpec,
    labels: Option<&HoverLabels>,
    elsewhere: bool,
) -> Option<String> {
    match position {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            index,
        } => {
            if let Some(text) = labels
                .and_then(|l| l.get(*plot_name))
                .and_then(|texts| texts.get(*index))
            {
                return Some(text.clone());
            }
            let mut lines = Vec::new();
            if !plot_name.is_empty() {
                lines.push((*plot_name).to_string());
            }
            lines.push(axis_line(x, position.x));
            lines.push(axis_line(y, position.y));
            Some(lines.join("\n"))
        }
        HoverPosition::Elsewhere { position } => {
            elsewhere.then(|| format!("{}\n{}", axis_line(x, position.x), axis_line(y, position.y)))
        }
    }
}

fn axis_line(axis: &AxisSpec, value: f64) -> String {
    let text = axis.format.format(value);
    if axis.name.is_empty() {
        text
    } else {
        format!("{}: {text}", axis.name)
    }
}

/// The legend of every plot: in a corner, over a mostly opaque background, in insertion order.
pub fn legend(corner: Corner) -> Legend {
    Legend::default()
        .position(corner)
        .background_alpha(0.85)
        .follow_insertion_order(true)
        .text_style(egui::TextStyle::Small)
}

/// The colour of the n-th series (Okabe–Ito, colour-blind safe). Yellow is skipped in the
/// light theme, where it is hard to see on white.
pub fn series_color(index: usize, dark: bool) -> Color32 {
    if dark {
        theme::series_color(index)
    } else {
        theme::SERIES[index % (theme::SERIES.len() - 1)]
    }
}

/// A see-through version of `color` for bands and shaded areas.
pub fn fill_color(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.28 } else { 0.2 })
}

/// A colour for reference lines (zero, "no change") that reads in both themes.
pub fn reference_color(dark: bool) -> Color32 {
    theme::reference_color(dark)
}

/// Markers for ML metrics and for business metrics, so the two are told apart without colour.
pub fn metric_marker(business: bool) -> MarkerShape {
    if business {
        MarkerShape::Diamond
    } else {
        MarkerShape::Circle
    }
}

/// A small painted marker (circle for ML metrics, diamond for business metrics) to use in text
/// rows, matching [`metric_marker`] in the plots.
pub fn marker_icon_ui(ui: &mut egui::Ui, business: bool, color: Color32) -> egui::Response {
    let size = egui::vec2(12.0, 12.0);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let c = rect.center();
    let r = 4.5;
    if business {
        let points = vec![
            c + egui::vec2(0.0, -r - 1.0),
            c + egui::vec2(r + 1.0, 0.0),
            c + egui::vec2(0.0, r + 1.0),
            c + egui::vec2(-r - 1.0, 0.0),
        ];
        ui.painter()
            .add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
    } else {
        ui.painter().circle_filled(c, r, color);
    }
    response
}

/// A row of coloured markers with names, above a plot whose in-plot legend would hide data.
pub fn legend_row_ui(ui: &mut egui::Ui, entries: &[(String, Color32)]) {
    ui.horizontal_wrapped(|ui| {
        for (name, color) in entries {
            ui.spacing_mut().item_spacing.x = 4.0;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
            ui.painter().line_segment(
                [rect.left_center(), rect.right_center()],
                Stroke::new(2.5, *color),
            );
            ui.painter().circle_filled(rect.center(), 4.0, *color);
            ui.label(name.as_str());
            ui.add_space(theme::SPACE_XL);
        }
    });
}

/// A key for the two markers: "◆ business metric  ● ML metric", painted.
pub fn metric_key_ui(ui: &mut egui::Ui) {
    let color = ui.visuals().text_color();
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        marker_icon_ui(ui, true, color);
        ui.label(egui::RichText::new("business metric").small());
        ui.add_space(theme::SPACE_L);
        marker_icon_ui(ui, false, color);
        ui.label(egui::RichText::new("ML metric").small());
    });
}

/// An estimate with its interval, drawn horizontally at height `y`: a line from `lo` to `hi`
/// with end caps (the "whisker"). Not hoverable: hover the estimate's point instead.
pub fn interval_h(
    plot_ui: &mut PlotUi<'_>,
    name: &str,
    y: f64,
    (lo, hi): (f64, f64),
    cap_half_height: f64,
    color: Color32,
) {
    if !(lo.is_finite() && hi.is_finite()) {
        return;
    }
    let stroke = Stroke::new(2.0, color);
    let segments = [
        vec![[lo, y], [hi, y]],
        vec![[lo, y - cap_half_height], [lo, y + cap_half_height]],
        vec![[hi, y - cap_half_height], [hi, y + cap_half_height]],
    ];
    for points in segments {
        plot_ui.line(
            Line::new(name, PlotPoints::from(points))
                .stroke(stroke)
                .allow_band(false)
                .allow_hover(false),
        );
    }
}

/// A vertical interval at `x` (for plots whose estimates run along the x axis).
pub fn interval_v(
    plot_ui: &mut PlotUi<'_>,
    name: &str,
    x: f64,
    (lo, hi): (f64, f64),
    cap_half_width: f64,
    color: Color32,
) {
    if !(lo.is_finite() && hi.is_finite()) {
        return;
    }
    let stroke = Stroke::new(2.0, color);
    let segments = [
        vec![[x, lo], [x, hi]],
        vec![[x - cap_half_width, lo], [x + cap_half_width, lo]],
        vec![[x - cap_half_width, hi], [x + cap_half_width, hi]],
    ];
    for points in segments {
        plot_ui.line(
            Line::new(name, PlotPoints::from(points))
                .stroke(stroke)
                .allow_band(false)
                .allow_hover(false),
        );
    }
}

/// A shaded band between `lower` and `upper` over `xs` (e.g. a confidence band).
pub fn band(
    name: &str,
    xs: &[f64],
    lower: &[f64],
    upper: &[f64],
    color: Color32,
    dark: bool,
) -> FilledArea {
    FilledArea::new(name, xs, lower, upper)
        .fill_color(fill_color(color, dark))
        .stroke(Stroke::NONE)
        .allow_hover(false)
}

/// A dashed vertical marker (e.g. a deployment date), named in the legend.
pub fn marker_line(name: &str, x: f64, color: Color32) -> VLine {
    VLine::new(name, x)
        .color(color)
        .width(1.5)
        .style(LineStyle::dashed_loose())
}

/// A ring drawn around a highlighted point (the experiment hovered or selected elsewhere).
pub fn highlight_ring(point: [f64; 2], color: Color32) -> Points<'static> {
    Points::new("", vec![point])
        .shape(MarkerShape::Circle)
        .filled(false)
        .radius(9.0)
        .color(color)
        .allow_hover(false)
}

/// The visible x range and the plot's width in physical pixels in the last frame, from the
/// plot's memory; `None` before the plot was first shown.
pub fn last_view(ctx: &egui::Context, plot_id: Id) -> Option<(f64, f64, usize)> {
    let memory = PlotMemory::load(ctx, plot_id)?;
    let transform = memory.transform();
    let bounds = transform.bounds();
    let width_px = transform.frame().width() * ctx.pixels_per_point();
    let (lo, hi) = (bounds.min()[0], bounds.max()[0]);
    (lo.is_finite() && hi.is_finite() && lo < hi).then_some((lo, hi, width_px.max(1.0) as usize))
}

/// The points of `series` to draw in the plot `plot_id` this frame: reduced to the last
/// frame's visible range and width (the whole series on 1 000 columns before the first frame).
/// Cheap whatever the series' length; call it before `PlotPanel::show`.
pub fn reduced_points(ctx: &egui::Context, plot_id: Id, series: &ReducibleSeries) -> Vec<[f64; 2]> {
    let Some((x0, x1)) = series.x_range() else {
        return Vec::new();
    };
    match last_view(ctx, plot_id) {
        Some((lo, hi, columns)) => series.reduce(lo, hi, columns),
        None => series.reduce(x0, x1, 1000),
    }
}

/// The index of the point nearest to the pointer within `radius` points on screen, from a
/// shown plot's response (for highlighting the same item in linked plots).
pub fn hovered_index<R>(
    response: &PlotResponse<R>,
    points: &[[f64; 2]],
    radius: f32,
) -> Option<usize> {
    let pointer = response.response.hover_pos()?;
    let mut best: Option<(usize, f32)> = None;
    for (i, &[x, y]) in points.iter().enumerate() {
        let pos = response
            .transform
            .position_from_point(&egui_plot::PlotPoint::new(x, y));
        let d = pos.distance(pointer);
        if d <= radius && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

/// The index of the point nearest in x to the pointer (for plots whose points are spread
/// along x, such as one point per experiment).
pub fn hovered_x_index<R>(response: &PlotResponse<R>, xs: &[f64]) -> Option<usize> {
    let pointer = response.response.hover_pos()?;
    let x = response.transform.value_from_position(pointer).x;
    xs.iter()
        .enumerate()
        .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(ValueFormat::Number.format(0.912_345_67), "0.912346");
        assert_eq!(ValueFormat::Number.format(-1_234_567.891), "−1,234,568");
        assert_eq!(ValueFormat::SignedPercent.format(0.0412), "+4.12%");
        assert_eq!(ValueFormat::SignedPercent.format(-0.005), "−0.5%");
        assert_eq!(ValueFormat::Percent.format(0.25), "25%");
        assert_eq!(ValueFormat::Date.format(20_513.0), "2026-03-01");
        let names: Arc<[String]> = vec!["a".to_string(), "b".to_string()].into();
        assert_eq!(ValueFormat::Category(names.clone()).format(1.0), "b");
        assert_eq!(ValueFormat::Category(names).format(2.0), "");
    }

    #[test]
    fn date_marks_fall_on_calendar_boundaries() {
        // 2026-01-01 to 2026-04-30: first days of months.
        let marks = date_marks(20_454.0, 20_573.0, 8);
        let labels: Vec<String> = marks
            .iter()
            .map(|m| date_tick(m.value, m.step_size, 0.0))
            .collect();
        assert_eq!(labels, ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]);
        // Six weeks: Mondays.
        let weeks = date_marks(20_454.0, 20_494.0, 8);
        assert!(
            weeks
                .iter()
                .all(|m| (m.value as i64 - 4).rem_euclid(7) == 0)
        );
        assert!(date_marks(20_454.0, 20_454.0 + 6.0, 8).len() >= 6);
        assert!(date_marks(0.0, 365.0 * 30.0, 8).len() <= 8);
        // A narrow plot gets fewer marks: every other month.
        assert_eq!(date_marks(20_454.0, 20_573.0, 2).len(), 2);
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut t = PlotTable::new(&["name", "value"]);
        t.push(vec!["plain".into(), PlotTable::num(0.1)]);
        t.push(vec!["with, comma".into(), PlotTable::opt(None)]);
        t.push(vec!["say \"hi\"".into(), PlotTable::num(f64::NAN)]);
        assert_eq!(
            t.to_csv(),
            "name,value\r\nplain,0.1\r\n\"with, comma\",\r\n\"say \"\"hi\"\"\",\r\n"
        );
    }

    #[test]
    fn export_file_names_come_from_titles() {
        let e = PlotExport {
            title: "Lift per metric".into(),
            plot_id: Id::unique("x"),
            format: ExportFormat::Png,
            table: Arc::default(),
        };
        assert_eq!(e.suggested_file_name(), "lift-per-metric.png");
    }
}
