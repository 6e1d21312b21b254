//! What every integration test needs: a real `berth server` process on a free port with its
//! own data directory, an `aws-sdk-ecs` client pointed at it, and a raw JSON client for
//! protocol-level checks.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_sdk_ecs::config::{BehaviorVersion, Credentials, Region};

/// A `berth server` child process, killed when dropped.
pub struct Server {
    child: Option<Child>,
    pub endpoint: String,
    pub data_dir: PathBuf,
    args: Vec<String>,
    _temp: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a server with a fresh data directory.
    pub fn start() -> Server {
        let temp = tempfile::tempdir().expect("temporary directory");
        let dir = temp.path().to_path_buf();
        let mut server = Server::start_in(&dir, None, None);
        server._temp = Some(temp);
        server
    }

    /// Starts a server with a fresh data directory and the given configuration file.
    pub fn start_with_config(config: &Path) -> Server {
        let temp = tempfile::tempdir().expect("temporary directory");
        let dir = temp.path().to_path_buf();
        let mut server = Server::start_in(&dir, None, Some(config));
        server._temp = Some(temp);
        server
    }

    /// Starts a server with a fresh data directory and extra command-line arguments.
    pub fn start_with_args(args: &[&str]) -> Server {
        let temp = tempfile::tempdir().expect("temporary directory");
        let dir = temp.path().to_path_buf();
        let mut server = Server::launch(&dir, None, None, args);
        server.args = args.iter().map(|a| (*a).to_owned()).collect();
        server._temp = Some(temp);
        server
    }

    /// Starts a server on `data_dir`, listening on `port` if given (else a free one).
    pub fn start_in(data_dir: &Path, port: Option<u16>, config: Option<&Path>) -> Server {
        Server::launch(data_dir, port, config, &[])
    }

    /// Starts a server on an existing `data_dir` with extra command-line arguments.
    pub fn start_in_with_args(data_dir: &Path, args: &[&str]) -> Server {
        let mut server = Server::launch(data_dir, None, None, args);
        server.args = args.iter().map(|a| (*a).to_owned()).collect();
        server
    }

    fn launch(data_dir: &Path, port: Option<u16>, config: Option<&Path>, args: &[&str]) -> Server {
        // Every test server knows the test administrator key (unless a test brings its own
        // access control), with throttling off.
        let auth_file = data_dir.join("auth.toml");
        let own_auth = args.iter().any(|a| *a == "--auth-config" || *a == "--no-auth");
        if !own_auth && !auth_file.exists() {
            std::fs::create_dir_all(data_dir).expect("the data directory");
            std::fs::write(&auth_file, admin_auth_file()).expect("writing the test auth file");
        }
        let listen = format!("127.0.0.1:{}", port.unwrap_or(0));
        let mut command = Command::new(env!("CARGO_BIN_EXE_berth"));
        command.args(["server", "--data-dir"]).arg(data_dir);
        if !args.contains(&"--listen") {
            command.args(["--listen", &listen]);
        }
        if let Some(config) = config {
            command.arg("--config").arg(config);
        }
        command.args(args);
        let mut child = command
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting berth server");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("reading the server's first line");
        let endpoint = line
            .trim()
            .strip_prefix("Listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from berth server: {line:?}"))
            .to_owned();
        Server {
            child: Some(child),
            endpoint,
            data_dir: data_dir.to_path_buf(),
            args: Vec::new(),
            _temp: None,
        }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.endpoint.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Sends the server SIGHUP (it reloads its auth file).
    pub fn hangup(&self) {
        let pid = self.child.as_ref().expect("a running server").id();
        let status = Command::new("kill").args(["-HUP", &pid.to_string()]).status().expect("kill");
        assert!(status.success());
    }

    /// Kills the server with SIGKILL: no chance to flush or clean up.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the server as an operator would, with SIGTERM, and waits (at most 30 s) for it to
    /// exit successfully: it stops serving, lets its workers finish and closes its store.
    pub fn terminate(&mut self) {
        let mut child = self.child.take().expect("a running server");
        let pid = child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(status.success());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let exit = loop {
            if let Some(exit) = child.try_wait().expect("waiting for berth server") {
                break exit;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("berth server did not exit within 30 s of SIGTERM");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert!(exit.success(), "berth server exited with {exit} after SIGTERM");
    }

    /// Kills the server with SIGKILL and starts it again on the same data and port.
    pub fn crash_and_restart(&mut self) {
        self.kill9();
        self.restart();
    }

    /// Starts the (stopped) server again on the same data and port.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let restarted = Server::launch(&self.data_dir, Some(self.port()), None, &args);
        self.child = restarted.into_child();
    }

    fn into_child(mut self) -> Option<Child> {
        self.child.take()
    }

    /// The agent token of `cluster`, read from the server's data directory.
    pub fn agent_token(&self, cluster: &str) -> String {
        let text =
            std::fs::read_to_string(self.data_dir.join("agent-secret")).expect("the agent secret");
        let secret = hex::decode(text.trim()).expect("a hex secret");
        server::caller::agent_token(&secret, cluster)
    }

    pub fn ecs(&self) -> aws_sdk_ecs::Client {
        ecs_client(&self.endpoint)
    }

    pub fn raw(&self) -> Raw {
        Server::raw_for(&self.endpoint)
    }

    pub fn raw_for(endpoint: &str) -> Raw {
        Raw { endpoint: endpoint.to_owned(), http: reqwest::Client::new() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The test administrator's access key.
pub const ADMIN_KEY: &str = "AKIDBERTHTEST";
pub const ADMIN_SECRET: &str = "berth-test-secret";

/// An auth file with the test administrator and throttling off.
pub fn admin_auth_file() -> String {
    format!(
        "[[users]]\nname = \"admin\"\nmanaged-policies = [\"AdministratorAccess\"]\n[[users.keys]]\naccess-key-id = \"{ADMIN_KEY}\"\nsecret-access-key = \"{ADMIN_SECRET}\"\n[throttle]\nenabled = false\n"
    )
}

/// A user of an auth file: name, one inline policy document, access key id, secret.
pub struct TestUser<'a> {
    pub name: &'a str,
    pub policy: &'a str,
    pub key: &'a str,
    pub secret: &'a str,
}

/// The test administrator's auth file (throttling off) with `users` added.
pub fn auth_file_with(users: &[TestUser<'_>]) -> String {
    let mut file = admin_auth_file();
    for user in users {
        file.push_str(&format!(
            "\n[[users]]\nname = \"{}\"\npolicies = ['''{}''']\n[[users.keys]]\naccess-key-id = \"{}\"\nsecret-access-key = \"{}\"\n",
            user.name, user.policy, user.key, user.secret
        ));
    }
    file
}

/// A policy document allowing `actions` (a JSON list or string) on every resource.
pub fn allow(actions: &str) -> String {
    format!(r#"{{"Statement": {{"Effect": "Allow", "Action": {actions}, "Resource": "*"}}}}"#)
}

pub fn ecs_client(endpoint: &str) -> aws_sdk_ecs::Client {
    ecs_client_as(endpoint, ADMIN_KEY, ADMIN_SECRET)
}

/// A client signing with the given key.
pub fn ecs_client_as(endpoint: &str, key: &str, secret: &str) -> aws_sdk_ecs::Client {
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

/// The headers AWS Signature V4 adds to a `POST /` with `headers` and `body`, as the AWS CLI
/// signs it (content-type, host, x-amz-date, x-amz-target).
pub fn sign(
    endpoint: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    key: &str,
    secret: &str,
    at: std::time::SystemTime,
) -> Vec<(String, String)> {
    sign_for("ecs", endpoint, headers, body, key, secret, at)
}

/// [`sign`], for the AWS service `service` (`acm`, `elasticloadbalancing`, ...).
pub fn sign_for(
    service: &str,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    key: &str,
    secret: &str,
    at: std::time::SystemTime,
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;
    let identity = aws_credential_types::Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(at)
        .settings(SigningSettings::default())
        .build()
        .expect("signing parameters")
        .into();
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut signed: Vec<(&str, &str)> = headers.to_vec();
    signed.push(("host", &host));
    let request = SignableRequest::new(
        "POST",
        format!("{endpoint}/"),
        signed.iter().copied(),
        SignableBody::Bytes(body),
    )
    .expect("a signable request");
    let (instructions, _) = sign(request, &params).expect("signing").into_parts();
    instructions.headers().map(|(name, value)| (name.to_owned(), value.to_owned())).collect()
}

/// A response as seen on the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub error_type: Option<String>,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
    /// The instance token a RegisterContainerInstance answer carries.
    pub instance_token: Option<String>,
    pub body: serde_json::Value,
}

/// Sends hand-made ECS requests, to check the protocol itself.
pub struct Raw {
    endpoint: String,
    http: reqwest::Client,
}

impl Raw {
    pub async fn call(&self, target: Option<&str>, body: &str) -> RawResponse {
        self.try_call(target, body).await.expect("request")
    }

    /// Like `call`, but `None` when the server cannot be reached or the answer is cut off.
    pub async fn try_call(&self, target: Option<&str>, body: &str) -> Option<RawResponse> {
        let mut headers = vec![("content-type", "application/x-amz-json-1.1")];
        if let Some(target) = target {
            headers.push(("x-amz-target", target));
        }
        let signature = sign(
            &self.endpoint,
            &headers,
            body.as_bytes(),
            ADMIN_KEY,
            ADMIN_SECRET,
            std::time::SystemTime::now(),
        );
        let mut request = self.http.post(format!("{}/", self.endpoint)).body(body.to_owned());
        for (name, value) in headers.iter().copied() {
            request = request.header(name, value);
        }
        for (name, value) in &signature {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await.ok()?;
        Some(Raw::read(response).await)
    }

    /// Sends a request exactly as given: no signature is added.
    pub async fn unsigned(&self, headers: &[(String, String)], body: &[u8]) -> RawResponse {
        let mut request = self.http.post(format!("{}/", self.endpoint)).body(body.to_vec());
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        Raw::read(request.send().await.expect("request")).await
    }

    /// Calls an operation by name with a JSON body.
    pub async fn op(&self, op: &str, body: serde_json::Value) -> RawResponse {
        self.call(Some(&format!("AmazonEC2ContainerServiceV20141113.{op}")), &body.to_string())
            .await
    }

    /// Calls an operation carrying an agent token.
    pub async fn op_with_token(
        &self,
        op: &str,
        body: serde_json::Value,
        token: &str,
    ) -> RawResponse {
        let request = self
            .http
            .post(format!("{}/", self.endpoint))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("AmazonEC2ContainerServiceV20141113.{op}"))
            .header("x-berth-agent-token", token)
            .body(body.to_string());
        Raw::read(request.send().await.expect("request")).await
    }

    /// Posts to a non-ECS path (the agent channel) carrying an agent token.
    pub async fn post_with_token(
        &self,
        path: &str,
        body: serde_json::Value,
        token: &str,
    ) -> RawResponse {
        let request = self
            .http
            .post(format!("{}{path}", self.endpoint))
            .header("content-type", "application/json")
            .header("x-berth-agent-token", token)
            .body(body.to_string());
        Raw::read(request.send().await.expect("request")).await
    }

    async fn read(response: reqwest::Response) -> RawResponse {
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        let status = response.status().as_u16();
        let error_type = header("x-amzn-errortype");
        let request_id = header("x-amzn-requestid");
        let content_type = header("content-type");
        let instance_token = header("x-berth-instance-token");
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        RawResponse { status, error_type, request_id, content_type, instance_token, body }
    }

    /// Calls one of Berth's own operations (`BerthV1.*`).
    pub async fn berth(&self, op: &str, body: serde_json::Value) -> RawResponse {
        self.call(Some(&format!("BerthV1.{op}")), &body.to_string()).await
    }

    pub async fn try_op(&self, op: &str, body: serde_json::Value) -> Option<RawResponse> {
        self.try_call(Some(&format!("AmazonEC2ContainerServiceV20141113.{op}")), &body.to_string())
            .await
    }
}

/// The error code of an SDK error.
pub fn code<E, R>(error: &aws_sdk_ecs::error::SdkError<E, R>) -> String
where
    E: aws_sdk_ecs::error::ProvideErrorMetadata,
{
    error.as_service_error().and_then(|e| e.code()).unwrap_or("<not a service error>").to_owned()
}

/// The error message of an SDK error.
pub fn message<E, R>(error: &aws_sdk_ecs::error::SdkError<E, R>) -> String
where
    E: aws_sdk_ecs::error::ProvideErrorMetadata,
{
    error.as_service_error().and_then(|e| e.message()).unwrap_or("").to_owned()
}

/// A node agent running in the test process on the SIMULATED runtime (no real containers).
pub struct SimAgent {
    pub runtime: agent::sim::SimRuntime,
    pub state_dir: Option<tempfile::TempDir>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl SimAgent {
    pub fn start(server: &Server, cluster: &str, zone: &str) -> SimAgent {
        SimAgent::start_with(server, cluster, zone, agent::sim::SimOptions::default())
    }

    pub fn start_with(
        server: &Server,
        cluster: &str,
        zone: &str,
        options: agent::sim::SimOptions,
    ) -> SimAgent {
        let runtime = agent::sim::SimRuntime::new(options);
        SimAgent::start_on(server, cluster, zone, runtime, tempfile::tempdir().unwrap())
    }

    /// Starts an agent on a given simulated runtime and state directory (a restart keeps both).
    pub fn start_on(
        server: &Server,
        cluster: &str,
        zone: &str,
        runtime: agent::sim::SimRuntime,
        state_dir: tempfile::TempDir,
    ) -> SimAgent {
        SimAgent::start_configured(server, cluster, zone, runtime, state_dir, |_| {})
    }

    /// Starts an agent that adopts container instance `arn`, registered beforehand by a user.
    pub fn adopt(server: &Server, cluster: &str, zone: &str, arn: &str) -> SimAgent {
        let runtime = agent::sim::SimRuntime::new(agent::sim::SimOptions::default());
        let state_dir = tempfile::tempdir().unwrap();
        SimAgent::start_configured(server, cluster, zone, runtime, state_dir, |config| {
            config.container_instance_arn = Some(arn.to_owned());
        })
    }

    /// Starts an agent with the tests' settings, changed by `configure`.
    pub fn start_configured(
        server: &Server,
        cluster: &str,
        zone: &str,
        runtime: agent::sim::SimRuntime,
        state_dir: tempfile::TempDir,
        configure: impl FnOnce(&mut agent::agent::AgentConfig),
    ) -> SimAgent {
        let mut config = agent::agent::AgentConfig::new(
            &server.endpoint,
            cluster,
            &server.agent_token(cluster),
            state_dir.path().to_path_buf(),
        );
        config.availability_zone = zone.to_owned();
        config.poll_wait = std::time::Duration::from_secs(2);
        config.cleanup_wait = std::time::Duration::from_millis(100);
        config.default_stop_timeout = std::time::Duration::from_secs(2);
        config.usage_interval = std::time::Duration::from_millis(300);
        configure(&mut config);
        let agent = agent::agent::Agent::new(config, std::sync::Arc::new(runtime.clone()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            let _ = agent
                .run(async {
                    let _ = stopped.await;
                })
                .await;
        });
        SimAgent { runtime, state_dir: Some(state_dir), stop: Some(stop), handle: Some(handle) }
    }

    /// Stops the agent (its simulated containers keep running) and returns what a restarted
    /// agent on the same host needs: the runtime and the state directory.
    pub async fn stop(mut self) -> (agent::sim::SimRuntime, tempfile::TempDir) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
        (self.runtime.clone(), self.state_dir.take().expect("the state directory"))
    }
}

impl Drop for SimAgent {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.abort();
        }
    }
}

/// Polls `check` until it returns `Some`, or panics after `seconds` naming `what`.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {seconds}s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
