//! Errors from reading data files, written as plain sentences for people who do not program.
//!
//! Every message names the file, and where it applies the column (with the columns that do
//! exist), the row or line and the value at fault (CONTRACT.md "Exit codes and errors").

use std::fmt::Write as _;
use std::path::Path;

use thiserror::Error;

/// Why a data file could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DataError {
    #[error("The file \"{file}\" was not found. It may have been moved, renamed or deleted.")]
    NotFound { file: String },

    #[error("The file \"{file}\" could not be read: {reason}.")]
    Io { file: String, reason: String },

    #[error("\"{file}\" is a folder, not a data file.")]
    IsFolder { file: String },

    #[error("The file \"{file}\" is empty: it has no column names and no rows.")]
    Empty { file: String },

    #[error("The file \"{file}\" has column names but no rows of data.")]
    NoRows { file: String },

    #[error(
        "The file \"{file}\" does not look like a data file: it contains binary data. \
         Throughline reads {SUPPORTED}."
    )]
    Binary { file: String },

    #[error(
        "Throughline does not know the format of \"{file}\". It reads {SUPPORTED}. \
         Save the data in one of these formats and add it again."
    )]
    UnknownFormat { file: String },

    #[error(
        "The file \"{file}\" is not UTF-8 text: line {line} holds bytes that are not valid \
         UTF-8 (the file was probably saved in an older encoding such as Windows-1252 or \
         Latin-1). Save it again as UTF-8 (in Excel: \"CSV UTF-8\") and add it again."
    )]
    NotUtf8 { file: String, line: u64 },

    #[error(
        "Line {line} of \"{file}\" has {found} fields, but the first line has {expected}. \
         Look for an extra delimiter or an unquoted comma on that line."
    )]
    Ragged {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },

    #[error(
        "The file \"{file}\" has no column \"{column}\". {}",
        list_columns(available)
    )]
    UnknownColumn {
        file: String,
        column: String,
        available: Vec<String>,
    },

    #[error(
        "The column \"{column}\" of \"{file}\" should hold numbers, but {} holds \"{value}\". \
         Correct that value, or choose to count values that are not numbers as missing.",
        row_words(*row, *line)
    )]
    NotNumeric {
        file: String,
        column: String,
        /// Data row, counted from 1 (the header is not a row).
        row: u64,
        /// Line of a text file (CSV, TSV, NDJSON), when known.
        line: Option<u64>,
        value: String,
    },

    #[error(
        "The workbook \"{file}\" has no sheet \"{sheet}\". Its sheets are: {}.",
        quoted(available)
    )]
    UnknownSheet {
        file: String,
        sheet: String,
        available: Vec<String>,
    },

    #[error("The workbook \"{file}\" has no sheets with data.")]
    NoSheets { file: String },

    #[error("The file \"{file}\" could not be read as {format}: {reason}.")]
    Unreadable {
        file: String,
        format: String,
        reason: String,
    },

    #[error("Loading \"{file}\" was cancelled.")]
    Cancelled { file: String },
}

/// The formats named in messages.
pub const SUPPORTED: &str = "CSV and TSV text files, Parquet, JSON and NDJSON, Arrow IPC \
                             (Feather) and Excel workbooks (.xlsx)";

impl DataError {
    /// The file the error is about, as it was named to the reader.
    pub fn file(&self) -> &str {
        match self {
            DataError::NotFound { file }
            | DataError::Io { file, .. }
            | DataError::IsFolder { file }
            | DataError::Empty { file }
            | DataError::NoRows { file }
            | DataError::Binary { file }
            | DataError::UnknownFormat { file }
            | DataError::NotUtf8 { file, .. }
            | DataError::Ragged { file, .. }
            | DataError::UnknownColumn { file, .. }
            | DataError::NotNumeric { file, .. }
            | DataError::UnknownSheet { file, .. }
            | DataError::NoSheets { file }
            | DataError::Unreadable { file, .. }
            | DataError::Cancelled { file } => file,
        }
    }

    /// Whether the user cancelled the work (not a failure to report as an error).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, DataError::Cancelled { .. })
    }

    /// Whether the file itself is missing (the UI offers "Locate file...").
    pub fn is_not_found(&self) -> bool {
        matches!(self, DataError::NotFound { .. })
    }

    /// An error for an I/O failure on `path`.
    pub fn io(path: &Path, error: &std::io::Error) -> Self {
        let file = file_name(path);
        match error.kind() {
            std::io::ErrorKind::NotFound => DataError::NotFound { file },
            std::io::ErrorKind::IsADirectory => DataError::IsFolder { file },
            std::io::ErrorKind::PermissionDenied => DataError::Io {
                file,
                reason: "permission denied".into(),
            },
            _ => DataError::Io {
                file,
                reason: first_sentence(&error.to_string()),
            },
        }
    }

    /// An unknown column, listing the columns the file has.
    pub fn unknown_column(path: &Path, column: &str, available: Vec<String>) -> Self {
        DataError::UnknownColumn {
            file: file_name(path),
            column: column.to_string(),
            available,
        }
    }
}

/// How a path is named in messages: as the user gave it.
pub(crate) fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// The first line of an error message from a library, without its programming hints, and
/// without a trailing full stop (the message template adds one).
pub(crate) fn first_sentence(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown error");
    let line = line.trim_end_matches(['.', ':']);
    // Library messages often start in lower case; so do ours after a colon.
    line.to_string()
}

fn list_columns(available: &[String]) -> String {
    if available.is_empty() {
        return "It has no columns.".to_string();
    }
    const MAX: usize = 40;
    let mut out = String::from("Its columns are: ");
    out.push_str(&quoted(&available[..available.len().min(MAX)]));
    if available.len() > MAX {
        let _ = write!(out, " and {} more", available.len() - MAX);
    }
    out.push('.');
    out
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_words(row: u64, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("row {row} (line {line} of the file)"),
        None => format!("row {row}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_column_lists_the_columns() {
        let e = DataError::unknown_column(
            Path::new("ab.csv"),
            "revenue",
            vec!["variant".into(), "converted".into()],
        );
        assert_eq!(
            e.to_string(),
            "The file \"ab.csv\" has no column \"revenue\". Its columns are: \"variant\", \
             \"converted\"."
        );
    }

    #[test]
    fn not_numeric_names_column_row_and_value() {
        let e = DataError::NotNumeric {
            file: "ab.csv".into(),
            column: "revenue_usd".into(),
            row: 201,
            line: Some(202),
            value: "abc".into(),
        };
        let text = e.to_string();
        assert!(text.contains("\"revenue_usd\""), "{text}");
        assert!(text.contains("row 201 (line 202 of the file)"), "{text}");
        assert!(text.contains("\"abc\""), "{text}");
    }

    #[test]
    fn first_sentence_drops_hints() {
        assert_eq!(
            first_sentence("could not parse\n\nYou might want to try:\n- x"),
            "could not parse"
        );
    }
}
