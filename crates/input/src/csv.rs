//! CSV cells a spreadsheet will not run.
//!
//! Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or
//! `@` (and, in some, a tab or carriage return) as a formula. A staff name or a client
//! address typed as `=HYPERLINK(…)` would then run on the auditor's or the patient's
//! computer. As OWASP recommends, such a text cell gets a leading apostrophe, which
//! spreadsheets show as plain text. Numbers are written as numbers and never changed.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (with their
/// full-width forms, which some spreadsheets also accept).
fn starts_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// A text cell made safe to open in a spreadsheet.
pub fn text_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(c) if starts_formula(c) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("Sara Lindqvist", "Sara Lindqvist"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+46 70", "'+46 70"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("＝1", "'＝1"),
            ("", ""),
            ("a=b", "a=b"),
        ];
        for (input, expect) in cases {
            assert_eq!(text_cell(input), *expect, "{input:?}");
        }
    }
}
