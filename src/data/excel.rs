//! Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine into a polars frame.
//!
//! The first row of the sheet holds the column names. A column whose cells are all numbers
//! becomes numeric, all true/false becomes boolean, all dates becomes a date-time; anything
//! mixed becomes text (so that text in a numeric column is reported like in a CSV file).
//! Empty cells and Excel errors (#N/A, #DIV/0!) are missing values.

use std::path::Path;

use calamine::{Data, Reader as _, open_workbook_auto};
use polars::prelude::*;

use super::error::{DataError, file_name, first_sentence};

/// Most a workbook may unpack to (its parts added up, as its zip directory declares them).
const MAX_UNPACKED_BYTES: u64 = 1 << 30;
/// Above this size, a workbook may unpack to at most this many times its own size. Real
/// workbooks unpack 5 to 20 times; a zip bomb (a few KB or MB that unpack to gigabytes) far more.
const MAX_RATIO: u64 = 100;
const RATIO_CHECKED_ABOVE_BYTES: u64 = 64 << 20;

/// Open a workbook, after checking that a zip-based one (.xlsx, .xlsm, .xlsb, .ods) does not
/// unpack to more than memory can hold. The zip reader never unpacks more than an entry
/// declares, so the declared sizes bound what reading the workbook costs.
fn open_workbook(
    path: &Path,
) -> Result<calamine::Sheets<std::io::BufReader<std::fs::File>>, DataError> {
    check_unpacked_size(path)?;
    open_workbook_auto(path).map_err(|e| excel_error(path, &e))
}

fn check_unpacked_size(path: &Path) -> Result<(), DataError> {
    let file = std::fs::File::open(path).map_err(|e| DataError::io(path, &e))?;
    let packed = file.metadata().map(|m| m.len()).unwrap_or(0);
    // Not a zip archive (an old .xls): nothing to check here.
    let Ok(mut archive) = ::zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Ok(());
    };
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            unpacked = unpacked.saturating_add(entry.size());
        }
    }
    let too_large = unpacked > MAX_UNPACKED_BYTES
        || (unpacked > RATIO_CHECKED_ABOVE_BYTES && unpacked / packed.max(1) > MAX_RATIO);
    if too_large {
        return Err(DataError::Unreadable {
            file: file_name(path),
            format: "an Excel workbook".into(),
            reason: format!(
                "it is {} but would unpack to {}, more than a workbook can hold ({} at most, \
                 or {MAX_RATIO} times its size); it may be damaged or built to exhaust memory, \
                 so it was not opened",
                byte_size(packed),
                byte_size(unpacked),
                byte_size(MAX_UNPACKED_BYTES)
            ),
        });
    }
    Ok(())
}

/// "3.2 MB", "1.0 GB".
fn byte_size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} KB", (b / 1e3).max(1.0))
    }
}

/// The names of the sheets of a workbook.
pub fn sheet_names(path: &Path) -> Result<Vec<String>, DataError> {
    let workbook = open_workbook(path)?;
    Ok(workbook.sheet_names())
}

/// Read one sheet (the first with data when `sheet` is `None`).
pub(crate) fn read_excel(path: &Path, sheet: Option<&str>) -> Result<DataFrame, DataError> {
    let file = file_name(path);
    let mut workbook = open_workbook(path)?;
    let names = workbook.sheet_names();
    let range = match sheet {
        Some(sheet) => {
            if !names.iter().any(|n| n == sheet) {
                return Err(DataError::UnknownSheet {
                    file,
                    sheet: sheet.to_string(),
                    available: names,
                });
            }
            workbook
                .worksheet_range(sheet)
                .map_err(|e| excel_error(path, &e))?
        }
        None => {
            let mut found = None;
            for name in &names {
                let range = workbook
                    .worksheet_range(name)
                    .map_err(|e| excel_error(path, &e))?;
                if !range.is_empty() {
                    found = Some(range);
                    break;
                }
            }
            found.ok_or(DataError::NoSheets { file: file.clone() })?
        }
    };
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(DataError::Empty { file });
    };
    let names = column_names(header);
    let data: Vec<&[Data]> = rows
        .filter(|r| !r.iter().all(|c| matches!(c, Data::Empty)))
        .collect();
    if data.is_empty() {
        return Err(DataError::NoRows { file });
    }
    let columns: Vec<Column> = names
        .iter()
        .enumerate()
        .map(|(i, name)| build_column(name, data.iter().map(|r| r.get(i))))
        .collect();
    DataFrame::new(data.len(), columns).map_err(|e| DataError::Unreadable {
        file,
        format: "an Excel workbook".into(),
        reason: first_sentence(&e.to_string()),
    })
}

fn excel_error(path: &Path, error: &calamine::Error) -> DataError {
    match error {
        calamine::Error::Io(e) => DataError::io(path, e),
        other => DataError::Unreadable {
            file: file_name(path),
            format: "an Excel workbook".into(),
            reason: first_sentence(&other.to_string()),
        },
    }
}

/// Column names from the header row: blanks become "column N", repeats get a suffix.
fn column_names(header: &[Data]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let base = match cell_text(cell) {
            Some(t) if !t.trim().is_empty() => t.trim().to_string(),
            _ => format!("column {}", i + 1),
        };
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base} ({k})");
            k += 1;
        }
        names.push(name);
    }
    names
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Int,
    Float,
    Bool,
    Date,
    Text,
}

fn kind_of(cell: &Data) -> Kind {
    match cell {
        Data::Empty | Data::Error(_) => Kind::None,
        Data::Int(_) => Kind::Int,
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Kind::Int,
        Data::Float(_) => Kind::Float,
        Data::Bool(_) => Kind::Bool,
        Data::DateTime(d) if d.is_datetime() => Kind::Date,
        Data::String(s) if s.trim().is_empty() => Kind::None,
        _ => Kind::Text,
    }
}

fn merge(a: Kind, b: Kind) -> Kind {
    match (a, b) {
        (Kind::None, k) | (k, Kind::None) => k,
        (x, y) if x == y => x,
        (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
        _ => Kind::Text,
    }
}

fn build_column<'a>(name: &str, cells: impl Iterator<Item = Option<&'a Data>> + Clone) -> Column {
    let kind = cells
        .clone()
        .fold(Kind::None, |k, c| merge(k, c.map_or(Kind::None, kind_of)));
    let name = PlSmallStr::from_str(name);
    match kind {
        Kind::Int => {
            let values: Vec<Option<i64>> = cells
                .map(|c| match c {
                    Some(Data::Int(i)) => Some(*i),
                    Some(Data::Float(f)) => Some(*f as i64),
                    _ => None,
                })
                .collect();
            Column::new(name, values)
        }
        Kind::Float => {
            let values: Vec<Option<f64>> = cells
                .map(|c| match c {
                    Some(Data::Int(i)) => Some(*i as f64),
                    Some(Data::Float(f)) => Some(*f),
                    _ => None,
                })
                .collect();
            Column::new(name, values)
        }
        Kind::Bool => {
            let values: Vec<Option<bool>> = cells
                .map(|c| match c {
                    Some(Data::Bool(b)) => Some(*b),
                    _ => None,
                })
                .collect();
            Column::new(name, values)
        }
        Kind::Date => {
            let values: Vec<Option<i64>> = cells
                .map(|c| match c {
                    Some(Data::DateTime(d)) => Some(epoch_millis(d)),
                    _ => None,
                })
                .collect();
            let column = Column::new(name.clone(), values);
            column
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                .unwrap_or(column)
        }
        Kind::None | Kind::Text => {
            let values: Vec<Option<String>> = cells.map(|c| c.and_then(cell_text)).collect();
            Column::new(name, values)
        }
    }
}

/// A cell as text (numbers without a needless ".0"); `None` when empty or an error.
fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty | Data::Error(_) => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            Some(if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            })
        }
    }
}

/// Milliseconds since 1970-01-01 of an Excel date-time.
fn epoch_millis(d: &calamine::ExcelDateTime) -> i64 {
    let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
    let days = days_from_civil(i64::from(y), i64::from(mo), i64::from(da));
    ((days * 24 + i64::from(h)) * 60 + i64::from(mi)) * 60_000 + i64::from(s) * 1000 + i64::from(ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn header_names_are_unique() {
        let names = column_names(&[
            Data::String("a".into()),
            Data::Empty,
            Data::String("a".into()),
        ]);
        assert_eq!(names, vec!["a", "column 2", "a (2)"]);
    }

    #[test]
    fn mixed_column_is_text() {
        let cells = [Data::Float(1.0), Data::String("abc".into()), Data::Empty];
        let c = build_column("x", cells.iter().map(Some));
        assert_eq!(c.dtype(), &DataType::String);
        let cells = [
            Data::Float(1.5),
            Data::Int(2),
            Data::Error(calamine::CellErrorType::NA),
        ];
        let c = build_column("x", cells.iter().map(Some));
        assert_eq!(c.dtype(), &DataType::Float64);
        assert_eq!(c.null_count(), 1);
    }
}
