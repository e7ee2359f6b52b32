//! Emergency access: the reason asked for, the access opened for a fixed time and
//! flagged for review; nothing of the record shown before.

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::Form;
use crate::extract::Path;
use crate::i18n::{M, fill};
use crate::pages::layout::{csrf_field, error_summary, page};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::care_team::{self};
use trappa_store::Uuid;

/// The emergency-access form.
#[derive(Deserialize)]
pub struct EmergencyForm {
    #[serde(default)]
    pub(super) reason: String,
}

pub(super) fn emergency_page(ctx: &Ctx, id: Uuid, reason: &str, errors: &[FieldError]) -> Markup {
    let minutes =
        trappa_i18n::format::minutes(trappa_policy::emergency::DURATION_MINUTES, ctx.locale);
    let err = crate::pages::layout::field_error(errors, "reason");
    page(
        ctx,
        ctx.t(&M::EMERGENCY_TITLE),
        html! {
            h1 { (ctx.t(&M::EMERGENCY_TITLE)) }
            div.warning-banner { (ctx.t(&M::ERR_NO_CARE_RELATION)) }
            p { (fill(ctx.t(&M::EMERGENCY_INTRO), &[("minutes", &minutes)])) }
            (error_summary(ctx, errors))
            form method="post" action={ "/patienter/" (id) "/nodatkomst" } novalidate {
                (csrf_field(ctx))
                div.field.field-error[err.is_some()] {
                    label for="reason" { (ctx.t(&M::EMERGENCY_REASON)) }
                    @if let Some(e) = err { p.error-message { (e) } }
                    textarea #reason name="reason" required { (reason) }
                }
                div.actions {
                    button.warning type="submit" { (ctx.t(&M::EMERGENCY_SUBMIT)) }
                    a href="/patienter" { (ctx.t(&M::CANCEL)) }
                }
            }
        },
    )
}

/// `GET /patienter/{id}/nodatkomst`: asks for the reason. Shows no patient data.
pub async fn emergency_form(Authed { ctx, .. }: Authed, Path(id): Path<Uuid>) -> Response {
    emergency_page(&ctx, id, "", &[]).into_response()
}

/// `POST /patienter/{id}/nodatkomst`: opens a time-limited, flagged emergency access.
pub async fn emergency_submit(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    Form(f): Form<EmergencyForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let taken = care_team::take_emergency_access(state.store(), &caller, id, &f.reason);
    match taken.await.for_user(&ctx) {
        Ok(_) => Ok(Redirect::to(&format!("/patienter/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            emergency_page(&ctx, id, f.reason.trim(), &errors),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
