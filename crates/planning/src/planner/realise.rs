//! The solution made exact: every route walked and re-timed (earliest starts, lunch, a
//! named free room per visit, in staff-day order); what no longer fits is met digitally
//! where allowed, or listed as unplanned with its reason.

use crate::model::{Minute, Mode, Plan, Problem, Route, StaffDay, Stop, Unassigned, Visit};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::*;

/// Lent rooms' bookings: start, end and the visit, per room.
pub(super) type Booked = HashMap<usize, Vec<(Minute, Minute, usize)>>;

/// A visit held where it is on a re-plan.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeldStop {
    pub(super) staff_day: usize,
    pub(super) room: Option<usize>,
    pub(super) start: Minute,
    pub(super) mode: Mode,
}

/// What a re-plan keeps: pinned visits by index; locked staff-days, their routes as
/// they were, and those routes' visits.
#[derive(Debug, Default)]
pub(super) struct Held {
    pub(super) stops: HashMap<usize, HeldStop>,
    pub(super) locked: HashSet<usize>,
    pub(super) kept_routes: Vec<Route>,
    pub(super) kept_visits: HashSet<usize>,
}

/// A route re-timed exactly.
pub(super) struct Timed {
    pub(super) stops: Vec<Stop>,
    pub(super) lunch: Option<Minute>,
}

/// Why a route could not be timed.
pub(super) enum Misfit {
    /// The item at this index does not fit where it is: met another way or given up.
    Item(usize),
    /// Lunch, at this index of the items (the end if not among them), comes too late.
    LateLunch(usize),
}

/// The earliest start at or after `at` inside one of the visit's windows on `day`.
pub(super) fn earliest_in_windows(visit: &Visit, day: Date, at: Minute) -> Option<Minute> {
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
pub(super) fn earliest_in_room(
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
pub(super) fn time_route(
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
pub(super) fn digital_mode(visit: &Visit) -> Option<Mode> {
    [Mode::Video, Mode::Phone]
        .into_iter()
        .find(|m| visit.modes.contains(m))
}

/// The rooms the held visits keep: those of locked days' routes and pinned visits.
fn held_bookings(problem: &Problem, held: &Held) -> Booked {
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
    booked
}

/// A pinned visit the solve left out goes back to its staff-day: where the day fits
/// whole with it if there is such a place, else after the longest run of the day's
/// items that still ends in time for it (what follows then gives way when the route is
/// timed).
fn put_back_pinned(
    problem: &Problem,
    held: &Held,
    order: &mut Vec<(usize, Vec<Item>)>,
    booked: &Booked,
) {
    let mut pinned: Vec<(&usize, &HeldStop)> = held.stops.iter().collect();
    pinned.sort_by_key(|(v, h)| (h.start, **v));
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
                let whole = (0..=items.len()).find(|k| {
                    let mut tried = items.clone();
                    tried.insert(*k, item);
                    time_route(problem, day, &tried, booked).is_ok()
                });
                let at = whole.unwrap_or_else(|| {
                    // The pin is timed right after items[..k]: it is in time there unless
                    // something up to and including it misfits (a late lunch can move).
                    let in_time = |k: &usize| {
                        let mut tried = items[..*k].to_vec();
                        tried.push(item);
                        !matches!(
                            time_route(problem, day, &tried, booked),
                            Err(Misfit::Item(_))
                        )
                    };
                    (0..=items.len()).take_while(in_time).last().unwrap_or(0)
                });
                items.insert(at, item);
            }
            None => order.push((h.staff_day, vec![item])),
        }
    }
}

/// Held visits keep their times, so within a route they come in the order of their
/// starts, whatever order the solve or the put-back left them in; the other items keep
/// their places.
fn held_in_time_order(items: &mut [Item], held: &Held) {
    let start = |i: &Item| match i {
        Item::Visit(v, _) => held.stops.get(v).map(|h| h.start),
        Item::Lunch => None,
    };
    let places: Vec<usize> = (0..items.len())
        .filter(|k| start(&items[*k]).is_some())
        .collect();
    let mut pins: Vec<Item> = places.iter().map(|k| items[*k]).collect();
    pins.sort_by_key(|i| start(i));
    for (k, pin) in places.into_iter().zip(pins) {
        items[k] = pin;
    }
}

/// Makes each solved route exact; what cannot be timed is met digitally or left out.
pub(super) fn realise(problem: &Problem, solved: Solved, held: &Held) -> Plan {
    // Pinned visits and locked days keep their rooms: booked before any route is timed.
    let mut booked = held_bookings(problem, held);
    let mut order = solved.routes;
    put_back_pinned(problem, held, &mut order, &booked);
    let mut left: Vec<usize> = solved
        .left
        .into_iter()
        .filter(|v| !held.stops.contains_key(v))
        .collect();
    let mut routes = Vec::new();
    order.sort_by_key(|(s, _)| *s);
    for (s, mut items) in order {
        let day = &problem.staff_days[s];
        held_in_time_order(&mut items, held);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::model::{Lunch, Site, Window};
    use crate::travel::{Point, Travel};
    use jiff::civil::date;

    /// One nurse's Monday, 08:00–16:30 with lunch, and `n` video visits of 30 minutes
    /// that may be held any time that day: more than the day holds when `n` > 16.
    fn full_day(n: usize) -> Problem {
        let monday = date(2026, 12, 7);
        let base = Point {
            lat: 58.1333,
            lon: 12.1333,
        };
        Problem {
            staff_days: vec![StaffDay {
                staff: "anna".into(),
                profession: "nurse".into(),
                day: monday,
                start: base,
                shift: Window { from: 480, to: 990 },
                lunch: Some(Lunch {
                    within: Window { from: 690, to: 780 },
                    minutes: 30,
                }),
                at_base: false,
            }],
            rooms: Vec::new(),
            base: Site {
                id: "base".into(),
                point: base,
            },
            sites: Vec::new(),
            visits: (0..n)
                .map(|i| Visit {
                    id: format!("v{i}"),
                    patient: format!("p{i}"),
                    profession: "nurse".into(),
                    minutes: 30,
                    site: String::new(),
                    modes: vec![Mode::Video],
                    windows: vec![(monday, Window { from: 480, to: 990 })],
                    preferred: None,
                })
                .collect(),
            travel: Travel::default(),
        }
    }

    fn held_at(start: Minute) -> HeldStop {
        HeldStop {
            staff_day: 0,
            room: None,
            start,
            mode: Mode::Video,
        }
    }

    /// The day is overfull and the solve left both pinned visits out (one pinned at
    /// 08:00, one just moved to 15:00): both go back at their own times, and what the
    /// day cannot hold is what gives way. (Putting the 15:00 pin first in the day once
    /// pushed the 08:00 pin out of the plan.)
    #[test]
    fn pins_left_out_of_an_overfull_day_go_back_at_their_times() {
        let mut problem = full_day(19);
        // The pins narrowed to where they are, as `replan` does.
        problem.visits[0].windows[0].1 = Window { from: 480, to: 510 };
        problem.visits[1].windows[0].1 = Window { from: 900, to: 930 };
        let mut held = Held::default();
        held.stops.insert(0, held_at(480));
        held.stops.insert(1, held_at(900));
        let mut items: Vec<Item> = (2..=8).map(|v| Item::Visit(v, Mode::Video)).collect();
        items.push(Item::Lunch);
        items.extend((9..19).map(|v| Item::Visit(v, Mode::Video)));
        let solved = Solved {
            routes: vec![(0, items)],
            left: vec![0, 1],
        };
        let plan = realise(&problem, solved, &held);
        assert_eq!(check(&problem, &plan), vec![], "{plan:#?}");
        let start = |id: &str| {
            plan.routes
                .iter()
                .flat_map(|r| &r.stops)
                .find(|s| s.visit == id)
                .map(|s| s.start)
        };
        assert_eq!(
            (start("v0"), start("v1")),
            (Some(480), Some(900)),
            "{plan:#?}"
        );
        // Sixteen half hours besides lunch: three of the nineteen visits do not fit.
        assert_eq!(plan.unassigned.len(), 3, "{plan:#?}");
    }

    /// Held visits the solve returned out of time order are put in order before the
    /// route is timed; the other items keep their places.
    #[test]
    fn held_visits_are_timed_in_the_order_of_their_starts() {
        let mut held = Held::default();
        held.stops.insert(0, held_at(900));
        held.stops.insert(1, held_at(480));
        let mut items = vec![
            Item::Visit(0, Mode::Video),
            Item::Visit(5, Mode::Video),
            Item::Lunch,
            Item::Visit(1, Mode::Video),
        ];
        held_in_time_order(&mut items, &held);
        assert_eq!(
            items,
            vec![
                Item::Visit(1, Mode::Video),
                Item::Visit(5, Mode::Video),
                Item::Lunch,
                Item::Visit(0, Mode::Video),
            ]
        );
    }
}
