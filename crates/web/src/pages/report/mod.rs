//! The board's follow-up: the unit's measures for a period, split by one dimension,
//! trends by quarter, reach per municipality (where the service does not reach), decline
//! reasons and redirect targets, costs against the annual budget and the definition of
//! every measure — as a page with SVG charts, a CSV export and an annual report PDF.
//!
//! The facts are read without names or identity numbers (one access-log entry per
//! report, basis statistics) and leave the server only through
//! `trappa_reporting::publish`, which suppresses small cells so that no total gives one
//! back. No export has a row per person, so nothing needs pseudonymising.

use serde::Deserialize;

mod build;
mod facts;
mod files;
mod page;
use build::*;
use facts::*;
pub use files::*;
pub use page::*;

/// The report's query string.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    /// First day (YYYY-MM-DD) [default: a year before `till`].
    pub fran: String,
    /// Last day [default: today].
    pub till: String,
    /// The split shown on the page.
    pub fordelning: String,
}
