//! A finished analysis as the unit keeps it: the analysis with where it came from. It is
//! saved whole as one document version once the whole file has been read, so an import
//! either completes or leaves nothing behind; refused rows are part of it, by line.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::analysis::Needs;

/// The kind of the unit document that holds the latest analysis (its versions, the
/// earlier ones).
pub const DOCUMENT: &str = "needs_analysis";

/// An analysis as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// Where the rows came from (a file name, or the demo's generator).
    pub source: String,
    /// The last day of the twelve months counted.
    pub reference: Date,
    /// The region's inhabitants the rates are per.
    pub population: u64,
    /// The analysis.
    pub needs: Needs,
}
