//! Planning the travelling team's week (issue 5), as pure functions.
//!
//! - [`availability`]: the team's working weeks with lunch, days at the base, start
//!   points, leave and rooms lent by weekday and period, validated; and the week's
//!   staff-days and room windows that follow;
//! - [`travel`]: where places are and how far apart: great-circle km × a road factor at
//!   an average speed (defaults 1.3 and 60 km/h, status U), or road km and minutes from
//!   an OSRM `table` response, fetched by the caller and parsed here;
//! - [`model`]: the problem (staff-days with shifts and lunch, rooms lent by host
//!   vårdcentraler, visits with their profession, length, allowed modes, windows and
//!   preferred clinician) and the plan (routes of timed stops naming their room, and
//!   every visit left unplanned with its reason);
//! - [`demand`]: the visits each patient's plan and aftercare ask for in a horizon: a
//!   nurse's review before each step, a physician's at the start and after signed
//!   changes, aftercare follow-ups — Trappa's defaults, status U;
//! - [`check`]: every hard constraint of a plan, walked as the clinician would drive,
//!   written apart from any planner (no code shared) so a planner cannot pass by
//!   sharing its mistakes;
//! - [`kpi`]: km and hours travelled, in person vs. digital, continuity, visits per
//!   staff-day; the one-trip-per-visit baseline;
//! - [`baseline`]: the plans a real planner is measured against — a greedy "group by
//!   vårdcentral, nearest first" and the cost of one trip per visit from the base (in
//!   [`kpi`]);
//! - [`planner`]: the planner — vrp-core's solve, exact timing with named rooms, and
//!   re-planning around pinned visits and locked days (see below);
//! - [`week`]: a saved week (problem, plan, pins and locks) and the diff shown before a
//!   change is saved.
//!
//! The planner (`encode`, `solve`, `realise`) sets the week as a vehicle routing
//! problem for vrp-core: a vehicle per staff-day, a job per visit with a place per
//! allowed mode — the vårdcentral cut to its lent rooms' hours, the base, a place
//! without location for video or phone — lunch as a job bound to its staff-day by a
//! skill, professions as skills; goal in order: place every visit, the usual clinician,
//! then km + a km price per digital visit; then every route re-timed exactly with a
//! named free room per visit, what no longer fits met digitally or left out with its
//! reason. `replan` keeps pinned visits — bound to their staff-day, put back where they
//! fit first if the solve leaves them out — and locked days, which stay out of the
//! solve as they were.
//!
//! Compute only: the solver runs threads for seconds, so callers use `spawn_blocking`;
//! its log goes to `tracing` (vrp-core prints to stdout otherwise).

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
