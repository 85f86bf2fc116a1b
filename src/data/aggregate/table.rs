//! Column-oriented files: Parquet, Arrow IPC and JSON through polars (only the needed columns
//! are read), Excel through calamine.

use std::path::Path;

use polars::prelude::{
    DataType, IntoLazy, IpcScanOptions, JsonReader, LazyFileListReader, LazyFrame,
    LazyJsonLineReader, PlRefPath, ScanArgsParquet, SerReader, UnifiedScanArgs, col,
};

use super::cells::Cell;
use super::csv_scan::Sink;
use super::{AggregateError, cell_error};
use crate::model::{FileFormat, ImportOptions};

pub(crate) struct Table {
    columns: Vec<String>,
    inner: Inner,
}

enum Inner {
    Lazy(Box<LazyFrame>),
    Excel(calamine::Range<calamine::Data>),
}

fn format_error(label: &str, format: FileFormat, e: impl std::fmt::Display) -> AggregateError {
    AggregateError::Format {
        file: label.to_owned(),
        format: format.label(),
        message: e.to_string(),
    }
}

impl Table {
    pub(crate) fn open(
        path: &Path,
        label: &str,
        format: FileFormat,
        options: &ImportOptions,
    ) -> Result<Self, AggregateError> {
        if !path.is_file() {
            return Err(AggregateError::Io {
                file: label.to_owned(),
                message: "no such file".to_owned(),
            });
        }
        if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
            return Err(AggregateError::Empty {
                file: label.to_owned(),
            });
        }
        let err = |e: polars::error::PolarsError| format_error(label, format, e);
        let pl_path = || PlRefPath::try_from_path(path).map_err(err);
        let mut lazy = match format {
            FileFormat::Parquet => {
                LazyFrame::scan_parquet(pl_path()?, ScanArgsParquet::default()).map_err(err)?
            }
            FileFormat::ArrowIpc => LazyFrame::scan_ipc(
                pl_path()?,
                IpcScanOptions::default(),
                UnifiedScanArgs::default(),
            )
            .map_err(err)?,
            FileFormat::NdJson => LazyJsonLineReader::new(pl_path()?).finish().map_err(err)?,
            FileFormat::Json => {
                let file = std::fs::File::open(path).map_err(|e| AggregateError::Io {
                    file: label.to_owned(),
                    message: e.to_string(),
                })?;
                JsonReader::new(file).finish().map_err(err)?.lazy()
            }
            FileFormat::Excel => return Self::open_excel(path, label, options),
            FileFormat::Csv | FileFormat::Tsv => {
                return Err(format_error(label, format, "not a table format"));
            }
        };
        let schema = lazy.collect_schema().map_err(err)?;
        let columns = schema.iter_names().map(|n| n.to_string()).collect();
        Ok(Self {
            columns,
            inner: Inner::Lazy(Box::new(lazy)),
        })
    }

    fn open_excel(
        path: &Path,
        label: &str,
        options: &ImportOptions,
    ) -> Result<Self, AggregateError> {
        use calamine::Reader;
        let err = |e: calamine::Error| format_error(label, FileFormat::Excel, e);
        let mut workbook = calamine::open_workbook_auto(path).map_err(err)?;
        let names = workbook.sheet_names();
        let sheet = match &options.sheet {
            Some(s) if names.contains(s) => s.clone(),
            Some(s) => {
                return Err(format_error(
                    label,
                    FileFormat::Excel,
                    format!(
                        "there is no sheet \"{s}\"; the sheets are: {}",
                        names
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            None => names
                .first()
                .cloned()
                .ok_or_else(|| AggregateError::Empty {
                    file: label.to_owned(),
                })?,
        };
        let range = workbook.worksheet_range(&sheet).map_err(err)?;
        let columns: Vec<String> = match range.rows().next() {
            Some(header) => header
                .iter()
                .enumerate()
                .map(|(i, cell)| match cell {
                    calamine::Data::Empty => format!("column_{}", i + 1),
                    other => other.to_string().trim().to_owned(),
                })
                .collect(),
            None => {
                return Err(AggregateError::Empty {
                    file: label.to_owned(),
                });
            }
        };
        Ok(Self {
            columns,
            inner: Inner::Excel(range),
        })
    }

    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    pub(crate) fn scan<S: Sink>(
        &self,
        label: &str,
        needed: &[usize],
        sink: &S,
        mut combine: impl FnMut(S::Block) -> Result<(), AggregateError>,
    ) -> Result<u64, AggregateError> {
        let names: Vec<&str> = needed
            .iter()
            .filter_map(|&i| self.columns.get(i).map(String::as_str))
            .collect();
        let mut block = sink.new_block();
        let mut cells: Vec<Cell<'_>> = vec![Cell::Null; needed.len()];
        let mut rows = 0_u64;
        let locate = |row: u64, e: super::csv_scan::CellError| {
            let column = names.get(e.position).copied().unwrap_or_default();
            cell_error(label, column, row, None, e)
        };
        match &self.inner {
            Inner::Lazy(lazy) => {
                let err = |e: polars::error::PolarsError| AggregateError::Format {
                    file: label.to_owned(),
                    format: "a table",
                    message: e.to_string(),
                };
                let frame = (**lazy)
                    .clone()
                    .select(names.iter().map(|n| col(*n)).collect::<Vec<_>>())
                    .collect()
                    .map_err(err)?;
                let mut columns = Vec::with_capacity(names.len());
                for name in &names {
                    let column = frame.column(name).map_err(err)?;
                    columns.push(ColumnValues::from_column(column).map_err(err)?);
                }
                let height = frame.height();
                for r in 0..height {
                    for (cell, values) in cells.iter_mut().zip(&columns) {
                        *cell = values.get(r);
                    }
                    rows += 1;
                    sink.record(&mut block, &cells)
                        .map_err(|e| locate(rows, e))?;
                }
            }
            Inner::Excel(range) => {
                for row in range.rows().skip(1) {
                    if row.iter().all(|c| matches!(c, calamine::Data::Empty)) {
                        continue;
                    }
                    for (cell, &i) in cells.iter_mut().zip(needed) {
                        *cell = excel_cell(row.get(i));
                    }
                    rows += 1;
                    sink.record(&mut block, &cells)
                        .map_err(|e| locate(rows, e))?;
                }
            }
        }
        combine(block)?;
        Ok(rows)
    }
}

fn excel_cell(cell: Option<&calamine::Data>) -> Cell<'_> {
    use calamine::Data;
    match cell {
        None | Some(Data::Empty) => Cell::Null,
        Some(Data::Int(i)) => Cell::Number(*i as f64),
        Some(Data::Float(x)) => Cell::Number(*x),
        Some(Data::Bool(b)) => Cell::Bool(*b),
        Some(Data::String(s)) => Cell::Text(s.as_bytes()),
        Some(Data::DateTime(d)) => Cell::Number(d.as_f64()),
        Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => Cell::Text(s.as_bytes()),
        Some(Data::Error(e)) => Cell::Owned(e.to_string().into_bytes()),
    }
}

/// One column of a polars frame, ready to be read row by row.
enum ColumnValues {
    Numbers(Vec<Option<f64>>),
    Bools(Vec<Option<bool>>),
    Texts(Vec<Option<String>>),
}

impl ColumnValues {
    fn from_column(column: &polars::prelude::Column) -> polars::error::PolarsResult<Self> {
        let dtype = column.dtype();
        if dtype.is_primitive_numeric() {
            let cast = column.cast(&DataType::Float64)?;
            let values = cast.f64()?.iter().collect();
            Ok(Self::Numbers(values))
        } else if dtype == &DataType::Boolean {
            Ok(Self::Bools(column.bool()?.iter().collect()))
        } else {
            let cast = column.cast(&DataType::String)?;
            let values = cast.str()?.iter().map(|s| s.map(str::to_owned)).collect();
            Ok(Self::Texts(values))
        }
    }

    fn get(&self, row: usize) -> Cell<'_> {
        match self {
            Self::Numbers(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or(Cell::Null, Cell::Number),
            Self::Bools(v) => v.get(row).copied().flatten().map_or(Cell::Null, Cell::Bool),
            Self::Texts(v) => match v.get(row) {
                Some(Some(s)) => Cell::Text(s.as_bytes()),
                _ => Cell::Null,
            },
        }
    }
}
