//! JSON as sent: read into a type, and when it does not fit, say where and what in the
//! reader's language.
//!
//! serde's own errors are English sentences with a line and column ("unknown field
//! `goal`, expected one of `regimen`, … at line 1 column 8"). Here the document is first
//! read as a value (a syntax error keeps its line and column: that is where to look in a
//! file), then into the type through `serde_path_to_error`, so a fault names the path of
//! the field it is about (`regimen.drugs[0].doses[2]`) and its kind: an unknown field
//! and the fields allowed there, a missing field, a value of the wrong type, a choice
//! that does not exist, a date outside [`crate::date`]'s rules. [`JsonFault::message`]
//! says it in Swedish or English.

use serde::Serialize;
use serde::de::DeserializeOwned;
use trappa_i18n::{Locale, catalogue, fill};

use crate::date::DateError;

mod strict;

catalogue! {
    struct J;
    SYNTAX: "texten är inte giltig JSON (rad {line}, tecken {column}).", "the text is not valid JSON (line {line}, character {column}).";
    NOT_UTF8: "texten är inte UTF-8.", "the text is not UTF-8.";
    UNKNOWN_FIELD: "okänt fält ”{name}”. Här finns: {known}.", "unknown field “{name}”. Allowed here: {known}.";
    UNKNOWN_FIELD_NONE: "okänt fält ”{name}”. Här finns inga fält.", "unknown field “{name}”. No fields are allowed here.";
    MISSING_FIELD: "fältet ”{name}” saknas.", "the field “{name}” is missing.";
    DUPLICATE_FIELD: "fältet ”{name}” står två gånger; skriv det en gång.", "the field “{name}” is given twice; give it once.";
    WRONG_TYPE: "här ska stå {expected}, inte {found}.", "expected {expected} here, not {found}.";
    UNKNOWN_CHOICE: "”{given}” finns inte. Välj en av: {known}.", "“{given}” does not exist. Choose one of: {known}.";
    DATE_FORMAT: "här ska stå ett datum skrivet ÅÅÅÅ-MM-DD.", "expected a date written YYYY-MM-DD.";
    DATE_RANGE: "datumet måste ligga mellan {from} och {to}.", "the date must lie between {from} and {to}.";
    INVALID: "värdet är ogiltigt här.", "the value is not valid here.";
    KIND_NUMBER: "ett tal", "a number";
    KIND_WHOLE: "ett heltal från 0", "a whole number from 0";
    KIND_INTEGER: "ett heltal", "a whole number";
    KIND_TEXT: "en text", "a text";
    KIND_LIST: "en lista", "a list";
    KIND_OBJECT: "ett objekt", "an object";
    KIND_BOOLEAN: "true eller false", "true or false";
    KIND_NULL: "null", "null";
    KIND_OTHER: "ett annat värde", "another value";
    KIND_NEGATIVE: "ett negativt tal", "a negative number";
    KIND_FRACTION: "ett tal med decimaler", "a number with decimals";
}

/// The kind of a JSON value, as found or as expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Any number.
    Number,
    /// A whole number, zero or more.
    Whole,
    /// A whole number, negative too.
    Integer,
    /// A negative whole number (found where a count was expected).
    Negative,
    /// A number with decimals (found where a whole number was expected).
    Fraction,
    /// A string.
    Text,
    /// An array.
    List,
    /// An object.
    Object,
    /// `true` or `false`.
    Boolean,
    /// `null`.
    Null,
    /// Anything else.
    Other,
}

impl Kind {
    /// The kind in words; a whole number found is just "ett heltal" (the "from 0" is
    /// what is expected of a count).
    fn message(self, locale: Locale, found: bool) -> &'static str {
        match self {
            Kind::Number => J::KIND_NUMBER,
            Kind::Whole if found => J::KIND_INTEGER,
            Kind::Whole => J::KIND_WHOLE,
            Kind::Integer => J::KIND_INTEGER,
            Kind::Negative => J::KIND_NEGATIVE,
            Kind::Fraction => J::KIND_FRACTION,
            Kind::Text => J::KIND_TEXT,
            Kind::List => J::KIND_LIST,
            Kind::Object => J::KIND_OBJECT,
            Kind::Boolean => J::KIND_BOOLEAN,
            Kind::Null => J::KIND_NULL,
            Kind::Other => J::KIND_OTHER,
        }
        .get(locale)
    }

    /// What serde says was found ("string \"a\"", "integer `-1`", "map").
    fn found(text: &str) -> Kind {
        let word = text.split([' ', '`', '"']).next().unwrap_or("");
        match word {
            "string" | "character" => Kind::Text,
            "integer" if text.contains("`-") => Kind::Negative,
            "integer" => Kind::Whole,
            "floating" => Kind::Fraction,
            "boolean" => Kind::Boolean,
            "null" => Kind::Null,
            "sequence" => Kind::List,
            "map" => Kind::Object,
            _ => Kind::Other,
        }
    }

    /// What serde says was expected ("f64", "u32", "a string", "struct Hold").
    fn expected(text: &str) -> Kind {
        let t = text.trim();
        if t == "f64" || t == "f32" {
            Kind::Number
        } else if t.len() <= 5
            && t.starts_with('u')
            && t[1..].chars().all(|c| c.is_ascii_alphanumeric())
        {
            Kind::Whole
        } else if t.len() <= 5
            && t.starts_with('i')
            && t[1..].chars().all(|c| c.is_ascii_alphanumeric())
        {
            Kind::Integer
        } else if t.contains("string") || t.contains("char") || t.contains("identifier") {
            Kind::Text
        } else if t.contains("sequence") || t.contains("tuple") || t.contains("array") {
            Kind::List
        } else if t.contains("struct") || t.contains("map") || t.contains("enum") {
            Kind::Object
        } else if t.contains("boolean") {
            Kind::Boolean
        } else {
            Kind::Other
        }
    }
}

/// What is wrong with a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum JsonFault {
    /// Not JSON at all: where the reading stopped.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based character in the line.
        column: usize,
    },
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// A field the type does not have (never ignored: a misspelt field would silently
    /// change what is asked).
    UnknownField {
        /// As sent.
        name: String,
        /// The fields allowed where it was found.
        known: Vec<String>,
    },
    /// A field given twice in one object (a reader would keep only one of them).
    DuplicateField {
        /// Its name.
        name: String,
    },
    /// A required field is absent.
    MissingField {
        /// Its name.
        name: String,
    },
    /// A value of the wrong type or out of the type's range.
    WrongType {
        /// What was sent.
        found: Kind,
        /// What belongs there.
        expected: Kind,
    },
    /// A name that is none of the choices.
    UnknownChoice {
        /// As sent.
        given: String,
        /// The choices.
        known: Vec<String>,
    },
    /// A date not written `YYYY-MM-DD`.
    DateFormat,
    /// A date outside [`crate::date::EARLIEST`]..=[`crate::date::LATEST`].
    DateRange,
    /// Any other value the type refuses.
    Invalid,
}

impl JsonFault {
    /// The fault in words, without the field (callers put the path before it).
    pub fn message(&self, locale: Locale) -> String {
        let list = |names: &[String]| names.join(", ");
        match self {
            JsonFault::Syntax { line, column } => fill(
                J::SYNTAX.get(locale),
                &[("line", &line.to_string()), ("column", &column.to_string())],
            ),
            JsonFault::NotUtf8 => J::NOT_UTF8.get(locale).to_owned(),
            JsonFault::UnknownField { name, known } if known.is_empty() => {
                fill(J::UNKNOWN_FIELD_NONE.get(locale), &[("name", name)])
            }
            JsonFault::UnknownField { name, known } => fill(
                J::UNKNOWN_FIELD.get(locale),
                &[("name", name), ("known", &list(known))],
            ),
            JsonFault::DuplicateField { name } => {
                fill(J::DUPLICATE_FIELD.get(locale), &[("name", name)])
            }
            JsonFault::MissingField { name } => {
                fill(J::MISSING_FIELD.get(locale), &[("name", name)])
            }
            JsonFault::WrongType { found, expected } => fill(
                J::WRONG_TYPE.get(locale),
                &[
                    ("expected", expected.message(locale, false)),
                    ("found", found.message(locale, true)),
                ],
            ),
            JsonFault::UnknownChoice { given, known } => fill(
                J::UNKNOWN_CHOICE.get(locale),
                &[("given", given), ("known", &list(known))],
            ),
            JsonFault::DateFormat => J::DATE_FORMAT.get(locale).to_owned(),
            JsonFault::DateRange => fill(
                J::DATE_RANGE.get(locale),
                &[
                    ("from", &crate::date::EARLIEST.to_string()),
                    ("to", &crate::date::LATEST.to_string()),
                ],
            ),
            JsonFault::Invalid => J::INVALID.get(locale).to_owned(),
        }
    }
}

/// A JSON document that could not be read into its type: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JsonError {
    /// The field's path (`regimen.drugs[0].doses`); empty for the whole document.
    pub path: String,
    /// What is wrong.
    #[serde(flatten)]
    pub fault: JsonFault,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.fault.message(Locale::En);
        if self.path.is_empty() {
            f.write_str(&message)
        } else {
            write!(f, "{}: {message}", self.path)
        }
    }
}

impl std::error::Error for JsonError {}

/// The names in a serde list: "`a`, `b` or `c`", "one of `a`, `b`".
fn names(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The first name quoted in backticks.
fn first_name(text: &str) -> String {
    names(text).into_iter().next().unwrap_or_default()
}

/// serde's message → a fault. serde's wording of these messages is part of its
/// `de::Error` defaults and has been stable since 1.0; an unknown wording is `Invalid`.
fn classify(message: &str) -> JsonFault {
    if message == DateError::Format.to_string() {
        return JsonFault::DateFormat;
    }
    if message == DateError::OutOfRange.to_string() {
        return JsonFault::DateRange;
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, known) = rest.split_once(", expected").unwrap_or((rest, ""));
        return JsonFault::UnknownField {
            name: first_name(name),
            known: names(known),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return JsonFault::MissingField {
            name: first_name(rest),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (given, known) = rest.split_once(", expected").unwrap_or((rest, ""));
        return JsonFault::UnknownChoice {
            given: first_name(given),
            known: names(known),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let (found, expected) = (Kind::found(found), Kind::expected(expected));
            // A whole number where one belongs, refused: it is out of the type's range.
            if found == expected || (found == Kind::Whole && expected == Kind::Integer) {
                return JsonFault::Invalid;
            }
            return JsonFault::WrongType { found, expected };
        }
    }
    JsonFault::Invalid
}

/// Reads a value into `T` as its JSON Schema reads it (an object where a struct
/// belongs, never a list of its fields; `2.0` as the whole number 2; a variant by its
/// name, never its number), naming the path of the first field that does not fit.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(strict::Strict(&value)).map_err(|e| {
        let path = e.path().to_string();
        JsonError {
            path: if path == "." { String::new() } else { path },
            fault: classify(&e.inner().to_string()),
        }
    })
}

/// For `#[serde(deserialize_with = "trappa_input::json::object")]` on a field holding a
/// struct or an enum inside a variant of an internally tagged enum: serde reads such
/// fields from a buffer of its own, which would take a struct as a list of its fields;
/// this reads an object only, and the value from it as [`from_value`] does.
pub fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    use serde::Deserialize;
    let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    let value = serde_json::Value::Object(map);
    T::deserialize(strict::Strict(&value)).map_err(serde::de::Error::custom)
}

/// Reads a document: a syntax error with its line and column, a field given twice (a
/// value keeps only the last, which would silently drop the first), then
/// [`from_value`].
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| JsonError {
        path: String::new(),
        fault: JsonFault::Syntax {
            line: e.line(),
            column: e.column(),
        },
    })?;
    if let Some((path, name)) = duplicates::first(text) {
        return Err(JsonError {
            path,
            fault: JsonFault::DuplicateField { name },
        });
    }
    from_value(value)
}

/// Finding an object key given twice, with the path of its object.
mod duplicates {
    use std::collections::HashSet;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    enum Segment {
        Key(String),
        Index(usize),
    }

    fn path(segments: &[Segment]) -> String {
        let mut out = String::new();
        for s in segments {
            match s {
                Segment::Key(k) if out.is_empty() => out.push_str(k),
                Segment::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    struct Walk<'a> {
        at: &'a mut Vec<Segment>,
        found: &'a mut Option<(String, String)>,
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            loop {
                self.at.push(Segment::Index(i));
                let next = seq.next_element_seed(Walk {
                    at: &mut *self.at,
                    found: &mut *self.found,
                })?;
                self.at.pop();
                if next.is_none() {
                    return Ok(());
                }
                i += 1;
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) && self.found.is_none() {
                    *self.found = Some((path(self.at), key.clone()));
                }
                self.at.push(Segment::Key(key));
                map.next_value_seed(Walk {
                    at: &mut *self.at,
                    found: &mut *self.found,
                })?;
                self.at.pop();
            }
            Ok(())
        }
    }

    /// The path of the first object with a key given twice, and the key.
    pub(super) fn first(text: &str) -> Option<(String, String)> {
        let mut at = Vec::new();
        let mut found = None;
        let mut d = serde_json::Deserializer::from_str(text);
        Walk {
            at: &mut at,
            found: &mut found,
        }
        .deserialize(&mut d)
        .ok()?;
        found
    }
}

/// Reads bytes that must be UTF-8: [`JsonFault::NotUtf8`] before anything else.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|_| JsonError {
        path: String::new(),
        fault: JsonFault::NotUtf8,
    })?;
    from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Drug {
        substance: String,
        doses: Vec<f64>,
        #[serde(default)]
        weeks: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
    #[allow(dead_code)]
    enum Pace {
        Slow { percent: f64 },
        Linear { percent: f64 },
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Request {
        drugs: Vec<Drug>,
        #[serde(default, deserialize_with = "crate::date::deserialize_option")]
        start: Option<jiff::civil::Date>,
        #[serde(default)]
        pace: Option<Pace>,
        #[serde(default)]
        strict: bool,
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    /// Each document, the path and the fault it must give, and the Swedish message.
    #[test]
    fn check() {
        let cases: Vec<(&str, &str, JsonFault, &str)> = vec![
            (
                r#"{"drugs": [}"#,
                "",
                JsonFault::Syntax {
                    line: 1,
                    column: 12,
                },
                "texten är inte giltig JSON (rad 1, tecken 12).",
            ),
            (
                r#"{"drugs": [], "goal": 5}"#,
                "goal",
                JsonFault::UnknownField {
                    name: "goal".into(),
                    known: s(&["drugs", "start", "pace", "strict"]),
                },
                "okänt fält ”goal”. Här finns: drugs, start, pace, strict.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "dose": [1]}]}"#,
                "drugs[0].dose",
                JsonFault::UnknownField {
                    name: "dose".into(),
                    known: s(&["substance", "doses", "weeks"]),
                },
                "okänt fält ”dose”. Här finns: substance, doses, weeks.",
            ),
            (
                r#"{"drugs": [{"substance": "x"}]}"#,
                "drugs[0]",
                JsonFault::MissingField {
                    name: "doses".into(),
                },
                "fältet ”doses” saknas.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "doses": [1, "två"]}]}"#,
                "drugs[0].doses[1]",
                JsonFault::WrongType {
                    found: Kind::Text,
                    expected: Kind::Number,
                },
                "här ska stå ett tal, inte en text.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "doses": [1], "weeks": -2}]}"#,
                "drugs[0].weeks",
                JsonFault::WrongType {
                    found: Kind::Negative,
                    expected: Kind::Whole,
                },
                "här ska stå ett heltal från 0, inte ett negativt tal.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "doses": [1], "weeks": 1.5}]}"#,
                "drugs[0].weeks",
                JsonFault::WrongType {
                    found: Kind::Fraction,
                    expected: Kind::Whole,
                },
                "här ska stå ett heltal från 0, inte ett tal med decimaler.",
            ),
            (
                r#"{"drugs": {}}"#,
                "drugs",
                JsonFault::WrongType {
                    found: Kind::Object,
                    expected: Kind::List,
                },
                "här ska stå en lista, inte ett objekt.",
            ),
            (
                r#"{"drugs": 3}"#,
                "drugs",
                JsonFault::WrongType {
                    found: Kind::Whole,
                    expected: Kind::List,
                },
                "här ska stå en lista, inte ett heltal.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "doses": [1], "weeks": 5000000000}]}"#,
                "drugs[0].weeks",
                JsonFault::Invalid,
                "värdet är ogiltigt här.",
            ),
            (
                r#"{"drugs": [], "strict": "ja"}"#,
                "strict",
                JsonFault::WrongType {
                    found: Kind::Text,
                    expected: Kind::Boolean,
                },
                "här ska stå true eller false, inte en text.",
            ),
            (
                r#"{"drugs": [], "pace": {"kind": "fast"}}"#,
                "pace.kind",
                JsonFault::UnknownChoice {
                    given: "fast".into(),
                    known: s(&["slow", "linear"]),
                },
                "”fast” finns inte. Välj en av: slow, linear.",
            ),
            (
                r#"{"drugs": [{"substance": "x", "doses": [1], "doses": [2]}]}"#,
                "drugs[0]",
                JsonFault::DuplicateField {
                    name: "doses".into(),
                },
                "fältet ”doses” står två gånger; skriv det en gång.",
            ),
            (
                r#"{"drugs": [], "start": "5/12 2026"}"#,
                "start",
                JsonFault::DateFormat,
                "här ska stå ett datum skrivet ÅÅÅÅ-MM-DD.",
            ),
            (
                r#"{"drugs": [], "start": "9999-06-01"}"#,
                "start",
                JsonFault::DateRange,
                "datumet måste ligga mellan 1900-01-01 och 2199-12-31.",
            ),
            (
                r#"{"drugs": [], "pace": {"kind": 0, "percent": 1}}"#,
                "pace.kind",
                JsonFault::WrongType {
                    found: Kind::Whole,
                    expected: Kind::Text,
                },
                "här ska stå en text, inte ett heltal.",
            ),
            (
                r#"{"drugs": [["x", [1], 2]]}"#,
                "drugs[0]",
                JsonFault::WrongType {
                    found: Kind::List,
                    expected: Kind::Object,
                },
                "här ska stå ett objekt, inte en lista.",
            ),
            (
                r#"{"drugs": [{"substance": null, "doses": [1]}]}"#,
                "drugs[0].substance",
                JsonFault::WrongType {
                    found: Kind::Null,
                    expected: Kind::Text,
                },
                "här ska stå en text, inte null.",
            ),
            (
                r#"{"drugs": [], "pace": {"kind": "slow", "percent": 1}, "strict": 1.0}"#,
                "strict",
                JsonFault::WrongType {
                    found: Kind::Whole,
                    expected: Kind::Boolean,
                },
                "här ska stå true eller false, inte ett heltal.",
            ),
        ];
        for (doc, path, fault, sv) in cases {
            let e = from_str::<Request>(doc).expect_err(doc);
            assert_eq!(e.path, path, "{doc}");
            assert_eq!(e.fault, fault, "{doc}");
            assert_eq!(e.fault.message(Locale::Sv), sv, "{doc}");
            assert!(!e.to_string().contains('`'), "{e}");
        }
        assert!(from_str::<Request>(r#"{"drugs": [], "start": "2026-12-05"}"#).is_ok());
    }

    /// JSON has one kind of number: `2.0` is the whole number 2 (RFC 8259 § 6, and
    /// JSON Schema's `integer`), so it fits a count; an integer fits a float.
    #[test]
    fn a_whole_number_is_whole_however_it_is_written() {
        for (doc, weeks) in [("2.0", 2), ("2", 2), ("0.0", 0), ("-0.0", 0), ("4e3", 4000)] {
            let r: Request = from_str(&format!(
                r#"{{"drugs": [{{"substance": "x", "doses": [1, 2.5], "weeks": {doc}}}]}}"#
            ))
            .expect(doc);
            assert_eq!(r.drugs[0].weeks, Some(weeks), "{doc}");
            assert_eq!(r.drugs[0].doses, [1.0, 2.5]);
        }
        let e =
            from_str::<Request>(r#"{"drugs": [{"substance": "x", "doses": [1], "weeks": -1.0}]}"#)
                .unwrap_err();
        assert_eq!(
            e.fault,
            JsonFault::WrongType {
                found: Kind::Negative,
                expected: Kind::Whole
            }
        );
        // Beyond 2^53 the number may be a rounded neighbour: not read as a whole number.
        let e = from_str::<Request>(
            r#"{"drugs": [{"substance": "x", "doses": [1], "weeks": 9007199254740994.0}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "drugs[0].weeks");
        #[derive(Debug, serde::Deserialize)]
        struct Version {
            #[allow(dead_code)]
            v: i64,
        }
        assert!(from_str::<Version>(r#"{"v": -9223372036854775809}"#).is_err());
        assert!(from_str::<Version>(r#"{"v": -9223372036854775808}"#).is_ok());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_named_before_parsing() {
        let e = from_slice::<Request>(b"{\"drugs\": [\xff]}").unwrap_err();
        assert_eq!(e.fault, JsonFault::NotUtf8);
        assert_eq!(e.path, "");
    }

    #[test]
    fn every_message_has_both_languages_and_the_same_placeholders() {
        for (name, m) in ALL {
            assert!(!m.sv.is_empty() && !m.en.is_empty(), "{name}");
            let holes = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|x| x.split('}').next())
                    .map(str::to_owned)
                    .collect();
                v.sort();
                v
            };
            assert_eq!(holes(m.sv), holes(m.en), "{name}");
        }
    }
}
