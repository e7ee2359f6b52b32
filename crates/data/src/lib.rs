//! Data that ships with Trappa: the region's reference units (loaded at every start)
//! and the synthetic demo data set (`--demo`).
//!
//! Both loads are idempotent: running them again changes nothing that is there.

pub mod demo;
pub mod demo_path;
pub mod planning_week;
pub mod reference;
