//! The care team: a member added who fits the function, ended, or the function handed
//! over without a gap.

use crate::access::{Authed, open_for_care_team_change};
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::extract::Form;
use crate::extract::Path;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use trappa_app::care_team::{self};
use trappa_store::Uuid;

/// The care-team form.
#[derive(Deserialize)]
pub struct CareTeamForm {
    #[serde(default)]
    pub(super) account_id: String,
    #[serde(default)]
    pub(super) function: String,
}

/// `POST /patienter/{id}/vardteam`
pub async fn care_team_add(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    Form(f): Form<CareTeamForm>,
) -> Result<Response, AppError> {
    let target = Uuid::parse_str(f.account_id.trim()).ok();
    let opened = open_for_care_team_change(&state, &ctx, &user, id, target).await?;
    let caller = ctx.caller(&user);
    // Adding someone who already holds the function changes nothing: saved as asked.
    care_team::add(state.store(), &caller, &opened, target, &f.function)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}

/// Back to the patient, saying the team is saved.
pub(super) fn team_saved(state: &AppState, id: Uuid) -> Response {
    crate::flash::redirect(
        state,
        &format!("/patienter/{id}"),
        crate::flash::Flash::CareTeamSaved,
        "",
    )
}

/// `POST /patienter/{id}/vardteam/{member}/avsluta`
pub async fn care_team_end(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, member)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let opened = open_for_care_team_change(&state, &ctx, &user, id, None).await?;
    let caller = ctx.caller(&user);
    care_team::end(state.store(), &caller, &opened, member)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}

/// `POST /patienter/{id}/vardteam/{member}/overlamna`: hands the member's function over
/// to another clinician; the old membership ends as the new one starts.
pub async fn care_team_hand_over(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, member)): Path<(Uuid, Uuid)>,
    Form(f): Form<CareTeamForm>,
) -> Result<Response, AppError> {
    let target = Uuid::parse_str(f.account_id.trim()).ok();
    let opened = open_for_care_team_change(&state, &ctx, &user, id, target).await?;
    let caller = ctx.caller(&user);
    care_team::hand_over(state.store(), &caller, &opened, member, target)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}
