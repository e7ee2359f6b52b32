//! The patient's own pages: who has read my record, on screen, as CSV and as PDF.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_policy::AccessBasis;
use trappa_store::access_log::Action;

use crate::AppState;
use crate::access::{Can, ReadOwnAccessLog, open_patient};
use crate::error::AppError;
use crate::i18n::M;
use crate::pages::audit::{entries_table, extract_csv, extract_entries, extract_pdf};
use crate::pages::layout::page;

/// `GET /mina-sidor/logg`
pub async fn my_log(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let patient_id = user.patient_id.ok_or(AppError::Forbidden)?;
    let opened = open_patient(
        &state,
        &ctx,
        &user,
        patient_id,
        Action::Read,
        "own.access_log",
    )
    .await?;
    let p = state.store().patient(&opened.access).await?;
    let mut entries = extract_entries(
        &state,
        &ctx,
        patient_id,
        "own.access_log",
        Some(AccessBasis::OwnRecord),
    )
    .await?;
    entries.reverse();
    let body = html! {
        h1 { (ctx.t(&M::MY_LOG_TITLE)) }
        p { (p.current.data.given_name) " " (p.current.data.family_name) ", " (p.current.data.personal_identity) }
        p { (ctx.t(&M::AUDIT_EXTRACT_INTRO)) }
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
    let patient_id = user.patient_id.ok_or(AppError::Forbidden)?;
    open_patient(
        &state,
        &ctx,
        &user,
        patient_id,
        Action::Export,
        "own.access_log.csv",
    )
    .await?;
    let entries = extract_entries(
        &state,
        &ctx,
        patient_id,
        "own.access_log.csv",
        Some(AccessBasis::OwnRecord),
    )
    .await?;
    extract_csv(&ctx, &entries, false)
}

/// `GET /mina-sidor/logg.pdf`
pub async fn my_log_pdf(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadOwnAccessLog>,
) -> Result<Response, AppError> {
    let patient_id = user.patient_id.ok_or(AppError::Forbidden)?;
    let opened = open_patient(
        &state,
        &ctx,
        &user,
        patient_id,
        Action::Export,
        "own.access_log.pdf",
    )
    .await?;
    let p = state.store().patient(&opened.access).await?;
    let entries = extract_entries(
        &state,
        &ctx,
        patient_id,
        "own.access_log.pdf",
        Some(AccessBasis::OwnRecord),
    )
    .await?;
    extract_pdf(
        &ctx,
        &entries,
        &p.current.data.personal_identity.to_string(),
        false,
    )
}
