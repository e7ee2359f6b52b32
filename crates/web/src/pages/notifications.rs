//! The patient's notification choices (`/mina-sidor/aviseringar`): an e-mail address
//! and whether to be told there, with the latest notices and whether they went. The
//! notices themselves say only that something is new ([`trappa_app::notify`]).

use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use trappa_app::notify::{self, Channel, MAX_ATTEMPTS, OWN_RESOURCE, SettingsInput};
use trappa_store::access_log::Action;

use crate::access::Authed;
use crate::ctx::{Ctx, ForUser, User};
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::flash::{Flash, redirect};
use crate::i18n::{N, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, form_response};
use crate::state::AppState;
use trappa_app::clock::format_time;

/// The form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoticeForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    email: String,
    by_email: Option<String>,
}

/// `GET /mina-sidor/aviseringar`
pub async fn page(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    render(&state, &ctx, &user, None).await
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    failed: Option<(&NoticeForm, &[FieldError])>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(state, ctx, user, Action::Read, OWN_RESOURCE).await?;
    let caller = ctx.caller(user);
    let current = notify::settings(state.store(), &caller)
        .await
        .for_user(ctx)?;
    // Until the patient chooses, the address the record holds is offered.
    let record_email = if current.email.is_none() {
        state
            .store()
            .patient(&opened.access)
            .await?
            .current
            .data
            .email
    } else {
        None
    };
    let recent = state.store().notices_of(user.account_id, 5).await?;
    let offered = state.can_notify(Channel::Email);
    let (email, by_email, errors) = match failed {
        Some((f, e)) => (f.email.clone(), f.by_email.is_some(), e),
        None => (
            current.email.clone().or(record_email).unwrap_or_default(),
            current.by_email,
            &[][..],
        ),
    };
    let body = html! {
        h1 { (ctx.t(&N::TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&N::INTRO)) }
        p { (ctx.t(&N::PRIVACY)) }
        @if !offered {
            p.notice { (ctx.t(&N::NOT_OFFERED)) }
        } @else {
            p { (fill(ctx.t(&N::STATUS), &[("state", ctx.t(if current.by_email { &N::ON } else { &N::OFF }))])) }
            form method="post" action="/mina-sidor/aviseringar" novalidate {
                (csrf_field(ctx))
                (Field::text("email", ctx.t(&N::EMAIL), &email).kind("email").autocomplete("email").hint(ctx.t(&N::EMAIL_HINT)).render(errors))
                div.field.checkbox {
                    input #by_email type="checkbox" name="by_email" value="on" checked[by_email];
                    label for="by_email" { (ctx.t(&N::BY_EMAIL)) }
                }
                button.primary type="submit" { (ctx.t(&N::SAVE)) }
            }
        }
        @if !recent.is_empty() {
            h2 { (ctx.t(&N::RECENT)) }
            ul { @for n in &recent {
                li {
                    (format_time(n.created_at)) ": "
                    (notify::NoticeKind::from_code(&n.kind).map_or("", |k| k.text(ctx.locale))) " – "
                    @match n.sent_at {
                        Some(at) => (fill(ctx.t(&N::SENT), &[("when", &format_time(at))])),
                        None if n.attempts == 0 => (ctx.t(&N::WAITING)),
                        None if n.attempts < MAX_ATTEMPTS => (ctx.t(&N::FAILED)),
                        None => (ctx.t(&N::GAVE_UP)),
                    }
                }
            } }
        }
    };
    Ok(form_response(ctx, ctx.t(&N::TITLE), body, errors))
}

/// `POST /mina-sidor/aviseringar`
pub async fn save(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<NoticeForm>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Update, OWN_RESOURCE).await?;
    let input = SettingsInput {
        email: f.email.clone(),
        by_email: f.by_email.is_some(),
    };
    let caller = ctx.caller(&user);
    match notify::save_settings(state.store(), &caller, &opened, &input)
        .await
        .for_user(&ctx)
    {
        Ok(()) => Ok(redirect(
            &state,
            "/mina-sidor/aviseringar",
            Flash::NoticesSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => render(&state, &ctx, &user, Some((&f, &errors))).await,
        Err(e) => Err(e),
    }
}
