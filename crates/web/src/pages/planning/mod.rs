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
use trappa_planning::kpi::{Kpi, kpi};
use trappa_planning::model::{Minute, Mode, Plan, Problem, Reason, Route, Stop};
use trappa_planning::planner::{Fixed, Settings, replan};
use trappa_planning::travel::Point;
use trappa_planning::week::{Change, Placement, WeekPlan, diff};
use trappa_store::Uuid;

use crate::access::Authed;
use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Query};
use crate::i18n::{J, M, Msg, S, Y};
use crate::pages::layout::{csrf_field, page};
use crate::state::AppState;
use trappa_app::clock::{format_time, today};
use trappa_app::planning::changes::{self, PROFESSIONS, profession_label};
use trappa_app::planning::{Names, monday_of, proposal_kind, read_week, weekdays};

mod calendar;
mod day;
mod proposal;
mod requests;
mod search;
mod setup;

pub use calendar::{calendar, patient_calendar};
pub use day::day_route;
pub use proposal::{latest, move_visit, propose, save};
pub use requests::request;
use requests::requests_section;
pub use search::{progress, stop};
pub use setup::{setup_page, setup_save};

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
                message: ctx.t(&Y::WEEK_ERR_WEEK).into(),
            }])
        }),
    }
}

fn unit_of(user: &User) -> Result<Uuid, AppError> {
    user.unit_id.ok_or(AppError::Forbidden)
}

fn parse_hhmm(s: &str) -> Option<Minute> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
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

pub use crate::pages::layout::weekday_msg;

fn weekday_label(d: Date) -> &'static Msg {
    weekday_msg(d.weekday().to_monday_one_offset())
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
    changes::saved_week(state.store(), unit, monday)
        .await
        .map_err(AppError::from)
}

/// The week's problem as the unit's data stand now, and the names to show; reading
/// the patients is logged in the request's name.
async fn problem(
    state: &AppState,
    ctx: &Ctx,
    unit: Uuid,
    monday: Date,
) -> Result<(Problem, trappa_planning::availability::Setup, Names), AppError> {
    let url = state.config().osrm_url.as_deref();
    let road = state.road_times();
    trappa_app::planning::problem_for(state.store(), &ctx.actor(), unit, monday, road, url)
        .await
        .for_user(ctx)
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
            a href={ "/planering?vecka=" (prev) } { "← " (ctx.t(&Y::WEEK_PREV)) }
            " "
            strong { (fill(ctx.t(&Y::WEEK_WEEK), &[("week", &week), ("from", &monday.to_string()), ("to", &friday.to_string())])) }
            " "
            a href={ "/planering?vecka=" (next) } { (ctx.t(&Y::WEEK_NEXT)) " →" }
        }
    }
}

fn kpi_rows(ctx: &Ctx, k: &Kpi) -> Vec<(&'static Msg, String)> {
    vec![
        (
            &Y::WEEK_KPI_KM,
            fill(
                ctx.t(&Y::WEEK_KM),
                &[("km", &trappa_i18n::format::decimal(k.km, 0, ctx.locale))],
            ),
        ),
        (
            &Y::WEEK_KPI_HOURS,
            fill(
                ctx.t(&Y::WEEK_HOURS),
                &[("h", &trappa_i18n::format::decimal(k.hours, 1, ctx.locale))],
            ),
        ),
        (&Y::WEEK_KPI_IN_PERSON, k.in_person.to_string()),
        (&Y::WEEK_KPI_DIGITAL, k.digital.to_string()),
        (
            &Y::WEEK_KPI_CONTINUITY,
            trappa_i18n::format::percent(k.continuity * 100.0, 0, ctx.locale),
        ),
        (
            &Y::WEEK_KPI_PER_DAY,
            trappa_i18n::format::decimal(k.visits_per_staff_day, 1, ctx.locale),
        ),
        (&Y::WEEK_KPI_UNPLANNED, k.unassigned.to_string()),
    ]
}

/// `GET /planering`: the week board.
pub async fn board(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let compact = q.vy.as_deref() == Some("kompakt");
    let unit = unit_of(&user)?;
    let (now, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let saved = saved(&state, unit, monday).await?;
    let searching = search::running(&state, unit, monday).await?;
    // The planner's latest proposal, if it came after the saved plan (not yet saved).
    let unsaved = state
        .store()
        .document(unit, &proposal_kind(monday))
        .await?
        .filter(|p| {
            saved
                .as_ref()
                .is_none_or(|(_, s)| p.authored_at > s.authored_at)
        });
    let (requests, requests_version) =
        trappa_app::planning::requests(state.store(), unit, monday).await?;
    let days = weekdays(monday);
    let body = html! {
        h1 { (ctx.t(&Y::WEEK_TITLE)) }
        p.lead { (ctx.t(&Y::WEEK_LEAD)) }
        (week_heading(&ctx, monday))
        p { (fill(ctx.t(&Y::WEEK_DEMAND), &[
            ("n", &now.visits.len().to_string()),
            ("staff", &now.staff_days.len().to_string()),
            ("rooms", &now.rooms.len().to_string()),
        ])) " " a href="/planering/tillganglighet" { (ctx.t(&Y::WEEK_AVAILABILITY)) } }
        @if now.staff_days.is_empty() { p.notice role="status" { (ctx.t(&Y::WEEK_NO_STAFF)) } }
        form method="post" action="/planering/planera" {
            (csrf_field(&ctx))
            input type="hidden" name="vecka" value=(monday);
            button.primary type="submit" { (ctx.t(if saved.is_some() { &Y::WEEK_RERUN } else { &Y::WEEK_RUN })) }
            " " span.hint { (ctx.t(&Y::WEEK_RUN_HINT)) }
        }
        @if let Some(job) = &searching {
            p.notice role="status" {
                (ctx.t(&J::JOB_RUNNING_NOTICE)) " " a href=(search::job_url(job)) { (ctx.t(&J::JOB_FOLLOW)) }
            }
        } @else if let Some(p) = &unsaved {
            p.notice role="status" {
                (fill(ctx.t(&J::JOB_UNSAVED_NOTICE), &[("at", &format_time(p.authored_at))])) " "
                a href={ "/planering/forslag?vecka=" (monday) } { (ctx.t(&J::JOB_SHOW_PROPOSAL)) }
            }
        }
        (requests_section(&ctx, monday, &requests, requests_version, &names))
        @match &saved {
            None => p.muted { (ctx.t(&Y::WEEK_NONE_SAVED)) },
            Some((week, doc)) => {
                p.muted { (fill(ctx.t(&Y::WEEK_SAVED_BY), &[
                    ("version", &doc.version.to_string()),
                    ("name", &doc.author_name),
                    ("at", &format_time(doc.authored_at)),
                    ("reason", &doc.reason),
                ])) }
                h2 { (ctx.t(&Y::WEEK_KPI)) }
                dl.kpis { @for (label, value) in kpi_rows(&ctx, &kpi(&week.problem, &week.plan)) {
                    div { dt { (ctx.t(label)) } dd { (value) } }
                } }
                h2 #veckotavla { (ctx.t(&Y::WEEK_BOARD)) }
                p.view-switch {
                    (ctx.t(&Y::WEEK_VIEW)) ": "
                    a href={ "/planering?vecka=" (monday) "#veckotavla" } aria-current=[(!compact).then_some("page")] { (ctx.t(&Y::WEEK_VIEW_FULL)) }
                    " · "
                    a href={ "/planering?vecka=" (monday) "&vy=kompakt#veckotavla" } aria-current=[compact.then_some("page")] { (ctx.t(&Y::WEEK_VIEW_COMPACT)) }
                }
                @let busy = |staff: &str| week.plan.routes.iter().any(|r| r.staff == staff && !r.stops.is_empty());
                @let shown: Vec<_> = setup.staff.iter().filter(|s| !compact || busy(&s.staff)).collect();
                div.table-wrap { table.week-board.compact[compact] {
                    thead { tr {
                        th scope="col" { (ctx.t(&Y::WEEK_STAFF)) }
                        @for d in &days { th scope="col" { (ctx.t(weekday_label(*d))) " " span.nowrap { (d.to_string()) } } }
                    } }
                    tbody { @for s in &shown { tr {
                        th scope="row" {
                            (s.name) br; span.muted { (ctx.t(profession_label(&s.profession))) }
                            @if !compact { br; a href={ "/planering/kalender?vecka=" (monday) "&personal=" (s.staff) } { (ctx.t(&Y::WEEK_CALENDAR)) } }
                        }
                        @for d in &days { td {
                            @if compact { (compact_cell(&ctx, week, &names, &s.staff, *d)) }
                            @else { (day_cell(&ctx, week, doc.version, &names, &s.staff, &s.name, *d)) }
                        } }
                    } } }
                } }
                @if shown.len() < setup.staff.len() {
                    p.muted { (fill(ctx.t(&Y::WEEK_HIDDEN_STAFF), &[("n", &(setup.staff.len() - shown.len()).to_string())])) }
                }
                h2 { (ctx.t(&Y::WEEK_UNPLANNED)) }
                @if week.plan.unassigned.is_empty() { p { (ctx.t(&Y::WEEK_UNPLANNED_NONE)) } }
                @else { ul { @for u in &week.plan.unassigned {
                    li { (names.patient(patient_of(&week.problem, &u.visit))) " – " (ctx.t(kind_label(&u.visit))) ": " (ctx.t(reason_label(u.reason))) }
                } } }
            }
        }
    };
    Ok(page(&ctx, ctx.t(&Y::WEEK_TITLE), body).into_response())
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
        return html! { span.muted { (ctx.t(&Y::WEEK_OFF)) } };
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
        @if locked { span.tag { (ctx.t(&Y::WEEK_LOCKED)) } " " }
        @match route {
            None => span.muted { (ctx.t(&Y::WEEK_EMPTY_DAY)) },
            Some(r) => {
                ol.stops { @for stop in &r.stops {
                    @let pinned = week.fixed.pinned.contains(&stop.visit);
                    @let who = names.patient(patient_of(&week.problem, &stop.visit));
                    li {
                        strong { (hhmm(stop.start)) } " " (who)
                        br; span.muted { (ctx.t(kind_label(&stop.visit))) ", " (place_of(ctx, &week.problem, names, stop)) }
                        @if pinned { " " span.tag { (ctx.t(&Y::WEEK_PINNED)) } }
                        br;
                        form.inline method="post" action="/planering/fast" {
                            (csrf_field(ctx))
                            input type="hidden" name="vecka" value=(week.monday);
                            input type="hidden" name="grund" value=(version);
                            input type="hidden" name="nal" value=(stop.visit);
                            button.link-button type="submit"
                                aria-label=(fill(ctx.t(if pinned { &Y::WEEK_UNPIN_LABEL } else { &Y::WEEK_PIN_LABEL }), &[("visit", who)])) {
                                (ctx.t(if pinned { &Y::WEEK_UNPIN } else { &Y::WEEK_PIN }))
                            }
                        }
                    }
                } }
                @if let Some(l) = r.lunch { p.muted { (fill(ctx.t(&Y::WEEK_LUNCH), &[("time", &hhmm(l))])) } }
            }
        }
        p {
            a href={ "/planering/dag?vecka=" (week.monday) "&personal=" (staff) "&dag=" (day) } { (ctx.t(&Y::WEEK_DAY_ROUTE)) }
        }
        form.inline method="post" action="/planering/fast" {
            (csrf_field(ctx))
            input type="hidden" name="vecka" value=(week.monday);
            input type="hidden" name="grund" value=(version);
            input type="hidden" name="las_personal" value=(staff);
            input type="hidden" name="las_dag" value=(day);
            button.link-button type="submit"
                aria-label=(fill(ctx.t(if locked { &Y::WEEK_UNLOCK_LABEL } else { &Y::WEEK_LOCK_LABEL }), &[("staff", staff_name), ("day", &day_text)])) {
                (ctx.t(if locked { &Y::WEEK_UNLOCK } else { &Y::WEEK_LOCK }))
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
            (false, _) => span.muted { (ctx.t(&Y::WEEK_OFF)) },
            (true, None) => span.muted { "–" },
            (true, Some(r)) => ul.stops-compact { @for stop in &r.stops {
                li {
                    strong { (hhmm(stop.start)) } " " (names.patient(patient_of(&week.problem, &stop.visit)))
                    @if week.fixed.pinned.contains(&stop.visit) { " " span.tag { (ctx.t(&Y::WEEK_PINNED)) } }
                }
            } },
        }
    }
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
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<FixForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, Some(&f.vecka))?;
    let unit = unit_of(&user)?;
    let change = match f.nal.as_deref().filter(|v| !v.is_empty()) {
        Some(visit) => changes::Fix::Visit(visit.to_owned()),
        None => changes::Fix::Day {
            staff: f.las_personal.clone().unwrap_or_default(),
            day: f
                .las_dag
                .as_deref()
                .and_then(|d| trappa_input::date::parse(d).ok()),
        },
    };
    let caller = ctx.caller(&user);
    changes::fix(state.store(), &caller, unit, monday, f.grund, &change)
        .await
        .for_user(&ctx)
        .map_err(|e| e.renamed(&[("week", "vecka"), ("visit", "nal"), ("day", "las_dag")]))?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}

const MODES: [(Mode, &str); 4] = [
    (Mode::OwnVardcentral, "own_vardcentral"),
    (Mode::Base, "base"),
    (Mode::Video, "video"),
    (Mode::Phone, "phone"),
];
