//! The planner's search for a week's proposal, as a job the coordinator follows
//! ([`crate::jobs`]): asking answers at once with the search's page, which shows how far
//! it has come and leads to the proposal when it is there; the board stays usable
//! meanwhile, and a search can be stopped.

use std::sync::Arc;

use axum::response::Redirect;

use super::*;
use crate::error::Throttle;
use crate::extract::Path;
use crate::i18n::J;
use crate::jobs::{Job, Outcome, Progress, Running, StopCause};

/// What a search needs: the week, its problem and what the saved plan fixes.
pub(super) struct Ask {
    /// The week's Monday.
    pub monday: Date,
    /// The unit planning.
    pub unit: Uuid,
    /// Who asked (the proposal's author).
    pub author: Uuid,
    /// The week's planning problem.
    pub problem: Problem,
    /// The plan to start from (the saved one, or one with a visit moved by hand).
    pub previous: Plan,
    /// Pinned visits and locked days, kept.
    pub fixed: Fixed,
}

/// The key of a week's search: a second ask for the same week joins it.
fn job_key(monday: Date) -> String {
    format!("week:{monday}")
}

/// The week a search is for.
fn week_of_job(job: &Job) -> Option<Date> {
    job.key.strip_prefix("week:")?.parse().ok()
}

/// The address of a search's page.
pub(super) fn job_url(job: &Job) -> String {
    format!("/planering/forslag/{}", job.id)
}

/// The unit's unfinished search for the week, if any (the board points to it).
pub(super) async fn running(
    state: &AppState,
    unit: Uuid,
    monday: Date,
) -> Result<Option<Job>, AppError> {
    Ok(state
        .jobs()
        .unfinished(state.store(), unit, &job_key(monday))
        .await?)
}

/// Starts the search (or joins the one already running for the week) and sends the
/// coordinator to its page.
pub(super) async fn start(state: &AppState, ask: Ask) -> Result<Response, AppError> {
    let limit = state.config().planner_seconds;
    let worker = state.clone();
    let job = state
        .jobs()
        .start(
            state.store(),
            state,
            "planner",
            ask.unit,
            job_key(ask.monday),
            limit,
            move |job| search(worker, job, ask),
        )
        .await?
        .map_err(|_| AppError::TooManyRequests(Throttle::Planner))?;
    Ok(Redirect::to(&job_url(&job)).into_response())
}

/// The search itself: the planner off the async threads, stopped when the job is told
/// to stop; the proposal stored for anyone of the unit to see.
async fn search(state: AppState, job: Arc<Running>, ask: Ask) -> Outcome {
    let Ask {
        monday,
        unit,
        author,
        problem,
        previous,
        fixed,
    } = ask;
    let mut settings = Settings {
        max_seconds: state.config().planner_seconds,
        ..Settings::default()
    };
    let searched = {
        let (job, problem, fixed) = (job.clone(), problem.clone(), fixed.clone());
        crate::work::run_with(&state, "planner", job.cancel().clone(), move |cancel| {
            // Stopped while it waited for its turn: nothing to do.
            cancel.check().ok()?;
            job.began();
            settings.stop = Some(cancel.flag());
            let plan = replan(&problem, &previous, &fixed, &settings);
            (!cancel.is_cancelled()).then_some(plan)
        })
        .await
    };
    let plan = match searched {
        Ok(Some(Ok(plan))) => plan,
        // Told to stop: the job records why.
        Ok(None) => return Outcome::Failed,
        Ok(Some(Err(e))) => {
            tracing::error!(error = %e, "the planner found no proposal");
            return Outcome::Failed;
        }
        Err(e) => {
            tracing::error!(error = ?e, "the planner's work broke");
            return Outcome::Failed;
        }
    };
    let proposal = WeekPlan {
        monday,
        problem,
        plan,
        fixed,
    };
    match store(&state, unit, author, &proposal).await {
        Ok(version) => Outcome::Done(version),
        Err(e) => {
            tracing::error!(error = ?e, "the proposal could not be stored");
            Outcome::Failed
        }
    }
}

/// Keeps a proposal (what was proposed is not lost) as the week's latest.
async fn store(
    state: &AppState,
    unit: Uuid,
    author: Uuid,
    proposal: &WeekPlan,
) -> Result<i64, AppError> {
    changes::keep_proposal(state.store(), unit, author, proposal)
        .await
        .map_err(AppError::from)
}

/// `GET /planering/forslag/{id}`: the search's page — how far it has come, or what
/// became of it; a finished search leads to its proposal.
pub async fn progress(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let unit = unit_of(&user)?;
    let Some(job) = state.jobs().look(state.store(), unit, id).await? else {
        return Ok(gone(&ctx));
    };
    let Some(monday) = week_of_job(&job) else {
        return Ok(gone(&ctx));
    };
    let (title, body) = match job.progress.clone() {
        Progress::Finished(Outcome::Done(_)) => {
            return Ok(Redirect::to(&format!("/planering/forslag?vecka={monday}")).into_response());
        }
        Progress::Finished(outcome) => (&J::JOB_ENDED_TITLE, ended(&ctx, monday, &outcome)),
        progress => (
            &J::JOB_TITLE,
            following(
                &ctx,
                &job,
                monday,
                &progress,
                state.config().abandon_after_seconds,
            ),
        ),
    };
    let body = html! {
        h1 { (ctx.t(title)) }
        (week_heading(&ctx, monday))
        (body)
    };
    Ok(page(&ctx, ctx.t(title), body).into_response())
}

/// The page of a search still waiting or working. With JavaScript the progress part
/// (`data-follow`) is fetched again every second and the page moves on by itself when
/// the search is done; without, the user reloads it with the link.
fn following(
    ctx: &Ctx,
    job: &Job,
    monday: Date,
    progress: &Progress,
    abandon_after: f64,
) -> Markup {
    let locale = ctx.locale;
    let seconds = |s: f64| trappa_i18n::format::integer(s.floor() as i64, locale);
    html! {
        div.job data-follow="1000" {
            @match progress {
                Progress::Working { elapsed, limit } => {
                    p { (fill(ctx.t(&J::JOB_WORKING), &[("limit", &seconds(*limit))])) }
                    label for="forlopp" { (ctx.t(&J::JOB_PROGRESS)) }
                    progress #forlopp max=(limit) value=((elapsed * 10.0).round() / 10.0) {
                        (fill(ctx.t(&J::JOB_ELAPSED), &[("elapsed", &seconds(*elapsed)), ("limit", &seconds(*limit))]))
                    }
                    p.muted { (fill(ctx.t(&J::JOB_ELAPSED), &[("elapsed", &seconds(*elapsed)), ("limit", &seconds(*limit))])) }
                }
                _ => {
                    p { (ctx.t(&J::JOB_WAITING)) }
                    label for="forlopp" { (ctx.t(&J::JOB_PROGRESS)) }
                    progress #forlopp { (ctx.t(&J::JOB_WAITING_SHORT)) }
                }
            }
        }
        p { a href=(job_url(job)) { (ctx.t(&J::JOB_RELOAD)) } " " span.hint { (ctx.t(&J::JOB_RELOAD_HINT)) } }
        form method="post" action={ (job_url(job)) "/stoppa" } {
            (csrf_field(ctx))
            button.secondary type="submit" { (ctx.t(&J::JOB_STOP)) }
        }
        p {
            a href={ "/planering?vecka=" (monday) } { (ctx.t(&J::JOB_BACK)) }
            " " span.hint { (fill(ctx.t(&J::JOB_BACK_HINT), &[("seconds", &seconds(abandon_after))])) }
        }
    }
}

/// What became of a search that gave no proposal, and a way to ask again.
fn ended(ctx: &Ctx, monday: Date, outcome: &Outcome) -> Markup {
    let why = match outcome {
        Outcome::Stopped(StopCause::ByUser) => &J::JOB_STOPPED,
        Outcome::Stopped(StopCause::Abandoned) => &J::JOB_ABANDONED,
        Outcome::Failed | Outcome::Done(_) => &J::JOB_FAILED,
    };
    html! {
        p.notice role="status" { (ctx.t(why)) }
        (ask_again(ctx, monday))
        p { a href={ "/planering?vecka=" (monday) } { (ctx.t(&J::JOB_BACK)) } }
    }
}

/// The form that asks for a proposal for the week.
pub(super) fn ask_again(ctx: &Ctx, monday: Date) -> Markup {
    html! {
        form method="post" action="/planering/planera" {
            (csrf_field(ctx))
            input type="hidden" name="vecka" value=(monday);
            button.primary type="submit" { (ctx.t(&Y::WEEK_RUN)) }
        }
    }
}

/// A search this server does not know (finished long ago, another unit's, or from
/// before a restart): said plainly, with the way back.
fn gone(ctx: &Ctx) -> Response {
    let body = html! {
        h1 { (ctx.t(&J::JOB_GONE_TITLE)) }
        p { (ctx.t(&J::JOB_GONE)) }
        p { a href="/planering" { (ctx.t(&J::JOB_BACK)) } }
    };
    let mut response = page(ctx, ctx.t(&J::JOB_GONE_TITLE), body).into_response();
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

/// `POST /planering/forslag/{id}/stoppa`: stops the search; back to the week.
pub async fn stop(
    State(state): State<AppState>,
    Authed { user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let unit = unit_of(&user)?;
    let job = state.jobs().look(state.store(), unit, id).await?;
    let monday = job
        .as_ref()
        .and_then(week_of_job)
        .ok_or(AppError::NotFound)?;
    state
        .jobs()
        .stop(
            state.store(),
            &state,
            "planner",
            unit,
            id,
            StopCause::ByUser,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningStopped,
        "",
    ))
}
