//! A streaming, parallel reader of delimited text that hands over only the needed columns.
//!
//! The file is read in blocks of about 512 KiB cut at record boundaries (outside quotes); worker
//! threads parse blocks into per-block results, and the calling thread combines the results
//! in file order, so the outcome does not depend on the number of threads. Memory stays at a
//! few blocks whatever the file size, and only the needed fields are ever looked at.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use super::cells::Cell;
use super::{AggregateError, ReadControl};
use crate::data::DataError;

/// How a delimited file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    pub delimiter: u8,
    pub decimal_comma: bool,
    pub has_header: bool,
}

/// A problem with one cell, found by a sink; the scanner adds file, row and line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CellError {
    /// Index into the requested columns.
    pub position: usize,
    pub value: String,
    pub problem: CellProblem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CellProblem {
    NotANumber,
    NotALabel,
    NotUtf8,
    TooManyVariants,
}

/// Turns records (the needed cells, in requested order) into a per-block result.
pub(crate) trait Sink: Sync {
    type Block: Send;
    fn new_block(&self) -> Self::Block;
    fn record(&self, block: &mut Self::Block, cells: &[Cell<'_>]) -> Result<(), CellError>;
    /// A record too short to hold every needed column: `Ok` to skip it (counted by the sink),
    /// `Err` to stop.
    fn short_record(&self, block: &mut Self::Block) -> Result<(), ()>;
}

/// Where a problem happened inside a block.
struct BlockError {
    record: u64,
    line: u64,
    kind: BlockErrorKind,
}

enum BlockErrorKind {
    Cell(CellError),
    Short { fields: usize },
    UnclosedQuote,
}

struct BlockOutput<B> {
    block: B,
    records: u64,
    lines: u64,
}

const BLOCK_BYTES: usize = 512 << 10;

/// The longest record (line) the scanner reads: a longer one is refused rather than held in
/// memory whole (a CSV file with a line of 1 GB would otherwise take gigabytes).
pub(crate) const MAX_RECORD_BYTES: usize = 64 << 20;

/// The file's header: column names, and where the data starts.
pub(crate) struct Header {
    pub names: Vec<String>,
    /// Byte offset of the first data record.
    pub data_offset: usize,
    /// Physical lines before the first data record (1 with a header).
    pub lines: u64,
}

/// Reads the header from the start of the file (`sample` holds its first bytes).
pub(crate) fn read_header(
    file_label: &str,
    sample: &[u8],
    dialect: &Dialect,
) -> Result<Header, AggregateError> {
    let bom = if sample.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = sample.get(bom..).unwrap_or_default();
    let mut fields: Vec<Vec<u8>> = Vec::new();
    let (end, lines) = split_record(body, dialect.delimiter, &mut fields).ok_or_else(|| {
        AggregateError::Malformed {
            file: file_label.to_owned(),
            message: "its first line (the header) is very long or has an unclosed quote".to_owned(),
        }
    })?;
    let mut names = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(f) else {
            return Err(AggregateError::Data(DataError::NotUtf8 {
                file: file_label.to_owned(),
                line: 1,
            }));
        };
        if dialect.has_header {
            names.push(text.to_owned());
        } else {
            names.push(format!("column_{}", i + 1));
        }
    }
    if dialect.has_header {
        Ok(Header {
            names,
            data_offset: bom + end,
            lines,
        })
    } else {
        Ok(Header {
            names,
            data_offset: bom,
            lines: 0,
        })
    }
}

/// Splits one record at the start of `bytes` into owned fields (quotes removed). Returns the
/// length of the record including its line end, and the number of line ends in it, or `None`
/// when no complete record is present.
fn split_record(bytes: &[u8], delimiter: u8, fields: &mut Vec<Vec<u8>>) -> Option<(usize, u64)> {
    fields.clear();
    let mut current = Vec::new();
    let mut in_quotes = false;
    let mut lines = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    current.push(b'"');
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else {
                if b == b'\n' {
                    lines += 1;
                }
                current.push(b);
            }
        } else if b == b'"' && current.is_empty() {
            in_quotes = true;
        } else if b == delimiter {
            fields.push(std::mem::take(&mut current));
        } else if b == b'\n' {
            if current.last() == Some(&b'\r') {
                current.pop();
            }
            fields.push(current);
            return Some((i + 1, lines + 1));
        } else {
            current.push(b);
        }
        i += 1;
    }
    if in_quotes {
        return None;
    }
    // A last record without a line end.
    if current.last() == Some(&b'\r') {
        current.pop();
    }
    fields.push(current);
    Some((bytes.len(), lines))
}

/// The file [`scan`] reads and how: its path, its name for messages, its columns, and the
/// header and dialect found when it was opened.
#[derive(Clone, Copy)]
pub(crate) struct ScanFile<'a> {
    pub path: &'a Path,
    pub label: &'a str,
    pub column_names: &'a [String],
    pub header: &'a Header,
    pub dialect: &'a Dialect,
}

/// Reads every data record of `path` from `header.data_offset`, handing the cells of the
/// columns `needed` (indices into the header, in requested order) to `sink`, and the block
/// results to `combine` in file order. Returns the number of data records.
///
/// Kept whole (about 130 lines): the sequential and the parallel path share the position
/// bookkeeping (`finish_block`), and the parallel path's reading, cancel and in-order
/// combining live in one thread scope whose borrows do not split well.
pub(crate) fn scan<S: Sink>(
    file: &ScanFile<'_>,
    needed: &[usize],
    sink: &S,
    control: &ReadControl<'_>,
    mut combine: impl FnMut(S::Block) -> Result<(), AggregateError>,
) -> Result<u64, AggregateError> {
    let ScanFile {
        path,
        label: file_label,
        column_names,
        header,
        dialect,
    } = *file;
    let io_error = |e: std::io::Error| AggregateError::Data(DataError::io(path, &e));
    let mut file = File::open(path).map_err(io_error)?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut skip = vec![0_u8; header.data_offset];
    file.read_exact(&mut skip).map_err(io_error)?;
    drop(skip);

    let plan = FieldPlan::new(needed);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let small = total_bytes < 2 * BLOCK_BYTES as u64;

    // Rows and lines of the blocks combined so far, to turn block positions into file positions.
    let mut position = Position {
        records: 0,
        lines: header.lines,
    };
    let mut finish_block = |position: &mut Position,
                            out: Result<BlockOutput<S::Block>, BlockError>|
     -> Result<(), AggregateError> {
        match out {
            Ok(out) => {
                position.records += out.records;
                position.lines += out.lines;
                combine(out.block)
            }
            Err(e) => Err(locate(e, position, file_label, column_names, needed)),
        }
    };

    if small || threads == 1 {
        let mut reader = BlockReader::new(file);
        while let Some(block) = reader.next_block().map_err(io_error)? {
            check_cancel(control, file_label)?;
            let out = parse_block(&block, dialect, &plan, sink);
            finish_block(&mut position, out)?;
            report(control, reader.bytes_read, total_bytes);
        }
        return Ok(position.records);
    }

    // Parallel: the calling thread reads and combines, workers parse.
    let stop_after = AtomicUsize::new(usize::MAX);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
    let job_rx = Mutex::new(job_rx);
    let (out_tx, out_rx) = mpsc::channel::<(usize, BlockResult<S::Block>)>();
    let mut cancelled = false;

    std::thread::scope(|scope| -> Result<(), AggregateError> {
        for _ in 0..threads {
            let out_tx = out_tx.clone();
            let job_rx = &job_rx;
            let stop_after = &stop_after;
            let plan = &plan;
            scope.spawn(move || parse_worker(job_rx, &out_tx, stop_after, dialect, plan, sink));
        }
        drop(out_tx);

        let mut pending: BTreeMap<usize, BlockResult<S::Block>> = BTreeMap::new();
        let mut next_to_combine = 0_usize;
        let mut sent = 0_usize;
        let mut result: Result<(), AggregateError> = Ok(());
        // Combines the parsed blocks that are next in file order, stopping at the first error.
        let mut combine_ready =
            |pending: &mut BTreeMap<usize, BlockResult<S::Block>>,
             next: &mut usize,
             result: &mut Result<(), AggregateError>| {
                while let Some(out) = pending.remove(next) {
                    *next += 1;
                    if result.is_ok() {
                        *result = finish_block(&mut position, out);
                    }
                }
            };
        let mut reader = BlockReader::new(file);
        loop {
            if result.is_err() || sent > stop_after.load(Ordering::Relaxed) {
                break;
            }
            if control.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                cancelled = true;
                break;
            }
            let block = match reader.next_block() {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(e) => {
                    result = Err(io_error(e));
                    break;
                }
            };
            if job_tx.send((sent, block)).is_err() {
                break;
            }
            sent += 1;
            report(control, reader.bytes_read, total_bytes);
            while let Ok((index, out)) = out_rx.try_recv() {
                pending.insert(index, out);
            }
            combine_ready(&mut pending, &mut next_to_combine, &mut result);
        }
        drop(job_tx);
        for (index, out) in out_rx.iter() {
            pending.insert(index, out);
            combine_ready(&mut pending, &mut next_to_combine, &mut result);
        }
        result
    })?;
    if cancelled {
        return Err(cancelled_error(file_label));
    }
    Ok(position.records)
}

type BlockResult<B> = Result<BlockOutput<B>, BlockError>;

/// A parsing thread of [`scan`]: parses the blocks it receives (skipping those after a block
/// that failed) and sends the results back with their index.
fn parse_worker<S: Sink>(
    jobs: &Mutex<mpsc::Receiver<(usize, Vec<u8>)>>,
    results: &mpsc::Sender<(usize, BlockResult<S::Block>)>,
    stop_after: &AtomicUsize,
    dialect: &Dialect,
    plan: &FieldPlan,
    sink: &S,
) {
    loop {
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((index, bytes)) = job else { return };
        if index > stop_after.load(Ordering::Relaxed) {
            continue;
        }
        let out = parse_block(&bytes, dialect, plan, sink);
        if out.is_err() {
            stop_after.fetch_min(index, Ordering::Relaxed);
        }
        if results.send((index, out)).is_err() {
            return;
        }
    }
}

/// Rows and lines before the next block to combine.
struct Position {
    records: u64,
    lines: u64,
}

fn check_cancel(control: &ReadControl<'_>, file: &str) -> Result<(), AggregateError> {
    if control.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
        Err(cancelled_error(file))
    } else {
        Ok(())
    }
}

fn cancelled_error(file: &str) -> AggregateError {
    AggregateError::Data(DataError::Cancelled {
        file: file.to_owned(),
    })
}

fn report(control: &ReadControl<'_>, done: u64, total: u64) {
    if let Some(progress) = control.progress {
        progress(done, total);
    }
}

fn locate(
    e: BlockError,
    position: &Position,
    file: &str,
    names: &[String],
    needed: &[usize],
) -> AggregateError {
    let row = position.records + e.record + 1;
    let line = position.lines + e.line + 1;
    match e.kind {
        BlockErrorKind::Cell(c) => {
            let column = needed
                .get(c.position)
                .and_then(|&i| names.get(i))
                .cloned()
                .unwrap_or_default();
            super::cell_error(file, &column, row, Some(line), c)
        }
        BlockErrorKind::Short { fields } => AggregateError::Data(DataError::Ragged {
            file: file.to_owned(),
            line,
            expected: names.len(),
            found: fields,
        }),
        BlockErrorKind::UnclosedQuote => AggregateError::Malformed {
            file: file.to_owned(),
            message: format!("row {row} (line {line}) has a quote (\") that is never closed"),
        },
    }
}

/// Reads a file in blocks that end at a record boundary.
struct BlockReader {
    file: File,
    carry: Vec<u8>,
    eof: bool,
    bytes_read: u64,
}

impl BlockReader {
    fn new(file: File) -> Self {
        Self {
            file,
            carry: Vec::new(),
            eof: false,
            bytes_read: 0,
        }
    }

    fn next_block(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buffer = std::mem::take(&mut self.carry);
        let mut target = BLOCK_BYTES;
        loop {
            if buffer.len() < target && !self.eof {
                let start = buffer.len();
                buffer.resize(target, 0);
                let mut filled = start;
                while filled < target {
                    let Some(space) = buffer.get_mut(filled..) else {
                        break;
                    };
                    let n = self.file.read(space)?;
                    if n == 0 {
                        self.eof = true;
                        break;
                    }
                    filled += n;
                    self.bytes_read += n as u64;
                }
                buffer.truncate(filled);
            }
            if self.eof {
                if buffer.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(buffer));
            }
            match last_record_end(&buffer) {
                Some(cut) => {
                    self.carry = buffer.get(cut..).map(<[u8]>::to_vec).unwrap_or_default();
                    buffer.truncate(cut);
                    return Ok(Some(buffer));
                }
                None if buffer.len() >= MAX_RECORD_BYTES => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "a line starting near byte {} is longer than {} MB, more than a line \
                             of a data file may hold (it may not be a data file, or a quote may \
                             be left open)",
                            self.bytes_read.saturating_sub(buffer.len() as u64),
                            MAX_RECORD_BYTES >> 20
                        ),
                    ));
                }
                // One record longer than the block: read more.
                None => target = (buffer.len() * 2).min(MAX_RECORD_BYTES),
            }
        }
    }
}

/// The position just after the last line end that is outside quotes.
fn last_record_end(buffer: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', buffer).is_none() {
        return memchr::memrchr(b'\n', buffer).map(|i| i + 1);
    }
    crate::data::detect::record_ends(buffer).last()
}

/// Which fields of a record to keep, and where to put them.
struct FieldPlan {
    /// For each field index up to the last needed one: its slot in the requested order.
    slot_of_field: Vec<Option<usize>>,
    slots: usize,
}

impl FieldPlan {
    /// `needed` holds distinct field indices.
    fn new(needed: &[usize]) -> Self {
        let max = needed.iter().copied().max().unwrap_or(0);
        let mut slot_of_field = vec![None; max + 1];
        for (slot, &field) in needed.iter().enumerate() {
            if let Some(s) = slot_of_field.get_mut(field) {
                *s = Some(slot);
            }
        }
        Self {
            slot_of_field,
            slots: needed.len(),
        }
    }

    #[inline]
    fn slot(&self, field: usize) -> Option<usize> {
        self.slot_of_field.get(field).copied().flatten()
    }

    /// Fields a record must have to hold every needed column.
    fn fields_needed(&self) -> usize {
        self.slot_of_field.len()
    }
}

/// Parses the records of one block.
fn parse_block<S: Sink>(
    bytes: &[u8],
    dialect: &Dialect,
    plan: &FieldPlan,
    sink: &S,
) -> Result<BlockOutput<S::Block>, BlockError> {
    let mut block = sink.new_block();
    let mut records = 0_u64;
    let mut lines = 0_u64;
    let has_quotes = memchr::memchr(b'"', bytes).is_some();
    let mut cells: Vec<Cell<'_>> = vec![Cell::Null; plan.slots];
    let delimiter = dialect.delimiter;
    let mut pos = 0;
    while let Some(rest) = bytes.get(pos..) {
        if rest.is_empty() {
            break;
        }
        // Blank lines are skipped: they count as lines, not rows.
        if rest.first() == Some(&b'\n') {
            pos += 1;
            lines += 1;
            continue;
        }
        if rest.starts_with(b"\r\n") {
            pos += 2;
            lines += 1;
            continue;
        }
        let line_of_record = lines;
        for c in cells.iter_mut() {
            *c = Cell::Null;
        }
        let (consumed, newlines, fields_seen) = if has_quotes {
            split_quoted(rest, delimiter, plan, &mut cells).ok_or(BlockError {
                record: records,
                line: line_of_record,
                kind: BlockErrorKind::UnclosedQuote,
            })?
        } else {
            split_plain(rest, delimiter, plan, &mut cells)
        };
        pos += consumed;
        lines += newlines;
        if fields_seen < plan.fields_needed() {
            sink.short_record(&mut block).map_err(|()| BlockError {
                record: records,
                line: line_of_record,
                kind: BlockErrorKind::Short {
                    fields: fields_seen,
                },
            })?;
        } else {
            sink.record(&mut block, &cells).map_err(|c| BlockError {
                record: records,
                line: line_of_record,
                kind: BlockErrorKind::Cell(c),
            })?;
        }
        records += 1;
    }
    Ok(BlockOutput {
        block,
        records,
        lines,
    })
}

/// A record without quotes. Returns (bytes consumed, line ends, fields seen), where fields are
/// only counted up to the last needed one.
#[inline]
fn split_plain<'a>(
    rest: &'a [u8],
    delimiter: u8,
    plan: &FieldPlan,
    cells: &mut [Cell<'a>],
) -> (usize, u64, usize) {
    let (line, consumed, newlines) = match memchr::memchr(b'\n', rest) {
        Some(i) => (rest.get(..i).unwrap_or_default(), i + 1, 1),
        None => (rest, rest.len(), 0),
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let wanted = plan.fields_needed();
    let mut field = 0;
    let mut start = 0;
    while field < wanted {
        let tail = line.get(start..).unwrap_or_default();
        let end = match tail.iter().position(|&b| b == delimiter) {
            Some(k) => start + k,
            None => line.len(),
        };
        if let Some(slot) = plan.slot(field)
            && let Some(c) = cells.get_mut(slot)
        {
            *c = Cell::Text(line.get(start..end).unwrap_or_default());
        }
        field += 1;
        if end >= line.len() {
            break;
        }
        start = end + 1;
    }
    (consumed, newlines, field)
}

/// A record that may contain quotes (RFC 4180: a quoted field may hold delimiters, line ends
/// and doubled quotes). Returns `None` when a quote is not closed within the block.
fn split_quoted<'a>(
    rest: &'a [u8],
    delimiter: u8,
    plan: &FieldPlan,
    cells: &mut [Cell<'a>],
) -> Option<(usize, u64, usize)> {
    let is_end = |b: &u8| *b == delimiter || *b == b'\n';
    let mut field = 0_usize;
    let mut i = 0_usize;
    let mut newlines = 0_u64;
    loop {
        let (value, next) = if rest.get(i) == Some(&b'"') {
            let mut j = i + 1;
            let mut escapes = false;
            let close = loop {
                let k = memchr::memchr(b'"', rest.get(j..)?)? + j;
                if rest.get(k + 1) == Some(&b'"') {
                    escapes = true;
                    j = k + 2;
                } else {
                    break k;
                }
            };
            let content = rest.get(i + 1..close)?;
            newlines += memchr::memchr_iter(b'\n', content).count() as u64;
            // Anything between the closing quote and the delimiter is ignored.
            let after = close + 1;
            let next = rest
                .get(after..)?
                .iter()
                .position(is_end)
                .map_or(rest.len(), |k| after + k);
            let value = if escapes {
                Cell::Owned(unescape_quotes(content))
            } else {
                Cell::Text(content)
            };
            (value, next)
        } else {
            let next = rest
                .get(i..)?
                .iter()
                .position(is_end)
                .map_or(rest.len(), |k| i + k);
            let content = rest.get(i..next)?;
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            (Cell::Text(content), next)
        };
        if let Some(slot) = plan.slot(field)
            && let Some(c) = cells.get_mut(slot)
        {
            *c = value;
        }
        field += 1;
        match rest.get(next) {
            Some(&b) if b == delimiter => i = next + 1,
            Some(_) => return Some((next + 1, newlines + 1, field)),
            None => return Some((rest.len(), newlines, field)),
        }
    }
}

fn unescape_quotes(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut previous_quote = false;
    for &b in content {
        if b == b'"' && previous_quote {
            previous_quote = false;
            continue;
        }
        previous_quote = b == b'"';
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests;
