//! The storage suite, run on every backend the environment provides (see `testing`).

use jiff::civil::date;
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::{AccessBasis, Queue, Role};
use trappa_store::access_log::{Action, Actor, LogQuery, NewEntry};
use trappa_store::accounts::NewAccount;
use trappa_store::care_team::TeamFunction;
use trappa_store::patients::{Address, PatientData, PatientQuery, PostalAddress};
use trappa_store::testing::{fresh_postgres, fresh_sqlite, fresh_stores, raw_execute};
use trappa_store::units::{UnitInput, UnitKind};
use trappa_store::{Store, StoreError, Uuid};

async fn unit_and_account(store: &Store, username: &str, role: Role) -> (Uuid, Actor) {
    let unit = store
        .upsert_unit(&UnitInput {
            kind: UnitKind::TaperingUnit,
            code: "unit:test".into(),
            name: "Testenheten".into(),
            hsa_id: None,
            kommunkod: None,
            municipality_name: None,
            lat: None,
            lon: None,
            population: None,
            source: "test".into(),
        })
        .await
        .unwrap();
    let id = store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: format!("{username} Testsson"),
            profession: Some("Sjuksköterska".into()),
            hsa_id: None,
            unit_id: Some(unit),
            patient_id: None,
            roles: vec![role],
            password_hash: "x".into(),
            created_by: None,
        })
        .await
        .unwrap();
    let actor = Actor {
        account_id: Some(id),
        username: username.into(),
        role: Some(role.code().into()),
        unit_id: Some(unit),
        request_id: "req-test".into(),
        client_ip: Some("127.0.0.1".into()),
        new_role: false,
    };
    (id, actor)
}

/// A grant the policy gives on `basis`: a nurse in the care team, or a physician
/// handling the triage queue.
fn grant_on(basis: AccessBasis) -> trappa_policy::Grant {
    let facts = trappa_policy::PatientAccessFacts {
        role: if basis == AccessBasis::Queue {
            Role::Physician
        } else {
            Role::Nurse
        },
        in_care_team: basis == AccessBasis::CareTeam,
        queue: (basis == AccessBasis::Queue).then_some(Queue::Triage),
        open_emergency_access: false,
        is_self: false,
    };
    match trappa_policy::decide_patient_access(facts) {
        trappa_policy::PatientAccessDecision::Allow(g) if g.basis() == basis => g,
        other => panic!("the policy does not grant {basis:?}: {other:?}"),
    }
}

fn entry<'a>(actor: &'a Actor, action: Action, resource: &'a str) -> NewEntry<'a> {
    NewEntry::new(actor, action, resource)
}

fn person(n: u16, given: &str, family: &str) -> PatientData {
    PatientData {
        personal_identity: PersonalIdentity::from_parts(
            date(1960, 1, 1 + (n % 28) as i8),
            n,
            IdKind::Personnummer,
        )
        .unwrap(),
        given_name: given.into(),
        family_name: family.into(),
        phone: Some("070-000 00 00".into()),
        email: None,
        address: Address::Known(PostalAddress {
            street: Some("Storgatan 1".into()),
            postal_code: Some("463 30".into()),
            city: Some("Lilla Edet".into()),
        }),
        home_unit_id: None,
        protected_identity: false,
        synthetic: true,
    }
}

#[tokio::test]
async fn patient_versions_are_append_only_and_stale_edits_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let id = store
            .create_patient(
                &person(11, "Åsa", "Öberg"),
                Some(Queue::Triage),
                author,
                "Ny remiss",
                &create,
            )
            .await
            .unwrap();
        let grant = store
            .grant_patient_access(
                id,
                grant_on(AccessBasis::Queue),
                &entry(&actor, Action::Read, "patient.overview"),
            )
            .await
            .unwrap();
        let p = store.patient(&grant).await.unwrap();
        assert_eq!(p.current.version, 1, "{backend}");
        assert_eq!(p.current.data.family_name, "Öberg");
        assert_eq!(p.queue, Some(Queue::Triage));

        let mut changed = person(11, "Åsa", "Ek");
        changed.phone = None;
        let upd = entry(&actor, Action::Update, "patient.identity");
        assert_eq!(
            store
                .update_patient(&grant, 1, &changed, author, "Namnbyte", &upd)
                .await
                .unwrap(),
            2
        );
        // A second edit based on version 1 is stale and changes nothing.
        let stale = store
            .update_patient(
                &grant,
                1,
                &person(11, "Åsa", "Fel"),
                author,
                "Gammalt formulär",
                &upd,
            )
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let history = store.patient_history(&grant).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(history[0].data.family_name, "Ek");
        assert_eq!(history[1].data.family_name, "Öberg");
        assert_eq!(history[0].reason, "Namnbyte");
        assert_eq!(history[0].author_name, "sara Testsson");

        // The database itself refuses to rewrite history.
        assert!(
            raw_execute(&store, "UPDATE patient_versions SET family_name = 'X'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM patient_versions")
                .await
                .is_err(),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn identity_numbers_are_unique_among_current_records() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        store
            .create_patient(&person(21, "Anna", "Berg"), None, author, "r", &create)
            .await
            .unwrap();
        let before = store.access_log_len().await.unwrap();
        let dup = store
            .create_patient(&person(21, "Anna", "Berg"), None, author, "r", &create)
            .await;
        assert!(
            matches!(dup, Err(StoreError::Duplicate("personal_identity"))),
            "{backend}: {dup:?}"
        );
        // Nothing half-written: no patient, no log entry.
        assert_eq!(store.patient_count().await.unwrap(), 1);
        assert_eq!(store.access_log_len().await.unwrap(), before);
    }
}

#[tokio::test]
async fn access_log_is_append_only_and_kept_five_years() {
    for (backend, store) in fresh_stores().await {
        let (_, actor) = unit_and_account(&store, "revisor", Role::Auditor).await;
        store
            .append_access_log(&entry(&actor, Action::Login, "session"))
            .await
            .unwrap();
        assert!(
            raw_execute(&store, "UPDATE access_log SET username = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM access_log").await.is_err(),
            "{backend}"
        );
        // Pruning with a cutoff in the future would reach fresh rows: the database refuses.
        let future = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
        assert!(store.prune_access_log(future).await.is_err(), "{backend}");
        // A lawful cutoff (older than five years) removes nothing recent.
        let cutoff = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 366 * 5);
        assert_eq!(store.prune_access_log(cutoff).await.unwrap(), 0);
        assert_eq!(store.access_log_len().await.unwrap(), 1);
    }
}

#[tokio::test]
async fn search_logs_the_search_and_every_patient_listed() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let a = store
            .create_patient(
                &person(31, "Anna-Karin", "Åkesson"),
                None,
                author,
                "r",
                &create,
            )
            .await
            .unwrap();
        store
            .create_patient(&person(32, "Bo", "Åkesson"), None, author, "r", &create)
            .await
            .unwrap();
        store
            .create_patient(&person(33, "Anna", "Lind"), None, author, "r", &create)
            .await
            .unwrap();
        let search = entry(&actor, Action::Search, "patient.search");
        let hits = store
            .search_patients(
                &PatientQuery::Name(vec!["anna".into(), "åkes".into()]),
                50,
                &search,
            )
            .await
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![a],
            "{backend}"
        );
        let hits = store
            .search_patients(&PatientQuery::Name(vec!["ÅKESSON".into()]), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 2, "{backend}: case folding beyond ASCII");
        // LIKE wildcards in the input are literal.
        let hits = store
            .search_patients(&PatientQuery::Name(vec!["%".into()]), 50, &search)
            .await
            .unwrap();
        assert!(hits.is_empty(), "{backend}");
        // A former identity number still finds the person, shown with the current one.
        let grant = store
            .grant_patient_access(
                a,
                grant_on(AccessBasis::CareTeam),
                &entry(&actor, Action::Read, "test"),
            )
            .await
            .unwrap();
        let mut renumbered = person(31, "Anna-Karin", "Åkesson");
        renumbered.personal_identity = person(34, "x", "y").personal_identity;
        store
            .update_patient(
                &grant,
                1,
                &renumbered,
                author,
                "Fått personnummer",
                &entry(&actor, Action::Update, "x"),
            )
            .await
            .unwrap();
        let old_number = person(31, "x", "y").personal_identity;
        let hits = store
            .search_patients(&PatientQuery::Identity(old_number), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 1, "{backend}");
        assert_eq!(hits[0].personal_identity, renumbered.personal_identity);
        let pid = person(33, "Anna", "Lind").personal_identity;
        let hits = store
            .search_patients(&PatientQuery::Identity(pid), 50, &search)
            .await
            .unwrap();
        assert_eq!(hits.len(), 1);
        let listed = store
            .search_access_log(&LogQuery {
                patient_id: Some(a),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            listed.iter().filter(|e| e.action == "listed").count(),
            3,
            "{backend}"
        );
        let searches = store
            .search_access_log(&LogQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            searches.iter().filter(|e| e.action == "search").count(),
            5,
            "{backend}"
        );
    }
}

#[tokio::test]
async fn access_facts_follow_care_team_queue_and_emergency() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let id = store
            .create_patient(
                &person(41, "Karl", "Ek"),
                Some(Queue::Waiting),
                author,
                "r",
                &create,
            )
            .await
            .unwrap();
        let now = jiff::Timestamp::now();
        let f = store
            .access_facts(author, Role::Nurse, id, now)
            .await
            .unwrap()
            .unwrap();
        assert!(
            !f.in_care_team && f.open_emergency_access.is_none(),
            "{backend}"
        );
        assert_eq!(f.queue, Some(Queue::Waiting));
        assert!(
            store
                .access_facts(author, Role::Nurse, Uuid::now_v7(), now)
                .await
                .unwrap()
                .is_none()
        );

        store
            .seed_care_team_member(id, author, TeamFunction::FastVardkontakt, author)
            .await
            .unwrap();
        assert!(
            store
                .access_facts(author, Role::Nurse, id, now)
                .await
                .unwrap()
                .unwrap()
                .in_care_team
        );
        let grant = store
            .grant_patient_access(
                id,
                grant_on(AccessBasis::CareTeam),
                &entry(&actor, Action::Read, "x"),
            )
            .await
            .unwrap();
        let team = store.care_team(&grant).await.unwrap();
        let member = team[0].id;
        // A nurse is no prescriber: refused by the store itself, nothing written.
        let misfit = store
            .add_care_team_member(
                &grant,
                author,
                TeamFunction::Prescriber,
                author,
                &entry(&actor, Action::Update, "patient.care_team"),
            )
            .await;
        assert!(
            matches!(misfit, Err(StoreError::Refused("care_team_function"))),
            "{backend}: {misfit:?}"
        );
        assert_eq!(store.care_team(&grant).await.unwrap().len(), team.len());
        store
            .end_care_team_member(
                &grant,
                member,
                author,
                &entry(&actor, Action::Update, "patient.care_team"),
            )
            .await
            .unwrap();
        assert!(
            !store
                .access_facts(author, Role::Nurse, id, now)
                .await
                .unwrap()
                .unwrap()
                .in_care_team,
            "{backend}"
        );
        // Ending twice is refused: the first end stands.
        assert!(
            store
                .end_care_team_member(&grant, member, author, &entry(&actor, Action::Update, "x"))
                .await
                .is_err()
        );

        let expires = now + jiff::SignedDuration::from_mins(60);
        let em = store
            .open_emergency_access(
                author,
                id,
                "nurse",
                "Patienten ringer akut",
                expires,
                &entry(&actor, Action::EmergencyAccess, "patient"),
            )
            .await
            .unwrap();
        assert_eq!(
            store
                .access_facts(author, Role::Nurse, id, now)
                .await
                .unwrap()
                .unwrap()
                .open_emergency_access,
            Some(em)
        );
        // Only in the role it was taken in.
        assert_eq!(
            store
                .access_facts(author, Role::Coordinator, id, now)
                .await
                .unwrap()
                .unwrap()
                .open_emergency_access,
            None
        );
        // After expiry it no longer counts.
        let later = expires + jiff::SignedDuration::from_secs(1);
        assert_eq!(
            store
                .access_facts(author, Role::Nurse, id, later)
                .await
                .unwrap()
                .unwrap()
                .open_emergency_access,
            None
        );
        let queue = store.emergency_accesses(true, 10).await.unwrap();
        assert_eq!(queue.len(), 1);
        let review = entry(&actor, Action::Review, "emergency_access");
        store
            .review_emergency_access(em, author, true, "Befogad", &review)
            .await
            .unwrap();
        assert!(matches!(
            store
                .review_emergency_access(em, author, true, "igen", &review)
                .await,
            Err(StoreError::Stale)
        ));
        assert!(
            store.emergency_accesses(true, 10).await.unwrap().is_empty(),
            "{backend}"
        );
        let reviewed = store.emergency_access(em).await.unwrap().unwrap();
        assert_eq!(
            reviewed.review_justified,
            Some(true),
            "{backend} the outcome kept"
        );
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one and runs it"]
async fn sqlite_and_postgres_schemas_match() {
    let pg = fresh_postgres().await.unwrap_or_else(|| {
        panic!(
            "{} names no PostgreSQL server",
            trappa_store::testing::POSTGRES_ENV
        )
    });
    let sqlite = fresh_sqlite().await.schema_summary().await.unwrap();
    let postgres = pg.schema_summary().await.unwrap();
    assert!(
        sqlite.len() > 50,
        "schema summary too small: {}",
        sqlite.len()
    );
    let only_sqlite: Vec<_> = sqlite.iter().filter(|c| !postgres.contains(c)).collect();
    let only_pg: Vec<_> = postgres.iter().filter(|c| !sqlite.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in sqlite: {only_sqlite:#?}\nonly in postgres: {only_pg:#?}"
    );
}

#[test]
fn malformed_database_urls_are_refused() {
    for bad in [
        "trappa.db",
        "sqlite://",
        "mysql://localhost/x",
        "postgres://",
    ] {
        assert!(trappa_store::DatabaseUrl::parse(bad).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn the_caseload_logs_every_patient_it_lists() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let mine = store
            .create_patient(&person(51, "Eva", "Ek"), None, author, "r", &create)
            .await
            .unwrap();
        let other = store
            .create_patient(&person(52, "Bo", "Al"), None, author, "r", &create)
            .await
            .unwrap();
        store
            .seed_care_team_member(mine, author, TeamFunction::FastVardkontakt, author)
            .await
            .unwrap();
        let list = store
            .caseload(author, 50, &entry(&actor, Action::Listed, "start.caseload"))
            .await
            .unwrap();
        assert_eq!(
            list.iter().map(|c| c.patient_id).collect::<Vec<_>>(),
            vec![mine],
            "{backend}"
        );
        let log = |p| {
            let store = store.clone();
            async move {
                store
                    .search_access_log(&LogQuery {
                        patient_id: Some(p),
                        limit: 10,
                        ..Default::default()
                    })
                    .await
                    .unwrap()
            }
        };
        let listed = log(mine).await;
        assert!(listed.iter().any(|e| e.action == "listed"
            && e.resource == "start.caseload"
            && e.basis.as_deref() == Some("care_team")));
        assert!(
            !log(other).await.iter().any(|e| e.action == "listed"),
            "{backend}: only listed patients are logged"
        );
    }
}

#[tokio::test]
async fn taper_settings_are_versioned_append_only_and_stale_saves_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "lars", Role::Physician).await;
        let unit = actor.unit_id.expect("the account has a unit");
        assert_eq!(store.taper_settings(unit).await.unwrap(), None, "{backend}");
        let v1 = store
            .save_taper_settings(
                unit,
                0,
                r#"{"disabled_products":["oxascand-15"]}"#,
                author,
                "Ingen 15 mg",
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        // A second save from the same stale form is refused and writes nothing.
        let stale = store
            .save_taper_settings(unit, 0, "{}", author, "gammalt formulär")
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let forged = store
            .save_taper_settings(unit, 7, "{}", author, "hoppar")
            .await;
        assert!(
            matches!(forged, Err(StoreError::Stale)),
            "{backend}: {forged:?}"
        );
        let v2 = store
            .save_taper_settings(
                unit,
                1,
                r#"{"default_de_table":"va-dod"}"#,
                author,
                "VA/DoD",
            )
            .await
            .unwrap();
        assert_eq!(v2, 2);
        let current = store.taper_settings(unit).await.unwrap().unwrap();
        assert_eq!((current.version, current.reason.as_str()), (2, "VA/DoD"));
        assert_eq!(current.author_name, "lars Testsson");
        let history = store.taper_settings_history(unit).await.unwrap();
        assert_eq!(
            history.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(
            raw_execute(&store, "UPDATE taper_settings SET reason = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM taper_settings")
                .await
                .is_err(),
            "{backend}"
        );
        assert_eq!(store.taper_settings_history(unit).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn taper_plans_are_versioned_signed_and_logged() {
    use trappa_store::taper_plans::PlanStatus;
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "maria", Role::Physician).await;
        let create = entry(&actor, Action::Create, "patient.identity");
        let id = store
            .create_patient(
                &person(12, "Bo", "Ek"),
                Some(Queue::Triage),
                author,
                "Ny remiss",
                &create,
            )
            .await
            .unwrap();
        let grant = store
            .grant_patient_access(
                id,
                grant_on(AccessBasis::Queue),
                &entry(&actor, Action::Read, "patient.taper_plan"),
            )
            .await
            .unwrap();
        assert!(
            store.taper_plan_versions(&grant).await.unwrap().is_empty(),
            "{backend}"
        );
        let write = entry(&actor, Action::Update, "patient.taper_plan");
        let v1 = store
            .save_taper_plan_draft(
                &grant,
                0,
                r#"{"r":1}"#,
                r#"{"p":1}"#,
                author,
                "Första utkast",
                &write,
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        // A second first draft from a stale form is refused.
        let stale = store
            .save_taper_plan_draft(&grant, 0, "{}", "{}", author, "dubbel", &write)
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        let v2 = store
            .sign_taper_plan(&grant, 1, author, "Signerad", &write)
            .await
            .unwrap();
        assert_eq!(v2, 2);
        // Signing what is already signed, or an old version, is refused.
        assert!(matches!(
            store
                .sign_taper_plan(&grant, 2, author, "igen", &write)
                .await,
            Err(StoreError::Stale)
        ));
        assert!(matches!(
            store
                .sign_taper_plan(&grant, 1, author, "gammal", &write)
                .await,
            Err(StoreError::Stale)
        ));
        let versions = store.taper_plan_versions(&grant).await.unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| (v.version, v.status))
                .collect::<Vec<_>>(),
            vec![(2, PlanStatus::Active), (1, PlanStatus::Draft)]
        );
        assert_eq!(
            (
                versions[0].plan.as_str(),
                versions[0].signer_name.as_deref()
            ),
            (r#"{"p":1}"#, Some("maria Testsson"))
        );
        assert!(
            raw_execute(&store, "UPDATE taper_plan_versions SET reason = 'x'")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM taper_plan_versions")
                .await
                .is_err(),
            "{backend}"
        );
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(id),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let writes = log
            .iter()
            .filter(|e| e.resource == "patient.taper_plan" && e.action == Action::Update.code())
            .count();
        assert_eq!(
            writes, 2,
            "{backend}: the draft and the signature are logged"
        );
    }
}

#[tokio::test]
async fn scores_are_append_only_with_corrections_and_logged() {
    use trappa_store::scores::NewScore;
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "sara", Role::Nurse).await;
        let id = store
            .create_patient(
                &person(13, "Ann", "Berg"),
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
                &entry(&actor, Action::Read, "patient.scores"),
            )
            .await
            .unwrap();
        let write = entry(&actor, Action::Create, "patient.scores");
        let score = |total: f64, corrects: Option<Uuid>| NewScore {
            instrument: "cows".into(),
            observed_on: date(2027, 1, 19),
            total,
            band: "mild".into(),
            items: None,
            flags: vec!["patient_asks_pause".into()],
            note: String::new(),
            corrects,
            reason: if corrects.is_some() {
                "Felräknat".into()
            } else {
                String::new()
            },
        };
        let first = store
            .record_score(&grant, &score(8.0, None), author, &write)
            .await
            .unwrap();
        let fixed = store
            .record_score(&grant, &score(9.0, Some(first)), author, &write)
            .await
            .unwrap();
        // Correcting the same score twice is stale; an unknown one is not found.
        assert!(
            matches!(
                store
                    .record_score(&grant, &score(10.0, Some(first)), author, &write)
                    .await,
                Err(StoreError::Stale)
            ),
            "{backend}"
        );
        assert!(matches!(
            store
                .record_score(&grant, &score(10.0, Some(Uuid::now_v7())), author, &write)
                .await,
            Err(StoreError::NotFound)
        ));
        let all = store.scores(&grant).await.unwrap();
        assert_eq!(all.len(), 2, "{backend}");
        let original = all.iter().find(|s| s.id == first).unwrap();
        assert_eq!((original.total, original.corrected_by), (8.0, Some(fixed)));
        let correction = all.iter().find(|s| s.id == fixed).unwrap();
        assert_eq!(
            (
                correction.corrects,
                correction.flags.as_slice(),
                correction.observed_on
            ),
            (
                Some(first),
                &["patient_asks_pause".to_owned()][..],
                date(2027, 1, 19)
            )
        );
        assert!(
            raw_execute(&store, "UPDATE scores SET total = 0")
                .await
                .is_err(),
            "{backend}"
        );
        assert!(
            raw_execute(&store, "DELETE FROM scores").await.is_err(),
            "{backend}"
        );
    }
}

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

#[tokio::test]
async fn unit_documents_are_versioned_by_kind_append_only_and_stale_saves_refused() {
    for (backend, store) in fresh_stores().await {
        let (author, actor) = unit_and_account(&store, "kim", Role::Coordinator).await;
        let unit = actor.unit_id.expect("the account has a unit");
        assert_eq!(store.document(unit, "planning_setup").await.unwrap(), None);
        let v1 = store
            .save_document(
                unit,
                "planning_setup",
                0,
                r#"{"staff":[]}"#,
                author,
                "Start",
            )
            .await
            .unwrap();
        let w1 = store
            .save_document(unit, "week_plan:2026-12-07", 0, "{}", author, "Planerad")
            .await
            .unwrap();
        assert_eq!((v1, w1), (1, 1), "{backend}: kinds are versioned apart");
        let stale = store
            .save_document(unit, "planning_setup", 0, "{}", author, "gammalt")
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale)),
            "{backend}: {stale:?}"
        );
        store
            .save_document(
                unit,
                "week_plan:2026-12-07",
                1,
                "{\"a\":1}",
                author,
                "Omplanerad",
            )
            .await
            .unwrap();
        let current = store
            .document(unit, "week_plan:2026-12-07")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((current.version, current.body.as_str()), (2, "{\"a\":1}"));
        assert_eq!(
            store
                .document_history(unit, "week_plan:2026-12-07")
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            store.document_kinds(unit, "week_plan:").await.unwrap(),
            vec!["week_plan:2026-12-07".to_owned()]
        );
        for sql in [
            "UPDATE unit_documents SET reason = 'x'",
            "DELETE FROM unit_documents",
        ] {
            assert!(raw_execute(&store, sql).await.is_err(), "{backend}: {sql}");
        }
    }
}

#[tokio::test]
async fn planning_lists_patients_with_a_care_team_and_logs_each() {
    for (backend, store) in fresh_stores().await {
        let (nurse, actor) = unit_and_account(&store, "kim", Role::Nurse).await;
        let in_care = store
            .create_patient(
                &person(1, "Anna", "Andersson"),
                None,
                nurse,
                "Ny",
                &entry(&actor, Action::Create, "patient"),
            )
            .await
            .unwrap();
        store
            .create_patient(
                &person(2, "Bo", "Berg"),
                None,
                nurse,
                "Ny",
                &entry(&actor, Action::Create, "patient"),
            )
            .await
            .unwrap();
        store
            .seed_care_team_member(in_care, nurse, TeamFunction::FastVardkontakt, nurse)
            .await
            .unwrap();
        let listed = store
            .planning_patients(&entry(&actor, Action::Listed, "week_plan"))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "{backend}");
        assert_eq!(listed[0].patient_id, in_care);
        assert_eq!(listed[0].team, vec![(nurse, TeamFunction::FastVardkontakt)]);
        let log = store
            .search_access_log(&LogQuery {
                patient_id: Some(in_care),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "listed" && e.basis.as_deref() == Some("planning")),
            "{backend}: {log:?}"
        );
    }
}
