//! Tasks through aws-sdk-ecs, with node agents running in the test process on the SIMULATED
//! container runtime: the control plane's task logic (placement, lifecycle, reports, restarts)
//! without real containers. The same behaviours on real Docker are in `tests/docker/`.

use std::time::Duration;

use aws_sdk_ecs::types::{
    ContainerCondition, ContainerDefinition, ContainerDependency, DesiredStatus, PortMapping, Task,
    TaskStopCode,
};

use crate::common::{Server, SimAgent, code, eventually};

async fn cluster(ecs: &aws_sdk_ecs::Client, name: &str) {
    ecs.create_cluster().cluster_name(name).send().await.unwrap();
}

fn container(name: &str, command: &[&str]) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name(name)
        .image("berth-test/busybox:1")
        .memory(128)
        .cpu(256)
        .set_command(Some(command.iter().map(|s| (*s).to_owned()).collect()))
        .build()
}

async fn register(ecs: &aws_sdk_ecs::Client, family: &str, containers: Vec<ContainerDefinition>) {
    ecs.register_task_definition()
        .family(family)
        .set_container_definitions(Some(containers))
        .send()
        .await
        .unwrap();
}

async fn describe(ecs: &aws_sdk_ecs::Client, cluster: &str, task: &str) -> Task {
    let out = ecs.describe_tasks().cluster(cluster).tasks(task).send().await.unwrap();
    out.tasks()
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("task {task} is missing: {:?}", out.failures()))
}

async fn wait_status(ecs: &aws_sdk_ecs::Client, cluster: &str, task: &str, status: &str) -> Task {
    eventually(20, &format!("task {task} to be {status}"), || async {
        let t = describe(ecs, cluster, task).await;
        (t.last_status() == Some(status)).then_some(t)
    })
    .await
}

async fn run(ecs: &aws_sdk_ecs::Client, cluster: &str, family: &str) -> String {
    let out = ecs.run_task().cluster(cluster).task_definition(family).send().await.unwrap();
    assert!(out.failures().is_empty(), "{:?}", out.failures());
    out.tasks()[0].task_arn().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_runs_and_stops() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let _agent = SimAgent::start(&server, "t", "zone-a");
    register(&ecs, "web", vec![container("web", &["httpd", "-f"])]).await;
    eventually(10, "the instance to register", || async {
        let out = ecs.list_container_instances().cluster("t").send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;

    let out = ecs
        .run_task()
        .cluster("t")
        .task_definition("web")
        .started_by("tester")
        .send()
        .await
        .unwrap();
    let task = &out.tasks()[0];
    assert_eq!(task.last_status(), Some("PROVISIONING"));
    assert_eq!(task.desired_status(), Some("RUNNING"));
    assert_eq!(task.group(), Some("family:web"));
    assert_eq!(task.started_by(), Some("tester"));
    assert_eq!(task.availability_zone(), Some("zone-a"));
    assert!(task.task_definition_arn().unwrap().ends_with("task-definition/web:1"));
    let arn = task.task_arn().unwrap().to_owned();

    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert!(running.started_at().is_some());
    assert!(running.pull_started_at().is_some() && running.pull_stopped_at().is_some());
    let c = &running.containers()[0];
    assert_eq!(c.last_status(), Some("RUNNING"));
    assert!(c.runtime_id().is_some());
    assert!(running.version() > 1);
    // ARNs the record leaves out are filled in when shown, the same every time.
    let id = arn.rsplit('/').next().unwrap();
    assert!(arn.ends_with(&format!(":task/t/{id}")), "{arn}");
    assert!(running.cluster_arn().unwrap().ends_with(":cluster/t"));
    assert_eq!(c.task_arn(), Some(arn.as_str()));
    let container_arn = c.container_arn().unwrap().to_owned();
    assert!(container_arn.contains(&format!(":container/t/{id}/")), "{container_arn}");
    assert!(running.container_instance_arn().unwrap().contains(":container-instance/t/"));
    assert_eq!(c.network_bindings(), &[]);
    assert!(running.overrides().is_some_and(|o| o.container_overrides().is_empty()));
    let again = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert_eq!(again.containers()[0].container_arn(), Some(container_arn.as_str()));

    let cluster_view = ecs.describe_clusters().clusters("t").send().await.unwrap();
    assert_eq!(cluster_view.clusters()[0].running_tasks_count(), 1);
    let instance = running.container_instance_arn().unwrap();
    let ci = ecs
        .describe_container_instances()
        .cluster("t")
        .container_instances(instance)
        .send()
        .await
        .unwrap();
    let ci = &ci.container_instances()[0];
    assert_eq!(ci.running_tasks_count(), 1);
    let memory = |resources: &[aws_sdk_ecs::types::Resource]| {
        resources.iter().find(|r| r.name() == Some("MEMORY")).unwrap().integer_value()
    };
    assert_eq!(memory(ci.registered_resources()) - memory(ci.remaining_resources()), 128);

    let listed = ecs.list_tasks().cluster("t").send().await.unwrap();
    assert_eq!(listed.task_arns(), std::slice::from_ref(&arn));

    let stopped =
        ecs.stop_task().cluster("t").task(&arn).reason("no longer needed").send().await.unwrap();
    assert_eq!(stopped.task().unwrap().desired_status(), Some("STOPPED"));
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert_eq!(stopped.stop_code(), Some(&TaskStopCode::UserInitiated));
    assert_eq!(stopped.stopped_reason(), Some("no longer needed"));
    assert!(stopped.stopping_at().is_some() && stopped.stopped_at().is_some());
    assert_eq!(stopped.containers()[0].last_status(), Some("STOPPED"));
    assert!(stopped.containers()[0].exit_code().is_some());
    assert!(ecs.list_tasks().cluster("t").send().await.unwrap().task_arns().is_empty());
    let done =
        ecs.list_tasks().cluster("t").desired_status(DesiredStatus::Stopped).send().await.unwrap();
    assert_eq!(done.task_arns(), std::slice::from_ref(&arn));
    // Stopping again changes nothing.
    let again = ecs.stop_task().cluster("t").task(&arn).send().await.unwrap();
    assert_eq!(again.task().unwrap().stopped_reason(), Some("no longer needed"));
    // The resources are free again.
    let ci = ecs
        .describe_container_instances()
        .cluster("t")
        .container_instances(instance)
        .send()
        .await
        .unwrap();
    let ci = &ci.container_instances()[0];
    assert_eq!(memory(ci.registered_resources()), memory(ci.remaining_resources()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_essential_container_exit_stops_the_task() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let agent = SimAgent::start(&server, "t", "zone-a");
    register(&ecs, "crash", vec![container("c", &["sh", "-c", "exit 3"])]).await;
    register(&ecs, "steady", vec![container("s", &["httpd", "-f"])]).await;
    let arn = eventually(10, "a placed task", || async {
        let out = ecs.run_task().cluster("t").task_definition("crash").send().await.ok()?;
        out.tasks().first().and_then(|t| t.task_arn()).map(str::to_owned)
    })
    .await;
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert_eq!(stopped.stop_code(), Some(&TaskStopCode::EssentialContainerExited));
    assert_eq!(stopped.stopped_reason(), Some("Essential container in task exited"));
    assert_eq!(stopped.containers()[0].exit_code(), Some(3));
    assert_eq!(stopped.desired_status(), Some("STOPPED"));

    // A container that dies while running stops its task the same way.
    let arn = run(&ecs, "t", "steady").await;
    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert!(agent.runtime.kill(running.containers()[0].runtime_id().unwrap(), 137));
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert_eq!(stopped.stop_code(), Some(&TaskStopCode::EssentialContainerExited));
    assert_eq!(stopped.containers()[0].exit_code(), Some(137));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depends_on_orders_and_gates_containers() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let _agent = SimAgent::start(&server, "t", "zone-a");
    let migrate = |command: &[&str]| {
        let mut c = container("migrate", command);
        c.essential = Some(false);
        c
    };
    let web = || {
        let mut c = container("web", &["httpd", "-f"]);
        c.depends_on = Some(vec![
            ContainerDependency::builder()
                .container_name("migrate")
                .condition(ContainerCondition::Success)
                .build()
                .unwrap(),
        ]);
        c
    };
    register(&ecs, "ok", vec![migrate(&["sh", "-c", "exit 0"]), web()]).await;
    register(&ecs, "bad", vec![migrate(&["sh", "-c", "exit 1"]), web()]).await;
    eventually(10, "an instance", || async {
        let out = ecs.list_container_instances().cluster("t").send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;

    let arn = run(&ecs, "t", "ok").await;
    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    let by_name =
        |t: &Task, n: &str| t.containers().iter().find(|c| c.name() == Some(n)).cloned().unwrap();
    assert_eq!(by_name(&running, "migrate").last_status(), Some("STOPPED"));
    assert_eq!(by_name(&running, "migrate").exit_code(), Some(0));
    assert_eq!(by_name(&running, "web").last_status(), Some("RUNNING"));

    let arn = run(&ecs, "t", "bad").await;
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert_eq!(stopped.stop_code(), Some(&TaskStopCode::TaskFailedToStart));
    assert!(
        stopped.stopped_reason().unwrap().contains("migrate"),
        "{:?}",
        stopped.stopped_reason()
    );
    assert_eq!(by_name(&stopped, "web").runtime_id(), None, "web never started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placement_failures_explain_themselves() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    register(
        &ecs,
        "huge",
        vec![{
            let mut c = container("c", &["httpd"]);
            c.memory = Some(1_000_000);
            c
        }],
    )
    .await;
    register(
        &ecs,
        "ported",
        vec![{
            let mut c = container("c", &["httpd"]);
            c.port_mappings =
                Some(vec![PortMapping::builder().container_port(80).host_port(8080).build()]);
            c
        }],
    )
    .await;
    let err = ecs.run_task().cluster("t").task_definition("huge").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "no instance yet");

    let _agent = SimAgent::start(&server, "t", "zone-a");
    let out = eventually(10, "an instance to take requests", || async {
        let out = ecs.run_task().cluster("t").task_definition("huge").send().await.ok()?;
        (!out.failures().is_empty()).then_some(out)
    })
    .await;
    assert!(out.tasks().is_empty());
    let failure = &out.failures()[0];
    assert_eq!(failure.reason(), Some("RESOURCE:MEMORY"));
    assert!(failure.arn().unwrap().contains(":container-instance/t/"));
    assert!(failure.detail().unwrap().contains("1000000"), "{:?}", failure.detail());

    let out = ecs.run_task().cluster("t").task_definition("ported").count(2).send().await.unwrap();
    assert_eq!(out.tasks().len(), 1);
    assert_eq!(out.failures()[0].reason(), Some("RESOURCE:PORTS"));

    let err =
        ecs.run_task().cluster("t").task_definition("ported").count(11).send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs.run_task().cluster("t").task_definition("nope").send().await.unwrap_err();
    assert_eq!(code(&err), "ClientException");
    let err = ecs
        .run_task()
        .cluster("t")
        .task_definition("ported")
        .placement_strategy(
            aws_sdk_ecs::types::PlacementStrategy::builder()
                .r#type("binpack".into())
                .field("disk")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = ecs
        .run_task()
        .cluster("t")
        .task_definition("ported")
        .placement_constraints(
            aws_sdk_ecs::types::PlacementConstraint::builder()
                .r#type("memberOf".into())
                .expression("attribute:ecs.instance-type ==")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert!(crate::common::message(&err).contains("position"), "{}", crate::common::message(&err));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_tokens_make_run_task_idempotent() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let _agent = SimAgent::start(&server, "t", "zone-a");
    register(&ecs, "web", vec![container("web", &["httpd"])]).await;
    let first = eventually(10, "a placed task", || async {
        let out = ecs
            .run_task()
            .cluster("t")
            .task_definition("web")
            .client_token("token-1")
            .send()
            .await
            .ok()?;
        (!out.tasks().is_empty()).then_some(out)
    })
    .await;
    let again = ecs
        .run_task()
        .cluster("t")
        .task_definition("web")
        .client_token("token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(first.tasks()[0].task_arn(), again.tasks()[0].task_arn());
    assert_eq!(ecs.list_tasks().cluster("t").send().await.unwrap().task_arns().len(), 1);
    let err = ecs
        .run_task()
        .cluster("t")
        .task_definition("web")
        .count(2)
        .client_token("token-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ConflictException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_task_describe_and_list() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let _a = SimAgent::start(&server, "t", "zone-a");
    let _b = SimAgent::start(&server, "t", "zone-b");
    register(&ecs, "web", vec![container("web", &["httpd"])]).await;
    register(&ecs, "api", vec![container("api", &["httpd"])]).await;
    let instances = eventually(10, "two instances", || async {
        let out = ecs.list_container_instances().cluster("t").send().await.unwrap();
        (out.container_instance_arns().len() == 2).then(|| out.container_instance_arns().to_vec())
    })
    .await;
    let started = ecs
        .start_task()
        .cluster("t")
        .task_definition("web")
        .container_instances(&instances[1])
        .send()
        .await
        .unwrap();
    assert_eq!(started.tasks()[0].container_instance_arn(), Some(instances[1].as_str()));

    for _ in 0..2 {
        ecs.run_task()
            .cluster("t")
            .task_definition("api")
            .started_by("batch")
            .send()
            .await
            .unwrap();
    }
    ecs.run_task().cluster("t").task_definition("web").count(2).send().await.unwrap();
    let all = ecs.list_tasks().cluster("t").send().await.unwrap();
    assert_eq!(all.task_arns().len(), 5);
    let api = ecs.list_tasks().cluster("t").family("api").send().await.unwrap();
    assert_eq!(api.task_arns().len(), 2);
    let batch = ecs.list_tasks().cluster("t").started_by("batch").send().await.unwrap();
    assert_eq!(batch.task_arns(), api.task_arns());
    let on_b =
        ecs.list_tasks().cluster("t").container_instance(&instances[1]).send().await.unwrap();
    assert!(on_b.task_arns().contains(&started.tasks()[0].task_arn().unwrap().to_owned()));

    let mut paged = Vec::new();
    let mut token = None;
    loop {
        let page = ecs
            .list_tasks()
            .cluster("t")
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        paged.extend(page.task_arns().iter().cloned());
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(paged, all.task_arns());

    let id = paged[0].rsplit('/').next().unwrap();
    let described =
        ecs.describe_tasks().cluster("t").tasks(id).tasks("0123abcd").send().await.unwrap();
    assert_eq!(described.tasks()[0].task_arn(), Some(paged[0].as_str()));
    assert_eq!(described.failures()[0].reason(), Some("MISSING"));
    assert!(described.failures()[0].arn().unwrap().ends_with(":task/t/0123abcd"));
    let err = ecs.stop_task().cluster("t").task("0123abcd").send().await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_of_agent_and_control_plane_change_nothing() {
    let mut server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let agent = SimAgent::start(&server, "t", "zone-a");
    register(&ecs, "web", vec![container("web", &["httpd"])]).await;
    let arn = eventually(10, "a placed task", || async {
        let out = ecs.run_task().cluster("t").task_definition("web").send().await.ok()?;
        out.tasks().first().and_then(|t| t.task_arn()).map(str::to_owned)
    })
    .await;
    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    let container_id = running.containers()[0].runtime_id().unwrap().to_owned();
    let instance = running.container_instance_arn().unwrap().to_owned();

    // The agent restarts on the same host: it keeps its identity and adopts the container.
    let (runtime, state_dir) = agent.stop().await;
    let agent = SimAgent::start_on(&server, "t", "zone-a", runtime.clone(), state_dir);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let listed = ecs.list_container_instances().cluster("t").send().await.unwrap();
    assert_eq!(listed.container_instance_arns(), std::slice::from_ref(&instance));
    let task = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert_eq!(task.containers()[0].runtime_id(), Some(container_id.as_str()));
    assert_eq!(runtime.container_count(), 1, "nothing was created again");

    // The control plane is killed and restarted: the task keeps running, the agent reconnects.
    server.crash_and_restart();
    let ecs = server.ecs();
    let task = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert_eq!(task.containers()[0].runtime_id(), Some(container_id.as_str()));
    eventually(15, "the agent to reconnect", || async {
        let out = ecs
            .describe_container_instances()
            .cluster("t")
            .container_instances(&instance)
            .send()
            .await
            .unwrap();
        out.container_instances()[0].agent_connected().then_some(())
    })
    .await;
    assert_eq!(
        agent.runtime.running_with_label("berth.task-arn", &arn),
        std::slice::from_ref(&container_id)
    );
    // And it still takes orders.
    ecs.stop_task().cluster("t").task(&arn).send().await.unwrap();
    wait_status(&ecs, "t", &arn, "STOPPED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privileged_containers_need_the_cluster_to_allow_them() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let _agent = SimAgent::start(&server, "t", "zone-a");
    let mut c = container("root", &["httpd"]);
    c.privileged = Some(true);
    register(&ecs, "root", vec![c]).await;
    let err = ecs.run_task().cluster("t").task_definition("root").send().await.unwrap_err();
    assert_eq!(code(&err), "ClientException");
    assert!(crate::common::message(&err).contains("privileged"));
    assert!(ecs.list_tasks().cluster("t").send().await.unwrap().task_arns().is_empty());
}

/// Task definitions that reach into the host, each with the word its refusal must name.
fn host_reaching_definitions() -> Vec<(&'static str, serde_json::Value, &'static str)> {
    use serde_json::json;
    let app = |extra: serde_json::Value| {
        let mut c = json!({"name": "app", "image": "busybox", "memory": 64, "command": ["httpd"]});
        c.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!([c])
    };
    vec![
        ("priv", json!({"containerDefinitions": app(json!({"privileged": true}))}), "privileged"),
        (
            "caps",
            json!({"containerDefinitions": app(json!({"linuxParameters": {"capabilities": {"add": ["SYS_ADMIN"]}}}))}),
            "capabilities",
        ),
        (
            "seccomp",
            json!({"containerDefinitions": app(json!({"dockerSecurityOptions": ["seccomp=unconfined"]}))}),
            "unconfined",
        ),
        (
            "hostnet",
            json!({"networkMode": "host", "containerDefinitions": app(json!({}))}),
            "host network",
        ),
        (
            "bind",
            json!({"volumes": [{"name": "etc", "host": {"sourcePath": "/etc"}}],
                   "containerDefinitions": app(json!({"mountPoints": [{"sourceVolume": "etc", "containerPath": "/x"}]}))}),
            "host path",
        ),
        (
            "device",
            json!({"volumes": [{"name": "etc", "dockerVolumeConfiguration": {"scope": "task", "driver": "local",
                       "driverOpts": {"type": "none", "o": "bind", "device": "/etc"}}}],
                   "containerDefinitions": app(json!({"mountPoints": [{"sourceVolume": "etc", "containerPath": "/x"}]}))}),
            "host path",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_that_reach_into_the_host_are_refused_unless_the_cluster_allows_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("berth.toml");
    std::fs::write(
        &config,
        "[clusters.lab.containers]\nallow-privileged = true\nallow-host-network = true\nallow-host-mounts = true\n",
    )
    .unwrap();
    let server = Server::start_with_config(&config);
    let ecs = server.ecs();
    let raw = server.raw();
    cluster(&ecs, "t").await;
    cluster(&ecs, "lab").await;
    let _agents =
        [SimAgent::start(&server, "t", "zone-a"), SimAgent::start(&server, "lab", "zone-a")];
    eventually(10, "two instances", || async {
        let t = ecs.list_container_instances().cluster("t").send().await.unwrap();
        let lab = ecs.list_container_instances().cluster("lab").send().await.unwrap();
        (!t.container_instance_arns().is_empty() && !lab.container_instance_arns().is_empty())
            .then_some(())
    })
    .await;
    for (family, mut definition, word) in host_reaching_definitions() {
        definition["family"] = family.into();
        // Registering is allowed, as in ECS: the cluster decides what runs on its hosts.
        let registered = raw.op("RegisterTaskDefinition", definition).await;
        assert_eq!(registered.status, 200, "{family}: {:?}", registered.body);

        let refused =
            raw.op("RunTask", serde_json::json!({"cluster": "t", "taskDefinition": family})).await;
        assert_eq!(
            refused.error_type.as_deref(),
            Some("ClientException"),
            "{family}: {:?}",
            refused.body
        );
        let message = refused.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(word) && message.contains("cluster t"), "{family}: {message}");
        let refused = raw
            .op("CreateService", serde_json::json!({"cluster": "t", "serviceName": family, "taskDefinition": family, "desiredCount": 1}))
            .await;
        assert_eq!(
            refused.error_type.as_deref(),
            Some("ClientException"),
            "{family}: {:?}",
            refused.body
        );

        let ran = raw
            .op("RunTask", serde_json::json!({"cluster": "lab", "taskDefinition": family}))
            .await;
        assert_eq!(ran.status, 200, "{family}: {:?}", ran.body);
        assert_eq!(ran.body["tasks"].as_array().map(Vec::len), Some(1), "{family}: {:?}", ran.body);
    }
    assert!(ecs.list_tasks().cluster("t").send().await.unwrap().task_arns().is_empty());
    assert!(ecs.list_services().cluster("t").send().await.unwrap().service_arns().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_run_tasks_never_over_commit() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    // One simulated instance with 8 GiB: exactly eight 1 GiB tasks fit.
    let _agent = SimAgent::start(&server, "t", "zone-a");
    let mut c = container("big", &["httpd"]);
    c.memory = Some(1024);
    register(&ecs, "big", vec![c]).await;
    eventually(10, "an instance", || async {
        let out = ecs.list_container_instances().cluster("t").send().await.unwrap();
        (!out.container_instance_arns().is_empty()).then_some(())
    })
    .await;
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let ecs = ecs.clone();
            tokio::spawn(async move {
                ecs.run_task().cluster("t").task_definition("big").send().await.unwrap()
            })
        })
        .collect();
    let mut placed = 0;
    let mut refused = 0;
    for call in calls {
        let out = call.await.unwrap();
        placed += out.tasks().len();
        refused += out.failures().iter().filter(|f| f.reason() == Some("RESOURCE:MEMORY")).count();
    }
    assert_eq!((placed, refused), (8, 12));
    let listed = ecs.list_tasks().cluster("t").send().await.unwrap();
    assert_eq!(listed.task_arns().len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_states_logs_usage_and_retention() {
    let server = Server::start_with_args(&["--stopped-task-retention", "2"]);
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let options = agent::sim::SimOptions {
        start_delay: Duration::from_millis(300),
        stop_delay: Duration::from_millis(1500),
        ..agent::sim::SimOptions::default()
    };
    let _agent = SimAgent::start_with(&server, "t", "zone-a", options);
    register(&ecs, "web", vec![container("web", &["httpd"])]).await;
    let arn = eventually(10, "a placed task", || async {
        let out = ecs.run_task().cluster("t").task_definition("web").send().await.ok()?;
        out.tasks().first().and_then(|t| t.task_arn()).map(str::to_owned)
    })
    .await;
    // PROVISIONING until the agent has it, PENDING while it starts, then RUNNING.
    let pending = wait_status(&ecs, "t", &arn, "PENDING").await;
    assert!(pending.connectivity_at().is_some());
    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    assert!(running.started_at().unwrap() >= running.created_at().unwrap());

    // The agent samples resource use and ships logs.
    let raw = server.raw();
    let usage = eventually(10, "resource use", || async {
        let out = raw.berth("DescribeTaskUsage", serde_json::json!({"cluster": "t"})).await;
        let usage = out.body["usage"].as_array().cloned().unwrap_or_default();
        (!usage.is_empty()).then_some(usage)
    })
    .await;
    assert_eq!(usage[0]["taskArn"], arn.as_str());
    assert!(usage[0]["memoryMib"].as_f64().unwrap() > 0.0);
    let logs = eventually(10, "the container's log", || async {
        let out = raw
            .berth(
                "GetContainerLogs",
                serde_json::json!({"cluster": "t", "task": arn, "containerName": "web"}),
            )
            .await;
        let events = out.body["events"].as_array().cloned().unwrap_or_default();
        (!events.is_empty()).then_some(events)
    })
    .await;
    assert!(logs[0]["message"].as_str().unwrap().contains("started"), "{logs:?}");
    let unknown = raw
        .berth(
            "GetContainerLogs",
            serde_json::json!({"cluster": "t", "task": "feed", "containerName": "web"}),
        )
        .await;
    assert_eq!(unknown.error_type.as_deref(), Some("ResourceNotFoundException"));

    // STOPPING while the container stops, then STOPPED, then gone after the retention.
    ecs.stop_task().cluster("t").task(&arn).send().await.unwrap();
    let stopping = wait_status(&ecs, "t", &arn, "STOPPING").await;
    assert!(stopping.stopping_at().is_some());
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert!(stopped.execution_stopped_at().is_some() && stopped.stopped_at().is_some());
    eventually(15, "the stopped task to be removed", || async {
        let out = ecs.describe_tasks().cluster("t").tasks(&arn).send().await.unwrap();
        (out.failures().first().and_then(|f| f.reason()) == Some("MISSING")).then_some(())
    })
    .await;
    let gone = raw
        .berth(
            "GetContainerLogs",
            serde_json::json!({"cluster": "t", "task": arn, "containerName": "web"}),
        )
        .await;
    assert_eq!(gone.error_type.as_deref(), Some("ResourceNotFoundException"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_that_exits_while_its_agent_is_down_is_reported() {
    let server = Server::start();
    let ecs = server.ecs();
    cluster(&ecs, "t").await;
    let agent = SimAgent::start(&server, "t", "zone-a");
    register(&ecs, "web", vec![container("web", &["httpd"])]).await;
    let arn = eventually(10, "a placed task", || async {
        let out = ecs.run_task().cluster("t").task_definition("web").send().await.ok()?;
        out.tasks().first().and_then(|t| t.task_arn()).map(str::to_owned)
    })
    .await;
    let running = wait_status(&ecs, "t", &arn, "RUNNING").await;
    let (runtime, state_dir) = agent.stop().await;
    assert!(runtime.kill(running.containers()[0].runtime_id().unwrap(), 42));
    let _agent = SimAgent::start_on(&server, "t", "zone-a", runtime, state_dir);
    let stopped = wait_status(&ecs, "t", &arn, "STOPPED").await;
    assert_eq!(stopped.containers()[0].exit_code(), Some(42));
    assert_eq!(stopped.stop_code(), Some(&TaskStopCode::EssentialContainerExited));
}
