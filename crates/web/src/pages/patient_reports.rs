//! The care team's view of what a patient reports between visits: the instruments
//! assigned (with when each is due and the clinician's cut-offs), the diary with its
//! flags, and the mark that the reports have been read — which takes the patient off
//! the worklist's "new reports".

use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::reports::{AssignInput, RESOURCE, SCALE_MAX, Standing};
use trappa_app::scores::parse_code;
use trappa_scales::Rater;
use trappa_scales::assigned::{Cutoffs, Rhythm};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::reports::DiaryEntry;
use trappa_taper::adapt::{Flag, flag_text};
use trappa_taper::output::date_text;

use crate::access::PatientRoute;
use crate::ctx::{Ctx, ForUser};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::flash::{Flash, redirect};
use crate::i18n::{R, fill};
use crate::list::{ListParams, Paged, pager, paginate};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response};
use crate::pages::my_reports::rhythm_label;
use crate::state::AppState;

/// The assignment form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssignForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    instrument: String,
    rhythm: String,
    every_days: String,
    starts_on: String,
    moderate_from: String,
    severe_from: String,
    reason: String,
}

/// Ending an assignment.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EndForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    reason: String,
}

/// Marking the reports read.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The newest report the page showed.
    upto: String,
}

fn path_of(id: Uuid) -> String {
    format!("/patienter/{id}/dagbok")
}

fn cutoffs_text(ctx: &Ctx, s: &Standing) -> String {
    match trappa_app::reports::cutoffs_of(&s.assignment) {
        Some(c) => fill(
            ctx.t(&R::CUTOFFS),
            &[
                (
                    "moderate",
                    &trappa_i18n::format::exact(c.moderate_from, 1, ctx.locale),
                ),
                (
                    "severe",
                    &trappa_i18n::format::exact(c.severe_from, 1, ctx.locale),
                ),
            ],
        ),
        None => ctx.t(&R::CUTOFFS_OFFICIAL).to_owned(),
    }
}

fn assignments(
    ctx: &Ctx,
    state: &AppState,
    id: Uuid,
    standings: &[Standing],
    may_write: bool,
) -> Markup {
    html! {
        @if standings.is_empty() { p.muted { (ctx.t(&R::ASSIGNED_NONE)) } }
        @for s in standings {
            section.card {
                h3 { (state.instruments().get(&s.assignment.instrument).map_or(s.assignment.instrument.as_str(), |i| i.name.as_str())) }
                dl.summary {
                    dt { (ctx.t(&R::RHYTHM)) } dd { (rhythm_label(ctx, s.rhythm)) }
                    dt { (ctx.t(&R::FROM)) } dd { (date_text(s.assignment.starts_on, ctx.locale)) }
                    dt { (ctx.t(&R::BANDS)) } dd { (cutoffs_text(ctx, s)) }
                    dt { (ctx.t(&R::LAST)) } dd { (s.last.map_or_else(|| ctx.t(&R::NEVER).to_owned(), |d| date_text(d, ctx.locale))) }
                    dt { (ctx.t(&R::DUE_NOW)) } dd { (if s.due { ctx.t(&R::YES) } else { ctx.t(&R::NO) }) }
                    dt { (ctx.t(&R::ASSIGNED_BY)) } dd { (s.assignment.author_name) ", " (trappa_app::clock::format_time(s.assignment.authored_at))
                        @if !s.assignment.reason.is_empty() { ": " (s.assignment.reason) } }
                }
                @if may_write {
                    form method="post" action={ "/patienter/" (id) "/skattningar/tilldelning/" (s.assignment.id) "/avsluta" } {
                        (csrf_field(ctx))
                        div.field {
                            label for={ "end-" (s.assignment.id) } { (ctx.t(&R::END_REASON)) }
                            input id={ "end-" (s.assignment.id) } name="reason" type="text" autocomplete="off";
                        }
                        button.button.secondary type="submit" { (ctx.t(&R::END)) }
                    }
                }
            }
        }
    }
}

fn assign_form(
    ctx: &Ctx,
    state: &AppState,
    id: Uuid,
    f: &AssignForm,
    errors: &[FieldError],
) -> Markup {
    let inst_err = field_error(errors, "instrument");
    html! {
        h2 #assign-h { (ctx.t(&R::ASSIGN_TITLE)) }
        form method="post" action={ "/patienter/" (id) "/skattningar/tilldelning" } novalidate {
            (csrf_field(ctx))
            div.field.field-error[inst_err.is_some()] {
                label for="instrument" { (ctx.t(&R::INSTRUMENT)) }
                @if let Some(e) = inst_err { p.error-message id="instrument-error" { (e) } }
                select #instrument name="instrument" aria-invalid=[inst_err.map(|_| "true")] aria-describedby=[inst_err.map(|_| "instrument-error")] {
                    option value="" { (ctx.t(&R::CHOOSE)) }
                    @for i in state.instruments().all.iter().filter(|i| i.rater == Rater::Patient) {
                        option value=(i.id) selected[f.instrument == i.id] {
                            (i.name) @if i.bands.is_empty() { " – " (ctx.t(&R::NEEDS_CUTOFFS)) }
                        }
                    }
                }
            }
            fieldset.field #rhythm {
                legend { (ctx.t(&R::RHYTHM)) }
                div.radio {
                    input #rhythm-step type="radio" name="rhythm" value="before_step" checked[f.rhythm != "every_days"];
                    label for="rhythm-step" { (rhythm_label(ctx, Rhythm::BeforeStep)) }
                }
                div.radio {
                    input #rhythm-days type="radio" name="rhythm" value="every_days" checked[f.rhythm == "every_days"];
                    label for="rhythm-days" { (ctx.t(&R::EVERY_N_DAYS)) }
                }
            }
            (Field::text("every_days", ctx.t(&R::EVERY_DAYS), &f.every_days).hint(ctx.t(&R::EVERY_DAYS_HINT)).autocomplete("off").render(errors))
            (Field::text("starts_on", ctx.t(&R::STARTS_ON), &f.starts_on).kind("date").render(errors))
            (Field::text("moderate_from", ctx.t(&R::MODERATE_FROM), &f.moderate_from).hint(ctx.t(&R::CUTOFFS_HINT)).autocomplete("off").render(errors))
            (Field::text("severe_from", ctx.t(&R::SEVERE_FROM), &f.severe_from).autocomplete("off").render(errors))
            (Field::text("reason", ctx.t(&R::ASSIGN_REASON), &f.reason).autocomplete("off").render(errors))
            button.button type="submit" { (ctx.t(&R::ASSIGN)) }
        }
    }
}

fn diary(ctx: &Ctx, id: Uuid, lp: &ListParams, paged: &Paged<DiaryEntry>) -> Markup {
    let dose = |c: &str| match c {
        "as_planned" => ctx.t(&R::DOSE_AS_PLANNED),
        "less" => ctx.t(&R::DOSE_LESS),
        "more" => ctx.t(&R::DOSE_MORE),
        _ => ctx.t(&R::DOSE_UNSURE),
    };
    let value = |v: Option<i32>| v.map_or_else(|| "–".to_owned(), |v| format!("{v}/{SCALE_MAX}"));
    html! {
        @if paged.total == 0 { p.muted { (ctx.t(&R::DIARY_NONE)) } }
        @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(&R::COL_DAY)) }
                    th scope="col" { (ctx.t(&R::COL_DOSE)) }
                    th scope="col" { (ctx.t(&R::COL_SLEEP)) }
                    th scope="col" { (ctx.t(&R::COL_ANXIETY)) }
                    th scope="col" { (ctx.t(&R::COL_PAIN)) }
                    th scope="col" { (ctx.t(&R::COL_FLAGS)) }
                    th scope="col" { (ctx.t(&R::COL_NOTE)) }
                } }
                tbody { @for e in &paged.rows { tr {
                    td { (date_text(e.day, ctx.locale)) }
                    td { (dose(&e.dose_taken)) }
                    td.num { (value(e.sleep)) }
                    td.num { (value(e.anxiety)) }
                    td.num { (value(e.pain)) }
                    td { @for f in e.flags.iter().filter_map(|f| parse_code::<Flag>(f)) { span.tag.red { (flag_text(f, ctx.locale)) } " " } }
                    td.prewrap { (e.note) }
                } } }
            } }
        }
        (pager(ctx, &path_of(id), "dagbok", &[], lp, paged))
    }
}

async fn show_page(
    route: &PatientRoute,
    form: &AssignForm,
    errors: &[FieldError],
    lp: &ListParams,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let (state, ctx, id) = (&route.state, &route.ctx, route.id);
    let today = trappa_app::clock::today();
    let (standings, scores) = trappa_app::reports::standing_today(state.store(), &opened, today)
        .await
        .for_user(ctx)?;
    let entries = state.store().diary(&opened.access).await?;
    let newest = trappa_app::reports::newest_report(&scores, &entries);
    let paged = paginate(entries, lp.page());
    let may_write = trappa_policy::allows(
        route.user.role,
        trappa_policy::Permission::WritePatientRecord,
    );
    let strip = crate::pages::patients::strip_for(state, ctx, &opened).await?;
    let body = html! {
        (strip)
        h1 { (ctx.t(&R::TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&R::INTRO)) }
        @if let (true, Some(upto)) = (may_write, newest) {
            form method="post" action={ "/patienter/" (id) "/dagbok/last" } {
                (csrf_field(ctx))
                input type="hidden" name="upto" value=(upto);
                button.button type="submit" { (ctx.t(&R::MARK_READ)) }
            }
        }
        p { a href={ "/patienter/" (id) "/skattningar" } { (ctx.t(&R::SEE_SCORES)) } }
        section aria-labelledby="assigned-h" {
            h2 #assigned-h { (ctx.t(&R::ASSIGNED)) }
            (assignments(ctx, state, id, &standings, may_write))
        }
        @if may_write { section aria-labelledby="assign-h" { (assign_form(ctx, state, id, form, errors)) } }
        section #dagbok aria-labelledby="diary-h" {
            h2 #diary-h { (ctx.t(&R::DIARY)) }
            (diary(ctx, id, lp, &paged))
        }
    };
    Ok(form_response(ctx, ctx.t(&R::TITLE), body, errors))
}

/// `GET /patienter/{id}/dagbok`: what the patient reports — assignments, the diary.
pub async fn show(route: PatientRoute, Query(lp): Query<ListParams>) -> Result<Response, AppError> {
    let form = AssignForm {
        starts_on: trappa_app::clock::today().to_string(),
        ..Default::default()
    };
    show_page(&route, &form, &[], &lp).await
}

fn number(
    field: &'static str,
    value: &str,
    errors: &mut Vec<FieldError>,
    ctx: &Ctx,
) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = trappa_taper::amount::parse_decimal(v);
    if parsed.is_none() {
        errors.push(FieldError {
            field: field.into(),
            message: ctx.t(&crate::i18n::V::BAD_VALUE).to_owned(),
        });
    }
    parsed
}

/// `POST /patienter/{id}/skattningar/tilldelning`: assigns an instrument. A refused
/// form comes back with everything typed.
pub async fn assign(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<AssignForm>,
) -> Result<Response, AppError> {
    let ctx = route.ctx.clone();
    let mut errors = Vec::new();
    let starts_on = trappa_input::date::parse(&f.starts_on).ok();
    if starts_on.is_none() {
        errors.push(FieldError {
            field: "starts_on".into(),
            message: ctx.t(&R::ERR_STARTS_ON).to_owned(),
        });
    }
    let rhythm = match f.rhythm.as_str() {
        "every_days" => match f.every_days.trim().parse::<i64>() {
            Ok(days) => Rhythm::EveryDays { days },
            Err(_) => {
                errors.push(FieldError {
                    field: "every_days".into(),
                    message: fill(
                        ctx.t(&trappa_app::text::V::ASSIGN_ERR_EVERY),
                        &[("n", "365")],
                    ),
                });
                Rhythm::EveryDays { days: 0 }
            }
        },
        _ => Rhythm::BeforeStep,
    };
    let moderate = number("moderate_from", &f.moderate_from, &mut errors, &ctx);
    let severe = number("severe_from", &f.severe_from, &mut errors, &ctx);
    let cutoffs = match (moderate, severe) {
        (Some(moderate_from), Some(severe_from)) => Some(Cutoffs {
            moderate_from,
            severe_from,
        }),
        (None, None) => None,
        // One without the other is no cut-off pair: the use case names what is missing.
        _ => Some(Cutoffs {
            moderate_from: f64::NAN,
            severe_from: f64::NAN,
        }),
    };
    if !errors.is_empty() {
        return show_page(&route, &f, &errors, &ListParams::default()).await;
    }
    let opened = route.open(Action::Create, RESOURCE).await?;
    let input = AssignInput {
        instrument: f.instrument.clone(),
        rhythm,
        starts_on: starts_on.unwrap_or_default(),
        cutoffs,
        reason: f.reason.clone(),
    };
    let caller = ctx.caller(&route.user);
    let done = trappa_app::reports::assign(
        route.state.store(),
        &caller,
        &opened,
        route.state.instruments(),
        &input,
    );
    match done.await.for_user(&ctx) {
        Ok(_) => Ok(redirect(&route.state, &path_of(route.id), Flash::Saved, "")),
        Err(AppError::Invalid(faults)) => {
            show_page(&route, &f, &faults, &ListParams::default()).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /patienter/{id}/skattningar/tilldelning/{assignment}/avsluta`
pub async fn end(
    route: PatientRoute,
    Path((_, assignment)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<EndForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, RESOURCE).await?;
    let caller = route.ctx.caller(&route.user);
    trappa_app::reports::end(route.state.store(), &caller, &opened, assignment, &f.reason)
        .await
        .for_user(&route.ctx)?;
    Ok(redirect(&route.state, &path_of(route.id), Flash::Saved, ""))
}

/// `POST /patienter/{id}/dagbok/last`: the care team has read the reports.
pub async fn mark_read(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<ReadForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, RESOURCE).await?;
    // The form's own field: without it the page was not the one that shows the reports.
    let up_to = Uuid::parse_str(f.upto.trim()).map_err(|_| AppError::NotFound)?;
    let caller = route.ctx.caller(&route.user);
    trappa_app::reports::mark_read(route.state.store(), &caller, &opened, up_to)
        .await
        .for_user(&route.ctx)?;
    Ok(redirect(&route.state, &path_of(route.id), Flash::Saved, ""))
}
