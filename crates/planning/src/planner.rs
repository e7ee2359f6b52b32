//! The planner: the week as a vehicle routing problem solved by vrp-core, then made exact.
//!
//! Each staff-day is a vehicle leaving its start point when the shift starts and back by
//! its end; each visit a job with one place per allowed mode — the patient's vårdcentral
//! (its windows cut to the rooms lent there), the base, and a place without location for
//! video or phone (taken wherever the clinician is). Time runs in minutes from midnight
//! of the horizon's first day. Lunch is a job of its own, bound to its staff-day by a
//! skill, as the profession is bound to the visit. The goal, in order: place every visit;
//! give visits to their usual clinician; then drive as few km as possible, counting a
//! digital visit as `digital_penalty_km` of driving, so the team goes in person unless
//! that costs more road than a unit finds worth it.
//!
//! A lent room serves one visit at a time, across clinicians: a constraint between routes
//! that vrp-core's moves cannot see. The solve treats the room's hours as the
//! vårdcentral's windows; then every route is walked and re-timed exactly — earliest
//! starts, lunch, a named free room per visit, in staff-day order — and whatever no
//! longer fits is met digitally where allowed, or listed as unplanned with its reason.
//! [`crate::check::check`] stays the judge; the tests run it on every plan made here.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use vrp_core::construction::features::{
    JobSkills, JobSkillsDimension, VehicleSkillsDimension, create_skills_feature,
};
use vrp_core::models::common::{Location, TimeWindow};
use vrp_core::models::problem::JobPlaceBuilder;
use vrp_core::models::{GoalBuilder, GoalContextBuilder};
use vrp_core::prelude::{
    ConstraintViolation, Cost, DefaultRandom, Environment, Feature, FeatureBuilder,
    FeatureConstraint, FeatureObjective, InsertionContext, Job, MinimizeUnassignedBuilder,
    MoveContext, SimpleTransportCost, SingleBuilder, Solver, TransportFeatureBuilder,
    VehicleBuilder, VehicleDetailBuilder, ViolationCode, VrpConfigBuilder,
};
use vrp_core::rosomaxa::utils::{Parallelism, TimeQuota};

use crate::baseline::reason;
use crate::model::{Minute, Mode, Plan, Problem, Route, StaffDay, Stop, Unassigned, Visit};
use crate::travel::Point;

/// How long and how hard the planner searches, and what a digital visit costs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Seconds of search, at most.
    pub max_seconds: f64,
    /// Generations of search, at most.
    pub max_generations: usize,
    /// What a visit by video or phone costs, in km of driving (Trappa's default 60 km,
    /// about an hour on the road: three patients at one vårdcentral are worth a
    /// 90 km drive each way; status U — the unit sets its own).
    pub digital_penalty_km: f64,
    /// Threads the search may use.
    pub threads: usize,
    /// Raised from outside to end the search at once (the client went away); the
    /// search then stops as at its time limit.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_seconds: 20.0,
            max_generations: 1_000_000,
            digital_penalty_km: 60.0,
            threads: 2,
            stop: None,
        }
    }
}

/// The search's end: its time, or the caller's stop flag, whichever comes first.
struct Quota {
    time: TimeQuota,
    stop: Option<Arc<AtomicBool>>,
}

impl vrp_core::rosomaxa::utils::Quota for Quota {
    fn is_reached(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
            || self.time.is_reached()
    }
}

/// Why the solver could not run at all (a malformed problem for vrp-core).
#[derive(Debug, thiserror::Error)]
#[error("the planner could not run: {0}")]
pub struct PlannerError(String);

impl From<vrp_core::prelude::GenericError> for PlannerError {
    fn from(e: vrp_core::prelude::GenericError) -> Self {
        PlannerError(e.to_string())
    }
}

/// Minutes in a day, for absolute time across the horizon.
const DAY: f64 = 1440.0;

/// Keys of our own values on vrp-core's jobs and vehicles.
struct VisitKey;
struct LunchKey;
struct StaffDayKey;
struct AtBaseKey;

/// The problem as vrp-core sees it, and the tables to read its solution back.
struct Encoding<'a> {
    problem: &'a Problem,
    first_day: Date,
    /// Location index of each site id (the base is 0).
    site_location: HashMap<&'a str, Location>,
    /// Location index of each staff-day's start.
    start_location: Vec<Location>,
    points: Vec<Point>,
    /// For each visit, the mode of each of its job's places (empty: no place at all).
    modes: Vec<Vec<Mode>>,
    /// Pinned visits, by their staff-day.
    held: HashMap<usize, usize>,
}

impl<'a> Encoding<'a> {
    fn new(problem: &'a Problem) -> Self {
        let first_day = problem
            .staff_days
            .iter()
            .map(|d| d.day)
            .min()
            .unwrap_or(Date::MIN);
        let mut points = vec![problem.base.point];
        let mut site_location = HashMap::new();
        site_location.insert(problem.base.id.as_str(), 0);
        for s in &problem.sites {
            site_location.insert(s.id.as_str(), points.len());
            points.push(s.point);
        }
        let start_location = problem
            .staff_days
            .iter()
            .map(|d| match points.iter().position(|p| *p == d.start) {
                Some(i) => i,
                None => {
                    points.push(d.start);
                    points.len() - 1
                }
            })
            .collect();
        Encoding {
            problem,
            first_day,
            site_location,
            start_location,
            points,
            modes: Vec::new(),
            held: HashMap::new(),
        }
    }

    /// Absolute minutes of `minute` on `day`.
    fn at(&self, day: Date, minute: Minute) -> f64 {
        let days = (day - self.first_day).get_days();
        f64::from(days) * DAY + f64::from(minute)
    }

    fn transport(&self) -> Result<SimpleTransportCost, PlannerError> {
        let travel = &self.problem.travel;
        let mut durations = Vec::with_capacity(self.points.len().pow(2));
        let mut distances = Vec::with_capacity(self.points.len().pow(2));
        for a in &self.points {
            for b in &self.points {
                durations.push(f64::from(travel.minutes(*a, *b)));
                distances.push(travel.km(*a, *b));
            }
        }
        Ok(SimpleTransportCost::new(durations, distances)?)
    }

    /// Start windows of a visit of `minutes` inside `windows`, as absolute time.
    fn starts(
        &self,
        minutes: u32,
        windows: impl Iterator<Item = (Date, Minute, Minute)>,
    ) -> Vec<TimeWindow> {
        windows
            .filter(|(_, from, to)| from + minutes <= *to)
            .map(|(d, from, to)| TimeWindow::new(self.at(d, from), self.at(d, to - minutes)))
            .collect()
    }

    /// The job of visit `index`, with a place per allowed mode; `None` if no mode has any
    /// window (the visit is left out with its reason).
    fn visit_job(&mut self, index: usize, v: &Visit) -> Result<Option<Job>, PlannerError> {
        let mut places = Vec::new();
        let mut modes = Vec::new();
        if v.modes.contains(&Mode::OwnVardcentral)
            && let Some(location) = self.site_location.get(v.site.as_str()).copied()
        {
            let rooms = self
                .problem
                .rooms
                .iter()
                .filter(|r| r.site == v.site)
                .flat_map(|r| {
                    v.windows
                        .iter()
                        .filter(move |(d, _)| *d == r.day)
                        .map(move |(d, w)| (*d, w.from.max(r.window.from), w.to.min(r.window.to)))
                });
            let times = self.starts(v.minutes, rooms);
            if !times.is_empty() {
                places.push((Some(location), times));
                modes.push(Mode::OwnVardcentral);
            }
        }
        let own = self.starts(v.minutes, v.windows.iter().map(|(d, w)| (*d, w.from, w.to)));
        if v.modes.contains(&Mode::Base) && !own.is_empty() {
            places.push((Some(0), own.clone()));
            modes.push(Mode::Base);
        }
        let digital = [Mode::Video, Mode::Phone]
            .into_iter()
            .find(|m| v.modes.contains(m));
        if let Some(m) = digital
            && !own.is_empty()
        {
            places.push((None, own));
            modes.push(m);
        }
        self.modes.push(modes);
        if places.is_empty() {
            return Ok(None);
        }
        // A pinned visit stays with its staff-day.
        let mut all_of = vec![v.profession.clone()];
        if let Some(k) = self.held.get(&index) {
            all_of.push(staff_day_skill(*k));
        }
        let mut job = SingleBuilder::default().id(&v.id).dimension(|d| {
            d.set_value::<VisitKey, usize>(index);
            d.set_job_skills(JobSkills::new(Some(all_of), None, None));
        });
        for (location, times) in places {
            job = job.add_place(
                JobPlaceBuilder::default()
                    .location(location)
                    .duration(f64::from(v.minutes))
                    .times(times)
                    .build()?,
            );
        }
        Ok(Some(job.build_as_job()?))
    }

    fn lunch_job(&self, index: usize, d: &StaffDay) -> Result<Option<Job>, PlannerError> {
        let Some(l) = d.lunch else { return Ok(None) };
        let times = self.starts(
            l.minutes,
            std::iter::once((d.day, l.within.from, l.within.to)),
        );
        if times.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            SingleBuilder::default()
                .id(&format!("lunch:{index}"))
                .dimension(|dims| {
                    dims.set_value::<LunchKey, usize>(index);
                    dims.set_job_skills(JobSkills::new(
                        Some(vec![staff_day_skill(index)]),
                        None,
                        None,
                    ));
                })
                .add_place(
                    JobPlaceBuilder::default()
                        .location(None)
                        .duration(f64::from(l.minutes))
                        .times(times)
                        .build()?,
                )
                .build_as_job()?,
        ))
    }
}

fn staff_day_skill(index: usize) -> String {
    format!("staff-day:{index}")
}

fn visit_of(dims: &vrp_core::prelude::Dimensions) -> Option<usize> {
    dims.get_value::<VisitKey, usize>().copied()
}

/// Continuity: a visit given to someone other than its usual clinician costs 1.
struct Continuity {
    preferred: Arc<Vec<Option<String>>>,
    staff: Arc<Vec<String>>,
}

impl Continuity {
    fn miss(&self, visit: Option<usize>, staff_day: Option<usize>) -> f64 {
        match (visit, staff_day) {
            (Some(v), Some(s)) => match &self.preferred[v] {
                Some(p) if *p != self.staff[s] => 1.0,
                _ => 0.0,
            },
            _ => 0.0,
        }
    }
}

impl FeatureObjective for Continuity {
    fn fitness(&self, solution: &InsertionContext) -> Cost {
        solution
            .solution
            .routes
            .iter()
            .map(|r| {
                let s = r
                    .route()
                    .actor
                    .vehicle
                    .dimens
                    .get_value::<StaffDayKey, usize>()
                    .copied();
                r.route()
                    .tour
                    .jobs()
                    .map(|j| self.miss(visit_of(j.dimens()), s))
                    .sum::<f64>()
            })
            .sum()
    }

    fn estimate(&self, move_ctx: &MoveContext<'_>) -> Cost {
        match move_ctx {
            MoveContext::Route { route_ctx, job, .. } => self.miss(
                visit_of(job.dimens()),
                route_ctx
                    .route()
                    .actor
                    .vehicle
                    .dimens
                    .get_value::<StaffDayKey, usize>()
                    .copied(),
            ),
            MoveContext::Activity { .. } => 0.0,
        }
    }
}

/// A visit met by video or phone costs `penalty_km`.
struct Digital {
    modes: Arc<Vec<Vec<Mode>>>,
    penalty_km: f64,
}

impl Digital {
    fn cost(&self, activity: &vrp_core::models::solution::Activity) -> f64 {
        let Some(v) = activity.job.as_ref().and_then(|j| visit_of(&j.dimens)) else {
            return 0.0;
        };
        match self.modes[v].get(activity.place.idx) {
            Some(m) if !m.in_person() => self.penalty_km,
            _ => 0.0,
        }
    }
}

impl FeatureObjective for Digital {
    fn fitness(&self, solution: &InsertionContext) -> Cost {
        solution
            .solution
            .routes
            .iter()
            .flat_map(|r| r.route().tour.all_activities())
            .map(|a| self.cost(a))
            .sum()
    }

    fn estimate(&self, move_ctx: &MoveContext<'_>) -> Cost {
        match move_ctx {
            MoveContext::Route { .. } => 0.0,
            MoveContext::Activity { activity_ctx, .. } => self.cost(activity_ctx.target),
        }
    }
}

/// A day at the base sees no one at a vårdcentral.
struct AtBase {
    modes: Arc<Vec<Vec<Mode>>>,
}

impl FeatureConstraint for AtBase {
    fn evaluate(&self, move_ctx: &MoveContext<'_>) -> Option<ConstraintViolation> {
        let MoveContext::Activity {
            route_ctx,
            activity_ctx,
        } = move_ctx
        else {
            return None;
        };
        let vehicle = &route_ctx.route().actor.vehicle.dimens;
        if vehicle.get_value::<AtBaseKey, bool>() != Some(&true) {
            return None;
        }
        let target = activity_ctx.target;
        let v = target.job.as_ref().and_then(|j| visit_of(&j.dimens))?;
        (self.modes[v].get(target.place.idx) == Some(&Mode::OwnVardcentral)).then_some(
            ConstraintViolation {
                code: ViolationCode(3),
                stopped: false,
            },
        )
    }
}

/// One stop of a solved route, before exact timing: a visit in a mode, or lunch.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Visit(usize, Mode),
    Lunch,
}

/// One solve: each staff-day's items in order, and the visits vrp-core left out.
struct Solved {
    routes: Vec<(usize, Vec<Item>)>,
    left: Vec<usize>,
}

fn solve(problem: &Problem, settings: &Settings, held: &Held) -> Result<Solved, PlannerError> {
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
    let transport = Arc::new(enc.transport()?);
    let modes = Arc::new(enc.modes.clone());

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
    let goal = GoalContextBuilder::with_features(&features)?
        .set_main_goal(goal)
        .build()?;
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
    left.extend(
        solution
            .unassigned
            .iter()
            .filter_map(|(job, _)| visit_of(job.dimens())),
    );
    Ok(Solved { routes, left })
}

/// Lent rooms' bookings: start, end and the visit, per room.
type Booked = HashMap<usize, Vec<(Minute, Minute, usize)>>;

/// A visit held where it is on a re-plan.
#[derive(Debug, Clone, Copy)]
struct HeldStop {
    staff_day: usize,
    room: Option<usize>,
    start: Minute,
    mode: Mode,
}

/// What a re-plan keeps: pinned visits by index; locked staff-days, their routes as
/// they were, and those routes' visits.
#[derive(Debug, Default)]
struct Held {
    stops: HashMap<usize, HeldStop>,
    locked: HashSet<usize>,
    kept_routes: Vec<Route>,
    kept_visits: HashSet<usize>,
}

/// A route re-timed exactly.
struct Timed {
    stops: Vec<Stop>,
    lunch: Option<Minute>,
}

/// Why a route could not be timed.
enum Misfit {
    /// The item at this index does not fit where it is: met another way or given up.
    Item(usize),
    /// Lunch, at this index of the items (the end if not among them), comes too late.
    LateLunch(usize),
}

/// The earliest start at or after `at` inside one of the visit's windows on `day`.
fn earliest_in_windows(visit: &Visit, day: Date, at: Minute) -> Option<Minute> {
    visit
        .windows
        .iter()
        .filter(|(d, _)| *d == day)
        .filter_map(|(_, w)| {
            let s = at.max(w.from);
            (s + visit.minutes <= w.to).then_some(s)
        })
        .min()
}

/// The earliest start at or after `at` in a room lent at the visit's site that day, free
/// of `booked`, and inside the visit's windows.
fn earliest_in_room(
    problem: &Problem,
    visit: &Visit,
    day: Date,
    at: Minute,
    booked: &Booked,
) -> Option<(Minute, usize)> {
    let me = problem.visits.iter().position(|v| v.id == visit.id);
    problem
        .rooms
        .iter()
        .enumerate()
        .filter(|(_, r)| r.site == visit.site && r.day == day)
        .filter_map(|(i, r)| {
            let mut s = at.max(r.window.from);
            // A held visit's own booking does not keep it out.
            let taken: Vec<(Minute, Minute)> = booked
                .get(&i)
                .into_iter()
                .flatten()
                .filter(|b| Some(b.2) != me)
                .map(|b| (b.0, b.1))
                .collect();
            // Step past bookings and outside windows until a start fits, or none does.
            for _ in 0..=taken.len() + visit.windows.len() + 1 {
                let w = earliest_in_windows(visit, day, s)?;
                s = w;
                if s + visit.minutes > r.window.to {
                    return None;
                }
                match taken.iter().find(|(b, e)| s < *e && *b < s + visit.minutes) {
                    Some((_, e)) => s = *e,
                    None => return Some((s, i)),
                }
            }
            None
        })
        .min()
}

/// Walks one staff-day's items from its start, each as early as it can be, naming rooms.
fn time_route(
    problem: &Problem,
    day: &StaffDay,
    items: &[Item],
    booked: &Booked,
) -> Result<Timed, Misfit> {
    let travel = &problem.travel;
    let mut here = day.start;
    let mut t = day.shift.from;
    let mut lunch = None;
    let mut stops = Vec::new();
    let mut mine: Booked = booked.clone();
    let mut last_visit = None;
    let has_visits = items.iter().any(|i| matches!(i, Item::Visit(..)));
    for (k, item) in items.iter().enumerate() {
        match *item {
            Item::Lunch => {
                let Some(l) = day.lunch.filter(|_| has_visits) else {
                    continue;
                };
                let at = t.max(l.within.from);
                if at + l.minutes > l.within.to {
                    return Err(Misfit::LateLunch(k));
                }
                lunch = Some(at);
                t = at + l.minutes;
            }
            Item::Visit(v, mode) => {
                let visit = &problem.visits[v];
                let place = problem.place(visit, mode);
                let arrive = t + place.map_or(0, |p| travel.minutes(here, p));
                let (start, room) = if mode == Mode::OwnVardcentral {
                    let (s, r) = earliest_in_room(problem, visit, day.day, arrive, &mine)
                        .ok_or(Misfit::Item(k))?;
                    (s, Some(r))
                } else {
                    (
                        earliest_in_windows(visit, day.day, arrive).ok_or(Misfit::Item(k))?,
                        None,
                    )
                };
                let end = start + visit.minutes;
                if end > day.shift.to {
                    return Err(Misfit::Item(k));
                }
                if let Some(r) = room {
                    mine.entry(r).or_default().push((start, end, v));
                }
                stops.push(Stop {
                    visit: visit.id.clone(),
                    mode,
                    start,
                    room,
                });
                if let Some(p) = place {
                    here = p;
                }
                t = end;
                last_visit = Some(k);
            }
        }
    }
    if stops.is_empty() {
        return Ok(Timed { stops, lunch: None });
    }
    if lunch.is_none()
        && let Some(l) = day.lunch
    {
        let at = t.max(l.within.from);
        if at + l.minutes > l.within.to {
            return Err(Misfit::LateLunch(items.len()));
        }
        lunch = Some(at);
        t = at + l.minutes;
    }
    if t + travel.minutes(here, day.start) > day.shift.to {
        return Err(Misfit::Item(last_visit.unwrap_or(0)));
    }
    Ok(Timed { stops, lunch })
}

/// The digital mode a visit allows, if any.
fn digital_mode(visit: &Visit) -> Option<Mode> {
    [Mode::Video, Mode::Phone]
        .into_iter()
        .find(|m| visit.modes.contains(m))
}

/// Makes each solved route exact; what cannot be timed is met digitally or left out.
fn realise(problem: &Problem, solved: Solved, held: &Held) -> Plan {
    // Pinned visits and locked days keep their rooms: booked before any route is timed.
    let mut booked: Booked = HashMap::new();
    let kept = held
        .kept_routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter_map(|s| {
            let v = problem.visits.iter().position(|v| v.id == s.visit)?;
            Some((v, s.room?, s.start))
        });
    let pinned = held
        .stops
        .iter()
        .filter_map(|(v, h)| Some((*v, h.room?, h.start)));
    for (v, room, start) in kept.chain(pinned) {
        booked
            .entry(room)
            .or_default()
            .push((start, start + problem.visits[v].minutes, v));
    }
    let mut order = solved.routes;
    // A pinned visit the solve left out goes back to its day, where it fits first.
    let mut pinned: Vec<(&usize, &HeldStop)> = held.stops.iter().collect();
    pinned.sort_by_key(|(v, _)| **v);
    for (v, h) in pinned {
        let placed = order.iter().any(|(_, items)| {
            items
                .iter()
                .any(|i| matches!(i, Item::Visit(w, _) if w == v))
        });
        if placed {
            continue;
        }
        let item = Item::Visit(*v, h.mode);
        let day = &problem.staff_days[h.staff_day];
        match order.iter_mut().find(|(s, _)| *s == h.staff_day) {
            Some((_, items)) => {
                let at = (0..=items.len())
                    .find(|k| {
                        let mut tried = items.clone();
                        tried.insert(*k, item);
                        time_route(problem, day, &tried, &booked).is_ok()
                    })
                    .unwrap_or(0);
                items.insert(at, item);
            }
            None => order.push((h.staff_day, vec![item])),
        }
    }
    let mut left: Vec<usize> = solved
        .left
        .into_iter()
        .filter(|v| !held.stops.contains_key(v))
        .collect();
    let mut routes = Vec::new();
    order.sort_by_key(|(s, _)| *s);
    for (s, mut items) in order {
        let day = &problem.staff_days[s];
        let timed = loop {
            let misfit = match time_route(problem, day, &items, &booked) {
                Ok(t) => break t,
                Err(m) => m,
            };
            let k = match misfit {
                Misfit::Item(k) => k,
                // Lunch moves before the visit that precedes it; with none before, the
                // day cannot hold lunch and its first visit goes.
                Misfit::LateLunch(k) => {
                    if items.get(k) == Some(&Item::Lunch) {
                        items.remove(k);
                    }
                    let visit_at = |i: &Item| matches!(i, Item::Visit(..));
                    match items[..k.min(items.len())].iter().rposition(visit_at) {
                        Some(before) => {
                            items.insert(before, Item::Lunch);
                            continue;
                        }
                        None => match items.iter().position(visit_at) {
                            Some(first) => first,
                            None => {
                                break Timed {
                                    stops: Vec::new(),
                                    lunch: None,
                                };
                            }
                        },
                    }
                }
            };
            // A held visit stays as it is: the visit before it gives way.
            let k = match items[k] {
                Item::Visit(v, _) if held.stops.contains_key(&v) => items[..k]
                    .iter()
                    .rposition(|i| matches!(i, Item::Visit(w, _) if !held.stops.contains_key(w)))
                    .unwrap_or(k),
                _ => k,
            };
            match items[k] {
                Item::Visit(v, mode) => {
                    let visit = &problem.visits[v];
                    let in_person = mode.in_person() && !held.stops.contains_key(&v);
                    match digital_mode(visit).filter(|_| in_person) {
                        Some(m) => items[k] = Item::Visit(v, m),
                        None => {
                            items.remove(k);
                            left.push(v);
                        }
                    }
                }
                Item::Lunch => {
                    items.remove(k);
                }
            }
        };
        if timed.stops.is_empty() {
            continue;
        }
        for stop in &timed.stops {
            let v = problem.visits.iter().position(|v| v.id == stop.visit);
            if let (Some(r), Some(v)) = (stop.room, v)
                && !held.stops.contains_key(&v)
            {
                booked.entry(r).or_default().push((
                    stop.start,
                    stop.start + problem.visits[v].minutes,
                    v,
                ));
            }
        }
        routes.push(Route {
            staff: day.staff.clone(),
            day: day.day,
            stops: timed.stops,
            lunch: timed.lunch,
        });
    }
    routes.extend(held.kept_routes.iter().cloned());
    left.sort_unstable();
    left.dedup();
    let unassigned = left
        .into_iter()
        .map(|v| Unassigned {
            visit: problem.visits[v].id.clone(),
            reason: reason(problem, &problem.visits[v]),
        })
        .collect();
    routes.sort_by(|a: &Route, b: &Route| match a.day.cmp(&b.day) {
        Ordering::Equal => a.staff.cmp(&b.staff),
        o => o,
    });
    Plan { routes, unassigned }
}

/// What the coordinator fixed before a re-plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixed {
    /// Visits pinned: kept with their clinician, day, start and mode.
    pub pinned: Vec<String>,
    /// Staff-days locked: kept as they are, and nothing added to them.
    pub locked: Vec<(String, Date)>,
}

/// Plans the week: vrp-core's solve, then exact timing. Blocking and CPU-bound for up
/// to `settings.max_seconds`: a server runs it in `spawn_blocking`.
pub fn plan(problem: &Problem, settings: &Settings) -> Result<Plan, PlannerError> {
    replan(problem, &Plan::default(), &Fixed::default(), settings)
}

/// Plans the week again around what is fixed in `previous`: pinned visits and every
/// visit of a locked staff-day keep their clinician, day, start, mode and room; the rest
/// is planned anew. Pins and locks naming nothing in `previous` are ignored.
pub fn replan(
    problem: &Problem,
    previous: &Plan,
    fixed: &Fixed,
    settings: &Settings,
) -> Result<Plan, PlannerError> {
    let staff_day = |staff: &str, day: Date| {
        problem
            .staff_days
            .iter()
            .position(|d| d.staff == staff && d.day == day)
    };
    let mut held = Held::default();
    // A held visit's windows and modes narrow to where it is; the checker still judges
    // the plan against the problem as given.
    let mut narrowed = problem.clone();
    for route in &previous.routes {
        let Some(k) = staff_day(&route.staff, route.day) else {
            continue;
        };
        let locked = fixed
            .locked
            .iter()
            .any(|(s, d)| *s == route.staff && *d == route.day);
        if locked {
            held.locked.insert(k);
            held.kept_routes.push(route.clone());
            held.kept_visits.extend(
                route
                    .stops
                    .iter()
                    .filter_map(|s| problem.visits.iter().position(|v| v.id == s.visit)),
            );
            continue;
        }
        for stop in &route.stops {
            if !fixed.pinned.contains(&stop.visit) {
                continue;
            }
            let Some(v) = problem.visits.iter().position(|v| v.id == stop.visit) else {
                continue;
            };
            let visit = &mut narrowed.visits[v];
            visit.windows = vec![(
                route.day,
                crate::model::Window {
                    from: stop.start,
                    to: stop.start + visit.minutes,
                },
            )];
            visit.modes = vec![stop.mode];
            held.stops.insert(
                v,
                HeldStop {
                    staff_day: k,
                    room: stop.room,
                    start: stop.start,
                    mode: stop.mode,
                },
            );
        }
    }
    let solved = if narrowed.staff_days.is_empty() || narrowed.visits.is_empty() {
        Solved {
            routes: Vec::new(),
            left: (0..narrowed.visits.len()).collect(),
        }
    } else {
        solve(&narrowed, settings, &held)?
    };
    let mut plan = realise(&narrowed, solved, &held);
    // Reasons are given against the problem as asked, not as narrowed.
    for u in &mut plan.unassigned {
        if let Some(v) = problem.visit(&u.visit) {
            u.reason = reason(problem, v);
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::greedy;
    use crate::check::check;
    use crate::kpi::kpi;
    use crate::model::*;
    use crate::testing::any_problem;
    use crate::travel::Travel;
    use jiff::civil::date;
    use proptest::strategy::{Strategy, ValueTree};

    /// A short search on one thread, bounded by generations: the same plan every run.
    fn quick() -> Settings {
        Settings {
            max_seconds: 10.0,
            max_generations: 60,
            threads: 1,
            ..Settings::default()
        }
    }

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    /// Two nurses, one room at a far vårdcentral on Monday, four visits there that may
    /// also be met by video; one at a near vårdcentral only in person.
    fn small() -> Problem {
        let monday = date(2026, 12, 7);
        let day = |staff: &str| StaffDay {
            staff: staff.into(),
            profession: "nurse".into(),
            day: monday,
            start: p(58.1333, 12.1333),
            shift: Window { from: 480, to: 990 },
            lunch: Some(Lunch {
                within: Window { from: 690, to: 780 },
                minutes: 30,
            }),
            at_base: false,
        };
        let visit = |id: &str, site: &str, modes: Vec<Mode>, usual: &str| Visit {
            id: id.into(),
            patient: id.into(),
            profession: "nurse".into(),
            minutes: 45,
            site: site.into(),
            modes,
            windows: vec![(monday, Window { from: 480, to: 990 })],
            preferred: Some(usual.into()),
        };
        let both = || vec![Mode::OwnVardcentral, Mode::Video];
        Problem {
            base: Site {
                id: "base".into(),
                point: p(58.1333, 12.1333),
            },
            sites: vec![
                Site {
                    id: "far".into(),
                    point: p(58.35, 11.95),
                },
                Site {
                    id: "near".into(),
                    point: p(58.15, 12.15),
                },
            ],
            staff_days: vec![day("anna"), day("bo")],
            rooms: vec![
                RoomWindow {
                    site: "far".into(),
                    day: monday,
                    window: Window { from: 510, to: 960 },
                },
                RoomWindow {
                    site: "near".into(),
                    day: monday,
                    window: Window { from: 510, to: 960 },
                },
            ],
            visits: vec![
                visit("a1", "far", both(), "anna"),
                visit("a2", "far", both(), "anna"),
                visit("b1", "far", both(), "bo"),
                visit("b2", "far", both(), "bo"),
                visit("n1", "near", vec![Mode::OwnVardcentral], "bo"),
            ],
            travel: Travel::default(),
        }
    }

    #[test]
    fn rooms_shared_by_time_and_video_when_the_road_costs_more() {
        let problem = small();
        // In person whenever the road allows: both nurses see their own patients at the
        // far vårdcentral, one after the other in its one room.
        let settings = Settings {
            digital_penalty_km: 1000.0,
            ..quick()
        };
        let plan = plan(&problem, &settings).unwrap();
        assert_eq!(check(&problem, &plan), vec![]);
        assert!(plan.unassigned.is_empty(), "{plan:#?}");
        let k = kpi(&problem, &plan);
        assert_eq!(
            (k.in_person, k.digital, k.continuity),
            (5, 0, 1.0),
            "{plan:#?}"
        );
        // At 30 km a video call, a 66 km round trip for two patients is not worth it;
        // the near visit, in person only, still is.
        let video_first = Settings {
            digital_penalty_km: 30.0,
            ..quick()
        };
        let plan = super::plan(&problem, &video_first).unwrap();
        assert_eq!(check(&problem, &plan), vec![]);
        let k = kpi(&problem, &plan);
        assert_eq!(
            (k.in_person, k.digital, k.continuity),
            (1, 4, 1.0),
            "{plan:#?}"
        );
    }

    #[test]
    fn an_expensive_video_sends_the_team_in_person() {
        let mut problem = small();
        problem.visits.truncate(2);
        let settings = Settings {
            digital_penalty_km: 1000.0,
            ..quick()
        };
        let plan = plan(&problem, &settings).unwrap();
        assert_eq!(check(&problem, &plan), vec![]);
        let k = kpi(&problem, &plan);
        assert_eq!((k.in_person, k.digital), (2, 0), "{plan:#?}");
        let cheap = Settings {
            digital_penalty_km: 0.0,
            ..quick()
        };
        let k = kpi(&problem, &super::plan(&problem, &cheap).unwrap());
        assert_eq!((k.in_person, k.digital, k.km), (0, 2, 0.0));
    }

    #[test]
    fn what_cannot_be_placed_is_listed_with_its_reason() {
        let mut problem = small();
        problem.visits[4].profession = "psychologist".into();
        problem.visits[3].windows = vec![(date(2027, 1, 4), Window { from: 480, to: 990 })];
        let plan = plan(&problem, &quick()).unwrap();
        assert_eq!(check(&problem, &plan), vec![]);
        let mut reasons: Vec<(String, Reason)> = plan
            .unassigned
            .iter()
            .map(|u| (u.visit.clone(), u.reason))
            .collect();
        reasons.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            reasons,
            vec![
                ("b2".into(), Reason::OutsideEveryWindow),
                ("n1".into(), Reason::NoProfession)
            ]
        );
    }

    /// The planner's plans keep every hard constraint on generated weeks, and place at
    /// least as many visits as the greedy baseline would.
    #[test]
    fn plans_on_generated_weeks_keep_every_hard_constraint() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut placed, mut greedy_placed) = (0, 0);
        for _ in 0..16 {
            let problem = any_problem().new_tree(&mut runner).unwrap().current();
            let plan = plan(&problem, &quick()).unwrap();
            let violations = check(&problem, &plan);
            assert!(violations.is_empty(), "{violations:?}\n{plan:#?}");
            placed += problem.visits.len() - plan.unassigned.len();
            greedy_placed += problem.visits.len() - greedy(&problem).unassigned.len();
        }
        assert!(
            placed >= greedy_placed,
            "{placed} vs greedy {greedy_placed}"
        );
    }

    /// A re-plan keeps every pinned visit and every locked day exactly, adds nothing to
    /// a locked day, and still keeps every hard constraint.
    #[test]
    fn a_replan_keeps_pins_and_locked_days() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut tried = 0;
        for _ in 0..24 {
            let problem = any_problem().new_tree(&mut runner).unwrap().current();
            let first = plan(&problem, &quick()).unwrap();
            if first.routes.len() < 2 {
                continue;
            }
            tried += 1;
            let pinned = first.routes[0].stops[0].clone();
            let locked = first.routes[1].clone();
            let fixed = Fixed {
                pinned: vec![pinned.visit.clone()],
                locked: vec![(locked.staff.clone(), locked.day)],
            };
            let again = replan(&problem, &first, &fixed, &quick()).unwrap();
            assert_eq!(check(&problem, &again), vec![]);
            let stops = |r: &Route| r.stops.clone();
            let kept = again
                .routes
                .iter()
                .find(|r| r.staff == locked.staff && r.day == locked.day)
                .map(stops);
            let v = problem.visit(&locked.stops[0].visit).unwrap();
            assert_eq!(
                kept,
                Some(locked.stops.clone()),
                "locked day changed\n{v:?}\n{locked:?}\n{:?}",
                problem
                    .staff_days
                    .iter()
                    .filter(|d| d.profession == v.profession)
                    .collect::<Vec<_>>()
            );
            let route = again
                .routes
                .iter()
                .find(|r| r.staff == first.routes[0].staff && r.day == first.routes[0].day)
                .unwrap_or_else(|| panic!("pinned day gone: {pinned:?}\n{again:#?}\n{first:#?}"));
            assert!(route.stops.contains(&pinned), "pinned visit moved");
        }
        assert!(tried >= 8, "only {tried} weeks with two routes");
    }

    #[test]
    fn a_pinned_late_visit_stays() {
        let problem = small();
        let mut first = plan(&problem, &quick()).unwrap();
        // Move a2 to 14:52 by hand (still inside its window), then pin it.
        let r = first
            .routes
            .iter_mut()
            .find(|r| r.stops.iter().any(|s| s.visit == "a2"))
            .unwrap();
        r.stops.retain(|s| s.visit != "a2");
        r.stops.push(Stop {
            visit: "a2".into(),
            mode: Mode::Video,
            start: 892,
            room: None,
        });
        assert_eq!(check(&problem, &first), vec![]);
        let fixed = Fixed {
            pinned: vec!["a2".into()],
            locked: vec![],
        };
        let again = replan(&problem, &first, &fixed, &quick()).unwrap();
        assert_eq!(check(&problem, &again), vec![]);
        assert!(
            again
                .routes
                .iter()
                .any(|r| r.stops.iter().any(|s| s.visit == "a2" && s.start == 892)),
            "{again:#?}"
        );
    }

    #[test]
    fn a_locked_day_stays() {
        let problem = small();
        let first = plan(&problem, &quick()).unwrap();
        let r = first.routes[0].clone();
        let fixed = Fixed {
            pinned: vec![],
            locked: vec![(r.staff.clone(), r.day)],
        };
        let again = replan(&problem, &first, &fixed, &quick()).unwrap();
        assert_eq!(check(&problem, &again), vec![]);
        assert!(
            again
                .routes
                .iter()
                .any(|x| x.staff == r.staff && x.stops == r.stops),
            "{first:#?}\n{again:#?}"
        );
    }
}
