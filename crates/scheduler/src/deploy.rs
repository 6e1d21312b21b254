//! Service scheduling decisions: what one reconciler pass should do to move a service toward
//! its goal, as a pure function of the service, its tasks, the cluster snapshot and the time.
//!
//! ECS's rules, as documented:
//! - **Rolling updates.** `maxTotal = floor(desired × maximumPercent / 100)` caps the service's
//!   live (pending or running) tasks across all deployments; `minHealthy = ceil(desired ×
//!   minimumHealthyPercent / 100)` tasks must stay healthy. The PRIMARY deployment is filled
//!   first (within `maxTotal`), then older deployments' tasks are stopped as far as
//!   `minHealthy` allows. If neither rule allows progress, the service says it is unable to stop
//!   or start tasks.
//! - **Healthy.** A RUNNING task is healthy once its health status is HEALTHY when an essential
//!   container has a health check, otherwise once it has been RUNNING for a settling time (40 s
//!   in ECS). **Unhealthy** tasks (health UNHEALTHY after the grace period) are replaced: the
//!   replacement starts first when `maxTotal` allows, else they are stopped one at a time.
//! - **Circuit breaker.** `threshold = clamp(ceil(0.5 × desired), 3, 200)`. Stage 1 counts the
//!   PRIMARY's tasks that stopped before reaching RUNNING; once one of its tasks has run, stage 2
//!   counts the tasks replaced for failing health checks. At the threshold the deployment FAILS,
//!   launches nothing more, and with `rollback` the service rolls back to the last COMPLETED
//!   deployment.
//! - **Throttling.** Tasks that keep stopping before RUNNING are retried with a growing delay
//!   (capped at 15 minutes); a new deployment starts afresh. Beside ECS's rule, a launch
//!   throttle bounds the tasks a service starts within a minute by what justifies them (see
//!   [`LAUNCH_WINDOW`]), so that no decision can start and stop tasks in a loop.
//! - **Draining.** Tasks on DRAINING instances are replaced first and stopped as `minHealthy`
//!   allows; pending ones are stopped at once.
//! - **DAEMON.** One task on every eligible instance; old deployments' tasks are stopped before
//!   the new ones start on an instance.

use std::collections::{BTreeMap, BTreeSet};

use crate::{PlanCtx, Snapshot, Strategy, TaskRef, select_for_scale_in};

/// REPLICA or DAEMON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedulingStrategy {
    Replica,
    Daemon,
}

/// A deployment's rollout state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollout {
    InProgress,
    Completed,
    Failed,
}

/// One deployment of the service, newest (PRIMARY) first in [`ServiceView::deployments`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentView {
    pub id: String,
    pub rollout: Rollout,
    /// The circuit breaker, when enabled: `Some(rollback)`.
    pub circuit_breaker: Option<bool>,
    /// When the deployment was created (epoch seconds).
    pub created_at: f64,
}

/// What the reconciler knows of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub name: String,
    pub scheduling: SchedulingStrategy,
    /// REPLICA: the desired count. DAEMON: ignored (one per eligible instance).
    pub desired_count: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// Seconds after a task starts during which health failures are ignored.
    pub health_check_grace_period: f64,
    /// Seconds a task without health checks must have been RUNNING to count as healthy.
    pub settle_time: f64,
    /// DeleteService was called: stop everything.
    pub deleting: bool,
    /// Newest first; the first is the PRIMARY deployment.
    pub deployments: Vec<DeploymentView>,
    /// The id of the last deployment that COMPLETED, for rollbacks.
    pub last_completed: Option<String>,
    /// The service's placement strategy, for choosing which tasks stop on scale-in.
    pub strategy: Vec<Strategy>,
    /// DAEMON: the instances that should each run one task.
    pub daemon_instances: Vec<String>,
}

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Running,
    /// Asked to stop, not stopped yet.
    Stopping,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Healthy,
    Unhealthy,
    Unknown,
}

/// One task of the service, live or recently stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    pub id: String,
    pub deployment_id: String,
    pub instance_id: Option<String>,
    pub phase: Phase,
    /// When it was created (epoch seconds).
    pub created_at: f64,
    /// When it reached RUNNING (epoch seconds), if it did.
    pub started_at: Option<f64>,
    pub stopped_at: Option<f64>,
    pub health: Health,
    /// An essential container has a health check.
    pub has_health_check: bool,
    /// Its instance is DRAINING.
    pub on_draining_instance: bool,
    /// The service scheduler stopped it for failing health checks.
    pub stopped_for_health: bool,
    /// It stopped on its own: an essential container exited, or it failed to start.
    pub crashed: bool,
    /// The service scheduler asked it to stop (for any reason).
    pub stopped_by_scheduler: bool,
    /// Task scale-in protection is on and has not expired: neither a scale-in nor a deployment
    /// stops it (failing health checks and draining still do).
    pub protected: bool,
}

/// Why the scheduler stops a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// Fewer tasks are wanted, or an old deployment is replaced.
    Scaling {
        deployment_id: String,
    },
    Unhealthy,
    Draining,
    Deleted,
}

/// A decision of one pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// REPLICA: how many tasks to start, per deployment.
    pub start: Vec<(String, u32)>,
    /// DAEMON: (deployment, instance) to start one task on.
    pub start_on: Vec<(String, String)>,
    pub stop: Vec<(String, StopReason)>,
    /// Messages for the service's events, without the `(service <name>) ` prefix.
    pub events: Vec<String>,
    /// Deployments whose rollout state changes: (id, new state, reason).
    pub rollouts: Vec<(String, Rollout, Option<String>)>,
    /// Non-PRIMARY deployments left with no tasks: they become INACTIVE.
    pub retire: Vec<String>,
    /// Roll back: create a new PRIMARY deployment from this one.
    pub rollback_to: Option<String>,
    /// The deployments a rollback replaces (every deployment of the view, PRIMARY first).
    pub rollback_replaces: Vec<String>,
    /// The desired count to record: DAEMON services want one task per eligible instance.
    pub desired_count: Option<u32>,
    /// A service being deleted has no task left that is not stopping: it becomes INACTIVE.
    pub inactive: bool,
    /// The PRIMARY's circuit-breaker count now.
    pub failed_tasks: u32,
    /// Starts are held back until this time (throttling), if they are.
    pub throttled_until: Option<f64>,
    /// The service runs what it should, as it should.
    pub steady: bool,
}

/// The launch throttle's window (seconds).
pub const LAUNCH_WINDOW: f64 = 60.0;

/// The circuit breaker threshold for a desired count.
pub fn circuit_breaker_threshold(desired: u32) -> u32 {
    desired.div_ceil(2).clamp(3, 200)
}

/// `floor(desired × maximumPercent / 100)`.
pub fn max_total(desired: u32, maximum_percent: u32) -> u32 {
    ((u64::from(desired) * u64::from(maximum_percent)) / 100) as u32
}

/// `ceil(desired × minimumHealthyPercent / 100)`.
pub fn min_healthy(desired: u32, minimum_healthy_percent: u32) -> u32 {
    (u64::from(desired) * u64::from(minimum_healthy_percent)).div_ceil(100) as u32
}

/// The delay before the next start after `failures` consecutive start failures: none for the
/// first two, then 10 s doubling each time, at most 15 minutes.
pub fn throttle_delay(failures: u32) -> f64 {
    if failures < 3 {
        return 0.0;
    }
    let exponent = (failures - 3).min(20);
    (10.0 * f64::from(1u32 << exponent)).min(900.0)
}

fn live(task: &TaskView) -> bool {
    matches!(task.phase, Phase::Pending | Phase::Running)
}

fn healthy(service: &ServiceView, task: &TaskView, now: f64) -> bool {
    if task.phase != Phase::Running {
        return false;
    }
    if task.has_health_check {
        task.health == Health::Healthy
    } else {
        task.started_at.is_some_and(|at| now - at >= service.settle_time)
    }
}

fn unhealthy(service: &ServiceView, task: &TaskView, now: f64) -> bool {
    task.phase == Phase::Running
        && task.health == Health::Unhealthy
        && task.started_at.is_none_or(|at| now - at >= service.health_check_grace_period)
}

/// A task that stopped before it reached RUNNING, other than by the scheduler's own choice (a
/// pending task it stopped on scale-in or for draining did not fail).
fn failed_to_start(task: &TaskView) -> bool {
    task.phase == Phase::Stopped && task.started_at.is_none() && !task.stopped_by_scheduler
}

/// Decides one pass for `service`.
/// A service being deleted: every live task stops, and then the service is done.
fn deleted(tasks: &[TaskView]) -> Decision {
    let mut decision = Decision::default();
    for task in tasks.iter().filter(|t| live(t)) {
        decision.stop.push((task.id.clone(), StopReason::Deleted));
    }
    decision.inactive = true;
    decision
}

pub fn decide(
    service: &ServiceView,
    tasks: &[TaskView],
    snapshot: &Snapshot,
    ctx: &PlanCtx,
    now: f64,
) -> Decision {
    if service.deleting {
        return deleted(tasks);
    }
    let mut decision = Decision::default();
    let Some(primary) = service.deployments.first() else {
        return decision;
    };
    fn of<'a>(tasks: &'a [TaskView], id: &'a str) -> impl Iterator<Item = &'a TaskView> {
        tasks.iter().filter(move |t| t.deployment_id == id)
    }
    let primary_tasks: Vec<&TaskView> = of(tasks, &primary.id).collect();

    // Circuit breaker: stage 1 counts the PRIMARY's tasks that stopped before becoming
    // healthy (failed to start, or exited); once one of its tasks is healthy, stage 2 counts
    // tasks replaced for failing health checks and tasks that exited.
    let stage_two = primary_tasks.iter().any(|t| live(t) && healthy(service, t, now));
    decision.failed_tasks = if stage_two {
        primary_tasks
            .iter()
            .filter(|t| t.phase == Phase::Stopped && (t.stopped_for_health || t.crashed))
            .count() as u32
    } else {
        primary_tasks
            .iter()
            .filter(|t| {
                t.phase == Phase::Stopped
                    && (failed_to_start(t) || t.crashed || t.stopped_for_health)
            })
            .count() as u32
    };
    let desired_for_threshold = match service.scheduling {
        SchedulingStrategy::Replica => service.desired_count,
        SchedulingStrategy::Daemon => service.daemon_instances.len() as u32,
    };
    let mut primary_failed = primary.rollout == Rollout::Failed;
    if let Some(rollback) = primary.circuit_breaker
        && primary.rollout == Rollout::InProgress
        && decision.failed_tasks >= circuit_breaker_threshold(desired_for_threshold)
    {
        primary_failed = true;
        let reason = if stage_two {
            "ECS deployment circuit breaker: tasks failed health checks."
        } else {
            "ECS deployment circuit breaker: tasks failed to start."
        };
        decision.rollouts.push((primary.id.clone(), Rollout::Failed, Some(reason.to_owned())));
        let what = if stage_two { "tasks failed health checks" } else { "tasks failed to start" };
        decision.events.push(format!("(deployment {}) deployment failed: {what}.", primary.id));
        if rollback
            && let Some(target) = service.last_completed.as_ref().filter(|t| **t != primary.id)
        {
            decision.rollback_to = Some(target.clone());
            decision.rollback_replaces = service.deployments.iter().map(|d| d.id.clone()).collect();
            decision.events.push(format!("rolling back to deployment {target}."));
        }
    }

    // Throttling: consecutive start failures of the PRIMARY since its last task that ran.
    let last_success =
        primary_tasks.iter().filter_map(|t| t.started_at).fold(f64::NEG_INFINITY, f64::max);
    let mut failures: Vec<f64> = primary_tasks
        .iter()
        .filter(|t| failed_to_start(t))
        .filter_map(|t| t.stopped_at)
        .filter(|&at| at > last_success)
        .collect();
    failures.sort_by(f64::total_cmp);
    let delay = throttle_delay(failures.len() as u32);
    let throttled = delay > 0.0 && failures.last().is_some_and(|&last| now < last + delay);
    if throttled {
        decision.throttled_until = failures.last().map(|&last| last + delay);
        decision.events.push("is unable to consistently start tasks successfully.".to_owned());
    }
    let may_start = !primary_failed && !throttled;
    if service.scheduling == SchedulingStrategy::Daemon {
        decision.desired_count = Some(service.daemon_instances.len() as u32);
    }

    match service.scheduling {
        SchedulingStrategy::Replica => {
            replica(service, tasks, primary, may_start, snapshot, ctx, now, &mut decision)
        }
        SchedulingStrategy::Daemon => {
            daemon(service, tasks, primary, may_start, now, &mut decision)
        }
    }

    if service.scheduling == SchedulingStrategy::Replica {
        launch_throttle(service, tasks, now, &mut decision);
    }

    // Deployments left without tasks are done; the PRIMARY completes when it alone runs the
    // service, healthy.
    let stopping: BTreeSet<&str> = decision.stop.iter().map(|(id, _)| id.as_str()).collect();
    for deployment in &service.deployments[1..] {
        let remaining = of(tasks, &deployment.id).any(|t| {
            matches!(t.phase, Phase::Pending | Phase::Running | Phase::Stopping)
                && !stopping.contains(t.id.as_str())
        });
        if !remaining {
            decision.retire.push(deployment.id.clone());
        }
    }
    let wanted = match service.scheduling {
        SchedulingStrategy::Replica => service.desired_count as usize,
        SchedulingStrategy::Daemon => service.daemon_instances.len(),
    };
    let primary_live: Vec<&&TaskView> = primary_tasks.iter().filter(|t| live(t)).collect();
    let primary_healthy = primary_live.iter().filter(|t| healthy(service, t, now)).count();
    let others_done = decision.retire.len() == service.deployments.len() - 1;
    let steady = others_done
        && primary_live.len() == wanted
        && primary_healthy == wanted
        && decision.start.is_empty()
        && decision.start_on.is_empty()
        && decision.stop.is_empty();
    if steady && !primary_failed {
        if primary.rollout == Rollout::InProgress {
            decision.rollouts.push((primary.id.clone(), Rollout::Completed, None));
            decision.events.push(format!("(deployment {}) deployment completed.", primary.id));
        }
        decision.steady = true;
        decision.events.push("has reached a steady state.".to_owned());
    }
    decision
}

/// Launch throttle, a defence in depth against a decision that starts and stops tasks without
/// cause: within [`LAUNCH_WINDOW`] a service may start its maximum count of tasks, plus one for
/// each task that needs replacing (it failed, failed its health checks, is on a leaving
/// instance, or was stopped after it ran). Tasks the scheduler itself stopped before they ran
/// justify nothing. Starts past that wait until the oldest start of the window ages out.
fn launch_throttle(service: &ServiceView, tasks: &[TaskView], now: f64, decision: &mut Decision) {
    let starting: usize = decision.start.iter().map(|(_, n)| *n as usize).sum();
    if starting == 0 {
        return;
    }
    let since = now - LAUNCH_WINDOW;
    let mut launched: Vec<f64> =
        tasks.iter().map(|t| t.created_at).filter(|&at| at > since).collect();
    let causes = tasks
        .iter()
        .filter(|t| match t.phase {
            Phase::Pending | Phase::Running => unhealthy(service, t, now) || t.on_draining_instance,
            Phase::Stopping => true,
            Phase::Stopped => t.stopped_at.is_some_and(|at| at > since),
        })
        .filter(|t| !(t.stopped_by_scheduler && t.started_at.is_none() && !t.on_draining_instance))
        .count();
    let allowed = max_total(service.desired_count, service.maximum_percent)
        .max(service.desired_count) as usize
        + causes;
    if launched.len() + starting <= allowed {
        return;
    }
    let mut left = allowed.saturating_sub(launched.len());
    for (_, count) in &mut decision.start {
        let take = (*count as usize).min(left);
        left -= take;
        *count = take as u32;
    }
    decision.start.retain(|(_, count)| *count > 0);
    launched.sort_by(f64::total_cmp);
    // The time at which enough of the window's starts have aged out for the rest.
    let over = (launched.len() + starting - allowed).min(launched.len());
    let until = launched.get(over.saturating_sub(1)).map_or(now, |at| at + LAUNCH_WINDOW);
    decision.throttled_until = Some(decision.throttled_until.map_or(until, |t| t.max(until)));
    decision.events.push("operations are being throttled. Will try again later.".to_owned());
}

#[allow(clippy::too_many_arguments)]
fn replica(
    service: &ServiceView,
    tasks: &[TaskView],
    primary: &DeploymentView,
    may_start: bool,
    snapshot: &Snapshot,
    ctx: &PlanCtx,
    now: f64,
    decision: &mut Decision,
) {
    let desired = service.desired_count;
    let max_total = max_total(desired, service.maximum_percent) as usize;
    let min_healthy = min_healthy(desired, service.minimum_healthy_percent) as usize;
    let live_tasks: Vec<&TaskView> = tasks.iter().filter(|t| live(t)).collect();
    let mut stopping: BTreeSet<String> = BTreeSet::new();
    fn stop(
        decision: &mut Decision,
        stopping: &mut BTreeSet<String>,
        task: &TaskView,
        reason: StopReason,
    ) {
        if stopping.insert(task.id.clone()) {
            decision.stop.push((task.id.clone(), reason));
        }
    }
    let scaling = || StopReason::Scaling { deployment_id: primary.id.clone() };

    // Pending tasks on draining instances go at once.
    for task in live_tasks.iter().filter(|t| t.on_draining_instance && t.phase == Phase::Pending) {
        stop(decision, &mut stopping, task, StopReason::Draining);
    }

    let primary_live: Vec<&TaskView> = live_tasks
        .iter()
        .copied()
        .filter(|t| t.deployment_id == primary.id && !stopping.contains(&t.id))
        .collect();
    // The PRIMARY's tasks that count toward the desired count: not unhealthy (those are being
    // replaced) and not on a draining instance (those are moving). A replacement started for an
    // unhealthy or draining task is one of them, so it is never surplus while the task it
    // replaces is still there.
    let counts = |t: &TaskView| !unhealthy(service, t, now) && !t.on_draining_instance;
    let effective: Vec<&TaskView> = primary_live.iter().copied().filter(|t| counts(t)).collect();
    // Scale-in: more of them than desired. Pending tasks go first, then those not healthy yet,
    // then the placement strategy's choice among the healthy ones.
    let mut held = 0;
    if effective.len() > desired as usize {
        let mut surplus = effective.len() - desired as usize;
        // Protection keeps a task doing its work: a healthy one. One still starting goes as
        // any other would.
        let kept = |t: &TaskView| t.protected && healthy(service, t, now);
        let unprotected = effective.iter().filter(|t| !kept(t)).count();
        held = surplus.saturating_sub(unprotected);
        surplus -= held;
        let mut first: Vec<&TaskView> =
            effective.iter().copied().filter(|t| !healthy(service, t, now)).collect();
        first.sort_by_key(|t| (t.phase != Phase::Pending, t.id.clone()));
        for task in first {
            if surplus == 0 {
                break;
            }
            stop(decision, &mut stopping, task, scaling());
            surplus -= 1;
        }
        if surplus > 0 {
            let candidates: Vec<TaskRef> = effective
                .iter()
                .filter(|t| !kept(t) && !stopping.contains(&t.id))
                .map(|t| TaskRef {
                    id: t.id.clone(),
                    instance_id: t.instance_id.clone().unwrap_or_default(),
                })
                .collect();
            for id in select_for_scale_in(snapshot, &candidates, surplus, &service.strategy, ctx) {
                if let Some(task) = effective.iter().find(|t| t.id == id) {
                    stop(decision, &mut stopping, task, scaling());
                }
            }
        }
    }

    let live_now: Vec<&TaskView> =
        live_tasks.iter().copied().filter(|t| !stopping.contains(&t.id)).collect();
    let primary_live: Vec<&TaskView> =
        live_now.iter().copied().filter(|t| t.deployment_id == primary.id).collect();
    let mut unhealthy_primary: Vec<&TaskView> =
        primary_live.iter().copied().filter(|t| unhealthy(service, t, now)).collect();
    let effective: Vec<&TaskView> = primary_live.iter().copied().filter(|t| counts(t)).collect();
    let need = (desired as usize).saturating_sub(effective.len());
    let room = max_total.saturating_sub(live_now.len());
    let starting = if may_start { need.min(room) } else { 0 };
    if starting > 0 {
        decision.start.push((primary.id.clone(), starting as u32));
    }

    // Stops bounded by minHealthy: tasks that are not healthy cost nothing; healthy ones spend
    // the budget of healthy tasks above minHealthy.
    let healthy_count = live_now.iter().filter(|t| healthy(service, t, now)).count();
    let mut budget = healthy_count.saturating_sub(min_healthy);
    // Old deployments' tasks that are pending or unhealthy. A RUNNING task that is still
    // settling is not free to stop: it is about to count as healthy.
    // (Protection does not keep them: it keeps tasks doing their work, and these are not.)
    for task in live_now.iter().filter(|t| {
        t.deployment_id != primary.id && (t.phase == Phase::Pending || unhealthy(service, t, now))
    }) {
        stop(decision, &mut stopping, task, scaling());
    }
    // Unhealthy PRIMARY tasks stand in for the healthy tasks the PRIMARY lacks, within
    // maximumPercent: once their replacements are healthy they go, and when replacements are
    // unhealthy too, the oldest go to bring the service back to its desired count. When
    // maximumPercent leaves no room to start a replacement first, one goes at a time.
    let healthy_effective = effective.iter().filter(|t| healthy(service, t, now)).count();
    let others = live_now.len() - unhealthy_primary.len();
    let keep =
        (desired as usize).saturating_sub(healthy_effective).min(max_total.saturating_sub(others));
    unhealthy_primary.sort_by(|a, b| {
        let at = |t: &TaskView| t.started_at.unwrap_or(f64::NEG_INFINITY);
        at(a).total_cmp(&at(b)).then_with(|| a.id.cmp(&b.id))
    });
    let surplus_unhealthy = unhealthy_primary.len().saturating_sub(keep);
    for task in &unhealthy_primary[..surplus_unhealthy] {
        stop(decision, &mut stopping, task, StopReason::Unhealthy);
    }
    if surplus_unhealthy == 0
        && room == 0
        && need > 0
        && let Some(task) = unhealthy_primary.first()
    {
        stop(decision, &mut stopping, task, StopReason::Unhealthy);
    }
    // Healthy tasks to remove: on draining instances first, then old deployments', oldest
    // deployment first.
    let mut removable: Vec<&TaskView> = live_now
        .iter()
        .copied()
        .filter(|t| healthy(service, t, now) && !stopping.contains(&t.id))
        .filter(|t| t.on_draining_instance || (t.deployment_id != primary.id && !t.protected))
        .collect();
    let age = |t: &TaskView| {
        service.deployments.iter().position(|d| d.id == t.deployment_id).unwrap_or(usize::MAX)
    };
    removable.sort_by_key(|t| (!t.on_draining_instance, std::cmp::Reverse(age(t)), t.id.clone()));
    for task in removable {
        if budget == 0 {
            break;
        }
        let reason = if task.on_draining_instance { StopReason::Draining } else { scaling() };
        stop(decision, &mut stopping, task, reason);
        budget -= 1;
    }

    // Stuck: something must be replaced, yet nothing can start or stop and nothing is under way.
    let to_replace =
        live_now.iter().any(|t| t.deployment_id != primary.id || t.on_draining_instance);
    // Under way: tasks starting or stopping, and tasks that run but are still settling (they
    // are about to count as healthy, which frees a stop).
    let settling = |t: &&TaskView| {
        t.phase == Phase::Running && !healthy(service, t, now) && !unhealthy(service, t, now)
    };
    let under_way = tasks.iter().any(|t| matches!(t.phase, Phase::Pending | Phase::Stopping))
        || live_now.iter().any(settling);
    // Protected tasks an old deployment or a scale-in would otherwise stop.
    held += live_now
        .iter()
        .filter(|t| t.protected && t.deployment_id != primary.id && !t.on_draining_instance)
        .filter(|t| healthy(service, t, now) && !stopping.contains(&t.id))
        .count();
    if held > 0 {
        decision.events.push(format!(
            "was unable to scale in due to (reason: {held} tasks under protection)."
        ));
    } else if to_replace && may_start && starting == 0 && decision.stop.is_empty() && !under_way {
        decision.events.push(
            "was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
                .to_owned(),
        );
    }
}

fn daemon(
    service: &ServiceView,
    tasks: &[TaskView],
    primary: &DeploymentView,
    may_start: bool,
    now: f64,
    decision: &mut Decision,
) {
    let eligible: BTreeSet<&str> = service.daemon_instances.iter().map(String::as_str).collect();
    let mut by_instance: BTreeMap<&str, Vec<&TaskView>> = BTreeMap::new();
    for task in tasks.iter().filter(|t| live(t) || t.phase == Phase::Stopping) {
        by_instance.entry(task.instance_id.as_deref().unwrap_or("")).or_default().push(task);
    }
    let scaling = || StopReason::Scaling { deployment_id: primary.id.clone() };
    let min_healthy = min_healthy(eligible.len() as u32, service.minimum_healthy_percent) as usize;
    let mut healthy_count = tasks.iter().filter(|t| live(t) && healthy(service, t, now)).count();
    for (instance, here) in &by_instance {
        let live_here: Vec<&&TaskView> = here.iter().filter(|t| live(t)).collect();
        if !eligible.contains(instance) {
            // A draining or no longer eligible instance keeps no daemon task.
            for task in live_here {
                decision.stop.push((task.id.clone(), StopReason::Draining));
            }
            continue;
        }
        // One task per instance: the PRIMARY's if there is one.
        let keep = live_here
            .iter()
            .find(|t| t.deployment_id == primary.id)
            .or(live_here.first())
            .map(|t| t.id.clone());
        for task in &live_here {
            if Some(&task.id) == keep.as_ref() && task.deployment_id == primary.id {
                continue;
            }
            if task.protected {
                continue;
            }
            if Some(&task.id) == keep.as_ref() {
                // An old deployment's task: replaced, as far as minHealthy allows.
                if healthy(service, task, now) {
                    if healthy_count <= min_healthy {
                        continue;
                    }
                    healthy_count -= 1;
                }
            }
            decision.stop.push((task.id.clone(), scaling()));
        }
    }
    if !may_start {
        return;
    }
    for instance in &eligible {
        let busy = by_instance
            .get(instance)
            .is_some_and(|here| here.iter().any(|t| live(t) || t.phase == Phase::Stopping));
        if !busy {
            decision.start_on.push((primary.id.clone(), (*instance).to_owned()));
        }
    }
}

mod task_sets;

pub use task_sets::{TaskSetView, computed_desired, decide_task_sets};

#[cfg(test)]
mod tests;
