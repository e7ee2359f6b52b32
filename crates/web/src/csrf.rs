//! CSRF protection (signed double submit): the browser holds a random value in a
//! SameSite=Strict cookie; every state-changing request must carry its HMAC under the
//! server key — forms in a `csrf` field, API calls in an `X-CSRF-Token` header.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::ctx::{CSRF_COOKIE, cookie, csrf_token_for};
use crate::error::AppError;
use crate::state::AppState;

/// Middleware: refuses unsafe methods without a valid token.
pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(cookie_value) = cookie(req.headers(), CSRF_COOKIE).map(str::to_owned) else {
        return AppError::Csrf.into_response();
    };
    let expected = csrf_token_for(&state, &cookie_value);
    if let Some(header) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if bool::from(header.as_bytes().ct_eq(expected.as_bytes())) {
            next.run(req).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let is_form = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return AppError::Csrf.into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, crate::extract::MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) if crate::extract::is_too_large(&e) => return AppError::TooLarge.into_response(),
        Err(_) => return AppError::Csrf.into_response(),
    };
    let token = form_urlencoded_value(&bytes, "csrf");
    match token {
        Some(t) if bool::from(t.as_bytes().ct_eq(expected.as_bytes())) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => AppError::Csrf.into_response(),
    }
}

fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    serde_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    let parsed: Result<Vec<(String, String)>, _> = serde_urlencoded::from_bytes(body);
    parsed.unwrap_or_default()
}
