//! A drug's doses made of its products: each dose's parts, the fewest products that make
//! every dose of the plan, and the totals per unit of equivalents.

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::plan::*;
use crate::reference::EquivalentUnit;
use crate::regimen::{Slots, slots_total};

use crate::convert::mg_per_day;

/// A drug's step from its slots.
///
/// Each dose is made of the products in `preferred` where that costs at most one piece
/// more (the plan's fewest products: `keep_to_fewest_products`), else its best way.
pub(crate) fn drug_step(
    menu: &Menu,
    slots: &Slots,
    change: Change,
    aim: Option<Amount>,
    preferred: &[u16],
) -> DrugStep {
    let doses = std::array::from_fn(|k| {
        let a = slots[k];
        if a.is_zero() {
            None
        } else {
            let combo = menu
                .exact_preferring(a, preferred)
                .expect("every planned dose is achievable");
            Some(Dose {
                amount: a,
                parts: combo.parts.clone(),
            })
        }
    });
    DrugStep {
        doses,
        per_day: slots_total(slots),
        aim,
        ideal: None,
        change,
    }
}

/// Makes drug `i`'s doses in every step of the fewest products that can make them all
/// (each dose at most one piece more than its best way), preferring the products in
/// `now` when several sets are as small; returns the products the doses are made of.
pub(super) fn keep_to_fewest_products(
    menu: &Menu,
    steps: &mut [Step],
    i: usize,
    now: &[u16],
) -> Vec<u16> {
    let amounts: Vec<Amount> = {
        let mut v: Vec<Amount> = steps
            .iter()
            .flat_map(|s| s.drugs[i].doses.iter().flatten().map(|d| d.amount))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let used = {
        let mut all: Vec<u16> = steps
            .iter()
            .flat_map(|s| products_in(&s.drugs[i]))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    if used.len() <= 1 || used.iter().any(|p| *p >= 32) {
        return used;
    }
    // Each amount's ways as bit sets of products; a set of products fits when every
    // amount has a way inside it.
    let bits = |ps: &mut dyn Iterator<Item = u16>| ps.fold(0u32, |m, p| m | (1 << p));
    let ways: Vec<Vec<u32>> = amounts
        .iter()
        .map(|a| {
            menu.ways(*a)
                .map(|c| bits(&mut c.parts.iter().map(|p| p.product)))
                .collect()
        })
        .collect();
    let now_bits = bits(&mut now.iter().copied());
    let fits = |set: u32| ways.iter().all(|w| w.iter().any(|m| m & !set == 0));
    // Subsets of the products used, smallest first, then most overlap with `now`.
    let mut subsets: Vec<u32> = (1u32..(1 << used.len()))
        .map(|mask| {
            used.iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .fold(0u32, |m, (_, p)| m | (1 << p))
        })
        .collect();
    subsets.sort_by_key(|set| {
        (
            set.count_ones(),
            std::cmp::Reverse((set & now_bits).count_ones()),
        )
    });
    let Some(set) = subsets.into_iter().find(|set| fits(*set)) else {
        return used;
    };
    let set: Vec<u16> = (0..32u16).filter(|p| set & (1 << p) != 0).collect();
    for s in steps.iter_mut() {
        for dose in s.drugs[i].doses.iter_mut().flatten() {
            if let Some(c) = menu.exact_preferring(dose.amount, &set) {
                dose.parts = c.parts.clone();
            }
        }
    }
    set
}

/// The products a drug's doses are made of during a step.
pub(crate) fn products_in(ds: &DrugStep) -> Vec<u16> {
    let mut out: Vec<u16> = ds
        .doses
        .iter()
        .flatten()
        .flat_map(|d| d.parts.iter().map(|p| p.product))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Equivalents of a step.
pub(crate) fn totals(drugs: &[PlanDrug], steps: &[DrugStep]) -> Vec<StepTotal> {
    let mut out = Vec::new();
    for unit in [EquivalentUnit::De, EquivalentUnit::Mme] {
        let mut any = false;
        let mut sum = 0.0;
        for (d, s) in drugs.iter().zip(steps) {
            if let Some(f) = d.factor.as_ref().filter(|f| f.unit == unit) {
                any = true;
                sum += s.per_day.as_f64() * f.factor;
            }
        }
        if any {
            out.push(StepTotal {
                unit,
                per_day: (sum * 1e6).round() / 1e6,
            });
        }
    }
    out
}

/// mg a day of a step's drug (patches converted), for summaries.
pub fn step_mg_per_day(plan: &Plan, drug: usize, step: &DrugStep) -> f64 {
    mg_per_day(plan.drugs[drug].route, step.per_day)
}
