//! The invariants, checked on any plan — generated, edited by hand or adapted — without
//! the generator's code: the property tests use this as their oracle, and the service
//! refuses to sign a plan that breaks one.
//!
//! 1. Equivalents (DE, MME) per class, and the dose of a drug without equivalents, never
//!    rise except at a signed step back. A drug's own dose rises only when a dose time is
//!    switched to it (diazepam substitution) or at a signed step back.
//! 2. A reduction cuts at most the configured share of the drug's dose (default 10 %),
//!    and never below 75 % of the dose two weeks earlier (ASAM 2025's ceiling). A larger
//!    step is allowed only when the products cannot make a smaller one: it is marked
//!    with its reason, and the dose before it was held long enough that the ceiling's
//!    rate (25 % per 2 weeks, compounded) is kept.
//! 3. A drug is stopped only from its smallest possible dose — or from it at each of at
//!    most two dose times, for a drug that keeps its dosing interval — (or from at most the
//!    chosen share of its starting dose), held at least `final_hold_weeks`.
//! 4. Every dose is made of the plan's products, split only as allowed, within the limits
//!    per dose time; patches use one slot.
//! 5. Steps are whole days, in order, each at least a week except the last — there is no
//!    way to express alternate-day dosing.
//! 6. No reduction goes below what the step aimed for, and no dose below its goal.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::notice::Notice;
use crate::plan::{Change, DrugStep, HARD_CEILING_DAYS, HARD_CEILING_FRACTION, Plan};
use crate::reference::{EquivalentUnit, Form, ReferenceData, Route};

/// Which invariant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A rise without a signature.
    Rise,
    /// A cut larger than allowed.
    StepTooLarge,
    /// More than 25 % within two weeks.
    Ceiling,
    /// A stop from more than the smallest dose, or too soon.
    Stop,
    /// A dose the products cannot make.
    NotAchievable,
    /// Dates or step lengths out of order.
    Timeline,
    /// Below the aim or the goal.
    TooFast,
    /// A larger step without its reason.
    Unexplained,
}

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Violation {
    /// The step (1-based).
    pub step: usize,
    /// The drug index, when it is about one drug.
    pub drug: Option<usize>,
    /// Which rule.
    pub rule: Rule,
    /// What was found.
    pub detail: String,
}

const EPS: f64 = 1e-6;

/// Checks a plan; an empty list means every invariant holds.
pub fn check(plan: &Plan, data: &ReferenceData) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |step: usize, drug: Option<usize>, rule: Rule, detail: String| {
        out.push(Violation {
            step,
            drug,
            rule,
            detail,
        })
    };
    let limits = &plan.request.limits;
    let max_step = limits.max_step_percent / 100.0;
    // The plan's own catch-up (its request holds the value it was made with).
    let catch_up = limits
        .catch_up_percent
        .unwrap_or(data.rule(crate::rules::RuleId::CatchUpPercent).value.value)
        / 100.0;
    let interval_days = i64::from(plan.request.pace().interval_weeks()) * 7;

    // 5. Timeline.
    for (k, s) in plan.steps.iter().enumerate() {
        if s.number != k + 1 {
            v(
                s.number,
                None,
                Rule::Timeline,
                format!("numbered {} at position {}", s.number, k + 1),
            );
        }
        if s.drugs.len() != plan.drugs.len() {
            v(s.number, None, Rule::Timeline, "a drug is missing".into());
        }
        match plan.steps.get(k + 1) {
            Some(next) => {
                let days = (next.start - s.start).get_days();
                if s.days != Some(days as u32) || days < 7 {
                    v(
                        s.number,
                        None,
                        Rule::Timeline,
                        format!("lasts {:?} days, next starts after {days}", s.days),
                    );
                }
            }
            None => {
                if s.days.is_some() {
                    v(
                        s.number,
                        None,
                        Rule::Timeline,
                        "the last step has an end".into(),
                    );
                }
            }
        }
        if s.start < plan.request.start {
            v(
                s.number,
                None,
                Rule::Timeline,
                "starts before the plan".into(),
            );
        }
    }

    // 4. Achievable doses.
    let per_count: Vec<Vec<(i64, u32, bool, Form)>> = plan
        .drugs
        .iter()
        .map(|d| {
            d.products
                .iter()
                .map(|p| {
                    let reference = data.product(&p.id);
                    let step = reference
                        .map(|r| r.divisible.value.quarters_per_piece())
                        .unwrap_or(4);
                    let per = match p.step_ml {
                        Some(ml) => (p.strength.0 as f64 * ml).round() as i64,
                        None => p.strength.0,
                    };
                    (
                        per,
                        step,
                        reference.is_some_and(|r| r.substance == d.substance && r.route == d.route),
                        p.form,
                    )
                })
                .collect()
        })
        .collect();
    let smallest: Vec<Amount> = per_count
        .iter()
        .map(|ps| {
            ps.iter()
                .map(|(per, step, _, form)| {
                    if form_is_liquid(*form) {
                        Amount(*per)
                    } else {
                        Amount(per * i64::from(*step) / 4)
                    }
                })
                .min()
                .unwrap_or(Amount::ZERO)
        })
        .collect();
    let all_steps: Vec<(usize, &[DrugStep])> = std::iter::once((0, plan.baseline.as_slice()))
        .chain(plan.steps.iter().map(|s| (s.number, s.drugs.as_slice())))
        .collect();
    for (number, drugs) in &all_steps {
        for (i, ds) in drugs.iter().enumerate() {
            let Some(products) = per_count.get(i) else {
                continue;
            };
            let mut sum = Amount::ZERO;
            for (slot, dose) in ds.doses.iter().enumerate() {
                let Some(dose) = dose else { continue };
                if plan.drugs[i].route == Route::Transdermal && slot != 0 {
                    v(
                        *number,
                        Some(i),
                        Rule::NotAchievable,
                        "a patch dose outside the first slot".into(),
                    );
                }
                let mut made = 0i64;
                let mut pieces = 0u32;
                let mut liquid = false;
                let mut solid = false;
                for part in &dose.parts {
                    let Some(&(per, step, valid, form)) = products.get(usize::from(part.product))
                    else {
                        v(
                            *number,
                            Some(i),
                            Rule::NotAchievable,
                            "unknown product".into(),
                        );
                        continue;
                    };
                    if !valid {
                        v(
                            *number,
                            Some(i),
                            Rule::NotAchievable,
                            "product of another substance or route".into(),
                        );
                    }
                    if form_is_liquid(form) {
                        liquid = true;
                        made += per * i64::from(part.count);
                        pieces += 1;
                        let ml = plan.drugs[i].products[usize::from(part.product)]
                            .step_ml
                            .unwrap_or(0.0)
                            * f64::from(part.count);
                        if ml > limits.dose.max_volume_ml + EPS {
                            v(
                                *number,
                                Some(i),
                                Rule::NotAchievable,
                                format!("{ml} ml in one dose"),
                            );
                        }
                    } else {
                        solid = true;
                        if part.count % step != 0 || part.count == 0 {
                            v(
                                *number,
                                Some(i),
                                Rule::NotAchievable,
                                format!(
                                    "{} quarters of a product divisible in {}",
                                    part.count,
                                    4 / step
                                ),
                            );
                        }
                        made += per * i64::from(part.count) / 4;
                        pieces += part.count / 4 + (part.count % 4).div_ceil(step);
                    }
                }
                let max_pieces = if plan.drugs[i].route == Route::Transdermal {
                    limits.dose.max_patches
                } else {
                    limits.dose.max_pieces
                };
                if liquid && solid {
                    v(
                        *number,
                        Some(i),
                        Rule::NotAchievable,
                        "liquid and tablets in one dose".into(),
                    );
                }
                if pieces > max_pieces {
                    v(
                        *number,
                        Some(i),
                        Rule::NotAchievable,
                        format!("{pieces} pieces in one dose"),
                    );
                }
                if made != dose.amount.0 {
                    v(
                        *number,
                        Some(i),
                        Rule::NotAchievable,
                        format!("parts make {} not {}", Amount(made), dose.amount),
                    );
                }
                sum += dose.amount;
            }
            if sum != ds.per_day {
                v(
                    *number,
                    Some(i),
                    Rule::NotAchievable,
                    format!("doses sum to {sum}, per day says {}", ds.per_day),
                );
            }
            if ds.per_day < plan.drugs[i].target && !(plan.drugs[i].target.is_zero()) {
                v(*number, Some(i), Rule::TooFast, "below the goal".into());
            }
        }
    }

    // 1–3, 6. Changes between consecutive steps.
    let day_of = |k: usize| -> i64 { (plan.steps[k].start - plan.request.start).get_days() as i64 };
    // The dose of drug i in effect on a day (the baseline before the first step).
    let dose_on = |i: usize, day: i64| -> Amount {
        let mut dose = plan.baseline[i].per_day;
        for (k, s) in plan.steps.iter().enumerate() {
            if day_of(k) <= day {
                dose = s.drugs[i].per_day;
            } else {
                break;
            }
        }
        dose
    };
    let mut last_change: HashMap<usize, i64> = HashMap::new();
    // Reductions of each drug so far: the first ones are the opening phases'.
    let mut reductions: HashMap<usize, usize> = HashMap::new();
    for (k, s) in plan.steps.iter().enumerate() {
        let prev: &[DrugStep] = if k == 0 {
            &plan.baseline
        } else {
            &plan.steps[k - 1].drugs
        };
        let day = day_of(k);
        let signed = s.signed.is_some();
        // A switch to diazepam moves doses between drugs: their total in equivalents
        // never rises, and falls no faster than the ceiling allows.
        let switching = s
            .drugs
            .iter()
            .any(|d| matches!(d.change, Change::CrossOverIn | Change::CrossOverOut));
        if switching && !signed {
            let total_on = |k: Option<usize>| {
                let totals = k.map_or(&plan.baseline_totals, |k| &plan.steps[k].totals);
                totals
                    .iter()
                    .find(|t| t.unit == EquivalentUnit::De)
                    .map(|t| t.per_day)
            };
            let before = total_on(k.checked_sub(1));
            let now = total_on(Some(k));
            if let (Some(before), Some(now)) = (before, now) {
                if now > before + EPS {
                    v(s.number, None, Rule::Rise, format!("DE {before} → {now}"));
                }
                if now < before * (1.0 - max_step) - EPS {
                    v(
                        s.number,
                        None,
                        Rule::StepTooLarge,
                        format!("DE {before} → {now} in a switch"),
                    );
                }
                let window_start = day - i64::from(HARD_CEILING_DAYS);
                let then = (0..k)
                    .rev()
                    .find(|&j| day_of(j) <= window_start)
                    .map(Some)
                    .map_or(total_on(None), total_on);
                if let Some(then) = then
                    && now < then * (1.0 - HARD_CEILING_FRACTION) - EPS
                {
                    v(s.number, None, Rule::Ceiling, format!("DE {then} → {now}"));
                }
            }
        }
        let mut exempt = false;
        // Drugs whose step is larger than the maximum (granular or a stop).
        let mut exempt_drugs: Vec<usize> = Vec::new();
        // The largest cut a reduced drug of this step may make (an opening phase's own,
        // or a step back to the curve).
        let mut step_max = max_step;
        for (i, (now, before)) in s.drugs.iter().zip(prev).enumerate() {
            let held = day - last_change.get(&i).copied().unwrap_or(-interval_days);
            if now.per_day != before.per_day {
                last_change.insert(i, day);
            }
            if now.per_day > before.per_day && !signed && now.change != Change::CrossOverIn {
                v(
                    s.number,
                    Some(i),
                    Rule::Rise,
                    format!("{} → {}", before.per_day, now.per_day),
                );
            }
            if now.per_day >= before.per_day {
                continue;
            }
            let cut = 1.0 - now.per_day.as_f64() / before.per_day.as_f64();
            let name = &plan.drugs[i].name;
            let nth = reductions.get(&i).copied().unwrap_or(0);
            if matches!(
                now.change,
                Change::Reduced | Change::Edited | Change::Granular
            ) {
                reductions.insert(i, nth + 1);
            }
            match now.change {
                Change::Reduced | Change::Edited => {
                    let allowed = step_allowed(
                        plan,
                        Reduction {
                            drug: i,
                            nth,
                            day,
                            before,
                            now,
                        },
                        max_step,
                        catch_up,
                    );
                    step_max = step_max.max(allowed);
                    if cut > allowed + EPS {
                        v(
                            s.number,
                            Some(i),
                            Rule::StepTooLarge,
                            format!("{:.1} % cut", cut * 100.0),
                        );
                    }
                    let two_weeks_ago = dose_on(i, day - i64::from(HARD_CEILING_DAYS));
                    if now.per_day.as_f64()
                        < two_weeks_ago.as_f64() * (1.0 - HARD_CEILING_FRACTION) - EPS
                    {
                        v(
                            s.number,
                            Some(i),
                            Rule::Ceiling,
                            format!("{} two weeks after {}", now.per_day, two_weeks_ago),
                        );
                    }
                    if let Some(aim) = now.aim
                        && now.per_day < aim
                    {
                        v(
                            s.number,
                            Some(i),
                            Rule::TooFast,
                            format!("{} below the aim {}", now.per_day, aim),
                        );
                    }
                }
                Change::Granular => {
                    exempt = true;
                    exempt_drugs.push(i);
                    let allowed = (1.0 - HARD_CEILING_FRACTION)
                        .powf(held as f64 / f64::from(HARD_CEILING_DAYS as u32));
                    if 1.0 - cut < allowed - EPS {
                        v(
                            s.number,
                            Some(i),
                            Rule::Ceiling,
                            format!("{:.1} % after {held} days", cut * 100.0),
                        );
                    }
                    if !s.notes.iter().any(
                        |n| matches!(n, Notice::Granular { substance, .. } if substance == name),
                    ) {
                        v(
                            s.number,
                            Some(i),
                            Rule::Unexplained,
                            "a larger step without its reason".into(),
                        );
                    }
                }
                Change::Stopped => {
                    exempt = true;
                    exempt_drugs.push(i);
                    let start = plan
                        .steps
                        .iter()
                        .map(|s| s.drugs[i].per_day)
                        .chain([plan.baseline[i].per_day])
                        .max()
                        .unwrap_or_default();
                    let chosen_end = limits.stop_below_percent.is_some_and(|p| {
                        before.per_day.as_f64() <= start.as_f64() * p / 100.0 + EPS
                    });
                    // From the smallest dose, or (a drug that keeps its dosing interval)
                    // from the smallest dose at each dose time it is taken.
                    let taken = before.doses.iter().flatten().count();
                    let each_smallest = taken <= 2
                        && before
                            .doses
                            .iter()
                            .flatten()
                            .all(|d| d.amount == smallest[i]);
                    if !now.per_day.is_zero()
                        || (before.per_day != smallest[i] && !each_smallest && !chosen_end)
                    {
                        v(
                            s.number,
                            Some(i),
                            Rule::Stop,
                            format!("stopped from {}", before.per_day),
                        );
                    }
                    if held < i64::from(limits.final_hold_weeks) * 7 {
                        v(
                            s.number,
                            Some(i),
                            Rule::Stop,
                            format!("the last dose held {held} days"),
                        );
                    }
                }
                Change::CrossOverOut => exempt = true,
                Change::StepBack | Change::CrossOverIn | Change::Same => {
                    if !signed {
                        v(
                            s.number,
                            Some(i),
                            Rule::Unexplained,
                            format!("reduced but marked {:?}", now.change),
                        );
                    }
                    exempt = true;
                }
            }
        }
        // A step larger than the maximum in a class of several drugs keeps the class total
        // within the ceiling's rate from just before each change of the class in the last
        // two weeks, and from its last change.
        if !signed && !switching {
            for &i in &exempt_drugs {
                let Some(unit) = plan.drugs[i].factor.as_ref().map(|f| f.unit) else {
                    continue;
                };
                let members: Vec<usize> = (0..plan.drugs.len())
                    .filter(|&j| {
                        plan.drugs[j]
                            .factor
                            .as_ref()
                            .is_some_and(|f| f.unit == unit)
                    })
                    .filter(|&j| !prev[j].per_day.is_zero())
                    .collect();
                if members.len() < 2 {
                    continue;
                }
                let total_on = |d: i64| -> f64 {
                    members
                        .iter()
                        .map(|&j| {
                            dose_on(j, d).as_f64()
                                * plan.drugs[j].factor.as_ref().map_or(0.0, |f| f.factor)
                        })
                        .sum()
                };
                let now_total = total_on(day);
                let rate = |days: i64| {
                    (1.0 - HARD_CEILING_FRACTION).powf(days as f64 / f64::from(HARD_CEILING_DAYS))
                };
                let changes: Vec<i64> = (0..k)
                    .filter(|&m| {
                        let before_m = if m == 0 {
                            &plan.baseline
                        } else {
                            &plan.steps[m - 1].drugs
                        };
                        members
                            .iter()
                            .any(|&j| plan.steps[m].drugs[j].per_day != before_m[j].per_day)
                    })
                    .map(day_of)
                    .collect();
                // From the total now, since the class's last change; and from just before
                // each change inside the window.
                let since_last = changes.last().map(|&last| (total_on(day - 1), day - last));
                let in_window = changes
                    .iter()
                    .copied()
                    .filter(|d| *d > day - i64::from(HARD_CEILING_DAYS))
                    .map(|d| (total_on(d - 1), day - d));
                for (then, days) in since_last.into_iter().chain(in_window) {
                    if now_total < then * rate(days) - EPS * then.max(1.0) {
                        v(
                            s.number,
                            Some(i),
                            Rule::Ceiling,
                            format!("class total {then} → {now_total} in {days} days"),
                        );
                        break;
                    }
                }
            }
        }
        // Class totals: never rise unsigned; within the step limit unless a drug's step is
        // exempt (granular, stop, switch).
        let before_totals = if k == 0 {
            &plan.baseline_totals
        } else {
            &plan.steps[k - 1].totals
        };
        for unit in [EquivalentUnit::De, EquivalentUnit::Mme] {
            let now = s.totals.iter().find(|t| t.unit == unit).map(|t| t.per_day);
            let before = before_totals
                .iter()
                .find(|t| t.unit == unit)
                .map(|t| t.per_day);
            if let (Some(now), Some(before)) = (now, before) {
                if now > before + EPS && !signed {
                    v(
                        s.number,
                        None,
                        Rule::Rise,
                        format!("{} {before} → {now}", unit.label()),
                    );
                }
                if !exempt && before > 0.0 && 1.0 - now / before > step_max + EPS {
                    v(
                        s.number,
                        None,
                        Rule::StepTooLarge,
                        format!("{} cut {:.1} %", unit.label(), (1.0 - now / before) * 100.0),
                    );
                }
            }
        }
    }
    out
}

/// A drug's reduction at a step, as `step_allowed` judges it.
struct Reduction<'a> {
    drug: usize,
    /// How many reductions of the drug came before (0 for its first).
    nth: usize,
    day: i64,
    before: &'a DrugStep,
    now: &'a DrugStep,
}

/// The largest cut a reduced drug may make: the maximum, or within the opening phases
/// (each drug's first reductions, counted here, not read from the step's label) the
/// phase's own percent; `catch_up` more of it when the drug lay above its curve by more
/// than that step, the curve itself moved no faster, and the step does not go below
/// the curve.
fn step_allowed(plan: &Plan, r: Reduction<'_>, max_step: f64, catch_up: f64) -> f64 {
    let mut n = r.nth;
    let mut phase_step = max_step;
    for p in &plan.request.phases {
        let steps = p.steps as usize;
        if n < steps {
            phase_step = (p.percent / 100.0).max(max_step);
            break;
        }
        n -= steps;
    }
    let curve = plan.ideal.get(r.drug).map_or(&[][..], |c| c.as_slice());
    let Some(at) = curve.iter().rposition(|c| i64::from(c.day) <= r.day) else {
        return phase_step;
    };
    let point = curve[at].dose.as_f64();
    let before = r.before.per_day.as_f64();
    let curve_before = at.checked_sub(1).map_or(before, |p| curve[p].dose.as_f64());
    let behind = before * (1.0 - phase_step) > point + EPS;
    let not_past = r.now.per_day.as_f64() >= point - EPS;
    let curve_within = point >= curve_before * (1.0 - phase_step) - 1e-6;
    if behind && not_past && curve_within {
        phase_step * (1.0 + catch_up)
    } else {
        phase_step
    }
}

fn form_is_liquid(form: Form) -> bool {
    form.is_liquid()
}
