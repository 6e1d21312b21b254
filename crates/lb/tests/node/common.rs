//! Test fixtures: real backends on 127.0.0.1, configuration builders, a one-connection-per-request
//! HTTP client, and polling with generous deadlines.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub(crate) type Body = UnsyncBoxBody<Bytes, hyper::Error>;

/// Long enough for a loaded two-core machine; polls return as soon as the condition holds.
pub(crate) const DEADLINE: Duration = Duration::from_secs(30);

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed_unsync()
}

/// A port free now (bound then released).
pub(crate) fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Polls `check` until it holds or the deadline passes.
pub(crate) async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if check().await {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A backend that answers with its name. Paths:
/// - `/health`: the status set by `set_health` (200 at first);
/// - `/hold`: answers once `release` is called (counts itself in `holding`);
/// - `/stream`: answers `first\n` at once, `last\n` after `release`;
/// - `/echo`: streams the request body back as it arrives;
/// - `/count`: reads the body and answers its length;
/// - `/headers`: answers the request's headers, one `name: value` per line;
/// - anything else: the name.
///
/// Every answer carries `x-backend: <name>`; `hits` counts all but `/health`.
pub(crate) struct Backend {
    pub(crate) name: String,
    pub(crate) addr: SocketAddr,
    state: Arc<BackendState>,
}

struct BackendState {
    name: String,
    health: AtomicU16,
    hits: AtomicUsize,
    holding: AtomicUsize,
    gate: watch::Sender<bool>,
}

impl Backend {
    pub(crate) async fn start(name: &str) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(BackendState {
            name: name.to_owned(),
            health: AtomicU16::new(200),
            hits: AtomicUsize::new(0),
            holding: AtomicUsize::new(0),
            gate: watch::channel(false).0,
        });
        let serving = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let state = serving.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| answer(state.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Backend { name: name.to_owned(), addr, state }
    }

    pub(crate) fn set_health(&self, status: u16) {
        self.state.health.store(status, Ordering::SeqCst);
    }

    pub(crate) fn hits(&self) -> usize {
        self.state.hits.load(Ordering::SeqCst)
    }

    pub(crate) fn holding(&self) -> usize {
        self.state.holding.load(Ordering::SeqCst)
    }

    /// Lets `/hold` and `/stream` requests finish (and later ones pass at once).
    pub(crate) fn release(&self) {
        self.state.gate.send_replace(true);
    }

    pub(crate) fn target(&self) -> api::lb::Target {
        api::lb::Target {
            id: self.name.clone(),
            port: self.addr.port(),
            address: self.addr.to_string(),
            draining: false,
        }
    }
}

async fn answer(
    state: Arc<BackendState>,
    req: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_owned();
    if path != "/health" {
        state.hits.fetch_add(1, Ordering::SeqCst);
    }
    let mut gate = state.gate.subscribe();
    let mut res = match path.as_str() {
        "/health" => {
            let mut res = Response::new(full("ok"));
            *res.status_mut() =
                hyper::StatusCode::from_u16(state.health.load(Ordering::SeqCst)).unwrap();
            res
        }
        "/hold" => {
            state.holding.fetch_add(1, Ordering::SeqCst);
            let _ = gate.wait_for(|open| *open).await;
            state.holding.fetch_sub(1, Ordering::SeqCst);
            Response::new(full(state.name.clone()))
        }
        "/stream" => {
            let (mut tx, body) = http_body_util::channel::Channel::<Bytes, hyper::Error>::new(4);
            tokio::spawn(async move {
                let _ = tx.send_data(Bytes::from_static(b"first\n")).await;
                let _ = gate.wait_for(|open| *open).await;
                let _ = tx.send_data(Bytes::from_static(b"last\n")).await;
            });
            Response::new(body.boxed_unsync())
        }
        "/echo" => Response::new(req.into_body().boxed_unsync()),
        "/count" => {
            let mut body = req.into_body();
            let mut count = 0usize;
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(frame) => count += frame.data_ref().map_or(0, |d| d.len()),
                    Err(_) => break,
                }
            }
            Response::new(full(count.to_string()))
        }
        "/headers" => {
            let text: String = req
                .headers()
                .iter()
                .map(|(name, value)| format!("{name}: {}\n", value.to_str().unwrap_or("?")))
                .collect();
            Response::new(full(text))
        }
        _ => Response::new(full(state.name.clone())),
    };
    res.headers_mut().insert("x-backend", state.name.parse().unwrap());
    Ok(res)
}

/// An answer, collected.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: hyper::HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn backend(&self) -> &str {
        self.headers.get("x-backend").map_or("", |v| v.to_str().unwrap())
    }

    /// The `name=value` part of the `Set-Cookie` header for `name`.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(hyper::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with(&format!("{name}=")))
    }
}

/// Sends one request on a new connection.
pub(crate) async fn send(addr: SocketAddr, req: Request<Body>) -> Reply {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    send_on(TokioIo::new(stream), req).await
}

pub(crate) async fn send_on<I>(io: I, req: Request<Body>) -> Reply
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Body>(io).await.unwrap();
    tokio::spawn(conn);
    let res = sender.send_request(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

pub(crate) fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
        builder = builder.header("host", "lb.test");
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(full(Bytes::new())).unwrap()
}

pub(crate) async fn get(addr: SocketAddr, path: &str) -> Reply {
    send(addr, request("GET", path, &[])).await
}

pub(crate) async fn get_with(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Reply {
    send(addr, request("GET", path, headers)).await
}

/// Counts answers by backend over `n` GETs of `/`.
pub(crate) async fn spread(addr: SocketAddr, n: usize) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for _ in 0..n {
        let reply = get(addr, "/").await;
        assert_eq!(reply.status, 200, "{reply:?}");
        *counts.entry(reply.backend().to_owned()).or_insert(0) += 1;
    }
    counts
}

pub(crate) fn health_check() -> api::lb::HealthCheck {
    api::lb::HealthCheck {
        enabled: true,
        protocol: api::lb::Protocol::Http,
        port: None,
        path: "/health".into(),
        interval_seconds: 1,
        timeout_seconds: 1,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
        matcher: "200-299".into(),
    }
}

pub(crate) fn group(arn: &str, backends: &[&Backend]) -> api::lb::TargetGroup {
    api::lb::TargetGroup {
        arn: arn.into(),
        dimension: format!("targetgroup/{arn}/1"),
        protocol: api::lb::Protocol::Http,
        health_check: health_check(),
        algorithm: api::lb::Algorithm::RoundRobin,
        slow_start_seconds: 0,
        stickiness_seconds: None,
        deregistration_delay_seconds: 300,
        targets: backends.iter().map(|b| b.target()).collect(),
    }
}

pub(crate) fn forward(groups: &[(&str, u32)]) -> api::lb::Action {
    api::lb::Action::Forward {
        target_groups: groups
            .iter()
            .map(|(arn, weight)| api::lb::WeightedGroup {
                target_group_arn: (*arn).into(),
                weight: *weight,
            })
            .collect(),
        stickiness_seconds: None,
    }
}

pub(crate) fn fixed(status: u16, body: &str) -> api::lb::Action {
    api::lb::Action::FixedResponse {
        status_code: status,
        content_type: Some("text/plain".into()),
        body: Some(body.into()),
    }
}

pub(crate) fn rule(
    priority: u32,
    conditions: Vec<api::lb::Condition>,
    action: api::lb::Action,
) -> api::lb::Rule {
    api::lb::Rule { arn: format!("rule-{priority}"), priority: Some(priority), conditions, action }
}

pub(crate) fn default_rule(action: api::lb::Action) -> api::lb::Rule {
    api::lb::Rule { arn: "rule-default".into(), priority: None, conditions: vec![], action }
}

pub(crate) fn listener(
    arn: &str,
    port: u16,
    protocol: api::lb::Protocol,
    rules: Vec<api::lb::Rule>,
) -> api::lb::Listener {
    api::lb::Listener {
        arn: arn.into(),
        load_balancer_arn: "lb-1".into(),
        load_balancer_dimension: "app/lb-1/1".into(),
        load_balancer_type: match protocol {
            api::lb::Protocol::Http | api::lb::Protocol::Https => {
                api::lb::LoadBalancerType::Application
            }
            _ => api::lb::LoadBalancerType::Network,
        },
        address: "0.0.0.0".into(),
        port,
        protocol,
        certificate: None,
        rules,
        idle_timeout_seconds: 60,
    }
}

/// One HTTP listener forwarding everything to `groups`.
pub(crate) fn simple(port: u16, groups: Vec<api::lb::TargetGroup>) -> api::lb::Config {
    let arns: Vec<(String, u32)> = groups.iter().map(|g| (g.arn.clone(), 1)).collect();
    let weighted: Vec<(&str, u32)> = arns.iter().map(|(a, w)| (a.as_str(), *w)).collect();
    api::lb::Config {
        revision: 1,
        listeners: vec![listener(
            "listener-1",
            port,
            api::lb::Protocol::Http,
            vec![default_rule(forward(&weighted))],
        )],
        target_groups: groups,
    }
}

pub(crate) fn node() -> lb::Node {
    lb::Node::new("test-node").with_bind_address("127.0.0.1".parse().unwrap())
}

/// Applies and expects every listener served; returns the first listener's address.
pub(crate) async fn apply_ok(node: &lb::Node, config: api::lb::Config) -> SocketAddr {
    let first = config.listeners[0].arn.clone();
    let errors = node.apply(config).await;
    assert!(errors.is_empty(), "{errors:?}");
    node.bound(&first).unwrap()
}

/// Waits until `n` targets are healthy.
pub(crate) async fn healthy(node: &lb::Node, n: usize) {
    eventually(&format!("{n} healthy targets"), || async {
        node.health().iter().filter(|h| h.state == api::lb::HealthState::Healthy).count() == n
    })
    .await;
}

pub(crate) fn state_of(node: &lb::Node, id: &str) -> Option<api::lb::TargetHealthReport> {
    node.health().into_iter().find(|h| h.id == id)
}

pub(crate) fn pem(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub(crate) fn certificate() -> api::lb::Certificate {
    api::lb::Certificate {
        arn: "arn:aws:acm:test:cert".into(),
        certificate_chain_pem: pem("cert.pem"),
        private_key_pem: pem("key.pem"),
    }
}

/// A TLS client trusting the test CA.
pub(crate) fn tls_connector() -> tokio_rustls::TlsConnector {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem("ca.pem").as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}
