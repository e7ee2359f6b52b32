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

/// Sorts `items` in Swedish order of the texts `keys` gives each one, the first text
/// deciding and the next breaking ties (family name, then given name). The sort is
/// stable: items equal in every text keep their order.
pub fn sort_by_texts<T, const N: usize>(items: &mut [T], keys: impl Fn(&T) -> [&str; N]) {
    items.sort_by(|a, b| {
        keys(a)
            .iter()
            .zip(keys(b).iter())
            .map(|(x, y)| compare(x, y))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
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

    #[test]
    fn the_first_text_decides_and_the_next_breaks_ties() {
        let mut people = vec![
            ("Östlund", "Anna", 1),
            ("Åberg", "Ulla", 2),
            ("Åberg", "Bo", 3),
            ("Åberg", "Bo", 4),
        ];
        sort_by_texts(&mut people, |p| [p.0, p.1]);
        let order: Vec<i32> = people.iter().map(|p| p.2).collect();
        assert_eq!(
            order,
            [3, 4, 2, 1],
            "family, then given; equal ones keep their order"
        );
    }
}
