//! The auditor's pages: access-log search, the emergency-access review queue, and the
//! log extract a patient may ask for (CSV and PDF).

use crate::extract::Form;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_ident::PersonalIdentity;
use trappa_store::Uuid;
use trappa_store::access_log::{Entry, LogQuery};

use crate::access::{Authed, role_label};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::i18n::{C, M, Msg, W, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, page};
use crate::state::AppState;

/// Rows per page of the log search.
const PAGE_SIZE: i64 = 100;
use trappa_app::clock::format_time;
use trappa_app::clock::stockholm;

/// The UI label of a logged action.
pub fn action_label(code: &str) -> &'static Msg {
    match code {
        "read" => &M::ACTION_READ,
        "create" => &M::ACTION_CREATE,
        "update" => &M::ACTION_UPDATE,
        "search" => &M::ACTION_SEARCH,
        "listed" => &M::ACTION_LISTED,
        "export" => &M::ACTION_EXPORT,
        "emergency_access" => &M::ACTION_EMERGENCY_ACCESS,
        "review" => &M::ACTION_REVIEW,
        "login" => &M::ACTION_LOGIN,
        "login_failed" => &M::ACTION_LOGIN_FAILED,
        "logout" => &M::ACTION_LOGOUT,
        "role_switch" => &crate::i18n::S::ACTION_ROLE_SWITCH,
        _ => &M::ACTION_ACCOUNT_CHANGE,
    }
}

/// Why an entry is flagged for the auditor, from what the entry itself records: an
/// emergency access, a refusal, a patient with protected identity, access by
/// coordination without a care relation, a referral about a person already registered,
/// a change of roles — and otherwise the one remaining cause, a role granted less than a
/// day before (`Actor::new_role`).
pub fn flag_reasons(e: &Entry) -> Vec<&'static Msg> {
    if !e.flagged {
        return Vec::new();
    }
    let basis = e
        .basis
        .as_deref()
        .and_then(trappa_policy::AccessBasis::from_code);
    let mut why: Vec<&'static Msg> = Vec::new();
    if e.emergency_access_id.is_some()
        || basis == Some(trappa_policy::AccessBasis::Emergency)
        || e.action == "emergency_access"
    {
        why.push(&W::FLAG_EMERGENCY);
    }
    if e.outcome != "allowed" {
        why.push(&W::FLAG_DENIED);
    }
    if e.patient_protected == Some(true) {
        why.push(&W::FLAG_PROTECTED);
    }
    if basis == Some(trappa_policy::AccessBasis::Coordination) {
        why.push(&W::FLAG_COORDINATION);
    }
    if e.resource == "patient.referral"
        && e.detail
            .as_deref()
            .is_some_and(|d| d.starts_with("registered identity"))
    {
        why.push(&W::FLAG_KNOWN_PERSON);
    }
    if e.resource == "staff.roles" {
        why.push(&W::FLAG_ROLES);
    }
    if why.is_empty() {
        why.push(&W::FLAG_NEW_ROLE);
    }
    why
}

/// The words for a logged access basis.
pub(crate) fn basis_text(ctx: &Ctx, code: Option<&str>) -> &'static str {
    match code.and_then(trappa_policy::AccessBasis::from_code) {
        Some(b) => ctx.t(crate::pages::patients::basis_label(b)),
        None => ctx.t(&M::NONE),
    }
}

fn role_text(ctx: &Ctx, code: Option<&str>) -> String {
    code.and_then(trappa_policy::Role::from_code)
        .map(|r| ctx.t(role_label(r)).to_owned())
        .unwrap_or_default()
}

/// Formats a stored twelve-digit identity number for display.
pub fn show_identity(canonical: Option<&str>) -> String {
    match canonical {
        Some(c) if c.len() == 12 => format!("{}-{}", &c[..8], &c[8..]),
        Some(c) => c.to_owned(),
        None => String::new(),
    }
}

/// The cells of one entry for CSV and PDF: time, user, name, role, unit, action, what,
/// how, outcome, and (for auditors) the client address.
pub fn entry_cells(ctx: &Ctx, e: &Entry, with_client: bool) -> Vec<String> {
    let mut cells = vec![
        format_time(e.at()),
        e.username.clone(),
        e.display_name.clone().unwrap_or_default(),
        role_text(ctx, e.role.as_deref()),
        e.unit_name.clone().unwrap_or_default(),
        ctx.t(action_label(&e.action)).to_owned(),
        ctx.t(crate::i18n::resource_label(&e.resource)).to_owned(),
        basis_text(ctx, e.basis.as_deref()).to_owned(),
        if e.outcome == "allowed" {
            ctx.t(&M::OUTCOME_ALLOWED)
        } else {
            ctx.t(&M::OUTCOME_DENIED)
        }
        .to_owned(),
    ];
    if with_client {
        cells.push(e.client_ip.clone().unwrap_or_default());
    }
    cells
}

/// The column headings matching [`entry_cells`].
pub fn entry_headings(ctx: &Ctx, with_client: bool) -> Vec<&'static str> {
    let mut h = vec![
        ctx.t(&M::COL_TIME),
        ctx.t(&M::AUDIT_USER),
        ctx.t(&M::NAME),
        ctx.t(&M::COL_ROLE),
        ctx.t(&M::COL_UNIT),
        ctx.t(&M::COL_ACTION),
        ctx.t(&M::COL_WHAT),
        ctx.t(&M::COL_HOW),
        ctx.t(&M::COL_OUTCOME),
    ];
    if with_client {
        h.push(ctx.t(&M::COL_FROM));
    }
    h
}

/// The log as an HTML table.
pub fn entries_table(ctx: &Ctx, entries: &[Entry], show_patient: bool) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::COL_TIME)) }
                    th scope="col" { (ctx.t(&M::COL_USER)) }
                    th scope="col" { (ctx.t(&M::COL_ROLE)) }
                    th scope="col" { (ctx.t(&M::COL_UNIT)) }
                    @if show_patient { th scope="col" { (ctx.t(&M::COL_PATIENT)) } }
                    th scope="col" { (ctx.t(&M::COL_ACTION)) }
                    th scope="col" { (ctx.t(&M::COL_WHAT)) }
                    th scope="col" { (ctx.t(&M::COL_HOW)) }
                    th scope="col" { (ctx.t(&M::COL_OUTCOME)) }
                    @if show_patient { th scope="col" { (ctx.t(&M::COL_FROM)) } }
                } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (format_time(e.at())) }
                            td { (e.display_name.as_deref().unwrap_or(&e.username)) br; span.muted { (e.username) } }
                            td { (role_text(ctx, e.role.as_deref())) }
                            td { (e.unit_name.as_deref().unwrap_or("")) }
                            @if show_patient { td { (show_identity(e.patient_identity.as_deref())) } }
                            td {
                                (ctx.t(action_label(&e.action)))
                                @if e.flagged {
                                    " " span.tag.yellow { (ctx.t(&M::FLAGGED)) }
                                    br; span.muted { (flag_reasons(e).iter().map(|m| ctx.t(m)).collect::<Vec<_>>().join(", ")) }
                                }
                            }
                            td { (ctx.t(crate::i18n::resource_label(&e.resource))) }
                            td { (basis_text(ctx, e.basis.as_deref())) }
                            td {
                                @if e.outcome == "allowed" { (ctx.t(&M::OUTCOME_ALLOWED)) }
                                @else { span.tag.red { (ctx.t(&M::OUTCOME_DENIED)) } }
                            }
                            @if show_patient { td { (e.client_ip.as_deref().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
    }
}

/// The log search's query string.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LogSearch {
    patient: String,
    user: String,
    from: String,
    to: String,
    flagged: Option<String>,
    before: Option<i64>,
}

fn start_of_day(d: Date) -> Timestamp {
    d.to_zoned(stockholm())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// `GET /granskning/logg`
pub async fn log_search(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<LogSearch>,
) -> Result<Response, AppError> {
    let store = state.store();
    let mut errors = Vec::new();
    let mut query = LogQuery {
        limit: PAGE_SIZE,
        before_id: q.before,
        flagged_only: q.flagged.is_some(),
        ..Default::default()
    };
    let mut no_match = false;
    if !q.patient.trim().is_empty() {
        match PersonalIdentity::parse(&q.patient.replace(' ', ""), trappa_app::clock::today()) {
            Ok(pid) => match store.patient_ids_by_identity(&pid).await?.first() {
                Some(id) => query.patient_id = Some(*id),
                None => errors.push(FieldError {
                    field: "patient".into(),
                    message: ctx.t(&M::AUDIT_UNKNOWN_PATIENT).to_owned(),
                }),
            },
            Err(e) => errors.push(FieldError {
                field: "patient".into(),
                message: ctx.t(trappa_app::patients::id_error_message(&e)).to_owned(),
            }),
        }
    }
    if !q.user.trim().is_empty() {
        match store.credentials(&q.user.trim().to_lowercase()).await? {
            Some(c) => query.account_id = Some(c.account.id),
            None => no_match = true,
        }
    }
    query.from = crate::extract::date_field(&ctx, "from", &q.from, &M::AUDIT_BAD_DATE, &mut errors)
        .map(start_of_day);
    query.to = crate::extract::date_field(&ctx, "to", &q.to, &M::AUDIT_BAD_DATE, &mut errors)
        .and_then(|d| d.tomorrow().ok())
        .map(start_of_day);
    // Reading the log is itself logged, per patient when the search names one.
    let searched = (errors.is_empty() && !no_match).then_some(&query);
    let caller = ctx.caller(&user);
    let entries =
        trappa_app::audit::search(store, &caller, searched, query.patient_id, "access_log")
            .await
            .for_user(&ctx)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let years = state.config().access_log_retention_years.to_string();
    let older = entries
        .last()
        .filter(|_| entries.len() as i64 == PAGE_SIZE)
        .map(|e| e.id);
    let body = html! {
        h1 { (ctx.t(&M::AUDIT_TITLE)) }
        p { (fill(ctx.t(&M::AUDIT_INTRO), &[("years", &years)])) }
        (error_summary(&ctx, &errors))
        form method="get" action="/granskning/logg" novalidate {
            div.grid-2 {
                (Field::text("patient", ctx.t(&M::AUDIT_PATIENT), &q.patient).hint(ctx.t(&M::PNR_HINT)).render(&errors))
                (Field::text("user", ctx.t(&M::AUDIT_USER), &q.user).render(&errors))
                (Field::text("from", ctx.t(&M::AUDIT_FROM), &q.from).kind("date").hint(ctx.t(&M::AUDIT_DATE_HINT)).render(&errors))
                (Field::text("to", ctx.t(&M::AUDIT_TO), &q.to).kind("date").hint(ctx.t(&M::AUDIT_DATE_HINT)).render(&errors))
            }
            div.field {
                div.checkbox {
                    input #flagged type="checkbox" name="flagged" value="on" checked[q.flagged.is_some()];
                    label for="flagged" { (ctx.t(&M::AUDIT_FLAGGED_ONLY)) }
                }
            }
            button.primary type="submit" { (ctx.t(&M::SEARCH_SUBMIT)) }
        }
        @if let Some(pid) = query.patient_id {
            h2 { (ctx.t(&M::AUDIT_EXTRACT)) }
            p { (ctx.t(&M::AUDIT_EXTRACT_INTRO)) }
            p.actions {
                a.button href={ "/granskning/patienter/" (pid) "/logg.pdf" } { (ctx.t(&M::DOWNLOAD_PDF)) }
                a href={ "/granskning/patienter/" (pid) "/logg.csv" } { (ctx.t(&M::DOWNLOAD_CSV)) }
            }
        }
        @if errors.is_empty() {
            @if entries.is_empty() {
                p { (ctx.t(&M::AUDIT_NO_ROWS)) }
            } @else {
                p.muted { (fill(ctx.t(&M::AUDIT_SHOWING), &[("n", &entries.len().to_string())])) }
                (entries_table(&ctx, &entries, true))
                @if q.before.is_some() {
                    p { a href={ "/granskning/logg?patient=" (crate::error::urlencode(&q.patient)) "&user=" (crate::error::urlencode(&q.user)) "&from=" (crate::error::urlencode(&q.from)) "&to=" (crate::error::urlencode(&q.to)) @if q.flagged.is_some() { "&flagged=on" } } { (ctx.t(&W::AUDIT_NEWEST)) } }
                }
                @if let Some(before) = older {
                    p { a href={ "/granskning/logg?patient=" (crate::error::urlencode(&q.patient)) "&user=" (crate::error::urlencode(&q.user)) "&from=" (crate::error::urlencode(&q.from)) "&to=" (crate::error::urlencode(&q.to)) @if q.flagged.is_some() { "&flagged=on" } "&before=" (before) } { (ctx.t(&M::AUDIT_OLDER)) } }
                }
            }
        }
    };
    Ok((status, page(&ctx, ctx.t(&M::AUDIT_TITLE), body)).into_response())
}

/// `GET /granskning/nodatkomst`: the review queue.
pub async fn review_queue(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let list = trappa_app::audit::emergency_accesses(state.store(), &caller)
        .await
        .for_user(&ctx)?;
    let body = html! {
        h1 { (ctx.t(&M::REVIEW_TITLE)) }
        p { (ctx.t(&M::REVIEW_INTRO)) }
        @if list.is_empty() { p { (ctx.t(&M::REVIEW_EMPTY)) } }
        @for e in &list {
            section.card aria-labelledby={ "ea-" (e.id) } {
                h2 #{ "ea-" (e.id) } {
                    (e.display_name) " – " (show_identity(Some(&e.patient_identity)))
                    @if let (Some(_), Some(j)) = (e.reviewed_at, e.review_justified) { span.tag { (ctx.t(outcome_label(j))) } }
                    @else if e.reviewed_at.is_some() { span.tag { (ctx.t(&M::REVIEW_DONE)) } } @else { span.tag.yellow { (ctx.t(&M::REVIEW_PENDING)) } }
                }
                dl.summary {
                    dt { (ctx.t(&M::COL_TIME)) } dd { (format_time(e.started_at)) }
                    dt { (ctx.t(&M::REVIEW_EXPIRES)) } dd { (format_time(e.expires_at)) }
                    dt { (ctx.t(&M::COL_ROLE)) } dd { (role_text(&ctx, Some(&e.role))) }
                    dt { (ctx.t(&M::REASON)) } dd { (e.reason) }
                    (reviewed(&ctx, e.reviewed_by_name.as_deref(), e.reviewed_at, e.review_note.as_deref(), e.review_justified))
                }
                @if e.reviewed_at.is_none() {
                    (review_form(&ctx, &format!("/granskning/nodatkomst/{}", e.id), e.id, true))
                }
                p { a href={ "/granskning/logg?patient=" (e.patient_identity) } { (ctx.t(&M::NAV_AUDIT_LOG)) } }
            }
        }
    };
    Ok(page(&ctx, ctx.t(&M::REVIEW_TITLE), body).into_response())
}

/// Who signed a review, when and with what note (terms of a `dl.summary`), if signed;
/// with the judgement, for an emergency access.
pub fn reviewed(
    ctx: &Ctx,
    by: Option<&str>,
    at: Option<Timestamp>,
    note: Option<&str>,
    justified: Option<bool>,
) -> Markup {
    html! {
        @if let (Some(by), Some(at)) = (by, at) {
            @if let Some(j) = justified {
                dt { (ctx.t(&C::REVIEW_OUTCOME)) } dd { (ctx.t(outcome_label(j))) }
            }
            dt { (ctx.t(&M::REVIEW_DONE)) } dd { (by) ", " (format_time(at)) br; (note.unwrap_or("")) }
        }
    }
}

/// "Motiverad" or "Inte motiverad".
pub fn outcome_label(justified: bool) -> &'static Msg {
    if justified {
        &C::REVIEW_JUSTIFIED
    } else {
        &C::REVIEW_NOT_JUSTIFIED
    }
}

/// The form that signs off a review with a note, posted to `action`; `judged`: the
/// reviewer also says whether the access was justified (emergency access).
pub fn review_form(ctx: &Ctx, action: &str, id: Uuid, judged: bool) -> Markup {
    html! {
        form method="post" action=(action) {
            (csrf_field(ctx))
            @if judged {
                fieldset.field {
                    legend { (ctx.t(&C::REVIEW_OUTCOME)) }
                    @for (value, label) in [("justified", &C::REVIEW_JUSTIFIED), ("not_justified", &C::REVIEW_NOT_JUSTIFIED)] {
                        div.checkbox {
                            input type="radio" id={ "outcome-" (value) "-" (id) } name="outcome" value=(value) required;
                            label for={ "outcome-" (value) "-" (id) } { (ctx.t(label)) }
                        }
                    }
                }
            }
            div.field {
                label for={ "note-" (id) } { (ctx.t(&M::REVIEW_NOTE)) }
                textarea id={ "note-" (id) } name="note" required {}
            }
            button.primary type="submit" { (ctx.t(&M::REVIEW_SUBMIT)) }
        }
    }
}

/// The review form.
#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub note: String,
    /// "justified" or "not_justified" (emergency access).
    #[serde(default)]
    pub outcome: String,
}

/// `POST /granskning/nodatkomst/{id}`: signs off a review.
pub async fn review_submit(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    trappa_app::audit::review_emergency_access(state.store(), &caller, id, &f.outcome, &f.note)
        .await
        .for_user(&ctx)?;
    Ok(crate::flash::redirect(
        &state,
        "/granskning/nodatkomst",
        crate::flash::Flash::ReviewSaved,
        "",
    ))
}

/// Every log entry about a patient, oldest first. Logs nothing itself: the caller has
/// already logged the access that shows them.
pub async fn log_about(state: &AppState, patient_id: Uuid) -> Result<Vec<Entry>, AppError> {
    Ok(trappa_app::audit::entries_about(state.store(), patient_id).await?)
}

/// The auditor's extract for a patient: the entries, and the export logged.
async fn extract_entries(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    patient_id: Uuid,
    resource: &str,
) -> Result<Vec<Entry>, AppError> {
    let caller = ctx.caller(user);
    trappa_app::audit::extract(state.store(), &caller, patient_id, resource)
        .await
        .for_user(ctx)
}

/// The extract as CSV (UTF-8 with BOM so spreadsheet programs read å, ä, ö), written
/// off the async threads.
pub async fn extract_csv(
    state: &AppState,
    ctx: &Ctx,
    entries: Vec<Entry>,
    with_client: bool,
) -> Result<Response, AppError> {
    let ctx = ctx.clone();
    crate::work::run(state, "log_extract_csv", move |cancel| {
        let mut w = crate::download::Csv::new();
        w.text_row(entry_headings(&ctx, with_client))?;
        for (i, e) in entries.iter().enumerate() {
            if i % 1_000 == 0 {
                cancel.check()?;
            }
            w.text_row(entry_cells(&ctx, e, with_client))?;
        }
        w.download("logguttag.csv")
    })
    .await?
}

/// The extract as PDF, drawn off the async threads.
pub async fn extract_pdf(
    state: &AppState,
    ctx: &Ctx,
    entries: Vec<Entry>,
    identity: String,
    with_client: bool,
) -> Result<Response, AppError> {
    let ctx = ctx.clone();
    crate::work::run(state, "log_extract_pdf", move |_| {
        let headings = entry_headings(&ctx, with_client);
        let widths = [1.3, 1.0, 1.4, 1.1, 1.6, 1.1, 1.3, 0.9, 0.8, 0.9];
        let generated = format_time(jiff::Timestamp::now());
        let pdf = crate::pdf::table_pdf(&crate::pdf::Table {
            title: ctx.t(&M::MY_LOG_TITLE),
            preamble: vec![
                format!("{}: {}", ctx.t(&M::PNR), identity),
                format!("{}: {}", ctx.t(&M::WHEN), generated),
                ctx.t(&M::AUDIT_EXTRACT_INTRO).to_owned(),
            ],
            columns: headings.iter().zip(widths).map(|(h, w)| (*h, w)).collect(),
            rows: entries
                .iter()
                .map(|e| entry_cells(&ctx, e, with_client))
                .collect(),
            footer: "Trappa · {page}/{pages}",
        })?;
        Ok(crate::download::pdf("logguttag.pdf", pdf))
    })
    .await?
}

async fn identity_of(state: &AppState, patient_id: Uuid) -> Result<String, AppError> {
    // The extract names the patient it is about; the number comes from the log's own join.
    let e = state
        .store()
        .search_access_log(&LogQuery {
            patient_id: Some(patient_id),
            limit: 1,
            ..Default::default()
        })
        .await?;
    e.first()
        .and_then(|e| e.patient_identity.as_deref())
        .map(|c| show_identity(Some(c)))
        .ok_or(AppError::NotFound)
}

/// `GET /granskning/patienter/{id}/logg.csv`
pub async fn patient_extract_csv(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    identity_of(&state, id).await?;
    let entries = extract_entries(&state, &ctx, &user, id, "access_log.extract.csv").await?;
    extract_csv(&state, &ctx, entries, true).await
}

/// `GET /granskning/patienter/{id}/logg.pdf`
pub async fn patient_extract_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let identity = identity_of(&state, id).await?;
    let entries = extract_entries(&state, &ctx, &user, id, "access_log.extract.pdf").await?;
    extract_pdf(&state, &ctx, entries, identity, true).await
}
