//! Self-referral: a public page in plain Swedish where a person refers themself, without
//! signing in. The clinical core is the vårdcentral's form; the referral arrives in the
//! same triage queue, authored by the self-referral account.
//!
//! Abuse is held off three ways: a honeypot field people never see (a filled one gets
//! the ordinary receipt and stores nothing), a rate limit per client address and one for
//! the whole form (counted from the access log, so restarts do not reset them), and the
//! CSRF token every form carries. The receipt is the same whether the person was already
//! known to the unit or not, so the form reveals nothing about who is a patient.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_store::Uuid;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::referrals::{NewReferral, SELF_REFERRAL_ACCOUNT, SELF_REFERRAL_RESOURCE};

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::HtmlForm;
use crate::i18n::{C, M};
use crate::pages::layout::page;
use crate::pages::referrals::{
    FormMode, ReferralForm, form_page, parse_referral, reference_number,
};

/// The window the limits count over, in minutes (the `Retry-After` of a refusal).
pub const WINDOW_MINUTES: i64 = 60;
/// Self-referrals accepted from one client address per hour.
pub const PER_ADDRESS_PER_HOUR: i64 = 3;
/// Self-referrals accepted per hour in all: beyond this the form asks people to call.
pub const PER_HOUR: i64 = 60;

/// `GET /egenremiss`
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    page(
        &ctx,
        ctx.t(&M::SELF_REFERRAL_TITLE),
        form_page(
            &state,
            &ctx,
            &ReferralForm::default(),
            &[],
            FormMode::SelfReferral,
        ),
    )
    .into_response()
}

/// The receipt, with the referral's reference number (a made-up one when nothing was
/// stored, so the receipt never tells what happened).
fn receipt(ctx: &Ctx, reference: &str) -> Response {
    let body = html! {
        h1 { (ctx.t(&M::SELF_REFERRAL_THANKS)) }
        p.lead { strong { (trappa_i18n::fill(ctx.t(&C::REFERENCE_NUMBER), &[("reference", reference)])) } }
        p { (ctx.t(&C::SELF_REFERRAL_KEEP_REFERENCE)) }
        h2 { (ctx.t(&M::SELF_REFERRAL_NEXT_TITLE)) }
        ol.steps {
            li { (ctx.t(&M::SELF_REFERRAL_NEXT_1)) }
            li { (ctx.t(&M::SELF_REFERRAL_NEXT_2)) }
            li { (ctx.t(&M::SELF_REFERRAL_NEXT_3)) }
        }
        p { (ctx.t(&M::SELF_REFERRAL_KEEP_TAKING)) }
        p { (ctx.t(&M::SELF_REFERRAL_URGENT)) }
    };
    page(ctx, ctx.t(&M::SELF_REFERRAL_THANKS), body).into_response()
}

/// `POST /egenremiss`
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    HtmlForm(f): HtmlForm<ReferralForm>,
) -> Result<Response, AppError> {
    if !f.website.trim().is_empty() {
        tracing::info!(request_id = %ctx.request_id, "self-referral honeypot filled; nothing stored");
        return Ok(receipt(&ctx, &reference_number(Uuid::now_v7())));
    }
    let hour_ago = trappa_store::now() - jiff::SignedDuration::from_mins(WINDOW_MINUTES);
    let store = state.store();
    if store
        .self_referrals_since(ctx.client_ip.as_deref(), hour_ago)
        .await?
        >= PER_ADDRESS_PER_HOUR
        || store.self_referrals_since(None, hour_ago).await? >= PER_HOUR
    {
        return Err(AppError::TooManyRequests(
            crate::error::Throttle::SelfReferral,
        ));
    }
    let parsed = match parse_referral(&state, &ctx, &f, None, FormMode::SelfReferral).await {
        Ok(p) => p,
        Err(errors) => {
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &ctx,
                    ctx.t(&M::SELF_REFERRAL_TITLE),
                    form_page(&state, &ctx, &f, &errors, FormMode::SelfReferral),
                ),
            )
                .into_response());
        }
    };
    let (facts, details) = parsed.json()?;
    let mut actor = ctx.anonymous_actor("egenremiss");
    actor.account_id = Some(SELF_REFERRAL_ACCOUNT);
    let log = NewEntry::new(&actor, Action::Create, SELF_REFERRAL_RESOURCE);
    let referral = NewReferral {
        facts: &facts,
        details: &details,
        referrer: SELF_REFERRAL_ACCOUNT,
        unit: None,
    };
    // A person already known to the unit gets the same receipt; the referral is kept
    // (triaged again, or shown to the care team) and its creation flagged in the log.
    let (referral_id, _, _) = store
        .create_referral(&parsed.patient, &referral, &log)
        .await?;
    Ok(receipt(&ctx, &reference_number(referral_id)))
}
