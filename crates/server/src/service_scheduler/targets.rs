//! A service's tasks in its target groups (reference/ecs-api.md §8), reconciled on every pass:
//!
//! - a task that is RUNNING (and not deactivating) is registered in every target group of the
//!   service: an `instance` target with its container's host port, an `ip` target with its
//!   `awsvpc` address and the container port;
//! - a target whose task no longer should get traffic is deregistered (it drains);
//! - a task the scheduler stops is first *deactivated*: its targets drain for the group's
//!   deregistration delay, and once none is left it is asked to stop (SIGTERM);
//! - what the load balancer sees of each task's targets is its health for the deployment
//!   decisions: healthy once every target is healthy, unhealthy as soon as one is.

use super::*;

use crate::balancing::{self, TargetKey, TargetState};
use crate::records::TargetGroupRecord;

/// What the load balancer says of a service task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TargetsHealth {
    Healthy,
    /// The first target group that finds it unhealthy.
    Unhealthy(String),
    Unknown,
}

/// A service's target groups and what they say of its tasks (by task ARN).
pub(super) struct Targets {
    pub(super) health: BTreeMap<String, TargetsHealth>,
}

impl Targets {
    pub(super) fn of(&self, task_arn: &str) -> TargetsHealth {
        self.health.get(task_arn).cloned().unwrap_or(TargetsHealth::Unknown)
    }
}

/// Whether the task should get traffic: RUNNING, meant to run, not deactivating.
fn serving(task: &IndexedTask) -> bool {
    task.last_status() == TaskStatus::Running
        && task.desired_status() == DesiredStatus::Running
        && task.deactivating_since.is_none()
}

/// The target a task is in a group: `None` while it has no address or host port for the
/// container port yet.
fn target_of(
    ctx: &Ctx,
    task: &IndexedTask,
    group: &TargetGroupRecord,
    container: &str,
    port: i32,
) -> Option<TargetKey> {
    if group.target_type == "ip" {
        let network = task.network.as_ref()?;
        return Some(TargetKey {
            id: network.address.to_string(),
            port: u16::try_from(port).ok()?,
            zone: None,
        });
    }
    let record = task.record().ok()?;
    let host_port = record
        .task
        .containers
        .iter()
        .flatten()
        .filter(|c| c.name.as_deref() == Some(container))
        .flat_map(|c| c.network_bindings.iter().flatten())
        .find(|b| b.container_port == Some(port))
        .and_then(|b| b.host_port)?;
    let instance = task.instance_id.as_ref()?;
    let index = ctx.state().read();
    let ec2 = index
        .cluster(task.host_cluster())
        .and_then(|c| c.instances.get(instance.as_str()))?
        .record
        .instance
        .ec2_instance_id
        .clone()?;
    Some(TargetKey { id: ec2, port: u16::try_from(host_port).ok()?, zone: None })
}

/// Registers and deregisters the service's targets, stops the deactivating tasks whose
/// targets have drained, and reads the health of every task's targets. `None` for a service
/// without load balancers.
pub(super) async fn sync(
    ctx: &Ctx,
    cluster: &str,
    record: &ServiceRecord,
    tasks: &[Arc<IndexedTask>],
    events: &mut Vec<String>,
) -> Result<Option<Targets>, ApiError> {
    let balancers = record.service.load_balancers.as_deref().unwrap_or_default();
    if balancers.is_empty() {
        return Ok(None);
    }
    let arns = ctx.arns();
    let mut groups = Vec::new();
    for balancer in balancers {
        let Some(arn) = balancer.target_group_arn.as_deref() else { continue };
        let Some(group) = balancing::target_group(ctx, arn).await? else { continue };
        groups.push((balancer, group.value));
    }
    let by_arn: BTreeMap<String, &IndexedTask> =
        tasks.iter().map(|t| (arns.task(cluster, &t.id), t.as_ref())).collect();
    for (balancer, group) in &mut groups {
        let container = balancer.container_name.as_deref().unwrap_or_default();
        let port = balancer.container_port.unwrap_or_default();
        let mut registered = 0;
        for task in tasks.iter().filter(|t| serving(t)) {
            let task_arn = arns.task(cluster, &task.id);
            let present = group
                .targets
                .iter()
                .any(|t| t.task_arn.as_deref() == Some(&task_arn) && t.draining_since.is_none());
            if present {
                continue;
            }
            let Some(key) = target_of(ctx, task, group, container, port) else { continue };
            *group =
                balancing::register(ctx, &group.name, &group.arn, &[key], Some(&task_arn)).await?;
            registered += 1;
        }
        if registered > 0 {
            events.push(format!("registered {registered} targets in (target-group {})", group.arn));
        }
        // Targets of this cluster's tasks that should no longer get traffic: the task stops,
        // deactivates, or is gone.
        let leaving: Vec<TargetKey> = group
            .targets
            .iter()
            .filter(|t| t.draining_since.is_none())
            .filter(|t| {
                let Some(task_arn) = t.task_arn.as_deref() else { return false };
                match by_arn.get(task_arn) {
                    Some(task) => !serving(task),
                    None => {
                        task_arn.starts_with(&arns.task(cluster, ""))
                            && ctx
                                .state()
                                .read()
                                .cluster(cluster)
                                .and_then(|c| c.tasks.get(task_arn.rsplit('/').next()?))
                                .is_none()
                    }
                }
            })
            .map(|t| TargetKey { id: t.id.clone(), port: t.port, zone: None })
            .collect();
        if !leaving.is_empty() {
            *group = balancing::deregister(ctx, &group.name, &group.arn, &leaving).await?;
            events.push(format!(
                "deregistered {} targets in (target-group {})",
                leaving.len(),
                group.arn
            ));
        }
    }
    // Deactivating tasks whose targets have all drained are asked to stop now.
    let now = ctx.clock().now();
    let mut stopped = Vec::new();
    for task in tasks.iter().filter(|t| t.deactivating_since.is_some()) {
        let task_arn = arns.task(cluster, &task.id);
        let draining = groups
            .iter()
            .any(|(_, g)| g.targets.iter().any(|t| t.task_arn.as_deref() == Some(&task_arn)));
        if draining || task.desired_status() == DesiredStatus::Stopped {
            continue;
        }
        let outcome = crate::records::modify::<TaskRecord, _, Error>(
            ctx,
            &keys::task(cluster, &task.id),
            |current| {
                let mut record = current.ok_or_else(crate::tasks::task_not_found)?;
                if let Some(deactivation) = record.deactivating.clone() {
                    crate::tasks::stop(
                        &mut record,
                        deactivation.cause,
                        &deactivation.reason,
                        now,
                        false,
                    );
                }
                Ok(record)
            },
        )
        .await;
        match outcome {
            Ok(_) => stopped.push(task.id.to_string()),
            Err(Error::NotFound(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if !stopped.is_empty() {
        events.push(format!(
            "has stopped {} running tasks: {}.",
            stopped.len(),
            task_list(&stopped)
        ));
    }
    // What the load balancer sees of each serving task.
    let mut health = BTreeMap::new();
    for task in tasks.iter().filter(|t| serving(t)) {
        let task_arn = arns.task(cluster, &task.id);
        let mut seen = TargetsHealth::Healthy;
        for (_, group) in &groups {
            let target = group
                .targets
                .iter()
                .find(|t| t.task_arn.as_deref() == Some(&task_arn) && t.draining_since.is_none());
            let state = target.map(|t| balancing::target_health(ctx, group, t, true).state);
            match state {
                Some(TargetState::Healthy) => {}
                Some(TargetState::Unhealthy) => {
                    seen = TargetsHealth::Unhealthy(group.arn.clone());
                    break;
                }
                _ => seen = TargetsHealth::Unknown,
            }
        }
        health.insert(task_arn, seen);
    }
    Ok(Some(Targets { health }))
}
