//! Services and their deployments.

use serde::{Deserialize, Serialize};

use super::ids::{ClusterName, ServiceName};
use super::status::{DeploymentStatus, RolloutState, ServiceStatus};
use crate::records::TaskState;

/// One deployment of a service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentRecord {
    /// `ecs-svc/<19 digits>`; tasks of the deployment carry it in `startedBy`.
    pub(crate) id: String,
    pub(crate) status: DeploymentStatus,
    pub(crate) task_definition: String,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) rollout: RolloutState,
    pub(crate) rollout_reason: Option<String>,
    pub(crate) configuration: api::DeploymentConfiguration,
    pub(crate) desired_count: i32,
    pub(crate) failed_tasks: i32,
    pub(crate) created_at: f64,
    pub(crate) updated_at: f64,
    pub(crate) finished_at: Option<f64>,
    /// This deployment rolls back to an earlier one.
    #[serde(default)]
    pub(crate) rollback: bool,
    /// The deployments it replaced.
    #[serde(default)]
    pub(crate) replaced: Vec<String>,
}

/// A service as stored: the ECS shape (without deployments, events and counts) and Berth's
/// bookkeeping.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServiceRecord {
    pub(crate) cluster: ClusterName,
    pub(crate) name: ServiceName,
    pub(crate) service: StoredService,
    /// Newest first. INACTIVE ones are kept (the last few) for DescribeServiceDeployments.
    pub(crate) deployments: Vec<DeploymentRecord>,
    /// Newest first, at most 100.
    #[serde(default)]
    pub(crate) events: Vec<api::ServiceEvent>,
    /// The last deployment that completed, for rollbacks.
    pub(crate) last_completed: Option<String>,
    /// The CreateService client token and a fingerprint of the request, for idempotency.
    pub(crate) client_token: Option<String>,
    pub(crate) fingerprint: Option<String>,
}

impl ServiceRecord {
    pub(crate) fn status(&self) -> ServiceStatus {
        self.service.status
    }

    /// Whether a task belongs to this service: its group and one of its deployments.
    pub(crate) fn owns(&self, task: &impl TaskState) -> bool {
        task.group().and_then(|g| g.strip_prefix("service:")) == Some(self.name.as_str())
            && task.started_by().is_some_and(|by| self.deployments.iter().any(|d| d.id == by))
    }
}

/// A service as stored: the members of ECS's `Service`, its status typed (deployments, events
/// and counts are kept beside it in [`ServiceRecord`] or computed when it is shown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredService {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) service_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cluster_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) load_balancers: Option<Vec<api::LoadBalancer>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) service_registries: Option<Vec<api::ServiceRegistry>>,
    #[serde(default)]
    pub(crate) status: ServiceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) desired_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) running_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pending_count: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) launch_type: Option<api::LaunchType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) capacity_provider_strategy: Option<Vec<api::CapacityProviderStrategyItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) platform_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) platform_family: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deployment_configuration: Option<api::DeploymentConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task_sets: Option<Vec<api::TaskSet>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deployments: Option<Vec<api::Deployment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) role_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) events: Option<Vec<api::ServiceEvent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) current_service_deployment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) current_service_revisions: Option<Vec<api::ServiceCurrentRevisionSummary>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) placement_constraints: Option<Vec<api::PlacementConstraint>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) placement_strategy: Option<Vec<api::PlacementStrategy>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) network_configuration: Option<api::NetworkConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_check_grace_period_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scheduling_strategy: Option<api::SchedulingStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deployment_controller: Option<api::DeploymentController>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) tags: Option<Vec<api::Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) created_by: Option<String>,
    #[serde(rename = "enableECSManagedTags", default, skip_serializing_if = "Option::is_none")]
    pub(crate) enable_ecs_managed_tags: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) propagate_tags: Option<api::PropagateTags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) enable_execute_command: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) availability_zone_rebalancing: Option<api::AvailabilityZoneRebalancing>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) resource_management_type: Option<api::ResourceManagementType>,
}

impl StoredService {
    /// In ECS's shape.
    pub(crate) fn into_api(self) -> api::Service {
        api::Service {
            service_arn: self.service_arn,
            service_name: self.service_name,
            cluster_arn: self.cluster_arn,
            load_balancers: self.load_balancers,
            service_registries: self.service_registries,
            status: Some(self.status.as_str().to_owned()),
            desired_count: self.desired_count,
            running_count: self.running_count,
            pending_count: self.pending_count,
            launch_type: self.launch_type,
            capacity_provider_strategy: self.capacity_provider_strategy,
            platform_version: self.platform_version,
            platform_family: self.platform_family,
            task_definition: self.task_definition,
            deployment_configuration: self.deployment_configuration,
            task_sets: self.task_sets,
            deployments: self.deployments,
            role_arn: self.role_arn,
            events: self.events,
            created_at: self.created_at,
            current_service_deployment: self.current_service_deployment,
            current_service_revisions: self.current_service_revisions,
            placement_constraints: self.placement_constraints,
            placement_strategy: self.placement_strategy,
            network_configuration: self.network_configuration,
            health_check_grace_period_seconds: self.health_check_grace_period_seconds,
            scheduling_strategy: self.scheduling_strategy,
            deployment_controller: self.deployment_controller,
            tags: self.tags,
            created_by: self.created_by,
            enable_ecs_managed_tags: self.enable_ecs_managed_tags,
            propagate_tags: self.propagate_tags,
            enable_execute_command: self.enable_execute_command,
            availability_zone_rebalancing: self.availability_zone_rebalancing,
            resource_management_type: self.resource_management_type,
        }
    }
}

/// ECS's shape as Berth would store it, its states read leniently.
impl From<api::Service> for StoredService {
    fn from(service: api::Service) -> StoredService {
        StoredService {
            service_arn: service.service_arn,
            service_name: service.service_name,
            cluster_arn: service.cluster_arn,
            load_balancers: service.load_balancers,
            service_registries: service.service_registries,
            status: service
                .status
                .as_deref()
                .map_or(ServiceStatus::Active, ServiceStatus::from_name),
            desired_count: service.desired_count,
            running_count: service.running_count,
            pending_count: service.pending_count,
            launch_type: service.launch_type,
            capacity_provider_strategy: service.capacity_provider_strategy,
            platform_version: service.platform_version,
            platform_family: service.platform_family,
            task_definition: service.task_definition,
            deployment_configuration: service.deployment_configuration,
            task_sets: service.task_sets,
            deployments: service.deployments,
            role_arn: service.role_arn,
            events: service.events,
            created_at: service.created_at,
            current_service_deployment: service.current_service_deployment,
            current_service_revisions: service.current_service_revisions,
            placement_constraints: service.placement_constraints,
            placement_strategy: service.placement_strategy,
            network_configuration: service.network_configuration,
            health_check_grace_period_seconds: service.health_check_grace_period_seconds,
            scheduling_strategy: service.scheduling_strategy,
            deployment_controller: service.deployment_controller,
            tags: service.tags,
            created_by: service.created_by,
            enable_ecs_managed_tags: service.enable_ecs_managed_tags,
            propagate_tags: service.propagate_tags,
            enable_execute_command: service.enable_execute_command,
            availability_zone_rebalancing: service.availability_zone_rebalancing,
            resource_management_type: service.resource_management_type,
        }
    }
}
