//! Our versions of axum's `Form`, `Query` and `Json`, and `Path`: every value is
//! normalised by [`trappa_input::text::normalise`] before a handler sees it (secrets
//! excepted), bodies are limited to [`MAX_BODY_BYTES`] and must say what they are, and
//! a malformed request becomes an [`AppError`], so it is answered like every other
//! error (a Swedish page or problem+json) instead of axum's plain English text.

use std::borrow::Cow;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use trappa_i18n::Locale;

use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::i18n::M;

/// The largest body any request may send, form or JSON. A plan for fifteen years with
/// its observations is a few hundred kilobytes; anything much larger is not Trappa's.
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// Form fields compared as typed and never normalised: passwords, one-time codes, the
/// TOTP secret being confirmed, and the CSRF token.
const VERBATIM_FIELDS: &[&str] = &[
    "password", "current", "new", "repeat", "code", "secret", "csrf",
];

/// A URL-encoded form body.
pub struct Form<T>(pub T);

/// A URL-encoded form read the HTML way: repeated fields (checkboxes) become lists.
pub struct HtmlForm<T>(pub T);

/// A query string.
pub struct Query<T>(pub T);

/// A JSON body (`application/json`); unknown fields are refused by the types
/// themselves (`deny_unknown_fields`).
pub struct JsonBody<T>(pub T);

/// Path parameters. A malformed id names nothing, so it is a 404.
pub struct Path<T>(pub T);

fn locale_of(extensions: &axum::http::Extensions) -> Locale {
    extensions
        .get::<Ctx>()
        .map(|c| c.locale)
        .unwrap_or_default()
}

/// A form, query or body that could not be read: the Swedish message for a person,
/// and for an API client serde's detail too (it names the field).
fn unreadable(locale: Locale, field: &'static str, detail: Option<String>) -> AppError {
    let message = match detail {
        Some(d) => format!("{}: {d}", M::ERR_UNREADABLE.get(locale)),
        None => M::ERR_UNREADABLE.get(locale).to_owned(),
    };
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message,
    }])
}

/// A JSON body that does not fit its type: the field's path (or `body`) and the fault
/// in the reader's language.
fn json_refused(locale: Locale, e: trappa_input::json::JsonError) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: if e.path.is_empty() {
            "body".into()
        } else {
            e.path.into()
        },
        message: e.fault.message(locale),
    }])
}

/// The `name=value` pairs of a form or query, each value normalised (secrets excepted),
/// written back as a form.
pub(crate) fn normalised_pairs(encoded: &[u8]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(encoded) {
        let value = if VERBATIM_FIELDS.contains(&key.as_ref()) {
            value
        } else {
            match trappa_input::text::normalise(&value) {
                Cow::Borrowed(_) => value,
                Cow::Owned(v) => Cow::Owned(v),
            }
        };
        out.append_pair(&key, &value);
    }
    out.finish()
}

/// Every string of a JSON value normalised (keys are the API's own).
fn normalise_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(n) = trappa_input::text::normalise(s) {
                *s = n;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(normalise_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(normalise_json),
        _ => {}
    }
}

/// Whether the request's media type is `expected` (parameters such as `charset` aside;
/// for JSON also `application/*+json`).
fn media_type_is(req: &Request, expected: &str) -> bool {
    let Some(value) = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == expected
        || (expected == "application/json"
            && essence.starts_with("application/")
            && essence.ends_with("+json"))
}

/// Whether reading a body failed because it passed the limit.
pub(crate) fn is_too_large(e: &axum::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
}

/// The whole body, at most [`MAX_BODY_BYTES`]; more is a 413.
async fn body_bytes(req: Request, locale: Locale) -> Result<axum::body::Bytes, AppError> {
    axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            if is_too_large(&e) {
                AppError::TooLarge
            } else {
                unreadable(locale, "body", None)
            }
        })
}

/// A form body as normalised pairs, after checking its media type and size.
async fn form_body(req: Request) -> Result<(String, Locale), AppError> {
    let locale = locale_of(req.extensions());
    if !media_type_is(&req, "application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = body_bytes(req, locale).await?;
    Ok((normalised_pairs(&bytes), locale))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (pairs, locale) = form_body(req).await?;
        serde_urlencoded::from_str(&pairs).map(Form).map_err(|e| {
            tracing::debug!(error = %e, "form refused");
            unreadable(locale, "body", None)
        })
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (pairs, locale) = form_body(req).await?;
        serde_html_form::from_str(&pairs)
            .map(HtmlForm)
            .map_err(|e| {
                tracing::debug!(error = %e, "form refused");
                unreadable(locale, "body", None)
            })
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let locale = locale_of(req.extensions());
        if !media_type_is(&req, "application/json") {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = body_bytes(req, locale).await?;
        let mut value: serde_json::Value =
            trappa_input::json::from_slice(&bytes).map_err(|e| json_refused(locale, e))?;
        normalise_json(&mut value);
        trappa_input::json::from_value(value)
            .map(JsonBody)
            .map_err(|e| json_refused(locale, e))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let locale = locale_of(&parts.extensions);
        let pairs = normalised_pairs(parts.uri.query().unwrap_or("").as_bytes());
        serde_urlencoded::from_str(&pairs).map(Query).map_err(|e| {
            tracing::debug!(error = %e, "query refused");
            unreadable(locale, "query", None)
        })
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}

/// A date field (`YYYY-MM-DD`, inside [`trappa_input::date`]'s range) of a query or
/// form: `None` when empty; when malformed or out of range, `message` is added to
/// `errors` for `field` and `None` returned.
pub fn date_field(
    ctx: &crate::ctx::Ctx,
    field: &'static str,
    value: &str,
    message: &'static trappa_i18n::Msg,
    errors: &mut Vec<FieldError>,
) -> Option<jiff::civil::Date> {
    if value.trim().is_empty() {
        return None;
    }
    match trappa_input::date::parse(value) {
        Ok(d) => Some(d),
        Err(e) => {
            let text = match e {
                trappa_input::date::DateError::Format => ctx.t(message).to_owned(),
                trappa_input::date::DateError::OutOfRange => out_of_range(ctx.locale),
            };
            errors.push(FieldError {
                field: field.into(),
                message: text,
            });
            None
        }
    }
}

/// "Ange ett datum mellan 1900-01-01 och 2199-12-31."
pub fn out_of_range(locale: Locale) -> String {
    crate::i18n::fill(
        M::ERR_DATE_RANGE.get(locale),
        &[
            ("from", &trappa_input::date::EARLIEST.to_string()),
            ("to", &trappa_input::date::LATEST.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_normalised_but_secrets_are_not() {
        let body = "name=%E2%80%8B%E2%80%8B&note=a%00b&password=+x+&reason=+ok+&csrf=t";
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(&normalised_pairs(body.as_bytes())).unwrap();
        assert_eq!(
            pairs,
            [
                ("name".into(), "".into()),
                ("note".into(), "ab".into()),
                ("password".into(), " x ".into()),
                ("reason".into(), "ok".into()),
                ("csrf".into(), "t".into()),
            ]
        );
    }

    #[test]
    fn json_strings_are_normalised() {
        let mut v = serde_json::json!({"a": "\u{200B}", "b": ["x\u{0}y", 1], "c": {"d": " e "}});
        normalise_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"a": "", "b": ["xy", 1], "c": {"d": "e"}})
        );
    }
}
