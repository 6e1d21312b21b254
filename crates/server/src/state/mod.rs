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

mod indexed;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use parking_lot::RwLock;
use tokio::sync::watch;

use store::{Event, EventKind, RangeOptions, Revision, Store, StoreError};

use crate::records;
use crate::records::keys::{self, INSTANCES, SERVICES, TASKS};
use crate::records::{
    ErrorChain, InstanceId, InstanceRecord, ServiceName, ServiceRecord, TaskId, TaskState,
    TaskStatus,
};
use crate::workers::{Kind, Worker, Workers};

pub(crate) use indexed::IndexedTask;
use indexed::desired_view;

/// A change the index applied, as its observers see it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    /// A task was written (`old` is `None` for a new one) or removed (`new` is `None`).
    Task { old: Option<&'a IndexedTask>, new: Option<&'a IndexedTask> },
    /// A container instance was written, or removed (`record` is `None`).
    Instance { id: &'a str, record: Option<&'a InstanceRecord> },
    /// A service's record was written or removed.
    Service { name: &'a str },
}

/// What keeps state derived from the index (the placement planners, the service scheduler's
/// list of services to look at) learns of every change here. It is called under the index's
/// write lock, after the change is applied, so whatever it keeps moves in step with the index:
/// a reader holding the index's read guard sees both at the same revision. It must be quick and
/// must not read the index through [`State`] (the lock is held).
pub(crate) trait Observer: Send + Sync {
    /// A change in `cluster`; `index` is the cluster after it.
    fn changed(&self, cluster: &str, index: &ClusterIndex, change: Change<'_>);
    /// The index was loaded again from the store: anything derived from it is stale.
    fn reloaded(&self);
}

/// [`records::modify`], then waits until the index has applied the write, so that what the
/// caller reads from the index next (to render its answer, say) includes it.
pub(crate) async fn modify_seen<T, F, E>(ctx: &crate::Ctx, key: &str, change: F) -> Result<T, E>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    F: FnMut(Option<T>) -> Result<T, E>,
    E: From<crate::error::Error>,
{
    let (value, revision) = records::modify_at(ctx, key, change).await?;
    ctx.state().wait_for(revision).await;
    Ok(value)
}

/// A record and the revision that last wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Entry<T> {
    pub(crate) record: Arc<T>,
    pub(crate) mod_revision: Revision,
}

/// Everything of one cluster.
#[derive(Debug, Default)]
pub(crate) struct ClusterIndex {
    pub(crate) instances: BTreeMap<InstanceId, Entry<InstanceRecord>>,
    pub(crate) tasks: BTreeMap<TaskId, Entry<IndexedTask>>,
    pub(crate) services: BTreeMap<ServiceName, Entry<ServiceRecord>>,
    /// The tasks (by id) per instance id, for tasks that are not STOPPED: the same records as
    /// `tasks`, so reading an instance's tasks needs no lookup in the cluster's map.
    pub(crate) active_by_instance: HashMap<InstanceId, BTreeMap<TaskId, Arc<IndexedTask>>>,
    /// The tasks (by id) per task group (`service:<name>`, `family:<family>`, ...), stopped
    /// ones too; the same records as `tasks`.
    pub(crate) by_group: HashMap<String, BTreeMap<TaskId, Arc<IndexedTask>>>,
    pub(crate) running_tasks: usize,
    pub(crate) pending_tasks: usize,
}

impl ClusterIndex {
    fn count(&mut self, task: &IndexedTask, delta: isize) {
        let counter = match task.last_status() {
            TaskStatus::Running => &mut self.running_tasks,
            status if status.is_pending() => &mut self.pending_tasks,
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

/// The index and the means to wait on it.
pub(crate) struct State {
    index: RwLock<Index>,
    applied: watch::Sender<Revision>,
    /// Counts changes to tasks, services and container instances (not to other keys), for the
    /// loops that act on them.
    changes: watch::Sender<u64>,
    /// Wakes the long-polls of instances whose desired set changed (by cluster and id).
    pollers: parking_lot::Mutex<HashMap<(String, String), watch::Sender<Revision>>>,
    observers: Vec<Arc<dyn Observer>>,
}

impl State {
    /// Loads the index from the store and starts following it.
    pub(crate) async fn start(
        store: Arc<dyn Store>,
        observers: Vec<Arc<dyn Observer>>,
        workers: &Workers,
    ) -> Result<Arc<State>, StoreError> {
        let index = load(store.as_ref()).await?;
        let revision = index.revision;
        let (applied, _) = watch::channel(revision);
        let state = Arc::new(State {
            index: RwLock::new(index),
            applied,
            changes: watch::channel(0).0,
            pollers: parking_lot::Mutex::new(HashMap::new()),
            observers,
        });
        let weak = Arc::downgrade(&state);
        workers.spawn("index", Kind::Housekeeping, move |worker| {
            follow(store, weak, revision, worker)
        });
        Ok(state)
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
        let relevant = events.iter().any(|e| {
            let key = e.kv.key.as_str();
            key.starts_with(TASKS) || key.starts_with(SERVICES) || key.starts_with(INSTANCES)
        });
        {
            let mut index = self.index.write();
            for event in events {
                apply_event(&mut index, event, &mut woken, &self.observers);
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
        let revision = self.index.read().revision;
        self.applied.send_replace(revision);
        if relevant {
            self.changes.send_modify(|n| *n += 1);
        }
    }

    fn replace(&self, index: Index) {
        let revision = index.revision;
        {
            let mut current = self.index.write();
            *current = index;
            for observer in &self.observers {
                observer.reloaded();
            }
        }
        // Every instance may have changed: wake every poll.
        for sender in self.pollers.lock().values() {
            sender.send_replace(revision);
        }
        self.applied.send_replace(revision);
        self.changes.send_modify(|n| *n += 1);
    }
}

async fn load(store: &dyn Store) -> Result<Index, StoreError> {
    let mut index = Index::default();
    let mut woken = Vec::new();
    let revision = store.revision();
    for prefix in [INSTANCES, TASKS, SERVICES] {
        let range = store.range(prefix, RangeOptions::default()).await?;
        index.revision = index.revision.max(range.revision);
        for kv in range.kvs {
            let event = Event { kind: EventKind::Put, kv };
            apply_event(&mut index, &event, &mut woken, &[]);
        }
    }
    index.revision = index.revision.max(revision);
    index.generations.clear();
    index.loaded_at = index.revision;
    Ok(index)
}

/// The `index` worker: applies every change the store commits, in order; reloads the whole
/// index when the watch falls behind the store's history. It stops last (it started first), so
/// the other workers' waits for their writes end.
async fn follow(
    store: Arc<dyn Store>,
    state: std::sync::Weak<State>,
    mut after: Revision,
    mut worker: Worker,
) {
    while !worker.stopping() {
        let mut watcher = match store.watch("/", after) {
            Ok(watcher) => watcher,
            Err(error) => {
                tracing::warn!(error = %ErrorChain(&error), "Reloading the state index");
                match load(store.as_ref()).await {
                    Ok(index) => {
                        after = index.revision;
                        let Some(state) = state.upgrade() else { return };
                        state.replace(index);
                        worker.ran(0);
                    }
                    Err(error) => {
                        worker.failed(&format!("loading the index: {}", ErrorChain(&error)));
                        worker.sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
                continue;
            }
        };
        loop {
            let next = tokio::select! {
                next = watcher.next() => next,
                () = worker.stopped() => return,
            };
            match next {
                Ok(events) => {
                    let Some(state) = state.upgrade() else { return };
                    if let Some(last) = events.last() {
                        after = last.kv.mod_revision;
                    }
                    state.apply(&events);
                    worker.ran(events.len() as u64);
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

/// Applies one change to the index and tells the observers. `woken` gets the instances whose
/// desired set changed.
fn apply_event(
    index: &mut Index,
    event: &Event,
    woken: &mut Vec<((String, String), Revision)>,
    observers: &[Arc<dyn Observer>],
) {
    let tell = |cluster: &str, index: &ClusterIndex, change: Change<'_>| {
        for observer in observers {
            observer.changed(cluster, index, change);
        }
    };
    let key = event.kv.key.as_str();
    let revision = event.kv.mod_revision;
    if let Some((cluster, id)) = keys::names(key, TASKS) {
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
            Some(record) => cluster_index.tasks.insert(
                id.to_owned().into(),
                Entry { record: record.clone(), mod_revision: revision },
            ),
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
        }
        if let Some(new) = &new {
            cluster_index.count(new, 1);
            if let Some(group) = &new.group {
                cluster_index
                    .by_group
                    .entry(group.clone())
                    .or_default()
                    .insert(id.to_owned().into(), new.clone());
            }
        }
        // A task's place on its instance is filed under the instance's cluster: its own, or
        // the Fargate pool's, whose hosts serve every cluster.
        if let Some(old) = &old
            && let Some(instance) = &old.record.instance_id
            && let Some(set) = index
                .clusters
                .get_mut(old.record.host_cluster())
                .and_then(|c| c.active_by_instance.get_mut(instance))
        {
            set.remove(id);
        }
        if let Some(new) = &new
            && let (Some(instance), false) = (&new.instance_id, new.is_stopped())
        {
            index
                .clusters
                .entry(new.host_cluster().to_owned())
                .or_default()
                .active_by_instance
                .entry(instance.clone())
                .or_default()
                .insert(id.to_owned().into(), new.clone());
        }
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        tell(
            cluster,
            cluster_index,
            Change::Task { old: old.as_ref().map(|o| o.record.as_ref()), new: new.as_deref() },
        );
        let view = |task: &IndexedTask| {
            desired_view(task)
                .map(|(i, d)| ((task.host_cluster().to_owned(), i.to_owned()), d.to_owned()))
        };
        let before = old.as_ref().and_then(|o| view(&o.record));
        let after = new.as_ref().and_then(|n| view(n));
        if before != after {
            for (key, _) in before.into_iter().chain(after) {
                index.generations.insert(key.clone(), revision);
                woken.push((key, revision));
            }
        }
    } else if let Some((cluster, name)) = keys::names(key, SERVICES) {
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        match event.kind {
            EventKind::Put => match serde_json::from_slice::<ServiceRecord>(&event.kv.value) {
                Ok(record) => {
                    cluster_index.services.insert(
                        name.to_owned().into(),
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
        tell(cluster, cluster_index, Change::Service { name });
    } else if let Some((cluster, id)) = keys::names(key, INSTANCES) {
        let cluster_index = index.clusters.entry(cluster.to_owned()).or_default();
        match event.kind {
            EventKind::Put => match serde_json::from_slice::<InstanceRecord>(&event.kv.value) {
                Ok(record) => {
                    let record = Arc::new(record);
                    cluster_index.instances.insert(
                        id.to_owned().into(),
                        Entry { record: record.clone(), mod_revision: revision },
                    );
                    tell(cluster, cluster_index, Change::Instance { id, record: Some(&record) });
                }
                Err(error) => {
                    tracing::error!(key, error = %error, "A stored container instance does not decode")
                }
            },
            EventKind::Delete => {
                cluster_index.instances.remove(id);
                tell(cluster, cluster_index, Change::Instance { id, record: None });
            }
        }
    }
}
