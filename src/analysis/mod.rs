//! Pure statistics and what-if maths on plain slices and structs: no egui, no polars types.
//!
//! The heart is [`SufficientStats`]: a few numbers per metric and variant, built one value at a
//! time, merged across chunks, or read from a summary-statistics row, from which every test of
//! [`analyze_experiment`] is computed. [`analyze_link`], [`threshold_curve`] and [`sample_size`]
//! serve the other subcommands; [`explain`] gives each statistic a one-sentence tooltip.

mod comoments;
pub mod cuped;
pub mod decision;
pub mod dist;
mod error;
mod experiment;
mod explain;
mod full;
mod link;
pub mod meta;
pub mod npv;
mod power;
pub mod ratio;
mod results;
pub mod segments;
pub mod series;
mod sufficient;
mod threshold;
pub mod verdict;
pub mod whatif;
pub mod york;

pub use comoments::PairSummary;
pub use error::AnalysisError;
pub use experiment::{
    ExperimentInput, MetricInput, analyze_experiment, holm, resolve_kind, sample_ratio_check,
    wilson,
};
pub use explain::{Statistic, explain};
pub use full::{
    FullInput, FullMetric, MetricSource, SegmentInput, SegmentMetricStats, SegmentsInput,
    analyze_full,
};
pub use link::{BandPoint, LineFit, analyze_link, average_ranks};
pub use power::{PowerInput, PowerMetric, sample_size};
pub use results::*;
pub use sufficient::SufficientStats;
pub use threshold::{MAX_CURVE_POINTS, ValueMatrix, threshold_curve};
