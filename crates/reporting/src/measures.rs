//! The unit's measures for a period, from one record of facts per patient (the web layer
//! reads them from the path; the clock's days come from `trappa_pathway::clock`).
//!
//! Definitions, for the period `[from, to]`:
//! - *received*: referrals that arrived in the period; *accepted*, *declined*,
//!   *redirected*: their decisions made in the period;
//! - *waiting time*: vårdgaranti clock days to the first visit, for first visits held in
//!   the period (median and 90th percentile, nearest rank); *within the guarantee*: the
//!   share of those at 90 days or fewer;
//! - *active*: a plan started on or before `to` and no outcome before `from`;
//!   *started*: plans whose first step is in the period;
//! - *drug-free*, *reduced* (with the median % reduction in DE/MME), *dropped out*:
//!   outcomes recorded in the period; *aftercare completed*: six-month follow-ups held in
//!   the period;
//! - *relapse at 6 / 12 months*: among patients whose 6- or 12-month outcome was recorded
//!   in the period, the share relapsed; *completeness*: among patients whose 6 or 12
//!   months after the last dose fell in the period, the share with that outcome recorded;
//! - *visits in person / digital*: visits held in the period, at a vårdcentral or the
//!   base, or by video or phone.
//!
//! Each patient is counted under one key of every split ([`Split`]): the vårdcentral and
//! municipality they belong to, the substance group of their main drug, sex and age band.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::stats::{median, percentile};

/// How a referral was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Accepted onto the waiting list.
    Accepted,
    /// Declined.
    Declined,
    /// Redirected elsewhere.
    Redirected,
}

/// How a patient left the taper.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Off the drug.
    DrugFree,
    /// Reduced, by this % of the starting DE/MME.
    Reduced(f64),
    /// Stopped coming.
    DroppedOut,
}

/// The substance group of a patient's main drug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Benzodiazepines and Z-drugs.
    Benzodiazepines,
    /// Opioids.
    Opioids,
    /// Gabapentinoids.
    Gabapentinoids,
}

/// Sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// The age bands the board's tables use.
pub const AGE_BANDS: [(u32, &str); 5] = [
    (18, "18-34"),
    (35, "35-49"),
    (50, "50-64"),
    (65, "65-79"),
    (80, "80+"),
];

/// The age band of someone born on `birth`, on `on` (under 18: "0-17").
pub fn age_band(birth: Date, on: Date) -> &'static str {
    let years = birth
        .until((jiff::Unit::Year, on))
        .map(|s| s.get_years())
        .unwrap_or(0)
        .max(0) as u32;
    AGE_BANDS
        .iter()
        .rev()
        .find(|(from, _)| years >= *from)
        .map_or("0-17", |(_, band)| band)
}

/// Where a patient is counted in each split.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Split {
    /// The code of their vårdcentral.
    pub vardcentral: Option<String>,
    /// Their municipality's kommunkod.
    pub municipality: Option<String>,
    /// The main drug's group.
    pub group: Option<Group>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Age band at referral ([`age_band`]).
    pub age_band: Option<&'static str>,
}

/// A visit held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visit {
    /// The day.
    pub on: Date,
    /// By video or phone.
    pub digital: bool,
}

/// One patient's facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// Where the patient is counted.
    pub split: Split,
    /// Why a referral was declined (the rule's reason code) or where it was redirected.
    pub reason: Option<String>,
    /// Visits held.
    pub visits: Vec<Visit>,
    /// When the referral arrived.
    pub referred: Option<Date>,
    /// When and how it was decided.
    pub decided: Option<(Date, Decision)>,
    /// When the first visit was held, and the clock's days then.
    pub first_visit: Option<(Date, i64)>,
    /// The plan's first step.
    pub plan_start: Option<Date>,
    /// The last dose (aftercare starts).
    pub last_dose: Option<Date>,
    /// When and how the taper ended.
    pub outcome: Option<(Date, Outcome)>,
    /// When the six-month follow-up was held.
    pub six_month_follow_up: Option<Date>,
    /// The 6-month outcome: when recorded, and whether relapsed.
    pub outcome_6: Option<(Date, bool)>,
    /// The 12-month outcome: when recorded, and whether relapsed.
    pub outcome_12: Option<(Date, bool)>,
}

/// The measures of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measures {
    /// Referrals received.
    pub received: u64,
    /// Accepted.
    pub accepted: u64,
    /// Declined.
    pub declined: u64,
    /// Redirected.
    pub redirected: u64,
    /// First visits held.
    pub first_visits: u64,
    /// Median clock days to the first visit.
    pub waiting_median: Option<i64>,
    /// 90th percentile.
    pub waiting_p90: Option<i64>,
    /// Share of first visits within 90 days.
    pub within_guarantee: Option<f64>,
    /// Patients with an active plan.
    pub active: u64,
    /// Plans started.
    pub started: u64,
    /// Drug-free.
    pub drug_free: u64,
    /// Reduced.
    pub reduced: u64,
    /// Median % reduction of the reduced.
    pub reduced_median_percent: Option<f64>,
    /// Dropped out.
    pub dropped_out: u64,
    /// Six-month follow-ups held.
    pub aftercare_completed: u64,
    /// Share relapsed at 6 months (of the outcomes recorded).
    pub relapse_6: Option<f64>,
    /// Share relapsed at 12 months.
    pub relapse_12: Option<f64>,
    /// Share of the 6-month outcomes due that were recorded.
    pub completeness_6: Option<f64>,
    /// Share of the 12-month outcomes due that were recorded.
    pub completeness_12: Option<f64>,
    /// 6-month outcomes recorded (relapse's denominator).
    pub recorded_6: u64,
    /// 12-month outcomes recorded.
    pub recorded_12: u64,
    /// 6-month outcomes due (completeness's denominator).
    pub due_6: u64,
    /// 12-month outcomes due.
    pub due_12: u64,
    /// Visits held in person (at a vårdcentral or the base).
    pub visits_in_person: u64,
    /// Visits held by video or phone.
    pub visits_digital: u64,
    /// Declined referrals by reason.
    pub declined_reasons: BTreeMap<String, u64>,
    /// Redirected referrals by where they went.
    pub redirected_to: BTreeMap<String, u64>,
}

fn share(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

/// The measures of `[from, to]`.
pub fn measures(facts: &[Facts], from: Date, to: Date) -> Measures {
    let within = |d: &Date| from <= *d && *d <= to;
    let mut m = Measures::default();
    let mut waits = Vec::new();
    let mut reductions = Vec::new();
    let (mut relapsed_6, mut recorded_6, mut relapsed_12, mut recorded_12) = (0, 0, 0, 0);
    let (mut due_6, mut done_6, mut due_12, mut done_12) = (0, 0, 0, 0);
    for f in facts {
        m.received += u64::from(f.referred.as_ref().is_some_and(within));
        if let Some((d, decision)) = f.decided
            && within(&d)
        {
            let reason = || f.reason.clone().unwrap_or_default();
            match decision {
                Decision::Accepted => m.accepted += 1,
                Decision::Declined => {
                    m.declined += 1;
                    *m.declined_reasons.entry(reason()).or_default() += 1;
                }
                Decision::Redirected => {
                    m.redirected += 1;
                    *m.redirected_to.entry(reason()).or_default() += 1;
                }
            }
        }
        for v in f.visits.iter().filter(|v| within(&v.on)) {
            if v.digital {
                m.visits_digital += 1;
            } else {
                m.visits_in_person += 1;
            }
        }
        if let Some((d, days)) = f.first_visit
            && within(&d)
        {
            waits.push(days);
        }
        if let Some(start) = f.plan_start {
            let ended_before = f.outcome.is_some_and(|(d, _)| d < from);
            m.active += u64::from(start <= to && !ended_before);
            m.started += u64::from(within(&start));
        }
        if let Some((d, outcome)) = f.outcome
            && within(&d)
        {
            match outcome {
                Outcome::DrugFree => m.drug_free += 1,
                Outcome::Reduced(p) => {
                    m.reduced += 1;
                    reductions.push((p * 10.0).round() as i64);
                }
                Outcome::DroppedOut => m.dropped_out += 1,
            }
        }
        m.aftercare_completed += u64::from(f.six_month_follow_up.as_ref().is_some_and(within));
        if let Some((d, relapsed)) = f.outcome_6
            && within(&d)
        {
            recorded_6 += 1;
            relapsed_6 += usize::from(relapsed);
        }
        if let Some((d, relapsed)) = f.outcome_12
            && within(&d)
        {
            recorded_12 += 1;
            relapsed_12 += usize::from(relapsed);
        }
        if let Some(last) = f.last_dose {
            if last.checked_add(6.months()).is_ok_and(|d| within(&d)) {
                due_6 += 1;
                done_6 += usize::from(f.outcome_6.is_some());
            }
            if last.checked_add(12.months()).is_ok_and(|d| within(&d)) {
                due_12 += 1;
                done_12 += usize::from(f.outcome_12.is_some());
            }
        }
    }
    m.first_visits = waits.len() as u64;
    m.waiting_median = median(&waits);
    m.waiting_p90 = percentile(&waits, 90.0);
    m.within_guarantee = share(waits.iter().filter(|d| **d <= 90).count(), waits.len());
    m.reduced_median_percent = median(&reductions).map(|t| t as f64 / 10.0);
    m.relapse_6 = share(relapsed_6, recorded_6);
    m.relapse_12 = share(relapsed_12, recorded_12);
    m.completeness_6 = share(done_6, due_6);
    m.completeness_12 = share(done_12, due_12);
    (m.recorded_6, m.recorded_12) = (recorded_6 as u64, recorded_12 as u64);
    (m.due_6, m.due_12) = (due_6 as u64, due_12 as u64);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// Five patients, the year 2026, worked by hand.
    #[test]
    fn a_year_by_hand() {
        let f = vec![
            // A: referred in 2025, accepted in 2026, seen at clock day 40, plan from
            // March, drug-free in September.
            Facts {
                referred: Some(date(2025, 12, 20)),
                decided: Some((date(2026, 1, 5), Decision::Accepted)),
                first_visit: Some((date(2026, 2, 1), 40)),
                plan_start: Some(date(2026, 3, 1)),
                last_dose: Some(date(2026, 9, 1)),
                outcome: Some((date(2026, 9, 1), Outcome::DrugFree)),
                // One visit in 2025 (not counted), two in person and one by video.
                visits: [
                    (2025, 12, 30, false),
                    (2026, 2, 1, false),
                    (2026, 3, 1, false),
                    (2026, 4, 1, true),
                ]
                .map(|(y, m, d, digital)| Visit {
                    on: date(y, m, d),
                    digital,
                })
                .to_vec(),
                ..Facts::default()
            },
            // B: referred and declined in 2026.
            Facts {
                referred: Some(date(2026, 4, 1)),
                decided: Some((date(2026, 4, 10), Decision::Declined)),
                reason: Some("no_drug_in_scope".into()),
                ..Facts::default()
            },
            // C: seen at day 95 (a breach), reduced by 50 %.
            Facts {
                referred: Some(date(2026, 1, 2)),
                decided: Some((date(2026, 1, 9), Decision::Accepted)),
                first_visit: Some((date(2026, 4, 7), 95)),
                plan_start: Some(date(2026, 4, 20)),
                outcome: Some((date(2026, 11, 30), Outcome::Reduced(50.0))),
                ..Facts::default()
            },
            // D: a plan from 2025 that ended in 2025: not active in 2026.
            Facts {
                plan_start: Some(date(2025, 1, 1)),
                outcome: Some((date(2025, 12, 1), Outcome::DroppedOut)),
                ..Facts::default()
            },
            // E: last dose 2025-03-01: the 6-month outcome was due in 2025, the 12-month
            // one on 2026-03-01 and recorded, relapsed; the six-month follow-up in 2025.
            Facts {
                plan_start: Some(date(2024, 6, 1)),
                last_dose: Some(date(2025, 3, 1)),
                outcome: Some((date(2025, 3, 1), Outcome::DrugFree)),
                six_month_follow_up: Some(date(2025, 9, 3)),
                outcome_6: Some((date(2025, 9, 3), false)),
                outcome_12: Some((date(2026, 3, 4), true)),
                ..Facts::default()
            },
        ];
        let m = measures(&f, date(2026, 1, 1), date(2026, 12, 31));
        assert_eq!(
            (m.received, m.accepted, m.declined, m.redirected),
            (2, 2, 1, 0)
        );
        assert_eq!(
            m.declined_reasons,
            BTreeMap::from([("no_drug_in_scope".to_owned(), 1)])
        );
        assert!(m.redirected_to.is_empty());
        assert_eq!((m.visits_in_person, m.visits_digital), (2, 1));
        assert_eq!(m.first_visits, 2);
        assert_eq!((m.waiting_median, m.waiting_p90), (Some(40), Some(95)));
        assert_eq!(m.within_guarantee, Some(0.5));
        // A and C are active (D ended before the year; E ended in 2025 too).
        assert_eq!((m.active, m.started), (2, 2));
        assert_eq!((m.drug_free, m.reduced, m.dropped_out), (1, 1, 0));
        assert_eq!(m.reduced_median_percent, Some(50.0));
        assert_eq!(m.aftercare_completed, 0);
        assert_eq!((m.relapse_6, m.relapse_12), (None, Some(1.0)));
        // A's 6-month outcome is due 2027-03: not yet; E's 12-month due in 2026 and done.
        assert_eq!((m.completeness_6, m.completeness_12), (None, Some(1.0)));
        assert_eq!((m.due_6, m.due_12, m.recorded_12), (0, 1, 1));
    }

    /// Age bands at their edges.
    #[test]
    fn age_bands() {
        let on = date(2026, 6, 15);
        for (birth, band) in [
            (date(2008, 6, 16), "0-17"),
            (date(2008, 6, 15), "18-34"),
            (date(1991, 6, 16), "18-34"),
            (date(1991, 6, 15), "35-49"),
            (date(1961, 6, 15), "65-79"),
            (date(1946, 6, 15), "80+"),
        ] {
            assert_eq!(age_band(birth, on), band, "{birth}");
        }
    }
}
