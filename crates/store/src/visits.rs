//! Appointments and journal notes, both as append-only versions. Booking, moving,
//! holding, cancelling or a no-show is a new appointment version; a correction of a note
//! is a new note version with its reason. Holding the first assessment takes the patient
//! off the waiting list in the same transaction. Every write checks the version it was
//! based on, so a stale form changes nothing.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use trappa_pathway::visits::{Kind, Place, Status};
use trappa_policy::AccessBasis;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{Tx, on_pool, on_tx};
use crate::log_entry::{Action, NewEntry};
use crate::{Result, Store, StoreError, now, ts};

/// The state of an appointment, as booked or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentState {
    /// What kind of visit.
    pub kind: Kind,
    /// Where.
    pub place: Place,
    /// When it starts.
    pub starts_at: Timestamp,
    /// How long, in minutes.
    pub minutes: u32,
    /// Who sees the patient.
    pub clinician: Option<Uuid>,
    /// Booked, held, cancelled, no-show.
    pub status: Status,
}

/// An appointment's current version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appointment {
    /// Id.
    pub id: Uuid,
    /// The patient.
    pub patient_id: Uuid,
    /// The current version number.
    pub version: i64,
    /// Kind.
    pub kind: Kind,
    /// Place.
    pub place: Place,
    /// Start.
    pub starts_at: Timestamp,
    /// Minutes.
    pub minutes: u32,
    /// Clinician.
    pub clinician: Option<Uuid>,
    /// Clinician's name.
    pub clinician_name: Option<String>,
    /// State.
    pub status: Status,
    /// Who wrote this version.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why.
    pub reason: String,
}

/// A journal note's current version, with its history count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalNote {
    /// Id.
    pub id: Uuid,
    /// Kind (the template).
    pub kind: Kind,
    /// The visit it documents.
    pub appointment_id: Option<Uuid>,
    /// Current version number; above 1 means corrected.
    pub version: i64,
    /// Heading code → text.
    pub fields: BTreeMap<String, String>,
    /// Who wrote the first version.
    pub created_by_name: String,
    /// When.
    pub created_at: Timestamp,
    /// Who wrote the current version.
    pub author_name: String,
    /// When.
    pub authored_at: Timestamp,
    /// Why (for a correction).
    pub reason: String,
}

/// A note to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNote {
    /// Kind.
    pub kind: Kind,
    /// Heading code → text.
    pub fields: BTreeMap<String, String>,
    /// The visit it documents, and the appointment version the form was based on: the
    /// visit is marked held in the same transaction.
    pub held: Option<(Uuid, i64)>,
}

/// An appointment in a listing that names patients (a clinician's day, the unit's week).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledVisit {
    /// The appointment.
    pub appointment: Appointment,
    /// The patient's name.
    pub patient_name: String,
}

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: Uuid,
    patient_id: Uuid,
    version: i64,
    kind: String,
    place: String,
    starts_at: jiff_sqlx::Timestamp,
    minutes: i64,
    clinician_id: Option<Uuid>,
    clinician_name: Option<String>,
    status: String,
    author_name: String,
    authored_at: jiff_sqlx::Timestamp,
    reason: String,
}

const APPOINTMENT_SELECT: &str = "SELECT a.id, a.patient_id, v.version, v.kind, v.place, v.starts_at, v.minutes, v.clinician_id,
        c.display_name AS clinician_name, v.status, w.display_name AS author_name, v.authored_at, v.reason
     FROM appointments a
     JOIN appointment_versions v ON v.appointment_id = a.id
      AND v.version = (SELECT MAX(x.version) FROM appointment_versions x WHERE x.appointment_id = a.id)
     LEFT JOIN accounts c ON c.id = v.clinician_id
     JOIN accounts w ON w.id = v.authored_by";

impl AppointmentRow {
    fn into_appointment(self) -> Result<Appointment> {
        Ok(Appointment {
            id: self.id,
            patient_id: self.patient_id,
            version: self.version,
            kind: Kind::from_code(&self.kind).ok_or_else(|| StoreError::Corrupt(self.kind))?,
            place: Place::from_code(&self.place).ok_or_else(|| StoreError::Corrupt(self.place))?,
            starts_at: self.starts_at.to_jiff(),
            minutes: u32::try_from(self.minutes)
                .map_err(|_| StoreError::Corrupt("minutes".into()))?,
            clinician: self.clinician_id,
            clinician_name: self.clinician_name,
            status: Status::from_code(&self.status)
                .ok_or_else(|| StoreError::Corrupt(self.status))?,
            author_name: self.author_name,
            authored_at: self.authored_at.to_jiff(),
            reason: self.reason,
        })
    }
}

async fn insert_appointment_version(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    s: &AppointmentState,
    author: Uuid,
    reason: &str,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO appointment_versions (appointment_id, version, kind, place, starts_at, minutes, clinician_id, status, authored_by, authored_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(id).bind(version).bind(s.kind.code()).bind(s.place.code()).bind(ts(s.starts_at)).bind(i64::from(s.minutes))
        .bind(s.clinician).bind(s.status.code()).bind(author).bind(ts(now())).bind(reason)
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The current version of one of the patient's appointments, inside a transaction.
pub(crate) async fn current_appointment(
    tx: &mut Tx,
    access: &PatientAccess,
    id: Uuid,
) -> Result<Appointment> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{APPOINTMENT_SELECT} WHERE a.id = $1 AND a.patient_id = $2"
    ));
    let row: Option<AppointmentRow> = on_tx!(tx, c => sqlx::query_as(sql)
        .bind(id).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
    row.ok_or(StoreError::NotFound)?.into_appointment()
}

/// Writes the next version of an appointment after checking the version the change was
/// based on and that the state change is allowed. Holding the first assessment takes the
/// patient off the waiting list.
pub(crate) async fn change_appointment(
    tx: &mut Tx,
    access: &PatientAccess,
    id: Uuid,
    expected: i64,
    next: &AppointmentState,
    author: Uuid,
    reason: &str,
) -> Result<i64> {
    let current = current_appointment(tx, access, id).await?;
    if current.version != expected {
        return Err(StoreError::Stale);
    }
    if !current.status.may_become(next.status) {
        return Err(StoreError::Refused("appointment_status"));
    }
    let version = expected + 1;
    insert_appointment_version(tx, id, version, next, author, reason).await?;
    if next.kind == Kind::Assessment && next.status == Status::Done {
        on_tx!(tx, c => sqlx::query("UPDATE patients SET queue = NULL WHERE id = $1 AND queue = 'waiting'")
            .bind(access.patient_id()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(version)
}

impl Store {
    /// Books an appointment and logs it, in one transaction.
    pub async fn book_appointment(
        &self,
        access: &PatientAccess,
        s: &AppointmentState,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO appointments (id, patient_id, created_by, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(access.patient_id()).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        insert_appointment_version(&mut tx, id, 1, s, author, reason).await?;
        if s.kind == Kind::Assessment && s.status == Status::Done {
            on_tx!(tx, c => sqlx::query("UPDATE patients SET queue = NULL WHERE id = $1 AND queue = 'waiting'")
                .bind(access.patient_id()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves, holds, cancels or marks a no-show: a new version if `expected` is current.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_appointment(
        &self,
        access: &PatientAccess,
        id: Uuid,
        expected: i64,
        next: &AppointmentState,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let version =
            change_appointment(&mut tx, access, id, expected, next, author, reason).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The patient's appointments (current versions), earliest first.
    pub async fn appointments(&self, access: &PatientAccess) -> Result<Vec<Appointment>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{APPOINTMENT_SELECT} WHERE a.patient_id = $1 ORDER BY v.starts_at"
        ));
        let rows: Vec<AppointmentRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(access.patient_id()).fetch_all(p).await)?;
        rows.into_iter()
            .map(AppointmentRow::into_appointment)
            .collect()
    }

    /// One of the patient's appointments, its current version.
    pub async fn appointment(&self, access: &PatientAccess, id: Uuid) -> Result<Appointment> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{APPOINTMENT_SELECT} WHERE a.id = $1 AND a.patient_id = $2"
        ));
        let row: Option<AppointmentRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(id).bind(access.patient_id()).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound)?.into_appointment()
    }

    /// Every version of one appointment, oldest first.
    pub async fn appointment_history(
        &self,
        access: &PatientAccess,
        id: Uuid,
    ) -> Result<Vec<Appointment>> {
        let rows: Vec<AppointmentRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.patient_id, v.version, v.kind, v.place, v.starts_at, v.minutes, v.clinician_id,
                    c.display_name AS clinician_name, v.status, w.display_name AS author_name, v.authored_at, v.reason
             FROM appointments a JOIN appointment_versions v ON v.appointment_id = a.id
             LEFT JOIN accounts c ON c.id = v.clinician_id JOIN accounts w ON w.id = v.authored_by
             WHERE a.id = $1 AND a.patient_id = $2 ORDER BY v.version")
            .bind(id).bind(access.patient_id()).fetch_all(p).await)?;
        rows.into_iter()
            .map(AppointmentRow::into_appointment)
            .collect()
    }

    /// Booked appointments in `[from, to)`, for one clinician or all; the listing and
    /// every patient it names are logged before anything is returned.
    pub async fn scheduled_visits(
        &self,
        clinician: Option<Uuid>,
        from: Timestamp,
        to: Timestamp,
        log: &NewEntry<'_>,
    ) -> Result<Vec<ScheduledVisit>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            a: AppointmentRow,
            given_name: String,
            family_name: String,
        }
        let sql = sqlx::AssertSqlSafe(
            APPOINTMENT_SELECT.replacen(
                "SELECT a.id,",
                "SELECT pv.given_name, pv.family_name, a.id,",
                1,
            ) + " JOIN patients p ON p.id = a.patient_id
                  JOIN patient_versions pv ON pv.patient_id = p.id AND pv.version = p.current_version
                  WHERE v.status = 'booked' AND v.starts_at >= $1 AND v.starts_at < $2
                    AND ($3 IS NULL OR v.clinician_id = $3)
                  ORDER BY v.starts_at",
        );
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(ts(from)).bind(ts(to)).bind(clinician).fetch_all(p).await)?;
        let list = rows
            .into_iter()
            .map(|r| {
                Ok(ScheduledVisit {
                    patient_name: format!("{} {}", r.given_name, r.family_name),
                    appointment: r.a.into_appointment()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut tx = self.begin().await?;
        tx.append_access_log(&NewEntry {
            detail: Some(format!("{} visits", list.len())),
            ..log.clone()
        })
        .await?;
        for v in &list {
            tx.append_access_log(&NewEntry {
                patient_id: Some(v.appointment.patient_id),
                action: Action::Listed,
                basis: Some(AccessBasis::CareTeam),
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(list)
    }

    /// Writes a journal note (and marks its visit held), logged, in one transaction.
    pub async fn write_note(
        &self,
        access: &PatientAccess,
        note: &NewNote,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let fields =
            serde_json::to_string(&note.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        if let Some((appointment, expected)) = note.held {
            let current = current_appointment(&mut tx, access, appointment).await?;
            let held = AppointmentState {
                kind: current.kind,
                place: current.place,
                starts_at: current.starts_at,
                minutes: current.minutes,
                clinician: current.clinician,
                status: Status::Done,
            };
            change_appointment(
                &mut tx,
                access,
                appointment,
                expected,
                &held,
                author,
                "Genomförd",
            )
            .await?;
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO journal_notes (id, patient_id, appointment_id, kind, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(access.patient_id()).bind(note.held.map(|(a, _)| a)).bind(note.kind.code()).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO journal_note_versions (note_id, version, fields, authored_by, authored_at, reason) VALUES ($1, 1, $2, $3, $4, '')")
            .bind(id).bind(&fields).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects a note: a new version if `expected` is current; the reason is required
    /// by the caller.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_note(
        &self,
        access: &PatientAccess,
        note: Uuid,
        expected: i64,
        fields: &BTreeMap<String, String>,
        author: Uuid,
        reason: &str,
        log: &NewEntry<'_>,
    ) -> Result<i64> {
        let fields =
            serde_json::to_string(fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        let current: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT (SELECT MAX(version) FROM journal_note_versions WHERE note_id = n.id) FROM journal_notes n WHERE n.id = $1 AND n.patient_id = $2")
            .bind(note).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        let Some((current,)) = current else {
            return Err(StoreError::NotFound);
        };
        if current != expected {
            return Err(StoreError::Stale);
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO journal_note_versions (note_id, version, fields, authored_by, authored_at, reason) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(note).bind(expected + 1).bind(&fields).bind(author).bind(ts(now())).bind(reason)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(expected + 1)
    }

    /// The patient's journal: current versions, newest first.
    pub async fn journal(&self, access: &PatientAccess) -> Result<Vec<JournalNote>> {
        self.notes(access, None).await
    }

    /// One of the patient's notes, its current version.
    pub async fn note(&self, access: &PatientAccess, note: Uuid) -> Result<JournalNote> {
        self.notes(access, Some(note))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every version of one note, oldest first.
    pub async fn note_history(
        &self,
        access: &PatientAccess,
        note: Uuid,
    ) -> Result<Vec<JournalNote>> {
        self.notes(access, Some(note)).await
    }

    async fn notes(&self, access: &PatientAccess, one: Option<Uuid>) -> Result<Vec<JournalNote>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            kind: String,
            appointment_id: Option<Uuid>,
            version: i64,
            fields: String,
            created_by_name: String,
            created_at: jiff_sqlx::Timestamp,
            author_name: String,
            authored_at: jiff_sqlx::Timestamp,
            reason: String,
        }
        let versions = if one.is_some() {
            "n.id = $2"
        } else {
            "v.version = (SELECT MAX(x.version) FROM journal_note_versions x WHERE x.note_id = n.id) AND $2 IS NULL"
        };
        let order = if one.is_some() {
            "v.version"
        } else {
            "n.created_at DESC, n.id DESC"
        };
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT n.id, n.kind, n.appointment_id, v.version, v.fields, c.display_name AS created_by_name, n.created_at,
                    w.display_name AS author_name, v.authored_at, v.reason
             FROM journal_notes n JOIN journal_note_versions v ON v.note_id = n.id
             JOIN accounts c ON c.id = n.created_by JOIN accounts w ON w.id = v.authored_by
             WHERE n.patient_id = $1 AND {versions} ORDER BY {order}"
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).bind(one).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(JournalNote {
                    id: r.id,
                    kind: Kind::from_code(&r.kind).ok_or_else(|| StoreError::Corrupt(r.kind))?,
                    appointment_id: r.appointment_id,
                    version: r.version,
                    fields: serde_json::from_str(&r.fields)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    created_by_name: r.created_by_name,
                    created_at: r.created_at.to_jiff(),
                    author_name: r.author_name,
                    authored_at: r.authored_at.to_jiff(),
                    reason: r.reason,
                })
            })
            .collect()
    }
}
