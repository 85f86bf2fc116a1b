//! A data file opened for reading: its format and dialect recognised once, then scanned lazily
//! (a file is read only for the columns in use), in batches with progress and cancel, and with
//! every failure turned into a plain sentence.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::Duration;

use polars::prelude::*;
use polars_buffer::Buffer;

use crate::model::{FileFormat, ImportOptions};

use super::detect::{self, CsvDialect, TextEncoding};
use super::error::{DataError, file_name, first_sentence};
use super::{excel, footer_check};

mod cells;

pub use cells::Cell;

/// Rows read to infer the column types of a text file.
pub const INFER_SCHEMA_ROWS: usize = 10_000;

/// Text that counts as a missing value (besides an empty field).
pub const MISSING_MARKERS: [&str; 7] = ["NA", "N/A", "n/a", "#N/A", "null", "NULL", "None"];

/// How far the reading has got.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadProgress {
    /// Rows read so far.
    pub rows_read: u64,
    /// Estimated share done, from 0 to 1, when the size is known or can be estimated.
    pub fraction: Option<f32>,
}

/// Receives the batches of a file as they are read (see [`Source::for_each_batch`]).
pub trait BatchSink {
    /// One batch of rows; `first_row` is the index (from 0) of its first row in the file.
    fn batch(&mut self, batch: &DataFrame, first_row: u64) -> Result<(), DataError>;

    /// The file is being read again from the start (a column turned out to hold text further
    /// down than its type was guessed from): forget every batch seen so far.
    fn restart(&mut self);
}

/// A data file opened for reading.
#[derive(Clone)]
pub struct Source {
    path: PathBuf,
    format: FileFormat,
    dialect: Option<CsvDialect>,
    options: ImportOptions,
    size_bytes: u64,
    schema: SchemaRef,
    /// Files read whole into memory (Excel, JSON, UTF-16 text).
    frame: Option<DataFrame>,
    /// Exact row count where it is cheap to know (Parquet, Arrow IPC, in-memory frames).
    rows: Option<u64>,
    /// Approximate bytes per row of a text file, to estimate progress.
    bytes_per_row: Option<f64>,
    /// The whole file, read into memory when polars reads it (see [`IN_MEMORY_LIMIT`]).
    bytes: Option<Buffer<u8>>,
    /// A delimited text file larger than [`TEXT_HEAD_BYTES`]: its start, cut after the records
    /// the column types are guessed from, for the schema and the first rows (the preview);
    /// the whole file is read only when a query needs more (see `Source::bytes_for`).
    text_head: Option<Buffer<u8>>,
    /// The whole of such a file, read on first need and shared by the clones of this source.
    whole: Arc<std::sync::OnceLock<Result<Buffer<u8>, DataError>>>,
}

/// The start of a delimited text file read to guess its column types and show its first rows.
/// A larger file is read whole only for queries that go further.
pub const TEXT_HEAD_BYTES: u64 = 8 << 20;

/// Files polars reads are read into memory first, up to this size, and polars is handed the
/// bytes: given a path, polars maps the file into memory, and a file cut short while a
/// background job reads it (another program rewriting it) would then crash the whole app with
/// SIGBUS. Read into memory, a cut file is at worst a short or damaged file, reported as such.
/// Larger files are still mapped (reading them whole would cost their size in memory); the
/// UTF-8 CSV files the analyses read go through the streaming scanner, which uses plain reads.
pub const IN_MEMORY_LIMIT: u64 = 512 << 20;

/// How much of a file a query reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The column types and the first rows (at most [`INFER_SCHEMA_ROWS`]).
    Head,
    Whole,
}

/// The start of a delimited text file: its first [`TEXT_HEAD_BYTES`], cut after the header and
/// the [`INFER_SCHEMA_ROWS`] records the column types are guessed from (line ends inside
/// quotes do not count). `None` when those records do not fit (very long rows): the whole file
/// is read then.
fn read_text_head(path: &Path) -> Result<Option<Buffer<u8>>, DataError> {
    let mut bytes = detect::read_start(path, TEXT_HEAD_BYTES as usize)?;
    // The end of the header and of the first INFER_SCHEMA_ROWS records.
    let end = detect::record_ends(&bytes).nth(INFER_SCHEMA_ROWS);
    Ok(end.map(|end| {
        bytes.truncate(end);
        Buffer::from(bytes)
    }))
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("dialect", &self.dialect)
            .field("size_bytes", &self.size_bytes)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

/// Scan a data file lazily: recognise its format (from the extension and the content) and its
/// dialect, check that it can be read, and return a lazy frame over it. Reading happens when
/// the frame is collected, only for the columns selected.
pub fn scan(path: &Path, options: &ImportOptions) -> Result<LazyFrame, DataError> {
    Source::open(path, options)?.scan()
}

impl Source {
    /// Open a data file: recognise its format and dialect and read its column names and types.
    /// Reads only the start of a text file (or the footer of a Parquet file).
    pub fn open(path: &Path, options: &ImportOptions) -> Result<Self, DataError> {
        guard(path, || Self::open_inner(path, options))
    }

    fn open_inner(path: &Path, options: &ImportOptions) -> Result<Self, DataError> {
        let head = detect::read_head(path)?;
        let format = detect::detect_format(path, &head)?;
        let mut source = Source {
            path: path.to_path_buf(),
            format,
            dialect: None,
            options: options.clone(),
            size_bytes: head.size_bytes,
            schema: Arc::new(Schema::default()),
            frame: None,
            rows: None,
            bytes_per_row: None,
            bytes: None,
            text_head: None,
            whole: Arc::default(),
        };
        let text = matches!(format, FileFormat::Csv | FileFormat::Tsv);
        if text && head.size_bytes > TEXT_HEAD_BYTES && head.size_bytes <= IN_MEMORY_LIMIT {
            source.text_head = read_text_head(path)?;
        }
        if matches!(
            format,
            FileFormat::Csv
                | FileFormat::Tsv
                | FileFormat::NdJson
                | FileFormat::Parquet
                | FileFormat::ArrowIpc
        ) && head.size_bytes <= IN_MEMORY_LIMIT
            && source.text_head.is_none()
        {
            let bytes = std::fs::read(path).map_err(|e| DataError::io(path, &e))?;
            source.size_bytes = bytes.len() as u64;
            source.bytes = Some(Buffer::from(bytes));
        }
        match format {
            FileFormat::Csv | FileFormat::Tsv => {
                let dialect = detect::sniff_csv(path, &head, format, options)?;
                source.format = dialect.format();
                source.bytes_per_row = Some(dialect.bytes_per_row);
                source.rows = dialect.exact_rows;
                if matches!(
                    dialect.encoding,
                    TextEncoding::Utf16Le | TextEncoding::Utf16Be
                ) {
                    source.frame = Some(read_utf16(path, &dialect)?);
                }
                source.dialect = Some(dialect);
            }
            FileFormat::Excel => {
                source.frame = Some(excel::read_excel(path, options.sheet.as_deref())?);
            }
            FileFormat::Json => {
                source.frame = Some(read_json(path)?);
            }
            FileFormat::NdJson => {
                let lines = head.bytes.iter().filter(|&&b| b == b'\n').count().max(1);
                source.bytes_per_row = Some(head.bytes.len() as f64 / lines as f64);
            }
            FileFormat::ArrowIpc => footer_check::check_ipc_file(path)?,
            FileFormat::Parquet => {
                footer_check::check_parquet_file(path, source.bytes.as_deref())?;
            }
        }
        if let Some(frame) = &source.frame {
            source.rows = Some(frame.height() as u64);
        }
        let mut lf = source.scan_part(&[], Part::Head)?;
        source.schema = lf
            .collect_schema()
            .map_err(|e| source.translate(e, false))?;
        if source.schema.is_empty() {
            return Err(DataError::Empty {
                file: file_name(path),
            });
        }
        if matches!(format, FileFormat::Parquet | FileFormat::ArrowIpc) {
            let counted = source.collect(source.scan_with(&[])?.select([len().alias("n")]))?;
            source.rows = counted
                .column("n")
                .ok()
                .and_then(|c| c.get(0).ok())
                .and_then(|v| v.extract::<u64>());
        }
        if source.rows == Some(0) {
            return Err(DataError::NoRows {
                file: file_name(path),
            });
        }
        Ok(source)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name as shown in messages.
    pub fn file_name(&self) -> String {
        file_name(&self.path)
    }

    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// How a delimited text file is written (`None` for other formats).
    pub fn dialect(&self) -> Option<&CsvDialect> {
        self.dialect.as_ref()
    }

    pub fn options(&self) -> &ImportOptions {
        &self.options
    }

    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// Whether numbers in the file are written with a decimal comma.
    pub fn decimal_comma(&self) -> bool {
        self.dialect.as_ref().is_some_and(|d| d.decimal_comma)
    }

    /// Column names and types as guessed from the start of the file.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The column names, in file order.
    pub fn column_names(&self) -> Vec<String> {
        self.schema.iter_names().map(|n| n.to_string()).collect()
    }

    /// The exact number of rows when it is known without reading the file through.
    pub fn known_rows(&self) -> Option<u64> {
        self.rows
    }

    /// The number of rows: exact when known, otherwise estimated from the file size.
    pub fn estimated_rows(&self) -> Option<u64> {
        self.rows.or_else(|| {
            let per_row = self.bytes_per_row?;
            (per_row > 0.0).then(|| {
                let header = u64::from(self.dialect.as_ref().is_some_and(|d| d.has_header));
                ((self.size_bytes as f64 / per_row).round() as u64).saturating_sub(header)
            })
        })
    }

    /// Check that every column exists; the error lists the columns that do.
    pub fn require_columns(&self, columns: &[&str]) -> Result<(), DataError> {
        for column in columns {
            if self.schema.get(column).is_none() {
                return Err(DataError::unknown_column(
                    &self.path,
                    column,
                    self.column_names(),
                ));
            }
        }
        Ok(())
    }

    /// A lazy frame over the whole file. Select the columns you need before collecting.
    pub fn scan(&self) -> Result<LazyFrame, DataError> {
        self.scan_with(&[])
    }

    /// A lazy frame with some column types forced (text for a column that turned out to hold
    /// text further down than its type was guessed from).
    fn scan_with(&self, overrides: &[(String, DataType)]) -> Result<LazyFrame, DataError> {
        self.scan_part(overrides, Part::Whole)
    }

    /// The bytes polars reads for `part`: the start of a large text file for the schema and
    /// the first rows, else the whole file in memory; `None` for a file polars reads itself
    /// (over [`IN_MEMORY_LIMIT`]).
    fn bytes_for(&self, part: Part) -> Result<Option<Buffer<u8>>, DataError> {
        if let Some(bytes) = &self.bytes {
            return Ok(Some(bytes.clone()));
        }
        match (&self.text_head, part) {
            (None, _) => Ok(None),
            (Some(head), Part::Head) => Ok(Some(head.clone())),
            (Some(_), Part::Whole) => self
                .whole
                .get_or_init(|| {
                    std::fs::read(&self.path)
                        .map(Buffer::from)
                        .map_err(|e| DataError::io(&self.path, &e))
                })
                .clone()
                .map(Some),
        }
    }

    fn scan_part(
        &self,
        overrides: &[(String, DataType)],
        part: Part,
    ) -> Result<LazyFrame, DataError> {
        if let Some(frame) = &self.frame {
            return Ok(frame.clone().lazy());
        }
        let sources = match self.bytes_for(part)? {
            Some(bytes) => ScanSources::Buffers(Arc::new([bytes])),
            None => {
                let path = PlRefPath::try_from_path(&self.path).map_err(|e| DataError::Io {
                    file: self.file_name(),
                    reason: first_sentence(&e.to_string()),
                })?;
                ScanSources::Paths(Buffer::from_iter([path]))
            }
        };
        let overrides = (!overrides.is_empty()).then(|| {
            Arc::new(Schema::from_iter(overrides.iter().map(|(name, dtype)| {
                Field::new(PlSmallStr::from_str(name), dtype.clone())
            })))
        });
        let result = match self.format {
            FileFormat::Csv | FileFormat::Tsv => {
                let Some(dialect) = &self.dialect else {
                    return Err(self.unreadable("no dialect was recognised"));
                };
                let nulls = NullValues::AllColumns(
                    MISSING_MARKERS
                        .iter()
                        .map(|s| PlSmallStr::from_static(s))
                        .collect(),
                );
                LazyCsvReader::new_with_sources(sources)
                    .with_separator(dialect.delimiter)
                    .with_has_header(dialect.has_header)
                    .with_decimal_comma(dialect.decimal_comma)
                    .with_infer_schema_length(Some(INFER_SCHEMA_ROWS))
                    .with_null_values(Some(nulls))
                    .with_missing_is_null(true)
                    .with_dtype_overwrite(overrides)
                    .with_ignore_errors(false)
                    .finish()
            }
            FileFormat::NdJson => LazyJsonLineReader::new_with_sources(sources)
                .with_infer_schema_length(NonZeroUsize::new(INFER_SCHEMA_ROWS))
                .with_schema_overwrite(overrides)
                .finish(),
            // One file, never a folder of partitions (polars cannot split bytes in memory).
            FileFormat::Parquet => LazyFrame::scan_parquet_sources(
                sources,
                ScanArgsParquet {
                    hive_options: no_hive(),
                    ..ScanArgsParquet::default()
                },
            ),
            FileFormat::ArrowIpc => LazyFrame::scan_ipc_sources(
                sources,
                IpcScanOptions::default(),
                UnifiedScanArgs {
                    hive_options: no_hive(),
                    ..UnifiedScanArgs::default()
                },
            ),
            FileFormat::Excel | FileFormat::Json => {
                return Err(self.unreadable("the file was not read into memory"));
            }
        };
        result.map_err(|e| self.translate(e, false))
    }

    fn unreadable(&self, reason: &str) -> DataError {
        DataError::Unreadable {
            file: self.file_name(),
            format: format_words(self.format),
            reason: reason.to_string(),
        }
    }

    /// The first `n` rows of every column (for the preview). Fast: a text file is read only as
    /// far as needed.
    pub fn head(&self, n: usize) -> Result<DataFrame, DataError> {
        // The start of a large text file holds more rows than the preview asks for.
        let part = if n <= INFER_SCHEMA_ROWS {
            Part::Head
        } else {
            Part::Whole
        };
        self.read_part_with_retry(|lf| lf.limit(n as IdxSize), part)
    }

    /// Collect a lazy query over this file, turning failures into plain sentences. Prefer
    /// [`Source::read_columns`] or [`Source::for_each_batch`], which also recover from a column
    /// whose type was guessed wrong.
    pub fn collect(&self, lf: LazyFrame) -> Result<DataFrame, DataError> {
        guard(&self.path, || {
            lf.collect().map_err(|e| self.translate(e, true))
        })
    }

    /// Run a query built on this file's scan; when a column turns out to hold text further
    /// down than its type was guessed from, read that column as text and run it again.
    pub fn read_with_retry(
        &self,
        query: impl Fn(LazyFrame) -> LazyFrame,
    ) -> Result<DataFrame, DataError> {
        self.read_part_with_retry(query, Part::Whole)
    }

    fn read_part_with_retry(
        &self,
        query: impl Fn(LazyFrame) -> LazyFrame,
        part: Part,
    ) -> Result<DataFrame, DataError> {
        let mut overrides: Vec<(String, DataType)> = Vec::new();
        loop {
            let lf = query(self.scan_part(&overrides, part)?);
            match guard(&self.path, || Ok(lf.collect())) {
                Ok(Ok(df)) => return Ok(df),
                Ok(Err(e)) => match self.retry_override(&e, &overrides) {
                    Some(o) => overrides.push(o),
                    None => return Err(self.translate(e, true)),
                },
                Err(e) => return Err(e),
            }
        }
    }

    /// If `error` says a value could not be parsed as the guessed type of a column, the type
    /// to read that column as instead.
    fn retry_override(
        &self,
        error: &PolarsError,
        done: &[(String, DataType)],
    ) -> Option<(String, DataType)> {
        if !matches!(self.format, FileFormat::Csv | FileFormat::Tsv) {
            return None;
        }
        let (column, value) = parse_failure(&error.to_string())?;
        let dtype = if detect::parse_number(&value, self.decimal_comma()).is_some() {
            DataType::Float64
        } else {
            DataType::String
        };
        let previous = done.iter().find(|(c, _)| *c == column);
        match previous {
            Some((_, DataType::String)) => None,
            Some((_, d)) if *d == dtype => None,
            _ => Some((column, dtype)),
        }
    }

    /// Read the given columns of every row into memory, with progress and cancel.
    pub fn read_columns(
        &self,
        columns: &[&str],
        progress: &mut dyn FnMut(LoadProgress),
        cancel: &AtomicBool,
    ) -> Result<DataFrame, DataError> {
        struct Collect(Vec<DataFrame>);
        impl BatchSink for Collect {
            fn batch(&mut self, batch: &DataFrame, _first_row: u64) -> Result<(), DataError> {
                self.0.push(batch.clone());
                Ok(())
            }
            fn restart(&mut self) {
                self.0.clear();
            }
        }
        let mut sink = Collect(Vec::new());
        self.for_each_batch(columns, progress, cancel, &mut sink)?;
        let mut batches = sink.0.into_iter();
        let Some(mut out) = batches.next() else {
            // No rows: an empty frame with the requested columns.
            return self.read_with_retry(|lf| {
                lf.select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
                    .limit(0)
            });
        };
        for b in batches {
            out.vstack_mut_owned(b)
                .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
        }
        Ok(out)
    }

    /// Read the given columns batch by batch (memory stays bounded), calling `sink` for each
    /// batch in file order, `progress` after each, and stopping with [`DataError::Cancelled`]
    /// soon after `cancel` is set. Returns the number of rows read.
    pub fn for_each_batch(
        &self,
        columns: &[&str],
        progress: &mut dyn FnMut(LoadProgress),
        cancel: &AtomicBool,
        sink: &mut dyn BatchSink,
    ) -> Result<u64, DataError> {
        self.require_columns(columns)?;
        let selection: Vec<Expr> = columns.iter().map(|c| col(*c)).collect();
        let estimate = self.estimated_rows();
        let mut overrides: Vec<(String, DataType)> = Vec::new();
        loop {
            let lf = self.scan_with(&overrides)?.select(selection.clone());
            let mut rows_read = 0u64;
            progress(LoadProgress {
                rows_read: 0,
                fraction: estimate.map(|_| 0.0),
            });
            let outcome = self.stream(lf, cancel, &mut |batch| {
                sink.batch(batch, rows_read)?;
                rows_read += batch.height() as u64;
                progress(LoadProgress {
                    rows_read,
                    fraction: estimate
                        .map(|n| (rows_read as f64 / n.max(1) as f64).min(0.99) as f32),
                });
                Ok(())
            });
            match outcome {
                Ok(()) => {
                    progress(LoadProgress {
                        rows_read,
                        fraction: Some(1.0),
                    });
                    return Ok(rows_read);
                }
                Err(StreamError::Data(e)) => return Err(e),
                Err(StreamError::Polars(e)) => match self.retry_override(&e, &overrides) {
                    Some(o) => {
                        overrides.push(o);
                        sink.restart();
                    }
                    None => return Err(self.translate(e, true)),
                },
            }
        }
    }

    /// Run `lf` on the streaming engine in a helper thread, handing each batch to `on_batch` on
    /// this thread.
    fn stream(
        &self,
        lf: LazyFrame,
        cancel: &AtomicBool,
        on_batch: &mut dyn FnMut(&DataFrame) -> Result<(), DataError>,
    ) -> Result<(), StreamError> {
        let (tx, rx) = sync_channel::<DataFrame>(2);
        let callback = PlanCallback::new(move |df: DataFrame| {
            // Returning true stops the query: the receiver has gone (cancelled or failed).
            Ok(tx.send(df).is_err())
        });
        let lf = lf
            .sink_batches(callback, true, None)
            .map_err(StreamError::Polars)?;
        let worker = std::thread::Builder::new()
            .name("throughline-read".into())
            .spawn(move || lf.collect_with_engine(Engine::Streaming).map(|_| ()))
            .map_err(|e| StreamError::Data(self.unreadable(&e.to_string())))?;
        let mut failure: Option<DataError> = None;
        loop {
            if cancel.load(Ordering::Relaxed) {
                failure = Some(DataError::Cancelled {
                    file: self.file_name(),
                });
                break;
            }
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(df) => {
                    if let Err(e) = on_batch(&df) {
                        failure = Some(e);
                        break;
                    }
                }
                // Should the query end without dropping its callback, do not wait forever:
                // take what is left and stop.
                Err(RecvTimeoutError::Timeout) if worker.is_finished() => {
                    while let Ok(df) = rx.try_recv() {
                        if let Err(e) = on_batch(&df) {
                            failure = Some(e);
                            break;
                        }
                    }
                    break;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        // Let the query see that nobody listens any more, then wait for it to stop.
        drop(rx);
        let joined = worker.join();
        if let Some(e) = failure {
            return Err(StreamError::Data(e));
        }
        match joined {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StreamError::Polars(e)),
            Err(_) => Err(StreamError::Data(self.unreadable(
                "the reader stopped unexpectedly (the file may be damaged)",
            ))),
        }
    }

    /// Turn a polars error into a plain sentence about this file. `deep` allows reading the
    /// file through to find the line at fault.
    fn translate(&self, error: PolarsError, deep: bool) -> DataError {
        let file = self.file_name();
        let message = error.to_string();
        match &error {
            PolarsError::IO { error, .. } => return DataError::io(&self.path, error),
            PolarsError::NoData(_) => return DataError::Empty { file },
            PolarsError::ColumnNotFound(_) => {
                let column = message
                    .split(['"', '\'', '`'])
                    .nth(1)
                    .unwrap_or(message.as_str())
                    .to_string();
                return DataError::unknown_column(&self.path, &column, self.column_names());
            }
            _ => {}
        }
        let delimited = matches!(self.format, FileFormat::Csv | FileFormat::Tsv);
        if delimited && message.contains("invalid utf-8") {
            let line = if deep {
                detect::find_invalid_utf8_line(&self.path).unwrap_or(1)
            } else {
                1
            };
            return DataError::NotUtf8 { file, line };
        }
        if delimited && message.contains("more fields than defined") {
            let delimiter = self.dialect.as_ref().map_or(b',', |d| d.delimiter);
            if let Some((line, expected, found)) = deep
                .then(|| detect::find_ragged_line(&self.path, delimiter))
                .flatten()
            {
                return DataError::Ragged {
                    file,
                    line,
                    expected,
                    found,
                };
            }
            return self.unreadable("a line has more fields than the first line");
        }
        if let Some((column, value)) = parse_failure(&message) {
            return DataError::Unreadable {
                file,
                format: format_words(self.format),
                reason: format!(
                    "the column \"{column}\" holds \"{value}\", which does not fit its other values"
                ),
            };
        }
        self.unreadable(&first_sentence(&message))
    }
}

enum StreamError {
    Data(DataError),
    Polars(PolarsError),
}

/// Hive partitioning (a folder of files named by their key values) off.
fn no_hive() -> HiveOptions {
    HiveOptions {
        enabled: Some(false),
        ..HiveOptions::default()
    }
}

/// "a CSV file", "an Excel workbook", ...
pub(crate) fn format_words(format: FileFormat) -> String {
    match format {
        FileFormat::Csv => "a CSV file",
        FileFormat::Tsv => "a TSV file",
        FileFormat::Parquet => "a Parquet file",
        FileFormat::Json => "a JSON file",
        FileFormat::NdJson => "an NDJSON file",
        FileFormat::ArrowIpc => "an Arrow IPC (Feather) file",
        FileFormat::Excel => "an Excel workbook",
    }
    .to_string()
}

/// From polars' "could not parse `abc` as dtype `i64` at column 'x' (column number 2)": the
/// column and the value.
fn parse_failure(message: &str) -> Option<(String, String)> {
    let rest = message.split_once("could not parse `")?.1;
    let (value, rest) = rest.split_once('`')?;
    let rest = rest.split_once("at column '")?.1;
    let (column, _) = rest.split_once('\'')?;
    Some((column.to_string(), value.to_string()))
}

/// Run `f`, turning a panic inside a library into an error about the file: a damaged file
/// must never bring the app down.
fn guard<T>(path: &Path, f: impl FnOnce() -> Result<T, DataError>) -> Result<T, DataError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(DataError::Unreadable {
            file: file_name(path),
            format: "a data file".into(),
            reason: "the reader stopped unexpectedly (the file may be damaged)".into(),
        }),
    }
}

/// A JSON file holding an array of records (or one record). Read into memory first: given a
/// file, polars would map it (see [`IN_MEMORY_LIMIT`]); the whole file is parsed anyway.
fn read_json(path: &Path) -> Result<DataFrame, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, &e))?;
    let df = JsonReader::new(std::io::Cursor::new(bytes))
        .with_json_format(JsonFormat::Json)
        .infer_schema_len(NonZeroUsize::new(INFER_SCHEMA_ROWS))
        .finish()
        .map_err(|e| DataError::Unreadable {
            file: file_name(path),
            format: "a JSON file".into(),
            reason: first_sentence(&e.to_string()),
        })?;
    Ok(df)
}

/// A UTF-16 text file (Excel's "Unicode text"): decoded whole, then read as UTF-8.
fn read_utf16(path: &Path, dialect: &CsvDialect) -> Result<DataFrame, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, &e))?;
    let (text, _, _) = match dialect.encoding {
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode(&bytes),
        _ => encoding_rs::UTF_16LE.decode(&bytes),
    };
    let nulls = NullValues::AllColumns(
        MISSING_MARKERS
            .iter()
            .map(|s| PlSmallStr::from_static(s))
            .collect(),
    );
    let cursor = std::io::Cursor::new(text.into_owned().into_bytes());
    CsvReadOptions::default()
        .with_has_header(dialect.has_header)
        .with_infer_schema_length(Some(INFER_SCHEMA_ROWS))
        .map_parse_options(|o| {
            o.with_separator(dialect.delimiter)
                .with_decimal_comma(dialect.decimal_comma)
                .with_null_values(Some(nulls.clone()))
                .with_missing_is_null(true)
        })
        .into_reader_with_file_handle(cursor)
        .finish()
        .map_err(|e| DataError::Unreadable {
            file: file_name(path),
            format: "a UTF-16 text file".into(),
            reason: first_sentence(&e.to_string()),
        })
}

#[cfg(test)]
mod tests;
