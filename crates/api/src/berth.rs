//! Berth's own operations, beside ECS's: what ECS sends elsewhere (container logs go to
//! CloudWatch Logs, resource use to CloudWatch metrics) and Berth keeps itself. They use the
//! same protocol as ECS's operations, with the target prefix [`TARGET_PREFIX`].

use serde::{Deserialize, Serialize};

pub use crate::agent::{LogEvent, TaskUsage};

/// The `X-Amz-Target` prefix of Berth's operations.
pub const TARGET_PREFIX: &str = "BerthV1.";

/// Berth's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BerthOperation {
    GetContainerLogs,
    DescribeTaskUsage,
    ReclaimSpotCapacity,
    GetFargateUsage,
    GetCapacityProviderReservation,
}

impl BerthOperation {
    pub fn from_name(name: &str) -> Option<BerthOperation> {
        match name {
            "GetContainerLogs" => Some(BerthOperation::GetContainerLogs),
            "DescribeTaskUsage" => Some(BerthOperation::DescribeTaskUsage),
            "ReclaimSpotCapacity" => Some(BerthOperation::ReclaimSpotCapacity),
            "GetFargateUsage" => Some(BerthOperation::GetFargateUsage),
            "GetCapacityProviderReservation" => {
                Some(BerthOperation::GetCapacityProviderReservation)
            }
            _ => None,
        }
    }
}

/// The kept log lines of one container of a task, oldest first (as CloudWatch Logs'
/// GetLogEvents does for a log stream).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetContainerLogsRequest {
    pub cluster: Option<String>,
    pub task: String,
    pub container_name: String,
    /// From the oldest kept line (true) or the last `limit` lines (false, the default).
    pub start_from_head: Option<bool>,
    /// At most this many lines (1 to 10000, default 1000).
    pub limit: Option<i32>,
    /// Continue after the lines a previous call returned (its `nextForwardToken`).
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetContainerLogsResponse {
    pub events: Vec<LogEvent>,
    /// Pass it back to get the lines written after these.
    pub next_forward_token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeTaskUsageRequest {
    pub cluster: Option<String>,
    /// Task ids or ARNs; all running tasks of the cluster when absent.
    pub tasks: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeTaskUsageResponse {
    pub usage: Vec<TaskUsage>,
}

/// Takes Fargate Spot capacity back, as AWS does when it needs it: the tasks on the Spot hosts
/// reclaimed are interrupted (SIGTERM, then their stop timeout; `stopCode: SpotInterruption`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimSpotCapacityRequest {
    /// How many Spot hosts to reclaim (1 to 100, default 1): those running the most tasks.
    pub hosts: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReclaimSpotCapacityResponse {
    /// The tasks interrupted.
    pub interrupted_tasks: Vec<String>,
}

/// Fargate usage over a time range, metered as AWS bills it: per second of the vCPU and GB a
/// task asked for, from the start of its image pull to its end, at least one minute a task;
/// ephemeral storage above 20 GB; Spot apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetFargateUsageRequest {
    /// Only this cluster's tasks (all clusters when absent).
    pub cluster: Option<String>,
    /// The range, epoch seconds (default: from the epoch to now).
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    /// `CLUSTER` (the default), `SERVICE`, `FAMILY` or `TAG:<key>`.
    pub group_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetFargateUsageResponse {
    pub groups: Vec<FargateUsageGroup>,
}

/// The usage of one group (a cluster, a service, a family or a tag's value; `-` for tasks
/// without one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FargateUsageGroup {
    pub key: String,
    pub tasks: u64,
    /// Billed task seconds (each task's at least 60).
    pub billed_seconds: f64,
    pub vcpu_seconds: f64,
    pub gb_seconds: f64,
    /// GB-seconds of ephemeral storage above the 20 GB included.
    pub storage_gb_seconds: f64,
    pub spot_vcpu_seconds: f64,
    pub spot_gb_seconds: f64,
    /// What it costs at the configured prices, in US dollars.
    pub cost: f64,
}

/// The `CapacityProviderReservation` of a cluster's custom capacity providers, as ECS computes
/// it for cluster autoscaling: `M / N × 100`, `N` the provider's ACTIVE instances in the
/// cluster and `M` those an autoscaler must keep (the instances holding tasks); 200 when tasks
/// need instances and there are none; 100 when there are neither.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCapacityProviderReservationRequest {
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetCapacityProviderReservationResponse {
    pub providers: Vec<CapacityProviderReservation>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderReservation {
    pub capacity_provider: String,
    /// `N`: the provider's ACTIVE instances in the cluster.
    pub instances: u64,
    /// `M`: the instances needed for the provider's tasks.
    pub instances_needed: u64,
    pub reservation: f64,
}
