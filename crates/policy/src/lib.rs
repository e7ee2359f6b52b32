//! Who may do what: roles, permissions and the care-relationship rule.
//!
//! This crate is the one place the access policy lives. It is pure (no I/O): the
//! server gathers the facts (the actor's role, whether they are in the patient's care
//! team, whether the patient is in a queue they handle, an open emergency access) and
//! asks [`decide_patient_access`]. Everything not granted here is denied.
//!
//! Contents: `Role`, `Permission`, `permissions(role)` (deny by default), `Queue`, and
//! the rules:
//!
//! - `decide_patient_access`: the care relationship;
//! - `decide_referral_access`: referrals by id; the triage basis ends with triage;
//! - `decide_care_team_change`: never on emergency access; not oneself on the
//!   coordinating role alone;
//! - `may_decide_referral`: only in triage;
//! - `may_change_roles`: never one's own;
//! - `partner::decide_sip_access`: a coordinated individual plan (SIP) — the care team,
//!   or a partner organisation the patient's consent in force covers.
//!
//! Each route of an adapter states what it needs of the caller ([`Needs`]); its gate
//! asks [`decide_route`].

use serde::{Deserialize, Serialize};
use std::fmt;

pub mod partner;
mod route;
pub use route::{Needs, RouteDecision, SessionFacts, decide_route, needs_second_factor};

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
    /// Samverkanspartner: staff of a partner organisation (social services, psychiatry,
    /// addiction care, a pain team) who see only what the patient shared with it.
    Partner,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 12] = [
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
        Role::Partner,
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
            Role::Partner => "partner",
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
    /// Review and sign off changes of staff roles (separation of duties).
    ReviewRoleChanges,
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
    /// The patient reads their own record's signed plan and its handout (the portal).
    ReadOwnRecord,
    /// The patient fills in their diary and the instruments their care team assigned.
    ReportOwnData,
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
    /// Decide which journal notes the unit releases to patients, and after how long
    /// (the head of the unit's decision).
    ReleaseRecordToPatients,
    /// Start a coordinated individual plan (SIP) with partners, record the patient's
    /// consent to share it, write and sign it for the unit, and give tasks (the care
    /// team; further limited by [`partner::decide_sip_access`]).
    CoordinateSip,
    /// Read the SIPs a patient shared with the caller's partner organisation, sign them
    /// for it and report its tasks — nothing else of the record.
    WorkSharedSips,
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
            CoordinateSip,
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
            CoordinateSip,
        ],
        Role::Psychologist | Role::Physiotherapist => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            TakeEmergencyAccess,
            CoordinateSip,
        ],
        Role::Coordinator => &[
            SearchPatients,
            ReadPatientRecord,
            WritePatientRecord,
            ManageCareTeam,
            TakeEmergencyAccess,
            TriageReferrals,
            PlanTrips,
            CoordinateSip,
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
            ReleaseRecordToPatients,
            CoordinateSip,
        ],
        Role::Analyst => &[ReadAggregates],
        Role::Auditor => &[
            ReadAccessLog,
            ReviewEmergencyAccess,
            ReviewRoleChanges,
            ExportPatientAccessLog,
        ],
        Role::Admin => &[ManageStaff],
        Role::ExternalReferrer => &[ReadOwnReferrals],
        Role::Patient => &[ReadOwnAccessLog, ReadOwnRecord, ReportOwnData],
        Role::Partner => &[WorkSharedSips],
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
    /// A coordinating role (coordinator, unit manager) changes the care team of a
    /// patient it has no other standing with — staffing, not care: only the team is
    /// read, and the change is flagged for the auditor.
    Coordination,
    /// The patient consented to share a coordinated individual plan (SIP) with the
    /// actor's partner organisation: that plan and its tasks only, while the consent
    /// is in force.
    PartnerConsent,
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
            AccessBasis::Coordination => "coordination",
            AccessBasis::PartnerConsent => "partner_consent",
        }
    }

    /// Whether every access on this basis is flagged for an auditor's review: access
    /// outside the care relationship (emergency) and team changes on the coordinating
    /// role alone.
    pub fn needs_review(self) -> bool {
        matches!(self, AccessBasis::Emergency | AccessBasis::Coordination)
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
            AccessBasis::Coordination,
            AccessBasis::PartnerConsent,
        ]
        .into_iter()
        .find(|b| b.code() == code)
    }
}

/// The policy's yes: proof that one of this crate's rules allowed an access, and on
/// what basis. Its field is private, so nothing outside the policy can make one: the
/// store asks for a `Grant` before it hands out the proof that lets patient data be
/// read, so no access is given without the policy having been asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant(AccessBasis);

impl Grant {
    /// On what basis the access is allowed.
    pub fn basis(self) -> AccessBasis {
        self.0
    }
}

/// The answer to "may this actor open this patient?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientAccessDecision {
    /// Allowed, on the grant's basis.
    Allow(Grant),
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
            Allow(Grant(AccessBasis::OwnRecord))
        } else {
            Deny
        };
    }
    if !allows(f.role, Permission::ReadPatientRecord) {
        return Deny;
    }
    if f.in_care_team {
        return Allow(Grant(AccessBasis::CareTeam));
    }
    if f.queue.is_some_and(|q| q.handled_by(f.role)) {
        return Allow(Grant(AccessBasis::Queue));
    }
    if f.open_emergency_access {
        return Allow(Grant(AccessBasis::Emergency));
    }
    if allows(f.role, Permission::TakeEmergencyAccess) {
        EmergencyAccessPossible
    } else {
        Deny
    }
}

/// The facts for opening a patient's referral by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralAccessFacts {
    /// The facts of the care-relationship rule.
    pub patient: PatientAccessFacts,
    /// The actor sent this referral.
    pub sent_by_actor: bool,
    /// Triage ended without care: the patient is in no queue and never had a care team
    /// (declined or redirected). The unit still answers such a referral — its letter is
    /// printed and posted by the triage team.
    pub closed_without_care: bool,
}

/// Who may open a referral by its id.
///
/// A referrer opens the referrals they sent (and no other); other roles than the
/// referrer's and the triage team's never do (the care team reads the referral in the
/// record). The triage team reads a
/// referral on the triage basis while the patient is in the triage queue, and after a
/// triage that ended without care; once the patient is waiting or in treatment, the
/// triage basis has ended and the care-relationship rule decides, as for the rest of
/// the record (emergency access included).
pub fn decide_referral_access(f: ReferralAccessFacts) -> PatientAccessDecision {
    use PatientAccessDecision::*;
    let role = f.patient.role;
    if allows(role, Permission::ReadOwnReferrals) {
        return if f.sent_by_actor {
            Allow(Grant(AccessBasis::OwnReferral))
        } else {
            Deny
        };
    }
    // Referrals by id are the referrers' and the triage team's; the care team reads
    // the referral in the record.
    if !allows(role, Permission::TriageReferrals) {
        return Deny;
    }
    let in_triage = f.patient.queue == Some(Queue::Triage);
    if in_triage || f.closed_without_care {
        return Allow(Grant(AccessBasis::Triage));
    }
    decide_patient_access(f.patient)
}

/// The facts about an actor, a patient and the account a care-team change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareTeamChangeFacts {
    /// The role the actor is acting in.
    pub role: Role,
    /// The actor is a current member of the patient's care team.
    pub in_care_team: bool,
    /// The queue the patient is in, if any.
    pub queue: Option<Queue>,
    /// The change gives the actor's own account a place in the team (an addition, or a
    /// function handed over to them). Ending a membership never widens access.
    pub widens_own_access: bool,
}

/// Why a care-team change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareTeamChangeRefusal {
    /// The role does not manage care teams.
    NotPermitted,
    /// Nobody gives themself a care relationship on the coordinating role alone:
    /// another coordinator must.
    OwnAccess,
}

/// The answer to "may this actor change this patient's care team?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CareTeamChangeDecision {
    /// Allowed, on the grant's basis (recorded in the log).
    Allow(Grant),
    /// Refused.
    Deny(CareTeamChangeRefusal),
}

/// Who may change a patient's care team — the write that decides who may open the
/// record from then on.
///
/// Only a role that manages care teams (coordinator, unit manager) may, on a standing
/// of its own: as a member of the team, through the queue it handles (the waiting list,
/// where teams are assigned), or by its coordinating role (staffing a team it is not
/// part of). An open emergency access is deliberately not among the facts: what is
/// granted for an hour in an emergency is never a standing for making access
/// permanent. On the coordinating role alone nobody gives themself a place in a team
/// (separation of duties: another coordinator must).
pub fn decide_care_team_change(f: CareTeamChangeFacts) -> CareTeamChangeDecision {
    use CareTeamChangeDecision::*;
    if !allows(f.role, Permission::ManageCareTeam) {
        return Deny(CareTeamChangeRefusal::NotPermitted);
    }
    if f.in_care_team {
        Allow(Grant(AccessBasis::CareTeam))
    } else if f.queue.is_some_and(|q| q.handled_by(f.role)) {
        Allow(Grant(AccessBasis::Queue))
    } else if f.widens_own_access {
        Deny(CareTeamChangeRefusal::OwnAccess)
    } else {
        Allow(Grant(AccessBasis::Coordination))
    }
}

/// Who may answer a patient's wish to move or cancel a visit: a role that manages
/// care teams (the coordinator, who schedules the team's visits) — as a member of the
/// patient's team, or by its coordinating role, which the log flags for review. The
/// answer changes only the visit's time or status, never who may open the record.
pub fn decide_visit_scheduling(f: PatientAccessFacts) -> PatientAccessDecision {
    use PatientAccessDecision::*;
    if !allows(f.role, Permission::ManageCareTeam) {
        return Deny;
    }
    if f.in_care_team {
        Allow(Grant(AccessBasis::CareTeam))
    } else {
        Allow(Grant(AccessBasis::Coordination))
    }
}

/// Whether a referral may be decided (accepted, complemented, declined, redirected):
/// only by the triage team, and only while the patient is in the triage queue — a
/// decision moves the patient between queues, so it is never made for a patient in
/// treatment (whose record the queue would then open to the whole team).
pub fn may_decide_referral(role: Role, queue: Option<Queue>) -> bool {
    allows(role, Permission::TriageReferrals) && queue == Some(Queue::Triage)
}

/// Whether an account's roles may be changed by the actor: never by the account itself
/// (separation of duties — an administrator cannot give himself clinical access).
pub fn may_change_roles(own_account: bool) -> bool {
    !own_account
}

/// Separation of duties around roles.
pub mod roles {
    /// Hours after a person grants a role during which every access in it is flagged
    /// for the auditor (the first use of a new clinical role is reviewed).
    pub const NEW_ROLE_FLAG_HOURS: i64 = 24;
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

    #[test]
    fn only_those_who_schedule_answer_a_visit_wish_and_outside_the_team_it_is_flagged() {
        use PatientAccessDecision::*;
        for (role, in_team, want) in [
            (Role::Coordinator, true, Allow(Grant(AccessBasis::CareTeam))),
            (
                Role::Coordinator,
                false,
                Allow(Grant(AccessBasis::Coordination)),
            ),
            (
                Role::UnitManager,
                false,
                Allow(Grant(AccessBasis::Coordination)),
            ),
            (Role::Nurse, true, Deny),
            (Role::Physician, true, Deny),
            (Role::Patient, false, Deny),
            (Role::Auditor, false, Deny),
        ] {
            let f = PatientAccessFacts {
                in_care_team: in_team,
                ..facts(role)
            };
            assert_eq!(
                decide_visit_scheduling(f),
                want,
                "{role:?} in team: {in_team}"
            );
        }
        assert!(AccessBasis::Coordination.needs_review());
    }

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
            (
                Role::Nurse,
                true,
                None,
                false,
                Allow(Grant(AccessBasis::CareTeam)),
            ),
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
                Allow(Grant(AccessBasis::Emergency)),
            ),
            (
                Role::Physician,
                false,
                Some(Queue::Triage),
                false,
                Allow(Grant(AccessBasis::Queue)),
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
                Allow(Grant(AccessBasis::Queue)),
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
        assert_eq!(
            decide_patient_access(own),
            Allow(Grant(AccessBasis::OwnRecord))
        );
    }

    /// Table-driven: (role, in team, queue, widens own access) → decision. Emergency
    /// access is not a fact of this rule at all.
    #[test]
    fn care_team_change_table() {
        use CareTeamChangeDecision::*;
        use CareTeamChangeRefusal::*;
        let cases = [
            (
                Role::Coordinator,
                false,
                Some(Queue::Waiting),
                false,
                Allow(Grant(AccessBasis::Queue)),
            ),
            (
                Role::Coordinator,
                true,
                None,
                false,
                Allow(Grant(AccessBasis::CareTeam)),
            ),
            (
                Role::Coordinator,
                false,
                None,
                false,
                Allow(Grant(AccessBasis::Coordination)),
            ),
            (
                Role::UnitManager,
                false,
                Some(Queue::Triage),
                false,
                Allow(Grant(AccessBasis::Queue)),
            ),
            (Role::Coordinator, false, None, true, Deny(OwnAccess)),
            (Role::UnitManager, false, None, true, Deny(OwnAccess)),
            // From the waiting list a coordinator may stay on to coordinate.
            (
                Role::Coordinator,
                false,
                Some(Queue::Waiting),
                true,
                Allow(Grant(AccessBasis::Queue)),
            ),
            (
                Role::Coordinator,
                false,
                Some(Queue::Triage),
                true,
                Allow(Grant(AccessBasis::Queue)),
            ),
            (Role::Nurse, true, None, false, Deny(NotPermitted)),
            (
                Role::Physician,
                true,
                Some(Queue::Triage),
                false,
                Deny(NotPermitted),
            ),
            (Role::Admin, false, None, false, Deny(NotPermitted)),
            (Role::Auditor, false, None, false, Deny(NotPermitted)),
        ];
        for (role, in_care_team, queue, widens_own_access, expect) in cases {
            let got = decide_care_team_change(CareTeamChangeFacts {
                role,
                in_care_team,
                queue,
                widens_own_access,
            });
            assert_eq!(
                got, expect,
                "{role:?} team={in_care_team} queue={queue:?} own={widens_own_access}"
            );
        }
    }

    /// Table-driven: who opens a referral by its id, at each stage of the path.
    #[test]
    fn referral_access_table() {
        use PatientAccessDecision::*;
        let f =
            |role, queue, in_care_team, sent_by_actor, closed_without_care| ReferralAccessFacts {
                patient: PatientAccessFacts {
                    role,
                    in_care_team,
                    queue,
                    open_emergency_access: false,
                    is_self: false,
                },
                sent_by_actor,
                closed_without_care,
            };
        let cases = [
            (
                f(Role::ExternalReferrer, None, false, true, false),
                Allow(Grant(AccessBasis::OwnReferral)),
            ),
            (
                f(
                    Role::ExternalReferrer,
                    Some(Queue::Triage),
                    false,
                    false,
                    false,
                ),
                Deny,
            ),
            (
                f(Role::Coordinator, Some(Queue::Triage), false, false, false),
                Allow(Grant(AccessBasis::Triage)),
            ),
            (
                f(Role::Physician, None, false, false, true),
                Allow(Grant(AccessBasis::Triage)),
            ),
            // Triage has ended: the care-relationship rule decides.
            (
                f(Role::Physician, None, false, false, false),
                EmergencyAccessPossible,
            ),
            (
                f(Role::Physician, Some(Queue::Waiting), false, false, false),
                EmergencyAccessPossible,
            ),
            (
                f(Role::Coordinator, Some(Queue::Waiting), false, false, false),
                Allow(Grant(AccessBasis::Queue)),
            ),
            (
                f(Role::Coordinator, None, true, false, false),
                Allow(Grant(AccessBasis::CareTeam)),
            ),
            (f(Role::Nurse, None, true, false, false), Deny),
            (
                f(Role::Nurse, Some(Queue::Triage), false, false, false),
                Deny,
            ),
            (
                f(Role::Analyst, Some(Queue::Triage), false, false, true),
                Deny,
            ),
            (
                f(Role::Admin, Some(Queue::Triage), false, false, true),
                Deny,
            ),
        ];
        for (facts, expect) in cases {
            assert_eq!(decide_referral_access(facts), expect, "{facts:?}");
        }
    }

    #[test]
    fn referrals_are_decided_only_in_triage() {
        for role in Role::ALL {
            for queue in [None, Some(Queue::Triage), Some(Queue::Waiting)] {
                let expect = queue == Some(Queue::Triage)
                    && matches!(
                        role,
                        Role::Coordinator | Role::Physician | Role::UnitManager
                    );
                assert_eq!(
                    may_decide_referral(role, queue),
                    expect,
                    "{role:?} {queue:?}"
                );
            }
        }
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
        /// A care-team change is never allowed on the coordinating role's standing for
        /// the actor's own account, and never for a role that does not manage teams.
        #[test]
        fn nobody_widens_their_own_access_without_a_standing(role in any_role(), team in any::<bool>(), q in 0u8..3, own in any::<bool>()) {
            let queue = [None, Some(Queue::Triage), Some(Queue::Waiting)][q as usize];
            let d = decide_care_team_change(CareTeamChangeFacts { role, in_care_team: team, queue, widens_own_access: own });
            if !allows(role, Permission::ManageCareTeam) {
                prop_assert_eq!(d, CareTeamChangeDecision::Deny(CareTeamChangeRefusal::NotPermitted));
            }
            if own {
                prop_assert_ne!(d, CareTeamChangeDecision::Allow(Grant(AccessBasis::Coordination)));
            }
        }

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
