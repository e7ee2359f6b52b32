//! Patients: versions append-only, identity numbers unique, searches logged.

use trappa_store::StoreError;
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::patients::PatientQuery;
use trappa_store::testing::{fresh_stores, raw_execute};

use super::*;

#[tokio::test]
async fn patient_versions_are_append_only_and_stale_edits_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let id = store
            .create_patient(
                &person(11, "Åsa", "Öberg"),
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
                &entry(&actor, Action::Read, "patient.overview"),
            )
            .await
            .unwrap();
        let p = store.patient(&grant).await.unwrap();
        assert_eq!(p.current.version, 1, "{backend}");
        assert_eq!(p.current.data.family_name, "Öberg");
        assert_eq!(p.queue, Some(Queue::Triage));

        let mut changed = person(11, "Åsa", "Ek");
        changed.phone = None;
        let upd = entry(&actor, Action::Update, "patient.identity");
        assert_eq!(
            store
                .update_patient(&grant, 1, &changed, author, "Namnbyte", &upd)
                .await
                .unwrap(),
            2
        );
        // A second edit based on version 1 is stale and changes nothing.
        let stale = store
            .update_patient(
                &grant,
                1,
                &person(11, "Åsa", "Fel"),
                author,
                "Gammalt formulär",
                &upd,
            )
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let history = store.patient_history(&grant).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(history[0].data.family_name, "Ek");
        assert_eq!(history[1].data.family_name, "Öberg");
        assert_eq!(history[0].reason, "Namnbyte");
        assert_eq!(history[0].author_name, "sara Testsson");

        // The database itself refuses to rewrite history.
        assert!(
            raw_execute(&store, "UPDATE patient_versions SET family_name = 'X'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM patient_versions")
                .await
                .is_err(),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn identity_numbers_are_unique_among_current_records() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        store
            .create_patient(&person(21, "Anna", "Berg"), None, author, "r", &create)
            .await
            .unwrap();
        let before = store.access_log_len().await.unwrap();
        let dup = store
            .create_patient(&person(21, "Anna", "Berg"), None, author, "r", &create)
            .await;
        assert!(
            matches!(dup, Err(StoreError::Duplicate("personal_identity"))),
            "{backend}: {dup:?}"
        );
        // Nothing half-written: no patient, no log entry.
        assert_eq!(store.patient_count().await.unwrap(), 1);
        assert_eq!(store.access_log_len().await.unwrap(), before);
    }
}

#[tokio::test]
async fn search_logs_the_search_and_every_patient_listed() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let a = store
            .create_patient(
                &person(31, "Anna-Karin", "Åkesson"),
                None,
                author,
                "r",
                &create,
            )
            .await
            .unwrap();
        store
            .create_patient(&person(32, "Bo", "Åkesson"), None, author, "r", &create)
            .await
            .unwrap();
        store
            .create_patient(&person(33, "Anna", "Lind"), None, author, "r", &create)
            .await
            .unwrap();
        let search = entry(&actor, Action::Search, "patient.search");
        let hits = store
            .search_patients(
                &PatientQuery::Name(vec!["anna".into(), "åkes".into()]),
                50,
                &search,
            )
            .await
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![a],
            "{backend}"
        );
        let hits = store
            .search_patients(&PatientQuery::Name(vec!["ÅKESSON".into()]), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 2, "{backend}: case folding beyond ASCII");
        // LIKE wildcards in the input are literal.
        let hits = store
            .search_patients(&PatientQuery::Name(vec!["%".into()]), 50, &search)
            .await
            .unwrap();
        assert!(hits.is_empty(), "{backend}");
        // A former identity number still finds the person, shown with the current one.
        let grant = store
            .grant_patient_access(
                a,
                grant_on(AccessBasis::CareTeam),
                &entry(&actor, Action::Read, "test"),
            )
            .await
            .unwrap();
        let mut renumbered = person(31, "Anna-Karin", "Åkesson");
        renumbered.personal_identity = person(34, "x", "y").personal_identity;
        store
            .update_patient(
                &grant,
                1,
                &renumbered,
                author,
                "Fått personnummer",
                &entry(&actor, Action::Update, "x"),
            )
            .await
            .unwrap();
        let old_number = person(31, "x", "y").personal_identity;
        let hits = store
            .search_patients(&PatientQuery::Identity(old_number), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 1, "{backend}");
        assert_eq!(hits[0].personal_identity, renumbered.personal_identity);
        let pid = person(33, "Anna", "Lind").personal_identity;
        let hits = store
            .search_patients(&PatientQuery::Identity(pid), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 1);
        let listed = store
            .search_access_log(&LogQuery {
                patient_id: Some(a),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            listed.iter().filter(|e| e.action == "listed").count(),
            3,
            "{backend}"
        );
        let searches = store
            .search_access_log(&LogQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            searches.iter().filter(|e| e.action == "search").count(),
            5,
            "{backend}"
        );
    }
}
