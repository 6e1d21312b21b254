//! CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, their attributes and
//! SetSecurityGroups.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ElbError;
use super::shapes::{self, arn, items, page, strings, text};
use crate::Ctx;
use crate::balancing;
use crate::records::{self, LoadBalancerRecord, keys};
use store::{Compare, Op, Txn};

/// The most load balancers of each type (ELB's regional quota).
pub(super) const MAX_LOAD_BALANCERS: usize = 50;

/// Attributes of an application load balancer, with their defaults.
const APPLICATION_ATTRIBUTES: &[(&str, &str)] = &[
    ("access_logs.s3.bucket", ""),
    ("access_logs.s3.enabled", "false"),
    ("access_logs.s3.prefix", ""),
    ("client_keep_alive.seconds", "3600"),
    ("deletion_protection.enabled", "false"),
    ("idle_timeout.timeout_seconds", "60"),
    ("routing.http.desync_mitigation_mode", "defensive"),
    ("routing.http.drop_invalid_header_fields.enabled", "false"),
    ("routing.http.preserve_host_header.enabled", "false"),
    ("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
    ("routing.http.xff_client_port.enabled", "false"),
    ("routing.http.xff_header_processing.mode", "append"),
    ("routing.http2.enabled", "true"),
    ("waf.fail_open.enabled", "false"),
    ("zonal_shift.config.enabled", "false"),
];

/// Attributes of a network load balancer, with their defaults.
const NETWORK_ATTRIBUTES: &[(&str, &str)] = &[
    ("access_logs.s3.bucket", ""),
    ("access_logs.s3.enabled", "false"),
    ("access_logs.s3.prefix", ""),
    ("deletion_protection.enabled", "false"),
    ("dns_record.client_routing_policy", "any_availability_zone"),
    ("load_balancing.cross_zone.enabled", "false"),
    ("zonal_shift.config.enabled", "false"),
];

fn known_attributes(kind: &str) -> &'static [(&'static str, &'static str)] {
    if kind == "network" { NETWORK_ATTRIBUTES } else { APPLICATION_ATTRIBUTES }
}

fn check_name(name: &str) -> Result<(), ElbError> {
    let problem = if name.len() > 32 {
        Some("cannot be longer than '32' characters")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Some("can only contain characters that are alphanumeric characters and hyphens(-)")
    } else if name.starts_with('-') || name.ends_with('-') {
        Some("cannot begin or end with a hyphen")
    } else if name.starts_with("internal-") {
        Some("cannot begin with 'internal-'")
    } else {
        None
    };
    match problem {
        Some(problem) => {
            Err(ElbError::validation(format!("Load balancer name '{name}' {problem}")))
        }
        None => Ok(()),
    }
}

pub(super) async fn create(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let name = text(input, "Name").unwrap_or_default().to_owned();
    check_name(&name)?;
    let kind = text(input, "Type").unwrap_or("application").to_owned();
    if kind == "gateway" {
        return Err(ElbError::config(
            "Gateway load balancers are not supported: Berth serves application and network load balancers",
        ));
    }
    let scheme = text(input, "Scheme").unwrap_or("internet-facing").to_owned();
    if text(input, "IpAddressType").is_some_and(|t| t != "ipv4") {
        return Err(ElbError::config("Berth's load balancers serve IPv4 only"));
    }
    if !items(input, "SubnetMappings").is_empty() && input.get("Subnets").is_some() {
        return Err(ElbError::validation("You can specify subnets or subnet mappings, not both"));
    }
    let mut asked: Vec<String> = strings(input, "Subnets");
    asked.extend(
        items(input, "SubnetMappings")
            .iter()
            .filter_map(|m| text(m, "SubnetId").map(str::to_owned)),
    );
    let subnets = crate::vpc::subnets(ctx).await?;
    let mut zones: Vec<(String, String)> = Vec::new();
    if asked.is_empty() {
        zones = subnets.iter().map(|s| (s.zone.clone(), s.id.clone())).collect();
    }
    for id in &asked {
        let Some(subnet) = subnets.iter().find(|s| s.id == *id) else {
            return Err(ElbError::new(
                "SubnetNotFoundException",
                format!("The subnet ID '{id}' is not valid"),
            ));
        };
        if zones.iter().any(|(z, s)| *z == subnet.zone && s != id) {
            return Err(ElbError::config(format!(
                "A load balancer cannot be attached to multiple subnets in the same Availability Zone ({})",
                subnet.zone
            )));
        }
        if !zones.iter().any(|(_, s)| s == id) {
            zones.push((subnet.zone.clone(), subnet.id.clone()));
        }
    }
    zones.sort();
    let mut security_groups = strings(input, "SecurityGroups");
    if !security_groups.is_empty() {
        let known = crate::vpc::security_groups(ctx).await?;
        if let Some(missing) = security_groups.iter().find(|g| !known.iter().any(|k| k.id == **g)) {
            return Err(ElbError::new(
                "InvalidSecurityGroupException",
                format!("One or more security groups are invalid: '{missing}'"),
            ));
        }
    } else if kind == "application" {
        security_groups.push(crate::vpc::default_group_id(ctx));
    }
    let tags = shapes::tags_in(input)?;
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let existing = balancing::load_balancers(ctx).await?;
    if let Some(same) = existing.iter().find(|lb| lb.name == name) {
        if same.kind == kind && same.scheme == scheme && (asked.is_empty() || same.zones == zones) {
            return Ok(json!({"LoadBalancers": [shapes::load_balancer_json(same, None)]}));
        }
        return Err(ElbError::new(
            "DuplicateLoadBalancerNameException",
            "A load balancer with the same name exists, but with different settings",
        ));
    }
    if existing.iter().filter(|lb| lb.kind == kind).count() >= MAX_LOAD_BALANCERS {
        return Err(ElbError::new(
            "TooManyLoadBalancersException",
            format!("You have reached the limit of {MAX_LOAD_BALANCERS} {kind} load balancers"),
        ));
    }
    let short = if kind == "network" { "net" } else { "app" };
    let resource = format!("loadbalancer/{short}/{name}/{}", balancing::new_id());
    let lb_arn = arn(ctx, &resource);
    let prefix = if scheme == "internal" { "internal-" } else { "" };
    let record = LoadBalancerRecord {
        dns_name: format!(
            "{prefix}{name}-{}.{}.elb.localhost",
            &balancing::short_hash(&lb_arn)[..10],
            ctx.config().region
        ),
        arn: lb_arn,
        name: name.clone(),
        kind,
        scheme,
        created: ctx.clock().now_millis() as f64 / 1000.0,
        vpc_id: crate::vpc::vpc_id(ctx),
        zones,
        security_groups,
        attributes: BTreeMap::new(),
        tags,
        listeners: Vec::new(),
    };
    let key = keys::load_balancer(&name);
    let txn = Txn::new()
        .when(Compare::mod_revision(&key, 0))
        .then(Op::put(&key, records::encode(&record)));
    if !ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
        return Err(crate::error::Error::Contention { key }.into());
    }
    Ok(json!({"LoadBalancers": [shapes::load_balancer_json(&record, None)]}))
}

/// Why a load balancer is impaired: a listener some node could not serve.
fn impaired(ctx: &Ctx, lb: &LoadBalancerRecord) -> Option<String> {
    let errors = ctx.balancing().health.listener_errors(ctx.clock().now_millis());
    lb.listeners
        .iter()
        .find_map(|l| errors.get(&l.arn).map(|m| format!("Listener on port {}: {m}", l.port)))
}

pub(super) async fn describe(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let arns = strings(input, "LoadBalancerArns");
    let names = strings(input, "Names");
    if !arns.is_empty() && !names.is_empty() {
        return Err(ElbError::validation(
            "Load balancer names and load balancer ARNs cannot be specified at the same time",
        ));
    }
    let all = balancing::load_balancers(ctx).await?;
    let missing = |what: &str| {
        ElbError::new(
            "LoadBalancerNotFoundException",
            format!("Load balancers '[{what}]' not found"),
        )
    };
    let chosen: Vec<&LoadBalancerRecord> = if !arns.is_empty() {
        shapes::each(&all, &arns, |lb| &lb.arn, missing)?
    } else if !names.is_empty() {
        shapes::each(&all, &names, |lb| &lb.name, missing)?
    } else {
        all.iter().collect()
    };
    let shown = chosen
        .iter()
        .map(|lb| shapes::load_balancer_json(lb, impaired(ctx, lb).as_deref()))
        .collect();
    let (page, next) = page(shown, input)?;
    Ok(json!({"LoadBalancers": page, "NextMarker": next}))
}

/// The load balancer an ARN names, or ELB's `LoadBalancerNotFound`.
pub(super) async fn find(
    ctx: &Ctx,
    arn: &str,
) -> Result<records::Versioned<LoadBalancerRecord>, ElbError> {
    balancing::load_balancer_of(ctx, arn).await?.filter(|v| v.value.arn == arn).ok_or_else(|| {
        ElbError::new("LoadBalancerNotFoundException", format!("Load balancer '{arn}' not found"))
    })
}

pub(super) async fn delete(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let lb_arn = text(input, "LoadBalancerArn").unwrap_or_default();
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let Some(found) =
        balancing::load_balancer_of(ctx, lb_arn).await?.filter(|v| v.value.arn == lb_arn)
    else {
        // Deleting a load balancer that does not exist succeeds, as in ELB.
        return Ok(json!({}));
    };
    if found.value.attributes.get("deletion_protection.enabled").is_some_and(|v| v == "true") {
        return Err(ElbError::new(
            "OperationNotPermittedException",
            format!(
                "Load balancer '{lb_arn}' cannot be deleted because deletion protection is enabled"
            ),
        ));
    }
    let key = keys::load_balancer(&found.value.name);
    let txn =
        Txn::new().when(Compare::mod_revision(&key, found.mod_revision)).then(Op::delete(&key));
    if !ctx.store().txn(txn).await.map_err(crate::error::Error::from)?.succeeded {
        return Err(crate::error::Error::Contention { key }.into());
    }
    Ok(json!({}))
}

fn attributes_json(lb: &LoadBalancerRecord) -> Value {
    let list: Vec<Value> = known_attributes(&lb.kind)
        .iter()
        .map(|(k, default)| {
            json!({"Key": k, "Value": lb.attributes.get(*k).map_or(*default, String::as_str)})
        })
        .collect();
    json!({"Attributes": list})
}

pub(super) async fn attributes(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let found = find(ctx, text(input, "LoadBalancerArn").unwrap_or_default()).await?;
    Ok(attributes_json(&found.value))
}

pub(super) async fn modify_attributes(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let lb_arn = text(input, "LoadBalancerArn").unwrap_or_default().to_owned();
    let found = find(ctx, &lb_arn).await?;
    let known = known_attributes(&found.value.kind);
    let mut changes = Vec::new();
    for attribute in items(input, "Attributes") {
        let key = text(attribute, "Key").unwrap_or_default().to_owned();
        let value = text(attribute, "Value").unwrap_or_default().to_owned();
        if !known.iter().any(|(k, _)| *k == key) {
            return Err(ElbError::config(format!(
                "Load balancer attribute key '{key}' is not recognized"
            )));
        }
        check_attribute(&key, &value)?;
        changes.push((key, value));
    }
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let written = change(ctx, &found.value, |lb| {
        for (k, v) in &changes {
            lb.attributes.insert(k.clone(), v.clone());
        }
        Ok(())
    })
    .await?;
    Ok(attributes_json(&written))
}

fn check_attribute(key: &str, value: &str) -> Result<(), ElbError> {
    let boolean = key.ends_with(".enabled");
    let ok = if boolean {
        value == "true" || value == "false"
    } else if key == "idle_timeout.timeout_seconds" {
        value.parse::<u32>().is_ok_and(|v| (1..=4000).contains(&v))
    } else if key == "client_keep_alive.seconds" {
        value.parse::<u32>().is_ok_and(|v| (60..=604_800).contains(&v))
    } else {
        true
    };
    if ok {
        Ok(())
    } else {
        Err(ElbError::validation(format!("The value of '{key}' is not valid: '{value}'")))
    }
}

pub(super) async fn set_security_groups(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let lb_arn = text(input, "LoadBalancerArn").unwrap_or_default().to_owned();
    let found = find(ctx, &lb_arn).await?;
    let groups = strings(input, "SecurityGroups");
    let known = crate::vpc::security_groups(ctx).await?;
    if let Some(missing) = groups.iter().find(|g| !known.iter().any(|k| k.id == **g)) {
        return Err(ElbError::new(
            "InvalidSecurityGroupException",
            format!("One or more security groups are invalid: '{missing}'"),
        ));
    }
    let _serialized = ctx.key_locks().lock(keys::LB).await;
    let written = change(ctx, &found.value, |lb| {
        lb.security_groups = groups.clone();
        Ok(())
    })
    .await?;
    Ok(json!({"SecurityGroupIds": written.security_groups}))
}

/// Applies `change` to the load balancer's record with compare-and-swap; the record must
/// still be the same load balancer.
pub(super) async fn change<F>(
    ctx: &Ctx,
    lb: &LoadBalancerRecord,
    mut change: F,
) -> Result<LoadBalancerRecord, ElbError>
where
    F: FnMut(&mut LoadBalancerRecord) -> Result<(), ElbError>,
{
    let lb_arn = lb.arn.clone();
    records::modify(ctx, &keys::load_balancer(&lb.name), |current: Option<LoadBalancerRecord>| {
        let Some(mut current) = current.filter(|c| c.arn == lb_arn) else {
            return Err(ElbError::new(
                "LoadBalancerNotFoundException",
                format!("Load balancer '{lb_arn}' not found"),
            ));
        };
        change(&mut current)?;
        Ok(current)
    })
    .await
}
