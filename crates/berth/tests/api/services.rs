//! Services through aws-sdk-ecs, with node agents in the test process on the SIMULATED runtime:
//! keeping the desired count, spreading over zones, replacing stopped and unhealthy tasks,
//! rolling deployments within the percentages, the circuit breaker and rollback, throttling,
//! DAEMON services, draining, deletion, restarts and the operations' rules.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ecs::types::{
    ContainerDefinition, ContainerInstanceStatus, DeploymentCircuitBreaker,
    DeploymentConfiguration, HealthCheck, SchedulingStrategy, Service,
};

use crate::common::{Server, SimAgent, code, eventually};

fn server() -> Server {
    Server::start_with_args(&["--task-settle-time", "1"])
}

fn container(name: &str, command: &[&str]) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name(name)
        .image("berth-test/busybox:1")
        .memory(64)
        .set_command(Some(command.iter().map(|s| (*s).to_owned()).collect()))
        .build()
}

async fn register(ecs: &aws_sdk_ecs::Client, family: &str, c: ContainerDefinition) -> String {
    ecs.register_task_definition()
        .family(family)
        .container_definitions(c)
        .send()
        .await
        .unwrap()
        .task_definition()
        .unwrap()
        .task_definition_arn()
        .unwrap()
        .to_owned()
}

async fn describe(ecs: &aws_sdk_ecs::Client, name: &str) -> Service {
    let out = ecs.describe_services().cluster("c").services(name).send().await.unwrap();
    out.services()
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("service {name} missing: {:?}", out.failures()))
}

/// `aws ecs wait services-stable`'s condition (one deployment, runningCount == desiredCount),
/// and the deployment COMPLETED (its tasks healthy).
async fn stable(ecs: &aws_sdk_ecs::Client, name: &str, seconds: u64) -> Service {
    eventually(seconds, &format!("service {name} to be stable"), || async {
        let s = describe(ecs, name).await;
        let completed = s.deployments().first().and_then(|d| d.rollout_state()).map(|r| r.as_str())
            == Some("COMPLETED");
        (s.deployments().len() == 1 && s.running_count() == s.desired_count() && completed)
            .then_some(s)
    })
    .await
}

async fn setup(zones: &[&str]) -> (Server, aws_sdk_ecs::Client, Vec<SimAgent>) {
    let server = server();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let agents: Vec<SimAgent> = zones.iter().map(|z| SimAgent::start(&server, "c", z)).collect();
    let n = agents.len();
    eventually(10, "the instances", || async {
        let out = ecs.list_container_instances().cluster("c").send().await.unwrap();
        (out.container_instance_arns().len() == n).then_some(())
    })
    .await;
    (server, ecs, agents)
}

/// Running tasks of a service per availability zone.
async fn zones(ecs: &aws_sdk_ecs::Client, service: &str) -> BTreeMap<String, usize> {
    let arns = ecs
        .list_tasks()
        .cluster("c")
        .service_name(service)
        .send()
        .await
        .unwrap()
        .task_arns()
        .to_vec();
    let mut zones = BTreeMap::new();
    if arns.is_empty() {
        return zones;
    }
    let tasks = ecs.describe_tasks().cluster("c").set_tasks(Some(arns)).send().await.unwrap();
    for t in tasks.tasks().iter().filter(|t| t.last_status() == Some("RUNNING")) {
        *zones.entry(t.availability_zone().unwrap_or("").to_owned()).or_default() += 1;
    }
    zones
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_spreads_over_zones_and_replaces_what_dies() {
    let (_server, ecs, agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    let created = ecs
        .create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(6)
        .send()
        .await
        .unwrap();
    let service = created.service().unwrap();
    assert_eq!(service.status(), Some("ACTIVE"));
    assert_eq!(service.deployments()[0].status(), Some("PRIMARY"));
    assert!(service.deployments()[0].id().unwrap().starts_with("ecs-svc/"));

    let service = stable(&ecs, "web", 30).await;
    assert_eq!(service.running_count(), 6);
    assert_eq!(
        zones(&ecs, "web").await,
        BTreeMap::from([("zone-a".to_owned(), 3), ("zone-b".to_owned(), 3)])
    );
    assert_eq!(service.deployments()[0].rollout_state().map(|s| s.as_str()), Some("COMPLETED"));
    let messages: Vec<&str> = service.events().iter().filter_map(|e| e.message()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("(service web) has started 6 tasks:")),
        "{messages:?}"
    );
    assert!(messages.contains(&"(service web) has reached a steady state."), "{messages:?}");
    let cluster = ecs.describe_clusters().clusters("c").send().await.unwrap();
    assert_eq!(cluster.clusters()[0].active_services_count(), 1);

    // A container dies: its task stops and a replacement takes its place.
    let victim = agents[0].runtime.running_with_label("berth.cluster", "c")[0].clone();
    assert!(agents[0].runtime.kill(&victim, 137));
    eventually(30, "a replacement", || async {
        let s = describe(&ecs, "web").await;
        let replaced = s
            .events()
            .iter()
            .filter_map(|e| e.message())
            .filter(|m| m.contains("has started 1 tasks"))
            .count()
            > 0;
        (replaced && s.running_count() == 6).then_some(())
    })
    .await;
    assert_eq!(zones(&ecs, "web").await.values().sum::<usize>(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_deployment_stays_within_the_percentages() {
    let (_server, ecs, _agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    let v2 = register(&ecs, "web", container("web", &["httpd", "-v2"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(4)
        .deployment_configuration(
            DeploymentConfiguration::builder()
                .minimum_healthy_percent(50)
                .maximum_percent(150)
                .build(),
        )
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    ecs.update_service().cluster("c").service("web").task_definition("web:2").send().await.unwrap();
    let during = describe(&ecs, "web").await;
    assert_eq!(during.deployments().len(), 2);
    assert_eq!(during.deployments()[0].status(), Some("PRIMARY"));
    assert_eq!(during.deployments()[1].status(), Some("ACTIVE"));
    assert_eq!(during.task_definition(), Some(v2.as_str()));
    // Sample while it rolls: never more than 6 live tasks (150%), never fewer than 2 running (50%).
    let mut max_live = 0;
    let mut min_running = usize::MAX;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let s = describe(&ecs, "web").await;
        let live = (s.running_count() + s.pending_count()) as usize;
        max_live = max_live.max(live);
        min_running = min_running.min(s.running_count() as usize);
        let completed = s.deployments().first().and_then(|d| d.rollout_state()).map(|r| r.as_str())
            == Some("COMPLETED");
        if s.deployments().len() == 1 && s.running_count() == 4 && completed {
            assert_eq!(s.deployments()[0].task_definition(), Some(v2.as_str()));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the deployment did not finish: {:?}",
            s.deployments()
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert!(max_live <= 6, "{max_live} live tasks exceeded maximumPercent 150");
    assert!(min_running >= 2, "{min_running} running tasks fell below minimumHealthyPercent 50");
    let listed = ecs.list_service_deployments().cluster("c").service("web").send().await.unwrap();
    assert_eq!(listed.service_deployments().len(), 2);
    let statuses: Vec<_> = listed
        .service_deployments()
        .iter()
        .map(|d| d.status().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(statuses, ["SUCCESSFUL", "SUCCESSFUL"]);
    let arn = listed.service_deployments()[0].service_deployment_arn().unwrap();
    let described =
        ecs.describe_service_deployments().service_deployment_arns(arn).send().await.unwrap();
    assert_eq!(
        described.service_deployments()[0]
            .target_service_revision()
            .unwrap()
            .requested_task_count(),
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_circuit_breaker_rolls_back_a_failing_deployment() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    register(&ecs, "web", container("web", &["sh", "-c", "exit 1"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(2)
        .deployment_configuration(
            DeploymentConfiguration::builder()
                .deployment_circuit_breaker(
                    DeploymentCircuitBreaker::builder().enable(true).rollback(true).build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    ecs.update_service().cluster("c").service("web").task_definition("web:2").send().await.unwrap();
    let service = eventually(60, "the rollback to finish", || async {
        let s = describe(&ecs, "web").await;
        let messages: Vec<String> =
            s.events().iter().filter_map(|e| e.message().map(str::to_owned)).collect();
        let rolled = messages.iter().any(|m| m.contains("rolling back to deployment"));
        let completed = s.deployments().first().and_then(|d| d.rollout_state()).map(|r| r.as_str())
            == Some("COMPLETED");
        (rolled && s.deployments().len() == 1 && s.running_count() == 2 && completed).then_some(s)
    })
    .await;
    assert!(
        service.task_definition().unwrap().ends_with("task-definition/web:1"),
        "{:?}",
        service.task_definition()
    );
    let messages: Vec<&str> = service.events().iter().filter_map(|e| e.message()).collect();
    assert!(
        messages.iter().any(|m| m.contains("deployment failed: tasks failed to start.")),
        "{messages:?}"
    );
    let listed = ecs.list_service_deployments().cluster("c").service("web").send().await.unwrap();
    let statuses: Vec<String> = listed
        .service_deployments()
        .iter()
        .map(|d| d.status().unwrap().as_str().to_owned())
        .collect();
    assert_eq!(statuses, ["ROLLBACK_SUCCESSFUL", "ROLLBACK_REQUESTED", "SUCCESSFUL"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_that_keep_failing_are_throttled() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "crash", container("c", &["sh", "-c", "exit 1"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("crash")
        .task_definition("crash")
        .desired_count(1)
        .send()
        .await
        .unwrap();
    let service = eventually(30, "the throttling event", || async {
        let s = describe(&ecs, "crash").await;
        s.events()
            .iter()
            .any(|e| {
                e.message()
                    == Some("(service crash) is unable to consistently start tasks successfully.")
            })
            .then_some(s)
    })
    .await;
    // While throttled (10 s after the third failure), no new task starts.
    let started = |s: &Service| {
        s.events().iter().filter(|e| e.message().is_some_and(|m| m.contains("has started"))).count()
    };
    let before = started(&service);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(started(&describe(&ecs, "crash").await), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhealthy_tasks_are_replaced() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    let mut sick = container("web", &["httpd"]);
    sick.health_check = Some(
        HealthCheck::builder().command("CMD-SHELL").command("exit 1").interval(5).build().unwrap(),
    );
    register(&ecs, "sick", sick).await;
    ecs.create_service()
        .cluster("c")
        .service_name("sick")
        .task_definition("sick")
        .desired_count(1)
        .send()
        .await
        .unwrap();
    let service = eventually(60, "a health replacement", || async {
        let s = describe(&ecs, "sick").await;
        let replaced = s
            .events()
            .iter()
            .any(|e| e.message().is_some_and(|m| m.ends_with("failed container health checks.")));
        // The replaced task counts once it has stopped.
        (replaced && s.deployments()[0].failed_tasks() >= 1).then_some(s)
    })
    .await;
    assert!(service.deployments()[0].failed_tasks() >= 1);
    let stopped = ecs
        .list_tasks()
        .cluster("c")
        .desired_status(aws_sdk_ecs::types::DesiredStatus::Stopped)
        .send()
        .await
        .unwrap();
    let tasks = ecs
        .describe_tasks()
        .cluster("c")
        .set_tasks(Some(stopped.task_arns().to_vec()))
        .send()
        .await
        .unwrap();
    assert!(
        tasks
            .tasks()
            .iter()
            .any(|t| t.stopped_reason() == Some("Task failed container health checks"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_services_cover_new_instances_and_leave_draining_ones() {
    let (server, ecs, _agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "agentd", container("d", &["httpd"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("agentd")
        .task_definition("agentd")
        .scheduling_strategy(SchedulingStrategy::Daemon)
        .send()
        .await
        .unwrap();
    let service = stable(&ecs, "agentd", 30).await;
    assert_eq!(service.desired_count(), 2);
    let _third = SimAgent::start(&server, "c", "zone-c");
    eventually(30, "a task on the new instance", || async {
        let s = describe(&ecs, "agentd").await;
        (s.desired_count() == 3 && s.running_count() == 3).then_some(())
    })
    .await;
    let instances = ecs
        .list_container_instances()
        .cluster("c")
        .send()
        .await
        .unwrap()
        .container_instance_arns()
        .to_vec();
    ecs.update_container_instances_state()
        .cluster("c")
        .container_instances(&instances[0])
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    eventually(30, "the draining instance to be left", || async {
        let s = describe(&ecs, "agentd").await;
        let on_drained =
            ecs.list_tasks().cluster("c").container_instance(&instances[0]).send().await.unwrap();
        (s.desired_count() == 2 && s.running_count() == 2 && on_drained.task_arns().is_empty())
            .then_some(())
    })
    .await;
    let err = ecs
        .create_service()
        .cluster("c")
        .service_name("bad")
        .task_definition("agentd")
        .scheduling_strategy(SchedulingStrategy::Daemon)
        .placement_strategy(
            aws_sdk_ecs::types::PlacementStrategy::builder().r#type("random".into()).build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draining_moves_service_tasks() {
    let (_server, ecs, _agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(4)
        .deployment_configuration(
            DeploymentConfiguration::builder()
                .minimum_healthy_percent(50)
                .maximum_percent(200)
                .build(),
        )
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    let instances = ecs
        .list_container_instances()
        .cluster("c")
        .send()
        .await
        .unwrap()
        .container_instance_arns()
        .to_vec();
    ecs.update_container_instances_state()
        .cluster("c")
        .container_instances(&instances[0])
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    eventually(60, "all tasks on the other instance", || async {
        let s = describe(&ecs, "web").await;
        let left =
            ecs.list_tasks().cluster("c").container_instance(&instances[0]).send().await.unwrap();
        let moved =
            ecs.list_tasks().cluster("c").container_instance(&instances[1]).send().await.unwrap();
        (left.task_arns().is_empty() && moved.task_arns().len() == 4 && s.running_count() == 4)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_service_stops_its_tasks() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(2)
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    let err = ecs.delete_service().cluster("c").service("web").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs.delete_cluster().cluster("c").send().await.unwrap_err();
    assert_eq!(code(&err), "ClusterContainsContainerInstancesException");
    let deleted =
        ecs.delete_service().cluster("c").service("web").force(true).send().await.unwrap();
    assert_eq!(deleted.service().unwrap().status(), Some("DRAINING"));
    assert!(ecs.list_services().cluster("c").send().await.unwrap().service_arns().is_empty());
    eventually(30, "the service to be INACTIVE", || async {
        let s = describe(&ecs, "web").await;
        (s.status() == Some("INACTIVE")).then_some(())
    })
    .await;
    assert!(ecs.list_tasks().cluster("c").send().await.unwrap().task_arns().is_empty());
    let err =
        ecs.update_service().cluster("c").service("web").desired_count(1).send().await.unwrap_err();
    assert_eq!(code(&err), "ServiceNotActiveException");
    // The name is free again.
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(1)
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_plane_crash_during_a_deployment_adds_no_tasks() {
    let (mut server, ecs, _agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    register(&ecs, "web", container("web", &["httpd", "-v2"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(6)
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    ecs.update_service().cluster("c").service("web").task_definition("web:2").send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.crash_and_restart();
    let ecs = server.ecs();
    let service = stable(&ecs, "web", 60).await;
    assert!(service.task_definition().unwrap().ends_with(":2"));
    let running = ecs.list_tasks().cluster("c").service_name("web").send().await.unwrap();
    assert_eq!(running.task_arns().len(), 6, "exactly the desired count runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_operations_follow_ecs_rules() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    let err = ecs
        .create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "REPLICA needs desiredCount");
    let err = ecs
        .create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("nope")
        .desired_count(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ClientException");
    let make = || {
        ecs.create_service()
            .cluster("c")
            .service_name("web")
            .task_definition("web")
            .desired_count(1)
            .client_token("t-1")
    };
    let first = make().send().await.unwrap();
    let again = make().send().await.unwrap();
    assert_eq!(
        first.service().unwrap().created_at(),
        again.service().unwrap().created_at(),
        "idempotent with the same token"
    );
    let err = ecs
        .create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert!(crate::common::message(&err).contains("not idempotent"));
    for i in 0..11 {
        ecs.create_service()
            .cluster("c")
            .service_name(format!("s{i:02}"))
            .task_definition("web")
            .desired_count(0)
            .send()
            .await
            .unwrap();
    }
    let page = ecs.list_services().cluster("c").send().await.unwrap();
    assert_eq!(page.service_arns().len(), 10, "ListServices returns 10 by default");
    let rest = ecs
        .list_services()
        .cluster("c")
        .next_token(page.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.service_arns().len(), 2);
    let described = ecs
        .describe_services()
        .cluster("c")
        .services("web")
        .services("ghost")
        .send()
        .await
        .unwrap();
    assert_eq!(described.failures()[0].reason(), Some("MISSING"));
    let err = ecs
        .update_service()
        .cluster("c")
        .service("ghost")
        .desired_count(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ServiceNotFoundException");
    let err = ecs
        .update_service()
        .cluster("c")
        .service("web")
        .deployment_configuration(
            DeploymentConfiguration::builder().minimum_healthy_percent(150).build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    // Scaling alone does not start a new deployment.
    let scaled =
        ecs.update_service().cluster("c").service("web").desired_count(3).send().await.unwrap();
    assert_eq!(scaled.service().unwrap().deployments().len(), 1);
    assert_eq!(scaled.service().unwrap().deployments()[0].desired_count(), 3);
    let forced = ecs
        .update_service()
        .cluster("c")
        .service("web")
        .force_new_deployment(true)
        .send()
        .await
        .unwrap();
    assert_eq!(forced.service().unwrap().deployments().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_lists_the_background_workers() {
    // A short retention makes the reaper run every 200 ms.
    let server = Server::start_with_args(&["--stopped-task-retention", "1"]);
    let url = format!("http://127.0.0.1:{}/status", server.port());
    let status = eventually(20, "the workers to have run", || async {
        let body: serde_json::Value = reqwest::get(&url).await.ok()?.json().await.ok()?;
        let workers = body["workers"].as_array()?.clone();
        let runs = |name: &str| {
            workers.iter().find(|w| w["name"] == name).and_then(|w| w["runs"].as_u64())
        };
        (runs("service-scheduler")? > 0 && runs("reaper")? > 0).then_some(workers)
    })
    .await;
    let named = |name: &str| status.iter().find(|w| w["name"] == name).cloned().unwrap();
    for worker in [named("service-scheduler"), named("reaper")] {
        assert_eq!(worker["state"], "running", "{worker}");
        assert_eq!(worker["kind"], "reconciler", "{worker}");
        assert_eq!(worker["errors"], 0, "{worker}");
        assert!(worker["lastRunAt"].as_f64().is_some(), "{worker}");
    }
    // The index follows the store on every replica.
    let index = named("index");
    assert_eq!((&index["state"], &index["kind"]), (&"running".into(), &"housekeeping".into()));
    assert_eq!(index["errors"], 0, "{index}");
    // The load balancer's: one follows its configuration everywhere, one removes drained
    // targets on the leader.
    let (config, drained) = (named("lb-config"), named("lb-drained"));
    assert_eq!(config["kind"], "housekeeping", "{config}");
    assert_eq!(drained["kind"], "reconciler", "{drained}");
    assert_eq!(status.len(), 5, "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forced_deployment_checks_the_definition_against_the_policy_of_now() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("berth.toml");
    std::fs::write(&config, "[clusters.t.containers]\nallow-custom-security-profiles = true\n")
        .unwrap();
    let mut server = Server::start_with_args(&["--config", config.to_str().unwrap()]);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("t").send().await.unwrap();
    let mut c = container("app", &["httpd"]);
    c.docker_security_options = Some(vec!["apparmor=berth-test".to_owned()]);
    register(&ecs, "custom", c).await;
    ecs.create_service()
        .cluster("t")
        .service_name("s")
        .task_definition("custom")
        .desired_count(0)
        .send()
        .await
        .unwrap();
    // The cluster no longer allows custom profiles.
    std::fs::write(&config, "").unwrap();
    server.kill9();
    server.restart();
    let err = ecs
        .update_service()
        .cluster("t")
        .service("s")
        .force_new_deployment(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ClientException");
    let message = crate::common::message(&err);
    assert!(message.contains("(allow-custom-security-profiles)"), "{message}");
    let s = ecs.describe_services().cluster("t").services("s").send().await.unwrap();
    assert_eq!(s.services()[0].deployments().len(), 1, "no new deployment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_tasks_survive_a_scale_in_until_their_protection_ends() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(3)
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    let running = || async {
        let mut arns = ecs
            .list_tasks()
            .cluster("c")
            .service_name("web")
            .send()
            .await
            .unwrap()
            .task_arns()
            .to_vec();
        arns.sort();
        arns
    };
    let all = running().await;
    assert_eq!(all.len(), 3);
    let protected = all[..2].to_vec();
    let out = ecs
        .update_task_protection()
        .cluster("c")
        .set_tasks(Some(protected.clone()))
        .protection_enabled(true)
        .expires_in_minutes(60)
        .send()
        .await
        .unwrap();
    assert_eq!(out.protected_tasks().len(), 2);
    assert!(out.protected_tasks().iter().all(|t| t.protection_enabled()));
    // Down to one: only the unprotected task can go.
    ecs.update_service().cluster("c").service("web").desired_count(1).send().await.unwrap();
    eventually(30, "the unprotected task to stop", || async {
        (running().await == protected).then_some(())
    })
    .await;
    eventually(10, "the service to say why", || async {
        let s = describe(&ecs, "web").await;
        s.events()
            .iter()
            .any(|e| e.message().unwrap_or("").contains("1 tasks under protection"))
            .then_some(())
    })
    .await;
    // Still two a few passes later.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(running().await, protected);
    let got = ecs
        .get_task_protection()
        .cluster("c")
        .set_tasks(Some(protected.clone()))
        .send()
        .await
        .unwrap();
    assert!(got.protected_tasks().iter().all(|t| t.protection_enabled()));
    // Protection off: the scale-in finishes.
    ecs.update_task_protection()
        .cluster("c")
        .set_tasks(Some(protected))
        .protection_enabled(false)
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    assert_eq!(running().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_deployment_rolls_back_and_revisions_describe_each_deployment() {
    let (_server, ecs, _agents) = setup(&["zone-a"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    // Never healthy, and without a circuit breaker nothing stops the deployment on its own.
    register(&ecs, "web", container("web", &["sh", "-c", "exit 1"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(2)
        .send()
        .await
        .unwrap();
    stable(&ecs, "web", 30).await;
    let deployments = || async {
        ecs.list_service_deployments()
            .cluster("c")
            .service("web")
            .send()
            .await
            .unwrap()
            .service_deployments()
            .to_vec()
    };
    let first = deployments().await;
    assert_eq!(first.len(), 1);
    // The first deployment is not in progress any more: nothing to stop.
    let err = ecs
        .stop_service_deployment()
        .service_deployment_arn(first[0].service_deployment_arn().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ConflictException");
    ecs.update_service().cluster("c").service("web").task_definition("web:2").send().await.unwrap();
    let ongoing = deployments().await;
    let ongoing = ongoing[0].service_deployment_arn().unwrap().to_owned();
    let err = ecs
        .stop_service_deployment()
        .service_deployment_arn(&ongoing)
        .stop_type(aws_sdk_ecs::types::StopServiceDeploymentStopType::Abort)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnsupportedFeatureException");
    let stopped =
        ecs.stop_service_deployment().service_deployment_arn(&ongoing).send().await.unwrap();
    assert_eq!(stopped.service_deployment_arn(), Some(ongoing.as_str()));
    let service = eventually(60, "the rollback to finish", || async {
        let s = describe(&ecs, "web").await;
        let completed = s.deployments().first().and_then(|d| d.rollout_state()).map(|r| r.as_str())
            == Some("COMPLETED");
        (s.deployments().len() == 1 && s.running_count() == 2 && completed).then_some(s)
    })
    .await;
    assert!(service.task_definition().unwrap().ends_with("task-definition/web:1"));
    let statuses: Vec<String> =
        deployments().await.iter().map(|d| d.status().unwrap().as_str().to_owned()).collect();
    assert_eq!(statuses, ["ROLLBACK_SUCCESSFUL", "ROLLBACK_REQUESTED", "SUCCESSFUL"]);
    // Each deployment's revision: what it ran.
    let revisions: Vec<String> = deployments()
        .await
        .iter()
        .map(|d| d.target_service_revision_arn().unwrap().to_owned())
        .collect();
    let described = ecs
        .describe_service_revisions()
        .set_service_revision_arns(Some(revisions.clone()))
        .service_revision_arns("arn:aws:ecs:us-east-1:000000000000:service-revision/c/web/1")
        .send()
        .await
        .unwrap();
    let definitions: Vec<&str> = described
        .service_revisions()
        .iter()
        .map(|r| r.task_definition().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(definitions, ["web:1", "web:2", "web:1"]);
    assert_eq!(
        described.service_revisions()[1].container_images()[0].image(),
        Some("berth-test/busybox:1")
    );
    assert_eq!(described.failures().len(), 1);
    assert_eq!(described.failures()[0].reason(), Some("MISSING"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_external_tool_moves_a_service_between_task_sets() {
    use aws_sdk_ecs::types::{DeploymentController, DeploymentControllerType, Scale, ScaleUnit};
    let (_server, ecs, _agents) = setup(&["zone-a", "zone-b"]).await;
    register(&ecs, "web", container("web", &["httpd"])).await;
    register(&ecs, "web", container("web", &["httpd", "-v2"])).await;
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .desired_count(4)
        .deployment_controller(
            DeploymentController::builder()
                .r#type(DeploymentControllerType::External)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let scale = |percent: f64| Scale::builder().value(percent).unit(ScaleUnit::Percent).build();
    let blue = ecs
        .create_task_set()
        .cluster("c")
        .service("web")
        .task_definition("web:1")
        .external_id("blue")
        .scale(scale(100.0))
        .send()
        .await
        .unwrap()
        .task_set()
        .unwrap()
        .clone();
    assert_eq!(blue.status(), Some("PRIMARY"));
    assert_eq!(blue.computed_desired_count(), 4);
    let green = ecs
        .create_task_set()
        .cluster("c")
        .service("web")
        .task_definition("web:2")
        .external_id("green")
        .scale(scale(0.0))
        .send()
        .await
        .unwrap()
        .task_set()
        .unwrap()
        .clone();
    assert_eq!(green.status(), Some("ACTIVE"));
    // Running tasks per task set, as DescribeTaskSets counts them and as ListTasks finds them.
    let counts = || async {
        let sets = ecs
            .describe_task_sets()
            .cluster("c")
            .service("web")
            .send()
            .await
            .unwrap()
            .task_sets()
            .to_vec();
        let by_id: BTreeMap<String, (i32, i32, String)> = sets
            .iter()
            .map(|s| {
                (
                    s.external_id().unwrap().to_owned(),
                    (s.running_count(), s.computed_desired_count(), s.status().unwrap().to_owned()),
                )
            })
            .collect();
        by_id
    };
    let settled = |blue: i32, green: i32| {
        let counts = &counts;
        async move {
            eventually(30, &format!("blue {blue} and green {green}"), || async {
                let c = counts().await;
                (c.get("blue").map(|v| v.0) == Some(blue)
                    && c.get("green").map(|v| v.0) == Some(green))
                .then_some(c)
            })
            .await
        }
    };
    settled(4, 0).await;
    assert_eq!(describe(&ecs, "web").await.running_count(), 4);
    // Half and half.
    for (set, percent) in [(&green, 50.0), (&blue, 50.0)] {
        ecs.update_task_set()
            .cluster("c")
            .service("web")
            .task_set(set.task_set_arn().unwrap())
            .scale(scale(percent))
            .send()
            .await
            .unwrap();
    }
    let c = settled(2, 2).await;
    assert_eq!((c["blue"].1, c["green"].1), (2, 2));
    let tasks = ecs.list_tasks().cluster("c").service_name("web").send().await.unwrap();
    assert_eq!(tasks.task_arns().len(), 4);
    // Green becomes the primary; blue is scaled away and deleted.
    let primary = ecs
        .update_service_primary_task_set()
        .cluster("c")
        .service("web")
        .primary_task_set(green.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(primary.task_set().unwrap().status(), Some("PRIMARY"));
    let service = describe(&ecs, "web").await;
    assert!(service.task_definition().unwrap().ends_with("web:2"), "{service:?}");
    let err = ecs
        .delete_task_set()
        .cluster("c")
        .service("web")
        .task_set(blue.id().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    ecs.update_task_set()
        .cluster("c")
        .service("web")
        .task_set(green.id().unwrap())
        .scale(scale(100.0))
        .send()
        .await
        .unwrap();
    ecs.delete_task_set()
        .cluster("c")
        .service("web")
        .task_set(blue.id().unwrap())
        .force(true)
        .send()
        .await
        .unwrap();
    eventually(30, "blue to be gone and green to run 4", || async {
        let c = counts().await;
        (c.len() == 1 && c.get("green").map(|v| v.0) == Some(4)).then_some(())
    })
    .await;
    let tasks = ecs.list_tasks().cluster("c").service_name("web").send().await.unwrap();
    assert_eq!(tasks.task_arns().len(), 4);
    // Task sets are only for EXTERNAL services.
    ecs.create_service()
        .cluster("c")
        .service_name("plain")
        .task_definition("web:1")
        .desired_count(0)
        .send()
        .await
        .unwrap();
    let err = ecs
        .create_task_set()
        .cluster("c")
        .service("plain")
        .task_definition("web:1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

/// An EC2 query call to a server without access control; the XML answer.
pub(crate) async fn ec2(server: &Server, form: &str) -> String {
    let response = reqwest::Client::new()
        .post(&server.endpoint)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{form}&Version=2016-11-15"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    response.text().await.unwrap()
}

/// The text of each `<tag>` of an XML answer, in order.
pub(crate) fn all(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    xml.match_indices(&open)
        .map(|(i, _)| {
            let start = i + open.len();
            xml[start..start + xml[start..].find('<').unwrap()].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn an_awsvpc_service_runs_in_its_subnets_zones_and_moves_with_its_network() {
    // SIMULATED agents: what is checked here is the control plane's part (zones, addresses,
    // attachments, deployments); the interfaces themselves are tested on Docker.
    let server = Server::start_with_args(&["--no-auth", "--task-settle-time", "1"]);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let _agents: Vec<SimAgent> =
        ["zone-a", "zone-b"].iter().map(|z| SimAgent::start(&server, "c", z)).collect();
    eventually(10, "the instances", || async {
        let out = ecs.list_container_instances().cluster("c").send().await.unwrap();
        (out.container_instance_arns().len() == 2).then_some(())
    })
    .await;
    let subnet_of = |zone: &'static str| {
        let server = &server;
        async move {
            let xml = ec2(
                server,
                &format!(
                    "Action=DescribeSubnets&Filter.1.Name=availability-zone&Filter.1.Value.1={zone}"
                ),
            )
            .await;
            (all(&xml, "subnetId")[0].clone(), all(&xml, "cidrBlock")[0].clone())
        }
    };
    let (subnet_a, cidr_a) = subnet_of("zone-a").await;
    let (subnet_b, cidr_b) = subnet_of("zone-b").await;
    assert_ne!(cidr_a, cidr_b);
    ecs.register_task_definition()
        .family("vpc")
        .network_mode(aws_sdk_ecs::types::NetworkMode::Awsvpc)
        .container_definitions(container("web", &["httpd"]))
        .send()
        .await
        .unwrap();
    let network = |subnet: &str| {
        aws_sdk_ecs::types::NetworkConfiguration::builder()
            .awsvpc_configuration(
                aws_sdk_ecs::types::AwsVpcConfiguration::builder().subnets(subnet).build().unwrap(),
            )
            .build()
    };
    ecs.create_service()
        .cluster("c")
        .service_name("vpc")
        .task_definition("vpc")
        .desired_count(4)
        .network_configuration(network(&subnet_a))
        .send()
        .await
        .unwrap();
    stable(&ecs, "vpc", 30).await;
    let check = |want_zone: &'static str, want_prefix: String| {
        let ecs = ecs.clone();
        async move {
            let arns = ecs.list_tasks().cluster("c").service_name("vpc").send().await.unwrap();
            let tasks = ecs
                .describe_tasks()
                .cluster("c")
                .set_tasks(Some(arns.task_arns().to_vec()))
                .send()
                .await
                .unwrap();
            let mut addresses = Vec::new();
            for task in tasks.tasks() {
                assert_eq!(task.availability_zone(), Some(want_zone));
                let attachment = &task.attachments()[0];
                assert_eq!(attachment.status(), Some("ATTACHED"));
                let address = attachment
                    .details()
                    .iter()
                    .find(|d| d.name() == Some("privateIPv4Address"))
                    .and_then(|d| d.value())
                    .unwrap()
                    .to_owned();
                assert!(address.starts_with(&want_prefix), "{address} not in {want_prefix}");
                addresses.push(address);
            }
            let count = addresses.len();
            addresses.sort();
            addresses.dedup();
            assert_eq!(addresses.len(), count, "an address given twice");
            count
        }
    };
    let prefix = |cidr: &str| cidr.split('.').take(3).collect::<Vec<_>>().join(".");
    assert_eq!(check("zone-a", prefix(&cidr_a)).await, 4);

    // Another subnet is another deployment: the tasks move to its zone.
    ecs.update_service()
        .cluster("c")
        .service("vpc")
        .network_configuration(network(&subnet_b))
        .send()
        .await
        .unwrap();
    stable(&ecs, "vpc", 60).await;
    assert_eq!(check("zone-b", prefix(&cidr_b)).await, 4);

    // Scaled to zero, every address is free again once the tasks are STOPPED.
    ecs.update_service().cluster("c").service("vpc").desired_count(0).send().await.unwrap();
    eventually(30, "every address to be free", || async {
        let xml = ec2(&server, "Action=DescribeSubnets").await;
        let free: Vec<u64> =
            all(&xml, "availableIpAddressCount").iter().map(|n| n.parse().unwrap()).collect();
        // Two /20s: 4,091 usable each.
        (free == [4091, 4091]).then_some(())
    })
    .await;
}
