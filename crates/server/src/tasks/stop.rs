//! StopTask, and how any task is asked to stop.

use api::{ApiError, StopTaskRequest, StopTaskResponse, TaskStopCode};

use super::{render, task_id, task_not_found};
use crate::Ctx;
use crate::clusters::active_cluster_name;
use crate::records::{
    ContainerStatus, DesiredStatus, InstanceStatus, StopCause, TaskRecord, TaskStatus, keys,
};

pub(crate) async fn stop_task(
    ctx: &Ctx,
    req: StopTaskRequest,
) -> Result<StopTaskResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.reason.as_ref().is_some_and(|r| r.len() > 255) {
        return Err(ApiError::invalid_parameter("reason can be at most 255 characters."));
    }
    let id = task_id(ctx, &cluster, &req.task)?.ok_or_else(task_not_found)?;
    let instance_gone = {
        let index = ctx.state().read();
        let cluster_index = index.cluster(&cluster).ok_or_else(task_not_found)?;
        let task = cluster_index.tasks.get(id.as_str()).ok_or_else(task_not_found)?;
        task.record.instance_id.as_ref().is_none_or(|i| {
            cluster_index
                .instances
                .get(i)
                .is_none_or(|e| e.record.instance.status == InstanceStatus::Inactive)
        })
    };
    let now = ctx.clock().now();
    let reason = req.reason.clone().unwrap_or_else(|| "Task stopped by user".to_owned());
    let record = crate::state::modify_seen::<TaskRecord, _, ApiError>(
        ctx,
        &keys::task(&cluster, &id),
        |current| {
            let mut record = current.ok_or_else(task_not_found)?;
            stop(&mut record, StopCause::User, &reason, now, instance_gone);
            Ok(record)
        },
    )
    .await?;
    tracing::info!(cluster = %cluster, task = %id, "Task stop requested");
    Ok(StopTaskResponse { task: Some(render(ctx, &record, true)) })
}

/// Asks a task to stop (once: a task already stopping keeps its first reason). A task whose
/// instance is gone has nobody to stop it and is STOPPED at once.
pub(crate) fn stop(
    record: &mut TaskRecord,
    cause: StopCause,
    reason: &str,
    now: f64,
    instance_gone: bool,
) {
    let task = &mut record.task;
    if task.desired_status == DesiredStatus::Stopped || task.last_status == TaskStatus::Stopped {
        return;
    }
    task.desired_status = DesiredStatus::Stopped;
    task.stopping_at = Some(now);
    task.stop_code = Some(match cause {
        StopCause::User => TaskStopCode::UserInitiated,
        StopCause::ServiceScaling
        | StopCause::ServiceUnhealthy
        | StopCause::ServiceDraining
        | StopCause::ServiceDeleted => TaskStopCode::ServiceSchedulerInitiated,
        StopCause::SpotInterruption => TaskStopCode::SpotInterruption,
    });
    task.stop_cause = Some(cause);
    task.stopped_reason = Some(reason.to_owned());
    if instance_gone {
        task.last_status = TaskStatus::Stopped;
        task.stopped_at = Some(now);
        task.execution_stopped_at = Some(now);
        for container in task.containers.iter_mut().flatten() {
            container.last_status = Some(ContainerStatus::Stopped.as_str().to_owned());
        }
    }
    task.version = Some(task.version.unwrap_or(0) + 1);
}
