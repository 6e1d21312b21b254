//! The agent channel's HTTP endpoints: the long-poll that hands an agent its instance's whole
//! desired task set, and the reports of task state that agents send back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures::StreamExt as _;
use serde::de::DeserializeOwned;
use serde_json::Value;

use api::agent::{PollRequest, ReportRequest, ReportResponse};
use api::{ApiError, ErrorCode};

use crate::Ctx;
use crate::container_instances::instance_id;
use crate::records::DesiredStatus;
use crate::records::TaskState;

/// Counts of agent channel requests since the process started: what `/status` shows, so that
/// an operator or a benchmark sees how many exchanges each task costs.
#[derive(Default)]
pub(crate) struct Traffic {
    pub(crate) polls: AtomicU64,
    /// Polls that carried task reports or log lines.
    pub(crate) carrying_polls: AtomicU64,
    pub(crate) reports: AtomicU64,
    /// Task reports across all report requests and polls.
    pub(crate) reported_tasks: AtomicU64,
    pub(crate) log_requests: AtomicU64,
    /// Containers' log batches, alone or riding on reports.
    pub(crate) log_batches: AtomicU64,
}

impl Traffic {
    pub(crate) fn to_json(&self) -> Value {
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        serde_json::json!({
            "polls": get(&self.polls),
            "pollsCarrying": get(&self.carrying_polls),
            "reports": get(&self.reports),
            "reportedTasks": get(&self.reported_tasks),
            "logRequests": get(&self.log_requests),
            "logBatches": get(&self.log_batches),
        })
    }
}

/// The longest a poll is held when nothing changes.
const MAX_WAIT: Duration = Duration::from_secs(20);

fn reply(result: Result<Value, ApiError>) -> Response {
    let request_id = crate::wire::request_id();
    match result {
        Ok(value) => crate::wire::respond(StatusCode::OK, &request_id, None, &value),
        Err(error) => {
            let status =
                StatusCode::from_u16(error.code.status()).unwrap_or(StatusCode::BAD_REQUEST);
            crate::wire::respond(status, &request_id, Some(error.code), &error.body())
        }
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorCode::SerializationException,
            format!("The request body is not valid: {e}."),
        )
    })
}

/// Checks that the request carries the instance token of `instance_arn`, which must be
/// registered in `cluster`, and returns the instance's id.
fn authorize(
    ctx: &Ctx,
    headers: &HeaderMap,
    cluster: &str,
    instance_arn: &str,
) -> Result<String, ApiError> {
    let caller = crate::caller::Caller::from_headers(ctx, headers);
    let id = instance_id(ctx, cluster, instance_arn)?.ok_or_else(|| {
        ApiError::client(format!("Container instance {instance_arn} is not in cluster {cluster}."))
    })?;
    if caller.agent_cluster.as_deref() != Some(cluster)
        || caller.agent_instance.as_deref() != Some(id.as_str())
    {
        return Err(ApiError::new(
            ErrorCode::AccessDeniedException,
            format!("The agent token is not the instance token of {instance_arn}."),
        ));
    }
    if !crate::caller::instance_registered(ctx, cluster, &id) {
        return Err(crate::caller::not_registered(ctx, cluster, &id));
    }
    Ok(id)
}

pub(crate) async fn poll(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = crate::wire::request_id();
    let (begun, carried) = match begin_poll(&ctx, &headers, &body).await {
        Ok(begun) => begun,
        Err(error) => return reply(Err(error)),
    };
    let Some((tasks, logs)) = carried else {
        return match finish_poll(&ctx, begun).await {
            Ok(json) => crate::wire::respond_bytes(StatusCode::OK, &request_id, None, json),
            Err(error) => reply(Err(error)),
        };
    };
    // The poll carried reports or log lines: they are applied beside the wait for the answer,
    // and each result goes out as soon as it is ready, one JSON object per line: `{"applied":
    // true}` once they are durable (the agent sends nothing newer before that), and the
    // answer. Neither waits for the other.
    let (cluster, id, applying) = (begun.request.cluster.clone(), begun.id.clone(), ctx.clone());
    let applied = futures::stream::once(async move {
        let outcome = apply_payload(&applying, &cluster, &id, &tasks, logs).await;
        if let Err(error) = &outcome {
            tracing::warn!(cluster, instance = %id, error = %error.message, "Applying what a poll carried failed");
        }
        let line: &'static [u8] =
            if outcome.is_ok() { b"{\"applied\":true}\n" } else { b"{\"applied\":false}\n" };
        Ok::<_, std::io::Error>(Bytes::from_static(line))
    });
    let answer = futures::stream::once(async move {
        match finish_poll(&ctx, begun).await {
            Ok(mut json) => {
                json.push(b'\n');
                Ok(Bytes::from(json))
            }
            Err(error) => {
                Err(std::io::Error::other(format!("the poll answer failed: {}", error.message)))
            }
        }
    });
    // The response starts when its first line is ready, so that the head and that line leave
    // in one write (a head sent at once went in a write of its own: three writes a poll).
    let mut lines = Box::pin(futures::stream::select(applied, answer));
    let first = lines.next().await;
    let body = axum::body::Body::from_stream(futures::stream::iter(first).chain(lines));
    crate::wire::respond_body(StatusCode::OK, &request_id, None, body)
}

/// `POST /agent/v1/network`: the network of the instance's `awsvpc` tasks (their rules as
/// their security groups say now, and the routes to other hosts' task blocks), held until it
/// changes from the version the agent has or the wait ends.
pub(crate) async fn network(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    reply(serve_network(&ctx, &headers, &body).await)
}

async fn serve_network(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let request: api::agent::NetworkRequest = parse(body)?;
    let id = authorize(ctx, headers, &request.cluster, &request.container_instance_arn)?;
    let mut changes = ctx.inner.vpc.ipam.subscribe();
    if *changes.borrow_and_update() == request.version {
        let wait = Duration::from_secs(u64::from(request.wait_seconds.unwrap_or(20)))
            .min(MAX_WAIT)
            .min(ctx.options().agent_timeout / 3);
        let _ = tokio::time::timeout(wait, changes.changed()).await;
    }
    let version = *changes.borrow_and_update();
    let groups = crate::vpc::security_groups(ctx).await?;
    let (interfaces, view, routes, members) = {
        let index = ctx.state().read();
        let interfaces: Vec<(String, Arc<crate::records::TaskNetwork>)> = index
            .cluster(&request.cluster)
            .into_iter()
            .flat_map(|c| c.tasks_on(&id))
            .filter_map(|t| Some((ctx.arns().task(&t.cluster, &t.id), t.network.clone()?)))
            .collect();
        let view = ctx.inner.vpc.ipam.view(&index);
        let unchanged = view.routes_version == request.routes_version;
        // Not the routes to this host's own blocks, nor to those of another agent on the same
        // machine (`berth dev` runs one for its cluster and one for the Fargate pool): those
        // tasks are reached through their own interfaces.
        let own_address = index
            .cluster(&request.cluster)
            .and_then(|c| c.instances.get(id.as_str()))
            .and_then(|e| {
                e.record.instance.attributes.iter().flatten().find_map(|a| {
                    (a.name == api::agent::HOST_ADDRESS_ATTRIBUTE).then(|| a.value.clone())?
                })
            });
        let mut routes: Vec<api::agent::Route> = view
            .routes
            .iter()
            .filter(|_| !unchanged)
            .filter(|(host, _)| !(host.cluster == request.cluster && host.instance == id))
            .filter(|(_, route)| own_address.as_deref() != Some(route.via.as_str()))
            .map(|(_, route)| route.clone())
            .collect();
        routes.sort();
        let referenced: std::collections::BTreeSet<&str> = interfaces
            .iter()
            .flat_map(|(_, n)| crate::vpc::referenced_groups(n, &groups))
            .collect();
        let members = ctx.inner.vpc.ipam.members_of(&index, referenced);
        (interfaces, view, routes, members)
    };
    let tasks = interfaces
        .into_iter()
        .map(|(task_arn, network)| api::agent::TaskNetworkState {
            task_arn,
            network: crate::vpc::agent_spec(&network, &groups, &members),
        })
        .collect();
    let routes_version = view.routes_version;
    let routes = (routes_version != request.routes_version).then_some(routes);
    let response = api::agent::NetworkResponse { version, tasks, routes, routes_version };
    serde_json::to_value(response).map_err(|_| ApiError::server())
}

/// A poll whose request is checked, before its wait.
struct Begun {
    request: PollRequest,
    id: String,
    generations: tokio::sync::watch::Receiver<i64>,
    /// The instance's set has not changed since the generation the agent applied: the poll is
    /// held until it does (or the wait ends).
    holds: bool,
}

/// What a poll carries: task reports and log lines.
type Carried = (Vec<api::agent::TaskReport>, Vec<api::agent::LogBatch>);

async fn begin_poll(
    ctx: &Ctx,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Begun, Option<Carried>), ApiError> {
    ctx.inner.agent_traffic.polls.fetch_add(1, Ordering::Relaxed);
    let mut request: PollRequest = parse(body)?;
    let id = authorize(ctx, headers, &request.cluster, &request.container_instance_arn)?;
    ctx.liveness().touch(&request.cluster, &id);
    let tasks = std::mem::take(&mut request.tasks);
    let logs = std::mem::take(&mut request.logs);
    let carried = (!tasks.is_empty() || !logs.is_empty()).then_some((tasks, logs));
    if carried.is_some() {
        ctx.inner.agent_traffic.carrying_polls.fetch_add(1, Ordering::Relaxed);
    }
    let mut generations = ctx.state().watch_instance(&request.cluster, &id);
    let holds = *generations.borrow_and_update() == request.generation;
    Ok((Begun { request, id, generations, holds }, carried))
}

/// Waits if the poll holds, then writes its answer: a `PollResponse` as JSON, piece by piece:
/// each task definition is serialized once for all polls (`Ctx::definition_json`), which
/// matters when thousands of agents are handed sets of tasks at once.
async fn finish_poll(ctx: &Ctx, begun: Begun) -> Result<Vec<u8>, ApiError> {
    let Begun { request, id, mut generations, holds } = begun;
    if holds {
        // Nothing new: hold the request until something changes, but not so long that a live
        // agent could look disconnected.
        let wait = Duration::from_secs(u64::from(request.wait_seconds.unwrap_or(20)))
            .min(MAX_WAIT)
            .min(ctx.options().agent_timeout / 3);
        let _ = tokio::time::timeout(wait, generations.changed()).await;
    }
    // Tasks the agent has as they are (unchanged since the generation it applied) go by id
    // only: an instance's set is sent in full once, then only what changes.
    let applied = request.generation;
    let (generation, wanted, unchanged) = {
        let index = ctx.state().read();
        let generation = index.generation(&request.cluster, &id);
        let mut wanted = Vec::new();
        let mut unchanged = Vec::new();
        for t in index.cluster(&request.cluster).into_iter().flat_map(|c| c.tasks_on(&id)) {
            if applied >= 0 && t.desired_since <= applied {
                unchanged.push(t.id.to_string());
                continue;
            }
            wanted.push(Wanted {
                task_arn: ctx.arns().task(&t.cluster, &t.id),
                desired_status: t.desired_status(),
                family: t.family.clone(),
                revision: t.revision,
                overrides: t.overrides.as_deref().cloned(),
                interface: t.network.clone(),
                network: None,
            });
        }
        (generation, wanted, unchanged)
    };
    let mut wanted = wanted;
    if wanted.iter().any(|w| w.interface.is_some()) {
        let groups = crate::vpc::security_groups(ctx).await?;
        let members = {
            let referenced: std::collections::BTreeSet<&str> = wanted
                .iter()
                .filter_map(|w| w.interface.as_deref())
                .flat_map(|n| crate::vpc::referenced_groups(n, &groups))
                .collect();
            let index = ctx.state().read();
            ctx.inner.vpc.ipam.members_of(&index, referenced)
        };
        for w in &mut wanted {
            w.network =
                w.interface.as_deref().map(|n| crate::vpc::agent_spec(n, &groups, &members));
        }
    }
    let mut out = Vec::with_capacity(64 + wanted.len() * 1024 + unchanged.len() * 40);
    let head = PollHead {
        generation,
        allow_host_mounts: ctx.config().container_policy(&request.cluster).allow_host_mounts,
    };
    write_poll_response(ctx, head, wanted, &unchanged, &request.known_definitions, &mut out)
        .await?;
    Ok(out)
}

/// A desired task as the index has it.
struct Wanted {
    task_arn: String,
    desired_status: DesiredStatus,
    family: String,
    revision: i32,
    overrides: Option<api::TaskOverride>,
    interface: Option<std::sync::Arc<crate::records::TaskNetwork>>,
    network: Option<api::agent::TaskNetworkSpec>,
}

/// What a poll answer says besides its tasks: the generation and the cluster's policy the
/// agent applies itself.
struct PollHead {
    generation: i64,
    allow_host_mounts: bool,
}

/// Writes `{"generation":..,"tasks":[..],"unchanged":[..],"definitions":{..}}` (a
/// `PollResponse`, with `"allowHostMounts":true` when the cluster allows them) into `out`,
/// leaving out the definitions the agent said it holds.
async fn write_poll_response(
    ctx: &Ctx,
    head: PollHead,
    wanted: Vec<Wanted>,
    unchanged: &[String],
    known: &[String],
    out: &mut Vec<u8>,
) -> Result<(), ApiError> {
    fn failed(error: serde_json::Error) -> ApiError {
        tracing::error!(%error, "Serializing a poll answer failed");
        ApiError::server()
    }
    out.extend_from_slice(format!("{{\"generation\":{}", head.generation).as_bytes());
    if head.allow_host_mounts {
        out.extend_from_slice(b",\"allowHostMounts\":true");
    }
    out.extend_from_slice(b",\"tasks\":[");
    let mut definitions: BTreeMap<String, Bytes> = BTreeMap::new();
    let mut first = true;
    for Wanted { task_arn, desired_status, family, revision, overrides, network, .. } in wanted {
        let key = format!("{family}:{revision}");
        if !definitions.contains_key(&key) && !known.contains(&key) {
            let Some(definition) = ctx.definition_json(&family, revision).await? else {
                tracing::error!(task = %task_arn, family, revision, "A task's definition is missing");
                continue;
            };
            definitions.insert(key.clone(), definition);
        }
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(b"{\"taskArn\":");
        serde_json::to_writer(&mut *out, &task_arn).map_err(failed)?;
        out.extend_from_slice(b",\"desiredStatus\":");
        serde_json::to_writer(&mut *out, &desired_status).map_err(failed)?;
        out.extend_from_slice(b",\"definition\":");
        serde_json::to_writer(&mut *out, &key).map_err(failed)?;
        if let Some(overrides) = &overrides {
            out.extend_from_slice(b",\"overrides\":");
            serde_json::to_writer(&mut *out, overrides).map_err(failed)?;
        }
        if let Some(network) = &network {
            out.extend_from_slice(b",\"network\":");
            serde_json::to_writer(&mut *out, network).map_err(failed)?;
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"unchanged\":");
    serde_json::to_writer(&mut *out, unchanged).map_err(failed)?;
    out.extend_from_slice(b",\"definitions\":{");
    for (n, (key, definition)) in definitions.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, key).map_err(failed)?;
        out.push(b':');
        out.extend_from_slice(definition);
    }
    out.extend_from_slice(b"}}");
    Ok(())
}

pub(crate) async fn report(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    reply(serve_report(&ctx, &headers, &body).await)
}

async fn serve_report(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let request: ReportRequest = parse(body)?;
    ctx.inner.agent_traffic.reports.fetch_add(1, Ordering::Relaxed);
    let id = authorize(ctx, headers, &request.cluster, &request.container_instance_arn)?;
    ctx.liveness().touch(&request.cluster, &id);
    crate::tasks::record_usage(ctx, &request.cluster, &request.usage);
    let applied = apply_payload(ctx, &request.cluster, &id, &request.tasks, request.logs).await?;
    serde_json::to_value(ReportResponse { applied }).map_err(|_| ApiError::server())
}

/// Applies task reports and stores log lines from the agent of instance `id`, as a report or
/// a poll carries them; returns how many reports changed a task.
async fn apply_payload(
    ctx: &Ctx,
    cluster: &str,
    id: &str,
    tasks: &[api::agent::TaskReport],
    logs: Vec<api::agent::LogBatch>,
) -> Result<usize, ApiError> {
    let traffic = &ctx.inner.agent_traffic;
    traffic.reported_tasks.fetch_add(tasks.len() as u64, Ordering::Relaxed);
    traffic.log_batches.fetch_add(logs.len() as u64, Ordering::Relaxed);
    // Reports and lines go to the store side by side, so that they share commits.
    let reports = futures::future::join_all(
        tasks.iter().map(|task| crate::tasks::apply_report(ctx, cluster, Some(id), task)),
    );
    let lines =
        async { if logs.is_empty() { Ok(0) } else { accept_logs(ctx, cluster, id, logs).await } };
    let (outcomes, lines) = futures::future::join(reports, lines).await;
    let mut applied = 0;
    for outcome in outcomes {
        applied += usize::from(outcome?);
    }
    lines?;
    Ok(applied)
}

pub(crate) async fn logs(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    reply(serve_logs(&ctx, &headers, &body).await)
}

async fn serve_logs(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let traffic = &ctx.inner.agent_traffic;
    traffic.log_requests.fetch_add(1, Ordering::Relaxed);
    let request: api::agent::LogsRequest = parse(body)?;
    let id = authorize(ctx, headers, &request.cluster, &request.container_instance_arn)?;
    traffic.log_batches.fetch_add(request.batches.len() as u64, Ordering::Relaxed);
    let accepted = accept_logs(ctx, &request.cluster, &id, request.batches).await?;
    Ok(serde_json::json!({ "accepted": accepted }))
}

/// Stores the log lines of the batches that are about tasks of instance `id`; returns how many
/// lines were taken. Each container's lines are one append, and the containers' appends run
/// concurrently, so that their writes share commits.
async fn accept_logs(
    ctx: &Ctx,
    cluster: &str,
    id: &str,
    batches: Vec<api::agent::LogBatch>,
) -> Result<usize, ApiError> {
    let mut accepted = 0;
    // Lines by container, in the order they came: one append per container.
    let mut by_container: Vec<(String, String, String, Vec<api::agent::LogEvent>)> = Vec::new();
    for batch in batches {
        // An agent writes logs only for its own tasks.
        let Some((task_cluster, task_id)) =
            crate::tasks::owned_task(ctx, cluster, &batch.task_arn)?
        else {
            continue;
        };
        let owned = ctx
            .state()
            .read()
            .cluster(&task_cluster)
            .and_then(|c| c.tasks.get(task_id.as_str()))
            .is_some_and(|t| {
                t.record.instance_id.as_deref() == Some(id) && t.record.host_cluster() == cluster
            });
        if !owned || !crate::arn::valid_name(&batch.container_name) {
            continue;
        }
        accepted += batch.events.len();
        match by_container
            .iter_mut()
            .find(|(_, task, container, _)| *task == task_id && *container == batch.container_name)
        {
            Some((_, _, _, events)) => events.extend(batch.events),
            None => by_container.push((task_cluster, task_id, batch.container_name, batch.events)),
        }
    }
    let appends =
        by_container.into_iter().map(|(task_cluster, task_id, container, events)| async move {
            crate::logs::append(ctx, &task_cluster, &task_id, &container, events).await
        });
    for outcome in futures::future::join_all(appends).await {
        outcome?;
    }
    Ok(accepted)
}
