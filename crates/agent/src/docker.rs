//! The [`Runtime`] on Docker Engine, through bollard.
//!
//! The only module of the agent that knows Docker. It translates a [`ContainerSpec`] into a
//! create request field by field, and Docker's inspect, list, event and stats answers back into
//! the runtime types; the translations are pure functions, tested without a daemon.
//!
//! Docker facts this relies on:
//! - bollard 0.21.1 does not actually send its `/v1.xx` version prefix, so the daemon answers in
//!   its own API version; `connect` still negotiates, and every field is read as optional.
//! - `HostConfig.Binds` (not `Mounts`) carries bind mounts and named volumes, so a missing bind
//!   source directory is created by Docker, as ECS documents for `sourcePath`.
//! - A dynamic host port is a port binding with an empty `HostPort`; Docker picks one from the
//!   ephemeral range and reports it in `NetworkSettings.Ports`. In host network mode Docker
//!   discards port bindings, so none are sent; `inspect` reports the exposed ports as bound to
//!   the same host port.
//! - `POST /containers/{id}/stop?t=N` sends the image's STOPSIGNAL (SIGTERM by default), waits
//!   N seconds, then SIGKILLs, and answers 304 when the container was not running.
//! - Event subscriptions pass `since` = the moment [`Runtime::events`] is called, because a
//!   bollard stream sends its request only when first polled; the daemon replays what happened
//!   in between from its event buffer.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bollard::Docker;
use bollard::errors::Error as DockerError;
use bollard::models::{
    ContainerCreateBody, ContainerInspectResponse, ContainerStateStatusEnum,
    ContainerStatsResponse, EventMessage, EventMessageTypeEnum, HealthConfig, HealthStatusEnum,
    HostConfig, HostConfigLogConfig, PortBinding, PortMap, ResourcesUlimits, VolumeCreateRequest,
};
use bollard::models::{SystemInfoCgroupDriverEnum, SystemInfoCgroupVersionEnum};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, CreateImageOptionsBuilder, EventsOptionsBuilder,
    ListContainersOptionsBuilder, LogsOptionsBuilder, RemoveContainerOptionsBuilder,
    RemoveVolumeOptionsBuilder, StatsOptionsBuilder, StopContainerOptionsBuilder,
};
use futures::stream::{BoxStream, StreamExt};

use crate::runtime::{
    Binding, ContainerSpec, ContainerState, ContainerStats, ContainerStatus, EventKind, Health,
    ImageInfo, LogLine, MountSource, Network, Protocol, Runtime, RuntimeError, RuntimeEvent,
    RuntimeInfo, VolumeInfo, VolumeSpec, labels,
};

/// bollard's own request timeout (for everything but `stop`, which takes as long as asked).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How many containers `list` inspects at once.
const LIST_CONCURRENCY: usize = 8;

const MIB: i64 = 1024 * 1024;

/// Docker Engine, via its API socket.
#[derive(Debug, Clone)]
pub struct DockerRuntime {
    docker: Docker,
    /// How tasks get cgroups of their own: with Docker's `cgroupfs` driver only.
    cgroups: Option<cgroup::Layout>,
}

impl DockerRuntime {
    /// Connects to Docker Engine and negotiates the API version.
    ///
    /// `socket` is a Unix socket path, or a `unix://`, `tcp://` or `http://` address; `None`
    /// means `DOCKER_HOST`, else `/var/run/docker.sock`. Fails with
    /// [`RuntimeError::Unavailable`] when the daemon does not answer.
    pub async fn connect(socket: Option<&str>) -> Result<DockerRuntime, RuntimeError> {
        let timeout = REQUEST_TIMEOUT.as_secs();
        let docker = match socket {
            None => Docker::connect_with_defaults(),
            Some(address) if address.contains("://") => Docker::connect_with_host(address),
            Some(path) => Docker::connect_with_unix(path, timeout, bollard::API_DEFAULT_VERSION),
        }
        .map_err(|e| RuntimeError::Unavailable(format!("cannot connect to Docker: {e}")))?;
        let docker = docker.negotiate_version().await.map_err(|e| {
            RuntimeError::Unavailable(format!("Docker did not answer the version request: {e}"))
        })?;
        let cgroups = match docker.info().await {
            Ok(info) => match (info.cgroup_driver, info.cgroup_version) {
                (
                    Some(SystemInfoCgroupDriverEnum::CGROUPFS),
                    Some(SystemInfoCgroupVersionEnum::_2),
                ) => Some(cgroup::Layout::V2),
                (Some(SystemInfoCgroupDriverEnum::CGROUPFS), _) => Some(cgroup::Layout::V1),
                _ => None,
            },
            Err(_) => None,
        };
        Ok(DockerRuntime { docker, cgroups })
    }

    /// The negotiated Engine API version, e.g. `1.41`.
    pub fn api_version(&self) -> String {
        self.docker.client_version().to_string()
    }
}

/// What a 404 from Docker means for the request at hand.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Container(&'a str),
    Image(&'a str),
    Other,
}

/// Maps a bollard error: a 404 to the missing thing, transport failures to `Unavailable`, the
/// rest to `Refused` with Docker's message.
fn runtime_error(operation: &'static str, subject: Subject<'_>, err: DockerError) -> RuntimeError {
    match err {
        DockerError::DockerResponseServerError { status_code: 404, message } => match subject {
            Subject::Container(id) => RuntimeError::NoSuchContainer(id.to_string()),
            Subject::Image(image) => RuntimeError::ImageNotPresent(image.to_string()),
            Subject::Other => RuntimeError::Refused { operation, message },
        },
        DockerError::DockerResponseServerError { message, .. } => {
            RuntimeError::Refused { operation, message }
        }
        DockerError::RequestTimeoutError
        | DockerError::HyperResponseError { .. }
        | DockerError::HyperLegacyError { .. }
        | DockerError::IOError { .. }
        | DockerError::SocketNotFoundError(_) => {
            RuntimeError::Unavailable(format!("{operation}: {err}"))
        }
        other => RuntimeError::Refused { operation, message: other.to_string() },
    }
}

fn is_status(err: &DockerError, status: u16) -> bool {
    matches!(err, DockerError::DockerResponseServerError { status_code, .. } if *status_code == status)
}

#[async_trait::async_trait]
impl Runtime for DockerRuntime {
    async fn info(&self) -> Result<RuntimeInfo, RuntimeError> {
        let info =
            self.docker.info().await.map_err(|e| runtime_error("info", Subject::Other, e))?;
        Ok(RuntimeInfo {
            version: info.server_version.unwrap_or_default(),
            api_version: self.api_version(),
            cpus: info.ncpu.and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            memory_bytes: info.mem_total.and_then(|m| u64::try_from(m).ok()).unwrap_or(0),
            os_type: info.os_type.unwrap_or_default(),
            architecture: info.architecture.unwrap_or_default(),
        })
    }

    async fn image(&self, image: &str) -> Result<Option<ImageInfo>, RuntimeError> {
        match self.docker.inspect_image(image).await {
            Ok(inspect) => Ok(Some(ImageInfo {
                id: inspect.id.unwrap_or_default(),
                digest: pick_digest(image, inspect.repo_digests.as_deref().unwrap_or_default()),
            })),
            Err(e) if is_status(&e, 404) => Ok(None),
            Err(e) => Err(runtime_error("inspect image", Subject::Image(image), e)),
        }
    }

    async fn pull(&self, image: &str) -> Result<ImageInfo, RuntimeError> {
        let reference = with_default_tag(image);
        let options = CreateImageOptionsBuilder::default().from_image(&reference).build();
        let mut progress = self.docker.create_image(Some(options), None, None);
        while let Some(item) = progress.next().await {
            if let Err(e) = item {
                return Err(match runtime_error("pull", Subject::Image(image), e) {
                    unavailable @ RuntimeError::Unavailable(_) => unavailable,
                    RuntimeError::Refused { message, .. } => {
                        RuntimeError::Pull { image: image.to_string(), message }
                    }
                    other => {
                        RuntimeError::Pull { image: image.to_string(), message: other.to_string() }
                    }
                });
            }
        }
        self.image(&reference).await?.ok_or_else(|| RuntimeError::Pull {
            image: image.to_string(),
            message: "the pull finished but the image is not there".to_string(),
        })
    }

    async fn create(&self, spec: &ContainerSpec) -> Result<String, RuntimeError> {
        let options = CreateContainerOptionsBuilder::default().name(&spec.name).build();
        let mut body = create_body(spec);
        // A Fargate task's containers share a cgroup with the task's size, where Docker's
        // driver lets the agent make one; otherwise each keeps only its own limits.
        if let (Some(limits), Some(layout)) = (&spec.task_limits, self.cgroups) {
            // A few small writes to the cgroup file system: not worth a blocking thread.
            match cgroup::prepare(layout, limits) {
                Ok(()) => {
                    if let Some(host) = body.host_config.as_mut() {
                        host.cgroup_parent = Some(cgroup::parent_of(&limits.task));
                    }
                }
                Err(error) => {
                    tracing::warn!(task = %limits.task, %error, "Making the task's cgroup failed; its containers keep their own limits only")
                }
            }
        }
        match self.docker.create_container(Some(options), body).await {
            Ok(created) => {
                for warning in created.warnings.iter().filter(|w| !w.is_empty()) {
                    tracing::warn!(container = %spec.name, warning, "Docker warned on create.");
                }
                Ok(created.id)
            }
            // A 404 on create is the image, or a container named by volumes_from or the
            // network mode.
            Err(DockerError::DockerResponseServerError { status_code: 404, message })
                if message.contains("image") =>
            {
                Err(RuntimeError::ImageNotPresent(spec.image.clone()))
            }
            Err(e) => Err(runtime_error("create", Subject::Other, e)),
        }
    }

    async fn network_up(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
        spec: &api::agent::TaskNetworkSpec,
    ) -> Result<String, RuntimeError> {
        netns::ensure_pause_image(&self.docker).await?;
        let create = || {
            let body = ContainerCreateBody {
                image: Some(netns::PAUSE_IMAGE.to_owned()),
                labels: Some(labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
                host_config: Some(HostConfig {
                    network_mode: Some("none".to_owned()),
                    ..HostConfig::default()
                }),
                ..ContainerCreateBody::default()
            };
            let options = CreateContainerOptionsBuilder::default().name(name).build();
            self.docker.create_container(Some(options), body)
        };
        let id = match create().await {
            Ok(created) => created.id,
            // A leftover of an attempt cut short (an agent crash): start again from nothing.
            Err(DockerError::DockerResponseServerError { status_code: 409, .. }) => {
                self.remove(name).await?;
                create().await.map_err(|e| runtime_error("create", Subject::Other, e))?.id
            }
            Err(e) => return Err(runtime_error("create", Subject::Other, e)),
        };
        let plumbed = async {
            self.start(&id).await?;
            let inspect = self
                .docker
                .inspect_container(&id, None)
                .await
                .map_err(|e| runtime_error("inspect", Subject::Container(&id), e))?;
            let pid =
                inspect.state.and_then(|s| s.pid).filter(|&pid| pid > 0).ok_or_else(|| {
                    RuntimeError::Refused {
                        operation: "set up the task's network",
                        message: "the network container has no process".to_owned(),
                    }
                })?;
            netns::plumb(pid, spec).await
        };
        if let Err(error) = plumbed.await {
            let _ = self.remove(&id).await;
            return Err(error);
        }
        Ok(id)
    }

    async fn network_rules(
        &self,
        id: &str,
        spec: &api::agent::TaskNetworkSpec,
    ) -> Result<(), RuntimeError> {
        let inspect = self
            .docker
            .inspect_container(id, None)
            .await
            .map_err(|e| runtime_error("inspect", Subject::Container(id), e))?;
        let pid = inspect.state.and_then(|s| s.pid).filter(|&pid| pid > 0).ok_or_else(|| {
            RuntimeError::Refused {
                operation: "update the task's rules",
                message: "the network container has no process".to_owned(),
            }
        })?;
        netns::apply_rules(&pid.to_string(), spec).await
    }

    async fn network_down(
        &self,
        id: &str,
        spec: Option<&api::agent::TaskNetworkSpec>,
    ) -> Result<(), RuntimeError> {
        // The pair goes with its namespace, but the namespace may outlive the container a
        // while (the kernel frees it once nothing refers to it): the host end goes now.
        if let Some(spec) = spec {
            netns::unplumb(spec).await;
        }
        self.remove(id).await
    }

    async fn network_routes(&self, routes: &[api::agent::Route]) -> Result<(), RuntimeError> {
        netns::sync_routes(routes).await
    }

    async fn start(&self, id: &str) -> Result<(), RuntimeError> {
        // 304 (already started) comes back as Ok from bollard.
        self.docker
            .start_container(id, None)
            .await
            .map_err(|e| runtime_error("start", Subject::Container(id), e))
    }

    async fn stop(&self, id: &str, timeout: Duration) -> Result<(), RuntimeError> {
        // Docker takes whole seconds; round up so the container gets at least `timeout`.
        let secs = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        let t = i32::try_from(secs).unwrap_or(i32::MAX);
        let options = StopContainerOptionsBuilder::default().t(t).build();
        // The answer comes once the container is gone: allow the timeout plus the kill.
        let docker = self
            .docker
            .clone()
            .with_timeout(REQUEST_TIMEOUT.max(Duration::from_secs(secs.saturating_add(60))));
        match docker.stop_container(id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if is_status(&e, 304) => Ok(()),
            Err(e) => Err(runtime_error("stop", Subject::Container(id), e)),
        }
    }

    async fn remove(&self, id: &str) -> Result<(), RuntimeError> {
        let options = RemoveContainerOptionsBuilder::default().force(true).v(true).build();
        match self.docker.remove_container(id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if is_status(&e, 404) => Ok(()),
            // "removal of container ... is already in progress": it is going away.
            Err(DockerError::DockerResponseServerError { status_code: 409, message })
                if message.contains("already in progress") =>
            {
                Ok(())
            }
            Err(e) => Err(runtime_error("remove", Subject::Container(id), e)),
        }
    }

    async fn release_task(&self, task_id: &str) {
        if let Some(layout) = self.cgroups {
            cgroup::remove(layout, task_id);
        }
    }

    async fn inspect(&self, id: &str) -> Result<Option<ContainerStatus>, RuntimeError> {
        match self.docker.inspect_container(id, None).await {
            Ok(inspect) => Ok(Some(container_status(inspect))),
            Err(e) if is_status(&e, 404) => Ok(None),
            Err(e) => Err(runtime_error("inspect", Subject::Container(id), e)),
        }
    }

    async fn list(&self, labels: &[(&str, &str)]) -> Result<Vec<ContainerStatus>, RuntimeError> {
        let mut filters = HashMap::new();
        if !labels.is_empty() {
            filters.insert("label", label_filters(labels));
        }
        let options = ListContainersOptionsBuilder::default().all(true).filters(&filters).build();
        let summaries = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|e| runtime_error("list", Subject::Other, e))?;
        // The summaries lack exit codes, health and times: inspect each. A container removed
        // in between is simply not listed.
        let ids: Vec<String> = summaries.into_iter().filter_map(|s| s.id).collect();
        // Collected first: a lazy `map` closure held across the await upsets async-trait's
        // `Send` check.
        let requests: Vec<_> = ids.iter().map(|id| self.inspect(id)).collect();
        let inspected: Vec<Result<Option<ContainerStatus>, RuntimeError>> =
            futures::stream::iter(requests).buffer_unordered(LIST_CONCURRENCY).collect().await;
        let mut res = Vec::with_capacity(inspected.len());
        for status in inspected {
            res.extend(status?);
        }
        res.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(res)
    }

    async fn create_volume(&self, spec: &VolumeSpec) -> Result<(), RuntimeError> {
        let request = VolumeCreateRequest {
            name: Some(spec.name.clone()),
            driver: spec.driver.clone(),
            driver_opts: non_empty_map(&spec.driver_opts),
            labels: non_empty_map(&spec.labels),
            cluster_volume_spec: None,
        };
        // Docker returns the existing volume when one of that name and driver exists.
        self.docker
            .create_volume(request)
            .await
            .map(|_| ())
            .map_err(|e| runtime_error("create volume", Subject::Other, e))
    }

    async fn remove_volume(&self, name: &str) -> Result<(), RuntimeError> {
        let options = RemoveVolumeOptionsBuilder::default().force(false).build();
        match self.docker.remove_volume(name, Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if is_status(&e, 404) => Ok(()),
            Err(e) => Err(runtime_error("remove volume", Subject::Other, e)),
        }
    }

    async fn volume(&self, name: &str) -> Result<Option<VolumeInfo>, RuntimeError> {
        match self.docker.inspect_volume(name).await {
            // The name goes into the request's path: only an answer about that very name counts.
            Ok(volume) if volume.name == name => Ok(Some(VolumeInfo {
                name: volume.name,
                labels: volume.labels.into_iter().collect(),
            })),
            Ok(_) => Ok(None),
            Err(e) if is_status(&e, 404) => Ok(None),
            Err(e) => Err(runtime_error("inspect volume", Subject::Other, e)),
        }
    }

    fn events(
        &self,
        labels: &[(&str, &str)],
    ) -> BoxStream<'static, Result<RuntimeEvent, RuntimeError>> {
        let mut filters = HashMap::new();
        filters.insert("type", vec!["container".to_string()]);
        filters.insert(
            "event",
            ["start", "die", "oom", "health_status", "destroy"].map(String::from).to_vec(),
        );
        if !labels.is_empty() {
            filters.insert("label", label_filters(labels));
        }
        let since = docker_timestamp(SystemTime::now());
        let options = EventsOptionsBuilder::default().since(&since).filters(&filters).build();
        self.docker
            .events(Some(options))
            .filter_map(|item| async move {
                match item {
                    Ok(message) => runtime_event(&message).map(Ok),
                    Err(e) => Some(Err(runtime_error("events", Subject::Other, e))),
                }
            })
            .boxed()
    }

    fn logs(
        &self,
        id: &str,
        since: Option<i64>,
    ) -> BoxStream<'static, Result<LogLine, RuntimeError>> {
        let options = LogsOptionsBuilder::default()
            .follow(true)
            .stdout(true)
            .stderr(true)
            .timestamps(true)
            .since(since.and_then(|s| i32::try_from(s).ok()).unwrap_or(0))
            .build();
        let id = id.to_owned();
        self.docker
            .logs(&id, Some(options))
            .filter_map(move |item| {
                let id = id.clone();
                async move {
                    match item {
                        Ok(output) => {
                            let (stderr, message) = match output {
                                bollard::container::LogOutput::StdErr { message } => {
                                    (true, message)
                                }
                                bollard::container::LogOutput::StdOut { message }
                                | bollard::container::LogOutput::Console { message } => {
                                    (false, message)
                                }
                                bollard::container::LogOutput::StdIn { .. } => return None,
                            };
                            Some(Ok(log_line(stderr, &String::from_utf8_lossy(&message))))
                        }
                        Err(e) => Some(Err(runtime_error("logs", Subject::Container(&id), e))),
                    }
                }
            })
            .boxed()
    }

    async fn stats(&self, id: &str) -> Result<Option<ContainerStats>, RuntimeError> {
        // Not one-shot: the daemon then takes two samples about a second apart, which the
        // CPU delta needs.
        let options = StatsOptionsBuilder::default().stream(false).one_shot(false).build();
        let mut samples = self.docker.stats(id, Some(options));
        match samples.next().await {
            None => Ok(None),
            Some(Ok(sample)) => Ok(container_stats(&sample)),
            Some(Err(e)) if is_status(&e, 404) => Ok(None),
            Some(Err(e)) => Err(runtime_error("stats", Subject::Container(id), e)),
        }
    }
}

/// A log line as Docker sends it with timestamps: `<RFC 3339 time> <message>`.
fn log_line(stderr: bool, text: &str) -> LogLine {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let (timestamp, message) = match text.split_once(' ') {
        Some((time, message)) => match parse_docker_time(time) {
            Some(seconds) => ((seconds * 1000.0) as i64, message),
            None => (0, text),
        },
        None => (0, text),
    };
    LogLine { timestamp, stderr, message: message.to_owned() }
}

fn label_filters(labels: &[(&str, &str)]) -> Vec<String> {
    labels.iter().map(|(key, value)| format!("{key}={value}")).collect()
}

fn non_empty_map(map: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!map.is_empty()).then(|| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn non_empty_vec(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

/// `seconds.nanoseconds`, as Docker's `since` and `until` take it.
fn docker_timestamp(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:09}", since_epoch.as_secs(), since_epoch.subsec_nanos())
}

fn port_key(port: u16, protocol: Protocol) -> String {
    format!("{port}/{}", protocol.as_str())
}

fn nanos(duration: Duration) -> i64 {
    i64::try_from(duration.as_nanos()).unwrap_or(i64::MAX)
}

/// The create request for a spec. Pure, so the mapping is testable without Docker.
fn create_body(spec: &ContainerSpec) -> ContainerCreateBody {
    let mut exposed_ports: Vec<String> = Vec::new();
    let mut port_bindings = PortMap::new();
    for port in &spec.ports {
        let key = port_key(port.container_port, port.protocol);
        if !exposed_ports.contains(&key) {
            exposed_ports.push(key.clone());
        }
        // Docker discards published ports in host mode (with a warning): the container binds
        // the host's ports itself.
        if spec.network == Network::Host {
            continue;
        }
        let binding = PortBinding {
            host_ip: port.host_ip.clone(),
            // Empty asks Docker for an ephemeral port.
            host_port: Some(port.host_port.map(|p| p.to_string()).unwrap_or_default()),
        };
        port_bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_default()
            .push(binding);
    }

    let binds: Vec<String> = spec
        .mounts
        .iter()
        .map(|mount| {
            let source = match &mount.source {
                MountSource::Bind(path) => path.display().to_string(),
                MountSource::Volume(name) => name.clone(),
            };
            let mode = if mount.read_only { ":ro" } else { "" };
            format!("{source}:{}{mode}", mount.target)
        })
        .collect();

    let network_mode = match &spec.network {
        Network::Bridge => "bridge".to_string(),
        Network::Host => "host".to_string(),
        Network::None => "none".to_string(),
        Network::Container(name) => format!("container:{name}"),
    };

    let host_config = HostConfig {
        cpu_shares: spec.cpu_shares,
        nano_cpus: spec.nano_cpus,
        pids_limit: spec.pids_limit,
        runtime: spec.oci_runtime.clone(),
        memory: spec.memory_mib.map(|m| m * MIB),
        // Equal to the memory limit: no swap at all.
        memory_swap: spec.memory_mib.filter(|_| spec.no_swap).map(|m| m * MIB),
        memory_reservation: spec.memory_reservation_mib.map(|m| m * MIB),
        network_mode: Some(network_mode),
        port_bindings: (!port_bindings.is_empty()).then_some(port_bindings),
        binds: non_empty_vec(&binds),
        volumes_from: non_empty_vec(&spec.volumes_from),
        ulimits: (!spec.ulimits.is_empty()).then(|| {
            spec.ulimits
                .iter()
                .map(|u| ResourcesUlimits {
                    name: Some(u.name.clone()),
                    soft: Some(u.soft),
                    hard: Some(u.hard),
                })
                .collect()
        }),
        privileged: Some(spec.privileged),
        readonly_rootfs: Some(spec.readonly_rootfs),
        // Unset rather than false, so a daemon configured with `"init": true` keeps it.
        init: spec.init.then_some(true),
        cap_add: non_empty_vec(&spec.cap_add),
        cap_drop: non_empty_vec(&spec.cap_drop),
        tmpfs: (!spec.tmpfs.is_empty()).then(|| {
            spec.tmpfs.iter().map(|(path, options)| (path.clone(), options.join(","))).collect()
        }),
        shm_size: spec.shm_size_mib.map(|m| m * MIB),
        dns: non_empty_vec(&spec.dns_servers),
        dns_search: non_empty_vec(&spec.dns_search),
        extra_hosts: non_empty_vec(&spec.extra_hosts),
        links: non_empty_vec(&spec.links),
        security_opt: non_empty_vec(&spec.security_opts),
        sysctls: non_empty_map(&spec.sysctls),
        log_config: spec.log.as_ref().map(|log| HostConfigLogConfig {
            typ: Some(log.driver.clone()),
            config: non_empty_map(&log.options),
        }),
        ..HostConfig::default()
    };

    ContainerCreateBody {
        image: Some(spec.image.clone()),
        labels: non_empty_map(&spec.labels),
        env: (!spec.env.is_empty())
            .then(|| spec.env.iter().map(|(name, value)| format!("{name}={value}")).collect()),
        entrypoint: spec.entrypoint.clone(),
        cmd: spec.command.clone(),
        working_dir: spec.working_dir.clone(),
        user: spec.user.clone(),
        hostname: spec.hostname.clone(),
        exposed_ports: (!exposed_ports.is_empty()).then_some(exposed_ports),
        healthcheck: spec.health_check.as_ref().map(|check| HealthConfig {
            test: Some(check.test.clone()),
            interval: Some(nanos(check.interval)),
            timeout: Some(nanos(check.timeout)),
            retries: Some(i64::from(check.retries)),
            start_period: Some(nanos(check.start_period)),
            start_interval: None,
        }),
        stop_timeout: spec.stop_timeout.map(|t| {
            i64::try_from(t.as_secs() + u64::from(t.subsec_nanos() > 0)).unwrap_or(i64::MAX)
        }),
        host_config: Some(host_config),
        ..ContainerCreateBody::default()
    }
}

/// A container's status from Docker's inspect answer. Pure.
fn container_status(inspect: ContainerInspectResponse) -> ContainerStatus {
    let state = inspect.state.unwrap_or_default();
    let status = match state.status {
        Some(ContainerStateStatusEnum::RUNNING) => ContainerState::Running,
        Some(ContainerStateStatusEnum::PAUSED) => ContainerState::Paused,
        Some(ContainerStateStatusEnum::RESTARTING) => ContainerState::Restarting,
        Some(ContainerStateStatusEnum::REMOVING) => ContainerState::Removing,
        Some(ContainerStateStatusEnum::EXITED) => ContainerState::Exited,
        Some(ContainerStateStatusEnum::DEAD) => ContainerState::Dead,
        // Newer daemons report `stopping` while the stop signal is pending: still running.
        Some(ContainerStateStatusEnum::STOPPING) => ContainerState::Running,
        Some(ContainerStateStatusEnum::CREATED | ContainerStateStatusEnum::EMPTY) | None => {
            ContainerState::Created
        }
    };
    let finished = matches!(status, ContainerState::Exited | ContainerState::Dead);
    let health = state.health.and_then(|h| h.status).and_then(|h| match h {
        HealthStatusEnum::STARTING => Some(Health::Starting),
        HealthStatusEnum::HEALTHY => Some(Health::Healthy),
        HealthStatusEnum::UNHEALTHY => Some(Health::Unhealthy),
        HealthStatusEnum::NONE | HealthStatusEnum::EMPTY => None,
    });
    let config = inspect.config.unwrap_or_default();
    let host_network =
        inspect.host_config.as_ref().and_then(|h| h.network_mode.as_deref()) == Some("host");
    let bindings = if host_network {
        // Nothing is published in host mode; the exposed ports are the host's own.
        let mut res: Vec<Binding> = config
            .exposed_ports
            .iter()
            .flatten()
            .filter_map(|key| parse_port_key(key))
            .map(|(port, protocol)| Binding {
                container_port: port,
                host_port: port,
                protocol,
                host_ip: "0.0.0.0".to_string(),
            })
            .collect();
        res.sort_by(binding_order);
        res
    } else {
        bindings_from(inspect.network_settings.and_then(|n| n.ports).as_ref())
    };
    let started_at = state.started_at.as_deref().and_then(parse_docker_time);
    // Docker stamps StartedAt after the start call returns, so a process that exits at once
    // can "finish" a millisecond before it "started". Never report that.
    let finished_at = state
        .finished_at
        .as_deref()
        .and_then(parse_docker_time)
        .map(|finished| started_at.map_or(finished, |started| finished.max(started)));
    ContainerStatus {
        id: inspect.id.unwrap_or_default(),
        name: inspect.name.map(|n| n.trim_start_matches('/').to_string()).unwrap_or_default(),
        labels: config.labels.unwrap_or_default().into_iter().collect(),
        state: status,
        exit_code: if finished { state.exit_code } else { None },
        oom_killed: state.oom_killed.unwrap_or(false),
        health,
        started_at,
        finished_at,
        bindings,
        image_id: inspect.image.filter(|i| !i.is_empty()),
        error: state.error.filter(|e| !e.is_empty()),
    }
}

fn parse_port_key(key: &str) -> Option<(u16, Protocol)> {
    let (port, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
    let protocol = match protocol {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        _ => return None,
    };
    Some((port.parse().ok()?, protocol))
}

/// IPv4 addresses before IPv6 ones, then by port: the first binding of a port is the one
/// ECS clients expect to see.
fn binding_order(a: &Binding, b: &Binding) -> std::cmp::Ordering {
    (a.container_port, a.protocol, a.host_ip.contains(':'), &a.host_ip, a.host_port).cmp(&(
        b.container_port,
        b.protocol,
        b.host_ip.contains(':'),
        &b.host_ip,
        b.host_port,
    ))
}

fn bindings_from(ports: Option<&PortMap>) -> Vec<Binding> {
    let mut res = Vec::new();
    for (key, bindings) in ports.into_iter().flatten() {
        let Some((container_port, protocol)) = parse_port_key(key) else {
            continue;
        };
        for binding in bindings.iter().flatten() {
            let Some(host_port) = binding.host_port.as_deref().and_then(|p| p.parse().ok()) else {
                continue;
            };
            res.push(Binding {
                container_port,
                host_port,
                protocol,
                host_ip: binding.host_ip.clone().unwrap_or_default(),
            });
        }
    }
    res.sort_by(binding_order);
    res
}

/// Seconds since the epoch of an RFC 3339 time as Docker writes it
/// (`2024-05-01T12:00:00.123456789Z`, or with a `+hh:mm` offset). Docker's zero time
/// (`0001-01-01T00:00:00Z`), meaning "never", and anything unparsable give `None`.
fn parse_docker_time(text: &str) -> Option<f64> {
    let (date, rest) = text.split_once('T')?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    if year <= 1 {
        return None;
    }
    let (clock, offset_secs) = if let Some(clock) = rest.strip_suffix('Z') {
        (clock, 0)
    } else {
        let split = rest.rfind(['+', '-'])?;
        let (clock, offset) = rest.split_at(split);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = offset[1..].split_once(':')?;
        let offset = hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60;
        (clock, sign * offset)
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms_parts = hms.splitn(3, ':');
    let hour: i64 = hms_parts.next()?.parse().ok()?;
    let minute: i64 = hms_parts.next()?.parse().ok()?;
    let second: i64 = hms_parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let fraction: f64 = if fraction.is_empty() {
        0.0
    } else if fraction.bytes().all(|b| b.is_ascii_digit()) {
        format!("0.{fraction}").parse().ok()?
    } else {
        return None;
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(secs as f64 + fraction)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The runtime event of a Docker event, if it is one the agent cares about.
fn runtime_event(message: &EventMessage) -> Option<RuntimeEvent> {
    if message.typ != Some(EventMessageTypeEnum::CONTAINER) {
        return None;
    }
    let action = message.action.as_deref()?;
    let kind = match action {
        "start" => EventKind::Start,
        "die" => EventKind::Die,
        "oom" => EventKind::Oom,
        "destroy" => EventKind::Destroy,
        // `health_status: healthy` and friends.
        _ if action.starts_with("health_status") => EventKind::HealthChanged,
        _ => return None,
    };
    let actor = message.actor.as_ref()?;
    let container_id = actor.id.clone()?;
    let task_arn = actor.attributes.as_ref().and_then(|a| a.get(labels::TASK_ARN)).cloned();
    Some(RuntimeEvent { container_id, kind, task_arn })
}

/// CPU units (1024 per core) and memory from a stats sample; `None` for a container that is
/// not running (Docker then sends empty stats).
///
/// CPU: the container's share of all host CPU time between the two samples Docker took,
/// times the number of CPUs, times 1024. Memory: usage minus the inactive page cache, as
/// `docker stats` shows it (cgroup v1 `total_inactive_file`, v2 `inactive_file`).
fn container_stats(sample: &ContainerStatsResponse) -> Option<ContainerStats> {
    let memory = sample.memory_stats.as_ref()?;
    let usage = memory.usage?;
    let inactive = memory
        .stats
        .as_ref()
        .and_then(|s| s.get("total_inactive_file").or_else(|| s.get("inactive_file")).copied())
        .unwrap_or(0);
    let cpu = sample.cpu_stats.as_ref();
    let precpu = sample.precpu_stats.as_ref();
    let total = |s: Option<&bollard::models::ContainerCpuStats>| {
        s.and_then(|s| s.cpu_usage.as_ref()).and_then(|u| u.total_usage).unwrap_or(0)
    };
    let system = |s: Option<&bollard::models::ContainerCpuStats>| {
        s.and_then(|s| s.system_cpu_usage).unwrap_or(0)
    };
    let cpu_delta = total(cpu).saturating_sub(total(precpu));
    let system_delta = system(cpu).saturating_sub(system(precpu));
    let cpus = cpu
        .and_then(|s| s.online_cpus.filter(|n| *n > 0))
        .or_else(|| {
            cpu.and_then(|s| s.cpu_usage.as_ref())
                .and_then(|u| u.percpu_usage.as_ref())
                .and_then(|p| u32::try_from(p.len()).ok())
        })
        .unwrap_or(1);
    let cpu_units = if system_delta > 0 && total(precpu) > 0 {
        cpu_delta as f64 / system_delta as f64 * f64::from(cpus) * 1024.0
    } else {
        0.0
    };
    Some(ContainerStats { cpu_units, memory_bytes: usage.saturating_sub(inactive) })
}

/// The reference with `:latest` added when it has neither tag nor digest: Docker's pull API
/// fetches every tag of a bare repository name.
fn with_default_tag(image: &str) -> String {
    if image.contains('@') || last_component(image).contains(':') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

fn last_component(image: &str) -> &str {
    image.rsplit('/').next().unwrap_or(image)
}

/// The repository part of a reference: without tag or digest.
fn repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match last_component(without_digest).rfind(':') {
        Some(colon) => {
            let cut = without_digest.len() - last_component(without_digest).len() + colon;
            &without_digest[..cut]
        }
        None => without_digest,
    }
}

/// The `repo@sha256:...` digest of the image's own repository, if it came from a registry.
fn pick_digest(image: &str, repo_digests: &[String]) -> Option<String> {
    let wanted = repository(image);
    let familiar = |repo: &str| {
        // Docker Hub references are shown short: `library/nginx` and `docker.io/x` are `nginx`, `x`.
        repo.trim_start_matches("docker.io/").trim_start_matches("library/").to_string()
    };
    // No fallback to another repository's digest: images with the same content share one
    // list, so a locally built image can carry the digest of some other name's push.
    repo_digests.iter().find(|d| familiar(repository(d)) == familiar(wanted)).cloned()
}

mod cgroup;
mod netns;

#[cfg(test)]
mod tests;
