//! Tasks: RunTask, StartTask, StopTask, DescribeTasks, ListTasks, and the state changes agents
//! report. Placing them is `placement`'s work.

mod describe;
mod protection;
mod report;
mod run;
mod stop;

pub(crate) use describe::{Usage, describe_task_usage, describe_tasks, list_tasks, record_usage};
pub(crate) use protection::{get_task_protection, update_task_protection};
pub(crate) use report::{
    apply_report, owned_task, submit_attachment_state_changes, submit_container_state_change,
    submit_task_state_change,
};
pub(crate) use run::{TOKEN_TTL_SECONDS, prepare, run_task, start_task};
pub(crate) use stop::{stop, stop_task};

use api::{ApiError, Task, TaskOverride};

use crate::Ctx;
use crate::arn::Kind;
use crate::error::{Error, Resource};
use crate::records::{TaskRecord, TaskState};
use crate::state::IndexedTask;

/// Resolves a task reference (id or ARN) of `cluster` to its id.
pub(crate) fn task_id(
    ctx: &Ctx,
    cluster: &str,
    reference: &str,
) -> Result<Option<String>, ApiError> {
    ctx.arns().resolve_in_cluster(Kind::Task, cluster, reference)
}

pub(crate) fn task_not_found() -> Error {
    Error::NotFound(Resource::Task)
}

/// A container's id in its ARN (`container/<cluster>/<task>/<id>`): derived from the task's id
/// and the container's name, so the record need not keep it.
fn container_id(task_id: &str, name: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{task_id}/{name}").as_bytes());
    let mut bytes: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    // Shaped as a random (version 4) UUID, as ECS's are.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

/// The task as the API returns it: the record's task with what it leaves out filled in (ARNs,
/// empty lists ECS always shows) and the agent's connectivity.
pub(crate) fn render(ctx: &Ctx, record: &TaskRecord, with_tags: bool) -> Task {
    render_record(ctx, record.clone(), with_tags, connectivity(ctx, record))
}

/// [`render`] of a task the index holds.
pub(crate) fn render_indexed(
    ctx: &Ctx,
    indexed: &IndexedTask,
    with_tags: bool,
) -> Result<Task, ApiError> {
    Ok(render_record(ctx, indexed.record()?, with_tags, connectivity(ctx, indexed)))
}

/// The task as the API returns it, with the given agent connectivity.
fn render_record(
    ctx: &Ctx,
    mut record: TaskRecord,
    with_tags: bool,
    connectivity: Option<api::Connectivity>,
) -> Task {
    let arns = ctx.arns();
    let mut task = std::mem::take(&mut record.task).into_api();
    // A service task whose load-balancer targets drain before it stops shows ECS's
    // DEACTIVATING, desired STOPPED, with the reason it will stop for.
    if let Some(deactivation) = &record.deactivating
        && task.last_status.as_deref() == Some("RUNNING")
        && task.desired_status.as_deref() == Some("RUNNING")
    {
        task.last_status = Some("DEACTIVATING".to_owned());
        task.desired_status = Some("STOPPED".to_owned());
        task.stopped_reason = Some(deactivation.reason.clone());
    }
    let task_arn = task.task_arn.get_or_insert_with(|| arns.task(&record.cluster, &record.id));
    let task_arn = task_arn.clone();
    task.cluster_arn.get_or_insert_with(|| arns.cluster(&record.cluster));
    task.task_definition_arn
        .get_or_insert_with(|| arns.task_definition(&record.family, record.revision));
    // A Fargate task's host is the pool's, which nobody sees: it shows no instance.
    if task.container_instance_arn.is_none() && record.host_cluster.is_none() {
        task.container_instance_arn =
            record.instance_id.as_ref().map(|i| arns.container_instance(&record.cluster, i));
    }
    for container in task.containers.iter_mut().flatten() {
        if container.container_arn.is_none() {
            let id = container_id(&record.id, container.name.as_deref().unwrap_or_default());
            container.container_arn = Some(arns.container(&record.cluster, &record.id, &id));
        }
        container.task_arn.get_or_insert_with(|| task_arn.clone());
        container.network_bindings.get_or_insert_with(Vec::new);
        container.network_interfaces.get_or_insert_with(Vec::new);
        container.gpu_ids.get_or_insert_with(Vec::new);
    }
    task.attachments.get_or_insert_with(Vec::new);
    let overrides = task.overrides.get_or_insert_with(TaskOverride::default);
    overrides.container_overrides.get_or_insert_with(Vec::new);
    overrides.inference_accelerator_overrides.get_or_insert_with(Vec::new);
    if with_tags {
        task.tags.get_or_insert_with(Vec::new);
    } else {
        task.tags = None;
    }
    if let Some(connectivity) = connectivity {
        task.connectivity = Some(connectivity);
    }
    task
}

/// Whether the agent of a task that is not STOPPED is connected (`None` for others).
pub(super) fn connectivity(ctx: &Ctx, record: &impl TaskState) -> Option<api::Connectivity> {
    if record.is_stopped() {
        return None;
    }
    let instance = record.instance_id()?;
    Some(if ctx.agent_connected(record.host_cluster(), instance) {
        api::Connectivity::Connected
    } else {
        api::Connectivity::Disconnected
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_ids_are_stable_and_shaped_like_uuids() {
        let id = container_id("0123456789abcdef0123456789abcdef", "web");
        assert_eq!(id, container_id("0123456789abcdef0123456789abcdef", "web"));
        assert_ne!(id, container_id("0123456789abcdef0123456789abcdef", "db"));
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
