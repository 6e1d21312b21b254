//! The planner's input and output types.
//!
//! They exist so that the scheduler depends on none of Berth's other crates: the server converts its
//! stored records into a [`Snapshot`] and a [`PlacementRequest`], and turns a [`Plan`] back into
//! task records and ECS `failures[]`. Nothing here knows about JSON, the store or time.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::strategy::{Constraint, Strategy};

/// A point-in-time view of one cluster's container instances.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// The cluster's container instances. The server passes them sorted by `id`; the plan depends
    /// on this order only where everything else ties: equal tie-break labels (a 64-bit collision)
    /// and equally close failure candidates. [`crate::Planner`] uses id order.
    pub instances: Vec<Instance>,
}

/// One container instance as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The container instance id, the last segment of its ARN. Spread on `instanceId`/`host` uses it.
    pub id: String,
    /// The full container-instance ARN, reported in placement failures.
    pub arn: String,
    /// The EC2 (or host) instance id, the `ec2InstanceId` query subject.
    pub ec2_instance_id: String,
    pub status: InstanceStatus,
    pub agent_connected: bool,
    /// The agent version, e.g. `1.70.2`; the `agentVersion` query subject compares it as a dotted version.
    pub agent_version: String,
    /// Registration time in epoch seconds, the `registeredAt` query subject.
    pub registered_at: f64,
    /// Attributes by name. Capability attributes usually have no value (`None`).
    pub attributes: BTreeMap<String, Option<String>>,
    /// The instance's registered totals.
    pub registered: Resources,
    /// What is left after the tasks already on the instance. `ports_tcp`/`ports_udp` here are the
    /// *reserved* ports, as ECS reports `remainingResources` `PORTS`: any port not listed is free.
    pub remaining: Resources,
    /// The tasks on the instance that are not STOPPED.
    pub tasks: Vec<TaskOnInstance>,
}

/// The container instance status, reduced to what placement distinguishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceStatus {
    Active,
    Draining,
    /// Any other ECS status (`REGISTERING`, `REGISTRATION_FAILED`, `DEREGISTERING`, `INACTIVE`), kept
    /// verbatim for failure messages.
    Other(String),
}

impl InstanceStatus {
    /// The ECS wire spelling.
    pub fn as_ecs(&self) -> &str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Other(status) => status,
        }
    }
}

/// CPU units, MiB of memory and host ports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu: i64,
    pub memory: i64,
    pub ports_tcp: BTreeSet<u16>,
    pub ports_udp: BTreeSet<u16>,
}

/// A task that occupies an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskOnInstance {
    pub id: String,
    /// The task group, e.g. `service:web` or `family:batch`.
    pub group: String,
    pub started_by: Option<String>,
}

/// A host-port protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// What to place: `count` identical tasks of one task group.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementRequest {
    /// How many tasks to place (RunTask ≤ 10; a service may ask for many).
    pub count: u32,
    /// The task group: `family:<family>` for RunTask, `service:<name>` for a service.
    pub group: String,
    /// CPU units one task needs.
    pub cpu: i64,
    /// MiB one task needs (the server chose memoryReservation, else memory; task-level when set).
    pub memory: i64,
    /// Static host ports one task needs. Dynamic (0) host ports need no check.
    pub host_ports: Vec<(u16, Protocol)>,
    /// The task definition's `requiresAttributes`: each must exist, with an equal value when `Some`.
    pub required_attributes: Vec<(String, Option<String>)>,
    /// The task definition's and the call's constraints together.
    pub constraints: Vec<Constraint>,
    /// Applied in order; at most five are honoured. The server passes ECS's defaults explicitly:
    /// RunTask `[Random]`, services `[Spread(Attribute("ecs.availability-zone"))]`. An empty list means
    /// "no preference": ties are broken as documented on [`crate::plan`].
    pub strategy: Vec<Strategy>,
}

/// Everything the planner needs besides the snapshot and the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanCtx {
    /// Seeds `SmallRng` for tie-breaks and the `random` strategy; same seed, same plan.
    pub seed: u64,
}

/// The outcome of [`crate::plan`]: where each task goes, and why the others go nowhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In placement order; `task_index` counts from 0 within the request.
    pub placements: Vec<Placement>,
    /// One entry per task that could not be placed, in task order.
    pub unplaced: Vec<Unplaced>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub task_index: u32,
    pub instance_id: String,
}

/// A task that could not be placed. Maps onto an ECS `failures[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    pub task_index: u32,
    pub reason: FailureReason,
    /// The ARN of the closest candidate (see [`crate::plan`]), `None` when the cluster has no instances.
    pub instance_arn: Option<String>,
    /// A sentence naming what the closest candidate lacks.
    pub detail: String,
}

/// Why a task could not be placed, ordered from the earliest filter to the most advanced one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureReason {
    /// The cluster has no container instances at all.
    NoInstances,
    /// The closest instance is not ACTIVE (DRAINING, INACTIVE, REGISTERING, ...).
    Inactive,
    /// The closest instance's agent is disconnected.
    Agent,
    /// The closest instance lacks a required attribute.
    Attribute,
    /// The closest instance fails a `memberOf` expression.
    MemberOf,
    /// The closest instance already runs a task of the group.
    DistinctInstance,
    ResourceCpu,
    ResourceMemory,
    ResourcePorts,
}

impl FailureReason {
    /// The `reason` string ECS puts in `failures[]` (and in service events).
    ///
    /// ECS reports an empty cluster on RunTask as an `InvalidParameterException` with the message
    /// returned for [`FailureReason::NoInstances`]; the server decides which form to use.
    pub fn as_ecs(&self) -> &'static str {
        match self {
            FailureReason::NoInstances => "No Container Instances were found in your cluster.",
            FailureReason::Inactive => "INACTIVE",
            FailureReason::Agent => "AGENT",
            FailureReason::Attribute => "ATTRIBUTE",
            FailureReason::MemberOf => "MemberOf placement constraint unsatisfied.",
            FailureReason::DistinctInstance => "DistinctInstance placement constraint unsatisfied.",
            FailureReason::ResourceCpu => "RESOURCE:CPU",
            FailureReason::ResourceMemory => "RESOURCE:MEMORY",
            FailureReason::ResourcePorts => "RESOURCE:PORTS",
        }
    }
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_ecs())
    }
}

/// A running task that scale-in may stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub id: String,
    /// The id (not ARN) of the container instance the task runs on.
    pub instance_id: String,
}
