//! Resource tags: the ECS rules for keys and values, and TagResource, UntagResource and
//! ListTagsForResource over every taggable record.

use api::{
    ApiError, ErrorCode, ListTagsForResourceRequest, ListTagsForResourceResponse, Tag,
    TagResourceRequest, TagResourceResponse, UntagResourceRequest, UntagResourceResponse,
};

use crate::Ctx;
use crate::records::{self, TaskDefinitionRecord, keys};

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
        if key.to_ascii_lowercase().starts_with("aws:") {
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

/// Adds or overwrites `new` tags in `tags`, refusing if the result exceeds `limit`.
pub(crate) fn merge(tags: &mut Vec<Tag>, new: &[Tag], limit: usize) -> Result<(), ApiError> {
    for tag in new {
        match tags.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value.clone(),
            None => tags.push(tag.clone()),
        }
    }
    if tags.len() > limit {
        return Err(ApiError::invalid_parameter(format!(
            "The resource would have {} tags; the limit is {limit} per resource.",
            tags.len()
        )));
    }
    Ok(())
}

/// A taggable resource, found from its ARN.
enum Resource {
    Cluster(String),
    TaskDefinition(String, i32),
}

fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::ResourceNotFoundException,
        "The specified resource could not be found.",
    )
}

/// ListTagsForResource's answer for a resource it cannot find: its model has no
/// `ResourceNotFoundException` (TagResource's and UntagResource's have).
fn not_found_to_list() -> ApiError {
    ApiError::client("The specified resource could not be found.")
}

fn resolve(ctx: &Ctx, arn: &str, not_found: fn() -> ApiError) -> Result<Resource, ApiError> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::invalid_parameter(format!(
            "resourceArn must be an ARN; got {arn:?}."
        )));
    }
    let resource = ctx.arns().resource(arn)?.ok_or_else(not_found)?;
    if let Some(name) = resource.strip_prefix("cluster/") {
        return Ok(Resource::Cluster(name.to_owned()));
    }
    if let Some(rest) = resource.strip_prefix("task-definition/") {
        let (family, revision) = rest.rsplit_once(':').ok_or_else(not_found)?;
        let revision = revision.parse().map_err(|_| not_found())?;
        return Ok(Resource::TaskDefinition(family.to_owned(), revision));
    }
    Err(not_found())
}

async fn update_tags(
    ctx: &Ctx,
    arn: &str,
    change: impl Fn(&mut Vec<Tag>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    match resolve(ctx, arn, not_found)? {
        Resource::Cluster(name) => {
            records::modify::<api::Cluster, _, ApiError>(ctx, &keys::cluster(&name), |current| {
                let mut cluster =
                    current.filter(|c| c.status.as_deref() == Some("ACTIVE")).ok_or_else(|| {
                        ApiError::from(crate::error::Error::NotFound(
                            crate::error::Resource::Cluster,
                        ))
                    })?;
                let mut tags = cluster.tags.take().unwrap_or_default();
                change(&mut tags)?;
                cluster.tags = Some(tags);
                Ok(cluster)
            })
            .await?;
        }
        Resource::TaskDefinition(family, revision) => {
            records::modify::<TaskDefinitionRecord, _, ApiError>(
                ctx,
                &keys::task_definition(&family, revision),
                |current| {
                    let mut record = current.ok_or_else(not_found)?;
                    change(&mut record.tags)?;
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
    let store = ctx.store();
    let tags = match resolve(ctx, &req.resource_arn, not_found_to_list)? {
        Resource::Cluster(name) => {
            let cluster = records::get::<api::Cluster>(store, &keys::cluster(&name))
                .await?
                .filter(|c| c.value.status.as_deref() == Some("ACTIVE"))
                .ok_or_else(|| {
                    ApiError::from(crate::error::Error::NotFound(crate::error::Resource::Cluster))
                })?;
            cluster.value.tags.unwrap_or_default()
        }
        Resource::TaskDefinition(family, revision) => {
            records::get::<TaskDefinitionRecord>(store, &keys::task_definition(&family, revision))
                .await?
                .ok_or_else(not_found_to_list)?
                .value
                .tags
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
}
