//! The incremental planner: [`Planner`] keeps a cluster's instances and, per request shape, the
//! filtered and ordered candidates between requests, so that a request costs `O(log n)` per task
//! plus the instances that changed since that shape was last planned, instead of a pass over every
//! instance.
//!
//! It gives exactly the plans of the stateless [`crate::plan`] on [`Planner::snapshot`] (same
//! request, same seed). `docs/dev/scheduler.md` describes the data structures.

mod index;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use crate::model::{
    Instance, InstanceStatus, PlacementRequest, Plan, PlanCtx, Protocol, Snapshot, TaskOnInstance,
};
use crate::place::{self, Prepared, hash_str};

use self::index::ShapeIndex;

/// How many request shapes keep an index by default; see [`Planner::set_max_shapes`].
pub const DEFAULT_MAX_SHAPES: usize = 32;

/// A change to the cluster, applied with [`Planner::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// A task now occupies the instance: its resources are reserved and it counts for its group
    /// (spread, `distinctInstance`, `task:group`, `runningTasksCount`).
    TaskPlaced {
        instance_id: String,
        task: TaskOnInstance,
        cpu: i64,
        memory: i64,
        /// The task's static host ports; they become reserved on the instance.
        host_ports: Vec<(u16, Protocol)>,
    },
    /// A task left the instance (stopped, or its placement was not committed): its resources are
    /// released. The reservation must be the one the task was placed with; a host port is released
    /// unless the instance's registered resources reserve it.
    TaskRemoved {
        instance_id: String,
        task_id: String,
        cpu: i64,
        memory: i64,
        host_ports: Vec<(u16, Protocol)>,
    },
    /// An instance registered or changed (status, agent connection, attributes, registered or
    /// remaining resources, tasks): the full record replaces the planner's copy.
    UpsertInstance(Instance),
    /// An instance left the cluster.
    RemoveInstance { instance_id: String },
}

/// Why [`Planner::apply`] refused a delta; the planner is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeltaError {
    #[error("container instance {0} is not in the planner")]
    UnknownInstance(String),
    #[error("task {task_id} is not on container instance {instance_id}")]
    UnknownTask { instance_id: String, task_id: String },
}

/// One instance as the planner keeps it.
pub(crate) struct Entry {
    pub(crate) instance: Instance,
    /// `hash_str(id)`, for the tie-break labels.
    pub(crate) id_hash: u64,
    /// Tasks per interned group, sorted by group number.
    pub(crate) groups: Vec<(u32, u32)>,
}

impl Entry {
    pub(crate) fn group_tasks(&self, group: u32) -> u32 {
        match self.groups.binary_search_by_key(&group, |&(number, _)| number) {
            Ok(position) => self.groups[position].1,
            Err(_) => 0,
        }
    }

    fn add_group(&mut self, group: u32) {
        match self.groups.binary_search_by_key(&group, |&(number, _)| number) {
            Ok(position) => self.groups[position].1 += 1,
            Err(position) => self.groups.insert(position, (group, 1)),
        }
    }

    fn remove_group(&mut self, group: u32) {
        if let Ok(position) = self.groups.binary_search_by_key(&group, |&(number, _)| number) {
            self.groups[position].1 -= 1;
            if self.groups[position].1 == 0 {
                self.groups.remove(position);
            }
        }
    }
}

/// One entry of the change log: an instance slot whose state changed. `statics` when more than
/// its tasks and resources changed (status, agent, attributes, ...), or the slot was (re)used.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change {
    pub(crate) slot: u32,
    pub(crate) statics: bool,
}

/// A cluster's placement state, kept between requests.
///
/// Build it once from a [`Snapshot`], feed it every change as a [`Delta`], and ask it for plans.
/// [`Planner::plan`] does **not** apply its own placements: the caller sends a
/// [`Delta::TaskPlaced`] for each task it records (and nothing for a plan it discards), so the
/// planner always mirrors what the caller has committed.
///
/// Instances are kept in id order, which is the order [`Planner::snapshot`] returns and the order the
/// stateless [`crate::plan`] assumes of the server's snapshots; ids must be unique.
///
/// # Cost
///
/// A request without `random` and without a dynamic `memberOf` (`runningTasksCount`,
/// `task:group`) costs `O((count + c) · log n)`, where `c` is the number of instances that changed
/// since the last request of the same *shape* (the request without `count`: group, resources,
/// ports, required attributes, constraints, strategy). The first request of a shape, or one whose
/// index was evicted (at most [`DEFAULT_MAX_SHAPES`] are kept, least recently used first) or fell
/// more than about `n` changes behind, builds the shape's index in `O(n log n)`. Requests with
/// `random` or a dynamic `memberOf`, and the explanation of a shortfall, take the stateless
/// `O(n + t)` pass. [`Planner::apply`] costs `O(log n)` plus the instance's task count.
pub struct Planner {
    /// Instances by slot; a removed instance leaves `None` until the slot is reused.
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_id: BTreeMap<String, u32>,
    /// Task groups, interned.
    groups: BTreeMap<String, u32>,
    /// Changes not yet seen by every shape index; `log[0]` is change number `log_base`.
    log: Vec<Change>,
    log_base: u64,
    shapes: BTreeMap<String, ShapeIndex>,
    max_shapes: usize,
    /// Requests planned so far, for least-recently-used eviction.
    requests: u64,
    /// An index more than `n + rebuild_slack` changes behind is rebuilt instead of caught up.
    rebuild_slack: usize,
}

impl Planner {
    /// A planner holding the snapshot's instances.
    pub fn new(snapshot: Snapshot) -> Planner {
        let mut planner = Planner {
            entries: Vec::with_capacity(snapshot.instances.len()),
            free: Vec::new(),
            by_id: BTreeMap::new(),
            groups: BTreeMap::new(),
            log: Vec::new(),
            log_base: 0,
            shapes: BTreeMap::new(),
            max_shapes: DEFAULT_MAX_SHAPES,
            requests: 0,
            rebuild_slack: 1024,
        };
        for instance in snapshot.instances {
            planner.upsert(instance);
        }
        planner.log.clear();
        planner
    }

    /// How many request shapes keep an index (at least 1). Each costs about 150 bytes per instance.
    pub fn set_max_shapes(&mut self, max_shapes: usize) {
        self.max_shapes = max_shapes.max(1);
        self.evict();
    }

    /// The number of instances.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The instance with this id, as the planner sees it.
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        let slot = *self.by_id.get(id)?;
        self.entries[slot as usize].as_ref().map(|entry| &entry.instance)
    }

    /// The planner's view as a snapshot, instances in id order: [`crate::plan`] on it gives the
    /// same plans as [`Planner::plan`]. `O(n + t)`; meant for checks and debugging.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot { instances: self.ordered().into_iter().cloned().collect() }
    }

    /// Applies one change. On an error nothing changes.
    pub fn apply(&mut self, delta: Delta) -> Result<(), DeltaError> {
        match delta {
            Delta::TaskPlaced { instance_id, task, cpu, memory, host_ports } => {
                let slot = self.slot_of(&instance_id)?;
                let group = self.intern_group(&task.group);
                let entry = self.entries[slot as usize].as_mut().expect("indexed slot");
                let remaining = &mut entry.instance.remaining;
                remaining.cpu -= cpu;
                remaining.memory -= memory;
                for (port, protocol) in host_ports {
                    match protocol {
                        Protocol::Tcp => remaining.ports_tcp.insert(port),
                        Protocol::Udp => remaining.ports_udp.insert(port),
                    };
                }
                entry.instance.tasks.push(task);
                entry.add_group(group);
                self.changed(slot, false);
            }
            Delta::TaskRemoved { instance_id, task_id, cpu, memory, host_ports } => {
                let slot = self.slot_of(&instance_id)?;
                let entry = self.entries[slot as usize].as_mut().expect("indexed slot");
                let Some(position) = entry.instance.tasks.iter().position(|t| t.id == task_id)
                else {
                    return Err(DeltaError::UnknownTask { instance_id, task_id });
                };
                let task = entry.instance.tasks.remove(position);
                if let Some(&group) = self.groups.get(&task.group) {
                    entry.remove_group(group);
                }
                let instance = &mut entry.instance;
                instance.remaining.cpu += cpu;
                instance.remaining.memory += memory;
                for (port, protocol) in host_ports {
                    let (taken, registered) = match protocol {
                        Protocol::Tcp => {
                            (&mut instance.remaining.ports_tcp, &instance.registered.ports_tcp)
                        }
                        Protocol::Udp => {
                            (&mut instance.remaining.ports_udp, &instance.registered.ports_udp)
                        }
                    };
                    if !registered.contains(&port) {
                        taken.remove(&port);
                    }
                }
                self.changed(slot, false);
            }
            Delta::UpsertInstance(instance) => self.upsert(instance),
            Delta::RemoveInstance { instance_id } => {
                let slot = self.slot_of(&instance_id)?;
                self.by_id.remove(&instance_id);
                self.entries[slot as usize] = None;
                self.free.push(slot);
                self.changed(slot, true);
            }
        }
        Ok(())
    }

    /// Places `request.count` tasks, exactly as [`crate::plan`] would on [`Planner::snapshot`].
    ///
    /// The placements are not applied: send a [`Delta::TaskPlaced`] for each task the caller
    /// records. (`&mut self` because the shape's index is built, brought up to date and reused.)
    pub fn plan(&mut self, request: &PlacementRequest, ctx: &PlanCtx) -> Plan {
        if request.count == 0 {
            return Plan::default();
        }
        if self.by_id.is_empty() {
            return place::no_instances(request.count);
        }
        let prepared = Prepared::new(request);
        if prepared.random || prepared.dynamic_member_of {
            let instances = self.ordered();
            return place::plan_over(&instances, request, ctx);
        }
        self.requests += 1;
        let shape = shape_key(request);
        let group = self.intern_group(&request.group);
        let log_end = self.log_base + self.log.len() as u64;
        let changes = self.pending(&shape, log_end);
        let index = match self.shapes.get_mut(&shape) {
            Some(index) => {
                match changes {
                    Some(changes) => index.catch_up(&prepared, &self.entries, &changes, log_end),
                    None => *index = ShapeIndex::build(&prepared, &self.entries, group, log_end),
                }
                index
            }
            None => {
                let index = ShapeIndex::build(&prepared, &self.entries, group, log_end);
                self.shapes.entry(shape.clone()).or_insert(index)
            }
        };
        index.last_used = self.requests;

        let mut rng = SmallRng::seed_from_u64(ctx.seed);
        let offset = place::tie_offset(&prepared, &mut rng);
        let entries = &self.entries;
        let by_id = &self.by_id;
        let plan = index.run(&prepared, entries, offset, |placed| {
            let mut instances = Vec::with_capacity(by_id.len());
            let mut per_instance = Vec::with_capacity(by_id.len());
            for &slot in by_id.values() {
                instances.push(&entries[slot as usize].as_ref().expect("indexed slot").instance);
                per_instance.push(placed(slot));
            }
            place::explain::closest(&instances, &prepared, &per_instance)
        });
        self.evict();
        plan
    }

    /// Instances in id order.
    fn ordered(&self) -> Vec<&Instance> {
        self.by_id
            .values()
            .map(|&slot| &self.entries[slot as usize].as_ref().expect("indexed slot").instance)
            .collect()
    }

    fn slot_of(&self, id: &str) -> Result<u32, DeltaError> {
        self.by_id.get(id).copied().ok_or_else(|| DeltaError::UnknownInstance(id.to_owned()))
    }

    fn intern_group(&mut self, group: &str) -> u32 {
        if let Some(&number) = self.groups.get(group) {
            return number;
        }
        let number = self.groups.len() as u32;
        self.groups.insert(group.to_owned(), number);
        number
    }

    fn upsert(&mut self, instance: Instance) {
        let mut groups = Vec::new();
        for task in &instance.tasks {
            let group = self.intern_group(&task.group);
            groups.push(group);
        }
        groups.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new();
        for group in groups {
            match counted.last_mut() {
                Some((last, count)) if *last == group => *count += 1,
                _ => counted.push((group, 1)),
            }
        }
        let entry = Entry { id_hash: hash_str(&instance.id), instance, groups: counted };
        match self.by_id.get(&entry.instance.id) {
            Some(&slot) => {
                let old = self.entries[slot as usize].as_ref().expect("indexed slot");
                let statics = !same_statics(&old.instance, &entry.instance);
                self.entries[slot as usize] = Some(entry);
                self.changed(slot, statics);
            }
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => slot,
                    None => {
                        self.entries.push(None);
                        self.entries.len() as u32 - 1
                    }
                };
                self.by_id.insert(entry.instance.id.clone(), slot);
                self.entries[slot as usize] = Some(entry);
                self.changed(slot, true);
            }
        }
    }

    fn changed(&mut self, slot: u32, statics: bool) {
        if !self.shapes.is_empty() {
            self.log.push(Change { slot, statics });
            self.trim_log();
        }
    }

    /// The changes the shape's index has not seen, or `None` when rebuilding is cheaper.
    fn pending(&self, shape: &str, log_end: u64) -> Option<Vec<Change>> {
        let index = self.shapes.get(shape)?;
        let behind = (log_end - index.log_pos) as usize;
        if behind > self.rebuild_threshold() {
            return None;
        }
        let start = (index.log_pos - self.log_base) as usize;
        Some(self.log[start..].to_vec())
    }

    /// Beyond this many unseen changes an index is rebuilt rather than brought up to date.
    fn rebuild_threshold(&self) -> usize {
        self.entries.len() + self.rebuild_slack
    }

    /// Drops the least recently used indexes beyond the limit.
    fn evict(&mut self) {
        while self.shapes.len() > self.max_shapes {
            let oldest = self
                .shapes
                .iter()
                .min_by_key(|(_, index)| index.last_used)
                .map(|(shape, _)| shape.clone())
                .expect("non-empty");
            self.shapes.remove(&oldest);
        }
    }

    /// Forgets the changes every index has seen; drops indexes too far behind to catch up.
    fn trim_log(&mut self) {
        if self.log.len() < 2 * self.rebuild_threshold() {
            return;
        }
        let log_end = self.log_base + self.log.len() as u64;
        let threshold = self.rebuild_threshold() as u64;
        self.shapes.retain(|_, index| log_end - index.log_pos <= threshold);
        let seen = self.shapes.values().map(|index| index.log_pos).min().unwrap_or(log_end);
        self.log.drain(..(seen - self.log_base) as usize);
        self.log_base = seen;
    }
}

impl From<Snapshot> for Planner {
    fn from(snapshot: Snapshot) -> Planner {
        Planner::new(snapshot)
    }
}

/// Whether everything but the tasks and resources is unchanged.
fn same_statics(old: &Instance, new: &Instance) -> bool {
    old.status == new.status
        && old.agent_connected == new.agent_connected
        && old.attributes == new.attributes
        && old.agent_version == new.agent_version
        && old.ec2_instance_id == new.ec2_instance_id
        && old.registered_at.to_bits() == new.registered_at.to_bits()
}

/// The request without its count, as text: requests with equal keys share an index. Every piece
/// is length-prefixed, and `Display` of a constraint is canonical (it parses back to an equal
/// expression), so equal text means an equal shape.
fn shape_key(request: &PlacementRequest) -> String {
    fn piece(key: &mut String, text: &str) {
        let _ = write!(key, "{}:{text}", text.len());
    }
    let mut key = String::with_capacity(160);
    piece(&mut key, &request.group);
    let _ = write!(key, "{} {} {} ", request.cpu, request.memory, request.host_ports.len());
    for (port, protocol) in &request.host_ports {
        let _ = write!(key, "{port}/{} ", protocol.as_str());
    }
    let _ = write!(key, "{} ", request.required_attributes.len());
    for (name, value) in &request.required_attributes {
        piece(&mut key, name);
        match value {
            Some(value) => piece(&mut key, value),
            None => key.push('-'),
        }
    }
    let _ = write!(key, "{} ", request.constraints.len());
    for constraint in &request.constraints {
        piece(&mut key, &constraint.to_string());
    }
    let strategy = &request.strategy[..request.strategy.len().min(place::MAX_STRATEGIES)];
    let _ = write!(key, "{} ", strategy.len());
    for strategy in strategy {
        piece(&mut key, &strategy.to_string());
    }
    key
}

/// Whether an instance is ACTIVE, for the spread counts.
pub(crate) fn is_active(instance: &Instance) -> bool {
    instance.status == InstanceStatus::Active
}
