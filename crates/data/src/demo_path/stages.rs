//! The path's stages, each written as the demo's staff would have lived it: the
//! referral, the decision, the team, visits and scores, the signed plan and its
//! revisions, aftercare and discharge.

use std::collections::BTreeMap;
use trappa_pathway::aftercare::{
    AftercareStart, DischargeRecord, FollowUpRecord, Outcome, OutcomeRecord, RelapseRecord,
    months_after,
};
use trappa_pathway::visits::{Kind, Place};
use trappa_policy::Queue;
use trappa_store::as_of;
use trappa_store::path::EventKind;
use trappa_store::patients::PatientData;
use trappa_taper::plan::{Hold, Reduction};

use super::*;

impl Cast<'_> {
    /// The referral received and, for some, a complement asked for and answered.
    pub(super) async fn triage(&self, person: &PatientData, index: usize) -> anyhow::Result<()> {
        let today = self.today;
        let received = days(today, -(1 + 2 * index as i64));
        let (referral, patient) = self.refer(person, index, received).await?;
        if index == 3 || index == 7 {
            let coordinator = self.actor(self.coordinator, "koordinator");
            let access = self.access(patient, &coordinator).await?;
            self.decide(
                &access,
                referral,
                0,
                serde_json::json!({ "kind": "complement", "missing": ["attempt_drug", "attempt_period", "attempt_lowest_dose", "attempt_why_stopped"] }),
                "Beskriv det tidigare nedtrappningsförsöket: läkemedel, period, lägsta dos och varför det avbröts.",
                days(received, 1),
                Some(Queue::Triage),
            )
            .await?;
            if index == 7 {
                let r = self.actor(self.referrer.0, "remittent");
                as_of(
                    at(days(received, 4), 10),
                    self.store.answer_complement(
                        &access,
                        referral,
                        0,
                        "Försök 2025 med oxazepam, 45 → 20 mg, avbröts på grund av sömnbesvär.",
                        None,
                        self.referrer.0,
                        &self.log(&r),
                    ),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// The referral received and declined or redirected.
    pub(super) async fn declined_or_redirected(
        &self,
        person: &PatientData,
        index: usize,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let received = if index < 200 {
            days(today, -(20 + index as i64))
        } else {
            days(today, -history_days_ago(index))
        };
        let (referral, patient) = self.refer(person, index, received).await?;
        let coordinator = self.actor(self.coordinator, "koordinator");
        let access = self.access(patient, &coordinator).await?;
        // The history's cycle through the same four decisions.
        let case = if index < 200 {
            index
        } else {
            12 + index / 10 % 4
        };
        let (decision, reply) = match case {
            12 => (
                serde_json::json!({ "kind": "decline" }),
                "Låg dos under kort tid: fortsätt nedtrappningen på vårdcentralen med 10 % var fjärde vecka; hör av er om den avstannar.",
            ),
            13 => (
                serde_json::json!({ "kind": "redirect", "to": "addiction_care" }),
                "Samtidigt alkoholbruk: remissen bör gå till beroendevården.",
            ),
            14 => (
                serde_json::json!({ "kind": "redirect", "to": "psychiatry" }),
                "Den psykiatriska sjukdomen står i förgrunden: remittera till psykiatrin.",
            ),
            _ => (
                serde_json::json!({ "kind": "redirect", "to": "pain_team" }),
                "Komplex smärta: smärtteam nivå 2–4 är rätt vårdnivå.",
            ),
        };
        self.decide(
            &access,
            referral,
            0,
            decision,
            reply,
            days(received, 4),
            None,
        )
        .await?;
        Ok(())
    }

    /// The referral accepted: on the waiting list, some with the first visit booked.
    pub(super) async fn waiting(&self, person: &PatientData, index: usize) -> anyhow::Result<()> {
        let today = self.today;
        let waited = 4 + 4 * (index as i64 - 16);
        let received = days(today, -waited);
        let (referral, patient) = self.refer(person, index, received).await?;
        let coordinator = self.actor(self.coordinator, "koordinator");
        let access = self.access(patient, &coordinator).await?;
        let mut decisions = 0;
        if index == 20 {
            self.decide(
                &access,
                referral,
                0,
                serde_json::json!({ "kind": "complement", "missing": ["attempt_lowest_dose"] }),
                "Vilken var den lägsta dosen?",
                days(received, 1),
                Some(Queue::Triage),
            )
            .await?;
            let r = self.actor(self.referrer.0, "remittent");
            as_of(
                at(days(received, 9), 10),
                self.store.answer_complement(
                    &access,
                    referral,
                    0,
                    "Lägsta dos 10 mg.",
                    None,
                    self.referrer.0,
                    &self.log(&r),
                ),
            )
            .await?;
            decisions = 1;
        }
        self.decide(
            &access,
            referral,
            decisions,
            serde_json::json!({ "kind": "accept", "priority": if index.is_multiple_of(5) { "high" } else { "normal" } }),
            "Antagen till väntelistan.",
            days(received, 2 + 8 * decisions),
            Some(Queue::Waiting),
        )
        .await?;
        if index.is_multiple_of(3) {
            self.team(patient, index).await?;
            let when = days(today, 3 + (index % 9) as i64);
            self.visit(
                &access,
                Kind::Assessment,
                Place::OwnVardcentral,
                self.nurses[index % 2],
                when,
                days(today, -1),
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// Accepted and assessed: the care team set, the first visit held.
    pub(super) async fn assessment(
        &self,
        person: &PatientData,
        index: usize,
        written: &mut Written,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let received = days(today, -(50 + 3 * (index as i64 - 40)));
        let assessed = days(today, -(3 + (index as i64 - 40)));
        let access = self
            .accepted_and_assessed(person, index, received, assessed)
            .await?;
        if index.is_multiple_of(2) {
            let request = self.request(index, days(today, 7));
            self.plan(&access, index, &request, assessed, false).await?;
            written.plans += 1;
        }
        Ok(())
    }

    /// Tapering: a signed plan, visits and scores, some plans revised by the engine's proposal.
    pub(super) async fn tapering(
        &self,
        person: &PatientData,
        index: usize,
        written: &mut Written,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let weeks = (index % 20) as i64;
        let start = days(today, -7 * weeks);
        let assessed = days(start, -10);
        let received = days(assessed, -(40 + (index % 30) as i64));
        let access = self
            .accepted_and_assessed(person, index, received, assessed)
            .await?;
        let mut request = self.request(index, start);
        let sign = index % 8 != 4;
        let plan = self
            .plan(&access, index, &request, days(assessed, 2), sign)
            .await?;
        written.plans += 1;
        if !sign {
            return Ok(());
        }
        let nurse = self.nurses[index % 2];
        // A nurse review before each step so far (the last few), with a score.
        for step in plan
            .steps
            .iter()
            .filter(|s| s.start <= today && s.start > days(today, -42))
        {
            let on = days(step.start, -3);
            let fields: BTreeMap<String, String> = [
                (
                    "symptoms".to_owned(),
                    "Lätt oro och sämre sömn första veckan efter förra sänkningen.".to_owned(),
                ),
                (
                    "adherence".to_owned(),
                    "Tar doserna enligt planen.".to_owned(),
                ),
                (
                    "plan".to_owned(),
                    format!("Nästa steg {} enligt plan.", step.start),
                ),
            ]
            .into();
            self.visit(
                &access,
                Kind::NurseReview,
                if index.is_multiple_of(2) {
                    Place::Phone
                } else {
                    Place::Video
                },
                nurse,
                on,
                days(on, -14),
                Some(fields),
            )
            .await?;
            self.score(&access, index, on, index / 3).await?;
        }
        if index.is_multiple_of(3) {
            self.score(&access, index, days(today, -2), index / 3)
                .await?;
        }
        // Next review booked.
        if let Some(next) = plan.steps.iter().find(|s| s.start > today) {
            let on = days(next.start, -(1 + (index % 4) as i64)).max(days(today, 1));
            self.visit(
                &access,
                Kind::NurseReview,
                Place::Video,
                nurse,
                on,
                days(today, -3),
                None,
            )
            .await?;
        }
        // CBT with the kurator for a third of the patients.
        if index.is_multiple_of(3) {
            self.cbt_sessions(&access, index, start).await?;
        }
        // Some held after a hard step, some slowed down.
        if weeks >= 4
            && let Some(current) = plan.steps.iter().rev().find(|s| s.start <= today)
        {
            if index % 10 == 1 {
                request.holds = vec![Hold {
                    step: current.number,
                    weeks: 2,
                    reason: "Abstinens efter sänkningen (CIWA-B 28)".into(),
                }];
                self.revise(
                    &access,
                    &request,
                    days(today, -5),
                    "Paus i två veckor efter motionerad abstinens",
                )
                .await?;
            } else if index % 10 == 2 {
                request.reduction = Some(Reduction::Slow {
                    percent: 5.0,
                    interval_weeks: 2,
                    low_dose: Default::default(),
                });
                self.revise(
                    &access,
                    &request,
                    days(today, -6),
                    "Långsammare takt: 5 % per steg på patientens begäran",
                )
                .await?;
            }
        }
        Ok(())
    }

    /// CBT sessions with the kurator, weekly from the start of the taper, one module
    /// each, up to today.
    async fn cbt_sessions(
        &self,
        access: &PatientAccess,
        index: usize,
        start: Date,
    ) -> anyhow::Result<()> {
        let today = self.today;
        for session in 1..=(1 + index % 7) {
            let on = days(start, 7 * session as i64);
            if on >= today {
                break;
            }
            let fields: BTreeMap<String, String> = [
                ("session".to_owned(), session.to_string()),
                (
                    "module".to_owned(),
                    [
                        "Psykoedukation om abstinens",
                        "Sömn",
                        "Oro och kroppsliga signaler",
                        "Hantera sug",
                        "Tankefällor",
                        "Aktivitet",
                        "Återfallsprevention",
                    ][(session - 1) % 7]
                        .to_owned(),
                ),
                (
                    "homework".to_owned(),
                    "Sömndagbok och andningsövning.".to_owned(),
                ),
            ]
            .into();
            self.visit(
                access,
                Kind::CbtSession,
                Place::Video,
                self.kurator,
                on,
                days(on, -7),
                Some(fields),
            )
            .await?;
        }
        Ok(())
    }

    /// The taper finished: aftercare with its follow-ups, and for some the discharge with its outcome.
    pub(super) async fn after_the_taper(
        &self,
        person: &PatientData,
        index: usize,
        written: &mut Written,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let aftercare = stage_of(index) == DemoStage::Aftercare;
        let h = index.saturating_sub(200);
        let outcome = demo_outcome(index);
        let completes = aftercare || outcome.completes_taper();
        let last_dose = if aftercare {
            days(today, -(30 + 10 * (index as i64 - 170)))
        } else if index >= 200 {
            days(today, -history_days_ago(index))
        } else {
            days(today, -(200 + 20 * (index as i64 - 185)))
        };
        // Start so the plan's last step falls on the last dose.
        let probe = self.request(index, today);
        let length = self
            .propose(&probe)?
            .end_date()
            .since(today)
            .map(|s| s.get_days())
            .unwrap_or(0) as i64;
        let start = days(last_dose, -length);
        let assessed = days(start, -10);
        let received = days(assessed, -45);
        let access = self
            .accepted_and_assessed(person, index, received, assessed)
            .await?;
        let request = self.request(index, start);
        self.plan(&access, index, &request, days(assessed, 2), true)
            .await?;
        written.plans += 1;
        if !completes {
            // Left during the taper.
            let on = days(start, 70);
            let note = match outcome {
                Outcome::Deceased => {
                    "Avliden; dödsorsak utan samband med nedtrappningen enligt dödsbevis."
                }
                Outcome::Redirected { .. } => "Psykiatrisk försämring: överförd till psykiatrin.",
                _ => "Har inte hörts av efter tre kallelser; avslutas.",
            };
            self.event(
                &access,
                EventKind::Discharged,
                on,
                &DischargeRecord {
                    outcome,
                    note: note.into(),
                },
            )
            .await?;
            return Ok(());
        }
        // One in seven of the history relapses by six months.
        let relapsed_by_6 = index == 199 || (index >= 200 && h % 7 == 3);
        self.aftercare(&access, index, last_dose, relapsed_by_6)
            .await?;
        if !aftercare {
            self.discharged(&access, index, last_dose, outcome, relapsed_by_6)
                .await?;
        }
        Ok(())
    }

    /// Aftercare from the last dose: its follow-ups by phone at one, three and six
    /// months, as far as they are due — one in four in aftercare has missed the latest.
    async fn aftercare(
        &self,
        access: &PatientAccess,
        index: usize,
        last_dose: Date,
        relapsed_by_6: bool,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let aftercare = stage_of(index) == DemoStage::Aftercare;
        let months = vec![1, 3, 6];
        self.event(
            access,
            EventKind::AftercareStarted,
            last_dose,
            &AftercareStart {
                months: months.clone(),
            },
        )
        .await?;
        let nurse = self.nurses[index % 2];
        for m in months {
            let due = months_after(last_dose, m);
            // One in four in aftercare has missed their latest follow-up.
            if due > days(today, -3)
                || (aftercare && index.is_multiple_of(4) && due > days(today, -40))
            {
                break;
            }
            let relapse = relapsed_by_6 && m == 6;
            let fields: BTreeMap<String, String> = [
                (
                    "status".to_owned(),
                    if relapse {
                        "Har börjat ta zopiklon igen vid sömnproblem.".to_owned()
                    } else {
                        "Läkemedelsfri, sover bättre.".to_owned()
                    },
                ),
                (
                    "plan".to_owned(),
                    "Nästa uppföljning enligt schema.".to_owned(),
                ),
            ]
            .into();
            self.visit(
                access,
                Kind::FollowUp,
                Place::Phone,
                nurse,
                due,
                days(due, -14),
                Some(fields),
            )
            .await?;
            self.event(
                access,
                EventKind::FollowUp,
                due,
                &FollowUpRecord {
                    month: m,
                    relapse,
                    note: String::new(),
                },
            )
            .await?;
            if relapse {
                self.event(
                    access,
                    EventKind::Relapse,
                    due,
                    &RelapseRecord {
                        substance: "zopiclone".into(),
                        note: "Vid sömnbesvär, några gånger i veckan.".into(),
                    },
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Discharged after aftercare: the outcome at six months, the discharge, and the
    /// outcome at twelve months if it has come (one in eight of the history never
    /// answers).
    async fn discharged(
        &self,
        access: &PatientAccess,
        index: usize,
        last_dose: Date,
        outcome: Outcome,
        relapsed_by_6: bool,
    ) -> anyhow::Result<()> {
        let today = self.today;
        let h = index.saturating_sub(200);
        let six = months_after(last_dose, 6);
        self.event(
            access,
            EventKind::Outcome,
            six,
            &OutcomeRecord {
                months: 6,
                drug_free: outcome == Outcome::DrugFree && !relapsed_by_6,
                relapse: relapsed_by_6,
                note: String::new(),
            },
        )
        .await?;
        self.event(
            access,
            EventKind::Discharged,
            days(six, 7),
            &DischargeRecord {
                outcome,
                note: "Eftervården avslutad.".into(),
            },
        )
        .await?;
        let twelve = months_after(last_dose, 12);
        // One in eight of the history never answers the 12-month questionnaire.
        if twelve <= today && !(index >= 200 && h % 8 == 5) {
            self.event(
                access,
                EventKind::Outcome,
                twelve,
                &OutcomeRecord {
                    months: 12,
                    drug_free: !index.is_multiple_of(3),
                    relapse: index.is_multiple_of(3),
                    note: String::new(),
                },
            )
            .await?;
        }
        Ok(())
    }
}

/// How the demo's patient `index` leaves the unit: most of the history drug-free, some
/// reduced, dropped out, redirected or deceased.
fn demo_outcome(index: usize) -> Outcome {
    let h = index.saturating_sub(200);
    match index {
        200.. => match h % 10 {
            0..5 => Outcome::DrugFree,
            5 | 6 => Outcome::Reduced {
                percent: [40.0, 50.0, 60.0, 75.0][h % 4],
            },
            7 => Outcome::DroppedOut,
            _ => Outcome::Reduced { percent: 30.0 },
        },
        185..190 | 198..200 => Outcome::DrugFree,
        190..193 => Outcome::Reduced {
            percent: [50.0, 60.0, 75.0][index - 190],
        },
        193..195 => Outcome::DroppedOut,
        195..197 => Outcome::Redirected {
            to: "psykiatrin".into(),
        },
        197 => Outcome::Deceased,
        _ => Outcome::DroppedOut,
    }
}
