//! A unit's documents as append-only JSON versions, by kind: the planning setup
//! (`planning_setup`) and each week's saved plan (`week_plan:YYYY-MM-DD`). The store
//! keeps the text; the web layer parses and validates it before saving.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::db::{on_pool, on_writer};
use crate::{Result, Store, StoreError, now};

/// One version of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentVersion {
    /// 1, 2, …
    pub version: i64,
    /// The JSON.
    pub body: String,
    /// Who.
    pub authored_by: Uuid,
    /// Their display name.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    version: i64,
    body: String,
    authored_by: Uuid,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

impl From<Row> for DocumentVersion {
    fn from(r: Row) -> Self {
        DocumentVersion {
            version: r.version,
            body: r.body,
            authored_by: r.authored_by,
            author_name: r.author_name,
            authored_at: r.authored_at.to_jiff(),
            reason: r.reason,
        }
    }
}

const SELECT: &str = "SELECT d.version, d.body, d.authored_by, a.display_name AS author_name, d.authored_at, d.reason
     FROM unit_documents d JOIN accounts a ON a.id = d.authored_by WHERE d.unit_id = $1 AND d.kind = $2";

impl Store {
    /// The current version of a unit's document of `kind`, if any.
    pub async fn document(&self, unit: Uuid, kind: &str) -> Result<Option<DocumentVersion>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY d.version DESC LIMIT 1"));
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(unit).bind(kind).fetch_optional(p).await)?;
        Ok(row.map(Into::into))
    }

    /// Every version, newest first.
    pub async fn document_history(&self, unit: Uuid, kind: &str) -> Result<Vec<DocumentVersion>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY d.version DESC"));
        let rows: Vec<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(unit).bind(kind).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The kinds of a unit's documents that start with `prefix`, in order.
    pub async fn document_kinds(&self, unit: Uuid, prefix: &str) -> Result<Vec<String>> {
        let pattern = format!("{prefix}%");
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT DISTINCT kind FROM unit_documents WHERE unit_id = $1 AND kind LIKE $2 ORDER BY kind")
            .bind(unit).bind(pattern.clone()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }

    /// Saves a new version if the current one is still `expected` (0 for none);
    /// otherwise [`StoreError::Stale`] and nothing is written. Returns the new version.
    pub async fn save_document(
        &self,
        unit: Uuid,
        kind: &str,
        expected: i64,
        body: &str,
        author: Uuid,
        reason: &str,
    ) -> Result<i64> {
        let at = crate::ts(now());
        let version = expected + 1;
        let written = on_writer!(self, p => sqlx::query(
            "INSERT INTO unit_documents (unit_id, kind, version, body, authored_by, authored_at, reason)
             SELECT $1, $2, $3, $4, $5, $6, $7
             WHERE (SELECT COALESCE(MAX(version), 0) FROM unit_documents WHERE unit_id = $1 AND kind = $2) = $8")
            .bind(unit).bind(kind).bind(version).bind(body).bind(author).bind(at).bind(reason).bind(expected)
            .execute(p).await.map(|r| r.rows_affected()));
        match written {
            Ok(1) => Ok(version),
            Ok(_) => Err(StoreError::Stale),
            Err(e) => match StoreError::unique(e, "unit_documents") {
                StoreError::Duplicate(_) => Err(StoreError::Stale),
                other => Err(other),
            },
        }
    }
}
