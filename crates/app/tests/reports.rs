//! What the patient reports between visits, on every backend: the care team assigns,
//! the patient answers from home, and the answer moves the engine's proposal as a score
//! recorded at a visit does — once, however often the form is sent.

use trappa_app::Error;
use trappa_app::plans::{self, Engine};
use trappa_app::reports::{self, AssignInput, DiaryInput};
use trappa_app::text::V;
use trappa_policy::Role;
use trappa_scales::assigned::{Cutoffs, Rhythm};
use trappa_scales::{Answers, Instruments};
use trappa_store::Uuid;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::care_team::TeamFunction;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;
use trappa_taper::PlanRequest;
use trappa_taper::adapt::{Action as Proposed, Flag, Policy, Reason};

mod support;
use support::{TODAY, caller, fault_of, open, reference, registered, unit};

fn bwsq(cutoffs: Option<Cutoffs>, rhythm: Rhythm) -> AssignInput {
    AssignInput {
        instrument: "bwsq".into(),
        rhythm,
        starts_on: TODAY,
        cutoffs,
        reason: String::new(),
    }
}

/// Long by design: one patient's story told in order — assigned, answered, proposed.
#[tokio::test]
async fn a_patients_own_answer_moves_the_proposal_once() {
    let data = reference();
    let instruments = Instruments::builtin().unwrap();
    let policy = Policy::default();
    let engine = Engine {
        data: &data,
        policy: &policy,
        instruments: &instruments,
    };
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let doctor = caller(&store, "lakare", Role::Physician, base).await;
        let by_nurse = registered(&store, &nurse, 31, Action::Update).await;
        let patient = by_nurse.id();
        store
            .add_care_team_member(
                &by_nurse.access,
                doctor.account_id,
                TeamFunction::Prescriber,
                nurse.account_id,
                &NewEntry::new(&nurse.actor, Action::Update, "patient.care_team"),
            )
            .await
            .unwrap();
        let request: PlanRequest = serde_json::from_value(serde_json::json!({
            "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [10, 0, 0, 10] } ] },
            "start": "2026-11-15"
        }))
        .unwrap();
        let plan = trappa_taper::propose(&data, &request).unwrap();
        plans::save_draft(&store, &nurse, &by_nurse, 0, &plan, "Start")
            .await
            .unwrap();
        let by_doctor = open(&store, &doctor, patient, Action::Update).await;
        plans::sign(
            &store,
            &doctor,
            &by_doctor,
            &data,
            1,
            plans::Signing {
                reason: "Genomgånget",
                confirmed_high: false,
                reports: Default::default(),
            },
        )
        .await
        .unwrap();

        // Assigning: only self-rated instruments, cut-offs exactly where no official
        // bands exist and inside the range, a rhythm that is a rhythm, not twice.
        let refused = [
            (
                AssignInput {
                    instrument: "cows".into(),
                    ..bwsq(None, Rhythm::BeforeStep)
                },
                "instrument",
                V::ASSIGN_ERR_INSTRUMENT.sv,
            ),
            (
                bwsq(None, Rhythm::BeforeStep),
                "moderate_from",
                V::ASSIGN_ERR_CUTOFFS.sv,
            ),
            (
                bwsq(
                    Some(Cutoffs {
                        moderate_from: 30.0,
                        severe_from: 20.0,
                    }),
                    Rhythm::BeforeStep,
                ),
                "moderate_from",
                V::ASSIGN_ERR_CUTOFFS.sv,
            ),
            (
                AssignInput {
                    instrument: "phq-9".into(),
                    ..bwsq(
                        Some(Cutoffs {
                            moderate_from: 5.0,
                            severe_from: 9.0,
                        }),
                        Rhythm::BeforeStep,
                    )
                },
                "moderate_from",
                V::ASSIGN_ERR_NO_CUTOFFS.sv,
            ),
            (
                bwsq(
                    Some(Cutoffs {
                        moderate_from: 11.0,
                        severe_from: 21.0,
                    }),
                    Rhythm::EveryDays { days: 0 },
                ),
                "every_days",
                V::ASSIGN_ERR_EVERY.sv,
            ),
        ];
        for (input, field, message) in refused {
            let got = reports::assign(&store, &nurse, &by_nurse, &instruments, &input).await;
            assert_eq!(
                fault_of(got),
                (field.to_owned(), message),
                "[{backend}] {input:?}"
            );
        }
        assert!(
            store
                .assignments(&by_nurse.access)
                .await
                .unwrap()
                .is_empty(),
            "[{backend}]"
        );
        let cutoffs = Some(Cutoffs {
            moderate_from: 11.0,
            severe_from: 21.0,
        });
        reports::assign(
            &store,
            &nurse,
            &by_nurse,
            &instruments,
            &bwsq(cutoffs, Rhythm::BeforeStep),
        )
        .await
        .unwrap();
        assert_eq!(
            fault_of(
                reports::assign(
                    &store,
                    &nurse,
                    &by_nurse,
                    &instruments,
                    &bwsq(cutoffs, Rhythm::BeforeStep)
                )
                .await
            ),
            ("instrument".into(), V::ASSIGN_ERR_ALREADY.sv),
            "[{backend}] not assigned twice"
        );

        // The patient answers from home: an instrument not assigned is not there.
        let me = support::patient_caller(&store, patient, "stig").await;
        let own =
            trappa_app::access::open(&store, &me, patient, Action::Create, reports::OWN_RESOURCE)
                .await
                .unwrap();
        let phq = instruments.get("phq-9").unwrap();
        let calm = Answers::Items {
            values: vec![0; 9],
            band: None,
        };
        assert!(matches!(
            reports::record_own_score(&store, &me, &own, phq, calm, None, TODAY).await,
            Err(Error::NotFound)
        ));
        let before = plans::proposal(&store, &by_doctor, engine, TODAY)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            before.proposal.action,
            Proposed::Continue,
            "[{backend}] {:?}",
            before.proposal
        );

        // The diary refuses what cannot be, field by field, and keeps nothing of it.
        let fine = DiaryInput {
            day: Some(TODAY),
            dose_taken: "as_planned".into(),
            sleep: Some(4),
            flags: vec!["patient_asks_pause".into()],
            request_key: Some(Uuid::now_v7().to_string()),
            ..Default::default()
        };
        for (bad, field) in [
            (
                DiaryInput {
                    day: TODAY.tomorrow().ok(),
                    ..fine.clone()
                },
                "day",
            ),
            (
                DiaryInput {
                    day: Some(TODAY.saturating_sub(jiff::ToSpan::days(8))),
                    ..fine.clone()
                },
                "day",
            ),
            (
                DiaryInput {
                    dose_taken: "some".into(),
                    ..fine.clone()
                },
                "dose_taken",
            ),
            (
                DiaryInput {
                    pain: Some(11),
                    ..fine.clone()
                },
                "pain",
            ),
            (
                DiaryInput {
                    flags: vec!["overdose".into()],
                    ..fine.clone()
                },
                "flags",
            ),
            (
                DiaryInput {
                    request_key: Some("'; DROP".into()),
                    ..fine.clone()
                },
                "request_key",
            ),
        ] {
            let got = reports::record_diary(&store, &me, &own, &bad, TODAY).await;
            assert_eq!(fault_of(got).0, field, "[{backend}]");
        }
        assert!(
            store.diary(&own.access).await.unwrap().is_empty(),
            "[{backend}]"
        );
        // "I want to pause" is a flag the proposal carries.
        let saved = reports::record_diary(&store, &me, &own, &fine, TODAY)
            .await
            .unwrap();
        assert_eq!(saved.flags, vec![Flag::PatientAsksPause], "[{backend}]");
        let paused = plans::proposal(&store, &by_doctor, engine, TODAY)
            .await
            .unwrap()
            .unwrap();
        assert!(
            paused.proposal.reasons.contains(&Reason::Flagged {
                flag: Flag::PatientAsksPause
            }),
            "[{backend}] {:?}",
            paused.proposal
        );
        // A severe BWSQ by the nurse's cut-offs, sent twice by a double tap: stored once,
        // marked as the patient's, and the prescriber's proposal changes.
        let inst = instruments.get("bwsq").unwrap();
        let key = Some(Uuid::now_v7().to_string());
        let answers = Answers::Total {
            total: 25.0,
            band: None,
        };
        let first =
            reports::record_own_score(&store, &me, &own, inst, answers.clone(), key.clone(), TODAY)
                .await
                .unwrap();
        let again = reports::record_own_score(&store, &me, &own, inst, answers, key, TODAY)
            .await
            .unwrap();
        assert_eq!(first.id, again.id, "[{backend}]");
        let scores = store.scores(&by_doctor.access).await.unwrap();
        assert_eq!(scores.len(), 1, "[{backend}] stored once");
        assert!(
            scores[0].reported_by_patient && scores[0].band == "severe",
            "[{backend}] {:?}",
            scores[0]
        );
        let after = plans::proposal(&store, &by_doctor, engine, TODAY)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(
            after.proposal.action,
            Proposed::Continue,
            "[{backend}] {:?}",
            after.proposal
        );

        // A signature covers what the prescriber had before them: a report that arrives
        // between the page and the signature refuses it, and is not taken as seen.
        let shown = plans::reports_now(&store, &by_doctor).await.unwrap();
        let late = Answers::Total {
            total: 24.0,
            band: None,
        };
        let key = Some(Uuid::now_v7().to_string());
        reports::record_own_score(&store, &me, &own, inst, late, key, TODAY)
            .await
            .unwrap();
        let adoption = |reports: trappa_store::taper_plans::ReportsSeen| plans::Adoption {
            reason: "Svåra symtom, tillbaka ett steg",
            seen: None,
            confirmed_high: false,
            reports,
        };
        let refused = plans::adopt(
            &store,
            &doctor,
            &by_doctor,
            engine,
            2,
            adoption(shown),
            TODAY,
        )
        .await;
        assert_eq!(
            fault_of(refused),
            (plans::REPORTS_FIELD.to_owned(), V::PLAN_NEW_REPORTS.sv),
            "[{backend}]"
        );
        let now = plans::reports_now(&store, &by_doctor).await.unwrap();
        assert_ne!(now, shown, "[{backend}]");
        let signed = plans::adopt(&store, &doctor, &by_doctor, engine, 2, adoption(now), TODAY)
            .await
            .unwrap();
        assert_eq!(signed, Some(3), "[{backend}]");
        let versions = store.taper_plan_versions(&by_doctor.access).await.unwrap();
        assert_eq!(
            (versions[0].scores_seen, versions[0].diary_seen),
            (now.score, now.diary),
            "[{backend}] the signature covers what was shown"
        );
    }
}
