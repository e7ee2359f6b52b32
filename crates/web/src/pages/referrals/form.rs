//! The referral form: a vårdcentral's referral as typed, refused with every fault named
//! and everything typed kept.

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::i18n::{C, M};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, page};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use trappa_app::clock::today;
use trappa_app::referrals::{self, ReferralInput, Sender};

pub(super) fn checkbox(name: &'static str, label: &str, checked: bool) -> Markup {
    html! {
        div.checkbox {
            input id=(name) type="checkbox" name=(name) value="on" checked[checked];
            label for=(name) { (label) }
        }
    }
}

pub(super) fn textarea(name: &'static str, label: &str, value: &str) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            textarea id=(name) name=(name) rows="3" { (value) }
        }
    }
}

/// The referral form, for a vårdcentral or for the patient themself (plain words, a
/// required phone number, the honeypot).
pub fn referral_form(
    state: &AppState,
    ctx: &Ctx,
    f: &ReferralInput,
    errors: &[FieldError],
    mode: Sender,
) -> Markup {
    let own = mode == Sender::Patient;
    let action = if own { "/egenremiss" } else { "/remisser" };
    // The patient knows the package, not the substance: "oxazepam (Oxascand)".
    let reference = state.reference();
    let option_label = |s: &trappa_taper::reference::Substance| {
        let mut brands: Vec<&str> = reference
            .products
            .iter()
            .filter(|p| {
                p.substance == s.id && p.kind == trappa_taper::reference::ProductKind::Registered
            })
            .filter_map(|p| p.name.split_whitespace().next())
            .filter(|b| !b.contains('/') && !b.eq_ignore_ascii_case(&s.name))
            .collect();
        brands.dedup();
        if brands.is_empty() {
            s.name.clone()
        } else {
            format!("{} ({})", s.name, brands.join(", "))
        }
    };
    let says = |vardcentral: &'static crate::i18n::Msg, patient: &'static crate::i18n::Msg| {
        ctx.t(if own { patient } else { vardcentral })
    };
    let drug_select = |name: &'static str, value: &str| {
        let err = field_error(errors, name);
        html! {
            div.field.field-error[err.is_some()] {
                label for=(name) { (says(&M::TAPER_SUBSTANCE, &C::SR_SUBSTANCE)) }
                @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
                select id=(name) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] {
                    option value="" { (ctx.t(&M::TAPER_NONE)) }
                    @for s in &reference.substances { option value=(s.id) selected[value == s.id] { (option_label(s)) } }
                }
            }
        }
    };
    html! {
        @if own {
            h1 { (ctx.t(&M::SELF_REFERRAL_TITLE)) }
            p.lead { (ctx.t(&M::SELF_REFERRAL_LEAD)) }
            p { (ctx.t(&M::SELF_REFERRAL_URGENT)) }
        } @else {
            h1 { (ctx.t(&M::REFERRAL_NEW)) }
            p.lead { (ctx.t(&M::REFERRAL_LEAD)) }
        }
        (error_summary(ctx, errors))
        form.referral-form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            @if own {
                // People never see this field; bots fill it in.
                div.honeypot aria-hidden="true" {
                    label for="website" { "Webbplats" }
                    input #website type="text" name="website" tabindex="-1" autocomplete="off" value=(f.website);
                }
            }
            fieldset { legend { (ctx.t(if own { &M::SELF_REFERRAL_ABOUT_YOU } else { &M::REFERRAL_PATIENT })) }
                (Field::text("personal_identity", ctx.t(&M::PNR), &f.personal_identity).autocomplete("off").required().render(errors))
                (Field::text("given_name", ctx.t(&M::GIVEN_NAME), &f.given_name).autocomplete(if own { "given-name" } else { "off" }).required().render(errors))
                (Field::text("family_name", ctx.t(&M::FAMILY_NAME), &f.family_name).autocomplete(if own { "family-name" } else { "off" }).required().render(errors))
                @if own {
                    (Field::text("phone", ctx.t(&M::PHONE), &f.phone).kind("tel").autocomplete("tel").hint(ctx.t(&M::SELF_REFERRAL_PHONE_HINT)).required().render(errors))
                    (Field::text("email", ctx.t(&M::EMAIL), &f.email).kind("email").autocomplete("email").render(errors))
                } @else {
                    (Field::text("phone", ctx.t(&M::PHONE), &f.phone).autocomplete("off").render(errors))
                }
            }
            @for (n, (drug, dose, months)) in [("drug1", "dose1", "months1"), ("drug2", "dose2", "months2")].into_iter().enumerate() {
                fieldset { legend { (trappa_i18n::fill(ctx.t(&M::TAPER_DRUG_N), &[("n", &(n + 1).to_string())])) }
                    (drug_select(drug, if n == 0 { &f.drug1 } else { &f.drug2 }))
                    (Field::text(dose, says(&M::REFERRAL_DAILY_DOSE, &C::SR_DAILY_DOSE), if n == 0 { &f.dose1 } else { &f.dose2 }).autocomplete("off").render(errors))
                    (Field::text(months, says(&M::REFERRAL_MONTHS, &C::SR_MONTHS), if n == 0 { &f.months1 } else { &f.months2 }).autocomplete("off").render(errors))
                }
            }
            fieldset { legend { (ctx.t(if own { &M::SELF_REFERRAL_ATTEMPT } else { &M::REFERRAL_ATTEMPT })) }
                (Field::text("attempt_drug", ctx.t(&M::REFERRAL_ATTEMPT_DRUG), &f.attempt_drug).autocomplete("off").render(errors))
                (Field::text("attempt_period", ctx.t(&M::REFERRAL_ATTEMPT_PERIOD), &f.attempt_period).autocomplete("off").render(errors))
                (Field::text("attempt_lowest", ctx.t(&M::REFERRAL_ATTEMPT_LOWEST), &f.attempt_lowest).autocomplete("off").render(errors))
                (Field::text("attempt_why", ctx.t(&M::REFERRAL_ATTEMPT_WHY), &f.attempt_why).autocomplete("off").render(errors))
            }
            fieldset { legend { (says(&M::REFERRAL_CIRCUMSTANCES, &C::SR_CIRCUMSTANCES)) }
                (checkbox("mixed", says(&M::REFERRAL_MIXED, &C::SR_MIXED), f.mixed.is_some()))
                (checkbox("psychiatric", says(&M::REFERRAL_PSYCHIATRIC, &C::SR_PSYCHIATRIC), f.psychiatric.is_some()))
                (checkbox("complex_pain", says(&M::REFERRAL_PAIN, &C::SR_PAIN), f.complex_pain.is_some()))
                (checkbox("pregnant", says(&M::REFERRAL_PREGNANT, &C::SR_PREGNANT), f.pregnant.is_some()))
            }
            (textarea("comorbidities", says(&M::REFERRAL_COMORBIDITIES, &C::SR_COMORBIDITIES), &f.comorbidities))
            (Field::text("prescriber", ctx.t(if own { &M::SELF_REFERRAL_PRESCRIBER } else { &M::REFERRAL_PRESCRIBER }), &f.prescriber).autocomplete("off").render(errors))
            (textarea("free_text", ctx.t(if own { &M::SELF_REFERRAL_FREE_TEXT } else { &M::REFERRAL_FREE_TEXT }), &f.free_text))
            @if own { p { (ctx.t(&M::SELF_REFERRAL_CONSENT)) } }
            button.button type="submit" { (ctx.t(&M::REFERRAL_SEND)) }
        }
    }
}

/// `GET /remisser/ny`
pub async fn new_form(
    State(state): State<AppState>,
    Authed { ctx, .. }: Authed,
) -> Result<Response, AppError> {
    Ok(page(
        &ctx,
        ctx.t(&M::REFERRAL_NEW),
        referral_form(
            &state,
            &ctx,
            &ReferralInput::default(),
            &[],
            Sender::Vardcentral,
        ),
    )
    .into_response())
}

pub(super) fn invalid_form(
    state: &AppState,
    ctx: &Ctx,
    f: &ReferralInput,
    errors: &[FieldError],
) -> Response {
    (
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        page(
            ctx,
            ctx.t(&M::REFERRAL_NEW),
            referral_form(state, ctx, f, errors, Sender::Vardcentral),
        ),
    )
        .into_response()
}

/// `POST /remisser`: registers the patient in the triage queue with the referral.
pub async fn send(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<ReferralInput>,
) -> Result<Response, AppError> {
    let sent = referrals::send(
        state.store(),
        state.reference(),
        &ctx.caller(&user),
        &f,
        today(),
    )
    .await;
    match sent {
        Ok(referral_id) => Ok(crate::flash::redirect(
            &state,
            "/remisser",
            crate::flash::Flash::ReferralSent,
            &referrals::reference_number(referral_id),
        )),
        Err(trappa_app::Error::Invalid(faults)) => Ok(invalid_form(
            &state,
            &ctx,
            &f,
            &FieldError::from_faults(&faults, ctx.locale),
        )),
        Err(e) => Err(AppError::from_app(e, ctx.locale)),
    }
}
