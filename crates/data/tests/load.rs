//! Loading reference and demo data into a real database, on every backend.

use trappa_data::demo::DemoSize::WithHistory;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

#[tokio::test]
async fn demo_load_is_complete_and_idempotent() {
    for (backend, store) in fresh_stores().await {
        let (unit, refs) = trappa_data::reference::load(&store, "Testenheten")
            .await
            .unwrap();
        assert_eq!(
            (refs.municipalities, refs.health_centres),
            (49, 98),
            "[{backend}]"
        );
        let first = trappa_data::demo::load(&store, unit, "$argon2id$placeholder", WithHistory)
            .await
            .unwrap();
        assert_eq!(first.patients, WithHistory.patients(), "[{backend}]");
        assert_eq!(
            first.accounts,
            trappa_data::demo::DEMO_STAFF.len() + trappa_data::demo::DEMO_PORTAL_LOGINS.len(),
            "staff and the demo patients who sign in"
        );
        let mut records = Vec::new();
        for login in trappa_data::demo::DEMO_PORTAL_LOGINS {
            let account = store.credentials(login.username).await.unwrap();
            let patient = account.and_then(|c| c.account.patient_id);
            assert!(patient.is_some(), "[{backend}] {} signs in", login.username);
            records.push(patient);
        }
        records.sort();
        records.dedup();
        assert_eq!(
            records.len(),
            trappa_data::demo::DEMO_PORTAL_LOGINS.len(),
            "[{backend}] each login its own record"
        );
        assert!(
            store.emergency_accesses(true, 10).await.unwrap().len() == 1,
            "one emergency access to review"
        );
        // Half the assessed have a draft; everyone in taper, aftercare or discharged a
        // plan, and the history's patients but the one in ten declined or redirected.
        assert_eq!(first.plans, 5 + 120 + 15 + 15 + 135, "[{backend}]");
        // Every stage of the path is there.
        let actor = trappa_store::access_log::Actor {
            account_id: None,
            username: "test".into(),
            role: None,
            unit_id: None,
            request_id: "t".into(),
            client_ip: None,
            new_role: false,
        };
        let log = trappa_store::access_log::NewEntry::new(
            &actor,
            trappa_store::access_log::Action::Listed,
            "test",
        );
        assert_eq!(
            store.referral_inbox(&log).await.unwrap().len(),
            12,
            "[{backend}] in triage"
        );
        let waiting = store.waiting_list(&log).await.unwrap();
        assert_eq!(waiting.len(), 24, "[{backend}] waiting");
        assert!(
            waiting.iter().any(|w| w.booked.is_some()),
            "[{backend}] some booked"
        );
        let (all, complemented) = store.referral_inbox_counts().await.unwrap();
        assert_eq!((all, complemented), (12, 1), "[{backend}]");
        // Partners: the social worker's list holds the tapering portal patient's plan,
        // shared and under way; the psychiatric clinic's holds none (one plan waits for
        // consent, the other's consent is withdrawn).
        let org = |code: &str| {
            let store = store.clone();
            let code = code.to_owned();
            async move {
                store
                    .partner_organisations()
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|o| o.code == code)
                    .unwrap()
                    .id
            }
        };
        let social = store
            .shared_sips(
                org(trappa_data::demo::LILLA_EDET_SOCIAL_SERVICES).await,
                100,
                &log,
            )
            .await
            .unwrap();
        assert_eq!(
            social.len(),
            1,
            "[{backend}] one plan shared with social services"
        );
        assert_eq!(social[0].open_tasks, 1, "[{backend}] its task still to do");
        let pain = store
            .shared_sips(org(trappa_data::demo::DEMO_PAIN_TEAM).await, 100, &log)
            .await
            .unwrap();
        assert_eq!(
            (pain.len(), pain[0].open_tasks),
            (1, 0),
            "[{backend}] the pain team's done"
        );
        let psychiatry = store
            .shared_sips(org(trappa_data::demo::DEMO_PSYCHIATRY).await, 100, &log)
            .await
            .unwrap();
        assert!(
            psychiatry.is_empty(),
            "[{backend}] nothing shared with psychiatry"
        );

        // Again: nothing new, nothing duplicated.
        let (unit_again, _) = trappa_data::reference::load(&store, "Testenheten")
            .await
            .unwrap();
        assert_eq!(unit_again, unit);
        let second = trappa_data::demo::load(&store, unit, "$argon2id$placeholder", WithHistory)
            .await
            .unwrap();
        assert_eq!(
            (second.patients, second.accounts, second.plans),
            (0, 0, 0),
            "[{backend}]"
        );
        assert_eq!(
            store.patient_count().await.unwrap() as usize,
            WithHistory.patients()
        );
        assert_eq!(store.units(UnitKind::Vardcentral).await.unwrap().len(), 98);
        let municipalities = store.units(UnitKind::Municipality).await.unwrap();
        assert_eq!(municipalities.len(), 49);
        // Official names, in Swedish order on both backends: Vårgårda before Vänersborg
        // (å before ä), Å and Ö last — not the databases' byte or locale orders.
        let names: Vec<&str> = municipalities.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            names[names.len() - 4..],
            [
                "Vårgårda kommun",
                "Vänersborgs kommun",
                "Åmåls kommun",
                "Öckerö kommun"
            ],
            "[{backend}]"
        );
        assert!(names.contains(&"Göteborgs kommun"), "[{backend}]");
        assert_eq!(store.emergency_accesses(false, 10).await.unwrap().len(), 1);
        // Every role has a demo account.
        let accounts = store.accounts().await.unwrap();
        for role in trappa_policy::Role::ALL {
            assert!(
                accounts.iter().any(|a| a.roles.contains(&role)),
                "[{backend}] no demo account for {role:?}"
            );
        }
    }
}
