//! What the patient reports: assignments, the diary, scores sent twice, unread reports.

use trappa_store::access_log::Action;
use trappa_store::reports::{NewAssignment, NewDiaryEntry};
use trappa_store::scores::NewScore;
use trappa_store::testing::{fresh_stores, raw_execute};
use trappa_store::{StoreError, Uuid};

use super::*;

#[tokio::test]
async fn reports_are_stored_once_per_request_key_append_only_and_counted_until_read() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let id = store
            .create_patient(
                &person(14, "Bo", "Ek"),
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
                &entry(&actor, Action::Read, "patient.reports"),
            )
            .await
            .unwrap();
        store
            .add_care_team_member(
                &grant,
                author,
                trappa_store::care_team::TeamFunction::FastVardkontakt,
                author,
                &entry(&actor, Action::Create, "patient.care_team"),
            )
            .await
            .unwrap();
        let write = entry(&actor, Action::Create, "patient.reports");

        // An assignment is in force until ended; ending twice finds nothing.
        let assigned = store
            .assign_instrument(
                &grant,
                &NewAssignment {
                    instrument: "bwsq".into(),
                    rhythm: "before_step".into(),
                    every_days: None,
                    starts_on: date(2027, 1, 1),
                    moderate_from: Some(11.0),
                    severe_from: Some(21.0),
                    reason: "Inför varje steg".into(),
                },
                author,
                &write,
            )
            .await
            .unwrap();
        assert_eq!(
            store.assignments(&grant).await.unwrap().len(),
            1,
            "{backend}"
        );
        store
            .end_assignment(&grant, assigned, "Klar", author, &write)
            .await
            .unwrap();
        assert!(
            store.assignments(&grant).await.unwrap().is_empty(),
            "{backend}"
        );
        assert!(matches!(
            store
                .end_assignment(&grant, assigned, "Igen", author, &write)
                .await,
            Err(StoreError::NotFound)
        ));

        // A diary entry and a score sent twice with one key are stored once.
        let diary = NewDiaryEntry {
            day: date(2027, 1, 20),
            dose_taken: "as_planned".into(),
            sleep: Some(6),
            anxiety: None,
            pain: Some(2),
            flags: vec!["patient_asks_pause".into()],
            note: "Orolig natt".into(),
            request_key: Some(Uuid::now_v7().to_string()),
        };
        let first = store
            .record_diary(&grant, &diary, author, &write)
            .await
            .unwrap();
        let again = store
            .record_diary(&grant, &diary, author, &write)
            .await
            .unwrap();
        assert_eq!(first, again, "{backend}");
        let entries = store.diary(&grant).await.unwrap();
        assert_eq!(entries.len(), 1, "{backend}");
        assert_eq!((entries[0].sleep, entries[0].anxiety), (Some(6), None));
        let score = NewScore {
            instrument: "bwsq".into(),
            observed_on: date(2027, 1, 20),
            total: 14.0,
            band: "moderate".into(),
            items: None,
            flags: vec![],
            note: String::new(),
            corrects: None,
            reason: String::new(),
            reported_by_patient: true,
            request_key: Some("same-tap".into()),
        };
        let s1 = store
            .record_score(&grant, &score, author, &write)
            .await
            .unwrap();
        let s2 = store
            .record_score(&grant, &score, author, &write)
            .await
            .unwrap();
        assert_eq!(s1, s2, "{backend}");
        let scores = store.scores(&grant).await.unwrap();
        assert_eq!(scores.len(), 1, "{backend}");
        assert!(scores[0].reported_by_patient);

        // Two reports are unread until someone in the care team marks them read.
        let unread = store.caseload_unread_reports(author).await.unwrap();
        assert_eq!(unread.len(), 1, "{backend}");
        assert_eq!(
            (unread[0].patient_id, unread[0].reports),
            (id, 2),
            "{backend}"
        );
        let flagged = store
            .caseload_flagged_diary(author, date(2027, 1, 1))
            .await
            .unwrap();
        assert_eq!(flagged.len(), 1, "{backend}");
        // Read up to the diary entry only: the score sent after it stays unread.
        store
            .mark_reports_read(&grant, first.min(s1), author, &write)
            .await
            .unwrap();
        let unread = store.caseload_unread_reports(author).await.unwrap();
        assert_eq!(unread[0].reports, 1, "{backend}");
        store
            .mark_reports_read(&grant, first.max(s1), author, &write)
            .await
            .unwrap();
        assert!(
            store
                .caseload_unread_reports(author)
                .await
                .unwrap()
                .is_empty(),
            "{backend}"
        );

        for sql in [
            "UPDATE diary_entries SET note = ''",
            "DELETE FROM diary_entries",
            "UPDATE score_assignments SET reason = ''",
            "DELETE FROM score_assignments",
            "UPDATE patient_report_reviews SET reviewed_at = reviewed_at",
            "DELETE FROM patient_report_reviews",
        ] {
            assert!(raw_execute(&store, sql).await.is_err(), "{backend}: {sql}");
        }
    }
}

#[tokio::test]
async fn messages_are_kept_sent_once_read_per_reader_and_answered_in_order() {
    use trappa_store::messages::NewMessage;
    for (backend, store) in fresh_stores().await {
        let (nurse, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let write = |a| entry(a, Action::Create, "patient.messages");
        let mut opened = Vec::new();
        for (n, family) in [(15, "Ek"), (16, "Al")] {
            let id = store
                .create_patient(
                    &person(n, "Bo", family),
                    Some(Queue::Triage),
                    nurse,
                    "Ny",
                    &entry(&actor, Action::Create, "patient.identity"),
                )
                .await
                .unwrap();
            let grant = store
                .grant_patient_access(
                    id,
                    grant_on(AccessBasis::Queue),
                    &entry(&actor, Action::Read, "patient.messages"),
                )
                .await
                .unwrap();
            store
                .add_care_team_member(
                    &grant,
                    nurse,
                    trappa_store::care_team::TeamFunction::FastVardkontakt,
                    nurse,
                    &entry(&actor, Action::Create, "patient.care_team"),
                )
                .await
                .unwrap();
            opened.push(grant);
        }
        let (grant, other) = (&opened[0], &opened[1]);
        // The patient writes (an account of its own); a second send of the same form
        // is the same message.
        let (patient_account, _) = unit_and_account(&store, "bo", Role::Patient).await;
        let first = NewMessage {
            body: "Får jag ta kvällsdosen tidigare?".into(),
            from_patient: true,
            request_key: Some(Uuid::now_v7().to_string()),
        };
        let thread = store
            .start_thread(
                grant,
                "Kvällsdosen",
                &first,
                Some("Tack, vi svarar inom 2 vardagar."),
                patient_account,
                &write(&actor),
            )
            .await
            .unwrap();
        let again = store
            .start_thread(
                grant,
                "Kvällsdosen",
                &first,
                Some("Tack"),
                patient_account,
                &write(&actor),
            )
            .await
            .unwrap();
        assert_eq!(thread, again, "{backend}");
        let inbox = store.caseload_threads(nurse).await.unwrap();
        assert_eq!(inbox.len(), 1, "{backend}");
        assert_eq!(
            inbox[0].messages, 2,
            "{backend}: the message and the automatic reply"
        );
        assert!(
            inbox[0].waiting_since.is_some() && inbox[0].answered.is_none(),
            "{backend}"
        );
        // Another patient's thread is not found through this one's access.
        let answer = NewMessage {
            body: "Ja, en timme tidigare går bra.".into(),
            from_patient: false,
            request_key: None,
        };
        assert!(matches!(
            store
                .post_message(other, thread, &answer, None, nurse, &write(&actor))
                .await,
            Err(StoreError::NotFound)
        ));
        store
            .post_message(grant, thread, &answer, None, nurse, &write(&actor))
            .await
            .unwrap();
        let (summary, messages) = store.read_thread(grant, thread, nurse).await.unwrap();
        assert_eq!(messages.len(), 3, "{backend}");
        assert!(
            messages[1].automatic && messages[1].author_name.is_none(),
            "{backend}"
        );
        assert!(summary.waiting_since.is_none(), "{backend}: answered");
        assert_eq!(
            summary.answered.as_ref().map(|(who, _)| who.as_str()),
            Some("sara Testsson"),
            "{backend}: who answered"
        );
        // The patient has one unread message: the nurse's answer.
        let theirs = store.threads(grant, patient_account).await.unwrap();
        assert_eq!(theirs[0].unread, 1, "{backend}");
        // Read once: nothing unread for that reader afterwards.
        let (again, _) = store.read_thread(grant, thread, nurse).await.unwrap();
        assert_eq!(again.unread, 0, "{backend}");
        for sql in [
            "UPDATE messages SET body = ''",
            "DELETE FROM messages",
            "UPDATE message_threads SET subject = ''",
            "DELETE FROM message_reads",
        ] {
            assert!(raw_execute(&store, sql).await.is_err(), "{backend}: {sql}");
        }
    }
}
