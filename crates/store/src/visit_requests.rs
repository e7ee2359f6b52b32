//! A patient's wish to move or cancel a booked visit, and the coordinator's decision:
//! append-only. Nothing about the visit changes until the wish is approved; then the
//! visit's new version and the decision commit in one transaction.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::{Action, NewEntry};
use crate::visits::{AppointmentState, change_appointment, current_appointment};
use crate::{Result, Store, StoreError, now, ts};

/// A wish as the patient sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisitRequest {
    /// The visit.
    pub appointment: Uuid,
    /// "move" or "cancel".
    pub kind: String,
    /// What the patient wishes (a time that suits, why).
    pub wish: String,
    /// The form's key: the same wish sent twice is stored once.
    pub request_key: Option<String>,
}

/// A wish with its decision, if made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitRequest {
    /// Id.
    pub id: Uuid,
    /// The patient.
    pub patient_id: Uuid,
    /// The visit.
    pub appointment_id: Uuid,
    /// "move" or "cancel".
    pub kind: String,
    /// The patient's words.
    pub wish: String,
    /// When it was sent.
    pub requested_at: Timestamp,
    /// Approved or not, with the note, by whom and when; none while open.
    pub decision: Option<Decision>,
    /// The patient's name as the record has it now ("Family, Given"), for lists.
    pub patient_name: String,
    /// The visit as it stands now: its time, kind and place codes.
    pub visit_starts_at: Timestamp,
    /// Kind code.
    pub visit_kind: String,
    /// Place code.
    pub visit_place: String,
}

/// The coordinator's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Approved (the visit changed) or declined.
    pub approved: bool,
    /// The note to the patient.
    pub note: String,
    /// Who.
    pub decided_by_name: String,
    /// When.
    pub decided_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    patient_id: Uuid,
    appointment_id: Uuid,
    kind: String,
    wish: String,
    requested_at: jiff_sqlx::Timestamp,
    approved: Option<bool>,
    note: Option<String>,
    decided_by_name: Option<String>,
    decided_at: Option<jiff_sqlx::Timestamp>,
    patient_name: String,
    visit_starts_at: jiff_sqlx::Timestamp,
    visit_kind: String,
    visit_place: String,
}

impl From<Row> for VisitRequest {
    fn from(r: Row) -> Self {
        let decision = match (r.approved, r.note, r.decided_by_name, r.decided_at) {
            (Some(approved), Some(note), Some(decided_by_name), Some(at)) => Some(Decision {
                approved,
                note,
                decided_by_name,
                decided_at: at.to_jiff(),
            }),
            _ => None,
        };
        VisitRequest {
            id: r.id,
            patient_id: r.patient_id,
            appointment_id: r.appointment_id,
            kind: r.kind,
            wish: r.wish,
            requested_at: r.requested_at.to_jiff(),
            decision,
            patient_name: r.patient_name,
            visit_starts_at: r.visit_starts_at.to_jiff(),
            visit_kind: r.visit_kind,
            visit_place: r.visit_place,
        }
    }
}

const SELECT: &str = "SELECT q.id, q.patient_id, q.appointment_id, q.kind, q.wish, q.requested_at,
        d.approved, d.note, a.display_name AS decided_by_name, d.decided_at,
        v.family_name || ', ' || v.given_name AS patient_name,
        av.starts_at AS visit_starts_at, av.kind AS visit_kind, av.place AS visit_place
     FROM visit_requests q
     JOIN appointment_versions av ON av.appointment_id = q.appointment_id
      AND av.version = (SELECT MAX(x.version) FROM appointment_versions x WHERE x.appointment_id = q.appointment_id)
     JOIN patients p ON p.id = q.patient_id
     JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
     LEFT JOIN visit_request_decisions d ON d.request_id = q.id
     LEFT JOIN accounts a ON a.id = d.decided_by";

impl Store {
    /// Records the patient's wish for one of their booked visits still to come, logged
    /// in the same transaction. A visit of another patient is not found; a visit that
    /// is not booked, has passed or already has an open wish is refused; a wish sent
    /// twice (the same key) is stored once. Returns the wish's id.
    pub async fn request_visit_change(
        &self,
        access: &PatientAccess,
        r: &NewVisitRequest,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        if let Some(key) = &r.request_key {
            let sent: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
                "SELECT id FROM visit_requests WHERE patient_id = $1 AND request_key = $2")
                .bind(access.patient_id()).bind(key).fetch_optional(p).await)?;
            if let Some((id,)) = sent {
                return Ok(id);
            }
        }
        let mut tx = self.begin().await?;
        let visit = current_appointment(&mut tx, access, r.appointment).await?;
        if visit.status != trappa_pathway::visits::Status::Booked || visit.starts_at <= now() {
            return Err(StoreError::Refused("visit_not_ahead"));
        }
        let open: (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM visit_requests q WHERE q.appointment_id = $1
               AND NOT EXISTS (SELECT 1 FROM visit_request_decisions d WHERE d.request_id = q.id)")
            .bind(r.appointment).fetch_one(&mut *c).await)?;
        if open.0 > 0 {
            return Err(StoreError::Refused("visit_request_open"));
        }
        let id = Uuid::now_v7();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO visit_requests (id, patient_id, appointment_id, kind, wish, request_key, requested_by, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(access.patient_id()).bind(r.appointment).bind(&r.kind).bind(&r.wish)
            .bind(&r.request_key).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))
            .map_err(|e| StoreError::unique(e, "request_key"))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The patient's wishes, newest first, with their decisions.
    pub async fn visit_requests(&self, access: &PatientAccess) -> Result<Vec<VisitRequest>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE q.patient_id = $1 ORDER BY q.requested_at DESC, q.id DESC"
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).fetch_all(p).await)?;
        Ok(rows.into_iter().map(VisitRequest::from).collect())
    }

    /// Every wish still open, oldest first: the coordinators' worklist. The listing and
    /// each patient it names are logged.
    pub async fn open_visit_requests(&self, log: &NewEntry<'_>) -> Result<Vec<VisitRequest>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE d.request_id IS NULL ORDER BY q.requested_at, q.id"
        ));
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        let list: Vec<VisitRequest> = rows.into_iter().map(VisitRequest::from).collect();
        let mut tx = self.begin().await?;
        tx.append_access_log(log).await?;
        for r in &list {
            tx.append_access_log(&NewEntry {
                patient_id: Some(r.patient_id),
                action: Action::Listed,
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(list)
    }

    /// Decides an open wish of the patient's. Approved with `change` (the visit's version
    /// read and its next state), the visit's new version and the decision commit
    /// together; declined, only the decision. A wish already decided is stale.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_visit_request(
        &self,
        access: &PatientAccess,
        request: Uuid,
        change: Option<(i64, &AppointmentState)>,
        note: &str,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE q.id = $1 AND q.patient_id = $2"));
        let found: Option<Row> = on_tx!(tx, c => sqlx::query_as(sql)
            .bind(request).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        let found = VisitRequest::from(found.ok_or(StoreError::NotFound)?);
        if found.decision.is_some() {
            return Err(StoreError::Stale);
        }
        if let Some((expected, next)) = change {
            change_appointment(
                &mut tx,
                access,
                found.appointment_id,
                expected,
                next,
                author,
                note,
            )
            .await?;
        }
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO visit_request_decisions (request_id, approved, note, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(request).bind(change.is_some()).bind(note).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }
}
