use super::*;

fn plan(needed: &[usize]) -> FieldPlan {
    FieldPlan::new(needed)
}

#[test]
fn plain_records() {
    let p = plan(&[2, 0]);
    let mut cells = vec![Cell::Null; 2];
    let (consumed, lines, fields) = split_plain(b"a,b,c,d\r\nnext", b',', &p, &mut cells);
    assert_eq!((consumed, lines, fields), (9, 1, 3));
    assert_eq!(cells, vec![Cell::Text(b"c"), Cell::Text(b"a")]);
    let (_, _, fields) = split_plain(b"a\n", b',', &p, &mut cells);
    assert_eq!(fields, 1);
}

#[test]
fn quoted_records() {
    let p = plan(&[0, 1, 2]);
    let mut cells = vec![Cell::Null; 3];
    let text = b"\"x,\ny\",\"say \"\"hi\"\"\",3\r\nrest";
    let (consumed, lines, fields) = split_quoted(text, b',', &p, &mut cells).unwrap();
    assert_eq!(fields, 3);
    assert_eq!(lines, 2);
    assert_eq!(&text[consumed..], b"rest");
    assert_eq!(cells[0], Cell::Text(b"x,\ny"));
    assert_eq!(cells[1], Cell::Owned(b"say \"hi\"".to_vec()));
    assert_eq!(cells[2], Cell::Text(b"3"));
    assert!(split_quoted(b"\"open,1\n", b',', &p, &mut cells).is_none());
}

#[test]
fn record_ends_respect_quotes() {
    assert_eq!(last_record_end(b"a,b\nc,\"d\ne"), Some(4));
    assert_eq!(last_record_end(b"a,b\nc,d\ne"), Some(8));
    assert_eq!(last_record_end(b"abc"), None);
}
