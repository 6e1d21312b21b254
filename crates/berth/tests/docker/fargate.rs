//! Fargate tasks on real Docker: the tutorial's service (`launchType FARGATE`, `awsvpc`, 256
//! CPU units, 512 MiB, two tasks) on a pool host that no cluster shows, each task answering
//! on its own address; each container bounded by its task's size (CPU quota, memory limit,
//! process limit, as Docker holds them); a task that outgrows its memory stopped with ECS's
//! out-of-memory reason; and a CPU-bound task of two containers held, both together, to its
//! share of a CPU, measured.

use aws_sdk_ecs::types::{
    AwsVpcConfiguration, Compatibility, ContainerDefinition, LaunchType, NetworkConfiguration,
    NetworkMode, PortMapping,
};

use crate::awsvpc::{address, ec2, first, group_allowing_8080};
use crate::common::{Server, eventually};
use crate::support::{AgentProcess, IMAGE, TestCluster, docker};

/// A container of the test image running `command`, with no size of its own (the task's
/// bounds it).
fn unsized_container(name: &str, command: &str) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name(name)
        .image(IMAGE)
        .command("sh")
        .command("-c")
        .command(command)
        .port_mappings(PortMapping::builder().container_port(8080).build())
        .build()
}

/// Registers a Fargate definition of `family` (256 CPU units, 512 MiB) with one container.
async fn register(ecs: &aws_sdk_ecs::Client, family: &str, command: &str) {
    ecs.register_task_definition()
        .family(family)
        .requires_compatibilities(Compatibility::Fargate)
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .container_definitions(unsized_container("app", command))
        .send()
        .await
        .unwrap();
}

/// A JSON field of `docker inspect` of a container.
fn inspect(container: &str, format: &str) -> String {
    let out = docker(&["inspect", "--format", format, container]);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test]
async fn the_fargate_tutorial_runs_bounded_tasks_on_a_pool_no_cluster_shows() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "[vpc]\ncidr = \"10.215.0.0/16\"\n").unwrap();
    let config_path = config.path().to_string_lossy().into_owned();
    let server = Server::start_with_args(&["--no-auth", "--config", &config_path]);
    let cluster = TestCluster::new("fargate");
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    let _pool = AgentProcess::start_fargate(&server, "zone-f", false);
    // The pool host makes its zone's subnet when it registers.
    let subnets = eventually(30, "the pool host to register", || async {
        let xml = ec2(
            &server,
            &[
                ("Action", "DescribeSubnets"),
                ("Filter.1.Name", "availability-zone"),
                ("Filter.1.Value.1", "zone-f"),
            ],
        )
        .await;
        xml.contains("<subnetId>").then_some(xml)
    })
    .await;
    let subnet = first(&subnets, "subnetId");
    let group = group_allowing_8080(&server, &cluster.name, "0.0.0.0/0").await;
    let network = NetworkConfiguration::builder()
        .awsvpc_configuration(
            AwsVpcConfiguration::builder()
                .subnets(&subnet)
                .security_groups(&group)
                .build()
                .unwrap(),
        )
        .build();

    // The tutorial: a service of two Fargate tasks.
    let web = format!("{}-web", cluster.name);
    register(&ecs, &web, "mkdir -p /w && hostname > /w/index.html && httpd -f -p 8080 -h /w").await;
    ecs.create_service()
        .cluster(&cluster.name)
        .service_name("web")
        .task_definition(&web)
        .desired_count(2)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network.clone())
        .send()
        .await
        .unwrap();
    let tasks = eventually(90, "the service's two tasks to run", || async {
        let arns = ecs
            .list_tasks()
            .cluster(&cluster.name)
            .service_name("web")
            .send()
            .await
            .unwrap()
            .task_arns()
            .to_vec();
        if arns.len() != 2 {
            return None;
        }
        let out =
            ecs.describe_tasks().cluster(&cluster.name).set_tasks(Some(arns)).send().await.unwrap();
        out.tasks().iter().all(|t| t.last_status() == Some("RUNNING")).then(|| out.tasks().to_vec())
    })
    .await;
    let instances = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
    assert!(instances.container_instance_arns().is_empty(), "the pool host shows in no cluster");
    for task in &tasks {
        assert_eq!(task.launch_type(), Some(&LaunchType::Fargate));
        assert_eq!(task.capacity_provider_name(), Some("FARGATE"));
        assert_eq!(task.platform_version(), Some("1.4.0"));
        assert_eq!(task.container_instance_arn(), None);
        assert_eq!(task.availability_zone(), Some("zone-f"));
        // Its container answers on the task's own address.
        let address = address(task);
        let body = eventually(20, "the task to answer on its address", || {
            crate::support::http_get(&address, 8080)
        })
        .await;
        assert!(body.lines().last().is_some_and(|l| !l.is_empty()), "{body}");
        // Docker holds the task's size as the container's hard limits.
        let id = task.task_arn().unwrap().rsplit('/').next().unwrap();
        let container = format!("berth-{id}-app");
        assert_eq!(inspect(&container, "{{.HostConfig.NanoCpus}}"), "250000000");
        assert_eq!(inspect(&container, "{{.HostConfig.Memory}}"), (512u64 << 20).to_string());
        assert_eq!(inspect(&container, "{{.HostConfig.PidsLimit}}"), "4096");
        assert_eq!(
            inspect(&container, "{{index .Config.Labels \"berth.cluster\"}}"),
            cluster.name,
            "a pool task's containers carry its own cluster"
        );
    }

    // A task that outgrows its 512 MiB is killed by the kernel and reported as ECS does.
    let hog = format!("{}-hog", cluster.name);
    register(&ecs, &hog, "sleep 1; dd if=/dev/zero of=/dev/null bs=700M count=1").await;
    let run = ecs
        .run_task()
        .cluster(&cluster.name)
        .task_definition(&hog)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network.clone())
        .send()
        .await
        .unwrap();
    let arn = run.tasks()[0].task_arn().unwrap().to_owned();
    let stopped = eventually(60, "the memory hog to stop", || async {
        let out = ecs.describe_tasks().cluster(&cluster.name).tasks(&arn).send().await.unwrap();
        let task = out.tasks()[0].clone();
        (task.last_status() == Some("STOPPED")).then_some(task)
    })
    .await;
    assert_eq!(
        stopped.containers()[0].reason(),
        Some("OutOfMemoryError: Container killed due to memory usage"),
        "{stopped:?}"
    );

    // A CPU-bound task gets a quarter of a CPU, its two spinning containers together: over
    // 3 s of wall time, about 0.75 s of CPU.
    let spin = format!("{}-spin", cluster.name);
    ecs.register_task_definition()
        .family(&spin)
        .requires_compatibilities(Compatibility::Fargate)
        .network_mode(NetworkMode::Awsvpc)
        .cpu("256")
        .memory("512")
        .container_definitions(unsized_container("app", "while :; do :; done"))
        .container_definitions(
            ContainerDefinition::builder()
                .name("second")
                .image(IMAGE)
                .command("sh")
                .command("-c")
                .command("while :; do :; done")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let run = ecs
        .run_task()
        .cluster(&cluster.name)
        .task_definition(&spin)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network)
        .send()
        .await
        .unwrap();
    let arn = run.tasks()[0].task_arn().unwrap().to_owned();
    let id = arn.rsplit('/').next().unwrap().to_owned();
    eventually(60, "the spinner to run", || async {
        let out = ecs.describe_tasks().cluster(&cluster.name).tasks(&arn).send().await.unwrap();
        (out.tasks()[0].last_status() == Some("RUNNING")).then_some(())
    })
    .await;
    let cpu_seconds_of = |container: String| {
        // The container's CPU time, from its cgroup (v1 or v2), in seconds.
        let pid = inspect(&container, "{{.State.Pid}}");
        let cgroup = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap_or_default();
        for line in cgroup.lines() {
            let parts: Vec<&str> = line.splitn(3, ':').collect();
            let [_, controllers, path] = parts[..] else { continue };
            if controllers.split(',').any(|c| c == "cpuacct") {
                let file = format!("/sys/fs/cgroup/cpuacct{path}/cpuacct.usage");
                if let Ok(text) = std::fs::read_to_string(&file) {
                    return text.trim().parse::<f64>().unwrap() / 1e9;
                }
            }
            if controllers.is_empty() {
                let file = format!("/sys/fs/cgroup{path}/cpu.stat");
                if let Ok(text) = std::fs::read_to_string(&file) {
                    let usec = text
                        .lines()
                        .find_map(|l| l.strip_prefix("usage_usec "))
                        .unwrap()
                        .parse::<f64>()
                        .unwrap();
                    return usec / 1e6;
                }
            }
        }
        panic!("no CPU accounting for {container}: {cgroup}");
    };
    let cpu_seconds =
        || cpu_seconds_of(format!("berth-{id}-app")) + cpu_seconds_of(format!("berth-{id}-second"));
    let (before, started) = (cpu_seconds(), std::time::Instant::now());
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let used = (cpu_seconds() - before) / started.elapsed().as_secs_f64();
    println!("fargate_cpu_share={used:.3} (256 CPU units, two spinning containers: 0.25)");
    // With Docker's cgroupfs driver the task has a cgroup of its own that bounds both
    // containers together; with another driver each container is bounded on its own.
    let driver = docker(&["info", "--format", "{{.CgroupDriver}}"]);
    let task_cgroup = String::from_utf8_lossy(&driver.stdout).trim() == "cgroupfs";
    let bound = if task_cgroup { 0.30 } else { 0.60 };
    assert!(used <= bound, "a 256-unit task used {used:.3} of a CPU (task cgroup: {task_cgroup})");
    if task_cgroup {
        assert_eq!(
            inspect(&format!("berth-{id}-second"), "{{.HostConfig.CgroupParent}}"),
            format!("/berth-tasks/{id}")
        );
    }
    assert!(used >= 0.10, "the spinner hardly ran: {used:.3} of a CPU");
    ecs.stop_task().cluster(&cluster.name).task(&arn).send().await.unwrap();
    ecs.update_service()
        .cluster(&cluster.name)
        .service("web")
        .desired_count(0)
        .send()
        .await
        .unwrap();
}
