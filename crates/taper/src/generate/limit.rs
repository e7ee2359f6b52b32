//! A limit on the products per drug: the plan remade with the set of that many products
//! whose steps are finest.

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::error::{InputError, Problem};
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::{Product, ReferenceData};

/// Candidate sets a product limit tries per drug at most: the sets that can make
/// today's doses, those with the products in use first.
const MAX_PRODUCT_SETS: usize = 64;

/// For each of the regimen's drugs whose plan uses more than `limit` products: the set of
/// that many of its products, able to make today's doses, whose steps are finest
/// ([`coarseness`]: a coarser set ends sooner only by stepping faster at the end).
/// Diazepam added by a switch is not the regimen's and keeps its fewest products.
pub(super) fn product_sets_within(
    data: &ReferenceData,
    bare: &PlanRequest,
    unlimited: &Plan,
    limit: u32,
    make: &dyn Fn(&PlanRequest) -> Result<Plan, InputError>,
) -> Result<Vec<(usize, Vec<String>)>, InputError> {
    let limit_usize = limit as usize;
    let mut chosen_sets = Vec::new();
    for i in 0..bare.regimen.drugs.len() {
        let used: Vec<&str> = unlimited
            .warnings
            .iter()
            .find_map(|w| match w {
                Notice::ProductsUsed {
                    substance,
                    products,
                } if *substance == unlimited.drugs[i].name => Some(products),
                _ => None,
            })
            .map(|names| {
                unlimited.drugs[i]
                    .products
                    .iter()
                    .filter(|p| names.contains(&p.name))
                    .map(|p| p.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        if used.len() <= limit_usize {
            continue;
        }
        let ids: Vec<&str> = unlimited.drugs[i]
            .products
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        // Today's doses, each of which a candidate set must make.
        let today: Vec<Amount> = unlimited.baseline[i]
            .doses
            .iter()
            .flatten()
            .map(|d| d.amount)
            .collect();
        let mut candidates: Vec<Vec<usize>> = subsets(ids.len(), limit_usize)
            .into_iter()
            .filter(|set| {
                let products: Vec<&Product> =
                    set.iter().filter_map(|&k| data.product(ids[k])).collect();
                let menu = Menu::new(&products, &bare.limits.dose);
                products.len() == set.len() && today.iter().all(|a| menu.exact(*a).is_some())
            })
            .collect();
        candidates.sort_by_key(|set| {
            std::cmp::Reverse(set.iter().filter(|&&k| used.contains(&ids[k])).count())
        });
        candidates.truncate(MAX_PRODUCT_SETS);
        let mut best: Option<(Coarseness, Vec<String>)> = None;
        for set in candidates {
            let mut attempt = bare.clone();
            attempt.regimen.drugs[i].products = set.iter().map(|&k| ids[k].to_owned()).collect();
            let Ok(candidate) = make(&attempt) else {
                continue;
            };
            let score = coarseness(&candidate, i, unlimited);
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, attempt.regimen.drugs[i].products.clone()));
            }
        }
        let Some((_, chosen)) = best else {
            return Err(InputError::new(
                "limits.max_products",
                Problem::TooFewProducts {
                    limit,
                    substance: unlimited.drugs[i].name.clone(),
                },
            ));
        };
        chosen_sets.push((i, chosen));
    }
    Ok(chosen_sets)
}

/// How coarse a drug's steps are ([`coarseness`]), compared in order.
type Coarseness = (i64, i64, usize, i32);

/// How coarse drug `i`'s steps are in a plan, smaller first: the smallest daily dose
/// it is stopped from (µ-units), the largest cut before the stop (per mille), the
/// number of steps larger than the maximum, and the days its end lies from the end of
/// `unlimited`.
fn coarseness(p: &Plan, i: usize, unlimited: &Plan) -> Coarseness {
    let doses: Vec<Amount> = std::iter::once(p.baseline[i].per_day)
        .chain(p.steps.iter().map(|s| s.drugs[i].per_day))
        .collect();
    let smallest = doses
        .iter()
        .filter(|d| !d.is_zero())
        .min()
        .map_or(0, |d| d.0);
    let largest_cut = doses
        .windows(2)
        .filter(|w| !w[1].is_zero() && w[1] < w[0])
        .map(|w| ((1.0 - w[1].as_f64() / w[0].as_f64()) * 1000.0).round() as i64)
        .max()
        .unwrap_or(0);
    let coarse = p
        .steps
        .iter()
        .filter(|s| s.drugs[i].change == Change::Granular)
        .count();
    let off = (p.end_date() - unlimited.end_date()).get_days().abs();
    (smallest, largest_cut, coarse, off)
}

/// Every set of `k` of the indices `0..n`, in order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    fn walk(start: usize, n: usize, k: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        for i in start..n {
            current.push(i);
            walk(i + 1, n, k, current, out);
            current.pop();
        }
    }
    walk(0, n, k.min(n), &mut current, &mut out);
    out
}
