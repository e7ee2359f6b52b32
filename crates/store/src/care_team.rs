//! The care team: who has a care relationship with a patient, and so may open the record.

use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx, on_writer};
use crate::log_entry::NewEntry;
pub use crate::team::{CareTeamMember, TeamFunction};
use crate::{Result, Store, StoreError, now, ts};
use trappa_policy::{AccessBasis, Role};

/// A patient on someone's caseload, for their start page.
#[derive(Debug, Clone, Serialize)]
pub struct CaseloadEntry {
    /// The patient.
    pub patient_id: Uuid,
    /// Identity number as currently recorded.
    pub personal_identity: trappa_ident::PersonalIdentity,
    /// Name as currently recorded.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Function the account has for this patient.
    pub function: TeamFunction,
    /// The taper plan's current version: a draft awaiting signature, or active.
    pub plan: Option<crate::taper_plans::PlanStatus>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: Uuid,
    account_id: Uuid,
    display_name: String,
    profession: Option<String>,
    function: String,
    added_at: jiff_sqlx::Timestamp,
    ended_at: Option<jiff_sqlx::Timestamp>,
}

impl Store {
    /// The care team, current members first, then past ones.
    pub async fn care_team(&self, access: &PatientAccess) -> Result<Vec<CareTeamMember>> {
        if let Some(team) = access.sealed_team() {
            return Ok(team.to_vec());
        }
        let rows: Vec<MemberRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.id, c.account_id, a.display_name, a.profession, c.function, c.added_at, c.ended_at
             FROM care_team_members c JOIN accounts a ON a.id = c.account_id
             WHERE c.patient_id = $1
             ORDER BY (c.ended_at IS NULL) DESC, c.added_at, c.id")
            .bind(access.patient_id()).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(CareTeamMember {
                    id: r.id,
                    account_id: r.account_id,
                    display_name: r.display_name,
                    profession: r.profession,
                    function: TeamFunction::from_code(&r.function)
                        .ok_or_else(|| StoreError::Corrupt(r.function.clone()))?,
                    added_at: r.added_at.to_jiff(),
                    ended_at: r.ended_at.map(|t| t.to_jiff()),
                })
            })
            .collect()
    }

    /// Adds a member (logged with the change, in one transaction).
    pub async fn add_care_team_member(
        &self,
        access: &PatientAccess,
        account_id: Uuid,
        function: TeamFunction,
        by: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let mut tx = self.begin().await?;
        let id = add_member(&mut tx, access, account_id, function, by).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends a membership; the row stays as history.
    pub async fn end_care_team_member(
        &self,
        access: &PatientAccess,
        member_id: Uuid,
        by: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        end_member(&mut tx, access, member_id, by).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await
    }

    /// Hands a member's function over to another account: the old membership ends and
    /// the new one starts in the same transaction, so the function is never vacant.
    pub async fn hand_over_care_team_member(
        &self,
        access: &PatientAccess,
        member_id: Uuid,
        to: Uuid,
        by: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let mut tx = self.begin().await?;
        let function: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT function FROM care_team_members WHERE id = $1 AND patient_id = $2 AND ended_at IS NULL")
            .bind(member_id).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        let Some((function,)) = function else {
            return Err(StoreError::Stale);
        };
        let function = TeamFunction::from_code(&function)
            .ok_or_else(|| StoreError::Corrupt(function.clone()))?;
        end_member(&mut tx, access, member_id, by).await?;
        let id = add_member(&mut tx, access, to, function, by).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a member without an access check: for demo and reference loading only.
    pub async fn seed_care_team_member(
        &self,
        patient_id: Uuid,
        account_id: Uuid,
        function: TeamFunction,
        by: Uuid,
    ) -> Result<()> {
        // No misfit even here (a coordinator as prescriber): the same rule as every
        // other add.
        if !self
            .roles_of(account_id)
            .await?
            .into_iter()
            .any(|r| function.fits(r))
        {
            return Err(StoreError::Refused("care_team_function"));
        }
        on_writer!(self, p => sqlx::query(
            "INSERT INTO care_team_members (id, patient_id, account_id, function, added_at, added_by) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(Uuid::now_v7()).bind(patient_id).bind(account_id).bind(function.code()).bind(ts(now())).bind(by)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The patients an account is currently in the care team of. Their names are shown,
    /// so each one is logged as listed (from `log`, in one transaction) before returning.
    pub async fn caseload(
        &self,
        account_id: Uuid,
        limit: i64,
        log: &NewEntry<'_>,
    ) -> Result<Vec<CaseloadEntry>> {
        let rows: Vec<(Uuid, String, String, String, String, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, v.personal_identity, v.given_name, v.family_name, c.function, tv.status
             FROM care_team_members c
             JOIN patients p ON p.id = c.patient_id
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             LEFT JOIN taper_plans tp ON tp.patient_id = p.id
             LEFT JOIN taper_plan_versions tv ON tv.patient_id = p.id AND tv.version = tp.current_version
             WHERE c.account_id = $1 AND c.ended_at IS NULL
             ORDER BY v.family_name, v.given_name LIMIT $2")
            .bind(account_id).bind(limit).fetch_all(p).await)?;
        let mut list: Vec<CaseloadEntry> = rows
            .into_iter()
            .map(|(patient_id, pid, given_name, family_name, f, plan)| {
                Ok(CaseloadEntry {
                    patient_id,
                    personal_identity: trappa_ident::PersonalIdentity::try_from(pid)
                        .map_err(|e| StoreError::Corrupt(format!("identity number: {e}")))?,
                    given_name,
                    family_name,
                    function: TeamFunction::from_code(&f)
                        .ok_or_else(|| StoreError::Corrupt(f.clone()))?,
                    plan: match plan.as_deref() {
                        None => None,
                        Some(c) => Some(
                            crate::taper_plans::PlanStatus::from_code(c)
                                .ok_or_else(|| StoreError::Corrupt(c.to_owned()))?,
                        ),
                    },
                })
            })
            .collect::<Result<_>>()?;
        // The database picked the first `limit` by its own order; Swedish order to show.
        trappa_i18n::collate::sort_by_texts(&mut list, |c| [&c.family_name, &c.given_name]);
        if !list.is_empty() {
            let mut tx = self.begin().await?;
            for c in &list {
                let entry = NewEntry {
                    patient_id: Some(c.patient_id),
                    basis: Some(AccessBasis::CareTeam),
                    ..log.clone()
                };
                tx.append_access_log(&entry).await?;
            }
            tx.commit().await?;
        }
        Ok(list)
    }
}

async fn add_member(
    tx: &mut crate::db::Tx,
    access: &PatientAccess,
    account_id: Uuid,
    function: TeamFunction,
    by: Uuid,
) -> Result<Uuid> {
    let existing: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id FROM care_team_members WHERE patient_id = $1 AND account_id = $2 AND function = $3 AND ended_at IS NULL")
        .bind(access.patient_id()).bind(account_id).bind(function.code()).fetch_optional(&mut *c).await)?;
    if existing.is_some() {
        return Err(StoreError::Duplicate("care_team_member"));
    }
    // The pages and the API refuse a misfit with a message; this keeps every other
    // writer (the demo loader, a future adapter) from making one (a coordinator as
    // prescriber), read in the same transaction as the write.
    let roles: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT role FROM account_roles WHERE account_id = $1")
        .bind(account_id).fetch_all(&mut *c).await)?;
    let fits = roles
        .iter()
        .filter_map(|(r,)| Role::from_code(r))
        .any(|r| function.fits(r));
    if !fits {
        return Err(StoreError::Refused("care_team_function"));
    }
    let id = Uuid::now_v7();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO care_team_members (id, patient_id, account_id, function, added_at, added_by) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id).bind(access.patient_id()).bind(account_id).bind(function.code()).bind(ts(now())).bind(by)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(id)
}

async fn end_member(
    tx: &mut crate::db::Tx,
    access: &PatientAccess,
    member_id: Uuid,
    by: Uuid,
) -> Result<()> {
    let r = on_tx!(tx, c => sqlx::query(
        "UPDATE care_team_members SET ended_at = $1, ended_by = $2 WHERE id = $3 AND patient_id = $4 AND ended_at IS NULL")
        .bind(ts(now())).bind(by).bind(member_id).bind(access.patient_id()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    if r == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_function_fits_the_professions_that_may_hold_it() {
        use Role::*;
        use TeamFunction::*;
        let check = |function: TeamFunction, fitting: &[Role]| {
            for role in Role::ALL {
                assert_eq!(
                    function.fits(role),
                    fitting.contains(&role),
                    "{function:?} for {role:?}"
                );
            }
        };
        check(Prescriber, &[Physician]);
        check(Psychosocial, &[Psychologist]);
        check(TeamFunction::Physiotherapist, &[Role::Physiotherapist]);
        check(
            FastVardkontakt,
            &[Nurse, Physician, Psychologist, Role::Physiotherapist],
        );
        check(
            TeamFunction::Other,
            &[
                Nurse,
                Physician,
                Psychologist,
                Role::Physiotherapist,
                Coordinator,
                UnitManager,
            ],
        );
        assert_eq!(
            TeamFunction::fitting(&[Coordinator]).collect::<Vec<_>>(),
            [TeamFunction::Other]
        );
    }
}
