//! What agents report about tasks: the agent channel's reports, SubmitTaskStateChange and
//! SubmitContainerStateChange. Statuses only move forward.

use api::agent::{ContainerReport, TaskReport};
use api::{
    ApiError, Container, HealthStatus, SubmitContainerStateChangeRequest,
    SubmitContainerStateChangeResponse, SubmitTaskStateChangeRequest,
    SubmitTaskStateChangeResponse, TaskStopCode,
};
use store::{Compare, Op, Txn};

use super::{task_id, task_not_found};
use crate::Ctx;
use crate::caller::Call;
use crate::clusters::active_cluster_name;
use crate::records::{
    ContainerStatus, DesiredStatus, StoredTask, TaskRecord, TaskState, TaskStatus, keys,
};
use crate::records::{encode, internal};

/// The states of a task's network interface attachment, in order.
const ATTACHMENT_STATES: [&str; 5] =
    ["PRECREATED", "ATTACHING", "ATTACHED", "DETACHING", "DETACHED"];

/// Moves the task's `ElasticNetworkInterface` attachment forward as the agent reports the
/// task: setting the interface up while PROVISIONING, attached from PENDING on, detaching while
/// DEPROVISIONING, detached once STOPPED.
fn advance_attachments(task: &mut StoredTask, reported: TaskStatus) {
    let state = match reported {
        TaskStatus::Provisioning => "ATTACHING",
        TaskStatus::Deprovisioning => "DETACHING",
        TaskStatus::Stopped => "DETACHED",
        _ => "ATTACHED",
    };
    for attachment in task.attachments.iter_mut().flatten() {
        if attachment.r#type.as_deref() == Some("ElasticNetworkInterface") {
            advance_attachment(attachment, state);
        }
    }
}

/// Moves an attachment to `state` if that is forward of where it is (FAILED and DELETED end
/// it). Whether it changed.
fn advance_attachment(attachment: &mut api::Attachment, state: &str) -> bool {
    let rank = |s: &str| ATTACHMENT_STATES.iter().position(|known| *known == s);
    let current = attachment.status.as_deref();
    if current.is_some_and(|c| c == "FAILED" || c == "DELETED") {
        return false;
    }
    let forward = match (current.and_then(rank), rank(state)) {
        (Some(current), Some(next)) => next > current,
        // FAILED and DELETED end any state; a state Berth does not know is replaced.
        _ => current != Some(state),
    };
    if forward {
        attachment.status = Some(state.to_owned());
    }
    forward
}

/// The states an agent may submit for an attachment: ECS's.
const SUBMITTED_ATTACHMENT_STATES: [&str; 7] =
    ["PRECREATED", "ATTACHING", "ATTACHED", "DETACHING", "DETACHED", "DELETED", "FAILED"];

/// SubmitAttachmentStateChanges: an agent's word on the network interface attachments of the
/// tasks on its instance. Every change is checked before any is applied; a status only moves
/// forward.
pub(crate) async fn submit_attachment_state_changes(
    call: &Call<'_>,
    req: api::SubmitAttachmentStateChangesRequest,
) -> Result<api::SubmitAttachmentStateChangesResponse, ApiError> {
    let ctx = call.ctx;
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let instance = call.require_instance_agent(&cluster)?.to_owned();
    if req.attachments.is_empty() {
        return Err(ApiError::invalid_parameter("attachments can not be empty."));
    }
    let mut changes: Vec<(String, String, String)> = Vec::new();
    {
        let index = ctx.state().read();
        for change in &req.attachments {
            if !SUBMITTED_ATTACHMENT_STATES.contains(&change.status.as_str()) {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid attachment status {:?}: one of {}.",
                    change.status,
                    SUBMITTED_ATTACHMENT_STATES.join(", ")
                )));
            }
            let id = change.attachment_arn.rsplit('/').next().unwrap_or_default();
            let task = index
                .cluster(&cluster)
                .into_iter()
                .flat_map(|c| c.tasks_on(&instance))
                .find(|t| t.network.as_ref().is_some_and(|n| n.attachment_id == id));
            let Some(task) = task else {
                return Err(ApiError::invalid_parameter(format!(
                    "Attachment {} is not an attachment of a task on this container instance.",
                    change.attachment_arn
                )));
            };
            changes.push((task.id.to_string(), id.to_owned(), change.status.clone()));
        }
    }
    for (task, attachment_id, status) in changes {
        let key = keys::task(&cluster, &task);
        crate::state::modify_seen::<TaskRecord, _, ApiError>(ctx, &key, |record| {
            let mut record = record.ok_or_else(|| ApiError::from(task_not_found()))?;
            let mut changed = false;
            for attachment in record.task.attachments.iter_mut().flatten() {
                if attachment.id.as_deref() == Some(attachment_id.as_str()) {
                    changed |= advance_attachment(attachment, &status);
                }
            }
            if changed {
                record.task.version = Some(record.task.version.unwrap_or(0) + 1);
            }
            Ok(record)
        })
        .await?;
    }
    Ok(api::SubmitAttachmentStateChangesResponse { acknowledgment: Some("ACK".to_owned()) })
}

/// Merges an agent's view of a task into it. Statuses only move forward; a status that is not
/// one of ECS's changes nothing. The caller compares the outcome with the task before, to know
/// whether anything changed.
fn merge(task: &mut StoredTask, report: &TaskReport, now: f64) {
    // The agent has the task: it is connected to it from now on.
    if task.connectivity_at.is_none() {
        task.connectivity_at = Some(now);
    }
    if let Some(reported) = TaskStatus::parse(&report.status)
        && reported > task.last_status
    {
        task.last_status = reported;
        if reported >= TaskStatus::Stopping {
            task.stopping_at = task.stopping_at.or(Some(now));
        }
        if reported == TaskStatus::Running
            || (reported > TaskStatus::Running
                && task.started_at.is_none()
                && report.started_at.is_some())
        {
            task.started_at = task.started_at.or(report.started_at).or(Some(now));
        }
        if reported == TaskStatus::Stopped {
            task.stopped_at = Some(now);
            task.execution_stopped_at = report.execution_stopped_at.or(Some(now));
            task.desired_status = DesiredStatus::Stopped;
            if task.stop_code.is_none() {
                task.stop_code = report.stop_code.as_deref().and_then(TaskStopCode::parse);
                task.stopped_reason = report.reason.clone();
            }
            task.stopping_at = task.stopping_at.or(Some(now));
        }
    }
    if let Some(reported) = TaskStatus::parse(&report.status) {
        advance_attachments(task, reported);
    }
    if task.pull_started_at.is_none() {
        task.pull_started_at = report.pull_started_at;
    }
    if task.pull_stopped_at.is_none() {
        task.pull_stopped_at = report.pull_stopped_at;
    }
    if let Some(health) = report.health_status.as_deref().and_then(HealthStatus::parse) {
        task.health_status = Some(health);
    }
    for reported in &report.containers {
        if let Some(container) =
            task.containers.iter_mut().flatten().find(|c| c.name.as_deref() == Some(&reported.name))
        {
            merge_container(container, reported);
        }
    }
}

fn merge_container(container: &mut Container, reported: &ContainerReport) {
    let current = container
        .last_status
        .as_deref()
        .map_or(ContainerStatus::Pending, ContainerStatus::from_name);
    let Some(status) = ContainerStatus::parse(&reported.status) else { return };
    if status >= current {
        container.last_status = Some(status.as_str().to_owned());
        if reported.runtime_id.is_some() {
            container.runtime_id = reported.runtime_id.clone();
        }
        if reported.exit_code.is_some() {
            container.exit_code = reported.exit_code;
        }
        if reported.reason.is_some() {
            container.reason = reported.reason.clone();
        }
        if !reported.network_bindings.is_empty() || status == ContainerStatus::Stopped {
            container.network_bindings = Some(reported.network_bindings.clone());
        }
        if let Some(health) = reported.health_status.as_deref().and_then(HealthStatus::parse) {
            container.health_status = Some(health);
        }
        if reported.image_digest.is_some() {
            container.image_digest = reported.image_digest.clone();
        }
    }
}

/// Refuses a status that is not one of ECS's (`what` names the member).
fn check_status<T>(
    given: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    names: impl Iterator<Item = &'static str>,
    what: &str,
) -> Result<(), ApiError> {
    match given {
        Some(name) if parse(name).is_none() => Err(ApiError::invalid_parameter(format!(
            "{what} must be one of {}; got {name:?}.",
            names.collect::<Vec<_>>().join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Applies one task report from an agent of `cluster`. With `instance_id`, the task must be on
/// that instance (an agent reports only on its own tasks). Returns whether it was applied.
pub(crate) async fn apply_report(
    ctx: &Ctx,
    cluster: &str,
    instance_id: Option<&str>,
    report: &TaskReport,
) -> Result<bool, ApiError> {
    // `cluster` is the reporting instance's; a Fargate pool host runs tasks of every cluster,
    // each named by its ARN.
    let host_cluster = cluster;
    let Some((cluster, id)) = owned_task(ctx, host_cluster, &report.task_arn)? else {
        return Ok(false);
    };
    let cluster = cluster.as_str();
    let indexed = || {
        let index = ctx.state().read();
        index
            .cluster(cluster)
            .and_then(|c| c.tasks.get(id.as_str()))
            .map(|entry| (entry.record.clone(), entry.mod_revision))
    };
    let owner = {
        let index = ctx.state().read();
        match index.cluster(cluster).and_then(|c| c.tasks.get(id.as_str())) {
            Some(entry) => {
                (entry.record.host_cluster().to_owned(), entry.record.instance_id.clone())
            }
            None => return Ok(false),
        }
    };
    if let Some(instance) = instance_id
        && (owner.0 != host_cluster || owner.1.as_deref() != Some(instance))
    {
        tracing::warn!(cluster, task = %id, instance, "An agent reported on a task of another instance");
        return Ok(false);
    }
    let now = ctx.clock().now();
    let key = keys::task(cluster, &id);
    let _serialized = ctx.key_locks().lock(&key).await;
    // Under the key's lock the index's copy is current (writers here wait for the index
    // before they let go), unless another process wrote: the compare-and-swap then fails and
    // the store is read instead.
    let mut from_index = indexed();
    for _ in 0..16 {
        // An agent's report counts only while its instance is registered, up to the commit:
        // the write is conditional on the instance record seen here.
        let instance_revision = match instance_id {
            Some(instance) => match crate::caller::registered_revision(ctx, host_cluster, instance)
            {
                Some(revision) => {
                    Some((crate::records::keys::instance(host_cluster, instance), revision))
                }
                None => return Err(crate::caller::not_registered(ctx, host_cluster, instance)),
            },
            None => None,
        };
        let (mut record, mod_revision) = match from_index.take() {
            Some((indexed, revision)) => (indexed.record()?, revision),
            None => match crate::records::get::<TaskRecord>(ctx.store(), &key).await? {
                Some(current) => (current.value, current.mod_revision),
                None => return Ok(false),
            },
        };
        let before = record.task.clone();
        merge(&mut record.task, report, now);
        if record.task == before {
            return Ok(true);
        }
        record.task.version = Some(record.task.version.unwrap_or(0) + 1);
        let mut txn = Txn::new().when(Compare::mod_revision(&key, mod_revision));
        if let Some((guard, revision)) = &instance_revision {
            txn = txn.when(Compare::mod_revision(guard, *revision));
        }
        let response =
            ctx.store().txn(txn.then(Op::put(&key, encode(&record)))).await.map_err(internal)?;
        // Succeeded or not, the index catches up with what the store had: a failed round then
        // sees the instance record that moved.
        ctx.state().wait_for(response.revision).await;
        if response.succeeded {
            tracing::debug!(cluster, task = %id, status = %record.last_status(), "Task state changed");
            return Ok(true);
        }
    }
    Err(crate::records::contention(&key))
}

/// The cluster and id of the task an agent of `host_cluster` names: a task of that cluster,
/// or, for a Fargate pool host, of the cluster its ARN names.
pub(crate) fn owned_task(
    ctx: &Ctx,
    host_cluster: &str,
    task_arn: &str,
) -> Result<Option<(String, String)>, ApiError> {
    if host_cluster != crate::placement::capacity::FARGATE_POOL {
        return Ok(task_id(ctx, host_cluster, task_arn)?.map(|id| (host_cluster.to_owned(), id)));
    }
    let Some(rest) = ctx.arns().resolve(crate::arn::Kind::Task, task_arn)? else {
        return Ok(None);
    };
    Ok(rest.split_once('/').map(|(cluster, id)| (cluster.to_owned(), id.to_owned())))
}

/// Applies what an agent submitted through the ECS API about a task of `cluster`: the caller
/// must hold the token of the instance the task is on; `report` checks the rest of the request
/// and makes the report.
async fn submit(
    call: &Call<'_>,
    cluster: Option<&str>,
    task: Option<String>,
    report: impl FnOnce(String) -> Result<TaskReport, ApiError>,
) -> Result<(), ApiError> {
    let cluster = active_cluster_name(call.ctx, cluster).await?;
    let instance = call.require_instance_agent(&cluster)?.to_owned();
    let task = task.ok_or_else(|| ApiError::invalid_parameter("task is required."))?;
    if !apply_report(call.ctx, &cluster, Some(&instance), &report(task)?).await? {
        return Err(task_not_found().into());
    }
    Ok(())
}

pub(crate) async fn submit_task_state_change(
    call: &Call<'_>,
    req: SubmitTaskStateChangeRequest,
) -> Result<SubmitTaskStateChangeResponse, ApiError> {
    submit(call, req.cluster.as_deref(), req.task.clone(), |task| {
        let task_states = TaskStatus::ALL.iter().map(|s| s.as_str());
        check_status(req.status.as_deref(), TaskStatus::parse, task_states, "status")?;
        for container in req.containers.iter().flatten() {
            let container_states = ContainerStatus::ALL.iter().map(|s| s.as_str());
            let status = container.status.as_deref();
            check_status(status, ContainerStatus::parse, container_states, "containers.status")?;
        }
        Ok(TaskReport {
            task_arn: task,
            status: req.status.unwrap_or_else(|| TaskStatus::Pending.as_str().to_owned()),
            reason: req.reason,
            containers: req
                .containers
                .unwrap_or_default()
                .into_iter()
                .map(|c| ContainerReport {
                    name: c.container_name.unwrap_or_default(),
                    status: c
                        .status
                        .unwrap_or_else(|| ContainerStatus::Pending.as_str().to_owned()),
                    runtime_id: c.runtime_id,
                    exit_code: c.exit_code,
                    reason: c.reason,
                    network_bindings: c.network_bindings.unwrap_or_default(),
                    health_status: None,
                    image_digest: c.image_digest,
                })
                .collect(),
            pull_started_at: req.pull_started_at,
            pull_stopped_at: req.pull_stopped_at,
            execution_stopped_at: req.execution_stopped_at,
            ..TaskReport::default()
        })
    })
    .await?;
    Ok(SubmitTaskStateChangeResponse { acknowledgment: Some("ACK".to_owned()) })
}

pub(crate) async fn submit_container_state_change(
    call: &Call<'_>,
    req: SubmitContainerStateChangeRequest,
) -> Result<SubmitContainerStateChangeResponse, ApiError> {
    submit(call, req.cluster.as_deref(), req.task.clone(), |task| {
        let container_states = ContainerStatus::ALL.iter().map(|s| s.as_str());
        check_status(req.status.as_deref(), ContainerStatus::parse, container_states, "status")?;
        Ok(TaskReport {
            task_arn: task,
            // The task's own status does not move on a container change.
            status: TaskStatus::Provisioning.as_str().to_owned(),
            containers: vec![ContainerReport {
                name: req.container_name.unwrap_or_default(),
                status: req.status.unwrap_or_else(|| ContainerStatus::Pending.as_str().to_owned()),
                runtime_id: req.runtime_id,
                exit_code: req.exit_code,
                reason: req.reason,
                network_bindings: req.network_bindings.unwrap_or_default(),
                health_status: None,
                image_digest: None,
            }],
            ..TaskReport::default()
        })
    })
    .await?;
    Ok(SubmitContainerStateChangeResponse { acknowledgment: Some("ACK".to_owned()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ctx, put};
    use api::ErrorCode;

    fn last_status(ctx: &Ctx, id: &str) -> String {
        let index = ctx.state().read();
        index.cluster("c").unwrap().tasks[id].record.last_status().to_string()
    }

    /// A report on an agent's behalf is applied only while the agent's instance is registered,
    /// whichever path it came by.
    #[tokio::test]
    async fn reports_of_a_deregistered_instance_change_nothing() {
        let ctx = ctx().await;
        put(
            &ctx,
            "/instances/c/i1",
            serde_json::json!({"cluster": "c", "id": "i1",
            "instance": {"status": "ACTIVE"}}),
        )
        .await;
        for id in ["t1", "t2"] {
            put(
                &ctx,
                &format!("/tasks/c/{id}"),
                serde_json::json!({"cluster": "c", "id": id,
                "instanceId": "i1", "family": "f", "revision": 1,
                "reservation": {"cpu": 0, "memory": 0}, "task": {"lastStatus": "PROVISIONING"}}),
            )
            .await;
        }
        let running = |id: &str| TaskReport {
            task_arn: id.to_owned(),
            status: "RUNNING".to_owned(),
            ..TaskReport::default()
        };
        assert!(apply_report(&ctx, "c", Some("i1"), &running("t1")).await.unwrap());
        assert_eq!(last_status(&ctx, "t1"), "RUNNING");

        put(
            &ctx,
            "/instances/c/i1",
            serde_json::json!({"cluster": "c", "id": "i1",
            "instance": {"status": "INACTIVE"}}),
        )
        .await;
        let error = apply_report(&ctx, "c", Some("i1"), &running("t2")).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::ClientException);
        assert!(error.message.contains("is not registered in cluster c"), "{}", error.message);
        assert_eq!(last_status(&ctx, "t2"), "PROVISIONING");
        // The control plane's own reports (no instance) still apply.
        assert!(apply_report(&ctx, "c", None, &running("t2")).await.unwrap());
        assert_eq!(last_status(&ctx, "t2"), "RUNNING");
    }
}
