//! Why a task could not be placed: the closest candidate and what it lacks.
//!
//! This runs once per failed request (every later task of the request fails the same way), so it
//! may look at every instance.

use std::cmp::Ordering;

use super::Prepared;
use crate::model::{FailureReason, Instance, InstanceStatus, Protocol, Unplaced};

/// How far one instance got, and by how much it missed.
struct Miss<'a> {
    instance: &'a Instance,
    reason: FailureReason,
    /// Resource dimensions it lacks (0 before the resource stage).
    lacking: u32,
    /// Sum of the relative shortfalls, in millionths.
    shortfall: u64,
    placed: u32,
}

impl Miss<'_> {
    /// `Greater` when `self` is closer to taking the task than `other`.
    fn closeness(&self, other: &Miss<'_>) -> Ordering {
        stage(self.reason)
            .cmp(&stage(other.reason))
            .then(other.lacking.cmp(&self.lacking))
            .then(other.shortfall.cmp(&self.shortfall))
    }
}

/// Filter stages in pipeline order; the resource reasons share the last one.
fn stage(reason: FailureReason) -> u8 {
    match reason {
        FailureReason::NoInstances => 0,
        FailureReason::Inactive => 1,
        FailureReason::Agent => 2,
        FailureReason::Attribute => 3,
        FailureReason::MemberOf => 4,
        FailureReason::DistinctInstance => 5,
        FailureReason::ResourceCpu
        | FailureReason::ResourceMemory
        | FailureReason::ResourcePorts => 6,
    }
}

/// The failure for the next task, with `placed[i]` tasks of the request already on `instances[i]`
/// (in snapshot order). `task_index` is left 0 for the caller to fill in.
pub(crate) fn closest(
    instances: &[&Instance],
    prepared: &Prepared<'_>,
    placed: &[u32],
) -> Unplaced {
    let mut best: Option<Miss<'_>> = None;
    for (&instance, &placed) in instances.iter().zip(placed) {
        let Some(miss) = miss(prepared, instance, placed) else {
            continue;
        };
        // Strictly closer only, so that ties keep snapshot order.
        if best.as_ref().is_none_or(|best| miss.closeness(best) == Ordering::Greater) {
            best = Some(miss);
        }
    }
    let Some(best) = best else {
        // Every instance passes every stage, which the index rules out; answer sensibly anyway.
        let instance = instances[0];
        return Unplaced {
            task_index: 0,
            reason: FailureReason::ResourceCpu,
            instance_arn: Some(instance.arn.clone()),
            detail: format!("container instance {} could not be chosen", instance.id),
        };
    };
    Unplaced {
        task_index: 0,
        reason: best.reason,
        instance_arn: Some(best.instance.arn.clone()),
        detail: detail(prepared, &best),
    }
}

/// The first stage the instance fails, or `None` when it could take the task.
fn miss<'a>(prepared: &Prepared<'_>, instance: &'a Instance, placed: u32) -> Option<Miss<'a>> {
    let at = |reason| Miss { instance, reason, lacking: 0, shortfall: 0, placed };
    if instance.status != InstanceStatus::Active {
        return Some(at(FailureReason::Inactive));
    }
    if !instance.agent_connected {
        return Some(at(FailureReason::Agent));
    }
    if prepared.first_missing_attribute(instance).is_some() {
        return Some(at(FailureReason::Attribute));
    }
    if !prepared.member_of_holds(instance, placed) {
        return Some(at(FailureReason::MemberOf));
    }
    if prepared.distinct && prepared.group_count(instance) + placed > 0 {
        return Some(at(FailureReason::DistinctInstance));
    }
    let request = prepared.request;
    let used = i64::from(placed);
    let cpu_left = instance.remaining.cpu - used * request.cpu;
    let memory_left = instance.remaining.memory - used * request.memory;
    let ports = prepared.conflicting_ports(instance, placed);
    let mut reason = None;
    let mut lacking = 0;
    let mut shortfall = 0u64;
    let relative = |need: i64, left: i64| -> u64 {
        ((need - left) as f64 / need.max(1) as f64 * 1e6).min(1e15) as u64
    };
    if cpu_left < request.cpu {
        reason.get_or_insert(FailureReason::ResourceCpu);
        lacking += 1;
        shortfall += relative(request.cpu, cpu_left);
    }
    if memory_left < request.memory {
        reason.get_or_insert(FailureReason::ResourceMemory);
        lacking += 1;
        shortfall += relative(request.memory, memory_left);
    }
    if !ports.is_empty() {
        reason.get_or_insert(FailureReason::ResourcePorts);
        lacking += 1;
        shortfall += (ports.len() as u64 * 1_000_000) / request.host_ports.len() as u64;
    }
    reason.map(|reason| Miss { instance, reason, lacking, shortfall, placed })
}

fn detail(prepared: &Prepared<'_>, miss: &Miss<'_>) -> String {
    let instance = miss.instance;
    let id = &instance.id;
    let request = prepared.request;
    match miss.reason {
        FailureReason::NoInstances => FailureReason::NoInstances.as_ecs().to_owned(),
        FailureReason::Inactive => format!(
            "no container instance in the cluster is ACTIVE; container instance {id} is {}",
            instance.status.as_ecs()
        ),
        FailureReason::Agent => format!(
            "no ACTIVE container instance in the cluster has a connected agent; the agent of container instance {id} is disconnected"
        ),
        FailureReason::Attribute => {
            let (name, want) =
                prepared.first_missing_attribute(instance).expect("the attribute stage failed");
            match (instance.attributes.get(name), want) {
                (Some(have), Some(want)) => format!(
                    "container instance {id} has attribute {name}{}, the task requires {name}={want}",
                    have.as_deref()
                        .map(|have| format!("={have}"))
                        .unwrap_or_else(|| " without a value".to_owned())
                ),
                _ => format!("container instance {id} lacks the required attribute {name}"),
            }
        }
        FailureReason::MemberOf => {
            let expr = prepared
                .first_failing_member_of(instance, miss.placed)
                .expect("the memberOf stage failed");
            format!("container instance {id} does not satisfy memberOf({expr})")
        }
        FailureReason::DistinctInstance => {
            match instance.tasks.iter().find(|task| task.group == request.group) {
                Some(task) => format!(
                    "container instance {id} already runs task {} of group {} (distinctInstance)",
                    task.id, request.group
                ),
                None => format!(
                    "container instance {id} already gets a task of group {} from this request (distinctInstance)",
                    request.group
                ),
            }
        }
        FailureReason::ResourceCpu
        | FailureReason::ResourceMemory
        | FailureReason::ResourcePorts => {
            let used = i64::from(miss.placed);
            let mut parts = Vec::new();
            let cpu_left = instance.remaining.cpu - used * request.cpu;
            if cpu_left < request.cpu {
                parts.push(format!("{cpu_left} CPU units left, the task needs {}", request.cpu));
            }
            let memory_left = instance.remaining.memory - used * request.memory;
            if memory_left < request.memory {
                parts.push(format!(
                    "{memory_left} MiB memory left, the task needs {}",
                    request.memory
                ));
            }
            let ports = prepared.conflicting_ports(instance, miss.placed);
            let ports_part = (!ports.is_empty()).then(|| {
                let list: Vec<String> = ports
                    .iter()
                    .map(|(port, protocol)| format!("{port}/{}", Protocol::as_str(*protocol)))
                    .collect();
                let noun = if list.len() == 1 { "port" } else { "ports" };
                format!("is already using {noun} {}", list.join(", "))
            });
            let mut sentence = format!("container instance {id} ");
            let mut clauses: Vec<String> =
                parts.into_iter().map(|part| format!("has {part}")).collect();
            clauses.extend(ports_part);
            for (index, clause) in clauses.iter().enumerate() {
                if index > 0 {
                    sentence.push_str("; it also ");
                }
                sentence.push_str(clause);
            }
            sentence
        }
    }
}
