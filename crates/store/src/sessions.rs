//! Sessions in our own table. Only a hash of the cookie's token is stored, so a copy of
//! the database does not let anyone sign in.

use jiff::Timestamp;
use trappa_policy::Role;
use uuid::Uuid;

use crate::db::{on_pool, on_writer};
use crate::{Result, Store, StoreError, ts};

/// A live session joined with what every request needs about its account.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// SHA-256 of the cookie token, hex.
    pub id_hash: String,
    /// The account.
    pub account_id: Uuid,
    /// The role the user acts in.
    pub active_role: Role,
    /// A password was given but the second factor is still owed.
    pub second_factor_pending: bool,
    /// The session was signed in with two factors: a password and a one-time code, or
    /// an identity provider's sign-in.
    pub multi_factor: bool,
    /// When the session was last used.
    pub last_seen_at: Timestamp,
    /// When it ends unless used.
    pub expires_at: Timestamp,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// The account's unit.
    pub unit_id: Option<Uuid>,
    /// For partners' staff: their organisation.
    pub partner_organisation_id: Option<Uuid>,
    /// For patient accounts.
    pub patient_id: Option<Uuid>,
    /// Whether the account is still active.
    pub account_active: bool,
    /// When a person last granted the account the role it acts in (none: given at
    /// setup). Accesses in a role granted under a day ago are flagged.
    pub role_granted_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id_hash: String,
    account_id: Uuid,
    active_role: String,
    second_factor_pending: bool,
    multi_factor: bool,
    last_seen_at: jiff_sqlx::Timestamp,
    expires_at: jiff_sqlx::Timestamp,
    username: String,
    display_name: String,
    unit_id: Option<Uuid>,
    partner_organisation_id: Option<Uuid>,
    patient_id: Option<Uuid>,
    active: bool,
    role_held: bool,
    role_granted_at: Option<jiff_sqlx::Timestamp>,
}

impl Store {
    /// Starts a session; `multi_factor` when the sign-in already proved two factors (an
    /// identity provider's).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_session(
        &self,
        id_hash: &str,
        account_id: Uuid,
        role: Role,
        second_factor_pending: bool,
        multi_factor: bool,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_writer!(self, p => sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, active_role, second_factor_pending, multi_factor, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)")
            .bind(id_hash).bind(account_id).bind(role.code()).bind(second_factor_pending).bind(multi_factor)
            .bind(ts(now)).bind(ts(expires_at)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The unexpired session with this token hash.
    pub async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<SessionRecord>> {
        if let Some(hit) = self
            .session_cache
            .get(id_hash)
            .filter(|s| s.expires_at > now)
        {
            return Ok(Some(hit));
        }
        let found = self.session_from_db(id_hash, now).await?;
        if let Some(s) = &found {
            self.session_cache.put(s.clone());
        }
        Ok(found)
    }

    async fn session_from_db(
        &self,
        id_hash: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>> {
        let row: Option<SessionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id_hash, s.account_id, s.active_role, s.second_factor_pending, s.multi_factor, s.last_seen_at, s.expires_at,
                    a.username, a.display_name, a.unit_id, a.partner_organisation_id, a.patient_id, a.active,
                    EXISTS (SELECT 1 FROM account_roles ar
                            WHERE ar.account_id = s.account_id AND ar.role = s.active_role) AS role_held,
                    (SELECT MAX(rc.changed_at) FROM role_changes rc
                     WHERE rc.account_id = s.account_id AND rc.role = s.active_role
                       AND rc.change = 'granted' AND rc.changed_by IS NOT NULL) AS role_granted_at
             FROM sessions s JOIN accounts a ON a.id = s.account_id
             WHERE s.id_hash = $1 AND s.expires_at > $2")
            .bind(id_hash).bind(ts(now)).fetch_optional(p).await)?;
        // A session never acts in a role its account no longer holds.
        let row = row.filter(|r| r.role_held);
        row.map(|r| {
            Ok(SessionRecord {
                active_role: Role::from_code(&r.active_role)
                    .ok_or_else(|| StoreError::Corrupt(format!("role {}", r.active_role)))?,
                id_hash: r.id_hash,
                account_id: r.account_id,
                second_factor_pending: r.second_factor_pending,
                multi_factor: r.multi_factor,
                last_seen_at: r.last_seen_at.to_jiff(),
                expires_at: r.expires_at.to_jiff(),
                username: r.username,
                display_name: r.display_name,
                unit_id: r.unit_id,
                partner_organisation_id: r.partner_organisation_id,
                patient_id: r.patient_id,
                account_active: r.active,
                role_granted_at: r.role_granted_at.map(|t| t.to_jiff()),
            })
        })
        .transpose()
    }

    /// Extends an idle-timeout session.
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        self.session_cache.evict(id_hash);
        on_writer!(self, p => sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(ts(now)).bind(ts(expires_at)).bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Marks the second factor as given: the session no longer owes it and has proved
    /// two factors (a one-time code given at sign-in, or when it was enrolled).
    pub async fn complete_second_factor(&self, id_hash: &str) -> Result<()> {
        self.session_cache.evict(id_hash);
        on_writer!(self, p => sqlx::query("UPDATE sessions SET second_factor_pending = FALSE, multi_factor = TRUE WHERE id_hash = $1")
            .bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Switches the role the user acts in.
    pub async fn set_session_role(&self, id_hash: &str, role: Role) -> Result<()> {
        self.session_cache.evict(id_hash);
        on_writer!(self, p => sqlx::query("UPDATE sessions SET active_role = $1 WHERE id_hash = $2")
            .bind(role.code()).bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends a session (logout).
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.session_cache.evict(id_hash);
        on_writer!(self, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes sessions that have expired; returns how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64> {
        self.session_cache.clear();
        let r = on_writer!(self, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(ts(now)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(r)
    }
}

/// How long a cached session may be used without asking the database.
const SESSION_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Sessions read recently, so a busy user's requests skip one query each.
///
/// Only on SQLite, where this process is the database's one server and every session
/// change goes through the store, which evicts what it changes; the short time-to-live
/// covers changes made by other processes (the command-line tools). On PostgreSQL several
/// instances share the sessions table, so every request reads it.
#[derive(Default)]
pub(crate) struct SessionCache {
    enabled: bool,
    map: std::sync::Mutex<std::collections::HashMap<String, (SessionRecord, std::time::Instant)>>,
}

impl SessionCache {
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            map: Default::default(),
        }
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<
        '_,
        std::collections::HashMap<String, (SessionRecord, std::time::Instant)>,
    > {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, id_hash: &str) -> Option<SessionRecord> {
        if !self.enabled {
            return None;
        }
        let map = self.lock();
        map.get(id_hash)
            .filter(|(_, at)| at.elapsed() < SESSION_CACHE_TTL)
            .map(|(s, _)| s.clone())
    }

    fn put(&self, s: SessionRecord) {
        if self.enabled {
            let mut map = self.lock();
            if map.len() > 10_000 {
                map.retain(|_, (_, at)| at.elapsed() < SESSION_CACHE_TTL);
            }
            map.insert(s.id_hash.clone(), (s, std::time::Instant::now()));
        }
    }

    fn evict(&self, id_hash: &str) {
        if self.enabled {
            self.lock().remove(id_hash);
        }
    }

    /// Forgets everything (after account changes that end or alter sessions).
    pub(crate) fn clear(&self) {
        if self.enabled {
            self.lock().clear();
        }
    }
}
