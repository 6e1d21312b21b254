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
    data_dir: PathBuf,
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

    /// Starts a server on `data_dir`, listening on `port` if given (else a free one).
    pub fn start_in(data_dir: &Path, port: Option<u16>, config: Option<&Path>) -> Server {
        let listen = format!("127.0.0.1:{}", port.unwrap_or(0));
        let mut command = Command::new(env!("CARGO_BIN_EXE_berth"));
        command.args(["server", "--data-dir"]).arg(data_dir).args(["--listen", &listen]);
        if let Some(config) = config {
            command.arg("--config").arg(config);
        }
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
        Server { child: Some(child), endpoint, data_dir: data_dir.to_path_buf(), _temp: None }
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.endpoint.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Kills the server with SIGKILL: no chance to flush or clean up.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server with SIGKILL and starts it again on the same data and port.
    pub fn crash_and_restart(&mut self) {
        self.kill9();
        self.restart();
    }

    /// Starts the (stopped) server again on the same data and port.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        let restarted = Server::start_in(&self.data_dir, Some(self.port()), None);
        self.child = restarted.into_child();
    }

    fn into_child(mut self) -> Option<Child> {
        self.child.take()
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

pub fn ecs_client(endpoint: &str) -> aws_sdk_ecs::Client {
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDBERTHTEST", "secret", None, None, "test"))
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

/// A response as seen on the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub error_type: Option<String>,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
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
        let mut request = self
            .http
            .post(format!("{}/", self.endpoint))
            .header("content-type", "application/x-amz-json-1.1")
            .body(body.to_owned());
        if let Some(target) = target {
            request = request.header("x-amz-target", target);
        }
        let response = request.send().await.ok()?;
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        let status = response.status().as_u16();
        let error_type = header("x-amzn-errortype");
        let request_id = header("x-amzn-requestid");
        let content_type = header("content-type");
        let text = response.text().await.ok()?;
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        Some(RawResponse { status, error_type, request_id, content_type, body })
    }

    /// Calls an operation by name with a JSON body.
    pub async fn op(&self, op: &str, body: serde_json::Value) -> RawResponse {
        self.call(Some(&format!("AmazonEC2ContainerServiceV20141113.{op}")), &body.to_string())
            .await
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
