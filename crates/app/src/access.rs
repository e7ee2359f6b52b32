//! Opening a patient: the policy's answer, logged before anything is read.
//!
//! Every use case that touches a patient starts from an [`OpenedPatient`], and the only
//! ways to get one are the functions here. Each reads the access facts, asks one rule of
//! `trappa_policy`, and writes the access-log entry — allowed or refused — before any
//! patient data is read. A write's entry is held back and written with the write (see
//! [`trappa_store::access_log::Deferred`]); the adapter hands [`OpenedPatient::deferred`]
//! to its request so the entry is written even if the write never happens.

use std::sync::Arc;

use trappa_policy::{
    AccessBasis, CareTeamChangeDecision, CareTeamChangeFacts, CareTeamChangeRefusal,
    PatientAccessDecision, PatientAccessFacts,
};
use trappa_store::Store;
use trappa_store::access_log::{Action, Deferred, NewEntry, Outcome};
use trappa_store::patients::{AccessFacts, PatientAccess};
use uuid::Uuid;

use crate::text::V;
use crate::{Caller, Error, Result};

/// An opened patient record: the proof of a logged access and how it was given.
pub struct OpenedPatient {
    /// The proof the store asks for before it returns patient data.
    pub access: PatientAccess,
    /// Skyddad identitet.
    pub protected_identity: bool,
}

impl OpenedPatient {
    /// The patient's id.
    pub fn id(&self) -> Uuid {
        self.access.patient_id()
    }
    /// On what basis it was opened.
    pub fn basis(&self) -> AccessBasis {
        self.access.basis()
    }
    /// The held-back log entry of a write, for the request to write if the write does
    /// not take it.
    pub fn deferred(&self) -> Option<&Arc<Deferred>> {
        self.access.deferred()
    }
}

/// Opens `patient_id` for `caller` under the care-relationship rule
/// ([`trappa_policy::decide_patient_access`]).
///
/// Allowed: a log entry (flagged for emergency access; the log flags protected identity
/// itself) and the proof to read with. Outside the care relationship:
/// a denied entry and [`Error::EmergencyAccessRequired`]. Unknown patient:
/// [`Error::NotFound`].
pub async fn open(
    store: &Store,
    caller: &Caller,
    patient_id: Uuid,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient> {
    open_by(store, caller, patient_id, action, resource, |facts, _| {
        trappa_policy::decide_patient_access(facts)
    })
    .await
}

/// Reads the access facts, asks `decide` (a rule of `trappa_policy`), and logs the
/// answer before anything is read: the one way a patient is opened.
pub async fn open_by(
    store: &Store,
    caller: &Caller,
    patient_id: Uuid,
    action: Action,
    resource: &str,
    decide: impl FnOnce(PatientAccessFacts, &AccessFacts) -> PatientAccessDecision,
) -> Result<OpenedPatient> {
    let facts = facts_now(store, caller, patient_id).await?;
    let decision = decide(
        facts.policy_facts(caller.role, caller.patient_id == Some(patient_id)),
        &facts,
    );
    let mut entry = NewEntry::new(&caller.actor, action, resource).patient(patient_id);
    match decision {
        PatientAccessDecision::Allow(grant) => {
            if grant.basis() == AccessBasis::Emergency {
                entry.emergency_access_id = facts.open_emergency_access;
                entry.flagged = true;
            }
            let protected_identity = facts.protected_identity;
            // A write logs once, with the write (see `Deferred`); reads log at once.
            let access = if matches!(action, Action::Create | Action::Update) {
                store
                    .grant_patient_access_for_write(facts, patient_id, grant, &entry)
                    .await
            } else {
                store
                    .grant_patient_access_with(facts, patient_id, grant, &entry)
                    .await?
            };
            Ok(OpenedPatient {
                access,
                protected_identity,
            })
        }
        PatientAccessDecision::EmergencyAccessPossible => {
            entry.outcome = Outcome::Denied;
            store.append_access_log(&entry).await?;
            Err(Error::EmergencyAccessRequired(patient_id))
        }
        PatientAccessDecision::Deny => {
            entry.outcome = Outcome::Denied;
            store.append_access_log(&entry).await?;
            Err(Error::Forbidden)
        }
    }
}

/// What the store knows now about `caller` and `patient_id`; an unknown patient is
/// [`Error::NotFound`].
async fn facts_now(store: &Store, caller: &Caller, patient_id: Uuid) -> Result<AccessFacts> {
    store
        .access_facts(
            caller.account_id,
            caller.role,
            patient_id,
            trappa_store::now(),
        )
        .await?
        .ok_or(Error::NotFound)
}

/// Opens a patient for a change of the care team, under
/// [`trappa_policy::decide_care_team_change`]: never on the strength of an emergency
/// access, and never to give the caller's own account a place in the team.
/// `new_member` is the account the change gives a place (none when a membership ends).
/// Allowed changes on the coordinating role's standing alone are flagged for the
/// auditor; refusals are logged against the patient.
pub async fn open_for_care_team_change(
    store: &Store,
    caller: &Caller,
    patient_id: Uuid,
    new_member: Option<Uuid>,
) -> Result<OpenedPatient> {
    const RESOURCE: &str = "patient.care_team";
    let facts = facts_now(store, caller, patient_id).await?;
    let decision = trappa_policy::decide_care_team_change(CareTeamChangeFacts {
        role: caller.role,
        in_care_team: facts.in_care_team,
        queue: facts.queue,
        widens_own_access: new_member == Some(caller.account_id),
    });
    let entry = NewEntry::new(&caller.actor, Action::Update, RESOURCE).patient(patient_id);
    match decision {
        CareTeamChangeDecision::Allow(grant) => {
            let protected_identity = facts.protected_identity;
            let entry = entry.flagged(grant.basis() == AccessBasis::Coordination);
            let access = store
                .grant_patient_access_for_write(facts, patient_id, grant, &entry)
                .await;
            Ok(OpenedPatient {
                access,
                protected_identity,
            })
        }
        CareTeamChangeDecision::Deny(why) => {
            store
                .append_access_log(
                    &entry
                        .denied()
                        .flagged(why == CareTeamChangeRefusal::OwnAccess)
                        .detail(format!("{why:?}")),
                )
                .await?;
            Err(match why {
                CareTeamChangeRefusal::OwnAccess => {
                    Error::Refused(&V::ERR_OWN_ACCESS, &V::ERR_OWN_ACCESS_DETAIL)
                }
                CareTeamChangeRefusal::NotPermitted => Error::Forbidden,
            })
        }
    }
}

/// Writes a held-back entry no write took (a request that wrote nothing still leaves
/// its log entry); an error means the answer must not leave.
pub async fn flush(store: &Store, held: &Deferred) -> Result<()> {
    Ok(store.flush(held).await?)
}
