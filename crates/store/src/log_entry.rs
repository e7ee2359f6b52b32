//! What one access-log entry says: who (the actor), what was done, to which patient's
//! data, on what basis, with what outcome — and an entry held back until its write
//! commits. The types only; writing them is `access_log`'s.

use serde::Serialize;
use trappa_policy::AccessBasis;
use uuid::Uuid;

/// What was done (the "action" of 4 kap 9 § 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Data was shown.
    Read,
    /// A record was created.
    Create,
    /// A record was changed (a new version).
    Update,
    /// A search was made; the hits are logged as `Listed`.
    Search,
    /// A patient appeared in a search result list.
    Listed,
    /// Data was printed or exported (PDF, CSV).
    Export,
    /// An emergency access was taken.
    EmergencyAccess,
    /// An emergency access was reviewed.
    Review,
    /// Signed in.
    Login,
    /// A sign-in failed.
    LoginFailed,
    /// Signed out.
    Logout,
    /// An account was created or changed.
    AccountChange,
    /// The role a session acts in was switched.
    RoleSwitch,
}

impl Action {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::Search => "search",
            Action::Listed => "listed",
            Action::Export => "export",
            Action::EmergencyAccess => "emergency_access",
            Action::Review => "review",
            Action::Login => "login",
            Action::LoginFailed => "login_failed",
            Action::Logout => "logout",
            Action::AccountChange => "account_change",
            Action::RoleSwitch => "role_switch",
        }
    }
}

/// Whether the request was carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Allowed and done.
    Allowed,
    /// Refused by the access policy.
    Denied,
}

impl Outcome {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }
}

/// Who is acting, from where: the per-request context every log entry carries.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The account, or `None` for an anonymous request.
    pub account_id: Option<Uuid>,
    /// Login name (or what was typed at a failed login).
    pub username: String,
    /// The role acted in.
    pub role: Option<String>,
    /// The actor's unit.
    pub unit_id: Option<Uuid>,
    /// Request id, shown to users on error pages and kept in server logs.
    pub request_id: String,
    /// Client address.
    pub client_ip: Option<String>,
    /// Acting in a role a person granted less than a day ago: every entry is flagged, so
    /// the first use of a new role is reviewed.
    pub new_role: bool,
}

/// The username Trappa's own jobs act under (no account): a reminder job's read, for
/// one, is logged as Trappa's and not as a person's.
pub const SYSTEM_USERNAME: &str = "trappa";

impl Actor {
    /// Trappa itself, running a job (`request_id` names the run).
    pub fn system(request_id: impl Into<String>) -> Self {
        Actor {
            account_id: None,
            username: SYSTEM_USERNAME.to_owned(),
            role: None,
            unit_id: None,
            request_id: request_id.into(),
            client_ip: None,
            new_role: false,
        }
    }
}

/// One entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// Who.
    pub actor: &'a Actor,
    /// Which patient, if any.
    pub patient_id: Option<Uuid>,
    /// What was done.
    pub action: Action,
    /// What part of the record, e.g. `patient.overview`.
    pub resource: &'a str,
    /// On what basis access was given.
    pub basis: Option<AccessBasis>,
    /// The emergency access used, if any.
    pub emergency_access_id: Option<Uuid>,
    /// Allowed or denied.
    pub outcome: Outcome,
    /// Needs an auditor's attention (emergency access, protected identity).
    pub flagged: bool,
    /// Short free detail without personal data, e.g. a hit count.
    pub detail: Option<String>,
}

impl<'a> NewEntry<'a> {
    /// An allowed entry about no patient — flagged only when the actor acts in a newly
    /// granted role; the builder methods add the rest.
    pub fn new(actor: &'a Actor, action: Action, resource: &'a str) -> Self {
        NewEntry {
            actor,
            patient_id: None,
            action,
            resource,
            basis: None,
            emergency_access_id: None,
            outcome: Outcome::Allowed,
            flagged: actor.new_role,
            detail: None,
        }
    }

    /// About this patient.
    pub fn patient(self, id: Uuid) -> Self {
        self.patient_opt(Some(id))
    }

    /// About this patient, if any.
    pub fn patient_opt(mut self, id: Option<Uuid>) -> Self {
        self.patient_id = id;
        self
    }

    /// Given on this basis.
    pub fn basis(mut self, basis: AccessBasis) -> Self {
        self.basis = Some(basis);
        self
    }

    /// Given on this basis, if any.
    pub fn basis_opt(mut self, basis: Option<AccessBasis>) -> Self {
        self.basis = basis;
        self
    }

    /// Under this emergency access, if any.
    pub fn emergency_access(mut self, id: Option<Uuid>) -> Self {
        self.emergency_access_id = id;
        self
    }

    /// Refused by the policy.
    pub fn denied(mut self) -> Self {
        self.outcome = Outcome::Denied;
        self
    }

    /// Flagged for an auditor's attention when `flag` holds (a flag, once set, stays).
    pub fn flagged(mut self, flag: bool) -> Self {
        self.flagged |= flag;
        self
    }

    /// With a short detail, if any.
    pub fn detail_opt(mut self, detail: Option<String>) -> Self {
        self.detail = detail;
        self
    }

    /// With a short detail (no personal data).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The access entry of a patient opened for a write, held back so that the write and its
/// one entry commit together: `Tx::append_patient_log` writes it merged with the
/// write's own entry, in the write's transaction. If no write takes it — the input was
/// refused, the handler only read — the web layer writes it, with `Store::flush`,
/// before the response leaves. Either way one entry, never none, and never after the data
/// it records was shown.
#[derive(Debug)]
pub struct Deferred {
    pub(crate) actor: Actor,
    pub(crate) patient_id: Uuid,
    pub(crate) action: Action,
    pub(crate) resource: String,
    pub(crate) basis: AccessBasis,
    pub(crate) emergency_access_id: Option<Uuid>,
    pub(crate) flagged: bool,
    pub(crate) detail: Option<String>,
    pub(crate) written: std::sync::atomic::AtomicBool,
}

impl Deferred {
    pub(crate) fn new(e: &NewEntry<'_>, patient_id: Uuid, basis: AccessBasis) -> Self {
        Deferred {
            actor: e.actor.clone(),
            patient_id,
            action: e.action,
            resource: e.resource.to_owned(),
            basis,
            emergency_access_id: e.emergency_access_id,
            flagged: e.flagged || basis.needs_review(),
            detail: e.detail.clone(),
            written: Default::default(),
        }
    }

    /// Whether the entry is in the log (or its write's transaction has committed).
    pub fn is_written(&self) -> bool {
        self.written.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn mark_written(&self) {
        self.written
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// The entry written when no write took it: the record was opened, nothing changed.
    /// So a create or update that was refused (bad input, a stale form) or cut off is
    /// logged as the read it was — the log never says a change happened that did not.
    pub(crate) fn unwritten_entry(&self) -> NewEntry<'_> {
        let action = match self.action {
            Action::Create | Action::Update => Action::Read,
            other => other,
        };
        NewEntry {
            actor: &self.actor,
            patient_id: Some(self.patient_id),
            action,
            resource: &self.resource,
            basis: Some(self.basis),
            emergency_access_id: self.emergency_access_id,
            outcome: Outcome::Allowed,
            flagged: self.flagged,
            detail: self.detail.clone(),
        }
    }
}
