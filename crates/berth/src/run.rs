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
    /// Users, access keys, policies and throttling (TOML). Default: `auth.toml` in the data
    /// directory, created with an administrator key on first start. Reloaded on SIGHUP.
    #[arg(long)]
    auth_config: Option<PathBuf>,
    /// Accept unsigned requests from anyone, as the account's root user. For benchmarks and
    /// experiments on a machine of your own only.
    #[arg(long)]
    no_auth: bool,
}

impl ControlPlaneArgs {
    /// Where access control comes from: off, the given file, or `auth.toml` in the data
    /// directory (created with `generated` when missing).
    fn auth_setup(&self, data_dir: &Path, generated: Option<GeneratedAdmin>) -> AuthSetup {
        if self.no_auth {
            return AuthSetup::Off;
        }
        match &self.auth_config {
            Some(path) => AuthSetup::File { path: path.clone(), generated: None },
            None => AuthSetup::File { path: data_dir.join("auth.toml"), generated },
        }
    }

    fn serve(
        &self,
        data_dir: &Path,
        config: Config,
        advertise_url: Option<String>,
        auth: AuthSetup,
    ) -> Serve {
        Serve {
            auth,
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
    /// The administrator's access key id (default: generated on first start and kept).
    #[arg(long, requires = "secret_access_key")]
    access_key_id: Option<String>,
    /// The administrator's secret access key.
    #[arg(long, requires = "access_key_id")]
    secret_access_key: Option<String>,
    #[command(flatten)]
    control_plane: ControlPlaneArgs,
    /// The `ecs.availability-zone` attribute of the built-in agent's container instance.
    #[arg(long, default_value = "local-1a")]
    availability_zone: String,
    /// The Docker Engine socket of the built-in agent (default: DOCKER_HOST or the local
    /// socket).
    #[arg(long)]
    docker_socket: Option<String>,
    /// The built-in agent's ECS image pull behaviour: default (pull; use the local image if
    /// the pull fails), always, once or prefer-cached (use the local image if there is one).
    #[arg(long, default_value = "default")]
    image_pull_behavior: agent::images::PullBehavior,
    /// A TOML configuration file (as for `berth server`).
    #[arg(long)]
    config: Option<PathBuf>,
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
    #[arg(long, required_unless_present = "fargate", conflicts_with = "fargate")]
    cluster: Option<String>,
    /// The token of the Fargate pool's hosts (`berth agent --fargate`).
    #[arg(long)]
    fargate: bool,
}

/// `berth agent-token`: prints the token agents of a cluster present.
pub(crate) fn agent_token(args: &AgentTokenArgs) -> anyhow::Result<()> {
    let secret = agent_secret(&args.data_dir)?;
    let cluster = match &args.cluster {
        Some(cluster) => cluster.as_str(),
        None => server::FARGATE_POOL,
    };
    println!("{}", server::caller::agent_token(&secret, cluster));
    Ok(())
}

pub(crate) fn default_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("berth")
}

pub(crate) async fn dev(args: DevArgs) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::try_from(RawConfig::default())?,
    };
    let auth = args.control_plane.auth_setup(
        &args.data_dir,
        Some(GeneratedAdmin {
            access_key_id: args.access_key_id.clone(),
            secret_access_key: args.secret_access_key.clone(),
            throttle: false,
        }),
    );
    let running =
        start(args.control_plane.serve(&args.data_dir, config.clone(), None, auth.clone())).await?;
    let endpoint = format!("http://{}", running.local_addr);
    running
        .ctx
        .ensure_cluster("default")
        .await
        .map_err(|e| anyhow::anyhow!("creating the default cluster: {e}"))?;
    let agent = start_dev_agent(&args, &endpoint).await?;
    // The load balancer's node: every listener binds on the loopback address.
    let lb_token = server::caller::lb_token(&agent_secret(&args.data_dir)?);
    let node = lb::Node::new("dev").with_bind_address(std::net::Ipv4Addr::LOCALHOST.into());
    tokio::spawn(crate::lb_cmd::follow(node, vec![endpoint.clone()], lb_token));
    println!("Berth is running (development mode).");
    println!();
    println!("  ECS endpoint: {endpoint}");
    println!("  data:         {}", args.data_dir.display());
    println!();
    println!("Point the AWS CLI or an SDK at it:");
    println!();
    println!("  export AWS_ENDPOINT_URL_ECS={endpoint}");
    println!("  export AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2={endpoint}");
    println!("  export AWS_ENDPOINT_URL_EC2={endpoint}");
    println!("  export AWS_DEFAULT_REGION={}", config.region);
    // Development mode shows the administrator key on every start (the file is the user's own).
    match (&running.admin_key, &auth) {
        (Some((key, secret)), AuthSetup::File { .. }) => {
            println!("  export AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret}")
        }
        (None, AuthSetup::File { path, .. }) => {
            println!(
                "  export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...   # a key in {}",
                path.display()
            )
        }
        (_, AuthSetup::Off) => println!(
            "  export AWS_ACCESS_KEY_ID=any AWS_SECRET_ACCESS_KEY=any   # access control is off"
        ),
    }
    println!("  aws ecs list-clusters");
    println!();
    println!("(or pass --endpoint-url {endpoint} to each aws command). Stop with Ctrl-C.");
    match &agent {
        DevAgent::Running => {
            println!(
                "Node agents run tasks of cluster `default` and Fargate tasks of every cluster on the local Docker Engine."
            )
        }
        DevAgent::Waiting(error) => println!(
            "No node agent yet: {error}. Tasks cannot run until Docker is reachable; the agent starts as soon as it is (Berth keeps trying)."
        ),
    }
    running.wait().await
}

/// The longest wait between two attempts of `berth dev` to reach Docker.
const DOCKER_RETRY_CAP: Duration = Duration::from_secs(30);

/// How the built-in agent of `berth dev` started.
enum DevAgent {
    Running,
    /// Docker did not answer (why): the agent starts once it does.
    Waiting(String),
}

/// Starts the in-process agent of `berth dev` on the local Docker Engine; if Docker does not
/// answer, keeps trying in the background (waiting twice as long each time, up to
/// [`DOCKER_RETRY_CAP`]) and starts the agent once it does.
async fn start_dev_agent(args: &DevArgs, endpoint: &str) -> anyhow::Result<DevAgent> {
    let secret = agent_secret(&args.data_dir)?;
    let token = server::caller::agent_token(&secret, "default");
    let mut config =
        agent::agent::AgentConfig::new(endpoint, "default", &token, args.data_dir.join("agent"));
    config.availability_zone = args.availability_zone.clone();
    config.pull_behavior = args.image_pull_behavior;
    // A second agent on the same Docker Engine serves the Fargate pool, so that Fargate tasks
    // run out of the box. Each offers the whole host: tasks of the cluster and Fargate tasks
    // are not counted against each other.
    let pool_token = server::caller::agent_token(&secret, server::FARGATE_POOL);
    let mut pool = agent::agent::AgentConfig::new(
        endpoint,
        server::FARGATE_POOL,
        &pool_token,
        args.data_dir.join("agent-fargate"),
    );
    pool.availability_zone = args.availability_zone.clone();
    pool.pull_behavior = args.image_pull_behavior;
    pool.attributes.push((server::PROVIDER_ATTRIBUTE.to_owned(), Some("FARGATE".to_owned())));
    pool.isolation = Some(agent::spec::Isolation::default());
    let socket = args.docker_socket.clone();
    let run_agent = |runtime: agent::docker::DockerRuntime, config| async move {
        let runtime = Arc::new(runtime);
        let cluster_agent = agent::agent::Agent::new(config, runtime.clone());
        let pool_agent = agent::agent::Agent::new(pool, runtime);
        let (cluster_run, pool_run) =
            tokio::join!(cluster_agent.run(shutdown_signal()), pool_agent.run(shutdown_signal()));
        for (which, outcome) in [("cluster", cluster_run), ("Fargate pool", pool_run)] {
            if let Err(error) = outcome {
                tracing::error!(error = %format!("{error:#}"), agent = which, "The node agent stopped");
            }
        }
    };
    let first_error = match agent::docker::DockerRuntime::connect(socket.as_deref()).await {
        Ok(runtime) => {
            tokio::spawn(run_agent(runtime, config));
            return Ok(DevAgent::Running);
        }
        Err(error) => error.to_string(),
    };
    tracing::warn!(error = %first_error, "Docker is not reachable; the node agent starts once it is");
    tokio::spawn(async move {
        let shutdown = shutdown_signal();
        tokio::pin!(shutdown);
        let mut wait = Duration::from_secs(1);
        let mut failures: u64 = 1;
        let runtime = loop {
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(DOCKER_RETRY_CAP);
            match agent::docker::DockerRuntime::connect(socket.as_deref()).await {
                Ok(runtime) => break runtime,
                Err(error) => {
                    failures += 1;
                    // Ever fewer lines while Docker stays away: after 2, 4, 8, ... attempts.
                    if failures.is_power_of_two() {
                        tracing::warn!(%error, attempts = failures, "Docker is still not reachable; retrying");
                    } else {
                        tracing::debug!(%error, attempts = failures, "Docker is still not reachable");
                    }
                }
            }
        };
        tracing::info!("Docker is reachable; starting the node agent");
        run_agent(runtime, config).await;
    });
    Ok(DevAgent::Waiting(first_error))
}

pub(crate) async fn server(args: ServerArgs) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::try_from(RawConfig::default())?,
    };
    let auth = args.control_plane.auth_setup(
        &args.data_dir,
        Some(GeneratedAdmin { access_key_id: None, secret_access_key: None, throttle: true }),
    );
    let running = start(args.control_plane.serve(
        &args.data_dir,
        config,
        args.advertise_url.clone(),
        auth.clone(),
    ))
    .await?;
    if let (Some((key, _)), AuthSetup::File { path, .. }) = (&running.created_key, &auth) {
        tracing::info!(access_key_id = %key, file = %path.display(), "Created an administrator key (its secret is in the file)");
    }
    // The first line of standard output names the endpoint, for scripts and tests.
    println!("Listening on http://{}", running.local_addr);
    running.wait().await
}

/// A control plane that is serving.
pub(crate) struct Running {
    pub(crate) local_addr: SocketAddr,
    pub(crate) ctx: server::Ctx,
    /// The administrator key, when this start created the auth file.
    pub(crate) created_key: Option<(String, String)>,
    /// The first key of the user named `admin`, if the auth file has one.
    pub(crate) admin_key: Option<(String, String)>,
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
            create_data_dir(data_dir)?;
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
    pub(crate) auth: AuthSetup,
}

/// How access control is set up.
#[derive(Debug, Clone)]
pub(crate) enum AuthSetup {
    /// Unsigned requests are accepted.
    Off,
    /// The file with users, keys and policies; `generated` says what to put in it if it does
    /// not exist yet.
    File { path: PathBuf, generated: Option<GeneratedAdmin> },
}

/// The administrator key written into a new auth file.
#[derive(Debug, Clone)]
pub(crate) struct GeneratedAdmin {
    pub(crate) access_key_id: Option<String>,
    pub(crate) secret_access_key: Option<String>,
    pub(crate) throttle: bool,
}

fn random_string(alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for byte in *uuid::Uuid::new_v4().as_bytes() {
            if out.len() < len {
                out.push(alphabet[usize::from(byte) % alphabet.len()] as char);
            }
        }
    }
    out
}

/// Writes an auth file with one administrator (AdministratorAccess) and returns its key.
fn write_admin_file(path: &Path, admin: &GeneratedAdmin) -> anyhow::Result<(String, String)> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let key = admin.access_key_id.clone().unwrap_or_else(|| {
        format!("AKIA{}", random_string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
    });
    let secret = admin.secret_access_key.clone().unwrap_or_else(|| {
        random_string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
    });
    let text = format!(
        "# Berth access control: users, their access keys and policies (reloaded on SIGHUP).\n\
         # Created on first start with one administrator.\n\n\
         [[users]]\nname = \"admin\"\nmanaged-policies = [\"AdministratorAccess\"]\n\n\
         [[users.keys]]\naccess-key-id = \"{key}\"\nsecret-access-key = \"{secret}\"\n\n\
         [throttle]\nenabled = {}\n",
        admin.throttle
    );
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    Ok((key, secret))
}

/// Access control read from the auth file.
struct Loaded {
    access: Option<Arc<server::access::Access>>,
    /// The administrator key, if this start created the file.
    created: Option<(String, String)>,
    /// The first key of the user named `admin`.
    admin: Option<(String, String)>,
}

/// Reads the auth file into access control, creating it first if asked.
fn load_auth(setup: &AuthSetup, account_id: &str) -> anyhow::Result<Loaded> {
    let AuthSetup::File { path, generated } = setup else {
        return Ok(Loaded { access: None, created: None, admin: None });
    };
    let mut created = None;
    if let Some(admin) = generated
        && !path.exists()
    {
        created = Some(write_admin_file(path, admin)?);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let config = auth::config::parse(&text, account_id)
        .with_context(|| format!("{} is not a valid auth file", path.display()))?;
    // A key fixed on the command line must be the one in force (an existing file is never
    // rewritten: it may hold other users).
    if let Some(GeneratedAdmin { access_key_id: Some(id), secret_access_key, .. }) = generated {
        let found = config.users.iter().flat_map(|u| &u.keys).find(|k| &k.access_key_id == id);
        let matches = found.is_some_and(|k| {
            secret_access_key.as_deref().is_none_or(|s| k.secret_access_key.expose() == s)
        });
        if !matches {
            anyhow::bail!(
                "{} already exists and does not hold access key {id} with that secret; edit it, or remove it to have it created again",
                path.display()
            );
        }
    }
    let admin = config
        .users
        .iter()
        .find(|u| u.name == "admin")
        .and_then(|u| u.keys.first())
        .map(|k| (k.access_key_id.clone(), k.secret_access_key.expose().to_owned()));
    Ok(Loaded { access: Some(Arc::new(server::access::Access::new(config))), created, admin })
}

/// Connections waiting to be accepted (the kernel caps it at `net.core.somaxconn`): room for a
/// fleet of agents reconnecting at once.
const LISTEN_BACKLOG: u32 = 8192;

/// Creates the data directory owner-only (`0700`), or narrows it to that if it exists: it holds
/// the store (task definitions with their environment values, container logs), the agent
/// secret and the auth file.
pub(crate) fn create_data_dir(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .with_context(|| format!("creating {}", path.display()))?;
    let mode = std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .permissions()
        .mode();
    // Set exactly: the mode given at creation passes through the umask.
    if mode & 0o777 != 0o700 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} owner-only", path.display()))?;
        tracing::info!(path = %path.display(), was = %format!("{:o}", mode & 0o777), "The data directory is now owner-only (0700)");
    }
    Ok(())
}

/// File descriptors kept out of the connection cap, at least: the store's (its file, log and
/// shared memory), the listener's, the built-in agent's connections to Docker (one per task
/// whose logs it follows, besides its events and calls) and whatever the process opens now
/// and then. A tenth of the limit is kept when that is more.
const FD_RESERVE: u64 = 256;

/// Raises the soft limit on open files to the hard one and derives from it how many
/// connections the server may hold: the limit less the reserve, or `configured` if lower.
fn connection_cap(configured: Option<usize>) -> usize {
    let limits = rlimit::increase_nofile_limit(u64::MAX)
        .and_then(|soft| Ok((soft, rlimit::getrlimit(rlimit::Resource::NOFILE)?.1)));
    let (soft, hard) = match limits {
        Ok(limits) => limits,
        Err(error) => {
            // Unknown: assume the most common default soft limit.
            tracing::warn!(error = %error, "The open-file limit could not be read or raised");
            (1024, 1024)
        }
    };
    let reserve = (soft / 10).max(FD_RESERVE);
    let derived = usize::try_from(soft.saturating_sub(reserve).max(16)).unwrap_or(usize::MAX);
    let cap = configured.map_or(derived, |configured| configured.min(derived));
    if configured.is_some_and(|configured| configured > derived) {
        tracing::warn!(
            configured = configured.unwrap_or_default(),
            allowed = derived,
            "connections.max is more than the open-file limit allows; lowered"
        );
    }
    tracing::info!(
        open_files = soft,
        hard_limit = hard,
        reserved = reserve,
        max_connections = cap,
        "Open files: up to {soft} (the soft limit, raised to the hard one); up to {cap} connections, {reserve} files kept for the store and the agent"
    );
    cap
}

/// Opens the store under the data directory and starts serving.
pub(crate) async fn start(serve: Serve) -> anyhow::Result<Running> {
    let data_dir = serve.data_dir.clone();
    create_data_dir(&data_dir)?;
    let path = data_dir.join("berth.db");
    let store =
        tokio::task::spawn_blocking(move || SqliteStore::open(&path, SqliteOptions::default()))
            .await?
            .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    // The address is taken now (its port is known, a conflict fails early), but connections
    // are accepted only once the control plane can answer them: until then they are refused at
    // once, so agents retry on their own schedule instead of waiting on SYN retransmissions of
    // an overflowing accept queue (thousands of agents reconnect together after a restart).
    let socket = match serve.listen {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4(),
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6(),
    }?;
    socket.set_reuseaddr(true)?;
    socket.bind(serve.listen).with_context(|| format!("listening on {}", serve.listen))?;
    let local_addr = socket.local_addr()?;
    let Loaded { access, created, admin } = load_auth(&serve.auth, &serve.config.account_id)?;
    let account_id = serve.config.account_id.clone();
    if access.is_none() {
        tracing::warn!(
            "Access control is off: every request is accepted, unsigned, as the account's root user"
        );
    }
    let options = server::ServeOptions {
        access: access.clone(),
        agent_secret: agent_secret(&serve.data_dir)?,
        agent_timeout: serve.agent_timeout,
        advertise_url: serve.advertise_url.unwrap_or_else(|| format!("http://{local_addr}")),
        stopped_task_retention: serve.retention,
        log_bytes_per_container: serve.log_bytes,
        task_settle_time: serve.settle,
    };
    let ctx =
        server::Ctx::start(serve.config, options, Arc::new(store), Arc::new(SystemClock)).await?;
    // SIGHUP is caught before the first connection is accepted: until a handler is installed,
    // a hangup ends the process.
    let max_connections = connection_cap(ctx.config().connections.max);
    if let (Some(access), AuthSetup::File { path, .. }) = (access, &serve.auth) {
        let hangups = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            .context("installing the SIGHUP handler")?;
        tokio::spawn(reload_on_hangup(hangups, access, path.clone(), account_id));
    }
    let listener = socket.listen(LISTEN_BACKLOG)?;
    let serving = ctx.clone();
    let task = tokio::spawn(async move {
        let served =
            server::serve(listener, serving.clone(), max_connections, shutdown_signal()).await;
        // Serving stopped: let the background workers finish their passes.
        serving.shutdown(std::time::Duration::from_secs(5)).await;
        served
    });
    Ok(Running { local_addr, task, ctx, created_key: created, admin_key: admin })
}

/// Reloads the auth file on each SIGHUP; a file that does not parse leaves the old one in force.
async fn reload_on_hangup(
    mut hangups: tokio::signal::unix::Signal,
    access: Arc<server::access::Access>,
    path: PathBuf,
    account_id: String,
) {
    while hangups.recv().await.is_some() {
        let loaded = std::fs::read_to_string(&path)
            .map_err(anyhow::Error::from)
            .and_then(|text| auth::config::parse(&text, &account_id).map_err(anyhow::Error::from));
        match loaded {
            Ok(config) => {
                access.replace(config);
                tracing::info!(path = %path.display(), "Access control reloaded");
            }
            Err(error) => {
                tracing::error!(path = %path.display(), error = %format!("{error:#}"), "The auth file was not reloaded")
            }
        }
    }
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
