//! The rules of one container, and those across the task's containers.

use std::collections::{BTreeMap, BTreeSet};

use api::{
    ApiError, ContainerCondition, ContainerDefinition, HealthCheck, LogConfiguration, LogDriver,
    NetworkMode, Secret, TransportProtocol,
};

use crate::config::Quotas;

use super::*;

/// The rules that concern one container on its own (or its references to others).
pub(super) fn check_container(
    ctx: &Ctx<'_>,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
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

pub(super) fn check_port_mappings(
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
pub(super) fn parse_port_range(range: &str) -> Option<(i32, i32)> {
    let (first, last) = range.trim().split_once('-')?;
    let first: i32 = first.trim().parse().ok()?;
    let last: i32 = last.trim().parse().ok()?;
    (PORTS.contains(&first) && PORTS.contains(&last) && first < last).then_some((first, last))
}

pub(super) fn check_health_check(name: &str, health_check: &HealthCheck) -> Result<(), ApiError> {
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
pub(super) fn check_links(
    ctx: &Ctx<'_>,
    name: &str,
    container: &ContainerDefinition,
) -> Result<(), ApiError> {
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

pub(super) fn check_volumes_from(
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

pub(super) fn check_mount_points(
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
pub(super) fn check_dependencies(
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

pub(super) fn check_environment(
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

pub(super) fn check_secret(name: &str, member: &str, secret: &Secret) -> Result<(), ApiError> {
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

pub(super) fn check_ulimits(name: &str, container: &ContainerDefinition) -> Result<(), ApiError> {
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

pub(super) fn check_log_configuration(
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
pub(super) fn check_container_resources(ctx: &Ctx<'_>) -> Result<(), ApiError> {
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
pub(super) fn check_host_port_conflicts(ctx: &Ctx<'_>) -> Result<(), ApiError> {
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

pub(super) fn check_essential(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.containers().iter().any(is_essential) {
        Ok(())
    } else {
        Err(ApiError::client("At least one essential container is required."))
    }
}

/// Containers whose `dependsOn` chain comes back to them could never start. The first cycle
/// found (containers and dependencies in definition order) is reported.
pub(super) fn check_dependency_cycles(ctx: &Ctx<'_>) -> Result<(), ApiError> {
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
pub(super) fn check_placement_constraints(ctx: &Ctx<'_>, quotas: &Quotas) -> Result<(), ApiError> {
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
pub(super) fn check_task_settings(ctx: &Ctx<'_>) -> Result<(), ApiError> {
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
