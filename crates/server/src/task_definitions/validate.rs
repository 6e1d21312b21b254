//! Task definition registration rules: ECS's semantic validation of RegisterTaskDefinition and
//! the defaults ECS fills in, so that DescribeTaskDefinition answers what ECS would answer.
//!
//! The request has already been checked against the model (types, enums, required members,
//! model ranges), so only ECS's own rules live here. Semantic problems are `ClientException`,
//! which is what ECS returns for them; `InvalidParameterException` is kept for values that
//! cannot be read at all (a task `cpu` of "two cores", a port range that is not `start-end`)
//! and for the one registration message ECS is known to send with that code. Messages reuse
//! ECS's wording where it is known; container-scoped ones open with ECS's own
//! "Invalid setting for container 'NAME'." (or "Invalid 'MEMBER' setting for container
//! 'NAME'.") so the container and member are always named.
//!
//! Checks run in a fixed order and the first failure is returned, as ECS does.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::ops::RangeInclusive;

use api::{
    ApiError, Attribute, Compatibility, ContainerCondition, ContainerDefinition,
    EFSAuthorizationConfigIAM, EFSTransitEncryption, EFSVolumeConfiguration,
    FirelensConfigurationType, HealthCheck, LogConfiguration, LogDriver, NetworkMode, OSFamily,
    PidMode, RegisterTaskDefinitionRequest, ResourceType, Secret, TaskDefinition,
    TransportProtocol,
};

use crate::config::Quotas;

/// Longest family, container or volume name ECS accepts.
const MAX_NAME_LEN: usize = 255;
/// Task-level CPU units an EC2 or EXTERNAL task may ask for.
const TASK_CPU_UNITS: RangeInclusive<i64> = 128..=196_608;
/// Docker 20.10 and later refuse a memory limit under 6 MiB.
const MIN_CONTAINER_MEMORY_MIB: i32 = 6;
/// Seconds Fargate waits at most between SIGTERM and SIGKILL.
const FARGATE_MAX_STOP_TIMEOUT: i32 = 120;
/// The only Linux capability Fargate lets a container add.
const FARGATE_ADDABLE_CAPABILITY: &str = "SYS_PTRACE";
const EPHEMERAL_STORAGE_GIB: RangeInclusive<i32> = 21..=200;
const MAX_CONSTRAINT_EXPRESSION_LEN: usize = 2000;
const PORTS: RangeInclusive<i32> = 1..=65_535;
const HOST_PORTS: RangeInclusive<i32> = 0..=65_535;
const MAX_PORT_RANGES_PER_CONTAINER: usize = 100;

/// Health check limits and the defaults ECS stores when a member is left out. `startPeriod`
/// has no default: ECS leaves it out, which means no grace period.
const HEALTH_CHECK_INTERVAL: RangeInclusive<i32> = 5..=300;
const HEALTH_CHECK_TIMEOUT: RangeInclusive<i32> = 2..=60;
const HEALTH_CHECK_RETRIES: RangeInclusive<i32> = 1..=10;
const HEALTH_CHECK_START_PERIOD: RangeInclusive<i32> = 0..=300;
const HEALTH_CHECK_DEFAULT_INTERVAL: i32 = 30;
const HEALTH_CHECK_DEFAULT_TIMEOUT: i32 = 5;
const HEALTH_CHECK_DEFAULT_RETRIES: i32 = 3;

const ATTR_APPMESH: &str = "ecs.capability.aws-appmesh";
const ATTR_CONTAINER_HEALTH_CHECK: &str = "ecs.capability.container-health-check";
const ATTR_CONTAINER_ORDERING: &str = "ecs.capability.container-ordering";
const ATTR_DOCKER_API_1_18: &str = "com.amazonaws.ecs.capability.docker-remote-api.1.18";
const ATTR_DOCKER_API_1_19: &str = "com.amazonaws.ecs.capability.docker-remote-api.1.19";
const ATTR_DOCKER_API_1_21: &str = "com.amazonaws.ecs.capability.docker-remote-api.1.21";
const ATTR_DOCKER_API_1_24: &str = "com.amazonaws.ecs.capability.docker-remote-api.1.24";
const ATTR_DOCKER_API_1_25: &str = "com.amazonaws.ecs.capability.docker-remote-api.1.25";
const ATTR_ECR_AUTH: &str = "com.amazonaws.ecs.capability.ecr-auth";
const ATTR_EFS: &str = "ecs.capability.efs";
const ATTR_EFS_AUTH: &str = "ecs.capability.efsAuth";
const ATTR_ENV_FILES_S3: &str = "ecs.capability.env-files.s3";
const ATTR_EXECUTION_ROLE_AWSLOGS: &str = "ecs.capability.execution-role-awslogs";
const ATTR_EXECUTION_ROLE_ECR_PULL: &str = "ecs.capability.execution-role-ecr-pull";
const ATTR_FIRELENS_FLUENTBIT: &str = "ecs.capability.firelens.fluentbit";
const ATTR_FIRELENS_FLUENTD: &str = "ecs.capability.firelens.fluentd";
const ATTR_PID_IPC_NAMESPACE_SHARING: &str = "ecs.capability.pid-ipc-namespace-sharing";
const ATTR_PRIVATE_REGISTRY_AUTH: &str =
    "com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager";
const ATTR_PRIVILEGED_CONTAINER: &str = "com.amazonaws.ecs.capability.privileged-container";
const ATTR_SECRETS_ASM_ENV: &str = "ecs.capability.secrets.asm.environment-variables";
const ATTR_SECRETS_ASM_LOG_DRIVER: &str = "ecs.capability.secrets.asm.bootstrap.log-driver";
const ATTR_SECRETS_SSM_ENV: &str = "ecs.capability.secrets.ssm.environment-variables";
const ATTR_SECRETS_SSM_LOG_DRIVER: &str = "ecs.capability.secrets.ssm.bootstrap.log-driver";
const ATTR_TASK_ENI: &str = "ecs.capability.task-eni";
const ATTR_TASK_IAM_ROLE: &str = "com.amazonaws.ecs.capability.task-iam-role";
const ATTR_TASK_IAM_ROLE_NETWORK_HOST: &str =
    "com.amazonaws.ecs.capability.task-iam-role-network-host";

/// Every attribute name [`check_registration`] can put in `requiresAttributes`, sorted. The
/// node agent registers all of them, so a task is never unplaceable for want of one.
#[allow(dead_code, reason = "the node agent's registration is not wired in yet")]
pub(crate) const CAPABILITY_ATTRIBUTES: &[&str] = &[
    "com.amazonaws.ecs.capability.docker-remote-api.1.18",
    "com.amazonaws.ecs.capability.docker-remote-api.1.19",
    "com.amazonaws.ecs.capability.docker-remote-api.1.21",
    "com.amazonaws.ecs.capability.docker-remote-api.1.24",
    "com.amazonaws.ecs.capability.docker-remote-api.1.25",
    "com.amazonaws.ecs.capability.ecr-auth",
    "com.amazonaws.ecs.capability.logging-driver.awsfirelens",
    "com.amazonaws.ecs.capability.logging-driver.awslogs",
    "com.amazonaws.ecs.capability.logging-driver.fluentd",
    "com.amazonaws.ecs.capability.logging-driver.gelf",
    "com.amazonaws.ecs.capability.logging-driver.journald",
    "com.amazonaws.ecs.capability.logging-driver.json-file",
    "com.amazonaws.ecs.capability.logging-driver.splunk",
    "com.amazonaws.ecs.capability.logging-driver.syslog",
    "com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager",
    "com.amazonaws.ecs.capability.privileged-container",
    "com.amazonaws.ecs.capability.task-iam-role",
    "com.amazonaws.ecs.capability.task-iam-role-network-host",
    "ecs.capability.aws-appmesh",
    "ecs.capability.container-health-check",
    "ecs.capability.container-ordering",
    "ecs.capability.efs",
    "ecs.capability.efsAuth",
    "ecs.capability.env-files.s3",
    "ecs.capability.execution-role-awslogs",
    "ecs.capability.execution-role-ecr-pull",
    "ecs.capability.firelens.fluentbit",
    "ecs.capability.firelens.fluentd",
    "ecs.capability.pid-ipc-namespace-sharing",
    "ecs.capability.secrets.asm.bootstrap.log-driver",
    "ecs.capability.secrets.asm.environment-variables",
    "ecs.capability.secrets.ssm.bootstrap.log-driver",
    "ecs.capability.secrets.ssm.environment-variables",
    "ecs.capability.task-eni",
];

/// Checks a registration against ECS's rules and returns the task definition to store:
/// every request member except `tags`, ECS's defaults filled in, and `compatibilities` and
/// `requiresAttributes` computed. The caller sets `taskDefinitionArn`, `revision`, `status`,
/// `registeredAt` and `registeredBy`.
///
/// Defaults filled in, as ECS returns them from DescribeTaskDefinition:
/// - containers: `essential` true, `cpu` 0, `portMappings`, `environment`, `mountPoints` and
///   `volumesFrom` empty lists; port mappings: `protocol` tcp, and in `awsvpc` and `host` modes
///   `hostPort` equal to `containerPort`; health checks: `interval` 30, `timeout` 5 and
///   `retries` 3 (`startPeriod` stays absent). ECS stores these three health check defaults:
///   Terraform users see a perpetual diff on exactly `interval = 30`, `retries = 3`,
///   `timeout = 5` when they leave them out.
/// - task: `volumes` and `placementConstraints` empty lists; `cpu` and `memory` normalized to
///   CPU units and MiB ("1 vCPU" is stored as "1024", "1 GB" as "1024").
///
/// `compatibilities` always holds EC2, which supports every network mode and feature; FARGATE
/// when the definition passes every Fargate rule (whether or not it asked for Fargate);
/// EXTERNAL unless the network mode is `awsvpc`, which ECS Anywhere does not support; and
/// MANAGED_INSTANCES only when `requiresCompatibilities` names it, since Berth does not check
/// that launch type's rules. They are listed in that order.
pub(crate) fn check_registration(
    req: &RegisterTaskDefinitionRequest,
    quotas: &Quotas,
) -> Result<TaskDefinition, ApiError> {
    check_family(&req.family)?;
    check_container_list(req, quotas)?;
    let task_cpu = req.cpu.as_deref().map(parse_task_cpu).transpose()?;
    let task_memory = req.memory.as_deref().map(parse_task_memory).transpose()?;
    let ctx = Ctx {
        req,
        network_mode: req.network_mode.unwrap_or(NetworkMode::Bridge),
        task_cpu,
        task_memory,
    };
    if ctx.requires(Compatibility::Fargate) {
        check_fargate(&ctx)?;
    } else {
        check_task_size(&ctx)?;
    }
    check_external(&ctx)?;
    check_volumes(&ctx)?;
    for container in ctx.containers() {
        check_container(&ctx, container)?;
    }
    check_container_resources(&ctx)?;
    check_host_port_conflicts(&ctx)?;
    check_essential(&ctx)?;
    check_dependency_cycles(&ctx)?;
    check_placement_constraints(&ctx, quotas)?;
    check_task_settings(&ctx)?;

    let mut definition = stored_definition(&ctx);
    check_size(&definition, quotas)?;
    definition.compatibilities = Some(compatibilities(&ctx));
    definition.requires_attributes = Some(required_attributes(&ctx));
    Ok(definition)
}

/// The memory placement deducts for a container: its soft limit when set, else its hard limit.
#[allow(dead_code, reason = "placement is not wired in yet")]
pub(crate) fn placement_memory(container: &ContainerDefinition) -> Option<i32> {
    container.memory_reservation.or(container.memory)
}

/// What placing a task of this definition deducts from an instance, as (CPU units, MiB): the
/// task-level value when set, otherwise the sum over the containers (of `cpu`, and of
/// [`placement_memory`]). Each of the two falls back on its own.
#[allow(dead_code, reason = "placement is not wired in yet")]
pub(crate) fn task_requirements(td: &TaskDefinition) -> (i64, i64) {
    let containers = td.container_definitions.as_deref().unwrap_or_default();
    let cpu =
        td.cpu.as_deref().and_then(|value| parse_units(value, "vcpu")).unwrap_or_else(|| {
            containers.iter().map(|c| i64::from(c.cpu.unwrap_or(0).max(0))).sum()
        });
    let memory =
        td.memory.as_deref().and_then(|value| parse_units(value, "gb")).unwrap_or_else(|| {
            containers.iter().filter_map(placement_memory).map(|m| i64::from(m.max(0))).sum()
        });
    (cpu, memory)
}

/// The request and the task-level facts every rule needs.
struct Ctx<'a> {
    req: &'a RegisterTaskDefinitionRequest,
    /// `bridge` when the request leaves it out, as in ECS.
    network_mode: NetworkMode,
    /// Task-level CPU units and MiB, parsed from the request's strings.
    task_cpu: Option<i64>,
    task_memory: Option<i64>,
}

impl<'a> Ctx<'a> {
    fn containers(&self) -> &'a [ContainerDefinition] {
        &self.req.container_definitions
    }

    fn container(&self, name: &str) -> Option<&'a ContainerDefinition> {
        self.containers().iter().find(|c| c.name.as_deref() == Some(name))
    }

    fn requires(&self, compatibility: Compatibility) -> bool {
        self.req.requires_compatibilities.as_deref().unwrap_or_default().contains(&compatibility)
    }

    fn has_volume(&self, name: &str) -> bool {
        let volumes = self.req.volumes.as_deref().unwrap_or_default();
        volumes.iter().any(|v| v.name.as_deref() == Some(name))
    }

    fn has_execution_role(&self) -> bool {
        self.req.execution_role_arn.as_deref().is_some_and(|arn| !arn.is_empty())
    }

    fn is_windows(&self) -> bool {
        let platform = self.req.runtime_platform.as_ref();
        platform
            .and_then(|p| p.operating_system_family)
            .is_some_and(|family| family != OSFamily::Linux)
    }
}

/// A container's name. Only called after [`check_container_list`] made every name valid.
fn name_of(container: &ContainerDefinition) -> &str {
    container.name.as_deref().unwrap_or_default()
}

fn is_essential(container: &ContainerDefinition) -> bool {
    container.essential.unwrap_or(true)
}

fn has_items<T>(list: &Option<Vec<T>>) -> bool {
    list.as_ref().is_some_and(|items| !items.is_empty())
}

fn is_valid_name(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A Linux path from the root, or a Windows path from a drive (`C:\data`, `C:/data`).
fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && matches!(bytes[2], b'\\' | b'/'))
}

/// An image hosted in Amazon ECR (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag`).
fn is_ecr_image(image: &str) -> bool {
    let registry = image.split('/').next().unwrap_or_default();
    image.contains('/') && registry.contains(".dkr.ecr.") && registry.contains(".amazonaws.com")
}

fn container_error(container: &str, detail: impl Display) -> ApiError {
    ApiError::client(format!("Invalid setting for container '{container}'. {detail}"))
}

/// "Invalid 'MEMBER' setting for container 'NAME'." followed by `detail` when there is one.
fn member_error(member: &str, container: &str, detail: impl Display) -> ApiError {
    let detail = detail.to_string();
    let separator = if detail.is_empty() { "" } else { " " };
    ApiError::client(format!(
        "Invalid '{member}' setting for container '{container}'.{separator}{detail}"
    ))
}

fn volume_error(volume: &str, detail: impl Display) -> ApiError {
    ApiError::client(format!("Invalid setting for volume '{volume}'. {detail}"))
}

fn check_family(family: &str) -> Result<(), ApiError> {
    if family.is_empty() {
        return Err(ApiError::client("Family should not be null or empty."));
    }
    if family.len() > MAX_NAME_LEN {
        return Err(ApiError::client(format!(
            "Family is too long. Up to {MAX_NAME_LEN} letters (uppercase and lowercase), \
             numbers, hyphens, and underscores are allowed."
        )));
    }
    if !is_valid_name(family) {
        return Err(ApiError::client("Family contains invalid characters."));
    }
    Ok(())
}

/// The container count, and each container's name (present, valid, unique) and image. Later
/// rules rely on every container having a valid, unique name.
fn check_container_list(
    req: &RegisterTaskDefinitionRequest,
    quotas: &Quotas,
) -> Result<(), ApiError> {
    let containers = &req.container_definitions;
    if containers.is_empty() {
        return Err(ApiError::client("Container list cannot be empty."));
    }
    if containers.len() > quotas.containers_per_task_definition {
        return Err(ApiError::client(format!(
            "Too many containers. Max allowed is '{}'.",
            quotas.containers_per_task_definition
        )));
    }
    let mut seen = BTreeSet::new();
    for container in containers {
        let name = match container.name.as_deref() {
            None | Some("") => {
                return Err(ApiError::client("Container.name should not be null or empty."));
            }
            Some(name) => name,
        };
        if name.len() > MAX_NAME_LEN {
            return Err(container_error(
                name,
                format!("Container.name must be at most {MAX_NAME_LEN} characters long."),
            ));
        }
        if !is_valid_name(name) {
            return Err(container_error(name, "Container.name contains invalid characters."));
        }
        if !seen.insert(name) {
            return Err(container_error(
                name,
                "Container names must be unique within a Task Definition.",
            ));
        }
        if container.image.as_deref().is_none_or(|image| image.trim().is_empty()) {
            return Err(container_error(name, "Container.image should not be null or empty."));
        }
    }
    Ok(())
}

/// Task `cpu`: CPU units ("1024") or vCPUs ("1 vCPU", "0.5 vcpu", "1vCPU").
fn parse_task_cpu(value: &str) -> Result<i64, ApiError> {
    parse_units(value, "vcpu").ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "Invalid 'cpu' setting for task. '{value}' is neither a number of CPU units \
             (\"1024\") nor of vCPUs (\"1 vCPU\")."
        ))
    })
}

/// Task `memory`: MiB ("2048") or GB ("2 GB", "0.5GB"), where 1 GB is 1024 MiB as in ECS.
fn parse_task_memory(value: &str) -> Result<i64, ApiError> {
    parse_units(value, "gb").ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "Invalid 'memory' setting for task. '{value}' is neither a number of MiB \
             (\"2048\") nor of GB (\"2 GB\")."
        ))
    })
}

/// Reads a plain integer as is, or a decimal followed by `unit` (matched case-insensitively,
/// with or without a space) as that many 1024ths. A value that is not a whole number of the
/// base unit ("0.3 vCPU") does not parse.
fn parse_units(value: &str, unit: &str) -> Option<i64> {
    let text = value.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let lower = text.to_ascii_lowercase();
    let number = lower.strip_suffix(unit)?.trim_end();
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !all_digits(whole)
        || !all_digits(fraction)
        || whole.len() > 9
        || fraction.len() > 9
    {
        return None;
    }
    let scale = 10_i64.pow(u32::try_from(fraction.len()).ok()?);
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: i64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    let scaled = (whole * scale + fraction) * 1024;
    (scaled % scale == 0).then_some(scaled / scale)
}

/// Task-level sizes for tasks that do not require Fargate (whose table covers them instead).
fn check_task_size(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if let Some(cpu) = ctx.task_cpu
        && !TASK_CPU_UNITS.contains(&cpu)
    {
        return Err(ApiError::client(format!(
            "Invalid 'cpu' setting for task. The task cpu must be between {} and {} CPU units, \
             not {cpu}.",
            TASK_CPU_UNITS.start(),
            TASK_CPU_UNITS.end()
        )));
    }
    if let Some(memory) = ctx.task_memory
        && memory <= 0
    {
        return Err(ApiError::client(
            "Invalid 'memory' setting for task. The task memory must be a positive number of MiB.",
        ));
    }
    Ok(())
}

/// Whether Fargate offers `cpu` units with `memory` MiB (the table in the ECS developer guide;
/// the 8 and 16 vCPU rows need Linux, Windows needs at least 1 vCPU).
fn fargate_supports(cpu: i64, memory: i64, windows: bool) -> bool {
    const GIB: i64 = 1024;
    let steps =
        |min: i64, max: i64, step: i64| (min..=max).contains(&memory) && (memory - min) % step == 0;
    match cpu {
        256 => !windows && matches!(memory, 512 | 1024 | 2048),
        512 => !windows && steps(GIB, 4 * GIB, GIB),
        1024 => steps(2 * GIB, 8 * GIB, GIB),
        2048 => steps(4 * GIB, 16 * GIB, GIB),
        4096 => steps(8 * GIB, 30 * GIB, GIB),
        8192 => !windows && steps(16 * GIB, 60 * GIB, 4 * GIB),
        16384 => !windows && steps(32 * GIB, 120 * GIB, 8 * GIB),
        _ => false,
    }
}

/// Every Fargate rule. Enforced when `requiresCompatibilities` names FARGATE, and used to
/// decide whether FARGATE is among the computed `compatibilities` otherwise.
fn check_fargate(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let req = ctx.req;
    if ctx.network_mode != NetworkMode::Awsvpc {
        return Err(ApiError::client("Fargate only supports network mode 'awsvpc'."));
    }
    let Some(cpu) = ctx.task_cpu else {
        return Err(ApiError::client("Fargate requires that 'cpu' be defined at the task level."));
    };
    let Some(memory) = ctx.task_memory else {
        return Err(ApiError::client(
            "Fargate requires that 'memory' be defined at the task level.",
        ));
    };
    if !fargate_supports(cpu, memory, ctx.is_windows()) {
        return Err(ApiError::client(format!(
            "No Fargate configuration exists for given values: {cpu} CPU, {memory} memory."
        )));
    }
    if req.ipc_mode.is_some() {
        return Err(ApiError::client(
            "Tasks using the Fargate launch type do not support ipcMode.",
        ));
    }
    if req.pid_mode == Some(PidMode::Host) {
        return Err(ApiError::client(
            "Tasks using the Fargate launch type do not support pidMode 'host'.",
        ));
    }
    if has_items(&req.placement_constraints) {
        return Err(ApiError::client(
            "Tasks using the Fargate launch type do not support placementConstraints.",
        ));
    }
    for volume in req.volumes.as_deref().unwrap_or_default() {
        let name = volume.name.as_deref().unwrap_or_default();
        if volume.host.as_ref().is_some_and(|host| host.source_path.is_some()) {
            return Err(ApiError::client(format!(
                "Fargate compatible task definitions do not support sourcePath (volume '{name}')."
            )));
        }
        if volume.docker_volume_configuration.is_some() {
            return Err(ApiError::client(format!(
                "Fargate compatible task definitions do not support dockerVolumeConfiguration \
                 (volume '{name}')."
            )));
        }
    }
    for container in ctx.containers() {
        let name = name_of(container);
        if let Some(member) = fargate_unsupported_member(container) {
            return Err(container_error(
                name,
                format!("Tasks using the Fargate launch type do not support '{member}'."),
            ));
        }
        if container.stop_timeout.is_some_and(|t| t > FARGATE_MAX_STOP_TIMEOUT) {
            return Err(member_error(
                "stopTimeout",
                name,
                format!("Fargate allows at most {FARGATE_MAX_STOP_TIMEOUT} seconds."),
            ));
        }
        if let Some(log) = &container.log_configuration {
            if !matches!(
                log.log_driver,
                LogDriver::Awslogs | LogDriver::Splunk | LogDriver::Awsfirelens
            ) {
                return Err(container_error(
                    name,
                    format!(
                        "Tasks using the Fargate launch type do not support log driver '{}'.",
                        log.log_driver.as_str()
                    ),
                ));
            }
            if log.log_driver == LogDriver::Awslogs && !ctx.has_execution_role() {
                return Err(ApiError::client(
                    "Fargate requires task definition to have execution role ARN to support log \
                     driver awslogs.",
                ));
            }
        }
        if container.image.as_deref().is_some_and(is_ecr_image) && !ctx.has_execution_role() {
            return Err(ApiError::client(
                "Fargate requires task definition to have execution role ARN to support ECR \
                 images.",
            ));
        }
    }
    Ok(())
}

/// The first container parameter, in the order below, that Fargate does not support.
fn fargate_unsupported_member(container: &ContainerDefinition) -> Option<&'static str> {
    if container.privileged == Some(true) {
        return Some("privileged");
    }
    if container.disable_networking == Some(true) {
        return Some("disableNetworking");
    }
    let lists = [
        ("links", has_items(&container.links)),
        ("dnsServers", has_items(&container.dns_servers)),
        ("dnsSearchDomains", has_items(&container.dns_search_domains)),
        ("extraHosts", has_items(&container.extra_hosts)),
        ("dockerSecurityOptions", has_items(&container.docker_security_options)),
        ("systemControls", has_items(&container.system_controls)),
    ];
    if let Some((member, _)) = lists.into_iter().find(|(_, used)| *used) {
        return Some(member);
    }
    let requirements = container.resource_requirements.as_deref().unwrap_or_default();
    if requirements.iter().any(|r| r.r#type == ResourceType::Gpu) {
        return Some("resourceRequirements GPU");
    }
    let linux = container.linux_parameters.as_ref()?;
    let adds = linux.capabilities.as_ref().and_then(|c| c.add.as_deref()).unwrap_or_default();
    let checks = [
        ("linuxParameters.devices", has_items(&linux.devices)),
        ("linuxParameters.sharedMemorySize", linux.shared_memory_size.is_some()),
        ("linuxParameters.tmpfs", has_items(&linux.tmpfs)),
        ("linuxParameters.maxSwap", linux.max_swap.is_some()),
        ("linuxParameters.swappiness", linux.swappiness.is_some()),
        (
            "linuxParameters.capabilities.add",
            adds.iter().any(|cap| cap != FARGATE_ADDABLE_CAPABILITY),
        ),
    ];
    checks.into_iter().find(|(_, used)| *used).map(|(member, _)| member)
}

/// ECS Anywhere (EXTERNAL) instances have no ENI to give an `awsvpc` task.
fn check_external(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.requires(Compatibility::External) && ctx.network_mode == NetworkMode::Awsvpc {
        return Err(ApiError::client(
            "Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'.",
        ));
    }
    Ok(())
}

fn check_volumes(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let mut seen = BTreeSet::new();
    for volume in ctx.req.volumes.as_deref().unwrap_or_default() {
        let name = match volume.name.as_deref() {
            None | Some("") => {
                return Err(ApiError::client("Volume.name should not be null or empty."));
            }
            Some(name) => name,
        };
        if name.len() > MAX_NAME_LEN {
            return Err(volume_error(
                name,
                format!("Volume.name must be at most {MAX_NAME_LEN} characters long."),
            ));
        }
        if !is_valid_name(name) {
            return Err(volume_error(name, "Volume.name contains invalid characters."));
        }
        if !seen.insert(name) {
            return Err(volume_error(
                name,
                "Volume names must be unique within a Task Definition.",
            ));
        }
        if let Some(path) = volume.host.as_ref().and_then(|host| host.source_path.as_deref()) {
            if path.trim().is_empty() {
                return Err(volume_error(name, "host.sourcePath should not be blank."));
            }
            if !is_absolute_path(path) {
                return Err(volume_error(
                    name,
                    format!("host.sourcePath '{path}' must be an absolute path."),
                ));
            }
        }
        if let Some(efs) = &volume.efs_volume_configuration {
            check_efs_volume(name, efs)?;
        }
    }
    Ok(())
}

/// The EFS rules of the ECS API reference (EFSAuthorizationConfig): an access point needs
/// transit encryption and the file system root, and IAM authorization needs transit encryption.
fn check_efs_volume(name: &str, efs: &EFSVolumeConfiguration) -> Result<(), ApiError> {
    let transit_encryption = efs.transit_encryption == Some(EFSTransitEncryption::Enabled);
    let Some(auth) = &efs.authorization_config else {
        return Ok(());
    };
    if auth.access_point_id.as_deref().is_some_and(|id| !id.is_empty()) {
        if !transit_encryption {
            return Err(volume_error(
                name,
                "Transit encryption must be enabled when an EFS access point is used.",
            ));
        }
        if efs.root_directory.as_deref().is_some_and(|dir| dir != "/") {
            return Err(volume_error(
                name,
                "The rootDirectory must be omitted or '/' when an EFS access point is used.",
            ));
        }
    }
    if auth.iam == Some(EFSAuthorizationConfigIAM::Enabled) && !transit_encryption {
        return Err(volume_error(
            name,
            "Transit encryption must be enabled when EFS IAM authorization is used.",
        ));
    }
    Ok(())
}

/// The rules that concern one container on its own (or its references to others).
fn check_container(ctx: &Ctx<'_>, container: &ContainerDefinition) -> Result<(), ApiError> {
    let name = name_of(container);
    check_port_mappings(ctx, name, container)?;
    if let Some(health_check) = &container.health_check {
        check_health_check(name, health_check)?;
    }
    check_links(ctx, name, container)?;
    check_volumes_from(ctx, name, container)?;
    check_mount_points(ctx, name, container)?;
    check_dependencies(ctx, name, container)?;
    for (member, value) in
        [("startTimeout", container.start_timeout), ("stopTimeout", container.stop_timeout)]
    {
        if value.is_some_and(|seconds| seconds < 0) {
            return Err(member_error(member, name, "It must not be negative."));
        }
    }
    check_environment(ctx, name, container)?;
    check_ulimits(name, container)?;
    if let Some(log) = &container.log_configuration {
        check_log_configuration(ctx, name, log)?;
    }
    Ok(())
}

fn check_port_mappings(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
    let mappings = container.port_mappings.as_deref().unwrap_or_default();
    if mappings.is_empty() {
        return Ok(());
    }
    if ctx.network_mode == NetworkMode::None {
        return Err(container_error(
            name,
            "Port mappings are not supported when networkMode=none.",
        ));
    }
    // The container ports each mapping claims, as (first, last, is a range).
    let mut claimed: Vec<(i32, i32, bool)> = Vec::with_capacity(mappings.len());
    for mapping in mappings {
        if let Some(range) = &mapping.container_port_range {
            if !matches!(ctx.network_mode, NetworkMode::Bridge | NetworkMode::Awsvpc) {
                return Err(member_error(
                    "containerPortRange",
                    name,
                    "Port ranges are only supported when networkMode is bridge or awsvpc.",
                ));
            }
            if mapping.container_port.is_some() {
                return Err(member_error(
                    "containerPortRange",
                    name,
                    "A port mapping sets either 'containerPort' or 'containerPortRange', not both.",
                ));
            }
            if mapping.host_port.is_some() {
                return Err(member_error(
                    "containerPortRange",
                    name,
                    "A port mapping with a port range cannot set 'hostPort'.",
                ));
            }
            let Some((first, last)) = parse_port_range(range) else {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid 'containerPortRange' setting for container '{name}'. '{range}' is \
                     not a range 'first-last' with 1 <= first < last <= 65535."
                )));
            };
            claimed.push((first, last, true));
            if claimed.iter().filter(|(_, _, is_range)| *is_range).count()
                > MAX_PORT_RANGES_PER_CONTAINER
            {
                return Err(member_error(
                    "containerPortRange",
                    name,
                    format!(
                        "At most {MAX_PORT_RANGES_PER_CONTAINER} port ranges are allowed per container."
                    ),
                ));
            }
            continue;
        }
        let Some(container_port) = mapping.container_port.filter(|port| PORTS.contains(port))
        else {
            return Err(member_error("containerPort", name, ""));
        };
        if let Some(host_port) = mapping.host_port {
            if !HOST_PORTS.contains(&host_port) {
                return Err(member_error("hostPort", name, ""));
            }
            if matches!(ctx.network_mode, NetworkMode::Awsvpc | NetworkMode::Host)
                && host_port != container_port
            {
                return Err(container_error(
                    name,
                    format!(
                        "When networkMode={}, the host ports and container ports in port \
                         mappings must match.",
                        ctx.network_mode.as_str()
                    ),
                ));
            }
        }
        claimed.push((container_port, container_port, false));
    }
    // ECS: a port can only be in one port mapping per container, whatever the protocol.
    for (i, &(first, last, is_range)) in claimed.iter().enumerate() {
        for &(other_first, other_last, other_is_range) in &claimed[..i] {
            if first <= other_last && other_first <= last {
                if !is_range && !other_is_range {
                    return Err(ApiError::invalid_parameter(format!(
                        "Container port {first} is used in more than one port mapping for \
                         container {name}"
                    )));
                }
                return Err(member_error(
                    "containerPortRange",
                    name,
                    "A port can only be included in one port mapping per container.",
                ));
            }
        }
    }
    Ok(())
}

/// "8000-8010": both ends within 1..=65535 and the first below the last.
fn parse_port_range(range: &str) -> Option<(i32, i32)> {
    let (first, last) = range.trim().split_once('-')?;
    let first: i32 = first.trim().parse().ok()?;
    let last: i32 = last.trim().parse().ok()?;
    (PORTS.contains(&first) && PORTS.contains(&last) && first < last).then_some((first, last))
}

fn check_health_check(name: &str, health_check: &HealthCheck) -> Result<(), ApiError> {
    match health_check.command.first().map(String::as_str) {
        None => {
            return Err(member_error(
                "healthCheck",
                name,
                "The command should not be null or empty.",
            ));
        }
        // ECS documents only these two forms; Docker's ["NONE"] would disable the check.
        Some("CMD" | "CMD-SHELL") => {}
        Some(_) => {
            return Err(member_error(
                "healthCheck",
                name,
                "The command must start with CMD or CMD-SHELL.",
            ));
        }
    }
    let limits = [
        ("interval", health_check.interval, HEALTH_CHECK_INTERVAL),
        ("timeout", health_check.timeout, HEALTH_CHECK_TIMEOUT),
        ("retries", health_check.retries, HEALTH_CHECK_RETRIES),
        ("startPeriod", health_check.start_period, HEALTH_CHECK_START_PERIOD),
    ];
    for (member, value, range) in limits {
        let Some(value) = value else { continue };
        if value < *range.start() {
            return Err(ApiError::client(format!(
                "Health check {member} must be greater than or equal to the minimum allowed \
                 value {} for container '{name}'",
                range.start()
            )));
        }
        if value > *range.end() {
            return Err(ApiError::client(format!(
                "Health check {member} must be less than or equal to the maximum allowed value \
                 {} for container '{name}'",
                range.end()
            )));
        }
    }
    Ok(())
}

/// Docker links exist only on the default bridge network, and must name a container of the task.
fn check_links(ctx: &Ctx<'_>, name: &str, container: &ContainerDefinition) -> Result<(), ApiError> {
    let links = container.links.as_deref().unwrap_or_default();
    if links.is_empty() {
        return Ok(());
    }
    if ctx.network_mode != NetworkMode::Bridge {
        return Err(container_error(
            name,
            format!("Links are not supported when networkMode={}.", ctx.network_mode.as_str()),
        ));
    }
    for link in links {
        // A link is "container" or "container:alias".
        let target = link.split_once(':').map_or(link.as_str(), |(target, _)| target);
        if target == name || ctx.container(target).is_none() {
            return Err(member_error(
                "links",
                name,
                format!("Link target '{target}' is not another container of the task definition."),
            ));
        }
    }
    Ok(())
}

fn check_volumes_from(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
    for volume_from in container.volumes_from.as_deref().unwrap_or_default() {
        let source = match volume_from.source_container.as_deref() {
            None | Some("") => {
                return Err(member_error(
                    "volumesFrom",
                    name,
                    "sourceContainer should not be null or empty.",
                ));
            }
            Some(source) => source,
        };
        if source == name {
            return Err(member_error(
                "volumesFrom",
                name,
                "A container cannot mount volumes from itself.",
            ));
        }
        if ctx.container(source).is_none() {
            return Err(member_error(
                "volumesFrom",
                name,
                format!("Source container '{source}' does not exist."),
            ));
        }
    }
    Ok(())
}

fn check_mount_points(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
    for mount in container.mount_points.as_deref().unwrap_or_default() {
        // ECS names a missing source volume 'null'.
        let volume = mount.source_volume.as_deref().unwrap_or("null");
        if !ctx.has_volume(volume) {
            return Err(container_error(name, format!("Unknown volume '{volume}'.")));
        }
        let path = match mount.container_path.as_deref() {
            None | Some("") => {
                return Err(member_error(
                    "mountPoints",
                    name,
                    "containerPath should not be null or empty.",
                ));
            }
            Some(path) => path,
        };
        if !is_absolute_path(path) {
            return Err(member_error(
                "mountPoints",
                name,
                format!("containerPath '{path}' must be an absolute path."),
            ));
        }
    }
    Ok(())
}

/// Each dependency names another container of the task, in a state it can reach: an
/// essential container never completes without stopping the task, and HEALTHY needs a health
/// check. Cycles are found afterwards by [`check_dependency_cycles`].
fn check_dependencies(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
    for dependency in container.depends_on.as_deref().unwrap_or_default() {
        let target_name = dependency.container_name.as_str();
        if target_name == name {
            return Err(container_error(name, "A container cannot depend on itself."));
        }
        let Some(target) = ctx.container(target_name) else {
            return Err(container_error(
                name,
                format!("Cannot depend on container '{target_name}' because it does not exist."),
            ));
        };
        match dependency.condition {
            ContainerCondition::Complete | ContainerCondition::Success if is_essential(target) => {
                return Err(container_error(
                    name,
                    format!(
                        "A dependency container with SUCCESS or COMPLETE condition cannot be an \
                         essential container: '{target_name}' is essential."
                    ),
                ));
            }
            ContainerCondition::Healthy if target.health_check.is_none() => {
                return Err(container_error(
                    name,
                    format!(
                        "Dependency container '{target_name}' has no healthCheck, so it cannot \
                         be used with the HEALTHY condition."
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_environment(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
    let variables = container.environment.as_deref().unwrap_or_default();
    if variables.iter().any(|v| v.name.as_deref().is_none_or(str::is_empty)) {
        return Err(member_error(
            "environment",
            name,
            "Environment variable names should not be null or empty.",
        ));
    }
    let secrets = container.secrets.as_deref().unwrap_or_default();
    for secret in secrets {
        check_secret(name, "secrets", secret)?;
    }
    if !secrets.is_empty() && !ctx.has_execution_role() {
        return Err(container_error(
            name,
            "When you are specifying container secrets, you must also specify a value for \
             'executionRoleArn'.",
        ));
    }
    Ok(())
}

fn check_secret(name: &str, member: &str, secret: &Secret) -> Result<(), ApiError> {
    if secret.name.trim().is_empty() {
        return Err(member_error(member, name, "Secret names should not be null or empty."));
    }
    if secret.value_from.trim().is_empty() {
        return Err(member_error(
            member,
            name,
            format!("The valueFrom of secret '{}' should not be null or empty.", secret.name),
        ));
    }
    Ok(())
}

fn check_ulimits(name: &str, container: &ContainerDefinition) -> Result<(), ApiError> {
    let mut seen = BTreeSet::new();
    for ulimit in container.ulimits.as_deref().unwrap_or_default() {
        if !seen.insert(ulimit.name) {
            return Err(member_error(
                "ulimits",
                name,
                format!("The ulimit '{}' is specified more than once.", ulimit.name.as_str()),
            ));
        }
    }
    Ok(())
}

fn check_log_configuration(
    ctx: &Ctx<'_>,
    name: &str,
    log: &LogConfiguration,
) -> Result<(), ApiError> {
    match log.log_driver {
        LogDriver::Awslogs => {
            let options = log.options.as_ref();
            let missing: Vec<&str> = ["awslogs-region", "awslogs-group"]
                .into_iter()
                .filter(|key| options.and_then(|o| o.get(*key)).is_none_or(|v| v.is_empty()))
                .collect();
            if !missing.is_empty() {
                return Err(container_error(
                    name,
                    format!("Log driver awslogs requires options: {}.", missing.join(", ")),
                ));
            }
        }
        LogDriver::Awsfirelens
            if !ctx.containers().iter().any(|c| c.firelens_configuration.is_some()) =>
        {
            return Err(container_error(
                name,
                "Log driver awsfirelens requires a container with a firelensConfiguration in \
                 the task definition.",
            ));
        }
        _ => {}
    }
    for secret in log.secret_options.as_deref().unwrap_or_default() {
        check_secret(name, "logConfiguration.secretOptions", secret)?;
    }
    Ok(())
}

/// Container memory and CPU against each other and against the task-level sizes.
fn check_container_resources(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    for container in ctx.containers() {
        let name = name_of(container);
        if container.cpu.is_some_and(|cpu| cpu < 0) {
            return Err(member_error("cpu", name, "It must not be negative."));
        }
        if container.memory.is_some_and(|memory| memory < MIN_CONTAINER_MEMORY_MIB) {
            return Err(member_error(
                "memory",
                name,
                format!("The minimum is {MIN_CONTAINER_MEMORY_MIB} MiB."),
            ));
        }
        if container.memory_reservation.is_some_and(|reservation| reservation <= 0) {
            return Err(member_error(
                "memoryReservation",
                name,
                "It must be a positive number of MiB.",
            ));
        }
        if let (Some(memory), Some(reservation)) = (container.memory, container.memory_reservation)
            && memory < reservation
        {
            return Err(container_error(
                name,
                "'memory' must be greater than or equal to 'memoryReservation'.",
            ));
        }
        if ctx.task_memory.is_none()
            && container.memory.is_none()
            && container.memory_reservation.is_none()
        {
            return Err(container_error(
                name,
                "At least one of 'memory' or 'memoryReservation' must be specified.",
            ));
        }
        if let (Some(task_memory), Some(memory)) = (ctx.task_memory, container.memory)
            && i64::from(memory) > task_memory
        {
            return Err(ApiError::client(format!(
                "The 'memory' setting for container '{name}' is greater than for the task."
            )));
        }
    }
    let containers = ctx.containers();
    if let Some(task_memory) = ctx.task_memory {
        let reserved: i64 =
            containers.iter().filter_map(|c| c.memory_reservation).map(i64::from).sum();
        if reserved > task_memory {
            return Err(ApiError::client(
                "The sum of all container 'memoryReservation' values cannot be greater than the \
                 value of the task 'memory'.",
            ));
        }
    }
    if let Some(task_cpu) = ctx.task_cpu {
        let cpu: i64 = containers.iter().filter_map(|c| c.cpu).map(i64::from).sum();
        if cpu > task_cpu {
            return Err(ApiError::client(
                "The sum of all container 'cpu' values cannot be greater than the value of the \
                 task 'cpu'.",
            ));
        }
    }
    Ok(())
}

/// No two port mappings of the task may reserve the same host port for the same protocol.
/// Dynamic host ports (bridge mode, `hostPort` 0 or absent) reserve nothing here.
fn check_host_port_conflicts(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let static_mode = matches!(ctx.network_mode, NetworkMode::Awsvpc | NetworkMode::Host);
    let mut seen = BTreeSet::new();
    for container in ctx.containers() {
        for mapping in container.port_mappings.as_deref().unwrap_or_default() {
            if mapping.container_port_range.is_some() {
                continue;
            }
            let host_port =
                mapping.host_port.or(if static_mode { mapping.container_port } else { None });
            let Some(port) = host_port.filter(|port| *port != 0) else {
                continue;
            };
            let protocol = mapping.protocol.unwrap_or(TransportProtocol::Tcp);
            if !seen.insert((protocol, port)) {
                return Err(ApiError::client(format!(
                    "{} host port '{port}' is mapped multiple times in task.",
                    protocol.as_str().to_ascii_uppercase()
                )));
            }
        }
    }
    Ok(())
}

fn check_essential(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.containers().iter().any(is_essential) {
        Ok(())
    } else {
        Err(ApiError::client("At least one essential container is required."))
    }
}

/// Containers whose `dependsOn` chain comes back to them could never start. The first cycle
/// found (containers and dependencies in definition order) is reported.
fn check_dependency_cycles(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    let containers = ctx.containers();
    let index: BTreeMap<&str, usize> =
        containers.iter().enumerate().map(|(i, c)| (name_of(c), i)).collect();
    let edges: Vec<Vec<usize>> = containers
        .iter()
        .map(|c| {
            let dependencies = c.depends_on.as_deref().unwrap_or_default();
            dependencies
                .iter()
                .filter_map(|d| index.get(d.container_name.as_str()).copied())
                .collect()
        })
        .collect();
    let mut state = vec![Visit::New; containers.len()];
    let mut path = Vec::new();
    for start in 0..containers.len() {
        if state[start] != Visit::New {
            continue;
        }
        if let Some(cycle) = find_cycle(start, &edges, &mut state, &mut path) {
            let names: Vec<String> =
                cycle.iter().map(|&i| format!("'{}'", name_of(&containers[i]))).collect();
            return Err(ApiError::client(format!(
                "Invalid setting for container dependencies. The dependsOn settings form a \
                 cycle: {}.",
                names.join(" -> ")
            )));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    OnPath,
    Done,
}

/// Depth-first search from `node`; returns the cycle as a path that ends where it starts.
fn find_cycle(
    node: usize,
    edges: &[Vec<usize>],
    state: &mut [Visit],
    path: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    state[node] = Visit::OnPath;
    path.push(node);
    for &next in &edges[node] {
        match state[next] {
            Visit::OnPath => {
                let from = path.iter().position(|&n| n == next).unwrap_or_default();
                let mut cycle = path[from..].to_vec();
                cycle.push(next);
                return Some(cycle);
            }
            Visit::New => {
                if let Some(cycle) = find_cycle(next, edges, state, path) {
                    return Some(cycle);
                }
            }
            Visit::Done => {}
        }
    }
    path.pop();
    state[node] = Visit::Done;
    None
}

/// Task definition placement constraints are `memberOf` with an expression. The expression's
/// syntax is checked where constraints are evaluated, by the scheduler's cluster query
/// language parser, which reports the position of the error.
fn check_placement_constraints(ctx: &Ctx<'_>, quotas: &Quotas) -> Result<(), ApiError> {
    let constraints = ctx.req.placement_constraints.as_deref().unwrap_or_default();
    if constraints.len() > quotas.placement_constraints {
        return Err(ApiError::client(format!(
            "Too many placement constraints. Max allowed is '{}'.",
            quotas.placement_constraints
        )));
    }
    for constraint in constraints {
        if constraint.r#type.is_none() {
            return Err(ApiError::client(
                "Invalid placement constraint. Task definition placement constraints must be of \
                 type 'memberOf'.",
            ));
        }
        let expression = constraint.expression.as_deref().unwrap_or_default();
        if expression.trim().is_empty() {
            return Err(ApiError::client(
                "Invalid placement constraint. A 'memberOf' constraint requires an expression.",
            ));
        }
        if expression.chars().count() > MAX_CONSTRAINT_EXPRESSION_LEN {
            return Err(ApiError::client(format!(
                "Invalid placement constraint. The expression must be at most \
                 {MAX_CONSTRAINT_EXPRESSION_LEN} characters long."
            )));
        }
    }
    Ok(())
}

/// Task-level settings that refer to sizes or containers.
fn check_task_settings(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if let Some(storage) = &ctx.req.ephemeral_storage
        && !EPHEMERAL_STORAGE_GIB.contains(&storage.size_in_gi_b)
    {
        return Err(ApiError::client(format!(
            "Invalid 'ephemeralStorage' setting for task. sizeInGiB must be between {} and {}, \
             not {}.",
            EPHEMERAL_STORAGE_GIB.start(),
            EPHEMERAL_STORAGE_GIB.end(),
            storage.size_in_gi_b
        )));
    }
    if let Some(proxy) = &ctx.req.proxy_configuration
        && ctx.container(&proxy.container_name).is_none()
    {
        return Err(ApiError::client(format!(
            "Invalid 'proxyConfiguration' setting for task. Container '{}' does not exist.",
            proxy.container_name
        )));
    }
    Ok(())
}

/// The definition to store: the request's members with ECS's defaults (see
/// [`check_registration`]).
fn stored_definition(ctx: &Ctx<'_>) -> TaskDefinition {
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
        volumes: Some(volumes.clone().unwrap_or_default()),
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

fn container_with_defaults(
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
fn check_size(definition: &TaskDefinition, quotas: &Quotas) -> Result<(), ApiError> {
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
fn compatibilities(ctx: &Ctx<'_>) -> Vec<Compatibility> {
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
fn required_attributes(ctx: &Ctx<'_>) -> Vec<Attribute> {
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

fn container_attributes(
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

fn is_secrets_manager(secret: &Secret) -> bool {
    secret.value_from.contains(":secretsmanager:")
}

fn logging_driver_attribute(driver: LogDriver) -> &'static str {
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
