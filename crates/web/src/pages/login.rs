//! Sign-in (password, then TOTP when set up), sign-out and the language choice.

use crate::extract::Form;
use crate::extract::Query;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use trappa_store::access_log::{Action, NewEntry};

use crate::AppState;
use crate::auth::{
    clear_session_cookie, dummy_hash, safe_next, start_session, throttled, totp, verify_password,
};
use crate::ctx::{Ctx, LANG_COOKIE, set_cookie};
use crate::error::{AppError, FieldError};
use crate::i18n::M;
use crate::pages::layout::{Field, csrf_field, error_summary, notice, page};

/// Query of the sign-in page.
#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    utloggad: Option<String>,
}

/// The sign-in form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

fn render(
    ctx: &Ctx,
    username: &str,
    next: &str,
    errors: &[FieldError],
    info: Option<&str>,
) -> maud::Markup {
    page(
        ctx,
        ctx.t(&M::LOGIN_TITLE),
        html! {
            div.grid-2 {
                div {
                    h1 { (ctx.t(&M::LOGIN_TITLE)) }
                    @if let Some(i) = info { (notice(i)) }
                    (error_summary(ctx, errors))
                    form method="post" action="/logga-in" novalidate {
                        (csrf_field(ctx))
                        input type="hidden" name="next" value=(next);
                        (Field::text("username", ctx.t(&M::LOGIN_USERNAME), username).autocomplete("username").required().render(errors))
                        (Field::text("password", ctx.t(&M::LOGIN_PASSWORD), "").kind("password").autocomplete("current-password").required().render(errors))
                        button.primary type="submit" { (ctx.t(&M::LOGIN_SUBMIT)) }
                    }
                    p.hint { (ctx.t(&M::LOGIN_IDP_NOTE)) }
                    h2 { (ctx.t(&M::SELF_REFERRAL_INVITE_TITLE)) }
                    p { a href="/egenremiss" { (ctx.t(&M::SELF_REFERRAL_INVITE)) } }
                }
            }
        },
    )
}

/// `GET /logga-in`
pub async fn form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.user.as_ref().is_some_and(|u| !u.second_factor_pending) {
        return Redirect::to("/start").into_response();
    }
    let info = q.utloggad.is_some().then(|| ctx.t(&M::LOGIN_LOGGED_OUT));
    render(
        &ctx,
        "",
        safe_next(q.next.as_deref().unwrap_or("")),
        &[],
        info,
    )
    .into_response()
}

/// `POST /logga-in`
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let username = f.username.trim().to_lowercase();
    let next = safe_next(f.next.as_deref().unwrap_or("")).to_owned();
    let ip = ctx.client_ip.clone();
    if throttled(&state, &username, ip.as_deref()).await? {
        log_failure(&state, &ctx, &username, "throttled").await?;
        let errors = [FieldError {
            field: "username".into(),
            message: ctx.t(&M::ERR_THROTTLED_DETAIL).to_owned(),
        }];
        let retry_after = (trappa_app::SIGN_IN_WINDOW_MINUTES * 60).to_string();
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after)],
            render(&ctx, &username, &next, &errors, None),
        )
            .into_response());
    }
    let creds = state.store().credentials(&username).await?;
    let password = f.password;
    let (ok, creds) = match creds {
        Some(c) => {
            let hash = c.password_hash.clone();
            let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            (
                ok && c.account.active && !c.account.roles.is_empty(),
                Some(c),
            )
        }
        None => {
            tokio::task::spawn_blocking(move || verify_password(&password, dummy_hash()))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            (false, None)
        }
    };
    // A right password with a second factor still owed is not a success: only the
    // complete sign-in resets the count of failures, so one-time codes cannot be
    // guessed a few at a time between password sign-ins.
    let second_factor_owed = creds.as_ref().is_some_and(|c| c.totp_secret.is_some());
    if !ok || !second_factor_owed {
        state
            .store()
            .record_login_attempt(&username, ip.as_deref(), ok)
            .await?;
    }
    let Some(creds) = creds.filter(|_| ok) else {
        log_failure(&state, &ctx, &username, "bad credentials").await?;
        let errors = [FieldError {
            field: "username".into(),
            message: ctx.t(&M::LOGIN_FAILED).to_owned(),
        }];
        return Ok((
            StatusCode::UNAUTHORIZED,
            render(&ctx, &username, &next, &errors, None),
        )
            .into_response());
    };
    let role = creds.account.roles[0];
    start_session(
        &state,
        &ctx,
        creds.account.id,
        &creds.account.username,
        role,
        creds.totp_secret.is_some(),
        &next,
    )
    .await
}

async fn log_failure(
    state: &AppState,
    ctx: &Ctx,
    username: &str,
    why: &str,
) -> Result<(), AppError> {
    let actor = ctx.anonymous_actor(username);
    state
        .store()
        .append_access_log(
            &NewEntry::new(&actor, Action::LoginFailed, "session")
                .denied()
                .detail(why.to_owned()),
        )
        .await?;
    Ok(())
}

/// The TOTP form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TotpForm {
    code: String,
    next: Option<String>,
}

fn render_totp(ctx: &Ctx, next: &str, errors: &[FieldError]) -> maud::Markup {
    page(
        ctx,
        ctx.t(&M::TOTP_TITLE),
        html! {
            h1 { (ctx.t(&M::TOTP_TITLE)) }
            (error_summary(ctx, errors))
            form method="post" action="/logga-in/totp" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="next" value=(next);
                (Field::text("code", ctx.t(&M::TOTP_CODE), "").hint(ctx.t(&M::TOTP_HINT)).autocomplete("one-time-code").required().render(errors))
                button.primary type="submit" { (ctx.t(&M::CONTINUE)) }
            }
        },
    )
}

/// `GET /logga-in/totp`
pub async fn totp_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response, AppError> {
    match &ctx.user {
        Some(u) if u.second_factor_pending => {
            Ok(render_totp(&ctx, safe_next(q.next.as_deref().unwrap_or("")), &[]).into_response())
        }
        Some(_) => Ok(Redirect::to("/start").into_response()),
        None => Err(AppError::Unauthenticated),
    }
}

/// `POST /logga-in/totp`
pub async fn totp_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TotpForm>,
) -> Result<Response, AppError> {
    let Some(user) = ctx.user.clone().filter(|u| u.second_factor_pending) else {
        return Err(AppError::Unauthenticated);
    };
    let next = safe_next(f.next.as_deref().unwrap_or("")).to_owned();
    if throttled(&state, &user.username, ctx.client_ip.as_deref()).await? {
        return Err(AppError::TooManyRequests(crate::error::Throttle::SignIn));
    }
    let creds = state
        .store()
        .credentials_by_id(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let valid = match &creds.totp_secret {
        Some(secret) => match totp(secret, &user.username)?.check_current(f.code.trim()) {
            // A code already used (a replay) is refused like a wrong one.
            Some(step) => {
                state
                    .store()
                    .accept_totp_step(user.account_id, step)
                    .await?
            }
            None => false,
        },
        None => true,
    };
    state
        .store()
        .record_login_attempt(&user.username, ctx.client_ip.as_deref(), valid)
        .await?;
    if !valid {
        log_failure(&state, &ctx, &user.username, "wrong one-time code").await?;
        let errors = [FieldError {
            field: "code".into(),
            message: ctx.t(&M::TOTP_WRONG).to_owned(),
        }];
        return Ok((StatusCode::UNAUTHORIZED, render_totp(&ctx, &next, &errors)).into_response());
    }
    state
        .store()
        .complete_second_factor(&user.session_hash)
        .await?;
    Ok(Redirect::to(safe_next(&next)).into_response())
}

/// `POST /logga-ut`
pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(u) = &ctx.user {
        state.store().delete_session(&u.session_hash).await?;
        let actor = ctx.actor();
        state
            .store()
            .append_access_log(&NewEntry::new(&actor, Action::Logout, "session"))
            .await?;
    }
    let mut res = Redirect::to("/logga-in?utloggad=1").into_response();
    clear_session_cookie(&state, &mut res);
    Ok(res)
}

/// The language form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// `POST /sprak`: remembers the UI language in a cookie.
pub async fn language(State(state): State<AppState>, Form(f): Form<LanguageForm>) -> Response {
    let lang = if f.lang == "en" { "en" } else { "sv" };
    let next = f
        .next
        .as_deref()
        .and_then(trappa_input::redirect::local_path)
        .unwrap_or("/");
    let mut res = Redirect::to(next).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, lang, Some(365 * 24 * 3600), false),
    );
    res
}
