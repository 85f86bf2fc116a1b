//! A column of a batch read as numbers or as text, with the importer's rules for missing
//! values and bad cells.

use polars::prelude::*;

use super::{MISSING_MARKERS, Source};
use crate::data::detect;
use crate::data::error::{DataError, first_sentence};
use crate::model::FileFormat;

impl Source {
    /// Call `f` with each value of a column read from this file, as a number. Integers, floats
    /// and booleans (0/1) are numbers; text is read as a number where it is one ("1.5", or
    /// "1,5" in a file with a decimal comma). Empty values and the [`MISSING_MARKERS`] are
    /// missing. Other text is an error naming the column, row and value, unless
    /// `skip_bad_rows`, when it is passed as [`Cell::Unreadable`]. `first_row` is the index
    /// of the column's first value in the file (for messages). NaN and ±inf are passed as
    /// values: the analysis counts them as missing with a warning.
    pub fn for_each_number(
        &self,
        column: &Column,
        first_row: u64,
        skip_bad_rows: bool,
        mut f: impl FnMut(usize, Cell),
    ) -> Result<(), DataError> {
        let bad = |i: usize, value: String| {
            let row = first_row + i as u64 + 1;
            let line = match self.format {
                FileFormat::Csv | FileFormat::Tsv => self
                    .dialect
                    .as_ref()
                    .and_then(|d| detect::line_of_row(&self.path, d, row)),
                FileFormat::NdJson => Some(row),
                FileFormat::Excel => Some(row + 1),
                _ => None,
            };
            DataError::NotNumeric {
                file: self.file_name(),
                column: column.name().to_string(),
                row,
                line,
                value,
            }
        };
        let dtype = column.dtype();
        if dtype.is_primitive_numeric() || dtype.is_bool() {
            let cast = column
                .cast(&DataType::Float64)
                .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
            let values = cast
                .f64()
                .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
            for (i, v) in values.iter().enumerate() {
                f(i, v.map_or(Cell::Missing, Cell::Value));
            }
            return Ok(());
        }
        if dtype.is_string() {
            let decimal_comma = self.decimal_comma();
            let values = column
                .str()
                .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
            for (i, v) in values.iter().enumerate() {
                let cell = match v {
                    None => Cell::Missing,
                    Some(text) => {
                        let t = text.trim();
                        if t.is_empty() || MISSING_MARKERS.contains(&t) {
                            Cell::Missing
                        } else if let Some(x) = detect::parse_number(t, decimal_comma) {
                            Cell::Value(x)
                        } else if skip_bad_rows {
                            Cell::Unreadable
                        } else {
                            return Err(bad(i, text.to_string()));
                        }
                    }
                };
                f(i, cell);
            }
            return Ok(());
        }
        // Dates, lists and other types are never numbers.
        let first = (0..column.len())
            .find_map(|i| {
                column
                    .get(i)
                    .ok()
                    .filter(|v| !v.is_null())
                    .map(|v| (i, v.to_string()))
            })
            .unwrap_or((0, dtype.to_string()));
        if skip_bad_rows {
            for i in 0..column.len() {
                let missing = column.get(i).map(|v| v.is_null()).unwrap_or(true);
                f(
                    i,
                    if missing {
                        Cell::Missing
                    } else {
                        Cell::Unreadable
                    },
                );
            }
            return Ok(());
        }
        Err(bad(first.0, first.1.trim_matches('"').to_string()))
    }

    /// Call `f` with each value of a column as text (`None` when missing), e.g. the variant
    /// column. Numbers are written as in the file ("1", "2.5"), booleans as "true"/"false".
    pub fn for_each_text(
        &self,
        column: &Column,
        mut f: impl FnMut(usize, Option<&str>),
    ) -> Result<(), DataError> {
        let text = column
            .cast(&DataType::String)
            .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
        let values = text
            .str()
            .map_err(|e| self.unreadable(&first_sentence(&e.to_string())))?;
        for (i, v) in values.iter().enumerate() {
            let v = v.map(str::trim).filter(|t| !t.is_empty());
            f(i, v);
        }
        Ok(())
    }
}

/// One value of a numeric column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A number (possibly NaN or ±inf).
    Value(f64),
    /// An empty value or a missing marker such as "NA".
    Missing,
    /// Text that is not a number, let through because bad rows are skipped.
    Unreadable,
}
