//! The identity part of the patient record, as append-only versions.
//!
//! Patient data is only read through a [`PatientAccess`], which only
//! [`Store::grant_patient_access`] makes, and which writes the access-log entry first.
//! So no code path can show patient data without a log entry: the type system holds
//! the PDL rule, and the completeness test checks it over HTTP.

use jiff::Timestamp;
use jiff::civil::Date;
use trappa_ident::{IdKind, PersonalIdentity, Sex};
use trappa_policy::{Grant, Queue};
use uuid::Uuid;

use crate::access::Sealed;
pub use crate::access::{AccessFacts, PatientAccess};
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
pub use crate::record::{
    Address, Patient, PatientData, PatientQuery, PatientSummary, PatientVersion, PostalAddress,
};
use crate::team::{CareTeamMember, TeamFunction};
use crate::{Result, Store, StoreError, Tx, like_escape, now, ts};

/// Lower-cased name words for searching. SQLite's `lower()` only knows ASCII, so we
/// fold case here, once, for both backends.
pub fn search_key(given: &str, family: &str) -> String {
    format!(" {} {} ", given.trim(), family.trim()).to_lowercase()
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    patient_id: Uuid,
    queue: Option<String>,
    version: i64,
    personal_identity: String,
    given_name: String,
    family_name: String,
    phone: Option<String>,
    email: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    home_unit_id: Option<Uuid>,
    home_unit_name: Option<String>,
    protected_identity: bool,
    /// The current version's protection, which withholds the address of every version.
    protected_now: bool,
    synthetic: bool,
    authored_by: Uuid,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

impl VersionRow {
    fn into_version(self) -> Result<(Uuid, Option<Queue>, Option<String>, PatientVersion)> {
        let personal_identity = PersonalIdentity::try_from(self.personal_identity)
            .map_err(|e| StoreError::Corrupt(format!("identity number: {e}")))?;
        Ok((
            self.patient_id,
            self.queue.as_deref().and_then(Queue::from_code),
            self.home_unit_name,
            PatientVersion {
                version: self.version,
                data: PatientData {
                    personal_identity,
                    given_name: self.given_name,
                    family_name: self.family_name,
                    phone: self.phone,
                    email: self.email,
                    // The one place a stored address becomes a value: never for a
                    // patient who is protected now.
                    address: if self.protected_now || self.protected_identity {
                        Address::Withheld
                    } else {
                        Address::Known(PostalAddress {
                            street: self.street_address,
                            postal_code: self.postal_code,
                            city: self.city,
                        })
                    },
                    home_unit_id: self.home_unit_id,
                    protected_identity: self.protected_identity,
                    synthetic: self.synthetic,
                },
                authored_by: self.authored_by,
                author_name: self.author_name,
                authored_at: self.authored_at.to_jiff(),
                reason: self.reason,
            },
        ))
    }
}

const VERSION_SELECT: &str = "SELECT v.patient_id, p.queue, v.version, v.personal_identity, v.given_name, v.family_name,
        v.phone, v.email, v.street_address, v.postal_code, v.city, v.home_unit_id, u.name AS home_unit_name,
        v.protected_identity, pc.protected_identity AS protected_now, v.synthetic, v.authored_by,
        a.display_name AS author_name, v.authored_at, v.reason
     FROM patient_versions v
     JOIN patients p ON p.id = v.patient_id
     JOIN patient_versions pc ON pc.patient_id = p.id AND pc.version = p.current_version
     JOIN accounts a ON a.id = v.authored_by
     LEFT JOIN units u ON u.id = v.home_unit_id";

fn id_kind_code(k: IdKind) -> &'static str {
    match k {
        IdKind::Personnummer => "personnummer",
        IdKind::Samordningsnummer => "samordningsnummer",
    }
}

fn sex_code(s: Sex) -> &'static str {
    match s {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

async fn insert_version(
    tx: &mut Tx,
    patient_id: Uuid,
    version: i64,
    d: &PatientData,
    author: Uuid,
    reason: &str,
    at: Timestamp,
) -> Result<()> {
    let birth: Date = d.personal_identity.birth_date();
    let address = match &d.address {
        Address::Known(a) => a.clone(),
        // Withheld: what the form never showed is kept as it was.
        Address::Withheld => {
            let row: Option<(Option<String>, Option<String>, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT street_address, postal_code, city FROM patient_versions WHERE patient_id = $1 AND version = $2")
                .bind(patient_id).bind(version - 1).fetch_optional(&mut *c).await)?;
            row.map(|(street, postal_code, city)| PostalAddress {
                street,
                postal_code,
                city,
            })
            .unwrap_or_default()
        }
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO patient_versions (patient_id, version, personal_identity, id_kind, birth_date, sex, given_name,
             family_name, search_key, phone, email, street_address, postal_code, city, home_unit_id, protected_identity,
             synthetic, authored_by, authored_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)")
        .bind(patient_id).bind(version).bind(d.personal_identity.canonical())
        .bind(id_kind_code(d.personal_identity.kind())).bind(jiff_sqlx::ToSqlx::to_sqlx(birth))
        .bind(sex_code(d.personal_identity.sex())).bind(&d.given_name).bind(&d.family_name)
        .bind(search_key(&d.given_name, &d.family_name)).bind(&d.phone).bind(&d.email).bind(&address.street)
        .bind(&address.postal_code).bind(&address.city).bind(d.home_unit_id).bind(d.protected_identity).bind(d.synthetic)
        .bind(author).bind(ts(at)).bind(reason)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Refuses an identity number that another patient's current version already has.
async fn ensure_identity_free(tx: &mut Tx, d: &PatientData, except: Option<Uuid>) -> Result<()> {
    let taken: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id FROM patients p JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
         WHERE v.personal_identity = $1 AND p.id <> $2 LIMIT 1")
        .bind(d.personal_identity.canonical()).bind(except.unwrap_or(Uuid::nil()))
        .fetch_optional(&mut *c).await)?;
    if taken.is_some() {
        Err(StoreError::Duplicate("personal_identity"))
    } else {
        Ok(())
    }
}

impl Store {
    /// Registers a patient (version 1) and logs the creation, in one transaction.
    pub async fn create_patient(
        &self,
        d: &PatientData,
        queue: Option<Queue>,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let mut tx = self.begin().await?;
        let id = insert_patient(&mut tx, d, queue, author, reason, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The facts for the care-relationship rule, or `None` if there is no such patient.
    /// An emergency access counts only in the role it was taken in.
    pub async fn access_facts(
        &self,
        account_id: Uuid,
        role: trappa_policy::Role,
        patient_id: Uuid,
        at: Timestamp,
    ) -> Result<Option<AccessFacts>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            in_team: bool,
            emergency_id: Option<Uuid>,
            #[sqlx(flatten)]
            version: VersionRow,
            member_id: Option<Uuid>,
            member_account_id: Option<Uuid>,
            member_name: Option<String>,
            member_profession: Option<String>,
            member_function: Option<String>,
            member_added_at: Option<jiff_sqlx::Timestamp>,
            member_ended_at: Option<jiff_sqlx::Timestamp>,
        }
        // One row per care-team member (or one with no member), so the record and its
        // team come in the same round trip as the facts.
        let sql = sqlx::AssertSqlSafe(format!(
            "{} WHERE v.patient_id = $1 AND v.version = p.current_version
             ORDER BY (ct.ended_at IS NULL) DESC, ct.added_at, ct.id",
            VERSION_SELECT.replacen(
                " FROM patient_versions v",
                ", EXISTS (SELECT 1 FROM care_team_members c
                            WHERE c.patient_id = p.id AND c.account_id = $2 AND c.ended_at IS NULL) AS in_team,
                    (SELECT e.id FROM emergency_accesses e
                     WHERE e.patient_id = p.id AND e.account_id = $2 AND e.expires_at > $3 AND e.role = $4
                     ORDER BY e.expires_at DESC LIMIT 1) AS emergency_id,
                    ct.id AS member_id, ct.account_id AS member_account_id, ca.display_name AS member_name,
                    ca.profession AS member_profession, ct.function AS member_function,
                    ct.added_at AS member_added_at, ct.ended_at AS member_ended_at
                 FROM patient_versions v",
                1,
            )
            .replacen(
                " LEFT JOIN units u ON u.id = v.home_unit_id",
                " LEFT JOIN units u ON u.id = v.home_unit_id
                  LEFT JOIN care_team_members ct ON ct.patient_id = p.id
                  LEFT JOIN accounts ca ON ca.id = ct.account_id",
                1,
            )
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(patient_id).bind(account_id).bind(ts(at)).bind(role.code()).fetch_all(p).await)?;
        let mut team = Vec::with_capacity(rows.len());
        for r in &rows {
            if let (Some(id), Some(account_id), Some(name), Some(function), Some(added_at)) = (
                r.member_id,
                r.member_account_id,
                &r.member_name,
                &r.member_function,
                r.member_added_at,
            ) {
                team.push(CareTeamMember {
                    id,
                    account_id,
                    display_name: name.clone(),
                    profession: r.member_profession.clone(),
                    function: TeamFunction::from_code(function)
                        .ok_or_else(|| StoreError::Corrupt(function.clone()))?,
                    added_at: added_at.to_jiff(),
                    ended_at: r.member_ended_at.map(|t| t.to_jiff()),
                });
            }
        }
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let (id, queue, home_unit_name, current) = row.version.into_version()?;
        Ok(Some(AccessFacts {
            in_care_team: row.in_team,
            queue,
            open_emergency_access: row.emergency_id,
            protected_identity: current.data.protected_identity,
            has_had_care_team: !team.is_empty(),
            record: Some(Box::new(Sealed {
                patient: Patient {
                    id,
                    queue,
                    current,
                    home_unit_name,
                },
                team,
            })),
        }))
    }

    /// Like [`Store::grant_patient_access`], handing on the record read with the facts.
    pub async fn grant_patient_access_with(
        &self,
        facts: AccessFacts,
        patient_id: Uuid,
        grant: Grant,
        log: &NewEntry<'_>,
    ) -> Result<PatientAccess> {
        let mut access = self.grant_patient_access(patient_id, grant, log).await?;
        access.record = facts.record.filter(|r| r.patient.id == patient_id);
        Ok(access)
    }

    /// Logs an authorised access and hands back the proof that lets patient data be read.
    /// Only the access policy makes a [`Grant`]: the store never decides, and nothing
    /// reads patient data without the policy having been asked.
    pub async fn grant_patient_access(
        &self,
        patient_id: Uuid,
        grant: Grant,
        log: &NewEntry<'_>,
    ) -> Result<PatientAccess> {
        let basis = grant.basis();
        let entry = NewEntry {
            patient_id: Some(patient_id),
            basis: Some(basis),
            flagged: log.flagged || basis.needs_review(),
            ..log.clone()
        };
        self.append_access_log(&entry).await?;
        Ok(PatientAccess {
            patient_id,
            basis,
            deferred: None,
            record: None,
        })
    }

    /// Like [`Store::grant_patient_access_with`] for a write: the entry is held back
    /// ([`crate::log_entry::Deferred`]) for the write's transaction, and the caller
    /// must [`Store::flush`] it before anything it read is shown if no write took it.
    pub async fn grant_patient_access_for_write(
        &self,
        facts: AccessFacts,
        patient_id: Uuid,
        grant: Grant,
        log: &NewEntry<'_>,
    ) -> PatientAccess {
        let basis = grant.basis();
        PatientAccess {
            patient_id,
            basis,
            deferred: Some(std::sync::Arc::new(crate::log_entry::Deferred::new(
                log, patient_id, basis,
            ))),
            record: facts.record.filter(|r| r.patient.id == patient_id),
        }
    }

    /// The patient with the current version of their identity data.
    pub async fn patient(&self, access: &PatientAccess) -> Result<Patient> {
        if let Some(record) = &access.record {
            return Ok(record.patient.clone());
        }
        let sql = sqlx::AssertSqlSafe(format!(
            "{VERSION_SELECT} WHERE v.patient_id = $1 AND v.version = p.current_version"
        ));
        let row: Option<VersionRow> = on_pool!(self, p => sqlx::query_as(sql).bind(access.patient_id).fetch_optional(p).await)?;
        let (id, queue, home_unit_name, current) =
            row.ok_or(StoreError::NotFound)?.into_version()?;
        Ok(Patient {
            id,
            queue,
            current,
            home_unit_name,
        })
    }

    /// Every version of the identity data, newest first.
    pub async fn patient_history(&self, access: &PatientAccess) -> Result<Vec<PatientVersion>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{VERSION_SELECT} WHERE v.patient_id = $1 ORDER BY v.version DESC"
        ));
        let rows: Vec<VersionRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(access.patient_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| r.into_version().map(|(_, _, _, v)| v))
            .collect()
    }

    /// Writes a new version if the current one is still `expected_version`; logs the
    /// change in the same transaction. Returns the new version number.
    pub async fn update_patient(
        &self,
        access: &PatientAccess,
        expected_version: i64,
        d: &PatientData,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let at = now();
        let new_version = expected_version + 1;
        let mut tx = self.begin().await?;
        ensure_identity_free(&mut tx, d, Some(access.patient_id)).await?;
        let moved = on_tx!(tx, c => sqlx::query(
            "UPDATE patients SET current_version = $1 WHERE id = $2 AND current_version = $3")
            .bind(new_version).bind(access.patient_id).bind(expected_version)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if moved == 0 {
            return Err(StoreError::Stale);
        }
        insert_version(
            &mut tx,
            access.patient_id,
            new_version,
            d,
            author,
            reason,
            at,
        )
        .await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(new_version)
    }

    /// Searches current versions and logs the search and every patient listed, before
    /// returning anything.
    pub async fn search_patients(
        &self,
        q: &PatientQuery,
        limit: i64,
        log: &NewEntry<'_>,
    ) -> Result<Vec<PatientSummary>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            personal_identity: String,
            given_name: String,
            family_name: String,
            protected_identity: bool,
            home_unit_name: Option<String>,
        }
        let base = "SELECT p.id, v.personal_identity, v.given_name, v.family_name, v.protected_identity, u.name AS home_unit_name
             FROM patients p JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             LEFT JOIN units u ON u.id = v.home_unit_id WHERE ";
        let rows: Vec<Row> = match q {
            PatientQuery::Identity(pid) => {
                // A former number (a samordningsnummer replaced by a personnummer, a
                // corrected typo) still finds the person; the hit shows the current one.
                let sql = sqlx::AssertSqlSafe(format!(
                    "{base} p.id IN (SELECT patient_id FROM patient_versions WHERE personal_identity = $1) LIMIT $2"
                ));
                on_pool!(self, p => sqlx::query_as(sql).bind(pid.canonical()).bind(limit).fetch_all(p).await)?
            }
            PatientQuery::Name(words) => {
                let words: Vec<String> = words.iter().take(4).map(|w| w.to_lowercase()).collect();
                if words.is_empty() {
                    return Ok(Vec::new());
                }
                // Each word must start a name part: " anna" matches " anna-karin" and " anna ".
                let conds: Vec<String> = (1..=words.len())
                    .map(|i| format!("v.search_key LIKE ${i} ESCAPE '\\'"))
                    .collect();
                let sql = sqlx::AssertSqlSafe(format!(
                    "{base} {} ORDER BY v.family_name, v.given_name LIMIT ${}",
                    conds.join(" AND "),
                    words.len() + 1
                ));
                on_pool!(self, p => {
                    let mut query = sqlx::query_as(sql);
                    for w in &words {
                        query = query.bind(format!("% {}%", like_escape(w)));
                    }
                    query.bind(limit).fetch_all(p).await
                })?
            }
        };
        let mut hits: Vec<PatientSummary> = rows
            .into_iter()
            .map(|r| {
                Ok(PatientSummary {
                    id: r.id,
                    personal_identity: PersonalIdentity::try_from(r.personal_identity)
                        .map_err(|e| StoreError::Corrupt(format!("identity number: {e}")))?,
                    given_name: r.given_name,
                    family_name: r.family_name,
                    protected_identity: r.protected_identity,
                    home_unit_name: r.home_unit_name,
                })
            })
            .collect::<Result<_>>()?;
        trappa_i18n::collate::sort_by_texts(&mut hits, |h| [&h.family_name, &h.given_name]);
        let mut tx = self.begin().await?;
        tx.append_access_log(&NewEntry {
            detail: Some(format!("{} hits", hits.len())),
            ..log.clone()
        })
        .await?;
        for h in &hits {
            tx.append_access_log(&NewEntry {
                patient_id: Some(h.id),
                action: crate::access_log::Action::Listed,
                flagged: h.protected_identity,
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(hits)
    }

    /// The patients who have, or ever had, this identity number. For the auditor's log
    /// search, which logs the lookup itself; shows no patient data.
    pub async fn patient_ids_by_identity(&self, pid: &PersonalIdentity) -> Result<Vec<Uuid>> {
        let rows: Vec<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT DISTINCT patient_id FROM patient_versions WHERE personal_identity = $1")
            .bind(pid.canonical()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Whether a patient with this id exists (to log a refused attempt against them). No
    /// patient data is read.
    pub async fn patient_exists(&self, id: Uuid) -> Result<bool> {
        let row: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id FROM patients WHERE id = $1").bind(id).fetch_optional(p).await)?;
        Ok(row.is_some())
    }

    /// How many patients there are.
    pub async fn patient_count(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM patients").fetch_one(p).await)?;
        Ok(n)
    }

    /// Whether a patient with this identity number exists (used by demo loading, which
    /// must be idempotent). Not for the UI: it bypasses the access log.
    pub async fn identity_registered(&self, pid: &PersonalIdentity) -> Result<bool> {
        let row: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT patient_id FROM patient_versions WHERE personal_identity = $1 LIMIT 1")
            .bind(pid.canonical()).fetch_optional(p).await)?;
        Ok(row.is_some())
    }
}

/// Registers a patient inside a transaction (the identity must be free) and logs it: the
/// one path for a registration, alone or with a referral.
pub(crate) async fn insert_patient(
    tx: &mut crate::db::Tx,
    d: &PatientData,
    queue: Option<Queue>,
    author: Uuid,
    reason: &str,
    log: &NewEntry<'_>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let at = now();
    ensure_identity_free(tx, d, None).await?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO patients (id, current_version, queue, created_at, created_by) VALUES ($1, 1, $2, $3, $4)")
        .bind(id).bind(queue.map(Queue::code)).bind(ts(at)).bind(author)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    insert_version(tx, id, 1, d, author, reason, at).await?;
    tx.append_access_log(&NewEntry {
        patient_id: Some(id),
        ..log.clone()
    })
    .await?;
    Ok(id)
}
