//! DescribeServiceDeployments and ListServiceDeployments.

use super::*;

pub(super) fn deployment_status(
    record: &ServiceRecord,
    deployment: &DeploymentRecord,
) -> ServiceDeploymentStatus {
    match (deployment.rollout, deployment.status, deployment.rollback) {
        (RolloutState::Completed, _, true) => ServiceDeploymentStatus::RollbackSuccessful,
        (RolloutState::Completed, _, false) => ServiceDeploymentStatus::Successful,
        (RolloutState::Failed, _, _) => {
            let rolled_back = record
                .deployments
                .iter()
                .any(|d| d.rollback && d.replaced.contains(&deployment.id));
            if rolled_back {
                ServiceDeploymentStatus::RollbackRequested
            } else {
                ServiceDeploymentStatus::Stopped
            }
        }
        (_, DeploymentStatus::Primary, true) => ServiceDeploymentStatus::RollbackInProgress,
        (_, DeploymentStatus::Primary, false) => ServiceDeploymentStatus::InProgress,
        _ => ServiceDeploymentStatus::Stopped,
    }
}

pub(super) fn service_deployment(
    ctx: &Ctx,
    cluster: &ClusterIndex,
    record: &ServiceRecord,
    deployment: &DeploymentRecord,
) -> ServiceDeployment {
    let counts = counts(cluster, record);
    let c = counts.get(&deployment.id);
    let breaker = deployment.configuration.deployment_circuit_breaker.as_ref();
    let desired = u32::try_from(deployment.desired_count).unwrap_or(0);
    let threshold = scheduler::deploy::circuit_breaker_threshold(desired) as i32;
    let breaker_status = match (breaker.is_some_and(|b| b.enable), deployment.rollout) {
        (false, _) => ServiceDeploymentRollbackMonitorsStatus::Disabled,
        (true, RolloutState::Failed) => ServiceDeploymentRollbackMonitorsStatus::Triggered,
        (true, RolloutState::Completed) => {
            ServiceDeploymentRollbackMonitorsStatus::MonitoringComplete
        }
        (true, _) => ServiceDeploymentRollbackMonitorsStatus::Monitoring,
    };
    ServiceDeployment {
        service_deployment_arn: Some(service_deployment_arn(
            ctx,
            &record.cluster,
            &record.name,
            &deployment.id,
        )),
        service_arn: record.service.service_arn.clone(),
        cluster_arn: record.service.cluster_arn.clone(),
        created_at: Some(deployment.created_at),
        started_at: Some(deployment.created_at),
        finished_at: deployment.finished_at,
        updated_at: Some(deployment.updated_at),
        source_service_revisions: Some(
            deployment
                .replaced
                .iter()
                .map(|id| ServiceRevisionSummary {
                    arn: Some(service_revision_arn(ctx, &record.cluster, &record.name, id)),
                    requested_task_count: None,
                    running_task_count: counts.get(id).map(|c| c.running),
                    pending_task_count: counts.get(id).map(|c| c.pending),
                    ..ServiceRevisionSummary::default()
                })
                .collect(),
        ),
        target_service_revision: Some(ServiceRevisionSummary {
            arn: Some(service_revision_arn(ctx, &record.cluster, &record.name, &deployment.id)),
            requested_task_count: Some(deployment.desired_count),
            running_task_count: Some(c.map_or(0, |c| c.running)),
            pending_task_count: Some(c.map_or(0, |c| c.pending)),
            ..ServiceRevisionSummary::default()
        }),
        status: Some(deployment_status(record, deployment)),
        status_reason: deployment.rollout_reason.clone(),
        deployment_configuration: Some(deployment.configuration.clone()),
        deployment_circuit_breaker: Some(ServiceDeploymentCircuitBreaker {
            status: Some(breaker_status),
            failure_count: Some(deployment.failed_tasks),
            threshold: Some(threshold),
        }),
        ..ServiceDeployment::default()
    }
}

pub(crate) async fn describe_service_deployments(
    ctx: &Ctx,
    req: DescribeServiceDeploymentsRequest,
) -> Result<DescribeServiceDeploymentsResponse, ApiError> {
    if req.service_deployment_arns.is_empty() || req.service_deployment_arns.len() > 20 {
        return Err(ApiError::invalid_parameter(
            "serviceDeploymentArns must list between 1 and 20 ARNs.",
        ));
    }
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for arn in &req.service_deployment_arns {
        let named = deployment_named(ctx, arn, "service-deployment/")?;
        let index = ctx.state().read();
        let hit = named.and_then(|(cluster, service, id)| {
            let cluster_index = index.cluster(&cluster)?;
            let record = &cluster_index.services.get(service.as_str())?.record;
            let deployment = record.deployments.iter().find(|d| d.id == id)?;
            Some(service_deployment(ctx, cluster_index, record, deployment))
        });
        match hit {
            Some(deployment) => found.push(deployment),
            None => failures.push(crate::failures::failure(arn.clone(), "MISSING", None)),
        }
    }
    Ok(DescribeServiceDeploymentsResponse {
        service_deployments: Some(found),
        failures: Some(failures),
    })
}

pub(crate) async fn list_service_deployments(
    ctx: &Ctx,
    req: ListServiceDeploymentsRequest,
) -> Result<ListServiceDeploymentsResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let name = service_name(ctx, &cluster, &req.service)?.ok_or_else(not_found)?;
    let size = match req.max_results {
        None => 20,
        Some(n) if (1..=100).contains(&n) => n as usize,
        Some(n) => {
            return Err(ApiError::invalid_parameter(format!(
                "maxResults must be between 1 and 100; got {n}."
            )));
        }
    };
    let after = paging::resume_after("ListServiceDeployments", req.next_token.as_deref())?;
    let briefs: Vec<(String, ServiceDeploymentBrief)> = {
        let index = ctx.state().read();
        let cluster_index = index.cluster(&cluster).ok_or_else(not_found)?;
        let record = &cluster_index.services.get(name.as_str()).ok_or_else(not_found)?.record;
        record
            .deployments
            .iter()
            .filter(|d| {
                let status = deployment_status(record, d);
                req.status.as_ref().is_none_or(|wanted| wanted.contains(&status))
                    && req.created_at.as_ref().is_none_or(|range| {
                        range.after.is_none_or(|a| d.created_at >= a)
                            && range.before.is_none_or(|b| d.created_at <= b)
                    })
            })
            .map(|d| {
                let key = format!("{:020.3}-{}", 1e15 - d.created_at, d.id);
                (
                    key,
                    ServiceDeploymentBrief {
                        service_deployment_arn: Some(service_deployment_arn(
                            ctx, &cluster, &name, &d.id,
                        )),
                        service_arn: record.service.service_arn.clone(),
                        cluster_arn: record.service.cluster_arn.clone(),
                        started_at: Some(d.created_at),
                        created_at: Some(d.created_at),
                        finished_at: d.finished_at,
                        target_service_revision_arn: Some(service_revision_arn(
                            ctx, &cluster, &name, &d.id,
                        )),
                        status: Some(deployment_status(record, d)),
                        status_reason: d.rollout_reason.clone(),
                    },
                )
            })
            .collect()
    };
    let (page, next_token) = paging::page(
        briefs,
        |(k, _)| k.clone(),
        "ListServiceDeployments",
        after.as_deref(),
        size,
        true,
    );
    Ok(ListServiceDeploymentsResponse {
        service_deployments: Some(page.into_iter().map(|(_, b)| b).collect()),
        next_token,
    })
}

/// The deployment a `service-deployment/<cluster>/<service>/<digits>` or
/// `service-revision/...` ARN names: its cluster, service and deployment id.
fn deployment_named(
    ctx: &Ctx,
    arn: &str,
    kind: &str,
) -> Result<Option<(String, String, String)>, ApiError> {
    let Some(rest) = ctx.arns().resource(arn)?.and_then(|r| r.strip_prefix(kind)) else {
        return Ok(None);
    };
    let mut parts = rest.splitn(3, '/');
    let (Some(cluster), Some(service), Some(digits)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    let index = ctx.state().read();
    let found = index
        .cluster(cluster)
        .and_then(|c| c.services.get(service))
        .and_then(|e| e.record.deployments.iter().find(|d| d.id.ends_with(&format!("/{digits}"))))
        .map(|d| (cluster.to_owned(), service.to_owned(), d.id.clone()));
    Ok(found)
}

/// A service revision: what one deployment runs (Berth keeps one revision per deployment).
fn service_revision(
    ctx: &Ctx,
    record: &ServiceRecord,
    deployment: &DeploymentRecord,
    definition: Option<&api::TaskDefinition>,
) -> ServiceRevision {
    ServiceRevision {
        service_revision_arn: Some(service_revision_arn(
            ctx,
            &record.cluster,
            &record.name,
            &deployment.id,
        )),
        service_arn: record.service.service_arn.clone(),
        cluster_arn: record.service.cluster_arn.clone(),
        task_definition: Some(deployment.task_definition.clone()),
        launch_type: record.service.launch_type,
        container_images: definition.map(|d| {
            d.container_definitions
                .iter()
                .flatten()
                .map(|c| api::ContainerImage {
                    container_name: c.name.clone(),
                    image: c.image.clone(),
                    image_digest: None,
                })
                .collect()
        }),
        guard_duty_enabled: Some(false),
        load_balancers: record.service.load_balancers.clone(),
        service_registries: record.service.service_registries.clone(),
        network_configuration: record.network_of(&deployment.id).cloned(),
        created_at: Some(deployment.created_at),
        ..ServiceRevision::default()
    }
}

pub(crate) async fn describe_service_revisions(
    ctx: &Ctx,
    req: DescribeServiceRevisionsRequest,
) -> Result<DescribeServiceRevisionsResponse, ApiError> {
    if req.service_revision_arns.is_empty() || req.service_revision_arns.len() > 20 {
        return Err(ApiError::invalid_parameter(
            "serviceRevisionArns must list between 1 and 20 ARNs.",
        ));
    }
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for arn in &req.service_revision_arns {
        let Some((cluster, service, id)) = deployment_named(ctx, arn, "service-revision/")? else {
            failures.push(crate::failures::failure(arn.clone(), "MISSING", None));
            continue;
        };
        let record = {
            let index = ctx.state().read();
            index
                .cluster(&cluster)
                .and_then(|c| c.services.get(service.as_str()))
                .map(|e| e.record.clone())
        };
        let Some(record) = record else {
            failures.push(crate::failures::failure(arn.clone(), "MISSING", None));
            continue;
        };
        let Some(deployment) = record.deployments.iter().find(|d| d.id == id) else {
            failures.push(crate::failures::failure(arn.clone(), "MISSING", None));
            continue;
        };
        let definition = ctx.definition(&deployment.family, deployment.revision).await?;
        found.push(service_revision(ctx, &record, deployment, definition.as_deref()));
    }
    Ok(DescribeServiceRevisionsResponse {
        service_revisions: Some(found),
        failures: Some(failures),
    })
}

/// StopServiceDeployment: an ongoing deployment (the PRIMARY, still IN_PROGRESS) is marked
/// FAILED and the service rolls back to its last completed deployment, as ECS's ROLLBACK does
/// (whether or not the deployment asked for rollbacks).
pub(crate) async fn stop_service_deployment(
    ctx: &Ctx,
    req: StopServiceDeploymentRequest,
) -> Result<StopServiceDeploymentResponse, ApiError> {
    if req.stop_type == Some(StopServiceDeploymentStopType::Abort) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Only the ROLLBACK stop type is supported, as in ECS.",
        ));
    }
    let not_found = || {
        ApiError::new(
            ErrorCode::ServiceDeploymentNotFoundException,
            format!("The service deployment {} was not found.", req.service_deployment_arn),
        )
    };
    let (cluster, service, id) =
        deployment_named(ctx, &req.service_deployment_arn, "service-deployment/")?
            .ok_or_else(not_found)?;
    let now = ctx.clock().now();
    let key = keys::service(&cluster, &service);
    let record = crate::state::modify_seen::<ServiceRecord, _, ApiError>(ctx, &key, |stored| {
        let mut record = stored.ok_or_else(not_found)?;
        if record.status() != ServiceStatus::Active {
            return Err(not_active());
        }
        let deployment = record.deployments.iter().find(|d| d.id == id).ok_or_else(not_found)?;
        if deployment.status != DeploymentStatus::Primary
            || deployment.rollout != RolloutState::InProgress
        {
            return Err(ApiError::new(
                ErrorCode::ConflictException,
                "Only a service deployment in progress can be stopped.",
            ));
        }
        let target = record.last_completed.clone().filter(|t| *t != id).ok_or_else(|| {
            ApiError::new(
                ErrorCode::ConflictException,
                "The service has no earlier completed deployment to roll back to.",
            )
        })?;
        if let Some(d) = record.deployments.iter_mut().find(|d| d.id == id) {
            d.rollout = RolloutState::Failed;
            d.rollout_reason = Some("Service deployment stopped: rolling back.".to_owned());
            d.updated_at = now;
        }
        record.roll_back(&target, vec![id.clone()], deployment_id(), now);
        Ok(record)
    })
    .await?;
    tracing::info!(cluster = %cluster, service = %service, deployment = %id, "Service deployment stopped");
    changed(ctx, &cluster, &record, false)?;
    Ok(StopServiceDeploymentResponse { service_deployment_arn: Some(req.service_deployment_arn) })
}
