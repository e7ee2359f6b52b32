//! The application layer: every rule of the patient's path, once.
//!
//! Each step of the path is a module, and each use case a function that takes the
//! store, the [`Caller`] and the proof of what the caller may do (a
//! [`trappa_store::patients::PatientAccess`] the policy granted), validates what was
//! typed, writes in one transaction and returns a typed result or a typed [`Error`]
//! (`NotFound`, `Forbidden`, `EmergencyAccessRequired`, `Refused` with its message,
//! `Stale`, `Invalid` with `Fault`s naming their field, `Throttled`, `Internal`).
//! Nothing here knows HTML or HTTP: the pages, the JSON API and the coming portal and
//! FHIR interface are adapters that parse a request, call one use case and render its
//! answer — so the API cannot do what a form refuses.
//!
//! Modules:
//!
//! - [`access`]: `open`, `open_by`, `open_for_care_team_change`: the facts read, one
//!   rule of `trappa-policy` asked, the answer logged before anything is read — the
//!   only way to an `OpenedPatient`; `flush` for a request's held-back entry;
//! - [`referrals`]: parse, send, self-refer with honeypot and limits, open by id,
//!   decide, complement, the inbox or one's own;
//! - [`patients`]: fields, register, edit, logged search;
//! - [`care_team`]: add a member who fits the function, end, hand over without a gap,
//!   emergency access with a reason, the caseload;
//! - [`waiting`]: the list in order with the vårdgaranti clock;
//! - [`visits`]: book, change, notes by template, corrections, CBT progress, one's
//!   booked visits;
//! - [`visit_requests`]: a patient's wish to move or cancel a visit, the coordinator's
//!   answer (the visit changes only when approved);
//! - [`scores`]: score with the instrument, flags kept; scores as the engine's
//!   observations;
//! - [`plans`]: a draft saved, signed, the engine's proposal made from the stored
//!   scores and the diary's flags and signed only as it was shown;
//! - [`reports`]: what the patient reports between visits — questionnaires the care
//!   team assigns and when each is due, the patient's own answers (scores marked as
//!   theirs), the diary, the reports marked read;
//! - [`calendar_feeds`]: the patient's calendar subscription made, replaced and ended,
//!   and a calendar app's read through it, logged as the patient's own;
//! - [`messages`]: threads between the patient and the care team, the automatic reply
//!   when a patient writes;
//! - [`sip`]: partners (issue 19) — the patient's consents to share with a partner
//!   organisation, coordinated individual plans (SIP) started, revised, signed with
//!   consent for every partner, tasks per organisation; a partner sees only their
//!   organisation's plans and tasks;
//! - [`notify`]: the patient's notification settings, notices queued by the use cases
//!   that leave the patient something new, delivered through a `Sender` per channel;
//! - [`own_record`]: what the patient reads of their record — the notes the unit
//!   releases (which kinds, after how many days), reply letters, signed plan versions;
//! - [`aftercare`]: `PathState`, events checked against the path so far;
//! - [`planning`]: the week's problem from the unit's documents, units and each
//!   patient's care team, plan and aftercare; the demo's week; `changes`: availability,
//!   visits asked for by hand, pins and locks, proposals kept and saved — each a new
//!   document version on the version read;
//! - [`sessions`]: argon2id, TOTP, sign-in with its limits, the session started,
//!   resumed, ended, the role switched;
//! - [`accounts`]: one's password and second factor; staff accounts, nobody changing
//!   their own roles;
//! - [`taper_settings`]: a unit's settings as versions;
//! - [`audit`]: the log read and that reading logged, refusals recorded, reviews of
//!   emergency access and role changes;
//! - [`reporting`]: every patient read for statistics, logged;
//! - [`clock`]: Swedish local dates and times, the one home of the clock views;
//! - [`text`]: the catalogue of every message a use case returns, Swedish first.
//!
//! Tests in `crates/app/tests/` on both backends.

pub mod access;
pub mod accounts;
pub mod aftercare;
pub mod audit;
pub mod calendar_feeds;
pub mod care_team;
pub mod clock;
pub mod messages;
pub mod notify;
pub mod own_record;
pub mod patients;
pub mod planning;
pub mod plans;
pub mod referrals;
pub mod reporting;
pub mod reports;
pub mod scores;
pub mod sessions;
pub mod sip;
pub mod taper_settings;
pub mod text;
pub mod visit_requests;
pub mod visits;
pub mod waiting;

use std::borrow::Cow;

use trappa_i18n::{Locale, Msg, fill};
use trappa_policy::Role;
use trappa_store::StoreError;
use trappa_store::access_log::Actor;
use uuid::Uuid;

/// Who is asking: the signed-in account, the role they act in, and the actor every
/// access-log entry names.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub account_id: Uuid,
    /// The role acted in.
    pub role: Role,
    /// The account's unit, if any.
    pub unit_id: Option<Uuid>,
    /// The patient a patient's own account belongs to; none for staff.
    pub patient_id: Option<Uuid>,
    /// The actor of the request, for the access log.
    pub actor: Actor,
    /// The name a signature shows.
    pub display_name: String,
    /// The caller's language, for the texts a use case writes into the record.
    pub locale: Locale,
}

impl Caller {
    /// A patient's own account acting with no one signed in — their calendar app
    /// reading the feed they made, the reminders they asked for: the account's own
    /// standing, with the request's actor for the log.
    pub fn own(account: &trappa_store::accounts::Account, request: &Actor, locale: Locale) -> Self {
        Caller {
            account_id: account.id,
            role: Role::Patient,
            unit_id: account.unit_id,
            patient_id: account.patient_id,
            actor: Actor {
                account_id: Some(account.id),
                username: account.username.clone(),
                role: Some(Role::Patient.code().to_owned()),
                unit_id: account.unit_id,
                new_role: false,
                ..request.clone()
            },
            display_name: account.display_name.clone(),
            locale,
        }
    }
}

/// One field's fault: which field and what is wrong, as a catalogue message with its
/// placeholders — the adapter says it in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The form field or JSON property.
    pub field: Cow<'static, str>,
    /// What is wrong.
    pub message: &'static Msg,
    /// The message's placeholders.
    pub args: Vec<(&'static str, String)>,
}

impl Fault {
    /// A fault without placeholders.
    pub fn new(field: impl Into<Cow<'static, str>>, message: &'static Msg) -> Self {
        Fault {
            field: field.into(),
            message,
            args: Vec::new(),
        }
    }

    /// Adds a placeholder's value.
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.args.push((key, value.into()));
        self
    }

    /// The message in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(self.message.get(locale), &args)
    }
}

/// Everything a use case can fail with.
#[derive(Debug)]
pub enum Error {
    /// No such record, or not one the caller's proof covers.
    NotFound,
    /// Not allowed.
    Forbidden,
    /// Outside the care relationship, but emergency access (with a reason, reviewed)
    /// may be taken to this patient.
    EmergencyAccessRequired(Uuid),
    /// Not allowed, for a reason the caller is told (title and detail).
    Refused(&'static Msg, &'static Msg),
    /// The record changed since the form was read.
    Stale,
    /// What was typed is wrong, field by field; nothing was written.
    Invalid(Vec<Fault>),
    /// Too many attempts, by which limit.
    Throttled(Throttle),
    /// Something broke.
    Internal(anyhow::Error),
}

impl Error {
    /// One fault, with its placeholders.
    pub fn invalid(fault: Fault) -> Self {
        Error::Invalid(vec![fault])
    }

    /// One field's fault.
    pub fn field(field: impl Into<Cow<'static, str>>, message: &'static Msg) -> Self {
        Error::Invalid(vec![Fault::new(field, message)])
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            // A refused state change means the form no longer matches the record.
            StoreError::Stale | StoreError::Refused(_) => Error::Stale,
            other => Error::Internal(other.into()),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(e.into())
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Internal(e)
    }
}

/// The longest reason a change or a signature carries.
pub const MAX_REASON: usize = 500;

/// The failed sign-ins counted per account and per address, in minutes.
pub const SIGN_IN_WINDOW_MINUTES: i64 = 15;

/// Which limit refused a request: it decides what `Retry-After` and the message say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Failed sign-ins for an account or from an address ([`SIGN_IN_WINDOW_MINUTES`]).
    SignIn,
    /// Self-referrals from an address or in all ([`referrals::WINDOW_MINUTES`]).
    SelfReferral,
    /// A unit's searches for proposals at once.
    Planner,
}

impl Throttle {
    /// Seconds until the window has passed: the `Retry-After` value.
    pub fn retry_after_secs(self) -> i64 {
        match self {
            Throttle::SignIn => SIGN_IN_WINDOW_MINUTES * 60,
            Throttle::SelfReferral => referrals::WINDOW_MINUTES * 60,
            // A search takes the planner's time budget: a minute is plenty for one to end.
            Throttle::Planner => 60,
        }
    }
}

/// A typed value if `value` parses and `allowed` accepts it: a month of the schedule,
/// a visit's length.
pub fn parse_allowed<T: std::str::FromStr>(value: &str, allowed: impl Fn(&T) -> bool) -> Option<T> {
    value.trim().parse().ok().filter(allowed)
}

/// A use case's answer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Faults gathered field by field: a validator adds each and ends with
/// [`Faults::finish`], so every fault is reported at once.
#[derive(Debug, Default)]
pub struct Faults(pub Vec<Fault>);

impl Faults {
    /// Adds a fault.
    pub fn push(&mut self, fault: Fault) {
        self.0.push(fault);
    }

    /// Whether a fault names `field`.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|f| f.field == field)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A free text (a reply, a note, a reason): required (not blank), at most `max`
    /// characters; line breaks and tabs are part of it, other control characters and
    /// direction overrides are not (input normalisation removes them from forms).
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) {
        let v = value.trim();
        if required && trappa_input::text::is_blank(v) {
            self.push(Fault::new(field, &text::V::REQUIRED));
        } else if v.chars().count() > max {
            self.push(Fault::new(field, &text::V::TOO_LONG).with("n", max.to_string()));
        } else if v.chars().any(trappa_input::text::is_removed) {
            self.push(Fault::new(field, &text::V::BAD_CHARACTERS));
        }
    }

    /// A one-line text (a name, an address line): as [`Faults::text`], and no line
    /// break or tab.
    pub fn line(&mut self, field: &'static str, value: &str, required: bool, max: usize) {
        let before = self.0.len();
        self.text(field, value, required, max);
        if self.0.len() == before && value.trim().contains(['\n', '\t']) {
            self.push(Fault::new(field, &text::V::ONE_LINE));
        }
    }

    /// `Ok(value)` if there is no fault, otherwise every fault.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
