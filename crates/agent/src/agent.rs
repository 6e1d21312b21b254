//! The agent's main loop: register the container instance (keeping its identity across
//! restarts), long-poll the control plane for the instance's desired task set, run one actor
//! per task, send the actors' reports back, and wake actors when their containers change.
//!
//! An agent either registers a new instance with its cluster's token, or adopts one a user
//! registered before it ran (RegisterContainerInstance signed by an IAM principal, which leaves
//! the instance without an agent): [`AgentConfig::container_instance_arn`] names it, and the
//! agent registers with its cluster's token and that ARN. The control plane then hands it the
//! instance's token; the instance keeps its ARN, EC2 id, attributes and tags. The state
//! directory remembers the adopted instance like one the agent registered itself.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};

use api::agent::{PollRequest, ReportRequest};
use api::{Attribute, RegisterContainerInstanceRequest, Resource, VersionInfo};

use crate::client::{ClientError, ControlPlane, OnApplied};
use crate::images::{ImagePuller, PullBehavior};
use crate::outbox::{Outbox, Payload};
use crate::runtime::{Runtime, RuntimeError, labels};
use crate::task::{self, Command, TaskEnv};

/// The agent's version, reported in `versionInfo.agentVersion`.
pub const AGENT_VERSION: &str = "0.1.0";

/// Ports ECS reserves on every container instance by default.
pub const DEFAULT_RESERVED_PORTS: &[u16] = &[22, 2375, 2376, 51678, 51679];

/// Capability attributes this agent supports, matched against task definitions'
/// `requiresAttributes`.
pub const CAPABILITIES: &[&str] = &[
    "com.amazonaws.ecs.capability.docker-remote-api.1.17",
    "com.amazonaws.ecs.capability.docker-remote-api.1.18",
    "com.amazonaws.ecs.capability.docker-remote-api.1.19",
    "com.amazonaws.ecs.capability.docker-remote-api.1.20",
    "com.amazonaws.ecs.capability.docker-remote-api.1.21",
    "com.amazonaws.ecs.capability.docker-remote-api.1.22",
    "com.amazonaws.ecs.capability.docker-remote-api.1.23",
    "com.amazonaws.ecs.capability.docker-remote-api.1.24",
    "com.amazonaws.ecs.capability.docker-remote-api.1.25",
    "com.amazonaws.ecs.capability.logging-driver.fluentd",
    "com.amazonaws.ecs.capability.logging-driver.gelf",
    "com.amazonaws.ecs.capability.logging-driver.journald",
    "com.amazonaws.ecs.capability.logging-driver.json-file",
    "com.amazonaws.ecs.capability.logging-driver.none",
    "com.amazonaws.ecs.capability.logging-driver.splunk",
    "com.amazonaws.ecs.capability.logging-driver.syslog",
    "com.amazonaws.ecs.capability.privileged-container",
    "ecs.capability.container-health-check",
    "ecs.capability.container-ordering",
    // `awsvpc` tasks: an interface per task (needs `ip`, `nsenter` and `iptables-restore` on
    // the host; without them such a task stops with a ResourceInitializationError).
    "ecs.capability.task-eni",
];

/// How an agent runs.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// The control plane's URL.
    pub server: String,
    pub cluster: String,
    /// The cluster's agent token.
    pub token: String,
    /// Where the agent keeps its identity (the container instance ARN).
    pub state_dir: PathBuf,
    pub availability_zone: String,
    pub instance_type: String,
    /// The host's id (`ec2InstanceId`); generated and kept in the state directory if absent.
    pub instance_id: Option<String>,
    /// MiB of host memory not offered to tasks.
    pub reserved_memory_mib: u64,
    pub reserved_ports: Vec<u16>,
    /// Extra attributes to register (custom ones count against the limit of 10).
    pub attributes: Vec<(String, Option<String>)>,
    /// The container instance to serve: one registered before the agent ran, by a user, which
    /// no agent holds yet. The agent adopts it (unless its state directory already holds it)
    /// instead of registering a new instance, and ends rather than register another if the
    /// control plane refuses it.
    pub container_instance_arn: Option<String>,
    pub pull_behavior: PullBehavior,
    pub default_stop_timeout: Duration,
    pub default_start_timeout: Duration,
    pub cleanup_wait: Duration,
    /// How long the control plane may hold a poll.
    pub poll_wait: Duration,
    /// How often resource use of running tasks is sampled and reported.
    pub usage_interval: Duration,
    /// How often a task whose containers have all settled (running, or stopped) is checked
    /// without an event from the runtime: a safety net, since events wake task actors anyway.
    pub settled_check_interval: Duration,
    /// The least time between two saves of the log cursors (what was shipped of each
    /// container's log) to the state directory.
    pub log_cursor_save_interval: Duration,
    /// The HTTP client to talk to the control plane with; `None` builds one. Agents in one
    /// process (a simulated fleet) share one ([`crate::client::http_client`]) instead of
    /// building a client, a connector and a connection pool each.
    pub http: Option<reqwest::Client>,
    /// On a Fargate pool host (the agent registered in the pool): how its tasks are bounded.
    pub isolation: Option<crate::spec::Isolation>,
}

impl AgentConfig {
    /// A configuration with ECS's defaults for everything but the connection.
    pub fn new(server: &str, cluster: &str, token: &str, state_dir: PathBuf) -> AgentConfig {
        AgentConfig {
            server: server.to_owned(),
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            state_dir,
            availability_zone: "local-1a".to_owned(),
            instance_type: "berth.host".to_owned(),
            instance_id: None,
            reserved_memory_mib: 0,
            reserved_ports: DEFAULT_RESERVED_PORTS.to_vec(),
            attributes: Vec::new(),
            container_instance_arn: None,
            pull_behavior: PullBehavior::Default,
            default_stop_timeout: Duration::from_secs(30),
            default_start_timeout: Duration::from_secs(180),
            cleanup_wait: Duration::from_secs(60),
            poll_wait: Duration::from_secs(10),
            usage_interval: Duration::from_secs(20),
            settled_check_interval: Duration::from_secs(5),
            log_cursor_save_interval: Duration::from_secs(2),
            http: None,
            isolation: None,
        }
    }
}

/// Agent failures that end it.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("the container runtime failed")]
    Runtime(#[from] RuntimeError),
    #[error("registering the container instance failed")]
    Register(#[source] ClientError),
    #[error(
        "the control plane refused container instance {arn}, which this agent was told to serve"
    )]
    Refused {
        arn: String,
        #[source]
        source: ClientError,
    },
    #[error("the agent state in `{path}` could not be kept")]
    State {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What the agent remembers across restarts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identity {
    cluster: String,
    container_instance_arn: Option<String>,
    instance_id: String,
    /// The instance's token: a credential, so the file is readable by its owner only.
    #[serde(default)]
    instance_token: Option<String>,
    /// Set when the agent adopted an instance registered before it: the attributes that name
    /// the host as that registration gave them ([`HOST_ATTRIBUTES`]). The agent registers them
    /// from then on in place of its own settings, as it does the instance's EC2 id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    adopted: Option<std::collections::BTreeMap<String, String>>,
}

/// The attributes that say which host an instance is, kept from the registration an agent
/// adopts.
const HOST_ATTRIBUTES: &[&str] = &["ecs.availability-zone", "ecs.instance-type", "ecs.ami-id"];

impl Identity {
    fn path(config: &AgentConfig) -> PathBuf {
        config.state_dir.join("agent-identity.json")
    }

    fn load(config: &AgentConfig) -> Identity {
        std::fs::read(Identity::path(config))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn save(&self, config: &AgentConfig) -> Result<(), AgentError> {
        let path = Identity::path(config);
        let error = |source| AgentError::State { path: path.display().to_string(), source };
        std::fs::create_dir_all(&config.state_dir).map_err(error)?;
        let temporary = path.with_extension("tmp");
        let _ = std::fs::remove_file(&temporary);
        let mut file = std::fs::OpenOptions::new();
        file.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
        let bytes = serde_json::to_vec_pretty(self).expect("identity serializes");
        std::io::Write::write_all(&mut file.open(&temporary).map_err(error)?, &bytes)
            .map_err(error)?;
        std::fs::rename(&temporary, &path).map_err(error)
    }
}

/// A task of the desired set as the agent applied it.
struct Applied {
    task_arn: String,
    /// What its actor was told.
    desired_status: String,
    /// Its definition's `family:revision`.
    definition: String,
}

/// A running agent's handle.
pub struct Agent {
    config: AgentConfig,
    runtime: Arc<dyn Runtime>,
    client: ControlPlane,
    /// The container instance ARN, once registered.
    registered: watch::Sender<Option<String>>,
}

impl Agent {
    pub fn new(config: AgentConfig, runtime: Arc<dyn Runtime>) -> Agent {
        let client = match &config.http {
            Some(http) => ControlPlane::with_client(http.clone(), &config.server, &config.token),
            None => ControlPlane::new(&config.server, &config.token),
        };
        Agent { config, runtime, client, registered: watch::Sender::new(None) }
    }

    /// Follows the agent's registration: the container instance ARN once the control plane
    /// has accepted the instance (again after a re-registration).
    pub fn registration(&self) -> watch::Receiver<Option<String>> {
        self.registered.subscribe()
    }

    /// Registers the container instance, returning its ARN.
    async fn register(&self) -> Result<String, AgentError> {
        let info = self.runtime.info().await?;
        let mut identity = Identity::load(&self.config);
        if identity.cluster != self.config.cluster {
            identity = Identity { cluster: self.config.cluster.clone(), ..Identity::default() };
        }
        let pinned = self.config.container_instance_arn.as_ref();
        let adopting =
            pinned.is_some_and(|arn| identity.container_instance_arn.as_ref() != Some(arn));
        if let Some(arn) = pinned.filter(|_| adopting) {
            if let Some(held) = &identity.container_instance_arn {
                tracing::warn!(%held, adopting = %arn, "The state directory held another container instance; it is left as it is");
            }
            // No token for it yet: the cluster's token adopts it.
            identity = Identity {
                cluster: self.config.cluster.clone(),
                container_instance_arn: Some(arn.clone()),
                ..Identity::default()
            };
        }
        if let Some(id) = &self.config.instance_id
            && identity.adopted.is_none()
        {
            identity.instance_id = id.clone();
        }
        if identity.instance_id.is_empty() {
            identity.instance_id = format!("i-{}", &uuid_like()[..17]);
        }
        let memory =
            (info.memory_bytes / (1024 * 1024)).saturating_sub(self.config.reserved_memory_mib);
        let integer = |name: &str, value: u64| Resource {
            name: Some(name.to_owned()),
            r#type: Some("INTEGER".to_owned()),
            integer_value: Some(i32::try_from(value).unwrap_or(i32::MAX)),
            ..Resource::default()
        };
        let ports = |name: &str, ports: &[u16]| Resource {
            name: Some(name.to_owned()),
            r#type: Some("STRINGSET".to_owned()),
            string_set_value: Some(ports.iter().map(u16::to_string).collect()),
            ..Resource::default()
        };
        let architecture = match info.architecture.as_str() {
            "aarch64" | "arm64" => "arm64",
            _ => "x86_64",
        };
        let attribute = |name: &str, value: Option<&str>| Attribute {
            name: name.to_owned(),
            value: value.map(str::to_owned),
            target_type: None,
            target_id: None,
        };
        let mut attributes = vec![
            attribute("ecs.os-type", Some(&info.os_type)),
            attribute("ecs.os-family", Some("LINUX")),
            attribute("ecs.cpu-architecture", Some(architecture)),
        ];
        attributes.extend(CAPABILITIES.iter().map(|name| attribute(name, None)));
        if let Some(address) = host_address(&self.config.server) {
            attributes
                .push(attribute(api::agent::HOST_ADDRESS_ATTRIBUTE, Some(&address.to_string())));
        }
        attributes.extend(
            self.config.attributes.iter().map(|(name, value)| attribute(name, value.as_deref())),
        );
        // An adopted instance stays the host it was registered as (these win over the
        // document's).
        attributes.extend(
            identity.adopted.iter().flatten().map(|(name, value)| attribute(name, Some(value))),
        );
        let document = serde_json::json!({
            "instanceId": identity.instance_id,
            "availabilityZone": self.config.availability_zone,
            "instanceType": self.config.instance_type,
        });
        let mut request = RegisterContainerInstanceRequest {
            cluster: Some(self.config.cluster.clone()),
            instance_identity_document: Some(document.to_string()),
            total_resources: Some(vec![
                integer("CPU", u64::from(info.cpus) * 1024),
                integer("MEMORY", memory),
                ports("PORTS", &self.config.reserved_ports),
                ports("PORTS_UDP", &[]),
            ]),
            version_info: Some(VersionInfo {
                agent_version: Some(AGENT_VERSION.to_owned()),
                agent_hash: None,
                docker_version: Some(format!("DockerVersion: {}", info.version)),
            }),
            attributes: Some(attributes),
            container_instance_arn: identity.container_instance_arn.clone(),
            ..RegisterContainerInstanceRequest::default()
        };
        let response = match self
            .client
            .register(&request, identity.instance_token.as_deref())
            .await
        {
            Ok(response) => response,
            // The instance this agent was told to serve is refused (deregistered, held by
            // another agent, never registered): no other instance will do.
            Err(error @ ClientError::Refused { .. })
                if pinned.is_some()
                    && matches!(
                        error.code(),
                        Some("ClientException" | "AccessDeniedException")
                    ) =>
            {
                let arn = pinned.cloned().unwrap_or_default();
                return Err(AgentError::Refused { arn, source: error });
            }
            // The instance was deregistered (or the control plane lost it, or this agent lost
            // its token): start afresh with the cluster's token.
            Err(ClientError::Refused { code, .. })
                if (code == "ClientException" || code == "AccessDeniedException")
                    && request.container_instance_arn.is_some() =>
            {
                tracing::warn!(
                    code,
                    "The control plane does not accept this container instance any more; registering a new one"
                );
                request.container_instance_arn = None;
                self.client.register(&request, None).await.map_err(AgentError::Register)?
            }
            Err(error) => return Err(AgentError::Register(error)),
        };
        let instance = response.container_instance.unwrap_or_default();
        let arn = instance.container_instance_arn.clone().ok_or_else(|| {
            AgentError::Register(ClientError::Refused {
                status: 200,
                code: "MissingArn".into(),
                message: String::new(),
            })
        })?;
        if adopting {
            // From now on, the host is what the adopted registration says it is.
            if let Some(ec2) = instance.ec2_instance_id {
                identity.instance_id = ec2;
            }
            identity.adopted = Some(
                instance
                    .attributes
                    .into_iter()
                    .flatten()
                    .filter(|a| HOST_ATTRIBUTES.contains(&a.name.as_str()))
                    .filter_map(|a| Some((a.name, a.value?)))
                    .collect(),
            );
            tracing::info!(cluster = %self.config.cluster, instance = %arn, "Adopted a container instance registered before this agent");
        }
        identity.container_instance_arn = Some(arn.clone());
        identity.instance_token = self.client.instance_token();
        identity.save(&self.config)?;
        tracing::info!(cluster = %self.config.cluster, instance = %arn, "Container instance registered");
        self.registered.send_replace(Some(arn.clone()));
        Ok(arn)
    }

    /// Runs until `shutdown` completes. Containers keep running when the agent stops.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), AgentError> {
        let mut instance_arn = loop {
            match self.register().await {
                Ok(arn) => break arn,
                Err(AgentError::Register(ClientError::Unreachable(error))) => {
                    tracing::warn!(%error, "The control plane is unreachable; retrying registration");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => return Err(error),
            }
        };
        let outbox = Arc::new(Outbox::default());
        let log_cursors = Arc::new(parking_lot::Mutex::new(load_cursors(&self.config)));
        let settle = Arc::new(Settle {
            outbox: outbox.clone(),
            cursors: log_cursors.clone(),
            path: cursors_path(&self.config),
            save_every: self.config.log_cursor_save_interval,
            saved_at: parking_lot::Mutex::new(tokio::time::Instant::now()),
        });
        // The tasks that already have containers here (left by an earlier run of the agent):
        // only their actors need to look for containers to adopt.
        let existing = match self.runtime.list(&[(labels::CONTAINER_INSTANCE, &instance_arn)]).await
        {
            Ok(found) => Some(
                found.into_iter().filter_map(|c| c.labels.get(labels::TASK_ARN).cloned()).collect(),
            ),
            Err(error) => {
                tracing::warn!(%error, "Listing this instance's containers failed; every task will look for its own");
                None
            }
        };
        let env = Arc::new(TaskEnv {
            runtime: self.runtime.clone(),
            puller: Arc::new(ImagePuller::new(self.config.pull_behavior)),
            outbox: outbox.clone(),
            cluster: self.config.cluster.clone(),
            instance_arn: instance_arn.clone(),
            default_stop_timeout: self.config.default_stop_timeout,
            isolation: self.config.isolation.clone(),
            default_start_timeout: self.config.default_start_timeout,
            cleanup_wait: self.config.cleanup_wait,
            settled_check_interval: self.config.settled_check_interval,
            log_cursors: log_cursors.clone(),
            existing: crate::task::Existing::new(existing),
            allow_host_mounts: std::sync::atomic::AtomicBool::new(false),
        });
        let actors: Arc<parking_lot::Mutex<HashMap<String, mpsc::UnboundedSender<Command>>>> =
            Default::default();
        let reporter = tokio::spawn(outbound_loop(
            self.client.clone(),
            self.config.cluster.clone(),
            instance_arn.clone(),
            outbox.clone(),
            settle.clone(),
        ));
        let waker =
            tokio::spawn(wake_loop(self.runtime.clone(), instance_arn.clone(), actors.clone()));
        let (network_wanted, wanted_rx) = watch::channel(false);
        let networker = tokio::spawn(network_loop(
            self.client.clone(),
            self.runtime.clone(),
            self.config.cluster.clone(),
            instance_arn.clone(),
            actors.clone(),
            wanted_rx,
        ));
        let sampler = tokio::spawn(sample_usage(
            self.client.clone(),
            self.runtime.clone(),
            self.config.cluster.clone(),
            instance_arn.clone(),
            self.config.usage_interval,
        ));
        tokio::pin!(shutdown);
        // Below every real generation, so the first poll is answered at once.
        let mut generation = -1;
        let mut outcome = Ok(());
        let mut backoff = Duration::from_millis(200);
        let mut swept = false;
        // The tasks of the desired set applied last, by id: what each actor was told.
        let mut applied: HashMap<String, Applied> = HashMap::new();
        // The task definitions of the desired set, by `family:revision`: polls name them as
        // known, so answers carry only new ones.
        let mut definitions: HashMap<String, Arc<api::TaskDefinition>> = HashMap::new();
        // The tasks the last answer handed to actors: what they report first rides on the next
        // poll.
        let mut awaited: Vec<String> = Vec::new();
        loop {
            if !awaited.is_empty() {
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = gather(&outbox, &awaited) => {}
                }
                awaited.clear();
            }
            // Whatever is pending goes with the poll, unless a report request is out.
            let payload = outbox.take().unwrap_or_default();
            outbox.set_poll_due(false);
            let request = PollRequest {
                cluster: self.config.cluster.clone(),
                container_instance_arn: instance_arn.clone(),
                generation,
                wait_seconds: Some(u32::try_from(self.config.poll_wait.as_secs()).unwrap_or(10)),
                known_definitions: definitions.keys().cloned().collect(),
                tasks: payload.reports.clone(),
                logs: log_batches(&payload.lines),
            };
            // A poll that carries something is answered with whether it was applied, maybe
            // after the desired set: the rest of the answer is then read in the background.
            let settle = settle.clone();
            let on_applied = (!payload.is_empty()).then(|| {
                Box::new(move |applied: bool| settle.settle(payload, applied)) as OnApplied
            });
            let response = tokio::select! {
                _ = &mut shutdown => None,
                response = self.client.poll(&request, self.config.poll_wait, on_applied) => Some(response),
            };
            let Some(response) = response else { break };
            let mut response = match response {
                Ok(response) => {
                    backoff = Duration::from_millis(200);
                    response
                }
                Err(error) => {
                    if matches!(&error, ClientError::Refused { code, .. } if code == "ClientException")
                    {
                        // The instance is gone from the control plane's view: register again.
                        tracing::warn!(%error, "The control plane refused the poll; registering again");
                        match self.register().await {
                            Ok(arn) => {
                                if arn != instance_arn {
                                    // A new instance: its desired sets count from scratch.
                                    generation = -1;
                                }
                                instance_arn = arn;
                            }
                            Err(error @ AgentError::Refused { .. }) => {
                                tracing::error!(%error, "The container instance this agent serves is refused; stopping");
                                outcome = Err(error);
                                break;
                            }
                            Err(error) => tracing::warn!(%error, "Registering again failed"),
                        }
                    } else {
                        tracing::warn!(%error, "Polling the control plane failed");
                    }
                    tokio::select! {
                        _ = &mut shutdown => break,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    continue;
                }
            };
            if response.generation < generation {
                tracing::debug!(
                    stale = response.generation,
                    applied = generation,
                    "Ignored a stale desired set"
                );
                continue;
            }
            let answered = response.generation;
            let allow_host_mounts = response.allow_host_mounts;
            let unchanged = std::mem::take(&mut response.unchanged);
            if let Some(unknown) = unchanged.iter().find(|id| !applied.contains_key(*id)) {
                // Only tasks this agent was given can be unchanged: ask for the whole set.
                tracing::warn!(task = %unknown, "A desired set named a task this agent does not have; asking for all of it");
                generation = -1;
                continue;
            }
            let changed = match response.into_desired(&mut definitions) {
                Ok(tasks) => tasks,
                Err(error) => {
                    tracing::warn!(%error, "Ignored a malformed desired set");
                    continue;
                }
            };
            generation = answered;
            env.allow_host_mounts.store(allow_host_mounts, std::sync::atomic::Ordering::Relaxed);
            let mut next: HashMap<String, Applied> =
                unchanged.into_iter().filter_map(|id| applied.remove_entry(&id)).collect();
            if !changed.is_empty() {
                // The actors told now report within moments: leave their reports to the next
                // poll.
                outbox.set_poll_due(true);
            }
            {
                let mut actors = actors.lock();
                for task in changed {
                    let id = task::task_id(&task.task_arn).to_owned();
                    let told = applied.remove(&id);
                    match actors.get(&task.task_arn) {
                        // A task's definition and overrides never change: only a new desired
                        // status is news to its actor.
                        Some(sender) => {
                            if told.as_ref().map(|t| &t.desired_status)
                                != Some(&task.desired_status)
                            {
                                let _ = sender.send(Command::Desired(Box::new(task.clone())));
                                awaited.push(task.task_arn.clone());
                            }
                        }
                        None => {
                            if task.network.is_some() {
                                // From now on the host follows its tasks' network.
                                network_wanted.send_replace(true);
                            }
                            let (tx, rx) = mpsc::unbounded_channel();
                            actors.insert(task.task_arn.clone(), tx);
                            tokio::spawn(task::run(env.clone(), task.clone(), rx));
                            awaited.push(task.task_arn.clone());
                        }
                    }
                    next.insert(
                        id,
                        Applied {
                            task_arn: task.task_arn,
                            desired_status: task.desired_status,
                            definition: task.definition_key,
                        },
                    );
                }
                // What is left of the last set is no longer wanted.
                for gone in applied.into_values() {
                    if let Some(sender) = actors.remove(&gone.task_arn) {
                        let _ = sender.send(Command::Forget);
                    }
                }
            }
            applied = next;
            let in_use: std::collections::HashSet<&str> =
                applied.values().map(|t| t.definition.as_str()).collect();
            definitions.retain(|key, _| in_use.contains(key.as_str()));
            if !swept {
                // Once, after the first desired set: remove containers of tasks this instance
                // no longer runs (left over from before a restart).
                swept = true;
                let wanted: std::collections::HashSet<&str> =
                    applied.values().map(|t| t.task_arn.as_str()).collect();
                sweep(self.runtime.as_ref(), &instance_arn, &wanted).await;
            }
        }
        // Dropping the senders lets the actors end without touching their containers.
        actors.lock().clear();
        outbox.close();
        waker.abort();
        networker.abort();
        reporter.abort();
        sampler.abort();
        tracing::info!("Agent stopped");
        outcome
    }
}

fn uuid_like() -> String {
    use std::fmt::Write as _;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&(nanos, std::process::id()), &mut hasher);
    let a = std::hash::Hasher::finish(&hasher);
    std::hash::Hash::hash(&a, &mut hasher);
    let b = std::hash::Hasher::finish(&hasher);
    let mut out = String::new();
    let _ = write!(out, "{a:016x}{b:016x}");
    out
}

/// Removes containers of this instance whose task is not in the desired set.
async fn sweep(
    runtime: &dyn Runtime,
    instance_arn: &str,
    desired: &std::collections::HashSet<&str>,
) {
    let Ok(found) = runtime.list(&[(labels::CONTAINER_INSTANCE, instance_arn)]).await else {
        return;
    };
    for container in found {
        let Some(task) = container.labels.get(labels::TASK_ARN) else {
            continue;
        };
        if !desired.contains(task.as_str()) {
            tracing::info!(task = %task, container = %container.name, "Removing a container of a task this instance no longer runs");
            let _ = runtime.stop(&container.id, Duration::from_secs(10)).await;
            let _ = runtime.remove(&container.id).await;
        }
    }
}

/// How long a report waits for others (and for log lines) to go in the same request. The
/// reports of the tasks one poll answer started, and the first lines their containers write,
/// come within a few milliseconds of each other.
const REPORT_GATHER: Duration = Duration::from_millis(5);

/// The longest a poll waits, after an answer handed tasks to actors, for what they report.
const POLL_GATHER: Duration = Duration::from_millis(25);

/// Waits until each of `tasks` (ARNs) has a report pending, then [`REPORT_GATHER`] for what
/// follows at once (a simulated start, a container's first lines); [`POLL_GATHER`] at most.
async fn gather(outbox: &Outbox, tasks: &[String]) {
    let deadline = tokio::time::Instant::now() + POLL_GATHER;
    let mut changes = outbox.subscribe();
    loop {
        changes.borrow_and_update();
        if outbox.is_closed() {
            return;
        }
        if outbox.reported(tasks) {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => return,
            changed = changes.changed() => if changed.is_err() { return },
        }
    }
    let rest = deadline.saturating_duration_since(tokio::time::Instant::now());
    tokio::time::sleep(REPORT_GATHER.min(rest)).await;
}

/// How long log lines wait for a report to ride on before they go on their own.
const LOG_GATHER: Duration = Duration::from_millis(200);

/// Sends what the control plane should hear and the poll loop did not carry: the latest report
/// of every task that changed, and container log lines, in one request when both are pending
/// (so a task's start and its first lines cost one exchange, not two). One payload is in
/// flight at a time (see [`Outbox`]), so reports and lines arrive in the order they were made;
/// a failed request is retried with whatever changed meanwhile. After lines are delivered, the
/// newest shipped timestamp of each container (its cursor) is advanced, and saved now and then
/// so that a restarted agent does not send lines twice.
async fn outbound_loop(
    client: ControlPlane,
    cluster: String,
    instance_arn: String,
    outbox: Arc<Outbox>,
    settle: Arc<Settle>,
) {
    let mut changes = outbox.subscribe();
    loop {
        // Wait until something is due and no other payload is out.
        loop {
            changes.borrow_and_update();
            if outbox.is_closed() {
                return;
            }
            let due = outbox.due(REPORT_GATHER, LOG_GATHER);
            let ready = due.is_some_and(|at| at <= tokio::time::Instant::now());
            if ready && outbox.may_send() {
                break;
            }
            match due.filter(|_| !ready) {
                Some(at) => tokio::select! {
                    _ = tokio::time::sleep_until(at) => {}
                    _ = changes.changed() => {}
                },
                None => {
                    if changes.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
        // The poll may have taken everything meanwhile.
        let Some(payload) = outbox.take() else { continue };
        let request = ReportRequest {
            cluster: cluster.clone(),
            container_instance_arn: instance_arn.clone(),
            tasks: payload.reports.clone(),
            usage: Vec::new(),
            logs: log_batches(&payload.lines),
        };
        match client.report(&request).await {
            Ok(_) => settle.settle(payload, true),
            Err(error) => {
                tracing::warn!(%error, tasks = payload.reports.len(), lines = payload.lines.len(), "Reporting task state and logs failed; retrying");
                settle.settle(payload, false);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Settles a payload once its request is answered: delivered lines move their containers'
/// cursors (saved now and then, so that a restarted agent does not send lines twice); a payload
/// that may not have arrived goes back to the outbox.
struct Settle {
    outbox: Arc<Outbox>,
    cursors: Arc<parking_lot::Mutex<HashMap<String, i64>>>,
    path: PathBuf,
    save_every: Duration,
    saved_at: parking_lot::Mutex<tokio::time::Instant>,
}

impl Settle {
    fn settle(&self, payload: Payload, applied: bool) {
        if !applied {
            self.outbox.failed(payload);
            return;
        }
        self.outbox.delivered();
        if payload.lines.is_empty() {
            return;
        }
        let snapshot = {
            let mut cursors = self.cursors.lock();
            for shipment in &payload.lines {
                let cursor = cursors.entry(shipment.runtime_id.clone()).or_insert(0);
                *cursor = (*cursor).max(shipment.line.timestamp);
            }
            let mut saved_at = self.saved_at.lock();
            if saved_at.elapsed() < self.save_every {
                return;
            }
            *saved_at = tokio::time::Instant::now();
            serde_json::to_vec(&*cursors).unwrap_or_default()
        };
        // Through a temporary file and a rename; file system calls block, so off the runtime's
        // worker threads.
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let temporary = path.with_extension("tmp");
            let saved = std::fs::write(&temporary, snapshot)
                .and_then(|_| std::fs::rename(&temporary, &path));
            if saved.is_err() {
                tracing::warn!("Could not save the log cursors");
            }
        });
    }
}

/// Log lines grouped by task and container, in the order they came.
fn log_batches(buffer: &[crate::outbox::LogShipment]) -> Vec<api::agent::LogBatch> {
    let mut batches: Vec<api::agent::LogBatch> = Vec::new();
    for shipment in buffer {
        let event = api::agent::LogEvent {
            timestamp: shipment.line.timestamp,
            stream: if shipment.line.stderr { "stderr" } else { "stdout" }.to_owned(),
            message: shipment.line.message.clone(),
        };
        let same = |b: &&mut api::agent::LogBatch| {
            b.task_arn == shipment.task_arn && b.container_name == shipment.container_name
        };
        match batches.iter_mut().find(same) {
            Some(batch) => batch.events.push(event),
            None => batches.push(api::agent::LogBatch {
                task_arn: shipment.task_arn.clone(),
                container_name: shipment.container_name.clone(),
                events: vec![event],
            }),
        }
    }
    batches
}

/// Wakes the actor of the task whose container had an event.
async fn wake_loop(
    runtime: Arc<dyn Runtime>,
    instance_arn: String,
    actors: Arc<parking_lot::Mutex<HashMap<String, mpsc::UnboundedSender<Command>>>>,
) {
    loop {
        let mut events = runtime.events(&[(labels::CONTAINER_INSTANCE, &instance_arn)]);
        while let Some(event) = events.next().await {
            let Ok(event) = event else { break };
            let task = match event.task_arn {
                Some(task) => Some(task),
                None => match runtime.inspect(&event.container_id).await {
                    Ok(Some(status)) => status.labels.get(labels::TASK_ARN).cloned(),
                    _ => None,
                },
            };
            let actors = actors.lock();
            match task.and_then(|t| actors.get(&t)) {
                Some(sender) => {
                    let _ = sender.send(Command::Wake);
                }
                None => {
                    for sender in actors.values() {
                        let _ = sender.send(Command::Wake);
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The least time between two answers an agent takes about its tasks' network.
const NETWORK_COALESCE: Duration = Duration::from_secs(1);

/// Follows the network of this instance's `awsvpc` tasks once it has had one: each task's
/// rules go to its actor, the routes to other hosts' task blocks to the runtime.
async fn network_loop(
    client: ControlPlane,
    runtime: Arc<dyn Runtime>,
    cluster: String,
    instance_arn: String,
    actors: Arc<parking_lot::Mutex<HashMap<String, mpsc::UnboundedSender<Command>>>>,
    mut wanted: watch::Receiver<bool>,
) {
    if wanted.wait_for(|&w| w).await.is_err() {
        return;
    }
    let mut version = 0;
    let mut routes_version = 0;
    loop {
        let request = api::agent::NetworkRequest {
            cluster: cluster.clone(),
            container_instance_arn: instance_arn.clone(),
            version,
            routes_version,
            wait_seconds: Some(20),
        };
        match client.network(&request).await {
            Ok(answer) => {
                {
                    let actors = actors.lock();
                    for task in answer.tasks {
                        if let Some(sender) = actors.get(&task.task_arn) {
                            let _ = sender.send(Command::Network(Box::new(task.network)));
                        }
                    }
                }
                let routed = match &answer.routes {
                    Some(routes) => runtime.network_routes(routes).await,
                    None => Ok(()),
                };
                match routed {
                    Ok(()) => {
                        version = answer.version;
                        routes_version = answer.routes_version;
                        // Changes that come close together are taken together: while tasks
                        // start by the thousand the network changes with each.
                        tokio::time::sleep(NETWORK_COALESCE).await;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "Routes to other hosts' tasks are incomplete; trying again");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
            Err(error) => {
                tracing::debug!(%error, "Following the task network failed; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The address this host reaches the control plane from: the one other hosts reach its
/// tasks through (routes to its task blocks go via it).
fn host_address(server: &str) -> Option<std::net::IpAddr> {
    let rest = server.split("://").nth(1).unwrap_or(server);
    let authority = rest.split('/').next()?;
    let target = if authority.rsplit_once(':').is_some_and(|(_, port)| port.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let address = std::net::ToSocketAddrs::to_socket_addrs(&target).ok()?.next()?;
    let socket =
        std::net::UdpSocket::bind(if address.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" }).ok()?;
    socket.connect(address).ok()?;
    Some(socket.local_addr().ok()?.ip())
}

fn cursors_path(config: &AgentConfig) -> PathBuf {
    config.state_dir.join("log-cursors.json")
}

fn load_cursors(config: &AgentConfig) -> HashMap<String, i64> {
    std::fs::read(cursors_path(config))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Samples the resource use of every running container of this instance and reports it per
/// task.
async fn sample_usage(
    client: ControlPlane,
    runtime: Arc<dyn Runtime>,
    cluster: String,
    instance_arn: String,
    every: Duration,
) {
    loop {
        tokio::time::sleep(every).await;
        let Ok(containers) = runtime.list(&[(labels::CONTAINER_INSTANCE, &instance_arn)]).await
        else {
            continue;
        };
        let running: Vec<_> = containers
            .into_iter()
            .filter(|c| c.state == crate::runtime::ContainerState::Running)
            .collect();
        let samples = futures::future::join_all(running.iter().map(|c| runtime.stats(&c.id))).await;
        let mut per_task: HashMap<String, (f64, f64)> = HashMap::new();
        for (container, sample) in running.iter().zip(samples) {
            let (Some(task), Ok(Some(stats))) = (container.labels.get(labels::TASK_ARN), sample)
            else {
                continue;
            };
            let entry = per_task.entry(task.clone()).or_default();
            entry.0 += stats.cpu_units;
            entry.1 += stats.memory_bytes as f64 / (1024.0 * 1024.0);
        }
        if per_task.is_empty() {
            continue;
        }
        let now = task::epoch_now();
        let request = ReportRequest {
            cluster: cluster.clone(),
            container_instance_arn: instance_arn.clone(),
            tasks: Vec::new(),
            usage: per_task
                .into_iter()
                .map(|(task_arn, (cpu_units, memory_mib))| api::agent::TaskUsage {
                    task_arn,
                    cpu_units,
                    memory_mib,
                    sampled_at: now,
                })
                .collect(),
            logs: Vec::new(),
        };
        if let Err(error) = client.report(&request).await {
            tracing::debug!(%error, "Reporting resource use failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_grouped_by_container_in_order() {
        use crate::outbox::tests::line;
        let mut buffer = vec![line("t1", 1), line("t2", 2), line("t1", 3)];
        buffer[2].line.timestamp = 2;
        let batches = log_batches(&buffer);
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].task_arn, "t1");
        let t1: Vec<(i64, usize)> =
            batches[0].events.iter().map(|e| (e.timestamp, e.message.len())).collect();
        assert_eq!(t1, vec![(1, 1), (2, 3)]);
        assert_eq!(batches[1].task_arn, "t2");
        assert_eq!(batches[1].events.len(), 1);
    }

    #[test]
    fn the_state_directory_keeps_an_adopted_hosts_identity_and_reads_older_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = AgentConfig::new("http://x", "c", "token", dir.path().to_path_buf());
        // A file an agent wrote before instances could be adopted.
        std::fs::write(
            Identity::path(&config),
            r#"{"cluster": "c", "containerInstanceArn": "arn:i", "instanceId": "i-1", "instanceToken": "t"}"#,
        )
        .unwrap();
        let older = Identity::load(&config);
        assert_eq!(older.container_instance_arn.as_deref(), Some("arn:i"));
        assert_eq!(older.adopted, None);
        let adopted = Identity {
            adopted: Some([("ecs.availability-zone".to_owned(), "us-east-1b".to_owned())].into()),
            ..older
        };
        adopted.save(&config).unwrap();
        let loaded = Identity::load(&config);
        assert_eq!(loaded.adopted, adopted.adopted);
        assert_eq!(loaded.instance_token.as_deref(), Some("t"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(Identity::path(&config)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
