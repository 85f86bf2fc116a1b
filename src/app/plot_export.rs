//! Saving a plot as a picture (a screenshot of the window cropped to the plot) or its data as
//! CSV. The file is encoded and written on a worker thread.
//!
//! The export types live here, not in `ui`: a page describes what to export (`PlotExport`, sent
//! in `Command::ExportPlotDialog`), and the app writes it; `ui::plots` re-exports them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use egui::Id;

use super::{
    ApplyResult, Command, DialogKind, Jobs, Messages, ThroughlineApp, file_label, file_name_for,
};
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
/// (`ui::plots` records it under this key while drawing.)
pub fn export_rect(ctx: &egui::Context, plot_id: Id) -> Option<egui::Rect> {
    ctx.data(|d| d.get_temp::<egui::Rect>(plot_id.with("export_rect")))
}

/// How long to wait for the window's screenshot before giving up.
const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(10);

impl ThroughlineApp {
    /// Run a command that exports the summary or a plot.
    pub(super) fn apply_export_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::ExportReportDialog(format) => {
                if let Some(doc) = &self.ws.doc {
                    let suggested_name =
                        format!("{}-summary", file_name_for(doc.project.display_name()));
                    self.dialogs.show(
                        ctx,
                        DialogKind::ExportReport {
                            format,
                            suggested_name,
                        },
                        self.start_dir(),
                    );
                }
            }
            Command::ExportReport(path) => self.export_report(&path),
            Command::ExportDeckDialog => {
                if let Some(doc) = &self.ws.doc {
                    let suggested_name =
                        format!("{}-deck", file_name_for(doc.project.display_name()));
                    self.dialogs.show(
                        ctx,
                        DialogKind::ExportDeck { suggested_name },
                        self.start_dir(),
                    );
                }
            }
            Command::ExportDeck(path) => self.export_deck(ctx, path),
            Command::ExportPlotDialog(export) => {
                self.dialogs
                    .show(ctx, DialogKind::ExportPlot(export), self.start_dir());
            }
            Command::ExportPlot { path, export } => {
                if export.format == ExportFormat::Png {
                    // Two more frames: the path prompt (or the dialog's backdrop) is gone.
                    self.pictures_waiting.push((2, path, export));
                    ctx.request_repaint();
                } else {
                    export_plot(ctx, &mut self.jobs, &mut self.ws.messages, path, export);
                }
            }
            _ => {}
        }
    }

    fn export_report(&mut self, path: &Path) {
        let Some(doc) = &self.ws.doc else { return };
        match crate::io::report::write_report(&doc.project, path) {
            Ok(format) => self.ws.messages.info(format!(
                "Exported the summary as {} to \"{}\".",
                format.label(),
                file_label(path)
            )),
            Err(e) => self.ws.messages.error(e.to_string()),
        }
    }

    /// Build the deck and write it as one HTML page, on a worker.
    fn export_deck(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(doc) = &self.ws.doc else { return };
        let project = doc.project.clone();
        let label = format!("Saving \"{}\"", display_name(&path));
        self.jobs.spawn(ctx, label, move |progress| {
            progress.set_message("Building the slides");
            let html = crate::io::deck::html::to_html(&crate::io::deck::build_deck(&project));
            progress.set_message("Writing the page");
            let result = crate::io::deck::html::write_deck(&html, &path);
            Box::new(move |ws| match result {
                Ok(()) => ws
                    .messages
                    .info(format!("Exported the deck to \"{}\".", path.display())),
                Err(e) => ws.messages.error(e.to_string()),
            })
        });
    }

    /// Take the plot pictures whose wait is over; keep the frames coming for the others.
    pub(super) fn take_waiting_pictures(&mut self, ctx: &egui::Context) {
        if self.pictures_waiting.is_empty() {
            return;
        }
        for (frames, _, _) in &mut self.pictures_waiting {
            *frames = frames.saturating_sub(1);
        }
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pictures_waiting)
            .into_iter()
            .partition(|(frames, _, _)| *frames == 0);
        self.pictures_waiting = waiting;
        for (_, path, export) in ready {
            export_plot(ctx, &mut self.jobs, &mut self.ws.messages, path, export);
        }
        if !self.pictures_waiting.is_empty() {
            ctx.request_repaint();
        }
    }
}

/// Save `export` to `path` (the right extension is added when missing).
pub fn export_plot(
    ctx: &egui::Context,
    jobs: &mut Jobs,
    messages: &mut Messages,
    path: PathBuf,
    export: PlotExport,
) {
    let path = with_extension(path, export.format.extension());
    let title = export.title.clone();
    let label = format!("Saving \"{}\"", display_name(&path));
    match export.format {
        ExportFormat::Csv => {
            let table = export.table;
            jobs.spawn(ctx, label, move |progress| {
                progress.set_message("Writing the table");
                let result = write_file(&path, table.to_csv().as_bytes());
                finish(result, &path, &title, "data")
            });
        }
        ExportFormat::Png => {
            let Some(rect) = export_rect(ctx, export.plot_id).filter(|r| r.area() > 0.0) else {
                messages.error(format!(
                    "The plot \"{title}\" is not on screen, so no picture of it can be taken. \
                     Scroll it into view and export it again."
                ));
                return;
            };
            let pixels_per_point = ctx.pixels_per_point();
            let (tx, rx) = channel();
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    let _ = tx.send(image);
                }),
            ));
            jobs.spawn(ctx, label, move |progress| {
                progress.set_message("Waiting for the picture of the window");
                let started = Instant::now();
                let image = loop {
                    match rx.recv_timeout(Duration::from_millis(100)) {
                        Ok(image) => break Some(image),
                        Err(RecvTimeoutError::Timeout)
                            if !progress.is_cancelled()
                                && started.elapsed() < SCREENSHOT_TIMEOUT =>
                        {
                            continue;
                        }
                        Err(_) => break None,
                    }
                };
                let result = match image {
                    Some(image) => {
                        progress.set_message("Encoding the picture");
                        let cropped = image.region(&rect, Some(pixels_per_point));
                        encode_png(&cropped).and_then(|bytes| write_file(&path, &bytes))
                    }
                    None if progress.is_cancelled() => Err("cancelled".to_string()),
                    None => Err("the window did not provide a picture of itself".to_string()),
                };
                finish(result, &path, &title, "picture")
            });
        }
    }
}

fn finish(result: Result<(), String>, path: &Path, title: &str, what: &str) -> ApplyResult {
    let path = path.to_path_buf();
    let title = title.to_string();
    let what = what.to_string();
    Box::new(move |ws| match result {
        Ok(()) => ws.messages.info(format!(
            "Saved the {what} of \"{title}\" to \"{}\".",
            path.display()
        )),
        Err(e) if e == "cancelled" => ws.messages.info("Export cancelled."),
        Err(e) => ws.messages.error(format!(
            "Could not save the {what} of \"{title}\" to \"{}\": {e}.",
            path.display()
        )),
    })
}

/// Encode an image as PNG bytes.
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, rgba)
        .ok_or_else(|| "the picture is empty".to_string())?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    buffer
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// Write through a temporary file beside the target and a rename, so a half-written file
/// never replaces a good one.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let file_name = display_name(path);
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            e.to_string()
        })
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn with_extension(path: PathBuf, extension: &str) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
    {
        path
    } else {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(extension);
        path.with_file_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
