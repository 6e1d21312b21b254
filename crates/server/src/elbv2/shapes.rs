//! Reading the model-shaped JSON input, and writing records as ELB's output shapes.

use serde_json::{Value, json};

use super::ElbError;
use crate::Ctx;
use crate::records::{ListenerRecord, LoadBalancerRecord, RuleRecord, TargetGroupRecord};

pub(super) fn text<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

pub(super) fn int(input: &Value, name: &str) -> Option<i64> {
    input.get(name).and_then(Value::as_i64)
}

pub(super) fn items<'a>(input: &'a Value, name: &str) -> &'a [Value] {
    input.get(name).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

pub(super) fn strings(input: &Value, name: &str) -> Vec<String> {
    items(input, name).iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// Each of `wanted`, found in `all` by `key`, in the order asked; `missing` names the first
/// that is not there.
pub(super) fn each<'a, T>(
    all: &'a [T],
    wanted: &[String],
    key: impl Fn(&T) -> &str,
    missing: impl Fn(&str) -> ElbError,
) -> Result<Vec<&'a T>, ElbError> {
    wanted
        .iter()
        .map(|w| all.iter().find(|item| key(item) == w).ok_or_else(|| missing(w)))
        .collect()
}

/// An ELB ARN of this account and region: `arn:aws:elasticloadbalancing:<region>:<account>:<resource>`.
pub(super) fn arn(ctx: &Ctx, resource: &str) -> String {
    format!(
        "arn:aws:elasticloadbalancing:{}:{}:{resource}",
        ctx.config().region,
        ctx.config().account_id
    )
}

/// The most tags a resource carries.
pub(super) const MAX_TAGS: usize = 50;

/// The `Tags` of a request, checked as ELB checks them.
pub(super) fn tags_in(input: &Value) -> Result<Vec<(String, String)>, ElbError> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in items(input, "Tags") {
        let key = text(tag, "Key").unwrap_or_default().to_owned();
        if key.starts_with("aws:") {
            return Err(ElbError::validation(format!(
                "Tag key '{key}' is invalid: the 'aws:' prefix is reserved"
            )));
        }
        if tags.iter().any(|(k, _)| *k == key) {
            return Err(ElbError::new(
                "DuplicateTagKeysException",
                format!("Tag key '{key}' is duplicated"),
            ));
        }
        tags.push((key, text(tag, "Value").unwrap_or_default().to_owned()));
    }
    if tags.len() > MAX_TAGS {
        return Err(ElbError::new(
            "TooManyTagsException",
            format!("A resource can have at most {MAX_TAGS} tags"),
        ));
    }
    Ok(tags)
}

pub(super) fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

/// One page of `all` after the request's `Marker`, at most `PageSize` (1 to 400) long, and the
/// next page's marker.
pub(super) fn page(
    all: Vec<Value>,
    input: &Value,
) -> Result<(Vec<Value>, Option<String>), ElbError> {
    let start = match text(input, "Marker") {
        None => 0,
        Some(marker) => marker
            .parse::<usize>()
            .ok()
            .filter(|m| *m <= all.len())
            .ok_or_else(|| ElbError::validation(format!("Invalid marker '{marker}'")))?,
    };
    let size = int(input, "PageSize").unwrap_or(400) as usize;
    let end = (start + size).min(all.len());
    let next = (end < all.len()).then(|| end.to_string());
    Ok((all.into_iter().skip(start).take(size).collect(), next))
}

pub(super) fn load_balancer_json(lb: &LoadBalancerRecord, impaired: Option<&str>) -> Value {
    let state = match impaired {
        Some(reason) => json!({"Code": "active_impaired", "Reason": reason}),
        None => json!({"Code": "active"}),
    };
    json!({
        "LoadBalancerArn": lb.arn,
        "DNSName": lb.dns_name,
        "CanonicalHostedZoneId": HOSTED_ZONE,
        "CreatedTime": lb.created,
        "LoadBalancerName": lb.name,
        "Scheme": lb.scheme,
        "VpcId": lb.vpc_id,
        "State": state,
        "Type": lb.kind,
        "AvailabilityZones": lb.zones.iter().map(|(zone, subnet)| json!({
            "ZoneName": zone, "SubnetId": subnet, "LoadBalancerAddresses": []})).collect::<Vec<_>>(),
        "SecurityGroups": lb.security_groups,
        "IpAddressType": "ipv4",
    })
}

/// The hosted zone id Berth's load balancers show.
const HOSTED_ZONE: &str = "Z00BERTHLOCAL00";

pub(super) fn target_group_json(group: &TargetGroupRecord, load_balancers: &[String]) -> Value {
    let health = &group.health;
    let mut out = json!({
        "TargetGroupArn": group.arn,
        "TargetGroupName": group.name,
        "Protocol": group.protocol,
        "Port": group.port,
        "VpcId": group.vpc_id,
        "HealthCheckProtocol": health.protocol,
        "HealthCheckPort": health.port,
        "HealthCheckEnabled": health.enabled,
        "HealthCheckIntervalSeconds": health.interval_seconds,
        "HealthCheckTimeoutSeconds": health.timeout_seconds,
        "HealthyThresholdCount": health.healthy_threshold,
        "UnhealthyThresholdCount": health.unhealthy_threshold,
        "LoadBalancerArns": load_balancers,
        "TargetType": group.target_type,
        "IpAddressType": "ipv4",
    });
    if let Some(path) = &health.path {
        out["HealthCheckPath"] = json!(path);
    }
    if let Some(matcher) = &health.matcher {
        out["Matcher"] = json!({"HttpCode": matcher});
    }
    if let Some(version) = &group.protocol_version {
        out["ProtocolVersion"] = json!(version);
    }
    out
}

pub(super) fn listener_json(lb_arn: &str, listener: &ListenerRecord) -> Value {
    let mut out = json!({
        "ListenerArn": listener.arn,
        "LoadBalancerArn": lb_arn,
        "Port": listener.port,
        "Protocol": listener.protocol,
        "DefaultActions": listener.default_actions,
    });
    if !listener.certificates.is_empty() {
        out["Certificates"] = Value::Array(
            listener.certificates.iter().take(1).map(|c| json!({"CertificateArn": c})).collect(),
        );
    }
    if let Some(policy) = &listener.ssl_policy {
        out["SslPolicy"] = json!(policy);
    }
    if !listener.alpn_policy.is_empty() {
        out["AlpnPolicy"] = json!(listener.alpn_policy);
    }
    out
}

pub(super) fn rule_json(rule: &RuleRecord) -> Value {
    json!({
        "RuleArn": rule.arn,
        "Priority": rule.priority.to_string(),
        "Conditions": rule.conditions,
        "Actions": rule.actions,
        "IsDefault": false,
    })
}

pub(super) fn default_rule_json(listener: &ListenerRecord) -> Value {
    json!({
        "RuleArn": crate::balancing::default_rule_arn(&listener.arn),
        "Priority": "default",
        "Conditions": [],
        "Actions": listener.default_actions,
        "IsDefault": true,
    })
}
