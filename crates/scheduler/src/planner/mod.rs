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
use crate::strategy::Constraint;

use self::index::ShapeIndex;

/// The slot of a superseded change-log entry.
pub(crate) const DEAD: u32 = u32::MAX;

/// How many request shapes keep an index by default; see [`Planner::set_max_shapes`].
pub const DEFAULT_MAX_SHAPES: usize = 32;

/// A change to the cluster, applied with [`Planner::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// A task now occupies the instance: its resources are reserved and it counts for its group
    /// (spread, `distinctInstance`, `task:group`, `runningTasksCount`). Placing a task the
    /// instance already holds changes nothing, so a placement can be applied when it is planned
    /// and again when it is committed.
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

/// The per-slot figures a shape index reads for every instance, kept apart from the [`Instance`]
/// records so that building an index streams through a small array.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hot {
    /// `remaining.cpu` and `remaining.memory` of the instance.
    pub(crate) cpu: i64,
    pub(crate) memory: i64,
    /// `hash_str(id)`, for the tie-break labels.
    pub(crate) id_hash: u64,
    /// Whether the instance is ACTIVE (its tasks count for spread).
    pub(crate) active: bool,
}

impl Hot {
    fn of(instance: &Instance) -> Hot {
        Hot {
            cpu: instance.remaining.cpu,
            memory: instance.remaining.memory,
            id_hash: hash_str(&instance.id),
            active: is_active(instance),
        }
    }
}

/// The static filter of one *signature* (required attributes and `memberOf` expressions), per
/// slot, shared by every shape with that signature and kept up to date on static changes.
struct Signature {
    /// A request with the signature's required attributes and constraints, to evaluate them.
    template: PlacementRequest,
    /// Whether each slot's instance passes ACTIVE, agent, required attributes and `memberOf`.
    eligible: Vec<bool>,
}

/// One attribute's value per slot, interned: the spread levels of every shape read it.
pub(crate) struct Column {
    /// Value id per slot (`u32::MAX` for an empty slot).
    pub(crate) ids: Vec<u32>,
    present: BTreeMap<String, u32>,
    absent: Option<u32>,
}

impl Column {
    fn id_of(&mut self, name: &str, instance: Option<&Instance>) -> u32 {
        let Some(instance) = instance else {
            return u32::MAX;
        };
        let next = (self.present.len() + usize::from(self.absent.is_some())) as u32;
        match instance.attributes.get(name) {
            Some(value) => {
                let value = value.as_deref().unwrap_or("");
                match self.present.get(value) {
                    Some(&id) => id,
                    None => {
                        self.present.insert(value.to_owned(), next);
                        next
                    }
                }
            }
            None => *self.absent.get_or_insert(next),
        }
    }
}

/// What a shape index reads from the planner for one request.
pub(crate) struct View<'a> {
    pub(crate) entries: &'a [Option<Instance>],
    pub(crate) hot: &'a [Hot],
    /// Tasks of the request's group per slot (slots without any are absent).
    pub(crate) group_tasks: &'a BTreeMap<u32, u32>,
    pub(crate) eligible: &'a [bool],
    /// The columns of the request's spread levels, in level order.
    pub(crate) columns: Vec<&'a Column>,
}

/// One entry of the change log: an instance slot whose state changed. `statics` when more than
/// its tasks and resources changed (status, agent, attributes, ...), or the slot was (re)used.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change {
    /// [`DEAD`] when a later entry of the same slot superseded it.
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
    entries: Vec<Option<Instance>>,
    hot: Vec<Hot>,
    free: Vec<u32>,
    by_id: BTreeMap<String, u32>,
    /// Task groups, interned.
    groups: BTreeMap<String, u32>,
    /// Per interned group, the slots with tasks of the group and how many.
    group_tasks: Vec<BTreeMap<u32, u32>>,
    /// Changes not yet seen by every shape index; `log[0]` is change number `log_base`. A slot
    /// appears at most once: when it changes again, its earlier entry is marked dead
    /// (`slot == DEAD`) and the new one inherits its `statics`.
    log: Vec<Change>,
    log_base: u64,
    /// Per slot, the log position of its live entry (`u64::MAX` for none).
    logged_at: Vec<u64>,
    shapes: BTreeMap<String, ShapeIndex>,
    /// The static filters and attribute columns the cached shapes use.
    signatures: BTreeMap<String, Signature>,
    columns: BTreeMap<String, Column>,
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
            hot: Vec::with_capacity(snapshot.instances.len()),
            free: Vec::new(),
            by_id: BTreeMap::new(),
            groups: BTreeMap::new(),
            group_tasks: Vec::new(),
            log: Vec::new(),
            log_base: 0,
            logged_at: Vec::new(),
            shapes: BTreeMap::new(),
            signatures: BTreeMap::new(),
            columns: BTreeMap::new(),
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
        self.entries[slot as usize].as_ref()
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
                let held = self.entries[slot as usize].as_ref().expect("indexed slot");
                if held.tasks.iter().any(|t| t.id == task.id) {
                    return Ok(());
                }
                let group = self.intern_group(&task.group);
                *self.group_tasks[group as usize].entry(slot).or_insert(0) += 1;
                let instance = self.entries[slot as usize].as_mut().expect("indexed slot");
                let remaining = &mut instance.remaining;
                remaining.cpu -= cpu;
                remaining.memory -= memory;
                for (port, protocol) in host_ports {
                    match protocol {
                        Protocol::Tcp => remaining.ports_tcp.insert(port),
                        Protocol::Udp => remaining.ports_udp.insert(port),
                    };
                }
                instance.tasks.push(task);
                self.changed(slot, false);
            }
            Delta::TaskRemoved { instance_id, task_id, cpu, memory, host_ports } => {
                let slot = self.slot_of(&instance_id)?;
                let instance = self.entries[slot as usize].as_mut().expect("indexed slot");
                let Some(position) = instance.tasks.iter().position(|t| t.id == task_id) else {
                    return Err(DeltaError::UnknownTask { instance_id, task_id });
                };
                let task = instance.tasks.remove(position);
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
                self.uncount_group(slot, &task.group);
                self.changed(slot, false);
            }
            Delta::UpsertInstance(instance) => self.upsert(instance),
            Delta::RemoveInstance { instance_id } => {
                let slot = self.slot_of(&instance_id)?;
                self.by_id.remove(&instance_id);
                let old = self.entries[slot as usize].take().expect("indexed slot");
                for task in &old.tasks {
                    self.uncount_group(slot, &task.group);
                }
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
        let signature = signature_key(request);
        self.ensure_signature(&signature, request);
        for name in &prepared.spread_attributes {
            self.ensure_column(name);
        }
        let log_end = self.log_base + self.log.len() as u64;
        let changes = self.pending(&shape, log_end);
        let view = View {
            entries: &self.entries,
            hot: &self.hot,
            group_tasks: &self.group_tasks[group as usize],
            eligible: &self.signatures[&signature].eligible,
            columns: prepared.spread_attributes.iter().map(|name| &self.columns[*name]).collect(),
        };
        let logged_at = &self.logged_at;
        // Whether the slot has a log entry at or after `position`.
        let logged_since = |slot: u32, position: u64| {
            logged_at.get(slot as usize).is_some_and(|&at| at != u64::MAX && at >= position)
        };
        let index = match self.shapes.get_mut(&shape) {
            Some(index) => {
                match changes {
                    Some(start) => {
                        let changes = &self.log[start..];
                        index.catch_up(&prepared, &view, changes, log_end, logged_since)
                    }
                    None => *index = ShapeIndex::build(&prepared, &view, signature, log_end),
                }
                index
            }
            None => {
                let index = ShapeIndex::build(&prepared, &view, signature, log_end);
                self.shapes.entry(shape.clone()).or_insert(index)
            }
        };
        index.last_used = self.requests;

        let mut rng = SmallRng::seed_from_u64(ctx.seed);
        let offset = place::tie_offset(&prepared, &mut rng);
        let by_id = &self.by_id;
        let entries = view.entries;
        let plan = index.run(&prepared, entries, offset, |placed| {
            let mut instances = Vec::with_capacity(by_id.len());
            let mut per_instance = Vec::with_capacity(by_id.len());
            for &slot in by_id.values() {
                instances.push(entries[slot as usize].as_ref().expect("indexed slot"));
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
            .map(|&slot| self.entries[slot as usize].as_ref().expect("indexed slot"))
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
        self.group_tasks.push(BTreeMap::new());
        number
    }

    fn uncount_group(&mut self, slot: u32, group: &str) {
        let Some(&group) = self.groups.get(group) else {
            return;
        };
        let slots = &mut self.group_tasks[group as usize];
        if let Some(count) = slots.get_mut(&slot) {
            *count -= 1;
            if *count == 0 {
                slots.remove(&slot);
            }
        }
    }

    fn upsert(&mut self, instance: Instance) {
        let (slot, statics) = match self.by_id.get(&instance.id) {
            Some(&slot) => {
                let old = self.entries[slot as usize].take().expect("indexed slot");
                for task in &old.tasks {
                    self.uncount_group(slot, &task.group);
                }
                (slot, !same_statics(&old, &instance))
            }
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => slot,
                    None => {
                        self.entries.push(None);
                        self.hot.push(Hot::default());
                        self.entries.len() as u32 - 1
                    }
                };
                self.by_id.insert(instance.id.clone(), slot);
                (slot, true)
            }
        };
        for task in &instance.tasks {
            let group = self.intern_group(&task.group);
            *self.group_tasks[group as usize].entry(slot).or_insert(0) += 1;
        }
        self.entries[slot as usize] = Some(instance);
        self.changed(slot, statics);
    }

    fn changed(&mut self, slot: u32, statics: bool) {
        match &self.entries[slot as usize] {
            Some(instance) if statics => self.hot[slot as usize] = Hot::of(instance),
            Some(instance) => {
                let hot = &mut self.hot[slot as usize];
                hot.cpu = instance.remaining.cpu;
                hot.memory = instance.remaining.memory;
            }
            None => self.hot[slot as usize] = Hot::default(),
        }
        if statics {
            self.refresh_statics(slot);
        }
        if !self.shapes.is_empty() {
            if self.logged_at.len() <= slot as usize {
                self.logged_at.resize(slot as usize + 1, u64::MAX);
            }
            let mut statics = statics;
            let earlier = self.logged_at[slot as usize];
            if earlier != u64::MAX && earlier >= self.log_base {
                let entry = &mut self.log[(earlier - self.log_base) as usize];
                statics |= entry.statics;
                entry.slot = DEAD;
            }
            self.logged_at[slot as usize] = self.log_base + self.log.len() as u64;
            self.log.push(Change { slot, statics });
            self.trim_log();
        }
    }

    /// Re-evaluates the signatures and columns of a slot whose instance changed beyond its tasks.
    fn refresh_statics(&mut self, slot: u32) {
        let entry = self.entries[slot as usize].as_ref();
        for signature in self.signatures.values_mut() {
            if signature.eligible.len() < self.entries.len() {
                signature.eligible.resize(self.entries.len(), false);
            }
            signature.eligible[slot as usize] = entry.is_some_and(|instance| {
                let prepared = Prepared::new(&signature.template);
                prepared.passes_static(instance) && prepared.member_of_holds(instance, 0)
            });
        }
        for (name, column) in &mut self.columns {
            if column.ids.len() < self.entries.len() {
                column.ids.resize(self.entries.len(), u32::MAX);
            }
            column.ids[slot as usize] = column.id_of(name, entry);
        }
    }

    fn ensure_signature(&mut self, key: &str, request: &PlacementRequest) {
        if self.signatures.contains_key(key) {
            return;
        }
        let template = PlacementRequest {
            count: 0,
            group: String::new(),
            cpu: 0,
            memory: 0,
            host_ports: Vec::new(),
            required_attributes: request.required_attributes.clone(),
            constraints: request
                .constraints
                .iter()
                .filter(|c| matches!(c, Constraint::MemberOf(_)))
                .cloned()
                .collect(),
            strategy: Vec::new(),
        };
        let prepared = Prepared::new(&template);
        let eligible = self
            .entries
            .iter()
            .map(|entry| {
                entry.as_ref().is_some_and(|instance| {
                    prepared.passes_static(instance) && prepared.member_of_holds(instance, 0)
                })
            })
            .collect();
        self.signatures.insert(key.to_owned(), Signature { template, eligible });
    }

    fn ensure_column(&mut self, name: &str) {
        if self.columns.contains_key(name) {
            return;
        }
        let mut column = Column { ids: Vec::new(), present: BTreeMap::new(), absent: None };
        column.ids = self.entries.iter().map(|entry| column.id_of(name, entry.as_ref())).collect();
        self.columns.insert(name.to_owned(), column);
    }

    /// Drops the signatures and columns no cached shape uses.
    fn forget_unused(&mut self) {
        let shapes = &self.shapes;
        self.signatures.retain(|key, _| shapes.values().any(|index| &index.signature == key));
        self.columns.retain(|name, _| {
            shapes.values().any(|index| index.attributes.iter().any(|attribute| attribute == name))
        });
    }

    /// The changes the shape's index has not seen (dead entries included), or `None` when
    /// rebuilding is cheaper.
    fn pending(&self, shape: &str, log_end: u64) -> Option<usize> {
        let index = self.shapes.get(shape)?;
        let behind = (log_end - index.log_pos) as usize;
        if behind > self.rebuild_threshold() {
            return None;
        }
        Some((index.log_pos - self.log_base) as usize)
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
            self.forget_unused();
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
        self.forget_unused();
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

/// The request's static filter as text: required attributes and `memberOf` expressions,
/// length-prefixed.
fn signature_key(request: &PlacementRequest) -> String {
    let mut key = String::with_capacity(96);
    let _ = write!(key, "{} ", request.required_attributes.len());
    for (name, value) in &request.required_attributes {
        let _ = write!(key, "{}:{name}", name.len());
        match value {
            Some(value) => {
                let _ = write!(key, "{}:{value}", value.len());
            }
            None => key.push('-'),
        }
    }
    for constraint in &request.constraints {
        if let Constraint::MemberOf(expr) = constraint {
            let text = expr.to_string();
            let _ = write!(key, "{}:{text}", text.len());
        }
    }
    key
}

/// Whether an instance is ACTIVE, for the spread counts.
pub(crate) fn is_active(instance: &Instance) -> bool {
    instance.status == InstanceStatus::Active
}
