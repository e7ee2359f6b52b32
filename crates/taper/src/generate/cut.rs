//! Which dose time a step changes, by the drug's [`DoseTimeRule`].
//!
//! A step changes one dose time at a time (a patient changes one tablet at a time):
//!
//! - `NightLast` (hypnotics): the cut that comes closest to the aim, the day's doses
//!   before the night's when equal — the night dose goes last.
//! - `Even` (anxiolytics, gabapentinoids): the largest dose first, so the doses even out
//!   and their number is kept as long as the products allow.
//! - `KeepInterval` (modified-release opioids): as `Even`, and no dose time is dropped
//!   while another is taken — a 12-hour product stays twice daily and stops from its
//!   smallest dose twice daily; taken three or four times a day, a dose time goes first
//!   at the smallest doses.

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::regimen::Slots;
use crate::rules::DoseTimeRule;

/// Dose times in the order their doses are reduced when the steps are equal: the day's
/// doses first, the night's last.
const REDUCE_ORDER: [usize; 4] = [1, 0, 2, 3];

/// The dose times to try, in the rule's order.
fn order(slots: &Slots, rule: DoseTimeRule) -> [usize; 4] {
    let mut order = REDUCE_ORDER;
    if rule != DoseTimeRule::NightLast {
        // Largest dose first; the sort is stable, so equal doses keep REDUCE_ORDER.
        order.sort_by(|a, b| slots[*b].cmp(&slots[*a]));
    }
    order
}

/// Whether a dose time may become `new`: under `KeepInterval` a dose time is not dropped
/// while another is taken.
fn allowed(slots: &Slots, slot: usize, new: Amount, rule: DoseTimeRule) -> bool {
    rule != DoseTimeRule::KeepInterval
        || !new.is_zero()
        || slots
            .iter()
            .enumerate()
            .all(|(k, a)| k == slot || a.is_zero())
}

/// A day's doses with one dose time changed.
fn with(slots: &Slots, slot: usize, amount: Amount) -> Slots {
    let mut s = *slots;
    s[slot] = amount;
    s
}

/// A daily dose in `[desired, current)` reachable by changing one dose time: under
/// `NightLast` the smallest such dose; under the other rules the largest dose time's
/// smallest such cut, so the doses stay even.
pub(super) fn best_cut(
    menu: &Menu,
    slots: &Slots,
    desired: Amount,
    current: Amount,
    rule: DoseTimeRule,
) -> Option<Slots> {
    let mut best: Option<(Amount, usize, Amount)> = None;
    for slot in order(slots, rule) {
        let d = slots[slot];
        if d.is_zero() {
            continue;
        }
        let rest = current - d;
        let need = desired - rest;
        let Some(a) = menu.at_least(need) else {
            continue;
        };
        if a >= d || !allowed(slots, slot, a, rule) {
            continue;
        }
        let total = rest + a;
        if rule != DoseTimeRule::NightLast {
            return Some(with(slots, slot, a));
        }
        if best.is_none_or(|(b, _, _)| total < b) {
            best = Some((total, slot, a));
        }
    }
    best.map(|(_, slot, a)| with(slots, slot, a))
}

/// The smallest possible step below `current`: under `NightLast` the largest daily dose
/// one dose time can make; under the other rules the largest dose time's next smaller
/// dose that keeps the day's dose at or above `floor` (the goal). Under `KeepInterval`,
/// when every dose time taken is at its smallest, the step is the stop of them all.
pub(super) fn largest_cut(
    menu: &Menu,
    slots: &Slots,
    current: Amount,
    floor: Amount,
    rule: DoseTimeRule,
) -> Option<Slots> {
    let mut best: Option<(Amount, usize, Amount)> = None;
    for slot in order(slots, rule) {
        let d = slots[slot];
        if d.is_zero() {
            continue;
        }
        let Some(a) = menu.below(d) else { continue };
        if !allowed(slots, slot, a, rule) {
            continue;
        }
        let total = current - d + a;
        if rule != DoseTimeRule::NightLast {
            if total >= floor {
                return Some(with(slots, slot, a));
            }
            continue;
        }
        if best.is_none_or(|(b, _, _)| total > b) {
            best = Some((total, slot, a));
        }
    }
    match best {
        Some((_, slot, a)) => Some(with(slots, slot, a)),
        // Twice daily at the smallest dose: the stop of both at once. Taken more often, a
        // dose time goes first (an opioid four times a day is not stopped from four doses).
        None if rule == DoseTimeRule::KeepInterval && !current.is_zero() => {
            if slots.iter().filter(|a| !a.is_zero()).count() <= 2 {
                Some([Amount::ZERO; 4])
            } else {
                largest_cut(menu, slots, current, floor, DoseTimeRule::Even)
            }
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Product, ReferenceData};
    use crate::regimen::slots_total;

    fn menu(ids: &[&str]) -> Menu {
        let data = ReferenceData::builtin().unwrap();
        let products: Vec<&Product> = ids.iter().map(|id| data.product(id).unwrap()).collect();
        Menu::new(&products, &crate::achievable::MenuLimits::default())
    }

    fn slots(v: [f64; 4]) -> Slots {
        v.map(|x| Amount::from_f64(x).unwrap())
    }

    fn mg(v: f64) -> Amount {
        Amount::from_f64(v).unwrap()
    }

    /// A case: the rule, the doses, the desired total, and the doses after the cut.
    type Case = (DoseTimeRule, [f64; 4], f64, Option<[f64; 4]>);

    /// (rule, doses, desired total) → the doses after the cut, worked by hand.
    #[test]
    fn check() {
        let oxazepam = menu(&["oxascand-5", "oxascand-10", "oxascand-15", "oxascand-25"]);
        let cases: &[Case] = &[
            // 45 mg, 10 % less: the night dose goes last, so a day dose goes first.
            (
                DoseTimeRule::NightLast,
                [10.0, 10.0, 0.0, 25.0],
                40.5,
                Some([10.0, 7.5, 0.0, 25.0]),
            ),
            // Evenly: the largest (the night's 25 mg) first.
            (
                DoseTimeRule::Even,
                [10.0, 10.0, 0.0, 25.0],
                40.5,
                Some([10.0, 10.0, 0.0, 22.5]),
            ),
            // Equal doses: the day's first.
            (
                DoseTimeRule::Even,
                [10.0, 10.0, 0.0, 10.0],
                27.0,
                Some([10.0, 7.5, 0.0, 10.0]),
            ),
            // Nothing at or above the aim below the current dose.
            (DoseTimeRule::Even, [5.0, 0.0, 0.0, 0.0], 4.9, None),
        ];
        for (rule, from, desired, want) in cases {
            let s = slots(*from);
            let total = slots_total(&s);
            let got = best_cut(&oxazepam, &s, mg(*desired), total, *rule);
            assert_eq!(got, want.map(slots), "{rule:?} {from:?} → {desired}");
        }
    }

    #[test]
    fn keeping_the_interval_never_drops_one_dose_time_and_stops_them_together() {
        let oxycontin = menu(&["oxycontin-5", "oxycontin-10"]);
        let twice = slots([5.0, 0.0, 5.0, 0.0]);
        let total = slots_total(&twice);
        // Nothing smaller than 5 mg twice a day: no cut keeps both, so the step is the stop.
        assert_eq!(
            best_cut(
                &oxycontin,
                &twice,
                mg(9.0),
                total,
                DoseTimeRule::KeepInterval
            ),
            None
        );
        assert_eq!(
            largest_cut(
                &oxycontin,
                &twice,
                total,
                Amount::ZERO,
                DoseTimeRule::KeepInterval
            ),
            Some([Amount::ZERO; 4])
        );
        // Evenly without the interval rule, one dose time would go.
        assert_eq!(
            largest_cut(&oxycontin, &twice, total, Amount::ZERO, DoseTimeRule::Even),
            Some(slots([0.0, 0.0, 5.0, 0.0]))
        );
        // Above the smallest, the larger dose comes down first.
        let uneven = slots([10.0, 0.0, 20.0, 0.0]);
        assert_eq!(
            largest_cut(
                &oxycontin,
                &uneven,
                slots_total(&uneven),
                Amount::ZERO,
                DoseTimeRule::KeepInterval
            ),
            Some(slots([10.0, 0.0, 15.0, 0.0]))
        );
    }
}
