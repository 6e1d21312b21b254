//! Custom capacity providers: named groups of the user's own container instances. Berth has no
//! Auto Scaling groups: an instance belongs to a provider when its agent registers with
//! `--capacity-provider NAME` (the attribute `berth.capacity-provider`), and the provider's
//! `autoScalingGroupProvider` is kept and shown as given. `FARGATE` and `FARGATE_SPOT` are
//! built in.

use api::{
    ApiError, CapacityProvider, CapacityProviderStatus, CreateCapacityProviderRequest,
    CreateCapacityProviderResponse, DeleteCapacityProviderRequest, DeleteCapacityProviderResponse,
    DescribeCapacityProvidersRequest, DescribeCapacityProvidersResponse, ErrorCode,
    UpdateCapacityProviderRequest, UpdateCapacityProviderResponse,
};
use store::{Compare, Op, Txn};

use crate::Ctx;
use crate::placement::capacity::{FARGATE, FARGATE_SPOT, arn, built_in, name_of};
use crate::records::{self, encode, internal, keys};

/// The most custom capacity providers an account has.
const MAX_PROVIDERS: usize = 100;

fn check_name(name: &str) -> Result<(), ApiError> {
    if !crate::arn::valid_name(name) {
        return Err(ApiError::invalid_parameter(
            "The capacity provider name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.",
        ));
    }
    let lower = name.to_ascii_lowercase();
    if ["aws", "ecs", "fargate"].iter().any(|p| lower.starts_with(p)) {
        return Err(ApiError::invalid_parameter(
            "The capacity provider name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\".",
        ));
    }
    Ok(())
}

pub(crate) async fn create_capacity_provider(
    ctx: &Ctx,
    req: CreateCapacityProviderRequest,
) -> Result<CreateCapacityProviderResponse, ApiError> {
    check_name(&req.name)?;
    if req.managed_instances_provider.is_some() {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth has no managed instances: a capacity provider is a group of your own container instances.",
        ));
    }
    if req.cluster.is_some() {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "A capacity provider for one cluster is a managed instances provider, which Berth does not have.",
        ));
    }
    let Some(group) = req.auto_scaling_group_provider.clone() else {
        return Err(ApiError::invalid_parameter(
            "autoScalingGroupProvider is required: Berth keeps it as given, and the provider's instances are the agents registered with --capacity-provider.",
        ));
    };
    let tags = req.tags.clone().unwrap_or_default();
    crate::tags::check_tags(&tags, ctx.config().quotas.tags_per_resource)?;
    let existing = records::list::<CapacityProvider>(ctx.store(), keys::CAPACITY_PROVIDERS).await?;
    let key = keys::capacity_provider(&req.name);
    if existing.iter().any(|p| p.value.name.as_deref() == Some(req.name.as_str())) {
        return Err(ApiError::client(format!(
            "The specified capacity provider {} already exists. To change the configuration of an existing capacity provider, update the capacity provider.",
            req.name
        )));
    }
    if existing.len() >= MAX_PROVIDERS {
        return Err(ApiError::new(
            ErrorCode::LimitExceededException,
            format!("The account has reached its limit of {MAX_PROVIDERS} capacity providers."),
        ));
    }
    let provider = CapacityProvider {
        capacity_provider_arn: Some(arn(ctx, &req.name)),
        name: Some(req.name.clone()),
        status: Some(CapacityProviderStatus::Active),
        auto_scaling_group_provider: Some(group),
        tags: Some(tags),
        r#type: Some(api::CapacityProviderType::Ec2Autoscaling),
        ..Default::default()
    };
    let txn = Txn::new().when(Compare::absent(&key)).then(Op::put(&key, encode(&provider)));
    if !ctx.store().txn(txn).await.map_err(internal)?.succeeded {
        return Err(records::contention(&key));
    }
    Ok(CreateCapacityProviderResponse { capacity_provider: Some(provider) })
}

pub(crate) async fn update_capacity_provider(
    ctx: &Ctx,
    req: UpdateCapacityProviderRequest,
) -> Result<UpdateCapacityProviderResponse, ApiError> {
    if req.managed_instances_provider.is_some() || req.cluster.is_some() {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth has no managed instances providers.",
        ));
    }
    let name = name_of(ctx, &req.name).unwrap_or_default().to_owned();
    if name == FARGATE || name == FARGATE_SPOT {
        return Err(ApiError::client(format!("The {name} capacity provider cannot be updated.")));
    }
    let key = keys::capacity_provider(&name);
    let provider = records::modify::<CapacityProvider, _, ApiError>(ctx, &key, |current| {
        let mut provider = current
            .filter(|p| p.status == Some(CapacityProviderStatus::Active))
            .ok_or_else(|| not_found(&req.name))?;
        if let (Some(update), Some(group)) =
            (&req.auto_scaling_group_provider, provider.auto_scaling_group_provider.as_mut())
        {
            if update.managed_scaling.is_some() {
                group.managed_scaling = update.managed_scaling.clone();
            }
            if update.managed_termination_protection.is_some() {
                group.managed_termination_protection = update.managed_termination_protection;
            }
            if update.managed_draining.is_some() {
                group.managed_draining = update.managed_draining;
            }
        }
        provider.update_status = Some(api::CapacityProviderUpdateStatus::UpdateComplete);
        Ok(provider)
    })
    .await?;
    Ok(UpdateCapacityProviderResponse { capacity_provider: Some(provider) })
}

fn not_found(reference: &str) -> ApiError {
    ApiError::client(format!("The specified capacity provider {reference} does not exist."))
}

/// DeleteCapacityProvider: only a custom provider no cluster names (ECS requires it to be
/// disassociated first).
pub(crate) async fn delete_capacity_provider(
    ctx: &Ctx,
    req: DeleteCapacityProviderRequest,
) -> Result<DeleteCapacityProviderResponse, ApiError> {
    let name = name_of(ctx, &req.capacity_provider).unwrap_or_default().to_owned();
    if name == FARGATE || name == FARGATE_SPOT {
        return Err(ApiError::client(format!("The {name} capacity provider cannot be deleted.")));
    }
    let key = keys::capacity_provider(&name);
    let Some(found) = records::get::<CapacityProvider>(ctx.store(), &key).await? else {
        return Err(not_found(&req.capacity_provider));
    };
    let clusters = records::list::<api::Cluster>(ctx.store(), keys::CLUSTERS).await?;
    if let Some(cluster) = clusters.iter().find(|c| {
        c.value.status.as_deref() == Some("ACTIVE")
            && c.value.capacity_providers.iter().flatten().any(|p| *p == name)
    }) {
        return Err(ApiError::client(format!(
            "The specified capacity provider is in use and cannot be removed: cluster {} has it. Remove it from the cluster with PutClusterCapacityProviders first.",
            cluster.value.cluster_name.as_deref().unwrap_or_default()
        )));
    }
    let txn =
        Txn::new().when(Compare::mod_revision(&key, found.mod_revision)).then(Op::delete(&key));
    if !ctx.store().txn(txn).await.map_err(internal)?.succeeded {
        return Err(records::contention(&key));
    }
    let mut provider = found.value;
    provider.status = Some(CapacityProviderStatus::Inactive);
    provider.update_status = Some(api::CapacityProviderUpdateStatus::DeleteComplete);
    Ok(DeleteCapacityProviderResponse { capacity_provider: Some(provider) })
}

/// DescribeCapacityProviders: the built-in providers, then the custom ones, by name; any other
/// name is a `MISSING` failure.
pub(crate) async fn describe_capacity_providers(
    ctx: &Ctx,
    req: DescribeCapacityProvidersRequest,
) -> Result<DescribeCapacityProvidersResponse, ApiError> {
    if req.max_results.is_some_and(|m| !(1..=10).contains(&m)) {
        return Err(ApiError::invalid_parameter("maxResults must be between 1 and 10."));
    }
    let with_tags = req.include.iter().flatten().any(|f| *f == api::CapacityProviderField::Tags);
    let custom: Vec<CapacityProvider> =
        records::list::<CapacityProvider>(ctx.store(), keys::CAPACITY_PROVIDERS)
            .await?
            .into_iter()
            .map(|v| v.value)
            .collect();
    let asked: Vec<String> = match &req.capacity_providers {
        Some(list) => list.clone(),
        None => [FARGATE, FARGATE_SPOT]
            .into_iter()
            .map(str::to_owned)
            .chain(custom.iter().filter_map(|p| p.name.clone()))
            .collect(),
    };
    let mut providers = Vec::new();
    let mut failures = Vec::new();
    for reference in asked {
        let found = match name_of(ctx, &reference) {
            Some(name) if name == FARGATE || name == FARGATE_SPOT => Some(built_in(ctx, name)),
            Some(name) => custom.iter().find(|p| p.name.as_deref() == Some(name)).cloned(),
            None => None,
        };
        match found {
            Some(mut provider) => {
                if !with_tags {
                    provider.tags = None;
                }
                providers.push(provider);
            }
            None => failures.push(api::Failure {
                arn: Some(reference.clone()),
                reason: Some("MISSING".to_owned()),
                detail: None,
            }),
        }
    }
    Ok(DescribeCapacityProvidersResponse {
        capacity_providers: Some(providers),
        failures: Some(failures),
        next_token: None,
    })
}

/// BerthV1.GetCapacityProviderReservation: each custom provider of the cluster, with ECS's
/// `CapacityProviderReservation`. Berth does not hold a task that finds no room in
/// PROVISIONING (RunTask reports it as a failure, a service as an event and retries), so `M`
/// counts the instances holding tasks: a provider whose instances all hold tasks reads 100,
/// and one with idle instances less, which an autoscaler aiming at 100 scales in.
pub(crate) async fn get_capacity_provider_reservation(
    ctx: &Ctx,
    req: api::berth::GetCapacityProviderReservationRequest,
) -> Result<api::berth::GetCapacityProviderReservationResponse, ApiError> {
    let cluster = crate::clusters::active_cluster(ctx, req.cluster.as_deref()).await?.value;
    let name = cluster.cluster_name.clone().unwrap_or_default();
    let custom: Vec<String> = cluster
        .capacity_providers
        .iter()
        .flatten()
        .filter(|p| *p != FARGATE && *p != FARGATE_SPOT)
        .cloned()
        .collect();
    let index = ctx.state().read();
    let cluster_index = index.cluster(&name);
    let providers = custom
        .into_iter()
        .map(|provider| {
            let (mut n, mut m) = (0u64, 0u64);
            for entry in cluster_index.into_iter().flat_map(|c| c.instances.values()) {
                let instance = &entry.record.instance;
                let member = instance.attributes.iter().flatten().any(|a| {
                    a.name == crate::placement::capacity::PROVIDER_ATTRIBUTE
                        && a.value.as_deref() == Some(provider.as_str())
                });
                if !member || instance.status != crate::records::InstanceStatus::Active {
                    continue;
                }
                n += 1;
                let busy =
                    cluster_index.is_some_and(|c| c.tasks_on(&entry.record.id).next().is_some());
                m += u64::from(busy);
            }
            let reservation = match (m, n) {
                (0, 0) => 100.0,
                (_, 0) => 200.0,
                (m, n) => m as f64 / n as f64 * 100.0,
            };
            api::berth::CapacityProviderReservation {
                capacity_provider: provider,
                instances: n,
                instances_needed: m,
                reservation,
            }
        })
        .collect();
    Ok(api::berth::GetCapacityProviderReservationResponse { providers })
}
