//! A unit's taper settings (its choices over the engine's reference data), as
//! append-only versions. The store keeps them as JSON text; the web layer parses and
//! validates them with the engine before saving.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::db::{on_pool, on_writer};
use crate::{Result, Store, StoreError, now};

/// One version of a unit's settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaperSettingsVersion {
    /// The unit.
    pub unit_id: Uuid,
    /// 1, 2, …
    pub version: i64,
    /// The settings as JSON.
    pub settings: String,
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
    unit_id: Uuid,
    version: i64,
    settings: String,
    authored_by: Uuid,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

impl Row {
    fn into_version(self) -> TaperSettingsVersion {
        TaperSettingsVersion {
            unit_id: self.unit_id,
            version: self.version,
            settings: self.settings,
            authored_by: self.authored_by,
            author_name: self.author_name,
            authored_at: self.authored_at.to_jiff(),
            reason: self.reason,
        }
    }
}

const SELECT: &str = "SELECT s.unit_id, s.version, s.settings, s.authored_by, a.display_name AS author_name, s.authored_at, s.reason
     FROM taper_settings s JOIN accounts a ON a.id = s.authored_by WHERE s.unit_id = $1";

impl Store {
    /// The unit's current settings, if it has any.
    pub async fn taper_settings(&self, unit: Uuid) -> Result<Option<TaperSettingsVersion>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY s.version DESC LIMIT 1"));
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(unit).fetch_optional(p).await)?;
        Ok(row.map(Row::into_version))
    }

    /// Every version, newest first.
    pub async fn taper_settings_history(&self, unit: Uuid) -> Result<Vec<TaperSettingsVersion>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY s.version DESC"));
        let rows: Vec<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(unit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Row::into_version).collect())
    }

    /// Saves a new version if the current one is still `expected` (0 for none);
    /// otherwise [`StoreError::Stale`] and nothing is written. Returns the new version.
    pub async fn save_taper_settings(
        &self,
        unit: Uuid,
        expected: i64,
        settings: &str,
        author: Uuid,
        reason: &str,
    ) -> Result<i64> {
        let at = crate::ts(now());
        let version = expected + 1;
        let written = on_writer!(self, p => sqlx::query(
            "INSERT INTO taper_settings (unit_id, version, settings, authored_by, authored_at, reason)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE (SELECT COALESCE(MAX(version), 0) FROM taper_settings WHERE unit_id = $1) = $7")
            .bind(unit).bind(version).bind(settings).bind(author).bind(at).bind(reason).bind(expected)
            .execute(p).await.map(|r| r.rows_affected()));
        match written {
            Ok(1) => Ok(version),
            Ok(_) => Err(StoreError::Stale),
            Err(e) => match StoreError::unique(e, "taper_settings") {
                StoreError::Duplicate(_) => Err(StoreError::Stale),
                other => Err(other),
            },
        }
    }
}
