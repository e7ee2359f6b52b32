//! A week's plan as the unit saves it — the problem it was made for, the plan, and what
//! the coordinator fixed — and the difference between two plans, shown before a change
//! is saved.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Minute, Mode, Plan, Problem};
use crate::planner::Fixed;

/// A saved week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekPlan {
    /// Its Monday.
    pub monday: Date,
    /// What it was planned for.
    pub problem: Problem,
    /// The plan.
    pub plan: Plan,
    /// Pins and locks.
    pub fixed: Fixed,
}

/// Where and when a visit is in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// The staff member.
    pub staff: String,
    /// The day.
    pub day: Date,
    /// The start.
    pub start: Minute,
    /// How.
    pub mode: Mode,
}

/// One visit that a change moves, adds or leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The visit.
    pub visit: String,
    /// Where it was (none: not planned).
    pub before: Option<Placement>,
    /// Where it goes (none: not planned).
    pub after: Option<Placement>,
}

fn placements(plan: &Plan) -> HashMap<&str, Placement> {
    plan.routes
        .iter()
        .flat_map(|r| {
            r.stops.iter().map(move |s| {
                (
                    s.visit.as_str(),
                    Placement {
                        staff: r.staff.clone(),
                        day: r.day,
                        start: s.start,
                        mode: s.mode,
                    },
                )
            })
        })
        .collect()
}

/// Every visit placed differently in `after` than in `before`, in visit order.
pub fn diff(before: &Plan, after: &Plan) -> Vec<Change> {
    let (b, a) = (placements(before), placements(after));
    let mut visits: Vec<&str> = b.keys().chain(a.keys()).copied().collect();
    visits.extend(before.unassigned.iter().map(|u| u.visit.as_str()));
    visits.extend(after.unassigned.iter().map(|u| u.visit.as_str()));
    visits.sort_unstable();
    visits.dedup();
    visits
        .into_iter()
        .filter_map(|v| {
            let (was, will) = (b.get(v), a.get(v));
            (was != will).then(|| Change {
                visit: v.to_owned(),
                before: was.cloned(),
                after: will.cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Reason, Route, Stop, Unassigned};
    use jiff::civil::date;

    fn route(staff: &str, stops: &[(&str, Minute)]) -> Route {
        Route {
            staff: staff.into(),
            day: date(2026, 12, 7),
            stops: stops
                .iter()
                .map(|(v, start)| Stop {
                    visit: (*v).into(),
                    mode: Mode::Video,
                    start: *start,
                    room: None,
                })
                .collect(),
            lunch: Some(700),
        }
    }

    #[test]
    fn a_diff_names_each_visit_moved_added_or_left_out() {
        let before = Plan {
            routes: vec![route("anna", &[("a", 480), ("b", 540), ("c", 600)])],
            unassigned: vec![Unassigned {
                visit: "d".into(),
                reason: Reason::NoCapacity,
            }],
        };
        let after = Plan {
            routes: vec![
                route("anna", &[("a", 480), ("d", 540)]),
                route("bo", &[("b", 540)]),
            ],
            unassigned: vec![Unassigned {
                visit: "c".into(),
                reason: Reason::NoCapacity,
            }],
        };
        let changes = diff(&before, &after);
        let got: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| {
                (
                    c.visit.as_str(),
                    c.before.as_ref().map(|p| p.staff.as_str()),
                    c.after.as_ref().map(|p| p.staff.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("b", Some("anna"), Some("bo")),
                ("c", Some("anna"), None),
                ("d", None, Some("anna")),
            ]
        );
        assert_eq!(diff(&after, &after), vec![]);
    }
}
