//! Task definitions: RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions,
//! ListTaskDefinitionFamilies, DeregisterTaskDefinition and DeleteTaskDefinitions.
//!
//! Revisions are numbered per family from 1 and never reused: the family record remembers the
//! last revision ever registered, and registration bumps it in the same transaction that
//! writes the revision. A revision moves ACTIVE → INACTIVE (deregistered) →
//! DELETE_IN_PROGRESS (deleted) and stays describable by family:revision throughout.

mod cache;
mod validate;

pub(crate) use cache::Cache;

use api::{
    ApiError, DeleteTaskDefinitionsRequest, DeleteTaskDefinitionsResponse,
    DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse,
    DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse, Failure,
    ListTaskDefinitionFamiliesRequest, ListTaskDefinitionFamiliesResponse,
    ListTaskDefinitionsRequest, ListTaskDefinitionsResponse, RegisterTaskDefinitionRequest,
    RegisterTaskDefinitionResponse, SortOrder, TaskDefinition, TaskDefinitionFamilyStatus,
    TaskDefinitionField, TaskDefinitionStatus,
};
use store::{Compare, Op, Txn};

use crate::arn::{Kind, valid_name};
use crate::error::Error;
use crate::records::{self, FamilyRecord, TaskDefinitionRecord, Versioned, encode, internal, keys};
use crate::{Ctx, paging, tags};

/// A reference to a task definition: a family (its latest ACTIVE revision) or one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reference {
    Family(String),
    Revision(String, i32),
}

/// Parses `family`, `family:revision` or a task definition ARN. `Ok(None)`: an ARN of another
/// account or region, which cannot exist here.
pub(crate) fn parse_reference(ctx: &Ctx, reference: &str) -> Result<Option<Reference>, ApiError> {
    let Some(rest) = ctx.arns().resolve(Kind::TaskDefinition, reference)? else {
        return Ok(None);
    };
    let from_arn = reference.starts_with("arn:");
    let invalid = || {
        ApiError::invalid_parameter(format!(
            "Invalid task definition {reference:?}: expected family, family:revision or a task definition ARN."
        ))
    };
    match rest.split_once(':') {
        Some((family, revision)) => {
            let revision: i32 = revision.parse().map_err(|_| invalid())?;
            if !valid_name(family) || revision < 1 {
                return Err(invalid());
            }
            Ok(Some(Reference::Revision(family.to_owned(), revision)))
        }
        None if from_arn => Err(invalid()),
        None if valid_name(rest) => Ok(Some(Reference::Family(rest.to_owned()))),
        None => Err(invalid()),
    }
}

/// Every revision of a family, in revision order.
async fn revisions(
    ctx: &Ctx,
    family: &str,
) -> Result<Vec<Versioned<TaskDefinitionRecord>>, ApiError> {
    Ok(records::list(ctx.store(), &keys::task_definitions_of(family)).await?)
}

/// The task definition a reference names: a family's latest ACTIVE revision, or the given
/// revision whatever its status.
pub(crate) async fn find(
    ctx: &Ctx,
    reference: &Reference,
) -> Result<Option<Versioned<TaskDefinitionRecord>>, ApiError> {
    match reference {
        Reference::Family(family) => Ok(revisions(ctx, family)
            .await?
            .into_iter()
            .rev()
            .find(|r| r.value.definition.status == Some(TaskDefinitionStatus::Active))),
        Reference::Revision(family, revision) => {
            Ok(records::get(ctx.store(), &keys::task_definition(family, *revision)).await?)
        }
    }
}

fn unable_to_describe() -> ApiError {
    ApiError::client("Unable to describe task definition.")
}

pub(crate) async fn register_task_definition(
    call: &crate::caller::Call<'_>,
    req: RegisterTaskDefinitionRequest,
) -> Result<RegisterTaskDefinitionResponse, ApiError> {
    let ctx: &Ctx = call.ctx;
    let quotas = &ctx.config().quotas;
    let mut definition = validate::check_registration(&req, quotas)?;
    for constraint in definition.placement_constraints.iter().flatten() {
        if let Some(expression) = &constraint.expression {
            scheduler::query::parse(expression).map_err(|e| {
                ApiError::invalid_parameter(format!(
                    "Invalid placement constraint expression {expression:?}: {e}."
                ))
            })?;
        }
    }
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;

    let family = req.family.clone();
    let family_key = keys::family(&family);
    let store = ctx.store();
    let _family = ctx.key_locks().lock(&family_key).await;
    for _ in 0..64 {
        let current = records::get::<FamilyRecord>(store, &family_key).await?;
        let last = current.as_ref().map_or(0, |f| f.value.last_revision);
        if u64::try_from(last).unwrap_or(0) >= quotas.revisions_per_family {
            return Err(ApiError::limit_exceeded(format!(
                "Family {family} has reached its limit of {} revisions.",
                quotas.revisions_per_family
            )));
        }
        let revision = last + 1;
        definition.task_definition_arn = Some(ctx.arns().task_definition(&family, revision));
        definition.revision = Some(revision);
        definition.status = Some(TaskDefinitionStatus::Active);
        definition.registered_at = Some(ctx.clock().now());
        definition.registered_by = Some(call.principal_arn());
        let record =
            TaskDefinitionRecord { definition: definition.clone(), tags: tag_list.clone() };
        let txn = Txn::new()
            .when(Compare::mod_revision(
                &family_key,
                current.as_ref().map_or(0, |f| f.mod_revision),
            ))
            .then(Op::put(&family_key, encode(&FamilyRecord { last_revision: revision })))
            .then(Op::put(keys::task_definition(&family, revision), encode(&record)));
        if store.txn(txn).await.map_err(internal)?.succeeded {
            tracing::info!(family = %family, revision, "Task definition registered");
            return Ok(RegisterTaskDefinitionResponse {
                task_definition: Some(definition),
                tags: Some(tag_list),
            });
        }
    }
    Err(records::contention(&family_key))
}

pub(crate) async fn describe_task_definition(
    ctx: &Ctx,
    req: DescribeTaskDefinitionRequest,
) -> Result<DescribeTaskDefinitionResponse, ApiError> {
    let reference = parse_reference(ctx, &req.task_definition)?.ok_or_else(unable_to_describe)?;
    let record = find(ctx, &reference).await?.ok_or_else(unable_to_describe)?.value;
    let with_tags = req.include.unwrap_or_default().contains(&TaskDefinitionField::Tags);
    Ok(DescribeTaskDefinitionResponse {
        task_definition: Some(record.definition),
        tags: with_tags.then_some(record.tags),
    })
}

pub(crate) async fn list_task_definitions(
    ctx: &Ctx,
    req: ListTaskDefinitionsRequest,
) -> Result<ListTaskDefinitionsResponse, ApiError> {
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListTaskDefinitions", req.next_token.as_deref())?;
    let status = req.status.unwrap_or(TaskDefinitionStatus::Active);
    let ascending = req.sort != Some(SortOrder::Desc);
    // familyPrefix is, as in ECS, the full family name whose revisions are listed.
    let prefix = match &req.family_prefix {
        Some(family) => keys::task_definitions_of(family),
        None => keys::TASK_DEFINITIONS.to_owned(),
    };
    let range = ctx.store().range(&prefix, Default::default()).await.map_err(internal)?;
    let mut listed: Vec<(String, String)> = Vec::new();
    for kv in &range.kvs {
        let record: TaskDefinitionRecord = serde_json::from_slice(&kv.value).map_err(|e| {
            tracing::error!(key = %kv.key, error = %e, "A stored task definition does not decode");
            ApiError::server()
        })?;
        if record.definition.status == Some(status) {
            let arn = record.definition.task_definition_arn.unwrap_or_default();
            listed.push((kv.key.clone(), arn));
        }
    }
    if !ascending {
        listed.reverse();
    }
    let (page, next_token) = paging::page(
        listed,
        |(key, _)| key.clone(),
        "ListTaskDefinitions",
        after.as_deref(),
        size,
        ascending,
    );
    Ok(ListTaskDefinitionsResponse {
        task_definition_arns: Some(page.into_iter().map(|(_, arn)| arn).collect()),
        next_token,
    })
}

pub(crate) async fn list_task_definition_families(
    ctx: &Ctx,
    req: ListTaskDefinitionFamiliesRequest,
) -> Result<ListTaskDefinitionFamiliesResponse, ApiError> {
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListTaskDefinitionFamilies", req.next_token.as_deref())?;
    let status = req.status.unwrap_or(TaskDefinitionFamilyStatus::Active);
    let prefix = req.family_prefix.unwrap_or_default();
    let families: Vec<String> = ctx
        .store()
        .range(&keys::family(&prefix), Default::default())
        .await
        .map_err(internal)?
        .kvs
        .into_iter()
        .filter_map(|kv| kv.key.strip_prefix(keys::FAMILIES).map(str::to_owned))
        .collect();
    let mut listed = Vec::new();
    for family in families {
        let keep = match status {
            TaskDefinitionFamilyStatus::All => true,
            wanted => {
                let has_active = revisions(ctx, &family)
                    .await?
                    .iter()
                    .any(|r| r.value.definition.status == Some(TaskDefinitionStatus::Active));
                has_active == (wanted == TaskDefinitionFamilyStatus::Active)
            }
        };
        if keep {
            listed.push(family);
        }
    }
    let (page, next_token) = paging::page(
        listed,
        Clone::clone,
        "ListTaskDefinitionFamilies",
        after.as_deref(),
        size,
        true,
    );
    Ok(ListTaskDefinitionFamiliesResponse { families: Some(page), next_token })
}

/// The one revision a reference must name for deregistration and deletion.
fn exact(ctx: &Ctx, reference: &str) -> Result<Option<(String, i32)>, ApiError> {
    match parse_reference(ctx, reference)? {
        Some(Reference::Revision(family, revision)) => Ok(Some((family, revision))),
        Some(Reference::Family(_)) => Err(ApiError::client(format!(
            "Invalid task definition {reference:?}: a revision is required (family:revision or an ARN)."
        ))),
        None => Ok(None),
    }
}

pub(crate) async fn deregister_task_definition(
    ctx: &Ctx,
    req: DeregisterTaskDefinitionRequest,
) -> Result<DeregisterTaskDefinitionResponse, ApiError> {
    let missing = || ApiError::client("The specified task definition does not exist.");
    let (family, revision) = exact(ctx, &req.task_definition)?.ok_or_else(missing)?;
    let now = ctx.clock().now();
    let record = records::modify::<TaskDefinitionRecord, _, ApiError>(
        ctx,
        &keys::task_definition(&family, revision),
        |current| {
            let mut record = current.ok_or_else(missing)?;
            match record.definition.status {
                Some(TaskDefinitionStatus::Active) => {
                    record.definition.status = Some(TaskDefinitionStatus::Inactive);
                    record.definition.deregistered_at = Some(now);
                    Ok(record)
                }
                Some(TaskDefinitionStatus::Inactive) => Ok(record),
                _ => Err(ApiError::client(
                    "The specified task definition is being deleted and cannot be deregistered.",
                )),
            }
        },
    )
    .await?;
    tracing::info!(family = %family, revision, "Task definition deregistered");
    Ok(DeregisterTaskDefinitionResponse { task_definition: Some(record.definition) })
}

pub(crate) async fn delete_task_definitions(
    ctx: &Ctx,
    req: DeleteTaskDefinitionsRequest,
) -> Result<DeleteTaskDefinitionsResponse, ApiError> {
    if req.task_definitions.is_empty() || req.task_definitions.len() > 10 {
        return Err(ApiError::invalid_parameter(
            "taskDefinitions must list between 1 and 10 task definitions.",
        ));
    }
    // As in ECS, a reference that names no revision is a failure of its own, not of the call.
    let mut deleted: Vec<TaskDefinition> = Vec::new();
    let mut failures = Vec::new();
    for reference in &req.task_definitions {
        let failure = |reason: &str| Failure {
            arn: Some(reference.clone()),
            reason: Some(reason.to_owned()),
            detail: None,
        };
        let (family, revision) = match parse_reference(ctx, reference)? {
            Some(Reference::Revision(family, revision)) => (family, revision),
            Some(Reference::Family(_)) => {
                failures.push(failure(&format!(
                    "Invalid task definition {reference:?}: a revision is required (family:revision or an ARN)."
                )));
                continue;
            }
            None => {
                failures.push(failure("The specified task definition does not exist."));
                continue;
            }
        };
        let now = ctx.clock().now();
        let outcome = records::modify::<TaskDefinitionRecord, _, Error>(ctx,
            &keys::task_definition(&family, revision),
            |current| {
                let mut record = current.ok_or_else(|| {
                    Error::InvalidState("The specified task definition does not exist.".to_owned())
                })?;
                match record.definition.status {
                    Some(TaskDefinitionStatus::Inactive) => {
                        record.definition.status = Some(TaskDefinitionStatus::DeleteInProgress);
                        record.definition.delete_requested_at = Some(now);
                        Ok(record)
                    }
                    Some(TaskDefinitionStatus::DeleteInProgress) => Ok(record),
                    _ => Err(Error::InvalidState(
                        "The specified task definition is still in ACTIVE status. Please deregister the target and try again.".to_owned(),
                    )),
                }
            },
        )
        .await;
        match outcome {
            Ok(record) => deleted.push(record.definition),
            Err(Error::InvalidState(message)) => failures.push(failure(&message)),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(DeleteTaskDefinitionsResponse { task_definitions: Some(deleted), failures: Some(failures) })
}
