//! Errors as the reader gets them: a marked error response becomes problem+json for
//! the API or an HTML page in the reader's language, with the request's incident id.

use crate::ctx::Ctx;
use crate::error::{ErrorMarker, FieldError, urlencode, wants_json};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    instance: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

/// Middleware: turns marked error responses into problem+json or an HTML page.
pub async fn render_errors(State(_state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let json = wants_json(&path, req.headers().get(header::ACCEPT));
    let res = next.run(req).await;
    // The context middleware runs inside this one and hands its context back on the response.
    let ctx = res.extensions().get::<Ctx>().cloned();
    let Some(marker) = res.extensions().get::<ErrorMarker>().cloned() else {
        return res;
    };
    let status = res.status();
    let locale = ctx.as_ref().map(|c| c.locale).unwrap_or_default();
    let request_id = ctx
        .as_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default();
    let mut out = if json {
        let problem = Problem {
            kind: format!("urn:trappa:problem:{}", marker.kind),
            title: marker.title.get(locale),
            status: status.as_u16(),
            detail: marker.detail.get(locale),
            instance: format!("urn:trappa:request:{request_id}"),
            errors: &marker.errors,
        };
        let mut r = (status, axum::Json(problem)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else if status == StatusCode::UNAUTHORIZED {
        let next = urlencode(&path_and_query);
        Redirect::to(&format!("/logga-in?next={next}")).into_response()
    } else if let Some(target) = &marker.page_redirect {
        Redirect::to(target).into_response()
    } else {
        let page = crate::pages::layout::error_page(
            ctx.as_ref(),
            marker.title,
            marker.detail,
            status,
            &request_id,
            &marker.errors,
        );
        (status, page).into_response()
    };
    for (name, value) in res.headers() {
        if name == header::SET_COOKIE
            || name == header::RETRY_AFTER
            || name.as_str() == "x-request-id"
        {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}
