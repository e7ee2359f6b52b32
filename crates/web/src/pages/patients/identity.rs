//! The patient's identity: registered, corrected as new versions, and the versions
//! kept.

use crate::access::{Authed, PatientRoute};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::extract::Form;
use crate::i18n::{M, S};
use crate::pages::layout::{Field, csrf_field, error_summary, page};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use trappa_app::clock::today;
use trappa_app::patients::{self, PatientFields};
use trappa_store::access_log::Action;
use trappa_store::patients::Address;
use trappa_store::units::UnitKind;

use super::*;

pub(super) async fn patient_form(
    state: &AppState,
    ctx: &Ctx,
    f: &PatientFields,
    errors: &[FieldError],
    action: &str,
    editing: bool,
) -> Result<Markup, AppError> {
    let units = state.store().units(UnitKind::Vardcentral).await?;
    let unit_err = crate::pages::layout::field_error(errors, "home_unit_id");
    let queue_err = crate::pages::layout::field_error(errors, "queue");
    Ok(html! {
        (error_summary(ctx, errors))
        form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            @if editing { input type="hidden" name="version" value=(f.version); }
            (Field::text("personal_identity", ctx.t(&M::PNR), &f.personal_identity).hint(ctx.t(&M::PNR_HINT)).required().render(errors))
            div.grid-2 {
                (Field::text("given_name", ctx.t(&M::GIVEN_NAME), &f.given_name).autocomplete("off").required().render(errors))
                (Field::text("family_name", ctx.t(&M::FAMILY_NAME), &f.family_name).autocomplete("off").required().render(errors))
                (Field::text("phone", ctx.t(&M::PHONE), &f.phone).kind("tel").autocomplete("off").render(errors))
                (Field::text("email", ctx.t(&M::EMAIL), &f.email).kind("email").autocomplete("off").render(errors))
                @if f.address_withheld { p.hint.span-2 #address-withheld { (ctx.t(&S::ADDRESS_WITHHELD_HINT)) } }
                (Field::text("street_address", ctx.t(&M::STREET), &f.street_address).autocomplete("off").render(errors))
                (Field::text("postal_code", ctx.t(&M::POSTAL_CODE), &f.postal_code).autocomplete("off").render(errors))
                (Field::text("city", ctx.t(&M::CITY), &f.city).autocomplete("off").render(errors))
                div.field.field-error[unit_err.is_some()] {
                    label for="home_unit_id" { (ctx.t(&M::HOME_UNIT)) }
                    @if let Some(e) = unit_err { p.error-message { (e) } }
                    select #home_unit_id name="home_unit_id" {
                        option value="" { (ctx.t(&M::HOME_UNIT_NONE)) }
                        @for u in &units {
                            option value=(u.id) selected[f.home_unit_id == u.id.to_string()] {
                                (u.name) @if let Some(m) = &u.municipality_name { " (" (m) ")" }
                            }
                        }
                    }
                }
            }
            div.field {
                div.checkbox {
                    input #protected_identity type="checkbox" name="protected_identity" value="on" checked[f.protected_identity.is_some()] aria-describedby="protected_identity-hint";
                    label for="protected_identity" { (ctx.t(&M::PROTECTED_IDENTITY)) }
                }
                div.hint #protected_identity-hint { (ctx.t(&M::PROTECTED_IDENTITY_HINT)) }
            }
            @if !editing {
                div.field.field-error[queue_err.is_some()] {
                    label for="queue" { (ctx.t(&M::QUEUE)) }
                    select #queue name="queue" {
                        option value="triage" selected[f.queue == "triage" || f.queue.is_empty()] { (ctx.t(&M::QUEUE_TRIAGE)) }
                        option value="waiting" selected[f.queue == "waiting"] { (ctx.t(&M::QUEUE_WAITING)) }
                    }
                }
            }
            @if editing {
                div.field.field-error[crate::pages::layout::field_error(errors, "reason").is_some()] {
                    label for="reason" { (ctx.t(&M::REASON)) }
                    div.hint #reason-hint { (ctx.t(&M::REASON_HINT)) }
                    @if let Some(e) = crate::pages::layout::field_error(errors, "reason") { p.error-message { (e) } }
                    textarea #reason name="reason" aria-describedby="reason-hint" required { (f.reason) }
                }
            }
            div.actions {
                button.primary type="submit" { (ctx.t(&M::SAVE)) }
                a href=(if editing { action.trim_end_matches("/andra").to_owned() } else { "/start".to_owned() }) { (ctx.t(&M::CANCEL)) }
            }
        }
    })
}

/// `GET /patienter/ny`
pub async fn new_form(
    State(state): State<AppState>,
    Authed { ctx, .. }: Authed,
) -> Result<Response, AppError> {
    let form = patient_form(
        &state,
        &ctx,
        &PatientFields::default(),
        &[],
        "/patienter",
        false,
    )
    .await?;
    Ok(page(
        &ctx,
        ctx.t(&M::NEW_PATIENT_TITLE),
        html! { h1 { (ctx.t(&M::NEW_PATIENT_TITLE)) } (form) },
    )
    .into_response())
}

/// `POST /patienter`
pub async fn create(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Form(f): Form<PatientFields>,
) -> Result<Response, AppError> {
    let result = patients::register(state.store(), &ctx.caller(&user), &f, None, today()).await;
    match result {
        Ok(id) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}"),
            crate::flash::Flash::PatientRegistered,
            "",
        )),
        Err(trappa_app::Error::Invalid(faults)) => {
            let errors = FieldError::from_faults(&faults, ctx.locale);
            let form = patient_form(&state, &ctx, &f, &errors, "/patienter", false).await?;
            let body = html! { h1 { (ctx.t(&M::NEW_PATIENT_TITLE)) } (form) };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&ctx, ctx.t(&M::NEW_PATIENT_TITLE), body),
            )
                .into_response())
        }
        Err(e) => Err(AppError::from_app(e, ctx.locale)),
    }
}

/// `GET /patienter/{id}/andra`
pub async fn edit_form(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.identity.edit").await?;
    let (state, ctx, _, id) = route.into_parts();
    let p = state.store().patient(&opened.access).await?;
    let f = PatientFields::from_data(&p.current.data, p.current.version);
    let form = patient_form(
        &state,
        &ctx,
        &f,
        &[],
        &format!("/patienter/{id}/andra"),
        true,
    )
    .await?;
    let body = html! { (banner(&ctx, &p, &opened)) h2 { (ctx.t(&M::EDIT_IDENTITY)) } (form) };
    Ok(page(&ctx, ctx.t(&M::EDIT_IDENTITY), body).into_response())
}

/// `POST /patienter/{id}/andra`: a new version, refused when stale.
pub async fn edit_submit(
    route: PatientRoute,
    Form(f): Form<PatientFields>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, "patient.identity").await?;
    let (state, ctx, user, id) = route.into_parts();
    let errors = match patients::edit(state.store(), &ctx.caller(&user), &opened, &f, today()).await
    {
        Ok(_) => {
            return Ok(crate::flash::redirect(
                &state,
                &format!("/patienter/{id}"),
                crate::flash::Flash::DetailsSaved,
                "",
            ));
        }
        Err(trappa_app::Error::Invalid(faults)) => FieldError::from_faults(&faults, ctx.locale),
        Err(e) => return Err(AppError::from_app(e, ctx.locale)),
    };
    let p = state.store().patient(&opened.access).await?;
    let f = PatientFields {
        address_withheld: p.current.data.address == Address::Withheld,
        ..f
    };
    let form = patient_form(
        &state,
        &ctx,
        &f,
        &errors,
        &format!("/patienter/{id}/andra"),
        true,
    )
    .await?;
    let body = html! { (banner(&ctx, &p, &opened)) h2 { (ctx.t(&M::EDIT_IDENTITY)) } (form) };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&ctx, ctx.t(&M::EDIT_IDENTITY), body),
    )
        .into_response())
}

/// `GET /patienter/{id}/historik`
pub async fn history(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.identity.history").await?;
    let (state, ctx, _, id) = route.into_parts();
    let p = state.store().patient(&opened.access).await?;
    let versions = state.store().patient_history(&opened.access).await?;
    let body = html! {
        (banner(&ctx, &p, &opened))
        h2 { (ctx.t(&M::HISTORY)) }
        p { (ctx.t(&M::HISTORY_INTRO)) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::VERSION)) }
                    th scope="col" { (ctx.t(&M::WHEN)) }
                    th scope="col" { (ctx.t(&M::AUTHOR)) }
                    th scope="col" { (ctx.t(&M::REASON)) }
                    th scope="col" { (ctx.t(&M::NAME)) }
                    th scope="col" { (ctx.t(&M::PNR)) }
                    th scope="col" { (ctx.t(&M::PHONE)) }
                    th scope="col" { (ctx.t(&M::ADDRESS)) }
                } }
                tbody {
                    @for v in &versions {
                        tr {
                            td { (v.version) }
                            td { (trappa_app::clock::format_time(v.authored_at)) }
                            td { (v.author_name) }
                            td { (v.reason) }
                            td { (v.data.family_name) ", " (v.data.given_name) }
                            td { (v.data.personal_identity) }
                            td { (v.data.phone.as_deref().unwrap_or("–")) }
                            td {
                                // Once the identity is protected the store withholds earlier addresses too.
                                @match &v.data.address {
                                    Address::Withheld => em { (ctx.t(&M::PROTECTED_ADDRESS_HIDDEN)) },
                                    Address::Known(a) => (a.street.as_deref().unwrap_or("–")),
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href={ "/patienter/" (id) } { (ctx.t(&M::OVERVIEW_TITLE)) } }
    };
    Ok(page(&ctx, ctx.t(&M::HISTORY), body).into_response())
}
