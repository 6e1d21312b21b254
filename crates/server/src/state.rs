//! The control plane's in-memory view of tasks and container instances, kept current by
//! watching the store.
//!
//! The store is the truth; this index is derived from it (the "informer" pattern): it is
//! loaded at start, then every committed change is applied in revision order. Handlers read
//! typed records from here instead of decoding JSON, and after a write they wait until the
//! index has applied their revision (`wait_for`), so a caller always reads its own writes.
//!
//! The index also derives what the agent channel needs: for each container instance, the
//! *generation* of its desired task set, which moves to the store revision of every change to
//! which tasks the instance should run (or stop). Agents long-poll on it.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::body::Bytes;
use std::sync::Arc;

use parking_lot::RwLock;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use store::{Event, EventKind, RangeOptions, Revision, Store, StoreError};

use crate::liveness::Liveness;
use crate::records::ErrorChain;

/// A container instance as stored: the ECS shape (its computed members left out) and the
/// names it is filed under.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InstanceRecord {
    pub(crate) cluster: String,
    pub(crate) id: String,
    pub(crate) instance: api::ContainerInstance,
}

/// What a task holds on its instance while it is not STOPPED.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Reservation {
    pub(crate) cpu: i64,
    pub(crate) memory: i64,
    #[serde(default)]
    pub(crate) ports_tcp: Vec<u16>,
    #[serde(default)]
    pub(crate) ports_udp: Vec<u16>,
}

/// A task as stored: the ECS shape and what Berth needs beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskRecord {
    pub(crate) cluster: String,
    pub(crate) id: String,
    /// The container instance the task was placed on.
    pub(crate) instance_id: Option<String>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    pub(crate) task: api::Task,
}

/// A task's JSON for DescribeTasks and the agent connectivity it was rendered with.
#[derive(Default)]
pub(crate) struct RenderCache(pub(crate) std::sync::OnceLock<(Option<api::Connectivity>, Bytes)>);

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderCache")
    }
}

/// What every form of a task tells about where it is in its life.
pub(crate) trait TaskState {
    fn cluster(&self) -> &str;
    fn id(&self) -> &str;
    fn instance_id(&self) -> Option<&str>;
    fn reservation(&self) -> &Reservation;
    fn group(&self) -> Option<&str>;
    fn started_by(&self) -> Option<&str>;
    /// `lastStatus` (PENDING when unset).
    fn last_status(&self) -> &str;
    /// `desiredStatus` (RUNNING when unset).
    fn desired_status(&self) -> &str;

    fn is_stopped(&self) -> bool {
        self.last_status() == "STOPPED"
    }
}

impl TaskState for TaskRecord {
    fn cluster(&self) -> &str {
        &self.cluster
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }
    fn reservation(&self) -> &Reservation {
        &self.reservation
    }
    fn group(&self) -> Option<&str> {
        self.task.group.as_deref()
    }
    fn started_by(&self) -> Option<&str> {
        self.task.started_by.as_deref()
    }
    fn last_status(&self) -> &str {
        self.task.last_status.as_deref().unwrap_or("PENDING")
    }
    fn desired_status(&self) -> &str {
        self.task.desired_status.as_deref().unwrap_or("RUNNING")
    }
}

impl<T: TaskState + ?Sized> TaskState for &T {
    fn cluster(&self) -> &str {
        (**self).cluster()
    }
    fn id(&self) -> &str {
        (**self).id()
    }
    fn instance_id(&self) -> Option<&str> {
        (**self).instance_id()
    }
    fn reservation(&self) -> &Reservation {
        (**self).reservation()
    }
    fn group(&self) -> Option<&str> {
        (**self).group()
    }
    fn started_by(&self) -> Option<&str> {
        (**self).started_by()
    }
    fn last_status(&self) -> &str {
        (**self).last_status()
    }
    fn desired_status(&self) -> &str {
        (**self).desired_status()
    }
}

impl<T: TaskState> TaskState for Arc<T> {
    fn cluster(&self) -> &str {
        (**self).cluster()
    }
    fn id(&self) -> &str {
        (**self).id()
    }
    fn instance_id(&self) -> Option<&str> {
        (**self).instance_id()
    }
    fn reservation(&self) -> &Reservation {
        (**self).reservation()
    }
    fn group(&self) -> Option<&str> {
        (**self).group()
    }
    fn started_by(&self) -> Option<&str> {
        (**self).started_by()
    }
    fn last_status(&self) -> &str {
        (**self).last_status()
    }
    fn desired_status(&self) -> &str {
        (**self).desired_status()
    }
}

/// A status name: the ones ECS defines without an allocation, anything else as given.
fn status_name(name: &str) -> std::borrow::Cow<'static, str> {
    const KNOWN: [&str; 8] = [
        "PROVISIONING",
        "PENDING",
        "ACTIVATING",
        "RUNNING",
        "DEACTIVATING",
        "STOPPING",
        "DEPROVISIONING",
        "STOPPED",
    ];
    match KNOWN.iter().find(|known| **known == name) {
        Some(known) => std::borrow::Cow::Borrowed(known),
        None => std::borrow::Cow::Owned(name.to_owned()),
    }
}

/// A task as the index keeps it: what the control plane decides on, decoded, and the stored
/// record's JSON (the very buffer the store keeps) for everything else, decoded on demand
/// ([`IndexedTask::record`]). A hundred thousand tasks cost a fraction of their decoded size.
pub(crate) struct IndexedTask {
    pub(crate) cluster: String,
    pub(crate) id: String,
    pub(crate) instance_id: Option<String>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    last_status: std::borrow::Cow<'static, str>,
    desired_status: std::borrow::Cow<'static, str>,
    pub(crate) group: Option<String>,
    pub(crate) started_by: Option<String>,
    pub(crate) launch_type: Option<api::LaunchType>,
    pub(crate) health_status: Option<api::HealthStatus>,
    pub(crate) created_at: f64,
    pub(crate) started_at: Option<f64>,
    pub(crate) stopped_at: Option<f64>,
    pub(crate) stop_code: Option<api::TaskStopCode>,
    /// The service scheduler stopped it for failing health checks.
    pub(crate) stopped_for_health: bool,
    pub(crate) overrides: Option<Box<api::TaskOverride>>,
    /// The store revision at which what the instance's agent is told of the task (its place
    /// in the instance's desired set, its desired status) last changed, or a later one: a
    /// poll from an agent that applied that generation or a later one already has it.
    pub(crate) desired_since: Revision,
    json: Bytes,
    /// The task as DescribeTasks shows it (without tags), serialized once per version of the
    /// record.
    pub(crate) rendered: RenderCache,
}

impl std::fmt::Debug for IndexedTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedTask")
            .field("cluster", &self.cluster)
            .field("id", &self.id)
            .field("last_status", &self.last_status)
            .finish_non_exhaustive()
    }
}

/// The part of a stored task the index decodes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexedForm<'a> {
    cluster: String,
    id: String,
    instance_id: Option<String>,
    family: String,
    revision: i32,
    reservation: Reservation,
    #[serde(borrow)]
    task: IndexedTaskForm<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexedTaskForm<'a> {
    #[serde(borrow)]
    last_status: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    desired_status: Option<std::borrow::Cow<'a, str>>,
    group: Option<String>,
    started_by: Option<String>,
    launch_type: Option<api::LaunchType>,
    health_status: Option<api::HealthStatus>,
    created_at: Option<f64>,
    started_at: Option<f64>,
    stopped_at: Option<f64>,
    stop_code: Option<api::TaskStopCode>,
    #[serde(borrow)]
    stopped_reason: Option<std::borrow::Cow<'a, str>>,
    overrides: Option<Box<api::TaskOverride>>,
}

impl IndexedTask {
    /// Reads a stored task record (its `desired_since` is 0 until set).
    pub(crate) fn decode(json: Bytes) -> Result<IndexedTask, serde_json::Error> {
        let form: IndexedForm<'_> = serde_json::from_slice(&json)?;
        let task = form.task;
        let indexed = IndexedTask {
            cluster: form.cluster,
            id: form.id,
            instance_id: form.instance_id,
            family: form.family,
            revision: form.revision,
            reservation: form.reservation,
            last_status: status_name(task.last_status.as_deref().unwrap_or("PENDING")),
            desired_status: status_name(task.desired_status.as_deref().unwrap_or("RUNNING")),
            group: task.group,
            started_by: task.started_by,
            launch_type: task.launch_type,
            health_status: task.health_status,
            created_at: task.created_at.unwrap_or(0.0),
            started_at: task.started_at,
            stopped_at: task.stopped_at,
            stop_code: task.stop_code,
            stopped_for_health: task.stopped_reason.as_deref()
                == Some(crate::service_scheduler::HEALTH_REASON),
            overrides: task.overrides,
            desired_since: 0,
            json: Bytes::new(),
            rendered: RenderCache::default(),
        };
        Ok(IndexedTask { json, ..indexed })
    }

    /// The whole record, decoded from its stored JSON.
    pub(crate) fn record(&self) -> Result<TaskRecord, api::ApiError> {
        serde_json::from_slice(&self.json).map_err(|error| {
            tracing::error!(task = %self.id, %error, "An indexed task does not decode");
            api::ApiError::server()
        })
    }
}

impl TaskState for IndexedTask {
    fn cluster(&self) -> &str {
        &self.cluster
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }
    fn reservation(&self) -> &Reservation {
        &self.reservation
    }
    fn group(&self) -> Option<&str> {
        self.group.as_deref()
    }
    fn started_by(&self) -> Option<&str> {
        self.started_by.as_deref()
    }
    fn last_status(&self) -> &str {
        &self.last_status
    }
    fn desired_status(&self) -> &str {
        &self.desired_status
    }
}

/// What the instance's agent is told about a task: `None` once it is STOPPED.
fn desired_view(task: &IndexedTask) -> Option<(&str, &str)> {
    if task.is_stopped() {
        return None;
    }
    Some((task.instance_id.as_deref()?, task.desired_status()))
}

/// One deployment of a service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentRecord {
    /// `ecs-svc/<19 digits>`; tasks of the deployment carry it in `startedBy`.
    pub(crate) id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub(crate) status: String,
    pub(crate) task_definition: String,
    pub(crate) family: String,
    pub(crate) revision: i32,
    /// IN_PROGRESS, COMPLETED or FAILED.
    pub(crate) rollout: String,
    pub(crate) rollout_reason: Option<String>,
    pub(crate) configuration: api::DeploymentConfiguration,
    pub(crate) desired_count: i32,
    pub(crate) failed_tasks: i32,
    pub(crate) created_at: f64,
    pub(crate) updated_at: f64,
    pub(crate) finished_at: Option<f64>,
    /// This deployment rolls back to an earlier one.
    #[serde(default)]
    pub(crate) rollback: bool,
    /// The deployments it replaced.
    #[serde(default)]
    pub(crate) replaced: Vec<String>,
}

/// A service as stored: the ECS shape (without deployments, events and counts) and Berth's
/// bookkeeping.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServiceRecord {
    pub(crate) cluster: String,
    pub(crate) name: String,
    pub(crate) service: api::Service,
    /// Newest first. INACTIVE ones are kept (the last few) for DescribeServiceDeployments.
    pub(crate) deployments: Vec<DeploymentRecord>,
    /// Newest first, at most 100.
    #[serde(default)]
    pub(crate) events: Vec<api::ServiceEvent>,
    /// The last deployment that completed, for rollbacks.
    pub(crate) last_completed: Option<String>,
    /// The CreateService client token and a fingerprint of the request, for idempotency.
    pub(crate) client_token: Option<String>,
    pub(crate) fingerprint: Option<String>,
}

impl ServiceRecord {
    pub(crate) fn status(&self) -> &str {
        self.service.status.as_deref().unwrap_or("ACTIVE")
    }

    /// Whether a task belongs to this service: its group and one of its deployments.
    pub(crate) fn owns(&self, task: &impl TaskState) -> bool {
        task.group().and_then(|g| g.strip_prefix("service:")) == Some(self.name.as_str())
            && task.started_by().is_some_and(|by| self.deployments.iter().any(|d| d.id == by))
    }
}

/// A record and the revision that last wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    pub(crate) record: Arc<T>,
    pub(crate) mod_revision: Revision,
}

/// The cluster's placement planner, built on first use and then kept current by the same
/// events as the index; `None` until built, or after a change it could not apply (it is then
/// rebuilt from the index on next use).
#[derive(Default)]
pub(crate) struct PlannerSlot(pub(crate) parking_lot::Mutex<Option<scheduler::Planner>>);

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

/// Everything of one cluster.
#[derive(Debug, Default)]
pub(crate) struct ClusterIndex {
    pub(crate) instances: BTreeMap<String, Entry<InstanceRecord>>,
    pub(crate) tasks: BTreeMap<String, Entry<IndexedTask>>,
    pub(crate) services: BTreeMap<String, Entry<ServiceRecord>>,
    /// The tasks (by id) per instance id, for tasks that are not STOPPED: the same records as
    /// `tasks`, so reading an instance's tasks needs no lookup in the cluster's map.
    pub(crate) active_by_instance: HashMap<String, BTreeMap<String, Arc<IndexedTask>>>,
    /// The tasks (by id) per task group (`service:<name>`, `family:<family>`, ...), stopped
    /// ones too; the same records as `tasks`.
    pub(crate) by_group: HashMap<String, BTreeMap<String, Arc<IndexedTask>>>,
    pub(crate) running_tasks: usize,
    pub(crate) pending_tasks: usize,
    /// Mirrors the instances and their active tasks for placement.
    pub(crate) planner: PlannerSlot,
}

impl ClusterIndex {
    fn count(&mut self, task: &IndexedTask, delta: isize) {
        let counter = match task.last_status() {
            "RUNNING" => &mut self.running_tasks,
            "PROVISIONING" | "PENDING" | "ACTIVATING" => &mut self.pending_tasks,
            // Stopping tasks are neither running nor pending, as in ECS's counts.
            _ => return,
        };
        *counter = counter.saturating_add_signed(delta);
    }

    /// The tasks of a group, stopped ones included.
    pub(crate) fn tasks_in_group(&self, group: &str) -> impl Iterator<Item = &Arc<IndexedTask>> {
        self.by_group.get(group).into_iter().flat_map(BTreeMap::values)
    }

    /// The tasks on an instance that are not STOPPED.
    pub(crate) fn tasks_on(&self, instance_id: &str) -> impl Iterator<Item = &Arc<IndexedTask>> {
        self.active_by_instance.get(instance_id).into_iter().flat_map(BTreeMap::values)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) revision: Revision,
    pub(crate) clusters: BTreeMap<String, ClusterIndex>,
    /// The desired-set generation of each instance (by cluster and id) that changed since load.
    generations: HashMap<(String, String), Revision>,
    /// The revision the index was loaded at: the generation of every instance not changed since.
    loaded_at: Revision,
}

impl Index {
    pub(crate) fn cluster(&self, name: &str) -> Option<&ClusterIndex> {
        self.clusters.get(name)
    }

    /// The generation of an instance's desired task set.
    pub(crate) fn generation(&self, cluster: &str, instance_id: &str) -> Revision {
        self.generations
            .get(&(cluster.to_owned(), instance_id.to_owned()))
            .copied()
            .unwrap_or(self.loaded_at)
    }
}

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

/// The index and the means to wait on it.
pub(crate) struct State {
    index: RwLock<Index>,
    applied: watch::Sender<Revision>,
    /// Counts changes to tasks, services and container instances (not to other keys), for the
    /// loops that act on them.
    changes: watch::Sender<u64>,
    /// The services whose tasks, record or cluster's instances changed since the service
    /// scheduler last looked.
    dirty: parking_lot::Mutex<Dirty>,
    /// Wakes the long-polls of instances whose desired set changed (by cluster and id).
    pollers: parking_lot::Mutex<HashMap<(String, String), watch::Sender<Revision>>>,
    liveness: Liveness,
}

const TASKS: &str = "/tasks/";
const INSTANCES: &str = "/instances/";
const SERVICES: &str = "/services/";

/// Splits `/tasks/<cluster>/<id>` into its cluster and id.
fn names<'a>(key: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    key.strip_prefix(prefix)?.split_once('/')
}

impl State {
    /// Loads the index from the store and starts following it.
    pub(crate) async fn start(
        store: Arc<dyn Store>,
        liveness: Liveness,
    ) -> Result<Arc<State>, StoreError> {
        let index = load(store.as_ref(), &liveness).await?;
        let revision = index.revision;
        let (applied, _) = watch::channel(revision);
        let state = Arc::new(State {
            index: RwLock::new(index),
            applied,
            changes: watch::channel(0).0,
            dirty: parking_lot::Mutex::new(Dirty::default()),
            pollers: parking_lot::Mutex::new(HashMap::new()),
            liveness,
        });
        tokio::spawn(follow(store, Arc::downgrade(&state), revision));
        Ok(state)
    }

    /// Which agents are connected.
    pub(crate) fn liveness(&self) -> &Liveness {
        &self.liveness
    }

    /// Reads the index. Do not hold the guard across an `.await`.
    pub(crate) fn read(&self) -> parking_lot::RwLockReadGuard<'_, Index> {
        self.index.read()
    }

    /// The store revision the index has applied.
    pub(crate) fn revision(&self) -> Revision {
        *self.applied.borrow()
    }

    /// Waits until the index has applied `revision`.
    pub(crate) async fn wait_for(&self, revision: Revision) {
        let mut applied = self.applied.subscribe();
        let _ = applied.wait_for(|&r| r >= revision).await;
    }

    /// A receiver that changes whenever a task, service or container instance does.
    /// Takes the set of services that changed since the last call.
    pub(crate) fn take_dirty(&self) -> Dirty {
        std::mem::take(&mut *self.dirty.lock())
    }

    pub(crate) fn subscribe_changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// A receiver that changes whenever the instance's desired set does.
    pub(crate) fn watch_instance(
        &self,
        cluster: &str,
        instance_id: &str,
    ) -> watch::Receiver<Revision> {
        let generation = self.read().generation(cluster, instance_id);
        let mut pollers = self.pollers.lock();
        pollers
            .entry((cluster.to_owned(), instance_id.to_owned()))
            .or_insert_with(|| watch::channel(generation).0)
            .subscribe()
    }

    fn apply(&self, events: &[Event]) {
        let mut woken = Vec::new();
        let mut services = Vec::new();
        let relevant = events.iter().any(|e| {
            let key = e.kv.key.as_str();
            key.starts_with(TASKS) || key.starts_with(SERVICES) || key.starts_with(INSTANCES)
        });
        {
            let mut index = self.index.write();
            for event in events {
                apply_event(&mut index, event, &mut woken, &mut services, &self.liveness);
                index.revision = index.revision.max(event.kv.mod_revision);
            }
        }
        if !woken.is_empty() {
            let pollers = self.pollers.lock();
            for (key, generation) in woken {
                if let Some(sender) = pollers.get(&key) {
                    sender.send_replace(generation);
                }
            }
        }
        if relevant {
            let mut dirty = self.dirty.lock();
            dirty.services.extend(services);
            for event in events {
                let key = event.kv.key.as_str();
                if let Some((cluster, name)) = names(key, SERVICES) {
                    dirty.services.insert((cluster.to_owned(), name.to_owned()));
                } else if let Some((cluster, _)) = names(key, INSTANCES) {
                    dirty.clusters.insert(cluster.to_owned());
                }
            }
        }
        let revision = self.index.read().revision;
        self.applied.send_replace(revision);
        if relevant {
            self.changes.send_modify(|n| *n += 1);
        }
    }

    fn replace(&self, index: Index) {
        let revision = index.revision;
        *self.index.write() = index;
        self.dirty.lock().all = true;
        // Every instance may have changed: wake every poll.
        for sender in self.pollers.lock().values() {
            sender.send_replace(revision);
        }
        self.applied.send_replace(revision);
        self.changes.send_modify(|n| *n += 1);
    }
}

async fn load(store: &dyn Store, liveness: &Liveness) -> Result<Index, StoreError> {
    let mut index = Index::default();
    let mut woken = Vec::new();
    let revision = store.revision();
    for prefix in [INSTANCES, TASKS, SERVICES] {
        let range = store.range(prefix, RangeOptions::default()).await?;
        index.revision = index.revision.max(range.revision);
        for kv in range.kvs {
            let event = Event { kind: EventKind::Put, kv };
            apply_event(&mut index, &event, &mut woken, &mut Vec::new(), liveness);
        }
    }
    index.revision = index.revision.max(revision);
    index.generations.clear();
    index.loaded_at = index.revision;
    Ok(index)
}

async fn follow(store: Arc<dyn Store>, state: std::sync::Weak<State>, mut after: Revision) {
    loop {
        let mut watcher = match store.watch("/", after) {
            Ok(watcher) => watcher,
            Err(error) => {
                tracing::warn!(error = %ErrorChain(&error), "Reloading the state index");
                let Some(strong) = state.upgrade() else { return };
                let loaded = load(store.as_ref(), &strong.liveness).await;
                drop(strong);
                match loaded {
                    Ok(index) => {
                        after = index.revision;
                        let Some(state) = state.upgrade() else { return };
                        state.replace(index);
                        continue;
                    }
                    Err(error) => {
                        tracing::error!(error = %ErrorChain(&error), "Loading the state index failed");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                }
            }
        };
        loop {
            match watcher.next().await {
                Ok(events) => {
                    let Some(state) = state.upgrade() else { return };
                    if let Some(last) = events.last() {
                        after = last.kv.mod_revision;
                    }
                    state.apply(&events);
                }
                Err(StoreError::Closed) => return,
                Err(error) => {
                    tracing::warn!(error = %ErrorChain(&error), "The store watch ended");
                    break;
                }
            }
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
            task_id: task.id.clone(),
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

/// Applies one change to the index. `woken` gets the instances whose desired set changed,
/// `services` the (cluster, service) pairs whose task changed in a way that calls for a pass
/// now (see [`crate::service_scheduler::wakes_service`]).
fn apply_event(
    index: &mut Index,
    event: &Event,
    woken: &mut Vec<((String, String), Revision)>,
    services: &mut Vec<(String, String)>,
    liveness: &Liveness,
) {
    let key = event.kv.key.as_str();
    let revision = event.kv.mod_revision;
    if let Some((cluster, id)) = names(key, TASKS) {
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        let new = match event.kind {
            EventKind::Put => match IndexedTask::decode(event.kv.value.clone()) {
                Ok(mut record) => {
                    // Unchanged for the agent since the previous version, or changed now.
                    let previous = cluster_index.tasks.get(id).map(|e| &e.record);
                    record.desired_since = match previous {
                        Some(p) if desired_view(p) == desired_view(&record) => p.desired_since,
                        _ => revision,
                    };
                    Some(Arc::new(record))
                }
                Err(error) => {
                    tracing::error!(key, error = %error, "A stored task does not decode");
                    return;
                }
            },
            EventKind::Delete => None,
        };
        let old = match &new {
            Some(record) => cluster_index
                .tasks
                .insert(id.to_owned(), Entry { record: record.clone(), mod_revision: revision }),
            None => cluster_index.tasks.remove(id),
        };
        if let Some(old) = &old {
            cluster_index.count(&old.record, -1);
            if let Some(group) = &old.record.group
                && let Some(set) = cluster_index.by_group.get_mut(group)
            {
                set.remove(id);
                if set.is_empty() {
                    cluster_index.by_group.remove(group);
                }
            }
            if let Some(instance) = &old.record.instance_id
                && let Some(set) = cluster_index.active_by_instance.get_mut(instance)
            {
                set.remove(id);
            }
        }
        plan_task_change(
            &cluster_index.planner,
            old.as_ref().map(|o| o.record.as_ref()),
            new.as_deref(),
        );
        let service = new
            .as_deref()
            .or(old.as_ref().map(|o| o.record.as_ref()))
            .and_then(|t| t.group.as_deref()?.strip_prefix("service:"));
        if let Some(service) = service
            && crate::service_scheduler::wakes_service(
                old.as_ref().map(|o| o.record.as_ref()),
                new.as_deref(),
            )
        {
            services.push((cluster.to_owned(), service.to_owned()));
        }
        if let Some(new) = &new {
            cluster_index.count(new, 1);
            if let Some(group) = &new.group {
                cluster_index
                    .by_group
                    .entry(group.clone())
                    .or_default()
                    .insert(id.to_owned(), new.clone());
            }
            if let (Some(instance), false) = (&new.instance_id, new.is_stopped()) {
                cluster_index
                    .active_by_instance
                    .entry(instance.clone())
                    .or_default()
                    .insert(id.to_owned(), new.clone());
            }
        }
        let before = old
            .as_ref()
            .and_then(|o| desired_view(&o.record).map(|(i, d)| (i.to_owned(), d.to_owned())));
        let after =
            new.as_ref().and_then(|n| desired_view(n).map(|(i, d)| (i.to_owned(), d.to_owned())));
        if before != after {
            for (instance, _) in before.into_iter().chain(after) {
                let key = (cluster.to_owned(), instance);
                index.generations.insert(key.clone(), revision);
                woken.push((key, revision));
            }
        }
    } else if let Some((cluster, name)) = names(key, SERVICES) {
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        match event.kind {
            EventKind::Put => match serde_json::from_slice::<ServiceRecord>(&event.kv.value) {
                Ok(record) => {
                    cluster_index.services.insert(
                        name.to_owned(),
                        Entry { record: Arc::new(record), mod_revision: revision },
                    );
                }
                Err(error) => {
                    tracing::error!(key, error = %error, "A stored service does not decode")
                }
            },
            EventKind::Delete => {
                cluster_index.services.remove(name);
            }
        }
    } else if let Some((cluster, id)) = names(key, INSTANCES) {
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        match event.kind {
            EventKind::Put => match serde_json::from_slice::<InstanceRecord>(&event.kv.value) {
                Ok(record) => {
                    let connected = liveness.connected(cluster, id);
                    let instance = crate::placement::instance_of(cluster_index, &record, connected);
                    cluster_index.instances.insert(
                        id.to_owned(),
                        Entry { record: Arc::new(record), mod_revision: revision },
                    );
                    cluster_index.planner.apply(scheduler::Delta::UpsertInstance(instance));
                }
                Err(error) => {
                    tracing::error!(key, error = %error, "A stored container instance does not decode")
                }
            },
            EventKind::Delete => {
                cluster_index.instances.remove(id);
                cluster_index
                    .planner
                    .apply(scheduler::Delta::RemoveInstance { instance_id: id.to_owned() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(task: api::Task) -> TaskRecord {
        TaskRecord {
            cluster: "c".to_owned(),
            id: "t1".to_owned(),
            instance_id: Some("i1".to_owned()),
            family: "web".to_owned(),
            revision: 3,
            reservation: Reservation {
                cpu: 256,
                memory: 512,
                ports_tcp: vec![80],
                ports_udp: vec![],
            },
            task,
        }
    }

    #[test]
    fn an_indexed_task_decodes_what_decisions_read_and_keeps_the_rest() {
        let record = stored(api::Task {
            last_status: Some("STOPPED".to_owned()),
            desired_status: Some("STOPPED".to_owned()),
            group: Some("service:web".to_owned()),
            started_by: Some("ecs-svc/1".to_owned()),
            health_status: Some(api::HealthStatus::Unhealthy),
            started_at: Some(10.5),
            stopped_at: Some(20.25),
            stop_code: Some(api::TaskStopCode::ServiceSchedulerInitiated),
            stopped_reason: Some(crate::service_scheduler::HEALTH_REASON.to_owned()),
            cpu: Some("256".to_owned()),
            ..api::Task::default()
        });
        let json = crate::records::encode(&record);
        let indexed = IndexedTask::decode(json.clone()).unwrap();
        assert_eq!((indexed.last_status(), indexed.desired_status()), ("STOPPED", "STOPPED"));
        assert!(indexed.is_stopped());
        assert_eq!(indexed.group(), Some("service:web"));
        assert_eq!(indexed.started_by(), Some("ecs-svc/1"));
        assert_eq!(indexed.health_status, Some(api::HealthStatus::Unhealthy));
        assert_eq!((indexed.started_at, indexed.stopped_at), (Some(10.5), Some(20.25)));
        assert!(indexed.stopped_for_health);
        assert_eq!(indexed.reservation, record.reservation);
        // The stored JSON is kept as it is (the same buffer), and decodes to the whole record.
        assert_eq!(indexed.json.as_ptr(), json.as_ptr());
        let whole = indexed.record().unwrap();
        assert_eq!(whole.task, record.task);
        assert_eq!(crate::records::encode(&whole), json);
    }

    #[test]
    fn only_changes_that_alter_decisions_wake_the_service_scheduler() {
        use crate::service_scheduler::wakes_service;
        let task = |last: &str, desired: &str, health: Option<api::HealthStatus>| {
            let record = stored(api::Task {
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
        moved.instance_id = Some("i2".to_owned());
        assert!(wakes_service(Some(&pending), Some(&moved)));
        // Removing a (stopped) task decides nothing.
        assert!(!wakes_service(Some(&stopped), None));
    }

    #[test]
    fn statuses_default_as_ecs_shows_them_and_keep_unknown_names() {
        let indexed =
            IndexedTask::decode(crate::records::encode(&stored(api::Task::default()))).unwrap();
        assert_eq!((indexed.last_status(), indexed.desired_status()), ("PENDING", "RUNNING"));
        let odd =
            stored(api::Task { last_status: Some("PAUSED".to_owned()), ..api::Task::default() });
        let indexed = IndexedTask::decode(crate::records::encode(&odd)).unwrap();
        assert_eq!(indexed.last_status(), "PAUSED");
        assert!(!indexed.stopped_for_health);
    }
}
