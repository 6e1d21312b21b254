//! A task actor on the simulated runtime: what it starts, and what it refuses to start once
//! the task is to stop.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use api::agent::{DesiredTask, TaskReport};

use super::{Command, Existing, TaskEnv};
use crate::images::{ImagePuller, PullBehavior};
use crate::outbox::Outbox;
use crate::sim::{SimOptions, SimRuntime};

#[test]
fn only_tasks_that_may_have_containers_look_for_them() {
    let existing = Existing::new(Some(["arn:left-by-an-earlier-run".to_owned()].into()));
    assert!(existing.may_have_containers("arn:left-by-an-earlier-run"));
    assert!(!existing.may_have_containers("arn:new"));
    // A container is about to be created: a later actor of the task must look.
    existing.insert("arn:new");
    assert!(existing.may_have_containers("arn:new"));
    // Its containers were removed: a new actor starts from nothing.
    existing.remove("arn:new");
    assert!(!existing.may_have_containers("arn:new"));
    // Without a listing at start, every actor looks.
    let unknown = Existing::new(None);
    unknown.insert("arn:a");
    unknown.remove("arn:a");
    assert!(unknown.may_have_containers("arn:a"));
}

/// A task actor on a simulated runtime, driven by hand.
struct Harness {
    runtime: SimRuntime,
    env: Arc<TaskEnv>,
}

impl Harness {
    fn new(options: SimOptions) -> Harness {
        let runtime = SimRuntime::new(options);
        let env = Arc::new(TaskEnv {
            runtime: Arc::new(runtime.clone()),
            puller: Arc::new(ImagePuller::new(PullBehavior::Always)),
            outbox: Arc::new(Outbox::default()),
            cluster: "test".to_owned(),
            instance_arn: "arn:aws:ecs:us-east-1:000000000000:container-instance/test/i1"
                .to_owned(),
            default_stop_timeout: Duration::from_secs(30),
            isolation: None,
            default_start_timeout: Duration::from_secs(180),
            cleanup_wait: Duration::from_secs(60),
            settled_check_interval: Duration::from_secs(5),
            log_cursors: Default::default(),
            existing: Existing::new(Some(Default::default())),
            allow_host_mounts: std::sync::atomic::AtomicBool::new(false),
        });
        Harness { runtime, env }
    }

    /// Starts an actor for a task of `containers` (names), desired `desired_status`.
    fn spawn(
        &self,
        desired_status: &str,
        containers: &[&str],
    ) -> (mpsc::UnboundedSender<Command>, tokio::task::JoinHandle<()>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let actor = tokio::spawn(super::run(
            self.env.clone(),
            desired(desired_status, containers),
            receiver,
        ));
        (sender, actor)
    }

    /// The latest report of the task, if one is pending.
    fn latest_report(&self) -> Option<TaskReport> {
        let payload = self.env.outbox.take()?;
        self.env.outbox.delivered();
        payload.reports.into_iter().next_back()
    }
}

const TASK_ARN: &str =
    "arn:aws:ecs:us-east-1:000000000000:task/test/0123456789abcdef0123456789abcdef";

fn desired(desired_status: &str, containers: &[&str]) -> DesiredTask {
    let definitions: Vec<serde_json::Value> = containers
        .iter()
        .map(|name| {
            serde_json::json!({
                "name": name, "image": "busybox", "memory": 16, "essential": true,
                "command": ["sleep", "3600"],
            })
        })
        .collect();
    let definition: api::TaskDefinition = serde_json::from_value(serde_json::json!({
        "family": "app", "revision": 1, "containerDefinitions": definitions,
    }))
    .expect("a task definition");
    DesiredTask {
        task_arn: TASK_ARN.to_owned(),
        desired_status: desired_status.to_owned(),
        definition: Arc::new(definition),
        definition_key: "app:1".to_owned(),
        overrides: None,
        network: None,
    }
}

#[tokio::test(start_paused = true)]
async fn a_task_first_seen_desired_stopped_pulls_and_creates_nothing() {
    let harness = Harness::new(SimOptions::default());
    let (commands, actor) = harness.spawn("STOPPED", &["app", "sidecar"]);
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(harness.runtime.container_count(), 0);
    assert_eq!(harness.runtime.pull_count(), 0);
    let report = harness.latest_report().expect("a report");
    assert_eq!(report.status, "STOPPED");
    assert!(report.containers.iter().all(|c| c.status == "STOPPED" && c.runtime_id.is_none()));
    assert_eq!(report.pull_started_at, None);
    // Forgotten, the actor cleans up and ends.
    commands.send(Command::Forget).unwrap();
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(actor.is_finished());
    assert_eq!(harness.runtime.container_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_stop_asked_for_while_pulling_starts_no_container() {
    let harness =
        Harness::new(SimOptions { pull_delay: Duration::from_secs(30), ..SimOptions::default() });
    let (commands, _actor) = harness.spawn("RUNNING", &["app"]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(harness.runtime.pull_count(), 1, "the pull is under way");
    commands.send(Command::Desired(Box::new(desired("STOPPED", &["app"])))).unwrap();
    // Well past the end of the pull.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(harness.runtime.container_count(), 0);
    let report = harness.latest_report().expect("a report");
    assert_eq!(report.status, "STOPPED");
    assert_eq!(report.stop_code, None, "the control plane's stop code and reason stand");
}

#[tokio::test(start_paused = true)]
async fn a_stop_asked_for_between_container_starts_starts_no_more() {
    let harness =
        Harness::new(SimOptions { start_delay: Duration::from_secs(5), ..SimOptions::default() });
    let (commands, _actor) = harness.spawn("RUNNING", &["first", "second", "third"]);
    // The first container is starting (a start takes 5 s here).
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(harness.runtime.container_count(), 1);
    commands
        .send(Command::Desired(Box::new(desired("STOPPED", &["first", "second", "third"]))))
        .unwrap();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(harness.runtime.container_count(), 1, "no container after the stop was created");
    assert!(
        harness.runtime.running_with_label(crate::runtime::labels::TASK_ARN, TASK_ARN).is_empty(),
        "the one started is stopped"
    );
    let report = harness.latest_report().expect("a report");
    assert_eq!(report.status, "STOPPED");
}
