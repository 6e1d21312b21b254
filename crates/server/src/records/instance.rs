//! Container instances.

use serde::{Deserialize, Serialize};

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
}

/// A container instance as stored: the members of ECS's `ContainerInstance`, its status typed.
/// The counts and the agent's connection are computed when it is shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredInstance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) container_instance_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ec2_instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) capacity_provider_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version_info: Option<api::VersionInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) remaining_resources: Option<Vec<api::Resource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) registered_resources: Option<Vec<api::Resource>>,
    #[serde(default)]
    pub(crate) status: InstanceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) agent_connected: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) running_tasks_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pending_tasks_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) agent_update_status: Option<api::AgentUpdateStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attributes: Option<Vec<api::Attribute>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) registered_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attachments: Option<Vec<api::Attachment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) tags: Option<Vec<api::Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_status: Option<api::ContainerInstanceHealthStatus>,
}

impl StoredInstance {
    /// In ECS's shape.
    pub(crate) fn into_api(self) -> api::ContainerInstance {
        api::ContainerInstance {
            container_instance_arn: self.container_instance_arn,
            ec2_instance_id: self.ec2_instance_id,
            capacity_provider_name: self.capacity_provider_name,
            version: self.version,
            version_info: self.version_info,
            remaining_resources: self.remaining_resources,
            registered_resources: self.registered_resources,
            status: Some(self.status.as_str().to_owned()),
            status_reason: self.status_reason,
            agent_connected: self.agent_connected,
            running_tasks_count: self.running_tasks_count,
            pending_tasks_count: self.pending_tasks_count,
            agent_update_status: self.agent_update_status,
            attributes: self.attributes,
            registered_at: self.registered_at,
            attachments: self.attachments,
            tags: self.tags,
            health_status: self.health_status,
        }
    }
}

/// ECS's shape as Berth would store it, its states read leniently.
impl From<api::ContainerInstance> for StoredInstance {
    fn from(containerinstance: api::ContainerInstance) -> StoredInstance {
        StoredInstance {
            container_instance_arn: containerinstance.container_instance_arn,
            ec2_instance_id: containerinstance.ec2_instance_id,
            capacity_provider_name: containerinstance.capacity_provider_name,
            version: containerinstance.version,
            version_info: containerinstance.version_info,
            remaining_resources: containerinstance.remaining_resources,
            registered_resources: containerinstance.registered_resources,
            status: containerinstance
                .status
                .as_deref()
                .map_or(InstanceStatus::Active, InstanceStatus::from_name),
            status_reason: containerinstance.status_reason,
            agent_connected: containerinstance.agent_connected,
            running_tasks_count: containerinstance.running_tasks_count,
            pending_tasks_count: containerinstance.pending_tasks_count,
            agent_update_status: containerinstance.agent_update_status,
            attributes: containerinstance.attributes,
            registered_at: containerinstance.registered_at,
            attachments: containerinstance.attachments,
            tags: containerinstance.tags,
            health_status: containerinstance.health_status,
        }
    }
}
