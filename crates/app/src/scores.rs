//! Scores: a symptom or outcome instrument's answers, scored and banded by
//! `trappa-scales`, recorded append-only with the flags the instrument raises and those
//! the clinician reports. They feed the taper engine's proposal.

use jiff::civil::Date;
use trappa_scales::{Answers, Instrument, Instruments, ScoreProblem};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::scores::{NewScore, ScoreRecord};
use trappa_taper::adapt::{Band, Flag, Observation, Score};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// What the access log calls the scores.
pub const RESOURCE: &str = "patient.scores";
/// The longest note on a score.
pub const MAX_NOTE: usize = 2000;

/// Every flag a clinician can report with a score.
pub const FLAGS: [Flag; 7] = [
    Flag::Seizure,
    Flag::SuicidalThoughts,
    Flag::Confusion,
    Flag::Overdose,
    Flag::Fall,
    Flag::UseBeyondPrescription,
    Flag::PatientAsksPause,
];

/// A value's code as serde spells it (`"suicidal_thoughts"`).
pub fn code<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A value from its code, if it is one.
pub fn parse_code<T: serde::de::DeserializeOwned>(c: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(c.to_owned())).ok()
}

/// The scores as the engine's observations (corrected scores left out), one per day.
/// Scores up to `seen` (the newest score when the plan in force was signed; ids are
/// UUIDv7, ordered by creation) are marked as already acted on: they count as
/// assessments, but move no new proposal.
pub fn observations(
    instruments: &Instruments,
    records: &[ScoreRecord],
    seen: Option<Uuid>,
) -> Vec<Observation> {
    let mut out: Vec<Observation> = Vec::new();
    for r in records.iter().filter(|r| r.corrected_by.is_none()) {
        let Some(band) = parse_code::<Band>(&r.band) else {
            continue;
        };
        let name = instruments
            .get(&r.instrument)
            .map(|i| i.name.clone())
            .unwrap_or_else(|| r.instrument.clone());
        let flags: Vec<Flag> = r.flags.iter().filter_map(|f| parse_code(f)).collect();
        let score = Score {
            instrument: name,
            value: r.total,
            band,
        };
        let acted_on = seen.is_some_and(|s| r.id <= s);
        match out
            .iter_mut()
            .find(|o| o.date == r.observed_on && o.acted_on == acted_on)
        {
            Some(o) => {
                o.scores.push(score);
                o.flags.extend(flags);
            }
            None => out.push(Observation {
                date: r.observed_on,
                scores: vec![score],
                flags,
                acted_on,
            }),
        }
    }
    out
}

/// A score as given: the instrument's answers and what the clinician adds.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    /// The day the score describes; not after today.
    pub observed_on: Date,
    /// Item values, or the total (with the clinician's band where the instrument has
    /// no official bands).
    pub answers: Answers,
    /// Reported flags, by code (one of [`FLAGS`]).
    pub flags: Vec<String>,
    /// A note.
    pub note: String,
    /// The key of the form that sent it: the same answer sent twice is stored once.
    pub request_key: Option<String>,
    /// The clinician's cut-offs for the patient, which band a total the instrument has
    /// no official bands for when the answers name no band (the patient's own answers).
    pub cutoffs: Option<trappa_scales::assigned::Cutoffs>,
}

/// The field a fault names: `observed_on`, `note`, `flags`, `total`, `band`, `items`
/// (the answers as a whole) or `items.<id>` (one item). Adapters rename these to
/// their own form's or body's names.
fn problem_fault(field: &str, problem: &ScoreProblem) -> Fault {
    let field = match field {
        "total" | "band" | "items" => field.to_owned(),
        item => format!("items.{item}"),
    };
    let message = match problem {
        ScoreProblem::BandNeeded => &V::SCORES_ERR_BAND,
        _ => &V::BAD_VALUE,
    };
    Fault::new(field, message)
}

/// Checks the date, the note and the reported flags, scores the answers with the
/// instrument, and records the score with every flag — the instrument's and the
/// clinician's. A score the patient sends about themself is marked as reported by the
/// patient. Returns the score's id.
pub async fn record(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    inst: &Instrument,
    input: &ScoreInput,
    today: Date,
) -> Result<Uuid> {
    let mut faults = Faults::default();
    if input.observed_on > today {
        faults.push(Fault::new("observed_on", &V::SCORES_ERR_DATE));
    }
    faults.text("note", &input.note, false, MAX_NOTE);
    // An unknown flag is refused, not dropped: a reported seizure must not vanish
    // because of a typing error.
    if input
        .flags
        .iter()
        .any(|f| !FLAGS.iter().any(|x| code(*x) == *f))
    {
        faults.push(Fault::new("flags", &V::UNKNOWN_CHOICE));
    }
    let scored = match inst.score_with(&input.answers, input.cutoffs.as_ref()) {
        Ok(scored) => faults.finish(scored)?,
        Err(e) => {
            faults.push(problem_fault(&e.field, &e.problem));
            return Err(Error::Invalid(faults.0));
        }
    };
    let mut flags: Vec<String> = scored.flags.iter().map(|f| code(*f)).collect();
    for f in &input.flags {
        if !flags.contains(f) {
            flags.push(f.clone());
        }
    }
    let new = NewScore {
        instrument: inst.id.clone(),
        observed_on: input.observed_on,
        total: scored.total,
        band: code(scored.band),
        items: scored
            .items
            .map(|v| serde_json::to_string(&v))
            .transpose()?,
        flags,
        note: input.note.trim().to_owned(),
        corrects: None,
        reason: String::new(),
        reported_by_patient: caller.patient_id == Some(opened.id()),
        request_key: input.request_key.clone(),
    };
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE);
    Ok(store
        .record_score(&opened.access, &new, caller.account_id, &log)
        .await?)
}
