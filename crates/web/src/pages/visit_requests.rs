//! Visits seen by the patient (`/mina-sidor/besok`: to come and past, place and time, a
//! digital visit's video link) with the wish to move or cancel one, and the
//! coordinator's answer on the patient's visits page. Nothing changes before the answer.

use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::visit_requests::{self, Answer, OWN_RESOURCE, WishInput};
use trappa_pathway::visits::{Place, Status};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::visit_requests::VisitRequest;
use trappa_store::visits::Appointment;

use crate::access::{Authed, PatientRoute};
use crate::ctx::{Ctx, ForUser, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::flash::{Flash, redirect};
use crate::i18n::{B, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, form_response};
use crate::state::AppState;
use trappa_app::clock::format_time;

/// The wish as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WishForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    kind: String,
    wish: String,
    request_key: String,
}

/// The coordinator's answer as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnswerForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    decision: String,
    date: String,
    time: String,
    note: String,
}

fn kind_text(ctx: &Ctx, kind: &str) -> &'static str {
    if kind == "cancel" {
        ctx.t(&B::KIND_CANCEL)
    } else {
        ctx.t(&B::KIND_MOVE)
    }
}

fn decision_text(ctx: &Ctx, r: &VisitRequest) -> String {
    match &r.decision {
        None => ctx.t(&B::OPEN).to_owned(),
        Some(d) => fill(
            ctx.t(if d.approved {
                &B::APPROVED
            } else {
                &B::DECLINED
            }),
            &[
                ("who", &d.decided_by_name),
                ("when", &format_time(d.decided_at)),
                ("note", &d.note),
            ],
        ),
    }
}

/// A digital visit's link to the unit's video service, from its URL template.
pub(crate) fn video_link(state: &AppState, visit: &Appointment) -> Option<String> {
    let template = state.config().video_url_template.as_deref()?;
    (visit.place == Place::Video).then(|| template.replace("{visit}", &visit.id.to_string()))
}

async fn own_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    failed: Option<(Uuid, &WishForm, &[FieldError])>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(state, ctx, user, Action::Read, OWN_RESOURCE).await?;
    let visits = state.store().appointments(&opened.access).await?;
    let wishes = state.store().visit_requests(&opened.access).await?;
    let now = trappa_store::now();
    let (ahead, past): (Vec<&Appointment>, Vec<&Appointment>) = visits
        .iter()
        .partition(|a| a.status == Status::Booked && a.starts_at >= now);
    let errors = failed.map_or(&[][..], |(_, _, e)| e);
    let body = html! {
        h1 { (ctx.t(&B::TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&B::INTRO)) }
        p { a href="/mina-sidor/plan#feed-h" { (ctx.t(&crate::i18n::K::FEED_FROM_VISITS)) } }
        h2 { (ctx.t(&B::AHEAD)) }
        @if ahead.is_empty() { p.muted { (ctx.t(&B::NONE_AHEAD)) } }
        @for v in &ahead {
            @let open = wishes.iter().find(|w| w.appointment_id == v.id && w.decision.is_none());
            section.card {
                h3 { (crate::pages::layout::when_text(ctx, v.starts_at)) }
                dl.summary {
                    dt { (ctx.t(&B::WHAT)) } dd { (v.kind.label(ctx.locale)) ", " (trappa_i18n::format::minutes(i64::from(v.minutes), ctx.locale)) }
                    dt { (ctx.t(&B::WHERE)) } dd { (v.place.label(ctx.locale)) }
                    @if let Some(who) = &v.clinician_name { dt { (ctx.t(&B::WHO)) } dd { (who) } }
                }
                @if let Some(link) = video_link(state, v) {
                    p { a.button href=(link) rel="noopener" { (ctx.t(&B::JOIN_VIDEO)) } }
                }
                @match open {
                    Some(w) => p.notice { (fill(ctx.t(&B::WAITING), &[("kind", ctx.t(if w.kind == "cancel" { &B::WAITING_CANCEL } else { &B::WAITING_MOVE }))])) },
                    None => (wish_form(ctx, v.id, failed.filter(|(id, _, _)| *id == v.id).map(|(_, f, e)| (f, e)))),
                }
            }
        }
        @if !wishes.is_empty() {
            h2 { (ctx.t(&B::WISHES)) }
            ul { @for w in &wishes {
                li { (format_time(w.requested_at)) ": " (kind_text(ctx, &w.kind))
                     @if !w.wish.is_empty() { " – " (w.wish) }
                     ". " (decision_text(ctx, w)) }
            } }
        }
        h2 { (ctx.t(&B::PAST)) }
        @if past.is_empty() { p.muted { (ctx.t(&B::NONE_PAST)) } }
        ul { @for v in past.iter().rev().take(30) {
            li { (format_time(v.starts_at)) " · " (v.kind.label(ctx.locale)) " · " (v.place.label(ctx.locale)) " · " (v.status.label(ctx.locale)) }
        } }
    };
    Ok(form_response(ctx, ctx.t(&B::TITLE), body, errors))
}

fn wish_form(ctx: &Ctx, visit: Uuid, failed: Option<(&WishForm, &[FieldError])>) -> Markup {
    let fresh = WishForm {
        request_key: Uuid::now_v7().to_string(),
        ..Default::default()
    };
    let (f, errors) = failed.unwrap_or((&fresh, &[]));
    let key = if f.request_key.is_empty() {
        fresh.request_key.clone()
    } else {
        f.request_key.clone()
    };
    html! {
        details open[failed.is_some()] {
            summary { (ctx.t(&B::CHANGE)) }
            form.wish-form method="post" action={ "/mina-sidor/besok/" (visit) } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="request_key" value=(key);
                fieldset.field id="kind" {
                    legend { (ctx.t(&B::WHICH)) }
                    @for k in visit_requests::KINDS {
                        div.radio {
                            input id={ "kind-" (k) "-" (visit) } type="radio" name="kind" value=(k) checked[f.kind == k || (f.kind.is_empty() && k == "move")];
                            label for={ "kind-" (k) "-" (visit) } { (kind_text(ctx, k)) }
                        }
                    }
                }
                (Field::text("wish", ctx.t(&B::WISH), &f.wish).hint(ctx.t(&B::WISH_HINT)).autocomplete("off").render(errors))
                button.button type="submit" { (ctx.t(&B::SEND)) }
            }
        }
    }
}

/// `GET /mina-sidor/besok`: the patient's visits, with a wish to move or cancel.
pub async fn own(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    own_page(&state, &ctx, &user, None).await
}

/// `POST /mina-sidor/besok/{appointment}`: the patient's wish; nothing changes yet.
pub async fn own_wish(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(appointment): Path<Uuid>,
    HtmlForm(f): HtmlForm<WishForm>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Create, OWN_RESOURCE).await?;
    let input = WishInput {
        kind: f.kind.clone(),
        wish: f.wish.clone(),
        request_key: Some(f.request_key.clone()).filter(|k| !k.is_empty()),
    };
    let caller = ctx.caller(&user);
    match visit_requests::request(state.store(), &caller, &opened, appointment, &input)
        .await
        .for_user(&ctx)
    {
        Ok(_) => Ok(redirect(
            &state,
            "/mina-sidor/besok",
            Flash::ReportSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            own_page(&state, &ctx, &user, Some((appointment, &f, &errors))).await
        }
        Err(e) => Err(e),
    }
}

/// One open wish as a card: what and when, the patient's words, and the coordinator's
/// answer form when the reader may answer.
fn wish_card(ctx: &Ctx, w: &VisitRequest, with_name: bool, may_answer: bool) -> Markup {
    let kind = trappa_pathway::visits::Kind::from_code(&w.visit_kind);
    let place = Place::from_code(&w.visit_place);
    html! {
        section.card {
            @if with_name { h3 { (w.patient_name) } }
            p {
                strong { (kind_text(ctx, &w.kind)) } " · " (format_time(w.visit_starts_at))
                @if let Some(k) = kind { ", " (k.label(ctx.locale)) }
                @if let Some(p) = place { ", " (p.label(ctx.locale)) }
                " · " (ctx.t(&B::SENT)) " " (format_time(w.requested_at))
            }
            @if !w.wish.is_empty() { p.prewrap { (w.wish) } }
            @if may_answer {
                form method="post" action={ "/patienter/" (w.patient_id) "/besok/onskemal/" (w.id) } novalidate {
                    (csrf_field(ctx))
                    @if w.kind == "move" {
                        div.field { label for={ "date-" (w.id) } { (ctx.t(&B::NEW_DATE)) } input id={ "date-" (w.id) } type="date" name="date"; }
                        div.field { label for={ "time-" (w.id) } { (ctx.t(&B::NEW_TIME)) } input id={ "time-" (w.id) } type="time" name="time"; }
                    }
                    div.field { label for={ "note-" (w.id) } { (ctx.t(&B::NOTE)) } input id={ "note-" (w.id) } type="text" name="note" autocomplete="off"; }
                    p.actions {
                        button.button type="submit" name="decision" value="approve" { (ctx.t(&B::APPROVE)) }
                        button.button.secondary type="submit" name="decision" value="decline" { (ctx.t(&B::DECLINE)) }
                    }
                }
            }
        }
    }
}

/// The open wishes on the care team's visits page; the coordinator answers them on
/// `/besok/onskemal`.
pub fn staff_section(ctx: &Ctx, wishes: &[VisitRequest], may_answer: bool) -> Markup {
    let open: Vec<&VisitRequest> = wishes.iter().filter(|w| w.decision.is_none()).collect();
    html! {
        @if !open.is_empty() {
            section.wishes aria-labelledby="wishes-h" {
                h2 #wishes-h { (ctx.t(&B::STAFF_TITLE)) }
                @for w in open { (wish_card(ctx, w, false, may_answer)) }
            }
        }
    }
}

/// The most wishes one page shows, oldest first (the rest follow as these are answered).
const LIST_LIMIT: usize = 200;

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let caller = ctx.caller(user);
    let open = visit_requests::open(state.store(), &caller)
        .await
        .for_user(ctx)?;
    let body = html! {
        h1 { (ctx.t(&B::WORK_TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&B::LIST_INTRO)) }
        @if open.is_empty() { p.muted { (ctx.t(&B::LIST_NONE)) } }
        @for w in open.iter().take(LIST_LIMIT) { (wish_card(ctx, w, true, true)) }
    };
    Ok(form_response(ctx, ctx.t(&B::WORK_TITLE), body, errors))
}

/// `GET /besok/onskemal`: every open wish, oldest first, each with its answer form.
pub async fn list(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    list_page(&state, &ctx, &user, &[]).await
}

/// `POST /patienter/{id}/besok/onskemal/{request}`: the coordinator's answer; the
/// patient is opened under the scheduling rule (outside the care team on the
/// coordinating basis, flagged in the log).
pub async fn answer(
    route: PatientRoute,
    Path((_, request)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<AnswerForm>,
) -> Result<Response, AppError> {
    let caller = route.ctx.caller(&route.user);
    let opened = crate::access::keep_deferred(
        &route.ctx,
        visit_requests::open_to_answer(route.state.store(), &caller, route.id).await,
    )?;
    let a = Answer {
        approve: f.decision == "approve",
        date: f.date.clone(),
        time: f.time.clone(),
        note: f.note.clone(),
    };
    match visit_requests::decide(route.state.store(), &caller, &opened, request, &a)
        .await
        .for_user(&route.ctx)
    {
        Ok(()) => Ok(redirect(
            &route.state,
            "/besok/onskemal",
            Flash::VisitChanged,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            list_page(&route.state, &route.ctx, &route.user, &errors).await
        }
        Err(e) => Err(e),
    }
}
