//! Achievable doses: every amount one dose time can be made of with a set of products,
//! each with its fewest-pieces combination.
//!
//! Solid forms are divided only as their SmPC allows (whole, half, quarter); capsules,
//! sublingual tablets, modified-release tablets without a verified score and patches are
//! never divided (the reference data enforces that). Liquids are measured in whole steps
//! (0.1 ml with an oral syringe, or one drop) and never mixed with tablets in one dose.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::reference::{Form, Product};

/// Limits on one dose time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuLimits {
    /// Most pieces (tablets, half tablets, capsules) in one dose.
    pub max_pieces: u32,
    /// Most patches worn at once.
    pub max_patches: u32,
    /// Largest volume of a liquid in one dose, in ml.
    pub max_volume_ml: f64,
}

impl Default for MenuLimits {
    fn default() -> MenuLimits {
        MenuLimits {
            max_pieces: 4,
            max_patches: 2,
            max_volume_ml: 10.0,
        }
    }
}

/// One product in a dose: `count` quarters of a unit for solid forms and patches, or
/// measured steps (0.1 ml, drops) for liquids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Part {
    /// Index into the plan drug's product list.
    pub product: u16,
    /// Quarters of a unit, or measured steps for a liquid.
    pub count: u32,
}

/// A way to make one amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combo {
    /// The amount.
    pub amount: Amount,
    /// The parts, at most one per product.
    pub parts: Vec<Part>,
    /// Physical pieces (a tablet and a half are two pieces; a liquid dose is one).
    pub pieces: u32,
    /// Pieces that had to be split.
    pub splits: u32,
}

impl Combo {
    fn rank(&self) -> (u32, u32, usize) {
        (self.pieces, self.splits, self.parts.len())
    }
}

/// Every achievable amount for one dose time, sorted, with the best combination each,
/// and the other ways to make it with at most one piece more (to keep to the products a
/// patient already has: [`Menu::exact_preferring`]).
#[derive(Debug, Clone)]
pub struct Menu {
    combos: Vec<Combo>,
    /// Other combinations, sorted by amount, then rank.
    others: Vec<Combo>,
}

/// Other ways to make one amount kept per amount: enough to find one of the products in
/// use, few enough to keep a menu small.
const OTHERS_PER_AMOUNT: usize = 6;

impl Menu {
    /// Builds the menu for a product set (all of one substance and route).
    pub fn new(products: &[&Product], limits: &MenuLimits) -> Menu {
        // Per amount, the best few ways, sorted by rank.
        let mut all: BTreeMap<i64, Vec<Combo>> = BTreeMap::new();
        let mut offer = |c: Combo| {
            if c.amount.0 <= 0 {
                return;
            }
            let ways = all.entry(c.amount.0).or_default();
            let worse =
                ways.len() > OTHERS_PER_AMOUNT && ways.last().is_some_and(|w| w.rank() <= c.rank());
            // Only ways at most one piece more than the best are ever used.
            if worse || ways.first().is_some_and(|b| c.pieces > b.pieces + 1) {
                return;
            }
            let at = ways.partition_point(|w| w.rank() <= c.rank());
            ways.insert(at, c);
            ways.truncate(OTHERS_PER_AMOUNT + 1);
        };
        // Solid forms and patches: choose a quarter count per product within the budget.
        let solids: Vec<(u16, &Product)> = products
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.form.is_liquid())
            .map(|(i, p)| (i as u16, *p))
            .collect();
        let budget = if solids.iter().any(|(_, p)| p.form == Form::Patch) {
            limits.max_patches
        } else {
            limits.max_pieces
        };
        let mut parts = Vec::new();
        enumerate_solids(&solids, 0, budget, 0, 0, &mut parts, &mut offer);
        // Liquids: whole measured steps of one product, alone in the dose.
        for (i, p) in products.iter().enumerate() {
            if let Some(m) = &p.measure {
                let steps = (limits.max_volume_ml / m.step_ml + 1e-9).floor() as u32;
                let piece = p.piece();
                for k in 1..=steps.min(400) {
                    offer(Combo {
                        amount: piece.times(i64::from(k)),
                        parts: vec![Part {
                            product: i as u16,
                            count: k,
                        }],
                        pieces: 1,
                        splits: 0,
                    });
                }
            }
        }
        let mut combos = Vec::with_capacity(all.len());
        let mut others = Vec::new();
        for (_, mut ways) in all {
            let best = ways.remove(0);
            others.extend(
                ways.into_iter()
                    .filter(|c| c.pieces <= best.pieces + 1)
                    .take(OTHERS_PER_AMOUNT),
            );
            combos.push(best);
        }
        Menu { combos, others }
    }

    /// Every kept way to make an amount: the best first, then the others by rank.
    pub fn ways(&self, amount: Amount) -> impl Iterator<Item = &Combo> {
        let from = self.others.partition_point(|c| c.amount < amount);
        self.exact(amount).into_iter().chain(
            self.others[from..]
                .iter()
                .take_while(move |c| c.amount == amount),
        )
    }

    /// The combination for this amount that uses fewest products outside `preferred`
    /// (indexes into the product list: what the patient already takes), then the
    /// fewest pieces — at most one piece more than the best way.
    pub fn exact_preferring(&self, amount: Amount, preferred: &[u16]) -> Option<&Combo> {
        let best = self.exact(amount)?;
        if preferred.is_empty() {
            return Some(best);
        }
        let from = self.others.partition_point(|c| c.amount < amount);
        let outside = |c: &Combo| {
            c.parts
                .iter()
                .filter(|p| !preferred.contains(&p.product))
                .count()
        };
        std::iter::once(best)
            .chain(
                self.others[from..]
                    .iter()
                    .take_while(|c| c.amount == amount),
            )
            .min_by_key(|c| (outside(c), c.rank()))
    }

    /// The combination for exactly this amount; zero is always achievable (no dose).
    pub fn exact(&self, amount: Amount) -> Option<&Combo> {
        self.combos
            .binary_search_by_key(&amount.0, |c| c.amount.0)
            .ok()
            .map(|i| &self.combos[i])
    }

    /// The smallest achievable amount at or above `amount` (zero counts when `amount ≤ 0`).
    pub fn at_least(&self, amount: Amount) -> Option<Amount> {
        if amount.0 <= 0 {
            return Some(Amount::ZERO);
        }
        let i = self.combos.partition_point(|c| c.amount < amount);
        self.combos.get(i).map(|c| c.amount)
    }

    /// The largest achievable amount at or below `amount` (zero counts).
    pub fn at_most(&self, amount: Amount) -> Amount {
        if self.exact(amount).is_some() {
            amount
        } else {
            self.below(amount).unwrap_or(Amount::ZERO)
        }
    }

    /// The largest achievable amount strictly below `amount` (zero counts).
    pub fn below(&self, amount: Amount) -> Option<Amount> {
        if amount.0 <= 0 {
            return None;
        }
        let i = self.combos.partition_point(|c| c.amount < amount);
        Some(if i == 0 {
            Amount::ZERO
        } else {
            self.combos[i - 1].amount
        })
    }

    /// The smallest nonzero achievable amount.
    pub fn smallest(&self) -> Option<Amount> {
        self.combos.first().map(|c| c.amount)
    }

    /// Every achievable amount, smallest first.
    pub fn amounts(&self) -> impl Iterator<Item = Amount> + '_ {
        self.combos.iter().map(|c| c.amount)
    }

    /// How many amounts there are.
    pub fn len(&self) -> usize {
        self.combos.len()
    }

    /// True when nothing can be made.
    pub fn is_empty(&self) -> bool {
        self.combos.is_empty()
    }
}

fn enumerate_solids(
    solids: &[(u16, &Product)],
    at: usize,
    budget: u32,
    amount: i64,
    splits: u32,
    parts: &mut Vec<Part>,
    offer: &mut impl FnMut(Combo),
) {
    if at == solids.len() {
        if !parts.is_empty() {
            let used: u32 = parts
                .iter()
                .map(|p| pieces_of(p.count, quarters_per_piece(solids, p.product)))
                .sum();
            offer(Combo {
                amount: Amount(amount),
                parts: parts.clone(),
                pieces: used,
                splits,
            });
        }
        return;
    }
    let (index, product) = solids[at];
    let step = product.divisible.value.quarters_per_piece();
    let mut quarters = 0u32;
    loop {
        let pieces = pieces_of(quarters, step);
        if pieces > budget {
            break;
        }
        let split = u32::from(!quarters.is_multiple_of(4));
        if quarters > 0 {
            parts.push(Part {
                product: index,
                count: quarters,
            });
        }
        let add = product.strength.value.0 * i64::from(quarters) / 4;
        enumerate_solids(
            solids,
            at + 1,
            budget - pieces,
            amount + add,
            splits + split,
            parts,
            offer,
        );
        if quarters > 0 {
            parts.pop();
        }
        quarters += step;
    }
}

fn quarters_per_piece(solids: &[(u16, &Product)], index: u16) -> u32 {
    solids
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, p)| p.divisible.value.quarters_per_piece())
        .unwrap_or(4)
}

/// Physical pieces for a quarter count: whole units plus the split remainder.
fn pieces_of(quarters: u32, quarters_per_piece: u32) -> u32 {
    quarters / 4 + (quarters % 4).div_ceil(quarters_per_piece)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::ReferenceData;

    fn menu(ids: &[&str]) -> Menu {
        let data = ReferenceData::builtin().unwrap();
        let products: Vec<&Product> = ids.iter().map(|id| data.product(id).unwrap()).collect();
        Menu::new(&products, &MenuLimits::default())
    }

    fn mg(v: f64) -> Amount {
        Amount::from_f64(v).unwrap()
    }

    #[test]
    fn halves_and_wholes_with_fewest_pieces() {
        let m = menu(&["oxascand-5", "oxascand-10", "oxascand-15", "oxascand-25"]);
        // 15 mg is one tablet, not 10 + 5.
        let c = m.exact(mg(15.0)).unwrap();
        assert_eq!((c.pieces, c.parts.len()), (1, 1));
        // 2.5 mg is half a 5 mg tablet.
        let c = m.exact(mg(2.5)).unwrap();
        assert_eq!((c.pieces, c.splits, c.parts[0].count), (1, 1, 2));
        assert_eq!(m.smallest(), Some(mg(2.5)));
        assert!(m.exact(mg(1.25)).is_none(), "no quarters of Oxascand");
        assert_eq!(m.at_least(mg(11.0)), Some(mg(12.5)));
        assert_eq!(m.below(mg(2.5)), Some(Amount::ZERO));
    }

    #[test]
    fn capsules_and_modified_release_are_never_split() {
        let m = menu(&["lyrica-25", "lyrica-75"]);
        assert!(m.exact(mg(12.5)).is_none());
        assert_eq!(m.smallest(), Some(mg(25.0)));
        let m = menu(&["oxycontin-5", "oxycontin-10"]);
        assert!(m.exact(mg(2.5)).is_none());
        // The scored 20/10 mg Sandoz tablet may be halved (verified in its SmPC).
        let m = menu(&["oxynal-sandoz-20"]);
        assert!(m.exact(mg(10.0)).is_some());
    }

    #[test]
    fn liquids_measure_in_whole_steps() {
        let m = menu(&["klonazepam-droppar-2.5"]);
        // One drop is 0.04 ml of 2.5 mg/ml = 0.1 mg.
        assert_eq!(m.smallest(), Some(mg(0.1)));
        assert!(m.exact(mg(0.3)).is_some());
        assert!(m.exact(mg(0.15)).is_none());
    }

    #[test]
    fn patches_at_most_two() {
        let m = menu(&["durogesic-12", "durogesic-25", "durogesic-50"]);
        assert!(m.exact(mg(37.5)).is_some());
        assert!(
            m.exact(mg(150.0)).is_none(),
            "three 50 µg/h patches exceed the limit"
        );
    }
}
