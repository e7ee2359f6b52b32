//! Visit demand from the patients' plans and aftercare: what the week must hold before a
//! planner places it. Each patient's facts become visits with a profession, a length,
//! the modes allowed, windows on working days and the usual clinician (continuity).
//!
//! The rules are Trappa's defaults (status U — the unit sets its own): a nurse's review in
//! the five working days before each step change; a physician's review in the first week
//! of a plan and in the week after every signed change; an aftercare follow-up from a
//! week before its date to two weeks after. Manual requests come as visits as they are.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::{Mode, Visit, Window};

/// Working hours a visit may fall in, minutes after midnight (08:00–16:30).
pub const WORKING_HOURS: Window = Window { from: 480, to: 990 };
/// Working days before a step change in which the nurse's review falls.
pub const REVIEW_DAYS_BEFORE_STEP: i64 = 5;
/// Minutes of a nurse's review.
pub const NURSE_REVIEW_MINUTES: u32 = 30;
/// Minutes of a physician's review.
pub const PHYSICIAN_REVIEW_MINUTES: u32 = 45;
/// Minutes of an aftercare follow-up.
pub const FOLLOW_UP_MINUTES: u32 = 30;

/// What the demand of one patient is made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatientFacts {
    /// The patient.
    pub patient: String,
    /// Their vårdcentral (a site id).
    pub site: String,
    /// Their nurse (*fast vårdkontakt*), for continuity.
    pub nurse: Option<String>,
    /// Their prescriber.
    pub physician: Option<String>,
    /// Days a new dose starts under the plan in effect.
    pub step_changes: Vec<Date>,
    /// The plan's first day, if it starts in or near the horizon.
    pub plan_start: Option<Date>,
    /// Days a changed plan was signed.
    pub signed_changes: Vec<Date>,
    /// Aftercare follow-ups not yet held, by their date.
    pub follow_ups: Vec<Date>,
    /// Whether the patient accepts video (else phone or in person).
    pub video: bool,
}

/// The working days (Monday–Friday) in `[from, to]`.
fn working_days(from: Date, to: Date) -> impl Iterator<Item = Date> {
    from.series(1.day())
        .take_while(move |d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
}

/// `n` working days before `day` (not counting `day`).
fn working_days_before(day: Date, n: i64) -> Date {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.checked_sub(1.day()).unwrap_or(Date::MIN);
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    d
}

/// The windows of `[from, to]` within the horizon, one per working day.
fn windows(from: Date, to: Date, horizon: (Date, Date)) -> Vec<(Date, Window)> {
    let (start, end) = (from.max(horizon.0), to.min(horizon.1));
    working_days(start, end)
        .map(|d| (d, WORKING_HOURS))
        .collect()
}

/// The visits one patient needs in the horizon `[first, last]` (inclusive); ids are
/// stable (`{patient}:{kind}:{date}`) so a re-plan recognises the same demand.
pub fn visits(p: &PatientFacts, horizon: (Date, Date)) -> Vec<Visit> {
    let remote = if p.video { Mode::Video } else { Mode::Phone };
    let mut out = Vec::new();
    let mut push = |kind: &str,
                    anchor: Date,
                    profession: &str,
                    minutes: u32,
                    modes: Vec<Mode>,
                    from: Date,
                    to: Date,
                    usual: &Option<String>| {
        let w = windows(from, to, horizon);
        if w.is_empty() {
            return;
        }
        out.push(Visit {
            id: format!("{}:{kind}:{anchor}", p.patient),
            patient: p.patient.clone(),
            profession: profession.into(),
            minutes,
            site: p.site.clone(),
            modes,
            windows: w,
            preferred: usual.clone(),
        });
    };
    for step in &p.step_changes {
        push(
            "nurse_review",
            *step,
            "nurse",
            NURSE_REVIEW_MINUTES,
            vec![Mode::OwnVardcentral, remote, Mode::Phone],
            working_days_before(*step, REVIEW_DAYS_BEFORE_STEP),
            step.checked_sub(1.day()).unwrap_or(*step),
            &p.nurse,
        );
    }
    for start in p.plan_start.iter().chain(&p.signed_changes) {
        push(
            "medical_review",
            *start,
            "physician",
            PHYSICIAN_REVIEW_MINUTES,
            vec![Mode::OwnVardcentral, Mode::Base, remote],
            *start,
            start.checked_add(6.days()).unwrap_or(*start),
            &p.physician,
        );
    }
    for due in &p.follow_ups {
        push(
            "follow_up",
            *due,
            "nurse",
            FOLLOW_UP_MINUTES,
            vec![Mode::OwnVardcentral, remote, Mode::Phone],
            due.checked_sub(7.days()).unwrap_or(*due),
            due.checked_add(14.days()).unwrap_or(*due),
            &p.nurse,
        );
    }
    for v in &mut out {
        v.modes.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn facts() -> PatientFacts {
        PatientFacts {
            patient: "p1".into(),
            site: "vc1".into(),
            nurse: Some("ssk".into()),
            physician: Some("lak".into()),
            video: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_step_change_asks_for_a_nurse_review_in_the_week_before() {
        // Step on Thursday 10 December 2026; the week is 7–11 December.
        let week = (date(2026, 12, 7), date(2026, 12, 11));
        let p = PatientFacts {
            step_changes: vec![date(2026, 12, 10)],
            ..facts()
        };
        let v = visits(&p, week);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].id, "p1:nurse_review:2026-12-10");
        let days: Vec<Date> = v[0].windows.iter().map(|(d, _)| *d).collect();
        assert_eq!(
            days,
            vec![date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
        );
        assert_eq!(v[0].preferred.as_deref(), Some("ssk"));
        assert!(v[0].modes.contains(&Mode::Video) && !v[0].modes.contains(&Mode::Base));
    }

    #[test]
    fn plan_start_changes_and_follow_ups() {
        let week = (date(2026, 12, 7), date(2026, 12, 11));
        let p = PatientFacts {
            plan_start: Some(date(2026, 12, 9)),
            signed_changes: vec![date(2026, 11, 20)],
            follow_ups: vec![date(2026, 12, 14), date(2027, 3, 1)],
            video: false,
            ..facts()
        };
        let v = visits(&p, week);
        let ids: Vec<&str> = v.iter().map(|v| v.id.as_str()).collect();
        // The signed change's week is over; the March follow-up is far off.
        assert_eq!(
            ids,
            vec!["p1:medical_review:2026-12-09", "p1:follow_up:2026-12-14"]
        );
        assert_eq!(v[0].profession, "physician");
        assert!(v[1].modes.contains(&Mode::Phone) && !v[1].modes.contains(&Mode::Video));
        // The follow-up may fall from a week before its date: 7–11 December.
        assert_eq!(v[1].windows.len(), 5);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i64..120).prop_map(|d| date(2026, 11, 1).checked_add(d.days()).unwrap())
    }

    proptest! {
        #[test]
        fn windows_are_working_days_inside_the_horizon(
            steps in proptest::collection::vec(any_date(), 0..6),
            follow_ups in proptest::collection::vec(any_date(), 0..3),
            start in any_date(),
            len in 0i64..14,
        ) {
            let horizon = (start, start.checked_add(len.days()).unwrap());
            let p = PatientFacts { step_changes: steps, follow_ups, plan_start: Some(start), ..facts() };
            for v in visits(&p, horizon) {
                prop_assert!(!v.windows.is_empty());
                for (d, w) in &v.windows {
                    prop_assert!(*d >= horizon.0 && *d <= horizon.1);
                    prop_assert!(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday));
                    prop_assert!(w.from + v.minutes <= w.to);
                }
            }
        }
    }
}
