//! The patient's own consents (`/mina-sidor/samtycken`): which organisations outside the
//! unit may see their SIP, and withdrawing a consent, which takes effect at once.

use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use trappa_app::sip;
use trappa_store::Uuid;
use trappa_store::access_log::Action;

use super::how_label;
use crate::access::{Authed, open_own};
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::extract::{HtmlForm, Path};
use crate::flash::{Flash, redirect};
use crate::i18n::{Q, fill};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use trappa_app::clock::format_time;

/// `GET /mina-sidor/samtycken`: the patient's consents, each with its state.
pub async fn own_page(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let opened = open_own(&state, &ctx, &user, Action::Read, sip::OWN_CONSENT_RESOURCE).await?;
    let consents = sip::current(sip::consents(state.store(), &opened).await.for_user(&ctx)?);
    let title = ctx.t(&Q::OWN_TITLE);
    let body = html! {
        h1 { (title) }
        p.lead { (ctx.t(&Q::OWN_INTRO)) }
        @if consents.is_empty() { p.muted { (ctx.t(&Q::CONSENT_NONE)) } }
        @else {
            ul.sip-list { @for c in &consents {
                li {
                    strong { (c.organisation_name) }
                    br;
                    (ctx.t(&Q::CONSENT_GIVEN_ON)) ": " (c.given_on) " (" (ctx.t(how_label(c.how))) ")"
                    br;
                    @if c.withdrawn {
                        (fill(ctx.t(&Q::CONSENT_WITHDRAWN), &[("when", &format_time(c.authored_at))]))
                    } @else {
                        strong { (ctx.t(&Q::CONSENT_IN_FORCE)) }
                        form method="post" action={ "/mina-sidor/samtycken/" (c.id) "/aterkalla" } {
                            (csrf_field(&ctx))
                            input type="hidden" name="version" value=(c.version);
                            button.button.secondary type="submit" { (ctx.t(&Q::CONSENT_WITHDRAW)) }
                        }
                    }
                }
            } }
        }
    };
    Ok(page(&ctx, title, body).into_response())
}

/// A withdrawal as the patient sends it.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OwnWithdrawForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The consent's version, as shown.
    version: i64,
}

/// `POST /mina-sidor/samtycken/{consent}/aterkalla`: the patient withdraws a consent.
pub async fn own_withdraw(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(consent): Path<Uuid>,
    HtmlForm(f): HtmlForm<OwnWithdrawForm>,
) -> Result<Response, AppError> {
    let opened = open_own(
        &state,
        &ctx,
        &user,
        Action::Update,
        sip::OWN_CONSENT_RESOURCE,
    )
    .await?;
    let caller = ctx.caller(&user);
    sip::withdraw_consent(state.store(), &caller, &opened, consent, f.version, "")
        .await
        .for_user(&ctx)?;
    Ok(redirect(
        &state,
        "/mina-sidor/samtycken",
        Flash::ConsentWithdrawn,
        "",
    ))
}
