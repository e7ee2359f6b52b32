//! Heavy work — a report, a week's plan, a long PDF — off the async threads, bounded
//! in number, and stopped when its client goes.
//!
//! Hyper drops a request's future when the client closes the connection; work on the
//! blocking pool would run on regardless (the probe's report request kept growing for
//! a minute after the client left). [`run`] hands the work a [`Cancel`] and raises it
//! when the awaiting future is dropped before the work is done; the work checks it
//! between its steps ([`Cancel::check`]) and the planner as its solver's quota. At
//! most [`MAX_CONCURRENT`] pieces run at once — more wait their turn — so a burst of
//! heavy requests cannot starve the pages everyone else is using.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Semaphore;

use crate::error::AppError;
use crate::metrics::Metrics;

/// What work needs of the server: its metrics, and how long a job may go unwatched. The server's state gives them; work
/// does not know the state, so the state can hold the jobs that run work.
pub trait Meters: Clone + Send + Sync + 'static {
    /// The process's metrics.
    fn metrics(&self) -> &Metrics;
    /// How long a job may go unwatched before it is told to stop.
    fn abandon_after(&self) -> std::time::Duration;
}

/// Heavy work running at once (the machine's two cores; the planner uses both).
pub const MAX_CONCURRENT: usize = 2;

static PERMITS: std::sync::LazyLock<Arc<Semaphore>> =
    std::sync::LazyLock::new(|| Arc::new(Semaphore::new(MAX_CONCURRENT)));

/// Raised when the client has gone: the work stops at its next check.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

/// The work stopped because its client went away (nobody is left to answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Cancel {
    /// Whether the client has gone.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once the client has gone: `cancel.check()?` between steps.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Tells the work to stop (its user stopped it, or nobody follows it any more).
    pub fn raise(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// The flag itself, for a solver that polls it (the planner's quota).
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.0.clone()
    }
}

/// Raises the flag if dropped before [`Armed::disarm`]: the request's future was
/// dropped while the work ran.
struct Armed<'a, S: Meters> {
    cancel: Cancel,
    state: &'a S,
    kind: &'static str,
    armed: bool,
}

impl<S: Meters> Drop for Armed<'_, S> {
    fn drop(&mut self) {
        if self.armed {
            self.cancel.0.store(true, Ordering::Relaxed);
            self.state.metrics().work_cancelled(self.kind);
            tracing::info!(work = self.kind, "client went away; work told to stop");
        }
    }
}

/// Counts the work as running until dropped (also when the work panics).
struct Running<S: Meters> {
    state: S,
    kind: &'static str,
}

impl<S: Meters> Running<S> {
    fn start(state: S, kind: &'static str) -> Self {
        state.metrics().work_running(kind, 1);
        Running { state, kind }
    }
}

impl<S: Meters> Drop for Running<S> {
    fn drop(&mut self) {
        self.state.metrics().work_running(self.kind, -1);
    }
}

/// Runs `work` on the blocking pool (at most [`MAX_CONCURRENT`] at once) and returns
/// its result; if this future is dropped first, the work's [`Cancel`] is raised.
pub async fn run<T: Send + 'static, S: Meters>(
    state: &S,
    kind: &'static str,
    work: impl FnOnce(&Cancel) -> T + Send + 'static,
) -> Result<T, AppError> {
    run_with(state, kind, Cancel::default(), work).await
}

/// [`run`] with a [`Cancel`] of the caller's: a job's, which its user or the job's
/// watch can raise while the work runs (see the `jobs` module).
pub async fn run_with<T: Send + 'static, S: Meters>(
    state: &S,
    kind: &'static str,
    cancel: Cancel,
    work: impl FnOnce(&Cancel) -> T + Send + 'static,
) -> Result<T, AppError> {
    // The permit goes with the work, so it is held until the work has really stopped.
    let permit = PERMITS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut armed = Armed {
        cancel: cancel.clone(),
        state,
        kind,
        armed: true,
    };
    let metrics_state = state.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let _running = Running::start(metrics_state, kind);
        let out = work(&cancel);
        drop(permit);
        out
    });
    let out = handle.await.map_err(|e| AppError::Internal(e.into()));
    armed.armed = false;
    out
}

impl From<Cancelled> for AppError {
    fn from(_: Cancelled) -> Self {
        // Nobody reads this answer: the client has gone.
        AppError::Internal(anyhow::anyhow!("work cancelled: the client went away"))
    }
}
