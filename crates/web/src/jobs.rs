//! Heavy work a user starts and then follows on a page of its own: the week planner's
//! proposal, which searches for its whole time budget (ten seconds by default).
//!
//! A request that waited for such work would hold the coordinator's page for the whole
//! search, with nothing to show. Here the POST starts a [`Job`] and answers at once
//! with the job's page, which shows how far it has come (and, with JavaScript, updates
//! itself); the result is written to the database by the job, so any page — and any
//! instance — can show it once it is there.
//!
//! Work nobody waits for is not done: a job whose page nobody has looked at for
//! [`crate::state::WebConfig::abandon_after_seconds`] is stopped, as is one its user stops.
//! A second request for the same thing joins the job already running, and a unit has at
//! most [`MAX_PER_UNIT`] unfinished jobs, so repeated clicks cannot queue up searches.
//! Jobs live in this process's memory: after a restart a job's page says it is gone
//! (its result, if it was written, is still in the database).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use trappa_store::Uuid;

use crate::work::Cancel;
use crate::work::Meters;

/// Unfinished jobs a unit may have at once (a week and its neighbours).
pub const MAX_PER_UNIT: usize = 3;

/// How long a finished job's page still tells what became of it.
const KEEP_FINISHED: Duration = Duration::from_secs(15 * 60);

/// What became of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: its result is the document version given.
    Done(i64),
    /// Stopped before it was done.
    Stopped(StopCause),
    /// It failed; the cause is in the server log.
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

/// One piece of work a user follows.
#[derive(Debug)]
pub struct Job {
    /// The job's id, in its page's address.
    pub id: Uuid,
    /// The unit whose staff may follow it.
    pub unit: Uuid,
    /// What it makes (e.g. `week:2026-12-07`): a second request for it joins this job.
    pub key: String,
    /// The work's time budget in seconds.
    pub limit: f64,
    cancel: Cancel,
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    seen: Instant,
    began: Option<Instant>,
    stop: Option<StopCause>,
    outcome: Option<Outcome>,
    finished: Option<Instant>,
}

impl Job {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the job is; counts as a look at its page (a job looked at is not abandoned).
    pub fn look(&self) -> Progress {
        let mut inner = self.inner();
        inner.seen = Instant::now();
        match (&inner.outcome, inner.began) {
            (Some(outcome), _) => Progress::Finished(outcome.clone()),
            (None, None) => Progress::Waiting,
            (None, Some(began)) => Progress::Working {
                elapsed: began.elapsed().as_secs_f64().min(self.limit),
                limit: self.limit,
            },
        }
    }

    /// Whether it is still unfinished.
    pub fn is_unfinished(&self) -> bool {
        self.inner().outcome.is_none()
    }

    /// The flag the work polls.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// Marks the moment the work got its turn (the time shown counts from here).
    pub fn began(&self) {
        self.inner().began.get_or_insert_with(Instant::now);
    }

    /// Tells the work to stop, for `cause`; the first cause given is the one kept.
    pub fn stop(&self, state: &impl Meters, kind: &'static str, cause: StopCause) {
        let mut inner = self.inner();
        if inner.outcome.is_some() || inner.stop.is_some() {
            return;
        }
        inner.stop = Some(cause);
        self.cancel.raise();
        state.metrics().work_cancelled(kind);
        tracing::info!(work = kind, job = %self.id, ?cause, "job told to stop");
    }

    /// Records how the work ended: stopped if it was told to stop and gave no result.
    fn finish(&self, outcome: Outcome) {
        let mut inner = self.inner();
        let outcome = match (inner.stop, outcome) {
            (Some(cause), Outcome::Failed) => Outcome::Stopped(cause),
            (_, outcome) => outcome,
        };
        inner.outcome = Some(outcome);
        inner.finished = Some(Instant::now());
    }

    fn unseen_for(&self) -> Duration {
        self.inner().seen.elapsed()
    }

    fn finished_long_ago(&self) -> bool {
        self.inner()
            .finished
            .is_some_and(|at| at.elapsed() > KEEP_FINISHED)
    }
}

/// Too many unfinished jobs for the unit: the request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// The jobs of this process.
#[derive(Debug, Default)]
pub struct Jobs {
    jobs: Mutex<HashMap<Uuid, Arc<Job>>>,
}

impl Jobs {
    fn jobs(&self) -> MutexGuard<'_, HashMap<Uuid, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The job `id` if it belongs to `unit` (another unit's job is as unknown as none).
    pub fn get(&self, unit: Uuid, id: Uuid) -> Option<Arc<Job>> {
        self.jobs().get(&id).filter(|j| j.unit == unit).cloned()
    }

    /// The unit's unfinished job making `key`, if there is one.
    pub fn unfinished(&self, unit: Uuid, key: &str) -> Option<Arc<Job>> {
        self.jobs()
            .values()
            .find(|j| j.unit == unit && j.key == key && j.is_unfinished())
            .cloned()
    }

    /// The unit's unfinished job making `key`, or a new one doing `work` (on the async
    /// runtime; heavy parts of it go through [`crate::work::run_with`]). A job nobody
    /// looks at for `abandon_after` is told to stop.
    pub fn start<F, Fut, S: Meters>(
        &self,
        state: &S,
        kind: &'static str,
        unit: Uuid,
        key: String,
        limit: f64,
        work: F,
    ) -> Result<Arc<Job>, Busy>
    where
        F: FnOnce(Arc<Job>) -> Fut,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let job = {
            let mut jobs = self.jobs();
            jobs.retain(|_, j| !j.finished_long_ago());
            if let Some(j) = jobs
                .values()
                .find(|j| j.unit == unit && j.key == key && j.is_unfinished())
            {
                return Ok(j.clone());
            }
            let running = jobs
                .values()
                .filter(|j| j.unit == unit && j.is_unfinished())
                .count();
            if running >= MAX_PER_UNIT {
                return Err(Busy);
            }
            let job = Arc::new(Job {
                id: Uuid::new_v4(),
                unit,
                key,
                limit,
                cancel: Cancel::default(),
                inner: Mutex::new(Inner {
                    seen: Instant::now(),
                    began: None,
                    stop: None,
                    outcome: None,
                    finished: None,
                }),
            });
            jobs.insert(job.id, job.clone());
            job
        };
        let future = work(job.clone());
        let running = job.clone();
        tokio::spawn(async move {
            let outcome = future.await;
            running.finish(outcome);
        });
        let watched = job.clone();
        let state = state.clone();
        let abandon_after = state.abandon_after();
        tokio::spawn(async move {
            let tick =
                (abandon_after / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
            while watched.is_unfinished() {
                if watched.unseen_for() > abandon_after {
                    watched.stop(&state, kind, StopCause::Abandoned);
                    return;
                }
                tokio::time::sleep(tick).await;
            }
        });
        Ok(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::state::AppState;

    async fn state(abandon_after_seconds: f64) -> AppState {
        AppState::new(
            trappa_store::testing::fresh_sqlite().await,
            crate::state::WebConfig {
                abandon_after_seconds,
                ..crate::state::WebConfig::local()
            },
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_request_joins_the_job_and_a_unit_has_at_most_three() {
        let state = state(60.0).await;
        let jobs = Jobs::default();
        let unit = Uuid::new_v4();
        let wait = |job: Arc<Job>| async move {
            while !job.cancel().is_cancelled() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Outcome::Failed
        };
        let first = jobs
            .start(&state, "test", unit, "week:a".into(), 1.0, wait)
            .unwrap();
        let again = jobs
            .start(&state, "test", unit, "week:a".into(), 1.0, wait)
            .unwrap();
        assert_eq!(first.id, again.id, "the same work is not started twice");
        for key in ["week:b", "week:c"] {
            jobs.start(&state, "test", unit, key.into(), 1.0, wait)
                .unwrap();
        }
        assert_eq!(
            jobs.start(&state, "test", unit, "week:d".into(), 1.0, wait)
                .unwrap_err(),
            Busy
        );
        let other_unit = Uuid::new_v4();
        assert!(
            jobs.start(&state, "test", other_unit, "week:d".into(), 1.0, wait)
                .is_ok(),
            "another unit's jobs do not count"
        );
        assert!(
            jobs.get(other_unit, first.id).is_none(),
            "not another unit's"
        );
        first.stop(&state, "test", StopCause::ByUser);
        let mut waited = 0;
        while first.is_unfinished() {
            tokio::time::sleep(Duration::from_millis(10)).await;
            waited += 1;
            assert!(waited < 500, "the stopped job finishes");
        }
        assert_eq!(
            first.look(),
            Progress::Finished(Outcome::Stopped(StopCause::ByUser))
        );
        assert!(
            jobs.start(&state, "test", unit, "week:d".into(), 1.0, wait)
                .is_ok(),
            "a finished job frees its place"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_nobody_looks_at_is_stopped_and_one_looked_at_is_not() {
        let state = state(0.3).await;
        let jobs = Jobs::default();
        let unit = Uuid::new_v4();
        let wait = |job: Arc<Job>| async move {
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
            .start(&state, "test", unit, "left".into(), 1.5, wait)
            .unwrap();
        let followed = jobs
            .start(&state, "test", unit, "followed".into(), 1.5, wait)
            .unwrap();
        let mut seen = Vec::new();
        while followed.is_unfinished() {
            seen.push(followed.look());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(followed.look(), Progress::Finished(Outcome::Done(7)));
        assert!(
            seen.iter()
                .any(|p| matches!(p, Progress::Working { elapsed, limit } if *elapsed > 0.0 && *limit == 1.5)),
            "{seen:?}"
        );
        assert_eq!(
            left.look(),
            Progress::Finished(Outcome::Stopped(StopCause::Abandoned))
        );
    }
}
