//! Referrals (issue 4, first part): a vårdcentral refers a patient with the structured
//! facts triage needs; the triage team sees the rules' proposal with its reasons and
//! decides; the referrer sees the status and the reply. The referral registers the
//! patient in the triage queue in the same transaction; every listing and every read of
//! a referral is logged.

use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::referrals::Referral;
use trappa_triage::{Decision, Priority, Redirect as Target};

use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::i18n::M;
use crate::state::AppState;
use trappa_app::referrals::{self};

mod complement;
mod decision;
mod form;
mod inbox;
mod letters;
pub use complement::*;
pub use decision::*;
pub use form::*;
pub use inbox::*;
pub use letters::*;

fn decision_text(ctx: &Ctx, d: &Decision) -> String {
    match d {
        Decision::Accept {
            priority: Priority::High,
        } => ctx.t(&M::REFERRAL_ACCEPTED_HIGH).to_owned(),
        Decision::Accept {
            priority: Priority::Normal,
        } => ctx.t(&M::REFERRAL_ACCEPTED).to_owned(),
        Decision::Complement { .. } => ctx.t(&M::REFERRAL_COMPLEMENT).to_owned(),
        Decision::Decline => ctx.t(&M::REFERRAL_DECLINED).to_owned(),
        Decision::Redirect { to } => format!(
            "{}: {}",
            ctx.t(&M::REFERRAL_REDIRECTED),
            target_text(ctx, *to)
        ),
    }
}

fn target_text(ctx: &Ctx, t: Target) -> &'static str {
    match t {
        Target::AddictionCare => ctx.t(&M::TARGET_ADDICTION),
        Target::Psychiatry => ctx.t(&M::TARGET_PSYCHIATRY),
        Target::PainTeam => ctx.t(&M::TARGET_PAIN),
        Target::SocialServices => ctx.t(&M::TARGET_SOCIAL),
    }
}

fn parse_decision(json: Option<&str>) -> Option<Decision> {
    json.and_then(|j| serde_json::from_str(j).ok())
}

/// A referral opened by its id ([`trappa_app::referrals::open`]), a write's held-back
/// log entry handed to the request.
pub async fn open_referral(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    referral: Uuid,
    action: Action,
    resource: &str,
) -> Result<(trappa_store::patients::PatientAccess, Referral), AppError> {
    let caller = ctx.caller(user);
    let opened = referrals::open(state.store(), &caller, referral, action, resource).await;
    let opened = crate::access::keep_deferred(ctx, opened)?;
    let r = referrals::load(state.store(), &opened, referral)
        .await
        .for_user(ctx)?;
    Ok((opened.access, r))
}

/// The status line of a referral, for the referrer and the inbox.
pub fn status_text(ctx: &Ctx, r: &Referral) -> String {
    if r.awaiting_complement() {
        return ctx.t(&M::REFERRAL_COMPLEMENT).to_owned();
    }
    if r.complements.last().map(|c| c.answered_at) >= r.decisions.last().map(|d| d.decided_at)
        && !r.complements.is_empty()
    {
        return ctx.t(&M::REFERRAL_COMPLEMENTED).to_owned();
    }
    match r
        .decisions
        .last()
        .and_then(|d| parse_decision(Some(&d.decision)))
    {
        Some(d) => decision_text(ctx, &d),
        None => ctx.t(&M::REFERRAL_AWAITING).to_owned(),
    }
}
