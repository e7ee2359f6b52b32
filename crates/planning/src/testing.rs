//! Generated problems shared by the planners' tests.

use jiff::civil::date;
use proptest::prelude::*;

use crate::model::*;
use crate::travel::{Point, Travel};

/// A random week near Lilla Edet: a few vårdcentraler, staff of two professions,
/// rooms, visits with windows, modes and usual clinicians.
pub fn any_problem() -> impl Strategy<Value = Problem> {
    let sites = proptest::collection::vec((57.7f64..58.6, 11.6f64..12.8), 1..6);
    let staff = proptest::collection::vec((0usize..2, 2u32..5, proptest::bool::ANY), 1..6);
    let rooms = proptest::collection::vec((0usize..6, 0u32..5, 420u32..720, 120u32..540), 0..24);
    let visits = proptest::collection::vec(
        (
            0usize..6,
            0usize..2,
            1u32..8,
            0u8..8,
            0u32..5,
            420u32..900,
            30u32..480,
            0usize..6,
        ),
        0..40,
    );
    (sites, staff, rooms, visits).prop_map(|(sites, staff, rooms, visits)| {
        let monday = date(2026, 12, 7);
        let day = |n: u32| {
            monday
                .checked_add(jiff::Span::new().days(i64::from(n)))
                .unwrap()
        };
        let professions = ["nurse", "physician"];
        let base = Point {
            lat: 58.13333,
            lon: 12.13333,
        };
        let sites: Vec<Site> = sites
            .into_iter()
            .enumerate()
            .map(|(i, (lat, lon))| Site {
                id: format!("vc{i}"),
                point: Point { lat, lon },
            })
            .collect();
        let mut staff_days = Vec::new();
        for (i, (p, d, lunch)) in staff.iter().enumerate() {
            for n in 0..=*d {
                staff_days.push(StaffDay {
                    staff: format!("s{i}"),
                    // Both professions once there are two staff.
                    profession: professions[if i < 2 { i } else { *p }].into(),
                    day: day(n),
                    start: base,
                    shift: Window { from: 480, to: 990 },
                    lunch: lunch.then_some(Lunch {
                        within: Window { from: 690, to: 810 },
                        minutes: 30,
                    }),
                    // The third staff member's first day is at the base.
                    at_base: i == 2 && n == 0,
                });
            }
        }
        let rooms = rooms
            .into_iter()
            .filter(|(s, ..)| *s < sites.len())
            .map(|(s, d, from, len)| RoomWindow {
                site: sites[s].id.clone(),
                day: day(d),
                window: Window {
                    from,
                    to: (from + len).min(1020),
                },
            })
            .collect();
        let visits = visits
            .into_iter()
            .enumerate()
            .map(
                |(i, (s, p, quarter_hours, modes, d, from, len, usual))| Visit {
                    id: format!("v{i}"),
                    patient: format!("p{i}"),
                    profession: professions[p].into(),
                    minutes: 15 * quarter_hours,
                    site: sites[s % sites.len()].id.clone(),
                    modes: [Mode::OwnVardcentral, Mode::Base, Mode::Video, Mode::Phone]
                        .into_iter()
                        .enumerate()
                        .filter(|(k, _)| modes & (1 << k) != 0 || (modes == 0 && *k == 0))
                        .map(|(_, m)| m)
                        .collect(),
                    windows: vec![(
                        day(d),
                        Window {
                            from,
                            to: (from + len).min(1020),
                        },
                    )],
                    preferred: (usual < staff.len()).then(|| format!("s{usual}")),
                },
            )
            .collect();
        Problem {
            base: Site {
                id: "base".into(),
                point: base,
            },
            sites,
            staff_days,
            rooms,
            visits,
            travel: Travel::default(),
        }
    })
}
