//! An opened data file and the reader that hands its needed columns to a sink.

use std::path::Path;

use super::csv_scan::{self, Dialect, Sink};
use super::{AggregateError, ReadControl, polars_path};
use crate::data::{DataError, Source, TextEncoding, detect};
use crate::model::{FileFormat, ImportOptions};

// ----- sources -----

/// Which reader turns a CSV or TSV file into statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadEngine {
    /// The streaming parallel reader for UTF-8 CSV/TSV, polars batches for everything else.
    #[default]
    Auto,
    /// polars batches for every format (slower on CSV; kept to compare the two).
    Polars,
}

/// An opened data file and how its rows will be read.
pub(super) struct Opened {
    pub(super) path: std::path::PathBuf,
    pub(super) label: String,
    columns: Vec<String>,
    decimal_comma: bool,
    skip_bad_rows: bool,
    reader: Reader,
}

enum Reader {
    /// The streaming reader (UTF-8 CSV/TSV): polars is not involved at all.
    Fast {
        dialect: Dialect,
        header: csv_scan::Header,
    },
    /// The importer's batches (every other file).
    Batches(Box<Source>),
}

impl Opened {
    pub(super) fn open(
        path: &Path,
        options: &ImportOptions,
        engine: ReadEngine,
    ) -> Result<Self, AggregateError> {
        if engine == ReadEngine::Auto
            && let Some(fast) = Self::open_fast(path, options)?
        {
            return Ok(fast);
        }
        let source = Source::open(path, options)?;
        Ok(Self {
            path: path.to_owned(),
            label: source.file_name(),
            columns: source.column_names(),
            decimal_comma: source.decimal_comma(),
            skip_bad_rows: options.skip_bad_rows,
            reader: Reader::Batches(Box::new(source)),
        })
    }

    /// A UTF-8 CSV/TSV file, recognised exactly as the importer does (same format detection
    /// and dialect sniffing), with the header read here. `None` for other files, and for
    /// headers whose column names the importer would rewrite (empty or repeated names).
    fn open_fast(path: &Path, options: &ImportOptions) -> Result<Option<Self>, AggregateError> {
        let head = detect::read_head(path)?;
        let format = detect::detect_format(path, &head)?;
        if !matches!(format, FileFormat::Csv | FileFormat::Tsv) {
            return Ok(None);
        }
        let sniffed = detect::sniff_csv(path, &head, format, options)?;
        if !matches!(sniffed.encoding, TextEncoding::Utf8 | TextEncoding::Utf8Bom) {
            return Ok(None);
        }
        let label = crate::data::error::file_name(path);
        let dialect = Dialect {
            delimiter: sniffed.delimiter,
            decimal_comma: sniffed.decimal_comma,
            has_header: sniffed.has_header,
        };
        let Ok(header) = csv_scan::read_header(&label, &head.bytes, &dialect) else {
            return Ok(None);
        };
        let mut seen = std::collections::HashSet::new();
        if header
            .names
            .iter()
            .any(|n| n.is_empty() || !seen.insert(n.as_str()))
        {
            return Ok(None);
        }
        Ok(Some(Self {
            path: path.to_owned(),
            label,
            columns: header.names.clone(),
            decimal_comma: dialect.decimal_comma,
            skip_bad_rows: options.skip_bad_rows,
            reader: Reader::Fast { dialect, header },
        }))
    }

    pub(super) fn columns(&self) -> &[String] {
        &self.columns
    }

    pub(super) fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }

    pub(super) fn skip_bad_rows(&self) -> bool {
        self.skip_bad_rows
    }

    /// Reads the rows, handing the `needed` columns (distinct indices) to `sink`; returns the
    /// number of data rows.
    pub(super) fn scan<S: Sink>(
        &self,
        needed: &[usize],
        sink: &S,
        control: &ReadControl<'_>,
        combine: impl FnMut(S::Block) -> Result<(), AggregateError>,
    ) -> Result<u64, AggregateError> {
        let rows = match &self.reader {
            Reader::Fast { dialect, header } => {
                let file = csv_scan::ScanFile {
                    path: &self.path,
                    label: &self.label,
                    column_names: &self.columns,
                    header,
                    dialect,
                };
                csv_scan::scan(&file, needed, sink, control, combine)?
            }
            Reader::Batches(source) => {
                polars_path::scan(source, &self.columns, needed, sink, control, combine)?
            }
        };
        if rows == 0 {
            return Err(AggregateError::Data(DataError::NoRows {
                file: self.label.clone(),
            }));
        }
        Ok(rows)
    }
}
