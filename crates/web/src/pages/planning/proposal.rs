//! The planner's proposal for a week: asked for, shown as changes beside the saved
//! plan, saved with a reason; moving a visit by hand re-plans around it.

use super::*;
use crate::i18n::V;

/// The form that asks for a proposal.
#[derive(Debug, Deserialize)]
pub struct ProposeForm {
    /// The week (this week if not given).
    #[serde(default)]
    pub vecka: Option<String>,
}

fn placement_text(ctx: &Ctx, names: &Names, p: Option<&Placement>) -> String {
    match p {
        None => ctx.t(&Y::WEEK_NOT_PLANNED).to_owned(),
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
        h1 { (ctx.t(&Y::WEEK_PROPOSAL_TITLE)) }
        (week_heading(ctx, proposal.monday))
        p.lead { (ctx.t(&Y::WEEK_PROPOSAL_LEAD)) }
        (crate::pages::layout::error_summary(ctx, errors))
        h2 { (ctx.t(&Y::WEEK_KPI_COMPARE)) }
        div.table-wrap { table {
            thead { tr { th scope="col" { (ctx.t(&Y::WEEK_KPI)) } th scope="col" { (ctx.t(&Y::WEEK_BEFORE)) } th scope="col" { (ctx.t(&Y::WEEK_AFTER)) } } }
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
        h2 { (fill(ctx.t(&Y::WEEK_CHANGES), &[("n", &changes.len().to_string())])) }
        @if changes.is_empty() { p { (ctx.t(&Y::WEEK_NO_CHANGES)) } }
        @else { div.table-wrap { table.changes {
            thead { tr {
                th scope="col" { (ctx.t(&Y::WEEK_PATIENT)) }
                th scope="col" { (ctx.t(&Y::WEEK_VISIT)) }
                th scope="col" { (ctx.t(&Y::WEEK_BEFORE)) }
                th scope="col" { (ctx.t(&Y::WEEK_AFTER)) }
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
                label for="skal" { (ctx.t(&Y::WEEK_SAVE_REASON)) }
                span.hint #skal-hint { (ctx.t(&Y::WEEK_SAVE_REASON_HINT)) }
                input #skal type="text" name="skal" value=(reason) aria-describedby="skal-hint";
            }
            button type="submit" { (ctx.t(&Y::WEEK_SAVE)) }
            " "
            a href={ "/planering?vecka=" (proposal.monday) } { (ctx.t(&Y::WEEK_CANCEL)) }
        }
    };
    Ok(page(ctx, ctx.t(&Y::WEEK_PROPOSAL_TITLE), body).into_response())
}

/// `POST /planering/planera`: starts the planner's search for the week's proposal,
/// around what is pinned and locked in the saved plan, and sends the coordinator to
/// the search's page.
pub async fn propose(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<ProposeForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    if let Some(job) = search::running(&state, unit, monday).await? {
        // Already searching: follow that search rather than start a second.
        return Ok(axum::response::Redirect::to(&search::job_url(&job)).into_response());
    }
    let (problem, _, _) = problem(&state, &ctx, unit, monday).await?;
    let (previous, fixed) = saved(&state, unit, monday)
        .await?
        .map(|(w, _)| (w.plan, w.fixed))
        .unwrap_or_default();
    search::start(
        &state,
        search::Ask {
            monday,
            unit,
            author: user.account_id,
            problem,
            previous,
            fixed,
        },
    )
    .await
}

/// `GET /planering/forslag?vecka=`: the planner's latest proposal for the week, as
/// changes beside the saved plan, with the form that saves it.
pub async fn latest(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<ProposeForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    proposal_page(&state, &ctx, unit, monday, "", &[]).await
}

/// The latest proposal's page, with what was typed and why it was refused.
async fn proposal_page(
    state: &AppState,
    ctx: &Ctx,
    unit: Uuid,
    monday: Date,
    reason: &str,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let doc = state
        .store()
        .document(unit, &proposal_kind(monday))
        .await?
        .ok_or(AppError::NotFound)?;
    let proposal = read_week(&doc)?;
    let (_, _, names) = problem(state, ctx, unit, monday).await?;
    let saved = saved(state, unit, monday).await?;
    render_proposal(
        ctx,
        &proposal,
        doc.version,
        saved.as_ref(),
        &names,
        reason,
        errors,
    )
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

/// `POST /planering/spara`: saves the proposal shown, if it still is the latest, the
/// saved plan has not changed meanwhile, and every hard constraint holds.
pub async fn save(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<SaveForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, Some(&f.vecka))?;
    let unit = unit_of(&user)?;
    let caller = ctx.caller(&user);
    let adopted = changes::adopt_proposal(
        state.store(),
        &caller,
        unit,
        monday,
        f.forslag,
        f.grund,
        &f.skal,
    );
    match adopted.await.for_user(&ctx) {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            let errors = FieldError::renamed(errors, &[("reason", "skal")]);
            let page = proposal_page(&state, &ctx, unit, monday, f.skal.trim(), &errors);
            let mut response = page.await?;
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
        Err(e) => return Err(e),
    }
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

/// `POST /planering/flytta`: moves a visit to a clinician, day and time, pins it there
/// and starts the search that re-plans the rest; the proposal is shown as changes
/// before anything is saved.
pub async fn move_visit(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<MoveForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::Invalid(vec![FieldError {
            field: "vecka".into(),
            message: ctx.t(&V::WEEK_ERR_NO_PLAN).into(),
        }]));
    };
    let mut errors = Vec::new();
    let visit = week.problem.visit(&f.besok).cloned();
    if visit.is_none() {
        errors.push(FieldError {
            field: "besok".into(),
            message: ctx.t(&V::WEEK_ERR_NO_VISIT).into(),
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
            message: ctx.t(&V::WEEK_ERR_NO_DAY).into(),
        });
    }
    let start = parse_hhmm(&f.tid);
    if start.is_none() {
        errors.push(FieldError {
            field: "tid".into(),
            message: ctx.t(&Y::WEEK_ERR_TIME).into(),
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
    search::start(
        &state,
        search::Ask {
            monday,
            unit,
            author: user.account_id,
            problem: week.problem.clone(),
            previous,
            fixed,
        },
    )
    .await
}
