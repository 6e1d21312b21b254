//! `berth agent`: a node agent that registers this host as a container instance (or adopts
//! one registered before it, `--container-instance-arn`) and runs tasks on the local Docker
//! Engine.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use agent::agent::{Agent, AgentConfig};
use agent::docker::DockerRuntime;
use agent::images::PullBehavior;

/// What `berth agent --help` says after the options: registration and adoption.
const REGISTRATION_HELP: &str = "\
Registration:
  The agent registers this host as a new container instance of the cluster with the cluster's
  token, and keeps the instance's ARN and token in its state directory, so that a restarted
  agent is the same instance.

Adopting an instance registered beforehand:
  A user whose policies allow ecs:RegisterContainerInstance on the cluster can register an
  instance first (RegisterContainerInstance, signed, e.g. with an instance identity document).
  That instance has no agent (agentConnected false) and takes no tasks. Start the agent with
  --container-instance-arn <ARN> to adopt it with the cluster's token instead of registering a
  new one: the instance keeps its ARN, EC2 id, attributes and tags (its zone and instance type
  then win over --availability-zone, --instance-type and --instance-id) and takes tasks from
  then on. The state directory remembers it, so the flag may stay or go on later starts; while
  it is given, the agent serves that instance or none (it stops if the control plane refuses
  it). Only an instance no agent holds yet can be adopted; once adopted, only its agent's own
  token re-registers it.";

#[derive(Debug, clap::Args)]
#[command(after_long_help = REGISTRATION_HELP)]
pub(crate) struct AgentArgs {
    /// The control plane's URL.
    #[arg(long)]
    server: String,
    /// The cluster to join.
    #[arg(long, default_value = "default", conflicts_with_all = ["fargate", "fargate_spot"])]
    cluster: String,
    /// Serve the Fargate pool (the FARGATE capacity provider) instead of a cluster: the host
    /// runs Fargate tasks of every cluster, each bounded by its size, and appears in no
    /// cluster. The token is the pool's (`berth agent-token --fargate`).
    #[arg(long, conflicts_with = "fargate_spot")]
    fargate: bool,
    /// Serve the Fargate pool as Spot capacity (the FARGATE_SPOT capacity provider).
    #[arg(long)]
    fargate_spot: bool,
    /// The custom capacity provider (CreateCapacityProvider) this instance belongs to: tasks
    /// launched through that provider's strategy go to its instances.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["fargate", "fargate_spot"])]
    capacity_provider: Option<String>,
    /// On the Fargate pool: the OCI runtime tasks run under (e.g. `runsc`, gVisor, installed
    /// and registered with Docker), instead of Docker's default.
    #[arg(long, value_name = "NAME")]
    fargate_runtime: Option<String>,
    /// On the Fargate pool: the most processes each container of a task may hold.
    #[arg(long, default_value_t = agent::spec::DEFAULT_PIDS_LIMIT)]
    fargate_pids_limit: i64,
    /// The cluster's agent token (`berth agent-token` prints it).
    #[arg(long, env = "BERTH_AGENT_TOKEN", hide_env_values = true)]
    token: String,
    /// Where the agent keeps its identity across restarts.
    #[arg(long)]
    state_dir: Option<PathBuf>,
    /// The Docker Engine socket (default: DOCKER_HOST or the local socket).
    #[arg(long)]
    docker_socket: Option<String>,
    /// The `ecs.availability-zone` attribute.
    #[arg(long, default_value = "local-1a")]
    availability_zone: String,
    /// The `ecs.instance-type` attribute.
    #[arg(long, default_value = "berth.host")]
    instance_type: String,
    /// The host's id (`ec2InstanceId`); generated and remembered if absent.
    #[arg(long)]
    instance_id: Option<String>,
    /// Adopt this container instance (its ARN), registered beforehand by a user and held by no
    /// agent yet, instead of registering a new one.
    #[arg(long, value_name = "ARN")]
    container_instance_arn: Option<String>,
    /// MiB of memory not offered to tasks.
    #[arg(long, default_value_t = 0)]
    reserved_memory: u64,
    /// A custom attribute, NAME or NAME=VALUE (repeatable).
    #[arg(long = "attribute")]
    attributes: Vec<String>,
    /// ECS image pull behaviour: default, always, once or prefer-cached.
    #[arg(long, default_value = "default")]
    image_pull_behavior: PullBehavior,
    /// Seconds between SIGTERM and SIGKILL for containers without a stopTimeout.
    #[arg(long, default_value_t = 30)]
    stop_timeout: u64,
    /// Seconds a stopped task's containers are kept before removal.
    #[arg(long, default_value_t = 60)]
    cleanup_wait: u64,
    /// Seconds between samples of the tasks' resource use.
    #[arg(long, default_value_t = 20)]
    usage_interval: u64,
}

pub(crate) fn default_state_dir(cluster: &str) -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("berth").join("agent").join(cluster)
}

pub(crate) async fn run(args: AgentArgs) -> anyhow::Result<()> {
    let runtime = DockerRuntime::connect(args.docker_socket.as_deref())
        .await
        .context("connecting to Docker")?;
    let provider = match (args.fargate, args.fargate_spot) {
        (true, _) => Some("FARGATE"),
        (_, true) => Some("FARGATE_SPOT"),
        _ => None,
    };
    let cluster = if provider.is_some() { server::FARGATE_POOL } else { args.cluster.as_str() };
    let state_dir = args.state_dir.clone().unwrap_or_else(|| default_state_dir(cluster));
    let mut config = AgentConfig::new(&args.server, cluster, &args.token, state_dir);
    config.availability_zone = args.availability_zone;
    config.instance_type = args.instance_type;
    config.instance_id = args.instance_id;
    config.container_instance_arn = args.container_instance_arn;
    config.reserved_memory_mib = args.reserved_memory;
    config.attributes = args
        .attributes
        .iter()
        .map(|a| match a.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (a.clone(), None),
        })
        .collect();
    if let Some(name) = &args.capacity_provider {
        config.attributes.push((server::PROVIDER_ATTRIBUTE.to_owned(), Some(name.clone())));
    }
    if let Some(provider) = provider {
        config.attributes.push((server::PROVIDER_ATTRIBUTE.to_owned(), Some(provider.to_owned())));
        config.isolation = Some(agent::spec::Isolation {
            pids_limit: args.fargate_pids_limit,
            runtime: args.fargate_runtime.clone(),
        });
    }
    config.pull_behavior = args.image_pull_behavior;
    config.default_stop_timeout = Duration::from_secs(args.stop_timeout);
    config.cleanup_wait = Duration::from_secs(args.cleanup_wait);
    config.usage_interval = Duration::from_secs(args.usage_interval.max(1));
    Agent::new(config, Arc::new(runtime)).run(crate::run::shutdown_signal()).await?;
    Ok(())
}
