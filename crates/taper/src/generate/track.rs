//! A drug's place in the run — its dose, history and curve — and the pace's arithmetic
//! over it: when it is next looked at, and where its strategy's curve goes.

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::plan::*;
use crate::regimen::{Slots, slots_total};

/// Plans longer than this are refused rather than cut short (holds included).
pub const MAX_YEARS: u32 = 15;
pub(super) const MAX_DAYS: i64 = MAX_YEARS as i64 * 365;

/// A drug's place in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Not started (staggered: waiting for the one before).
    Waiting,
    /// Being reduced.
    Active,
    /// Stopped or at its target.
    Done,
}

/// One step of the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct CurvePoint {
    /// Days from the plan's start.
    pub day: i64,
    /// The dose after the step.
    pub dose: f64,
    /// The dose before it.
    pub before: f64,
    /// Days until the next point.
    pub interval: i64,
}

pub(super) struct Track {
    pub(super) menu: Menu,
    pub(super) slots: Slots,
    /// The dose when its taper started (for thresholds and linear steps).
    pub(super) start_total: Amount,
    pub(super) target: Amount,
    /// The day of the last change (virtual: one interval before the taper starts).
    pub(super) last_change: i64,
    /// (day, total) after each change; before the first, the baseline.
    pub(super) history: Vec<(i64, Amount)>,
    pub(super) baseline_total: Amount,
    pub(super) state: State,
    pub(super) next_check: i64,
    pub(super) taper_start: Option<i64>,
    pub(super) low_dose_noted: bool,
    /// Emax ED50 in the dose unit, for hyperbolic tapers.
    pub(super) ed50: Option<f64>,
    /// Which dose time a step changes.
    pub(super) rule: DoseTimeRule,
    /// Days between patch changes, for a patch: its steps fall on change days.
    pub(super) change_days: Option<i64>,
    pub(super) finer: Option<String>,
    /// For a patch without a finer patch: the oral opioid its smallest dose is about.
    pub(super) oral: Option<crate::notice::OralAlternative>,
    /// The curve the steps aim at, from the taper start ([`curve::build`]).
    pub(super) curve: Vec<CurvePoint>,
    /// Reductions so far (the first ones are the opening phases').
    pub(super) reductions: usize,
}

impl Track {
    pub(super) fn total(&self) -> Amount {
        slots_total(&self.slots)
    }

    pub(super) fn dose_at(&self, day: i64) -> Amount {
        self.history
            .iter()
            .rev()
            .find(|(d, _)| *d <= day)
            .map(|(_, a)| *a)
            .unwrap_or(self.baseline_total)
    }

    /// A copy without history or notes, to draw the curve with.
    pub(super) fn shadow(&self) -> Track {
        Track {
            menu: self.menu.clone(),
            slots: self.slots,
            start_total: self.start_total,
            target: self.target,
            last_change: self.last_change,
            history: Vec::new(),
            baseline_total: self.baseline_total,
            state: self.state,
            next_check: self.next_check,
            taper_start: self.taper_start,
            low_dose_noted: true,
            ed50: self.ed50,
            rule: self.rule,
            change_days: self.change_days,
            finer: None,
            oral: None,
            curve: Vec::new(),
            reductions: 0,
        }
    }
}

pub(super) fn is_low_dose(t: &Track, r: &Reduction) -> bool {
    match r {
        Reduction::Slow { low_dose, .. } => {
            t.total().as_f64() < t.start_total.as_f64() * low_dose.below_percent_of_start / 100.0
        }
        _ => false,
    }
}

/// The first day from `day` a step of the track may fall on: any day, or for a patch the
/// next day its patch is changed anyway (the plan's first day counts as a change day),
/// so a patient never changes a patch early for a step.
pub(super) fn on_change_day(t: &Track, day: i64) -> i64 {
    match t.change_days {
        Some(c) if c > 1 => day.div_euclid(c) * c + if day.rem_euclid(c) == 0 { 0 } else { c },
        _ => day,
    }
}

/// The day after `day` a track is next looked at: its curve's next point, or one
/// interval on once the curve has ended.
pub(super) fn next_check_day(t: &Track, r: &Reduction, day: i64) -> i64 {
    t.curve
        .iter()
        .find(|p| p.day > day)
        .map_or_else(|| day + track_interval(t, r), |p| p.day)
}

pub(super) fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Days between checks for a track at its current dose.
pub(super) fn track_interval(t: &Track, r: &Reduction) -> i64 {
    let base = i64::from(r.interval_weeks()) * 7;
    match r {
        Reduction::Slow {
            low_dose,
            interval_weeks,
            ..
        } if is_low_dose(t, r) => {
            i64::from(low_dose.interval_weeks.unwrap_or(interval_weeks * 2)) * 7
        }
        _ => base,
    }
}

/// Where the strategy's curve is after `n` intervals from dose `a`.
pub(super) fn strategy_aim(t: &Track, r: &Reduction, a: Amount, n: f64) -> f64 {
    let a = a.as_f64();
    match r {
        Reduction::Slow {
            percent, low_dose, ..
        } => {
            let p = if is_low_dose(t, r) {
                low_dose.percent.unwrap_or(*percent)
            } else {
                *percent
            };
            a * (1.0 - p / 100.0).powf(n)
        }
        Reduction::Hyperbolic {
            occupancy_percent, ..
        } => {
            let k = t.ed50.unwrap_or(1.0);
            let occupancy = |d: f64| d / (k + d);
            let step = occupancy(t.start_total.as_f64()) * occupancy_percent / 100.0;
            let o = occupancy(a) - n * step;
            if o <= 0.0 { 0.0 } else { k * o / (1.0 - o) }
        }
        Reduction::Linear {
            percent_of_start, ..
        } => (a - n * t.start_total.as_f64() * percent_of_start / 100.0).max(0.0),
    }
}
