//! The patient's own record in the portal (`/mina-sidor/journal`, "Min journal"):
//! the notes the unit releases, the reply letters on the referral, the plan's signed
//! versions — and the unit manager's choice of what is released
//! (`/enhet/journal-till-patienter`).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use trappa_app::own_record::{self, MAX_DELAY_DAYS, OWN_RESOURCE, RulesInput};
use trappa_pathway::visits::Kind;
use trappa_store::access_log::Action;
use trappa_store::visits::JournalNote;

use crate::access::Authed;
use crate::ctx::{Ctx, ForUser, User};
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::flash::{Flash, redirect};
use crate::i18n::{E, U, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, form_response, page};
use crate::state::AppState;
use trappa_app::clock::{format_time, local_date};
use trappa_taper::output::date_text;

fn day(ctx: &Ctx, t: jiff::Timestamp) -> String {
    date_text(local_date(t), ctx.locale)
}

/// One released note: its kind and day, who wrote it, its text under its headings.
fn note_card(ctx: &Ctx, n: &JournalNote) -> Markup {
    html! {
        li.note {
            h3 { (n.kind.label(ctx.locale)) ", " (day(ctx, n.created_at)) }
            p.muted {
                (fill(ctx.t(&U::WRITTEN_BY), &[("who", &n.created_by_name)]))
                @if n.version > 1 {
                    " " (fill(ctx.t(&U::CORRECTED), &[("who", &n.author_name), ("date", &day(ctx, n.authored_at))]))
                }
            }
            @for h in n.kind.template() {
                @if let Some(text) = n.fields.get(h.code()).filter(|t| !t.is_empty()) {
                    p { strong { (h.label(ctx.locale)) ": " } (text) }
                }
            }
        }
    }
}

/// `GET /mina-sidor/journal`
pub async fn page_own(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Read, OWN_RESOURCE).await?;
    let record = own_record::read(state.store(), &opened, jiff::Timestamp::now())
        .await
        .for_user(&ctx)?;
    let mut letters = Vec::new();
    if let Some(r) = &record.referral {
        for d in &r.decisions {
            letters.push(
                crate::pages::referrals::letter(&state, &ctx, &opened.access, r, d.seq).await?,
            );
        }
    }
    let withheld: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| !record.rules.releases(**k))
        .map(|k| k.label(ctx.locale))
        .collect();
    let delay = i64::from(record.rules.delay_days);
    let body = html! {
        h1 { (ctx.t(&U::TITLE)) }
        p.lead { (ctx.t(&U::INTRO)) }
        section aria-labelledby="notes-h" {
            h2 #notes-h { (ctx.t(&U::NOTES)) }
            p { @if delay == 0 { (ctx.t(&U::RULE_NOW)) } @else {
                (fill(ctx.t(&U::RULE_DELAY), &[("days", &trappa_i18n::format::days(delay, ctx.locale))]))
            } }
            @if !withheld.is_empty() {
                p { (fill(ctx.t(&U::RULE_WITHHELD), &[("kinds", &trappa_i18n::format::and_list(&withheld, ctx.locale))])) }
            }
            @if record.waiting > 0 {
                p.notice { (trappa_i18n::format::count(record.waiting as i64, &U::WAITING_ONE, &U::WAITING_MANY, ctx.locale)) }
            }
            @if record.notes.is_empty() { p.muted { (ctx.t(&U::NOTES_NONE)) } }
            ol.timeline { @for n in &record.notes { (note_card(&ctx, n)) } }
        }
        section aria-labelledby="letters-h" {
            h2 #letters-h { (ctx.t(&U::LETTERS)) }
            @if letters.is_empty() { p.muted { (ctx.t(&U::LETTERS_NONE)) } }
            @for l in &letters { (crate::pages::referrals::letter_markup(l, 3)) }
        }
        section aria-labelledby="plans-h" {
            h2 #plans-h { (ctx.t(&U::PLANS)) }
            @if record.plans.is_empty() { p.muted { (ctx.t(&U::PLANS_NONE)) } }
            ul { @for (i, v) in record.plans.iter().enumerate() {
                li {
                    (fill(ctx.t(&U::PLAN_SIGNED), &[
                        ("date", &day(&ctx, v.authored_at)),
                        ("who", v.signer_name.as_deref().unwrap_or(&v.author_name)),
                    ]))
                    @if i == 0 { " " span.tag { (ctx.t(&U::PLAN_IN_FORCE)) } }
                    @if !v.reason.trim().is_empty() { br; span.muted { (fill(ctx.t(&U::PLAN_WHY), &[("reason", &v.reason)])) } }
                }
            } }
            @if !record.plans.is_empty() { p { a href="/mina-sidor/plan" { (ctx.t(&crate::i18n::P::MY_PLAN_TITLE)) } } }
        }
        p { a href="/mina-sidor/logg" { (ctx.t(&crate::i18n::M::NAV_MY_LOG)) } }
    };
    Ok(page(&ctx, ctx.t(&U::TITLE), body).into_response())
}

/// The release rules as typed.
#[derive(Debug, Default, Clone)]
pub struct RulesForm {
    kinds: Vec<String>,
    delay_days: String,
    reason: String,
    version: String,
}

impl RulesForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<Self, AppError> {
        let mut f = RulesForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "kinds" => f.kinds.push(v),
                "delay_days" => f.delay_days = v,
                "reason" => f.reason = v,
                "version" => f.version = v,
                "csrf" => {}
                _ => {
                    return Err(AppError::BadRequest(
                        &crate::i18n::M::ERROR_SUMMARY,
                        &crate::i18n::P::FORM_UNKNOWN_FIELD,
                    ));
                }
            }
        }
        Ok(f)
    }
}

/// `GET /enhet/journal-till-patienter`
pub async fn rules_page(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    render_rules(&state, &ctx, &user, None).await
}

async fn render_rules(
    state: &AppState,
    ctx: &Ctx,
    _user: &User,
    failed: Option<(&RulesForm, &[FieldError])>,
) -> Result<Response, AppError> {
    let Some(unit) = own_record::tapering_unit(state.store())
        .await
        .for_user(ctx)?
    else {
        return Ok(page(
            ctx,
            ctx.t(&E::TITLE),
            html! { h1 { (ctx.t(&E::TITLE)) } p { (ctx.t(&E::NO_UNIT)) } },
        )
        .into_response());
    };
    let current = own_record::unit_rules(state.store(), unit)
        .await
        .for_user(ctx)?;
    let shown = RulesForm {
        kinds: current.rules.kinds.clone(),
        delay_days: current.rules.delay_days.to_string(),
        reason: String::new(),
        version: current.version.to_string(),
    };
    let (f, errors) = failed.unwrap_or((&shown, &[]));
    let kinds_error = crate::pages::layout::field_error(errors, "kinds");
    let body = html! {
        h1 { (ctx.t(&E::TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&E::INTRO)) }
        @match &current.set {
            Some((who, when, reason)) => p.muted { (fill(ctx.t(&E::CURRENT), &[
                ("version", &trappa_i18n::format::integer(current.version, ctx.locale)), ("when", &format_time(*when)), ("who", who), ("reason", reason),
            ])) },
            None => p.muted { (fill(ctx.t(&E::DEFAULTS), &[("days", &trappa_i18n::format::days(i64::from(own_record::DEFAULT_DELAY_DAYS), ctx.locale))])) },
        }
        form method="post" action="/enhet/journal-till-patienter" novalidate {
            (csrf_field(ctx))
            input type="hidden" name="version" value=(f.version);
            fieldset.field.field-error[kinds_error.is_some()] id="kinds" {
                legend { (ctx.t(&E::KINDS)) }
                @if let Some(e) = kinds_error { p.error-message { (e) } }
                @for k in Kind::ALL {
                    div.checkbox {
                        input id={ "kind-" (k.code()) } type="checkbox" name="kinds" value=(k.code()) checked[f.kinds.iter().any(|c| c == k.code())];
                        label for={ "kind-" (k.code()) } { (k.label(ctx.locale)) }
                    }
                }
            }
            (Field::text("delay_days", ctx.t(&E::DELAY), &f.delay_days).kind("number")
                .hint(&fill(ctx.t(&E::DELAY_HINT), &[("max", &trappa_i18n::format::integer(i64::from(MAX_DELAY_DAYS), ctx.locale))])).render(errors))
            (Field::text("reason", ctx.t(&E::REASON), &f.reason).required().render(errors))
            button.primary type="submit" { (ctx.t(&E::SAVE)) }
        }
    };
    Ok(form_response(ctx, ctx.t(&E::TITLE), body, errors))
}

/// `POST /enhet/journal-till-patienter`
pub async fn save_rules(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = RulesForm::from_pairs(pairs)?;
    let unit = own_record::tapering_unit(state.store())
        .await
        .for_user(&ctx)?
        .ok_or(AppError::NotFound)?;
    let input = RulesInput {
        kinds: f.kinds.clone(),
        delay_days: f.delay_days.clone(),
        reason: f.reason.clone(),
        expected: f.version.trim().parse().unwrap_or(-1),
    };
    match own_record::save_rules(state.store(), &ctx.caller(&user), unit, &input)
        .await
        .for_user(&ctx)
    {
        Ok(_) => Ok(redirect(
            &state,
            "/enhet/journal-till-patienter",
            Flash::Saved,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            render_rules(&state, &ctx, &user, Some((&f, &errors))).await
        }
        Err(e) => Err(e),
    }
}
