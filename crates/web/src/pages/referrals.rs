//! Referrals (issue 4, first part): a vårdcentral refers a patient with the structured
//! facts triage needs; the triage team sees the rules' proposal with its reasons and
//! decides; the referrer sees the status and the reply. The referral registers the
//! patient in the triage queue in the same transaction; every listing and every read of
//! a referral is logged.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use trappa_i18n::Locale;
use trappa_policy::{Permission, Queue, allows};
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::referrals::NewReferral;
use trappa_store::{StoreError, Uuid};
use trappa_triage::{
    Decision, Facts, Missing, PriorAttempt, Priority, Redirect as Target, ReferredDrug,
};

use crate::AppState;
use crate::access::{Authed, Can, ReadOwnReferrals, TriageReferrals, open_patient};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::i18n::M;
use crate::pages::audit::format_time;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, page};
use crate::pages::patients::PatientFields;

const RESOURCE: &str = "patient.referral";

/// What the referrer writes besides the facts triage uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Details {
    /// Other illnesses.
    pub comorbidities: String,
    /// Who prescribes now.
    pub prescriber: String,
    /// Anything else.
    pub free_text: String,
}

/// The referral form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    personal_identity: String,
    given_name: String,
    family_name: String,
    phone: String,
    drug1: String,
    dose1: String,
    months1: String,
    drug2: String,
    dose2: String,
    months2: String,
    attempt_drug: String,
    attempt_period: String,
    attempt_lowest: String,
    attempt_why: String,
    mixed: Option<String>,
    psychiatric: Option<String>,
    complex_pain: Option<String>,
    pregnant: Option<String>,
    comorbidities: String,
    prescriber: String,
    free_text: String,
}

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

/// `GET /remisser`: a referrer's own referrals, or the triage team's inbox.
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
) -> Result<Response, AppError> {
    let actor = ctx.actor();
    let own = allows(user.role, Permission::ReadOwnReferrals);
    if !own && !allows(user.role, Permission::TriageReferrals) {
        return Err(AppError::Forbidden);
    }
    let log = NewEntry::new(&actor, Action::Listed, "referrals.list");
    let rows = if own {
        state
            .store()
            .referrals_sent_by(user.account_id, &log)
            .await?
    } else {
        state.store().referral_inbox(&log).await?
    };
    let data = state.reference();
    let body = html! {
        h1 { (ctx.t(&M::REFERRALS_TITLE)) }
        @if own { p { a.button href="/remisser/ny" { (ctx.t(&M::REFERRAL_NEW)) } } }
        @if rows.is_empty() { p.muted { (ctx.t(&M::REFERRALS_NONE)) } }
        @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::NAME)) }
                    th scope="col" { (ctx.t(&M::REFERRAL_FROM)) }
                    th scope="col" { (ctx.t(&M::REFERRAL_RECEIVED)) }
                    th scope="col" { (ctx.t(&M::REFERRAL_STATUS)) }
                    @if own { th scope="col" { (ctx.t(&M::REFERRAL_REPLY)) } }
                    @else { th scope="col" { (ctx.t(&M::REFERRAL_PROPOSAL)) } }
                } }
                tbody { @for r in &rows { tr {
                    td { @if own { (r.name) } @else { a href={ "/patienter/" (r.patient_id) "/remiss" } { (r.name) } } }
                    td { (r.unit.as_deref().unwrap_or("")) }
                    td { (format_time(r.received_at)) }
                    td { @match parse_decision(r.decision.as_deref()) {
                        Some(d) => (decision_text(&ctx, &d)),
                        None => (ctx.t(&M::REFERRAL_AWAITING)),
                    } }
                    @if own { td { (r.reply.as_deref().unwrap_or("")) } }
                    @else { td { @if let Ok(f) = serde_json::from_str::<Facts>(&r.facts) {
                        (decision_text(&ctx, &trappa_triage::triage(&f, data).decision))
                    } } }
                } } }
            } }
        }
    };
    Ok(page(&ctx, ctx.t(&M::REFERRALS_TITLE), body).into_response())
}

fn checkbox(name: &'static str, label: &str, checked: bool) -> Markup {
    html! {
        div.checkbox {
            input id=(name) type="checkbox" name=(name) value="on" checked[checked];
            label for=(name) { (label) }
        }
    }
}

fn textarea(name: &'static str, label: &str, value: &str) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            textarea id=(name) name=(name) rows="3" { (value) }
        }
    }
}

fn form_page(state: &AppState, ctx: &Ctx, f: &ReferralForm, errors: &[FieldError]) -> Markup {
    let drug_select = |name: &'static str, value: &str| {
        let err = field_error(errors, name);
        html! {
            div.field.field-error[err.is_some()] {
                label for=(name) { (ctx.t(&M::TAPER_SUBSTANCE)) }
                @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
                select id=(name) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] {
                    option value="" { (ctx.t(&M::TAPER_NONE)) }
                    @for s in &state.reference().substances { option value=(s.id) selected[value == s.id] { (s.name) } }
                }
            }
        }
    };
    html! {
        h1 { (ctx.t(&M::REFERRAL_NEW)) }
        p.lead { (ctx.t(&M::REFERRAL_LEAD)) }
        (error_summary(ctx, errors))
        form.referral-form method="post" action="/remisser" novalidate {
            (csrf_field(ctx))
            fieldset { legend { (ctx.t(&M::REFERRAL_PATIENT)) }
                (Field::text("personal_identity", ctx.t(&M::PNR), &f.personal_identity).autocomplete("off").required().render(errors))
                (Field::text("given_name", ctx.t(&M::GIVEN_NAME), &f.given_name).autocomplete("off").required().render(errors))
                (Field::text("family_name", ctx.t(&M::FAMILY_NAME), &f.family_name).autocomplete("off").required().render(errors))
                (Field::text("phone", ctx.t(&M::PHONE), &f.phone).autocomplete("off").render(errors))
            }
            @for (n, (drug, dose, months)) in [("drug1", "dose1", "months1"), ("drug2", "dose2", "months2")].into_iter().enumerate() {
                fieldset { legend { (trappa_i18n::fill(ctx.t(&M::TAPER_DRUG_N), &[("n", &(n + 1).to_string())])) }
                    (drug_select(drug, if n == 0 { &f.drug1 } else { &f.drug2 }))
                    (Field::text(dose, ctx.t(&M::REFERRAL_DAILY_DOSE), if n == 0 { &f.dose1 } else { &f.dose2 }).autocomplete("off").render(errors))
                    (Field::text(months, ctx.t(&M::REFERRAL_MONTHS), if n == 0 { &f.months1 } else { &f.months2 }).autocomplete("off").render(errors))
                }
            }
            fieldset { legend { (ctx.t(&M::REFERRAL_ATTEMPT)) }
                (Field::text("attempt_drug", ctx.t(&M::REFERRAL_ATTEMPT_DRUG), &f.attempt_drug).autocomplete("off").render(errors))
                (Field::text("attempt_period", ctx.t(&M::REFERRAL_ATTEMPT_PERIOD), &f.attempt_period).autocomplete("off").render(errors))
                (Field::text("attempt_lowest", ctx.t(&M::REFERRAL_ATTEMPT_LOWEST), &f.attempt_lowest).autocomplete("off").render(errors))
                (Field::text("attempt_why", ctx.t(&M::REFERRAL_ATTEMPT_WHY), &f.attempt_why).autocomplete("off").render(errors))
            }
            fieldset { legend { (ctx.t(&M::REFERRAL_CIRCUMSTANCES)) }
                (checkbox("mixed", ctx.t(&M::REFERRAL_MIXED), f.mixed.is_some()))
                (checkbox("psychiatric", ctx.t(&M::REFERRAL_PSYCHIATRIC), f.psychiatric.is_some()))
                (checkbox("complex_pain", ctx.t(&M::REFERRAL_PAIN), f.complex_pain.is_some()))
                (checkbox("pregnant", ctx.t(&M::REFERRAL_PREGNANT), f.pregnant.is_some()))
            }
            (textarea("comorbidities", ctx.t(&M::REFERRAL_COMORBIDITIES), &f.comorbidities))
            (Field::text("prescriber", ctx.t(&M::REFERRAL_PRESCRIBER), &f.prescriber).autocomplete("off").render(errors))
            (textarea("free_text", ctx.t(&M::REFERRAL_FREE_TEXT), &f.free_text))
            button.button type="submit" { (ctx.t(&M::REFERRAL_SEND)) }
        }
    }
}

/// `GET /remisser/ny`
pub async fn new_form(
    State(state): State<AppState>,
    Can { ctx, .. }: Can<ReadOwnReferrals>,
) -> Result<Response, AppError> {
    Ok(page(
        &ctx,
        ctx.t(&M::REFERRAL_NEW),
        form_page(&state, &ctx, &ReferralForm::default(), &[]),
    )
    .into_response())
}

fn number(
    errors: &mut Vec<FieldError>,
    ctx: &Ctx,
    field: &'static str,
    value: &str,
) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match trappa_taper::amount::parse_decimal(v).filter(|x| *x > 0.0 && *x < 100_000.0) {
        Some(x) => Some(x),
        None => {
            errors.push(FieldError {
                field: field.into(),
                message: ctx.t(&M::SCORES_ERR_VALUE).to_owned(),
            });
            None
        }
    }
}

/// `POST /remisser`: registers the patient in the triage queue with the referral.
pub async fn send(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnReferrals>,
    HtmlForm(f): HtmlForm<ReferralForm>,
) -> Result<Response, AppError> {
    let fields = PatientFields {
        personal_identity: f.personal_identity.clone(),
        given_name: f.given_name.clone(),
        family_name: f.family_name.clone(),
        phone: f.phone.clone(),
        home_unit_id: user.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let patient = match fields.validate(&state, &ctx).await {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let mut drugs = Vec::new();
    for (drug, dose, months, dose_field, months_field) in [
        (&f.drug1, &f.dose1, &f.months1, "dose1", "months1"),
        (&f.drug2, &f.dose2, &f.months2, "dose2", "months2"),
    ] {
        let daily_dose = number(&mut errors, &ctx, dose_field, dose);
        let months = number(&mut errors, &ctx, months_field, months).map(|m| m as u32);
        if !drug.trim().is_empty() {
            drugs.push(ReferredDrug {
                substance: drug.trim().to_owned(),
                daily_dose,
                months,
            });
        }
    }
    if drugs.is_empty() {
        errors.push(FieldError {
            field: "drug1".into(),
            message: ctx.t(&M::REQUIRED).to_owned(),
        });
    }
    let (Some(patient), true) = (patient, errors.is_empty()) else {
        let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok((
            status,
            page(
                &ctx,
                ctx.t(&M::REFERRAL_NEW),
                form_page(&state, &ctx, &f, &errors),
            ),
        )
            .into_response());
    };
    let attempt = PriorAttempt {
        drug: f.attempt_drug.trim().to_owned(),
        period: f.attempt_period.trim().to_owned(),
        lowest_dose: f.attempt_lowest.trim().to_owned(),
        why_stopped: f.attempt_why.trim().to_owned(),
    };
    let facts = Facts {
        age: Some(
            u32::try_from(patient.personal_identity.age_on(jiff::Zoned::now().date())).unwrap_or(0),
        ),
        drugs,
        prior_attempt: (attempt != PriorAttempt::default()).then_some(attempt),
        mixed_substance_use: f.mixed.is_some(),
        primary_psychiatric_illness: f.psychiatric.is_some(),
        complex_pain: f.complex_pain.is_some(),
        pregnant: f.pregnant.is_some(),
    };
    let details = Details {
        comorbidities: f.comorbidities.trim().to_owned(),
        prescriber: f.prescriber.trim().to_owned(),
        free_text: f.free_text.trim().to_owned(),
    };
    let facts_json = serde_json::to_string(&facts).map_err(|e| AppError::Internal(e.into()))?;
    let details_json = serde_json::to_string(&details).map_err(|e| AppError::Internal(e.into()))?;
    let actor = ctx.actor();
    let log = NewEntry::new(&actor, Action::Create, RESOURCE);
    let referral = NewReferral {
        facts: &facts_json,
        details: &details_json,
        referrer: user.account_id,
        unit: user.unit_id,
    };
    match state
        .store()
        .create_referral(&patient, &referral, &log)
        .await
    {
        Ok(_) => Ok(Redirect::to("/remisser").into_response()),
        Err(StoreError::Duplicate(_)) => {
            let errors = vec![FieldError {
                field: "personal_identity".into(),
                message: ctx.t(&M::REFERRAL_ALREADY).to_owned(),
            }];
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok((
                status,
                page(
                    &ctx,
                    ctx.t(&M::REFERRAL_NEW),
                    form_page(&state, &ctx, &f, &errors),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn missing_text(ctx: &Ctx, m: Missing) -> &'static str {
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
pub async fn show(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<TriageReferrals>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, RESOURCE).await?;
    render(&state, &ctx, id, &opened, &[]).await
}

async fn render(
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
            let facts: Facts =
                serde_json::from_str(&r.facts).map_err(|e| AppError::Internal(e.into()))?;
            let details: Details = serde_json::from_str(&r.details).unwrap_or_default();
            let proposal = trappa_triage::triage(&facts, state.reference());
            html! {
                p { a href={ "/patienter/" (id) } { "← " (name) } }
                h1 { (ctx.t(&M::REFERRAL_TITLE)) ": " (name) }
                p { (r.referrer) @if let Some(u) = &r.unit { ", " (u) } ", " (format_time(r.received_at)) }
                h2 { (ctx.t(&M::REFERRAL_FACTS)) }
                ul {
                    @for d in &facts.drugs {
                        li { (d.substance) @if let Some(x) = d.daily_dose { ", " (x) " mg/dygn" } @if let Some(m) = d.months { ", " (m) " mån" } }
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
                             @if let Some(dec) = parse_decision(Some(&d.decision)) { (decision_text(ctx, &dec)) } " – " (d.reply) }
                    } }
                }
                h2 { (ctx.t(&M::REFERRAL_DECIDE)) }
                (error_summary(ctx, errors))
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
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(ctx, ctx.t(&M::REFERRAL_TITLE), body)).into_response())
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    referral: String,
    expected: String,
    decision: String,
    reply: String,
}

/// `POST /patienter/{id}/remiss/beslut`: the decision, the reply, the patient's queue.
pub async fn decide(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<TriageReferrals>,
    Path(id): Path<Uuid>,
    HtmlForm(f): HtmlForm<DecisionForm>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, RESOURCE).await?;
    let referral: Uuid = f.referral.trim().parse().map_err(|_| AppError::NotFound)?;
    let expected: i64 = f.expected.trim().parse().map_err(|_| AppError::Stale)?;
    if f.reply.trim().is_empty() {
        let errors = vec![FieldError {
            field: "reply".into(),
            message: ctx.t(&M::REQUIRED).to_owned(),
        }];
        return render(&state, &ctx, id, &opened, &errors).await;
    }
    let current = state
        .store()
        .patient_referral(&opened.access)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts: Facts =
        serde_json::from_str(&current.facts).map_err(|e| AppError::Internal(e.into()))?;
    let (decision, queue) = match f.decision.as_str() {
        "accept" => (
            Decision::Accept {
                priority: Priority::Normal,
            },
            Some(Queue::Waiting),
        ),
        "accept_high" => (
            Decision::Accept {
                priority: Priority::High,
            },
            Some(Queue::Waiting),
        ),
        "complement" => {
            let missing = match trappa_triage::triage(&facts, state.reference()).decision {
                Decision::Complement { missing } => missing,
                _ => Vec::new(),
            };
            (Decision::Complement { missing }, Some(Queue::Triage))
        }
        "decline" => (Decision::Decline, None),
        other => match other.strip_prefix("redirect:").and_then(|t| {
            serde_json::from_value::<Target>(serde_json::Value::String(t.to_owned())).ok()
        }) {
            Some(to) => (Decision::Redirect { to }, None),
            None => {
                return Err(AppError::Invalid(vec![FieldError {
                    field: "decision".into(),
                    message: ctx.t(&M::REQUIRED).to_owned(),
                }]));
            }
        },
    };
    let json = serde_json::to_string(&decision).map_err(|e| AppError::Internal(e.into()))?;
    let actor = ctx.actor();
    let log = NewEntry::new(&actor, Action::Update, RESOURCE);
    match state
        .store()
        .decide_referral(
            &opened.access,
            referral,
            expected,
            &json,
            f.reply.trim(),
            user.account_id,
            queue,
            &log,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/patienter/{id}/remiss")).into_response()),
        Err(StoreError::Stale) => Err(AppError::Stale),
        Err(e) => Err(e.into()),
    }
}
