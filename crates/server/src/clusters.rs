//! Clusters: CreateCluster, DeleteCluster, DescribeClusters, ListClusters, UpdateCluster and
//! UpdateClusterSettings.
//!
//! A cluster record is the ECS `Cluster` shape without its counts: the counts are computed
//! from the cluster's tasks, services and container instances whenever a cluster is
//! returned, so they stay true whatever changes them.

use serde::{Deserialize, Serialize};

use api::{
    ApiError, Cluster, ClusterField, ClusterSetting, ClusterSettingName, CreateClusterRequest,
    CreateClusterResponse, DeleteClusterRequest, DeleteClusterResponse, DescribeClustersRequest,
    DescribeClustersResponse, ErrorCode, KeyValuePair, ListClustersRequest, ListClustersResponse,
    UpdateClusterRequest, UpdateClusterResponse, UpdateClusterSettingsRequest,
    UpdateClusterSettingsResponse,
};
use store::{Compare, Op, Txn};

use crate::arn::{Kind, valid_name};
use crate::error::{Error, Resource};
use crate::records::{self, InstanceStatus, ServiceStatus, encode, internal, keys};
use crate::{Ctx, paging, tags};

const DEFAULT_CLUSTER: &str = "default";
const ACTIVE: &str = "ACTIVE";
const INACTIVE: &str = "INACTIVE";

#[derive(Debug, Default, Serialize, Deserialize)]
struct ClusterCount {
    active: usize,
}

fn check_settings(settings: &[ClusterSetting]) -> Result<(), ApiError> {
    for setting in settings {
        let value = setting.value.as_deref().unwrap_or("");
        match setting.name {
            Some(ClusterSettingName::ContainerInsights) | None => {
                if !["enabled", "disabled", "enhanced"].contains(&value) {
                    return Err(ApiError::invalid_parameter(format!(
                        "The value of cluster setting containerInsights must be enabled, disabled or enhanced; got {value:?}."
                    )));
                }
            }
        }
    }
    Ok(())
}

async fn check_capacity_providers(ctx: &Ctx, providers: &[String]) -> Result<(), ApiError> {
    for provider in providers {
        if crate::placement::capacity::find(ctx, provider).await?.is_none() {
            return Err(ApiError::invalid_parameter(format!(
                "The specified capacity provider {provider} does not exist. Create it with CreateCapacityProvider, or use FARGATE or FARGATE_SPOT."
            )));
        }
    }
    Ok(())
}

/// Resolves a cluster reference (name or ARN; absent means `default`) to its name, without
/// checking that it exists.
pub(crate) fn cluster_name(ctx: &Ctx, reference: Option<&str>) -> Result<Option<String>, ApiError> {
    let reference = reference.unwrap_or(DEFAULT_CLUSTER);
    Ok(ctx.arns().resolve(Kind::Cluster, reference)?.map(str::to_owned))
}

/// ClusterNotFoundException.
pub(crate) fn cluster_not_found() -> ApiError {
    Error::NotFound(Resource::Cluster).into()
}

/// The name of the ACTIVE cluster a request refers to, or ClusterNotFoundException. Reads only
/// the record's name and status (most calls need no more of it).
pub(crate) async fn active_cluster_name(
    ctx: &Ctx,
    reference: Option<&str>,
) -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct NameAndStatus {
        #[serde(rename = "clusterName")]
        cluster_name: Option<String>,
        status: Option<String>,
    }
    let found = active_record::<NameAndStatus>(ctx, reference, |c| c.status.as_deref()).await?;
    Ok(found.value.cluster_name.unwrap_or_default())
}

/// What a call's capacity depends on in the ACTIVE cluster a request refers to (decoding
/// only that of the record), or ClusterNotFoundException.
pub(crate) async fn active_cluster_capacity(
    ctx: &Ctx,
    reference: Option<&str>,
) -> Result<crate::placement::capacity::ClusterCapacity, ApiError> {
    let found = active_record::<crate::placement::capacity::ClusterCapacity>(ctx, reference, |c| {
        c.status.as_deref()
    })
    .await?;
    Ok(found.value)
}

/// The ACTIVE cluster a request refers to, or ClusterNotFoundException.
pub(crate) async fn active_cluster(
    ctx: &Ctx,
    reference: Option<&str>,
) -> Result<records::Versioned<Cluster>, ApiError> {
    active_record::<Cluster>(ctx, reference, |c| c.status.as_deref()).await
}

/// The record of the cluster a request refers to, read as `T`, if its `status` is ACTIVE.
async fn active_record<T: serde::de::DeserializeOwned>(
    ctx: &Ctx,
    reference: Option<&str>,
    status: impl Fn(&T) -> Option<&str>,
) -> Result<records::Versioned<T>, ApiError> {
    let name = cluster_name(ctx, reference)?.ok_or_else(cluster_not_found)?;
    records::get::<T>(ctx.store(), &keys::cluster(&name))
        .await?
        .filter(|c| status(&c.value) == Some(ACTIVE))
        .ok_or_else(cluster_not_found)
}

/// What a cluster holds, computed from its records.
#[derive(Debug, Default)]
struct Counts {
    running_tasks: i32,
    pending_tasks: i32,
    active_services: i32,
    draining_services: i32,
    container_instances: i32,
    running_fargate: i32,
    pending_fargate: i32,
    active_fargate_services: i32,
}

async fn counts(ctx: &Ctx, name: &str) -> Result<Counts, ApiError> {
    let mut counts = Counts::default();
    {
        let index = ctx.state().read();
        if let Some(cluster) = index.cluster(name) {
            counts.running_tasks = cluster.running_tasks as i32;
            counts.pending_tasks = cluster.pending_tasks as i32;
            counts.container_instances = cluster
                .instances
                .values()
                .filter(|e| {
                    matches!(
                        e.record.instance.status,
                        InstanceStatus::Active | InstanceStatus::Draining
                    )
                })
                .count() as i32;
        }
    }
    {
        let index = ctx.state().read();
        if let Some(cluster) = index.cluster(name) {
            for entry in cluster.services.values() {
                let service = &entry.record.service;
                let fargate = service.launch_type == Some(api::LaunchType::Fargate);
                match service.status {
                    ServiceStatus::Active => {
                        counts.active_services += 1;
                        counts.active_fargate_services += i32::from(fargate);
                    }
                    ServiceStatus::Draining => counts.draining_services += 1,
                    ServiceStatus::Inactive => {}
                }
            }
        }
    }
    Ok(counts)
}

/// The cluster as the API returns it: counts filled in, optional parts per `include`.
async fn render(
    ctx: &Ctx,
    mut cluster: Cluster,
    include: &[ClusterField],
) -> Result<Cluster, ApiError> {
    let name = cluster.cluster_name.clone().unwrap_or_default();
    let c = if cluster.status.as_deref() == Some(ACTIVE) {
        counts(ctx, &name).await?
    } else {
        Counts::default()
    };
    cluster.registered_container_instances_count = Some(c.container_instances);
    cluster.running_tasks_count = Some(c.running_tasks);
    cluster.pending_tasks_count = Some(c.pending_tasks);
    cluster.active_services_count = Some(c.active_services);
    let has = |field| include.contains(&field);
    cluster.statistics = Some(if has(ClusterField::Statistics) {
        let stat = |name: &str, value: i32| KeyValuePair {
            name: Some(name.into()),
            value: Some(value.to_string()),
        };
        vec![
            stat("runningEC2TasksCount", c.running_tasks - c.running_fargate),
            stat("runningFargateTasksCount", c.running_fargate),
            stat("pendingEC2TasksCount", c.pending_tasks - c.pending_fargate),
            stat("pendingFargateTasksCount", c.pending_fargate),
            stat("activeEC2ServiceCount", c.active_services - c.active_fargate_services),
            stat("activeFargateServiceCount", c.active_fargate_services),
            stat("drainingEC2ServiceCount", c.draining_services),
            stat("drainingFargateServiceCount", 0),
        ]
    } else {
        Vec::new()
    });
    if !has(ClusterField::Tags) {
        cluster.tags = Some(Vec::new());
    }
    if !has(ClusterField::Settings) {
        cluster.settings = None;
    }
    if !has(ClusterField::Configurations) {
        cluster.configuration = None;
    }
    if !has(ClusterField::Attachments) {
        cluster.attachments = None;
        cluster.attachments_status = None;
    }
    Ok(cluster)
}

const EVERYTHING: &[ClusterField] =
    &[ClusterField::Configurations, ClusterField::Settings, ClusterField::Tags];

pub(crate) async fn create_cluster(
    ctx: &Ctx,
    req: CreateClusterRequest,
) -> Result<CreateClusterResponse, ApiError> {
    let name = req.cluster_name.clone().unwrap_or_else(|| DEFAULT_CLUSTER.to_owned());
    if !valid_name(&name) {
        return Err(ApiError::invalid_parameter(
            "Cluster name can contain up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.",
        ));
    }
    let quotas = &ctx.config().quotas;
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;
    let default_insights = crate::account_settings::default_value(ctx, "containerInsights").await?;
    let settings = req.settings.clone().unwrap_or_else(|| {
        vec![ClusterSetting {
            name: Some(ClusterSettingName::ContainerInsights),
            value: Some(default_insights),
        }]
    });
    check_settings(&settings)?;
    let providers = req.capacity_providers.clone().unwrap_or_default();
    check_capacity_providers(ctx, &providers).await?;
    for item in req.default_capacity_provider_strategy.iter().flatten() {
        if !providers.contains(&item.capacity_provider) {
            return Err(ApiError::invalid_parameter(format!(
                "The capacity provider {} in the default strategy is not associated with the cluster.",
                item.capacity_provider
            )));
        }
    }

    let key = keys::cluster(&name);
    let store = ctx.store();
    // Cluster creations and deletions all update the count: let them queue here.
    let _count = ctx.key_locks().lock(keys::CLUSTER_COUNT).await;
    for _ in 0..64 {
        let existing = records::get::<Cluster>(store, &key).await?;
        if let Some(existing) = &existing
            && existing.value.status.as_deref() == Some(ACTIVE)
        {
            // CreateCluster is idempotent on the name: the existing cluster is returned.
            let cluster = render(ctx, existing.value.clone(), EVERYTHING).await?;
            return Ok(CreateClusterResponse { cluster: Some(cluster) });
        }
        let count = records::get::<ClusterCount>(store, keys::CLUSTER_COUNT).await?;
        let count_revision = count.as_ref().map_or(0, |c| c.mod_revision);
        let mut count = count.map(|c| c.value).unwrap_or_default();
        if count.active >= quotas.clusters {
            return Err(ApiError::client(format!(
                "The account has reached its limit of {} clusters.",
                quotas.clusters
            )));
        }
        count.active += 1;
        let cluster = Cluster {
            cluster_arn: Some(ctx.arns().cluster(&name)),
            cluster_name: Some(name.clone()),
            status: Some(ACTIVE.to_owned()),
            settings: Some(settings.clone()),
            configuration: req.configuration.clone(),
            capacity_providers: Some(providers.clone()),
            default_capacity_provider_strategy: Some(
                req.default_capacity_provider_strategy.clone().unwrap_or_default(),
            ),
            service_connect_defaults: req.service_connect_defaults.as_ref().map(|d| {
                api::ClusterServiceConnectDefaults { namespace: Some(d.namespace.clone()) }
            }),
            tags: Some(tag_list.clone()),
            ..Cluster::default()
        };
        let txn = Txn::new()
            .when(Compare::mod_revision(&key, existing.as_ref().map_or(0, |e| e.mod_revision)))
            .when(Compare::mod_revision(keys::CLUSTER_COUNT, count_revision))
            .then(Op::put(&key, encode(&cluster)))
            .then(Op::put(keys::CLUSTER_COUNT, encode(&count)));
        if store.txn(txn).await.map_err(internal)?.succeeded {
            tracing::info!(cluster = %name, "Cluster created");
            let cluster = render(ctx, cluster, EVERYTHING).await?;
            return Ok(CreateClusterResponse { cluster: Some(cluster) });
        }
    }
    Err(records::contention(&key))
}

pub(crate) async fn delete_cluster(
    ctx: &Ctx,
    req: DeleteClusterRequest,
) -> Result<DeleteClusterResponse, ApiError> {
    // Exclusive: nothing can be created inside a cluster while it is checked and deleted.
    let _lifecycle = ctx.inner.cluster_lifecycle.write().await;
    let _count = ctx.key_locks().lock(keys::CLUSTER_COUNT).await;
    let store = ctx.store();
    for _ in 0..64 {
        let current = active_cluster(ctx, Some(&req.cluster)).await?;
        let name = current.value.cluster_name.clone().unwrap_or_default();
        let c = counts(ctx, &name).await?;
        if c.container_instances > 0 {
            return Err(ApiError::new(
                ErrorCode::ClusterContainsContainerInstancesException,
                "The Cluster cannot be deleted while Container Instances are active or draining.",
            ));
        }
        if c.active_services > 0 || c.draining_services > 0 {
            return Err(ApiError::new(
                ErrorCode::ClusterContainsServicesException,
                "The Cluster cannot be deleted while Services are active.",
            ));
        }
        if c.running_tasks > 0 || c.pending_tasks > 0 {
            return Err(ApiError::new(
                ErrorCode::ClusterContainsTasksException,
                "The Cluster cannot be deleted while Tasks are active.",
            ));
        }
        let count = records::get::<ClusterCount>(store, keys::CLUSTER_COUNT).await?;
        let count_revision = count.as_ref().map_or(0, |c| c.mod_revision);
        let mut count = count.map(|c| c.value).unwrap_or_default();
        count.active = count.active.saturating_sub(1);
        let mut cluster = current.value.clone();
        cluster.status = Some(INACTIVE.to_owned());
        let key = keys::cluster(&name);
        let txn = Txn::new()
            .when(Compare::mod_revision(&key, current.mod_revision))
            .when(Compare::mod_revision(keys::CLUSTER_COUNT, count_revision))
            .then(Op::put(&key, encode(&cluster)))
            .then(Op::put(keys::CLUSTER_COUNT, encode(&count)));
        if store.txn(txn).await.map_err(internal)?.succeeded {
            tracing::info!(cluster = %name, "Cluster deleted");
            let cluster = render(ctx, cluster, EVERYTHING).await?;
            return Ok(DeleteClusterResponse { cluster: Some(cluster) });
        }
    }
    Err(records::contention(&req.cluster))
}

pub(crate) async fn describe_clusters(
    ctx: &Ctx,
    req: DescribeClustersRequest,
) -> Result<DescribeClustersResponse, ApiError> {
    let references = req.clusters.unwrap_or_else(|| vec![DEFAULT_CLUSTER.to_owned()]);
    if references.len() > 100 {
        return Err(ApiError::invalid_parameter(
            "DescribeClusters accepts at most 100 clusters per call.",
        ));
    }
    let include = req.include.unwrap_or_default();
    let mut clusters = Vec::new();
    let mut failures = Vec::new();
    for reference in references {
        let found = match cluster_name(ctx, Some(&reference))? {
            Some(name) => records::get::<Cluster>(ctx.store(), &keys::cluster(&name)).await?,
            None => None,
        };
        match found {
            Some(cluster) => clusters.push(render(ctx, cluster.value, &include).await?),
            None => {
                failures.push(crate::failures::missing(&reference, |name| ctx.arns().cluster(name)))
            }
        }
    }
    Ok(DescribeClustersResponse { clusters: Some(clusters), failures: Some(failures) })
}

pub(crate) async fn list_clusters(
    ctx: &Ctx,
    req: ListClustersRequest,
) -> Result<ListClustersResponse, ApiError> {
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListClusters", req.next_token.as_deref())?;
    let names: Vec<String> = records::list::<Cluster>(ctx.store(), keys::CLUSTERS)
        .await?
        .into_iter()
        .filter(|c| c.value.status.as_deref() == Some(ACTIVE))
        .filter_map(|c| c.value.cluster_name)
        .collect();
    let (page, next_token) =
        paging::page(names, Clone::clone, "ListClusters", after.as_deref(), size, true);
    Ok(ListClustersResponse {
        cluster_arns: Some(page.iter().map(|n| ctx.arns().cluster(n)).collect()),
        next_token,
    })
}

pub(crate) async fn update_cluster(
    ctx: &Ctx,
    req: UpdateClusterRequest,
) -> Result<UpdateClusterResponse, ApiError> {
    if let Some(settings) = &req.settings {
        check_settings(settings)?;
    }
    let name = active_cluster_name(ctx, Some(&req.cluster)).await?;
    let cluster = records::modify::<Cluster, _, ApiError>(ctx, &keys::cluster(&name), |current| {
        let mut cluster = current
            .filter(|c| c.status.as_deref() == Some(ACTIVE))
            .ok_or_else(cluster_not_found)?;
        if let Some(settings) = &req.settings {
            merge_settings(&mut cluster, settings);
        }
        if let Some(configuration) = &req.configuration {
            cluster.configuration = Some(configuration.clone());
        }
        if let Some(defaults) = &req.service_connect_defaults {
            cluster.service_connect_defaults = Some(api::ClusterServiceConnectDefaults {
                namespace: Some(defaults.namespace.clone()),
            });
        }
        Ok(cluster)
    })
    .await?;
    let cluster = render(ctx, cluster, EVERYTHING).await?;
    Ok(UpdateClusterResponse { cluster: Some(cluster) })
}

pub(crate) async fn update_cluster_settings(
    ctx: &Ctx,
    req: UpdateClusterSettingsRequest,
) -> Result<UpdateClusterSettingsResponse, ApiError> {
    check_settings(&req.settings)?;
    let name = active_cluster_name(ctx, Some(&req.cluster)).await?;
    let cluster = records::modify::<Cluster, _, ApiError>(ctx, &keys::cluster(&name), |current| {
        let mut cluster = current
            .filter(|c| c.status.as_deref() == Some(ACTIVE))
            .ok_or_else(cluster_not_found)?;
        merge_settings(&mut cluster, &req.settings);
        Ok(cluster)
    })
    .await?;
    let cluster = render(ctx, cluster, EVERYTHING).await?;
    Ok(UpdateClusterSettingsResponse { cluster: Some(cluster) })
}

/// PutClusterCapacityProviders: the cluster's providers and default strategy, replaced
/// whole. A provider that an ACTIVE service's strategy names stays.
pub(crate) async fn put_cluster_capacity_providers(
    ctx: &Ctx,
    req: api::PutClusterCapacityProvidersRequest,
) -> Result<api::PutClusterCapacityProvidersResponse, ApiError> {
    let name = active_cluster_name(ctx, Some(&req.cluster)).await?;
    check_capacity_providers(ctx, &req.capacity_providers).await?;
    crate::placement::capacity::check_strategy(&req.default_capacity_provider_strategy)?;
    for item in &req.default_capacity_provider_strategy {
        if !req.capacity_providers.contains(&item.capacity_provider) {
            return Err(ApiError::invalid_parameter(format!(
                "The specified default capacity provider strategy cannot contain a capacity provider that is not associated with the cluster ({}).",
                item.capacity_provider
            )));
        }
    }
    let in_use: Vec<String> = {
        let index = ctx.state().read();
        index
            .cluster(&name)
            .into_iter()
            .flat_map(|c| c.services.values())
            .filter(|e| e.record.service.status == ServiceStatus::Active)
            .flat_map(|e| e.record.service.capacity_provider_strategy.clone().unwrap_or_default())
            .map(|item| item.capacity_provider)
            .filter(|p| !req.capacity_providers.contains(p))
            .collect()
    };
    if let Some(provider) = in_use.first() {
        return Err(ApiError::new(
            api::ErrorCode::ResourceInUseException,
            format!(
                "The capacity provider {provider} is used by a service's capacity provider strategy and cannot be removed from the cluster."
            ),
        ));
    }
    let cluster = records::modify::<Cluster, _, ApiError>(ctx, &keys::cluster(&name), |current| {
        let mut cluster = current
            .filter(|c| c.status.as_deref() == Some(ACTIVE))
            .ok_or_else(cluster_not_found)?;
        cluster.capacity_providers = Some(req.capacity_providers.clone());
        cluster.default_capacity_provider_strategy =
            Some(req.default_capacity_provider_strategy.clone());
        Ok(cluster)
    })
    .await?;
    let cluster = render(ctx, cluster, EVERYTHING).await?;
    Ok(api::PutClusterCapacityProvidersResponse { cluster: Some(cluster) })
}

fn merge_settings(cluster: &mut Cluster, settings: &[ClusterSetting]) {
    let current = cluster.settings.get_or_insert_with(Vec::new);
    for setting in settings {
        match current.iter_mut().find(|s| s.name == setting.name) {
            Some(existing) => existing.value = setting.value.clone(),
            None => current.push(setting.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{ctx, put};

    async fn create(ctx: &Ctx, name: &str) {
        let req = CreateClusterRequest { cluster_name: Some(name.into()), ..Default::default() };
        create_cluster(ctx, req).await.unwrap();
    }

    async fn task(ctx: &Ctx, cluster: &str, id: &str, last_status: &str) {
        let record = json!({"cluster": cluster, "id": id, "instanceId": "i1", "family": "f", "revision": 1,
            "reservation": {"cpu": 0, "memory": 0}, "task": {"lastStatus": last_status}});
        put(ctx, &keys::task(cluster, id), record).await;
    }

    async fn service(ctx: &Ctx, cluster: &str, name: &str, status: &str) {
        let record = json!({"cluster": cluster, "name": name, "service": {"status": status}, "deployments": [],
            "lastCompleted": null, "clientToken": null, "fingerprint": null});
        put(ctx, &keys::service(cluster, name), record).await;
    }

    async fn instance(ctx: &Ctx, cluster: &str, id: &str, status: &str) {
        let record = json!({"cluster": cluster, "id": id, "instance": {"status": status}});
        put(ctx, &keys::instance(cluster, id), record).await;
    }

    async fn delete(ctx: &Ctx, name: &str) -> Result<DeleteClusterResponse, ApiError> {
        delete_cluster(ctx, DeleteClusterRequest { cluster: name.into() }).await
    }

    async fn describe(ctx: &Ctx, name: &str) -> Cluster {
        let req = DescribeClustersRequest { clusters: Some(vec![name.into()]), include: None };
        describe_clusters(ctx, req).await.unwrap().clusters.unwrap().remove(0)
    }

    #[tokio::test]
    async fn counts_follow_the_records_inside_the_cluster() {
        let ctx = ctx().await;
        create(&ctx, "demo").await;
        create(&ctx, "demo-2").await;
        task(&ctx, "demo", "a", "RUNNING").await;
        task(&ctx, "demo", "b", "PENDING").await;
        task(&ctx, "demo", "c", "STOPPED").await;
        service(&ctx, "demo", "web", "ACTIVE").await;
        instance(&ctx, "demo", "i1", "DRAINING").await;
        instance(&ctx, "demo", "i2", "INACTIVE").await;
        let cluster = describe(&ctx, "demo").await;
        assert_eq!(cluster.running_tasks_count, Some(1));
        assert_eq!(cluster.pending_tasks_count, Some(1));
        assert_eq!(cluster.active_services_count, Some(1));
        assert_eq!(cluster.registered_container_instances_count, Some(1));
        // A task that moves on is counted where it is now.
        task(&ctx, "demo", "b", "RUNNING").await;
        let cluster = describe(&ctx, "demo").await;
        assert_eq!((cluster.running_tasks_count, cluster.pending_tasks_count), (Some(2), Some(0)));
        // A cluster whose name is a prefix of another's does not see its records.
        let other = describe(&ctx, "demo-2").await;
        assert_eq!(other.running_tasks_count, Some(0));
    }

    #[tokio::test]
    async fn delete_is_refused_while_the_cluster_holds_something() {
        let ctx = ctx().await;
        create(&ctx, "busy").await;
        instance(&ctx, "busy", "i1", "ACTIVE").await;
        assert_eq!(
            delete(&ctx, "busy").await.unwrap_err().code,
            ErrorCode::ClusterContainsContainerInstancesException
        );
        instance(&ctx, "busy", "i1", "INACTIVE").await;
        service(&ctx, "busy", "web", "DRAINING").await;
        assert_eq!(
            delete(&ctx, "busy").await.unwrap_err().code,
            ErrorCode::ClusterContainsServicesException
        );
        service(&ctx, "busy", "web", "INACTIVE").await;
        task(&ctx, "busy", "t", "PROVISIONING").await;
        let before = ctx.store().revision();
        assert_eq!(
            delete(&ctx, "busy").await.unwrap_err().code,
            ErrorCode::ClusterContainsTasksException
        );
        assert_eq!(ctx.store().revision(), before, "a refused deletion writes nothing");
        assert_eq!(describe(&ctx, "busy").await.status.as_deref(), Some(ACTIVE));
        task(&ctx, "busy", "t", "STOPPED").await;
        let deleted = delete(&ctx, "busy").await.unwrap();
        assert_eq!(deleted.cluster.unwrap().status.as_deref(), Some(INACTIVE));
    }
}
