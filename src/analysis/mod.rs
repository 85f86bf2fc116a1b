//! Pure statistics and what-if maths on plain slices and structs: no egui, no polars types.

mod results;
pub mod series;
pub mod whatif;

pub use results::*;
