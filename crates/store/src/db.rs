//! Connecting: the database URL, the two pools, transactions and migrations.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::StoreError;

/// Which database engine a `Store` runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (the default, one instance).
    Sqlite,
    /// PostgreSQL (several instances sharing one database).
    Postgres,
}

/// A database URL. Its `Debug` and `Display` hide the password so it may be logged.
///
/// The backend is chosen by the scheme: `sqlite://path`, `sqlite::memory:` or
/// `postgres://…` / `postgresql://…`. Anything else is refused rather than guessed —
/// a typo must not create a stray database file.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// Parses and checks a URL.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        let backend = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(StoreError::BadUrl(
                    "sqlite URL has no file path (use sqlite://trappa.db)".into(),
                ));
            }
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
            if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') {
                return Err(StoreError::BadUrl(
                    "postgres URL has no host (use postgres://user@host/db)".into(),
                ));
            }
            PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(redact(&e.to_string())))?;
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl(
                "database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        Ok(Self {
            url: url.to_owned(),
            backend,
        })
    }

    /// The backend the scheme names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.url)
    }

    /// The full URL, password included: only for connecting.
    pub fn expose(&self) -> &str {
        &self.url
    }
}

fn redact(s: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    match (s.find("://"), s.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &s[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &s[..scheme_end + 3],
                    &creds[..colon],
                    &s[at..]
                ),
                None => s.to_owned(),
            }
        }
        _ => s.to_owned(),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

pub(crate) enum Pool {
    /// SQLite allows one writer at a time. Writes go through a one-connection pool, so
    /// they queue fairly in the pool instead of sleeping in SQLite's busy handler; reads
    /// use a read-only pool and run beside them (WAL).
    Sqlite {
        read: sqlx::SqlitePool,
        write: sqlx::SqlitePool,
    },
    Postgres(sqlx::PgPool),
}

pub(crate) enum TxInner {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A database transaction: everything written through it lands together or not at all.
/// It also carries the deferred access-log entries it wrote ([`crate::log_entry::Deferred`]),
/// which count as written only once it commits.
pub struct Tx(
    pub(crate) TxInner,
    pub(crate) Vec<std::sync::Arc<crate::log_entry::Deferred>>,
);

impl Tx {
    /// Commits every write made through this transaction.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.0 {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        for d in self.1 {
            d.mark_written();
        }
        Ok(())
    }
}

/// Runs the same query code against whichever pool the store has. The body is compiled
/// once per backend, so one piece of SQL (with `$1`-style parameters, which both accept)
/// serves both databases. For reads; on SQLite the connection is read-only.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &*$store.pool {
            $crate::db::Pool::Sqlite { read: $p, .. } => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}

/// Like [`on_pool!`] for a single write statement outside a transaction.
macro_rules! on_writer {
    ($store:expr, $p:ident => $body:expr) => {
        match &*$store.pool {
            $crate::db::Pool::Sqlite { write: $p, .. } => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}

/// Like [`on_pool!`], inside a transaction: `$c` is the connection.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.0 {
            $crate::db::TxInner::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::TxInner::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

pub(crate) use {on_pool, on_tx, on_writer};

/// Connection and pool settings.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// Most connections in the pool.
    pub max_connections: u32,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self { max_connections: 8 }
    }
}

pub(crate) async fn connect(
    url: &DatabaseUrl,
    settings: &PoolSettings,
) -> Result<Pool, StoreError> {
    match url.backend() {
        Backend::Sqlite => {
            let options = SqliteConnectOptions::from_str(url.expose())
                .map_err(|e| StoreError::BadUrl(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-32000")
                // Reads through a shared memory map instead of a read() per page.
                .pragma("mmap_size", "1073741824")
                // Truncate the WAL back to this size after a checkpoint.
                .pragma("journal_size_limit", "67108864")
                .pragma("wal_autocheckpoint", "10000");
            let in_memory =
                url.expose().contains(":memory:") || url.expose().contains("mode=memory");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options.clone())
                .await?;
            if in_memory {
                // An in-memory database lives and dies with its one connection.
                return Ok(Pool::Sqlite {
                    read: write.clone(),
                    write,
                });
            }
            let read = SqlitePoolOptions::new()
                .max_connections(settings.max_connections)
                .idle_timeout(Some(Duration::from_secs(600)))
                .max_lifetime(Some(Duration::from_secs(1800)))
                .connect_with(options.read_only(true))
                .await?;
            Ok(Pool::Sqlite { read, write })
        }
        Backend::Postgres => {
            let options = PgConnectOptions::from_str(url.expose())
                .map_err(|e| StoreError::BadUrl(redact(&e.to_string())))?;
            let pool = PgPoolOptions::new()
                .max_connections(settings.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Pool::Postgres(pool))
        }
    }
}

/// `BEGIN IMMEDIATE` on SQLite's one write connection. A COMMIT refused by a full disk
/// can leave SQLite's transaction rolled back while sqlx still counts it open, and then
/// every later BEGIN on that connection fails: such a connection is closed and a new one
/// taken, so the server writes again as soon as there is space.
pub(crate) async fn begin_immediate(
    write: &sqlx::SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    use sqlx::{Connection, SqlSafeStr};
    let mut conn = write.acquire().await?;
    if conn.is_in_transaction() {
        tracing::warn!("replacing the SQLite write connection left in a failed transaction");
        conn.close_on_drop();
        drop(conn);
        conn = write.acquire().await?;
    }
    Ok(sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into_sql_str())).await?)
}

pub(crate) async fn migrate(pool: &Pool) -> Result<(), StoreError> {
    match pool {
        Pool::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
        Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_and_redaction() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://trappa.db").unwrap().backend(),
            Backend::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").unwrap().backend(),
            Backend::Sqlite
        );
        let pg = DatabaseUrl::parse("postgres://trappa:s3cret@localhost:5432/trappa").unwrap();
        assert_eq!(pg.backend(), Backend::Postgres);
        assert_eq!(
            format!("{pg:?}"),
            "DatabaseUrl(postgres://trappa:***@localhost:5432/trappa)"
        );
        assert!(!pg.to_string().contains("s3cret"));
        for bad in [
            "",
            "trappa.db",
            "mysql://x",
            "sqlite://",
            "sqlite:",
            "http://x",
        ] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
