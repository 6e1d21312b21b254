//! Container instances.

use serde::{Deserialize, Serialize};

use super::mirror::mirror;

use super::ids::{ClusterName, InstanceId};
use super::status::InstanceStatus;

/// A container instance as stored: the ECS shape (its computed members left out) and the
/// names it is filed under.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InstanceRecord {
    pub(crate) cluster: ClusterName,
    pub(crate) id: InstanceId,
    pub(crate) instance: StoredInstance,
    /// Registered by a user (RegisterContainerInstance signed by an IAM principal) and not yet
    /// taken over by an agent: no agent has its token, and an agent holding the cluster's token
    /// may adopt it. Absent in records written before users could register instances, which
    /// agents registered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) awaiting_agent: bool,
}

mirror! {
    /// A container instance as stored: the members of ECS's `ContainerInstance`, its status typed.
    /// The counts and the agent's connection are computed when it is shown.
    StoredInstance = api::ContainerInstance {
        typed {
            status: InstanceStatus,
        }
        container_instance_arn: Option<String>,
        ec2_instance_id: Option<String>,
        capacity_provider_name: Option<String>,
        version: Option<i64>,
        version_info: Option<api::VersionInfo>,
        remaining_resources: Option<Vec<api::Resource>>,
        registered_resources: Option<Vec<api::Resource>>,
        status_reason: Option<String>,
        agent_connected: Option<bool>,
        running_tasks_count: Option<i32>,
        pending_tasks_count: Option<i32>,
        agent_update_status: Option<api::AgentUpdateStatus>,
        attributes: Option<Vec<api::Attribute>>,
        registered_at: Option<f64>,
        attachments: Option<Vec<api::Attachment>>,
        tags: Option<Vec<api::Tag>>,
        health_status: Option<api::ContainerInstanceHealthStatus>,
    }
    extra {

    }
}
