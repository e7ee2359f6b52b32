//! Quantities per product per period, for the prescriptions: whole tablets and capsules
//! (halves taken on different days come from the same tablet), patches, and ml.

use jiff::Span;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use trappa_i18n::Locale;

use crate::plan::Plan;
use crate::reference::Form;

/// How much of one product one period needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quantity {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// Plan drug index.
    pub drug: usize,
    /// Product id.
    pub product: String,
    /// Product name.
    pub name: String,
    /// Units (tablets, capsules, patches) or ml.
    pub amount: f64,
    /// "tabletter", "kapslar", "plåster", "ml", "droppar".
    pub unit: String,
}

/// Quantities for every period of `period_weeks` from the plan's start until the last
/// dose (and one period of a kept target dose), counted over the plan's
/// [`crate::schedule::Schedule`]: the current use before the first step is included.
pub fn quantities(plan: &Plan, period_weeks: u32, locale: Locale) -> Vec<Quantity> {
    let period_days = i64::from(period_weeks.max(1)) * 7;
    if plan.steps.is_empty() {
        return Vec::new();
    }
    let schedule = plan.schedule();
    let Some(last) = schedule.periods().last() else {
        return Vec::new();
    };
    let ends_with_dose = last.drugs.iter().any(|d| !d.per_day.is_zero());
    let end = if ends_with_dose {
        last.from.saturating_add(Span::new().days(period_days))
    } else {
        last.from
    };
    let total_days = (end - plan.request.start).get_days() as i64;
    let mut out = Vec::new();
    let mut from = 0i64;
    while from < total_days {
        let to = (from + period_days).min(total_days);
        // Per drug, per product: quarters (solids), measured steps (liquids), patch-days.
        let mut sums: Vec<Vec<f64>> = plan
            .drugs
            .iter()
            .map(|d| vec![0.0; d.products.len()])
            .collect();
        for period in schedule.periods() {
            let s = (period.from - plan.request.start).get_days() as i64;
            let e = match period.until {
                Some(u) => (u - plan.request.start).get_days() as i64,
                None => total_days,
            };
            let days = (e.min(to) - s.max(from)).max(0) as f64;
            if days == 0.0 {
                continue;
            }
            for (i, ds) in period.drugs.iter().enumerate() {
                for dose in ds.doses.iter().flatten() {
                    for part in &dose.parts {
                        sums[i][usize::from(part.product)] += f64::from(part.count) * days;
                    }
                }
            }
        }
        for (i, drug) in plan.drugs.iter().enumerate() {
            for (j, p) in drug.products.iter().enumerate() {
                let counted = sums[i][j];
                if counted == 0.0 {
                    continue;
                }
                let (amount, unit) = match (p.form, p.step_ml) {
                    (Form::OralSolution, Some(ml)) => ((counted * ml * 10.0).ceil() / 10.0, "ml"),
                    (Form::OralDrops, Some(_)) => (
                        counted,
                        if locale == Locale::Sv {
                            "droppar"
                        } else {
                            "drops"
                        },
                    ),
                    (Form::Patch, _) => {
                        let hours = f64::from(p.change_hours.unwrap_or(72));
                        (
                            (counted / 4.0 * 24.0 / hours).ceil(),
                            if locale == Locale::Sv {
                                "plåster"
                            } else {
                                "patches"
                            },
                        )
                    }
                    (Form::Capsule, _) => (
                        (counted / 4.0).ceil(),
                        if locale == Locale::Sv {
                            "kapslar"
                        } else {
                            "capsules"
                        },
                    ),
                    _ => (
                        (counted / 4.0).ceil(),
                        if locale == Locale::Sv {
                            "tabletter"
                        } else {
                            "tablets"
                        },
                    ),
                };
                out.push(Quantity {
                    from: plan.request.start.saturating_add(Span::new().days(from)),
                    to: plan.request.start.saturating_add(Span::new().days(to - 1)),
                    drug: i,
                    product: p.id.clone(),
                    name: p.name.clone(),
                    amount,
                    unit: unit.to_owned(),
                });
            }
        }
        from = to;
    }
    out
}
