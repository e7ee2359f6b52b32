//! The proof that access to one patient was authorised and logged, and the facts the
//! care-relationship rule is asked on. Only the store's grants make a
//! [`PatientAccess`] (from a `trappa_policy::Grant`); every read of patient data takes
//! one.

use trappa_policy::{AccessBasis, PatientAccessFacts, Queue};
use uuid::Uuid;

use crate::record::Patient;
use crate::team::CareTeamMember;

/// Proof that access to one patient was authorised and logged.
#[derive(Debug, Clone)]
pub struct PatientAccess {
    pub(crate) patient_id: Uuid,
    pub(crate) basis: AccessBasis,
    /// The entry held back for a write (see [`crate::log_entry::Deferred`]).
    pub(crate) deferred: Option<std::sync::Arc<crate::log_entry::Deferred>>,
    /// The current version and care team, when read together with the access facts.
    pub(crate) record: Option<Box<Sealed>>,
}

/// What was read with the access facts, held back until the access is logged.
#[derive(Debug, Clone)]
pub(crate) struct Sealed {
    pub(crate) patient: Patient,
    pub(crate) team: Vec<CareTeamMember>,
}

impl PatientAccess {
    /// The care team as read when the access was granted, if it was.
    pub(crate) fn sealed_team(&self) -> Option<&[CareTeamMember]> {
        self.record.as_ref().map(|r| r.team.as_slice())
    }

    /// The patient this access is for.
    pub fn patient_id(&self) -> Uuid {
        self.patient_id
    }
    /// The basis access was given on.
    pub fn basis(&self) -> AccessBasis {
        self.basis
    }

    /// The entry held back until the write (or the response), if the access was
    /// granted for a write.
    pub fn deferred(&self) -> Option<&std::sync::Arc<crate::log_entry::Deferred>> {
        self.deferred.as_ref()
    }
}

/// The facts the care-relationship rule needs about one account and one patient.
///
/// They are read in the same statement as the patient's current version, which stays
/// sealed inside (no accessor) until `Store::grant_patient_access_with` has logged the
/// access: one database round trip fewer on every record opened.
#[derive(Debug, Clone)]
pub struct AccessFacts {
    /// Current care-team member.
    pub in_care_team: bool,
    /// The patient's queue.
    pub queue: Option<Queue>,
    /// An unexpired emergency access of this account to this patient.
    pub open_emergency_access: Option<Uuid>,
    /// Skyddad identitet.
    pub protected_identity: bool,
    /// The patient has, or ever had, a care team.
    pub has_had_care_team: bool,
    pub(crate) record: Option<Box<Sealed>>,
}

impl AccessFacts {
    /// The facts of the care-relationship rule for an account acting in `role`;
    /// `is_self` when the account is this patient's own.
    pub fn policy_facts(&self, role: trappa_policy::Role, is_self: bool) -> PatientAccessFacts {
        PatientAccessFacts {
            role,
            in_care_team: self.in_care_team,
            queue: self.queue,
            open_emergency_access: self.open_emergency_access.is_some(),
            is_self,
        }
    }
}
