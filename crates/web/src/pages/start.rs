//! The start page per role, the role switch and the 404 page.

use crate::extract::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use trappa_policy::{Permission, Role, allows};
use trappa_store::access_log::{Action, NewEntry};

use crate::AppState;
use crate::access::{Authed, role_label};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::{M, fill};
use crate::pages::layout::{csrf_field, page};
use crate::pages::patients::{function_label, search_box};

/// `GET /`: the start page when signed in, else sign-in.
pub async fn root(ctx: Ctx) -> Response {
    match &ctx.user {
        Some(u) if !u.second_factor_pending => Redirect::to("/start").into_response(),
        _ => Redirect::to("/logga-in").into_response(),
    }
}

/// `GET /start`
pub async fn start(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
) -> Result<Response, AppError> {
    let store = state.store();
    let account = store
        .account(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let role = user.role;
    let caseload = if allows(role, Permission::ReadPatientRecord) {
        let actor = ctx.actor();
        let list = store
            .caseload(
                user.account_id,
                200,
                &NewEntry::new(&actor, Action::Listed, "start.caseload"),
            )
            .await?;
        Some(list)
    } else {
        None
    };
    let pending_reviews = if allows(role, Permission::ReviewEmergencyAccess) {
        Some(store.emergency_accesses(true, 1000).await?.len())
    } else {
        None
    };
    let body = html! {
        h1 { (fill(ctx.t(&M::START_WELCOME), &[("name", &user.display_name)])) }
        @if account.roles.len() > 1 {
            form.actions method="post" action="/roll" {
                (csrf_field(&ctx))
                div.field {
                    label for="role" { (ctx.t(&M::SWITCH_ROLE)) }
                    select #role name="role" {
                        @for r in &account.roles {
                            option value=(r.code()) selected[*r == role] { (ctx.t(role_label(*r))) }
                        }
                    }
                }
                button.secondary type="submit" { (ctx.t(&M::SWITCH_ROLE)) }
            }
        }
        @if allows(role, Permission::SearchPatients) {
            p { (ctx.t(&M::START_SEARCH_HINT)) }
            (search_box(&ctx, ""))
        }
        @if let Some(list) = &caseload {
            @let to_sign: Vec<_> = list.iter().filter(|c| c.plan == Some(trappa_store::taper_plans::PlanStatus::Draft)).collect();
            @if allows(role, Permission::SignTaperPlans) && !to_sign.is_empty() {
                section.worklist aria-labelledby="to-sign-h" {
                    h2 #to-sign-h { (ctx.t(&M::START_PLANS_TO_SIGN)) " (" (to_sign.len()) ")" }
                    ul { @for c in &to_sign {
                        li { a href={ "/patienter/" (c.patient_id) "/plan" } { (c.family_name) ", " (c.given_name) } }
                    } }
                }
            }
            h2 { (ctx.t(&M::START_CASELOAD)) }
            @if list.is_empty() {
                p.muted { (ctx.t(&M::START_CASELOAD_EMPTY)) }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { (ctx.t(&M::NAME)) } th scope="col" { (ctx.t(&M::PNR)) } th scope="col" { (ctx.t(&M::FUNCTION)) } th scope="col" { (ctx.t(&M::PLAN_TITLE)) } } }
                        tbody {
                            @for c in list {
                                tr {
                                    td { a href={ "/patienter/" (c.patient_id) } { (c.family_name) ", " (c.given_name) } }
                                    td { (c.personal_identity) }
                                    td { (ctx.t(function_label(c.function))) }
                                    td { @match c.plan {
                                        Some(trappa_store::taper_plans::PlanStatus::Draft) => span.tag.yellow { (ctx.t(&M::PLAN_STATUS_DRAFT)) },
                                        Some(trappa_store::taper_plans::PlanStatus::Active) => span.tag.green { (ctx.t(&M::PLAN_STATUS_ACTIVE)) },
                                        None => "–",
                                    } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(n) = pending_reviews {
            p { (ctx.t(&M::START_AUDIT_INTRO)) }
            p { a href="/granskning/nodatkomst" { (fill(ctx.t(&M::START_AUDIT_PENDING), &[("n", &n.to_string())])) } }
            p { a href="/granskning/logg" { (ctx.t(&M::NAV_AUDIT_LOG)) } }
        }
        @if role == Role::Admin {
            p { (ctx.t(&M::START_ADMIN_INTRO)) }
            p { a href="/admin/personal" { (ctx.t(&M::NAV_STAFF)) } }
        }
        @if role == Role::Analyst { p { (ctx.t(&M::START_ANALYST_INTRO)) } }
        @if role == Role::ExternalReferrer { p { (ctx.t(&M::START_REFERRER_INTRO)) } }
        @if role == Role::Patient {
            p { (ctx.t(&M::START_PATIENT_INTRO)) }
            p { a href="/mina-sidor/logg" { (ctx.t(&M::NAV_MY_LOG)) } }
        }
    };
    Ok(page(&ctx, ctx.t(&M::START_TITLE), body).into_response())
}

/// The role switch form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

/// `POST /roll`: act in another of one's roles.
pub async fn switch_role(
    State(state): State<AppState>,
    Authed { user, .. }: Authed,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    let account = state
        .store()
        .account(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let role = Role::from_code(&f.role)
        .filter(|r| account.roles.contains(r))
        .ok_or(AppError::Forbidden)?;
    state
        .store()
        .set_session_role(&user.session_hash, role)
        .await?;
    Ok(Redirect::to("/start").into_response())
}

/// Fallback: 404 page or problem.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
