//! One service's pass: read, decide (the pure `scheduler::deploy::decide`), apply.

use super::*;

pub(super) async fn reconcile(ctx: &Ctx, cluster: &str, name: &str) -> Result<(), ApiError> {
    let Some(Read { record, revision, tasks, snapshot, active, leaving }) =
        read(ctx, cluster, name)
    else {
        return Ok(());
    };
    if record.external() {
        return reconcile_task_sets(ctx, cluster, name, record, revision, tasks, snapshot, leaving)
            .await;
    }
    let scheduling = record.service.scheduling_strategy.unwrap_or(SchedulingStrategy::Replica);
    let live: Vec<_> =
        record.deployments.iter().filter(|d| d.status != DeploymentStatus::Inactive).collect();
    let Some(primary) = live.first() else { return Ok(()) };
    let quotas = &ctx.config().quotas;

    // Which task definitions have an essential container with a health check.
    let checked = health_checked(
        ctx,
        tasks
            .iter()
            .map(|t| (t.family.as_str(), t.revision))
            .chain(live.iter().map(|d| (d.family.as_str(), d.revision))),
    )
    .await?;
    let primary_definition =
        ctx.definition(&primary.family, primary.revision).await?.ok_or_else(ApiError::server)?;
    let constraints = placement::constraints(
        &primary_definition,
        record.service.placement_constraints.as_deref().unwrap_or_default(),
        quotas.placement_constraints,
    )?;
    let strategy = service_strategy(&record, scheduling, quotas.placement_strategies)?;
    let daemon_instances: Vec<String> = if scheduling == SchedulingStrategy::Daemon {
        let required: Vec<&str> = primary_definition
            .requires_attributes
            .iter()
            .flatten()
            .map(|a| a.name.as_str())
            .collect();
        active
            .iter()
            .filter(|i| required.iter().all(|r| i.attributes.contains_key(*r)))
            .filter(|i| {
                constraints.iter().all(|c| match c {
                    scheduler::Constraint::MemberOf(expr) => expr.matches(i),
                    scheduler::Constraint::DistinctInstance => true,
                })
            })
            .map(|i| i.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    let configuration = &primary.configuration;
    let view = ServiceView {
        name: name.to_owned(),
        scheduling: match scheduling {
            SchedulingStrategy::Daemon => deploy::SchedulingStrategy::Daemon,
            SchedulingStrategy::Replica => deploy::SchedulingStrategy::Replica,
        },
        desired_count: u32::try_from(record.service.desired_count.unwrap_or(0)).unwrap_or(0),
        minimum_healthy_percent: u32::try_from(
            configuration.minimum_healthy_percent.unwrap_or(100),
        )
        .unwrap_or(100),
        maximum_percent: u32::try_from(configuration.maximum_percent.unwrap_or(200)).unwrap_or(200),
        health_check_grace_period: f64::from(
            record.service.health_check_grace_period_seconds.unwrap_or(0),
        ),
        settle_time: ctx.options().task_settle_time.as_secs_f64(),
        deleting: record.status() == ServiceStatus::Draining,
        deployments: live
            .iter()
            .map(|d| DeploymentView {
                id: d.id.clone(),
                rollout: rollout(d.rollout),
                circuit_breaker: d
                    .configuration
                    .deployment_circuit_breaker
                    .as_ref()
                    .filter(|b| b.enable)
                    .map(|b| b.rollback),
                created_at: d.created_at,
            })
            .collect(),
        last_completed: record.last_completed.clone(),
        strategy: strategy.clone(),
        daemon_instances: daemon_instances.clone(),
    };
    let mut events: Vec<String> = Vec::new();
    let targets = super::targets::sync(ctx, cluster, &record, &tasks, &mut events).await?;
    let now = ctx.clock().now();
    let balanced = Balanced { targets: targets.as_ref(), cluster, arns: ctx.arns() };
    let views = task_views(&tasks, &checked, &leaving, now, &balanced);
    let seed =
        u64::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().expect("8 bytes"));
    let mut decision = deploy::decide(&view, &views, &snapshot, &scheduler::PlanCtx { seed }, now);
    // A deleted service stays until its last deactivating task has drained and been asked to
    // stop: its passes are what stop it.
    if decision.inactive && tasks.iter().any(|t| t.deactivating_since.is_some() && !t.is_stopped())
    {
        decision.inactive = false;
    }

    stop_tasks(ctx, cluster, name, primary.id.as_str(), &decision, &balanced, &mut events).await?;
    start_tasks(ctx, cluster, &record, &decision, &constraints, &strategy, &mut events).await?;
    events.extend(decision.events.iter().cloned());
    record_outcome(ctx, cluster, name, revision, &decision, &events).await
}

/// One pass over a service under the EXTERNAL deployment controller: each task set kept at its
/// computed desired count.
#[allow(clippy::too_many_arguments)]
async fn reconcile_task_sets(
    ctx: &Ctx,
    cluster: &str,
    name: &str,
    record: Arc<ServiceRecord>,
    revision: i64,
    tasks: Vec<Arc<IndexedTask>>,
    snapshot: scheduler::Snapshot,
    leaving: BTreeSet<String>,
) -> Result<(), ApiError> {
    let quotas = &ctx.config().quotas;
    let checked = health_checked(
        ctx,
        tasks
            .iter()
            .map(|t| (t.family.as_str(), t.revision))
            .chain(record.task_sets.iter().map(|s| (s.family.as_str(), s.revision))),
    )
    .await?;
    // Placement constraints: the service's and the PRIMARY task set's definition's.
    let primary = record
        .task_sets
        .iter()
        .find(|s| s.status == TaskSetStatus::Primary)
        .or(record.task_sets.first());
    let constraints = match primary {
        Some(set) => {
            let definition =
                ctx.definition(&set.family, set.revision).await?.ok_or_else(ApiError::server)?;
            placement::constraints(
                &definition,
                record.service.placement_constraints.as_deref().unwrap_or_default(),
                quotas.placement_constraints,
            )?
        }
        None => Vec::new(),
    };
    let strategy =
        service_strategy(&record, SchedulingStrategy::Replica, quotas.placement_strategies)?;
    let desired = u32::try_from(record.service.desired_count.unwrap_or(0)).unwrap_or(0);
    let sets: Vec<deploy::TaskSetView> = record
        .task_sets
        .iter()
        .map(|s| deploy::TaskSetView {
            id: s.id.clone(),
            desired: deploy::computed_desired(desired, s.scale),
            draining: s.status == TaskSetStatus::Draining,
        })
        .collect();
    let view = ServiceView {
        name: name.to_owned(),
        scheduling: deploy::SchedulingStrategy::Replica,
        desired_count: desired,
        minimum_healthy_percent: 100,
        maximum_percent: 200,
        health_check_grace_period: f64::from(
            record.service.health_check_grace_period_seconds.unwrap_or(0),
        ),
        settle_time: ctx.options().task_settle_time.as_secs_f64(),
        deleting: record.status() == ServiceStatus::Draining,
        deployments: Vec::new(),
        last_completed: None,
        strategy: strategy.clone(),
        daemon_instances: Vec::new(),
    };
    let now = ctx.clock().now();
    let unbalanced = Balanced { targets: None, cluster, arns: ctx.arns() };
    let views = task_views(&tasks, &checked, &leaving, now, &unbalanced);
    let seed =
        u64::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().expect("8 bytes"));
    let decision = deploy::decide_task_sets(
        &view,
        &sets,
        &views,
        &snapshot,
        &scheduler::PlanCtx { seed },
        now,
    );
    let mut events: Vec<String> = Vec::new();
    let primary_id = primary.map_or("", |s| s.id.as_str());
    stop_tasks(ctx, cluster, name, primary_id, &decision, &unbalanced, &mut events).await?;
    start_tasks(ctx, cluster, &record, &decision, &constraints, &strategy, &mut events).await?;
    events.extend(decision.events.iter().cloned());
    record_outcome(ctx, cluster, name, revision, &decision, &events).await
}

/// Which of the given task definitions (family, revision) have an essential container with a
/// health check.
async fn health_checked<'a>(
    ctx: &Ctx,
    definitions: impl Iterator<Item = (&'a str, i32)>,
) -> Result<BTreeMap<(&'a str, i32), bool>, ApiError> {
    let mut checked = BTreeMap::new();
    for (family, revision) in definitions {
        if checked.contains_key(&(family, revision)) {
            continue;
        }
        let has = ctx.definition(family, revision).await?.is_some_and(|td| {
            td.container_definitions
                .iter()
                .flatten()
                .any(|c| c.essential.unwrap_or(true) && c.health_check.is_some())
        });
        checked.insert((family, revision), has);
    }
    Ok(checked)
}

/// The service's placement strategy; a REPLICA service without one gets ECS's default:
/// balance over zones, then over instances.
fn service_strategy(
    record: &ServiceRecord,
    scheduling: SchedulingStrategy,
    limit: usize,
) -> Result<Vec<scheduler::Strategy>, ApiError> {
    let mut strategy = placement::strategies(
        record.service.placement_strategy.as_deref().unwrap_or_default(),
        limit,
    )?;
    if strategy.is_empty() && scheduling == SchedulingStrategy::Replica {
        strategy = vec![
            scheduler::Strategy::Spread(scheduler::SpreadField::Attribute(
                "ecs.availability-zone".to_owned(),
            )),
            scheduler::Strategy::Spread(scheduler::SpreadField::InstanceId),
        ];
    }
    Ok(strategy)
}

/// A service's target groups, when it has some, as a pass reads them.
pub(super) struct Balanced<'a> {
    pub(super) targets: Option<&'a super::targets::Targets>,
    pub(super) cluster: &'a str,
    pub(super) arns: &'a crate::arn::Arns,
}

impl Balanced<'_> {
    /// What the load balancer says of a task, for a service behind one.
    fn of(&self, task: &IndexedTask) -> Option<super::targets::TargetsHealth> {
        Some(self.targets?.of(&self.arns.task(self.cluster, &task.id)))
    }
}

/// The service's tasks as the pure scheduler sees them. Behind a load balancer a task is
/// healthy once its containers' checks (if any) and every target group say so, unhealthy as
/// soon as one says it is not; a deactivating task is stopping.
fn task_views(
    tasks: &[Arc<IndexedTask>],
    checked: &BTreeMap<(&str, i32), bool>,
    leaving: &BTreeSet<String>,
    now: f64,
    balanced: &Balanced<'_>,
) -> Vec<TaskView> {
    use super::targets::TargetsHealth;
    tasks
        .iter()
        .map(|t| TaskView {
            id: t.id.clone().into(),
            deployment_id: t.started_by.clone().unwrap_or_default(),
            instance_id: t.instance_id.clone().map(Into::into),
            phase: match phase(t.as_ref()) {
                Phase::Pending | Phase::Running if t.deactivating_since.is_some() => {
                    Phase::Stopping
                }
                phase => phase,
            },
            created_at: t.created_at,
            started_at: t.started_at,
            stopped_at: t.stopped_at,
            health: {
                let checked =
                    checked.get(&(t.family.as_str(), t.revision)).copied().unwrap_or(false);
                match (balanced.of(t), health(t)) {
                    (None, own) => own,
                    (Some(TargetsHealth::Unhealthy(_)), _) => deploy::Health::Unhealthy,
                    (Some(_), deploy::Health::Unhealthy) => deploy::Health::Unhealthy,
                    (Some(TargetsHealth::Healthy), own) if !checked => {
                        let _ = own;
                        deploy::Health::Healthy
                    }
                    (Some(TargetsHealth::Healthy), own) => own,
                    (Some(TargetsHealth::Unknown), _) => deploy::Health::Unknown,
                }
            },
            has_health_check: balanced.targets.is_some()
                || checked.get(&(t.family.as_str(), t.revision)).copied().unwrap_or(false),
            on_draining_instance: t
                .instance_id
                .as_ref()
                .is_some_and(|i| leaving.contains(i.as_str())),
            stopped_for_health: t.stop_cause == Some(StopCause::ServiceUnhealthy),
            protected: t.protected_until.is_some_and(|until| until > now),
            crashed: matches!(
                t.stop_code,
                Some(TaskStopCode::EssentialContainerExited)
                    | Some(TaskStopCode::TaskFailedToStart)
            ),
            stopped_by_scheduler: t.stop_code == Some(TaskStopCode::ServiceSchedulerInitiated),
        })
        .collect()
}

pub(super) async fn stop_tasks(
    ctx: &Ctx,
    cluster: &str,
    name: &str,
    primary: &str,
    decision: &Decision,
    balanced: &Balanced<'_>,
    events: &mut Vec<String>,
) -> Result<(), ApiError> {
    if decision.stop.is_empty() {
        return Ok(());
    }
    let now = ctx.clock().now();
    let mut stopped = Vec::new();
    let mut deactivated = Vec::new();
    for (id, reason) in &decision.stop {
        let (cause, text) = match reason {
            StopReason::Scaling { deployment_id } => (
                StopCause::ServiceScaling,
                format!("Scaling activity initiated by (deployment {deployment_id})"),
            ),
            StopReason::Unhealthy => {
                let failing = {
                    let index = ctx.state().read();
                    index.cluster(cluster).and_then(|c| c.tasks.get(id.as_str())).and_then(|t| {
                        match balanced.of(&t.record) {
                            Some(super::targets::TargetsHealth::Unhealthy(group)) => Some(group),
                            _ => None,
                        }
                    })
                };
                match failing {
                    Some(group) => (
                        StopCause::ServiceUnhealthy,
                        format!("Task failed ELB health checks in (target-group {group})"),
                    ),
                    None => (StopCause::ServiceUnhealthy, crate::records::HEALTH_REASON.to_owned()),
                }
            }
            StopReason::Draining => (
                StopCause::ServiceDraining,
                "Task stopped because its container instance is draining".to_owned(),
            ),
            StopReason::Deleted => (
                StopCause::ServiceDeleted,
                format!("Scaling activity initiated by (deployment {primary})"),
            ),
        };
        let instance_gone = {
            let index = ctx.state().read();
            let task = index.cluster(cluster).and_then(|c| c.tasks.get(id.as_str()));
            // Its instance is in its host cluster (the Fargate pool's, for a Fargate task).
            let host = task.and_then(|t| {
                Some((t.record.host_cluster().to_owned(), t.record.instance_id.clone()?))
            });
            host.is_none_or(|(host_cluster, i)| {
                index
                    .cluster(&host_cluster)
                    .and_then(|c| c.instances.get(&i))
                    .is_none_or(|e| e.record.instance.status == InstanceStatus::Inactive)
            })
        };
        // Behind a load balancer a running task first drains: its targets are deregistered,
        // and it stops once they are gone (`targets::sync`).
        let mut drains = false;
        let outcome = crate::records::modify::<TaskRecord, _, Error>(
            ctx,
            &keys::task(cluster, id),
            |current| {
                let mut record = current.ok_or_else(crate::tasks::task_not_found)?;
                drains = balanced.targets.is_some()
                    && !instance_gone
                    && record.task.last_status == TaskStatus::Running
                    && record.task.desired_status == DesiredStatus::Running;
                if drains {
                    record.deactivating.get_or_insert(crate::records::Deactivation {
                        since: now,
                        cause,
                        reason: text.clone(),
                    });
                } else {
                    crate::tasks::stop(&mut record, cause, &text, now, instance_gone);
                }
                Ok(record)
            },
        )
        .await;
        match outcome {
            Ok(_) => {
                if *reason == StopReason::Unhealthy {
                    events.push(match text.strip_prefix("Task failed ELB health checks in ") {
                        Some(group) => format!("(task {id}) failed ELB health checks in {group}."),
                        None => format!("(task {id}) failed container health checks."),
                    });
                }
                if drains {
                    deactivated.push(id.clone());
                } else {
                    stopped.push(id.clone());
                }
            }
            // The task is gone: nothing to stop.
            Err(Error::NotFound(Resource::Task)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    ctx.state().wait_for(ctx.store().revision()).await;
    if !deactivated.is_empty() {
        events.push(format!("has begun draining connections on {} tasks.", deactivated.len()));
    }
    if !stopped.is_empty() {
        tracing::info!(cluster, service = name, tasks = stopped.len(), "Service tasks stopped");
        events.push(format!(
            "has stopped {} running tasks: {}.",
            stopped.len(),
            task_list(&stopped)
        ));
    }
    Ok(())
}

/// How many tasks of the service each provider of `items` has, counting those meant to run
/// (not those stopping: their replacements take their place in the proportions).
fn provider_counts(
    ctx: &Ctx,
    cluster: &str,
    service: &str,
    items: &[crate::placement::capacity::Item],
) -> Vec<u32> {
    let index = ctx.state().read();
    let group = format!("service:{service}");
    let mut counts = vec![0u32; items.len()];
    for task in index.cluster(cluster).into_iter().flat_map(|c| c.tasks_in_group(&group)) {
        if task.is_stopped() || task.desired_status() != crate::records::DesiredStatus::Running {
            continue;
        }
        let provider = task.capacity_provider_name.as_deref();
        if let Some(i) = items.iter().position(|i| Some(i.provider.as_str()) == provider) {
            counts[i] += 1;
        }
    }
    counts
}

pub(super) fn placement_failure(failure: &api::Failure) -> String {
    let reason = failure.reason.as_deref().unwrap_or("");
    if failure.arn.is_none() && reason.starts_with("Capacity is unavailable") {
        // Fargate names no instance.
        return format!("was unable to place a task. Reason: {reason}.");
    }
    let closest = failure.arn.as_deref().and_then(|a| a.rsplit('/').next()).unwrap_or("unknown");
    let what = match reason {
        "RESOURCE:MEMORY" => "has insufficient memory available".to_owned(),
        "RESOURCE:CPU" => "has insufficient CPU units available".to_owned(),
        "RESOURCE:PORTS" => "is already using a port required by your task".to_owned(),
        other => format!("encountered error \"{other}\""),
    };
    let detail = failure.detail.as_deref().map(|d| format!(" [{d}]")).unwrap_or_default();
    format!(
        "was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance {closest}) {what}.{detail} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    )
}

/// `(task a) (task b) ...` for an event, naming at most ten tasks (`... and N more`), so that
/// a service event stays small at any scale.
pub(super) fn task_list(ids: &[String]) -> String {
    let list: Vec<String> = ids.iter().take(10).map(|id| format!("(task {id})")).collect();
    match ids.len().saturating_sub(10) {
        0 => list.join(" "),
        more => format!("{} and {more} more", list.join(" ")),
    }
}

pub(super) async fn start_tasks(
    ctx: &Ctx,
    cluster: &str,
    record: &ServiceRecord,
    decision: &Decision,
    constraints: &[scheduler::Constraint],
    strategy: &[scheduler::Strategy],
    events: &mut Vec<String>,
) -> Result<(), ApiError> {
    // A pass starts at most MAX_STARTS_PER_PASS tasks of a service: the next pass (a moment
    // later) starts more, so a large service's launch never holds its whole desired count of
    // records in one transaction.
    let mut orders: Vec<(String, u32, Option<String>)> = decision
        .start
        .iter()
        .map(|(d, n)| (d.clone(), (*n).min(MAX_STARTS_PER_PASS), None))
        .collect();
    orders.extend(decision.start_on.iter().map(|(d, i)| (d.clone(), 1, Some(i.clone()))));
    let mut started = Vec::new();
    for (deployment, count, instance) in orders {
        let Some((family, revision)) = record.launched_by(&deployment) else { continue };
        let definition = ctx.definition(family, revision).await?.ok_or_else(ApiError::server)?;
        let propagated = match record.service.propagate_tags {
            Some(api::PropagateTags::Service) => record.service.tags.clone().unwrap_or_default(),
            Some(api::PropagateTags::TaskDefinition) => {
                let reference =
                    crate::task_definitions::Reference::Revision(family.to_owned(), revision);
                crate::task_definitions::find(ctx, &reference)
                    .await?
                    .map(|found| found.value.tags)
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let managed = record
            .service
            .enable_ecs_managed_tags
            .unwrap_or(false)
            .then_some(tags::Managed { cluster, service: Some(record.name.as_str()) });
        // The service's or the definition's tags each passed the quota when they were set.
        let tags = tags::for_new_task(&[], &propagated, managed, usize::MAX)?;
        // The network is checked again at each launch: a subnet or group may be gone since.
        let mode = definition.network_mode.unwrap_or(api::NetworkMode::Bridge);
        let network =
            match crate::vpc::check(ctx, mode, record.service.network_configuration.as_ref()).await
            {
                Ok(network) => network.map(Arc::new),
                Err(error) => {
                    events.push(format!("was unable to place a task. Reason: {}", error.message));
                    continue;
                }
            };
        let capacity = crate::services::capacity_of(&record.service);
        let fargate = capacity.is_fargate().then(|| crate::placement::OnFargate {
            platform_version: crate::placement::capacity::platform_version(
                record.service.platform_version.as_deref(),
            )
            .unwrap_or_else(|_| crate::placement::capacity::PLATFORM_VERSION.to_owned()),
        });
        let launch = Launch {
            fargate,
            capacity_provider: None,
            network,
            cluster: cluster.to_owned(),
            reservation: crate::placement::reservation(&definition, None),
            definition,
            family: family.to_owned(),
            revision,
            overrides: None,
            group: format!("service:{}", record.name),
            started_by: Some(deployment.clone()),
            tags,
            enable_execute_command: record.service.enable_execute_command.unwrap_or(false),
        };
        let only = instance.map(|i| vec![i]);
        let strategies = if only.is_some() { Vec::new() } else { strategy.to_vec() };
        // On Fargate, the count divides among the strategy's providers, counting the tasks
        // the service has on each.
        let shares = match !matches!(capacity, crate::placement::capacity::Capacity::Instances(_)) {
            true => {
                let items = capacity.items();
                let existing = provider_counts(ctx, cluster, &record.name, &items);
                crate::placement::capacity::divide(&items, &existing, count)
                    .into_iter()
                    .map(|(provider, n)| (launch.on_provider(&provider), n))
                    .collect()
            }
            false => vec![(launch, count)],
        };
        for (launch, count) in shares {
            match crate::placement::place(
                ctx,
                &launch,
                count,
                only.as_deref(),
                constraints.to_vec(),
                strategies.clone(),
                None,
            )
            .await
            {
                Ok((records, failures)) => {
                    started.extend(records.iter().map(|r| r.id.to_string()));
                    if let Some(failure) = failures.first() {
                        events.push(placement_failure(failure));
                    }
                }
                Err(Error::Unplaceable(reason)) => {
                    events.push(format!("was unable to place a task. Reason: {reason}"));
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    if !started.is_empty() {
        tracing::info!(cluster, service = %record.name, tasks = started.len(), "Service tasks started");
        events.push(format!("has started {} tasks: {}.", started.len(), task_list(&started)));
    }
    Ok(())
}

/// Writes the pass's outcome into the service record: rollouts, retired deployments, a
/// rollback, the end of a deletion, and events (a message identical to the latest one is not
/// repeated for six hours, as in ECS).
pub(super) async fn record_outcome(
    ctx: &Ctx,
    cluster: &str,
    name: &str,
    revision: i64,
    decision: &Decision,
    events: &[String],
) -> Result<(), ApiError> {
    let key = keys::service(cluster, name);
    let Some(entry) =
        ctx.state().read().cluster(cluster).and_then(|c| c.services.get(name)).cloned()
    else {
        return Ok(());
    };
    if entry.mod_revision != revision {
        // The user changed the service during the pass: the next pass starts from that.
        return Ok(());
    }
    let mut record = (*entry.record).clone();
    let before = serde_json::to_value(&record).map_err(|_| ApiError::server())?;
    let now = ctx.clock().now();
    for (id, state, reason) in &decision.rollouts {
        if let Some(d) = record.deployments.iter_mut().find(|d| &d.id == id) {
            d.rollout = match state {
                Rollout::Completed => RolloutState::Completed,
                Rollout::Failed => RolloutState::Failed,
                Rollout::InProgress => RolloutState::InProgress,
            };
            d.rollout_reason =
                reason.clone().or_else(|| Some(format!("ECS deployment {id} completed.")));
            d.updated_at = now;
            d.finished_at = Some(now);
            if *state == Rollout::Completed {
                record.last_completed = Some(id.clone());
            }
        }
    }
    if let Some(primary) =
        record.deployments.iter_mut().find(|d| d.status == DeploymentStatus::Primary)
    {
        let failed = i32::try_from(decision.failed_tasks).unwrap_or(i32::MAX);
        if primary.failed_tasks != failed {
            primary.failed_tasks = failed;
            primary.updated_at = now;
        }
    }
    for id in &decision.retire {
        if let Some(d) = record.deployments.iter_mut().find(|d| &d.id == id) {
            d.status = DeploymentStatus::Inactive;
            d.updated_at = now;
            d.finished_at.get_or_insert(now);
        }
    }
    // A deleted task set with no task left is gone.
    record.task_sets.retain(|s| !decision.retire.contains(&s.id));
    if let Some(target) = &decision.rollback_to {
        record.roll_back(target, decision.rollback_replaces.clone(), deployment_id(), now);
    }
    if let Some(count) = decision.desired_count {
        let count = i32::try_from(count).unwrap_or(i32::MAX);
        record.service.desired_count = Some(count);
        if let Some(primary) =
            record.deployments.iter_mut().find(|d| d.status == DeploymentStatus::Primary)
        {
            primary.desired_count = count;
        }
    }
    if decision.inactive && record.status() == ServiceStatus::Draining {
        record.service.status = ServiceStatus::Inactive;
        for d in record.deployments.iter_mut() {
            d.status = DeploymentStatus::Inactive;
        }
    }
    let prefix = format!("(service {name}) ");
    for message in events {
        let message = format!("{prefix}{message}");
        let repeated = record.events.first().is_some_and(|latest| {
            latest.message.as_deref() == Some(message.as_str())
                && now - latest.created_at.unwrap_or(0.0) < 6.0 * 3600.0
        });
        if repeated {
            continue;
        }
        record.events.insert(
            0,
            ServiceEvent {
                id: Some(uuid::Uuid::new_v4().to_string()),
                created_at: Some(now),
                message: Some(message),
            },
        );
    }
    record.events.truncate(MAX_EVENTS);
    // Keep only the last few INACTIVE deployments.
    let mut inactive = 0;
    record.deployments.retain(|d| {
        if d.status == DeploymentStatus::Inactive {
            inactive += 1;
            inactive <= KEPT_INACTIVE
        } else {
            true
        }
    });
    if serde_json::to_value(&record).map_err(|_| ApiError::server())? == before {
        return Ok(());
    }
    let txn =
        Txn::new().when(Compare::mod_revision(&key, revision)).then(Op::put(&key, encode(&record)));
    match ctx.store().txn(txn).await {
        Ok(response) if response.succeeded => {
            ctx.state().wait_for(response.revision).await;
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(error) => {
            tracing::warn!(error = %ErrorChain(&error), "Recording a service pass failed");
            Err(internal(error))
        }
    }
}
