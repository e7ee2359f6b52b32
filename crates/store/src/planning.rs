//! What the week planner needs to know of the unit's patients: everyone with a current
//! care team — their vårdcentral, who is in the team in which function, the active taper
//! plan and when each active version was signed, and the path events (aftercare and its
//! follow-ups). The listing and every patient in it are logged (basis: planning).

use jiff::Timestamp;
use trappa_policy::AccessBasis;
use uuid::Uuid;

use crate::db::on_pool;
use crate::log_entry::{Action, NewEntry};
use crate::path::{EVENTS_WITH_PATIENT, EventRow, PathEvent, event_with_patient};
use crate::team::TeamFunction;
use crate::{Result, Store, StoreError};

/// One patient as the planner sees them.
#[derive(Debug, Clone)]
pub struct PlanningPatient {
    /// The patient.
    pub patient_id: Uuid,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// The code of their vårdcentral, if recorded.
    pub site: Option<String>,
    /// Current care-team members and their function.
    pub team: Vec<(Uuid, TeamFunction)>,
    /// The active plan version's plan (engine JSON), if the plan is active.
    pub plan: Option<String>,
    /// When each active version was signed, oldest first.
    pub signed: Vec<Timestamp>,
    /// Path events, oldest first (corrected ones marked by `corrected_by`).
    pub events: Vec<PathEvent>,
}

impl Store {
    /// Every patient with a current care team, for planning. Logged: the listing and one
    /// row per patient.
    pub async fn planning_patients(&self, log: &NewEntry<'_>) -> Result<Vec<PlanningPatient>> {
        let people: Vec<(Uuid, String, String, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, v.given_name, v.family_name, u.code
             FROM patients p
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             LEFT JOIN units u ON u.id = v.home_unit_id
             WHERE EXISTS (SELECT 1 FROM care_team_members c WHERE c.patient_id = p.id AND c.ended_at IS NULL)
             ORDER BY v.family_name, v.given_name, p.id")
            .fetch_all(p).await)?;
        let team: Vec<(Uuid, Uuid, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT patient_id, account_id, function FROM care_team_members WHERE ended_at IS NULL ORDER BY added_at")
            .fetch_all(p).await)?;
        // Active versions, oldest first: the last one is the plan in effect.
        let plans: Vec<(Uuid, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT v.patient_id, v.plan, v.authored_at FROM taper_plan_versions v
             WHERE v.status = 'active' ORDER BY v.patient_id, v.version")
            .fetch_all(p).await)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{EVENTS_WITH_PATIENT} ORDER BY e.occurred_on, e.recorded_at"
        ));
        let events: Vec<EventRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        let mut out: Vec<PlanningPatient> = people
            .into_iter()
            .map(
                |(patient_id, given_name, family_name, site)| PlanningPatient {
                    patient_id,
                    given_name,
                    family_name,
                    site,
                    team: Vec::new(),
                    plan: None,
                    signed: Vec::new(),
                    events: Vec::new(),
                },
            )
            .collect();
        let index: std::collections::HashMap<Uuid, usize> = out
            .iter()
            .enumerate()
            .map(|(i, p)| (p.patient_id, i))
            .collect();
        for (patient, account, function) in team {
            if let Some(&i) = index.get(&patient) {
                let f = TeamFunction::from_code(&function).ok_or(StoreError::Corrupt(function))?;
                out[i].team.push((account, f));
            }
        }
        for (patient, plan, at) in plans {
            if let Some(&i) = index.get(&patient) {
                out[i].plan = Some(plan);
                out[i].signed.push(at.to_jiff());
            }
        }
        for row in events {
            let (patient, event) = event_with_patient(row)?;
            if let Some(&i) = index.get(&patient) {
                out[i].events.push(event);
            }
        }
        let mut tx = self.begin().await?;
        tx.append_access_log(&NewEntry {
            detail: Some(format!("{} patients", out.len())),
            ..log.clone()
        })
        .await?;
        for p in &out {
            tx.append_access_log(&NewEntry {
                patient_id: Some(p.patient_id),
                action: Action::Listed,
                basis: Some(AccessBasis::Planning),
                detail: None,
                ..log.clone()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}
