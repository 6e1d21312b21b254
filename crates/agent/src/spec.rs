//! Turning an ECS task definition into the runtime's container and volume specs.
//!
//! This is the one place that knows how an ECS `ContainerDefinition` maps onto a container:
//! the runtime ([`crate::runtime::Runtime`]) only does what the [`ContainerSpec`] says. Pure
//! functions, no IO.
//!
//! Decisions worth knowing (ECS behaviour they follow is noted where it matters):
//! - **CPU**: `cpu` is passed as CPU shares. Absent, 0 or 1 become 2, as the ECS agent does on
//!   Linux: Docker would turn 0 into its default of 1024, and Linux's minimum is 2.
//! - **Memory**: `memory` is the hard limit, `memoryReservation` the soft one (MiB). When both
//!   are set, `memory` must not be below `memoryReservation`. Task-level `cpu`/`memory` only
//!   matter for placement here: Berth puts no task-wide cgroup around the containers.
//! - **Networking**: `bridge` (the default), `host`, `none`, and `awsvpc`, where every
//!   container joins the namespace of the task's network container ([`sandbox`]).
//!   `disableNetworking: true` becomes `none`. In bridge mode a `hostPort` of 0 or absent asks
//!   for a dynamic port from the ephemeral range. In host mode nothing is published (the
//!   container uses the host's stack); the ports are still listed, with `host_port` equal to
//!   `container_port`, so the agent can report and reserve them. `hostname` and `links` need
//!   bridge mode: the hostname is dropped in the other modes, links are refused.
//! - **Volumes**: `host.sourcePath` is a bind mount (Docker creates a missing directory).
//!   A volume with neither `sourcePath` nor `dockerVolumeConfiguration` is a task-scoped scratch
//!   volume named by [`volume_name`]. A `dockerVolumeConfiguration` with scope `task` (or no
//!   scope) is also named by [`volume_name`]; scope `shared` uses the volume's own name.
//!   [`task_volumes`] lists the volumes the agent must create before the containers: all
//!   task-scoped ones and the shared ones with `autoprovision: true`. A shared volume without
//!   `autoprovision` must already exist: the agent has to check that itself, because Docker
//!   would silently create a missing volume on mount. A shared volume, provisioned or not,
//!   must also carry the labels of a volume Berth created for the cluster, unless the cluster
//!   allows host mounts ([`shared_volumes`] lists them for the agent to check): otherwise a
//!   task could mount any volume of the host by its name. Task-scoped volumes carry the
//!   [`labels::TASK_ARN`] label, shared ones do not, so the agent knows which to remove when
//!   the task is gone.
//! - **Labels**: `dockerLabels` first, then Berth's labels, which they cannot override.
//! - **Refused** ([`SpecError::Unsupported`]) rather than silently dropped, because the
//!   container would behave differently from ECS: `awsvpc`, `secrets`, `environmentFiles`,
//!   `repositoryCredentials`, the `awslogs` and `awsfirelens` log drivers, log `secretOptions`,
//!   `linuxParameters.devices`, `maxSwap` and `swappiness`, `interactive`, `pseudoTerminal`,
//!   `resourceRequirements` (GPUs), `firelensConfiguration`, `credentialSpecs`,
//!   `portMappings.containerPortRange`, EFS/FSx/S3 Files/configured-at-launch volumes, and the
//!   task-level `pidMode`, `ipcMode`, `proxyConfiguration` and `inferenceAccelerators`.
//! - **Not this module's business** (the task lifecycle handles them): `essential`,
//!   `dependsOn`, `startTimeout`, `restartPolicy`, `versionConsistency`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::runtime::{
    ContainerSpec, HealthCheckSpec, LogSpec, MountSource, MountSpec, Network, PortSpec, Protocol,
    Ulimit, VolumeSpec, labels,
};

/// Everything about the task a container spec depends on besides the container definition.
#[derive(Debug, Clone, Copy)]
pub struct TaskContext<'a> {
    pub cluster: &'a str,
    pub container_instance_arn: &'a str,
    pub task_arn: &'a str,
    /// The task id (the last part of the task ARN); it names the task's containers and volumes.
    pub task_id: &'a str,
    pub definition: &'a api::TaskDefinition,
    pub overrides: Option<&'a api::TaskOverride>,
    /// The stop timeout of containers whose definition has no `stopTimeout` (the agent's
    /// `ECS_CONTAINER_STOP_TIMEOUT`, 30 s in ECS).
    pub default_stop_timeout: Duration,
    /// The container holding an `awsvpc` task's network namespace, once it is set up.
    pub sandbox: Option<&'a str>,
    /// On a Fargate pool host: the limits that make each task its own boundary.
    pub isolation: Option<&'a Isolation>,
}

/// How a Fargate pool host bounds its tasks: every container of a task gets hard limits equal
/// to the task's size (its task-level `cpu` as a CPU quota, its `memory` as the memory limit
/// unless the container sets a lower one) and a limit on processes; with `runtime`, containers
/// run under that OCI runtime (gVisor's `runsc`, say) instead of the daemon's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    pub pids_limit: i64,
    pub runtime: Option<String>,
}

impl Default for Isolation {
    fn default() -> Isolation {
        Isolation { pids_limit: DEFAULT_PIDS_LIMIT, runtime: None }
    }
}

/// The processes a Fargate task's container may hold at once.
pub const DEFAULT_PIDS_LIMIT: i64 = 4096;

/// The name, in [`labels::CONTAINER_NAME`], of the container that holds an `awsvpc` task's
/// network namespace (no container of a definition can have it: names are letters, digits,
/// hyphens and underscores).
pub const SANDBOX: &str = "~network";

/// The runtime name and labels of the container holding an `awsvpc` task's network namespace.
pub fn sandbox(ctx: &TaskContext<'_>) -> (String, BTreeMap<String, String>) {
    let cx = Ctx { task: ctx, container: SANDBOX };
    (container_name(ctx.task_id, "network"), cx.labels(&api::ContainerDefinition::default()))
}

/// Why a container definition cannot be turned into a spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("container `{container}`: {feature} is not supported by Berth")]
    Unsupported { container: String, feature: String },
    #[error("container `{container}`: {message}")]
    Invalid { container: String, message: String },
}

/// ECS health check defaults, in seconds (`retries` is a count).
pub const HEALTH_CHECK_INTERVAL_SECS: u64 = 30;
pub const HEALTH_CHECK_TIMEOUT_SECS: u64 = 5;
pub const HEALTH_CHECK_RETRIES: u32 = 3;
pub const HEALTH_CHECK_START_PERIOD_SECS: u64 = 0;

/// Docker's smallest CPU share value; ECS containers without `cpu` get it.
pub const MIN_CPU_SHARES: i64 = 2;

/// Names longer than this are shortened (with a hash of the full name, to stay unique).
const MAX_NAME_LEN: usize = 200;

/// The runtime name of a task's container: `berth-<task id>-<container name>`.
///
/// Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; ECS names are `[A-Za-z0-9_-]`, so this is
/// normally the plain concatenation. Any other character becomes `_`, and then (or when the
/// name is too long) a hash of the original name is appended so distinct inputs stay distinct.
pub fn container_name(task_id: &str, container: &str) -> String {
    docker_name(&format!("berth-{task_id}-{container}"))
}

/// The runtime name of a task-scoped volume: `berth-<task id>-<volume name>`, made safe like
/// [`container_name`]. Shared volumes keep their own name and do not use this.
pub fn volume_name(task_id: &str, volume: &str) -> String {
    docker_name(&format!("berth-{task_id}-{volume}"))
}

fn docker_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') { c } else { '_' })
        .collect();
    if name != raw || name.len() > MAX_NAME_LEN {
        // 16 hex digits and a dash.
        name.truncate(MAX_NAME_LEN - 17);
        name.push_str(&format!("-{:016x}", fnv1a(raw.as_bytes())));
    }
    name
}

/// FNV-1a, 64 bits: a stable hash (unlike `std`'s `DefaultHasher`, which may change between
/// Rust releases) so that names survive an agent upgrade.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The container spec of one container of the task, overrides applied.
pub fn container_spec(
    ctx: &TaskContext<'_>,
    container: &api::ContainerDefinition,
) -> Result<ContainerSpec, SpecError> {
    let name = container.name.as_deref().unwrap_or("<unnamed>");
    let cx = Ctx { task: ctx, container: name };
    let Some(container_name_in_task) = container.name.as_deref() else {
        return Err(cx.invalid("the container definition has no name"));
    };
    let image = match container.image.as_deref() {
        Some(image) if !image.is_empty() => image.to_string(),
        _ => return Err(cx.invalid("the container definition has no image")),
    };
    cx.refuse_unsupported(container)?;

    let overrides = ctx
        .overrides
        .and_then(|o| o.container_overrides.as_deref())
        .and_then(|all| all.iter().find(|o| o.name.as_deref() == Some(container_name_in_task)));
    if let Some(o) = overrides
        && o.environment_files.as_ref().is_some_and(|files| !files.is_empty())
    {
        return Err(cx.unsupported("containerOverrides.environmentFiles (no S3 access)"));
    }

    let network = cx.network(container)?;
    let cpu = overrides.and_then(|o| o.cpu).or(container.cpu);
    let memory = overrides.and_then(|o| o.memory).or(container.memory);
    let memory_reservation =
        overrides.and_then(|o| o.memory_reservation).or(container.memory_reservation);
    let (cpu_shares, mut memory_mib, memory_reservation_mib) =
        cx.resources(cpu, memory, memory_reservation)?;
    let mut nano_cpus = None;
    let mut task_limits = None;
    if let Some(isolation) = ctx.isolation {
        // The task's size bounds each of its containers.
        let task_units = |own: Option<&str>, defined: Option<&str>| {
            own.or(defined).and_then(|v| v.trim().parse::<i64>().ok()).filter(|&v| v > 0)
        };
        let overrides = ctx.overrides;
        if let Some(units) =
            task_units(overrides.and_then(|o| o.cpu.as_deref()), ctx.definition.cpu.as_deref())
        {
            nano_cpus = Some(units * 1_000_000_000 / 1024);
        }
        if let Some(task_memory) = task_units(
            overrides.and_then(|o| o.memory.as_deref()),
            ctx.definition.memory.as_deref(),
        ) {
            memory_mib = Some(memory_mib.map_or(task_memory, |m| m.min(task_memory)));
        }
        // The containers together, too, where the runtime can give the task a cgroup.
        let task_memory = task_units(
            overrides.and_then(|o| o.memory.as_deref()),
            ctx.definition.memory.as_deref(),
        );
        task_limits = Some(crate::runtime::TaskLimits {
            task: ctx.task_id.to_owned(),
            nano_cpus,
            memory_bytes: task_memory.map(|m| m * 1024 * 1024),
            pids: isolation.pids_limit,
        });
    }

    let linux = container.linux_parameters.as_ref();
    let capabilities = linux.and_then(|l| l.capabilities.as_ref());

    Ok(ContainerSpec {
        name: container_name(ctx.task_id, container_name_in_task),
        image,
        labels: cx.labels(container),
        env: cx.environment(container, overrides)?,
        entrypoint: container.entry_point.clone(),
        command: overrides.and_then(|o| o.command.clone()).or_else(|| container.command.clone()),
        working_dir: container.working_directory.clone(),
        user: container.user.clone(),
        hostname: if network == Network::Bridge { container.hostname.clone() } else { None },
        cpu_shares: Some(cpu_shares),
        nano_cpus,
        pids_limit: ctx.isolation.map(|i| i.pids_limit),
        no_swap: ctx.isolation.is_some(),
        oci_runtime: ctx.isolation.and_then(|i| i.runtime.clone()),
        task_limits,
        memory_mib,
        memory_reservation_mib,
        ports: cx.ports(container, &network)?,
        mounts: cx.mounts(container)?,
        volumes_from: cx.volumes_from(container)?,
        links: cx.links(container, &network)?,
        network,
        health_check: container.health_check.as_ref().map(|h| cx.health_check(h)).transpose()?,
        ulimits: container
            .ulimits
            .iter()
            .flatten()
            .map(|u| Ulimit {
                name: u.name.as_str().to_string(),
                soft: i64::from(u.soft_limit),
                hard: i64::from(u.hard_limit),
            })
            .collect(),
        privileged: container.privileged.unwrap_or(false),
        readonly_rootfs: container.readonly_root_filesystem.unwrap_or(false),
        init: linux.and_then(|l| l.init_process_enabled).unwrap_or(false),
        cap_add: capabilities.and_then(|c| c.add.clone()).unwrap_or_default(),
        cap_drop: capabilities.and_then(|c| c.drop.clone()).unwrap_or_default(),
        tmpfs: cx.tmpfs(linux)?,
        shm_size_mib: cx.shm_size(linux)?,
        dns_servers: container.dns_servers.clone().unwrap_or_default(),
        dns_search: container.dns_search_domains.clone().unwrap_or_default(),
        extra_hosts: container
            .extra_hosts
            .iter()
            .flatten()
            .map(|h| format!("{}:{}", h.hostname, h.ip_address))
            .collect(),
        security_opts: container.docker_security_options.clone().unwrap_or_default(),
        sysctls: cx.sysctls(container)?,
        log: cx.log(container)?,
        stop_timeout: Some(cx.stop_timeout(container)?),
    })
}

/// The volumes the agent creates before the task's containers: every task-scoped volume
/// (scratch volumes and `dockerVolumeConfiguration` with scope `task`), and shared volumes with
/// `autoprovision: true`. Bind mounts need nothing; shared volumes without `autoprovision` must
/// exist already; unsupported volume types are left out ([`container_spec`] refuses to mount
/// them).
pub fn task_volumes(ctx: &TaskContext<'_>) -> Vec<VolumeSpec> {
    let mut res = Vec::new();
    for volume in ctx.definition.volumes.iter().flatten() {
        let Some(name) = volume.name.as_deref() else {
            continue;
        };
        match volume_kind(volume) {
            VolumeKind::Bind(_) | VolumeKind::Unsupported(_) => {}
            VolumeKind::Scratch => res.push(VolumeSpec {
                name: volume_name(ctx.task_id, name),
                labels: volume_labels(ctx, true, None),
                ..VolumeSpec::default()
            }),
            VolumeKind::Docker { shared, config } => {
                if shared && !config.autoprovision.unwrap_or(false) {
                    continue;
                }
                res.push(VolumeSpec {
                    name: if shared { name.to_string() } else { volume_name(ctx.task_id, name) },
                    driver: config.driver.clone(),
                    driver_opts: config.driver_opts.clone().unwrap_or_default(),
                    labels: volume_labels(ctx, !shared, config.labels.as_ref()),
                });
            }
        }
    }
    res
}

/// The task's shared Docker volumes (scope `shared`, which keep their own name): each name,
/// with whether the agent provisions it (`autoprovision`). A volume of that name may exist
/// already that Berth did not create, which Docker would mount (or, with `autoprovision`,
/// answer as created): the agent checks each one's labels before a container can mount it.
pub fn shared_volumes(ctx: &TaskContext<'_>) -> Vec<(String, bool)> {
    let mut res = Vec::new();
    for volume in ctx.definition.volumes.iter().flatten() {
        if let (Some(name), VolumeKind::Docker { shared: true, config }) =
            (volume.name.as_deref(), volume_kind(volume))
        {
            res.push((name.to_owned(), config.autoprovision.unwrap_or(false)));
        }
    }
    res
}

/// A volume's own labels, then Berth's (which win). Shared volumes outlive tasks, so they do
/// not carry the task ARN, not even one the user wrote.
fn volume_labels(
    ctx: &TaskContext<'_>,
    task_scoped: bool,
    own: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut res = own.cloned().unwrap_or_default();
    // A user label must not make a shared volume look task-scoped (or owned by a container).
    res.remove(labels::TASK_ARN);
    res.remove(labels::CONTAINER_NAME);
    res.insert(labels::MANAGED.to_string(), "true".to_string());
    res.insert(labels::CLUSTER.to_string(), ctx.cluster.to_string());
    res.insert(labels::CONTAINER_INSTANCE.to_string(), ctx.container_instance_arn.to_string());
    if task_scoped {
        res.insert(labels::TASK_ARN.to_string(), ctx.task_arn.to_string());
    }
    res
}

enum VolumeKind<'v> {
    Bind(&'v str),
    Scratch,
    Docker { shared: bool, config: &'v api::DockerVolumeConfiguration },
    Unsupported(&'static str),
}

fn volume_kind(volume: &api::Volume) -> VolumeKind<'_> {
    if volume.efs_volume_configuration.is_some() {
        return VolumeKind::Unsupported("EFS volumes");
    }
    if volume.fsx_windows_file_server_volume_configuration.is_some() {
        return VolumeKind::Unsupported("FSx for Windows File Server volumes");
    }
    if volume.s3files_volume_configuration.is_some() {
        return VolumeKind::Unsupported("S3 Files volumes");
    }
    if volume.configured_at_launch == Some(true) {
        return VolumeKind::Unsupported("volumes configured at launch");
    }
    if let Some(config) = &volume.docker_volume_configuration {
        // ECS fills in `task` when the scope is omitted.
        let shared = config.scope == Some(api::Scope::Shared);
        return VolumeKind::Docker { shared, config };
    }
    match volume.host.as_ref().and_then(|h| h.source_path.as_deref()) {
        Some(path) if !path.is_empty() => VolumeKind::Bind(path),
        _ => VolumeKind::Scratch,
    }
}

/// The context of one container's conversion, for error messages.
struct Ctx<'a, 'b> {
    task: &'a TaskContext<'b>,
    container: &'a str,
}

impl Ctx<'_, '_> {
    fn invalid(&self, message: impl Into<String>) -> SpecError {
        SpecError::Invalid { container: self.container.to_string(), message: message.into() }
    }

    fn unsupported(&self, feature: impl Into<String>) -> SpecError {
        SpecError::Unsupported { container: self.container.to_string(), feature: feature.into() }
    }

    fn refuse_unsupported(&self, c: &api::ContainerDefinition) -> Result<(), SpecError> {
        fn non_empty<T>(list: &Option<Vec<T>>) -> bool {
            list.as_ref().is_some_and(|l| !l.is_empty())
        }
        let def = self.task.definition;
        let refused = [
            (non_empty(&c.secrets), "secrets (no Secrets Manager or SSM access)"),
            (non_empty(&c.environment_files), "environmentFiles (no S3 access)"),
            (
                c.repository_credentials.is_some(),
                "repositoryCredentials (no Secrets Manager access)",
            ),
            (non_empty(&c.resource_requirements), "resourceRequirements (GPUs, accelerators)"),
            (c.firelens_configuration.is_some(), "firelensConfiguration"),
            (non_empty(&c.credential_specs), "credentialSpecs"),
            (c.interactive == Some(true), "interactive (an open stdin)"),
            (c.pseudo_terminal == Some(true), "pseudoTerminal (a TTY)"),
            (def.pid_mode.is_some(), "the task's pidMode"),
            (def.ipc_mode.is_some(), "the task's ipcMode"),
            (def.proxy_configuration.is_some(), "the task's proxyConfiguration"),
            (non_empty(&def.inference_accelerators), "the task's inferenceAccelerators"),
        ];
        if let Some((_, feature)) = refused.iter().find(|(refused, _)| *refused) {
            return Err(self.unsupported(*feature));
        }
        if let Some(linux) = &c.linux_parameters {
            if non_empty(&linux.devices) {
                return Err(self.unsupported("linuxParameters.devices"));
            }
            if linux.max_swap.is_some() {
                return Err(self.unsupported("linuxParameters.maxSwap"));
            }
            if linux.swappiness.is_some() {
                return Err(self.unsupported("linuxParameters.swappiness"));
            }
        }
        Ok(())
    }

    fn network(&self, c: &api::ContainerDefinition) -> Result<Network, SpecError> {
        let network = match self.task.definition.network_mode {
            None | Some(api::NetworkMode::Bridge) => Network::Bridge,
            Some(api::NetworkMode::Host) => Network::Host,
            Some(api::NetworkMode::None) => Network::None,
            Some(api::NetworkMode::Awsvpc) => match self.task.sandbox {
                Some(sandbox) => Network::Container(sandbox.to_owned()),
                None => return Err(self.invalid("the task's network interface is not set up")),
            },
        };
        Ok(if c.disable_networking == Some(true) { Network::None } else { network })
    }

    fn resources(
        &self,
        cpu: Option<i32>,
        memory: Option<i32>,
        memory_reservation: Option<i32>,
    ) -> Result<(i64, Option<i64>, Option<i64>), SpecError> {
        let cpu = i64::from(cpu.unwrap_or(0));
        if cpu < 0 {
            return Err(self.invalid(format!("cpu must not be negative, got {cpu}")));
        }
        for (field, value) in [("memory", memory), ("memoryReservation", memory_reservation)] {
            if let Some(value) = value
                && value <= 0
            {
                return Err(self.invalid(format!("{field} must be positive, got {value}")));
            }
        }
        if let (Some(memory), Some(reservation)) = (memory, memory_reservation)
            && memory < reservation
        {
            return Err(self.invalid(format!(
                "memory ({memory} MiB) must not be less than memoryReservation ({reservation} MiB)"
            )));
        }
        Ok((cpu.max(MIN_CPU_SHARES), memory.map(i64::from), memory_reservation.map(i64::from)))
    }

    fn labels(&self, c: &api::ContainerDefinition) -> BTreeMap<String, String> {
        let task = self.task;
        let mut res = c.docker_labels.clone().unwrap_or_default();
        for (key, value) in [
            (labels::MANAGED, "true"),
            (labels::CLUSTER, task.cluster),
            (labels::CONTAINER_INSTANCE, task.container_instance_arn),
            (labels::TASK_ARN, task.task_arn),
            (labels::CONTAINER_NAME, self.container),
        ] {
            res.insert(key.to_string(), value.to_string());
        }
        res
    }

    /// The definition's environment with the override's merged in by name: an overridden
    /// variable keeps its place, new ones come after, in order.
    fn environment(
        &self,
        c: &api::ContainerDefinition,
        overrides: Option<&api::ContainerOverride>,
    ) -> Result<Vec<(String, String)>, SpecError> {
        let mut res: Vec<(String, String)> = Vec::new();
        let pairs = c.environment.iter().flatten();
        let override_pairs = overrides.and_then(|o| o.environment.as_ref()).into_iter().flatten();
        for pair in pairs.chain(override_pairs) {
            let Some(name) = pair.name.as_deref().filter(|n| !n.is_empty()) else {
                return Err(self.invalid("an environment variable has no name"));
            };
            let value = pair.value.clone().unwrap_or_default();
            match res.iter_mut().find(|(existing, _)| existing == name) {
                Some(slot) => slot.1 = value,
                None => res.push((name.to_string(), value)),
            }
        }
        Ok(res)
    }

    fn ports(
        &self,
        c: &api::ContainerDefinition,
        network: &Network,
    ) -> Result<Vec<PortSpec>, SpecError> {
        let mappings = c.port_mappings.as_deref().unwrap_or_default();
        if !mappings.is_empty() && matches!(network, Network::None) {
            return Err(self.invalid("portMappings are not allowed without networking"));
        }
        // awsvpc: the task's own address serves its container ports; nothing is published.
        if matches!(network, Network::Container(_)) {
            return Ok(Vec::new());
        }
        let mut res = Vec::with_capacity(mappings.len());
        for mapping in mappings {
            if mapping.container_port_range.is_some() {
                return Err(self.unsupported("portMappings.containerPortRange"));
            }
            let Some(container_port) = mapping.container_port else {
                return Err(self.invalid("a port mapping has no containerPort"));
            };
            let container_port = self.port("containerPort", container_port)?;
            let host_port = match mapping.host_port {
                None | Some(0) => None,
                Some(port) => Some(self.port("hostPort", port)?),
            };
            let host_port = match network {
                Network::Host => {
                    if host_port.is_some_and(|p| p != container_port) {
                        return Err(self.invalid(format!(
                            "in host network mode hostPort must be empty or equal to \
                             containerPort {container_port}"
                        )));
                    }
                    Some(container_port)
                }
                _ => host_port,
            };
            let protocol = match mapping.protocol {
                None | Some(api::TransportProtocol::Tcp) => Protocol::Tcp,
                Some(api::TransportProtocol::Udp) => Protocol::Udp,
            };
            res.push(PortSpec { container_port, host_port, protocol, host_ip: None });
        }
        Ok(res)
    }

    fn port(&self, field: &str, port: i32) -> Result<u16, SpecError> {
        u16::try_from(port)
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| self.invalid(format!("{field} {port} is not a port number")))
    }

    fn mounts(&self, c: &api::ContainerDefinition) -> Result<Vec<MountSpec>, SpecError> {
        let mut res = Vec::new();
        for mount in c.mount_points.iter().flatten() {
            let Some(source) = mount.source_volume.as_deref().filter(|s| !s.is_empty()) else {
                return Err(self.invalid("a mount point has no sourceVolume"));
            };
            let Some(target) = mount.container_path.as_deref().filter(|p| !p.is_empty()) else {
                return Err(
                    self.invalid(format!("the mount point of `{source}` has no containerPath"))
                );
            };
            let volume = self
                .task
                .definition
                .volumes
                .iter()
                .flatten()
                .find(|v| v.name.as_deref() == Some(source))
                .ok_or_else(|| {
                    self.invalid(format!(
                        "mount point source volume `{source}` is not in the task definition"
                    ))
                })?;
            let source = match volume_kind(volume) {
                VolumeKind::Bind(path) => MountSource::Bind(PathBuf::from(path)),
                VolumeKind::Scratch | VolumeKind::Docker { shared: false, .. } => {
                    MountSource::Volume(volume_name(self.task.task_id, source))
                }
                VolumeKind::Docker { shared: true, .. } => MountSource::Volume(source.to_string()),
                VolumeKind::Unsupported(kind) => {
                    return Err(self.unsupported(format!("{kind} (volume `{source}`)")));
                }
            };
            res.push(MountSpec {
                source,
                target: target.to_string(),
                read_only: mount.read_only.unwrap_or(false),
            });
        }
        Ok(res)
    }

    fn task_has_container(&self, name: &str) -> bool {
        self.task
            .definition
            .container_definitions
            .iter()
            .flatten()
            .any(|c| c.name.as_deref() == Some(name))
    }

    fn volumes_from(&self, c: &api::ContainerDefinition) -> Result<Vec<String>, SpecError> {
        let mut res = Vec::new();
        for from in c.volumes_from.iter().flatten() {
            let Some(source) = from.source_container.as_deref().filter(|s| !s.is_empty()) else {
                return Err(self.invalid("a volumesFrom entry has no sourceContainer"));
            };
            if !self.task_has_container(source) {
                return Err(self.invalid(format!(
                    "volumesFrom source container `{source}` is not in the task definition"
                )));
            }
            let suffix = if from.read_only == Some(true) { ":ro" } else { "" };
            res.push(format!("{}{suffix}", container_name(self.task.task_id, source)));
        }
        Ok(res)
    }

    fn links(
        &self,
        c: &api::ContainerDefinition,
        network: &Network,
    ) -> Result<Vec<String>, SpecError> {
        let links = c.links.as_deref().unwrap_or_default();
        if !links.is_empty() && *network != Network::Bridge {
            return Err(self.invalid("links need the bridge network mode"));
        }
        let mut res = Vec::with_capacity(links.len());
        for link in links {
            let (target, alias) = link.split_once(':').unwrap_or((link, link));
            if target.is_empty() || alias.is_empty() {
                return Err(self.invalid(format!("link `{link}` is not `name` or `name:alias`")));
            }
            if !self.task_has_container(target) {
                return Err(self.invalid(format!(
                    "linked container `{target}` is not in the task definition"
                )));
            }
            res.push(format!("{}:{alias}", container_name(self.task.task_id, target)));
        }
        Ok(res)
    }

    fn health_check(&self, h: &api::HealthCheck) -> Result<HealthCheckSpec, SpecError> {
        match h.command.first().map(String::as_str) {
            Some("CMD") | Some("CMD-SHELL") if h.command.len() > 1 => {}
            _ => {
                return Err(self.invalid(
                    "healthCheck.command must be [\"CMD\", ...] or [\"CMD-SHELL\", \"...\"]",
                ));
            }
        }
        let secs = |field: &str, value: Option<i32>, default: u64| -> Result<Duration, SpecError> {
            match value {
                None => Ok(Duration::from_secs(default)),
                Some(v) => u64::try_from(v).map(Duration::from_secs).map_err(|_| {
                    self.invalid(format!("healthCheck.{field} must not be negative, got {v}"))
                }),
            }
        };
        let retries = match h.retries {
            None => HEALTH_CHECK_RETRIES,
            Some(r) => u32::try_from(r).map_err(|_| {
                self.invalid(format!("healthCheck.retries must not be negative, got {r}"))
            })?,
        };
        Ok(HealthCheckSpec {
            test: h.command.clone(),
            interval: secs("interval", h.interval, HEALTH_CHECK_INTERVAL_SECS)?,
            timeout: secs("timeout", h.timeout, HEALTH_CHECK_TIMEOUT_SECS)?,
            retries,
            start_period: secs("startPeriod", h.start_period, HEALTH_CHECK_START_PERIOD_SECS)?,
        })
    }

    /// tmpfs mounts; the ECS `size` (MiB) becomes a `size=<n>m` mount option.
    fn tmpfs(
        &self,
        linux: Option<&api::LinuxParameters>,
    ) -> Result<Vec<(String, Vec<String>)>, SpecError> {
        let mut res = Vec::new();
        for tmpfs in linux.and_then(|l| l.tmpfs.as_ref()).into_iter().flatten() {
            if tmpfs.container_path.is_empty() {
                return Err(self.invalid("a tmpfs mount has no containerPath"));
            }
            if tmpfs.size <= 0 {
                return Err(self.invalid(format!(
                    "the tmpfs size of `{}` must be positive, got {}",
                    tmpfs.container_path, tmpfs.size
                )));
            }
            let mut options = tmpfs.mount_options.clone().unwrap_or_default();
            options.push(format!("size={}m", tmpfs.size));
            res.push((tmpfs.container_path.clone(), options));
        }
        Ok(res)
    }

    fn shm_size(&self, linux: Option<&api::LinuxParameters>) -> Result<Option<i64>, SpecError> {
        match linux.and_then(|l| l.shared_memory_size) {
            Some(size) if size <= 0 => Err(self
                .invalid(format!("linuxParameters.sharedMemorySize must be positive, got {size}"))),
            size => Ok(size.map(i64::from)),
        }
    }

    fn sysctls(&self, c: &api::ContainerDefinition) -> Result<BTreeMap<String, String>, SpecError> {
        let mut res = BTreeMap::new();
        for control in c.system_controls.iter().flatten() {
            match (control.namespace.as_deref(), control.value.as_deref()) {
                (Some(namespace), Some(value)) if !namespace.is_empty() => {
                    res.insert(namespace.to_string(), value.to_string());
                }
                _ => {
                    return Err(
                        self.invalid("a systemControls entry needs a namespace and a value")
                    );
                }
            }
        }
        Ok(res)
    }

    fn log(&self, c: &api::ContainerDefinition) -> Result<Option<LogSpec>, SpecError> {
        let Some(log) = &c.log_configuration else {
            return Ok(None);
        };
        match log.log_driver {
            api::LogDriver::Awslogs | api::LogDriver::Awsfirelens => {
                return Err(self.unsupported(format!("the {} log driver", log.log_driver.as_str())));
            }
            api::LogDriver::JsonFile
            | api::LogDriver::Syslog
            | api::LogDriver::Journald
            | api::LogDriver::Gelf
            | api::LogDriver::Fluentd
            | api::LogDriver::Splunk => {}
        }
        if log.secret_options.as_ref().is_some_and(|s| !s.is_empty()) {
            return Err(self.unsupported("logConfiguration.secretOptions"));
        }
        Ok(Some(LogSpec {
            driver: log.log_driver.as_str().to_string(),
            options: log.options.clone().unwrap_or_default(),
        }))
    }

    fn stop_timeout(&self, c: &api::ContainerDefinition) -> Result<Duration, SpecError> {
        match c.stop_timeout {
            None => Ok(self.task.default_stop_timeout),
            Some(secs) => u64::try_from(secs)
                .map(Duration::from_secs)
                .map_err(|_| self.invalid(format!("stopTimeout must not be negative, got {secs}"))),
        }
    }
}

#[cfg(test)]
mod tests;
