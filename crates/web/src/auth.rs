//! Authentication: argon2id passwords, TOTP second factor, sessions and throttling.
//!
//! **Identity-provider seam.** Everything after "this person is account X" lives in
//! [`start_session`]: an OIDC login (SITHS for staff, BankID through the region's IdP
//! for patients) plugs in as one more route that verifies the ID token, maps its
//! subject (HSA-id or personnummer) to an account and calls [`start_session`]. Nothing
//! else in the application knows how a user proved who they are.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use trappa_policy::Role;
use trappa_store::access_log::{Action, NewEntry};
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, SESSION_COOKIE, random_token, set_cookie, token_hash};
use crate::error::AppError;

/// Failed attempts per username (since the last success) within the window before
/// sign-in is refused.
pub const MAX_FAILURES_PER_USER: i64 = 5;
/// Failed attempts per client address within the window.
pub const MAX_FAILURES_PER_IP: i64 = 30;
/// Shortest password accepted when setting one.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash: argon2::PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordVerifier::<str>::verify_password(&Argon2::default(), password.as_bytes(), phc).is_ok()
}

/// A hash to verify against when the username does not exist, so both cases take the
/// same time and do not reveal which usernames exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// Whether sign-in for this username or address is currently refused.
pub async fn throttled(
    state: &AppState,
    username: &str,
    client_ip: Option<&str>,
) -> Result<bool, AppError> {
    let since = trappa_store::now() - SignedDuration::from_mins(trappa_app::SIGN_IN_WINDOW_MINUTES);
    let (by_user, by_ip) = state
        .store()
        .recent_login_failures(username, client_ip, since)
        .await?;
    Ok(by_user >= MAX_FAILURES_PER_USER || by_ip >= MAX_FAILURES_PER_IP)
}

/// Starts a session for an authenticated account and redirects onwards. The single
/// entry point for every way of signing in.
pub async fn start_session(
    state: &AppState,
    ctx: &Ctx,
    account_id: Uuid,
    username: &str,
    role: Role,
    second_factor_pending: bool,
    next: &str,
) -> Result<Response, AppError> {
    let token = random_token();
    let now = trappa_store::now();
    let idle = state.config().session_idle_minutes;
    state
        .store()
        .create_session(
            &token_hash(&token),
            account_id,
            role,
            second_factor_pending,
            now,
            now + SignedDuration::from_mins(idle),
        )
        .await?;
    if let Some(old) = &ctx.user {
        state.store().delete_session(&old.session_hash).await?;
    }
    let mut actor = ctx.anonymous_actor(username);
    actor.account_id = Some(account_id);
    actor.role = Some(role.code().to_owned());
    state
        .store()
        .append_access_log(
            &NewEntry::new(&actor, Action::Login, "session")
                .detail_opt(second_factor_pending.then(|| "second factor pending".to_owned())),
        )
        .await?;
    let target = if second_factor_pending {
        format!("/logga-in/totp?next={}", crate::error::urlencode(next))
    } else {
        safe_next(next).to_owned()
    };
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, &token, None, false),
    );
    Ok(res)
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

/// Builds the TOTP checker for a base32 secret.
pub fn totp(secret_base32: &str, account: &str) -> anyhow::Result<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32)
        .map_err(|e| anyhow::anyhow!("totp secret: {e:?}"))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some("Trappa"))
        .build()
        .map_err(|e| anyhow::anyhow!("totp: {e:?}"))
}

/// A fresh random TOTP secret, base32.
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes[..]);
    totp_rs::Secret::from(bytes.to_vec()).to_base32()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("korrekt häst batteri").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("korrekt häst batteri", &h));
        assert!(!verify_password("korrekt hast batteri", &h));
        assert!(!verify_password("x", "not a hash"));
    }

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

    #[test]
    fn totp_accepts_its_current_code_only() {
        let secret = new_totp_secret();
        let t = totp(&secret, "sara").unwrap();
        let code = t.generate_current().to_string();
        assert!(t.check_current(&code).is_some());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert!(t.check_current(wrong).is_none());
    }
}
