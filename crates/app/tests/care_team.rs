//! The care-team and emergency-access use cases on every backend: only a clinician who
//! fits a function holds it, a hand-over leaves no gap, and emergency access takes a
//! reason a reviewer can read — a refused attempt is logged and flagged too.

use trappa_app::care_team::{self, Added};
use trappa_app::text::V;
use trappa_app::{Caller, Error};
use trappa_policy::Role;
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{caller, fault_of, open, registered, unit};

#[tokio::test]
async fn members_fit_their_function_and_hand_over_without_a_gap() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let doctor = caller(&store, "lakare", Role::Physician, base).await;
        let other_doctor = caller(&store, "lakare2", Role::Physician, base).await;
        let analyst = caller(&store, "analytiker", Role::Analyst, base).await;
        let opened = registered(&store, &nurse, 31, Action::Update).await;
        let id = |c: &Caller| Some(c.account_id);

        let cases: [(Option<uuid::Uuid>, &str, &str, &trappa_i18n::Msg); 4] = [
            (id(&doctor), "chef", "function", &V::UNKNOWN_CHOICE),
            (None, "prescriber", "account_id", &V::UNKNOWN_CHOICE),
            (id(&analyst), "other", "account_id", &V::UNKNOWN_CHOICE),
            (id(&nurse), "prescriber", "account_id", &V::CARE_TEAM_UNFIT),
        ];
        for (account, function, field, message) in cases {
            assert_eq!(
                fault_of(care_team::add(&store, &nurse, &opened, account, function).await),
                (field.to_owned(), message.sv),
                "[{backend}] {function}"
            );
        }
        let team = store.care_team(&opened.access).await.unwrap();
        assert_eq!(team.len(), 1, "[{backend}] only the registering nurse");

        let Added::Member(member) =
            care_team::add(&store, &nurse, &opened, id(&doctor), "prescriber")
                .await
                .unwrap()
        else {
            panic!("[{backend}] a new member");
        };
        assert_eq!(
            care_team::add(&store, &nurse, &opened, id(&doctor), "prescriber")
                .await
                .unwrap(),
            Added::AlreadyMember,
            "[{backend}] twice is once"
        );
        // Each request opens the patient afresh, and sees the team as it is then.
        let opened = open(&store, &nurse, opened.access.patient_id(), Action::Update).await;
        // The prescriber's function goes to another physician, never to a nurse.
        assert_eq!(
            fault_of(care_team::hand_over(&store, &nurse, &opened, member, id(&nurse)).await),
            ("account_id".to_owned(), V::CARE_TEAM_UNFIT.sv),
            "[{backend}]"
        );
        care_team::hand_over(&store, &nurse, &opened, member, id(&other_doctor))
            .await
            .unwrap();
        let opened = open(&store, &nurse, opened.access.patient_id(), Action::Update).await;
        let current: Vec<_> = store
            .care_team(&opened.access)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.ended_at.is_none())
            .map(|m| m.account_id)
            .collect();
        assert!(
            current.contains(&other_doctor.account_id) && !current.contains(&doctor.account_id),
            "[{backend}] {current:?}"
        );
        assert!(
            matches!(
                care_team::hand_over(&store, &nurse, &opened, member, id(&doctor)).await,
                Err(Error::Stale)
            ),
            "[{backend}] a member who has left hands nothing over"
        );
    }
}

#[tokio::test]
async fn emergency_access_needs_a_reason_and_a_refusal_is_flagged() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let doctor = caller(&store, "jour", Role::Physician, base).await;
        let patient = registered(&store, &nurse, 32, Action::Create)
            .await
            .access
            .patient_id();
        let long = "x".repeat(care_team::MAX_EMERGENCY_REASON + 1);
        for (reason, message) in [
            ("kort", &V::EMERGENCY_REASON_SHORT),
            (
                "\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}kort",
                &V::EMERGENCY_REASON_SHORT,
            ),
            (long.as_str(), &V::TOO_LONG),
        ] {
            assert_eq!(
                fault_of(care_team::take_emergency_access(&store, &doctor, patient, reason).await),
                ("reason".to_owned(), message.sv),
                "[{backend}] {reason:.20}"
            );
        }
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(patient),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let refused = log
            .iter()
            .filter(|e| e.action == "emergency_access" && e.outcome == "denied" && e.flagged)
            .count();
        assert_eq!(refused, 3, "[{backend}] every refusal is flagged");
        assert!(
            matches!(
                care_team::take_emergency_access(
                    &store,
                    &doctor,
                    uuid::Uuid::now_v7(),
                    "Akut på akuten, behöver listan"
                )
                .await,
                Err(Error::NotFound)
            ),
            "[{backend}] no such patient"
        );
        care_team::take_emergency_access(
            &store,
            &doctor,
            patient,
            "Akut på akuten, behöver läkemedelslistan",
        )
        .await
        .unwrap();
        let opened = trappa_app::access::open(&store, &doctor, patient, Action::Read, "patient")
            .await
            .unwrap();
        assert_eq!(
            opened.basis(),
            trappa_policy::AccessBasis::Emergency,
            "[{backend}]"
        );
    }
}
