//! Services and their deployments.

use serde::{Deserialize, Serialize};

use crate::records::TaskState;

/// One deployment of a service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentRecord {
    /// `ecs-svc/<19 digits>`; tasks of the deployment carry it in `startedBy`.
    pub(crate) id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub(crate) status: String,
    pub(crate) task_definition: String,
    pub(crate) family: String,
    pub(crate) revision: i32,
    /// IN_PROGRESS, COMPLETED or FAILED.
    pub(crate) rollout: String,
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
    pub(crate) cluster: String,
    pub(crate) name: String,
    pub(crate) service: api::Service,
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
    pub(crate) fn status(&self) -> &str {
        self.service.status.as_deref().unwrap_or("ACTIVE")
    }

    /// Whether a task belongs to this service: its group and one of its deployments.
    pub(crate) fn owns(&self, task: &impl TaskState) -> bool {
        task.group().and_then(|g| g.strip_prefix("service:")) == Some(self.name.as_str())
            && task.started_by().is_some_and(|by| self.deployments.iter().any(|d| d.id == by))
    }
}
