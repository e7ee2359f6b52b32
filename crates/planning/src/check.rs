//! Every hard constraint of a plan, checked from the problem alone. Shares no code with
//! the planners: a plan is walked stop by stop, as the clinician would drive it.
//!
//! A route starts at its staff-day's start point when the shift starts, drives to each
//! in-person stop (a digital one happens wherever the clinician is), and must be back at
//! the start point when the shift ends. Lunch is taken where the clinician is, inside its
//! stretch, between stops. A visit in person at its vårdcentral names the lent room it
//! uses: at that site, that day, covering the visit, one visit per room at a time. A day
//! at the base has no visit at a vårdcentral.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use crate::model::{Minute, Mode, Plan, Problem};
use crate::travel::Point;

/// A broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// A stop or an unassigned entry names no visit of the problem.
    UnknownVisit(String),
    /// A visit placed twice, or placed and also listed as unassigned.
    Duplicate(String),
    /// A visit neither placed nor listed as unassigned.
    Dropped(String),
    /// A route for a staff-day that does not exist (or two routes for one).
    NoSuchStaffDay(String, Date),
    /// The staff member's profession is not the one the visit needs.
    WrongProfession(String),
    /// A mode the visit does not allow.
    ModeNotAllowed(String),
    /// Outside every window of the visit.
    OutsideWindow(String),
    /// The stop starts before the clinician can be there (or before the shift).
    TooEarly(String),
    /// Stops out of time order or overlapping.
    Overlap(String),
    /// The day ends after the shift (including the drive back).
    PastShift(String, Date),
    /// Lunch missing, outside its stretch, or overlapping a stop.
    Lunch(String, Date),
    /// In person at the vårdcentral without a free lent room.
    NoRoom(String),
}

/// Checks a plan; empty means every hard constraint holds.
pub fn check(problem: &Problem, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for id in plan
        .routes
        .iter()
        .flat_map(|r| r.stops.iter().map(|s| s.visit.as_str()))
        .chain(plan.unassigned.iter().map(|u| u.visit.as_str()))
    {
        if problem.visit(id).is_none() {
            out.push(Violation::UnknownVisit(id.to_owned()));
        } else if !seen.insert(id) {
            out.push(Violation::Duplicate(id.to_owned()));
        }
    }
    for v in &problem.visits {
        if !seen.contains(v.id.as_str()) {
            out.push(Violation::Dropped(v.id.clone()));
        }
    }

    // Visits per lent room, for the overlap check.
    let mut in_rooms: HashMap<usize, Vec<(Minute, Minute, &str)>> = HashMap::new();
    let mut routes_seen: HashSet<(&str, Date)> = HashSet::new();
    for route in &plan.routes {
        let Some(day) = problem
            .staff_days
            .iter()
            .find(|d| d.staff == route.staff && d.day == route.day)
        else {
            out.push(Violation::NoSuchStaffDay(route.staff.clone(), route.day));
            continue;
        };
        if !routes_seen.insert((route.staff.as_str(), route.day)) {
            out.push(Violation::NoSuchStaffDay(route.staff.clone(), route.day));
            continue;
        }
        let mut here: Point = day.start;
        let mut free_at: Minute = day.shift.from;
        let mut lunch_pending = day.lunch.filter(|_| !route.stops.is_empty());
        let mut last_end: Option<Minute> = None;
        for stop in &route.stops {
            let Some(visit) = problem.visit(&stop.visit) else {
                continue;
            };
            if visit.profession != day.profession {
                out.push(Violation::WrongProfession(visit.id.clone()));
            }
            if !visit.modes.contains(&stop.mode)
                || (day.at_base && stop.mode == Mode::OwnVardcentral)
            {
                out.push(Violation::ModeNotAllowed(visit.id.clone()));
            }
            let end = stop.start + visit.minutes;
            if !visit
                .windows
                .iter()
                .any(|(d, w)| *d == route.day && w.holds(stop.start, end))
            {
                out.push(Violation::OutsideWindow(visit.id.clone()));
            }
            if last_end.is_some_and(|e| stop.start < e) {
                out.push(Violation::Overlap(visit.id.clone()));
            }
            // Lunch, if taken before this stop: where the clinician is, then on.
            if let (Some(l), Some(at)) = (lunch_pending, route.lunch)
                && at + l.minutes <= stop.start
            {
                if at < free_at {
                    out.push(Violation::Lunch(route.staff.clone(), route.day));
                }
                free_at = free_at.max(at + l.minutes);
                lunch_pending = None;
            }
            let place = match stop.mode {
                Mode::OwnVardcentral => problem.site(&visit.site).map(|s| s.point),
                Mode::Base => Some(problem.base.point),
                Mode::Video | Mode::Phone => None,
            };
            let arrive = match place {
                Some(p) => free_at + problem.travel.minutes(here, p),
                None => free_at,
            };
            if stop.start < arrive {
                out.push(Violation::TooEarly(visit.id.clone()));
            }
            if let Some(p) = place {
                here = p;
            }
            free_at = end;
            last_end = Some(end);
            if stop.mode == Mode::OwnVardcentral {
                match stop.room.and_then(|i| problem.rooms.get(i).map(|r| (i, r))) {
                    Some((i, r))
                        if r.site == visit.site
                            && r.day == route.day
                            && r.window.holds(stop.start, end) =>
                    {
                        in_rooms
                            .entry(i)
                            .or_default()
                            .push((stop.start, end, visit.id.as_str()));
                    }
                    _ => out.push(Violation::NoRoom(visit.id.clone())),
                }
            }
        }
        // Lunch after the last stop, or never taken.
        if let Some(l) = lunch_pending {
            match route.lunch {
                Some(at) if at >= free_at => free_at = at + l.minutes,
                _ => out.push(Violation::Lunch(route.staff.clone(), route.day)),
            }
        }
        if let (Some(l), Some(at)) = (day.lunch, route.lunch)
            && !l.within.holds(at, at + l.minutes)
        {
            out.push(Violation::Lunch(route.staff.clone(), route.day));
        }
        let home = free_at + problem.travel.minutes(here, day.start);
        if !route.stops.is_empty() && home > day.shift.to {
            out.push(Violation::PastShift(route.staff.clone(), route.day));
        }
    }

    // One visit per room at a time.
    for visits in in_rooms.values_mut() {
        visits.sort_unstable();
        for pair in visits.windows(2) {
            if pair[1].0 < pair[0].1 {
                out.push(Violation::NoRoom(pair[1].2.to_owned()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::travel::Travel;
    use jiff::civil::date;

    fn problem() -> Problem {
        let day = date(2026, 12, 7);
        let p = |lat: f64, lon: f64| Point { lat, lon };
        Problem {
            base: Site {
                id: "base".into(),
                point: p(58.1333, 12.1333),
            },
            sites: vec![Site {
                id: "vc1".into(),
                point: p(58.3, 12.3),
            }],
            staff_days: vec![StaffDay {
                staff: "ssk".into(),
                profession: "nurse".into(),
                day,
                start: p(58.1333, 12.1333),
                shift: Window { from: 480, to: 990 },
                lunch: Some(Lunch {
                    within: Window { from: 690, to: 810 },
                    minutes: 30,
                }),
                at_base: false,
            }],
            rooms: vec![RoomWindow {
                site: "vc1".into(),
                day,
                window: Window { from: 540, to: 900 },
            }],
            visits: (1..=2)
                .map(|i| Visit {
                    id: format!("v{i}"),
                    patient: format!("p{i}"),
                    profession: "nurse".into(),
                    minutes: 45,
                    site: "vc1".into(),
                    modes: vec![Mode::OwnVardcentral, Mode::Video],
                    windows: vec![(day, Window { from: 480, to: 960 })],
                    preferred: None,
                })
                .collect(),
            travel: Travel::default(),
        }
    }

    fn plan(stops: Vec<Stop>, lunch: Option<Minute>) -> Plan {
        Plan {
            routes: vec![Route {
                staff: "ssk".into(),
                day: date(2026, 12, 7),
                stops,
                lunch,
            }],
            unassigned: vec![],
        }
    }

    fn stop(v: &str, mode: Mode, start: Minute) -> Stop {
        Stop {
            visit: v.into(),
            mode,
            start,
            room: (mode == Mode::OwnVardcentral).then_some(0),
        }
    }

    #[test]
    fn a_feasible_day_passes_and_each_break_is_named() {
        let pr = problem();
        let ok = plan(
            vec![
                stop("v1", Mode::OwnVardcentral, 570),
                stop("v2", Mode::OwnVardcentral, 615),
            ],
            Some(700),
        );
        assert_eq!(check(&pr, &ok), vec![]);
        let check1 = |p: Plan, expect: Violation| {
            let v = check(&pr, &p);
            assert!(v.contains(&expect), "{v:?} lacks {expect:?}");
        };
        // Too early: the drive from the base takes ~25 min.
        check1(
            plan(
                vec![
                    stop("v1", Mode::OwnVardcentral, 485),
                    stop("v2", Mode::Video, 600),
                ],
                Some(700),
            ),
            Violation::TooEarly("v1".into()),
        );
        check1(
            plan(
                vec![
                    stop("v1", Mode::OwnVardcentral, 570),
                    stop("v2", Mode::OwnVardcentral, 600),
                ],
                Some(700),
            ),
            Violation::Overlap("v2".into()),
        );
        check1(
            plan(
                vec![stop("v1", Mode::Phone, 570), stop("v2", Mode::Video, 620)],
                Some(700),
            ),
            Violation::ModeNotAllowed("v1".into()),
        );
        check1(
            plan(
                vec![stop("v1", Mode::Video, 500), stop("v2", Mode::Video, 550)],
                None,
            ),
            Violation::Lunch("ssk".into(), date(2026, 12, 7)),
        );
        check1(
            plan(
                vec![stop("v1", Mode::Video, 500), stop("v2", Mode::Video, 960)],
                Some(700),
            ),
            Violation::OutsideWindow("v2".into()),
        );
        check1(
            plan(vec![stop("v1", Mode::Video, 500)], Some(700)),
            Violation::Dropped("v2".into()),
        );
        // A day at the base sees no one at a vårdcentral.
        let mut at_base = pr.clone();
        at_base.staff_days[0].at_base = true;
        let v = check(&at_base, &ok);
        assert!(v.contains(&Violation::ModeNotAllowed("v1".into())), "{v:?}");
        // Two clinicians in the one lent room at once.
        let mut two = pr.clone();
        two.staff_days.push(StaffDay {
            staff: "ssk2".into(),
            ..two.staff_days[0].clone()
        });
        let both = Plan {
            routes: vec![
                Route {
                    staff: "ssk".into(),
                    day: date(2026, 12, 7),
                    stops: vec![stop("v1", Mode::OwnVardcentral, 570)],
                    lunch: Some(700),
                },
                Route {
                    staff: "ssk2".into(),
                    day: date(2026, 12, 7),
                    stops: vec![stop("v2", Mode::OwnVardcentral, 590)],
                    lunch: Some(700),
                },
            ],
            unassigned: vec![],
        };
        assert_eq!(check(&two, &both), vec![Violation::NoRoom("v2".into())]);
        // Before the room is lent.
        check1(
            plan(
                vec![
                    stop("v1", Mode::OwnVardcentral, 510),
                    stop("v2", Mode::Video, 600),
                ],
                Some(700),
            ),
            Violation::NoRoom("v1".into()),
        );
    }
}
