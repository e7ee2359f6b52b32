//! The patient's own reports between visits: the diary, the self-rated instruments the
//! care team assigned (what is due now, the answers sent), and what to do if it cannot
//! wait. Every view opens the patient's own record once, which is its log entry; a
//! report that needs a person now leads to the crisis page before anything else.

use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::reports::{DIARY_FLAGS, DOSE_TAKEN, DiaryInput, OWN_RESOURCE, SCALE_MAX, Standing};
use trappa_app::scores::{code, parse_code};
use trappa_scales::assigned::Rhythm;
use trappa_scales::{Answers, Instrument};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_taper::adapt::{Flag, flag_text};
use trappa_taper::output::date_text;

use crate::access::Authed;
use crate::ctx::{Ctx, ForUser, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::flash::{Flash, redirect};
use crate::i18n::{P, fill};
use crate::list::{ListParams, pager, paginate};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response, page};
use crate::state::AppState;

/// What the care team can and cannot promise, and where to turn if it cannot wait.
fn cannot_wait(ctx: &Ctx, state: &AppState) -> Markup {
    html! {
        p.muted {
            (ctx.t(&P::REPORTS_READ_WHEN))
            @if let Some(phone) = &state.config().unit_phone {
                " " (fill(ctx.t(&P::HELP_CALL_UNIT), &[("phone", phone)]))
            }
        }
    }
}

/// A form field this page does not have: refused, not ignored.
fn unknown_field(name: String) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: name.into(),
        message: P::FORM_UNKNOWN_FIELD
            .get(crate::i18n::Locale::Sv)
            .to_owned(),
    }])
}

// ---------------------------------------------------------------------------------
// The diary.

/// The diary form as typed.
#[derive(Debug, Default, Clone)]
pub struct DiaryForm {
    day: String,
    dose_taken: String,
    sleep: String,
    anxiety: String,
    pain: String,
    flags: Vec<String>,
    note: String,
    request_key: String,
}

impl DiaryForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<DiaryForm, AppError> {
        let mut f = DiaryForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "day" => f.day = v,
                "dose_taken" => f.dose_taken = v,
                "sleep" => f.sleep = v,
                "anxiety" => f.anxiety = v,
                "pain" => f.pain = v,
                "flag" => f.flags.push(v),
                "note" => f.note = v,
                "request_key" => f.request_key = v,
                "csrf" => {}
                // Unknown fields are refused, not ignored.
                _ => return Err(unknown_field(k)),
            }
        }
        Ok(f)
    }

    fn fresh(today: jiff::civil::Date) -> DiaryForm {
        DiaryForm {
            day: today.to_string(),
            request_key: Uuid::now_v7().to_string(),
            ..Default::default()
        }
    }
}

/// A 0–10 scale as a select, with "no answer" first.
fn scale(
    ctx: &Ctx,
    name: &'static str,
    label: &str,
    hint: &str,
    value: &str,
    errors: &[FieldError],
) -> Markup {
    let err = field_error(errors, name);
    let described = match err {
        Some(_) => format!("{name}-hint {name}-error"),
        None => format!("{name}-hint"),
    };
    html! {
        div.field.field-error[err.is_some()] {
            label for=(name) { (label) }
            div.hint id={ (name) "-hint" } { (hint) }
            @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
            select id=(name) name=(name) aria-describedby=(described) aria-invalid=[err.map(|_| "true")] {
                option value="" selected[value.is_empty()] { (ctx.t(&P::NO_ANSWER)) }
                @for v in 0..=SCALE_MAX {
                    @let s = v.to_string();
                    option value=(s) selected[value == s] { (s) }
                }
            }
        }
    }
}

/// The diary's dose question in the words of where the patient is: following a signed
/// plan, or on their usual medicines while the plan is made.
#[derive(Clone, Copy)]
enum DoseWords {
    Plan,
    Usual,
}

impl DoseWords {
    fn question(self, ctx: &Ctx) -> &'static str {
        match self {
            DoseWords::Plan => ctx.t(&P::DIARY_DOSE),
            DoseWords::Usual => ctx.t(&P::DIARY_DOSE_USUAL),
        }
    }
}

fn dose_taken_label(ctx: &Ctx, words: DoseWords, code: &str) -> &'static str {
    match code {
        "as_planned" => match words {
            DoseWords::Plan => ctx.t(&P::DOSE_AS_PLANNED),
            DoseWords::Usual => ctx.t(&P::DOSE_AS_USUAL),
        },
        "less" => ctx.t(&P::DOSE_LESS),
        "more" => ctx.t(&P::DOSE_MORE),
        _ => ctx.t(&P::DOSE_UNSURE),
    }
}

/// The patient's words for a flag.
fn own_flag_text(ctx: &Ctx, f: Flag) -> &'static str {
    match f {
        Flag::Seizure => ctx.t(&P::FLAG_SEIZURE),
        Flag::SuicidalThoughts => ctx.t(&P::FLAG_SELF_HARM),
        Flag::PatientAsksPause => ctx.t(&P::FLAG_PAUSE),
        other => flag_text(other, ctx.locale),
    }
}

fn diary_form(ctx: &Ctx, f: &DiaryForm, words: DoseWords, errors: &[FieldError]) -> Markup {
    let dose_err = field_error(errors, "dose_taken");
    let flag_err = field_error(errors, "flag");
    let note_err = field_error(errors, "note");
    html! {
        (error_summary(ctx, errors))
        form.report-form method="post" action="/mina-sidor/dagbok" novalidate {
            (csrf_field(ctx))
            input type="hidden" name="request_key" value=(f.request_key);
            (Field::text("day", ctx.t(&P::DIARY_DAY), &f.day).kind("date").hint(ctx.t(&P::DIARY_DAY_HINT)).render(errors))
            fieldset.field.field-error[dose_err.is_some()] id="dose_taken" {
                legend { (words.question(ctx)) }
                @if let Some(e) = dose_err { p.error-message { (e) } }
                @for c in DOSE_TAKEN {
                    div.radio {
                        input id={ "dose-" (c) } type="radio" name="dose_taken" value=(c) checked[f.dose_taken == c];
                        label for={ "dose-" (c) } { (dose_taken_label(ctx, words, c)) }
                    }
                }
            }
            (scale(ctx, "sleep", ctx.t(&P::DIARY_SLEEP), ctx.t(&P::DIARY_SLEEP_HINT), &f.sleep, errors))
            (scale(ctx, "anxiety", ctx.t(&P::DIARY_ANXIETY), ctx.t(&P::DIARY_WORST_HINT), &f.anxiety, errors))
            (scale(ctx, "pain", ctx.t(&P::DIARY_PAIN), ctx.t(&P::DIARY_WORST_HINT), &f.pain, errors))
            fieldset.field.field-error[flag_err.is_some()] id="flag" {
                legend { (ctx.t(&P::DIARY_FLAGS)) }
                @if let Some(e) = flag_err { p.error-message { (e) } }
                @for fl in DIARY_FLAGS {
                    div.checkbox {
                        input id={ "flag-" (code(fl)) } type="checkbox" name="flag" value=(code(fl)) checked[f.flags.contains(&code(fl))];
                        label for={ "flag-" (code(fl)) } { (own_flag_text(ctx, fl)) }
                    }
                }
            }
            div.field.field-error[note_err.is_some()] {
                label for="note" { (ctx.t(&P::DIARY_NOTE)) }
                @if let Some(e) = note_err { p.error-message id="note-error" { (e) } }
                textarea id="note" name="note" rows="4" aria-invalid=[note_err.map(|_| "true")]
                    aria-describedby=[note_err.map(|_| "note-error")] { (f.note) }
            }
            button.button type="submit" { (ctx.t(&P::DIARY_SAVE)) }
        }
    }
}

/// Where the diary's entries start (the pager's links come back to it).
const DIARY_ANCHOR: &str = "anteckningar";

async fn diary_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    form: &DiaryForm,
    errors: &[FieldError],
    lp: &ListParams,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(state, ctx, user, Action::Read, OWN_RESOURCE).await?;
    let entries = state.store().diary(&opened.access).await?;
    let paged = paginate(entries, lp.page());
    let words = match trappa_app::plans::in_force(state.store(), &opened)
        .await
        .for_user(ctx)?
    {
        Some(_) => DoseWords::Plan,
        None => DoseWords::Usual,
    };
    let body = html! {
        h1 { (ctx.t(&P::DIARY_TITLE)) }
        p.lead { (ctx.t(&P::DIARY_INTRO)) }
        (cannot_wait(ctx, state))
        (diary_form(ctx, form, words, errors))
        section #(DIARY_ANCHOR) aria-labelledby="diary-entries-h" {
            h2 #diary-entries-h { (ctx.t(&P::DIARY_ENTRIES)) }
            @if paged.total == 0 { p.muted { (ctx.t(&P::DIARY_NONE)) } }
            @for e in &paged.rows {
                section.card {
                    h3 { (date_text(e.day, ctx.locale)) }
                    dl.summary {
                        dt { (words.question(ctx)) } dd { (dose_taken_label(ctx, words, &e.dose_taken)) }
                        @for (label, value) in [(&P::DIARY_SLEEP, e.sleep), (&P::DIARY_ANXIETY, e.anxiety), (&P::DIARY_PAIN, e.pain)] {
                            @if let Some(v) = value { dt { (ctx.t(label)) } dd { (v) " / " (SCALE_MAX) } }
                        }
                        @if !e.flags.is_empty() {
                            dt { (ctx.t(&P::DIARY_FLAGGED)) }
                            dd { @for f in e.flags.iter().filter_map(|f| parse_code::<Flag>(f)) { span.tag.red { (own_flag_text(ctx, f)) } " " } }
                        }
                        @if !e.note.is_empty() { dt { (ctx.t(&P::DIARY_NOTE)) } dd.prewrap { (e.note) } }
                    }
                }
            }
            (pager(ctx, "/mina-sidor/dagbok", DIARY_ANCHOR, &[], lp, &paged))
        }
    };
    Ok(form_response(ctx, ctx.t(&P::DIARY_TITLE), body, errors))
}

/// `GET /mina-sidor/dagbok`: the diary's form and the entries sent, newest first.
pub async fn diary(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(lp): Query<ListParams>,
) -> Result<Response, AppError> {
    let form = DiaryForm::fresh(trappa_app::clock::today());
    diary_page(&state, &ctx, &user, &form, &[], &lp).await
}

/// The form's 0–10 answer: empty is "not answered"; anything that is not a whole
/// number is out of range, so the use case names it with the other faults.
fn scale_value(value: &str) -> Option<i32> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.parse::<i32>().unwrap_or(i32::MIN))
}

/// `POST /mina-sidor/dagbok`: saves an entry; one that needs a person leads to what to
/// do now. A refused entry comes back with everything typed, every fault named at once.
pub async fn save_diary(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut f = DiaryForm::from_pairs(pairs)?;
    if f.request_key.is_empty() {
        // A form without its key gets one, so the send that follows a refusal is
        // stored once too.
        f.request_key = Uuid::now_v7().to_string();
    }
    let input = DiaryInput {
        day: trappa_input::date::parse(&f.day).ok(),
        dose_taken: f.dose_taken.clone(),
        sleep: scale_value(&f.sleep),
        anxiety: scale_value(&f.anxiety),
        pain: scale_value(&f.pain),
        flags: f.flags.clone(),
        note: f.note.clone(),
        request_key: Some(f.request_key.clone()),
    };
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Create, OWN_RESOURCE).await?;
    let caller = ctx.caller(&user);
    let today = trappa_app::clock::today();
    match trappa_app::reports::record_diary(state.store(), &caller, &opened, &input, today)
        .await
        .for_user(&ctx)
    {
        Ok(saved) if saved.flags.iter().any(|f| f.is_urgent()) => Ok(redirect(
            &state,
            &crisis_path(&saved.flags),
            Flash::ReportSaved,
            "",
        )),
        Ok(_) => Ok(redirect(
            &state,
            "/mina-sidor/dagbok",
            Flash::ReportSaved,
            "",
        )),
        Err(AppError::Invalid(faults)) => {
            let errors = FieldError::renamed(faults, &[("flags", "flag")]);
            diary_page(&state, &ctx, &user, &f, &errors, &ListParams::default()).await
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------
// Self-rated instruments.

fn rhythm_text(ctx: &Ctx, r: Rhythm) -> String {
    match r {
        Rhythm::BeforeStep => ctx.t(&P::RHYTHM_BEFORE_STEP).to_owned(),
        Rhythm::EveryDays { days } if days % 7 == 0 => fill(
            ctx.t(&P::RHYTHM_EVERY),
            &[("period", &trappa_i18n::format::weeks(days / 7, ctx.locale))],
        ),
        Rhythm::EveryDays { days } => fill(
            ctx.t(&P::RHYTHM_EVERY),
            &[("period", &trappa_i18n::format::days(days, ctx.locale))],
        ),
    }
}

/// The rhythm in the care team's words, for the staff page too.
pub(crate) fn rhythm_label(ctx: &Ctx, r: Rhythm) -> String {
    rhythm_text(ctx, r)
}

fn instrument_name<'a>(state: &'a AppState, id: &'a str) -> &'a str {
    state
        .instruments()
        .get(id)
        .map_or(id, |i| i.name_for_patient())
}

/// `GET /mina-sidor/skattningar`: what the care team asked the patient to fill in,
/// what is due now, and the answers sent.
pub async fn scores(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Read, OWN_RESOURCE).await?;
    let today = trappa_app::clock::today();
    let (standings, scores) = trappa_app::reports::standing_today(state.store(), &opened, today)
        .await
        .for_user(&ctx)?;
    let due: Vec<&Standing> = standings.iter().filter(|s| s.due).collect();
    let own: Vec<_> = scores
        .iter()
        .filter(|s| s.reported_by_patient && s.corrected_by.is_none())
        .collect();
    let body = html! {
        h1 { (ctx.t(&P::SCORES_TITLE)) }
        p.lead { (ctx.t(&P::SCORES_INTRO)) }
        @if standings.is_empty() { p { (ctx.t(&P::SCORES_NONE_ASSIGNED)) } }
        @else {
            section aria-labelledby="due-h" {
                h2 #due-h { (ctx.t(&P::SCORES_DUE)) }
                @if due.is_empty() { p { (ctx.t(&P::SCORES_NOTHING_DUE)) } }
                ul.links { @for s in &due {
                    li { a.button href={ "/mina-sidor/skattningar/" (s.assignment.instrument) } { (fill(ctx.t(&P::SCORES_FILL_IN), &[("name", instrument_name(&state, &s.assignment.instrument))])) } }
                } }
            }
            section aria-labelledby="assigned-h" {
                h2 #assigned-h { (ctx.t(&P::SCORES_ASSIGNED)) }
                ul { @for s in &standings {
                    li {
                        a href={ "/mina-sidor/skattningar/" (s.assignment.instrument) } { (instrument_name(&state, &s.assignment.instrument)) }
                        " – " (rhythm_text(&ctx, s.rhythm))
                        @if let Some(last) = s.last { ". " (fill(ctx.t(&P::SCORES_LAST), &[("date", &date_text(last, ctx.locale))])) }
                    }
                } }
            }
        }
        @if !own.is_empty() {
            section aria-labelledby="sent-h" {
                h2 #sent-h { (ctx.t(&P::SCORES_SENT)) }
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (ctx.t(&P::COL_DATE)) }
                        th scope="col" { (ctx.t(&P::COL_INSTRUMENT)) }
                        th scope="col" { (ctx.t(&P::COL_TOTAL)) }
                    } }
                    tbody { @for s in own.iter().take(50) { tr {
                        td { (date_text(s.observed_on, ctx.locale)) }
                        td { (instrument_name(&state, &s.instrument)) }
                        td.num { (trappa_i18n::format::exact(s.total, 1, ctx.locale)) }
                    } } }
                } }
            }
        }
        (cannot_wait(&ctx, &state))
    };
    Ok(page(&ctx, ctx.t(&P::SCORES_TITLE), body).into_response())
}

/// The answers as typed: one value per item (`item_<id>`) or the total.
#[derive(Debug, Default)]
pub struct OwnScoreForm {
    items: std::collections::HashMap<String, String>,
    total: String,
    request_key: String,
}

impl OwnScoreForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<OwnScoreForm, AppError> {
        let mut f = OwnScoreForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "total" => f.total = v,
                "request_key" => f.request_key = v,
                "csrf" => {}
                k if k.starts_with("item_") => {
                    f.items.insert(k.to_owned(), v);
                }
                _ => return Err(unknown_field(k)),
            }
        }
        Ok(f)
    }
}

fn score_form(ctx: &Ctx, inst: &Instrument, f: &OwnScoreForm, errors: &[FieldError]) -> Markup {
    html! {
        p { a href="/mina-sidor/skattningar" { "← " (ctx.t(&P::SCORES_TITLE)) } }
        h1 { (inst.name_for_patient()) }
        @if !inst.store_items { p.lead { (ctx.t(&P::SCORES_PAPER_TOTAL)) } } @else if !inst.item_texts { p.lead { (ctx.t(&P::SCORES_PAPER_FORM)) } }
        (error_summary(ctx, errors))
        form.report-form method="post" action={ "/mina-sidor/skattningar/" (inst.id) } novalidate {
            (csrf_field(ctx))
            input type="hidden" name="request_key" value=(f.request_key);
            @if inst.store_items {
                @for item in &inst.items {
                    @let name = format!("item_{}", item.id);
                    @let err = field_error(errors, &name);
                    @let value = f.items.get(&name).map(String::as_str).unwrap_or("");
                    @let choices: Vec<i32> = if item.values.is_empty() { (item.min..=item.max).collect() } else { item.values.clone() };
                    fieldset.field.scale-choice.field-error[err.is_some()] id=(name) {
                        legend { (item.name) }
                        @if let Some(e) = err { p.error-message { (e) } }
                        div.choices {
                            @for v in choices {
                                @let id = format!("{name}-{v}");
                                span.choice {
                                    input id=(id) type="radio" name=(name) value=(v) checked[value == v.to_string()];
                                    label for=(id) { (v) }
                                }
                            }
                        }
                    }
                }
            } @else {
                (Field::text("total", &fill(ctx.t(&P::SCORES_TOTAL), &[
                    ("min", &trappa_i18n::format::exact(inst.min, 1, ctx.locale)),
                    ("max", &trappa_i18n::format::exact(inst.max, 1, ctx.locale)),
                ]), &f.total).kind("text").autocomplete("off").render(errors))
            }
            button.button type="submit" { (ctx.t(&P::SCORES_SEND)) }
        }
    }
}

/// The instrument by its id, if it is assigned to the patient.
/// The patient's own record opened for `action` (its one log entry), and the
/// instrument by its id if it is assigned to them.
async fn assigned_instrument<'a>(
    state: &'a AppState,
    ctx: &Ctx,
    user: &User,
    instrument: &str,
    action: Action,
) -> Result<(trappa_app::access::OpenedPatient, &'a Instrument), AppError> {
    let opened = crate::access::open_own(state, ctx, user, action, OWN_RESOURCE).await?;
    let assigned = state.store().assignments(&opened.access).await?;
    if !assigned.iter().any(|a| a.instrument == instrument) {
        return Err(AppError::NotFound);
    }
    let inst = state
        .instruments()
        .get(instrument)
        .ok_or(AppError::NotFound)?;
    Ok((opened, inst))
}

/// `GET /mina-sidor/skattningar/{instrument}`: the form of an assigned instrument.
pub async fn score_form_page(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(instrument): Path<String>,
) -> Result<Response, AppError> {
    let (_, inst) = assigned_instrument(&state, &ctx, &user, &instrument, Action::Read).await?;
    let f = OwnScoreForm {
        request_key: Uuid::now_v7().to_string(),
        ..Default::default()
    };
    Ok(form_response(
        &ctx,
        inst.name_for_patient(),
        score_form(&ctx, inst, &f, &[]),
        &[],
    ))
}

/// `POST /mina-sidor/skattningar/{instrument}`: sends the answers; they are scored,
/// banded and stored as the patient's own score for today. An answer that needs a
/// person (PHQ-9's last item) leads to what to do now.
pub async fn save_score(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(instrument): Path<String>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut f = OwnScoreForm::from_pairs(pairs)?;
    if f.request_key.is_empty() {
        f.request_key = Uuid::now_v7().to_string();
    }
    let (opened, inst) =
        assigned_instrument(&state, &ctx, &user, &instrument, Action::Create).await?;
    let mut errors = Vec::new();
    // What the patient is told: the question by its name, or the total's range.
    let say = |field: &str| -> String {
        match field
            .strip_prefix("item_")
            .and_then(|id| inst.items.iter().find(|i| i.id == id))
        {
            Some(item) => fill(ctx.t(&P::SCORES_ERR_ITEM), &[("item", &item.name)]),
            None => fill(
                ctx.t(&P::SCORES_ERR_TOTAL),
                &[
                    ("min", &trappa_i18n::format::exact(inst.min, 1, ctx.locale)),
                    ("max", &trappa_i18n::format::exact(inst.max, 1, ctx.locale)),
                ],
            ),
        }
    };
    let answers = if inst.store_items {
        let mut values = Vec::new();
        for item in &inst.items {
            let name = format!("item_{}", item.id);
            match f
                .items
                .get(&name)
                .and_then(|v| v.trim().parse::<i32>().ok())
            {
                Some(v) => values.push(v),
                None => errors.push(FieldError {
                    message: say(&name),
                    field: name.into(),
                }),
            }
        }
        Answers::Items { values, band: None }
    } else {
        match trappa_taper::amount::parse_decimal(&f.total) {
            Some(total) => Answers::Total { total, band: None },
            None => {
                errors.push(FieldError {
                    field: "total".into(),
                    message: say("total"),
                });
                Answers::Total {
                    total: f64::NAN,
                    band: None,
                }
            }
        }
    };
    if !errors.is_empty() {
        return Ok(form_response(
            &ctx,
            inst.name_for_patient(),
            score_form(&ctx, inst, &f, &errors),
            &errors,
        ));
    }
    let caller = ctx.caller(&user);
    let key = Some(f.request_key.clone()).filter(|k| !k.is_empty());
    let today = trappa_app::clock::today();
    let saved = trappa_app::reports::record_own_score(
        state.store(),
        &caller,
        &opened,
        inst,
        answers,
        key,
        today,
    );
    match saved.await.for_user(&ctx) {
        Ok(s) if s.flags.iter().any(|f| f.is_urgent()) => Ok(redirect(
            &state,
            &crisis_path(&s.flags),
            Flash::ReportSaved,
            "",
        )),
        Ok(_) => Ok(redirect(
            &state,
            "/mina-sidor/skattningar",
            Flash::ReportSaved,
            "",
        )),
        Err(AppError::Invalid(faults)) => {
            errors.extend(faults.into_iter().map(|mut e| {
                e.field = match e.field.as_ref() {
                    "items" | "total" => "total".into(),
                    "request_key" => "request_key".into(),
                    other => match other.strip_prefix("items.") {
                        Some(item) => format!("item_{item}").into(),
                        None => e.field.clone(),
                    },
                };
                if e.field != "request_key" {
                    e.message = say(&e.field);
                }
                e
            }));
            Ok(form_response(
                &ctx,
                inst.name_for_patient(),
                score_form(&ctx, inst, &f, &errors),
                &errors,
            ))
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------
// If it cannot wait.

/// Which flags led to the crisis page (`?om=seizure,suicidal_thoughts`), so it says
/// what fits them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HelpQuery {
    om: String,
}

/// Where a report that needs a person now leads: the crisis page, told which flags.
fn crisis_path(flags: &[Flag]) -> String {
    let codes: Vec<String> = flags
        .iter()
        .filter(|f| f.is_urgent())
        .map(|f| code(*f))
        .collect();
    format!("/mina-sidor/hjalp?om={}", codes.join(","))
}

/// `GET /mina-sidor/hjalp`: what to do if it cannot wait — shown at once after a report
/// that needs a person, and always reachable. No patient data.
pub async fn help_now(
    state: axum::extract::State<AppState>,
    Authed { ctx, .. }: Authed,
    Query(q): Query<HelpQuery>,
) -> Result<Response, AppError> {
    let reported: Vec<Flag> = q.om.split(',').filter_map(parse_code::<Flag>).collect();
    let days = trappa_i18n::format::count(
        i64::from(state.config().message_reply_days),
        &trappa_app::text::V::WEEKDAY,
        &trappa_app::text::V::WEEKDAYS,
        ctx.locale,
    );
    let body = html! {
        h1 { (ctx.t(&P::HELP_TITLE)) }
        section.crisis aria-labelledby="crisis-h" {
            h2 #crisis-h { (ctx.t(&P::HELP_NOW)) }
            ul {
                li { strong { (ctx.t(&P::HELP_112)) } }
                @if reported.contains(&Flag::Seizure) { li { strong { (ctx.t(&P::HELP_SEIZURE)) } } }
                @if reported.contains(&Flag::SuicidalThoughts) { li { strong { (ctx.t(&P::HELP_SELF_HARM)) } } }
                li { (ctx.t(&P::HELP_1177)) }
                @if let Some(phone) = &state.config().unit_phone {
                    li { (fill(ctx.t(&P::HELP_CALL_UNIT), &[("phone", phone)])) }
                }
            }
        }
        @if !reported.is_empty() { p { (fill(ctx.t(&P::HELP_TEAM_SEES), &[("days", &days)])) } }
        p { (ctx.t(&P::HELP_DO_NOT_STOP)) }
        p.actions {
            a.button href="/mina-sidor/plan" { (ctx.t(&P::MY_PLAN_TITLE)) }
            a href="/mina-sidor/dagbok" { (ctx.t(&P::DIARY_TITLE)) }
        }
    };
    Ok(page(&ctx, ctx.t(&P::HELP_TITLE), body).into_response())
}
