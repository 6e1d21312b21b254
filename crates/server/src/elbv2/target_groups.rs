//! Target groups: CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup,
//! DeleteTargetGroup, their attributes, and RegisterTargets, DeregisterTargets and
//! DescribeTargetHealth.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use super::ElbError;
use super::shapes::{self, arn, int, items, page, strings, text};
use crate::Ctx;
use crate::balancing::{self, TargetKey};
use crate::records::{self, HealthCheckRecord, TargetGroupRecord, Versioned, keys};
use store::{Compare, Op, Txn};

/// The most target groups (ELB's regional quota).
pub(super) const MAX_TARGET_GROUPS: usize = 3000;
/// The most targets one group holds.
pub(super) const MAX_TARGETS: usize = 1000;

fn not_found(what: &str) -> ElbError {
    ElbError::new("TargetGroupNotFoundException", format!("Target groups '[{what}]' not found"))
}

fn check_name(name: &str) -> Result<(), ElbError> {
    if name.len() > 32
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || name.starts_with('-')
        || name.ends_with('-')
    {
        return Err(ElbError::validation(format!(
            "Target group name '{name}' can have a maximum of 32 characters, can contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen"
        )));
    }
    Ok(())
}

/// A matcher's `HttpCode`: codes or ranges of codes from 200 to 499 (ALB), separated by commas.
fn check_matcher(matcher: &str) -> Result<(), ElbError> {
    let ok = !matcher.is_empty()
        && matcher.split(',').all(|part| {
            let code = |c: &str| c.trim().parse::<u16>().is_ok_and(|c| (200..=499).contains(&c));
            match part.split_once('-') {
                Some((a, b)) => {
                    code(a) && code(b) && a.trim().parse::<u16>().ok() <= b.trim().parse().ok()
                }
                None => code(part),
            }
        });
    if ok {
        Ok(())
    } else {
        Err(ElbError::validation(format!(
            "Health check matcher HTTP code '{matcher}' must be a value between 200 and 499, a list of such values or a range"
        )))
    }
}

/// The health check a request asks for, over `base` (the defaults or the group's current
/// check).
fn health_check(input: &Value, base: HealthCheckRecord) -> Result<HealthCheckRecord, ElbError> {
    let mut check = base;
    if let Some(enabled) = input.get("HealthCheckEnabled").and_then(Value::as_bool) {
        check.enabled = enabled;
    }
    if let Some(protocol) = text(input, "HealthCheckProtocol") {
        check.protocol = protocol.to_owned();
    }
    if let Some(port) = text(input, "HealthCheckPort") {
        if port != "traffic-port" && !port.parse::<u16>().is_ok_and(|p| p > 0) {
            return Err(ElbError::validation(format!(
                "Health check port '{port}' must be 'traffic-port' or a port from 1 to 65535"
            )));
        }
        check.port = port.to_owned();
    }
    let http = check.protocol == "HTTP" || check.protocol == "HTTPS";
    if let Some(path) = text(input, "HealthCheckPath") {
        if !path.starts_with('/') {
            return Err(ElbError::validation("Health check path must begin with a '/' character"));
        }
        check.path = Some(path.to_owned());
    }
    if let Some(v) = int(input, "HealthCheckIntervalSeconds") {
        check.interval_seconds = v as u32;
    }
    if let Some(v) = int(input, "HealthCheckTimeoutSeconds") {
        check.timeout_seconds = v as u32;
    }
    if let Some(v) = int(input, "HealthyThresholdCount") {
        check.healthy_threshold = v as u32;
    }
    if let Some(v) = int(input, "UnhealthyThresholdCount") {
        check.unhealthy_threshold = v as u32;
    }
    if let Some(code) = input.pointer("/Matcher/HttpCode").and_then(Value::as_str) {
        check_matcher(code)?;
        check.matcher = Some(code.to_owned());
    }
    if http {
        check.path.get_or_insert_with(|| "/".to_owned());
        check.matcher.get_or_insert_with(|| "200".to_owned());
    } else {
        if input.get("HealthCheckPath").is_some() || input.get("Matcher").is_some() {
            return Err(ElbError::config(format!(
                "A health check path and matcher apply only to HTTP and HTTPS health checks, not {}",
                check.protocol
            )));
        }
        check.path = None;
        check.matcher = None;
    }
    if check.timeout_seconds >= check.interval_seconds {
        return Err(ElbError::config(format!(
            "Health check timeout ({} s) must be smaller than the interval ({} s)",
            check.timeout_seconds, check.interval_seconds
        )));
    }
    Ok(check)
}

fn default_check(protocol: &str) -> HealthCheckRecord {
    let http = protocol == "HTTP" || protocol == "HTTPS";
    HealthCheckRecord {
        enabled: true,
        protocol: if http { protocol.to_owned() } else { "TCP".to_owned() },
        port: "traffic-port".to_owned(),
        path: None,
        interval_seconds: 30,
        timeout_seconds: if http { 5 } else { 10 },
        healthy_threshold: 5,
        unhealthy_threshold: 2,
        matcher: None,
    }
}

pub(super) async fn create(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let name = text(input, "Name").unwrap_or_default().to_owned();
    check_name(&name)?;
    let target_type = text(input, "TargetType").unwrap_or("instance").to_owned();
    if target_type != "instance" && target_type != "ip" {
        return Err(ElbError::config(format!(
            "Target type '{target_type}' is not supported: Berth's target groups hold instances or IP addresses"
        )));
    }
    let Some(protocol) = text(input, "Protocol") else {
        return Err(ElbError::validation("A protocol must be specified"));
    };
    if matches!(protocol, "GENEVE" | "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC") {
        return Err(ElbError::config(format!(
            "Protocol '{protocol}' is not supported by Berth's load balancer"
        )));
    }
    let Some(port) = int(input, "Port") else {
        return Err(ElbError::validation("A port must be specified"));
    };
    let vpc = crate::vpc::vpc_id(ctx);
    match text(input, "VpcId") {
        None => return Err(ElbError::validation("A VPC ID must be specified")),
        Some(asked) if asked != vpc => {
            return Err(ElbError::validation(format!("The VPC ID '{asked}' is not found")));
        }
        Some(_) => {}
    }
    if text(input, "IpAddressType").is_some_and(|t| t != "ipv4") {
        return Err(ElbError::config("Berth's target groups hold IPv4 targets only"));
    }
    let http = protocol == "HTTP" || protocol == "HTTPS";
    let protocol_version = match text(input, "ProtocolVersion") {
        Some(_) if !http => {
            return Err(ElbError::config(
                "A protocol version applies only to HTTP and HTTPS target groups",
            ));
        }
        Some(v) if v != "HTTP1" => {
            return Err(ElbError::config(format!(
                "Protocol version '{v}' is not supported: Berth forwards HTTP/1.1"
            )));
        }
        Some(v) => Some(v.to_owned()),
        None => http.then(|| "HTTP1".to_owned()),
    };
    let health = health_check(input, default_check(protocol))?;
    let tags = shapes::tags_in(input)?;
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let existing = balancing::target_groups(ctx).await?;
    if let Some(same) = existing.iter().find(|g| g.name == name) {
        if same.protocol == protocol
            && i64::from(same.port) == port
            && same.target_type == target_type
            && same.health == health
        {
            return Ok(json!({"TargetGroups": [shapes::target_group_json(same, &[])]}));
        }
        return Err(ElbError::new(
            "DuplicateTargetGroupNameException",
            "A target group with the same name exists, but with different settings",
        ));
    }
    if existing.len() >= MAX_TARGET_GROUPS {
        return Err(ElbError::new(
            "TooManyTargetGroupsException",
            format!("You have reached the limit of {MAX_TARGET_GROUPS} target groups"),
        ));
    }
    let record = TargetGroupRecord {
        arn: arn(ctx, &format!("targetgroup/{name}/{}", balancing::new_id())),
        name: name.clone(),
        protocol: protocol.to_owned(),
        protocol_version,
        port: port as u16,
        vpc_id: vpc,
        target_type,
        health,
        created: ctx.clock().now_millis() as f64 / 1000.0,
        attributes: BTreeMap::new(),
        tags,
        targets: Vec::new(),
    };
    let key = keys::target_group(&name);
    let txn = Txn::new()
        .when(Compare::mod_revision(&key, 0))
        .then(Op::put(&key, records::encode(&record)));
    if !ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
        return Err(crate::error::Error::Contention { key }.into());
    }
    Ok(json!({"TargetGroups": [shapes::target_group_json(&record, &[])]}))
}

/// The group an ARN names, or ELB's `TargetGroupNotFound`.
pub(super) async fn find(ctx: &Ctx, arn: &str) -> Result<Versioned<TargetGroupRecord>, ElbError> {
    balancing::target_group(ctx, arn).await?.ok_or_else(|| not_found(arn))
}

pub(super) async fn describe(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let arns = strings(input, "TargetGroupArns");
    let names = strings(input, "Names");
    let lb_arn = text(input, "LoadBalancerArn");
    if [!arns.is_empty(), !names.is_empty(), lb_arn.is_some()].iter().filter(|b| **b).count() > 1 {
        return Err(ElbError::validation(
            "Only one of load balancer ARN, target group ARNs or names can be specified",
        ));
    }
    let all = balancing::target_groups(ctx).await?;
    let balancers = balancing::load_balancers(ctx).await?;
    let in_use = balancing::groups_in_use(&balancers);
    let chosen: Vec<&TargetGroupRecord> = if !arns.is_empty() {
        shapes::each(&all, &arns, |g| &g.arn, not_found)?
    } else if !names.is_empty() {
        shapes::each(&all, &names, |g| &g.name, not_found)?
    } else if let Some(lb_arn) = lb_arn {
        if !balancers.iter().any(|lb| lb.arn == lb_arn) {
            return Err(ElbError::new(
                "LoadBalancerNotFoundException",
                format!("Load balancer '{lb_arn}' not found"),
            ));
        }
        all.iter()
            .filter(|g| in_use.get(&g.arn).is_some_and(|lbs| lbs.iter().any(|l| l == lb_arn)))
            .collect()
    } else {
        all.iter().collect()
    };
    let shown = chosen
        .iter()
        .map(|g| shapes::target_group_json(g, in_use.get(&g.arn).map_or(&[], Vec::as_slice)))
        .collect();
    let (page, next) = page(shown, input)?;
    Ok(json!({"TargetGroups": page, "NextMarker": next}))
}

pub(super) async fn modify(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default().to_owned();
    let found = find(ctx, &group_arn).await?;
    let health = health_check(input, found.value.health.clone())?;
    let written = records::modify(
        ctx,
        &keys::target_group(&found.value.name),
        |current: Option<TargetGroupRecord>| {
            let Some(mut group) = current.filter(|g| g.arn == group_arn) else {
                return Err(not_found(&group_arn));
            };
            group.health = health.clone();
            Ok(group)
        },
    )
    .await?;
    let balancers = balancing::load_balancers(ctx).await?;
    let in_use = balancing::groups_in_use(&balancers);
    Ok(
        json!({"TargetGroups": [shapes::target_group_json(&written, in_use.get(&written.arn).map_or(&[], Vec::as_slice))]}),
    )
}

pub(super) async fn delete(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default();
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let Some(found) = balancing::target_group(ctx, group_arn).await? else {
        return Ok(json!({}));
    };
    let balancers = balancing::load_balancers(ctx).await?;
    if balancing::groups_in_use(&balancers).contains_key(group_arn) {
        return Err(ElbError::new(
            "ResourceInUseException",
            format!("Target group '{group_arn}' is currently in use by a listener or a rule"),
        ));
    }
    let key = keys::target_group(&found.value.name);
    let txn =
        Txn::new().when(Compare::mod_revision(&key, found.mod_revision)).then(Op::delete(&key));
    if !ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
        return Err(crate::error::Error::Contention { key }.into());
    }
    Ok(json!({}))
}

fn attributes_json(group: &TargetGroupRecord) -> Value {
    let list: Vec<Value> = balancing::TARGET_GROUP_DEFAULTS
        .iter()
        .map(|(k, _)| json!({"Key": k, "Value": balancing::attribute(group, k)}))
        .collect();
    json!({"Attributes": list})
}

pub(super) async fn attributes(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let found = find(ctx, text(input, "TargetGroupArn").unwrap_or_default()).await?;
    Ok(attributes_json(&found.value))
}

fn check_attribute(key: &str, value: &str, network: bool) -> Result<(), ElbError> {
    let number = |range: std::ops::RangeInclusive<u32>| {
        value.parse::<u32>().is_ok_and(|v| range.contains(&v))
    };
    let ok = match key {
        "deregistration_delay.timeout_seconds" => number(0..=3600),
        "slow_start.duration_seconds" => value == "0" || number(30..=900),
        "load_balancing.algorithm.type" => {
            matches!(value, "round_robin" | "least_outstanding_requests" | "weighted_random")
        }
        "stickiness.type" => {
            if network {
                value == "source_ip"
            } else {
                matches!(value, "lb_cookie" | "app_cookie")
            }
        }
        "stickiness.lb_cookie.duration_seconds" | "stickiness.app_cookie.duration_seconds" => {
            number(1..=604_800)
        }
        k if k.ends_with(".enabled") => value == "true" || value == "false",
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(ElbError::config(format!(
            "The value '{value}' is not valid for target group attribute '{key}'"
        )))
    }
}

pub(super) async fn modify_attributes(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default().to_owned();
    let found = find(ctx, &group_arn).await?;
    let network = !matches!(found.value.protocol.as_str(), "HTTP" | "HTTPS");
    let mut changes = Vec::new();
    for attribute in items(input, "Attributes") {
        let key = text(attribute, "Key").unwrap_or_default().to_owned();
        let value = text(attribute, "Value").unwrap_or_default().to_owned();
        if !balancing::TARGET_GROUP_DEFAULTS.iter().any(|(k, _)| *k == key) {
            return Err(ElbError::config(format!(
                "Target group attribute key '{key}' is not recognized"
            )));
        }
        check_attribute(&key, &value, network)?;
        changes.push((key, value));
    }
    let written = records::modify(
        ctx,
        &keys::target_group(&found.value.name),
        |current: Option<TargetGroupRecord>| {
            let Some(mut group) = current.filter(|g| g.arn == group_arn) else {
                return Err(not_found(&group_arn));
            };
            for (k, v) in &changes {
                group.attributes.insert(k.clone(), v.clone());
            }
            Ok(group)
        },
    )
    .await?;
    Ok(attributes_json(&written))
}

/// The targets a request names, checked against the group: instances must be registered
/// container instances, addresses must be IPv4 in the VPC.
fn targets_in(
    ctx: &Ctx,
    input: &Value,
    group: &TargetGroupRecord,
) -> Result<Vec<TargetKey>, ElbError> {
    let instances: Vec<String> = if group.target_type == "instance" {
        let index = ctx.state().read();
        index
            .clusters
            .values()
            .flat_map(|c| c.instances.values())
            .filter_map(|e| e.record.instance.ec2_instance_id.clone())
            .collect()
    } else {
        Vec::new()
    };
    let cidr = ctx.config().vpc.cidr;
    let mut out = Vec::new();
    for target in items(input, "Targets") {
        let id = text(target, "Id").unwrap_or_default().to_owned();
        let port = match int(target, "Port") {
            Some(p) => p as u16,
            None => group.port,
        };
        if group.target_type == "instance" {
            if !instances.contains(&id) {
                return Err(ElbError::new(
                    "InvalidTargetException",
                    format!("The following targets are not valid instances: '{id}'"),
                ));
            }
        } else {
            let Ok(address) = id.parse::<Ipv4Addr>() else {
                return Err(ElbError::new(
                    "InvalidTargetException",
                    format!("The IP address '{id}' is not a valid IPv4 address"),
                ));
            };
            let outside = text(target, "AvailabilityZone") == Some("all");
            if !cidr.contains(&address) && !outside && !address.is_loopback() {
                return Err(ElbError::new(
                    "InvalidTargetException",
                    format!(
                        "The IP address '{id}' is not within the VPC CIDR '{cidr}'; register it with the Availability Zone 'all'"
                    ),
                ));
            }
        }
        out.push(TargetKey { id, port, zone: text(target, "AvailabilityZone").map(str::to_owned) });
    }
    Ok(out)
}

pub(super) async fn register(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default().to_owned();
    let found = find(ctx, &group_arn).await?;
    let targets = targets_in(ctx, input, &found.value)?;
    let new = targets
        .iter()
        .filter(|k| !found.value.targets.iter().any(|t| t.id == k.id && t.port == k.port))
        .count();
    if found.value.targets.len() + new > MAX_TARGETS {
        return Err(ElbError::new(
            "TooManyTargetsException",
            format!("You have reached the limit of {MAX_TARGETS} targets in a target group"),
        ));
    }
    balancing::register(ctx, &found.value.name, &group_arn, &targets, None).await?;
    Ok(json!({}))
}

pub(super) async fn deregister(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default().to_owned();
    let found = find(ctx, &group_arn).await?;
    let mut targets = Vec::new();
    for target in items(input, "Targets") {
        let id = text(target, "Id").unwrap_or_default().to_owned();
        let port = int(target, "Port").map_or(found.value.port, |p| p as u16);
        let registered = found
            .value
            .targets
            .iter()
            .any(|t| t.id == id && (t.port == port || int(target, "Port").is_none()));
        if !registered {
            return Err(ElbError::new(
                "InvalidTargetException",
                format!(
                    "The following targets are not registered in target group '{group_arn}': '{id}'"
                ),
            ));
        }
        // Without a port, every registration of the id goes.
        if int(target, "Port").is_none() {
            targets.extend(found.value.targets.iter().filter(|t| t.id == id).map(|t| TargetKey {
                id: t.id.clone(),
                port: t.port,
                zone: None,
            }));
        } else {
            targets.push(TargetKey { id, port, zone: None });
        }
    }
    balancing::deregister(ctx, &found.value.name, &group_arn, &targets).await?;
    Ok(json!({}))
}

pub(super) async fn health(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let group_arn = text(input, "TargetGroupArn").unwrap_or_default().to_owned();
    let group = find(ctx, &group_arn).await?.value;
    let balancers = balancing::load_balancers(ctx).await?;
    let in_use = balancing::groups_in_use(&balancers).contains_key(&group_arn);
    let check_port = |port: u16| {
        if group.health.port == "traffic-port" {
            port.to_string()
        } else {
            group.health.port.clone()
        }
    };
    let describe = |id: &str, port: u16, zone: Option<&str>, health: balancing::TargetHealth| {
        let mut target = json!({"Id": id, "Port": port});
        if let Some(zone) = zone {
            target["AvailabilityZone"] = json!(zone);
        }
        let mut state = json!({"State": health.state.as_str()});
        if let Some(reason) = health.reason {
            state["Reason"] = json!(reason);
        }
        if let Some(description) = health.description {
            state["Description"] = json!(description);
        }
        json!({"Target": target, "HealthCheckPort": check_port(port), "TargetHealth": state})
    };
    let asked = items(input, "Targets");
    let mut out = Vec::new();
    if asked.is_empty() {
        for target in &group.targets {
            out.push(describe(
                &target.id,
                target.port,
                target.zone.as_deref(),
                balancing::target_health(ctx, &group, target, in_use),
            ));
        }
    } else {
        for target in asked {
            let id = text(target, "Id").unwrap_or_default();
            let port = int(target, "Port").map(|p| p as u16);
            let registered: Vec<_> = group
                .targets
                .iter()
                .filter(|t| t.id == id && port.is_none_or(|p| p == t.port))
                .collect();
            if registered.is_empty() {
                out.push(describe(
                    id,
                    port.unwrap_or(group.port),
                    None,
                    balancing::TargetHealth::new(
                        balancing::TargetState::Unused,
                        "Target.NotRegistered",
                        "Target is not registered to the target group",
                    ),
                ));
            }
            for t in registered {
                out.push(describe(
                    &t.id,
                    t.port,
                    t.zone.as_deref(),
                    balancing::target_health(ctx, &group, t, in_use),
                ));
            }
        }
    }
    Ok(json!({"TargetHealthDescriptions": out}))
}
