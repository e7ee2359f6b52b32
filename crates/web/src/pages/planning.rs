//! The travelling team's week (issue 5): the week board per staff member, the planner's
//! proposal shown as changes before it is saved, pins and locked days, moving a visit,
//! each day's route with its stops, times, km and a map, and the staff calendars as ICS.
//! Every page that names patients logs the listing and each patient (basis planning).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_i18n::fill;
use trappa_planning::check::{Violation, check};
use trappa_planning::kpi::{Kpi, kpi};
use trappa_planning::model::{Minute, Mode, Plan, Problem, Reason, Route, Stop};
use trappa_planning::planner::{Fixed, Settings, replan};
use trappa_planning::travel::Point;
use trappa_planning::week::{Change, Placement, WeekPlan, diff};
use trappa_store::Uuid;

use crate::AppState;
use crate::access::{Can, PlanTrips};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Query};
use crate::i18n::{M, Msg, S};
use crate::pages::layout::{csrf_field, page};
use crate::time::{format_time, today};
use crate::week::{Names, monday_of, plan_kind, problem, proposal_kind, read_week, weekdays};

/// The week board asked for: the week, and `vy=kompakt` for times and names only.
#[derive(Debug, Deserialize)]
pub struct BoardQuery {
    /// A day of the week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// `kompakt`: each day's visits as times and names, staff without visits left out.
    #[serde(default)]
    pub vy: Option<String>,
}

fn week_of(ctx: &Ctx, v: Option<&str>) -> Result<Date, AppError> {
    match v.map(str::trim) {
        None | Some("") => Ok(monday_of(today())),
        Some(s) => trappa_input::date::parse(s).map(monday_of).map_err(|_| {
            AppError::Invalid(vec![FieldError {
                field: "vecka".into(),
                message: ctx.t(&M::WEEK_ERR_WEEK).into(),
            }])
        }),
    }
}

fn unit_of(user: &User) -> Result<Uuid, AppError> {
    user.unit_id.ok_or(AppError::Forbidden)
}

fn hhmm(m: Minute) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Words for a mode.
pub fn mode_label(m: Mode) -> &'static Msg {
    match m {
        Mode::OwnVardcentral => &M::MODE_OWN_VC,
        Mode::Base => &M::MODE_BASE,
        Mode::Video => &M::MODE_VIDEO,
        Mode::Phone => &M::MODE_PHONE,
    }
}

fn reason_label(r: Reason) -> &'static Msg {
    match r {
        Reason::NoProfession => &M::REASON_NO_PROFESSION,
        Reason::OutsideEveryWindow => &M::REASON_OUTSIDE_WINDOWS,
        Reason::NoRoom => &M::REASON_NO_ROOM,
        Reason::NoCapacity => &M::REASON_NO_CAPACITY,
    }
}

/// Words for a visit's kind, read from its id (`{patient}:{kind}:{date}`).
fn kind_label(visit: &str) -> &'static Msg {
    match visit.split(':').nth(1) {
        Some("nurse_review") => &M::KIND_NURSE_REVIEW,
        Some("medical_review") => &M::KIND_MEDICAL_REVIEW,
        Some("follow_up") => &M::KIND_FOLLOW_UP,
        Some("request") => &M::KIND_REQUEST,
        _ => &M::KIND_SESSION,
    }
}

fn weekday_label(d: Date) -> &'static Msg {
    weekday_msg(d.weekday().to_monday_one_offset())
}

/// Words for a weekday, 1 = Monday.
pub fn weekday_msg(n: i8) -> &'static Msg {
    match n {
        1 => &M::WEEKDAY_1,
        2 => &M::WEEKDAY_2,
        3 => &M::WEEKDAY_3,
        4 => &M::WEEKDAY_4,
        5 => &M::WEEKDAY_5,
        6 => &M::WEEKDAY_6,
        _ => &M::WEEKDAY_7,
    }
}

/// The patient a visit is for.
fn patient_of<'a>(problem: &'a Problem, visit: &str) -> &'a str {
    problem.visit(visit).map_or("", |v| v.patient.as_str())
}

/// Where a stop takes place, in words.
fn place_of(ctx: &Ctx, problem: &Problem, names: &Names, stop: &Stop) -> String {
    match stop.mode {
        Mode::OwnVardcentral => problem
            .visit(&stop.visit)
            .map_or_else(String::new, |v| names.site(&v.site).to_owned()),
        m => ctx.t(mode_label(m)).to_owned(),
    }
}

/// The week's saved plan and its version (0: none).
async fn saved(
    state: &AppState,
    unit: Uuid,
    monday: Date,
) -> Result<Option<(WeekPlan, trappa_store::documents::DocumentVersion)>, AppError> {
    match state.store().document(unit, &plan_kind(monday)).await? {
        Some(d) => Ok(Some((read_week(&d)?, d))),
        None => Ok(None),
    }
}

fn week_heading(ctx: &Ctx, monday: Date) -> Markup {
    let friday = weekdays(monday).last().copied().unwrap_or(monday);
    let week = monday.iso_week_date().week().to_string();
    let prev = monday
        .checked_sub(jiff::Span::new().days(7))
        .unwrap_or(monday);
    let next = monday
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(monday);
    html! {
        p.week-nav {
            a href={ "/planering?vecka=" (prev) } { "← " (ctx.t(&M::WEEK_PREV)) }
            " "
            strong { (fill(ctx.t(&M::WEEK_WEEK), &[("week", &week), ("from", &monday.to_string()), ("to", &friday.to_string())])) }
            " "
            a href={ "/planering?vecka=" (next) } { (ctx.t(&M::WEEK_NEXT)) " →" }
        }
    }
}

fn kpi_rows(ctx: &Ctx, k: &Kpi) -> Vec<(&'static Msg, String)> {
    vec![
        (
            &M::WEEK_KPI_KM,
            fill(
                ctx.t(&M::WEEK_KM),
                &[("km", &trappa_i18n::format::decimal(k.km, 0, ctx.locale))],
            ),
        ),
        (
            &M::WEEK_KPI_HOURS,
            fill(
                ctx.t(&M::WEEK_HOURS),
                &[("h", &trappa_i18n::format::decimal(k.hours, 1, ctx.locale))],
            ),
        ),
        (&M::WEEK_KPI_IN_PERSON, k.in_person.to_string()),
        (&M::WEEK_KPI_DIGITAL, k.digital.to_string()),
        (
            &M::WEEK_KPI_CONTINUITY,
            trappa_i18n::format::percent(k.continuity * 100.0, 0, ctx.locale),
        ),
        (
            &M::WEEK_KPI_PER_DAY,
            trappa_i18n::format::decimal(k.visits_per_staff_day, 1, ctx.locale),
        ),
        (&M::WEEK_KPI_UNPLANNED, k.unassigned.to_string()),
    ]
}

/// `GET /planering`: the week board.
pub async fn board(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let compact = q.vy.as_deref() == Some("kompakt");
    let unit = unit_of(&user)?;
    let (now, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let saved = saved(&state, unit, monday).await?;
    let (requests, requests_version) = crate::week::requests(state.store(), unit, monday).await?;
    let days = weekdays(monday);
    let body = html! {
        h1 { (ctx.t(&M::WEEK_TITLE)) }
        p.lead { (ctx.t(&M::WEEK_LEAD)) }
        (week_heading(&ctx, monday))
        p { (fill(ctx.t(&M::WEEK_DEMAND), &[
            ("n", &now.visits.len().to_string()),
            ("staff", &now.staff_days.len().to_string()),
            ("rooms", &now.rooms.len().to_string()),
        ])) " " a href="/planering/tillganglighet" { (ctx.t(&M::WEEK_AVAILABILITY)) } }
        @if now.staff_days.is_empty() { p.notice role="status" { (ctx.t(&M::WEEK_NO_STAFF)) } }
        form method="post" action="/planering/planera" {
            (csrf_field(&ctx))
            input type="hidden" name="vecka" value=(monday);
            button type="submit" { (ctx.t(if saved.is_some() { &M::WEEK_RERUN } else { &M::WEEK_RUN })) }
            " " span.hint { (ctx.t(&M::WEEK_RUN_HINT)) }
        }
        (requests_section(&ctx, monday, &requests, requests_version, &names))
        @match &saved {
            None => p.muted { (ctx.t(&M::WEEK_NONE_SAVED)) },
            Some((week, doc)) => {
                p.muted { (fill(ctx.t(&M::WEEK_SAVED_BY), &[
                    ("version", &doc.version.to_string()),
                    ("name", &doc.author_name),
                    ("at", &format_time(doc.authored_at)),
                    ("reason", &doc.reason),
                ])) }
                h2 { (ctx.t(&M::WEEK_KPI)) }
                dl.kpis { @for (label, value) in kpi_rows(&ctx, &kpi(&week.problem, &week.plan)) {
                    div { dt { (ctx.t(label)) } dd { (value) } }
                } }
                h2 #veckotavla { (ctx.t(&M::WEEK_BOARD)) }
                p.view-switch {
                    (ctx.t(&M::WEEK_VIEW)) ": "
                    a href={ "/planering?vecka=" (monday) "#veckotavla" } aria-current=[(!compact).then_some("page")] { (ctx.t(&M::WEEK_VIEW_FULL)) }
                    " · "
                    a href={ "/planering?vecka=" (monday) "&vy=kompakt#veckotavla" } aria-current=[compact.then_some("page")] { (ctx.t(&M::WEEK_VIEW_COMPACT)) }
                }
                @let busy = |staff: &str| week.plan.routes.iter().any(|r| r.staff == staff && !r.stops.is_empty());
                @let shown: Vec<_> = setup.staff.iter().filter(|s| !compact || busy(&s.staff)).collect();
                div.table-wrap { table.week-board.compact[compact] {
                    thead { tr {
                        th scope="col" { (ctx.t(&M::WEEK_STAFF)) }
                        @for d in &days { th scope="col" { (ctx.t(weekday_label(*d))) " " span.nowrap { (d.to_string()) } } }
                    } }
                    tbody { @for s in &shown { tr {
                        th scope="row" {
                            (s.name) br; span.muted { (ctx.t(profession_label(&s.profession))) }
                            @if !compact { br; a href={ "/planering/kalender?vecka=" (monday) "&personal=" (s.staff) } { (ctx.t(&M::WEEK_CALENDAR)) } }
                        }
                        @for d in &days { td {
                            @if compact { (compact_cell(&ctx, week, &names, &s.staff, *d)) }
                            @else { (day_cell(&ctx, week, doc.version, &names, &s.staff, &s.name, *d)) }
                        } }
                    } } }
                } }
                @if shown.len() < setup.staff.len() {
                    p.muted { (fill(ctx.t(&M::WEEK_HIDDEN_STAFF), &[("n", &(setup.staff.len() - shown.len()).to_string())])) }
                }
                h2 { (ctx.t(&M::WEEK_UNPLANNED)) }
                @if week.plan.unassigned.is_empty() { p { (ctx.t(&M::WEEK_UNPLANNED_NONE)) } }
                @else { ul { @for u in &week.plan.unassigned {
                    li { (names.patient(patient_of(&week.problem, &u.visit))) " – " (ctx.t(kind_label(&u.visit))) ": " (ctx.t(reason_label(u.reason))) }
                } } }
            }
        }
    };
    Ok(page(&ctx, ctx.t(&M::WEEK_TITLE), body).into_response())
}

#[allow(clippy::too_many_arguments)]
fn day_cell(
    ctx: &Ctx,
    week: &WeekPlan,
    version: i64,
    names: &Names,
    staff: &str,
    staff_name: &str,
    day: Date,
) -> Markup {
    let works = week
        .problem
        .staff_days
        .iter()
        .any(|d| d.staff == staff && d.day == day);
    if !works {
        return html! { span.muted { (ctx.t(&M::WEEK_OFF)) } };
    }
    let route = week
        .plan
        .routes
        .iter()
        .find(|r| r.staff == staff && r.day == day);
    let locked = week
        .fixed
        .locked
        .iter()
        .any(|(s, d)| s == staff && *d == day);
    let day_text = day.to_string();
    html! {
        @if locked { span.tag { (ctx.t(&M::WEEK_LOCKED)) } " " }
        @match route {
            None => span.muted { (ctx.t(&M::WEEK_EMPTY_DAY)) },
            Some(r) => {
                ol.stops { @for stop in &r.stops {
                    @let pinned = week.fixed.pinned.contains(&stop.visit);
                    @let who = names.patient(patient_of(&week.problem, &stop.visit));
                    li {
                        strong { (hhmm(stop.start)) } " " (who)
                        br; span.muted { (ctx.t(kind_label(&stop.visit))) ", " (place_of(ctx, &week.problem, names, stop)) }
                        @if pinned { " " span.tag { (ctx.t(&M::WEEK_PINNED)) } }
                        br;
                        form.inline method="post" action="/planering/fast" {
                            (csrf_field(ctx))
                            input type="hidden" name="vecka" value=(week.monday);
                            input type="hidden" name="grund" value=(version);
                            input type="hidden" name="nal" value=(stop.visit);
                            button.link-button type="submit"
                                aria-label=(fill(ctx.t(if pinned { &M::WEEK_UNPIN_LABEL } else { &M::WEEK_PIN_LABEL }), &[("visit", who)])) {
                                (ctx.t(if pinned { &M::WEEK_UNPIN } else { &M::WEEK_PIN }))
                            }
                        }
                    }
                } }
                @if let Some(l) = r.lunch { p.muted { (fill(ctx.t(&M::WEEK_LUNCH), &[("time", &hhmm(l))])) } }
            }
        }
        p {
            a href={ "/planering/dag?vecka=" (week.monday) "&personal=" (staff) "&dag=" (day) } { (ctx.t(&M::WEEK_DAY_ROUTE)) }
        }
        form.inline method="post" action="/planering/fast" {
            (csrf_field(ctx))
            input type="hidden" name="vecka" value=(week.monday);
            input type="hidden" name="grund" value=(version);
            input type="hidden" name="las_personal" value=(staff);
            input type="hidden" name="las_dag" value=(day);
            button.link-button type="submit"
                aria-label=(fill(ctx.t(if locked { &M::WEEK_UNLOCK_LABEL } else { &M::WEEK_LOCK_LABEL }), &[("staff", staff_name), ("day", &day_text)])) {
                (ctx.t(if locked { &M::WEEK_UNLOCK } else { &M::WEEK_LOCK }))
            }
        }
    }
}

/// A day of the compact board: each visit's time and patient, nothing to act on (the
/// full view has the actions).
fn compact_cell(ctx: &Ctx, week: &WeekPlan, names: &Names, staff: &str, day: Date) -> Markup {
    let works = week
        .problem
        .staff_days
        .iter()
        .any(|d| d.staff == staff && d.day == day);
    let route = week
        .plan
        .routes
        .iter()
        .find(|r| r.staff == staff && r.day == day && !r.stops.is_empty());
    html! {
        @match (works, route) {
            (false, _) => span.muted { (ctx.t(&M::WEEK_OFF)) },
            (true, None) => span.muted { "–" },
            (true, Some(r)) => ul.stops-compact { @for stop in &r.stops {
                li {
                    strong { (hhmm(stop.start)) } " " (names.patient(patient_of(&week.problem, &stop.visit)))
                    @if week.fixed.pinned.contains(&stop.visit) { " " span.tag { (ctx.t(&M::WEEK_PINNED)) } }
                }
            } },
        }
    }
}

/// The planner's settings for a proposal made while the coordinator waits.
fn settings(state: &AppState) -> Settings {
    Settings {
        max_seconds: state.config().planner_seconds,
        ..Settings::default()
    }
}

/// Runs the planner off the async threads (stopped if the coordinator leaves).
async fn run(
    state: &AppState,
    problem: Problem,
    previous: Plan,
    fixed: Fixed,
) -> Result<Plan, AppError> {
    let mut settings = settings(state);
    crate::work::run(state, "planner", move |cancel| {
        settings.stop = Some(cancel.flag());
        let plan = replan(&problem, &previous, &fixed, &settings);
        cancel.check()?;
        plan.map_err(|e| AppError::Internal(e.into()))
    })
    .await?
}

/// The form that asks for a proposal.
#[derive(Debug, Deserialize)]
pub struct ProposeForm {
    /// The week (this week if not given).
    #[serde(default)]
    pub vecka: Option<String>,
}

/// Stores a proposal (kept: what was proposed is not lost) and shows it as changes.
async fn propose_and_show(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    unit: Uuid,
    proposal: WeekPlan,
    names: &Names,
) -> Result<Response, AppError> {
    // The planner keeps every hard constraint; a plan that does not is never offered.
    let broken = check(&proposal.problem, &proposal.plan);
    if !broken.is_empty() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the planner's proposal breaks constraints: {broken:?}"
        )));
    }
    let kind = proposal_kind(proposal.monday);
    let current = state.store().document(unit, &kind).await?;
    let body = serde_json::to_string(&proposal).map_err(|e| AppError::Internal(e.into()))?;
    let version = state
        .store()
        .save_document(
            unit,
            &kind,
            current.map_or(0, |c| c.version),
            &body,
            user.account_id,
            "Förslag",
        )
        .await?;
    let saved = saved(state, unit, proposal.monday).await?;
    render_proposal(ctx, &proposal, version, saved.as_ref(), names, "", &[])
}

fn placement_text(ctx: &Ctx, names: &Names, p: Option<&Placement>) -> String {
    match p {
        None => ctx.t(&M::WEEK_NOT_PLANNED).to_owned(),
        Some(p) => format!(
            "{}, {} {} {}, {}",
            names.staff(&p.staff),
            ctx.t(weekday_label(p.day)),
            p.day,
            hhmm(p.start),
            ctx.t(mode_label(p.mode))
        ),
    }
}

fn render_proposal(
    ctx: &Ctx,
    proposal: &WeekPlan,
    version: i64,
    saved: Option<&(WeekPlan, trappa_store::documents::DocumentVersion)>,
    names: &Names,
    reason: &str,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let empty = Plan::default();
    let before = saved.map_or(&empty, |(w, _)| &w.plan);
    let changes: Vec<Change> = diff(before, &proposal.plan);
    let after_kpi = kpi(&proposal.problem, &proposal.plan);
    let before_kpi = saved.map(|(w, _)| kpi(&w.problem, &w.plan));
    let body = html! {
        h1 { (ctx.t(&M::WEEK_PROPOSAL_TITLE)) }
        (week_heading(ctx, proposal.monday))
        p.lead { (ctx.t(&M::WEEK_PROPOSAL_LEAD)) }
        (crate::pages::layout::error_summary(ctx, errors))
        h2 { (ctx.t(&M::WEEK_KPI_COMPARE)) }
        div.table-wrap { table {
            thead { tr { th scope="col" { (ctx.t(&M::WEEK_KPI)) } th scope="col" { (ctx.t(&M::WEEK_BEFORE)) } th scope="col" { (ctx.t(&M::WEEK_AFTER)) } } }
            tbody {
                @let after_rows = kpi_rows(ctx, &after_kpi);
                @let before_rows = before_kpi.as_ref().map(|k| kpi_rows(ctx, k));
                @for (i, (label, value)) in after_rows.iter().enumerate() {
                    tr {
                        th scope="row" { (ctx.t(label)) }
                        td { @if let Some(b) = &before_rows { (b[i].1) } @else { "–" } }
                        td { (value) }
                    }
                }
            }
        } }
        h2 { (fill(ctx.t(&M::WEEK_CHANGES), &[("n", &changes.len().to_string())])) }
        @if changes.is_empty() { p { (ctx.t(&M::WEEK_NO_CHANGES)) } }
        @else { div.table-wrap { table.changes {
            thead { tr {
                th scope="col" { (ctx.t(&M::WEEK_PATIENT)) }
                th scope="col" { (ctx.t(&M::WEEK_VISIT)) }
                th scope="col" { (ctx.t(&M::WEEK_BEFORE)) }
                th scope="col" { (ctx.t(&M::WEEK_AFTER)) }
            } }
            tbody { @for c in &changes { tr {
                td { (names.patient(patient_of(&proposal.problem, &c.visit))) }
                td { (ctx.t(kind_label(&c.visit))) }
                td { (placement_text(ctx, names, c.before.as_ref())) }
                td { (placement_text(ctx, names, c.after.as_ref())) }
            } } }
        } } }
        form method="post" action="/planering/spara" {
            (csrf_field(ctx))
            input type="hidden" name="vecka" value=(proposal.monday);
            input type="hidden" name="forslag" value=(version);
            input type="hidden" name="grund" value=(saved.map_or(0, |(_, d)| d.version));
            div.field {
                label for="skal" { (ctx.t(&M::WEEK_SAVE_REASON)) }
                span.hint #skal-hint { (ctx.t(&M::WEEK_SAVE_REASON_HINT)) }
                input #skal type="text" name="skal" value=(reason) aria-describedby="skal-hint";
            }
            button type="submit" { (ctx.t(&M::WEEK_SAVE)) }
            " "
            a href={ "/planering?vecka=" (proposal.monday) } { (ctx.t(&M::WEEK_CANCEL)) }
        }
    };
    Ok(page(ctx, ctx.t(&M::WEEK_PROPOSAL_TITLE), body).into_response())
}

/// `POST /planering/planera`: the planner's proposal for the week, around what is
/// pinned and locked in the saved plan.
pub async fn propose(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<ProposeForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let (problem, _, names) = problem(&state, &ctx, unit, monday).await?;
    let (previous, fixed) = saved(&state, unit, monday)
        .await?
        .map(|(w, _)| (w.plan, w.fixed))
        .unwrap_or_default();
    let plan = run(&state, problem.clone(), previous, fixed.clone()).await?;
    let proposal = WeekPlan {
        monday,
        problem,
        plan,
        fixed,
    };
    propose_and_show(&state, &ctx, &user, unit, proposal, &names).await
}

/// The form that saves a proposal.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    /// The week.
    pub vecka: String,
    /// The proposal's version, as shown.
    pub forslag: i64,
    /// The saved plan's version the proposal was made from (0: none).
    pub grund: i64,
    /// Why.
    #[serde(default)]
    pub skal: String,
}

fn describe(v: &[Violation]) -> String {
    v.iter()
        .map(|x| format!("{x:?}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `POST /planering/spara`: saves the proposal shown, if it still is the latest, the
/// saved plan has not changed meanwhile, and every hard constraint holds.
pub async fn save(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<SaveForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, Some(&f.vecka))?;
    let unit = unit_of(&user)?;
    let doc = state
        .store()
        .document(unit, &proposal_kind(monday))
        .await?
        .ok_or(AppError::NotFound)?;
    if doc.version != f.forslag {
        return Err(AppError::Stale);
    }
    let proposal = read_week(&doc)?;
    let reason = f.skal.trim();
    let broken = check(&proposal.problem, &proposal.plan);
    if reason.is_empty() || !broken.is_empty() {
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(FieldError {
                field: "skal".into(),
                message: ctx.t(&M::WEEK_ERR_REASON).into(),
            });
        }
        if !broken.is_empty() {
            errors.push(FieldError {
                field: "skal".into(),
                message: fill(ctx.t(&M::WEEK_ERR_BROKEN), &[("what", &describe(&broken))]),
            });
        }
        let (_, _, names) = problem(&state, &ctx, unit, monday).await?;
        let saved = saved(&state, unit, monday).await?;
        let mut response = render_proposal(
            &ctx,
            &proposal,
            doc.version,
            saved.as_ref(),
            &names,
            reason,
            &errors,
        )?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    state
        .store()
        .save_document(
            unit,
            &plan_kind(monday),
            f.grund,
            &doc.body,
            user.account_id,
            reason,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}

/// The form that pins a visit or locks a day (toggles).
#[derive(Debug, Deserialize)]
pub struct FixForm {
    /// The week.
    pub vecka: String,
    /// The saved plan's version the board showed.
    pub grund: i64,
    /// A visit to pin or unpin.
    #[serde(default)]
    pub nal: Option<String>,
    /// The staff member of a day to lock or unlock.
    #[serde(default)]
    pub las_personal: Option<String>,
    /// That day.
    #[serde(default)]
    pub las_dag: Option<String>,
}

/// `POST /planering/fast`: pins or unpins a visit, locks or unlocks a day — a new
/// version of the saved week with the reason written for it.
pub async fn fix(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<FixForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, Some(&f.vecka))?;
    let unit = unit_of(&user)?;
    let Some((mut week, doc)) = saved(&state, unit, monday).await? else {
        return Err(AppError::Invalid(vec![FieldError {
            field: "vecka".into(),
            message: ctx.t(&M::WEEK_ERR_NO_PLAN).into(),
        }]));
    };
    if doc.version != f.grund {
        return Err(AppError::Stale);
    }
    let (setup, _) = crate::week::setup(state.store(), unit).await?;
    let reason = if let Some(visit) = f.nal.as_deref().filter(|v| !v.is_empty()) {
        let placed = week
            .plan
            .routes
            .iter()
            .any(|r| r.stops.iter().any(|s| s.visit == visit));
        if !placed {
            return Err(AppError::Invalid(vec![FieldError {
                field: "nal".into(),
                message: ctx.t(&M::WEEK_ERR_NO_VISIT).into(),
            }]));
        }
        // The reason names the visit, not the patient: the log and the history stay
        // free of names.
        if let Some(i) = week.fixed.pinned.iter().position(|p| p == visit) {
            week.fixed.pinned.remove(i);
            fill(ctx.t(&M::WEEK_REASON_UNPIN), &[("visit", visit)])
        } else {
            week.fixed.pinned.push(visit.to_owned());
            fill(ctx.t(&M::WEEK_REASON_PIN), &[("visit", visit)])
        }
    } else {
        let staff = f.las_personal.clone().unwrap_or_default();
        let day: Date = f
            .las_dag
            .as_deref()
            .and_then(|d| trappa_input::date::parse(d).ok())
            .ok_or_else(|| {
                AppError::Invalid(vec![FieldError {
                    field: "las_dag".into(),
                    message: ctx.t(&M::WEEK_ERR_NO_DAY).into(),
                }])
            })?;
        if !week
            .problem
            .staff_days
            .iter()
            .any(|d| d.staff == staff && d.day == day)
        {
            return Err(AppError::Invalid(vec![FieldError {
                field: "las_dag".into(),
                message: ctx.t(&M::WEEK_ERR_NO_DAY).into(),
            }]));
        }
        let name = setup.name(&staff).to_owned();
        let day_text = day.to_string();
        if let Some(i) = week
            .fixed
            .locked
            .iter()
            .position(|(s, d)| *s == staff && *d == day)
        {
            week.fixed.locked.remove(i);
            fill(
                ctx.t(&M::WEEK_REASON_UNLOCK),
                &[("staff", &name), ("day", &day_text)],
            )
        } else {
            week.fixed.locked.push((staff, day));
            fill(
                ctx.t(&M::WEEK_REASON_LOCK),
                &[("staff", &name), ("day", &day_text)],
            )
        }
    };
    let body = serde_json::to_string(&week).map_err(|e| AppError::Internal(e.into()))?;
    state
        .store()
        .save_document(
            unit,
            &plan_kind(monday),
            doc.version,
            &body,
            user.account_id,
            &reason,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}

/// The form that moves a visit.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The visit.
    #[serde(default)]
    pub besok: String,
    /// To whom.
    #[serde(default)]
    pub personal: String,
    /// Which day.
    #[serde(default)]
    pub dag: String,
    /// What time (HH:MM).
    #[serde(default)]
    pub tid: String,
}

fn parse_hhmm(s: &str) -> Option<Minute> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// `POST /planering/flytta`: moves a visit to a clinician, day and time, pins it there
/// and re-plans the rest; the proposal is shown as changes before anything is saved.
pub async fn move_visit(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<MoveForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    // The patients are read (and logged) first: the answer names them either way.
    let (_, _, names) = problem(&state, &ctx, unit, monday).await?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::Invalid(vec![FieldError {
            field: "vecka".into(),
            message: ctx.t(&M::WEEK_ERR_NO_PLAN).into(),
        }]));
    };
    let mut errors = Vec::new();
    let visit = week.problem.visit(&f.besok).cloned();
    if visit.is_none() {
        errors.push(FieldError {
            field: "besok".into(),
            message: ctx.t(&M::WEEK_ERR_NO_VISIT).into(),
        });
    }
    let day: Option<Date> = trappa_input::date::parse(&f.dag).ok();
    let works = day.is_some_and(|day| {
        week.problem.staff_days.iter().any(|d| {
            d.staff == f.personal
                && d.day == day
                && visit.as_ref().is_some_and(|v| v.profession == d.profession)
        })
    });
    if !works {
        errors.push(FieldError {
            field: "dag".into(),
            message: ctx.t(&M::WEEK_ERR_NO_DAY).into(),
        });
    }
    let start = parse_hhmm(&f.tid);
    if start.is_none() {
        errors.push(FieldError {
            field: "tid".into(),
            message: ctx.t(&M::WEEK_ERR_TIME).into(),
        });
    }
    let (Some(visit), Some(day), Some(start), true) = (visit, day, start, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    // The stop as it was (mode kept; a digital visit stays digital), now at its new
    // place; pinned, so the re-plan keeps it and moves the rest around it.
    let mode = week
        .plan
        .routes
        .iter()
        .flat_map(|r| &r.stops)
        .find(|s| s.visit == visit.id)
        .map_or(visit.modes[0], |s| s.mode);
    let mut previous = week.plan.clone();
    for r in &mut previous.routes {
        r.stops.retain(|s| s.visit != visit.id);
    }
    previous.unassigned.retain(|u| u.visit != visit.id);
    let moved = Stop {
        visit: visit.id.clone(),
        mode,
        start,
        room: None,
    };
    match previous
        .routes
        .iter_mut()
        .find(|r| r.staff == f.personal && r.day == day)
    {
        Some(r) => {
            r.stops.push(moved);
            r.stops.sort_by_key(|s| s.start);
        }
        None => previous.routes.push(Route {
            staff: f.personal.clone(),
            day,
            stops: vec![moved],
            lunch: None,
        }),
    }
    let mut fixed = week.fixed.clone();
    if !fixed.pinned.contains(&visit.id) {
        fixed.pinned.push(visit.id.clone());
    }
    // The problem as saved: moving one visit does not bring in the week's new demand.
    let plan = run(&state, week.problem.clone(), previous, fixed.clone()).await?;
    let proposal = WeekPlan {
        monday,
        problem: week.problem.clone(),
        plan,
        fixed,
    };
    propose_and_show(&state, &ctx, &user, unit, proposal, &names).await
}

/// The day asked for.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
    /// The day.
    #[serde(default)]
    pub dag: String,
}

/// `GET /planering/dag`: one staff member's day: the stops in order, times, km per leg,
/// the map, and a form to move each visit.
pub async fn day_route(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    Query(q): Query<DayQuery>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let (_, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let day: Date = trappa_input::date::parse(&q.dag).map_err(|_| {
        AppError::Invalid(vec![FieldError {
            field: "dag".into(),
            message: ctx.t(&M::WEEK_ERR_NO_DAY).into(),
        }])
    })?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::NotFound);
    };
    let staff_day = week
        .problem
        .staff_days
        .iter()
        .find(|d| d.staff == q.personal && d.day == day)
        .ok_or(AppError::NotFound)?;
    let staff_name = setup.name(&q.personal).to_owned();
    let route = week
        .plan
        .routes
        .iter()
        .find(|r| r.staff == q.personal && r.day == day);
    let travel = &week.problem.travel;
    // Each stop with the drive to it (digital stops are taken where the clinician is).
    let mut here = staff_day.start;
    let mut legs: Vec<(&Stop, f64, u32)> = Vec::new();
    let mut path: Vec<Point> = vec![staff_day.start];
    for s in route.map(|r| r.stops.as_slice()).unwrap_or(&[]) {
        let place = week
            .problem
            .visit(&s.visit)
            .and_then(|v| week.problem.place(v, s.mode));
        match place {
            Some(p) => {
                legs.push((s, travel.km(here, p), travel.minutes(here, p)));
                here = p;
                path.push(p);
            }
            None => legs.push((s, 0.0, 0)),
        }
    }
    let home = (
        travel.km(here, staff_day.start),
        travel.minutes(here, staff_day.start),
    );
    path.push(staff_day.start);
    let total_km: f64 = legs.iter().map(|l| l.1).sum::<f64>() + home.0;
    let total_min: u32 = legs.iter().map(|l| l.2).sum::<u32>() + home.1;
    let municipalities = state
        .store()
        .units(trappa_store::units::UnitKind::Municipality)
        .await?;
    // Town names (the dots are the central towns), the most populous first so that
    // theirs are placed before the crowd's.
    let mut municipalities = municipalities;
    municipalities.sort_by_key(|u| std::cmp::Reverse(u.population));
    let towns: Vec<(Point, String)> = municipalities
        .into_iter()
        .filter_map(|u| {
            Some((
                Point {
                    lat: u.lat?,
                    lon: u.lon?,
                },
                u.municipality_name.unwrap_or(u.name),
            ))
        })
        .collect();
    let title = fill(
        ctx.t(&M::WEEK_ROUTE_TITLE),
        &[
            ("staff", &staff_name),
            ("day", &format!("{} {day}", ctx.t(weekday_label(day)))),
        ],
    );
    let colleagues: Vec<(&str, &str)> = setup
        .staff
        .iter()
        .map(|s| (s.staff.as_str(), s.name.as_str()))
        .collect();
    let days = weekdays(monday);
    let body = html! {
        h1 { (title) }
        p { a href={ "/planering?vecka=" (monday) } { "← " (ctx.t(&M::WEEK_BOARD)) } }
        p.lead { (ctx.t(match week.problem.travel {
            trappa_planning::travel::Travel::Model(_) => &M::WEEK_ROUTE_LEAD,
            trappa_planning::travel::Travel::Table(..) => &M::WEEK_ROUTE_LEAD_ROAD,
        })) }
        @if legs.is_empty() { p { (ctx.t(&M::WEEK_ROUTE_NONE)) } }
        @else {
            div.table-wrap { table.route {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (ctx.t(&M::WEEK_TIME)) }
                    th scope="col" { (ctx.t(&M::WEEK_PATIENT)) }
                    th scope="col" { (ctx.t(&M::WEEK_VISIT)) }
                    th scope="col" { (ctx.t(&M::WEEK_PLACE)) }
                    th scope="col" { (ctx.t(&M::WEEK_ROUTE_LEG)) }
                    th scope="col" { (ctx.t(&M::WEEK_MOVE)) }
                } }
                tbody {
                    tr { td { "0" } td { (hhmm(staff_day.shift.from)) } td colspan="2" { (ctx.t(&M::WEEK_ROUTE_START)) } td { (names.site("base")) } td { "–" } td {} }
                    @for (i, (s, km, min)) in legs.iter().enumerate() {
                        @let who = names.patient(patient_of(&week.problem, &s.visit));
                        tr {
                            td { (i + 1) }
                            td { (hhmm(s.start)) }
                            td { (who) }
                            td { (ctx.t(kind_label(&s.visit))) }
                            td { (place_of(&ctx, &week.problem, &names, s)) }
                            td { @if *min > 0 { (format!("{km:.0} km, {min} min")) } @else { "–" } }
                            td {
                                details {
                                    summary { (ctx.t(&M::WEEK_MOVE)) span.visually-hidden { " " (who) } }
                                    form method="post" action="/planering/flytta" {
                                        (csrf_field(&ctx))
                                        p.hint { (ctx.t(&M::WEEK_MOVE_HINT)) }
                                        input type="hidden" name="vecka" value=(monday);
                                        input type="hidden" name="besok" value=(s.visit);
                                        @let id = format!("flytta-{i}");
                                        div.field {
                                            label for={ (id) "-personal" } { (ctx.t(&M::WEEK_TO_STAFF)) }
                                            select id={ (id) "-personal" } name="personal" {
                                                @for (sid, sname) in &colleagues { option value=(sid) selected[*sid == q.personal] { (sname) } }
                                            }
                                        }
                                        div.field {
                                            label for={ (id) "-dag" } { (ctx.t(&M::WEEK_TO_DAY)) }
                                            select id={ (id) "-dag" } name="dag" {
                                                @for d in &days { option value=(d) selected[*d == day] { (ctx.t(weekday_label(*d))) " " (d) } }
                                            }
                                        }
                                        div.field {
                                            label for={ (id) "-tid" } { (ctx.t(&M::WEEK_TO_TIME)) }
                                            input id={ (id) "-tid" } type="time" name="tid" value=(hhmm(s.start));
                                        }
                                        button type="submit" { (ctx.t(&M::WEEK_MOVE)) }
                                    }
                                }
                            }
                        }
                    }
                    tr { td { (legs.len() + 1) } td {} td colspan="2" { (ctx.t(&M::WEEK_ROUTE_HOME)) } td { (names.site("base")) } td { @if home.1 > 0 { (format!("{:.0} km, {} min", home.0, home.1)) } @else { "–" } } td {} }
                }
            } }
            @if let Some(l) = route.and_then(|r| r.lunch) { p { (fill(ctx.t(&M::WEEK_LUNCH), &[("time", &hhmm(l))])) } }
            p { strong { (fill(ctx.t(&M::WEEK_ROUTE_TOTAL), &[("km", &trappa_i18n::format::decimal(total_km, 0, ctx.locale)), ("min", &total_min.to_string())])) } }
        }
        h2 { (ctx.t(&M::WEEK_MAP)) }
        (map(&ctx, &towns, &path))
    };
    Ok(page(&ctx, &title, body).into_response())
}

/// A day's stops in map coordinates, those at the same place (two visits at one
/// vårdcentral) set apart on a small ring so that each number can be read. The last
/// stop, back at the base, stays on the base: the line closes there.
fn spread_stops(raw: &[(f64, f64)]) -> Vec<(f64, f64)> {
    const NEAR: f64 = 14.0;
    // Markers are 9 across the radius: 22 from the place, and apart on the ring.
    const RING: f64 = 22.0;
    let near = |a: &(f64, f64), b: &(f64, f64)| (a.0 - b.0).hypot(a.1 - b.1) < NEAR;
    let last = raw.len().saturating_sub(1);
    let back_at_base =
        |i: usize| i > 0 && i == last && raw.first().is_some_and(|b| near(b, &raw[i]));
    raw.iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            if back_at_base(i) {
                return (x, y);
            }
            // Counted on the places themselves, not on where earlier stops were moved.
            let here = |j: usize| near(&raw[j], &(x, y)) && !back_at_base(j);
            let before = (0..i).filter(|j| here(*j)).count();
            if before == 0 {
                return (x, y);
            }
            // The first stays on the place; the others share the ring evenly.
            let others = (0..raw.len()).filter(|j| here(*j)).count() - 1;
            let angle = (before - 1) as f64 * std::f64::consts::TAU / others.max(1) as f64;
            (x + RING * angle.cos(), y + RING * angle.sin())
        })
        .collect()
}

/// The region's towns as dots and the day's route as a numbered line, in SVG drawn
/// here (no tiles, no third-party script): an equirectangular projection scaled by the
/// cosine of the mean latitude, so the region keeps its shape.
fn map(ctx: &Ctx, towns: &[(Point, String)], path: &[Point]) -> Markup {
    let all: Vec<Point> = towns
        .iter()
        .map(|t| t.0)
        .chain(path.iter().copied())
        .collect();
    if all.is_empty() {
        return html! {};
    }
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &all {
        lat0 = lat0.min(p.lat);
        lat1 = lat1.max(p.lat);
        lon0 = lon0.min(p.lon);
        lon1 = lon1.max(p.lon);
    }
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    // Room on the right for the easternmost towns' names.
    let (w, pad, right) = (640.0, 16.0, 90.0);
    let span_x = ((lon1 - lon0) * k).max(1e-6);
    let span_y = (lat1 - lat0).max(1e-6);
    let scale = (w - pad - right) / span_x;
    let h = span_y * scale + 2.0 * pad;
    let xy = |p: Point| {
        (
            (p.lon - lon0) * k * scale + pad,
            (lat1 - p.lat) * scale + pad,
        )
    };
    let stops = spread_stops(&path.iter().map(|p| xy(*p)).collect::<Vec<_>>());
    let line: Vec<String> = stops
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    // Town names where they collide with no other name and no stop.
    let town_points: Vec<(f64, f64)> = towns.iter().map(|t| xy(t.0)).collect();
    let mut points: Vec<trappa_reporting::labels::Point> = towns
        .iter()
        .zip(&town_points)
        .map(|(t, (x, y))| trappa_reporting::labels::Point {
            x: *x,
            y: *y,
            r: 3.0,
            text: &t.1,
        })
        .collect();
    points.extend(stops.iter().map(|(x, y)| trappa_reporting::labels::Point {
        x: *x,
        y: *y,
        r: 9.0,
        text: "",
    }));
    let labels = trappa_reporting::labels::place(&points, 11.0, w, h);
    html! {
        figure.map {
            svg viewBox=(format!("0 0 {w:.0} {h:.0}")) role="img" aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg" {
                title #map-title { (ctx.t(&M::WEEK_MAP)) }
                desc #map-desc { (ctx.t(&M::WEEK_MAP_DESC)) }
                rect x="0" y="0" width=(format!("{w:.0}")) height=(format!("{h:.0}")) fill="#f4f6f8" {}
                @for (((_, name), (x, y)), label) in towns.iter().zip(&town_points).zip(&labels) {
                    g {
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="3" fill="#5b6770" { title { (name) } }
                        @if let Some(l) = label {
                            text x=(format!("{:.1}", l.x)) y=(format!("{:.1}", l.y)) text-anchor=(l.anchor) font-size="11" fill="#3d464d" { (name) }
                        }
                    }
                }
                @if path.len() > 1 {
                    polyline points=(line.join(" ")) fill="none" stroke="#005a9c" stroke-width="2.5" {}
                    @let (bx, by) = stops[0];
                    rect x=(format!("{:.1}", bx - 6.0)) y=(format!("{:.1}", by - 6.0)) width="12" height="12" fill="#aa3c00" { title { (ctx.t(&M::WEEK_MAP_BASE)) } }
                    @for (i, (x, y)) in stops.iter().copied().enumerate().skip(1).take(path.len().saturating_sub(2)) {
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="9" fill="#005a9c" {}
                        text x=(format!("{x:.1}")) y=(format!("{:.1}", y + 4.0)) font-size="12" text-anchor="middle" fill="#ffffff" { (i) }
                    }
                }
            }
            figcaption { (ctx.t(&M::WEEK_MAP_DESC)) }
        }
    }
}

/// The calendar asked for.
#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
}

/// `GET /planering/kalender`: a staff member's week as an iCalendar file: one event per
/// visit (patient, kind, place or mode), and lunch.
pub async fn calendar(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    use icalendar::Calendar;
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let (_, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::NotFound);
    };
    let staff_name = setup.name(&q.personal).to_owned();
    // The file leaves Trappa naming its patients: each is logged as exported.
    let mut exported: Vec<Uuid> = week
        .plan
        .routes
        .iter()
        .filter(|r| r.staff == q.personal)
        .flat_map(|r| &r.stops)
        .filter_map(|s| week.problem.visit(&s.visit))
        .filter_map(|v| Uuid::parse_str(&v.patient).ok())
        .collect();
    exported.sort();
    exported.dedup();
    let actor = ctx.actor();
    for patient in exported {
        state
            .store()
            .append_access_log(
                &trappa_store::access_log::NewEntry::new(
                    &actor,
                    trappa_store::access_log::Action::Export,
                    "week_plan.ics",
                )
                .patient(patient)
                .basis(trappa_policy::AccessBasis::Planning),
            )
            .await?;
    }
    let mut cal = Calendar::new();
    cal.name(&fill(
        ctx.t(&M::WEEK_ICS_NAME),
        &[
            ("staff", &staff_name),
            ("week", &monday.iso_week_date().week().to_string()),
        ],
    ));
    for r in week.plan.routes.iter().filter(|r| r.staff == q.personal) {
        for s in &r.stops {
            let Some(v) = week.problem.visit(&s.visit) else {
                continue;
            };
            let summary = fill(
                ctx.t(&M::WEEK_ICS_EVENT),
                &[
                    ("kind", ctx.t(kind_label(&s.visit))),
                    ("patient", names.patient(&v.patient)),
                    ("mode", ctx.t(mode_label(s.mode))),
                ],
            );
            cal.push(visit_event(
                &ctx, &week, &names, r.day, s, v.minutes, &summary,
            )?);
        }
    }
    Ok(crate::download::ics(
        &format!("trappa-vecka-{monday}.ics"),
        cal.done().to_string(),
    ))
}

/// A planned visit as a calendar event. Its id follows the visit, so importing a newer
/// file after a re-plan moves the event instead of adding a second one.
fn visit_event(
    ctx: &Ctx,
    week: &WeekPlan,
    names: &Names,
    day: Date,
    stop: &Stop,
    minutes: u32,
    summary: &str,
) -> Result<icalendar::Event, AppError> {
    use icalendar::{Component, EventLike};
    const UTC: &str = "%Y%m%dT%H%M%SZ";
    let at = |m: Minute| local(day, m).map(|t| t.strftime(UTC).to_string());
    Ok(icalendar::Event::new()
        .uid(&format!("{}@trappa", stop.visit))
        .summary(summary)
        .location(&place_of(ctx, &week.problem, names, stop))
        .add_property("DTSTAMP", jiff::Timestamp::now().strftime(UTC).to_string())
        .add_property("DTSTART", at(stop.start)?)
        .add_property("DTEND", at(stop.start + minutes)?)
        .done())
}

/// A local wall-clock time in Stockholm as UTC, for calendar files.
fn local(day: Date, minute: Minute) -> Result<jiff::Timestamp, AppError> {
    let t = day
        .to_datetime(jiff::civil::Time::midnight())
        .checked_add(jiff::Span::new().minutes(i64::from(minute)))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(t.to_zoned(crate::time::stockholm())
        .map_err(|e| AppError::Internal(e.into()))?
        .timestamp())
}

/// Weeks ahead a patient's calendar covers (this one included).
const PATIENT_WEEKS: i64 = 4;

/// `GET /patienter/{id}/besok.ics`: the patient's planned visits in the saved weeks from
/// this one on, as an iCalendar file whose event ids follow the visit, so importing it
/// again after a re-plan moves the events instead of doubling them.
pub async fn patient_calendar(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<crate::access::ReadPatientRecord>,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
) -> Result<Response, AppError> {
    use icalendar::Calendar;
    crate::access::open_patient(
        &state,
        &ctx,
        &user,
        id,
        trappa_store::access_log::Action::Export,
        "patient.planned_visits.ics",
    )
    .await?;
    let unit = unit_of(&user)?;
    let (_, _, names) = crate::week::places(state.store(), unit).await?;
    let patient = id.to_string();
    let mut cal = Calendar::new();
    cal.name(ctx.t(&M::WEEK_ICS_PATIENT));
    let first = monday_of(today());
    for n in 0..PATIENT_WEEKS {
        let monday = first
            .checked_add(jiff::Span::new().days(7 * n))
            .map_err(|e| AppError::Internal(e.into()))?;
        let Some((week, _)) = saved(&state, unit, monday).await? else {
            continue;
        };
        for r in &week.plan.routes {
            for s in &r.stops {
                let Some(v) = week
                    .problem
                    .visit(&s.visit)
                    .filter(|v| v.patient == patient)
                else {
                    continue;
                };
                let summary = fill(
                    ctx.t(&M::WEEK_ICS_PATIENT_EVENT),
                    &[("mode", ctx.t(mode_label(s.mode)))],
                );
                cal.push(visit_event(
                    &ctx, &week, &names, r.day, s, v.minutes, &summary,
                )?);
            }
        }
    }
    Ok(crate::download::ics("besok.ics", cal.done().to_string()))
}

/// The availability form: one action at a time.
#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    /// `vecka`, `franvaro`, `rum`, `ta_bort_franvaro` or `ta_bort_rum`.
    #[serde(default)]
    pub atgard: String,
    /// The setup's version the page showed.
    #[serde(default)]
    pub version: i64,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
    /// Working weekdays (1–5).
    #[serde(default)]
    pub dag: Vec<i8>,
    /// Days at the base.
    #[serde(default)]
    pub bas: Vec<i8>,
    /// Start of the working day (HH:MM).
    #[serde(default)]
    pub fran: String,
    /// End of the working day (HH:MM).
    #[serde(default)]
    pub till: String,
    /// Whether lunch is taken.
    #[serde(default)]
    pub lunch: Option<String>,
    /// First day of leave, or of a room's period.
    #[serde(default)]
    pub fran_datum: String,
    /// Last day of leave.
    #[serde(default)]
    pub till_datum: String,
    /// A vårdcentral's code.
    #[serde(default)]
    pub vardcentral: String,
    /// A room's weekday.
    #[serde(default)]
    pub veckodag: i8,
    /// Which entry to remove.
    #[serde(default)]
    pub nr: usize,
}

/// `GET /planering/tillganglighet`
pub async fn setup_page(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
) -> Result<Response, AppError> {
    render_setup(&state, &ctx, &user, &[]).await
}

async fn render_setup(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let unit = unit_of(user)?;
    let (setup, version) = crate::week::setup(state.store(), unit).await?;
    let people = crate::week::clinicians(state.store(), unit).await?;
    let (_, sites, names) = crate::week::places(state.store(), unit).await?;
    let mut site_list: Vec<(&str, &str)> = sites
        .iter()
        .map(|s| (s.id.as_str(), names.site(&s.id)))
        .collect();
    site_list.sort_by(|a, b| a.1.cmp(b.1));
    let body = html! {
        h1 { (ctx.t(&M::SETUP_TITLE)) }
        p { a href="/planering" { "← " (ctx.t(&M::WEEK_TITLE)) } }
        p.lead { (ctx.t(&M::SETUP_LEAD)) }
        p.muted { (fill(ctx.t(&M::SETUP_VERSION), &[("version", &version.to_string())])) }
        (crate::pages::layout::error_summary(ctx, errors))
        h2 { (ctx.t(&M::SETUP_WEEKS)) }
        @for (i, (id, name, profession)) in people.iter().enumerate() {
            @let week = setup.staff.iter().find(|s| s.staff == *id);
            @let shift = week.and_then(|w| w.days.first()).map(|d| d.shift);
            form.setup-week id={ "vecka-" (i) } method="post" action="/planering/tillganglighet" {
                (csrf_field(ctx))
                input type="hidden" name="atgard" value="vecka";
                input type="hidden" name="version" value=(version);
                input type="hidden" name="personal" value=(id);
                fieldset {
                    legend { (name) " (" (ctx.t(profession_label(profession))) ")" @if week.is_none() { " – " (ctx.t(&M::SETUP_NOT_PLANNED)) } }
                    table { thead { tr { th scope="col" { span.visually-hidden { (ctx.t(&M::SETUP_WEEKDAY)) } } @for n in 1..=5i8 { th scope="col" { (ctx.t(weekday_msg(n))) } } } }
                    tbody {
                        tr { th scope="row" { (ctx.t(&M::SETUP_WORKS)) }
                            @for n in 1..=5i8 {
                                @let on = week.is_some_and(|w| w.days.iter().any(|d| d.weekday == n));
                                td { input type="checkbox" name="dag" value=(n) checked[on] aria-label={ (name) ", " (ctx.t(weekday_msg(n))) ": " (ctx.t(&M::SETUP_WORKS)) }; }
                            }
                        }
                        tr { th scope="row" { (ctx.t(&M::SETUP_AT_BASE)) }
                            @for n in 1..=5i8 {
                                @let on = week.is_some_and(|w| w.days.iter().any(|d| d.weekday == n && d.at_base));
                                td { input type="checkbox" name="bas" value=(n) checked[on] aria-label={ (name) ", " (ctx.t(weekday_msg(n))) ": " (ctx.t(&M::SETUP_AT_BASE)) }; }
                            }
                        }
                    } }
                    div.field.inline-fields {
                        label for={ "fran-" (i) } { (ctx.t(&M::SETUP_FROM)) }
                        input id={ "fran-" (i) } type="time" name="fran" value=(hhmm(shift.map_or(480, |s| s.from)));
                        label for={ "till-" (i) } { (ctx.t(&M::SETUP_TO)) }
                        input id={ "till-" (i) } type="time" name="till" value=(hhmm(shift.map_or(990, |s| s.to)));
                        label { input type="checkbox" name="lunch" value="1" checked[week.is_none_or(|w| w.days.iter().any(|d| d.lunch.is_some()))]; " " (ctx.t(&M::SETUP_LUNCH)) }
                    }
                    button type="submit" { (fill(ctx.t(&M::SETUP_SAVE_WEEK), &[("name", name)])) }
                }
            }
        }
        h2 { (ctx.t(&M::SETUP_LEAVE)) }
        @if setup.leave.is_empty() { p.muted { (ctx.t(&M::SETUP_LEAVE_NONE)) } }
        @else { ul { @for (n, l) in setup.leave.iter().enumerate() {
            @let what = format!("{} {}–{}", setup.name(&l.staff), l.from, l.to);
            li { (what) " "
                form.inline method="post" action="/planering/tillganglighet" {
                    (csrf_field(ctx))
                    input type="hidden" name="atgard" value="ta_bort_franvaro";
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="nr" value=(n);
                    button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &what)])) { (ctx.t(&M::SETUP_REMOVE)) }
                }
            }
        } } }
        form method="post" action="/planering/tillganglighet" {
            (csrf_field(ctx))
            input type="hidden" name="atgard" value="franvaro";
            input type="hidden" name="version" value=(version);
            fieldset { legend { (ctx.t(&M::SETUP_ADD_LEAVE)) }
                div.field { label for="franvaro-personal" { (ctx.t(&M::WEEK_STAFF)) }
                    select #franvaro-personal name="personal" { @for (id, name, _) in &people { option value=(id) { (name) } } } }
                div.field { label for="franvaro-fran" { (ctx.t(&M::SETUP_FROM)) } input #franvaro-fran type="date" name="fran_datum"; }
                div.field { label for="franvaro-till" { (ctx.t(&M::SETUP_TO)) } input #franvaro-till type="date" name="till_datum"; }
                button type="submit" { (ctx.t(&M::SETUP_ADD_LEAVE)) }
            }
        }
        h2 { (ctx.t(&M::SETUP_ROOMS)) }
        @if setup.rooms.is_empty() { p.muted { (ctx.t(&M::SETUP_ROOMS_NONE)) } }
        @else { div.table-wrap { table {
            thead { tr { th scope="col" { (ctx.t(&M::SETUP_SITE)) } th scope="col" { (ctx.t(&M::SETUP_WEEKDAY)) } th scope="col" { (ctx.t(&M::WEEK_TIME)) } th scope="col" { span.visually-hidden { (ctx.t(&M::SETUP_REMOVE)) } } } }
            tbody { @for (n, r) in setup.rooms.iter().enumerate() {
                @let what = format!("{}, {}", names.site(&r.site), ctx.t(weekday_msg(r.weekday)));
                tr {
                    td { (names.site(&r.site)) }
                    td { (ctx.t(weekday_msg(r.weekday))) }
                    td { (hhmm(r.window.from)) "–" (hhmm(r.window.to)) }
                    td { form.inline method="post" action="/planering/tillganglighet" {
                        (csrf_field(ctx))
                        input type="hidden" name="atgard" value="ta_bort_rum";
                        input type="hidden" name="version" value=(version);
                        input type="hidden" name="nr" value=(n);
                        button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &what)])) { (ctx.t(&M::SETUP_REMOVE)) }
                    } }
                }
            } }
        } } }
        form method="post" action="/planering/tillganglighet" {
            (csrf_field(ctx))
            input type="hidden" name="atgard" value="rum";
            input type="hidden" name="version" value=(version);
            fieldset { legend { (ctx.t(&M::SETUP_ADD_ROOM)) }
                div.field { label for="rum-vc" { (ctx.t(&M::SETUP_SITE)) }
                    select #rum-vc name="vardcentral" { @for (code, name) in &site_list { option value=(code) { (name) } } } }
                div.field { label for="rum-dag" { (ctx.t(&M::SETUP_WEEKDAY)) }
                    select #rum-dag name="veckodag" { @for n in 1..=5i8 { option value=(n) { (ctx.t(weekday_msg(n))) } } } }
                div.field { label for="rum-fran" { (ctx.t(&M::SETUP_FROM)) } input #rum-fran type="time" name="fran" value="08:30"; }
                div.field { label for="rum-till" { (ctx.t(&M::SETUP_TO)) } input #rum-till type="time" name="till" value="16:00"; }
                button type="submit" { (ctx.t(&M::SETUP_ADD_ROOM)) }
            }
        }
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(ctx, ctx.t(&M::SETUP_TITLE), body)).into_response())
}

fn field_error(field: &'static str, message: String) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message,
    }])
}

/// Leave periods, and lent rooms, the availability holds at most each (a unit's year
/// of leave and every room it borrows fit many times over; the planner reads them all
/// for every week).
pub const MAX_SETUP_ENTRIES: usize = 500;

fn too_many_entries(ctx: &Ctx, field: &'static str) -> AppError {
    field_error(
        field,
        fill(
            ctx.t(&S::SETUP_ERR_TOO_MANY),
            &[("max", &MAX_SETUP_ENTRIES.to_string())],
        ),
    )
}

/// Applies one change of the availability form to `setup`; the reason to save it with.
fn apply_setup(
    ctx: &Ctx,
    setup: &mut trappa_planning::availability::Setup,
    f: &SetupForm,
    people: &[(String, String, &'static str)],
    names: &Names,
) -> Result<String, AppError> {
    use trappa_planning::availability::{Leave, RoomLending, StaffWeek, WorkDay};
    use trappa_planning::model::Window;
    let person = || {
        people
            .iter()
            .find(|(id, ..)| *id == f.personal)
            .ok_or_else(|| field_error("personal", ctx.t(&M::SETUP_ERR_STAFF).into()))
    };
    match f.atgard.as_str() {
        "vecka" => {
            let (id, name, profession) = person()?;
            let (Some(from), Some(to)) = (parse_hhmm(&f.fran), parse_hhmm(&f.till)) else {
                return Err(field_error("fran", ctx.t(&M::WEEK_ERR_TIME).into()));
            };
            let shift = Window { from, to };
            let days: Vec<WorkDay> = f
                .dag
                .iter()
                .filter(|d| (1..=5).contains(*d))
                .map(|d| WorkDay {
                    weekday: *d,
                    shift,
                    lunch: f.lunch.is_some().then_some(crate::week::LUNCH),
                    at_base: f.bas.contains(d),
                })
                .collect();
            setup.staff.retain(|s| s.staff != *id);
            if !days.is_empty() {
                setup.staff.push(StaffWeek {
                    staff: id.clone(),
                    name: name.clone(),
                    profession: (*profession).to_owned(),
                    start: None,
                    days,
                });
            }
            Ok(fill(ctx.t(&M::SETUP_REASON_WEEK), &[("name", name)]))
        }
        "franvaro" => {
            let (id, name, _) = person()?;
            let (Ok(from), Ok(to)) = (
                trappa_input::date::parse(&f.fran_datum),
                trappa_input::date::parse(&f.till_datum),
            ) else {
                return Err(field_error(
                    "franvaro-fran",
                    ctx.t(&M::SETUP_ERR_DATES).into(),
                ));
            };
            if setup.leave.len() >= MAX_SETUP_ENTRIES {
                return Err(too_many_entries(ctx, "franvaro-fran"));
            }
            setup.leave.push(Leave {
                staff: id.clone(),
                from,
                to,
            });
            Ok(fill(
                ctx.t(&M::SETUP_REASON_LEAVE),
                &[
                    ("name", name),
                    ("from", &from.to_string()),
                    ("to", &to.to_string()),
                ],
            ))
        }
        "rum" => {
            if !names.sites.contains_key(&f.vardcentral) || f.vardcentral == "base" {
                return Err(field_error("rum-vc", ctx.t(&M::SETUP_ERR_SITE).into()));
            }
            let (Some(from), Some(to)) = (parse_hhmm(&f.fran), parse_hhmm(&f.till)) else {
                return Err(field_error("rum-fran", ctx.t(&M::WEEK_ERR_TIME).into()));
            };
            if setup.rooms.len() >= MAX_SETUP_ENTRIES {
                return Err(too_many_entries(ctx, "rum-vc"));
            }
            setup.rooms.push(RoomLending {
                site: f.vardcentral.clone(),
                weekday: f.veckodag,
                window: Window { from, to },
                from: None,
                until: None,
            });
            Ok(fill(
                ctx.t(&M::SETUP_REASON_ROOM),
                &[
                    ("site", names.site(&f.vardcentral)),
                    ("weekday", ctx.t(weekday_msg(f.veckodag))),
                ],
            ))
        }
        "ta_bort_franvaro" if f.nr < setup.leave.len() => {
            let l = setup.leave.remove(f.nr);
            let what = format!("{} {}–{}", setup.name(&l.staff), l.from, l.to);
            Ok(fill(ctx.t(&M::SETUP_REASON_REMOVE), &[("what", &what)]))
        }
        "ta_bort_rum" if f.nr < setup.rooms.len() => {
            let r = setup.rooms.remove(f.nr);
            let what = format!("{}, {}", names.site(&r.site), ctx.t(weekday_msg(r.weekday)));
            Ok(fill(ctx.t(&M::SETUP_REASON_REMOVE), &[("what", &what)]))
        }
        _ => Err(AppError::NotFound),
    }
}

/// `POST /planering/tillganglighet`: one change, validated, saved as a new version.
pub async fn setup_save(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<SetupForm>,
) -> Result<Response, AppError> {
    use trappa_planning::availability::SetupError;
    let unit = unit_of(&user)?;
    let (mut setup, version) = crate::week::setup(state.store(), unit).await?;
    if version != f.version {
        return Err(AppError::Stale);
    }
    let people = crate::week::clinicians(state.store(), unit).await?;
    let (_, _, names) = crate::week::places(state.store(), unit).await?;
    let reason = match apply_setup(&ctx, &mut setup, &f, &people, &names) {
        Ok(r) => r,
        Err(AppError::Invalid(errors)) => return render_setup(&state, &ctx, &user, &errors).await,
        Err(e) => return Err(e),
    };
    let problems = setup.validate();
    if !problems.is_empty() {
        let errors: Vec<FieldError> = problems
            .into_iter()
            .map(|p| {
                let (field, message) = match p {
                    SetupError::Hours(w) => {
                        ("fran", fill(ctx.t(&M::SETUP_ERR_HOURS), &[("what", &w)]))
                    }
                    SetupError::Lunch(w) => {
                        ("fran", fill(ctx.t(&M::SETUP_ERR_LUNCH), &[("what", &w)]))
                    }
                    SetupError::Leave(_) => {
                        ("franvaro-fran", ctx.t(&M::SETUP_ERR_DATES).to_owned())
                    }
                    other => (
                        "fran",
                        fill(
                            ctx.t(&M::SETUP_ERR_OTHER),
                            &[("what", &format!("{other:?}"))],
                        ),
                    ),
                };
                FieldError {
                    field: field.into(),
                    message,
                }
            })
            .collect();
        return render_setup(&state, &ctx, &user, &errors).await;
    }
    let body = serde_json::to_string(&setup).map_err(|e| AppError::Internal(e.into()))?;
    state
        .store()
        .save_document(
            unit,
            crate::week::SETUP,
            version,
            &body,
            user.account_id,
            &reason,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        "/planering/tillganglighet",
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}

const PROFESSIONS: [&str; 4] = ["nurse", "physician", "psychologist", "physiotherapist"];

/// Words for a profession as visits name it.
fn profession_label(p: &str) -> &'static Msg {
    use trappa_policy::Role;
    crate::access::role_label(match p {
        "physician" => Role::Physician,
        "psychologist" => Role::Psychologist,
        "physiotherapist" => Role::Physiotherapist,
        _ => Role::Nurse,
    })
}

const MODES: [(Mode, &str); 4] = [
    (Mode::OwnVardcentral, "own_vardcentral"),
    (Mode::Base, "base"),
    (Mode::Video, "video"),
    (Mode::Phone, "phone"),
];

fn requests_section(
    ctx: &Ctx,
    monday: Date,
    requests: &[crate::week::VisitRequest],
    version: i64,
    names: &Names,
) -> Markup {
    let mut patients: Vec<(&String, &String)> = names.patients.iter().collect();
    patients.sort_by(|a, b| a.1.cmp(b.1));
    html! {
        h2 { (ctx.t(&M::WEEK_REQUESTS)) }
        p { (ctx.t(&M::WEEK_REQUESTS_LEAD)) }
        @if requests.is_empty() { p.muted { (ctx.t(&M::WEEK_REQUESTS_NONE)) } }
        @else { ul.requests { @for r in requests {
            @let who = names.patient(&r.patient.to_string()).to_owned();
            li {
                (who) " – " (ctx.t(profession_label(&r.profession))) ", " (r.minutes) " min, "
                (r.modes.iter().map(|m| ctx.t(mode_label(*m))).collect::<Vec<_>>().join(", ")) "; "
                @if r.days.is_empty() { (ctx.t(&M::WEEK_ANY_DAY)) }
                @else { (r.days.iter().map(|d| format!("{} {d}", ctx.t(weekday_label(*d)))).collect::<Vec<_>>().join(", ")) }
                " "
                form.inline method="post" action="/planering/besok" {
                    (csrf_field(ctx))
                    input type="hidden" name="vecka" value=(monday);
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="atgard" value="ta_bort";
                    input type="hidden" name="id" value=(r.id);
                    button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &who)])) { (ctx.t(&M::SETUP_REMOVE)) }
                }
            }
        } } }
        details.add-request {
            summary { (ctx.t(&M::WEEK_ADD_REQUEST)) }
            form method="post" action="/planering/besok" {
                (csrf_field(ctx))
                input type="hidden" name="vecka" value=(monday);
                input type="hidden" name="version" value=(version);
                input type="hidden" name="atgard" value="lagg_till";
                div.field { label for="begaran-patient" { (ctx.t(&M::WEEK_PATIENT)) }
                    select #begaran-patient name="patient" { @for (id, name) in &patients { option value=(id) { (name) } } } }
                div.field { label for="begaran-yrke" { (ctx.t(&M::WEEK_PROFESSION)) }
                    select #begaran-yrke name="yrke" { @for p in PROFESSIONS { option value=(p) { (ctx.t(profession_label(p))) } } } }
                div.field { label for="begaran-minuter" { (ctx.t(&M::WEEK_MINUTES)) }
                    input #begaran-minuter type="number" name="minuter" value="30" min="15" max="240" step="15"; }
                fieldset #begaran-form { legend { (ctx.t(&M::WEEK_MODES)) }
                    @for (m, code) in MODES { label.inline-choice { input type="checkbox" name="form" value=(code) checked[m != Mode::Base]; " " (ctx.t(mode_label(m))) } " " }
                }
                fieldset { legend { (ctx.t(&M::WEEK_DAYS)) }
                    @for d in weekdays(monday) { label.inline-choice { input type="checkbox" name="dag" value=(d); " " (ctx.t(weekday_label(d))) } " " }
                }
                button type="submit" { (ctx.t(&M::WEEK_ADD_REQUEST)) }
            }
        }
    }
}

/// The form that adds or removes a manual visit request.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The requests' version the page showed.
    #[serde(default)]
    pub version: i64,
    /// `lagg_till` or `ta_bort`.
    #[serde(default)]
    pub atgard: String,
    /// The patient.
    #[serde(default)]
    pub patient: String,
    /// The profession.
    #[serde(default)]
    pub yrke: String,
    /// Minutes.
    #[serde(default)]
    pub minuter: String,
    /// Modes.
    #[serde(default)]
    pub form: Vec<String>,
    /// Days.
    #[serde(default)]
    pub dag: Vec<String>,
    /// The request to remove.
    #[serde(default)]
    pub id: String,
}

/// Manual visit requests a week holds at most: a whole week of the team is about 260
/// visits, and each request is a job for the planner.
pub const MAX_REQUESTS_PER_WEEK: usize = 300;

/// `POST /planering/besok`: adds or removes a manual visit request for the week.
pub async fn request(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<RequestForm>,
) -> Result<Response, AppError> {
    use crate::week::{VisitRequest, requests, requests_kind};
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    // The patients are read (and logged) first: a request must name one with a team.
    let (_, _, names) = problem(&state, &ctx, unit, monday).await?;
    let (mut list, version) = requests(state.store(), unit, monday).await?;
    if version != f.version {
        return Err(AppError::Stale);
    }
    let reason = match f.atgard.as_str() {
        "ta_bort" => {
            let before = list.len();
            list.retain(|r| r.id.to_string() != f.id);
            if list.len() == before {
                return Err(AppError::NotFound);
            }
            ctx.t(&M::WEEK_REASON_REQUEST_REMOVED).to_owned()
        }
        "lagg_till" => {
            let mut errors = Vec::new();
            if list.len() >= MAX_REQUESTS_PER_WEEK {
                errors.push(FieldError {
                    field: "begaran-patient".into(),
                    message: fill(
                        ctx.t(&S::WEEK_ERR_TOO_MANY_REQUESTS),
                        &[("max", &MAX_REQUESTS_PER_WEEK.to_string())],
                    ),
                });
            }
            let patient: Option<Uuid> = f
                .patient
                .parse()
                .ok()
                .filter(|p: &Uuid| names.patients.contains_key(&p.to_string()));
            if patient.is_none() {
                errors.push(FieldError {
                    field: "begaran-patient".into(),
                    message: ctx.t(&M::WEEK_ERR_PATIENT).into(),
                });
            }
            if !PROFESSIONS.contains(&f.yrke.as_str()) {
                errors.push(FieldError {
                    field: "begaran-yrke".into(),
                    message: ctx.t(&M::WEEK_ERR_PROFESSION).into(),
                });
            }
            let minutes: Option<u32> = f
                .minuter
                .trim()
                .parse()
                .ok()
                .filter(|m| (15..=240).contains(m));
            if minutes.is_none() {
                errors.push(FieldError {
                    field: "begaran-minuter".into(),
                    message: ctx.t(&M::WEEK_ERR_MINUTES).into(),
                });
            }
            let modes: Vec<Mode> = MODES
                .iter()
                .filter(|(_, code)| f.form.iter().any(|c| c == code))
                .map(|(m, _)| *m)
                .collect();
            if modes.is_empty() {
                errors.push(FieldError {
                    field: "begaran-form".into(),
                    message: ctx.t(&M::WEEK_ERR_MODES).into(),
                });
            }
            let week_days = weekdays(monday);
            // Each of the week's days once, however often the form names it.
            let days: Vec<Date> = week_days
                .iter()
                .copied()
                .filter(|day| {
                    f.dag
                        .iter()
                        .any(|d| trappa_input::date::parse(d).ok() == Some(*day))
                })
                .collect();
            let (Some(patient), Some(minutes), true) = (patient, minutes, errors.is_empty()) else {
                return Err(AppError::Invalid(errors));
            };
            list.push(VisitRequest {
                id: Uuid::now_v7(),
                patient,
                profession: f.yrke.clone(),
                minutes,
                modes,
                days,
            });
            fill(
                ctx.t(&M::WEEK_REASON_REQUEST),
                &[
                    ("profession", ctx.t(profession_label(&f.yrke))),
                    ("minutes", &minutes.to_string()),
                ],
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let body = serde_json::to_string(&list).map_err(|e| AppError::Internal(e.into()))?;
    state
        .store()
        .save_document(
            unit,
            &requests_kind(monday),
            version,
            &body,
            user.account_id,
            &reason,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}

#[cfg(test)]
mod map_tests {
    use super::spread_stops;

    #[test]
    fn stops_at_one_place_are_set_apart_and_the_day_closes_at_the_base() {
        let base = (10.0, 10.0);
        let centre = (100.0, 50.0);
        let stops = spread_stops(&[base, centre, centre, centre, (200.0, 80.0), base]);
        assert_eq!(stops[0], base);
        assert_eq!(stops[1], centre);
        // Markers are 9 across the radius: never closer than 18.
        for (i, a) in stops[1..4].iter().enumerate() {
            for b in &stops[i + 2..4] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) >= 18.0, "{a:?} {b:?}");
            }
        }
        let crowd = spread_stops(&[base, centre, centre, centre, centre, centre, centre, centre]);
        for (i, a) in crowd[1..].iter().enumerate() {
            for b in &crowd[i + 2..] {
                assert!(
                    (a.0 - b.0).hypot(a.1 - b.1) >= 18.0,
                    "seven at one place: {a:?} {b:?}"
                );
            }
        }
        assert_eq!(stops[4], (200.0, 80.0), "a lone stop stays put");
        assert_eq!(stops[5], base, "back at the base");
    }
}
