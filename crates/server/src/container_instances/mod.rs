//! Container instances: RegisterContainerInstance (agents and principals),
//! DeregisterContainerInstance, DescribeContainerInstances, ListContainerInstances (with the
//! cluster query language), UpdateContainerInstancesState, the custom attributes
//! (PutAttributes, DeleteAttributes, ListAttributes) and DiscoverPollEndpoint.
//!
//! An instance record keeps what its agent or a principal registered and what users set.
//! Remaining resources, task counts and `agentConnected` are computed when the instance is
//! returned.

mod attributes;
mod register;

pub(crate) use attributes::{delete_attributes, list_attributes, put_attributes};
pub(crate) use register::register_container_instance;

use std::collections::BTreeMap;

use api::{
    ApiError, Attribute, ContainerInstance, ContainerInstanceField, ContainerInstanceStatus,
    DeleteAttributesRequest, DeleteAttributesResponse, DeregisterContainerInstanceRequest,
    DeregisterContainerInstanceResponse, DescribeContainerInstancesRequest,
    DescribeContainerInstancesResponse, DiscoverPollEndpointRequest, DiscoverPollEndpointResponse,
    ErrorCode, ListAttributesRequest, ListAttributesResponse, ListContainerInstancesRequest,
    ListContainerInstancesResponse, PlatformDeviceType, PutAttributesRequest,
    PutAttributesResponse, RegisterContainerInstanceRequest, RegisterContainerInstanceResponse,
    TargetType, UpdateContainerInstancesStateRequest, UpdateContainerInstancesStateResponse,
    VersionInfo,
};
use serde::Deserialize;
use store::{Compare, Op, Txn};

use crate::arn::Kind;
use crate::caller::{self, Call, Registrant};
use crate::clusters::active_cluster_name;
use crate::error::{Error, Resource};
use crate::records::{InstanceRecord, InstanceStatus, StoredInstance, TaskState, TaskStatus, keys};
use crate::records::{encode, internal};
use crate::state::ClusterIndex;
use crate::{Ctx, paging, placement, tags};

/// Resolves an instance reference (id or ARN) of `cluster` to its id.
pub(crate) fn instance_id(
    ctx: &Ctx,
    cluster: &str,
    reference: &str,
) -> Result<Option<String>, ApiError> {
    ctx.arns().resolve_in_cluster(Kind::ContainerInstance, cluster, reference)
}

/// Whether an attribute is one of ECS's (built-in or capability) rather than a custom one.
fn builtin(name: &str) -> bool {
    name.starts_with("ecs.") || name.starts_with("com.amazonaws.ecs.")
}

fn check_attribute(attribute: &Attribute) -> Result<(), ApiError> {
    let name = &attribute.name;
    let name_ok = !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_/.@".contains(c));
    if !name_ok {
        return Err(ApiError::invalid_parameter(format!(
            "Attribute name {name:?} must be 1 to 128 letters, numbers, hyphens, underscores, slashes, periods or @."
        )));
    }
    if let Some(value) = &attribute.value {
        let value_ok = !value.is_empty()
            && value.len() <= 128
            && value.trim() == value
            && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_.@/: ".contains(c));
        if !value_ok {
            return Err(ApiError::invalid_parameter(format!(
                "The value of attribute {name:?} must be 1 to 128 letters, numbers, hyphens, underscores, periods, @, slashes, colons or spaces, without leading or trailing spaces."
            )));
        }
    }
    Ok(())
}

/// The instance as the API returns it.
pub(crate) fn render(
    ctx: &Ctx,
    cluster: &ClusterIndex,
    cluster_name: &str,
    record: &InstanceRecord,
    with_tags: bool,
) -> ContainerInstance {
    let mut rendered = record.instance.clone().into_api();
    let registered =
        placement::totals(rendered.registered_resources.as_deref().unwrap_or_default());
    let tasks: Vec<_> = cluster.tasks_on(&record.id).collect();
    let remaining = placement::remaining(&registered, tasks.iter().map(|t| &t.reservation));
    let mut remaining = placement::to_ecs(&remaining);
    // No task reserves GPUs (Berth does not place tasks that ask for them): all remain.
    remaining.extend(
        rendered
            .registered_resources
            .iter()
            .flatten()
            .filter(|r| r.name.as_deref() == Some("GPU"))
            .cloned(),
    );
    rendered.remaining_resources = Some(remaining);
    rendered.running_tasks_count =
        Some(tasks.iter().filter(|t| t.last_status() == TaskStatus::Running).count() as i32);
    rendered.pending_tasks_count =
        Some(tasks.iter().filter(|t| t.last_status().is_pending()).count() as i32);
    let inactive = record.instance.status == InstanceStatus::Inactive;
    rendered.agent_connected = Some(!inactive && ctx.agent_connected(cluster_name, &record.id));
    // The capacity provider its agent joined (`--capacity-provider`).
    if rendered.capacity_provider_name.is_none() {
        rendered.capacity_provider_name = rendered.attributes.iter().flatten().find_map(|a| {
            (a.name == crate::placement::capacity::PROVIDER_ATTRIBUTE).then(|| a.value.clone())?
        });
    }
    if !with_tags {
        rendered.tags = None;
    }
    rendered
}

pub(crate) async fn deregister_container_instance(
    ctx: &Ctx,
    req: DeregisterContainerInstanceRequest,
) -> Result<DeregisterContainerInstanceResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let id =
        instance_id(ctx, &cluster_name, &req.container_instance)?.ok_or_else(instance_not_found)?;
    let (mut record, revision, busy) = {
        let index = ctx.state().read();
        let cluster = index.cluster(&cluster_name).ok_or_else(instance_not_found)?;
        let entry = cluster.instances.get(id.as_str()).ok_or_else(instance_not_found)?;
        ((*entry.record).clone(), entry.mod_revision, cluster.tasks_on(&id).count())
    };
    if record.instance.status == InstanceStatus::Inactive {
        return Err(instance_not_found().into());
    }
    if busy > 0 && req.force != Some(true) {
        return Err(ApiError::invalid_parameter(format!(
            "Found {busy} running tasks on the instance; stop them first or deregister with force."
        )));
    }
    record.instance.status = InstanceStatus::Inactive;
    record.instance.version = Some(record.instance.version.unwrap_or(0) + 1);
    let key = keys::instance(&cluster_name, &id);
    let txn =
        Txn::new().when(Compare::mod_revision(&key, revision)).then(Op::put(&key, encode(&record)));
    let response = ctx.store().txn(txn).await.map_err(internal)?;
    if !response.succeeded {
        return Err(crate::records::contention(&key));
    }
    ctx.state().wait_for(response.revision).await;
    ctx.liveness().forget(&cluster_name, &id);
    tracing::info!(cluster = %cluster_name, instance = %id, "Container instance deregistered");
    let index = ctx.state().read();
    let cluster = index.cluster(&cluster_name).ok_or_else(ApiError::server)?;
    Ok(DeregisterContainerInstanceResponse {
        container_instance: Some(render(ctx, cluster, &cluster_name, &record, false)),
    })
}

fn instance_not_found() -> Error {
    Error::NotFound(Resource::ContainerInstance)
}

pub(crate) async fn describe_container_instances(
    ctx: &Ctx,
    req: DescribeContainerInstancesRequest,
) -> Result<DescribeContainerInstancesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.container_instances.is_empty() {
        return Err(ApiError::invalid_parameter(
            "containerInstances must name at least one container instance.",
        ));
    }
    if req.container_instances.len() > 100 {
        return Err(ApiError::invalid_parameter(
            "DescribeContainerInstances accepts at most 100 container instances.",
        ));
    }
    let with_tags = req.include.unwrap_or_default().contains(&ContainerInstanceField::Tags);
    let index = ctx.state().read();
    let empty = ClusterIndex::default();
    let cluster = index.cluster(&cluster_name).unwrap_or(&empty);
    let (instances, failures) = crate::failures::describe_each(
        &req.container_instances,
        |reference| {
            let found = instance_id(ctx, &cluster_name, reference)?
                .and_then(|id| cluster.instances.get(id.as_str()));
            Ok(found.map(|e| render(ctx, cluster, &cluster_name, &e.record, with_tags)))
        },
        |id| ctx.arns().container_instance(&cluster_name, id),
    )?;
    Ok(DescribeContainerInstancesResponse {
        container_instances: Some(instances),
        failures: Some(failures),
    })
}

pub(crate) async fn list_container_instances(
    ctx: &Ctx,
    req: ListContainerInstancesRequest,
) -> Result<ListContainerInstancesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListContainerInstances", req.next_token.as_deref())?;
    let filter = match &req.filter {
        Some(expression) => Some(scheduler::query::parse(expression).map_err(|e| {
            // A filter over the length limit is not echoed back.
            if matches!(e.kind, scheduler::query::ParseErrorKind::TooLong { .. }) {
                ApiError::invalid_parameter(format!("Invalid filter: {e}."))
            } else {
                ApiError::invalid_parameter(format!("Invalid filter {expression:?}: {e}."))
            }
        })?),
        None => None,
    };
    let ids: Vec<String> = {
        let index = ctx.state().read();
        let empty = ClusterIndex::default();
        let cluster = index.cluster(&cluster_name).unwrap_or(&empty);
        cluster
            .instances
            .values()
            .filter(|e| {
                let status = e.record.instance.status;
                match req.status {
                    Some(wanted) => status.as_str() == wanted.as_str(),
                    None => status != InstanceStatus::Inactive,
                }
            })
            .filter(|e| {
                filter.as_ref().is_none_or(|f| {
                    f.matches(&placement::instance(ctx, cluster, &cluster_name, &e.record))
                })
            })
            .map(|e| e.record.id.to_string())
            .collect()
    };
    let (page, next_token) =
        paging::page(ids, Clone::clone, "ListContainerInstances", after.as_deref(), size, true);
    Ok(ListContainerInstancesResponse {
        container_instance_arns: Some(
            page.iter().map(|id| ctx.arns().container_instance(&cluster_name, id)).collect(),
        ),
        next_token,
    })
}

pub(crate) async fn update_container_instances_state(
    ctx: &Ctx,
    req: UpdateContainerInstancesStateRequest,
) -> Result<UpdateContainerInstancesStateResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let wanted = match req.status {
        ContainerInstanceStatus::Active => InstanceStatus::Active,
        ContainerInstanceStatus::Draining => InstanceStatus::Draining,
        other => {
            return Err(ApiError::invalid_parameter(format!(
                "Container instances can only be set to ACTIVE or DRAINING, not {other}."
            )));
        }
    };
    if req.container_instances.is_empty() || req.container_instances.len() > 10 {
        return Err(ApiError::invalid_parameter(
            "containerInstances must list between 1 and 10 container instances.",
        ));
    }
    let mut failures = Vec::new();
    let mut updated_ids = Vec::new();
    let mut last_revision = 0;
    for reference in &req.container_instances {
        let missing = || {
            crate::failures::missing(reference, |id| {
                ctx.arns().container_instance(&cluster_name, id)
            })
        };
        let Some(id) = instance_id(ctx, &cluster_name, reference)? else {
            failures.push(missing());
            continue;
        };
        let key = keys::instance(&cluster_name, &id);
        let outcome = crate::records::modify::<InstanceRecord, _, Error>(ctx, &key, |current| {
            let mut record = current.ok_or_else(instance_not_found)?;
            match record.instance.status {
                InstanceStatus::Active | InstanceStatus::Draining => {}
                other => {
                    return Err(Error::InvalidState(format!(
                        "The container instance is {other} and cannot change to {wanted}."
                    )));
                }
            }
            if record.instance.status != wanted {
                record.instance.status = wanted;
                record.instance.version = Some(record.instance.version.unwrap_or(0) + 1);
            }
            Ok(record)
        })
        .await;
        match outcome {
            Ok(_) => updated_ids.push(id),
            Err(Error::NotFound(_)) => failures.push(missing()),
            Err(Error::InvalidState(message)) => failures.push(crate::failures::about(
                reference,
                |id| ctx.arns().container_instance(&cluster_name, id),
                "INVALID_STATE",
                Some(message),
            )),
            Err(error) => return Err(error.into()),
        }
        last_revision = ctx.store().revision();
    }
    ctx.state().wait_for(last_revision).await;
    let index = ctx.state().read();
    let empty = ClusterIndex::default();
    let cluster = index.cluster(&cluster_name).unwrap_or(&empty);
    let instances = updated_ids
        .iter()
        .filter_map(|id| cluster.instances.get(id.as_str()))
        .map(|e| render(ctx, cluster, &cluster_name, &e.record, false))
        .collect();
    Ok(UpdateContainerInstancesStateResponse {
        container_instances: Some(instances),
        failures: Some(failures),
    })
}

/// UpdateContainerAgent: Berth's agent is updated by replacing its binary, not through the API,
/// so there is never an update to apply; the answer says so as ECS does for an agent it cannot
/// update (`NoUpdateAvailableException`), or that the agent's version is unknown
/// (`MissingVersionException`) for an instance whose agent never reported one.
pub(crate) async fn update_container_agent(
    ctx: &Ctx,
    req: api::UpdateContainerAgentRequest,
) -> Result<api::UpdateContainerAgentResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let id =
        instance_id(ctx, &cluster_name, &req.container_instance)?.ok_or_else(instance_not_found)?;
    let version = {
        let index = ctx.state().read();
        let entry = index
            .cluster(&cluster_name)
            .and_then(|c| c.instances.get(id.as_str()))
            .filter(|e| e.record.instance.status != InstanceStatus::Inactive)
            .ok_or_else(instance_not_found)?;
        entry.record.instance.version_info.as_ref().and_then(|v| v.agent_version.clone())
    };
    match version.filter(|v| !v.is_empty()) {
        None => Err(ApiError::new(
            ErrorCode::MissingVersionException,
            "The container instance's agent has not reported its version.",
        )),
        Some(version) => Err(ApiError::new(
            ErrorCode::NoUpdateAvailableException,
            format!(
                "There is no update available for the agent ({version}): Berth's agent is updated by replacing its binary."
            ),
        )),
    }
}

pub(crate) async fn discover_poll_endpoint(
    ctx: &Ctx,
    _req: DiscoverPollEndpointRequest,
) -> Result<DiscoverPollEndpointResponse, ApiError> {
    let url = ctx.options().advertise_url.clone();
    Ok(DiscoverPollEndpointResponse {
        endpoint: Some(url.clone()),
        telemetry_endpoint: Some(url.clone()),
        service_connect_endpoint: Some(url),
    })
}
