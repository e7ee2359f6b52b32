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

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use vrp_core::rosomaxa::utils::TimeQuota;

use crate::baseline::reason;
use crate::model::{Plan, Problem};

mod encode;
mod realise;
mod solve;
use encode::*;
use realise::*;
use solve::*;

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
    use crate::travel::{Point, Travel};
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
