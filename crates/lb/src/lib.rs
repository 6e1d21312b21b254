//! The Berth load balancer's data plane: a `Node` serves the whole configuration the control
//! plane hands it (`api::lb::Config`), with ELBv2's semantics.
//!
//! - `config`: the configuration compiled into routing tables, swapped whole per apply;
//! - `rules`: rule conditions (pure);
//! - `balance`: which group and which target a request goes to (pure but for counters);
//! - `health`: health checks and ELB's health state machine;
//! - `listen`: bound ports, accept loops, connections;
//! - `proxy`: the HTTP data path (ALB); `l4`: the TCP data path (NLB);
//! - `tls`: rustls configurations; `metrics`: counters per load balancer and target group.
//!
//! The control-plane loop that polls for configurations and reports health and metrics lives
//! with the caller; this crate only serves.

mod balance;
mod config;
mod health;
mod l4;
mod listen;
mod metrics;
mod proxy;
mod rules;
mod tls;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use tokio::sync::watch;

use crate::config::{Registry, Routing};
use crate::health::Checkers;
use crate::listen::{Bound, Kind};
use crate::metrics::Metrics;
use crate::proxy::Tracked;

/// How long a connection to a target may take (ELB's 10 seconds).
const TARGET_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an idle pooled connection to a target is kept.
const TARGET_POOL_IDLE: Duration = Duration::from_secs(30);

/// What the data path shares: the current routing tables and what requests count and draw.
pub(crate) struct Shared {
    pub(crate) routing: ArcSwap<Routing>,
    pub(crate) metrics: Metrics,
    pub(crate) client: Client<HttpConnector, Tracked<Incoming>>,
    pub(crate) rng: parking_lot::Mutex<SmallRng>,
}

/// A load-balancer node. Cheap to clone: clones share the node.
#[derive(Clone)]
pub struct Node {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    bind_address: parking_lot::Mutex<Option<IpAddr>>,
    shared: Arc<Shared>,
    health_changes: watch::Sender<u64>,
    health_client: Option<Arc<rustls::ClientConfig>>,
    /// Listener ARN to the address it is bound to.
    bound: parking_lot::Mutex<HashMap<String, SocketAddr>>,
    /// Held across a whole apply: applies run one at a time.
    state: tokio::sync::Mutex<ApplyState>,
}

#[derive(Default)]
struct ApplyState {
    last: Option<api::lb::Config>,
    registry: Registry,
    checkers: Checkers,
    /// By configured port.
    listeners: HashMap<u16, Served>,
}

/// A bound listener and what it was bound for: a change of any of it rebinds the port.
struct Served {
    signature: Signature,
    bound: Bound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    address: SocketAddr,
    protocol: api::lb::Protocol,
    certificate: Option<api::lb::Certificate>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node").field("name", &self.inner.name).finish_non_exhaustive()
    }
}

impl Node {
    pub fn new(name: impl Into<String>) -> Node {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(TARGET_CONNECT_TIMEOUT));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(TARGET_POOL_IDLE)
            .pool_timer(TokioTimer::new())
            .build(connector);
        let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let shared = Shared {
            routing: ArcSwap::from_pointee(Routing::default()),
            metrics: Metrics::default(),
            client,
            rng: parking_lot::Mutex::new(SmallRng::seed_from_u64(seed)),
        };
        Node {
            inner: Arc::new(Inner {
                name: name.into(),
                bind_address: parking_lot::Mutex::new(None),
                shared: Arc::new(shared),
                health_changes: watch::channel(0).0,
                health_client: tls::health_check_client(),
                bound: parking_lot::Mutex::new(HashMap::new()),
                state: tokio::sync::Mutex::new(ApplyState::default()),
            }),
        }
    }

    /// Binds every listener on `addr` instead of the address its configuration names (tests use
    /// `127.0.0.1`). Takes effect for listeners bound from the next `apply` on.
    pub fn with_bind_address(self, addr: IpAddr) -> Node {
        *self.inner.bind_address.lock() = Some(addr);
        self
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Applies a whole configuration: binds listeners that are new, closes those gone (a port
    /// whose listener changed protocol, certificate or address is rebound), swaps routing
    /// atomically (in-flight requests keep the configuration they started with), and starts or
    /// stops health checkers. Returns the listeners that could not be served; never panics.
    pub async fn apply(&self, config: api::lb::Config) -> Vec<api::lb::ListenerError> {
        let inner = &*self.inner;
        let mut state = inner.state.lock().await;
        let state = &mut *state;
        if state.last.as_ref() != Some(&config) {
            let (routing, wanted) = config::compile(
                &config,
                &mut state.registry,
                &inner.shared.metrics,
                Instant::now(),
            );
            inner.shared.routing.store(Arc::new(routing));
            state.checkers.sync(wanted, &inner.health_changes, &inner.health_client);
            // Targets may have been forced healthy or dropped: let followers report.
            inner.health_changes.send_modify(|generation| *generation = generation.wrapping_add(1));
        }
        let errors = self.sync_listeners(state, &config).await;
        state.last = Some(config);
        errors
    }

    /// Binds, keeps or closes listeners so that they match `config`. Cheap when they do.
    async fn sync_listeners(
        &self,
        state: &mut ApplyState,
        config: &api::lb::Config,
    ) -> Vec<api::lb::ListenerError> {
        let inner = &*self.inner;
        let bind_override = *inner.bind_address.lock();
        let mut errors = Vec::new();
        let mut wanted: HashMap<u16, (&api::lb::Listener, Signature)> = HashMap::new();
        for listener in &config.listeners {
            let error = |message: String| api::lb::ListenerError {
                listener_arn: listener.arn.clone(),
                message,
            };
            let ip = match bind_override {
                Some(ip) => ip,
                None => match listener.address.parse::<IpAddr>() {
                    Ok(ip) => ip,
                    Err(_) => {
                        errors
                            .push(error(format!("invalid listen address {:?}", listener.address)));
                        continue;
                    }
                },
            };
            if let Some((other, _)) = wanted.get(&listener.port) {
                errors.push(error(format!(
                    "port {} is also used by listener {}",
                    listener.port, other.arn
                )));
                continue;
            }
            let signature = Signature {
                address: SocketAddr::new(ip, listener.port),
                protocol: listener.protocol,
                certificate: listener.certificate.clone(),
            };
            wanted.insert(listener.port, (listener, signature));
        }

        // Close what is gone or changed first, so that a changed listener can rebind its port.
        let ports: Vec<u16> = state.listeners.keys().copied().collect();
        for port in ports {
            let keep = matches!(
                (wanted.get(&port), state.listeners.get(&port)),
                (Some((_, signature)), Some(served)) if *signature == served.signature
            );
            if !keep && let Some(served) = state.listeners.remove(&port) {
                tracing::info!(address = %served.bound.local, "Closing listener");
                served.bound.close().await;
            }
        }

        let mut bound = HashMap::new();
        for listener in &config.listeners {
            let Some((wanted_listener, signature)) = wanted.get(&listener.port) else { continue };
            if wanted_listener.arn != listener.arn {
                continue;
            }
            if let Some(served) = state.listeners.get(&listener.port) {
                bound.insert(listener.arn.clone(), served.bound.local);
                continue;
            }
            match self.bind(listener, signature).await {
                Ok(served) => {
                    tracing::info!(listener = %listener.arn, address = %served.bound.local, protocol = ?listener.protocol, "Listening");
                    bound.insert(listener.arn.clone(), served.bound.local);
                    state.listeners.insert(listener.port, served);
                }
                Err(message) => {
                    tracing::warn!(listener = %listener.arn, error = %message, "Listener cannot be served");
                    errors.push(api::lb::ListenerError {
                        listener_arn: listener.arn.clone(),
                        message,
                    });
                }
            }
        }
        *inner.bound.lock() = bound;
        errors
    }

    async fn bind(
        &self,
        listener: &api::lb::Listener,
        signature: &Signature,
    ) -> Result<Served, String> {
        let acceptor = |alpn: &[&[u8]]| match &listener.certificate {
            Some(certificate) => {
                tls::server_config(certificate, alpn).map(tokio_rustls::TlsAcceptor::from)
            }
            None => Err(format!("{:?} listener has no certificate", listener.protocol)),
        };
        let kind = match listener.protocol {
            api::lb::Protocol::Http => Kind::Http,
            api::lb::Protocol::Https => Kind::Https(acceptor(&[b"http/1.1"])?),
            api::lb::Protocol::Tcp => Kind::Tcp,
            api::lb::Protocol::Tls => Kind::Tls(acceptor(&[])?),
            other => return Err(format!("protocol {other:?} is not supported by this node")),
        };
        let bound = Bound::bind(self.inner.shared.clone(), signature.address, listener.port, kind)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", signature.address))?;
        Ok(Served { signature: signature.clone(), bound })
    }

    /// The health of every non-draining target as this node sees it now.
    pub fn health(&self) -> Vec<api::lb::TargetHealthReport> {
        let routing = self.inner.shared.routing.load();
        routing
            .reports
            .iter()
            .map(|(group, target)| {
                let health = target.state.health.lock();
                api::lb::TargetHealthReport {
                    target_group_arn: group.clone(),
                    id: target.id.clone(),
                    port: target.port,
                    state: health.state,
                    reason: health.reason.map(str::to_owned),
                    description: health.description.clone(),
                }
            })
            .collect()
    }

    /// A receiver that changes whenever any target's health changes.
    pub fn health_changes(&self) -> watch::Receiver<u64> {
        self.inner.health_changes.subscribe()
    }

    /// Counters since start per (load balancer, target group).
    pub fn metrics(&self) -> Vec<api::lb::MetricsReport> {
        self.inner.shared.metrics.report()
    }

    /// The local address a listener is bound to.
    pub fn bound(&self, listener_arn: &str) -> Option<SocketAddr> {
        self.inner.bound.lock().get(listener_arn).copied()
    }

    /// Stops all listeners and checkers; the node serves nothing until the next `apply`.
    pub async fn shutdown(&self) {
        let inner = &*self.inner;
        let mut state = inner.state.lock().await;
        state.checkers.stop_all();
        for (_, served) in state.listeners.drain() {
            served.bound.close().await;
        }
        state.last = None;
        inner.bound.lock().clear();
        inner.shared.routing.store(Arc::new(Routing::default()));
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let state = self.state.get_mut();
        state.checkers.stop_all();
        for served in state.listeners.values() {
            served.bound.abort();
        }
    }
}
