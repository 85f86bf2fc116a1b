//! Plot items and colours shared by every chart: the legend, series and reference colours, metric
//! markers, interval whiskers, bands and marker lines, and the helpers for large series and linked
//! highlighting.

use egui::{Color32, Id, Stroke};
use egui_plot::{
    Corner, FilledArea, Legend, Line, LineStyle, MarkerShape, PlotMemory, PlotPoints, PlotResponse,
    PlotUi, Points, VLine,
};

use crate::analysis::series::ReducibleSeries;
use crate::ui::theme;

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

/// The line pattern of the n-th series (solid, long dashes, dots, short dashes, …), so that
/// series differ by more than colour. Legend rows draw the same pattern.
pub fn series_dash(index: usize) -> LineStyle {
    match index % 6 {
        0 => LineStyle::Solid,
        1 => LineStyle::Dashed { length: 12.0 },
        2 => LineStyle::Dotted { spacing: 6.0 },
        3 => LineStyle::Dashed { length: 5.0 },
        4 => LineStyle::Dotted { spacing: 10.0 },
        _ => LineStyle::Dashed { length: 20.0 },
    }
}

/// The line pattern that goes with a series colour of the palette (see [`series_dash`]); solid
/// for any other colour.
pub fn dash_for(color: Color32) -> LineStyle {
    theme::SERIES
        .iter()
        .position(|c| *c == color)
        .map_or(LineStyle::Solid, series_dash)
}

/// Draw a short horizontal sample of a line in `style` (for legends in text rows).
fn line_sample(
    painter: &egui::Painter,
    from: egui::Pos2,
    to: egui::Pos2,
    style: LineStyle,
    stroke: Stroke,
) {
    let points = [from, to];
    match style {
        LineStyle::Solid => {
            painter.line_segment(points, stroke);
        }
        LineStyle::Dashed { length } => {
            painter.extend(egui::Shape::dashed_line(
                &points,
                stroke,
                length * 0.5,
                length * 0.35,
            ));
        }
        LineStyle::Dotted { spacing } => {
            painter.extend(egui::Shape::dotted_line(
                &points,
                stroke.color,
                spacing * 0.5,
                stroke.width * 0.6,
            ));
        }
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
            let (rect, _) = ui.allocate_exact_size(egui::vec2(26.0, 12.0), egui::Sense::hover());
            line_sample(
                ui.painter(),
                rect.left_center(),
                rect.right_center(),
                dash_for(*color),
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
    // The whisker carries the series' line pattern, so series differ by more than colour.
    let segments = [
        (vec![[lo, y], [hi, y]], dash_for(color)),
        (
            vec![[lo, y - cap_half_height], [lo, y + cap_half_height]],
            LineStyle::Solid,
        ),
        (
            vec![[hi, y - cap_half_height], [hi, y + cap_half_height]],
            LineStyle::Solid,
        ),
    ];
    for (points, style) in segments {
        plot_ui.line(
            Line::new(name, PlotPoints::from(points))
                .stroke(stroke)
                .style(style)
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
