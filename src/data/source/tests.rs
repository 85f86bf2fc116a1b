use super::*;

#[test]
fn parse_failure_message() {
    let m = "could not parse `abc` as dtype `i64` at column 'x' (column number 2)\n\nmore";
    assert_eq!(parse_failure(m), Some(("x".into(), "abc".into())));
    assert_eq!(parse_failure("something else"), None);
}
