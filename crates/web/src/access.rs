//! Authorisation at the edge of every handler.
//!
//! Each route's row in the route table states what it needs of the caller; [`gate`]
//! enforces it before the handler runs, and the handler takes the signed-in [`User`]
//! through [`Authed`]. Patient records are opened only with [`open_patient`], which
//! applies the care-relationship rule and writes the access-log entry (allowed or
//! denied) before any data is read.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use trappa_policy::{Needs, RouteDecision, SessionFacts, decide_route};
use trappa_store::access_log::Action;
use uuid::Uuid;

use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::state::AppState;

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

/// The gate in front of every route: lets the request on to its handler if the session
/// meets what the route's row needs ([`trappa_policy::decide_route`]), sends it to sign
/// in, or refuses it and logs the refusal. Handlers do not check the permission again.
pub async fn gate(
    State((state, needs)): State<(AppState, Needs)>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if needs == Needs::Anyone {
        return Ok(next.run(request).await);
    }
    let (mut parts, body) = request.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, &state).await?;
    let session = ctx.user.as_ref().map(|u| SessionFacts {
        role: u.role,
        second_factor_pending: u.second_factor_pending,
        multi_factor: u.multi_factor,
    });
    match decide_route(needs, session) {
        RouteDecision::Pass => Ok(next.run(Request::from_parts(parts, body)).await),
        RouteDecision::SignIn => Err(AppError::Unauthenticated),
        RouteDecision::SecondFactorRequired => Err(AppError::SecondFactorRequired),
        RouteDecision::Refuse => {
            Err(refuse_route(&state, &ctx, &mut parts, refusal_detail(needs)).await?)
        }
    }
}

/// A signed-in request to a route that names a patient by its `{id}`: what a
/// handler needs to open the record ([`PatientRoute::open`]). A malformed id names
/// nothing, so it is a 404.
pub struct PatientRoute {
    /// The application.
    pub state: AppState,
    /// The request context.
    pub ctx: Ctx,
    /// The user.
    pub user: User,
    /// The patient the path names.
    pub id: Uuid,
}

impl FromRequestParts<AppState> for PatientRoute {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authed { ctx, user } = Authed::from_request_parts(parts, state).await?;
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        let id = params
            .iter()
            .find(|(k, _)| *k == "id")
            .and_then(|(_, v)| Uuid::parse_str(v).ok())
            .ok_or(AppError::NotFound)?;
        Ok(PatientRoute {
            state: state.clone(),
            ctx,
            user,
            id,
        })
    }
}

impl PatientRoute {
    /// Opens the patient's record for `action` on `resource` ([`open_patient`]).
    pub async fn open(&self, action: Action, resource: &str) -> Result<OpenedPatient, AppError> {
        let Self {
            state,
            ctx,
            user,
            id,
        } = self;
        open_patient(state, ctx, user, *id, action, resource).await
    }

    /// The request's parts: the application, the context, the user and the patient's id.
    pub fn into_parts(self) -> (AppState, Ctx, User, Uuid) {
        (self.state, self.ctx, self.user, self.id)
    }
}

/// What a refusal at the gate logs as its rule: the permission the role lacks, as the
/// log has always named it (`ReadPatientRecord`), or those of which it lacks every one.
fn refusal_detail(needs: Needs) -> String {
    match needs {
        Needs::Can(p) => format!("{p:?}"),
        Needs::CanAny(ps) => ps
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(" or "),
        other => format!("{other:?}"),
    }
}

/// The patient a request names by its path, if any: the `{id}` of a route that touches
/// a patient, or the patient of the referral a referral route names.
async fn patient_named(state: &AppState, parts: &mut Parts) -> Result<Option<Uuid>, AppError> {
    use crate::route_spec::Touches;
    // The route table gives each route what it touches, as a request extension.
    let touches = parts
        .extensions
        .get::<Touches>()
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
    trappa_app::audit::refusal(state.store(), &actor, action, &resource, patient, &detail).await?;
    Ok(AppError::Forbidden)
}

pub use trappa_app::access::OpenedPatient;

/// Opens a patient under the care-relationship rule ([`trappa_app::access::open`]) for
/// the signed-in `user`, and hands a write's held-back log entry to the request.
pub async fn open_patient(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient, AppError> {
    let opened = trappa_app::access::open(
        state.store(),
        &ctx.caller(user),
        patient_id,
        action,
        resource,
    )
    .await;
    keep_deferred(ctx, opened)
}

/// Opens the signed-in patient's own record for `action` on `resource` (its one log
/// entry): the portal's pages name no patient, so they can reach no other.
pub async fn open_own(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient, AppError> {
    let id = user.patient_id.ok_or(AppError::Forbidden)?;
    open_patient(state, ctx, user, id, action, resource).await
}

/// Opens a patient for a change of its care team
/// ([`trappa_app::access::open_for_care_team_change`]).
pub async fn open_for_care_team_change(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    patient_id: Uuid,
    new_member: Option<Uuid>,
) -> Result<OpenedPatient, AppError> {
    let opened = trappa_app::access::open_for_care_team_change(
        state.store(),
        &ctx.caller(user),
        patient_id,
        new_member,
    )
    .await;
    keep_deferred(ctx, opened)
}

/// A write's log entry is written before the response leaves unless the write took it:
/// the request holds it from the moment the patient is opened.
pub fn keep_deferred(
    ctx: &Ctx,
    opened: trappa_app::Result<OpenedPatient>,
) -> Result<OpenedPatient, AppError> {
    let opened = opened.for_user(ctx)?;
    if let Some(d) = opened.deferred() {
        ctx.deferred.push(d.clone());
    }
    Ok(opened)
}

/// As [`keep_deferred`], for a patient's SIPs opened ([`trappa_app::sip::open`]).
pub fn keep_deferred_sips(
    ctx: &Ctx,
    opened: trappa_app::Result<trappa_app::sip::OpenedSips>,
) -> Result<trappa_app::sip::OpenedSips, AppError> {
    let opened = opened.for_user(ctx)?;
    if let Some(d) = opened.opened.deferred() {
        ctx.deferred.push(d.clone());
    }
    Ok(opened)
}

pub use trappa_app::text::role_label;
