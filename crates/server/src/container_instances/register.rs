//! RegisterContainerInstance: by agents and by IAM principals, and agents adopting instances.

use super::*;
use crate::placement::capacity::FARGATE_POOL;

/// The parts of an EC2 instance identity document Berth reads (EC2's JSON; other members are
/// ignored). Its signature (`instanceIdentityDocumentSignature`) is not checked: Berth has no
/// EC2 to vouch for it, so a document says what its sender claims.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct IdentityDocument {
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

pub(super) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The instance's registered resources: `totalResources`, and its GPUs (`platformDevices`) as
/// a `GPU` string set, as ECS shows them, unless `totalResources` names GPUs itself.
pub(super) fn registered_resources(req: &RegisterContainerInstanceRequest) -> Vec<api::Resource> {
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
    // The Fargate pool is no cluster of the API: only its agents, with the pool's token,
    // register there.
    let pool = req.cluster.as_deref() == Some(FARGATE_POOL);
    let cluster_name = match pool {
        true => FARGATE_POOL.to_owned(),
        false => active_cluster_name(ctx, req.cluster.as_deref()).await?,
    };
    let registrant = call.registrant(&cluster_name)?;
    if pool && matches!(registrant, Registrant::Principal) {
        return Err(crate::clusters::cluster_not_found());
    }
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
    // Agents following the VPC's routes learn of the instance's host address.
    ctx.inner.vpc.ipam.hosts_changed();
    // The instance's zone gets its subnet of the VPC. The registration stands either way: a
    // zone without a subnet only means no `awsvpc` task can go there yet.
    if let Some(zone) = crate::vpc::zone_of(&record)
        && let Err(error) = crate::vpc::zone_seen(ctx, &zone).await
    {
        tracing::warn!(zone, error = %error, "No subnet could be made for the zone");
    }
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
