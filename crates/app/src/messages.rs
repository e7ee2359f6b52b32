//! Secure messages between the patient and the care team. Part of the record: what is
//! sent is kept as written, every read is logged, and a message sent twice (the same
//! request key) is stored once. When the patient writes and no one in the care team
//! has yet answered since, Trappa replies at once with when to expect an answer and
//! what to do if it cannot wait.

use trappa_i18n::{Locale, fill};
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::messages::NewMessage;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::reports::check_request_key;
use crate::text::V;
use crate::{Caller, Faults, Result};

/// What the access log calls the messages, read or written by the care team.
pub const RESOURCE: &str = "patient.messages";
/// What the access log calls the patient's own messages.
pub const OWN_RESOURCE: &str = "own.messages";
/// The longest subject.
pub const MAX_SUBJECT: usize = 120;
/// The longest message.
pub const MAX_BODY: usize = 4000;

/// What the automatic reply promises: the unit's answering time and phone.
#[derive(Debug, Clone)]
pub struct Answering {
    /// Weekdays within which the care team answers.
    pub reply_days: u8,
    /// The unit's phone for patients, if it has one.
    pub unit_phone: Option<String>,
}

impl Answering {
    /// The automatic reply, in the patient's language.
    pub fn reply(&self, locale: Locale) -> String {
        let days = trappa_i18n::format::count(
            i64::from(self.reply_days),
            &V::WEEKDAY,
            &V::WEEKDAYS,
            locale,
        );
        let mut text = fill(V::MESSAGE_AUTO_REPLY.get(locale), &[("days", &days)]);
        if let Some(phone) = &self.unit_phone {
            text.push(' ');
            text.push_str(&fill(
                V::MESSAGE_AUTO_PHONE.get(locale),
                &[("phone", phone)],
            ));
        }
        text
    }
}

/// A message as written.
#[derive(Debug, Clone, Default)]
pub struct MessageInput {
    /// The subject (a new thread only).
    pub subject: String,
    /// The text.
    pub body: String,
    /// The form's key.
    pub request_key: Option<String>,
}

fn check(input: &MessageInput, new_thread: bool) -> Result<()> {
    let mut faults = Faults::default();
    if new_thread {
        faults.line("subject", &input.subject, true, MAX_SUBJECT);
    }
    faults.text("body", &input.body, true, MAX_BODY);
    check_request_key(&mut faults, input.request_key.as_deref());
    faults.finish(())
}

/// Whether the caller is the patient the record is about.
fn is_patient(caller: &Caller, opened: &OpenedPatient) -> bool {
    caller.patient_id == Some(opened.id())
}

fn resource(caller: &Caller, opened: &OpenedPatient) -> &'static str {
    if is_patient(caller, opened) {
        OWN_RESOURCE
    } else {
        RESOURCE
    }
}

/// Starts a thread (the patient to the care team, or the care team to the patient).
/// Returns the thread's id.
pub async fn start(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    input: &MessageInput,
    answering: &Answering,
) -> Result<Uuid> {
    check(input, true)?;
    let from_patient = is_patient(caller, opened);
    let message = NewMessage {
        body: input.body.trim().to_owned(),
        from_patient,
        request_key: input.request_key.clone(),
    };
    let automatic = from_patient.then(|| answering.reply(caller.locale));
    let log = NewEntry::new(&caller.actor, Action::Create, resource(caller, opened))
        .detail("message thread");
    let thread = store
        .start_thread(
            &opened.access,
            input.subject.trim(),
            &message,
            automatic.as_deref(),
            caller.account_id,
            &log,
        )
        .await?;
    tell_patient(store, opened, from_patient).await;
    Ok(thread)
}

/// A message from the care team is news to the patient.
async fn tell_patient(store: &Store, opened: &OpenedPatient, from_patient: bool) {
    if !from_patient {
        crate::notify::queue(store, opened.id(), crate::notify::NoticeKind::Message).await;
    }
}

/// Answers in a thread of the patient's. The patient's message gets the automatic
/// reply when it opens a new round (the care team wrote last, or only Trappa did).
pub async fn reply(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    thread: Uuid,
    input: &MessageInput,
    answering: &Answering,
) -> Result<()> {
    check(input, false)?;
    let from_patient = is_patient(caller, opened);
    let waiting = store
        .threads(&opened.access, caller.account_id)
        .await?
        .into_iter()
        .find(|t| t.id == thread)
        .ok_or(crate::Error::NotFound)?
        .waiting_since
        .is_some();
    let message = NewMessage {
        body: input.body.trim().to_owned(),
        from_patient,
        request_key: input.request_key.clone(),
    };
    let automatic = (from_patient && !waiting).then(|| answering.reply(caller.locale));
    let log =
        NewEntry::new(&caller.actor, Action::Create, resource(caller, opened)).detail("message");
    store
        .post_message(
            &opened.access,
            thread,
            &message,
            automatic.as_deref(),
            caller.account_id,
            &log,
        )
        .await?;
    tell_patient(store, opened, from_patient).await;
    Ok(())
}

/// One thread of the patient's with its messages, oldest first, read by the caller:
/// what they had not read is marked read (append-only marks). The read itself is the
/// opening's log entry.
pub async fn read(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    thread: Uuid,
) -> Result<(
    trappa_store::messages::Thread,
    Vec<trappa_store::messages::Message>,
)> {
    Ok(store
        .read_thread(&opened.access, thread, caller.account_id)
        .await?)
}

/// What the access log calls the care team's inbox (it lists patients).
pub const INBOX_RESOURCE: &str = "messages.inbox";

/// The caller's inbox: the threads of the patients on their caseload, waiting longest
/// first, each with its patient. The listing is logged as one entry naming each
/// patient, as the caseload is.
pub async fn inbox(
    store: &Store,
    caller: &Caller,
    limit: i64,
) -> Result<
    Vec<(
        trappa_store::care_team::CaseloadEntry,
        trappa_store::messages::Thread,
    )>,
> {
    let log = NewEntry::new(&caller.actor, Action::Listed, INBOX_RESOURCE);
    let caseload = store.caseload(caller.account_id, limit, &log).await?;
    let threads = store.caseload_threads(caller.account_id).await?;
    Ok(threads
        .into_iter()
        .filter_map(|t| {
            let who = caseload.iter().find(|c| c.patient_id == t.patient_id)?;
            Some((who.clone(), t))
        })
        .collect())
}
