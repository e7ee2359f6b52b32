//! What the board's follow-up reads of every patient who was referred or had a plan:
//! the facts the measures need and the keys they are split by — never a name or an
//! identity number. A handful of statements whatever the number of patients. The read
//! is logged as one entry (basis: statistics) naming how many patients it covered; its
//! result leaves the server only through `trappa_reporting`'s suppression.

use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::db::on_pool;
use crate::log_entry::NewEntry;
use crate::path::{EVENTS_WITH_PATIENT, EventRow, PathEvent, event_with_patient};
use crate::referrals::ReferralTimeline;
use crate::{Result, Store};

/// One patient as the report reads them.
#[derive(Debug, Clone)]
pub struct ReportPatient {
    /// The patient (never shown; keys the rows below).
    pub patient_id: Uuid,
    /// Recorded sex code.
    pub sex: String,
    /// Birth date (for the age band; never shown).
    pub birth_date: Date,
    /// The code of their vårdcentral.
    pub vardcentral: Option<String>,
    /// Its municipality's kommunkod.
    pub kommunkod: Option<String>,
    /// The latest referral: its timeline, triage facts (JSON) and decisions (JSON, when)
    /// in order.
    pub referral: Option<ReportReferral>,
    /// Visits held (appointments whose current version is done), oldest first.
    pub held: Vec<HeldVisit>,
    /// The first active plan version's plan (engine JSON).
    pub first_plan: Option<String>,
    /// Path events, oldest first.
    pub events: Vec<PathEvent>,
}

/// A visit held.
#[derive(Debug, Clone)]
pub struct HeldVisit {
    /// The appointment kind's code.
    pub kind: String,
    /// The place's code.
    pub place: String,
    /// When it started.
    pub at: Timestamp,
}

/// A referral as the report reads it.
#[derive(Debug, Clone)]
pub struct ReportReferral {
    /// For the clock.
    pub timeline: ReferralTimeline,
    /// The triage facts, JSON (the latest complement's when it changed them).
    pub facts: String,
    /// Decisions (triage JSON) and when, oldest first.
    pub decisions: Vec<(String, Timestamp)>,
}

impl Store {
    /// Every patient with a referral or a plan, for the board's follow-up. Logged as one
    /// entry whose detail counts them.
    pub async fn report_patients(&self, log: &NewEntry<'_>) -> Result<Vec<ReportPatient>> {
        #[derive(sqlx::FromRow)]
        struct Person {
            id: Uuid,
            sex: String,
            birth_date: jiff_sqlx::Date,
            code: Option<String>,
            kommunkod: Option<String>,
        }
        let people: Vec<Person> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, v.sex, v.birth_date, u.code, u.kommunkod
             FROM patients p
             JOIN patient_versions v ON v.patient_id = p.id AND v.version = p.current_version
             LEFT JOIN units u ON u.id = v.home_unit_id
             WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id)
                OR EXISTS (SELECT 1 FROM taper_plan_versions t WHERE t.patient_id = p.id)
             ORDER BY p.id")
            .fetch_all(p).await)?;
        let referrals: Vec<(Uuid, Uuid, jiff_sqlx::Timestamp, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.patient_id, r.id, r.received_at, r.facts FROM referrals r
             WHERE r.path
               AND r.received_at = (SELECT MAX(r2.received_at) FROM referrals r2 WHERE r2.patient_id = r.patient_id AND r2.path)")
            .fetch_all(p).await)?;
        let decisions: Vec<(Uuid, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT referral_id, decision, decided_at FROM referral_decisions ORDER BY referral_id, seq")
            .fetch_all(p).await)?;
        let complements: Vec<(Uuid, Option<String>, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT referral_id, facts, answered_at FROM referral_complements ORDER BY referral_id, seq")
            .fetch_all(p).await)?;
        let held: Vec<(Uuid, String, String, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.patient_id, v.kind, v.place, v.starts_at
             FROM appointments a JOIN appointment_versions v ON v.appointment_id = a.id
              AND v.version = (SELECT MAX(x.version) FROM appointment_versions x WHERE x.appointment_id = a.id)
             WHERE v.status = 'done'
             ORDER BY v.starts_at")
            .fetch_all(p).await)?;
        let plans: Vec<(Uuid, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT t.patient_id, t.plan FROM taper_plan_versions t
             WHERE t.status = 'active' AND t.version = (SELECT MIN(x.version) FROM taper_plan_versions x
                   WHERE x.patient_id = t.patient_id AND x.status = 'active')")
            .fetch_all(p).await)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{EVENTS_WITH_PATIENT} ORDER BY e.occurred_on, e.recorded_at"
        ));
        let events: Vec<EventRow> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;

        let mut out = Vec::with_capacity(people.len());
        let index: std::collections::HashMap<Uuid, usize> =
            people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for p in people {
            out.push(ReportPatient {
                patient_id: p.id,
                sex: p.sex,
                birth_date: p.birth_date.to_jiff(),
                vardcentral: p.code,
                kommunkod: p.kommunkod,
                referral: None,
                held: Vec::new(),
                first_plan: None,
                events: Vec::new(),
            });
        }
        let mut referral_of: std::collections::HashMap<Uuid, usize> = Default::default();
        for (patient, referral, received, facts) in referrals {
            if let Some(&i) = index.get(&patient) {
                referral_of.insert(referral, i);
                out[i].referral = Some(ReportReferral {
                    timeline: ReferralTimeline {
                        received_at: received.to_jiff(),
                        complement_asked: Vec::new(),
                        complement_answered: Vec::new(),
                    },
                    facts,
                    decisions: Vec::new(),
                });
            }
        }
        for (referral, decision, at) in decisions {
            if let Some(r) = referral_of
                .get(&referral)
                .and_then(|&i| out[i].referral.as_mut())
            {
                if crate::referrals::is_complement(&decision) {
                    r.timeline.complement_asked.push(at.to_jiff());
                }
                r.decisions.push((decision, at.to_jiff()));
            }
        }
        for (referral, facts, at) in complements {
            if let Some(r) = referral_of
                .get(&referral)
                .and_then(|&i| out[i].referral.as_mut())
            {
                r.timeline.complement_answered.push(at.to_jiff());
                if let Some(f) = facts {
                    r.facts = f;
                }
            }
        }
        for (patient, kind, place, at) in held {
            if let Some(&i) = index.get(&patient) {
                out[i].held.push(HeldVisit {
                    kind,
                    place,
                    at: at.to_jiff(),
                });
            }
        }
        for (patient, plan) in plans {
            if let Some(&i) = index.get(&patient) {
                out[i].first_plan = Some(plan);
            }
        }
        for row in events {
            let (patient, event) = event_with_patient(row)?;
            if let Some(&i) = index.get(&patient) {
                out[i].events.push(event);
            }
        }
        self.append_access_log(&NewEntry {
            detail: Some(format!("{} patients", out.len())),
            ..log.clone()
        })
        .await?;
        Ok(out)
    }
}
