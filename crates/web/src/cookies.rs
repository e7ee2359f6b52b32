//! The cookies Trappa sets and reads: their names, and one `Set-Cookie` with the
//! security attributes every cookie carries.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "trappa_session";
/// Name of the CSRF cookie (a random value; forms carry its HMAC).
pub const CSRF_COOKIE: &str = "trappa_csrf";
/// Name of the language cookie.
pub const LANG_COOKIE: &str = "trappa_lang";

/// Reads one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with our security attributes.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
    same_site_strict: bool,
) -> HeaderValue {
    let mut c = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={}",
        if same_site_strict { "Strict" } else { "Lax" }
    );
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.config().secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}
