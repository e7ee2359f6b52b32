//! Emergency access (*nödåtkomst*): opening a record outside the care relationship, with
//! a reason, for a limited time, flagged for an auditor's review.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// An emergency access as the review queue shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EmergencyAccess {
    /// Id.
    pub id: Uuid,
    /// Who took it.
    pub account_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Role acted in.
    pub role: String,
    /// Which patient.
    pub patient_id: Uuid,
    /// The patient's current identity number (twelve digits).
    pub patient_identity: String,
    /// The stated reason.
    pub reason: String,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ends.
    pub expires_at: Timestamp,
    /// Reviewer, once reviewed.
    pub reviewed_by_name: Option<String>,
    /// When reviewed.
    pub reviewed_at: Option<Timestamp>,
    /// The reviewer's note.
    pub review_note: Option<String>,
    /// The reviewer's judgement: justified or not.
    pub review_justified: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Uuid,
    display_name: String,
    role: String,
    patient_id: Uuid,
    patient_identity: String,
    reason: String,
    started_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
    reviewed_by_name: Option<String>,
    reviewed_at: Option<jiff_sqlx::Timestamp>,
    review_note: Option<String>,
    review_justified: Option<bool>,
}

impl From<Row> for EmergencyAccess {
    fn from(r: Row) -> Self {
        EmergencyAccess {
            id: r.id,
            account_id: r.account_id,
            display_name: r.display_name,
            role: r.role,
            patient_id: r.patient_id,
            patient_identity: r.patient_identity,
            reason: r.reason,
            started_at: r.started_at.to_jiff(),
            expires_at: r.expires_at.to_jiff(),
            reviewed_by_name: r.reviewed_by_name,
            reviewed_at: r.reviewed_at.map(|t| t.to_jiff()),
            review_note: r.review_note,
            review_justified: r.review_justified,
        }
    }
}

const SELECT: &str = "SELECT e.id, e.account_id, a.display_name, e.role, e.patient_id, pv.personal_identity AS patient_identity, e.reason, e.started_at, e.expires_at,
        r.display_name AS reviewed_by_name, e.reviewed_at, e.review_note, e.review_justified
     FROM emergency_accesses e JOIN accounts a ON a.id = e.account_id LEFT JOIN accounts r ON r.id = e.reviewed_by
     JOIN patients p ON p.id = e.patient_id
     JOIN patient_versions pv ON pv.patient_id = p.id AND pv.version = p.current_version";

impl Store {
    /// Opens an emergency access and logs it (flagged) in one transaction.
    pub async fn open_emergency_access(
        &self,
        account_id: Uuid,
        patient_id: Uuid,
        role: &str,
        reason: &str,
        expires_at: Timestamp,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO emergency_accesses (id, account_id, patient_id, role, reason, started_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(account_id).bind(patient_id).bind(role).bind(reason).bind(ts(now())).bind(ts(expires_at))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_access_log(&NewEntry {
            patient_id: Some(patient_id),
            emergency_access_id: Some(id),
            flagged: true,
            ..log.clone()
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Emergency accesses, unreviewed first, newest first.
    pub async fn emergency_accesses(
        &self,
        unreviewed_only: bool,
        limit: i64,
    ) -> Result<Vec<EmergencyAccess>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE ($1 = FALSE OR e.reviewed_at IS NULL) ORDER BY (e.reviewed_at IS NULL) DESC, e.started_at DESC LIMIT $2"
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql).bind(unreviewed_only).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The emergency accesses to one patient's record, newest first: for the patient's own
    /// log page (the patient's own access, logged by the caller).
    pub async fn emergency_accesses_of(
        &self,
        access: &PatientAccess,
    ) -> Result<Vec<EmergencyAccess>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE e.patient_id = $1 ORDER BY e.started_at DESC LIMIT 500"
        ));
        let rows: Vec<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(access.patient_id()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One emergency access.
    pub async fn emergency_access(&self, id: Uuid) -> Result<Option<EmergencyAccess>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.id = $1"));
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
        Ok(row.map(Into::into))
    }

    /// Signs off a review. A review already signed is not overwritten ([`StoreError::Stale`]).
    pub async fn review_emergency_access(
        &self,
        id: Uuid,
        reviewer: Uuid,
        justified: bool,
        note: &str,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let r = on_tx!(tx, c => sqlx::query(
            "UPDATE emergency_accesses SET reviewed_by = $1, reviewed_at = $2, review_note = $3, review_justified = $4 WHERE id = $5 AND reviewed_at IS NULL")
            .bind(reviewer).bind(ts(now())).bind(note).bind(justified).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if r == 0 {
            return Err(StoreError::Stale);
        }
        tx.append_access_log(&NewEntry {
            emergency_access_id: Some(id),
            ..log.clone()
        })
        .await?;
        tx.commit().await
    }
}
