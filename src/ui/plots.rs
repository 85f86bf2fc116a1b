//! Shared plot helpers for the Evidence and What-if pages.
//!
//! One look for every plot: the colour-blind-safe palette of `theme`, a legend that can hide
//! series, axis names with units, hover labels with exact values, zoom (Ctrl+wheel), pan (drag)
//! and double-click reset, while the plain wheel scrolls the page; under each plot a row with "Export" (picture as PNG, data as CSV) and "Reset view".
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

mod axis;
mod chart_table;
mod marks;
mod table_view;

pub use axis::*;
pub use chart_table::{chart_table, chart_table_ui};
pub use marks::*;
pub use table_view::{SHOW_AS_TABLE, plot_table_ui, table_toggle_ui};

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use egui::{Color32, Id};
use egui_plot::{AxisHints, Corner, HoverPosition, Plot, PlotResponse, PlotUi};

use crate::app::Command;
pub use crate::app::plot_export::{ExportFormat, PlotExport, PlotTable, TableSeries};

use super::theme;

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
            let shown = plot.show(ui, build);
            // Screen readers name the plot by its title (its numbers: "Show as table").
            let title = self.title.clone();
            shown.response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Figure, true, format!("Plot: {title}"))
            });
            shown
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
            // The plain mouse wheel scrolls the page, also over a plot; Ctrl+wheel zooms
            // (egui turns it into a zoom, not a scroll) and dragging moves the view.
            .allow_scroll(false)
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
        let as_table = table_view::shows_table(ui.ctx(), self.id);
        let mut source = std::mem::replace(&mut self.table, TableSource::Ready(Arc::default()));
        // The table shown below the plot is made now (the export then uses the same one).
        let mut shown = None;
        if as_table {
            let table = match source {
                TableSource::Ready(table) => table,
                TableSource::Lazy(make) => Arc::new(make()),
            };
            shown = Some(Arc::clone(&table));
            source = TableSource::Ready(table);
        }
        let has_data = match &source {
            TableSource::Ready(table) => !table.is_empty(),
            TableSource::Lazy(_) => true,
        };
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
                table_view::table_toggle_ui(ui, self.id);
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(
                                "Wheel scrolls the page · Ctrl+wheel to zoom · drag to move · \
                                 right-drag to zoom to a box · double-click to reset",
                            )
                            .small()
                            .weak(),
                        )
                        .truncate(),
                    );
                });
            },
        );
        if let Some(table) = shown {
            ui.scope(|ui| {
                if let Some(width) = self.width {
                    ui.set_max_width(width);
                }
                plot_table_ui(ui, &table, self.id, &self.title);
            });
        }
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
}
