//! `berth bench placement`: how many tasks per second the placement engine places on one thread,
//! at several cluster sizes, with `[spread(AZ), binpack(memory)]` and a `memberOf` constraint.
//!
//! Workload, per size: a synthetic cluster (`scheduler::testkit::synthetic_cluster`, three zones)
//! receives requests like a service scheduler's until `--tasks` tasks are placed. Each request
//! belongs to one of 20 services (`service:svc-N`, each with a fixed task size of 64–256 CPU units
//! and 256–1024 MiB), asks for a log-uniform count between 10 and 1000 tasks, and carries the
//! constraint `memberOf(attribute:ecs.instance-type =~ '(m5|c5|r5)\..*')`, which about 90% of the
//! instances satisfy. After each plan the bench applies it to the snapshot (new tasks use the
//! resources), and before each request it stops the oldest bench tasks until the request fits
//! under 60% of the eligible capacity, so the cluster keeps evolving instead of filling up.
//! Only `scheduler::plan` is timed; building, applying and churning the snapshot are not.
//!
//! Output: one line per size, `instances=N placements_per_sec=M` followed by
//! `requests= mean_count= p50_request_us= p99_request_us= max_request_us= unplaced=`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use scheduler::testkit::synthetic_cluster;
use scheduler::{
    Constraint, InstanceStatus, PlacementRequest, PlanCtx, Snapshot, Strategy, TaskOnInstance,
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
        let figures = run_size(size, args, &constraint, &strategy)?;
        println!("{figures}");
    }
    Ok(())
}

/// A bench task on the snapshot, for churn.
struct Live {
    instance: usize,
    id: String,
    cpu: i64,
    memory: i64,
}

fn run_size(
    size: usize,
    args: &PlacementBenchArgs,
    constraint: &Constraint,
    strategy: &[Strategy],
) -> anyhow::Result<String> {
    let mut snapshot = synthetic_cluster(size, 3, args.seed);
    let by_id: HashMap<String, usize> = snapshot
        .instances
        .iter()
        .enumerate()
        .map(|(number, instance)| (instance.id.clone(), number))
        .collect();
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

    let mut workload = Lcg(args.seed ^ 0x9e37_79b9_7f4a_7c15);
    let services: Vec<(i64, i64)> =
        (0..SERVICES).map(|_| (64 << workload.below(3), 256 << workload.below(3))).collect();
    let mut live: VecDeque<Live> = VecDeque::new();
    let (mut cpu_used, mut memory_used) = (0i64, 0i64);
    let mut placed = 0u64;
    let mut unplaced = 0u64;
    let mut next_task = 0u64;
    let mut durations: Vec<Duration> = Vec::new();
    let mut total = Duration::ZERO;
    let mut requested = 0u64;

    while placed < args.tasks {
        let service = workload.below(SERVICES);
        let (task_cpu, task_memory) = services[service as usize];
        // Log-uniform count in 10..=1000.
        let wanted = (10.0 * 100f64.powf(workload.unit())).round() as u64;
        let mut count = wanted.min(args.tasks - placed).max(1);
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
            let instance = &mut snapshot.instances[oldest.instance];
            if let Some(position) = instance.tasks.iter().position(|task| task.id == oldest.id) {
                instance.tasks.swap_remove(position);
            }
            instance.remaining.cpu += oldest.cpu;
            instance.remaining.memory += oldest.memory;
            cpu_used -= oldest.cpu;
            memory_used -= oldest.memory;
        }

        let request = PlacementRequest {
            count: count as u32,
            group: format!("service:svc-{service}"),
            cpu: task_cpu,
            memory: task_memory,
            host_ports: Vec::new(),
            required_attributes: Vec::new(),
            constraints: vec![constraint.clone()],
            strategy: strategy.to_vec(),
        };
        let ctx = PlanCtx { seed: args.seed.wrapping_add(durations.len() as u64) };
        let started = Instant::now();
        let plan = scheduler::plan(&snapshot, &request, &ctx);
        let elapsed = started.elapsed();
        total += elapsed;
        durations.push(elapsed);
        requested += count;
        unplaced += plan.unplaced.len() as u64;
        if plan.placements.is_empty() {
            anyhow::bail!(
                "instances={size}: nothing placed for a request of {count} ({:?})",
                plan.unplaced.first().map(|u| &u.detail)
            );
        }
        apply(&mut snapshot, &by_id, &plan, &request, &mut next_task, &mut live);
        placed += plan.placements.len() as u64;
        cpu_used += plan.placements.len() as i64 * task_cpu;
        memory_used += plan.placements.len() as i64 * task_memory;
    }

    durations.sort_unstable();
    let percentile = |fraction: f64| -> f64 {
        let index = ((durations.len() as f64 - 1.0) * fraction).round() as usize;
        durations[index].as_secs_f64() * 1e6
    };
    Ok(format!(
        "instances={size} placements_per_sec={:.0} requests={} mean_count={:.1} p50_request_us={:.0} p99_request_us={:.0} max_request_us={:.0} unplaced={unplaced}",
        placed as f64 / total.as_secs_f64(),
        durations.len(),
        requested as f64 / durations.len() as f64,
        percentile(0.5),
        percentile(0.99),
        percentile(1.0),
    ))
}

/// Applies a plan to the snapshot as the server would: the tasks now use their resources.
fn apply(
    snapshot: &mut Snapshot,
    by_id: &HashMap<String, usize>,
    plan: &scheduler::Plan,
    request: &PlacementRequest,
    next_task: &mut u64,
    live: &mut VecDeque<Live>,
) {
    for placement in &plan.placements {
        let number = by_id[&placement.instance_id];
        let instance = &mut snapshot.instances[number];
        let id = format!("bench-{next_task}");
        *next_task += 1;
        instance.remaining.cpu -= request.cpu;
        instance.remaining.memory -= request.memory;
        instance.tasks.push(TaskOnInstance {
            id: id.clone(),
            group: request.group.clone(),
            started_by: None,
        });
        live.push_back(Live { instance: number, id, cpu: request.cpu, memory: request.memory });
    }
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
