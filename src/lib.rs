//! Throughline: trace the line from a business objective to an ML objective and back, with
//! evidence.
//!
//! Layers (DESIGN.md): `model`, `analysis`, `data` and `io` never import egui; `app` holds the
//! eframe application, its commands and background jobs; `ui` draws pages from state and emits
//! commands; `cli` runs the same core without a window.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod data;
pub mod format;
pub mod io;
pub mod model;
pub mod ui;
