//! The access log and the facts access is decided on.

use trappa_store::access_log::{Action, LogQuery};
use trappa_store::care_team::TeamFunction;
use trappa_store::testing::{fresh_stores, raw_execute};
use trappa_store::{StoreError, Uuid};

use super::*;

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

/// On PostgreSQL the log is partitioned by month: each month's rows go to their own
/// partition, a row outside the months made goes to the default one and is still found,
/// every partition keeps the log's guards, and retention drops whole months before the
/// cutoff — never within five years, never the cutoff's own month.
#[tokio::test]
async fn access_log_months_are_partitions_and_retention_drops_them() {
    let Some(store) = trappa_store::testing::fresh_postgres().await else {
        eprintln!("no PostgreSQL: the access log is partitioned there only");
        return;
    };
    let (_, actor) = unit_and_account(&store, "revisor", Role::Auditor).await;
    let today = jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::UTC);
    let utc = |d: jiff::civil::Date| d.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
    // The 10th of this month seven years ago: a hundred rows a second apart stay in it.
    let old = utc(date(today.year() - 7, today.month(), 10));
    let made = store.ensure_access_log_partitions(old, 12).await.unwrap();
    assert!(made >= 7 * 12, "{made} months made");
    let again = store.ensure_access_log_partitions(old, 12).await.unwrap();
    assert_eq!(again, 0, "made once");
    store
        .bulk_insert_access_log(&actor, &[], 100, old)
        .await
        .unwrap();
    let ahead = utc(date(today.year() + 3, 1, 1));
    store
        .bulk_insert_access_log(&actor, &[], 1, ahead)
        .await
        .unwrap();
    store
        .append_access_log(&entry(&actor, Action::Login, "session"))
        .await
        .unwrap();
    let month = |t: jiff::Timestamp| {
        let d = t.to_zoned(jiff::tz::TimeZone::UTC);
        format!("access_log_y{:04}m{:02}", d.year(), d.month())
    };
    let held = |sql: &str| {
        let store = &store;
        let sql = sql.to_owned();
        async move {
            trappa_store::testing::raw_strings(store, &sql)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        held("SELECT DISTINCT tableoid::regclass::text FROM access_log WHERE username = 'revisor' AND at < now() - interval '6 years'").await,
        vec![month(old)],
        "an old month's rows are in its partition"
    );
    assert_eq!(
        held("SELECT DISTINCT tableoid::regclass::text FROM access_log WHERE at > now() + interval '2 years'").await,
        vec!["access_log_default".to_owned()],
        "a row beyond the months made is in the default partition"
    );
    let far = store
        .search_access_log(&LogQuery {
            from: Some(ahead),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(far.len(), 1, "and found");
    // Every partition keeps the log's guards.
    let old_month = month(old);
    for sql in [
        format!("TRUNCATE {old_month}"),
        "TRUNCATE access_log_default".to_owned(),
        format!("UPDATE {old_month} SET username = 'x'"),
        "DELETE FROM access_log WHERE at > now() - interval '1 day'".to_owned(),
    ] {
        let leaked: &'static str = Box::leak(sql.clone().into_boxed_str());
        assert!(raw_execute(&store, leaked).await.is_err(), "{sql}");
    }

    // Retention: never within five years; else whole months before the cutoff.
    let four_years = utc(date(today.year() - 4, today.month(), 1));
    assert!(store.prune_access_log(four_years).await.is_err());
    let cutoff = utc(date(today.year() - 6, today.month(), 15));
    let before = store.access_log_len().await.unwrap();
    assert_eq!(store.prune_access_log(cutoff).await.unwrap(), 100);
    assert_eq!(store.access_log_len().await.unwrap(), before - 100);
    let months = held("SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'access_log'::regclass ORDER BY 1").await;
    assert!(!months.contains(&old_month), "the old month is dropped");
    assert!(
        months.contains(&month(cutoff)),
        "the cutoff's own month is kept whole"
    );
    assert!(
        months
            .iter()
            .filter(|m| m.as_str() != "access_log_default")
            .all(|m| *m >= month(cutoff)),
        "no month wholly before the cutoff is left: {months:?}"
    );
}

/// The access facts follow the care team, the queue and an emergency access, on both
/// backends. Long by design: a journey whose every step reads what the steps before it
/// left, so it is kept as one story told in order.
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
