//! Changes to a unit's planning documents: the team's availability, the visits asked
//! for by hand, proposals, and the saved week with its pinned visits and locked days.
//! Each change is a new version of its document, with the version it was made on
//! (a form read before another change is stale) and the reason, in the caller's
//! language, that the history shows.

use jiff::civil::Date;
use trappa_i18n::fill;
use trappa_planning::availability::{Setup, SetupError};
use trappa_planning::check::check;
use trappa_planning::model::Mode;
use trappa_planning::week::WeekPlan;
use trappa_policy::Role;
use trappa_store::Store;
use trappa_store::documents::DocumentVersion;
use uuid::Uuid;

use super::{
    Names, SETUP, VisitRequest, plan_kind, proposal_kind, read_week, requests, requests_kind,
};
use crate::text::{V, role_label};
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// Manual visit requests a week holds at most: a whole week of the team is about 260
/// visits, and each request is a job for the planner.
pub const MAX_REQUESTS_PER_WEEK: usize = 300;
/// The professions a visit may ask for.
pub const PROFESSIONS: [&str; 4] = ["nurse", "physician", "psychologist", "physiotherapist"];
/// The shortest and longest visit asked for by hand, minutes.
pub const REQUEST_MINUTES: std::ops::RangeInclusive<u32> = 15..=240;

/// A profession's name, as visits name it.
pub fn profession_label(p: &str) -> &'static trappa_i18n::Msg {
    role_label(match p {
        "physician" => Role::Physician,
        "psychologist" => Role::Psychologist,
        "physiotherapist" => Role::Physiotherapist,
        _ => Role::Nurse,
    })
}

/// Writes version `expected + 1` of a document.
async fn save<T: serde::Serialize>(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    kind: &str,
    expected: i64,
    body: &T,
    reason: &str,
) -> Result<i64> {
    let body = serde_json::to_string(body)?;
    Ok(store
        .save_document(unit, kind, expected, &body, caller.account_id, reason)
        .await?)
}

/// The week's saved plan and its document, if the week has one.
pub async fn saved_week(
    store: &Store,
    unit: Uuid,
    monday: Date,
) -> Result<Option<(WeekPlan, DocumentVersion)>> {
    match store.document(unit, &plan_kind(monday)).await? {
        Some(d) => Ok(Some((read_week(&d)?, d))),
        None => Ok(None),
    }
}

/// Saves the team's availability on top of version `expected`, if it adds up: each
/// fault names what the form calls `shift`, `lunch`, `leave` or `staff`.
pub async fn save_setup(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    expected: i64,
    setup: &Setup,
    reason: &str,
) -> Result<i64> {
    let faults: Vec<Fault> = setup
        .validate()
        .into_iter()
        .map(|p| match p {
            SetupError::Hours(w) => Fault::new("shift", &V::SETUP_ERR_HOURS).with("what", w),
            SetupError::Lunch(w) => Fault::new("lunch", &V::SETUP_ERR_LUNCH).with("what", w),
            SetupError::Leave(_) => Fault::new("leave", &V::SETUP_ERR_DATES),
            SetupError::Weekday(w) => Fault::new("staff", &V::SETUP_ERR_WEEKDAY).with("what", w),
            SetupError::Duplicate(w) => {
                Fault::new("staff", &V::SETUP_ERR_DUPLICATE).with("what", w)
            }
        })
        .collect();
    Faults(faults).finish(())?;
    save(store, caller, unit, SETUP, expected, setup, reason).await
}

/// A change to the saved week: a visit pinned or unpinned, a staff-day locked or
/// unlocked (each a toggle).
#[derive(Debug, Clone)]
pub enum Fix {
    /// Pin or unpin a placed visit: kept with its clinician, day, start and mode.
    Visit(String),
    /// Lock or unlock a staff-day (`None`: no day was given).
    Day {
        /// The staff member.
        staff: String,
        /// The day.
        day: Option<Date>,
    },
}

/// Pins or unpins a visit, or locks or unlocks a day, of the week's saved plan as
/// read at version `expected`. The reason names the visit, not the patient: the
/// history stays free of names. Faults: `week` (no saved plan), `visit`, `day`.
pub async fn fix(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    monday: Date,
    expected: i64,
    change: &Fix,
) -> Result<i64> {
    let Some((mut week, doc)) = saved_week(store, unit, monday).await? else {
        return Err(Error::field("week", &V::WEEK_ERR_NO_PLAN));
    };
    if doc.version != expected {
        return Err(Error::Stale);
    }
    let t = |m: &'static trappa_i18n::Msg| m.get(caller.locale);
    let reason = match change {
        Fix::Visit(visit) => {
            let placed = week
                .plan
                .routes
                .iter()
                .any(|r| r.stops.iter().any(|s| s.visit == *visit));
            if !placed {
                return Err(Error::field("visit", &V::WEEK_ERR_NO_VISIT));
            }
            if let Some(i) = week.fixed.pinned.iter().position(|p| p == visit) {
                week.fixed.pinned.remove(i);
                fill(t(&V::WEEK_REASON_UNPIN), &[("visit", visit)])
            } else {
                week.fixed.pinned.push(visit.clone());
                fill(t(&V::WEEK_REASON_PIN), &[("visit", visit)])
            }
        }
        Fix::Day { staff, day } => {
            let Some(day) = day.filter(|d| {
                week.problem
                    .staff_days
                    .iter()
                    .any(|s| s.staff == *staff && s.day == *d)
            }) else {
                return Err(Error::field("day", &V::WEEK_ERR_NO_DAY));
            };
            let (setup, _) = super::setup(store, unit).await?;
            let name = setup.name(staff).to_owned();
            let day_text = day.to_string();
            let args = [("staff", name.as_str()), ("day", day_text.as_str())];
            if let Some(i) = week
                .fixed
                .locked
                .iter()
                .position(|(s, d)| s == staff && *d == day)
            {
                week.fixed.locked.remove(i);
                fill(t(&V::WEEK_REASON_UNLOCK), &args)
            } else {
                week.fixed.locked.push((staff.clone(), day));
                fill(t(&V::WEEK_REASON_LOCK), &args)
            }
        }
    };
    save(
        store,
        caller,
        unit,
        &plan_kind(monday),
        expected,
        &week,
        &reason,
    )
    .await
}

/// A visit asked for by hand, as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    /// The patient (`None`: what was given names none).
    pub patient: Option<Uuid>,
    /// One of [`PROFESSIONS`].
    pub profession: String,
    /// Length in minutes, within [`REQUEST_MINUTES`].
    pub minutes: String,
    /// Allowed modes; at least one.
    pub modes: Vec<Mode>,
    /// Days it may take place (empty: any working day).
    pub days: Vec<Date>,
}

/// Adds a visit asked for by hand to the week's requests as read at version
/// `expected`. The patient must be one the week plans for (`planned`: the names read,
/// and logged, with the week's problem). Faults: `patient`, `profession`, `minutes`,
/// `modes`.
pub async fn add_request(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    monday: Date,
    expected: i64,
    input: &RequestInput,
    planned: &Names,
) -> Result<i64> {
    let (mut list, version) = requests(store, unit, monday).await?;
    if version != expected {
        return Err(Error::Stale);
    }
    let mut faults = Faults::default();
    if list.len() >= MAX_REQUESTS_PER_WEEK {
        faults.push(
            Fault::new("patient", &V::WEEK_ERR_TOO_MANY_REQUESTS)
                .with("max", MAX_REQUESTS_PER_WEEK.to_string()),
        );
    }
    let patient = input
        .patient
        .filter(|p| planned.patients.contains_key(&p.to_string()));
    if patient.is_none() {
        faults.push(Fault::new("patient", &V::WEEK_ERR_PATIENT));
    }
    if !PROFESSIONS.contains(&input.profession.as_str()) {
        faults.push(Fault::new("profession", &V::WEEK_ERR_PROFESSION));
    }
    let minutes = crate::parse_allowed(&input.minutes, |m| REQUEST_MINUTES.contains(m));
    if minutes.is_none() {
        faults.push(Fault::new("minutes", &V::WEEK_ERR_MINUTES));
    }
    if input.modes.is_empty() {
        faults.push(Fault::new("modes", &V::WEEK_ERR_MODES));
    }
    let (Some(patient), Some(minutes)) = (patient, minutes) else {
        return Err(Error::Invalid(faults.0));
    };
    faults.finish(())?;
    // Each of the week's days once, however often it was given.
    let mut days: Vec<Date> = input.days.clone();
    days.retain(|d| super::weekdays(monday).contains(d));
    days.sort();
    days.dedup();
    list.push(VisitRequest {
        id: Uuid::now_v7(),
        patient,
        profession: input.profession.clone(),
        minutes,
        modes: input.modes.clone(),
        days,
    });
    let reason = fill(
        V::WEEK_REASON_REQUEST.get(caller.locale),
        &[
            (
                "profession",
                profession_label(&input.profession).get(caller.locale),
            ),
            ("minutes", &minutes.to_string()),
        ],
    );
    save(
        store,
        caller,
        unit,
        &requests_kind(monday),
        expected,
        &list,
        &reason,
    )
    .await
}

/// Removes request `id` from the week's requests as read at version `expected`.
pub async fn remove_request(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    monday: Date,
    expected: i64,
    id: &str,
) -> Result<i64> {
    let (mut list, version) = requests(store, unit, monday).await?;
    if version != expected {
        return Err(Error::Stale);
    }
    let before = list.len();
    list.retain(|r| r.id.to_string() != id);
    if list.len() == before {
        return Err(Error::NotFound);
    }
    let reason = V::WEEK_REASON_REQUEST_REMOVED.get(caller.locale);
    save(
        store,
        caller,
        unit,
        &requests_kind(monday),
        expected,
        &list,
        reason,
    )
    .await
}

/// Keeps the planner's proposal for its week (what was proposed is not lost) as the
/// latest one. The planner keeps every hard constraint; a plan that does not is never
/// offered. `author` is the account that asked for the search.
pub async fn keep_proposal(
    store: &Store,
    unit: Uuid,
    author: Uuid,
    proposal: &WeekPlan,
) -> Result<i64> {
    let broken = check(&proposal.problem, &proposal.plan);
    if !broken.is_empty() {
        return Err(Error::Internal(anyhow::anyhow!(
            "the planner's proposal breaks constraints: {broken:?}"
        )));
    }
    let kind = proposal_kind(proposal.monday);
    let current = store.document(unit, &kind).await?;
    let body = serde_json::to_string(proposal)?;
    Ok(store
        .save_document(
            unit,
            &kind,
            current.map_or(0, |c| c.version),
            &body,
            author,
            "Förslag",
        )
        .await?)
}

/// Saves proposal version `shown` as the week's plan, if it still is the latest
/// proposal, the saved plan is still version `base` (0: none), every hard constraint
/// holds and a reason is given. Faults name `reason`.
pub async fn adopt_proposal(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    monday: Date,
    shown: i64,
    base: i64,
    reason: &str,
) -> Result<i64> {
    let doc = store
        .document(unit, &proposal_kind(monday))
        .await?
        .ok_or(Error::NotFound)?;
    if doc.version != shown {
        return Err(Error::Stale);
    }
    let proposal = read_week(&doc)?;
    let mut faults = Faults::default();
    if trappa_input::text::is_blank(reason) {
        faults.push(Fault::new("reason", &V::WEEK_ERR_REASON));
    } else {
        faults.text("reason", reason, false, MAX_REASON);
    }
    let broken = check(&proposal.problem, &proposal.plan);
    if !broken.is_empty() {
        tracing::warn!(?broken, "a saved proposal no longer keeps every constraint");
        faults.push(Fault::new("reason", &V::WEEK_ERR_BROKEN).with("n", broken.len().to_string()));
    }
    faults.finish(())?;
    Ok(store
        .save_document(
            unit,
            &plan_kind(monday),
            base,
            &doc.body,
            caller.account_id,
            reason.trim(),
        )
        .await?)
}
