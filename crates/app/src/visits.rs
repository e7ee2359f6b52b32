//! Visits and the journal: booking a visit with someone in the care team, moving,
//! cancelling or marking it missed with a reason, and writing a journal note by its
//! kind's template — which holds the visit it documents, in one transaction — or
//! correcting one as a new version with a reason.

use std::collections::BTreeMap;

use trappa_i18n::Locale;
use trappa_pathway::visits::{CbtProgress, Heading, Kind, Place, Status, cbt_progress};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::care_team::CareTeamMember;
use trappa_store::visits::{AppointmentState, JournalNote, NewNote};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// What the access log calls the visits.
pub const VISITS: &str = "patient.visits";
/// What the access log calls the journal.
pub const JOURNAL: &str = "patient.journal";
/// The shortest and longest visit, minutes.
pub const MINUTES: std::ops::RangeInclusive<u32> = 5..=240;
/// The longest text under one heading.
pub const MAX_TEXT: usize = 8000;
use crate::MAX_REASON;

/// A booking as typed (the page's form and the API's body both give this).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Booking {
    /// The visit's kind, by its code.
    pub kind: String,
    /// Where, by its code.
    pub place: String,
    /// Local date.
    pub date: String,
    /// Local time, `HH:MM`.
    pub time: String,
    /// Length in minutes.
    pub minutes: String,
    /// The clinician's account id.
    pub clinician: String,
    /// Why (optional).
    pub reason: String,
}

/// Validates a booking against the care team into the state to store, or every fault.
pub fn parse_booking(b: &Booking, team: &[CareTeamMember]) -> Result<AppointmentState> {
    let mut faults = Faults::default();
    let kind = Kind::from_code(&b.kind).filter(|k| *k != Kind::Note);
    if kind.is_none() {
        faults.push(Fault::new("kind", &V::REQUIRED));
    }
    let place = Place::from_code(&b.place);
    if place.is_none() {
        faults.push(Fault::new("place", &V::REQUIRED));
    }
    let starts_at = crate::clock::parse_local(&b.date, &b.time);
    match starts_at {
        None => faults.push(Fault::new("date", &V::VISIT_ERR_WHEN)),
        Some(t) if t < trappa_store::now() => faults.push(Fault::new("date", &V::VISIT_ERR_PAST)),
        Some(_) => {}
    }
    let minutes = crate::parse_allowed(&b.minutes, |m| MINUTES.contains(m));
    if minutes.is_none() {
        faults.push(Fault::new("minutes", &V::VISIT_ERR_MINUTES));
    }
    let clinician = b.clinician.trim().parse::<Uuid>().ok().filter(|c| {
        team.iter()
            .any(|m| m.account_id == *c && m.ended_at.is_none())
    });
    if clinician.is_none() {
        faults.push(Fault::new("clinician", &V::VISIT_ERR_CLINICIAN));
    }
    faults.text("reason", &b.reason, false, MAX_REASON);
    match (kind, place, starts_at, minutes, clinician) {
        (Some(kind), Some(place), Some(starts_at), Some(minutes), Some(clinician)) => faults
            .finish(AppointmentState {
                kind,
                place,
                starts_at,
                minutes,
                clinician: Some(clinician),
                status: Status::Booked,
            }),
        _ => Err(Error::Invalid(faults.0)),
    }
}

/// Books a visit with someone in the patient's current care team. Returns its id.
pub async fn book(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    b: &Booking,
) -> Result<Uuid> {
    let team = store.care_team(&opened.access).await?;
    let booking = parse_booking(b, &team)?;
    let log = NewEntry::new(&caller.actor, Action::Create, VISITS);
    Ok(store
        .book_appointment(
            &opened.access,
            &booking,
            caller.account_id,
            b.reason.trim(),
            &log,
        )
        .await?)
}

/// A change of a booked visit as typed: `booked` with a new date and time (a move),
/// `cancelled` or `no_show`, and always a reason.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// `booked`, `cancelled` or `no_show`.
    pub status: String,
    /// For a move: local date.
    pub date: String,
    /// For a move: local time.
    pub time: String,
    /// Why.
    pub reason: String,
}

/// Moves (a new time, still booked), cancels or marks a no-show, with its reason, as a
/// new version if `expected` is current. Returns the new version.
pub async fn change(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    appointment: Uuid,
    expected: i64,
    c: &Change,
) -> Result<i64> {
    let current = store.appointment(&opened.access, appointment).await?;
    let mut faults = Faults::default();
    let status = match Status::from_code(&c.status) {
        Some(s @ (Status::Booked | Status::Cancelled | Status::NoShow)) => s,
        _ => {
            faults.push(Fault::new("status", &V::REQUIRED));
            Status::Booked
        }
    };
    let starts_at = if status == Status::Booked {
        match crate::clock::parse_local(&c.date, &c.time) {
            Some(t) if t >= trappa_store::now() => t,
            Some(_) => {
                faults.push(Fault::new("date", &V::VISIT_ERR_PAST));
                current.starts_at
            }
            None => {
                faults.push(Fault::new("date", &V::VISIT_ERR_WHEN));
                current.starts_at
            }
        }
    } else {
        current.starts_at
    };
    reason(&mut faults, &c.reason);
    let next = faults.finish(AppointmentState {
        kind: current.kind,
        place: current.place,
        starts_at,
        minutes: current.minutes,
        clinician: current.clinician,
        status,
    })?;
    let log = NewEntry::new(&caller.actor, Action::Update, VISITS);
    Ok(store
        .change_appointment(
            &opened.access,
            appointment,
            expected,
            &next,
            caller.account_id,
            c.reason.trim(),
            &log,
        )
        .await?)
}

/// A change's reason: required, and not a book.
fn reason(faults: &mut Faults, reason: &str) {
    if trappa_input::text::is_blank(reason) {
        faults.push(Fault::new("reason", &V::REF_ERR_REASON));
    } else {
        faults.text("reason", reason, true, MAX_REASON);
    }
}

/// The kind of a note: the visit's, when it documents one, else the one chosen.
pub async fn note_kind(
    store: &Store,
    opened: &OpenedPatient,
    held: Option<(Uuid, i64)>,
    chosen: Option<Kind>,
) -> Result<Kind> {
    match held {
        Some((a, _)) => Ok(store.appointment(&opened.access, a).await?.kind),
        None => chosen.ok_or_else(|| Error::field("kind", &V::REQUIRED)),
    }
}

/// Validates a note's texts against its template: only the template's headings, at
/// least one filled in, none too long, a CBT session number within the programme.
/// `locale` names the template in a fault.
pub fn check_note(
    kind: Kind,
    fields: &BTreeMap<String, String>,
    locale: Locale,
) -> Result<BTreeMap<String, String>> {
    let mut faults = Faults::default();
    let mut out = BTreeMap::new();
    // Nothing typed is dropped: text under a heading the template lacks is refused, so
    // the writer moves it, and an unknown key is refused rather than ignored.
    for (key, text) in fields {
        if kind.template().iter().any(|h| h.code() == key) {
            continue;
        }
        match Heading::from_code(key) {
            Some(_) if text.trim().is_empty() => {}
            Some(_) => faults.push(
                Fault::new(key.clone(), &V::NOTE_ERR_OTHER_TEMPLATE)
                    .with("kind", kind.label(locale)),
            ),
            None => faults.push(Fault::new(key.clone(), &V::NOTE_ERR_UNKNOWN)),
        }
    }
    for h in kind.template() {
        let text = fields.get(h.code()).map(|t| t.trim()).unwrap_or("");
        if text.chars().count() > MAX_TEXT {
            faults.push(Fault::new(h.code(), &V::TOO_LONG).with("n", MAX_TEXT.to_string()));
        }
        if *h == Heading::Session && !text.is_empty() {
            let sessions = trappa_pathway::visits::CBT_PROGRAMME_SESSIONS;
            if !text
                .parse::<u32>()
                .is_ok_and(|n| (1..=sessions).contains(&n))
            {
                faults.push(
                    Fault::new(h.code(), &V::CBT_ERR_SESSION).with("n", sessions.to_string()),
                );
            }
        }
        if !text.is_empty() {
            out.insert(h.code().to_owned(), text.to_owned());
        }
    }
    if out.is_empty()
        && faults.is_empty()
        && let Some(first) = kind.template().first()
    {
        faults.push(Fault::new(first.code(), &V::NOTE_ERR_EMPTY));
    }
    faults.finish(out)
}

/// Writes a journal note — of the kind of the visit it holds (`held`: the visit and
/// the version the form was read at), else of `chosen` — and holds the visit, in one
/// transaction. Returns the note's id.
pub async fn write_note(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    held: Option<(Uuid, i64)>,
    chosen: Option<Kind>,
    fields: &BTreeMap<String, String>,
) -> Result<Uuid> {
    let kind = note_kind(store, opened, held, chosen).await?;
    let fields = check_note(kind, fields, caller.locale)?;
    let log = NewEntry::new(&caller.actor, Action::Create, JOURNAL);
    Ok(store
        .write_note(
            &opened.access,
            &NewNote { kind, fields, held },
            caller.account_id,
            &log,
        )
        .await?)
}

/// Corrects a note: a new version with its reason, if `expected` is current. Returns
/// the new version.
pub async fn correct_note(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    note: Uuid,
    expected: i64,
    fields: &BTreeMap<String, String>,
    why: &str,
) -> Result<i64> {
    let current = store.note(&opened.access, note).await?;
    let mut faults = match check_note(current.kind, fields, caller.locale) {
        Ok(_) => Faults::default(),
        Err(Error::Invalid(f)) => Faults(f),
        Err(e) => return Err(e),
    };
    reason(&mut faults, why);
    faults.finish(())?;
    let fields = check_note(current.kind, fields, caller.locale)?;
    let log = NewEntry::new(&caller.actor, Action::Update, JOURNAL);
    Ok(store
        .correct_note(
            &opened.access,
            note,
            expected,
            &fields,
            caller.account_id,
            why.trim(),
            &log,
        )
        .await?)
}

/// The CBT programme's progress from the patient's current CBT notes.
pub fn cbt(notes: &[JournalNote]) -> CbtProgress {
    cbt_progress(
        notes
            .iter()
            .filter(|n| n.kind == Kind::CbtSession)
            .filter_map(|n| n.fields.get(Heading::Session.code()))
            .filter_map(|s| s.trim().parse::<u32>().ok()),
    )
}

/// The caller's booked visits in `[from, to)`, the listing and every patient logged.
pub async fn scheduled(
    store: &Store,
    caller: &Caller,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> Result<Vec<trappa_store::visits::ScheduledVisit>> {
    let log = NewEntry::new(&caller.actor, Action::Listed, "start.visits");
    Ok(store
        .scheduled_visits(Some(caller.account_id), from, to, &log)
        .await?)
}
