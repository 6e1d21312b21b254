//! Shared fixtures of the Docker tests: the connection (failing loudly when Docker is absent),
//! the offline busybox test image, per-test labels with cleanup that runs even when a test
//! fails, a throwaway local registry, and bounded waiting.
//!
//! Cleanup goes through the `docker` CLI from `Drop`, so it needs no async runtime and runs
//! during a panic's unwinding.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agent::docker::DockerRuntime;
use agent::runtime::{ContainerSpec, ContainerStatus, Runtime};

/// The image every test runs: busybox-static copied into an empty image.
pub(crate) const TEST_IMAGE: &str = "berth-test/busybox:1";

/// The label that marks a test's containers and volumes; its value is unique per test.
pub(crate) const TEST_LABEL: &str = "berth.test";

/// Runs the docker CLI; panics (naming the command) unless it succeeds. Returns stdout.
pub(crate) fn docker(args: &[&str]) -> String {
    let output = Command::new("docker")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `docker {}`: {e}", args.join(" ")));
    assert!(
        output.status.success(),
        "`docker {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs the docker CLI, ignoring failure (for cleanup).
fn docker_quiet(args: &[&str]) -> String {
    Command::new("docker")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// `docker inspect` of one object, as JSON: an independent view of what was created.
pub(crate) fn docker_inspect(id: &str) -> serde_json::Value {
    let text = docker(&["inspect", id]);
    let mut list: Vec<serde_json::Value> =
        serde_json::from_str(&text).expect("docker inspect JSON");
    list.remove(0)
}

/// Connects to the local Docker Engine and makes sure the test image exists. Panics with an
/// explanation when Docker is not reachable: these tests must not pass by skipping.
pub(crate) async fn runtime() -> DockerRuntime {
    let runtime = match DockerRuntime::connect(None).await {
        Ok(runtime) => runtime,
        Err(e) => panic!(
            "Docker is not reachable ({e}). These tests need a running Docker Engine: \
             start dockerd (CI: .ci/run starts it) or set DOCKER_HOST."
        ),
    };
    ensure_test_image();
    runtime
}

static IMAGE_READY: Mutex<bool> = Mutex::new(false);

/// Builds [`TEST_IMAGE`] from the host's static busybox, once per test run; reuses an
/// existing one.
pub(crate) fn ensure_test_image() {
    let mut ready = IMAGE_READY.lock().unwrap_or_else(|p| p.into_inner());
    if *ready {
        return;
    }
    let present = Command::new("docker")
        .args(["image", "inspect", TEST_IMAGE])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        let busybox = PathBuf::from("/bin/busybox");
        assert!(
            busybox.exists(),
            "/bin/busybox is missing: install Debian's busybox-static to build {TEST_IMAGE}"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(&busybox, dir.path().join("busybox")).expect("copy busybox");
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCMD [\"/bin/sh\"]\n",
        )
        .expect("write Dockerfile");
        docker(&["build", "-q", "-t", TEST_IMAGE, &dir.path().display().to_string()]);
    }
    *ready = true;
}

/// A unique name for this process and call: `<base>-<pid>-<n>`.
pub(crate) fn unique(base: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!("{base}-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// One test's label; dropping it force-removes every container and volume carrying it.
pub(crate) struct Scope {
    pub(crate) value: String,
}

impl Scope {
    pub(crate) fn new(test: &str) -> Scope {
        Scope { value: unique(test) }
    }

    pub(crate) fn label(&self) -> (&str, &str) {
        (TEST_LABEL, &self.value)
    }

    fn filter(&self) -> String {
        format!("label={TEST_LABEL}={}", self.value)
    }

    /// A spec for [`TEST_IMAGE`] named `<scope>-<name>`, carrying the scope's label.
    pub(crate) fn spec(&self, name: &str, command: &[&str]) -> ContainerSpec {
        ContainerSpec {
            name: self.name(name),
            image: TEST_IMAGE.to_string(),
            labels: [(TEST_LABEL.to_string(), self.value.clone())].into(),
            command: Some(command.iter().map(|s| s.to_string()).collect()),
            ..ContainerSpec::default()
        }
    }

    pub(crate) fn name(&self, name: &str) -> String {
        format!("{}-{name}", self.value)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let filter = self.filter();
        let containers = docker_quiet(&["ps", "-aq", "--filter", &filter]);
        let ids: Vec<&str> = containers.split_whitespace().collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(&ids);
            docker_quiet(&args);
        }
        let volumes = docker_quiet(&["volume", "ls", "-q", "--filter", &filter]);
        let names: Vec<&str> = volumes.split_whitespace().collect();
        if !names.is_empty() {
            let mut args = vec!["volume", "rm", "-f"];
            args.extend(&names);
            docker_quiet(&args);
        }
    }
}

/// Removes image tags when dropped (the image itself stays if other tags use it).
pub(crate) struct Tags(pub(crate) Vec<String>);

impl Drop for Tags {
    fn drop(&mut self) {
        for tag in &self.0 {
            docker_quiet(&["rmi", tag]);
        }
    }
}

/// Polls `check` every `every` until it returns `Some`, for at most `limit`.
pub(crate) async fn wait_for<T, F, Fut>(limit: Duration, every: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(every).await;
    }
}

/// Waits (at most `limit`) until the container satisfies `done`; panics with its last status
/// otherwise.
pub(crate) async fn wait_status(
    runtime: &DockerRuntime,
    id: &str,
    limit: Duration,
    what: &str,
    done: impl Fn(&ContainerStatus) -> bool,
) -> ContainerStatus {
    let found = wait_for(limit, Duration::from_millis(200), || async {
        runtime.inspect(id).await.expect("inspect").filter(|s| done(s))
    })
    .await;
    match found {
        Some(status) => status,
        None => {
            panic!("container {id} not {what} within {limit:?}: {:?}", runtime.inspect(id).await)
        }
    }
}

/// Bounds a whole test.
pub(crate) async fn within<T>(limit: Duration, test: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, test)
        .await
        .unwrap_or_else(|_| panic!("test took longer than {limit:?}"))
}

/// A loopback port nobody listens on (at the time of asking).
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

/// A plain HTTP/1.0 GET over loopback; returns the whole response.
pub(crate) fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// Debian's `docker-registry` on a free loopback port with its storage in a temp dir; killed
/// when dropped.
pub(crate) struct Registry {
    pub(crate) port: u16,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Registry {
    pub(crate) fn start() -> Registry {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let config = dir.path().join("registry.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
                dir.path().join("data").display()
            ),
        )
        .expect("write registry config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("registry log");
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start docker-registry (Debian package docker-registry): {e}")
            });
        let registry = Registry { port, child, _dir: dir };
        let started = Instant::now();
        while !http_get(port, "/v2/")
            .is_ok_and(|r| r.starts_with("HTTP/1.0 200") || r.starts_with("HTTP/1.1 200"))
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "docker-registry did not answer on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        registry
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
