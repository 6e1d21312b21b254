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

mod containers;
mod defaults;

use containers::*;
use defaults::*;

use std::collections::BTreeSet;
use std::fmt::Display;
use std::ops::RangeInclusive;

use api::{
    ApiError, Compatibility, ContainerDefinition, EFSAuthorizationConfigIAM, EFSTransitEncryption,
    EFSVolumeConfiguration, LogDriver, NetworkMode, OSFamily, PidMode,
    RegisterTaskDefinitionRequest, ResourceType, TaskDefinition,
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
