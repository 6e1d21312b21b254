//! The agent channel: Berth's own wire shapes between a node agent and the control plane,
//! beside the ECS agent-facing operations (RegisterContainerInstance, SubmitTaskStateChange)
//! that the agent also uses.
//!
//! The agent long-polls `POST /agent/v1/poll` with the generation of the desired task set it
//! last applied; the control plane answers at once when its generation differs, otherwise when
//! it changes or the wait ends (which doubles as the heartbeat). The answer is the instance's
//! whole desired task set, each task definition in it once. The agent sends the full current state of every task whose state
//! changed to `POST /agent/v1/report`; a report is idempotent, so it can be repeated after a
//! failure. Both carry the instance's token in [`TOKEN_HEADER`]: the token
//! RegisterContainerInstance returned in [`INSTANCE_TOKEN_HEADER`] when the agent registered
//! with its cluster's token.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{NetworkBinding, TaskDefinition, TaskOverride};

/// The header carrying an agent's token (its cluster's, or its instance's).
pub const TOKEN_HEADER: &str = "x-berth-agent-token";
/// The response header of RegisterContainerInstance carrying the instance's token.
pub const INSTANCE_TOKEN_HEADER: &str = "x-berth-instance-token";
pub const POLL_PATH: &str = "/agent/v1/poll";
pub const REPORT_PATH: &str = "/agent/v1/report";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollRequest {
    pub cluster: String,
    pub container_instance_arn: String,
    /// The generation of the desired set the agent applied last (-1 at start, so the first
    /// poll is answered at once).
    pub generation: i64,
    /// How long the control plane may hold the request when nothing changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<u32>,
    /// The task definitions (`family:revision`) the agent already holds: the answer leaves
    /// them out. A definition's content never changes once registered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_definitions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollResponse {
    /// Increases whenever the desired set changes. An agent ignores a response whose
    /// generation is lower than the one it applied.
    pub generation: i64,
    pub tasks: Vec<PolledTask>,
    /// The task definitions of `tasks`, each sent once however many tasks use it, by
    /// `family:revision`; those the request named as known are left out.
    #[serde(default)]
    pub definitions: HashMap<String, TaskDefinition>,
}

/// One task the instance should run (or stop), as a poll answer names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolledTask {
    pub task_arn: String,
    /// `RUNNING` or `STOPPED`.
    pub desired_status: String,
    /// The task's definition as `family:revision`, a key of [`PollResponse::definitions`].
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<TaskOverride>,
}

/// One task the instance should run (or stop), with its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredTask {
    pub task_arn: String,
    /// `RUNNING` or `STOPPED`.
    pub desired_status: String,
    /// Shared by the tasks of the same definition.
    pub definition: Arc<TaskDefinition>,
    pub overrides: Option<TaskOverride>,
}

impl PollResponse {
    /// The desired tasks with their definitions, taken from the answer or, for those it left
    /// out, from `known` (the definitions the agent held). `known` is left holding exactly the
    /// definitions the desired tasks use. A task whose definition is in neither is an error
    /// naming it.
    pub fn into_desired(
        self,
        known: &mut HashMap<String, Arc<TaskDefinition>>,
    ) -> Result<Vec<DesiredTask>, String> {
        let mut sent: HashMap<String, Arc<TaskDefinition>> =
            self.definitions.into_iter().map(|(key, d)| (key, Arc::new(d))).collect();
        let mut used: HashMap<String, Arc<TaskDefinition>> = HashMap::new();
        let desired = self
            .tasks
            .into_iter()
            .map(|task| {
                let definition = match used.get(&task.definition) {
                    Some(definition) => definition.clone(),
                    None => {
                        let found = sent
                            .remove(&task.definition)
                            .or_else(|| known.get(&task.definition).cloned())
                            .ok_or_else(|| {
                                format!(
                                    "task {} names definition {} the answer lacks",
                                    task.task_arn, task.definition
                                )
                            })?;
                        used.insert(task.definition.clone(), found.clone());
                        found
                    }
                };
                Ok(DesiredTask {
                    task_arn: task.task_arn,
                    desired_status: task.desired_status,
                    definition,
                    overrides: task.overrides,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        *known = used;
        Ok(desired)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    pub cluster: String,
    pub container_instance_arn: String,
    pub tasks: Vec<TaskReport>,
    /// Resource use of running tasks, sent every so often.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<TaskUsage>,
}

/// The agent's view of one task, sent whole each time it changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskReport {
    pub task_arn: String,
    /// The task's `lastStatus` as the agent sees it: PENDING, RUNNING or STOPPED.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default)]
    pub containers: Vec<ContainerReport>,
    /// The task's health, aggregated over its essential containers with health checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerReport {
    pub name: String,
    /// PENDING, RUNNING or STOPPED.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default)]
    pub network_bindings: Vec<NetworkBinding>,
    /// HEALTHY, UNHEALTHY or UNKNOWN; absent when the container has no health check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportResponse {
    /// How many task reports were applied (reports about unknown tasks are skipped).
    pub applied: usize,
}

pub const LOGS_PATH: &str = "/agent/v1/logs";

/// One line a container wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// Epoch milliseconds.
    pub timestamp: i64,
    /// `stdout` or `stderr`.
    pub stream: String,
    pub message: String,
}

/// New log lines of one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogBatch {
    pub task_arn: String,
    pub container_name: String,
    pub events: Vec<LogEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsRequest {
    pub cluster: String,
    pub container_instance_arn: String,
    pub batches: Vec<LogBatch>,
}

/// Resource use of one task, sampled by its agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskUsage {
    pub task_arn: String,
    /// CPU used, in CPU units (1024 per core).
    pub cpu_units: f64,
    /// Memory used, in MiB.
    pub memory_mib: f64,
    /// Epoch seconds.
    pub sampled_at: f64,
}
