//! What a pass reads of a service and its tasks, and how the index's changes wake it.

use super::*;

pub(super) fn phase(task: &impl TaskState) -> Phase {
    match (task.last_status(), task.desired_status()) {
        (TaskStatus::Stopped, _) => Phase::Stopped,
        (_, DesiredStatus::Stopped) => Phase::Stopping,
        (TaskStatus::Running, _) => Phase::Running,
        _ => Phase::Pending,
    }
}

/// Whether a change to a service's task should bring a pass over the service now, rather than
/// at the next full pass (at most a second later). A task that only moved on towards running
/// (placed, pulled, started), with the same desired status, health and instance, changes no
/// decision at once: a task without a health check counts as healthy only once it has run for
/// the settle time, which the full passes' timers see, and a health status that arrives is a
/// change of its own. Under a stream of agents' reports this keeps the passes, each over every
/// task of its services, from following every report; the service's running and pending counts
/// catch up at the next full pass.
pub(crate) fn wakes_service(old: Option<&IndexedTask>, new: Option<&IndexedTask>) -> bool {
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        // A new task; a removed one was stopped long before.
        (None, new) => return new.is_some(),
        (Some(_), None) => return false,
    };
    let starting = |t: &IndexedTask| matches!(phase(t), Phase::Pending | Phase::Running);
    !(starting(old)
        && starting(new)
        && old.desired_status() == new.desired_status()
        && health(old) == health(new)
        && old.instance_id == new.instance_id
        && old.group == new.group
        && old.started_by == new.started_by)
}

pub(super) fn health(task: &IndexedTask) -> deploy::Health {
    match task.health_status {
        Some(api::HealthStatus::Healthy) => deploy::Health::Healthy,
        Some(api::HealthStatus::Unhealthy) => deploy::Health::Unhealthy,
        _ => deploy::Health::Unknown,
    }
}

/// A stored rollout state as the pure scheduler knows it.
pub(super) fn rollout(state: RolloutState) -> Rollout {
    match state {
        RolloutState::Completed => Rollout::Completed,
        RolloutState::Failed => Rollout::Failed,
        RolloutState::InProgress => Rollout::InProgress,
    }
}

/// What a pass reads under the index lock.
pub(super) struct Read {
    pub(super) record: Arc<ServiceRecord>,
    pub(super) revision: i64,
    pub(super) tasks: Vec<Arc<IndexedTask>>,
    /// The instances the service's tasks are on (what scale-in decisions look at).
    pub(super) snapshot: scheduler::Snapshot,
    /// The ACTIVE instances, for DAEMON services only.
    pub(super) active: Vec<scheduler::Instance>,
    /// Instances of the service's tasks that are DRAINING or gone (deregistered): their tasks
    /// must move.
    pub(super) leaving: BTreeSet<String>,
}

pub(super) fn read(ctx: &Ctx, cluster: &str, name: &str) -> Option<Read> {
    let index = ctx.state().read();
    let cluster_index: &ClusterIndex = index.cluster(cluster)?;
    let entry = cluster_index.services.get(name)?;
    let record = Arc::clone(&entry.record);
    let tasks: Vec<Arc<IndexedTask>> = cluster_index
        .tasks_in_group(&format!("service:{name}"))
        .filter(|t| record.owns(t.as_ref()))
        .cloned()
        .collect();
    // The instances are only looked at to choose tasks to stop on scale-in, which needs more
    // live tasks than the desired count: a steady or growing service skips building them.
    let live =
        tasks.iter().filter(|t| !matches!(phase(t.as_ref()), Phase::Stopped | Phase::Stopping));
    let may_scale_in =
        live.count() > usize::try_from(record.service.desired_count.unwrap_or(0)).unwrap_or(0);
    // Each task's instance is looked up directly: a service's tasks are mostly on distinct
    // instances, so collecting the distinct hosts first saved few lookups and cost a sorted
    // insert per task. The set is built only for a scale-in's snapshot.
    // A task's instance is in its host cluster: the service's own, or the Fargate pool.
    let mut leaving = BTreeSet::new();
    let mut hosts: BTreeSet<(&str, &str)> = BTreeSet::new();
    let empty = ClusterIndex::default();
    for task in &tasks {
        let Some(host) = task.instance_id.as_deref() else { continue };
        let host_cluster = task.host_cluster();
        let host_index = if host_cluster == cluster {
            cluster_index
        } else {
            index.cluster(host_cluster).unwrap_or(&empty)
        };
        let gone_or_leaving = host_index.instances.get(host).is_none_or(|e| {
            matches!(e.record.instance.status, InstanceStatus::Draining | InstanceStatus::Inactive)
        });
        if gone_or_leaving && !leaving.contains(host) {
            leaving.insert(host.to_owned());
        }
        if may_scale_in {
            hosts.insert((host_cluster, host));
        }
    }
    let mut snapshot = scheduler::Snapshot { instances: Vec::new() };
    for (host_cluster, host) in hosts {
        let Some(host_index) = index.cluster(host_cluster) else { continue };
        if let Some(e) = host_index.instances.get(host) {
            snapshot.instances.push(placement::instance(ctx, host_index, host_cluster, &e.record));
        }
    }
    let daemon = record.service.scheduling_strategy == Some(SchedulingStrategy::Daemon);
    let active = if daemon {
        cluster_index
            .instances
            .values()
            .filter(|e| e.record.instance.status == InstanceStatus::Active)
            .map(|e| placement::instance(ctx, cluster_index, cluster, &e.record))
            .collect()
    } else {
        Vec::new()
    };
    Some(Read { record, revision: entry.mod_revision, tasks, snapshot, active, leaving })
}
