//! Aftercare and discharge. The last dose starts aftercare with its follow-up schedule
//! (1, 3 and 6 months by default; never ending before six months); follow-ups, relapses
//! and the outcome questionnaires at 6 and 12 months are recorded as path events; the
//! discharge carries its outcome. The rules live in `trappa-pathway::aftercare`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_i18n::fill;
use trappa_pathway::aftercare::{
    AftercareStart, DEFAULT_FOLLOW_UP_MONTHS, DischargeError, DischargeRecord, FollowUpRecord,
    FollowUpState, OUTCOME_MONTHS, Outcome, OutcomeRecord, RelapseRecord, ScheduleError,
    check_discharge, follow_ups, parse_schedule,
};
use trappa_store::Uuid;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::path::{EventKind, NewEvent, PathEvent};

use crate::AppState;
use crate::access::{Can, OpenedPatient, ReadPatientRecord, WritePatientRecord, open_patient};
use crate::ctx::Ctx;
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::i18n::M;
use crate::i18n::V;
use crate::pages::layout::{Field, csrf_field, error_summary, page};
use trappa_app::clock::{format_time, today};

const RESOURCE: &str = "patient.aftercare";

/// What the path events say: aftercare's start and schedule, follow-ups done, outcomes,
/// the discharge — corrected events left out.
#[derive(Debug, Clone, Default)]
pub struct PathState {
    /// The last dose and the schedule, once aftercare started.
    pub aftercare: Option<(Date, Vec<u32>)>,
    /// Follow-ups recorded (by month).
    pub follow_ups: Vec<(Date, FollowUpRecord)>,
    /// Relapses.
    pub relapses: Vec<(Date, RelapseRecord)>,
    /// Outcome questionnaires.
    pub outcomes: Vec<(Date, OutcomeRecord)>,
    /// The discharge.
    pub discharge: Option<(Date, DischargeRecord)>,
}

impl PathState {
    /// Reads the events; an event whose data does not parse is an internal error.
    pub fn from_events(events: &[PathEvent]) -> Result<PathState, AppError> {
        let mut s = PathState::default();
        let bad = |e: serde_json::Error| AppError::Internal(e.into());
        for e in events.iter().filter(|e| e.corrected_by.is_none()) {
            match e.kind {
                EventKind::AftercareStarted => {
                    let d: AftercareStart = serde_json::from_str(&e.data).map_err(bad)?;
                    s.aftercare = Some((e.occurred_on, d.months));
                }
                EventKind::FollowUp => s
                    .follow_ups
                    .push((e.occurred_on, serde_json::from_str(&e.data).map_err(bad)?)),
                EventKind::Relapse => s
                    .relapses
                    .push((e.occurred_on, serde_json::from_str(&e.data).map_err(bad)?)),
                EventKind::Outcome => s
                    .outcomes
                    .push((e.occurred_on, serde_json::from_str(&e.data).map_err(bad)?)),
                EventKind::Discharged => {
                    s.discharge = Some((e.occurred_on, serde_json::from_str(&e.data).map_err(bad)?))
                }
            }
        }
        Ok(s)
    }

    /// The follow-ups of the schedule with their states today.
    pub fn schedule(&self, today: Date) -> Vec<trappa_pathway::aftercare::FollowUp> {
        match &self.aftercare {
            Some((from, months)) => {
                let done: Vec<u32> = self.follow_ups.iter().map(|(_, f)| f.month).collect();
                follow_ups(*from, months, &done, today)
            }
            None => Vec::new(),
        }
    }
}

/// An outcome's words.
pub fn outcome_text(ctx: &Ctx, o: &Outcome) -> String {
    match o {
        Outcome::DrugFree => ctx.t(&M::OUTCOME_DRUG_FREE).to_owned(),
        Outcome::Reduced { percent } => fill(
            ctx.t(&M::OUTCOME_REDUCED_BY),
            &[("p", &trappa_i18n::format::decimal(*percent, 0, ctx.locale))],
        ),
        Outcome::DroppedOut => ctx.t(&M::OUTCOME_DROPPED_OUT).to_owned(),
        Outcome::Redirected { to } => format!("{}: {to}", ctx.t(&M::OUTCOME_REDIRECTED)),
        Outcome::Deceased => ctx.t(&M::OUTCOME_DECEASED).to_owned(),
    }
}

fn state_tag(ctx: &Ctx, s: FollowUpState) -> Markup {
    let (class, text) = match s {
        FollowUpState::Done => ("tag tag-muted", ctx.t(&M::FOLLOW_UP_DONE)),
        FollowUpState::Upcoming => ("tag tag-ok", ctx.t(&M::FOLLOW_UP_UPCOMING)),
        FollowUpState::Due => ("tag tag-warn", ctx.t(&M::FOLLOW_UP_DUE)),
        FollowUpState::Overdue => ("tag tag-alert", ctx.t(&M::FOLLOW_UP_OVERDUE)),
    };
    html! { span class=(class) { (text) } }
}

fn yes_no(ctx: &Ctx, name: &'static str, legend: &str, value: &str) -> Markup {
    html! {
        fieldset.radios { legend { (legend) }
            div.radio { input id={ (name) "-yes" } type="radio" name=(name) value="yes" checked[value == "yes"]; label for={ (name) "-yes" } { (ctx.t(&M::YES)) } }
            div.radio { input id={ (name) "-no" } type="radio" name=(name) value="no" checked[value != "yes"]; label for={ (name) "-no" } { (ctx.t(&M::NO)) } }
        }
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    opened: &OpenedPatient,
    f: &EventForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let id = opened.id();
    let store = state.store();
    let patient = store.patient(&opened.access).await?;
    let events = store.path_events(&opened.access).await?;
    let path = PathState::from_events(&events)?;
    let today = today();
    let name = format!(
        "{} {}",
        patient.current.data.given_name, patient.current.data.family_name
    );
    let date_default = if f.date.is_empty() {
        today.to_string()
    } else {
        f.date.clone()
    };
    let form = |form: &'static str, title: &str, fields: Markup| {
        html! {
            section.event-form aria-labelledby={ (form) "-h" } {
                h2 id={ (form) "-h" } { (title) }
                @if f.form == form { (error_summary(ctx, errors)) }
                form method="post" action={ "/patienter/" (id) "/eftervard" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="form" value=(form);
                    (fields)
                    button.button type="submit" { (title) }
                }
            }
        }
    };
    let body = html! {
        p { a href={ "/patienter/" (id) } { "← " (name) } }
        h1 { (ctx.t(&M::AFTERCARE_TITLE)) ": " (name) }
        @if let Some((on, d)) = &path.discharge {
            p.notice { strong { (ctx.t(&M::DISCHARGED_ON)) " " (on.to_string()) ": " } (outcome_text(ctx, &d.outcome)) @if !d.note.is_empty() { " – " (d.note) } }
        }
        @match &path.aftercare {
            None => {
                p { (ctx.t(&M::AFTERCARE_NOT_STARTED)) }
                (form("start", ctx.t(&M::AFTERCARE_START), html! {
                    (Field::text("date", ctx.t(&M::AFTERCARE_LAST_DOSE), &date_default).kind("date").required().render(errors))
                    (Field::text("months", ctx.t(&M::AFTERCARE_MONTHS), if f.months.is_empty() { "1, 3, 6" } else { &f.months })
                        .hint(ctx.t(&M::AFTERCARE_MONTHS_HINT)).autocomplete("off").required().render(errors))
                }))
            }
            Some((from, months)) => {
                p { (fill(ctx.t(&M::AFTERCARE_SINCE), &[("date", &from.to_string())])) " "
                    (fill(ctx.t(&M::AFTERCARE_SCHEDULE), &[("months", &trappa_i18n::format::count_list(&months.iter().map(|m| i64::from(*m)).collect::<Vec<_>>(), &trappa_i18n::format::Noun::MONTH, &trappa_i18n::format::Noun::MONTHS, ctx.locale))])) }
                div.table-wrap { table {
                    thead { tr { th scope="col" { (ctx.t(&M::FOLLOW_UP)) } th scope="col" { (ctx.t(&M::FOLLOW_UP_DATE)) } th scope="col" { (ctx.t(&M::REFERRAL_STATUS)) } } }
                    tbody { @for fu in path.schedule(today) { tr {
                        td { (trappa_i18n::format::months(i64::from(fu.month), ctx.locale)) }
                        td { (fu.due.to_string()) }
                        td { (state_tag(ctx, fu.state)) }
                    } } }
                } }
                p { a href={ "/patienter/" (id) "/besok?typ=follow_up#boka" } { (ctx.t(&M::FOLLOW_UP_BOOK)) } }
                @if path.discharge.is_none() {
                    (form("follow_up", ctx.t(&M::FOLLOW_UP_RECORD), html! {
                        div.field { label for="month" { (ctx.t(&M::FOLLOW_UP)) }
                            select #month name="month" { @for m in months { option value=(m) selected[f.month == m.to_string()] { (trappa_i18n::format::months(i64::from(*m), ctx.locale)) } } } }
                        (Field::text("date", ctx.t(&M::FOLLOW_UP_DATE), &date_default).kind("date").required().render(errors))
                        (yes_no(ctx, "relapse", ctx.t(&M::RELAPSE_QUESTION), &f.relapse))
                        (Field::text("note", ctx.t(&M::NOTE_TEXT), &f.note).autocomplete("off").render(errors))
                    }))
                }
            }
        }
        @if !path.follow_ups.is_empty() || !path.relapses.is_empty() || !path.outcomes.is_empty() {
            h2 { (ctx.t(&M::AFTERCARE_HISTORY)) }
            ul.timeline {
                @for (on, fu) in &path.follow_ups { li { (on.to_string()) ": " (trappa_i18n::format::months(i64::from(fu.month), ctx.locale))
                    @if fu.relapse { " – " strong { (ctx.t(&M::RELAPSE)) } } @if !fu.note.is_empty() { " – " (fu.note) } } }
                @for (on, r) in &path.relapses { li { (on.to_string()) ": " strong { (ctx.t(&M::RELAPSE)) } " – " (r.substance) @if !r.note.is_empty() { " – " (r.note) } } }
                @for (on, o) in &path.outcomes { li { (on.to_string()) ": " (fill(ctx.t(&M::OUTCOME_Q_MONTHS), &[("n", &trappa_i18n::format::months(i64::from(o.months), ctx.locale))])) " – "
                    (if o.drug_free { ctx.t(&M::OUTCOME_DRUG_FREE) } else { ctx.t(&M::OUTCOME_NOT_DRUG_FREE) })
                    @if o.relapse { ", " (ctx.t(&M::RELAPSE)) } @if !o.note.is_empty() { " – " (o.note) } } }
            }
        }
        @if path.aftercare.is_some() {
            (form("relapse", ctx.t(&M::RELAPSE_RECORD), html! {
                (Field::text("date", ctx.t(&M::FOLLOW_UP_DATE), &date_default).kind("date").required().render(errors))
                (Field::text("substance", ctx.t(&M::TAPER_SUBSTANCE), &f.substance).autocomplete("off").required().render(errors))
                (Field::text("note", ctx.t(&M::NOTE_TEXT), &f.note).autocomplete("off").render(errors))
            }))
            (form("outcome", ctx.t(&M::OUTCOME_Q_RECORD), html! {
                div.field { label for="q_months" { (ctx.t(&M::OUTCOME_Q)) }
                    select #q_months name="q_months" { @for m in OUTCOME_MONTHS { option value=(m) selected[f.q_months == m.to_string()] { (fill(ctx.t(&M::OUTCOME_Q_MONTHS), &[("n", &trappa_i18n::format::months(i64::from(m), ctx.locale))])) } } } }
                (Field::text("date", ctx.t(&M::FOLLOW_UP_DATE), &date_default).kind("date").required().render(errors))
                (yes_no(ctx, "drug_free", ctx.t(&M::OUTCOME_DRUG_FREE_Q), &f.drug_free))
                (yes_no(ctx, "relapse", ctx.t(&M::RELAPSE_QUESTION), &f.relapse))
                (Field::text("note", ctx.t(&M::NOTE_TEXT), &f.note).autocomplete("off").render(errors))
            }))
        }
        @if path.discharge.is_none() {
            (form("discharge", ctx.t(&M::DISCHARGE), html! {
                p.hint { (ctx.t(&M::DISCHARGE_HINT)) }
                div.field { label for="outcome" { (ctx.t(&M::OUTCOME)) }
                    select #outcome name="outcome" {
                        @for (code, m) in [("drug_free", &M::OUTCOME_DRUG_FREE), ("reduced", &M::OUTCOME_REDUCED), ("dropped_out", &M::OUTCOME_DROPPED_OUT), ("redirected", &M::OUTCOME_REDIRECTED), ("deceased", &M::OUTCOME_DECEASED)] {
                            option value=(code) selected[f.outcome == code] { (ctx.t(m)) }
                        }
                    } }
                (Field::text("percent", ctx.t(&M::OUTCOME_PERCENT), &f.percent).hint(ctx.t(&M::OUTCOME_PERCENT_HINT)).autocomplete("off").render(errors))
                (Field::text("to", ctx.t(&M::OUTCOME_REDIRECTED_TO), &f.to).autocomplete("off").render(errors))
                (Field::text("date", ctx.t(&M::DISCHARGE_DATE), &date_default).kind("date").required().render(errors))
                (Field::text("note", ctx.t(&M::NOTE_TEXT), &f.note).autocomplete("off").render(errors))
            }))
        }
        @if !events.is_empty() {
            details { summary { (ctx.t(&M::AFTERCARE_EVENTS)) }
                ul { @for e in &events { li { (e.occurred_on.to_string()) " · " (ctx.t(event_label(e.kind))) " · " (e.recorded_by_name) " · " (format_time(e.recorded_at))
                    @if e.corrected_by.is_some() { " " span.tag.tag-warn { (ctx.t(&M::NOTE_CORRECTED)) } } } } }
            }
        }
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(ctx, ctx.t(&M::AFTERCARE_TITLE), body)).into_response())
}

/// `GET /patienter/{id}/eftervard`
pub async fn show(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadPatientRecord>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, RESOURCE).await?;
    render(&state, &ctx, &opened, &EventForm::default(), &[]).await
}

/// Every aftercare form, told apart by `form`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub(crate) form: String,
    pub(crate) date: String,
    pub(crate) months: String,
    pub(crate) month: String,
    pub(crate) relapse: String,
    pub(crate) note: String,
    pub(crate) substance: String,
    pub(crate) q_months: String,
    pub(crate) drug_free: String,
    pub(crate) outcome: String,
    pub(crate) percent: String,
    pub(crate) to: String,
}

fn err(field: &'static str, message: String) -> FieldError {
    FieldError {
        field: field.into(),
        message,
    }
}

/// A validated event: what to store, and whether only one may stand.
pub struct ParsedEvent {
    /// The event.
    pub event: NewEvent,
    /// Aftercare starts once; a patient is discharged once.
    pub only_once: bool,
}

/// Validates one of the forms against the patient's path so far.
pub fn parse_event(
    ctx: &Ctx,
    f: &EventForm,
    path: &PathState,
    today: Date,
) -> Result<ParsedEvent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = match trappa_input::date::parse(&f.date) {
        Ok(d) if d <= today => Some(d),
        _ => {
            errors.push(err("date", ctx.t(&M::SCORES_ERR_DATE).to_owned()));
            None
        }
    };
    let note = f.note.trim().to_owned();
    if note.chars().count() > 2000 {
        errors.push(err("note", fill(ctx.t(&V::TOO_LONG), &[("n", "2000")])));
    }
    let (kind, data, only_once) = match f.form.as_str() {
        "start" => {
            if path.aftercare.is_some() {
                return Err(vec![err("date", ctx.t(&M::AFTERCARE_ALREADY).to_owned())]);
            }
            let months = match parse_schedule(&f.months) {
                Ok(m) => m,
                Err(e) => {
                    let message = match e {
                        ScheduleError::TooShort(_) => ctx.t(&M::AFTERCARE_ERR_SHORT).to_owned(),
                        _ => ctx.t(&M::AFTERCARE_ERR_MONTHS).to_owned(),
                    };
                    errors.push(err("months", message));
                    DEFAULT_FOLLOW_UP_MONTHS.to_vec()
                }
            };
            (
                EventKind::AftercareStarted,
                json(&AftercareStart { months }),
                true,
            )
        }
        "follow_up" => {
            let months = path
                .aftercare
                .as_ref()
                .map(|(_, m)| m.clone())
                .unwrap_or_default();
            let month = f
                .month
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|m| months.contains(m));
            if month.is_none() {
                errors.push(err("month", ctx.t(&V::REQUIRED).to_owned()));
            }
            if path.follow_ups.iter().any(|(_, x)| Some(x.month) == month) {
                errors.push(err("month", ctx.t(&M::FOLLOW_UP_ALREADY).to_owned()));
            }
            (
                EventKind::FollowUp,
                json(&FollowUpRecord {
                    month: month.unwrap_or(0),
                    relapse: f.relapse == "yes",
                    note: note.clone(),
                }),
                false,
            )
        }
        "relapse" => {
            if f.substance.trim().is_empty() {
                errors.push(err("substance", ctx.t(&V::REQUIRED).to_owned()));
            }
            (
                EventKind::Relapse,
                json(&RelapseRecord {
                    substance: f.substance.trim().to_owned(),
                    note: note.clone(),
                }),
                false,
            )
        }
        "outcome" => {
            let months = f
                .q_months
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|m| OUTCOME_MONTHS.contains(m));
            if months.is_none() {
                errors.push(err("q_months", ctx.t(&V::REQUIRED).to_owned()));
            }
            (
                EventKind::Outcome,
                json(&OutcomeRecord {
                    months: months.unwrap_or(0),
                    drug_free: f.drug_free == "yes",
                    relapse: f.relapse == "yes",
                    note: note.clone(),
                }),
                false,
            )
        }
        "discharge" => {
            let outcome = match f.outcome.as_str() {
                "drug_free" => Some(Outcome::DrugFree),
                "reduced" => Some(Outcome::Reduced {
                    percent: trappa_taper::amount::parse_decimal(f.percent.trim())
                        .unwrap_or(f64::NAN),
                }),
                "dropped_out" => Some(Outcome::DroppedOut),
                "redirected" => Some(Outcome::Redirected {
                    to: f.to.trim().to_owned(),
                }),
                "deceased" => Some(Outcome::Deceased),
                _ => None,
            };
            match (&outcome, date) {
                (None, _) => errors.push(err("outcome", ctx.t(&V::REQUIRED).to_owned())),
                (Some(o), Some(d)) => {
                    if let Err(e) = check_discharge(o, path.aftercare.as_ref().map(|(d, _)| *d), d)
                    {
                        errors.push(match e {
                            DischargeError::BadReduction => {
                                err("percent", ctx.t(&M::OUTCOME_ERR_PERCENT).to_owned())
                            }
                            DischargeError::NoDestination => {
                                err("to", ctx.t(&V::REQUIRED).to_owned())
                            }
                            DischargeError::NoAftercare => {
                                err("outcome", ctx.t(&M::DISCHARGE_ERR_NO_AFTERCARE).to_owned())
                            }
                            DischargeError::AftercareTooShort(earliest) => err(
                                "outcome",
                                fill(
                                    ctx.t(&M::DISCHARGE_ERR_TOO_EARLY),
                                    &[("date", &earliest.to_string())],
                                ),
                            ),
                        });
                    }
                }
                _ => {}
            }
            (
                EventKind::Discharged,
                json(&DischargeRecord {
                    outcome: outcome.unwrap_or(Outcome::DroppedOut),
                    note: note.clone(),
                }),
                true,
            )
        }
        _ => return Err(vec![err("form", ctx.t(&V::REQUIRED).to_owned())]),
    };
    if kind != EventKind::AftercareStarted
        && kind != EventKind::Discharged
        && path.aftercare.is_none()
    {
        errors.push(err(
            "date",
            ctx.t(&M::DISCHARGE_ERR_NO_AFTERCARE).to_owned(),
        ));
    }
    if kind == EventKind::Discharged && path.discharge.is_some() {
        errors.push(err("outcome", ctx.t(&M::AFTERCARE_DISCHARGED).to_owned()));
    }
    if kind != EventKind::Discharged && path.discharge.is_some() && kind != EventKind::Outcome {
        errors.push(err("date", ctx.t(&M::AFTERCARE_DISCHARGED).to_owned()));
    }
    match (date, errors.is_empty()) {
        (Some(occurred_on), true) => Ok(ParsedEvent {
            event: NewEvent {
                kind,
                occurred_on,
                data,
                corrects: None,
                reason: String::new(),
            },
            only_once,
        }),
        _ => Err(errors),
    }
}

/// A record as the JSON the store keeps (these types always serialise).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `POST /patienter/{id}/eftervard`: starts aftercare, records a follow-up, a relapse,
/// an outcome questionnaire or the discharge.
pub async fn record(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<WritePatientRecord>,
    Path(id): Path<Uuid>,
    HtmlForm(f): HtmlForm<EventForm>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Create, RESOURCE).await?;
    match record_event(&state, &ctx, &user, &opened, &f).await {
        Ok(_) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}/eftervard"),
            crate::flash::Flash::AftercareSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => render(&state, &ctx, &opened, &f, &errors).await,
        Err(e) => Err(e),
    }
}

/// Validates an event against the patient's path so far and records it; shared by the
/// page and the API.
pub async fn record_event(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    opened: &OpenedPatient,
    f: &EventForm,
) -> Result<Uuid, AppError> {
    let events = state.store().path_events(&opened.access).await?;
    let path = PathState::from_events(&events)?;
    let parsed = parse_event(ctx, f, &path, today()).map_err(AppError::Invalid)?;
    let actor = ctx.actor();
    let log = NewEntry::new(&actor, Action::Create, RESOURCE);
    Ok(state
        .store()
        .record_path_event(
            &opened.access,
            &parsed.event,
            parsed.only_once,
            user.account_id,
            &log,
        )
        .await?)
}

/// The words for a path event's kind.
fn event_label(kind: trappa_store::path::EventKind) -> &'static crate::i18n::Msg {
    use crate::i18n::C;
    use trappa_store::path::EventKind;
    match kind {
        EventKind::AftercareStarted => &C::EVENT_AFTERCARE_STARTED,
        EventKind::FollowUp => &C::EVENT_FOLLOW_UP,
        EventKind::Relapse => &C::EVENT_RELAPSE,
        EventKind::Outcome => &C::EVENT_OUTCOME,
        EventKind::Discharged => &C::EVENT_DISCHARGED,
    }
}
