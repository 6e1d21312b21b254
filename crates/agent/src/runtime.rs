//! The container runtime the agent drives, as a trait: Docker Engine in production
//! ([`crate::docker::DockerRuntime`]), a simulated runtime for scale tests.
//!
//! The agent decides *what* should run; the runtime only does what it is told and reports what
//! is there. Every container the agent creates carries labels naming its cluster, container
//! instance, task and container, so the agent can find (adopt) its own containers after a
//! restart and never touches anything else.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use futures::stream::BoxStream;

/// Labels on every container and volume the agent creates.
pub mod labels {
    /// Present (value `true`) on everything Berth creates.
    pub const MANAGED: &str = "berth.managed";
    pub const CLUSTER: &str = "berth.cluster";
    /// The container instance ARN of the agent that owns the container. Two agents sharing one
    /// Docker Engine tell their containers apart by this label.
    pub const CONTAINER_INSTANCE: &str = "berth.container-instance";
    pub const TASK_ARN: &str = "berth.task-arn";
    /// The container's name in the task definition.
    pub const CONTAINER_NAME: &str = "berth.container-name";
}

/// What to create: one container, fully specified. Built from an ECS container definition by
/// [`crate::spec`]; the runtime makes no choices of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerSpec {
    /// The runtime's container name (unique on the host).
    pub name: String,
    pub image: String,
    /// Berth's labels plus the definition's `dockerLabels`.
    pub labels: BTreeMap<String, String>,
    pub env: Vec<(String, String)>,
    pub entrypoint: Option<Vec<String>>,
    pub command: Option<Vec<String>>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    /// CPU shares (ECS `cpu` units; Docker's minimum is 2).
    pub cpu_shares: Option<i64>,
    /// A hard CPU limit, in billionths of a CPU (a Fargate task's size).
    pub nano_cpus: Option<i64>,
    /// The most processes the container may hold.
    pub pids_limit: Option<i64>,
    /// No swap beyond the memory limit (a Fargate task has none).
    pub no_swap: bool,
    /// The OCI runtime to run the container under, if not the daemon's default.
    pub oci_runtime: Option<String>,
    /// A Fargate task's size, which all its containers share (a cgroup of the task's own,
    /// where the runtime can make one).
    pub task_limits: Option<TaskLimits>,
    /// Hard memory limit in MiB.
    pub memory_mib: Option<i64>,
    /// Soft memory limit in MiB.
    pub memory_reservation_mib: Option<i64>,
    pub network: Network,
    pub ports: Vec<PortSpec>,
    pub mounts: Vec<MountSpec>,
    /// Containers whose volumes this one mounts: `name` or `name:ro` (`volumesFrom`).
    pub volumes_from: Vec<String>,
    pub health_check: Option<HealthCheckSpec>,
    pub ulimits: Vec<Ulimit>,
    pub privileged: bool,
    pub readonly_rootfs: bool,
    /// Run an init process as PID 1 (`linuxParameters.initProcessEnabled`).
    pub init: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `(container path, mount options)` of tmpfs mounts.
    pub tmpfs: Vec<(String, Vec<String>)>,
    pub shm_size_mib: Option<i64>,
    pub dns_servers: Vec<String>,
    pub dns_search: Vec<String>,
    /// `host:ip` entries for /etc/hosts.
    pub extra_hosts: Vec<String>,
    /// `name:alias` links to other containers (bridge mode).
    pub links: Vec<String>,
    pub security_opts: Vec<String>,
    pub sysctls: BTreeMap<String, String>,
    pub log: Option<LogSpec>,
    /// How long `stop` waits after SIGTERM before SIGKILL, unless the caller says otherwise.
    pub stop_timeout: Option<Duration>,
}

/// What a Fargate task's containers share: its CPU, memory and processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLimits {
    /// The task's id: its cgroup's name.
    pub task: String,
    pub nano_cpus: Option<i64>,
    pub memory_bytes: Option<i64>,
    pub pids: i64,
}

/// The network a container joins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Network {
    #[default]
    Bridge,
    Host,
    None,
    /// Share another container's network namespace (`container:<name>`).
    Container(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// A published port. `host_port: None` asks the runtime for a free ephemeral port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub container_port: u16,
    pub host_port: Option<u16>,
    pub protocol: Protocol,
    /// The host address to bind; `None` means all addresses.
    pub host_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountSource {
    /// A host path (bind mount).
    Bind(PathBuf),
    /// A named runtime volume.
    Volume(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountSpec {
    pub source: MountSource,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheckSpec {
    /// `["CMD", ...]` or `["CMD-SHELL", "..."]`, as in the task definition.
    pub test: Vec<String>,
    pub interval: Duration,
    pub timeout: Duration,
    pub retries: u32,
    pub start_period: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ulimit {
    pub name: String,
    pub soft: i64,
    pub hard: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSpec {
    pub driver: String,
    pub options: BTreeMap<String, String>,
}

/// A volume to create for a task (task scope) or to share between tasks (shared scope).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeSpec {
    pub name: String,
    pub driver: Option<String>,
    pub driver_opts: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

/// What the runtime says about one volume.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolumeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

/// Facts about the runtime and its host, for container instance registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeInfo {
    /// The engine's version, e.g. `20.10.24`.
    pub version: String,
    /// The engine API version in use, e.g. `1.41`.
    pub api_version: String,
    pub cpus: u32,
    pub memory_bytes: u64,
    /// `linux` or `windows`.
    pub os_type: String,
    /// e.g. `x86_64` or `aarch64`.
    pub architecture: String,
}

/// A local image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub id: String,
    /// `repo@sha256:...` when the image came from a registry.
    pub digest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerState {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Starting,
    Healthy,
    Unhealthy,
}

/// A host port bound to a container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub container_port: u16,
    pub host_port: u16,
    pub protocol: Protocol,
    pub host_ip: String,
}

/// What the runtime says about one container.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerStatus {
    pub id: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub state: ContainerState,
    pub exit_code: Option<i64>,
    pub oom_killed: bool,
    /// `None` when the container has no health check.
    pub health: Option<Health>,
    /// Epoch seconds.
    pub started_at: Option<f64>,
    pub finished_at: Option<f64>,
    pub bindings: Vec<Binding>,
    pub image_id: Option<String>,
    /// The runtime's error text when the container failed to start.
    pub error: Option<String>,
}

/// Something happened to a container. Events only wake the agent up; it then inspects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeEvent {
    pub container_id: String,
    pub kind: EventKind,
    /// The task the container belongs to (its [`labels::TASK_ARN`] label), when the event
    /// names it: Docker's events carry the container's labels, which spares an inspection.
    pub task_arn: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Start,
    Die,
    Oom,
    HealthChanged,
    Destroy,
}

/// One line a container wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Epoch milliseconds.
    pub timestamp: i64,
    pub stderr: bool,
    pub message: String,
}

/// Resource use of a container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContainerStats {
    /// CPU used since the previous sample, in CPU units (1024 per core).
    pub cpu_units: f64,
    pub memory_bytes: u64,
}

/// Runtime failures.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("no such container `{0}`")]
    NoSuchContainer(String),
    #[error("image `{image}` could not be pulled: {message}")]
    Pull { image: String, message: String },
    #[error("image `{0}` is not present")]
    ImageNotPresent(String),
    #[error("the runtime refused `{operation}`: {message}")]
    Refused { operation: &'static str, message: String },
    #[error("the runtime is unreachable: {0}")]
    Unavailable(String),
}

/// A container runtime. Implementations: [`crate::docker::DockerRuntime`] (Docker Engine API).
#[async_trait::async_trait]
pub trait Runtime: Send + Sync + 'static {
    async fn info(&self) -> Result<RuntimeInfo, RuntimeError>;

    /// The local image, if present.
    async fn image(&self, image: &str) -> Result<Option<ImageInfo>, RuntimeError>;

    /// Pulls `image` from its registry.
    async fn pull(&self, image: &str) -> Result<ImageInfo, RuntimeError>;

    /// Creates (does not start) a container; returns its runtime id.
    async fn create(&self, spec: &ContainerSpec) -> Result<String, RuntimeError>;

    /// Sets up the network namespace of an `awsvpc` task with the interface `spec` describes,
    /// held by a container named `name` with `labels`; returns that container's id. What is
    /// half set up when this fails goes with the container.
    async fn network_up(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
        spec: &api::agent::TaskNetworkSpec,
    ) -> Result<String, RuntimeError>;

    /// Tears an `awsvpc` task's network namespace down: removes the container holding it,
    /// and with it the interface and its rules (`spec`, when known, names the interface, which
    /// is then removed first).
    async fn network_down(
        &self,
        id: &str,
        _spec: Option<&api::agent::TaskNetworkSpec>,
    ) -> Result<(), RuntimeError> {
        self.remove(id).await
    }

    /// Releases what the runtime kept for a task whose containers are all removed (a Fargate
    /// task's cgroup).
    async fn release_task(&self, _task_id: &str) {}

    /// Puts new security group rules in force on the interface of the network container
    /// `id` (connections under way are kept). Nothing to do where there is no real network.
    async fn network_rules(
        &self,
        _id: &str,
        _spec: &api::agent::TaskNetworkSpec,
    ) -> Result<(), RuntimeError> {
        Ok(())
    }

    /// Makes the host's routes to other hosts' task blocks these (and only these).
    async fn network_routes(&self, _routes: &[api::agent::Route]) -> Result<(), RuntimeError> {
        Ok(())
    }

    async fn start(&self, id: &str) -> Result<(), RuntimeError>;

    /// Sends the stop signal, waits up to `timeout`, then kills. Stopping a stopped
    /// container succeeds.
    async fn stop(&self, id: &str, timeout: Duration) -> Result<(), RuntimeError>;

    /// Removes a container (stopped or not) and its anonymous volumes. Removing a missing
    /// container succeeds.
    async fn remove(&self, id: &str) -> Result<(), RuntimeError>;

    /// The container's status, `None` if it does not exist.
    async fn inspect(&self, id: &str) -> Result<Option<ContainerStatus>, RuntimeError>;

    /// Every container (running or not) carrying all the given labels.
    async fn list(&self, labels: &[(&str, &str)]) -> Result<Vec<ContainerStatus>, RuntimeError>;

    /// Creates a volume if it does not exist.
    async fn create_volume(&self, spec: &VolumeSpec) -> Result<(), RuntimeError>;

    /// Removes a volume; a missing one is fine.
    async fn remove_volume(&self, name: &str) -> Result<(), RuntimeError>;

    /// The volume named `name`, `None` if there is none.
    async fn volume(&self, name: &str) -> Result<Option<VolumeInfo>, RuntimeError>;

    /// Events of containers carrying all the given labels, from now on.
    fn events(
        &self,
        labels: &[(&str, &str)],
    ) -> BoxStream<'static, Result<RuntimeEvent, RuntimeError>>;

    /// The lines a container writes, from `since` (epoch seconds; everything when absent), and
    /// then as they come until the container stops.
    fn logs(
        &self,
        id: &str,
        since: Option<i64>,
    ) -> BoxStream<'static, Result<LogLine, RuntimeError>>;

    /// One resource-use sample of a running container.
    async fn stats(&self, id: &str) -> Result<Option<ContainerStats>, RuntimeError>;
}
