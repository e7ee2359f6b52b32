//! Notices on every backend: queued for the channels the patient chose, claimed once,
//! retried with a growing wait when the channel fails, never sent twice.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::{SignedDuration, Timestamp};
use trappa_app::notify::{self, Channel, Notice, NoticeKind, Sender, Sending, SettingsInput};
use trappa_policy::Role;
use trappa_store::access_log::Action;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{caller, registered, unit};

/// An e-mail channel that fails its first `failures` sends and keeps what it sent.
struct Flaky {
    failures: usize,
    calls: AtomicUsize,
    sent: std::sync::Mutex<Vec<Notice>>,
}

impl Sender for Flaky {
    fn channel(&self) -> Channel {
        Channel::Email
    }
    fn send<'a>(&'a self, notice: &'a Notice) -> Sending<'a> {
        Box::pin(async move {
            if self.calls.fetch_add(1, Ordering::SeqCst) < self.failures {
                return Err("421 try again later".to_owned());
            }
            self.sent.lock().unwrap().push(notice.clone());
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_failed_notice_is_tried_again_later_and_sent_once() {
    for (backend, store) in fresh_stores().await {
        let u = unit(&store, "NT", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "nurse", Role::Nurse, u).await;
        let opened = registered(&store, &nurse, 41, Action::Read).await;
        let patient = opened.id();
        // Nothing chosen: nothing queued.
        notify::queue(&store, patient, NoticeKind::Message).await;
        let me = support::patient_caller(&store, patient, "vera").await;
        assert!(
            store
                .notices_of(me.account_id, 10)
                .await
                .unwrap()
                .is_empty(),
            "[{backend}]"
        );

        let own =
            trappa_app::access::open(&store, &me, patient, Action::Update, notify::OWN_RESOURCE)
                .await
                .unwrap();
        notify::save_settings(
            &store,
            &me,
            &own,
            &SettingsInput {
                email: "vera@example.se".into(),
                by_email: true,
            },
        )
        .await
        .unwrap();
        // The care team cannot choose for the patient.
        assert!(
            notify::save_settings(&store, &nurse, &opened, &SettingsInput::default())
                .await
                .is_err(),
            "[{backend}]"
        );
        notify::queue(&store, patient, NoticeKind::Message).await;
        assert_eq!(
            store.notices_of(me.account_id, 10).await.unwrap().len(),
            1,
            "[{backend}]"
        );

        let flaky = Arc::new(Flaky {
            failures: 1,
            calls: AtomicUsize::new(0),
            sent: Default::default(),
        });
        let senders: Vec<Arc<dyn Sender>> = vec![flaky.clone()];
        let t0 = Timestamp::now();
        let link = "https://trappa.example/mina-sidor";
        let first = notify::deliver_due(&store, &senders, link, t0)
            .await
            .unwrap();
        assert_eq!(
            (first.sent, first.failed),
            (0, 1),
            "[{backend}] the first try fails"
        );
        let again = notify::deliver_due(&store, &senders, link, t0)
            .await
            .unwrap();
        assert_eq!(
            (again.sent, again.failed),
            (0, 0),
            "[{backend}] not before its wait"
        );
        let later = t0 + SignedDuration::from_mins(3);
        let second = notify::deliver_due(&store, &senders, link, later)
            .await
            .unwrap();
        assert_eq!(
            (second.sent, second.failed),
            (1, 0),
            "[{backend}] sent on the retry"
        );
        let done = notify::deliver_due(
            &store,
            &senders,
            link,
            later + SignedDuration::from_hours(48),
        )
        .await
        .unwrap();
        assert_eq!((done.sent, done.failed), (0, 0), "[{backend}] never twice");
        let sent = flaky.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 1, "[{backend}]");
        assert_eq!(sent[0].to, "vera@example.se", "[{backend}]");
        assert!(
            sent[0]
                .body
                .starts_with("Du har ett nytt meddelande i Trappa."),
            "[{backend}]"
        );
        let queued = store.notices_of(me.account_id, 10).await.unwrap();
        assert_eq!(
            (queued[0].attempts, queued[0].sent_at.is_some()),
            (2, true),
            "[{backend}]"
        );

        // Two workers claiming at once: one gets the notice.
        notify::queue(&store, patient, NoticeKind::Plan).await;
        let at = Timestamp::now();
        let (a, b) = tokio::join!(
            store.claim_notices(
                at,
                at + SignedDuration::from_mins(5),
                notify::MAX_ATTEMPTS,
                10
            ),
            store.claim_notices(
                at,
                at + SignedDuration::from_mins(5),
                notify::MAX_ATTEMPTS,
                10
            ),
        );
        assert_eq!(
            a.unwrap().len() + b.unwrap().len(),
            1,
            "[{backend}] claimed once"
        );
    }
}

#[tokio::test]
async fn a_questionnaire_due_is_reminded_of_once_per_round() {
    use jiff::ToSpan;
    use trappa_app::reports::{self, AssignInput};
    use trappa_scales::assigned::Rhythm;
    let instruments = trappa_scales::Instruments::builtin().unwrap();
    let phq9 = instruments.get("phq-9").unwrap();
    let job = trappa_store::access_log::Actor::system("reminders-test");
    for (backend, store) in fresh_stores().await {
        let u = unit(&store, "NT", UnitKind::TaperingUnit).await;
        let nurse = caller(&store, "nurse", Role::Nurse, u).await;
        let opened = registered(&store, &nurse, 42, Action::Read).await;
        let patient = opened.id();
        let me = support::patient_caller(&store, patient, "ulla").await;
        let today = trappa_app::clock::today();
        reports::assign(
            &store,
            &nurse,
            &opened,
            &instruments,
            &AssignInput {
                instrument: "phq-9".into(),
                rhythm: Rhythm::EveryDays { days: 7 },
                starts_on: today,
                cutoffs: None,
                reason: "Följa stämningsläget".into(),
            },
        )
        .await
        .unwrap();
        // Due, but the patient chose no channel: nothing, and nothing read.
        assert_eq!(
            notify::remind_due(&store, &job, today).await.unwrap(),
            0,
            "[{backend}]"
        );
        assert_eq!(reminder_reads(&store, patient).await, 0, "[{backend}]");
        let own =
            trappa_app::access::open(&store, &me, patient, Action::Update, "own.notifications")
                .await
                .unwrap();
        notify::save_settings(
            &store,
            &me,
            &own,
            &SettingsInput {
                email: "ulla@example.se".into(),
                by_email: true,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            notify::remind_due(&store, &job, today).await.unwrap(),
            1,
            "[{backend}] reminded"
        );
        assert_eq!(
            notify::remind_due(&store, &job, today).await.unwrap(),
            0,
            "[{backend}] once per round, however often the job runs"
        );
        let queued = store.notices_of(me.account_id, 10).await.unwrap();
        assert_eq!(queued.len(), 1, "[{backend}]");
        assert_eq!(queued[0].kind, "questionnaire", "[{backend}]");
        // Answered: nothing more this round; the next round is reminded of again.
        reports::record_own_score(
            &store,
            &me,
            &own,
            phq9,
            trappa_scales::Answers::Items {
                values: vec![0; 9],
                band: None,
            },
            None,
            today,
        )
        .await
        .unwrap();
        let later = today.saturating_add(3.days());
        assert_eq!(
            notify::remind_due(&store, &job, later).await.unwrap(),
            0,
            "[{backend}] answered this round"
        );
        let next_round = today.saturating_add(7.days());
        assert_eq!(
            notify::remind_due(&store, &job, next_round).await.unwrap(),
            1,
            "[{backend}] the next round"
        );
        // The job's reads are on the patient's log, as Trappa's: one per run.
        assert_eq!(reminder_reads(&store, patient).await, 4, "[{backend}]");
    }
}

/// How many times Trappa's reminder job read the patient's questionnaires, by the log.
async fn reminder_reads(store: &trappa_store::Store, patient: trappa_store::Uuid) -> usize {
    let log = store
        .search_access_log(&trappa_store::access_log::LogQuery {
            patient_id: Some(patient),
            limit: 1_000,
            ..Default::default()
        })
        .await
        .unwrap();
    log.iter()
        .filter(|e| {
            e.resource == notify::REMINDER_RESOURCE
                && e.username == trappa_store::access_log::SYSTEM_USERNAME
                && e.account_id.is_none()
        })
        .count()
}
