//! Removes what the control plane keeps only for a while: STOPPED tasks once the retention time
//! has passed since they stopped (ECS keeps them describable for at least an hour), their
//! logs, and RunTask client tokens older than their 24-hour lifetime.

use std::sync::Weak;
use std::time::Duration;

use store::{Compare, Op, RangeOptions, Txn};

use crate::records::ErrorChain;
use crate::records::TaskState;
use crate::workers::Worker;
use crate::{Ctx, CtxInner};

/// Runs until the control plane shuts down or is dropped.
pub(crate) async fn run(inner: Weak<CtxInner>, retention: Duration, worker: Worker) {
    let every = (retention / 4).clamp(Duration::from_millis(200), Duration::from_secs(60));
    worker
        .every(every, inner, |inner| async move {
            pass(&Ctx { inner }, retention).await.map(|removed| removed as u64)
        })
        .await;
}

/// One pass: removes every expired task and token.
pub(crate) async fn pass(ctx: &Ctx, retention: Duration) -> Result<usize, String> {
    let cutoff = ctx.clock().now() - retention.as_secs_f64();
    // Each expired task, and the usage to keep of a Fargate one.
    let expired: Vec<(String, String, i64, Option<crate::fargate::Metered>)> = {
        let index = ctx.state().read();
        index
            .clusters
            .iter()
            .flat_map(|(cluster, c)| {
                c.tasks.iter().filter_map(move |(id, entry)| {
                    let stopped_at = entry.record.stopped_at?;
                    if !(entry.record.is_stopped() && stopped_at <= cutoff) {
                        return None;
                    }
                    let usage = match entry.record.launch_type {
                        Some(api::LaunchType::Fargate) => {
                            entry.record.record().ok().and_then(|r| crate::fargate::metered(&r))
                        }
                        _ => None,
                    };
                    Some((cluster.clone(), id.to_string(), entry.mod_revision, usage))
                })
            })
            .collect()
    };
    let mut removed = 0;
    for (cluster, id, revision, usage) in &expired {
        let key = crate::records::keys::task(cluster, id);
        let mut txn =
            Txn::new().when(Compare::mod_revision(&key, *revision)).then(Op::delete(&key));
        if let Some(usage) = usage {
            // The task's usage outlives it, written with its removal.
            txn = txn.then(Op::put(
                crate::records::keys::usage(cluster, id),
                crate::records::encode(usage),
            ));
        }
        match ctx.store().txn(txn).await {
            Ok(response) if response.succeeded => {
                removed += 1;
                crate::logs::forget_task(ctx, cluster, id).await.map_err(|e| e.message)?;
            }
            Ok(_) => {}
            Err(error) => return Err(ErrorChain(&error).to_string()),
        }
    }
    if removed > 0 {
        tracing::info!(tasks = removed, "Removed stopped tasks past their retention");
        ctx.state().wait_for(ctx.store().revision()).await;
    }
    // RunTask client tokens past their lifetime.
    let now = ctx.clock().now();
    let tokens = ctx
        .store()
        .range(crate::records::keys::RUN_TOKENS, RangeOptions::default())
        .await
        .map_err(|e| ErrorChain(&e).to_string())?;
    for kv in tokens.kvs {
        let created: f64 = serde_json::from_slice::<serde_json::Value>(&kv.value)
            .ok()
            .and_then(|v| v["createdAt"].as_f64())
            .unwrap_or(0.0);
        if now - created > crate::tasks::TOKEN_TTL_SECONDS {
            let txn = Txn::new()
                .when(Compare::mod_revision(&kv.key, kv.mod_revision))
                .then(Op::delete(&kv.key));
            ctx.store().txn(txn).await.map_err(|e| ErrorChain(&e).to_string())?;
        }
    }
    Ok(removed)
}
