//! The load balancer's state in the control plane: its records (`/lb/`), the health the
//! load-balancer nodes see of each target, what a node serves (`config`), and target
//! registration, which both the ELBv2 API and the service scheduler use.
//!
//! The data plane is `crates/lb`: nodes long-poll the configuration (`lb_channel`) and report
//! the health of every target they check, which this module keeps in memory ([`Health`]): it
//! is what the nodes see now, so a control plane that restarts learns it again within a poll.

mod config;
mod health;

use crate::Ctx;
use crate::error::Error;
use crate::records::{self, LoadBalancerRecord, TargetGroupRecord, TargetRecord, Versioned, keys};
use crate::workers::Worker;
use store::{Revision, Store, StoreError};

pub(crate) use config::{TARGET_GROUP_DEFAULTS, config, default_rule_arn};
pub(crate) use health::{Health, TargetHealth, TargetState};

/// What the control plane keeps of the load balancer besides its records.
pub(crate) struct Balancing {
    /// The store revision of the last change under `/lb/`: nodes wait for it to move.
    revision: tokio::sync::watch::Sender<Revision>,
    pub(crate) health: Health,
}

impl Balancing {
    pub(crate) fn new() -> Balancing {
        Balancing { revision: tokio::sync::watch::channel(0).0, health: Health::default() }
    }

    /// A receiver of the revision of the last change to the load balancer's configuration.
    pub(crate) fn changes(&self) -> tokio::sync::watch::Receiver<Revision> {
        self.revision.subscribe()
    }

    /// The revision of the last change seen.
    pub(crate) fn revision(&self) -> Revision {
        *self.revision.borrow()
    }
}

/// The `lb-config` worker: follows every change under `/lb/` (and the instances whose
/// addresses `instance` targets resolve to) so nodes waiting for a new configuration hear of
/// it.
pub(crate) async fn follow(ctx: std::sync::Weak<crate::CtxInner>, mut worker: Worker) {
    let Some(store) = ctx.upgrade().map(|c| c.store.clone()) else { return };
    let mut after = store.revision();
    if let Some(inner) = ctx.upgrade() {
        inner.balancing.revision.send_replace(after);
    }
    while !worker.stopping() {
        let mut watcher = match watch(store.as_ref(), after) {
            Ok(w) => w,
            Err(error) => {
                worker.failed(&error);
                worker.sleep(std::time::Duration::from_secs(1)).await;
                after = store.revision();
                continue;
            }
        };
        loop {
            let next = tokio::select! {
                next = watcher.next() => next,
                () = worker.stopped() => return,
            };
            match next {
                Ok(events) => {
                    let Some(inner) = ctx.upgrade() else { return };
                    if let Some(last) = events.last() {
                        after = last.kv.mod_revision;
                        inner.balancing.revision.send_replace(after);
                    }
                    worker.ran(events.len() as u64);
                }
                Err(StoreError::Closed) => return,
                Err(error) => {
                    tracing::warn!(error = %records::ErrorChain(&error), "The load balancer's watch ended");
                    after = store.revision();
                    if let Some(inner) = ctx.upgrade() {
                        inner.balancing.revision.send_replace(after);
                    }
                    break;
                }
            }
        }
    }
}

fn watch(store: &dyn Store, after: Revision) -> Result<store::Watcher, StoreError> {
    store.watch(keys::LB, after)
}

pub(crate) async fn load_balancers(ctx: &Ctx) -> Result<Vec<LoadBalancerRecord>, Error> {
    Ok(records::list::<LoadBalancerRecord>(ctx.store(), keys::LOAD_BALANCERS)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

pub(crate) async fn target_groups(ctx: &Ctx) -> Result<Vec<TargetGroupRecord>, Error> {
    Ok(records::list::<TargetGroupRecord>(ctx.store(), keys::TARGET_GROUPS)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// The name in a load balancer's or target group's ARN (`…:targetgroup/<name>/<id>`,
/// `…:loadbalancer/app/<name>/<id>`).
pub(crate) fn name_in_arn(arn: &str) -> Option<&str> {
    let resource = arn.split(':').nth(5)?;
    let mut parts = resource.split('/');
    match parts.next()? {
        "targetgroup" => parts.next(),
        "loadbalancer" | "listener" | "listener-rule" => parts.nth(1),
        _ => None,
    }
}

/// The target group an ARN names, if it exists.
pub(crate) async fn target_group(
    ctx: &Ctx,
    arn: &str,
) -> Result<Option<Versioned<TargetGroupRecord>>, Error> {
    let Some(name) = name_in_arn(arn).filter(|_| arn.contains(":targetgroup/")) else {
        return Ok(None);
    };
    let found = records::get::<TargetGroupRecord>(ctx.store(), &keys::target_group(name)).await?;
    Ok(found.filter(|v| v.value.arn == arn))
}

/// The load balancer an ARN of it (or of one of its listeners or rules) names, if it exists.
pub(crate) async fn load_balancer_of(
    ctx: &Ctx,
    arn: &str,
) -> Result<Option<Versioned<LoadBalancerRecord>>, Error> {
    let Some(name) = name_in_arn(arn) else { return Ok(None) };
    let found = records::get::<LoadBalancerRecord>(ctx.store(), &keys::load_balancer(name)).await?;
    Ok(found.filter(|v| owns(&v.value.arn, arn)))
}

/// Whether `arn` is the load balancer `lb_arn` or one of its listeners or rules: they share
/// `app/<name>/<id>`.
pub(crate) fn owns(lb_arn: &str, arn: &str) -> bool {
    let tail = |a: &str| a.split_once(":loadbalancer/").map(|(_, t)| t.to_owned());
    let Some(lb) = tail(lb_arn) else { return false };
    let Some(resource) = arn.split(':').nth(5) else { return false };
    let rest = resource.split_once('/').map_or("", |(_, r)| r);
    rest == lb || rest.starts_with(&format!("{lb}/"))
}

/// A target to register or deregister: its id and port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TargetKey {
    pub(crate) id: String,
    pub(crate) port: u16,
    pub(crate) zone: Option<String>,
}

/// Registers targets in a group (already checked by the caller). A draining target registered
/// again stops draining. Returns the group as written.
pub(crate) async fn register(
    ctx: &Ctx,
    group_name: &str,
    group_arn: &str,
    targets: &[TargetKey],
    task_arn: Option<&str>,
) -> Result<TargetGroupRecord, Error> {
    let now = ctx.clock().now_millis();
    records::modify(ctx, &keys::target_group(group_name), |current: Option<TargetGroupRecord>| {
        let Some(mut group) = current.filter(|g| g.arn == group_arn) else {
            return Err(Error::InvalidState(format!("Target group '{group_arn}' not found")));
        };
        for key in targets {
            match group.targets.iter_mut().find(|t| t.id == key.id && t.port == key.port) {
                Some(existing) => {
                    existing.draining_since = None;
                    if task_arn.is_some() {
                        existing.task_arn = task_arn.map(str::to_owned);
                    }
                }
                None => group.targets.push(TargetRecord {
                    id: key.id.clone(),
                    port: key.port,
                    zone: key.zone.clone(),
                    registered_at: now,
                    draining_since: None,
                    task_arn: task_arn.map(str::to_owned),
                }),
            }
        }
        Ok(group)
    })
    .await
}

/// Deregisters targets: each drains for the group's deregistration delay (or goes at once when
/// it is 0). Targets not registered are left alone.
pub(crate) async fn deregister(
    ctx: &Ctx,
    group_name: &str,
    group_arn: &str,
    targets: &[TargetKey],
) -> Result<TargetGroupRecord, Error> {
    let now = ctx.clock().now_millis();
    records::modify(ctx, &keys::target_group(group_name), |current: Option<TargetGroupRecord>| {
        let Some(mut group) = current.filter(|g| g.arn == group_arn) else {
            return Err(Error::InvalidState(format!("Target group '{group_arn}' not found")));
        };
        let delay = deregistration_delay(&group);
        group.targets.retain_mut(|t| {
            if !targets.iter().any(|k| k.id == t.id && k.port == t.port) {
                return true;
            }
            if delay == 0 {
                return false;
            }
            t.draining_since.get_or_insert(now);
            true
        });
        Ok(group)
    })
    .await
}

/// The group's `deregistration_delay.timeout_seconds` (300 by default).
pub(crate) fn deregistration_delay(group: &TargetGroupRecord) -> u32 {
    attribute(group, "deregistration_delay.timeout_seconds").parse().unwrap_or(300)
}

/// A target group attribute's value, or its default.
pub(crate) fn attribute<'a>(group: &'a TargetGroupRecord, key: &str) -> &'a str {
    group.attributes.get(key).map(String::as_str).unwrap_or_else(|| {
        config::TARGET_GROUP_DEFAULTS.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v)
    })
}

/// The `lb-drained` worker: removes targets whose deregistration delay has passed, once a
/// second.
pub(crate) async fn run_drained(ctx: std::sync::Weak<crate::CtxInner>, worker: Worker) {
    worker
        .every(std::time::Duration::from_secs(1), ctx, |inner| async move {
            let ctx = Ctx { inner };
            remove_drained(&ctx).await.map_err(|e| e.to_string())
        })
        .await;
}

async fn remove_drained(ctx: &Ctx) -> Result<u64, Error> {
    let now = ctx.clock().now_millis();
    let mut removed = 0;
    for group in target_groups(ctx).await? {
        let delay = i64::from(deregistration_delay(&group)) * 1000;
        let expired = |t: &TargetRecord| t.draining_since.is_some_and(|since| now - since >= delay);
        if !group.targets.iter().any(expired) {
            continue;
        }
        let key = keys::target_group(&group.name);
        let written = records::modify(ctx, &key, |current: Option<TargetGroupRecord>| {
            let Some(mut current) = current.filter(|g| g.arn == group.arn) else {
                return Err(Error::InvalidState(group.arn.clone()));
            };
            current.targets.retain(|t| !expired(t));
            Ok(current)
        })
        .await;
        match written {
            Ok(_) => removed += 1,
            Err(Error::InvalidState(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(removed)
}

/// 16 hexadecimal digits derived from `text`: the id of something that `text` defines.
pub(crate) fn short_hash(text: &str) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(text.as_bytes())[..8])
}

/// 16 random hexadecimal digits: the id part of a new load balancer, target group, listener or
/// rule ARN.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..16].to_owned()
}

/// The target groups some listener or rule forwards to, each with the load balancers that do.
pub(crate) fn groups_in_use(
    balancers: &[LoadBalancerRecord],
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for lb in balancers {
        for listener in &lb.listeners {
            let actions = std::iter::once(&listener.default_actions)
                .chain(listener.rules.iter().map(|r| &r.actions));
            for action in actions {
                for group in forwarded_groups(action) {
                    let lbs = out.entry(group).or_default();
                    if !lbs.contains(&lb.arn) {
                        lbs.push(lb.arn.clone());
                    }
                }
            }
        }
    }
    out
}

/// The target groups ELB `Actions` forward to.
pub(crate) fn forwarded_groups(actions: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for action in actions.as_array().into_iter().flatten() {
        if let Some(arn) = action.get("TargetGroupArn").and_then(|v| v.as_str()) {
            out.push(arn.to_owned());
        }
        for group in action
            .pointer("/ForwardConfig/TargetGroups")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(arn) = group.get("TargetGroupArn").and_then(|v| v.as_str())
                && !out.iter().any(|a| a == arn)
            {
                out.push(arn.to_owned());
            }
        }
    }
    out
}

/// A registered target's health as DescribeTargetHealth shows it: draining, unused (its group
/// receives no traffic), unavailable (checks are off), or what the nodes see.
pub(crate) fn target_health(
    ctx: &Ctx,
    group: &TargetGroupRecord,
    target: &TargetRecord,
    in_use: bool,
) -> TargetHealth {
    if target.draining_since.is_some() {
        return TargetHealth::new(
            TargetState::Draining,
            "Target.DeregistrationInProgress",
            "Target deregistration is in progress",
        );
    }
    if !in_use {
        return TargetHealth::new(
            TargetState::Unused,
            "Target.NotInUse",
            "Target group is not configured to receive traffic from the load balancer",
        );
    }
    if !group.health.enabled {
        return TargetHealth::new(
            TargetState::Unavailable,
            "Target.HealthCheckDisabled",
            "Health checks are disabled",
        );
    }
    ctx.balancing()
        .health
        .seen(&group.arn, &target.id, target.port, ctx.clock().now_millis())
        .unwrap_or_else(|| {
            TargetHealth::new(
                TargetState::Initial,
                "Elb.RegistrationInProgress",
                "Target registration is in progress",
            )
        })
}

/// The imported certificate an ARN names, if it exists.
pub(crate) async fn certificate(
    ctx: &Ctx,
    arn: &str,
) -> Result<Option<Versioned<records::CertificateRecord>>, Error> {
    let Some(id) = arn.rsplit_once(":certificate/").map(|(_, id)| id) else { return Ok(None) };
    let found =
        records::get::<records::CertificateRecord>(ctx.store(), &keys::certificate(id)).await?;
    Ok(found.filter(|v| v.value.arn == arn))
}
