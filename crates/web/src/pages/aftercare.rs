//! Aftercare and discharge. The last dose starts aftercare with its follow-up schedule
//! (1, 3 and 6 months by default; never ending before six months); follow-ups, relapses
//! and the outcome questionnaires at 6 and 12 months are recorded as path events; the
//! discharge carries its outcome. The rules live in `trappa-pathway::aftercare`.

use axum::response::Response;
use maud::{Markup, html};
use trappa_i18n::fill;
use trappa_pathway::aftercare::{FollowUpState, OUTCOME_MONTHS, Outcome};
use trappa_store::access_log::Action;

use crate::access::{OpenedPatient, PatientRoute};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::HtmlForm;
use crate::i18n::M;
use crate::pages::layout::{Field, csrf_field, error_summary, form_response};
use crate::state::AppState;
use trappa_app::clock::{format_time, today};

use trappa_app::aftercare::{self, RESOURCE};

pub use trappa_app::aftercare::PathState;

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
        (crate::pages::patients::strip(ctx, &patient, opened))
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
    Ok(form_response(ctx, ctx.t(&M::AFTERCARE_TITLE), body, errors))
}

/// `GET /patienter/{id}/eftervard`
pub async fn show(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let (state, ctx, _, _) = route.into_parts();
    render(&state, &ctx, &opened, &EventForm::default(), &[]).await
}

/// Every aftercare form, told apart by `form`.
pub use trappa_app::aftercare::EventInput as EventForm;

/// `POST /patienter/{id}/eftervard`: starts aftercare, records a follow-up, a relapse,
/// an outcome questionnaire or the discharge.
pub async fn record(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<EventForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let caller = ctx.caller(&user);
    let recorded = aftercare::record(state.store(), &caller, &opened, &f, today());
    match recorded.await.for_user(&ctx) {
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
