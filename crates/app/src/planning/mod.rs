//! The week's planning problem, from what the unit has recorded: the team's availability
//! (the `planning_setup` document), the vårdcentraler and the base from the units, and
//! each patient's visit demand from their care team, active taper plan and aftercare
//! (`trappa_planning::demand`). Saved weeks and proposals are unit documents too.

pub mod changes;

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use trappa_pathway::aftercare::{AftercareStart, FollowUpRecord, FollowUpState, follow_ups};
use trappa_planning::availability::Setup;
use trappa_planning::demand::{PatientFacts, visits};
use trappa_planning::model::{Problem, Site};
use trappa_planning::travel::{Point, RoadTable, Travel, TravelModel, osrm_table_url};
use trappa_planning::week::WeekPlan;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::care_team::TeamFunction;
use trappa_store::documents::DocumentVersion;
use trappa_store::path::EventKind;
use trappa_store::planning::PlanningPatient;
use trappa_store::units::UnitKind;
use trappa_store::{Store, Uuid};

use crate::clock::{local_date, today};
use crate::{Error, Result};

/// The document kind of the team's availability.
pub const SETUP: &str = "planning_setup";

/// The document kind of a week's saved plan.
pub fn plan_kind(monday: Date) -> String {
    format!("week_plan:{monday}")
}

/// The document kind of a week's latest proposal (kept: what was proposed is not lost).
pub fn proposal_kind(monday: Date) -> String {
    format!("week_proposal:{monday}")
}

/// The document kind of a week's manual visit requests.
pub fn requests_kind(monday: Date) -> String {
    format!("visit_requests:{monday}")
}

/// A visit asked for by hand (a patient's request, an extra review): planned with the
/// week's demand.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VisitRequest {
    /// Stable id, so a pin survives other requests coming and going.
    pub id: Uuid,
    /// The patient.
    pub patient: Uuid,
    /// The profession required ("nurse", "physician", …).
    pub profession: String,
    /// Length in minutes.
    pub minutes: u32,
    /// Allowed modes.
    pub modes: Vec<trappa_planning::model::Mode>,
    /// Days it may take place (empty: any working day of the week).
    pub days: Vec<Date>,
}

/// The week's manual requests and their version (0: none).
pub async fn requests(store: &Store, unit: Uuid, monday: Date) -> Result<(Vec<VisitRequest>, i64)> {
    match store.document(unit, &requests_kind(monday)).await? {
        Some(d) => Ok((
            serde_json::from_str(&d.body).map_err(|e| Error::Internal(e.into()))?,
            d.version,
        )),
        None => Ok((Vec::new(), 0)),
    }
}

/// The care-team function that holds a profession's visits, for continuity.
fn function_for(profession: &str) -> Option<TeamFunction> {
    match profession {
        "nurse" => Some(TeamFunction::FastVardkontakt),
        "physician" => Some(TeamFunction::Prescriber),
        "psychologist" => Some(TeamFunction::Psychosocial),
        "physiotherapist" => Some(TeamFunction::Physiotherapist),
        _ => None,
    }
}

/// The Monday of the week `d` falls in.
pub fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

/// The unit's availability, and the version it is at (0: none saved).
pub async fn setup(store: &Store, unit: Uuid) -> Result<(Setup, i64)> {
    match store.document(unit, SETUP).await? {
        Some(d) => Ok((
            serde_json::from_str(&d.body).map_err(|e| Error::Internal(e.into()))?,
            d.version,
        )),
        None => Ok((Setup::default(), 0)),
    }
}

/// A week document (saved plan or proposal) read back.
pub fn read_week(d: &DocumentVersion) -> Result<WeekPlan> {
    serde_json::from_str(&d.body).map_err(|e| Error::Internal(e.into()))
}

/// Names the board shows: patients (by id), vårdcentraler (by code).
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// Patient id → name.
    pub patients: HashMap<String, String>,
    /// Site code → name.
    pub sites: HashMap<String, String>,
    /// Staff id → name.
    pub staff: HashMap<String, String>,
}

impl Names {
    /// A patient's name, or a dash.
    pub fn patient(&self, id: &str) -> &str {
        self.patients.get(id).map_or("–", String::as_str)
    }

    /// A staff member's name, or their id.
    pub fn staff<'a>(&'a self, id: &'a str) -> &'a str {
        self.staff.get(id).map_or(id, String::as_str)
    }

    /// A site's name, or its code.
    pub fn site<'a>(&'a self, code: &'a str) -> &'a str {
        self.sites.get(code).map_or(code, String::as_str)
    }
}

/// The base and the vårdcentraler with coordinates, and their names.
pub async fn places(store: &Store, unit: Uuid) -> Result<(Site, Vec<Site>, Names)> {
    let own = store.unit(unit).await?.ok_or(Error::NotFound)?;
    let base = Site {
        id: "base".into(),
        point: Point {
            // The unit without coordinates plans from Lilla Edet, the team base.
            lat: own.lat.unwrap_or(58.13333),
            lon: own.lon.unwrap_or(12.13333),
        },
    };
    let mut names = Names::default();
    names.sites.insert("base".into(), own.name.clone());
    let mut sites = Vec::new();
    for u in store.units(UnitKind::Vardcentral).await? {
        names.sites.insert(u.code.clone(), u.name.clone());
        if let (Some(lat), Some(lon)) = (u.lat, u.lon) {
            sites.push(Site {
                id: u.code,
                point: Point { lat, lon },
            });
        }
    }
    Ok((base, sites, names))
}

/// What one patient's plan and aftercare ask of the week. `None` for a discharged
/// patient.
pub fn facts(p: &PlanningPatient, today: Date) -> Result<Option<PatientFacts>> {
    let live = |k: EventKind| {
        p.events
            .iter()
            .filter(move |e| e.kind == k && e.corrected_by.is_none())
    };
    if live(EventKind::Discharged).next().is_some() {
        return Ok(None);
    }
    let member = |f: TeamFunction| {
        p.team
            .iter()
            .find(|(_, g)| *g == f)
            .map(|(a, _)| a.to_string())
    };
    let bad = |e: serde_json::Error| Error::Internal(e.into());
    let (mut step_changes, mut plan_start) = (Vec::new(), None);
    if let Some(plan) = &p.plan {
        let plan: trappa_taper::Plan = serde_json::from_str(plan).map_err(bad)?;
        step_changes = plan.steps.iter().map(|s| s.start).collect();
        plan_start = plan.steps.first().map(|s| s.start);
    }
    // Aftercare: the follow-ups of the schedule not yet recorded.
    let mut due = Vec::new();
    if let Some(start) = live(EventKind::AftercareStarted).next_back() {
        let schedule: AftercareStart = serde_json::from_str(&start.data).map_err(bad)?;
        let done: Vec<u32> = live(EventKind::FollowUp)
            .map(|e| serde_json::from_str::<FollowUpRecord>(&e.data).map(|r| r.month))
            .collect::<Result<_, _>>()
            .map_err(bad)?;
        due = follow_ups(start.occurred_on, &schedule.months, &done, today)
            .into_iter()
            .filter(|f| f.state != FollowUpState::Done)
            .map(|f| f.due)
            .collect();
        // In aftercare, the steps are over.
        step_changes.clear();
        plan_start = None;
    }
    Ok(Some(PatientFacts {
        patient: p.patient_id.to_string(),
        site: p.site.clone().unwrap_or_default(),
        nurse: member(TeamFunction::FastVardkontakt),
        physician: member(TeamFunction::Prescriber),
        step_changes,
        plan_start,
        // Every later signed version is a changed plan the physician follows up.
        signed_changes: p.signed.iter().skip(1).map(|t| local_date(*t)).collect(),
        follow_ups: due,
        // Trappa records no refusal of video yet: video is offered to everyone.
        video: true,
    }))
}

/// Road km and minutes from an OSRM `table` service, kept for the set of places they
/// were fetched for (places change only when units do). Without a server, or when it
/// fails, the great-circle model is used and the failure logged.
#[derive(Default)]
pub struct RoadTimes {
    kept: std::sync::Mutex<Option<RoadTable>>,
}

impl RoadTimes {
    /// How travel is measured between `points`.
    pub async fn travel(&self, url: Option<&str>, points: Vec<Point>) -> Travel {
        let Some(url) = url else {
            return Travel::default();
        };
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|t| t.points() == points.as_slice());
        if let Some(t) = kept {
            return Travel::Table(t, TravelModel::default());
        }
        match fetch_table(url, points).await {
            Ok(t) => {
                *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(t.clone());
                Travel::Table(t, TravelModel::default())
            }
            Err(e) => {
                tracing::warn!(error = %e, "road times unavailable; the great-circle model is used");
                Travel::default()
            }
        }
    }
}

/// Asks an OSRM server for the road table between `points`.
pub async fn fetch_table(url: &str, points: Vec<Point>) -> anyhow::Result<RoadTable> {
    let body = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()?
        .get(osrm_table_url(url, &points))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    Ok(RoadTable::from_osrm(points, &body)?)
}

/// The week's problem as the unit's data stand now, and the names to show. Reading the
/// patients is logged (each one, basis planning), in `actor`'s name.
pub async fn problem_for(
    store: &Store,
    actor: &Actor,
    unit: Uuid,
    monday: Date,
    road: &RoadTimes,
    osrm_url: Option<&str>,
) -> Result<(Problem, Setup, Names)> {
    let (setup, _) = setup(store, unit).await?;
    let (base, sites, mut names) = places(store, unit).await?;
    let log = NewEntry::new(actor, Action::Listed, "week_plan");
    let patients = store.planning_patients(&log).await?;
    let friday = monday.checked_add(4.days()).unwrap_or(monday);
    let now = today();
    let mut demand = Vec::new();
    let (asked, _) = requests(store, unit, monday).await?;
    for r in &asked {
        let Some(p) = patients.iter().find(|p| p.patient_id == r.patient) else {
            // No longer in anyone's care team: nothing to plan.
            continue;
        };
        let days: Vec<Date> = if r.days.is_empty() {
            weekdays(monday)
        } else {
            r.days.clone()
        };
        demand.push(trappa_planning::model::Visit {
            id: format!("{}:request:{}", r.patient, r.id),
            patient: r.patient.to_string(),
            profession: r.profession.clone(),
            minutes: r.minutes,
            site: p.site.clone().unwrap_or_default(),
            modes: r.modes.clone(),
            windows: days
                .into_iter()
                .map(|d| (d, trappa_planning::demand::WORKING_HOURS))
                .collect(),
            preferred: function_for(&r.profession).and_then(|f| {
                p.team
                    .iter()
                    .find(|(_, g)| *g == f)
                    .map(|(a, _)| a.to_string())
            }),
        });
    }
    for p in &patients {
        names.patients.insert(
            p.patient_id.to_string(),
            format!("{} {}", p.given_name, p.family_name),
        );
        if let Some(f) = facts(p, now)? {
            demand.extend(visits(&f, (monday, friday)));
        }
    }
    names.staff = setup
        .staff
        .iter()
        .map(|s| (s.staff.clone(), s.name.clone()))
        .collect();
    let staff_days = setup.staff_days(monday, base.point);
    let mut points = vec![base.point];
    for p in sites
        .iter()
        .map(|s| s.point)
        .chain(staff_days.iter().map(|d| d.start))
    {
        if !points.contains(&p) {
            points.push(p);
        }
    }
    let travel = road.travel(osrm_url, points).await;
    let problem = Problem {
        staff_days,
        rooms: setup.rooms(monday),
        base,
        sites,
        visits: demand,
        travel,
    };
    Ok((problem, setup, names))
}

/// The profession visits name for a clinical role.
pub fn profession_of(roles: &[trappa_policy::Role]) -> Option<&'static str> {
    use trappa_policy::Role;
    roles.iter().find_map(|r| match r {
        Role::Nurse => Some("nurse"),
        Role::Physician => Some("physician"),
        Role::Psychologist => Some("psychologist"),
        Role::Physiotherapist => Some("physiotherapist"),
        _ => None,
    })
}

/// The clinicians of the unit who can be planned: (account, name, profession).
pub async fn clinicians(store: &Store, unit: Uuid) -> Result<Vec<(String, String, &'static str)>> {
    Ok(store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.active && a.unit_id == Some(unit))
        .filter_map(|a| profession_of(&a.roles).map(|p| (a.id.to_string(), a.display_name, p)))
        .collect())
}

/// Lunch as Trappa offers it: 30 minutes between 11:30 and 13:00 (a default; the unit's
/// agreements may differ).
pub const LUNCH: trappa_planning::model::Lunch = trappa_planning::model::Lunch {
    within: trappa_planning::model::Window { from: 690, to: 780 },
    minutes: 30,
};

/// The demo's availability and this week's plan, once: every clinician works Monday to
/// Friday 08:00–16:30 with lunch (the first nurse at the base on Fridays, the second
/// Monday to Thursday), each vårdcentral with demo patients lends a room on two
/// weekdays, and the current week is planned and saved. Does nothing if the unit has an
/// availability already.
pub async fn seed_demo(
    store: &Store,
    unit: Uuid,
    author: Uuid,
    actor: &Actor,
    seconds: f64,
) -> Result<bool> {
    use trappa_planning::availability::{RoomLending, StaffWeek, WorkDay};
    use trappa_planning::model::Window;
    if store.document(unit, SETUP).await?.is_some() {
        return Ok(false);
    }
    let shift = Window { from: 480, to: 990 };
    let mut nurses = 0;
    let staff = clinicians(store, unit)
        .await?
        .into_iter()
        .map(|(id, name, profession)| {
            let nurse = profession == "nurse";
            nurses += usize::from(nurse);
            let last = if nurse && nurses == 2 { 4 } else { 5 };
            StaffWeek {
                staff: id,
                name,
                profession: profession.to_owned(),
                start: None,
                days: (1..=last)
                    .map(|weekday| WorkDay {
                        weekday,
                        shift,
                        lunch: Some(LUNCH),
                        at_base: nurse && nurses == 1 && weekday == 5,
                    })
                    .collect(),
            }
        })
        .collect();
    let log = NewEntry::new(actor, Action::Listed, "week_plan");
    let mut sites: Vec<String> = store
        .planning_patients(&log)
        .await?
        .into_iter()
        .filter_map(|p| p.site)
        .collect();
    sites.sort_unstable();
    sites.dedup();
    let rooms = sites
        .iter()
        .enumerate()
        .flat_map(|(i, site)| {
            // Two weekdays per vårdcentral, spread over the week.
            let first = (i % 5) as i8 + 1;
            let second = ((i + 2) % 5) as i8 + 1;
            [first, second].map(|weekday| RoomLending {
                site: site.clone(),
                weekday,
                window: Window { from: 510, to: 960 },
                from: None,
                until: None,
            })
        })
        .collect();
    let setup = Setup {
        staff,
        leave: Vec::new(),
        rooms,
    };
    let body = serde_json::to_string(&setup).map_err(|e| Error::Internal(e.into()))?;
    store
        .save_document(
            unit,
            SETUP,
            0,
            &body,
            author,
            "Demodata: teamets veckor och lånade rum",
        )
        .await?;
    let monday = monday_of(today());
    let (problem, _, _) =
        problem_for(store, actor, unit, monday, &RoadTimes::default(), None).await?;
    let settings = trappa_planning::planner::Settings {
        max_seconds: seconds,
        ..Default::default()
    };
    let for_solver = problem.clone();
    let plan =
        tokio::task::spawn_blocking(move || trappa_planning::planner::plan(&for_solver, &settings))
            .await
            .map_err(|e| Error::Internal(e.into()))?
            .map_err(|e| Error::Internal(e.into()))?;
    // A plan that breaks a hard constraint is never saved.
    let broken = trappa_planning::check::check(&problem, &plan);
    if !broken.is_empty() {
        return Err(Error::Internal(anyhow::anyhow!(
            "the demo week's plan breaks constraints: {broken:?}"
        )));
    }
    let week = WeekPlan {
        monday,
        problem,
        plan,
        fixed: Default::default(),
    };
    let body = serde_json::to_string(&week).map_err(|e| Error::Internal(e.into()))?;
    store
        .save_document(
            unit,
            &plan_kind(monday),
            0,
            &body,
            author,
            "Demodata: veckan planerad",
        )
        .await?;
    Ok(true)
}

/// Logs the export of `staff`'s calendar for a saved week: the file leaves Trappa
/// naming its patients, so each is logged as exported (basis planning).
pub async fn log_calendar_export(
    store: &Store,
    caller: &crate::Caller,
    week: &WeekPlan,
    staff: &str,
) -> Result<()> {
    let mut exported: Vec<Uuid> = week
        .plan
        .routes
        .iter()
        .filter(|r| r.staff == staff)
        .flat_map(|r| &r.stops)
        .filter_map(|s| week.problem.visit(&s.visit))
        .filter_map(|v| Uuid::parse_str(&v.patient).ok())
        .collect();
    exported.sort();
    exported.dedup();
    for patient in exported {
        store
            .append_access_log(
                &NewEntry::new(&caller.actor, Action::Export, "week_plan.ics")
                    .patient(patient)
                    .basis(trappa_policy::AccessBasis::Planning),
            )
            .await?;
    }
    Ok(())
}

/// The working days of the week (Monday to Friday).
pub fn weekdays(monday: Date) -> Vec<Date> {
    (0..7)
        .filter_map(|n| monday.checked_add(n.days()).ok())
        .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(monday_of(date(2026, 12, 9)), date(2026, 12, 7));
        assert_eq!(monday_of(date(2026, 12, 7)), date(2026, 12, 7));
        assert_eq!(monday_of(date(2026, 12, 13)), date(2026, 12, 7));
        assert_eq!(weekdays(date(2026, 12, 7)).len(), 5);
    }
}
