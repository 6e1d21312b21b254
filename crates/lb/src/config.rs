//! The routing tables compiled from an `api::lb::Config`: what a request needs, resolved once
//! per configuration and swapped in whole (`Routing`, behind an `ArcSwap`), so a request keeps
//! the tables it started with.
//!
//! What must outlive one configuration lives in the `Registry`: each target's health and
//! in-flight count (keyed by target group and address) and each group's round-robin position.
//! A target dropped from the configuration, or draining, leaves the registry; requests in flight
//! to it keep its state alive until they finish.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::HeaderValue;
use hyper::http::uri::Authority;

use crate::health::{CheckSpec, HealthStatus, Wanted};
use crate::metrics::{Counters, Metrics};
use crate::rules::Condition;

/// One target of one target group, as requests and checks see it.
#[derive(Debug)]
pub(crate) struct TargetState {
    pub(crate) address: SocketAddr,
    /// The address as a URI authority, for the requests forwarded to the target.
    pub(crate) authority: Option<Authority>,
    /// The opaque value of the `AWSALB` cookie that sticks a client to this target.
    pub(crate) key: String,
    pub(crate) in_flight: AtomicU64,
    pub(crate) health: parking_lot::Mutex<HealthStatus>,
}

impl TargetState {
    fn new(group_arn: &str, address: SocketAddr) -> TargetState {
        TargetState {
            address,
            authority: Authority::try_from(address.to_string()).ok(),
            key: format!(
                "{:016x}",
                fnv1a(&[group_arn.as_bytes(), b"|", address.to_string().as_bytes()])
            ),
            in_flight: AtomicU64::new(0),
            health: parking_lot::Mutex::new(HealthStatus::initial()),
        }
    }

    pub(crate) fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Relaxed)
    }
}

/// A target in one configuration: the registry's state plus what the configuration says of it.
#[derive(Debug, Clone)]
pub(crate) struct ConfiguredTarget {
    pub(crate) id: String,
    pub(crate) port: u16,
    pub(crate) state: Arc<TargetState>,
}

#[derive(Debug)]
pub(crate) struct CompiledGroup {
    pub(crate) arn: String,
    /// The opaque value of the `AWSALBTG` cookie that sticks a client to this group.
    pub(crate) key: String,
    pub(crate) algorithm: api::lb::Algorithm,
    pub(crate) slow_start: Duration,
    pub(crate) stickiness_seconds: Option<u32>,
    /// The targets that may get new requests: registered and not draining.
    pub(crate) targets: Vec<ConfiguredTarget>,
    /// The round-robin position, kept across configurations.
    pub(crate) next: Arc<AtomicUsize>,
}

#[derive(Debug)]
pub(crate) struct WeightedGroup {
    pub(crate) group: Arc<CompiledGroup>,
    pub(crate) weight: u32,
    /// The metrics row of (this listener's load balancer, this group).
    pub(crate) row: Arc<Counters>,
}

#[derive(Debug)]
pub(crate) enum Action {
    Forward {
        groups: Vec<WeightedGroup>,
        stickiness_seconds: Option<u32>,
    },
    Fixed {
        status: StatusCode,
        content_type: HeaderValue,
        body: Bytes,
    },
    Redirect {
        protocol: String,
        host: String,
        port: String,
        path: String,
        query: String,
        status: StatusCode,
    },
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) action: Action,
}

#[derive(Debug)]
pub(crate) struct CompiledListener {
    pub(crate) arn: String,
    pub(crate) port: u16,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) idle_timeout: Duration,
    /// The value of the `X-Forwarded-Port` header of forwarded requests: the listener's port.
    pub(crate) forwarded_port: HeaderValue,
    /// The metrics row of this listener's load balancer without a target group.
    pub(crate) row: Arc<Counters>,
}

/// What one configuration routes by.
#[derive(Debug, Default)]
pub(crate) struct Routing {
    /// By port: a node binds each port once.
    pub(crate) listeners: HashMap<u16, Arc<CompiledListener>>,
    /// Every non-draining target of every group, for health reports.
    pub(crate) reports: Vec<(String, ConfiguredTarget)>,
}

/// State kept across configurations.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    targets: HashMap<(String, SocketAddr), Arc<TargetState>>,
    positions: HashMap<String, Arc<AtomicUsize>>,
}

/// Compiles a configuration; returns the routing tables and the health checkers they want.
pub(crate) fn compile(
    config: &api::lb::Config,
    registry: &mut Registry,
    metrics: &Metrics,
    now: Instant,
) -> (Routing, Vec<Wanted>) {
    let mut targets = HashMap::new();
    let mut positions = HashMap::new();
    let mut groups: HashMap<&str, Arc<CompiledGroup>> = HashMap::new();
    let mut reports = Vec::new();
    let mut wanted = Vec::new();
    for group in &config.target_groups {
        let next = registry.positions.get(&group.arn).cloned().unwrap_or_default();
        positions.insert(group.arn.clone(), next.clone());
        let mut configured = Vec::new();
        for target in group.targets.iter().filter(|t| !t.draining) {
            let Ok(address) = target.address.parse::<SocketAddr>() else {
                tracing::warn!(target_group = %group.arn, target = %target.id, address = %target.address, "Target address is not a socket address; it is skipped");
                continue;
            };
            let key = (group.arn.clone(), address);
            let state = match targets.get(&key) {
                Some(state) => Arc::clone(state),
                None => {
                    let state = registry
                        .targets
                        .get(&key)
                        .cloned()
                        .unwrap_or_else(|| Arc::new(TargetState::new(&group.arn, address)));
                    if group.health_check.enabled {
                        wanted.push(Wanted {
                            group: group.arn.clone(),
                            target: state.clone(),
                            spec: CheckSpec::new(&group.health_check, address),
                        });
                    } else {
                        state.health.lock().force_healthy(now);
                    }
                    targets.insert(key, state.clone());
                    state
                }
            };
            let configured_target =
                ConfiguredTarget { id: target.id.clone(), port: target.port, state };
            reports.push((group.arn.clone(), configured_target.clone()));
            configured.push(configured_target);
        }
        let compiled = CompiledGroup {
            arn: group.arn.clone(),
            key: format!("{:016x}", fnv1a(&[group.arn.as_bytes()])),
            algorithm: group.algorithm,
            slow_start: Duration::from_secs(u64::from(group.slow_start_seconds)),
            stickiness_seconds: group.stickiness_seconds,
            targets: configured,
            next,
        };
        groups.insert(group.arn.as_str(), Arc::new(compiled));
    }
    registry.targets = targets;
    registry.positions = positions;

    let mut listeners = HashMap::new();
    for listener in &config.listeners {
        let lb = listener.load_balancer_arn.as_str();
        let rules = listener
            .rules
            .iter()
            .map(|rule| CompiledRule {
                conditions: rule.conditions.iter().map(Condition::compile).collect(),
                action: compile_action(&rule.action, &groups, lb, metrics),
            })
            .collect();
        let compiled = CompiledListener {
            arn: listener.arn.clone(),
            port: listener.port,
            rules,
            idle_timeout: Duration::from_secs(u64::from(listener.idle_timeout_seconds.max(1))),
            forwarded_port: HeaderValue::from(listener.port),
            row: metrics.row(lb, None),
        };
        listeners.entry(listener.port).or_insert_with(|| Arc::new(compiled));
    }
    (Routing { listeners, reports }, wanted)
}

fn compile_action(
    action: &api::lb::Action,
    groups: &HashMap<&str, Arc<CompiledGroup>>,
    load_balancer_arn: &str,
    metrics: &Metrics,
) -> Action {
    match action {
        api::lb::Action::Forward { target_groups, stickiness_seconds } => {
            let groups = target_groups
                .iter()
                .filter_map(|weighted| match groups.get(weighted.target_group_arn.as_str()) {
                    Some(group) => Some(WeightedGroup {
                        group: group.clone(),
                        weight: weighted.weight,
                        row: metrics.row(load_balancer_arn, Some(&group.arn)),
                    }),
                    None => {
                        tracing::warn!(target_group = %weighted.target_group_arn, "Rule forwards to a target group not in the configuration");
                        None
                    }
                })
                .collect();
            Action::Forward { groups, stickiness_seconds: *stickiness_seconds }
        }
        api::lb::Action::FixedResponse { status_code, content_type, body } => Action::Fixed {
            status: StatusCode::from_u16(*status_code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            content_type: content_type
                .as_deref()
                .and_then(|c| HeaderValue::from_str(c).ok())
                .unwrap_or(HeaderValue::from_static("text/plain; charset=utf-8")),
            body: Bytes::from(body.clone().unwrap_or_default()),
        },
        api::lb::Action::Redirect { protocol, host, port, path, query, status_code } => {
            Action::Redirect {
                protocol: protocol.clone(),
                host: host.clone(),
                port: port.clone(),
                path: path.clone(),
                query: query.clone(),
                status: if *status_code == 301 {
                    StatusCode::MOVED_PERMANENTLY
                } else {
                    StatusCode::FOUND
                },
            }
        }
    }
}

/// FNV-1a over the parts: a short, stable, opaque cookie value.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
