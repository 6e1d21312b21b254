//! Property tests of the placement engine through its public API: plans are replayed step by step
//! against an independent, naive model of the filters and strategies, and the incremental
//! `Planner`, fed random deltas, is compared with the stateless `plan` on the equivalent snapshot.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use scheduler::query::parse;
use scheduler::{
    Constraint, Delta, Instance, InstanceStatus, PlacementRequest, Plan, PlanCtx, Planner,
    Protocol, Resources, Snapshot, SpreadField, Strategy, TaskOnInstance, TaskRef, plan,
    select_for_scale_in,
};

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const GROUPS: [&str; 2] = ["service:web", "service:db"];
const EXPRESSIONS: [&str; 6] = [
    "attribute:ecs.instance-type =~ m5.*",
    "attribute:ecs.availability-zone != us-east-1c",
    "runningTasksCount < 3",
    "not(task:group == service:db)",
    "task:group == service:web or attribute:team exists",
    "agentVersion >= 1.50 and registeredAt < 2030-01-01",
];

fn instance_strategy() -> impl proptest::strategy::Strategy<Value = Instance> {
    (
        0..ZONES.len(),
        prop::bool::ANY,
        0i64..2048,
        0i64..4096,
        prop::collection::btree_set(prop::sample::select(vec![80u16, 443, 8080]), 0..2),
        prop::collection::btree_set(prop::sample::select(vec![53u16, 123]), 0..2),
        prop::sample::select(vec!["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "DRAINING", "INACTIVE"]),
        prop::bool::weighted(0.9),
        prop::collection::vec(prop::sample::select(GROUPS.to_vec()), 0..3),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(zone, m5, cpu, memory, tcp, udp, status, connected, groups, team)| {
            let mut attributes = BTreeMap::new();
            attributes.insert("ecs.availability-zone".to_owned(), Some(ZONES[zone].to_owned()));
            attributes.insert(
                "ecs.instance-type".to_owned(),
                Some(if m5 { "m5.large" } else { "c5.large" }.to_owned()),
            );
            if team {
                attributes.insert("team".to_owned(), None);
            }
            Instance {
                id: String::new(),
                arn: String::new(),
                ec2_instance_id: "i-1".to_owned(),
                status: match status {
                    "ACTIVE" => InstanceStatus::Active,
                    "DRAINING" => InstanceStatus::Draining,
                    other => InstanceStatus::Other(other.to_owned()),
                },
                agent_connected: connected,
                agent_version: "1.70.0".to_owned(),
                registered_at: 1_700_000_000.0,
                attributes,
                registered: Resources { cpu: 2048, memory: 4096, ..Resources::default() },
                remaining: Resources { cpu, memory, ports_tcp: tcp, ports_udp: udp },
                tasks: groups
                    .into_iter()
                    .enumerate()
                    .map(|(number, group)| TaskOnInstance {
                        id: format!("t{number}"),
                        group: group.to_owned(),
                        started_by: None,
                    })
                    .collect(),
            }
        })
}

fn snapshot_strategy(max: usize) -> impl proptest::strategy::Strategy<Value = Snapshot> {
    prop::collection::vec(instance_strategy(), 0..max).prop_map(|mut instances| {
        for (number, instance) in instances.iter_mut().enumerate() {
            instance.id = format!("ci-{number:03}");
            instance.arn = format!("arn:aws:ecs:us-east-1:0:container-instance/c/ci-{number:03}");
        }
        Snapshot { instances }
    })
}

fn strategy_chain() -> impl proptest::strategy::Strategy<Value = Vec<Strategy>> {
    let one = prop::sample::select(vec![
        Strategy::from_ecs("binpack", Some("cpu")).unwrap(),
        Strategy::from_ecs("binpack", Some("memory")).unwrap(),
        Strategy::from_ecs("spread", Some("instanceId")).unwrap(),
        Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone")).unwrap(),
        Strategy::from_ecs("spread", Some("attribute:ecs.instance-type")).unwrap(),
        Strategy::Random,
    ]);
    prop::collection::vec(one, 0..4)
}

fn request_strategy() -> impl proptest::strategy::Strategy<Value = PlacementRequest> {
    (
        0u32..25,
        prop::sample::select(GROUPS.to_vec()),
        0i64..600,
        0i64..1200,
        prop::collection::vec(
            prop::sample::select(vec![(80u16, Protocol::Tcp), (53, Protocol::Udp)]),
            0..2,
        ),
        prop::bool::weighted(0.25),
        prop::collection::vec(prop::sample::select(EXPRESSIONS.to_vec()), 0..2),
        prop::bool::weighted(0.2),
        strategy_chain(),
    )
        .prop_map(
            |(count, group, cpu, memory, mut ports, distinct, expressions, team, strategy)| {
                ports.dedup();
                let mut constraints: Vec<Constraint> = expressions
                    .into_iter()
                    .map(|expression| Constraint::MemberOf(parse(expression).unwrap()))
                    .collect();
                if distinct {
                    constraints.push(Constraint::DistinctInstance);
                }
                PlacementRequest {
                    count,
                    group: group.to_owned(),
                    cpu,
                    memory,
                    host_ports: ports,
                    required_attributes: if team {
                        vec![("team".to_owned(), None)]
                    } else {
                        Vec::new()
                    },
                    constraints,
                    strategy,
                }
            },
        )
}

/// The naive model: can `instance` (with earlier placements already applied) take one more task?
fn feasible(instance: &Instance, request: &PlacementRequest) -> bool {
    instance.status == InstanceStatus::Active
        && instance.agent_connected
        && request.required_attributes.iter().all(|(name, want)| {
            match (instance.attributes.get(name), want) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(have), Some(want)) => have.as_deref() == Some(want.as_str()),
            }
        })
        && request.constraints.iter().all(|constraint| match constraint {
            Constraint::MemberOf(expr) => expr.matches(instance),
            Constraint::DistinctInstance => {
                !instance.tasks.iter().any(|task| task.group == request.group)
            }
        })
        && instance.remaining.cpu >= request.cpu
        && instance.remaining.memory >= request.memory
        && request.host_ports.iter().all(|(port, protocol)| match protocol {
            Protocol::Tcp => !instance.remaining.ports_tcp.contains(port),
            Protocol::Udp => !instance.remaining.ports_udp.contains(port),
        })
}

fn apply(instance: &mut Instance, request: &PlacementRequest, task: String) {
    instance.remaining.cpu -= request.cpu;
    instance.remaining.memory -= request.memory;
    for (port, protocol) in &request.host_ports {
        match protocol {
            Protocol::Tcp => instance.remaining.ports_tcp.insert(*port),
            Protocol::Udp => instance.remaining.ports_udp.insert(*port),
        };
    }
    instance.tasks.push(TaskOnInstance {
        id: task,
        group: request.group.clone(),
        started_by: None,
    });
}

fn group_tasks(instance: &Instance, group: &str) -> usize {
    instance.tasks.iter().filter(|task| task.group == group).count()
}

fn zone(instance: &Instance) -> &str {
    instance.attributes["ecs.availability-zone"].as_deref().unwrap()
}

/// Replays the plan on a copy of the snapshot, checking every placement against the naive model
/// (calling `step` with the state before each placement), and returns the final state.
fn replay(
    snapshot: &Snapshot,
    request: &PlacementRequest,
    result: &Plan,
    mut step: impl FnMut(&Snapshot, usize),
) -> Result<Snapshot, TestCaseError> {
    let mut state = snapshot.clone();
    prop_assert_eq!(result.placements.len() + result.unplaced.len(), request.count as usize);
    for (order, placement) in result.placements.iter().enumerate() {
        prop_assert_eq!(placement.task_index as usize, order);
        let number = state
            .instances
            .iter()
            .position(|instance| instance.id == placement.instance_id)
            .expect("placed on a known instance");
        prop_assert!(
            feasible(&state.instances[number], request),
            "task {} on {} breaks a filter or constraint (or over-commits)",
            order,
            placement.instance_id
        );
        step(&state, number);
        apply(&mut state.instances[number], request, format!("new-{order}"));
    }
    // Unplaced only when no instance can take the task.
    if !result.unplaced.is_empty() {
        prop_assert!(
            !state.instances.iter().any(|instance| feasible(instance, request)),
            "a task was left unplaced although an instance could take it"
        );
    }
    for (offset, unplaced) in result.unplaced.iter().enumerate() {
        prop_assert_eq!(unplaced.task_index as usize, result.placements.len() + offset);
        prop_assert_eq!(unplaced.instance_arn.is_none(), snapshot.instances.is_empty());
    }
    Ok(state)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Never over-commits CPU, memory or a port; honours every filter and constraint, including
    /// distinctInstance and the dynamic memberOf subjects; leaves tasks unplaced only when nothing
    /// fits; and the same input gives the same plan.
    #[test]
    fn plans_are_feasible_complete_and_deterministic(
        snapshot in snapshot_strategy(12),
        request in request_strategy(),
        seed in any::<u64>(),
    ) {
        let ctx = PlanCtx { seed };
        let result = plan(&snapshot, &request, &ctx);
        prop_assert_eq!(&result, &plan(&snapshot, &request, &ctx));
        let state = replay(&snapshot, &request, &result, |_, _| {})?;
        for instance in &state.instances {
            let before = snapshot.instances.iter().find(|i| i.id == instance.id).unwrap();
            if instance.tasks.len() > before.tasks.len() {
                prop_assert!(instance.remaining.cpu >= 0 && instance.remaining.memory >= 0);
            }
        }
        if request.constraints.contains(&Constraint::DistinctInstance) {
            for instance in &state.instances {
                let before = snapshot.instances.iter().find(|i| i.id == instance.id).unwrap();
                if instance.tasks.len() > before.tasks.len() {
                    prop_assert_eq!(group_tasks(instance, &request.group), 1);
                }
            }
        }
    }

    /// `[spread(AZ), binpack(memory)]`: every placement goes to a zone with the fewest tasks of the
    /// group among the zones that can take it, and within those zones to the least memory left.
    #[test]
    fn chained_spread_then_binpack_is_lexicographic(
        snapshot in snapshot_strategy(12),
        mut request in request_strategy(),
        seed in any::<u64>(),
    ) {
        request.strategy = vec![
            Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned())),
            Strategy::from_ecs("binpack", Some("memory")).unwrap(),
        ];
        let result = plan(&snapshot, &request, &PlanCtx { seed });
        let mut failure = None;
        replay(&snapshot, &request, &result, |state, chosen| {
            let zone_count = |zone_name: &str| -> usize {
                state
                    .instances
                    .iter()
                    .filter(|i| i.status == InstanceStatus::Active && zone(i) == zone_name)
                    .map(|i| group_tasks(i, &request.group))
                    .sum()
            };
            let best = state
                .instances
                .iter()
                .filter(|instance| feasible(instance, &request))
                .map(|instance| (zone_count(zone(instance)), instance.remaining.memory))
                .min()
                .unwrap();
            let got = &state.instances[chosen];
            let got = (zone_count(zone(got)), got.remaining.memory);
            if got != best && failure.is_none() {
                failure = Some(format!("chose {got:?}, best was {best:?}"));
            }
        })?;
        prop_assert!(failure.is_none(), "{}", failure.unwrap());
    }

    /// With room everywhere and no earlier tasks of the group, spreading over zones never leaves
    /// two zones more than one task apart.
    #[test]
    fn spread_keeps_zones_within_one_task(
        zones_of in prop::collection::vec(0..ZONES.len(), 1..15),
        count in 0u32..60,
        binpack in prop::bool::ANY,
        seed in any::<u64>(),
    ) {
        let instances = zones_of
            .iter()
            .enumerate()
            .map(|(number, zone)| Instance {
                id: format!("ci-{number:03}"),
                arn: format!("arn:ci-{number:03}"),
                ec2_instance_id: String::new(),
                status: InstanceStatus::Active,
                agent_connected: true,
                agent_version: "1.0".to_owned(),
                registered_at: 0.0,
                attributes: [("ecs.availability-zone".to_owned(), Some(ZONES[*zone].to_owned()))]
                    .into_iter()
                    .collect(),
                registered: Resources::default(),
                remaining: Resources { cpu: 1 << 20, memory: (1 << 20) - number as i64, ..Resources::default() },
                tasks: Vec::new(),
            })
            .collect();
        let snapshot = Snapshot { instances };
        let mut strategy = vec![Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned()))];
        if binpack {
            strategy.push(Strategy::from_ecs("binpack", Some("memory")).unwrap());
        }
        let request = PlacementRequest {
            count,
            group: "service:web".to_owned(),
            cpu: 1,
            memory: 1,
            host_ports: Vec::new(),
            required_attributes: Vec::new(),
            constraints: Vec::new(),
            strategy,
        };
        let result = plan(&snapshot, &request, &PlanCtx { seed });
        prop_assert!(result.unplaced.is_empty());
        let used: BTreeSet<&str> = snapshot.instances.iter().map(zone).collect();
        let mut per_zone: BTreeMap<&str, usize> = used.iter().map(|zone| (*zone, 0)).collect();
        for placement in &result.placements {
            let instance = snapshot.instances.iter().find(|i| i.id == placement.instance_id).unwrap();
            *per_zone.get_mut(zone(instance)).unwrap() += 1;
        }
        let max = per_zone.values().max().unwrap();
        let min = per_zone.values().min().unwrap();
        prop_assert!(max - min <= 1, "{:?}", per_zone);
    }

    /// Scale-in with `spread(AZ)` always stops a task from a zone with the most remaining candidates,
    /// stops each candidate at most once, and is deterministic.
    #[test]
    fn scale_in_keeps_zone_balance(
        snapshot in snapshot_strategy(10),
        count in 0usize..30,
        seed in any::<u64>(),
    ) {
        let candidates: Vec<TaskRef> = snapshot
            .instances
            .iter()
            .flat_map(|instance| {
                instance.tasks.iter().map(|task| TaskRef {
                    id: format!("{}/{}", instance.id, task.id),
                    instance_id: instance.id.clone(),
                })
            })
            .collect();
        let strategy = vec![Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned()))];
        let ctx = PlanCtx { seed };
        let stopped = select_for_scale_in(&snapshot, &candidates, count, &strategy, &ctx);
        prop_assert_eq!(&stopped, &select_for_scale_in(&snapshot, &candidates, count, &strategy, &ctx));
        prop_assert_eq!(stopped.len(), count.min(candidates.len()));
        let mut remaining: Vec<&TaskRef> = candidates.iter().collect();
        for id in &stopped {
            let zone_of = |task: &TaskRef| {
                zone(snapshot.instances.iter().find(|i| i.id == task.instance_id).unwrap()).to_owned()
            };
            let mut per_zone: BTreeMap<String, usize> = BTreeMap::new();
            for task in &remaining {
                *per_zone.entry(zone_of(task)).or_default() += 1;
            }
            let position = remaining.iter().position(|task| &task.id == id).expect("stopped once, and a candidate");
            let task = remaining.remove(position);
            let max = *per_zone.values().max().unwrap();
            prop_assert_eq!(per_zone[&zone_of(task)], max);
        }
    }
}

/// One step of a planner scenario.
#[derive(Debug, Clone)]
enum Op {
    /// Plan request `shape` (of the scenario's pool) with this count and seed; when `commit`,
    /// apply its placements as `TaskPlaced` deltas.
    Request {
        shape: usize,
        count: u32,
        seed: u64,
        commit: bool,
    },
    /// A task placed from outside (another scheduler, an adopted task).
    Place {
        instance: usize,
        group: usize,
        cpu: i64,
        memory: i64,
        port: Option<(u16, Protocol)>,
    },
    /// Stop the `task`-th known task (modulo their number).
    Remove {
        task: usize,
    },
    /// Change an instance's status, agent, zone, type or `team` attribute.
    Update {
        instance: usize,
        change: u8,
        value: usize,
    },
    /// Register a new instance whose id sorts after `ci-{after}`.
    Add {
        after: usize,
        instance: Box<Instance>,
    },
    Deregister {
        instance: usize,
    },
}

fn op_strategy() -> impl proptest::strategy::Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 0u32..12, any::<u64>(), prop::bool::weighted(0.8))
            .prop_map(|(shape, count, seed, commit)| Op::Request { shape, count, seed, commit }),
        3 => (
            any::<usize>(),
            0..GROUPS.len(),
            0i64..300,
            0i64..600,
            prop::option::weighted(0.2, prop::sample::select(vec![(80u16, Protocol::Tcp), (53, Protocol::Udp)])),
        )
            .prop_map(|(instance, group, cpu, memory, port)| Op::Place { instance, group, cpu, memory, port }),
        3 => any::<usize>().prop_map(|task| Op::Remove { task }),
        2 => (any::<usize>(), 0u8..5, any::<usize>())
            .prop_map(|(instance, change, value)| Op::Update { instance, change, value }),
        1 => (0usize..12, instance_strategy()).prop_map(|(after, instance)| Op::Add { after, instance: Box::new(instance) }),
        1 => any::<usize>().prop_map(|instance| Op::Deregister { instance }),
    ]
}

/// A task the scenario knows the reservation of (tasks of the initial snapshot reserve nothing).
#[derive(Debug, Clone)]
struct Known {
    instance_id: String,
    task_id: String,
    cpu: i64,
    memory: i64,
    ports: Vec<(u16, Protocol)>,
}

/// The model's side of a `TaskPlaced`/`TaskRemoved`, as documented on `Delta`.
fn model_place(snapshot: &mut Snapshot, task: &Known, group: &str) {
    let instance = snapshot.instances.iter_mut().find(|i| i.id == task.instance_id).unwrap();
    instance.remaining.cpu -= task.cpu;
    instance.remaining.memory -= task.memory;
    for (port, protocol) in &task.ports {
        match protocol {
            Protocol::Tcp => instance.remaining.ports_tcp.insert(*port),
            Protocol::Udp => instance.remaining.ports_udp.insert(*port),
        };
    }
    instance.tasks.push(TaskOnInstance {
        id: task.task_id.clone(),
        group: group.to_owned(),
        started_by: None,
    });
}

fn model_remove(snapshot: &mut Snapshot, task: &Known) {
    let instance = snapshot.instances.iter_mut().find(|i| i.id == task.instance_id).unwrap();
    let position = instance.tasks.iter().position(|t| t.id == task.task_id).unwrap();
    instance.tasks.remove(position);
    instance.remaining.cpu += task.cpu;
    instance.remaining.memory += task.memory;
    for (port, protocol) in &task.ports {
        match protocol {
            Protocol::Tcp if !instance.registered.ports_tcp.contains(port) => {
                instance.remaining.ports_tcp.remove(port);
            }
            Protocol::Udp if !instance.registered.ports_udp.contains(port) => {
                instance.remaining.ports_udp.remove(port);
            }
            _ => {}
        }
    }
}

fn placed_delta(task: &Known, group: &str) -> Delta {
    Delta::TaskPlaced {
        instance_id: task.instance_id.clone(),
        task: TaskOnInstance {
            id: task.task_id.clone(),
            group: group.to_owned(),
            started_by: None,
        },
        cpu: task.cpu,
        memory: task.memory,
        host_ports: task.ports.clone(),
    }
}

/// Runs a scenario against the planner and the model snapshot, checking after every step that the
/// planner's view equals the model and that every plan equals the stateless plan of the model.
fn run_scenario(
    initial: Snapshot,
    shapes: &[PlacementRequest],
    ops: &[Op],
    max_shapes: usize,
) -> Result<(), TestCaseError> {
    let mut model = initial.clone();
    let mut planner = Planner::new(initial);
    planner.set_max_shapes(max_shapes);
    let mut known: Vec<Known> = model
        .instances
        .iter()
        .flat_map(|instance| {
            instance.tasks.iter().map(|task| Known {
                instance_id: instance.id.clone(),
                task_id: task.id.clone(),
                cpu: 0,
                memory: 0,
                ports: Vec::new(),
            })
        })
        .collect();
    let mut groups_of: BTreeMap<String, String> = model
        .instances
        .iter()
        .flat_map(|i| i.tasks.iter().map(|t| (t.id.clone(), t.group.clone())))
        .collect();
    let mut next_task = 0u32;
    for op in ops {
        match op.clone() {
            Op::Request { shape, count, seed, commit } => {
                let mut request = shapes[shape].clone();
                request.count = count;
                let ctx = PlanCtx { seed };
                let got = planner.plan(&request, &ctx);
                let want = plan(&model, &request, &ctx);
                prop_assert_eq!(&got, &want, "planner and stateless plan differ for {:?}", request);
                replay(&model, &request, &got, |_, _| {})?;
                if commit {
                    for placement in &got.placements {
                        next_task += 1;
                        let task = Known {
                            instance_id: placement.instance_id.clone(),
                            task_id: format!("p{next_task}"),
                            cpu: request.cpu,
                            memory: request.memory,
                            ports: request.host_ports.clone(),
                        };
                        planner.apply(placed_delta(&task, &request.group)).unwrap();
                        model_place(&mut model, &task, &request.group);
                        groups_of.insert(task.task_id.clone(), request.group.clone());
                        known.push(task);
                    }
                }
            }
            Op::Place { instance, group, cpu, memory, port } => {
                if model.instances.is_empty() {
                    continue;
                }
                next_task += 1;
                let task = Known {
                    instance_id: model.instances[instance % model.instances.len()].id.clone(),
                    task_id: format!("x{next_task}"),
                    cpu,
                    memory,
                    ports: port.into_iter().collect(),
                };
                planner.apply(placed_delta(&task, GROUPS[group])).unwrap();
                model_place(&mut model, &task, GROUPS[group]);
                groups_of.insert(task.task_id.clone(), GROUPS[group].to_owned());
                known.push(task);
            }
            Op::Remove { task } => {
                if known.is_empty() {
                    continue;
                }
                let task = known.swap_remove(task % known.len());
                planner
                    .apply(Delta::TaskRemoved {
                        instance_id: task.instance_id.clone(),
                        task_id: task.task_id.clone(),
                        cpu: task.cpu,
                        memory: task.memory,
                        host_ports: task.ports.clone(),
                    })
                    .unwrap();
                model_remove(&mut model, &task);
            }
            Op::Update { instance, change, value } => {
                if model.instances.is_empty() {
                    continue;
                }
                let number = instance % model.instances.len();
                let target = &mut model.instances[number];
                match change {
                    0 => {
                        target.status = match value % 3 {
                            0 => InstanceStatus::Active,
                            1 => InstanceStatus::Draining,
                            _ => InstanceStatus::Other("INACTIVE".to_owned()),
                        }
                    }
                    1 => target.agent_connected = !target.agent_connected,
                    2 => {
                        target.attributes.insert(
                            "ecs.availability-zone".to_owned(),
                            Some(ZONES[value % ZONES.len()].to_owned()),
                        );
                    }
                    3 => {
                        let kind = if value % 2 == 0 { "m5.large" } else { "c5.large" };
                        target
                            .attributes
                            .insert("ecs.instance-type".to_owned(), Some(kind.to_owned()));
                    }
                    _ => {
                        if target.attributes.remove("team").is_none() {
                            target.attributes.insert("team".to_owned(), None);
                        }
                        target.remaining.cpu += (value % 512) as i64 - 256;
                    }
                }
                planner.apply(Delta::UpsertInstance(target.clone())).unwrap();
            }
            Op::Add { after, mut instance } => {
                instance.id = format!("ci-{after:03}x{next_task}");
                next_task += 1;
                instance.arn =
                    format!("arn:aws:ecs:us-east-1:0:container-instance/c/{}", instance.id);
                for task in &mut instance.tasks {
                    next_task += 1;
                    task.id = format!("a{next_task}");
                    groups_of.insert(task.id.clone(), task.group.clone());
                    known.push(Known {
                        instance_id: instance.id.clone(),
                        task_id: task.id.clone(),
                        cpu: 0,
                        memory: 0,
                        ports: Vec::new(),
                    });
                }
                let position = model.instances.partition_point(|i| i.id < instance.id);
                model.instances.insert(position, (*instance).clone());
                planner.apply(Delta::UpsertInstance(*instance)).unwrap();
            }
            Op::Deregister { instance } => {
                if model.instances.is_empty() {
                    continue;
                }
                let removed = model.instances.remove(instance % model.instances.len());
                known.retain(|task| task.instance_id != removed.id);
                planner.apply(Delta::RemoveInstance { instance_id: removed.id }).unwrap();
            }
        }
        prop_assert_eq!(&planner.snapshot(), &model);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The planner, fed random deltas, gives exactly the stateless plan of the equivalent
    /// snapshot for every request (same seed), and its plans pass the same replay checks.
    #[test]
    fn planner_equals_stateless_plan(
        snapshot in snapshot_strategy(12),
        shapes in prop::collection::vec(request_strategy(), 3),
        ops in prop::collection::vec(op_strategy(), 1..40),
        max_shapes in 1usize..4,
    ) {
        run_scenario(snapshot, &shapes, &ops, max_shapes)?;
    }

    /// The same with the incremental path only (no `random`, no dynamic `memberOf`) and the
    /// bench's chain, so that catch-up, not the fallback, is what gets compared.
    #[test]
    fn planner_equals_stateless_plan_on_incremental_shapes(
        snapshot in snapshot_strategy(12),
        mut shapes in prop::collection::vec(request_strategy(), 3),
        chains in prop::collection::vec(strategy_chain(), 3),
        ops in prop::collection::vec(op_strategy(), 1..60),
    ) {
        for (number, (shape, chain)) in shapes.iter_mut().zip(chains).enumerate() {
            shape.strategy = if number == 0 {
                vec![
                    Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".to_owned())),
                    Strategy::from_ecs("binpack", Some("memory")).unwrap(),
                ]
            } else {
                chain.into_iter().filter(|s| *s != Strategy::Random).collect()
            };
            shape.constraints.retain(|c| match c {
                Constraint::MemberOf(expr) => !expr.is_dynamic(),
                Constraint::DistinctInstance => true,
            });
        }
        run_scenario(snapshot, &shapes, &ops, 3)?;
    }
}
