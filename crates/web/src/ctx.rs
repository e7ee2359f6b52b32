//! The per-request context: request id, client address, locale, CSRF token and the
//! signed-in user. Built once per request by [`context`] and read by handlers.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use trappa_policy::Role;
use trappa_store::access_log::Actor;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::{Locale, Msg};
use crate::state::AppState;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct User {
    /// Account id.
    pub account_id: Uuid,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// The role acted in.
    pub role: Role,
    /// The account's unit.
    pub unit_id: Option<Uuid>,
    /// For partners' staff: their organisation (what the access log names as where
    /// they read from).
    pub partner_organisation_id: Option<Uuid>,
    /// For patient accounts.
    pub patient_id: Option<Uuid>,
    /// The session's token hash.
    pub session_hash: String,
    /// Password given, second factor still owed.
    pub second_factor_pending: bool,
    /// The session proved two factors (a one-time code, or an identity provider's).
    pub multi_factor: bool,
    /// When a person last granted the role acted in (none: given at setup).
    pub role_granted_at: Option<jiff::Timestamp>,
}

/// Everything a handler needs to know about the request itself.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Short id tying the request to server logs and error pages.
    pub request_id: String,
    /// Client address.
    pub client_ip: Option<String>,
    /// Language of the UI.
    pub locale: Locale,
    /// The token forms must carry.
    pub csrf_token: String,
    /// The signed-in user, if any.
    pub user: Option<User>,
    /// The request path (for navigation highlighting).
    pub path: String,
    /// The confirmation to show once on this page, after a save ([`crate::flash`]).
    pub flash: Option<crate::flash::Shown>,
    /// Access-log entries held back for a write ([`trappa_store::access_log::Deferred`]);
    /// [`context`] writes those no write took before the response leaves.
    pub deferred: Deferred,
}

/// The request's held-back access-log entries (shared by the context's clones).
#[derive(Debug, Clone, Default)]
pub struct Deferred(
    std::sync::Arc<std::sync::Mutex<Vec<std::sync::Arc<trappa_store::access_log::Deferred>>>>,
);

impl Deferred {
    /// Holds `entry` until the response.
    pub fn push(&self, entry: std::sync::Arc<trappa_store::access_log::Deferred>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
    }

    /// Writes every entry no write took; an error means the response must not leave.
    async fn write_held(&self, state: &AppState) -> Result<(), AppError> {
        let held: Vec<_> = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        for d in held {
            trappa_app::access::flush(state.store(), &d).await?;
        }
        Ok(())
    }
}

impl Ctx {
    /// The text of a message in this request's language.
    pub fn t(&self, m: &'static Msg) -> &'static str {
        m.get(self.locale)
    }

    /// The caller of a use case: `user` acting in this request.
    pub fn caller(&self, user: &User) -> trappa_app::Caller {
        trappa_app::Caller {
            account_id: user.account_id,
            role: user.role,
            unit_id: user.unit_id,
            patient_id: user.patient_id,
            actor: self.actor(),
            display_name: user.display_name.clone(),
            locale: self.locale,
        }
    }

    /// The actor for access-log entries.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor {
                account_id: Some(u.account_id),
                username: u.username.clone(),
                role: Some(u.role.code().to_owned()),
                // Where the reader works: the unit, or a partner's organisation.
                unit_id: u.unit_id.or(u.partner_organisation_id),
                request_id: self.request_id.clone(),
                client_ip: self.client_ip.clone(),
                new_role: u.role_granted_at.is_some_and(|granted| {
                    trappa_store::now().duration_since(granted).as_secs()
                        < trappa_policy::roles::NEW_ROLE_FLAG_HOURS * 3600
                }),
            },
            None => self.anonymous_actor(""),
        }
    }

    /// An actor with no account (e.g. a failed login with the typed username).
    pub fn anonymous_actor(&self, username: &str) -> Actor {
        Actor {
            account_id: None,
            username: username.to_owned(),
            role: None,
            unit_id: None,
            request_id: self.request_id.clone(),
            client_ip: self.client_ip.clone(),
            new_role: false,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

pub use crate::cookies::{CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie, set_cookie};
pub use trappa_app::sessions::{random_token, token_hash};

/// The CSRF token forms carry: HMAC of the cookie's random value under the server key.
pub fn csrf_token_for(state: &AppState, cookie_value: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(state.config().secret_key.bytes())
        .expect("HMAC takes any key length");
    mac.update(cookie_value.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// An HMAC tag of `payload` under a key derived from the server key for `purpose`
/// alone. Each use has its own key: the CSRF token is an HMAC under the server key of a
/// value the client chooses, so a tag under that key would prove nothing.
pub fn purpose_tag(state: &AppState, purpose: &str, payload: &[u8]) -> String {
    let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(state.config().secret_key.bytes())
        .expect("HMAC takes any key length");
    derive.update(purpose.as_bytes());
    let key = derive.finalize().into_bytes();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(payload);
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn client_ip(state: &AppState, req: &Request) -> Option<String> {
    if state.config().trust_proxy_headers
        && let Some(f) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = f.split(',').next()
    {
        return Some(first.trim().to_owned());
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

/// Paths that need no session lookup.
fn is_infrastructure(path: &str) -> bool {
    path.starts_with("/static/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics" | "/favicon.ico")
}

/// Middleware: builds the [`Ctx`] and sets the CSRF cookie when the browser has none.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = Uuid::new_v4().simple().to_string()[..12].to_owned();
    let path = req.uri().path().to_owned();
    if is_infrastructure(&path) {
        return next.run(req).await;
    }
    let span = tracing::info_span!("request", request_id = %request_id);

    let (csrf_cookie, new_csrf) = match cookie(req.headers(), CSRF_COOKIE) {
        Some(v) if v.len() >= 32 => (v.to_owned(), false),
        _ => (random_token(), true),
    };
    let locale = match cookie(req.headers(), LANG_COOKIE) {
        Some("en") => Locale::En,
        _ => Locale::Sv,
    };
    let had_flash = cookie(req.headers(), crate::flash::FLASH_COOKIE).is_some();
    let mut ctx = Ctx {
        request_id: request_id.clone(),
        client_ip: client_ip(&state, &req),
        locale,
        csrf_token: csrf_token_for(&state, &csrf_cookie),
        user: None,
        path,
        flash: cookie(req.headers(), crate::flash::FLASH_COOKIE).and_then(crate::flash::parse),
        deferred: Deferred::default(),
    };
    if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        let loaded = tracing::Instrument::instrument(load_user(&state, token), span.clone()).await;
        match loaded {
            Ok(u) => ctx.user = u,
            Err(e) => {
                // The error page still shows this request's incident id.
                let _entered = span.enter();
                let mut res = axum::response::IntoResponse::into_response(e);
                res.extensions_mut().insert(ctx);
                return res;
            }
        }
    }
    req.extensions_mut().insert(ctx.clone());
    let mut res = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    // What the handler read under an access opened for a write that did not happen is
    // logged now, before the response leaves; if that fails, nothing leaves.
    if let Err(e) = tracing::Instrument::instrument(ctx.deferred.write_held(&state), span).await {
        res = axum::response::IntoResponse::into_response(e);
    }
    // A confirmation is shown once: on the first page that is not itself a redirect.
    if had_flash && !res.status().is_redirection() {
        res.headers_mut()
            .append(header::SET_COOKIE, crate::flash::clear(&state));
    }
    res.extensions_mut().insert(ctx);
    if new_csrf {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, CSRF_COOKIE, &csrf_cookie, None, true),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

async fn load_user(state: &AppState, token: &str) -> Result<Option<User>, AppError> {
    let idle = state.config().session_idle_minutes;
    let resumed = trappa_app::sessions::resume(state.store(), token, idle).await;
    let Some(s) = resumed? else {
        return Ok(None);
    };
    Ok(Some(User {
        account_id: s.account_id,
        username: s.username,
        display_name: s.display_name,
        role: s.active_role,
        unit_id: s.unit_id,
        partner_organisation_id: s.partner_organisation_id,
        patient_id: s.patient_id,
        session_hash: s.id_hash,
        second_factor_pending: s.second_factor_pending,
        multi_factor: s.multi_factor,
        role_granted_at: s.role_granted_at,
    }))
}

/// A use case's answer made a handler's: errors in the request's language.
pub trait ForUser<T> {
    /// The answer, or its error said in `ctx`'s language.
    fn for_user(self, ctx: &Ctx) -> Result<T, crate::error::AppError>;
}

impl<T> ForUser<T> for Result<T, trappa_app::Error> {
    fn for_user(self, ctx: &Ctx) -> Result<T, crate::error::AppError> {
        self.map_err(|e| crate::error::AppError::from_app(e, ctx.locale))
    }
}
