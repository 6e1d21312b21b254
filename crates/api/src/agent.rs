//! The agent channel: Berth's own wire shapes between a node agent and the control plane,
//! beside the ECS agent-facing operations (RegisterContainerInstance, SubmitTaskStateChange)
//! that the agent also uses.
//!
//! The agent long-polls `POST /agent/v1/poll` with the generation of the desired task set it
//! last applied; the control plane answers at once when its generation differs, otherwise when
//! it changes or the wait ends (which doubles as the heartbeat). The answer is the instance's
//! whole desired task set, each task definition in it once. The agent sends the full current
//! state of every task whose state changed, with the container log lines gathered meanwhile,
//! on its next poll or to `POST /agent/v1/report` (`POST /agent/v1/logs` takes lines alone); a
//! report is idempotent, so it can be repeated after a failure. The answer to a poll that
//! carried reports or lines is two JSON lines, in the order they are ready: `{"applied":true}`
//! once they are durable (`false` if they were not applied) and the `PollResponse`. Both
//! carry the instance's token in [`TOKEN_HEADER`]: the token RegisterContainerInstance
//! returned in [`INSTANCE_TOKEN_HEADER`] when the agent registered with its cluster's token.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use serde::{Deserialize, Deserializer, Serialize};

use crate::{NetworkBinding, TaskDefinition, TaskOverride};

/// The header carrying an agent's token (its cluster's, or its instance's).
pub const TOKEN_HEADER: &str = "x-berth-agent-token";
/// The response header of RegisterContainerInstance carrying the instance's token.
pub const INSTANCE_TOKEN_HEADER: &str = "x-berth-instance-token";
pub const POLL_PATH: &str = "/agent/v1/poll";
pub const REPORT_PATH: &str = "/agent/v1/report";
/// Where an agent follows the network of its `awsvpc` tasks: their security group rules and
/// the routes to other hosts' task addresses.
pub const NETWORK_PATH: &str = "/agent/v1/network";

/// The instance attribute with the address other hosts reach this host's tasks through.
pub const HOST_ADDRESS_ATTRIBUTE: &str = "berth.host-address";

/// A long poll for the network of an instance's `awsvpc` tasks: answered when the network
/// changed since `version`, or when the wait ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkRequest {
    pub cluster: String,
    pub container_instance_arn: String,
    /// The version the agent applied last (0 for none).
    pub version: u64,
    /// The version of the routes the agent has (0 for none): the answer carries routes only
    /// when they differ.
    #[serde(default)]
    pub routes_version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<u32>,
}

/// The network of an instance's `awsvpc` tasks now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkResponse {
    pub version: u64,
    /// Every `awsvpc` task of the instance that is not STOPPED, with its rules as they are now.
    pub tasks: Vec<TaskNetworkState>,
    /// Where the blocks of task addresses held by other hosts are reached; absent when they
    /// are the ones of the agent's `routes_version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<Route>>,
    pub routes_version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskNetworkState {
    pub task_arn: String,
    pub network: TaskNetworkSpec,
}

/// A block of task addresses (`172.31.0.16/28`) and the host address it is reached through.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub destination: String,
    pub via: String,
}

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
    /// Task reports that ride on the poll, as a [`ReportRequest`] carries them. The control
    /// plane applies them (and `logs`) beside the poll's wait and says so on a line of the
    /// answer of its own once they are durable: until then the agent sends nothing newer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskReport>,
    /// Container log lines that ride on the poll.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logs: Vec<LogBatch>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollResponse {
    /// Increases whenever the desired set changes. An agent ignores a response whose
    /// generation is lower than the one it applied.
    pub generation: i64,
    /// Whether the cluster's container policy allows host mounts (`allow-host-mounts`): the
    /// agent then lets tasks mount shared Docker volumes that Berth did not create for the
    /// cluster, which only the host can tell apart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_host_mounts: bool,
    /// The tasks of the set that are new or changed since the generation the request named,
    /// in full (every task, when the request's generation is -1).
    pub tasks: Vec<PolledTask>,
    /// The ids (the last part of the ARN) of the other tasks of the set: unchanged since the
    /// generation the request named, so the agent already has them as they are. A task in
    /// neither list is no longer in the set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchanged: Vec<String>,
    /// The task definitions of `tasks`, each sent once however many tasks use it, by
    /// `family:revision`; those the request named as known are left out. Decoded, each is
    /// shared with the answers this process decoded before that carried the same JSON text
    /// (see [`shared_definitions`]).
    #[serde(default, deserialize_with = "shared_definitions")]
    pub definitions: HashMap<String, Arc<TaskDefinition>>,
}

/// Decodes the definitions of a poll answer, each one once per process for the same JSON
/// text: an agent process running thousands of simulated agents (`berth sim`) is handed the
/// same few definitions by every one of them, and one copy (and one decoding) does for all.
/// The same text always decodes to the same value, whichever control plane sent it, and the
/// value is never changed after, so sharing it is invisible to its users.
fn shared_definitions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<HashMap<String, Arc<TaskDefinition>>, D::Error> {
    let texts = HashMap::<String, Box<serde_json::value::RawValue>>::deserialize(deserializer)?;
    texts
        .into_iter()
        .map(|(key, text)| {
            let definition = shared_definition(text.get()).map_err(serde::de::Error::custom)?;
            Ok((key, definition))
        })
        .collect()
}

/// Definitions decoded by this process, by their JSON text, while any of them is in use.
struct Decoded {
    by_text: HashMap<Box<str>, Weak<TaskDefinition>>,
    /// The size at which entries no longer in use are dropped.
    prune_at: usize,
}

static DECODED: LazyLock<Mutex<Decoded>> =
    LazyLock::new(|| Mutex::new(Decoded { by_text: HashMap::new(), prune_at: 64 }));

/// The definition `text` decodes to, shared with its other holders in this process.
fn shared_definition(text: &str) -> Result<Arc<TaskDefinition>, serde_json::Error> {
    let held = |decoded: &Decoded| decoded.by_text.get(text).and_then(Weak::upgrade);
    if let Some(definition) = held(&DECODED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(definition);
    }
    let definition = Arc::new(serde_json::from_str::<TaskDefinition>(text)?);
    let mut decoded = DECODED.lock().unwrap_or_else(|e| e.into_inner());
    // Decoded meanwhile by another thread: keep that one, so that there is one copy.
    if let Some(earlier) = held(&decoded) {
        return Ok(earlier);
    }
    if decoded.by_text.len() >= decoded.prune_at {
        decoded.by_text.retain(|_, definition| definition.strong_count() > 0);
        decoded.prune_at = 2 * decoded.by_text.len() + 64;
    }
    decoded.by_text.insert(text.into(), Arc::downgrade(&definition));
    Ok(definition)
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
    /// The task's network interface, in the `awsvpc` network mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<TaskNetworkSpec>,
}

/// An `awsvpc` task's network interface, as its agent sets it up: the address in its subnet,
/// and what its security groups allow (groups named by other groups' rules resolved to the
/// addresses of their members when the answer was made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskNetworkSpec {
    /// The interface's address.
    pub address: std::net::Ipv4Addr,
    /// The subnet's prefix length.
    pub prefix_length: u8,
    /// The subnet's router, the task's default route.
    pub gateway: std::net::Ipv4Addr,
    pub mac_address: String,
    /// `eni-…`.
    pub interface_id: String,
    /// What may come in; nothing else does (replies to what went out aside).
    pub ingress: Vec<FirewallRule>,
    /// What may go out.
    pub egress: Vec<FirewallRule>,
}

/// One allowed flow: a protocol (`tcp`, `udp`, `icmp` or `all`), a port range (for tcp and
/// udp), and the peer network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FirewallRule {
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<(u16, u16)>,
    /// A network in CIDR notation (`10.0.0.0/8`, `172.31.0.9/32`).
    pub peer: String,
}

/// One task the instance should run (or stop), with its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredTask {
    pub task_arn: String,
    /// `RUNNING` or `STOPPED`.
    pub desired_status: String,
    /// Shared by the tasks of the same definition.
    pub definition: Arc<TaskDefinition>,
    /// The definition's `family:revision`.
    pub definition_key: String,
    pub overrides: Option<TaskOverride>,
    pub network: Option<TaskNetworkSpec>,
}

impl PollResponse {
    /// The answer's tasks (new or changed) with their definitions, taken from the answer or,
    /// for those it left out, from `known` (the definitions the agent holds), to which the
    /// answer's definitions are added. A task whose definition is in neither is an error
    /// naming it.
    pub fn into_desired(
        self,
        known: &mut HashMap<String, Arc<TaskDefinition>>,
    ) -> Result<Vec<DesiredTask>, String> {
        known.extend(self.definitions);
        self.tasks
            .into_iter()
            .map(|task| {
                let definition = known.get(&task.definition).cloned().ok_or_else(|| {
                    format!(
                        "task {} names definition {} the answer lacks",
                        task.task_arn, task.definition
                    )
                })?;
                Ok(DesiredTask {
                    task_arn: task.task_arn,
                    desired_status: task.desired_status,
                    definition,
                    definition_key: task.definition,
                    overrides: task.overrides,
                    network: task.network,
                })
            })
            .collect()
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
    /// New container log lines, as [`LogsRequest`] carries them: they ride on a report when one
    /// is going anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logs: Vec<LogBatch>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(tasks: &[(&str, &str)], definitions: &[&str]) -> PollResponse {
        PollResponse {
            generation: 7,
            allow_host_mounts: false,
            tasks: tasks
                .iter()
                .map(|(arn, definition)| PolledTask {
                    task_arn: (*arn).to_owned(),
                    desired_status: "RUNNING".to_owned(),
                    definition: (*definition).to_owned(),
                    overrides: None,
                    network: None,
                })
                .collect(),
            unchanged: Vec::new(),
            definitions: definitions
                .iter()
                .map(|key| {
                    let (family, revision) = key.split_once(':').unwrap();
                    let definition = TaskDefinition {
                        family: Some(family.to_owned()),
                        revision: revision.parse().ok(),
                        ..TaskDefinition::default()
                    };
                    ((*key).to_owned(), Arc::new(definition))
                })
                .collect(),
        }
    }

    #[test]
    fn definitions_come_from_the_answer_or_from_those_held() {
        let mut known = HashMap::new();
        let first = answer(&[("t1", "web:1")], &["web:1"]).into_desired(&mut known).unwrap();
        assert_eq!(first[0].definition.family.as_deref(), Some("web"));
        assert_eq!(first[0].definition_key, "web:1");
        assert!(known.contains_key("web:1"));
        // A later answer leaves out what the agent holds.
        let second = answer(&[("t2", "web:1")], &[]).into_desired(&mut known).unwrap();
        assert!(Arc::ptr_eq(&first[0].definition, &second[0].definition));
        // A definition in neither is an error naming it.
        let error = answer(&[("t3", "db:4")], &[]).into_desired(&mut known).unwrap_err();
        assert!(error.contains("db:4") && error.contains("t3"), "{error}");
    }

    fn answer_text(family: &str) -> String {
        format!(
            r#"{{"generation":1,"tasks":[],"definitions":{{"{family}:1":{{"family":"{family}","revision":1}}}}}}"#
        )
    }

    #[test]
    fn answers_carrying_the_same_definition_text_share_one_decoded_copy() {
        let a: PollResponse = serde_json::from_str(&answer_text("shared-a")).unwrap();
        let b: PollResponse = serde_json::from_slice(answer_text("shared-a").as_bytes()).unwrap();
        assert!(Arc::ptr_eq(&a.definitions["shared-a:1"], &b.definitions["shared-a:1"]));
        let c: PollResponse = serde_json::from_str(&answer_text("shared-c")).unwrap();
        assert_eq!(c.definitions["shared-c:1"].family.as_deref(), Some("shared-c"));
        assert!(!Arc::ptr_eq(&a.definitions["shared-a:1"], &c.definitions["shared-c:1"]));
        // Once no answer holds it, it is gone; the same text decodes again.
        let held = Arc::downgrade(&a.definitions["shared-a:1"]);
        drop((a, b));
        assert!(held.upgrade().is_none());
        let again: PollResponse = serde_json::from_str(&answer_text("shared-a")).unwrap();
        assert_eq!(again.definitions["shared-a:1"].revision, Some(1));
        // A definition that does not decode fails the answer.
        let bad = r#"{"generation":1,"tasks":[],"definitions":{"x:1":{"family":7}}}"#;
        assert!(serde_json::from_str::<PollResponse>(bad).is_err());
    }

    #[test]
    fn definitions_no_longer_held_are_forgotten() {
        for n in 0..500 {
            let answer: PollResponse =
                serde_json::from_str(&answer_text(&format!("gone-{n}"))).unwrap();
            drop(answer);
        }
        // Other tests decode beside this one, but none holds hundreds.
        let remembered = DECODED.lock().unwrap().by_text.len();
        assert!(remembered < 300, "{remembered} definitions remembered");
    }
}
