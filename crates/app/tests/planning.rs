//! The planning changes and the audit's reviews on every backend: each change is a new
//! version of its document made on the version read, a refused change names its field
//! and writes nothing; a review needs a judgement and a note.

use jiff::civil::date;
use trappa_app::Error;
use trappa_app::planning::changes::{self, Fix, RequestInput};
use trappa_app::planning::{Names, requests, setup};
use trappa_app::text::V;
use trappa_planning::availability::{Setup, StaffWeek, WorkDay};
use trappa_planning::model::{Mode, Window};
use trappa_policy::Role;
use trappa_store::access_log::Action;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{caller, fault_of, registered, unit};

/// What a case does to a good request.
type Spoil = fn(&mut RequestInput);

fn week_of(staff: &str, from: u32, to: u32) -> Setup {
    Setup {
        staff: vec![StaffWeek {
            staff: staff.into(),
            name: "Sara".into(),
            profession: "nurse".into(),
            start: None,
            days: vec![WorkDay {
                weekday: 1,
                shift: Window { from, to },
                lunch: None,
                at_base: false,
            }],
        }],
        leave: Vec::new(),
        rooms: Vec::new(),
    }
}

#[tokio::test]
async fn planning_changes_are_versions_made_on_what_was_read() {
    let monday = date(2026, 12, 7);
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let coordinator = caller(&store, "koordinator", Role::Coordinator, base).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let patient = registered(&store, &nurse, 41, Action::Create)
            .await
            .access
            .patient_id();

        // The availability: hours that end before they start are refused by name.
        let staff = nurse.account_id.to_string();
        assert_eq!(
            fault_of(
                changes::save_setup(
                    &store,
                    &coordinator,
                    base,
                    0,
                    &week_of(&staff, 990, 480),
                    "x"
                )
                .await
            ),
            ("shift".to_owned(), V::SETUP_ERR_HOURS.sv),
            "[{backend}]"
        );
        assert_eq!(
            setup(&store, base).await.unwrap().1,
            0,
            "[{backend}] nothing saved"
        );
        let good = week_of(&staff, 480, 990);
        assert_eq!(
            changes::save_setup(&store, &coordinator, base, 0, &good, "Sara måndagar")
                .await
                .unwrap(),
            1,
            "[{backend}]"
        );
        assert!(
            matches!(
                changes::save_setup(&store, &coordinator, base, 0, &good, "igen").await,
                Err(Error::Stale)
            ),
            "[{backend}] a form read before the change is stale"
        );

        // A visit asked for by hand: only for a patient the week plans for.
        let mut planned = Names::default();
        planned
            .patients
            .insert(patient.to_string(), "Stig Ek".into());
        let ask = RequestInput {
            patient: Some(patient),
            profession: "nurse".into(),
            minutes: "30".into(),
            modes: vec![Mode::Video],
            days: vec![monday, monday, date(2026, 12, 20)],
        };
        let cases: [(Spoil, &str, &trappa_i18n::Msg); 4] = [
            (|r| r.patient = None, "patient", &V::WEEK_ERR_PATIENT),
            (
                |r| r.profession = "chef".into(),
                "profession",
                &V::WEEK_ERR_PROFESSION,
            ),
            (|r| r.minutes = "5".into(), "minutes", &V::WEEK_ERR_MINUTES),
            (|r| r.modes.clear(), "modes", &V::WEEK_ERR_MODES),
        ];
        for (spoil, field, message) in cases {
            let mut input = ask.clone();
            spoil(&mut input);
            assert_eq!(
                fault_of(
                    changes::add_request(&store, &coordinator, base, monday, 0, &input, &planned)
                        .await
                ),
                (field.to_owned(), message.sv),
                "[{backend}] {field}"
            );
        }
        let empty = Names::default();
        assert_eq!(
            fault_of(
                changes::add_request(&store, &coordinator, base, monday, 0, &ask, &empty).await
            ),
            ("patient".to_owned(), V::WEEK_ERR_PATIENT.sv),
            "[{backend}] a patient the week does not plan for"
        );
        changes::add_request(&store, &coordinator, base, monday, 0, &ask, &planned)
            .await
            .unwrap();
        let (list, version) = requests(&store, base, monday).await.unwrap();
        assert_eq!((list.len(), version), (1, 1), "[{backend}]");
        assert_eq!(
            list[0].days,
            vec![monday],
            "[{backend}] the week's days, once each"
        );
        assert!(
            matches!(
                changes::remove_request(&store, &coordinator, base, monday, 1, "no-such").await,
                Err(Error::NotFound)
            ),
            "[{backend}]"
        );
        changes::remove_request(
            &store,
            &coordinator,
            base,
            monday,
            1,
            &list[0].id.to_string(),
        )
        .await
        .unwrap();
        assert!(
            requests(&store, base, monday).await.unwrap().0.is_empty(),
            "[{backend}]"
        );

        // A week without a saved plan has nothing to pin or lock.
        assert_eq!(
            fault_of(
                changes::fix(
                    &store,
                    &coordinator,
                    base,
                    monday,
                    0,
                    &Fix::Visit("v".into())
                )
                .await
            ),
            ("week".to_owned(), V::WEEK_ERR_NO_PLAN.sv),
            "[{backend}]"
        );
        assert!(
            matches!(
                changes::adopt_proposal(&store, &coordinator, base, monday, 1, 0, "Bra").await,
                Err(Error::NotFound)
            ),
            "[{backend}] no proposal to save"
        );
    }
}

#[tokio::test]
async fn a_review_needs_a_judgement_and_a_note() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let doctor = caller(&store, "jour", Role::Physician, base).await;
        let auditor = caller(&store, "granskare", Role::Auditor, base).await;
        let patient = registered(&store, &nurse, 42, Action::Create)
            .await
            .access
            .patient_id();
        let access = trappa_app::care_team::take_emergency_access(
            &store,
            &doctor,
            patient,
            "Akut på akuten, behöver läkemedelslistan",
        )
        .await
        .unwrap();
        let review = |outcome: &'static str, note: &'static str| {
            let (store, auditor) = (store.clone(), auditor.clone());
            async move {
                trappa_app::audit::review_emergency_access(&store, &auditor, access, outcome, note)
                    .await
            }
        };
        assert_eq!(
            fault_of(review("kanske", "Rimligt").await),
            ("outcome".to_owned(), V::REVIEW_ERR_OUTCOME.sv),
            "[{backend}]"
        );
        assert_eq!(
            fault_of(review("justified", " ").await),
            ("note".to_owned(), V::REQUIRED.sv),
            "[{backend}]"
        );
        let queue = trappa_app::audit::emergency_accesses(&store, &auditor)
            .await
            .unwrap();
        assert!(
            queue
                .iter()
                .any(|e| e.id == access && e.reviewed_at.is_none()),
            "[{backend}] still to review"
        );
        review("justified", "Rimligt: patienten sökte akut")
            .await
            .unwrap();
        assert!(
            matches!(review("justified", "igen").await, Err(Error::Stale)),
            "[{backend}] reviewed once"
        );
    }
}
