//! The service scheduler over time: a deterministic simulation of a cluster and a clock that
//! drives `deploy::decide` through random sequences of health failures, crashes, tasks that fail
//! to start, deployments (good and bad, with and without the circuit breaker), scale changes,
//! draining, agents lost and tasks stopped by users, and checks invariants after every pass:
//!
//! - **maxPercent:** a pass that starts tasks leaves at most `maxTotal` live (pending or running)
//!   tasks, and no pass leaves more live tasks than `maxTotal` or than there were before it (the
//!   documented case: after the desired count is lowered, old deployments' healthy tasks go as
//!   `minimumHealthyPercent` allows).
//! - **minHealthy:** the scheduler stops healthy tasks only down to `minHealthy` (or to what there
//!   was), except those on instances that are gone.
//! - **Causes:** every stop has a cause that holds in the state it was decided in (an unhealthy
//!   task, a draining instance, more of the PRIMARY than desired, an older deployment), and no
//!   pass both starts tasks for the PRIMARY and stops PRIMARY tasks as surplus.
//! - **No churn without cause:** the tasks started over a run are bounded by what justifies them:
//!   the initial count, scale-outs, deployments and rollbacks, and tasks lost to failures, health,
//!   draining, agents and users.
//! - **Convergence:** once the failures stop and a good deployment is in place, the service
//!   reaches its desired count of healthy tasks of one deployment and says it is steady.
//!
//! `BERTH_SIM_SEEDS` sets how many random seeds run (default 3,000; CI runs the default, a longer
//! run is e.g. `BERTH_SIM_SEEDS=20000 cargo test -p scheduler --release --test service_sim`), and
//! `BERTH_SIM_SEED` runs one seed with a trace of every pass. Every seed that ever failed is kept in
//! `service_sim.seeds` beside this file and runs first.

use std::collections::BTreeSet;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use scheduler::deploy::{
    self, Decision, DeploymentView, Health, Phase, Rollout, SchedulingStrategy, ServiceView,
    StopReason, TaskView,
};
use scheduler::{PlanCtx, Snapshot, SpreadField, Strategy, testkit};

/// How a deployment's tasks behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// Start, pass their health checks, keep running.
    Good,
    /// Start, then fail their health checks.
    FailsHealth,
    /// Stop before they reach RUNNING.
    FailsToStart,
}

#[derive(Debug, Clone)]
struct Deployment {
    id: String,
    behaviour: Behaviour,
    view: DeploymentView,
}

#[derive(Debug, Clone)]
struct SimTask {
    view: TaskView,
    /// When a pending task reaches RUNNING (or fails to).
    run_at: f64,
    /// When a running task's health check gives its first verdict.
    verdict_at: f64,
    /// When a stopping task is STOPPED.
    stopped_by: f64,
    behaviour: Behaviour,
    /// Until when scale-in protection is on (0: never set).
    protected_until: f64,
}

const INSTANCES: usize = 6;
const ZONES: usize = 3;
/// Seconds between passes (the server's full passes run at least once a second).
const STEP: f64 = 1.0;
const SETTLE: f64 = 40.0;

struct Sim {
    seed: u64,
    rng: SmallRng,
    now: f64,
    service: ServiceView,
    deployments: Vec<Deployment>,
    behaviours: Vec<(String, Behaviour)>,
    tasks: Vec<SimTask>,
    snapshot: Snapshot,
    draining: BTreeSet<String>,
    lost: BTreeSet<String>,
    has_health_check: bool,
    next_id: u64,
    /// What justifies starting a task (see the module doc), and what was started.
    justified: u64,
    started: u64,
    trace: Vec<String>,
    verbose: bool,
}

impl Sim {
    fn new(seed: u64, verbose: bool) -> Sim {
        let mut rng = SmallRng::seed_from_u64(seed);
        let (min, max) = [(100, 200), (50, 200), (0, 100), (100, 150), (50, 100), (0, 200)]
            [rng.random_range(0..6)];
        let desired = rng.random_range(0..=6);
        let breaker = match rng.random_range(0..3) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        };
        let mut snapshot = testkit::synthetic_cluster(INSTANCES, ZONES, seed);
        for instance in &mut snapshot.instances {
            instance.status = scheduler::InstanceStatus::Active;
            instance.agent_connected = true;
        }
        let mut sim = Sim {
            seed,
            rng,
            now: 1_000_000.0,
            service: ServiceView {
                name: "web".into(),
                scheduling: SchedulingStrategy::Replica,
                desired_count: desired,
                minimum_healthy_percent: min,
                maximum_percent: max,
                health_check_grace_period: 0.0,
                settle_time: SETTLE,
                deleting: false,
                deployments: Vec::new(),
                last_completed: None,
                strategy: vec![
                    Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
                    Strategy::Spread(SpreadField::InstanceId),
                ],
                daemon_instances: Vec::new(),
            },
            deployments: Vec::new(),
            behaviours: Vec::new(),
            tasks: Vec::new(),
            snapshot,
            draining: BTreeSet::new(),
            lost: BTreeSet::new(),
            has_health_check: false,
            next_id: 0,
            justified: u64::from(desired),
            started: 0,
            trace: Vec::new(),
            verbose,
        };
        sim.has_health_check = sim.rng.random_bool(0.6);
        sim.service.health_check_grace_period = if sim.rng.random_bool(0.3) { 15.0 } else { 0.0 };
        sim.deploy(Behaviour::Good, Some(breaker));
        // The first deployment is the service's creation: its tasks are the initial count.
        sim.justified -= u64::from(desired);
        sim.log(format!("seed {seed}: desired {desired}, min {min}%, max {max}%, breaker {breaker:?}, health check {}", sim.has_health_check));
        sim
    }

    fn log(&mut self, line: String) {
        if self.verbose {
            eprintln!("[{:>6.0}] {line}", self.now - 1_000_000.0);
        }
        self.trace.push(format!("[{:>6.0}] {line}", self.now - 1_000_000.0));
        if self.trace.len() > 60 {
            self.trace.remove(0);
        }
    }

    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{:05}", self.next_id)
    }

    fn deploy(&mut self, behaviour: Behaviour, breaker: Option<Option<bool>>) {
        let id = self.id("d");
        let circuit_breaker = match breaker {
            Some(b) => b,
            None => self.deployments.first().and_then(|d| d.view.circuit_breaker),
        };
        let view = DeploymentView {
            id: id.clone(),
            rollout: Rollout::InProgress,
            circuit_breaker,
            created_at: self.now,
        };
        self.deployments.insert(0, Deployment { id: id.clone(), behaviour, view });
        self.behaviours.push((id.clone(), behaviour));
        self.justified += u64::from(self.service.desired_count);
        self.log(format!("deployment {id} ({behaviour:?})"));
    }

    fn behaviour_of(&self, deployment: &str) -> Behaviour {
        self.behaviours.iter().find(|(id, _)| id == deployment).map_or(Behaviour::Good, |b| b.1)
    }

    fn live(t: &TaskView) -> bool {
        matches!(t.phase, Phase::Pending | Phase::Running)
    }

    fn healthy(&self, t: &TaskView) -> bool {
        t.phase == Phase::Running
            && if t.has_health_check {
                t.health == Health::Healthy
            } else {
                t.started_at.is_some_and(|at| self.now - at >= SETTLE)
            }
    }

    fn unhealthy(&self, t: &TaskView) -> bool {
        t.phase == Phase::Running
            && t.health == Health::Unhealthy
            && t.started_at.is_none_or(|at| self.now - at >= self.service.health_check_grace_period)
    }

    /// Tasks move on by themselves: starts complete or fail, health checks give verdicts, stops
    /// complete.
    fn progress(&mut self) {
        let now = self.now;
        let mut lines = Vec::new();
        for task in &mut self.tasks {
            let t = &mut task.view;
            match t.phase {
                Phase::Pending if now >= task.run_at => {
                    if task.behaviour == Behaviour::FailsToStart {
                        t.phase = Phase::Stopped;
                        t.stopped_at = Some(now);
                        t.crashed = true;
                        lines.push(format!("{} failed to start", t.id));
                    } else {
                        t.phase = Phase::Running;
                        t.started_at = Some(now);
                    }
                }
                Phase::Running
                    if t.has_health_check
                        && t.health == Health::Unknown
                        && now >= task.verdict_at =>
                {
                    t.health = if task.behaviour == Behaviour::FailsHealth {
                        lines.push(format!("{} fails its health checks", t.id));
                        Health::Unhealthy
                    } else {
                        Health::Healthy
                    };
                }
                Phase::Stopping if now >= task.stopped_by => {
                    t.phase = Phase::Stopped;
                    t.stopped_at = Some(now);
                }
                _ => {}
            }
        }
        // A task that fails to start or fails its health checks needs a replacement: that is
        // the cause of one start.
        for line in lines {
            self.log(line);
            self.justified += 1;
        }
    }

    /// Random events of the chaotic phase.
    fn chaos(&mut self) {
        let running: Vec<usize> =
            (0..self.tasks.len()).filter(|&i| self.tasks[i].view.phase == Phase::Running).collect();
        if !running.is_empty() && self.rng.random_bool(0.03) {
            let i = running[self.rng.random_range(0..running.len())];
            if self.tasks[i].view.has_health_check && self.tasks[i].view.health != Health::Unhealthy
            {
                self.tasks[i].view.health = Health::Unhealthy;
                self.justified += 1;
                let id = self.tasks[i].view.id.clone();
                self.log(format!("{id} fails its health checks"));
            }
        }
        if !running.is_empty() && self.rng.random_bool(0.02) {
            let i = running[self.rng.random_range(0..running.len())];
            let t = &mut self.tasks[i].view;
            t.phase = Phase::Stopped;
            t.stopped_at = Some(self.now);
            t.crashed = true;
            let id = t.id.clone();
            self.justified += 1;
            self.log(format!("{id} crashes"));
        }
        if !running.is_empty() && self.rng.random_bool(0.01) {
            let i = running[self.rng.random_range(0..running.len())];
            let now = self.now;
            let task = &mut self.tasks[i];
            task.view.phase = Phase::Stopping;
            task.stopped_by = now + 2.0;
            let id = task.view.id.clone();
            self.justified += 1;
            self.log(format!("a user stops {id}"));
        }
        if !running.is_empty() && self.rng.random_bool(0.02) {
            let i = running[self.rng.random_range(0..running.len())];
            let until = self.now + f64::from(self.rng.random_range(10..300u16));
            self.tasks[i].protected_until = until;
            let id = self.tasks[i].view.id.clone();
            self.log(format!("{id} is protected until {until}"));
        }
        if self.rng.random_bool(0.01) {
            let behaviour = match self.rng.random_range(0..4) {
                0 => Behaviour::FailsHealth,
                1 => Behaviour::FailsToStart,
                _ => Behaviour::Good,
            };
            self.deploy(behaviour, None);
        }
        if self.rng.random_bool(0.02) {
            let desired: u32 = self.rng.random_range(0..=8);
            let old = self.service.desired_count;
            self.justified += u64::from(desired.saturating_sub(old));
            self.service.desired_count = desired;
            self.log(format!("desired {old} -> {desired}"));
        }
        let available: Vec<String> = self.available();
        if available.len() > 2 && self.rng.random_bool(0.01) {
            let id = available[self.rng.random_range(0..available.len())].clone();
            self.justified += self.live_on(&id);
            self.draining.insert(id.clone());
            self.log(format!("instance {id} drains"));
        }
        if !self.draining.is_empty() && self.rng.random_bool(0.02) {
            let id = self.draining.iter().next().cloned().expect("one");
            self.draining.remove(&id);
            self.log(format!("instance {id} is active again"));
        }
        if available.len() > 2 && self.rng.random_bool(0.005) {
            let id = available[self.rng.random_range(0..available.len())].clone();
            self.justified += self.live_on(&id);
            self.lost.insert(id.clone());
            self.log(format!("instance {id} is lost"));
        }
    }

    fn live_on(&self, instance: &str) -> u64 {
        self.tasks
            .iter()
            .filter(|t| Self::live(&t.view) && t.view.instance_id.as_deref() == Some(instance))
            .count() as u64
    }

    fn available(&self) -> Vec<String> {
        self.snapshot
            .instances
            .iter()
            .map(|i| i.id.clone())
            .filter(|id| !self.draining.contains(id) && !self.lost.contains(id))
            .collect()
    }

    fn views(&mut self) -> Vec<TaskView> {
        let leaving: BTreeSet<String> = self.draining.union(&self.lost).cloned().collect();
        for task in &mut self.tasks {
            task.view.on_draining_instance =
                task.view.instance_id.as_ref().is_some_and(|i| leaving.contains(i));
            task.view.protected = self.now < task.protected_until;
        }
        self.tasks.iter().map(|t| t.view.clone()).collect()
    }

    /// One pass: decide, check, apply.
    fn pass(&mut self) -> Result<Decision, String> {
        self.service.deployments = self.deployments.iter().map(|d| d.view.clone()).collect();
        let views = self.views();
        let seed = self.rng.random();
        let decision =
            deploy::decide(&self.service, &views, &self.snapshot, &PlanCtx { seed }, self.now);
        if !decision.start.is_empty()
            || !decision.stop.is_empty()
            || decision.rollback_to.is_some()
            || decision.events.iter().any(|e| e.contains("unable"))
        {
            let line = format!(
                "decide: start {:?} stop {:?} rollouts {:?} rollback {:?} events {:?}",
                decision.start,
                decision.stop,
                decision.rollouts,
                decision.rollback_to,
                decision.events
            );
            self.log(line);
        }
        self.check(&views, &decision)?;
        self.apply(&decision);
        Ok(decision)
    }

    fn check(&self, views: &[TaskView], d: &Decision) -> Result<(), String> {
        let s = &self.service;
        let max_total = deploy::max_total(s.desired_count, s.maximum_percent) as usize;
        let min_healthy = deploy::min_healthy(s.desired_count, s.minimum_healthy_percent) as usize;
        let primary = &self.deployments[0].id;
        let by_id = |id: &str| views.iter().find(|t| t.id == id);
        let started: usize = d.start.iter().map(|(_, n)| *n as usize).sum();
        let live_before = views.iter().filter(|t| Self::live(t)).count();
        let mut stopped_live = 0;
        let mut stopped_healthy = 0;
        let mut seen = BTreeSet::new();
        for (id, reason) in &d.stop {
            if !seen.insert(id.clone()) {
                return Err(format!("{id} is stopped twice in one pass"));
            }
            let Some(task) = by_id(id) else {
                return Err(format!("{id} is stopped but does not exist"));
            };
            if !Self::live(task) {
                return Err(format!("{id} is stopped but is {:?}", task.phase));
            }
            stopped_live += 1;
            let gone = task.instance_id.as_ref().is_some_and(|i| self.lost.contains(i));
            if self.healthy(task) && !gone {
                stopped_healthy += 1;
            }
            match reason {
                StopReason::Unhealthy if !self.unhealthy(task) => {
                    return Err(format!("{id} is stopped as unhealthy but is not"));
                }
                StopReason::Draining if !task.on_draining_instance => {
                    return Err(format!("{id} is stopped for draining but its instance is not"));
                }
                StopReason::Deleted => return Err(format!("{id} is stopped as deleted")),
                // Protection keeps a task doing its work; one that fails its health checks or
                // has not started yet still goes.
                StopReason::Scaling { .. } if task.protected && self.healthy(task) => {
                    return Err(format!(
                        "{id} is protected but stopped by a scale-in or deployment"
                    ));
                }
                StopReason::Scaling { .. } if task.deployment_id == *primary => {
                    if started > 0 {
                        return Err(format!(
                            "the pass starts {started} tasks and stops {id} of the PRIMARY as surplus"
                        ));
                    }
                    let effective = views
                        .iter()
                        .filter(|t| t.deployment_id == *primary && Self::live(t))
                        .filter(|t| !self.unhealthy(t) && !t.on_draining_instance)
                        .count();
                    if effective <= s.desired_count as usize {
                        return Err(format!(
                            "{id} of the PRIMARY is stopped as surplus with {effective} effective tasks for {} desired",
                            s.desired_count
                        ));
                    }
                }
                _ => {}
            }
        }
        let live_after = live_before - stopped_live + started;
        if started > 0 && live_after > max_total {
            return Err(format!(
                "the pass starts {started} tasks and leaves {live_after} live tasks over maxTotal {max_total}"
            ));
        }
        if live_after > max_total.max(live_before) {
            return Err(format!(
                "{live_after} live tasks after the pass, {live_before} before, maxTotal {max_total}"
            ));
        }
        let healthy_before = views.iter().filter(|t| self.healthy(t)).count();
        if healthy_before - stopped_healthy < min_healthy.min(healthy_before) {
            return Err(format!(
                "{stopped_healthy} healthy tasks stopped of {healthy_before}, minHealthy {min_healthy}"
            ));
        }
        if d.start.iter().any(|(dep, _)| dep != primary) {
            return Err(format!(
                "tasks started for a deployment that is not the PRIMARY: {:?}",
                d.start
            ));
        }
        Ok(())
    }

    fn apply(&mut self, d: &Decision) {
        let now = self.now;
        for (id, reason) in &d.stop {
            let gone = self.lost.clone();
            let Some(task) = self.tasks.iter_mut().find(|t| t.view.id == *id) else { continue };
            task.view.stopped_by_scheduler = true;
            if *reason == StopReason::Unhealthy {
                task.view.stopped_for_health = true;
            }
            if task.view.instance_id.as_ref().is_some_and(|i| gone.contains(i)) {
                task.view.phase = Phase::Stopped;
                task.view.stopped_at = Some(now);
            } else {
                task.view.phase = Phase::Stopping;
                task.stopped_by = now + 1.0 + f64::from(self.rng.random_range(0..3u8));
            }
        }
        for (deployment, count) in &d.start {
            for _ in 0..*count {
                let available = self.available();
                if available.is_empty() {
                    break;
                }
                let instance = available[self.rng.random_range(0..available.len())].clone();
                let id = self.id("t");
                let behaviour = self.behaviour_of(deployment);
                let run_at = now + f64::from(self.rng.random_range(1..6u8));
                let verdict_at = run_at + f64::from(self.rng.random_range(5..15u8));
                self.tasks.push(SimTask {
                    view: TaskView {
                        id,
                        deployment_id: deployment.clone(),
                        instance_id: Some(instance),
                        phase: Phase::Pending,
                        created_at: now,
                        started_at: None,
                        stopped_at: None,
                        health: Health::Unknown,
                        has_health_check: self.has_health_check,
                        on_draining_instance: false,
                        stopped_for_health: false,
                        crashed: false,
                        stopped_by_scheduler: false,
                        protected: false,
                    },
                    run_at,
                    verdict_at,
                    stopped_by: 0.0,
                    behaviour,
                    protected_until: 0.0,
                });
                self.started += 1;
            }
        }
        for (id, rollout, _) in &d.rollouts {
            if let Some(dep) = self.deployments.iter_mut().find(|x| x.id == *id) {
                dep.view.rollout = *rollout;
            }
            if *rollout == Rollout::Completed {
                self.service.last_completed = Some(id.clone());
            }
        }
        if let Some(target) = &d.rollback_to {
            let behaviour = self.behaviour_of(target);
            self.deploy(behaviour, None);
        }
        for id in &d.retire {
            let primary = self.deployments[0].id.clone();
            self.deployments.retain(|x| x.id != *id || x.id == primary);
        }
        // Forget long-stopped tasks, as the reaper does.
        self.tasks.retain(|t| t.view.stopped_at.is_none_or(|at| now - at < 3600.0));
    }

    fn fail(&self, what: String) -> String {
        let tasks: Vec<String> = self
            .tasks
            .iter()
            .filter(|t| t.view.phase != Phase::Stopped)
            .map(|t| {
                let v = &t.view;
                format!(
                    "  {} of {} on {:?}: {:?}, {:?}, started {:?}, draining {}",
                    v.id,
                    v.deployment_id,
                    v.instance_id,
                    v.phase,
                    v.health,
                    v.started_at.map(|at| at - 1_000_000.0),
                    v.on_draining_instance
                )
            })
            .collect();
        format!(
            "seed {}: {what}\n(run this seed alone with BERTH_SIM_SEED={} to see every pass)\nlast passes:\n{}\ndesired {}, deployments {:?}\ntasks not stopped:\n{}",
            self.seed,
            self.seed,
            self.trace.join("\n"),
            self.service.desired_count,
            self.deployments
                .iter()
                .map(|d| (&d.id, d.behaviour, d.view.rollout))
                .collect::<Vec<_>>(),
            tasks.join("\n")
        )
    }

    /// A whole scenario: chaos, then calm with a good deployment, then convergence.
    fn run(mut self) -> Result<(), String> {
        let chaos_steps = self.rng.random_range(60..400);
        for _ in 0..chaos_steps {
            self.now += STEP;
            self.progress();
            self.chaos();
            self.pass().map_err(|e| self.fail(e))?;
        }
        // Calm: no more failures; instances come back; a good deployment if the last was bad.
        self.draining.clear();
        if self.deployments[0].behaviour != Behaviour::Good
            || self.deployments[0].view.rollout == Rollout::Failed
        {
            self.deploy(Behaviour::Good, None);
        }
        self.log("calm".into());
        let mut steady_at = None;
        for _ in 0..1200 {
            self.now += STEP;
            self.progress();
            if self.deployments[0].view.rollout == Rollout::Failed {
                // The circuit breaker can still trip on failures from before the calm: the user
                // deploys again.
                self.deploy(Behaviour::Good, None);
            }
            let decision = self.pass().map_err(|e| self.fail(e))?;
            if decision.events.iter().any(|e| e.contains("unable to stop or start")) {
                // ECS's documented dead end (e.g. desired 1 with 50% and 100%: neither a start
                // nor a stop is allowed); the user does as the event says.
                let s = &self.service;
                if deploy::max_total(s.desired_count, s.maximum_percent)
                    > deploy::min_healthy(s.desired_count, s.minimum_healthy_percent)
                {
                    return Err(self.fail("stuck although maximumPercent leaves room".into()));
                }
                self.service.minimum_healthy_percent = 0;
                self.log("the user lowers minimumHealthyPercent to 0".into());
            }
            if decision.steady {
                steady_at = Some(self.now);
                break;
            }
        }
        if steady_at.is_none() {
            return Err(self.fail("no steady state 1,200 s after the failures stopped".into()));
        }
        let primary = self.deployments[0].id.clone();
        let live: Vec<&SimTask> = self.tasks.iter().filter(|t| Self::live(&t.view)).collect();
        if live.len() != self.service.desired_count as usize
            || live.iter().any(|t| t.view.deployment_id != primary || !self.healthy(&t.view))
            || self.deployments.len() != 1
        {
            return Err(self.fail(format!(
                "steady with {} live tasks for {} desired and {} deployments",
                live.len(),
                self.service.desired_count,
                self.deployments.len()
            )));
        }
        if self.started > self.justified {
            return Err(self.fail(format!(
                "{} tasks started, {} justified by failures, scale-outs and deployments",
                self.started, self.justified
            )));
        }
        Ok(())
    }
}

fn regression_seeds() -> Vec<u64> {
    include_str!("service_sim.seeds")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.parse().expect("a seed is a number"))
        .collect()
}

#[test]
fn the_service_scheduler_keeps_its_invariants_over_random_histories() {
    if let Ok(one) = std::env::var("BERTH_SIM_SEED") {
        let seed: u64 = one.parse().expect("BERTH_SIM_SEED is a number");
        Sim::new(seed, true).run().unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let count: u64 =
        std::env::var("BERTH_SIM_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    // The test times itself (printed), which the pure crate's code may not do.
    #[allow(clippy::disallowed_methods)]
    let began = std::time::Instant::now();
    let mut failures = Vec::new();
    let seeds = regression_seeds().into_iter().chain(0..count);
    for seed in seeds {
        if let Err(e) = Sim::new(seed, false).run() {
            if failures.is_empty() {
                eprintln!("{e}");
            }
            failures.push(seed);
        }
    }
    eprintln!("{count} seeds (and the regression seeds) in {:.1} s", began.elapsed().as_secs_f64());
    assert!(
        failures.is_empty(),
        "{} seeds failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(50)]
    );
}
