//! Text as typed, normalised once for every field.
//!
//! What a person types may carry things no clinical record should keep: a NUL byte,
//! other control characters, direction overrides that make a name read differently
//! from how it is stored, or nothing visible at all (zero-width spaces). [`normalise`]
//! is applied to every value of every form, query string and JSON body before any
//! handler sees it (the web crate's extractors call it), so a rule that checks "is it
//! empty?" or "how long is it?" checks what a reader would see:
//!
//! - Unicode NFC (an "å" typed as "a" + ring and one typed whole are the same text);
//! - CR LF and lone CR become LF;
//! - control characters other than tab and line feed are removed, and so are the
//!   bidirectional embedding, override and isolate characters (U+202A–U+202E,
//!   U+2066–U+2069);
//! - whitespace and invisible characters (format characters such as U+200B, fillers,
//!   variation selectors) are trimmed at both ends, so text of nothing but them
//!   becomes empty.
//!
//! Secrets (passwords, one-time codes) are never normalised: they are compared as typed.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` shows nothing by itself: whitespace, format characters (zero-width
/// space and joiners, soft hyphen, BOM, direction marks) and the characters Unicode
/// lists as default-ignorable fillers and selectors.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.general_category() == GeneralCategory::Format
        || matches!(c,
            '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
            | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFA0}'
            | '\u{E0100}'..='\u{E01EF}')
}

/// Whether `c` is removed wherever it appears: control characters other than tab and
/// line feed, and the bidirectional embeddings, overrides and isolates.
pub fn is_removed(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text as Trappa keeps it (see the module documentation). Borrows when nothing
/// changes, which is almost always.
pub fn normalise(text: &str) -> Cow<'_, str> {
    let clean = |c: char| !is_removed(c);
    let trimmed = trim(text);
    let untouched = trimmed.len() == text.len()
        && !text.contains('\r')
        && text.chars().all(clean)
        && is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if untouched {
        return Cow::Borrowed(text);
    }
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified.chars().filter(|&c| clean(c)).nfc().collect();
    Cow::Owned(trim(&kept).to_owned())
}

/// Whitespace and invisible characters off both ends — but a variation selector right
/// after a visible character stays (it chooses how that character looks: "⚕️").
fn trim(text: &str) -> &str {
    let mut text = text.trim_start_matches(is_invisible);
    while let Some(last) = text.chars().next_back() {
        if !is_invisible(last) {
            break;
        }
        let rest = &text[..text.len() - last.len_utf8()];
        let selector = matches!(last, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
        if selector && rest.chars().next_back().is_some_and(|c| !is_invisible(c)) {
            break;
        }
        text = rest;
    }
    text
}

/// Whether the text shows nothing: empty, or only whitespace and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| is_invisible(c) || is_removed(c))
}

/// How many characters a reader sees (invisible and removed characters not counted).
pub fn visible_len(text: &str) -> usize {
    text.chars()
        .filter(|&c| !is_invisible(c) && !is_removed(c))
        .count()
}

/// Whether the text holds a line break or tab: refused in one-line fields (names,
/// reasons shown in a table cell).
pub fn has_line_break(text: &str) -> bool {
    text.contains(['\n', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("Anna", "Anna"),
            ("  Anna  ", "Anna"),
            ("\u{200B}\u{200B}", ""),
            ("\u{200B} \u{FEFF}\u{2060}\u{00AD}", ""),
            ("\u{3164}\u{115F}", ""),
            ("\u{200B}Anna\u{200B}", "Anna"),
            ("An\u{0}na", "Anna"),
            ("rad ett\r\nrad två\rrad tre", "rad ett\nrad två\nrad tre"),
            ("a\tb", "a\tb"),
            ("\u{202E}anna\u{202C}", "anna"),
            ("x\u{2066}y\u{2069}", "xy"),
            ("A\u{030A}sa", "Åsa"),
            ("\u{7}\u{1B}[31mröd", "[31mröd"),
            ("\u{85}", ""),
            ("Nils-Åke O'Brien", "Nils-Åke O'Brien"),
            ("👩\u{200D}⚕️", "👩\u{200D}⚕️"),
            // Found by the property test: a selector on a visible character stays.
            ("\u{11150}\u{E0100}", "\u{11150}\u{E0100}"),
            ("a\u{200B}\u{FE0F}", "a"),
        ];
        for (input, expect) in cases {
            assert_eq!(normalise(input), *expect, "{input:?}");
        }
    }

    #[test]
    fn blank_and_visible_length() {
        assert!(is_blank(""));
        assert!(is_blank(" \u{200B}\u{00A0}\u{2060}\n"));
        assert!(!is_blank("\u{200B}a"));
        assert_eq!(visible_len("ab\u{200B}\u{200B}\u{200B}c"), 3);
        assert_eq!(visible_len("\u{200B}".repeat(20).as_str()), 0);
    }

    proptest! {
        /// Normalising twice changes nothing more, and what comes out holds no removed
        /// character and starts and ends visibly (a variation selector on a visible last
        /// character counts as visible).
        #[test]
        fn normalised_text_is_stable_and_clean(input in "\\PC{0,40}|[\\x00-\\x1f\\u{200B}\\u{202E} a-zå]{0,20}") {
            let once = normalise(&input).into_owned();
            let twice = normalise(&once).into_owned();
            prop_assert_eq!(twice, once.clone());
            prop_assert!(!once.chars().any(is_removed));
            // It ends visibly, or with a variation selector on a visible character
            // (kept on purpose: it chooses how that character looks, as in "⚕️").
            let mut tail = once.chars().rev();
            let ends_visibly = match (tail.next(), tail.next()) {
                (None, _) => true,
                (Some(last), before) => {
                    !is_invisible(last)
                        || (matches!(last, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
                            && before.is_some_and(|c| !is_invisible(c)))
                }
            };
            prop_assert!(!once.starts_with(is_invisible) && ends_visibly, "{:?}", once);
            prop_assert_eq!(once.is_empty(), is_blank(&input));
        }
    }
}
