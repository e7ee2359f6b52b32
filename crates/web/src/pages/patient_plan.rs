//! A patient's taper plan: drafts proposed with the engine, signed by a prescriber to
//! become active, every version kept. Every page opens the patient through
//! `open_patient` (care relationship, access log); every write logs in its own
//! transaction.

use crate::chart;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use trappa_i18n::fill;
use trappa_policy::{Permission, allows};
use trappa_store::Uuid;
use trappa_store::access_log::Action as LogAction;
use trappa_store::taper_plans::{PlanStatus, PlanVersion, ReportsSeen};
use trappa_taper::Plan;
use trappa_taper::adapt::Action;
use trappa_taper::schedule::first_difference;

use crate::access::{Authed, OpenedPatient, PatientRoute, open_patient};
use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::flash::{self, Flash};
use crate::i18n::{C, M};
use crate::pages::layout::{form_response, page};
use crate::pages::plan_review::{
    SignForm as SigningForm, compare_table, confirm_error, sign_form, to_confirm,
};
use crate::pages::taper::unit_taper;
use crate::pages::taper::{
    CalcQuery, FormTarget, calculator_form, compute, plan_table, quantity_table, unit_reference,
    warning_list,
};
use crate::state::AppState;
use trappa_app::clock::format_time;
use trappa_app::plans;

const RESOURCE: &str = "patient.taper_plan";

/// A stored version's plan (it fails only when the stored plan is broken, which
/// carries no text for the reader).
pub(crate) fn parse_plan(v: &PlanVersion) -> Result<Plan, AppError> {
    plans::parse(v).map_err(AppError::from)
}

/// A plan in full: warnings, chart, step table and quantities. `id` keeps the ids of
/// several plans on one page apart; `signed` words the warnings for a signed plan.
fn plan_view(ctx: &Ctx, plan: &Plan, id: &str, signed: bool) -> Result<Markup, AppError> {
    Ok(html! {
        (warning_list(ctx, &plan.warnings, id, signed))
        figure.chart {
            (PreEscaped(chart::chart_svg_with_id(plan, ctx.locale, &format!("{id}-chart")).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?))
        }
        (plan_table(ctx, plan))
        (quantity_table(ctx, plan))
    })
}

fn status_text(ctx: &Ctx, s: PlanStatus) -> &'static str {
    match s {
        PlanStatus::Draft => ctx.t(&M::PLAN_STATUS_DRAFT),
        PlanStatus::Active => ctx.t(&M::PLAN_STATUS_ACTIVE),
    }
}

/// `GET /patienter/{id}/plan`
pub async fn show(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Read, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    render(&state, &ctx, &user, id, &opened, &Typed::default(), &[]).await
}

/// What the prescriber typed into a signing form, kept when the form is refused.
#[derive(Debug, Default)]
struct Typed {
    reason: String,
    adopt_reason: String,
}

/// The patient's plan page: the active plan, a draft with its signing form, the
/// engine's proposal from the scores with what signing it would make, and the versions.
async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    opened: &OpenedPatient,
    typed: &Typed,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let store = state.store();
    let patient = store.patient(&opened.access).await?;
    let versions = store.taper_plan_versions(&opened.access).await?;
    let current = versions.first();
    let active = versions.iter().find(|v| v.status == PlanStatus::Active);
    let draft = current.filter(|v| v.status == PlanStatus::Draft);
    let may_sign = allows(user.role, Permission::SignTaperPlans);
    let today = trappa_app::clock::today();
    let active_plan = active.map(parse_plan).transpose()?;
    let draft_plan = draft.map(parse_plan).transpose()?;
    let unit = unit_taper(state, user).await?;
    let caller = ctx.caller(user);
    // What the patient reported, read before the proposal is made from it: a signature
    // covers these and is refused if more came before it.
    let new_reports = plans::new_reports(store, opened).await.for_user(ctx)?;
    let reports = plans::reports_token(&new_reports.seen);
    let proposal = plans::proposal(store, opened, unit.engine(state), today)
        .await
        .for_user(ctx)?
        .map(|p| p.proposal);
    // What signing the proposal would make: shown in full before its form.
    let preview = match (&proposal, &active_plan) {
        (Some(p), Some(plan)) if p.action != Action::Continue && draft.is_none() => {
            Some(plans::preview(&caller, &unit.data, plan, p, today))
        }
        _ => None,
    };
    let may_draft = allows(user.role, Permission::PlanTapers);
    let name = format!(
        "{} {}",
        patient.current.data.given_name, patient.current.data.family_name
    );
    let body = html! {
        (crate::pages::patients::strip(ctx, &patient, opened))
        h1 { (ctx.t(&M::PLAN_TITLE)) ": " (name) }
        @if may_draft {
            p { a.button href={ "/patienter/" (id) "/plan/ny" } { (ctx.t(&M::PLAN_NEW)) } }
        }
        @if versions.is_empty() { p { (ctx.t(&M::PLAN_NONE)) } }
        @if let Some(a) = active {
            section.plan-active aria-labelledby="active-h" {
                h2 #active-h { (ctx.t(&M::PLAN_ACTIVE)) " (" (ctx.t(&M::VERSION)) " " (a.version) ")" }
                p { (fill(ctx.t(&M::PLAN_SIGNED_BY), &[
                    ("who", a.signer_name.as_deref().unwrap_or("")),
                    ("when", &format_time(a.authored_at)),
                    ("why", &a.reason),
                ])) }
                ul.links {
                    li { a href={ "/patienter/" (id) "/plan/patientinformation" } { (ctx.t(&M::TAPER_PRINT)) } }
                    li { a href={ "/patienter/" (id) "/plan/plan.pdf" } { (ctx.t(&M::TAPER_PDF)) } }
                    li { a href={ "/patienter/" (id) "/plan/plan.ics" } { (ctx.t(&M::TAPER_ICS)) } }
                }
                @if let Some(plan) = &active_plan { (plan_view(ctx, plan, "active", true)?) }
            }
        }
        (crate::pages::plan_reports::section(ctx, id, &new_reports, errors))
        @if let (Some(d), Some(draft_plan)) = (draft, &draft_plan) {
            section.plan-draft aria-labelledby="draft-h" {
                h2 #draft-h { (ctx.t(&M::PLAN_DRAFT)) " (" (ctx.t(&M::VERSION)) " " (d.version) ")" }
                p.warning-banner { (ctx.t(&M::PLAN_NOT_ACTIVE)) }
                p { (d.author_name) ", " (format_time(d.authored_at)) ": " (d.reason) }
                // The whole plan first; the signature last.
                (plan_view(ctx, draft_plan, "draft", false)?)
                @if let Some(old) = &active_plan { (compare_table(ctx, old, draft_plan, today)) }
                @if may_sign {
                    (sign_form(ctx, &SigningForm {
                        action: format!("/patienter/{id}/plan/signera"),
                        hidden: vec![("version", d.version.to_string()), ("reports_seen", reports.clone())],
                        version: d.version,
                        first_change: first_difference(active_plan.as_ref(), draft_plan, today),
                        reason_field: "reason",
                        reason: &typed.reason,
                        confirm_high: to_confirm(ctx, draft_plan),
                    }, errors))
                } @else {
                    p { (ctx.t(&M::PLAN_ONLY_PRESCRIBER)) }
                }
            }
        }
        @if let Some(p) = &proposal {
            @let view = ProposalView { proposal: p, draft_first: draft.is_some(), preview: &preview, active: active_plan.as_ref().zip(active), reports: &reports };
            (proposal_section(ctx, id, &view, may_sign, typed, errors, today)?)
        }
        (versions_section(ctx, id, &versions))
    };
    Ok(form_response(ctx, ctx.t(&M::PLAN_TITLE), body, errors))
}

/// The engine's proposal as the plan page shows it.
#[derive(Clone, Copy)]
struct ProposalView<'a> {
    proposal: &'a trappa_taper::adapt::Proposal,
    /// A draft waits to be signed or replaced first.
    draft_first: bool,
    /// What signing the proposal would make, and what was seen of it; or why it cannot.
    preview: &'a Option<Result<(Plan, String), String>>,
    /// The active plan and its version.
    active: Option<(&'a Plan, &'a PlanVersion)>,
    /// The patient's reports as the page shows them ([`plans::reports_token`]).
    reports: &'a str,
}

/// The engine's proposal from the scores: its reasons, and unless a draft waits
/// (`draft_first`), the plan signing it would make, in full before its form.
fn proposal_section(
    ctx: &Ctx,
    id: Uuid,
    view: &ProposalView<'_>,
    may_sign: bool,
    typed: &Typed,
    errors: &[FieldError],
    today: jiff::civil::Date,
) -> Result<Markup, AppError> {
    let ProposalView {
        proposal: p,
        draft_first,
        preview,
        active,
        reports,
    } = *view;
    Ok(html! {
        section.proposal aria-labelledby="proposal-h" {
            h2 #proposal-h { (ctx.t(&M::PROPOSAL_TITLE)) }
            @if !p.urgent.is_empty() {
                div.warning-banner role="alert" {
                    (ctx.t(&M::PROPOSAL_URGENT)) ": "
                    (p.urgent.iter().map(|f| trappa_taper::adapt::flag_text(*f, ctx.locale)).collect::<Vec<_>>().join(", "))
                }
            }
            p.lead { (action_text(ctx, &p.action)) }
            ul { @for r in &p.reasons { li { (r.message(ctx.locale)) } } }
            @if p.action != Action::Continue {
                @if draft_first {
                    p { (ctx.t(&M::PROPOSAL_DRAFT_FIRST)) }
                } @else {
                    @match (preview, active) {
                        (Some(Ok((adapted, seen))), Some((old, a))) => {
                            h3 { (ctx.t(&C::PROPOSAL_PREVIEW)) }
                            (compare_table(ctx, old, adapted, today))
                            (plan_view(ctx, adapted, "proposal", false)?)
                            @if may_sign {
                                (sign_form(ctx, &SigningForm {
                                    action: format!("/patienter/{id}/plan/forslag"),
                                    hidden: vec![("version", a.version.to_string()), ("seen", seen.clone()), ("reports_seen", reports.to_owned())],
                                    version: a.version + 1,
                                    first_change: first_difference(Some(old), adapted, today),
                                    reason_field: "adopt_reason",
                                    reason: &typed.adopt_reason,
                                    confirm_high: to_confirm(ctx, adapted),
                                }, errors))
                            } @else {
                                p { (ctx.t(&M::PLAN_ONLY_PRESCRIBER)) }
                            }
                        }
                        (Some(Err(why)), _) => p.warning-banner { (fill(ctx.t(&C::PROPOSAL_NOT_APPLICABLE), &[("why", why)])) },
                        _ => {}
                    }
                }
            }
            p { a href={ "/patienter/" (id) "/skattningar" } { (ctx.t(&M::SCORES_TITLE)) } }
        }
    })
}

/// The plan's versions, and a form to compare two of them.
fn versions_section(ctx: &Ctx, id: Uuid, versions: &[PlanVersion]) -> Markup {
    html! {
        @if !versions.is_empty() {
            h2 { (ctx.t(&M::PLAN_VERSIONS)) }
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::VERSION)) }
                    th scope="col" { (ctx.t(&M::REF_COL_STATUS)) }
                    th scope="col" { (ctx.t(&M::PLAN_BY)) }
                    th scope="col" { (ctx.t(&M::PLAN_WHEN)) }
                    th scope="col" { (ctx.t(&M::REF_REASON)) }
                } }
                tbody { @for v in versions { tr {
                    td { (v.version) }
                    td { (status_text(ctx, v.status)) }
                    td { (v.signer_name.as_deref().unwrap_or(&v.author_name)) }
                    td { (format_time(v.authored_at)) }
                    td { (v.reason) }
                } } }
            } }
            @if versions.len() > 1 {
                form.compare-form method="get" action={ "/patienter/" (id) "/plan/jamfor" } {
                    @for (name, label, default) in [("a", &M::PLAN_COMPARE_A, versions.get(1)), ("b", &M::PLAN_COMPARE_B, versions.first())] {
                        div.field {
                            label for={ "compare-" (name) } { (ctx.t(label)) }
                            select id={ "compare-" (name) } name=(name) {
                                @for v in versions {
                                    option value=(v.version) selected[default.is_some_and(|d| d.version == v.version)] {
                                        (ctx.t(&M::VERSION)) " " (v.version) " – " (status_text(ctx, v.status))
                                    }
                                }
                            }
                        }
                    }
                    button.secondary type="submit" { (ctx.t(&M::PLAN_COMPARE)) }
                }
            }
        }
    }
}

/// `?a=&b=` on the comparison page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompareQuery {
    a: String,
    b: String,
}

/// `GET /patienter/{id}/plan/jamfor?a=1&b=3`: two versions side by side — who, when,
/// why, the last dose day, and each plan's chart and step table.
pub async fn compare(
    route: PatientRoute,
    Query(q): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Read, RESOURCE).await?;
    let (state, ctx, _, id) = route.into_parts();
    let versions = state.store().taper_plan_versions(&opened.access).await?;
    let pick = |n: &str| {
        n.trim()
            .parse::<i64>()
            .ok()
            .and_then(|n| versions.iter().find(|v| v.version == n))
            .ok_or(AppError::NotFound)
    };
    let (a, b) = (pick(&q.a)?, pick(&q.b)?);
    let (plan_a, plan_b) = (parse_plan(a)?, parse_plan(b)?);
    let column = |v: &PlanVersion, plan: &Plan| -> Result<Markup, AppError> {
        Ok(html! {
            section.plan-version aria-labelledby={ "v" (v.version) "-h" } {
                h2 id={ "v" (v.version) "-h" } { (ctx.t(&M::VERSION)) " " (v.version) " – " (status_text(&ctx, v.status)) }
                p { (v.signer_name.as_deref().unwrap_or(&v.author_name)) ", " (format_time(v.authored_at)) ": " (v.reason) }
                p { strong { (ctx.t(&M::PLAN_LAST_DOSE)) ": " } (plan.end_date().to_string())
                    " · " (fill(ctx.t(&M::PLAN_STEP_COUNT), &[("n", &plan.steps.len().to_string())])) }
                (plan_view(&ctx, plan, &format!("v{}", v.version), v.status == PlanStatus::Active)?)
            }
        })
    };
    let strip = crate::pages::patients::strip_for(&state, &ctx, &opened).await?;
    let body = html! {
        (strip)
        p { a href={ "/patienter/" (id) "/plan" } { "← " (ctx.t(&M::PLAN_TITLE)) } }
        h1 { (ctx.t(&M::PLAN_COMPARE)) }
        div.grid-2.compare { (column(a, &plan_a)?) (column(b, &plan_b)?) }
    };
    Ok(page(&ctx, ctx.t(&M::PLAN_COMPARE), body).into_response())
}

/// The draft form: the calculator's fields, the version it is based on, a reason.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DraftForm {
    #[serde(flatten)]
    q: CalcQuery,
    version: String,
    reason: String,
}

/// `GET /patienter/{id}/plan/ny`
pub async fn new_form(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Read, RESOURCE).await?;
    let (state, ctx, user, _) = route.into_parts();
    let version = state
        .store()
        .taper_plan_versions(&opened.access)
        .await?
        .first()
        .map(|v| v.version)
        .unwrap_or(0);
    draft_page(
        &state,
        &ctx,
        &user,
        &opened,
        &DraftForm::default(),
        version,
        &[],
    )
    .await
}

async fn draft_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    opened: &OpenedPatient,
    f: &DraftForm,
    version: i64,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let id = opened.id();
    let (data, _) = unit_reference(state, user).await?;
    let action = format!("/patienter/{id}/plan");
    let strip = crate::pages::patients::strip_for(state, ctx, opened).await?;
    let body = html! {
        (strip)
        p { a href={ "/patienter/" (id) "/plan" } { "← " (ctx.t(&M::PLAN_TITLE)) } }
        h1 { (ctx.t(&M::PLAN_NEW)) }
        p.lead { (ctx.t(&M::PLAN_NEW_LEAD)) }
        (calculator_form(&data, ctx, &f.q, errors, FormTarget::Patient { action: &action, version, reason: &f.reason }))
    };
    Ok(form_response(ctx, ctx.t(&M::PLAN_NEW), body, errors))
}

/// `POST /patienter/{id}/plan`: saves a draft.
pub async fn save_draft(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<DraftForm>,
) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Update, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    let (data, _) = unit_reference(&state, &user).await?;
    let mut errors = Vec::new();
    let plan = match compute(&data, &f.q, &ctx) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let Some(plan) = plan else {
        // The reason's fault too, so every fault is shown at once.
        errors.extend(FieldError::from_faults(
            &plans::reason_faults(&f.reason),
            ctx.locale,
        ));
        return draft_page(&state, &ctx, &user, &opened, &f, expected, &errors).await;
    };
    let caller = ctx.caller(&user);
    let saved = plans::save_draft(state.store(), &caller, &opened, expected, &plan, &f.reason);
    let version = match saved.await.for_user(&ctx) {
        Ok(version) => version,
        Err(AppError::Invalid(errors)) => {
            return draft_page(&state, &ctx, &user, &opened, &f, expected, &errors).await;
        }
        Err(e) => return Err(e),
    };
    Ok(flash::redirect(
        &state,
        &format!("/patienter/{id}/plan"),
        Flash::DraftSaved,
        &version.to_string(),
    ))
}

/// The signature form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignForm {
    version: String,
    reason: String,
    confirm: String,
    confirm_high: String,
    /// The patient's reports the page showed ([`plans::reports_token`]).
    reports_seen: String,
}

/// `POST /patienter/{id}/plan/signera`: a prescriber signs the current draft, which
/// becomes the active plan.
pub async fn sign(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<SignForm>,
) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Update, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let typed = Typed {
        reason: f.reason.clone(),
        ..Typed::default()
    };
    // What was typed is checked before the version read: a missing reason or
    // confirmation is shown on the form, whatever the version.
    let mut errors = FieldError::from_faults(&plans::reason_faults(&f.reason), ctx.locale);
    errors.extend(confirm_error(&ctx, &f.confirm));
    if !errors.is_empty() {
        return render(&state, &ctx, &user, id, &opened, &typed, &errors).await;
    }
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    let unit = unit_taper(&state, &user).await?;
    let caller = ctx.caller(&user);
    let signed = plans::sign(
        state.store(),
        &caller,
        &opened,
        &unit.data,
        expected,
        plans::Signing {
            reason: &f.reason,
            confirmed_high: f.confirm_high == "on",
            reports: reports_seen(&f.reports_seen)?,
        },
    );
    match signed.await.for_user(&ctx) {
        Ok(v) => Ok(flash::redirect(
            &state,
            &format!("/patienter/{id}/plan"),
            Flash::PlanSigned,
            &v.to_string(),
        )),
        Err(AppError::Invalid(errors)) => {
            render(&state, &ctx, &user, id, &opened, &typed, &errors).await
        }
        Err(e) => Err(e),
    }
}

/// The plan on the patient overview: today's doses under the signed plan, the next
/// change, the totals, and a link to the plan.
pub(crate) fn overview_section(
    ctx: &Ctx,
    id: Uuid,
    versions: &[PlanVersion],
) -> Result<Markup, AppError> {
    let active = versions.iter().find(|v| v.status == PlanStatus::Active);
    let draft_pending = versions
        .first()
        .is_some_and(|v| v.status == PlanStatus::Draft);
    let today = trappa_app::clock::today();
    let plan = active.map(parse_plan).transpose()?;
    Ok(html! {
        section aria-labelledby="plan-h" {
            h2 #plan-h { (ctx.t(&M::PLAN_TITLE)) }
            @match &plan {
                None => p.muted { (ctx.t(&M::PLAN_NONE)) },
                Some(plan) => {
                    @let schedule = plan.schedule();
                    @let period = schedule.on(today);
                    @let drugs = period.drugs;
                    @let totals = period.step.map_or(plan.baseline_totals.as_slice(), |s| s.totals.as_slice());
                    h3 { (ctx.t(&M::PLAN_TODAY)) }
                    @for (i, drug) in plan.drugs.iter().enumerate() {
                        @let lines = trappa_taper::output::day_lines(drug, &drugs[i].doses, ctx.locale);
                        p { strong { (drug.name) } ": "
                            @if lines.is_empty() { (trappa_taper::text::T::NO_DOSE.get(ctx.locale)) } @else { (lines.join("; ")) } }
                    }
                    @if !totals.is_empty() {
                        p { @for t in totals { (t.unit.label()) " " (trappa_i18n::format::decimal(t.per_day, 1, ctx.locale)) " " } }
                    }
                    @match schedule.periods().iter().find(|p| p.from > today) {
                        Some(next) => p { (fill(ctx.t(&M::PLAN_NEXT_CHANGE), &[("date", &next.from.to_string()), ("step", &next.number().to_string())])) },
                        None => p { (ctx.t(&M::PLAN_NO_MORE_CHANGES)) },
                    }
                }
            }
            @if draft_pending { p.tag.yellow { (ctx.t(&M::PLAN_DRAFT_PENDING)) } }
            p { a href={ "/patienter/" (id) "/plan" } { (ctx.t(&M::PLAN_OPEN)) } }
        }
    })
}

/// The engine's proposed action in words.
pub(crate) fn action_text(ctx: &Ctx, a: &Action) -> String {
    let n_weeks = |n: u32| trappa_i18n::format::weeks(i64::from(n), ctx.locale);
    match a {
        Action::Continue => ctx.t(&M::PROPOSAL_CONTINUE).to_owned(),
        Action::Hold { weeks } => fill(ctx.t(&M::PROPOSAL_HOLD), &[("weeks", &n_weeks(*weeks))]),
        Action::SlowDown { interval_weeks } => fill(
            ctx.t(&M::PROPOSAL_SLOW),
            &[("weeks", &n_weeks(*interval_weeks))],
        ),
        Action::StepBack {
            to_step,
            hold_weeks,
            interval_weeks,
        } => fill(
            ctx.t(&M::PROPOSAL_STEP_BACK),
            &[
                ("step", &to_step.to_string()),
                ("hold", &n_weeks(*hold_weeks)),
                ("weeks", &n_weeks(*interval_weeks)),
            ],
        ),
    }
}

/// The reports a signing form says its page showed. A form without them comes from a
/// page older than this rule, or from none: stale, shown again.
fn reports_seen(token: &str) -> Result<ReportsSeen, AppError> {
    plans::parse_reports_token(token).ok_or(AppError::Stale)
}

/// The form accepting a proposal.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdoptForm {
    version: String,
    adopt_reason: String,
    confirm: String,
    confirm_high: String,
    /// The digest of the plan the prescriber saw ([`proposal_preview`]).
    seen: String,
    /// The patient's reports the page showed ([`plans::reports_token`]).
    reports_seen: String,
}

/// `POST /patienter/{id}/plan/forslag`: the prescriber signs the engine's proposal; the
/// proposal is made again here from the stored scores, never taken from the form.
pub async fn adopt(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<AdoptForm>,
) -> Result<Response, AppError> {
    let opened = route.open(LogAction::Update, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let typed = Typed {
        adopt_reason: f.adopt_reason.clone(),
        ..Typed::default()
    };
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    // The use case names the reason `reason`; this form has two, and this one is
    // `adopt_reason`.
    let renamed = |faults| FieldError::renamed(faults, &[("reason", "adopt_reason")]);
    if let Some(e) = confirm_error(&ctx, &f.confirm) {
        let mut errors = renamed(FieldError::from_faults(
            &plans::reason_faults(&f.adopt_reason),
            ctx.locale,
        ));
        errors.push(e);
        return render(&state, &ctx, &user, id, &opened, &typed, &errors).await;
    }
    let seen = Some(f.seen.trim()).filter(|s| !s.is_empty());
    let unit = unit_taper(&state, &user).await?;
    let caller = ctx.caller(&user);
    let adopted = plans::adopt(
        state.store(),
        &caller,
        &opened,
        unit.engine(&state),
        expected,
        plans::Adoption {
            reason: &f.adopt_reason,
            seen,
            confirmed_high: f.confirm_high == "on",
            reports: reports_seen(&f.reports_seen)?,
        },
        trappa_app::clock::today(),
    );
    match adopted.await.for_user(&ctx) {
        Ok(Some(v)) => Ok(flash::redirect(
            &state,
            &format!("/patienter/{id}/plan"),
            Flash::ProposalSigned,
            &v.to_string(),
        )),
        Ok(None) => Ok(Redirect::to(&format!("/patienter/{id}/plan")).into_response()),
        Err(AppError::Invalid(errors)) => {
            render(&state, &ctx, &user, id, &opened, &typed, &renamed(errors)).await
        }
        Err(e) => Err(e),
    }
}

/// The signed plan in effect, for the patient's handout (shown: `Read`), PDF and
/// calendar (files that leave Trappa: `Export`).
pub(crate) async fn active_plan(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    action: LogAction,
    what: &str,
) -> Result<(Plan, OpenedPatient), AppError> {
    let opened = open_patient(state, ctx, user, id, action, what).await?;
    let (_, plan) = plans::in_force(state.store(), &opened)
        .await
        .for_user(ctx)?
        .ok_or(AppError::NotFound)?;
    Ok((plan, opened))
}

/// Whom the handout is for: the patient's name and the unit's phone number.
async fn recipient(
    state: &AppState,
    opened: &OpenedPatient,
) -> Result<trappa_taper::output::handout::Recipient, AppError> {
    let p = state.store().patient(&opened.access).await?;
    Ok(trappa_taper::output::handout::Recipient {
        name: format!(
            "{} {}",
            p.current.data.given_name, p.current.data.family_name
        ),
        phone: state.config().unit_phone.clone(),
    })
}

/// `GET /patienter/{id}/plan/patientinformation`: the handout of the signed plan.
pub async fn handout(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    handout_page(&state, &ctx, &user, id, "patient.taper_plan.handout").await
}

/// The handout of patient `id`'s signed plan as a page, the read logged on `resource`.
pub(crate) async fn handout_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    resource: &str,
) -> Result<Response, AppError> {
    let (plan, opened) = active_plan(state, ctx, user, id, LogAction::Read, resource).await?;
    let today = trappa_app::clock::today();
    let who = recipient(state, &opened).await?;
    let body = crate::handout::body_for(&plan, ctx.locale, today, Some(&who));
    Ok(page(ctx, trappa_taper::text::T::H_TITLE.get(ctx.locale), body).into_response())
}

/// `GET /patienter/{id}/plan/plan.pdf`
pub async fn handout_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    handout_download(&state, &ctx, &user, id, "patient.taper_plan.pdf").await
}

/// The handout of patient `id`'s signed plan as a PDF, the export logged on `resource`.
pub(crate) async fn handout_download(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    resource: &str,
) -> Result<Response, AppError> {
    let (plan, opened) = active_plan(state, ctx, user, id, LogAction::Export, resource).await?;
    let who = recipient(state, &opened).await?;
    crate::download::handout_pdf(
        state,
        plan,
        ctx.locale,
        trappa_app::clock::today(),
        Some(who),
    )
    .await
}

/// `GET /patienter/{id}/plan/plan.ics`: the signed plan's dose changes, with event ids
/// stable per patient and step so a re-import updates rather than duplicates.
pub async fn calendar(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (plan, _) = active_plan(
        &state,
        &ctx,
        &user,
        id,
        LogAction::Export,
        "patient.taper_plan.ics",
    )
    .await?;
    Ok(crate::download::plan_ics(
        &plan,
        ctx.locale,
        &format!("trappa-{id}"),
    ))
}
