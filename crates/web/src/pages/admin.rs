//! Staff administration: accounts, roles, units. Administrators see no clinical data.

use crate::extract::{HtmlForm, Path};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_policy::Role;
use trappa_store::Uuid;
use trappa_store::accounts::Account;
use trappa_store::units::UnitKind;

use crate::access::{Authed, role_label};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::i18n::{M, S};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, page};
use crate::state::AppState;

use trappa_app::accounts::{self, StaffInput};

/// `GET /admin/personal`
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, .. }: Authed,
) -> Result<Response, AppError> {
    let accounts: Vec<Account> = state
        .store()
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.patient_id.is_none())
        .collect();
    let body = html! {
        h1 { (ctx.t(&M::STAFF_TITLE)) }
        p { a.button href="/admin/personal/ny" { (ctx.t(&M::STAFF_NEW)) } }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::STAFF_DISPLAY_NAME)) }
                    th scope="col" { (ctx.t(&M::LOGIN_USERNAME)) }
                    th scope="col" { (ctx.t(&M::STAFF_PROFESSION)) }
                    th scope="col" { (ctx.t(&M::STAFF_HSA)) }
                    th scope="col" { (ctx.t(&M::STAFF_ROLES)) }
                    th scope="col" { (ctx.t(&M::STAFF_ACTIVE)) }
                    th scope="col" { (ctx.t(&M::STAFF_TOTP)) }
                } }
                tbody {
                    @for a in &accounts {
                        tr {
                            td { a href={ "/admin/personal/" (a.id) } { (a.display_name) } }
                            td { (a.username) }
                            td { (a.profession.as_deref().unwrap_or("")) }
                            td { (a.hsa_id.as_deref().unwrap_or("")) }
                            td { @for (i, r) in a.roles.iter().enumerate() { @if i > 0 { ", " } (ctx.t(role_label(*r))) } }
                            td { @if a.active { (ctx.t(&M::YES)) } @else { span.tag.grey { (ctx.t(&M::NO)) } } }
                            td { @if a.totp_enabled { (ctx.t(&M::YES)) } @else { (ctx.t(&M::NO)) } }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&ctx, ctx.t(&M::STAFF_TITLE), body).into_response())
}

/// The account form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StaffForm {
    username: String,
    display_name: String,
    profession: String,
    hsa_id: String,
    unit_id: String,
    active: Option<String>,
    password: String,
    version: String,
    #[serde(rename = "role")]
    roles: Vec<String>,
}

async fn form_markup(
    state: &AppState,
    ctx: &Ctx,
    f: &StaffForm,
    errors: &[FieldError],
    action: &str,
    editing: bool,
    own_account: bool,
) -> Result<Markup, AppError> {
    let mut units = state.store().units(UnitKind::TaperingUnit).await?;
    units.extend(state.store().units(UnitKind::Vardcentral).await?);
    let partners = state.store().partner_organisations().await?;
    let roles_err = field_error(errors, "role");
    Ok(html! {
        (error_summary(ctx, errors))
        form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            @if editing { input type="hidden" name="version" value=(f.version); }
            @if !editing {
                (Field::text("username", ctx.t(&M::LOGIN_USERNAME), &f.username).autocomplete("off").required().render(errors))
            }
            (Field::text("display_name", ctx.t(&M::STAFF_DISPLAY_NAME), &f.display_name).autocomplete("off").required().render(errors))
            (Field::text("profession", ctx.t(&M::STAFF_PROFESSION), &f.profession).autocomplete("off").render(errors))
            (Field::text("hsa_id", ctx.t(&M::STAFF_HSA), &f.hsa_id).hint(ctx.t(&M::STAFF_HSA_HINT)).autocomplete("off").render(errors))
            @let unit_err = field_error(errors, "unit_id");
            div.field.field-error[unit_err.is_some()] {
                label for="unit_id" { (ctx.t(&M::STAFF_UNIT)) }
                @if let Some(e) = unit_err { p.error-message id="unit_id-error" { (e) } }
                select #unit_id name="unit_id" aria-invalid=[unit_err.map(|_| "true")] {
                    @for u in &units { option value=(u.id) selected[f.unit_id == u.id.to_string()] { (u.name) } }
                    // A partner's staff work at their organisation, not at a unit.
                    optgroup label=(ctx.t(&crate::i18n::Q::PARTNERS)) {
                        @for o in &partners {
                            @let value = format!("{}{}", accounts::PARTNER_PREFIX, o.id);
                            option value=(value) selected[f.unit_id == value] { (o.name) }
                        }
                    }
                }
            }
            fieldset.field.field-error[roles_err.is_some()] id="role" {
                legend { (ctx.t(&M::STAFF_ROLES)) }
                @if let Some(e) = roles_err { p.error-message { (e) } }
                // Separation of duties: one's own roles are shown, and sent back as they are.
                @if own_account {
                    p.hint #own-roles { (ctx.t(&S::STAFF_OWN_ROLES_HINT)) }
                    @for r in &f.roles { input type="hidden" name="role" value=(r); }
                }
                @for r in accounts::grantable() {
                    div.checkbox {
                        input id={ "role-" (r.code()) } type="checkbox" name=[(!own_account).then_some("role")] value=(r.code()) checked[f.roles.iter().any(|c| c == r.code())] disabled[own_account];
                        label for={ "role-" (r.code()) } { (ctx.t(role_label(r))) }
                    }
                }
            }
            @if editing {
                div.field { div.checkbox {
                    input #active type="checkbox" name="active" value="on" checked[f.active.is_some()];
                    label for="active" { (ctx.t(&M::STAFF_ACTIVE)) }
                } }
                (Field::text("password", ctx.t(&M::STAFF_RESET_PASSWORD), "").kind("password").autocomplete("new-password").hint(ctx.t(&M::STAFF_RESET_PASSWORD_HINT)).render(errors))
            } @else {
                (Field::text("password", ctx.t(&M::STAFF_INITIAL_PASSWORD), "").kind("password").autocomplete("new-password").render(errors))
            }
            div.actions {
                button.primary type="submit" { (ctx.t(&M::SAVE)) }
                a href="/admin/personal" { (ctx.t(&M::CANCEL)) }
            }
        }
    })
}

impl StaffForm {
    /// What the administrator typed, for the use case.
    fn input(&self) -> StaffInput {
        StaffInput {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            profession: self.profession.clone(),
            hsa_id: self.hsa_id.clone(),
            unit_id: self.unit_id.clone(),
            active: self.active.is_some(),
            password: self.password.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// `GET /admin/personal/ny`
pub async fn new_form(
    State(state): State<AppState>,
    Authed { ctx, .. }: Authed,
) -> Result<Response, AppError> {
    let f = StaffForm {
        roles: vec![Role::Nurse.code().to_owned()],
        ..Default::default()
    };
    let form = form_markup(&state, &ctx, &f, &[], "/admin/personal", false, false).await?;
    Ok(page(
        &ctx,
        ctx.t(&M::STAFF_NEW),
        html! { h1 { (ctx.t(&M::STAFF_NEW)) } (form) },
    )
    .into_response())
}

/// `POST /admin/personal`
pub async fn create(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<StaffForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let errors = match accounts::create_staff(state.store(), &caller, &f.input())
        .await
        .for_user(&ctx)
    {
        Ok(_) => {
            return Ok(crate::flash::redirect(
                &state,
                "/admin/personal",
                crate::flash::Flash::Saved,
                "",
            ));
        }
        Err(AppError::Invalid(errors)) => errors,
        Err(e) => return Err(e),
    };
    let form = form_markup(&state, &ctx, &f, &errors, "/admin/personal", false, false).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            &ctx,
            ctx.t(&M::STAFF_NEW),
            html! { h1 { (ctx.t(&M::STAFF_NEW)) } (form) },
        ),
    )
        .into_response())
}

/// `GET /admin/personal/{id}`
pub async fn edit_form(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let a = state
        .store()
        .account(id)
        .await?
        .filter(|a| a.patient_id.is_none())
        .ok_or(AppError::NotFound)?;
    let f = StaffForm {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        profession: a.profession.clone().unwrap_or_default(),
        hsa_id: a.hsa_id.clone().unwrap_or_default(),
        unit_id: match (a.unit_id, a.partner_organisation_id) {
            (_, Some(org)) => format!("{}{org}", accounts::PARTNER_PREFIX),
            (Some(u), None) => u.to_string(),
            (None, None) => String::new(),
        },
        active: a.active.then(|| "on".to_owned()),
        password: String::new(),
        version: a.version.to_string(),
        roles: a.roles.iter().map(|r| r.code().to_owned()).collect(),
    };
    let form = form_markup(
        &state,
        &ctx,
        &f,
        &[],
        &format!("/admin/personal/{id}"),
        true,
        id == user.account_id,
    )
    .await?;
    let locked = trappa_app::sessions::locked(state.store(), &a.username).await?;
    Ok(page(
        &ctx,
        ctx.t(&M::STAFF_EDIT),
        html! {
            h1 { (ctx.t(&M::STAFF_EDIT)) ": " (a.username) }
            @if locked { (unlock_markup(&ctx, id)) }
            (form)
        },
    )
    .into_response())
}

/// The notice that the username is locked, with the administrator's way to lift it.
fn unlock_markup(ctx: &Ctx, id: Uuid) -> Markup {
    let window = trappa_i18n::format::minutes(trappa_app::SIGN_IN_WINDOW_MINUTES, ctx.locale);
    html! {
        section.warning-box #locked aria-labelledby="locked-title" {
            h2 #locked-title { (ctx.t(&S::STAFF_LOCKED_TITLE)) }
            p { (crate::i18n::fill(ctx.t(&S::STAFF_LOCKED_TEXT), &[("duration", &window)])) }
            form method="post" action={ "/admin/personal/" (id) "/las-upp" } {
                (csrf_field(ctx))
                button.secondary type="submit" { (ctx.t(&S::STAFF_UNLOCK)) }
            }
        }
    }
}

/// `POST /admin/personal/{id}/las-upp`: lifts the account's sign-in lock (logged).
pub async fn unlock(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let lifted = accounts::unlock_sign_in(state.store(), &caller, id)
        .await
        .for_user(&ctx)?;
    let flash = if lifted {
        crate::flash::Flash::SignInUnlocked
    } else {
        crate::flash::Flash::SignInNotLocked
    };
    Ok(crate::flash::redirect(
        &state,
        &format!("/admin/personal/{id}"),
        flash,
        "",
    ))
}

/// `POST /admin/personal/{id}`: refused when stale, and when the account is the
/// administrator's own and its roles would change.
pub async fn edit_submit(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    HtmlForm(f): HtmlForm<StaffForm>,
) -> Result<Response, AppError> {
    let a = state
        .store()
        .account(id)
        .await?
        .filter(|a| a.patient_id.is_none())
        .ok_or(AppError::NotFound)?;
    let version: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    let caller = ctx.caller(&user);
    let input = f.input();
    let updated = accounts::update_staff(state.store(), &caller, id, version, &input);
    let errors = match updated.await.for_user(&ctx) {
        Ok(()) => {
            return Ok(crate::flash::redirect(
                &state,
                "/admin/personal",
                crate::flash::Flash::Saved,
                "",
            ));
        }
        Err(AppError::Invalid(errors)) => errors,
        Err(e) => return Err(e),
    };
    let form = form_markup(
        &state,
        &ctx,
        &f,
        &errors,
        &format!("/admin/personal/{id}"),
        true,
        id == user.account_id,
    )
    .await?;
    let body = html! { h1 { (ctx.t(&M::STAFF_EDIT)) ": " (a.username) } (form) };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&ctx, ctx.t(&M::STAFF_EDIT), body),
    )
        .into_response())
}
