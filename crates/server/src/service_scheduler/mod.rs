//! The service scheduler: a level-triggered loop that moves every service toward its goal.
//!
//! Each pass reads a fresh view of each ACTIVE or DRAINING service from the in-memory index,
//! asks the pure `scheduler::deploy::decide` what to do, and does it: stops tasks, places new
//! ones through the placement engine (with compare-and-swap), and records what happened in the
//! service (deployment states, events) with a compare-and-swap on the service record. It never
//! acts on why it woke up: a pass after a restart, or after another pass, sees the tasks the
//! earlier one wrote and decides from them, so nothing is started twice.

mod apply;
mod targets;
mod view;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;

use api::{ApiError, SchedulingStrategy, ServiceEvent, TaskStopCode};
use scheduler::deploy::{
    self, Decision, DeploymentView, Phase, Rollout, ServiceView, StopReason, TaskView,
};
use store::{Compare, Op, Txn};

use crate::error::{Error, Resource};
use crate::placement::Launch;
use crate::records::{
    DeploymentStatus, DesiredStatus, InstanceStatus, RolloutState, ServiceRecord, ServiceStatus,
    StopCause, TaskRecord, TaskSetStatus, TaskState, TaskStatus, keys,
};
use crate::records::{ErrorChain, encode, internal};
use crate::services::deployment_id;
use crate::state::{Change, ClusterIndex, IndexedTask, Observer};
use crate::workers::Worker;
use crate::{Ctx, placement, tags};

use apply::*;
use view::*;

/// What changed for the service scheduler: services by (cluster, name), clusters whose
/// instances changed (every service of theirs), or everything.
#[derive(Debug, Default)]
pub(crate) struct Dirty {
    pub(crate) all: bool,
    pub(crate) clusters: HashSet<String>,
    pub(crate) services: HashSet<(String, String)>,
}

impl Dirty {
    pub(crate) fn contains(&self, cluster: &str, service: &str) -> bool {
        self.all
            || self.clusters.contains(cluster)
            || self.services.contains(&(cluster.to_owned(), service.to_owned()))
    }
}

/// The services to look at: those whose tasks, record or cluster's instances changed since the
/// scheduler last looked. The index keeps it (this module observes the index).
#[derive(Default)]
pub(crate) struct Wakes(parking_lot::Mutex<Dirty>);

impl Wakes {
    /// Takes the services that changed since the last call.
    pub(crate) fn take(&self) -> Dirty {
        std::mem::take(&mut *self.0.lock())
    }
}

impl Observer for Wakes {
    fn changed(&self, cluster: &str, _index: &ClusterIndex, change: Change<'_>) {
        match change {
            Change::Task { old, new } => {
                let service =
                    new.or(old).and_then(|t| t.group.as_deref()?.strip_prefix("service:"));
                if let Some(service) = service
                    && wakes_service(old, new)
                {
                    self.0.lock().services.insert((cluster.to_owned(), service.to_owned()));
                }
            }
            Change::Service { name } => {
                self.0.lock().services.insert((cluster.to_owned(), name.to_owned()));
            }
            Change::Instance { .. } => {
                self.0.lock().clusters.insert(cluster.to_owned());
            }
        }
    }

    fn reloaded(&self) {
        self.0.lock().all = true;
    }
}

/// What the service scheduler keeps between passes: the services to look at (kept by the
/// index) and how many full passes ran.
#[derive(Default)]
pub(crate) struct Shared {
    wakes: Arc<Wakes>,
    passes: std::sync::atomic::AtomicU64,
}

impl Shared {
    /// What marks the services to look at: it observes the index.
    pub(crate) fn observer(&self) -> Arc<dyn Observer> {
        self.wakes.clone()
    }
}

/// Full passes of the service scheduler since the process started.
pub(crate) fn passes(ctx: &Ctx) -> u64 {
    ctx.inner.service_scheduler.passes.load(std::sync::atomic::Ordering::Relaxed)
}

/// How many events a service keeps, as in ECS.
const MAX_EVENTS: usize = 100;

/// How many INACTIVE deployments a service remembers (for DescribeServiceDeployments).
const KEPT_INACTIVE: usize = 10;

/// Runs passes until the process ends: after changes to tasks, services or instances (over the
/// services they concern), and over every service at least once a second (timers: grace
/// periods, settling, throttling, agent liveness). Passes are spaced by their own duration
/// (between 20 and 200 ms), so that under a stream of changes a pass covers many of them.
pub(crate) async fn run(ctx: Ctx, mut worker: Worker) {
    let mut changes = ctx.state().subscribe_changes();
    let mut last_full = tokio::time::Instant::now();
    let mut last_took = Duration::ZERO;
    loop {
        let wake = ctx.inner.service_wake.notified();
        let mut full = false;
        tokio::select! {
            _ = changes.changed() => {}
            _ = wake => full = true,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = worker.stopped() => return,
        }
        // Let a burst of changes settle into one pass: wait as long as the last pass took
        // (most of which is waiting for commits when services are busy), within bounds.
        worker.sleep(last_took.clamp(Duration::from_millis(20), MAX_SPACING)).await;
        if worker.stopping() {
            return;
        }
        changes.borrow_and_update();
        if !worker.may_act() {
            continue;
        }
        if last_full.elapsed() >= Duration::from_secs(1) {
            full = true;
        }
        let dirty = ctx.inner.service_scheduler.wakes.take();
        let began = tokio::time::Instant::now();
        let reconciled = if full {
            last_full = began;
            pass(&ctx).await
        } else {
            pass_over(&ctx, Some(&dirty)).await
        };
        worker.ran(reconciled as u64);
        last_took = began.elapsed();
    }
}

/// One pass over every service; returns how many services it reconciled.
pub(crate) async fn pass(ctx: &Ctx) -> usize {
    let reconciled = pass_over(ctx, None).await;
    ctx.inner.service_scheduler.passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    reconciled
}

/// One pass over the services `only` names (every service when `None`); returns how many it
/// reconciled.
async fn pass_over(ctx: &Ctx, only: Option<&Dirty>) -> usize {
    let services: Vec<(String, String)> = {
        let index = ctx.state().read();
        index
            .clusters
            .iter()
            .flat_map(|(cluster, c)| {
                c.services
                    .values()
                    .filter(|e| e.record.status() != ServiceStatus::Inactive)
                    .filter(move |e| only.is_none_or(|d| d.contains(cluster, &e.record.name)))
                    .map(move |e| (cluster.clone(), e.record.name.to_string()))
            })
            .collect()
    };
    // Services are independent: reconciled concurrently, their placements share placement
    // rounds and their writes share commits, so a pass takes a few commits, not a few per
    // service.
    let count = services.len();
    futures::stream::iter(services)
        .for_each_concurrent(CONCURRENT_SERVICES, |(cluster, name)| async move {
            if let Err(error) = reconcile(ctx, &cluster, &name).await {
                tracing::warn!(cluster = %cluster, service = %name, code = %error.code, message = %error.message, "A service pass failed");
            }
        })
        .await;
    count
}

/// The longest wait between passes after changes.
const MAX_SPACING: Duration = Duration::from_millis(200);

/// The most tasks of one service a pass starts.
const MAX_STARTS_PER_PASS: u32 = 1000;

/// How many services a pass reconciles at once.
const CONCURRENT_SERVICES: usize = 64;

#[cfg(test)]
mod tests {
    use super::task_list;

    #[test]
    fn events_name_at_most_ten_tasks() {
        let ids: Vec<String> = (0..12).map(|n| format!("t{n}")).collect();
        assert_eq!(task_list(&ids[..2]), "(task t0) (task t1)");
        let long = task_list(&ids);
        assert!(long.starts_with("(task t0) (task t1)"));
        assert!(long.ends_with("(task t9) and 2 more"), "{long}");
    }
}

#[cfg(test)]
mod wakes_tests {
    use super::wakes_service;

    use crate::state::IndexedTask;

    #[test]
    fn only_changes_that_alter_decisions_wake_the_service_scheduler() {
        let task = |last: &str, desired: &str, health: Option<api::HealthStatus>| {
            let record = crate::testing::stored_task(api::Task {
                last_status: Some(last.to_owned()),
                desired_status: Some(desired.to_owned()),
                group: Some("service:web".to_owned()),
                health_status: health,
                ..api::Task::default()
            });
            IndexedTask::decode(crate::records::encode(&record)).unwrap()
        };
        let pending = task("PENDING", "RUNNING", None);
        let running = task("RUNNING", "RUNNING", Some(api::HealthStatus::Unknown));
        // Starting to run, or a report that changes nothing a decision reads: the full pass.
        assert!(!wakes_service(Some(&pending), Some(&running)));
        assert!(!wakes_service(Some(&running), Some(&running)));
        // A new task, a health verdict, a stop asked for or seen: a pass now.
        assert!(wakes_service(None, Some(&pending)));
        let healthy = task("RUNNING", "RUNNING", Some(api::HealthStatus::Healthy));
        assert!(wakes_service(Some(&running), Some(&healthy)));
        assert!(wakes_service(Some(&pending), Some(&healthy)));
        let stopping = task("RUNNING", "STOPPED", None);
        assert!(wakes_service(Some(&running), Some(&stopping)));
        let stopped = task("STOPPED", "RUNNING", None);
        assert!(wakes_service(Some(&running), Some(&stopped)));
        let mut moved = task("PENDING", "RUNNING", None);
        moved.instance_id = Some("i2".to_owned().into());
        assert!(wakes_service(Some(&pending), Some(&moved)));
        // Removing a (stopped) task decides nothing.
        assert!(!wakes_service(Some(&stopped), None));
    }
}
