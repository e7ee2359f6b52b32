//! Instruments the care team assigns the patient to fill in between visits: when each
//! is due, and how an answer is banded where the instrument has no official bands (the
//! clinician's cut-offs for this patient, set when assigning).

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use trappa_taper::adapt::Band;

/// How many days before a planned dose change a "before each step" instrument opens,
/// so the answer is there when the change is decided (ASAM: evaluate with each dose
/// reduction).
pub const DAYS_BEFORE_STEP: i64 = 3;

/// The longest rhythm in days (a year).
pub const MAX_EVERY_DAYS: i64 = 365;

/// When an assigned instrument is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rhythm {
    /// In the [`DAYS_BEFORE_STEP`] days before each dose change of the plan in force.
    BeforeStep,
    /// Every `days` days from the start.
    EveryDays {
        /// 1 to [`MAX_EVERY_DAYS`].
        days: i64,
    },
}

impl Rhythm {
    /// The day the round open today began, if one is open: for "before each step" the
    /// window before `next_change`; for "every N days" the latest multiple of N days
    /// from `starts_on`. None before `starts_on`.
    pub fn open_since(
        self,
        starts_on: Date,
        today: Date,
        next_change: Option<Date>,
    ) -> Option<Date> {
        if today < starts_on {
            return None;
        }
        match self {
            Rhythm::BeforeStep => {
                let change = next_change?;
                let opens = change.saturating_sub(DAYS_BEFORE_STEP.days());
                (today >= opens && today < change).then_some(opens.max(starts_on))
            }
            Rhythm::EveryDays { days } => {
                let days = days.clamp(1, MAX_EVERY_DAYS);
                let since = (today - starts_on).get_days() as i64;
                let round = since - since.rem_euclid(days);
                Some(starts_on.saturating_add(round.days()))
            }
        }
    }

    /// Whether the instrument is due today: a round is open and nothing was reported in
    /// it (`last_report` is the latest day the instrument was answered for).
    pub fn is_due(
        self,
        starts_on: Date,
        today: Date,
        next_change: Option<Date>,
        last_report: Option<Date>,
    ) -> bool {
        self.open_since(starts_on, today, next_change)
            .is_some_and(|since| last_report.is_none_or(|last| last < since))
    }
}

/// The clinician's cut-offs for an instrument without official bands: from
/// `moderate_from` the answer is moderate, from `severe_from` severe; below, mild, or
/// none at the instrument's lowest value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cutoffs {
    /// The lowest moderate total.
    pub moderate_from: f64,
    /// The lowest severe total.
    pub severe_from: f64,
}

impl Cutoffs {
    /// Whether the cut-offs make sense for a range: inside it, above its lowest value,
    /// moderate below severe.
    pub fn fit(&self, min: f64, max: f64) -> bool {
        min < self.moderate_from && self.moderate_from < self.severe_from && self.severe_from <= max
    }

    /// The band of a total.
    pub fn band(&self, total: f64, min: f64) -> Band {
        if total >= self.severe_from {
            Band::Severe
        } else if total >= self.moderate_from {
            Band::Moderate
        } else if total <= min {
            Band::None
        } else {
            Band::Mild
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn before_step_opens_three_days_ahead_and_closes_at_the_change() {
        let start = date(2026, 1, 1);
        let change = Some(date(2026, 3, 10));
        let check = |today, want: Option<Date>| {
            assert_eq!(
                Rhythm::BeforeStep.open_since(start, today, change),
                want,
                "{today}"
            );
        };
        check(date(2026, 3, 6), None);
        check(date(2026, 3, 7), Some(date(2026, 3, 7)));
        check(date(2026, 3, 9), Some(date(2026, 3, 7)));
        check(date(2026, 3, 10), None);
        assert_eq!(
            Rhythm::BeforeStep.open_since(start, date(2026, 3, 8), None),
            None
        );
    }

    #[test]
    fn a_report_in_the_round_closes_it_and_one_before_does_not() {
        let start = date(2026, 1, 1);
        let r = Rhythm::EveryDays { days: 14 };
        let today = date(2026, 1, 20); // round opened 2026-01-15
        assert!(r.is_due(start, today, None, None));
        assert!(r.is_due(start, today, None, Some(date(2026, 1, 14))));
        assert!(!r.is_due(start, today, None, Some(date(2026, 1, 15))));
        assert!(!r.is_due(start, date(2025, 12, 31), None, None));
    }

    #[test]
    fn cutoffs_band_by_the_clinicians_limits() {
        let c = Cutoffs {
            moderate_from: 11.0,
            severe_from: 21.0,
        };
        assert!(c.fit(0.0, 40.0));
        assert!(
            !Cutoffs {
                moderate_from: 21.0,
                severe_from: 11.0
            }
            .fit(0.0, 40.0)
        );
        assert!(
            !Cutoffs {
                moderate_from: 0.0,
                severe_from: 11.0
            }
            .fit(0.0, 40.0)
        );
        assert!(
            !Cutoffs {
                moderate_from: 11.0,
                severe_from: 41.0
            }
            .fit(0.0, 40.0)
        );
        let bands: Vec<Band> = [0.0, 1.0, 10.9, 11.0, 20.0, 21.0, 40.0]
            .iter()
            .map(|t| c.band(*t, 0.0))
            .collect();
        assert_eq!(
            bands,
            [
                Band::None,
                Band::Mild,
                Band::Mild,
                Band::Moderate,
                Band::Moderate,
                Band::Severe,
                Band::Severe
            ]
        );
    }

    proptest! {
        /// An "every N days" round opens on a multiple of N days from the start, at
        /// most N − 1 days before today.
        #[test]
        fn every_days_rounds_are_whole_multiples(days in 1i64..=365, offset in 0i64..2000) {
            let start = date(2025, 6, 1);
            let today = start.saturating_add(offset.days());
            let since = Rhythm::EveryDays { days }.open_since(start, today, None).unwrap();
            let from_start = (since - start).get_days() as i64;
            let back = (today - since).get_days() as i64;
            prop_assert_eq!(from_start % days, 0);
            prop_assert!((0..days).contains(&back));
        }

        /// A band never gets milder as the total rises.
        #[test]
        fn cutoff_bands_rise_with_the_total(m in 1.0f64..30.0, gap in 1.0f64..10.0, a in 0.0f64..40.0, b in 0.0f64..40.0) {
            let c = Cutoffs { moderate_from: m, severe_from: m + gap };
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(c.band(lo, 0.0) <= c.band(hi, 0.0));
        }
    }
}
