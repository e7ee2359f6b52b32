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
