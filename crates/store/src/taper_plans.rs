//! A patient's taper plan as versions: drafts, and the versions a prescriber signed
//! (which become active). The store keeps the engine's request and plan as JSON; the web
//! layer makes them with the engine and checks who may sign. Reads need the
//! [`PatientAccess`] proof; every write logs in its own transaction.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Proposed, not signed: not in effect.
    Draft,
    /// Signed by a prescriber: the plan in effect.
    Active,
}

impl PlanStatus {
    fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Active => "active",
        }
    }

    pub(crate) fn from_code(c: &str) -> Option<PlanStatus> {
        match c {
            "draft" => Some(PlanStatus::Draft),
            "active" => Some(PlanStatus::Active),
            _ => None,
        }
    }
}

/// One version of a patient's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanVersion {
    /// 1, 2, …
    pub version: i64,
    /// Draft or active.
    pub status: PlanStatus,
    /// The engine's request, JSON.
    pub request: String,
    /// The engine's plan, JSON.
    pub plan: String,
    /// Who wrote it (for an active version: who drafted what was signed).
    pub authored_by: Uuid,
    /// Their name.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
    /// Who signed, for an active version.
    pub signed_by: Option<Uuid>,
    /// Their name.
    pub signer_name: Option<String>,
    /// For a signed version: the newest score the patient had when it was signed.
    /// Score ids are UUIDv7 (ordered by creation), so every score with an id up to this
    /// one was before the prescriber when they signed.
    pub scores_seen: Option<Uuid>,
    /// For a signed version: the newest diary entry the patient had sent when it was
    /// signed (ids ordered by creation, as for `scores_seen`).
    pub diary_seen: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct Row {
    version: i64,
    status: String,
    request: String,
    plan: String,
    authored_by: Uuid,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
    signed_by: Option<Uuid>,
    signer_name: Option<String>,
    scores_seen: Option<Uuid>,
    diary_seen: Option<Uuid>,
}

impl Row {
    fn into_version(self) -> Result<PlanVersion> {
        Ok(PlanVersion {
            version: self.version,
            status: PlanStatus::from_code(&self.status)
                .ok_or_else(|| StoreError::Corrupt(self.status.clone()))?,
            request: self.request,
            plan: self.plan,
            authored_by: self.authored_by,
            author_name: self.author_name,
            authored_at: self.authored_at.to_jiff(),
            reason: self.reason,
            signed_by: self.signed_by,
            signer_name: self.signer_name,
            scores_seen: self.scores_seen,
            diary_seen: self.diary_seen,
        })
    }
}

const SELECT: &str =
    "SELECT v.version, v.status, v.request, v.plan, v.authored_by, a.display_name AS author_name,
        v.authored_at, v.reason, v.signed_by, s.display_name AS signer_name, v.scores_seen, v.diary_seen
     FROM taper_plan_versions v
     JOIN accounts a ON a.id = v.authored_by
     LEFT JOIN accounts s ON s.id = v.signed_by
     WHERE v.patient_id = $1";

impl Store {
    /// Every version of the patient's plan, newest first (empty: no plan yet).
    pub async fn taper_plan_versions(&self, access: &PatientAccess) -> Result<Vec<PlanVersion>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY v.version DESC"));
        let rows: Vec<Row> =
            on_pool!(self, p => sqlx::query_as(sql).bind(access.patient_id()).fetch_all(p).await)?;
        rows.into_iter().map(Row::into_version).collect()
    }

    /// The plan in effect (the newest signed version) of every patient on an account's
    /// caseload who has one: what the start page's proposals are made from. The caller
    /// has logged the caseload it shows ([`Store::caseload`]).
    pub async fn caseload_active_plans(&self, account: Uuid) -> Result<Vec<(Uuid, PlanVersion)>> {
        #[derive(sqlx::FromRow)]
        struct PatientRow {
            patient_id: Uuid,
            #[sqlx(flatten)]
            row: Row,
        }
        let sql = sqlx::AssertSqlSafe(
            "SELECT v.patient_id, v.version, v.status, v.request, v.plan, v.authored_by, a.display_name AS author_name,
                v.authored_at, v.reason, v.signed_by, s.display_name AS signer_name, v.scores_seen, v.diary_seen
             FROM taper_plan_versions v
             JOIN accounts a ON a.id = v.authored_by
             LEFT JOIN accounts s ON s.id = v.signed_by
             WHERE v.status = 'active'
               AND v.patient_id IN (SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)
               AND v.version = (SELECT MAX(x.version) FROM taper_plan_versions x WHERE x.patient_id = v.patient_id AND x.status = 'active')",
        );
        let rows: Vec<PatientRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(account).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| Ok((r.patient_id, r.row.into_version()?)))
            .collect()
    }

    /// Saves a draft if the current version is still `expected` (0: no plan yet), and logs
    /// it in the same transaction. Returns the new version.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_taper_plan_draft(
        &self,
        access: &PatientAccess,
        expected: i64,
        request: &str,
        plan: &str,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let content = Content {
            request,
            plan,
            author,
        };
        let version = append(
            &mut tx,
            access,
            expected,
            PlanStatus::Draft,
            content,
            None,
            reason,
            log,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Saves a plan the prescriber signs at once (an adaptation proposal they accept): a
    /// new active version authored and signed by `signer`, if the current version is
    /// still `expected`. Logged in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn adopt_taper_plan(
        &self,
        access: &PatientAccess,
        expected: i64,
        request: &str,
        plan: &str,
        signer: Uuid,
        reason: &str,
        seen: Option<ReportsSeen>,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let content = Content {
            request,
            plan,
            author: signer,
        };
        let version = append(
            &mut tx,
            access,
            expected,
            PlanStatus::Active,
            content,
            Some((signer, seen)),
            reason,
            log,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Signs the current draft (it must still be version `expected`): a new, active
    /// version with the same request and plan and the signer. Logged in the same
    /// transaction. Refused (stale) when the current version is not a draft.
    #[allow(clippy::too_many_arguments)]
    pub async fn sign_taper_plan(
        &self,
        access: &PatientAccess,
        expected: i64,
        signer: Uuid,
        reason: &str,
        seen: Option<ReportsSeen>,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} AND v.version = $2"));
        let current: Option<Row> = on_tx!(tx, c => sqlx::query_as(sql).bind(access.patient_id()).bind(expected)
            .fetch_optional(&mut *c).await)?;
        let current = current.ok_or(StoreError::Stale)?.into_version()?;
        if current.status != PlanStatus::Draft {
            return Err(StoreError::Stale);
        }
        let content = Content {
            request: &current.request,
            plan: &current.plan,
            author: current.authored_by,
        };
        let version = append(
            &mut tx,
            access,
            expected,
            PlanStatus::Active,
            content,
            Some((signer, seen)),
            reason,
            log,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The patient's newest score and diary entry: what a signature made now would
    /// cover.
    pub async fn newest_reports(&self, access: &PatientAccess) -> Result<ReportsSeen> {
        let mut tx = self.begin().await?;
        let seen = newest_reports(&mut tx, access.patient_id()).await?;
        tx.commit().await?;
        Ok(seen)
    }
}

/// The patient's reports a prescriber had before them when signing: the newest score
/// and diary entry (ids are UUIDv7, ordered by creation). Those up to them count as
/// acted on by the signature; anything newer still moves a proposal and stays on the
/// worklist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportsSeen {
    /// The newest score.
    pub score: Option<Uuid>,
    /// The newest diary entry.
    pub diary: Option<Uuid>,
}

async fn newest_reports(tx: &mut crate::db::Tx, patient: Uuid) -> Result<ReportsSeen> {
    Ok(ReportsSeen {
        score: on_tx!(tx, c => sqlx::query_scalar(
            "SELECT id FROM scores WHERE patient_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(patient).fetch_optional(&mut *c).await)?,
        diary: on_tx!(tx, c => sqlx::query_scalar(
            "SELECT id FROM diary_entries WHERE patient_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(patient).fetch_optional(&mut *c).await)?,
    })
}

/// Moves the plan's current version from `expected` to the next (creating the plan when
/// `expected` is 0); [`StoreError::Stale`] when someone else moved it first.
async fn move_current(tx: &mut crate::db::Tx, patient: Uuid, expected: i64) -> Result<i64> {
    let next = expected + 1;
    let moved = if expected == 0 {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO taper_plans (patient_id, current_version, created_at) VALUES ($1, 1, $2) ON CONFLICT (patient_id) DO NOTHING")
            .bind(patient).bind(ts(now())).execute(&mut *c).await.map(|r| r.rows_affected()))?
    } else {
        on_tx!(tx, c => sqlx::query(
            "UPDATE taper_plans SET current_version = $1 WHERE patient_id = $2 AND current_version = $3")
            .bind(next).bind(patient).bind(expected).execute(&mut *c).await.map(|r| r.rows_affected()))?
    };
    if moved == 0 {
        return Err(StoreError::Stale);
    }
    Ok(next)
}

/// What a version holds.
struct Content<'a> {
    request: &'a str,
    plan: &'a str,
    author: Uuid,
}

/// Moves the current version on from `expected`, writes the new version and logs the
/// write — the one path every plan write takes.
#[allow(clippy::too_many_arguments)]
async fn append(
    tx: &mut crate::db::Tx,
    access: &PatientAccess,
    expected: i64,
    status: PlanStatus,
    content: Content<'_>,
    signature: Option<(Uuid, Option<ReportsSeen>)>,
    reason: &str,
    log: &NewEntry<'_>,
) -> Result<i64> {
    let patient = access.patient_id();
    let version = move_current(tx, patient, expected).await?;
    // A signature covers the reports the signer had before them — as the page showed
    // them, or, from a caller that names none, those recorded so far.
    let signer = signature.map(|(by, _)| by);
    let seen = match signature {
        Some((_, Some(seen))) => seen,
        Some((_, None)) => newest_reports(tx, patient).await?,
        None => ReportsSeen::default(),
    };
    let (scores_seen, diary_seen) = (seen.score, seen.diary);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO taper_plan_versions (patient_id, version, status, request, plan, authored_by, authored_at, reason, signed_by, scores_seen, diary_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(patient).bind(version).bind(status.code()).bind(content.request).bind(content.plan).bind(content.author)
        .bind(ts(now())).bind(reason).bind(signer).bind(scores_seen).bind(diary_seen)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    tx.append_patient_log(access, log).await?;
    Ok(version)
}
