//! Aftercare and discharge. The last dose starts aftercare: follow-ups at 1, 3 and 6
//! months by default (BRIEF: "aftercare for at least six months"), configurable per
//! patient, never ending before six months. Outcome questionnaires at 6 and 12 months
//! after the last dose. Discharge with an outcome; a drug-free or reduced discharge
//! waits until aftercare has run six months.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The default follow-up months after the last dose.
pub const DEFAULT_FOLLOW_UP_MONTHS: [u32; 3] = [1, 3, 6];
/// Aftercare runs at least this many months.
pub const MIN_AFTERCARE_MONTHS: u32 = 6;
/// The longest schedule accepted.
pub const MAX_FOLLOW_UP_MONTH: u32 = 24;
/// The months after the last dose at which the outcome questionnaire is due.
pub const OUTCOME_MONTHS: [u32; 2] = [6, 12];
/// A follow-up is due this many days before its date …
pub const DUE_DAYS_BEFORE: i32 = 7;
/// … and overdue this many days after.
pub const OVERDUE_DAYS_AFTER: i32 = 14;

/// Why a schedule was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleError {
    /// No follow-up at all.
    Empty,
    /// A month outside 1–24.
    OutOfRange(u32),
    /// The last follow-up comes before six months.
    TooShort(u32),
}

/// Validates a follow-up schedule: months 1–24, sorted and without repeats in the result,
/// the last at six months or later.
pub fn schedule(months: &[u32]) -> Result<Vec<u32>, ScheduleError> {
    if let Some(m) = months
        .iter()
        .find(|m| !(1..=MAX_FOLLOW_UP_MONTH).contains(*m))
    {
        return Err(ScheduleError::OutOfRange(*m));
    }
    let mut v = months.to_vec();
    v.sort_unstable();
    v.dedup();
    match v.last() {
        None => Err(ScheduleError::Empty),
        Some(&last) if last < MIN_AFTERCARE_MONTHS => Err(ScheduleError::TooShort(last)),
        Some(_) => Ok(v),
    }
}

/// Parses "1, 3, 6" into months and validates it.
pub fn parse_schedule(text: &str) -> Result<Vec<u32>, ScheduleError> {
    let mut months = Vec::new();
    for part in text.split([',', ' ', ';']).filter(|p| !p.is_empty()) {
        months.push(part.parse().map_err(|_| ScheduleError::OutOfRange(0))?);
    }
    schedule(&months)
}

/// The date `months` months after `start` (clamped to the month's last day).
pub fn months_after(start: Date, months: u32) -> Date {
    start
        .checked_add((months as i32).months())
        .unwrap_or(Date::MAX)
}

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    /// Recorded.
    Done,
    /// Not yet within its window.
    Upcoming,
    /// Within a week of its date, or up to two weeks after.
    Due,
    /// More than two weeks past its date.
    Overdue,
}

/// One follow-up of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    /// Months after the last dose.
    pub month: u32,
    /// Its date.
    pub due: Date,
    /// Where it stands.
    pub state: FollowUpState,
}

/// The schedule from the last dose, with what is done (by month) and what is due today.
pub fn follow_ups(last_dose: Date, months: &[u32], done: &[u32], today: Date) -> Vec<FollowUp> {
    months
        .iter()
        .map(|&month| {
            let due = months_after(last_dose, month);
            let state = if done.contains(&month) {
                FollowUpState::Done
            } else if today > due.saturating_add(OVERDUE_DAYS_AFTER.days()) {
                FollowUpState::Overdue
            } else if today >= due.saturating_sub(DUE_DAYS_BEFORE.days()) {
                FollowUpState::Due
            } else {
                FollowUpState::Upcoming
            };
            FollowUp { month, due, state }
        })
        .collect()
}

/// How a patient leaves the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Off every drug in scope.
    DrugFree,
    /// On a lower dose: the reduction in DE or MME, per cent of the starting total.
    Reduced {
        /// Per cent, above 0 and below 100.
        percent: f64,
    },
    /// Left the programme.
    DroppedOut,
    /// Sent on to another level of care.
    Redirected {
        /// Where (addiction care, psychiatry, pain team …).
        to: String,
    },
    /// Died.
    Deceased,
}

impl Outcome {
    /// Stable code of the kind.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::DrugFree => "drug_free",
            Outcome::Reduced { .. } => "reduced",
            Outcome::DroppedOut => "dropped_out",
            Outcome::Redirected { .. } => "redirected",
            Outcome::Deceased => "deceased",
        }
    }

    /// Whether this outcome ends a completed taper, which needs six months of aftercare
    /// first.
    pub fn completes_taper(&self) -> bool {
        matches!(self, Outcome::DrugFree | Outcome::Reduced { .. })
    }
}

/// Why a discharge was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DischargeError {
    /// A reduction outside (0, 100) per cent.
    BadReduction,
    /// A redirection without a destination.
    NoDestination,
    /// Drug-free or reduced before the last dose.
    NoAftercare,
    /// Drug-free or reduced before six months of aftercare; the earliest day allowed.
    AftercareTooShort(Date),
}

/// Checks a discharge on `today` given when aftercare started (the last dose).
pub fn check_discharge(
    outcome: &Outcome,
    aftercare_from: Option<Date>,
    today: Date,
) -> Result<(), DischargeError> {
    match outcome {
        Outcome::Reduced { percent } if !(*percent > 0.0 && *percent < 100.0) => {
            return Err(DischargeError::BadReduction);
        }
        Outcome::Redirected { to } if to.trim().is_empty() => {
            return Err(DischargeError::NoDestination);
        }
        _ => {}
    }
    if outcome.completes_taper() {
        let Some(from) = aftercare_from else {
            return Err(DischargeError::NoAftercare);
        };
        let earliest = months_after(from, MIN_AFTERCARE_MONTHS);
        if today < earliest {
            return Err(DischargeError::AftercareTooShort(earliest));
        }
    }
    Ok(())
}

/// Per cent reduction from a starting to a final total (DE or MME), rounded to one
/// decimal; `None` without a positive start.
pub fn reduction_percent(start: f64, last: f64) -> Option<f64> {
    (start > 0.0 && last >= 0.0).then(|| ((1.0 - last / start) * 1000.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn schedules() {
        let check = |input: &str, expect: Result<Vec<u32>, ScheduleError>| {
            assert_eq!(parse_schedule(input), expect, "{input}");
        };
        check("1, 3, 6", Ok(vec![1, 3, 6]));
        check("6 3 1 3", Ok(vec![1, 3, 6]));
        check("1, 2, 12", Ok(vec![1, 2, 12]));
        check("1, 3", Err(ScheduleError::TooShort(3)));
        check("", Err(ScheduleError::Empty));
        check("0, 6", Err(ScheduleError::OutOfRange(0)));
        check("6, 36", Err(ScheduleError::OutOfRange(36)));
        check("sex", Err(ScheduleError::OutOfRange(0)));
    }

    #[test]
    fn follow_up_states() {
        let last = date(2026, 1, 15);
        let f = follow_ups(last, &[1, 3, 6], &[1], date(2026, 4, 10));
        assert_eq!(f[0].state, FollowUpState::Done);
        assert_eq!(f[1].due, date(2026, 4, 15));
        assert_eq!(f[1].state, FollowUpState::Due);
        assert_eq!(f[2].state, FollowUpState::Upcoming);
        let later = follow_ups(last, &[1, 3, 6], &[1], date(2026, 5, 1));
        assert_eq!(later[1].state, FollowUpState::Overdue);
    }

    #[test]
    fn discharge_rules() {
        let from = Some(date(2026, 1, 15));
        assert_eq!(
            check_discharge(&Outcome::DrugFree, from, date(2026, 6, 1)),
            Err(DischargeError::AftercareTooShort(date(2026, 7, 15)))
        );
        assert_eq!(
            check_discharge(&Outcome::DrugFree, from, date(2026, 7, 15)),
            Ok(())
        );
        assert_eq!(
            check_discharge(&Outcome::DrugFree, None, date(2026, 7, 15)),
            Err(DischargeError::NoAftercare)
        );
        assert_eq!(
            check_discharge(&Outcome::DroppedOut, None, date(2026, 2, 1)),
            Ok(())
        );
        assert_eq!(
            check_discharge(&Outcome::Reduced { percent: 100.0 }, from, date(2027, 1, 1)),
            Err(DischargeError::BadReduction)
        );
        assert_eq!(
            check_discharge(
                &Outcome::Redirected { to: " ".into() },
                None,
                date(2026, 2, 1)
            ),
            Err(DischargeError::NoDestination)
        );
        assert_eq!(reduction_percent(20.0, 5.0), Some(75.0));
        assert_eq!(reduction_percent(0.0, 5.0), None);
    }

    proptest! {
        #[test]
        fn an_accepted_schedule_lasts_six_months(ms in proptest::collection::vec(0u32..30, 0..6)) {
            if let Ok(s) = schedule(&ms) {
                prop_assert!(*s.last().unwrap() >= MIN_AFTERCARE_MONTHS);
                prop_assert!(s.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(s.iter().all(|m| ms.contains(m)));
            }
        }

        #[test]
        fn no_completed_discharge_before_six_months(days in 0i32..400, pct in 1.0f64..99.0) {
            let from = date(2026, 1, 31);
            let today = from.checked_add(days.days()).unwrap();
            for o in [Outcome::DrugFree, Outcome::Reduced { percent: pct }] {
                let ok = check_discharge(&o, Some(from), today).is_ok();
                prop_assert_eq!(ok, today >= months_after(from, 6));
            }
        }
    }
}

/// The data of an `aftercare_started` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AftercareStart {
    /// Follow-up months after the last dose (validated by [`schedule`]).
    pub months: Vec<u32>,
}

/// The data of a `follow_up` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FollowUpRecord {
    /// Which follow-up of the schedule (months after the last dose).
    pub month: u32,
    /// Whether the patient has relapsed.
    pub relapse: bool,
    /// What was found and agreed.
    pub note: String,
}

/// The data of a `relapse` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RelapseRecord {
    /// The substance taken again.
    pub substance: String,
    /// What happened, what is done.
    pub note: String,
}

/// The data of an `outcome` event: the questionnaire 6 or 12 months after the last dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutcomeRecord {
    /// 6 or 12.
    pub months: u32,
    /// Free of every drug in scope.
    pub drug_free: bool,
    /// Relapsed since the last dose.
    pub relapse: bool,
    /// Anything else.
    pub note: String,
}

/// The data of a `discharged` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DischargeRecord {
    /// How the patient leaves.
    pub outcome: Outcome,
    /// The discharge note.
    pub note: String,
}
