//! The user's own account: password change and TOTP second factor.

use crate::extract::Form;
use crate::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_store::access_log::{Action, NewEntry};

use crate::AppState;
use crate::access::Authed;
use crate::auth::{MIN_PASSWORD_CHARS, hash_password, new_totp_secret, totp, verify_password};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::i18n::{M, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, notice, page};

/// Query flags for confirmations.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    klart: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: &[FieldError],
    info: Option<&str>,
    totp_setup: Option<&str>,
) -> Result<Markup, AppError> {
    let account = state
        .store()
        .account(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(page(
        ctx,
        ctx.t(&M::ACCOUNT_TITLE),
        html! {
            h1 { (ctx.t(&M::ACCOUNT_TITLE)) }
            @if let Some(i) = info { (notice(i)) }
            (error_summary(ctx, errors))
            dl.summary {
                dt { (ctx.t(&M::LOGIN_USERNAME)) } dd { (account.username) }
                dt { (ctx.t(&M::STAFF_DISPLAY_NAME)) } dd { (account.display_name) }
                @if let Some(h) = &account.hsa_id { dt { (ctx.t(&M::STAFF_HSA)) } dd { (h) } }
            }
            h2 { (ctx.t(&M::PASSWORD_CHANGE)) }
            form method="post" action="/konto/losenord" novalidate {
                (csrf_field(ctx))
                (Field::text("current", ctx.t(&M::PASSWORD_CURRENT), "").kind("password").autocomplete("current-password").render(errors))
                (Field::text("new", ctx.t(&M::PASSWORD_NEW), "").kind("password").autocomplete("new-password")
                    .hint(&fill(ctx.t(&M::PASSWORD_TOO_SHORT), &[("n", &MIN_PASSWORD_CHARS.to_string())])).render(errors))
                (Field::text("repeat", ctx.t(&M::PASSWORD_REPEAT), "").kind("password").autocomplete("new-password").render(errors))
                button.primary type="submit" { (ctx.t(&M::PASSWORD_CHANGE)) }
            }
            h2 { (ctx.t(&M::TOTP_SECTION)) }
            @if account.totp_enabled {
                p { (ctx.t(&M::TOTP_ON)) }
                form method="post" action="/konto/totp/av" novalidate {
                    (csrf_field(ctx))
                    (Field::text("password", ctx.t(&M::PASSWORD_CURRENT), "").kind("password").autocomplete("current-password").render(errors))
                    button.secondary type="submit" { (ctx.t(&M::TOTP_DISABLE)) }
                }
            } @else if let Some(secret) = totp_setup {
                p { (ctx.t(&M::TOTP_SETUP_HINT)) }
                p { (ctx.t(&M::TOTP_KEY)) ": " code.incident { (secret) } }
                form method="post" action="/konto/totp" novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="secret" value=(secret);
                    (Field::text("code", ctx.t(&M::TOTP_CODE), "").autocomplete("one-time-code").render(errors))
                    button.primary type="submit" { (ctx.t(&M::TOTP_CONFIRM)) }
                }
            } @else {
                p { (ctx.t(&M::TOTP_OFF)) }
                form method="post" action="/konto/totp/ny" {
                    (csrf_field(ctx))
                    button.secondary type="submit" { (ctx.t(&M::TOTP_START)) }
                }
            }
        },
    ))
}

/// `GET /konto`
pub async fn page_handler(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Query(q): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let info = match q.klart.as_deref() {
        Some("losenord") => Some(ctx.t(&M::PASSWORD_CHANGED)),
        Some("totp-pa") => Some(ctx.t(&M::TOTP_ENABLED)),
        Some("totp-av") => Some(ctx.t(&M::TOTP_DISABLED)),
        _ => None,
    };
    Ok(render(&state, &ctx, &user, &[], info, None)
        .await?
        .into_response())
}

async fn log_change(state: &AppState, ctx: &Ctx, what: &str) -> Result<(), AppError> {
    let actor = ctx.actor();
    state
        .store()
        .append_access_log(
            &NewEntry::new(&actor, Action::AccountChange, "account").detail(what.to_owned()),
        )
        .await?;
    Ok(())
}

async fn password_ok(state: &AppState, user: &User, password: &str) -> Result<bool, AppError> {
    let creds = state
        .store()
        .credentials_by_id(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&password, &creds.password_hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// Checks a new password against the rules; returns field errors.
pub fn check_new_password(
    ctx: &Ctx,
    field: &'static str,
    new: &str,
    repeat: Option<&str>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if new.chars().count() < MIN_PASSWORD_CHARS {
        errors.push(FieldError {
            field: field.into(),
            message: fill(
                ctx.t(&M::PASSWORD_TOO_SHORT),
                &[("n", &MIN_PASSWORD_CHARS.to_string())],
            ),
        });
    } else if repeat.is_some_and(|r| r != new) {
        errors.push(FieldError {
            field: "repeat".into(),
            message: ctx.t(&M::PASSWORD_MISMATCH).to_owned(),
        });
    }
    errors
}

/// `POST /konto/losenord`
pub async fn change_password(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    if !password_ok(&state, &user, &f.current).await? {
        errors.push(FieldError {
            field: "current".into(),
            message: ctx.t(&M::PASSWORD_WRONG).to_owned(),
        });
    }
    errors.extend(check_new_password(&ctx, "new", &f.new, Some(&f.repeat)));
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, None).await?,
        )
            .into_response());
    }
    let new = f.new.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    state
        .store()
        .set_password(user.account_id, &hash, Some(&user.session_hash))
        .await?;
    log_change(&state, &ctx, "password changed").await?;
    Ok(Redirect::to("/konto?klart=losenord").into_response())
}

/// `POST /konto/totp/ny`: shows a new secret to confirm.
pub async fn totp_begin(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
) -> Result<Response, AppError> {
    let secret = new_totp_secret();
    Ok(render(&state, &ctx, &user, &[], None, Some(&secret))
        .await?
        .into_response())
}

/// The TOTP confirmation form.
#[derive(Deserialize)]
pub struct TotpConfirm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /konto/totp`: turns TOTP on once a code from the app matches.
pub async fn totp_confirm(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<TotpConfirm>,
) -> Result<Response, AppError> {
    let valid = totp(&f.secret, &user.username)
        .ok()
        .and_then(|t| t.check_current(f.code.trim()))
        .is_some();
    if !valid {
        let errors = [FieldError {
            field: "code".into(),
            message: ctx.t(&M::TOTP_WRONG).to_owned(),
        }];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, Some(&f.secret)).await?,
        )
            .into_response());
    }
    state
        .store()
        .set_totp_secret(user.account_id, Some(&f.secret))
        .await?;
    log_change(&state, &ctx, "totp enabled").await?;
    Ok(Redirect::to("/konto?klart=totp-pa").into_response())
}

/// The TOTP switch-off form.
#[derive(Deserialize)]
pub struct TotpDisable {
    #[serde(default)]
    password: String,
}

/// `POST /konto/totp/av`: needs the password.
pub async fn totp_disable(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<TotpDisable>,
) -> Result<Response, AppError> {
    if !password_ok(&state, &user, &f.password).await? {
        let errors = [FieldError {
            field: "password".into(),
            message: ctx.t(&M::PASSWORD_WRONG).to_owned(),
        }];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, None).await?,
        )
            .into_response());
    }
    state.store().set_totp_secret(user.account_id, None).await?;
    log_change(&state, &ctx, "totp disabled").await?;
    Ok(Redirect::to("/konto?klart=totp-av").into_response())
}
