//! The SIMULATED fleet (what `berth sim` and the benchmarks run) against a real server: real
//! agents on in-memory container runtimes register varied container instances, run the tasks
//! the control plane places on them, and report containers that crash. What these tasks show
//! is control-plane behaviour; real containers are tested in `tests/docker/`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use aws_sdk_ecs::types::{
    ContainerDefinition, ContainerInstance, PlacementStrategy, PlacementStrategyType, TaskStopCode,
};

use crate::common::{Server, eventually};

#[allow(dead_code, unreachable_pub)]
#[path = "../../src/sim.rs"]
mod fleet;

use fleet::{Fleet, FleetOptions, InstanceShape, SIMULATED_ATTRIBUTE};

/// Every container instance of `cluster`, described.
async fn instances(ecs: &aws_sdk_ecs::Client, cluster: &str) -> Vec<ContainerInstance> {
    let mut arns = Vec::new();
    let mut token = None;
    loop {
        let page = ecs
            .list_container_instances()
            .cluster(cluster)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        arns.extend(page.container_instance_arns().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let mut described = Vec::new();
    for chunk in arns.chunks(100) {
        let out = ecs
            .describe_container_instances()
            .cluster(cluster)
            .set_container_instances(Some(chunk.to_vec()))
            .send()
            .await
            .unwrap();
        described.extend(out.container_instances().iter().cloned());
    }
    described
}

fn attribute<'a>(instance: &'a ContainerInstance, name: &str) -> Option<&'a str> {
    instance.attributes().iter().find(|a| a.name() == name).and_then(|a| a.value())
}

fn registered(instance: &ContainerInstance, name: &str) -> i32 {
    instance
        .registered_resources()
        .iter()
        .find(|r| r.name() == Some(name))
        .map_or(0, |r| r.integer_value())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_registers_varied_instances_runs_tasks_and_reports_crashes() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("sim").send().await.unwrap();
    let (starts_tx, mut starts) = tokio::sync::mpsc::unbounded_channel();
    let mut options = FleetOptions::new(&server.endpoint, "sim", &server.agent_token("sim"), 48);
    options.poll_wait = Duration::from_secs(2);
    options.cleanup_wait = Duration::from_millis(100);
    options.stop_timeout = Duration::from_secs(2);
    options.concurrent_registrations = 8;
    options.starts = Some(starts_tx);
    let fleet = Fleet::start(options).unwrap();
    fleet.wait_registered().await.unwrap();
    assert_eq!(fleet.registered(), 48);

    // Every agent is its own container instance, with its zone, type and resources.
    let described = instances(&ecs, "sim").await;
    assert_eq!(described.len(), 48);
    let by_arn: BTreeMap<&str, &ContainerInstance> =
        described.iter().map(|ci| (ci.container_instance_arn().unwrap(), ci)).collect();
    let shapes: BTreeMap<String, InstanceShape> =
        InstanceShape::mix().into_iter().map(|s| (s.instance_type.clone(), s)).collect();
    let mut mix: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut hosts = BTreeSet::new();
    for instance in fleet.instances() {
        let arn = instance.arn().expect("a registered instance has an ARN");
        let ci = by_arn[arn.as_str()];
        let zone = attribute(ci, "ecs.availability-zone").unwrap();
        let instance_type = attribute(ci, "ecs.instance-type").unwrap();
        assert_eq!(zone, instance.zone);
        assert_eq!(instance_type, instance.shape.instance_type);
        assert_eq!(attribute(ci, SIMULATED_ATTRIBUTE), Some("true"));
        let shape = &shapes[instance_type];
        assert_eq!(registered(ci, "CPU"), shape.cpus as i32 * 1024);
        assert_eq!(registered(ci, "MEMORY"), shape.memory_gib as i32 * 1024);
        assert_eq!(ci.status(), Some("ACTIVE"));
        assert!(ci.agent_connected());
        assert!(hosts.insert(ci.ec2_instance_id().unwrap().to_owned()), "host ids are unique");
        *mix.entry((zone.to_owned(), instance_type.to_owned())).or_default() += 1;
    }
    // Three zones times four types, four instances of each.
    assert_eq!(mix.len(), 12, "{mix:?}");
    assert!(mix.values().all(|&n| n == 4), "{mix:?}");

    // Tasks spread over the zones run on the fleet.
    ecs.register_task_definition()
        .family("worker")
        .container_definitions(
            ContainerDefinition::builder()
                .name("main")
                .image("berth-test/busybox:1")
                .memory(128)
                .cpu(256)
                .command("sleep")
                .command("3600")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut arns = Vec::new();
    for _ in 0..3 {
        let out = ecs
            .run_task()
            .cluster("sim")
            .task_definition("worker")
            .count(10)
            .placement_strategy(
                PlacementStrategy::builder()
                    .r#type(PlacementStrategyType::Spread)
                    .field("attribute:ecs.availability-zone")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert!(out.failures().is_empty(), "{:?}", out.failures());
        arns.extend(out.tasks().iter().map(|t| t.task_arn().unwrap().to_owned()));
    }
    assert_eq!(arns.len(), 30);
    let running = eventually(30, "30 tasks RUNNING", || async {
        let out = ecs.describe_tasks().cluster("sim").set_tasks(Some(arns.clone())).send().await;
        let tasks = out.ok()?.tasks().to_vec();
        tasks.iter().all(|t| t.last_status() == Some("RUNNING")).then_some(tasks)
    })
    .await;
    let mut per_zone: BTreeMap<&str, usize> = BTreeMap::new();
    for task in &running {
        *per_zone.entry(task.availability_zone().unwrap()).or_default() += 1;
    }
    assert_eq!(per_zone.values().copied().collect::<Vec<_>>(), [10, 10, 10], "{per_zone:?}");

    // The observer saw each task's container start, once.
    let mut started = BTreeSet::new();
    while started.len() < 30 {
        let start = tokio::time::timeout(Duration::from_secs(10), starts.recv())
            .await
            .expect("a container start")
            .expect("the observer is open");
        assert_eq!(start.container_name, "main");
        assert!(started.insert(start.task_arn), "a container started twice");
    }
    assert_eq!(started, arns.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(fleet.running().await.len(), 30);

    // Crashed containers stop their tasks, with the exit code; the others keep running.
    let killed = fleet.kill_random(5, 3).await;
    assert_eq!(killed.len(), 5);
    let victims: BTreeSet<String> = killed.iter().map(|k| k.task_arn.clone()).collect();
    assert_eq!(victims.len(), 5, "five different tasks");
    let victims_list: Vec<String> = victims.iter().cloned().collect();
    let stopped = eventually(30, "the crashed tasks STOPPED", || async {
        let out =
            ecs.describe_tasks().cluster("sim").set_tasks(Some(victims_list.clone())).send().await;
        let tasks = out.ok()?.tasks().to_vec();
        tasks.iter().all(|t| t.last_status() == Some("STOPPED")).then_some(tasks)
    })
    .await;
    for task in &stopped {
        assert_eq!(task.stop_code(), Some(&TaskStopCode::EssentialContainerExited));
        assert_eq!(task.containers()[0].exit_code(), Some(3));
        let instance = &fleet.instances()[killed
            .iter()
            .find(|k| Some(k.task_arn.as_str()) == task.task_arn())
            .unwrap()
            .instance];
        assert_eq!(task.container_instance_arn(), instance.arn().as_deref());
    }
    let listed = ecs.list_tasks().cluster("sim").max_results(100).send().await.unwrap();
    let still: BTreeSet<&String> = listed.task_arns().iter().collect();
    assert_eq!(still.len(), 25);
    assert!(victims.iter().all(|v| !still.contains(v)));
    fleet.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn berth_sim_registers_its_agents_with_a_token_from_the_data_dir() {
    let server = Server::start();
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name("sim").send().await.unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_berth"))
        .args(["sim", "--server", &server.endpoint, "--cluster", "sim", "--agents", "6"])
        .args(["--zones", "zone-x,zone-y", "--instance-types", "big.metal:64:256"])
        .arg("--data-dir")
        .arg(&server.data_dir)
        .env("RUST_LOG", "warn")
        .env_remove("BERTH_AGENT_TOKEN")
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting berth sim");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let listed = instances(&ecs, "sim").await;
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("All 6 simulated agents registered in cluster sim"), "{line:?}");
    assert_eq!(listed.len(), 6);
    let zones: BTreeMap<&str, usize> = listed.iter().fold(BTreeMap::new(), |mut zones, ci| {
        *zones.entry(attribute(ci, "ecs.availability-zone").unwrap()).or_default() += 1;
        zones
    });
    assert_eq!(zones, BTreeMap::from([("zone-x", 3), ("zone-y", 3)]));
    for ci in &listed {
        assert_eq!(attribute(ci, "ecs.instance-type"), Some("big.metal"));
        assert_eq!(registered(ci, "CPU"), 64 * 1024);
        assert_eq!(registered(ci, "MEMORY"), 256 * 1024);
    }
}
