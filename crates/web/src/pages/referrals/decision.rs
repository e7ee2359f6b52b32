//! One referral for the triage team: the facts, the rules' proposal, and the decision.

use crate::access::PatientRoute;
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response};
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use trappa_app::clock::format_time;
use trappa_app::referrals::RESOURCE;
use trappa_app::referrals::{self, Details};
use trappa_i18n::Locale;
use trappa_triage::{Decision, Facts, Missing, Redirect as Target};

use super::*;

pub(super) fn missing_text(ctx: &Ctx, m: Missing) -> &'static str {
    use trappa_triage::T;
    let l: Locale = ctx.locale;
    match m {
        Missing::AttemptDrug => T::Q_DRUG.get(l),
        Missing::AttemptPeriod => T::Q_PERIOD.get(l),
        Missing::AttemptLowestDose => T::Q_LOWEST.get(l),
        Missing::AttemptWhyStopped => T::Q_WHY.get(l),
        Missing::Age => T::Q_AGE.get(l),
    }
}

/// `GET /patienter/{id}/remiss`: the referral, the rules' proposal, the decisions.
pub async fn show(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let (state, ctx, _, id) = route.into_parts();
    render(&state, &ctx, id, &opened, &[]).await
}

pub(super) async fn render(
    state: &AppState,
    ctx: &Ctx,
    id: Uuid,
    opened: &crate::access::OpenedPatient,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let referral = state.store().patient_referral(&opened.access).await?;
    let patient = state.store().patient(&opened.access).await?;
    let name = format!(
        "{} {}",
        patient.current.data.given_name, patient.current.data.family_name
    );
    let body = match &referral {
        None => {
            html! { h1 { (ctx.t(&M::REFERRAL_TITLE)) ": " (name) } p { (ctx.t(&M::REFERRALS_NONE)) } }
        }
        Some(r) => {
            let facts: Facts = serde_json::from_str(r.current_facts())
                .map_err(|e| AppError::Internal(e.into()))?;
            let details: Details = serde_json::from_str(&r.details).unwrap_or_default();
            let proposal = trappa_triage::triage(&facts, state.reference());
            html! {
                (crate::pages::patients::strip(ctx, &patient, opened))
                h1 { (ctx.t(&M::REFERRAL_TITLE)) ": " (name) }
                p { (r.referrer) @if let Some(u) = &r.unit { ", " (u) } ", " (format_time(r.received_at)) }
                p.referral-status { strong { (ctx.t(&M::REFERRAL_STATUS)) ": " } (status_text(ctx, r)) }
                @if r.is_self_referral() {
                    (crate::pages::layout::notice(&format!("{} {}: {}", ctx.t(&M::REFERRAL_SELF_CONTACT), ctx.t(&M::PHONE), patient.current.data.phone.as_deref().unwrap_or("–"))))
                }
                h2 { (ctx.t(&M::REFERRAL_FACTS)) }
                ul {
                    @for d in &facts.drugs {
                        li { (d.substance) @if let Some(x) = d.daily_dose { ", " (trappa_i18n::format::exact(x, 2, ctx.locale)) " mg/" (ctx.t(&M::PER_DAY)) } @if let Some(m) = d.months { ", " (trappa_i18n::format::months(i64::from(m), ctx.locale)) } }
                    }
                    @match &facts.prior_attempt {
                        Some(a) => li { (ctx.t(&M::REFERRAL_ATTEMPT)) ": " (a.drug) ", " (a.period) ", " (a.lowest_dose) ", " (a.why_stopped) },
                        None => li { (ctx.t(&M::REFERRAL_NO_ATTEMPT)) },
                    }
                    @if !details.comorbidities.is_empty() { li { (ctx.t(&M::REFERRAL_COMORBIDITIES)) ": " (details.comorbidities) } }
                    @if !details.prescriber.is_empty() { li { (ctx.t(&M::REFERRAL_PRESCRIBER)) ": " (details.prescriber) } }
                    @if !details.free_text.is_empty() { li { (details.free_text) } }
                }
                section.proposal aria-labelledby="triage-h" {
                    h2 #triage-h { (ctx.t(&M::REFERRAL_PROPOSAL)) ": " (decision_text(ctx, &proposal.decision)) }
                    ul { @for reason in &proposal.reasons { li { (reason.message(ctx.locale)) } } }
                    @if let Decision::Complement { missing } = &proposal.decision {
                        p { (ctx.t(&M::REFERRAL_ASK_FOR)) ": " (missing.iter().map(|m| missing_text(ctx, *m)).collect::<Vec<_>>().join(", ")) }
                    }
                }
                @if !r.decisions.is_empty() {
                    h2 { (ctx.t(&M::REFERRAL_DECISIONS)) }
                    ul { @for d in &r.decisions {
                        li { (format_time(d.decided_at)) ", " (d.decided_by) ": "
                             @if let Some(dec) = parse_decision(Some(&d.decision)) { (decision_text(ctx, &dec)) } " – " (d.reply)
                             " (" a href={ "/remisser/" (r.id) "/svar/" (d.seq) } { (ctx.t(&M::LETTER_SHOW)) } ")" }
                    } }
                }
                @if !r.complements.is_empty() {
                    h2 { (ctx.t(&M::REFERRAL_COMPLEMENTS)) }
                    ul { @for c in &r.complements {
                        li { (format_time(c.answered_at)) ", " (c.answered_by) ": " (c.answer) }
                    } }
                }
                @if r.awaiting_complement() {
                    section.complement-by-phone aria-labelledby="phone-h" {
                        h2 #phone-h { (ctx.t(&M::REFERRAL_PHONE_ANSWER)) }
                        p.hint { (ctx.t(&M::REFERRAL_PHONE_ANSWER_HINT)) }
                        form.phone-complement-form method="post" action={ "/patienter/" (id) "/remiss/komplettering" } novalidate {
                            (csrf_field(ctx))
                            input type="hidden" name="expected" value=(r.complements.len());
                            @let err = field_error(errors, "answer");
                            div.field.field-error[err.is_some()] {
                                label for="phone-answer" { (ctx.t(&M::REFERRAL_ANSWER_TEXT)) }
                                @if let Some(e) = err { p.error-message id="phone-answer-error" { (e) } }
                                textarea #phone-answer name="answer" rows="3" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "phone-answer-error")] {}
                            }
                            (Field::text("attempt_drug", ctx.t(&M::REFERRAL_ATTEMPT_DRUG), "").autocomplete("off").render(errors))
                            (Field::text("attempt_period", ctx.t(&M::REFERRAL_ATTEMPT_PERIOD), "").autocomplete("off").render(errors))
                            (Field::text("attempt_lowest", ctx.t(&M::REFERRAL_ATTEMPT_LOWEST), "").autocomplete("off").render(errors))
                            (Field::text("attempt_why", ctx.t(&M::REFERRAL_ATTEMPT_WHY), "").autocomplete("off").render(errors))
                            button.button type="submit" { (ctx.t(&M::REFERRAL_ANSWER_SEND)) }
                        }
                    }
                }
                h2 { (ctx.t(&M::REFERRAL_DECIDE)) }
                @if !r.awaiting_complement() { (error_summary(ctx, errors)) }
                form.decision-form method="post" action={ "/patienter/" (id) "/remiss/beslut" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="referral" value=(r.id);
                    input type="hidden" name="expected" value=(r.decisions.len());
                    div.field {
                        label for="decision" { (ctx.t(&M::REFERRAL_DECISION)) }
                        select #decision name="decision" {
                            option value="accept" { (ctx.t(&M::REFERRAL_ACCEPTED)) }
                            option value="accept_high" { (ctx.t(&M::REFERRAL_ACCEPTED_HIGH)) }
                            option value="complement" { (ctx.t(&M::REFERRAL_COMPLEMENT)) }
                            option value="decline" { (ctx.t(&M::REFERRAL_DECLINED)) }
                            @for t in [Target::AddictionCare, Target::Psychiatry, Target::PainTeam, Target::SocialServices] {
                                option value={ "redirect:" (serde_json::to_value(t).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()) } {
                                    (ctx.t(&M::REFERRAL_REDIRECTED)) ": " (target_text(ctx, t))
                                }
                            }
                        }
                    }
                    @let err = field_error(errors, "reply");
                    div.field.field-error[err.is_some()] {
                        label for="reply" { (ctx.t(&M::REFERRAL_REPLY)) }
                        @if let Some(e) = err { p.error-message id="reply-error" { (e) } }
                        textarea #reply name="reply" rows="4" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "reply-error")] {}
                    }
                    button.button type="submit" { (ctx.t(&M::REFERRAL_DECIDE)) }
                }
            }
        }
    };
    Ok(form_response(ctx, ctx.t(&M::REFERRAL_TITLE), body, errors))
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub(super) referral: String,
    pub(super) expected: String,
    pub(super) decision: String,
    pub(super) reply: String,
}

/// `POST /patienter/{id}/remiss/beslut`: the decision, the reply, the patient's queue.
pub async fn decide(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<DecisionForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let referral: Uuid = f.referral.trim().parse().map_err(|_| AppError::NotFound)?;
    let expected: i64 = f.expected.trim().parse().map_err(|_| AppError::Stale)?;
    match referrals::decide(
        state.store(),
        state.reference(),
        &ctx.caller(&user),
        &opened.access,
        referral,
        expected,
        &f.decision,
        &f.reply,
    )
    .await
    .for_user(&ctx)
    {
        Ok(_) => {
            // Once accepted, the patient waits: a role that does not handle the waiting
            // list no longer reads the referral, so it returns to the inbox.
            let accepted = f.decision.starts_with("accept");
            let target = if accepted && !trappa_policy::Queue::Waiting.handled_by(user.role) {
                "/remisser?sparat=beslut".to_owned()
            } else {
                format!("/remisser/{referral}")
            };
            Ok(crate::flash::redirect(
                &state,
                &target,
                crate::flash::Flash::DecisionSaved,
                "",
            ))
        }
        Err(AppError::Invalid(errors)) if errors.iter().any(|e| e.field == "reply") => {
            render(&state, &ctx, id, &opened, &errors).await
        }
        Err(e) => Err(e),
    }
}

pub(super) fn missing_list(ctx: &Ctx, decision: &str) -> Vec<&'static str> {
    match parse_decision(Some(decision)) {
        Some(Decision::Complement { missing }) => {
            missing.iter().map(|m| missing_text(ctx, *m)).collect()
        }
        _ => Vec::new(),
    }
}
