//! Who is in a care team, and in which function: the types the care team, the access
//! proof and the caseload share.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::Role;
use uuid::Uuid;

/// A member's function in the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamFunction {
    /// Fast vårdkontakt: the patient's named contact, usually a nurse.
    FastVardkontakt,
    /// The responsible prescriber.
    Prescriber,
    /// Kurator or psychologist.
    Psychosocial,
    /// Physiotherapist.
    Physiotherapist,
    /// Coordinator or other member.
    Other,
}

impl TeamFunction {
    /// Every function, in display order.
    pub const ALL: [TeamFunction; 5] = [
        TeamFunction::FastVardkontakt,
        TeamFunction::Prescriber,
        TeamFunction::Psychosocial,
        TeamFunction::Physiotherapist,
        TeamFunction::Other,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            TeamFunction::FastVardkontakt => "fast_vardkontakt",
            TeamFunction::Prescriber => "prescriber",
            TeamFunction::Psychosocial => "psychosocial",
            TeamFunction::Physiotherapist => "physiotherapist",
            TeamFunction::Other => "other",
        }
    }

    /// Parses [`TeamFunction::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == s)
    }

    /// Whether someone in `role` may hold this function. The prescriber signs taper
    /// plans, so is a physician; psychosocial work and physiotherapy need their
    /// professions; the fast vårdkontakt (patientlagen 6 kap. 2 §) is a licensed
    /// clinician who meets the patient, so not the coordinator or the unit manager; any
    /// clinical role may be an "other" member.
    pub fn fits(self, role: Role) -> bool {
        match self {
            TeamFunction::Prescriber => role == Role::Physician,
            TeamFunction::Psychosocial => role == Role::Psychologist,
            TeamFunction::Physiotherapist => role == Role::Physiotherapist,
            TeamFunction::FastVardkontakt => matches!(
                role,
                Role::Nurse | Role::Physician | Role::Psychologist | Role::Physiotherapist
            ),
            TeamFunction::Other => role.is_clinical(),
        }
    }

    /// The functions someone holding `roles` may have, in display order.
    pub fn fitting(roles: &[Role]) -> impl Iterator<Item = TeamFunction> + '_ {
        Self::ALL
            .into_iter()
            .filter(|f| roles.iter().any(|r| f.fits(*r)))
    }
}

/// A current or past member of a patient's care team.
#[derive(Debug, Clone, Serialize)]
pub struct CareTeamMember {
    /// Membership id.
    pub id: Uuid,
    /// The staff account.
    pub account_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Their profession.
    pub profession: Option<String>,
    /// Function in the team.
    pub function: TeamFunction,
    /// Since when.
    pub added_at: Timestamp,
    /// Until when, if ended.
    pub ended_at: Option<Timestamp>,
}
