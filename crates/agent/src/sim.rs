//! A SIMULATED container runtime: containers that exist only in memory. It is the real agent's
//! runtime swapped out, for fast deterministic tests of control-plane logic and for scale
//! simulations with thousands of agents in one process. Nothing Berth claims about real
//! containers is tested with it; those claims are tested on Docker.
//!
//! Containers behave according to their command, so task definitions written for busybox
//! mean the same thing here:
//! - a command containing `exit N` exits with code N right after starting;
//! - anything else runs until stopped (stop gives exit code 143, or 137 when
//!   `ignore_sigterm` is set and the timeout passes) or until a test kills it;
//! - a health check whose test contains `exit 1` or `false` makes the container unhealthy,
//!   any other health check makes it healthy after its start period.
//!
//! Pull delays, start delays (with jitter), stop delays and a start failure rate are
//! configurable. All timing
//! uses tokio's clock, so tests can run it under paused time. A runtime costs little when idle
//! (a small event buffer, no timers), so thousands fit in one process; an observer can learn
//! when each container started, for latency figures.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use parking_lot::Mutex;
use tokio::sync::{broadcast, mpsc};

use crate::runtime::{
    ContainerSpec, ContainerState, ContainerStats, ContainerStatus, EventKind, Health, ImageInfo,
    LogLine, Runtime, RuntimeError, RuntimeEvent, RuntimeInfo, VolumeInfo, VolumeSpec,
};
use crate::task::epoch_now;

/// How the simulated runtime behaves.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub cpus: u32,
    pub memory_bytes: u64,
    /// How long `pull` takes.
    pub pull_delay: Duration,
    /// How long `start` takes, at least.
    pub start_delay: Duration,
    /// Up to this much more, drawn uniformly for each start.
    pub start_jitter: Duration,
    /// How long `stop` takes for a container that honours SIGTERM.
    pub stop_delay: Duration,
    /// The probability (0 to 1) that a `start` fails.
    pub start_failure_rate: f64,
    /// Containers ignore SIGTERM and are killed when the stop timeout ends.
    pub ignore_sigterm: bool,
    pub seed: u64,
    /// Events buffered for a slow subscriber. A subscriber that falls further behind is told
    /// that it missed events (see [`SimRuntime::events`]), so a small buffer loses nothing but
    /// costs little, which matters with thousands of runtimes in one process.
    pub event_buffer: usize,
}

impl Default for SimOptions {
    fn default() -> SimOptions {
        SimOptions {
            cpus: 4,
            memory_bytes: 8 << 30,
            pull_delay: Duration::ZERO,
            start_delay: Duration::ZERO,
            start_jitter: Duration::ZERO,
            stop_delay: Duration::ZERO,
            start_failure_rate: 0.0,
            ignore_sigterm: false,
            seed: 1,
            event_buffer: 64,
        }
    }
}

#[derive(Debug, Clone)]
struct Container {
    spec: KeptSpec,
    state: ContainerState,
    exit_code: Option<i64>,
    health: Option<Health>,
    started_at: Option<f64>,
    finished_at: Option<f64>,
    error: Option<String>,
    host_ports: Vec<crate::runtime::Binding>,
}

/// What the simulation keeps of a container's spec; the rest matters only to a real runtime
/// (keeping less keeps a simulated fleet of 100,000 containers small).
#[derive(Debug, Clone)]
struct KeptSpec {
    name: String,
    image: String,
    labels: BTreeMap<String, String>,
    health_check: Option<crate::runtime::HealthCheckSpec>,
    /// The code it exits with as soon as it starts (its command says `exit N`).
    exit_at_start: Option<i64>,
    memory_mib: Option<i64>,
}

impl KeptSpec {
    fn of(spec: &ContainerSpec) -> KeptSpec {
        KeptSpec {
            name: spec.name.clone(),
            image: spec.image.clone(),
            labels: spec.labels.clone(),
            health_check: spec.health_check.clone(),
            exit_at_start: exit_code_of(spec),
            memory_mib: spec.memory_reservation_mib.or(spec.memory_mib),
        }
    }
}

impl Container {
    fn task_arn(&self) -> Option<String> {
        self.spec.labels.get(crate::runtime::labels::TASK_ARN).cloned()
    }
}

struct Inner {
    containers: HashMap<String, Container>,
    /// Volumes by name, with their labels.
    volumes: HashMap<String, BTreeMap<String, String>>,
    next_id: u64,
    next_port: u16,
    random: u64,
    /// How many pulls began.
    pulls: u64,
}

/// A container started, as a [`SimRuntime`] observer learns it.
#[derive(Debug, Clone)]
pub struct ContainerStarted {
    /// The task's ARN (the container's `berth.task-arn` label).
    pub task_arn: String,
    /// The container's name in the task definition.
    pub container_name: String,
    pub container_id: String,
    /// When `start` made it running (tokio's clock).
    pub at: tokio::time::Instant,
}

/// The simulated runtime. Cheap to clone; clones share their containers.
#[derive(Clone)]
pub struct SimRuntime {
    options: SimOptions,
    inner: Arc<Mutex<Inner>>,
    events: broadcast::Sender<RuntimeEvent>,
    started: Option<mpsc::UnboundedSender<ContainerStarted>>,
}

fn exit_code_of(spec: &ContainerSpec) -> Option<i64> {
    let words: Vec<&str> = spec
        .entrypoint
        .iter()
        .flatten()
        .chain(spec.command.iter().flatten())
        .flat_map(|part| part.split_whitespace())
        .collect();
    words
        .windows(2)
        .find(|w| w[0] == "exit")
        .and_then(|w| w[1].trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
}

impl SimRuntime {
    pub fn new(options: SimOptions) -> SimRuntime {
        let (events, _) = broadcast::channel(options.event_buffer.max(1));
        let random = options.seed.max(1);
        SimRuntime {
            options,
            inner: Arc::new(Mutex::new(Inner {
                containers: HashMap::new(),
                volumes: HashMap::new(),
                next_id: 1,
                next_port: 49153,
                random,
                pulls: 0,
            })),
            events,
            started: None,
        }
    }

    /// Tells `observer` of every container this runtime (and its clones made afterwards)
    /// starts.
    pub fn with_start_observer(
        mut self,
        observer: mpsc::UnboundedSender<ContainerStarted>,
    ) -> SimRuntime {
        self.started = Some(observer);
        self
    }

    fn emit(&self, id: &str, kind: EventKind) {
        let task_arn = self.inner.lock().containers.get(id).and_then(Container::task_arn);
        self.emit_for(id, kind, task_arn);
    }

    fn emit_for(&self, id: &str, kind: EventKind, task_arn: Option<String>) {
        let _ = self.events.send(RuntimeEvent { container_id: id.to_owned(), kind, task_arn });
    }

    /// Kills a running container as if its process died with `exit_code`.
    pub fn kill(&self, id: &str, exit_code: i64) -> bool {
        let killed = {
            let mut inner = self.inner.lock();
            match inner.containers.get_mut(id) {
                Some(c) if c.state == ContainerState::Running => {
                    c.state = ContainerState::Exited;
                    c.exit_code = Some(exit_code);
                    c.finished_at = Some(epoch_now());
                    true
                }
                _ => false,
            }
        };
        if killed {
            self.emit(id, EventKind::Die);
        }
        killed
    }

    /// Sets a running container's health, as a failing or recovering health check would.
    pub fn set_health(&self, id: &str, health: Health) {
        if let Some(c) = self.inner.lock().containers.get_mut(id) {
            c.health = Some(health);
        }
        self.emit(id, EventKind::HealthChanged);
    }

    /// The ids of the running containers carrying a label.
    pub fn running_with_label(&self, name: &str, value: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .inner
            .lock()
            .containers
            .iter()
            .filter(|(_, c)| {
                c.state == ContainerState::Running
                    && c.spec.labels.get(name).is_some_and(|v| v == value)
            })
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// How many containers exist.
    pub fn container_count(&self) -> usize {
        self.inner.lock().containers.len()
    }

    /// How many image pulls began.
    pub fn pull_count(&self) -> u64 {
        self.inner.lock().pulls
    }

    fn roll(&self) -> f64 {
        let mut inner = self.inner.lock();
        // xorshift64*: a small deterministic generator.
        let mut x = inner.random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        inner.random = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn status(id: &str, c: &Container) -> ContainerStatus {
        ContainerStatus {
            id: id.to_owned(),
            name: c.spec.name.clone(),
            labels: c.spec.labels.clone(),
            state: c.state,
            exit_code: c.exit_code,
            oom_killed: false,
            health: c.health,
            started_at: c.started_at,
            finished_at: c.finished_at,
            bindings: if c.state == ContainerState::Running {
                c.host_ports.clone()
            } else {
                Vec::new()
            },
            image_id: Some(format!("sha256:sim-{}", c.spec.image)),
            error: c.error.clone(),
        }
    }
}

#[async_trait::async_trait]
impl Runtime for SimRuntime {
    async fn info(&self) -> Result<RuntimeInfo, RuntimeError> {
        Ok(RuntimeInfo {
            version: "sim".to_owned(),
            api_version: "1.41".to_owned(),
            cpus: self.options.cpus,
            memory_bytes: self.options.memory_bytes,
            os_type: "linux".to_owned(),
            architecture: "x86_64".to_owned(),
        })
    }

    async fn image(&self, image: &str) -> Result<Option<ImageInfo>, RuntimeError> {
        Ok(Some(ImageInfo { id: format!("sha256:sim-{image}"), digest: None }))
    }

    async fn pull(&self, image: &str) -> Result<ImageInfo, RuntimeError> {
        self.inner.lock().pulls += 1;
        if !self.options.pull_delay.is_zero() {
            tokio::time::sleep(self.options.pull_delay).await;
        }
        Ok(ImageInfo { id: format!("sha256:sim-{image}"), digest: None })
    }

    async fn create(&self, spec: &ContainerSpec) -> Result<String, RuntimeError> {
        let mut inner = self.inner.lock();
        if inner.containers.values().any(|c| c.spec.name == spec.name) {
            return Err(RuntimeError::Refused {
                operation: "create",
                message: format!("the name {} is in use", spec.name),
            });
        }
        let id = format!("sim{:012}", inner.next_id);
        inner.next_id += 1;
        let mut host_ports = Vec::new();
        for port in &spec.ports {
            let host_port = match port.host_port {
                Some(p) => p,
                None => {
                    inner.next_port =
                        if inner.next_port == u16::MAX { 49153 } else { inner.next_port + 1 };
                    inner.next_port
                }
            };
            host_ports.push(crate::runtime::Binding {
                container_port: port.container_port,
                host_port,
                protocol: port.protocol,
                host_ip: port.host_ip.clone().unwrap_or_else(|| "0.0.0.0".to_owned()),
            });
        }
        inner.containers.insert(
            id.clone(),
            Container {
                spec: KeptSpec::of(spec),
                state: ContainerState::Created,
                exit_code: None,
                health: None,
                started_at: None,
                finished_at: None,
                error: None,
                host_ports,
            },
        );
        Ok(id)
    }

    /// A simulated network container: created and started like any other, holding nothing.
    async fn network_up(
        &self,
        name: &str,
        labels: &BTreeMap<String, String>,
        _spec: &api::agent::TaskNetworkSpec,
    ) -> Result<String, RuntimeError> {
        let spec = ContainerSpec {
            name: name.to_owned(),
            image: "berth/pause:1".to_owned(),
            labels: labels.clone(),
            network: crate::runtime::Network::None,
            ..ContainerSpec::default()
        };
        let id = self.create(&spec).await?;
        self.start(&id).await?;
        Ok(id)
    }

    async fn start(&self, id: &str) -> Result<(), RuntimeError> {
        let mut delay = self.options.start_delay;
        if !self.options.start_jitter.is_zero() {
            delay += self.options.start_jitter.mul_f64(self.roll());
        }
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let fails =
            self.options.start_failure_rate > 0.0 && self.roll() < self.options.start_failure_rate;
        let (exit, health_spec) = {
            let mut inner = self.inner.lock();
            let c = inner
                .containers
                .get_mut(id)
                .ok_or_else(|| RuntimeError::NoSuchContainer(id.to_owned()))?;
            if fails {
                c.state = ContainerState::Exited;
                c.exit_code = Some(128);
                c.error = Some("simulated start failure".to_owned());
                return Err(RuntimeError::Refused {
                    operation: "start",
                    message: "simulated start failure".to_owned(),
                });
            }
            c.state = ContainerState::Running;
            c.started_at = Some(epoch_now());
            c.health = c.spec.health_check.as_ref().map(|_| Health::Starting);
            if let Some(observer) = &self.started {
                let label = |name: &str| c.spec.labels.get(name).cloned().unwrap_or_default();
                let _ = observer.send(ContainerStarted {
                    task_arn: label(crate::runtime::labels::TASK_ARN),
                    container_name: label(crate::runtime::labels::CONTAINER_NAME),
                    container_id: id.to_owned(),
                    at: tokio::time::Instant::now(),
                });
            }
            (c.spec.exit_at_start, c.spec.health_check.clone())
        };
        self.emit(id, EventKind::Start);
        if let Some(code) = exit {
            self.kill(id, code);
        } else if let Some(check) = health_spec {
            let healthy = !check.test.iter().any(|t| t.contains("exit 1") || t.contains("false"));
            let me = self.clone();
            let id = id.to_owned();
            tokio::spawn(async move {
                tokio::time::sleep(
                    check.start_period.max(check.interval.min(Duration::from_secs(1))),
                )
                .await;
                let running = me
                    .inner
                    .lock()
                    .containers
                    .get(&id)
                    .is_some_and(|c| c.state == ContainerState::Running);
                if running {
                    me.set_health(&id, if healthy { Health::Healthy } else { Health::Unhealthy });
                }
            });
        }
        Ok(())
    }

    async fn stop(&self, id: &str, timeout: Duration) -> Result<(), RuntimeError> {
        let running = self
            .inner
            .lock()
            .containers
            .get(id)
            .is_some_and(|c| c.state == ContainerState::Running);
        if !running {
            return Ok(());
        }
        let (delay, code) = if self.options.ignore_sigterm {
            (timeout, 137)
        } else {
            (self.options.stop_delay.min(timeout), 143)
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        self.kill(id, code);
        Ok(())
    }

    async fn remove(&self, id: &str) -> Result<(), RuntimeError> {
        let removed = self.inner.lock().containers.remove(id);
        if let Some(container) = removed {
            self.emit_for(id, EventKind::Destroy, container.task_arn());
        }
        Ok(())
    }

    async fn inspect(&self, id: &str) -> Result<Option<ContainerStatus>, RuntimeError> {
        Ok(self.inner.lock().containers.get(id).map(|c| SimRuntime::status(id, c)))
    }

    async fn list(&self, labels: &[(&str, &str)]) -> Result<Vec<ContainerStatus>, RuntimeError> {
        let inner = self.inner.lock();
        let mut found: Vec<ContainerStatus> = inner
            .containers
            .iter()
            .filter(|(_, c)| {
                labels.iter().all(|(k, v)| c.spec.labels.get(*k).is_some_and(|x| x == v))
            })
            .map(|(id, c)| SimRuntime::status(id, c))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found)
    }

    /// As Docker: a volume that exists already is left as it is.
    async fn create_volume(&self, spec: &VolumeSpec) -> Result<(), RuntimeError> {
        self.inner.lock().volumes.entry(spec.name.clone()).or_insert_with(|| spec.labels.clone());
        Ok(())
    }

    async fn remove_volume(&self, name: &str) -> Result<(), RuntimeError> {
        self.inner.lock().volumes.remove(name);
        Ok(())
    }

    async fn volume(&self, name: &str) -> Result<Option<VolumeInfo>, RuntimeError> {
        let inner = self.inner.lock();
        let labels = inner.volumes.get(name).cloned();
        Ok(labels.map(|labels| VolumeInfo { name: name.to_owned(), labels }))
    }

    /// Events as they happen. A subscriber that fell more than `event_buffer` events behind
    /// gets, in place of the ones it missed, one event of a container that does not exist
    /// (an empty id): the agent cannot tell which of its tasks it concerns and wakes them all.
    fn events(
        &self,
        labels: &[(&str, &str)],
    ) -> BoxStream<'static, Result<RuntimeEvent, RuntimeError>> {
        let wanted: BTreeMap<String, String> =
            labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let inner = self.inner.clone();
        let receiver = self.events.subscribe();
        futures::stream::unfold(receiver, |mut receiver| async move {
            match receiver.recv().await {
                Ok(event) => Some((event, receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => Some((
                    RuntimeEvent {
                        container_id: String::new(),
                        kind: EventKind::Die,
                        task_arn: None,
                    },
                    receiver,
                )),
                Err(broadcast::error::RecvError::Closed) => None,
            }
        })
        .filter(move |event| {
            let inner = inner.lock();
            let matches = match inner.containers.get(&event.container_id) {
                Some(c) => wanted.iter().all(|(k, v)| c.spec.labels.get(k) == Some(v)),
                // A destroyed container: let it through; the agent looks it up.
                None => true,
            };
            futures::future::ready(matches)
        })
        .map(Ok)
        .boxed()
    }

    /// A simulated container writes one line when it starts.
    fn logs(
        &self,
        id: &str,
        _since: Option<i64>,
    ) -> BoxStream<'static, Result<LogLine, RuntimeError>> {
        let line = self.inner.lock().containers.get(id).map(|c| LogLine {
            timestamp: (c.started_at.unwrap_or_default() * 1000.0) as i64,
            stderr: false,
            message: format!("simulated container {} started", c.spec.name),
        });
        futures::stream::iter(line.map(Ok)).boxed()
    }

    async fn stats(&self, id: &str) -> Result<Option<ContainerStats>, RuntimeError> {
        let inner = self.inner.lock();
        Ok(inner.containers.get(id).filter(|c| c.state == ContainerState::Running).map(|c| {
            ContainerStats {
                cpu_units: 0.0,
                memory_bytes: c.spec.memory_mib.unwrap_or(0) as u64 * 1024 * 1024 / 2,
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, task: &str) -> ContainerSpec {
        ContainerSpec {
            name: name.to_owned(),
            image: "busybox".to_owned(),
            labels: [
                (crate::runtime::labels::TASK_ARN.to_owned(), task.to_owned()),
                (crate::runtime::labels::CONTAINER_NAME.to_owned(), "app".to_owned()),
            ]
            .into(),
            ..ContainerSpec::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_observer_learns_each_start_after_the_delay() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let options = SimOptions {
            start_delay: Duration::from_millis(100),
            start_jitter: Duration::from_millis(50),
            ..SimOptions::default()
        };
        let runtime = SimRuntime::new(options).with_start_observer(tx);
        let id = runtime.create(&spec("a", "arn:task/1")).await.unwrap();
        let before = tokio::time::Instant::now();
        runtime.start(&id).await.unwrap();
        let started = rx.try_recv().unwrap();
        assert_eq!(started.task_arn, "arn:task/1");
        assert_eq!(started.container_name, "app");
        assert_eq!(started.container_id, id);
        let waited = started.at - before;
        assert!(waited >= Duration::from_millis(100) && waited <= Duration::from_millis(150));
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_it_missed_events() {
        let runtime = SimRuntime::new(SimOptions { event_buffer: 2, ..SimOptions::default() });
        let mut events = runtime.events(&[]);
        for n in 0..5 {
            let id = runtime.create(&spec(&format!("c{n}"), "arn:task/1")).await.unwrap();
            runtime.start(&id).await.unwrap();
        }
        let first = events.next().await.unwrap().unwrap();
        assert_eq!(first.container_id, "", "the missed events are one wake-everything event");
        let next = events.next().await.unwrap().unwrap();
        assert!(runtime.inspect(&next.container_id).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn events_name_the_task_of_their_container_even_once_it_is_gone() {
        let runtime = SimRuntime::new(SimOptions::default());
        let mut events = runtime.events(&[]);
        let id = runtime.create(&spec("app", "arn:task/7")).await.unwrap();
        runtime.start(&id).await.unwrap();
        runtime.kill(&id, 1);
        runtime.remove(&id).await.unwrap();
        let mut seen = Vec::new();
        for _ in 0..3 {
            let event = events.next().await.unwrap().unwrap();
            seen.push((event.kind, event.task_arn));
        }
        let task = Some("arn:task/7".to_owned());
        assert_eq!(
            seen,
            vec![
                (EventKind::Start, task.clone()),
                (EventKind::Die, task.clone()),
                (EventKind::Destroy, task)
            ]
        );
    }
}
