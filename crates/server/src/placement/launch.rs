//! What launching a task needs (worked out once per call) and the new task record it makes.

use std::collections::BTreeSet;
use std::sync::Arc;

use api::{
    Container, ContainerDefinition, HealthStatus, LaunchType, NetworkMode, TaskDefinition,
    TaskOverride,
};

use crate::records::{
    ContainerStatus, DesiredStatus, InstanceRecord, Reservation, StoredTask, TaskRecord, TaskStatus,
};

/// What one task of a launch needs and carries, worked out once per call.
#[derive(Clone)]
pub(crate) struct Launch {
    pub(crate) cluster: String,
    pub(crate) definition: Arc<TaskDefinition>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) overrides: Option<TaskOverride>,
    pub(crate) reservation: Reservation,
    pub(crate) group: String,
    pub(crate) started_by: Option<String>,
    pub(crate) tags: Vec<api::Tag>,
    pub(crate) enable_execute_command: bool,
    /// The network asked for, in the `awsvpc` network mode.
    pub(crate) network: Option<Arc<crate::vpc::AskedNetwork>>,
    /// On Fargate: the platform version; `None` on the cluster's own instances.
    pub(crate) fargate: Option<OnFargate>,
    /// The capacity provider whose hosts the tasks go to: `FARGATE` or `FARGATE_SPOT` on the
    /// pool, a custom one among the cluster's own instances.
    pub(crate) capacity_provider: Option<String>,
}

/// A launch on the Fargate pool.
#[derive(Clone, Debug)]
pub(crate) struct OnFargate {
    pub(crate) platform_version: String,
}

impl Launch {
    /// The cluster whose instances the tasks are placed on: the task's own, or the pool's.
    pub(crate) fn host_cluster(&self) -> &str {
        if self.fargate.is_some() { super::capacity::FARGATE_POOL } else { &self.cluster }
    }

    /// The same launch through a capacity provider: of the pool on Fargate, a custom one of
    /// the cluster's instances otherwise.
    pub(crate) fn on_provider(&self, provider: &str) -> Launch {
        Launch { capacity_provider: Some(provider.to_owned()), ..self.clone() }
    }
}

/// The ephemeral storage of a Fargate task that asks for no more, in GiB.
pub(crate) const DEFAULT_EPHEMERAL_GIB: i32 = 20;

/// The overrides of one container, if any.
fn container_override<'a>(
    overrides: Option<&'a TaskOverride>,
    name: &str,
) -> Option<&'a api::ContainerOverride> {
    overrides?.container_overrides.as_ref()?.iter().find(|o| o.name.as_deref() == Some(name))
}

pub(crate) fn parse_units(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| v.trim().parse().ok())
}

/// What placement deducts for one task: task-level cpu/memory when set (overrides first),
/// otherwise the containers' sums (memoryReservation if set, else memory); and the static host
/// ports of its port mappings.
pub(crate) fn reservation(
    definition: &TaskDefinition,
    overrides: Option<&TaskOverride>,
) -> Reservation {
    let containers = definition.container_definitions.as_deref().unwrap_or_default();
    let cpu = parse_units(overrides.and_then(|o| o.cpu.as_deref()))
        .or_else(|| parse_units(definition.cpu.as_deref()))
        .unwrap_or_else(|| {
            containers
                .iter()
                .map(|c| {
                    let o = container_override(overrides, c.name.as_deref().unwrap_or(""));
                    i64::from(o.and_then(|o| o.cpu).or(c.cpu).unwrap_or(0))
                })
                .sum()
        });
    let memory = parse_units(overrides.and_then(|o| o.memory.as_deref()))
        .or_else(|| parse_units(definition.memory.as_deref()))
        .unwrap_or_else(|| {
            containers
                .iter()
                .map(|c| {
                    let o = container_override(overrides, c.name.as_deref().unwrap_or(""));
                    let reservation = o.and_then(|o| o.memory_reservation).or(c.memory_reservation);
                    let hard = o.and_then(|o| o.memory).or(c.memory);
                    i64::from(reservation.or(hard).unwrap_or(0))
                })
                .sum()
        });
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    let mut ports_tcp = BTreeSet::new();
    let mut ports_udp = BTreeSet::new();
    for mapping in containers.iter().flat_map(|c| c.port_mappings.iter().flatten()) {
        let host = match mode {
            NetworkMode::Host => mapping.host_port.or(mapping.container_port),
            // An awsvpc task's ports are on its own address, not the host's.
            NetworkMode::None | NetworkMode::Awsvpc => None,
            _ => mapping.host_port,
        };
        let Some(port) = host.and_then(|p| u16::try_from(p).ok()).filter(|&p| p > 0) else {
            continue;
        };
        match mapping.protocol {
            Some(api::TransportProtocol::Udp) => ports_udp.insert(port),
            _ => ports_tcp.insert(port),
        };
    }
    Reservation {
        cpu,
        memory,
        ports_tcp: ports_tcp.into_iter().collect(),
        ports_udp: ports_udp.into_iter().collect(),
    }
}

/// A new task's id: 32 hex digits, as ECS's, but ordered by creation time (a version 7 UUID)
/// rather than random. Tasks started together then have neighbouring keys in the store (and
/// so do their log chunks), so a commit that writes many of them dirties a few B-tree pages
/// instead of one page per task. In `berth bench e2e-launch` at 5,000 instances the store
/// file came out about a tenth smaller and its writer thread used 10.2-12.9 s of CPU against 13.5-16.9 s
/// with random ids (single runs on a shared host).
pub(crate) fn new_task_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// A new task record. Its ARNs (the task's, its cluster's, definition's and instance's, each
/// container's) are left out: they follow from the record's names and are filled in when the
/// task is shown ([`render`]), which keeps the record small in the store and in memory.
pub(crate) fn new_record(launch: &Launch, instance: &InstanceRecord, now: f64) -> TaskRecord {
    let id = new_task_id();
    let containers: Vec<Container> = launch
        .definition
        .container_definitions
        .iter()
        .flatten()
        .map(|c: &ContainerDefinition| {
            let name = c.name.clone().unwrap_or_default();
            let o = container_override(launch.overrides.as_ref(), &name);
            Container {
                name: Some(name),
                image: c.image.clone(),
                last_status: Some(ContainerStatus::Pending.as_str().to_owned()),
                health_status: c.health_check.as_ref().map(|_| HealthStatus::Unknown),
                cpu: Some(o.and_then(|o| o.cpu).or(c.cpu).unwrap_or(0).to_string()),
                memory: o.and_then(|o| o.memory).or(c.memory).map(|m| m.to_string()),
                memory_reservation: o
                    .and_then(|o| o.memory_reservation)
                    .or(c.memory_reservation)
                    .map(|m| m.to_string()),
                ..Container::default()
            }
        })
        .collect();
    let zone = crate::vpc::zone_of(instance);
    let overrides = launch.overrides.clone().filter(|o| *o != TaskOverride::default());
    let fargate = launch.fargate.as_ref();
    let task = StoredTask {
        availability_zone: zone,
        launch_type: Some(if fargate.is_some() { LaunchType::Fargate } else { LaunchType::Ec2 }),
        capacity_provider_name: launch.capacity_provider.clone(),
        platform_version: fargate.map(|f| f.platform_version.clone()),
        platform_family: fargate.map(|_| "Linux".to_owned()),
        ephemeral_storage: fargate.map(|_| api::EphemeralStorage {
            size_in_gi_b: launch
                .definition
                .ephemeral_storage
                .as_ref()
                .map_or(DEFAULT_EPHEMERAL_GIB, |e| e.size_in_gi_b),
        }),
        // PROVISIONING until the instance's agent has the task; it then reports PENDING.
        last_status: TaskStatus::Provisioning,
        desired_status: DesiredStatus::Running,
        created_at: Some(now),
        group: Some(launch.group.clone()),
        started_by: launch.started_by.clone(),
        overrides,
        cpu: launch.definition.cpu.clone(),
        memory: launch.definition.memory.clone(),
        containers: Some(containers),
        health_status: Some(HealthStatus::Unknown),
        version: Some(1),
        tags: Some(launch.tags.clone()).filter(|t| !t.is_empty()),
        enable_execute_command: Some(launch.enable_execute_command),
        ..StoredTask::default()
    };
    TaskRecord {
        cluster: launch.cluster.clone().into(),
        id: id.into(),
        instance_id: Some(instance.id.clone()),
        host_cluster: fargate.map(|_| super::capacity::FARGATE_POOL.to_owned().into()),
        family: launch.family.clone(),
        revision: launch.revision,
        reservation: launch.reservation.clone(),
        network: None,
        deactivating: None,
        task,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_are_hex_and_ordered_by_creation() {
        let ids: Vec<String> = (0..1000).map(|_| new_task_id()).collect();
        for id in &ids {
            assert_eq!(id.len(), 32, "{id}");
            assert!(id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{id}");
        }
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ids out of creation order");
    }
}
