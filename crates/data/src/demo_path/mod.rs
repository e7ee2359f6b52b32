//! The demo patients' histories along the path, written through the store's ordinary
//! writes at the times they happened ([`trappa_store::as_of`]): referrals received over
//! the last months (some self-referrals, complements asked and answered, some declined or
//! redirected), a waiting list whose clocks run from a few days to past 90, assessments
//! held with their notes, plans signed (some held, some slowed down) with visits, scores
//! and CBT sessions, aftercare with follow-ups, and discharges with every outcome.
//!
//! Which stage a person reaches is decided by their index, so the demo is the same on
//! every run and every stage is always present.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::Date;
use trappa_pathway::visits::{Kind, Place, Status};
use trappa_policy::{Queue, Role};
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::care_team::TeamFunction;
use trappa_store::path::{EventKind, NewEvent};
use trappa_store::patients::{PatientAccess, PatientData};
use trappa_store::referrals::{NewReferral, SELF_REFERRAL_ACCOUNT};
use trappa_store::visits::{AppointmentState, NewNote};
use trappa_store::{Store, Uuid, as_of};
use trappa_taper::Plan;
use trappa_taper::plan::{PlanRequest, Substitution};
use trappa_taper::regimen::{DrugUse, Regimen};

mod reports;
mod sips;
mod stages;

pub use sips::{DemoPartner, DemoPartners};

/// The demo's regimens: benzodiazepines, Z-drugs, opioids, a gabapentinoid.
const REGIMENS: [(&str, &[f64], bool); 8] = [
    ("oxazepam", &[10.0, 10.0, 0.0, 25.0], false),
    ("zopiclone", &[0.0, 0.0, 0.0, 7.5], false),
    ("diazepam", &[5.0, 0.0, 5.0], false),
    ("alprazolam", &[0.5, 0.5, 0.0, 1.0], true),
    ("oxycodone", &[10.0, 0.0, 10.0], false),
    ("pregabalin", &[150.0, 0.0, 150.0], false),
    ("zolpidem", &[0.0, 0.0, 0.0, 10.0], false),
    ("tramadol", &[50.0, 50.0, 50.0], false),
];

/// Where a demo person is on the path, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoStage {
    /// Referral in triage.
    Triage,
    /// Declined or redirected.
    Out,
    /// On the waiting list.
    Waiting,
    /// Assessed, no signed plan.
    Assessment,
    /// Tapering.
    Taper,
    /// In aftercare.
    Aftercare,
    /// Discharged.
    Discharged,
}

/// The stage a demo index reaches.
pub fn stage_of(index: usize) -> DemoStage {
    match index {
        0..12 => DemoStage::Triage,
        12..16 => DemoStage::Out,
        16..40 => DemoStage::Waiting,
        40..50 => DemoStage::Assessment,
        50..170 => DemoStage::Taper,
        170..185 => DemoStage::Aftercare,
        185..200 => DemoStage::Discharged,
        // The history: one in ten declined or redirected, the rest treated and discharged.
        _ if (index - 200) % 10 == 9 => DemoStage::Out,
        _ => DemoStage::Discharged,
    }
}

/// For a person of the history (index 200 on), how many days before today their last
/// dose was (or the referral came, for those declined or redirected): spread over two
/// years, the latest about six months ago. A benchmark's many more people repeat the
/// spread ([`crate::demo::DemoSize::Histories`]).
fn history_days_ago(index: usize) -> i64 {
    let nth = index.saturating_sub(200) % crate::demo::DEMO_HISTORY_PATIENTS;
    190 + 4 * nth as i64
}

/// The people and data the histories need.
pub struct Cast<'a> {
    /// The store.
    pub store: &'a Store,
    /// The engine's data.
    pub reference: &'a trappa_taper::ReferenceData,
    /// The instruments.
    pub instruments: &'a trappa_scales::Instruments,
    /// Coordinator.
    pub coordinator: Uuid,
    /// Nurses.
    pub nurses: [Uuid; 2],
    /// Physician.
    pub physician: Uuid,
    /// Kurator.
    pub kurator: Uuid,
    /// Physiotherapist.
    pub physio: Uuid,
    /// The demo referrer and their vårdcentral.
    pub referrer: (Uuid, Option<Uuid>),
    /// The unit, for actors.
    pub unit: Uuid,
    /// Today.
    pub today: Date,
}

/// What a history wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    /// Plans saved (drafts or signed).
    pub plans: usize,
}

fn at(d: Date, hour: i8) -> Timestamp {
    d.at(hour, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn actor(id: Uuid, username: &str, role: Option<Role>) -> Actor {
    Actor {
        account_id: Some(id),
        username: username.to_owned(),
        role: role.map(|r| r.code().to_owned()),
        unit_id: None,
        request_id: "demo-load".to_owned(),
        client_ip: None,
        new_role: false,
    }
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

impl Cast<'_> {
    /// The actor of a demo account, in the role the cast gives it.
    fn actor(&self, id: Uuid, username: &str) -> Actor {
        let role = if id == self.coordinator {
            Some(Role::Coordinator)
        } else if self.nurses.contains(&id) {
            Some(Role::Nurse)
        } else if id == self.physician {
            Some(Role::Physician)
        } else if id == self.kurator {
            Some(Role::Psychologist)
        } else if id == self.physio {
            Some(Role::Physiotherapist)
        } else if id == self.referrer.0 {
            Some(Role::ExternalReferrer)
        } else {
            None
        };
        actor(id, username, role)
    }

    fn log<'a>(&self, a: &'a Actor) -> NewEntry<'a> {
        NewEntry::new(a, Action::Update, "patient.path").detail("demo data".to_owned())
    }

    /// Opens the patient as `a` would: the policy decides on the facts at the demo's
    /// time, and a history that writes without a standing fails to load.
    async fn access(&self, patient: Uuid, a: &Actor) -> anyhow::Result<PatientAccess> {
        self.access_as(patient, a, false).await
    }

    /// As [`Cast::access`], for the patient's own account when `is_self`.
    async fn access_as(
        &self,
        patient: Uuid,
        a: &Actor,
        is_self: bool,
    ) -> anyhow::Result<PatientAccess> {
        use anyhow::Context as _;
        let account = a.account_id.context("a demo actor has an account")?;
        let role = a
            .role
            .as_deref()
            .and_then(trappa_policy::Role::from_code)
            .context("a demo actor acts in a role")?;
        let facts = self
            .store
            .access_facts(account, role, patient, trappa_store::now())
            .await?
            .context("the demo patient exists")?;
        match trappa_policy::decide_patient_access(facts.policy_facts(role, is_self)) {
            trappa_policy::PatientAccessDecision::Allow(grant) => Ok(self
                .store
                .grant_patient_access_with(facts, patient, grant, &self.log(a))
                .await?),
            other => anyhow::bail!("the policy refuses a demo {role:?}: {other:?}"),
        }
    }

    fn facts(&self, index: usize) -> String {
        let (substance, doses, _) = REGIMENS[index % REGIMENS.len()];
        let attempt = (index % 4 != 1).then(|| {
            serde_json::json!({
                "drug": substance, "period": "2025-02 – 2025-08",
                "lowest_dose": "hälften av startdosen", "why_stopped": "sömnbesvär och oro"
            })
        });
        let mut drugs = vec![serde_json::json!({
            "substance": substance, "daily_dose": doses.iter().sum::<f64>(), "months": 24 + index % 100
        })];
        if index % 4 == 3 && substance != "oxycodone" {
            drugs.push(
                serde_json::json!({ "substance": "oxycodone", "daily_dose": 20.0, "months": 18 }),
            );
        }
        serde_json::json!({
            "age": 40 + index % 45,
            "drugs": drugs,
            "prior_attempt": attempt,
            "mixed_substance_use": index % 4 == 2 && index < 16,
            "primary_psychiatric_illness": false,
            "complex_pain": false,
            "pregnant": false,
        })
        .to_string()
    }

    /// The referral (received on `received`), registering the patient in triage.
    async fn refer(
        &self,
        person: &PatientData,
        index: usize,
        received: Date,
    ) -> anyhow::Result<(Uuid, Uuid)> {
        let self_referral = index.is_multiple_of(5);
        let (referrer, unit) = if self_referral {
            (SELF_REFERRAL_ACCOUNT, None)
        } else {
            self.referrer
        };
        let facts = self.facts(index);
        let details = serde_json::json!({
            "comorbidities": if index.is_multiple_of(3) { "Hypertoni" } else { "" },
            "prescriber": if self_referral { "" } else { "Eva Dahl, distriktsläkare" },
            "free_text": if self_referral { "Jag vill sluta men vågar inte göra det själv." } else { "" },
        })
        .to_string();
        let a = self.actor(
            referrer,
            if self_referral {
                "egenremiss"
            } else {
                "remittent"
            },
        );
        let entry = NewEntry::new(&a, Action::Create, "patient.referral")
            .flagged(person.protected_identity)
            .detail("demo data".to_owned());
        Ok(as_of(
            at(received, 9),
            self.store.create_referral(
                person,
                &NewReferral {
                    facts: &facts,
                    details: &details,
                    referrer,
                    unit,
                },
                &entry,
            ),
        )
        .await
        .map(|(referral, patient, _)| (referral, patient))?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide(
        &self,
        access: &PatientAccess,
        referral: Uuid,
        expected: i64,
        decision: serde_json::Value,
        reply: &str,
        on: Date,
        queue: Option<Queue>,
    ) -> anyhow::Result<()> {
        let a = self.actor(self.physician, "lakare");
        as_of(
            at(on, 14),
            self.store.decide_referral(
                access,
                referral,
                expected,
                &decision.to_string(),
                reply,
                self.physician,
                queue,
                &self.log(&a),
            ),
        )
        .await?;
        Ok(())
    }

    async fn team(&self, patient: Uuid, index: usize) -> anyhow::Result<()> {
        let s = self.store;
        s.seed_care_team_member(
            patient,
            self.nurses[index % 2],
            TeamFunction::FastVardkontakt,
            self.coordinator,
        )
        .await?;
        s.seed_care_team_member(
            patient,
            self.physician,
            TeamFunction::Prescriber,
            self.coordinator,
        )
        .await?;
        if index.is_multiple_of(3) {
            s.seed_care_team_member(
                patient,
                self.kurator,
                TeamFunction::Psychosocial,
                self.coordinator,
            )
            .await?;
        }
        if index.is_multiple_of(5) {
            s.seed_care_team_member(
                patient,
                self.physio,
                TeamFunction::Physiotherapist,
                self.coordinator,
            )
            .await?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn visit(
        &self,
        access: &PatientAccess,
        kind: Kind,
        place: Place,
        clinician: Uuid,
        on: Date,
        booked_on: Date,
        note: Option<BTreeMap<String, String>>,
    ) -> anyhow::Result<()> {
        let a = self.actor(clinician, "demo");
        let state = AppointmentState {
            kind,
            place,
            starts_at: at(on, 10),
            minutes: kind.default_minutes(),
            clinician: Some(clinician),
            status: Status::Booked,
        };
        let id = as_of(
            at(booked_on, 8),
            self.store
                .book_appointment(access, &state, clinician, "", &self.log(&a)),
        )
        .await?;
        if let Some(fields) = note {
            as_of(
                at(on, 11),
                self.store.write_note(
                    access,
                    &NewNote {
                        kind,
                        fields,
                        held: Some((id, 1)),
                    },
                    clinician,
                    &self.log(&a),
                ),
            )
            .await?;
        }
        Ok(())
    }

    async fn event<T: serde::Serialize>(
        &self,
        access: &PatientAccess,
        kind: EventKind,
        on: Date,
        data: &T,
    ) -> anyhow::Result<()> {
        let nurse = self.nurses[0];
        let a = self.actor(nurse, "sjukskoterska");
        as_of(
            at(on, 15),
            self.store.record_path_event(
                access,
                &NewEvent {
                    kind,
                    occurred_on: on,
                    data: serde_json::to_string(data)?,
                    corrects: None,
                    reason: String::new(),
                },
                matches!(kind, EventKind::AftercareStarted | EventKind::Discharged),
                nurse,
                &self.log(&a),
            ),
        )
        .await?;
        Ok(())
    }

    fn request(&self, index: usize, start: Date) -> PlanRequest {
        let (substance, doses, switch) = REGIMENS[index % REGIMENS.len()];
        PlanRequest {
            regimen: Regimen {
                drugs: vec![DrugUse {
                    substance: substance.into(),
                    route: None,
                    doses: doses.to_vec(),
                    products: vec![],
                    as_needed: None,
                    special_products: false,
                }],
            },
            start,
            tables: Default::default(),
            reduction: Default::default(),
            substitution: switch.then_some(Substitution::every(1)),
            multi: Default::default(),
            goals: vec![],
            limits: Default::default(),
            holds: vec![],
            dose_times: vec![],
            phases: Vec::new(),
            step_lengths: Vec::new(),
        }
    }

    fn propose(&self, request: &PlanRequest) -> anyhow::Result<Plan> {
        trappa_taper::propose(self.reference, request)
            .map_err(|e| anyhow::anyhow!("demo plan: {e}"))
    }

    /// A plan drafted after the assessment on `drafted` and, unless left for the
    /// physician's worklist, signed the same day; returns it.
    async fn plan(
        &self,
        access: &PatientAccess,
        index: usize,
        request: &PlanRequest,
        drafted: Date,
        sign: bool,
    ) -> anyhow::Result<Plan> {
        let plan = self.propose(request)?;
        let a = self.actor(self.physician, "lakare");
        let log =
            NewEntry::new(&a, Action::Update, "patient.taper_plan").detail("demo data".to_owned());
        as_of(
            at(drafted, 13),
            self.store.save_taper_plan_draft(
                access,
                0,
                &serde_json::to_string(&plan.request)?,
                &serde_json::to_string(&plan)?,
                self.nurses[index % 2],
                "Demodata: förslag efter bedömningsbesöket",
                &log,
            ),
        )
        .await?;
        if sign {
            as_of(
                at(drafted, 16),
                self.store.sign_taper_plan(
                    access,
                    1,
                    self.physician,
                    "Demodata: genomgånget med patienten",
                    None,
                    &log,
                ),
            )
            .await?;
        }
        Ok(plan)
    }

    /// A new signed version from a changed request (a hold, a slower rate).
    async fn revise(
        &self,
        access: &PatientAccess,
        request: &PlanRequest,
        on: Date,
        reason: &str,
    ) -> anyhow::Result<()> {
        let plan = self.propose(request)?;
        let a = self.actor(self.physician, "lakare");
        let log =
            NewEntry::new(&a, Action::Update, "patient.taper_plan").detail("demo data".to_owned());
        let current = self
            .store
            .taper_plan_versions(access)
            .await?
            .iter()
            .map(|v| v.version)
            .max()
            .unwrap_or(0);
        let version = as_of(
            at(on, 13),
            self.store.save_taper_plan_draft(
                access,
                current,
                &serde_json::to_string(&plan.request)?,
                &serde_json::to_string(&plan)?,
                self.physician,
                reason,
                &log,
            ),
        )
        .await?;
        as_of(
            at(on, 14),
            self.store
                .sign_taper_plan(access, version, self.physician, reason, None, &log),
        )
        .await?;
        Ok(())
    }

    async fn score(
        &self,
        access: &PatientAccess,
        index: usize,
        on: Date,
        level: usize,
    ) -> anyhow::Result<()> {
        let (substance, _, _) = REGIMENS[index % REGIMENS.len()];
        let opioid = matches!(substance, "oxycodone" | "tramadol");
        let (id, total) = if opioid {
            ("cows", [3.0, 8.0, 15.0][level % 3])
        } else {
            ("ciwa-b", [12.0, 28.0, 45.0][level % 3])
        };
        let inst = self
            .instruments
            .get(id)
            .ok_or_else(|| anyhow::anyhow!("instrument {id}"))?;
        let scored = inst
            .score(&trappa_scales::Answers::Total { total, band: None })
            .map_err(|e| anyhow::anyhow!("demo score: {e}"))?;
        let band = serde_json::to_value(scored.band)?
            .as_str()
            .unwrap_or("none")
            .to_owned();
        let nurse = self.nurses[index % 2];
        let a = self.actor(nurse, "sjukskoterska");
        as_of(
            at(on, 11),
            self.store.record_score(
                access,
                &trappa_store::scores::NewScore {
                    instrument: id.into(),
                    observed_on: on,
                    total,
                    band,
                    items: None,
                    flags: vec![],
                    note: "Demodata".into(),
                    corrects: None,
                    reason: String::new(),
                    reported_by_patient: false,
                    request_key: None,
                },
                nurse,
                &self.log(&a),
            ),
        )
        .await?;
        Ok(())
    }

    /// Referral, acceptance and the assessment held on `assessed`; returns the access.
    async fn accepted_and_assessed(
        &self,
        person: &PatientData,
        index: usize,
        received: Date,
        assessed: Date,
    ) -> anyhow::Result<PatientAccess> {
        let (referral, patient) = self.refer(person, index, received).await?;
        let coordinator = self.actor(self.coordinator, "koordinator");
        let access = self.access(patient, &coordinator).await?;
        self.decide(
            &access,
            referral,
            0,
            serde_json::json!({ "kind": "accept", "priority": if index.is_multiple_of(6) { "high" } else { "normal" } }),
            "Antagen. Kallelse skickas.",
            days(received, 3),
            Some(Queue::Waiting),
        )
        .await?;
        self.team(patient, index).await?;
        let (substance, doses, _) = REGIMENS[index % REGIMENS.len()];
        let note: BTreeMap<String, String> = [
            ("history", format!("{substance} sedan många år, förskrivet av vårdcentralen. Ett försök att trappa ned 2025 avbröts.")),
            ("use", format!("{substance} {} mg per dygn enligt ordination, inget vid behov.", doses.iter().sum::<f64>())),
            ("withdrawal_risk", "Inga tidigare abstinenskramper eller delirium.".to_owned()),
            ("goals", "Vill bli läkemedelsfri och sova utan tabletter.".to_owned()),
            ("plan", "Långsam nedtrappning med sjuksköterskekontakt före varje steg.".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        self.visit(
            &access,
            Kind::Assessment,
            if index.is_multiple_of(4) {
                Place::Base
            } else {
                Place::OwnVardcentral
            },
            self.nurses[index % 2],
            assessed,
            days(received, 5),
            Some(note),
        )
        .await?;
        Ok(access)
    }

    /// Writes the history of demo person `index`.
    pub async fn history(&self, person: &PatientData, index: usize) -> anyhow::Result<Written> {
        let mut written = Written::default();
        match stage_of(index) {
            DemoStage::Triage => self.triage(person, index).await?,
            DemoStage::Out => self.declined_or_redirected(person, index).await?,
            DemoStage::Waiting => self.waiting(person, index).await?,
            DemoStage::Assessment => self.assessment(person, index, &mut written).await?,
            DemoStage::Taper => self.tapering(person, index, &mut written).await?,
            DemoStage::Aftercare | DemoStage::Discharged => {
                self.after_the_taper(person, index, &mut written).await?
            }
        }
        Ok(written)
    }
}
