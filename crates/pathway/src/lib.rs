//! The rest of the patient's path as pure rules, shared by the web pages, the API and
//! the demo. Nothing here reads a clock or a database: callers pass today's date and
//! the facts.
//!
//! Modules:
//!
//! - [`clock`]: the vårdgaranti clock — 90 days to the first visit, warnings at 60 and
//!   80, complement pauses, breaches.
//! - [`visits`]: what a visit is and what its journal note asks for: appointment kinds,
//!   places, states and which change is allowed; each kind's journal template as data;
//!   CBT programme progress.
//! - [`aftercare`]: aftercare and discharge: the follow-up schedule (default 1, 3, 6
//!   months, never ending before six); follow-up states; outcomes and the discharge
//!   rule; the event records.
//! - [`stage`]: where a patient is, derived.

pub mod aftercare;
pub mod clock;
pub mod visits;

use serde::{Deserialize, Serialize};

/// Where a patient is on the path; derived from the record, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Referred; waiting for triage or for a complement.
    Triage,
    /// Accepted; on the waiting list for the first assessment.
    Waiting,
    /// Assessed, no signed plan yet.
    Assessment,
    /// Tapering under a signed plan.
    Taper,
    /// After the last dose: follow-ups for at least six months.
    Aftercare,
    /// Discharged with an outcome.
    Discharged,
}

/// The facts [`stage`] needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// In the triage queue.
    pub in_triage: bool,
    /// On the waiting list.
    pub waiting: bool,
    /// Has an active (signed) plan.
    pub active_plan: bool,
    /// Aftercare has started (last dose taken).
    pub aftercare: bool,
    /// Discharged.
    pub discharged: bool,
}

/// The stage the facts put a patient in; later stages win, so a discharged patient who
/// still has a plan on file is discharged.
pub fn stage(f: StageFacts) -> Stage {
    if f.discharged {
        Stage::Discharged
    } else if f.aftercare {
        Stage::Aftercare
    } else if f.active_plan {
        Stage::Taper
    } else if f.in_triage {
        Stage::Triage
    } else if f.waiting {
        Stage::Waiting
    } else {
        Stage::Assessment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_stages_win() {
        let check = |f: StageFacts, expect: Stage| assert_eq!(stage(f), expect, "{f:?}");
        check(
            StageFacts {
                in_triage: true,
                ..Default::default()
            },
            Stage::Triage,
        );
        check(
            StageFacts {
                waiting: true,
                ..Default::default()
            },
            Stage::Waiting,
        );
        check(StageFacts::default(), Stage::Assessment);
        check(
            StageFacts {
                active_plan: true,
                ..Default::default()
            },
            Stage::Taper,
        );
        check(
            StageFacts {
                active_plan: true,
                aftercare: true,
                ..Default::default()
            },
            Stage::Aftercare,
        );
        check(
            StageFacts {
                active_plan: true,
                aftercare: true,
                discharged: true,
                ..Default::default()
            },
            Stage::Discharged,
        );
    }
}
