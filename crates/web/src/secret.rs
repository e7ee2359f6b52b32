//! A secret given to Trappa (an identity provider's client secret, a URL that carries a
//! password): used where it is needed and never shown — its `Debug` is `<redacted>`,
//! so a configuration printed whole, in a log or a panic, does not carry it.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// A secret string. Read it with [`Secret::expose`], where it is used.
#[derive(Clone, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing (or only blanks) was given.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl FromStr for Secret {
    type Err = Infallible;
    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(Self::new(s))
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_used_but_never_shown() {
        let s: Secret = "hemligt".parse().unwrap();
        assert_eq!(s.expose(), "hemligt");
        assert!(!format!("{s:?} {:?}", Some(&s)).contains("hemligt"));
        assert!(Secret::new("  ").is_blank());
    }
}
