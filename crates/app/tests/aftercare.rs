//! The aftercare use case on every backend: each event is checked against the path so
//! far — aftercare starts once, follow-ups only after it, a drug-free discharge only
//! after six months of it, a patient is discharged once — and a refusal writes nothing.

use trappa_app::Error;
use trappa_app::aftercare::{self, EventInput};
use trappa_app::text::V;
use trappa_policy::Role;
use trappa_store::access_log::Action;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{TODAY, caller, registered, unit};

fn event(form: &str, date: &str) -> EventInput {
    EventInput {
        form: form.into(),
        date: date.into(),
        ..Default::default()
    }
}

/// The fault's field and message, or a panic.
fn fault(e: Result<uuid::Uuid, Error>) -> (String, &'static trappa_i18n::Msg) {
    match e {
        Err(Error::Invalid(faults)) => (faults[0].field.to_string(), faults[0].message),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn each_event_is_checked_against_the_path_so_far() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let opened = registered(&store, &nurse, 9, Action::Create).await;
        let record = |f: EventInput| {
            let (store, nurse, opened) = (&store, &nurse, &opened);
            async move { aftercare::record(store, nurse, opened, &f, TODAY).await }
        };
        let events = || async { store.path_events(&opened.access).await.unwrap().len() };

        // Before aftercare: no follow-up, no drug-free discharge.
        let follow_up = EventInput {
            month: "1".into(),
            ..event("follow_up", "2026-02-12")
        };
        match record(follow_up.clone()).await {
            Err(Error::Invalid(faults)) => assert!(
                faults
                    .iter()
                    .any(|f| f.field == "date" && f.message == &V::DISCHARGE_ERR_NO_AFTERCARE),
                "{backend}: {faults:?}"
            ),
            other => panic!("{backend}: {other:?}"),
        }
        let drug_free = EventInput {
            outcome: "drug_free".into(),
            ..event("discharge", "2026-03-01")
        };
        assert_eq!(
            fault(record(drug_free).await),
            ("outcome".into(), &V::DISCHARGE_ERR_NO_AFTERCARE),
            "{backend}"
        );
        // Wrong input, field by field.
        let cases = [
            (event("start", "2027-01-01"), "date"),
            (event("start", "i går"), "date"),
            (event("party", "2026-01-10"), "form"),
            (
                EventInput {
                    months: "1,3".into(),
                    ..event("start", "2026-01-10")
                },
                "months",
            ),
            (
                EventInput {
                    months: "en månad".into(),
                    ..event("start", "2026-01-10")
                },
                "months",
            ),
            (
                EventInput {
                    note: "x".repeat(aftercare::MAX_NOTE + 1),
                    ..event("start", "2026-01-10")
                },
                "note",
            ),
        ];
        for (n, (f, field)) in cases.into_iter().enumerate() {
            assert_eq!(fault(record(f).await).0, field, "{backend}: case {n}");
        }
        assert_eq!(events().await, 0, "{backend}: nothing written");

        record(EventInput {
            months: "1,3,6".into(),
            ..event("start", "2026-01-10")
        })
        .await
        .unwrap();
        assert_eq!(
            fault(record(event("start", "2026-01-11")).await),
            ("date".into(), &V::AFTERCARE_ALREADY),
            "{backend}"
        );
        record(follow_up.clone()).await.unwrap();
        assert_eq!(
            fault(record(follow_up).await),
            ("month".into(), &V::FOLLOW_UP_ALREADY),
            "{backend}"
        );
        let relapse = event("relapse", "2026-03-01");
        assert_eq!(fault(record(relapse).await).0, "substance", "{backend}");

        // A drug-free discharge waits six months from the last dose.
        let early = EventInput {
            outcome: "drug_free".into(),
            ..event("discharge", "2026-05-01")
        };
        let (field, message) = fault(record(early).await);
        assert_eq!(
            (field.as_str(), message),
            ("outcome", &V::DISCHARGE_ERR_TOO_EARLY),
            "{backend}"
        );
        let reduced = EventInput {
            outcome: "reduced".into(),
            percent: "140".into(),
            ..event("discharge", "2026-08-01")
        };
        assert_eq!(fault(record(reduced).await).0, "percent", "{backend}");
        let nowhere = EventInput {
            outcome: "redirected".into(),
            ..event("discharge", "2026-08-01")
        };
        assert_eq!(fault(record(nowhere).await).0, "to", "{backend}");
        assert_eq!(events().await, 2, "{backend}");

        let done = EventInput {
            outcome: "drug_free".into(),
            ..event("discharge", "2026-08-01")
        };
        record(done.clone()).await.unwrap();
        assert_eq!(
            fault(record(done).await),
            ("outcome".into(), &V::AFTERCARE_DISCHARGED),
            "{backend}"
        );
        // The outcome questionnaire still comes after the discharge.
        let outcome = EventInput {
            q_months: "12".into(),
            drug_free: "yes".into(),
            ..event("outcome", "2026-11-01")
        };
        record(outcome).await.unwrap();
        let path =
            aftercare::PathState::from_events(&store.path_events(&opened.access).await.unwrap())
                .unwrap();
        assert!(
            path.discharge.is_some() && path.outcomes.len() == 1,
            "{backend}"
        );
        assert_eq!(path.schedule(TODAY).len(), 3, "{backend}");
    }
}
