//! Follow-up for the health board (issue 6), as pure functions:
//!
//! - [`measures`]: the unit's measures for a period from one record of facts per
//!   patient (every definition in the module's documentation);
//! - [`suppress`]: cells under five people hidden so that no total gives them back;
//! - [`stats`]: the median and percentiles the measures use.

pub mod measures;
pub mod stats;
pub mod suppress;
