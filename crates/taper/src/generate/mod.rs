//! The generator: a request → a plan of achievable steps.
//!
//! Time runs in days from the plan's start. Each drug is a *track* (`track`) with its own
//! *curve* (`curve`: the opening phases, then the pace, drawn from its taper start), and
//! the step loop (`steps`) looks at each track on its curve's days: the step is the
//! smallest achievable daily dose, changing one dose time (`cut`), at or above the
//! highest of the curve's point, the largest allowed cut (a quarter more to catch up),
//! 75 % of the dose two weeks earlier (ASAM's ceiling) and the goal. When the products
//! allow no such step, a larger one waits for the curve and the ceiling's rate and is
//! marked with its reason. The last dose is held `final_hold_weeks` before the drug is
//! stopped.
//!
//! The rest, each in its own file and none reaching back up: `validate` (the request's
//! ranges), `defaults` (the rules and the class pace a request leaves to the engine),
//! `setup` (tracks, the switch, goals, order), `switch` (the switch to diazepam in
//! portions), `products` (doses made of products, the fewest products), `limit` (a limit
//! on the products per drug), `timeline` (holds and step lengths).

use crate::convert::{Tables, convert_resolved};
use crate::error::{InputError, Problem};
use crate::plan::*;
use crate::reference::ReferenceData;
use crate::regimen::resolve;
use crate::rules::RuleId;

mod curve;
mod cut;
mod defaults;
mod finish;
mod limit;
mod products;
mod setup;
mod steps;
mod switch;
mod timeline;
mod track;
mod validate;

pub use products::step_mg_per_day;
pub(crate) use products::{drug_step, totals};
pub use timeline::apply_hold;
pub use track::MAX_YEARS;
pub(crate) use validate::date_range;
pub use validate::{MAX_HOLDS, MAX_PRODUCTS};

use defaults::class_pace;
use setup::Setup;
use timeline::set_step_length;
use track::MAX_DAYS;
use validate::{range, validate_options};

/// Proposes a plan for a request, or says which field is wrong.
pub fn propose(data: &ReferenceData, request: &PlanRequest) -> Result<Plan, InputError> {
    let Some(limit) = request.limits.max_products else {
        return propose_as_asked(data, request);
    };
    range("limits.max_products", f64::from(limit), 1.0, 6.0)?;
    // The sets of products are chosen on the plan without holds and step lengths (they
    // are numbered against the plan the prescriber sees), which are applied once after.
    let mut bare = request.clone();
    bare.holds.clear();
    bare.step_lengths.clear();
    bare.limits.max_products = None;
    let unlimited = propose_as_asked(data, &bare)?;
    let mut restricted = request.clone();
    restricted.limits.max_products = None;
    for (i, chosen) in limit::product_sets_within(data, &bare, &unlimited, limit, &|r| {
        propose_as_asked(data, r)
    })? {
        restricted.regimen.drugs[i].products = chosen;
    }
    let mut plan = propose_as_asked(data, &restricted)?;
    // The plan's request is the one asked, with the pace it was made at.
    plan.request.regimen = request.regimen.clone();
    plan.request.limits.max_products = Some(limit);
    Ok(plan)
}

/// The plan for a request, every product limit aside.
fn propose_as_asked(data: &ReferenceData, request: &PlanRequest) -> Result<Plan, InputError> {
    let resolved = resolve(data, &request.regimen)?;
    let mut warnings = Vec::new();
    // The pace: the request's own, or its drug class's from the rules (the slowest of the
    // plan's classes), written into the plan's request.
    let request = &match &request.reduction {
        Some(_) => request.clone(),
        None => PlanRequest {
            reduction: Some(class_pace(data, &resolved, &mut warnings)),
            ..request.clone()
        },
    };
    validate_options(request)?;
    let tables = Tables::choose(data, &request.tables)?;
    let conversion = convert_resolved(data, &resolved, tables)?;
    let mut class_warnings = std::mem::replace(&mut warnings, conversion.warnings);
    warnings.append(&mut class_warnings);
    // The catch-up's share too: the request's own, or the rule's, kept in the plan.
    let request = &PlanRequest {
        limits: Limits {
            catch_up_percent: Some(
                request
                    .limits
                    .catch_up_percent
                    .unwrap_or(data.rule(RuleId::CatchUpPercent).value.value),
            ),
            ..request.limits.clone()
        },
        ..request.clone()
    };
    let setup = Setup::new(data, request, &resolved, tables, &mut warnings)?;
    let mut plan = setup.run(request)?;
    warnings.append(&mut plan.warnings);
    plan.warnings = warnings;
    for (k, l) in request.step_lengths.iter().enumerate() {
        set_step_length(&mut plan, data, l.step, l.weeks)
            .map_err(|p| InputError::new(format!("step_lengths[{k}]"), p))?;
    }
    for hold in &request.holds {
        apply_hold(&mut plan, hold.step, hold.weeks, &hold.reason)
            .map_err(|p| InputError::new("holds", p))?;
    }
    // The holds lengthen the plan: the limit holds for the plan as it will be followed.
    if (plan.end_date() - request.start).get_days() > MAX_DAYS as i32 {
        return Err(InputError::new(
            "holds",
            Problem::TooLong { years: MAX_YEARS },
        ));
    }
    Ok(plan)
}
