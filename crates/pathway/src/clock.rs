//! The vårdgaranti clock: 90 days from the referral's arrival to the first visit in
//! specialised care (HSL 9 kap 1 §; ../shared/reference/clinical/swedish-context.md §2,
//! status V; that the unit counts as specialised care is U). Days while the unit waits
//! for a complement from the referrer do not count (the rule; the unit may
//! change it). Warnings at 60 and 80 days; past 90 the guarantee is breached.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// Days to the first visit.
pub const GUARANTEE_DAYS: i32 = 90;
/// Counted days from which the list warns.
pub const FIRST_WARNING_DAYS: i32 = 60;
/// Counted days from which the list warns urgently.
pub const SECOND_WARNING_DAYS: i32 = 80;

/// A stretch during which the clock stands still: from the day a complement was asked
/// for until the day it arrived (open while it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pause {
    /// First day not counted.
    pub from: Date,
    /// The day counting resumes; `None` while the complement is awaited.
    pub until: Option<Date>,
}

/// What the clock needs to know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockFacts {
    /// The day the referral arrived.
    pub received: Option<Date>,
    /// Complement pauses.
    pub pauses: Vec<Pause>,
    /// The day of the first visit, once it took place.
    pub first_visit: Option<Date>,
    /// The day the first visit is booked for, if booked and not yet held.
    pub booked: Option<Date>,
}

/// The clock's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Under 60 days.
    Running,
    /// 60 days or more.
    Warning60,
    /// 80 days or more.
    Warning80,
    /// Past 90 days without a first visit.
    Breached,
    /// Standing still while a complement is awaited.
    Paused,
    /// The first visit took place within 90 days.
    Met,
    /// The first visit took place after 90 days: a breach, counted.
    MetLate,
}

impl ClockStatus {
    /// Whether this counts as a breach of the guarantee.
    pub fn is_breach(self) -> bool {
        matches!(self, ClockStatus::Breached | ClockStatus::MetLate)
    }
}

/// The clock read on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// Days counted so far (to the first visit once held).
    pub days: i32,
    /// State.
    pub status: ClockStatus,
    /// The last day the first visit may take place, if the clock is running.
    pub deadline: Option<Date>,
    /// A booking exists and falls after the deadline.
    pub booked_late: bool,
    /// The day the first visit is booked for, while it is still to be held: a booked
    /// patient needs no "book now".
    pub booked: Option<Date>,
}

/// Calendar days in `[from, to)`, 0 if `to` is not after `from`.
fn days_between(from: Date, to: Date) -> i32 {
    if to <= from {
        return 0;
    }
    // Dates are within civil range; the span in days always fits.
    from.until(to).map(|s| s.get_days()).unwrap_or(0)
}

/// Days in `[start, end)` covered by at least one pause (overlaps counted once).
fn paused_days(pauses: &[Pause], start: Date, end: Date) -> i32 {
    let mut stretches: Vec<(Date, Date)> = pauses
        .iter()
        .map(|p| {
            let from = p.from.max(start);
            let until = p.until.unwrap_or(end).min(end);
            (from, until)
        })
        .filter(|(from, until)| from < until)
        .collect();
    stretches.sort();
    let mut total = 0;
    let mut covered_to = start;
    for (from, until) in stretches {
        let from = from.max(covered_to);
        if until > from {
            total += days_between(from, until);
            covered_to = until;
        }
    }
    total
}

/// Reads the clock on `today`. Without a received date the clock has not started.
pub fn clock(f: &ClockFacts, today: Date) -> Clock {
    let Some(received) = f.received else {
        return Clock {
            days: 0,
            status: ClockStatus::Running,
            deadline: None,
            booked_late: false,
            booked: None,
        };
    };
    let end = f.first_visit.unwrap_or(today).max(received);
    let paused = paused_days(&f.pauses, received, end);
    let days = days_between(received, end) - paused;
    let paused_now = f.first_visit.is_none()
        && f.pauses
            .iter()
            .any(|p| p.from <= today && p.until.is_none_or(|u| u > today));
    let status = if f.first_visit.is_some() {
        if days <= GUARANTEE_DAYS {
            ClockStatus::Met
        } else {
            ClockStatus::MetLate
        }
    } else if paused_now {
        ClockStatus::Paused
    } else if days > GUARANTEE_DAYS {
        ClockStatus::Breached
    } else if days >= SECOND_WARNING_DAYS {
        ClockStatus::Warning80
    } else if days >= FIRST_WARNING_DAYS {
        ClockStatus::Warning60
    } else {
        ClockStatus::Running
    };
    let deadline = (f.first_visit.is_none() && !paused_now)
        .then(|| received.checked_add((GUARANTEE_DAYS + paused).days()).ok())
        .flatten();
    let booked_late = matches!((f.booked, deadline), (Some(b), Some(d)) if b > d);
    Clock {
        days,
        status,
        deadline,
        booked_late,
        // A booking in the past that was never marked held or missed answers nothing.
        // A booked day that has passed without a held visit answers nothing.
        booked: f.booked.filter(|b| *b >= today && f.first_visit.is_none()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn check(f: ClockFacts, today: Date, days: i32, status: ClockStatus) {
        let c = clock(&f, today);
        assert_eq!((c.days, c.status), (days, status), "{f:?} on {today}");
    }

    #[test]
    fn table() {
        let received = Some(date(2026, 1, 1));
        let base = ClockFacts {
            received,
            ..Default::default()
        };
        check(base.clone(), date(2026, 1, 1), 0, ClockStatus::Running);
        check(base.clone(), date(2026, 3, 1), 59, ClockStatus::Running);
        check(base.clone(), date(2026, 3, 2), 60, ClockStatus::Warning60);
        check(base.clone(), date(2026, 3, 22), 80, ClockStatus::Warning80);
        check(base.clone(), date(2026, 4, 1), 90, ClockStatus::Warning80);
        check(base.clone(), date(2026, 4, 2), 91, ClockStatus::Breached);
        // A 10-day complement pause moves everything by 10 days.
        let paused = ClockFacts {
            pauses: vec![Pause {
                from: date(2026, 1, 5),
                until: Some(date(2026, 1, 15)),
            }],
            ..base.clone()
        };
        check(paused.clone(), date(2026, 4, 2), 81, ClockStatus::Warning80);
        assert_eq!(
            clock(&paused, date(2026, 2, 1)).deadline,
            Some(date(2026, 4, 11))
        );
        // While the complement is awaited the clock stands still.
        let open = ClockFacts {
            pauses: vec![Pause {
                from: date(2026, 1, 5),
                until: None,
            }],
            ..base.clone()
        };
        check(open.clone(), date(2026, 6, 1), 4, ClockStatus::Paused);
        assert_eq!(clock(&open, date(2026, 6, 1)).deadline, None);
        // Held within 90 days, and after.
        let met = ClockFacts {
            first_visit: Some(date(2026, 3, 20)),
            ..base.clone()
        };
        check(met, date(2026, 12, 1), 78, ClockStatus::Met);
        let late = ClockFacts {
            first_visit: Some(date(2026, 4, 20)),
            ..base.clone()
        };
        check(late, date(2026, 12, 1), 109, ClockStatus::MetLate);
        // A booking after the deadline is flagged before the breach happens.
        let booked = ClockFacts {
            booked: Some(date(2026, 4, 10)),
            ..base.clone()
        };
        assert!(clock(&booked, date(2026, 2, 1)).booked_late);
        assert_eq!(
            clock(&booked, date(2026, 2, 1)).booked,
            Some(date(2026, 4, 10)),
            "a booked first visit is part of the reading, to show instead of 'book now'"
        );
        let held = ClockFacts {
            first_visit: Some(date(2026, 3, 1)),
            ..booked.clone()
        };
        assert_eq!(
            clock(&held, date(2026, 3, 2)).booked,
            None,
            "held, not booked"
        );
        assert_eq!(
            clock(&booked, date(2026, 4, 11)).booked,
            None,
            "a booked day that has passed without a visit is no booking"
        );
        let in_time = ClockFacts {
            booked: Some(date(2026, 3, 10)),
            ..base
        };
        assert!(!clock(&in_time, date(2026, 2, 1)).booked_late);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..800).prop_map(|d| date(2025, 1, 1).checked_add(d.days()).unwrap())
    }

    fn any_facts() -> impl Strategy<Value = ClockFacts> {
        (
            any_date(),
            proptest::collection::vec((any_date(), proptest::option::of(0i32..60)), 0..4),
            proptest::option::of(any_date()),
        )
            .prop_map(|(received, pauses, first_visit)| ClockFacts {
                received: Some(received),
                pauses: pauses
                    .into_iter()
                    .map(|(from, len)| Pause {
                        from,
                        until: len.map(|l| from.checked_add(l.days()).unwrap()),
                    })
                    .collect(),
                first_visit: first_visit.filter(|v| *v >= received),
                booked: None,
            })
    }

    proptest! {
        #[test]
        fn counted_days_never_exceed_calendar_days(f in any_facts(), today in any_date()) {
            let c = clock(&f, today);
            let end = f.first_visit.unwrap_or(today);
            prop_assert!(c.days >= 0);
            prop_assert!(c.days <= days_between(f.received.unwrap(), end));
        }

        #[test]
        fn a_pause_never_adds_days(f in any_facts(), today in any_date()) {
            let without = ClockFacts { pauses: Vec::new(), ..f.clone() };
            prop_assert!(clock(&f, today).days <= clock(&without, today).days);
        }

        #[test]
        fn the_clock_never_runs_backwards(f in any_facts(), today in any_date(), later in 0i32..200) {
            let tomorrow = today.checked_add(later.days()).unwrap();
            prop_assert!(clock(&f, today).days <= clock(&f, tomorrow).days);
        }

        #[test]
        fn breach_exactly_past_ninety(f in any_facts(), today in any_date()) {
            let c = clock(&f, today);
            if c.status != ClockStatus::Paused {
                prop_assert_eq!(c.status.is_breach(), c.days > GUARANTEE_DAYS);
            }
        }
    }
}
