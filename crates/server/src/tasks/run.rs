//! RunTask and StartTask: the checks before a launch, and the launch.

use std::sync::Arc;

use api::{
    ApiError, ErrorCode, LaunchType, NetworkMode, PropagateTags, RunTaskRequest, RunTaskResponse,
    StartTaskRequest, StartTaskResponse, TaskDefinition, TaskDefinitionStatus, TaskOverride,
};

use super::{render, render_indexed};
use crate::clusters::active_cluster_name;
use crate::placement::Launch;
use crate::placement::capacity;
use crate::records::{Reservation, keys};
use crate::task_definitions;
use crate::{Ctx, placement, tags};

/// A task definition revision checked for launching, with the call's overrides.
pub(crate) struct Prepared {
    pub(crate) definition: Arc<TaskDefinition>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    reservation: Reservation,
    overrides: Option<TaskOverride>,
    /// The revision's tags, which `propagateTags: TASK_DEFINITION` gives its tasks.
    tags: Vec<api::Tag>,
}

/// What a RunTask or StartTask call asks of every task it launches, beside the definition.
struct Asked {
    group: Option<String>,
    started_by: Option<String>,
    tags: Vec<api::Tag>,
    propagate_tags: Option<PropagateTags>,
    enable_ecs_managed_tags: Option<bool>,
    enable_execute_command: Option<bool>,
}

impl Prepared {
    /// The launch of this revision in `cluster` as a call asked for it.
    fn launch(
        self,
        cluster: &str,
        asked: Asked,
        network: Option<crate::vpc::AskedNetwork>,
        fargate: Option<placement::OnFargate>,
        limit: usize,
    ) -> Result<Launch, ApiError> {
        let propagated = match asked.propagate_tags {
            Some(PropagateTags::TaskDefinition) => self.tags.as_slice(),
            _ => &[],
        };
        let managed = asked
            .enable_ecs_managed_tags
            .unwrap_or(false)
            .then_some(tags::Managed { cluster, service: None });
        let tags = tags::for_new_task(&asked.tags, propagated, managed, limit)?;
        Ok(Launch {
            cluster: cluster.to_owned(),
            group: group_of(asked.group, &self.family)?,
            definition: self.definition,
            family: self.family,
            revision: self.revision,
            overrides: self.overrides,
            reservation: self.reservation,
            started_by: asked.started_by,
            tags,
            enable_execute_command: asked.enable_execute_command.unwrap_or(false),
            network: network.map(Arc::new),
            fargate,
            capacity_provider: None,
        })
    }
}

/// The checks every way of launching a task makes before anything is placed.
pub(crate) async fn prepare(
    ctx: &Ctx,
    cluster: &str,
    reference: &str,
    launch_type: Option<LaunchType>,
    overrides: Option<TaskOverride>,
) -> Result<Prepared, ApiError> {
    let not_found = || ApiError::client(format!("TaskDefinition not found: {reference}."));
    let parsed = task_definitions::parse_reference(ctx, reference)?.ok_or_else(not_found)?;
    let record = task_definitions::find(ctx, &parsed).await?.ok_or_else(not_found)?.value;
    let (definition, tags) = (record.definition, record.tags);
    if definition.status != Some(TaskDefinitionStatus::Active) {
        return Err(ApiError::client(format!("TaskDefinition is inactive: {reference}.")));
    }
    let family = definition.family.clone().unwrap_or_default();
    let revision = definition.revision.unwrap_or(0);
    match launch_type.unwrap_or(LaunchType::Ec2) {
        LaunchType::Ec2 | LaunchType::External => {}
        LaunchType::Fargate => {
            // The Fargate rules were checked when the revision was registered: FARGATE is among
            // its compatibilities only if it keeps them all.
            let compatible = definition
                .compatibilities
                .iter()
                .flatten()
                .any(|c| *c == api::Compatibility::Fargate);
            if !compatible {
                return Err(ApiError::invalid_parameter(
                    "Task definition does not support launch_type FARGATE.",
                ));
            }
        }
        other => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedFeatureException,
                format!("Berth does not run tasks with launch type {other} yet."),
            ));
        }
    }
    crate::container_policy::check(ctx.config().container_policy(cluster), cluster, &definition)?;
    let containers = definition.container_definitions.as_deref().unwrap_or_default();
    if let Some(overrides) = &overrides {
        for o in overrides.container_overrides.iter().flatten() {
            let name = o.name.as_deref().unwrap_or("");
            if !containers.iter().any(|c| c.name.as_deref() == Some(name)) {
                return Err(ApiError::invalid_parameter(format!(
                    "Override for container {name:?}, which is not in the task definition."
                )));
            }
            if o.memory.is_some_and(|m| m < 6)
                || o.memory_reservation.is_some_and(|m| m < 1)
                || o.cpu.is_some_and(|c| c < 0)
            {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid cpu or memory override for container {name:?}."
                )));
            }
        }
        for (what, value) in [("cpu", &overrides.cpu), ("memory", &overrides.memory)] {
            if value
                .as_deref()
                .is_some_and(|v| placement::parse_units(Some(v)).is_none_or(|n| n <= 0))
            {
                return Err(ApiError::invalid_parameter(format!("Invalid task {what} override.")));
            }
        }
    }
    let reservation = placement::reservation(&definition, overrides.as_ref());
    Ok(Prepared {
        definition: Arc::new(definition),
        family,
        revision,
        reservation,
        overrides,
        tags,
    })
}

/// How long a RunTask client token is remembered, as in ECS.
pub(crate) const TOKEN_TTL_SECONDS: f64 = 24.0 * 3600.0;

fn fingerprint(req: &RunTaskRequest, cluster: &str) -> String {
    use sha2::Digest;
    let mut canonical = serde_json::to_value(req).unwrap_or_default();
    if let Some(object) = canonical.as_object_mut() {
        object.remove("clientToken");
        object.insert("cluster".into(), serde_json::Value::String(cluster.to_owned()));
    }
    hex::encode(sha2::Sha256::digest(canonical.to_string().as_bytes()))
}

fn check_started_by(started_by: Option<&str>) -> Result<(), ApiError> {
    if let Some(s) = started_by
        && (s.len() > 128 || !s.chars().all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c)))
    {
        return Err(ApiError::invalid_parameter(
            "startedBy can be up to 128 letters, numbers, hyphens, underscores and forward slashes.",
        ));
    }
    Ok(())
}

/// `propagateTags` of a task started outside a service: SERVICE names no service.
fn check_propagate_tags(propagate: Option<PropagateTags>) -> Result<(), ApiError> {
    if propagate == Some(PropagateTags::Service) {
        return Err(ApiError::invalid_parameter(
            "propagateTags SERVICE is only valid for the tasks of a service; use TASK_DEFINITION or NONE.",
        ));
    }
    Ok(())
}

fn group_of(given: Option<String>, family: &str) -> Result<String, ApiError> {
    let group = given.unwrap_or_else(|| format!("family:{family}"));
    if group.is_empty() || group.len() > 255 {
        return Err(ApiError::invalid_parameter("group must be 1 to 255 characters."));
    }
    Ok(group)
}

pub(crate) async fn run_task(ctx: &Ctx, req: RunTaskRequest) -> Result<RunTaskResponse, ApiError> {
    let cluster_record =
        crate::clusters::active_cluster_capacity(ctx, req.cluster.as_deref()).await?;
    let cluster = cluster_record.cluster_name.clone().unwrap_or_default();
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    let quotas = &ctx.config().quotas;
    let count = req.count.unwrap_or(1);
    if count < 1 || count as usize > quotas.tasks_per_run_task {
        return Err(ApiError::invalid_parameter(format!(
            "count must be between 1 and {}; got {count}.",
            quotas.tasks_per_run_task
        )));
    }
    check_started_by(req.started_by.as_deref())?;
    let capacity =
        cluster_record.resolve(req.launch_type, req.capacity_provider_strategy.as_deref())?;
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;
    check_propagate_tags(req.propagate_tags)?;
    if let Some(token) = &req.client_token
        && (token.is_empty() || token.len() > 64)
    {
        return Err(ApiError::invalid_parameter("clientToken must be 1 to 64 characters."));
    }
    let launch_type = capacity.launch_type();
    let prepared =
        prepare(ctx, &cluster, &req.task_definition, launch_type, req.overrides.clone()).await?;
    let constraints = placement::constraints(
        &prepared.definition,
        req.placement_constraints.as_deref().unwrap_or_default(),
        quotas.placement_constraints,
    )?;
    let mut strategy = placement::strategies(
        req.placement_strategy.as_deref().unwrap_or_default(),
        quotas.placement_strategies,
    )?;
    if strategy.is_empty() {
        strategy.push(scheduler::Strategy::Random);
    }
    if !capacity.is_fargate() && req.platform_version.is_some() {
        return Err(ApiError::invalid_parameter(
            "The platform version must be null when specifying an EC2 launch type.",
        ));
    }
    let fargate = match capacity.is_fargate() {
        true => Some(fargate_launch(
            &constraints,
            req.placement_strategy.as_deref().unwrap_or_default(),
            req.platform_version.as_deref(),
        )?),
        false => None,
    };
    let asked = Asked {
        group: req.group.clone(),
        started_by: req.started_by.clone(),
        tags: tag_list,
        propagate_tags: req.propagate_tags,
        enable_ecs_managed_tags: req.enable_ecs_managed_tags,
        enable_execute_command: req.enable_execute_command,
    };
    let mode = prepared.definition.network_mode.unwrap_or(NetworkMode::Bridge);
    let network = crate::vpc::check(ctx, mode, req.network_configuration.as_ref()).await?;
    let launch = prepared.launch(&cluster, asked, network, fargate, quotas.tags_per_resource)?;
    let token = match &req.client_token {
        Some(token) => {
            let print = fingerprint(&req, &cluster);
            if let Some(existing) = crate::records::get::<crate::records::TokenRecord>(
                ctx.store(),
                &keys::run_token(&cluster, token),
            )
            .await?
                && ctx.clock().now() - existing.value.created_at < TOKEN_TTL_SECONDS
            {
                if existing.value.fingerprint != print {
                    let mut error = ApiError::new(
                        ErrorCode::ConflictException,
                        "The clientToken was already used with different parameters.",
                    );
                    error.resource_ids = Some(
                        existing
                            .value
                            .task_ids
                            .iter()
                            .map(|id| ctx.arns().task(&cluster, id))
                            .collect(),
                    );
                    return Err(error);
                }
                let index = ctx.state().read();
                let tasks = existing
                    .value
                    .task_ids
                    .iter()
                    .filter_map(|id| index.cluster(&cluster)?.tasks.get(id.as_str()))
                    .map(|e| render_indexed(ctx, &e.record, true))
                    .collect::<Result<_, _>>()?;
                return Ok(RunTaskResponse {
                    tasks: Some(tasks),
                    failures: Some(existing.value.failures),
                });
            }
            Some((token.clone(), print))
        }
        None => None,
    };
    let (records, failures) = match &capacity {
        capacity::Capacity::Instances(_) => {
            placement::place(ctx, &launch, count as u32, None, constraints, strategy, token).await?
        }
        by_providers => {
            // Each provider's share is its own placement. With one share the client token is
            // written with its tasks; with several, the last share's placement writes it and
            // it is then written again naming every share's tasks (a crash between the two
            // leaves it naming the last share's only).
            let shares = capacity::divide(&by_providers.items(), &[], count as u32);
            // On Fargate, Fargate places; on the cluster's instances the call's constraints
            // and strategy hold within each provider.
            let (constraints, strategy) = match by_providers.is_fargate() {
                true => (Vec::new(), Vec::new()),
                false => (constraints, strategy),
            };
            let mut placed = (Vec::new(), Vec::new());
            let last = shares.len().saturating_sub(1);
            for (i, (provider, n)) in shares.iter().enumerate() {
                let token = if i == last { token.clone() } else { None };
                let (records, failures) = placement::place(
                    ctx,
                    &launch.on_provider(provider),
                    *n,
                    None,
                    constraints.clone(),
                    strategy.clone(),
                    token,
                )
                .await?;
                placed.0.extend(records);
                placed.1.extend(failures);
            }
            if let Some((token, print)) = token.filter(|_| shares.len() > 1) {
                let remembered = crate::records::TokenRecord {
                    fingerprint: print,
                    task_ids: placed.0.iter().map(|r| r.id.to_string()).collect(),
                    failures: placed.1.clone(),
                    created_at: ctx.clock().now(),
                };
                let txn = store::Txn::new().then(store::Op::put(
                    keys::run_token(&cluster, &token),
                    crate::records::encode(&remembered),
                ));
                ctx.store().txn(txn).await.map_err(crate::records::internal)?;
            }
            placed
        }
    };
    Ok(RunTaskResponse {
        tasks: Some(records.iter().map(|r| render(ctx, r, true)).collect()),
        failures: Some(failures),
    })
}

/// What a Fargate launch takes besides the definition: no placement constraints or strategies
/// (Fargate places its tasks itself), and a platform version it has.
pub(crate) fn fargate_launch(
    constraints: &[scheduler::Constraint],
    strategies: &[api::PlacementStrategy],
    platform_version: Option<&str>,
) -> Result<placement::OnFargate, ApiError> {
    capacity::check_fargate_placement(constraints.len(), strategies.len())?;
    Ok(placement::OnFargate { platform_version: capacity::platform_version(platform_version)? })
}

pub(crate) async fn start_task(
    ctx: &Ctx,
    req: StartTaskRequest,
) -> Result<StartTaskResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    let quotas = &ctx.config().quotas;
    if req.container_instances.is_empty()
        || req.container_instances.len() > quotas.instances_per_start_task
    {
        return Err(ApiError::invalid_parameter(format!(
            "containerInstances must list between 1 and {} container instances.",
            quotas.instances_per_start_task
        )));
    }
    check_started_by(req.started_by.as_deref())?;
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;
    check_propagate_tags(req.propagate_tags)?;
    let prepared =
        prepare(ctx, &cluster, &req.task_definition, None, req.overrides.clone()).await?;
    // StartTask bypasses strategies but not the task definition's constraints.
    let constraints =
        placement::constraints(&prepared.definition, &[], quotas.placement_constraints)?;
    let mut ids = Vec::new();
    for reference in &req.container_instances {
        let id = crate::container_instances::instance_id(ctx, &cluster, reference)?.ok_or_else(
            || {
                ApiError::invalid_parameter(format!(
                    "Container instance {reference} is not in cluster {cluster}."
                ))
            },
        )?;
        let known = ctx
            .state()
            .read()
            .cluster(&cluster)
            .is_some_and(|c| c.instances.contains_key(id.as_str()));
        if !known {
            return Err(ApiError::invalid_parameter(format!(
                "Container instance {reference} was not found."
            )));
        }
        ids.push(id);
    }
    let asked = Asked {
        group: req.group.clone(),
        started_by: req.started_by.clone(),
        tags: tag_list,
        propagate_tags: req.propagate_tags,
        enable_ecs_managed_tags: req.enable_ecs_managed_tags,
        enable_execute_command: req.enable_execute_command,
    };
    let mode = prepared.definition.network_mode.unwrap_or(NetworkMode::Bridge);
    let network = crate::vpc::check(ctx, mode, req.network_configuration.as_ref()).await?;
    let launch = prepared.launch(&cluster, asked, network, None, quotas.tags_per_resource)?;
    let (records, failures) =
        placement::place(ctx, &launch, 1, Some(&ids), constraints, Vec::new(), None).await?;
    Ok(StartTaskResponse {
        tasks: Some(records.iter().map(|r| render(ctx, r, true)).collect()),
        failures: Some(failures),
    })
}
