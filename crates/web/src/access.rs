//! Authorisation at the edge of every handler.
//!
//! A handler states what it may do by the extractor it takes: [`Can<P>`] for a
//! permission from the policy crate, which also yields the signed-in [`User`]. Patient
//! records are opened only with [`open_patient`], which applies the care-relationship
//! rule and writes the access-log entry (allowed or denied) before any data is read.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use trappa_policy::{
    AccessBasis, CareTeamChangeDecision, CareTeamChangeFacts, CareTeamChangeRefusal,
    PatientAccessDecision, PatientAccessFacts, Permission, Role,
};
use trappa_store::access_log::{Action, NewEntry, Outcome};
use trappa_store::patients::{AccessFacts, PatientAccess};
use uuid::Uuid;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::i18n::{M, Msg, S};

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
    ReviewRoleChanges,
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
        Err(refuse_route(state, &ctx, parts, format!("{:?}", P::PERMISSION)).await?)
    }
}

/// The patient a request names by its path, if any: the `{id}` of a route that touches
/// a patient, or the patient of the referral a referral route names.
async fn patient_named(state: &AppState, parts: &mut Parts) -> Result<Option<Uuid>, AppError> {
    use crate::routes::Touches;
    static TOUCHES: std::sync::LazyLock<
        std::collections::HashMap<(axum::http::Method, &'static str), Touches>,
    > = std::sync::LazyLock::new(|| {
        crate::routes::route_specs()
            .into_iter()
            .map(|s| ((s.method, s.path), s.touches))
            .collect()
    });
    let Some(route) = parts
        .extensions
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_owned())
    else {
        return Ok(None);
    };
    let touches = TOUCHES
        .get(&(parts.method.clone(), route.as_str()))
        .copied()
        .unwrap_or(Touches::Nothing);
    let Ok(params) = axum::extract::RawPathParams::from_request_parts(parts, &()).await else {
        return Ok(None);
    };
    let Some(id) = params
        .iter()
        .find(|(k, _)| *k == "id")
        .and_then(|(_, v)| Uuid::parse_str(v).ok())
    else {
        return Ok(None);
    };
    let store = state.store();
    Ok(match touches {
        Touches::Patient if store.patient_exists(id).await? => Some(id),
        Touches::Referral => store.referral_owner(id).await?.map(|(patient, _)| patient),
        _ => None,
    })
}

/// Logs a refused request — against the patient its path names, if any — and gives
/// the refusal to return. `detail` says which rule refused (no personal data).
pub async fn refuse_route(
    state: &AppState,
    ctx: &Ctx,
    parts: &mut Parts,
    detail: String,
) -> Result<AppError, AppError> {
    let patient = patient_named(state, parts).await?;
    let action = if matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    ) {
        Action::Read
    } else {
        Action::Update
    };
    let resource = match parts.extensions.get::<axum::extract::MatchedPath>() {
        Some(m) => format!("route:{}", m.as_str()),
        None => "route:unmatched".to_owned(),
    };
    let actor = ctx.actor();
    state
        .store()
        .append_access_log(
            &NewEntry::new(&actor, action, &resource)
                .patient_opt(patient)
                .denied()
                .detail(detail),
        )
        .await?;
    Ok(AppError::Forbidden)
}

/// Logs a refusal decided in a handler (a page several roles reach, each differently)
/// and gives the refusal to return.
pub async fn refuse(state: &AppState, ctx: &Ctx, resource: &str) -> Result<AppError, AppError> {
    let actor = ctx.actor();
    state
        .store()
        .append_access_log(
            &NewEntry::new(&actor, Action::Read, resource)
                .denied()
                .detail("role"),
        )
        .await?;
    Ok(AppError::Forbidden)
}

pub use trappa_app::access::OpenedPatient;

/// Applies the care-relationship rule for `user` and `patient_id` and logs the result.
///
/// Allowed: a log entry (flagged for emergency access; the log flags protected
/// identity itself) and the proof to read with. Outside the care relationship: a
/// denied entry and [`AppError::EmergencyAccessRequired`]. Unknown patient:
/// [`AppError::NotFound`].
pub async fn open_patient(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient, AppError> {
    open_by(
        state,
        ctx,
        user,
        patient_id,
        action,
        resource,
        |facts, _| trappa_policy::decide_patient_access(facts),
    )
    .await
}

/// Grants access for a write with its entry held back, and hands the entry to the
/// request, which writes it before the response leaves unless the write took it.
async fn grant_for_write(
    state: &AppState,
    ctx: &Ctx,
    facts: AccessFacts,
    patient_id: Uuid,
    grant: trappa_policy::Grant,
    entry: &NewEntry<'_>,
) -> PatientAccess {
    let access = state
        .store()
        .grant_patient_access_for_write(facts, patient_id, grant, entry)
        .await;
    if let Some(d) = access.deferred() {
        ctx.deferred.push(d.clone());
    }
    access
}

/// Reads the access facts, asks `decide` (a rule of `trappa_policy`), and logs the
/// answer before anything is read: the one way a patient is opened.
pub(crate) async fn open_by(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    action: Action,
    resource: &str,
    decide: impl FnOnce(PatientAccessFacts, &AccessFacts) -> PatientAccessDecision,
) -> Result<OpenedPatient, AppError> {
    let store = state.store();
    let now = trappa_store::now();
    let facts = store
        .access_facts(user.account_id, user.role, patient_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let decision = decide(
        facts.policy_facts(user.role, user.patient_id == Some(patient_id)),
        &facts,
    );
    let actor = ctx.actor();
    let mut entry = NewEntry::new(&actor, action, resource).patient(patient_id);
    match decision {
        PatientAccessDecision::Allow(grant) => {
            let basis = grant.basis();
            if basis == AccessBasis::Emergency {
                entry.emergency_access_id = facts.open_emergency_access;
                entry.flagged = true;
            }
            let protected_identity = facts.protected_identity;
            // A write logs once, with the write (see `Deferred`); reads log at once.
            let access = if matches!(action, Action::Create | Action::Update) {
                grant_for_write(state, ctx, facts, patient_id, grant, &entry).await
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
            Err(AppError::EmergencyAccessRequired(patient_id))
        }
        PatientAccessDecision::Deny => {
            entry.outcome = Outcome::Denied;
            store.append_access_log(&entry).await?;
            Err(AppError::Forbidden)
        }
    }
}

/// Opens a patient for a change of the care team, under
/// [`trappa_policy::decide_care_team_change`]: never on the strength of an emergency
/// access, and never to give the actor's own account a place in the team.
/// `new_member` is the account the change gives a place (none when a membership
/// ends). Allowed changes on the coordinating role's standing alone are flagged for
/// the auditor; refusals are logged against the patient.
pub async fn open_for_care_team_change(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    new_member: Option<Uuid>,
) -> Result<OpenedPatient, AppError> {
    const RESOURCE: &str = "patient.care_team";
    let store = state.store();
    let facts = store
        .access_facts(user.account_id, user.role, patient_id, trappa_store::now())
        .await?
        .ok_or(AppError::NotFound)?;
    let decision = trappa_policy::decide_care_team_change(CareTeamChangeFacts {
        role: user.role,
        in_care_team: facts.in_care_team,
        queue: facts.queue,
        widens_own_access: new_member == Some(user.account_id),
    });
    let actor = ctx.actor();
    let entry = NewEntry::new(&actor, Action::Update, RESOURCE).patient(patient_id);
    match decision {
        CareTeamChangeDecision::Allow(grant) => {
            let protected_identity = facts.protected_identity;
            let entry = entry.flagged(grant.basis() == AccessBasis::Coordination);
            let access = grant_for_write(state, ctx, facts, patient_id, grant, &entry).await;
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
                    AppError::Refused(&S::ERR_OWN_ACCESS, &S::ERR_OWN_ACCESS_DETAIL)
                }
                CareTeamChangeRefusal::NotPermitted => AppError::Forbidden,
            })
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
