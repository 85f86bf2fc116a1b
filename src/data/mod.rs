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
//!
//! For the Data page: [`import_file`] (dataset with detected roles, shape and fingerprint, plus
//! a [`Preview`]), [`file_stats`] (missing counts, minimum and maximum over the whole file, on
//! a worker), [`rows_page`] (more rows as the preview table scrolls), [`check_link`] and
//! [`relink`] (missing or changed files), and [`summary_sql`] (the warehouse query).

mod detect;
mod error;
mod excel;
mod footer_check;
mod link;
mod preview;
mod roles;
mod source;
mod warehouse;

pub use detect::{CsvDialect, TextEncoding, parse_number};
pub use error::{DataError, SUPPORTED};
pub use excel::sheet_names;
pub use link::{
    Imported, LinkStatus, Relinked, check_link, columns_with_role, dataset_path, find_moved,
    fingerprint, import_file, import_preview, relink, stored_path, unique_id,
};
pub use preview::{
    ColumnStats, EXAMPLE_VALUES, FileStats, PREVIEW_ROWS, Preview, PreviewColumn, RowCount,
    cell_text, dtype_words, file_stats, number_text, preview, rows_page, thousands,
};
pub use roles::{
    detect_roles, detect_shape, merge_roles, normalise_name, pre_experiment_column, role_fits,
    summary_part,
};
pub use source::{BatchSink, Cell, INFER_SCHEMA_ROWS, LoadProgress, MISSING_MARKERS, Source, scan};
pub use warehouse::{SqlDialect, SummaryQuery, WarehouseError, summary_sql};

pub mod aggregate;
