//! Notifications: a patient account's choice of how to be told that something is new
//! (append-only versions), and the queue of notices a worker sends. A notice names only
//! its kind; its words are made when it is sent, and carry no health data.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx, on_writer};
use crate::log_entry::NewEntry;
use crate::{Result, Store, now, ts};

/// How an account is to be told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NotificationSettings {
    /// The e-mail address, if given.
    pub email: Option<String>,
    /// Send notices by e-mail.
    pub by_email: bool,
    /// The mobile number, if given.
    pub mobile: Option<String>,
    /// Send notices by SMS.
    pub by_sms: bool,
}

/// A notice claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingNotice {
    /// Id.
    pub id: Uuid,
    /// What happened (a code the sender puts into words).
    pub kind: String,
    /// "email" or "sms".
    pub channel: String,
    /// Where to.
    pub address: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// A notice as the queue has it, for the patient's settings page and the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedNotice {
    /// What happened.
    pub kind: String,
    /// "email" or "sms".
    pub channel: String,
    /// Queued.
    pub created_at: Timestamp,
    /// Sent, if it has been.
    pub sent_at: Option<Timestamp>,
    /// Attempts so far.
    pub attempts: i64,
}

type SettingsRow = (Option<String>, bool, Option<String>, bool);
type ChosenRow = (Uuid, Option<String>, bool, Option<String>, bool);
type QueuedRow = (
    String,
    String,
    jiff_sqlx::Timestamp,
    Option<jiff_sqlx::Timestamp>,
    i64,
);

impl Store {
    /// The account's current settings (none set: nothing is sent).
    pub async fn notification_settings(&self, account: Uuid) -> Result<NotificationSettings> {
        let row: Option<SettingsRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT email, by_email, mobile, by_sms FROM notification_settings
              WHERE account_id = $1 ORDER BY version DESC LIMIT 1")
            .bind(account).fetch_optional(p).await)?;
        Ok(row
            .map(|(email, by_email, mobile, by_sms)| NotificationSettings {
                email,
                by_email,
                mobile,
                by_sms,
            })
            .unwrap_or_default())
    }

    /// Saves the patient account's settings as a new version, logged against the
    /// patient's record in the same transaction.
    pub async fn set_notification_settings(
        &self,
        access: &PatientAccess,
        account: Uuid,
        settings: &NotificationSettings,
        by: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let (last,): (Option<i64>,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT MAX(version) FROM notification_settings WHERE account_id = $1")
            .bind(account).fetch_one(&mut *c).await)?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO notification_settings
               (account_id, version, email, by_email, mobile, by_sms, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(account).bind(last.unwrap_or(0) + 1).bind(&settings.email)
            .bind(settings.by_email).bind(&settings.mobile).bind(settings.by_sms)
            .bind(by).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues a notice of `kind` for every active account of the patient, on every
    /// channel its current settings choose. A notice `about` one thing (a reminder of
    /// one round of a questionnaire) is queued once per account and channel, ever:
    /// queued again, it is passed by. Returns how many were queued.
    pub async fn queue_notices(
        &self,
        patient_id: Uuid,
        kind: &str,
        about: Option<&str>,
    ) -> Result<u64> {
        let chosen: Vec<ChosenRow> = on_pool!(self, p => sqlx::query_as(
                "SELECT s.account_id, s.email, s.by_email, s.mobile, s.by_sms
                   FROM notification_settings s
                   JOIN accounts a ON a.id = s.account_id
                  WHERE a.patient_id = $1 AND a.active
                    AND s.version = (SELECT MAX(x.version) FROM notification_settings x
                                      WHERE x.account_id = s.account_id)")
                .bind(patient_id).fetch_all(p).await)?;
        let at = ts(now());
        let mut queued = 0;
        let mut tx = self.begin().await?;
        for (account, email, by_email, mobile, by_sms) in chosen {
            let channels = [
                ("email", email.filter(|_| by_email)),
                ("sms", mobile.filter(|_| by_sms)),
            ];
            for (channel, address) in channels {
                let Some(address) = address else { continue };
                queued += on_tx!(tx, c => sqlx::query(
                    "INSERT INTO notification_outbox
                       (id, account_id, kind, channel, address, created_at, attempts, next_attempt_at, about)
                     VALUES ($1, $2, $3, $4, $5, $6, 0, $6, $7)
                     ON CONFLICT DO NOTHING")
                    .bind(Uuid::now_v7()).bind(account).bind(kind).bind(channel).bind(&address)
                    .bind(at).bind(about).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            }
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// The patient accounts a reminder may be for: active, with a channel chosen in
    /// their current settings, and with a questionnaire assigned to their patient.
    /// Returns (account, patient) pairs; reads no answers.
    pub async fn reminder_accounts(&self) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.patient_id
               FROM accounts a
               JOIN notification_settings s ON s.account_id = a.id
              WHERE a.active AND a.patient_id IS NOT NULL
                AND s.version = (SELECT MAX(x.version) FROM notification_settings x
                                  WHERE x.account_id = a.id)
                AND ((s.by_email AND s.email IS NOT NULL) OR (s.by_sms AND s.mobile IS NOT NULL))
                AND EXISTS (SELECT 1 FROM score_assignments sa
                             WHERE sa.patient_id = a.patient_id AND NOT sa.ended)
              ORDER BY a.id")
            .fetch_all(p).await)?)
    }

    /// Claims up to `limit` notices due at `at` for one sender: each is held until
    /// `lease_until` (another instance's worker passes it by) and its attempt counted.
    /// Only notices with fewer than `max_attempts` attempts are claimed.
    pub async fn claim_notices(
        &self,
        at: Timestamp,
        lease_until: Timestamp,
        max_attempts: i64,
        limit: i64,
    ) -> Result<Vec<PendingNotice>> {
        // The outer condition is checked again on the row as it is updated, so two
        // workers that chose the same row do not both claim it.
        let rows: Vec<PendingNotice> = on_writer!(self, p => sqlx::query_as(
            "UPDATE notification_outbox
                SET next_attempt_at = $2, attempts = attempts + 1
              WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $3
                AND id IN (SELECT id FROM notification_outbox
                            WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $3
                            ORDER BY created_at LIMIT $4)
             RETURNING id, kind, channel, address, attempts")
            .bind(ts(at)).bind(ts(lease_until)).bind(max_attempts).bind(limit)
            .fetch_all(p).await)?;
        Ok(rows)
    }

    /// Marks a notice sent.
    pub async fn notice_sent(&self, id: Uuid, at: Timestamp) -> Result<()> {
        on_writer!(self, p => sqlx::query(
            "UPDATE notification_outbox SET sent_at = $2, last_error = NULL WHERE id = $1")
            .bind(id).bind(ts(at)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records a failed attempt; the notice is tried again from `retry_at`.
    pub async fn notice_failed(&self, id: Uuid, error: &str, retry_at: Timestamp) -> Result<()> {
        on_writer!(self, p => sqlx::query(
            "UPDATE notification_outbox SET last_error = $2, next_attempt_at = $3 WHERE id = $1")
            .bind(id).bind(error).bind(ts(retry_at)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The account's latest notices, newest first.
    pub async fn notices_of(&self, account: Uuid, limit: i64) -> Result<Vec<QueuedNotice>> {
        let rows: Vec<QueuedRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT kind, channel, created_at, sent_at, attempts FROM notification_outbox
              WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(account).bind(limit).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(kind, channel, created_at, sent_at, attempts)| QueuedNotice {
                    kind,
                    channel,
                    created_at: created_at.to_jiff(),
                    sent_at: sent_at.map(|t| t.to_jiff()),
                    attempts,
                },
            )
            .collect())
    }
}
