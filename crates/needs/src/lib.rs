//! Needs analysis from pharmacy dispensing data (issue 6), as pure code over the
//! caller's streams:
//!
//! - [`dispensing`]: a row of the file, read without copying, and why a row is refused;
//! - [`analysis`]: one pass in bounded memory — long-term users per group (VGR's
//!   indicator: more than 0.5 DDD a day over twelve months), per prescribing unit and per
//!   municipality per 1,000 inhabitants, concurrent benzodiazepine and opioid use, and
//!   every refused row by line;
//! - [`estimate`]: from long-term users to patients a year, clinicians and teams per
//!   250,000 inhabitants, on stated assumptions;
//! - [`imported`]: an analysis as the unit saves it, with its source;
//! - [`generate`]: a synthetic file calibrated to the public figures, for the demo and
//!   the benchmark.

pub mod analysis;
pub mod dispensing;
pub mod estimate;
pub mod generate;
pub mod imported;
