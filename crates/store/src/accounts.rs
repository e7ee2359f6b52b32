//! Accounts: staff (and patients who sign in), their roles and login attempts.

use jiff::Timestamp;
use serde::Serialize;
use trappa_policy::Role;
use uuid::Uuid;

use crate::db::{on_pool, on_writer};
use crate::{Result, Store, StoreError, now, ts};

/// An account as the application sees it. The password hash and TOTP secret stay in
/// [`Credentials`], which only the login path reads.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Internal id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown in the UI and the access log.
    pub display_name: String,
    /// Profession (sjuksköterska, läkare …), for staff.
    pub profession: Option<String>,
    /// HSA-id, for staff.
    pub hsa_id: Option<String>,
    /// The unit the account works at.
    pub unit_id: Option<Uuid>,
    /// The patient this account belongs to, for patient accounts.
    pub patient_id: Option<Uuid>,
    /// The partner organisation the account works at, for partners' staff.
    pub partner_organisation_id: Option<Uuid>,
    /// Roles held, in display order.
    pub roles: Vec<Role>,
    /// Whether the account may sign in.
    pub active: bool,
    /// Whether a TOTP second factor is set up.
    pub totp_enabled: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// What the login path needs to check a password and second factor.
pub struct Credentials {
    /// The account.
    pub account: Account,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// The base32 TOTP secret, if a second factor is set up.
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account", &self.account.id)
            .finish_non_exhaustive()
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login name (unique).
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Profession, for staff.
    pub profession: Option<String>,
    /// HSA-id, for staff (unique).
    pub hsa_id: Option<String>,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// For patient accounts: the patient.
    pub patient_id: Option<Uuid>,
    /// For partners' staff: their organisation.
    pub partner_organisation_id: Option<Uuid>,
    /// Roles; at least one.
    pub roles: Vec<Role>,
    /// argon2id hash of the initial password.
    pub password_hash: String,
    /// Who creates the account (recorded with its roles); none at setup.
    pub created_by: Option<Uuid>,
}

/// The editable part of an account.
#[derive(Debug, Clone)]
pub struct AccountUpdate {
    /// Display name.
    pub display_name: String,
    /// Profession.
    pub profession: Option<String>,
    /// HSA-id.
    pub hsa_id: Option<String>,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// For partners' staff: their organisation.
    pub partner_organisation_id: Option<Uuid>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Whether the account may sign in.
    pub active: bool,
    /// A new password hash (an administrator's reset); ends every session of the account.
    pub password_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: Uuid,
    username: String,
    display_name: String,
    profession: Option<String>,
    hsa_id: Option<String>,
    unit_id: Option<Uuid>,
    patient_id: Option<Uuid>,
    partner_organisation_id: Option<Uuid>,
    password_hash: String,
    totp_secret: Option<String>,
    active: bool,
    version: i64,
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, profession, hsa_id, unit_id, patient_id, partner_organisation_id, password_hash, totp_secret, active, version";

impl Store {
    pub(crate) async fn roles_of(&self, account_id: Uuid) -> Result<Vec<Role>> {
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT role FROM account_roles WHERE account_id = $1")
            .bind(account_id).fetch_all(p).await)?;
        let mut roles: Vec<Role> = rows
            .into_iter()
            .map(|(r,)| Role::from_code(&r).ok_or_else(|| StoreError::Corrupt(format!("role {r}"))))
            .collect::<Result<_>>()?;
        roles.sort();
        Ok(roles)
    }

    async fn credentials_from(&self, row: AccountRow) -> Result<Credentials> {
        let roles = self.roles_of(row.id).await?;
        Ok(Credentials {
            account: Account {
                id: row.id,
                username: row.username,
                display_name: row.display_name,
                profession: row.profession,
                hsa_id: row.hsa_id,
                unit_id: row.unit_id,
                patient_id: row.patient_id,
                partner_organisation_id: row.partner_organisation_id,
                roles,
                active: row.active,
                totp_enabled: row.totp_secret.is_some(),
                version: row.version,
            },
            password_hash: row.password_hash,
            totp_secret: row.totp_secret,
        })
    }

    /// Creates an account with its roles, in one transaction.
    pub async fn create_account(&self, a: &NewAccount) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let at = ts(now());
        let mut tx = self.begin().await?;
        crate::db::on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO accounts (id, username, display_name, profession, hsa_id, unit_id, patient_id, password_hash, totp_secret, active, version, created_at, updated_at, partner_organisation_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, TRUE, 1, $9, $9, $10)")
                .bind(id).bind(&a.username).bind(&a.display_name).bind(&a.profession).bind(&a.hsa_id)
                .bind(a.unit_id).bind(a.patient_id).bind(&a.password_hash).bind(at).bind(a.partner_organisation_id)
                .execute(&mut *c).await.map(|r| r.rows_affected()).map_err(|e| StoreError::unique(e, "account"))?;
            for role in &a.roles {
                sqlx::query("INSERT INTO account_roles (account_id, role) VALUES ($1, $2)")
                    .bind(id).bind(role.code()).execute(&mut *c).await.map(|r| r.rows_affected())?;
            }
        });
        crate::role_changes::record(&mut tx, id, &[], &a.roles, a.created_by).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The credentials for a username, for the login path only.
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = $1"
        ));
        let row: Option<AccountRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(username).fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(Some(self.credentials_from(r).await?)),
            None => Ok(None),
        }
    }

    /// The credentials of an account by id (password change, second factor).
    pub async fn credentials_by_id(&self, id: Uuid) -> Result<Option<Credentials>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
        ));
        let row: Option<AccountRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(Some(self.credentials_from(r).await?)),
            None => Ok(None),
        }
    }

    /// One account by id.
    pub async fn account(&self, id: Uuid) -> Result<Option<Account>> {
        Ok(self.credentials_by_id(id).await?.map(|c| c.account))
    }

    /// The account an identity provider's HSA-id names (a member of staff signing in
    /// with SITHS), if there is one.
    pub async fn account_by_hsa_id(&self, hsa_id: &str) -> Result<Option<Account>> {
        let found: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id FROM accounts WHERE hsa_id = $1")
            .bind(hsa_id).fetch_optional(p).await)?;
        match found {
            Some((id,)) => self.account(id).await,
            None => Ok(None),
        }
    }

    /// The patient account of the patient whose current identity number is `pid` (a
    /// patient signing in with BankID), if there is one. Only the current version of
    /// the record counts: a number the record no longer carries signs no one in.
    pub async fn patient_account_by_identity(
        &self,
        pid: &trappa_ident::PersonalIdentity,
    ) -> Result<Option<Account>> {
        let found: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id FROM accounts a
             JOIN patients p ON p.id = a.patient_id
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             WHERE v.personal_identity = $1")
            .bind(pid.canonical()).fetch_optional(p).await)?;
        match found {
            Some((id,)) => self.account(id).await,
            None => Ok(None),
        }
    }

    /// Every account, by display name in Swedish order.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"
        ));
        let rows: Vec<AccountRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        let roles: Vec<(Uuid, String)> = on_pool!(self, p => sqlx::query_as("SELECT account_id, role FROM account_roles").fetch_all(p).await)?;
        let mut accounts = rows
            .into_iter()
            .map(|r| {
                let mut rs: Vec<Role> = roles
                    .iter()
                    .filter(|(a, _)| *a == r.id)
                    .filter_map(|(_, c)| Role::from_code(c))
                    .collect();
                rs.sort();
                Ok(Account {
                    id: r.id,
                    username: r.username,
                    display_name: r.display_name,
                    profession: r.profession,
                    hsa_id: r.hsa_id,
                    unit_id: r.unit_id,
                    patient_id: r.patient_id,
                    partner_organisation_id: r.partner_organisation_id,
                    roles: rs,
                    active: r.active,
                    totp_enabled: r.totp_secret.is_some(),
                    version: r.version,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        trappa_i18n::collate::sort_by_text(&mut accounts, |a| &a.display_name);
        Ok(accounts)
    }

    /// Changes an account if it is still at `expected_version`; otherwise
    /// [`StoreError::Stale`]. Role changes are recorded with `by` in the same
    /// transaction; a role taken away ends the account's sessions (a session acts in
    /// one of the account's roles, and must not keep one it lost).
    pub async fn update_account(
        &self,
        id: Uuid,
        expected_version: i64,
        u: &AccountUpdate,
        by: Uuid,
    ) -> Result<()> {
        let at = ts(now());
        let mut tx = self.begin().await?;
        let before: Vec<(String,)> = crate::db::on_tx!(tx, c => sqlx::query_as(
            "SELECT role FROM account_roles WHERE account_id = $1").bind(id).fetch_all(&mut *c).await)?;
        let before: Vec<Role> = before
            .iter()
            .filter_map(|(r,)| Role::from_code(r))
            .collect();
        crate::db::on_tx!(tx, c => {
            let changed = sqlx::query(
                "UPDATE accounts SET display_name = $1, profession = $2, hsa_id = $3, unit_id = $4, active = $5,
                     version = version + 1, updated_at = $6, partner_organisation_id = $9
                 WHERE id = $7 AND version = $8")
                .bind(&u.display_name).bind(&u.profession).bind(&u.hsa_id).bind(u.unit_id).bind(u.active)
                .bind(at).bind(id).bind(expected_version).bind(u.partner_organisation_id)
                .execute(&mut *c).await.map(|r| r.rows_affected()).map_err(|e| StoreError::unique(e, "hsa_id"))?;
            if changed == 0 {
                return Err(StoreError::Stale);
            }
            sqlx::query("DELETE FROM account_roles WHERE account_id = $1").bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            for role in &u.roles {
                sqlx::query("INSERT INTO account_roles (account_id, role) VALUES ($1, $2)")
                    .bind(id).bind(role.code()).execute(&mut *c).await.map(|r| r.rows_affected())?;
            }
            if let Some(hash) = &u.password_hash {
                sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            }
            let revoked = before.iter().any(|r| !u.roles.contains(r));
            if !u.active || u.password_hash.is_some() || revoked {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            }
        });
        crate::role_changes::record(&mut tx, id, &before, &u.roles, Some(by)).await?;
        tx.commit().await?;
        self.session_cache.clear();
        Ok(())
    }

    /// Sets a new password hash and ends every session of the account except `keep_session`.
    pub async fn set_password(
        &self,
        id: Uuid,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let at = ts(now());
        let mut tx = self.begin().await?;
        crate::db::on_tx!(tx, c => {
            sqlx::query("UPDATE accounts SET password_hash = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(password_hash).bind(at).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
                .bind(id).bind(keep_session.unwrap_or("")).execute(&mut *c).await.map(|r| r.rows_affected())?;
        });
        tx.commit().await?;
        self.session_cache.clear();
        Ok(())
    }

    /// Accepts a TOTP time step for sign-in only if it is later than the last one
    /// accepted, so a one-time code works once (RFC 6238 5.2). Atomic across instances.
    pub async fn accept_totp_step(&self, id: Uuid, step: u64) -> Result<bool> {
        let step = i64::try_from(step).map_err(|_| StoreError::Corrupt("totp step".into()))?;
        let n = on_writer!(self, p => sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
            .bind(step).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Turns TOTP on with `secret` for an account that has none, and ends every other
    /// session of the account (`keep_session` stays): whoever was signed in with the
    /// password alone is signed out. False, and nothing changed, when a key is already
    /// there: a key is replaced only by turning TOTP off first. Atomic across instances.
    pub async fn enrol_totp(&self, id: Uuid, secret: &str, keep_session: &str) -> Result<bool> {
        let at = ts(now());
        let mut tx = self.begin().await?;
        let enrolled = crate::db::on_tx!(tx, c => {
            let n = sqlx::query("UPDATE accounts SET totp_secret = $1, totp_last_step = NULL, version = version + 1, updated_at = $2
                                 WHERE id = $3 AND totp_secret IS NULL")
                .bind(secret).bind(at).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            if n == 1 {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
                    .bind(id).bind(keep_session).execute(&mut *c).await.map(|r| r.rows_affected())?;
            }
            n == 1
        });
        tx.commit().await?;
        self.session_cache.clear();
        Ok(enrolled)
    }

    /// Sets or clears the TOTP secret.
    pub async fn set_totp_secret(&self, id: Uuid, secret: Option<&str>) -> Result<()> {
        let at = ts(now());
        on_writer!(self, p => sqlx::query("UPDATE accounts SET totp_secret = $1, totp_last_step = NULL, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(secret).bind(at).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records a login attempt, for throttling and review.
    pub async fn record_login_attempt(
        &self,
        username: &str,
        client_ip: Option<&str>,
        succeeded: bool,
    ) -> Result<()> {
        on_writer!(self, p => sqlx::query("INSERT INTO login_attempts (username, client_ip, at, succeeded) VALUES ($1, $2, $3, $4)")
            .bind(username).bind(client_ip).bind(ts(now())).bind(succeeded).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records an administrator's lift of `username`'s sign-in lock: failures before it
    /// no longer count towards the username's limit (those from an address still do).
    pub async fn unlock_sign_in(&self, username: &str, by: Uuid) -> Result<()> {
        on_writer!(self, p => sqlx::query("INSERT INTO login_attempts (username, client_ip, at, succeeded, unlocked_by) VALUES ($1, NULL, $2, FALSE, $3)")
            .bind(username).bind(ts(now())).bind(by).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Failed attempts since `since` for this username after its last success (or an
    /// administrator's unlock), and for this client address. "After" is by the
    /// attempts' order, not their time: times are whole seconds, and a failure in the
    /// same second as a success still counts.
    pub async fn recent_login_failures(
        &self,
        username: &str,
        client_ip: Option<&str>,
        since: Timestamp,
    ) -> Result<(i64, i64)> {
        let (by_user,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM login_attempts
             WHERE username = $1 AND NOT succeeded AND unlocked_by IS NULL AND at >= $2
               AND id > COALESCE((SELECT MAX(id) FROM login_attempts
                                  WHERE username = $1 AND (succeeded OR unlocked_by IS NOT NULL)), 0)")
            .bind(username).bind(ts(since)).fetch_one(p).await)?;
        let (by_ip,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM login_attempts
             WHERE client_ip = $1 AND NOT succeeded AND unlocked_by IS NULL AND at >= $2")
            .bind(client_ip.unwrap_or("")).bind(ts(since)).fetch_one(p).await)?;
        Ok((by_user, by_ip))
    }
}
