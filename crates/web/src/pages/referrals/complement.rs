//! The referrer's view of their referral and the complement loop: the answer typed by
//! the referrer, or taken by phone.

use crate::access::{Authed, PatientRoute};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response};
use axum::extract::State;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use trappa_app::clock::format_time;
use trappa_app::referrals::RESOURCE;
use trappa_policy::{Permission, allows};
use trappa_triage::Facts;

use super::*;

/// `GET /remisser/{id}`: one referral as its referrer sees it — status, decisions,
/// replies and letters, and the complement form when one is asked for.
pub async fn referrer_view(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (access, r) = open_referral(&state, &ctx, &user, id, Action::Read, RESOURCE).await?;
    render_referrer_view(&state, &ctx, &access, &r, &[]).await
}

pub(super) async fn render_referrer_view(
    state: &AppState,
    ctx: &Ctx,
    access: &trappa_store::patients::PatientAccess,
    r: &Referral,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    // The referrer sees a registered identity as they sent it, never the record's.
    let name = match trappa_store::referrals::name_as_sent(&r.details) {
        Some(sent) if access.basis() == trappa_policy::AccessBasis::OwnReferral => sent,
        _ => {
            let patient = state.store().patient(access).await?;
            format!(
                "{} {}",
                patient.current.data.given_name, patient.current.data.family_name
            )
        }
    };
    let facts: Facts = serde_json::from_str(r.current_facts()).unwrap_or_default();
    let attempt = facts.prior_attempt.clone().unwrap_or_default();
    let can_answer = allows(
        ctx.user
            .as_ref()
            .map(|u| u.role)
            .unwrap_or(trappa_policy::Role::Patient),
        Permission::ReadOwnReferrals,
    ) && r.awaiting_complement();
    let body = html! {
        p { a href="/remisser" { "← " (ctx.t(&M::REFERRALS_TITLE)) } }
        h1 { (ctx.t(&M::REFERRAL_TITLE)) ": " (name) }
        dl.facts {
            dt { (ctx.t(&M::REFERRAL_RECEIVED)) } dd { (format_time(r.received_at)) }
            dt { (ctx.t(&M::REFERRAL_STATUS)) } dd.referral-status { (status_text(ctx, r)) }
        }
        @if !r.decisions.is_empty() {
            h2 { (ctx.t(&M::REFERRAL_DECISIONS)) }
            ol.decisions { @for d in &r.decisions {
                li {
                    strong { @if let Some(dec) = parse_decision(Some(&d.decision)) { (decision_text(ctx, &dec)) } }
                    " · " (format_time(d.decided_at)) " · " (d.decided_by)
                    p.reply { (d.reply) }
                    @let missing = missing_list(ctx, &d.decision);
                    @if !missing.is_empty() { p { (ctx.t(&M::REFERRAL_QUESTIONS)) ": " (missing.join(", ")) } }
                    p {
                        a href={ "/remisser/" (r.id) "/svar/" (d.seq) } { (ctx.t(&M::LETTER_SHOW)) }
                        " · "
                        a href={ "/remisser/" (r.id) "/svar/" (d.seq) "/brev.pdf" } { (ctx.t(&M::LETTER_PDF)) }
                    }
                }
            } }
        }
        @if !r.complements.is_empty() {
            h2 { (ctx.t(&M::REFERRAL_COMPLEMENTS)) }
            ol { @for c in &r.complements {
                li { (format_time(c.answered_at)) " · " (c.answered_by) p { (c.answer) } }
            } }
        }
        @if can_answer {
            h2 #komplettering { (ctx.t(&M::REFERRAL_ANSWER)) }
            (error_summary(ctx, errors))
            form.complement-form method="post" action={ "/remisser/" (r.id) "/komplettering" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="expected" value=(r.complements.len());
                @let err = field_error(errors, "answer");
                div.field.field-error[err.is_some()] {
                    label for="answer" { (ctx.t(&M::REFERRAL_ANSWER_TEXT)) }
                    @if let Some(e) = err { p.error-message id="answer-error" { (e) } }
                    textarea #answer name="answer" rows="4" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "answer-error")] {}
                }
                fieldset { legend { (ctx.t(&M::REFERRAL_ATTEMPT)) }
                    (Field::text("attempt_drug", ctx.t(&M::REFERRAL_ATTEMPT_DRUG), &attempt.drug).autocomplete("off").render(errors))
                    (Field::text("attempt_period", ctx.t(&M::REFERRAL_ATTEMPT_PERIOD), &attempt.period).autocomplete("off").render(errors))
                    (Field::text("attempt_lowest", ctx.t(&M::REFERRAL_ATTEMPT_LOWEST), &attempt.lowest_dose).autocomplete("off").render(errors))
                    (Field::text("attempt_why", ctx.t(&M::REFERRAL_ATTEMPT_WHY), &attempt.why_stopped).autocomplete("off").render(errors))
                }
                button.button type="submit" { (ctx.t(&M::REFERRAL_ANSWER_SEND)) }
            }
        }
    };
    Ok(form_response(ctx, ctx.t(&M::REFERRAL_TITLE), body, errors))
}

/// The complement form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComplementForm {
    pub(super) expected: String,
    pub(super) answer: String,
    pub(super) attempt_drug: String,
    pub(super) attempt_period: String,
    pub(super) attempt_lowest: String,
    pub(super) attempt_why: String,
}

impl ComplementForm {
    /// The earlier attempt the answer completes.
    pub(super) fn attempt(&self) -> trappa_triage::PriorAttempt {
        referrals::attempt(
            &self.attempt_drug,
            &self.attempt_period,
            &self.attempt_lowest,
            &self.attempt_why,
        )
    }
}

/// `POST /remisser/{id}/komplettering`: the referrer answers; the referral goes back to
/// triage with the answer and the completed facts, and the clock runs again.
pub async fn answer_complement(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    HtmlForm(f): HtmlForm<ComplementForm>,
) -> Result<Response, AppError> {
    let (access, r) = open_referral(&state, &ctx, &user, id, Action::Update, RESOURCE).await?;
    let expected: i64 = f.expected.trim().parse().map_err(|_| AppError::Stale)?;
    let attempt = f.attempt();
    match referrals::complement(
        state.store(),
        &ctx.caller(&user),
        &access,
        &r,
        expected,
        &f.answer,
        attempt,
    )
    .await
    .for_user(&ctx)
    {
        Ok(_) => Ok(crate::flash::redirect(
            &state,
            &format!("/remisser/{id}"),
            crate::flash::Flash::ComplementSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            render_referrer_view(&state, &ctx, &access, &r, &errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /patienter/{id}/remiss/komplettering`: the triage team records an answer given
/// by phone — a self-referred patient's, or a referrer who called — under their own name;
/// the clock runs again.
pub async fn complement_by_phone(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<ComplementForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let expected: i64 = f.expected.trim().parse().map_err(|_| AppError::Stale)?;
    let r = state
        .store()
        .patient_referral(&opened.access)
        .await?
        .ok_or(AppError::NotFound)?;
    let attempt = f.attempt();
    match referrals::complement(
        state.store(),
        &ctx.caller(&user),
        &opened.access,
        &r,
        expected,
        &f.answer,
        attempt,
    )
    .await
    .for_user(&ctx)
    {
        Ok(_) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}/remiss"),
            crate::flash::Flash::ComplementSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => render(&state, &ctx, id, &opened, &errors).await,
        Err(e) => Err(e),
    }
}
