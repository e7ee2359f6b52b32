//! The path: referrals and decisions, complements, visits, notes and events.

use trappa_policy::{AccessBasis, Role};
use trappa_store::StoreError;
use trappa_store::access_log::Action;
use trappa_store::testing::{fresh_stores, raw_execute};

use super::*;

#[tokio::test]
async fn referrals_register_the_patient_and_decisions_are_append_only() {
    use trappa_store::referrals::{NewReferral, Received};
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "remi", Role::ExternalReferrer).await;
        let log = entry(&actor, Action::Create, "patient.referral");
        let r = NewReferral {
            facts: r#"{"age":50}"#,
            details: "{}",
            referrer: author,
            unit: actor.unit_id,
        };
        let (referral, patient, received) = store
            .create_referral(&person(14, "Eva", "Rem"), &r, &log)
            .await
            .unwrap();
        assert_eq!(received, Received::NewPatient, "{backend}");
        // The same identity again, while in triage: received like any referral, but kept
        // off the path, under the same patient, with the identity as it was sent.
        let (again, same, received) = store
            .create_referral(&person(14, "Eva", "Annan"), &r, &log)
            .await
            .unwrap();
        assert_eq!(
            (same, received),
            (patient, Received::AlreadyInCare),
            "{backend}"
        );
        let listed = store
            .referrals_sent_by(author, &entry(&actor, Action::Listed, "referrals.list"))
            .await
            .unwrap();
        assert_eq!(
            (
                listed.len(),
                listed[1].patient_id,
                listed[1].decision.as_deref()
            ),
            (2, patient, None),
            "{backend}"
        );
        assert_eq!(
            listed.iter().find(|l| l.id == again).unwrap().name,
            "Eva Annan"
        );
        let grant = store
            .grant_patient_access(
                patient,
                grant_on(AccessBasis::Queue),
                &entry(&actor, Action::Read, "patient.referral"),
            )
            .await
            .unwrap();
        let decide = entry(&actor, Action::Update, "patient.referral");
        let seq = store
            .decide_referral(
                &grant,
                referral,
                0,
                r#"{"kind":"decline"}"#,
                "Råd",
                author,
                None,
                &decide,
            )
            .await
            .unwrap();
        assert_eq!(seq, 1);
        assert!(matches!(
            store
                .decide_referral(&grant, referral, 0, "{}", "igen", author, None, &decide)
                .await,
            Err(StoreError::Stale)
        ));
        let full = store.patient_referral(&grant).await.unwrap().unwrap();
        assert_eq!(
            (full.decisions.len(), full.decisions[0].reply.as_str()),
            (1, "Råd"),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "UPDATE referral_decisions SET reply = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM referrals").await.is_err(),
            "{backend}"
        );
    }
}

/// The path's records in the store: complements, visits, notes and events are append-only
/// versions. Long by design: a journey whose every step reads what the steps before it
/// left, so it is kept as one story told in order.
#[tokio::test]
async fn the_path_complements_visits_notes_and_events_are_append_only() {
    use std::collections::BTreeMap;
    use trappa_pathway::visits::{Kind, Place, Status};
    use trappa_store::path::{EventKind, NewEvent};
    use trappa_store::referrals::{NewReferral, SELF_REFERRAL_ACCOUNT};
    use trappa_store::visits::{AppointmentState, NewNote};
    for (backend, store) in fresh_stores().await {
        // The self-referral author exists and cannot sign in.
        let author = store
            .credentials_by_id(SELF_REFERRAL_ACCOUNT)
            .await
            .unwrap()
            .expect("self-referral account");
        assert!(!author.account.active, "{backend}");
        let (nurse, actor) = unit_and_account(&store, "ssk", Role::Nurse).await;
        let log = entry(&actor, Action::Create, "patient.referral");
        let r = NewReferral {
            facts: r#"{"age":50}"#,
            details: "{}",
            referrer: nurse,
            unit: actor.unit_id,
        };
        let (referral, patient, _) = store
            .create_referral(&person(15, "Kim", "Väg"), &r, &log)
            .await
            .unwrap();
        let grant = store
            .grant_patient_access(patient, grant_on(AccessBasis::Queue), &log)
            .await
            .unwrap();
        // No complement asked: an answer is refused.
        let answer = |expected| {
            store.answer_complement(
                &grant,
                referral,
                expected,
                "Svar",
                Some(r#"{"age":51}"#),
                nurse,
                &log,
            )
        };
        assert!(
            matches!(answer(0).await, Err(StoreError::Refused(_))),
            "{backend}"
        );
        store
            .decide_referral(
                &grant,
                referral,
                0,
                r#"{"kind":"complement","missing":[]}"#,
                "Fråga",
                nurse,
                Some(trappa_policy::Queue::Triage),
                &log,
            )
            .await
            .unwrap();
        let asked = store.patient_referral(&grant).await.unwrap().unwrap();
        assert!(asked.awaiting_complement(), "{backend}");
        assert_eq!(answer(0).await.unwrap(), 1);
        assert!(
            matches!(answer(1).await, Err(StoreError::Refused(_))),
            "{backend}"
        );
        let answered = store.patient_referral(&grant).await.unwrap().unwrap();
        assert!(!answered.awaiting_complement(), "{backend}");
        assert_eq!(answered.current_facts(), r#"{"age":51}"#, "{backend}");
        assert_eq!(answered.timeline().complement_asked.len(), 1, "{backend}");
        store
            .decide_referral(
                &grant,
                referral,
                1,
                r#"{"kind":"accept","priority":"normal"}"#,
                "Välkommen",
                nurse,
                Some(trappa_policy::Queue::Waiting),
                &log,
            )
            .await
            .unwrap();
        let listed = entry(&actor, Action::Listed, "waiting_list");
        let waiting = store.waiting_list(&listed).await.unwrap();
        assert_eq!((waiting.len(), waiting[0].booked), (1, None), "{backend}");

        // Book the assessment, move it; a stale move is refused.
        let start = trappa_store::now() + jiff::SignedDuration::from_hours(48);
        let mut state = AppointmentState {
            kind: Kind::Assessment,
            place: Place::Base,
            starts_at: start,
            minutes: 90,
            clinician: Some(nurse),
            status: Status::Booked,
        };
        let appt = store
            .book_appointment(&grant, &state, nurse, "Nybesök", &log)
            .await
            .unwrap();
        assert_eq!(
            store.waiting_list(&listed).await.unwrap()[0].booked,
            Some(start),
            "{backend}"
        );
        state.starts_at = start + jiff::SignedDuration::from_hours(24);
        assert_eq!(
            store
                .change_appointment(&grant, appt, 1, &state, nurse, "Flyttad", &log)
                .await
                .unwrap(),
            2
        );
        assert!(matches!(
            store
                .change_appointment(&grant, appt, 1, &state, nurse, "Igen", &log)
                .await,
            Err(StoreError::Stale)
        ));
        // Holding it with its note takes the patient off the waiting list.
        let fields: BTreeMap<String, String> = [("history".to_owned(), "Tio år".to_owned())].into();
        let note = store
            .write_note(
                &grant,
                &NewNote {
                    kind: Kind::Assessment,
                    fields: fields.clone(),
                    held: Some((appt, 2)),
                },
                nurse,
                &log,
            )
            .await
            .unwrap();
        assert!(
            store.waiting_list(&listed).await.unwrap().is_empty(),
            "{backend}"
        );
        let visits = store.appointments(&grant).await.unwrap();
        assert_eq!(
            (visits[0].status, visits[0].version),
            (Status::Done, 3),
            "{backend}"
        );
        // A held visit cannot be cancelled.
        state.status = Status::Cancelled;
        assert!(matches!(
            store
                .change_appointment(&grant, appt, 3, &state, nurse, "Avbokad", &log)
                .await,
            Err(StoreError::Refused(_))
        ));
        assert_eq!(
            store.appointment_history(&grant, appt).await.unwrap().len(),
            3
        );
        // A correction keeps the original.
        let corrected: BTreeMap<String, String> =
            [("history".to_owned(), "Tolv år".to_owned())].into();
        store
            .correct_note(&grant, note, 1, &corrected, nurse, "Fel antal år", &log)
            .await
            .unwrap();
        assert!(matches!(
            store
                .correct_note(&grant, note, 1, &corrected, nurse, "Igen", &log)
                .await,
            Err(StoreError::Stale)
        ));
        let journal = store.journal(&grant).await.unwrap();
        assert_eq!(
            (
                journal.len(),
                journal[0].version,
                journal[0].fields["history"].as_str()
            ),
            (1, 2, "Tolv år"),
            "{backend}"
        );
        let history = store.note_history(&grant, note).await.unwrap();
        assert_eq!(history[0].fields, fields, "{backend}");

        // Aftercare starts once; a correction names what it corrects.
        let event = |kind, corrects| NewEvent {
            kind,
            occurred_on: jiff::civil::date(2026, 1, 15),
            data: r#"{"months":[1,3,6]}"#.into(),
            corrects,
            reason: String::new(),
        };
        let started = store
            .record_path_event(
                &grant,
                &event(EventKind::AftercareStarted, None),
                true,
                nurse,
                &log,
            )
            .await
            .unwrap();
        assert!(matches!(
            store
                .record_path_event(
                    &grant,
                    &event(EventKind::AftercareStarted, None),
                    true,
                    nurse,
                    &log
                )
                .await,
            Err(StoreError::Stale)
        ));
        assert!(matches!(
            store
                .record_path_event(
                    &grant,
                    &event(EventKind::Relapse, Some(started)),
                    false,
                    nurse,
                    &log
                )
                .await,
            Err(StoreError::Refused(_))
        ));
        store
            .record_path_event(
                &grant,
                &event(EventKind::AftercareStarted, Some(started)),
                true,
                nurse,
                &log,
            )
            .await
            .unwrap();
        let events = store.path_events(&grant).await.unwrap();
        assert_eq!(events.len(), 2, "{backend}");
        assert!(events.iter().any(|e| e.corrected_by.is_some()), "{backend}");

        for sql in [
            "UPDATE appointment_versions SET status = 'cancelled'",
            "DELETE FROM journal_note_versions",
            "UPDATE path_events SET data = '{}'",
            "DELETE FROM referral_complements",
        ] {
            assert!(raw_execute(&store, sql).await.is_err(), "{backend}: {sql}");
        }
    }
}
