//! The waiting list: accepted patients by priority and date, each with the vårdgaranti
//! clock (90 days to the first visit, warnings at 60 and 80, breaches counted). The
//! listing and every patient it names are logged.

use jiff::Timestamp;
use jiff::civil::Date;
use trappa_pathway::clock::{Clock, ClockFacts, Pause, clock};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::referrals::{ReferralTimeline, WaitingEntry};
use trappa_triage::{Decision, Priority};

use crate::clock::local_date;
use crate::{Caller, Result};

/// The clock for a referral: complement pauses from each request to the next answer.
pub fn clock_for(
    t: &ReferralTimeline,
    first_visit: Option<Timestamp>,
    booked: Option<Timestamp>,
    today: Date,
) -> Clock {
    let pauses = t
        .complement_asked
        .iter()
        .map(|asked| Pause {
            from: local_date(*asked),
            until: t
                .complement_answered
                .iter()
                .find(|a| *a >= asked)
                .map(|a| local_date(*a)),
        })
        .collect();
    clock(
        &ClockFacts {
            received: Some(local_date(t.received_at)),
            pauses,
            first_visit: first_visit.map(local_date),
            booked: booked.map(local_date),
        },
        today,
    )
}

/// The priority an acceptance gave, high or normal.
pub fn priority(decision: Option<&str>) -> Priority {
    match decision.and_then(|d| serde_json::from_str::<Decision>(d).ok()) {
        Some(Decision::Accept { priority }) => priority,
        _ => Priority::Normal,
    }
}

/// One row of the list: the entry, its priority and clock.
pub struct Row {
    /// The entry.
    pub entry: WaitingEntry,
    /// High or normal.
    pub priority: Priority,
    /// The clock today.
    pub clock: Clock,
}

/// The waiting list in order: high priority first, then the earliest deadline.
pub fn ordered(entries: Vec<WaitingEntry>, today: Date) -> Vec<Row> {
    let mut rows: Vec<Row> = entries
        .into_iter()
        .map(|entry| Row {
            priority: priority(entry.decision.as_deref()),
            clock: clock_for(&entry.timeline, None, entry.booked, today),
            entry,
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            r.priority != Priority::High,
            r.clock.deadline.unwrap_or(Date::MAX),
            r.entry.timeline.received_at,
        )
    });
    rows
}

/// The waiting list in order on `today`, read and logged in the caller's name (the
/// listing, and each patient it names).
pub async fn list(store: &Store, caller: &Caller, today: Date) -> Result<Vec<Row>> {
    let log = NewEntry::new(&caller.actor, Action::Listed, "waiting_list");
    Ok(ordered(store.waiting_list(&log).await?, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use trappa_pathway::clock::ClockStatus;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn complement_pauses_run_from_request_to_answer() {
        let t = ReferralTimeline {
            received_at: at("2026-01-01T10:00:00Z"),
            complement_asked: vec![at("2026-01-05T10:00:00Z")],
            complement_answered: vec![at("2026-01-15T10:00:00Z")],
        };
        let c = clock_for(&t, None, None, jiff::civil::date(2026, 4, 2));
        assert_eq!(c.days, 81);
        let open = ReferralTimeline {
            complement_answered: vec![],
            ..t
        };
        assert_eq!(
            clock_for(&open, None, None, jiff::civil::date(2026, 4, 2)).status,
            ClockStatus::Paused
        );
    }

    #[test]
    fn high_priority_first_then_the_earliest_deadline() {
        let entry = |name: &str, received: &str, decision: &str| WaitingEntry {
            patient_id: trappa_store::Uuid::nil(),
            name: name.into(),
            home_unit: None,
            timeline: ReferralTimeline {
                received_at: at(received),
                complement_asked: vec![],
                complement_answered: vec![],
            },
            decision: Some(decision.into()),
            booked: None,
        };
        let normal = r#"{"kind":"accept","priority":"normal"}"#;
        let high = r#"{"kind":"accept","priority":"high"}"#;
        let rows = ordered(
            vec![
                entry("late", "2026-03-01T10:00:00Z", normal),
                entry("early", "2026-01-01T10:00:00Z", normal),
                entry("urgent", "2026-03-10T10:00:00Z", high),
            ],
            jiff::civil::date(2026, 3, 15),
        );
        let names: Vec<&str> = rows.iter().map(|r| r.entry.name.as_str()).collect();
        assert_eq!(names, ["urgent", "early", "late"]);
    }
}
