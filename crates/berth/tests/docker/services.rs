//! Services on real Docker with two (then three) `berth agent` processes sharing the Docker
//! Engine, each its own container instance in its own availability zone.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

use aws_sdk_ecs::types::{
    ContainerDefinition, ContainerInstanceStatus, DeploymentCircuitBreaker,
    DeploymentConfiguration, SchedulingStrategy, Service,
};

use crate::common::{Server, eventually};
use crate::support::{AgentProcess, IMAGE, TestCluster};

fn container(command: &str) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name("main")
        .image(IMAGE)
        .memory(32)
        .command("sh")
        .command("-c")
        .command(command)
        .build()
}

async fn register(ecs: &aws_sdk_ecs::Client, family: &str, command: &str) {
    ecs.register_task_definition()
        .family(family)
        .container_definitions(container(command))
        .send()
        .await
        .unwrap();
}

async fn describe(ecs: &aws_sdk_ecs::Client, cluster: &str, name: &str) -> Service {
    let out = ecs.describe_services().cluster(cluster).services(name).send().await.unwrap();
    out.services()[0].clone()
}

fn completed(s: &Service) -> bool {
    s.deployments().len() == 1
        && s.running_count() == s.desired_count()
        && s.deployments()[0].rollout_state().map(|r| r.as_str()) == Some("COMPLETED")
}

async fn wait_completed(
    ecs: &aws_sdk_ecs::Client,
    cluster: &str,
    name: &str,
    seconds: u64,
) -> Service {
    eventually(seconds, &format!("service {name} to complete"), || async {
        let s = describe(ecs, cluster, name).await;
        completed(&s).then_some(s)
    })
    .await
}

async fn setup(
    prefix: &str,
    zones: &[&str],
) -> (Server, TestCluster, Vec<AgentProcess>, aws_sdk_ecs::Client) {
    let server = Server::start_with_args(&["--task-settle-time", "1"]);
    let cluster = TestCluster::new(prefix);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    let agents: Vec<AgentProcess> =
        zones.iter().map(|z| AgentProcess::start(&server, &cluster.name, z)).collect();
    let n = agents.len();
    eventually(30, "the agents to register", || async {
        let out = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
        (out.container_instance_arns().len() == n).then_some(())
    })
    .await;
    (server, cluster, agents, ecs)
}

/// RUNNING tasks of a service per availability zone.
async fn zones(ecs: &aws_sdk_ecs::Client, cluster: &str, service: &str) -> BTreeMap<String, usize> {
    let arns = ecs
        .list_tasks()
        .cluster(cluster)
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
    let tasks = ecs.describe_tasks().cluster(cluster).set_tasks(Some(arns)).send().await.unwrap();
    for t in tasks.tasks().iter().filter(|t| t.last_status() == Some("RUNNING")) {
        *zones.entry(t.availability_zone().unwrap_or("").to_owned()).or_default() += 1;
    }
    zones
}

/// Running Docker containers of the test cluster.
fn containers(cluster: &str) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-q", "--filter", &format!("label=berth.cluster={cluster}")])
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&out.stdout).split_whitespace().map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_spreads_recovers_and_rolls_out() {
    let (server, cluster, _agents, ecs) = setup("svc", &["zone-a", "zone-b"]).await;
    let c = cluster.name.as_str();
    register(&ecs, "web", "exec httpd -f -p 8080").await;
    register(&ecs, "web", "echo v2; exec httpd -f -p 8080").await;
    ecs.create_service()
        .cluster(c)
        .service_name("web")
        .task_definition("web:1")
        .desired_count(6)
        .send()
        .await
        .unwrap();

    // The real AWS CLI's waiter returns once the service is stable.
    let waited = tokio::task::spawn_blocking({
        let endpoint = server.endpoint.clone();
        let c = c.to_owned();
        move || {
            Command::new(crate::support::aws())
                .args([
                    "ecs",
                    "wait",
                    "services-stable",
                    "--cluster",
                    &c,
                    "--services",
                    "web",
                    "--endpoint-url",
                    &endpoint,
                ])
                .env("AWS_ACCESS_KEY_ID", crate::common::ADMIN_KEY)
                .env("AWS_SECRET_ACCESS_KEY", crate::common::ADMIN_SECRET)
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .output()
                .expect("running the AWS CLI")
        }
    })
    .await
    .unwrap();
    assert!(
        waited.status.success(),
        "aws ecs wait services-stable: {}",
        String::from_utf8_lossy(&waited.stderr)
    );
    wait_completed(&ecs, c, "web", 60).await;
    assert_eq!(
        zones(&ecs, c, "web").await,
        BTreeMap::from([("zone-a".to_owned(), 3), ("zone-b".to_owned(), 3)])
    );
    assert_eq!(containers(c).len(), 6);

    // Killing a task's container gets the task replaced.
    let victim = containers(c)[0].clone();
    assert!(Command::new("docker").args(["kill", &victim]).status().unwrap().success());
    eventually(60, "the replacement", || async {
        let s = describe(&ecs, c, "web").await;
        let running = containers(c);
        (s.running_count() == 6 && running.len() == 6 && !running.contains(&victim)).then_some(())
    })
    .await;

    // A new revision rolls out within 100%..200% and the old deployment disappears.
    ecs.update_service().cluster(c).service("web").task_definition("web:2").send().await.unwrap();
    let mut max_live = 0;
    let mut min_running = usize::MAX;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let s = describe(&ecs, c, "web").await;
        max_live = max_live.max((s.running_count() + s.pending_count()) as usize);
        min_running = min_running.min(s.running_count() as usize);
        if completed(&s) && s.task_definition().unwrap().ends_with(":2") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the rollout did not finish: {:?}",
            s.deployments()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(max_live <= 12, "{max_live} live tasks: maximumPercent 200 allows 12");
    assert!(min_running >= 6, "{min_running} running tasks: minimumHealthyPercent 100 needs 6");
    eventually(30, "only the new tasks' containers", || async {
        (containers(c).len() == 6).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_circuit_breaker_rolls_back_on_docker() {
    let (_server, cluster, _agents, ecs) = setup("breaker", &["zone-a", "zone-b"]).await;
    let c = cluster.name.as_str();
    register(&ecs, "web", "exec httpd -f -p 8080").await;
    register(&ecs, "web", "exit 1").await;
    ecs.create_service()
        .cluster(c)
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
    wait_completed(&ecs, c, "web", 60).await;
    ecs.update_service().cluster(c).service("web").task_definition("web:2").send().await.unwrap();
    let service = eventually(120, "the rollback to complete", || async {
        let s = describe(&ecs, c, "web").await;
        let rolled = s
            .events()
            .iter()
            .any(|e| e.message().is_some_and(|m| m.contains("rolling back to deployment")));
        (rolled && completed(&s)).then_some(s)
    })
    .await;
    assert!(service.task_definition().unwrap().ends_with(":1"));
    assert!(service.events().iter().any(|e| {
        e.message().is_some_and(|m| m.contains("deployment failed: tasks failed to start."))
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemons_cover_new_agents_and_draining_moves_tasks() {
    let (server, cluster, mut agents, ecs) = setup("daemon", &["zone-a", "zone-b"]).await;
    let c = cluster.name.as_str();
    register(&ecs, "daemon", "exec sleep 3600").await;
    register(&ecs, "web", "exec httpd -f -p 8080").await;
    ecs.create_service()
        .cluster(c)
        .service_name("daemon")
        .task_definition("daemon")
        .scheduling_strategy(SchedulingStrategy::Daemon)
        .send()
        .await
        .unwrap();
    ecs.create_service()
        .cluster(c)
        .service_name("web")
        .task_definition("web")
        .desired_count(2)
        .deployment_configuration(
            DeploymentConfiguration::builder()
                .minimum_healthy_percent(50)
                .maximum_percent(200)
                .build(),
        )
        .send()
        .await
        .unwrap();
    wait_completed(&ecs, c, "daemon", 60).await;
    wait_completed(&ecs, c, "web", 60).await;

    agents.push(AgentProcess::start(&server, c, "zone-c"));
    eventually(60, "a daemon task on the new agent", || async {
        let s = describe(&ecs, c, "daemon").await;
        (s.desired_count() == 3 && completed(&s)).then_some(())
    })
    .await;

    // Drain the instance of one web task: it moves, and the daemon leaves the instance.
    let web = ecs.list_tasks().cluster(c).service_name("web").send().await.unwrap();
    let task = ecs.describe_tasks().cluster(c).tasks(&web.task_arns()[0]).send().await.unwrap();
    let instance = task.tasks()[0].container_instance_arn().unwrap().to_owned();
    ecs.update_container_instances_state()
        .cluster(c)
        .container_instances(&instance)
        .status(ContainerInstanceStatus::Draining)
        .send()
        .await
        .unwrap();
    eventually(90, "the draining instance to be empty", || async {
        let left = ecs.list_tasks().cluster(c).container_instance(&instance).send().await.unwrap();
        let web = describe(&ecs, c, "web").await;
        let daemon = describe(&ecs, c, "daemon").await;
        (left.task_arns().is_empty() && web.running_count() == 2 && daemon.running_count() == 2)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_plane_crash_mid_deployment_finishes_cleanly() {
    let (mut server, cluster, _agents, ecs) = setup("crash", &["zone-a", "zone-b"]).await;
    let c = cluster.name.clone();
    register(&ecs, "web", "exec httpd -f -p 8080").await;
    register(&ecs, "web", "echo v2; exec httpd -f -p 8080").await;
    ecs.create_service()
        .cluster(&c)
        .service_name("web")
        .task_definition("web:1")
        .desired_count(4)
        .send()
        .await
        .unwrap();
    wait_completed(&ecs, &c, "web", 60).await;
    ecs.update_service().cluster(&c).service("web").task_definition("web:2").send().await.unwrap();
    // Mid-deployment: some new tasks are placed, old ones still run.
    eventually(60, "the deployment to be under way", || async {
        let s = describe(&ecs, &c, "web").await;
        (s.deployments().len() == 2
            && s.deployments()[0].running_count() + s.deployments()[0].pending_count() > 0)
            .then_some(())
    })
    .await;
    server.crash_and_restart();
    let ecs = server.ecs();
    let service = wait_completed(&ecs, &c, "web", 120).await;
    assert!(service.task_definition().unwrap().ends_with(":2"));
    let listed = ecs.list_tasks().cluster(&c).service_name("web").send().await.unwrap();
    assert_eq!(listed.task_arns().len(), 4, "exactly the desired count");
    eventually(30, "exactly four containers", || async {
        (containers(&c).len() == 4).then_some(())
    })
    .await;
}

/// The replacement storm of the default deployment configuration (100%/200%): a task whose
/// health check always fails is replaced one at a time, at the pace of its health checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unhealthy_task_is_replaced_one_at_a_time_on_docker() {
    use aws_sdk_ecs::types::{DesiredStatus, HealthCheck};
    let (_server, cluster, _agents, ecs) = setup("sick", &["zone-a"]).await;
    let c = cluster.name.as_str();
    let mut main = container("exec sleep 3600");
    main.health_check = Some(
        HealthCheck::builder()
            .command("CMD-SHELL")
            .command("exit 1")
            .interval(5)
            .retries(2)
            .build()
            .unwrap(),
    );
    ecs.register_task_definition().family("sick").container_definitions(main).send().await.unwrap();
    ecs.create_service()
        .cluster(c)
        .service_name("sick")
        .task_definition("sick")
        .desired_count(1)
        .send()
        .await
        .unwrap();

    // Watch for a minute: every task ever seen, and the most wanted running at once.
    let mut seen = std::collections::BTreeSet::new();
    let mut most_live = 0;
    let began = std::time::Instant::now();
    while began.elapsed() < Duration::from_secs(60) {
        let live = ecs.list_tasks().cluster(c).service_name("sick").send().await.unwrap();
        most_live = most_live.max(live.task_arns().len());
        seen.extend(live.task_arns().iter().cloned());
        let stopped = ecs
            .list_tasks()
            .cluster(c)
            .service_name("sick")
            .desired_status(DesiredStatus::Stopped)
            .send()
            .await
            .unwrap();
        seen.extend(stopped.task_arns().iter().cloned());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Each task turns unhealthy after two failed checks five seconds apart, so a minute holds
    // at most about six replacements; the storm started hundreds.
    assert!(seen.len() >= 3, "the unhealthy task is replaced: {} tasks", seen.len());
    assert!(seen.len() <= 9, "{} tasks started in a minute", seen.len());
    assert!(most_live <= 2, "{most_live} tasks wanted running at once");

    let arns: Vec<String> = seen.iter().cloned().collect();
    let mut stopped_for_health = 0;
    for chunk in arns.chunks(100) {
        let out = ecs.describe_tasks().cluster(c).set_tasks(Some(chunk.to_vec())).send().await;
        for task in out.unwrap().tasks() {
            if task.desired_status() != Some("STOPPED") {
                continue;
            }
            let reason = task.stopped_reason().unwrap_or_default();
            assert_eq!(reason, "Task failed container health checks", "{task:?}");
            if let (Some(started), Some(stopping)) = (task.started_at(), task.stopping_at()) {
                assert!(stopping.secs() >= started.secs(), "stopped before it started: {task:?}");
            }
            stopped_for_health += 1;
        }
    }
    assert!(stopped_for_health >= 1);
    let service = describe(&ecs, c, "sick").await;
    let events: Vec<&str> = service.events().iter().filter_map(|e| e.message()).collect();
    assert!(events.iter().any(|e| e.contains(") failed container health checks.")), "{events:#?}");
    assert!(events.iter().any(|e| e.contains("has started 1 tasks: (task ")), "{events:#?}");
    assert!(!events.iter().any(|e| e.contains("throttled")), "{events:#?}");
}
