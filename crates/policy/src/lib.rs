//! Who may do what: roles, permissions and the care-relationship rule.
//!
//! This crate is the one place the access policy lives. It is pure (no I/O): the
//! server gathers the facts (the actor's role, whether they are in the patient's care
//! team, whether the patient is in a queue they handle, an open emergency access) and
//! asks [`decide_patient_access`]. Everything not granted here is denied.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A role a user acts in (a *medarbetaruppdrag*). A staff member may hold several and
/// acts in one at a time; the access log records the active one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sjuksköterska, often the patient's fast vårdkontakt.
    Nurse,
    /// Läkare / psykiater: the prescriber.
    Physician,
    /// Psykolog or kurator / socionom.
    Psychologist,
    /// Fysioterapeut.
    Physiotherapist,
    /// Koordinator: referral inbox, triage, waiting list, trip planning.
    Coordinator,
    /// Verksamhetschef / enhetschef.
    UnitManager,
    /// Analytiker: aggregates only, never a patient.
    Analyst,
    /// Logggranskare: access logs and emergency-access review.
    Auditor,
    /// Systemadministratör: accounts, no clinical data.
    Admin,
    /// Remittent at a vårdcentral: own referrals only.
    ExternalReferrer,
    /// The patient, signed in to see their own record's access log.
    Patient,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 11] = [
        Role::Nurse,
        Role::Physician,
        Role::Psychologist,
        Role::Physiotherapist,
        Role::Coordinator,
        Role::UnitManager,
        Role::Analyst,
        Role::Auditor,
        Role::Admin,
        Role::ExternalReferrer,
        Role::Patient,
    ];

    /// The stable code stored in the database and sent in the API.
    pub fn code(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Physician => "physician",
            Role::Psychologist => "psychologist",
            Role::Physiotherapist => "physiotherapist",
            Role::Coordinator => "coordinator",
            Role::UnitManager => "unit_manager",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::ExternalReferrer => "external_referrer",
            Role::Patient => "patient",
        }
    }

    /// Parses [`Role::code`].
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Clinical roles work under the care-relationship rule and may take emergency access.
    pub fn is_clinical(self) -> bool {
        matches!(
            self,
            Role::Nurse
                | Role::Physician
                | Role::Psychologist
                | Role::Physiotherapist
                | Role::Coordinator
                | Role::UnitManager
        )
    }

    /// Whether this role may sign taper plans and changes.
    pub fn is_prescriber(self) -> bool {
        self == Role::Physician
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a request wants to do. Each handler asks for exactly the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Search patients by identity number or name (every search is logged).
    SearchPatients,
    /// Open a patient's record (further limited by [`decide_patient_access`]).
    ReadPatientRecord,
    /// Register a patient or correct identity data.
    WritePatientRecord,
    /// Assign or end care-team membership.
    ManageCareTeam,
    /// Take emergency access (*nödåtkomst*) to a patient outside the care relationship.
    TakeEmergencyAccess,
    /// Search the access log.
    ReadAccessLog,
    /// Review and sign off emergency accesses.
    ReviewEmergencyAccess,
    /// Produce a patient's access-log extract (PDF, CSV) on the patient's request.
    ExportPatientAccessLog,
    /// Create and change staff accounts and roles.
    ManageStaff,
    /// See aggregate figures only.
    ReadAggregates,
    /// See and send one's own referrals.
    ReadOwnReferrals,
    /// The patient reads who accessed their own record.
    ReadOwnAccessLog,
    /// Use the taper engine: propose plans, print handouts (no patient data).
    PlanTapers,
    /// Change the unit's taper settings: products in use, default equivalence tables.
    ManageTaperSettings,
    /// Sign a patient's taper plan so it becomes active (the prescriber).
    SignTaperPlans,
    /// Triage referrals: read the inbox, decide.
    TriageReferrals,
    /// Plan the travelling team's week: availability, rooms, routes, pins and locks.
    PlanTrips,
}

/// The permissions a role grants. Deny by default: what is not listed is refused.
pub fn permissions(role: Role) -> &'static [Permission] {
    use Permission::*;
    match role {
        Role::Nurse => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            TakeEmergencyAccess,
            PlanTapers,
        ],
        Role::Physician => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            TakeEmergencyAccess,
            PlanTapers,
            ManageTaperSettings,
            SignTaperPlans,
            TriageReferrals,
        ],
        Role::Psychologist | Role::Physiotherapist => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            TakeEmergencyAccess,
        ],
        Role::Coordinator => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            ManageCareTeam,
            TakeEmergencyAccess,
            TriageReferrals,
            PlanTrips,
        ],
        Role::UnitManager => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            ManageCareTeam,
            TakeEmergencyAccess,
            ManageTaperSettings,
            TriageReferrals,
            PlanTrips,
            ReadAggregates,
        ],
        Role::Analyst => &[ReadAggregates],
        Role::Auditor => &[ReadAccessLog, ReviewEmergencyAccess, ExportPatientAccessLog],
        Role::Admin => &[ManageStaff],
        Role::ExternalReferrer => &[ReadOwnReferrals],
        Role::Patient => &[ReadOwnAccessLog],
    }
}

/// Whether `role` holds `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    permissions(role).contains(&permission)
}

/// A queue of patients not yet in a care team, handled by certain roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// Referrals waiting for triage.
    Triage,
    /// Accepted patients on the waiting list.
    Waiting,
}

impl Queue {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Queue::Triage => "triage",
            Queue::Waiting => "waiting",
        }
    }

    /// Parses [`Queue::code`].
    pub fn from_code(code: &str) -> Option<Queue> {
        [Queue::Triage, Queue::Waiting]
            .into_iter()
            .find(|q| q.code() == code)
    }

    /// The roles that work this queue: the triage team reads referrals; the
    /// waiting list is the coordinators' and the manager's.
    pub fn handled_by(self, role: Role) -> bool {
        match self {
            Queue::Triage => matches!(
                role,
                Role::Coordinator | Role::Physician | Role::UnitManager
            ),
            Queue::Waiting => matches!(role, Role::Coordinator | Role::UnitManager),
        }
    }
}

/// The facts about one actor and one patient that the care-relationship rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatientAccessFacts {
    /// The role the actor is acting in.
    pub role: Role,
    /// The actor is a current member of the patient's care team.
    pub in_care_team: bool,
    /// The queue the patient is in, if any.
    pub queue: Option<Queue>,
    /// The actor holds an unexpired emergency access to this patient.
    pub open_emergency_access: bool,
    /// The actor is this patient (patient role only).
    pub is_self: bool,
}

/// How an access is allowed; recorded in the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessBasis {
    /// The actor is in the patient's care team.
    CareTeam,
    /// The patient is in a queue the actor's role handles.
    Queue,
    /// Emergency access with a stated reason, flagged for review.
    Emergency,
    /// The patient reads their own data.
    OwnRecord,
    /// A referrer reads a referral they sent (status and reply).
    OwnReferral,
    /// The triage team reads a referral and its reply letters by the referral (also
    /// once the patient has left the triage queue: the letter of a declined
    /// self-referral is printed and posted by the unit).
    Triage,
    /// The coordinator plans the team's week: the patients with a care team are listed
    /// with their vårdcentral, visits due and care team (names and visits only).
    Planning,
    /// The board's follow-up: every referred or treated patient's path facts read
    /// without names or identity numbers, for tables that suppress small cells (one
    /// entry per report, counting the patients).
    Statistics,
}

impl AccessBasis {
    /// The stable code stored in the access log.
    pub fn code(self) -> &'static str {
        match self {
            AccessBasis::CareTeam => "care_team",
            AccessBasis::Queue => "queue",
            AccessBasis::Emergency => "emergency",
            AccessBasis::OwnRecord => "own_record",
            AccessBasis::OwnReferral => "own_referral",
            AccessBasis::Triage => "triage",
            AccessBasis::Planning => "planning",
            AccessBasis::Statistics => "statistics",
        }
    }

    /// Parses [`AccessBasis::code`].
    pub fn from_code(code: &str) -> Option<AccessBasis> {
        [
            AccessBasis::CareTeam,
            AccessBasis::Queue,
            AccessBasis::Emergency,
            AccessBasis::OwnRecord,
            AccessBasis::OwnReferral,
            AccessBasis::Triage,
            AccessBasis::Planning,
            AccessBasis::Statistics,
        ]
        .into_iter()
        .find(|b| b.code() == code)
    }
}

/// The answer to "may this actor open this patient?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientAccessDecision {
    /// Allowed, on this basis.
    Allow(AccessBasis),
    /// Not in a care relationship, but the role may take emergency access with a reason.
    EmergencyAccessPossible,
    /// Refused.
    Deny,
}

/// The care-relationship rule (PDL 4 kap; HSLF-FS 2016:40).
///
/// Clinical staff open a patient's record when they are in the care team or when the
/// patient is in a queue their role handles; otherwise only through a time-limited
/// emergency access with a reason. Non-clinical roles never open a record, except the
/// patient their own.
pub fn decide_patient_access(f: PatientAccessFacts) -> PatientAccessDecision {
    use PatientAccessDecision::*;
    if f.role == Role::Patient {
        return if f.is_self {
            Allow(AccessBasis::OwnRecord)
        } else {
            Deny
        };
    }
    if !allows(f.role, Permission::ReadPatientRecord) {
        return Deny;
    }
    if f.in_care_team {
        return Allow(AccessBasis::CareTeam);
    }
    if f.queue.is_some_and(|q| q.handled_by(f.role)) {
        return Allow(AccessBasis::Queue);
    }
    if f.open_emergency_access {
        return Allow(AccessBasis::Emergency);
    }
    if allows(f.role, Permission::TakeEmergencyAccess) {
        EmergencyAccessPossible
    } else {
        Deny
    }
}

/// Rules for an emergency access.
pub mod emergency {
    /// How long an emergency access lasts before it must be taken again.
    pub const DURATION_MINUTES: i64 = 60;
    /// The shortest reason accepted: a word or two is not a reason.
    pub const MIN_REASON_CHARS: usize = 10;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(role: Role) -> PatientAccessFacts {
        PatientAccessFacts {
            role,
            in_care_team: false,
            queue: None,
            open_emergency_access: false,
            is_self: false,
        }
    }

    /// Table-driven: (role, in team, queue, emergency open) → decision.
    #[test]
    fn care_relationship_table() {
        use PatientAccessDecision::*;
        let cases = [
            (Role::Nurse, true, None, false, Allow(AccessBasis::CareTeam)),
            (Role::Nurse, false, None, false, EmergencyAccessPossible),
            (
                Role::Nurse,
                false,
                Some(Queue::Triage),
                false,
                EmergencyAccessPossible,
            ),
            (
                Role::Nurse,
                false,
                None,
                true,
                Allow(AccessBasis::Emergency),
            ),
            (
                Role::Physician,
                false,
                Some(Queue::Triage),
                false,
                Allow(AccessBasis::Queue),
            ),
            (
                Role::Physician,
                false,
                Some(Queue::Waiting),
                false,
                EmergencyAccessPossible,
            ),
            (
                Role::Coordinator,
                false,
                Some(Queue::Waiting),
                false,
                Allow(AccessBasis::Queue),
            ),
            (
                Role::Physiotherapist,
                false,
                Some(Queue::Waiting),
                false,
                EmergencyAccessPossible,
            ),
            (Role::Analyst, true, Some(Queue::Triage), true, Deny),
            (Role::Auditor, true, None, true, Deny),
            (Role::Admin, true, None, false, Deny),
            (Role::ExternalReferrer, true, None, false, Deny),
            (Role::Patient, true, None, true, Deny),
        ];
        for (role, in_care_team, queue, open_emergency_access, expect) in cases {
            let got = decide_patient_access(PatientAccessFacts {
                role,
                in_care_team,
                queue,
                open_emergency_access,
                is_self: false,
            });
            assert_eq!(
                got, expect,
                "{role:?} team={in_care_team} queue={queue:?} em={open_emergency_access}"
            );
        }
        let own = PatientAccessFacts {
            is_self: true,
            ..facts(Role::Patient)
        };
        assert_eq!(decide_patient_access(own), Allow(AccessBasis::OwnRecord));
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// No role outside the clinical ones ever opens another person's record,
        /// whatever the other facts say.
        #[test]
        fn non_clinical_roles_never_open_a_record(role in any_role(), team in any::<bool>(), em in any::<bool>(), q in 0u8..3) {
            let queue = [None, Some(Queue::Triage), Some(Queue::Waiting)][q as usize];
            let d = decide_patient_access(PatientAccessFacts { role, in_care_team: team, queue, open_emergency_access: em, is_self: false });
            if !role.is_clinical() {
                prop_assert_eq!(d, PatientAccessDecision::Deny);
            } else {
                prop_assert_ne!(d, PatientAccessDecision::Deny);
            }
        }
    }
}
