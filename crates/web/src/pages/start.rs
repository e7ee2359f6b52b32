//! The start page per role, the role switch and the 404 page.

use crate::extract::{Form, Query};
use crate::list::{ListParams, SortValue, filter_form, pager, paginate, sort, sort_header};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use trappa_policy::{Permission, Role, allows};

use crate::access::{Authed, role_label};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::i18n::{M, W, fill};
use crate::pages::layout::{csrf_field, page};
use crate::pages::patients::search_box;
use crate::state::AppState;
use trappa_app::care_team::function_label;

/// `GET /`: the start page when signed in, else sign-in.
pub async fn root(ctx: Ctx) -> Response {
    match &ctx.user {
        Some(u) if !u.second_factor_pending => Redirect::to("/start").into_response(),
        _ => Redirect::to("/logga-in").into_response(),
    }
}

/// `GET /start`
pub async fn start(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Query(lp): Query<ListParams>,
) -> Result<Response, AppError> {
    let store = state.store();
    let account = store
        .account(user.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let role = user.role;
    let caseload = if allows(role, Permission::ReadPatientRecord) {
        let caller = ctx.caller(&user);
        let list = trappa_app::care_team::caseload(store, &caller, CASELOAD_LIMIT)
            .await
            .for_user(&ctx)?;
        Some(list)
    } else {
        None
    };
    let worklist = worklist(&state, &ctx, &user, caseload.as_deref()).await?;
    let patient_home = if role == Role::Patient {
        Some(crate::pages::portal_home::home(&state, &ctx, &user).await?)
    } else {
        None
    };
    let pending_reviews = if allows(role, Permission::ReviewEmergencyAccess) {
        Some(store.emergency_accesses(true, 1000).await?.len())
    } else {
        None
    };
    let pending_role_changes = if allows(role, Permission::ReviewRoleChanges) {
        Some(store.unreviewed_role_changes().await?)
    } else {
        None
    };
    let body = html! {
        h1 { (fill(ctx.t(&M::START_WELCOME), &[("name", &user.display_name)])) }
        @if account.roles.len() > 1 {
            form.actions method="post" action="/roll" {
                (csrf_field(&ctx))
                div.field {
                    label for="role" { (ctx.t(&M::SWITCH_ROLE)) }
                    select #role name="role" {
                        @for r in &account.roles {
                            option value=(r.code()) selected[*r == role] { (ctx.t(role_label(*r))) }
                        }
                    }
                }
                button.secondary type="submit" { (ctx.t(&M::SWITCH_ROLE)) }
            }
        }
        @if allows(role, Permission::SearchPatients) {
            p { (ctx.t(&M::START_SEARCH_HINT)) }
            (search_box(&ctx, ""))
        }
        (worklist)
        @if let Some(list) = &caseload { (caseload_table(&ctx, list, &lp)) }
        @if let Some(n) = pending_reviews {
            p { (ctx.t(&M::START_AUDIT_INTRO)) }
            p { a href="/granskning/nodatkomst" { (fill(ctx.t(&M::START_AUDIT_PENDING), &[("n", &n.to_string())])) } }
            @if let Some(r) = pending_role_changes {
                p { a href="/granskning/roller" { (fill(ctx.t(&crate::i18n::S::START_ROLES_PENDING), &[("n", &r.to_string())])) } }
            }
            p { a href="/granskning/logg" { (ctx.t(&M::NAV_AUDIT_LOG)) } }
        }
        @if role == Role::Admin {
            p { (ctx.t(&M::START_ADMIN_INTRO)) }
            p { a href="/admin/personal" { (ctx.t(&M::NAV_STAFF)) } }
        }
        @if role == Role::Analyst {
            p { (ctx.t(&M::START_ANALYST_INTRO)) }
            p { a href="/rapport" { (ctx.t(&M::REPORT_TITLE)) } }
            p { a href="/behov" { (ctx.t(&M::NEEDS_TITLE)) } }
        }
        @if role == Role::ExternalReferrer { p { (ctx.t(&M::START_REFERRER_INTRO)) } }
        @if role == Role::Partner {
            p { (ctx.t(&crate::i18n::Q::START_PARTNER_INTRO)) }
            p { a href="/samverkan" { (ctx.t(&crate::i18n::Q::SHARED_TITLE)) } }
        }
        @if let Some(home) = patient_home { (home) }
    };
    Ok(page(&ctx, ctx.t(&M::START_TITLE), body).into_response())
}

/// The most patients of one caseload read for the start page (its worklists look at
/// every one; the table shows a page at a time).
const CASELOAD_LIMIT: i64 = 1000;

/// "Mina patienter": the caseload, filtered by name or identity number, sortable and
/// paged.
fn caseload_table(
    ctx: &Ctx,
    list: &[trappa_store::care_team::CaseloadEntry],
    lp: &ListParams,
) -> maud::Markup {
    use trappa_store::taper_plans::PlanStatus;
    const PATH: &str = "/start";
    const ANCHOR: &str = "mina-patienter";
    let plan_text = |p: Option<PlanStatus>| match p {
        Some(PlanStatus::Draft) => ctx.t(&M::PLAN_STATUS_DRAFT),
        Some(PlanStatus::Active) => ctx.t(&M::PLAN_STATUS_ACTIVE),
        None => "–",
    };
    let key = lp.sort_key(&["namn", "personnummer", "funktion", "plan"], "namn");
    let mut rows: Vec<_> = list
        .iter()
        .filter(|c| {
            lp.matches(&[
                &c.family_name,
                &c.given_name,
                &c.personal_identity.to_string(),
            ])
        })
        .collect();
    sort(&mut rows, lp.descending(), |c| match key {
        "personnummer" => SortValue::Text(c.personal_identity.to_string()),
        "funktion" => SortValue::Text(ctx.t(function_label(c.function)).to_owned()),
        "plan" => SortValue::Text(plan_text(c.plan).to_owned()),
        _ => SortValue::Text(format!("{} {}", c.family_name, c.given_name)),
    });
    let paged = paginate(rows, lp.page());
    let th = |k: &str, label: &str| sort_header(PATH, ANCHOR, &[], lp, key, k, label);
    html! {
        section #(ANCHOR) {
            h2 #caseload-h { (ctx.t(&M::START_CASELOAD)) " (" (list.len()) ")" }
            @if list.is_empty() {
                p.muted { (ctx.t(&M::START_CASELOAD_EMPTY)) }
            } @else {
                (filter_form(ctx, PATH, ANCHOR, lp, ctx.t(&W::FILTER_NAME_OR_ID), html! {}))
                @if !paged.rows.is_empty() {
                    div.table-wrap role="region" aria-labelledby="caseload-h" tabindex="0" {
                        table {
                            thead { tr {
                                (th("namn", ctx.t(&M::NAME)))
                                (th("personnummer", ctx.t(&M::PNR)))
                                (th("funktion", ctx.t(&M::FUNCTION)))
                                (th("plan", ctx.t(&M::PLAN_TITLE)))
                            } }
                            tbody {
                                @for c in &paged.rows {
                                    tr {
                                        td { a href={ "/patienter/" (c.patient_id) } { (c.family_name) ", " (c.given_name) } }
                                        td.nowrap { (c.personal_identity) }
                                        td { (ctx.t(function_label(c.function))) }
                                        td { @match c.plan {
                                            Some(PlanStatus::Draft) => span.tag.yellow { (plan_text(c.plan)) },
                                            Some(PlanStatus::Active) => span.tag.green { (plan_text(c.plan)) },
                                            None => "–",
                                        } }
                                    }
                                }
                            }
                        }
                    }
                }
                (pager(ctx, PATH, ANCHOR, &[], lp, &paged))
            }
        }
    }
}

/// One worklist: a heading and its items (text, link).
struct Worklist {
    id: &'static str,
    title: String,
    items: Vec<(String, String)>,
    /// What the heading counts: the referrals or patients the list is about, which is
    /// not the number of lines when a line sums several up.
    count: Option<usize>,
}

/// A worklist of `items` under `title`, if there are any.
fn listed(id: &'static str, title: &str, items: Vec<(String, String)>) -> Option<Worklist> {
    (!items.is_empty()).then(|| Worklist {
        id,
        title: title.to_owned(),
        items,
        count: None,
    })
}

/// The role's worklists: referrals to triage, the waiting list's clock, plans to sign,
/// scores and follow-ups due on the caseload, the week's visits, a referrer's
/// complements to answer. Lists that name patients come from logged reads.
async fn worklist(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    caseload: Option<&[trappa_store::care_team::CaseloadEntry]>,
) -> Result<maud::Markup, AppError> {
    let role = user.role;
    let today = trappa_app::clock::today();
    let mut lists: Vec<Worklist> = Vec::new();
    if allows(role, Permission::TriageReferrals) {
        lists.push(triage_list(state, ctx).await?);
    }
    if allows(role, Permission::ManageCareTeam) {
        lists.push(waiting_list(state, ctx, today).await?);
        let caller = ctx.caller(user);
        let open = trappa_app::visit_requests::open(state.store(), &caller)
            .await
            .for_user(ctx)?;
        let items = open
            .iter()
            .map(|w| {
                let kind = if w.kind == "cancel" {
                    ctx.t(&crate::i18n::B::KIND_CANCEL)
                } else {
                    ctx.t(&crate::i18n::B::KIND_MOVE)
                };
                (
                    fill(
                        ctx.t(&crate::i18n::B::WORK_ITEM),
                        &[
                            ("name", &w.patient_name),
                            ("kind", kind),
                            ("when", &trappa_app::clock::format_time(w.requested_at)),
                        ],
                    ),
                    "/besok/onskemal".to_owned(),
                )
            })
            .collect();
        lists.extend(listed(
            "work-visit-wishes",
            ctx.t(&crate::i18n::B::WORK_TITLE),
            items,
        ));
    }
    if let Some(list) = caseload {
        lists.extend(caseload_lists(state, ctx, user, list, today).await?);
    }
    if allows(role, Permission::WorkSharedSips) {
        lists.extend(partner_lists(state, ctx, user, today).await?);
    }
    if allows(role, Permission::ReadOwnReferrals) {
        let caller = ctx.caller(user);
        let (_, mine) = trappa_app::referrals::list(state.store(), &caller, "start.referrals")
            .await
            .for_user(ctx)?;
        let items: Vec<_> = mine
            .iter()
            .filter(|r| r.awaiting_complement)
            .map(|r| (r.name.clone(), format!("/remisser/{}", r.id)))
            .collect();
        lists.extend(listed(
            "work-complements",
            ctx.t(&M::WORK_COMPLEMENTS),
            items,
        ));
    }
    Ok(html! {
        @if !lists.is_empty() {
            div.worklist {
                @for l in &lists {
                    section aria-labelledby=(l.id) {
                        h2 id=(l.id) { (l.title) " (" (l.count.unwrap_or(l.items.len())) ")" }
                        ul { @for (text, href) in &l.items { li { a href=(href) { (text) } } } }
                    }
                }
            }
        }
    })
}

/// The caseload's coordinated individual plans due for follow-up within a week.
async fn sip_follow_ups(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
    today: jiff::civil::Date,
) -> Result<Vec<(String, String)>, AppError> {
    let until = today.saturating_add(jiff::ToSpan::days(7));
    let due = state
        .store()
        .caseload_sip_follow_ups(user.account_id, until)
        .await?;
    Ok(due
        .into_iter()
        .filter_map(|(patient, sip, date)| {
            let c = list.iter().find(|c| c.patient_id == patient)?;
            Some((
                fill(
                    ctx.t(&crate::i18n::Q::WORK_ITEM),
                    &[("name", &caseload_name(c)), ("date", &date.to_string())],
                ),
                format!("/patienter/{patient}/sip#sip-{sip}"),
            ))
        })
        .collect())
}

/// A partner's worklist: the shared plans due for follow-up within a week, and those
/// with tasks of the organisation's still to do. Listing them logs each patient.
async fn partner_lists(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    today: jiff::civil::Date,
) -> Result<Vec<Worklist>, AppError> {
    use crate::i18n::Q;
    let caller = ctx.caller(user);
    // An account in the partner's role but of no organisation has nothing shared.
    let Some((_, shared)) = trappa_app::sip::shared_with(state.store(), &caller, 2000)
        .await
        .for_user(ctx)?
    else {
        return Ok(Vec::new());
    };
    let until = today.saturating_add(jiff::ToSpan::days(7));
    let name = |p: &trappa_store::sips::SharedPlan| format!("{} {}", p.given_name, p.family_name);
    let link = |p: &trappa_store::sips::SharedPlan| {
        format!("/patienter/{}/sip#sip-{}", p.patient_id, p.sip_id)
    };
    let due = shared
        .iter()
        .filter(|p| !p.closed && p.follow_up_on.is_some_and(|d| d <= until))
        .map(|p| {
            let date = p.follow_up_on.map(|d| d.to_string()).unwrap_or_default();
            (
                fill(ctx.t(&Q::WORK_ITEM), &[("name", &name(p)), ("date", &date)]),
                link(p),
            )
        })
        .collect();
    let tasks = shared
        .iter()
        .filter(|p| p.open_tasks > 0)
        .map(|p| {
            let count =
                trappa_i18n::format::count(p.open_tasks, &Q::TASKS_ONE, &Q::TASKS_MANY, ctx.locale);
            (
                fill(
                    ctx.t(&Q::WORK_TASKS_ITEM),
                    &[("name", &name(p)), ("count", &count)],
                ),
                link(p),
            )
        })
        .collect();
    let mut lists = Vec::new();
    lists.extend(listed("work-sip", ctx.t(&Q::WORK_TITLE), due));
    lists.extend(listed("work-sip-tasks", ctx.t(&Q::WORK_TASKS_TITLE), tasks));
    Ok(lists)
}

/// The referrals to triage, and those complemented since asked.
async fn triage_list(state: &AppState, ctx: &Ctx) -> Result<Worklist, AppError> {
    let (all, complemented) = state.store().referral_inbox_counts().await?;
    let mut items = vec![(
        fill(ctx.t(&M::WORK_TRIAGE), &[("n", &all.to_string())]),
        "/remisser".to_owned(),
    )];
    if complemented > 0 {
        items.push((
            fill(
                ctx.t(&M::WORK_COMPLEMENTED),
                &[("n", &complemented.to_string())],
            ),
            "/remisser".to_owned(),
        ));
    }
    Ok(Worklist {
        id: "work-triage",
        title: ctx.t(&M::REFERRALS_TITLE).to_owned(),
        items,
        count: Some(usize::try_from(all).unwrap_or(0)),
    })
}

/// The waiting list's clock: patients not booked, near the guarantee and past it.
async fn waiting_list(
    state: &AppState,
    ctx: &Ctx,
    today: jiff::civil::Date,
) -> Result<Worklist, AppError> {
    let timelines = state.store().waiting_timelines().await?;
    let clocks: Vec<_> = timelines
        .iter()
        .map(|(t, booked)| trappa_app::waiting::clock_for(t, None, *booked, today))
        .collect();
    let unbooked = timelines.iter().filter(|(_, b)| b.is_none()).count();
    let warn = clocks
        .iter()
        .filter(|c| {
            matches!(
                c.status,
                trappa_pathway::clock::ClockStatus::Warning60
                    | trappa_pathway::clock::ClockStatus::Warning80
            )
        })
        .count();
    let breached = clocks.iter().filter(|c| c.status.is_breach()).count();
    let line = |msg, n: usize| {
        (
            fill(ctx.t(msg), &[("n", &n.to_string())]),
            "/vantelista".to_owned(),
        )
    };
    Ok(Worklist {
        id: "work-waiting",
        title: ctx.t(&M::WAITING_TITLE).to_owned(),
        items: vec![
            line(&M::WORK_UNBOOKED, unbooked),
            line(&M::WAITING_WARN, warn),
            line(&M::WAITING_BREACHED, breached),
        ],
        count: Some(timelines.len()),
    })
}

/// A caseload patient's name as the worklists show it.
fn caseload_name(c: &trappa_store::care_team::CaseloadEntry) -> String {
    format!("{}, {}", c.family_name, c.given_name)
}

/// The worklists of one's caseload: plans to sign, flagged reports, the engine's
/// proposals, scores and follow-ups due, the week's visits.
async fn caseload_lists(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
    today: jiff::civil::Date,
) -> Result<Vec<Worklist>, AppError> {
    let mut lists = Vec::new();
    if allows(user.role, Permission::SignTaperPlans) {
        let items: Vec<_> = list
            .iter()
            .filter(|c| c.plan == Some(trappa_store::taper_plans::PlanStatus::Draft))
            .map(|c| {
                (
                    caseload_name(c),
                    format!("/patienter/{}/plan", c.patient_id),
                )
            })
            .collect();
        lists.extend(listed("to-sign-h", ctx.t(&M::START_PLANS_TO_SIGN), items));
    }
    let (scores_due, follow_ups) = due_on_caseload(state, ctx, user, list, today).await?;
    let (flagged, proposals) = reports_and_proposals(state, ctx, user, list, today).await?;
    lists.extend(listed("work-flagged", ctx.t(&W::WORK_FLAGGED), flagged));
    lists.extend(listed(
        "work-unanswered",
        ctx.t(&crate::i18n::G::WORK_UNANSWERED),
        unanswered(state, ctx, user, list).await?,
    ));
    lists.extend(listed(
        "work-unread-reports",
        ctx.t(&W::WORK_UNREAD_REPORTS),
        unread_reports(state, ctx, user, list).await?,
    ));
    lists.extend(listed(
        "work-proposals",
        ctx.t(&W::WORK_PROPOSALS),
        proposals,
    ));
    lists.extend(listed(
        "work-scores",
        ctx.t(&M::WORK_SCORES_DUE),
        scores_due,
    ));
    lists.extend(listed(
        "work-follow-ups",
        ctx.t(&M::WORK_FOLLOW_UPS),
        follow_ups,
    ));
    lists.extend(listed(
        "work-sip",
        ctx.t(&crate::i18n::Q::WORK_TITLE),
        sip_follow_ups(state, ctx, user, list, today).await?,
    ));
    let from = trappa_app::clock::start_of(today);
    let to = trappa_app::clock::start_of(today.saturating_add(jiff::ToSpan::days(7)));
    let caller = ctx.caller(user);
    let visits = trappa_app::visits::scheduled(state.store(), &caller, from, to)
        .await
        .for_user(ctx)?;
    let items = visits
        .iter()
        .map(|v| {
            (
                format!(
                    "{} · {} · {} · {}",
                    trappa_app::clock::format_time(v.appointment.starts_at),
                    v.patient_name,
                    v.appointment.kind.label(ctx.locale),
                    v.appointment.place.label(ctx.locale)
                ),
                format!("/patienter/{}/besok", v.appointment.patient_id),
            )
        })
        .collect();
    lists.extend(listed("work-visits", ctx.t(&M::WORK_VISITS), items));
    Ok(lists)
}

/// The caseload's scores due (a patient on an active plan without a score in
/// `SCORE_DUE_DAYS`) and follow-ups due (aftercare's follow-ups, and the outcome
/// questions at their months).
async fn due_on_caseload(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
    today: jiff::civil::Date,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    use trappa_pathway::aftercare::{FollowUpState, OUTCOME_MONTHS, months_after};
    let store = state.store();
    let events = store.caseload_path_events(user.account_id).await?;
    let latest = store.caseload_latest_scores(user.account_id).await?;
    let mut scores_due = Vec::new();
    let mut follow_ups = Vec::new();
    let follow_up = |c, msg, months: i64| {
        (
            format!(
                "{} – {}",
                caseload_name(c),
                fill(
                    ctx.t(msg),
                    &[("n", &trappa_i18n::format::months(months, ctx.locale))]
                )
            ),
            format!("/patienter/{}/eftervard", c.patient_id),
        )
    };
    for c in list {
        let mine: Vec<_> = events
            .iter()
            .filter(|(p, _)| *p == c.patient_id)
            .map(|(_, e)| e.clone())
            .collect();
        let path = crate::pages::aftercare::PathState::from_events(&mine)?;
        if path.discharge.is_none()
            && path.aftercare.is_none()
            && c.plan == Some(trappa_store::taper_plans::PlanStatus::Active)
        {
            let last = latest
                .iter()
                .find(|(p, _)| *p == c.patient_id)
                .map(|(_, d)| *d);
            let since = today.saturating_sub(jiff::ToSpan::days(
                crate::pages::path_overview::SCORE_DUE_DAYS,
            ));
            if last.is_none_or(|d| d < since) {
                scores_due.push((
                    caseload_name(c),
                    format!("/patienter/{}/skattningar", c.patient_id),
                ));
            }
        }
        if path.discharge.is_none() {
            for fu in path.schedule(today) {
                if matches!(fu.state, FollowUpState::Due | FollowUpState::Overdue) {
                    follow_ups.push(follow_up(c, &M::FOLLOW_UP_MONTH, i64::from(fu.month)));
                }
            }
        }
        if let Some((from, _)) = &path.aftercare {
            for m in OUTCOME_MONTHS {
                if today >= months_after(*from, m)
                    && !path.outcomes.iter().any(|(_, o)| o.months == m)
                {
                    follow_ups.push(follow_up(c, &M::OUTCOME_Q_MONTHS, i64::from(m)));
                }
            }
        }
    }
    Ok((scores_due, follow_ups))
}

/// How far back a reported event (a score's flag) stays on the worklist when no signed
/// plan has taken it into account: four weeks, the longest interval between visits.
const FLAGGED_DAYS: i64 = 28;

/// The caseload's reported events no signed plan has seen yet (every flag on a score
/// newer than the plan in force was signed from, within [`FLAGGED_DAYS`]), and for a
/// prescriber the engine's proposals that ask for a decision (anything but "go on as
/// planned", or an urgent report) — made exactly as the plan page makes them.
async fn reports_and_proposals(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
    today: jiff::civil::Date,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    use trappa_taper::adapt::{Action as Proposed, Flag, flag_text, propose_next};
    let store = state.store();
    let plans = store.caseload_active_plans(user.account_id).await?;
    let scores = store.caseload_scores(user.account_id).await?;
    let since = today.saturating_sub(jiff::ToSpan::days(FLAGGED_DAYS));
    let diary = store.caseload_flagged_diary(user.account_id, since).await?;
    let policy = if allows(user.role, Permission::SignTaperPlans) {
        Some(crate::pages::taper::unit_policy(state, user).await?)
    } else {
        None
    };
    let mut flagged = Vec::new();
    let mut proposals = Vec::new();
    for c in list {
        let name = format!("{}, {}", c.family_name, c.given_name);
        let active = plans
            .iter()
            .find(|(p, _)| *p == c.patient_id)
            .map(|(_, v)| v);
        let seen = active.and_then(|v| v.scores_seen);
        let records: Vec<_> = scores
            .iter()
            .filter(|(p, _)| *p == c.patient_id)
            .map(|(_, r)| r.clone())
            .collect();
        for r in records.iter().filter(|r| {
            r.corrected_by.is_none()
                && !r.flags.is_empty()
                && r.observed_on >= since
                && seen.is_none_or(|s| r.id > s)
        }) {
            let flags: Vec<&str> = r
                .flags
                .iter()
                .filter_map(|f| crate::pages::scores::parse_code::<Flag>(f))
                .map(|f| flag_text(f, ctx.locale))
                .collect();
            let instrument = state
                .instruments()
                .get(&r.instrument)
                .map_or(r.instrument.as_str(), |i| i.name.as_str());
            flagged.push((
                fill(
                    ctx.t(&W::WORK_FLAGGED_ITEM),
                    &[
                        ("name", &name),
                        ("instrument", instrument),
                        ("date", &r.observed_on.to_string()),
                        ("flags", &flags.join(", ")),
                    ],
                ),
                format!("/patienter/{}/skattningar", c.patient_id),
            ));
        }
        let entries: Vec<_> = diary
            .iter()
            .filter(|(p, _)| *p == c.patient_id)
            .map(|(_, e)| e.clone())
            .collect();
        for e in entries
            .iter()
            .filter(|e| active.and_then(|v| v.diary_seen).is_none_or(|s| e.id > s))
        {
            let flags: Vec<&str> = e
                .flags
                .iter()
                .filter_map(|f| crate::pages::scores::parse_code::<Flag>(f))
                .map(|f| flag_text(f, ctx.locale))
                .collect();
            flagged.push((
                fill(
                    ctx.t(&W::WORK_FLAGGED_DIARY),
                    &[
                        ("name", &name),
                        ("date", &e.day.to_string()),
                        ("flags", &flags.join(", ")),
                    ],
                ),
                format!("/patienter/{}/dagbok", c.patient_id),
            ));
        }
        if let (Some(policy), Some(version)) = (&policy, active) {
            let plan = crate::pages::patient_plan::parse_plan(version)?;
            let mut observations =
                trappa_app::scores::observations(state.instruments(), &records, seen);
            observations.extend(trappa_app::reports::diary_observations(
                &entries,
                version.diary_seen,
            ));
            let p = propose_next(&plan, today, &observations, policy);
            if p.action != Proposed::Continue || !p.urgent.is_empty() {
                proposals.push((
                    fill(
                        ctx.t(&W::WORK_PROPOSAL_ITEM),
                        &[
                            ("name", &name),
                            (
                                "action",
                                &crate::pages::patient_plan::action_text(ctx, &p.action),
                            ),
                        ],
                    ),
                    format!("/patienter/{}/plan#proposal-h", c.patient_id),
                ));
            }
        }
    }
    Ok((flagged, proposals))
}

/// The caseload's threads waiting for the care team's answer, longest first, with how
/// long the patient has waited.
async fn unanswered(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
) -> Result<Vec<(String, String)>, AppError> {
    let threads = state.store().caseload_threads(user.account_id).await?;
    Ok(threads
        .iter()
        .filter_map(|t| {
            let since = t.waiting_since?;
            let c = list.iter().find(|c| c.patient_id == t.patient_id)?;
            Some((
                fill(
                    ctx.t(&crate::i18n::G::WORK_UNANSWERED_ITEM),
                    &[
                        ("name", &caseload_name(c)),
                        ("subject", &t.subject),
                        ("age", &waited(ctx, since)),
                    ],
                ),
                format!("/patienter/{}/meddelanden/{}", t.patient_id, t.id),
            ))
        })
        .collect())
}

/// How long since `since`, in words: minutes under an hour, hours under a day, then
/// days.
pub(crate) fn waited(ctx: &Ctx, since: jiff::Timestamp) -> String {
    let seconds = (jiff::Timestamp::now().as_second() - since.as_second()).max(0);
    let hours = seconds / 3600;
    if hours == 0 {
        trappa_i18n::format::minutes(seconds / 60, ctx.locale)
    } else if hours < 24 {
        trappa_i18n::format::hours(hours, ctx.locale)
    } else {
        trappa_i18n::format::days(hours / 24, ctx.locale)
    }
}

/// The caseload's patients who have sent self-rated scores or diary entries the care
/// team has not marked read, oldest first, with how many and how long they have waited.
async fn unread_reports(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    list: &[trappa_store::care_team::CaseloadEntry],
) -> Result<Vec<(String, String)>, AppError> {
    let unread = state
        .store()
        .caseload_unread_reports(user.account_id)
        .await?;
    Ok(unread
        .iter()
        .filter_map(|u| {
            let c = list.iter().find(|c| c.patient_id == u.patient_id)?;
            let age = waited(ctx, u.oldest);
            Some((
                fill(
                    ctx.t(&W::WORK_UNREAD_REPORTS_ITEM),
                    &[
                        ("name", &caseload_name(c)),
                        (
                            "count",
                            &trappa_i18n::format::count(
                                u.reports,
                                &W::REPORT_ONE,
                                &W::REPORT_MANY,
                                ctx.locale,
                            ),
                        ),
                        ("age", &age),
                    ],
                ),
                format!("/patienter/{}/dagbok", u.patient_id),
            ))
        })
        .collect())
}

/// The role switch form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

/// `POST /roll`: act in another of one's roles. The switch is logged (the log shows
/// which role every later access was made in); a role the account does not hold is
/// refused and logged.
pub async fn switch_role(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let switched =
        trappa_app::sessions::switch_role(state.store(), &caller, &user.session_hash, &f.role);
    match switched.await.for_user(&ctx) {
        Err(AppError::NotFound) => return Err(AppError::Unauthenticated),
        other => other?,
    }
    Ok(Redirect::to("/start").into_response())
}

/// Fallback: 404 page or problem.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
