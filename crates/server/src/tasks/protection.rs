//! Task scale-in protection: UpdateTaskProtection and GetTaskProtection. A protected service
//! task is not stopped by a scale-in or a deployment until its protection ends (the service
//! scheduler's decisions see it as `TaskView::protected`); failing health checks and draining
//! still stop it.

use api::{
    ApiError, Failure, GetTaskProtectionRequest, GetTaskProtectionResponse, ProtectedTask,
    UpdateTaskProtectionRequest, UpdateTaskProtectionResponse,
};

use super::{task_id, task_not_found};
use crate::Ctx;
use crate::clusters::active_cluster_name;
use crate::error::Error;
use crate::records::{TaskRecord, keys};

/// How long protection lasts when the call does not say, and the range it may say, in minutes.
const DEFAULT_MINUTES: i32 = 120;
const MINUTES: std::ops::RangeInclusive<i32> = 1..=2880;
/// The most tasks one call names.
const MAX_TASKS: usize = 10;

/// A task's protection as ECS shows it: on with its expiry, or off.
fn shown(ctx: &Ctx, cluster: &str, id: &str, until: Option<f64>, now: f64) -> ProtectedTask {
    let until = until.filter(|until| *until > now);
    ProtectedTask {
        task_arn: Some(ctx.arns().task(cluster, id)),
        protection_enabled: Some(until.is_some()),
        expiration_date: until,
    }
}

fn failure(ctx: &Ctx, cluster: &str, reference: &str, reason: &str) -> Failure {
    crate::failures::about(reference, |id| ctx.arns().task(cluster, id), reason, None)
}

/// Whether a task is a service's: only those can be protected, as in ECS.
fn in_service(group: Option<&str>) -> bool {
    group.is_some_and(|g| g.starts_with("service:"))
}

pub(crate) async fn update_task_protection(
    ctx: &Ctx,
    req: UpdateTaskProtectionRequest,
) -> Result<UpdateTaskProtectionResponse, ApiError> {
    let cluster = active_cluster_name(ctx, Some(&req.cluster)).await?;
    if req.tasks.is_empty() || req.tasks.len() > MAX_TASKS {
        return Err(ApiError::invalid_parameter(format!(
            "tasks must list between 1 and {MAX_TASKS} tasks."
        )));
    }
    let minutes = req.expires_in_minutes.unwrap_or(DEFAULT_MINUTES);
    if req.protection_enabled && !MINUTES.contains(&minutes) {
        return Err(ApiError::invalid_parameter(format!(
            "expiresInMinutes must be between {} and {}; got {minutes}.",
            MINUTES.start(),
            MINUTES.end()
        )));
    }
    let now = ctx.clock().now();
    let until = req.protection_enabled.then(|| now + f64::from(minutes) * 60.0);
    let mut protected = Vec::new();
    let mut failures = Vec::new();
    for reference in &req.tasks {
        let Some(id) = task_id(ctx, &cluster, reference)? else {
            failures.push(failure(ctx, &cluster, reference, "MISSING"));
            continue;
        };
        let outcome = crate::state::modify_seen::<TaskRecord, _, Error>(
            ctx,
            &keys::task(&cluster, &id),
            |current| {
                let mut record = current.ok_or_else(task_not_found)?;
                if !in_service(record.task.group.as_deref()) {
                    return Err(Error::InvalidState("TASK_NOT_VALID".to_owned()));
                }
                record.task.protected_until = until;
                Ok(record)
            },
        )
        .await;
        match outcome {
            Ok(record) => {
                protected.push(shown(ctx, &cluster, &id, record.task.protected_until, now))
            }
            Err(Error::NotFound(_)) => failures.push(failure(ctx, &cluster, reference, "MISSING")),
            Err(Error::InvalidState(reason)) => {
                failures.push(failure(ctx, &cluster, reference, &reason))
            }
            Err(error) => return Err(error.into()),
        }
    }
    Ok(UpdateTaskProtectionResponse { protected_tasks: Some(protected), failures: Some(failures) })
}

pub(crate) async fn get_task_protection(
    ctx: &Ctx,
    req: GetTaskProtectionRequest,
) -> Result<GetTaskProtectionResponse, ApiError> {
    let cluster = active_cluster_name(ctx, Some(&req.cluster)).await?;
    let references = req.tasks.unwrap_or_default();
    if references.len() > MAX_TASKS {
        return Err(ApiError::invalid_parameter(format!(
            "tasks can list at most {MAX_TASKS} tasks."
        )));
    }
    let now = ctx.clock().now();
    let index = ctx.state().read();
    let cluster_index = index.cluster(&cluster);
    let mut protected = Vec::new();
    let mut failures = Vec::new();
    if references.is_empty() {
        // Every protected task of the cluster.
        for (id, entry) in cluster_index.into_iter().flat_map(|c| c.tasks.iter()) {
            if entry.record.protected_until.is_some_and(|until| until > now) {
                protected.push(shown(ctx, &cluster, id, entry.record.protected_until, now));
            }
        }
    }
    for reference in &references {
        let entry = task_id(ctx, &cluster, reference)?
            .and_then(|id| cluster_index.and_then(|c| c.tasks.get(id.as_str())));
        match entry {
            Some(entry) if in_service(entry.record.group.as_deref()) => protected.push(shown(
                ctx,
                &cluster,
                &entry.record.id,
                entry.record.protected_until,
                now,
            )),
            Some(_) => failures.push(failure(ctx, &cluster, reference, "TASK_NOT_VALID")),
            None => failures.push(failure(ctx, &cluster, reference, "MISSING")),
        }
    }
    Ok(GetTaskProtectionResponse { protected_tasks: Some(protected), failures: Some(failures) })
}
