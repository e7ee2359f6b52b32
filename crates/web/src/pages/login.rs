//! Sign-in (password, then TOTP when set up), sign-out and the language choice.

use crate::extract::Form;
use crate::extract::Query;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::auth::{clear_session_cookie, safe_next, session_response};
use crate::ctx::ForUser;
use crate::ctx::{Ctx, LANG_COOKIE, set_cookie};
use crate::error::{AppError, FieldError};
use crate::i18n::{M, S};
use crate::pages::layout::{Field, csrf_field, error_summary, notice, page};
use crate::state::AppState;
use trappa_app::sessions;

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
    oidc: &crate::oidc::OidcConfig,
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
                    @let next_q = crate::error::urlencode(next);
                    @if oidc.patient.is_some() {
                        h2 { (ctx.t(&S::LOGIN_PATIENT_H)) }
                        p { a.button href={ "/logga-in/oidc/patient?next=" (next_q) } { (ctx.t(&S::LOGIN_BANKID)) } }
                    }
                    @if oidc.staff.is_some() {
                        h2 { (ctx.t(&S::LOGIN_STAFF_H)) }
                        p { a.button href={ "/logga-in/oidc/personal?next=" (next_q) } { (ctx.t(&S::LOGIN_SITHS)) } }
                    }
                    @if oidc.staff.is_some() || oidc.patient.is_some() {
                        h2 { (ctx.t(&S::LOGIN_PASSWORD_H)) }
                    }
                    form method="post" action="/logga-in" novalidate {
                        (csrf_field(ctx))
                        input type="hidden" name="next" value=(next);
                        (Field::text("username", ctx.t(&M::LOGIN_USERNAME), username).autocomplete("username").required().render(errors))
                        (Field::text("password", ctx.t(&M::LOGIN_PASSWORD), "").kind("password").autocomplete("current-password").required().render(errors))
                        button.primary type="submit" { (ctx.t(&M::LOGIN_SUBMIT)) }
                    }
                    @if oidc.staff.is_none() && oidc.patient.is_none() {
                        p.hint { (ctx.t(&M::LOGIN_IDP_NOTE)) }
                    }
                    h2 { (ctx.t(&M::SELF_REFERRAL_INVITE_TITLE)) }
                    p { a href="/egenremiss" { (ctx.t(&M::SELF_REFERRAL_INVITE)) } }
                }
            }
        },
    )
}

/// `GET /logga-in`
pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> Response {
    if ctx.user.as_ref().is_some_and(|u| !u.second_factor_pending) {
        return Redirect::to("/start").into_response();
    }
    let info = q.utloggad.is_some().then(|| ctx.t(&M::LOGIN_LOGGED_OUT));
    render(
        &ctx,
        &state.config().oidc,
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
    let actor = ctx.anonymous_actor(&username);
    let replacing = ctx.user.as_ref().map(|u| u.session_hash.as_str());
    let idle = state.config().session_idle_minutes;
    let signed_in = sessions::sign_in(
        state.store(),
        &actor,
        &username,
        &f.password,
        replacing,
        idle,
    );
    match signed_in.await.for_user(&ctx) {
        Ok(started) => Ok(session_response(&state, &started, &next)),
        Err(AppError::TooManyRequests(_)) => {
            let errors = [FieldError {
                field: "username".into(),
                message: ctx.t(&M::ERR_THROTTLED_DETAIL).to_owned(),
            }];
            let retry_after = trappa_app::Throttle::SignIn.retry_after_secs().to_string();
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after)],
                render(&ctx, &state.config().oidc, &username, &next, &errors, None),
            )
                .into_response())
        }
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNAUTHORIZED,
            render(&ctx, &state.config().oidc, &username, &next, &errors, None),
        )
            .into_response()),
        Err(e) => Err(e),
    }
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
    let caller = ctx.caller(&user);
    let completed = sessions::second_factor(state.store(), &caller, &user.session_hash, &f.code);
    match completed.await.for_user(&ctx) {
        Ok(()) => Ok(Redirect::to(safe_next(&next)).into_response()),
        Err(AppError::Invalid(errors)) => {
            Ok((StatusCode::UNAUTHORIZED, render_totp(&ctx, &next, &errors)).into_response())
        }
        Err(AppError::NotFound) => Err(AppError::Unauthenticated),
        Err(e) => Err(e),
    }
}

/// `POST /logga-ut`
pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(u) = &ctx.user {
        let caller = ctx.caller(u);
        sessions::sign_out(state.store(), &caller, &u.session_hash)
            .await
            .for_user(&ctx)?;
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
