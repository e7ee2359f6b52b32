//! The score use case on every backend: each fault names its field and stores nothing;
//! a stored score carries the instrument's flags and the clinician's, and an unknown
//! reported flag is refused rather than dropped.

use jiff::civil::date;
use trappa_app::Error;
use trappa_app::scores::{self, ScoreInput};
use trappa_app::text::V;
use trappa_policy::Role;
use trappa_scales::{Answers, Instruments};
use trappa_store::access_log::Action;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{TODAY, caller, registered, unit};

fn phq9(values: &[i32]) -> ScoreInput {
    ScoreInput {
        observed_on: date(2026, 12, 1),
        answers: Answers::Items {
            values: values.to_vec(),
            band: None,
        },
        flags: Vec::new(),
        note: String::new(),
        request_key: None,
        cutoffs: None,
    }
}

#[tokio::test]
async fn a_score_names_each_fault_and_keeps_every_flag() {
    let instruments = Instruments::builtin().unwrap();
    let phq = instruments.get("phq-9").unwrap();
    let bwsq = instruments.get("bwsq").unwrap();
    let calm = [0, 1, 0, 1, 0, 0, 1, 0, 0];
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let opened = registered(&store, &nurse, 12, Action::Create).await;
        let cases: Vec<(
            &trappa_scales::Instrument,
            ScoreInput,
            &str,
            &trappa_i18n::Msg,
        )> = vec![
            (
                phq,
                ScoreInput {
                    observed_on: date(2026, 12, 7),
                    ..phq9(&calm)
                },
                "observed_on",
                &V::SCORES_ERR_DATE,
            ),
            (
                phq,
                ScoreInput {
                    flags: vec!["kramp".into()],
                    ..phq9(&calm)
                },
                "flags",
                &V::UNKNOWN_CHOICE,
            ),
            (
                phq,
                ScoreInput {
                    note: "x".repeat(scores::MAX_NOTE + 1),
                    ..phq9(&calm)
                },
                "note",
                &V::TOO_LONG,
            ),
            (phq, phq9(&calm[..8]), "items", &V::BAD_VALUE),
            (
                phq,
                phq9(&[0, 0, 0, 4, 0, 0, 0, 0, 0]),
                "items.q4",
                &V::BAD_VALUE,
            ),
            (
                phq,
                ScoreInput {
                    answers: Answers::Total {
                        total: 30.0,
                        band: None,
                    },
                    ..phq9(&calm)
                },
                "total",
                &V::BAD_VALUE,
            ),
            (
                bwsq,
                ScoreInput {
                    answers: Answers::Total {
                        total: 12.0,
                        band: None,
                    },
                    ..phq9(&calm)
                },
                "band",
                &V::SCORES_ERR_BAND,
            ),
        ];
        for (n, (inst, input, field, message)) in cases.into_iter().enumerate() {
            match scores::record(&store, &nurse, &opened, inst, &input, TODAY).await {
                Err(Error::Invalid(f)) => {
                    assert_eq!(
                        (f[0].field.as_ref(), f[0].message),
                        (field, message),
                        "{backend}: case {n}"
                    );
                }
                other => panic!("{backend}: case {n}: {other:?}"),
            }
        }
        assert!(
            store.scores(&opened.access).await.unwrap().is_empty(),
            "{backend}"
        );

        // Item 9 above 0 raises the instrument's flag; the reported one is kept beside it.
        let input = ScoreInput {
            flags: vec!["seizure".into()],
            note: "  Svårt att sova  ".into(),
            ..phq9(&[1, 1, 1, 1, 1, 1, 1, 1, 1])
        };
        scores::record(&store, &nurse, &opened, phq, &input, TODAY)
            .await
            .unwrap();
        let stored = store.scores(&opened.access).await.unwrap();
        assert_eq!(stored.len(), 1, "{backend}");
        let mut flags = stored[0].flags.clone();
        flags.sort();
        assert_eq!(
            flags,
            ["seizure", "suicidal_thoughts"],
            "{backend}: the instrument's flag (item 9) beside the reported one"
        );
        assert_eq!(
            (stored[0].total, stored[0].note.as_str()),
            (9.0, "Svårt att sova"),
            "{backend}"
        );
    }
}
