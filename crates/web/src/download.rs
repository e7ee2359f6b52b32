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
    state: &crate::state::AppState,
    plan: trappa_taper::Plan,
    locale: trappa_i18n::Locale,
    today: jiff::civil::Date,
    who: Option<trappa_taper::output::handout::Recipient>,
) -> Result<Response, crate::error::AppError> {
    let pdf = crate::work::run(state, "handout_pdf", move |_| {
        crate::pdf::handout_pdf(&plan, locale, today, who.as_ref())
    })
    .await??;
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

/// One cell of a CSV file: text (neutralised against spreadsheet formulas by
/// [`trappa_input::csv::text_cell`]) or a number Trappa wrote itself (kept as it is).
pub enum Cell<'a> {
    /// Text, possibly typed by someone (a name, a place, a client address).
    Text(&'a str),
    /// A number or a fixed code Trappa formatted.
    Number(&'a str),
}

/// A CSV file as Trappa writes every one, for Swedish Excel: `;` between cells, UTF-8
/// with a BOM (so å, ä and ö read right), numbers with a decimal comma
/// (`trappa_i18n::format::plain`), every text cell made safe to open in a spreadsheet.
/// The one CSV writer: the report and both access-log extracts use it.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    /// A new, empty file.
    pub fn new() -> Self {
        Csv {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(Vec::from("\u{feff}".as_bytes())),
        }
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), crate::error::AppError> {
        let cells = cells.iter().map(|c| match c {
            Cell::Text(t) => trappa_input::csv::text_cell(t),
            Cell::Number(n) => std::borrow::Cow::Borrowed(*n),
        });
        self.writer
            .write_record(cells.map(|c| c.into_owned()))
            .map_err(|e| crate::error::AppError::Internal(e.into()))
    }

    /// Writes a row of text cells.
    pub fn text_row<S: AsRef<str>>(
        &mut self,
        cells: impl IntoIterator<Item = S>,
    ) -> Result<(), crate::error::AppError> {
        let cells: Vec<S> = cells.into_iter().collect();
        let cells: Vec<Cell<'_>> = cells.iter().map(|c| Cell::Text(c.as_ref())).collect();
        self.row(&cells)
    }

    /// The file as a download named `filename`.
    pub fn download(self, filename: &str) -> Result<Response, crate::error::AppError> {
        let body = self
            .writer
            .into_inner()
            .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
        Ok(attachment("text/csv; charset=utf-8", filename, body))
    }
}
