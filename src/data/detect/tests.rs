use super::*;

fn head(text: &str) -> Head {
    Head {
        bytes: text.as_bytes().to_vec(),
        size_bytes: text.len() as u64,
    }
}

fn sniff(text: &str) -> CsvDialect {
    let h = head(text);
    sniff_csv(
        Path::new("x.csv"),
        &h,
        FileFormat::Csv,
        &ImportOptions::default(),
    )
    .unwrap()
}

#[test]
fn delimiters() {
    assert_eq!(sniff("a,b,c\n1,2,3\n4,5,6\n").delimiter, b',');
    assert_eq!(sniff("a;b;c\n1;2;3\n4;5;6\n").delimiter, b';');
    assert_eq!(sniff("a\tb\n1\t2\n").delimiter, b'\t');
    assert_eq!(sniff("a|b\n1|2\n").delimiter, b'|');
    // Commas inside quotes do not count.
    assert_eq!(sniff("a;b\n\"x, y, z\";2\n\"u, v\";3\n").delimiter, b';');
}

#[test]
fn decimal_comma_with_semicolons() {
    let d = sniff("variant;revenue\nA;1,5\nB;2,25\n");
    assert_eq!(d.delimiter, b';');
    assert!(d.decimal_comma);
    assert!(!sniff("variant;revenue\nA;1.5\nB;2.25\n").decimal_comma);
}

#[test]
fn header_detection() {
    assert!(sniff("a,b\n1,2\n").has_header);
    assert!(!sniff("1,2\n3,4\n").has_header);
}

#[test]
fn ragged_line_is_named() {
    let h = head("a,b\n1,2\n3,4,5\n");
    let e = sniff_csv(
        Path::new("r.csv"),
        &h,
        FileFormat::Csv,
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        DataError::Ragged {
            file: "r.csv".into(),
            line: 3,
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn quoted_records_span_lines() {
    let r = split_records("a,b\n\"x\ny\",2\nz,3\n", b',', true, 100);
    assert_eq!(r.len(), 3);
    assert_eq!(r[1].fields, vec!["x\ny".to_string(), "2".into()]);
    assert_eq!(r[2].line, 4);
}

#[test]
fn numbers() {
    assert_eq!(parse_number(" 1.5 ", false), Some(1.5));
    assert_eq!(parse_number("1,5", true), Some(1.5));
    assert_eq!(parse_number("1,5", false), None);
    assert!(parse_number("NaN", false).unwrap().is_nan());
    assert_eq!(parse_number("abc", false), None);
}
