//! Working with partners on every backend: a partner sees a SIP only on the patient's
//! consent in force for their organisation, and then only the plans their organisation
//! takes part in and its own tasks; a plan is signed only with consent for every
//! partner in it; withdrawing consent refuses the partner's next request — also on a
//! second server instance sharing PostgreSQL. Every open, allowed or refused, is logged.

use trappa_app::Error;
use trappa_app::sip::{self, ConsentInput, PlanInput, TaskInput};
use trappa_app::text::V;
use trappa_i18n::Locale;
use trappa_policy::Role;
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::accounts::NewAccount;
use trappa_store::partners::{ConsentHow, NewPartnerOrganisation, PartnerKind};
use trappa_store::sips::{Intervention, Participant, Party, SipContent, TaskStatus};
use trappa_store::testing::{fresh_postgres_pair, fresh_stores, raw_strings};
use trappa_store::units::UnitKind;
use trappa_store::{Store, Uuid};

mod support;
use support::{actor, caller, patient_caller, registered, unit};

async fn organisation(store: &Store, code: &str, kind: PartnerKind) -> Uuid {
    store
        .ensure_partner_organisation(&NewPartnerOrganisation {
            kind,
            code: code.into(),
            name: format!("Organisationen {code}"),
            pain_level: (kind == PartnerKind::PainTeam).then_some(2),
            kommunkod: None,
            host_unit_id: None,
            phone: None,
            source: "test".into(),
        })
        .await
        .unwrap()
}

/// A signed-in partner's staff member at `organisation`.
async fn partner(store: &Store, username: &str, organisation: Uuid) -> trappa_app::Caller {
    let id = store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: format!("{username} Partnersson"),
            profession: Some("Socialsekreterare".into()),
            hsa_id: None,
            unit_id: None,
            patient_id: None,
            partner_organisation_id: Some(organisation),
            roles: vec![Role::Partner],
            password_hash: "x".into(),
            created_by: None,
        })
        .await
        .unwrap();
    trappa_app::Caller {
        account_id: id,
        role: Role::Partner,
        unit_id: None,
        patient_id: None,
        actor: actor(Some(id), username, Some(Role::Partner), "10.0.0.7"),
        display_name: format!("{username} Partnersson"),
        locale: Locale::Sv,
    }
}

fn plan(partners: &[Uuid]) -> PlanInput {
    let social = partners[0];
    PlanInput {
        partners: partners.to_vec(),
        meeting_on: "2026-12-01".into(),
        follow_up_on: "2027-02-01".into(),
        content: SipContent {
            meeting_on: None,
            participants: vec![Participant {
                name: "Sara Lindqvist".into(),
                party: Some(Party::Unit),
                role: "Sjuksköterska".into(),
            }],
            patient_present: true,
            interventions: vec![
                Intervention {
                    what: "Nedtrappning av oxazepam".into(),
                    responsible: Party::Unit,
                },
                Intervention {
                    what: "Stöd i hemmet".into(),
                    responsible: Party::Partner(social),
                },
            ],
            others: "Dottern följer med på besöken.".into(),
            lead: Some(Party::Unit),
            follow_up_on: None,
        },
        reason: "Behov av stöd från socialtjänsten under nedtrappningen".into(),
    }
}

fn consent(organisation: Uuid) -> ConsentInput {
    ConsentInput {
        organisation,
        given_on: "2026-12-01".into(),
        how: "oral".into(),
        note: "Muntligt vid besök".into(),
    }
}

async fn denied_sip_entries(store: &Store, account: Uuid) -> usize {
    store
        .search_access_log(&LogQuery {
            account_id: Some(account),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .filter(|e| e.resource == sip::RESOURCE && e.outcome == "denied")
        .count()
}

#[tokio::test]
async fn a_partner_sees_a_consented_sip_and_only_its_own_tasks() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let social = organisation(&store, "soc:lilla-edet", PartnerKind::SocialServices).await;
        let pain = organisation(&store, "pain:2", PartnerKind::PainTeam).await;
        let worker = partner(&store, "socialsekreterare", social).await;
        let pain_nurse = partner(&store, "smartsjukskoterska", pain).await;
        let patient = registered(&store, &nurse, 3, Action::Read).await.id();

        // Nothing shared yet: refused, and the refusal is logged.
        let refused = sip::open(&store, &worker, patient, Action::Read).await;
        assert!(matches!(refused, Err(Error::Forbidden)), "[{backend}]");
        assert_eq!(denied_sip_entries(&store, worker.account_id).await, 1);

        // The nurse starts the plan with both partners; without consent no one sees it
        // and no one signs it.
        let team = sip::open(&store, &nurse, patient, Action::Create)
            .await
            .unwrap();
        assert_eq!(team.party, Party::Unit);
        let id = sip::start(&store, &nurse, &team, &plan(&[social, pain]))
            .await
            .unwrap();
        assert!(
            sip::open(&store, &worker, patient, Action::Read)
                .await
                .is_err(),
            "[{backend}] no consent yet"
        );
        let unsigned = sip::sign(&store, &nurse, &team, id, 1).await;
        assert!(
            matches!(unsigned, Err(Error::Refused(t, _)) if *t == V::SIP_ERR_NO_CONSENT),
            "[{backend}] {unsigned:?}"
        );

        // Consent for both: the unit signs; tasks for each party.
        sip::record_consent(&store, &nurse, &team, &consent(social))
            .await
            .unwrap();
        let again = sip::record_consent(&store, &nurse, &team, &consent(social)).await;
        assert_eq!(
            support::fault_of(again),
            ("organisation".into(), V::CONSENT_ERR_IN_FORCE.sv)
        );
        sip::record_consent(&store, &nurse, &team, &consent(pain))
            .await
            .unwrap();
        sip::sign(&store, &nurse, &team, id, 1).await.unwrap();
        let task = |party, what: &str| TaskInput {
            party,
            description: what.into(),
            due_on: "2027-01-15".into(),
        };
        for (party, what) in [
            (Party::Partner(social), "Ansök om boendestöd"),
            (Party::Partner(pain), "Smärtbedömning"),
            (Party::Unit, "Uppföljning av nedtrappningen"),
        ] {
            sip::add_task(&store, &nurse, &team, id, &task(party, what))
                .await
                .unwrap();
        }

        // The social worker: the plan, and her organisation's one task.
        let shared = sip::open(&store, &worker, patient, Action::Read)
            .await
            .unwrap();
        assert_eq!(shared.party, Party::Partner(social), "[{backend}]");
        let seen = sip::read(&store, &shared).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            seen[0]
                .tasks
                .iter()
                .map(|t| t.description.as_str())
                .collect::<Vec<_>>(),
            vec!["Ansök om boendestöd"],
            "[{backend}] only her own task"
        );
        let mine = seen[0].tasks[0].clone();
        let all = sip::read(&store, &team).await.unwrap();
        let theirs = all[0]
            .tasks
            .iter()
            .find(|t| t.party == Party::Partner(pain))
            .unwrap()
            .clone();
        // She reports hers, not another organisation's; she starts nothing and gives
        // no consent.
        let write = sip::open(&store, &worker, patient, Action::Update)
            .await
            .unwrap();
        sip::set_task_status(
            &store,
            &worker,
            &write,
            mine.id,
            mine.events,
            "done",
            "Beviljat",
        )
        .await
        .unwrap();
        let other = sip::set_task_status(
            &store,
            &worker,
            &write,
            theirs.id,
            theirs.events,
            "done",
            "",
        )
        .await;
        assert!(matches!(other, Err(Error::NotFound)), "[{backend}]");
        let stale =
            sip::set_task_status(&store, &worker, &write, mine.id, mine.events, "open", "").await;
        assert!(matches!(stale, Err(Error::Stale)), "[{backend}]");
        assert!(matches!(
            sip::start(&store, &worker, &write, &plan(&[social])).await,
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            sip::record_consent(&store, &worker, &write, &consent(social)).await,
            Err(Error::Forbidden)
        ));
        // She signs for her organisation, once.
        sip::sign(&store, &worker, &write, id, 1).await.unwrap();
        let twice = sip::sign(&store, &worker, &write, id, 1).await;
        assert!(
            matches!(twice, Err(Error::Refused(t, _)) if *t == V::SIP_ERR_SIGNED),
            "[{backend}] {twice:?}"
        );
        let now = sip::read(&store, &team).await.unwrap();
        let latest = now[0].latest().unwrap();
        assert_eq!(latest.signatures.len(), 2);
        assert!(!latest.signed_by_all(), "the pain team has not signed");
        let done = now[0].tasks.iter().find(|t| t.id == mine.id).unwrap();
        assert_eq!(
            (done.status, done.note.as_str()),
            (TaskStatus::Done, "Beviljat")
        );
        // The pain nurse sees the plan too, and only the pain team's task.
        let pain_view = sip::open(&store, &pain_nurse, patient, Action::Read)
            .await
            .unwrap();
        let seen = sip::read(&store, &pain_view).await.unwrap();
        assert_eq!(seen[0].tasks.len(), 1);
        assert_eq!(seen[0].tasks[0].party, Party::Partner(pain));

        // The patient withdraws the consent for social services in the portal: the
        // social worker's next request is refused; the pain team's is not.
        let own = patient_caller(&store, patient, "stig").await;
        let opened = trappa_app::access::open(&store, &own, patient, Action::Update, "own.consent")
            .await
            .unwrap();
        let hers = sip::in_force(&store, &opened)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.organisation_id == social)
            .unwrap();
        sip::withdraw_consent(&store, &own, &opened, hers.id, hers.version, "")
            .await
            .unwrap();
        let after = sip::open(&store, &worker, patient, Action::Read).await;
        assert!(matches!(after, Err(Error::Forbidden)), "[{backend}]");
        assert_eq!(denied_sip_entries(&store, worker.account_id).await, 3);
        assert!(
            sip::open(&store, &pain_nurse, patient, Action::Read)
                .await
                .is_ok()
        );
        // The withdrawal is a new version, by the patient, in the portal.
        let versions = sip::consents(&store, &opened).await.unwrap();
        let newest = &versions[0];
        assert_eq!(
            (
                newest.id,
                newest.version,
                newest.withdrawn,
                newest.how,
                newest.reason.as_str()
            ),
            (
                hers.id,
                2,
                true,
                ConsentHow::Portal,
                V::CONSENT_WITHDRAWN_BY_PATIENT.sv
            )
        );
        assert_eq!(versions.len(), 3, "two given, one withdrawn");
        // The partner's reads were logged on the consent basis.
        let basis: Vec<Option<String>> = store
            .search_access_log(&LogQuery {
                account_id: Some(worker.account_id),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.outcome != "denied")
            .map(|e| e.basis)
            .collect();
        assert!(!basis.is_empty());
        assert!(
            basis
                .iter()
                .all(|b| b.as_deref() == Some("partner_consent")),
            "[{backend}] {basis:?}"
        );
    }
}

#[tokio::test]
async fn a_plan_names_each_missing_part_and_writes_nothing() {
    type Spoil = fn(&mut PlanInput);
    let cases: &[(&str, Spoil)] = &[
        ("partners", |p| p.partners.clear()),
        ("partners", |p| p.partners.push(Uuid::now_v7())),
        ("interventions", |p| p.content.interventions.clear()),
        ("interventions", |p| {
            p.content.interventions[0].what = " ".into()
        }),
        ("responsible", |p| {
            p.content.interventions[0].responsible = Party::Partner(Uuid::now_v7())
        }),
        ("lead", |p| p.content.lead = None),
        ("lead", |p| {
            p.content.lead = Some(Party::Partner(Uuid::now_v7()))
        }),
        ("participants", |p| p.content.participants[0].name.clear()),
        ("reason", |p| p.reason.clear()),
        ("follow_up_on", |p| p.follow_up_on.clear()),
        ("follow_up_on", |p| p.follow_up_on = "1 februari".into()),
        ("meeting_on", |p| p.meeting_on = "2027-02-30".into()),
    ];
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let outsider = caller(&store, "olle", Role::Nurse, base).await;
        let social = organisation(&store, "soc:1", PartnerKind::SocialServices).await;
        let patient = registered(&store, &nurse, 4, Action::Read).await.id();
        let team = sip::open(&store, &nurse, patient, Action::Create)
            .await
            .unwrap();
        for (field, spoil) in cases {
            let mut input = plan(&[social]);
            spoil(&mut input);
            let got = sip::start(&store, &nurse, &team, &input).await;
            assert_eq!(support::fault_of(got).0, *field, "[{backend}]");
        }
        assert!(sip::read(&store, &team).await.unwrap().is_empty());
        // A consent dated tomorrow, or for no known organisation, is refused.
        let mut future = consent(social);
        future.given_on = trappa_app::clock::today().tomorrow().unwrap().to_string();
        assert_eq!(
            support::fault_of(sip::record_consent(&store, &nurse, &team, &future).await),
            ("given_on".into(), V::CONSENT_ERR_FUTURE.sv)
        );
        // A consent the care team records is given orally or in writing; the portal's
        // is the patient's own.
        let mut portal = consent(social);
        portal.how = "portal".into();
        assert_eq!(
            support::fault_of(sip::record_consent(&store, &nurse, &team, &portal).await),
            ("how".into(), V::UNKNOWN_CHOICE.sv)
        );
        let unknown = consent(Uuid::now_v7());
        assert_eq!(
            support::fault_of(sip::record_consent(&store, &nurse, &team, &unknown).await).0,
            "organisation"
        );
        assert!(
            sip::in_force(&store, &team.opened)
                .await
                .unwrap()
                .is_empty()
        );
        // A clinician outside the care team opens no SIP.
        let refused = sip::open(&store, &outsider, patient, Action::Read).await;
        assert!(matches!(refused, Err(Error::Forbidden)), "[{backend}]");
        // A closed plan is not changed, nor are its tasks.
        let id = sip::start(&store, &nurse, &team, &plan(&[social]))
            .await
            .unwrap();
        let task = sip::add_task(
            &store,
            &nurse,
            &team,
            id,
            &TaskInput {
                party: Party::Unit,
                description: "Uppföljning".into(),
                due_on: String::new(),
            },
        )
        .await
        .unwrap();
        let v2 = sip::revise(&store, &nurse, &team, id, 1, &plan(&[social]), true)
            .await
            .unwrap();
        let bogus = sip::set_task_status(&store, &nurse, &team, task, 1, "klart", "").await;
        assert_eq!(support::fault_of(bogus).0, "status", "[{backend}]");
        assert_eq!(v2, 2);
        let after = sip::set_task_status(&store, &nurse, &team, task, 1, "done", "").await;
        assert!(
            matches!(after, Err(Error::Refused(t, _)) if *t == V::SIP_ERR_CLOSED),
            "[{backend}] {after:?}"
        );
        let closed = sip::revise(&store, &nurse, &team, id, 2, &plan(&[social]), false).await;
        assert!(
            matches!(closed, Err(Error::Refused(t, _)) if *t == V::SIP_ERR_CLOSED),
            "[{backend}]"
        );
        // Every part of a plan and of a consent is append-only.
        sip::record_consent(&store, &nurse, &team, &consent(social))
            .await
            .unwrap();
        let open_plan = sip::start(&store, &nurse, &team, &plan(&[social]))
            .await
            .unwrap();
        sip::sign(&store, &nurse, &team, open_plan, 1)
            .await
            .unwrap();
        sip::add_task(
            &store,
            &nurse,
            &team,
            open_plan,
            &TaskInput {
                party: Party::Unit,
                description: "Uppföljning".into(),
                due_on: String::new(),
            },
        )
        .await
        .unwrap();
        for table in [
            "consents",
            "sips",
            "sip_versions",
            "sip_parties",
            "sip_signatures",
            "sip_tasks",
            "sip_task_events",
        ] {
            for sql in [
                format!("UPDATE {table} SET sip_id = sip_id"),
                format!("DELETE FROM {table}"),
            ] {
                let sql = if table == "consents" || table == "sips" {
                    sql.replace("sip_id = sip_id", "id = id")
                } else if table == "sip_task_events" {
                    sql.replace("sip_id = sip_id", "task_id = task_id")
                } else {
                    sql
                };
                let refused = raw_strings(&store, &sql).await;
                assert!(refused.is_err(), "[{backend}] {sql}");
            }
        }
    }
}

/// What a partner sees follows the plans' latest versions: a plan shared with another
/// organisation only is not theirs, and a plan changed to leave their organisation out
/// is theirs no more — though the consent stays in force. A second consent for the
/// same organisation is refused by the store itself (a double submit, another instance).
#[tokio::test]
async fn a_partner_sees_only_the_plans_that_name_its_organisation() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let social = organisation(&store, "soc:1", PartnerKind::SocialServices).await;
        let pain = organisation(&store, "pain:2", PartnerKind::PainTeam).await;
        let worker = partner(&store, "socialsekreterare", social).await;
        let pain_nurse = partner(&store, "smartsjukskoterska", pain).await;
        let patient = registered(&store, &nurse, 6, Action::Read).await.id();
        let team = sip::open(&store, &nurse, patient, Action::Create)
            .await
            .unwrap();
        let both = sip::start(&store, &nurse, &team, &plan(&[social, pain]))
            .await
            .unwrap();
        let mut pain_only = plan(&[pain]);
        pain_only.content.interventions[1].responsible = Party::Partner(pain);
        sip::start(&store, &nurse, &team, &pain_only).await.unwrap();
        for org in [social, pain] {
            sip::record_consent(&store, &nurse, &team, &consent(org))
                .await
                .unwrap();
        }
        let seen = |who: trappa_app::Caller| {
            let store = store.clone();
            async move {
                let opened = sip::open(&store, &who, patient, Action::Read).await?;
                sip::read(&store, &opened).await
            }
        };
        assert_eq!(seen(worker.clone()).await.unwrap().len(), 1, "[{backend}]");
        assert_eq!(
            seen(pain_nurse.clone()).await.unwrap().len(),
            2,
            "[{backend}]"
        );
        // The first plan changed to leave social services out: the social worker,
        // consent in force, has no plan to see and is refused.
        sip::revise(&store, &nurse, &team, both, 1, &pain_only, false)
            .await
            .unwrap();
        assert!(
            matches!(seen(worker.clone()).await, Err(Error::Forbidden)),
            "[{backend}]"
        );
        assert_eq!(seen(pain_nurse).await.unwrap().len(), 2, "[{backend}]");
        // The store refuses a second consent in force, whatever the caller checked.
        let change = trappa_store::partners::ConsentChange {
            organisation_id: social,
            given_on: jiff::civil::date(2026, 12, 1),
            how: ConsentHow::Oral,
            withdrawn: false,
            reason: String::new(),
        };
        let log = trappa_store::access_log::NewEntry::new(
            &nurse.actor,
            Action::Create,
            sip::CONSENT_RESOURCE,
        );
        let twice = store
            .record_consent(
                &team.opened.access,
                None,
                0,
                &change,
                nurse.account_id,
                &log,
            )
            .await;
        assert!(
            matches!(twice, Err(trappa_store::StoreError::Duplicate(_))),
            "[{backend}] {twice:?}"
        );
        assert_eq!(
            sip::in_force(&store, &team.opened).await.unwrap().len(),
            2,
            "[{backend}] one consent per organisation"
        );
    }
}

/// Two server instances share one PostgreSQL database: a consent withdrawn through one
/// refuses the partner's next request through the other.
#[tokio::test]
async fn a_withdrawal_on_one_instance_refuses_the_partner_on_the_other() {
    let Some((one, two)) = fresh_postgres_pair().await else {
        return;
    };
    let base = unit(&one, "unit:1", UnitKind::TaperingUnit).await;
    let nurse = caller(&one, "sara", Role::Nurse, base).await;
    let social = organisation(&one, "soc:1", PartnerKind::SocialServices).await;
    let worker = partner(&one, "socialsekreterare", social).await;
    let patient = registered(&one, &nurse, 5, Action::Read).await.id();
    let team = sip::open(&one, &nurse, patient, Action::Create)
        .await
        .unwrap();
    sip::start(&one, &nurse, &team, &plan(&[social]))
        .await
        .unwrap();
    sip::record_consent(&one, &nurse, &team, &consent(social))
        .await
        .unwrap();
    assert!(
        sip::open(&two, &worker, patient, Action::Read)
            .await
            .is_ok()
    );
    let opened = support::open(&one, &nurse, patient, Action::Update).await;
    let given = sip::in_force(&one, &opened).await.unwrap().remove(0);
    sip::withdraw_consent(
        &one,
        &nurse,
        &opened,
        given.id,
        given.version,
        "Patienten ringde",
    )
    .await
    .unwrap();
    let refused = sip::open(&two, &worker, patient, Action::Read).await;
    assert!(matches!(refused, Err(Error::Forbidden)));
    // A second withdrawal of the same version is stale, not a second row.
    let again = sip::withdraw_consent(&two, &nurse, &opened, given.id, given.version, "igen").await;
    assert!(again.is_err());
}
