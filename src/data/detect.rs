//! Recognising a file's format from its extension and its first bytes, and sniffing the dialect
//! of a delimited text file (delimiter, decimal comma, header, encoding).

use std::fs::File;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;

use crate::model::{FileFormat, ImportOptions};

use super::error::{DataError, file_name};

/// How many bytes of a file are read to recognise it.
pub const SAMPLE_BYTES: usize = 256 * 1024;

/// Records examined when sniffing a delimited file.
const MAX_SNIFF_RECORDS: usize = 2000;

/// The text encodings a delimited file may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big endian with a byte-order mark.
    Utf16Be,
}

/// How a delimited text file is written.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvDialect {
    pub delimiter: u8,
    pub decimal_comma: bool,
    pub has_header: bool,
    pub encoding: TextEncoding,
    /// Fields on the first line.
    pub header_fields: usize,
    /// Average bytes per row in the sample, to estimate the number of rows.
    pub bytes_per_row: f64,
    /// Whether the sample holds a quoted field spanning lines (line numbers then differ from
    /// row numbers).
    pub multiline_fields: bool,
    /// The number of data rows, when the sample held the whole file.
    pub exact_rows: Option<u64>,
}

impl CsvDialect {
    pub fn format(&self) -> FileFormat {
        if self.delimiter == b'\t' {
            FileFormat::Tsv
        } else {
            FileFormat::Csv
        }
    }

    /// A short description for the preview ("semicolon-separated, decimal comma").
    pub fn describe(&self) -> String {
        let delimiter = match self.delimiter {
            b',' => "comma-separated".to_string(),
            b';' => "semicolon-separated".to_string(),
            b'\t' => "tab-separated".to_string(),
            b'|' => "separated by |".to_string(),
            other => format!("separated by '{}'", char::from(other)),
        };
        let mut parts = vec![delimiter];
        if self.decimal_comma {
            parts.push("decimal comma".into());
        }
        if !self.has_header {
            parts.push("no header row".into());
        }
        parts.push(
            match self.encoding {
                TextEncoding::Utf8 => "UTF-8",
                TextEncoding::Utf8Bom => "UTF-8 with BOM",
                TextEncoding::Utf16Le => "UTF-16 LE",
                TextEncoding::Utf16Be => "UTF-16 BE",
            }
            .into(),
        );
        parts.join(", ")
    }
}

/// The first bytes of a file and its size.
pub(crate) struct Head {
    pub bytes: Vec<u8>,
    pub size_bytes: u64,
}

impl Head {
    /// Whether the sample is the whole file.
    pub fn is_complete(&self) -> bool {
        self.bytes.len() as u64 >= self.size_bytes
    }
}

pub(crate) fn read_head(path: &Path) -> Result<Head, DataError> {
    let meta = std::fs::metadata(path).map_err(|e| DataError::io(path, &e))?;
    if meta.is_dir() {
        return Err(DataError::IsFolder {
            file: file_name(path),
        });
    }
    Ok(Head {
        bytes: read_start(path, SAMPLE_BYTES)?,
        size_bytes: meta.len(),
    })
}

/// The first `limit` bytes of a file (all of a shorter one), with plain reads.
pub(crate) fn read_start(path: &Path, limit: usize) -> Result<Vec<u8>, DataError> {
    let file = File::open(path).map_err(|e| DataError::io(path, &e))?;
    let mut bytes = Vec::new();
    file.take(limit as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| DataError::io(path, &e))?;
    Ok(bytes)
}

/// The positions just after each line end outside double quotes, in order: where the records
/// of a delimited text end (a quoted field may hold line ends).
pub(crate) fn record_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut in_quotes = false;
    memchr::memchr2_iter(b'"', b'\n', bytes).filter_map(move |i| {
        if bytes[i] == b'"' {
            in_quotes = !in_quotes;
            None
        } else {
            (!in_quotes).then_some(i + 1)
        }
    })
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The first byte of a JSON document that is an array, and of one that is an object.
const JSON_ARRAY: u8 = b'[';
const JSON_OBJECT: u8 = b'{';

/// The format of a file from its content, falling back to its extension.
pub(crate) fn detect_format(path: &Path, head: &Head) -> Result<FileFormat, DataError> {
    let bytes = &head.bytes;
    let file = file_name(path);
    if bytes.is_empty() {
        return Err(DataError::Empty { file });
    }
    let ext = extension(path);
    // Binary formats by their magic numbers.
    if bytes.starts_with(b"PAR1") {
        return Ok(FileFormat::Parquet);
    }
    if bytes.starts_with(b"ARROW1") {
        return Ok(FileFormat::ArrowIpc);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Ok(FileFormat::Excel);
    }
    let binary_ext = matches!(
        ext.as_str(),
        "parquet" | "pq" | "arrow" | "feather" | "ipc" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"
    );
    if bytes.starts_with(&[0x1F, 0x8B]) || bytes.starts_with(b"BZh") || bytes.starts_with(b"7z") {
        return Err(DataError::Unreadable {
            file,
            format: "a data file".into(),
            reason: "it is compressed; unpack it first and add the file inside".into(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(FileFormat::Csv);
    }
    let text = text_head(bytes);
    if text.contains(&0) {
        if binary_ext {
            let format = match ext.as_str() {
                "parquet" | "pq" => FileFormat::Parquet,
                "arrow" | "feather" | "ipc" => FileFormat::ArrowIpc,
                _ => FileFormat::Excel,
            };
            return Err(DataError::Unreadable {
                file,
                format: format.label().into(),
                reason: "its content is not in that format (the file may be damaged, or have \
                         the wrong extension)"
                    .into(),
            });
        }
        return Err(DataError::Binary { file });
    }
    // Text formats.
    let first = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| text.get(i).copied());
    let Some(first) = first else {
        return Err(DataError::Empty { file });
    };
    let json_ext = matches!(ext.as_str(), "json" | "ndjson" | "jsonl" | "ldjson");
    if first == JSON_ARRAY {
        return Ok(FileFormat::Json);
    }
    if first == JSON_OBJECT {
        if matches!(ext.as_str(), "ndjson" | "jsonl" | "ldjson") {
            return Ok(FileFormat::NdJson);
        }
        // JSON lines: several lines that each start with '{'.
        let object_lines = text
            .split(|&b| b == b'\n')
            .filter(|l| l.iter().find(|b| !b.is_ascii_whitespace()) == Some(&JSON_OBJECT))
            .take(2)
            .count();
        return Ok(if object_lines >= 2 {
            FileFormat::NdJson
        } else {
            FileFormat::Json
        });
    }
    if json_ext {
        return Err(DataError::Unreadable {
            file,
            format: "JSON".into(),
            reason: "it does not start with '[' or '{'".into(),
        });
    }
    if ext == "tsv" || ext == "tab" {
        return Ok(FileFormat::Tsv);
    }
    Ok(FileFormat::Csv)
}

/// The sample without a UTF-8 byte-order mark.
fn text_head(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

/// The dialect of a delimited text file, from its first bytes and the user's options.
pub(crate) fn sniff_csv(
    path: &Path,
    head: &Head,
    format_hint: FileFormat,
    options: &ImportOptions,
) -> Result<CsvDialect, DataError> {
    let file = file_name(path);
    let bytes = &head.bytes;
    let (encoding, text): (TextEncoding, std::borrow::Cow<'_, str>) =
        if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
            let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
            (TextEncoding::Utf16Le, text)
        } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
            let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
            (TextEncoding::Utf16Be, text)
        } else {
            let (encoding, rest) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
                Some(rest) => (TextEncoding::Utf8Bom, rest),
                None => (TextEncoding::Utf8, bytes.as_slice()),
            };
            match std::str::from_utf8(rest) {
                Ok(text) => (encoding, text.into()),
                // A character cut by the end of the sample is fine.
                Err(e) if e.error_len().is_none() && !head.is_complete() => {
                    let valid = rest.get(..e.valid_up_to()).unwrap_or_default();
                    (encoding, String::from_utf8_lossy(valid).into_owned().into())
                }
                Err(e) => {
                    let line = line_at(rest, e.valid_up_to());
                    return Err(DataError::NotUtf8 { file, line });
                }
            }
        };
    if text.contains('\0') {
        return Err(DataError::Binary { file });
    }
    let complete = head.is_complete();
    let user_delimiter = options
        .delimiter
        .and_then(|c| u8::try_from(u32::from(c)).ok())
        .filter(u8::is_ascii);
    let delimiter = user_delimiter.unwrap_or_else(|| guess_delimiter(&text, complete, format_hint));
    let records = split_records(&text, delimiter, complete, MAX_SNIFF_RECORDS);
    let Some(first) = records.first() else {
        return Err(DataError::Empty { file });
    };
    let header_fields = first.fields.len();

    // Rows with more fields than the first line cannot be read.
    if let Some(bad) = records.iter().find(|r| r.fields.len() > header_fields) {
        return Err(DataError::Ragged {
            file,
            line: bad.line,
            expected: header_fields,
            found: bad.fields.len(),
        });
    }

    let decimal_comma = options.decimal_comma.unwrap_or_else(|| {
        delimiter != b',' && {
            let (comma, dot) = decimal_counts(records.iter().skip(1));
            comma > dot
        }
    });
    let has_header = options.has_header.unwrap_or_else(|| {
        // No header when every field of the first line is a number and other lines follow.
        !(records.len() > 1
            && first
                .fields
                .iter()
                .all(|f| parse_number(f, decimal_comma).is_some()))
    });
    if has_header && records.len() == 1 && complete {
        return Err(DataError::NoRows { file });
    }
    let data_records = records.len().max(1) as f64;
    let sample_bytes = records.last().map_or(text.len(), |r| r.end_byte).max(1) as f64;
    // UTF-16 takes about twice the bytes of the decoded text.
    let scale = match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2.0,
        _ => 1.0,
    };
    Ok(CsvDialect {
        delimiter,
        decimal_comma,
        has_header,
        encoding,
        header_fields,
        bytes_per_row: scale * sample_bytes / data_records,
        multiline_fields: records.iter().any(|r| r.lines > 1),
        exact_rows: (complete && records.len() < MAX_SNIFF_RECORDS)
            .then(|| records.len() as u64 - u64::from(has_header)),
    })
}

/// One record of a delimited text.
pub(crate) struct Record {
    /// Line on which the record starts, counted from 1.
    pub line: u64,
    /// Lines the record spans.
    pub lines: u64,
    pub fields: Vec<String>,
    /// Byte offset just past the record's end.
    pub end_byte: usize,
}

/// Split delimited text into records, honouring quotes ("a, b" and doubled "" inside quotes).
/// Blank lines are skipped. When `complete` is false the last, possibly cut, record is dropped.
pub(crate) fn split_records(text: &str, delimiter: u8, complete: bool, max: usize) -> Vec<Record> {
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut in_quotes = false;
    let mut line: u64 = 1;
    let mut record_line: u64 = 1;
    let mut i = 0;
    let push_record = |fields: &mut Vec<String>,
                       field: &mut Vec<u8>,
                       record_line: u64,
                       line: u64,
                       end: usize,
                       records: &mut Vec<Record>| {
        fields.push(String::from_utf8_lossy(field).into_owned());
        field.clear();
        let blank = fields.len() == 1 && fields.first().is_some_and(|f| f.trim().is_empty());
        if !blank {
            records.push(Record {
                line: record_line,
                lines: line - record_line + 1,
                fields: std::mem::take(fields),
                end_byte: end,
            });
        } else {
            fields.clear();
        }
    };
    while i < bytes.len() && records.len() < max {
        let Some(&b) = bytes.get(i) else { break };
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else {
                if b == b'\n' {
                    line += 1;
                }
                field.push(b);
            }
        } else if b == b'"' && field.iter().all(u8::is_ascii_whitespace) {
            field.clear();
            in_quotes = true;
        } else if b == delimiter {
            fields.push(String::from_utf8_lossy(&field).into_owned());
            field.clear();
        } else if b == b'\n' {
            if field.last() == Some(&b'\r') {
                field.pop();
            }
            push_record(
                &mut fields,
                &mut field,
                record_line,
                line,
                i + 1,
                &mut records,
            );
            line += 1;
            record_line = line;
        } else {
            field.push(b);
        }
        i += 1;
    }
    if complete && records.len() < max && (!field.is_empty() || !fields.is_empty()) {
        if field.last() == Some(&b'\r') {
            field.pop();
        }
        push_record(
            &mut fields,
            &mut field,
            record_line,
            line,
            bytes.len(),
            &mut records,
        );
    }
    records
}

/// Pick the delimiter whose field count is the same on most lines, and on the first line.
fn guess_delimiter(text: &str, complete: bool, hint: FileFormat) -> u8 {
    let preferred = if hint == FileFormat::Tsv { b'\t' } else { b',' };
    let mut candidates = vec![preferred];
    for d in [b',', b';', b'\t', b'|'] {
        if d != preferred {
            candidates.push(d);
        }
    }
    let mut best = (preferred, f64::MIN);
    for &d in &candidates {
        let records = split_records(text, d, complete, 500);
        let counts: Vec<usize> = records.iter().map(|r| r.fields.len()).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let mode = mode(&counts);
        if mode < 2 {
            continue;
        }
        let same = counts.iter().filter(|&&c| c == mode).count() as f64 / counts.len() as f64;
        let header_matches = if first == mode { 1.0 } else { 0.0 };
        // Consistency first, then the first line agreeing, then more fields.
        let score = same * 10.0 + header_matches * 5.0 + (mode as f64).min(100.0) / 1000.0;
        if score > best.1 + 1e-9 {
            best = (d, score);
        }
    }
    best.0
}

fn mode(counts: &[usize]) -> usize {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    let mut i = 0;
    while i < sorted.len() {
        let Some(&value) = sorted.get(i) else { break };
        let run = sorted[i..].iter().take_while(|&&c| c == value).count();
        if run > best.1 {
            best = (value, run);
        }
        i += run.max(1);
    }
    best.0
}

/// How many fields look like "1,5" (decimal comma) and "1.5" (decimal point).
fn decimal_counts<'a>(records: impl Iterator<Item = &'a Record>) -> (usize, usize) {
    let mut comma = 0;
    let mut dot = 0;
    for r in records {
        for f in &r.fields {
            let f = f.trim();
            let f = f.strip_prefix(['-', '+']).unwrap_or(f);
            let is_num = |sep: char| {
                let mut parts = f.splitn(2, sep);
                match (parts.next(), parts.next()) {
                    (Some(a), Some(b)) => {
                        !a.is_empty()
                            && !b.is_empty()
                            && a.bytes().all(|c| c.is_ascii_digit())
                            && b.bytes().all(|c| c.is_ascii_digit())
                    }
                    _ => false,
                }
            };
            if is_num(',') {
                comma += 1;
            } else if is_num('.') {
                dot += 1;
            }
        }
    }
    (comma, dot)
}

/// A number as written in a data file: "1.5", "-2", "1e-3", "NaN", "inf", or "1,5" with a
/// decimal comma. Surrounding spaces are ignored.
pub fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if decimal_comma && t.contains(',') {
        if t.contains('.') {
            return None;
        }
        return t.replacen(',', ".", 1).parse().ok();
    }
    t.parse().ok()
}

/// The line (from 1) holding byte `offset` of `bytes`.
pub(crate) fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let end = offset.min(bytes.len());
    bytes
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64)
        + 1
}

/// Read a whole file, stream by stream, to find the first line that is not valid UTF-8.
pub(crate) fn find_invalid_utf8_line(path: &Path) -> Option<u64> {
    let file = File::open(path).ok()?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).ok()?;
        if n == 0 {
            return None;
        }
        line_no += 1;
        let content = if line_no == 1 { text_head(&buf) } else { &buf };
        if std::str::from_utf8(content).is_err() {
            return Some(line_no);
        }
    }
}

/// Read a whole delimited file to find the first record with more fields than the first one.
/// Returns (line, expected, found).
pub(crate) fn find_ragged_line(path: &Path, delimiter: u8) -> Option<(u64, usize, usize)> {
    let file = File::open(path).ok()?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0u64;
    let mut expected: Option<usize> = None;
    let mut in_quotes = false;
    let mut fields = 1usize;
    let mut record_line = 1u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).ok()?;
        if n == 0 {
            return None;
        }
        line_no += 1;
        if !in_quotes {
            record_line = line_no;
            fields = 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
        }
        for &b in &buf {
            if b == b'"' {
                in_quotes = !in_quotes;
            } else if b == delimiter && !in_quotes {
                fields += 1;
            }
        }
        if !in_quotes {
            match expected {
                None => expected = Some(fields),
                Some(e) if fields > e => return Some((record_line, e, fields)),
                Some(_) => {}
            }
        }
    }
}

/// The line on which data record `row` (from 1) starts, reading the file through. Only used
/// to name a line in an error message.
pub(crate) fn line_of_row(path: &Path, dialect: &CsvDialect, row: u64) -> Option<u64> {
    let utf16 = matches!(
        dialect.encoding,
        TextEncoding::Utf16Le | TextEncoding::Utf16Be
    );
    if !dialect.multiline_fields || utf16 {
        // Every record is one line; blank lines are rare enough to ignore here.
        return Some(row + u64::from(dialect.has_header));
    }
    let file = File::open(path).ok()?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line_no = 0u64;
    let mut in_quotes = false;
    let mut records = 0u64;
    let wanted = row + u64::from(dialect.has_header);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).ok()? == 0 {
            return None;
        }
        line_no += 1;
        if !in_quotes {
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            records += 1;
            if records == wanted {
                return Some(line_no);
            }
        }
        for &b in &buf {
            if b == b'"' {
                in_quotes = !in_quotes;
            }
        }
    }
}

#[cfg(test)]
mod tests;
