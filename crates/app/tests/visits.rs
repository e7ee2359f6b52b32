//! The visit and journal use cases on every backend: each fault names its field and
//! writes nothing; a change needs a reason and the current version; a note holds its
//! visit in one transaction; a correction is a new version with its reason.

use std::collections::BTreeMap;

use trappa_app::Error;
use trappa_app::text::V;
use trappa_app::visits::{self, Booking, Change};
use trappa_pathway::visits::{Kind, Status};
use trappa_policy::Role;
use trappa_store::access_log::Action;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{caller, open, registered, unit};

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(faults) => faults.iter().map(|f| f.field.to_string()).collect(),
        other => panic!("expected field faults, got {other:?}"),
    }
}

fn texts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn a_booking_names_each_wrong_field_and_books_nothing() {
    type Spoil = fn(&mut Booking);
    let cases: &[(&str, Spoil)] = &[
        ("kind", |b| b.kind = "note".into()),
        ("kind", |b| b.kind = "massage".into()),
        ("place", |b| b.place.clear()),
        ("date", |b| b.date = "i morgon".into()),
        ("date", |b| b.date = "2020-01-15".into()),
        ("minutes", |b| b.minutes = "4".into()),
        ("minutes", |b| b.minutes = "241".into()),
        ("clinician", |b| {
            b.clinician = uuid::Uuid::now_v7().to_string()
        }),
        ("reason", |b| {
            b.reason = "x".repeat(trappa_app::MAX_REASON + 1)
        }),
    ];
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let outsider = caller(&store, "olle", Role::Nurse, base).await;
        let opened = registered(&store, &nurse, 5, Action::Create).await;
        let good = Booking {
            kind: Kind::NurseReview.code().into(),
            place: "base".into(),
            date: "2030-01-15".into(),
            time: "09:30".into(),
            minutes: "45".into(),
            clinician: nurse.account_id.to_string(),
            reason: String::new(),
        };
        for (n, (field, spoil)) in cases.iter().enumerate() {
            let mut b = good.clone();
            spoil(&mut b);
            let e = visits::book(&store, &nurse, &opened, &b).await.unwrap_err();
            assert_eq!(fields(e), [*field], "{backend}: case {n}");
        }
        // Someone outside the care team is not a clinician to book with.
        let mut b = good.clone();
        b.clinician = outsider.account_id.to_string();
        let e = visits::book(&store, &nurse, &opened, &b).await.unwrap_err();
        assert_eq!(fields(e), ["clinician"], "{backend}");
        assert!(
            store.appointments(&opened.access).await.unwrap().is_empty(),
            "{backend}"
        );

        visits::book(&store, &nurse, &opened, &good).await.unwrap();
        let list = store.appointments(&opened.access).await.unwrap();
        assert_eq!(list.len(), 1, "{backend}");
        assert_eq!(
            (list[0].status, list[0].minutes),
            (Status::Booked, 45),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn a_change_needs_its_reason_and_the_current_version() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let opened = registered(&store, &nurse, 6, Action::Update).await;
        let booking = Booking {
            kind: "nurse_review".into(),
            place: "phone".into(),
            date: "2030-02-01".into(),
            time: "10:00".into(),
            minutes: "20".into(),
            clinician: nurse.account_id.to_string(),
            reason: String::new(),
        };
        let id = visits::book(&store, &nurse, &opened, &booking)
            .await
            .unwrap();
        let moved = Change {
            status: "booked".into(),
            date: "2030-02-03".into(),
            time: "11:15".into(),
            reason: "Patienten bad om en annan dag".into(),
        };
        let no_reason = Change {
            reason: "  ".into(),
            ..moved.clone()
        };
        let e = visits::change(&store, &nurse, &opened, id, 1, &no_reason).await;
        assert_eq!(fields(e.unwrap_err()), ["reason"], "{backend}");
        let done = Change {
            status: "done".into(),
            ..moved.clone()
        };
        let e = visits::change(&store, &nurse, &opened, id, 1, &done).await;
        assert_eq!(
            fields(e.unwrap_err()),
            ["status"],
            "{backend}: held only by a note"
        );
        let e = visits::change(&store, &nurse, &opened, id, 7, &moved).await;
        assert!(matches!(e, Err(Error::Stale)), "{backend}: {e:?}");

        assert_eq!(
            visits::change(&store, &nurse, &opened, id, 1, &moved)
                .await
                .unwrap(),
            2
        );
        let a = store.appointment(&opened.access, id).await.unwrap();
        assert_eq!(a.starts_at.to_string()[..10], *"2030-02-03", "{backend}");
        let cancel = Change {
            status: "cancelled".into(),
            date: String::new(),
            time: String::new(),
            reason: "Sjuk".into(),
        };
        visits::change(&store, &nurse, &opened, id, 2, &cancel)
            .await
            .unwrap();
        let a = store.appointment(&opened.access, id).await.unwrap();
        assert_eq!((a.status, a.version), (Status::Cancelled, 3), "{backend}");
    }
}

#[tokio::test]
async fn a_note_follows_its_template_and_holds_its_visit() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "sara", Role::Nurse, base).await;
        let opened = registered(&store, &nurse, 8, Action::Create).await;
        let cbt = Some(Kind::CbtSession);
        // The kind chosen, what was typed, and the fields the faults name.
        type Case<'a> = (Option<Kind>, &'a [(&'a str, &'a str)], &'a [&'a str]);
        let cases: &[Case] = &[
            (None, &[("note", "Text")], &["kind"]),
            (cbt, &[], &["session"]),
            (cbt, &[("session", " "), ("module", "")], &["session"]),
            (cbt, &[("session", "0")], &["session"]),
            (
                cbt,
                &[("session", "3"), ("symptoms", "Sov dåligt")],
                &["symptoms"],
            ),
            (cbt, &[("session", "3"), ("colour", "blå")], &["colour"]),
            (
                cbt,
                &[("homework", &"x".repeat(visits::MAX_TEXT + 1))],
                &["homework"],
            ),
        ];
        for (n, (kind, typed, expected)) in cases.iter().enumerate() {
            let e = visits::write_note(&store, &nurse, &opened, None, *kind, &texts(typed))
                .await
                .unwrap_err();
            assert_eq!(fields(e), *expected, "{backend}: case {n}");
        }
        assert!(
            store.journal(&opened.access).await.unwrap().is_empty(),
            "{backend}"
        );
        // Text under another template's heading is refused, and the message names the
        // template in the caller's language.
        let e = visits::write_note(
            &store,
            &nurse,
            &opened,
            None,
            cbt,
            &texts(&[("session", "2"), ("plan", "Fortsätt")]),
        )
        .await
        .unwrap_err();
        let Error::Invalid(faults) = e else { panic!() };
        assert_eq!(faults[0].message, &V::NOTE_ERR_OTHER_TEMPLATE);
        assert!(
            faults[0]
                .message(nurse.locale)
                .contains(Kind::CbtSession.label(nurse.locale))
        );

        // A note that documents a visit holds it; one read at an old version is stale
        // and writes nothing.
        let booking = Booking {
            kind: "mi_session".into(),
            place: "video".into(),
            date: "2030-03-01".into(),
            time: "13:00".into(),
            minutes: "45".into(),
            clinician: nurse.account_id.to_string(),
            reason: String::new(),
        };
        let visit = visits::book(&store, &nurse, &opened, &booking)
            .await
            .unwrap();
        let typed = texts(&[("motivation", "Vill minska"), ("agreed", "Dagbok")]);
        let e = visits::write_note(&store, &nurse, &opened, Some((visit, 9)), None, &typed).await;
        assert!(matches!(e, Err(Error::Stale)), "{backend}: {e:?}");
        assert!(
            store.journal(&opened.access).await.unwrap().is_empty(),
            "{backend}"
        );
        let note = visits::write_note(&store, &nurse, &opened, Some((visit, 1)), None, &typed)
            .await
            .unwrap();
        let a = store.appointment(&opened.access, visit).await.unwrap();
        assert_eq!(a.status, Status::Done, "{backend}");
        let written = store.note(&opened.access, note).await.unwrap();
        assert_eq!(written.kind, Kind::MiSession, "{backend}: the visit's kind");

        // A correction: a new version, only with a reason.
        let opened = open(&store, &nurse, opened.id(), Action::Update).await;
        let better = texts(&[("motivation", "Vill sluta helt"), ("agreed", "Dagbok")]);
        let e = visits::correct_note(&store, &nurse, &opened, note, 1, &better, "").await;
        assert_eq!(fields(e.unwrap_err()), ["reason"], "{backend}");
        let e = visits::correct_note(&store, &nurse, &opened, note, 1, &texts(&[]), "").await;
        assert_eq!(
            fields(e.unwrap_err()),
            ["motivation", "reason"],
            "{backend}"
        );
        let v = visits::correct_note(&store, &nurse, &opened, note, 1, &better, "Felskrivning")
            .await
            .unwrap();
        assert_eq!(v, 2, "{backend}");
        let e = visits::correct_note(&store, &nurse, &opened, note, 1, &better, "Igen").await;
        assert!(matches!(e, Err(Error::Stale)), "{backend}");
        let history = store.note_history(&opened.access, note).await.unwrap();
        assert_eq!(history.len(), 2, "{backend}");
        assert_eq!(history[1].reason, "Felskrivning", "{backend}");
    }
}
