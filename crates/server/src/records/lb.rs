//! The records of the load balancer: load balancers (with their listeners and rules), target
//! groups (with their targets) and imported certificates.
//!
//! A load balancer's listeners and rules live in its record, so a listener's port and a rule's
//! priority are checked and written in one compare-and-swap. A target group's targets live in
//! its record for the same reason. Actions and conditions stay in ELB's own shape (the
//! `Actions` and `Conditions` members the caller sent, as JSON), so every member round-trips.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LoadBalancerRecord {
    pub(crate) arn: String,
    pub(crate) name: String,
    /// `application` or `network`.
    pub(crate) kind: String,
    /// `internet-facing` or `internal`.
    pub(crate) scheme: String,
    pub(crate) dns_name: String,
    /// Epoch seconds.
    pub(crate) created: f64,
    pub(crate) vpc_id: String,
    /// (zone, subnet id), one per zone.
    pub(crate) zones: Vec<(String, String)>,
    #[serde(default)]
    pub(crate) security_groups: Vec<String>,
    #[serde(default)]
    pub(crate) attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
    #[serde(default)]
    pub(crate) listeners: Vec<ListenerRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListenerRecord {
    pub(crate) arn: String,
    pub(crate) port: u16,
    pub(crate) protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ssl_policy: Option<String>,
    /// Certificate ARNs, the default first.
    #[serde(default)]
    pub(crate) certificates: Vec<String>,
    /// ELB `Actions`, as given (with defaults filled in).
    pub(crate) default_actions: Value,
    #[serde(default)]
    pub(crate) rules: Vec<RuleRecord>,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) alpn_policy: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuleRecord {
    pub(crate) arn: String,
    pub(crate) priority: u32,
    /// ELB `Conditions`, as given.
    pub(crate) conditions: Value,
    /// ELB `Actions`, as given (with defaults filled in).
    pub(crate) actions: Value,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TargetGroupRecord {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) protocol: String,
    pub(crate) protocol_version: Option<String>,
    pub(crate) port: u16,
    pub(crate) vpc_id: String,
    /// `instance` or `ip`.
    pub(crate) target_type: String,
    pub(crate) health: HealthCheckRecord,
    /// Epoch seconds.
    pub(crate) created: f64,
    #[serde(default)]
    pub(crate) attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
    #[serde(default)]
    pub(crate) targets: Vec<TargetRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HealthCheckRecord {
    pub(crate) enabled: bool,
    pub(crate) protocol: String,
    /// `traffic-port` or a port number.
    pub(crate) port: String,
    pub(crate) path: Option<String>,
    pub(crate) interval_seconds: u32,
    pub(crate) timeout_seconds: u32,
    pub(crate) healthy_threshold: u32,
    pub(crate) unhealthy_threshold: u32,
    /// `Matcher.HttpCode` (HTTP and HTTPS checks).
    pub(crate) matcher: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TargetRecord {
    /// An instance id (`instance` groups) or an IPv4 address (`ip` groups).
    pub(crate) id: String,
    pub(crate) port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) zone: Option<String>,
    /// Epoch milliseconds.
    pub(crate) registered_at: i64,
    /// Epoch milliseconds of the deregistration: the target drains until the group's
    /// deregistration delay has passed, then goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) draining_since: Option<i64>,
    /// The task ARN of a service's target (ECS registered it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) task_arn: Option<String>,
}

/// A certificate imported with ACM's ImportCertificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CertificateRecord {
    pub(crate) arn: String,
    pub(crate) certificate_pem: String,
    #[serde(default)]
    pub(crate) chain_pem: String,
    pub(crate) private_key_pem: String,
    pub(crate) domain_name: String,
    #[serde(default)]
    pub(crate) subject_alternative_names: Vec<String>,
    pub(crate) serial: String,
    pub(crate) issuer: String,
    pub(crate) subject: String,
    pub(crate) not_before: f64,
    pub(crate) not_after: f64,
    pub(crate) imported_at: f64,
    pub(crate) key_algorithm: String,
    #[serde(default)]
    pub(crate) tags: Vec<(String, String)>,
}
