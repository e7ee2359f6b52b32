//! Needs analysis from pharmacy dispensing data (issue 6), as pure code over the
//! caller's streams:
//!
//! - [`dispensing`]: a row of the file, read without copying, the drug groups by ATC,
//!   and why a row is refused;
//! - [`analysis`]: one streaming pass in bounded memory, one small aggregate per
//!   patient — long-term users per group (VGR's indicator: more than 0.5 DDD a day over
//!   twelve months), per prescribing unit (the outreach ranking) and per municipality
//!   per 1,000 inhabitants, concurrent benzodiazepine and opioid use, and every refused
//!   row by line;
//! - [`estimate`]: from long-term users to patients a year, clinicians and teams per
//!   250,000 inhabitants, on stated assumptions (status U);
//! - [`imported`]: an analysis as the unit saves it, with its source (the
//!   `needs_analysis` unit document);
//! - [`generate`]: a seeded synthetic file calibrated to the public figures, for the
//!   demo and the benchmark; the history reaches back as far as the rows need, the last
//!   twelve months always whole.
//!
//! The `trappa` binary's `needs` (with `--save-as`, saved as a new version once the
//! whole file is read), `generate-dispensing` and `bench-needs` read and write the
//! files; `serve --demo` generates a year of the region and saves its analysis.

pub mod analysis;
pub mod dispensing;
pub mod estimate;
pub mod generate;
pub mod imported;
