//! The switch to diazepam, in portions (Ashton).
//!
//! At each step one portion of one dose time of a switched drug is taken away — the
//! evening or night dose first, a dose time emptied before the next is touched — and
//! diazepam takes its place. A portion is `switch_portion_de` diazepam equivalents
//! (Ashton: 0.5 mg alprazolam for 10 mg diazepam a week), rounded to what the drug's
//! products make; a dose time smaller than a portion goes whole.
//!
//! Diazepam is kept at one dose (evening or night) up to `diazepam_one_dose_up_to` mg
//! a day and at two (morning and evening, as equal as the tablets allow) above it; a
//! third at noon only when two doses cannot hold the day's dose with the tablets a dose
//! may have.
//!
//! The total DE never rises. When the starting DE is at or below the diazepam ceiling
//! (`diazepam_max_per_day`), it stays constant: each portion is replaced by its full
//! equivalent, rounded down to what diazepam can make. Above the ceiling the switch also
//! reduces, at the plan's own rate per interval (scaled to the switch's interval) and
//! never below the ceiling: the diazepam added is what brings the total to that falling
//! target, never less than nothing and never more than the portion's equivalent (for
//! the hyperbolic and linear paces, the largest step is the rate). A plan whose diazepam
//! at any step is above the rules' ceiling a day or per dose — a plan may lower the
//! ceilings, never raise what must be confirmed — says so among its warnings, and the
//! prescriber confirms it when signing ([`Notice::needs_confirmation`]).

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::notice::Notice;
use crate::plan::*;
use crate::regimen::{Slots, slots_total};

use super::setup::{Setup, SwitchPlan};
use super::track::{State, Track};

/// Dose times in the order they are switched to diazepam (Ashton starts with the
/// evening or night dose).
const SWITCH_ORDER: [usize; 4] = [3, 2, 1, 0];

/// The slot diazepam's single dose goes to: the night when a switched drug is taken at
/// night (a hypnotic), otherwise the evening.
fn single_slot(tracks: &[Track], switched: &[usize]) -> usize {
    if switched.iter().any(|&x| !tracks[x].slots[3].is_zero()) {
        3
    } else {
        2
    }
}

/// Diazepam's doses for a day's total: the largest split at or below `total` in one dose
/// (up to `one_dose_up_to`) or two (morning and `slot`, the later one at least as large,
/// as equal as the products allow).
fn diazepam_slots(menu: &Menu, total: Amount, one_dose_up_to: f64, slot: usize) -> Slots {
    let mut out = [Amount::ZERO; 4];
    if total.is_zero() {
        return out;
    }
    if total.as_f64() <= one_dose_up_to + 1e-9 {
        out[slot] = menu.at_most(total);
        return out;
    }
    // (sum, difference, later, earlier): the largest sum, then the most equal.
    let mut best: Option<(Amount, Amount, Amount, Amount)> = None;
    for later in menu.amounts() {
        if later > total || later.0 * 2 < total.0 {
            continue;
        }
        let earlier = menu.at_most(total - later).min(later);
        let sum = later + earlier;
        let diff = later - earlier;
        let better = match best {
            None => true,
            Some((s, d, _, _)) => sum > s || (sum == s && diff < d),
        };
        if better {
            best = Some((sum, diff, later, earlier));
        }
    }
    if let Some((sum, _, later, earlier)) = best {
        out[slot] = later;
        out[0] = earlier;
        if sum == total {
            return out;
        }
    }
    // Two doses cannot hold it (at most so many tablets a dose): a third at noon, the
    // three as equal as the products allow.
    let mut three = [Amount::ZERO; 4];
    let mut left = total;
    for (k, time) in [0usize, 1, slot].into_iter().enumerate() {
        let share = Amount(left.0 / (3 - k) as i64);
        three[time] = if k == 2 {
            menu.at_most(left)
        } else {
            menu.at_most(share)
        };
        left = left - three[time];
    }
    if slots_total(&three) > slots_total(&out) {
        three
    } else {
        out
    }
}

impl Setup<'_> {
    fn factor(&self, i: usize) -> f64 {
        self.drugs[i]
            .factor
            .as_ref()
            .map(|f| f.factor)
            .unwrap_or(1.0)
    }

    fn de_of(&self, tracks: &[usize]) -> f64 {
        tracks
            .iter()
            .map(|&i| self.tracks[i].total().as_f64() * self.factor(i))
            .sum()
    }

    /// The next portion: the track, the dose time and its dose after the portion.
    fn next_portion(&self, sw: &SwitchPlan) -> Option<(usize, usize, Amount)> {
        for &x in &sw.switched {
            for slot in SWITCH_ORDER {
                let dose = self.tracks[x].slots[slot];
                if dose.is_zero() {
                    continue;
                }
                let left = Amount::from_f64((dose.as_f64() - sw.portion[x]).max(0.0))
                    .unwrap_or(Amount::ZERO);
                // The dose left after a portion, rounded to what the products make; when
                // that rounds back to the whole dose, the next smaller dose (never the
                // whole dose time at once for a small portion).
                let after = match self.tracks[x].menu.at_least(left) {
                    Some(a) if a < dose => a,
                    _ => self.tracks[x].menu.below(dose).unwrap_or(Amount::ZERO),
                };
                return Some((x, slot, after));
            }
        }
        None
    }

    /// Runs the switch from day 0; returns the day after its last portion's interval
    /// and the warnings it gives.
    pub(super) fn switch_phase(
        &mut self,
        sw: &SwitchPlan,
        request: &PlanRequest,
        steps: &mut Vec<Step>,
        changes: &mut [Change],
        aims: &mut [Option<Amount>],
    ) -> (i64, Vec<Notice>) {
        let mut warnings = Vec::new();
        let dz = sw.dz;
        let dz_factor = self.factor(dz);
        let mut members = sw.switched.clone();
        members.push(dz);
        let start_de = self.de_of(&members);
        let ceiling_de = sw.max_per_day * dz_factor;
        let high = start_de > ceiling_de + 1e-9;
        let max_step = request.limits.max_step_percent / 100.0;
        let fall = if high { portion_fall(request, sw) } else { 0.0 };
        let slot = single_slot(&self.tracks, &sw.switched);
        let mut day = 0i64;
        let mut peak = (0.0f64, 0.0f64);
        // (day, DE) after each portion, for the ceiling's two-week window.
        let mut de_history: Vec<(i64, f64)> = Vec::new();
        let mut stuck = None;
        while let Some((x, time, first_after)) = self.next_portion(sw) {
            let before_de = self.de_of(&members);
            let then_de = de_history
                .iter()
                .rev()
                .find(|(d, _)| *d <= day - i64::from(HARD_CEILING_DAYS))
                .map(|(_, de)| *de)
                .unwrap_or(start_de);
            let floor_de =
                (then_de * (1.0 - HARD_CEILING_FRACTION)).max(before_de * (1.0 - max_step));
            let target_de = if high {
                (before_de * (1.0 - fall)).max(ceiling_de).min(before_de)
            } else {
                before_de
            };
            let dose = self.tracks[x].slots[time];
            let current = self.tracks[dz].total();
            let fx = self.factor(x);
            let old_de = self.de_of(&sw.switched);
            // The portion, or a smaller one when diazepam cannot grow enough to keep the
            // total above the floor (at most so many tablets a dose).
            let choice = std::iter::once(first_after)
                .chain(
                    self.tracks[x]
                        .menu
                        .amounts()
                        .filter(|a| *a > first_after && *a < dose),
                )
                .find_map(|after| {
                    let taken = dose - after;
                    let old_after = old_de - taken.as_f64() * fx;
                    let want = ((target_de - old_after) / dz_factor)
                        .max(current.as_f64())
                        .min(current.as_f64() + taken.as_f64() * fx / dz_factor);
                    let want = Amount::from_f64(want).unwrap_or(current).max(current);
                    let mut slots =
                        diazepam_slots(&self.tracks[dz].menu, want, sw.one_dose_up_to, slot);
                    if slots_total(&slots) < current {
                        // The split cannot make more than before: diazepam stays.
                        slots = self.tracks[dz].slots;
                    }
                    let total = old_after + slots_total(&slots).as_f64() * dz_factor;
                    (total >= floor_de - 1e-9).then_some((after, slots, total))
                });
            let Some((after, slots, total_de)) = choice else {
                stuck = Some(x);
                break;
            };
            let taken = dose - after;
            self.tracks[x].slots[time] = after;
            let added = slots_total(&slots) - current;
            let moved = self.tracks[dz].slots != slots;
            self.tracks[dz].slots = slots;
            de_history.push((day, total_de));
            for t in [x, dz] {
                let total = self.tracks[t].total();
                self.tracks[t].history.push((day, total));
                self.tracks[t].last_change = day;
            }
            let per_dose = slots.iter().map(|a| a.as_f64()).fold(0.0, f64::max);
            peak = (
                peak.0.max(slots_total(&slots).as_f64()),
                peak.1.max(per_dose),
            );
            changes[x] = Change::CrossOverOut;
            if moved {
                changes[dz] = Change::CrossOverIn;
            }
            let notes = vec![Notice::CrossOverPortion {
                from: self.drugs[x].name.clone(),
                amount: taken.as_f64(),
                time,
                diazepam: added.as_f64(),
            }];
            self.push_step(steps, day, changes, aims, notes, Phase::Switch);
            day += sw.every;
        }
        if let Some(x) = stuck {
            // Diazepam cannot take more: what is left of the switched drugs is tapered on
            // its own after diazepam.
            warnings.push(Notice::SwitchIncomplete {
                substance: self.drugs[x].name.clone(),
            });
            for &y in &sw.switched {
                if !self.tracks[y].total().is_zero() {
                    self.order.push(y);
                }
            }
        }
        for &x in &sw.switched {
            if self.tracks[x].total().is_zero() {
                self.tracks[x].state = State::Done;
            }
        }
        let end_de = self.de_of(&members);
        if high {
            warnings.push(Notice::SwitchReduces {
                max_per_day: sw.max_per_day,
                from_de: (start_de * 10.0).round() / 10.0,
                to_de: (end_de * 10.0).round() / 10.0,
            });
        }
        let (day_limit, dose_limit) = sw.confirm_above;
        if peak.0 > day_limit + 1e-9 || peak.1 > dose_limit + 1e-9 {
            warnings.push(Notice::HighDiazepam {
                per_day: peak.0,
                per_dose: peak.1,
                max_per_day: day_limit,
                max_per_dose: dose_limit,
            });
        }
        (day, warnings)
    }
}

/// Above the diazepam ceiling, how much the switch's total falls per portion: the
/// plan's own rate per interval as a share per portion — never more than the largest
/// step, nor faster than the ceiling's 25 % in two weeks.
fn portion_fall(request: &PlanRequest, sw: &SwitchPlan) -> f64 {
    let max_step = request.limits.max_step_percent / 100.0;
    let rate = match &request.pace() {
        Reduction::Slow { percent, .. } => *percent / 100.0,
        _ => max_step,
    }
    .min(max_step);
    let per_interval = i64::from(request.pace().interval_weeks()) * 7;
    let every = sw.every as f64;
    (1.0 - (1.0 - rate).powf(every / per_interval as f64))
        .min(1.0 - (1.0 - HARD_CEILING_FRACTION).powf(every / f64::from(HARD_CEILING_DAYS as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Product, ReferenceData};

    fn menu(ids: &[&str]) -> Menu {
        let data = ReferenceData::builtin().unwrap();
        let products: Vec<&Product> = ids.iter().map(|id| data.product(id).unwrap()).collect();
        Menu::new(&products, &crate::achievable::MenuLimits::default())
    }

    fn mg(v: f64) -> Amount {
        Amount::from_f64(v).unwrap()
    }

    /// A day's diazepam → its doses (morning, noon, evening, night).
    #[test]
    fn diazepam_is_one_dose_up_to_the_rule_then_two_as_equal_as_tablets_allow() {
        let m = menu(&["stesolid-2", "stesolid-5", "stesolid-10"]);
        let cases: &[(f64, [f64; 4])] = &[
            (5.0, [0.0, 0.0, 5.0, 0.0]),
            (10.0, [0.0, 0.0, 10.0, 0.0]),
            (15.0, [7.5, 0.0, 7.5, 0.0]),
            (20.0, [10.0, 0.0, 10.0, 0.0]),
            (41.0, [20.0, 0.0, 21.0, 0.0]),
            // Four 10 mg tablets a dose at most: 120 mg needs three doses.
            (120.0, [40.0, 40.0, 40.0, 0.0]),
        ];
        for (total, want) in cases {
            let got = diazepam_slots(&m, mg(*total), 10.0, 2);
            let got: Vec<f64> = got.iter().map(|a| a.as_f64()).collect();
            assert_eq!(got, want.to_vec(), "{total} mg");
        }
    }
}
