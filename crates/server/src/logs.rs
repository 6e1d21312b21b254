//! Container logs: agents send the lines their containers write; the control plane keeps the
//! most recent ones of each container (a bounded number of bytes) in the store and serves them
//! with `BerthV1.GetContainerLogs`, since ECS itself sends logs elsewhere.
//!
//! Each batch an agent sends becomes one chunk, `/logs/<cluster>/<task>/<container>/<seq>`.
//! Appending a chunk removes the oldest ones in the same transaction when the container's total
//! would pass the limit. The sizes of each container's chunks are remembered in memory (rebuilt
//! from the store on first use), so an append never reads old chunks.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use api::agent::LogEvent;
use api::berth::{GetContainerLogsRequest, GetContainerLogsResponse};
use api::{ApiError, ErrorCode};
use store::{Op, RangeOptions, Txn};

use crate::Ctx;
use crate::clusters::active_cluster_name;
use crate::records::{encode, internal};

#[derive(Debug, Default)]
struct Meta {
    next_seq: u64,
    /// (sequence, bytes) of the kept chunks, oldest first.
    chunks: VecDeque<(u64, usize)>,
    total: usize,
}

/// The in-memory knowledge of stored chunks, by container prefix.
#[derive(Debug, Default)]
pub(crate) struct LogIndex {
    containers: Mutex<HashMap<String, Meta>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Chunk {
    events: Vec<LogEvent>,
}

/// What a line costs against the limit.
fn cost(event: &LogEvent) -> usize {
    event.message.len() + event.stream.len() + 24
}

async fn meta_of(ctx: &Ctx, prefix: &str) -> Result<(), ApiError> {
    if ctx.inner.logs.containers.lock().contains_key(prefix) {
        return Ok(());
    }
    let range = ctx.store().range(prefix, RangeOptions::default()).await.map_err(internal)?;
    let mut meta = Meta::default();
    for kv in &range.kvs {
        let seq: u64 = kv.key[prefix.len()..].parse().unwrap_or(0);
        meta.chunks.push_back((seq, kv.value.len()));
        meta.total += kv.value.len();
        meta.next_seq = meta.next_seq.max(seq + 1);
    }
    ctx.inner.logs.containers.lock().entry(prefix.to_owned()).or_insert(meta);
    Ok(())
}

/// Appends lines of one container of a task, dropping the oldest kept lines past the limit.
pub(crate) async fn append(
    ctx: &Ctx,
    cluster: &str,
    task_id: &str,
    container: &str,
    mut events: Vec<LogEvent>,
) -> Result<(), ApiError> {
    if events.is_empty() {
        return Ok(());
    }
    let limit = ctx.options().log_bytes_per_container.max(1024);
    // A batch larger than the limit keeps only its newest lines.
    let mut size: usize = events.iter().map(cost).sum();
    while size > limit / 2 && events.len() > 1 {
        size -= cost(&events.remove(0));
    }
    let prefix = crate::records::keys::container_logs(cluster, task_id, container);
    let _serialized = ctx.key_locks().lock(&prefix).await;
    meta_of(ctx, &prefix).await?;
    let value = encode(&Chunk { events });
    let (seq, dropped) = {
        let mut all = ctx.inner.logs.containers.lock();
        let meta = all.entry(prefix.clone()).or_default();
        let mut dropped = Vec::new();
        let mut total = meta.total;
        for &(seq, bytes) in &meta.chunks {
            if total + value.len() <= limit {
                break;
            }
            dropped.push(seq);
            total -= bytes;
        }
        (meta.next_seq, dropped)
    };
    let mut txn =
        Txn::new().then(Op::put(crate::records::keys::log_chunk(&prefix, seq), value.clone()));
    for old in &dropped {
        txn = txn.then(Op::delete(crate::records::keys::log_chunk(&prefix, *old)));
    }
    ctx.store().txn(txn).await.map_err(internal)?;
    let mut all = ctx.inner.logs.containers.lock();
    let meta = all.entry(prefix).or_default();
    for _ in &dropped {
        if let Some((_, bytes)) = meta.chunks.pop_front() {
            meta.total -= bytes;
        }
    }
    meta.chunks.push_back((seq, value.len()));
    meta.total += value.len();
    meta.next_seq = seq + 1;
    Ok(())
}

/// Removes every kept line of a task.
pub(crate) async fn forget_task(ctx: &Ctx, cluster: &str, task_id: &str) -> Result<(), ApiError> {
    let prefix = crate::records::keys::task_logs(cluster, task_id);
    let range = ctx.store().range(&prefix, RangeOptions::default()).await.map_err(internal)?;
    for keys in range.kvs.chunks(256) {
        let mut txn = Txn::new();
        for kv in keys {
            txn = txn.then(Op::delete(kv.key.clone()));
        }
        ctx.store().txn(txn).await.map_err(internal)?;
    }
    ctx.inner.logs.containers.lock().retain(|key, _| !key.starts_with(&prefix));
    Ok(())
}

/// Position tokens: `<chunk seq>.<index of the next event in it>`.
fn parse_token(token: &str) -> Option<(u64, usize)> {
    let (seq, index) = token.split_once('.')?;
    Some((seq.parse().ok()?, index.parse().ok()?))
}

pub(crate) async fn get_container_logs(
    ctx: &Ctx,
    req: GetContainerLogsRequest,
) -> Result<GetContainerLogsResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let task_id = crate::tasks::task_id(ctx, &cluster, &req.task)?.ok_or_else(|| {
        ApiError::new(ErrorCode::ResourceNotFoundException, "The referenced task was not found.")
    })?;
    let known = ctx
        .state()
        .read()
        .cluster(&cluster)
        .is_some_and(|c| c.tasks.contains_key(task_id.as_str()));
    if !known {
        return Err(ApiError::new(
            ErrorCode::ResourceNotFoundException,
            "The referenced task was not found.",
        ));
    }
    let limit = match req.limit {
        None => 1000,
        Some(n) if (1..=10_000).contains(&n) => n as usize,
        Some(n) => {
            return Err(ApiError::invalid_parameter(format!(
                "limit must be between 1 and 10000; got {n}."
            )));
        }
    };
    let after = match req.next_token.as_deref() {
        None | Some("") => None,
        Some(token) => Some(
            parse_token(token)
                .ok_or_else(|| ApiError::invalid_parameter("The nextToken is invalid."))?,
        ),
    };
    let prefix = crate::records::keys::container_logs(&cluster, &task_id, &req.container_name);
    let range = ctx.store().range(&prefix, RangeOptions::default()).await.map_err(internal)?;
    // Every kept line with its position.
    let mut lines: Vec<((u64, usize), LogEvent)> = Vec::new();
    for kv in &range.kvs {
        let seq: u64 = kv.key[prefix.len()..].parse().unwrap_or(0);
        let chunk: Chunk = serde_json::from_slice(&kv.value).map_err(|_| ApiError::server())?;
        lines.extend(chunk.events.into_iter().enumerate().map(|(i, e)| ((seq, i), e)));
    }
    let selected: Vec<((u64, usize), LogEvent)> = match after {
        Some(position) => lines.into_iter().filter(|(p, _)| *p >= position).take(limit).collect(),
        None if req.start_from_head == Some(true) => lines.into_iter().take(limit).collect(),
        None => {
            let skip = lines.len().saturating_sub(limit);
            lines.into_iter().skip(skip).collect()
        }
    };
    let next = match selected.last() {
        Some(((seq, index), _)) => format!("{seq}.{}", index + 1),
        // Nothing new: the same position, or the end of what is kept.
        None => match after {
            Some((seq, index)) => format!("{seq}.{index}"),
            None => {
                let seq = range
                    .kvs
                    .last()
                    .map_or(0, |kv| kv.key[prefix.len()..].parse::<u64>().unwrap_or(0) + 1);
                format!("{seq}.0")
            }
        },
    };
    Ok(GetContainerLogsResponse {
        events: selected.into_iter().map(|(_, e)| e).collect(),
        next_forward_token: next,
    })
}
