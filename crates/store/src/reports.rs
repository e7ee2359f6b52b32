//! What the patient reports between visits, append-only: the instruments the care team
//! assigns ([`Assignment`]), the daily diary ([`DiaryEntry`]), and the care team's mark
//! that it has read the reports. The patient's self-rated scores themselves are scores
//! ([`crate::scores`]) marked as reported by the patient.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// An instrument to assign.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssignment {
    /// Instrument id ("bwsq").
    pub instrument: String,
    /// "before_step" or "every_days".
    pub rhythm: String,
    /// For "every_days".
    pub every_days: Option<i64>,
    /// The first day it may be due.
    pub starts_on: Date,
    /// The clinician's moderate cut-off, where the instrument has no official bands.
    pub moderate_from: Option<f64>,
    /// The clinician's severe cut-off.
    pub severe_from: Option<f64>,
    /// Why.
    pub reason: String,
}

/// An assignment in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Id.
    pub id: Uuid,
    /// Instrument id.
    pub instrument: String,
    /// "before_step" or "every_days".
    pub rhythm: String,
    /// For "every_days".
    pub every_days: Option<i64>,
    /// The first day it may be due.
    pub starts_on: Date,
    /// The clinician's moderate cut-off.
    pub moderate_from: Option<f64>,
    /// The clinician's severe cut-off.
    pub severe_from: Option<f64>,
    /// Who assigned it.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
}

/// A diary entry to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDiaryEntry {
    /// The day it describes.
    pub day: Date,
    /// "as_planned", "less", "more" or "unsure".
    pub dose_taken: String,
    /// Sleep, 0 (very bad) to 10 (very good).
    pub sleep: Option<i32>,
    /// Anxiety, 0 (none) to 10 (worst).
    pub anxiety: Option<i32>,
    /// Pain, 0 (none) to 10 (worst).
    pub pain: Option<i32>,
    /// Flag codes ("seizure", "patient_asks_pause" …).
    pub flags: Vec<String>,
    /// Free text.
    pub note: String,
    /// The key of the form that sent it (see [`crate::scores::NewScore::request_key`]).
    pub request_key: Option<String>,
}

/// A recorded diary entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiaryEntry {
    /// Id.
    pub id: Uuid,
    /// The day it describes.
    pub day: Date,
    /// "as_planned", "less", "more" or "unsure".
    pub dose_taken: String,
    /// Sleep, 0–10.
    pub sleep: Option<i32>,
    /// Anxiety, 0–10.
    pub anxiety: Option<i32>,
    /// Pain, 0–10.
    pub pain: Option<i32>,
    /// Flag codes.
    pub flags: Vec<String>,
    /// Free text.
    pub note: String,
    /// When it was sent.
    pub authored_at: Timestamp,
}

/// What a care team has not yet read from one patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unread {
    /// The patient.
    pub patient_id: Uuid,
    /// Self-rated scores and diary entries sent since the last reading.
    pub reports: i64,
    /// The oldest of them.
    pub oldest: Timestamp,
}

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: Uuid,
    instrument: String,
    rhythm: String,
    every_days: Option<i64>,
    starts_on: jiff_sqlx::Date,
    moderate_from: Option<f64>,
    severe_from: Option<f64>,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct DiaryRow {
    patient_id: Uuid,
    id: Uuid,
    day: jiff_sqlx::Date,
    dose_taken: String,
    sleep: Option<i32>,
    anxiety: Option<i32>,
    pain: Option<i32>,
    flags: String,
    note: String,
    authored_at: jiff_sqlx::Timestamp,
}

impl From<DiaryRow> for DiaryEntry {
    fn from(r: DiaryRow) -> Self {
        DiaryEntry {
            id: r.id,
            day: r.day.to_jiff(),
            dose_taken: r.dose_taken,
            sleep: r.sleep,
            anxiety: r.anxiety,
            pain: r.pain,
            flags: r
                .flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            note: r.note,
            authored_at: r.authored_at.to_jiff(),
        }
    }
}

/// A table whose rows carry the request key of the form that sent them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Keyed {
    /// `scores`.
    Scores,
    /// `diary_entries`.
    Diary,
}

impl Keyed {
    fn query(self) -> &'static str {
        match self {
            Keyed::Scores => "SELECT id FROM scores WHERE patient_id = $1 AND request_key = $2",
            Keyed::Diary => {
                "SELECT id FROM diary_entries WHERE patient_id = $1 AND request_key = $2"
            }
        }
    }
}

const DIARY_SELECT: &str = "SELECT patient_id, id, day, dose_taken, sleep, anxiety, pain, flags, note, authored_at FROM diary_entries";

impl Store {
    /// The row the patient already sent with this request key, if any: a second send of
    /// one form (a double tap, a reload) is the same answer, stored once.
    pub(crate) async fn sent_with_key(
        &self,
        table: Keyed,
        access: &PatientAccess,
        key: &Option<String>,
    ) -> Result<Option<Uuid>> {
        let Some(key) = key else { return Ok(None) };
        let found: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(table.query())
            .bind(access.patient_id()).bind(key).fetch_optional(p).await)?;
        Ok(found.map(|(id,)| id))
    }

    /// After an insert failed: a second send that raced the first past
    /// [`Store::sent_with_key`] breaks the unique request key, and gets the first
    /// row's id; any other failure is returned.
    pub(crate) async fn sent_before(
        &self,
        table: Keyed,
        access: &PatientAccess,
        key: &Option<String>,
        e: sqlx::Error,
    ) -> Result<Uuid> {
        match StoreError::unique(e, "request_key") {
            StoreError::Duplicate(_) => self
                .sent_with_key(table, access, key)
                .await?
                .ok_or(StoreError::NotFound),
            other => Err(other),
        }
    }

    /// Assigns an instrument and logs it in the same transaction.
    pub async fn assign_instrument(
        &self,
        access: &PatientAccess,
        a: &NewAssignment,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO score_assignments (id, patient_id, instrument, rhythm, every_days, starts_on, moderate_from, severe_from, replaces, ended, authored_by, authored_at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, FALSE, $9, $10, $11)")
            .bind(id).bind(access.patient_id()).bind(&a.instrument).bind(&a.rhythm).bind(a.every_days)
            .bind(jiff_sqlx::ToSqlx::to_sqlx(a.starts_on)).bind(a.moderate_from).bind(a.severe_from)
            .bind(author).bind(ts(now())).bind(&a.reason)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends an assignment in force (a new row that replaces it, with the reason) and
    /// logs it. An assignment of another patient, or one already ended, is not found.
    pub async fn end_assignment(
        &self,
        access: &PatientAccess,
        assignment: Uuid,
        reason: &str,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let current: Option<(String, String, Option<i64>, jiff_sqlx::Date)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT instrument, rhythm, every_days, starts_on FROM score_assignments s
             WHERE s.id = $1 AND s.patient_id = $2 AND NOT s.ended
               AND NOT EXISTS (SELECT 1 FROM score_assignments r WHERE r.replaces = s.id)")
            .bind(assignment).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        let Some((instrument, rhythm, every_days, starts_on)) = current else {
            return Err(StoreError::NotFound);
        };
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO score_assignments (id, patient_id, instrument, rhythm, every_days, starts_on, moderate_from, severe_from, replaces, ended, authored_by, authored_at, reason)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, TRUE, $8, $9, $10)")
            .bind(Uuid::now_v7()).bind(access.patient_id()).bind(instrument).bind(rhythm).bind(every_days)
            .bind(starts_on).bind(assignment).bind(author).bind(ts(now())).bind(reason)
            .execute(&mut *c).await.map(|r| r.rows_affected()))
            .map_err(|e| StoreError::unique(e, "assignment"))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The patient's assignments in force, oldest first.
    pub async fn assignments(&self, access: &PatientAccess) -> Result<Vec<Assignment>> {
        let rows: Vec<AssignmentRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.instrument, s.rhythm, s.every_days, s.starts_on, s.moderate_from, s.severe_from,
                    a.display_name AS author_name, s.authored_at, s.reason
             FROM score_assignments s JOIN accounts a ON a.id = s.authored_by
             WHERE s.patient_id = $1 AND NOT s.ended
               AND NOT EXISTS (SELECT 1 FROM score_assignments r WHERE r.replaces = s.id)
             ORDER BY s.authored_at, s.id")
            .bind(access.patient_id()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Assignment {
                id: r.id,
                instrument: r.instrument,
                rhythm: r.rhythm,
                every_days: r.every_days,
                starts_on: r.starts_on.to_jiff(),
                moderate_from: r.moderate_from,
                severe_from: r.severe_from,
                author_name: r.author_name,
                authored_at: r.authored_at.to_jiff(),
                reason: r.reason,
            })
            .collect())
    }

    /// Records a diary entry and logs it in the same transaction. An entry whose
    /// request key the diary already holds is not stored again: the stored one's id is
    /// returned.
    pub async fn record_diary(
        &self,
        access: &PatientAccess,
        d: &NewDiaryEntry,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        if let Some(id) = self
            .sent_with_key(Keyed::Diary, access, &d.request_key)
            .await?
        {
            return Ok(id);
        }
        let mut tx = self.begin().await?;
        let id = Uuid::now_v7();
        let inserted = on_tx!(tx, c => sqlx::query(
            "INSERT INTO diary_entries (id, patient_id, day, dose_taken, sleep, anxiety, pain, flags, note, request_key, authored_by, authored_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(id).bind(access.patient_id()).bind(jiff_sqlx::ToSqlx::to_sqlx(d.day)).bind(&d.dose_taken)
            .bind(d.sleep).bind(d.anxiety).bind(d.pain).bind(d.flags.join(",")).bind(&d.note)
            .bind(&d.request_key).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()));
        if let Err(e) = inserted {
            drop(tx);
            return self
                .sent_before(Keyed::Diary, access, &d.request_key, e)
                .await;
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The patient's diary, newest day first.
    pub async fn diary(&self, access: &PatientAccess) -> Result<Vec<DiaryEntry>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{DIARY_SELECT} WHERE patient_id = $1 ORDER BY day DESC, authored_at DESC"
        ));
        let rows: Vec<DiaryRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(DiaryEntry::from).collect())
    }

    /// Diary entries with flags on an account's caseload since `since`, by patient:
    /// what the start page's list of reported events is made from. The caller has
    /// logged the caseload it shows ([`Store::caseload`]).
    pub async fn caseload_flagged_diary(
        &self,
        account: Uuid,
        since: Date,
    ) -> Result<Vec<(Uuid, DiaryEntry)>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{DIARY_SELECT} WHERE flags <> '' AND day >= $2 AND patient_id IN
               (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)
             ORDER BY patient_id, day DESC"
        ));
        let rows: Vec<DiaryRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(account).bind(jiff_sqlx::ToSqlx::to_sqlx(since)).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.patient_id, DiaryEntry::from(r)))
            .collect())
    }

    /// Marks the patient's reports read by the care team up to the newest one the
    /// reader was shown (`up_to`, a score's or diary entry's id: UUIDv7, ordered by
    /// creation) — what arrived after the page was drawn stays unread — and logs it.
    pub async fn mark_reports_read(
        &self,
        access: &PatientAccess,
        up_to: Uuid,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO patient_report_reviews (id, patient_id, reviewed_by, reviewed_at, reviewed_up_to) VALUES ($1, $2, $3, $4, $5)")
            .bind(Uuid::now_v7()).bind(access.patient_id()).bind(author).bind(ts(now())).bind(up_to)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The patients on an account's caseload who have sent self-rated scores or diary
    /// entries after the newest one anyone in the care team has marked read. The
    /// caller has logged the caseload it shows.
    pub async fn caseload_unread_reports(&self, account: Uuid) -> Result<Vec<Unread>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            patient_id: Uuid,
            reports: i64,
            oldest: jiff_sqlx::Timestamp,
        }
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "WITH mine AS (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL),
                  sent AS (SELECT s.patient_id, s.id, s.authored_at FROM scores s
                           WHERE s.reported_by_patient AND s.patient_id IN (SELECT patient_id FROM mine)
                           UNION ALL
                           SELECT d.patient_id, d.id, d.authored_at FROM diary_entries d
                           WHERE d.patient_id IN (SELECT patient_id FROM mine))
             SELECT sent.patient_id, COUNT(*) AS reports, MIN(sent.authored_at) AS oldest
             FROM sent
             WHERE NOT EXISTS (SELECT 1 FROM patient_report_reviews r
                               WHERE r.patient_id = sent.patient_id AND r.reviewed_up_to >= sent.id)
             GROUP BY sent.patient_id ORDER BY MIN(sent.authored_at)")
            .bind(account).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Unread {
                patient_id: r.patient_id,
                reports: r.reports,
                oldest: r.oldest.to_jiff(),
            })
            .collect())
    }
}
