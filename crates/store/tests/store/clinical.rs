//! Taper settings, plans and scores: versions, corrections, the log.

use trappa_store::access_log::{Action, LogQuery};
use trappa_store::testing::{fresh_stores, raw_execute};
use trappa_store::{StoreError, Uuid};

use super::*;

#[tokio::test]
async fn taper_settings_are_versioned_append_only_and_stale_saves_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "lars", Role::Physician).await;
        let unit = actor.unit_id.expect("the account has a unit");
        assert_eq!(store.taper_settings(unit).await.unwrap(), None, "{backend}");
        let v1 = store
            .save_taper_settings(
                unit,
                0,
                r#"{"disabled_products":["oxascand-15"]}"#,
                author,
                "Ingen 15 mg",
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        // A second save from the same stale form is refused and writes nothing.
        let stale = store
            .save_taper_settings(unit, 0, "{}", author, "gammalt formulär")
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let forged = store
            .save_taper_settings(unit, 7, "{}", author, "hoppar")
            .await;
        assert!(
            matches!(forged, Err(StoreError::Stale)),
            "{backend}: {forged:?}"
        );
        let v2 = store
            .save_taper_settings(
                unit,
                1,
                r#"{"default_de_table":"va-dod"}"#,
                author,
                "VA/DoD",
            )
            .await
            .unwrap();
        assert_eq!(v2, 2);
        let current = store.taper_settings(unit).await.unwrap().unwrap();
        assert_eq!((current.version, current.reason.as_str()), (2, "VA/DoD"));
        assert_eq!(current.author_name, "lars Testsson");
        let history = store.taper_settings_history(unit).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(
            raw_execute(&store, "UPDATE taper_settings SET reason = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM taper_settings")
                .await
                .is_err(),
            "{backend}"
        );
        assert_eq!(store.taper_settings_history(unit).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn taper_plans_are_versioned_signed_and_logged() {
    use trappa_store::taper_plans::PlanStatus;
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "maria", Role::Physician).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let id = store
            .create_patient(
                &person(12, "Bo", "Ek"),
                Some(Queue::Triage),
                author,
                "Ny remiss",
                &create,
            )
            .await
            .unwrap();
        let grant = store
            .grant_patient_access(
                id,
                grant_on(AccessBasis::Queue),
                &entry(&actor, Action::Read, "patient.taper_plan"),
            )
            .await
            .unwrap();
        assert!(
            store.taper_plan_versions(&grant).await.unwrap().is_empty(),
            "{backend}"
        );
        let write = entry(&actor, Action::Update, "patient.taper_plan");
        let v1 = store
            .save_taper_plan_draft(
                &grant,
                0,
                r#"{"r":1}"#,
                r#"{"p":1}"#,
                author,
                "Första utkast",
                &write,
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        // A second first draft from a stale form is refused.
        let stale = store
            .save_taper_plan_draft(&grant, 0, "{}", "{}", author, "dubbel", &write)
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let v2 = store
            .sign_taper_plan(&grant, 1, author, "Signerad", None, &write)
            .await
            .unwrap();
        assert_eq!(v2, 2);
        // Signing what is already signed, or an old version, is refused.
        assert!(matches!(
            store
                .sign_taper_plan(&grant, 2, author, "igen", None, &write)
                .await,
            Err(StoreError::Stale)
        ));
        assert!(matches!(
            store
                .sign_taper_plan(&grant, 1, author, "gammal", None, &write)
                .await,
            Err(StoreError::Stale)
        ));
        let versions = store.taper_plan_versions(&grant).await.unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| (v.version, v.status))
                .collect::<Vec<_>>(),
            vec![(2, PlanStatus::Active), (1, PlanStatus::Draft)]
        );
        assert_eq!(
            (
                versions[0].plan.as_str(),
                versions[0].signer_name.as_deref()
            ),
            (r#"{"p":1}"#, Some("maria Testsson"))
        );
        assert!(
            raw_execute(&store, "UPDATE taper_plan_versions SET reason = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM taper_plan_versions")
                .await
                .is_err(),
            "{backend}"
        );
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(id),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let writes = log
            .iter()
            .filter(|e| e.resource == "patient.taper_plan" && e.action == Action::Update.code())
            .count();
        assert_eq!(
            writes, 2,
            "{backend}: the draft and the signature are logged"
        );
    }
}

#[tokio::test]
async fn scores_are_append_only_with_corrections_and_logged() {
    use trappa_store::scores::NewScore;
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let id = store
            .create_patient(
                &person(13, "Ann", "Berg"),
                Some(Queue::Triage),
                author,
                "Ny",
                &entry(&actor, Action::Create, "patient.identity"),
            )
            .await
            .unwrap();
        let grant = store
            .grant_patient_access(
                id,
                grant_on(AccessBasis::Queue),
                &entry(&actor, Action::Read, "patient.scores"),
            )
            .await
            .unwrap();
        let write = entry(&actor, Action::Create, "patient.scores");
        let score = |total: f64, corrects: Option<Uuid>| NewScore {
            instrument: "cows".into(),
            observed_on: date(2027, 1, 19),
            total,
            band: "mild".into(),
            items: None,
            flags: vec!["patient_asks_pause".into()],
            note: String::new(),
            corrects,
            reason: if corrects.is_some() {
                "Felräknat".into()
            } else {
                String::new()
            },
            reported_by_patient: false,
            request_key: None,
        };
        let first = store
            .record_score(&grant, &score(8.0, None), author, &write)
            .await
            .unwrap();
        let fixed = store
            .record_score(&grant, &score(9.0, Some(first)), author, &write)
            .await
            .unwrap();
        // Correcting the same score twice is stale; an unknown one is not found.
        assert!(
            matches!(
                store
                    .record_score(&grant, &score(10.0, Some(first)), author, &write)
                    .await,
                Err(StoreError::Stale)
            ),
            "{backend}"
        );
        assert!(matches!(
            store
                .record_score(&grant, &score(10.0, Some(Uuid::now_v7())), author, &write)
                .await,
            Err(StoreError::NotFound)
        ));
        let all = store.scores(&grant).await.unwrap();
        assert_eq!(all.len(), 2, "{backend}");
        let original = all.iter().find(|s| s.id == first).unwrap();
        assert_eq!((original.total, original.corrected_by), (8.0, Some(fixed)));
        let correction = all.iter().find(|s| s.id == fixed).unwrap();
        assert_eq!(
            (
                correction.corrects,
                correction.flags.as_slice(),
                correction.observed_on
            ),
            (
                Some(first),
                &["patient_asks_pause".to_owned()][..],
                date(2027, 1, 19)
            )
        );
        assert!(
            raw_execute(&store, "UPDATE scores SET total = 0")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM scores").await.is_err(),
            "{backend}"
        );
    }
}
