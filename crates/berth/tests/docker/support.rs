//! Real-Docker test support: the busybox test image, `berth agent` processes, a local
//! registry, and cleanup of everything a test cluster created.

#![allow(unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::Duration;

use crate::common::Server;

pub const IMAGE: &str = "berth-test/busybox:1";

/// Runs the docker CLI.
pub fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker").args(args).output().expect("running the docker CLI")
}

/// The AWS CLI: the one CI installs in `.venv-test`, or `aws` on the PATH.
pub fn aws() -> String {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin/aws");
    if venv.exists() { venv.display().to_string() } else { "aws".to_owned() }
}

/// Runs the AWS CLI (as the test administrator) against `endpoint` and returns its JSON answer.
pub fn cli(endpoint: &str, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(crate::support::aws())
        .args(args)
        .args(["--endpoint-url", endpoint, "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", crate::common::ADMIN_KEY)
        .env("AWS_SECRET_ACCESS_KEY", crate::common::ADMIN_SECRET)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .expect("running the AWS CLI");
    assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// Builds the busybox test image offline (FROM scratch with Debian's busybox-static).
pub fn ensure_image() {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        assert!(
            docker(&["info", "--format", "{{.ServerVersion}}"]).status.success(),
            "Docker is not reachable: start dockerd (CI's .ci/run does)"
        );
        if docker(&["image", "inspect", IMAGE]).status.success() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy("/bin/busybox", dir.path().join("busybox")).expect("/bin/busybox (Debian's busybox-static)");
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCMD [\"/bin/sh\"]\n",
        )
        .unwrap();
        let built = docker(&["build", "-q", "-t", IMAGE, dir.path().to_str().unwrap()]);
        assert!(built.status.success(), "building the test image: {}", String::from_utf8_lossy(&built.stderr));
    });
}

/// A container of the test image running `command` with `sh -c`, 64 MiB.
pub fn container(name: &str, command: &str) -> aws_sdk_ecs::types::ContainerDefinition {
    aws_sdk_ecs::types::ContainerDefinition::builder()
        .name(name)
        .image(IMAGE)
        .memory(64)
        .command("sh")
        .command("-c")
        .command(command)
        .build()
}

/// A unique cluster name for a test, and the cleanup of what it leaves in Docker.
pub struct TestCluster {
    pub name: String,
}

impl TestCluster {
    pub fn new(prefix: &str) -> TestCluster {
        ensure_image();
        let unique = format!(
            "{:x}",
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
        );
        TestCluster { name: format!("e2e-{prefix}-{}", &unique[unique.len() - 8..]) }
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let filter = format!("label=berth.cluster={}", self.name);
        let ids = docker(&["ps", "-aq", "--filter", &filter]);
        let labels =
            docker(&["ps", "-a", "--filter", &filter, "--format", "{{.Label \"berth.task-arn\"}}"]);
        for id in String::from_utf8_lossy(&ids.stdout).split_whitespace() {
            let _ = docker(&["rm", "-f", "-v", id]);
        }
        // The cgroups Fargate tasks of the cluster had (an agent killed before its cleanup
        // leaves them, empty).
        for arn in String::from_utf8_lossy(&labels.stdout).split_whitespace() {
            let task = arn.rsplit('/').next().unwrap_or_default();
            if task.is_empty() {
                continue;
            }
            for root in std::fs::read_dir("/sys/fs/cgroup").into_iter().flatten().flatten() {
                let _ = std::fs::remove_dir(root.path().join("berth-tasks").join(task));
            }
            let _ =
                std::fs::remove_dir(std::path::Path::new("/sys/fs/cgroup/berth-tasks").join(task));
        }
        let volumes = docker(&["volume", "ls", "-q", "--filter", &filter]);
        for name in String::from_utf8_lossy(&volumes.stdout).split_whitespace() {
            let _ = docker(&["volume", "rm", "-f", name]);
        }
    }
}

/// A `berth agent` process, killed when dropped.
pub struct AgentProcess {
    child: Option<Child>,
    server: String,
    cluster: String,
    token: String,
    state_dir: std::path::PathBuf,
    zone: String,
    /// More arguments for `berth agent`.
    extra: Vec<String>,
    /// The network namespace (a test host) the agent runs in.
    netns: Option<String>,
    _state: Option<tempfile::TempDir>,
}

impl AgentProcess {
    pub fn start(server: &Server, cluster: &str, zone: &str) -> AgentProcess {
        AgentProcess::start_with(server, cluster, zone, &[])
    }

    /// Starts an agent with more arguments (`--container-instance-arn ...`).
    pub fn start_with(server: &Server, cluster: &str, zone: &str, extra: &[&str]) -> AgentProcess {
        AgentProcess::launch(server, cluster, zone, extra, None)
    }

    fn launch(
        server: &Server,
        cluster: &str,
        zone: &str,
        extra: &[&str],
        netns: Option<&str>,
    ) -> AgentProcess {
        let state = tempfile::tempdir().unwrap();
        let mut agent = AgentProcess {
            child: None,
            server: server.endpoint.clone(),
            cluster: cluster.to_owned(),
            token: server.agent_token(cluster),
            state_dir: state.path().to_path_buf(),
            zone: zone.to_owned(),
            extra: extra.iter().map(|a| (*a).to_owned()).collect(),
            netns: netns.map(str::to_owned),
            _state: Some(state),
        };
        agent.spawn();
        agent
    }

    /// Starts an agent of the Fargate pool (`--fargate`, or `--fargate-spot` for Spot).
    pub fn start_fargate(server: &Server, zone: &str, spot: bool) -> AgentProcess {
        let flag = if spot { "--fargate-spot" } else { "--fargate" };
        AgentProcess::launch(server, server::FARGATE_POOL, zone, &[flag], None)
    }

    /// Starts an agent on a test host: in the network namespace `host`.
    pub fn start_on(host: &str, server: &Server, cluster: &str, zone: &str) -> AgentProcess {
        AgentProcess::launch(server, cluster, zone, &[], Some(host))
    }

    fn spawn(&mut self) {
        let mut command = match &self.netns {
            // `ip netns exec` runs the agent in place of itself: killing it kills the agent.
            Some(netns) => {
                let mut command = Command::new("ip");
                command.args(["netns", "exec", netns, env!("CARGO_BIN_EXE_berth")]);
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_berth")),
        };
        // A pool agent names no cluster: its flag says it serves the pool.
        let cluster: &[&str] =
            if self.cluster == server::FARGATE_POOL { &[] } else { &["--cluster", &self.cluster] };
        let child = command
            .args(["agent", "--server", &self.server, "--availability-zone", &self.zone])
            .args(cluster)
            .arg("--state-dir")
            .arg(&self.state_dir)
            .args(["--cleanup-wait", "1", "--stop-timeout", "10", "--usage-interval", "1"])
            .args(&self.extra)
            .env("BERTH_AGENT_TOKEN", &self.token)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting berth agent");
        self.child = Some(child);
    }

    /// SIGKILL: the agent gets no chance to clean up.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the agent again with the same state directory.
    pub fn restart(&mut self) {
        assert!(self.child.is_none());
        self.spawn();
    }

    pub fn state_dir(&self) -> &Path {
        &self.state_dir
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Test hosts: network namespaces `<prefix>h1`, `<prefix>h2`, ... each with an address on a
/// bridge of the test's own (`10.213.<n>.<i>/24`, the bridge `.254`), removed when dropped.
pub struct TestHosts {
    prefix: String,
    pub bridge: String,
    pub subnet: String,
    pub count: usize,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn iptables(args: &[&str]) -> bool {
    Command::new("iptables").args(args).output().is_ok_and(|o| o.status.success())
}

impl TestHosts {
    pub fn new(count: usize) -> TestHosts {
        let n = std::process::id() % 200 + 20;
        let prefix = format!("bt{n}");
        let hosts = TestHosts {
            bridge: format!("{prefix}br"),
            subnet: format!("10.213.{n}"),
            prefix,
            count,
        };
        hosts.remove();
        ip(&["link", "add", &hosts.bridge, "type", "bridge"]);
        ip(&["addr", "add", &format!("{}.254/24", hosts.subnet), "dev", &hosts.bridge]);
        ip(&["link", "set", &hosts.bridge, "up"]);
        // Frames between the hosts cross the bridge; a host firewall that drops forwarded
        // traffic (Docker's) would see them too where bridge netfilter is on.
        iptables(&["-I", "FORWARD", "1", "-i", &hosts.bridge, "-o", &hosts.bridge, "-j", "ACCEPT"]);
        for i in 1..=count {
            let netns = hosts.host(i);
            let outside = format!("{netns}x");
            ip(&["netns", "add", &netns]);
            ip(&["link", "add", &outside, "type", "veth", "peer", "name", "eth0", "netns", &netns]);
            ip(&["link", "set", &outside, "master", &hosts.bridge, "up"]);
            let inside = |args: &[&str]| {
                let mut all = vec!["netns", "exec", &netns, "ip"];
                all.extend_from_slice(args);
                ip(&all);
            };
            inside(&["addr", "add", &format!("{}.{i}/24", hosts.subnet), "dev", "eth0"]);
            inside(&["link", "set", "eth0", "up"]);
            inside(&["link", "set", "lo", "up"]);
            inside(&["route", "add", "default", "via", &format!("{}.254", hosts.subnet)]);
        }
        hosts
    }

    /// The network namespace of host `i` (from 1).
    pub fn host(&self, i: usize) -> String {
        format!("{}h{i}", self.prefix)
    }

    /// The address host `i` has on the test's network.
    pub fn address(&self, i: usize) -> String {
        format!("{}.{i}", self.subnet)
    }

    /// The interfaces of host `i`, as `ip -o link` lists them.
    pub fn links(&self, i: usize) -> String {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.host(i), "ip", "-o", "link"])
            .output()
            .expect("ip");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The routes of host `i`.
    pub fn routes(&self, i: usize) -> String {
        let out = Command::new("ip")
            .args(["netns", "exec", &self.host(i), "ip", "route"])
            .output()
            .expect("ip");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn remove(&self) {
        for i in 1..=self.count.max(4) {
            let _ = Command::new("ip").args(["netns", "delete", &self.host(i)]).output();
        }
        let _ = Command::new("ip").args(["link", "delete", &self.bridge]).output();
        while iptables(&["-D", "FORWARD", "-i", &self.bridge, "-o", &self.bridge, "-j", "ACCEPT"]) {
        }
    }
}

impl Drop for TestHosts {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Debian's `docker-registry` on a free loopback port, stopped when dropped.
pub struct Registry {
    child: Child,
    pub address: String,
    _storage: tempfile::TempDir,
}

impl Registry {
    pub fn start() -> Registry {
        let storage = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let address = format!("127.0.0.1:{port}");
        let config = storage.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {address}\n",
                storage.path().join("data").display()
            ),
        )
        .unwrap();
        let mut child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting docker-registry (Debian's docker-registry package)");
        // Wait until it listens.
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
        for _ in 0..100 {
            if std::net::TcpStream::connect(&address).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry { child, address, _storage: storage }
    }

    /// Pushes the test image as `name` and removes the local copy of that name, so only a pull
    /// can bring it back. Returns the image reference.
    pub fn push_test_image(&self, name: &str) -> String {
        let reference = format!("{}/{name}", self.address);
        assert!(docker(&["tag", IMAGE, &reference]).status.success());
        let pushed = docker(&["push", &reference]);
        assert!(pushed.status.success(), "push: {}", String::from_utf8_lossy(&pushed.stderr));
        assert!(docker(&["rmi", &reference]).status.success());
        reference
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes a local image reference (after a test pulled it).
pub fn remove_image(reference: &str) {
    let _ = docker(&["rmi", "-f", reference]);
}

/// The `docker inspect` document of a container.
pub fn inspect(id: &str) -> serde_json::Value {
    let out = docker(&["inspect", id]);
    assert!(out.status.success(), "docker inspect {id}");
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    all[0].clone()
}

/// A forwarder that accepts connections at once but holds each one until it is opened, then
/// joins it to the target: a pull through it is under way and stays so, deterministically.
/// Stops (and drops every connection) when dropped.
pub struct HeldForwarder {
    gate: tokio::sync::watch::Sender<bool>,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    server: tokio::task::JoinHandle<()>,
}

/// Where a [`HeldForwarder`] listens and where it forwards to.
pub enum Endpoints {
    /// A free loopback TCP port (see [`HeldForwarder::port`]) to a TCP address.
    Tcp { target: String },
    /// A Unix socket path to another Unix socket path.
    Unix { path: std::path::PathBuf, target: std::path::PathBuf },
}

/// Holds `inbound` until the gate opens, then connects (`connect` runs only then) and copies
/// both ways until either side closes.
async fn pass_when_open<A, B>(
    mut gate: tokio::sync::watch::Receiver<bool>,
    mut inbound: A,
    connect: impl std::future::Future<Output = std::io::Result<B>>,
) where
    A: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    B: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    if gate.wait_for(|open| *open).await.is_err() {
        return;
    }
    if let Ok(mut outbound) = connect.await {
        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
    }
}

impl HeldForwarder {
    /// Starts listening; connections wait until [`HeldForwarder::open`] unless `open` is set.
    /// Returns the forwarder and, for TCP, the port it listens on.
    pub async fn start(endpoints: Endpoints, open: bool) -> (HeldForwarder, Option<u16>) {
        use std::sync::atomic::Ordering;
        let (gate, _) = tokio::sync::watch::channel(open);
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = accepted.clone();
        let gates = gate.clone();
        let (server, port) = match endpoints {
            Endpoints::Tcp { target } => {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let port = listener.local_addr().unwrap().port();
                let server = tokio::spawn(async move {
                    while let Ok((inbound, _)) = listener.accept().await {
                        counter.fetch_add(1, Ordering::SeqCst);
                        let connect = tokio::net::TcpStream::connect(target.clone());
                        tokio::spawn(pass_when_open(gates.subscribe(), inbound, connect));
                    }
                });
                (server, Some(port))
            }
            Endpoints::Unix { path, target } => {
                let listener = tokio::net::UnixListener::bind(&path).unwrap();
                let server = tokio::spawn(async move {
                    while let Ok((inbound, _)) = listener.accept().await {
                        counter.fetch_add(1, Ordering::SeqCst);
                        let connect = tokio::net::UnixStream::connect(target.clone());
                        tokio::spawn(pass_when_open(gates.subscribe(), inbound, connect));
                    }
                });
                (server, None)
            }
        };
        (HeldForwarder { gate, accepted, server }, port)
    }

    /// Lets every held connection, and every later one, through.
    pub fn open(&self) {
        self.gate.send_replace(true);
    }

    /// How many connections were accepted.
    pub fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for HeldForwarder {
    fn drop(&mut self) {
        self.server.abort();
        // Held connections end with the gate.
        self.gate.send_replace(false);
    }
}

/// The ids of the containers (running or not) labelled with a task.
pub fn containers_of_task(task_arn: &str) -> Vec<String> {
    let filter = format!("label=berth.task-arn={task_arn}");
    let out = docker(&["ps", "-aq", "--filter", &filter]);
    String::from_utf8_lossy(&out.stdout).split_whitespace().map(str::to_owned).collect()
}

/// What `address:port` answers to `GET /` over HTTP/1.0, if it answers `200 OK`.
pub async fn http_get(address: &str, port: u16) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect((address, port)).await.ok()?;
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").await.ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).await.ok()?;
    text.contains("200 OK").then_some(text)
}
