//! Authorisation at the edge of every handler.
//!
//! A handler states what it may do by the extractor it takes: [`Can<P>`] for a
//! permission from the policy crate, which also yields the signed-in [`User`]. Patient
//! records are opened only with [`open_patient`], which applies the care-relationship
//! rule and writes the access-log entry (allowed or denied) before any data is read.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use trappa_policy::{AccessBasis, PatientAccessDecision, PatientAccessFacts, Permission, Role};
use trappa_store::access_log::{Action, NewEntry, Outcome};
use trappa_store::patients::PatientAccess;
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::i18n::{M, Msg};

/// A permission as a type, so a handler's signature says what it needs.
pub trait Capability: Send + Sync + 'static {
    /// The permission required.
    const PERMISSION: Permission;
}

macro_rules! capabilities {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("Capability marker for [`Permission::", stringify!($name), "`].")]
            pub struct $name;
            impl Capability for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*
    };
}

capabilities!(
    SearchPatients,
    ReadPatientRecord,
    WritePatientRecord,
    ManageCareTeam,
    TakeEmergencyAccess,
    ReadAccessLog,
    ReviewEmergencyAccess,
    ExportPatientAccessLog,
    ManageStaff,
    ReadAggregates,
    ReadOwnReferrals,
    ReadOwnAccessLog,
    PlanTapers,
    ManageTaperSettings,
    SignTaperPlans,
    TriageReferrals,
    PlanTrips,
);

/// Any signed-in user who has passed the second factor.
pub struct Authed {
    /// The request context.
    pub ctx: Ctx,
    /// The user.
    pub user: User,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.user.clone() {
            Some(user) if !user.second_factor_pending => Ok(Authed { ctx, user }),
            _ => Err(AppError::Unauthenticated),
        }
    }
}

/// A signed-in user whose role holds permission `P`. Refusals are logged.
pub struct Can<P: Capability> {
    /// The request context.
    pub ctx: Ctx,
    /// The user.
    pub user: User,
    _p: PhantomData<P>,
}

impl<P: Capability> FromRequestParts<AppState> for Can<P> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authed { ctx, user } = Authed::from_request_parts(parts, state).await?;
        if trappa_policy::allows(user.role, P::PERMISSION) {
            return Ok(Can {
                ctx,
                user,
                _p: PhantomData,
            });
        }
        let actor = ctx.actor();
        let resource = format!("route:{}", parts.uri.path());
        state
            .store()
            .append_access_log(
                &NewEntry::new(&actor, Action::Read, &resource)
                    .denied()
                    .detail(format!("{:?}", P::PERMISSION)),
            )
            .await?;
        Err(AppError::Forbidden)
    }
}

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

/// Applies the care-relationship rule for `user` and `patient_id` and logs the result.
///
/// Allowed: a log entry (flagged for emergency access and protected identity) and the
/// proof to read with. Outside the care relationship: a denied entry and
/// [`AppError::EmergencyAccessRequired`]. Unknown patient: [`AppError::NotFound`].
pub async fn open_patient(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient, AppError> {
    let store = state.store();
    let now = trappa_store::now();
    let facts = store
        .access_facts(user.account_id, patient_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let decision = trappa_policy::decide_patient_access(PatientAccessFacts {
        role: user.role,
        in_care_team: facts.in_care_team,
        queue: facts.queue,
        open_emergency_access: facts.open_emergency_access.is_some(),
        is_self: user.patient_id == Some(patient_id),
    });
    let actor = ctx.actor();
    let mut entry = NewEntry::new(&actor, action, resource)
        .patient(patient_id)
        .flagged(facts.protected_identity);
    match decision {
        PatientAccessDecision::Allow(basis) => {
            if basis == AccessBasis::Emergency {
                entry.emergency_access_id = facts.open_emergency_access;
                entry.flagged = true;
            }
            let protected_identity = facts.protected_identity;
            let access = store
                .grant_patient_access_with(facts, patient_id, basis, &entry)
                .await?;
            Ok(OpenedPatient {
                access,
                protected_identity,
            })
        }
        PatientAccessDecision::EmergencyAccessPossible => {
            entry.outcome = Outcome::Denied;
            store.append_access_log(&entry).await?;
            Err(AppError::EmergencyAccessRequired(patient_id))
        }
        PatientAccessDecision::Deny => {
            entry.outcome = Outcome::Denied;
            store.append_access_log(&entry).await?;
            Err(AppError::Forbidden)
        }
    }
}

/// The UI label of a role.
pub fn role_label(role: Role) -> &'static Msg {
    match role {
        Role::Nurse => &M::ROLE_NURSE,
        Role::Physician => &M::ROLE_PHYSICIAN,
        Role::Psychologist => &M::ROLE_PSYCHOLOGIST,
        Role::Physiotherapist => &M::ROLE_PHYSIOTHERAPIST,
        Role::Coordinator => &M::ROLE_COORDINATOR,
        Role::UnitManager => &M::ROLE_UNIT_MANAGER,
        Role::Analyst => &M::ROLE_ANALYST,
        Role::Auditor => &M::ROLE_AUDITOR,
        Role::Admin => &M::ROLE_ADMIN,
        Role::ExternalReferrer => &M::ROLE_EXTERNAL_REFERRER,
        Role::Patient => &M::ROLE_PATIENT,
    }
}
