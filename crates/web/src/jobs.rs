//! Heavy work a user starts and then follows on a page of its own: the week planner's
//! proposal, which searches for its whole time budget (ten seconds by default).
//!
//! A request that waited for such work would hold the coordinator's page for the whole
//! search, with nothing to show. Here the POST starts a job and answers at once with the
//! job's page, which shows how far it has come (and, with JavaScript, updates itself).
//!
//! A job's state lives in the database (`trappa_store::work_jobs`), not in one
//! instance's memory: behind a load balancer every instance shows the same job, any of
//! them stops it, and the result is there for all once written. The instance that runs
//! the work keeps only the flag its work polls ([`Running`]); it beats the job's heart
//! every tick and reads back whether anyone asked it to stop. A job whose heart stops
//! (its instance died) is ended as lost after [`LOST_AFTER`].
//!
//! Work nobody waits for is not done: a job whose page nobody has looked at for
//! [`crate::state::WebConfig::abandon_after_seconds`] is stopped, as is one its user stops.
//! A second request for the same thing joins the job already running, and a unit has at
//! most [`MAX_PER_UNIT`] unfinished jobs, so repeated clicks cannot queue up searches.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use trappa_store::work_jobs::{JobRow, JobStart, NewJob};
use trappa_store::{Store, StoreError, Uuid};

use crate::work::Cancel;
use crate::work::Meters;

/// Unfinished jobs a unit may have at once (a week and its neighbours).
pub const MAX_PER_UNIT: usize = 3;

/// How long a finished job's page still tells what became of it.
const KEEP_FINISHED: Duration = Duration::from_secs(15 * 60);

/// A job whose running instance has not beaten its heart for this long is lost (the
/// heart beats at least every second).
pub const LOST_AFTER: Duration = Duration::from_secs(30);

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: its result is the document version given.
    Done(i64),
    /// Stopped before it was done.
    Stopped(StopCause),
    /// It failed, or its instance died; the cause is in the server log.
    Failed,
}

/// Why a job was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// Its user stopped it.
    ByUser,
    /// Nobody looked at its page for a while.
    Abandoned,
}

impl StopCause {
    fn code(self) -> &'static str {
        match self {
            StopCause::ByUser => "by_user",
            StopCause::Abandoned => "abandoned",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "by_user" => Some(StopCause::ByUser),
            "abandoned" => Some(StopCause::Abandoned),
            _ => None,
        }
    }
}

/// Where a job is, as its page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Waiting for its turn (other heavy work holds the cores).
    Waiting,
    /// Working: seconds spent of at most `limit`.
    Working {
        /// Seconds since the work began.
        elapsed: f64,
        /// The work's time budget in seconds.
        limit: f64,
    },
    /// Finished, one way or another.
    Finished(Outcome),
}

/// A job as every instance sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The job's id, in its page's address.
    pub id: Uuid,
    /// The unit whose staff may follow it.
    pub unit: Uuid,
    /// What it makes (e.g. `week:2026-12-07`): a second request for it joins this job.
    pub key: String,
    /// Where it is.
    pub progress: Progress,
}

impl Job {
    fn of(row: JobRow, now: i64) -> Job {
        let stopped = row.stop_cause.as_deref().and_then(StopCause::parse);
        // A heart that stopped is a dead instance: the job ended, whoever looks first.
        let lost = row.outcome.is_none() && now - row.beat_ms > ms(LOST_AFTER);
        let outcome = if lost {
            Some("lost")
        } else {
            row.outcome.as_deref()
        };
        let progress = match (outcome, row.began_ms) {
            (Some("done"), _) => Progress::Finished(Outcome::Done(row.result_version.unwrap_or(0))),
            (Some("stopped"), _) => {
                Progress::Finished(stopped.map_or(Outcome::Failed, Outcome::Stopped))
            }
            (Some(_), _) => Progress::Finished(Outcome::Failed),
            (None, None) => Progress::Waiting,
            (None, Some(began)) => Progress::Working {
                elapsed: ((now - began) as f64 / 1000.0).clamp(0.0, row.time_limit),
                limit: row.time_limit,
            },
        };
        Job {
            id: row.id,
            unit: row.unit_id,
            key: row.job_key,
            progress,
        }
    }

    /// Whether it is still unfinished.
    #[cfg(test)]
    fn is_unfinished(&self) -> bool {
        !matches!(self.progress, Progress::Finished(_))
    }
}

/// The side of a job on the instance that runs its work: the flag the work polls, and
/// when it got its turn.
#[derive(Debug, Default)]
pub struct Running {
    cancel: Cancel,
    /// Why the flag was raised here, for the job's record.
    cause: Mutex<Option<StopCause>>,
    /// Milliseconds since 1970 when the work began; 0 until then.
    began_ms: AtomicI64,
    done: AtomicBool,
}

impl Running {
    /// The flag the work polls.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// Marks the moment the work got its turn (the time shown counts from here; the
    /// next heartbeat writes it).
    pub fn began(&self) {
        let _ = self
            .began_ms
            .compare_exchange(0, now_ms(), Ordering::AcqRel, Ordering::Acquire);
    }

    fn cause(&self) -> MutexGuard<'_, Option<StopCause>> {
        self.cause.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn began_at(&self) -> Option<i64> {
        Some(self.began_ms.load(Ordering::Acquire)).filter(|&ms| ms > 0)
    }
}

/// Too many unfinished jobs for the unit: the request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The jobs this instance runs (their flags); the jobs themselves are in the database.
#[derive(Debug, Default)]
pub struct Jobs {
    running: Arc<Mutex<HashMap<Uuid, Arc<Running>>>>,
}

impl Jobs {
    fn running(&self) -> MutexGuard<'_, HashMap<Uuid, Arc<Running>>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The unit's job `id` (another unit's is as unknown as none); counts as a look at
    /// its page, so a job looked at is not abandoned.
    pub async fn look(
        &self,
        store: &Store,
        unit: Uuid,
        id: Uuid,
    ) -> Result<Option<Job>, StoreError> {
        let now = now_ms();
        Ok(store
            .look_at_job(unit, id, now)
            .await?
            .map(|row| Job::of(row, now)))
    }

    /// The unit's unfinished job making `key`, if there is one (a lost one is not).
    pub async fn unfinished(
        &self,
        store: &Store,
        unit: Uuid,
        key: &str,
    ) -> Result<Option<Job>, StoreError> {
        let now = now_ms();
        Ok(store
            .unfinished_job(unit, key)
            .await?
            .map(|row| Job::of(row, now))
            .filter(|job| !matches!(job.progress, Progress::Finished(_))))
    }

    /// The unit's unfinished job making `key` (on any instance), or a new one doing
    /// `work` here (on the async runtime; heavy parts of it go through
    /// [`crate::work::run_with`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn start<F, Fut, S: Meters>(
        &self,
        store: &Store,
        state: &S,
        kind: &'static str,
        unit: Uuid,
        key: String,
        limit: f64,
        work: F,
    ) -> Result<Result<Job, Busy>, StoreError>
    where
        F: FnOnce(Arc<Running>) -> Fut,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let now = now_ms();
        let asked = NewJob {
            unit,
            key: &key,
            limit,
            now_ms: now,
            max_unfinished: MAX_PER_UNIT as i64,
            lost_before_ms: now - ms(LOST_AFTER),
            forget_before_ms: now - ms(KEEP_FINISHED),
        };
        let row = match store.start_job(&asked).await? {
            JobStart::Busy => return Ok(Err(Busy)),
            JobStart::Joined(row) => return Ok(Ok(Job::of(row, now))),
            JobStart::Started(row) => row,
        };
        let id = row.id;
        let running = Arc::new(Running::default());
        self.running().insert(id, running.clone());
        let future = work(running.clone());
        let (finisher, finished) = (store.clone(), running.clone());
        let registry = self.running.clone();
        tokio::spawn(async move {
            // A panic in the work is a failure, not a job left running for ever.
            let outcome = tokio::spawn(future).await.unwrap_or(Outcome::Failed);
            finished.done.store(true, Ordering::Release);
            // Told to stop and gave nothing: stopped, for the cause recorded (in the
            // database by any instance, or here).
            let recorded = match finisher.job(id).await {
                Ok(Some(row)) => row.stop_cause.as_deref().and_then(StopCause::parse),
                _ => None,
            };
            let cause = recorded.or(*finished.cause());
            let (code, version, cause) = match (outcome, cause) {
                (Outcome::Done(v), _) => ("done", Some(v), None),
                (Outcome::Stopped(c), _) | (Outcome::Failed, Some(c)) => ("stopped", None, Some(c)),
                (Outcome::Failed, None) => ("failed", None, None),
            };
            let ended = finisher
                .finish_job(id, code, cause.map(StopCause::code), version, now_ms())
                .await;
            match ended {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job = %id, outcome = code, "a job ended after it was given up as lost");
                }
                Err(e) => {
                    tracing::error!(error = %e, job = %id, "a job's end could not be recorded");
                }
            }
            registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
        });
        let (watcher, state) = (store.clone(), state.clone());
        tokio::spawn(async move {
            let abandon_after = state.abandon_after();
            let tick =
                (abandon_after / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
            while !running.done.load(Ordering::Acquire) {
                let now = now_ms();
                match watcher.beat_job(id, now, running.began_at()).await {
                    // Ended already (given up as lost while its heart could not beat):
                    // stop the work, another run may have begun.
                    Ok(Some(row)) if row.outcome.is_some() => {
                        raise(&state, kind, id, &running, StopCause::Abandoned);
                    }
                    Ok(Some(row)) => {
                        let cause = row.stop_cause.as_deref().and_then(StopCause::parse);
                        let unseen = now - row.seen_ms > ms(abandon_after);
                        if cause.is_none() && unseen {
                            let _ = watcher
                                .stop_job(row.unit_id, id, StopCause::Abandoned.code())
                                .await;
                        }
                        if let Some(cause) = cause.or(unseen.then_some(StopCause::Abandoned)) {
                            raise(&state, kind, id, &running, cause);
                        }
                    }
                    Ok(None) => raise(&state, kind, id, &running, StopCause::Abandoned),
                    // The database is away: the work goes on; the next beat tries again.
                    Err(e) => tracing::warn!(error = %e, job = %id, "a job's heartbeat failed"),
                }
                tokio::time::sleep(tick).await;
            }
        });
        Ok(Ok(Job::of(row, now)))
    }

    /// Asks the unit's job `id` to stop, for `cause`, wherever it runs (at once if here,
    /// within a heartbeat elsewhere); the first cause given is the one kept.
    pub async fn stop<S: Meters>(
        &self,
        store: &Store,
        state: &S,
        kind: &'static str,
        unit: Uuid,
        id: Uuid,
        cause: StopCause,
    ) -> Result<(), StoreError> {
        // Only a job of the caller's unit that this call asked to stop is raised here.
        if store.stop_job(unit, id, cause.code()).await? {
            let here = self.running().get(&id).cloned();
            if let Some(running) = here {
                raise(state, kind, id, &running, cause);
            }
        }
        Ok(())
    }
}

/// Raises a running job's flag (once), counting and logging why.
fn raise(state: &impl Meters, kind: &'static str, id: Uuid, running: &Running, cause: StopCause) {
    if running.cancel.is_cancelled() || running.done.load(Ordering::Acquire) {
        return;
    }
    running.cause().get_or_insert(cause);
    running.cancel.raise();
    state.metrics().work_cancelled(kind);
    tracing::info!(work = kind, job = %id, ?cause, "job told to stop");
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::state::AppState;
    use trappa_store::units::{UnitInput, UnitKind};

    async fn state(abandon_after_seconds: f64) -> AppState {
        AppState::new(
            trappa_store::testing::fresh_sqlite().await,
            crate::state::WebConfig {
                abandon_after_seconds,
                ..crate::state::WebConfig::local()
            },
        )
    }

    async fn unit(store: &Store, code: &str) -> Uuid {
        store
            .upsert_unit(&UnitInput {
                kind: UnitKind::TaperingUnit,
                code: code.into(),
                name: format!("Enhet {code}"),
                hsa_id: None,
                kommunkod: None,
                municipality_name: None,
                lat: None,
                lon: None,
                population: None,
                source: "test".into(),
            })
            .await
            .unwrap()
    }

    async fn until_finished(jobs: &Jobs, store: &Store, unit: Uuid, id: Uuid) -> Progress {
        for _ in 0..500 {
            let job = jobs.look(store, unit, id).await.unwrap().unwrap();
            if !job.is_unfinished() {
                return job.progress;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("job {id} never finished");
    }

    async fn waits_to_be_stopped(job: Arc<Running>) -> Outcome {
        while !job.cancel().is_cancelled() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Outcome::Failed
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_request_joins_the_job_and_a_unit_has_at_most_three() {
        let state = state(60.0).await;
        let store = state.store().clone();
        let jobs = Jobs::default();
        let unit = unit(&store, "a").await;
        let start = |unit: Uuid, key: &'static str| {
            jobs.start(
                &store,
                &state,
                "test",
                unit,
                key.into(),
                1.0,
                waits_to_be_stopped,
            )
        };
        let first = start(unit, "week:a").await.unwrap().unwrap();
        let again = start(unit, "week:a").await.unwrap().unwrap();
        assert_eq!(first.id, again.id, "the same work is not started twice");
        for key in ["week:b", "week:c"] {
            start(unit, key).await.unwrap().unwrap();
        }
        assert_eq!(start(unit, "week:d").await.unwrap(), Err(Busy));
        let other_unit = self::unit(&store, "b").await;
        assert!(
            start(other_unit, "week:d").await.unwrap().is_ok(),
            "another unit's jobs do not count"
        );
        assert!(
            jobs.look(&store, other_unit, first.id)
                .await
                .unwrap()
                .is_none(),
            "not another unit's"
        );
        jobs.stop(&store, &state, "test", unit, first.id, StopCause::ByUser)
            .await
            .unwrap();
        assert_eq!(
            until_finished(&jobs, &store, unit, first.id).await,
            Progress::Finished(Outcome::Stopped(StopCause::ByUser))
        );
        assert!(
            start(unit, "week:d").await.unwrap().is_ok(),
            "a finished job frees its place"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_nobody_looks_at_is_stopped_and_one_looked_at_is_not() {
        let state = state(0.3).await;
        let store = state.store().clone();
        let jobs = Jobs::default();
        let unit = unit(&store, "a").await;
        let works = |job: Arc<Running>| async move {
            job.began();
            for _ in 0..150 {
                if job.cancel().is_cancelled() {
                    return Outcome::Failed;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Outcome::Done(7)
        };
        let left = jobs
            .start(&store, &state, "test", unit, "left".into(), 1.5, works)
            .await
            .unwrap()
            .unwrap();
        let followed = jobs
            .start(&store, &state, "test", unit, "followed".into(), 1.5, works)
            .await
            .unwrap()
            .unwrap();
        let mut seen = Vec::new();
        loop {
            let job = jobs.look(&store, unit, followed.id).await.unwrap().unwrap();
            if !job.is_unfinished() {
                assert_eq!(job.progress, Progress::Finished(Outcome::Done(7)));
                break;
            }
            seen.push(job.progress);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            seen.iter()
                .any(|p| matches!(p, Progress::Working { elapsed, limit } if *elapsed > 0.0 && *limit == 1.5)),
            "{seen:?}"
        );
        assert_eq!(
            jobs.look(&store, unit, left.id)
                .await
                .unwrap()
                .unwrap()
                .progress,
            Progress::Finished(Outcome::Stopped(StopCause::Abandoned))
        );
    }

    /// Two instances over one database: the second sees the first's job, joins it
    /// instead of starting it again, and stops it; a job whose instance died is lost.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_instance_sees_joins_and_stops_the_job() {
        let state = state(60.0).await;
        let store = state.store().clone();
        let (here, there) = (Jobs::default(), Jobs::default());
        let unit = unit(&store, "a").await;
        let job = here
            .start(
                &store,
                &state,
                "test",
                unit,
                "week:a".into(),
                1.0,
                waits_to_be_stopped,
            )
            .await
            .unwrap()
            .unwrap();
        let seen = there.look(&store, unit, job.id).await.unwrap().unwrap();
        assert!(seen.is_unfinished());
        let joined = there
            .start(
                &store,
                &state,
                "test",
                unit,
                "week:a".into(),
                1.0,
                |_| -> std::future::Ready<Outcome> { panic!("run twice") },
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(joined.id, job.id);
        there
            .stop(&store, &state, "test", unit, job.id, StopCause::ByUser)
            .await
            .unwrap();
        assert_eq!(
            until_finished(&there, &store, unit, job.id).await,
            Progress::Finished(Outcome::Stopped(StopCause::ByUser)),
            "stopped within a heartbeat of the instance that runs it"
        );

        // An instance that dies leaves its job unfinished; the next start ends it as
        // lost once its heart has been still for LOST_AFTER.
        let now = now_ms();
        let asked = |now: i64| NewJob {
            unit,
            key: "week:b",
            limit: 1.0,
            now_ms: now,
            max_unfinished: 3,
            lost_before_ms: now - ms(LOST_AFTER),
            forget_before_ms: now - ms(KEEP_FINISHED),
        };
        let JobStart::Started(orphan) = store.start_job(&asked(now)).await.unwrap() else {
            panic!("started");
        };
        let later = now + ms(LOST_AFTER) + 1_000;
        assert_eq!(
            Job::of(store.job(orphan.id).await.unwrap().unwrap(), later).progress,
            Progress::Finished(Outcome::Failed),
            "lost as soon as anyone looks, before any new start"
        );
        let JobStart::Started(again) = store.start_job(&asked(later)).await.unwrap() else {
            panic!("a lost job is not joined");
        };
        assert_ne!(again.id, orphan.id);
        assert_eq!(
            Job::of(store.job(orphan.id).await.unwrap().unwrap(), later).progress,
            Progress::Finished(Outcome::Failed)
        );
    }
}
