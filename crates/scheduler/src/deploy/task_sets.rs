//! The decisions for a service under the EXTERNAL deployment controller: its task sets, each
//! kept at its own computed desired count. An external tool moves traffic and scale between
//! them; there are no rollouts, rollbacks or circuit breaker to decide.

use std::collections::BTreeSet;

use super::{
    Decision, Phase, ServiceView, StopReason, TaskView, deleted, healthy, live, unhealthy,
};
use crate::{PlanCtx, Snapshot, TaskRef, select_for_scale_in};

/// One task set as the decision sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSetView {
    /// Its tasks carry it in `startedBy`, as a deployment's do.
    pub id: String,
    /// `ceil(service desired count × scale / 100)`.
    pub desired: u32,
    /// DeleteTaskSet was called: it keeps no task and goes once it has none.
    pub draining: bool,
}

/// `ceil(desired × percent / 100)`, as ECS computes a task set's desired count.
pub fn computed_desired(service_desired: u32, percent: f64) -> u32 {
    let percent = percent.clamp(0.0, 100.0);
    (f64::from(service_desired) * percent / 100.0 - 1e-9).ceil().max(0.0) as u32
}

/// One pass over an EXTERNAL service: each task set's tasks brought to its desired count
/// (failed and unhealthy tasks replaced, tasks on draining instances moved, the surplus
/// stopped as a scale-in chooses), tasks of sets that no longer exist stopped, and draining
/// sets with no task left retired.
pub fn decide_task_sets(
    service: &ServiceView,
    sets: &[TaskSetView],
    tasks: &[TaskView],
    snapshot: &Snapshot,
    ctx: &PlanCtx,
    now: f64,
) -> Decision {
    if service.deleting {
        return deleted(tasks);
    }
    let mut decision = Decision::default();
    let known: BTreeSet<&str> = sets.iter().map(|s| s.id.as_str()).collect();
    let mut stopping: BTreeSet<String> = BTreeSet::new();
    let mut stop = |decision: &mut Decision, task: &TaskView, reason: StopReason| {
        if stopping.insert(task.id.clone()) {
            decision.stop.push((task.id.clone(), reason));
        }
    };
    // Tasks of no task set (it was deleted with force, or never existed) go.
    for task in tasks.iter().filter(|t| live(t) && !known.contains(t.deployment_id.as_str())) {
        stop(
            &mut decision,
            task,
            StopReason::Scaling { deployment_id: task.deployment_id.clone() },
        );
    }
    let mut steady = true;
    for set in sets {
        let scaling = || StopReason::Scaling { deployment_id: set.id.clone() };
        let own: Vec<&TaskView> =
            tasks.iter().filter(|t| live(t) && t.deployment_id == set.id).collect();
        for task in own.iter().filter(|t| unhealthy(service, t, now)) {
            stop(&mut decision, task, StopReason::Unhealthy);
        }
        // What counts toward the set's desired count.
        let counted: Vec<&TaskView> = own
            .iter()
            .copied()
            .filter(|t| !unhealthy(service, t, now) && !t.on_draining_instance)
            .collect();
        let desired = if set.draining { 0 } else { set.desired as usize };
        if counted.len() < desired {
            decision.start.push((set.id.clone(), (desired - counted.len()) as u32));
        } else if counted.len() > desired {
            // Pending first, then those not healthy yet, then the strategy's choice; a healthy
            // protected task stays.
            let mut surplus = counted.len() - desired;
            let mut first: Vec<&TaskView> =
                counted.iter().copied().filter(|t| !healthy(service, t, now)).collect();
            first.sort_by_key(|t| (t.phase != Phase::Pending, t.id.clone()));
            for task in first.into_iter().take(surplus) {
                stop(&mut decision, task, scaling());
                surplus -= 1;
            }
            let candidates: Vec<TaskRef> = counted
                .iter()
                .filter(|t| !(t.protected && healthy(service, t, now)))
                .filter(|t| !decision.stop.iter().any(|(id, _)| *id == t.id))
                .map(|t| TaskRef {
                    id: t.id.clone(),
                    instance_id: t.instance_id.clone().unwrap_or_default(),
                })
                .collect();
            for id in select_for_scale_in(snapshot, &candidates, surplus, &service.strategy, ctx) {
                if let Some(task) = counted.iter().find(|t| t.id == id) {
                    stop(&mut decision, task, scaling());
                }
            }
        }
        // Tasks on draining instances go once their replacements are healthy.
        let healthy_counted = counted.iter().filter(|t| healthy(service, t, now)).count();
        let moving: Vec<&&TaskView> = own.iter().filter(|t| t.on_draining_instance).collect();
        if !moving.is_empty() && (healthy_counted >= desired || desired == 0) {
            for task in moving {
                stop(&mut decision, task, StopReason::Draining);
            }
        }
        if set.draining && own.is_empty() {
            decision.retire.push(set.id.clone());
        }
        if own.len() != desired || own.iter().any(|t| !healthy(service, t, now)) {
            steady = false;
        }
    }
    decision.steady = steady && decision.start.is_empty() && decision.stop.is_empty();
    decision
}

#[cfg(test)]
mod tests {
    use super::super::tests::NOW;
    use super::super::{Health, SchedulingStrategy};
    use super::*;

    fn service(desired: u32) -> ServiceView {
        ServiceView {
            name: "web".into(),
            scheduling: SchedulingStrategy::Replica,
            desired_count: desired,
            minimum_healthy_percent: 100,
            maximum_percent: 200,
            health_check_grace_period: 0.0,
            settle_time: 40.0,
            deleting: false,
            deployments: Vec::new(),
            last_completed: None,
            strategy: Vec::new(),
            daemon_instances: Vec::new(),
        }
    }

    fn task(id: &str, set: &str) -> TaskView {
        super::super::tests::running(id, set)
    }

    fn set(id: &str, desired: u32) -> TaskSetView {
        TaskSetView { id: id.into(), desired, draining: false }
    }

    fn decide(s: &ServiceView, sets: &[TaskSetView], tasks: &[TaskView]) -> Decision {
        decide_task_sets(s, sets, tasks, &Snapshot::default(), &PlanCtx { seed: 7 }, NOW)
    }

    #[test]
    fn computed_desired_counts_round_up_as_ecs_does() {
        assert_eq!(computed_desired(4, 100.0), 4);
        assert_eq!(computed_desired(4, 50.0), 2);
        assert_eq!(computed_desired(3, 50.0), 2);
        assert_eq!(computed_desired(4, 0.0), 0);
        assert_eq!(computed_desired(5, 10.0), 1);
        assert_eq!(computed_desired(4, 150.0), 4, "clamped");
    }

    #[test]
    fn each_set_is_brought_to_its_own_count() {
        let s = service(4);
        let tasks = vec![task("a0", "a"), task("a1", "a"), task("a2", "a"), task("b0", "b")];
        let d = decide(&s, &[set("a", 2), set("b", 2)], &tasks);
        assert_eq!(d.start, vec![("b".to_owned(), 1)]);
        assert_eq!(d.stop.len(), 1);
        assert!(d.stop[0].0.starts_with('a'));
        assert!(!d.steady);
        let d = decide(&s, &[set("a", 3), set("b", 1)], &tasks);
        assert!(d.start.is_empty() && d.stop.is_empty());
        assert!(d.steady);
    }

    #[test]
    fn a_draining_set_loses_its_tasks_then_retires_and_orphans_go() {
        let s = service(2);
        let draining = TaskSetView { id: "a".into(), desired: 2, draining: true };
        let tasks = vec![task("a0", "a"), task("a1", "a"), task("x0", "gone")];
        let d = decide(&s, &[draining.clone(), set("b", 2)], &tasks);
        let stopped: Vec<&str> = d.stop.iter().map(|(id, _)| id.as_str()).collect();
        assert!(stopped.contains(&"x0") && stopped.contains(&"a0") && stopped.contains(&"a1"));
        assert_eq!(d.start, vec![("b".to_owned(), 2)]);
        assert!(d.retire.is_empty());
        let d = decide(&s, &[draining, set("b", 2)], &[task("b0", "b"), task("b1", "b")]);
        assert_eq!(d.retire, ["a"]);
    }

    #[test]
    fn unhealthy_tasks_are_replaced_and_deletion_stops_everything() {
        let s = service(1);
        let mut sick = task("a0", "a");
        sick.has_health_check = true;
        sick.health = Health::Unhealthy;
        let d = decide(&s, &[set("a", 1)], &[sick]);
        assert_eq!(d.stop, vec![("a0".to_owned(), StopReason::Unhealthy)]);
        assert_eq!(d.start, vec![("a".to_owned(), 1)]);
        let deleting = ServiceView { deleting: true, ..service(1) };
        let d = decide(&deleting, &[set("a", 1)], &[task("a0", "a")]);
        assert_eq!(d.stop, vec![("a0".to_owned(), StopReason::Deleted)]);
        assert!(d.inactive);
    }
}
