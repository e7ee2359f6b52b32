//! Planning the travelling team's week (issue 5), as pure functions.
//!
//! - [`availability`]: the team's working weeks, days at the base, leave and lent rooms,
//!   and the week's staff-days and room windows that follow;
//! - [`travel`]: where places are and how far apart, by a great-circle model with a road
//!   factor and an average speed;
//! - [`model`]: the problem (staff-days with shifts and lunch, rooms lent by host
//!   vårdcentraler, visits with their profession, length, allowed modes, windows and
//!   preferred clinician) and the plan (routes of timed stops, and every visit left
//!   unplanned with its reason);
//! - [`demand`]: the visits each patient's plan and aftercare ask for in a horizon;
//! - [`check`]: every hard constraint of a plan, written apart from any planner so a
//!   planner cannot pass by sharing its mistakes;
//! - [`kpi`]: km and hours travelled, in person vs. digital, continuity, visits per
//!   staff-day;
//! - [`baseline`]: the plans a real planner is measured against — a greedy "group by
//!   vårdcentral, nearest first" and the cost of one trip per visit from the base;
//! - [`planner`]: the planner — vrp-core's solve, exact timing with named rooms, and
//!   re-planning around pinned visits and locked days;
//! - [`week`]: a saved week (problem, plan, pins and locks) and the diff shown before a
//!   change is saved.

pub mod availability;
pub mod baseline;
pub mod check;
pub mod demand;
pub mod kpi;
pub mod model;
pub mod planner;
pub mod travel;
pub mod week;

#[cfg(test)]
mod testing;
