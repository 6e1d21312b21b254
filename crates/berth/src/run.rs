//! Starting the control plane: `berth dev` and `berth server`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;

use server::clock::SystemClock;
use server::config::{Config, RawConfig};
use store::{SqliteOptions, SqliteStore};

/// The port `berth dev` and `berth server` listen on unless told otherwise.
pub(crate) const DEFAULT_PORT: u16 = 8760;

#[derive(Debug, clap::Args)]
pub(crate) struct DevArgs {
    /// Where the embedded store keeps its data.
    #[arg(long, default_value_os_t = default_data_dir())]
    data_dir: PathBuf,
    /// The address the ECS API listens on.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ServerArgs {
    /// Where the embedded store keeps its data.
    #[arg(long)]
    data_dir: PathBuf,
    /// The address the ECS API listens on.
    #[arg(long, default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// A TOML file with the account (region, account-id) and quotas.
    #[arg(long)]
    config: Option<PathBuf>,
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
    let running = start(&args.data_dir, args.listen, config.clone()).await?;
    let endpoint = format!("http://{}", running.local_addr);
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
    running.wait().await
}

pub(crate) async fn server(args: ServerArgs) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::try_from(RawConfig::default())?,
    };
    let running = start(&args.data_dir, args.listen, config).await?;
    // The first line of standard output names the endpoint, for scripts and tests.
    println!("Listening on http://{}", running.local_addr);
    running.wait().await
}

/// A control plane that is serving.
pub(crate) struct Running {
    pub(crate) local_addr: SocketAddr,
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

/// Opens the store under `data_dir` and starts serving on `listen`.
pub(crate) async fn start(
    data_dir: &Path,
    listen: SocketAddr,
    config: Config,
) -> anyhow::Result<Running> {
    let path = data_dir.join("berth.db");
    let store =
        tokio::task::spawn_blocking(move || SqliteStore::open(&path, SqliteOptions::default()))
            .await?
            .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    let ctx = server::Ctx::new(config, Arc::new(store), Arc::new(SystemClock));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let local_addr = listener.local_addr()?;
    let task = tokio::spawn(server::serve(listener, ctx, shutdown_signal()));
    Ok(Running { local_addr, task })
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing the SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
    tracing::info!("Shutting down");
}
