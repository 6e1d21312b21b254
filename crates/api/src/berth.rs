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
}

impl BerthOperation {
    pub fn from_name(name: &str) -> Option<BerthOperation> {
        match name {
            "GetContainerLogs" => Some(BerthOperation::GetContainerLogs),
            "DescribeTaskUsage" => Some(BerthOperation::DescribeTaskUsage),
            "ReclaimSpotCapacity" => Some(BerthOperation::ReclaimSpotCapacity),
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
