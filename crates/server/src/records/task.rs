//! Tasks and RunTask client tokens.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

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
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) reservation: Reservation,
    pub(crate) task: StoredTask,
}

/// A task as stored: the members of ECS's `Task`, with the states Berth decides on typed, and
/// why it was asked to stop. It becomes an `api::Task` only when shown ([`StoredTask::into_api`]).
/// Every member of the ECS shape is here, so none is dropped on a read-modify-write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredTask {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attachments: Option<Vec<api::Attachment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attributes: Option<Vec<api::Attribute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) availability_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) capacity_provider_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cluster_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) connectivity: Option<api::Connectivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) connectivity_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) container_instance_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) containers: Option<Vec<api::Container>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<f64>,
    #[serde(default)]
    pub(crate) desired_status: DesiredStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) enable_execute_command: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) execution_stopped_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_status: Option<api::HealthStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) inference_accelerators: Option<Vec<api::InferenceAccelerator>>,
    #[serde(default)]
    pub(crate) last_status: TaskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) launch_type: Option<api::LaunchType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) overrides: Option<api::TaskOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) platform_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) platform_family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pull_started_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pull_stopped_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) started_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) started_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stop_code: Option<api::TaskStopCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stopped_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stopped_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stopping_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) tags: Option<Vec<api::Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task_definition_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ephemeral_storage: Option<api::EphemeralStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fargate_ephemeral_storage: Option<api::TaskEphemeralStorage>,
    /// Why the task was asked to stop (records of an older Berth have none; see
    /// `state::IndexedTask::decode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) stop_cause: Option<StopCause>,
}

impl StoredTask {
    /// The task in ECS's shape.
    pub(crate) fn into_api(self) -> api::Task {
        api::Task {
            last_status: Some(self.last_status.as_str().to_owned()),
            desired_status: Some(self.desired_status.as_str().to_owned()),
            attachments: self.attachments,
            attributes: self.attributes,
            availability_zone: self.availability_zone,
            capacity_provider_name: self.capacity_provider_name,
            cluster_arn: self.cluster_arn,
            connectivity: self.connectivity,
            connectivity_at: self.connectivity_at,
            container_instance_arn: self.container_instance_arn,
            containers: self.containers,
            cpu: self.cpu,
            created_at: self.created_at,
            enable_execute_command: self.enable_execute_command,
            execution_stopped_at: self.execution_stopped_at,
            group: self.group,
            health_status: self.health_status,
            inference_accelerators: self.inference_accelerators,
            launch_type: self.launch_type,
            memory: self.memory,
            overrides: self.overrides,
            platform_version: self.platform_version,
            platform_family: self.platform_family,
            pull_started_at: self.pull_started_at,
            pull_stopped_at: self.pull_stopped_at,
            started_at: self.started_at,
            started_by: self.started_by,
            stop_code: self.stop_code,
            stopped_at: self.stopped_at,
            stopped_reason: self.stopped_reason,
            stopping_at: self.stopping_at,
            tags: self.tags,
            task_arn: self.task_arn,
            task_definition_arn: self.task_definition_arn,
            version: self.version,
            ephemeral_storage: self.ephemeral_storage,
            fargate_ephemeral_storage: self.fargate_ephemeral_storage,
        }
    }
}

/// A task in ECS's shape as Berth would store it: its states read leniently (see
/// [`TaskStatus::from_name`]); no stop cause.
impl From<api::Task> for StoredTask {
    fn from(task: api::Task) -> StoredTask {
        StoredTask {
            last_status: task
                .last_status
                .as_deref()
                .map_or(TaskStatus::Pending, TaskStatus::from_name),
            desired_status: task
                .desired_status
                .as_deref()
                .map_or(DesiredStatus::Running, DesiredStatus::from_name),
            attachments: task.attachments,
            attributes: task.attributes,
            availability_zone: task.availability_zone,
            capacity_provider_name: task.capacity_provider_name,
            cluster_arn: task.cluster_arn,
            connectivity: task.connectivity,
            connectivity_at: task.connectivity_at,
            container_instance_arn: task.container_instance_arn,
            containers: task.containers,
            cpu: task.cpu,
            created_at: task.created_at,
            enable_execute_command: task.enable_execute_command,
            execution_stopped_at: task.execution_stopped_at,
            group: task.group,
            health_status: task.health_status,
            inference_accelerators: task.inference_accelerators,
            launch_type: task.launch_type,
            memory: task.memory,
            overrides: task.overrides,
            platform_version: task.platform_version,
            platform_family: task.platform_family,
            pull_started_at: task.pull_started_at,
            pull_stopped_at: task.pull_stopped_at,
            started_at: task.started_at,
            started_by: task.started_by,
            stop_code: task.stop_code,
            stopped_at: task.stopped_at,
            stopped_reason: task.stopped_reason,
            stopping_at: task.stopping_at,
            tags: task.tags,
            task_arn: task.task_arn,
            task_definition_arn: task.task_definition_arn,
            version: task.version,
            ephemeral_storage: task.ephemeral_storage,
            fargate_ephemeral_storage: task.fargate_ephemeral_storage,
            stop_cause: None,
        }
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
    fn cluster(&self) -> &str;
    fn id(&self) -> &str;
    fn instance_id(&self) -> Option<&str>;
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
    fn last_status(&self) -> TaskStatus {
        self.task.last_status
    }
    fn desired_status(&self) -> DesiredStatus {
        self.task.desired_status
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
    fn last_status(&self) -> TaskStatus {
        (**self).last_status()
    }
    fn desired_status(&self) -> DesiredStatus {
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
    fn last_status(&self) -> TaskStatus {
        (**self).last_status()
    }
    fn desired_status(&self) -> DesiredStatus {
        (**self).desired_status()
    }
}
