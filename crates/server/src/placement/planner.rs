//! The placement planners: one per cluster, built from the index on first use and then kept
//! current by the index's changes (this module observes the index), so that a placement round
//! plans on a planner that is already there instead of a snapshot of the whole cluster.

use std::collections::HashMap;
use std::sync::Arc;

use crate::liveness::Liveness;
use crate::records::{Reservation, TaskState};
use crate::state::{Change, ClusterIndex, IndexedTask, Observer};

/// Every cluster's planner.
pub(crate) struct Planners {
    liveness: Arc<Liveness>,
    slots: parking_lot::Mutex<HashMap<String, Arc<PlannerSlot>>>,
}

impl Planners {
    pub(crate) fn new(liveness: Arc<Liveness>) -> Planners {
        Planners { liveness, slots: parking_lot::Mutex::new(HashMap::new()) }
    }

    fn slot(&self, cluster: &str) -> Arc<PlannerSlot> {
        self.slots.lock().entry(cluster.to_owned()).or_default().clone()
    }

    /// Forgets the cluster's planner, to be rebuilt from the index: it holds tasks planned for a
    /// transaction that was not committed.
    pub(crate) fn discard(&self, cluster: &str) {
        if let Some(slot) = self.slots.lock().get(cluster) {
            *slot.0.lock() = None;
        }
    }

    /// Runs `f` with the cluster's placement planner: built from the index on first use, and told
    /// first which agents connected or went silent since it was last used (the store does not
    /// record those). The caller holds the index's read guard, so the planner matches the index.
    pub(crate) fn with<R>(
        &self,
        cluster: &ClusterIndex,
        cluster_name: &str,
        f: impl FnOnce(&mut scheduler::Planner) -> R,
    ) -> R {
        let liveness = &self.liveness;
        let slot = self.slot(cluster_name);
        let mut slot = slot.0.lock();
        let planner = match slot.take() {
            Some(mut planner) => {
                let revived = liveness.take_revived(cluster_name).into_iter().map(|id| (id, true));
                let silent = liveness.silent(cluster_name).into_iter().map(|id| (id, false));
                for (id, connected) in revived.chain(silent) {
                    if let Some(instance) = planner.instance(&id)
                        && instance.agent_connected != connected
                    {
                        let mut instance = instance.clone();
                        instance.agent_connected = connected;
                        if let Err(error) =
                            planner.apply(scheduler::Delta::UpsertInstance(instance))
                        {
                            tracing::warn!(%error, "Updating an agent's connection in the planner failed");
                        }
                    }
                }
                slot.insert(planner)
            }
            None => {
                // Built from the index with every agent's current state.
                liveness.take_revived(cluster_name);
                slot.insert(scheduler::Planner::new(super::snapshot_of(
                    cluster,
                    cluster_name,
                    liveness,
                )))
            }
        };
        #[cfg(debug_assertions)]
        check_planner(planner, &super::snapshot_of(cluster, cluster_name, liveness));
        f(planner)
    }
}

impl Observer for Planners {
    fn changed(&self, cluster: &str, index: &ClusterIndex, change: Change<'_>) {
        // A task is planned on its instance's cluster: its own, or the Fargate pool.
        let planned_in = match change {
            Change::Task { old, new } => new.or(old).map_or(cluster, |t| t.host_cluster()),
            _ => cluster,
        };
        // A planner not built yet is built from the index when first used.
        let Some(slot) = self.slots.lock().get(planned_in).cloned() else { return };
        match change {
            Change::Task { old, new } => plan_task_change(&slot, old, new),
            Change::Instance { id, record: Some(record) } => {
                let connected = self.liveness.connected(cluster, id);
                let instance = super::instance_of(index, record, connected);
                slot.apply(scheduler::Delta::UpsertInstance(instance));
            }
            Change::Instance { id, record: None } => {
                slot.apply(scheduler::Delta::RemoveInstance { instance_id: id.to_owned() });
            }
            Change::Service { .. } => {}
        }
    }

    fn reloaded(&self) {
        self.slots.lock().clear();
    }
}

/// In debug builds (every integration test), checks that the planner, fed only deltas, sees the
/// cluster exactly as a snapshot built from the index does (connections aside: they move with
/// time between the two reads).
#[cfg(debug_assertions)]
fn check_planner(planner: &scheduler::Planner, fresh: &scheduler::Snapshot) {
    let normalize = |snapshot: scheduler::Snapshot| {
        let mut instances = snapshot.instances;
        for instance in &mut instances {
            instance.agent_connected = false;
            instance.tasks.sort_by(|a, b| a.id.cmp(&b.id));
        }
        instances
    };
    let kept = normalize(planner.snapshot());
    let built = normalize(fresh.clone());
    debug_assert!(
        kept == built,
        "the planner differs from the index:\nplanner: {kept:#?}\nindex: {built:#?}"
    );
}

/// The cluster's placement planner, built on first use and then kept current by the same
/// events as the index; `None` until built, or after a change it could not apply (it is then
/// rebuilt from the index on next use).
#[derive(Default)]
struct PlannerSlot(parking_lot::Mutex<Option<scheduler::Planner>>);

impl std::fmt::Debug for PlannerSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built = self.0.try_lock().map(|p| p.is_some());
        f.debug_tuple("PlannerSlot").field(&built).finish()
    }
}

impl PlannerSlot {
    /// Applies a change to the planner, if it is built; a change it refuses discards it.
    fn apply(&self, delta: scheduler::Delta) {
        let mut slot = self.0.lock();
        if let Some(planner) = slot.as_mut()
            && let Err(error) = planner.apply(delta)
        {
            tracing::warn!(%error, "The placement planner is out of step with the index; rebuilding it");
            *slot = None;
        }
    }
}

/// The planner's view of a task that occupies an instance: where, and what it holds.
fn occupying(task: &impl TaskState) -> Option<&str> {
    if task.is_stopped() { None } else { task.instance_id() }
}

fn host_ports(reservation: &Reservation) -> Vec<(u16, scheduler::Protocol)> {
    reservation
        .ports_tcp
        .iter()
        .map(|&p| (p, scheduler::Protocol::Tcp))
        .chain(reservation.ports_udp.iter().map(|&p| (p, scheduler::Protocol::Udp)))
        .collect()
}

/// Tells the cluster's planner that a task left or took its place on an instance.
fn plan_task_change(planner: &PlannerSlot, old: Option<&IndexedTask>, new: Option<&IndexedTask>) {
    let before = old.and_then(|t| occupying(t).map(|i| (i, t)));
    let after = new.and_then(|t| occupying(t).map(|i| (i, t)));
    if before.map(|(i, _)| i) == after.map(|(i, _)| i) {
        return;
    }
    if let Some((instance, task)) = before {
        planner.apply(scheduler::Delta::TaskRemoved {
            instance_id: instance.to_owned(),
            task_id: task.id.clone().into(),
            cpu: task.reservation.cpu,
            memory: task.reservation.memory,
            host_ports: host_ports(&task.reservation),
        });
    }
    if let Some(delta) = new.and_then(placed) {
        planner.apply(delta);
    }
}

/// The planner's change for a task that occupies an instance (`None` when it does not).
pub(crate) fn placed(task: &impl TaskState) -> Option<scheduler::Delta> {
    let instance = occupying(task)?;
    let reservation = task.reservation();
    Some(scheduler::Delta::TaskPlaced {
        instance_id: instance.to_owned(),
        task: scheduler::TaskOnInstance {
            id: task.id().to_owned(),
            group: task.group().unwrap_or_default().to_owned(),
            started_by: task.started_by().map(str::to_owned),
        },
        cpu: reservation.cpu,
        memory: reservation.memory,
        host_ports: host_ports(reservation),
    })
}
