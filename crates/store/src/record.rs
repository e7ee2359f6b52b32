//! The patient record's identity part as data: one version's content, the versions,
//! the record as read, a search's hit. Reading and writing them is `patients`'s.

use jiff::Timestamp;
use serde::Serialize;
use trappa_ident::PersonalIdentity;
use trappa_policy::Queue;
use uuid::Uuid;

/// The identity data of a patient: one version's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientData {
    /// Personnummer or samordningsnummer.
    pub personal_identity: PersonalIdentity,
    /// Förnamn.
    pub given_name: String,
    /// Efternamn.
    pub family_name: String,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// The postal address: withheld by the store itself for protected identity.
    pub address: Address,
    /// The patient's own vårdcentral.
    pub home_unit_id: Option<Uuid>,
    /// Skyddad identitet: the address is hidden and every access is flagged.
    pub protected_identity: bool,
    /// A synthetic test person (demo data).
    pub synthetic: bool,
}

/// A postal address; any part may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PostalAddress {
    /// Street and number.
    pub street: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Post town.
    pub city: Option<String>,
}

impl PostalAddress {
    /// Whether no part is recorded.
    pub fn is_empty(&self) -> bool {
        self.street.is_none() && self.postal_code.is_none() && self.city.is_none()
    }
}

/// The address as the record gives it out.
///
/// The address of a patient with protected identity (*skyddad identitet*) never leaves
/// the store: while the current version is protected, every version reads as
/// [`Address::Withheld`] — on every page, letter, export and API alike, because they
/// all read through here. Writing `Withheld` back keeps the stored address unchanged,
/// so a form that never showed it cannot erase it; writing `Known` records a new one
/// (which is then withheld in turn). Post to such a patient goes through
/// Skatteverket's forwarding, by name and identity number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Address {
    /// The recorded address (possibly empty).
    Known(PostalAddress),
    /// Recorded for a patient with protected identity, and not given out.
    Withheld,
}

impl Address {
    /// No address recorded.
    pub fn none() -> Self {
        Address::Known(PostalAddress::default())
    }

    /// The address if it may be shown.
    pub fn known(&self) -> Option<&PostalAddress> {
        match self {
            Address::Known(a) => Some(a),
            Address::Withheld => None,
        }
    }
}

/// One stored version of a patient's identity data.
#[derive(Debug, Clone, Serialize)]
pub struct PatientVersion {
    /// Version number, from 1.
    pub version: i64,
    /// The content.
    pub data: PatientData,
    /// Who wrote it.
    pub authored_by: Uuid,
    /// Their display name.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
}

/// A patient with the current version of their identity data.
#[derive(Debug, Clone, Serialize)]
pub struct Patient {
    /// Internal id.
    pub id: Uuid,
    /// The queue the patient is in, if any.
    pub queue: Option<Queue>,
    /// The current version.
    pub current: PatientVersion,
    /// Name of the home vårdcentral.
    pub home_unit_name: Option<String>,
}

/// A line in a search result.
#[derive(Debug, Clone, Serialize)]
pub struct PatientSummary {
    /// Internal id.
    pub id: Uuid,
    /// Identity number.
    pub personal_identity: PersonalIdentity,
    /// Förnamn.
    pub given_name: String,
    /// Efternamn.
    pub family_name: String,
    /// Skyddad identitet.
    pub protected_identity: bool,
    /// Home vårdcentral.
    pub home_unit_name: Option<String>,
}

/// What to search for.
#[derive(Debug, Clone)]
pub enum PatientQuery {
    /// An exact identity number.
    Identity(PersonalIdentity),
    /// Name words; each must occur in the name.
    Name(Vec<String>),
}
