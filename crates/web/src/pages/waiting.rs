//! The waiting list: accepted patients by priority and date, each with the vårdgaranti
//! clock (90 days to the first visit, warnings at 60 and 80, breaches counted), and the
//! way to book the first assessment. The listing and every patient it names are logged.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use maud::html;
use trappa_i18n::fill;
use trappa_pathway::clock::{Clock, ClockFacts, ClockStatus, Pause, clock};
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::referrals::{ReferralTimeline, WaitingEntry};
use trappa_triage::{Decision, Priority};

use crate::AppState;
use crate::access::{Can, ManageCareTeam};
use crate::i18n::M;
use crate::pages::layout::page;
use crate::pages::visits::clock_tag;
use trappa_app::clock::{format_date, format_time, local_date, today};

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

/// `GET /vantelista`
pub async fn list(
    State(state): State<AppState>,
    Can { ctx, .. }: Can<ManageCareTeam>,
) -> Result<Response, crate::error::AppError> {
    let actor = ctx.actor();
    let log = NewEntry::new(&actor, Action::Listed, "waiting_list");
    let rows = ordered(state.store().waiting_list(&log).await?, today());
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count().to_string();
    let body = html! {
        h1 { (ctx.t(&M::WAITING_TITLE)) }
        p.lead { (ctx.t(&M::WAITING_LEAD)) }
        ul.summary {
            li { (fill(ctx.t(&M::WAITING_COUNT), &[("n", &rows.len().to_string())])) }
            li { (fill(ctx.t(&M::WAITING_WARN), &[("n", &count(&|r| matches!(r.clock.status, ClockStatus::Warning60 | ClockStatus::Warning80)))])) }
            li { (fill(ctx.t(&M::WAITING_BREACHED), &[("n", &count(&|r| r.clock.status.is_breach()))])) }
            li { (fill(ctx.t(&M::WAITING_BOOKED_LATE), &[("n", &count(&|r| r.clock.booked_late))])) }
        }
        @if rows.is_empty() { p.muted { (ctx.t(&M::WAITING_NONE)) } }
        @else {
            div.table-wrap { table.waiting {
                thead { tr {
                    th scope="col" { (ctx.t(&M::WAITING_PRIORITY)) }
                    th scope="col" { (ctx.t(&M::NAME)) }
                    th scope="col" { (ctx.t(&M::HOME_UNIT)) }
                    th scope="col" { (ctx.t(&M::REFERRAL_RECEIVED)) }
                    th scope="col" { (ctx.t(&M::CLOCK_TITLE)) }
                    th scope="col" { (ctx.t(&M::CLOCK_DEADLINE)) }
                    th scope="col" { (ctx.t(&M::WAITING_FIRST_VISIT)) }
                } }
                tbody { @for r in &rows { tr {
                    td { @if r.priority == Priority::High { strong { (ctx.t(&M::WAITING_HIGH)) } } @else { (ctx.t(&M::WAITING_NORMAL)) } }
                    td { a href={ "/patienter/" (r.entry.patient_id) } { (r.entry.name) } }
                    td { (r.entry.home_unit.as_deref().unwrap_or("–")) }
                    td { (format_date(r.entry.timeline.received_at)) }
                    td { (clock_tag(&ctx, &r.clock)) }
                    td { @if let Some(d) = r.clock.deadline { (d.to_string()) } @else { "–" } }
                    td {
                        @match r.entry.booked {
                            Some(t) => { (format_time(t)) @if r.clock.booked_late { " " span.tag.tag-alert { (ctx.t(&M::WAITING_LATE)) } } }
                            None => a href={ "/patienter/" (r.entry.patient_id) "/besok?typ=assessment#boka" } { (ctx.t(&M::WAITING_BOOK)) },
                        }
                    }
                } } }
            } }
        }
    };
    Ok(page(&ctx, ctx.t(&M::WAITING_TITLE), body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

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
