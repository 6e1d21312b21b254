//! Container instances: RegisterContainerInstance (agents and principals),
//! DeregisterContainerInstance, DescribeContainerInstances, ListContainerInstances (with the
//! cluster query language), UpdateContainerInstancesState, the custom attributes
//! (PutAttributes, DeleteAttributes, ListAttributes) and DiscoverPollEndpoint.
//!
//! An instance record keeps what its agent or a principal registered and what users set.
//! Remaining resources, task counts and `agentConnected` are computed when the instance is
//! returned.

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
    if !with_tags {
        rendered.tags = None;
    }
    rendered
}

/// The parts of an EC2 instance identity document Berth reads (EC2's JSON; other members are
/// ignored). Its signature (`instanceIdentityDocumentSignature`) is not checked: Berth has no
/// EC2 to vouch for it, so a document says what its sender claims.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdentityDocument {
    instance_id: Option<String>,
    availability_zone: Option<String>,
    instance_type: Option<String>,
    image_id: Option<String>,
    architecture: Option<String>,
    region: Option<String>,
}

impl IdentityDocument {
    /// Reads `text`, refusing a document that is not one or that names another region than
    /// the control plane's.
    fn parse(text: Option<&str>, region: &str) -> Result<IdentityDocument, ApiError> {
        let Some(text) = text else {
            return Ok(IdentityDocument::default());
        };
        let document: IdentityDocument = serde_json::from_str(text).map_err(|e| {
            ApiError::invalid_parameter(format!(
                "instanceIdentityDocument is not a valid identity document: {e}."
            ))
        })?;
        if let Some(id) = &document.instance_id {
            let valid = !id.is_empty()
                && id.len() <= 128
                && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            if !valid {
                return Err(ApiError::invalid_parameter(
                    "instanceIdentityDocument.instanceId must be 1 to 128 letters, numbers, hyphens, underscores or periods.",
                ));
            }
        }
        if let Some(other) = document.region.as_deref().filter(|r| *r != region) {
            return Err(ApiError::invalid_parameter(format!(
                "instanceIdentityDocument names region {other:?}; this control plane serves region {region}."
            )));
        }
        Ok(document)
    }

    /// The attributes ECS derives from the document.
    fn attributes(&self) -> [(&'static str, Option<&String>); 4] {
        [
            ("ecs.availability-zone", self.availability_zone.as_ref()),
            ("ecs.instance-type", self.instance_type.as_ref()),
            ("ecs.ami-id", self.image_id.as_ref()),
            ("ecs.cpu-architecture", self.architecture.as_ref()),
        ]
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The instance's registered resources: `totalResources`, and its GPUs (`platformDevices`) as
/// a `GPU` string set, as ECS shows them, unless `totalResources` names GPUs itself.
fn registered_resources(req: &RegisterContainerInstanceRequest) -> Vec<api::Resource> {
    let mut resources = req.total_resources.clone().unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    let gpus: Vec<String> = req
        .platform_devices
        .iter()
        .flatten()
        .filter(|d| d.r#type == PlatformDeviceType::Gpu && seen.insert(d.id.as_str()))
        .map(|d| d.id.clone())
        .collect();
    if !gpus.is_empty() && !resources.iter().any(|r| r.name.as_deref() == Some("GPU")) {
        resources.push(api::Resource {
            name: Some("GPU".to_owned()),
            r#type: Some("STRINGSET".to_owned()),
            string_set_value: Some(gpus),
            ..api::Resource::default()
        });
    }
    resources
}

/// RegisterContainerInstance, by an agent (with its cluster's or its instance's token) or by a
/// principal the request was authorized for (see [`Registrant`]):
/// - without `containerInstanceArn`, a new instance: held by the registering agent, which gets
///   its token, or, registered by a principal, awaiting an agent (no token, `agentConnected`
///   false, so nothing is placed on it);
/// - with the ARN of a registered instance, a re-registration: by that instance's agent or a
///   principal, with what the request reports now (ECS's attributes, resources, version),
///   keeping the custom attributes users set;
/// - with the ARN of an instance that awaits an agent and the cluster's token, an adoption: the
///   agent takes the instance over and gets its token. The instance keeps its ARN, EC2 id,
///   attributes and tags; the agent's resources and version replace those registered, and the
///   attributes it reports that the instance lacks are added.
pub(crate) async fn register_container_instance(
    call: &Call<'_>,
    req: RegisterContainerInstanceRequest,
) -> Result<RegisterContainerInstanceResponse, ApiError> {
    let ctx = call.ctx;
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let registrant = call.registrant(&cluster_name)?;
    // An instance token re-registers its own instance, and nothing else.
    if let Registrant::InstanceAgent(own) = &registrant {
        let Some(reference) = &req.container_instance_arn else {
            return Err(caller::not_cluster_agent(&cluster_name));
        };
        if instance_id(ctx, &cluster_name, reference)?.as_deref() != Some(own.as_str()) {
            return Err(ApiError::new(
                ErrorCode::AccessDeniedException,
                format!("The agent token is not the instance token of {reference}."),
            ));
        }
    }
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    // The instance a re-registration or an adoption names, as the index holds it: the write
    // is conditional on its revision.
    let existing = match &req.container_instance_arn {
        Some(reference) => {
            let id = instance_id(ctx, &cluster_name, reference)?.ok_or_else(|| {
                ApiError::client(format!(
                    "Container instance {reference} does not belong to cluster {cluster_name}."
                ))
            })?;
            let entry = ctx
                .state()
                .read()
                .cluster(&cluster_name)
                .and_then(|c| c.instances.get(id.as_str()))
                .filter(|e| e.record.instance.status != InstanceStatus::Inactive)
                .map(|e| (e.record.clone(), e.mod_revision));
            let Some(entry) = entry else {
                return Err(ApiError::client(format!(
                    "Container instance {id} is not registered in cluster {cluster_name} (it may have been deregistered); register without containerInstanceArn."
                )));
            };
            if registrant == Registrant::ClusterAgent && !entry.0.awaiting_agent {
                return Err(ApiError::new(
                    ErrorCode::AccessDeniedException,
                    format!(
                        "Container instance {reference} is held by an agent: only its own instance token re-registers it. The cluster's token adopts only an instance that awaits an agent."
                    ),
                ));
            }
            Some(entry)
        }
        None => None,
    };
    let resources = registered_resources(&req);
    let totals = placement::totals(&resources);
    if totals.cpu <= 0 || totals.memory <= 0 {
        return Err(ApiError::invalid_parameter(
            "totalResources must give CPU and MEMORY as positive INTEGER resources.",
        ));
    }
    if totals.ports_tcp.len() + totals.ports_udp.len() > 100 {
        return Err(ApiError::invalid_parameter(
            "A container instance can reserve at most 100 ports.",
        ));
    }
    let document =
        IdentityDocument::parse(req.instance_identity_document.as_deref(), &ctx.config().region)?;
    let mut attributes = req.attributes.clone().unwrap_or_default();
    for (name, value) in document.attributes() {
        if let Some(value) = value
            && !attributes.iter().any(|a| a.name == name)
        {
            attributes.push(Attribute {
                name: name.to_owned(),
                value: Some(value.clone()),
                target_type: None,
                target_id: None,
            });
        }
    }
    for attribute in &attributes {
        check_attribute(attribute)?;
    }
    let custom = attributes.iter().filter(|a| !builtin(&a.name)).count();
    let quotas = &ctx.config().quotas;
    if custom > quotas.custom_attributes_per_resource {
        return Err(ApiError::new(
            ErrorCode::InvalidParameterException,
            format!(
                "A container instance can have at most {} custom attributes.",
                quotas.custom_attributes_per_resource
            ),
        ));
    }
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;

    let now = ctx.clock().now();
    let (record, revision) = match existing {
        Some((current, revision)) => {
            let mut record = (*current).clone();
            let ci = &mut record.instance;
            let had = ci.attributes.take().unwrap_or_default();
            if registrant == Registrant::ClusterAgent {
                // Adoption: what the instance was registered with stays; the agent adds the
                // attributes of ECS it reports that the instance lacks, and its resources and
                // version replace the registered ones (it measured the host).
                let mut names: std::collections::BTreeSet<String> =
                    had.iter().map(|a| a.name.clone()).collect();
                let mut merged = had;
                for attribute in attributes.into_iter().filter(|a| builtin(&a.name)) {
                    if names.insert(attribute.name.clone()) {
                        merged.push(attribute);
                    }
                }
                let mut resources = resources;
                let mut reported: std::collections::BTreeSet<Option<String>> =
                    resources.iter().map(|r| r.name.clone()).collect();
                for resource in ci.registered_resources.take().unwrap_or_default() {
                    if reported.insert(resource.name.clone()) {
                        resources.push(resource);
                    }
                }
                ci.attributes = Some(merged);
                ci.registered_resources = Some(resources);
                record.awaiting_agent = false;
            } else {
                // Re-registration (after an agent restart, or by a principal): the same
                // instance, with what the request reports now; custom attributes set by users
                // are kept.
                let mut merged: Vec<Attribute> =
                    attributes.into_iter().filter(|a| builtin(&a.name)).collect();
                merged.extend(had.into_iter().filter(|a| !builtin(&a.name)));
                ci.attributes = Some(merged);
                ci.registered_resources = Some(resources);
                if let Some(ec2) = document.instance_id {
                    ci.ec2_instance_id = Some(ec2);
                }
            }
            let ci = &mut record.instance;
            ci.version_info = req.version_info.clone();
            ci.version = Some(ci.version.unwrap_or(0) + 1);
            (record, revision)
        }
        None => {
            let registered = ctx.state().read().cluster(&cluster_name).map_or(0, |c| {
                c.instances
                    .values()
                    .filter(|e| e.record.instance.status != InstanceStatus::Inactive)
                    .count()
            });
            if registered >= quotas.container_instances_per_cluster {
                return Err(ApiError::client(format!(
                    "Cluster {cluster_name} has reached its limit of {} container instances.",
                    quotas.container_instances_per_cluster
                )));
            }
            let id = new_id();
            let ci = StoredInstance {
                container_instance_arn: Some(ctx.arns().container_instance(&cluster_name, &id)),
                ec2_instance_id: Some(
                    document.instance_id.unwrap_or_else(|| format!("i-{}", &new_id()[..17])),
                ),
                status: InstanceStatus::Active,
                registered_resources: Some(resources),
                attributes: Some(attributes),
                version_info: req.version_info.clone().or_else(|| Some(VersionInfo::default())),
                registered_at: Some(now),
                version: Some(1),
                tags: Some(tag_list),
                attachments: Some(Vec::new()),
                ..StoredInstance::default()
            };
            let record = InstanceRecord {
                cluster: cluster_name.clone().into(),
                id: id.into(),
                instance: ci,
                awaiting_agent: registrant == Registrant::Principal,
            };
            (record, 0)
        }
    };
    let agent = registrant != Registrant::Principal;
    let adoption = registrant == Registrant::ClusterAgent && revision != 0;
    let key = keys::instance(&cluster_name, &record.id);
    let txn =
        Txn::new().when(Compare::mod_revision(&key, revision)).then(Op::put(&key, encode(&record)));
    if agent && !adoption {
        // The agent is heard from now: the instance must not appear in the index (and to
        // placement) as disconnected between its write and this call's answer. A principal is
        // no agent: what it registers stays disconnected until an agent adopts it.
        ctx.liveness().touch(&cluster_name, &record.id);
    }
    let response = ctx.store().txn(txn).await.map_err(internal)?;
    if !response.succeeded {
        return Err(crate::records::contention(&key));
    }
    ctx.state().wait_for(response.revision).await;
    if adoption {
        // An adopted instance is connected only once the index holds it adopted: until then it
        // is the instance awaiting an agent, which takes no task (and if the write fails, it
        // stays so).
        ctx.liveness().touch(&cluster_name, &record.id);
    }
    tracing::info!(
        cluster = %cluster_name,
        instance = %record.id,
        by = ?registrant,
        "Container instance registered"
    );
    if agent {
        let token =
            crate::caller::instance_token(&ctx.options().agent_secret, &cluster_name, &record.id);
        call.response_headers.lock().push((api::agent::INSTANCE_TOKEN_HEADER, token));
    }
    let index = ctx.state().read();
    let cluster = index.cluster(&cluster_name).ok_or_else(ApiError::server)?;
    Ok(RegisterContainerInstanceResponse {
        container_instance: Some(render(ctx, cluster, &cluster_name, &record, true)),
    })
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
            Err(Error::InvalidState(message)) => {
                let arn = missing().arn.unwrap_or_default();
                failures.push(crate::failures::failure(arn, "INVALID_STATE", Some(message)));
            }
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

/// Applies `change` to the attributes of the instances the given attributes target, all in one
/// transaction: a call refused for any attribute (an unknown target, a limit) writes nothing.
async fn change_attributes(
    ctx: &Ctx,
    cluster_name: &str,
    attributes: &[Attribute],
    change: impl Fn(&mut Vec<Attribute>, &Attribute) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let target_not_found = |target: &str| {
        ApiError::new(
            ErrorCode::TargetNotFoundException,
            format!("Could not find the target {target}."),
        )
    };
    // Every attribute's instance, in the order of the call.
    let mut targets: Vec<(String, &str, &Attribute)> = Vec::with_capacity(attributes.len());
    for attribute in attributes {
        if attribute.target_type.is_some_and(|t| t != TargetType::ContainerInstance) {
            return Err(ApiError::invalid_parameter(
                "Attributes can only target container instances.",
            ));
        }
        let target = attribute.target_id.as_deref().ok_or_else(|| {
            ApiError::invalid_parameter(format!("Attribute {} needs a targetId.", attribute.name))
        })?;
        let id = instance_id(ctx, cluster_name, target)?.ok_or_else(|| target_not_found(target))?;
        targets.push((id, target, attribute));
    }
    for _ in 0..crate::records::CAS_ATTEMPTS {
        let mut changed: BTreeMap<&str, (InstanceRecord, store::Revision)> = BTreeMap::new();
        for (id, target, attribute) in &targets {
            if !changed.contains_key(id.as_str()) {
                let key = keys::instance(cluster_name, id);
                let current = crate::records::get::<InstanceRecord>(ctx.store(), &key)
                    .await?
                    .ok_or_else(|| target_not_found(target))?;
                changed.insert(id, (current.value, current.mod_revision));
            }
            let (record, _) = changed.get_mut(id.as_str()).expect("read above");
            change(record.instance.attributes.get_or_insert_with(Vec::new), attribute)?;
        }
        let mut txn = Txn::new();
        for (id, (record, revision)) in &changed {
            let key = keys::instance(cluster_name, id);
            txn = txn
                .when(Compare::mod_revision(&key, *revision))
                .then(Op::put(&key, encode(record)));
        }
        let response = ctx.store().txn(txn).await.map_err(internal)?;
        if response.succeeded {
            ctx.state().wait_for(response.revision).await;
            return Ok(());
        }
    }
    Err(crate::records::contention(&keys::instance(cluster_name, "*")))
}

pub(crate) async fn put_attributes(
    ctx: &Ctx,
    req: PutAttributesRequest,
) -> Result<PutAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let limit = ctx.config().quotas.custom_attributes_per_resource;
    for attribute in &req.attributes {
        check_attribute(attribute)?;
        if builtin(&attribute.name) {
            return Err(ApiError::invalid_parameter(format!(
                "Attribute names starting with ecs. or com.amazonaws.ecs. are reserved: {}.",
                attribute.name
            )));
        }
    }
    change_attributes(ctx, &cluster_name, &req.attributes, |list, attribute| {
        match list.iter_mut().find(|a| a.name == attribute.name) {
            Some(existing) => existing.value = attribute.value.clone(),
            None => list.push(Attribute {
                name: attribute.name.clone(),
                value: attribute.value.clone(),
                target_type: None,
                target_id: None,
            }),
        }
        if list.iter().filter(|a| !builtin(&a.name)).count() > limit {
            return Err(ApiError::new(
                ErrorCode::AttributeLimitExceededException,
                format!("A container instance can have at most {limit} custom attributes."),
            ));
        }
        Ok(())
    })
    .await?;
    Ok(PutAttributesResponse { attributes: Some(req.attributes) })
}

pub(crate) async fn delete_attributes(
    ctx: &Ctx,
    req: DeleteAttributesRequest,
) -> Result<DeleteAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    for attribute in &req.attributes {
        if builtin(&attribute.name) {
            return Err(ApiError::invalid_parameter(format!(
                "Attribute {} belongs to ECS and cannot be deleted.",
                attribute.name
            )));
        }
    }
    change_attributes(ctx, &cluster_name, &req.attributes, |list, attribute| {
        list.retain(|a| a.name != attribute.name);
        Ok(())
    })
    .await?;
    Ok(DeleteAttributesResponse { attributes: Some(req.attributes) })
}

pub(crate) async fn list_attributes(
    ctx: &Ctx,
    req: ListAttributesRequest,
) -> Result<ListAttributesResponse, ApiError> {
    let cluster_name = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.target_type != TargetType::ContainerInstance {
        return Err(ApiError::invalid_parameter("targetType must be container-instance."));
    }
    if req.attribute_value.is_some() && req.attribute_name.is_none() {
        return Err(ApiError::invalid_parameter(
            "attributeValue can only be given with attributeName.",
        ));
    }
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListAttributes", req.next_token.as_deref())?;
    let mut listed: Vec<(String, Attribute)> = Vec::new();
    {
        let index = ctx.state().read();
        if let Some(cluster) = index.cluster(&cluster_name) {
            for entry in cluster.instances.values() {
                let ci = &entry.record.instance;
                if ci.status == InstanceStatus::Inactive {
                    continue;
                }
                for attribute in ci.attributes.iter().flatten() {
                    if req.attribute_name.as_ref().is_some_and(|n| n != &attribute.name)
                        || req
                            .attribute_value
                            .as_ref()
                            .is_some_and(|v| Some(v) != attribute.value.as_ref())
                    {
                        continue;
                    }
                    listed.push((
                        format!("{}\n{}", entry.record.id, attribute.name),
                        Attribute {
                            name: attribute.name.clone(),
                            value: attribute.value.clone(),
                            target_type: Some(TargetType::ContainerInstance),
                            target_id: ci.container_instance_arn.clone(),
                        },
                    ));
                }
            }
        }
    }
    let (page, next_token) =
        paging::page(listed, |(k, _)| k.clone(), "ListAttributes", after.as_deref(), size, true);
    Ok(ListAttributesResponse {
        attributes: Some(page.into_iter().map(|(_, a)| a).collect()),
        next_token,
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
