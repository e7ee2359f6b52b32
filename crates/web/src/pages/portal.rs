//! The patient's own pages: the signed plan as it is lived today, and who has read my
//! record, on screen, as CSV and as PDF.
//! Each view opens the patient's own record once, which is the one log entry it makes.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_store::access_log::{Action, Entry};
use trappa_store::patients::Patient;

use crate::access::Authed;
use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::C;
use crate::i18n::M;
use crate::i18n::W;
use crate::i18n::fill;
use crate::list::{ListParams, pager, paginate};
use crate::pages::audit::{
    action_label, basis_text, extract_csv, extract_pdf, log_about, reviewed,
};
use crate::pages::layout::page;
use crate::state::AppState;
use trappa_app::clock::format_time;
use trappa_store::emergency::EmergencyAccess;

/// Opens the signed-in patient's own record (logged as `action` on `resource`) and
/// reads who has accessed it, oldest first.
async fn own_log(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    action: Action,
    resource: &str,
) -> Result<(Patient, Vec<Entry>, Vec<EmergencyAccess>), AppError> {
    let opened = crate::access::open_own(state, ctx, user, action, resource).await?;
    let patient_id = opened.id();
    let patient = state.store().patient(&opened.access).await?;
    let emergencies = state.store().emergency_accesses_of(&opened.access).await?;
    Ok((patient, log_about(state, patient_id).await?, emergencies))
}

/// `GET /mina-sidor/logg`
pub async fn my_log(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(lp): Query<ListParams>,
) -> Result<Response, AppError> {
    let (p, mut entries, emergencies) =
        own_log(&state, &ctx, &user, Action::Read, "own.access_log").await?;
    entries.reverse();
    let d = &p.current.data;
    let body = html! {
        h1 { (ctx.t(&M::MY_LOG_TITLE)) }
        p { (d.given_name) " " (d.family_name) ", " (d.personal_identity) }
        p { (ctx.t(&crate::i18n::C::MY_LOG_INTRO)) }
        p.actions {
            a.button href="/mina-sidor/logg.pdf" { (ctx.t(&M::DOWNLOAD_PDF)) }
            a href="/mina-sidor/logg.csv" { (ctx.t(&M::DOWNLOAD_CSV)) }
        }
        h2 { (ctx.t(&C::MY_EMERGENCY_TITLE)) }
        p { (ctx.t(&C::MY_EMERGENCY_INTRO)) }
        @if emergencies.is_empty() { p { (ctx.t(&C::MY_EMERGENCY_NONE)) } }
        @for e in &emergencies {
            section.card {
                dl.summary {
                    dt { (ctx.t(&M::COL_TIME)) } dd { (format_time(e.started_at)) }
                    dt { (ctx.t(&M::COL_USER)) } dd { (e.display_name) }
                    dt { (ctx.t(&M::REASON)) } dd { (e.reason) }
                    @if e.reviewed_at.is_none() {
                        dt { (ctx.t(&C::REVIEW_OUTCOME)) } dd { (ctx.t(&C::MY_EMERGENCY_PENDING)) }
                    }
                    (reviewed(&ctx, e.reviewed_by_name.as_deref(), e.reviewed_at, e.review_note.as_deref(), e.review_justified))
                }
            }
        }
        section #(LOG_ANCHOR) {
            h2 #my-log-h { (ctx.t(&M::MY_LOG_TITLE)) }
            p { (ctx.t(&W::MY_LOG_GROUPED)) }
            (grouped_log(&ctx, &entries, &lp))
        }
    };
    Ok(page(&ctx, ctx.t(&M::MY_LOG_TITLE), body).into_response())
}

/// `GET /mina-sidor/logg.csv`
pub async fn my_log_csv(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let (_, entries, _) =
        own_log(&state, &ctx, &user, Action::Export, "own.access_log.csv").await?;
    extract_csv(&state, &ctx, entries, false).await
}

/// `GET /mina-sidor/logg.pdf`
pub async fn my_log_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let (p, entries, _) =
        own_log(&state, &ctx, &user, Action::Export, "own.access_log.pdf").await?;
    let identity = p.current.data.personal_identity.to_string();
    extract_pdf(&state, &ctx, entries, identity, false).await
}

/// Where the log starts on the page (the pager's links come back to it).
const LOG_ANCHOR: &str = "logg";

/// Entries in a row that say the same thing — the same person in the same role and
/// unit did the same to the same part of the record on the same basis, on one day —
/// shown as one line with a time span and a count.
struct Group<'a> {
    newest: &'a Entry,
    oldest: jiff::Timestamp,
    count: usize,
}

fn same(a: &Entry, b: &Entry) -> bool {
    let day = |e: &Entry| e.at().to_zoned(trappa_app::clock::stockholm()).date();
    a.username == b.username
        && a.role == b.role
        && a.unit_name == b.unit_name
        && a.action == b.action
        && a.resource == b.resource
        && a.basis == b.basis
        && a.outcome == b.outcome
        && day(a) == day(b)
}

/// Groups entries (newest first) into runs of the same access.
fn groups(entries: &[Entry]) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    for e in entries {
        match out.last_mut() {
            Some(g) if same(g.newest, e) => {
                g.oldest = e.at();
                g.count += 1;
            }
            _ => out.push(Group {
                newest: e,
                oldest: e.at(),
                count: 1,
            }),
        }
    }
    out
}

/// Who made an entry: the person's name, or Trappa's own job in words.
fn who<'a>(ctx: &Ctx, e: &'a Entry) -> &'a str {
    match (&e.display_name, e.account_id) {
        (Some(name), _) => name,
        (None, None) if e.username == trappa_store::access_log::SYSTEM_USERNAME => {
            ctx.t(&crate::i18n::P::LOG_SYSTEM)
        }
        (None, _) => &e.username,
    }
}

/// The patient's log, grouped and paged, in words a patient reads.
fn grouped_log(ctx: &Ctx, entries: &[Entry], lp: &ListParams) -> maud::Markup {
    let paged = paginate(groups(entries), lp.page());
    let role = |code: Option<&str>| {
        code.and_then(trappa_policy::Role::from_code)
            .map(|r| ctx.t(crate::access::role_label(r)))
            .unwrap_or("")
    };
    html! {
        @if paged.rows.is_empty() { p { (ctx.t(&M::AUDIT_NO_ROWS)) } }
        @else {
            div.table-wrap role="region" aria-labelledby="my-log-h" tabindex="0" { table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::COL_TIME)) }
                    th scope="col" { (ctx.t(&M::COL_USER)) }
                    th scope="col" { (ctx.t(&M::COL_UNIT)) }
                    th scope="col" { (ctx.t(&M::COL_ACTION)) }
                    th scope="col" { (ctx.t(&M::COL_WHAT)) }
                    th scope="col" { (ctx.t(&M::COL_HOW)) }
                    th scope="col" { (ctx.t(&W::COL_TIMES)) }
                } }
                tbody { @for g in &paged.rows { tr {
                    td.nowrap {
                        @if g.count > 1 {
                            (format_time(g.oldest)) "–" (trappa_app::clock::format_clock(g.newest.at()))
                        } @else { (format_time(g.newest.at())) }
                    }
                    td { (who(ctx, g.newest)) br; span.muted { (role(g.newest.role.as_deref())) } }
                    td { (g.newest.unit_name.as_deref().unwrap_or("")) }
                    td {
                        (ctx.t(action_label(&g.newest.action)))
                        @if g.newest.outcome != "allowed" { " " span.tag.red { (ctx.t(&M::OUTCOME_DENIED)) } }
                    }
                    td { (ctx.t(crate::i18n::resource_label(&g.newest.resource))) }
                    td { (basis_text(ctx, g.newest.basis.as_deref())) }
                    td { (trappa_i18n::format::count(g.count as i64, &W::TIME_ONE, &W::TIME_MANY, ctx.locale)) }
                } } }
            } }
        }
        (pager(ctx, "/mina-sidor/logg", LOG_ANCHOR, &[], lp, &paged))
    }
}

/// The signed-in patient's own record's id: a patient account reaches only its own.
fn own_id(user: &User) -> Result<trappa_store::Uuid, AppError> {
    user.patient_id.ok_or(AppError::Forbidden)
}

/// `GET /mina-sidor`: the patient's start page is the site's start page.
pub async fn to_start() -> axum::response::Redirect {
    axum::response::Redirect::to("/")
}

/// `GET /mina-sidor/plan`: the plan in force as the patient lives it — today's doses
/// per dose time in words, the next change and its date, the handout. Only a signed
/// plan is shown, never a draft.
pub async fn my_plan(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    use crate::i18n::P;
    use trappa_taper::output::{date_text, day_lines};
    let opened =
        crate::access::open_own(&state, &ctx, &user, Action::Read, "own.taper_plan").await?;
    let in_force = trappa_app::plans::in_force(state.store(), &opened)
        .await
        .for_user(&ctx)?;
    let feed = crate::pages::calendar_feed::live(&state, &opened).await?;
    let today = trappa_app::clock::today();
    let locale = ctx.locale;
    let questions = match &state.config().unit_phone {
        Some(phone) => fill(ctx.t(&P::MY_PLAN_QUESTIONS), &[("phone", phone)]),
        None => ctx.t(&P::MY_PLAN_QUESTIONS_NO_PHONE).to_owned(),
    };
    let lines = |plan: &trappa_taper::Plan, drugs: &[trappa_taper::plan::DrugStep]| {
        plan.drugs
            .iter()
            .zip(drugs)
            .flat_map(|(drug, ds)| {
                if ds.per_day.is_zero() {
                    vec![fill(ctx.t(&P::MY_PLAN_STOPPED), &[("drug", &drug.name)])]
                } else {
                    // The day's tablets, then what they make together: a change of
                    // tablet strength reads as what it is.
                    // (A patch's rate is its own total.)
                    let mut lines = day_lines(drug, &ds.doses, locale);
                    if drug.unit == "mg" {
                        lines.push(fill(
                            ctx.t(&P::MY_PLAN_TOTAL),
                            &[
                                (
                                    "amount",
                                    &trappa_taper::output::amount_text(ds.per_day, locale),
                                ),
                                ("unit", &drug.unit),
                                ("drug", &drug.name),
                            ],
                        ));
                    }
                    lines
                }
            })
            .collect::<Vec<_>>()
    };
    let body = html! {
        h1 { (ctx.t(&P::MY_PLAN_TITLE)) }
        @match &in_force {
            None => p { (ctx.t(&P::MY_PLAN_NONE)) },
            Some((version, plan)) => {
                @let schedule = plan.schedule();
                @let now = schedule.on(today);
                @let next = schedule.periods().iter().find(|p| p.from > today);
                section.today aria-labelledby="today-h" {
                    h2 #today-h { (fill(ctx.t(&P::MY_PLAN_TODAY), &[("date", &date_text(today, locale))])) }
                    ul.dose-lines { @for line in lines(plan, now.drugs) { li { (line) } } }
                }
                section.next aria-labelledby="next-h" {
                    @match next {
                        Some(n) => {
                            h2 #next-h { (fill(ctx.t(&P::MY_PLAN_NEXT), &[("date", &date_text(n.from, locale))])) }
                            ul.dose-lines { @for line in lines(plan, n.drugs) { li { (line) } } }
                        }
                        // Stopped altogether: nothing to "go on" with.
                        None if now.drugs.iter().all(|d| d.per_day.is_zero()) => {
                            h2 #next-h { (ctx.t(&P::MY_PLAN_DONE)) }
                        }
                        None => {
                            h2 #next-h { (ctx.t(&P::MY_PLAN_NO_NEXT)) }
                        }
                    }
                }
                p.actions {
                    a.button href="/mina-sidor/plan/patientinformation" { (ctx.t(&P::MY_PLAN_PRINT)) }
                    a href="/mina-sidor/plan/plan.pdf" { (ctx.t(&P::MY_PLAN_PDF)) }
                }
                p.muted { (fill(ctx.t(&P::MY_PLAN_SIGNED), &[
                    ("who", version.signer_name.as_deref().unwrap_or(&version.author_name)),
                    ("when", &date_text(trappa_app::clock::local_date(version.authored_at), locale)),
                ])) }
            }
        }
        p { (questions) }
        (crate::pages::calendar_feed::section(&state, &ctx, &headers, feed.as_ref()))
    };
    Ok(page(&ctx, ctx.t(&P::MY_PLAN_TITLE), body).into_response())
}

/// `GET /mina-sidor/plan/patientinformation`: the signed plan's handout, printable.
pub async fn my_handout(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let id = own_id(&user)?;
    crate::pages::patient_plan::handout_page(&state, &ctx, &user, id, "own.taper_plan.handout")
        .await
}

/// `GET /mina-sidor/plan/plan.pdf`: the signed plan's handout as a PDF.
pub async fn my_handout_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let id = own_id(&user)?;
    crate::pages::patient_plan::handout_download(&state, &ctx, &user, id, "own.taper_plan.pdf")
        .await
}
