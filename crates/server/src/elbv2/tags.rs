//! AddTags, RemoveTags and DescribeTags on load balancers, target groups, listeners and rules;
//! DescribeAccountLimits and DescribeSSLPolicies.

use serde_json::{Value, json};

use super::ElbError;
use super::shapes::{self, strings};
use crate::Ctx;
use crate::balancing;
use crate::records::{self, LoadBalancerRecord, TargetGroupRecord, keys};

/// What kind of resource an ELB ARN names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    LoadBalancer,
    TargetGroup,
    Listener,
    Rule,
}

fn kind_of(arn: &str) -> Option<Kind> {
    let resource = arn.split(':').nth(5)?;
    Some(match resource.split('/').next()? {
        "loadbalancer" => Kind::LoadBalancer,
        "targetgroup" => Kind::TargetGroup,
        "listener" => Kind::Listener,
        "listener-rule" => Kind::Rule,
        _ => return None,
    })
}

fn not_found(kind: Option<Kind>, arn: &str) -> ElbError {
    match kind {
        Some(Kind::TargetGroup) => ElbError::new(
            "TargetGroupNotFoundException",
            format!("Target groups '[{arn}]' not found"),
        ),
        Some(Kind::Listener) => {
            ElbError::new("ListenerNotFoundException", format!("Listener '{arn}' not found"))
        }
        Some(Kind::Rule) => {
            ElbError::new("RuleNotFoundException", format!("Rule '{arn}' not found"))
        }
        _ => ElbError::new(
            "LoadBalancerNotFoundException",
            format!("Load balancer '{arn}' not found"),
        ),
    }
}

/// The tags of a load balancer or of one of its listeners or rules.
fn tags_in_balancer<'a>(
    lb: &'a mut LoadBalancerRecord,
    arn: &str,
) -> Option<&'a mut Vec<(String, String)>> {
    if lb.arn == arn {
        return Some(&mut lb.tags);
    }
    for listener in &mut lb.listeners {
        if listener.arn == arn {
            return Some(&mut listener.tags);
        }
        if let Some(rule) = listener.rules.iter_mut().find(|r| r.arn == arn) {
            return Some(&mut rule.tags);
        }
    }
    None
}

/// Changes the tags of one resource with `change`; every resource must exist.
async fn change_tags<F>(ctx: &Ctx, arn: &str, change: F) -> Result<(), ElbError>
where
    F: Fn(&mut Vec<(String, String)>) -> Result<(), ElbError>,
{
    let kind = kind_of(arn);
    match kind {
        Some(Kind::TargetGroup) => {
            let found =
                balancing::target_group(ctx, arn).await?.ok_or_else(|| not_found(kind, arn))?;
            records::modify::<_, _, ElbError>(
                ctx,
                &keys::target_group(&found.value.name),
                |current: Option<TargetGroupRecord>| {
                    let mut group =
                        current.filter(|g| g.arn == arn).ok_or_else(|| not_found(kind, arn))?;
                    change(&mut group.tags)?;
                    Ok(group)
                },
            )
            .await?;
        }
        Some(_) => {
            let found =
                balancing::load_balancer_of(ctx, arn).await?.ok_or_else(|| not_found(kind, arn))?;
            records::modify::<_, _, ElbError>(
                ctx,
                &keys::load_balancer(&found.value.name),
                |current: Option<LoadBalancerRecord>| {
                    let mut lb = current.ok_or_else(|| not_found(kind, arn))?;
                    let tags =
                        tags_in_balancer(&mut lb, arn).ok_or_else(|| not_found(kind, arn))?;
                    change(tags)?;
                    Ok(lb)
                },
            )
            .await?;
        }
        None => return Err(ElbError::validation(format!("'{arn}' is not a valid resource ARN"))),
    }
    Ok(())
}

pub(super) async fn add(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let added = shapes::tags_in(input)?;
    let arns = strings(input, "ResourceArns");
    // Every resource must exist before any is changed.
    for arn in &arns {
        tags_of(ctx, arn).await?;
    }
    for arn in &arns {
        change_tags(ctx, arn, |tags| {
            for (k, v) in &added {
                match tags.iter_mut().find(|(key, _)| key == k) {
                    Some(existing) => existing.1 = v.clone(),
                    None => tags.push((k.clone(), v.clone())),
                }
            }
            if tags.len() > shapes::MAX_TAGS {
                return Err(ElbError::new(
                    "TooManyTagsException",
                    format!("A resource can have at most {} tags", shapes::MAX_TAGS),
                ));
            }
            Ok(())
        })
        .await?;
    }
    Ok(json!({}))
}

pub(super) async fn remove(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let keys_removed = strings(input, "TagKeys");
    let arns = strings(input, "ResourceArns");
    for arn in &arns {
        tags_of(ctx, arn).await?;
    }
    for arn in &arns {
        change_tags(ctx, arn, |tags| {
            tags.retain(|(k, _)| !keys_removed.contains(k));
            Ok(())
        })
        .await?;
    }
    Ok(json!({}))
}

async fn tags_of(ctx: &Ctx, arn: &str) -> Result<Vec<(String, String)>, ElbError> {
    let kind = kind_of(arn);
    match kind {
        Some(Kind::TargetGroup) => Ok(balancing::target_group(ctx, arn)
            .await?
            .ok_or_else(|| not_found(kind, arn))?
            .value
            .tags),
        Some(_) => {
            let mut lb = balancing::load_balancer_of(ctx, arn)
                .await?
                .ok_or_else(|| not_found(kind, arn))?
                .value;
            tags_in_balancer(&mut lb, arn).map(|t| t.clone()).ok_or_else(|| not_found(kind, arn))
        }
        None => Err(ElbError::validation(format!("'{arn}' is not a valid resource ARN"))),
    }
}

pub(super) async fn describe(ctx: &Ctx, input: &Value) -> Result<Value, ElbError> {
    let mut out = Vec::new();
    for arn in strings(input, "ResourceArns") {
        let tags = tags_of(ctx, &arn).await?;
        out.push(json!({"ResourceArn": arn, "Tags": shapes::tags_json(&tags)}));
    }
    Ok(json!({"TagDescriptions": out}))
}

pub(super) fn limits(input: &Value) -> Result<Value, ElbError> {
    let limits = [
        ("application-load-balancers", super::load_balancers::MAX_LOAD_BALANCERS),
        ("network-load-balancers", super::load_balancers::MAX_LOAD_BALANCERS),
        ("target-groups", super::target_groups::MAX_TARGET_GROUPS),
        ("targets-per-target-group", super::target_groups::MAX_TARGETS),
        ("listeners-per-application-load-balancer", super::listeners::MAX_LISTENERS),
        ("listeners-per-network-load-balancer", super::listeners::MAX_LISTENERS),
        ("rules-per-application-load-balancer", super::listeners::MAX_RULES),
    ];
    let all: Vec<Value> =
        limits.iter().map(|(name, max)| json!({"Name": name, "Max": max.to_string()})).collect();
    let (page, next) = shapes::page(all, input)?;
    Ok(json!({"Limits": page, "NextMarker": next}))
}

pub(super) fn ssl_policies(input: &Value) -> Result<Value, ElbError> {
    let names = strings(input, "Names");
    if let Some(unknown) =
        names.iter().find(|n| !super::listeners::SSL_POLICIES.contains(&n.as_str()))
    {
        return Err(ElbError::new(
            "SSLPolicyNotFoundException",
            format!("SSL policy '{unknown}' not found"),
        ));
    }
    let policies: Vec<Value> = super::listeners::SSL_POLICIES
        .iter()
        .filter(|p| names.is_empty() || names.iter().any(|n| n == *p))
        .map(|p| {
            let tls13 = p.contains("TLS13");
            json!({
                "Name": p,
                "SslProtocols": if tls13 { vec!["TLSv1.2", "TLSv1.3"] } else { vec!["TLSv1.2"] },
                "SupportedLoadBalancerTypes": ["application", "network"],
            })
        })
        .collect();
    Ok(json!({"SslPolicies": policies}))
}
