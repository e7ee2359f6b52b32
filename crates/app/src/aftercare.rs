//! Aftercare and discharge: the last dose starts aftercare with its follow-up schedule
//! (1, 3 and 6 months by default; never ending before six months); follow-ups, relapses
//! and the outcome questionnaires at 6 and 12 months are path events; the discharge
//! carries its outcome. The clinical rules are `trappa_pathway::aftercare`'s; this
//! module checks an event against the patient's path so far and records it.

use jiff::civil::Date;
use serde::Deserialize;
use trappa_pathway::aftercare::{
    AftercareStart, DEFAULT_FOLLOW_UP_MONTHS, DischargeError, DischargeRecord, FollowUpRecord,
    OUTCOME_MONTHS, Outcome, OutcomeRecord, RelapseRecord, ScheduleError, check_discharge,
    follow_ups, parse_schedule,
};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::path::{EventKind, NewEvent, PathEvent};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// What the access log calls the path's events.
pub const RESOURCE: &str = "patient.aftercare";
/// The longest note on an event.
pub const MAX_NOTE: usize = 2000;

/// What the path events say: aftercare's start and schedule, follow-ups done, outcomes,
/// the discharge — corrected events left out.
#[derive(Debug, Clone, Default)]
pub struct PathState {
    /// The last dose and the schedule, once aftercare started.
    pub aftercare: Option<(Date, Vec<u32>)>,
    /// Follow-ups recorded (by month).
    pub follow_ups: Vec<(Date, FollowUpRecord)>,
    /// Relapses.
    pub relapses: Vec<(Date, RelapseRecord)>,
    /// Outcome questionnaires.
    pub outcomes: Vec<(Date, OutcomeRecord)>,
    /// The discharge.
    pub discharge: Option<(Date, DischargeRecord)>,
}

impl PathState {
    /// Reads the events; an event whose data does not parse is an internal error (the
    /// store holds only what this module wrote).
    pub fn from_events(events: &[PathEvent]) -> anyhow::Result<PathState> {
        let mut s = PathState::default();
        for e in events.iter().filter(|e| e.corrected_by.is_none()) {
            match e.kind {
                EventKind::AftercareStarted => {
                    let d: AftercareStart = serde_json::from_str(&e.data)?;
                    s.aftercare = Some((e.occurred_on, d.months));
                }
                EventKind::FollowUp => s
                    .follow_ups
                    .push((e.occurred_on, serde_json::from_str(&e.data)?)),
                EventKind::Relapse => s
                    .relapses
                    .push((e.occurred_on, serde_json::from_str(&e.data)?)),
                EventKind::Outcome => s
                    .outcomes
                    .push((e.occurred_on, serde_json::from_str(&e.data)?)),
                EventKind::Discharged => {
                    s.discharge = Some((e.occurred_on, serde_json::from_str(&e.data)?))
                }
            }
        }
        Ok(s)
    }

    /// The follow-ups of the schedule with their states today.
    pub fn schedule(&self, today: Date) -> Vec<trappa_pathway::aftercare::FollowUp> {
        match &self.aftercare {
            Some((from, months)) => {
                let done: Vec<u32> = self.follow_ups.iter().map(|(_, f)| f.month).collect();
                follow_ups(*from, months, &done, today)
            }
            None => Vec::new(),
        }
    }
}

/// Every aftercare form, told apart by `form`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct EventInput {
    pub form: String,
    pub date: String,
    pub months: String,
    pub month: String,
    pub relapse: String,
    pub note: String,
    pub substance: String,
    pub q_months: String,
    pub drug_free: String,
    pub outcome: String,
    pub percent: String,
    pub to: String,
}

/// A validated event: what to store, and whether only one may stand.
pub struct ParsedEvent {
    /// The event.
    pub event: NewEvent,
    /// Aftercare starts once; a patient is discharged once.
    pub only_once: bool,
}

/// Validates one of the forms against the patient's path so far.
pub fn parse_event(f: &EventInput, path: &PathState, today: Date) -> Result<ParsedEvent> {
    let mut faults = Faults::default();
    let date = match trappa_input::date::parse(&f.date) {
        Ok(d) if d <= today => Some(d),
        _ => {
            faults.push(Fault::new("date", &V::SCORES_ERR_DATE));
            None
        }
    };
    faults.text("note", &f.note, false, MAX_NOTE);
    let note = f.note.trim().to_owned();
    let (kind, data, only_once) = match f.form.as_str() {
        "start" => {
            if path.aftercare.is_some() {
                return Err(Error::invalid(Fault::new("date", &V::AFTERCARE_ALREADY)));
            }
            let months = match parse_schedule(&f.months) {
                Ok(m) => m,
                Err(e) => {
                    faults.push(match e {
                        ScheduleError::TooShort(_) => Fault::new("months", &V::AFTERCARE_ERR_SHORT),
                        _ => Fault::new("months", &V::AFTERCARE_ERR_MONTHS),
                    });
                    DEFAULT_FOLLOW_UP_MONTHS.to_vec()
                }
            };
            (
                EventKind::AftercareStarted,
                json(&AftercareStart { months }),
                true,
            )
        }
        "follow_up" => {
            let months = path
                .aftercare
                .as_ref()
                .map(|(_, m)| m.clone())
                .unwrap_or_default();
            let month = crate::parse_allowed(&f.month, |m| months.contains(m));
            if month.is_none() {
                faults.push(Fault::new("month", &V::REQUIRED));
            }
            if path.follow_ups.iter().any(|(_, x)| Some(x.month) == month) {
                faults.push(Fault::new("month", &V::FOLLOW_UP_ALREADY));
            }
            (
                EventKind::FollowUp,
                json(&FollowUpRecord {
                    month: month.unwrap_or(0),
                    relapse: f.relapse == "yes",
                    note: note.clone(),
                }),
                false,
            )
        }
        "relapse" => {
            if f.substance.trim().is_empty() {
                faults.push(Fault::new("substance", &V::REQUIRED));
            }
            (
                EventKind::Relapse,
                json(&RelapseRecord {
                    substance: f.substance.trim().to_owned(),
                    note: note.clone(),
                }),
                false,
            )
        }
        "outcome" => {
            let months = crate::parse_allowed(&f.q_months, |m| OUTCOME_MONTHS.contains(m));
            if months.is_none() {
                faults.push(Fault::new("q_months", &V::REQUIRED));
            }
            (
                EventKind::Outcome,
                json(&OutcomeRecord {
                    months: months.unwrap_or(0),
                    drug_free: f.drug_free == "yes",
                    relapse: f.relapse == "yes",
                    note: note.clone(),
                }),
                false,
            )
        }
        "discharge" => (
            EventKind::Discharged,
            discharge_record(f, path, date, &note, &mut faults),
            true,
        ),
        _ => return Err(Error::invalid(Fault::new("form", &V::REQUIRED))),
    };
    if kind != EventKind::AftercareStarted
        && kind != EventKind::Discharged
        && path.aftercare.is_none()
    {
        faults.push(Fault::new("date", &V::DISCHARGE_ERR_NO_AFTERCARE));
    }
    if kind == EventKind::Discharged && path.discharge.is_some() {
        faults.push(Fault::new("outcome", &V::AFTERCARE_DISCHARGED));
    }
    if kind != EventKind::Discharged && path.discharge.is_some() && kind != EventKind::Outcome {
        faults.push(Fault::new("date", &V::AFTERCARE_DISCHARGED));
    }
    match (date, faults.is_empty()) {
        (Some(occurred_on), true) => Ok(ParsedEvent {
            event: NewEvent {
                kind,
                occurred_on,
                data,
                corrects: None,
                reason: String::new(),
            },
            only_once,
        }),
        _ => Err(Error::Invalid(faults.0)),
    }
}

/// The discharge form's record: its outcome, checked against aftercare (a reduction's
/// percent, a redirection's destination, aftercare long enough before it).
fn discharge_record(
    f: &EventInput,
    path: &PathState,
    date: Option<Date>,
    note: &str,
    faults: &mut Faults,
) -> String {
    let outcome = match f.outcome.as_str() {
        "drug_free" => Some(Outcome::DrugFree),
        "reduced" => Some(Outcome::Reduced {
            percent: trappa_taper::amount::parse_decimal(f.percent.trim()).unwrap_or(f64::NAN),
        }),
        "dropped_out" => Some(Outcome::DroppedOut),
        "redirected" => Some(Outcome::Redirected {
            to: f.to.trim().to_owned(),
        }),
        "deceased" => Some(Outcome::Deceased),
        _ => None,
    };
    match (&outcome, date) {
        (None, _) => faults.push(Fault::new("outcome", &V::REQUIRED)),
        (Some(o), Some(d)) => {
            if let Err(e) = check_discharge(o, path.aftercare.as_ref().map(|(d, _)| *d), d) {
                faults.push(match e {
                    DischargeError::BadReduction => Fault::new("percent", &V::OUTCOME_ERR_PERCENT),
                    DischargeError::NoDestination => Fault::new("to", &V::REQUIRED),
                    DischargeError::NoAftercare => {
                        Fault::new("outcome", &V::DISCHARGE_ERR_NO_AFTERCARE)
                    }
                    DischargeError::AftercareTooShort(earliest) => {
                        Fault::new("outcome", &V::DISCHARGE_ERR_TOO_EARLY)
                            .with("date", earliest.to_string())
                    }
                });
            }
        }
        _ => {}
    }
    json(&DischargeRecord {
        outcome: outcome.unwrap_or(Outcome::DroppedOut),
        note: note.to_owned(),
    })
}

/// A record as the JSON the store keeps (these types always serialise).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Validates an event against the patient's path so far and records it. Returns the
/// event's id.
pub async fn record(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    f: &EventInput,
    today: Date,
) -> Result<Uuid> {
    let events = store.path_events(&opened.access).await?;
    let path = PathState::from_events(&events)?;
    let parsed = parse_event(f, &path, today)?;
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE);
    Ok(store
        .record_path_event(
            &opened.access,
            &parsed.event,
            parsed.only_once,
            caller.account_id,
            &log,
        )
        .await?)
}
