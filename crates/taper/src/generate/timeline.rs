//! A plan's steps moved in time: a hold keeps a step's dose longer, a step given its own
//! length moves the steps after it — on patch-change days.

use jiff::Span;

use crate::error::Problem;
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::{ReferenceData, Route};

use super::track::gcd;

/// Keeps a step's dose `weeks` longer: the step and every later one move.
pub fn apply_hold(plan: &mut Plan, step: usize, weeks: u32, reason: &str) -> Result<(), Problem> {
    let k = step
        .checked_sub(1)
        .filter(|k| *k < plan.steps.len())
        .ok_or(Problem::NoSuchStep { step })?;
    let extra = on_change_days(plan, i64::from(weeks) * 7);
    shift_after(plan, k, extra);
    plan.steps[k].notes.push(Notice::Hold {
        weeks,
        reason: reason.to_owned(),
    });
    Ok(())
}

/// Makes a step last `weeks` (whole patch-change intervals with a patch): every later
/// step moves. Refused when the plan would then break an invariant it kept (the ceiling
/// of 25 % in two weeks, the last dose's hold), or for the plan's last step (it has no
/// end).
pub(super) fn set_step_length(
    plan: &mut Plan,
    data: &ReferenceData,
    step: usize,
    weeks: u32,
) -> Result<(), Problem> {
    let k = step
        .checked_sub(1)
        .filter(|k| *k < plan.steps.len())
        .ok_or(Problem::NoSuchStep { step })?;
    let Some(days) = plan.steps[k].days else {
        return Err(Problem::LastStep { step });
    };
    let wanted = on_change_days(plan, i64::from(weeks) * 7);
    let before = plan.clone();
    shift_after(plan, k, wanted - i64::from(days));
    // Shorter may break the ceiling or the last dose's hold: any invariant the plan kept.
    let broken = |p: &Plan| crate::check::check(p, data).len();
    if wanted < i64::from(days) && broken(plan) > broken(&before) {
        *plan = before;
        return Err(Problem::TooShort { step });
    }
    Ok(())
}

/// `days` rounded up to whole patch-change intervals when the plan has a patch (and to
/// the weekly rhythm too when drugs are tapered in parallel).
fn on_change_days(plan: &Plan, days: i64) -> i64 {
    let change = plan
        .drugs
        .iter()
        .filter(|d| d.route == Route::Transdermal)
        .flat_map(|d| d.products.iter().filter_map(|p| p.change_hours))
        .filter(|h| *h >= 24 && h % 24 == 0)
        .map(|h| i64::from(h / 24))
        .fold(1, |acc, c| acc * c / gcd(acc, c));
    // Drugs tapered in parallel keep the weekly rhythm too.
    let change = if change > 1
        && matches!(plan.request.multi, MultiDrug::Parallel {})
        && plan.drugs.len() > 1
    {
        change * 7 / gcd(change, 7)
    } else {
        change
    };
    days.div_euclid(change) * change
        + if days.rem_euclid(change) == 0 {
            0
        } else {
            change
        }
}

/// Moves every step after step `k` (0-based) by `days` (negative: earlier) and
/// lengthens step `k` by as much; the ideal curve moves with them.
fn shift_after(plan: &mut Plan, k: usize, days: i64) {
    let from_day = (plan.steps[k].start - plan.request.start).get_days();
    if let Some(length) = plan.steps[k].days.as_mut() {
        *length = (i64::from(*length) + days).max(1) as u32;
    }
    for s in plan.steps.iter_mut().skip(k + 1) {
        s.start = s.start.saturating_add(Span::new().days(days));
    }
    for curve in &mut plan.ideal {
        for p in curve.iter_mut() {
            if i64::from(p.day) > i64::from(from_day) {
                p.day = (i64::from(p.day) + days).max(0) as u32;
            }
        }
    }
}
