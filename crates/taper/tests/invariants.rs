//! The engine's invariants over generated regimens: every substance, random product
//! sets (liquids and licence products included), achievable starting doses, every
//! strategy with random parameters, one to three drugs, staggered, ordered or parallel,
//! substitution, goals and holds. The oracle is `check::check`, which does not share
//! the generator's code.

mod common;

use common::{DATA, case, request};
use proptest::prelude::*;
use trappa_taper::plan::*;
use trappa_taper::{check, propose};

/// How many regimens each run generates (the issue asks for at least 10,000).
const CASES: u32 = 10_000;

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_generated_plan_keeps_every_invariant(case in case()) {
        let Some(mut req) = request(&case) else { return Ok(()) };
        let plan = match propose(&DATA, &req) {
            Ok(plan) => plan,
            Err(e) => {
                // The only refusals allowed for a valid regimen: a plan longer than the
                // engine plans ahead (tiny steps at long intervals), a substance without a
                // hyperbolic parameter, a switch the chosen table has no factor for, or a goal
                // no single dose change can approach.
                let no_factor_for_switch = matches!(e.problem, trappa_taper::Problem::NoFactor { .. }) && req.substitution.is_some();
                let goal_out_of_reach = matches!(e.problem, trappa_taper::Problem::CannotMake { .. }) && e.field.starts_with("goals");
                prop_assert!(
                    no_factor_for_switch || goal_out_of_reach || matches!(e.problem, trappa_taper::Problem::TooLong { .. } | trappa_taper::Problem::NoEd50 { .. }),
                    "refused: {e:?} for {req:#?}"
                );
                return Ok(());
            }
        };
        let violations = check::check(&plan, &DATA);
        prop_assert!(violations.is_empty(), "{violations:#?}\n{req:#?}");

        // The plan ends: every drug stopped, or at its goal.
        prop_assert!(!plan.steps.is_empty(), "no steps for {req:#?}");
        let last = plan.steps.last().expect("a plan has steps");
        for (i, d) in last.drugs.iter().enumerate() {
            let target = plan.drugs[i].target;
            prop_assert!(d.per_day >= target, "below goal");
            if target.is_zero() {
                prop_assert!(d.per_day.is_zero(), "{} not stopped", plan.drugs[i].name);
            }
        }
        // Never faster than asked: with the slow strategy, a reduction within the
        // maximum cuts no more than the asked share per interval the dose was held.
        if let Reduction::Slow { percent, interval_weeks, low_dose } = &plan.request.pace() {
            let p = percent.max(low_dose.percent.unwrap_or(0.0)) / 100.0;
            let interval = f64::from((*interval_weeks).min(low_dose.interval_weeks.unwrap_or(u32::MAX)) * 7);
            for i in 0..plan.drugs.len() {
                let mut last_change = -interval;
                let mut before = plan.baseline[i].per_day;
                for s in &plan.steps {
                    let day = f64::from((s.start - plan.request.start).get_days());
                    let d = &s.drugs[i];
                    if d.change == Change::Reduced {
                        let cut = 1.0 - d.per_day.as_f64() / before.as_f64();
                        let allowed = 1.0 - (1.0 - p).powf((day - last_change) / interval);
                        prop_assert!(cut <= allowed + 1e-9, "step {}: cut {cut} > {allowed}", s.number);
                    }
                    if d.per_day != before {
                        last_change = day;
                        before = d.per_day;
                    }
                }
            }
        }
        // A hold anywhere keeps every invariant too.
        if let Some((step, weeks)) = case.hold {
            req.holds.push(Hold { step: usize::from(step) % plan.steps.len() + 1, weeks, reason: "test".into() });
            match propose(&DATA, &req) {
                Ok(held) => {
                    let violations = check::check(&held, &DATA);
                    prop_assert!(violations.is_empty(), "with a hold: {violations:#?}");
                    prop_assert!(held.end_date() >= plan.end_date());
                }
                // Refused only when the hold makes the plan longer than the engine plans.
                Err(e) => {
                    let days = (plan.end_date() - plan.request.start).get_days() + weeks as i32 * 7;
                    prop_assert!(
                        matches!(e.problem, trappa_taper::Problem::TooLong { .. })
                            && days > trappa_taper::generate::MAX_YEARS as i32 * 365,
                        "the same request with a hold: {e:?}"
                    );
                }
            }
        }
    }
}
