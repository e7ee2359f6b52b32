//! Referrals from vårdcentraler and their triage decisions, append-only. A referral
//! registers its patient (in the triage queue) in the same transaction; a decision is a
//! new row and moves the patient between queues (accepted → waiting list; declined or
//! redirected → out of the unit's queues; a complement keeps them in triage, and the
//! referrer's answer is a new row too). Listings name patients, so they log every
//! patient they list.
//!
//! A self-referral comes from the public form, without an account: it is authored by
//! [`SELF_REFERRAL_ACCOUNT`], an account that has no password and cannot sign in, so
//! every record still names its author.
//!
//! A referral for a person already registered is received exactly like any other — the
//! referrer cannot tell the difference — but it does not overwrite the identity data
//! (the names and contact the referrer typed are kept with the referral, `as_sent`): a
//! person who is neither waiting nor in care is triaged again (a new episode), and for a
//! person waiting or in care the referral is kept off the path (`path = false`), for
//! the care team to see, its creation flagged in the log.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::{AccessBasis, Queue};
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx, on_writer};
use crate::log_entry::{Action, NewEntry};
use crate::patients::insert_patient;
use crate::record::PatientData;
use crate::{Result, Store, StoreError, now, ts};

/// The account that authors self-referrals from the public form. It has no usable
/// password hash and is inactive: nobody signs in as it.
pub const SELF_REFERRAL_ACCOUNT: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_5e1f_0000_0001);

/// The access-log resource of a self-referral, counted for rate limiting.
pub const SELF_REFERRAL_RESOURCE: &str = "self_referral";

/// A referral kept off the path: it arrived while the patient was waiting or in care.
#[derive(Debug, Clone, Serialize)]
pub struct OffPath {
    /// The referral.
    pub id: Uuid,
    /// Who referred.
    pub referrer: String,
    /// From which unit.
    pub unit: Option<String>,
    /// When it came.
    pub received_at: Timestamp,
    /// From the public form.
    pub self_referral: bool,
}

/// The details of a referral for a registered identity, with the identity as the
/// referrer typed it (shown back to the referrer; the record keeps its own).
fn with_as_sent(details: &str, p: &PatientData) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(details).unwrap_or_else(|_| serde_json::json!({}));
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "as_sent".into(),
            serde_json::json!({
                "personal_identity": p.personal_identity.to_string(),
                "given_name": p.given_name,
                "family_name": p.family_name,
                "phone": p.phone,
                "email": p.email,
            }),
        );
    }
    v.to_string()
}

/// The identity number a referrer typed, if the referral keeps it.
pub fn identity_as_sent(details: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    Some(
        v.get("as_sent")?
            .get("personal_identity")?
            .as_str()?
            .to_owned(),
    )
}

/// The name a referrer typed, if the referral keeps it (a registered identity).
pub fn name_as_sent(details: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    let s = v.get("as_sent")?;
    Some(format!(
        "{} {}",
        s.get("given_name")?.as_str()?,
        s.get("family_name")?.as_str()?
    ))
}

/// The referrer's answer to a complement request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complement {
    /// 1, 2, …
    pub seq: i64,
    /// What they wrote.
    pub answer: String,
    /// Updated triage facts, JSON, if the answer changed them.
    pub facts: Option<String>,
    /// Who answered.
    pub answered_by: String,
    /// When.
    pub answered_at: Timestamp,
}

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
    /// Their account.
    pub referrer_id: Uuid,
    /// From which unit.
    pub unit: Option<String>,
    /// When it came.
    pub received_at: Timestamp,
    /// Decisions, oldest first.
    pub decisions: Vec<Decision>,
    /// The referrer's answers to complement requests, oldest first.
    pub complements: Vec<Complement>,
}

impl Referral {
    /// A self-referral from the public form.
    pub fn is_self_referral(&self) -> bool {
        self.referrer_id == SELF_REFERRAL_ACCOUNT
    }

    /// The facts as they stand: the latest complement's, else the referral's.
    pub fn current_facts(&self) -> &str {
        self.complements
            .iter()
            .rev()
            .find_map(|c| c.facts.as_deref())
            .unwrap_or(&self.facts)
    }

    /// Whether the latest decision asks for a complement that has not come yet.
    pub fn awaiting_complement(&self) -> bool {
        awaiting(
            self.decisions
                .last()
                .map(|d| (d.decision.as_str(), d.decided_at)),
            self.complements.last().map(|c| c.answered_at),
        )
    }
}

/// Whether a stored decision (triage's JSON) asks for a complement. The SQL of the
/// waiting list asks the same with `LIKE '%"complement"%'`.
pub(crate) fn is_complement(decision: &str) -> bool {
    decision.contains("\"complement\"")
}

/// Whether a complement is awaited, from the latest decision and the latest answer.
fn awaiting(last_decision: Option<(&str, Timestamp)>, last_answer: Option<Timestamp>) -> bool {
    match last_decision {
        Some((d, at)) if is_complement(d) => last_answer.is_none_or(|a| a < at),
        _ => false,
    }
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
    /// Identity number (twelve digits with a hyphen): as the referrer typed it in their
    /// own list, the record's in the triage inbox.
    pub personal_identity: String,
    /// From which unit.
    pub unit: Option<String>,
    /// When it came.
    pub received_at: Timestamp,
    /// The latest decision, JSON.
    pub decision: Option<String>,
    /// The latest reply.
    pub reply: Option<String>,
    /// The triage facts as they stand (after any complement), JSON.
    pub facts: String,
    /// A complement was asked for and has not come.
    pub awaiting_complement: bool,
    /// A complement came after the latest decision: triage again.
    pub complemented: bool,
    /// A self-referral.
    pub self_referral: bool,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    patient_id: Uuid,
    given_name: String,
    family_name: String,
    personal_identity: String,
    unit: Option<String>,
    received_at: jiff_sqlx::Timestamp,
    decision: Option<String>,
    reply: Option<String>,
    facts: String,
    decided_at: Option<jiff_sqlx::Timestamp>,
    answered_at: Option<jiff_sqlx::Timestamp>,
    complement_facts: Option<String>,
    referrer_id: Uuid,
    details: String,
}

const SUMMARY: &str = "SELECT r.id, r.patient_id, v.given_name, v.family_name, v.personal_identity, u.name AS unit, r.received_at,
        (SELECT d.decision FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS decision,
        (SELECT d.reply FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS reply,
        r.facts,
        (SELECT d.decided_at FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS decided_at,
        (SELECT c.answered_at FROM referral_complements c WHERE c.referral_id = r.id ORDER BY c.seq DESC LIMIT 1) AS answered_at,
        (SELECT c.facts FROM referral_complements c WHERE c.referral_id = r.id AND c.facts IS NOT NULL ORDER BY c.seq DESC LIMIT 1) AS complement_facts,
        r.referrer_id, r.details
     FROM referrals r
     JOIN patients p ON p.id = r.patient_id
     JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
     LEFT JOIN units u ON u.id = r.referring_unit_id";

/// How a referral was received (never shown to the referrer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A new patient, registered in the triage queue.
    NewPatient,
    /// A registered person in no queue and no care: triaged again.
    ReReferral,
    /// A registered person waiting or in care: kept off the path, for the care team.
    AlreadyInCare,
}

impl Store {
    /// Receives a referral and logs it, in one transaction: a new patient is registered
    /// in the triage queue; for a registered identity see the module documentation.
    /// Returns (referral, patient, how it was received).
    pub async fn create_referral(
        &self,
        patient: &PatientData,
        r: &NewReferral<'_>,
        log: &NewEntry<'_>,
    ) -> Result<(Uuid, Uuid, Received)> {
        let mut tx = self.begin().await?;
        let known: Option<(Uuid, Option<String>, bool)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT p.id, p.queue,
                    EXISTS (SELECT 1 FROM care_team_members m WHERE m.patient_id = p.id AND m.ended_at IS NULL)
             FROM patients p JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             WHERE v.personal_identity = $1 LIMIT 1")
            .bind(patient.personal_identity.canonical()).fetch_optional(&mut *c).await)?;
        let (patient_id, received, details) = match known {
            None => {
                let id = insert_patient(
                    &mut tx,
                    patient,
                    Some(Queue::Triage),
                    r.referrer,
                    "Remiss",
                    log,
                )
                .await?;
                (id, Received::NewPatient, r.details.to_owned())
            }
            Some((id, queue, in_care)) => {
                let received = if queue.is_none() && !in_care {
                    on_tx!(tx, c => sqlx::query("UPDATE patients SET queue = 'triage' WHERE id = $1")
                        .bind(id).execute(&mut *c).await.map(|x| x.rows_affected()))?;
                    Received::ReReferral
                } else {
                    Received::AlreadyInCare
                };
                tx.append_access_log(&NewEntry {
                    patient_id: Some(id),
                    flagged: true,
                    detail: Some(match received {
                        Received::ReReferral => "registered identity: triaged again".into(),
                        _ => "registered identity: waiting or in care".into(),
                    }),
                    ..log.clone()
                })
                .await?;
                (id, received, with_as_sent(r.details, patient))
            }
        };
        let id = Uuid::now_v7();
        let path = received != Received::AlreadyInCare;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO referrals (id, patient_id, referrer_id, referring_unit_id, facts, details, received_at, path)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(patient_id).bind(r.referrer).bind(r.unit).bind(r.facts).bind(&details).bind(ts(now())).bind(path)
            .execute(&mut *c).await.map(|x| x.rows_affected()))?;
        tx.commit().await?;
        Ok((id, patient_id, received))
    }

    /// The referrals about a patient that arrived while they were waiting or in care
    /// (kept off the path), newest first.
    pub async fn referrals_off_path(&self, access: &PatientAccess) -> Result<Vec<OffPath>> {
        let rows: Vec<(Uuid, String, Option<String>, jiff_sqlx::Timestamp, bool)> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, a.display_name, u.name, r.received_at, r.referrer_id = $2
             FROM referrals r JOIN accounts a ON a.id = r.referrer_id LEFT JOIN units u ON u.id = r.referring_unit_id
             WHERE r.patient_id = $1 AND NOT r.path ORDER BY r.received_at DESC")
            .bind(access.patient_id()).bind(SELF_REFERRAL_ACCOUNT).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, referrer, unit, at, self_referral)| OffPath {
                id,
                referrer,
                unit,
                received_at: at.to_jiff(),
                self_referral,
            })
            .collect())
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
        Ok(rows.into_iter().map(|r| into_summary(r, true)).collect())
    }

    /// Referrals waiting for triage (no decision, or a complement asked), oldest first;
    /// logged like every listing.
    pub async fn referral_inbox(&self, log: &NewEntry<'_>) -> Result<Vec<ReferralSummary>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE p.queue = 'triage' AND r.path
               AND r.received_at = (SELECT MAX(r2.received_at) FROM referrals r2 WHERE r2.patient_id = p.id AND r2.path)
             ORDER BY r.received_at"
        ));
        let rows: Vec<SummaryRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        self.log_listing(&rows, AccessBasis::Queue, log).await?;
        Ok(rows.into_iter().map(|r| into_summary(r, false)).collect())
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

    /// Whose referral this is: (patient, referrer). Reads no patient data; callers log
    /// the access they grant on it.
    pub async fn referral_owner(&self, referral: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT patient_id, referrer_id FROM referrals WHERE id = $1")
            .bind(referral).fetch_optional(p).await)?)
    }

    /// The patient's latest referral on the path, with its decisions.
    pub async fn patient_referral(&self, access: &PatientAccess) -> Result<Option<Referral>> {
        self.load_referral(access, None).await
    }

    /// One of the patient's referrals by its id (on the path or not).
    pub async fn referral_of(
        &self,
        access: &PatientAccess,
        referral: Uuid,
    ) -> Result<Option<Referral>> {
        self.load_referral(access, Some(referral)).await
    }

    async fn load_referral(
        &self,
        access: &PatientAccess,
        referral: Option<Uuid>,
    ) -> Result<Option<Referral>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            facts: String,
            details: String,
            referrer: String,
            referrer_id: Uuid,
            unit: Option<String>,
            received_at: jiff_sqlx::Timestamp,
        }
        let row: Option<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.facts, r.details, a.display_name AS referrer, r.referrer_id, u.name AS unit, r.received_at
             FROM referrals r JOIN accounts a ON a.id = r.referrer_id LEFT JOIN units u ON u.id = r.referring_unit_id
             WHERE r.patient_id = $1 AND (($2 IS NULL AND r.path) OR r.id = $2)
             ORDER BY r.received_at DESC LIMIT 1")
            .bind(access.patient_id()).bind(referral).fetch_optional(p).await)?;
        let Some(row) = row else { return Ok(None) };
        let decisions: Vec<(i64, String, String, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT d.seq, d.decision, d.reply, a.display_name, d.decided_at
             FROM referral_decisions d JOIN accounts a ON a.id = d.decided_by
             WHERE d.referral_id = $1 ORDER BY d.seq")
            .bind(row.id).fetch_all(p).await)?;
        let complements: Vec<(i64, String, Option<String>, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.seq, c.answer, c.facts, a.display_name, c.answered_at
             FROM referral_complements c JOIN accounts a ON a.id = c.answered_by
             WHERE c.referral_id = $1 ORDER BY c.seq")
            .bind(row.id).fetch_all(p).await)?;
        Ok(Some(Referral {
            id: row.id,
            patient_id: access.patient_id(),
            facts: row.facts,
            details: row.details,
            referrer: row.referrer,
            referrer_id: row.referrer_id,
            complements: complements
                .into_iter()
                .map(|(seq, answer, facts, answered_by, at)| Complement {
                    seq,
                    answer,
                    facts,
                    answered_by,
                    answered_at: at.to_jiff(),
                })
                .collect(),
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
        // A decision moves the patient out of the triage queue, and only out of it: a
        // patient in treatment is never put back in a queue (which would open the
        // record to the whole triage team).
        let moved = on_tx!(tx, c => sqlx::query("UPDATE patients SET queue = $1 WHERE id = $2 AND queue = 'triage'")
            .bind(queue.map(Queue::code)).bind(access.patient_id())
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if moved == 0 {
            return Err(StoreError::Refused(
                "the patient is not in the triage queue",
            ));
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(seq)
    }
}

impl Store {
    /// Creates the self-referral author if it is missing (run after migrations).
    pub(crate) async fn ensure_self_referral_account(&self) -> Result<()> {
        on_writer!(self, p => sqlx::query(
            "INSERT INTO accounts (id, username, display_name, profession, password_hash, active, version, created_at, updated_at)
             VALUES ($1, 'egenremiss', 'Egenremiss (webbformulär)', NULL, '!', FALSE, 1, $2, $2)
             ON CONFLICT (id) DO NOTHING")
            .bind(SELF_REFERRAL_ACCOUNT).bind(ts(now())).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Self-referrals logged from a client address since `since`: the public form's
    /// rate limit reads it, and it survives restarts.
    pub async fn self_referrals_since(
        &self,
        client_ip: Option<&str>,
        since: Timestamp,
    ) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM access_log WHERE resource = $1 AND at >= $2 AND ($3 IS NULL OR client_ip = $3)")
            .bind(SELF_REFERRAL_RESOURCE).bind(ts(since)).bind(client_ip).fetch_one(p).await)?;
        Ok(n)
    }

    /// How many referrals wait in triage: (all, with a complement just in). Counts only,
    /// no identities, for the start page.
    pub async fn referral_inbox_counts(&self) -> Result<(i64, i64)> {
        let (all, complemented): (i64, i64) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN EXISTS (
                        SELECT 1 FROM referral_complements c WHERE c.referral_id = r.id
                          AND c.answered_at >= COALESCE((SELECT MAX(d.decided_at) FROM referral_decisions d WHERE d.referral_id = r.id), c.answered_at)
                    ) THEN 1 ELSE 0 END), 0)
             FROM referrals r JOIN patients p ON p.id = r.patient_id
             WHERE p.queue = 'triage' AND r.path
               AND r.received_at = (SELECT MAX(r2.received_at) FROM referrals r2 WHERE r2.patient_id = p.id AND r2.path)")
            .fetch_one(p).await)?;
        Ok((all, complemented))
    }

    /// The waiting list's clock timelines and first-visit bookings, without identities:
    /// the start page counts warnings and breaches from them. Nothing names a patient,
    /// so nothing is logged.
    pub async fn waiting_timelines(&self) -> Result<Vec<(ReferralTimeline, Option<Timestamp>)>> {
        Ok(self
            .waiting_rows()
            .await?
            .into_iter()
            .map(|e| (e.timeline, e.booked))
            .collect())
    }

    /// Everyone on the waiting list with their latest referral's timeline — three
    /// statements whatever the list's length. Callers that show names log them.
    async fn waiting_rows(&self) -> Result<Vec<WaitingEntry>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            patient_id: Uuid,
            given_name: String,
            family_name: String,
            home_unit: Option<String>,
            referral_id: Uuid,
            received_at: jiff_sqlx::Timestamp,
            decision: Option<String>,
            booked: Option<jiff_sqlx::Timestamp>,
        }
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id AS patient_id, v.given_name, v.family_name, u.name AS home_unit, r.id AS referral_id, r.received_at,
                    (SELECT d.decision FROM referral_decisions d WHERE d.referral_id = r.id ORDER BY d.seq DESC LIMIT 1) AS decision,
                    (SELECT MIN(av.starts_at) FROM appointments a JOIN appointment_versions av ON av.appointment_id = a.id
                      AND av.version = (SELECT MAX(x.version) FROM appointment_versions x WHERE x.appointment_id = a.id)
                     WHERE a.patient_id = p.id AND av.kind = 'assessment' AND av.status = 'booked') AS booked
             FROM patients p
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             LEFT JOIN units u ON u.id = v.home_unit_id
             JOIN referrals r ON r.patient_id = p.id AND r.path
              AND r.received_at = (SELECT MAX(r2.received_at) FROM referrals r2 WHERE r2.patient_id = p.id AND r2.path)
             WHERE p.queue = 'waiting'
             ORDER BY r.received_at")
            .fetch_all(p).await)?;
        // The complement requests and answers of every waiting patient's referrals, at once.
        let asked: Vec<(Uuid, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT d.referral_id, d.decided_at FROM referral_decisions d
             JOIN referrals r ON r.id = d.referral_id JOIN patients p ON p.id = r.patient_id
             WHERE p.queue = 'waiting' AND d.decision LIKE '%\"complement\"%' ORDER BY d.seq")
            .fetch_all(p).await)?;
        let answered: Vec<(Uuid, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.referral_id, c.answered_at FROM referral_complements c
             JOIN referrals r ON r.id = c.referral_id JOIN patients p ON p.id = r.patient_id
             WHERE p.queue = 'waiting' ORDER BY c.seq")
            .fetch_all(p).await)?;
        let of = |list: &[(Uuid, jiff_sqlx::Timestamp)], referral: Uuid| -> Vec<Timestamp> {
            list.iter()
                .filter(|(r, _)| *r == referral)
                .map(|(_, t)| t.to_jiff())
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|r| WaitingEntry {
                patient_id: r.patient_id,
                name: format!("{} {}", r.given_name, r.family_name),
                home_unit: r.home_unit,
                timeline: ReferralTimeline {
                    received_at: r.received_at.to_jiff(),
                    complement_asked: of(&asked, r.referral_id),
                    complement_answered: of(&answered, r.referral_id),
                },
                decision: r.decision,
                booked: r.booked.map(|t| t.to_jiff()),
            })
            .collect())
    }

    /// Records the referrer's answer to a complement request if `expected` answers exist
    /// so far and a complement is awaited; logged, in one transaction. `facts` replaces
    /// the triage facts when the answer changes them.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_complement(
        &self,
        access: &PatientAccess,
        referral: Uuid,
        expected: i64,
        answer: &str,
        facts: Option<&str>,
        by: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        #[derive(sqlx::FromRow)]
        struct State {
            owner: Option<Uuid>,
            answers: i64,
            decision: Option<String>,
            decided_at: Option<jiff_sqlx::Timestamp>,
            answered_at: Option<jiff_sqlx::Timestamp>,
        }
        let st: State = on_tx!(tx, c => sqlx::query_as(
            "SELECT (SELECT patient_id FROM referrals WHERE id = $1) AS owner,
                    (SELECT COUNT(*) FROM referral_complements WHERE referral_id = $1) AS answers,
                    (SELECT decision FROM referral_decisions WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1) AS decision,
                    (SELECT decided_at FROM referral_decisions WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1) AS decided_at,
                    (SELECT answered_at FROM referral_complements WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1) AS answered_at")
            .bind(referral).fetch_one(&mut *c).await)?;
        if st.owner != Some(access.patient_id()) {
            return Err(StoreError::NotFound);
        }
        if st.answers != expected {
            return Err(StoreError::Stale);
        }
        let decided = st.decided_at.map(|t| t.to_jiff());
        if !awaiting(
            st.decision.as_deref().zip(decided),
            st.answered_at.map(|t| t.to_jiff()),
        ) {
            return Err(StoreError::Refused("no_complement_awaited"));
        }
        let seq = expected + 1;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO referral_complements (referral_id, seq, answer, facts, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(referral).bind(seq).bind(answer).bind(facts).bind(by).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// The waiting list: accepted patients not yet assessed, with what the vårdgaranti
    /// clock and the priority need. The listing and every patient in it are logged.
    pub async fn waiting_list(&self, log: &NewEntry<'_>) -> Result<Vec<WaitingEntry>> {
        let entries = self.waiting_rows().await?;
        let mut tx = self.begin().await?;
        tx.append_access_log(&NewEntry {
            detail: Some(format!("{} waiting", entries.len())),
            ..log.clone()
        })
        .await?;
        for e in &entries {
            tx.append_access_log(&NewEntry {
                patient_id: Some(e.patient_id),
                action: Action::Listed,
                basis: Some(AccessBasis::Queue),
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(entries)
    }
}

/// When a referral came and when the clock stood still for a complement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralTimeline {
    /// Arrival.
    pub received_at: Timestamp,
    /// When complements were asked for.
    pub complement_asked: Vec<Timestamp>,
    /// When they came.
    pub complement_answered: Vec<Timestamp>,
}

impl Referral {
    /// The referral's timeline for the vårdgaranti clock.
    pub fn timeline(&self) -> ReferralTimeline {
        ReferralTimeline {
            received_at: self.received_at,
            complement_asked: self
                .decisions
                .iter()
                .filter(|d| is_complement(&d.decision))
                .map(|d| d.decided_at)
                .collect(),
            complement_answered: self.complements.iter().map(|c| c.answered_at).collect(),
        }
    }
}

/// A patient on the waiting list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitingEntry {
    /// The patient.
    pub patient_id: Uuid,
    /// Name.
    pub name: String,
    /// Their vårdcentral.
    pub home_unit: Option<String>,
    /// For the clock.
    pub timeline: ReferralTimeline,
    /// The acceptance, JSON (with the priority).
    pub decision: Option<String>,
    /// The first assessment's booked start, if booked.
    pub booked: Option<Timestamp>,
}

/// A summary row as listed; `as_sent` lists a registered identity as the referrer typed
/// it (their own list), not as the record has it (the triage team's).
fn into_summary(r: SummaryRow, as_sent: bool) -> ReferralSummary {
    let decided_at = r.decided_at.map(|t| t.to_jiff());
    let answered_at = r.answered_at.map(|t| t.to_jiff());
    ReferralSummary {
        awaiting_complement: awaiting(r.decision.as_deref().zip(decided_at), answered_at),
        complemented: matches!((answered_at, decided_at), (Some(a), Some(d)) if a >= d),
        self_referral: r.referrer_id == SELF_REFERRAL_ACCOUNT,
        id: r.id,
        patient_id: r.patient_id,
        // A registered identity is listed to its referrer as they sent it, so their list
        // never shows the record's (perhaps newer, perhaps protected) name.
        name: as_sent
            .then(|| name_as_sent(&r.details))
            .flatten()
            .unwrap_or_else(|| format!("{} {}", r.given_name, r.family_name)),
        personal_identity: as_sent
            .then(|| identity_as_sent(&r.details))
            .flatten()
            .unwrap_or_else(|| {
                trappa_ident::PersonalIdentity::try_from(r.personal_identity.clone())
                    .map_or(r.personal_identity, |p| p.to_string())
            }),
        unit: r.unit,
        received_at: r.received_at.to_jiff(),
        decision: r.decision,
        reply: r.reply,
        facts: r.complement_facts.unwrap_or(r.facts),
    }
}
