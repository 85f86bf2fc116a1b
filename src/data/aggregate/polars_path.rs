//! Every format other than UTF-8 CSV: the importer's batches ([`Source::for_each_batch`],
//! only the needed columns), handed to the same sinks as the CSV reader, row by row.

use std::sync::atomic::AtomicBool;

use polars::prelude::{Column, DataFrame, DataType};

use super::cells::Cell;
use super::csv_scan::Sink;
use super::{AggregateError, ReadControl, cell_error};
use crate::data::{BatchSink, DataError, LoadProgress, Source};
use crate::model::FileFormat;

/// Reads the `needed` columns (indices into `columns`) of `source`; returns the number of rows.
pub(crate) fn scan<S: Sink>(
    source: &Source,
    columns: &[String],
    needed: &[usize],
    sink: &S,
    control: &ReadControl<'_>,
    mut combine: impl FnMut(S::Block) -> Result<(), AggregateError>,
) -> Result<u64, AggregateError> {
    let names: Vec<&str> = needed
        .iter()
        .filter_map(|&i| columns.get(i).map(String::as_str))
        .collect();
    let mut adapter = Adapter {
        source,
        names: &names,
        sink,
        block: sink.new_block(),
        failure: None,
    };
    let never = AtomicBool::new(false);
    let cancel = control.cancel.unwrap_or(&never);
    let estimate = source.estimated_rows();
    let mut progress = |p: LoadProgress| {
        if let Some(report) = control.progress {
            report(
                p.rows_read,
                estimate.unwrap_or(p.rows_read).max(p.rows_read),
            );
        }
    };
    let result = source.for_each_batch(&names, &mut progress, cancel, &mut adapter);
    if let Some(failure) = adapter.failure.take() {
        return Err(failure);
    }
    let rows = result?;
    combine(adapter.block)?;
    Ok(rows)
}

struct Adapter<'a, S: Sink> {
    source: &'a Source,
    names: &'a [&'a str],
    sink: &'a S,
    block: S::Block,
    /// A problem found by the sink; reading stops and this is reported instead.
    failure: Option<AggregateError>,
}

impl<S: Sink> Adapter<'_, S> {
    fn unreadable(&self, e: impl std::fmt::Display) -> DataError {
        DataError::Unreadable {
            file: self.source.file_name(),
            format: self.source.format().label().to_owned(),
            reason: e.to_string(),
        }
    }

    /// The line of data row `row` (from 1), where the format has lines.
    fn line_of(&self, row: u64) -> Option<u64> {
        match self.source.format() {
            FileFormat::NdJson => Some(row),
            FileFormat::Excel => Some(row + 1),
            _ => None,
        }
    }
}

/// A column of one batch, ready to be read row by row.
enum Values<'a> {
    Numbers(Vec<Option<f64>>),
    Bools(Vec<Option<bool>>),
    Texts(Vec<Option<&'a str>>),
}

impl Values<'_> {
    fn cell(&self, row: usize) -> Cell<'_> {
        match self {
            Values::Numbers(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or(Cell::Null, Cell::Number),
            Values::Bools(v) => v.get(row).copied().flatten().map_or(Cell::Null, Cell::Bool),
            Values::Texts(v) => v
                .get(row)
                .copied()
                .flatten()
                .map_or(Cell::Null, |s| Cell::Text(s.as_bytes())),
        }
    }
}

impl<S: Sink> BatchSink for Adapter<'_, S> {
    fn batch(&mut self, batch: &DataFrame, first_row: u64) -> Result<(), DataError> {
        // Numbers and booleans keep their type; everything else is read as text.
        let mut prepared: Vec<Column> = Vec::with_capacity(self.names.len());
        for name in self.names {
            let column = batch.column(name).map_err(|e| self.unreadable(e))?;
            let dtype = column.dtype();
            let column = if dtype.is_primitive_numeric() {
                column.cast(&DataType::Float64)
            } else if dtype.is_bool() || dtype.is_string() {
                Ok(column.clone())
            } else {
                column.cast(&DataType::String)
            }
            .map_err(|e| self.unreadable(e))?;
            prepared.push(column);
        }
        let mut values = Vec::with_capacity(prepared.len());
        for column in &prepared {
            let v = match column.dtype() {
                DataType::Float64 => Values::Numbers(
                    column
                        .f64()
                        .map_err(|e| self.unreadable(e))?
                        .iter()
                        .collect(),
                ),
                DataType::Boolean => Values::Bools(
                    column
                        .bool()
                        .map_err(|e| self.unreadable(e))?
                        .iter()
                        .collect(),
                ),
                _ => Values::Texts(
                    column
                        .str()
                        .map_err(|e| self.unreadable(e))?
                        .iter()
                        .collect(),
                ),
            };
            values.push(v);
        }
        let mut cells: Vec<Cell<'_>> = vec![Cell::Null; values.len()];
        for r in 0..batch.height() {
            for (cell, v) in cells.iter_mut().zip(&values) {
                *cell = v.cell(r);
            }
            if let Err(e) = self.sink.record(&mut self.block, &cells) {
                let row = first_row + r as u64 + 1;
                let column = self.names.get(e.position).copied().unwrap_or_default();
                self.failure = Some(cell_error(
                    &self.source.file_name(),
                    column,
                    row,
                    self.line_of(row),
                    e,
                ));
                // Stops the reading; the failure above is what gets reported.
                return Err(DataError::Cancelled {
                    file: self.source.file_name(),
                });
            }
        }
        Ok(())
    }

    fn restart(&mut self) {
        self.block = self.sink.new_block();
    }
}
