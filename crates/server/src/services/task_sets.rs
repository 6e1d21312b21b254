//! Task sets, for services under the EXTERNAL deployment controller: CreateTaskSet,
//! UpdateTaskSet, DeleteTaskSet, DescribeTaskSets and UpdateServicePrimaryTaskSet. An external
//! tool creates a task set per version and moves the scale between them; the service scheduler
//! keeps each at `ceil(desiredCount × scale / 100)` tasks.

use super::*;

use api::{
    CreateTaskSetRequest, CreateTaskSetResponse, DeleteTaskSetRequest, DeleteTaskSetResponse,
    DescribeTaskSetsRequest, DescribeTaskSetsResponse, Scale, ScaleUnit, StabilityStatus, TaskSet,
    TaskSetField, UpdateServicePrimaryTaskSetRequest, UpdateServicePrimaryTaskSetResponse,
    UpdateTaskSetRequest, UpdateTaskSetResponse,
};

use crate::records::{TaskSetRecord, TaskSetStatus};

/// A task set's ARN: `task-set/<cluster>/<service>/<id>`.
fn task_set_arn(record: &ServiceRecord, id: &str) -> String {
    let service_arn = record.service.service_arn.clone().unwrap_or_default();
    format!("{}/{id}", service_arn.replacen(":service/", ":task-set/", 1))
}

/// The task set a reference (its id or ARN) names.
fn find<'r>(record: &'r ServiceRecord, reference: &str) -> Option<&'r TaskSetRecord> {
    record.task_sets.iter().find(|s| s.id == reference || task_set_arn(record, &s.id) == reference)
}

/// The task set as the API shows it, with its counts (the service's, by deployment or task set:
/// see [`counts`]).
pub(super) fn render_task_set(
    counts: &BTreeMap<String, Counts>,
    record: &ServiceRecord,
    set: &TaskSetRecord,
    with_tags: bool,
) -> TaskSet {
    let c = counts.get(&set.id);
    let (running, pending) = c.map_or((0, 0), |c| (c.running, c.pending));
    let desired = scheduler::deploy::computed_desired(
        u32::try_from(record.service.desired_count.unwrap_or(0)).unwrap_or(0),
        if set.status == TaskSetStatus::Draining { 0.0 } else { set.scale },
    ) as i32;
    let steady = running == desired && pending == 0;
    TaskSet {
        id: Some(set.id.clone()),
        task_set_arn: Some(task_set_arn(record, &set.id)),
        service_arn: record.service.service_arn.clone(),
        cluster_arn: record.service.cluster_arn.clone(),
        started_by: None,
        external_id: set.external_id.clone(),
        status: Some(set.status.as_str().to_owned()),
        task_definition: Some(set.task_definition.clone()),
        computed_desired_count: Some(desired),
        pending_count: Some(pending),
        running_count: Some(running),
        created_at: Some(set.created_at),
        updated_at: Some(set.updated_at),
        launch_type: set.launch_type.or(Some(LaunchType::Ec2)),
        scale: Some(Scale { value: Some(set.scale), unit: Some(ScaleUnit::Percent) }),
        stability_status: Some(if steady {
            StabilityStatus::SteadyState
        } else {
            StabilityStatus::Stabilizing
        }),
        stability_status_at: Some(set.updated_at),
        tags: with_tags.then(|| set.tags.clone()),
        network_configuration: set.network.clone(),
        ..TaskSet::default()
    }
}

/// A scale in percent, checked.
fn percent(scale: Option<&Scale>) -> Result<f64, ApiError> {
    let value = scale.and_then(|s| s.value).unwrap_or(100.0);
    if !(0.0..=100.0).contains(&value) || value.is_nan() {
        return Err(ApiError::invalid_parameter(format!(
            "scale.value must be between 0 and 100 percent; got {value}."
        )));
    }
    Ok(value)
}

/// The EXTERNAL service a task-set call names: its cluster and name, or the error ECS gives.
async fn external_service(
    ctx: &Ctx,
    cluster: &str,
    service: &str,
) -> Result<(String, String), ApiError> {
    let cluster = active_cluster_name(ctx, Some(cluster)).await?;
    let name = service_name(ctx, &cluster, service)?.ok_or_else(not_found)?;
    let index = ctx.state().read();
    let record = &index
        .cluster(&cluster)
        .and_then(|c| c.services.get(name.as_str()))
        .ok_or_else(not_found)?
        .record;
    if record.status() != ServiceStatus::Active {
        return Err(not_active());
    }
    if !record.external() {
        return Err(ApiError::invalid_parameter(
            "Task sets are for services with the EXTERNAL deployment controller.",
        ));
    }
    Ok((cluster, name))
}

/// Changes a service's task sets with compare-and-swap, then shows the task set `id` as the
/// index has it.
async fn change_sets(
    ctx: &Ctx,
    cluster: &str,
    name: &str,
    mut change: impl FnMut(&mut ServiceRecord) -> Result<String, ApiError>,
) -> Result<TaskSet, ApiError> {
    let mut changed_id = String::new();
    let record = crate::state::modify_seen::<ServiceRecord, _, ApiError>(
        ctx,
        &keys::service(cluster, name),
        |stored| {
            let mut record = stored.ok_or_else(not_found)?;
            changed_id = change(&mut record)?;
            Ok(record)
        },
    )
    .await?;
    ctx.inner.service_wake.notify_one();
    let index = ctx.state().read();
    let cluster_index = index.cluster(cluster).ok_or_else(ApiError::server)?;
    let set = record.task_sets.iter().find(|s| s.id == changed_id).ok_or_else(ApiError::server)?;
    Ok(render_task_set(&counts(cluster_index, &record), &record, set, true))
}

/// The id of the task set a reference names, or `TaskSetNotFoundException`.
fn set_id(record: &ServiceRecord, reference: &str) -> Result<String, ApiError> {
    find(record, reference).map(|s| s.id.clone()).ok_or_else(|| task_set_not_found(reference))
}

/// The task set `id` of `record`, to change; one being deleted refuses changes.
fn set_mut<'r>(record: &'r mut ServiceRecord, id: &str) -> Result<&'r mut TaskSetRecord, ApiError> {
    let set =
        record.task_sets.iter_mut().find(|s| s.id == id).ok_or_else(|| task_set_not_found(id))?;
    if set.status == TaskSetStatus::Draining {
        return Err(ApiError::invalid_parameter("The task set is being deleted."));
    }
    Ok(set)
}

fn task_set_not_found(reference: &str) -> ApiError {
    ApiError::new(
        ErrorCode::TaskSetNotFoundException,
        format!("The specified task set {reference} does not exist."),
    )
}

pub(crate) async fn create_task_set(
    ctx: &Ctx,
    req: CreateTaskSetRequest,
) -> Result<CreateTaskSetResponse, ApiError> {
    let (cluster, name) = external_service(ctx, &req.cluster, &req.service).await?;
    let scale = percent(req.scale.as_ref())?;
    if req.capacity_provider_strategy.as_ref().is_some_and(|s| !s.is_empty())
        || req.load_balancers.as_ref().is_some_and(|l| !l.is_empty())
    {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth does not support capacity provider strategies or load balancers on task sets yet.",
        ));
    }
    if req.launch_type == Some(api::LaunchType::Fargate) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth does not run task sets on Fargate yet.",
        ));
    }
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, ctx.config().quotas.tags_per_resource)?;
    let prepared =
        crate::tasks::prepare(ctx, &cluster, &req.task_definition, req.launch_type, None).await?;
    let mode = prepared.definition.network_mode.unwrap_or(api::NetworkMode::Bridge);
    crate::vpc::check(ctx, mode, req.network_configuration.as_ref()).await?;
    let now = ctx.clock().now();
    let set = TaskSetRecord {
        id: deployment_id(),
        status: TaskSetStatus::Active,
        task_definition: prepared.definition.task_definition_arn.clone().unwrap_or_default(),
        family: prepared.family.clone(),
        revision: prepared.revision,
        scale,
        external_id: req.external_id.clone(),
        launch_type: req.launch_type,
        created_at: now,
        updated_at: now,
        tags: tag_list,
        network: req.network_configuration.clone(),
    };
    let task_set = change_sets(ctx, &cluster, &name, |record| {
        let mut set = set.clone();
        // The first task set is the service's PRIMARY until another is made so.
        if !record.task_sets.iter().any(|s| s.status == TaskSetStatus::Primary) {
            set.status = TaskSetStatus::Primary;
            record.service.task_definition = Some(set.task_definition.clone());
        }
        let id = set.id.clone();
        record.task_sets.push(set);
        Ok(id)
    })
    .await?;
    tracing::info!(cluster = %cluster, service = %name, task_set = ?task_set.id, "Task set created");
    Ok(CreateTaskSetResponse { task_set: Some(task_set) })
}

pub(crate) async fn update_task_set(
    ctx: &Ctx,
    req: UpdateTaskSetRequest,
) -> Result<UpdateTaskSetResponse, ApiError> {
    let (cluster, name) = external_service(ctx, &req.cluster, &req.service).await?;
    let scale = percent(Some(&req.scale))?;
    let now = ctx.clock().now();
    let task_set = change_sets(ctx, &cluster, &name, |record| {
        let id = set_id(record, &req.task_set)?;
        let set = set_mut(record, &id)?;
        set.scale = scale;
        set.updated_at = now;
        Ok(id)
    })
    .await?;
    Ok(UpdateTaskSetResponse { task_set: Some(task_set) })
}

pub(crate) async fn update_service_primary_task_set(
    ctx: &Ctx,
    req: UpdateServicePrimaryTaskSetRequest,
) -> Result<UpdateServicePrimaryTaskSetResponse, ApiError> {
    let (cluster, name) = external_service(ctx, &req.cluster, &req.service).await?;
    let now = ctx.clock().now();
    let task_set = change_sets(ctx, &cluster, &name, |record| {
        let id = set_id(record, &req.primary_task_set)?;
        set_mut(record, &id)?;
        for set in record.task_sets.iter_mut() {
            let status = if set.id == id {
                TaskSetStatus::Primary
            } else if set.status == TaskSetStatus::Primary {
                TaskSetStatus::Active
            } else {
                continue;
            };
            set.status = status;
            set.updated_at = now;
        }
        let primary = set_mut(record, &id)?.task_definition.clone();
        record.service.task_definition = Some(primary);
        Ok(id)
    })
    .await?;
    Ok(UpdateServicePrimaryTaskSetResponse { task_set: Some(task_set) })
}

pub(crate) async fn delete_task_set(
    ctx: &Ctx,
    req: DeleteTaskSetRequest,
) -> Result<DeleteTaskSetResponse, ApiError> {
    let (cluster, name) = external_service(ctx, &req.cluster, &req.service).await?;
    let now = ctx.clock().now();
    let task_set = change_sets(ctx, &cluster, &name, |record| {
        let id = set_id(record, &req.task_set)?;
        let set = record
            .task_sets
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| task_set_not_found(&id))?;
        if set.scale > 0.0 && req.force != Some(true) {
            return Err(ApiError::invalid_parameter(
                "The task set must be scaled to 0 before it is deleted, or deleted with force.",
            ));
        }
        // It loses its tasks, then goes (the service scheduler retires it).
        set.status = TaskSetStatus::Draining;
        set.updated_at = now;
        Ok(id)
    })
    .await?;
    Ok(DeleteTaskSetResponse { task_set: Some(task_set) })
}

pub(crate) async fn describe_task_sets(
    ctx: &Ctx,
    req: DescribeTaskSetsRequest,
) -> Result<DescribeTaskSetsResponse, ApiError> {
    let (cluster, name) = external_service(ctx, &req.cluster, &req.service).await?;
    let with_tags = req.include.unwrap_or_default().contains(&TaskSetField::Tags);
    let index = ctx.state().read();
    let cluster_index = index.cluster(&cluster).ok_or_else(not_found)?;
    let record = &cluster_index.services.get(name.as_str()).ok_or_else(not_found)?.record;
    let counts = counts(cluster_index, record);
    let (task_sets, failures) = match &req.task_sets {
        None => (
            record
                .task_sets
                .iter()
                .map(|s| render_task_set(&counts, record, s, with_tags))
                .collect(),
            Vec::new(),
        ),
        Some(references) => crate::failures::describe_each(
            references,
            |reference| {
                Ok(find(record, reference).map(|s| render_task_set(&counts, record, s, with_tags)))
            },
            |id| task_set_arn(record, id),
        )?,
    };
    Ok(DescribeTaskSetsResponse { task_sets: Some(task_sets), failures: Some(failures) })
}
