//! Partner organisations and the patient's consents to share with them (issue 19).
//!
//! A partner organisation is outside the unit — municipal social services, psychiatry,
//! addiction care, a pain team at level 2, 3 or 4 — and its staff sign in with accounts
//! naming it. What a patient shares with it is decided by the patient's consents:
//! append-only versions, the latest in force. The coordinated individual plans they
//! share are in [`crate::sips`].

use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// What kind of organisation a partner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// Municipal social services (socialtjänst), under SoL.
    SocialServices,
    /// Psychiatry (a clinic of the region's or another care provider's).
    Psychiatry,
    /// Addiction care (beroendevård).
    AddictionCare,
    /// A pain team at level 2 (vårdcentral), 3 (hospital) or 4 (regional).
    PainTeam,
}

impl PartnerKind {
    /// Every kind, in display order.
    pub const ALL: [PartnerKind; 4] = [
        PartnerKind::SocialServices,
        PartnerKind::Psychiatry,
        PartnerKind::AddictionCare,
        PartnerKind::PainTeam,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::SocialServices => "social_services",
            PartnerKind::Psychiatry => "psychiatry",
            PartnerKind::AddictionCare => "addiction_care",
            PartnerKind::PainTeam => "pain_team",
        }
    }

    /// Parses [`PartnerKind::code`].
    pub fn from_code(code: &str) -> Option<PartnerKind> {
        PartnerKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A partner organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerOrganisation {
    /// Id.
    pub id: Uuid,
    /// Kind.
    pub kind: PartnerKind,
    /// Stable code (unique), as in the reference or demo data.
    pub code: String,
    /// Name.
    pub name: String,
    /// For a pain team: its level of care (2–4).
    pub pain_level: Option<i64>,
    /// The municipality it serves or sits in (kommunkod).
    pub kommunkod: Option<String>,
    /// The unit hosting it (a level-2 pain team's vårdcentral).
    pub host_unit_id: Option<Uuid>,
    /// Phone.
    pub phone: Option<String>,
    /// Where the data comes from.
    pub source: String,
}

/// A partner organisation to add (idempotent by code).
#[derive(Debug, Clone)]
pub struct NewPartnerOrganisation {
    /// Kind.
    pub kind: PartnerKind,
    /// Stable code (unique).
    pub code: String,
    /// Name.
    pub name: String,
    /// For a pain team: its level (2–4).
    pub pain_level: Option<i64>,
    /// Kommunkod.
    pub kommunkod: Option<String>,
    /// Host unit.
    pub host_unit_id: Option<Uuid>,
    /// Phone.
    pub phone: Option<String>,
    /// Source of the data.
    pub source: String,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: Uuid,
    kind: String,
    code: String,
    name: String,
    pain_level: Option<i64>,
    kommunkod: Option<String>,
    host_unit_id: Option<Uuid>,
    phone: Option<String>,
    source: String,
}

impl OrganisationRow {
    fn into_organisation(self) -> Result<PartnerOrganisation> {
        Ok(PartnerOrganisation {
            id: self.id,
            kind: PartnerKind::from_code(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("partner kind {}", self.kind)))?,
            code: self.code,
            name: self.name,
            pain_level: self.pain_level,
            kommunkod: self.kommunkod,
            host_unit_id: self.host_unit_id,
            phone: self.phone,
            source: self.source,
        })
    }
}

/// How the patient gave (or withdrew) a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentHow {
    /// Said to a clinician, who recorded it.
    Oral,
    /// On paper, signed.
    Written,
    /// By the patient in the portal.
    Portal,
}

impl ConsentHow {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ConsentHow::Oral => "oral",
            ConsentHow::Written => "written",
            ConsentHow::Portal => "portal",
        }
    }

    /// Parses [`ConsentHow::code`].
    pub fn from_code(code: &str) -> Option<ConsentHow> {
        [ConsentHow::Oral, ConsentHow::Written, ConsentHow::Portal]
            .into_iter()
            .find(|h| h.code() == code)
    }
}

/// One version of a consent: to share the patient's SIPs with one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consent {
    /// The consent, across its versions.
    pub id: Uuid,
    /// This version (1 when given first).
    pub version: i64,
    /// The organisation it covers.
    pub organisation_id: Uuid,
    /// That organisation's name.
    pub organisation_name: String,
    /// The date the patient gave it.
    pub given_on: Date,
    /// How the patient said it (this version).
    pub how: ConsentHow,
    /// Withdrawn by this version: no longer in force.
    pub withdrawn: bool,
    /// Who recorded this version.
    pub authored_by_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why, in the author's words.
    pub reason: String,
}

/// A consent given, or a change of one (its withdrawal).
#[derive(Debug, Clone)]
pub struct ConsentChange {
    /// The organisation it covers.
    pub organisation_id: Uuid,
    /// The date the patient gave it.
    pub given_on: Date,
    /// How the patient said it.
    pub how: ConsentHow,
    /// Whether this version withdraws it.
    pub withdrawn: bool,
    /// Why.
    pub reason: String,
}

/// What the SIP rule needs to know about one account and one patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SipFacts {
    /// The account is in the patient's care team now.
    pub in_care_team: bool,
    /// The partner organisation the account works at.
    pub organisation: Option<Uuid>,
    /// That organisation takes part in one of the patient's SIPs (its latest version),
    /// and the patient's consent to share SIPs with it is in force.
    pub partner_consented: bool,
}

const CONSENT_SELECT: &str =
    "SELECT k.id, k.version, k.organisation_id, o.name AS organisation_name, k.given_on, k.how,
        k.withdrawn, a.display_name AS authored_by_name, k.authored_at, k.reason
 FROM consents k JOIN partner_organisations o ON o.id = k.organisation_id
 JOIN accounts a ON a.id = k.authored_by";

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: Uuid,
    version: i64,
    organisation_id: Uuid,
    organisation_name: String,
    given_on: jiff_sqlx::Date,
    how: String,
    withdrawn: bool,
    authored_by_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

impl ConsentRow {
    fn into_consent(self) -> Result<Consent> {
        Ok(Consent {
            id: self.id,
            version: self.version,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            given_on: self.given_on.to_jiff(),
            how: ConsentHow::from_code(&self.how)
                .ok_or_else(|| StoreError::Corrupt(format!("consent how {}", self.how)))?,
            withdrawn: self.withdrawn,
            authored_by_name: self.authored_by_name,
            authored_at: self.authored_at.to_jiff(),
            reason: self.reason,
        })
    }
}

/// SQL true when the consent of the patient `patient` for the organisation `org` to
/// share SIPs is in force: its latest version is not a withdrawal.
pub(crate) fn consent_in_force(patient: &str, org: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM consents k WHERE k.patient_id = {patient} AND k.organisation_id = {org}
                 AND k.scope = 'sip' AND NOT k.withdrawn
                 AND k.version = (SELECT MAX(k2.version) FROM consents k2 WHERE k2.id = k.id))"
    )
}

/// Serialises one patient's consent and SIP writes across instances: PostgreSQL takes a
/// lock for the transaction (SQLite's `BEGIN IMMEDIATE` already serialises writers), so
/// each version check below holds until the commit.
pub(crate) async fn lock_patient_sharing(tx: &mut crate::db::Tx, patient: Uuid) -> Result<()> {
    if let crate::db::TxInner::Postgres(t) = &mut tx.0 {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(format!("sharing:{patient}"))
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Adds a partner organisation unless one with its code exists; returns its id.
    pub async fn ensure_partner_organisation(&self, o: &NewPartnerOrganisation) -> Result<Uuid> {
        let found: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id FROM partner_organisations WHERE code = $1")
            .bind(&o.code).fetch_optional(p).await)?;
        if let Some((id,)) = found {
            return Ok(id);
        }
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO partner_organisations (id, kind, code, name, pain_level, kommunkod, host_unit_id, phone, source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(o.kind.code()).bind(&o.code).bind(&o.name).bind(o.pain_level)
            .bind(&o.kommunkod).bind(o.host_unit_id).bind(&o.phone).bind(&o.source)
            .execute(&mut *c).await.map(|r| r.rows_affected())
            .map_err(|e| StoreError::unique(e, "partner organisation")))?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every partner organisation, by name.
    pub async fn partner_organisations(&self) -> Result<Vec<PartnerOrganisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, kind, code, name, pain_level, kommunkod, host_unit_id, phone, source
             FROM partner_organisations ORDER BY name, id")
            .fetch_all(p).await)?;
        let mut all = rows
            .into_iter()
            .map(OrganisationRow::into_organisation)
            .collect::<Result<Vec<_>>>()?;
        trappa_i18n::collate::sort_by_text(&mut all, |o| &o.name);
        Ok(all)
    }

    /// What the SIP rule needs about `account_id` and `patient_id`, read now (a
    /// consent withdrawn a moment ago is already out of force, on every instance).
    pub async fn sip_facts(&self, account_id: Uuid, patient_id: Uuid) -> Result<SipFacts> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT EXISTS (SELECT 1 FROM care_team_members c
                            WHERE c.patient_id = $1 AND c.account_id = $2 AND c.ended_at IS NULL) AS in_team,
                    a.partner_organisation_id,
                    (a.partner_organisation_id IS NOT NULL AND {consent} AND EXISTS (
                        SELECT 1 FROM sips s JOIN sip_parties sp ON sp.sip_id = s.id
                        WHERE s.patient_id = $1 AND sp.organisation_id = a.partner_organisation_id
                          AND sp.version = (SELECT MAX(v.version) FROM sip_versions v WHERE v.sip_id = s.id))) AS consented
             FROM accounts a WHERE a.id = $2",
            consent = consent_in_force("$1", "a.partner_organisation_id")
        ));
        let row: Option<(bool, Option<Uuid>, Option<bool>)> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(patient_id).bind(account_id).fetch_optional(p).await)?;
        let (in_care_team, organisation, consented) = row.ok_or(StoreError::NotFound)?;
        Ok(SipFacts {
            in_care_team,
            organisation,
            partner_consented: consented.unwrap_or(false),
        })
    }

    /// Every version of the patient's consents, newest first.
    pub async fn consents(&self, access: &PatientAccess) -> Result<Vec<Consent>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{CONSENT_SELECT} WHERE k.patient_id = $1 ORDER BY k.authored_at DESC, k.version DESC"
        ));
        let rows: Vec<ConsentRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).fetch_all(p).await)?;
        rows.into_iter().map(ConsentRow::into_consent).collect()
    }

    /// Records a consent: a new one (`consent` none, `expected_version` 0) — refused
    /// with [`StoreError::Duplicate`] while one for the organisation is in force — or a
    /// new version of one whose latest version is still `expected_version` (otherwise
    /// [`StoreError::Stale`]). Logged in the same transaction. Returns the consent's id
    /// and the version written.
    pub async fn record_consent(
        &self,
        access: &PatientAccess,
        consent: Option<Uuid>,
        expected_version: i64,
        change: &ConsentChange,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<(Uuid, i64)> {
        let mut tx = self.begin().await?;
        lock_patient_sharing(&mut tx, access.patient_id()).await?;
        let id = consent.unwrap_or_else(Uuid::now_v7);
        if consent.is_none() {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {} AS in_force",
                consent_in_force("$1", "$2")
            ));
            let (in_force,): (bool,) = on_tx!(tx, c => sqlx::query_as(sql)
                .bind(access.patient_id()).bind(change.organisation_id).fetch_one(&mut *c).await)?;
            if in_force {
                return Err(StoreError::Duplicate("consent in force"));
            }
        }
        let latest: Option<(i64, Uuid)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT version, organisation_id FROM consents WHERE id = $1 AND patient_id = $2
             ORDER BY version DESC LIMIT 1")
            .bind(id).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        if consent.is_some() && latest.is_none() {
            return Err(StoreError::NotFound);
        }
        if latest.map_or(0, |l| l.0) != expected_version {
            return Err(StoreError::Stale);
        }
        if latest.is_some_and(|l| l.1 != change.organisation_id) {
            return Err(StoreError::Corrupt(
                "a consent keeps its organisation".into(),
            ));
        }
        let version = expected_version + 1;
        on_tx!(tx, c => sqlx::query(
        "INSERT INTO consents (id, version, patient_id, organisation_id, scope, given_on, how, withdrawn, authored_by, authored_at, reason)
         VALUES ($1, $2, $3, $4, 'sip', $5, $6, $7, $8, $9, $10)")
        .bind(id).bind(version).bind(access.patient_id()).bind(change.organisation_id)
        .bind(change.given_on.to_sqlx()).bind(change.how.code()).bind(change.withdrawn)
        .bind(author).bind(ts(now())).bind(&change.reason)
        .execute(&mut *c).await.map(|r| r.rows_affected())
        // The same version written twice: the form was stale.
        .map_err(|e| match StoreError::unique(e, "consent") {
            StoreError::Duplicate(_) => StoreError::Stale,
            other => other,
        }))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok((id, version))
    }
}
