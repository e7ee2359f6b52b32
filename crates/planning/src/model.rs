//! The planning problem and its plan. Times of day are minutes after midnight on the
//! route's day; a visit in person takes place at a site (the patient's vårdcentral, in a
//! lent room, or the unit's base); a digital one wherever the clinician is.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::travel::{Point, Travel};

/// Minutes after midnight.
pub type Minute = u32;

/// A stretch of a day, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Start.
    pub from: Minute,
    /// End.
    pub to: Minute,
}

impl Window {
    /// Whether `[start, end)` lies inside.
    pub fn holds(&self, start: Minute, end: Minute) -> bool {
        self.from <= start && end <= self.to && start <= end
    }
}

/// A place visits happen at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Id (a vårdcentral's, or `base`).
    pub id: String,
    /// Where.
    pub point: Point,
}

/// A lunch break: how long, and within which stretch it must fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lunch {
    /// The stretch it must fall in.
    pub within: Window,
    /// Its length in minutes.
    pub minutes: u32,
}

/// One clinician's working day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffDay {
    /// The staff member.
    pub staff: String,
    /// Their profession ("nurse", "physician", …).
    pub profession: String,
    /// The day.
    pub day: Date,
    /// Where the day starts and ends (the base, or home).
    pub start: Point,
    /// Working hours.
    pub shift: Window,
    /// The lunch break, if the day has one.
    pub lunch: Option<Lunch>,
    /// A day at the base: visits there, by video or by phone, none at a vårdcentral.
    #[serde(default)]
    pub at_base: bool,
}

/// A room a host vårdcentral lends on a day: one visit at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomWindow {
    /// The site.
    pub site: String,
    /// The day.
    pub day: Date,
    /// When.
    pub window: Window,
}

/// How a visit can take place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// At the patient's own vårdcentral, in a lent room.
    OwnVardcentral,
    /// At the unit's base.
    Base,
    /// By video.
    Video,
    /// By phone.
    Phone,
}

impl Mode {
    /// Whether the clinician travels for it.
    pub fn in_person(self) -> bool {
        matches!(self, Mode::OwnVardcentral | Mode::Base)
    }
}

/// A visit to plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    /// Id.
    pub id: String,
    /// The patient.
    pub patient: String,
    /// The profession required.
    pub profession: String,
    /// Length in minutes.
    pub minutes: u32,
    /// The patient's vårdcentral (a site id).
    pub site: String,
    /// Allowed modes.
    pub modes: Vec<Mode>,
    /// When the visit may take place (days and stretches).
    pub windows: Vec<(Date, Window)>,
    /// The patient's usual clinician, for continuity.
    pub preferred: Option<String>,
}

/// Everything a planner is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The unit's base.
    pub base: Site,
    /// The vårdcentraler.
    pub sites: Vec<Site>,
    /// Who works when.
    pub staff_days: Vec<StaffDay>,
    /// Rooms lent.
    pub rooms: Vec<RoomWindow>,
    /// The visits to plan.
    pub visits: Vec<Visit>,
    /// Travel.
    pub travel: Travel,
}

impl Problem {
    /// A site by id (the base included).
    pub fn site(&self, id: &str) -> Option<&Site> {
        if self.base.id == id {
            return Some(&self.base);
        }
        self.sites.iter().find(|s| s.id == id)
    }

    /// Every place a route can go, once each: the base, the vårdcentraler and the
    /// staff-days' start points — what a routing table must cover.
    pub fn places(&self) -> Vec<Point> {
        let mut out = vec![self.base.point];
        for p in self
            .sites
            .iter()
            .map(|s| s.point)
            .chain(self.staff_days.iter().map(|d| d.start))
        {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// A visit by id.
    pub fn visit(&self, id: &str) -> Option<&Visit> {
        self.visits.iter().find(|v| v.id == id)
    }

    /// Where a visit in `mode` takes place, if in person.
    pub fn place(&self, visit: &Visit, mode: Mode) -> Option<Point> {
        match mode {
            Mode::OwnVardcentral => self.site(&visit.site).map(|s| s.point),
            Mode::Base => Some(self.base.point),
            Mode::Video | Mode::Phone => None,
        }
    }
}

/// A visit placed in a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// The visit.
    pub visit: String,
    /// How.
    pub mode: Mode,
    /// When it starts; it ends after the visit's minutes.
    pub start: Minute,
    /// The lent room (an index into [`Problem::rooms`]) for a visit at the vårdcentral.
    pub room: Option<usize>,
}

/// One staff member's day: stops in order, and when lunch is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The staff member.
    pub staff: String,
    /// The day.
    pub day: Date,
    /// Stops, in time order.
    pub stops: Vec<Stop>,
    /// When lunch starts, where the staff-day has one and the route is not empty.
    pub lunch: Option<Minute>,
}

/// Why a visit was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No one of the profession works on any day of its windows.
    NoProfession,
    /// Outside every window of every staff-day that could take it.
    OutsideEveryWindow,
    /// In person only, and no room is lent at its vårdcentral when it could be.
    NoRoom,
    /// Possible in principle, but the days are full.
    NoCapacity,
}

/// A visit left out, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The visit.
    pub visit: String,
    /// Why.
    pub reason: Reason,
}

/// A plan: the routes and what was left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Routes.
    pub routes: Vec<Route>,
    /// Visits left out.
    pub unassigned: Vec<Unassigned>,
}
