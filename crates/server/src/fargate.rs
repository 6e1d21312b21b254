//! Berth's own Fargate operations: reclaiming Fargate Spot capacity.

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
