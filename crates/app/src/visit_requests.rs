//! The patient's wish to move or cancel a booked visit, and the coordinator's answer.
//! Nothing about the visit changes until the coordinator approves: a move with the new
//! time the coordinator chose, a cancellation as it is. The patient sees the answer and
//! its note on their visits page.

use trappa_pathway::visits::Status;
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::visit_requests::NewVisitRequest;
use trappa_store::visits::AppointmentState;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::reports::check_request_key;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// What the access log calls the wishes (read or written by the patient).
pub const OWN_RESOURCE: &str = "own.visits";
/// What the access log calls the coordinators' list of open wishes.
pub const LIST_RESOURCE: &str = "visit_requests.list";
/// The kinds of wish.
pub const KINDS: [&str; 2] = ["move", "cancel"];

/// A wish as the patient typed it.
#[derive(Debug, Clone, Default)]
pub struct WishInput {
    /// "move" or "cancel".
    pub kind: String,
    /// What suits instead, or why (required for a move).
    pub wish: String,
    /// The form's key.
    pub request_key: Option<String>,
}

/// Records the patient's wish for one of their visits to come.
pub async fn request(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    appointment: Uuid,
    input: &WishInput,
) -> Result<Uuid> {
    let mut faults = Faults::default();
    if !KINDS.contains(&input.kind.as_str()) {
        faults.push(Fault::new("kind", &V::UNKNOWN_CHOICE));
    }
    faults.text("wish", &input.wish, input.kind == "move", MAX_REASON);
    check_request_key(&mut faults, input.request_key.as_deref());
    faults.finish(())?;
    let new = NewVisitRequest {
        appointment,
        kind: input.kind.clone(),
        wish: input.wish.trim().to_owned(),
        request_key: input.request_key.clone(),
    };
    let log = NewEntry::new(&caller.actor, Action::Create, OWN_RESOURCE).detail("visit wish");
    match store
        .request_visit_change(&opened.access, &new, caller.account_id, &log)
        .await
    {
        Ok(id) => Ok(id),
        Err(trappa_store::StoreError::Refused("visit_request_open")) => {
            Err(Error::field("kind", &V::VISIT_WISH_OPEN))
        }
        Err(trappa_store::StoreError::Refused(_)) => Err(Error::field("kind", &V::VISIT_WISH_PAST)),
        Err(e) => Err(e.into()),
    }
}

/// The coordinator's answer as typed.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// Approve (the visit changes) or decline.
    pub approve: bool,
    /// For an approved move: the new local date and time.
    pub date: String,
    /// The time.
    pub time: String,
    /// The note to the patient (required when declining).
    pub note: String,
}

/// Answers an open wish of the patient's: approved, the visit is moved to the time
/// given or cancelled, with the note as the visit's reason; declined, nothing changes.
pub async fn decide(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    request: Uuid,
    a: &Answer,
) -> Result<()> {
    let wish = store
        .visit_requests(&opened.access)
        .await?
        .into_iter()
        .find(|r| r.id == request)
        .ok_or(Error::NotFound)?;
    let mut faults = Faults::default();
    faults.text("note", &a.note, !a.approve, MAX_REASON);
    let visit = store
        .appointment(&opened.access, wish.appointment_id)
        .await?;
    let next = if !a.approve {
        None
    } else if wish.kind == "cancel" {
        Some(Status::Cancelled)
    } else {
        Some(Status::Booked)
    };
    let starts_at = match next {
        Some(Status::Booked) => match crate::clock::parse_local(&a.date, &a.time) {
            Some(t) if t >= trappa_store::now() => t,
            Some(_) => {
                faults.push(Fault::new("date", &V::VISIT_ERR_PAST));
                visit.starts_at
            }
            None => {
                faults.push(Fault::new("date", &V::VISIT_ERR_WHEN));
                visit.starts_at
            }
        },
        _ => visit.starts_at,
    };
    faults.finish(())?;
    let state = next.map(|status| AppointmentState {
        kind: visit.kind,
        place: visit.place,
        starts_at,
        minutes: visit.minutes,
        clinician: visit.clinician,
        status,
    });
    let note = if a.note.trim().is_empty() {
        V::VISIT_WISH_APPROVED.get(caller.locale).to_owned()
    } else {
        a.note.trim().to_owned()
    };
    let log =
        NewEntry::new(&caller.actor, Action::Update, crate::visits::VISITS).detail(if a.approve {
            "visit wish approved"
        } else {
            "visit wish declined"
        });
    store
        .decide_visit_request(
            &opened.access,
            request,
            state.as_ref().map(|s| (visit.version, s)),
            &note,
            caller.account_id,
            &log,
        )
        .await?;
    crate::notify::queue(store, opened.id(), crate::notify::NoticeKind::VisitAnswer).await;
    Ok(())
}

/// Opens the patient to answer a wish, under the scheduling rule
/// ([`trappa_policy::decide_visit_scheduling`]): a coordinator outside the care team
/// on the coordinating basis, which the log flags.
pub async fn open_to_answer(
    store: &Store,
    caller: &Caller,
    patient: Uuid,
) -> Result<OpenedPatient> {
    crate::access::open_by(
        store,
        caller,
        patient,
        Action::Update,
        crate::visits::VISITS,
        |facts, _| trappa_policy::decide_visit_scheduling(facts),
    )
    .await
}

/// Every open wish, oldest first, the listing logged with each patient it names.
pub async fn open(
    store: &Store,
    caller: &Caller,
) -> Result<Vec<trappa_store::visit_requests::VisitRequest>> {
    let log = NewEntry::new(&caller.actor, Action::Listed, LIST_RESOURCE);
    Ok(store.open_visit_requests(&log).await?)
}
