//! The preview of a data file: its first rows as text, the column types in plain words, and
//! (after a pass over the whole file, on a worker) missing counts, minimum and maximum.
//!
//! Plain types only (no polars in the API), so the UI can draw them. The UI shows a virtualised
//! table over [`Preview::rows`] and asks for further pages with [`rows_page`] as the user
//! scrolls, so the whole file is never held in memory for the preview.

use std::sync::atomic::AtomicBool;

use polars::prelude::*;

use crate::model::FileFormat;

use super::error::{DataError, first_sentence};
use super::source::{BatchSink, LoadProgress, Source};

/// Rows read for the preview table and for recognising column roles.
pub const PREVIEW_ROWS: usize = 500;

/// How many rows a file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowCount {
    Exact(u64),
    /// Estimated from the file size.
    About(u64),
    Unknown,
}

impl RowCount {
    pub fn describe(self) -> String {
        match self {
            RowCount::Exact(n) => format!("{} rows", thousands(n)),
            RowCount::About(n) => format!("about {} rows", thousands(n)),
            RowCount::Unknown => "rows not counted yet".into(),
        }
    }

    /// The count, exact or estimated.
    pub fn value(self) -> Option<u64> {
        match self {
            RowCount::Exact(n) | RowCount::About(n) => Some(n),
            RowCount::Unknown => None,
        }
    }
}

/// One column of the preview.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewColumn {
    pub name: String,
    /// The type in plain words: "number", "whole number", "text", "date", ...
    pub dtype: String,
    pub numeric: bool,
    /// Distinct values among the preview rows, and up to [`EXAMPLE_VALUES`] of them (for text).
    pub distinct_in_preview: usize,
    pub examples: Vec<String>,
}

/// How many example values of a text column the preview keeps.
pub const EXAMPLE_VALUES: usize = 8;

/// Figures over the whole file for one column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnStats {
    pub name: String,
    /// The type after reading the whole file (text when text turned up far down).
    pub dtype: String,
    pub missing: u64,
    /// Minimum and maximum as shown to the user (numbers and dates; `None` for text).
    pub min: Option<String>,
    pub max: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// Of the values, how many are NaN or infinite (counted as missing by the analysis).
    pub non_finite: u64,
}

/// The start of a file, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    pub file: String,
    pub format: FileFormat,
    /// "comma-separated, UTF-8" for text files.
    pub dialect: Option<String>,
    pub size_bytes: u64,
    pub columns: Vec<PreviewColumn>,
    /// The first rows, as text (`None` for a missing value).
    pub rows: Vec<Vec<Option<String>>>,
    pub total_rows: RowCount,
    /// The sheets of an Excel workbook (empty for other formats).
    pub sheets: Vec<String>,
}

/// Figures over the whole file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileStats {
    pub rows: u64,
    pub columns: Vec<ColumnStats>,
}

/// The preview of an opened file: reads only its first rows.
pub fn preview(source: &Source) -> Result<Preview, DataError> {
    let head = source.head(PREVIEW_ROWS)?;
    Ok(preview_from_head(source, &head))
}

pub(crate) fn preview_from_head(source: &Source, head: &DataFrame) -> Preview {
    let columns = head
        .columns()
        .iter()
        .map(|c| {
            let mut examples: Vec<String> = Vec::new();
            let mut distinct = std::collections::HashSet::new();
            for i in 0..c.len() {
                if let Some(text) = c.get(i).ok().and_then(|v| cell_text(&v))
                    && distinct.insert(text.clone())
                    && examples.len() < EXAMPLE_VALUES
                    && c.dtype().is_string()
                {
                    examples.push(text);
                }
            }
            PreviewColumn {
                name: c.name().to_string(),
                dtype: dtype_words(c.dtype()),
                numeric: c.dtype().is_primitive_numeric(),
                distinct_in_preview: distinct.len(),
                examples,
            }
        })
        .collect();
    let rows = frame_rows(head);
    let total_rows = match source.known_rows() {
        Some(n) => RowCount::Exact(n),
        None if head.height() < PREVIEW_ROWS => RowCount::Exact(head.height() as u64),
        None => source
            .estimated_rows()
            .map_or(RowCount::Unknown, RowCount::About),
    };
    Preview {
        file: source.file_name(),
        format: source.format(),
        dialect: source.dialect().map(|d| d.describe()),
        size_bytes: source.size_bytes(),
        columns,
        rows,
        total_rows,
        sheets: if source.format() == FileFormat::Excel {
            super::excel::sheet_names(source.path()).unwrap_or_default()
        } else {
            Vec::new()
        },
    }
}

/// Rows `offset..offset + len` of the file as text, for scrolling the preview table.
pub fn rows_page(
    source: &Source,
    offset: u64,
    len: usize,
) -> Result<Vec<Vec<Option<String>>>, DataError> {
    let df = source.read_with_retry(|lf| lf.slice(offset as i64, len as IdxSize))?;
    Ok(frame_rows(&df))
}

fn frame_rows(df: &DataFrame) -> Vec<Vec<Option<String>>> {
    let columns = df.columns();
    (0..df.height())
        .map(|i| {
            columns
                .iter()
                .map(|c| c.get(i).ok().and_then(|v| cell_text(&v)))
                .collect()
        })
        .collect()
}

/// A value as the user would write it; `None` when missing.
pub fn cell_text(value: &AnyValue<'_>) -> Option<String> {
    match value {
        AnyValue::Null => None,
        AnyValue::String(s) => Some((*s).to_string()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        AnyValue::Boolean(b) => Some(b.to_string()),
        AnyValue::Float64(f) => Some(number_text(*f)),
        AnyValue::Float32(f) => Some(number_text(f64::from(*f))),
        other => {
            let text = other.to_string();
            Some(text.trim_matches('"').to_string())
        }
    }
}

/// A number with at most 6 significant digits after the point, without trailing zeros.
pub fn number_text(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-5..15).contains(&magnitude) {
        return format!("{x:e}");
    }
    let decimals = (5 - magnitude).clamp(0, 10) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A column type in plain words.
pub fn dtype_words(dtype: &DataType) -> String {
    match dtype {
        d if d.is_integer() => "whole number".into(),
        d if d.is_float() => "number".into(),
        DataType::Boolean => "true/false".into(),
        DataType::String => "text".into(),
        DataType::Date => "date".into(),
        DataType::Datetime(_, _) => "date and time".into(),
        DataType::Duration(_) => "duration".into(),
        DataType::Null => "empty".into(),
        other => other.to_string(),
    }
}

/// Missing counts, minimum and maximum of every column, reading the whole file in batches on
/// the calling (worker) thread.
pub fn file_stats(
    source: &Source,
    progress: &mut dyn FnMut(LoadProgress),
    cancel: &AtomicBool,
) -> Result<FileStats, DataError> {
    let names = source.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut sink = StatsSink::default();
    let rows = source.for_each_batch(&names, progress, cancel, &mut sink)?;
    let columns = sink
        .columns
        .into_iter()
        .map(|a| a.finish())
        .collect::<Vec<_>>();
    Ok(FileStats { rows, columns })
}

#[derive(Default)]
struct StatsSink {
    columns: Vec<Accumulator>,
}

#[derive(Default)]
struct Accumulator {
    name: String,
    dtype: Option<DataType>,
    missing: u64,
    non_finite: u64,
    min: Option<f64>,
    max: Option<f64>,
}

impl Accumulator {
    fn add(&mut self, column: &Column) -> Result<(), DataError> {
        self.missing += column.null_count() as u64;
        let dtype = column.dtype().clone();
        let measurable = dtype.is_primitive_numeric()
            || dtype.is_bool()
            || matches!(dtype, DataType::Date | DataType::Datetime(_, _));
        if measurable {
            let physical = if dtype.is_primitive_numeric() || dtype.is_bool() {
                column.cast(&DataType::Float64)
            } else {
                column.to_physical_repr().cast(&DataType::Float64)
            }
            .map_err(|e| DataError::Unreadable {
                file: String::new(),
                format: "a data file".into(),
                reason: first_sentence(&e.to_string()),
            })?;
            if let Ok(values) = physical.f64() {
                for v in values.iter().flatten() {
                    if !v.is_finite() {
                        self.non_finite += 1;
                        continue;
                    }
                    self.min = Some(self.min.map_or(v, |m| m.min(v)));
                    self.max = Some(self.max.map_or(v, |m| m.max(v)));
                }
            }
        }
        self.dtype = Some(dtype);
        Ok(())
    }

    fn finish(self) -> ColumnStats {
        let dtype = self.dtype.unwrap_or(DataType::Null);
        let show = |x: f64| -> String {
            match &dtype {
                DataType::Date => date_text(x as i64 * 86_400_000, false),
                DataType::Datetime(unit, _) => {
                    let millis = match unit {
                        TimeUnit::Nanoseconds => x / 1e6,
                        TimeUnit::Microseconds => x / 1e3,
                        TimeUnit::Milliseconds => x,
                    };
                    date_text(millis as i64, true)
                }
                _ => number_text(x),
            }
        };
        ColumnStats {
            name: self.name,
            dtype: dtype_words(&dtype),
            missing: self.missing,
            min: self.min.map(show),
            max: self.max.map(show),
            min_value: self.min,
            max_value: self.max,
            non_finite: self.non_finite,
        }
    }
}

impl BatchSink for StatsSink {
    fn batch(&mut self, batch: &DataFrame, _first_row: u64) -> Result<(), DataError> {
        if self.columns.is_empty() {
            self.columns = batch
                .columns()
                .iter()
                .map(|c| Accumulator {
                    name: c.name().to_string(),
                    ..Accumulator::default()
                })
                .collect();
        }
        for (acc, column) in self.columns.iter_mut().zip(batch.columns()) {
            acc.add(column)?;
        }
        Ok(())
    }

    fn restart(&mut self) {
        self.columns.clear();
    }
}

/// "2024-03-01" or "2024-03-01 12:30:00" from milliseconds since 1970.
fn date_text(millis: i64, with_time: bool) -> String {
    let days = millis.div_euclid(86_400_000);
    let ms_of_day = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    if !with_time || ms_of_day == 0 {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let secs = ms_of_day / 1000;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Howard Hinnant's inverse of days_from_civil.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(0.123_456_789), "0.123457");
        assert_eq!(number_text(1234.5678), "1234.57");
        assert_eq!(number_text(-0.5), "-0.5");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(date_text(19_783 * 86_400_000, true), "2024-03-01");
        assert_eq!(
            date_text(19_783 * 86_400_000 + 45_000_000, true),
            "2024-03-01 12:30:00"
        );
    }
}
