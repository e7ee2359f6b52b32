//! Heavy work a user follows on a page (the week planner's search), kept where every
//! instance sees it: which jobs run, how far they have come, who asked them to stop and
//! how they ended (migration 0018). The instance that runs a job's work beats its heart
//! here; a job whose heart stopped is ended as lost by the next start. Times are
//! milliseconds since 1970.

use uuid::Uuid;

use crate::db::{on_pool, on_tx, on_writer};
use crate::{Result, Store, StoreError};

/// A job as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct JobRow {
    /// Its id.
    pub id: Uuid,
    /// The unit whose staff may follow it.
    pub unit_id: Uuid,
    /// What it makes (`week:2026-12-07`).
    pub job_key: String,
    /// Its time budget in seconds.
    pub time_limit: f64,
    /// When its work got its turn.
    pub began_ms: Option<i64>,
    /// When its page was last looked at.
    pub seen_ms: i64,
    /// When the instance running it last beat its heart.
    pub beat_ms: i64,
    /// Who asked it to stop: `by_user` or `abandoned`.
    pub stop_cause: Option<String>,
    /// How it ended: `done`, `stopped`, `failed` or `lost`.
    pub outcome: Option<String>,
    /// The document version its result was stored as.
    pub result_version: Option<i64>,
    /// When it ended.
    pub finished_ms: Option<i64>,
}

const COLUMNS: &str = "SELECT id, unit_id, job_key, time_limit, began_ms, seen_ms, beat_ms, stop_cause, outcome, result_version, finished_ms FROM work_jobs";

/// A job asked for.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    /// The unit.
    pub unit: Uuid,
    /// What it makes.
    pub key: &'a str,
    /// Its time budget in seconds.
    pub limit: f64,
    /// Now.
    pub now_ms: i64,
    /// How many unfinished jobs a unit may have.
    pub max_unfinished: i64,
    /// A job whose heart last beat before this is lost.
    pub lost_before_ms: i64,
    /// Finished jobs older than this are forgotten.
    pub forget_before_ms: i64,
}

/// What asking for a job gave.
#[derive(Debug, Clone, PartialEq)]
pub enum JobStart {
    /// A new job: the caller runs its work.
    Started(JobRow),
    /// The unit's unfinished job making the same thing: followed, not run again.
    Joined(JobRow),
    /// The unit has its most unfinished jobs.
    Busy,
}

impl Store {
    /// Starts the job, or joins the unit's unfinished one making the same thing, on
    /// whichever instance it runs.
    pub async fn start_job(&self, job: &NewJob<'_>) -> Result<JobStart> {
        match self.start_job_once(job).await {
            // Another instance started it between our look and our insert: join it.
            Err(StoreError::Duplicate(_)) => self.start_job_once(job).await,
            other => other,
        }
    }

    async fn start_job_once(&self, job: &NewJob<'_>) -> Result<JobStart> {
        let mut tx = self.begin().await?;
        // One start per unit at a time, so the count below holds across instances
        // (SQLite's BEGIN IMMEDIATE already serialises writers).
        if let crate::db::TxInner::Postgres(t) = &mut tx.0 {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(format!("work_jobs:{}", job.unit))
                .execute(&mut **t)
                .await?;
        }
        on_tx!(tx, c => sqlx::query(
            "UPDATE work_jobs SET outcome = 'lost', finished_ms = $1 WHERE finished_ms IS NULL AND beat_ms < $2")
            .bind(job.now_ms).bind(job.lost_before_ms).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("DELETE FROM work_jobs WHERE finished_ms < $1")
            .bind(job.forget_before_ms).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        let running: Option<JobRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COLUMNS} WHERE unit_id = $1 AND job_key = $2 AND finished_ms IS NULL")))
            .bind(job.unit).bind(job.key).fetch_optional(&mut *c).await)?;
        if let Some(row) = running {
            tx.commit().await?;
            return Ok(JobStart::Joined(row));
        }
        let (unfinished,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM work_jobs WHERE unit_id = $1 AND finished_ms IS NULL")
            .bind(job.unit).fetch_one(&mut *c).await)?;
        if unfinished >= job.max_unfinished {
            tx.commit().await?;
            return Ok(JobStart::Busy);
        }
        let id = Uuid::new_v4();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO work_jobs (id, unit_id, job_key, time_limit, created_ms, seen_ms, beat_ms)
             VALUES ($1, $2, $3, $4, $5, $5, $5)")
            .bind(id).bind(job.unit).bind(job.key).bind(job.limit).bind(job.now_ms)
            .execute(&mut *c).await.map(|r| r.rows_affected()))
        .map_err(|e| StoreError::unique(e, "work job"))?;
        tx.commit().await?;
        Ok(JobStart::Started(JobRow {
            id,
            unit_id: job.unit,
            job_key: job.key.to_owned(),
            time_limit: job.limit,
            began_ms: None,
            seen_ms: job.now_ms,
            beat_ms: job.now_ms,
            stop_cause: None,
            outcome: None,
            result_version: None,
            finished_ms: None,
        }))
    }

    /// The unit's job `id` (another unit's is as unknown as none), counted as looked at.
    pub async fn look_at_job(&self, unit: Uuid, id: Uuid, now_ms: i64) -> Result<Option<JobRow>> {
        on_writer!(self, p => sqlx::query("UPDATE work_jobs SET seen_ms = $1 WHERE id = $2 AND unit_id = $3")
            .bind(now_ms).bind(id).bind(unit).execute(p).await.map(|r| r.rows_affected()))?;
        self.job(id).await.map(|j| j.filter(|j| j.unit_id == unit))
    }

    /// The job `id`, not counted as looked at.
    pub async fn job(&self, id: Uuid) -> Result<Option<JobRow>> {
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1")))
            .bind(id).fetch_optional(p).await)?,
        )
    }

    /// The unit's unfinished job making `key`, if there is one.
    pub async fn unfinished_job(&self, unit: Uuid, key: &str) -> Result<Option<JobRow>> {
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{COLUMNS} WHERE unit_id = $1 AND job_key = $2 AND finished_ms IS NULL")))
            .bind(unit).bind(key).fetch_optional(p).await)?,
        )
    }

    /// The running instance's heartbeat, with when the work began if it has; the row as
    /// it now is.
    pub async fn beat_job(
        &self,
        id: Uuid,
        now_ms: i64,
        began_ms: Option<i64>,
    ) -> Result<Option<JobRow>> {
        on_writer!(self, p => sqlx::query(
            "UPDATE work_jobs SET beat_ms = $1, began_ms = COALESCE(began_ms, $2) WHERE id = $3")
            .bind(now_ms).bind(began_ms).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        self.job(id).await
    }

    /// Asks an unfinished job to stop, for `cause` (`by_user` or `abandoned`); the first
    /// cause given is the one kept. Whether this call was the one that asked.
    pub async fn stop_job(&self, unit: Uuid, id: Uuid, cause: &str) -> Result<bool> {
        let done = on_writer!(self, p => sqlx::query(
            "UPDATE work_jobs SET stop_cause = $1
             WHERE id = $2 AND unit_id = $3 AND finished_ms IS NULL AND stop_cause IS NULL")
            .bind(cause).bind(id).bind(unit).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Records how a job ended (once), with the stop cause known to the instance that
    /// ran it if none was recorded; whether this call recorded it (not when the job was
    /// already ended, e.g. as lost).
    pub async fn finish_job(
        &self,
        id: Uuid,
        outcome: &str,
        stop_cause: Option<&str>,
        result_version: Option<i64>,
        now_ms: i64,
    ) -> Result<bool> {
        let n = on_writer!(self, p => sqlx::query(
            "UPDATE work_jobs SET outcome = $1, stop_cause = COALESCE(stop_cause, $2), result_version = $3, finished_ms = $4
             WHERE id = $5 AND finished_ms IS NULL")
            .bind(outcome).bind(stop_cause).bind(result_version).bind(now_ms).bind(id)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}
