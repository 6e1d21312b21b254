//! Fargate against a real server, on SIMULATED pool hosts (the control plane's part: the
//! capacity provider strategy, Spot reclaims, metering; real containers are tested in
//! `tests/docker/fargate.rs`): a service of 9 tasks with `FARGATE` base 1 weight 1 and
//! `FARGATE_SPOT` weight 3 runs 3 on `FARGATE` and 6 on Spot; reclaiming the Spot host
//! interrupts those 6 (`SpotInterruption`) and the service replaces them on Spot; the usage
//! report reads the same after a `kill -9` of the control plane.

use aws_sdk_ecs::types::{
    AwsVpcConfiguration, CapacityProviderStrategyItem, Compatibility, ContainerDefinition,
    DesiredStatus, NetworkConfiguration, NetworkMode, TaskStopCode,
};
use serde_json::json;

use crate::common::{Server, SimAgent, eventually};

/// A simulated pool host of `provider`.
fn pool_host(server: &Server, provider: &str) -> SimAgent {
    let runtime = agent::sim::SimRuntime::new(agent::sim::SimOptions::default());
    let dir = tempfile::tempdir().unwrap();
    SimAgent::start_configured(server, server::FARGATE_POOL, "zone-a", runtime, dir, |config| {
        config.attributes.push((server::PROVIDER_ATTRIBUTE.to_owned(), Some(provider.to_owned())));
    })
}

fn item(provider: &str, base: i32, weight: i32) -> CapacityProviderStrategyItem {
    CapacityProviderStrategyItem::builder()
        .capacity_provider(provider)
        .base(base)
        .weight(weight)
        .build()
        .unwrap()
}

/// The service's tasks that are not stopping, by capacity provider: (FARGATE, FARGATE_SPOT).
async fn by_provider(ecs: &aws_sdk_ecs::Client) -> (usize, usize, Vec<aws_sdk_ecs::types::Task>) {
    let arns = ecs
        .list_tasks()
        .cluster("c")
        .service_name("web")
        .desired_status(DesiredStatus::Running)
        .send()
        .await
        .unwrap()
        .task_arns()
        .to_vec();
    if arns.is_empty() {
        return (0, 0, Vec::new());
    }
    let tasks = ecs
        .describe_tasks()
        .cluster("c")
        .set_tasks(Some(arns))
        .send()
        .await
        .unwrap()
        .tasks()
        .to_vec();
    let running: Vec<_> =
        tasks.into_iter().filter(|t| t.last_status() == Some("RUNNING")).collect();
    let on = |p: &str| running.iter().filter(|t| t.capacity_provider_name() == Some(p)).count();
    (on("FARGATE"), on("FARGATE_SPOT"), running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spot_service_rides_out_a_reclaim_and_its_usage_survives_a_crash() {
    let mut server = Server::start_with_args(&["--no-auth", "--task-settle-time", "1"]);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("c").send().await.unwrap();
    let put = ecs
        .put_cluster_capacity_providers()
        .cluster("c")
        .capacity_providers("FARGATE")
        .capacity_providers("FARGATE_SPOT")
        .default_capacity_provider_strategy(item("FARGATE", 0, 1))
        .send()
        .await
        .unwrap();
    let cluster = put.cluster().unwrap();
    assert_eq!(cluster.capacity_providers(), ["FARGATE", "FARGATE_SPOT"]);
    assert_eq!(cluster.default_capacity_provider_strategy()[0].capacity_provider(), "FARGATE");
    let _on_demand = pool_host(&server, "FARGATE");
    let _spot = pool_host(&server, "FARGATE_SPOT");
    let subnet = eventually(10, "the pool hosts' subnet", || async {
        let xml = crate::services::ec2(&server, "Action=DescribeSubnets").await;
        crate::services::all(&xml, "subnetId").first().cloned()
    })
    .await;
    ecs.register_task_definition()
        .family("web")
        .requires_compatibilities(Compatibility::Fargate)
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .container_definitions(
            ContainerDefinition::builder().name("app").image("busybox").command("httpd").build(),
        )
        .send()
        .await
        .unwrap();
    let network = NetworkConfiguration::builder()
        .awsvpc_configuration(AwsVpcConfiguration::builder().subnets(&subnet).build().unwrap())
        .build();
    ecs.create_service()
        .cluster("c")
        .service_name("web")
        .task_definition("web")
        .desired_count(9)
        .capacity_provider_strategy(item("FARGATE", 1, 1))
        .capacity_provider_strategy(item("FARGATE_SPOT", 0, 3))
        .network_configuration(network)
        .send()
        .await
        .unwrap();
    let (_, _, before) = eventually(30, "3 tasks on FARGATE and 6 on Spot", || async {
        let counts = by_provider(&ecs).await;
        ((counts.0, counts.1) == (3, 6)).then_some(counts)
    })
    .await;

    // The Spot host is taken back: its six tasks are interrupted and replaced on Spot.
    // With the operator's command, `berth reclaim-spot`.
    let reclaimed = std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["reclaim-spot", "--endpoint", &server.endpoint, "--hosts", "1"])
        .env("AWS_ACCESS_KEY_ID", "any")
        .env("AWS_SECRET_ACCESS_KEY", "any")
        .output()
        .unwrap();
    let printed = String::from_utf8(reclaimed.stdout).unwrap();
    assert!(reclaimed.status.success(), "{}", String::from_utf8_lossy(&reclaimed.stderr));
    assert!(printed.starts_with("6 Spot task(s) interrupted"), "{printed}");
    let interrupted: Vec<String> = printed.lines().skip(1).map(|l| l.trim().to_owned()).collect();
    let spot_before: Vec<String> = before
        .iter()
        .filter(|t| t.capacity_provider_name() == Some("FARGATE_SPOT"))
        .map(|t| t.task_arn().unwrap().to_owned())
        .collect();
    assert_eq!(interrupted.len(), 6);
    assert!(interrupted.iter().all(|t| spot_before.contains(t)), "only the Spot tasks");
    let stopped = eventually(30, "the interrupted tasks to stop", || async {
        let out = ecs
            .describe_tasks()
            .cluster("c")
            .set_tasks(Some(interrupted.clone()))
            .send()
            .await
            .unwrap();
        out.tasks().iter().all(|t| t.last_status() == Some("STOPPED")).then(|| out.tasks().to_vec())
    })
    .await;
    for task in &stopped {
        assert_eq!(task.stop_code(), Some(&TaskStopCode::SpotInterruption));
        assert_eq!(task.stopped_reason(), Some("Your Spot Task was interrupted."));
    }
    eventually(30, "the service to replace them on Spot", || async {
        let (on_demand, spot, running) = by_provider(&ecs).await;
        let replaced =
            running.iter().all(|t| !interrupted.iter().any(|i| Some(i.as_str()) == t.task_arn()));
        ((on_demand, spot) == (3, 6) && replaced).then_some(())
    })
    .await;

    // Usage up to now, by service, reads the same after the control plane is killed.
    let until =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    let query = json!({"groupBy": "SERVICE", "endTime": until});
    let usage = server.raw().berth("GetFargateUsage", query.clone()).await;
    assert_eq!(usage.status, 200, "{:?}", usage.body);
    let group = &usage.body["groups"][0];
    assert_eq!(group["key"], "c/web");
    assert_eq!(group["tasks"], 15, "9 running and 6 interrupted: {group}");
    assert!(group["vcpuSeconds"].as_f64().unwrap() > 0.0);
    assert!(group["spotVcpuSeconds"].as_f64().unwrap() > 0.0);
    server.kill9();
    server.restart();
    let again = eventually(10, "the restarted server", || async {
        let reply = server.raw().berth("GetFargateUsage", query.clone()).await;
        (reply.status == 200).then_some(reply)
    })
    .await;
    assert_eq!(again.body, usage.body, "usage before and after kill -9");
    // `berth usage` shows the same, as a table and as JSON.
    let cli = |output: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_berth"))
            .args(["usage", "--endpoint", &server.endpoint, "--group-by", "SERVICE"])
            .args(["--output", output])
            .env("AWS_ACCESS_KEY_ID", "any")
            .env("AWS_SECRET_ACCESS_KEY", "any")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let table = cli("table");
    assert!(table.lines().any(|l| l.starts_with("c/web") && l.contains(" 15 ")), "{table}");
    let json: serde_json::Value = serde_json::from_str(&cli("json")).unwrap();
    assert_eq!(json["groups"][0]["key"], "c/web");
}
