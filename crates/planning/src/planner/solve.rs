//! The search: vrp-core's solver over the encoded week, within the time budget and
//! stopped when asked.

use crate::model::{Mode, Problem};
use vrp_core::construction::features::{VehicleSkillsDimension, create_skills_feature};
use vrp_core::models::{GoalBuilder, GoalContextBuilder};
use vrp_core::prelude::{
    DefaultRandom, Environment, Feature, FeatureBuilder, MinimizeUnassignedBuilder, Solver,
    TransportFeatureBuilder, VehicleBuilder, VehicleDetailBuilder, ViolationCode, VrpConfigBuilder,
};
use vrp_core::rosomaxa::utils::{Parallelism, TimeQuota};

use super::*;

/// One stop of a solved route, before exact timing: a visit in a mode, or lunch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Item {
    Visit(usize, Mode),
    Lunch,
}

/// One solve: each staff-day's items in order, and the visits vrp-core left out.
pub(super) struct Solved {
    pub(super) routes: Vec<(usize, Vec<Item>)>,
    pub(super) left: Vec<usize>,
}

/// Solves the week: the visits and lunches as jobs, the staff-days as vehicles, the
/// goal in its order, vrp-core within the time budget; then each route's items.
pub(super) fn solve(
    problem: &Problem,
    settings: &Settings,
    held: &Held,
) -> Result<Solved, PlannerError> {
    let mut enc = Encoding::new(problem);
    enc.held = held.stops.iter().map(|(v, h)| (*v, h.staff_day)).collect();
    let mut jobs = Vec::new();
    let mut left = Vec::new();
    // A locked day's visits and the day itself stay out of the solve.
    for (i, v) in problem.visits.iter().enumerate() {
        if held.kept_visits.contains(&i) {
            enc.modes.push(Vec::new());
            continue;
        }
        match enc.visit_job(i, v)? {
            Some(j) => jobs.push(j),
            None => left.push(i),
        }
    }
    for (i, d) in problem.staff_days.iter().enumerate() {
        if held.locked.contains(&i) {
            continue;
        }
        if let Some(j) = enc.lunch_job(i, d)? {
            jobs.push(j);
        }
    }
    let vehicles = vehicles(&enc, problem, held)?;
    let transport = Arc::new(enc.transport()?);
    let modes = Arc::new(enc.modes.clone());
    let goal = goal(problem, settings, &modes, transport.clone())?;
    // vrp-core prints to stdout unless given a logger.
    let logger: vrp_core::prelude::InfoLogger =
        Arc::new(|message: &str| tracing::debug!(target: "trappa_planning::vrp", "{message}"));
    let vrp = Arc::new(
        vrp_core::prelude::ProblemBuilder::default()
            .with_logger(logger.clone())
            .add_jobs(jobs.into_iter())
            .add_vehicles(vehicles.into_iter())
            .with_goal(goal)
            .with_transport_cost(transport)
            .build()?,
    );
    let environment = Arc::new(Environment::new(
        Arc::new(DefaultRandom::new_repeatable()),
        Some(Arc::new(Quota {
            time: TimeQuota::new(settings.max_seconds),
            stop: settings.stop.clone(),
        })),
        Parallelism::new_with_cpus(settings.threads.max(1)),
        logger,
        false,
    ));
    let config = VrpConfigBuilder::new(vrp.clone())
        .set_environment(environment)
        .prebuild()?
        .with_max_time(Some(settings.max_seconds.ceil() as usize))
        .with_max_generations(Some(settings.max_generations))
        .build()?;
    let solution = Solver::new(vrp, config).solve()?;
    let routes = routes_of(&solution, &modes);
    left.extend(
        solution
            .unassigned
            .iter()
            .filter_map(|(job, _)| visit_of(job.dimens())),
    );
    Ok(Solved { routes, left })
}

/// A vehicle per staff-day not locked: from and back to its start point within its
/// shift, with its profession and its own skill (which binds its lunch to it).
fn vehicles(
    enc: &Encoding<'_>,
    problem: &Problem,
    held: &Held,
) -> Result<Vec<vrp_core::models::problem::Vehicle>, PlannerError> {
    let mut vehicles = Vec::new();
    for (i, d) in problem.staff_days.iter().enumerate() {
        if held.locked.contains(&i) {
            continue;
        }
        let at = enc.start_location[i];
        vehicles.push(
            VehicleBuilder::default()
                .id(&format!("{i}"))
                .add_detail(
                    VehicleDetailBuilder::default()
                        .set_start_location(at)
                        .set_start_time(enc.at(d.day, d.shift.from))
                        .set_end_location(at)
                        .set_end_time(enc.at(d.day, d.shift.to))
                        .build()?,
                )
                .dimension(|dims| {
                    dims.set_value::<StaffDayKey, usize>(i);
                    dims.set_value::<AtBaseKey, bool>(d.at_base);
                    dims.set_vehicle_skills(
                        [d.profession.clone(), staff_day_skill(i)]
                            .into_iter()
                            .collect(),
                    );
                })
                .build()?,
        );
    }
    Ok(vehicles)
}

/// The goal, in order: place every visit (lunch is never traded for one), then the
/// usual clinician, then km with a km price per digital visit; the skills and the
/// base's rooms as constraints.
fn goal(
    problem: &Problem,
    settings: &Settings,
    modes: &Arc<Vec<Vec<Mode>>>,
    transport: Arc<vrp_core::prelude::SimpleTransportCost>,
) -> Result<vrp_core::models::GoalContext, PlannerError> {
    let unassigned = MinimizeUnassignedBuilder::new("unassigned")
        // Lunch is never traded for a visit.
        .set_job_estimator(|_, job| {
            if job.dimens().get_value::<LunchKey, usize>().is_some() {
                10.0
            } else {
                1.0
            }
        })
        .build()?;
    let travel = TransportFeatureBuilder::new("travel")
        .set_transport_cost(transport.clone())
        .set_time_constrained(true)
        .build_minimize_distance()?;
    let skills = create_skills_feature("skills", ViolationCode(2))?;
    let continuity = FeatureBuilder::default()
        .with_name("continuity")
        .with_objective(Continuity {
            preferred: Arc::new(problem.visits.iter().map(|v| v.preferred.clone()).collect()),
            staff: Arc::new(problem.staff_days.iter().map(|d| d.staff.clone()).collect()),
        })
        .build()?;
    let digital = FeatureBuilder::default()
        .with_name("digital")
        .with_objective(Digital {
            modes: modes.clone(),
            penalty_km: settings.digital_penalty_km,
        })
        .build()?;
    let at_base = FeatureBuilder::default()
        .with_name("at-base")
        .with_constraint(AtBase {
            modes: modes.clone(),
        })
        .build()?;
    let features = vec![
        unassigned.clone(),
        travel.clone(),
        skills,
        at_base,
        continuity.clone(),
        digital.clone(),
    ];
    let objective = |f: &Feature| {
        f.objective
            .clone()
            .ok_or_else(|| PlannerError(format!("feature {} has no objective", f.name)))
    };
    // Placing a visit comes first — a review before a dose step matters more than who
    // holds it; then the usual clinician; then road.
    let goal = GoalBuilder::default()
        .add_single(objective(&unassigned)?)
        .add_single(objective(&continuity)?)
        .add_multi(
            &[objective(&travel)?, objective(&digital)?],
            |objectives, a, b| {
                let sum = |s| objectives.iter().map(|o| o.fitness(s)).sum::<f64>();
                sum(a).total_cmp(&sum(b))
            },
            |objectives, m| objectives.iter().map(|o| o.estimate(m)).sum(),
        )
        .build()?;
    Ok(GoalContextBuilder::with_features(&features)?
        .set_main_goal(goal)
        .build()?)
}

/// Each staff-day's items in the order the solution visits them.
fn routes_of(
    solution: &vrp_core::prelude::Solution,
    modes: &[Vec<Mode>],
) -> Vec<(usize, Vec<Item>)> {
    let mut routes = Vec::new();
    for route in &solution.routes {
        let Some(s) = route
            .actor
            .vehicle
            .dimens
            .get_value::<StaffDayKey, usize>()
            .copied()
        else {
            continue;
        };
        let items = route
            .tour
            .all_activities()
            .filter_map(|a| {
                let single = a.job.as_ref()?;
                if single.dimens.get_value::<LunchKey, usize>().is_some() {
                    return Some(Item::Lunch);
                }
                let v = visit_of(&single.dimens)?;
                Some(Item::Visit(v, *modes[v].get(a.place.idx)?))
            })
            .collect();
        routes.push((s, items));
    }
    routes
}
