//! The types of Trappa's message catalogues: every UI string in Swedish first, English
//! second, as typed constants, so a missing message is a compile error.
//!
//! Contents: `Locale`, `Msg`, `fill`, the `catalogue!` macro: the message-catalogue
//! types every crate with UI text uses; `format`, the one number formatter (decimal
//! comma, grouped thousands with a no-break space, `50,0 %`, `1 månad`, `plain` for
//! CSV).

use serde::Serialize;

pub mod collate;
pub mod format;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Locale {
    /// Svenska (default).
    #[default]
    Sv,
    /// English.
    En,
}

impl Locale {
    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Sv => "sv",
            Locale::En => "en",
        }
    }
}

/// One message in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    /// Swedish.
    pub sv: &'static str,
    /// English.
    pub en: &'static str,
}

impl Msg {
    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::Sv => self.sv,
            Locale::En => self.en,
        }
    }
}

/// Replaces `{key}` placeholders.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Declares a catalogue: a struct (`M` unless named with `struct Name;` first) with one
/// `Msg` constant per line, and `ALL`. A large catalogue is split into modules by
/// subject, each with its own struct.
#[macro_export]
macro_rules! catalogue {
    (struct $catalogue:ident; $($name:ident: $sv:literal, $en:literal;)*) => {
        /// The messages.
        #[allow(missing_docs)]
        pub struct $catalogue;
        #[allow(missing_docs)]
        impl $catalogue {
            $(pub const $name: $crate::Msg = $crate::Msg { sv: $sv, en: $en };)*
        }
        /// Every message with its name, for checks.
        pub const ALL: &[(&str, $crate::Msg)] = &[$((stringify!($name), $catalogue::$name)),*];
    };
    ($($name:ident: $sv:literal, $en:literal;)*) => {
        $crate::catalogue! { struct M; $($name: $sv, $en;)* }
    };
}
