//! Charts of the HTML report, drawn as inline SVG by plotters. Plotters escapes the text it
//! writes into the SVG.

use crate::format;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Chart, LiftChart, LinkChart, TargetBar, ThresholdChart};

const WIDTH: u32 = 760;
const FONT_SIZE: u32 = 17;
const FONT: &str = "sans-serif";
const BLUE: RGBColor = RGBColor(0, 114, 178);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const GREY: RGBColor = RGBColor(120, 128, 140);
const INK: RGBColor = RGBColor(29, 36, 48);
const GRID: RGBColor = RGBColor(225, 229, 235);

/// The kind of chart, as a CSS class.
pub fn kind(chart: &Chart) -> &'static str {
    match chart {
        Chart::TargetChange(_) => "target-change",
        Chart::Lift(_) => "lift",
        Chart::ThresholdValue(_) => "threshold-value",
        Chart::Link(_) => "link",
    }
}

/// A short description of the chart, for its accessible label.
pub fn title(chart: &Chart) -> String {
    match chart {
        Chart::TargetChange(_) => "How far each target is from today's baseline".to_string(),
        Chart::Lift(c) => c.title.clone(),
        Chart::ThresholdValue(c) => c.title.clone(),
        Chart::Link(c) => c.title.clone(),
    }
}

/// The chart as an SVG element; `None` if there is nothing to draw or drawing failed.
pub fn svg(chart: &Chart) -> Option<String> {
    let mut out = String::new();
    let drawn = match chart {
        Chart::TargetChange(bars) if !bars.is_empty() => target_svg(&mut out, bars),
        Chart::Lift(lift) if !lift.rows.is_empty() => lift_svg(&mut out, lift),
        Chart::ThresholdValue(t) if t.points.len() >= 2 => threshold_svg(&mut out, t),
        Chart::Link(link) if link.points.len() >= 2 => link_svg(&mut out, link),
        _ => return None,
    };
    drawn.ok()?;
    // Let the page scale the chart: keep the view box, drop the fixed size.
    Some(responsive(&out))
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn responsive(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>') else {
        return svg.to_string();
    };
    let tag = &svg[start..start + end];
    let size = |attr: &str| {
        let key = format!("{attr}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')?;
        Some(tag[i..i + j].to_string())
    };
    let (Some(w), Some(h)) = (size("width"), size("height")) else {
        return svg.to_string();
    };
    let new_tag = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMinYMin meet\""
    );
    format!("{}{}{}", &svg[..start], new_tag, &svg[start + end..])
}

fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The width of a character of chart text, generously: plotters writes `FONT_SIZE` 17 as
/// 13.7 px, where DejaVu Sans (the common Linux sans-serif, wider than Arial or Helvetica)
/// averages about 8 px a character.
const CHAR_PX: f64 = 8.5;

/// Room for the row labels, so that the longest label (at most 34 characters, see `shorten`)
/// is never cut at the chart's left edge.
fn label_width(labels: &[String]) -> u32 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4);
    ((longest as f64 * CHAR_PX) as u32 + 16).clamp(60, 310)
}

/// A symmetric-ish range around the values that always includes 0, with some padding.
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let span = (hi - lo).max(1e-9);
    (lo - span * 0.12, hi + span * 0.12)
}

/// The coordinates of a chart with one labelled row per bar or interval.
type RowsCoord = Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordi32>>;

/// A chart with one row per label (the first label at the bottom, as plotters counts) and x from
/// `lo` to `hi` in percent, with its grid, axes and axis labels drawn.
fn rows_chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    labels: &[String],
    (lo, hi): (f64, f64),
    x_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, RowsCoord>, Box<dyn std::error::Error>> {
    let n = labels.len() as i32;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(48)
        .y_label_area_size(label_width(labels))
        .build_cartesian_2d(lo..hi, (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .x_desc(x_desc)
        // A tick label ("−20%") every 80 px at most, so that they never run together.
        .x_labels((plot_width(labels) / 80.0) as usize)
        .x_label_formatter(&|x| format!("{}%", format::number(*x)))
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, FONT_SIZE, &INK))
        .axis_desc_style((FONT, FONT_SIZE, &GREY))
        .draw()?;
    Ok(chart)
}

fn target_svg(out: &mut String, bars: &[TargetBar]) -> DrawResult {
    // The first objective at the top: plotters counts rows from the bottom.
    let labels: Vec<String> = bars.iter().rev().map(|b| shorten(&b.label, 34)).collect();
    let height = 56 + 38 * bars.len() as u32;
    let root = SVGBackend::with_string(out, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (lo, hi) = padded_range(bars.iter().map(|b| b.relative_change * 100.0));
    let hi = room_for_readings(bars, &labels, lo, hi);
    let mut chart = rows_chart(
        &root,
        &labels,
        (lo, hi),
        "Target versus today (%): blue moves the metric the right way",
    )?;
    chart.draw_series(bars.iter().rev().enumerate().map(|(i, b)| {
        let colour = if b.is_better() { BLUE } else { VERMILLION };
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i as i32)),
                (b.relative_change * 100.0, SegmentValue::Exact(i as i32 + 1)),
            ],
            colour.filled(),
        );
        bar.set_margin(7, 7, 0, 0);
        bar
    }))?;
    chart.draw_series(bars.iter().rev().enumerate().map(|(i, b)| {
        // Labels go right of the bar end, or right of zero for a bar that points left, so
        // they never run into the axis labels.
        let x = (b.relative_change * 100.0).max(0.0) + (hi - lo) * 0.01;
        Text::new(
            b.reading(),
            (x, SegmentValue::CenterOf(i as i32)),
            (FONT, FONT_SIZE)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )
    }))?;
    root.present()?;
    Ok(())
}

/// Width in px of the plotting area of a rows chart with these labels.
fn plot_width(labels: &[String]) -> f64 {
    f64::from(WIDTH.saturating_sub(label_width(labels) + 24).max(100))
}

/// The right end of a target chart's x range, far enough that every bar's reading ("+77.8%
/// (higher is better)", written right of the bar's end or of zero) fits inside the chart.
fn room_for_readings(bars: &[TargetBar], labels: &[String], lo: f64, hi: f64) -> f64 {
    let plot = plot_width(labels);
    let gap = (hi - lo) * 0.01;
    bars.iter().fold(hi, |hi, b| {
        let start = (b.relative_change * 100.0).max(0.0) + gap;
        // The reading's share of the plot's width.
        let share = ((b.reading().chars().count() as f64 * CHAR_PX + 8.0) / plot).min(0.75);
        // start + share * (hi - lo) <= hi
        hi.max((start - share * lo) / (1.0 - share))
    })
}

fn lift_svg(out: &mut String, lift: &LiftChart) -> DrawResult {
    let labels: Vec<String> = lift
        .rows
        .iter()
        .rev()
        .map(|r| shorten(&r.label, 34))
        .collect();
    // Never a thin strip: one or two rows still get a chart a slide can show.
    let height = (56 + 32 * lift.rows.len() as u32).max(150);
    let root = SVGBackend::with_string(out, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (lo, hi) = padded_range(
        lift.rows
            .iter()
            .flat_map(|r| [r.low * 100.0, r.high * 100.0, r.estimate * 100.0]),
    );
    let x_desc = format!(
        "Lift versus control (%), with {}% intervals",
        format::confidence_level(1.0 - lift.ci_level_pct / 100.0)
    );
    let mut chart = rows_chart(&root, &labels, (lo, hi), &x_desc)?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Last)],
        GREY.stroke_width(1),
    )))?;
    for (i, row) in lift.rows.iter().rev().enumerate() {
        // Blue where the interval excludes no change; grey where the data cannot tell.
        let colour = if row.low > 0.0 || row.high < 0.0 {
            BLUE
        } else {
            GREY
        };
        let y = SegmentValue::CenterOf(i as i32);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(row.low * 100.0, y.clone()), (row.high * 100.0, y.clone())],
            colour.stroke_width(3),
        )))?;
        chart.draw_series(std::iter::once(Circle::new(
            (row.estimate * 100.0, y),
            5,
            colour.filled(),
        )))?;
    }
    root.present()?;
    Ok(())
}

fn threshold_svg(out: &mut String, t: &ThresholdChart) -> DrawResult {
    let root = SVGBackend::with_string(out, (WIDTH, 260)).into_drawing_area();
    root.fill(&WHITE)?;
    let (x_lo, x_hi) = extent(t.points.iter().map(|p| p.0));
    let (y_lo, y_hi) = extent(t.points.iter().map(|p| p.1));
    let x_pad = ((x_hi - x_lo) * 0.02).max(1e-9);
    // Room above the curve for the markers' labels.
    let y_pad = ((y_hi - y_lo) * 0.1).max(1e-9);
    let y_top_pad = ((y_hi - y_lo) * 0.25).max(1e-9);
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(76)
        .build_cartesian_2d(
            (x_lo - x_pad)..(x_hi + x_pad),
            (y_lo - y_pad)..(y_hi + y_top_pad),
        )?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .x_desc("Decision threshold (flag when the score is at least this)")
        .y_desc("Business value")
        .x_label_formatter(&|x| format::number(*x))
        .y_label_formatter(&|y| format::number(*y))
        .label_style((FONT, FONT_SIZE, &INK))
        .axis_desc_style((FONT, FONT_SIZE, &GREY))
        .draw()?;
    chart.draw_series(LineSeries::new(
        t.points.iter().copied(),
        BLUE.stroke_width(2),
    ))?;
    let marker = |point: (f64, f64), colour: RGBColor, text: String| {
        EmptyElement::at(point)
            + Circle::new((0, 0), 6, colour.filled())
            + Text::new(text, (9, -22), (FONT, FONT_SIZE).into_font().color(&INK))
    };
    if let Some((x, y)) = t.best_f1 {
        chart.draw_series(std::iter::once(marker(
            (x, y),
            ORANGE,
            format!("best F1 ({})", format::number(x)),
        )))?;
    }
    if let Some((x, y)) = t.best_value {
        chart.draw_series(std::iter::once(marker(
            (x, y),
            VERMILLION,
            format!("most value ({})", format::number(x)),
        )))?;
    }
    root.present()?;
    Ok(())
}

/// The smallest and largest finite value (infinite bounds when there is none).
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// The smallest and largest finite value, padded by a share of the span (or by 1 when all
/// values are equal).
fn padded_extent(values: impl Iterator<Item = f64>, share: f64) -> (f64, f64) {
    let (lo, hi) = extent(values);
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * share } else { 1.0 };
    (lo - pad, hi + pad)
}

fn link_svg(out: &mut String, link: &LinkChart) -> DrawResult {
    let root = SVGBackend::with_string(out, (WIDTH, 300)).into_drawing_area();
    root.fill(&WHITE)?;
    let (x_lo, x_hi) = padded_extent(link.points.iter().map(|p| p.0), 0.06);
    let (y_lo, y_hi) = padded_extent(link.points.iter().map(|p| p.1), 0.1);
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(76)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .x_desc(format!("{} (ML metric)", shorten(&link.x_label, 40)))
        .y_desc(shorten(&link.y_label, 36))
        .x_label_formatter(&|x| format::number(*x))
        .y_label_formatter(&|y| format::number(*y))
        .label_style((FONT, FONT_SIZE, &INK))
        .axis_desc_style((FONT, FONT_SIZE, &GREY))
        .draw()?;
    if let Some((intercept, slope)) = link.fit {
        chart.draw_series(LineSeries::new(
            [x_lo, x_hi].map(|x| (x, intercept + slope * x)),
            ORANGE.stroke_width(2),
        ))?;
    }
    chart.draw_series(
        link.points
            .iter()
            .map(|&(x, y)| Circle::new((x, y), 5, BLUE.filled())),
    )?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{LiftRow, ThresholdChart};
    use super::*;
    use crate::model::Direction;

    #[test]
    fn charts_are_svg_with_escaped_labels() {
        let svg = svg(&Chart::TargetChange(vec![TargetBar {
            label: "<b>churn</b> & \"more\"".into(),
            relative_change: -0.14,
            direction: Direction::LowerIsBetter,
        }]))
        .unwrap();
        assert!(svg.contains("<svg"));
        assert!(svg.contains("viewBox"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;churn"));

        let lift = svg_of_lift();
        assert!(lift.contains("<circle"));

        let t = super::svg(&Chart::ThresholdValue(ThresholdChart {
            title: "t".into(),
            points: vec![(0.1, -5.0), (0.5, 10.0), (0.9, 2.0)],
            best_value: Some((0.5, 10.0)),
            best_f1: Some((0.9, 2.0)),
        }))
        .unwrap();
        assert!(t.contains("most value"));

        let link = super::svg(&Chart::Link(LinkChart {
            title: "l".into(),
            x_label: "auc <x>".into(),
            y_label: "churn".into(),
            points: vec![(0.70, 4.4), (0.75, 4.2), (0.80, 3.9)],
            fit: Some((7.9, -5.0)),
        }))
        .unwrap();
        assert_eq!(link.matches("<circle").count(), 3, "a point per experiment");
        assert!(link.contains("<polyline"), "the fitted line");
        assert!(link.contains("auc &lt;x&gt;"));
    }

    /// Every text of a target chart fits inside it: the longest row label on the left, and
    /// each bar's reading on the right, even for the longest bar.
    #[test]
    fn target_labels_and_readings_fit_inside_the_chart() {
        let bars = vec![
            TargetBar {
                label: "Revenue kept by retention offers in every region".into(),
                relative_change: 0.778,
                direction: Direction::HigherIsBetter,
            },
            TargetBar {
                label: "Monthly churn".into(),
                relative_change: -0.143,
                direction: Direction::LowerIsBetter,
            },
            TargetBar {
                label: "Support tickets".into(),
                relative_change: 2.5,
                direction: Direction::LowerIsBetter,
            },
        ];
        let svg = svg(&Chart::TargetChange(bars)).unwrap();
        let mut checked = 0;
        for text in svg.split("<text ").skip(1) {
            let attr = |name: &str| {
                let key = format!("{name}=\"");
                let i = text.find(&key)? + key.len();
                Some(text[i..i + text[i..].find('"')?].to_string())
            };
            let x: f64 = attr("x").unwrap().parse().unwrap();
            let content = text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()].trim();
            let width = content.chars().count() as f64 * CHAR_PX;
            match attr("text-anchor").as_deref() {
                Some("end") => assert!(x - width >= 0.0, "{content:?} is cut on the left"),
                Some("middle") => {}
                _ => assert!(
                    x + width <= f64::from(WIDTH),
                    "{content:?} at {x} is cut on the right"
                ),
            }
            checked += 1;
        }
        assert!(svg.contains("(higher is better)") && checked > 6);
    }

    fn svg_of_lift() -> String {
        svg(&Chart::Lift(LiftChart {
            title: "x".into(),
            ci_level_pct: 95.0,
            rows: vec![LiftRow {
                label: "revenue: b".into(),
                estimate: 0.03,
                low: 0.01,
                high: 0.05,
            }],
        }))
        .unwrap()
    }

    #[test]
    fn nothing_to_draw_gives_none() {
        assert!(svg(&Chart::TargetChange(Vec::new())).is_none());
    }
}
