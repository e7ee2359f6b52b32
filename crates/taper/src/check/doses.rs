//! Invariant 4: every dose is made of the plan's products, split only as allowed,
//! within the limits per dose time; patches use one slot. Also: the doses sum to the
//! day's dose, and no day's dose is below the goal (invariant 6).

use super::{Checker, EPS, Rule, form_is_liquid};
use crate::amount::Amount;
use crate::plan::{Dose, DrugStep};
use crate::reference::Route;

impl Checker<'_> {
    /// Checks every dose of the baseline and of every step.
    pub(super) fn doses(&mut self) {
        let plan = self.plan;
        let all_steps = std::iter::once((0, plan.baseline.as_slice()))
            .chain(plan.steps.iter().map(|s| (s.number, s.drugs.as_slice())));
        for (number, drugs) in all_steps {
            for (i, ds) in drugs.iter().enumerate() {
                if i < self.products.len() {
                    self.drug_doses(number, i, ds);
                }
            }
        }
    }

    /// Drug `i`'s doses at step `number`.
    fn drug_doses(&mut self, number: usize, i: usize, ds: &DrugStep) {
        let plan = self.plan;
        let mut sum = Amount::ZERO;
        for (slot, dose) in ds.doses.iter().enumerate() {
            let Some(dose) = dose else { continue };
            if plan.drugs[i].route == Route::Transdermal && slot != 0 {
                self.v(
                    number,
                    Some(i),
                    Rule::NotAchievable,
                    "a patch dose outside the first slot".into(),
                );
            }
            self.dose_made(number, i, dose);
            sum += dose.amount;
        }
        if sum != ds.per_day {
            self.v(
                number,
                Some(i),
                Rule::NotAchievable,
                format!("doses sum to {sum}, per day says {}", ds.per_day),
            );
        }
        if ds.per_day < plan.drugs[i].target && !(plan.drugs[i].target.is_zero()) {
            self.v(number, Some(i), Rule::TooFast, "below the goal".into());
        }
    }

    /// One dose of drug `i`: its parts are the drug's products, split as allowed, no
    /// more pieces or millilitres than the limits, and they make the dose's amount.
    fn dose_made(&mut self, number: usize, i: usize, dose: &Dose) {
        let plan = self.plan;
        let limits = &plan.request.limits;
        let mut made = 0i64;
        let mut pieces = 0u32;
        let mut liquid = false;
        let mut solid = false;
        for part in &dose.parts {
            let Some(&product) = self.products[i].get(usize::from(part.product)) else {
                self.v(
                    number,
                    Some(i),
                    Rule::NotAchievable,
                    "unknown product".into(),
                );
                continue;
            };
            if !product.valid {
                self.v(
                    number,
                    Some(i),
                    Rule::NotAchievable,
                    "product of another substance or route".into(),
                );
            }
            if form_is_liquid(product.form) {
                liquid = true;
                made += product.per * i64::from(part.count);
                pieces += 1;
                let ml = plan.drugs[i].products[usize::from(part.product)]
                    .step_ml
                    .unwrap_or(0.0)
                    * f64::from(part.count);
                if ml > limits.dose.max_volume_ml + EPS {
                    self.v(
                        number,
                        Some(i),
                        Rule::NotAchievable,
                        format!("{ml} ml in one dose"),
                    );
                }
            } else {
                solid = true;
                let step = product.quarters_per_piece;
                if part.count % step != 0 || part.count == 0 {
                    self.v(
                        number,
                        Some(i),
                        Rule::NotAchievable,
                        format!(
                            "{} quarters of a product divisible in {}",
                            part.count,
                            4 / step
                        ),
                    );
                }
                made += product.per * i64::from(part.count) / 4;
                pieces += part.count / 4 + (part.count % 4).div_ceil(step);
            }
        }
        let max_pieces = if plan.drugs[i].route == Route::Transdermal {
            limits.dose.max_patches
        } else {
            limits.dose.max_pieces
        };
        if liquid && solid {
            self.v(
                number,
                Some(i),
                Rule::NotAchievable,
                "liquid and tablets in one dose".into(),
            );
        }
        if pieces > max_pieces {
            self.v(
                number,
                Some(i),
                Rule::NotAchievable,
                format!("{pieces} pieces in one dose"),
            );
        }
        if made != dose.amount.0 {
            self.v(
                number,
                Some(i),
                Rule::NotAchievable,
                format!("parts make {} not {}", Amount(made), dose.amount),
            );
        }
    }
}
