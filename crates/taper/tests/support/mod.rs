//! Requests for hand-worked tests: one builder instead of a near-copy per test file.
#![allow(dead_code)] // Each test binary uses its own part.

use std::sync::LazyLock;

use jiff::civil::Date;
use trappa_taper::Plan;
use trappa_taper::plan::*;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};

/// The shipped reference data.
pub static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

/// The plans' first day.
pub fn start() -> Date {
    "2026-12-01".parse().unwrap()
}

/// A request for drugs given as (substance, doses per dose time, product ids), one at a
/// time, with the default limits.
pub fn request(drugs: &[(&str, &[f64], &[&str])], reduction: Reduction) -> PlanRequest {
    PlanRequest {
        regimen: Regimen {
            drugs: drugs
                .iter()
                .map(|(s, d, p)| DrugUse {
                    substance: (*s).into(),
                    route: None,
                    doses: d.to_vec(),
                    products: p.iter().map(|x| (*x).to_owned()).collect(),
                    as_needed: None,
                    special_products: false,
                })
                .collect(),
        },
        start: start(),
        tables: Default::default(),
        reduction: Some(reduction),
        substitution: None,
        multi: MultiDrug::Staggered {},
        goals: vec![],
        limits: Limits::default(),
        holds: vec![],
        dose_times: vec![],
        phases: Vec::new(),
        step_lengths: Vec::new(),
    }
}

/// The slow strategy without a low-dose rule of its own.
pub fn slow(percent: f64, weeks: u32) -> Reduction {
    Reduction::Slow {
        percent,
        interval_weeks: weeks,
        low_dose: LowDose::default(),
    }
}

/// A step's day from the plan's start.
pub fn day(plan: &Plan, s: &Step) -> i64 {
    i64::from((s.start - plan.request.start).get_days())
}

/// Drug `i`'s daily dose at each step, as numbers.
pub fn per_day(plan: &Plan, i: usize) -> Vec<f64> {
    plan.steps
        .iter()
        .map(|s| s.drugs[i].per_day.as_f64())
        .collect()
}
