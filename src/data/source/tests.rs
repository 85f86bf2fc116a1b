use super::*;

#[test]
fn parse_failure_message() {
    let m = "could not parse `abc` as dtype `i64` at column 'x' (column number 2)\n\nmore";
    assert_eq!(parse_failure(m), Some(("x".into(), "abc".into())));
    assert_eq!(parse_failure("something else"), None);
}

#[test]
fn records_are_counted_outside_quotes() {
    let text = b"a,b\n1,\"x\ny\"\n2,z\r\n3,w";
    // The line end inside quotes does not end the second record; the last line has no line
    // end, so it is not a whole record yet.
    let ends: Vec<usize> = detect::record_ends(text).collect();
    assert_eq!(ends, [4, 12, 17]);
}

/// A text file larger than `TEXT_HEAD_BYTES`: the schema and the preview come from its start
/// (cut after whole records), the whole file is read only by a query that goes further, and
/// both give what reading everything would.
#[test]
fn a_large_text_file_is_read_whole_only_when_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.csv");
    let mut text = String::from("user_id,variant,revenue,note\n");
    let mut rows = 0u64;
    while (text.len() as u64) <= TEXT_HEAD_BYTES + (1 << 20) {
        let note = if rows.is_multiple_of(7) {
            "\"two\nlines, and a comma\""
        } else {
            "plain"
        };
        text.push_str(&format!(
            "u{rows},{},{}.25,{note}\n",
            ["control", "treatment"][(rows % 2) as usize],
            rows % 100
        ));
        rows += 1;
    }
    // Text far down a column guessed as numbers.
    text.push_str("late,control,not a number,plain\n");
    rows += 1;
    std::fs::write(&path, &text).unwrap();

    let source = Source::open(&path, &ImportOptions::default()).unwrap();
    let head_len = source.text_head.as_ref().map(|b| b.len()).unwrap();
    assert!(head_len < TEXT_HEAD_BYTES as usize && source.bytes.is_none());
    assert_eq!(
        source.column_names(),
        ["user_id", "variant", "revenue", "note"]
    );
    let preview = source.head(500).unwrap();
    assert_eq!(preview.height(), 500);
    assert!(
        source.whole.get().is_none(),
        "the preview reads only the start"
    );
    let note = preview.column("note").unwrap().get(7).unwrap().to_string();
    assert!(note.contains("two\nlines, and a comma"), "{note}");

    let never = AtomicBool::new(false);
    let all = source
        .read_columns(&["user_id", "revenue"], &mut |_| {}, &never)
        .unwrap();
    assert!(source.whole.get().is_some());
    assert_eq!(all.height() as u64, rows);
    // The late text made the column text, as reading the whole file at once does.
    let whole = Source {
        text_head: None,
        ..source.clone()
    };
    let again = whole
        .read_columns(&["user_id", "revenue"], &mut |_| {}, &never)
        .unwrap();
    assert!(all.equals_missing(&again));
    assert_eq!(
        all.column("revenue").unwrap().dtype(),
        &DataType::String,
        "text far down is kept"
    );
}
