//! The `throughline` binary: parse the command line, then open the window or run a subcommand.

use std::process::ExitCode;

use clap::Parser as _;
use throughline::app::{APP_ID, AppOptions, ThroughlineApp};
use throughline::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => run_window(AppOptions::desktop(args.project)),
    }
}

fn run_window(options: AppOptions) -> ExitCode {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Throughline")
        .with_app_id("throughline")
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([720.0, 480.0])
        .with_drag_and_drop(true);
    if let Some(icon) = throughline::app::icon::window_icon() {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let native_options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport,
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_ID,
        native_options,
        Box::new(|cc| Ok(Box::new(ThroughlineApp::new(cc, options)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cli::print_error(&format!(
                "could not open the Throughline window: {e}. On Linux, make sure a display is \
                 available and the package libxkbcommon-x11-0 is installed."
            ));
            ExitCode::from(1)
        }
    }
}
