//! The patient's own pages: who has read my record, on screen, as CSV and as PDF.
//! Each view opens the patient's own record once, which is the one log entry it makes.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_store::access_log::{Action, Entry};
use trappa_store::patients::Patient;

use crate::AppState;
use crate::access::{Can, ReadOwnAccessLog, open_patient};
use crate::ctx::{Ctx, User};
use crate::error::AppError;
use crate::i18n::C;
use crate::i18n::M;
use crate::pages::audit::{
    entries_table, extract_csv, extract_pdf, format_time, log_about, reviewed,
};
use crate::pages::layout::page;
use trappa_store::emergency::EmergencyAccess;

/// Opens the signed-in patient's own record (logged as `action` on `resource`) and
/// reads who has accessed it, oldest first.
async fn own_log(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    action: Action,
    resource: &str,
) -> Result<(Patient, Vec<Entry>, Vec<EmergencyAccess>), AppError> {
    let patient_id = user.patient_id.ok_or(AppError::Forbidden)?;
    let opened = open_patient(state, ctx, user, patient_id, action, resource).await?;
    let patient = state.store().patient(&opened.access).await?;
    let emergencies = state.store().emergency_accesses_of(&opened.access).await?;
    Ok((patient, log_about(state, patient_id).await?, emergencies))
}

/// `GET /mina-sidor/logg`
pub async fn my_log(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (p, mut entries, emergencies) =
        own_log(&state, &ctx, &user, Action::Read, "own.access_log").await?;
    entries.reverse();
    let d = &p.current.data;
    let body = html! {
        h1 { (ctx.t(&M::MY_LOG_TITLE)) }
        p { (d.given_name) " " (d.family_name) ", " (d.personal_identity) }
        p { (ctx.t(&crate::i18n::C::MY_LOG_INTRO)) }
        p.actions {
            a.button href="/mina-sidor/logg.pdf" { (ctx.t(&M::DOWNLOAD_PDF)) }
            a href="/mina-sidor/logg.csv" { (ctx.t(&M::DOWNLOAD_CSV)) }
        }
        h2 { (ctx.t(&C::MY_EMERGENCY_TITLE)) }
        p { (ctx.t(&C::MY_EMERGENCY_INTRO)) }
        @if emergencies.is_empty() { p { (ctx.t(&C::MY_EMERGENCY_NONE)) } }
        @for e in &emergencies {
            section.card {
                dl.summary {
                    dt { (ctx.t(&M::COL_TIME)) } dd { (format_time(e.started_at)) }
                    dt { (ctx.t(&M::COL_USER)) } dd { (e.display_name) }
                    dt { (ctx.t(&M::REASON)) } dd { (e.reason) }
                    @if e.reviewed_at.is_none() {
                        dt { (ctx.t(&C::REVIEW_OUTCOME)) } dd { (ctx.t(&C::MY_EMERGENCY_PENDING)) }
                    }
                    (reviewed(&ctx, e.reviewed_by_name.as_deref(), e.reviewed_at, e.review_note.as_deref(), e.review_justified))
                }
            }
        }
        h2 { (ctx.t(&M::MY_LOG_TITLE)) }
        (entries_table(&ctx, &entries, false))
    };
    Ok(page(&ctx, ctx.t(&M::MY_LOG_TITLE), body).into_response())
}

/// `GET /mina-sidor/logg.csv`
pub async fn my_log_csv(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (_, entries, _) =
        own_log(&state, &ctx, &user, Action::Export, "own.access_log.csv").await?;
    extract_csv(&state, &ctx, entries, false).await
}

/// `GET /mina-sidor/logg.pdf`
pub async fn my_log_pdf(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (p, entries, _) =
        own_log(&state, &ctx, &user, Action::Export, "own.access_log.pdf").await?;
    let identity = p.current.data.personal_identity.to_string();
    extract_pdf(&state, &ctx, entries, identity, false).await
}
