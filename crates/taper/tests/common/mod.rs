//! Generated plan requests shared by the property tests: every substance, random
//! product sets (liquids and licence products included), achievable starting doses,
//! every strategy with random parameters, one to three drugs, staggered, ordered or
//! parallel, substitution, goals and holds.

#![allow(dead_code)]

use std::sync::LazyLock;

use proptest::prelude::*;
use trappa_taper::Amount;
use trappa_taper::achievable::Menu;
use trappa_taper::plan::*;
use trappa_taper::reference::{Product, ReferenceData, Route};
use trappa_taper::regimen::{DrugUse, Regimen};

/// The built-in reference data.
pub static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

#[derive(Debug, Clone)]
pub struct DrugSeed {
    pub substance: usize,
    pub product_mask: u16,
    pub custom_products: bool,
    pub slots: [Option<u16>; 4],
    pub goal: Option<u16>,
}

pub fn drug_seed() -> impl Strategy<Value = DrugSeed> {
    (
        0usize..64,
        any::<u16>(),
        prop::bool::weighted(0.3),
        prop::array::uniform4(prop::option::weighted(0.6, any::<u16>())),
        prop::option::weighted(0.15, any::<u16>()),
    )
        .prop_map(
            |(substance, product_mask, custom_products, slots, goal)| DrugSeed {
                substance,
                product_mask,
                custom_products,
                slots,
                goal,
            },
        )
}

pub fn reduction() -> impl Strategy<Value = Reduction> {
    prop_oneof![
        (
            1.0f64..30.0,
            1u32..5,
            0.0f64..60.0,
            prop::option::of(1u32..9),
            prop::option::of(1.0f64..15.0)
        )
            .prop_map(|(percent, interval_weeks, below, li, lp)| Reduction::Slow {
                percent,
                interval_weeks,
                low_dose: LowDose {
                    below_percent_of_start: below,
                    interval_weeks: li,
                    percent: lp
                },
            }),
        (1.0f64..25.0, 1u32..5).prop_map(|(occupancy_percent, interval_weeks)| {
            Reduction::Hyperbolic {
                occupancy_percent,
                interval_weeks,
            }
        }),
        (2.0f64..30.0, 1u32..5).prop_map(|(percent_of_start, interval_weeks)| Reduction::Linear {
            percent_of_start,
            interval_weeks
        }),
    ]
}

#[derive(Debug, Clone)]
pub struct Case {
    pub drugs: Vec<DrugSeed>,
    pub reduction: Reduction,
    pub substitution: bool,
    pub multi: u8,
    pub max_step: f64,
    pub final_hold: u32,
    pub max_pieces: u32,
    pub hold: Option<(u16, u32)>,
    pub tables: (bool, bool),
    pub stop_below: Option<f64>,
    /// An opening phase: steps, percent, weeks.
    pub phase: Option<(u32, f64, u32)>,
    pub max_products: Option<u32>,
    /// A step given its own length: step (wrapped), weeks.
    pub step_length: Option<(u16, u32)>,
}

pub fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(drug_seed(), 1..4),
        reduction(),
        prop::bool::weighted(0.2),
        0u8..3,
        2.0f64..25.0,
        1u32..9,
        2u32..6,
        prop::option::weighted(0.2, (any::<u16>(), 1u32..8)),
        (any::<bool>(), any::<bool>()),
        prop::option::weighted(0.2, 1.0f64..20.0),
        (
            prop::option::weighted(0.15, (1u32..4, 5.0f64..25.0, 1u32..4)),
            prop::option::weighted(0.1, 1u32..4),
            prop::option::weighted(0.1, (any::<u16>(), 1u32..6)),
        ),
    )
        .prop_map(
            |(
                drugs,
                reduction,
                substitution,
                multi,
                max_step,
                final_hold,
                max_pieces,
                hold,
                tables,
                stop_below,
                (phase, max_products, step_length),
            )| Case {
                drugs,
                reduction,
                substitution,
                multi,
                max_step,
                final_hold,
                max_pieces,
                hold,
                tables,
                stop_below,
                phase,
                max_products,
                step_length,
            },
        )
}

pub fn menu_for(products: &[&Product], max_pieces: u32) -> Menu {
    Menu::new(
        products,
        &trappa_taper::achievable::MenuLimits {
            max_pieces,
            ..Default::default()
        },
    )
}

/// Turns a seed into a request whose starting doses the products can make.
///
/// Long by design: every field of a request from its seed, in the request's order.
pub fn request(case: &Case) -> Option<PlanRequest> {
    let data = &*DATA;
    let mut drugs = Vec::new();
    let mut goals = Vec::new();
    let mut used = Vec::new();
    let mut dose_times = Vec::new();
    for seed in &case.drugs {
        let s = &data.substances[seed.substance % data.substances.len()];
        if used.contains(&s.id) {
            continue;
        }
        used.push(s.id.clone());
        // A dose-time rule other than the class's, for some drugs.
        let rule = match (seed.product_mask >> 12) % 4 {
            1 => Some(DoseTimeRule::Even),
            2 => Some(DoseTimeRule::NightLast),
            3 => Some(DoseTimeRule::KeepInterval),
            _ => None,
        };

        let route = if data.products_of(&s.id, Route::Oral).next().is_some() {
            Route::Oral
        } else {
            Route::Transdermal
        };
        let all: Vec<&Product> = data.products_of(&s.id, route).collect();
        let chosen: Vec<&Product> = if seed.custom_products {
            let picked: Vec<&Product> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| seed.product_mask & (1 << (i % 16)) != 0)
                .map(|(_, p)| *p)
                .collect();
            if picked.is_empty() {
                vec![all[usize::from(seed.product_mask) % all.len()]]
            } else {
                picked
            }
        } else {
            // The engine's default set: registered solid forms, immediate release where
            // there is any.
            let solid: Vec<&Product> = all
                .iter()
                .copied()
                .filter(|p| {
                    p.kind == trappa_taper::reference::ProductKind::Registered
                        && !p.form.is_liquid()
                })
                .collect();
            let immediate: Vec<&Product> = solid
                .iter()
                .copied()
                .filter(|p| p.release == trappa_taper::reference::Release::Immediate)
                .collect();
            if immediate.is_empty() {
                solid
            } else {
                immediate
            }
        };
        if chosen.is_empty() {
            continue;
        }
        let menu = menu_for(&chosen, case.max_pieces);
        // Keep the daily dose plausible: at most about 3 DDD (or 60 MME) in all.
        let ddd = s.ddd_mg.as_ref().map(|d| d.value).unwrap_or(60.0);
        let cap = if route == Route::Transdermal {
            ddd * 1000.0 / 24.0 * 2.0
        } else {
            ddd * 3.0
        };
        let amounts: Vec<Amount> = menu.amounts().filter(|a| a.as_f64() <= cap / 2.0).collect();
        if amounts.is_empty() {
            continue;
        }
        let mut slots = [0.0f64; 4];
        let used_slots = if route == Route::Transdermal { 1 } else { 4 };
        for (slot, pick) in slots.iter_mut().zip(&seed.slots).take(used_slots) {
            if let Some(i) = pick {
                *slot = amounts[usize::from(*i) % amounts.len()].as_f64();
            }
        }
        if slots.iter().sum::<f64>() == 0.0 {
            slots[used_slots - 1] = amounts[0].as_f64();
        }
        if slots.iter().sum::<f64>() > cap {
            continue;
        }
        if let Some(g) = seed.goal {
            let total: Amount = slots.iter().map(|v| Amount::from_f64(*v).unwrap()).sum();
            let below: Vec<Amount> = menu.amounts().filter(|a| *a < total).collect();
            if !below.is_empty() {
                goals.push(DrugGoal {
                    substance: s.id.clone(),
                    target: below[usize::from(g) % below.len()].as_f64(),
                });
            }
        }
        if let Some(rule) = rule {
            dose_times.push(DoseTimeChoice {
                substance: s.id.clone(),
                rule,
            });
        }
        drugs.push(DrugUse {
            substance: s.id.clone(),
            route: Some(route),
            doses: if route == Route::Transdermal {
                vec![slots[0]]
            } else {
                slots.to_vec()
            },
            products: if seed.custom_products {
                chosen.iter().map(|p| p.id.clone()).collect()
            } else {
                Vec::new()
            },
            as_needed: None,
            special_products: !seed.custom_products && seed.product_mask & 1 == 1,
        });
    }
    if drugs.is_empty() {
        return None;
    }
    let substitutable = drugs.iter().any(|d| {
        let s = data.substance(&d.substance).unwrap();
        matches!(
            s.class,
            trappa_taper::reference::DrugClass::Benzodiazepine
                | trappa_taper::reference::DrugClass::ZDrug
        ) && s.id != "diazepam"
    });
    let substitution = (case.substitution && substitutable).then_some(Substitution::every(1));
    if substitution.is_some() {
        // Goals of switched drugs other than stopping conflict with the switch.
        goals.retain(|g| {
            let s = data.substance(&g.substance).unwrap();
            !matches!(
                s.class,
                trappa_taper::reference::DrugClass::Benzodiazepine
                    | trappa_taper::reference::DrugClass::ZDrug
            ) || s.id == "diazepam"
        });
    }
    let multi = match case.multi {
        0 => MultiDrug::Staggered {},
        1 => MultiDrug::Parallel {},
        _ => MultiDrug::Ordered {
            order: drugs.iter().rev().map(|d| d.substance.clone()).collect(),
        },
    };
    Some(PlanRequest {
        regimen: Regimen { drugs },
        start: "2026-12-01".parse().unwrap(),
        tables: trappa_taper::convert::TableChoice {
            // VA/DoD has no factors for the Z-drugs: totals leave them out, and a switch to
            // diazepam is refused for them.
            de: case.tables.0.then(|| "va-dod".to_owned()),
            mme: case.tables.1.then(|| "cdc-2022".to_owned()),
        },
        // Some requests leave the pace to the drug class's default.
        reduction: (!case.final_hold.is_multiple_of(3)).then(|| case.reduction.clone()),
        substitution,
        multi,
        goals,
        limits: Limits {
            max_step_percent: case.max_step,
            final_hold_weeks: case.final_hold,
            stop_below_percent: case.stop_below,
            max_products: case.max_products,
            catch_up_percent: None,
            dose: trappa_taper::achievable::MenuLimits {
                max_pieces: case.max_pieces,
                ..Default::default()
            },
        },
        holds: Vec::new(),
        dose_times,
        phases: case
            .phase
            .map(|(steps, percent, interval_weeks)| PacePhase {
                steps,
                percent,
                interval_weeks,
            })
            .into_iter()
            .collect(),
        step_lengths: case
            .step_length
            .map(|(step, weeks)| StepLength {
                step: usize::from(step % 24) + 1,
                weeks,
            })
            .into_iter()
            .collect(),
    })
}
