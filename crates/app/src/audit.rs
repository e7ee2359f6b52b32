//! The audit: the access log read (and that reading logged), refusals recorded, and
//! the reviews of emergency accesses and role changes signed off. Every read of the
//! log and every refusal leaves its own entry, so the log also shows who watched it.

use trappa_store::Store;
use trappa_store::access_log::{Action, Actor, Entry, LogQuery, NewEntry};
use trappa_store::emergency::EmergencyAccess;
use trappa_store::role_changes::RoleChange;
use uuid::Uuid;

use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// The most entries an extract for one patient holds.
pub const EXTRACT_LIMIT: i64 = 100_000;
/// The longest review note.
pub const MAX_REVIEW_NOTE: usize = 2000;
/// The most emergency accesses or role changes a review list shows.
pub const REVIEW_LIST_LIMIT: i64 = 200;

/// Records a refusal: who, what (`resource`), about which patient if any, and why.
pub async fn refusal(
    store: &Store,
    actor: &Actor,
    action: Action,
    resource: &str,
    patient: Option<Uuid>,
    why: &str,
) -> Result<()> {
    store
        .append_access_log(
            &NewEntry::new(actor, action, resource)
                .patient_opt(patient)
                .denied()
                .detail(why.to_owned()),
        )
        .await?;
    Ok(())
}

/// Logs that the caller read something no use case of its own reads (`resource`), about
/// a patient if any.
pub async fn log_read(
    store: &Store,
    caller: &Caller,
    action: Action,
    resource: &str,
    patient: Option<Uuid>,
) -> Result<()> {
    store
        .append_access_log(&NewEntry::new(&caller.actor, action, resource).patient_opt(patient))
        .await?;
    Ok(())
}

/// The log entries `query` finds; reading them is logged as `resource`, per patient
/// when the query names one. `None` searches nothing (the search named nobody known)
/// and logs the attempt all the same.
pub async fn search(
    store: &Store,
    caller: &Caller,
    query: Option<&LogQuery>,
    patient: Option<Uuid>,
    resource: &str,
) -> Result<Vec<Entry>> {
    let entries = match query {
        Some(q) => store.search_access_log(q).await?,
        None => Vec::new(),
    };
    log_read(store, caller, Action::Read, resource, patient).await?;
    Ok(entries)
}

/// Every log entry about a patient, oldest first. Logs nothing itself: the caller has
/// already logged the access that shows them.
pub async fn entries_about(store: &Store, patient: Uuid) -> Result<Vec<Entry>> {
    let mut entries = store
        .search_access_log(&LogQuery {
            patient_id: Some(patient),
            limit: EXTRACT_LIMIT,
            ..Default::default()
        })
        .await?;
    entries.reverse();
    Ok(entries)
}

/// The auditor's extract for a patient (a file that leaves Trappa), oldest first; the
/// export is logged as `resource` with its size.
pub async fn extract(
    store: &Store,
    caller: &Caller,
    patient: Uuid,
    resource: &str,
) -> Result<Vec<Entry>> {
    let entries = entries_about(store, patient).await?;
    store
        .append_access_log(
            &NewEntry::new(&caller.actor, Action::Export, resource)
                .patient(patient)
                .detail(format!("{} rows", entries.len())),
        )
        .await?;
    Ok(entries)
}

/// The emergency accesses to review (unreviewed first), the reading logged.
pub async fn emergency_accesses(store: &Store, caller: &Caller) -> Result<Vec<EmergencyAccess>> {
    let list = store.emergency_accesses(false, REVIEW_LIST_LIMIT).await?;
    log_read(store, caller, Action::Read, "emergency_access.queue", None).await?;
    Ok(list)
}

/// The role changes to review (unreviewed first), the reading logged.
pub async fn role_changes(store: &Store, caller: &Caller) -> Result<Vec<RoleChange>> {
    let list = store.role_changes(false, REVIEW_LIST_LIMIT).await?;
    log_read(store, caller, Action::Read, "role_changes", None).await?;
    Ok(list)
}

/// A review note: required, bounded.
fn check_note(note: &str) -> Faults {
    let mut faults = Faults::default();
    faults.text("note", note, true, MAX_REVIEW_NOTE);
    faults
}

/// Signs off the review of emergency access `id`: whether it was justified
/// (`outcome`: `justified` or `not_justified`) and a note.
pub async fn review_emergency_access(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    outcome: &str,
    note: &str,
) -> Result<()> {
    let mut faults = check_note(note);
    let justified = match outcome {
        "justified" => Some(true),
        "not_justified" => Some(false),
        _ => {
            faults.push(Fault::new("outcome", &V::REVIEW_ERR_OUTCOME));
            None
        }
    };
    let justified = faults.finish(justified)?.unwrap_or(false);
    let access = store.emergency_access(id).await?.ok_or(Error::NotFound)?;
    let entry = NewEntry::new(&caller.actor, Action::Review, "emergency_access")
        .patient(access.patient_id)
        .emergency_access(Some(id));
    Ok(store
        .review_emergency_access(id, caller.account_id, justified, note.trim(), &entry)
        .await?)
}

/// Signs off the review of role change `id` with a note.
pub async fn review_role_change(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    note: &str,
) -> Result<()> {
    check_note(note).finish(())?;
    let entry = NewEntry::new(&caller.actor, Action::Review, "role_change").detail(id.to_string());
    Ok(store
        .review_role_change(id, caller.account_id, note.trim(), &entry)
        .await?)
}
