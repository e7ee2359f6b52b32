//! Errors, rendered in one place: an HTML page in Swedish for people, RFC 9457
//! problem+json for the API. Handlers return [`AppError`]; its response carries an
//! [`ErrorMarker`] that [`render_errors`] turns into the right body for the request.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::AppState;
use crate::ctx::Ctx;
use crate::i18n::{M, Msg, S};
use trappa_store::StoreError;

/// A field-level validation message.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// The form field or JSON property.
    pub field: std::borrow::Cow<'static, str>,
    /// What is wrong, in the user's language.
    pub message: String,
}

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum AppError {
    /// No such page or record.
    NotFound,
    /// Not signed in (or the second factor is still owed).
    Unauthenticated,
    /// Signed in but not allowed.
    Forbidden,
    /// Not allowed, for a reason the user is told (title and detail).
    Refused(&'static Msg, &'static Msg),
    /// Outside the care relationship: emergency access with a reason is possible.
    EmergencyAccessRequired(uuid::Uuid),
    /// The CSRF token is missing or wrong.
    Csrf,
    /// The record changed since the form was read.
    Stale,
    /// Too many attempts, by which limit.
    TooManyRequests(Throttle),
    /// The body is larger than [`crate::extract::MAX_BODY_BYTES`].
    TooLarge,
    /// The body is not of the media type the route reads (JSON for the API, forms for
    /// pages).
    UnsupportedMediaType,
    /// The input is invalid.
    Invalid(Vec<FieldError>),
    /// Something broke; details go to the server log only.
    Internal(anyhow::Error),
}

pub use trappa_app::Throttle;

/// What a throttle's refusal says.
fn throttle_detail(throttle: Throttle) -> &'static Msg {
    match throttle {
        Throttle::SignIn => &M::ERR_THROTTLED_DETAIL,
        Throttle::SelfReferral => &S::ERR_SELF_REFERRAL_LIMIT_DETAIL,
        Throttle::Planner => &crate::i18n::J::JOB_BUSY_DETAIL,
    }
}

impl FieldError {
    /// A use case's fault, said in `locale`.
    pub fn from_fault(fault: &trappa_app::Fault, locale: trappa_i18n::Locale) -> Self {
        FieldError {
            field: fault.field.clone(),
            message: fault.message(locale),
        }
    }

    /// `errors` under a form's own field names: each `(use case's name, form's name)`
    /// pair renames the faults that name the first.
    pub fn renamed(errors: Vec<Self>, names: &[(&str, &'static str)]) -> Vec<Self> {
        errors
            .into_iter()
            .map(|mut e| {
                if let Some((_, to)) = names.iter().find(|(from, _)| e.field == *from) {
                    e.field = (*to).into();
                }
                e
            })
            .collect()
    }

    /// Every fault, said in `locale`.
    pub fn from_faults(faults: &[trappa_app::Fault], locale: trappa_i18n::Locale) -> Vec<Self> {
        faults.iter().map(|f| Self::from_fault(f, locale)).collect()
    }
}

impl AppError {
    /// The faults of an `Invalid` under a form's own field names
    /// ([`FieldError::renamed`]); any other error as it is.
    pub fn renamed(self, names: &[(&str, &'static str)]) -> Self {
        match self {
            AppError::Invalid(errors) => AppError::Invalid(FieldError::renamed(errors, names)),
            other => other,
        }
    }

    /// A use case's error, its faults said in `locale`.
    pub fn from_app(e: trappa_app::Error, locale: trappa_i18n::Locale) -> Self {
        use trappa_app::Error as E;
        match e {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::EmergencyAccessRequired(id) => AppError::EmergencyAccessRequired(id),
            E::Refused(title, detail) => AppError::Refused(title, detail),
            E::Stale => AppError::Stale,
            E::Invalid(faults) => AppError::Invalid(FieldError::from_faults(&faults, locale)),
            E::Throttled(t) => AppError::TooManyRequests(t),
            E::Internal(e) => AppError::Internal(e),
        }
    }
}

/// A use case's answer made a handler's: errors in the request's language.
pub trait ForUser<T> {
    /// The answer, or its error said in `ctx`'s language.
    fn for_user(self, ctx: &Ctx) -> Result<T, AppError>;
}

impl<T> ForUser<T> for Result<T, trappa_app::Error> {
    fn for_user(self, ctx: &Ctx) -> Result<T, AppError> {
        self.map_err(|e| AppError::from_app(e, ctx.locale))
    }
}
/// A use case's error where no fault is expected (a read): any fault is said in
/// Swedish. Where faults are expected, use [`ForUser::for_user`], which says them in
/// the reader's language.
impl From<trappa_app::Error> for AppError {
    fn from(e: trappa_app::Error) -> Self {
        AppError::from_app(e, trappa_i18n::Locale::Sv)
    }
}

/// A store error means what it means to a use case (`trappa_app::Error`'s mapping,
/// kept in one place); none of those answers carries text, so no language is needed.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::from_app(e.into(), trappa_i18n::Locale::Sv)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

/// Attached to error responses so the outer layer can render them for the request.
#[derive(Debug, Clone)]
pub struct ErrorMarker {
    kind: &'static str,
    title: &'static Msg,
    detail: &'static Msg,
    errors: Vec<FieldError>,
    emergency_patient: Option<uuid::Uuid>,
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, &'static Msg, &'static Msg) {
        match self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                &M::ERR_NOT_FOUND,
                &M::ERR_NOT_FOUND_DETAIL,
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                &M::ERR_UNAUTHENTICATED,
                &M::ERR_UNAUTHENTICATED_DETAIL,
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                &M::ERR_FORBIDDEN,
                &M::ERR_FORBIDDEN_DETAIL,
            ),
            AppError::Refused(title, detail) => (StatusCode::FORBIDDEN, "refused", title, detail),
            AppError::EmergencyAccessRequired(_) => (
                StatusCode::FORBIDDEN,
                "emergency-access-required",
                &M::ERR_NO_CARE_RELATION,
                &M::ERR_NO_CARE_RELATION_DETAIL,
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                &M::ERR_CSRF,
                &M::ERR_CSRF_DETAIL,
            ),
            AppError::Stale => (
                StatusCode::CONFLICT,
                "stale",
                &M::ERR_STALE,
                &M::ERR_STALE_DETAIL,
            ),
            AppError::TooManyRequests(throttle) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                &M::ERR_THROTTLED,
                throttle_detail(*throttle),
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                &S::ERR_TOO_LARGE,
                &S::ERR_TOO_LARGE_DETAIL,
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                &S::ERR_MEDIA_TYPE,
                &S::ERR_MEDIA_TYPE_DETAIL,
            ),
            AppError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                &M::ERR_INVALID,
                &M::ERR_INVALID_DETAIL,
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                &M::ERR_INTERNAL,
                &M::ERR_INTERNAL_DETAIL,
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, kind, title, detail) = self.parts();
        if let AppError::Internal(e) = &self {
            // The full chain goes to the server log, tied to the incident id by the
            // request span; the user sees only the id.
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let mut res = status.into_response();
        if let AppError::TooManyRequests(throttle) = &self {
            let wait = throttle.retry_after_secs().to_string();
            if let Ok(v) = axum::http::HeaderValue::from_str(&wait) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        let emergency_patient = match self {
            AppError::EmergencyAccessRequired(id) => Some(id),
            _ => None,
        };
        let errors = match self {
            AppError::Invalid(errors) => errors,
            _ => Vec::new(),
        };
        res.extensions_mut().insert(ErrorMarker {
            kind,
            title,
            detail,
            errors,
            emergency_patient,
        });
        res
    }
}

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

/// Whether a request wants JSON: the API, or an explicit JSON `Accept`.
pub(crate) fn wants_json(path: &str, accept: Option<&HeaderValue>) -> bool {
    path.starts_with("/api/")
        || accept
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
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
    } else if let Some(patient) = marker.emergency_patient {
        Redirect::to(&format!("/patienter/{patient}/nodatkomst")).into_response()
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

/// Percent-encodes a string for a query parameter.
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
