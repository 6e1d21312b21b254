//! Starting the control plane: `berth dev` and `berth server`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use server::clock::SystemClock;
use server::config::{Config, RawConfig};
use store::{SqliteOptions, SqliteStore};

/// The port `berth dev` and `berth server` listen on unless told otherwise.
pub(crate) const DEFAULT_PORT: u16 = 8760;

/// How the control plane runs, for `berth dev` and `berth server` alike.
#[derive(Debug, clap::Args)]
pub(crate) struct ControlPlaneArgs {
    /// The address the ECS API listens on.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// Seconds without news from an agent before its instance shows agentConnected false.
    #[arg(long, default_value_t = 30)]
    agent_timeout: u64,
    /// Seconds STOPPED tasks stay describable before they are removed.
    #[arg(long, default_value_t = 3600)]
    stopped_task_retention: u64,
    /// Bytes of log kept per container (the oldest lines go first).
    #[arg(long, default_value_t = 1 << 20)]
    log_bytes_per_container: usize,
    /// Seconds a service task without health checks must have run to count as healthy.
    #[arg(long, default_value_t = 40)]
    task_settle_time: u64,
}

impl ControlPlaneArgs {
    fn serve(&self, data_dir: &Path, config: Config, advertise_url: Option<String>) -> Serve {
        Serve {
            data_dir: data_dir.to_path_buf(),
            listen: self.listen,
            config,
            agent_timeout: Duration::from_secs(self.agent_timeout),
            advertise_url,
            retention: Duration::from_secs(self.stopped_task_retention),
            log_bytes: self.log_bytes_per_container,
            settle: Duration::from_secs(self.task_settle_time),
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct DevArgs {
    /// Where the embedded store keeps its data.
    #[arg(long, default_value_os_t = default_data_dir())]
    data_dir: PathBuf,
    #[command(flatten)]
    control_plane: ControlPlaneArgs,
    /// The `ecs.availability-zone` attribute of the built-in agent's container instance.
    #[arg(long, default_value = "local-1a")]
    availability_zone: String,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ServerArgs {
    /// Where the embedded store keeps its data.
    #[arg(long)]
    data_dir: PathBuf,
    /// A TOML file with the account (region, account-id) and quotas.
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    control_plane: ControlPlaneArgs,
    /// The URL agents reach this server at (default: http:// and the listening address).
    #[arg(long)]
    advertise_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct AgentTokenArgs {
    /// The server's data directory (it holds the agent secret).
    #[arg(long)]
    data_dir: PathBuf,
    /// The cluster the token is for.
    #[arg(long)]
    cluster: String,
}

/// `berth agent-token`: prints the token agents of a cluster present.
pub(crate) fn agent_token(args: &AgentTokenArgs) -> anyhow::Result<()> {
    let secret = agent_secret(&args.data_dir)?;
    println!("{}", server::caller::agent_token(&secret, &args.cluster));
    Ok(())
}

fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("berth")
}

pub(crate) async fn dev(args: DevArgs) -> anyhow::Result<()> {
    let config = Config::try_from(RawConfig::default())?;
    let running = start(args.control_plane.serve(&args.data_dir, config.clone(), None)).await?;
    let endpoint = format!("http://{}", running.local_addr);
    running
        .ctx
        .ensure_cluster("default")
        .await
        .map_err(|e| anyhow::anyhow!("creating the default cluster: {e}"))?;
    let agent = start_dev_agent(&args, &endpoint).await;
    println!("Berth is running (development mode).");
    println!();
    println!("  ECS endpoint: {endpoint}");
    println!("  data:         {}", args.data_dir.display());
    println!();
    println!("Point the AWS CLI or an SDK at it:");
    println!();
    println!("  export AWS_ENDPOINT_URL_ECS={endpoint}");
    println!("  export AWS_DEFAULT_REGION={}", config.region);
    println!("  export AWS_ACCESS_KEY_ID=berth AWS_SECRET_ACCESS_KEY=berth");
    println!("  aws ecs create-cluster --cluster-name default");
    println!();
    println!("(or pass --endpoint-url {endpoint} to each aws command). Stop with Ctrl-C.");
    match &agent {
        Ok(_) => {
            println!("A node agent runs tasks of cluster `default` on the local Docker Engine.")
        }
        Err(error) => {
            println!("No node agent: {error:#}. Tasks cannot run until Docker is reachable.")
        }
    }
    running.wait().await
}

/// Starts the in-process agent of `berth dev` on the local Docker Engine.
async fn start_dev_agent(
    args: &DevArgs,
    endpoint: &str,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let runtime =
        agent::docker::DockerRuntime::connect(None).await.context("connecting to Docker")?;
    let secret = agent_secret(&args.data_dir)?;
    let token = server::caller::agent_token(&secret, "default");
    let mut config =
        agent::agent::AgentConfig::new(endpoint, "default", &token, args.data_dir.join("agent"));
    config.availability_zone = args.availability_zone.clone();
    let agent = agent::agent::Agent::new(config, Arc::new(runtime));
    Ok(tokio::spawn(async move {
        if let Err(error) = agent.run(shutdown_signal()).await {
            tracing::error!(error = %format!("{error:#}"), "The node agent stopped");
        }
    }))
}

pub(crate) async fn server(args: ServerArgs) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::try_from(RawConfig::default())?,
    };
    let running =
        start(args.control_plane.serve(&args.data_dir, config, args.advertise_url.clone())).await?;
    // The first line of standard output names the endpoint, for scripts and tests.
    println!("Listening on http://{}", running.local_addr);
    running.wait().await
}

/// A control plane that is serving.
pub(crate) struct Running {
    pub(crate) local_addr: SocketAddr,
    pub(crate) ctx: server::Ctx,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Waits until the process is told to stop (Ctrl-C or SIGTERM) and the server has drained.
    pub(crate) async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("the server task failed")??;
        tracing::info!("Stopped");
        Ok(())
    }
}

/// Reads the agent secret kept in the data directory, creating it on first start.
pub(crate) fn agent_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let path = data_dir.join("agent-secret");
    match std::fs::read_to_string(&path) {
        Ok(text) => hex::decode(text.trim())
            .with_context(|| format!("{} is not a hex secret", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir)?;
            let secret: Vec<u8> = [uuid::Uuid::new_v4(), uuid::Uuid::new_v4()]
                .iter()
                .flat_map(|u| u.as_bytes().to_vec())
                .collect();
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            writeln!(file, "{}", hex::encode(&secret))?;
            file.sync_all()?;
            Ok(secret)
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// How the control plane process runs.
pub(crate) struct Serve {
    pub(crate) data_dir: PathBuf,
    pub(crate) listen: SocketAddr,
    pub(crate) config: Config,
    pub(crate) agent_timeout: Duration,
    pub(crate) advertise_url: Option<String>,
    pub(crate) retention: Duration,
    pub(crate) log_bytes: usize,
    pub(crate) settle: Duration,
}

/// Opens the store under the data directory and starts serving.
pub(crate) async fn start(serve: Serve) -> anyhow::Result<Running> {
    let data_dir = serve.data_dir.clone();
    let path = data_dir.join("berth.db");
    let store =
        tokio::task::spawn_blocking(move || SqliteStore::open(&path, SqliteOptions::default()))
            .await?
            .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let listener = tokio::net::TcpListener::bind(serve.listen)
        .await
        .with_context(|| format!("listening on {}", serve.listen))?;
    let local_addr = listener.local_addr()?;
    let options = server::ServeOptions {
        agent_secret: agent_secret(&serve.data_dir)?,
        agent_timeout: serve.agent_timeout,
        advertise_url: serve.advertise_url.unwrap_or_else(|| format!("http://{local_addr}")),
        stopped_task_retention: serve.retention,
        log_bytes_per_container: serve.log_bytes,
        task_settle_time: serve.settle,
    };
    let ctx =
        server::Ctx::start(serve.config, options, Arc::new(store), Arc::new(SystemClock)).await?;
    let task = tokio::spawn(server::serve(listener, ctx.clone(), shutdown_signal()));
    Ok(Running { local_addr, task, ctx })
}

pub(crate) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing the SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
    tracing::info!("Shutting down");
}
