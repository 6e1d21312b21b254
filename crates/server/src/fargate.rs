//! Berth's own Fargate operations: reclaiming Fargate Spot capacity, and metering usage.

use serde::{Deserialize, Serialize};

use api::ApiError;
use api::berth::{ReclaimSpotCapacityRequest, ReclaimSpotCapacityResponse};

use crate::Ctx;
use crate::placement::capacity::{FARGATE_POOL, FARGATE_SPOT, PROVIDER_ATTRIBUTE};
use crate::records::{DesiredStatus, StopCause, TaskRecord, TaskState, keys};

/// The reason an interrupted Spot task shows, as ECS words it.
pub(crate) const SPOT_REASON: &str = "Your Spot Task was interrupted.";

/// BerthV1.ReclaimSpotCapacity: interrupts every task on the Spot hosts reclaimed (those with
/// the most tasks). The tasks are asked to stop with `stopCode: SpotInterruption`: their agent
/// sends SIGTERM and gives each container its stop timeout (at most 120 s on Fargate, the
/// two-minute warning) before SIGKILL; services replace them as they replace any stopped task.
/// The hosts themselves stay in the pool.
pub(crate) async fn reclaim_spot_capacity(
    ctx: &Ctx,
    req: ReclaimSpotCapacityRequest,
) -> Result<ReclaimSpotCapacityResponse, ApiError> {
    let hosts = req.hosts.unwrap_or(1);
    if !(1..=100).contains(&hosts) {
        return Err(ApiError::invalid_parameter(format!(
            "hosts must be between 1 and 100; got {hosts}."
        )));
    }
    let tasks: Vec<(String, String)> = {
        let index = ctx.state().read();
        let Some(pool) = index.cluster(FARGATE_POOL) else {
            return Ok(ReclaimSpotCapacityResponse::default());
        };
        let mut spot: Vec<(usize, &str)> = pool
            .instances
            .values()
            .filter(|e| {
                e.record.instance.attributes.iter().flatten().any(|a| {
                    a.name == PROVIDER_ATTRIBUTE && a.value.as_deref() == Some(FARGATE_SPOT)
                })
            })
            .map(|e| (pool.tasks_on(&e.record.id).count(), e.record.id.as_str()))
            .collect();
        spot.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        spot.iter()
            .take(hosts as usize)
            .flat_map(|(_, id)| pool.tasks_on(id))
            .filter(|t| t.desired_status() == DesiredStatus::Running)
            .map(|t| (t.cluster.to_string(), t.id.to_string()))
            .collect()
    };
    let now = ctx.clock().now();
    let mut interrupted = Vec::with_capacity(tasks.len());
    for (cluster, id) in tasks {
        let key = keys::task(&cluster, &id);
        let stopped = crate::state::modify_seen::<TaskRecord, _, ApiError>(ctx, &key, |record| {
            let mut record =
                record.ok_or_else(|| ApiError::from(crate::tasks::task_not_found()))?;
            crate::tasks::stop(&mut record, StopCause::SpotInterruption, SPOT_REASON, now, false);
            Ok(record)
        })
        .await;
        match stopped {
            Ok(record) if record.task.stop_cause == Some(StopCause::SpotInterruption) => {
                tracing::info!(cluster, task = %id, "Spot task interrupted");
                interrupted.push(ctx.arns().task(&cluster, &id));
            }
            // Stopped meanwhile, for another reason, or gone: nothing to interrupt.
            Ok(_) | Err(_) => {}
        }
    }
    ctx.inner.service_wake.notify_one();
    Ok(ReclaimSpotCapacityResponse { interrupted_tasks: interrupted })
}

/// The `spot-reclaims` worker: with `[fargate] spot-reclaims-per-hour` above 0, reclaims the
/// Spot host with the most tasks that many times an hour, evenly spaced, for tests and demos
/// of how services ride out interruptions.
pub(crate) async fn run_reclaims(
    inner: std::sync::Weak<crate::CtxInner>,
    per_hour: u32,
    worker: crate::workers::Worker,
) {
    let every = std::time::Duration::from_secs_f64(3600.0 / f64::from(per_hour.max(1)));
    worker
        .every(every, inner, |inner| async move {
            let request = ReclaimSpotCapacityRequest { hosts: Some(1) };
            match reclaim_spot_capacity(&Ctx { inner }, request).await {
                Ok(done) => Ok(done.interrupted_tasks.len() as u64),
                Err(error) => Err(error.message),
            }
        })
        .await;
}

/// What a Fargate task is billed for: kept in its record while the record lives, and written
/// to `/usage/` in the same transaction that removes a stopped task past its retention, so a
/// task's usage is never lost and never counted twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metered {
    pub(crate) cluster: String,
    pub(crate) task: String,
    pub(crate) family: String,
    pub(crate) group: Option<String>,
    pub(crate) provider: String,
    pub(crate) tags: Vec<api::Tag>,
    /// When its image pull started (else when it started), epoch seconds.
    pub(crate) start: f64,
    /// When it stopped; `None` while it runs.
    pub(crate) end: Option<f64>,
    /// CPU units and MiB asked for.
    pub(crate) cpu: i64,
    pub(crate) memory: i64,
    pub(crate) storage_gib: i32,
}

/// The usage of a Fargate task that has begun (its pull, or its start), `None` for others.
pub(crate) fn metered(record: &TaskRecord) -> Option<Metered> {
    let task = &record.task;
    if task.launch_type != Some(api::LaunchType::Fargate) {
        return None;
    }
    let start = task.pull_started_at.or(task.started_at)?;
    let end = match task.last_status {
        crate::records::TaskStatus::Stopped => {
            Some(task.execution_stopped_at.or(task.stopped_at).unwrap_or(start))
        }
        _ => None,
    };
    Some(Metered {
        cluster: record.cluster.to_string(),
        task: record.id.to_string(),
        family: record.family.clone(),
        group: task.group.clone(),
        provider: task.capacity_provider_name.clone().unwrap_or_else(|| "FARGATE".to_owned()),
        tags: task.tags.clone().unwrap_or_default(),
        start,
        end,
        cpu: record.reservation.cpu,
        memory: record.reservation.memory,
        storage_gib: task
            .ephemeral_storage
            .as_ref()
            .map_or(crate::placement::DEFAULT_EPHEMERAL_GIB, |e| e.size_in_gi_b),
    })
}

/// The least a task is billed for, in seconds.
const MINIMUM_SECONDS: f64 = 60.0;

/// The seconds of `metered` billed within `[from, to]`: its billed interval runs from its
/// start for its whole-second duration up to now, and at least a minute; the part within the
/// range counts.
fn billed_within(metered: &Metered, now: f64, from: f64, to: f64) -> f64 {
    let end = metered.end.unwrap_or(now).max(metered.start);
    let seconds = (end - metered.start).ceil().max(MINIMUM_SECONDS);
    let billed_end = metered.start + seconds;
    (billed_end.min(to) - metered.start.max(from)).max(0.0)
}

/// BerthV1.GetFargateUsage: the usage of every Fargate task in the range, by group, with its
/// cost at the configured prices. Reads the kept usage of removed tasks and the tasks the
/// index holds (their records are decoded: a report is not a hot path).
pub(crate) async fn get_fargate_usage(
    ctx: &Ctx,
    req: api::berth::GetFargateUsageRequest,
) -> Result<api::berth::GetFargateUsageResponse, ApiError> {
    let now = ctx.clock().now();
    let from = req.start_time.unwrap_or(0.0);
    let to = req.end_time.unwrap_or(now);
    if from > to {
        return Err(ApiError::invalid_parameter("startTime must not be after endTime."));
    }
    let group_by = req.group_by.as_deref().unwrap_or("CLUSTER");
    let key_of = |m: &Metered| -> Result<String, ApiError> {
        Ok(match group_by {
            "CLUSTER" => m.cluster.clone(),
            "SERVICE" => m
                .group
                .as_deref()
                .and_then(|g| g.strip_prefix("service:"))
                .map_or_else(|| "-".to_owned(), |s| format!("{}/{s}", m.cluster)),
            "FAMILY" => m.family.clone(),
            other => match other.strip_prefix("TAG:").filter(|k| !k.is_empty()) {
                Some(tag) => m
                    .tags
                    .iter()
                    .find(|t| t.key.as_deref() == Some(tag))
                    .and_then(|t| t.value.clone())
                    .unwrap_or_else(|| "-".to_owned()),
                None => {
                    return Err(ApiError::invalid_parameter(format!(
                        "groupBy must be CLUSTER, SERVICE, FAMILY or TAG:<key>; got {other:?}."
                    )));
                }
            },
        })
    };
    let cluster = match &req.cluster {
        Some(reference) => Some(crate::clusters::active_cluster_name(ctx, Some(reference)).await?),
        None => None,
    };
    let prefix = match &cluster {
        Some(name) => format!("{}{name}/", keys::USAGE),
        None => keys::USAGE.to_owned(),
    };
    let mut all: Vec<Metered> = crate::records::list::<Metered>(ctx.store(), &prefix)
        .await?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let live: Vec<std::sync::Arc<crate::state::IndexedTask>> = {
        let index = ctx.state().read();
        index
            .clusters
            .iter()
            .filter(|(name, _)| cluster.as_ref().is_none_or(|c| c == *name))
            .flat_map(|(_, c)| c.tasks.values())
            .filter(|e| e.record.launch_type == Some(api::LaunchType::Fargate))
            .map(|e| e.record.clone())
            .collect()
    };
    for task in live {
        if let Some(m) = metered(&task.record()?) {
            all.push(m);
        }
    }
    let prices = &ctx.config().fargate;
    let mut groups: std::collections::BTreeMap<String, api::berth::FargateUsageGroup> =
        Default::default();
    for m in &all {
        let seconds = billed_within(m, now, from, to);
        if seconds <= 0.0 {
            continue;
        }
        let key = key_of(m)?;
        let group = groups
            .entry(key.clone())
            .or_insert_with(|| api::berth::FargateUsageGroup { key, ..Default::default() });
        let vcpu = m.cpu as f64 / 1024.0 * seconds;
        let gb = m.memory as f64 / 1024.0 * seconds;
        let storage = f64::from((m.storage_gib - 20).max(0)) * seconds;
        let per_hour = |nano: u64, amount: f64| nano as f64 / 1e9 * amount / 3600.0;
        group.tasks += 1;
        group.billed_seconds += seconds;
        group.storage_gb_seconds += storage;
        group.cost += per_hour(prices.storage_gb_hour, storage);
        if m.provider == FARGATE_SPOT {
            group.spot_vcpu_seconds += vcpu;
            group.spot_gb_seconds += gb;
            group.cost += per_hour(prices.spot_vcpu_hour, vcpu) + per_hour(prices.spot_gb_hour, gb);
        } else {
            group.vcpu_seconds += vcpu;
            group.gb_seconds += gb;
            group.cost += per_hour(prices.vcpu_hour, vcpu) + per_hour(prices.gb_hour, gb);
        }
    }
    Ok(api::berth::GetFargateUsageResponse { groups: groups.into_values().collect() })
}

/// A counter family: its name, its help, and its values (with a capacity provider label or
/// none) from a cluster's usage.
type Family = (
    &'static str,
    &'static str,
    fn(&api::berth::FargateUsageGroup) -> Vec<(Option<&'static str>, f64)>,
);

/// Every cluster's Fargate usage so far as Prometheus counters (text format 0.0.4). They only
/// grow: a task's usage is kept after the task is removed.
pub(crate) async fn usage_metrics(ctx: &Ctx) -> Result<String, ApiError> {
    let request = api::berth::GetFargateUsageRequest::default();
    let usage = get_fargate_usage(ctx, request).await?;
    let mut out = String::new();
    let families: [Family; 6] = [
        ("berth_fargate_tasks_total", "Fargate tasks billed.", |g| vec![(None, g.tasks as f64)]),
        (
            "berth_fargate_billed_seconds_total",
            "Billed task seconds (a minute at least a task).",
            |g| vec![(None, g.billed_seconds)],
        ),
        ("berth_fargate_vcpu_seconds_total", "vCPU-seconds billed, by capacity provider.", |g| {
            vec![(Some("FARGATE"), g.vcpu_seconds), (Some(FARGATE_SPOT), g.spot_vcpu_seconds)]
        }),
        (
            "berth_fargate_gb_seconds_total",
            "GB-seconds of memory billed, by capacity provider.",
            |g| vec![(Some("FARGATE"), g.gb_seconds), (Some(FARGATE_SPOT), g.spot_gb_seconds)],
        ),
        (
            "berth_fargate_storage_gb_seconds_total",
            "GB-seconds of ephemeral storage above 20 GB.",
            |g| vec![(None, g.storage_gb_seconds)],
        ),
        (
            "berth_fargate_cost_dollars_total",
            "What the usage costs at the configured prices.",
            |g| vec![(None, g.cost)],
        ),
    ];
    for (name, help, values) in families {
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} counter\n"));
        for group in &usage.groups {
            for (provider, value) in values(group) {
                let labels = match provider {
                    Some(p) => format!("cluster=\"{}\",capacity_provider=\"{p}\"", group.key),
                    None => format!("cluster=\"{}\"", group.key),
                };
                out.push_str(&format!("{name}{{{labels}}} {value}\n"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(start: f64, end: Option<f64>) -> Metered {
        Metered {
            cluster: "c".into(),
            task: "t".into(),
            family: "f".into(),
            group: None,
            provider: "FARGATE".into(),
            tags: Vec::new(),
            start,
            end,
            cpu: 256,
            memory: 512,
            storage_gib: 20,
        }
    }

    #[test]
    fn a_task_is_billed_per_second_with_a_minute_at_least() {
        let all = (0.0, f64::MAX);
        assert_eq!(billed_within(&task(100.0, Some(110.0)), 0.0, all.0, all.1), 60.0);
        assert_eq!(billed_within(&task(100.0, Some(250.0)), 0.0, all.0, all.1), 150.0);
        // Rounded up to the next whole second.
        assert_eq!(billed_within(&task(100.0, Some(250.2)), 0.0, all.0, all.1), 151.0);
        // A running task is billed up to now; a range clips the interval.
        assert_eq!(billed_within(&task(100.0, None), 400.0, all.0, all.1), 300.0);
        assert_eq!(billed_within(&task(100.0, Some(400.0)), 0.0, 200.0, 300.0), 100.0);
        assert_eq!(billed_within(&task(100.0, Some(400.0)), 0.0, 500.0, 600.0), 0.0);
    }
}
