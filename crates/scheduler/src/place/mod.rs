//! Task placement: [`plan`] and the request preparation it shares with the failure explanation and
//! the incremental [`crate::Planner`].

pub(crate) mod explain;
pub(crate) mod index;
#[cfg(test)]
mod tests;

use rand::rngs::SmallRng;
use rand::{Rng, RngCore, SeedableRng};

use crate::model::{
    FailureReason, Instance, InstanceStatus, Placement, PlacementRequest, Plan, PlanCtx, Snapshot,
    Unplaced,
};
use crate::query::{Expr, QueryTarget};
use crate::strategy::{BinpackField, Constraint, SpreadField, Strategy};

use self::index::Index;

/// At most this many strategies are honoured, as ECS allows; later ones are ignored.
pub(crate) const MAX_STRATEGIES: usize = 5;

/// Places `request.count` tasks of one group on the snapshot's instances.
///
/// # Pipeline
///
/// 1. **Filter** (once per request, over every instance): status `ACTIVE` (never `DRAINING`), agent
///    connected, the task definition's required attributes present (and equal when a value is
///    given), every `memberOf` expression true, `distinctInstance` (no task of the group on the
///    instance), and room for one task: remaining CPU ≥ need, remaining memory ≥ need, and none of
///    the task's static host ports (per protocol) among the instance's reserved ports.
/// 2. **Strategies**, in order, as a lexicographic preference (each one only breaks the ties the
///    earlier ones leave): `binpack(cpu|memory)` prefers the least remaining amount;
///    `spread(instanceId)` the fewest tasks of the group on the instance; `spread(attribute:NAME)` the
///    attribute value with the fewest tasks of the group, counted over every `ACTIVE` instance
///    with that value (an instance without the attribute counts under its own "absent" value);
///    `random` picks uniformly among the instances still tied, which makes any later strategy moot.
///    So `[spread(AZ), binpack(memory)]` picks the zone with the fewest tasks of the group, then the
///    instance in that zone (or in any zone tied with it) with the least memory left.
/// 3. **Tie-breaks** after the last strategy (when there is no `random`): the fewest tasks of the group
///    on the instance (ECS's "then the instance with the fewest such tasks"), then a seeded random
///    priority: each instance has a fixed 64-bit label per task group (a hash of the group and the
///    instance id), and the request draws one offset from
///    `SmallRng::seed_from_u64(ctx.seed)`; the preferred instance is the one whose label comes first
///    at or after the offset, wrapping around (smallest `label - offset` modulo 2^64). Binpack
///    therefore keeps filling one instance, spread visits tied instances in an order that differs per
///    group and starts at a random point per request, and the order of equal candidates never depends
///    on which other instances exist, which lets [`crate::Planner`] keep it across requests. Equal
///    labels (a 64-bit collision) fall back to snapshot order.
///
/// Each placement updates the working copy: the instance's remaining CPU and memory, its ports, its
/// count of the group's tasks and running tasks (so `distinctInstance`, spread, `task:group` and
/// `runningTasksCount` see earlier tasks of the same plan), and the spread counts of its values.
/// A request never over-commits.
///
/// # Failures
///
/// When no instance can take the next task, that task and every later one of the request get an
/// [`Unplaced`] (the working state no longer changes, so they fail identically). It names the
/// **closest candidate**: the instance that got furthest through the stages `ACTIVE` → agent
/// connected → required attributes → `memberOf` → `distinctInstance` → resources, then, among those
/// that only lack resources, the one short of the fewest resources (CPU, memory, ports), then the
/// smallest relative shortfall, then snapshot order. The reason is the stage it failed (for
/// resources, the first of CPU, memory, ports it lacks) and the detail a sentence naming what it
/// lacks. Constraints rank before resources on purpose: an instance that fails a constraint can
/// never take the task, while a full one can once tasks stop, so "the m5 instances are full" is a
/// more useful answer than "that t2 instance is not an m5". An empty cluster gives
/// [`FailureReason::NoInstances`].
///
/// # Cost
///
/// `O(n + t)` per request for the filter (n instances, t tasks on them) plus `O(log n)` per placed
/// task; see `docs/dev/scheduler.md`. [`crate::Planner`] gives the same plans for the same state
/// while keeping the filter and the index between requests.
pub fn plan(snapshot: &Snapshot, request: &PlacementRequest, ctx: &PlanCtx) -> Plan {
    let instances: Vec<&Instance> = snapshot.instances.iter().collect();
    plan_over(&instances, request, ctx)
}

/// [`plan`] over instances given by reference, in snapshot order.
pub(crate) fn plan_over(
    instances: &[&Instance],
    request: &PlacementRequest,
    ctx: &PlanCtx,
) -> Plan {
    if request.count == 0 {
        return Plan::default();
    }
    if instances.is_empty() {
        return no_instances(request.count);
    }
    let prepared = Prepared::new(request);
    let mut rng = SmallRng::seed_from_u64(ctx.seed);
    if prepared.random && prepared.slots.is_empty() {
        return plan_random(instances, &prepared, &mut rng);
    }
    let offset = tie_offset(&prepared, &mut rng);
    let mut index = Index::build(instances, &prepared, offset);
    let mut plan = Plan::default();
    plan.placements.reserve(request.count as usize);
    for task_index in 0..request.count {
        match index.pick(&mut rng) {
            Some(candidate) => {
                plan.placements.push(Placement {
                    task_index,
                    instance_id: instances[index.instance_of(candidate)].id.clone(),
                });
                index.place(candidate);
            }
            None => {
                let placed = index.placed_per_instance();
                plan.unplaced = unplaced_from(task_index, request.count, || {
                    explain::closest(instances, &prepared, &placed)
                });
                break;
            }
        }
    }
    plan
}

/// Draws at an instance before a plain `random` request gives up guessing and lists the
/// eligible instances.
const RANDOM_DRAWS: u32 = 16;

/// A chain that starts with `random`: each task goes to an instance drawn uniformly among those
/// that can take it (given the request's earlier tasks). Draws are made over every instance and
/// an ineligible one is drawn again, up to [`RANDOM_DRAWS`] times; then the eligible instances
/// are listed once and drawn from, an instance leaving the list when a draw finds it full (only
/// the request's own placements make one ineligible). Both ways are uniform among the eligible
/// instances, and a request on a roomy cluster costs `O(count)` checks instead of a pass over
/// every instance.
fn plan_random(instances: &[&Instance], prepared: &Prepared<'_>, rng: &mut SmallRng) -> Plan {
    let count = prepared.request.count;
    // Tasks of this request per instance number.
    let mut placed: std::collections::BTreeMap<usize, u32> = std::collections::BTreeMap::new();
    let eligible = |number: usize, placed: &std::collections::BTreeMap<usize, u32>| {
        let instance = instances[number];
        let held = placed.get(&number).copied().unwrap_or(0);
        prepared.passes_static(instance)
            && !(prepared.distinct && (held > 0 || prepared.group_count(instance) > 0))
            && prepared.fits(instance, held)
            && prepared.member_of_holds(instance, held)
    };
    let mut listed: Option<Vec<usize>> = None;
    let mut plan = Plan::default();
    plan.placements.reserve(count as usize);
    for task_index in 0..count {
        let mut chosen = None;
        if listed.is_none() {
            chosen = (0..RANDOM_DRAWS)
                .map(|_| rng.random_range(0..instances.len()))
                .find(|&number| eligible(number, &placed));
        }
        if chosen.is_none() {
            let list = listed.get_or_insert_with(|| {
                (0..instances.len()).filter(|&number| eligible(number, &placed)).collect()
            });
            while chosen.is_none() && !list.is_empty() {
                let at = rng.random_range(0..list.len());
                if eligible(list[at], &placed) {
                    chosen = Some(list[at]);
                } else {
                    list.swap_remove(at);
                }
            }
        }
        let Some(number) = chosen else {
            let per_instance: Vec<u32> = (0..instances.len())
                .map(|number| placed.get(&number).copied().unwrap_or(0))
                .collect();
            plan.unplaced = unplaced_from(task_index, count, || {
                explain::closest(instances, prepared, &per_instance)
            });
            break;
        };
        *placed.entry(number).or_insert(0) += 1;
        plan.placements.push(Placement { task_index, instance_id: instances[number].id.clone() });
    }
    plan
}

/// Every task of the request unplaced because the cluster has no instances.
pub(crate) fn no_instances(count: u32) -> Plan {
    Plan {
        placements: Vec::new(),
        unplaced: (0..count)
            .map(|task_index| Unplaced {
                task_index,
                reason: FailureReason::NoInstances,
                instance_arn: None,
                detail: FailureReason::NoInstances.as_ecs().to_owned(),
            })
            .collect(),
    }
}

/// Tasks `first..count` unplaced with the failure `explain` computes once.
pub(crate) fn unplaced_from(
    first: u32,
    count: u32,
    explain: impl FnOnce() -> Unplaced,
) -> Vec<Unplaced> {
    let failure = explain();
    (first..count).map(|task_index| Unplaced { task_index, ..failure.clone() }).collect()
}

/// The request's tie-break offset: the first draw of the seeded generator, or 0 (and no draw) when
/// the chain ends in `random`, whose draws then start from the seed.
pub(crate) fn tie_offset(prepared: &Prepared<'_>, rng: &mut SmallRng) -> u64 {
    if prepared.random { 0 } else { rng.next_u64() }
}

/// A string's 64-bit FNV-1a hash: stable across platforms and runs, unlike `std`'s hashers.
pub(crate) fn hash_str(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A bijective 64-bit mixer (the SplitMix64 finaliser), so that similar ids get unrelated labels.
pub(crate) fn mix64(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// An instance's tie-break label for one task group, from `hash_str(id)` and `hash_str(group)`.
pub(crate) fn tie_label(id_hash: u64, group_hash: u64) -> u64 {
    mix64(id_hash ^ mix64(group_hash))
}

/// Maps `u64` onto `i64` preserving order, for the `[i64; 8]` keys.
pub(crate) fn ordered(value: u64) -> i64 {
    (value ^ (1 << 63)) as i64
}

/// The tie-break priority of a label under a request's offset: smaller is preferred.
pub(crate) fn tie_priority(label: u64, offset: u64) -> i64 {
    ordered(label.wrapping_sub(offset))
}

/// The request, digested once for the filter and the index.
pub(crate) struct Prepared<'r> {
    pub(crate) request: &'r PlacementRequest,
    pub(crate) member_of: Vec<&'r Expr>,
    /// Whether some `memberOf` mentions `runningTasksCount` or `task:group`, which placing changes.
    pub(crate) dynamic_member_of: bool,
    pub(crate) distinct: bool,
    /// The strategies that matter, before the first `random` and at most [`MAX_STRATEGIES`].
    pub(crate) slots: Vec<Slot>,
    /// Whether the chain ends in `random` (uniform among ties) rather than in the tie-breaks.
    pub(crate) random: bool,
    /// Attribute names of the `spread(attribute:NAME)` slots, by level.
    pub(crate) spread_attributes: Vec<&'r str>,
    /// `hash_str(group)`, for `tie_label`.
    pub(crate) group_hash: u64,
    /// Whether the group's tasks on an instance matter: for `distinctInstance`, a spread, or
    /// the tie-breaks. A plain `random` placement never counts them.
    pub(crate) counts_group: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    Binpack(BinpackField),
    SpreadInstance,
    /// `spread(attribute:NAME)`, with its level in [`Prepared::spread_attributes`].
    SpreadAttribute(usize),
}

impl<'r> Prepared<'r> {
    pub(crate) fn new(request: &'r PlacementRequest) -> Prepared<'r> {
        let member_of: Vec<&Expr> = request
            .constraints
            .iter()
            .filter_map(|constraint| match constraint {
                Constraint::MemberOf(expr) => Some(expr),
                Constraint::DistinctInstance => None,
            })
            .collect();
        let mut slots = Vec::new();
        let mut spread_attributes = Vec::new();
        let mut random = false;
        for strategy in request.strategy.iter().take(MAX_STRATEGIES) {
            slots.push(match strategy {
                Strategy::Binpack(field) => Slot::Binpack(*field),
                Strategy::Spread(SpreadField::InstanceId) => Slot::SpreadInstance,
                Strategy::Spread(SpreadField::Attribute(name)) => {
                    spread_attributes.push(name.as_str());
                    Slot::SpreadAttribute(spread_attributes.len() - 1)
                }
                Strategy::Random => {
                    random = true;
                    break;
                }
            });
        }
        let distinct = request
            .constraints
            .iter()
            .any(|constraint| matches!(constraint, Constraint::DistinctInstance));
        let spreads = slots
            .iter()
            .any(|slot| matches!(slot, Slot::SpreadInstance | Slot::SpreadAttribute(_)));
        Prepared {
            request,
            dynamic_member_of: member_of.iter().any(|expr| expr.is_dynamic()),
            member_of,
            distinct,
            slots,
            counts_group: distinct || spreads || !random,
            random,
            spread_attributes,
            group_hash: hash_str(&request.group),
        }
    }

    /// The value of spread level `level` on the instance: `None` when it lacks the attribute, the
    /// empty string for an attribute without a value.
    pub(crate) fn spread_value<'i>(&self, instance: &'i Instance, level: usize) -> Option<&'i str> {
        instance
            .attributes
            .get(self.spread_attributes[level])
            .map(|value| value.as_deref().unwrap_or(""))
    }

    pub(crate) fn group_count(&self, instance: &Instance) -> u32 {
        let group = self.request.group.as_bytes();
        instance.tasks.iter().filter(|task| same_group(task.group.as_bytes(), group)).count() as u32
    }

    /// The static filter stages: status, agent and required attributes.
    pub(crate) fn passes_static(&self, instance: &Instance) -> bool {
        instance.status == InstanceStatus::Active
            && instance.agent_connected
            && self.first_missing_attribute(instance).is_none()
    }

    /// The first required attribute the instance lacks or has with another value.
    pub(crate) fn first_missing_attribute(
        &self,
        instance: &Instance,
    ) -> Option<&'r (String, Option<String>)> {
        self.request.required_attributes.iter().find(|(name, want)| {
            match (instance.attributes.get(name), want) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(have), Some(want)) => have.as_deref() != Some(want.as_str()),
            }
        })
    }

    /// Whether the instance, with `placed` tasks of this request already on it, has room for one more.
    pub(crate) fn fits(&self, instance: &Instance, placed: u32) -> bool {
        let placed = i64::from(placed);
        let request = self.request;
        instance.remaining.cpu - placed * request.cpu >= request.cpu
            && instance.remaining.memory - placed * request.memory >= request.memory
            && (request.host_ports.is_empty()
                || (placed == 0 && self.conflicting_ports(instance, 0).is_empty()))
    }

    /// The task's host ports that are taken on the instance, by its reserved ports or by `placed`
    /// earlier tasks of this request.
    pub(crate) fn conflicting_ports(
        &self,
        instance: &Instance,
        placed: u32,
    ) -> Vec<(u16, crate::model::Protocol)> {
        self.request
            .host_ports
            .iter()
            .copied()
            .filter(|(port, protocol)| {
                placed > 0
                    || match protocol {
                        crate::model::Protocol::Tcp => instance.remaining.ports_tcp.contains(port),
                        crate::model::Protocol::Udp => instance.remaining.ports_udp.contains(port),
                    }
            })
            .collect()
    }

    /// Whether every `memberOf` holds with `placed` tasks of this request on the instance.
    pub(crate) fn member_of_holds(&self, instance: &Instance, placed: u32) -> bool {
        self.first_failing_member_of(instance, placed).is_none()
    }

    pub(crate) fn first_failing_member_of(
        &self,
        instance: &Instance,
        placed: u32,
    ) -> Option<&'r Expr> {
        let view = WorkingInstance { instance, placed, group: &self.request.group };
        self.member_of.iter().copied().find(|expr| !expr.eval(&view))
    }
}

/// Group names of one cluster share long prefixes (`service:`), so compare the last byte before
/// calling `memcmp`; this scan runs over every task of every instance once per request.
fn same_group(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.last() == right.last() && left == right
}

/// An instance as a query sees it part-way through a plan: with `placed` tasks of `group` added.
pub(crate) struct WorkingInstance<'a> {
    pub(crate) instance: &'a Instance,
    pub(crate) placed: u32,
    pub(crate) group: &'a str,
}

impl QueryTarget for WorkingInstance<'_> {
    fn attribute(&self, name: &str) -> Option<Option<&str>> {
        self.instance.attribute(name)
    }
    fn agent_connected(&self) -> bool {
        self.instance.agent_connected
    }
    fn agent_version(&self) -> &str {
        &self.instance.agent_version
    }
    fn ec2_instance_id(&self) -> &str {
        &self.instance.ec2_instance_id
    }
    fn registered_at(&self) -> f64 {
        self.instance.registered_at
    }
    fn running_tasks_count(&self) -> u64 {
        self.instance.tasks.len() as u64 + u64::from(self.placed)
    }
    fn any_task_group(&self, predicate: &mut dyn FnMut(&str) -> bool) -> bool {
        (self.placed > 0 && predicate(self.group)) || self.instance.any_task_group(predicate)
    }
}
