//! One cell of a needed column, and how text becomes a number or a yes/no label.

/// A cell as a reader hands it over: text to interpret (CSV, or a text column elsewhere) or a
/// typed value (Parquet, Arrow, JSON, Excel).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Text(&'a [u8]),
    /// Text that had to be rewritten (a quoted CSV field with doubled quotes).
    Owned(Vec<u8>),
    Number(f64),
    Bool(bool),
}

impl Cell<'_> {
    /// The cell's text, when it is text.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        match self {
            Cell::Text(b) => Some(b),
            Cell::Owned(b) => Some(b),
            _ => None,
        }
    }
}

/// What a cell means as a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    /// A number (possibly NaN or infinite: the statistics count those as missing).
    Value(f64),
    /// Empty or a missing-value marker (NA, null, ...).
    Missing,
    /// Text that is not a number.
    Bad,
}

/// Interprets a cell as a number: numbers, `true`/`false` as 1/0, empty and NA-like markers as
/// missing. With `decimal_comma`, "1,5" is 1.5.
#[inline]
pub(crate) fn cell_number(cell: &Cell<'_>, decimal_comma: bool) -> Num {
    match cell {
        Cell::Null => Num::Missing,
        Cell::Number(x) => Num::Value(*x),
        Cell::Bool(b) => Num::Value(if *b { 1.0 } else { 0.0 }),
        Cell::Text(bytes) => parse_number(bytes, decimal_comma),
        Cell::Owned(bytes) => parse_number(bytes, decimal_comma),
    }
}

/// Powers of ten that are exact in f64.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Parses text as a number (see [`cell_number`]).
#[inline]
pub(crate) fn parse_number(bytes: &[u8], decimal_comma: bool) -> Num {
    let bytes = bytes.trim_ascii();
    if bytes.is_empty() {
        return Num::Missing;
    }
    let separator = if decimal_comma { b',' } else { b'.' };
    if let Some(x) = parse_simple_decimal(bytes, separator) {
        return Num::Value(x);
    }
    parse_number_slow(bytes, decimal_comma)
}

/// Exact fast path for plain decimals with at most 15 digits ("12.34", "-0.5", "7"): the
/// digits form an integer below 2⁵³ and one division by an exact power of ten rounds correctly.
#[inline]
fn parse_simple_decimal(bytes: &[u8], separator: u8) -> Option<f64> {
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, bytes.get(1..)?),
        b'+' => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut count = 0_usize;
    let mut fraction_digits: Option<usize> = None;
    for &b in digits {
        if b.is_ascii_digit() {
            mantissa = mantissa * 10 + u64::from(b - b'0');
            count += 1;
            if let Some(f) = fraction_digits.as_mut() {
                *f += 1;
            }
        } else if b == separator && fraction_digits.is_none() {
            fraction_digits = Some(0);
        } else {
            return None;
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let scale = *POW10.get(fraction_digits.unwrap_or(0))?;
    let value = mantissa as f64 / scale;
    Some(if negative { -value } else { value })
}

#[cold]
fn parse_number_slow(bytes: &[u8], decimal_comma: bool) -> Num {
    if is_missing_marker(bytes) {
        return Num::Missing;
    }
    if bytes.eq_ignore_ascii_case(b"true") {
        return Num::Value(1.0);
    }
    if bytes.eq_ignore_ascii_case(b"false") {
        return Num::Value(0.0);
    }
    if decimal_comma {
        // Only "1,5"-style numbers: no '.' thousands separators.
        if bytes.contains(&b'.') || bytes.len() > 64 {
            return Num::Bad;
        }
        let mut buffer = [0_u8; 64];
        let Some(target) = buffer.get_mut(..bytes.len()) else {
            return Num::Bad;
        };
        for (t, &b) in target.iter_mut().zip(bytes) {
            *t = if b == b',' { b'.' } else { b };
        }
        return match fast_float2::parse::<f64, _>(&*target) {
            Ok(x) => Num::Value(x),
            Err(_) => Num::Bad,
        };
    }
    match fast_float2::parse::<f64, _>(bytes) {
        Ok(x) => Num::Value(x),
        Err(_) => Num::Bad,
    }
}

/// Text that stands for a missing value (the importer's markers: NA, N/A, null, ...).
pub(crate) fn is_missing_marker(bytes: &[u8]) -> bool {
    crate::data::MISSING_MARKERS
        .iter()
        .any(|m| bytes == m.as_bytes())
}

/// What a cell means as a yes/no label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    Yes,
    No,
    Missing,
    Bad,
}

/// Interprets a cell as a label: 1/0, true/false, yes/no, positive/negative.
pub(crate) fn cell_label(cell: &Cell<'_>) -> Label {
    match cell {
        Cell::Null => Label::Missing,
        Cell::Bool(b) => bool_label(*b),
        Cell::Number(x) if *x == 1.0 => Label::Yes,
        Cell::Number(x) if *x == 0.0 => Label::No,
        Cell::Number(x) if x.is_nan() => Label::Missing,
        Cell::Number(_) => Label::Bad,
        Cell::Text(_) | Cell::Owned(_) => {
            let bytes = cell.bytes().unwrap_or_default();
            let t = bytes.trim_ascii();
            if t.is_empty() || is_missing_marker(t) {
                return Label::Missing;
            }
            const YES: [&[u8]; 6] = [b"1", b"1.0", b"true", b"yes", b"y", b"positive"];
            const NO: [&[u8]; 6] = [b"0", b"0.0", b"false", b"no", b"n", b"negative"];
            if YES.iter().any(|y| t.eq_ignore_ascii_case(y)) {
                Label::Yes
            } else if NO.iter().any(|n| t.eq_ignore_ascii_case(n)) {
                Label::No
            } else {
                Label::Bad
            }
        }
    }
}

fn bool_label(b: bool) -> Label {
    if b { Label::Yes } else { Label::No }
}

/// The text of a name cell (a variant, segment or experiment; trimmed, numbers written out),
/// borrowed where possible.
pub(crate) fn cell_key<'c>(cell: &'c Cell<'_>, owned: &'c mut String) -> &'c [u8] {
    match cell {
        Cell::Text(b) => b.trim_ascii(),
        Cell::Owned(b) => b.trim_ascii(),
        Cell::Null => &[],
        other => {
            *owned = cell_text(other);
            owned.as_bytes()
        }
    }
}

/// A cell as text for messages and variant names.
pub(crate) fn cell_text(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(_) | Cell::Owned(_) => {
            String::from_utf8_lossy(cell.bytes().unwrap_or_default().trim_ascii()).into_owned()
        }
        Cell::Number(x) => {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{x:.0}")
            } else {
                format!("{x}")
            }
        }
        Cell::Bool(b) => b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number(b"12.34", false), Num::Value(12.34));
        assert_eq!(parse_number(b" -0.5 ", false), Num::Value(-0.5));
        assert_eq!(parse_number(b"7", false), Num::Value(7.0));
        assert_eq!(parse_number(b"1e3", false), Num::Value(1000.0));
        assert_eq!(parse_number(b"1,5", true), Num::Value(1.5));
        assert_eq!(parse_number(b"1,5", false), Num::Bad);
        assert_eq!(parse_number(b"", false), Num::Missing);
        assert_eq!(parse_number(b"NA", false), Num::Missing);
        assert_eq!(parse_number(b"TRUE", false), Num::Value(1.0));
        assert_eq!(parse_number(b"abc", false), Num::Bad);
        assert_eq!(parse_number(b".", false), Num::Bad);
        assert_eq!(parse_number(b"-", false), Num::Bad);
        assert!(matches!(parse_number(b"NaN", false), Num::Value(x) if x.is_nan()));
        assert!(matches!(parse_number(b"inf", false), Num::Value(x) if x.is_infinite()));
        // Many digits take the exact slow path.
        assert_eq!(
            parse_number(b"0.1000000000000000055511151231257827", false),
            Num::Value(0.1)
        );
        assert_eq!(
            parse_number(b"123456789012.3456", false),
            Num::Value(123456789012.3456)
        );
    }

    #[test]
    fn fast_path_rounds_like_the_slow_path() {
        for text in [
            "0.1",
            "0.3",
            "1234.5678",
            "999999999999999",
            "0.000000000000001",
        ] {
            let fast = parse_number(text.as_bytes(), false);
            assert_eq!(fast, Num::Value(text.parse::<f64>().unwrap()), "{text}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(cell_label(&Cell::Text(b"1")), Label::Yes);
        assert_eq!(cell_label(&Cell::Text(b"No")), Label::No);
        assert_eq!(cell_label(&Cell::Text(b"")), Label::Missing);
        assert_eq!(cell_label(&Cell::Text(b"maybe")), Label::Bad);
        assert_eq!(cell_label(&Cell::Number(2.0)), Label::Bad);
    }
}
