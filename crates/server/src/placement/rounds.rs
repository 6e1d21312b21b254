//! Placement rounds. Placements of a cluster happen in rounds under its placement lock: a round
//! takes every call waiting, plans them one after the other on the cluster's planner (each
//! seeing the tasks planned before it) and writes them in one transaction that also bumps the
//! cluster's placement key, on condition that nobody placed anything since. Concurrent callers
//! share one commit instead of queueing for one each; a conflict (only possible with another
//! control-plane process) means plan again.

use std::collections::{BTreeSet, HashMap};

use api::{ApiError, ErrorCode, Failure};

use crate::error::Error;
use store::{Compare, Op, Txn};

use super::launch::{Launch, new_record};
use crate::Ctx;
use crate::records::{InstanceStatus, TaskRecord, TaskState, TokenRecord, encode, internal, keys};
use crate::state::ClusterIndex;
use crate::vpc::{Holder, Host};

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
    reply: tokio::sync::oneshot::Sender<Result<Placed, Error>>,
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
) -> Result<Placed, Error> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    // Rounds are per cluster of instances: a Fargate task's round is the pool's, shared by the
    // Fargate tasks of every cluster.
    let cluster = launch.host_cluster().to_owned();
    let mut constraints = constraints;
    let mut strategy = strategy;
    // An `awsvpc` task goes only where one of its subnets is.
    if let Some(zones) = launch.network.as_ref().and_then(|n| n.zone_constraint()) {
        constraints.push(zones);
    }
    // Only on hosts of its capacity provider.
    if let Some(provider) = &launch.capacity_provider {
        let expression = format!("attribute:{} == {provider}", super::capacity::PROVIDER_ATTRIBUTE);
        constraints.push(
            scheduler::Constraint::from_ecs("memberOf", Some(&expression))
                .map_err(|e| Error::Internal(format!("the provider constraint: {e}")))?,
        );
    }
    if launch.fargate.is_some() {
        // Spread over zones, as Fargate spreads, then packed.
        strategy = vec![
            scheduler::Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone"))
                .map_err(|e| Error::Internal(format!("the Fargate strategy: {e}")))?,
            scheduler::Strategy::from_ecs("binpack", Some("memory"))
                .map_err(|e| Error::Internal(format!("the Fargate strategy: {e}")))?,
        ];
    }
    ctx.placement_queue().0.lock().entry(cluster.clone()).or_default().push(Waiting {
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
    answer.await.unwrap_or_else(|_| {
        Err(Error::Internal("a placement round ended without an answer".into()))
    })
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
    let _placing = ctx.key_locks().lock(&keys::placement(cluster)).await;
    let batch = {
        let mut queues = ctx.placement_queue().0.lock();
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

/// Places every call of `batch` in one transaction; the outcome of each call, in order.
async fn place_batch(
    ctx: &Ctx,
    cluster: &str,
    batch: &[Waiting],
) -> Result<Vec<Result<Placed, Error>>, Error> {
    let key = keys::placement(cluster);
    for _ in 0..16 {
        let placed_revision =
            ctx.store().get(&key).await.map_err(internal)?.map_or(0, |kv| kv.mod_revision);
        // The planner must include every placement up to the one the transaction compares.
        ctx.state().wait_for(placed_revision).await;
        let now = ctx.clock().now();
        let Some(outcomes) = plan_batch(ctx, cluster, batch, now) else {
            if cluster == super::capacity::FARGATE_POOL {
                // No pool host at all: each call fails its tasks as Fargate does.
                return Ok(batch
                    .iter()
                    .map(|w| Ok((Vec::new(), vec![fargate_unavailable(w.count)])))
                    .collect());
            }
            let error =
                Error::Unplaceable("No Container Instances were found in your cluster.".to_owned());
            return Ok(batch.iter().map(|_| Err(error.clone())).collect());
        };
        let mut txn = Txn::new()
            .when(Compare::mod_revision(&key, placed_revision))
            .then(Op::put(&key, encode(&now)));
        let mut writes = false;
        for (waiting, outcome) in batch.iter().zip(&outcomes) {
            let Outcome::Placed(records, failed) = outcome else { continue };
            for record in records {
                txn = txn.then(Op::put(keys::task(&record.cluster, &record.id), encode(record)));
                writes = true;
            }
            if let Some((token, print)) = &waiting.token {
                let remembered = TokenRecord {
                    fingerprint: print.clone(),
                    task_ids: records.iter().map(|r| r.id.to_string()).collect(),
                    failures: failed.clone(),
                    created_at: now,
                };
                let owner = &waiting.launch.cluster;
                txn = txn.then(Op::put(keys::run_token(owner, token), encode(&remembered)));
                writes = true;
            }
        }
        if writes {
            let response = match ctx.store().txn(txn).await {
                Ok(response) => response,
                Err(error) => {
                    ctx.planners().discard(cluster);
                    release_addresses(ctx, &outcomes);
                    return Err(error.into());
                }
            };
            if !response.succeeded {
                // Another writer placed meanwhile: plan again on what it wrote.
                ctx.planners().discard(cluster);
                release_addresses(ctx, &outcomes);
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
                    Outcome::SameAs(_) => Err(Error::Internal("a repeated call repeats another".into())),
                },
                Outcome::Failed(error) => Err(error.clone()),
            });
        }
        return Ok(answers);
    }
    Err(Error::Contention { key })
}

/// Gives back the addresses a round's planned tasks were handed, when the round's write did
/// not happen.
fn release_addresses(ctx: &Ctx, outcomes: &[Outcome]) {
    for outcome in outcomes {
        let Outcome::Placed(records, _) = outcome else { continue };
        for record in records.iter().filter(|r| r.network.is_some()) {
            let holder =
                Holder { cluster: record.cluster.to_string(), task: record.id.to_string() };
            ctx.inner.vpc.ipam.release(&holder);
        }
    }
}

/// What a round planned for one call.
enum Outcome {
    Placed(Vec<TaskRecord>, Vec<Failure>),
    /// The call repeats an earlier call of the round (same client token and parameters).
    SameAs(usize),
    Failed(Error),
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
        .any(|e| e.record.instance.status != InstanceStatus::Inactive);
    if !live {
        return None;
    }
    let network =
        Network { index: &index, ipam: &ctx.inner.vpc.ipam, region: &ctx.config().region };
    let mut tokens: HashMap<&str, usize> = HashMap::new();
    let outcomes = ctx.planners().with(cluster_index, cluster, |planner| {
        let mut outcomes = Vec::with_capacity(batch.len());
        for waiting in batch {
            if let Some((token, print)) = &waiting.token {
                if let Some(&earlier) = tokens.get(token.as_str()) {
                    let same = batch[earlier].token.as_ref().is_some_and(|(_, p)| p == print);
                    outcomes.push(if same {
                        Outcome::SameAs(earlier)
                    } else {
                        Outcome::Failed(Error::Api(ApiError::new(
                            ErrorCode::ConflictException,
                            "The clientToken was already used with different parameters.",
                        )))
                    });
                    continue;
                }
                tokens.insert(token, outcomes.len());
            }
            outcomes.push(plan_one(&network, cluster_index, planner, waiting, now));
        }
        outcomes
    });
    Some(outcomes)
}

/// What giving `awsvpc` tasks their interfaces needs: the whole index (addresses are shared
/// by every cluster), the allocator, and the region DNS names are in.
struct Network<'a> {
    index: &'a crate::state::Index,
    ipam: &'a crate::vpc::Ipam,
    region: &'a str,
}

impl Network<'_> {
    /// Gives a task placed on `instance` an address in its zone's subnet and records the
    /// interface on it; a failure's reason and detail when there is no free address.
    fn attach(
        &self,
        asked: &crate::vpc::AskedNetwork,
        record: &mut TaskRecord,
        instance: &str,
    ) -> Result<(), (String, String)> {
        let zone = record.task.availability_zone.as_deref();
        let Some(subnet) = asked.subnet_in(zone) else {
            return Err((
                "RESOURCE:ENI".to_owned(),
                format!("none of the task's subnets is in zone {}", zone.unwrap_or("(none)")),
            ));
        };
        let holder = Holder { cluster: record.cluster.to_string(), task: record.id.to_string() };
        let host =
            Host { cluster: record.host_cluster().to_owned(), instance: instance.to_owned() };
        let Some((address, block)) = self.ipam.allocate(
            self.index,
            &subnet.id,
            subnet.cidr,
            host,
            holder,
            asked.security_groups.clone(),
        ) else {
            return Err((
                "RESOURCE:ENI".to_owned(),
                format!("subnet {} has no free address", subnet.id),
            ));
        };
        let network = crate::vpc::interface(asked, subnet, address, block);
        record.task.attachments =
            Some(vec![crate::vpc::attachment(&network, "PRECREATED", self.region)]);
        for container in record.task.containers.iter_mut().flatten() {
            container.network_interfaces = Some(vec![api::NetworkInterface {
                attachment_id: Some(network.attachment_id.clone()),
                private_ipv4_address: Some(address.to_string()),
                ipv6_address: None,
            }]);
        }
        record.network = Some(network);
        Ok(())
    }
}

fn plan_one(
    network: &Network<'_>,
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
                cluster_index.instances.get(placement.instance_id.as_str()).ok_or_else(|| {
                    Error::Internal(format!(
                        "planned on unknown instance {}",
                        placement.instance_id
                    ))
                })?;
            let mut record = new_record(launch, &instance.record, now);
            if let Some(asked) = &launch.network
                && let Err((reason, detail)) =
                    network.attach(asked, &mut record, &placement.instance_id)
            {
                failed.push(Failure { arn: None, reason: Some(reason), detail: Some(detail) });
                continue;
            }
            if let Some(delta) = super::placed(&record) {
                planner.apply(delta).map_err(|error| {
                    Error::Internal(format!("the planner refused a task it planned: {error}"))
                })?;
            }
            records.push(record);
        }
        if launch.fargate.is_some() {
            // The pool's hosts are nobody's to see: a task that found no room is a shortage
            // of Fargate capacity, as ECS reports it.
            let unplaced = u32::try_from(plan.unplaced.len()).unwrap_or(u32::MAX);
            if unplaced > 0 {
                failed.push(fargate_unavailable(unplaced));
            }
        } else {
            failed.extend(failures(plan));
        }
        Ok::<(), Error>(())
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

/// The failure of Fargate tasks that found no room in the pool.
fn fargate_unavailable(count: u32) -> Failure {
    Failure {
        arn: None,
        reason: Some(
            "Capacity is unavailable at this time. Please try again later or in a different availability zone"
                .to_owned(),
        ),
        detail: Some(format!("{count} task(s) found no room on the Fargate pool's hosts")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_takes_calls_up_to_its_task_limit_and_at_least_one() {
        assert_eq!(round_len([].into_iter(), 10), 0);
        assert_eq!(round_len([3, 3, 3].into_iter(), 10), 3);
        assert_eq!(round_len([3, 3, 3, 3].into_iter(), 10), 3);
        assert_eq!(round_len([4, 6, 1].into_iter(), 10), 2);
        // A call larger than the limit still goes, alone.
        assert_eq!(round_len([25, 1].into_iter(), 10), 1);
    }
}
