//! Reading data files with polars and turning them into the plain inputs `analysis` takes.
//!
//! No egui here. Start with [`Source::open`] (or [`scan`] for a lazy frame): it recognises the
//! format from the extension and the content (CSV/TSV with delimiter, decimal-comma, header and
//! encoding sniffing; Parquet; NDJSON and JSON; Arrow IPC/Feather; Excel via calamine) and
//! reads the column names and types. Then read only the columns an analysis needs, in batches
//! with progress and cancel ([`Source::for_each_batch`], [`Source::read_columns`]), and turn a
//! column into numbers or text ([`Source::for_each_number`], [`Source::for_each_text`]).
//! Every failure is a [`DataError`] whose message is a plain sentence naming the file, column,
//! row and value.

mod detect;
mod error;
mod excel;
mod source;

pub use detect::{CsvDialect, TextEncoding, parse_number};
pub use error::{DataError, SUPPORTED};
pub use excel::sheet_names;
pub use source::{BatchSink, Cell, INFER_SCHEMA_ROWS, LoadProgress, MISSING_MARKERS, Source, scan};

pub mod aggregate;
