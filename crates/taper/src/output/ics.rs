//! The plan as an iCalendar file (RFC 5545): one all-day event on the day of every dose
//! change in the plan's [`crate::schedule::Schedule`], with the new doses in words, so
//! the patient's own calendar reminds them. Event ids are unique per plan and step: they
//! hold a digest of the plan's request and steps, so a second plan never overwrites the
//! first in a calendar.

use icalendar::{Calendar, Component, Event, Property};
use jiff::Timestamp;
use trappa_i18n::{Locale, fill};

use super::{amount_text, day_lines};
use sha2::{Digest, Sha256};

use crate::plan::Plan;
use crate::text::T;

/// A short digest of what the plan prescribes (its request and its steps).
pub fn plan_digest(plan: &Plan) -> String {
    let mut hash = Sha256::new();
    hash.update(serde_json::to_vec(&plan.request).unwrap_or_default());
    hash.update(serde_json::to_vec(&plan.steps).unwrap_or_default());
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Renders the calendar. `uid_prefix` names where the plan comes from (e.g. the
/// patient's plan id); `stamp` is when the file is made.
pub fn ics(plan: &Plan, locale: Locale, uid_prefix: &str, stamp: Timestamp) -> String {
    let mut cal = Calendar::new();
    cal.name(T::ICS_NAME.get(locale));
    for event in events(plan, locale, uid_prefix, stamp) {
        cal.push(event);
    }
    cal.done().to_string()
}

/// The plan's events, one all-day event per dose change, for a calendar that holds
/// more than the plan (the patient's subscription adds their visits).
pub fn events(plan: &Plan, locale: Locale, uid_prefix: &str, stamp: Timestamp) -> Vec<Event> {
    let stamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let digest = plan_digest(plan);
    let mut out = Vec::new();
    let schedule = plan.schedule();
    // What the patient took the day before; a plan may start with a change on its first day.
    let mut before = plan.baseline.as_slice();
    for period in schedule.periods() {
        let previous = std::mem::replace(&mut before, period.drugs);
        let Some(step) = period.step else { continue };
        let mut changed = Vec::new();
        let mut stopped = Vec::new();
        for (i, ds) in period.drugs.iter().enumerate() {
            let drug = &plan.drugs[i];
            if ds.doses == previous[i].doses {
                continue;
            }
            if ds.per_day.is_zero() {
                stopped.push(fill(T::ICS_STOP.get(locale), &[("drug", &drug.name)]));
            } else {
                changed.push(format!(
                    "{} {} {}",
                    drug.name,
                    amount_text(ds.per_day, locale),
                    drug.unit
                ));
            }
        }
        if changed.is_empty() && stopped.is_empty() {
            continue;
        }
        let mut summary = Vec::new();
        if step.phase != crate::plan::Phase::Taper {
            summary.push(super::phase_name(plan, Some(step.phase), locale));
        }
        if !changed.is_empty() {
            summary.push(fill(
                T::ICS_SUMMARY.get(locale),
                &[("drugs", &changed.join(", "))],
            ));
        }
        summary.extend(stopped.iter().cloned());
        // The description holds the whole day from this date: every drug still taken.
        let mut lines: Vec<String> = plan
            .drugs
            .iter()
            .zip(period.drugs)
            .flat_map(|(drug, ds)| day_lines(drug, &ds.doses, locale))
            .collect();
        lines.extend(stopped);
        let date = period.from.strftime("%Y%m%d").to_string();
        let mut event = Event::new();
        event
            .uid(&format!(
                "{uid_prefix}-{digest}-step-{}@trappa",
                step.number
            ))
            .add_property("DTSTAMP", &stamp)
            .append_property(
                Property::new("DTSTART", &date)
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .summary(&summary.join(". "))
            .description(&lines.join("\n"));
        out.push(event.done());
    }
    out
}
