//! Errors, rendered in one place: an HTML page in Swedish for people, RFC 9457
//! problem+json for the API. Handlers return [`AppError`]; its response carries an
//! [`ErrorMarker`] that `respond::render_errors` turns into the right body for the request.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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
    /// The role acted in needs a session with two factors, and this one has one
    /// ([`trappa_policy::needs_second_factor`]): a page sends the user to turn one on.
    SecondFactorRequired,
    /// Not allowed, for a reason the user is told (title and detail).
    Refused(&'static Msg, &'static Msg),
    /// The request cannot be completed as sent (a sign-in's answer that is not the
    /// answer to the sign-in begun here), said in words (title and detail).
    BadRequest(&'static Msg, &'static Msg),
    /// Outside the care relationship: emergency access with a reason is possible.
    EmergencyAccessRequired(uuid::Uuid),
    /// The CSRF token is missing or wrong.
    Csrf,
    /// The record changed since the form was read.
    Stale,
    /// Too many attempts, by which limit.
    TooManyRequests(Throttle),
    /// The body is larger than the request-body limit (`extract::MAX_BODY_BYTES`).
    TooLarge,
    /// The body is not of the media type the route reads (JSON for the API, forms for
    /// pages).
    UnsupportedMediaType,
    /// The input is invalid.
    Invalid(Vec<FieldError>),
    /// The database cannot serve just now (down, restarting, disk full): the user waits
    /// or the operator acts; not a fault in Trappa.
    Unavailable(trappa_store::Outage),
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

/// A use case's error where no fault is expected (a read): any fault is said in
/// Swedish. Where faults are expected, use [`ForUser::for_user`](crate::ctx::ForUser::for_user), which says them in
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

/// How long a client is told to wait when the database is unavailable: a restart of
/// PostgreSQL takes seconds; a full disk waits for the operator, and a retry then costs
/// one request.
const UNAVAILABLE_RETRY_SECS: &str = "30";

/// Attached to error responses so the outer layer can render them for the request.
#[derive(Debug, Clone)]
pub struct ErrorMarker {
    pub(crate) kind: &'static str,
    pub(crate) title: &'static Msg,
    pub(crate) detail: &'static Msg,
    pub(crate) errors: Vec<FieldError>,
    /// Where a page request goes instead of an error page (emergency access, turning on
    /// a second factor).
    pub(crate) page_redirect: Option<String>,
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
            AppError::SecondFactorRequired => (
                StatusCode::FORBIDDEN,
                "second-factor-required",
                &M::ERR_SECOND_FACTOR_REQUIRED,
                &M::ERR_SECOND_FACTOR_REQUIRED_DETAIL,
            ),
            AppError::Refused(title, detail) => (StatusCode::FORBIDDEN, "refused", title, detail),
            AppError::BadRequest(title, detail) => {
                (StatusCode::BAD_REQUEST, "bad-request", title, detail)
            }
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
            AppError::Unavailable(trappa_store::Outage::Unreachable) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                &S::ERR_UNAVAILABLE,
                &S::ERR_UNAVAILABLE_DETAIL,
            ),
            AppError::Unavailable(trappa_store::Outage::DiskFull) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "disk-full",
                &S::ERR_DISK_FULL,
                &S::ERR_DISK_FULL_DETAIL,
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
        let this = match self {
            AppError::Internal(e) => match trappa_store::outage_in(e.as_ref()) {
                Some(outage) => {
                    tracing::warn!(error = format!("{e:#}"), ?outage, "database unavailable");
                    AppError::Unavailable(outage)
                }
                None => AppError::Internal(e),
            },
            other => other,
        };
        let (status, kind, title, detail) = this.parts();
        if let AppError::Internal(e) = &this {
            // The full chain goes to the server log, tied to the incident id by the
            // request span; the user sees only the id.
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let mut res = status.into_response();
        if let AppError::Unavailable(_) = &this {
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(UNAVAILABLE_RETRY_SECS),
            );
        }
        if let AppError::TooManyRequests(throttle) = &this {
            let wait = throttle.retry_after_secs().to_string();
            if let Ok(v) = axum::http::HeaderValue::from_str(&wait) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        let page_redirect = match this {
            AppError::EmergencyAccessRequired(id) => Some(format!("/patienter/{id}/nodatkomst")),
            AppError::SecondFactorRequired => Some(SECOND_FACTOR_ENROLMENT.to_owned()),
            _ => None,
        };
        let errors = match this {
            AppError::Invalid(errors) => errors,
            _ => Vec::new(),
        };
        res.extensions_mut().insert(ErrorMarker {
            kind,
            title,
            detail,
            errors,
            page_redirect,
        });
        res
    }
}

/// Where an administrator without a second factor is sent: the own account's page,
/// which says why and turns one on.
pub(crate) const SECOND_FACTOR_ENROLMENT: &str = "/konto";

/// Whether a request wants JSON: the API, or an explicit JSON `Accept`.
pub(crate) fn wants_json(path: &str, accept: Option<&HeaderValue>) -> bool {
    path.starts_with("/api/")
        || accept
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
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
