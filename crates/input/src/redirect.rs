//! Where to send the browser after signing in or changing language: a clean local path
//! or nowhere.
//!
//! Browsers forgive a lot in a `Location` header: they drop tabs and line breaks,
//! read `\` as `/` and `//host` as another site. So `/<TAB>/evil.example` becomes
//! `//evil.example`. A target is accepted only when every byte is printable ASCII
//! other than space and backslash (anything else must be percent-encoded, as a real
//! link from Trappa is), it starts with exactly one `/`, and it is not too long.

/// The longest target kept; a real path and query of Trappa's is far shorter.
pub const MAX_LEN: usize = 2_000;

/// `target` if it is a clean local path (see the module documentation).
pub fn local_path(target: &str) -> Option<&str> {
    let b = target.as_bytes();
    let clean = !b.is_empty()
        && b.len() <= MAX_LEN
        && b[0] == b'/'
        && b.get(1) != Some(&b'/')
        && b.iter().all(|&c| c.is_ascii_graphic() && c != b'\\');
    clean.then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, bool)] = &[
            ("/start", true),
            ("/patienter/0190?flik=journal", true),
            ("/rapport?fran=2026-01-01&till=2026-03-31", true),
            ("/", true),
            ("/s%C3%B6k", true),
            ("", false),
            ("start", false),
            ("//evil.example", false),
            ("/\t/evil.example", false),
            ("/%09/evil.example", true), // stays encoded: the browser asks us for it
            ("/\\evil.example", false),
            ("\\\\evil.example", false),
            ("/a\r\nSet-Cookie: x=1", false),
            ("/ /evil.example", false),
            ("https://evil.example/", false),
            ("/sök", false),
            ("/\u{0}", false),
        ];
        for (target, ok) in cases {
            assert_eq!(local_path(target).is_some(), *ok, "{target:?}");
        }
        assert!(local_path(&format!("/{}", "a".repeat(MAX_LEN))).is_none());
    }

    proptest! {
        /// No accepted target can leave the site, whatever a browser strips from it.
        #[test]
        fn accepted_targets_stay_local(target in "\\PC{0,12}|[/\\\\\t\r\n a.:%]{0,12}") {
            if let Some(t) = local_path(&target) {
                let seen: String = t.chars().filter(|c| !matches!(c, '\t' | '\r' | '\n')).collect::<String>().replace('\\', "/");
                prop_assert!(seen.starts_with('/') && !seen.starts_with("//"));
                prop_assert!(!t.contains("://") || t.find("://") > t.find('?').or(Some(0)));
            }
        }
    }
}
