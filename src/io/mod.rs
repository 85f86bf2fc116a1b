//! Project files (RON), recovery copies and paths. No egui.

pub mod deck;
mod migrate;
mod paths;
mod project_file;
mod project_numbers;
mod recovery;
pub mod report;

pub(crate) use migrate::migrate;
pub use paths::*;
pub use project_file::*;
pub use recovery::*;
