//! What the patient reports between visits: the self-rated instruments the care team
//! assigns (and when each is due), the patient's own answers to them, the daily diary,
//! and the care team marking the reports read.
//!
//! A patient's answer is a score like one recorded at a visit, marked as reported by the
//! patient, so it feeds the engine's proposal the same way. The diary's flags (a seizure,
//! thoughts of self-harm, "I want to pause") are the engine's flags too: they reach the
//! care team's worklist and the prescriber's proposal at once.

use jiff::civil::Date;
use trappa_scales::assigned::{Cutoffs, MAX_EVERY_DAYS, Rhythm};
use trappa_scales::{Answers, Instrument, Instruments, Rater};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::reports::{Assignment, DiaryEntry, NewAssignment, NewDiaryEntry};
use trappa_store::scores::ScoreRecord;
use trappa_taper::adapt::{Flag, Observation};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::scores::{MAX_NOTE, ScoreInput, parse_code};
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// What the access log calls the patient's reports (assignments, diary, read marks).
pub const RESOURCE: &str = "patient.reports";
/// What the access log calls the patient's own reports, read or written by the patient.
pub const OWN_RESOURCE: &str = "own.reports";
/// How far back a diary entry may describe (a missed evening is written the next day):
/// a week, as the refusal says.
pub const DIARY_DAYS_BACK: i64 = 7;
/// The diary's 0–10 scales.
pub const SCALE_MAX: i32 = 10;

/// Whether the dose was taken as planned.
pub const DOSE_TAKEN: [&str; 4] = ["as_planned", "less", "more", "unsure"];

/// What the diary asks about that needs a person: the engine's flags a patient can
/// report in their own words.
pub const DIARY_FLAGS: [Flag; 3] = [
    Flag::Seizure,
    Flag::SuicidalThoughts,
    Flag::PatientAsksPause,
];

/// A diary entry as given.
#[derive(Debug, Clone, Default)]
pub struct DiaryInput {
    /// The day it describes; none when what was typed is not a date.
    pub day: Option<Date>,
    /// One of [`DOSE_TAKEN`].
    pub dose_taken: String,
    /// Sleep, anxiety, pain: 0–[`SCALE_MAX`] each, or not answered.
    pub sleep: Option<i32>,
    /// Anxiety.
    pub anxiety: Option<i32>,
    /// Pain.
    pub pain: Option<i32>,
    /// Flag codes, each one of [`DIARY_FLAGS`].
    pub flags: Vec<String>,
    /// Free text.
    pub note: String,
    /// The form's key (see [`check_request_key`]).
    pub request_key: Option<String>,
}

/// A saved report: its id and the flags it carries (the page shows the crisis text
/// when one needs a person now).
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    /// The record's id.
    pub id: Uuid,
    /// The flags reported.
    pub flags: Vec<Flag>,
}

/// A request key is the form's own UUID: anything else is refused, so the column holds
/// nothing a patient typed.
pub fn check_request_key(faults: &mut Faults, key: Option<&str>) {
    if key.is_some_and(|k| Uuid::parse_str(k).is_err()) {
        faults.push(Fault::new("request_key", &V::REQUEST_KEY_BAD));
    }
}

/// Checks and records the patient's diary entry. A second send of the same form
/// (the same request key) returns the first entry.
pub async fn record_diary(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    input: &DiaryInput,
    today: Date,
) -> Result<Saved> {
    let mut faults = Faults::default();
    let earliest = today.saturating_sub(jiff::ToSpan::days(DIARY_DAYS_BACK));
    let day = input.day.filter(|d| *d <= today && *d >= earliest);
    if day.is_none() {
        faults.push(Fault::new("day", &V::DIARY_ERR_DAY));
    }
    if !DOSE_TAKEN.contains(&input.dose_taken.as_str()) {
        faults.push(Fault::new("dose_taken", &V::UNKNOWN_CHOICE));
    }
    for (field, value) in [
        ("sleep", input.sleep),
        ("anxiety", input.anxiety),
        ("pain", input.pain),
    ] {
        if value.is_some_and(|v| !(0..=SCALE_MAX).contains(&v)) {
            faults.push(Fault::new(field, &V::DIARY_ERR_SCALE));
        }
    }
    let mut flags: Vec<Flag> = input.flags.iter().filter_map(|f| parse_code(f)).collect();
    if flags.len() != input.flags.len() || flags.iter().any(|f| !DIARY_FLAGS.contains(f)) {
        faults.push(Fault::new("flags", &V::UNKNOWN_CHOICE));
    }
    // Each flag once: a repeated box is the same report.
    flags.sort_by_key(|f| DIARY_FLAGS.iter().position(|x| x == f));
    flags.dedup();
    faults.text("note", &input.note, false, MAX_NOTE);
    check_request_key(&mut faults, input.request_key.as_deref());
    let day = faults.finish(day)?.unwrap_or(today);
    let new = NewDiaryEntry {
        day,
        dose_taken: input.dose_taken.clone(),
        sleep: input.sleep,
        anxiety: input.anxiety,
        pain: input.pain,
        flags: flags.iter().map(|f| crate::scores::code(*f)).collect(),
        note: input.note.trim().to_owned(),
        request_key: input.request_key.clone(),
    };
    let log = NewEntry::new(&caller.actor, Action::Create, OWN_RESOURCE).detail("diary");
    let id = store
        .record_diary(&opened.access, &new, caller.account_id, &log)
        .await?;
    Ok(Saved { id, flags })
}

/// An instrument to assign, as given.
#[derive(Debug, Clone)]
pub struct AssignInput {
    /// Instrument id; a self-rated one.
    pub instrument: String,
    /// When it is due.
    pub rhythm: Rhythm,
    /// The first day it may be due.
    pub starts_on: Date,
    /// The clinician's cut-offs; required where the instrument has no official bands.
    pub cutoffs: Option<Cutoffs>,
    /// Why.
    pub reason: String,
}

/// Checks and records an assignment. Only self-rated instruments are assigned; one
/// without official bands needs the clinician's cut-offs for the patient, which band
/// the patient's answers; an instrument already assigned is not assigned twice.
pub async fn assign(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    instruments: &Instruments,
    input: &AssignInput,
) -> Result<Uuid> {
    let mut faults = Faults::default();
    let inst = instruments
        .get(&input.instrument)
        .filter(|i| i.rater == Rater::Patient);
    match inst {
        None => faults.push(Fault::new("instrument", &V::ASSIGN_ERR_INSTRUMENT)),
        Some(i) => check_cutoffs(&mut faults, i, input.cutoffs.as_ref()),
    }
    if let Rhythm::EveryDays { days } = input.rhythm
        && !(1..=MAX_EVERY_DAYS).contains(&days)
    {
        faults.push(
            Fault::new("every_days", &V::ASSIGN_ERR_EVERY).with("n", MAX_EVERY_DAYS.to_string()),
        );
    }
    faults.text("reason", &input.reason, false, MAX_REASON);
    let current = store.assignments(&opened.access).await?;
    if current.iter().any(|a| a.instrument == input.instrument) {
        faults.push(Fault::new("instrument", &V::ASSIGN_ERR_ALREADY));
    }
    faults.finish(())?;
    let (rhythm, every_days) = match input.rhythm {
        Rhythm::BeforeStep => ("before_step", None),
        Rhythm::EveryDays { days } => ("every_days", Some(days)),
    };
    let new = NewAssignment {
        instrument: input.instrument.clone(),
        rhythm: rhythm.to_owned(),
        every_days,
        starts_on: input.starts_on,
        moderate_from: input.cutoffs.map(|c| c.moderate_from),
        severe_from: input.cutoffs.map(|c| c.severe_from),
        reason: input.reason.trim().to_owned(),
    };
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE).detail("assignment");
    Ok(store
        .assign_instrument(&opened.access, &new, caller.account_id, &log)
        .await?)
}

/// Cut-offs are needed exactly where the instrument has no official bands, and must
/// fit its range.
fn check_cutoffs(faults: &mut Faults, inst: &Instrument, cutoffs: Option<&Cutoffs>) {
    match (inst.bands.is_empty(), cutoffs) {
        (true, None) => faults.push(cutoff_fault(inst)),
        (true, Some(c)) if !c.fit(inst.min, inst.max) => faults.push(cutoff_fault(inst)),
        (false, Some(_)) => faults.push(Fault::new("moderate_from", &V::ASSIGN_ERR_NO_CUTOFFS)),
        _ => {}
    }
}

fn cutoff_fault(inst: &Instrument) -> Fault {
    let number = |v: f64| trappa_i18n::format::decimal(v, 1, trappa_i18n::Locale::Sv);
    Fault::new("moderate_from", &V::ASSIGN_ERR_CUTOFFS)
        .with("min", number(inst.min))
        .with("max", number(inst.max))
}

/// Ends an assignment, with the reason.
pub async fn end(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    assignment: Uuid,
    reason: &str,
) -> Result<()> {
    let mut faults = Faults::default();
    faults.text("reason", reason, false, MAX_REASON);
    faults.finish(())?;
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE).detail("assignment ended");
    Ok(store
        .end_assignment(
            &opened.access,
            assignment,
            reason.trim(),
            caller.account_id,
            &log,
        )
        .await?)
}

/// An assignment with where the patient stands on it today.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The assignment.
    pub assignment: Assignment,
    /// The rhythm it follows.
    pub rhythm: Rhythm,
    /// The latest day the instrument was answered for (by anyone).
    pub last: Option<Date>,
    /// Whether it is due today.
    pub due: bool,
    /// The day the round open today began, if one is open.
    pub round: Option<Date>,
}

/// The rhythm an assignment's stored codes name.
pub fn rhythm_of(a: &Assignment) -> Rhythm {
    match (a.rhythm.as_str(), a.every_days) {
        ("every_days", Some(days)) => Rhythm::EveryDays { days },
        _ => Rhythm::BeforeStep,
    }
}

/// The clinician's cut-offs an assignment carries.
pub fn cutoffs_of(a: &Assignment) -> Option<Cutoffs> {
    Some(Cutoffs {
        moderate_from: a.moderate_from?,
        severe_from: a.severe_from?,
    })
}

/// Every assignment in force with its standing today: due when a round is open and the
/// instrument was not answered in it. `next_change` is the plan in force's next dose
/// change ("before each step" opens before it).
pub fn standings(
    assignments: Vec<Assignment>,
    scores: &[ScoreRecord],
    next_change: Option<Date>,
    today: Date,
) -> Vec<Standing> {
    assignments
        .into_iter()
        .map(|a| {
            let rhythm = rhythm_of(&a);
            let last = scores
                .iter()
                .filter(|s| s.instrument == a.instrument && s.corrected_by.is_none())
                .map(|s| s.observed_on)
                .max();
            let due = rhythm.is_due(a.starts_on, today, next_change, last);
            let round = rhythm.open_since(a.starts_on, today, next_change);
            Standing {
                assignment: a,
                rhythm,
                last,
                due,
                round,
            }
        })
        .collect()
}

/// The patient's assignments with their standing, read under `opened` (the scores and
/// the plan in force are read too, for when each is due).
pub async fn standing_today(
    store: &Store,
    opened: &OpenedPatient,
    today: Date,
) -> Result<(Vec<Standing>, Vec<ScoreRecord>)> {
    let assignments = store.assignments(&opened.access).await?;
    let scores = store.scores(&opened.access).await?;
    let next_change = crate::plans::in_force(store, opened)
        .await?
        .and_then(|(_, plan)| {
            plan.schedule()
                .periods()
                .iter()
                .find(|p| p.from > today)
                .map(|p| p.from)
        });
    Ok((standings(assignments, &scores, next_change, today), scores))
}

/// Records the patient's own answers to an instrument assigned to them: a score marked
/// as reported by the patient, for today, banded by the instrument's bands or the
/// clinician's cut-offs. An instrument not assigned is not found.
pub async fn record_own_score(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    inst: &Instrument,
    answers: Answers,
    request_key: Option<String>,
    today: Date,
) -> Result<Saved> {
    let assignments = store.assignments(&opened.access).await?;
    let assignment = assignments
        .iter()
        .find(|a| a.instrument == inst.id)
        .ok_or(Error::NotFound)?;
    let mut faults = Faults::default();
    check_request_key(&mut faults, request_key.as_deref());
    faults.finish(())?;
    let flags = inst
        .score_with(&answers, cutoffs_of(assignment).as_ref())
        .map(|s| s.flags)
        .unwrap_or_default();
    let input = ScoreInput {
        observed_on: today,
        answers,
        flags: Vec::new(),
        note: String::new(),
        request_key,
        cutoffs: cutoffs_of(assignment),
    };
    let id = crate::scores::record(store, caller, opened, inst, &input, today).await?;
    Ok(Saved { id, flags })
}

/// The diary's flags as the engine's observations, one per day: entries up to `seen`
/// (the newest entry when the plan in force was signed) were before the prescriber
/// then, and move no new proposal.
pub fn diary_observations(entries: &[DiaryEntry], seen: Option<Uuid>) -> Vec<Observation> {
    let mut out: Vec<Observation> = Vec::new();
    for e in entries.iter().filter(|e| !e.flags.is_empty()) {
        let flags: Vec<Flag> = e.flags.iter().filter_map(|f| parse_code(f)).collect();
        let acted_on = seen.is_some_and(|s| e.id <= s);
        match out
            .iter_mut()
            .find(|o| o.date == e.day && o.acted_on == acted_on)
        {
            Some(o) => o.flags.extend(flags),
            None => out.push(Observation {
                date: e.day,
                scores: Vec::new(),
                flags,
                acted_on,
            }),
        }
    }
    out
}

/// Marks the patient's reports read by the care team up to `up_to`, the newest report
/// the reader was shown.
pub async fn mark_read(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    up_to: Uuid,
) -> Result<()> {
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE).detail("reports read");
    Ok(store
        .mark_reports_read(&opened.access, up_to, caller.account_id, &log)
        .await?)
}

/// The newest of the patient's own reports (scores they sent, diary entries): what a
/// page that shows them lets the reader mark read.
pub fn newest_report(scores: &[ScoreRecord], diary: &[DiaryEntry]) -> Option<Uuid> {
    scores
        .iter()
        .filter(|s| s.reported_by_patient)
        .map(|s| s.id)
        .chain(diary.iter().map(|d| d.id))
        .max()
}
