//! The service scheduler's decisions against the documented examples: rolling-update math,
//! circuit breaker thresholds and stages, throttling, unhealthy replacement, draining, DAEMON
//! services and the scale-in choice. Fixed clock (`NOW`) and seed.

use super::*;
use crate::testkit::fixture;

pub(super) const NOW: f64 = 10_000.0;

fn service(desired: u32, min: u32, max: u32) -> ServiceView {
    ServiceView {
        name: "web".into(),
        scheduling: SchedulingStrategy::Replica,
        desired_count: desired,
        minimum_healthy_percent: min,
        maximum_percent: max,
        health_check_grace_period: 0.0,
        settle_time: 40.0,
        deleting: false,
        deployments: vec![deployment("new", Rollout::InProgress)],
        last_completed: None,
        strategy: Vec::new(),
        daemon_instances: Vec::new(),
    }
}

fn deployment(id: &str, rollout: Rollout) -> DeploymentView {
    DeploymentView { id: id.into(), rollout, circuit_breaker: None, created_at: 0.0 }
}

fn with_old(mut s: ServiceView) -> ServiceView {
    s.deployments.push(deployment("old", Rollout::Completed));
    s.last_completed = Some("old".into());
    s
}

/// A task running for long enough to be healthy.
pub(super) fn running(id: &str, deployment: &str) -> TaskView {
    TaskView {
        id: id.into(),
        deployment_id: deployment.into(),
        instance_id: Some("i1".into()),
        phase: Phase::Running,
        created_at: NOW - 105.0,
        started_at: Some(NOW - 100.0),
        stopped_at: None,
        health: Health::Unknown,
        has_health_check: false,
        on_draining_instance: false,
        stopped_for_health: false,
        crashed: false,
        stopped_by_scheduler: false,
        protected: false,
    }
}

fn pending(id: &str, deployment: &str) -> TaskView {
    TaskView { phase: Phase::Pending, started_at: None, ..running(id, deployment) }
}

fn failed(id: &str, deployment: &str, at: f64) -> TaskView {
    TaskView {
        phase: Phase::Stopped,
        started_at: None,
        stopped_at: Some(at),
        ..running(id, deployment)
    }
}

fn tasks(prefix: &str, deployment: &str, n: usize) -> Vec<TaskView> {
    (0..n).map(|i| running(&format!("{prefix}{i}"), deployment)).collect()
}

fn decide_now(s: &ServiceView, t: &[TaskView]) -> Decision {
    decide(s, t, &Snapshot::default(), &PlanCtx { seed: 7 }, NOW)
}

fn started(d: &Decision) -> u32 {
    d.start.iter().map(|(_, n)| n).sum()
}

fn stopped(d: &Decision) -> Vec<&str> {
    d.stop.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn percent_math_matches_the_documented_examples() {
    assert_eq!(min_healthy(4, 50), 2);
    assert_eq!(max_total(4, 200), 8);
    assert_eq!(min_healthy(2, 75), 2);
    assert_eq!(max_total(3, 125), 3);
    assert_eq!(min_healthy(3, 50), 2, "rounds up");
    assert_eq!(max_total(3, 150), 4, "rounds down");
}

#[test]
fn desired_4_min_50_may_stop_two_old_tasks_first() {
    // maximumPercent 100: nothing can start before something stops.
    let s = with_old(service(4, 50, 100));
    let d = decide_now(&s, &tasks("o", "old", 4));
    assert_eq!(started(&d), 0);
    assert_eq!(stopped(&d).len(), 2);
    assert!(d.stop.iter().all(|(_, r)| *r == StopReason::Scaling { deployment_id: "new".into() }));
}

#[test]
fn desired_4_max_200_starts_four_new_tasks_before_stopping_old_ones() {
    let s = with_old(service(4, 100, 200));
    let d = decide_now(&s, &tasks("o", "old", 4));
    assert_eq!(d.start, vec![("new".to_owned(), 4)]);
    assert!(d.stop.is_empty(), "minHealthy 100% allows no stop yet: {:?}", d.stop);
    // Once the new tasks are healthy, the old ones go.
    let mut all = tasks("o", "old", 4);
    all.extend(tasks("n", "new", 4));
    let d = decide_now(&s, &all);
    assert_eq!(started(&d), 0);
    assert_eq!(stopped(&d), ["o0", "o1", "o2", "o3"]);
    // New tasks that are not healthy yet (RUNNING for 10 s, settling takes 40 s) hold the old ones.
    let mut settling = tasks("o", "old", 4);
    settling.extend(
        (0..4)
            .map(|i| TaskView { started_at: Some(NOW - 10.0), ..running(&format!("n{i}"), "new") }),
    );
    assert!(decide_now(&s, &settling).stop.is_empty());
}

#[test]
fn desired_2_min_75_cannot_stop_and_desired_3_max_125_cannot_start() {
    let s = with_old(service(2, 75, 100));
    let d = decide_now(&s, &tasks("o", "old", 2));
    assert!(d.start.is_empty() && d.stop.is_empty());
    assert!(
        d.events.iter().any(|e| e.contains("unable to stop or start tasks during a deployment")),
        "{:?}",
        d.events
    );

    let s = with_old(service(3, 100, 125));
    let d = decide_now(&s, &tasks("o", "old", 3));
    assert!(d.start.is_empty() && d.stop.is_empty());
    assert!(d.events.iter().any(|e| e.contains("unable to stop or start tasks")));
}

#[test]
fn settling_old_tasks_are_not_stopped_for_free() {
    // Old tasks RUNNING for 10 s (settling takes 40 s) are not healthy yet, but they are not
    // free to stop either: stopping them would leave nothing running.
    let s = with_old(service(4, 50, 150));
    let settling: Vec<TaskView> = (0..4)
        .map(|i| TaskView { started_at: Some(NOW - 10.0), ..running(&format!("o{i}"), "old") })
        .collect();
    let d = decide_now(&s, &settling);
    assert!(d.stop.is_empty(), "{:?}", d.stop);
    assert_eq!(d.start, vec![("new".to_owned(), 2)]);
    // Pending old tasks are.
    let d = decide_now(&s, &[pending("p0", "old")]);
    assert_eq!(stopped(&d), ["p0"]);
}

#[test]
fn stopped_tasks_are_replaced_and_scale_out_is_capped() {
    let s = service(5, 100, 200);
    let d = decide_now(&s, &tasks("n", "new", 3));
    assert_eq!(d.start, vec![("new".to_owned(), 2)]);
    let s = service(10, 100, 100);
    let d = decide_now(&s, &[]);
    assert_eq!(d.start, vec![("new".to_owned(), 10)]);
}

#[test]
fn steady_state_completes_the_deployment_and_retires_the_old_one() {
    let s = with_old(service(2, 100, 200));
    let d = decide_now(&s, &tasks("n", "new", 2));
    assert_eq!(d.retire, vec!["old".to_owned()]);
    assert!(d.steady);
    assert_eq!(d.rollouts, vec![("new".to_owned(), Rollout::Completed, None)]);
    assert!(d.events.contains(&"(deployment new) deployment completed.".to_owned()));
    assert!(d.events.contains(&"has reached a steady state.".to_owned()));
    // An old deployment with a task still stopping is not done yet.
    let mut all = tasks("n", "new", 2);
    all.push(TaskView { phase: Phase::Stopping, ..running("o0", "old") });
    let d = decide_now(&s, &all);
    assert!(d.retire.is_empty() && !d.steady);
}

#[test]
fn scale_in_follows_the_spread_strategy() {
    // Zone a holds three tasks, zone b one; desired 2 keeps one in each zone.
    let fixture = fixture::parse(
        "instance a1 cpu=4096 mem=8192 az=a\ninstance a2 cpu=4096 mem=8192 az=a\ninstance b1 cpu=4096 mem=8192 az=b\n",
    )
    .unwrap();
    let mut s = service(2, 100, 200);
    s.strategy =
        vec![Strategy::from_ecs("spread", Some("attribute:ecs.availability-zone")).unwrap()];
    let on = |id: &str, instance: &str| TaskView {
        instance_id: Some(instance.into()),
        ..running(id, "new")
    };
    let all = vec![on("t1", "a1"), on("t2", "a1"), on("t3", "a2"), on("t4", "b1")];
    let d = decide(&s, &all, &fixture.snapshot, &PlanCtx { seed: 1 }, NOW);
    let mut gone = stopped(&d);
    gone.sort();
    assert_eq!(gone.len(), 2);
    assert!(!gone.contains(&"t4"), "the only task in zone b stays: {gone:?}");
}

#[test]
fn scale_in_stops_pending_tasks_first() {
    let s = service(2, 100, 200);
    let mut all = tasks("r", "new", 2);
    all.push(pending("p0", "new"));
    let d = decide_now(&s, &all);
    assert_eq!(stopped(&d), ["p0"]);
}

#[test]
fn circuit_breaker_thresholds() {
    assert_eq!(circuit_breaker_threshold(1), 3);
    assert_eq!(circuit_breaker_threshold(25), 13);
    assert_eq!(circuit_breaker_threshold(400), 200);
    assert_eq!(circuit_breaker_threshold(800), 200);
}

#[test]
fn circuit_breaker_stage_one_fails_and_rolls_back() {
    let mut s = with_old(service(2, 100, 200));
    s.deployments[0].circuit_breaker = Some(true);
    let mut all = tasks("o", "old", 2);
    all.extend([failed("f1", "new", NOW - 30.0), failed("f2", "new", NOW - 20.0)]);
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 2);
    assert!(d.rollouts.is_empty(), "two failures are under the threshold of 3");
    all.push(failed("f3", "new", NOW - 10.0));
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 3);
    assert_eq!(
        d.rollouts,
        vec![(
            "new".to_owned(),
            Rollout::Failed,
            Some("ECS deployment circuit breaker: tasks failed to start.".to_owned())
        )]
    );
    assert_eq!(d.rollback_to.as_deref(), Some("old"));
    assert!(d.start.is_empty(), "a failed deployment launches nothing");
    assert!(
        d.events.contains(&"(deployment new) deployment failed: tasks failed to start.".to_owned())
    );
    assert!(d.events.contains(&"rolling back to deployment old.".to_owned()));
    // Without a COMPLETED deployment there is nothing to roll back to.
    s.last_completed = None;
    assert_eq!(decide_now(&s, &all).rollback_to, None);
    // Without rollback the deployment only fails.
    s.last_completed = Some("old".into());
    s.deployments[0].circuit_breaker = Some(false);
    let d = decide_now(&s, &all);
    assert_eq!(d.rollback_to, None);
    assert_eq!(d.rollouts[0].1, Rollout::Failed);
}

#[test]
fn tasks_that_run_for_a_moment_then_exit_still_trip_the_breaker() {
    let mut s = with_old(service(2, 100, 200));
    s.deployments[0].circuit_breaker = Some(true);
    let mut all = tasks("o", "old", 2);
    // Each reached RUNNING for a second before its essential container exited.
    all.extend((0..3).map(|i| TaskView {
        phase: Phase::Stopped,
        started_at: Some(NOW - 20.0 + f64::from(i)),
        stopped_at: Some(NOW - 19.0 + f64::from(i)),
        crashed: true,
        ..running(&format!("c{i}"), "new")
    }));
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 3);
    assert_eq!(d.rollback_to.as_deref(), Some("old"));
}

#[test]
fn circuit_breaker_stage_two_counts_health_replacements() {
    let mut s = service(2, 100, 200);
    s.deployments[0].circuit_breaker = Some(false);
    // A task has run: failures to start no longer count, health replacements do.
    let mut all = tasks("n", "new", 2);
    all.extend((0..5).map(|i| failed(&format!("f{i}"), "new", NOW - 1000.0)));
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 0);
    all.extend((0..3).map(|i| TaskView {
        phase: Phase::Stopped,
        stopped_at: Some(NOW - 5.0),
        stopped_for_health: true,
        ..running(&format!("h{i}"), "new")
    }));
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 3);
    assert_eq!(
        d.rollouts[0].2.as_deref(),
        Some("ECS deployment circuit breaker: tasks failed health checks.")
    );
}

#[test]
fn throttling_delays_starts_after_repeated_failures() {
    assert_eq!(throttle_delay(2), 0.0);
    assert_eq!(throttle_delay(3), 10.0);
    assert_eq!(throttle_delay(4), 20.0);
    assert_eq!(throttle_delay(30), 900.0);
    let s = service(1, 100, 200);
    let three = vec![
        failed("a", "new", NOW - 30.0),
        failed("b", "new", NOW - 20.0),
        failed("c", "new", NOW - 5.0),
    ];
    let d = decide_now(&s, &three);
    assert!(d.start.is_empty());
    assert_eq!(d.throttled_until, Some(NOW + 5.0));
    assert!(d.events.contains(&"is unable to consistently start tasks successfully.".to_owned()));
    // After the delay, it tries again.
    let d = decide(&s, &three, &Snapshot::default(), &PlanCtx { seed: 7 }, NOW + 6.0);
    assert_eq!(d.start, vec![("new".to_owned(), 1)]);
    // A task that ran resets the count.
    let mut reset = three.clone();
    reset.push(TaskView { started_at: Some(NOW - 1.0), ..running("ok", "new") });
    assert_eq!(decide_now(&s, &reset).throttled_until, None);
}

#[test]
fn unhealthy_tasks_are_replaced_before_they_are_stopped() {
    let s = service(2, 100, 200);
    let sick =
        TaskView { has_health_check: true, health: Health::Unhealthy, ..running("sick", "new") };
    let well =
        TaskView { has_health_check: true, health: Health::Healthy, ..running("well", "new") };
    let d = decide_now(&s, &[sick.clone(), well.clone()]);
    assert_eq!(d.start, vec![("new".to_owned(), 1)], "the replacement starts first");
    assert!(d.stop.is_empty());
    // With the replacement there, the unhealthy task goes.
    let replacement =
        TaskView { has_health_check: true, health: Health::Healthy, ..running("new1", "new") };
    let d = decide_now(&s, &[sick.clone(), well.clone(), replacement]);
    assert_eq!(d.stop, vec![("sick".to_owned(), StopReason::Unhealthy)]);
    // Inside the grace period nothing happens.
    let mut graceful = service(2, 100, 200);
    graceful.health_check_grace_period = 1000.0;
    let d = decide_now(&graceful, &[sick.clone(), well.clone()]);
    assert!(d.start.is_empty() && d.stop.is_empty());
    // maximumPercent 100 leaves no room: stop one unhealthy task at a time.
    let tight = service(2, 50, 100);
    let sick2 = TaskView { id: "sick2".into(), ..sick.clone() };
    let d = decide_now(&tight, &[sick, sick2]);
    assert_eq!(d.stop.len(), 1);
    assert_eq!(d.stop[0].1, StopReason::Unhealthy);
}

#[test]
fn draining_instances_are_emptied_within_the_percentages() {
    let s = service(2, 50, 150);
    let drained = |id: &str| TaskView {
        on_draining_instance: true,
        instance_id: Some("d1".into()),
        ..running(id, "new")
    };
    let d = decide_now(&s, &[drained("t1"), drained("t2")]);
    // One replacement can start (150%), one task can stop (50%).
    assert_eq!(d.start, vec![("new".to_owned(), 1)]);
    assert_eq!(d.stop.len(), 1);
    assert_eq!(d.stop[0].1, StopReason::Draining);
    // Pending tasks on a draining instance stop at once.
    let waiting = TaskView { phase: Phase::Pending, started_at: None, ..drained("p") };
    let d = decide_now(&service(1, 100, 200), &[waiting]);
    assert_eq!(d.stop, vec![("p".to_owned(), StopReason::Draining)]);
    // Both at 100%: no progress, and the service says so.
    let d = decide_now(&service(2, 100, 100), &[drained("t1"), drained("t2")]);
    assert!(d.events.iter().any(|e| e.contains("unable to stop or start")));
}

#[test]
fn daemon_services_cover_every_eligible_instance() {
    let mut s = service(0, 0, 100);
    s.scheduling = SchedulingStrategy::Daemon;
    s.daemon_instances = vec!["i1".into(), "i2".into(), "i3".into()];
    let on = |id: &str, instance: &str, deployment: &str| TaskView {
        instance_id: Some(instance.into()),
        ..running(id, deployment)
    };
    let d = decide_now(&s, &[on("a", "i1", "new")]);
    assert_eq!(
        d.start_on,
        vec![("new".to_owned(), "i2".to_owned()), ("new".to_owned(), "i3".to_owned())]
    );
    // A task on an instance that is no longer eligible (draining) stops.
    let d = decide_now(
        &s,
        &[on("a", "i1", "new"), on("b", "i2", "new"), on("c", "i3", "new"), on("d", "i4", "new")],
    );
    assert_eq!(stopped(&d), ["d"]);
    // A new deployment replaces old tasks instance by instance: stop first (minHealthy 0).
    s.deployments.push(deployment("old", Rollout::Completed));
    let d = decide_now(&s, &[on("a", "i1", "old"), on("b", "i2", "old"), on("c", "i3", "old")]);
    assert_eq!(stopped(&d).len(), 3);
    assert!(d.start_on.is_empty(), "the old tasks are still there");
    let gone = |id: &str, instance: &str| TaskView {
        phase: Phase::Stopped,
        stopped_at: Some(NOW),
        ..on(id, instance, "old")
    };
    let d = decide_now(&s, &[gone("a", "i1"), gone("b", "i2"), gone("c", "i3")]);
    assert_eq!(d.start_on.len(), 3);
    assert_eq!(d.retire, vec!["old".to_owned()]);
}

#[test]
fn deleting_stops_everything() {
    let mut s = service(3, 100, 200);
    s.deleting = true;
    let d = decide_now(&s, &tasks("t", "new", 3));
    assert_eq!(d.stop.len(), 3);
    assert!(d.stop.iter().all(|(_, r)| *r == StopReason::Deleted));
    assert!(d.start.is_empty());
}

#[test]
fn an_unhealthy_tasks_pending_replacement_is_not_surplus() {
    // The default configuration (100%/200%), one task that fails its health checks.
    let s = service(1, 100, 200);
    let sick =
        TaskView { has_health_check: true, health: Health::Unhealthy, ..running("sick", "new") };
    let d = decide_now(&s, std::slice::from_ref(&sick));
    assert_eq!(d.start, vec![("new".to_owned(), 1)], "the replacement starts first");
    assert!(d.stop.is_empty());
    // The replacement is pending, then running but not healthy yet: nothing starts or stops.
    let waiting = TaskView { has_health_check: true, created_at: NOW - 1.0, ..pending("r", "new") };
    let d = decide_now(&s, &[sick.clone(), waiting.clone()]);
    assert!(d.start.is_empty() && d.stop.is_empty(), "{d:?}");
    let starting = TaskView { phase: Phase::Running, started_at: Some(NOW - 1.0), ..waiting };
    let d = decide_now(&s, &[sick.clone(), starting.clone()]);
    assert!(d.start.is_empty() && d.stop.is_empty(), "{d:?}");
    // Healthy: the unhealthy task goes.
    let well = TaskView { health: Health::Healthy, ..starting.clone() };
    let d = decide_now(&s, &[sick.clone(), well]);
    assert_eq!(d.stop, vec![("sick".to_owned(), StopReason::Unhealthy)]);
    assert!(d.start.is_empty());
    // Unhealthy too: the older one goes to get back to the desired count; the next pass starts
    // another replacement.
    let sick_too = TaskView { health: Health::Unhealthy, ..starting };
    let d = decide_now(&s, &[sick.clone(), sick_too.clone()]);
    assert_eq!(d.stop, vec![("sick".to_owned(), StopReason::Unhealthy)]);
    assert!(d.start.is_empty());
    let gone = TaskView { phase: Phase::Stopping, stopped_by_scheduler: true, ..sick };
    let d = decide_now(&s, &[gone, sick_too]);
    assert_eq!(d.start, vec![("new".to_owned(), 1)]);
    assert!(d.stop.is_empty());
}

#[test]
fn pending_tasks_stopped_on_scale_in_are_not_failures() {
    let mut s = service(1, 100, 200);
    s.deployments[0].circuit_breaker = Some(false);
    let mut all = vec![running("r", "new")];
    for i in 0..5 {
        all.push(TaskView {
            stopped_by_scheduler: true,
            ..failed(&format!("p{i}"), "new", NOW - 10.0)
        });
    }
    let d = decide_now(&s, &all);
    assert_eq!(d.failed_tasks, 0);
    assert!(d.rollouts.iter().all(|(_, r, _)| *r != Rollout::Failed), "{:?}", d.rollouts);
    assert_eq!(d.throttled_until, None);
}

#[test]
fn the_launch_throttle_stops_starts_without_cause() {
    // A minute of tasks started and stopped by the scheduler before they ran: nothing justifies
    // more starts than the service's maximum count.
    let s = service(1, 100, 200);
    let churned = |i: usize| TaskView {
        created_at: NOW - 50.0 + i as f64,
        stopped_by_scheduler: true,
        ..failed(&format!("c{i}"), "new", NOW - 49.0 + i as f64)
    };
    let mut all: Vec<TaskView> = (0..2).map(churned).collect();
    let d = decide_now(&s, &all);
    assert_eq!(d.start.len(), 0, "two starts in the window already use the allowance: {d:?}");
    assert_eq!(d.throttled_until, Some(NOW - 50.0 + LAUNCH_WINDOW));
    assert!(d.events.iter().any(|e| e.contains("throttled")));
    // Once the window has passed, the service starts again.
    let later = decide(&s, &all, &Snapshot::default(), &PlanCtx { seed: 7 }, NOW + 60.0);
    assert_eq!(later.start, vec![("new".to_owned(), 1)]);
    // Tasks that crashed justify their replacements.
    all = (0..2)
        .map(|i| TaskView { stopped_by_scheduler: false, crashed: true, ..churned(i) })
        .collect();
    let d = decide_now(&s, &all);
    assert_eq!(d.start, vec![("new".to_owned(), 1)]);
    assert_eq!(d.throttled_until, None);
}

#[test]
fn the_decision_carries_what_the_executor_records() {
    // A rollback names the deployments it replaces, PRIMARY first.
    let mut s = with_old(service(2, 100, 200));
    s.deployments[0].circuit_breaker = Some(true);
    let mut all = tasks("o", "old", 2);
    all.extend((0..3).map(|i| failed(&format!("f{i}"), "new", NOW - 10.0)));
    let d = decide_now(&s, &all);
    assert_eq!(d.rollback_to.as_deref(), Some("old"));
    assert_eq!(d.rollback_replaces, ["new", "old"]);
    assert_eq!(d.desired_count, None, "a REPLICA service's count is the user's");
    assert!(!d.inactive);
    // A DAEMON service wants one task per eligible instance.
    let mut daemon = service(0, 0, 100);
    daemon.scheduling = SchedulingStrategy::Daemon;
    daemon.daemon_instances = vec!["i1".into(), "i2".into()];
    assert_eq!(decide_now(&daemon, &[]).desired_count, Some(2));
    // A service being deleted is done once every task is stopping.
    let mut deleting = service(2, 100, 200);
    deleting.deleting = true;
    let d = decide_now(&deleting, &tasks("t", "new", 2));
    assert_eq!(stopped(&d), ["t0", "t1"]);
    assert!(d.inactive);
}

#[test]
fn scale_in_passes_over_protected_tasks_until_their_protection_ends() {
    let s = service(1, 100, 200);
    let mut all = tasks("n", "new", 3);
    all[0].protected = true;
    all[1].protected = true;
    let d = decide_now(&s, &all);
    // One of three is wanted: the unprotected one goes; the protected ones stay, and say so.
    assert_eq!(stopped(&d), ["n2"]);
    assert!(
        d.events
            .iter()
            .any(|e| e == "was unable to scale in due to (reason: 1 tasks under protection)."),
        "{:?}",
        d.events
    );
    // Protection over: the surplus goes.
    all[1].protected = false;
    let d = decide_now(&s, &all[..2]);
    assert_eq!(stopped(&d), ["n1"]);
}

#[test]
fn a_deployment_waits_for_a_protected_old_task() {
    let s = with_old(service(2, 100, 200));
    let mut all = tasks("o", "old", 2);
    all[0].protected = true;
    all.extend(tasks("n", "new", 2));
    let d = decide_now(&s, &all);
    assert_eq!(stopped(&d), ["o1"]);
    assert_eq!(started(&d), 0);
    all[0].protected = false;
    let d =
        decide_now(&s, &all[..1].iter().cloned().chain(tasks("n", "new", 2)).collect::<Vec<_>>());
    assert_eq!(stopped(&d), ["o0"]);
}

#[test]
fn protection_does_not_keep_an_unhealthy_task() {
    let s = service(1, 100, 200);
    let mut sick = running("n0", "new");
    sick.protected = true;
    sick.has_health_check = true;
    sick.health = Health::Unhealthy;
    let replacement = running("n1", "new");
    let d = decide_now(&s, &[sick, replacement]);
    assert!(d.stop.iter().any(|(id, r)| id == "n0" && *r == StopReason::Unhealthy), "{:?}", d.stop);
}
