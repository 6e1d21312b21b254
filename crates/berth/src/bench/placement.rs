//! `berth bench placement`: how many tasks per second the placement engine places on one thread,
//! at several cluster sizes, with `[spread(AZ), binpack(memory)]` and a `memberOf` constraint.
//!
//! Workload, per size: a synthetic cluster (`scheduler::testkit::synthetic_cluster`, three zones)
//! receives requests like a service scheduler's until `--tasks` tasks are placed. Each request
//! belongs to one of 20 services (`service:svc-N`, each with a fixed task size of 64–256 CPU units
//! and 256–1024 MiB), asks for a log-uniform count between 10 and 1000 tasks, and carries the
//! constraint `memberOf(attribute:ecs.instance-type =~ '(m5|c5|r5)\..*')`, which about 90% of the
//! instances satisfy. After each plan its tasks are applied (they use the resources), and before
//! each request the oldest bench tasks stop until the request fits under 60% of the eligible
//! capacity, so the cluster keeps evolving instead of filling up.
//!
//! The workload runs twice per size, from the same seed:
//! - through `scheduler::Planner` (built once from the snapshot, untimed; reported as
//!   `planner_build_ms`): placements and stops are applied as `Delta`s, and `Planner::plan` is
//!   timed, including the catch-up of its index on the changes since the shape's last request and
//!   the build of a service's index on its first request. `warm_placements_per_sec` leaves out
//!   each service's first request (`cold_requests`, `cold_request_ms_total`). The time to apply
//!   the deltas is reported apart (`delta_apply_ns` per delta).
//! - through the stateless `scheduler::plan` on a snapshot edited in place (only `plan` is timed).
//!
//! Both must produce the same plans; `identical=` compares digests of every placement.
//!
//! Output: one line per size, `instances=N placements_per_sec=M` (the planner) followed by
//! `requests= mean_count= p50_request_us= p99_request_us= max_request_us= unplaced=`,
//! `warm_placements_per_sec= cold_requests= cold_request_ms_total= planner_build_ms=
//! delta_apply_ns=`, the stateless path's `stateless_placements_per_sec=
//! stateless_p50_request_us= stateless_p99_request_us=` and `identical=`.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

use scheduler::testkit::synthetic_cluster;
use scheduler::{
    Constraint, Delta, InstanceStatus, PlacementRequest, PlanCtx, Planner, Snapshot, Strategy,
    TaskOnInstance,
};

#[derive(clap::Args, Debug)]
pub(crate) struct PlacementBenchArgs {
    /// Cluster sizes (container instances) to measure.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,5000,10000")]
    sizes: Vec<usize>,
    /// Tasks to place per size.
    #[arg(long, default_value_t = 100_000)]
    tasks: u64,
    /// Seed of the cluster, the workload and the plans.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

const SERVICES: u64 = 20;
const MEMBER_OF: &str = r"attribute:ecs.instance-type =~ '(m5|c5|r5)\..*'";
const TARGET_UTILISATION: f64 = 0.6;

pub(crate) fn run(args: &PlacementBenchArgs) -> anyhow::Result<()> {
    let constraint = Constraint::from_ecs("memberOf", Some(MEMBER_OF))
        .map_err(|err| anyhow::anyhow!("bench constraint: {err}"))?;
    let strategy = vec![
        Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone"))
            .map_err(|err| anyhow::anyhow!(err))?,
        Strategy::from_ecs("binpack", Some("memory")).map_err(|err| anyhow::anyhow!(err))?,
    ];
    for &size in &args.sizes {
        let planner = run_path(Path::Planner, size, args, &constraint, &strategy)?;
        let stateless = run_path(Path::Stateless, size, args, &constraint, &strategy)?;
        println!(
            "instances={size} placements_per_sec={:.0} requests={} mean_count={:.1} p50_request_us={:.0} p99_request_us={:.0} max_request_us={:.0} unplaced={} warm_placements_per_sec={:.0} cold_requests={} cold_request_ms_total={:.1} planner_build_ms={:.1} delta_apply_ns={:.0} stateless_placements_per_sec={:.0} stateless_p50_request_us={:.0} stateless_p99_request_us={:.0} identical={}",
            planner.per_sec(),
            planner.durations.len(),
            planner.requested as f64 / planner.durations.len() as f64,
            planner.percentile_us(0.5),
            planner.percentile_us(0.99),
            planner.percentile_us(1.0),
            planner.unplaced,
            planner.warm_per_sec(),
            planner.cold_requests,
            planner.cold_total.as_secs_f64() * 1e3,
            planner.build.as_secs_f64() * 1e3,
            planner.deltas_time.as_secs_f64() * 1e9 / planner.deltas.max(1) as f64,
            stateless.per_sec(),
            stateless.percentile_us(0.5),
            stateless.percentile_us(0.99),
            planner.digest == stateless.digest && planner.placed == stateless.placed,
        );
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Planner,
    Stateless,
}

/// The cluster state one path plans against.
enum State {
    Planner(Box<Planner>),
    Stateless { snapshot: Snapshot, by_id: HashMap<String, usize> },
}

/// A bench task on the cluster, for churn.
struct Live {
    instance: String,
    id: String,
    cpu: i64,
    memory: i64,
}

#[derive(Default)]
struct Figures {
    placed: u64,
    requested: u64,
    unplaced: u64,
    /// Per request, sorted at the end.
    durations: Vec<Duration>,
    total: Duration,
    /// The first request of each service (the planner builds the service's index) apart.
    cold_requests: u64,
    cold_total: Duration,
    cold_placed: u64,
    build: Duration,
    deltas: u64,
    deltas_time: Duration,
    /// Of every placement's instance id, in order.
    digest: u64,
}

impl Figures {
    fn per_sec(&self) -> f64 {
        self.placed as f64 / self.total.as_secs_f64()
    }

    /// Placements per second over the requests after each service's first.
    fn warm_per_sec(&self) -> f64 {
        (self.placed - self.cold_placed) as f64 / (self.total - self.cold_total).as_secs_f64()
    }

    fn percentile_us(&self, fraction: f64) -> f64 {
        let index = ((self.durations.len() as f64 - 1.0) * fraction).round() as usize;
        self.durations[index].as_secs_f64() * 1e6
    }
}

impl State {
    fn plan(&mut self, request: &PlacementRequest, ctx: &PlanCtx) -> scheduler::Plan {
        match self {
            State::Planner(planner) => planner.plan(request, ctx),
            State::Stateless { snapshot, .. } => scheduler::plan(snapshot, request, ctx),
        }
    }

    /// Applies task placements and stops; returns the time it took when they are planner deltas.
    fn apply(&mut self, deltas: &mut Vec<Delta>) -> anyhow::Result<Option<Duration>> {
        match self {
            State::Planner(planner) => {
                let started = Instant::now();
                for delta in deltas.drain(..) {
                    planner.apply(delta)?;
                }
                Ok(Some(started.elapsed()))
            }
            State::Stateless { snapshot, by_id } => {
                for delta in deltas.drain(..) {
                    State::edit(snapshot, by_id, delta)?;
                }
                Ok(None)
            }
        }
    }

    /// The stateless path's equivalent of a delta: the snapshot edited in place.
    fn edit(
        snapshot: &mut Snapshot,
        by_id: &HashMap<String, usize>,
        delta: Delta,
    ) -> anyhow::Result<()> {
        match delta {
            Delta::TaskPlaced { instance_id, task, cpu, memory, .. } => {
                let instance = &mut snapshot.instances[by_id[&instance_id]];
                instance.remaining.cpu -= cpu;
                instance.remaining.memory -= memory;
                instance.tasks.push(task);
            }
            Delta::TaskRemoved { instance_id, task_id, cpu, memory, .. } => {
                let instance = &mut snapshot.instances[by_id[&instance_id]];
                if let Some(position) = instance.tasks.iter().position(|t| t.id == task_id) {
                    instance.tasks.remove(position);
                }
                instance.remaining.cpu += cpu;
                instance.remaining.memory += memory;
            }
            other => anyhow::bail!("the bench sends no {other:?}"),
        }
        Ok(())
    }
}

fn run_path(
    path: Path,
    size: usize,
    args: &PlacementBenchArgs,
    constraint: &Constraint,
    strategy: &[Strategy],
) -> anyhow::Result<Figures> {
    let snapshot = synthetic_cluster(size, 3, args.seed);
    let Constraint::MemberOf(expr) = constraint else {
        anyhow::bail!("the bench constraint is a memberOf");
    };
    // Capacity of the instances a request could use, for the churn target.
    let (mut cpu_capacity, mut memory_capacity) = (0i64, 0i64);
    for instance in &snapshot.instances {
        if instance.status == InstanceStatus::Active
            && instance.agent_connected
            && expr.matches(instance)
        {
            cpu_capacity += instance.remaining.cpu;
            memory_capacity += instance.remaining.memory;
        }
    }
    let cpu_budget = (cpu_capacity as f64 * TARGET_UTILISATION) as i64;
    let memory_budget = (memory_capacity as f64 * TARGET_UTILISATION) as i64;

    let mut figures = Figures::default();
    let mut state = match path {
        Path::Planner => {
            let started = Instant::now();
            let planner = Planner::new(snapshot);
            figures.build = started.elapsed();
            State::Planner(Box::new(planner))
        }
        Path::Stateless => {
            let by_id = snapshot
                .instances
                .iter()
                .enumerate()
                .map(|(number, instance)| (instance.id.clone(), number))
                .collect();
            State::Stateless { snapshot, by_id }
        }
    };
    let mut digest = DefaultHasher::new();
    let mut deltas: Vec<Delta> = Vec::new();
    let apply = |state: &mut State, deltas: &mut Vec<Delta>, figures: &mut Figures| {
        let count = deltas.len() as u64;
        if let Some(elapsed) = state.apply(deltas)? {
            figures.deltas += count;
            figures.deltas_time += elapsed;
        }
        anyhow::Ok(())
    };

    let mut workload = Lcg(args.seed ^ 0x9e37_79b9_7f4a_7c15);
    let services: Vec<(i64, i64)> =
        (0..SERVICES).map(|_| (64 << workload.below(3), 256 << workload.below(3))).collect();
    let mut live: VecDeque<Live> = VecDeque::new();
    let (mut cpu_used, mut memory_used) = (0i64, 0i64);
    let mut next_task = 0u64;
    let mut seen = [false; SERVICES as usize];

    while figures.placed < args.tasks {
        let service = workload.below(SERVICES);
        let (task_cpu, task_memory) = services[service as usize];
        // Log-uniform count in 10..=1000.
        let wanted = (10.0 * 100f64.powf(workload.unit())).round() as u64;
        let mut count = wanted.min(args.tasks - figures.placed).max(1);
        // Churn: stop the oldest bench tasks until this request fits under the target.
        while cpu_used + count as i64 * task_cpu > cpu_budget
            || memory_used + count as i64 * task_memory > memory_budget
        {
            let Some(oldest) = live.pop_front() else {
                // Even an empty cluster cannot take this many under the target: ask for fewer.
                let by_cpu = (cpu_budget - cpu_used) / task_cpu.max(1);
                let by_memory = (memory_budget - memory_used) / task_memory.max(1);
                count = by_cpu.min(by_memory).max(1) as u64;
                break;
            };
            cpu_used -= oldest.cpu;
            memory_used -= oldest.memory;
            deltas.push(Delta::TaskRemoved {
                instance_id: oldest.instance,
                task_id: oldest.id,
                cpu: oldest.cpu,
                memory: oldest.memory,
                host_ports: Vec::new(),
            });
        }
        apply(&mut state, &mut deltas, &mut figures)?;

        let group = format!("service:svc-{service}");
        let request = PlacementRequest {
            count: count as u32,
            group: group.clone(),
            cpu: task_cpu,
            memory: task_memory,
            host_ports: Vec::new(),
            required_attributes: Vec::new(),
            constraints: vec![constraint.clone()],
            strategy: strategy.to_vec(),
        };
        let ctx = PlanCtx { seed: args.seed.wrapping_add(figures.durations.len() as u64) };
        let started = Instant::now();
        let plan = state.plan(&request, &ctx);
        let elapsed = started.elapsed();
        figures.total += elapsed;
        figures.durations.push(elapsed);
        if !std::mem::replace(&mut seen[service as usize], true) {
            figures.cold_requests += 1;
            figures.cold_total += elapsed;
            figures.cold_placed += plan.placements.len() as u64;
        }
        figures.requested += count;
        figures.unplaced += plan.unplaced.len() as u64;
        if plan.placements.is_empty() {
            anyhow::bail!(
                "instances={size}: nothing placed for a request of {count} ({:?})",
                plan.unplaced.first().map(|u| &u.detail)
            );
        }
        for placement in plan.placements {
            placement.instance_id.hash(&mut digest);
            let id = format!("bench-{next_task}");
            next_task += 1;
            live.push_back(Live {
                instance: placement.instance_id.clone(),
                id: id.clone(),
                cpu: task_cpu,
                memory: task_memory,
            });
            deltas.push(Delta::TaskPlaced {
                instance_id: placement.instance_id,
                task: TaskOnInstance { id, group: group.clone(), started_by: None },
                cpu: task_cpu,
                memory: task_memory,
                host_ports: Vec::new(),
            });
            figures.placed += 1;
            cpu_used += task_cpu;
            memory_used += task_memory;
        }
        apply(&mut state, &mut deltas, &mut figures)?;
    }
    figures.durations.sort_unstable();
    figures.digest = digest.finish();
    Ok(figures)
}

/// The workload's own small deterministic generator, so the bench needs no RNG crate.
struct Lcg(u64);

impl Lcg {
    fn next_u64(&mut self) -> u64 {
        // PCG-style output of a 64-bit LCG (Knuth's MMIX constants).
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let x = self.0;
        (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd) ^ (x >> 29)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}
