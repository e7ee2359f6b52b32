//! The referral use cases on every backend the environment provides: what a fault
//! names and that it stores nothing, the triage flow, and the self-referral's limits.

use jiff::civil::date;
use trappa_app::referrals::{self, ReferralInput, SelfReferral};
use trappa_app::text::V;
use trappa_app::{Caller, Error, Throttle};
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::{Queue, Role};
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;
use trappa_store::{Store, Uuid};

mod support;
use support::{TODAY, actor, caller, reference, unit};

/// A referral every field of which is right, for patient number `n`.
fn good(n: u16) -> ReferralInput {
    let id =
        PersonalIdentity::from_parts(date(1961, 3, 1 + (n % 28) as i8), n, IdKind::Personnummer)
            .unwrap();
    ReferralInput {
        personal_identity: id.to_string(),
        given_name: "Åsa".into(),
        family_name: "Öberg".into(),
        phone: "070-123 45 67".into(),
        drug1: "oxazepam".into(),
        dose1: "30".into(),
        months1: "24".into(),
        ..Default::default()
    }
}

async fn referrals_stored(store: &Store) -> i64 {
    store.referral_inbox_counts().await.unwrap().0
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(faults) => faults.iter().map(|f| f.field.to_string()).collect(),
        other => panic!("expected field faults, got {other:?}"),
    }
}

#[tokio::test]
async fn each_fault_names_its_field_and_nothing_is_stored() {
    let data = reference();
    type Spoil = fn(&mut ReferralInput);
    let cases: &[(&str, Spoil)] = &[
        ("personal_identity", |f| f.personal_identity.clear()),
        ("personal_identity", |f| {
            f.personal_identity = "19610301-0000".into()
        }),
        ("given_name", |f| f.given_name = "   ".into()),
        ("given_name", |f| f.given_name = "Åsa\nÖberg".into()),
        ("family_name", |f| f.family_name = "x".repeat(101)),
        ("phone", |f| f.phone = "ring mig".into()),
        ("email", |f| f.email = "inte en adress".into()),
        ("drug1", |f| f.drug1.clear()),
        ("drug1", |f| f.drug1 = "aspirin".into()),
        ("dose1", |f| f.dose1 = "-3".into()),
        ("months1", |f| f.months1 = "många".into()),
        ("free_text", |f| {
            f.free_text = "a".repeat(referrals::MAX_TEXT + 1)
        }),
    ];
    for (backend, store) in fresh_stores().await {
        let vc = unit(&store, "vc:1", UnitKind::Vardcentral).await;
        let referrer = caller(&store, "remittent", Role::ExternalReferrer, vc).await;
        for (n, (field, spoil)) in cases.iter().enumerate() {
            let mut input = good(n as u16 + 1);
            spoil(&mut input);
            let e = referrals::send(&store, &data, &referrer, &input, TODAY)
                .await
                .expect_err(field);
            assert_eq!(fields(e), [*field], "{backend}: case {n}");
            assert_eq!(referrals_stored(&store).await, 0, "{backend}: case {n}");
        }
        referrals::send(&store, &data, &referrer, &good(40), TODAY)
            .await
            .unwrap();
        assert_eq!(referrals_stored(&store).await, 1, "{backend}");
    }
}

/// Triage asks for a complement, accepts the referral, and refuses a second decision. Long
/// by design: a journey whose every step reads what the steps before it left, so it is kept
/// as one story told in order.
#[tokio::test]
async fn triage_complements_accepts_and_refuses_a_second_decision() {
    let data = reference();
    for (backend, store) in fresh_stores().await {
        let vc = unit(&store, "vc:1", UnitKind::Vardcentral).await;
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let referrer = caller(&store, "remittent", Role::ExternalReferrer, vc).await;
        let physician = caller(&store, "lakare", Role::Physician, base).await;
        let coordinator = caller(&store, "koordinator", Role::Coordinator, base).await;
        let id = referrals::send(&store, &data, &referrer, &good(7), TODAY)
            .await
            .unwrap();
        // Each step opens the referral afresh, as each request does.
        let open = |who: &Caller| {
            let who = who.clone();
            let store = store.clone();
            async move {
                let opened =
                    referrals::open(&store, &who, id, Action::Update, referrals::RESOURCE).await?;
                let r = referrals::load(&store, &opened, id).await?;
                Ok::<_, Error>((opened, r))
            }
        };
        let decide = |who: Caller, expected: i64, code: &'static str, reply: &'static str| {
            let store = store.clone();
            let data = &data;
            async move {
                let opened =
                    referrals::open(&store, &who, id, Action::Update, referrals::RESOURCE).await?;
                referrals::decide(
                    &store,
                    data,
                    &who,
                    &opened.access,
                    id,
                    expected,
                    code,
                    reply,
                )
                .await
            }
        };
        let doctor = || physician.clone();
        assert!(
            matches!(
                decide(doctor(), 1, "accept", "Välkommen").await,
                Err(Error::Stale)
            ),
            "{backend}"
        );
        assert_eq!(
            fields(decide(doctor(), 0, "accept", "  ").await.unwrap_err()),
            ["reply"],
            "{backend}"
        );
        assert_eq!(
            fields(decide(doctor(), 0, "nonsense", "Svar").await.unwrap_err()),
            ["decision"],
            "{backend}"
        );
        // A tab opened before the decision, for the stale case below.
        let (old_tab, _) = open(&physician).await.unwrap();
        decide(
            doctor(),
            0,
            "complement",
            "Vi behöver veta om tidigare försök.\n\nRing gärna.",
        )
        .await
        .unwrap();

        // The referrer answers, with the earlier attempt.
        let (own, r) = open(&referrer).await.unwrap();
        let attempt = referrals::attempt("oxazepam", "2024", "10 mg", "abstinens");
        let e = referrals::complement(&store, &referrer, &own.access, &r, 0, "", attempt.clone())
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["answer"], "{backend}");
        referrals::complement(
            &store,
            &referrer,
            &own.access,
            &r,
            0,
            "Ett försök 2024.\nAvbröts efter sex veckor.",
            attempt,
        )
        .await
        .unwrap();
        let (_, r) = open(&physician).await.unwrap();
        assert!(
            r.current_facts().contains("abstinens"),
            "{backend}: the facts carry the attempt"
        );

        decide(doctor(), 1, "accept", "Välkommen till enheten.")
            .await
            .unwrap();
        let (opened, _) = open(&coordinator).await.unwrap();
        assert_eq!(
            store.patient(&opened.access).await.unwrap().queue,
            Some(Queue::Waiting),
            "{backend}"
        );
        // Triage is over: the physician outside the care team no longer reaches the record.
        assert!(
            matches!(
                open(&physician).await,
                Err(Error::EmergencyAccessRequired(_))
            ),
            "{backend}"
        );
        // The tab opened before the decisions: stale, nothing changes.
        let e = referrals::decide(
            &store,
            &data,
            &physician,
            &old_tab.access,
            id,
            2,
            "decline",
            "Nej",
        )
        .await;
        assert!(matches!(e, Err(Error::Stale)), "{backend}: {e:?}");

        // The coordinator still reaches the patient (the waiting list), but may not
        // decide the referral again: refused, and the refusal is logged.
        match decide(coordinator.clone(), 2, "decline", "Nej").await {
            Err(Error::Refused(title, _)) => assert_eq!(title, &V::NOT_IN_TRIAGE, "{backend}"),
            other => panic!("{backend}: {other:?}"),
        }
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(opened.id()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.resource == "patient.referral.decision" && e.outcome == "denied"),
            "{backend}: {log:?}"
        );
        let (opened, r) = open(&coordinator).await.unwrap();
        assert_eq!(
            store.patient(&opened.access).await.unwrap().queue,
            Some(Queue::Waiting),
            "{backend}"
        );
        assert_eq!(r.decisions.len(), 2, "{backend}");
    }
}

#[tokio::test]
async fn a_referrer_opens_only_their_own_referral() {
    let data = reference();
    for (backend, store) in fresh_stores().await {
        let vc = unit(&store, "vc:1", UnitKind::Vardcentral).await;
        let first = caller(&store, "forsta", Role::ExternalReferrer, vc).await;
        let other = caller(&store, "andra", Role::ExternalReferrer, vc).await;
        let id = referrals::send(&store, &data, &first, &good(3), TODAY)
            .await
            .unwrap();
        let e = referrals::open(&store, &other, id, Action::Read, referrals::RESOURCE).await;
        assert!(matches!(e, Err(Error::Forbidden)), "{backend}");
        let e = referrals::open(
            &store,
            &first,
            Uuid::now_v7(),
            Action::Read,
            referrals::RESOURCE,
        )
        .await;
        assert!(matches!(e, Err(Error::NotFound)), "{backend}");
        assert!(
            referrals::open(&store, &first, id, Action::Read, referrals::RESOURCE)
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn self_referral_honeypot_stores_nothing_and_an_address_is_limited() {
    let data = reference();
    for (backend, store) in fresh_stores().await {
        let from = actor(None, "", None, "192.0.2.7");
        let mut bot = good(1);
        bot.website = "http://spam.example".into();
        let SelfReferral::Received(number) =
            referrals::self_refer(&store, &data, &from, &bot, TODAY)
                .await
                .unwrap();
        assert!(
            number.starts_with("R-"),
            "{backend}: a receipt like any other"
        );
        assert_eq!(referrals_stored(&store).await, 0, "{backend}");

        let mut no_phone = good(2);
        no_phone.phone.clear();
        let e = referrals::self_refer(&store, &data, &from, &no_phone, TODAY)
            .await
            .unwrap_err();
        assert_eq!(
            fields(e),
            ["phone"],
            "{backend}: the unit must be able to call back"
        );

        for n in 0..referrals::PER_ADDRESS_PER_HOUR {
            referrals::self_refer(&store, &data, &from, &good(10 + n as u16), TODAY)
                .await
                .unwrap();
        }
        let e = referrals::self_refer(&store, &data, &from, &good(20), TODAY).await;
        assert!(
            matches!(e, Err(Error::Throttled(Throttle::SelfReferral))),
            "{backend}"
        );
        assert_eq!(
            referrals_stored(&store).await,
            referrals::PER_ADDRESS_PER_HOUR,
            "{backend}"
        );
        // Another address is not held back by the first.
        let elsewhere = actor(None, "", None, "192.0.2.8");
        referrals::self_refer(&store, &data, &elsewhere, &good(21), TODAY)
            .await
            .unwrap();
    }
}

/// What a person may type into one field of the referral form (or the self-referral
/// page): anything, numbers of every shape, a known substance, far too much.
fn typed() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        ".{0,30}",
        "[0-9 ,.+e-]{0,12}",
        Just("oxazepam".to_owned()),
        Just("zopiklon".to_owned()),
        Just("1e400".to_owned()),
        Just("x".repeat(4_100)),
    ]
}

/// The form's fields by name, for the property below.
const FORM_FIELDS: [&str; 19] = [
    "personal_identity",
    "given_name",
    "family_name",
    "phone",
    "email",
    "drug1",
    "dose1",
    "months1",
    "drug2",
    "dose2",
    "months2",
    "attempt_drug",
    "attempt_period",
    "attempt_lowest",
    "attempt_why",
    "comorbidities",
    "prescriber",
    "free_text",
    "mixed",
];

fn set(f: &mut ReferralInput, field: &str, text: String) {
    match field {
        "personal_identity" => f.personal_identity = text,
        "given_name" => f.given_name = text,
        "family_name" => f.family_name = text,
        "phone" => f.phone = text,
        "email" => f.email = text,
        "drug1" => f.drug1 = text,
        "dose1" => f.dose1 = text,
        "months1" => f.months1 = text,
        "drug2" => f.drug2 = text,
        "dose2" => f.dose2 = text,
        "months2" => f.months2 = text,
        "attempt_drug" => f.attempt_drug = text,
        "attempt_period" => f.attempt_period = text,
        "attempt_lowest" => f.attempt_lowest = text,
        "attempt_why" => f.attempt_why = text,
        "comorbidities" => f.comorbidities = text,
        "prescriber" => f.prescriber = text,
        "free_text" => f.free_text = text,
        "mixed" => f.mixed = Some(text),
        other => unreachable!("{other}"),
    }
}

/// Whatever is typed into a referral, by a referrer or by the patient, it is read into
/// sound facts (known substances, doses inside their bounds) or refused with faults
/// naming fields of the form — never an internal error or a panic.
#[test]
fn any_typed_referral_is_read_or_refused_by_field() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = runtime.block_on(trappa_store::testing::fresh_sqlite());
    let data = reference();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let changes = (
        proptest::collection::vec((0..FORM_FIELDS.len(), typed()), 1..4),
        any::<bool>(),
    );
    runner
        .run(&changes, |(changes, by_patient)| {
            let mut f = good(7);
            for (i, text) in changes {
                set(&mut f, FORM_FIELDS[i], text);
            }
            let sender = if by_patient {
                referrals::Sender::Patient
            } else {
                referrals::Sender::Vardcentral
            };
            let parsed = runtime.block_on(referrals::parse(&store, &data, &f, None, sender, TODAY));
            match parsed {
                Ok(p) => {
                    prop_assert!(!p.facts.drugs.is_empty());
                    for d in &p.facts.drugs {
                        prop_assert!(data.substances.iter().any(|s| s.id == d.substance));
                        if let Some(x) = d.daily_dose {
                            prop_assert!(x > 0.0 && x < 100_000.0, "{x}");
                        }
                    }
                }
                Err(Error::Invalid(faults)) => {
                    prop_assert!(!faults.is_empty());
                    for fault in &faults {
                        prop_assert!(
                            FORM_FIELDS.contains(&fault.field.as_ref()),
                            "{}",
                            fault.field
                        );
                    }
                }
                Err(other) => prop_assert!(false, "{other:?}"),
            }
            Ok(())
        })
        .unwrap();
}
