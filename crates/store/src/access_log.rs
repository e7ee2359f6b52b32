//! The access log (PDL; HSLF-FS 2016:40 4 kap 9 §): who did what with which patient's
//! data, when, how and from where. Append-only: this module has no update, and deletes
//! only through [`Store::prune_access_log`], which the database itself limits to rows
//! older than five years.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::AccessBasis;
use uuid::Uuid;

use crate::StoreError;
use crate::db::{Pool, on_pool, on_tx};
pub use crate::log_entry::{Action, Actor, Deferred, NewEntry, Outcome, SYSTEM_USERNAME};
use crate::{Result, Store, Tx, ts};

/// An entry as stored, with names for display.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    /// Sequence number.
    pub id: i64,
    /// When.
    #[serde(skip)]
    pub at: jiff_sqlx::Timestamp,
    /// The account.
    pub account_id: Option<Uuid>,
    /// Login name.
    pub username: String,
    /// Display name of the account, when it exists.
    pub display_name: Option<String>,
    /// Role acted in.
    pub role: Option<String>,
    /// The actor's unit.
    pub unit_id: Option<Uuid>,
    /// Name of that unit.
    pub unit_name: Option<String>,
    /// The patient.
    pub patient_id: Option<Uuid>,
    /// The patient's current identity number (twelve digits), for the auditor's view.
    pub patient_identity: Option<String>,
    /// Action code.
    pub action: String,
    /// Resource.
    pub resource: String,
    /// Access basis code.
    pub basis: Option<String>,
    /// Emergency access used.
    pub emergency_access_id: Option<Uuid>,
    /// Outcome code.
    pub outcome: String,
    /// Flagged for review.
    pub flagged: bool,
    /// Request id.
    pub request_id: String,
    /// Client address.
    pub client_ip: Option<String>,
    /// Detail.
    pub detail: Option<String>,
    /// Whether the patient has protected identity now (a reason the entry is flagged).
    #[serde(skip)]
    pub patient_protected: Option<bool>,
}

impl Entry {
    /// When, as a jiff timestamp.
    pub fn at(&self) -> Timestamp {
        self.at.to_jiff()
    }
}

/// A search of the log. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    /// Only this patient.
    pub patient_id: Option<Uuid>,
    /// Only this account.
    pub account_id: Option<Uuid>,
    /// From this time (inclusive).
    pub from: Option<Timestamp>,
    /// Before this time (exclusive).
    pub to: Option<Timestamp>,
    /// Only flagged entries.
    pub flagged_only: bool,
    /// Entries with an id below this (paging backwards).
    pub before_id: Option<i64>,
    /// Most entries returned.
    pub limit: i64,
}

/// Whether the patient of an entry has protected identity now: every entry about such a
/// patient is flagged for the auditor by the log itself, whatever its caller said (the
/// one place that rule is kept; `{patient}` is the entry's patient parameter).
const PROTECTED_NOW: &str = "EXISTS (SELECT 1 FROM patients pp
        JOIN patient_versions pv ON pv.patient_id = pp.id AND pv.version = pp.current_version
        WHERE pp.id = {patient} AND pv.protected_identity)";

static INSERT_ENTRY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO access_log (at, account_id, username, role, unit_id, patient_id, action, resource, basis,
            emergency_access_id, outcome, flagged, request_id, client_ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 OR {}, $13, $14, $15) RETURNING id",
        PROTECTED_NOW.replace("{patient}", "$6")
    )
});

macro_rules! bind_entry {
    ($q:expr, $e:expr, $at:expr) => {
        $q.bind(ts($at))
            .bind($e.actor.account_id)
            .bind(&$e.actor.username)
            .bind(&$e.actor.role)
            .bind($e.actor.unit_id)
            .bind($e.patient_id)
            .bind($e.action.code())
            .bind($e.resource)
            .bind($e.basis.map(|b| b.code()))
            .bind($e.emergency_access_id)
            .bind($e.outcome.code())
            .bind($e.flagged)
            .bind(&$e.actor.request_id)
            .bind(&$e.actor.client_ip)
            .bind(&$e.detail)
    };
}

/// An entry waiting for the group commit.
struct Queued {
    actor: Actor,
    patient_id: Option<Uuid>,
    action: Action,
    resource: String,
    basis: Option<AccessBasis>,
    emergency_access_id: Option<Uuid>,
    outcome: Outcome,
    flagged: bool,
    detail: Option<String>,
    at: Timestamp,
    done: tokio::sync::oneshot::Sender<Result<()>>,
}

/// Most entries committed together.
const MAX_BATCH: usize = 512;

/// Group commit for standalone log entries. Requests hand their entry to one writer task
/// and wait until the transaction holding it has committed, so every entry is durable
/// before the data it records is shown — but many requests share one commit instead of
/// queuing for the database's single writer one by one.
#[derive(Clone)]
pub(crate) struct LogWriter {
    queue: tokio::sync::mpsc::Sender<Queued>,
}

impl LogWriter {
    pub(crate) fn start(store: Store) -> Self {
        let (queue, mut rx) = tokio::sync::mpsc::channel::<Queued>(4096);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
                write_batch(&store, std::mem::take(&mut batch)).await;
            }
        });
        Self { queue }
    }
}

/// Rows per multi-row INSERT (16 parameters each, far below both engines' limits).
const ROWS_PER_STATEMENT: usize = 64;

async fn insert_rows(tx: &mut Tx, rows: &[Queued]) -> Result<()> {
    on_tx!(tx, c => {
        let mut qb = sqlx::QueryBuilder::new(
            "INSERT INTO access_log (at, account_id, username, role, unit_id, patient_id, action, resource, basis,
                 emergency_access_id, outcome, flagged, request_id, client_ip, detail) ",
        );
        qb.push_values(rows, |mut b, q| {
            b.push_bind(ts(q.at))
                .push_bind(q.actor.account_id)
                .push_bind(q.actor.username.clone())
                .push_bind(q.actor.role.clone())
                .push_bind(q.actor.unit_id)
                .push_bind(q.patient_id)
                .push_bind(q.action.code())
                .push_bind(q.resource.clone())
                .push_bind(q.basis.map(|b| b.code()))
                .push_bind(q.emergency_access_id)
                .push_bind(q.outcome.code())
                .push_bind(q.flagged);
            let (before, after) = PROTECTED_NOW
                .split_once("{patient}")
                .expect("the clause names its patient");
            b.push_unseparated(format!(" OR {before}"))
                .push_bind_unseparated(q.patient_id)
                .push_unseparated(after);
            b.push_bind(q.actor.request_id.clone())
                .push_bind(q.actor.client_ip.clone())
                .push_bind(q.detail.clone());
        });
        qb.build().execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

async fn write_batch(store: &Store, batch: Vec<Queued>) {
    let result: Result<()> = async {
        let mut tx = store.begin().await?;
        for chunk in batch.chunks(ROWS_PER_STATEMENT) {
            insert_rows(&mut tx, chunk).await?;
        }
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => {
            for q in batch {
                let _ = q.done.send(Ok(()));
            }
        }
        // One bad entry must not fail its neighbours: retry each on its own.
        Err(_) => {
            for q in batch {
                let r = async {
                    let mut tx = store.begin().await?;
                    insert_rows(&mut tx, std::slice::from_ref(&q)).await?;
                    tx.commit().await
                }
                .await;
                let _ = q.done.send(r);
            }
        }
    }
}

/// How many months ahead the access log's month partitions are made
/// ([`Store::ensure_access_log_partitions`]): a year, so a server stopped for months
/// still finds its months there when it starts.
pub const PARTITION_MONTHS_AHEAD: u32 = 12;

impl Store {
    /// Appends one entry and returns once it is committed. Entries from concurrent
    /// requests are committed together (see `LogWriter`).
    pub async fn append_access_log(&self, e: &NewEntry<'_>) -> Result<()> {
        let (done, wait) = tokio::sync::oneshot::channel();
        let queued = Queued {
            actor: e.actor.clone(),
            patient_id: e.patient_id,
            action: e.action,
            resource: e.resource.to_owned(),
            basis: e.basis,
            emergency_access_id: e.emergency_access_id,
            outcome: e.outcome,
            flagged: e.flagged,
            detail: e.detail.clone(),
            at: crate::now(),
            done,
        };
        let writer = self.log_writer();
        writer
            .queue
            .send(queued)
            .await
            .map_err(|_| StoreError::Corrupt("access-log writer stopped".into()))?;
        wait.await
            .map_err(|_| StoreError::Corrupt("access-log writer stopped".into()))?
    }

    /// Writes a deferred entry that no write has taken (and does nothing if one did).
    pub async fn flush(&self, d: &Deferred) -> Result<()> {
        if d.is_written() {
            return Ok(());
        }
        self.append_access_log(&d.unwritten_entry()).await?;
        d.mark_written();
        Ok(())
    }

    /// Searches the log, newest first.
    pub async fn search_access_log(&self, q: &LogQuery) -> Result<Vec<Entry>> {
        let far_past = Timestamp::from_second(0).unwrap_or(Timestamp::MIN);
        let far_future = Timestamp::from_second(253_402_300_799).unwrap_or(Timestamp::MAX);
        let rows: Vec<Entry> = on_pool!(self, p => sqlx::query_as(
            "SELECT l.id, l.at, l.account_id, l.username, a.display_name, l.role, l.unit_id, COALESCE(u.name, po.name) AS unit_name,
                    l.patient_id, pv.personal_identity AS patient_identity, l.action, l.resource, l.basis, l.emergency_access_id, l.outcome, l.flagged,
                    l.request_id, l.client_ip, l.detail, pv.protected_identity AS patient_protected
             FROM access_log l
             LEFT JOIN accounts a ON a.id = l.account_id
             LEFT JOIN units u ON u.id = l.unit_id
             LEFT JOIN partner_organisations po ON po.id = l.unit_id
             LEFT JOIN patients p ON p.id = l.patient_id
             LEFT JOIN patient_versions pv ON pv.patient_id = p.id AND pv.version = p.current_version
             WHERE ($1 IS NULL OR l.patient_id = $1)
               AND ($2 IS NULL OR l.account_id = $2)
               AND l.at >= $3 AND l.at < $4
               AND ($5 = FALSE OR l.flagged)
               AND l.id < $6
             ORDER BY l.id DESC
             LIMIT $7")
            .bind(q.patient_id).bind(q.account_id)
            .bind(ts(q.from.unwrap_or(far_past))).bind(ts(q.to.unwrap_or(far_future)))
            .bind(q.flagged_only).bind(q.before_id.unwrap_or(i64::MAX)).bind(q.limit)
            .fetch_all(p).await)?;
        Ok(rows)
    }

    /// How many entries the log holds.
    pub async fn access_log_len(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM access_log").fetch_one(p).await)?;
        Ok(n)
    }

    /// Removes entries older than `cutoff`; returns how many. The database refuses a
    /// cutoff within five years, so a wrong setting cannot shorten the legal minimum.
    ///
    /// On PostgreSQL the log is partitioned by month: whole months before the cutoff are
    /// counted and dropped, nothing deleted row by row (`trappa_prune_access_log`,
    /// migrations 0022 and 0023), and the rows of the cutoff's own month stay until that
    /// month is wholly past. On SQLite, one
    /// unit's log, the rows are deleted.
    pub async fn prune_access_log(&self, cutoff: Timestamp) -> Result<u64> {
        let removed = match &*self.pool {
            Pool::Sqlite { write, .. } => sqlx::query("DELETE FROM access_log WHERE at < $1")
                .bind(ts(cutoff))
                .execute(write)
                .await
                .map(|r| r.rows_affected())?,
            Pool::Postgres(p) => {
                let n: i64 = sqlx::query_scalar("SELECT trappa_prune_access_log($1)")
                    .bind(ts(cutoff))
                    .fetch_one(p)
                    .await?;
                n.max(0) as u64
            }
        };
        Ok(removed)
    }

    /// Makes the access log's month partitions from `from`'s month through
    /// `months_ahead` months after now, those missing; returns how many it made. The
    /// server calls it at start and every ten minutes, so a month's partition exists before its
    /// first row (a row with none goes to the default partition, where every query still
    /// finds it). Only PostgreSQL partitions the log: on SQLite it makes none.
    pub async fn ensure_access_log_partitions(
        &self,
        from: Timestamp,
        months_ahead: u32,
    ) -> Result<u32> {
        let Pool::Postgres(p) = &*self.pool else {
            return Ok(0);
        };
        let made: i32 = sqlx::query_scalar("SELECT trappa_access_log_months($1, $2)")
            .bind(ts(from))
            .bind(months_ahead as i32)
            .fetch_one(p)
            .await?;
        Ok(made.max(0) as u32)
    }
}

impl Tx {
    /// Logs a write to a patient made under `access` (patient and basis from the proof),
    /// in this transaction. An access opened for this write has its entry held back
    /// ([`Deferred`]): the two become this one entry — the write's action, resource and
    /// detail, the access's emergency access and flags — counted as written when the
    /// transaction commits.
    pub async fn append_patient_log(
        &mut self,
        access: &crate::access::PatientAccess,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut entry = NewEntry {
            patient_id: Some(access.patient_id()),
            basis: Some(access.basis()),
            flagged: log.flagged || access.basis().needs_review(),
            ..log.clone()
        };
        if let Some(d) = access.deferred().filter(|d| !d.is_written()) {
            entry.flagged |= d.flagged;
            entry.emergency_access_id = entry.emergency_access_id.or(d.emergency_access_id);
            let id = self.append_access_log(&entry).await?;
            self.1.push(d.clone());
            return Ok(id);
        }
        self.append_access_log(&entry).await
    }

    /// Appends an entry inside this transaction, so it lands exactly when the change does.
    pub async fn append_access_log(&mut self, e: &NewEntry<'_>) -> Result<i64> {
        let at = crate::now();
        let sql = sqlx::AssertSqlSafe(INSERT_ENTRY.as_str());
        let (id,): (i64,) =
            on_tx!(self, c => bind_entry!(sqlx::query_as(sql), e, at).fetch_one(&mut *c).await)?;
        Ok(id)
    }
}
