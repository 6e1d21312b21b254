//! DescribeTasks, ListTasks, and the resource use agents sample (BerthV1.DescribeTaskUsage).

use std::collections::HashMap;

use api::{ApiError, DescribeTasksRequest, ListTasksRequest, ListTasksResponse, TaskField};

use super::{render_record, task_id, task_not_found};
use crate::arn::Kind;
use crate::clusters::active_cluster_name;
use crate::records::{DesiredStatus, TaskState, TaskStatus};
use crate::{Ctx, paging};

/// DescribeTasks, answered as JSON written directly: each task's JSON (without tags) is kept
/// with its record (`TaskRecord::rendered`) and reused until the record or its agent's
/// connectivity changes, so a call costs about a copy of its tasks' bytes.
pub(crate) async fn describe_tasks(
    ctx: &Ctx,
    req: DescribeTasksRequest,
) -> Result<Vec<u8>, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.tasks.is_empty() {
        return Err(ApiError::invalid_parameter("tasks must name at least one task."));
    }
    if req.tasks.len() > 100 {
        return Err(ApiError::invalid_parameter("DescribeTasks accepts at most 100 tasks."));
    }
    let failed = |error: serde_json::Error| {
        tracing::error!(%error, "Serializing a task failed");
        ApiError::server()
    };
    let with_tags = req.include.unwrap_or_default().contains(&TaskField::Tags);
    let index = ctx.state().read();
    let cluster_index = index.cluster(&cluster);
    let (found, failures) = crate::failures::describe_each(
        &req.tasks,
        |reference| {
            let id = ctx.arns().resolve_in_cluster_ref(Kind::Task, &cluster, reference)?;
            Ok(id.and_then(|id| cluster_index.and_then(|c| c.tasks.get(id))).map(|e| &e.record))
        },
        |id| ctx.arns().task(&cluster, id),
    )?;
    // Every task's agent connectivity, at one instant under one lock.
    let connectivities: Vec<Option<api::Connectivity>> =
        ctx.liveness().with_cluster(&cluster, |connected| {
            // A call's tasks are mostly on a few instances: the first sixteen instances'
            // answers are kept, and looked up again by comparing ids instead of hashing them.
            let mut known: Vec<(&str, bool)> = Vec::new();
            found
                .iter()
                .map(|record| {
                    // A Fargate task's host is the pool's: see below.
                    let instance = record
                        .instance_id
                        .as_deref()
                        .filter(|_| !record.is_stopped() && record.host_cluster.is_none())?;
                    let up = match known.iter().find(|(id, _)| *id == instance) {
                        Some(&(_, up)) => up,
                        None => {
                            let up = connected(instance);
                            if known.len() < 16 {
                                known.push((instance, up));
                            }
                            up
                        }
                    };
                    Some(if up {
                        api::Connectivity::Connected
                    } else {
                        api::Connectivity::Disconnected
                    })
                })
                .collect()
        });
    let connectivities: Vec<Option<api::Connectivity>> = found
        .iter()
        .zip(connectivities)
        .map(|(record, known)| match &record.host_cluster {
            Some(_) => super::connectivity(ctx, record.as_ref()),
            None => known,
        })
        .collect();
    let mut out = Vec::with_capacity(64 + found.len() * 1536);
    out.extend_from_slice(b"{\"tasks\":[");
    for (n, (record, connectivity)) in found.into_iter().zip(connectivities).enumerate() {
        if n > 0 {
            out.push(b',');
        }
        if with_tags {
            let task = render_record(ctx, record.record()?, true, connectivity);
            serde_json::to_writer(&mut out, &task).map_err(failed)?;
            continue;
        }
        match record.rendered.0.get() {
            Some((rendered_with, json)) if *rendered_with == connectivity => {
                out.extend_from_slice(json);
            }
            _ => {
                let task = render_record(ctx, record.record()?, false, connectivity);
                let json = serde_json::to_vec(&task).map_err(failed)?;
                out.extend_from_slice(&json);
                // The first rendering of this version of the record is kept.
                let _ = record.rendered.0.set((connectivity, crate::records::exact(json)));
            }
        }
    }
    out.extend_from_slice(b"],\"failures\":");
    serde_json::to_writer(&mut out, &failures).map_err(failed)?;
    out.push(b'}');
    Ok(out)
}

pub(crate) async fn list_tasks(
    ctx: &Ctx,
    req: ListTasksRequest,
) -> Result<ListTasksResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let size = paging::page_size(req.max_results, 100)?;
    let after = paging::resume_after("ListTasks", req.next_token.as_deref())?;
    let desired =
        req.desired_status.map_or(DesiredStatus::Running, |d| DesiredStatus::from_name(d.as_str()));
    let instance = match &req.container_instance {
        Some(reference) => Some(
            crate::container_instances::instance_id(ctx, &cluster, reference)?.unwrap_or_default(),
        ),
        None => None,
    };
    let service = match &req.service_name {
        Some(reference) => Some(
            ctx.arns().resolve_in_cluster(Kind::Service, &cluster, reference)?.unwrap_or_default(),
        ),
        None => None,
    };
    let group = service.as_ref().map(|name| format!("service:{name}"));
    let index = ctx.state().read();
    // As ECS: a service that does not exist is an error, not an empty list.
    if let Some(name) = &service
        && index.cluster(&cluster).is_none_or(|c| !c.services.contains_key(name.as_str()))
    {
        return Err(crate::error::Error::NotFound(crate::error::Resource::Service).into());
    }
    let mut ids = Vec::new();
    let mut next_token = None;
    if let Some(cluster_index) = index.cluster(&cluster) {
        let range = match &after {
            Some(after) => cluster_index.tasks.range::<str, _>((
                std::ops::Bound::Excluded(after.as_str()),
                std::ops::Bound::Unbounded,
            )),
            None => cluster_index.tasks.range::<str, _>(..),
        };
        for (id, entry) in range {
            let record = &entry.record;
            let matches = record.desired_status() == desired
                && instance
                    .as_ref()
                    .is_none_or(|i| record.instance_id.as_deref() == Some(i.as_str()))
                && req.family.as_ref().is_none_or(|f| &record.family == f)
                && req.started_by.as_ref().is_none_or(|s| record.started_by.as_ref() == Some(s))
                && group.as_ref().is_none_or(|g| record.group.as_ref() == Some(g))
                && req.launch_type.is_none_or(|l| record.launch_type == Some(l));
            if !matches {
                continue;
            }
            if ids.len() == size {
                next_token = ids.last().map(|last: &String| paging::token("ListTasks", last));
                break;
            }
            ids.push(id.clone().into());
        }
    }
    Ok(ListTasksResponse {
        task_arns: Some(ids.iter().map(|id| ctx.arns().task(&cluster, id)).collect()),
        next_token,
    })
}

/// Records the resource use an agent sampled.
pub(crate) fn record_usage(ctx: &Ctx, cluster: &str, usage: &[api::agent::TaskUsage]) {
    let mut all = ctx.inner.usage.0.lock();
    for sample in usage {
        // A pool host's samples are of tasks of every cluster: each is filed under its own.
        let Ok(Some((task_cluster, id))) = super::owned_task(ctx, cluster, &sample.task_arn) else {
            continue;
        };
        all.insert((task_cluster, id), sample.clone());
    }
}

pub(crate) async fn describe_task_usage(
    ctx: &Ctx,
    req: api::berth::DescribeTaskUsageRequest,
) -> Result<api::berth::DescribeTaskUsageResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let ids: Vec<String> = match &req.tasks {
        Some(references) => {
            let mut ids = Vec::new();
            for reference in references {
                ids.push(task_id(ctx, &cluster, reference)?.ok_or_else(task_not_found)?);
            }
            ids
        }
        None => ctx
            .state()
            .read()
            .cluster(&cluster)
            .map(|c| {
                c.tasks
                    .iter()
                    .filter(|(_, e)| e.record.last_status() == TaskStatus::Running)
                    .map(|(id, _)| id.to_string())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let all = ctx.inner.usage.0.lock();
    let usage =
        ids.iter().filter_map(|id| all.get(&(cluster.clone(), id.clone())).cloned()).collect();
    Ok(api::berth::DescribeTaskUsageResponse { usage })
}

/// The latest resource use agents sampled, by cluster and task id (kept in memory only).
#[derive(Default)]
pub(crate) struct Usage(parking_lot::Mutex<HashMap<(String, String), api::agent::TaskUsage>>);
