//! Services: CreateService, UpdateService, DeleteService, DescribeServices, ListServices,
//! DescribeServiceDeployments and ListServiceDeployments.
//!
//! These operations only record what the user wants; the service scheduler
//! (`service_scheduler/`) moves the tasks. Creating a service is an update applied to nothing:
//! both create a PRIMARY deployment the scheduler rolls out. An update that changes what runs
//! (task definition, placement, `forceNewDeployment`) starts a new deployment; one that only
//! changes the desired count resizes the current one.

mod deployments;
mod task_sets;

use std::collections::BTreeMap;

use api::{
    ApiError, CreateServiceRequest, CreateServiceResponse, DeleteServiceRequest,
    DeleteServiceResponse, Deployment, DeploymentCircuitBreaker, DeploymentConfiguration,
    DeploymentController, DeploymentControllerType, DeploymentRolloutState,
    DescribeServiceDeploymentsRequest, DescribeServiceDeploymentsResponse,
    DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse, DescribeServicesRequest,
    DescribeServicesResponse, ErrorCode, LaunchType, ListServiceDeploymentsRequest,
    ListServiceDeploymentsResponse, ListServicesRequest, ListServicesResponse, SchedulingStrategy,
    Service, ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentCircuitBreaker,
    ServiceDeploymentRollbackMonitorsStatus, ServiceDeploymentStatus, ServiceField,
    ServiceRevision, ServiceRevisionSummary, StopServiceDeploymentRequest,
    StopServiceDeploymentResponse, StopServiceDeploymentStopType, UpdateServiceRequest,
    UpdateServiceResponse,
};
use store::{Compare, Op, Txn};

use crate::arn::valid_name;
use crate::clusters::active_cluster_name;
use crate::error::{Error, Resource};
use crate::placement::capacity::{self, Capacity};
use crate::records::{
    DeploymentRecord, DeploymentStatus, DesiredStatus, RolloutState, ServiceRecord, ServiceStatus,
    StoredService, TaskState, TaskStatus, keys,
};
use crate::records::{encode, internal};
use crate::state::ClusterIndex;
use crate::{Ctx, paging, placement, tags};

pub(crate) use deployments::{
    describe_service_deployments, describe_service_revisions, list_service_deployments,
    stop_service_deployment,
};
pub(crate) use task_sets::{
    create_task_set, delete_task_set, describe_task_sets, update_service_primary_task_set,
    update_task_set,
};

fn not_found() -> ApiError {
    Error::NotFound(Resource::Service).into()
}

fn not_active() -> ApiError {
    ApiError::new(ErrorCode::ServiceNotActiveException, "Service was not ACTIVE.")
}

/// A new deployment id: `ecs-svc/` and 19 digits.
pub(crate) fn deployment_id() -> String {
    let bytes = uuid::Uuid::new_v4();
    let n = u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("8 bytes"));
    format!("ecs-svc/{:019}", n % 10_000_000_000_000_000_000)
}

/// The service name a reference (name or ARN) names.
fn service_name(ctx: &Ctx, cluster: &str, reference: &str) -> Result<Option<String>, ApiError> {
    ctx.arns().resolve_in_cluster(crate::arn::Kind::Service, cluster, reference)
}

/// The deployment configuration with ECS's defaults for the scheduling strategy, checked.
fn configuration(
    given: Option<&DeploymentConfiguration>,
    strategy: SchedulingStrategy,
) -> Result<DeploymentConfiguration, ApiError> {
    let mut configuration = given.cloned().unwrap_or_default();
    let (max, min) = match strategy {
        SchedulingStrategy::Replica => (200, 100),
        SchedulingStrategy::Daemon => (100, 0),
    };
    let maximum = *configuration.maximum_percent.get_or_insert(max);
    let minimum = *configuration.minimum_healthy_percent.get_or_insert(min);
    if !(0..=100).contains(&minimum) {
        return Err(ApiError::invalid_parameter(format!(
            "minimumHealthyPercent must be between 0 and 100; got {minimum}."
        )));
    }
    if strategy == SchedulingStrategy::Daemon && maximum != 100 {
        return Err(ApiError::invalid_parameter(
            "The maximumPercent of a DAEMON service must be 100.",
        ));
    }
    if maximum < 100 {
        return Err(ApiError::invalid_parameter(format!(
            "maximumPercent must be at least 100; got {maximum}."
        )));
    }
    configuration
        .deployment_circuit_breaker
        .get_or_insert(DeploymentCircuitBreaker { enable: false, rollback: false });
    if configuration.strategy.is_some_and(|s| s != api::DeploymentStrategy::Rolling) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth supports the ROLLING deployment strategy only.",
        ));
    }
    // Alarms are kept and shown as given; Berth acts on them once it has CloudWatch alarms.
    Ok(configuration)
}

fn check_unsupported(controller: Option<&DeploymentController>) -> Result<(), ApiError> {
    let unsupported = |what: &str| {
        Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            format!("Berth does not support {what} yet."),
        ))
    };
    if controller.is_some_and(|c| c.r#type == DeploymentControllerType::CodeDeploy) {
        return unsupported("the CODE_DEPLOY deployment controller");
    }
    Ok(())
}

/// ECS's checks of a service's `loadBalancers`: each names a target group that exists and
/// that a listener or rule forwards to, a container of the definition and one of its container
/// ports; `ip` groups need the `awsvpc` network mode and `instance` groups another one.
async fn check_load_balancers(
    ctx: &Ctx,
    balancers: &[api::LoadBalancer],
    definition: Option<&api::TaskDefinition>,
    quota: usize,
) -> Result<(), ApiError> {
    if balancers.len() > quota {
        return Err(ApiError::invalid_parameter(format!(
            "A service can have at most {quota} target groups in loadBalancers."
        )));
    }
    let in_use = crate::balancing::groups_in_use(&crate::balancing::load_balancers(ctx).await?);
    let mut seen = Vec::new();
    for balancer in balancers {
        let Some(arn) = balancer.target_group_arn.as_deref() else {
            return Err(ApiError::invalid_parameter(if balancer.load_balancer_name.is_some() {
                "Classic Load Balancers (loadBalancerName) are not supported: Berth's load balancer uses target groups (targetGroupArn)."
            } else {
                "targetGroupArn is required for each load balancer of a service."
            }));
        };
        let Some(group) = crate::balancing::target_group(ctx, arn).await? else {
            return Err(ApiError::invalid_parameter(format!(
                "The target group with targetGroupArn {arn} does not exist."
            )));
        };
        if !in_use.contains_key(arn) {
            return Err(ApiError::invalid_parameter(format!(
                "The target group with targetGroupArn {arn} does not have an associated load balancer."
            )));
        }
        let (Some(container), Some(port)) =
            (balancer.container_name.as_deref(), balancer.container_port)
        else {
            return Err(ApiError::invalid_parameter(
                "containerName and containerPort are required for each load balancer of a service.",
            ));
        };
        if seen.contains(&(arn, container, port)) {
            return Err(ApiError::invalid_parameter(format!(
                "The load balancer configuration for target group {arn}, container {container} and port {port} is given twice."
            )));
        }
        seen.push((arn, container, port));
        let Some(definition) = definition else { continue };
        let Some(found) = definition
            .container_definitions
            .iter()
            .flatten()
            .find(|c| c.name.as_deref() == Some(container))
        else {
            return Err(ApiError::invalid_parameter(format!(
                "The container {container} does not exist in the task definition."
            )));
        };
        if !found.port_mappings.iter().flatten().any(|m| m.container_port == Some(port)) {
            return Err(ApiError::invalid_parameter(format!(
                "The container {container} did not have a container port {port} defined."
            )));
        }
        let mode = definition.network_mode.unwrap_or(api::NetworkMode::Bridge);
        let awsvpc = mode == api::NetworkMode::Awsvpc;
        if (group.value.target_type == "ip") != awsvpc {
            return Err(ApiError::invalid_parameter(format!(
                "The provided target group {arn} has target type {}, which is incompatible with the {} network mode specified in the task definition.",
                group.value.target_type,
                mode.as_str()
            )));
        }
    }
    Ok(())
}

/// The rules of a service on Fargate (none for others): REPLICA only, no placement
/// constraints (`constraints`: the definition's and the call's) or strategies, a platform
/// version Berth has. The platform version the service
/// shows (`LATEST` unless one is named), `None` off Fargate, where none may be named.
fn check_fargate_service(
    capacity: &Capacity,
    scheduling: SchedulingStrategy,
    constraints: usize,
    strategies: &[api::PlacementStrategy],
    platform_version: Option<&str>,
) -> Result<Option<String>, ApiError> {
    if !capacity.is_fargate() {
        if platform_version.is_some() {
            return Err(ApiError::invalid_parameter(
                "The platform version must be null when specifying an EC2 launch type.",
            ));
        }
        return Ok(None);
    }
    if scheduling == SchedulingStrategy::Daemon {
        return Err(ApiError::invalid_parameter(
            "The DAEMON scheduling strategy is not supported on Fargate.",
        ));
    }
    capacity::check_fargate_placement(constraints, strategies.len())?;
    capacity::platform_version(platform_version)?;
    Ok(Some(platform_version.unwrap_or("LATEST").to_owned()))
}

/// How many placement constraints a definition names.
fn definition_constraints(definition: Option<&api::TaskDefinition>) -> usize {
    definition.and_then(|d| d.placement_constraints.as_ref()).map_or(0, Vec::len)
}

/// Where a service's tasks go, as its record says.
pub(crate) fn capacity_of(service: &StoredService) -> Capacity {
    match (&service.launch_type, service.capacity_provider_strategy.as_deref()) {
        (_, Some(items)) if !items.is_empty() => Capacity::Strategy(capacity::items_of(items)),
        (Some(LaunchType::Fargate), _) => Capacity::Fargate,
        (launch_type, _) => Capacity::Instances(launch_type.unwrap_or(LaunchType::Ec2)),
    }
}

fn fingerprint(req: &CreateServiceRequest, cluster: &str) -> String {
    use sha2::Digest;
    let mut canonical = serde_json::to_value(req).unwrap_or_default();
    if let Some(object) = canonical.as_object_mut() {
        object.remove("clientToken");
        object.insert("cluster".into(), serde_json::Value::String(cluster.to_owned()));
    }
    hex::encode(sha2::Sha256::digest(canonical.to_string().as_bytes()))
}

fn new_deployment(
    id: String,
    definition: &api::TaskDefinition,
    configuration: &DeploymentConfiguration,
    desired: i32,
    now: f64,
    network: Option<api::NetworkConfiguration>,
) -> DeploymentRecord {
    DeploymentRecord {
        network,
        id,
        status: DeploymentStatus::Primary,
        task_definition: definition.task_definition_arn.clone().unwrap_or_default(),
        family: definition.family.clone().unwrap_or_default(),
        revision: definition.revision.unwrap_or_default(),
        rollout: RolloutState::InProgress,
        rollout_reason: Some("ECS deployment in progress.".to_owned()),
        configuration: configuration.clone(),
        desired_count: desired,
        failed_tasks: 0,
        created_at: now,
        updated_at: now,
        finished_at: None,
        rollback: false,
        replaced: Vec::new(),
    }
}

/// Counts of a deployment's (or a whole service's) live tasks.
#[derive(Default)]
struct Counts {
    running: i32,
    pending: i32,
}

fn counts(cluster: &ClusterIndex, record: &ServiceRecord) -> BTreeMap<String, Counts> {
    let mut by_deployment: BTreeMap<String, Counts> = BTreeMap::new();
    let group = format!("service:{}", record.name);
    for task in cluster.tasks_in_group(&group) {
        if task.desired_status() != DesiredStatus::Running {
            continue;
        }
        let Some(deployment) = task.started_by.clone() else { continue };
        let counts = by_deployment.entry(deployment).or_default();
        match task.last_status() {
            TaskStatus::Running => counts.running += 1,
            status if status.is_pending() => counts.pending += 1,
            _ => {}
        }
    }
    by_deployment
}

/// The service as the API returns it: counts, live deployments and events filled in.
pub(crate) fn render(cluster: &ClusterIndex, record: &ServiceRecord, with_tags: bool) -> Service {
    let mut service = record.service.clone().into_api();
    let counts = counts(cluster, record);
    let live: Vec<&DeploymentRecord> =
        record.deployments.iter().filter(|d| d.status != DeploymentStatus::Inactive).collect();
    let mut running = 0;
    let mut pending = 0;
    for deployment in &live {
        if let Some(c) = counts.get(&deployment.id) {
            running += c.running;
            pending += c.pending;
        }
    }
    service.running_count = Some(running);
    service.pending_count = Some(pending);
    service.deployments = Some(
        live.iter()
            .map(|d| {
                let c = counts.get(&d.id);
                Deployment {
                    id: Some(d.id.clone()),
                    status: Some(d.status.as_str().to_owned()),
                    task_definition: Some(d.task_definition.clone()),
                    desired_count: Some(d.desired_count),
                    pending_count: Some(c.map_or(0, |c| c.pending)),
                    running_count: Some(c.map_or(0, |c| c.running)),
                    failed_tasks: Some(d.failed_tasks),
                    created_at: Some(d.created_at),
                    updated_at: Some(d.updated_at),
                    launch_type: service.launch_type,
                    rollout_state: DeploymentRolloutState::parse(d.rollout.as_str()),
                    rollout_state_reason: d.rollout_reason.clone(),
                    network_configuration: record.network_of(&d.id).cloned(),
                    ..Deployment::default()
                }
            })
            .collect(),
    );
    if record.external() {
        for c in record.task_sets.iter().filter_map(|s| counts.get(&s.id)) {
            running += c.running;
            pending += c.pending;
        }
        service.running_count = Some(running);
        service.pending_count = Some(pending);
        service.task_sets = Some(
            record
                .task_sets
                .iter()
                .map(|s| task_sets::render_task_set(&counts, record, s, false))
                .collect(),
        );
    }
    service.events = Some(record.events.clone());
    if let Some(primary) = record.deployments.iter().find(|d| d.status == DeploymentStatus::Primary)
    {
        service.task_definition = Some(primary.task_definition.clone());
        service.deployment_configuration = Some(primary.configuration.clone());
    }
    if !with_tags {
        service.tags = None;
    }
    service
}

fn service_deployment_arn(ctx: &Ctx, cluster: &str, service: &str, deployment: &str) -> String {
    let digits = deployment.rsplit('/').next().unwrap_or(deployment);
    format!(
        "arn:aws:ecs:{}:{}:service-deployment/{cluster}/{service}/{digits}",
        ctx.config().region,
        ctx.config().account_id
    )
}

fn service_revision_arn(ctx: &Ctx, cluster: &str, service: &str, deployment: &str) -> String {
    let digits = deployment.rsplit('/').next().unwrap_or(deployment);
    format!(
        "arn:aws:ecs:{}:{}:service-revision/{cluster}/{service}/{digits}",
        ctx.config().region,
        ctx.config().account_id
    )
}

pub(crate) async fn create_service(
    call: &crate::caller::Call<'_>,
    req: CreateServiceRequest,
) -> Result<CreateServiceResponse, ApiError> {
    let ctx: &Ctx = call.ctx;
    let cluster_record =
        crate::clusters::active_cluster_capacity(ctx, req.cluster.as_deref()).await?;
    let cluster = cluster_record.cluster_name.clone().unwrap_or_default();
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    let quotas = &ctx.config().quotas;
    let capacity =
        cluster_record.resolve(req.launch_type, req.capacity_provider_strategy.as_deref())?;
    if !valid_name(&req.service_name) {
        return Err(ApiError::invalid_parameter(
            "Service name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.",
        ));
    }
    check_unsupported(req.deployment_controller.as_ref())?;
    let strategy = req.scheduling_strategy.unwrap_or(SchedulingStrategy::Replica);
    let desired = match strategy {
        SchedulingStrategy::Replica => req.desired_count.ok_or_else(|| {
            ApiError::invalid_parameter(
                "desiredCount is required for a service with the REPLICA scheduling strategy.",
            )
        })?,
        SchedulingStrategy::Daemon => 0,
    };
    if desired < 0 || desired as usize > quotas.tasks_per_service {
        return Err(ApiError::invalid_parameter(format!(
            "desiredCount must be between 0 and {}; got {desired}.",
            quotas.tasks_per_service
        )));
    }
    if req.health_check_grace_period_seconds.is_some_and(|g| g < 0) {
        return Err(ApiError::invalid_parameter(
            "healthCheckGracePeriodSeconds must not be negative.",
        ));
    }
    if let Some(token) = &req.client_token
        && (token.is_empty()
            || token.len() > 36
            || !token.chars().all(|c| ('!'..='~').contains(&c)))
    {
        return Err(ApiError::invalid_parameter("clientToken must be 1 to 36 ASCII characters."));
    }
    // Under the EXTERNAL controller the task sets name the definitions; the service needs none.
    let external = req
        .deployment_controller
        .as_ref()
        .is_some_and(|c| c.r#type == DeploymentControllerType::External);
    if external && strategy == SchedulingStrategy::Daemon {
        return Err(ApiError::invalid_parameter(
            "The EXTERNAL deployment controller supports the REPLICA scheduling strategy only.",
        ));
    }
    let definition = match &req.task_definition {
        Some(reference) => Some(
            crate::tasks::prepare(ctx, &cluster, reference, capacity.launch_type(), None)
                .await?
                .definition,
        ),
        None if external => None,
        None => return Err(ApiError::invalid_parameter("taskDefinition is required.")),
    };
    let platform_version = check_fargate_service(
        &capacity,
        strategy,
        definition_constraints(definition.as_deref())
            + req.placement_constraints.as_ref().map_or(0, Vec::len),
        req.placement_strategy.as_deref().unwrap_or_default(),
        req.platform_version.as_deref(),
    )?;
    let configuration = configuration(req.deployment_configuration.as_ref(), strategy)?;
    if let Some(balancers) = req.load_balancers.as_deref().filter(|l| !l.is_empty()) {
        if external {
            return Err(ApiError::new(
                ErrorCode::UnsupportedFeatureException,
                "Berth does not support load balancers on services of the EXTERNAL deployment controller yet.",
            ));
        }
        check_load_balancers(
            ctx,
            balancers,
            definition.as_deref(),
            quotas.target_groups_per_service,
        )
        .await?;
    }
    if let Some(definition) = &definition {
        let mode = definition.network_mode.unwrap_or(api::NetworkMode::Bridge);
        crate::vpc::check(ctx, mode, req.network_configuration.as_ref()).await?;
        placement::constraints(
            definition,
            req.placement_constraints.as_deref().unwrap_or_default(),
            quotas.placement_constraints,
        )?;
    }
    let strategies = req.placement_strategy.as_deref().unwrap_or_default();
    if strategy == SchedulingStrategy::Daemon && !strategies.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Placement strategies are not supported with the DAEMON scheduling strategy.",
        ));
    }
    placement::strategies(strategies, quotas.placement_strategies)?;
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;

    let key = keys::service(&cluster, &req.service_name);
    let print = fingerprint(&req, &cluster);
    let _serialized = ctx.key_locks().lock(&key).await;
    let (existing_revision, active_services) = {
        let index = ctx.state().read();
        let c = index.cluster(&cluster);
        let existing = c.and_then(|c| c.services.get(req.service_name.as_str())).cloned();
        let active = c.map_or(0, |c| {
            c.services.values().filter(|e| e.record.status() == ServiceStatus::Active).count()
        });
        if let Some(existing) = &existing
            && existing.record.status() != ServiceStatus::Inactive
        {
            // The same request with the same client token gets the same service back.
            if req.client_token.is_some()
                && existing.record.client_token == req.client_token
                && existing.record.fingerprint.as_deref() == Some(print.as_str())
                && let Some(cluster_index) = c
            {
                return Ok(CreateServiceResponse {
                    service: Some(render(cluster_index, &existing.record, true)),
                });
            }
            return Err(ApiError::invalid_parameter("Creation of service was not idempotent."));
        }
        (existing.map_or(0, |e| e.mod_revision), active)
    };
    if active_services >= quotas.services_per_cluster {
        return Err(ApiError::client(format!(
            "Cluster {cluster} has reached its limit of {} services.",
            quotas.services_per_cluster
        )));
    }
    let now = ctx.clock().now();
    let deployments = match &definition {
        Some(definition) if !external => {
            vec![new_deployment(
                deployment_id(),
                definition,
                &configuration,
                desired,
                now,
                req.network_configuration.clone(),
            )]
        }
        _ => Vec::new(),
    };
    let service = StoredService {
        service_arn: Some(ctx.arns().service(&cluster, &req.service_name)),
        service_name: Some(req.service_name.clone()),
        cluster_arn: Some(ctx.arns().cluster(&cluster)),
        status: ServiceStatus::Active,
        desired_count: Some(desired),
        launch_type: capacity.launch_type().filter(|_| !matches!(capacity, Capacity::Strategy(_))),
        capacity_provider_strategy: match &capacity {
            Capacity::Strategy(_) => req
                .capacity_provider_strategy
                .clone()
                .filter(|s| !s.is_empty())
                .or_else(|| cluster_record.default_capacity_provider_strategy.clone()),
            _ => None,
        },
        platform_version: platform_version.clone(),
        platform_family: platform_version.as_ref().map(|_| "Linux".to_owned()),
        task_definition: definition.as_ref().and_then(|d| d.task_definition_arn.clone()),
        deployment_configuration: Some(configuration),
        placement_constraints: Some(req.placement_constraints.clone().unwrap_or_default()),
        placement_strategy: Some(req.placement_strategy.clone().unwrap_or_default()),
        network_configuration: req.network_configuration.clone(),
        health_check_grace_period_seconds: req.health_check_grace_period_seconds,
        scheduling_strategy: Some(strategy),
        deployment_controller: Some(DeploymentController {
            r#type: if external {
                DeploymentControllerType::External
            } else {
                DeploymentControllerType::Ecs
            },
        }),
        created_at: Some(now),
        created_by: Some(call.principal_arn()),
        enable_ecs_managed_tags: Some(req.enable_ecs_managed_tags.unwrap_or(false)),
        propagate_tags: Some(req.propagate_tags.unwrap_or(api::PropagateTags::None)),
        enable_execute_command: Some(req.enable_execute_command.unwrap_or(false)),
        load_balancers: Some(req.load_balancers.clone().unwrap_or_default()),
        // Kept and shown as given: Berth has no service discovery to register tasks in yet.
        service_registries: Some(req.service_registries.clone().unwrap_or_default()),
        role_arn: req.role.clone(),
        tags: Some(tag_list),
        ..StoredService::default()
    };
    let record = ServiceRecord {
        cluster: cluster.clone().into(),
        name: req.service_name.clone().into(),
        service,
        deployments,
        events: Vec::new(),
        last_completed: None,
        task_sets: Vec::new(),
        client_token: req.client_token.clone(),
        fingerprint: Some(print),
    };
    let txn = Txn::new()
        .when(Compare::mod_revision(&key, existing_revision))
        .then(Op::put(&key, encode(&record)));
    let response = ctx.store().txn(txn).await.map_err(internal)?;
    if !response.succeeded {
        return Err(crate::records::contention(&key));
    }
    ctx.state().wait_for(response.revision).await;
    ctx.inner.service_wake.notify_one();
    tracing::info!(cluster = %cluster, service = %req.service_name, "Service created");
    let index = ctx.state().read();
    let cluster_index = index.cluster(&cluster).ok_or_else(ApiError::server)?;
    Ok(CreateServiceResponse { service: Some(render(cluster_index, &record, true)) })
}

pub(crate) async fn update_service(
    ctx: &Ctx,
    req: UpdateServiceRequest,
) -> Result<UpdateServiceResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let name = service_name(ctx, &cluster, &req.service)?.ok_or_else(not_found)?;
    let quotas = &ctx.config().quotas;
    check_unsupported(req.deployment_controller.as_ref())?;
    let current = ctx
        .state()
        .read()
        .cluster(&cluster)
        .and_then(|c| c.services.get(name.as_str()))
        .map(|e| e.record.clone())
        .ok_or_else(not_found)?;
    if let Some(controller) = &req.deployment_controller
        && Some(controller.r#type)
            != current.service.deployment_controller.as_ref().map(|c| c.r#type)
    {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth does not change a service's deployment controller.",
        ));
    }
    if current.external()
        && (req.task_definition.is_some() || req.force_new_deployment == Some(true))
    {
        return Err(ApiError::invalid_parameter(
            "A service with the EXTERNAL deployment controller deploys through task sets: use CreateTaskSet.",
        ));
    }
    if current.status() != ServiceStatus::Active {
        return Err(not_active());
    }
    let strategy = current.service.scheduling_strategy.unwrap_or(SchedulingStrategy::Replica);
    if let Some(desired) = req.desired_count
        && (desired < 0 || desired as usize > quotas.tasks_per_service)
    {
        return Err(ApiError::invalid_parameter(format!(
            "desiredCount must be between 0 and {}; got {desired}.",
            quotas.tasks_per_service
        )));
    }
    // A new strategy stays on the kind of capacity the service has (Fargate's or the
    // cluster's instances).
    let mut capacity = capacity_of(&current.service);
    let new_strategy = match req.capacity_provider_strategy.as_deref().filter(|s| !s.is_empty()) {
        Some(items) => {
            let cluster_record =
                crate::clusters::active_cluster_capacity(ctx, Some(cluster.as_str())).await?;
            let asked = capacity::strategy_of(
                items,
                cluster_record.capacity_providers.as_deref().unwrap_or_default(),
                false,
            )?;
            if asked.is_fargate() != capacity.is_fargate() {
                return Err(ApiError::invalid_parameter(
                    "The capacity provider strategy must keep the service on the same kind of capacity: Fargate's providers for a Fargate service, none for a service on the cluster's instances.",
                ));
            }
            capacity = asked;
            Some(items.to_vec())
        }
        None => None,
    };
    let new_definition = match &req.task_definition {
        Some(reference) => Some(
            crate::tasks::prepare(ctx, &cluster, reference, capacity.launch_type(), None)
                .await?
                .definition,
        ),
        None => None,
    };
    check_fargate_service(
        &capacity,
        strategy,
        definition_constraints(new_definition.as_deref())
            + req.placement_constraints.as_ref().map_or(0, Vec::len),
        req.placement_strategy.as_deref().unwrap_or_default(),
        req.platform_version.as_deref(),
    )?;
    let definition_now = match &new_definition {
        Some(d) => d.clone(),
        None => {
            let primary = current
                .deployments
                .iter()
                .find(|d| d.status == DeploymentStatus::Primary)
                .ok_or_else(ApiError::server)?;
            ctx.definition(&primary.family, primary.revision).await?.ok_or_else(ApiError::server)?
        }
    };
    if new_definition.is_none() && req.force_new_deployment == Some(true) {
        // Every task is replaced by a new one of the current definition: it must still pass the
        // cluster's container policy, which may have changed since it was first checked.
        crate::container_policy::check(
            ctx.config().container_policy(&cluster),
            &cluster,
            &definition_now,
        )?;
    }
    let configuration = match &req.deployment_configuration {
        Some(given) => Some(configuration(Some(given), strategy)?),
        None => None,
    };
    if let Some(constraints) = &req.placement_constraints {
        placement::constraints(&definition_now, constraints, quotas.placement_constraints)?;
    }
    // The network the service's tasks will have: the one given, else the current one, checked
    // against the definition they will run.
    let mode = definition_now.network_mode.unwrap_or(api::NetworkMode::Bridge);
    let network =
        req.network_configuration.as_ref().or(current.service.network_configuration.as_ref());
    crate::vpc::check(ctx, mode, network).await?;
    let balancers = req.load_balancers.as_ref().or(current.service.load_balancers.as_ref());
    if let Some(balancers) = balancers.filter(|l| !l.is_empty()) {
        check_load_balancers(
            ctx,
            balancers,
            Some(&definition_now),
            quotas.target_groups_per_service,
        )
        .await?;
    }
    if let Some(strategies) = &req.placement_strategy {
        if strategy == SchedulingStrategy::Daemon && !strategies.is_empty() {
            return Err(ApiError::invalid_parameter(
                "Placement strategies are not supported with the DAEMON scheduling strategy.",
            ));
        }
        placement::strategies(strategies, quotas.placement_strategies)?;
    }
    if req.health_check_grace_period_seconds.is_some_and(|g| g < 0) {
        return Err(ApiError::invalid_parameter(
            "healthCheckGracePeriodSeconds must not be negative.",
        ));
    }

    let key = keys::service(&cluster, &name);
    let now = ctx.clock().now();
    let record = crate::state::modify_seen::<ServiceRecord, _, ApiError>(ctx, &key, |stored| {
        let mut record = stored.ok_or_else(not_found)?;
        if record.status() != ServiceStatus::Active {
            return Err(not_active());
        }
        let service = &mut record.service;
        let mut new_deployment_needed = req.force_new_deployment == Some(true);
        if let Some(desired) = req.desired_count
            && strategy == SchedulingStrategy::Replica
        {
            service.desired_count = Some(desired);
        }
        if let Some(definition) = &new_definition
            && service.task_definition != definition.task_definition_arn
        {
            service.task_definition = definition.task_definition_arn.clone();
            new_deployment_needed = true;
        }
        if let Some(constraints) = &req.placement_constraints
            && service.placement_constraints.as_ref() != Some(constraints)
        {
            service.placement_constraints = Some(constraints.clone());
            new_deployment_needed = true;
        }
        if let Some(strategies) = &req.placement_strategy
            && service.placement_strategy.as_ref() != Some(strategies)
        {
            service.placement_strategy = Some(strategies.clone());
            new_deployment_needed = true;
        }
        if let Some(network) = &req.network_configuration
            && service.network_configuration.as_ref() != Some(network)
        {
            service.network_configuration = Some(network.clone());
            new_deployment_needed = true;
        }
        // A change of load balancers starts a new deployment, as in ECS.
        if let Some(balancers) = &req.load_balancers
            && service.load_balancers.as_deref().unwrap_or_default() != balancers.as_slice()
        {
            service.load_balancers = Some(balancers.clone());
            new_deployment_needed = true;
        }
        if let Some(items) = &new_strategy
            && service.capacity_provider_strategy.as_ref() != Some(items)
        {
            service.capacity_provider_strategy = Some(items.clone());
            service.launch_type = None;
            new_deployment_needed = true;
        }
        if let Some(version) = &req.platform_version
            && service.platform_version.as_ref() != Some(version)
        {
            service.platform_version = Some(version.clone());
            new_deployment_needed = true;
        }
        if let Some(grace) = req.health_check_grace_period_seconds {
            service.health_check_grace_period_seconds = Some(grace);
        }
        // How new tasks are tagged: tasks started from now on follow it, without a new
        // deployment (as in ECS).
        if let Some(registries) = &req.service_registries {
            service.service_registries = Some(registries.clone());
        }
        if let Some(propagate) = req.propagate_tags {
            service.propagate_tags = Some(propagate);
        }
        if let Some(managed) = req.enable_ecs_managed_tags {
            service.enable_ecs_managed_tags = Some(managed);
        }
        if let Some(configuration) = &configuration {
            service.deployment_configuration = Some(configuration.clone());
        }
        let desired = service.desired_count.unwrap_or(0);
        let configuration = service.deployment_configuration.clone().unwrap_or_default();
        if new_deployment_needed {
            let mut deployment = new_deployment(
                deployment_id(),
                &definition_now,
                &configuration,
                desired,
                now,
                service.network_configuration.clone(),
            );
            for old in record.deployments.iter_mut() {
                if old.status == DeploymentStatus::Primary {
                    old.status = DeploymentStatus::Active;
                    old.updated_at = now;
                    deployment.replaced.push(old.id.clone());
                } else if old.status == DeploymentStatus::Active {
                    deployment.replaced.push(old.id.clone());
                }
            }
            record.deployments.insert(0, deployment);
        } else if let Some(primary) =
            record.deployments.iter_mut().find(|d| d.status == DeploymentStatus::Primary)
        {
            primary.desired_count = desired;
            primary.configuration = configuration;
            primary.updated_at = now;
        }
        Ok(record)
    })
    .await?;
    tracing::info!(cluster = %cluster, service = %name, "Service updated");
    Ok(UpdateServiceResponse { service: Some(changed(ctx, &cluster, &record, true)?) })
}

/// After a change to a service that the index has seen: wakes the service scheduler and shows
/// the service as the index has it.
fn changed(
    ctx: &Ctx,
    cluster: &str,
    record: &ServiceRecord,
    with_tags: bool,
) -> Result<Service, ApiError> {
    ctx.inner.service_wake.notify_one();
    let index = ctx.state().read();
    let cluster_index = index.cluster(cluster).ok_or_else(ApiError::server)?;
    Ok(render(cluster_index, record, with_tags))
}

pub(crate) async fn delete_service(
    ctx: &Ctx,
    req: DeleteServiceRequest,
) -> Result<DeleteServiceResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let name = service_name(ctx, &cluster, &req.service)?.ok_or_else(not_found)?;
    let key = keys::service(&cluster, &name);
    let record = crate::state::modify_seen::<ServiceRecord, _, ApiError>(ctx, &key, |stored| {
        let mut record = stored.ok_or_else(not_found)?;
        if record.status() != ServiceStatus::Active {
            return Err(ApiError::client("Service was not ACTIVE."));
        }
        let scaled = record.service.desired_count.unwrap_or(0) > 0
            && record.service.scheduling_strategy != Some(SchedulingStrategy::Daemon);
        if scaled && req.force != Some(true) {
            return Err(ApiError::invalid_parameter(
                "The service cannot be stopped while it is scaled above 0.",
            ));
        }
        record.service.desired_count = Some(0);
        record.service.status = ServiceStatus::Draining;
        Ok(record)
    })
    .await?;
    tracing::info!(cluster = %cluster, service = %name, "Service deleted");
    Ok(DeleteServiceResponse { service: Some(changed(ctx, &cluster, &record, false)?) })
}

pub(crate) async fn describe_services(
    ctx: &Ctx,
    req: DescribeServicesRequest,
) -> Result<DescribeServicesResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.services.is_empty() {
        return Err(ApiError::invalid_parameter("services must name at least one service."));
    }
    if req.services.len() > 10 {
        return Err(ApiError::invalid_parameter("DescribeServices accepts at most 10 services."));
    }
    let with_tags = req.include.unwrap_or_default().contains(&ServiceField::Tags);
    let index = ctx.state().read();
    let empty = ClusterIndex::default();
    let cluster_index = index.cluster(&cluster).unwrap_or(&empty);
    let (services, failures) = crate::failures::describe_each(
        &req.services,
        |reference| {
            let found = service_name(ctx, &cluster, reference)?
                .and_then(|n| cluster_index.services.get(n.as_str()));
            Ok(found.map(|e| render(cluster_index, &e.record, with_tags)))
        },
        |name| ctx.arns().service(&cluster, name),
    )?;
    Ok(DescribeServicesResponse { services: Some(services), failures: Some(failures) })
}

pub(crate) async fn list_services(
    ctx: &Ctx,
    req: ListServicesRequest,
) -> Result<ListServicesResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let size = paging::page_size(req.max_results, 10)?;
    let after = paging::resume_after("ListServices", req.next_token.as_deref())?;
    let names: Vec<String> = {
        let index = ctx.state().read();
        index
            .cluster(&cluster)
            .map(|c| {
                c.services
                    .values()
                    .filter(|e| e.record.status() == ServiceStatus::Active)
                    .filter(|e| {
                        req.launch_type.is_none_or(|l| e.record.service.launch_type == Some(l))
                    })
                    .filter(|e| {
                        req.scheduling_strategy
                            .is_none_or(|s| e.record.service.scheduling_strategy == Some(s))
                    })
                    .map(|e| e.record.name.to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (page, next_token) =
        paging::page(names, Clone::clone, "ListServices", after.as_deref(), size, true);
    Ok(ListServicesResponse {
        service_arns: Some(page.iter().map(|n| ctx.arns().service(&cluster, n)).collect()),
        next_token,
    })
}
