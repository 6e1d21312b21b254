//! SIMULATED agents at scale: a [`Fleet`] runs thousands of real node agents in this process
//! against a real control plane, each on its own simulated container runtime
//! (`agent::sim::SimRuntime`: containers that exist only in memory) and registered as its own
//! container instance. The agents' code is the real one; only the containers are simulated, so
//! a fleet exercises the control plane (registration, long polls, placement, reports) at a
//! scale no test machine could run containers for. Nothing it shows is a claim about real
//! containers; those are tested on Docker.
//!
//! `berth sim` runs a fleet until interrupted; benchmarks and tests use [`Fleet`] directly.
//! This file depends on nothing else of the binary, so integration tests include it as is.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use agent::agent::{Agent, AgentConfig};
use agent::runtime::{ContainerState, Runtime as _, labels};
use agent::sim::{ContainerStarted, SimOptions, SimRuntime};

/// An instance type a simulated agent registers as: its name and the CPU and memory it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InstanceShape {
    pub(crate) instance_type: String,
    pub(crate) cpus: u32,
    pub(crate) memory_gib: u64,
}

impl InstanceShape {
    pub(crate) fn new(instance_type: &str, cpus: u32, memory_gib: u64) -> InstanceShape {
        InstanceShape { instance_type: instance_type.to_owned(), cpus, memory_gib }
    }

    /// A mix of common EC2 types: general purpose, compute and memory optimized.
    pub(crate) fn mix() -> Vec<InstanceShape> {
        vec![
            InstanceShape::new("m5.large", 2, 8),
            InstanceShape::new("m5.xlarge", 4, 16),
            InstanceShape::new("c5.2xlarge", 8, 16),
            InstanceShape::new("r5.large", 2, 16),
        ]
    }
}

/// `TYPE:VCPUS:GIB`, e.g. `m5.large:2:8`.
impl FromStr for InstanceShape {
    type Err = String;

    fn from_str(text: &str) -> Result<InstanceShape, String> {
        let wrong = || format!("`{text}` is not TYPE:VCPUS:GIB (e.g. m5.large:2:8)");
        let mut parts = text.split(':');
        let (Some(name), Some(cpus), Some(memory), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(wrong());
        };
        let cpus: u32 = cpus.parse().map_err(|_| wrong())?;
        let memory_gib: u64 = memory.parse().map_err(|_| wrong())?;
        if name.is_empty() || cpus == 0 || memory_gib == 0 {
            return Err(wrong());
        }
        Ok(InstanceShape::new(name, cpus, memory_gib))
    }
}

/// The zones a fleet spreads over unless told otherwise.
pub(crate) const DEFAULT_ZONES: &[&str] = &["us-east-1a", "us-east-1b", "us-east-1c"];

/// The custom attribute every simulated container instance carries (value `true`), so that
/// nobody mistakes one for a real host.
pub(crate) const SIMULATED_ATTRIBUTE: &str = "berth.simulated";

/// How a fleet runs.
#[derive(Debug, Clone)]
pub(crate) struct FleetOptions {
    /// The control plane's URL.
    pub(crate) server: String,
    pub(crate) cluster: String,
    /// The cluster's agent token.
    pub(crate) token: String,
    pub(crate) agents: usize,
    /// Agent `i` is in zone `zones[i % zones.len()]`.
    pub(crate) zones: Vec<String>,
    /// Agent `i` has shape `shapes[(i / zones.len()) % shapes.len()]`, so every zone gets
    /// every shape.
    pub(crate) shapes: Vec<InstanceShape>,
    /// How long a simulated container takes to start, at least ...
    pub(crate) start_delay: Duration,
    /// ... plus up to this much, drawn for each start.
    pub(crate) start_jitter: Duration,
    /// How long a simulated container takes to stop after SIGTERM.
    pub(crate) stop_delay: Duration,
    /// The probability (0 to 1) that a container fails to start.
    pub(crate) failure_rate: f64,
    pub(crate) seed: u64,
    /// Agents registering at once; the next agent starts when one is registered. Starting
    /// them all at once would overflow the server's accept queue and wait on SYN retries.
    pub(crate) concurrent_registrations: usize,
    /// How long the control plane may hold each agent's poll.
    pub(crate) poll_wait: Duration,
    /// How often each agent samples and reports its tasks' resource use. Long by default: with
    /// thousands of agents the reports are load on the control plane that tells nothing.
    pub(crate) usage_interval: Duration,
    /// How long a stopped task's containers are kept after the control plane forgets it.
    pub(crate) cleanup_wait: Duration,
    /// How often each agent checks a settled task without a runtime event (a real agent: 5 s).
    /// Longer by default: with a hundred thousand tasks in one process the checks find nothing
    /// the runtime's events did not already say, and cost most of a core.
    pub(crate) settled_check_interval: Duration,
    /// How often each agent may save its log cursors to its state directory (a real agent:
    /// 2 s). Longer by default: thousands of agents creating files is load on this process
    /// only (at 30 s it was a sixth of the fleet's CPU in a 5,000-instance `e2e-launch`).
    pub(crate) log_cursor_save_interval: Duration,
    /// SIGTERM to SIGKILL for containers without a `stopTimeout`.
    pub(crate) stop_timeout: Duration,
    /// Told of every container any agent of the fleet starts.
    pub(crate) starts: Option<mpsc::UnboundedSender<ContainerStarted>>,
    /// More attributes every agent registers (a Fargate pool host's capacity provider).
    pub(crate) attributes: Vec<(String, Option<String>)>,
}

impl FleetOptions {
    /// `agents` agents over [`DEFAULT_ZONES`] and [`InstanceShape::mix`], with containers that
    /// start and stop at once and never fail.
    pub(crate) fn new(server: &str, cluster: &str, token: &str, agents: usize) -> FleetOptions {
        FleetOptions {
            server: server.to_owned(),
            cluster: cluster.to_owned(),
            token: token.to_owned(),
            agents,
            zones: DEFAULT_ZONES.iter().map(|z| (*z).to_owned()).collect(),
            shapes: InstanceShape::mix(),
            start_delay: Duration::ZERO,
            start_jitter: Duration::ZERO,
            stop_delay: Duration::ZERO,
            failure_rate: 0.0,
            seed: 1,
            concurrent_registrations: 256,
            poll_wait: Duration::from_secs(10),
            usage_interval: Duration::from_secs(300),
            cleanup_wait: Duration::from_secs(60),
            settled_check_interval: Duration::from_secs(30),
            log_cursor_save_interval: Duration::from_secs(300),
            stop_timeout: Duration::from_secs(30),
            starts: None,
            attributes: Vec::new(),
        }
    }
}

/// One simulated host of a fleet.
pub(crate) struct SimInstance {
    pub(crate) index: usize,
    pub(crate) zone: String,
    pub(crate) shape: InstanceShape,
    /// The host's containers.
    pub(crate) runtime: SimRuntime,
    registration: watch::Receiver<Option<String>>,
}

impl SimInstance {
    /// The container instance ARN, once registered.
    pub(crate) fn arn(&self) -> Option<String> {
        self.registration.borrow().clone()
    }
}

/// A container a fleet killed.
#[derive(Debug, Clone)]
pub(crate) struct Killed {
    /// The index of its instance in [`Fleet::instances`].
    pub(crate) instance: usize,
    pub(crate) task_arn: String,
    pub(crate) container_name: String,
    pub(crate) container_id: String,
    pub(crate) exit_code: i64,
    /// Just before the kill.
    pub(crate) at: Instant,
}

/// Simulated agents running in this process. Dropping a fleet stops its agents; [`Fleet::stop`]
/// also waits for them.
pub(crate) struct Fleet {
    instances: Vec<SimInstance>,
    shutdown: watch::Sender<bool>,
    launcher: Option<JoinHandle<()>>,
    agents: Arc<Mutex<Vec<JoinHandle<()>>>>,
    random: Mutex<u64>,
    state: tempfile::TempDir,
}

impl Fleet {
    /// Starts the fleet's agents, `options.concurrent_registrations` at a time, in the
    /// background; [`Fleet::wait_registered`] waits until they have all registered.
    pub(crate) fn start(options: FleetOptions) -> anyhow::Result<Fleet> {
        if options.agents == 0 || options.zones.is_empty() || options.shapes.is_empty() {
            bail!("a fleet needs at least one agent, one zone and one instance shape");
        }
        let state = tempfile::Builder::new().prefix("berth-sim-").tempdir()?;
        let http = agent::client::http_client();
        let (shutdown, _) = watch::channel(false);
        let mut instances = Vec::with_capacity(options.agents);
        let mut agents = Vec::with_capacity(options.agents);
        for index in 0..options.agents {
            let zone = options.zones[index % options.zones.len()].clone();
            let shape =
                options.shapes[(index / options.zones.len()) % options.shapes.len()].clone();
            let seed = options.seed.wrapping_mul(1_000_003).wrapping_add(index as u64);
            let runtime = SimRuntime::new(SimOptions {
                cpus: shape.cpus,
                memory_bytes: shape.memory_gib << 30,
                start_delay: options.start_delay,
                start_jitter: options.start_jitter,
                stop_delay: options.stop_delay,
                start_failure_rate: options.failure_rate,
                seed,
                ..SimOptions::default()
            });
            let runtime = match &options.starts {
                Some(starts) => runtime.with_start_observer(starts.clone()),
                None => runtime,
            };
            let agent = Agent::new(
                agent_config(&options, index, &zone, &shape, state.path(), &http),
                Arc::new(runtime.clone()),
            );
            instances.push(SimInstance {
                index,
                zone,
                shape,
                runtime,
                registration: agent.registration(),
            });
            agents.push(agent);
        }
        let handles = Arc::new(Mutex::new(Vec::with_capacity(options.agents)));
        let launcher = tokio::spawn(launch(
            agents,
            options.concurrent_registrations.max(1),
            shutdown.subscribe(),
            handles.clone(),
        ));
        Ok(Fleet {
            instances,
            shutdown,
            launcher: Some(launcher),
            agents: handles,
            random: Mutex::new(options.seed.max(1)),
            state,
        })
    }

    pub(crate) fn instances(&self) -> &[SimInstance] {
        &self.instances
    }

    /// Where the agents keep their state (one directory each).
    pub(crate) fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// How many agents have registered so far.
    pub(crate) fn registered(&self) -> usize {
        self.instances.iter().filter(|i| i.registration.borrow().is_some()).count()
    }

    /// Waits until every agent has registered its container instance. Fails if an agent
    /// stopped before registering (a wrong token, an unknown cluster).
    pub(crate) async fn wait_registered(&self) -> anyhow::Result<()> {
        for instance in &self.instances {
            let mut registration = instance.registration.clone();
            registration.wait_for(Option::is_some).await.map_err(|_| {
                anyhow::anyhow!(
                    "simulated agent {} stopped before it registered (see its log)",
                    instance.index
                )
            })?;
        }
        Ok(())
    }

    /// Every running container of the fleet: (instance index, container id, task ARN,
    /// container name).
    pub(crate) async fn running(&self) -> Vec<(usize, String, String, String)> {
        let mut running = Vec::new();
        for instance in &self.instances {
            let Ok(containers) = instance.runtime.list(&[]).await else { continue };
            for container in containers {
                if container.state != ContainerState::Running {
                    continue;
                }
                let label = |name: &str| container.labels.get(name).cloned().unwrap_or_default();
                running.push((
                    instance.index,
                    container.id.clone(),
                    label(labels::TASK_ARN),
                    label(labels::CONTAINER_NAME),
                ));
            }
        }
        running
    }

    /// Kills up to `count` running containers chosen at random, as if their processes crashed
    /// with `exit_code`, and says which and when.
    pub(crate) async fn kill_random(&self, count: usize, exit_code: i64) -> Vec<Killed> {
        let mut candidates = self.running().await;
        let mut killed = Vec::new();
        while killed.len() < count && !candidates.is_empty() {
            let pick = (self.next_random() % candidates.len() as u64) as usize;
            let (instance, container_id, task_arn, container_name) = candidates.swap_remove(pick);
            let at = Instant::now();
            if self.instances[instance].runtime.kill(&container_id, exit_code) {
                killed.push(Killed {
                    instance,
                    task_arn,
                    container_name,
                    container_id,
                    exit_code,
                    at,
                });
            }
        }
        killed
    }

    fn next_random(&self) -> u64 {
        let mut state = self.random.lock().unwrap_or_else(|e| e.into_inner());
        // xorshift64*: small, seeded, reproducible.
        let mut x = *state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Stops every agent and waits (up to 30 s) until they have ended. Their simulated
    /// containers go with them; the control plane sees the agents disconnect.
    pub(crate) async fn stop(mut self) {
        self.shutdown.send_replace(true);
        if let Some(launcher) = self.launcher.take() {
            let _ = launcher.await;
        }
        let mut handles =
            std::mem::take(&mut *self.agents.lock().unwrap_or_else(|e| e.into_inner()));
        let all = async {
            for handle in handles.iter_mut() {
                let _ = handle.await;
            }
        };
        if tokio::time::timeout(Duration::from_secs(30), all).await.is_err() {
            // An agent still retrying its registration does not watch for the shutdown.
            tracing::warn!("Some simulated agents did not stop within 30 s; aborting them");
            for handle in &handles {
                handle.abort();
            }
        }
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        if let Some(launcher) = self.launcher.take() {
            launcher.abort();
        }
    }
}

fn agent_config(
    options: &FleetOptions,
    index: usize,
    zone: &str,
    shape: &InstanceShape,
    state: &Path,
    http: &reqwest::Client,
) -> AgentConfig {
    let mut config = AgentConfig::new(
        &options.server,
        &options.cluster,
        &options.token,
        state.join(format!("agent-{index}")),
    );
    config.availability_zone = zone.to_owned();
    config.instance_type = shape.instance_type.clone();
    // EC2's form: `i-` and 17 hex digits, unique per agent (and per seed).
    config.instance_id = Some(format!("i-{:08x}{:09x}", options.seed as u32, index));
    config.attributes = vec![(SIMULATED_ATTRIBUTE.to_owned(), Some("true".to_owned()))];
    config.attributes.extend(options.attributes.iter().cloned());
    config.poll_wait = options.poll_wait;
    config.usage_interval = options.usage_interval;
    config.cleanup_wait = options.cleanup_wait;
    config.settled_check_interval = options.settled_check_interval;
    config.log_cursor_save_interval = options.log_cursor_save_interval;
    config.default_stop_timeout = options.stop_timeout;
    config.http = Some(http.clone());
    config
}

/// Starts the agents, each once a registration slot is free; an agent gives its slot back when
/// it has registered (or ended).
async fn launch(
    agents: Vec<Agent>,
    concurrent: usize,
    shutdown: watch::Receiver<bool>,
    handles: Arc<Mutex<Vec<JoinHandle<()>>>>,
) {
    let slots = Arc::new(Semaphore::new(concurrent));
    for (index, agent) in agents.into_iter().enumerate() {
        if *shutdown.borrow() {
            return;
        }
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let mut registration = agent.registration();
        let mut stop = shutdown.clone();
        let handle = tokio::spawn(async move {
            let release = async move {
                let _ = registration.wait_for(Option::is_some).await;
                drop(slot);
            };
            let run = agent.run(async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            });
            let ((), outcome) = tokio::join!(release, run);
            if let Err(error) = outcome {
                tracing::warn!(agent = index, error = %format!("{:#}", anyhow::Error::new(error)), "A simulated agent stopped");
            }
        });
        handles.lock().unwrap_or_else(|e| e.into_inner()).push(handle);
    }
}

/// The cluster token of a server whose data directory is on this machine (as `berth
/// agent-token` prints it).
pub(crate) fn token_from_data_dir(data_dir: &Path, cluster: &str) -> anyhow::Result<String> {
    let path = data_dir.join("agent-secret");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("reading {} (is it a server's data directory?)", path.display())
    })?;
    let secret =
        hex::decode(text.trim()).with_context(|| format!("{} is not hex", path.display()))?;
    Ok(server::caller::agent_token(&secret, cluster))
}

/// The resident memory of this process in MiB (Linux).
pub(crate) fn resident_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// `berth sim`: SIMULATED agents (the real agent code on an in-memory container runtime),
/// each registered as a container instance, to exercise a control plane at scale.
#[derive(Debug, clap::Args)]
pub(crate) struct SimArgs {
    /// The control plane's URL.
    #[arg(long)]
    server: String,
    /// The cluster to join (it must exist).
    #[arg(long, default_value = "default")]
    cluster: String,
    /// How many simulated agents (container instances) to run.
    #[arg(long)]
    agents: usize,
    /// The cluster's agent token (`berth agent-token` prints it).
    #[arg(long, env = "BERTH_AGENT_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Instead of --token: the data directory of a server on this machine, whose agent secret
    /// gives the token.
    #[arg(long, conflicts_with = "token")]
    data_dir: Option<PathBuf>,
    /// Zones, assigned round-robin.
    #[arg(long, value_delimiter = ',', default_value = "us-east-1a,us-east-1b,us-east-1c")]
    zones: Vec<String>,
    /// Instance types as TYPE:VCPUS:GIB, assigned round-robin within each zone.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "m5.large:2:8,m5.xlarge:4:16,c5.2xlarge:8:16,r5.large:2:16"
    )]
    instance_types: Vec<InstanceShape>,
    /// Milliseconds a simulated container takes to start.
    #[arg(long, default_value_t = 0)]
    start_delay_ms: u64,
    /// Up to this many milliseconds more, drawn for each start.
    #[arg(long, default_value_t = 0)]
    start_jitter_ms: u64,
    /// Milliseconds a simulated container takes to stop.
    #[arg(long, default_value_t = 0)]
    stop_delay_ms: u64,
    /// The probability (0 to 1) that a simulated container fails to start.
    #[arg(long, default_value_t = 0.0)]
    failure_rate: f64,
    /// Every this many seconds, one random running container crashes (0: never).
    #[arg(long, default_value_t = 0.0)]
    crash_every: f64,
    /// The exit code of crashed containers.
    #[arg(long, default_value_t = 137)]
    crash_exit_code: i64,
    /// Agents registering at once.
    #[arg(long, default_value_t = 256)]
    concurrent_registrations: usize,
    /// Seconds between resource-use samples of each agent.
    #[arg(long, default_value_t = 300)]
    usage_interval: u64,
    /// Seed of the simulated randomness (failures, jitter, crashes).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs the fleet until `shutdown`, printing a line when every agent has registered and a
/// status line every 10 seconds.
pub(crate) async fn run(
    args: SimArgs,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let token = match (&args.token, &args.data_dir) {
        (Some(token), _) => token.clone(),
        (None, Some(dir)) => token_from_data_dir(dir, &args.cluster)?,
        (None, None) => {
            bail!("give the cluster's agent token (--token) or the server's --data-dir")
        }
    };
    if !(0.0..=1.0).contains(&args.failure_rate) {
        bail!("--failure-rate must be between 0 and 1");
    }
    let (starts, mut started) = mpsc::unbounded_channel();
    let mut options = FleetOptions::new(&args.server, &args.cluster, &token, args.agents);
    options.zones = args.zones;
    options.shapes = args.instance_types;
    options.start_delay = Duration::from_millis(args.start_delay_ms);
    options.start_jitter = Duration::from_millis(args.start_jitter_ms);
    options.stop_delay = Duration::from_millis(args.stop_delay_ms);
    options.failure_rate = args.failure_rate;
    options.seed = args.seed;
    options.concurrent_registrations = args.concurrent_registrations;
    options.usage_interval = Duration::from_secs(args.usage_interval.max(1));
    options.starts = Some(starts);
    let began = Instant::now();
    let fleet = Fleet::start(options)?;
    tracing::info!(
        agents = args.agents,
        state = %fleet.state_dir().display(),
        "Starting SIMULATED agents: real agent code, containers in memory only"
    );
    tokio::pin!(shutdown);
    tokio::select! {
        registered = fleet.wait_registered() => registered?,
        _ = &mut shutdown => {
            fleet.stop().await;
            return Ok(());
        }
    }
    println!(
        "All {} simulated agents registered in cluster {} in {:.2}s (resident memory {})",
        args.agents,
        args.cluster,
        began.elapsed().as_secs_f64(),
        resident_memory_mib().map_or("unknown".to_owned(), |m| format!("{m:.0} MiB")),
    );
    let mut mix = std::collections::BTreeMap::new();
    for instance in fleet.instances() {
        *mix.entry((&instance.zone, &instance.shape.instance_type)).or_insert(0) += 1;
    }
    for ((zone, instance_type), count) in mix {
        println!("sim zone={zone} instance_type={instance_type} instances={count}");
    }
    let mut status = tokio::time::interval(Duration::from_secs(10));
    status.tick().await;
    let crash_every = (args.crash_every > 0.0).then(|| Duration::from_secs_f64(args.crash_every));
    let mut crashes = tokio::time::interval(crash_every.unwrap_or(Duration::from_secs(3600)));
    crashes.tick().await;
    let (mut starts_seen, mut crashed) = (0u64, 0u64);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = started.recv() => starts_seen += 1,
            _ = crashes.tick(), if crash_every.is_some() => {
                for killed in fleet.kill_random(1, args.crash_exit_code).await {
                    crashed += 1;
                    println!(
                        "sim crashed task={} container={} ({}) instance={} exit_code={}",
                        killed.task_arn,
                        killed.container_name,
                        killed.container_id,
                        fleet.instances()[killed.instance].arn().unwrap_or_default(),
                        killed.exit_code,
                    );
                }
            }
            _ = status.tick() => {
                println!(
                    "sim agents={} registered={} running_containers={} containers_started={starts_seen} crashed={crashed}",
                    fleet.instances().len(),
                    fleet.registered(),
                    fleet.running().await.len(),
                );
            }
        }
    }
    fleet.stop().await;
    Ok(())
}
