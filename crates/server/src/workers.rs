//! Background workers: the control plane's long-running loops (the service scheduler, the
//! reaper, and the reconcilers to come), each with a name, a status an operator can read on
//! `GET /status`, and a clean shutdown.
//!
//! A worker is an async function given a [`Worker`] handle. It reports each run
//! ([`Worker::ran`], [`Worker::failed`]), sleeps through [`Worker::sleep`] (which returns early
//! when the control plane shuts down) and returns when [`Worker::stopping`] says so. Reconcilers
//! (workers that act on the cluster rather than tidy this process's own state) also ask
//! [`Worker::may_act`] before each pass: with several control-plane replicas, only the elected
//! leader will act; a single process always may.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use crate::clock::Clock;

/// What kind of loop a worker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// Acts on the cluster (starts and stops tasks, changes services): only the leader runs it.
    Reconciler,
    /// Keeps this process's own state: every replica runs it.
    Housekeeping,
}

/// A worker's status: counters and times only (no names or records), so `/status` can show
/// it without a signature. Errors are logged with their detail.
#[derive(Debug)]
struct Status {
    name: &'static str,
    kind: Kind,
    runs: AtomicU64,
    items: AtomicU64,
    errors: AtomicU64,
    /// Epoch seconds of the last run and the last failure, as f64 bits (0 for never).
    last_run_at: AtomicU64,
    last_error_at: AtomicU64,
    finished: AtomicBool,
}

/// What `/status` shows of a worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Report {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// `running`, `paused` (a reconciler on a replica that is not the leader) or `stopped`.
    pub(crate) state: &'static str,
    pub(crate) runs: u64,
    pub(crate) items: u64,
    pub(crate) errors: u64,
    pub(crate) last_run_at: Option<f64>,
    pub(crate) last_error_at: Option<f64>,
}

/// The handle a worker's loop holds.
pub(crate) struct Worker {
    status: Arc<Status>,
    shutdown: watch::Receiver<bool>,
    leader: watch::Receiver<bool>,
    clock: Arc<dyn Clock>,
}

impl Worker {
    /// One run finished, having handled `items` things (services reconciled, tasks removed).
    pub(crate) fn ran(&self, items: u64) {
        self.status.runs.fetch_add(1, Ordering::Relaxed);
        self.status.items.fetch_add(items, Ordering::Relaxed);
        self.status.last_run_at.store(self.clock.now().to_bits(), Ordering::Relaxed);
    }

    /// One run failed; `error` is logged with the worker's name.
    pub(crate) fn failed(&self, error: &dyn std::fmt::Display) {
        self.status.runs.fetch_add(1, Ordering::Relaxed);
        self.status.errors.fetch_add(1, Ordering::Relaxed);
        let now = self.clock.now().to_bits();
        self.status.last_run_at.store(now, Ordering::Relaxed);
        self.status.last_error_at.store(now, Ordering::Relaxed);
        tracing::warn!(worker = self.status.name, %error, "A background worker's run failed");
    }

    /// The control plane is shutting down: the loop should return.
    pub(crate) fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Sleeps for `duration`, or less if the control plane shuts down meanwhile.
    pub(crate) async fn sleep(&mut self, duration: Duration) {
        if self.stopping() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(duration) => {}
            _ = self.shutdown.changed() => {}
        }
    }

    /// Resolves once the control plane shuts down.
    pub(crate) async fn stopped(&mut self) {
        while !self.stopping() {
            if self.shutdown.changed().await.is_err() {
                return;
            }
        }
    }

    /// The loop of a periodic worker: every `period`, while the control plane `inner` is
    /// alive and not shutting down, one `pass` if this worker may act, recording the things it
    /// handled or its error.
    pub(crate) async fn every<T, F, Fut>(
        mut self,
        period: Duration,
        inner: std::sync::Weak<T>,
        mut pass: F,
    ) where
        F: FnMut(Arc<T>) -> Fut,
        Fut: std::future::Future<Output = Result<u64, String>>,
    {
        loop {
            self.sleep(period).await;
            if self.stopping() {
                return;
            }
            let Some(inner) = inner.upgrade() else { return };
            if !self.may_act() {
                continue;
            }
            match pass(inner).await {
                Ok(items) => self.ran(items),
                Err(error) => self.failed(&error),
            }
        }
    }

    /// A reconciler may act only on the leader; housekeeping always may.
    pub(crate) fn may_act(&self) -> bool {
        self.status.kind == Kind::Housekeeping || *self.leader.borrow()
    }
}

/// Every worker of a control-plane process.
pub(crate) struct Workers {
    leader: watch::Sender<bool>,
    clock: Arc<dyn Clock>,
    statuses: parking_lot::Mutex<Vec<Arc<Status>>>,
    /// Each running worker, in the order they started, with the switch that stops it.
    handles: parking_lot::Mutex<Vec<Running>>,
}

struct Running {
    name: &'static str,
    handle: tokio::task::JoinHandle<()>,
    stop: watch::Sender<bool>,
}

impl Workers {
    /// A set of workers; this process starts as the leader (there is no other).
    pub(crate) fn new(clock: Arc<dyn Clock>) -> Workers {
        Workers {
            leader: watch::channel(true).0,
            clock,
            statuses: parking_lot::Mutex::new(Vec::new()),
            handles: parking_lot::Mutex::new(Vec::new()),
        }
    }

    /// Starts a worker named `name` running `body`.
    pub(crate) fn spawn<F, Fut>(&self, name: &'static str, kind: Kind, body: F)
    where
        F: FnOnce(Worker) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let status = Arc::new(Status {
            name,
            kind,
            runs: AtomicU64::new(0),
            items: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            last_run_at: AtomicU64::new(0),
            last_error_at: AtomicU64::new(0),
            finished: AtomicBool::new(false),
        });
        let (stop, shutdown) = watch::channel(false);
        let worker = Worker {
            status: status.clone(),
            shutdown,
            leader: self.leader.subscribe(),
            clock: self.clock.clone(),
        };
        let done = status.clone();
        let future = body(worker);
        let handle = tokio::spawn(async move {
            future.await;
            done.finished.store(true, Ordering::Relaxed);
            tracing::debug!(worker = done.name, "A background worker stopped");
        });
        self.statuses.lock().push(status);
        self.handles.lock().push(Running { name, handle, stop });
    }

    /// Whether this process's reconcilers act (the leader's do).
    pub(crate) fn set_leader(&self, leader: bool) {
        self.leader.send_replace(leader);
    }

    /// What each worker is doing, in the order they started.
    pub(crate) fn reports(&self) -> Vec<Report> {
        let leader = *self.leader.borrow();
        let time = |bits: u64| (bits != 0).then(|| f64::from_bits(bits));
        self.statuses
            .lock()
            .iter()
            .map(|s| Report {
                name: s.name,
                kind: s.kind,
                state: if s.finished.load(Ordering::Relaxed) {
                    "stopped"
                } else if s.kind == Kind::Reconciler && !leader {
                    "paused"
                } else {
                    "running"
                },
                runs: s.runs.load(Ordering::Relaxed),
                items: s.items.load(Ordering::Relaxed),
                errors: s.errors.load(Ordering::Relaxed),
                last_run_at: time(s.last_run_at.load(Ordering::Relaxed)),
                last_error_at: time(s.last_error_at.load(Ordering::Relaxed)),
            })
            .collect()
    }

    /// Stops the workers one after the other, the last started first (so a worker others
    /// depend on, started before them, outlives them), and waits for each; all of them get at
    /// most `grace` in all, and those still running then are aborted. Returns the names of the
    /// workers that had to be aborted.
    pub(crate) async fn shutdown(&self, grace: Duration) -> Vec<&'static str> {
        let running = std::mem::take(&mut *self.handles.lock());
        let deadline = tokio::time::Instant::now() + grace;
        let mut aborted = Vec::new();
        for Running { name, mut handle, stop } in running.into_iter().rev() {
            stop.send_replace(true);
            if tokio::time::timeout_at(deadline, &mut handle).await.is_err() {
                handle.abort();
                aborted.push(name);
                tracing::warn!(worker = name, "A background worker did not stop in time");
            }
        }
        for status in self.statuses.lock().iter() {
            status.finished.store(true, Ordering::Relaxed);
        }
        aborted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[tokio::test]
    async fn workers_stop_last_started_first() {
        let workers = Workers::new(Arc::new(ManualClock::new(0)));
        let stopped = Arc::new(parking_lot::Mutex::new(Vec::new()));
        for name in ["index", "scheduler", "reaper"] {
            let log = stopped.clone();
            workers.spawn(name, Kind::Housekeeping, move |mut worker| async move {
                worker.stopped().await;
                // A worker stopped later would see this one gone already.
                tokio::time::sleep(Duration::from_millis(5)).await;
                log.lock().push(name);
            });
        }
        assert!(workers.shutdown(Duration::from_secs(5)).await.is_empty());
        assert_eq!(*stopped.lock(), ["reaper", "scheduler", "index"]);
    }

    #[tokio::test]
    async fn workers_report_their_runs_and_stop_on_shutdown() {
        let clock = Arc::new(ManualClock::new(1_000_000));
        let workers = Workers::new(clock.clone());
        workers.spawn("counter", Kind::Housekeeping, |mut worker| async move {
            while !worker.stopping() {
                worker.ran(2);
                worker.sleep(Duration::from_millis(5)).await;
            }
        });
        workers.spawn("reconciler", Kind::Reconciler, |mut worker| async move {
            worker.failed(&"nothing to do");
            worker.stopped().await;
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        let reports = workers.reports();
        assert_eq!(reports.len(), 2);
        assert_eq!((reports[0].name, reports[0].state), ("counter", "running"));
        assert!(reports[0].runs >= 2, "{reports:?}");
        assert_eq!(reports[0].items, 2 * reports[0].runs);
        assert_eq!(reports[0].last_run_at, Some(1_000.0));
        assert_eq!((reports[1].errors, reports[1].last_error_at), (1, Some(1_000.0)));
        workers.set_leader(false);
        assert_eq!(workers.reports()[1].state, "paused");
        assert!(workers.shutdown(Duration::from_secs(5)).await.is_empty());
        assert!(workers.reports().iter().all(|r| r.state == "stopped"));
    }

    #[tokio::test]
    async fn a_worker_that_ignores_shutdown_is_aborted_after_the_grace() {
        let workers = Workers::new(Arc::new(ManualClock::new(0)));
        workers.spawn("stubborn", Kind::Housekeeping, |_worker| async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        assert_eq!(workers.shutdown(Duration::from_millis(20)).await, ["stubborn"]);
    }

    #[tokio::test]
    async fn only_the_leader_s_reconcilers_may_act() {
        let workers = Workers::new(Arc::new(ManualClock::new(0)));
        let (tx, rx) = tokio::sync::oneshot::channel();
        workers.spawn("check", Kind::Reconciler, |mut worker| async move {
            let leading = worker.may_act();
            worker.stopped().await;
            let _ = tx.send((leading, worker.may_act()));
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        workers.set_leader(false);
        workers.shutdown(Duration::from_secs(5)).await;
        assert_eq!(rx.await.unwrap(), (true, false));
    }
}
