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

use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::i18n::{C, M};
use crate::pages::layout::page;
use crate::pages::referrals::referral_form;
use crate::state::AppState;
use trappa_app::clock::today;
use trappa_app::referrals::{self, ReferralInput, SelfReferral, Sender};

/// `GET /egenremiss`
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    page(
        &ctx,
        ctx.t(&M::SELF_REFERRAL_TITLE),
        referral_form(
            &state,
            &ctx,
            &ReferralInput::default(),
            &[],
            Sender::Patient,
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
    HtmlForm(f): HtmlForm<ReferralInput>,
) -> Result<Response, AppError> {
    let sent = referrals::self_refer(
        state.store(),
        state.reference(),
        &ctx.anonymous_actor("egenremiss"),
        &f,
        today(),
    )
    .await;
    match sent {
        Ok(SelfReferral::Received(number)) => Ok(receipt(&ctx, &number)),
        Err(trappa_app::Error::Invalid(faults)) => {
            let errors = FieldError::from_faults(&faults, ctx.locale);
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &ctx,
                    ctx.t(&M::SELF_REFERRAL_TITLE),
                    referral_form(&state, &ctx, &f, &errors, Sender::Patient),
                ),
            )
                .into_response())
        }
        Err(e) => Err(AppError::from_app(e, ctx.locale)),
    }
}
