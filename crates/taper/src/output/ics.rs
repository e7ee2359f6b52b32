//! The plan as an iCalendar file (RFC 5545): one all-day event on the day of every dose
//! change, with the new doses in words, so the patient's own calendar reminds them.

use icalendar::{Calendar, Component, Event, Property};
use jiff::Timestamp;
use trappa_i18n::{Locale, fill};

use super::{amount_text, day_lines};
use crate::plan::{Change, Plan};
use crate::text::T;

/// Renders the calendar. `uid_prefix` makes the event ids unique per plan version
/// (e.g. the plan's id and version); `stamp` is when the file is made.
pub fn ics(plan: &Plan, locale: Locale, uid_prefix: &str, stamp: Timestamp) -> String {
    let stamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut cal = Calendar::new();
    cal.name(T::ICS_NAME.get(locale));
    for step in &plan.steps {
        let mut summary = Vec::new();
        let mut lines = Vec::new();
        for (i, ds) in step.drugs.iter().enumerate() {
            let drug = &plan.drugs[i];
            if ds.change == Change::Same {
                continue;
            }
            if ds.per_day.is_zero() {
                summary.push(fill(T::ICS_STOP.get(locale), &[("drug", &drug.name)]));
                continue;
            }
            summary.push(format!(
                "{} {} {}",
                drug.name,
                amount_text(ds.per_day, locale),
                drug.unit
            ));
            lines.extend(day_lines(drug, &ds.doses, locale));
        }
        if summary.is_empty() {
            continue;
        }
        let date = step.start.strftime("%Y%m%d").to_string();
        let mut event = Event::new();
        event
            .uid(&format!("{uid_prefix}-step-{}@trappa", step.number))
            .add_property("DTSTAMP", &stamp)
            .append_property(
                Property::new("DTSTART", &date)
                    .add_parameter("VALUE", "DATE")
                    .done(),
            )
            .summary(&fill(
                T::ICS_SUMMARY.get(locale),
                &[("drugs", &summary.join(", "))],
            ))
            .description(&lines.join("\n"));
        cal.push(event.done());
    }
    cal.done().to_string()
}
