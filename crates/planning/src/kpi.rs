//! The plan's measures: km and hours travelled, visits in person and digital, continuity
//! (visits with a usual clinician given to that clinician), visits per staff-day used.

use serde::Serialize;

use crate::model::{Mode, Plan, Problem};
use crate::travel::Point;

/// A plan's measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kpi {
    /// Road km driven.
    pub km: f64,
    /// Hours driven.
    pub hours: f64,
    /// Visits in person.
    pub in_person: usize,
    /// Visits by video or phone.
    pub digital: usize,
    /// Share of placed visits with a usual clinician that went to them (1.0 when none
    /// had one).
    pub continuity: f64,
    /// Placed visits per staff-day with at least one stop.
    pub visits_per_staff_day: f64,
    /// Visits left out.
    pub unassigned: usize,
}

/// Measures a plan as it would be driven: from each staff-day's start, through the
/// in-person stops, and back.
pub fn kpi(problem: &Problem, plan: &Plan) -> Kpi {
    let (mut km, mut minutes) = (0.0, 0u64);
    let (mut in_person, mut digital, mut with_usual, mut kept, mut days) = (0, 0, 0, 0, 0);
    for route in &plan.routes {
        let Some(day) = problem
            .staff_days
            .iter()
            .find(|d| d.staff == route.staff && d.day == route.day)
        else {
            continue;
        };
        if route.stops.is_empty() {
            continue;
        }
        days += 1;
        let mut here: Point = day.start;
        let mut leg = |to: Point, here: &mut Point| {
            km += problem.travel.km(*here, to);
            minutes += u64::from(problem.travel.minutes(*here, to));
            *here = to;
        };
        for stop in &route.stops {
            let Some(visit) = problem.visit(&stop.visit) else {
                continue;
            };
            if let Some(usual) = &visit.preferred {
                with_usual += 1;
                if *usual == route.staff {
                    kept += 1;
                }
            }
            if stop.mode.in_person() {
                in_person += 1;
                if let Some(p) = problem.place(visit, stop.mode) {
                    leg(p, &mut here);
                }
            } else {
                digital += 1;
            }
        }
        leg(day.start, &mut here);
    }
    let placed = in_person + digital;
    Kpi {
        km,
        hours: minutes as f64 / 60.0,
        in_person,
        digital,
        continuity: if with_usual == 0 {
            1.0
        } else {
            kept as f64 / with_usual as f64
        },
        visits_per_staff_day: if days == 0 {
            0.0
        } else {
            placed as f64 / days as f64
        },
        unassigned: plan.unassigned.len(),
    }
}

/// The same plan's visits, each driven as its own trip from the base and back: the
/// first baseline ("one trip per visit").
pub fn one_trip_per_visit(problem: &Problem, plan: &Plan) -> Kpi {
    let mut k = kpi(problem, plan);
    let (mut km, mut minutes) = (0.0, 0u64);
    for stop in plan.routes.iter().flat_map(|r| &r.stops) {
        if stop.mode != Mode::OwnVardcentral {
            continue;
        }
        if let Some(p) = problem
            .visit(&stop.visit)
            .and_then(|v| problem.place(v, stop.mode))
        {
            km += 2.0 * problem.travel.km(problem.base.point, p);
            minutes += 2 * u64::from(problem.travel.minutes(problem.base.point, p));
        }
    }
    k.km = km;
    k.hours = minutes as f64 / 60.0;
    k
}
