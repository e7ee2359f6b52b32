//! Dates as typed: strictly `YYYY-MM-DD`, and only inside one range.
//!
//! jiff accepts years −9999 to 9999, and at those edges date arithmetic either fails or
//! saturates: a period ending on 9999-12-31 made the report's quarter loop run for
//! ever, a plan starting there had every step on the same day. No date a clinician,
//! a patient or the board means lies outside 1900–2199, so every date read from a
//! request is checked against that range where it is parsed — and every computation
//! after it has centuries of room on both sides.

use jiff::civil::{Date, date};
use serde::{Deserialize, Deserializer};

/// The earliest date Trappa accepts from a request.
pub const EARLIEST: Date = date(1900, 1, 1);
/// The latest date Trappa accepts from a request.
pub const LATEST: Date = date(2199, 12, 31);

/// Why a typed date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a date written `YYYY-MM-DD`, or no such day.
    Format,
    /// A real date, outside [`EARLIEST`]..=[`LATEST`].
    OutOfRange,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Format => f.write_str("expected a date written YYYY-MM-DD"),
            DateError::OutOfRange => write!(f, "expected a date from {EARLIEST} to {LATEST}"),
        }
    }
}

impl std::error::Error for DateError {}

/// Reads a date written `YYYY-MM-DD` (surrounding whitespace ignored) inside the range.
pub fn parse(text: &str) -> Result<Date, DateError> {
    let text = text.trim();
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::Format);
    }
    let d: Date = text.parse().map_err(|_| DateError::Format)?;
    check(d)
}

/// The date itself if it lies inside the range.
pub fn check(d: Date) -> Result<Date, DateError> {
    if (EARLIEST..=LATEST).contains(&d) {
        Ok(d)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// What a date in a JSON document must look like, as a JSON Schema `pattern` (beside
/// `"format": "date"`, which rules out days that do not exist): `YYYY-MM-DD` inside
/// [`EARLIEST`]..=[`LATEST`], nothing around it. The API's published schema carries it,
/// and [`parse_exact`] accepts exactly what it and the format allow.
pub const JSON_PATTERN: &str = "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

/// The JSON Schema of a date read by [`deserialize`] (`#[schemars(with =
/// "trappa_input::date::JsonDate")]`): a string of `format: date` and
/// [`JSON_PATTERN`]. Only on fields read that way: a date Trappa writes (a plan's later
/// steps) may lie beyond the range a request's date must keep to.
#[cfg(feature = "schema")]
pub struct JsonDate;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for JsonDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "JsonDate".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": JSON_PATTERN,
            "description": "A date written YYYY-MM-DD, 1900-01-01 to 2199-12-31."
        })
    }
}

/// Reads a date from a document rather than a person: like [`parse`], but text around
/// the date (a space, a line break) is refused rather than trimmed.
pub fn parse_exact(text: &str) -> Result<Date, DateError> {
    if text.trim() != text {
        return Err(DateError::Format);
    }
    parse(text)
}

/// For `#[serde(deserialize_with = "trappa_input::date::deserialize")]`: a JSON date
/// read by [`parse_exact`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    parse_exact(&text).map_err(serde::de::Error::custom)
}

/// Like [`deserialize`], for an optional date (`null` or absent is `None`).
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse_exact(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, Result<Date, DateError>)] = &[
            ("2026-12-04", Ok(date(2026, 12, 4))),
            (" 2026-12-04 ", Ok(date(2026, 12, 4))),
            ("1900-01-01", Ok(EARLIEST)),
            ("2199-12-31", Ok(LATEST)),
            ("1899-12-31", Err(DateError::OutOfRange)),
            ("2200-01-01", Err(DateError::OutOfRange)),
            ("9999-12-31", Err(DateError::OutOfRange)),
            ("0000-01-01", Err(DateError::OutOfRange)),
            ("-009999-01-01", Err(DateError::Format)),
            ("+002026-12-04", Err(DateError::Format)),
            ("2026-02-30", Err(DateError::Format)),
            ("2026-1-04", Err(DateError::Format)),
            ("2026-12-04T10:00", Err(DateError::Format)),
            ("20261204", Err(DateError::Format)),
            ("", Err(DateError::Format)),
            ("２０２６-12-04", Err(DateError::Format)),
        ];
        for (text, expect) in cases {
            assert_eq!(parse(text), *expect, "{text:?}");
        }
    }

    #[test]
    fn serde_reads_through_parse() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "deserialize")]
            on: Date,
            #[serde(default, deserialize_with = "deserialize_option")]
            maybe: Option<Date>,
        }
        let t: T = serde_json::from_str(r#"{"on":"2026-12-04","maybe":null}"#).unwrap();
        assert_eq!((t.on, t.maybe), (date(2026, 12, 4), None));
        let t: T = serde_json::from_str(r#"{"on":"2026-12-04"}"#).unwrap();
        assert_eq!(t.maybe, None);
        for bad in [
            r#"{"on":"9999-12-31"}"#,
            r#"{"on":"-009999-01-01"}"#,
            r#"{"on":"2026-12-04","maybe":"2500-01-01"}"#,
        ] {
            assert!(serde_json::from_str::<T>(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Any day jiff can represent is either refused or inside the range, and a day
        /// inside the range reads back as itself.
        #[test]
        fn every_date_is_inside_the_range_or_refused(day in -4_400_000i64..=2_940_000) {
            let d = date(1970, 1, 1).checked_add(jiff::Span::new().days(day));
            prop_assume!(d.is_ok());
            let d = d.unwrap();
            let text = d.to_string();
            match parse(&text) {
                Ok(got) => {
                    prop_assert_eq!(got, d);
                    prop_assert!((EARLIEST..=LATEST).contains(&got));
                }
                Err(e) => prop_assert!(!(EARLIEST..=LATEST).contains(&d) || e == DateError::Format),
            }
        }

        /// A document's date is read exactly as [`JSON_PATTERN`] and `format: date`
        /// describe it: a real day in the range, written bare; any padding is refused.
        #[test]
        fn a_documents_date_is_its_pattern(day in -800_000i64..=800_000, pad in "[ \t\n]{0,2}") {
            let d = date(1970, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            let text = format!("{pad}{d}");
            let in_range = (EARLIEST..=LATEST).contains(&d);
            let pattern = regex::Regex::new(JSON_PATTERN).unwrap();
            prop_assert_eq!(pattern.is_match(&text), pad.is_empty() && in_range, "{}", text);
            prop_assert_eq!(parse_exact(&text).is_ok(), pad.is_empty() && in_range);
            prop_assert_eq!(parse(&text).is_ok(), in_range);
        }

        /// Any text a document may carry: read exactly when it matches the pattern and
        /// names a real day (what `format: date` adds).
        #[test]
        fn a_documents_text_is_read_as_its_pattern_says(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9 -]{8,12}") {
            let pattern = regex::Regex::new(JSON_PATTERN).unwrap();
            let real_day = text.parse::<Date>().is_ok();
            prop_assert_eq!(parse_exact(&text).is_ok(), pattern.is_match(&text) && real_day, "{}", text);
        }

        /// Whatever the text, parsing never panics and never yields a date outside the range.
        #[test]
        fn any_text_is_safe(text in ".{0,16}") {
            if let Ok(d) = parse(&text) {
                prop_assert!((EARLIEST..=LATEST).contains(&d));
            }
        }
    }
}
