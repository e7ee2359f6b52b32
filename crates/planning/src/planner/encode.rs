//! The week encoded for vrp-core: each staff-day a vehicle, each visit a job with a place
//! per allowed mode, lunch a job of its own; and the goal's features — continuity with
//! the usual clinician, the cost of a digital visit, the base's rooms.

use crate::model::{Minute, Mode, Problem, StaffDay, Visit};
use crate::travel::Point;
use std::collections::HashMap;
use vrp_core::construction::features::{JobSkills, JobSkillsDimension};
use vrp_core::models::common::{Location, TimeWindow};
use vrp_core::models::problem::JobPlaceBuilder;
use vrp_core::prelude::{
    ConstraintViolation, Cost, FeatureConstraint, FeatureObjective, InsertionContext, Job,
    MoveContext, SimpleTransportCost, SingleBuilder, ViolationCode,
};

use super::*;

/// Keys of our own values on vrp-core's jobs and vehicles.
pub(super) struct VisitKey;

pub(super) struct LunchKey;

pub(super) struct StaffDayKey;

pub(super) struct AtBaseKey;

/// The problem as vrp-core sees it, and the tables to read its solution back.
pub(super) struct Encoding<'a> {
    pub(super) problem: &'a Problem,
    pub(super) first_day: Date,
    /// Location index of each site id (the base is 0).
    pub(super) site_location: HashMap<&'a str, Location>,
    /// Location index of each staff-day's start.
    pub(super) start_location: Vec<Location>,
    pub(super) points: Vec<Point>,
    /// For each visit, the mode of each of its job's places (empty: no place at all).
    pub(super) modes: Vec<Vec<Mode>>,
    /// Pinned visits, by their staff-day.
    pub(super) held: HashMap<usize, usize>,
}

impl<'a> Encoding<'a> {
    pub(super) fn new(problem: &'a Problem) -> Self {
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
    pub(super) fn at(&self, day: Date, minute: Minute) -> f64 {
        let days = (day - self.first_day).get_days();
        f64::from(days) * DAY + f64::from(minute)
    }

    pub(super) fn transport(&self) -> Result<SimpleTransportCost, PlannerError> {
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
    pub(super) fn starts(
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
    pub(super) fn visit_job(
        &mut self,
        index: usize,
        v: &Visit,
    ) -> Result<Option<Job>, PlannerError> {
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

    pub(super) fn lunch_job(
        &self,
        index: usize,
        d: &StaffDay,
    ) -> Result<Option<Job>, PlannerError> {
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

pub(super) fn staff_day_skill(index: usize) -> String {
    format!("staff-day:{index}")
}

pub(super) fn visit_of(dims: &vrp_core::prelude::Dimensions) -> Option<usize> {
    dims.get_value::<VisitKey, usize>().copied()
}

/// Continuity: a visit given to someone other than its usual clinician costs 1.
pub(super) struct Continuity {
    pub(super) preferred: Arc<Vec<Option<String>>>,
    pub(super) staff: Arc<Vec<String>>,
}

impl Continuity {
    pub(super) fn miss(&self, visit: Option<usize>, staff_day: Option<usize>) -> f64 {
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
pub(super) struct Digital {
    pub(super) modes: Arc<Vec<Vec<Mode>>>,
    pub(super) penalty_km: f64,
}

impl Digital {
    pub(super) fn cost(&self, activity: &vrp_core::models::solution::Activity) -> f64 {
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
pub(super) struct AtBase {
    pub(super) modes: Arc<Vec<Vec<Mode>>>,
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
