//! What the end-to-end benchmarks share: `berth server` and `berth agent` child processes
//! (killed when dropped) and plain ECS calls over HTTP.

use std::path::Path;
use std::process::Stdio;

use anyhow::{Context as _, bail};
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::io::AsyncBufReadExt;

/// The administrator key of the servers the benchmarks start (throttling off).
const BENCH_KEY: &str = "AKIDBERTHBENCH";
const BENCH_SECRET: &str = "berth-bench-secret";

/// Writes the auth file of a benchmark server: one administrator with [`BENCH_KEY`].
fn write_auth_file(path: &Path) -> anyhow::Result<()> {
    std::fs::write(
        path,
        format!(
            "[[users]]\nname = \"bench\"\nmanaged-policies = [\"AdministratorAccess\"]\n\
             [[users.keys]]\naccess-key-id = \"{BENCH_KEY}\"\nsecret-access-key = \"{BENCH_SECRET}\"\n\
             [throttle]\nenabled = false\n"
        ),
    )
    .with_context(|| format!("writing {}", path.display()))
}

/// The headers an ECS operation's `POST /` is signed with (besides the signature's own).
fn headers_to_sign(endpoint: &str, op: &str) -> [(String, String); 3] {
    let host = endpoint.split_once("://").map_or(endpoint, |(_, rest)| rest).trim_end_matches('/');
    [
        ("content-type".to_owned(), "application/x-amz-json-1.1".to_owned()),
        ("host".to_owned(), host.to_owned()),
        ("x-amz-target".to_owned(), format!("AmazonEC2ContainerServiceV20141113.{op}")),
    ]
}

/// Seconds since the epoch now.
fn epoch_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The headers of a signed request, `host` left to the HTTP client.
fn signed_headers(
    headers: &[(String, String)],
    body: &[u8],
    now: i64,
) -> reqwest::header::HeaderMap {
    let signature =
        auth::sigv4::sign_post(headers, body, BENCH_KEY, BENCH_SECRET, "us-east-1", now);
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers.iter().chain(&signature).filter(|(name, _)| name != "host") {
        if let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(value),
        ) {
            map.insert(name, value);
        }
    }
    map
}

/// An EC2 query request (`Action=...&Version=2016-11-15&...`), signed for `ec2`; its XML
/// answer.
pub(crate) async fn ec2_call(
    http: &reqwest::Client,
    endpoint: &str,
    form: &str,
) -> anyhow::Result<String> {
    let body = format!("{form}&Version=2016-11-15");
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let headers = vec![
        ("content-type".to_owned(), "application/x-www-form-urlencoded; charset=utf-8".to_owned()),
        ("host".to_owned(), host),
    ];
    let signature = auth::sigv4::sign_post_for(
        "ec2",
        &headers,
        body.as_bytes(),
        BENCH_KEY,
        BENCH_SECRET,
        "us-east-1",
        epoch_seconds(),
    );
    let mut request = http.post(format!("{endpoint}/")).body(body);
    for (name, value) in headers.iter().chain(&signature).filter(|(name, _)| name != "host") {
        request = request.header(name, value);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("EC2 {form}: {text}");
    }
    Ok(text)
}

/// The text of the first `<tag>` of an XML answer.
pub(crate) fn xml_text(xml: &str, tag: &str) -> anyhow::Result<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open).with_context(|| format!("no <{tag}> in the answer"))? + open.len();
    let end = xml[start..].find('<').context("a closing tag")? + start;
    Ok(xml[start..end].to_owned())
}

/// A `POST /` of an ECS operation, signed with Signature V4 as the AWS CLI signs it.
pub(crate) fn signed_post(
    http: &reqwest::Client,
    endpoint: &str,
    op: &str,
    body: String,
) -> reqwest::RequestBuilder {
    let headers = headers_to_sign(endpoint, op);
    let signed = signed_headers(&headers, body.as_bytes(), epoch_seconds());
    http.post(format!("{endpoint}/")).headers(signed).body(body)
}

/// One request sent over and over by one benchmark client, on a connection of its own kept
/// alive between requests (made again when the server closes it). Signed as the AWS CLI signs:
/// `X-Amz-Date` counts whole seconds, so signing the same request twice within one second gives
/// the same bytes; the signature is made again only when the second changes, and every request
/// is what signing it anew would have sent.
pub(crate) struct RepeatedRequest {
    /// `host:port`.
    address: String,
    body: bytes::Bytes,
    /// The headers it signs, besides the signature's own.
    to_sign: [(String, String); 3],
    signed: Option<(i64, reqwest::header::HeaderMap)>,
    connection: Option<SendRequest<Full<bytes::Bytes>>>,
}

impl RepeatedRequest {
    pub(crate) fn new(endpoint: &str, op: &str, body: String) -> RepeatedRequest {
        let to_sign = headers_to_sign(endpoint, op);
        RepeatedRequest {
            address: to_sign[1].1.clone(),
            body: body.into(),
            to_sign,
            signed: None,
            connection: None,
        }
    }

    /// The request's headers, signed for this second (`host` among them).
    fn headers(&mut self) -> reqwest::header::HeaderMap {
        let now = epoch_seconds();
        if let Some((at, headers)) = &self.signed
            && *at == now
        {
            return headers.clone();
        }
        let mut headers = signed_headers(&self.to_sign, &self.body, now);
        if let Ok(host) = reqwest::header::HeaderValue::from_str(&self.address) {
            headers.insert(reqwest::header::HOST, host);
        }
        self.signed = Some((now, headers.clone()));
        headers
    }

    /// Sends the request and reads the whole answer: its status and body.
    pub(crate) async fn send(&mut self) -> anyhow::Result<(reqwest::StatusCode, bytes::Bytes)> {
        let mut request = hyper::Request::post("/").body(Full::new(self.body.clone()))?;
        *request.headers_mut() = self.headers();
        let mut sender = match self.connection.take() {
            Some(sender) if !sender.is_closed() => sender,
            _ => {
                let stream = tokio::net::TcpStream::connect(&self.address).await?;
                stream.set_nodelay(true)?;
                let (sender, connection) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
                tokio::spawn(connection);
                sender
            }
        };
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let closing = response.version() < hyper::Version::HTTP_11
            || response
                .headers()
                .get(reqwest::header::CONNECTION)
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        if !closing {
            self.connection = Some(sender);
        }
        Ok((status, body))
    }
}

/// Calls an ECS operation with a JSON body; a non-2xx answer is an error.
pub(crate) async fn call(
    http: &reqwest::Client,
    endpoint: &str,
    op: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let response = signed_post(http, endpoint, op, body.to_string()).send().await?;
    let status = response.status();
    let value: Value = response.json().await?;
    if !status.is_success() {
        bail!("{op}: {value}");
    }
    Ok(value)
}

/// The server's `GET /status` figures, or `None` if it did not answer.
pub(crate) async fn status(http: &reqwest::Client, endpoint: &str) -> Option<Value> {
    http.get(format!("{endpoint}/status")).send().await.ok()?.json().await.ok()
}

/// CPU time (user + system) process `pid` has used so far, from `/proc` (Linux).
pub(crate) fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    static CLOCK_TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    let per_second = *CLOCK_TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    });
    Some(ticks / per_second)
}

/// A `berth server` child process and the agents started beside it.
pub(crate) struct Processes {
    pub(crate) endpoint: String,
    data_dir: std::path::PathBuf,
    children: Vec<tokio::process::Child>,
}

impl Processes {
    /// Starts `berth server` on a free loopback port with its data under `dir`. Unless `extra`
    /// says `--no-auth`, it checks signatures against an auth file holding the benchmarks' key.
    pub(crate) async fn server(dir: &Path, extra: &[&str]) -> anyhow::Result<Processes> {
        Processes::server_on(dir, extra, "127.0.0.1:0").await
    }

    /// Kills the server with SIGKILL (as a crash would) and waits for it to be gone.
    pub(crate) async fn kill_server(&mut self) -> anyhow::Result<()> {
        let server = self.children.first_mut().context("no server")?;
        server.kill().await.context("killing the server")?;
        Ok(())
    }

    /// Starts the server again on the same data directory and address, after
    /// [`Processes::kill_server`]; returns when it prints that it listens.
    pub(crate) async fn restart_server(&mut self, extra: &[&str]) -> anyhow::Result<()> {
        let listen = self.endpoint.trim_start_matches("http://").to_owned();
        let dir = self.data_dir.parent().context("the server's directory")?.to_owned();
        let mut again = Processes::server_on(&dir, extra, &listen).await?;
        let server = again.children.remove(0);
        self.children[0] = server;
        Ok(())
    }

    async fn server_on(dir: &Path, extra: &[&str], listen: &str) -> anyhow::Result<Processes> {
        let data_dir = dir.join("server");
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let auth_file = dir.join("bench-auth.toml");
        write_auth_file(&auth_file)?;
        let mut command = tokio::process::Command::new(std::env::current_exe()?);
        command.args(["server", "--listen", listen]).args(extra);
        if !extra.contains(&"--no-auth") {
            command.arg("--auth-config").arg(&auth_file);
        }
        let mut server = command
            .arg("--data-dir")
            .arg(&data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting berth server")?;
        let mut line = String::new();
        tokio::io::BufReader::new(server.stdout.take().context("server stdout")?)
            .read_line(&mut line)
            .await?;
        let endpoint =
            line.trim().strip_prefix("Listening on ").context("the server's endpoint")?.to_owned();
        Ok(Processes { endpoint, data_dir, children: vec![server] })
    }

    /// CPU time (user + system) the server process has used so far, from `/proc` (Linux).
    pub(crate) fn server_cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(self.children.first()?.id()?)
    }

    /// The server's process id, for profiles.
    pub(crate) fn server_pid(&self) -> Option<u32> {
        self.children.first()?.id()
    }

    /// The agent token of `cluster` on this server.
    pub(crate) fn agent_token(&self, cluster: &str) -> anyhow::Result<String> {
        Ok(server::caller::agent_token(&crate::run::agent_secret(&self.data_dir)?, cluster))
    }

    /// Starts a `berth agent` of `cluster` with its state under `state_dir`.
    pub(crate) fn agent(
        &mut self,
        cluster: &str,
        state_dir: &Path,
        extra: &[&str],
    ) -> anyhow::Result<()> {
        let token =
            server::caller::agent_token(&crate::run::agent_secret(&self.data_dir)?, cluster);
        // The Fargate pool's agent names no cluster: `--fargate` says it serves the pool.
        let joins: &[&str] =
            if cluster == server::FARGATE_POOL { &["--fargate"] } else { &["--cluster", cluster] };
        let agent = tokio::process::Command::new(std::env::current_exe()?)
            .args(["agent", "--server", &self.endpoint])
            .args(joins)
            .args(extra)
            .arg("--state-dir")
            .arg(state_dir)
            .env("BERTH_AGENT_TOKEN", token)
            .env("RUST_LOG", "warn")
            .kill_on_drop(true)
            .spawn()
            .context("starting berth agent")?;
        self.children.push(agent);
        Ok(())
    }

    /// Waits until `cluster` has `n` registered container instances.
    pub(crate) async fn wait_for_instances(
        &self,
        http: &reqwest::Client,
        cluster: &str,
        n: usize,
    ) -> anyhow::Result<()> {
        for _ in 0..300 {
            let listed = call(
                http,
                &self.endpoint,
                "ListContainerInstances",
                serde_json::json!({"cluster": cluster}),
            )
            .await?;
            if listed["containerInstanceArns"].as_array().map_or(0, Vec::len) >= n {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        bail!("{n} container instances did not register in cluster {cluster}")
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.start_kill();
        }
    }
}

/// A `moto_server` child process (the moto project's mock of AWS APIs, for comparison) on a
/// free loopback port, killed when dropped.
pub(crate) struct Moto {
    pub(crate) endpoint: String,
    child: tokio::process::Child,
}

impl Moto {
    /// Starts `executable` (e.g. `.venv-bench/bin/moto_server`) and waits until it answers.
    pub(crate) async fn start(executable: &Path) -> anyhow::Result<Moto> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = tokio::process::Command::new(executable)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", executable.display()))?;
        let moto = Moto { endpoint: format!("http://127.0.0.1:{port}"), child };
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if call(&http, &moto.endpoint, "ListClusters", serde_json::json!({})).await.is_ok() {
                return Ok(moto);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        bail!("{} did not answer on port {port} within 30 s", executable.display())
    }

    /// The process id, for profiles and CPU figures.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.id()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
