//! Invariants 1–3 and 6, the changes between consecutive steps: no rise without a signature, no cut
//! larger than allowed, the ceiling of 25 % in two weeks — per drug, per class of
//! several drugs and across a switch to diazepam —, stops only from the smallest dose,
//! held long enough, and no step below its aim.

use std::collections::HashMap;

use super::{Checker, EPS, Rule};
use crate::notice::Notice;
use crate::plan::{Change, DrugStep, HARD_CEILING_DAYS, HARD_CEILING_FRACTION, Plan};
use crate::reference::EquivalentUnit;

/// What one step's drugs did, as its class totals are judged.
struct StepCuts {
    /// Whether a drug's step is exempt from the step limit (granular, a stop, a switch,
    /// a signed change).
    exempt: bool,
    /// The drugs whose step is larger than the maximum (granular or a stop).
    exempt_drugs: Vec<usize>,
    /// The largest cut a reduced drug of this step may make (an opening phase's own,
    /// or a step back to the curve).
    step_max: f64,
}

/// What the walk over the steps remembers of each drug.
#[derive(Default)]
struct History {
    /// The day each drug's dose last changed.
    last_change: HashMap<usize, i64>,
    /// Each drug's reductions so far: the first ones are the opening phases'.
    reductions: HashMap<usize, usize>,
}

impl<'a> Checker<'a> {
    /// Checks each step against the one before it.
    pub(super) fn changes(&mut self) {
        let plan = self.plan;
        let mut history = History::default();
        for (k, s) in plan.steps.iter().enumerate() {
            let signed = s.signed.is_some();
            // A switch to diazepam moves doses between drugs: their total in equivalents
            // never rises, and falls no faster than the ceiling allows.
            let switching = s
                .drugs
                .iter()
                .any(|d| matches!(d.change, Change::CrossOverIn | Change::CrossOverOut));
            if switching && !signed {
                self.switch_total(k);
            }
            let cuts = self.drug_changes(k, &mut history);
            if !signed && !switching {
                for &i in &cuts.exempt_drugs {
                    self.class_ceiling(k, i);
                }
            }
            self.class_totals(k, &cuts);
        }
    }

    /// The drugs of step `k` before it: the baseline's, or the step before's.
    fn before(&self, k: usize) -> &'a [DrugStep] {
        let plan = self.plan;
        if k == 0 {
            &plan.baseline
        } else {
            &plan.steps[k - 1].drugs
        }
    }

    /// A switch's total in diazepam equivalents: no rise, no cut larger than the step
    /// limit, and within the ceiling over two weeks.
    fn switch_total(&mut self, k: usize) {
        let plan = self.plan;
        let s = &plan.steps[k];
        let day = self.day_of(k);
        let total_on = |k: Option<usize>| {
            let totals = k.map_or(&plan.baseline_totals, |k| &plan.steps[k].totals);
            totals
                .iter()
                .find(|t| t.unit == EquivalentUnit::De)
                .map(|t| t.per_day)
        };
        let before = total_on(k.checked_sub(1));
        let now = total_on(Some(k));
        let (Some(before), Some(now)) = (before, now) else {
            return;
        };
        if now > before + EPS {
            self.v(s.number, None, Rule::Rise, format!("DE {before} → {now}"));
        }
        if now < before * (1.0 - self.max_step) - EPS {
            self.v(
                s.number,
                None,
                Rule::StepTooLarge,
                format!("DE {before} → {now} in a switch"),
            );
        }
        let window_start = day - i64::from(HARD_CEILING_DAYS);
        let then = (0..k)
            .rev()
            .find(|&j| self.day_of(j) <= window_start)
            .map(Some)
            .map_or(total_on(None), total_on);
        if let Some(then) = then
            && now < then * (1.0 - HARD_CEILING_FRACTION) - EPS
        {
            self.v(s.number, None, Rule::Ceiling, format!("DE {then} → {now}"));
        }
    }

    /// Each drug's change at step `k`, judged by the kind of change it is marked as.
    fn drug_changes(&mut self, k: usize, history: &mut History) -> StepCuts {
        let plan = self.plan;
        let s = &plan.steps[k];
        let prev = self.before(k);
        let day = self.day_of(k);
        let signed = s.signed.is_some();
        let mut cuts = StepCuts {
            exempt: false,
            exempt_drugs: Vec::new(),
            step_max: self.max_step,
        };
        for (i, (now, before)) in s.drugs.iter().zip(prev).enumerate() {
            let held = day
                - history
                    .last_change
                    .get(&i)
                    .copied()
                    .unwrap_or(-self.interval_days);
            if now.per_day != before.per_day {
                history.last_change.insert(i, day);
            }
            if now.per_day > before.per_day && !signed && now.change != Change::CrossOverIn {
                self.v(
                    s.number,
                    Some(i),
                    Rule::Rise,
                    format!("{} → {}", before.per_day, now.per_day),
                );
            }
            if now.per_day >= before.per_day {
                continue;
            }
            let nth = history.reductions.get(&i).copied().unwrap_or(0);
            if matches!(
                now.change,
                Change::Reduced | Change::Edited | Change::Granular
            ) {
                history.reductions.insert(i, nth + 1);
            }
            let reduction = Reduction {
                drug: i,
                nth,
                day,
                before,
                now,
            };
            match now.change {
                Change::Reduced | Change::Edited => {
                    let allowed = self.reduced(s.number, &reduction);
                    cuts.step_max = cuts.step_max.max(allowed);
                }
                Change::Granular => {
                    cuts.exempt = true;
                    cuts.exempt_drugs.push(i);
                    self.granular(k, &reduction, held);
                }
                Change::Stopped => {
                    cuts.exempt = true;
                    cuts.exempt_drugs.push(i);
                    self.stopped(s.number, &reduction, held);
                }
                Change::CrossOverOut => cuts.exempt = true,
                Change::StepBack | Change::CrossOverIn | Change::Same => {
                    if !signed {
                        self.v(
                            s.number,
                            Some(i),
                            Rule::Unexplained,
                            format!("reduced but marked {:?}", now.change),
                        );
                    }
                    cuts.exempt = true;
                }
            }
        }
        cuts
    }

    /// A reduction within the step limit (the opening phases' own, or a catch-up to the
    /// curve), the ceiling over two weeks and the step's aim. Returns the cut allowed.
    fn reduced(&mut self, number: usize, r: &Reduction<'_>) -> f64 {
        let i = r.drug;
        let cut = 1.0 - r.now.per_day.as_f64() / r.before.per_day.as_f64();
        let allowed = step_allowed(self.plan, r, self.max_step, self.catch_up);
        if cut > allowed + EPS {
            self.v(
                number,
                Some(i),
                Rule::StepTooLarge,
                format!("{:.1} % cut", cut * 100.0),
            );
        }
        let two_weeks_ago = self.dose_on(i, r.day - i64::from(HARD_CEILING_DAYS));
        if r.now.per_day.as_f64() < two_weeks_ago.as_f64() * (1.0 - HARD_CEILING_FRACTION) - EPS {
            self.v(
                number,
                Some(i),
                Rule::Ceiling,
                format!("{} two weeks after {}", r.now.per_day, two_weeks_ago),
            );
        }
        if let Some(aim) = r.now.aim
            && r.now.per_day < aim
        {
            self.v(
                number,
                Some(i),
                Rule::TooFast,
                format!("{} below the aim {}", r.now.per_day, aim),
            );
        }
        allowed
    }

    /// A step larger than the maximum because the products cannot make a smaller one:
    /// the dose before it held long enough for the ceiling's rate, and its reason shown.
    fn granular(&mut self, k: usize, r: &Reduction<'_>, held: i64) {
        let plan = self.plan;
        let s = &plan.steps[k];
        let i = r.drug;
        let cut = 1.0 - r.now.per_day.as_f64() / r.before.per_day.as_f64();
        let allowed =
            (1.0 - HARD_CEILING_FRACTION).powf(held as f64 / f64::from(HARD_CEILING_DAYS as u32));
        if 1.0 - cut < allowed - EPS {
            self.v(
                s.number,
                Some(i),
                Rule::Ceiling,
                format!("{:.1} % after {held} days", cut * 100.0),
            );
        }
        let name = &plan.drugs[i].name;
        if !s
            .notes
            .iter()
            .any(|n| matches!(n, Notice::Granular { substance, .. } if substance == name))
        {
            self.v(
                s.number,
                Some(i),
                Rule::Unexplained,
                "a larger step without its reason".into(),
            );
        }
    }

    /// A stop: from the smallest dose (or from it at each of at most two dose times, or
    /// from at most the chosen share of the starting dose), held long enough.
    fn stopped(&mut self, number: usize, r: &Reduction<'_>, held: i64) {
        let plan = self.plan;
        let limits = &plan.request.limits;
        let i = r.drug;
        let (now, before) = (r.now, r.before);
        let start = plan
            .steps
            .iter()
            .map(|s| s.drugs[i].per_day)
            .chain([plan.baseline[i].per_day])
            .max()
            .unwrap_or_default();
        let chosen_end = limits
            .stop_below_percent
            .is_some_and(|p| before.per_day.as_f64() <= start.as_f64() * p / 100.0 + EPS);
        // From the smallest dose, or (a drug that keeps its dosing interval) from the
        // smallest dose at each dose time it is taken.
        let smallest = self.smallest[i];
        let taken = before.doses.iter().flatten().count();
        let each_smallest =
            taken <= 2 && before.doses.iter().flatten().all(|d| d.amount == smallest);
        if !now.per_day.is_zero() || (before.per_day != smallest && !each_smallest && !chosen_end) {
            self.v(
                number,
                Some(i),
                Rule::Stop,
                format!("stopped from {}", before.per_day),
            );
        }
        if held < i64::from(limits.final_hold_weeks) * 7 {
            self.v(
                number,
                Some(i),
                Rule::Stop,
                format!("the last dose held {held} days"),
            );
        }
    }

    /// A step larger than the maximum in a class of several drugs keeps the class total
    /// within the ceiling's rate from just before each change of the class in the last
    /// two weeks, and from its last change.
    fn class_ceiling(&mut self, k: usize, i: usize) {
        let plan = self.plan;
        let s = &plan.steps[k];
        let prev = self.before(k);
        let day = self.day_of(k);
        let Some(unit) = plan.drugs[i].factor.as_ref().map(|f| f.unit) else {
            return;
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
            return;
        }
        let total_on = |d: i64| -> f64 {
            members
                .iter()
                .map(|&j| {
                    self.dose_on(j, d).as_f64()
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
                let before_m = self.before(m);
                members
                    .iter()
                    .any(|&j| plan.steps[m].drugs[j].per_day != before_m[j].per_day)
            })
            .map(|m| self.day_of(m))
            .collect();
        // From the total now, since the class's last change; and from just before each
        // change inside the window.
        let since_last = changes.last().map(|&last| (total_on(day - 1), day - last));
        let in_window = changes
            .iter()
            .copied()
            .filter(|d| *d > day - i64::from(HARD_CEILING_DAYS))
            .map(|d| (total_on(d - 1), day - d));
        let broken = since_last
            .into_iter()
            .chain(in_window)
            .find(|&(then, days)| now_total < then * rate(days) - EPS * then.max(1.0));
        if let Some((then, days)) = broken {
            self.v(
                s.number,
                Some(i),
                Rule::Ceiling,
                format!("class total {then} → {now_total} in {days} days"),
            );
        }
    }

    /// Class totals never rise unsigned, and stay within the step limit unless a drug's
    /// step is exempt (granular, stop, switch).
    fn class_totals(&mut self, k: usize, cuts: &StepCuts) {
        let plan = self.plan;
        let s = &plan.steps[k];
        let signed = s.signed.is_some();
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
            let (Some(now), Some(before)) = (now, before) else {
                continue;
            };
            if now > before + EPS && !signed {
                self.v(
                    s.number,
                    None,
                    Rule::Rise,
                    format!("{} {before} → {now}", unit.label()),
                );
            }
            if !cuts.exempt && before > 0.0 && 1.0 - now / before > cuts.step_max + EPS {
                self.v(
                    s.number,
                    None,
                    Rule::StepTooLarge,
                    format!("{} cut {:.1} %", unit.label(), (1.0 - now / before) * 100.0),
                );
            }
        }
    }
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
fn step_allowed(plan: &Plan, r: &Reduction<'_>, max_step: f64, catch_up: f64) -> f64 {
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
