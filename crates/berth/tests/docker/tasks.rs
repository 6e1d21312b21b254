//! Tasks on real Docker: ports, environment, health checks, dependsOn, exit codes, stop
//! timeouts, placement failures, registry pulls, tasks stopped before their containers start,
//! and restarts of agent and control plane.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use aws_sdk_ecs::types::{
    ContainerCondition, ContainerDefinition, ContainerDependency, HealthCheck, HealthStatus,
    KeyValuePair, PortMapping, Task, TaskStopCode,
};

use crate::common::{Server, eventually};
use crate::support::{
    AgentProcess, Endpoints, HeldForwarder, Registry, TestCluster, container, containers_of_task,
    inspect, remove_image,
};

async fn describe(ecs: &aws_sdk_ecs::Client, cluster: &str, task: &str) -> Task {
    let out = ecs.describe_tasks().cluster(cluster).tasks(task).send().await.unwrap();
    out.tasks()
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("task {task} missing: {:?}", out.failures()))
}

async fn wait_for(
    ecs: &aws_sdk_ecs::Client,
    cluster: &str,
    task: &str,
    what: &str,
    seconds: u64,
    ok: impl Fn(&Task) -> bool,
) -> Task {
    eventually(seconds, what, || async {
        let t = describe(ecs, cluster, task).await;
        ok(&t).then_some(t)
    })
    .await
}

/// Sets up a server, a cluster and one agent; returns them once the instance is registered.
async fn setup(prefix: &str) -> (Server, TestCluster, AgentProcess, aws_sdk_ecs::Client) {
    setup_with(prefix, &[]).await
}

async fn setup_with(
    prefix: &str,
    server_args: &[&str],
) -> (Server, TestCluster, AgentProcess, aws_sdk_ecs::Client) {
    let server = Server::start_with_args(server_args);
    let cluster = TestCluster::new(prefix);
    let ecs = server.ecs();
    ecs.create_cluster().cluster_name(&cluster.name).send().await.unwrap();
    let agent = AgentProcess::start(&server, &cluster.name, "zone-a");
    eventually(30, "the agent to register", || async {
        let out = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;
    (server, cluster, agent, ecs)
}

async fn run(
    ecs: &aws_sdk_ecs::Client,
    cluster: &str,
    family: &str,
    containers: Vec<ContainerDefinition>,
) -> String {
    ecs.register_task_definition()
        .family(family)
        .set_container_definitions(Some(containers))
        .send()
        .await
        .unwrap();
    let out = ecs.run_task().cluster(cluster).task_definition(family).send().await.unwrap();
    assert!(out.failures().is_empty(), "{:?}", out.failures());
    out.tasks()[0].task_arn().unwrap().to_owned()
}

fn http_get(port: u16) -> String {
    let mut stream =
        std::net::TcpStream::connect(("127.0.0.1", port)).expect("connecting to the task's port");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_container_task_serves_on_its_host_port() {
    let (_server, cluster, _agent, ecs) = setup("web").await;
    let mut web = container(
        "web",
        "mkdir -p /www && echo \"$GREETING from $(cat /shared/ready)\" > /www/index.html && exec httpd -f -p 8080 -h /www",
    );
    web.environment = Some(vec![KeyValuePair::builder().name("GREETING").value("hello").build()]);
    web.port_mappings = Some(vec![PortMapping::builder().container_port(8080).build()]);
    web.health_check = Some(
        HealthCheck::builder()
            .command("CMD-SHELL")
            .command("wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1")
            .interval(5)
            .timeout(2)
            .retries(2)
            .build()
            .unwrap(),
    );
    web.depends_on = Some(vec![
        ContainerDependency::builder()
            .container_name("prepare")
            .condition(ContainerCondition::Success)
            .build()
            .unwrap(),
    ]);
    web.mount_points = Some(vec![
        aws_sdk_ecs::types::MountPoint::builder()
            .source_volume("shared")
            .container_path("/shared")
            .build(),
    ]);
    let mut prepare = container("prepare", "echo sidecar > /shared/ready");
    prepare.essential = Some(false);
    prepare.mount_points = web.mount_points.clone();
    ecs.register_task_definition()
        .family("web")
        .container_definitions(prepare)
        .container_definitions(web)
        .volumes(aws_sdk_ecs::types::Volume::builder().name("shared").build())
        .send()
        .await
        .unwrap();
    let out = ecs.run_task().cluster(&cluster.name).task_definition("web").send().await.unwrap();
    let arn = out.tasks()[0].task_arn().unwrap().to_owned();
    let task = wait_for(&ecs, &cluster.name, &arn, "RUNNING and HEALTHY", 60, |t| {
        t.last_status() == Some("RUNNING") && t.health_status() == Some(&HealthStatus::Healthy)
    })
    .await;
    let web = task.containers().iter().find(|c| c.name() == Some("web")).unwrap();
    let prepare = task.containers().iter().find(|c| c.name() == Some("prepare")).unwrap();
    assert_eq!(prepare.exit_code(), Some(0));
    assert_eq!(web.health_status(), Some(&HealthStatus::Healthy));
    let binding = web
        .network_bindings()
        .iter()
        .find(|b| b.container_port() == Some(8080))
        .expect("a binding of 8080");
    let port = u16::try_from(binding.host_port().unwrap()).unwrap();
    let response = http_get(port);
    assert!(response.contains("hello from sidecar"), "{response}");
    // The container really is what the definition says.
    let docker = inspect(web.runtime_id().unwrap());
    assert_eq!(docker["HostConfig"]["Memory"], 64 * 1024 * 1024);
    assert!(
        docker["Config"]["Env"].as_array().unwrap().contains(&serde_json::json!("GREETING=hello"))
    );
    assert_eq!(docker["Config"]["Labels"]["berth.cluster"], cluster.name.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exit_code_stops_the_task_with_its_reason() {
    let (_server, cluster, _agent, ecs) = setup("exit").await;
    let arn = run(&ecs, &cluster.name, "exit3", vec![container("main", "sleep 1; exit 3")]).await;
    let task =
        wait_for(&ecs, &cluster.name, &arn, "STOPPED", 60, |t| t.last_status() == Some("STOPPED"))
            .await;
    assert_eq!(task.stop_code(), Some(&TaskStopCode::EssentialContainerExited));
    assert_eq!(task.stopped_reason(), Some("Essential container in task exited"));
    assert_eq!(task.containers()[0].exit_code(), Some(3));
    assert!(task.started_at().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_task_honours_the_stop_timeout() {
    let (_server, cluster, _agent, ecs) = setup("stop").await;
    let mut stubborn = container("stubborn", "trap '' TERM; while true; do sleep 1; done");
    stubborn.stop_timeout = Some(3);
    let mut polite = container("polite", "trap 'exit 0' TERM; while true; do sleep 1; done");
    polite.stop_timeout = Some(30);
    let stubborn_arn = run(&ecs, &cluster.name, "stubborn", vec![stubborn]).await;
    let polite_arn = run(&ecs, &cluster.name, "polite", vec![polite]).await;
    for arn in [&stubborn_arn, &polite_arn] {
        wait_for(&ecs, &cluster.name, arn, "RUNNING", 60, |t| t.last_status() == Some("RUNNING"))
            .await;
    }

    let started = Instant::now();
    ecs.stop_task().cluster(&cluster.name).task(&stubborn_arn).send().await.unwrap();
    let task = wait_for(&ecs, &cluster.name, &stubborn_arn, "STOPPED", 60, |t| {
        t.last_status() == Some("STOPPED")
    })
    .await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(2500),
        "SIGKILL came after {took:?}, before the 3 s stopTimeout"
    );
    assert!(took < Duration::from_secs(25), "stopping took {took:?}");
    assert_eq!(task.containers()[0].exit_code(), Some(137));
    assert_eq!(task.stop_code(), Some(&TaskStopCode::UserInitiated));

    let started = Instant::now();
    ecs.stop_task().cluster(&cluster.name).task(&polite_arn).send().await.unwrap();
    let task = wait_for(&ecs, &cluster.name, &polite_arn, "STOPPED", 60, |t| {
        t.last_status() == Some("STOPPED")
    })
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "a container that exits on SIGTERM took {:?}",
        started.elapsed()
    );
    assert_eq!(task.containers()[0].exit_code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_that_does_not_fit_gets_the_ecs_reason() {
    let (_server, cluster, _agent, ecs) = setup("fit").await;
    let mut huge = container("huge", "sleep 10");
    huge.memory = Some(4_000_000);
    ecs.register_task_definition().family("huge").container_definitions(huge).send().await.unwrap();
    let out = ecs.run_task().cluster(&cluster.name).task_definition("huge").send().await.unwrap();
    assert!(out.tasks().is_empty());
    assert_eq!(out.failures()[0].reason(), Some("RESOURCE:MEMORY"));
    assert!(
        out.failures()[0].detail().unwrap().contains("4000000"),
        "{:?}",
        out.failures()[0].detail()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_is_pulled_from_a_registry() {
    let (_server, cluster, _agent, ecs) = setup("pull").await;
    let registry = Registry::start();
    let reference = registry.push_test_image(&format!("{}:1", cluster.name));
    let mut c = container("main", "sleep 600");
    c.image = Some(reference.clone());
    let arn = run(&ecs, &cluster.name, "pulled", vec![c]).await;
    let task =
        wait_for(&ecs, &cluster.name, &arn, "RUNNING", 60, |t| t.last_status() == Some("RUNNING"))
            .await;
    assert!(task.pull_started_at().is_some() && task.pull_stopped_at().is_some());
    assert!(task.pull_stopped_at().unwrap() >= task.pull_started_at().unwrap());
    let digest =
        task.containers()[0].image_digest().expect("an image digest after a registry pull");
    assert!(digest.contains("sha256:"), "{digest}");
    ecs.stop_task().cluster(&cluster.name).task(&arn).send().await.unwrap();
    wait_for(&ecs, &cluster.name, &arn, "STOPPED", 60, |t| t.last_status() == Some("STOPPED"))
        .await;
    drop(cluster);
    remove_image(&reference);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_stopped_while_its_image_is_pulled_never_starts_a_container() {
    let (_server, cluster, _agent, ecs) = setup("pullstop").await;
    let registry = Registry::start();
    let pushed = registry.push_test_image(&format!("{}:1", cluster.name));
    // The agent pulls through a forwarder that holds every connection: the pull is under way
    // until the test opens it.
    let (forwarder, port) =
        HeldForwarder::start(Endpoints::Tcp { target: registry.address.clone() }, false).await;
    let reference = pushed.replace(&registry.address, &format!("127.0.0.1:{}", port.unwrap()));
    let mut c = container("main", "sleep 600");
    c.image = Some(reference.clone());
    let arn = run(&ecs, &cluster.name, "held", vec![c]).await;
    eventually(60, "the pull to reach the registry", || async {
        (forwarder.accepted() > 0).then_some(())
    })
    .await;
    ecs.stop_task()
        .cluster(&cluster.name)
        .task(&arn)
        .reason("changed my mind")
        .send()
        .await
        .unwrap();
    // The agent gives the pull up: the task is STOPPED while the pull is still held.
    let task =
        wait_for(&ecs, &cluster.name, &arn, "STOPPED", 60, |t| t.last_status() == Some("STOPPED"))
            .await;
    assert_eq!(task.stopped_reason(), Some("changed my mind"));
    assert!(task.containers().iter().all(|c| c.runtime_id().is_none()), "{task:?}");
    // Given up, not failed: Docker ends a held pull only after its own timeouts, and a failed
    // pull would name CannotPullContainerError.
    assert!(task.containers().iter().all(|c| c.reason().is_none()), "{task:?}");
    // Even once the registry answers, nothing is created for the task.
    forwarder.open();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(containers_of_task(&arn), Vec::<String>::new());
    let task = describe(&ecs, &cluster.name, &arn).await;
    assert!(task.containers().iter().all(|c| c.runtime_id().is_none()), "{task:?}");
    drop(cluster);
    remove_image(&reference);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_first_seen_desired_stopped_never_starts_a_container() {
    let (_server, cluster, mut agent, ecs) = setup("seenstopped").await;
    // The agent is away (its instance still counts as connected): the task is placed and
    // stopped before the agent sees it.
    agent.kill9();
    let arn = run(&ecs, &cluster.name, "unseen", vec![container("main", "sleep 600")]).await;
    ecs.stop_task().cluster(&cluster.name).task(&arn).reason("not wanted").send().await.unwrap();
    agent.restart();
    let task =
        wait_for(&ecs, &cluster.name, &arn, "STOPPED", 60, |t| t.last_status() == Some("STOPPED"))
            .await;
    assert_eq!(task.stopped_reason(), Some("not wanted"));
    // The restarted agent has had its desired set (it reports itself connected by polling).
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(containers_of_task(&arn), Vec::<String>::new());
    let task = describe(&ecs, &cluster.name, &arn).await;
    assert!(task.containers().iter().all(|c| c.runtime_id().is_none()), "{task:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_of_agent_and_control_plane_leave_containers_alone() {
    let (mut server, cluster, mut agent, ecs) = setup("restart").await;
    let arn =
        run(&ecs, &cluster.name, "steady", vec![container("main", "exec httpd -f -p 8080")]).await;
    let task =
        wait_for(&ecs, &cluster.name, &arn, "RUNNING", 60, |t| t.last_status() == Some("RUNNING"))
            .await;
    let instance = task.container_instance_arn().unwrap().to_owned();
    let id = task.containers()[0].runtime_id().unwrap().to_owned();
    let started_at = inspect(&id)["State"]["StartedAt"].clone();

    agent.kill9();
    agent.restart();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let listed = ecs.list_container_instances().cluster(&cluster.name).send().await.unwrap();
    assert_eq!(
        listed.container_instance_arns(),
        std::slice::from_ref(&instance),
        "the agent kept its identity"
    );
    let task =
        wait_for(&ecs, &cluster.name, &arn, "RUNNING", 30, |t| t.last_status() == Some("RUNNING"))
            .await;
    assert_eq!(task.containers()[0].runtime_id(), Some(id.as_str()));
    assert_eq!(inspect(&id)["State"]["StartedAt"], started_at, "the container was not restarted");
    assert!(agent.state_dir().join("agent-identity.json").exists());

    server.crash_and_restart();
    let ecs = server.ecs();
    let task =
        wait_for(&ecs, &cluster.name, &arn, "RUNNING", 30, |t| t.last_status() == Some("RUNNING"))
            .await;
    assert_eq!(task.containers()[0].runtime_id(), Some(id.as_str()));
    eventually(30, "the agent to reconnect", || async {
        let out = ecs
            .describe_container_instances()
            .cluster(&cluster.name)
            .container_instances(&instance)
            .send()
            .await
            .unwrap();
        out.container_instances()[0].agent_connected().then_some(())
    })
    .await;
    assert_eq!(inspect(&id)["State"]["StartedAt"], started_at, "the container was not restarted");
    ecs.stop_task().cluster(&cluster.name).task(&arn).send().await.unwrap();
    wait_for(&ecs, &cluster.name, &arn, "STOPPED", 60, |t| t.last_status() == Some("STOPPED"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_kept_bounded_and_usage_is_sampled() {
    let (server, cluster, _agent, ecs) =
        setup_with("logs", &["--log-bytes-per-container", "4096"]).await;
    let small = run(
        &ecs,
        &cluster.name,
        "small",
        vec![container("main", "echo hello; echo oops >&2; exec sleep 600")],
    )
    .await;
    let chatty = run(
        &ecs,
        &cluster.name,
        "chatty",
        vec![container("main", "i=0; while [ $i -lt 400 ]; do echo line-$i-padding-padding-padding; i=$((i+1)); done; exec sleep 600")],
    )
    .await;
    let raw = server.raw();
    let logs = |task: String| {
        let raw = &raw;
        let cluster = cluster.name.clone();
        async move {
            let out = raw
                .berth("GetContainerLogs", serde_json::json!({"cluster": cluster, "task": task, "containerName": "main", "startFromHead": true, "limit": 10000}))
                .await;
            assert_eq!(out.status, 200, "{:?}", out.body);
            out.body["events"].as_array().cloned().unwrap_or_default()
        }
    };
    let events = eventually(60, "both lines of the small task", || async {
        let events = logs(small.clone()).await;
        (events.len() >= 2).then_some(events)
    })
    .await;
    let line = |e: &serde_json::Value| {
        (e["stream"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned())
    };
    let lines: Vec<_> = events.iter().map(line).collect();
    assert!(lines.contains(&("stdout".into(), "hello".into())), "{lines:?}");
    assert!(lines.contains(&("stderr".into(), "oops".into())), "{lines:?}");
    assert!(events[0]["timestamp"].as_i64().unwrap() > 1_700_000_000_000);

    let events = eventually(60, "the chatty task's last line", || async {
        let events = logs(chatty.clone()).await;
        events.iter().any(|e| e["message"] == "line-399-padding-padding-padding").then_some(events)
    })
    .await;
    let kept: usize = events.iter().map(|e| e["message"].as_str().unwrap().len()).sum();
    assert!(kept <= 4096, "{kept} bytes of log kept, the limit is 4096");
    assert_ne!(
        events[0]["message"], "line-0-padding-padding-padding",
        "the oldest lines were dropped"
    );
    let messages: Vec<&str> = events.iter().map(|e| e["message"].as_str().unwrap()).collect();
    let numbers: Vec<usize> =
        messages.iter().map(|m| m.split('-').nth(1).unwrap().parse().unwrap()).collect();
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "the kept lines are the newest, in order: {numbers:?}"
    );

    let usage = eventually(60, "resource use", || async {
        let out = raw
            .berth(
                "DescribeTaskUsage",
                serde_json::json!({"cluster": cluster.name, "tasks": [small]}),
            )
            .await;
        out.body["usage"].as_array().and_then(|u| u.first().cloned())
    })
    .await;
    assert!(usage["memoryMib"].as_f64().unwrap() > 0.0, "{usage}");
}
