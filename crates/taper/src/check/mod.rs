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

mod changes;
mod doses;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::plan::Plan;
use crate::reference::{Form, ReferenceData};

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
    let mut checker = Checker::new(plan, data);
    checker.timeline();
    checker.doses();
    checker.changes();
    checker.out
}

/// One product of a drug as the checks see it.
#[derive(Debug, Clone, Copy)]
struct ProductFacts {
    /// The amount one count makes: a whole piece, or one measuring step of a liquid.
    per: i64,
    /// The quarters per piece the product may be split into (4: whole pieces only).
    quarters_per_piece: u32,
    /// Whether the product is of the drug's substance and route.
    valid: bool,
    form: Form,
}

/// A plan under check, what the checks derive from it once, and what they found.
struct Checker<'a> {
    plan: &'a Plan,
    /// The largest share a reduction may cut.
    max_step: f64,
    /// The plan's own catch-up share (its request holds the value it was made with).
    catch_up: f64,
    /// The pace's interval between steps, in days.
    interval_days: i64,
    /// Each drug's products.
    products: Vec<Vec<ProductFacts>>,
    /// Each drug's smallest possible dose.
    smallest: Vec<Amount>,
    out: Vec<Violation>,
}

impl<'a> Checker<'a> {
    fn new(plan: &'a Plan, data: &ReferenceData) -> Self {
        let limits = &plan.request.limits;
        let catch_up = limits
            .catch_up_percent
            .unwrap_or(data.rule(crate::rules::RuleId::CatchUpPercent).value.value)
            / 100.0;
        let products: Vec<Vec<ProductFacts>> = plan
            .drugs
            .iter()
            .map(|d| {
                d.products
                    .iter()
                    .map(|p| {
                        let reference = data.product(&p.id);
                        ProductFacts {
                            per: match p.step_ml {
                                Some(ml) => (p.strength.0 as f64 * ml).round() as i64,
                                None => p.strength.0,
                            },
                            quarters_per_piece: reference
                                .map(|r| r.divisible.value.quarters_per_piece())
                                .unwrap_or(4),
                            valid: reference
                                .is_some_and(|r| r.substance == d.substance && r.route == d.route),
                            form: p.form,
                        }
                    })
                    .collect()
            })
            .collect();
        let smallest = products
            .iter()
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        if form_is_liquid(p.form) {
                            Amount(p.per)
                        } else {
                            Amount(p.per * i64::from(p.quarters_per_piece) / 4)
                        }
                    })
                    .min()
                    .unwrap_or(Amount::ZERO)
            })
            .collect();
        Checker {
            plan,
            max_step: limits.max_step_percent / 100.0,
            catch_up,
            interval_days: i64::from(plan.request.pace().interval_weeks()) * 7,
            products,
            smallest,
            out: Vec::new(),
        }
    }

    /// Records a broken invariant.
    fn v(&mut self, step: usize, drug: Option<usize>, rule: Rule, detail: String) {
        self.out.push(Violation {
            step,
            drug,
            rule,
            detail,
        });
    }

    /// Invariant 5: steps are whole days, numbered in order, each at least a week but
    /// the last, which has no end, none before the plan.
    fn timeline(&mut self) {
        let plan = self.plan;
        for (k, s) in plan.steps.iter().enumerate() {
            if s.number != k + 1 {
                self.v(
                    s.number,
                    None,
                    Rule::Timeline,
                    format!("numbered {} at position {}", s.number, k + 1),
                );
            }
            if s.drugs.len() != plan.drugs.len() {
                self.v(s.number, None, Rule::Timeline, "a drug is missing".into());
            }
            match plan.steps.get(k + 1) {
                Some(next) => {
                    let days = (next.start - s.start).get_days();
                    if s.days != Some(days as u32) || days < 7 {
                        self.v(
                            s.number,
                            None,
                            Rule::Timeline,
                            format!("lasts {:?} days, next starts after {days}", s.days),
                        );
                    }
                }
                None => {
                    if s.days.is_some() {
                        self.v(
                            s.number,
                            None,
                            Rule::Timeline,
                            "the last step has an end".into(),
                        );
                    }
                }
            }
            if s.start < plan.request.start {
                self.v(
                    s.number,
                    None,
                    Rule::Timeline,
                    "starts before the plan".into(),
                );
            }
        }
    }

    /// The day of step `k`, counted from the plan's start.
    fn day_of(&self, k: usize) -> i64 {
        (self.plan.steps[k].start - self.plan.request.start).get_days() as i64
    }

    /// The dose of drug `i` in effect on `day` (the baseline before the first step).
    fn dose_on(&self, i: usize, day: i64) -> Amount {
        let mut dose = self.plan.baseline[i].per_day;
        for (k, s) in self.plan.steps.iter().enumerate() {
            if self.day_of(k) <= day {
                dose = s.drugs[i].per_day;
            } else {
                break;
            }
        }
        dose
    }
}

fn form_is_liquid(form: Form) -> bool {
    form.is_liquid()
}
