//! The user's own account: password change and TOTP second factor.

use crate::extract::Form;
use crate::extract::Query;
use crate::i18n::V;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use crate::access::Authed;
use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::i18n::{M, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, notice, page};
use crate::state::AppState;
use trappa_app::{accounts, sessions};

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
    // The administrator's pages send a session with one factor here
    // (`crate::error::SECOND_FACTOR_ENROLMENT`): the page says what to do.
    let second_factor_owed = (trappa_policy::needs_second_factor(user.role) && !user.multi_factor)
        .then(|| {
            if account.totp_enabled {
                ctx.t(&M::TOTP_REQUIRED_SIGN_IN_AGAIN)
            } else {
                ctx.t(&M::TOTP_REQUIRED_ENROL)
            }
        });
    // An administrator's account keeps its code: no form to turn it off.
    let keeps_totp = account
        .roles
        .iter()
        .any(|&r| trappa_policy::needs_second_factor(r));
    // Where the code is owed, its section comes first.
    let totp = html! {
        section.account-part {
            h2 { (ctx.t(&M::TOTP_SECTION)) }
            @if account.totp_enabled && keeps_totp {
                p { (ctx.t(&M::TOTP_ON)) " " (ctx.t(&V::TOTP_REQUIRED_FOR_ROLE)) }
            } @else if account.totp_enabled {
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
                    (Field::text("password", ctx.t(&M::PASSWORD_CURRENT), "").kind("password").autocomplete("current-password").render(errors))
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
        }
    };
    Ok(page(
        ctx,
        ctx.t(&M::ACCOUNT_TITLE),
        html! {
            h1 { (ctx.t(&M::ACCOUNT_TITLE)) }
            @if let Some(i) = info { (notice(i)) }
            (error_summary(ctx, errors))
            @if let Some(owed) = second_factor_owed { (notice(owed)) (totp) }
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
                    .hint(&fill(ctx.t(&V::PASSWORD_TOO_SHORT), &[("n", &accounts::MIN_PASSWORD_CHARS.to_string())])).render(errors))
                (Field::text("repeat", ctx.t(&M::PASSWORD_REPEAT), "").kind("password").autocomplete("new-password").render(errors))
                button.primary type="submit" { (ctx.t(&M::PASSWORD_CHANGE)) }
            }
            @if second_factor_owed.is_none() { (totp) }
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

/// `POST /konto/losenord`
pub async fn change_password(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let changed = accounts::change_password(
        state.store(),
        &caller,
        &user.session_hash,
        &f.current,
        &f.new,
        &f.repeat,
    );
    match changed.await.for_user(&ctx) {
        Ok(()) => Ok(Redirect::to("/konto?klart=losenord").into_response()),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, None).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

/// `POST /konto/totp/ny`: shows a new secret to confirm.
pub async fn totp_begin(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
) -> Result<Response, AppError> {
    let secret = sessions::new_totp_secret();
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
    password: String,
    #[serde(default)]
    code: String,
}

/// `POST /konto/totp`: turns TOTP on once a code from the app matches.
pub async fn totp_confirm(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<TotpConfirm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let enabled = accounts::enable_totp(
        state.store(),
        &caller,
        &user.session_hash,
        &f.password,
        &f.secret,
        &f.code,
    );
    match enabled.await.for_user(&ctx) {
        Ok(()) => Ok(Redirect::to("/konto?klart=totp-pa").into_response()),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, Some(&f.secret)).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
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
    let caller = ctx.caller(&user);
    let disabled = accounts::disable_totp(state.store(), &caller, &f.password);
    match disabled.await.for_user(&ctx) {
        Ok(()) => Ok(Redirect::to("/konto?klart=totp-av").into_response()),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, &user, &errors, None, None).await?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
