//! Our versions of axum's `Form`, `Query` and `Path`: the same parsing, but a
//! malformed request becomes an [`AppError`], so it is answered like every other error
//! (a Swedish page or problem+json) instead of axum's plain-text rejection.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

/// A URL-encoded form body.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) => Err(AppError::Invalid(vec![FieldError {
                field: "body".into(),
                message: e.body_text(),
            }])),
        }
    }
}

/// A URL-encoded form read the HTML way: repeated fields (checkboxes) become lists.
pub struct HtmlForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for HtmlForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let invalid = |message: String| {
            AppError::Invalid(vec![FieldError {
                field: "body".into(),
                message,
            }])
        };
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| invalid(e.body_text()))?;
        serde_html_form::from_bytes(&bytes)
            .map(HtmlForm)
            .map_err(|e| invalid(e.to_string()))
    }
}

/// A query string.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(AppError::Invalid(vec![FieldError {
                field: "query".into(),
                message: e.body_text(),
            }])),
        }
    }
}

/// Path parameters. A malformed id names nothing, so it is a 404.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}

/// A date field (`YYYY-MM-DD`) of a query or form: `None` when empty; when malformed,
/// `message` is added to `errors` for `field` and `None` returned.
pub fn date_field(
    ctx: &crate::ctx::Ctx,
    field: &'static str,
    value: &str,
    message: &'static trappa_i18n::Msg,
    errors: &mut Vec<FieldError>,
) -> Option<jiff::civil::Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    value.parse().ok().or_else(|| {
        errors.push(FieldError {
            field: field.into(),
            message: ctx.t(message).to_owned(),
        });
        None
    })
}
