//! The curve a drug's steps aim at: the request's opening phases, then its pace, drawn
//! from the dose at the drug's taper start without rounding. Every step aims at the
//! curve's point for its day — not at a cut from the rounded dose before it — so a step
//! rounded up is caught up at the next, and rounding never compounds into a slower plan.
//! The same points are the plan's "ideal" line in every output.

use super::track::{CurvePoint, MAX_DAYS, Track, strategy_aim, track_interval};
use crate::amount::Amount;
use crate::plan::{IdealPoint, PacePhase, Reduction};

/// The curve of a track whose taper starts at `t.taper_start` from `t.start_total`:
/// ends at the goal, or at zero once the dose is below half the smallest piece.
pub(super) fn build(t: &Track, r: &Reduction, phases: &[PacePhase]) -> Vec<CurvePoint> {
    let Some(start) = t.taper_start else {
        return Vec::new();
    };
    let floor = t.menu.smallest().map(|s| s.as_f64() / 2.0).unwrap_or(0.0);
    let target = t.target.as_f64();
    let stop = floor.max(target);
    let mut shadow = t.shadow();
    let mut dose = t.start_total.as_f64();
    let mut day = start;
    let mut out: Vec<CurvePoint> = Vec::new();
    let opening: Vec<&PacePhase> = phases
        .iter()
        .flat_map(|p| std::iter::repeat_n(p, p.steps as usize))
        .collect();
    for n in 0..2000 {
        if day > MAX_DAYS {
            break;
        }
        shadow.slots = [
            Amount::from_f64(dose).unwrap_or(Amount::ZERO),
            Amount::ZERO,
            Amount::ZERO,
            Amount::ZERO,
        ];
        let (next, interval) = match opening.get(n) {
            Some(p) => (
                dose * (1.0 - p.percent / 100.0),
                i64::from(p.interval_weeks) * 7,
            ),
            None => (
                strategy_aim(&shadow, r, shadow.total(), 1.0),
                track_interval(&shadow, r),
            ),
        };
        let next = next.max(target);
        let last = next <= stop;
        out.push(CurvePoint {
            day,
            dose: if last { target } else { next },
            before: dose,
            interval,
        });
        if last {
            break;
        }
        dose = next;
        day += interval;
    }
    out
}

/// The opening phase (0-based) a drug's reduction falls in, counting its reductions
/// from 0: the phases cover the first `steps` of each, in order.
pub(super) fn opening_phase(phases: &[PacePhase], nth: usize) -> Option<usize> {
    let mut n = nth;
    for (k, p) in phases.iter().enumerate() {
        let steps = p.steps as usize;
        if n < steps {
            return Some(k);
        }
        n -= steps;
    }
    None
}

/// The point in force on `day`: the last one at or before it.
pub(super) fn at(curve: &[CurvePoint], day: i64) -> Option<&CurvePoint> {
    curve.iter().rev().find(|p| p.day <= day)
}

/// The curve as the plan shows it.
pub(super) fn ideal(curve: &[CurvePoint]) -> Vec<IdealPoint> {
    curve
        .iter()
        .map(|p| IdealPoint {
            day: p.day as u32,
            dose: Amount::from_f64(p.dose).unwrap_or(Amount::ZERO),
        })
        .collect()
}

/// How far the plan's doses lag behind the curve, in days: for each step of the drug,
/// its day less the day the curve first reached that dose; the largest.
pub(super) fn largest_lag(curve: &[CurvePoint], steps: &[(i64, Amount)]) -> i64 {
    steps
        .iter()
        .filter_map(|(day, dose)| {
            curve
                .iter()
                .find(|p| p.dose <= dose.as_f64() + 1e-9)
                .map(|p| day - p.day)
        })
        .max()
        .unwrap_or(0)
}
