//! The team's availability, as the unit keeps it: each clinician's working week (hours,
//! lunch, days at the base, where the day starts), leave, and the rooms host
//! vårdcentraler lend on given weekdays. A week's staff-days and room windows follow
//! from it. Validated before it is saved; the store keeps it as versions.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Lunch, RoomWindow, StaffDay, Window};
use crate::travel::Point;

/// One working weekday of a clinician.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkDay {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    /// Working hours.
    pub shift: Window,
    /// Lunch, if taken.
    pub lunch: Option<Lunch>,
    /// A day at the base (no trips).
    #[serde(default)]
    pub at_base: bool,
}

/// A clinician's working week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffWeek {
    /// The staff member's id (their account).
    pub staff: String,
    /// Their name, as shown on the board.
    pub name: String,
    /// Their profession as visits name it ("nurse", "physician", "psychologist", …).
    pub profession: String,
    /// Where their days start and end, if not at the base (e.g. home).
    pub start: Option<Point>,
    /// Working weekdays.
    pub days: Vec<WorkDay>,
}

/// Leave: no work from `from` to `to`, both included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leave {
    /// The staff member.
    pub staff: String,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// A room a host vårdcentral lends on a weekday, in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomLending {
    /// The vårdcentral (a site code).
    pub site: String,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i8,
    /// Hours.
    pub window: Window,
    /// From this day, if limited.
    pub from: Option<Date>,
    /// Until this day (included), if limited.
    pub until: Option<Date>,
}

/// The unit's availability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// Working weeks.
    pub staff: Vec<StaffWeek>,
    /// Leave.
    pub leave: Vec<Leave>,
    /// Rooms lent.
    pub rooms: Vec<RoomLending>,
}

/// What is wrong with a setup, for the form to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// A weekday outside 1–7 (staff member or site).
    Weekday(String),
    /// Hours that end before they start, or past midnight.
    Hours(String),
    /// Lunch outside the shift, or longer than its stretch.
    Lunch(String),
    /// Leave that ends before it starts.
    Leave(String),
    /// The same staff member twice, or one weekday twice for them.
    Duplicate(String),
}

fn hours_ok(w: &Window) -> bool {
    w.from < w.to && w.to <= 24 * 60
}

impl Setup {
    /// Everything wrong with it; empty when it may be saved.
    pub fn validate(&self) -> Vec<SetupError> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in &self.staff {
            if !seen.insert(s.staff.as_str()) {
                out.push(SetupError::Duplicate(s.name.clone()));
            }
            let mut days = std::collections::HashSet::new();
            for d in &s.days {
                if !(1..=7).contains(&d.weekday) {
                    out.push(SetupError::Weekday(s.name.clone()));
                }
                if !days.insert(d.weekday) {
                    out.push(SetupError::Duplicate(s.name.clone()));
                }
                if !hours_ok(&d.shift) {
                    out.push(SetupError::Hours(s.name.clone()));
                }
                if let Some(l) = d.lunch
                    && (l.within.from < d.shift.from
                        || l.within.to > d.shift.to
                        || l.within.from + l.minutes > l.within.to
                        || l.minutes == 0)
                {
                    out.push(SetupError::Lunch(s.name.clone()));
                }
            }
        }
        for l in &self.leave {
            if l.to < l.from {
                out.push(SetupError::Leave(l.staff.clone()));
            }
        }
        for r in &self.rooms {
            if !(1..=7).contains(&r.weekday) {
                out.push(SetupError::Weekday(r.site.clone()));
            }
            if !hours_ok(&r.window) {
                out.push(SetupError::Hours(r.site.clone()));
            }
        }
        out
    }

    /// The days `monday` to Sunday.
    fn week(monday: Date) -> impl Iterator<Item = Date> {
        (0..7).filter_map(move |n| monday.checked_add(n.days()).ok())
    }

    fn weekday(d: Date) -> i8 {
        d.weekday().to_monday_one_offset()
    }

    /// The week's staff-days: each working weekday not on leave, from the base unless
    /// the clinician starts elsewhere.
    pub fn staff_days(&self, monday: Date, base: Point) -> Vec<StaffDay> {
        let mut out = Vec::new();
        for day in Self::week(monday) {
            for s in &self.staff {
                let on_leave = self
                    .leave
                    .iter()
                    .any(|l| l.staff == s.staff && l.from <= day && day <= l.to);
                if on_leave {
                    continue;
                }
                if let Some(w) = s.days.iter().find(|w| w.weekday == Self::weekday(day)) {
                    out.push(StaffDay {
                        staff: s.staff.clone(),
                        profession: s.profession.clone(),
                        day,
                        start: s.start.unwrap_or(base),
                        shift: w.shift,
                        lunch: w.lunch,
                        at_base: w.at_base,
                    });
                }
            }
        }
        out
    }

    /// The week's lent rooms.
    pub fn rooms(&self, monday: Date) -> Vec<RoomWindow> {
        let mut out = Vec::new();
        for day in Self::week(monday) {
            for r in &self.rooms {
                let in_period = r.from.is_none_or(|f| f <= day) && r.until.is_none_or(|u| day <= u);
                if in_period && r.weekday == Self::weekday(day) {
                    out.push(RoomWindow {
                        site: r.site.clone(),
                        day,
                        window: r.window,
                    });
                }
            }
        }
        out
    }

    /// A staff member's name, or the id if unknown.
    pub fn name<'a>(&'a self, staff: &'a str) -> &'a str {
        self.staff
            .iter()
            .find(|s| s.staff == staff)
            .map_or(staff, |s| s.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn setup() -> Setup {
        let day = |weekday, at_base| WorkDay {
            weekday,
            shift: Window { from: 480, to: 990 },
            lunch: Some(Lunch {
                within: Window { from: 690, to: 780 },
                minutes: 30,
            }),
            at_base,
        };
        Setup {
            staff: vec![StaffWeek {
                staff: "anna".into(),
                name: "Anna".into(),
                profession: "nurse".into(),
                start: None,
                days: vec![day(1, false), day(2, true), day(3, false)],
            }],
            leave: vec![Leave {
                staff: "anna".into(),
                from: date(2026, 12, 9),
                to: date(2026, 12, 11),
            }],
            rooms: vec![
                RoomLending {
                    site: "vc1".into(),
                    weekday: 2,
                    window: Window { from: 510, to: 960 },
                    from: None,
                    until: None,
                },
                RoomLending {
                    site: "vc2".into(),
                    weekday: 1,
                    window: Window { from: 510, to: 960 },
                    from: Some(date(2026, 12, 14)),
                    until: None,
                },
            ],
        }
    }

    #[test]
    fn a_week_follows_from_the_setup() {
        let s = setup();
        assert_eq!(s.validate(), vec![]);
        let base = Point {
            lat: 58.1,
            lon: 12.1,
        };
        let days = s.staff_days(date(2026, 12, 7), base);
        // Monday and Tuesday; Wednesday is leave.
        let got: Vec<(Date, bool)> = days.iter().map(|d| (d.day, d.at_base)).collect();
        assert_eq!(got, [(date(2026, 12, 7), false), (date(2026, 12, 8), true)]);
        assert_eq!(days[0].start, base);
        // vc2 lends from the 14th only.
        let rooms = s.rooms(date(2026, 12, 7));
        assert_eq!(rooms.len(), 1);
        assert_eq!(
            (rooms[0].site.as_str(), rooms[0].day),
            ("vc1", date(2026, 12, 8))
        );
        assert_eq!(s.rooms(date(2026, 12, 14)).len(), 2);
    }

    #[test]
    fn a_bad_setup_is_refused_with_what_is_wrong() {
        let mut s = setup();
        s.staff[0].days[0].shift = Window { from: 990, to: 480 };
        s.staff[0].days[1].lunch = Some(Lunch {
            within: Window { from: 400, to: 500 },
            minutes: 30,
        });
        s.staff[0].days[2].weekday = 1;
        s.leave[0].to = date(2026, 12, 1);
        s.rooms[0].weekday = 9;
        let errors = s.validate();
        for e in [
            SetupError::Hours("Anna".into()),
            SetupError::Lunch("Anna".into()),
            SetupError::Duplicate("Anna".into()),
            SetupError::Leave("anna".into()),
            SetupError::Weekday("vc1".into()),
        ] {
            assert!(errors.contains(&e), "{errors:?} lacks {e:?}");
        }
    }
}
