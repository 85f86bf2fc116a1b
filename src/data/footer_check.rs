//! Checks of the footers of Arrow IPC (Feather v2) and Parquet files before polars reads them.
//!
//! Polars' streaming readers trust the byte ranges a file's footer lists (IPC record-batch
//! blocks, Parquet column chunks): a damaged or hostile file whose ranges point past the end of
//! the file makes them read out of bounds (found by fuzzing: a panic that aborts the whole
//! process in a debug build, an out-of-bounds read in a release build). So the footer is read
//! here first and every range must lie inside the file; otherwise the file is refused with a
//! plain message.
//!
//! IPC layout (Arrow columnar format, "IPC File Format"): `ARROW1`, padding, the stream of messages,
//! the footer flatbuffer, its length as a little-endian i32, `ARROW1`. The footer table's fields
//! are 0 version, 1 schema, 2 dictionaries and 3 record batches; the last two are vectors of
//! `Block { offset: i64, metaDataLength: i32, (padding), bodyLength: i64 }` (24 bytes).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use polars::prelude::{ParquetReader, SerReader as _};

use super::error::{DataError, file_name, first_sentence};

/// Refuse a Parquet file whose footer lists column data outside the file. `bytes` is the whole
/// file when it was read into memory (then the file is not opened again, nor mapped).
pub(crate) fn check_parquet_file(path: &Path, bytes: Option<&[u8]>) -> Result<(), DataError> {
    let refuse = |reason: String| DataError::Unreadable {
        file: file_name(path),
        format: "a Parquet file".into(),
        reason,
    };
    let (len, metadata) = match bytes {
        Some(bytes) => {
            let mut reader = ParquetReader::new(std::io::Cursor::new(bytes));
            let metadata = reader.get_metadata().cloned();
            (bytes.len() as u64, metadata)
        }
        None => {
            let file = std::fs::File::open(path).map_err(|e| DataError::io(path, &e))?;
            let len = file.metadata().map_err(|e| DataError::io(path, &e))?.len();
            let mut reader = ParquetReader::new(file);
            (len, reader.get_metadata().cloned())
        }
    };
    let metadata = metadata.map_err(|e| refuse(first_sentence(&e.to_string())))?;
    for group in &metadata.row_groups {
        let whole = group.full_byte_range();
        let inside = |r: &std::ops::Range<u64>| r.start <= r.end && r.end <= len;
        if !inside(&whole) || !group.byte_ranges_iter().all(|r| inside(&r)) {
            return Err(refuse(
                "it is damaged (a block of data lies outside the file)".into(),
            ));
        }
    }
    Ok(())
}

const MAGIC: &[u8; 6] = b"ARROW1";
/// The footer is small (a schema and a list of blocks); a larger one is damaged.
const MAX_FOOTER_BYTES: u64 = 64 << 20;

/// Refuse an Arrow IPC file whose footer lists data outside the file.
pub(crate) fn check_ipc_file(path: &Path) -> Result<(), DataError> {
    let refuse = |reason: &str| DataError::Unreadable {
        file: file_name(path),
        format: "an Arrow IPC (Feather) file".into(),
        reason: format!("it is damaged ({reason})"),
    };
    let mut file = std::fs::File::open(path).map_err(|e| DataError::io(path, &e))?;
    let len = file.metadata().map_err(|e| DataError::io(path, &e))?.len();
    if len < 6 + 10 {
        return Err(refuse("it is too short to hold a footer"));
    }
    let mut tail = [0u8; 10];
    file.seek(SeekFrom::End(-10))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| DataError::io(path, &e))?;
    if &tail[4..] != MAGIC {
        // Not the file format (e.g. the stream format): polars reports what it finds.
        return Ok(());
    }
    let footer_len = i32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let footer_len = u64::try_from(footer_len).map_err(|_| refuse("a negative footer size"))?;
    if footer_len > MAX_FOOTER_BYTES || footer_len + 10 > len {
        return Err(refuse("its footer is larger than the file"));
    }
    let footer_start = len - 10 - footer_len;
    let mut footer = vec![0u8; footer_len as usize];
    file.seek(SeekFrom::Start(footer_start))
        .and_then(|_| file.read_exact(&mut footer))
        .map_err(|e| DataError::io(path, &e))?;
    let blocks = footer_blocks(&footer).ok_or_else(|| refuse("its footer cannot be read"))?;
    for (offset, meta, body) in blocks {
        let end = offset
            .checked_add(meta)
            .and_then(|e| e.checked_add(body))
            .ok_or_else(|| refuse("a block's size overflows"))?;
        if offset < 0 || meta < 0 || body < 0 || end as u64 > footer_start {
            return Err(refuse("a block of data lies outside the file"));
        }
    }
    Ok(())
}

/// Every (offset, metadata length, body length) block of the footer's dictionaries and record
/// batches; `None` when the flatbuffer does not hold together.
fn footer_blocks(buf: &[u8]) -> Option<Vec<(i64, i64, i64)>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            buf.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    let i32_at = |at: usize| -> Option<i32> {
        Some(i32::from_le_bytes(
            buf.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    let i64_at = |at: usize| -> Option<i64> {
        Some(i64::from_le_bytes(
            buf.get(at..at.checked_add(8)?)?.try_into().ok()?,
        ))
    };
    let u16_at = |at: usize| -> Option<u16> {
        Some(u16::from_le_bytes(
            buf.get(at..at.checked_add(2)?)?.try_into().ok()?,
        ))
    };
    let table = u32_at(0)? as usize;
    let vtable = usize::try_from(i64::try_from(table).ok()? - i64::from(i32_at(table)?)).ok()?;
    let vtable_len = u16_at(vtable)? as usize;
    let mut blocks = Vec::new();
    for field in [2usize, 3] {
        let slot = 4 + 2 * field;
        if slot + 2 > vtable_len {
            continue;
        }
        let field_offset = u16_at(vtable + slot)? as usize;
        if field_offset == 0 {
            continue;
        }
        let at = table.checked_add(field_offset)?;
        let vector = at.checked_add(u32_at(at)? as usize)?;
        let count = u32_at(vector)? as usize;
        let first = vector.checked_add(4)?;
        // The whole vector must be inside the footer before it is walked.
        buf.get(first..first.checked_add(count.checked_mul(24)?)?)?;
        for k in 0..count {
            let block = first + 24 * k;
            blocks.push((
                i64_at(block)?,
                i64::from(i32_at(block + 8)?),
                i64_at(block + 16)?,
            ));
        }
    }
    Some(blocks)
}
