//! Health checks, as this node sees its targets: ELB's state machine (pure, `HealthStatus::observe`)
//! and one checker task per target of a target group (`Checkers`).
//!
//! A new target starts `initial` (`Elb.InitialHealthChecking`). It becomes healthy after
//! `healthy_threshold` consecutive successful checks and unhealthy after `unhealthy_threshold`
//! consecutive failures, from any other state. The first check runs as soon as the target is
//! registered, then one every `interval_seconds`. Draining targets are not checked. A target group
//! whose checks are disabled reports its targets healthy. When a group's check settings change,
//! its checkers restart but the targets keep their states.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::TargetState;

pub(crate) const REASON_INITIAL: &str = "Elb.InitialHealthChecking";
pub(crate) const REASON_CODE_MISMATCH: &str = "Target.ResponseCodeMismatch";
pub(crate) const REASON_TIMEOUT: &str = "Target.Timeout";
pub(crate) const REASON_FAILED: &str = "Target.FailedHealthChecks";

/// What this node knows of one target's health.
#[derive(Debug, Clone)]
pub(crate) struct HealthStatus {
    pub(crate) state: api::lb::HealthState,
    pub(crate) reason: Option<&'static str>,
    pub(crate) description: Option<String>,
    successes: u32,
    failures: u32,
    /// When the target last became healthy (for slow start).
    pub(crate) healthy_since: Option<Instant>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    CodeMismatch(u16),
    Timeout,
    Failed,
}

impl HealthStatus {
    pub(crate) fn initial() -> HealthStatus {
        HealthStatus {
            state: api::lb::HealthState::Initial,
            reason: Some(REASON_INITIAL),
            description: Some("Target registration is in progress".to_owned()),
            successes: 0,
            failures: 0,
            healthy_since: None,
        }
    }

    /// Healthy by fiat: the group's checks are disabled.
    pub(crate) fn force_healthy(&mut self, now: Instant) -> bool {
        let changed = self.state != api::lb::HealthState::Healthy;
        if changed {
            self.healthy_since = Some(now);
        }
        self.state = api::lb::HealthState::Healthy;
        self.reason = None;
        self.description = None;
        self.successes = 0;
        self.failures = 0;
        changed
    }

    /// Folds one check's outcome in; returns whether what the node reports changed.
    pub(crate) fn observe(
        &mut self,
        outcome: &Outcome,
        thresholds: Thresholds,
        now: Instant,
    ) -> bool {
        use api::lb::HealthState::{Healthy, Unhealthy};
        let before = (self.state, self.reason, self.description.clone());
        match outcome {
            Outcome::Success => {
                self.failures = 0;
                self.successes = self.successes.saturating_add(1);
                if self.state != Healthy && self.successes >= thresholds.healthy.max(1) {
                    self.state = Healthy;
                    self.reason = None;
                    self.description = None;
                    self.healthy_since = Some(now);
                }
            }
            failure => {
                self.successes = 0;
                self.failures = self.failures.saturating_add(1);
                let enough = self.failures >= thresholds.unhealthy.max(1);
                if enough || self.state == Unhealthy {
                    self.state = Unhealthy;
                    self.healthy_since = None;
                    let (reason, description) = match failure {
                        Outcome::CodeMismatch(code) => (
                            REASON_CODE_MISMATCH,
                            format!("Health checks failed with these codes: [{code}]"),
                        ),
                        Outcome::Timeout => (REASON_TIMEOUT, "Request timed out".to_owned()),
                        _ => (REASON_FAILED, "Health checks failed".to_owned()),
                    };
                    self.reason = Some(reason);
                    self.description = Some(description);
                }
            }
        }
        before != (self.state, self.reason, self.description.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Thresholds {
    pub(crate) healthy: u32,
    pub(crate) unhealthy: u32,
}

/// HTTP codes that mean healthy: `200`, `200,202`, `200-299`. An unreadable matcher means `200`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Matcher(Vec<(u16, u16)>);

impl Matcher {
    pub(crate) fn parse(text: &str) -> Matcher {
        let mut ranges = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let range = match part.split_once('-') {
                Some((lo, hi)) => lo.trim().parse().ok().zip(hi.trim().parse().ok()),
                None => part.parse().ok().map(|code| (code, code)),
            };
            match range {
                Some(range) => ranges.push(range),
                None => {
                    tracing::warn!(matcher = %text, "Health check matcher has an unreadable part; it is ignored")
                }
            }
        }
        if ranges.is_empty() {
            ranges.push((200, 200));
        }
        Matcher(ranges)
    }

    pub(crate) fn matches(&self, code: u16) -> bool {
        self.0.iter().any(|(lo, hi)| (*lo..=*hi).contains(&code))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckProtocol {
    Tcp,
    Http,
    Https,
}

/// Everything one checker needs; a change restarts the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckSpec {
    pub(crate) protocol: CheckProtocol,
    /// The address checks go to (the target's address with the health-check port).
    pub(crate) address: SocketAddr,
    pub(crate) path: String,
    pub(crate) interval: Duration,
    pub(crate) timeout: Duration,
    pub(crate) thresholds: Thresholds,
    pub(crate) matcher: Matcher,
}

impl CheckSpec {
    pub(crate) fn new(check: &api::lb::HealthCheck, target: SocketAddr) -> CheckSpec {
        let protocol = match check.protocol {
            api::lb::Protocol::Http => CheckProtocol::Http,
            api::lb::Protocol::Https => CheckProtocol::Https,
            _ => CheckProtocol::Tcp,
        };
        let path = if check.path.starts_with('/') {
            check.path.clone()
        } else {
            format!("/{}", check.path)
        };
        CheckSpec {
            protocol,
            address: SocketAddr::new(target.ip(), check.port.unwrap_or(target.port())),
            path,
            interval: Duration::from_secs(u64::from(check.interval_seconds.max(1))),
            timeout: Duration::from_secs(u64::from(check.timeout_seconds.max(1))),
            thresholds: Thresholds {
                healthy: check.healthy_threshold,
                unhealthy: check.unhealthy_threshold,
            },
            matcher: Matcher::parse(&check.matcher),
        }
    }
}

/// Runs one check.
pub(crate) async fn probe(spec: &CheckSpec, tls: &Option<Arc<rustls::ClientConfig>>) -> Outcome {
    match tokio::time::timeout(spec.timeout, probe_inner(spec, tls)).await {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Timeout,
    }
}

async fn probe_inner(spec: &CheckSpec, tls: &Option<Arc<rustls::ClientConfig>>) -> Outcome {
    let stream = match TcpStream::connect(spec.address).await {
        Ok(stream) => stream,
        Err(_) => return Outcome::Failed,
    };
    match spec.protocol {
        CheckProtocol::Tcp => Outcome::Success,
        CheckProtocol::Http => http_get(TokioIo::new(stream), spec).await,
        CheckProtocol::Https => {
            let Some(tls) = tls else { return Outcome::Failed };
            let connector = tokio_rustls::TlsConnector::from(tls.clone());
            let name = rustls::pki_types::ServerName::IpAddress(spec.address.ip().into());
            match connector.connect(name, stream).await {
                Ok(stream) => http_get(TokioIo::new(stream), spec).await,
                Err(_) => Outcome::Failed,
            }
        }
    }
}

async fn http_get<I>(io: I, spec: &CheckSpec) -> Outcome
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(io).await
    else {
        return Outcome::Failed;
    };
    let conn = tokio::spawn(conn);
    let request = hyper::Request::get(spec.path.as_str())
        .header(hyper::header::HOST, spec.address.to_string())
        .header(hyper::header::USER_AGENT, "ELB-HealthChecker/2.0")
        .header(hyper::header::CONNECTION, "close")
        .body(Empty::new());
    let outcome = match request {
        Ok(request) => match sender.send_request(request).await {
            Ok(response) => {
                let code = response.status().as_u16();
                if spec.matcher.matches(code) {
                    Outcome::Success
                } else {
                    Outcome::CodeMismatch(code)
                }
            }
            Err(_) => Outcome::Failed,
        },
        Err(_) => Outcome::Failed,
    };
    conn.abort();
    outcome
}

struct Checker {
    spec: CheckSpec,
    target: Arc<TargetState>,
    task: JoinHandle<()>,
}

/// The running checkers, keyed by (target group, target address).
#[derive(Default)]
pub(crate) struct Checkers {
    running: HashMap<(String, SocketAddr), Checker>,
}

/// One checker the configuration wants.
pub(crate) struct Wanted {
    pub(crate) group: String,
    pub(crate) target: Arc<TargetState>,
    pub(crate) spec: CheckSpec,
}

impl Checkers {
    /// Starts the checkers that are new or whose settings changed and stops those not wanted.
    pub(crate) fn sync(
        &mut self,
        wanted: Vec<Wanted>,
        changes: &watch::Sender<u64>,
        tls: &Option<Arc<rustls::ClientConfig>>,
    ) {
        let mut next = HashMap::with_capacity(wanted.len());
        for want in wanted {
            let key = (want.group, want.target.address);
            match self.running.remove(&key) {
                Some(old) if old.spec == want.spec && Arc::ptr_eq(&old.target, &want.target) => {
                    next.insert(key, old);
                }
                old => {
                    if let Some(old) = old {
                        old.task.abort();
                    }
                    let task = tokio::spawn(run(
                        want.target.clone(),
                        want.spec.clone(),
                        changes.clone(),
                        tls.clone(),
                    ));
                    next.insert(key, Checker { spec: want.spec, target: want.target, task });
                }
            }
        }
        for (_, old) in self.running.drain() {
            old.task.abort();
        }
        self.running = next;
    }

    pub(crate) fn stop_all(&mut self) {
        for (_, old) in self.running.drain() {
            old.task.abort();
        }
    }
}

async fn run(
    target: Arc<TargetState>,
    spec: CheckSpec,
    changes: watch::Sender<u64>,
    tls: Option<Arc<rustls::ClientConfig>>,
) {
    let mut interval = tokio::time::interval(spec.interval);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // The first tick completes at once: the first check runs on registration.
        interval.tick().await;
        let outcome = probe(&spec, &tls).await;
        let changed = target.health.lock().observe(&outcome, spec.thresholds, Instant::now());
        if changed {
            let status = target.health.lock().clone();
            tracing::debug!(target = %target.address, state = ?status.state, reason = ?status.reason, "Target health changed");
            changes.send_modify(|generation| *generation = generation.wrapping_add(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::lb::HealthState::{Healthy, Initial, Unhealthy};

    const T: Thresholds = Thresholds { healthy: 2, unhealthy: 3 };

    #[test]
    fn initial_needs_healthy_threshold_successes() {
        let now = Instant::now();
        let mut s = HealthStatus::initial();
        assert!(!s.observe(&Outcome::Success, T, now));
        assert_eq!(s.state, Initial);
        assert!(s.observe(&Outcome::Success, T, now));
        assert_eq!((s.state, s.reason), (Healthy, None));
        assert_eq!(s.healthy_since, Some(now));
    }

    #[test]
    fn failures_flip_after_unhealthy_threshold_and_successes_reset_them() {
        let now = Instant::now();
        let mut s = HealthStatus::initial();
        s.observe(&Outcome::Success, T, now);
        s.observe(&Outcome::Success, T, now);
        s.observe(&Outcome::Failed, T, now);
        s.observe(&Outcome::Failed, T, now);
        s.observe(&Outcome::Success, T, now);
        s.observe(&Outcome::Failed, T, now);
        s.observe(&Outcome::Failed, T, now);
        assert_eq!(s.state, Healthy);
        assert!(s.observe(&Outcome::CodeMismatch(503), T, now));
        assert_eq!(s.state, Unhealthy);
        assert_eq!(s.reason, Some(REASON_CODE_MISMATCH));
        assert_eq!(s.description.as_deref(), Some("Health checks failed with these codes: [503]"));
        // A different failure while unhealthy changes the reason.
        assert!(s.observe(&Outcome::Timeout, T, now));
        assert_eq!(
            (s.reason, s.description.as_deref()),
            (Some(REASON_TIMEOUT), Some("Request timed out"))
        );
        assert!(!s.observe(&Outcome::Timeout, T, now));
        s.observe(&Outcome::Success, T, now);
        assert_eq!(s.state, Unhealthy);
        assert!(s.observe(&Outcome::Success, T, now));
        assert_eq!(s.state, Healthy);
    }

    #[test]
    fn initial_to_unhealthy() {
        let now = Instant::now();
        let mut s = HealthStatus::initial();
        s.observe(&Outcome::Failed, T, now);
        s.observe(&Outcome::Failed, T, now);
        assert_eq!(s.state, Initial);
        s.observe(&Outcome::Failed, T, now);
        assert_eq!((s.state, s.reason), (Unhealthy, Some(REASON_FAILED)));
    }

    #[test]
    fn matcher_forms() {
        let m = Matcher::parse("200");
        assert!(m.matches(200) && !m.matches(201));
        let m = Matcher::parse("200,202");
        assert!(m.matches(202) && !m.matches(201));
        let m = Matcher::parse("200-299");
        assert!(m.matches(204) && !m.matches(302));
        let m = Matcher::parse("garbage");
        assert!(m.matches(200) && !m.matches(204));
        let m = Matcher::parse("200, 301-302");
        assert!(m.matches(301) && m.matches(200) && !m.matches(303));
    }
}
