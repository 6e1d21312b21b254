//! What ECS fills in on registration: defaults, compatibilities and required attributes.

use std::collections::BTreeSet;

use api::{
    ApiError, Attribute, Compatibility, ContainerDefinition, EFSTransitEncryption,
    FirelensConfigurationType, LogDriver, NetworkMode, RegisterTaskDefinitionRequest, Secret,
    TaskDefinition, TransportProtocol,
};

use crate::config::Quotas;

use super::*;

/// The definition to store: the request's members with ECS's defaults (see
/// [`check_registration`]).
pub(super) fn stored_definition(ctx: &Ctx<'_>) -> TaskDefinition {
    // Destructured without `..`: a member added to the model stops this compiling until it is
    // copied (or deliberately dropped, like `tags`, which are stored with the resource's tags).
    let RegisterTaskDefinitionRequest {
        family,
        task_role_arn,
        execution_role_arn,
        network_mode,
        container_definitions,
        volumes,
        placement_constraints,
        requires_compatibilities,
        cpu: _,
        memory: _,
        tags: _,
        pid_mode,
        ipc_mode,
        proxy_configuration,
        inference_accelerators,
        ephemeral_storage,
        runtime_platform,
        enable_fault_injection,
    } = ctx.req;
    TaskDefinition {
        family: Some(family.clone()),
        task_role_arn: task_role_arn.clone(),
        execution_role_arn: execution_role_arn.clone(),
        network_mode: *network_mode,
        container_definitions: Some(
            container_definitions
                .iter()
                .map(|container| container_with_defaults(container, ctx.network_mode))
                .collect(),
        ),
        volumes: Some(volumes.iter().flatten().map(volume_with_defaults).collect()),
        placement_constraints: Some(placement_constraints.clone().unwrap_or_default()),
        requires_compatibilities: requires_compatibilities.clone(),
        cpu: ctx.task_cpu.map(|cpu| cpu.to_string()),
        memory: ctx.task_memory.map(|memory| memory.to_string()),
        pid_mode: *pid_mode,
        ipc_mode: *ipc_mode,
        proxy_configuration: proxy_configuration.clone(),
        inference_accelerators: inference_accelerators.clone(),
        ephemeral_storage: ephemeral_storage.clone(),
        runtime_platform: runtime_platform.clone(),
        enable_fault_injection: *enable_fault_injection,
        ..TaskDefinition::default()
    }
}

/// A volume as ECS stores it: an EFS volume's `rootDirectory` is `/` and its
/// `transitEncryption` `DISABLED` unless given.
fn volume_with_defaults(volume: &api::Volume) -> api::Volume {
    let mut volume = volume.clone();
    if let Some(efs) = &mut volume.efs_volume_configuration {
        efs.root_directory.get_or_insert_with(|| "/".to_owned());
        efs.transit_encryption.get_or_insert(EFSTransitEncryption::Disabled);
    }
    volume
}

pub(super) fn container_with_defaults(
    container: &ContainerDefinition,
    network_mode: NetworkMode,
) -> ContainerDefinition {
    let mut container = container.clone();
    container.essential.get_or_insert(true);
    container.cpu.get_or_insert(0);
    container.environment.get_or_insert_with(Vec::new);
    container.mount_points.get_or_insert_with(Vec::new);
    container.volumes_from.get_or_insert_with(Vec::new);
    let static_ports = matches!(network_mode, NetworkMode::Awsvpc | NetworkMode::Host);
    for mapping in container.port_mappings.get_or_insert_with(Vec::new) {
        mapping.protocol.get_or_insert(TransportProtocol::Tcp);
        if static_ports && mapping.host_port.is_none() {
            mapping.host_port = mapping.container_port;
        }
    }
    if let Some(health_check) = &mut container.health_check {
        health_check.interval.get_or_insert(HEALTH_CHECK_DEFAULT_INTERVAL);
        health_check.timeout.get_or_insert(HEALTH_CHECK_DEFAULT_TIMEOUT);
        health_check.retries.get_or_insert(HEALTH_CHECK_DEFAULT_RETRIES);
    }
    container
}

/// The size quota applies to the definition's JSON as stored (containers, volumes and
/// settings, defaults included), before the computed `compatibilities` and
/// `requiresAttributes` are added.
pub(super) fn check_size(definition: &TaskDefinition, quotas: &Quotas) -> Result<(), ApiError> {
    let size = serde_json::to_vec(definition).map_err(|_| ApiError::server())?.len();
    if size > quotas.task_definition_size {
        return Err(ApiError::client(format!(
            "Actual length: '{size}'. Max allowed length is '{}' bytes.",
            quotas.task_definition_size
        )));
    }
    Ok(())
}

/// See [`check_registration`] for what each launch type requires.
pub(super) fn compatibilities(ctx: &Ctx<'_>) -> Vec<Compatibility> {
    let mut compatibilities = vec![Compatibility::Ec2];
    if check_fargate(ctx).is_ok() {
        compatibilities.push(Compatibility::Fargate);
    }
    if ctx.network_mode != NetworkMode::Awsvpc {
        compatibilities.push(Compatibility::External);
    }
    if ctx.requires(Compatibility::ManagedInstances) {
        compatibilities.push(Compatibility::ManagedInstances);
    }
    compatibilities
}

/// The capability attributes an instance must have to run the task, sorted by name and
/// deduplicated. Each feature adds the attributes in its row:
///
/// | Feature | Attributes |
/// |---|---|
/// | `networkMode` `awsvpc` | `ecs.capability.task-eni` |
/// | `taskRoleArn` | `com.amazonaws.ecs.capability.task-iam-role` |
/// | `taskRoleArn` with `networkMode` `host` | also `com.amazonaws.ecs.capability.task-iam-role-network-host` |
/// | `pidMode` or `ipcMode` | `ecs.capability.pid-ipc-namespace-sharing` |
/// | `proxyConfiguration` | `ecs.capability.aws-appmesh` |
/// | a volume with `efsVolumeConfiguration` | `ecs.capability.efs` |
/// | ... with transit encryption `ENABLED` or an `authorizationConfig` | also `ecs.capability.efsAuth` |
/// | container `memoryReservation` | `com.amazonaws.ecs.capability.docker-remote-api.1.21` |
/// | `privileged` true | `com.amazonaws.ecs.capability.privileged-container` |
/// | `healthCheck` | `ecs.capability.container-health-check`, `com.amazonaws.ecs.capability.docker-remote-api.1.24` |
/// | `dependsOn` (non-empty), `startTimeout` or `stopTimeout` | `ecs.capability.container-ordering` |
/// | `dockerLabels` or `ulimits` (non-empty) | `com.amazonaws.ecs.capability.docker-remote-api.1.18` |
/// | `linuxParameters.initProcessEnabled` true | `com.amazonaws.ecs.capability.docker-remote-api.1.25` |
/// | `logConfiguration` with driver D | `com.amazonaws.ecs.capability.docker-remote-api.1.18`, `com.amazonaws.ecs.capability.logging-driver.D` |
/// | `logConfiguration.options` (non-empty) | `com.amazonaws.ecs.capability.docker-remote-api.1.19` |
/// | driver `awslogs` with `executionRoleArn` | `ecs.capability.execution-role-awslogs` |
/// | `logConfiguration.secretOptions` from Secrets Manager / SSM | `ecs.capability.secrets.asm.bootstrap.log-driver` / `ecs.capability.secrets.ssm.bootstrap.log-driver` |
/// | `image` in Amazon ECR | `com.amazonaws.ecs.capability.ecr-auth` |
/// | `image` in Amazon ECR with `executionRoleArn` | also `ecs.capability.execution-role-ecr-pull` |
/// | `repositoryCredentials` | `com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager` |
/// | `secrets` from Secrets Manager / SSM | `ecs.capability.secrets.asm.environment-variables` / `ecs.capability.secrets.ssm.environment-variables` |
/// | `environmentFiles` (non-empty) | `ecs.capability.env-files.s3` |
/// | `firelensConfiguration` of type fluentbit / fluentd | `ecs.capability.firelens.fluentbit` / `ecs.capability.firelens.fluentd` |
///
/// A secret is from Secrets Manager when its `valueFrom` is a `secretsmanager` ARN; anything
/// else (an `ssm` ARN or a parameter name) is an SSM parameter.
pub(super) fn required_attributes(ctx: &Ctx<'_>) -> Vec<Attribute> {
    let req = ctx.req;
    let execution_role = ctx.has_execution_role();
    let mut names: BTreeSet<&'static str> = BTreeSet::new();
    if ctx.network_mode == NetworkMode::Awsvpc {
        names.insert(ATTR_TASK_ENI);
    }
    if req.task_role_arn.as_deref().is_some_and(|arn| !arn.is_empty()) {
        names.insert(ATTR_TASK_IAM_ROLE);
        if ctx.network_mode == NetworkMode::Host {
            names.insert(ATTR_TASK_IAM_ROLE_NETWORK_HOST);
        }
    }
    if req.pid_mode.is_some() || req.ipc_mode.is_some() {
        names.insert(ATTR_PID_IPC_NAMESPACE_SHARING);
    }
    if req.proxy_configuration.is_some() {
        names.insert(ATTR_APPMESH);
    }
    for volume in req.volumes.as_deref().unwrap_or_default() {
        if let Some(efs) = &volume.efs_volume_configuration {
            names.insert(ATTR_EFS);
            if efs.transit_encryption == Some(EFSTransitEncryption::Enabled)
                || efs.authorization_config.is_some()
            {
                names.insert(ATTR_EFS_AUTH);
            }
        }
    }
    for container in ctx.containers() {
        container_attributes(container, execution_role, &mut names);
    }
    names
        .into_iter()
        .map(|name| Attribute {
            name: name.to_owned(),
            value: None,
            target_type: None,
            target_id: None,
        })
        .collect()
}

pub(super) fn container_attributes(
    container: &ContainerDefinition,
    execution_role: bool,
    names: &mut BTreeSet<&'static str>,
) {
    if container.memory_reservation.is_some() {
        names.insert(ATTR_DOCKER_API_1_21);
    }
    if container.privileged == Some(true) {
        names.insert(ATTR_PRIVILEGED_CONTAINER);
    }
    if container.health_check.is_some() {
        names.insert(ATTR_CONTAINER_HEALTH_CHECK);
        names.insert(ATTR_DOCKER_API_1_24);
    }
    if has_items(&container.depends_on)
        || container.start_timeout.is_some()
        || container.stop_timeout.is_some()
    {
        names.insert(ATTR_CONTAINER_ORDERING);
    }
    if container.docker_labels.as_ref().is_some_and(|labels| !labels.is_empty())
        || has_items(&container.ulimits)
    {
        names.insert(ATTR_DOCKER_API_1_18);
    }
    if container.linux_parameters.as_ref().is_some_and(|p| p.init_process_enabled == Some(true)) {
        names.insert(ATTR_DOCKER_API_1_25);
    }
    if let Some(log) = &container.log_configuration {
        names.insert(ATTR_DOCKER_API_1_18);
        names.insert(logging_driver_attribute(log.log_driver));
        if log.options.as_ref().is_some_and(|options| !options.is_empty()) {
            names.insert(ATTR_DOCKER_API_1_19);
        }
        if log.log_driver == LogDriver::Awslogs && execution_role {
            names.insert(ATTR_EXECUTION_ROLE_AWSLOGS);
        }
        for secret in log.secret_options.as_deref().unwrap_or_default() {
            names.insert(if is_secrets_manager(secret) {
                ATTR_SECRETS_ASM_LOG_DRIVER
            } else {
                ATTR_SECRETS_SSM_LOG_DRIVER
            });
        }
    }
    if container.image.as_deref().is_some_and(is_ecr_image) {
        names.insert(ATTR_ECR_AUTH);
        if execution_role {
            names.insert(ATTR_EXECUTION_ROLE_ECR_PULL);
        }
    }
    if container.repository_credentials.is_some() {
        names.insert(ATTR_PRIVATE_REGISTRY_AUTH);
    }
    for secret in container.secrets.as_deref().unwrap_or_default() {
        names.insert(if is_secrets_manager(secret) {
            ATTR_SECRETS_ASM_ENV
        } else {
            ATTR_SECRETS_SSM_ENV
        });
    }
    if has_items(&container.environment_files) {
        names.insert(ATTR_ENV_FILES_S3);
    }
    if let Some(firelens) = &container.firelens_configuration {
        names.insert(match firelens.r#type {
            FirelensConfigurationType::Fluentbit => ATTR_FIRELENS_FLUENTBIT,
            FirelensConfigurationType::Fluentd => ATTR_FIRELENS_FLUENTD,
        });
    }
}

pub(super) fn is_secrets_manager(secret: &Secret) -> bool {
    secret.value_from.contains(":secretsmanager:")
}

pub(super) fn logging_driver_attribute(driver: LogDriver) -> &'static str {
    match driver {
        LogDriver::JsonFile => "com.amazonaws.ecs.capability.logging-driver.json-file",
        LogDriver::Syslog => "com.amazonaws.ecs.capability.logging-driver.syslog",
        LogDriver::Journald => "com.amazonaws.ecs.capability.logging-driver.journald",
        LogDriver::Gelf => "com.amazonaws.ecs.capability.logging-driver.gelf",
        LogDriver::Fluentd => "com.amazonaws.ecs.capability.logging-driver.fluentd",
        LogDriver::Awslogs => "com.amazonaws.ecs.capability.logging-driver.awslogs",
        LogDriver::Splunk => "com.amazonaws.ecs.capability.logging-driver.splunk",
        LogDriver::Awsfirelens => "com.amazonaws.ecs.capability.logging-driver.awsfirelens",
    }
}
