//! The agent's side of the conversation with the control plane: the ECS operation that
//! registers the container instance, and the agent channel's long-poll and reports. A new
//! registration carries the cluster's agent token; everything after it carries the token of the
//! instance that registration returned.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use api::agent::{PollRequest, PollResponse, ReportRequest, ReportResponse, TOKEN_HEADER};
use api::{RegisterContainerInstanceRequest, RegisterContainerInstanceResponse};

/// Failures talking to the control plane.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the control plane is unreachable ({})", causes(.0))]
    Unreachable(#[source] reqwest::Error),
    /// The control plane refused the request with an ECS error.
    #[error("{code}: {message}")]
    Refused { status: u16, code: String, message: String },
    #[error("the control plane's answer could not be read")]
    Malformed(#[source] reqwest::Error),
    #[error("the control plane's answer could not be read: {0}")]
    Unreadable(String),
}

/// How the line of a poll's answer that says whether the poll's payload was applied begins.
const APPLIED_PREFIX: &[u8] = b"{\"applied\"";

#[derive(serde::Deserialize)]
struct AppliedLine {
    applied: bool,
}

fn parse_line<T: DeserializeOwned>(line: &[u8]) -> Result<T, ClientError> {
    serde_json::from_slice(line).map_err(|e| ClientError::Unreadable(e.to_string()))
}

/// An answer read line by line as it comes.
struct Lines {
    response: reqwest::Response,
    buffer: Vec<u8>,
}

impl Lines {
    async fn next(&mut self) -> Result<Vec<u8>, ClientError> {
        loop {
            if let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
                return Ok(self.buffer.drain(..=end).collect());
            }
            match self.response.chunk().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                // The last line may end without a newline (a control plane that answers a
                // poll in one piece, without saying whether it applied what the poll carried).
                Ok(None) if !self.buffer.is_empty() => return Ok(std::mem::take(&mut self.buffer)),
                Ok(None) => return Err(ClientError::Unreadable("the answer ended early".into())),
                Err(error) => return Err(ClientError::Unreachable(error)),
            }
        }
    }
}

/// What a poll that carries reports or lines calls once the control plane said whether it
/// applied them.
pub type OnApplied = Box<dyn FnOnce(bool) + Send>;

/// The caller's `on_applied`, called once: with what the control plane said, or with `false`
/// if it is dropped first.
struct Applied(Option<OnApplied>);

impl Applied {
    fn say(&mut self, applied: bool) {
        if let Some(call) = self.0.take() {
            call(applied);
        }
    }
}

impl Drop for Applied {
    fn drop(&mut self) {
        self.say(false);
    }
}

/// The causes under a transport error, outermost first (`timed out`, `connection reset`, ...):
/// reqwest's own message names only the URL.
fn causes(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        return error.to_string();
    }
    parts.join(": ")
}

impl ClientError {
    /// The ECS error code, when the control plane answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A client of one control plane, for one cluster.
#[derive(Debug, Clone)]
pub struct ControlPlane {
    http: reqwest::Client,
    url: String,
    /// The cluster's agent token: registers new instances.
    cluster_token: String,
    /// The instance's token, once known: everything else.
    instance_token: std::sync::Arc<parking_lot::RwLock<Option<String>>>,
}

/// An HTTP client as agents use it. One client can serve any number of agents of one process:
/// it keeps a pool of keep-alive connections per host with no limit on their number, so each
/// agent's long poll holds a connection of its own while its other requests use the rest.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .expect("building an HTTP client")
}

impl ControlPlane {
    /// A client with an HTTP client of its own.
    pub fn new(url: &str, token: &str) -> ControlPlane {
        ControlPlane::with_client(http_client(), url, token)
    }

    /// A client that sends its requests through `http` (cloning a `reqwest::Client` shares it).
    pub fn with_client(http: reqwest::Client, url: &str, token: &str) -> ControlPlane {
        ControlPlane {
            http,
            url: url.trim_end_matches('/').to_owned(),
            cluster_token: token.to_owned(),
            instance_token: Default::default(),
        }
    }

    /// Acts as the instance this token stands for from now on.
    pub fn set_instance_token(&self, token: Option<String>) {
        *self.instance_token.write() = token;
    }

    pub fn instance_token(&self) -> Option<String> {
        self.instance_token.read().clone()
    }

    async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        target: Option<&str>,
        body: &Req,
        timeout: Duration,
    ) -> Result<Resp, ClientError> {
        let token = self.instance_token().unwrap_or_else(|| self.cluster_token.clone());
        let response = self.send(path, target, body, timeout, &token).await?;
        response.json().await.map_err(ClientError::Malformed)
    }

    /// Sends a request with `token`; a refusal is an error.
    async fn send<Req: Serialize>(
        &self,
        path: &str,
        target: Option<&str>,
        body: &Req,
        timeout: Duration,
        token: &str,
    ) -> Result<reqwest::Response, ClientError> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", api::CONTENT_TYPE)
            .header(TOKEN_HEADER, token)
            .timeout(timeout)
            .json(body);
        if let Some(target) = target {
            request = request.header("x-amz-target", format!("{}{target}", api::TARGET_PREFIX));
        }
        let response = request.send().await.map_err(ClientError::Unreachable)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        Err(ClientError::Refused {
            status: status.as_u16(),
            code: body["__type"].as_str().unwrap_or("UnknownError").to_owned(),
            message: body["message"].as_str().unwrap_or("").to_owned(),
        })
    }

    /// RegisterContainerInstance: a new instance with the cluster's token, or the instance the
    /// request names with its own token. From then on the client acts as the registered
    /// instance, with the token the control plane returned.
    pub async fn register(
        &self,
        request: &RegisterContainerInstanceRequest,
        instance_token: Option<&str>,
    ) -> Result<RegisterContainerInstanceResponse, ClientError> {
        let token = match (&request.container_instance_arn, instance_token) {
            (Some(_), Some(token)) => token,
            _ => &self.cluster_token,
        };
        let response = self
            .send("/", Some("RegisterContainerInstance"), request, Duration::from_secs(30), token)
            .await?;
        let issued = response
            .headers()
            .get(api::agent::INSTANCE_TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.map_err(ClientError::Malformed)?;
        self.set_instance_token(issued);
        Ok(body)
    }

    /// Waits (up to `wait`) for a desired set newer than `request.generation`. A poll that
    /// carries reports or log lines passes `on_applied`: it is called with whether the control
    /// plane applied them as soon as it says so (one line of the answer; the desired set is
    /// another, in either order). If the desired set comes first, it is returned at once and
    /// the rest is read in the background; `on_applied(false)` if the answer ends or fails
    /// without saying.
    pub async fn poll(
        &self,
        request: &PollRequest,
        wait: Duration,
        on_applied: Option<OnApplied>,
    ) -> Result<PollResponse, ClientError> {
        let mut applied = Applied(on_applied);
        let token = self.instance_token().unwrap_or_else(|| self.cluster_token.clone());
        let timeout = wait + Duration::from_secs(15);
        let response = self.send(api::agent::POLL_PATH, None, request, timeout, &token).await?;
        if applied.0.is_none() {
            return response.json().await.map_err(ClientError::Malformed);
        }
        let mut lines = Lines { response, buffer: Vec::new() };
        loop {
            let line = lines.next().await?;
            if line.starts_with(APPLIED_PREFIX) {
                applied.say(parse_line::<AppliedLine>(&line)?.applied);
                continue;
            }
            let answer: PollResponse = parse_line(&line)?;
            if applied.0.is_some() {
                tokio::spawn(async move {
                    while let Ok(line) = lines.next().await {
                        if line.starts_with(APPLIED_PREFIX) {
                            applied.say(parse_line::<AppliedLine>(&line).is_ok_and(|l| l.applied));
                            return;
                        }
                    }
                });
            }
            return Ok(answer);
        }
    }

    pub async fn logs(
        &self,
        request: &api::agent::LogsRequest,
    ) -> Result<serde_json::Value, ClientError> {
        self.post(api::agent::LOGS_PATH, None, request, Duration::from_secs(30)).await
    }

    pub async fn report(&self, request: &ReportRequest) -> Result<ReportResponse, ClientError> {
        self.post(api::agent::REPORT_PATH, None, request, Duration::from_secs(30)).await
    }

    /// Long-polls the network of the instance's `awsvpc` tasks.
    pub async fn network(
        &self,
        request: &api::agent::NetworkRequest,
    ) -> Result<api::agent::NetworkResponse, ClientError> {
        let wait = u64::from(request.wait_seconds.unwrap_or(20));
        self.post(api::agent::NETWORK_PATH, None, request, Duration::from_secs(wait + 15)).await
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::oneshot;

    use super::*;

    /// A control plane that answers one request with these chunks of a chunked body, a pause
    /// before each; `None` drops the connection there.
    async fn serve_once(chunks: Vec<(Duration, Option<&'static str>)>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut request).await.unwrap();
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            for (pause, chunk) in chunks {
                tokio::time::sleep(pause).await;
                let Some(chunk) = chunk else { return };
                let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
                socket.write_all(framed.as_bytes()).await.unwrap();
            }
            socket.write_all(b"0\r\n\r\n").await.unwrap();
        });
        url
    }

    fn request() -> PollRequest {
        PollRequest {
            cluster: "c".into(),
            container_instance_arn: "i".into(),
            generation: 1,
            wait_seconds: None,
            known_definitions: Vec::new(),
            tasks: Vec::new(),
            logs: Vec::new(),
        }
    }

    const ANSWER: &str = "{\"generation\":2,\"tasks\":[],\"unchanged\":[],\"definitions\":{}}\n";

    /// Polls `url` carrying something; returns the answer and what `on_applied` was told.
    async fn poll(url: &str) -> (Result<PollResponse, ClientError>, oneshot::Receiver<bool>) {
        let client = ControlPlane::new(url, "token");
        let (said, heard) = oneshot::channel();
        let on_applied = Box::new(move |applied: bool| {
            let _ = said.send(applied);
        });
        let answer = client.poll(&request(), Duration::from_secs(1), Some(on_applied)).await;
        (answer, heard)
    }

    #[tokio::test]
    async fn a_poll_returns_its_answer_before_the_control_plane_says_it_applied_the_payload() {
        let url = serve_once(vec![
            (Duration::ZERO, Some(ANSWER)),
            (Duration::from_millis(1500), Some("{\"applied\":true}\n")),
        ])
        .await;
        let started = std::time::Instant::now();
        let (answer, mut heard) = poll(&url).await;
        assert_eq!(answer.unwrap().generation, 2);
        assert!(started.elapsed() < Duration::from_millis(1000), "the answer did not wait");
        assert!(heard.try_recv().is_err(), "not said yet");
        assert!(heard.await.unwrap(), "applied, said after the answer");
    }

    #[tokio::test]
    async fn the_applied_line_may_come_first_and_a_dropped_answer_means_not_applied() {
        let url = serve_once(vec![
            (Duration::ZERO, Some("{\"applied\":true}\n")),
            (Duration::from_millis(50), Some(ANSWER)),
        ])
        .await;
        let (answer, heard) = poll(&url).await;
        assert_eq!(answer.unwrap().generation, 2);
        assert!(heard.await.unwrap());

        // The answer came, the connection dropped before saying: not applied.
        let url = serve_once(vec![(Duration::ZERO, Some(ANSWER)), (Duration::ZERO, None)]).await;
        let (answer, heard) = poll(&url).await;
        assert!(answer.is_ok());
        assert!(!heard.await.unwrap());

        // Nothing came at all: an error, and not applied.
        let url = serve_once(vec![(Duration::ZERO, None)]).await;
        let (answer, heard) = poll(&url).await;
        assert!(answer.is_err());
        assert!(!heard.await.unwrap());
    }
}
