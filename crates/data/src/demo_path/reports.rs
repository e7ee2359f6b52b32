//! What the demo's portal patients sent between visits: the questionnaires the care
//! team assigned, answered from home (scored by the instruments' own catalogue, so the
//! demo cannot drift from the scoring), diary entries and message threads — different
//! for each stage of the path, so every portal page has something true to show.

use jiff::ToSpan;
use jiff::civil::Date;
use trappa_policy::Role;
use trappa_scales::Answers;
use trappa_scales::assigned::Cutoffs;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::messages::NewMessage;
use trappa_store::patients::PatientAccess;
use trappa_store::reports::{NewAssignment, NewDiaryEntry};
use trappa_store::scores::NewScore;
use trappa_store::{Uuid, as_of};

use super::{Cast, DemoStage, actor, at};

/// BWSQ's cut-offs the nurse sets for the tapering demo patient (BWSQ has no official
/// bands).
const BWSQ_CUTOFFS: Cutoffs = Cutoffs {
    moderate_from: 11.0,
    severe_from: 21.0,
};

/// One questionnaire the care team assigns.
struct Assign {
    instrument: &'static str,
    /// `before_step` or `every_days`.
    rhythm: &'static str,
    every_days: Option<i64>,
    cutoffs: Option<Cutoffs>,
    /// Days before today it was assigned.
    days_ago: i64,
}

/// One day of the diary.
struct Day {
    days_ago: i64,
    dose_taken: &'static str,
    sleep: i32,
    anxiety: i32,
    pain: Option<i32>,
    asks_pause: bool,
    note: &'static str,
}

/// One thread the patient starts, and the care team's answer if it came.
struct Thread {
    days_ago: i64,
    subject: &'static str,
    question: &'static str,
    answer: Option<&'static str>,
}

/// The people and accesses one portal patient's reports are written with.
struct Writer<'c, 'a> {
    cast: &'c Cast<'a>,
    account: Uuid,
    nurse_id: Uuid,
    nurse: Actor,
    own: Actor,
    own_access: PatientAccess,
    staff_access: PatientAccess,
}

impl Cast<'_> {
    /// Writes what the demo patient at `stage` (demo index `index`, signing in as
    /// `account`, `username`) reported from home: the care team's assignments, answers,
    /// diary and messages. Stages without a portal story write nothing.
    pub async fn portal_history(
        &self,
        stage: DemoStage,
        index: usize,
        patient: Uuid,
        (account, username): (Uuid, &str),
    ) -> anyhow::Result<()> {
        let (nurse_id, nurse_name) = if index.is_multiple_of(2) {
            (self.nurses[0], "sjukskoterska")
        } else {
            (self.nurses[1], "sjukskoterska2")
        };
        let nurse = actor(nurse_id, nurse_name, Some(Role::Nurse));
        let own = actor(account, username, Some(Role::Patient));
        let w = Writer {
            cast: self,
            account,
            nurse_id,
            staff_access: self.access(patient, &nurse).await?,
            own_access: self.access_as(patient, &own, true).await?,
            nurse,
            own,
        };
        match stage {
            DemoStage::Taper => w.tapering().await,
            DemoStage::Assessment => w.assessed().await,
            DemoStage::Aftercare => w.in_aftercare().await,
            _ => Ok(()),
        }
    }
}

impl Writer<'_, '_> {
    /// Tapering: BWSQ before each step and PHQ-9 every four weeks, both answered; a
    /// fortnight of diary with one entry asking to pause (so the nurse's worklist and
    /// the prescriber's proposal have something to show); a question answered and one
    /// waiting.
    async fn tapering(&self) -> anyhow::Result<()> {
        self.assign(&[
            Assign {
                instrument: "bwsq",
                rhythm: "before_step",
                every_days: None,
                cutoffs: Some(BWSQ_CUTOFFS),
                days_ago: 30,
            },
            Assign {
                instrument: "phq-9",
                rhythm: "every_days",
                every_days: Some(28),
                cutoffs: None,
                days_ago: 30,
            },
        ])
        .await?;
        self.answer(24, "phq-9", items(&[1, 1, 1, 0, 1, 1, 1, 0, 0]), None)
            .await?;
        self.answer(9, "bwsq", total(8.0), Some(BWSQ_CUTOFFS))
            .await?;
        let days: Vec<Day> = (1..=14)
            .rev()
            .map(|days_ago| {
                let asks_pause = days_ago == 2;
                Day {
                    days_ago,
                    dose_taken: if days_ago == 5 { "less" } else { "as_planned" },
                    sleep: if asks_pause {
                        3
                    } else {
                        5 + (days_ago as i32 % 3)
                    },
                    anxiety: if asks_pause {
                        7
                    } else {
                        3 + (days_ago as i32 % 2)
                    },
                    pain: None,
                    asks_pause,
                    note: match days_ago {
                        5 => "Glömde kvällsdosen, tog den inte i efterhand.",
                        2 => "Sov dåligt tre nätter i rad. Vill gärna vänta med nästa steg.",
                        _ => "",
                    },
                }
            })
            .collect();
        self.diary(&days).await?;
        self.threads(&[
            Thread {
                days_ago: 6,
                subject: "Kvällsdosen",
                question: "Får jag ta kvällsdosen en timme tidigare? Jag somnar sent annars.",
                answer: Some(
                    "Ja, det går bra att ta den en timme tidigare, så länge du tar samma mängd. Berätta gärna i dagboken hur du sover.",
                ),
            },
            Thread {
                days_ago: 1,
                subject: "Inför nästa steg",
                question: "Jag har sovit dåligt sedan i helgen. Kan vi prata om att vänta med nästa sänkning?",
                answer: None,
            },
        ])
        .await
    }

    /// Assessed and waiting for the physician's plan: sleep (ISI) and worry (GAD-7)
    /// followed every fortnight, a week of diary on the dose as prescribed today, and a
    /// question about what happens next, answered.
    async fn assessed(&self) -> anyhow::Result<()> {
        self.assign(&[
            Assign {
                instrument: "isi",
                rhythm: "every_days",
                every_days: Some(14),
                cutoffs: None,
                days_ago: 12,
            },
            Assign {
                instrument: "gad-7",
                rhythm: "every_days",
                every_days: Some(14),
                cutoffs: None,
                days_ago: 12,
            },
        ])
        .await?;
        self.answer(11, "isi", total(16.0), None).await?;
        self.answer(11, "gad-7", total(9.0), None).await?;
        let days: Vec<Day> = (1..=7)
            .rev()
            .map(|days_ago| Day {
                days_ago,
                dose_taken: if days_ago == 3 { "more" } else { "as_planned" },
                sleep: 4 + (days_ago as i32 % 2),
                anxiety: 5 - (days_ago as i32 % 2),
                pain: None,
                asks_pause: false,
                note: if days_ago == 3 {
                    "Tog en extra tablett på kvällen, kunde inte somna."
                } else {
                    ""
                },
            })
            .collect();
        self.diary(&days).await?;
        self.threads(&[Thread {
            days_ago: 8,
            subject: "Vad händer nu?",
            question: "Jag var på bedömningen förra veckan. När får jag veta hur planen ser ut?",
            answer: Some(
                "Läkaren går igenom bedömningen och skriver ett förslag till plan. Vi ringer dig när den är klar, och du ser den under Min plan när den är signerad.",
            ),
        }])
        .await
    }

    /// In aftercare after stopping: mood (PHQ-9) and sleep (ISI) every four weeks,
    /// answered three times and getting better, and a thread about sleep, answered.
    async fn in_aftercare(&self) -> anyhow::Result<()> {
        self.assign(&[
            Assign {
                instrument: "phq-9",
                rhythm: "every_days",
                every_days: Some(28),
                cutoffs: None,
                days_ago: 90,
            },
            Assign {
                instrument: "isi",
                rhythm: "every_days",
                every_days: Some(28),
                cutoffs: None,
                days_ago: 90,
            },
        ])
        .await?;
        for (days_ago, phq, isi) in [
            (84, [1, 1, 2, 1, 1, 0, 1, 0, 0], 13.0),
            (56, [1, 0, 1, 1, 0, 0, 1, 0, 0], 10.0),
            (28, [0, 0, 1, 1, 0, 0, 0, 0, 0], 7.0),
        ] {
            self.answer(days_ago, "phq-9", items(&phq), None).await?;
            self.answer(days_ago, "isi", total(isi), None).await?;
        }
        self.threads(&[Thread {
            days_ago: 20,
            subject: "Sömnen",
            question: "Det är två månader sedan sista tabletten. Vissa nätter sover jag fortfarande dåligt. Är det normalt?",
            answer: Some(
                "Ja, sömnen kan ta några månader att hitta tillbaka. Fortsätt med sömnråden från KBT-passen, och ring oss om det blir sämre. Vi ses på uppföljningen.",
            ),
        }])
        .await
    }

    async fn assign(&self, assignments: &[Assign]) -> anyhow::Result<()> {
        let log = NewEntry::new(&self.nurse, Action::Create, "patient.reports").detail("demo data");
        for a in assignments {
            let on = self.day(a.days_ago);
            let new = NewAssignment {
                instrument: a.instrument.into(),
                rhythm: a.rhythm.into(),
                every_days: a.every_days,
                starts_on: on,
                moderate_from: a.cutoffs.map(|c| c.moderate_from),
                severe_from: a.cutoffs.map(|c| c.severe_from),
                reason: "Följa måendet mellan besöken".into(),
            };
            as_of(
                at(on, 10),
                self.cast
                    .store
                    .assign_instrument(&self.staff_access, &new, self.nurse_id, &log),
            )
            .await?;
        }
        Ok(())
    }

    /// The patient's answer, scored by the instrument as the portal scores it.
    async fn answer(
        &self,
        days_ago: i64,
        instrument: &str,
        answers: Answers,
        cutoffs: Option<Cutoffs>,
    ) -> anyhow::Result<()> {
        let inst = self
            .cast
            .instruments
            .get(instrument)
            .ok_or_else(|| anyhow::anyhow!("instrument {instrument}"))?;
        let scored = inst
            .score_with(&answers, cutoffs.as_ref())
            .map_err(|e| anyhow::anyhow!("demo answer to {instrument}: {e}"))?;
        let on = self.day(days_ago);
        let s = NewScore {
            instrument: instrument.into(),
            observed_on: on,
            total: scored.total,
            band: trappa_app::scores::code(scored.band),
            items: scored
                .items
                .map(|v| serde_json::to_string(&v))
                .transpose()?,
            flags: scored.flags.iter().map(trappa_app::scores::code).collect(),
            note: String::new(),
            corrects: None,
            reason: String::new(),
            reported_by_patient: true,
            request_key: Some(Uuid::now_v7().to_string()),
        };
        let log = NewEntry::new(&self.own, Action::Create, "own.reports").detail("demo data");
        as_of(
            at(on, 19),
            self.cast
                .store
                .record_score(&self.own_access, &s, self.account, &log),
        )
        .await?;
        Ok(())
    }

    async fn diary(&self, days: &[Day]) -> anyhow::Result<()> {
        let log = NewEntry::new(&self.own, Action::Create, "own.reports").detail("demo data");
        for d in days {
            let day = self.day(d.days_ago);
            let entry = NewDiaryEntry {
                day,
                dose_taken: d.dose_taken.into(),
                sleep: Some(d.sleep),
                anxiety: Some(d.anxiety),
                pain: d.pain,
                flags: if d.asks_pause {
                    vec!["patient_asks_pause".into()]
                } else {
                    vec![]
                },
                note: d.note.into(),
                request_key: Some(Uuid::now_v7().to_string()),
            };
            as_of(
                at(day, 21),
                self.cast
                    .store
                    .record_diary(&self.own_access, &entry, self.account, &log),
            )
            .await?;
        }
        Ok(())
    }

    /// Threads the patient starts (with the automatic reply) and the nurse's answers,
    /// the morning after.
    async fn threads(&self, threads: &[Thread]) -> anyhow::Result<()> {
        let automatic = trappa_app::messages::Answering {
            reply_days: 2,
            unit_phone: None,
        }
        .reply(trappa_i18n::Locale::Sv);
        let own_log = NewEntry::new(&self.own, Action::Create, "own.messages").detail("demo data");
        let nurse_log =
            NewEntry::new(&self.nurse, Action::Create, "patient.messages").detail("demo data");
        for t in threads {
            let asked = self.day(t.days_ago);
            let question = NewMessage {
                body: t.question.into(),
                from_patient: true,
                request_key: Some(Uuid::now_v7().to_string()),
            };
            let thread = as_of(
                at(asked, 20),
                self.cast.store.start_thread(
                    &self.own_access,
                    t.subject,
                    &question,
                    Some(&automatic),
                    self.account,
                    &own_log,
                ),
            )
            .await?;
            if let Some(answer) = t.answer {
                let answer = NewMessage {
                    body: answer.into(),
                    from_patient: false,
                    request_key: None,
                };
                as_of(
                    at(asked.saturating_add(1.days()), 9),
                    self.cast.store.post_message(
                        &self.staff_access,
                        thread,
                        &answer,
                        None,
                        self.nurse_id,
                        &nurse_log,
                    ),
                )
                .await?;
            }
        }
        Ok(())
    }

    fn day(&self, days_ago: i64) -> Date {
        self.cast.today.saturating_sub(days_ago.days())
    }
}

fn items(values: &[i32]) -> Answers {
    Answers::Items {
        values: values.to_vec(),
        band: None,
    }
}

fn total(total: f64) -> Answers {
    Answers::Total { total, band: None }
}
