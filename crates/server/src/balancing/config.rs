//! What a load-balancer node serves: every listener of every load balancer, with its rules
//! resolved and sorted, and every target group, with the address of each target.

use std::collections::BTreeMap;

use serde_json::Value;

use api::lb::{
    Action, Algorithm, Certificate, Condition, Config, HealthCheck, Listener, LoadBalancerType,
    Protocol, QueryPair, Rule, Target, TargetGroup, WeightedGroup,
};

use crate::Ctx;
use crate::error::Error;
use crate::records::{
    self, CertificateRecord, ListenerRecord, LoadBalancerRecord, TargetGroupRecord, keys,
};

/// Every target group attribute Berth knows, with its default.
pub(crate) const TARGET_GROUP_DEFAULTS: &[(&str, &str)] = &[
    ("deregistration_delay.timeout_seconds", "300"),
    ("deregistration_delay.connection_termination.enabled", "false"),
    ("slow_start.duration_seconds", "0"),
    ("load_balancing.algorithm.type", "round_robin"),
    ("load_balancing.algorithm.anomaly_mitigation", "off"),
    ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
    ("stickiness.enabled", "false"),
    ("stickiness.type", "lb_cookie"),
    ("stickiness.lb_cookie.duration_seconds", "86400"),
    ("stickiness.app_cookie.cookie_name", ""),
    ("stickiness.app_cookie.duration_seconds", "86400"),
    ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
    ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
    ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
    ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"),
];

/// The configuration every node serves now, at `revision`.
pub(crate) async fn config(ctx: &Ctx, revision: u64) -> Result<Config, Error> {
    let balancers = super::load_balancers(ctx).await?;
    let groups = super::target_groups(ctx).await?;
    let certificates: BTreeMap<String, CertificateRecord> =
        records::list::<CertificateRecord>(ctx.store(), keys::CERTIFICATES)
            .await?
            .into_iter()
            .map(|v| (v.value.arn.clone(), v.value))
            .collect();
    let hosts = host_addresses(ctx);
    let mut listeners = Vec::new();
    for lb in &balancers {
        for listener in &lb.listeners {
            listeners.push(listener_config(lb, listener, &certificates));
        }
    }
    let target_groups = groups.iter().map(|g| group_config(g, &hosts)).collect();
    Ok(Config { revision, listeners, target_groups })
}

/// The address each container instance's tasks are reached at, by EC2 instance id.
fn host_addresses(ctx: &Ctx) -> BTreeMap<String, String> {
    let index = ctx.state().read();
    let mut out = BTreeMap::new();
    for cluster in index.clusters.values() {
        for entry in cluster.instances.values() {
            let instance = &entry.record.instance;
            let Some(id) = instance.ec2_instance_id.clone() else { continue };
            let address = instance
                .attributes
                .iter()
                .flatten()
                .find(|a| a.name == api::agent::HOST_ADDRESS_ATTRIBUTE)
                .and_then(|a| a.value.clone())
                .unwrap_or_else(|| "127.0.0.1".to_owned());
            out.insert(id, address);
        }
    }
    out
}

/// `app/<name>/<id>`: how metrics and listener ARNs name a load balancer.
pub(crate) fn dimension(arn: &str) -> String {
    arn.split_once(":loadbalancer/").map_or_else(String::new, |(_, t)| t.to_owned())
}

fn listener_config(
    lb: &LoadBalancerRecord,
    listener: &ListenerRecord,
    certificates: &BTreeMap<String, CertificateRecord>,
) -> Listener {
    let certificate =
        listener.certificates.first().and_then(|arn| certificates.get(arn)).map(|c| {
            let mut chain = c.certificate_pem.trim_end().to_owned();
            if !c.chain_pem.trim().is_empty() {
                chain.push('\n');
                chain.push_str(c.chain_pem.trim_end());
            }
            chain.push('\n');
            Certificate {
                arn: c.arn.clone(),
                certificate_chain_pem: chain,
                private_key_pem: c.private_key_pem.clone(),
            }
        });
    let mut rules: Vec<Rule> = listener
        .rules
        .iter()
        .map(|r| Rule {
            arn: r.arn.clone(),
            priority: Some(r.priority),
            conditions: conditions(&r.conditions),
            action: action(&r.actions),
        })
        .collect();
    rules.sort_by_key(|r| r.priority);
    rules.push(Rule {
        arn: default_rule_arn(&listener.arn),
        priority: None,
        conditions: Vec::new(),
        action: action(&listener.default_actions),
    });
    Listener {
        arn: listener.arn.clone(),
        load_balancer_arn: lb.arn.clone(),
        load_balancer_dimension: dimension(&lb.arn),
        load_balancer_type: if lb.kind == "network" {
            LoadBalancerType::Network
        } else {
            LoadBalancerType::Application
        },
        address: if lb.scheme == "internal" { "127.0.0.1" } else { "0.0.0.0" }.to_owned(),
        port: listener.port,
        protocol: protocol(&listener.protocol),
        certificate,
        rules,
        idle_timeout_seconds: lb
            .attributes
            .get("idle_timeout.timeout_seconds")
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    }
}

/// The ARN of a listener's default rule (ELB shows it in DescribeRules).
pub(crate) fn default_rule_arn(listener_arn: &str) -> String {
    let id = super::short_hash(listener_arn);
    format!("{}/{id}", listener_arn.replacen(":listener/", ":listener-rule/", 1))
}

pub(crate) fn protocol(name: &str) -> Protocol {
    match name {
        "HTTPS" => Protocol::Https,
        "TCP" => Protocol::Tcp,
        "TLS" => Protocol::Tls,
        "UDP" => Protocol::Udp,
        "TCP_UDP" => Protocol::TcpUdp,
        _ => Protocol::Http,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// ELB `Conditions` as the data plane matches them.
pub(crate) fn conditions(conditions: &Value) -> Vec<Condition> {
    let mut out = Vec::new();
    for c in conditions.as_array().into_iter().flatten() {
        let field = c.get("Field").and_then(Value::as_str).unwrap_or_default();
        let legacy = strings(c.get("Values"));
        let config = |name: &str| strings(c.get(name).and_then(|v| v.get("Values")));
        let either = |name: &str| {
            let values = config(name);
            if values.is_empty() { legacy.clone() } else { values }
        };
        out.push(match field {
            "path-pattern" => Condition::PathPattern { values: either("PathPatternConfig") },
            "host-header" => Condition::HostHeader { values: either("HostHeaderConfig") },
            "http-header" => Condition::HttpHeader {
                name: c
                    .pointer("/HttpHeaderConfig/HttpHeaderName")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                values: config("HttpHeaderConfig"),
            },
            "http-request-method" => {
                Condition::HttpRequestMethod { values: config("HttpRequestMethodConfig") }
            }
            "source-ip" => Condition::SourceIp { values: config("SourceIpConfig") },
            "query-string" => Condition::QueryString {
                values: c
                    .pointer("/QueryStringConfig/Values")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|pair| QueryPair {
                        key: pair.get("Key").and_then(Value::as_str).map(str::to_owned),
                        value: pair
                            .get("Value")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    })
                    .collect(),
            },
            _ => continue,
        });
    }
    out
}

/// The action that ends a rule's ELB `Actions` (the one of highest `Order`).
pub(crate) fn action(actions: &Value) -> Action {
    let last = actions
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .max_by_key(|(i, a)| (a.get("Order").and_then(Value::as_i64).unwrap_or(*i as i64), *i))
        .map(|(_, a)| a);
    let text = |a: &Value, path: &str, default: &str| {
        a.pointer(path).and_then(Value::as_str).unwrap_or(default).to_owned()
    };
    let Some(a) = last else {
        return Action::FixedResponse { status_code: 503, content_type: None, body: None };
    };
    match a.get("Type").and_then(Value::as_str).unwrap_or_default() {
        "fixed-response" => Action::FixedResponse {
            status_code: text(a, "/FixedResponseConfig/StatusCode", "503").parse().unwrap_or(503),
            content_type: a
                .pointer("/FixedResponseConfig/ContentType")
                .and_then(Value::as_str)
                .map(str::to_owned),
            body: a
                .pointer("/FixedResponseConfig/MessageBody")
                .and_then(Value::as_str)
                .map(str::to_owned),
        },
        "redirect" => Action::Redirect {
            protocol: text(a, "/RedirectConfig/Protocol", "#{protocol}"),
            host: text(a, "/RedirectConfig/Host", "#{host}"),
            port: text(a, "/RedirectConfig/Port", "#{port}"),
            path: text(a, "/RedirectConfig/Path", "/#{path}"),
            query: text(a, "/RedirectConfig/Query", "#{query}"),
            status_code: if text(a, "/RedirectConfig/StatusCode", "HTTP_302") == "HTTP_301" {
                301
            } else {
                302
            },
        },
        _ => {
            let mut target_groups: Vec<WeightedGroup> = a
                .pointer("/ForwardConfig/TargetGroups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|g| {
                    Some(WeightedGroup {
                        target_group_arn: g.get("TargetGroupArn")?.as_str()?.to_owned(),
                        weight: g.get("Weight").and_then(Value::as_u64).unwrap_or(1) as u32,
                    })
                })
                .collect();
            if target_groups.is_empty()
                && let Some(arn) = a.get("TargetGroupArn").and_then(Value::as_str)
            {
                target_groups.push(WeightedGroup { target_group_arn: arn.to_owned(), weight: 1 });
            }
            let sticky = a
                .pointer("/ForwardConfig/TargetGroupStickinessConfig/Enabled")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            Action::Forward {
                target_groups,
                stickiness_seconds: sticky.then(|| {
                    a.pointer("/ForwardConfig/TargetGroupStickinessConfig/DurationSeconds")
                        .and_then(Value::as_u64)
                        .unwrap_or(3600) as u32
                }),
            }
        }
    }
}

fn group_config(group: &TargetGroupRecord, hosts: &BTreeMap<String, String>) -> TargetGroup {
    let attribute = |key: &str| super::attribute(group, key);
    let health = &group.health;
    TargetGroup {
        arn: group.arn.clone(),
        dimension: group.arn.splitn(6, ':').nth(5).unwrap_or_default().to_owned(),
        protocol: protocol(&group.protocol),
        health_check: HealthCheck {
            enabled: health.enabled,
            protocol: protocol(&health.protocol),
            port: health.port.parse().ok(),
            path: health.path.clone().unwrap_or_else(|| "/".to_owned()),
            interval_seconds: health.interval_seconds,
            timeout_seconds: health.timeout_seconds,
            healthy_threshold: health.healthy_threshold,
            unhealthy_threshold: health.unhealthy_threshold,
            matcher: health.matcher.clone().unwrap_or_else(|| "200".to_owned()),
        },
        algorithm: if attribute("load_balancing.algorithm.type") == "least_outstanding_requests" {
            Algorithm::LeastOutstandingRequests
        } else {
            Algorithm::RoundRobin
        },
        slow_start_seconds: attribute("slow_start.duration_seconds").parse().unwrap_or(0),
        stickiness_seconds: (attribute("stickiness.enabled") == "true")
            .then(|| attribute("stickiness.lb_cookie.duration_seconds").parse().unwrap_or(86_400)),
        deregistration_delay_seconds: super::deregistration_delay(group),
        targets: group
            .targets
            .iter()
            .filter_map(|t| {
                let host = if group.target_type == "instance" {
                    hosts.get(&t.id)?.clone()
                } else {
                    t.id.clone()
                };
                Some(Target {
                    id: t.id.clone(),
                    port: t.port,
                    address: format!("{host}:{}", t.port),
                    draining: t.draining_since.is_some(),
                })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_and_conditions_become_what_the_data_plane_matches() {
        let forward = json!([{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": "a", "Weight": 80}, {"TargetGroupArn": "b", "Weight": 20}]}}]);
        assert_eq!(
            action(&forward),
            Action::Forward {
                target_groups: vec![
                    WeightedGroup { target_group_arn: "a".into(), weight: 80 },
                    WeightedGroup { target_group_arn: "b".into(), weight: 20 },
                ],
                stickiness_seconds: None,
            }
        );
        let simple = json!([{"Type": "forward", "TargetGroupArn": "a"}]);
        assert!(
            matches!(action(&simple), Action::Forward { target_groups, .. } if target_groups.len() == 1)
        );
        let fixed = json!([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "MessageBody": "no"}}]);
        assert_eq!(
            action(&fixed),
            Action::FixedResponse { status_code: 404, content_type: None, body: Some("no".into()) }
        );
        let when = json!([
            {"Field": "path-pattern", "Values": ["/api/*"]},
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}},
            {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}},
        ]);
        assert_eq!(
            conditions(&when),
            vec![
                Condition::PathPattern { values: vec!["/api/*".into()] },
                Condition::HostHeader { values: vec!["*.example.com".into()] },
                Condition::QueryString {
                    values: vec![QueryPair { key: Some("v".into()), value: "2".into() }]
                },
            ]
        );
    }
}
