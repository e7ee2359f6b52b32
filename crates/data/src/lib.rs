//! Data that ships with Trappa: the region's reference units (loaded at every start)
//! and the synthetic demo data set (`--demo`).
//!
//! Both loads are idempotent: running them again changes nothing that is there.
//!
//! Modules:
//!
//! - [`reference`](mod@reference): the region's 49 municipalities and 98 vårdcentraler, compiled in
//!   from `data/region/*.csv`;
//! - [`demo`]: staff of every role and 200 synthetic patients, seeded;
//! - [`planning_week`]: a realistic generated week for the planner (8 staff, ~150
//!   patients over 40 vårdcentraler, lent rooms, ~260 visits from the demand rules);
//! - [`demo_path`]: each one's history along the path (triage, declined or redirected,
//!   waiting, assessment, taper, aftercare, discharged with every outcome; `stages`
//!   writes each stage), written through the ordinary store writes at the times it
//!   happened.

pub mod demo;
pub mod demo_path;
pub mod planning_week;
pub mod reference;
