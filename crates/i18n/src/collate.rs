//! Sorting names as Swedish readers expect: Å, Ä and Ö after Z, W beside V only as a
//! tie-break, é with e and ü with y — the Unicode collation tailored for Swedish (CLDR),
//! through ICU4X's collator rather than rules of our own.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};

static SWEDISH: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(
        icu_locale_core::locale!("sv").into(),
        CollatorOptions::default(),
    )
    // The Swedish tailoring is compiled into the binary; it cannot be missing.
    .expect("the compiled Swedish collation data")
});

/// Compares two strings in Swedish order (case and accents only break ties).
pub fn compare(a: &str, b: &str) -> Ordering {
    SWEDISH.compare(a, b)
}

/// Sorts `items` in Swedish order of the text `key` gives each one.
pub fn sort_by_text<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_come_after_z_and_foreign_letters_sort_with_their_base() {
        let mut names = vec![
            "Öberg",
            "Åberg",
            "Zetterlund",
            "Ängel",
            "Ahl",
            "Éva",
            "Ewa",
            "Müller",
            "Myhr",
            "åsa",
            "Wall",
            "Vall",
        ];
        sort_by_text(&mut names, |s| s);
        assert_eq!(
            names,
            [
                "Ahl",
                "Éva",
                "Ewa",
                "Myhr",
                "Müller",
                "Vall",
                "Wall",
                "Zetterlund",
                "Åberg",
                "åsa",
                "Ängel",
                "Öberg"
            ]
        );
    }

    #[test]
    fn byte_order_would_get_it_wrong() {
        // "Ängel" < "Åberg" by code point (Ä U+00C4 < Å U+00C5): Swedish puts Å first.
        assert!("Ängel" < "Åberg");
        assert_eq!(compare("Åberg", "Ängel"), Ordering::Less);
    }
}
