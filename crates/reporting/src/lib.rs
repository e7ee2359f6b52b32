//! Follow-up for the health board (issue 6), as pure functions:
//!
//! - [`suppress`]: cells under five people hidden so that no total gives them back;
//! - [`stats`]: the median and percentiles the measures use.

pub mod stats;
pub mod suppress;
