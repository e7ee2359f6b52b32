//! Visits and the journal. Appointments are booked by kind and place with a clinician
//! from the patient's care team, then moved, cancelled, marked as missed, or held — a
//! visit is held by writing its journal note, in one transaction. Notes follow the
//! template of their kind (`trappa-pathway`), are append-only, and are corrected with a
//! reason; the CBT programme's progress is read from the CBT notes. Booking the first
//! assessment shows the vårdgaranti clock and warns when the date falls past it.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_i18n::fill;
use trappa_pathway::clock::Clock;
use trappa_pathway::visits::{Heading, Kind, Place, Status};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::care_team::CareTeamMember;
use trappa_store::visits::{Appointment, JournalNote};

use crate::access::{Authed, OpenedPatient, PatientRoute, open_patient};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::i18n::{C, M};
use crate::pages::layout::{
    Field, csrf_field, error_summary, field_error, form_response, notice, page,
};
use crate::state::AppState;
use trappa_app::clock::{format_clock, format_time, today};
use trappa_app::visits::{self, JOURNAL, VISITS};

fn name_of(p: &trappa_store::patients::Patient) -> String {
    format!(
        "{} {}",
        p.current.data.given_name, p.current.data.family_name
    )
}

fn status_tag(ctx: &Ctx, s: Status) -> Markup {
    let class = match s {
        Status::Booked => "tag tag-ok",
        Status::Done => "tag tag-muted",
        Status::Cancelled | Status::NoShow => "tag tag-warn",
    };
    html! { span class=(class) { (s.label(ctx.locale)) } }
}

/// The vårdgaranti clock as a tag: days counted and the state in words.
pub fn clock_tag(ctx: &Ctx, c: &Clock) -> Markup {
    use trappa_pathway::clock::ClockStatus::*;
    let booked_text;
    let (class, text) = match (c.status, c.booked) {
        // A booked first visit answers the warnings: say when, not "book now".
        (Running | Warning60 | Warning80 | Breached, Some(day)) => {
            let booked = fill(ctx.t(&M::CLOCK_BOOKED), &[("date", &day.to_string())]);
            booked_text = if c.status == Breached {
                format!("{} · {booked}", ctx.t(&M::CLOCK_BREACHED))
            } else {
                booked
            };
            let class = if c.booked_late || c.status == Breached {
                "tag tag-alert"
            } else {
                "tag tag-ok"
            };
            (class, booked_text.as_str())
        }
        (Running, None) => ("tag tag-ok", ctx.t(&M::CLOCK_RUNNING)),
        (Warning60, None) => ("tag tag-warn", ctx.t(&M::CLOCK_WARNING_60)),
        (Warning80, None) => ("tag tag-alert", ctx.t(&M::CLOCK_WARNING_80)),
        (Breached, None) => ("tag tag-alert", ctx.t(&M::CLOCK_BREACHED)),
        (Paused, _) => ("tag tag-muted", ctx.t(&M::CLOCK_PAUSED)),
        (Met, _) => ("tag tag-ok", ctx.t(&M::CLOCK_MET)),
        (MetLate, _) => ("tag tag-warn", ctx.t(&M::CLOCK_MET_LATE)),
    };
    html! { span class=(class) { (fill(ctx.t(&M::CLOCK_DAYS), &[("n", &c.days.to_string())])) " · " (text) } }
}

/// The patient's vårdgaranti clock from their referral and appointments, if referred.
pub async fn patient_clock(
    state: &AppState,
    opened: &OpenedPatient,
    appointments: &[Appointment],
) -> Result<Option<Clock>, AppError> {
    let referral = state.store().patient_referral(&opened.access).await?;
    Ok(referral.map(|r| referral_clock(&r, appointments)))
}

/// The clock of a referral given the patient's appointments: stopped by the first
/// assessment held, projected to the one booked.
pub fn referral_clock(
    referral: &trappa_store::referrals::Referral,
    appointments: &[Appointment],
) -> Clock {
    let first = |status: Status| {
        appointments
            .iter()
            .filter(|a| a.kind == Kind::Assessment && a.status == status)
            .map(|a| a.starts_at)
            .min()
    };
    trappa_app::waiting::clock_for(
        &referral.timeline(),
        first(Status::Done),
        first(Status::Booked),
        today(),
    )
}

/// The booking form's fields.
pub use trappa_app::visits::Booking as BookingForm;

/// The change form's fields (move, cancel, no-show).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    pub(crate) version: String,
    pub(crate) status: String,
    pub(crate) date: String,
    pub(crate) time: String,
    pub(crate) reason: String,
}

impl ChangeForm {
    /// The change the form asks for.
    pub fn change(&self) -> visits::Change {
        visits::Change {
            status: self.status.clone(),
            date: self.date.clone(),
            time: self.time.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// `?typ=` on the booking page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KindQuery {
    typ: String,
    besok: String,
}

/// The visit-type select; `switches`: changing it reloads the form with that template.
fn select_kind(
    ctx: &Ctx,
    name: &'static str,
    kinds: &[Kind],
    current: &str,
    switches: bool,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (ctx.t(&M::VISIT_KIND)) }
            select id=(name) name=(name) data-switch=[switches.then_some("1")] {
                @for k in kinds { option value=(k.code()) selected[current == k.code()] { (k.label(ctx.locale)) } }
            }
        }
    }
}

fn team_select(ctx: &Ctx, team: &[CareTeamMember], current: &str, errors: &[FieldError]) -> Markup {
    let err = field_error(errors, "clinician");
    html! {
        div.field.field-error[err.is_some()] {
            label for="clinician" { (ctx.t(&M::VISIT_CLINICIAN)) }
            @if let Some(e) = err { p.error-message id="clinician-error" { (e) } }
            select #clinician name="clinician" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "clinician-error")] {
                @for m in team.iter().filter(|m| m.ended_at.is_none()) {
                    option value=(m.account_id) selected[current == m.account_id.to_string()] {
                        (m.display_name) @if let Some(p) = &m.profession { " (" (p) ")" }
                    }
                }
            }
        }
    }
}

pub(crate) async fn render_visits(
    state: &AppState,
    ctx: &Ctx,
    opened: &OpenedPatient,
    form: &BookingForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let id = opened.id();
    let store = state.store();
    let patient = store.patient(&opened.access).await?;
    let team = store.care_team(&opened.access).await?;
    let appointments = store.appointments(&opened.access).await?;
    let wishes = store.visit_requests(&opened.access).await?;
    let may_answer = ctx
        .user
        .as_ref()
        .is_some_and(|u| trappa_policy::allows(u.role, trappa_policy::Permission::ManageCareTeam));
    let clock = patient_clock(state, opened, &appointments).await?;
    let now = trappa_store::now();
    let (upcoming, past): (Vec<&Appointment>, Vec<&Appointment>) =
        appointments.iter().partition(|a| {
            a.status == Status::Booked && a.starts_at >= now - jiff::SignedDuration::from_hours(24)
        });
    let name = name_of(&patient);
    let has_team = team.iter().any(|m| m.ended_at.is_none());
    let kind = if form.kind.is_empty() {
        Kind::NurseReview.code()
    } else {
        form.kind.as_str()
    };
    let kinds: Vec<Kind> = Kind::bookable().collect();
    let minutes = if form.minutes.is_empty() {
        Kind::from_code(kind)
            .map(|k| k.default_minutes().to_string())
            .unwrap_or_default()
    } else {
        form.minutes.clone()
    };
    let body = html! {
        (crate::pages::patients::strip(ctx, &patient, opened))
        h1 { (ctx.t(&M::VISITS_TITLE)) ": " (name) }
        @if let Some(c) = &clock {
            @if !matches!(c.status, trappa_pathway::clock::ClockStatus::Met | trappa_pathway::clock::ClockStatus::MetLate) {
                p { strong { (ctx.t(&M::CLOCK_TITLE)) ": " } (clock_tag(ctx, c))
                    @if let Some(d) = c.deadline { " · " (ctx.t(&M::CLOCK_DEADLINE)) " " (d.to_string()) } }
                @if c.booked_late { p.warning-banner { (ctx.t(&M::CLOCK_BOOKED_LATE)) } }
            }
        }
        (crate::pages::visit_requests::staff_section(ctx, &wishes, may_answer))
        h2 { (ctx.t(&M::VISITS_UPCOMING)) }
        @if upcoming.is_empty() { p.muted { (ctx.t(&M::VISITS_NONE)) } }
        @else { (visit_table(ctx, id, &upcoming, true)) }
        h2 #boka { (ctx.t(&M::VISIT_BOOK)) }
        @if !has_team {
            (notice(ctx.t(&M::VISIT_NEEDS_TEAM)))
            // The way forward: the team is assigned on the overview, by those who may.
            @if ctx.user.as_ref().is_some_and(|u| trappa_policy::allows(u.role, trappa_policy::Permission::ManageCareTeam)) {
                p { a.button href={ "/patienter/" (id) "#vardteam-ny" } { (ctx.t(&M::VISIT_ASSIGN_TEAM)) } }
            } @else {
                p { (ctx.t(&M::VISIT_ASK_FOR_TEAM)) }
            }
        } @else {
            (error_summary(ctx, errors))
            form.booking-form method="post" action={ "/patienter/" (id) "/besok" } novalidate {
                (csrf_field(ctx))
                (select_kind(ctx, "kind", &kinds, kind, false))
                div.field {
                    label for="place" { (ctx.t(&M::VISIT_PLACE)) }
                    select #place name="place" {
                        @for p in Place::ALL { option value=(p.code()) selected[form.place == p.code()] { (p.label(ctx.locale)) } }
                    }
                }
                (Field::text("date", ctx.t(&M::VISIT_DATE), &form.date).kind("date").required().render(errors))
                (Field::text("time", ctx.t(&M::VISIT_TIME), &form.time).kind("time").required().render(errors))
                (Field::text("minutes", ctx.t(&M::VISIT_MINUTES), &minutes).kind("number").required().render(errors))
                (team_select(ctx, &team, &form.clinician, errors))
                (Field::text("reason", ctx.t(&M::VISIT_REASON), &form.reason).autocomplete("off").render(errors))
                button.button type="submit" { (ctx.t(&M::VISIT_BOOK)) }
            }
        }
        h2 { (ctx.t(&M::VISITS_PAST)) }
        @if past.is_empty() { p.muted { (ctx.t(&M::VISITS_NONE)) } }
        @else { (visit_table(ctx, id, &past, false)) }
    };
    Ok(form_response(ctx, ctx.t(&M::VISITS_TITLE), body, errors))
}

fn visit_table(ctx: &Ctx, id: Uuid, list: &[&Appointment], actions: bool) -> Markup {
    html! {
        div.table-wrap { table.visits {
            thead { tr {
                th scope="col" { (ctx.t(&M::VISIT_WHEN)) }
                th scope="col" { (ctx.t(&M::VISIT_KIND)) }
                th scope="col" { (ctx.t(&M::VISIT_PLACE)) }
                th scope="col" { (ctx.t(&M::VISIT_CLINICIAN)) }
                th scope="col" { (ctx.t(&M::REFERRAL_STATUS)) }
                @if actions { th scope="col" { (ctx.t(&M::VISIT_ACTIONS)) } }
            } }
            tbody { @for a in list { tr {
                td { (format_time(a.starts_at)) " (" (a.minutes) " min)" }
                td { (a.kind.label(ctx.locale)) }
                td { (a.place.label(ctx.locale)) }
                td { (a.clinician_name.as_deref().unwrap_or("–")) }
                td { (status_tag(ctx, a.status)) @if a.version > 1 && !a.reason.is_empty() { " " span.muted { (a.reason) } } }
                @if actions { td {
                    a.button href={ "/patienter/" (id) "/journal/ny?besok=" (a.id) } { (ctx.t(&M::VISIT_DOCUMENT)) }
                    details {
                        summary { (ctx.t(&M::VISIT_CHANGE)) }
                        form.change-form method="post" action={ "/patienter/" (id) "/besok/" (a.id) } novalidate {
                            (csrf_field(ctx))
                            input type="hidden" name="version" value=(a.version);
                            @let fid = a.id.simple().to_string();
                            div.field {
                                label for={ "status-" (fid) } { (ctx.t(&M::VISIT_NEW_STATUS)) }
                                select id={ "status-" (fid) } name="status" {
                                    option value="booked" { (ctx.t(&M::VISIT_MOVE)) }
                                    option value="cancelled" { (Status::Cancelled.label(ctx.locale)) }
                                    option value="no_show" { (Status::NoShow.label(ctx.locale)) }
                                }
                            }
                            div.field { label for={ "date-" (fid) } { (ctx.t(&M::VISIT_DATE)) }
                                input id={ "date-" (fid) } type="date" name="date" value=(trappa_app::clock::local_date(a.starts_at).to_string()); }
                            div.field { label for={ "time-" (fid) } { (ctx.t(&M::VISIT_TIME)) }
                                input id={ "time-" (fid) } type="time" name="time" value=(format_clock(a.starts_at)); }
                            div.field { label for={ "reason-" (fid) } { (ctx.t(&M::VISIT_REASON)) }
                                input id={ "reason-" (fid) } type="text" name="reason" required; }
                            button.button type="submit" { (ctx.t(&M::SAVE)) }
                        }
                    }
                } }
            } } }
        } }
    }
}

/// `GET /patienter/{id}/besok`: upcoming and past visits, and the booking form.
pub async fn list(route: PatientRoute, Query(q): Query<KindQuery>) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, VISITS).await?;
    let (state, ctx, _, _) = route.into_parts();
    let form = BookingForm {
        kind: q.typ,
        ..Default::default()
    };
    render_visits(&state, &ctx, &opened, &form, &[]).await
}

/// `POST /patienter/{id}/besok`: books a visit.
pub async fn book(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<BookingForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, VISITS).await?;
    let (state, ctx, user, id) = route.into_parts();
    match visits::book(state.store(), &ctx.caller(&user), &opened, &f)
        .await
        .for_user(&ctx)
    {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            return render_visits(&state, &ctx, &opened, &f, &errors).await;
        }
        Err(e) => return Err(e),
    }
    Ok(crate::flash::redirect(
        &state,
        &format!("/patienter/{id}/besok"),
        crate::flash::Flash::VisitBooked,
        "",
    ))
}

/// `POST /patienter/{id}/besok/{appointment}`: moves, cancels or marks a no-show.
pub async fn change(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, appointment)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<ChangeForm>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, VISITS).await?;
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    visits::change(
        state.store(),
        &ctx.caller(&user),
        &opened,
        appointment,
        expected,
        &f.change(),
    )
    .await
    .for_user(&ctx)?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/patienter/{id}/besok"),
        crate::flash::Flash::VisitChanged,
        "",
    ))
}

pub use trappa_app::visits::cbt;

/// One note as shown in the journal (headed `h2`, with links to its versions and a
/// correction) and on the overview (`h3`, under the journal's heading).
pub fn note_view(ctx: &Ctx, patient: Uuid, n: &JournalNote, link: bool) -> Markup {
    let title = html! {
        (n.kind.label(ctx.locale)) " · " (format_time(n.created_at)) " · " (n.created_by_name)
                @if n.version > 1 { " " span.tag.tag-warn { (ctx.t(&M::NOTE_CORRECTED)) } }
    };
    html! {
        li.note {
            @if link { h2.note-title { (title) } } @else { h3 { (title) } }
            @for h in n.kind.template() {
                @if let Some(text) = n.fields.get(h.code()).filter(|t| !t.is_empty()) {
                    p { strong { (h.label(ctx.locale)) ": " } (text) }
                }
            }
            @if link {
                p { a href={ "/patienter/" (patient) "/journal/" (n.id) } { (ctx.t(&M::NOTE_VERSIONS)) } " · "
                    a href={ "/patienter/" (patient) "/journal/" (n.id) "/rattelse" } { (ctx.t(&M::NOTE_CORRECT)) } }
            }
        }
    }
}

/// `GET /patienter/{id}/journal`: the journal, newest first, and the CBT progress.
pub async fn journal(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, JOURNAL).await?;
    let (state, ctx, _, id) = route.into_parts();
    let patient = state.store().patient(&opened.access).await?;
    let notes = state.store().journal(&opened.access).await?;
    let progress = cbt(&notes);
    let name = name_of(&patient);
    let body = html! {
        (crate::pages::patients::strip(&ctx, &patient, &opened))
        h1 { (ctx.t(&M::JOURNAL_TITLE)) ": " (name) }
        p { a.button href={ "/patienter/" (id) "/journal/ny?typ=note" } { (ctx.t(&M::NOTE_NEW)) } }
        @if progress.held > 0 {
            p.cbt-progress { strong { (ctx.t(&M::CBT_PROGRESS)) ": " }
                (fill(ctx.t(&M::CBT_HELD), &[("held", &progress.held.to_string()), ("of", &progress.of.to_string())]))
                " " progress value=(progress.held) max=(progress.of) aria-label=(ctx.t(&M::CBT_PROGRESS)) {} }
        }
        @if notes.is_empty() { p.muted { (ctx.t(&M::JOURNAL_EMPTY)) } }
        ol.timeline { @for n in &notes { (note_view(&ctx, id, n, true)) } }
    };
    Ok(page(&ctx, ctx.t(&M::JOURNAL_TITLE), body).into_response())
}

/// The note form's fields: the kind, the visit it documents, and one text per heading
/// (named by the heading's code).
#[derive(Debug, Default)]
pub struct NoteForm {
    kind: String,
    appointment: String,
    version: String,
    reason: String,
    /// "switch": show the chosen template with what was typed, save nothing.
    action: String,
    fields: BTreeMap<String, String>,
}

impl NoteForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = NoteForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "kind" => f.kind = v,
                "appointment" => f.appointment = v,
                "version" => f.version = v,
                "reason" => f.reason = v,
                "action" => f.action = v,
                "csrf" => {}
                _ => {
                    f.fields.insert(k, v);
                }
            }
        }
        f
    }
}

fn note_fields(
    ctx: &Ctx,
    kind: Kind,
    values: &BTreeMap<String, String>,
    errors: &[FieldError],
) -> Markup {
    html! {
        @for h in kind.template() {
            @let name = h.code();
            @let err = field_error(errors, name);
            @let value = values.get(name).map(String::as_str).unwrap_or("");
            div.field.field-error[err.is_some()] {
                label for=(name) { (h.label(ctx.locale)) }
                @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
                @if *h == Heading::Session {
                    input id=(name) name=(name) type="number" min="1" max=(trappa_pathway::visits::CBT_PROGRAMME_SESSIONS) value=(value)
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))];
                } @else {
                    textarea id=(name) name=(name) rows="4" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] { (value) }
                }
            }
        }
        @let kept: Vec<(Heading, &String)> = values
            .iter()
            .filter(|(k, v)| !v.trim().is_empty() && !kind.template().iter().any(|h| h.code() == k.as_str()))
            .filter_map(|(k, v)| Heading::from_code(k).map(|h| (h, v)))
            .collect();
        @if !kept.is_empty() {
            div.kept-text {
                p.warning-banner { (ctx.t(&C::NOTE_KEPT)) }
                @for (h, value) in kept {
                    @let name = h.code();
                    @let err = field_error(errors, name);
                    div.field.field-error[err.is_some()] {
                        label for=(name) { (h.label(ctx.locale)) }
                        @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
                        textarea id=(name) name=(name) rows="4" aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] { (value) }
                    }
                }
            }
        }
    }
}

async fn render_note_form(
    state: &AppState,
    ctx: &Ctx,
    opened: &OpenedPatient,
    f: &NoteForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let id = opened.id();
    let patient = state.store().patient(&opened.access).await?;
    let appointment = match f.appointment.parse::<Uuid>() {
        Ok(a) => Some(
            Some(state.store().appointment(&opened.access, a).await?)
                .filter(|x| x.status == Status::Booked)
                .ok_or(AppError::NotFound)?,
        ),
        Err(_) => None,
    };
    let kind = appointment
        .as_ref()
        .map(|a| a.kind)
        .or_else(|| Kind::from_code(&f.kind))
        .unwrap_or(Kind::Note);
    let name = name_of(&patient);
    let body = html! {
        (crate::pages::patients::strip(ctx, &patient, opened))
        h1 { (kind.label(ctx.locale)) ": " (name) }
        @if let Some(a) = &appointment {
            p { (ctx.t(&M::NOTE_FOR_VISIT)) " " (format_time(a.starts_at)) ", " (a.place.label(ctx.locale))
                @if let Some(c) = &a.clinician_name { ", " (c) } }
            p.hint { (ctx.t(&M::NOTE_HOLDS_VISIT)) }
        }
        p { a href={ "/patienter/" (id) "/skattningar/ny" } { (ctx.t(&M::NOTE_ADD_SCORE)) } }
        (error_summary(ctx, errors))
        form.note-form method="post" action={ "/patienter/" (id) "/journal" } novalidate {
            (csrf_field(ctx))
            @if let Some(a) = &appointment {
                input type="hidden" name="appointment" value=(a.id);
                input type="hidden" name="version" value=(a.version);
            } @else {
                div.switch-kind {
                    (select_kind(ctx, "kind", &Kind::ALL, kind.code(), true))
                    button.secondary type="submit" name="action" value="switch" aria-describedby="switch-hint" { (ctx.t(&C::NOTE_SWITCH)) }
                    p.hint #switch-hint { (ctx.t(&C::NOTE_SWITCH_HINT)) }
                }
            }
            (note_fields(ctx, kind, &f.fields, errors))
            button.button type="submit" { (ctx.t(&M::NOTE_SAVE)) }
        }
    };
    Ok(form_response(ctx, kind.label(ctx.locale), body, errors))
}

/// `GET /patienter/{id}/journal/ny?typ=…|besok=…`: the note form, by template.
pub async fn new_note(
    route: PatientRoute,
    Query(q): Query<KindQuery>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, JOURNAL).await?;
    let (state, ctx, _, _) = route.into_parts();
    let f = NoteForm {
        kind: q.typ,
        appointment: q.besok,
        ..Default::default()
    };
    render_note_form(&state, &ctx, &opened, &f, &[]).await
}

/// `POST /patienter/{id}/journal`: writes a note (and holds its visit).
pub async fn write_note(
    route: PatientRoute,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, JOURNAL).await?;
    let (state, ctx, user, id) = route.into_parts();
    let f = NoteForm::from_pairs(pairs);
    if f.action == "switch" {
        // Another template: the form again, with everything typed kept; nothing saved.
        return render_note_form(&state, &ctx, &opened, &f, &[]).await;
    }
    let held = match f.appointment.trim() {
        "" => None,
        a => Some((
            a.parse::<Uuid>().map_err(|_| AppError::NotFound)?,
            f.version
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::Stale)?,
        )),
    };
    match visits::write_note(
        state.store(),
        &ctx.caller(&user),
        &opened,
        held,
        Kind::from_code(&f.kind),
        &f.fields,
    )
    .await
    .for_user(&ctx)
    {
        Ok(_) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}/journal"),
            crate::flash::Flash::NoteSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            render_note_form(&state, &ctx, &opened, &f, &errors).await
        }
        Err(e) => Err(e),
    }
}

/// `GET /patienter/{id}/journal/{note}`: every version of a note, oldest first.
pub async fn note_versions(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, note)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, JOURNAL).await?;
    let patient = state.store().patient(&opened.access).await?;
    let versions = state.store().note_history(&opened.access, note).await?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    let name = name_of(&patient);
    let body = html! {
        (crate::pages::patients::strip(&ctx, &patient, &opened))
        p { a href={ "/patienter/" (id) "/journal" } { "← " (ctx.t(&M::JOURNAL_TITLE)) } }
        h1 { (ctx.t(&M::NOTE_VERSIONS)) ": " (name) }
        div.versions { @for v in &versions {
            section.version {
                h2 { (fill(ctx.t(&M::NOTE_VERSION_N), &[("n", &v.version.to_string())])) }
                p.muted { (format_time(v.authored_at)) " · " (v.author_name) @if !v.reason.is_empty() { " · " (v.reason) } }
                @for h in v.kind.template() {
                    @if let Some(text) = v.fields.get(h.code()) { p { strong { (h.label(ctx.locale)) ": " } (text) } }
                }
            }
        } }
    };
    Ok(page(&ctx, ctx.t(&M::NOTE_VERSIONS), body).into_response())
}

async fn render_correction(
    state: &AppState,
    ctx: &Ctx,
    opened: &OpenedPatient,
    note: &JournalNote,
    values: &BTreeMap<String, String>,
    reason: &str,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let id = opened.id();
    let patient = state.store().patient(&opened.access).await?;
    let body = html! {
        (crate::pages::patients::strip(ctx, &patient, opened))
        p { a href={ "/patienter/" (id) "/journal" } { "← " (ctx.t(&M::JOURNAL_TITLE)) } }
        h1 { (ctx.t(&M::NOTE_CORRECT)) ": " (note.kind.label(ctx.locale)) ", " (name_of(&patient)) }
        p.hint { (ctx.t(&M::NOTE_CORRECT_HINT)) }
        (error_summary(ctx, errors))
        form.note-form method="post" action={ "/patienter/" (id) "/journal/" (note.id) "/rattelse" } novalidate {
            (csrf_field(ctx))
            input type="hidden" name="version" value=(note.version);
            (note_fields(ctx, note.kind, values, errors))
            (Field::text("reason", ctx.t(&M::REF_REASON), reason).autocomplete("off").required().render(errors))
            button.button type="submit" { (ctx.t(&M::NOTE_SAVE)) }
        }
    };
    Ok(form_response(ctx, ctx.t(&M::NOTE_CORRECT), body, errors))
}

/// `GET /patienter/{id}/journal/{note}/rattelse`: the correction form.
pub async fn correction_form(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, note)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, JOURNAL).await?;
    let n = state.store().note(&opened.access, note).await?;
    render_correction(&state, &ctx, &opened, &n, &n.fields, "", &[]).await
}

/// `POST /patienter/{id}/journal/{note}/rattelse`: a new version with its reason.
pub async fn correct(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path((id, note)): Path<(Uuid, Uuid)>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, JOURNAL).await?;
    let f = NoteForm::from_pairs(pairs);
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    let corrected = visits::correct_note(
        state.store(),
        &ctx.caller(&user),
        &opened,
        note,
        expected,
        &f.fields,
        &f.reason,
    )
    .await
    .for_user(&ctx);
    if let Err(AppError::Invalid(errors)) = corrected {
        let n = state.store().note(&opened.access, note).await?;
        return render_correction(&state, &ctx, &opened, &n, &f.fields, &f.reason, &errors).await;
    }
    corrected?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/patienter/{id}/journal"),
        crate::flash::Flash::NoteCorrected,
        "",
    ))
}
