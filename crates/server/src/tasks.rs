//! Tasks: RunTask, StartTask, StopTask, DescribeTasks, ListTasks, and the state changes agents
//! report (the agent channel's reports, SubmitTaskStateChange, SubmitContainerStateChange).
//!
//! Placing tasks is a plan applied with compare-and-swap: under the cluster's placement lock,
//! the scheduler plans against a snapshot of the in-memory index, and the new task records are
//! written in one transaction that also bumps the cluster's placement key, on condition that
//! nobody placed anything since the snapshot. A conflict (only possible with another control
//! plane process) means plan again.

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use api::agent::{ContainerReport, TaskReport};
use api::{
    ApiError, Container, ContainerDefinition, DescribeTasksRequest, ErrorCode, Failure,
    HealthStatus, LaunchType, ListTasksRequest, ListTasksResponse, NetworkMode, RunTaskRequest,
    RunTaskResponse, StartTaskRequest, StartTaskResponse, StopTaskRequest, StopTaskResponse,
    SubmitContainerStateChangeRequest, SubmitContainerStateChangeResponse,
    SubmitTaskStateChangeRequest, SubmitTaskStateChangeResponse, Task, TaskDefinition,
    TaskDefinitionStatus, TaskField, TaskOverride, TaskStopCode,
};
use store::{Compare, Op, Txn};

use crate::arn::Kind;
use crate::caller::Call;
use crate::clusters::active_cluster_name;
use crate::records::{encode, internal};
use crate::state::{ClusterIndex, IndexedTask, InstanceRecord, Reservation, TaskRecord, TaskState};
use crate::task_definitions::{self, Reference};
use crate::{Ctx, paging, placement, tags};

pub(crate) fn task_key(cluster: &str, id: &str) -> String {
    format!("/tasks/{cluster}/{id}")
}

fn placement_key(cluster: &str) -> String {
    format!("/placement/{cluster}")
}

fn token_key(cluster: &str, token: &str) -> String {
    format!("/run-tokens/{cluster}/{token}")
}

/// Resolves a task reference (id or ARN) of `cluster` to its id.
pub(crate) fn task_id(
    ctx: &Ctx,
    cluster: &str,
    reference: &str,
) -> Result<Option<String>, ApiError> {
    ctx.arns().resolve_in_cluster(Kind::Task, cluster, reference)
}

pub(crate) fn task_not_found() -> ApiError {
    ApiError::invalid_parameter("The referenced task was not found.")
}

/// How ECS orders a task's `lastStatus` values; a task never moves backwards.
fn rank(status: &str) -> u8 {
    match status {
        "PROVISIONING" => 0,
        "PENDING" => 1,
        "ACTIVATING" => 2,
        "RUNNING" => 3,
        "DEACTIVATING" => 4,
        "STOPPING" => 5,
        "DEPROVISIONING" => 6,
        "STOPPED" => 7,
        _ => 1,
    }
}

fn container_rank(status: &str) -> u8 {
    match status {
        "PENDING" => 0,
        "RUNNING" => 1,
        "STOPPED" => 2,
        _ => 0,
    }
}

/// What one task of a launch needs and carries, worked out once per call.
#[derive(Clone)]
pub(crate) struct Launch {
    pub(crate) cluster: String,
    pub(crate) definition: Arc<TaskDefinition>,
    pub(crate) family: String,
    pub(crate) revision: i32,
    pub(crate) overrides: Option<TaskOverride>,
    pub(crate) reservation: Reservation,
    pub(crate) group: String,
    pub(crate) started_by: Option<String>,
    pub(crate) tags: Vec<api::Tag>,
    pub(crate) enable_execute_command: bool,
}

/// The overrides of one container, if any.
fn container_override<'a>(
    overrides: Option<&'a TaskOverride>,
    name: &str,
) -> Option<&'a api::ContainerOverride> {
    overrides?.container_overrides.as_ref()?.iter().find(|o| o.name.as_deref() == Some(name))
}

fn parse_units(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| v.trim().parse().ok())
}

/// What placement deducts for one task: task-level cpu/memory when set (overrides first),
/// otherwise the containers' sums (memoryReservation if set, else memory); and the static host
/// ports of its port mappings.
pub(crate) fn reservation(
    definition: &TaskDefinition,
    overrides: Option<&TaskOverride>,
) -> Reservation {
    let containers = definition.container_definitions.as_deref().unwrap_or_default();
    let cpu = parse_units(overrides.and_then(|o| o.cpu.as_deref()))
        .or_else(|| parse_units(definition.cpu.as_deref()))
        .unwrap_or_else(|| {
            containers
                .iter()
                .map(|c| {
                    let o = container_override(overrides, c.name.as_deref().unwrap_or(""));
                    i64::from(o.and_then(|o| o.cpu).or(c.cpu).unwrap_or(0))
                })
                .sum()
        });
    let memory = parse_units(overrides.and_then(|o| o.memory.as_deref()))
        .or_else(|| parse_units(definition.memory.as_deref()))
        .unwrap_or_else(|| {
            containers
                .iter()
                .map(|c| {
                    let o = container_override(overrides, c.name.as_deref().unwrap_or(""));
                    let reservation = o.and_then(|o| o.memory_reservation).or(c.memory_reservation);
                    let hard = o.and_then(|o| o.memory).or(c.memory);
                    i64::from(reservation.or(hard).unwrap_or(0))
                })
                .sum()
        });
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    let mut ports_tcp = BTreeSet::new();
    let mut ports_udp = BTreeSet::new();
    for mapping in containers.iter().flat_map(|c| c.port_mappings.iter().flatten()) {
        let host = match mode {
            NetworkMode::Host => mapping.host_port.or(mapping.container_port),
            NetworkMode::None => None,
            _ => mapping.host_port,
        };
        let Some(port) = host.and_then(|p| u16::try_from(p).ok()).filter(|&p| p > 0) else {
            continue;
        };
        match mapping.protocol {
            Some(api::TransportProtocol::Udp) => ports_udp.insert(port),
            _ => ports_tcp.insert(port),
        };
    }
    Reservation {
        cpu,
        memory,
        ports_tcp: ports_tcp.into_iter().collect(),
        ports_udp: ports_udp.into_iter().collect(),
    }
}

/// The checks every way of launching a task makes before anything is placed.
pub(crate) async fn prepare(
    ctx: &Ctx,
    cluster: &str,
    reference: &str,
    launch_type: Option<LaunchType>,
    overrides: Option<TaskOverride>,
) -> Result<(Arc<TaskDefinition>, String, i32, Reservation, Option<TaskOverride>), ApiError> {
    let not_found = || ApiError::client(format!("TaskDefinition not found: {reference}."));
    let parsed = task_definitions::parse_reference(ctx, reference)?.ok_or_else(not_found)?;
    let record = task_definitions::find(ctx, &parsed).await?.ok_or_else(not_found)?.value;
    let definition = record.definition;
    if definition.status != Some(TaskDefinitionStatus::Active) {
        return Err(ApiError::client(format!("TaskDefinition is inactive: {reference}.")));
    }
    let family = definition.family.clone().unwrap_or_default();
    let revision = definition.revision.unwrap_or(0);
    match launch_type.unwrap_or(LaunchType::Ec2) {
        LaunchType::Ec2 | LaunchType::External => {}
        other => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedFeatureException,
                format!("Berth does not run tasks with launch type {other} yet."),
            ));
        }
    }
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    if mode == NetworkMode::Awsvpc {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth does not run tasks in the awsvpc network mode yet.",
        ));
    }
    crate::container_policy::check(ctx.config().container_policy(cluster), cluster, &definition)?;
    let containers = definition.container_definitions.as_deref().unwrap_or_default();
    if let Some(overrides) = &overrides {
        for o in overrides.container_overrides.iter().flatten() {
            let name = o.name.as_deref().unwrap_or("");
            if !containers.iter().any(|c| c.name.as_deref() == Some(name)) {
                return Err(ApiError::invalid_parameter(format!(
                    "Override for container {name:?}, which is not in the task definition."
                )));
            }
            if o.memory.is_some_and(|m| m < 6)
                || o.memory_reservation.is_some_and(|m| m < 1)
                || o.cpu.is_some_and(|c| c < 0)
            {
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid cpu or memory override for container {name:?}."
                )));
            }
        }
        for (what, value) in [("cpu", &overrides.cpu), ("memory", &overrides.memory)] {
            if value.as_deref().is_some_and(|v| parse_units(Some(v)).is_none_or(|n| n <= 0)) {
                return Err(ApiError::invalid_parameter(format!("Invalid task {what} override.")));
            }
        }
    }
    let reservation = reservation(&definition, overrides.as_ref());
    Ok((Arc::new(definition), family, revision, reservation, overrides))
}

/// A container's id in its ARN (`container/<cluster>/<task>/<id>`): derived from the task's id
/// and the container's name, so the record need not keep it.
fn container_id(task_id: &str, name: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{task_id}/{name}").as_bytes());
    let mut bytes: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    // Shaped as a random (version 4) UUID, as ECS's are.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

/// A new task's id: 32 hex digits, as ECS's, but ordered by creation time (a version 7 UUID)
/// rather than random. Tasks started together then have neighbouring keys in the store (and
/// so do their log chunks), so a commit that writes many of them dirties a few B-tree pages
/// instead of one page per task. In `berth bench e2e-launch` at 5,000 instances the store
/// file came out about a tenth smaller and its writer thread used 10.2-12.9 s of CPU against 13.5-16.9 s
/// with random ids (single runs on a shared host).
fn new_task_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// A new task record. Its ARNs (the task's, its cluster's, definition's and instance's, each
/// container's) are left out: they follow from the record's names and are filled in when the
/// task is shown ([`render`]), which keeps the record small in the store and in memory.
fn new_record(launch: &Launch, instance: &InstanceRecord, now: f64) -> TaskRecord {
    let id = new_task_id();
    let containers: Vec<Container> = launch
        .definition
        .container_definitions
        .iter()
        .flatten()
        .map(|c: &ContainerDefinition| {
            let name = c.name.clone().unwrap_or_default();
            let o = container_override(launch.overrides.as_ref(), &name);
            Container {
                name: Some(name),
                image: c.image.clone(),
                last_status: Some("PENDING".to_owned()),
                health_status: c.health_check.as_ref().map(|_| HealthStatus::Unknown),
                cpu: Some(o.and_then(|o| o.cpu).or(c.cpu).unwrap_or(0).to_string()),
                memory: o.and_then(|o| o.memory).or(c.memory).map(|m| m.to_string()),
                memory_reservation: o
                    .and_then(|o| o.memory_reservation)
                    .or(c.memory_reservation)
                    .map(|m| m.to_string()),
                ..Container::default()
            }
        })
        .collect();
    let zone = instance
        .instance
        .attributes
        .iter()
        .flatten()
        .find(|a| a.name == "ecs.availability-zone")
        .and_then(|a| a.value.clone());
    let overrides = launch.overrides.clone().filter(|o| *o != TaskOverride::default());
    let task = Task {
        availability_zone: zone,
        launch_type: Some(LaunchType::Ec2),
        // PROVISIONING until the instance's agent has the task; it then reports PENDING.
        last_status: Some("PROVISIONING".to_owned()),
        desired_status: Some("RUNNING".to_owned()),
        created_at: Some(now),
        group: Some(launch.group.clone()),
        started_by: launch.started_by.clone(),
        overrides,
        cpu: launch.definition.cpu.clone(),
        memory: launch.definition.memory.clone(),
        containers: Some(containers),
        health_status: Some(HealthStatus::Unknown),
        version: Some(1),
        tags: Some(launch.tags.clone()).filter(|t| !t.is_empty()),
        enable_execute_command: Some(launch.enable_execute_command),
        ..Task::default()
    };
    TaskRecord {
        cluster: launch.cluster.clone(),
        id,
        instance_id: Some(instance.id.clone()),
        family: launch.family.clone(),
        revision: launch.revision,
        reservation: launch.reservation.clone(),
        task,
    }
}

/// The task as the API returns it: the record's task with what it leaves out filled in (ARNs,
/// empty lists ECS always shows) and the agent's connectivity.
pub(crate) fn render(ctx: &Ctx, record: &TaskRecord, with_tags: bool) -> Task {
    render_record(ctx, record.clone(), with_tags, connectivity(ctx, record))
}

/// [`render`] of a task the index holds.
pub(crate) fn render_indexed(
    ctx: &Ctx,
    indexed: &IndexedTask,
    with_tags: bool,
) -> Result<Task, ApiError> {
    Ok(render_record(ctx, indexed.record()?, with_tags, connectivity(ctx, indexed)))
}

/// The task as the API returns it, with the given agent connectivity.
fn render_record(
    ctx: &Ctx,
    mut record: TaskRecord,
    with_tags: bool,
    connectivity: Option<api::Connectivity>,
) -> Task {
    let arns = ctx.arns();
    let mut task = std::mem::take(&mut record.task);
    let task_arn = task.task_arn.get_or_insert_with(|| arns.task(&record.cluster, &record.id));
    let task_arn = task_arn.clone();
    task.cluster_arn.get_or_insert_with(|| arns.cluster(&record.cluster));
    task.task_definition_arn
        .get_or_insert_with(|| arns.task_definition(&record.family, record.revision));
    if task.container_instance_arn.is_none() {
        task.container_instance_arn =
            record.instance_id.as_ref().map(|i| arns.container_instance(&record.cluster, i));
    }
    for container in task.containers.iter_mut().flatten() {
        if container.container_arn.is_none() {
            let id = container_id(&record.id, container.name.as_deref().unwrap_or_default());
            container.container_arn = Some(arns.container(&record.cluster, &record.id, &id));
        }
        container.task_arn.get_or_insert_with(|| task_arn.clone());
        container.network_bindings.get_or_insert_with(Vec::new);
        container.network_interfaces.get_or_insert_with(Vec::new);
        container.gpu_ids.get_or_insert_with(Vec::new);
    }
    task.attachments.get_or_insert_with(Vec::new);
    let overrides = task.overrides.get_or_insert_with(TaskOverride::default);
    overrides.container_overrides.get_or_insert_with(Vec::new);
    overrides.inference_accelerator_overrides.get_or_insert_with(Vec::new);
    if with_tags {
        task.tags.get_or_insert_with(Vec::new);
    } else {
        task.tags = None;
    }
    if let Some(connectivity) = connectivity {
        task.connectivity = Some(connectivity);
    }
    task
}

/// Whether the agent of a task that is not STOPPED is connected (`None` for others).
fn connectivity(ctx: &Ctx, record: &impl TaskState) -> Option<api::Connectivity> {
    if record.is_stopped() {
        return None;
    }
    let instance = record.instance_id()?;
    Some(if ctx.agent_connected(record.cluster(), instance) {
        api::Connectivity::Connected
    } else {
        api::Connectivity::Disconnected
    })
}

/// ECS `failures[]` from a plan's unplaced tasks: one entry per distinct reason and candidate.
fn failures(plan: &scheduler::Plan) -> Vec<Failure> {
    let mut seen = BTreeSet::new();
    plan.unplaced
        .iter()
        .filter(|u| seen.insert((u.reason.as_ecs(), u.instance_arn.clone(), u.detail.clone())))
        .map(|u| Failure {
            arn: u.instance_arn.clone(),
            reason: Some(u.reason.as_ecs().to_owned()),
            detail: Some(u.detail.clone()),
        })
        .collect()
}

/// What a RunTask client token remembers: a fingerprint of the request and the tasks it
/// started.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRecord {
    fingerprint: String,
    task_ids: Vec<String>,
    failures: Vec<Failure>,
    created_at: f64,
}

/// How long a RunTask client token is remembered, as in ECS.
pub(crate) const TOKEN_TTL_SECONDS: f64 = 24.0 * 3600.0;

fn fingerprint(req: &RunTaskRequest, cluster: &str) -> String {
    use sha2::Digest;
    let mut canonical = serde_json::to_value(req).unwrap_or_default();
    if let Some(object) = canonical.as_object_mut() {
        object.remove("clientToken");
        object.insert("cluster".into(), serde_json::Value::String(cluster.to_owned()));
    }
    hex::encode(sha2::Sha256::digest(canonical.to_string().as_bytes()))
}

/// A call's placement: the tasks placed and the failures.
pub(crate) type Placed = (Vec<TaskRecord>, Vec<Failure>);

/// One call's placement, waiting for its cluster's next placement round.
struct Waiting {
    launch: Launch,
    count: u32,
    only_instances: Option<Vec<String>>,
    constraints: Vec<scheduler::Constraint>,
    strategy: Vec<scheduler::Strategy>,
    token: Option<(String, String)>,
    reply: tokio::sync::oneshot::Sender<Result<Placed, ApiError>>,
}

/// Placement calls waiting, by cluster. Placements of a cluster happen in rounds under its
/// placement lock; a round takes every call waiting, plans them one after the other (each
/// seeing the tasks planned before it) and writes them in one transaction, so that concurrent
/// callers share one commit instead of queueing for one each.
#[derive(Default)]
pub(crate) struct PlacementQueue(parking_lot::Mutex<HashMap<String, Vec<Waiting>>>);

/// Plans and records `count` tasks (or one task on each of `instances`), returning them and
/// the failures.
pub(crate) async fn place(
    ctx: &Ctx,
    launch: &Launch,
    count: u32,
    only_instances: Option<&[String]>,
    constraints: Vec<scheduler::Constraint>,
    strategy: Vec<scheduler::Strategy>,
    token: Option<(String, String)>,
) -> Result<Placed, ApiError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let cluster = launch.cluster.clone();
    ctx.inner.placements.0.lock().entry(cluster.clone()).or_default().push(Waiting {
        launch: launch.clone(),
        count,
        only_instances: only_instances.map(<[String]>::to_vec),
        constraints,
        strategy,
        token,
        reply,
    });
    // The round runs on its own: a caller that goes away must not cut short a round that
    // places other callers' tasks. A round finding nothing waiting (an earlier one took this
    // call) ends at once.
    let round = ctx.clone();
    tokio::spawn(async move { placement_round(&round, &cluster).await });
    answer.await.unwrap_or_else(|_| Err(ApiError::server()))
}

/// The most tasks a placement round writes (it takes at least one call, however large): a
/// round's records are all in memory until committed. Calls left waiting go in the next round
/// (every call starts a round of its own, so some round always takes them).
const MAX_ROUND_TASKS: u32 = 4096;

/// How many of the waiting calls (their task counts, in order) a round takes: as many as fit in
/// `max` tasks, and at least one.
fn round_len(counts: impl Iterator<Item = u32>, max: u32) -> usize {
    let mut tasks = 0u32;
    let mut taken = 0;
    for count in counts {
        tasks = tasks.saturating_add(count);
        if taken > 0 && tasks > max {
            break;
        }
        taken += 1;
    }
    taken
}

async fn placement_round(ctx: &Ctx, cluster: &str) {
    let _placing = ctx.key_locks().lock(&placement_key(cluster)).await;
    let batch = {
        let mut queues = ctx.inner.placements.0.lock();
        let Some(queue) = queues.get_mut(cluster) else { return };
        let take = round_len(queue.iter().map(|w| w.count), MAX_ROUND_TASKS);
        let batch: Vec<Waiting> = queue.drain(..take).collect();
        if queue.is_empty() {
            queues.remove(cluster);
        }
        batch
    };
    if batch.is_empty() {
        return;
    }
    match place_batch(ctx, cluster, &batch).await {
        Ok(outcomes) => {
            for (waiting, outcome) in batch.into_iter().zip(outcomes) {
                let _ = waiting.reply.send(outcome);
            }
        }
        Err(error) => {
            for waiting in batch {
                let _ = waiting.reply.send(Err(error.clone()));
            }
        }
    }
}

/// Forgets the cluster's planner, to be rebuilt from the index: it holds tasks planned for a
/// transaction that was not committed.
fn discard_planner(ctx: &Ctx, cluster: &str) {
    if let Some(c) = ctx.state().read().cluster(cluster) {
        *c.planner.0.lock() = None;
    }
}

/// Places every call of `batch` in one transaction; the outcome of each call, in order.
async fn place_batch(
    ctx: &Ctx,
    cluster: &str,
    batch: &[Waiting],
) -> Result<Vec<Result<Placed, ApiError>>, ApiError> {
    let key = placement_key(cluster);
    for _ in 0..16 {
        let placed_revision =
            ctx.store().get(&key).await.map_err(internal)?.map_or(0, |kv| kv.mod_revision);
        // The planner must include every placement up to the one the transaction compares.
        ctx.state().wait_for(placed_revision).await;
        let now = ctx.clock().now();
        let Some(outcomes) = plan_batch(ctx, cluster, batch, now) else {
            let error =
                ApiError::invalid_parameter("No Container Instances were found in your cluster.");
            return Ok(batch.iter().map(|_| Err(error.clone())).collect());
        };
        let mut txn = Txn::new()
            .when(Compare::mod_revision(&key, placed_revision))
            .then(Op::put(&key, encode(&now)));
        let mut writes = false;
        for (waiting, outcome) in batch.iter().zip(&outcomes) {
            let Outcome::Placed(records, failed) = outcome else { continue };
            for record in records {
                txn = txn.then(Op::put(task_key(cluster, &record.id), encode(record)));
                writes = true;
            }
            if let Some((token, print)) = &waiting.token {
                let remembered = TokenRecord {
                    fingerprint: print.clone(),
                    task_ids: records.iter().map(|r| r.id.clone()).collect(),
                    failures: failed.clone(),
                    created_at: now,
                };
                txn = txn.then(Op::put(token_key(cluster, token), encode(&remembered)));
                writes = true;
            }
        }
        if writes {
            let response = match ctx.store().txn(txn).await {
                Ok(response) => response,
                Err(error) => {
                    discard_planner(ctx, cluster);
                    return Err(internal(error));
                }
            };
            if !response.succeeded {
                // Another writer placed meanwhile: plan again on what it wrote.
                discard_planner(ctx, cluster);
                continue;
            }
            ctx.state().wait_for(response.revision).await;
        }
        let mut answers = Vec::with_capacity(outcomes.len());
        for outcome in &outcomes {
            answers.push(match outcome {
                Outcome::Placed(records, failed) => {
                    for record in records {
                        tracing::info!(cluster = %cluster, task = %record.id, instance = ?record.instance_id, "Task placed");
                    }
                    Ok((records.clone(), failed.clone()))
                }
                Outcome::SameAs(earlier) => match &outcomes[*earlier] {
                    Outcome::Placed(records, failed) => Ok((records.clone(), failed.clone())),
                    Outcome::Failed(error) => Err(error.clone()),
                    Outcome::SameAs(_) => Err(ApiError::server()),
                },
                Outcome::Failed(error) => Err(error.clone()),
            });
        }
        return Ok(answers);
    }
    Err(crate::records::contention(&key))
}

/// What a round planned for one call.
enum Outcome {
    Placed(Vec<TaskRecord>, Vec<Failure>),
    /// The call repeats an earlier call of the round (same client token and parameters).
    SameAs(usize),
    Failed(ApiError),
}

/// Plans every call of `batch` in turn on the cluster's planner, each call's tasks applied to
/// the planner before the next is planned (the index applies them again, without effect, once
/// committed). `None` when the cluster has no container instance.
fn plan_batch(ctx: &Ctx, cluster: &str, batch: &[Waiting], now: f64) -> Option<Vec<Outcome>> {
    let index = ctx.state().read();
    let empty = ClusterIndex::default();
    let cluster_index = index.cluster(cluster).unwrap_or(&empty);
    let live = cluster_index
        .instances
        .values()
        .any(|e| e.record.instance.status.as_deref() != Some("INACTIVE"));
    if !live {
        return None;
    }
    let mut tokens: HashMap<&str, usize> = HashMap::new();
    let outcomes = placement::with_planner(ctx, cluster_index, cluster, |planner| {
        let mut outcomes = Vec::with_capacity(batch.len());
        for waiting in batch {
            if let Some((token, print)) = &waiting.token {
                if let Some(&earlier) = tokens.get(token.as_str()) {
                    let same = batch[earlier].token.as_ref().is_some_and(|(_, p)| p == print);
                    outcomes.push(if same {
                        Outcome::SameAs(earlier)
                    } else {
                        Outcome::Failed(ApiError::new(
                            ErrorCode::ConflictException,
                            "The clientToken was already used with different parameters.",
                        ))
                    });
                    continue;
                }
                tokens.insert(token, outcomes.len());
            }
            outcomes.push(plan_one(cluster_index, planner, waiting, now));
        }
        outcomes
    });
    Some(outcomes)
}

fn plan_one(
    cluster_index: &ClusterIndex,
    planner: &mut scheduler::Planner,
    waiting: &Waiting,
    now: f64,
) -> Outcome {
    let launch = &waiting.launch;
    let request = |count: u32| scheduler::PlacementRequest {
        count,
        group: launch.group.clone(),
        cpu: launch.reservation.cpu,
        memory: launch.reservation.memory,
        host_ports: launch
            .reservation
            .ports_tcp
            .iter()
            .map(|&p| (p, scheduler::Protocol::Tcp))
            .chain(launch.reservation.ports_udp.iter().map(|&p| (p, scheduler::Protocol::Udp)))
            .collect(),
        required_attributes: launch
            .definition
            .requires_attributes
            .iter()
            .flatten()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect(),
        constraints: waiting.constraints.clone(),
        strategy: waiting.strategy.clone(),
    };
    let seed =
        u64::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().expect("8 bytes"));
    let ctx_plan = scheduler::PlanCtx { seed };
    let mut records = Vec::new();
    let mut failed = Vec::new();
    let mut record_plan = |planner: &mut scheduler::Planner, plan: &scheduler::Plan| {
        for placement in &plan.placements {
            let instance =
                cluster_index.instances.get(&placement.instance_id).ok_or_else(ApiError::server)?;
            let record = new_record(launch, &instance.record, now);
            if let Some(delta) = crate::state::placed(&record) {
                planner.apply(delta).map_err(|error| {
                    tracing::error!(%error, "The planner refused a task it planned");
                    ApiError::server()
                })?;
            }
            records.push(record);
        }
        failed.extend(failures(plan));
        Ok::<(), ApiError>(())
    };
    let recorded = match &waiting.only_instances {
        None => {
            let plan = planner.plan(&request(waiting.count), &ctx_plan);
            record_plan(planner, &plan)
        }
        Some(ids) => ids.iter().try_for_each(|id| {
            let one = scheduler::Snapshot {
                instances: planner.instance(id).cloned().into_iter().collect(),
            };
            let plan = scheduler::plan(&one, &request(1), &ctx_plan);
            record_plan(planner, &plan)
        }),
    };
    match recorded {
        Ok(()) => Outcome::Placed(records, failed),
        Err(error) => Outcome::Failed(error),
    }
}

fn check_started_by(started_by: Option<&str>) -> Result<(), ApiError> {
    if let Some(s) = started_by
        && (s.len() > 128 || !s.chars().all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c)))
    {
        return Err(ApiError::invalid_parameter(
            "startedBy can be up to 128 letters, numbers, hyphens, underscores and forward slashes.",
        ));
    }
    Ok(())
}

fn group_of(given: Option<String>, family: &str) -> Result<String, ApiError> {
    let group = given.unwrap_or_else(|| format!("family:{family}"));
    if group.is_empty() || group.len() > 255 {
        return Err(ApiError::invalid_parameter("group must be 1 to 255 characters."));
    }
    Ok(group)
}

pub(crate) async fn run_task(ctx: &Ctx, req: RunTaskRequest) -> Result<RunTaskResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    let quotas = &ctx.config().quotas;
    let count = req.count.unwrap_or(1);
    if count < 1 || count as usize > quotas.tasks_per_run_task {
        return Err(ApiError::invalid_parameter(format!(
            "count must be between 1 and {}; got {count}.",
            quotas.tasks_per_run_task
        )));
    }
    check_started_by(req.started_by.as_deref())?;
    if req.capacity_provider_strategy.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedFeatureException,
            "Berth does not run tasks through capacity provider strategies yet; use launchType.",
        ));
    }
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;
    if let Some(token) = &req.client_token
        && (token.is_empty() || token.len() > 64)
    {
        return Err(ApiError::invalid_parameter("clientToken must be 1 to 64 characters."));
    }
    let (definition, family, revision, reservation, overrides) =
        prepare(ctx, &cluster, &req.task_definition, req.launch_type, req.overrides.clone())
            .await?;
    let constraints = placement::constraints(
        &definition,
        req.placement_constraints.as_deref().unwrap_or_default(),
        quotas.placement_constraints,
    )?;
    let mut strategy = placement::strategies(
        req.placement_strategy.as_deref().unwrap_or_default(),
        quotas.placement_strategies,
    )?;
    if strategy.is_empty() {
        strategy.push(scheduler::Strategy::Random);
    }
    let mut task_tags = tag_list;
    if req.propagate_tags == Some(api::PropagateTags::TaskDefinition) {
        let parsed = Reference::Revision(family.clone(), revision);
        if let Some(record) = task_definitions::find(ctx, &parsed).await? {
            tags::merge(&mut task_tags, &record.value.tags, usize::MAX)?;
        }
    }
    let token = match &req.client_token {
        Some(token) => {
            let print = fingerprint(&req, &cluster);
            if let Some(existing) =
                crate::records::get::<TokenRecord>(ctx.store(), &token_key(&cluster, token)).await?
                && ctx.clock().now() - existing.value.created_at < TOKEN_TTL_SECONDS
            {
                if existing.value.fingerprint != print {
                    let mut error = ApiError::new(
                        ErrorCode::ConflictException,
                        "The clientToken was already used with different parameters.",
                    );
                    error.resource_ids = Some(
                        existing
                            .value
                            .task_ids
                            .iter()
                            .map(|id| ctx.arns().task(&cluster, id))
                            .collect(),
                    );
                    return Err(error);
                }
                let index = ctx.state().read();
                let tasks = existing
                    .value
                    .task_ids
                    .iter()
                    .filter_map(|id| index.cluster(&cluster)?.tasks.get(id))
                    .map(|e| render_indexed(ctx, &e.record, true))
                    .collect::<Result<_, _>>()?;
                return Ok(RunTaskResponse {
                    tasks: Some(tasks),
                    failures: Some(existing.value.failures),
                });
            }
            Some((token.clone(), print))
        }
        None => None,
    };
    let launch = Launch {
        cluster: cluster.clone(),
        group: group_of(req.group.clone(), &family)?,
        definition,
        family,
        revision,
        overrides,
        reservation,
        started_by: req.started_by.clone(),
        tags: task_tags,
        enable_execute_command: req.enable_execute_command.unwrap_or(false),
    };
    let (records, failures) =
        place(ctx, &launch, count as u32, None, constraints, strategy, token).await?;
    Ok(RunTaskResponse {
        tasks: Some(records.iter().map(|r| render(ctx, r, true)).collect()),
        failures: Some(failures),
    })
}

pub(crate) async fn start_task(
    ctx: &Ctx,
    req: StartTaskRequest,
) -> Result<StartTaskResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    let _lifecycle = ctx.inner.cluster_lifecycle.read().await;
    let quotas = &ctx.config().quotas;
    if req.container_instances.is_empty()
        || req.container_instances.len() > quotas.instances_per_start_task
    {
        return Err(ApiError::invalid_parameter(format!(
            "containerInstances must list between 1 and {} container instances.",
            quotas.instances_per_start_task
        )));
    }
    check_started_by(req.started_by.as_deref())?;
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::check_tags(&tag_list, quotas.tags_per_resource)?;
    let (definition, family, revision, reservation, overrides) =
        prepare(ctx, &cluster, &req.task_definition, None, req.overrides.clone()).await?;
    // StartTask bypasses strategies but not the task definition's constraints.
    let constraints = placement::constraints(&definition, &[], quotas.placement_constraints)?;
    let mut ids = Vec::new();
    for reference in &req.container_instances {
        let id = crate::container_instances::instance_id(ctx, &cluster, reference)?.ok_or_else(
            || {
                ApiError::invalid_parameter(format!(
                    "Container instance {reference} is not in cluster {cluster}."
                ))
            },
        )?;
        let known =
            ctx.state().read().cluster(&cluster).is_some_and(|c| c.instances.contains_key(&id));
        if !known {
            return Err(ApiError::invalid_parameter(format!(
                "Container instance {reference} was not found."
            )));
        }
        ids.push(id);
    }
    let launch = Launch {
        cluster: cluster.clone(),
        group: group_of(req.group.clone(), &family)?,
        definition,
        family,
        revision,
        overrides,
        reservation,
        started_by: req.started_by.clone(),
        tags: tag_list,
        enable_execute_command: req.enable_execute_command.unwrap_or(false),
    };
    let (records, failures) =
        place(ctx, &launch, 1, Some(&ids), constraints, Vec::new(), None).await?;
    Ok(StartTaskResponse {
        tasks: Some(records.iter().map(|r| render(ctx, r, true)).collect()),
        failures: Some(failures),
    })
}

pub(crate) async fn stop_task(
    ctx: &Ctx,
    req: StopTaskRequest,
) -> Result<StopTaskResponse, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
    if req.reason.as_ref().is_some_and(|r| r.len() > 255) {
        return Err(ApiError::invalid_parameter("reason can be at most 255 characters."));
    }
    let id = task_id(ctx, &cluster, &req.task)?.ok_or_else(task_not_found)?;
    let instance_gone = {
        let index = ctx.state().read();
        let cluster_index = index.cluster(&cluster).ok_or_else(task_not_found)?;
        let task = cluster_index.tasks.get(&id).ok_or_else(task_not_found)?;
        task.record.instance_id.as_ref().is_none_or(|i| {
            cluster_index
                .instances
                .get(i)
                .is_none_or(|e| e.record.instance.status.as_deref() == Some("INACTIVE"))
        })
    };
    let now = ctx.clock().now();
    let reason = req.reason.clone().unwrap_or_else(|| "Task stopped by user".to_owned());
    let record =
        crate::records::modify::<TaskRecord, _>(ctx, &task_key(&cluster, &id), |current| {
            let mut record = current.ok_or_else(task_not_found)?;
            stop(&mut record, TaskStopCode::UserInitiated, &reason, now, instance_gone);
            Ok(record)
        })
        .await?;
    ctx.state().wait_for(ctx.store().revision()).await;
    tracing::info!(cluster = %cluster, task = %id, "Task stop requested");
    Ok(StopTaskResponse { task: Some(render(ctx, &record, true)) })
}

/// Asks a task to stop (once: a task already stopping keeps its first reason). A task whose
/// instance is gone has nobody to stop it and is STOPPED at once.
pub(crate) fn stop(
    record: &mut TaskRecord,
    code: TaskStopCode,
    reason: &str,
    now: f64,
    instance_gone: bool,
) {
    let task = &mut record.task;
    if task.desired_status.as_deref() == Some("STOPPED")
        || task.last_status.as_deref() == Some("STOPPED")
    {
        return;
    }
    task.desired_status = Some("STOPPED".to_owned());
    task.stopping_at = Some(now);
    task.stop_code = Some(code);
    task.stopped_reason = Some(reason.to_owned());
    if instance_gone {
        task.last_status = Some("STOPPED".to_owned());
        task.stopped_at = Some(now);
        task.execution_stopped_at = Some(now);
        for container in task.containers.iter_mut().flatten() {
            container.last_status = Some("STOPPED".to_owned());
        }
    }
    task.version = Some(task.version.unwrap_or(0) + 1);
}

/// DescribeTasks, answered as JSON written directly: each task's JSON (without tags) is kept
/// with its record (`TaskRecord::rendered`) and reused until the record or its agent's
/// connectivity changes, so a call costs about a copy of its tasks' bytes.
pub(crate) async fn describe_tasks(
    ctx: &Ctx,
    req: DescribeTasksRequest,
) -> Result<Vec<u8>, ApiError> {
    let cluster = active_cluster_name(ctx, req.cluster.as_deref()).await?;
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
    let mut found = Vec::with_capacity(req.tasks.len());
    let mut failures = Vec::new();
    for reference in &req.tasks {
        let id = ctx.arns().resolve_in_cluster_ref(Kind::Task, &cluster, reference)?;
        match id.and_then(|id| cluster_index.and_then(|c| c.tasks.get(id))) {
            Some(entry) => found.push(&entry.record),
            None => failures.push(Failure {
                arn: Some(if reference.starts_with("arn:") {
                    reference.clone()
                } else {
                    ctx.arns().task(&cluster, reference)
                }),
                reason: Some("MISSING".to_owned()),
                detail: None,
            }),
        }
    }
    // Every task's agent connectivity, at one instant under one lock.
    let connectivities: Vec<Option<api::Connectivity>> =
        ctx.liveness().with_cluster(&cluster, |connected| {
            // A call's tasks are mostly on a few instances: the first sixteen instances'
            // answers are kept, and looked up again by comparing ids instead of hashing them.
            let mut known: Vec<(&str, bool)> = Vec::new();
            found
                .iter()
                .map(|record| {
                    let instance =
                        record.instance_id.as_deref().filter(|_| !record.is_stopped())?;
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
    let desired = req.desired_status.map_or("RUNNING", |d| d.as_str());
    let instance = match &req.container_instance {
        Some(reference) => Some(
            crate::container_instances::instance_id(ctx, &cluster, reference)?.unwrap_or_default(),
        ),
        None => None,
    };
    let group = req.service_name.as_ref().map(|s| format!("service:{s}"));
    let index = ctx.state().read();
    let mut ids = Vec::new();
    let mut next_token = None;
    if let Some(cluster_index) = index.cluster(&cluster) {
        let range = match &after {
            Some(after) => cluster_index
                .tasks
                .range::<String, _>((std::ops::Bound::Excluded(after), std::ops::Bound::Unbounded)),
            None => cluster_index.tasks.range::<String, _>(..),
        };
        for (id, entry) in range {
            let record = &entry.record;
            let matches = record.desired_status() == desired
                && instance.as_ref().is_none_or(|i| record.instance_id.as_ref() == Some(i))
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
            ids.push(id.clone());
        }
    }
    Ok(ListTasksResponse {
        task_arns: Some(ids.iter().map(|id| ctx.arns().task(&cluster, id)).collect()),
        next_token,
    })
}

/// Merges an agent's view of a task into it. Statuses only move forward. The caller compares
/// the outcome with the task before, to know whether anything changed.
fn merge(task: &mut Task, report: &TaskReport, now: f64) {
    let current = task.last_status.clone().unwrap_or_else(|| "PENDING".to_owned());
    let reported = report.status.as_str();
    // The agent has the task: it is connected to it from now on.
    if task.connectivity_at.is_none() {
        task.connectivity_at = Some(now);
    }
    if rank(reported) > rank(&current) {
        task.last_status = Some(reported.to_owned());
        if rank(reported) >= rank("STOPPING") {
            task.stopping_at = task.stopping_at.or(Some(now));
        }
        if reported == "RUNNING"
            || (rank(reported) > rank("RUNNING")
                && task.started_at.is_none()
                && report.started_at.is_some())
        {
            task.started_at = task.started_at.or(report.started_at).or(Some(now));
        }
        if reported == "STOPPED" {
            task.stopped_at = Some(now);
            task.execution_stopped_at = report.execution_stopped_at.or(Some(now));
            task.desired_status = Some("STOPPED".to_owned());
            if task.stop_code.is_none() {
                task.stop_code = report.stop_code.as_deref().and_then(TaskStopCode::parse);
                task.stopped_reason = report.reason.clone();
            }
            task.stopping_at = task.stopping_at.or(Some(now));
        }
    }
    if task.pull_started_at.is_none() {
        task.pull_started_at = report.pull_started_at;
    }
    if task.pull_stopped_at.is_none() {
        task.pull_stopped_at = report.pull_stopped_at;
    }
    if let Some(health) = report.health_status.as_deref().and_then(HealthStatus::parse) {
        task.health_status = Some(health);
    }
    for reported in &report.containers {
        if let Some(container) =
            task.containers.iter_mut().flatten().find(|c| c.name.as_deref() == Some(&reported.name))
        {
            merge_container(container, reported);
        }
    }
}

fn merge_container(container: &mut Container, reported: &ContainerReport) {
    let current = container.last_status.clone().unwrap_or_else(|| "PENDING".to_owned());
    if container_rank(&reported.status) >= container_rank(&current) {
        container.last_status = Some(reported.status.clone());
        if reported.runtime_id.is_some() {
            container.runtime_id = reported.runtime_id.clone();
        }
        if reported.exit_code.is_some() {
            container.exit_code = reported.exit_code;
        }
        if reported.reason.is_some() {
            container.reason = reported.reason.clone();
        }
        if !reported.network_bindings.is_empty() || reported.status == "STOPPED" {
            container.network_bindings = Some(reported.network_bindings.clone());
        }
        if let Some(health) = reported.health_status.as_deref().and_then(HealthStatus::parse) {
            container.health_status = Some(health);
        }
        if reported.image_digest.is_some() {
            container.image_digest = reported.image_digest.clone();
        }
    }
}

/// Applies one task report from an agent of `cluster`. With `instance_id`, the task must be on
/// that instance (an agent reports only on its own tasks). Returns whether it was applied.
pub(crate) async fn apply_report(
    ctx: &Ctx,
    cluster: &str,
    instance_id: Option<&str>,
    report: &TaskReport,
) -> Result<bool, ApiError> {
    let Some(id) = task_id(ctx, cluster, &report.task_arn)? else {
        return Ok(false);
    };
    let indexed = || {
        let index = ctx.state().read();
        index
            .cluster(cluster)
            .and_then(|c| c.tasks.get(&id))
            .map(|entry| (entry.record.clone(), entry.mod_revision))
    };
    let owner = {
        let index = ctx.state().read();
        match index.cluster(cluster).and_then(|c| c.tasks.get(&id)) {
            Some(entry) => entry.record.instance_id.clone(),
            None => return Ok(false),
        }
    };
    if let Some(instance) = instance_id
        && owner.as_deref() != Some(instance)
    {
        tracing::warn!(cluster, task = %id, instance, "An agent reported on a task of another instance");
        return Ok(false);
    }
    let now = ctx.clock().now();
    let key = task_key(cluster, &id);
    let _serialized = ctx.key_locks().lock(&key).await;
    // Under the key's lock the index's copy is current (writers here wait for the index
    // before they let go), unless another process wrote: the compare-and-swap then fails and
    // the store is read instead.
    let mut from_index = indexed();
    for _ in 0..16 {
        // An agent's report counts only while its instance is registered, up to the commit:
        // the write is conditional on the instance record seen here.
        let instance_revision = match instance_id {
            Some(instance) => match crate::caller::registered_revision(ctx, cluster, instance) {
                Some(revision) => {
                    Some((crate::container_instances::instance_key(cluster, instance), revision))
                }
                None => return Err(crate::caller::not_registered(ctx, cluster, instance)),
            },
            None => None,
        };
        let (mut record, mod_revision) = match from_index.take() {
            Some((indexed, revision)) => (indexed.record()?, revision),
            None => match crate::records::get::<TaskRecord>(ctx.store(), &key).await? {
                Some(current) => (current.value, current.mod_revision),
                None => return Ok(false),
            },
        };
        let before = record.task.clone();
        merge(&mut record.task, report, now);
        if record.task == before {
            return Ok(true);
        }
        record.task.version = Some(record.task.version.unwrap_or(0) + 1);
        let mut txn = Txn::new().when(Compare::mod_revision(&key, mod_revision));
        if let Some((guard, revision)) = &instance_revision {
            txn = txn.when(Compare::mod_revision(guard, *revision));
        }
        let response =
            ctx.store().txn(txn.then(Op::put(&key, encode(&record)))).await.map_err(internal)?;
        // Succeeded or not, the index catches up with what the store had: a failed round then
        // sees the instance record that moved.
        ctx.state().wait_for(response.revision).await;
        if response.succeeded {
            tracing::debug!(cluster, task = %id, status = record.last_status(), "Task state changed");
            return Ok(true);
        }
    }
    Err(crate::records::contention(&key))
}

pub(crate) async fn submit_task_state_change(
    call: &Call<'_>,
    req: SubmitTaskStateChangeRequest,
) -> Result<SubmitTaskStateChangeResponse, ApiError> {
    let cluster = active_cluster_name(call, req.cluster.as_deref()).await?;
    let instance = call.require_instance_agent(&cluster)?.to_owned();
    let task = req.task.ok_or_else(|| ApiError::invalid_parameter("task is required."))?;
    let report = TaskReport {
        task_arn: task,
        status: req.status.unwrap_or_else(|| "PENDING".to_owned()),
        reason: req.reason,
        containers: req
            .containers
            .unwrap_or_default()
            .into_iter()
            .map(|c| ContainerReport {
                name: c.container_name.unwrap_or_default(),
                status: c.status.unwrap_or_else(|| "PENDING".to_owned()),
                runtime_id: c.runtime_id,
                exit_code: c.exit_code,
                reason: c.reason,
                network_bindings: c.network_bindings.unwrap_or_default(),
                health_status: None,
                image_digest: c.image_digest,
            })
            .collect(),
        pull_started_at: req.pull_started_at,
        pull_stopped_at: req.pull_stopped_at,
        execution_stopped_at: req.execution_stopped_at,
        ..TaskReport::default()
    };
    if !apply_report(call, &cluster, Some(&instance), &report).await? {
        return Err(task_not_found());
    }
    Ok(SubmitTaskStateChangeResponse { acknowledgment: Some("ACK".to_owned()) })
}

pub(crate) async fn submit_container_state_change(
    call: &Call<'_>,
    req: SubmitContainerStateChangeRequest,
) -> Result<SubmitContainerStateChangeResponse, ApiError> {
    let cluster = active_cluster_name(call, req.cluster.as_deref()).await?;
    let instance = call.require_instance_agent(&cluster)?.to_owned();
    let task = req.task.ok_or_else(|| ApiError::invalid_parameter("task is required."))?;
    let report = TaskReport {
        task_arn: task,
        // The task's own status does not move on a container change.
        status: "PROVISIONING".to_owned(),
        containers: vec![ContainerReport {
            name: req.container_name.unwrap_or_default(),
            status: req.status.unwrap_or_else(|| "PENDING".to_owned()),
            runtime_id: req.runtime_id,
            exit_code: req.exit_code,
            reason: req.reason,
            network_bindings: req.network_bindings.unwrap_or_default(),
            health_status: None,
            image_digest: None,
        }],
        ..TaskReport::default()
    };
    if !apply_report(call, &cluster, Some(&instance), &report).await? {
        return Err(task_not_found());
    }
    Ok(SubmitContainerStateChangeResponse { acknowledgment: Some("ACK".to_owned()) })
}

/// Records the resource use an agent sampled.
pub(crate) fn record_usage(ctx: &Ctx, cluster: &str, usage: &[api::agent::TaskUsage]) {
    let mut all = ctx.inner.usage.lock();
    for sample in usage {
        let id = sample.task_arn.rsplit('/').next().unwrap_or_default().to_owned();
        all.insert((cluster.to_owned(), id), sample.clone());
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
                    .filter(|(_, e)| e.record.last_status() == "RUNNING")
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let all = ctx.inner.usage.lock();
    let usage =
        ids.iter().filter_map(|id| all.get(&(cluster.clone(), id.clone())).cloned()).collect();
    Ok(api::berth::DescribeTaskUsageResponse { usage })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ctx, put};

    #[test]
    fn a_round_takes_calls_up_to_its_task_limit_and_at_least_one() {
        assert_eq!(round_len([].into_iter(), 10), 0);
        assert_eq!(round_len([3, 3, 3].into_iter(), 10), 3);
        assert_eq!(round_len([3, 3, 3, 3].into_iter(), 10), 3);
        assert_eq!(round_len([4, 6, 1].into_iter(), 10), 2);
        // A call larger than the limit still goes, alone.
        assert_eq!(round_len([25, 1].into_iter(), 10), 1);
    }

    #[test]
    fn task_ids_are_hex_and_ordered_by_creation() {
        let ids: Vec<String> = (0..1000).map(|_| new_task_id()).collect();
        for id in &ids {
            assert_eq!(id.len(), 32, "{id}");
            assert!(id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{id}");
        }
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ids out of creation order");
    }

    fn last_status(ctx: &Ctx, id: &str) -> String {
        let index = ctx.state().read();
        index.cluster("c").unwrap().tasks[id].record.last_status().to_owned()
    }

    /// A report on an agent's behalf is applied only while the agent's instance is registered,
    /// whichever path it came by.
    #[tokio::test]
    async fn reports_of_a_deregistered_instance_change_nothing() {
        let ctx = ctx().await;
        put(
            &ctx,
            "/instances/c/i1",
            serde_json::json!({"cluster": "c", "id": "i1",
            "instance": {"status": "ACTIVE"}}),
        )
        .await;
        for id in ["t1", "t2"] {
            put(
                &ctx,
                &format!("/tasks/c/{id}"),
                serde_json::json!({"cluster": "c", "id": id,
                "instanceId": "i1", "family": "f", "revision": 1,
                "reservation": {"cpu": 0, "memory": 0}, "task": {"lastStatus": "PROVISIONING"}}),
            )
            .await;
        }
        let running = |id: &str| TaskReport {
            task_arn: id.to_owned(),
            status: "RUNNING".to_owned(),
            ..TaskReport::default()
        };
        assert!(apply_report(&ctx, "c", Some("i1"), &running("t1")).await.unwrap());
        assert_eq!(last_status(&ctx, "t1"), "RUNNING");

        put(
            &ctx,
            "/instances/c/i1",
            serde_json::json!({"cluster": "c", "id": "i1",
            "instance": {"status": "INACTIVE"}}),
        )
        .await;
        let error = apply_report(&ctx, "c", Some("i1"), &running("t2")).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::ClientException);
        assert!(error.message.contains("is not registered in cluster c"), "{}", error.message);
        assert_eq!(last_status(&ctx, "t2"), "PROVISIONING");
        // The control plane's own reports (no instance) still apply.
        assert!(apply_report(&ctx, "c", None, &running("t2")).await.unwrap());
        assert_eq!(last_status(&ctx, "t2"), "RUNNING");
    }

    #[test]
    fn container_ids_are_stable_and_shaped_like_uuids() {
        let id = container_id("0123456789abcdef0123456789abcdef", "web");
        assert_eq!(id, container_id("0123456789abcdef0123456789abcdef", "web"));
        assert_ne!(id, container_id("0123456789abcdef0123456789abcdef", "db"));
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
    }
}
