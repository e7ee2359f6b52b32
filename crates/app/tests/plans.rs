//! The taper-plan use cases on every backend: a draft and a signature need a reason and
//! the version read; the engine's proposal is made from the stored scores, signed only
//! as it was seen, and gone once signed.

use trappa_app::plans::{self, Adoption, Engine};
use trappa_app::scores::{self, ScoreInput};
use trappa_app::text::V;
use trappa_app::{Caller, Error};
use trappa_policy::Role;
use trappa_scales::{Answers, Instruments};
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::care_team::TeamFunction;
use trappa_store::taper_plans::PlanStatus;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;
use trappa_taper::adapt::{Action as Proposed, Band, Policy};
use trappa_taper::{Plan, PlanRequest, ReferenceData};

mod support;
use support::{TODAY, caller, fault_of, open, reference, registered, unit};

/// Alprazolam 2 mg a day, switched to diazepam, from a week before `TODAY`.
fn plan(data: &ReferenceData) -> Plan {
    let request: PlanRequest = serde_json::from_value(serde_json::json!({
        "regimen": { "drugs": [ { "substance": "alprazolam", "doses": [0.5, 0.5, 0, 1] } ] },
        "start": "2026-11-29",
        "substitution": { "interval_weeks": 1 }
    }))
    .unwrap();
    trappa_taper::propose(data, &request).unwrap()
}

fn who(c: &Caller) -> String {
    c.display_name.clone()
}

/// A draft is signed, and a proposal adopted only as it was seen, on both backends. Long by
/// design: a journey whose every step reads what the steps before it left, so it is kept as
/// one story told in order.
#[tokio::test]
async fn a_draft_is_signed_and_a_proposal_adopted_only_as_seen() {
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
        let by_nurse = registered(&store, &nurse, 21, Action::Update).await;
        let patient = by_nurse.access.patient_id();
        let log = NewEntry::new(&nurse.actor, Action::Update, "patient.care_team");
        store
            .add_care_team_member(
                &by_nurse.access,
                doctor.account_id,
                TeamFunction::Prescriber,
                nurse.account_id,
                &log,
            )
            .await
            .unwrap();
        let proposed = plan(&data);

        // A draft needs a reason and the version it was made on; nothing is saved else.
        assert_eq!(
            fault_of(plans::save_draft(&store, &nurse, &by_nurse, 0, &proposed, " ").await),
            ("reason".into(), V::REF_ERR_REASON.sv),
            "[{backend}]"
        );
        let long = "x".repeat(trappa_app::MAX_REASON + 1);
        assert_eq!(
            fault_of(plans::save_draft(&store, &nurse, &by_nurse, 0, &proposed, &long).await),
            ("reason".into(), V::TOO_LONG.sv),
            "[{backend}]"
        );
        assert!(
            store
                .taper_plan_versions(&by_nurse.access)
                .await
                .unwrap()
                .is_empty(),
            "[{backend}] nothing saved"
        );
        let v1 = plans::save_draft(&store, &nurse, &by_nurse, 0, &proposed, "Start")
            .await
            .unwrap();
        assert_eq!(v1, 1, "[{backend}]");
        assert!(
            matches!(
                plans::save_draft(&store, &nurse, &by_nurse, 0, &proposed, "Igen").await,
                Err(Error::Stale)
            ),
            "[{backend}] a draft on a version no longer current is stale"
        );

        // The prescriber signs the version read, with a reason.
        let by_doctor = open(&store, &doctor, patient, Action::Update).await;
        assert_eq!(
            fault_of(plans::sign(&store, &doctor, &by_doctor, &data, 1, signing("")).await),
            ("reason".into(), V::REF_ERR_REASON.sv),
            "[{backend}]"
        );
        assert!(
            matches!(
                plans::sign(
                    &store,
                    &doctor,
                    &by_doctor,
                    &data,
                    7,
                    signing("Genomgånget")
                )
                .await,
                Err(Error::Stale)
            ),
            "[{backend}] an unknown version is not signed"
        );
        assert_eq!(
            plans::sign(
                &store,
                &doctor,
                &by_doctor,
                &data,
                1,
                signing("Genomgånget")
            )
            .await
            .unwrap(),
            2,
            "[{backend}] the signature is a version of its own"
        );
        let versions = store.taper_plan_versions(&by_doctor.access).await.unwrap();
        assert_eq!(versions[0].status, PlanStatus::Active, "[{backend}]");

        // Severe withdrawal: the engine proposes a change, signed only as it was seen.
        let ciwa = instruments.get("ciwa-b").unwrap();
        let severe = ScoreInput {
            observed_on: TODAY,
            answers: Answers::Total {
                total: 50.0,
                band: Some(Band::Severe),
            },
            flags: Vec::new(),
            note: String::new(),
            request_key: None,
            cutoffs: None,
        };
        scores::record(&store, &nurse, &by_nurse, ciwa, &severe, TODAY)
            .await
            .unwrap();
        // What the prescriber is shown: the signature covers these reports.
        let shown = plans::reports_now(&store, &by_doctor).await.unwrap();
        let adoption = |reason: &'static str, seen: Option<&'static str>| Adoption {
            reason,
            seen,
            confirmed_high: false,
            reports: shown,
        };
        let found = plans::proposal(&store, &by_doctor, engine, TODAY)
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(found.proposal.action, Proposed::StepBack { .. }),
            "[{backend}] {:?}",
            found.proposal
        );
        assert!(!found.draft_waiting, "[{backend}]");
        let (new_plan, seen) =
            plans::preview(&doctor, &data, &found.plan, &found.proposal, TODAY).unwrap();
        assert_ne!(
            new_plan, found.plan,
            "[{backend}] the preview is the new plan"
        );
        assert_eq!(
            fault_of(
                plans::adopt(
                    &store,
                    &doctor,
                    &by_doctor,
                    engine,
                    2,
                    adoption(" ", None),
                    TODAY
                )
                .await
            ),
            ("reason".into(), V::REF_ERR_REASON.sv),
            "[{backend}]"
        );
        assert_eq!(
            fault_of(
                plans::adopt(
                    &store,
                    &doctor,
                    &by_doctor,
                    engine,
                    2,
                    adoption("Svåra symtom", Some("0000")),
                    TODAY
                )
                .await
            ),
            ("reason".into(), V::PROPOSAL_CHANGED.sv),
            "[{backend}] a proposal that changed since it was shown is not signed"
        );
        let seen: &'static str = Box::leak(seen.into_boxed_str());
        let adopted = plans::adopt(
            &store,
            &doctor,
            &by_doctor,
            engine,
            2,
            adoption("Svåra symtom", Some(seen)),
            TODAY,
        )
        .await
        .unwrap();
        assert_eq!(adopted, Some(3), "[{backend}]");
        let versions = store.taper_plan_versions(&by_doctor.access).await.unwrap();
        assert_eq!(
            (versions[0].status, versions[0].signer_name.clone()),
            (PlanStatus::Active, Some(who(&doctor))),
            "[{backend}]"
        );
        let signed = plans::parse(&versions[0]).unwrap();
        let doses = |p: &trappa_taper::Plan| {
            p.steps
                .iter()
                .map(|s| (s.start, s.drugs.clone()))
                .collect::<Vec<_>>()
        };
        assert!(
            doses(&signed) == doses(&new_plan),
            "[{backend}] what was signed is what was shown"
        );
        // Once signed, the proposal is gone: the scores were seen.
        let found = plans::proposal(&store, &by_doctor, engine, TODAY)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.version, 3, "[{backend}]");
        assert_eq!(found.proposal.action, Proposed::Continue, "[{backend}]");
    }
}

/// A signature with `reason`, no high dose to confirm, over a patient who has reported
/// nothing.
fn signing(reason: &str) -> plans::Signing<'_> {
    plans::Signing {
        reason,
        confirmed_high: false,
        reports: Default::default(),
    }
}
