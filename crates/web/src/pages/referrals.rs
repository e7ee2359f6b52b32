//! Referrals (issue 4, first part): a vårdcentral refers a patient with the structured
//! facts triage needs; the triage team sees the rules' proposal with its reasons and
//! decides; the referrer sees the status and the reply. The referral registers the
//! patient in the triage queue in the same transaction; every listing and every read of
//! a referral is logged.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_i18n::Locale;
use trappa_policy::{Permission, allows};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::patients::Address;
use trappa_store::referrals::Referral;
use trappa_triage::{Decision, Facts, Missing, Priority, Redirect as Target};

use crate::AppState;
use crate::access::{Authed, Can, ReadOwnReferrals, TriageReferrals, open_patient};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError, ForUser};
use crate::extract::{HtmlForm, Path, Query};
use crate::i18n::{C, M, Msg, S, W, fill};
use crate::list::{ListParams, SortValue, filter_form, pager, paginate, sort, sort_header};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, page};
use trappa_app::clock::today;
use trappa_app::referrals::{self, Details, ReferralInput, Sender};

use trappa_app::clock::format_time;

use trappa_app::referrals::RESOURCE;

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

/// A referrer's own referrals (`true`), or the triage team's inbox (`false`); the
/// listing and every patient in it are logged. Others are refused.
pub async fn referral_rows(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
) -> Result<(bool, Vec<trappa_store::referrals::ReferralSummary>), AppError> {
    let caller = ctx.caller(user);
    trappa_app::referrals::list(state.store(), &caller, "referrals.list")
        .await
        .for_user(ctx)
}

/// The list's query: a confirmation to show, the list's filter, sort and page, and the
/// status and proposal filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    sparat: Option<String>,
    #[serde(flatten)]
    list: ListParams,
    status: String,
    forslag: String,
}

/// Where a referral stands, as the list filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// No decision yet.
    Awaiting,
    /// A complement was asked for and has not come.
    ComplementAsked,
    /// A complement came after the latest decision.
    Complemented,
    /// Decided.
    Decided,
}

impl Standing {
    const ALL: [Standing; 4] = [
        Standing::Awaiting,
        Standing::ComplementAsked,
        Standing::Complemented,
        Standing::Decided,
    ];

    fn of(r: &trappa_store::referrals::ReferralSummary) -> Standing {
        if r.awaiting_complement {
            Standing::ComplementAsked
        } else if r.complemented {
            Standing::Complemented
        } else if r.decision.is_some() {
            Standing::Decided
        } else {
            Standing::Awaiting
        }
    }

    fn code(self) -> &'static str {
        match self {
            Standing::Awaiting => "vantar",
            Standing::ComplementAsked => "komplettering",
            Standing::Complemented => "kompletterad",
            Standing::Decided => "beslutad",
        }
    }

    fn label(self, ctx: &Ctx) -> &'static str {
        match self {
            Standing::Awaiting => ctx.t(&M::REFERRAL_AWAITING),
            Standing::ComplementAsked => ctx.t(&M::REFERRAL_COMPLEMENT),
            Standing::Complemented => ctx.t(&M::REFERRAL_COMPLEMENTED),
            Standing::Decided => ctx.t(&W::REFERRAL_DECIDED),
        }
    }
}

/// The rules' proposal, worded as a proposal (the triage team decides), and the code
/// the list filters it by.
fn proposal_text(ctx: &Ctx, d: &Decision) -> (&'static str, String) {
    match d {
        Decision::Accept {
            priority: Priority::High,
        } => ("forturd", ctx.t(&W::PROPOSE_ACCEPT_HIGH).to_owned()),
        Decision::Accept {
            priority: Priority::Normal,
        } => ("anta", ctx.t(&W::PROPOSE_ACCEPT).to_owned()),
        Decision::Complement { .. } => ("komplettering", ctx.t(&W::PROPOSE_COMPLEMENT).to_owned()),
        Decision::Decline => ("avboj", ctx.t(&W::PROPOSE_DECLINE).to_owned()),
        Decision::Redirect { to } => (
            "hanvisa",
            fill(
                ctx.t(&W::PROPOSE_REDIRECT),
                &[("to", target_text(ctx, *to))],
            ),
        ),
    }
}

/// The proposal filter's choices: code and label.
const PROPOSAL_FILTERS: [(&str, &Msg); 5] = [
    ("forturd", &W::PROPOSE_ACCEPT_HIGH),
    ("anta", &W::PROPOSE_ACCEPT),
    ("komplettering", &W::PROPOSE_COMPLEMENT),
    ("avboj", &W::PROPOSE_DECLINE),
    ("hanvisa", &W::PROPOSE_REDIRECT_ANY),
];

/// `GET /remisser`: a referrer's own referrals, or the triage team's inbox — filtered by
/// name or identity number, status and (for triage) the rules' proposal, sortable and
/// paged.
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    const PATH: &str = "/remisser";
    const ANCHOR: &str = "remisslista";
    let (own, rows) = referral_rows(&state, &ctx, &user).await?;
    let data = state.reference();
    let lp = &q.list;
    let proposal_of = |r: &trappa_store::referrals::ReferralSummary| {
        serde_json::from_str::<Facts>(&r.facts)
            .ok()
            .map(|f| proposal_text(&ctx, &trappa_triage::triage(&f, data).decision))
    };
    let status_text = |r: &trappa_store::referrals::ReferralSummary| match Standing::of(r) {
        Standing::Decided => parse_decision(r.decision.as_deref())
            .map_or_else(String::new, |d| decision_text(&ctx, &d)),
        s => s.label(&ctx).to_owned(),
    };
    let key = lp.sort_key(
        &["namn", "personnummer", "fran", "mottagen", "status"],
        "mottagen",
    );
    let mut shown: Vec<_> = rows
        .iter()
        .map(|r| (r, proposal_of(r), status_text(r)))
        .filter(|(r, proposal, _)| {
            lp.matches(&[&r.name, &r.personal_identity])
                && (q.status.is_empty() || Standing::of(r).code() == q.status)
                && (own
                    || q.forslag.is_empty()
                    || proposal.as_ref().is_some_and(|(c, _)| *c == q.forslag))
        })
        .collect();
    // The inbox is oldest first (first come, first triaged); a referrer's own list newest.
    let descending = if lp.sort.is_empty() {
        own
    } else {
        lp.descending()
    };
    sort(&mut shown, descending, |(r, _, status)| match key {
        "namn" => SortValue::Text(r.name.clone()),
        "personnummer" => SortValue::Text(r.personal_identity.clone()),
        "fran" => SortValue::Text(r.unit.clone().unwrap_or_default()),
        "status" => SortValue::Text(status.clone()),
        _ => SortValue::Number(r.received_at.as_second() as f64),
    });
    let paged = paginate(shown, lp.page());
    let extra = [
        ("status", q.status.as_str()),
        ("forslag", q.forslag.as_str()),
    ];
    let th = |k: &str, label: &str| sort_header(PATH, ANCHOR, &extra, lp, key, k, label);
    let controls = html! {
        div.field {
            label for="status" { (ctx.t(&M::REFERRAL_STATUS)) }
            select #status name="status" {
                option value="" { (ctx.t(&W::LIST_ALL)) }
                @for s in Standing::ALL { option value=(s.code()) selected[q.status == s.code()] { (s.label(&ctx)) } }
            }
        }
        @if !own {
            div.field {
                label for="forslag" { (ctx.t(&M::REFERRAL_PROPOSAL)) }
                select #forslag name="forslag" {
                    option value="" { (ctx.t(&W::LIST_ALL)) }
                    @for (code, label) in PROPOSAL_FILTERS { option value=(code) selected[q.forslag == code] { (ctx.t(label)) } }
                }
            }
        }
    };
    let body = html! {
        h1 { (ctx.t(&M::REFERRALS_TITLE)) }
        @if q.sparat.as_deref() == Some("beslut") { (crate::pages::layout::notice(ctx.t(&S::DECISION_SAVED))) }
        @if own { p { a.button href="/remisser/ny" { (ctx.t(&M::REFERRAL_NEW)) } } }
        @if rows.is_empty() { p.muted { (ctx.t(&M::REFERRALS_NONE)) } }
        @else {
            section #(ANCHOR) aria-labelledby="referral-list-h" {
                h2.visually-hidden #referral-list-h { (ctx.t(&M::REFERRALS_TITLE)) }
                (filter_form(&ctx, PATH, ANCHOR, lp, ctx.t(&W::FILTER_NAME_OR_ID), controls))
                @if !paged.rows.is_empty() {
                    div.table-wrap role="region" aria-labelledby="referral-list-h" tabindex="0" { table {
                        thead { tr {
                            (th("namn", ctx.t(&M::NAME)))
                            (th("personnummer", ctx.t(&M::PNR)))
                            (th("fran", ctx.t(&M::REFERRAL_FROM)))
                            (th("mottagen", ctx.t(&M::REFERRAL_RECEIVED)))
                            (th("status", ctx.t(&M::REFERRAL_STATUS)))
                            @if own { th scope="col" { (ctx.t(&M::REFERRAL_REPLY)) } }
                            @else { th scope="col" { (ctx.t(&M::REFERRAL_PROPOSAL)) } }
                        } }
                        tbody { @for (r, proposal, status) in &paged.rows { tr {
                            td { @if own { a href={ "/remisser/" (r.id) } { (r.name) } } @else { a href={ "/patienter/" (r.patient_id) "/remiss" } { (r.name) } } }
                            td.nowrap { (r.personal_identity) }
                            td { @if r.self_referral { (ctx.t(&M::REFERRAL_SELF)) } @else { (r.unit.as_deref().unwrap_or("")) } }
                            td.nowrap { (format_time(r.received_at)) }
                            td.referral-status { (status) }
                            @if own { td { (r.reply.as_deref().unwrap_or("")) } }
                            @else { td { @if let Some((_, text)) = proposal { (text) } } }
                        } } }
                    } }
                }
                (pager(&ctx, PATH, ANCHOR, &extra, lp, &paged))
            }
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

/// The referral form, for a vårdcentral or for the patient themself (plain words, a
/// required phone number, the honeypot).
pub fn form_page(
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
    Can { ctx, .. }: Can<ReadOwnReferrals>,
) -> Result<Response, AppError> {
    Ok(page(
        &ctx,
        ctx.t(&M::REFERRAL_NEW),
        form_page(
            &state,
            &ctx,
            &ReferralInput::default(),
            &[],
            Sender::Vardcentral,
        ),
    )
    .into_response())
}

fn invalid_form(state: &AppState, ctx: &Ctx, f: &ReferralInput, errors: &[FieldError]) -> Response {
    (
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        page(
            ctx,
            ctx.t(&M::REFERRAL_NEW),
            form_page(state, ctx, f, errors, Sender::Vardcentral),
        ),
    )
        .into_response()
}

/// `POST /remisser`: registers the patient in the triage queue with the referral.
pub async fn send(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnReferrals>,
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
            let facts: Facts = serde_json::from_str(r.current_facts())
                .map_err(|e| AppError::Internal(e.into()))?;
            let details: Details = serde_json::from_str(&r.details).unwrap_or_default();
            let proposal = trappa_triage::triage(&facts, state.reference());
            html! {
                p { a href={ "/patienter/" (id) } { "← " (name) } }
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

fn missing_list(ctx: &Ctx, decision: &str) -> Vec<&'static str> {
    match parse_decision(Some(decision)) {
        Some(Decision::Complement { missing }) => {
            missing.iter().map(|m| missing_text(ctx, *m)).collect()
        }
        _ => Vec::new(),
    }
}

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

async fn render_referrer_view(
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
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(ctx, ctx.t(&M::REFERRAL_TITLE), body)).into_response())
}

/// The complement form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComplementForm {
    expected: String,
    answer: String,
    attempt_drug: String,
    attempt_period: String,
    attempt_lowest: String,
    attempt_why: String,
}

impl ComplementForm {
    /// The earlier attempt the answer completes.
    fn attempt(&self) -> trappa_triage::PriorAttempt {
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
    Can { ctx, user, .. }: Can<ReadOwnReferrals>,
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
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<TriageReferrals>,
    Path(id): Path<Uuid>,
    HtmlForm(f): HtmlForm<ComplementForm>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, RESOURCE).await?;
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

/// The reply letter for decision `seq`: who writes to whom, and what.
async fn letter(
    state: &AppState,
    ctx: &Ctx,
    access: &trappa_store::patients::PatientAccess,
    r: &Referral,
    seq: i64,
) -> Result<crate::pdf::Letter<'static>, AppError> {
    let d = r
        .decisions
        .iter()
        .find(|d| d.seq == seq)
        .ok_or(AppError::NotFound)?;
    let patient = state.store().patient(access).await?.current.data;
    let unit = state
        .store()
        .units(trappa_store::units::UnitKind::TaperingUnit)
        .await?
        .into_iter()
        .next()
        .map(|u| u.name)
        .unwrap_or_else(|| ctx.t(&M::APP_NAME).to_owned());
    let mut sender_note = None;
    let to = if r.is_self_referral() {
        let mut to = vec![format!("{} {}", patient.given_name, patient.family_name)];
        match &patient.address {
            Address::Known(a) => {
                to.extend(a.street.clone());
                if let (Some(code), Some(city)) = (&a.postal_code, &a.city) {
                    to.push(format!("{code} {city}"));
                }
            }
            // The store never gives out a protected address: the letter goes through
            // Skatteverket's forwarding, by name and identity number.
            Address::Withheld => {
                to.push(patient.personal_identity.to_string());
                to.push(ctx.t(&S::LETTER_FORWARDING).to_owned());
                sender_note = Some(ctx.t(&S::LETTER_FORWARDING_HOW).to_owned());
            }
        }
        to
    } else {
        let mut to = vec![r.referrer.clone()];
        to.extend(r.unit.clone());
        to
    };
    let decision = parse_decision(Some(&d.decision));
    let mut paragraphs = vec![
        trappa_i18n::fill(
            ctx.t(&M::LETTER_ABOUT),
            &[
                (
                    "name",
                    &format!("{} {}", patient.given_name, patient.family_name),
                ),
                ("pnr", &patient.personal_identity.to_string()),
                ("date", &trappa_app::clock::format_date(r.received_at)),
            ],
        ),
        format!(
            "{}: {}",
            ctx.t(&M::REFERRAL_DECISION),
            decision
                .as_ref()
                .map(|dec| decision_text(ctx, dec))
                .unwrap_or_default()
        ),
    ];
    let missing = missing_list(ctx, &d.decision);
    if !missing.is_empty() {
        paragraphs.push(format!(
            "{}: {}",
            ctx.t(&M::REFERRAL_QUESTIONS),
            missing.join(", ")
        ));
        paragraphs.push(ctx.t(&M::LETTER_COMPLEMENT_HOW).to_owned());
    }
    paragraphs.push(d.reply.clone());
    if matches!(decision, Some(Decision::Accept { .. })) {
        paragraphs.push(ctx.t(&M::LETTER_ACCEPTED_NEXT).to_owned());
    }
    Ok(crate::pdf::Letter {
        from: vec![
            unit,
            format!(
                "{}: {}",
                ctx.t(&M::LETTER_DATE),
                trappa_app::clock::format_date(d.decided_at)
            ),
        ],
        to,
        title: ctx.t(&M::LETTER_TITLE),
        paragraphs,
        signature: vec![d.decided_by.clone()],
        sender_note,
    })
}

/// Opens the referral for a reply letter (the referrer's own, or the triage team's) and
/// builds the letter for decision `seq`.
async fn open_letter(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    id: Uuid,
    seq: i64,
    action: Action,
) -> Result<crate::pdf::Letter<'static>, AppError> {
    let (access, r) =
        open_referral(state, ctx, user, id, action, "patient.referral.letter").await?;
    letter(state, ctx, &access, &r, seq).await
}

/// `GET /remisser/{id}/svar/{seq}`: the reply letter, printable.
pub async fn letter_page(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Path((id, seq)): Path<(Uuid, i64)>,
) -> Result<Response, AppError> {
    let l = open_letter(&state, &ctx, &user, id, seq, Action::Read).await?;
    let body = html! {
        p.no-print { a href={ "/remisser/" (id) } { "← " (ctx.t(&M::REFERRAL_TITLE)) } " · "
            a href={ "/remisser/" (id) "/svar/" (seq) "/brev.pdf" } { (ctx.t(&M::LETTER_PDF)) } }
        @if let Some(note) = &l.sender_note { div.notice.no-print role="note" { p { (note) } } }
        article.letter {
            div.letter-from { @for line in &l.from { (line) br; } }
            address.letter-to { @for line in &l.to { (line) br; } }
            h1 { (l.title) }
            @for p in &l.paragraphs { p { (p) } }
            p.letter-signature { @for line in &l.signature { (line) br; } }
        }
    };
    Ok(page(&ctx, l.title, body).into_response())
}

/// `GET /remisser/{id}/svar/{seq}/brev.pdf`
pub async fn letter_pdf(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Path((id, seq)): Path<(Uuid, i64)>,
) -> Result<Response, AppError> {
    let l = open_letter(&state, &ctx, &user, id, seq, Action::Export).await?;
    let pdf = crate::work::run(&state, "letter_pdf", move |_| crate::pdf::letter_pdf(&l)).await??;
    Ok(crate::download::pdf("remissvar.pdf", pdf))
}
