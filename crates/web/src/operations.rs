//! The operator's endpoints and the request metrics' middleware: liveness, readiness
//! (the database answers), Prometheus metrics, each request counted and timed, and a
//! panic answered with the error page and its incident id.

use crate::metrics::*;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Middleware: counts and times every request, and traces it without personal data.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    let m = state.metrics();
    m.requests
        .get_or_create(&RequestLabels {
            method: method.clone(),
            route: route.clone(),
            status,
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
        })
        .observe(elapsed.as_secs_f64());
    let request_id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info!(
        request_id,
        method,
        route,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text exposition.
pub async fn prometheus(State(state): State<AppState>) -> Response {
    let mut body = String::new();
    let registry = state
        .metrics()
        .registry
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if prometheus_client::encoding::text::encode(&mut body, &registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Turns a handler panic into a 500 with an incident id; the panic goes to the log.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let incident = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    tracing::error!(incident = %incident, detail, "handler panicked");
    let page = crate::pages::layout::error_page(
        None,
        &crate::i18n::M::ERR_INTERNAL,
        &crate::i18n::M::ERR_INTERNAL_DETAIL,
        StatusCode::INTERNAL_SERVER_ERROR,
        &incident,
        &[],
    );
    (StatusCode::INTERNAL_SERVER_ERROR, page).into_response()
}
