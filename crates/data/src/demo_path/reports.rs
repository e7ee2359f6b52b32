//! The demo patient's reports between visits: the questionnaires the care team
//! assigned, answered from home, a fortnight of diary — one entry asking to pause, so
//! the nurse's worklist and the prescriber's proposal have something to show — and
//! messages, one answered and one waiting.

use jiff::ToSpan;
use trappa_policy::Role;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::reports::{NewAssignment, NewDiaryEntry};
use trappa_store::scores::NewScore;
use trappa_store::{Uuid, as_of};

use super::{Cast, actor, at};

impl Cast<'_> {
    /// Assigns BWSQ (before each step, with the nurse's cut-offs) and PHQ-9 (every four
    /// weeks) to `patient`, and writes what the patient (`account`) sent since.
    pub async fn patient_reports(&self, patient: Uuid, account: Uuid) -> anyhow::Result<()> {
        let nurse = actor(self.nurses[0], "sjukskoterska", Some(Role::Nurse));
        let own = actor(account, "patient", Some(Role::Patient));
        let today = self.today;
        let assigned_on = today.saturating_sub(30.days());
        let access = self.access(patient, &nurse).await?;
        let assign_log =
            NewEntry::new(&nurse, Action::Create, "patient.reports").detail("demo data");
        for (instrument, rhythm, every_days, cutoffs) in [
            ("bwsq", "before_step", None, Some((11.0, 21.0))),
            ("phq-9", "every_days", Some(28), None),
        ] {
            let a = NewAssignment {
                instrument: instrument.into(),
                rhythm: rhythm.into(),
                every_days,
                starts_on: assigned_on,
                moderate_from: cutoffs.map(|c| c.0),
                severe_from: cutoffs.map(|c| c.1),
                reason: "Följa abstinens och stämningsläge mellan besöken".into(),
            };
            as_of(
                at(assigned_on, 10),
                self.store
                    .assign_instrument(&access, &a, self.nurses[0], &assign_log),
            )
            .await?;
        }
        let access = self.access_as(patient, &own, true).await?;
        let own_log = NewEntry::new(&own, Action::Create, "own.reports").detail("demo data");
        for (days_ago, instrument, total, band, items) in [
            (24, "phq-9", 6.0, "mild", Some("[1,1,1,0,1,1,1,0,0]")),
            (9, "bwsq", 8.0, "mild", None),
        ] {
            let on = today.saturating_sub(days_ago.days());
            let s = NewScore {
                instrument: instrument.into(),
                observed_on: on,
                total,
                band: band.into(),
                items: items.map(str::to_owned),
                flags: vec![],
                note: String::new(),
                corrects: None,
                reason: String::new(),
                reported_by_patient: true,
                request_key: Some(Uuid::now_v7().to_string()),
            };
            as_of(
                at(on, 19),
                self.store.record_score(&access, &s, account, &own_log),
            )
            .await?;
        }
        for days_ago in (1..=14).rev() {
            let day = today.saturating_sub(days_ago.days());
            let asks_pause = days_ago == 2;
            let d = NewDiaryEntry {
                day,
                dose_taken: if days_ago == 5 { "less" } else { "as_planned" }.into(),
                sleep: Some(if asks_pause { 3 } else { 5 + (days_ago % 3) }),
                anxiety: Some(if asks_pause { 7 } else { 3 + (days_ago % 2) }),
                pain: None,
                flags: if asks_pause {
                    vec!["patient_asks_pause".into()]
                } else {
                    vec![]
                },
                note: match days_ago {
                    5 => "Glömde kvällsdosen, tog den inte i efterhand.".into(),
                    2 => "Sov dåligt tre nätter i rad. Vill gärna vänta med nästa steg.".into(),
                    _ => String::new(),
                },
                request_key: Some(Uuid::now_v7().to_string()),
            };
            as_of(
                at(day, 21),
                self.store.record_diary(&access, &d, account, &own_log),
            )
            .await?;
        }
        self.messages(patient, account).await
    }

    /// Two threads: a question the nurse answered, and one sent yesterday that waits.
    async fn messages(&self, patient: Uuid, account: Uuid) -> anyhow::Result<()> {
        use trappa_store::messages::NewMessage;
        let nurse = actor(self.nurses[0], "sjukskoterska", Some(Role::Nurse));
        let own = actor(account, "patient", Some(Role::Patient));
        let automatic = trappa_app::messages::Answering {
            reply_days: 2,
            unit_phone: None,
        }
        .reply(trappa_i18n::Locale::Sv);
        let own_log = NewEntry::new(&own, Action::Create, "own.messages").detail("demo data");
        let nurse_log =
            NewEntry::new(&nurse, Action::Create, "patient.messages").detail("demo data");
        let from_patient = |body: &str| NewMessage {
            body: body.into(),
            from_patient: true,
            request_key: Some(Uuid::now_v7().to_string()),
        };
        let access = self.access_as(patient, &own, true).await?;
        let asked = self.today.saturating_sub(6.days());
        let thread = as_of(
            at(asked, 20),
            self.store.start_thread(
                &access,
                "Kvällsdosen",
                &from_patient("Får jag ta kvällsdosen en timme tidigare? Jag somnar sent annars."),
                Some(&automatic),
                account,
                &own_log,
            ),
        )
        .await?;
        let staff = self.access(patient, &nurse).await?;
        let answer = NewMessage {
            body: "Ja, det går bra att ta den en timme tidigare, så länge du tar samma mängd. Berätta gärna i dagboken hur du sover.".into(),
            from_patient: false,
            request_key: None,
        };
        as_of(
            at(asked.saturating_add(1.days()), 9),
            self.store
                .post_message(&staff, thread, &answer, None, self.nurses[0], &nurse_log),
        )
        .await?;
        let yesterday = self.today.saturating_sub(1.days());
        as_of(
            at(yesterday, 18),
            self.store.start_thread(
                &access,
                "Inför nästa steg",
                &from_patient("Jag har sovit dåligt sedan i helgen. Kan vi prata om att vänta med nästa sänkning?"),
                Some(&automatic),
                account,
                &own_log,
            ),
        )
        .await?;
        Ok(())
    }
}
