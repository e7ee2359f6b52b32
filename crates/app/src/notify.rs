//! Notifications that carry no health data: "Du har ett nytt meddelande i Trappa", a
//! link to sign in, nothing else. The patient chooses how to be told (their settings,
//! append-only versions); a use case that leaves the patient something new queues a
//! notice of its kind; a worker claims the notices that are due and hands each to the
//! [`Sender`] of its channel, retrying with a growing wait.
//!
//! The seam: a [`Sender`] is one channel (e-mail, SMS). Trappa ships the SMTP one
//! (`trappa_web::smtp`); an SMS gateway is another implementation of the same trait.
//! A notice is queued after the write that caused it has committed: if queuing fails,
//! the record stands and the failure is logged — the notice is a courtesy, the record
//! the truth.

use std::future::Future;
use std::pin::Pin;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use trappa_i18n::{Locale, fill};
use trappa_store::Store;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::notifications::NotificationSettings;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// What the access log calls the patient's notification settings.
pub const OWN_RESOURCE: &str = "own.notifications";
/// A notice is tried at most this many times.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long a claimed notice is held for its sender before another worker may try it.
const LEASE: SignedDuration = SignedDuration::from_mins(5);

/// What a notice says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// The care team wrote to the patient.
    Message,
    /// The coordinator answered the patient's wish about a visit.
    VisitAnswer,
    /// A new version of the plan was signed.
    Plan,
    /// A questionnaire the care team assigned is due (one reminder per round).
    Questionnaire,
}

const KINDS: [(NoticeKind, &str); 4] = [
    (NoticeKind::Message, "message"),
    (NoticeKind::VisitAnswer, "visit_answer"),
    (NoticeKind::Plan, "plan"),
    (NoticeKind::Questionnaire, "questionnaire"),
];

impl NoticeKind {
    /// The code the queue keeps.
    pub fn code(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("message", |(_, c)| c)
    }

    /// The kind a code names.
    pub fn from_code(code: &str) -> Option<Self> {
        KINDS.iter().find(|(_, c)| *c == code).map(|(k, _)| *k)
    }

    /// What the notice says, with no health data.
    pub fn text(self, locale: Locale) -> &'static str {
        match self {
            NoticeKind::Message => V::NOTICE_MESSAGE.get(locale),
            NoticeKind::VisitAnswer => V::NOTICE_VISIT_ANSWER.get(locale),
            NoticeKind::Plan => V::NOTICE_PLAN.get(locale),
            NoticeKind::Questionnaire => V::NOTICE_QUESTIONNAIRE.get(locale),
        }
    }
}

/// A notice's words, as a sender sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The e-mail address or mobile number.
    pub to: String,
    /// A subject line (e-mail).
    pub subject: String,
    /// The text.
    pub body: String,
}

impl Notice {
    /// The words of `kind` to `to`, with the link to sign in at.
    pub fn of(kind: NoticeKind, to: &str, sign_in: &str, locale: Locale) -> Self {
        Notice {
            to: to.to_owned(),
            subject: V::NOTICE_SUBJECT.get(locale).to_owned(),
            body: format!(
                "{}\n\n{}\n\n{}\n",
                kind.text(locale),
                fill(V::NOTICE_READ_AT.get(locale), &[("link", sign_in)]),
                V::NOTICE_FOOTER.get(locale)
            ),
        }
    }
}

/// The channel a sender serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// E-mail.
    Email,
    /// SMS.
    Sms,
}

impl Channel {
    /// The code the queue keeps.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// What a send returns: an error is a sentence for the operator's log.
pub type Sending<'a> = Pin<Box<dyn Future<Output = std::result::Result<(), String>> + Send + 'a>>;

/// One channel's way out: SMTP for e-mail, a gateway for SMS.
pub trait Sender: Send + Sync {
    /// The channel it serves.
    fn channel(&self) -> Channel;
    /// Sends one notice.
    fn send<'a>(&'a self, notice: &'a Notice) -> Sending<'a>;
}

/// Queues a notice of `kind` for the patient on every channel they chose. Never fails
/// the caller: the write it follows has committed.
pub async fn queue(store: &Store, patient_id: Uuid, kind: NoticeKind) {
    if let Err(e) = store.queue_notices(patient_id, kind.code(), None).await {
        tracing::warn!(error = %e, kind = kind.code(), "a notice could not be queued");
    }
}

/// The hours (Swedish time) in which the day's reminders go out: from this hour…
pub const REMINDER_HOUR: i8 = 9;
/// …to this one; never at night, and an instance started in the evening waits for the
/// next morning.
pub const REMINDER_UNTIL: i8 = 18;

/// Whether the reminders are to be queued at `now`: in the day's hours, and not yet
/// done today (`done_on`, the day of the last run that succeeded).
pub fn reminders_due(now: &jiff::Zoned, done_on: Option<Date>) -> bool {
    (REMINDER_HOUR..REMINDER_UNTIL).contains(&now.hour()) && done_on != Some(now.date())
}

/// Queues a reminder for every questionnaire round open `today` that the patient has
/// not answered, for the patients who chose to be told. Each patient's assignments are
/// read on their own standing (they asked for the reminders) by Trappa's job
/// (`request`, [`Actor::system`]), logged on their own log as [`REMINDER_RESOURCE`]; a
/// round is reminded of once, however often this runs and on however many instances
/// (the queue's `about` key). One patient's failure is logged and the rest go on.
/// Returns how many notices were queued.
pub async fn remind_due(store: &Store, request: &Actor, today: Date) -> Result<u64> {
    let mut queued = 0;
    for (account_id, patient_id) in store.reminder_accounts().await? {
        match remind_one(store, request, account_id, patient_id, today).await {
            Ok(n) => queued += n,
            Err(e) => tracing::warn!(error = ?e, "a patient's reminders could not be queued"),
        }
    }
    Ok(queued)
}

async fn remind_one(
    store: &Store,
    request: &Actor,
    account_id: Uuid,
    patient_id: Uuid,
    today: Date,
) -> Result<u64> {
    let Some(account) = store.account(account_id).await? else {
        return Ok(0);
    };
    let mut caller = Caller::own(&account, request, Locale::Sv);
    caller.actor = request.clone();
    let opened = match crate::access::open(
        store,
        &caller,
        patient_id,
        Action::Read,
        REMINDER_RESOURCE,
    )
    .await
    {
        Ok(opened) => opened,
        // Not the account's own record any more: nothing to remind of.
        Err(Error::Forbidden | Error::NotFound) => return Ok(0),
        Err(e) => return Err(e),
    };
    let (standings, _) = crate::reports::standing_today(store, &opened, today).await?;
    let mut queued = 0;
    for due in standings.iter().filter(|s| s.due) {
        let Some(round) = due.round else { continue };
        let about = format!("{}:{round}", due.assignment.id);
        queued += store
            .queue_notices(patient_id, NoticeKind::Questionnaire.code(), Some(&about))
            .await?;
    }
    Ok(queued)
}

/// What the access log calls the reminder job's look at a patient's questionnaires.
pub const REMINDER_RESOURCE: &str = "own.reminders";

/// The settings as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    /// The address.
    pub email: String,
    /// Notices by e-mail.
    pub by_email: bool,
}

/// The patient's current settings.
pub async fn settings(store: &Store, caller: &Caller) -> Result<NotificationSettings> {
    Ok(store.notification_settings(caller.account_id).await?)
}

/// Saves the patient's own settings as a new version: an address that mail cannot
/// reach is refused (field `email`), and so is e-mail without an address.
pub async fn save_settings(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    input: &SettingsInput,
) -> Result<()> {
    if caller.patient_id != Some(opened.id()) {
        return Err(Error::Forbidden);
    }
    let email = input.email.trim();
    let mut faults = Faults::default();
    if !email.is_empty() && !crate::patients::email_ok(email) {
        faults.push(Fault::new("email", &V::BAD_EMAIL));
    } else if email.is_empty() && input.by_email {
        faults.push(Fault::new("email", &V::NOTICE_BAD_EMAIL_OFF));
    }
    faults.finish(())?;
    let settings = NotificationSettings {
        email: (!email.is_empty()).then(|| email.to_owned()),
        by_email: input.by_email,
        mobile: None,
        by_sms: false,
    };
    let log = NewEntry::new(&caller.actor, Action::Update, OWN_RESOURCE);
    Ok(store
        .set_notification_settings(
            &opened.access,
            caller.account_id,
            &settings,
            caller.account_id,
            &log,
        )
        .await?)
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Notices sent.
    pub sent: usize,
    /// Attempts that failed (tried again later, up to [`MAX_ATTEMPTS`]).
    pub failed: usize,
}

/// The wait before attempt `n + 1`: a minute, doubling, at most a day.
pub fn retry_after(attempts: i64) -> SignedDuration {
    let minutes = 1i64 << attempts.clamp(0, 11);
    SignedDuration::from_mins(minutes.min(24 * 60))
}

/// Claims the notices due at `now` and sends each through the sender of its channel; a
/// notice whose channel has no sender waits (and is counted failed) until one is set up.
pub async fn deliver_due(
    store: &Store,
    senders: &[std::sync::Arc<dyn Sender>],
    sign_in: &str,
    now: Timestamp,
) -> Result<Delivered> {
    let mut done = Delivered::default();
    let claimed = store
        .claim_notices(now, now + LEASE, MAX_ATTEMPTS, 50)
        .await?;
    for pending in claimed {
        let sender = senders
            .iter()
            .find(|s| s.channel().code() == pending.channel);
        let kind = NoticeKind::from_code(&pending.kind).unwrap_or(NoticeKind::Message);
        let notice = Notice::of(kind, &pending.address, sign_in, Locale::Sv);
        let outcome = match sender {
            Some(s) => s.send(&notice).await,
            None => Err(format!("no sender for {}", pending.channel)),
        };
        match outcome {
            Ok(()) => {
                store.notice_sent(pending.id, now).await?;
                done.sent += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, attempts = pending.attempts, "a notice was not sent");
                store
                    .notice_failed(
                        pending.id,
                        &e,
                        Timestamp::now() + retry_after(pending.attempts),
                    )
                    .await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i8, day: i8) -> jiff::Zoned {
        jiff::civil::date(2026, 12, day)
            .at(hour, 30, 0, 0)
            .to_zoned(crate::clock::stockholm())
            .unwrap()
    }

    #[test]
    fn reminders_go_out_once_a_day_in_the_day_hours() {
        let today = jiff::civil::date(2026, 12, 7);
        assert!(!reminders_due(&at(8, 7), None), "not before nine");
        assert!(reminders_due(&at(9, 7), None));
        assert!(reminders_due(&at(17, 7), None));
        assert!(!reminders_due(&at(18, 7), None), "not in the evening");
        assert!(!reminders_due(&at(23, 7), None), "a restart at night waits");
        assert!(!reminders_due(&at(10, 7), Some(today)), "once a day");
        assert!(reminders_due(&at(10, 8), Some(today)), "the next day again");
    }

    #[test]
    fn a_notice_says_what_kind_of_thing_is_new_and_nothing_more() {
        let n = Notice::of(
            NoticeKind::Plan,
            "a@b.se",
            "https://trappa.example/mina-sidor",
            Locale::Sv,
        );
        assert!(
            n.body
                .starts_with("Det finns en ny version av din plan i Trappa.")
        );
        assert!(n.body.contains("https://trappa.example/mina-sidor"));
        for k in KINDS {
            assert_eq!(NoticeKind::from_code(k.0.code()), Some(k.0));
        }
    }

    #[test]
    fn retries_wait_longer_each_time_and_at_most_a_day() {
        let waits: Vec<i64> = (1..=12).map(|a| retry_after(a).as_secs() / 60).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(waits[0], 2);
        assert_eq!(*waits.last().unwrap(), 24 * 60);
    }
}
