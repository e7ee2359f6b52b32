//! Role changes: every grant and revocation of a role, append-only, with who made it —
//! the separation of duties an auditor reviews. Written in the same transaction as the
//! change of `account_roles` itself (`record`), so no role moves unrecorded.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::Role;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, Tx, now, ts};

/// Whether a role was given or taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Given.
    Granted,
    /// Taken away.
    Revoked,
}

impl Change {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Change::Granted => "granted",
            Change::Revoked => "revoked",
        }
    }
}

/// One change of one role of one account, with its review if signed.
#[derive(Debug, Clone, Serialize)]
pub struct RoleChange {
    /// Id.
    pub id: Uuid,
    /// The account whose role changed.
    pub account_id: Uuid,
    /// Its login name.
    pub username: String,
    /// Its display name.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// Given or taken away.
    pub change: Change,
    /// Who made the change (none: given when Trappa was set up).
    pub changed_by_name: Option<String>,
    /// When.
    pub changed_at: Timestamp,
    /// Who reviewed it.
    pub reviewed_by_name: Option<String>,
    /// When.
    pub reviewed_at: Option<Timestamp>,
    /// The reviewer's note.
    pub review_note: Option<String>,
}

/// Records in `tx` the difference between an account's roles before and after, made
/// by `by` (none at setup). Returns whether a role was taken away.
pub(crate) async fn record(
    tx: &mut Tx,
    account: Uuid,
    before: &[Role],
    after: &[Role],
    by: Option<Uuid>,
) -> Result<bool> {
    let at = ts(now());
    let granted = after
        .iter()
        .filter(|r| !before.contains(r))
        .map(|r| (*r, Change::Granted));
    let revoked = before
        .iter()
        .filter(|r| !after.contains(r))
        .map(|r| (*r, Change::Revoked));
    let mut any_revoked = false;
    for (role, change) in granted.chain(revoked) {
        any_revoked |= change == Change::Revoked;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO role_changes (id, account_id, role, change, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(Uuid::now_v7()).bind(account).bind(role.code()).bind(change.code()).bind(by).bind(at)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(any_revoked)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Uuid,
    username: String,
    display_name: String,
    role: String,
    change: String,
    changed_by_name: Option<String>,
    changed_at: jiff_sqlx::Timestamp,
    reviewed_by_name: Option<String>,
    reviewed_at: Option<jiff_sqlx::Timestamp>,
    review_note: Option<String>,
}

impl Store {
    /// Role changes made by people (not those of setup), unreviewed first and then
    /// newest first; with `unreviewed_only`, only those still to review.
    pub async fn role_changes(&self, unreviewed_only: bool, limit: i64) -> Result<Vec<RoleChange>> {
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT rc.id, rc.account_id, a.username, a.display_name, rc.role, rc.change,
                    b.display_name AS changed_by_name, rc.changed_at,
                    r.display_name AS reviewed_by_name, rv.reviewed_at, rv.note AS review_note
             FROM role_changes rc
             JOIN accounts a ON a.id = rc.account_id
             LEFT JOIN accounts b ON b.id = rc.changed_by
             LEFT JOIN role_change_reviews rv ON rv.role_change_id = rc.id
             LEFT JOIN accounts r ON r.id = rv.reviewed_by
             WHERE rc.changed_by IS NOT NULL AND ($1 = FALSE OR rv.role_change_id IS NULL)
             ORDER BY (rv.role_change_id IS NULL) DESC, rc.changed_at DESC, rc.id DESC
             LIMIT $2")
            .bind(unreviewed_only).bind(limit).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(RoleChange {
                    id: r.id,
                    account_id: r.account_id,
                    username: r.username,
                    display_name: r.display_name,
                    role: Role::from_code(&r.role)
                        .ok_or_else(|| StoreError::Corrupt(r.role.clone()))?,
                    change: if r.change == "granted" {
                        Change::Granted
                    } else {
                        Change::Revoked
                    },
                    changed_by_name: r.changed_by_name,
                    changed_at: r.changed_at.to_jiff(),
                    reviewed_by_name: r.reviewed_by_name,
                    reviewed_at: r.reviewed_at.map(|t| t.to_jiff()),
                    review_note: r.review_note,
                })
            })
            .collect()
    }

    /// How many role changes made by people await review.
    pub async fn unreviewed_role_changes(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM role_changes rc
             WHERE rc.changed_by IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM role_change_reviews rv WHERE rv.role_change_id = rc.id)")
            .fetch_one(p).await)?;
        Ok(n)
    }

    /// Signs off a role change's review, logged in the same transaction. A change
    /// already reviewed, or one of setup, is [`StoreError::Stale`].
    pub async fn review_role_change(
        &self,
        id: Uuid,
        reviewer: Uuid,
        note: &str,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let reviewable: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT rc.id FROM role_changes rc
             WHERE rc.id = $1 AND rc.changed_by IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM role_change_reviews rv WHERE rv.role_change_id = rc.id)")
            .bind(id).fetch_optional(&mut *c).await)?;
        if reviewable.is_none() {
            return Err(StoreError::Stale);
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO role_change_reviews (role_change_id, reviewed_by, reviewed_at, note) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(reviewer).bind(ts(now())).bind(note)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_access_log(log).await?;
        tx.commit().await
    }
}
