//! `berth bench lb`: Berth's load-balancer data plane (`crates/lb`) beside HAProxy and nginx,
//! in one run on one machine, all on 127.0.0.1.
//!
//! Four setups, measured one after the other with the same parameters:
//! - `direct`: the load generator talks to the first backend itself (the floor);
//! - `berth`: an `lb::Node` in this process (on its multi-thread runtime), one HTTP listener
//!   whose default rule forwards to one target group of every backend, round robin, health
//!   checks every second (measured once every target is healthy);
//! - `haproxy`: `haproxy` (2 threads) in http mode, round robin, health checks every second,
//!   keep-alive to the backends with idle connections shared between clients
//!   (`http-reuse always`, as Berth's and nginx's pools share theirs);
//! - `nginx`: `nginx` (2 workers), an upstream with `keepalive`, `proxy_http_version 1.1` and
//!   `Connection ""` (nginx has no active health checks).
//!
//! Every proxy adds `X-Forwarded-For` (Berth adds ELB's other `X-Forwarded-*` headers and a
//! trace id as well). HAProxy and nginx run from configurations in a temporary directory, on
//! free loopback ports, and are killed when the benchmark ends, also on error; a setup whose
//! program is not installed is skipped with a `lb_<setup>_skipped=` line.
//!
//! The backends are `--backends` hyper servers answering every path with the same
//! `--body-bytes` body. They run in a child process of their own (this executable again, as
//! `berth bench lb-backend`) so that the process under test in the `berth` setup is the load
//! balancer alone, as it is for HAProxy and nginx; the same backends serve every setup.
//!
//! The load is `wrk --latency` (`--threads` threads, `--connections` connections) for
//! `--duration` seconds (`--quick`: 3), after a one-second warm-up, in two modes:
//! - `keepalive`: every connection sends its requests one after the other;
//! - `newconn`: every request carries `Connection: close`, so each one is a new connection
//!   (the proxies keep their connections to the backends).
//!
//! Output, one `name=value` per line, `<mode>` `keepalive` or `newconn` and `<setup>` as above:
//! `lb_<mode>_<setup>_rps`, `_p50_ms`, `_p99_ms` (wrk's latency distribution), `_errors`
//! (socket errors and answers other than 2xx/3xx), `_lb_cpu_us_per_req` (CPU of the proxy's
//! processes per request; for `berth`, of this whole process, which does nothing else then) and
//! `_backend_cpu_us_per_req`; then `lb_<mode>_berth_vs_<other>_rps_ratio` and
//! `lb_<mode>_<proxy>_added_p50_ms` / `_added_p99_ms` (the proxy's latency minus the direct one).
//! The load generator, the proxy and the backends share the machine's cores.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, bail};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};

use super::harness::cpu_seconds;

#[derive(Debug, clap::Args)]
pub(crate) struct LbBenchArgs {
    /// Seconds per measurement.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Three-second measurements (overrides `--duration`).
    #[arg(long)]
    quick: bool,
    /// Connections wrk keeps open (keep-alive) or keeps opening (new connections).
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// wrk's threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Backend HTTP servers behind each load balancer.
    #[arg(long, default_value_t = 3)]
    backends: usize,
    /// Bytes of every backend answer's body.
    #[arg(long, default_value_t = 256)]
    body_bytes: usize,
    /// Setups to measure, in this order.
    #[arg(long, value_delimiter = ',', default_value = "direct,berth,haproxy,nginx")]
    setups: Vec<Setup>,
    /// Connection modes to measure in each setup.
    #[arg(long, value_delimiter = ',', default_value = "keepalive,newconn")]
    modes: Vec<Mode>,
}

/// The backends' process: `berth bench lb-backend` (started by `berth bench lb`).
#[derive(Debug, clap::Args)]
pub(crate) struct LbBackendArgs {
    /// HTTP servers to run, each on a free loopback port.
    #[arg(long, default_value_t = 3)]
    count: usize,
    /// Bytes of every answer's body.
    #[arg(long, default_value_t = 256)]
    body_bytes: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Setup {
    Direct,
    Berth,
    Haproxy,
    Nginx,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::Direct => "direct",
            Setup::Berth => "berth",
            Setup::Haproxy => "haproxy",
            Setup::Nginx => "nginx",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Mode {
    /// Keep-alive connections.
    Keepalive,
    /// One request per connection (`Connection: close`).
    Newconn,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Keepalive => "keepalive",
            Mode::Newconn => "newconn",
        }
    }
}

/// Polls for readiness give up after this long.
const READY_DEADLINE: Duration = Duration::from_secs(30);
/// The warm-up before each measurement (connections, pools, caches).
const WARM_UP_SECONDS: u64 = 1;

/// The Berth listener's and target group's names.
const LISTENER_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/bench/1/1";
const GROUP_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bench/1";

pub(crate) async fn run(args: LbBenchArgs) -> anyhow::Result<()> {
    let duration = if args.quick { 3 } else { args.duration.max(1) };
    let Some(wrk) = find_program("wrk") else {
        println!("lb_skipped=\"wrk not found in PATH (apt-get install -y wrk)\"");
        return Ok(());
    };
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let backends = Backends::start(args.backends.max(1), args.body_bytes).await?;
    println!(
        "bench=lb backends={} backend=hyper_child_process body_bytes={} load=wrk wrk_threads={} connections={} duration_s={duration} warm_up_s={WARM_UP_SECONDS} direct_to=backend0 haproxy={} nginx={}",
        backends.addrs.len(),
        args.body_bytes,
        args.threads,
        args.connections,
        version_of("haproxy", &["-v"]).await,
        version_of("nginx", &["-v"]).await,
    );
    let load = Load { wrk, threads: args.threads, connections: args.connections, duration };
    let mut results: Vec<(Mode, Setup, Measured)> = Vec::new();
    for &setup in &args.setups {
        let Some(target) = start(setup, &backends.addrs, dir.path()).await? else { continue };
        for &mode in &args.modes {
            let measured = measure(&load, mode, &target, &backends).await?;
            print_measured(mode, setup, &measured);
            results.push((mode, setup, measured));
        }
        target.stop().await;
    }
    print_comparisons(&args.modes, &results);
    Ok(())
}

/// Runs the backend servers until standard input closes (the benchmark ended or died).
pub(crate) async fn serve_backends(args: LbBackendArgs) -> anyhow::Result<()> {
    let mut addrs = Vec::new();
    for index in 0..args.count.max(1) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        addrs.push(listener.local_addr()?.to_string());
        let body = Bytes::from(backend_body(index, args.body_bytes));
        let name = hyper::header::HeaderValue::from_str(&format!("b{index}"))?;
        tokio::spawn(serve_backend(listener, body, name));
    }
    println!("listening {}", addrs.join(","));
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink)
    })
    .await;
    Ok(())
}

/// The same number of bytes from every backend: its name, then filler.
fn backend_body(index: usize, bytes: usize) -> Vec<u8> {
    let mut body = format!("backend {index}\n").into_bytes();
    body.resize(bytes.max(body.len()), b'.');
    if let Some(last) = body.last_mut() {
        *last = b'\n';
    }
    body
}

async fn serve_backend(
    listener: tokio::net::TcpListener,
    body: Bytes,
    name: hyper::header::HeaderValue,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        let name = name.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |_req: Request<hyper::body::Incoming>| {
                    let mut res = Response::new(Full::new(body.clone()));
                    let headers = res.headers_mut();
                    headers.insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("text/plain"),
                    );
                    headers.insert("x-backend", name.clone());
                    async move { Ok::<_, std::convert::Infallible>(res) }
                });
            // hyper's server side is built for this binary because `lb` asks for it.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The backends' child process, killed when dropped.
struct Backends {
    addrs: Vec<SocketAddr>,
    child: tokio::process::Child,
}

impl Backends {
    async fn start(count: usize, body_bytes: usize) -> anyhow::Result<Backends> {
        let mut child = tokio::process::Command::new(std::env::current_exe()?)
            .args(["bench", "lb-backend", "--count", &count.to_string()])
            .args(["--body-bytes", &body_bytes.to_string()])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the backends (berth bench lb-backend)")?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("the backends' stdout")?;
        tokio::time::timeout(
            READY_DEADLINE,
            tokio::io::BufReader::new(stdout).read_line(&mut line),
        )
        .await
        .context("the backends did not start")??;
        let addrs = line
            .trim()
            .strip_prefix("listening ")
            .context("the backends' addresses")?
            .split(',')
            .map(|a| a.parse::<SocketAddr>().with_context(|| format!("backend address {a:?}")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Backends { addrs, child })
    }

    fn cpu_seconds(&self) -> f64 {
        self.child.id().and_then(cpu_seconds).unwrap_or(0.0)
    }
}

impl Drop for Backends {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// A running setup: where the load goes and whose CPU it costs.
struct Target {
    setup: Setup,
    addr: SocketAddr,
    running: Running,
}

enum Running {
    Direct,
    Berth(lb::Node),
    Child(Box<ProxyProcess>),
}

impl Target {
    /// CPU seconds the proxy has used so far (0 for `direct`).
    fn cpu_seconds(&self) -> f64 {
        match &self.running {
            Running::Direct => 0.0,
            Running::Berth(_) => cpu_seconds(std::process::id()).unwrap_or(0.0),
            Running::Child(process) => process.cpu_seconds(),
        }
    }

    async fn stop(self) {
        match self.running {
            Running::Direct => {}
            Running::Berth(node) => node.shutdown().await,
            Running::Child(process) => drop(process),
        }
    }
}

/// HAProxy or nginx, killed (with nginx's workers) when dropped.
struct ProxyProcess {
    child: tokio::process::Child,
    log: PathBuf,
}

impl ProxyProcess {
    fn spawn(program: &Path, args: &[&str], log: PathBuf) -> anyhow::Result<ProxyProcess> {
        let log_file =
            std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let child = tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", program.display()))?;
        Ok(ProxyProcess { child, log })
    }

    /// The process and its children (nginx's workers).
    fn pids(&self) -> Vec<u32> {
        let Some(pid) = self.child.id() else { return Vec::new() };
        let mut pids = vec![pid];
        pids.extend(children_of(pid));
        pids
    }

    fn cpu_seconds(&self) -> f64 {
        self.pids().into_iter().filter_map(cpu_seconds).sum()
    }

    /// What the program wrote, for errors.
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        // nginx's workers outlive a killed master, and the master replaces workers that die:
        // ask the master to stop (it stops and reaps its workers), and if it has not within a
        // second, kill it and then the workers it had, by their ids.
        let pids = self.pids();
        let Some((master, workers)) = pids.split_first() else { return };
        let signal = |signal: &str, pids: &[u32]| {
            let _ = std::process::Command::new("kill")
                .arg(signal)
                .args(pids.iter().map(u32::to_string))
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM", &[*master]);
        for _ in 0..100 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.start_kill();
        if !workers.is_empty() {
            signal("-KILL", workers);
        }
    }
}

/// The processes whose parent is `pid`, from `/proc` (Linux).
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&candidate| {
            std::fs::read_to_string(format!("/proc/{candidate}/stat")).ok().is_some_and(|stat| {
                // The parent's id is the second field after the command name.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}

/// Starts `setup` in front of `backends`; `None` when its program is not installed.
async fn start(
    setup: Setup,
    backends: &[SocketAddr],
    dir: &Path,
) -> anyhow::Result<Option<Target>> {
    let mut target = match setup {
        Setup::Direct => Target { setup, addr: backends[0], running: Running::Direct },
        Setup::Berth => start_berth(backends).await?,
        Setup::Haproxy | Setup::Nginx => {
            let name = setup.name();
            let Some(program) = find_program(name) else {
                println!(
                    "lb_{name}_skipped=\"{name} not found in PATH (apt-get install -y {name})\""
                );
                return Ok(None);
            };
            let port = free_port()?;
            let process = if setup == Setup::Haproxy {
                let config = dir.join("haproxy.cfg");
                std::fs::write(&config, haproxy_config(port, backends))?;
                ProxyProcess::spawn(
                    &program,
                    &["-db", "-f", path_str(&config)?],
                    dir.join("haproxy.log"),
                )?
            } else {
                let config = dir.join("nginx.conf");
                std::fs::write(&config, nginx_config(port, backends, dir))?;
                let error_log = dir.join("nginx-error.log");
                ProxyProcess::spawn(
                    &program,
                    &["-p", path_str(dir)?, "-c", path_str(&config)?, "-e", path_str(&error_log)?],
                    dir.join("nginx.log"),
                )?
            };
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            Target { setup, addr, running: Running::Child(Box::new(process)) }
        }
    };
    wait_serving(&mut target, backends.len()).await?;
    Ok(Some(target))
}

async fn start_berth(backends: &[SocketAddr]) -> anyhow::Result<Target> {
    let node = lb::Node::new("bench").with_bind_address(std::net::Ipv4Addr::LOCALHOST.into());
    let errors = node.apply(berth_config(free_port()?, backends)).await;
    if !errors.is_empty() {
        bail!("Berth's node could not serve its listener: {errors:?}");
    }
    let addr = node.bound(LISTENER_ARN).context("Berth's listener is not bound")?;
    let healthy = tokio::time::timeout(READY_DEADLINE, async {
        loop {
            let health = node.health();
            if health.len() == backends.len()
                && health.iter().all(|h| h.state == api::lb::HealthState::Healthy)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    if healthy.is_err() {
        bail!("Berth's targets were not all healthy within 30 s: {:?}", node.health());
    }
    Ok(Target { setup: Setup::Berth, addr, running: Running::Berth(node) })
}

/// One HTTP listener whose default rule forwards to one group of every backend.
fn berth_config(port: u16, backends: &[SocketAddr]) -> api::lb::Config {
    use api::lb::{
        Action, Algorithm, Config, HealthCheck, Listener, LoadBalancerType, Protocol, Rule, Target,
        TargetGroup, WeightedGroup,
    };
    Config {
        revision: 1,
        listeners: vec![Listener {
            arn: LISTENER_ARN.into(),
            load_balancer_arn:
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/bench/1"
                    .into(),
            load_balancer_dimension: "app/bench/1".into(),
            load_balancer_type: LoadBalancerType::Application,
            address: "127.0.0.1".into(),
            port,
            protocol: Protocol::Http,
            certificate: None,
            rules: vec![Rule {
                arn: format!("{LISTENER_ARN}/default"),
                priority: None,
                conditions: Vec::new(),
                action: Action::Forward {
                    target_groups: vec![WeightedGroup {
                        target_group_arn: GROUP_ARN.into(),
                        weight: 1,
                    }],
                    stickiness_seconds: None,
                },
            }],
            idle_timeout_seconds: 60,
        }],
        target_groups: vec![TargetGroup {
            arn: GROUP_ARN.into(),
            dimension: "targetgroup/bench/1".into(),
            protocol: Protocol::Http,
            health_check: HealthCheck {
                enabled: true,
                protocol: Protocol::Http,
                port: None,
                path: "/health".into(),
                interval_seconds: 1,
                timeout_seconds: 1,
                healthy_threshold: 2,
                unhealthy_threshold: 2,
                matcher: "200".into(),
            },
            algorithm: Algorithm::RoundRobin,
            slow_start_seconds: 0,
            stickiness_seconds: None,
            deregistration_delay_seconds: 0,
            targets: backends
                .iter()
                .enumerate()
                .map(|(index, addr)| Target {
                    id: format!("b{index}"),
                    port: addr.port(),
                    address: addr.to_string(),
                    draining: false,
                })
                .collect(),
        }],
    }
}

fn haproxy_config(port: u16, backends: &[SocketAddr]) -> String {
    let servers: String = backends
        .iter()
        .enumerate()
        .map(|(index, addr)| {
            format!("    server b{index} {addr} check inter 1s rise 2 fall 2 maxconn 1000\n")
        })
        .collect();
    format!(
        "global
    nbthread 2
    maxconn 4096

defaults
    mode http
    option http-keep-alive
    option forwardfor
    http-reuse always
    timeout connect 10s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend bench
    bind 127.0.0.1:{port}
    default_backend backends

backend backends
    balance roundrobin
    option httpchk GET /health
{servers}"
    )
}

fn nginx_config(port: u16, backends: &[SocketAddr], dir: &Path) -> String {
    let servers: String = backends.iter().map(|addr| format!("        server {addr};\n")).collect();
    let dir = dir.display();
    // As root, nginx's workers would run as `nobody`, which cannot use the temporary directory.
    format!(
        "worker_processes 2;
daemon off;
user root;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 60s;

    upstream backends {{
{servers}        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 60s;
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"
    )
}

/// Waits until the setup answers 200 and every backend has answered through it.
async fn wait_serving(target: &mut Target, backends: usize) -> anyhow::Result<()> {
    let want = if target.setup == Setup::Direct { 1 } else { backends };
    let mut seen = std::collections::BTreeSet::new();
    let deadline = tokio::time::Instant::now() + READY_DEADLINE;
    let mut last = String::new();
    while tokio::time::Instant::now() < deadline {
        if let Running::Child(process) = &mut target.running
            && let Ok(Some(status)) = process.child.try_wait()
        {
            bail!("{} exited ({status}): {}", target.setup.name(), process.log());
        }
        match probe(target.addr).await {
            Ok((200, backend)) => {
                seen.insert(backend);
                if seen.len() >= want {
                    return Ok(());
                }
                continue;
            }
            Ok((status, _)) => last = format!("status {status}"),
            Err(error) => last = format!("{error:#}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = match &target.running {
        Running::Child(process) => process.log(),
        _ => String::new(),
    };
    bail!(
        "{} did not serve every backend within 30 s (seen {seen:?}, last: {last}); its output: {log}",
        target.setup.name()
    )
}

/// One `GET /` on a new connection: the status and the `x-backend` header.
async fn probe(addr: SocketAddr) -> anyhow::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").await?;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await??;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .context("no status line")?;
    let backend = text
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("x-backend").then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    Ok((status, backend))
}

/// How wrk is run.
struct Load {
    wrk: PathBuf,
    threads: usize,
    connections: usize,
    duration: u64,
}

/// One measurement.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wrk: WrkFigures,
    lb_cpu_us_per_req: f64,
    backend_cpu_us_per_req: f64,
}

async fn measure(
    load: &Load,
    mode: Mode,
    target: &Target,
    backends: &Backends,
) -> anyhow::Result<Measured> {
    run_wrk(load, mode, target.addr, WARM_UP_SECONDS).await?;
    let lb_before = target.cpu_seconds();
    let backend_before = backends.cpu_seconds();
    let wrk = run_wrk(load, mode, target.addr, load.duration).await?;
    let requests = wrk.requests.max(1) as f64;
    let per_request = |seconds: f64| seconds * 1e6 / requests;
    Ok(Measured {
        wrk,
        lb_cpu_us_per_req: per_request(target.cpu_seconds() - lb_before),
        backend_cpu_us_per_req: per_request(backends.cpu_seconds() - backend_before),
    })
}

async fn run_wrk(
    load: &Load,
    mode: Mode,
    addr: SocketAddr,
    seconds: u64,
) -> anyhow::Result<WrkFigures> {
    let mut command = tokio::process::Command::new(&load.wrk);
    command
        .arg(format!("--threads={}", load.threads))
        .arg(format!("--connections={}", load.connections))
        .arg(format!("--duration={seconds}s"))
        .args(["--timeout=5s", "--latency"]);
    if mode == Mode::Newconn {
        command.args(["--header", "Connection: close"]);
    }
    let output = command
        .arg(format!("http://{addr}/"))
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed ({}): {text}{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk(&text).with_context(|| format!("reading wrk's output:\n{text}"))
}

/// What wrk reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct WrkFigures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    /// Socket errors (connect, read, write, timeout) and answers other than 2xx or 3xx.
    errors: u64,
}

fn parse_wrk(text: &str) -> anyhow::Result<WrkFigures> {
    let mut figures = WrkFigures::default();
    let (mut rps, mut p50, mut p99, mut requests) = (None, None, None, None);
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => rps = value.parse::<f64>().ok(),
            ["50%", value] => p50 = parse_time_ms(value),
            ["99%", value] => p99 = parse_time_ms(value),
            [count, "requests", "in", ..] => requests = count.parse::<u64>().ok(),
            ["Socket", "errors:", rest @ ..] => {
                figures.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                figures.errors += count.parse::<u64>().unwrap_or(0);
            }
            _ => {}
        }
    }
    figures.rps = rps.context("no Requests/sec")?;
    figures.p50_ms = p50.context("no 50% latency")?;
    figures.p99_ms = p99.context("no 99% latency")?;
    figures.requests = requests.context("no request count")?;
    Ok(figures)
}

/// wrk's durations (`250.00us`, `1.22ms`, `2.00s`, `1.50m`) in milliseconds.
fn parse_time_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 1e-3,
        "ms" => 1.0,
        "s" => 1e3,
        "m" => 60e3,
        "h" => 3600e3,
        _ => return None,
    };
    Some(number * factor)
}

fn print_measured(mode: Mode, setup: Setup, measured: &Measured) {
    let prefix = format!("lb_{}_{}", mode.name(), setup.name());
    let wrk = &measured.wrk;
    println!("{prefix}_rps={:.0}", wrk.rps);
    println!("{prefix}_p50_ms={:.3}", wrk.p50_ms);
    println!("{prefix}_p99_ms={:.3}", wrk.p99_ms);
    println!("{prefix}_requests={}", wrk.requests);
    println!("{prefix}_errors={}", wrk.errors);
    if setup != Setup::Direct {
        println!("{prefix}_lb_cpu_us_per_req={:.1}", measured.lb_cpu_us_per_req);
    }
    println!("{prefix}_backend_cpu_us_per_req={:.1}", measured.backend_cpu_us_per_req);
}

fn print_comparisons(modes: &[Mode], results: &[(Mode, Setup, Measured)]) {
    for &mode in modes {
        let find = |setup: Setup| {
            results.iter().find(|(m, s, _)| *m == mode && *s == setup).map(|(_, _, r)| r.wrk)
        };
        let name = mode.name();
        if let Some(berth) = find(Setup::Berth) {
            for other in [Setup::Haproxy, Setup::Nginx] {
                if let Some(other_figures) = find(other) {
                    println!(
                        "lb_{name}_berth_vs_{}_rps_ratio={:.3}",
                        other.name(),
                        berth.rps / other_figures.rps.max(f64::MIN_POSITIVE)
                    );
                }
            }
        }
        if let Some(direct) = find(Setup::Direct) {
            for proxy in [Setup::Berth, Setup::Haproxy, Setup::Nginx] {
                if let Some(figures) = find(proxy) {
                    let proxy = proxy.name();
                    println!(
                        "lb_{name}_{proxy}_added_p50_ms={:.3}",
                        figures.p50_ms - direct.p50_ms
                    );
                    println!(
                        "lb_{name}_{proxy}_added_p99_ms={:.3}",
                        figures.p99_ms - direct.p99_ms
                    );
                }
            }
        }
    }
}

/// `name` in `PATH`, or in `/usr/sbin` and `/usr/local/sbin` (where Debian puts the proxies).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The program's version (its first line of `args` output, words joined by `_`), or `absent`.
async fn version_of(name: &str, args: &[&str]) -> String {
    let Some(program) = find_program(name) else { return "absent".to_owned() };
    let Ok(output) = tokio::process::Command::new(program).args(args).output().await else {
        return "unknown".to_owned();
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // `HAProxy version 2.6.12-1+deb12u4 ...`, `nginx version: nginx/1.22.1`.
    text.split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()) || w.starts_with("nginx/"))
        .map_or_else(|| "unknown".to_owned(), |w| w.trim_start_matches("nginx/").to_owned())
}

/// A loopback port free now (bound, then released).
fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK_OUTPUT: &str = "Running 10s test @ http://127.0.0.1:8080/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   635.91us    0.89ms  12.92ms   93.69%
    Req/Sec    56.20k     8.07k   62.00k    86.54%
  Latency Distribution
     50%  250.00us
     75%  491.00us
     90%    1.22ms
     99%    1.01s
  1125375 requests in 10.00s, 144.83MB read
  Socket errors: connect 0, read 3, write 1, timeout 0
  Non-2xx or 3xx responses: 5
Requests/sec: 112500.45
Transfer/sec:     14.48MB
";

    #[test]
    fn wrk_output_is_read() {
        let figures = parse_wrk(WRK_OUTPUT).unwrap();
        assert_eq!(
            figures,
            WrkFigures {
                rps: 112_500.45,
                p50_ms: 0.25,
                p99_ms: 1010.0,
                requests: 1_125_375,
                errors: 9
            }
        );
        assert!(parse_wrk("Requests/sec: 1\n").is_err());
    }

    #[test]
    fn backend_bodies_have_the_same_length() {
        assert_eq!(backend_body(0, 256).len(), 256);
        assert_eq!(backend_body(12, 256).len(), 256);
        assert!(backend_body(1, 256).starts_with(b"backend 1\n"));
        assert!(backend_body(1, 256).ends_with(b".\n"));
    }
}
