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
//! Start delays and a start failure rate are configurable. All timing uses tokio's clock, so
//! tests can run it under paused time.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use parking_lot::Mutex;
use tokio::sync::broadcast;

use crate::runtime::{
    ContainerSpec, ContainerState, ContainerStats, ContainerStatus, EventKind, Health, ImageInfo,
    LogLine, Runtime, RuntimeError, RuntimeEvent, RuntimeInfo, VolumeSpec,
};
use crate::task::epoch_now;

/// How the simulated runtime behaves.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub cpus: u32,
    pub memory_bytes: u64,
    /// How long `start` takes.
    pub start_delay: Duration,
    /// How long `stop` takes for a container that honours SIGTERM.
    pub stop_delay: Duration,
    /// The probability (0 to 1) that a `start` fails.
    pub start_failure_rate: f64,
    /// Containers ignore SIGTERM and are killed when the stop timeout ends.
    pub ignore_sigterm: bool,
    pub seed: u64,
}

impl Default for SimOptions {
    fn default() -> SimOptions {
        SimOptions {
            cpus: 4,
            memory_bytes: 8 << 30,
            start_delay: Duration::ZERO,
            stop_delay: Duration::ZERO,
            start_failure_rate: 0.0,
            ignore_sigterm: false,
            seed: 1,
        }
    }
}

#[derive(Debug, Clone)]
struct Container {
    spec: ContainerSpec,
    state: ContainerState,
    exit_code: Option<i64>,
    health: Option<Health>,
    started_at: Option<f64>,
    finished_at: Option<f64>,
    error: Option<String>,
    host_ports: Vec<crate::runtime::Binding>,
}

struct Inner {
    containers: HashMap<String, Container>,
    next_id: u64,
    next_port: u16,
    random: u64,
}

/// The simulated runtime. Cheap to clone; clones share their containers.
#[derive(Clone)]
pub struct SimRuntime {
    options: SimOptions,
    inner: Arc<Mutex<Inner>>,
    events: broadcast::Sender<RuntimeEvent>,
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
        let (events, _) = broadcast::channel(4096);
        let random = options.seed.max(1);
        SimRuntime {
            options,
            inner: Arc::new(Mutex::new(Inner {
                containers: HashMap::new(),
                next_id: 1,
                next_port: 49153,
                random,
            })),
            events,
        }
    }

    fn emit(&self, id: &str, kind: EventKind) {
        let _ = self.events.send(RuntimeEvent { container_id: id.to_owned(), kind });
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
                spec: spec.clone(),
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

    async fn start(&self, id: &str) -> Result<(), RuntimeError> {
        if !self.options.start_delay.is_zero() {
            tokio::time::sleep(self.options.start_delay).await;
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
            (exit_code_of(&c.spec), c.spec.health_check.clone())
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
        let removed = self.inner.lock().containers.remove(id).is_some();
        if removed {
            self.emit(id, EventKind::Destroy);
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

    async fn create_volume(&self, _spec: &VolumeSpec) -> Result<(), RuntimeError> {
        Ok(())
    }

    async fn remove_volume(&self, _name: &str) -> Result<(), RuntimeError> {
        Ok(())
    }

    fn events(
        &self,
        labels: &[(&str, &str)],
    ) -> BoxStream<'static, Result<RuntimeEvent, RuntimeError>> {
        let wanted: BTreeMap<String, String> =
            labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let inner = self.inner.clone();
        let receiver = self.events.subscribe();
        futures::stream::unfold(receiver, |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(event) => return Some((event, receiver)),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
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
                memory_bytes: c.spec.memory_reservation_mib.or(c.spec.memory_mib).unwrap_or(0)
                    as u64
                    * 1024
                    * 1024
                    / 2,
            }
        }))
    }
}
