//! The load-balancer channel: Berth's own wire shapes between a load-balancer node (the data
//! plane, `crates/lb`) and the control plane.
//!
//! A node long-polls `POST /lb/v1/poll` with the revision of the configuration it applied last
//! and the health it sees of every target it checks; the control plane answers at once when
//! its configuration differs from that revision, otherwise when it changes or the wait ends
//! (which doubles as the node's heartbeat). The answer is the whole configuration every node
//! serves: every listener of every load balancer, with its rules in the order they are
//! evaluated, and every target group a rule forwards to, with its targets.
//!
//! The shapes are resolved for the data plane: rules are sorted, defaults filled in, ARNs
//! kept only as names for reports and metrics, addresses already socket addresses.

use serde::{Deserialize, Serialize};

/// The header carrying a load-balancer node's token.
pub const TOKEN_HEADER: &str = "x-berth-lb-token";
pub const POLL_PATH: &str = "/lb/v1/poll";

/// A node's long poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PollRequest {
    /// The node's name, unique among nodes (its host name by default).
    pub node: String,
    /// The configuration revision the node applied last (0 for none).
    pub revision: u64,
    /// The health of every target the node checks, as it sees it now.
    #[serde(default)]
    pub health: Vec<TargetHealthReport>,
    /// Listeners the node could not serve (a port in use, a bad certificate).
    #[serde(default)]
    pub listener_errors: Vec<ListenerError>,
    /// Counters since the node started, per load balancer and target group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricsReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<u32>,
}

/// The answer to a poll: the configuration to serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub revision: u64,
    pub listeners: Vec<Listener>,
    pub target_groups: Vec<TargetGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    Application,
    Network,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    Http,
    Https,
    Tcp,
    Tls,
    Udp,
    #[serde(rename = "TCP_UDP")]
    TcpUdp,
}

/// One listener: a port every node binds, and how its requests are routed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Listener {
    pub arn: String,
    pub load_balancer_arn: String,
    /// The load balancer's name, as metrics name it (`app/<name>/<id>`).
    pub load_balancer_dimension: String,
    pub load_balancer_type: LoadBalancerType,
    /// The address to bind: `127.0.0.1` for an internal load balancer, `0.0.0.0` for an
    /// internet-facing one (the node may be told to bind elsewhere).
    pub address: String,
    pub port: u16,
    pub protocol: Protocol,
    /// For HTTPS and TLS: the certificate chain and key, PEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
    /// The rules in the order they are evaluated: by priority, the default rule last.
    pub rules: Vec<Rule>,
    /// Seconds an idle client connection is kept (`idle_timeout.timeout_seconds`, 60).
    #[serde(default = "default_idle_timeout")]
    pub idle_timeout_seconds: u32,
}

fn default_idle_timeout() -> u32 {
    60
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub arn: String,
    pub certificate_chain_pem: String,
    pub private_key_pem: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub arn: String,
    /// `None` for the listener's default rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// All must match (each condition matches when any of its values does).
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub action: Action,
}

/// A rule condition, as ELB's `RuleCondition` with its values resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "field")]
pub enum Condition {
    /// Case-sensitive patterns with `*` (any characters) and `?` (one), matched against the
    /// path without the query string.
    #[serde(rename = "path-pattern")]
    PathPattern { values: Vec<String> },
    /// Case-insensitive patterns with `*` and `?`, matched against the `Host` header without a
    /// port.
    #[serde(rename = "host-header")]
    HostHeader { values: Vec<String> },
    /// Case-insensitive patterns matched against the values of the named header.
    #[serde(rename = "http-header")]
    HttpHeader { name: String, values: Vec<String> },
    /// Exact method names.
    #[serde(rename = "http-request-method")]
    HttpRequestMethod { values: Vec<String> },
    /// Pairs (key optional) with `*`/`?` patterns, case-insensitive, matched against the
    /// query string's decoded pairs.
    #[serde(rename = "query-string")]
    QueryString { values: Vec<QueryPair> },
    /// CIDR blocks the client's address must be in.
    #[serde(rename = "source-ip")]
    SourceIp { values: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryPair {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Action {
    /// Forward to one target group, or to several by weight.
    #[serde(rename = "forward")]
    Forward {
        target_groups: Vec<WeightedGroup>,
        /// Group-level stickiness: a client stays with the group it was first sent to for this
        /// many seconds (`None`: off).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stickiness_seconds: Option<u32>,
    },
    #[serde(rename = "fixed-response")]
    FixedResponse {
        status_code: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_type: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
    /// ELB's redirect: each part may use `#{protocol}`, `#{host}`, `#{port}`, `#{path}` and
    /// `#{query}`, which keep the request's own value.
    #[serde(rename = "redirect")]
    Redirect {
        protocol: String,
        host: String,
        port: String,
        path: String,
        query: String,
        /// 301 or 302.
        status_code: u16,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightedGroup {
    pub target_group_arn: String,
    /// 0 to 999; a group of weight 0 gets no requests.
    pub weight: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    RoundRobin,
    LeastOutstandingRequests,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroup {
    pub arn: String,
    /// As metrics name it (`targetgroup/<name>/<id>`).
    pub dimension: String,
    pub protocol: Protocol,
    pub health_check: HealthCheck,
    pub algorithm: Algorithm,
    /// Seconds a newly healthy target's share of requests ramps up over (0: off).
    pub slow_start_seconds: u32,
    /// Target stickiness with ELB's `lb_cookie` (`AWSALB`) for this many seconds (`None`:
    /// off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stickiness_seconds: Option<u32>,
    pub deregistration_delay_seconds: u32,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    pub enabled: bool,
    /// HTTP, HTTPS or TCP.
    pub protocol: Protocol,
    /// `None`: the port traffic goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// For HTTP(S) checks.
    pub path: String,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    /// HTTP codes that mean healthy: `200`, `200,202`, `200-299`.
    pub matcher: String,
}

/// A registered target: where traffic for it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The target's id as registered (an instance id or an IP address) and its port: the key
    /// of its health reports.
    pub id: String,
    pub port: u16,
    /// The address traffic and health checks go to (`ip:port`).
    pub address: String,
    /// Draining: deregistered, its in-flight requests finishing; it gets no new requests and
    /// is not health-checked.
    #[serde(default)]
    pub draining: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthState {
    Initial,
    Healthy,
    Unhealthy,
}

/// What one node sees of one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetHealthReport {
    pub target_group_arn: String,
    pub id: String,
    pub port: u16,
    pub state: HealthState,
    /// ELB's reason code when not healthy: `Elb.InitialHealthChecking`,
    /// `Target.ResponseCodeMismatch`, `Target.Timeout`, `Target.FailedHealthChecks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerError {
    pub listener_arn: String,
    pub message: String,
}

/// Counters since the node started, for one load balancer and one target group (`None` for
/// what the load balancer answered itself: fixed responses, redirects, no target).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricsReport {
    pub load_balancer_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    pub request_count: u64,
    pub target_2xx: u64,
    pub target_3xx: u64,
    pub target_4xx: u64,
    pub target_5xx: u64,
    pub elb_4xx: u64,
    pub elb_5xx: u64,
    /// Sum of target response times, microseconds.
    pub target_response_micros: u64,
    pub active_connections: u64,
    pub new_connections: u64,
    pub processed_bytes: u64,
}
