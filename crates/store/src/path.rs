//! The patient's path after the taper: aftercare started (the last dose and the
//! follow-up schedule), follow-ups, relapses, outcome questionnaires and the discharge,
//! as append-only events. A correction is a new event naming the one it corrects. The
//! web layer checks the rules (`trappa-pathway`); the store keeps codes and JSON.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The last dose: aftercare starts. Data: the follow-up months.
    AftercareStarted,
    /// A follow-up held. Data: the month, relapse or not, a note.
    FollowUp,
    /// A relapse. Data: substance, note.
    Relapse,
    /// An outcome questionnaire. Data: the month (6, 12), drug-free, note.
    Outcome,
    /// Discharged. Data: the outcome.
    Discharged,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 5] = [
        EventKind::AftercareStarted,
        EventKind::FollowUp,
        EventKind::Relapse,
        EventKind::Outcome,
        EventKind::Discharged,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::AftercareStarted => "aftercare_started",
            EventKind::FollowUp => "follow_up",
            EventKind::Relapse => "relapse",
            EventKind::Outcome => "outcome",
            EventKind::Discharged => "discharged",
        }
    }

    /// Parses [`EventKind::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// An event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Kind.
    pub kind: EventKind,
    /// The day it happened.
    pub occurred_on: Date,
    /// Its data, JSON.
    pub data: String,
    /// The event this corrects.
    pub corrects: Option<Uuid>,
    /// Why (required for a correction).
    pub reason: String,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathEvent {
    /// Id.
    pub id: Uuid,
    /// Kind.
    pub kind: EventKind,
    /// The day.
    pub occurred_on: Date,
    /// Data, JSON.
    pub data: String,
    /// What it corrects.
    pub corrects: Option<Uuid>,
    /// Corrected later by another event.
    pub corrected_by: Option<Uuid>,
    /// Who.
    pub recorded_by_name: String,
    /// When.
    pub recorded_at: Timestamp,
    /// Why.
    pub reason: String,
}

impl Store {
    /// Records an event, logged in the same transaction. A correction must name an event
    /// of the same patient and kind that is not corrected yet. `only_once` refuses a
    /// second uncorrected event of the kind (aftercare starts once, discharge happens once).
    pub async fn record_path_event(
        &self,
        access: &PatientAccess,
        e: &NewEvent,
        only_once: bool,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        if let Some(old) = e.corrects {
            let found: Option<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT kind, (SELECT COUNT(*) FROM path_events x WHERE x.corrects = e.id) FROM path_events e WHERE e.id = $1 AND e.patient_id = $2")
                .bind(old).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
            match found {
                Some((kind, 0)) if kind == e.kind.code() => {}
                Some((_, 0)) => return Err(StoreError::Refused("correction_kind")),
                Some(_) => return Err(StoreError::Stale),
                None => return Err(StoreError::NotFound),
            }
        } else if only_once {
            let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
                "SELECT COUNT(*) FROM path_events e WHERE e.patient_id = $1 AND e.kind = $2
                   AND NOT EXISTS (SELECT 1 FROM path_events x WHERE x.corrects = e.id)")
                .bind(access.patient_id()).bind(e.kind.code()).fetch_one(&mut *c).await)?;
            if n > 0 {
                return Err(StoreError::Stale);
            }
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO path_events (id, patient_id, kind, occurred_on, data, corrects, recorded_by, recorded_at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(access.patient_id()).bind(e.kind.code()).bind(jiff_sqlx::ToSqlx::to_sqlx(e.occurred_on))
            .bind(&e.data).bind(e.corrects).bind(author).bind(ts(now())).bind(&e.reason)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every event of the patient, oldest first, corrections marked.
    pub async fn path_events(&self, access: &PatientAccess) -> Result<Vec<PathEvent>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            Uuid,
            String,
            jiff_sqlx::Date,
            String,
            Option<Uuid>,
            String,
            jiff_sqlx::Timestamp,
            String,
        )> = on_pool!(self, p => sqlx::query_as(
            "SELECT e.id, e.kind, e.occurred_on, e.data, e.corrects, a.display_name, e.recorded_at, e.reason
             FROM path_events e JOIN accounts a ON a.id = e.recorded_by
             WHERE e.patient_id = $1 ORDER BY e.occurred_on, e.recorded_at")
            .bind(access.patient_id()).fetch_all(p).await)?;
        let corrections: Vec<(Uuid, Uuid)> = rows
            .iter()
            .filter_map(|r| r.4.map(|old| (old, r.0)))
            .collect();
        rows.into_iter()
            .map(|(id, kind, on, data, corrects, by, at, reason)| {
                Ok(PathEvent {
                    id,
                    kind: EventKind::from_code(&kind).ok_or(StoreError::Corrupt(kind))?,
                    occurred_on: on.to_jiff(),
                    data,
                    corrects,
                    corrected_by: corrections
                        .iter()
                        .find(|(old, _)| *old == id)
                        .map(|(_, new)| *new),
                    recorded_by_name: by,
                    recorded_at: at.to_jiff(),
                    reason,
                })
            })
            .collect()
    }
}

/// Path events with their patient, and whether each is corrected (the correction's id is
/// not needed by those who read many patients' events at once).
pub(crate) const EVENTS_WITH_PATIENT: &str = "SELECT e.patient_id, e.id, e.kind, e.occurred_on, e.data, e.corrects, a.display_name, e.recorded_at, e.reason,
        EXISTS (SELECT 1 FROM path_events x WHERE x.corrects = e.id) AS corrected
     FROM path_events e JOIN accounts a ON a.id = e.recorded_by";

/// A row of [`EVENTS_WITH_PATIENT`].
pub(crate) type EventRow = (
    Uuid,
    Uuid,
    String,
    jiff_sqlx::Date,
    String,
    Option<Uuid>,
    String,
    jiff_sqlx::Timestamp,
    String,
    bool,
);

/// A row of [`EVENTS_WITH_PATIENT`] read.
pub(crate) fn event_with_patient(row: EventRow) -> Result<(Uuid, PathEvent)> {
    let (patient, id, kind, on, data, corrects, by, at, reason, corrected) = row;
    Ok((
        patient,
        PathEvent {
            id,
            kind: EventKind::from_code(&kind).ok_or(StoreError::Corrupt(kind))?,
            occurred_on: on.to_jiff(),
            data,
            corrects,
            // Only whether it is corrected matters here.
            corrected_by: corrected.then_some(id),
            recorded_by_name: by,
            recorded_at: at.to_jiff(),
            reason,
        },
    ))
}

impl Store {
    /// The path events of every patient on an account's current caseload, oldest first,
    /// for the start page's worklist. The caseload listing itself is logged by
    /// [`Store::caseload`]; this reads no identities.
    pub async fn caseload_path_events(&self, account: Uuid) -> Result<Vec<(Uuid, PathEvent)>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{EVENTS_WITH_PATIENT} WHERE e.patient_id IN (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)
             ORDER BY e.occurred_on, e.recorded_at"
        ));
        let rows: Vec<EventRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(account).fetch_all(p).await)?;
        rows.into_iter().map(event_with_patient).collect()
    }

    /// The latest uncorrected score date of every patient on an account's caseload.
    pub async fn caseload_latest_scores(&self, account: Uuid) -> Result<Vec<(Uuid, Date)>> {
        let rows: Vec<(Uuid, jiff_sqlx::Date)> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.patient_id, MAX(s.observed_on) FROM scores s
             WHERE s.patient_id IN (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)
               AND NOT EXISTS (SELECT 1 FROM scores x WHERE x.corrects = s.id)
             GROUP BY s.patient_id")
            .bind(account).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(p, d)| (p, d.to_jiff())).collect())
    }
}
