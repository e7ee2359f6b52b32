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
use crate::i18n::M;
use crate::pages::audit::{entries_table, extract_csv, extract_pdf, log_about};
use crate::pages::layout::page;

/// Opens the signed-in patient's own record (logged as `action` on `resource`) and
/// reads who has accessed it, oldest first.
async fn own_log(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    action: Action,
    resource: &str,
) -> Result<(Patient, Vec<Entry>), AppError> {
    let patient_id = user.patient_id.ok_or(AppError::Forbidden)?;
    let opened = open_patient(state, ctx, user, patient_id, action, resource).await?;
    let patient = state.store().patient(&opened.access).await?;
    Ok((patient, log_about(state, patient_id).await?))
}

/// `GET /mina-sidor/logg`
pub async fn my_log(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (p, mut entries) = own_log(&state, &ctx, &user, Action::Read, "own.access_log").await?;
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
        (entries_table(&ctx, &entries, false))
    };
    Ok(page(&ctx, ctx.t(&M::MY_LOG_TITLE), body).into_response())
}

/// `GET /mina-sidor/logg.csv`
pub async fn my_log_csv(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (_, entries) = own_log(&state, &ctx, &user, Action::Export, "own.access_log.csv").await?;
    extract_csv(&state, &ctx, entries, false).await
}

/// `GET /mina-sidor/logg.pdf`
pub async fn my_log_pdf(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let (p, entries) = own_log(&state, &ctx, &user, Action::Export, "own.access_log.pdf").await?;
    let identity = p.current.data.personal_identity.to_string();
    extract_pdf(&state, &ctx, entries, identity, false).await
}
