//! What a caller may do with a patient: the proof the policy's answer gave.

use trappa_policy::AccessBasis;
use trappa_store::patients::PatientAccess;
use uuid::Uuid;

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
}
