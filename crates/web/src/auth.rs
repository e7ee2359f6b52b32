//! Sessions over HTTP: the cookie a session started by `trappa_app::sessions` is
//! carried in, and where the browser goes next.
//!
//! **Identity-provider seam.** Everything after "this person is account X" lives in
//! `trappa_app::sessions::start`: an OIDC login (SITHS for staff, BankID through the
//! region's IdP for patients) plugs in as one more route that verifies the ID token,
//! maps its subject (HSA-id or personnummer) to an account, calls it and answers with
//! [`session_response`]. Nothing else knows how a user proved who they are.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::ctx::{SESSION_COOKIE, set_cookie};
use crate::state::AppState;

pub use trappa_app::sessions::hash_password;

/// Where a session just started goes, with its cookie: the one-time code when one is
/// owed, else `next`.
pub fn session_response(
    state: &AppState,
    started: &trappa_app::sessions::Started,
    next: &str,
) -> Response {
    let target = if started.second_factor_pending {
        format!("/logga-in/totp?next={}", crate::error::urlencode(next))
    } else {
        safe_next(next).to_owned()
    };
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, &started.token, None, false),
    );
    res
}

/// Ends the session and clears the cookie.
pub fn clear_session_cookie(state: &AppState, res: &mut Response) {
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, "", Some(0), false),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Where to go after signing in: a clean local path ([`trappa_input::redirect`], the
/// one parser for every `next`) that is not the sign-in itself, else the start page.
pub fn safe_next(next: &str) -> &str {
    trappa_input::redirect::local_path(next)
        .filter(|n| !n.starts_with("/logga"))
        .unwrap_or("/start")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/patienter/1"), "/patienter/1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "javascript:alert(1)",
            "/logga-ut",
        ] {
            assert_eq!(safe_next(bad), "/start", "{bad}");
        }
    }
}
