//! The unit's planning documents and the patients the planner lists.

use trappa_policy::Role;
use trappa_store::StoreError;
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::care_team::TeamFunction;
use trappa_store::testing::{fresh_stores, raw_execute};

use super::*;

#[tokio::test]
async fn unit_documents_are_versioned_by_kind_append_only_and_stale_saves_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "kim", Role::Coordinator).await;
        let unit = actor.unit_id.expect("the account has a unit");
        assert_eq!(store.document(unit, "planning_setup").await.unwrap(), None);
        let v1 = store
            .save_document(
                unit,
                "planning_setup",
                0,
                r#"{"staff":[]}"#,
                author,
                "Start",
            )
            .await
            .unwrap();
        let w1 = store
            .save_document(unit, "week_plan:2026-12-07", 0, "{}", author, "Planerad")
            .await
            .unwrap();
        assert_eq!((v1, w1), (1, 1), "{backend}: kinds are versioned apart");
        let stale = store
            .save_document(unit, "planning_setup", 0, "{}", author, "gammalt")
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        store
            .save_document(
                unit,
                "week_plan:2026-12-07",
                1,
                "{\"a\":1}",
                author,
                "Omplanerad",
            )
            .await
            .unwrap();
        let current = store
            .document(unit, "week_plan:2026-12-07")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((current.version, current.body.as_str()), (2, "{\"a\":1}"));
        assert_eq!(
            store
                .document_history(unit, "week_plan:2026-12-07")
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            store.document_kinds(unit, "week_plan:").await.unwrap(),
            vec!["week_plan:2026-12-07".to_owned()]
        );
        for sql in [
            "UPDATE unit_documents SET reason = 'x'",
            "DELETE FROM unit_documents",
        ] {
            assert!(raw_execute(&store, sql).await.is_err(), "{backend}: {sql}");
        }
    }
}

#[tokio::test]
async fn planning_lists_patients_with_a_care_team_and_logs_each() {
    for (backend, store) in fresh_stores().await {
        let (nurse, actor) = unit_and_account(&store, "kim", Role::Nurse).await;
        let in_care = store
            .create_patient(
                &person(1, "Anna", "Andersson"),
                None,
                nurse,
                "Ny",
                &entry(&actor, Action::Create, "patient"),
            )
            .await
            .unwrap();
        store
            .create_patient(
                &person(2, "Bo", "Berg"),
                None,
                nurse,
                "Ny",
                &entry(&actor, Action::Create, "patient"),
            )
            .await
            .unwrap();
        store
            .seed_care_team_member(in_care, nurse, TeamFunction::FastVardkontakt, nurse)
            .await
            .unwrap();
        let listed = store
            .planning_patients(&entry(&actor, Action::Listed, "week_plan"))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "{backend}");
        assert_eq!(listed[0].patient_id, in_care);
        assert_eq!(listed[0].team, vec![(nurse, TeamFunction::FastVardkontakt)]);
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(in_care),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "listed" && e.basis.as_deref() == Some("planning")),
            "{backend}: {log:?}"
        );
    }
}
