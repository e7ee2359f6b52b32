//! Changes to a plan: holds, doses set by hand, and re-planning the rest from a step
//! (slower, or after a signed step back). Every result goes through [`crate::check`]
//! again; an edit that breaks an invariant is returned with its violations so the
//! prescriber sees them, and the service will not sign it.

use jiff::Span;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::error::{InputError, Problem};
use crate::generate::{apply_hold, drug_step, propose, totals};
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::{Product, ReferenceData, Route};
use crate::regimen::{DrugUse, Regimen, Slots};

/// A change by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Keep a step's dose longer.
    Hold {
        /// Step (1-based).
        step: usize,
        /// Extra weeks.
        weeks: u32,
        /// Why.
        reason: String,
    },
    /// Set one drug's doses in one step; later steps are kept as they are.
    SetDoses {
        /// Step (1-based).
        step: usize,
        /// Substance id or name.
        substance: String,
        /// Morning, noon, evening, night (or µg/h for a patch).
        doses: Vec<f64>,
        /// Who.
        by: String,
        /// Why.
        reason: String,
    },
}

/// The menu of a plan drug, from its products in the reference data.
pub(crate) fn drug_menu(data: &ReferenceData, plan: &Plan, drug: usize) -> Menu {
    let products: Vec<&Product> = plan.drugs[drug]
        .products
        .iter()
        .filter_map(|p| data.product(&p.id))
        .collect();
    Menu::new(&products, &plan.request.limits.dose)
}

fn slots_of(step: &DrugStep) -> Slots {
    std::array::from_fn(|k| {
        step.doses[k]
            .as_ref()
            .map(|d| d.amount)
            .unwrap_or(Amount::ZERO)
    })
}

/// Applies an edit. The result may break an invariant: check it.
pub fn apply(data: &ReferenceData, plan: &Plan, edit: &Edit) -> Result<Plan, InputError> {
    let mut out = plan.clone();
    match edit {
        Edit::Hold {
            step,
            weeks,
            reason,
        } => {
            if !(1..=52).contains(weeks) {
                return Err(InputError::new(
                    "weeks",
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: "52".into(),
                    },
                ));
            }
            apply_hold(&mut out, *step, *weeks, reason).map_err(|p| InputError::new("step", p))?;
        }
        Edit::SetDoses {
            step,
            substance,
            doses,
            by,
            reason,
        } => {
            let k = step
                .checked_sub(1)
                .filter(|k| *k < out.steps.len())
                .ok_or_else(|| InputError::new("step", Problem::NoSuchStep { step: *step }))?;
            let s = data.find_substance(substance).ok_or_else(|| {
                InputError::new(
                    "substance",
                    Problem::UnknownSubstance {
                        name: substance.clone(),
                    },
                )
            })?;
            let i = out
                .drugs
                .iter()
                .position(|d| d.substance == s.id)
                .ok_or_else(|| {
                    InputError::new(
                        "substance",
                        Problem::UnknownSubstance {
                            name: substance.clone(),
                        },
                    )
                })?;
            let route = out.drugs[i].route;
            let ok_len = if route == Route::Transdermal {
                doses.len() == 1
            } else {
                doses.len() == 3 || doses.len() == 4
            };
            if !ok_len {
                return Err(InputError::new(
                    "doses",
                    Problem::DoseFormat {
                        given: format!("{doses:?}"),
                    },
                ));
            }
            let menu = drug_menu(data, &out, i);
            let mut slots = [Amount::ZERO; 4];
            for (n, v) in doses.iter().enumerate() {
                let a = Amount::from_f64(*v)
                    .filter(|a| a.0 >= 0)
                    .ok_or_else(|| InputError::new("doses", Problem::NotPositive))?;
                if !a.is_zero() && menu.exact(a).is_none() {
                    return Err(InputError::new(
                        "doses",
                        Problem::CannotMake {
                            dose: a.sv(),
                            products: out.drugs[i]
                                .products
                                .iter()
                                .map(|p| p.name.clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                        },
                    ));
                }
                slots[n] = a;
            }
            let mut ds = drug_step(&menu, &slots, Change::Edited, None, &[]);
            ds.ideal = out.steps[k].drugs[i].ideal;
            out.steps[k].drugs[i] = ds;
            out.steps[k].totals = totals(&out.drugs, &out.steps[k].drugs);
            out.steps[k].notes.push(Notice::Edited {
                by: by.clone(),
                reason: reason.clone(),
            });
        }
    }
    Ok(out)
}

/// Replaces everything from `day` on with a new plan that starts from `doses` (one slot
/// array per plan drug) on that day, with another reduction. The first new step is
/// `first`, if given (a signed step back held before the new taper starts).
pub fn replan_from(
    data: &ReferenceData,
    plan: &Plan,
    day: Date,
    doses: &[Slots],
    reduction: Reduction,
    first: Option<(Signature, u32)>,
    note: Notice,
) -> Result<Plan, InputError> {
    // The tail is planned for the drugs still taken, with the same products and limits.
    let mut regimen = Vec::new();
    let mut map = Vec::new();
    for (i, d) in plan.drugs.iter().enumerate() {
        let slots = doses[i];
        if slots.iter().all(|a| a.is_zero()) {
            continue;
        }
        let values: Vec<f64> = if d.route == Route::Transdermal {
            vec![slots[0].as_f64()]
        } else {
            slots.iter().map(|a| a.as_f64()).collect()
        };
        regimen.push(DrugUse {
            substance: d.substance.clone(),
            route: Some(d.route),
            doses: values,
            products: d.products.iter().map(|p| p.id.clone()).collect(),
            as_needed: None,
            special_products: false,
        });
        map.push(i);
    }
    let mut out = plan.clone();
    out.steps.retain(|s| s.start < day);
    let mut tail_start = day;
    if let Some((signature, hold_weeks)) = first {
        let drugs: Vec<DrugStep> = (0..plan.drugs.len())
            .map(|i| {
                let menu = drug_menu(data, plan, i);
                let mut ds = drug_step(&menu, &doses[i], Change::Same, None, &[]);
                let before = out
                    .steps
                    .last()
                    .map(|s| s.drugs[i].per_day)
                    .unwrap_or(plan.baseline[i].per_day);
                if ds.per_day > before {
                    ds.change = Change::StepBack;
                }
                ds
            })
            .collect();
        let step_totals = totals(&plan.drugs, &drugs);
        out.steps.push(Step {
            number: 0,
            start: day,
            days: None,
            drugs,
            totals: step_totals,
            notes: vec![Notice::StepBack {
                by: signature.by.clone(),
                reason: signature.reason.clone(),
            }],
            signed: Some(signature),
            phase: Phase::Taper,
        });
        tail_start = day.saturating_add(Span::new().days(i64::from(hold_weeks) * 7));
    }
    if !regimen.is_empty() {
        let goals = map
            .iter()
            .filter(|&&i| !plan.drugs[i].target.is_zero())
            .map(|&i| DrugGoal {
                substance: plan.drugs[i].substance.clone(),
                target: plan.drugs[i].target.as_f64(),
            })
            .collect();
        let request = PlanRequest {
            regimen: Regimen { drugs: regimen },
            start: tail_start,
            tables: crate::convert::TableChoice {
                de: Some(plan.de_table.clone()),
                mme: Some(plan.mme_table.clone()),
            },
            reduction: Some(reduction),
            substitution: None,
            multi: plan.request.multi.clone(),
            goals,
            limits: plan.request.limits.clone(),
            holds: Vec::new(),
            dose_times: plan.request.dose_times.clone(),
            // The tail continues the plan: its opening phases are behind it.
            phases: Vec::new(),
            step_lengths: Vec::new(),
        };
        let tail = propose(data, &request)?;
        let offset = (tail_start - plan.request.start).get_days().max(0) as u32;
        for (j, &i) in map.iter().enumerate() {
            out.ideal[i].retain(|p| p.day < offset);
            out.ideal[i].extend(tail.ideal[j].iter().map(|p| IdealPoint {
                day: p.day + offset,
                dose: p.dose,
            }));
        }
        let mut first_tail = true;
        for s in tail.steps {
            let mut drugs: Vec<DrugStep> = (0..plan.drugs.len())
                .map(|i| {
                    let menu = drug_menu(data, plan, i);
                    drug_step(&menu, &doses[i], Change::Same, None, &[])
                })
                .collect();
            for (j, &i) in map.iter().enumerate() {
                drugs[i] = s.drugs[j].clone();
            }
            // Drugs not in the tail stay as they were (stopped).
            for (i, d) in drugs.iter_mut().enumerate() {
                if !map.contains(&i) {
                    d.change = Change::Same;
                }
            }
            let mut notes = s.notes;
            if first_tail {
                notes.insert(0, note.clone());
                first_tail = false;
            }
            let step_totals = totals(&plan.drugs, &drugs);
            out.steps.push(Step {
                number: 0,
                start: s.start,
                days: None,
                drugs,
                totals: step_totals,
                notes,
                signed: None,
                phase: s.phase,
            });
        }
    }
    for k in 0..out.steps.len() {
        out.steps[k].number = k + 1;
        out.steps[k].days = out
            .steps
            .get(k + 1)
            .map(|n| (n.start - out.steps[k].start).get_days() as u32);
    }
    Ok(out)
}

/// The doses of a step, per drug.
pub fn doses_at(plan: &Plan, step: Option<&Step>) -> Vec<Slots> {
    match step {
        Some(s) => s.drugs.iter().map(slots_of).collect(),
        None => plan.baseline.iter().map(slots_of).collect(),
    }
}
