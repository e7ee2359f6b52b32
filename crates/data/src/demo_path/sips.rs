//! The demo's work with partners (issue 19): coordinated individual plans at three
//! stages, one for each portal patient, so every SIP page and worklist has something
//! true to show — a plan shared with Lilla Edet's social services and a pain team, signed
//! and with tasks under way; a plan drafted with a psychiatric clinic, waiting for the
//! patient's consent; and a closed plan whose consent the patient later withdrew (by
//! phone, recorded by the nurse).
//! Written once: a patient who has a SIP is left as they are.

use jiff::ToSpan;
use trappa_policy::Role;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::partners::{ConsentChange, ConsentHow};
use trappa_store::patients::PatientAccess;
use trappa_store::sips::{Intervention, Participant, Party, SipContent, SipDraft, TaskStatus};
use trappa_store::{Store, Uuid};

use super::{Cast, DemoStage, actor};

/// A partner organisation of the demo and the account that works there.
#[derive(Debug, Clone, Copy)]
pub struct DemoPartner {
    /// The organisation.
    pub organisation: Uuid,
    /// Its staff member's account and username.
    pub staff: (Uuid, &'static str),
}

/// The demo's partners.
#[derive(Debug, Clone, Copy)]
pub struct DemoPartners {
    /// Lilla Edet's social services.
    pub social: DemoPartner,
    /// The level-2 pain team.
    pub pain: DemoPartner,
    /// The psychiatric clinic.
    pub psychiatry: DemoPartner,
}

fn log(a: &Actor) -> NewEntry<'_> {
    NewEntry::new(a, Action::Update, "patient.sip").detail("demo data".to_owned())
}

/// A partner's access to the patient's SIPs, as the policy grants it on the facts now.
async fn partner_access(store: &Store, patient: Uuid, a: &Actor) -> anyhow::Result<PatientAccess> {
    use anyhow::Context as _;
    let account = a.account_id.context("a demo partner has an account")?;
    let facts = store.sip_facts(account, patient).await?;
    let decision =
        trappa_policy::partner::decide_sip_access(trappa_policy::partner::SipAccessFacts {
            role: Role::Partner,
            in_care_team: facts.in_care_team,
            partner_consented: facts.partner_consented,
        });
    match decision {
        trappa_policy::PatientAccessDecision::Allow(grant) => {
            Ok(store.grant_patient_access(patient, grant, &log(a)).await?)
        }
        other => anyhow::bail!("the policy refuses the demo partner: {other:?}"),
    }
}

impl Cast<'_> {
    /// The SIP of the portal patient at `stage` (index `index`), unless they have one.
    pub async fn partner_history(
        &self,
        stage: DemoStage,
        index: usize,
        patient: Uuid,
        partners: &DemoPartners,
    ) -> anyhow::Result<()> {
        let (nurse_id, nurse_name) = if index.is_multiple_of(2) {
            (self.nurses[0], "sjukskoterska")
        } else {
            (self.nurses[1], "sjukskoterska2")
        };
        let nurse = actor(nurse_id, nurse_name, Some(Role::Nurse));
        let team = self.access(patient, &nurse).await?;
        if !self.store.sips(&team).await?.is_empty() {
            return Ok(());
        }
        match stage {
            DemoStage::Taper => {
                self.shared_and_under_way(patient, &nurse, &team, partners)
                    .await
            }
            DemoStage::Assessment => self.drafted(&nurse, &team, partners).await,
            DemoStage::Aftercare => self.closed_and_withdrawn(&nurse, &team, partners).await,
            _ => Ok(()),
        }
    }

    fn consent(&self, organisation: Uuid, days_ago: i64, how: ConsentHow) -> ConsentChange {
        ConsentChange {
            organisation_id: organisation,
            given_on: self
                .today
                .checked_sub(days_ago.days())
                .unwrap_or(self.today),
            how,
            withdrawn: false,
            reason: "Demodata: samtycke vid besök".into(),
        }
    }

    /// Shared with social services and the pain team, consent for both, signed by the
    /// unit and social services; the pain team's task done, the others open; followed
    /// up in five days.
    async fn shared_and_under_way(
        &self,
        patient: Uuid,
        nurse: &Actor,
        team: &PatientAccess,
        p: &DemoPartners,
    ) -> anyhow::Result<()> {
        let s = self.store;
        let (social, pain) = (
            Party::Partner(p.social.organisation),
            Party::Partner(p.pain.organisation),
        );
        let draft = SipDraft {
            content: SipContent {
                meeting_on: self.today.checked_sub(7.days()).ok(),
                participants: vec![
                    Participant {
                        name: "Sara Lindqvist".into(),
                        party: Some(Party::Unit),
                        role: "Sjuksköterska, fast vårdkontakt".into(),
                    },
                    Participant {
                        name: "Lina Sjöberg".into(),
                        party: Some(social),
                        role: "Socialsekreterare".into(),
                    },
                    Participant {
                        name: "Omar Khalil".into(),
                        party: Some(pain),
                        role: "Fysioterapeut".into(),
                    },
                ],
                patient_present: true,
                interventions: vec![
                    Intervention {
                        what: "Nedtrappning enligt signerad plan, uppföljning före varje steg"
                            .into(),
                        responsible: Party::Unit,
                    },
                    Intervention {
                        what: "Boendestöd två gånger i veckan under nedtrappningen".into(),
                        responsible: social,
                    },
                    Intervention {
                        what: "Bedömning av långvarig smärta och plan för fysisk aktivitet".into(),
                        responsible: pain,
                    },
                ],
                others: "Dottern följer med till besöken och hjälper till med dosetten.".into(),
                lead: Some(Party::Unit),
                follow_up_on: self.today.checked_add(5.days()).ok(),
            },
            parties: vec![Party::Unit, social, pain],
            closed: false,
            reason: "Behöver stöd i hemmet och smärtbedömning under nedtrappningen".into(),
        };
        let id = s
            .start_sip(
                team,
                &draft.reason,
                &draft,
                nurse.account_id.unwrap_or_default(),
                &log(nurse),
            )
            .await?;
        let author = nurse.account_id.unwrap_or_default();
        s.record_consent(
            team,
            None,
            0,
            &self.consent(p.social.organisation, 7, ConsentHow::Written),
            author,
            &log(nurse),
        )
        .await?;
        s.record_consent(
            team,
            None,
            0,
            &self.consent(p.pain.organisation, 7, ConsentHow::Oral),
            author,
            &log(nurse),
        )
        .await?;
        s.sign_sip(team, id, 1, Party::Unit, author, &log(nurse))
            .await?;
        for (party, what, days) in [
            (social, "Ansök om boendestöd", 3),
            (pain, "Smärtbedömning på vårdcentralen", 10),
            (Party::Unit, "Följ upp sömnen före nästa steg", 5),
        ] {
            s.add_sip_task(
                team,
                id,
                party,
                what,
                self.today.checked_add(days.days()).ok(),
                author,
                &log(nurse),
            )
            .await?;
        }
        // The social worker signs; the pain team reports its assessment done.
        let mut worker = actor(p.social.staff.0, p.social.staff.1, Some(Role::Partner));
        worker.unit_id = Some(p.social.organisation);
        let shared = partner_access(s, patient, &worker).await?;
        s.sign_sip(&shared, id, 1, social, p.social.staff.0, &log(&worker))
            .await?;
        let mut pain_staff = actor(p.pain.staff.0, p.pain.staff.1, Some(Role::Partner));
        pain_staff.unit_id = Some(p.pain.organisation);
        let pain_access = partner_access(s, patient, &pain_staff).await?;
        let plan = s.sips(&pain_access).await?;
        if let Some(task) = plan
            .iter()
            .flat_map(|sip| &sip.tasks)
            .find(|t| t.party == pain)
        {
            s.set_sip_task_status(
                &pain_access,
                task.id,
                task.events,
                TaskStatus::Done,
                "Bedömning gjord; träningsprogram två gånger i veckan.",
                p.pain.staff.0,
                &log(&pain_staff),
            )
            .await?;
        }
        Ok(())
    }

    /// Drafted with the psychiatric clinic after the assessment: no consent yet, so the
    /// clinic sees nothing and no one can sign.
    async fn drafted(
        &self,
        nurse: &Actor,
        team: &PatientAccess,
        p: &DemoPartners,
    ) -> anyhow::Result<()> {
        let psychiatry = Party::Partner(p.psychiatry.organisation);
        let draft = SipDraft {
            content: SipContent {
                meeting_on: None,
                participants: Vec::new(),
                patient_present: false,
                interventions: vec![
                    Intervention {
                        what: "Nedtrappning när planen är signerad".into(),
                        responsible: Party::Unit,
                    },
                    Intervention {
                        what: "Behandling av ångest parallellt med nedtrappningen".into(),
                        responsible: psychiatry,
                    },
                ],
                others: String::new(),
                lead: Some(Party::Unit),
                follow_up_on: self.today.checked_add(21.days()).ok(),
            },
            parties: vec![Party::Unit, psychiatry],
            closed: false,
            reason: "Ångest som behöver behandlas samtidigt; samtycke tas vid nästa besök".into(),
        };
        self.store
            .start_sip(
                team,
                &draft.reason,
                &draft,
                nurse.account_id.unwrap_or_default(),
                &log(nurse),
            )
            .await?;
        Ok(())
    }

    /// Made with the psychiatric clinic during the taper and closed at its end; the
    /// patient withdrew the consent afterwards, so the clinic sees it no more.
    async fn closed_and_withdrawn(
        &self,
        nurse: &Actor,
        team: &PatientAccess,
        p: &DemoPartners,
    ) -> anyhow::Result<()> {
        let s = self.store;
        let author = nurse.account_id.unwrap_or_default();
        let psychiatry = Party::Partner(p.psychiatry.organisation);
        let mut draft = SipDraft {
            content: SipContent {
                meeting_on: self.today.checked_sub(150.days()).ok(),
                participants: vec![Participant {
                    name: "Helena Roos".into(),
                    party: Some(psychiatry),
                    role: "Sjuksköterska".into(),
                }],
                patient_present: true,
                interventions: vec![
                    Intervention {
                        what: "Nedtrappning av zopiklon".into(),
                        responsible: Party::Unit,
                    },
                    Intervention {
                        what: "KBT för sömn, sex tillfällen".into(),
                        responsible: psychiatry,
                    },
                ],
                others: String::new(),
                lead: Some(Party::Unit),
                follow_up_on: self.today.checked_sub(30.days()).ok(),
            },
            parties: vec![Party::Unit, psychiatry],
            closed: false,
            reason: "Sömnbesvär som behöver behandlas under nedtrappningen".into(),
        };
        let id = s
            .start_sip(team, &draft.reason, &draft, author, &log(nurse))
            .await?;
        let (consent, _) = s
            .record_consent(
                team,
                None,
                0,
                &self.consent(p.psychiatry.organisation, 150, ConsentHow::Written),
                author,
                &log(nurse),
            )
            .await?;
        s.sign_sip(team, id, 1, Party::Unit, author, &log(nurse))
            .await?;
        draft.closed = true;
        draft.reason = "Nedtrappningen är klar och KBT avslutad".into();
        s.revise_sip(team, id, 1, &draft, author, &log(nurse))
            .await?;
        let mut withdrawal = self.consent(p.psychiatry.organisation, 150, ConsentHow::Oral);
        withdrawal.withdrawn = true;
        withdrawal.reason =
            "Patienten ringde och återkallade samtycket när planen var avslutad".into();
        s.record_consent(team, Some(consent), 1, &withdrawal, author, &log(nurse))
            .await?;
        Ok(())
    }
}
