//! Services and their deployments.

use serde::{Deserialize, Serialize};

use super::mirror::mirror;

use super::ids::{ClusterName, ServiceName};
use super::status::{DeploymentStatus, RolloutState, ServiceStatus, TaskSetStatus};
use crate::records::TaskState;

/// A task set of a service under the EXTERNAL deployment controller.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskSetRecord {
    /// `ecs-svc/<19 digits>`; its tasks carry it in `startedBy`.
    pub(crate) id: String,
    pub(crate) status: TaskSetStatus,
    pub(crate) task_definition: String,
    pub(crate) family: String,
    pub(crate) revision: i32,
    /// The share of the service's desired count it runs, in percent.
    pub(crate) scale: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) launch_type: Option<api::LaunchType>,
    pub(crate) created_at: f64,
    pub(crate) updated_at: f64,
    #[serde(default)]
    pub(crate) tags: Vec<api::Tag>,
    /// The network configuration its tasks get (`awsvpc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) network: Option<api::NetworkConfiguration>,
}

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
    /// The network configuration its tasks get (`awsvpc`), as the service had it when the
    /// deployment began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) network: Option<api::NetworkConfiguration>,
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
    /// EXTERNAL deployment controller: the task sets, oldest first (the other controllers have
    /// none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) task_sets: Vec<TaskSetRecord>,
    /// The CreateService client token and a fingerprint of the request, for idempotency.
    pub(crate) client_token: Option<String>,
    pub(crate) fingerprint: Option<String>,
}

impl ServiceRecord {
    pub(crate) fn status(&self) -> ServiceStatus {
        self.service.status
    }

    /// Rolls back to deployment `target`: a new PRIMARY deployment `id` of its task definition
    /// and configuration, replacing `replaces` (the PRIMARY becomes ACTIVE). Nothing happens
    /// when `target` is not one of the service's deployments.
    pub(crate) fn roll_back(&mut self, target: &str, replaces: Vec<String>, id: String, now: f64) {
        let Some(source) = self.deployments.iter().find(|d| d.id == target).cloned() else {
            return;
        };
        for d in self.deployments.iter_mut() {
            if d.status == DeploymentStatus::Primary {
                d.status = DeploymentStatus::Active;
            }
        }
        let rollback = DeploymentRecord {
            id,
            status: DeploymentStatus::Primary,
            rollout: RolloutState::InProgress,
            rollout_reason: Some(format!("Rolling back to deployment {target}.")),
            failed_tasks: 0,
            created_at: now,
            updated_at: now,
            finished_at: None,
            rollback: true,
            replaced: replaces,
            desired_count: self.service.desired_count.unwrap_or(0),
            ..source
        };
        self.service.task_definition = Some(rollback.task_definition.clone());
        self.service.network_configuration = rollback.network.clone();
        self.deployments.insert(0, rollback);
    }

    /// Whether a task belongs to this service: its group and one of its deployments or task
    /// sets.
    pub(crate) fn owns(&self, task: &impl TaskState) -> bool {
        task.group().and_then(|g| g.strip_prefix("service:")) == Some(self.name.as_str())
            && task.started_by().is_some_and(|by| {
                self.deployments.iter().any(|d| d.id == by)
                    || self.task_sets.iter().any(|s| s.id == by)
            })
    }

    /// The task definition a deployment or task set `id` runs: family and revision.
    pub(crate) fn launched_by(&self, id: &str) -> Option<(&str, i32)> {
        self.deployments
            .iter()
            .find(|d| d.id == id)
            .map(|d| (d.family.as_str(), d.revision))
            .or_else(|| {
                self.task_sets.iter().find(|s| s.id == id).map(|s| (s.family.as_str(), s.revision))
            })
    }

    /// The network configuration of the tasks a deployment (or task set) launches: the
    /// deployment's own, else the service's.
    pub(crate) fn network_of(&self, id: &str) -> Option<&api::NetworkConfiguration> {
        let deployment = self.deployments.iter().find(|d| d.id == id).map(|d| d.network.as_ref());
        let set = self.task_sets.iter().find(|s| s.id == id).map(|s| s.network.as_ref());
        deployment.or(set).flatten().or(self.service.network_configuration.as_ref())
    }

    /// Whether an external tool deploys this service through task sets.
    pub(crate) fn external(&self) -> bool {
        self.service
            .deployment_controller
            .as_ref()
            .is_some_and(|c| c.r#type == api::DeploymentControllerType::External)
    }
}

mirror! {
    /// A service as stored: the members of ECS's `Service`, its status typed (deployments, events
    /// and counts are kept beside it in [`ServiceRecord`] or computed when it is shown).
    StoredService = api::Service {
        typed {
            status: ServiceStatus,
        }
        service_arn: Option<String>,
        service_name: Option<String>,
        cluster_arn: Option<String>,
        load_balancers: Option<Vec<api::LoadBalancer>>,
        service_registries: Option<Vec<api::ServiceRegistry>>,
        desired_count: Option<i32>,
        running_count: Option<i32>,
        pending_count: Option<i32>,
        launch_type: Option<api::LaunchType>,
        capacity_provider_strategy: Option<Vec<api::CapacityProviderStrategyItem>>,
        platform_version: Option<String>,
        platform_family: Option<String>,
        task_definition: Option<String>,
        deployment_configuration: Option<api::DeploymentConfiguration>,
        task_sets: Option<Vec<api::TaskSet>>,
        deployments: Option<Vec<api::Deployment>>,
        role_arn: Option<String>,
        events: Option<Vec<api::ServiceEvent>>,
        created_at: Option<f64>,
        current_service_deployment: Option<String>,
        current_service_revisions: Option<Vec<api::ServiceCurrentRevisionSummary>>,
        placement_constraints: Option<Vec<api::PlacementConstraint>>,
        placement_strategy: Option<Vec<api::PlacementStrategy>>,
        network_configuration: Option<api::NetworkConfiguration>,
        health_check_grace_period_seconds: Option<i32>,
        scheduling_strategy: Option<api::SchedulingStrategy>,
        deployment_controller: Option<api::DeploymentController>,
        tags: Option<Vec<api::Tag>>,
        created_by: Option<String>,
        #[serde(rename = "enableECSManagedTags")]
        enable_ecs_managed_tags: Option<bool>,
        propagate_tags: Option<api::PropagateTags>,
        enable_execute_command: Option<bool>,
        availability_zone_rebalancing: Option<api::AvailabilityZoneRebalancing>,
        resource_management_type: Option<api::ResourceManagementType>,
    }
    extra {

    }
}
