//! The operator's checks of the database as a whole: its integrity, a digest of every
//! table (to prove a backup restores exactly what was backed up), and SQLite's online
//! copy.

use std::path::Path;

use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Connection;

use crate::db::Pool;
use crate::{Result, Store, StoreError};

/// One table's content in brief: its rows and a digest over them, in an order that does
/// not depend on how the rows are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDigest {
    /// The table.
    pub table: String,
    /// How many rows it holds.
    pub rows: i64,
    /// SHA-256 over the rows' text, sorted, in hex.
    pub sha256: String,
}

impl Store {
    /// What the database's own checks find wrong: SQLite's `integrity_check` and
    /// `foreign_key_check`; on PostgreSQL, which checks its pages itself, a query of every
    /// table that must succeed. Empty when all is well.
    pub async fn check_integrity(&self) -> Result<Vec<String>> {
        match &*self.pool {
            Pool::Sqlite { write, .. } => {
                let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(write)
                    .await?;
                problems.retain(|p| p != "ok");
                let orphans: Vec<(String, i64, String)> =
                    sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                        .fetch_all(write)
                        .await?;
                problems.extend(
                    orphans
                        .into_iter()
                        .map(|(t, row, parent)| format!("{t} row {row}: no {parent}")),
                );
                Ok(problems)
            }
            Pool::Postgres(_) => {
                self.table_digests().await?;
                Ok(Vec::new())
            }
        }
    }

    /// Every table's rows and digest, by table name, read in one snapshot.
    pub async fn table_digests(&self) -> Result<Vec<TableDigest>> {
        match &*self.pool {
            Pool::Sqlite { read, .. } => {
                let mut conn = read.acquire().await?;
                let mut tx = conn.begin().await?;
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                )
                .fetch_all(&mut *tx)
                .await?;
                let mut out = Vec::new();
                for table in tables {
                    let columns: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                            .bind(&table)
                            .fetch_all(&mut *tx)
                            .await?;
                    let row_text = columns
                        .iter()
                        .map(|c| format!("quote({})", ident(c)))
                        .collect::<Vec<_>>()
                        .join(" || '|' || ");
                    let sql = format!("SELECT {row_text} FROM {} ORDER BY 1", ident(&table));
                    // Safe: the names come from the database's own catalogue, quoted.
                    let rows =
                        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
                    out.push(digest(table, rows).await?);
                }
                Ok(out)
            }
            Pool::Postgres(_) => self.postgres_snapshot().await?.table_digests().await,
        }
    }

    /// A read-only snapshot of a PostgreSQL database that other sessions can share
    /// (`pg_export_snapshot`): `pg_dump --snapshot` dumps exactly what
    /// [`PgSnapshot::table_digests`] reads. Refused on SQLite.
    pub async fn postgres_snapshot(&self) -> Result<PgSnapshot> {
        let Pool::Postgres(p) = &*self.pool else {
            return Err(StoreError::Refused("a shared snapshot is for PostgreSQL"));
        };
        let mut tx = p.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        Ok(PgSnapshot { tx, id })
    }

    /// Refreshes the planner's statistics (`ANALYZE`), as a bulk load needs before it is
    /// measured.
    pub async fn analyze(&self) -> Result<()> {
        match &*self.pool {
            Pool::Sqlite { write, .. } => sqlx::query("ANALYZE").execute(write).await.map(drop)?,
            Pool::Postgres(p) => sqlx::query("ANALYZE").execute(p).await.map(drop)?,
        }
        Ok(())
    }

    /// The access log's month partitions and their bytes on disk, indexes included
    /// (PostgreSQL; none on SQLite, whose log is one table).
    pub async fn access_log_partitions(&self) -> Result<(i64, i64)> {
        let Pool::Postgres(p) = &*self.pool else {
            return Ok((0, 0));
        };
        Ok(sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(pg_total_relation_size(inhrelid)), 0)::bigint
             FROM pg_inherits WHERE inhparent = 'access_log'::regclass",
        )
        .fetch_one(p)
        .await?)
    }

    /// Whether the database holds any table yet (a restore goes only into one that does
    /// not).
    pub async fn has_tables(&self) -> Result<bool> {
        let n: i64 = match &*self.pool {
            Pool::Sqlite { write, .. } => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
                    .fetch_one(write)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
                )
                .fetch_one(p)
                .await?
            }
        };
        Ok(n > 0)
    }

    /// Copies a SQLite database, while it serves, into a new file at `to` (`VACUUM INTO`:
    /// one consistent snapshot, compacted; writers go on meanwhile). Refused on
    /// PostgreSQL, whose own tools back it up.
    pub async fn sqlite_copy_into(&self, to: &Path) -> Result<()> {
        let Pool::Sqlite { write, .. } = &*self.pool else {
            return Err(StoreError::Refused("an online copy is for SQLite"));
        };
        // A connection of its own, not the pool's: the copy reads a snapshot for as long
        // as it takes, and the write connection must stay free for the server's writes.
        let options = write.connect_options().as_ref().clone();
        let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
        let to = to
            .to_str()
            .ok_or_else(|| StoreError::BadUrl("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(to)
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        Ok(())
    }
}

/// A PostgreSQL snapshot held open (see [`Store::postgres_snapshot`]); it ends when
/// dropped.
pub struct PgSnapshot {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    /// The id `pg_dump --snapshot` takes.
    pub id: String,
}

impl PgSnapshot {
    /// Every table's rows and digest, as of the snapshot.
    pub async fn table_digests(&mut self) -> Result<Vec<TableDigest>> {
        let tables: Vec<String> = sqlx::query_scalar(
            // A partition's rows are its parent's (the access log's months): each row
            // is read once, through the parent.
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY 1",
        )
        .fetch_all(&mut *self.tx)
        .await?;
        let mut out = Vec::new();
        for table in tables {
            let t = ident(&table);
            let sql = format!("SELECT {t}::text FROM {t} ORDER BY {t}::text COLLATE \"C\"");
            // Safe: the names come from the database's own catalogue, quoted.
            let rows =
                sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch(&mut *self.tx);
            out.push(digest(table, rows).await?);
        }
        Ok(out)
    }
}

/// A quoted SQL identifier (both backends quote with double quotes).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn digest<S>(table: String, mut rows: S) -> Result<TableDigest>
where
    S: futures_util::Stream<Item = std::result::Result<String, sqlx::Error>> + Unpin,
{
    let mut hash = Sha256::new();
    let mut n = 0;
    while let Some(row) = rows.try_next().await? {
        hash.update(row.as_bytes());
        hash.update(b"\n");
        n += 1;
    }
    Ok(TableDigest {
        table,
        rows: n,
        sha256: format!("{:x}", hash.finalize()),
    })
}
