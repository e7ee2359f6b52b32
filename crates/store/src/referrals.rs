//! Referrals from vårdcentraler and their triage decisions, append-only. A referral
//! registers its patient (in the triage queue) in the same transaction; a decision is a
//! new row and moves the patient between queues (accepted → waiting list; declined or
//! redirected → out of the unit's queues; a complement keeps them in triage). Listings
//! name patients, so they log every patient they list.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::{AccessBasis, Queue};
use uuid::Uuid;

use crate::access_log::{Action, NewEntry};
use crate::db::{on_pool, on_tx};
use crate::patients::{PatientAccess, PatientData, insert_patient};
use crate::{Result, Store, StoreError, now, ts};

/// A referral to register.
#[derive(Debug, Clone)]
pub struct NewReferral<'a> {
    /// The triage facts, JSON.
    pub facts: &'a str,
    /// Everything else the referrer wrote, JSON.
    pub details: &'a str,
    /// Who refers.
    pub referrer: Uuid,
    /// From which unit.
    pub unit: Option<Uuid>,
}

/// One decision on a referral.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// 1, 2, …
    pub seq: i64,
    /// The decision, JSON.
    pub decision: String,
    /// The reply to the referrer.
    pub reply: String,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: Timestamp,
}

/// A referral with its decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    /// Id.
    pub id: Uuid,
    /// The patient.
    pub patient_id: Uuid,
    /// The triage facts, JSON.
    pub facts: String,
    /// The rest, JSON.
    pub details: String,
    /// Who referred.
    pub referrer: String,
    /// From which unit.
    pub unit: Option<String>,
    /// When it came.
    pub received_at: Timestamp,
    /// Decisions, oldest first.
    pub decisions: Vec<Decision>,
}

/// A referral in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralSummary {
    /// Id.
    pub id: Uuid,
    /// The patient.
    pub patient_id: Uuid,
    /// Name as registered.
    pub name: String,
    /// From which unit.
    pub unit: Option<String>,
    /// When it came.
    pub received_at: Timestamp,
    /// The latest decision, JSON.
    pub decision: Option<String>,
    /// The latest reply.
    pub reply: Option<String>,
    /// The triage facts, JSON.
    pub facts: String,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    patient_id: Uuid,
    given_name: String,
    family_name: String,
    unit: Option<String>,
    received_at: jiff_sqlx::Timestamp,
    decision: Option<String>,
    reply: Option<String>,
    facts: String,
}

const SUMMARY: &str = "SELECT r.id, r.patient_id, v.given_name, v.family_name, u.name AS unit, r.received_at,
        (SELECT d.decision FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS decision,
        (SELECT d.reply FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS reply,
        r.facts
     FROM referrals r
     JOIN patients p ON p.id = r.patient_id
     JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
     LEFT JOIN units u ON u.id = r.referring_unit_id";

impl Store {
    /// Registers the patient in the triage queue and the referral, and logs both, in one
    /// transaction. Returns (referral, patient).
    pub async fn create_referral(
        &self,
        patient: &PatientData,
        r: &NewReferral<'_>,
        log: &NewEntry<'_>,
    ) -> Result<(Uuid, Uuid)> {
        let mut tx = self.begin().await?;
        let patient_id = insert_patient(
            &mut tx,
            patient,
            Some(Queue::Triage),
            r.referrer,
            "Remiss",
            log,
        )
        .await?;
        let id = Uuid::now_v7();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO referrals (id, patient_id, referrer_id, referring_unit_id, facts, details, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(patient_id).bind(r.referrer).bind(r.unit).bind(r.facts).bind(r.details).bind(ts(now()))
            .execute(&mut *c).await.map(|x| x.rows_affected()))?;
        tx.commit().await?;
        Ok((id, patient_id))
    }

    /// The referrals an account sent, newest first; the listing and every patient in it
    /// are logged before anything is returned.
    pub async fn referrals_sent_by(
        &self,
        referrer: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Vec<ReferralSummary>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE r.referrer_id = $1 ORDER BY r.received_at DESC"
        ));
        let rows: Vec<SummaryRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(referrer).fetch_all(p).await)?;
        self.log_listing(&rows, AccessBasis::OwnReferral, log)
            .await?;
        Ok(rows.into_iter().map(into_summary).collect())
    }

    /// Referrals waiting for triage (no decision, or a complement asked), oldest first;
    /// logged like every listing.
    pub async fn referral_inbox(&self, log: &NewEntry<'_>) -> Result<Vec<ReferralSummary>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE p.queue = 'triage' ORDER BY r.received_at"
        ));
        let rows: Vec<SummaryRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        self.log_listing(&rows, AccessBasis::Queue, log).await?;
        Ok(rows.into_iter().map(into_summary).collect())
    }

    async fn log_listing(
        &self,
        rows: &[SummaryRow],
        basis: AccessBasis,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.append_access_log(&NewEntry {
            detail: Some(format!("{} referrals", rows.len())),
            ..log.clone()
        })
        .await?;
        for r in rows {
            tx.append_access_log(&NewEntry {
                patient_id: Some(r.patient_id),
                action: Action::Listed,
                basis: Some(basis),
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await
    }

    /// The patient's latest referral with its decisions.
    pub async fn patient_referral(&self, access: &PatientAccess) -> Result<Option<Referral>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            facts: String,
            details: String,
            referrer: String,
            unit: Option<String>,
            received_at: jiff_sqlx::Timestamp,
        }
        let row: Option<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.facts, r.details, a.display_name AS referrer, u.name AS unit, r.received_at
             FROM referrals r JOIN accounts a ON a.id = r.referrer_id LEFT JOIN units u ON u.id = r.referring_unit_id
             WHERE r.patient_id = $1 ORDER BY r.received_at DESC LIMIT 1")
            .bind(access.patient_id()).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let decisions: Vec<(i64, String, String, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT d.seq, d.decision, d.reply, a.display_name, d.decided_at
             FROM referral_decisions d JOIN accounts a ON a.id = d.decided_by
             WHERE d.referral_id = $1 ORDER BY d.seq")
            .bind(row.id).fetch_all(p).await)?;
        Ok(Some(Referral {
            id: row.id,
            patient_id: access.patient_id(),
            facts: row.facts,
            details: row.details,
            referrer: row.referrer,
            unit: row.unit,
            received_at: row.received_at.to_jiff(),
            decisions: decisions
                .into_iter()
                .map(|(seq, decision, reply, decided_by, at)| Decision {
                    seq,
                    decision,
                    reply,
                    decided_by,
                    decided_at: at.to_jiff(),
                })
                .collect(),
        }))
    }

    /// Records a decision if `expected` decisions exist so far (a stale form changes
    /// nothing), moves the patient to `queue`, and logs it — one transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_referral(
        &self,
        access: &PatientAccess,
        referral: Uuid,
        expected: i64,
        decision: &str,
        reply: &str,
        decider: Uuid,
        queue: Option<Queue>,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (count, owner): (i64, Option<Uuid>) = on_tx!(tx, c => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM referral_decisions WHERE referral_id = $1),
                    (SELECT patient_id FROM referrals WHERE id = $1)")
            .bind(referral).fetch_one(&mut *c).await)?;
        if owner != Some(access.patient_id()) {
            return Err(StoreError::NotFound);
        }
        if count != expected {
            return Err(StoreError::Stale);
        }
        let seq = expected + 1;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO referral_decisions (referral_id, seq, decision, reply, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(referral).bind(seq).bind(decision).bind(reply).bind(decider).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("UPDATE patients SET queue = $1 WHERE id = $2")
            .bind(queue.map(Queue::code)).bind(access.patient_id())
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(seq)
    }
}

fn into_summary(r: SummaryRow) -> ReferralSummary {
    ReferralSummary {
        id: r.id,
        patient_id: r.patient_id,
        name: format!("{} {}", r.given_name, r.family_name),
        unit: r.unit,
        received_at: r.received_at.to_jiff(),
        decision: r.decision,
        reply: r.reply,
        facts: r.facts,
    }
}
