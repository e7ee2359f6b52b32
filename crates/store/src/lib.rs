//! Storage for Trappa: [`Store`], one repository over a SQLite or a PostgreSQL pool.
//!
//! Every query is written once, with `$1`-style parameters that both engines accept,
//! and run through `on_pool!` / `on_tx!` (module `db`), which compile the same code for
//! each backend. Migrations exist per backend (`migrations/sqlite`, `migrations/postgres`)
//! and a test compares the resulting schemas.
//!
//! Invariants kept here:
//! - clinical records are append-only versions (`patient_versions`); the current
//!   version is a pointer moved by compare-and-set, so a stale edit is refused
//!   ([`StoreError::Stale`]) and nothing is overwritten;
//! - the access log is append-only, in the application and by database triggers;
//! - timestamps are stored at whole seconds, so their SQLite text form sorts in time order.
//!
//! Modules, one per table group: `accounts`, `sessions`, `units`, `patients`,
//! `care_team` (with hand-over), `emergency`, `access_log`, `taper_settings`,
//! `taper_plans`, `scores`, and:
//!
//! - `referrals`: decisions, complements, the waiting list, the self-referral author;
//! - `visits`: appointments and journal notes as versions;
//! - `visit_requests`: a patient's wish to move or cancel a visit, and its decision;
//! - `messages`: threads between the patient and the care team, append-only, with who
//!   read each message when;
//! - `path`: aftercare, follow-ups, relapses, outcomes, discharge as events;
//! - `reporting`: every referred or treated patient's path facts without names or
//!   identity numbers, in a handful of statements, logged as one entry with basis
//!   statistics;
//! - `reports`: what the patient reports between visits — assigned instruments, the
//!   diary, the care team's mark that it has read them (self-rated scores are `scores`
//!   marked as the patient's);
//! - `role_changes`: every grant and revocation of a role with who made it,
//!   append-only, and the auditor's reviews.
//! - `partners`: partner organisations (issue 19) and the patient's consents to share
//!   with them, append-only versions;
//! - `sips`: coordinated individual plans — versions with their parties, signatures,
//!   tasks and their status events, all append-only.
//!
//! The types the modules share, each in a module that imports none of them, re-exported
//! where they are used (`access_log`, `patients`, `care_team`) so no file circle forms:
//!
//! - `log_entry`: an entry's actor, action, outcome, the held-back `Deferred`;
//! - `record`: the patient's identity data and versions;
//! - `team`: `TeamFunction`, `CareTeamMember`;
//! - `access`: `PatientAccess`, `AccessFacts`.
//!
//! Besides: `testing` (fresh databases per backend), `bulk` (benchmark loading) and
//! `as_of` (the demo's clock).

mod access;
pub mod access_log;
pub mod accounts;
pub mod calendar_feeds;
pub mod care_team;
mod db;
pub mod documents;
pub mod emergency;
mod log_entry;
pub mod maintenance;
pub mod messages;
pub mod notifications;
mod outage;
pub mod partners;
pub mod path;
pub mod patients;
pub mod planning;
mod record;
pub mod referrals;
pub mod reporting;
pub mod reports;
pub mod role_changes;
pub mod scores;
pub mod sessions;
pub mod sips;
pub mod taper_plans;
pub mod taper_settings;
mod team;
pub mod units;
pub mod visit_requests;
pub mod visits;
pub mod work_jobs;

pub use db::{Backend, DatabaseUrl, PoolSettings, Tx};
pub use outage::{Outage, outage_in};
pub use uuid::Uuid;

use db::{Pool, TxInner, on_pool};
use jiff::Timestamp;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is malformed or names an unknown backend.
    #[error("bad database URL: {0}")]
    BadUrl(String),
    /// An optimistic-concurrency check failed: the record changed since the form was read.
    #[error("the record was changed by someone else")]
    Stale,
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value (username, identity number, HSA-id) is already taken.
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    /// The record's state does not allow the change (a held visit cannot be cancelled).
    #[error("the record's state does not allow this: {0}")]
    Refused(&'static str),
    /// A stored value could not be understood.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The database refused or failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn unique(e: sqlx::Error, what: &'static str) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(what),
            _ => StoreError::Database(e),
        }
    }
}

/// Result alias for storage calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

tokio::task_local! {
    /// The time the demo loader writes history at (see [`as_of`]).
    static AS_OF: Timestamp;
}

/// The current time at whole seconds — the precision everything is stored at. Inside
/// [`as_of`] it is that time instead.
pub fn now() -> Timestamp {
    to_second(AS_OF.try_with(|t| *t).unwrap_or_else(|_| Timestamp::now()))
}

/// Runs `f` with the store's clock at `at`, so the demo loader can write a plausible
/// history through the ordinary, validated, logged writes (a referral received six
/// weeks ago, the visit held last month). The server never calls this.
pub async fn as_of<F: std::future::Future>(at: Timestamp, f: F) -> F::Output {
    AS_OF.scope(to_second(at), f).await
}

/// Truncates a timestamp to whole seconds.
pub fn to_second(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

pub(crate) fn ts(t: Timestamp) -> jiff_sqlx::Timestamp {
    jiff_sqlx::ToSqlx::to_sqlx(to_second(t))
}

/// The storage handle: a pool on one of the two backends. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: std::sync::Arc<Pool>,
    backend: Backend,
    log_writer: std::sync::Arc<std::sync::OnceLock<access_log::LogWriter>>,
    session_cache: std::sync::Arc<sessions::SessionCache>,
}

impl Store {
    /// Connects and applies any pending migrations.
    pub async fn open(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Self> {
        let store = Self::connect(url, settings).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &DatabaseUrl, settings: &PoolSettings) -> Result<Self> {
        let pool = db::connect(url, settings).await?;
        Ok(Self {
            pool: std::sync::Arc::new(pool),
            backend: url.backend(),
            log_writer: Default::default(),
            session_cache: std::sync::Arc::new(sessions::SessionCache::new(
                url.backend() == Backend::Sqlite,
            )),
        })
    }

    /// Applies the embedded migrations for this backend.
    pub async fn migrate(&self) -> Result<()> {
        db::migrate(&self.pool).await?;
        self.ensure_self_referral_account().await
    }

    /// The group-commit writer of the access log, started on first use (inside the
    /// runtime that uses it).
    pub(crate) fn log_writer(&self) -> &access_log::LogWriter {
        // The writer gets a handle without the writer itself, so no cycle keeps the
        // channel open: when the last store handle is dropped, the writer task ends.
        self.log_writer.get_or_init(|| {
            access_log::LogWriter::start(Store {
                pool: self.pool.clone(),
                backend: self.backend,
                log_writer: Default::default(),
                session_cache: Default::default(),
            })
        })
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a read-then-write never fails half-way on a busy database.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx(
            match &*self.pool {
                Pool::Sqlite { write, .. } => TxInner::Sqlite(db::begin_immediate(write).await?),
                Pool::Postgres(p) => TxInner::Postgres(p.begin().await?),
            },
            Vec::new(),
        ))
    }

    /// Copies the SQLite write-ahead log into the database and truncates it (after bulk
    /// loads, and periodically, so a busy server's WAL does not grow without end).
    /// Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Pool::Sqlite { write, .. } = &*self.pool {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(write)
                .await?;
        }
        Ok(())
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The schema as (table, column, type family, nullable) rows, for the parity test
    /// between the two backends' migrations.
    pub async fn schema_summary(&self) -> Result<Vec<(String, String, String, bool)>> {
        let rows: Vec<(String, String, String, bool)> = match &*self.pool {
            Pool::Sqlite { read: p, .. } => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
                )
                .fetch_all(p)
                .await?;
                let mut out = Vec::new();
                for (table,) in tables {
                    let cols: Vec<(String, String, bool, bool)> = sqlx::query_as(
                        "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)",
                    )
                    .bind(&table)
                    .fetch_all(p)
                    .await?;
                    for (name, ty, notnull, pk) in cols {
                        out.push((table.clone(), name, type_family(&ty), !(notnull || pk)));
                    }
                }
                out
            }
            Pool::Postgres(p) => {
                let cols: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
                     FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'
                       AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)",
                )
                .fetch_all(p)
                .await?;
                cols.into_iter()
                    .map(|(t, c, ty, null)| (t, c, type_family(&ty), null == "YES"))
                    .collect()
            }
        };
        let mut rows = rows;
        rows.sort();
        Ok(rows)
    }
}

/// Maps each backend's column type names to one family, so schemas can be compared.
fn type_family(ty: &str) -> String {
    let t = ty.to_ascii_lowercase();
    let family = if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("double") || t.contains("real") || t.contains("float") {
        "float"
    } else if t.contains("uuid") || t.contains("blob") {
        "uuid"
    } else {
        // SQLite keeps timestamps and dates as RFC 3339 text; PostgreSQL as timestamptz
        // and date. The parity test checks the PostgreSQL side of those separately.
        "text"
    };
    family.to_owned()
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub mod bulk;
pub mod testing;
