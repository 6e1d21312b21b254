//! Resource tags: the ECS rules for keys and values, the tags a new task gets, and TagResource,
//! UntagResource and ListTagsForResource over every taggable record (clusters, task
//! definitions, services, tasks and container instances).
//!
//! Keys that start with `aws:` (in any case) are ECS's own: users may neither add nor remove
//! them, and they do not count against the per-resource quota. Berth writes two of them, the
//! managed tags of tasks (`aws:ecs:clusterName`, and `aws:ecs:serviceName` on a service's tasks).

use api::{
    ApiError, ErrorCode, ListTagsForResourceRequest, ListTagsForResourceResponse, Tag,
    TagResourceRequest, TagResourceResponse, UntagResourceRequest, UntagResourceResponse,
};

use crate::Ctx;
use crate::error::{Error, Resource as Kind};
use crate::records::{
    self, InstanceRecord, InstanceStatus, ServiceRecord, ServiceStatus, TaskDefinitionRecord,
    TaskRecord, keys,
};
use crate::state::modify_seen;

/// The managed tag naming a task's cluster.
pub(crate) const CLUSTER_NAME_TAG: &str = "aws:ecs:clusterName";
/// The managed tag naming the service a task belongs to.
pub(crate) const SERVICE_NAME_TAG: &str = "aws:ecs:serviceName";

/// Whether a key is reserved for AWS (`aws:` in any case).
pub(crate) fn reserved(key: &str) -> bool {
    key.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
}

/// Checks tags given on creation or by TagResource: at most the quota, keys 1 to 128 and
/// values up to 256 characters from ECS's set, no duplicate keys, no `aws:` prefix.
pub(crate) fn check_tags(tags: &[Tag], limit: usize) -> Result<(), ApiError> {
    if tags.len() > limit {
        return Err(ApiError::invalid_parameter(format!(
            "The number of tags ({}) exceeds the limit of {limit} per resource.",
            tags.len()
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for tag in tags {
        let key = tag.key.as_deref().unwrap_or("");
        let value = tag.value.as_deref().unwrap_or("");
        if key.is_empty() || key.chars().count() > 128 {
            return Err(ApiError::invalid_parameter(format!(
                "Tag keys must be between 1 and 128 characters; got {key:?}."
            )));
        }
        if value.chars().count() > 256 {
            return Err(ApiError::invalid_parameter(format!(
                "The value of tag {key:?} is longer than 256 characters."
            )));
        }
        for text in [key, value] {
            if let Some(bad) = text.chars().find(|&c| !tag_char(c)) {
                return Err(ApiError::invalid_parameter(format!(
                    "Tag {key:?} contains the character {bad:?}; tags may contain letters, numbers, spaces and _ . : / = + - @."
                )));
            }
        }
        if reserved(key) {
            return Err(ApiError::invalid_parameter(format!(
                "Tag key {key:?} uses the reserved prefix aws:."
            )));
        }
        if !seen.insert(key) {
            return Err(ApiError::invalid_parameter(format!(
                "Tag key {key:?} is given more than once."
            )));
        }
    }
    Ok(())
}

fn tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

/// The tags that count against the per-resource quota: all but the `aws:` ones.
fn counted(tags: &[Tag]) -> usize {
    tags.iter().filter(|t| !reserved(t.key.as_deref().unwrap_or(""))).count()
}

/// Adds or overwrites `new` tags in `tags`, refusing if the result exceeds `limit` (the
/// `aws:` tags the resource has do not count).
pub(crate) fn merge(tags: &mut Vec<Tag>, new: &[Tag], limit: usize) -> Result<(), ApiError> {
    for tag in new {
        match tags.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value.clone(),
            None => tags.push(tag.clone()),
        }
    }
    let count = counted(tags);
    if count > limit {
        return Err(ApiError::invalid_parameter(format!(
            "The resource would have {count} tags; the limit is {limit} per resource."
        )));
    }
    Ok(())
}

/// The tags a new task gets: the caller's own, then the propagated ones (the task
/// definition's or the service's) whose keys the caller did not give, then ECS's managed tags
/// when asked for. Refused if the caller's and the propagated tags together exceed `limit`.
pub(crate) fn for_new_task(
    own: &[Tag],
    propagated: &[Tag],
    managed: Option<Managed<'_>>,
    limit: usize,
) -> Result<Vec<Tag>, ApiError> {
    let mut tags = own.to_vec();
    for tag in propagated {
        if !tags.iter().any(|t| t.key == tag.key) {
            tags.push(tag.clone());
        }
    }
    let count = counted(&tags);
    if count > limit {
        return Err(ApiError::invalid_parameter(format!(
            "The task would have {count} tags with the propagated ones; the limit is {limit} per resource."
        )));
    }
    if let Some(managed) = managed {
        let mut add = |key: &str, value: &str| {
            tags.retain(|t| t.key.as_deref() != Some(key));
            tags.push(Tag { key: Some(key.to_owned()), value: Some(value.to_owned()) });
        };
        add(CLUSTER_NAME_TAG, managed.cluster);
        if let Some(service) = managed.service {
            add(SERVICE_NAME_TAG, service);
        }
    }
    Ok(tags)
}

/// What ECS's managed tags of a new task name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Managed<'a> {
    pub(crate) cluster: &'a str,
    pub(crate) service: Option<&'a str>,
}

/// A taggable resource, found from its ARN.
enum Resource {
    Cluster(String),
    /// A custom capacity provider (the built-in ones have no tags to change).
    CapacityProvider(String),
    TaskDefinition(String, i32),
    Service {
        cluster: String,
        name: String,
    },
    Task {
        cluster: String,
        id: String,
    },
    ContainerInstance {
        cluster: String,
        id: String,
    },
    /// A task set of an EXTERNAL service: `task-set/<cluster>/<service>/<id>`.
    TaskSet {
        cluster: String,
        service: String,
        id: String,
    },
}

/// The answer for an ARN that names no taggable resource Berth has: TagResource and
/// UntagResource have ECS's `ResourceNotFoundException`; ListTagsForResource's model lists no
/// such code, so it answers `InvalidParameterException`. (An ARN in a cluster that does not
/// exist answers `ClusterNotFoundException` for all three.)
#[derive(Debug, Clone, Copy)]
enum Operation {
    Change,
    List,
}

impl Operation {
    fn not_found(self) -> ApiError {
        const MESSAGE: &str = "The specified resource could not be found.";
        match self {
            Operation::Change => ApiError::new(ErrorCode::ResourceNotFoundException, MESSAGE),
            Operation::List => ApiError::invalid_parameter(MESSAGE),
        }
    }
}

fn resolve(ctx: &Ctx, arn: &str, op: Operation) -> Result<Resource, ApiError> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::invalid_parameter(format!(
            "resourceArn must be an ARN; got {arn:?}."
        )));
    }
    let not_found = || op.not_found();
    let resource = ctx.arns().resource(arn)?.ok_or_else(not_found)?;
    let (kind, rest) = resource.split_once('/').ok_or_else(not_found)?;
    // Resources inside a cluster are tagged by their long ARN, `<kind>/<cluster>/<name>`; the
    // short one (`<kind>/<name>`) does not say which cluster, and ECS refuses it.
    let in_cluster = || match rest.split_once('/') {
        Some((cluster, name)) if !cluster.is_empty() && !name.is_empty() => {
            Ok((cluster.to_owned(), name.to_owned()))
        }
        Some(_) => Err(not_found()),
        None => Err(ApiError::invalid_parameter(format!(
            "The ARN {arn} is in the short format; tag the resource by its long ARN, {kind}/<cluster>/<name>."
        ))),
    };
    match kind {
        "cluster" => Ok(Resource::Cluster(rest.to_owned())),
        "capacity-provider" => Ok(Resource::CapacityProvider(rest.to_owned())),
        "task-definition" => {
            let (family, revision) = rest.rsplit_once(':').ok_or_else(not_found)?;
            let revision = revision.parse().map_err(|_| not_found())?;
            Ok(Resource::TaskDefinition(family.to_owned(), revision))
        }
        "service" => in_cluster().map(|(cluster, name)| Resource::Service { cluster, name }),
        "task" => in_cluster().map(|(cluster, id)| Resource::Task { cluster, id }),
        "container-instance" => {
            in_cluster().map(|(cluster, id)| Resource::ContainerInstance { cluster, id })
        }
        "task-set" => {
            let mut parts = rest.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(cluster), Some(service), Some(id))
                    if !cluster.is_empty() && !service.is_empty() && !id.is_empty() =>
                {
                    Ok(Resource::TaskSet {
                        cluster: cluster.to_owned(),
                        service: service.to_owned(),
                        id: id.to_owned(),
                    })
                }
                _ => Err(not_found()),
            }
        }
        _ => Err(not_found()),
    }
}

/// The cluster's record if it is ACTIVE; `ClusterNotFoundException` otherwise.
async fn active_cluster(ctx: &Ctx, name: &str) -> Result<api::Cluster, ApiError> {
    records::get::<api::Cluster>(ctx.store(), &keys::cluster(name))
        .await?
        .map(|c| c.value)
        .filter(|c| c.status.as_deref() == Some("ACTIVE"))
        .ok_or_else(|| Error::NotFound(Kind::Cluster).into())
}

/// Changes the tags of the resource `arn` names with compare-and-swap on its record.
async fn update_tags(
    ctx: &Ctx,
    arn: &str,
    change: impl Fn(&mut Vec<Tag>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let op = Operation::Change;
    let change_in = |tags: &mut Option<Vec<Tag>>| {
        let mut list = tags.take().unwrap_or_default();
        change(&mut list)?;
        *tags = Some(list);
        Ok::<_, ApiError>(())
    };
    match resolve(ctx, arn, op)? {
        Resource::Cluster(name) => {
            records::modify::<api::Cluster, _, ApiError>(ctx, &keys::cluster(&name), |current| {
                let mut cluster = current
                    .filter(|c| c.status.as_deref() == Some("ACTIVE"))
                    .ok_or_else(|| ApiError::from(Error::NotFound(Kind::Cluster)))?;
                change_in(&mut cluster.tags)?;
                Ok(cluster)
            })
            .await?;
        }
        Resource::CapacityProvider(name) => {
            records::modify::<api::CapacityProvider, _, ApiError>(
                ctx,
                &keys::capacity_provider(&name),
                |current| {
                    let mut provider = current
                        .filter(|p| p.status == Some(api::CapacityProviderStatus::Active))
                        .ok_or_else(|| op.not_found())?;
                    change_in(&mut provider.tags)?;
                    Ok(provider)
                },
            )
            .await?;
        }
        Resource::TaskDefinition(family, revision) => {
            records::modify::<TaskDefinitionRecord, _, ApiError>(
                ctx,
                &keys::task_definition(&family, revision),
                |current| {
                    let mut record = current.ok_or_else(|| op.not_found())?;
                    change(&mut record.tags)?;
                    Ok(record)
                },
            )
            .await?;
        }
        Resource::Service { cluster, name } => {
            active_cluster(ctx, &cluster).await?;
            modify_seen::<ServiceRecord, _, ApiError>(
                ctx,
                &keys::service(&cluster, &name),
                |current| {
                    let mut record = current
                        .filter(|r| r.status() != ServiceStatus::Inactive)
                        .ok_or_else(|| op.not_found())?;
                    change_in(&mut record.service.tags)?;
                    Ok(record)
                },
            )
            .await?;
        }
        Resource::TaskSet { cluster, service, id } => {
            active_cluster(ctx, &cluster).await?;
            modify_seen::<ServiceRecord, _, ApiError>(
                ctx,
                &keys::service(&cluster, &service),
                |current| {
                    let mut record = current
                        .filter(|r| r.status() != ServiceStatus::Inactive)
                        .ok_or_else(|| op.not_found())?;
                    let set = record
                        .task_sets
                        .iter_mut()
                        .find(|s| s.id == id)
                        .ok_or_else(|| op.not_found())?;
                    change(&mut set.tags)?;
                    Ok(record)
                },
            )
            .await?;
        }
        Resource::Task { cluster, id } => {
            active_cluster(ctx, &cluster).await?;
            modify_seen::<TaskRecord, _, ApiError>(ctx, &keys::task(&cluster, &id), |current| {
                let mut record = current.ok_or_else(|| op.not_found())?;
                change_in(&mut record.task.tags)?;
                Ok(record)
            })
            .await?;
        }
        Resource::ContainerInstance { cluster, id } => {
            active_cluster(ctx, &cluster).await?;
            modify_seen::<InstanceRecord, _, ApiError>(
                ctx,
                &keys::instance(&cluster, &id),
                |current| {
                    let mut record = current
                        .filter(|r| r.instance.status != InstanceStatus::Inactive)
                        .ok_or_else(|| op.not_found())?;
                    change_in(&mut record.instance.tags)?;
                    Ok(record)
                },
            )
            .await?;
        }
    }
    Ok(())
}

pub(crate) async fn tag_resource(
    ctx: &Ctx,
    req: TagResourceRequest,
) -> Result<TagResourceResponse, ApiError> {
    let limit = ctx.config().quotas.tags_per_resource;
    check_tags(&req.tags, limit)?;
    update_tags(ctx, &req.resource_arn, |tags| merge(tags, &req.tags, limit)).await?;
    Ok(TagResourceResponse {})
}

pub(crate) async fn untag_resource(
    ctx: &Ctx,
    req: UntagResourceRequest,
) -> Result<UntagResourceResponse, ApiError> {
    if let Some(key) = req.tag_keys.iter().find(|k| reserved(k)) {
        return Err(ApiError::invalid_parameter(format!(
            "Tag key {key:?} uses the reserved prefix aws:; such tags cannot be removed."
        )));
    }
    update_tags(ctx, &req.resource_arn, |tags| {
        tags.retain(|t| !req.tag_keys.iter().any(|k| Some(k) == t.key.as_ref()));
        Ok(())
    })
    .await?;
    Ok(UntagResourceResponse {})
}

pub(crate) async fn list_tags_for_resource(
    ctx: &Ctx,
    req: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let op = Operation::List;
    let store = ctx.store();
    let tags = match resolve(ctx, &req.resource_arn, op)? {
        Resource::Cluster(name) => active_cluster(ctx, &name).await?.tags.unwrap_or_default(),
        // The built-in providers have none.
        Resource::CapacityProvider(name) if name == "FARGATE" || name == "FARGATE_SPOT" => {
            Vec::new()
        }
        Resource::CapacityProvider(name) => {
            records::get::<api::CapacityProvider>(store, &keys::capacity_provider(&name))
                .await?
                .map(|v| v.value)
                .filter(|p| p.status == Some(api::CapacityProviderStatus::Active))
                .ok_or_else(|| op.not_found())?
                .tags
                .unwrap_or_default()
        }
        Resource::TaskDefinition(family, revision) => {
            records::get::<TaskDefinitionRecord>(store, &keys::task_definition(&family, revision))
                .await?
                .ok_or_else(|| op.not_found())?
                .value
                .tags
        }
        Resource::Service { cluster, name } => {
            active_cluster(ctx, &cluster).await?;
            let index = ctx.state().read();
            let entry = index.cluster(&cluster).and_then(|c| c.services.get(name.as_str()));
            let record = entry
                .map(|e| &e.record)
                .filter(|r| r.status() != ServiceStatus::Inactive)
                .ok_or_else(|| op.not_found())?;
            record.service.tags.clone().unwrap_or_default()
        }
        Resource::TaskSet { cluster, service, id } => {
            active_cluster(ctx, &cluster).await?;
            let index = ctx.state().read();
            let entry = index.cluster(&cluster).and_then(|c| c.services.get(service.as_str()));
            let record = entry
                .map(|e| &e.record)
                .filter(|r| r.status() != ServiceStatus::Inactive)
                .ok_or_else(|| op.not_found())?;
            let set = record.task_sets.iter().find(|s| s.id == id).ok_or_else(|| op.not_found())?;
            set.tags.clone()
        }
        Resource::Task { cluster, id } => {
            active_cluster(ctx, &cluster).await?;
            let index = ctx.state().read();
            let entry = index.cluster(&cluster).and_then(|c| c.tasks.get(id.as_str()));
            let indexed = entry.map(|e| &e.record).ok_or_else(|| op.not_found())?;
            indexed.record()?.task.tags.unwrap_or_default()
        }
        Resource::ContainerInstance { cluster, id } => {
            active_cluster(ctx, &cluster).await?;
            let index = ctx.state().read();
            let entry = index.cluster(&cluster).and_then(|c| c.instances.get(id.as_str()));
            let record = entry
                .map(|e| &e.record)
                .filter(|r| r.instance.status != InstanceStatus::Inactive)
                .ok_or_else(|| op.not_found())?;
            record.instance.tags.clone().unwrap_or_default()
        }
    };
    Ok(ListTagsForResourceResponse { tags: Some(tags) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag { key: Some(k.into()), value: Some(v.into()) }
    }

    #[test]
    fn tag_rules() {
        check_tags(&[tag("team", "core"), tag("cost center", "a/b@c")], 50).unwrap();
        assert!(check_tags(&[tag("aws:x", "v")], 50).unwrap_err().message.contains("reserved"));
        assert!(check_tags(&[tag("AWS:x", "v")], 50).is_err());
        assert!(check_tags(&[tag("aWs:x", "v")], 50).is_err());
        check_tags(&[tag("aws", "v"), tag("awsx:y", "v")], 50).unwrap();
        assert!(check_tags(&[tag("", "v")], 50).is_err());
        assert!(check_tags(&[tag(&"k".repeat(129), "v")], 50).is_err());
        assert!(check_tags(&[tag("k", &"v".repeat(257))], 50).is_err());
        assert!(check_tags(&[tag("k", "v"), tag("k", "w")], 50).is_err());
        assert!(check_tags(&[tag("k", "v;")], 50).is_err());
        let many: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
        assert!(check_tags(&many, 50).is_err());
    }

    #[test]
    fn merge_overwrites_and_counts() {
        let mut tags = vec![tag("a", "1"), tag("b", "2")];
        merge(&mut tags, &[tag("b", "3"), tag("c", "4")], 3).unwrap();
        assert_eq!(tags, vec![tag("a", "1"), tag("b", "3"), tag("c", "4")]);
        assert!(merge(&mut tags, &[tag("d", "5")], 3).is_err());
    }

    #[test]
    fn aws_tags_do_not_count_against_the_quota() {
        let mut tags = vec![tag(CLUSTER_NAME_TAG, "c"), tag(SERVICE_NAME_TAG, "s"), tag("a", "1")];
        merge(&mut tags, &[tag("b", "2")], 2).unwrap();
        assert_eq!(tags.len(), 4);
        let error = merge(&mut tags, &[tag("c", "3")], 2).unwrap_err();
        assert!(error.message.contains("would have 3 tags"), "{}", error.message);
    }

    #[test]
    fn a_new_tasks_tags_are_its_own_then_the_propagated_then_the_managed() {
        let own = [tag("team", "core"), tag("app", "mine")];
        let propagated = [tag("app", "theirs"), tag("tier", "web")];
        let managed = Managed { cluster: "prod", service: Some("web") };
        let tags = for_new_task(&own, &propagated, Some(managed), 50).unwrap();
        assert_eq!(
            tags,
            vec![
                tag("team", "core"),
                tag("app", "mine"),
                tag("tier", "web"),
                tag(CLUSTER_NAME_TAG, "prod"),
                tag(SERVICE_NAME_TAG, "web"),
            ]
        );
        let standalone = Managed { cluster: "prod", service: None };
        assert_eq!(
            for_new_task(&[], &[], Some(standalone), 50).unwrap(),
            vec![tag(CLUSTER_NAME_TAG, "prod")]
        );
        assert_eq!(for_new_task(&own, &[], None, 50).unwrap(), own.to_vec());
        // Managed tags do not count; the caller's and the propagated ones together do.
        assert_eq!(for_new_task(&own, &propagated, Some(managed), 3).unwrap().len(), 5);
        assert!(for_new_task(&own, &propagated, None, 2).is_err());
    }
}
