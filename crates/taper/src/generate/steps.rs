//! The step loop: each drug looked at on its check days, its step chosen against its
//! curve, the maximum, the ceiling and its class; then the plan's steps, products and
//! ideal line.

use jiff::Span;

use crate::amount::Amount;
use crate::error::{InputError, Problem};
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::EquivalentUnit;
use crate::regimen::{Slots, slots_total};

use super::curve;
use super::cut::{best_cut, largest_cut};
use super::products::{drug_step, totals};
use super::setup::Setup;
use super::track::*;

/// What the step loop decided on one day, over the drugs looked at that day.
#[derive(Default)]
struct Today {
    notes: Vec<Notice>,
    changed: bool,
    /// The opening phase of a drug reduced today, which names the step.
    step_phase: Option<usize>,
    /// Per class (or drug, without equivalents): what changed today. A step larger
    /// than the maximum (granular, or a stop) is the only change of its class that
    /// day, so two of them never add up.
    class_changes: Vec<(ClassKey, bool)>,
}

/// The plan's steps as the loop makes them, and each drug's change and aim for the
/// next step.
pub(super) struct Made {
    pub(super) steps: Vec<Step>,
    pub(super) changes: Vec<Change>,
    pub(super) aims: Vec<Option<Amount>>,
    /// Whether a step caught up with its curve.
    pub(super) caught_up: bool,
}

impl Setup<'_> {
    /// Makes the plan: the switch to diazepam first, if any, then the reduction, then
    /// the plan's products, step lengths, notes and ideal line ([`Setup::finish`]).
    pub(super) fn run(mut self, request: &PlanRequest) -> Result<Plan, InputError> {
        let interval_days = i64::from(request.pace().interval_weeks()) * 7;
        let mut made = Made {
            steps: Vec::new(),
            changes: vec![Change::Same; self.drugs.len()],
            aims: vec![None; self.drugs.len()],
            caught_up: false,
        };

        // Drugs tapered in parallel change on one weekly rhythm (a step lasts at least a
        // week): a patch then steps on a change day that is also on that rhythm.
        if self.parallel && self.tracks.len() > 1 {
            for t in &mut self.tracks {
                if let Some(c) = t.change_days {
                    t.change_days = Some(c * 7 / gcd(c, 7));
                }
            }
        }

        // Phase 1: switch to diazepam in portions.
        let mut taper_from = 0i64;
        let mut warnings = Vec::new();
        // The switch changes the benzodiazepines' class total too: its last portion is
        // the class's last change when the reduction starts, so a stop of what is left
        // of a switched drug keeps the ceiling's rate from it (the checker counts it).
        let mut class_last_change = ClassDays::default();
        if let Some(sw) = self.switch.clone() {
            let (end, switch_warnings) = self.switch_phase(
                &sw,
                request,
                &mut made.steps,
                &mut made.changes,
                &mut made.aims,
            );
            warnings = switch_warnings;
            taper_from = (end - sw.every + interval_days).max(0);
            if let Some(last_portion) = made.steps.last().map(|s| self.day_of(s.start)) {
                class_last_change
                    .insert_or_update(ClassKey::Unit(EquivalentUnit::De), last_portion);
            }
            let dz = sw.dz;
            self.tracks[dz].baseline_total = self.tracks[dz].total();
            self.tracks[dz].start_total = self.tracks[dz].total();
        }

        // Phase 2: reduce.
        self.reduce(request, taper_from, class_last_change, &mut made)?;
        self.finish(request, made, warnings)
    }

    /// The day of a date, counted from the plan's start.
    fn day_of(&self, date: jiff::civil::Date) -> i64 {
        (date - self.start).get_days().into()
    }

    /// Starts tapering drug `i` on `day`: its curve from its dose then.
    fn activate(&mut self, i: usize, day: i64, request: &PlanRequest) {
        let r = &request.pace();
        let interval_days = i64::from(r.interval_weeks()) * 7;
        let t = &mut self.tracks[i];
        t.state = State::Active;
        t.next_check = on_change_day(t, day);
        t.taper_start = Some(day);
        t.start_total = t.total();
        t.last_change = t.last_change.min(day - interval_days);
        t.curve = curve::build(t, r, &request.phases);
    }

    /// The step loop: from `taper_from`, each active drug looked at on its check day,
    /// in the taper order (one after the other, or all together), until every drug is
    /// done. A day on which a drug changed makes a step.
    fn reduce(
        &mut self,
        request: &PlanRequest,
        taper_from: i64,
        mut class_last_change: ClassDays,
        made: &mut Made,
    ) -> Result<(), InputError> {
        let interval_days = i64::from(request.pace().interval_weeks()) * 7;
        let mut queue: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| self.tracks[i].state != State::Done)
            .collect();
        queue.reverse();
        if self.parallel {
            while let Some(i) = queue.pop() {
                self.activate(i, taper_from, request);
            }
        } else if let Some(i) = queue.pop() {
            self.activate(i, taper_from, request);
        }
        while let Some(day) = self
            .tracks
            .iter()
            .filter(|t| t.state == State::Active)
            .map(|t| t.next_check)
            .min()
        {
            if day > MAX_DAYS {
                return Err(InputError::new(
                    "reduction",
                    Problem::TooLong { years: MAX_YEARS },
                ));
            }
            let mut today = Today::default();
            for i in 0..self.tracks.len() {
                if self.tracks[i].state != State::Active || self.tracks[i].next_check != day {
                    continue;
                }
                self.look_at(i, day, request, &class_last_change, &mut today, made);
                if self.tracks[i].state == State::Done
                    && !self.parallel
                    && let Some(next) = queue.pop()
                {
                    self.activate(next, day + interval_days, request);
                }
            }
            if today.changed {
                for (key, _) in &today.class_changes {
                    class_last_change.insert_or_update(*key, day);
                }
                let phase = today
                    .step_phase
                    .map_or(Phase::Taper, |k| Phase::Opening(k as u8));
                self.push_step(
                    &mut made.steps,
                    day,
                    &mut made.changes,
                    &mut made.aims,
                    today.notes,
                    phase,
                );
            }
        }
        Ok(())
    }

    /// Drug `i` on its check day: waits, steps (unless its class already changed today
    /// or its class's rate forbids a larger step) or is done.
    fn look_at(
        &mut self,
        i: usize,
        day: i64,
        request: &PlanRequest,
        class_last_change: &ClassDays,
        today: &mut Today,
        made: &mut Made,
    ) {
        let r = &request.pace();
        let limits = &request.limits;
        let max_step = limits.max_step_percent / 100.0;
        let mut outcome = self.evaluate(i, day, r, limits, max_step, request);
        let key = class_key(&self.drugs[i], i);
        if let Outcome::Step { change, slots, .. } = &outcome {
            let exempt = *change != Change::Reduced;
            let clash = today
                .class_changes
                .iter()
                .any(|(k, e)| *k == key && (exempt || *e));
            if clash || (exempt && !self.class_rate_allows(i, slots, day, class_last_change)) {
                outcome = Outcome::Wait;
            } else {
                today.class_changes.push((key, exempt));
            }
        }
        let t = &mut self.tracks[i];
        match outcome {
            Outcome::Wait => {
                t.next_check = on_change_day(t, next_check_day(t, r, day));
            }
            Outcome::Step {
                slots,
                change,
                aim,
                mut step_notes,
                catch_up,
            } => {
                made.caught_up |= catch_up;
                if matches!(change, Change::Reduced | Change::Granular) {
                    today.step_phase = today
                        .step_phase
                        .or(curve::opening_phase(&request.phases, t.reductions));
                    t.reductions += 1;
                }
                t.slots = slots;
                t.last_change = day;
                let total = t.total();
                t.history.push((day, total));
                made.changes[i] = change;
                made.aims[i] = aim;
                today.changed = true;
                if !t.low_dose_noted && is_low_dose(t, r) && change == Change::Reduced {
                    t.low_dose_noted = true;
                    step_notes.push(Notice::LowDoseSlower {
                        substance: self.drugs[i].name.clone(),
                    });
                }
                today.notes.append(&mut step_notes);
                if change == Change::Stopped {
                    t.state = State::Done;
                } else {
                    t.next_check = on_change_day(t, next_check_day(t, r, day));
                }
            }
            Outcome::Done => {
                t.state = State::Done;
                if !t.target.is_zero() {
                    let note = Notice::TargetReached {
                        substance: self.drugs[i].name.clone(),
                    };
                    if today.changed {
                        today.notes.push(note);
                    } else if let Some(last) = made.steps.last_mut() {
                        last.notes.push(note);
                    }
                }
            }
        }
    }

    pub(super) fn push_step(
        &self,
        steps: &mut Vec<Step>,
        day: i64,
        changes: &mut [Change],
        aims: &mut [Option<Amount>],
        notes: Vec<Notice>,
        phase: Phase,
    ) {
        let drugs: Vec<DrugStep> = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| drug_step(&t.menu, &t.slots, changes[i], aims[i], &[]))
            .collect();
        let totals = totals(&self.drugs, &drugs);
        steps.push(Step {
            number: steps.len() + 1,
            start: self.start.saturating_add(Span::new().days(day)),
            days: None,
            drugs,
            totals,
            notes,
            signed: None,
            phase,
        });
        changes.iter_mut().for_each(|c| *c = Change::Same);
        aims.iter_mut().for_each(|a| *a = None);
    }

    /// A step larger than the maximum for one drug must also keep its class's total within
    /// the ceiling's rate, counted from the class's last change and from just before each
    /// change of the class in the last two weeks — so with several drugs of a class
    /// tapered in parallel, a big step waits until the others pause.
    fn class_rate_allows(&self, i: usize, slots: &Slots, day: i64, last: &ClassDays) -> bool {
        let ClassKey::Unit(unit) = class_key(&self.drugs[i], i) else {
            return true;
        };
        let members: Vec<usize> = (0..self.drugs.len())
            .filter(|&j| class_key(&self.drugs[j], j) == ClassKey::Unit(unit))
            .filter(|&j| j == i || !self.tracks[j].total().is_zero())
            .collect();
        if members.len() < 2 {
            return true;
        }
        let factor = |j: usize| {
            self.drugs[j]
                .factor
                .as_ref()
                .map(|f| f.factor)
                .unwrap_or(0.0)
        };
        let before: f64 = members
            .iter()
            .map(|&j| self.tracks[j].total().as_f64() * factor(j))
            .sum();
        let after =
            before - (self.tracks[i].total().as_f64() - slots_total(slots).as_f64()) * factor(i);
        if before <= 0.0 {
            return true;
        }
        let since = last.get(ClassKey::Unit(unit)).unwrap_or(i64::MIN / 2);
        let rate = |days: i64| {
            (1.0 - HARD_CEILING_FRACTION)
                .powf(days.clamp(0, 10 * 365) as f64 / f64::from(HARD_CEILING_DAYS as u32))
        };
        if after / before < rate(day - since) - 1e-9 {
            return false;
        }
        // Nor faster than the ceiling's rate since just before any change of the class in
        // the last two weeks: a cut of another drug a week ago counts too.
        let window = day - i64::from(HARD_CEILING_DAYS);
        members
            .iter()
            .flat_map(|&j| self.tracks[j].history.iter().map(|(d, _)| *d))
            .filter(|d| *d > window && *d < day)
            .all(|d| {
                let then: f64 = members
                    .iter()
                    .map(|&j| self.tracks[j].dose_at(d - 1).as_f64() * factor(j))
                    .sum();
                after >= then * rate(day - d) - 1e-9
            })
    }

    /// The last step of a drug: stopped.
    fn stop(&self, i: usize) -> Outcome {
        Outcome::Step {
            slots: [Amount::ZERO; 4],
            change: Change::Stopped,
            aim: None,
            step_notes: vec![Notice::Stopped {
                substance: self.drugs[i].name.clone(),
            }],
            catch_up: false,
        }
    }

    fn evaluate(
        &self,
        i: usize,
        day: i64,
        r: &Reduction,
        limits: &Limits,
        max_step: f64,
        request: &PlanRequest,
    ) -> Outcome {
        let t = &self.tracks[i];
        let a = t.total();
        if a.is_zero() || (!t.target.is_zero() && a <= t.target) {
            return Outcome::Done;
        }
        let point = curve::at(&t.curve, day);
        let interval = point.map_or_else(|| track_interval(t, r), |p| p.interval);
        let held = day - t.last_change;
        let held_in_plan = day - t.last_change.max(t.taper_start.unwrap_or(day) - interval);
        // The last dose is held inside the plan before a stop: a drug already at its
        // smallest dose is not stopped on the plan's first day.
        let held_before_stop = day - t.last_change.max(t.taper_start.unwrap_or(day));
        // The end rule: below the chosen share of the starting dose, the last dose is
        // held and then stopped.
        if let Some(percent) = limits.stop_below_percent
            && t.target.is_zero()
            && a.as_f64() <= t.start_total.as_f64() * percent / 100.0 + 1e-9
        {
            if held_before_stop >= i64::from(limits.final_hold_weeks) * 7 {
                return self.stop(i);
            }
            return Outcome::Wait;
        }
        // The aim: the curve's point for today.
        let aim = match point {
            Some(p) => p.dose,
            None => strategy_aim(t, r, a, held as f64 / interval as f64),
        }
        .max(t.target.as_f64());
        // The largest step: the maximum, or an opening phase's own percent; a step back
        // to a curve that itself moves no faster may be `catch_up` larger.
        // The opening phases are each drug's first reductions (however late they come).
        let phase_step = curve::opening_phase(&request.phases, t.reductions)
            .and_then(|k| request.phases.get(k))
            .map_or(max_step, |p| (p.percent / 100.0).max(max_step));
        let normal_floor = a.as_f64() * (1.0 - phase_step);
        // A dose at or below the curve waits for it while the products can make a step
        // within the maximum; where they cannot, the hold rule of a larger step below
        // decides, as it does for the last dose.
        if a.as_f64() <= aim + 1e-9
            && best_cut(
                &t.menu,
                &t.slots,
                Amount((normal_floor * 1e6).ceil() as i64),
                a,
                t.rule,
            )
            .is_some()
        {
            return Outcome::Wait;
        }
        let curve_within = point.is_none_or(|p| p.dose >= p.before * (1.0 - phase_step) - 1e-6);
        let catch_up = aim < normal_floor - 1e-9 && curve_within;
        let floor_step = if catch_up {
            a.as_f64() * (1.0 - phase_step * (1.0 + self.catch_up))
        } else {
            normal_floor
        };
        let ceiling_floor =
            t.dose_at(day - i64::from(HARD_CEILING_DAYS)).as_f64() * (1.0 - HARD_CEILING_FRACTION);
        let desired = aim
            .max(floor_step)
            .max(ceiling_floor)
            .max(t.target.as_f64());
        let desired = Amount((desired * 1e6).ceil() as i64);
        if let Some(slots) = best_cut(&t.menu, &t.slots, desired, a, t.rule) {
            let mut notes = Vec::new();
            if aim < floor_step - 1e-9 && !curve_within {
                notes.push(Notice::Capped {
                    substance: self.drugs[i].name.clone(),
                    max_percent: limits.max_step_percent,
                });
            }
            let catch_up = catch_up && slots_total(&slots).as_f64() < normal_floor - 1e-9;
            return Outcome::Step {
                slots,
                change: Change::Reduced,
                aim: Some(desired),
                step_notes: notes,
                catch_up,
            };
        }
        let Some(slots) = largest_cut(&t.menu, &t.slots, a, t.target, t.rule) else {
            return Outcome::Done;
        };
        let g = slots_total(&slots);
        if !t.target.is_zero() && g < t.target {
            return Outcome::Done;
        }
        if g.is_zero() {
            // The last dose: held, then stopped.
            if held_before_stop >= i64::from(limits.final_hold_weeks) * 7 {
                return self.stop(i);
            }
            return Outcome::Wait;
        }
        // A step larger than the products allow otherwise waits until the curve has
        // come halfway (geometrically) from the dose to the step's: the plan is then as
        // much above the curve before it as below after it, neither slower nor faster
        // than asked on the whole.
        if point.is_some() && aim > (a.as_f64() * g.as_f64()).sqrt() + 1e-9 {
            return Outcome::Wait;
        }
        let cut = 1.0 - g.as_f64() / a.as_f64();
        let rate_ok = 1.0 - cut
            >= (1.0 - HARD_CEILING_FRACTION)
                .powf(held_in_plan as f64 / f64::from(HARD_CEILING_DAYS as u32))
                - 1e-9;
        if held_in_plan >= 2 * interval && rate_ok {
            return Outcome::Step {
                slots,
                change: Change::Granular,
                aim: Some(desired),
                step_notes: vec![Notice::Granular {
                    substance: self.drugs[i].name.clone(),
                    cut_percent: (cut * 1000.0).round() / 10.0,
                    finer: t.finer.clone(),
                    oral: t.oral.clone().filter(|_| cut >= 0.25 - 1e-9),
                }],
                catch_up: false,
            };
        }
        Outcome::Wait
    }
}

/// Drugs whose doses add up: a unit of equivalents, or the drug alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClassKey {
    Unit(EquivalentUnit),
    Drug(usize),
}

/// The day each class last changed.
#[derive(Debug, Default)]
struct ClassDays(Vec<(ClassKey, i64)>);

impl ClassDays {
    fn get(&self, key: ClassKey) -> Option<i64> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
    }

    fn insert_or_update(&mut self, key: ClassKey, day: i64) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = day,
            None => self.0.push((key, day)),
        }
    }
}

fn class_key(drug: &PlanDrug, index: usize) -> ClassKey {
    match &drug.factor {
        Some(f) => ClassKey::Unit(f.unit),
        None => ClassKey::Drug(index),
    }
}

enum Outcome {
    Wait,
    Step {
        slots: Slots,
        change: Change,
        aim: Option<Amount>,
        step_notes: Vec<Notice>,
        /// The step is larger than the maximum to get back to the curve.
        catch_up: bool,
    },
    Done,
}
