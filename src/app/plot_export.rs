//! Saving a plot as a picture (a screenshot of the window cropped to the plot) or its data as
//! CSV. The file is encoded and written on a worker thread.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use super::{ApplyResult, Jobs, Messages};
use crate::ui::plots::{self, ExportFormat, PlotExport};

/// How long to wait for the window's screenshot before giving up.
const SCREENSHOT_TIMEOUT: Duration = Duration::from_secs(10);

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
            let Some(rect) = plots::export_rect(ctx, export.plot_id).filter(|r| r.area() > 0.0)
            else {
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
