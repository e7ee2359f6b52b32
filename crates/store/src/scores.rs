//! A patient's symptom and outcome scores, append-only. A correction is a new row that
//! names the row it corrects; listings show the correction in its place and keep the
//! original. The store keeps codes (instrument id, band, flags); the web layer scores
//! with `trappa-scales`.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::reports::Keyed;
use crate::{Result, Store, StoreError, now, ts};

/// A score to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScore {
    /// Instrument id ("cows").
    pub instrument: String,
    /// The day it describes.
    pub observed_on: Date,
    /// The total (a mean for mean-scored instruments).
    pub total: f64,
    /// The band code ("none", "mild", "moderate", "severe").
    pub band: String,
    /// Item values as JSON, where the instrument's licence allows storing them.
    pub items: Option<String>,
    /// Flag codes ("seizure", "suicidal_thoughts" …).
    pub flags: Vec<String>,
    /// A note.
    pub note: String,
    /// The score this one corrects, if any.
    pub corrects: Option<Uuid>,
    /// Why (required for a correction).
    pub reason: String,
    /// Filled in by the patient, not recorded by a clinician.
    pub reported_by_patient: bool,
    /// The key of the form that sent it: a second score with the same key is the same
    /// answer sent twice, and is not stored again.
    pub request_key: Option<String>,
}

/// A recorded score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRecord {
    /// Id.
    pub id: Uuid,
    /// Instrument id.
    pub instrument: String,
    /// The day it describes.
    pub observed_on: Date,
    /// The total.
    pub total: f64,
    /// Band code.
    pub band: String,
    /// Item values, JSON.
    pub items: Option<String>,
    /// Flag codes.
    pub flags: Vec<String>,
    /// Note.
    pub note: String,
    /// The score it corrects.
    pub corrects: Option<Uuid>,
    /// Corrected later by another score.
    pub corrected_by: Option<Uuid>,
    /// Who.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
    /// Filled in by the patient.
    pub reported_by_patient: bool,
}

#[derive(sqlx::FromRow, Clone)]
struct Row {
    id: Uuid,
    instrument: String,
    observed_on: jiff_sqlx::Date,
    total: f64,
    band: String,
    items: Option<String>,
    flags: String,
    note: String,
    corrects: Option<Uuid>,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
    reported_by_patient: bool,
}

impl Store {
    /// Records a score and logs it in the same transaction. A correction must name a
    /// score of the same patient that is not already corrected. A score whose request
    /// key the patient's scores already hold is not stored again: the id of the one
    /// stored is returned.
    pub async fn record_score(
        &self,
        access: &PatientAccess,
        s: &NewScore,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        if let Some(id) = self
            .sent_with_key(Keyed::Scores, access, &s.request_key)
            .await?
        {
            return Ok(id);
        }
        let mut tx = self.begin().await?;
        if let Some(old) = s.corrects {
            let found: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM scores x WHERE x.corrects = s.id) FROM scores s WHERE s.id = $1 AND s.patient_id = $2")
                .bind(old).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
            match found {
                Some((0,)) => {}
                Some(_) => return Err(StoreError::Stale),
                None => return Err(StoreError::NotFound),
            }
        }
        let inserted = on_tx!(tx, c => sqlx::query(
            "INSERT INTO scores (id, patient_id, instrument, observed_on, total, band, items, flags, note, corrects, authored_by, authored_at, reason, reported_by_patient, request_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
            .bind(id).bind(access.patient_id()).bind(&s.instrument).bind(jiff_sqlx::ToSqlx::to_sqlx(s.observed_on))
            .bind(s.total).bind(&s.band).bind(&s.items).bind(s.flags.join(",")).bind(&s.note).bind(s.corrects)
            .bind(author).bind(ts(now())).bind(&s.reason).bind(s.reported_by_patient).bind(&s.request_key)
            .execute(&mut *c).await.map(|r| r.rows_affected()));
        if let Err(e) = inserted {
            drop(tx);
            return self
                .sent_before(Keyed::Scores, access, &s.request_key, e)
                .await;
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every score of the patient, newest observation first, corrections marked.
    pub async fn scores(&self, access: &PatientAccess) -> Result<Vec<ScoreRecord>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE s.patient_id = $1 ORDER BY s.observed_on DESC, s.authored_at DESC"
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).fetch_all(p).await)?;
        Ok(records(rows))
    }

    /// Every score of every patient on an account's caseload, by patient, newest
    /// observation first, corrections marked: what the start page's worklists are made
    /// from. The caller has logged the caseload it shows ([`Store::caseload`]).
    pub async fn caseload_scores(&self, account: Uuid) -> Result<Vec<(Uuid, ScoreRecord)>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE s.patient_id IN (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)
             ORDER BY s.patient_id, s.observed_on DESC, s.authored_at DESC"
        ));
        let rows: Vec<PatientRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(account).fetch_all(p).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for one in rows.chunk_by(|a, b| a.patient_id == b.patient_id) {
            let patient = one[0].patient_id;
            let rows = one.iter().map(|r| r.row.clone()).collect();
            out.extend(records(rows).into_iter().map(|r| (patient, r)));
        }
        Ok(out)
    }
}

/// The columns of a score with its author's name.
const SELECT: &str =
    "SELECT s.patient_id, s.id, s.instrument, s.observed_on, s.total, s.band, s.items, s.flags, s.note, s.corrects,
            a.display_name AS author_name, s.authored_at, s.reason, s.reported_by_patient
     FROM scores s JOIN accounts a ON a.id = s.authored_by";

/// A score row with the patient it is about.
#[derive(sqlx::FromRow)]
struct PatientRow {
    patient_id: Uuid,
    #[sqlx(flatten)]
    row: Row,
}

/// One patient's score rows as records, each marked with the score that corrects it.
fn records(rows: Vec<Row>) -> Vec<ScoreRecord> {
    let corrections: Vec<(Uuid, Uuid)> = rows
        .iter()
        .filter_map(|r| r.corrects.map(|old| (old, r.id)))
        .collect();
    rows.into_iter()
        .map(|r| ScoreRecord {
            corrected_by: corrections
                .iter()
                .find(|(old, _)| *old == r.id)
                .map(|(_, new)| *new),
            id: r.id,
            instrument: r.instrument,
            observed_on: r.observed_on.to_jiff(),
            total: r.total,
            band: r.band,
            items: r.items,
            flags: r
                .flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            note: r.note,
            corrects: r.corrects,
            author_name: r.author_name,
            authored_at: r.authored_at.to_jiff(),
            reason: r.reason,
            reported_by_patient: r.reported_by_patient,
        })
        .collect()
}
