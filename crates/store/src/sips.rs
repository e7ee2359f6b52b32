//! Coordinated individual plans (SIP, *samordnad individuell plan*; SoL 2 kap 7 §, HSL
//! 16 kap 4 §), kept apart from the journal: a shared document of the unit and its
//! partner organisations. Every part is append-only — the plan's versions with their
//! parties, each party's signature on a version, tasks per organisation and their
//! status as events. Who may read what is decided above the store
//! (`trappa_policy::partner`, `trappa_app::sip`).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// A party to a SIP: the unit itself, or a partner organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Party {
    /// The tapering unit.
    Unit,
    /// A partner organisation.
    Partner(Uuid),
}

impl Party {
    /// The organisation column's value (none for the unit).
    pub fn organisation(self) -> Option<Uuid> {
        match self {
            Party::Unit => None,
            Party::Partner(id) => Some(id),
        }
    }

    fn from_column(organisation: Option<Uuid>) -> Party {
        organisation.map_or(Party::Unit, Party::Partner)
    }
}

/// One person at the SIP meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Name.
    pub name: String,
    /// For whom they take part: a party, or none (the patient, a relative).
    pub party: Option<Party>,
    /// Their role in the meeting, in their own words ("socialsekreterare", "dotter").
    pub role: String,
}

/// An intervention of the plan and who is responsible for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// What is done.
    pub what: String,
    /// The party responsible.
    pub responsible: Party,
}

/// The plan's content, as the law asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipContent {
    /// The meeting's date.
    pub meeting_on: Option<Date>,
    /// Who took part.
    pub participants: Vec<Participant>,
    /// The patient took part.
    pub patient_present: bool,
    /// The interventions needed and who is responsible for each.
    pub interventions: Vec<Intervention>,
    /// What others than the region and the municipality do.
    pub others: String,
    /// The party holding the overall responsibility (huvudansvar).
    pub lead: Option<Party>,
    /// When the plan is followed up.
    pub follow_up_on: Option<Date>,
}

/// A party's signature on a version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// For whom.
    pub party: Party,
    /// Who signed.
    pub signed_by_name: String,
    /// When.
    pub signed_at: Timestamp,
}

/// One version of a SIP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipVersion {
    /// Version, from 1.
    pub version: i64,
    /// The plan's content.
    pub content: SipContent,
    /// The parties of this version (the unit first).
    pub parties: Vec<Party>,
    /// Whether this version closes the plan.
    pub closed: bool,
    /// Who wrote it.
    pub authored_by_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
    /// The parties' signatures on it.
    pub signatures: Vec<Signature>,
}

impl SipVersion {
    /// Every party has signed this version.
    pub fn signed_by_all(&self) -> bool {
        self.parties
            .iter()
            .all(|p| self.signatures.iter().any(|s| s.party == *p))
    }
}

/// A task's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Done.
    Done,
    /// No longer to be done.
    Cancelled,
}

impl TaskStatus {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses [`TaskStatus::code`].
    pub fn from_code(code: &str) -> Option<TaskStatus> {
        [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A task of the plan for one party, with its latest status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipTask {
    /// Id.
    pub id: Uuid,
    /// For whom.
    pub party: Party,
    /// What.
    pub description: String,
    /// By when.
    pub due_on: Option<Date>,
    /// Its status now.
    pub status: TaskStatus,
    /// The note of the latest status.
    pub note: String,
    /// Who set the latest status.
    pub updated_by_name: String,
    /// When.
    pub updated_at: Timestamp,
    /// How many status changes it has had (for the next one's optimistic check).
    pub events: i64,
}

/// A SIP with every version, newest last, and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sip {
    /// Id.
    pub id: Uuid,
    /// Why a SIP was needed, as its initiator saw it.
    pub need: String,
    /// Who started it.
    pub started_by_name: String,
    /// When.
    pub started_at: Timestamp,
    /// Every version, oldest first.
    pub versions: Vec<SipVersion>,
    /// Its tasks, in the order given.
    pub tasks: Vec<SipTask>,
}

impl Sip {
    /// The version in force.
    pub fn latest(&self) -> Option<&SipVersion> {
        self.versions.last()
    }
}

/// A version to write.
#[derive(Debug, Clone)]
pub struct SipDraft {
    /// The content.
    pub content: SipContent,
    /// The parties: the unit and the partner organisations taking part.
    pub parties: Vec<Party>,
    /// Whether it closes the plan.
    pub closed: bool,
    /// Why.
    pub reason: String,
}

async fn insert_version(
    tx: &mut crate::db::Tx,
    sip: Uuid,
    version: i64,
    draft: &SipDraft,
    author: Uuid,
) -> Result<()> {
    let content = serde_json::to_string(&draft.content)
        .map_err(|e| StoreError::Corrupt(format!("SIP content: {e}")))?;
    let follow_up = draft.content.follow_up_on.map(|d| d.to_sqlx());
    on_tx!(tx, c => sqlx::query(
    "INSERT INTO sip_versions (sip_id, version, content, follow_up_on, closed, authored_by, authored_at, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
    .bind(sip).bind(version).bind(&content).bind(follow_up).bind(draft.closed)
    .bind(author).bind(ts(now())).bind(&draft.reason)
    .execute(&mut *c).await.map(|r| r.rows_affected())
    // The same version written twice: the form was stale.
    .map_err(|e| match StoreError::unique(e, "SIP version") {
        StoreError::Duplicate(_) => StoreError::Stale,
        other => other,
    }))?;
    let mut parties = draft.parties.clone();
    parties.dedup();
    for party in parties {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO sip_parties (sip_id, version, organisation_id) VALUES ($1, $2, $3)")
            .bind(sip).bind(version).bind(party.organisation())
            .execute(&mut *c).await.map(|r| r.rows_affected())
            .map_err(|e| StoreError::unique(e, "SIP party")))?;
    }
    Ok(())
}

/// The latest version of `sip` if it is the patient's; none otherwise.
async fn latest_version(tx: &mut crate::db::Tx, patient: Uuid, sip: Uuid) -> Result<Option<i64>> {
    let row: Option<(Option<i64>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT (SELECT MAX(v.version) FROM sip_versions v WHERE v.sip_id = s.id)
         FROM sips s WHERE s.id = $1 AND s.patient_id = $2")
        .bind(sip).bind(patient).fetch_optional(&mut *c).await)?;
    Ok(row.and_then(|r| r.0))
}

/// A plan shared with a partner organisation, as its staff's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedPlan {
    /// The patient.
    pub patient_id: Uuid,
    /// Their identity number.
    pub personal_identity: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// The plan.
    pub sip_id: Uuid,
    /// Its latest version.
    pub version: i64,
    /// When it is followed up.
    pub follow_up_on: Option<Date>,
    /// Whether it is closed.
    pub closed: bool,
    /// The organisation's tasks in it still open.
    pub open_tasks: i64,
}

impl Store {
    /// The plans shared with `organisation` now — its latest version names the
    /// organisation and the patient's consent for it is in force — by the patient's
    /// name, at most `limit`. Each patient listed gets an access-log entry (basis
    /// partner consent) in one transaction.
    pub async fn shared_sips(
        &self,
        organisation: Uuid,
        limit: i64,
        log: &NewEntry<'_>,
    ) -> Result<Vec<SharedPlan>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            patient_id: Uuid,
            personal_identity: String,
            given_name: String,
            family_name: String,
            sip_id: Uuid,
            version: i64,
            follow_up_on: Option<jiff_sqlx::Date>,
            closed: bool,
            open_tasks: i64,
        }
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT p.id AS patient_id, v.personal_identity, v.given_name, v.family_name, s.id AS sip_id,
                    sv.version, sv.follow_up_on, sv.closed,
                    (SELECT COUNT(*) FROM sip_tasks t
                     JOIN sip_task_events e ON e.task_id = t.id
                      AND e.seq = (SELECT MAX(e2.seq) FROM sip_task_events e2 WHERE e2.task_id = t.id)
                     WHERE t.sip_id = s.id AND t.organisation_id = $1 AND e.status = 'open') AS open_tasks
             FROM sips s
             JOIN sip_versions sv ON sv.sip_id = s.id
              AND sv.version = (SELECT MAX(x.version) FROM sip_versions x WHERE x.sip_id = s.id)
             JOIN sip_parties sp ON sp.sip_id = s.id AND sp.version = sv.version AND sp.organisation_id = $1
             JOIN patients p ON p.id = s.patient_id
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             WHERE {consent}
             ORDER BY v.family_name, v.given_name, s.started_at LIMIT $2",
            consent = crate::partners::consent_in_force("s.patient_id", "$1")
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(organisation).bind(limit).fetch_all(p).await)?;
        let mut list: Vec<SharedPlan> = rows
            .into_iter()
            .map(|r| SharedPlan {
                patient_id: r.patient_id,
                personal_identity: r.personal_identity,
                given_name: r.given_name,
                family_name: r.family_name,
                sip_id: r.sip_id,
                version: r.version,
                follow_up_on: r.follow_up_on.map(|d| d.to_jiff()),
                closed: r.closed,
                open_tasks: r.open_tasks,
            })
            .collect();
        trappa_i18n::collate::sort_by_texts(&mut list, |c| [&c.family_name, &c.given_name]);
        let mut patients: Vec<Uuid> = list.iter().map(|c| c.patient_id).collect();
        patients.sort_unstable();
        patients.dedup();
        if !patients.is_empty() {
            let mut tx = self.begin().await?;
            for patient in patients {
                let entry = NewEntry {
                    patient_id: Some(patient),
                    basis: Some(trappa_policy::AccessBasis::PartnerConsent),
                    ..log.clone()
                };
                tx.append_access_log(&entry).await?;
            }
            tx.commit().await?;
        }
        Ok(list)
    }

    /// The open plans of the patients in `account_id`'s caseload that are due for
    /// follow-up by `until`: (patient, plan, follow-up date), the earliest first. The
    /// caseload itself is listed (and logged) by [`Store::caseload`].
    pub async fn caseload_sip_follow_ups(
        &self,
        account_id: Uuid,
        until: Date,
    ) -> Result<Vec<(Uuid, Uuid, Date)>> {
        let rows: Vec<(Uuid, Uuid, jiff_sqlx::Date)> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.patient_id, s.id, sv.follow_up_on FROM sips s
             JOIN sip_versions sv ON sv.sip_id = s.id
              AND sv.version = (SELECT MAX(x.version) FROM sip_versions x WHERE x.sip_id = s.id)
             WHERE NOT sv.closed AND sv.follow_up_on IS NOT NULL AND sv.follow_up_on <= $2
               AND s.patient_id IN (SELECT c.patient_id FROM care_team_members c
                                    WHERE c.account_id = $1 AND c.ended_at IS NULL)
             ORDER BY sv.follow_up_on, s.id")
            .bind(account_id).bind(until.to_sqlx()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(patient, sip, d)| (patient, sip, d.to_jiff()))
            .collect())
    }

    /// Starts a SIP for the patient with its first version; logged with the write.
    pub async fn start_sip(
        &self,
        access: &PatientAccess,
        need: &str,
        draft: &SipDraft,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO sips (id, patient_id, need, started_by, started_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(access.patient_id()).bind(need).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        insert_version(&mut tx, id, 1, draft, author).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes a new version of the patient's SIP if its latest is still
    /// `expected_version` ([`StoreError::Stale`] otherwise); returns the new version.
    pub async fn revise_sip(
        &self,
        access: &PatientAccess,
        sip: Uuid,
        expected_version: i64,
        draft: &SipDraft,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        crate::partners::lock_patient_sharing(&mut tx, access.patient_id()).await?;
        let latest = latest_version(&mut tx, access.patient_id(), sip)
            .await?
            .ok_or(StoreError::NotFound)?;
        if latest != expected_version {
            return Err(StoreError::Stale);
        }
        insert_version(&mut tx, sip, latest + 1, draft, author).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(latest + 1)
    }

    /// Signs `version` of the patient's SIP for `party`. Only the latest version is
    /// signed ([`StoreError::Stale`] otherwise), only by one of its parties
    /// ([`StoreError::NotFound`] otherwise), and once per party
    /// ([`StoreError::Duplicate`]).
    pub async fn sign_sip(
        &self,
        access: &PatientAccess,
        sip: Uuid,
        version: i64,
        party: Party,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        crate::partners::lock_patient_sharing(&mut tx, access.patient_id()).await?;
        let latest = latest_version(&mut tx, access.patient_id(), sip)
            .await?
            .ok_or(StoreError::NotFound)?;
        if latest != version {
            return Err(StoreError::Stale);
        }
        let is_party: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT version FROM sip_parties WHERE sip_id = $1 AND version = $2
               AND (organisation_id = $3 OR (organisation_id IS NULL AND $4))")
            .bind(sip).bind(version).bind(party.organisation()).bind(party == Party::Unit)
            .fetch_optional(&mut *c).await)?;
        if is_party.is_none() {
            return Err(StoreError::NotFound);
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO sip_signatures (sip_id, version, organisation_id, signed_by, signed_at)
             VALUES ($1, $2, $3, $4, $5)")
            .bind(sip).bind(version).bind(party.organisation()).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected())
            .map_err(|e| StoreError::unique(e, "SIP signature")))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a task of the patient's SIP to `party`, open; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_sip_task(
        &self,
        access: &PatientAccess,
        sip: Uuid,
        party: Party,
        description: &str,
        due_on: Option<Date>,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let mut tx = self.begin().await?;
        crate::partners::lock_patient_sharing(&mut tx, access.patient_id()).await?;
        latest_version(&mut tx, access.patient_id(), sip)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = Uuid::now_v7();
        let at = ts(now());
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO sip_tasks (id, sip_id, organisation_id, description, due_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(sip).bind(party.organisation()).bind(description)
            .bind(due_on.map(|d| d.to_sqlx())).bind(author).bind(at)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO sip_task_events (task_id, seq, status, note, authored_by, authored_at)
             VALUES ($1, 1, 'open', '', $2, $3)")
            .bind(id).bind(author).bind(at)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets the status of a task of the patient's SIP if it has had `expected_events`
    /// status changes ([`StoreError::Stale`] otherwise).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_sip_task_status(
        &self,
        access: &PatientAccess,
        task: Uuid,
        expected_events: i64,
        status: TaskStatus,
        note: &str,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        crate::partners::lock_patient_sharing(&mut tx, access.patient_id()).await?;
        let found: Option<(Option<i64>,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT (SELECT MAX(e.seq) FROM sip_task_events e WHERE e.task_id = t.id)
             FROM sip_tasks t JOIN sips s ON s.id = t.sip_id
             WHERE t.id = $1 AND s.patient_id = $2")
            .bind(task).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        let events = found.ok_or(StoreError::NotFound)?.0.unwrap_or(0);
        if events != expected_events {
            return Err(StoreError::Stale);
        }
        on_tx!(tx, c => sqlx::query(
        "INSERT INTO sip_task_events (task_id, seq, status, note, authored_by, authored_at)
         VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(task).bind(events + 1).bind(status.code()).bind(note).bind(author).bind(ts(now()))
        .execute(&mut *c).await.map(|r| r.rows_affected())
        .map_err(|e| match StoreError::unique(e, "SIP task event") {
            StoreError::Duplicate(_) => StoreError::Stale,
            other => other,
        }))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every SIP of the patient, oldest first, with all versions, signatures and tasks.
    /// Which of it a caller may see is decided above the store.
    pub async fn sips(&self, access: &PatientAccess) -> Result<Vec<Sip>> {
        let patient = access.patient_id();
        let heads: Vec<(Uuid, String, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.need, a.display_name, s.started_at FROM sips s
             JOIN accounts a ON a.id = s.started_by WHERE s.patient_id = $1
             ORDER BY s.started_at, s.id")
            .bind(patient).fetch_all(p).await)?;
        #[allow(clippy::type_complexity)]
        let versions: Vec<(
            Uuid,
            i64,
            String,
            bool,
            String,
            jiff_sqlx::Timestamp,
            String,
        )> = on_pool!(self, p => sqlx::query_as(
            "SELECT v.sip_id, v.version, v.content, v.closed, a.display_name, v.authored_at, v.reason
             FROM sip_versions v JOIN sips s ON s.id = v.sip_id JOIN accounts a ON a.id = v.authored_by
             WHERE s.patient_id = $1 ORDER BY v.sip_id, v.version")
            .bind(patient).fetch_all(p).await)?;
        let parties: Vec<(Uuid, i64, Option<Uuid>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT sp.sip_id, sp.version, sp.organisation_id FROM sip_parties sp
             JOIN sips s ON s.id = sp.sip_id WHERE s.patient_id = $1")
            .bind(patient).fetch_all(p).await)?;
        let signatures: Vec<(Uuid, i64, Option<Uuid>, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT g.sip_id, g.version, g.organisation_id, a.display_name, g.signed_at
             FROM sip_signatures g JOIN sips s ON s.id = g.sip_id JOIN accounts a ON a.id = g.signed_by
             WHERE s.patient_id = $1 ORDER BY g.signed_at")
            .bind(patient).fetch_all(p).await)?;
        #[allow(clippy::type_complexity)]
        let tasks: Vec<(
            Uuid,
            Uuid,
            Option<Uuid>,
            String,
            Option<jiff_sqlx::Date>,
            i64,
            String,
            String,
            String,
            jiff_sqlx::Timestamp,
        )> = on_pool!(self, p => sqlx::query_as(
            "SELECT t.id, t.sip_id, t.organisation_id, t.description, t.due_on, e.seq, e.status, e.note,
                    a.display_name, e.authored_at
             FROM sip_tasks t JOIN sips s ON s.id = t.sip_id
             JOIN sip_task_events e ON e.task_id = t.id
                  AND e.seq = (SELECT MAX(e2.seq) FROM sip_task_events e2 WHERE e2.task_id = t.id)
             JOIN accounts a ON a.id = e.authored_by
             WHERE s.patient_id = $1 ORDER BY t.created_at, t.id")
            .bind(patient).fetch_all(p).await)?;
        heads
            .into_iter()
            .map(|(id, need, started_by_name, started_at)| {
                let versions = versions
                    .iter()
                    .filter(|v| v.0 == id)
                    .map(|(_, version, content, closed, by, at, reason)| {
                        let content: SipContent = serde_json::from_str(content)
                            .map_err(|e| StoreError::Corrupt(format!("SIP content: {e}")))?;
                        let mut of_version: Vec<Party> = parties
                            .iter()
                            .filter(|p| p.0 == id && p.1 == *version)
                            .map(|p| Party::from_column(p.2))
                            .collect();
                        of_version.sort_by_key(|p| p.organisation());
                        Ok(SipVersion {
                            version: *version,
                            content,
                            parties: of_version,
                            closed: *closed,
                            authored_by_name: by.clone(),
                            authored_at: at.to_jiff(),
                            reason: reason.clone(),
                            signatures: signatures
                                .iter()
                                .filter(|g| g.0 == id && g.1 == *version)
                                .map(|g| Signature {
                                    party: Party::from_column(g.2),
                                    signed_by_name: g.3.clone(),
                                    signed_at: g.4.to_jiff(),
                                })
                                .collect(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let tasks = tasks
                    .iter()
                    .filter(|t| t.1 == id)
                    .map(|t| {
                        Ok(SipTask {
                            id: t.0,
                            party: Party::from_column(t.2),
                            description: t.3.clone(),
                            due_on: t.4.map(|d| d.to_jiff()),
                            events: t.5,
                            status: TaskStatus::from_code(&t.6).ok_or_else(|| {
                                StoreError::Corrupt(format!("task status {}", t.6))
                            })?,
                            note: t.7.clone(),
                            updated_by_name: t.8.clone(),
                            updated_at: t.9.to_jiff(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(Sip {
                    id,
                    need,
                    started_by_name,
                    started_at: started_at.to_jiff(),
                    versions,
                    tasks,
                })
            })
            .collect()
    }
}
