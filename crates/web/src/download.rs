//! Files sent as downloads: the right type, a file name, and never cached.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A download named `filename` of `content_type`.
pub fn attachment(
    content_type: &'static str,
    filename: &str,
    body: impl Into<axum::body::Body>,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body.into(),
    )
        .into_response()
}

/// A PDF download.
pub fn pdf(filename: &str, body: Vec<u8>) -> Response {
    attachment("application/pdf", filename, body)
}

/// An iCalendar download.
pub fn ics(filename: &str, body: String) -> Response {
    attachment("text/calendar; charset=utf-8", filename, body)
}

/// A taper plan's patient handout as a PDF download (drawn off the async threads).
pub async fn handout_pdf(
    plan: trappa_taper::Plan,
    locale: trappa_i18n::Locale,
    today: jiff::civil::Date,
) -> Result<Response, crate::error::AppError> {
    let pdf = tokio::task::spawn_blocking(move || crate::pdf::handout_pdf(&plan, locale, today))
        .await
        .map_err(|e| crate::error::AppError::Internal(e.into()))??;
    Ok(self::pdf("nedtrappningsplan.pdf", pdf))
}

/// A taper plan's dose changes as an ICS download; `uid_prefix` keeps event ids stable.
pub fn plan_ics(
    plan: &trappa_taper::Plan,
    locale: trappa_i18n::Locale,
    uid_prefix: &str,
) -> Response {
    let body = trappa_taper::output::ics::ics(plan, locale, uid_prefix, jiff::Timestamp::now());
    ics("nedtrappningsplan.ics", body)
}
