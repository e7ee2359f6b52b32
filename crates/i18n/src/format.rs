//! The one number formatter: every number a person reads goes through here, so Swedish
//! pages, PDFs, charts and CSV files show "21,2", "608 993", "50,0 %" and "1 månad" —
//! never "21.2" or "1 månader". English keeps its own conventions.
//!
//! Thousands are grouped with a no-break space (U+00A0) so a number never wraps across
//! lines; [`plain`] writes a number a spreadsheet can read back (decimal comma, no
//! grouping) for CSV.

use crate::{Locale, Msg, catalogue};

catalogue! {
    struct Noun;
    DAY: "dag", "day";
    DAYS: "dagar", "days";
    WEEK: "vecka", "week";
    WEEKS: "veckor", "weeks";
    MONTH: "månad", "month";
    MONTHS: "månader", "months";
    HOUR: "timme", "hour";
    HOURS: "timmar", "hours";
    MINUTE: "minut", "minute";
    MINUTES: "minuter", "minutes";
    AND: "och", "and";
}

/// "1 dag", "3 dagar".
pub fn days(n: i64, locale: Locale) -> String {
    count(n, &Noun::DAY, &Noun::DAYS, locale)
}

/// "1 vecka", "3 veckor".
pub fn weeks(n: i64, locale: Locale) -> String {
    count(n, &Noun::WEEK, &Noun::WEEKS, locale)
}

/// "1 timme", "72 timmar".
pub fn hours(n: i64, locale: Locale) -> String {
    count(n, &Noun::HOUR, &Noun::HOURS, locale)
}

/// "1 minut", "30 minuter".
pub fn minutes(n: i64, locale: Locale) -> String {
    count(n, &Noun::MINUTE, &Noun::MINUTES, locale)
}

/// "1 månad", "6 månader".
pub fn months(n: i64, locale: Locale) -> String {
    count(n, &Noun::MONTH, &Noun::MONTHS, locale)
}

/// Words as a list: "a", "a och b", "a, b och c".
pub fn and_list<S: AsRef<str>>(items: &[S], locale: Locale) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!(
                "{} {} {}",
                rest.join(", "),
                Noun::AND.get(locale),
                last.as_ref()
            )
        }
    }
}

/// Counts of one noun as a list with the noun once: "1, 3 och 6 månader", "1 månad".
pub fn count_list(ns: &[i64], one: &Msg, many: &Msg, locale: Locale) -> String {
    let Some((last, rest)) = ns.split_last() else {
        return String::new();
    };
    let counted = count(*last, one, many, locale);
    if rest.is_empty() {
        return counted;
    }
    let rest: Vec<String> = rest.iter().map(|n| integer(*n, locale)).collect();
    format!("{} {} {counted}", rest.join(", "), Noun::AND.get(locale))
}

/// The no-break space that groups thousands and separates a number from its unit.
pub const NBSP: char = '\u{a0}';

fn digits(value: f64, places: usize) -> (bool, String, String) {
    let rounded = format!("{:.*}", places, value.abs());
    let (whole, frac) = match rounded.split_once('.') {
        Some((w, f)) => (w.to_owned(), f.to_owned()),
        None => (rounded, String::new()),
    };
    let negative = value < 0.0 && rounded_nonzero(&whole, &frac);
    (negative, whole, frac)
}

fn rounded_nonzero(whole: &str, frac: &str) -> bool {
    whole.chars().chain(frac.chars()).any(|c| c != '0')
}

fn group(whole: &str, separator: char) -> String {
    let mut out = String::new();
    let len = whole.len();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A number with `places` decimals, grouped: "1 234,5" (sv), "1,234.5" (en).
/// Not a number prints as "–".
pub fn decimal(value: f64, places: usize, locale: Locale) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let (negative, whole, frac) = digits(value, places);
    let (thousands, point) = match locale {
        Locale::Sv => (NBSP, ','),
        Locale::En => (',', '.'),
    };
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&group(&whole, thousands));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(&frac);
    }
    out
}

/// A reference value as precise as it is stored, up to `max_places` decimals and without
/// trailing zeros: "0,6667", "2,5", "10" (sv).
pub fn exact(value: f64, max_places: usize, locale: Locale) -> String {
    let text = decimal(value, max_places, locale);
    let point = match locale {
        Locale::Sv => ',',
        Locale::En => '.',
    };
    if text.contains(point) {
        text.trim_end_matches('0')
            .trim_end_matches(point)
            .to_owned()
    } else {
        text
    }
}

/// A whole number, grouped: "608 993".
pub fn integer(value: i64, locale: Locale) -> String {
    decimal(value as f64, 0, locale)
}

/// A share as a percentage with `places` decimals: "50,0 %" (sv), "50.0%" (en).
pub fn percent(value: f64, places: usize, locale: Locale) -> String {
    match locale {
        Locale::Sv => format!("{}{NBSP}%", decimal(value, places, locale)),
        Locale::En => format!("{}%", decimal(value, places, locale)),
    }
}

/// A signed change: "+2,5 %", "−10,0 %".
pub fn signed_percent(value: f64, places: usize, locale: Locale) -> String {
    let text = percent(value, places, locale);
    if value >= 0.0 && !text.starts_with('−') {
        format!("+{text}")
    } else {
        text
    }
}

/// A number for a CSV cell a Swedish spreadsheet reads as a number: decimal comma (sv)
/// and no grouping.
pub fn plain(value: f64, places: usize, locale: Locale) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let (negative, whole, frac) = digits(value, places);
    let point = match locale {
        Locale::Sv => ',',
        Locale::En => '.',
    };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&whole);
    if !frac.is_empty() {
        out.push(point);
        out.push_str(&frac);
    }
    out
}

/// A count with its noun in the right number: `one` holds the singular ("månad"),
/// `many` the plural ("månader"): "1 månad", "3 månader", "1 234 patienter".
pub fn count(n: i64, one: &Msg, many: &Msg, locale: Locale) -> String {
    let noun = if n == 1 {
        one.get(locale)
    } else {
        many.get(locale)
    };
    format!("{}{NBSP}{noun}", integer(n, locale))
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_are_listed_with_och() {
        let sv = Locale::Sv;
        assert_eq!(and_list::<&str>(&[], sv), "");
        assert_eq!(and_list(&["a"], sv), "a");
        assert_eq!(and_list(&["a", "b"], sv), "a och b");
        assert_eq!(and_list(&["a", "b", "c"], sv), "a, b och c");
    }

    use super::*;

    fn sv(s: &str) -> String {
        s.replace(' ', "\u{a0}")
    }

    #[test]
    fn decimals_in_swedish_and_english() {
        let cases: &[(f64, usize, &str, &str)] = &[
            (21.2, 1, "21,2", "21.2"),
            (0.5, 1, "0,5", "0.5"),
            (608_993.0, 0, "608 993", "608,993"),
            (1_234_567.891, 2, "1 234 567,89", "1,234,567.89"),
            (999.96, 1, "1 000,0", "1,000.0"),
            (-3.25, 1, "−3,2", "−3.2"),
            (-0.01, 1, "0,0", "0.0"),
            (12.0, 0, "12", "12"),
            (f64::NAN, 1, "–", "–"),
        ];
        for (value, places, want_sv, want_en) in cases {
            assert_eq!(decimal(*value, *places, Locale::Sv), sv(want_sv), "{value}");
            assert_eq!(decimal(*value, *places, Locale::En), *want_en, "{value}");
        }
    }

    #[test]
    fn percent_plain_and_counts() {
        assert_eq!(percent(50.0, 1, Locale::Sv), sv("50,0 %"));
        assert_eq!(percent(50.0, 1, Locale::En), "50.0%");
        assert_eq!(signed_percent(2.5, 1, Locale::Sv), sv("+2,5 %"));
        assert_eq!(signed_percent(-10.0, 1, Locale::Sv), sv("−10,0 %"));
        assert_eq!(plain(1234.5, 1, Locale::Sv), "1234,5");
        assert_eq!(plain(-2.0, 0, Locale::Sv), "-2");
        const MONTH: Msg = Msg {
            sv: "månad",
            en: "month",
        };
        const MONTHS: Msg = Msg {
            sv: "månader",
            en: "months",
        };
        assert_eq!(count(1, &MONTH, &MONTHS, Locale::Sv), sv("1 månad"));
        assert_eq!(count(3, &MONTH, &MONTHS, Locale::Sv), sv("3 månader"));
        assert_eq!(count(0, &MONTH, &MONTHS, Locale::En), sv("0 months"));
        assert_eq!(
            count(1234, &MONTH, &MONTHS, Locale::Sv),
            sv("1 234 månader")
        );
    }

    #[test]
    fn exact_values_keep_their_precision_and_drop_trailing_zeros() {
        assert_eq!(exact(0.6667, 4, Locale::Sv), "0,6667");
        assert_eq!(exact(2.5, 4, Locale::Sv), "2,5");
        assert_eq!(exact(10.0, 4, Locale::Sv), "10");
        assert_eq!(exact(1500.0, 4, Locale::Sv), "1\u{a0}500");
        assert_eq!(exact(0.15, 4, Locale::En), "0.15");
    }
}
