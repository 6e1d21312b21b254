//! The bridge between the control plane's records and the pure scheduler: container instances
//! and their tasks become a `scheduler::Snapshot`, resources are computed from what tasks
//! reserve, and a task definition becomes a `PlacementRequest`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use api::{ApiError, Resource, TaskDefinition};
use scheduler::{Instance, InstanceStatus, Resources, TaskOnInstance};

pub(crate) mod capacity;
mod launch;
mod planner;
mod rounds;

use crate::Ctx;
use crate::liveness::Liveness;
use crate::records::{self, InstanceRecord, Reservation};
use crate::state::ClusterIndex;

pub(crate) use launch::{DEFAULT_EPHEMERAL_GIB, Launch, OnFargate, parse_units, reservation};
pub(crate) use planner::placed;
pub(crate) use rounds::place;

/// What placement keeps in the control plane: the calls waiting for their cluster's next round
/// and each cluster's planner.
pub(crate) struct Placement {
    queue: rounds::PlacementQueue,
    planners: Arc<planner::Planners>,
}

impl Placement {
    pub(crate) fn new(liveness: Arc<Liveness>) -> Placement {
        Placement {
            queue: Default::default(),
            planners: Arc::new(planner::Planners::new(liveness)),
        }
    }

    /// What keeps the planners current: it observes the index.
    pub(crate) fn observer(&self) -> Arc<dyn crate::state::Observer> {
        self.planners.clone()
    }
}

impl Ctx {
    fn planners(&self) -> &planner::Planners {
        &self.inner.placement.planners
    }

    fn placement_queue(&self) -> &rounds::PlacementQueue {
        &self.inner.placement.queue
    }
}

/// An instance's registered totals, read from its `registeredResources`.
pub(crate) fn totals(resources: &[Resource]) -> Resources {
    let mut totals = Resources::default();
    for resource in resources {
        let integer = resource.integer_value.map(i64::from).or(resource.long_value).unwrap_or(0);
        let ports = || -> BTreeSet<u16> {
            resource.string_set_value.iter().flatten().filter_map(|p| p.parse().ok()).collect()
        };
        match resource.name.as_deref() {
            Some("CPU") => totals.cpu = integer,
            Some("MEMORY") => totals.memory = integer,
            Some("PORTS") => totals.ports_tcp = ports(),
            Some("PORTS_UDP") => totals.ports_udp = ports(),
            _ => {}
        }
    }
    totals
}

/// What remains of `registered` after the reservations of the instance's tasks. In the port
/// sets, as ECS reports them, the listed ports are the taken ones.
pub(crate) fn remaining<'a>(
    registered: &Resources,
    reservations: impl Iterator<Item = &'a Reservation>,
) -> Resources {
    let mut remaining = registered.clone();
    for reservation in reservations {
        remaining.cpu -= reservation.cpu;
        remaining.memory -= reservation.memory;
        remaining.ports_tcp.extend(reservation.ports_tcp.iter().copied());
        remaining.ports_udp.extend(reservation.ports_udp.iter().copied());
    }
    remaining
}

/// Renders resources as ECS `Resource` entries.
pub(crate) fn to_ecs(resources: &Resources) -> Vec<Resource> {
    let integer = |name: &str, value: i64| Resource {
        name: Some(name.to_owned()),
        r#type: Some("INTEGER".to_owned()),
        integer_value: Some(i32::try_from(value).unwrap_or(i32::MAX)),
        ..Resource::default()
    };
    let ports = |name: &str, set: &BTreeSet<u16>| Resource {
        name: Some(name.to_owned()),
        r#type: Some("STRINGSET".to_owned()),
        string_set_value: Some(set.iter().map(u16::to_string).collect()),
        ..Resource::default()
    };
    vec![
        integer("CPU", resources.cpu),
        integer("MEMORY", resources.memory),
        ports("PORTS", &resources.ports_tcp),
        ports("PORTS_UDP", &resources.ports_udp),
    ]
}

fn status(status: records::InstanceStatus) -> InstanceStatus {
    match status {
        records::InstanceStatus::Active => InstanceStatus::Active,
        records::InstanceStatus::Draining => InstanceStatus::Draining,
        other => InstanceStatus::Other(other.as_str().to_owned()),
    }
}

/// One container instance as the scheduler sees it.
pub(crate) fn instance(
    ctx: &Ctx,
    cluster: &ClusterIndex,
    cluster_name: &str,
    record: &InstanceRecord,
) -> Instance {
    instance_of(cluster, record, ctx.agent_connected(cluster_name, &record.id))
}

/// One container instance as the scheduler sees it, its agent connected or not.
pub(crate) fn instance_of(
    cluster: &ClusterIndex,
    record: &InstanceRecord,
    agent_connected: bool,
) -> Instance {
    let ci = &record.instance;
    let registered = totals(ci.registered_resources.as_deref().unwrap_or_default());
    let tasks: Vec<_> = cluster.tasks_on(&record.id).collect();
    let remaining = remaining(&registered, tasks.iter().map(|t| &t.reservation));
    let attributes: BTreeMap<String, Option<String>> =
        ci.attributes.iter().flatten().map(|a| (a.name.clone(), a.value.clone())).collect();
    Instance {
        id: record.id.clone().into(),
        arn: ci.container_instance_arn.clone().unwrap_or_default(),
        ec2_instance_id: ci.ec2_instance_id.clone().unwrap_or_default(),
        status: status(ci.status),
        agent_connected,
        agent_version: ci
            .version_info
            .as_ref()
            .and_then(|v| v.agent_version.clone())
            .unwrap_or_default(),
        registered_at: ci.registered_at.unwrap_or_default(),
        attributes,
        registered,
        remaining,
        tasks: tasks
            .iter()
            .map(|t| TaskOnInstance {
                id: t.id.clone().into(),
                group: t.group.clone().unwrap_or_default(),
                started_by: t.started_by.clone(),
            })
            .collect(),
    }
}

/// Every container instance of a cluster, in id order, with the agents' connections `liveness`
/// knows.
fn snapshot_of(
    cluster: &ClusterIndex,
    cluster_name: &str,
    liveness: &Liveness,
) -> scheduler::Snapshot {
    scheduler::Snapshot {
        instances: cluster
            .instances
            .values()
            .map(|e| {
                instance_of(cluster, &e.record, liveness.connected(cluster_name, &e.record.id))
            })
            .collect(),
    }
}

/// Parses the constraints of a task definition and of a call together, refusing more than
/// `limit` of them or a malformed one.
pub(crate) fn constraints(
    definition: &TaskDefinition,
    extra: &[api::PlacementConstraint],
    limit: usize,
) -> Result<Vec<scheduler::Constraint>, ApiError> {
    let from_definition = definition
        .placement_constraints
        .iter()
        .flatten()
        .map(|c| (c.r#type.map(|t| t.as_str()), c.expression.as_deref()));
    let from_call = extra.iter().map(|c| (c.r#type.map(|t| t.as_str()), c.expression.as_deref()));
    let all: Vec<_> = from_definition.chain(from_call).collect();
    if all.len() > limit {
        return Err(ApiError::invalid_parameter(format!(
            "A task can have at most {limit} placement constraints (the task definition's and the call's together); got {}.",
            all.len()
        )));
    }
    all.into_iter()
        .map(|(kind, expression)| {
            let kind = kind.ok_or_else(|| {
                ApiError::invalid_parameter("A placement constraint needs a type.")
            })?;
            scheduler::Constraint::from_ecs(kind, expression).map_err(ApiError::invalid_parameter)
        })
        .collect()
}

/// Parses placement strategies, refusing more than `limit`.
pub(crate) fn strategies(
    given: &[api::PlacementStrategy],
    limit: usize,
) -> Result<Vec<scheduler::Strategy>, ApiError> {
    if given.len() > limit {
        return Err(ApiError::invalid_parameter(format!(
            "At most {limit} placement strategies are allowed; got {}.",
            given.len()
        )));
    }
    given
        .iter()
        .map(|s| {
            let kind = s
                .r#type
                .ok_or_else(|| ApiError::invalid_parameter("A placement strategy needs a type."))?;
            scheduler::Strategy::from_ecs(kind.as_str(), s.field.as_deref())
                .map_err(ApiError::invalid_parameter)
        })
        .collect()
}
