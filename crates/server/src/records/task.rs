//! Tasks and RunTask client tokens.

use serde::{Deserialize, Serialize};

use super::mirror::mirror;

use super::ids::{ClusterName, InstanceId, TaskId};
use super::status::{DesiredStatus, StopCause, TaskStatus};

/// The reason of tasks the scheduler replaces for failing health checks.
pub(crate) const HEALTH_REASON: &str = "Task failed container health checks";

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
    pub(crate) cluster: ClusterName,
    pub(crate) id: TaskId,
    /// The container instance the task was placed on.
    pub(crate) instance_id: Option<InstanceId>,
    /// The cluster of that instance when it is not the task's own: the Fargate pool's, for a
    /// task on Fargate capacity (a host shared by every cluster, never shown to users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) host_cluster: Option<ClusterName>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    /// The task's network interface, in the `awsvpc` network mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) network: Option<TaskNetwork>,
    /// A service task behind a load balancer that the service scheduler stops: its targets
    /// drain first (ECS's DEACTIVATING), and it is asked to stop once they are gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deactivating: Option<Deactivation>,
    pub(crate) task: StoredTask,
}

/// Why and since when a task's targets drain before it stops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Deactivation {
    /// Epoch seconds.
    pub(crate) since: f64,
    pub(crate) cause: StopCause,
    pub(crate) reason: String,
}

/// The network interface of an `awsvpc` task: the address it holds in its subnet until it is
/// STOPPED, and what the agent needs to set the interface up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskNetwork {
    pub(crate) subnet_id: String,
    /// The subnet's network.
    pub(crate) subnet: ipnet::Ipv4Net,
    pub(crate) address: std::net::Ipv4Addr,
    /// The block of the subnet the address is in, which the task's host routes.
    pub(crate) block: ipnet::Ipv4Net,
    pub(crate) mac_address: String,
    /// `eni-…`.
    pub(crate) interface_id: String,
    /// The id of the task's `ElasticNetworkInterface` attachment.
    pub(crate) attachment_id: String,
    pub(crate) security_groups: Vec<String>,
    #[serde(default)]
    pub(crate) assign_public_ip: bool,
}

mirror! {
    /// A task as stored: the members of ECS's `Task`, with the states Berth decides on typed, and
    /// why it was asked to stop. It becomes an `api::Task` only when shown ([`StoredTask::into_api`]).
    /// Every member of the ECS shape is here, so none is dropped on a read-modify-write.
    StoredTask = api::Task {
        typed {
            last_status: TaskStatus,
            desired_status: DesiredStatus,
        }
        attachments: Option<Vec<api::Attachment>>,
        attributes: Option<Vec<api::Attribute>>,
        availability_zone: Option<String>,
        capacity_provider_name: Option<String>,
        cluster_arn: Option<String>,
        connectivity: Option<api::Connectivity>,
        connectivity_at: Option<f64>,
        container_instance_arn: Option<String>,
        containers: Option<Vec<api::Container>>,
        cpu: Option<String>,
        created_at: Option<f64>,
        enable_execute_command: Option<bool>,
        execution_stopped_at: Option<f64>,
        group: Option<String>,
        health_status: Option<api::HealthStatus>,
        inference_accelerators: Option<Vec<api::InferenceAccelerator>>,
        launch_type: Option<api::LaunchType>,
        memory: Option<String>,
        overrides: Option<api::TaskOverride>,
        platform_version: Option<String>,
        platform_family: Option<String>,
        pull_started_at: Option<f64>,
        pull_stopped_at: Option<f64>,
        started_at: Option<f64>,
        started_by: Option<String>,
        stop_code: Option<api::TaskStopCode>,
        stopped_at: Option<f64>,
        stopped_reason: Option<String>,
        stopping_at: Option<f64>,
        tags: Option<Vec<api::Tag>>,
        task_arn: Option<String>,
        task_definition_arn: Option<String>,
        version: Option<i64>,
        ephemeral_storage: Option<api::EphemeralStorage>,
        fargate_ephemeral_storage: Option<api::TaskEphemeralStorage>,
    }
    extra {
        /// Why the task was asked to stop.
        stop_cause: Option<StopCause>,
        /// Until when (epoch seconds) task scale-in protection is on (UpdateTaskProtection).
        protected_until: Option<f64>,
    }
}

/// What a RunTask client token remembers: a fingerprint of the request and the tasks it
/// started.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenRecord {
    pub(crate) fingerprint: String,
    pub(crate) task_ids: Vec<String>,
    pub(crate) failures: Vec<api::Failure>,
    pub(crate) created_at: f64,
}

/// What every form of a task tells about where it is in its life.
pub(crate) trait TaskState {
    fn id(&self) -> &str;
    fn instance_id(&self) -> Option<&str>;
    /// The cluster of the instance the task is on: its own, or the Fargate pool's.
    fn host_cluster(&self) -> &str;
    fn reservation(&self) -> &Reservation;
    fn group(&self) -> Option<&str>;
    fn started_by(&self) -> Option<&str>;
    /// `lastStatus`.
    fn last_status(&self) -> TaskStatus;
    /// `desiredStatus`.
    fn desired_status(&self) -> DesiredStatus;

    fn is_stopped(&self) -> bool {
        self.last_status() == TaskStatus::Stopped
    }
}

impl TaskState for TaskRecord {
    fn id(&self) -> &str {
        &self.id
    }
    fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }
    fn host_cluster(&self) -> &str {
        self.host_cluster.as_deref().unwrap_or(&self.cluster)
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
    fn last_status(&self) -> TaskStatus {
        self.task.last_status
    }
    fn desired_status(&self) -> DesiredStatus {
        self.task.desired_status
    }
}
